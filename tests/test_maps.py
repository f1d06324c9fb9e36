"""make_map / save_map and `desertgeo map`: layers, date filtering, escaping, offline output."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from desertgeo import CRSError, InputError
from desertgeo._map_page import unpack_columns
from desertgeo.maps import make_map, save_map

EVIL_NOTE = "<img src=x onerror=alert(1)>"
EVIL_PLACE = "</script><script>alert(1)</script>"
NO_CONTEXT = {
    "basemap": False,
    "governorates": False,
    "borders": False,
    "sites": False,
    "roads": False,
    "tanf": False,
    "towns": False,
}


def synthetic_events(n: int, seed: int = 0) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    dates = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 120, n), unit="D")
    frame = pd.DataFrame(
        {
            "event_id": [f"e{i}" for i in range(n)],
            "date": dates,
            "date_end": dates,
            "place": rng.choice(["Palmyra", "Sukhna", "al-Tanf"], n),
            "geo_precision": pd.array(rng.integers(1, 4, n), dtype="Int8"),
            "uncertainty_m": rng.choice([0.0, 500.0, 5000.0, 25000.0], n),
            "fatalities": pd.array(rng.integers(0, 20, n), dtype="Int64"),
            "actor": rng.choice(["ISIS", "unknown"], n),
            "event_type": rng.choice(["attack", "IED", "ambush"], n),
            "source": "synthetic",
            "notes": "",
        }
    )
    pts = gpd.points_from_xy(rng.uniform(37.5, 40.0, n), rng.uniform(34.0, 35.5, n))
    return gpd.GeoDataFrame(frame, geometry=pts, crs=4326)


def synthetic_zones() -> gpd.GeoDataFrame:
    rows = []
    for snap, start, end in (
        ("2024-01", "2024-01-01", "2024-04-01"),
        ("2024-04", "2024-04-01", None),
    ):
        for ctrl, geom in (("government", box(36, 33, 39, 36)), ("SDF", box(39, 34.5, 41.5, 37))):
            rows.append(
                {
                    "zone_id": f"{snap}-{ctrl}",
                    "snapshot": snap,
                    "controller": ctrl,
                    "valid_from": pd.Timestamp(start),
                    "valid_to": pd.Timestamp(end) if end else pd.NaT,
                    "confidence": "low",
                    "approximate": True,
                    "source": f"test source {snap}",
                    "notes": EVIL_NOTE,
                    "geometry": geom if snap == "2024-01" else geom.buffer(0.1),
                }
            )
    return gpd.GeoDataFrame(rows, crs=4326)


def payload(html: str) -> dict[str, Any]:
    """The events' block of a rendered page, decoded as the browser decodes it."""
    found = re.search(
        r'<script type="application/octet-stream" id="dg-events-[^"]+">(.*?)</script>', html
    )
    assert found is not None
    return unpack_columns(found.group(1))


def layer_args(html: str, kind: str) -> list[Any]:
    """The JSON arguments of every ``desertgeo.make(map, kind, args)`` in a rendered page."""
    pattern = r'desertgeo\.make\(map_\w+, "' + kind + r'", (.*)\);\n'
    return [json.loads(m.group(1)) for m in re.finditer(pattern, html)]


def test_layers_counts_and_unplaced_rows_are_reported() -> None:
    ev = synthetic_events(50)
    ev.loc[3, "geometry"] = None
    before = ev.copy()
    m = make_map(ev, heatmap=True, **NO_CONTEXT)
    assert m.desertgeo_layers["events"] == 49
    assert m.desertgeo_unplaced == 1
    assert m.desertgeo_layers["heatmap"] == 49
    expected_unc = int((ev.drop(index=3)["uncertainty_m"] >= 1000).sum())
    assert m.desertgeo_layers["location uncertainty"] == expected_unc
    pd.testing.assert_frame_equal(ev, before)  # the caller's frame is untouched
    html = m.get_root().render()
    assert "49 events drawn; 1 without a usable location not drawn" in html


def test_event_payload_carries_dates_and_categories() -> None:
    ev = synthetic_events(30, seed=2)
    ev.loc[4, "fatalities"] = pd.NA
    data = payload(make_map(ev, **NO_CONTEXT).get_root().render())
    assert data["n"] == 30
    np.testing.assert_allclose(data["lon"], ev.geometry.x, atol=6e-6)
    np.testing.assert_allclose(data["lat"], ev.geometry.y, atol=6e-6)
    days = (pd.to_datetime(ev["date"]).dt.normalize() - pd.Timestamp("1970-01-01")).dt.days
    assert data["day"].tolist() == days.astype(float).tolist()
    fat = ev["fatalities"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    np.testing.assert_array_equal(data["fat"], fat)
    # one colour per event type, fixed palette; codes decode to each row's own type
    header = data["header"]
    assert header["n"] == 30
    key = next(k for k, v in data["strings"].items() if "IED" in v)
    decoded = [data["strings"][key][c] for c in data[key]]
    assert decoded == ev["event_type"].tolist()


def test_no_data_string_reaches_the_page_as_markup() -> None:
    ev = synthetic_events(5)
    ev["notes"] = EVIL_NOTE
    ev["place"] = EVIL_PLACE
    ev["actor"] = EVIL_PLACE
    m = make_map(
        ev,
        zones=synthetic_zones(),
        date="2024-02-01",
        color_by="actor",
        title=EVIL_PLACE,
        **NO_CONTEXT,
    )
    html = m.get_root().render()
    assert "<img src=x" not in html
    assert "<script>alert(1)" not in html
    assert html.count("</script>") == html.count("<script")  # no early close of a script
    # the strings travel as JSON (< written \u003c) and are shown with textContent
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html
    assert html.count("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)") >= 2  # title, legend
    data = payload(html)
    assert any(EVIL_NOTE in strings for strings in data["strings"].values())


def test_zones_follow_the_date() -> None:
    zones = synthetic_zones()
    m1 = make_map(zones=zones, date="2024-02-15", **NO_CONTEXT)
    m2 = make_map(zones=zones, date="2024-06-01", **NO_CONTEXT)
    assert m1.desertgeo_layers["control zones"] == 2
    assert m2.desertgeo_layers["control zones"] == 2
    h1, h2 = m1.get_root().render(), m2.get_root().render()
    assert "test source 2024-01" in h1
    assert "test source 2024-04" not in h1
    assert "test source 2024-04" in h2
    assert "test source 2024-01" not in h2
    assert "Control zones on 2024-02-15" in h1
    assert "approximate (dashed, faded)" in h1
    # no date given: the latest event date picks the snapshot shown first
    ev = synthetic_events(10)
    ev["date"] = pd.Timestamp("2024-03-10")
    m3 = make_map(ev, zones=zones, **NO_CONTEXT)
    assert "Control zones on 2024-03-10" in m3.get_root().render()


def test_zone_snapshot_follows_the_slider_window() -> None:
    ev = synthetic_events(40)  # 2024-01-01 .. 2024-04-29: both snapshots are in force
    html = make_map(ev, zones=synthetic_zones(), **NO_CONTEXT).get_root().render()
    (args,) = layer_args(html, "zones")
    assert [g["label"] for g in args["groups"]] == ["2024-01", "2024-04"]
    april = (pd.Timestamp("2024-04-01") - pd.Timestamp("1970-01-01")).days
    assert args["groups"][0]["to"] == april
    assert args["groups"][1]["from"] == april
    assert args["fixed"] is None
    last = ev["date"].max().strftime("%Y-%m-%d")
    assert f"Control zones on {last} (snapshot 2024-04)" in html
    assert "the zones follow the time slider" in html
    # a fixed date: one snapshot, and the legend states both dates
    html = (
        make_map(ev, zones=synthetic_zones(), date="2024-02-01", **NO_CONTEXT).get_root().render()
    )
    (args,) = layer_args(html, "zones")
    assert len(args["groups"]) == 1
    first = ev["date"].min().strftime("%Y-%m-%d")
    assert f"events {first} to {last}, zones stay on 2024-02-01" in html


def test_clusters_and_hotspots_layers() -> None:
    clusters = gpd.GeoDataFrame(
        {
            "cluster": [0, 1],
            "n_events": [12, 7],
            "fatalities": [30, 4],
            "first_date": pd.to_datetime(["2024-01-02", "2024-02-01"]),
            "last_date": pd.to_datetime(["2024-03-02", "2024-02-20"]),
            "nearest_place": ["Sukhna", "Palmyra"],
            "nearest_place_km": [3.2, 11.0],
        },
        geometry=[Point(38.8, 34.9).buffer(0.2), Point(38.3, 34.55).buffer(0.1)],
        crs=4326,
    )
    cells = gpd.GeoDataFrame(
        {
            "cell_id": ["a", "b", "c"],
            "n_events": [20, 0, 3],
            "gi_z": [4.1, -2.5, 0.3],
            "p_value": [0.0001, 0.01, 0.7],
            "p_fdr": [0.001, 0.04, 0.8],
            "hotspot": ["hot", "cold", "not significant"],
        },
        geometry=[box(38, 34, 38.1, 34.1), box(39, 34, 39.1, 34.1), box(40, 34, 40.1, 34.1)],
        crs=4326,
    )
    m = make_map(clusters=clusters, hotspots=cells.to_crs(32637), **NO_CONTEXT)
    assert m.desertgeo_layers["cluster hulls"] == 2
    assert m.desertgeo_layers["hotspots (Gi*)"] == 2  # "not significant" is not drawn
    html = m.get_root().render()
    assert "Cluster 0" in html
    assert "Sukhna" in html
    assert "Hotspot cells" in html


def test_input_errors() -> None:
    ev = synthetic_events(5)
    with pytest.raises(CRSError, match="no CRS"):
        make_map(ev.set_crs(None, allow_override=True), **NO_CONTEXT)
    with pytest.raises(InputError, match="color_by='nope'"):
        make_map(ev, color_by="nope", **NO_CONTEXT)
    with pytest.raises(InputError, match="not a date"):
        make_map(zones=synthetic_zones(), date="someday", **NO_CONTEXT)
    with pytest.raises(InputError, match="GeoDataFrame"):
        make_map(pd.DataFrame({"a": [1]}), **NO_CONTEXT)


def test_shipped_context_layers() -> None:
    m = make_map()
    layers = m.desertgeo_layers
    assert layers["basemap"] == 6
    assert layers["governorates"] == 14
    assert layers["borders"] == 5
    assert layers["al-Tanf 55 km zone"] == 1
    assert layers["sites"] >= 20
    html = m.get_root().render()
    assert "al-Tanf 55 km deconfliction zone" in html
    assert "approximate: checked points within 3 km" in html  # was "(schematic)" (issue 20)


def test_tanf_circle_is_55_km_geodesic() -> None:
    from pyproj import Geod

    from desertgeo import datasets
    from desertgeo.maps import _tanf_zone

    sites = datasets.load("sites")
    found = _tanf_zone(sites)
    assert found is not None
    zone, _ = found
    garrison = sites[sites["site_id"] == "al-tanf-garrison"].geometry.iloc[0]
    xs, ys = zone.geometry.iloc[0].exterior.coords.xy
    _, _, dist = Geod(ellps="WGS84").inv(
        np.full(len(xs), garrison.x), np.full(len(xs), garrison.y), np.asarray(xs), np.asarray(ys)
    )
    assert np.allclose(dist, 55_000.0, atol=0.01)


def test_save_offline_and_online(tmp_path: Path) -> None:
    m = make_map(synthetic_events(20), heatmap=True, **NO_CONTEXT)
    off = save_map(m, tmp_path / "off.html").read_text(encoding="utf-8")
    assert "<script src=" not in off
    assert '<link rel="stylesheet"' not in off
    assert "https://cdn" not in off
    assert "L.heatLayer" in off
    assert "leaflet.heat@0.2.0" in off
    on = save_map(m, tmp_path / "on.html", offline=False).read_text(encoding="utf-8")
    assert '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js">' in on
    assert "leaflet.heat@0.2.0/dist/leaflet-heat.js" in on


@pytest.mark.cli
def test_cli_map(tmp_path: Path) -> None:
    ev = synthetic_events(40)
    src = tmp_path / "events.geojson"
    ev.to_file(src, driver="GeoJSON")
    out = tmp_path / "map.html"
    res = subprocess.run(
        [sys.executable, "-m", "desertgeo", "map", str(src), "--heatmap", "-o", str(out), "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    info = json.loads(res.stdout)
    assert info["offline"] is True
    assert info["layers"]["events"] + info["events_without_location"] == 40
    assert out.stat().st_size == info["bytes"]
    assert "https://cdn" not in out.read_text(encoding="utf-8")
    bad = subprocess.run(
        [sys.executable, "-m", "desertgeo", "map", str(tmp_path / "missing.csv")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert bad.returncode == 2
    assert "not found" in bad.stderr


@pytest.mark.cli
def test_cli_map_shipped_demo_with_zones_clusters_hotspots(tmp_path: Path) -> None:
    out = tmp_path / "demo.html"
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "desertgeo",
            "map",
            "--dataset",
            "demo_events",
            "--zones",
            "2024-05",
            "--clusters",
            "--hotspots",
            "--heatmap",
            "-o",
            str(out),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    layers = json.loads(res.stdout)["layers"]
    from desertgeo import datasets

    assert layers["events"] == len(datasets.load("demo_events"))
    assert layers["control zones"] > 0
    assert layers["cluster hulls"] > 0
    assert layers["hotspots (Gi*)"] > 0
    assert "Control zones on 2024-05-01" in out.read_text(encoding="utf-8")
    assert any("SYNTHETIC" in c for c in json.loads(res.stdout)["credits"])


@pytest.mark.cli
def test_cli_map_popup_tooltip_attribution(tmp_path: Path) -> None:
    src = tmp_path / "mine.geojson"
    gpd.GeoDataFrame(
        {"Ort": ["Tadmur", "Kabajib"], "Opfer": [2, 11]},
        geometry=[Point(38.27, 34.56), Point(39.5, 35.2)],
        crs=4326,
    ).to_crs(3857).to_file(src, driver="GeoJSON")
    out = tmp_path / "m.html"
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "desertgeo",
            "map",
            str(src),
            "--popup",
            "Ort,Opfer",
            "--tooltip",
            "Ort",
            "--attribution",
            "My team {{7*7}}",
            "-o",
            str(out),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    info = json.loads(res.stdout)
    assert info["layers"]["events"] == 2
    assert info["credits"][-1] == "My team {{7*7}}"
    (args,) = layer_args(out.read_text(encoding="utf-8"), "events")
    assert [label for label, _ in args["popup"]] == ["Ort", "Opfer"]


# ---- any point GeoDataFrame ---------------------------------------------------------------
def user_frames() -> dict[str, gpd.GeoDataFrame]:
    pts = gpd.points_from_xy([38.27, 38.88, 39.0], [34.55, 34.85, 35.3])
    return {
        "geometry only": gpd.GeoDataFrame(geometry=pts, crs=4326),
        "geometry + date": gpd.GeoDataFrame(
            {"date": ["2024-01-03", "2024-02-10", "not a date"]}, geometry=pts, crs=4326
        ),
        "EPSG:3857": gpd.GeoDataFrame({"kind": ["a", "b", "a"]}, geometry=pts, crs=4326).to_crs(
            3857
        ),
        "own columns": gpd.GeoDataFrame(
            {
                "Ort": ["Tadmur", "as-Sukhnah", "Kabajib"],
                "Opfer": [2, 0, 11],
                "Tag": pd.to_datetime(["2024-03-01", "2024-03-02", "2024-03-05"], utc=True),
            },
            geometry=pts,
            crs=4326,
        ),
    }


@pytest.mark.parametrize("kind", list(user_frames()))
def test_any_point_frame_is_drawn(kind: str) -> None:
    frame = user_frames()[kind]
    before = frame.copy()
    m = make_map(frame, **NO_CONTEXT)
    assert m.desertgeo_layers["events"] == 3
    data = payload(m.get_root().render())
    np.testing.assert_allclose(data["lon"], [38.27, 38.88, 39.0], atol=2e-5)  # back in 4326
    np.testing.assert_allclose(data["lat"], [34.55, 34.85, 35.3], atol=2e-5)
    pd.testing.assert_frame_equal(frame, before)
    if kind == "geometry + date":
        assert np.isnan(data["day"][2])
        assert data["day"][0] == (pd.Timestamp("2024-01-03") - pd.Timestamp("1970-01-01")).days


def test_popup_and_tooltip_columns_as_in_explore() -> None:
    frame = user_frames()["own columns"]
    m = make_map(frame, popup=["Ort", "Opfer", "Tag"], tooltip="Ort", color_by="Ort", **NO_CONTEXT)
    html = m.get_root().render()
    (args,) = layer_args(html, "events")
    assert [label for label, _ in args["popup"]] == ["Ort", "Opfer", "Tag"]
    data = payload(html)
    by_label = dict(args["popup"])
    decode = {
        label: [data["strings"][key][c] for c in data[key]] for label, key in by_label.items()
    }
    assert decode["Ort"] == ["Tadmur", "as-Sukhnah", "Kabajib"]
    assert decode["Opfer"] == ["2", "0", "11"]
    assert decode["Tag"] == ["2024-03-01", "2024-03-02", "2024-03-05"]
    assert args["tooltip"] == [by_label["Ort"]]
    assert len(args["colors"]) == 3  # one per place
    everything = layer_args(make_map(frame, popup=True, **NO_CONTEXT).get_root().render(), "events")
    assert [label for label, _ in everything[0]["popup"]] == ["Ort", "Opfer", "Tag"]
    with pytest.raises(InputError, match="popup=\\['Nope'\\]"):
        make_map(frame, popup=["Nope"], **NO_CONTEXT)


def test_what_cannot_be_drawn_is_refused_clearly() -> None:
    poly = gpd.GeoDataFrame(geometry=[box(38, 34, 39, 35)], crs=4326)
    with pytest.raises(InputError, match=r"Polygon geometry.*representative_point"):
        make_map(poly, **NO_CONTEXT)
    with pytest.raises(CRSError, match="no CRS"):
        make_map(gpd.GeoDataFrame(geometry=[Point(38, 34)]), **NO_CONTEXT)


def test_layers_added_to_an_existing_folium_map() -> None:
    import folium

    base = folium.Map(location=[35, 38], zoom_start=6, tiles=None)
    folium.LayerControl().add_to(base)
    m = make_map(synthetic_events(10), m=base, **NO_CONTEXT)
    assert m is base
    html = m.get_root().render()
    assert html.count("L.control.layers(") == 1
    assert html.index("desertgeo.make(" + m.get_name() + ', "events"') < html.index(
        "L.control.layers("
    )
    assert m.desertgeo_layers["events"] == 10
    make_map(synthetic_events(5, seed=9), m=base, **NO_CONTEXT)  # twice: assets once
    assert m.get_root().render().count("window.desertgeo = {version") == 1


def test_fixed_palette_and_credits_follow_the_data() -> None:
    a = synthetic_events(30)
    a["event_type"] = ["Battles"] * 20 + ["Riots"] * 10
    b = synthetic_events(30, seed=5)
    b["event_type"] = ["Riots"] * 25 + ["Battles"] * 5
    ca = layer_args(make_map(a, **NO_CONTEXT).get_root().render(), "events")[0]["colors"]
    cb = layer_args(make_map(b, **NO_CONTEXT).get_root().render(), "events")[0]["colors"]
    assert ca == cb[::-1]  # the same colour for each type whatever its frequency
    a["source"] = "ACLED"
    assert any("ACLED's Terms of Use" in c for c in make_map(a, **NO_CONTEXT).desertgeo_credits)
    u = synthetic_events(4)
    u["event_type"] = "one-sided violence"
    u["source"] = "UCDP GED 23.1"
    assert any("UCDP GED" in c for c in make_map(u, **NO_CONTEXT).desertgeo_credits)
    demo = make_map(datasets_load("demo_events"), **NO_CONTEXT)
    assert any("SYNTHETIC" in c for c in demo.desertgeo_credits)
    assert "SYNTHETIC data: not real events" in demo.get_root().render()


def datasets_load(name: str) -> gpd.GeoDataFrame:
    from desertgeo import datasets

    return datasets.load(name)


def test_notebook_view_is_the_offline_page(tmp_path: Path) -> None:
    m = make_map(synthetic_events(20), heatmap=True, **NO_CONTEXT)
    inline = m._repr_html_()
    assert "<iframe srcdoc=" in inline
    assert "https://cdn" not in inline
    assert "leaflet.heat@0.2.0" in inline


def test_save_map_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "map.html"
    out.write_text("old map", encoding="utf-8")
    m = make_map(synthetic_events(5), **NO_CONTEXT)

    def broken(self: Path, *args: Any, **kwargs: Any) -> int:
        Path.write_bytes(self, b"<!DOCTYPE html><html><head>half")
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_text", broken)
    with pytest.raises(OSError, match="disk full"):
        save_map(m, out)
    monkeypatch.undo()
    assert out.read_text(encoding="utf-8") == "old map"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]
    with pytest.raises(InputError, match="does not exist"):
        save_map(m, tmp_path / "missing" / "map.html")
