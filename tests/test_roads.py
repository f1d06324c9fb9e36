"""Tests of the shipped roads: sourced waypoints, held-out checkpoints, the build script."""

from __future__ import annotations

import csv
import importlib.util
import itertools
import json
import shutil
import unicodedata
from pathlib import Path
from types import ModuleType

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely

from desertgeo import datasets
from desertgeo.distance import distance_to, geodesic_distance_to_lines

ROOT = Path(__file__).resolve().parents[1]
CHECKPOINTS = ROOT / "tests" / "data" / "road_checkpoints.csv"
GEOD = pyproj.Geod(ellps="WGS84")

#: the roads issue 20 asks for, by road_id, with two places each must pass near (km)
REQUIRED = {
    "m2-damascus-baghdad": ("Damascus", "al-Walid crossing (Iraq)"),
    "damascus-palmyra": ("Ad Dumayr", "Tadmur"),
    "m20-homs-deir-ez-zor": ("Al Furqlus", "Arak"),
    "palmyra-qaryatayn": ("Tadmur", "Al Qaryatayn"),
    "ithriya-khanasir-aleppo": ("Khanasir", "Aleppo"),
    "salamiyah-ithriya-raqqa": ("Athriya", "Resafa"),
    "raqqa-deir-ez-zor-south-bank": ("Ar Raqqah", "Deir ez-Zor"),
    "euphrates-deir-ez-zor-albu-kamal": ("Al Mayadin", "Albu Kamal"),
    "euphrates-east-bank": ("Al Busayrah", "Hajin"),
    "deir-ez-zor-hasakah": ("Deir ez-Zor", "Al Hasakah"),
}


def _fold(name: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_.casefold() if ch.isalnum())


def _build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_roads", ROOT / "scripts" / "build_roads.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _checkpoints() -> pd.DataFrame:
    return pd.read_csv(CHECKPOINTS, dtype={"road_id": str})


def _waypoints() -> pd.DataFrame:
    return pd.read_csv(datasets.data_dir() / "roads" / "waypoints.csv")


def checkpoint_distances() -> pd.DataFrame:
    """Geodesic distance (km) from every held-out checkpoint to its road's line."""
    roads = datasets.load("roads").set_index("road_id")
    cp = _checkpoints()
    dist = []
    for _, row in cp.iterrows():
        d, _, _, _ = geodesic_distance_to_lines(
            [row.lon], [row.lat], [roads.loc[row.road_id].geometry]
        )
        dist.append(float(d[0]) / 1000.0)
    return cp.assign(
        dist_km=dist, accuracy_km=roads.loc[cp["road_id"], "accuracy_m"].to_numpy() / 1000
    )


def test_required_roads_with_their_places() -> None:
    roads = datasets.load("roads").set_index("road_id")
    wp = _waypoints()
    for road_id, names in REQUIRED.items():
        assert road_id in roads.index, road_id
        on = wp[wp["road_id"] == road_id]
        folded = {_fold(n) for n in on["name"]}
        for name in names:
            assert _fold(name) in folded, (road_id, name)
        assert roads.loc[road_id, "n_waypoints"] == len(on) >= 3, road_id
    assert roads["approximate"].all()
    for col in ("name", "aliases", "from", "to", "accuracy_m", "approximate", "source"):
        assert col in roads.columns, col
    # the old ids stay (geocoder, maps and saved results refer to them)
    assert {"m5-damascus-homs", "palmyra-tanf"} <= set(roads.index)


def test_lines_are_the_sourced_waypoints_in_order() -> None:
    roads = datasets.load("roads").set_index("road_id")
    wp = _waypoints()
    assert wp["source"].str.strip().str.len().gt(0).all()
    assert wp["on_road"].str.strip().str.len().gt(0).all()
    for road_id, grp in wp.groupby("road_id"):
        grp = grp.sort_values("seq")
        assert grp["seq"].tolist() == list(range(1, len(grp) + 1))
        coords = np.asarray(roads.loc[road_id].geometry.coords)
        np.testing.assert_allclose(coords, grp[["lon", "lat"]].to_numpy(), atol=1e-6)
        assert roads.loc[road_id, "waypoint_ids"].split("|") == grp["ref"].tolist()
        length = GEOD.geometry_length(roads.loc[road_id].geometry) / 1000
        assert roads.loc[road_id, "length_km"] == pytest.approx(length, abs=0.06)


def test_one_name_or_number_means_one_road() -> None:
    roads = datasets.load("roads")
    owner: dict[str, str] = {}
    for _, r in roads.iterrows():
        for alias in [r["name"], *r["aliases"].split("|")]:
            key = alias.strip().casefold()
            assert owner.setdefault(key, r["road_id"]) == r["road_id"], alias
    assert owner["m20"] == "m20-homs-deir-ez-zor"
    assert owner["m2"] == "m2-damascus-baghdad"
    assert owner["ithriya-raqqa road"] == "salamiyah-ithriya-raqqa"


def test_checkpoints_are_held_out_and_documented() -> None:
    cp = _checkpoints()
    wp = _waypoints()
    assert len(cp) >= 6
    assert cp["source"].str.len().gt(0).all()
    assert cp["on_road"].str.len().gt(0).all()
    for _, row in cp.iterrows():
        own = wp[wp["road_id"] == row.road_id]
        _, _, d = GEOD.inv(
            np.full(len(own), row.lon), np.full(len(own), row.lat), own["lon"], own["lat"]
        )
        # not a point the line was drawn through (nor a copy of one)
        assert d.min() > 500, (row.road_id, row["name"], d.min())
        assert row["ref"] not in set(own["ref"]) or row["ref"] == "wikipedia"


def test_checkpoints_within_each_roads_stated_accuracy() -> None:
    d = checkpoint_distances()
    bad = d[d["dist_km"] > d["accuracy_km"]]
    assert bad.empty, bad[["road_id", "name", "dist_km", "accuracy_km"]].to_string()
    # and the same distances through the public API (road target by id)
    for road_id, grp in d.groupby("road_id"):
        pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(grp["lon"], grp["lat"]), crs=4326)
        api = distance_to(pts, f"road:{road_id}")
        np.testing.assert_allclose(api.iloc[:, 0].to_numpy(), grp["dist_km"].to_numpy(), atol=1e-9)


#: issue 20's goal for every documented point held out from the lines
GOAL_KM = 3.0
#: roads for which no documented held-out point was found (their accuracy_basis says so)
UNCHECKED = {"palmyra-qaryatayn", "palmyra-tanf"}


def test_every_documented_point_within_3_km() -> None:
    d = checkpoint_distances()
    assert len(d) >= 20
    bad = d[d["dist_km"] > GOAL_KM]
    assert bad.empty, bad[["road_id", "name", "dist_km"]].to_string()
    roads = datasets.load("roads")
    checked = set(d["road_id"])
    # every road has held-out points except the two whose stated basis says none was found
    assert checked == set(roads["road_id"]) - UNCHECKED
    basis = pd.read_csv(datasets.data_dir() / "roads" / "roads.csv").set_index("road_id")
    for road_id in UNCHECKED:
        assert "no held-out point" in basis.loc[road_id, "accuracy_basis"], road_id
    for road_id in checked:
        assert "held out" in basis.loc[road_id, "accuracy_basis"], road_id


def test_fixed_waypoints_bring_the_points_that_showed_them_in() -> None:
    """Ziyanat (Khabur road), Khan Abu al-Shamat (Palmyra road), Adra and Khan al-Arus (M5)
    were added after the check showed the lines 9.1, 10.1, 5.9 and 6.4 km off; without each
    the old line fails again."""
    wp = _waypoints()
    for road_id, added, far_km in (
        ("deir-ez-zor-hasakah", "wof:1343373085", 9.0),
        ("damascus-palmyra", "wof:1209612083", 10.0),
        ("m5-damascus-homs", "wof:1293769267", 5.5),
        ("m5-damascus-homs", "wof:1243449745", 6.0),
    ):
        own = wp[wp["road_id"] == road_id].sort_values("seq")
        assert added in set(own["ref"])
        pt = own[own["ref"] == added].iloc[0]
        rest = own[own["ref"] != added]
        old = shapely.LineString(rest[["lon", "lat"]].to_numpy())
        d, _, _, _ = geodesic_distance_to_lines([pt.lon], [pt.lat], [old])
        assert d[0] / 1000 > far_km, (road_id, d[0])


def test_build_is_reproducible(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(datasets.data_dir() / "roads", data / "roads")
    shutil.copytree(datasets.data_dir() / "gazetteer", data / "gazetteer")
    shutil.copy(datasets.data_dir() / "manifest.json", data / "manifest.json")
    facts = _build_module().build(data)
    shipped = (datasets.data_dir() / "roads" / "roads.geojson").read_bytes()
    assert (data / "roads" / "roads.geojson").read_bytes() == shipped
    assert facts["roads"] == len(datasets.load("roads"))
    m = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    assert (
        m["datasets"]["roads"]
        == json.loads((datasets.data_dir() / "manifest.json").read_text(encoding="utf-8"))[
            "datasets"
        ]["roads"]
    )


def _copy_tables(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(datasets.data_dir() / "roads", data / "roads")
    shutil.copytree(datasets.data_dir() / "gazetteer", data / "gazetteer")
    return data


def _rewrite(file: Path, edit: object) -> None:
    with file.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = list(reader.fieldnames or [])
        rows = [dict(r) for r in reader]
    rows = edit(rows)  # type: ignore[operator]
    with file.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_build_refuses_bad_rows(tmp_path: Path) -> None:
    mod = _build_module()
    data = _copy_tables(tmp_path)

    def dup_alias(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        rows[1]["aliases"] += "|M20"
        return rows

    _rewrite(data / "roads" / "roads.csv", dup_alias)
    with pytest.raises(mod.BuildError, match="one name or number must mean one road"):
        mod.build(data)
    data = _copy_tables(tmp_path / "b")

    def moved(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        first = next(r for r in rows if r["ref"].startswith("geonames:"))
        first["lat"] = f"{float(first['lat']) + 0.01:.5f}"
        return rows

    _rewrite(data / "roads" / "waypoints.csv", moved)
    with pytest.raises(mod.BuildError, match="differ from geonames"):
        mod.build(data)
    data = _copy_tables(tmp_path / "c")
    _rewrite(data / "roads" / "waypoints.csv", lambda rows: [rows[0], *rows[2:]])
    with pytest.raises(mod.BuildError, match="number them"):
        mod.build(data)
    data = _copy_tables(tmp_path / "d")

    def nosource(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        rows[3]["source"] = " "
        return rows

    _rewrite(data / "roads" / "waypoints.csv", nosource)
    with pytest.raises(mod.BuildError, match="needs a source"):
        mod.build(data)
    assert mod.main(["--data", str(data)]) == 1


def test_geodesic_checkpoint_distance_matches_densified_brute_force() -> None:
    """The checkpoint distances are geodesic: brute force over the densified lines agrees."""
    roads = datasets.load("roads").set_index("road_id")
    d = checkpoint_distances()
    for _, row in d.iterrows():
        line = roads.loc[row.road_id].geometry
        coords = np.asarray(line.coords)
        best = np.inf
        for (x0, y0), (x1, y1) in itertools.pairwise(coords):
            pts = GEOD.npts(x0, y0, x1, y1, 2000, initial_idx=0, terminus_idx=0)
            xs, ys = np.asarray(pts).T
            _, _, dd = GEOD.inv(np.full(len(xs), row.lon), np.full(len(xs), row.lat), xs, ys)
            best = min(best, float(dd.min()))
        seg = max(
            GEOD.line_length([a[0], b[0]], [a[1], b[1]]) for a, b in itertools.pairwise(coords)
        )
        # sampling every <= seg / 2000 m bounds the brute force's own error
        assert row.dist_km * 1000 == pytest.approx(best, abs=seg / 2000 / 2 + 1e-3), row["name"]
        assert row.dist_km * 1000 <= best + 1e-3
    assert shapely.get_num_coordinates(np.asarray(roads.geometry.array)).sum() > 90
