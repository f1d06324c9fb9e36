"""Tests of desertgeo.zones: shipped snapshots, validation of user files, assignment, shares."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from shapely import Point, Polygon, box

from desertgeo import CRSError, ZoneError, datasets
from desertgeo.zones import (
    ZONE_COLUMNS,
    assign_zones,
    list_snapshots,
    load_zones,
    snapshot_at,
    zone_shares,
    zone_summary,
)


def _place(ascii_name: str) -> Point:
    p = datasets.load("places")
    hit = p[(p["country"] == "SY") & (p["asciiname"] == ascii_name)]
    assert len(hit) == 1, ascii_name
    return hit.geometry.iloc[0]


def _site(site_id: str) -> Point:
    return datasets.load("sites").set_index("site_id").loc[site_id].geometry


def _events(rows: list[tuple[str, Point | None]], **cols: list) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"date": pd.to_datetime([r[0] for r in rows]), **cols},
        geometry=[r[1] for r in rows],
        crs=4326,
    )


def test_shipped_snapshots_schema_and_labels() -> None:
    z = load_zones()
    assert list(z.columns[: len(ZONE_COLUMNS)]) == ZONE_COLUMNS
    assert z.crs.to_epsg() == 4326
    assert z["valid_from"].min() == pd.Timestamp("2014-01-01")
    assert z["valid_to"].isna().any()  # the last snapshot is open-ended
    assert z["approximate"].all()
    assert (z["source"].str.len() > 10).all()
    assert set(z["confidence"]) <= {"high", "medium", "low"}
    assert z.geometry.is_valid.all()
    # the Badia is honestly low confidence: nominal government control with ISIS cells
    snap = snapshot_at(z, "2023-02-17")
    badia = snap[snap["confidence"] == "low"]
    assert "Syrian government" in set(badia["controller"])
    assert any("Badia" in n for n in badia["notes"])
    # each snapshot covers Syria (golan="syria") with no gap and no overlap (within slivers)
    syria = datasets.load("countries", golan="syria").set_index("country").loc["SY"].geometry
    area_sy = gpd.GeoSeries([syria], crs=4326).to_crs(32637).area.iloc[0]
    for _snap, grp in list(z.groupby("snapshot"))[::25]:
        u = grp.to_crs(32637)
        assert u.area.sum() == pytest.approx(u.union_all().area, rel=1e-3)  # no overlap
        inside = gpd.GeoSeries([syria], crs=4326).to_crs(32637).iloc[0]
        assert u.union_all().intersection(inside).area == pytest.approx(area_sy, rel=1e-3)


def test_tanf_zone_is_a_geodesic_55km_circle_around_the_shipped_garrison() -> None:
    # guards against a stale build: the circle must be centred on the current sites row
    g = _site("al-tanf-garrison")
    z = load_zones()
    for zone in z[z["zone_id"].str.contains("/tanf/")].geometry:
        xy = shapely.get_coordinates(zone.exterior if zone.geom_type == "Polygon" else zone)
        _, _, d = pyproj.Geod(ellps="WGS84").inv(
            np.full(len(xy), g.x), np.full(len(xy), g.y), xy[:, 0], xy[:, 1]
        )
        assert d.max() == pytest.approx(55_000, abs=2.0)


def test_snapshot_table_covers_every_day_with_explicit_gaps() -> None:
    t = list_snapshots()
    assert t["valid_from"].iloc[0] == pd.Timestamp("2014-01-01")
    assert set(t["kind"]) == {"snapshot", "gap"}  # no silent "uncovered" range
    ends = t["valid_to"].iloc[:-1].to_numpy()
    assert (ends == t["valid_from"].iloc[1:].to_numpy()).all()  # contiguous
    gap = t[t["kind"] == "gap"]
    assert gap["valid_from"].iloc[0] == pd.Timestamp("2026-01-17")
    assert "contradict" in gap["label"].iloc[0]
    # the late-2024 offensive is covered day by day
    days = t[(t["valid_from"] >= "2024-11-27") & (t["valid_from"] <= "2024-12-08")]
    assert len(days) >= 8


def test_known_places_on_known_dates() -> None:
    ev = _events(
        [
            ("2023-02-17", _place("Ar Raqqah")),
            ("2023-02-17", _place("Tadmur")),
            ("2023-06-01", _place("Idlib")),
            ("2024-05-01", _site("al-tanf-garrison")),
            ("2024-05-01", _site("rukban-camp")),
            ("2023-02-17", _place("As Sukhnah")),
            ("2023-02-17", _place("Deir ez-Zor")),
            ("2023-02-17", _place("Hajin")),
            ("2023-02-17", _place("'Afrin")),
            ("2025-01-15", _place("Tadmur")),
            ("2025-01-15", _site("al-tanf-garrison")),
            ("2025-01-15", _place("Manbij")),
            ("2024-06-01", _place("Manbij")),
        ]
    )
    out = assign_zones(ev)
    assert out["zone_status"].eq("ok").all()
    assert out["controller"].tolist() == [
        "SDF",
        "Syrian government",
        "HTS (Syrian Salvation Government)",
        "US-led coalition / Syrian Free Army",
        "US-led coalition / Syrian Free Army",
        "Syrian government",
        "Syrian government",
        "SDF",
        "SNA / Turkey",
        "Transitional government (HTS-led)",
        "US-led coalition / Syrian Free Army",
        "SNA / Turkey",
        "SDF",
    ]
    assert out["snapshot"].iloc[0] == out["snapshot"].iloc[1] == out["snapshot"].iloc[2]
    assert "tanf" in out["zone_id"].iloc[3]
    assert "tanf" not in out["zone_id"].iloc[5]  # Sukhna is outside the 55 km zone
    assert out["zone_approximate"].all()


def test_statuses_are_flagged_not_guessed() -> None:
    ev = _events(
        [
            ("2026-01-18", _place("Tadmur")),  # the explicit gap of January 2026
            ("2013-06-01", _place("Tadmur")),  # before the first snapshot
            ("NaT", _place("Tadmur")),
            ("2023-05-01", None),
            ("2023-05-01", Point(44.4, 33.3)),  # Baghdad: outside every zone
        ]
    )
    out = assign_zones(ev)
    assert out["zone_status"].tolist() == [
        "no snapshot for date",
        "no snapshot for date",
        "no date",
        "no geometry",
        "outside zones",
    ]
    assert out["controller"].isna().all()
    assert out.index.equals(ev.index)
    assert "zone_status" not in ev.columns


def test_reprojected_events_and_missing_crs() -> None:
    ev = _events([("2023-02-17", _place("Ar Raqqah"))])
    assert assign_zones(ev.to_crs(32637))["controller"].iloc[0] == "SDF"
    with pytest.raises(CRSError):
        assign_zones(ev.set_crs(None, allow_override=True))


def _user_zones(**override: object) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        {
            "zone_id": ["a", "b"],
            "snapshot": ["s1", "s1"],
            "controller": ["X", "Y"],
            "valid_from": ["2023-01-01", "2023-01-01"],
            "valid_to": ["2023-07-01", "2023-07-01"],
            "confidence": ["high", "low"],
            "approximate": [True, True],
            "source": ["test", "test"],
            "notes": ["", ""],
        },
        geometry=[box(38, 34, 39, 35), box(39, 34, 40, 35)],
        crs=4326,
    )
    for key, value in override.items():
        frame[key] = value
    return frame


def test_user_zones_roundtrip_file(tmp_path) -> None:
    path = tmp_path / "z.geojson"
    _user_zones().to_file(path, driver="GeoJSON")
    z = load_zones(path, extent=None)
    ev = _events([("2023-03-01", Point(38.5, 34.5)), ("2023-03-01", Point(39.5, 34.5))])
    assert assign_zones(ev, z)["controller"].tolist() == ["X", "Y"]
    assert assign_zones(ev, str(path))["zone_id"].tolist() == ["a", "b"]


def test_user_zones_errors() -> None:
    with pytest.raises(ZoneError, match=r"zone_id 'b'.*not after valid_from"):
        load_zones(_user_zones(valid_to=["2023-07-01", "2022-01-01"]), extent=None)
    with pytest.raises(
        ZoneError, match=r"unparseable valid_from 'someday'.*zone_id 'a'|zone_id 'a'.*unparseable"
    ):
        load_zones(_user_zones(valid_from=["someday", "2023-01-01"]), extent=None)
    with pytest.raises(ZoneError, match=r"'a' and 'b' overlap by [0-9.]+ km\^2"):
        load_zones(_user_zones(geometry=[box(38, 34, 39.5, 35), box(39, 34, 40, 35)]), extent=None)
    with pytest.raises(ZoneError, match="different valid_from"):
        load_zones(_user_zones(valid_from=["2023-01-01", "2023-02-01"]), extent=None)
    with pytest.raises(ZoneError, match="lack column"):
        load_zones(_user_zones().drop(columns="controller"), extent=None)
    with pytest.raises(ZoneError, match="must be polygons"):
        load_zones(_user_zones(geometry=[Point(38, 34), box(39, 34, 40, 35)]), extent=None)
    with pytest.raises(CRSError):
        load_zones(_user_zones().set_crs(None, allow_override=True), extent=None)
    # two snapshots in force on the same date
    two = pd.concat(
        [
            _user_zones(),
            _user_zones(
                zone_id=["c", "d"], snapshot="s2", valid_from="2023-06-01", valid_to="2024-01-01"
            ),
        ]
    )
    with pytest.raises(ZoneError, match="overlap in time"):
        load_zones(gpd.GeoDataFrame(two, crs=4326), extent=None)


def test_user_zones_invalid_geometry_and_gaps_warn() -> None:
    bowtie = Polygon([(38, 34), (39, 35), (39, 34), (38, 35), (38, 34)])
    frame = _user_zones(geometry=[bowtie, box(39, 34, 40, 35)])
    with pytest.warns(UserWarning, match=r"repaired invalid geometry in row 0 \(zone_id 'a'\)"):
        z = load_zones(frame, extent=None)
    assert z.geometry.is_valid.all()
    assert z.geometry.iloc[0].area == pytest.approx(0.5)
    with pytest.raises(ZoneError, match="invalid geometry"):
        load_zones(frame, repair=False, extent=None)
    with pytest.warns(UserWarning, match=r"snapshot 's1' leaves [0-9,]+ km\^2"):
        load_zones(_user_zones())  # two boxes do not cover Syria


def test_shares_of_uncertainty_discs() -> None:
    ev = _events(
        [
            ("2023-03-01", _place("Deir ez-Zor")),  # on the river line: split
            ("2023-03-01", _place("Tadmur")),  # deep in one zone
            ("2023-03-01", _place("Ar Raqqah")),  # no uncertainty
        ],
        uncertainty_m=[30_000.0, 2_000.0, 0.0],
    )
    long = zone_shares(ev)
    sums = long.groupby("event")["share"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0, atol=1e-9)
    dz = long[long["event"] == 0].set_index("controller")["share"]
    assert {"SDF", "Syrian government"} <= set(dz.index)
    assert 0.1 < dz["SDF"] < 0.9
    assert long[long["event"] == 1]["share"].tolist() == pytest.approx([1.0])
    assert 2 not in set(long["event"])
    out = assign_zones(ev, shares=True)
    assert out["zone_share"].iloc[1] == pytest.approx(1.0)
    assert out["zone_share"].iloc[0] == pytest.approx(dz[out["controller"].iloc[0]])
    assert np.isnan(out["zone_share"].iloc[2])
    assert out["zone_shares"].iloc[1] == "Syrian government=1.000"
    # a disc across the Iraqi border: the part outside Syria is reported as such
    border = _events([("2023-03-01", _place("Albu Kamal"))], uncertainty_m=[20_000.0])
    s = zone_shares(border).set_index("controller")["share"]
    assert 0 < s["(outside zones)"] < 0.6


def test_zone_summary_counts_and_shares() -> None:
    ev = _events(
        [
            ("2023-02-11", _place("Tadmur")),
            ("2023-02-17", _place("As Sukhnah")),
            ("2023-02-20", _place("Ar Raqqah")),
            ("2023-03-05", _place("Tadmur")),
            ("2026-01-18", _place("Tadmur")),
        ],
        fatalities=pd.array([16, 68, 1, pd.NA, 3], dtype="Int64"),
    )
    out = assign_zones(ev)
    s = zone_summary(out, period="M").set_index(["period", "controller"])
    assert s.loc[("2023-02", "Syrian government"), "events"] == 2
    assert s.loc[("2023-02", "Syrian government"), "fatalities"] == 84
    assert s.loc[("2023-02", "Syrian government"), "share_events"] == pytest.approx(2 / 3)
    assert s.loc[("2023-02", "SDF"), "share_fatalities"] == pytest.approx(1 / 85)
    assert s.loc[("2023-03", "Syrian government"), "fatalities"] == 0
    assert np.isnan(s.loc[("2023-03", "Syrian government"), "share_fatalities"])
    assert s.loc[("2026-01", "(no zone)"), "events"] == 1
    total = zone_summary(out, period=None)
    assert total["events"].sum() == len(ev)
    by_status = zone_summary(out, by="zone_status", period="Y").set_index(["period", "zone_status"])
    assert by_status.loc[("2026", "no snapshot for date"), "events"] == 1


def test_assignment_matches_a_plain_spatial_join() -> None:
    rng = np.random.default_rng(4)
    n = 3000
    dates = pd.to_datetime(rng.choice(pd.date_range("2022-11-01", "2025-04-01").to_numpy(), n))
    ev = gpd.GeoDataFrame(
        {"date": dates},
        geometry=gpd.points_from_xy(rng.uniform(35.5, 42.5, n), rng.uniform(32.2, 37.4, n)),
        crs=4326,
    )
    out = assign_zones(ev)
    z = load_zones()
    joined = gpd.sjoin(ev, z, how="left", predicate="intersects")
    joined = joined[
        (joined["date"] >= joined["valid_from"]) & (joined["date"] < joined["valid_to"])
    ]
    joined = joined[~joined.index.duplicated()]
    expected = joined["zone_id"].reindex(ev.index)
    got = out["zone_id"]
    both = expected.notna() | got.notna()
    assert (expected[both].astype(str) == got[both].astype(str)).all()
    assert shapely.get_num_geometries(np.asarray(z.geometry.array)).min() >= 1


def test_assign_zones_never_prepares_the_shared_zone_geometries() -> None:
    # GEOS prepared geometries are not thread-safe: dask threads share the cached zones
    zones = datasets.load("zones")
    events = datasets.load("demo_events")
    out = assign_zones(events, zones)
    assert (out["zone_status"] == "ok").mean() > 0.9
    assert not shapely.is_prepared(np.asarray(zones.geometry.array)).any()
    assert not shapely.is_prepared(np.asarray(datasets.load("zones").geometry.array)).any()


def test_snapshot_at_is_the_validity_rule() -> None:
    z = load_zones()
    for day in ["2014-01-01", "2015-05-21", "2016-12-22", "2024-12-05", "2026-02-12"]:
        snap = snapshot_at(z, day)
        assert snap["snapshot"].nunique() == 1
        assert (snap["valid_from"] <= pd.Timestamp(day)).all()
        assert (snap["valid_to"].isna() | (pd.Timestamp(day) < snap["valid_to"])).all()
    # valid_to is exclusive; tz-aware dates count in their own offset
    assert snapshot_at(z, "2024-12-08")["snapshot"].iloc[0] == "2024-12-08"
    assert snapshot_at(z, pd.Timestamp("2024-12-08 00:30", tz="+03:00"))["snapshot"].iloc[0] == (
        "2024-12-08"
    )
    assert snapshot_at(z, "2026-01-18").empty  # the explicit gap
    with pytest.raises(Exception, match="cannot be read"):
        snapshot_at(z, "not a date")


def test_change_points_and_taxonomy() -> None:
    pal = _place("Tadmur")
    days = ["2015-05-20", "2015-05-22", "2016-03-28", "2016-12-12", "2017-03-03", "2025-02-01"]
    out = assign_zones(_events([(d, pal) for d in days]))
    assert out["controller_key"].tolist() == [
        "government",
        "is",
        "government",
        "is",
        "government",
        "transitional",
    ]
    assert out["controller_series"].tolist()[-1] == "state"
    assert out["controller_series"].iloc[0] == "state"
    # the HTS dissolution of 29 January 2025 changes the label, not the key
    idl = _place("Idlib")
    lab = assign_zones(_events([("2025-01-15", idl), ("2025-02-15", idl)]))
    assert lab["controller_key"].tolist() == ["transitional", "transitional"]
    assert lab["controller"].tolist() == [
        "Transitional government (HTS-led)",
        "Transitional state authorities",
    ]
    # YPG before 10 October 2015, SDF after: one series
    kobani = Point(38.35, 36.89)
    kob = assign_zones(_events([("2015-06-01", kobani), ("2016-06-01", kobani)]))
    assert kob["controller"].tolist() == ["YPG", "SDF"]
    assert kob["controller_series"].nunique() == 1
    # enclaves the Voronoi cells cannot draw: Qamishli airport, the east-bank villages
    enc = assign_zones(
        _events([("2022-06-01", Point(41.20, 37.025)), ("2022-06-01", _place("Khusham"))])
    )
    assert enc["controller_key"].tolist() == ["government", "government"]


def test_near_boundary_flags_and_distance() -> None:
    # al-Busayrah sits 1.5 km from the river line; Damascus is far from any line (2022)
    out = assign_zones(
        _events([("2022-06-01", _place("Al Busayrah")), ("2022-06-01", _place("Damascus"))])
    )
    assert out["near_boundary"].tolist() == [True, False]
    assert 0 < out["boundary_km"].iloc[0] < 3
    assert np.isnan(out["boundary_km"].iloc[1])
    assert out.attrs["zone_status_counts"]["near_boundary"] == 1


def test_shares_with_a_non_unique_index() -> None:
    ev = _events(
        [("2023-03-01", _place("Deir ez-Zor")), ("2023-03-01", _place("Tadmur"))],
        uncertainty_m=[30_000.0, 2_000.0],
    )
    ev.index = [7, 7]
    long = zone_shares(ev)
    sums = long.groupby("position")["share"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0, atol=1e-9)
    out = assign_zones(ev, shares=True)
    assert out.index.tolist() == [7, 7]
    assert 0 < out["zone_share"].iloc[0] < 1
    assert out["zone_share"].iloc[1] == pytest.approx(1.0)
    # shares work on every kind of snapshot (IS era, the offensive, after 2026)
    for day in ["2015-06-01", "2024-12-03", "2026-06-01"]:
        one = _events([(day, _place("Tadmur"))], uncertainty_m=[20_000.0])
        assert zone_shares(one)["share"].sum() == pytest.approx(1.0)


def test_shipped_zones_against_dated_control_facts() -> None:
    # 300+ dated facts from public reporting (tests/data/zone_control_facts.csv), 2014 -> 2026
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("eval_zones", root / "scripts/eval_zones.py")
    assert spec is not None and spec.loader is not None
    ev_mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ev_mod)
    facts = pd.read_csv(ev_mod.FACTS, dtype=str, keep_default_na=False)
    assert len(facts) >= 150
    years = pd.to_datetime(facts["date"]).dt.year
    assert set(range(2014, 2027)) <= set(years)  # every year has facts
    assert (facts["source"].str.len() > 10).all() and (facts["source_date"] != "").all()
    ev = gpd.GeoDataFrame(
        {"date": pd.to_datetime(facts["date"])},
        geometry=gpd.points_from_xy(facts["lon"].astype(float), facts["lat"].astype(float)),
        crs=4326,
    )
    a = assign_zones(ev)
    got = a["controller_key"].astype(object).where(a["zone_status"] == "ok")
    right = np.array([ev_mod.ok(e, g) for e, g in zip(facts["controller"], got, strict=True)])
    assert right.mean() >= 0.95, facts.loc[~right, ["place", "date", "controller"]]
    # the facts collected after the tables were corrected (never used to correct them)
    blind = (facts["batch"] == "c").to_numpy()
    assert blind.sum() >= 50 and right[blind].mean() >= 0.95


def test_shipped_snapshots_have_no_sliver_holes() -> None:
    # neighbouring zones share their edges exactly: the union of a snapshot has no hole
    z = load_zones()
    snaps = sorted(set(z["snapshot"]))
    for snap in snaps[::7] + ["2020-03-06", "2024-12-11"]:
        union = shapely.union_all(np.asarray(z[z["snapshot"] == snap].to_crs(32637).geometry))
        holes = [r for p in shapely.get_parts(union) for r in p.interiors]
        assert not holes, (snap, len(holes))
