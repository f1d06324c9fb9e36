"""nearest_places: the R-tree search against a brute-force geodesic oracle, alignment,
labels, and an index that grows with the gazetteer."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
from shapely.geometry import Point

import desertgeo
from desertgeo import CRSError, InputError
from desertgeo.gazetteer import Gazetteer
from desertgeo.reverse import DEFAULT_FEATURE_TYPES, compass_point, nearest_places, place_index

GEOD = pyproj.Geod(ellps="WGS84")


def brute_force(
    lon: np.ndarray, lat: np.ndarray, table: pd.DataFrame, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Place ids and distances (km) of the k nearest rows of ``table``: every pair measured."""
    plon = table["lon"].to_numpy(dtype="float64")
    plat = table["lat"].to_numpy(dtype="float64")
    ids = table["place_id"].to_numpy()
    out_ids, out_d = [], []
    for x, y in zip(lon, lat, strict=True):
        _, _, d = GEOD.inv(np.full(len(plon), x), np.full(len(plon), y), plon, plat)
        order = np.argsort(d, kind="stable")[:k]
        out_ids.append(ids[order])
        out_d.append(d[order] / 1000.0)
    return np.array(out_ids), np.array(out_d)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


def _events(lon: np.ndarray, lat: np.ndarray, **kw: object) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326, **kw)


def test_matches_brute_force_over_the_study_area(gaz: Gazetteer) -> None:
    rng = np.random.default_rng(20)
    # the study area, the empty desert south of it, and points right on places
    lon = np.r_[rng.uniform(35.5, 42.5, 150), rng.uniform(38.0, 42.0, 30)]
    lat = np.r_[rng.uniform(32.3, 37.3, 150), rng.uniform(29.0, 31.0, 30)]
    table = gaz.table
    wanted = table[table["feature_type"].isin(DEFAULT_FEATURE_TYPES)]
    on = wanted.sample(20, random_state=1)
    lon, lat = np.r_[lon, on["lon"]], np.r_[lat, on["lat"]]
    k = 3
    got = nearest_places(_events(lon, lat), k=k)
    ids, dist = brute_force(lon, lat, wanted, k)
    got_d = got["distance_km"].to_numpy().reshape(-1, k)
    np.testing.assert_allclose(got_d, dist, rtol=0, atol=1e-9)
    got_ids = got["place_id"].to_numpy().reshape(-1, k)
    # ids agree except where two places are equally far (duplicates at one point)
    differ = got_ids != ids
    assert not differ.any() or np.allclose(got_d[differ], dist[differ], atol=1e-9)
    assert (got_ids[:, 0] == ids[:, 0]).mean() > 0.97
    assert (got_d[-20:, 0] == 0).all()
    # the bearing is the event seen from the place, as pyproj gives it
    first = got.xs(1, level="rank")
    az, _, _ = GEOD.inv(first["place_lon"], first["place_lat"], lon, lat)
    moved = first["distance_km"].to_numpy() > 0
    np.testing.assert_allclose(first["bearing_deg"][moved], np.mod(az, 360)[moved], atol=1e-9)


def test_every_feature_type_and_sites(gaz: Gazetteer) -> None:
    # the T4 airbase (a curated site) is its own nearest place when sites are allowed
    sites = datasets_sites()
    t4 = sites[sites["site_id"] == "t4-tiyas-airbase"]
    r_all = nearest_places(t4, feature_types=None)
    assert r_all["place_id"].iloc[0] == "site:t4-tiyas-airbase"
    assert r_all["distance_km"].iloc[0] == 0
    r_towns = nearest_places(t4)
    assert r_towns["feature_type"].iloc[0] in DEFAULT_FEATURE_TYPES
    _, dist = brute_force(
        t4.geometry.x.to_numpy(),
        t4.geometry.y.to_numpy(),
        gaz.table[gaz.table["feature_type"].isin(DEFAULT_FEATURE_TYPES)],
        1,
    )
    assert r_towns["distance_km"].iloc[0] == pytest.approx(dist[0, 0], abs=1e-9)


def datasets_sites() -> gpd.GeoDataFrame:
    return desertgeo.datasets.load("sites")


def test_aligned_to_the_input_nothing_dropped() -> None:
    pts = [Point(38.9, 34.9), None, Point(), Point(40.1, 35.3)]
    ev = gpd.GeoDataFrame({"x": [1, 2, 3, 4]}, geometry=pts, crs=4326, index=[40, 10, 30, 20])
    before = ev.copy()
    r = nearest_places(ev)
    assert r.index.tolist() == [40, 10, 30, 20]
    assert r["reason"].tolist() == ["", "no point", "no point", ""]
    assert r.loc[[10, 30], "distance_km"].isna().all()
    assert r.loc[[10, 30], "place"].isna().all()
    assert r.loc[[40, 20], "label"].str.contains(" of |^at ").all()
    pd.testing.assert_frame_equal(ev, before)  # the caller's frame is not touched
    r2 = nearest_places(ev, k=2)
    assert r2.index.get_level_values(0).tolist() == [40, 40, 10, 10, 30, 30, 20, 20]
    assert r2.index.get_level_values("rank").tolist() == [1, 2] * 4
    assert (r2.loc[40, "distance_km"].diff().dropna() >= 0).all()
    empty = nearest_places(ev.iloc[:0])
    assert len(empty) == 0
    assert "label" in empty.columns


def test_reprojected_events_give_the_same_answer() -> None:
    ev = _events(np.array([38.95, 40.3]), np.array([34.97, 35.2]))
    utm = ev.to_crs(32637)
    a, b = nearest_places(ev), nearest_places(utm)
    assert a["place_id"].tolist() == b["place_id"].tolist()
    np.testing.assert_allclose(a["distance_km"], b["distance_km"], atol=1e-6)
    with pytest.raises(CRSError):
        nearest_places(gpd.GeoDataFrame(geometry=[Point(38, 34)]))
    with pytest.raises(InputError, match="points"):
        nearest_places(gpd.GeoDataFrame(geometry=[Point(38, 34).buffer(1)], crs=4326))
    with pytest.raises(InputError, match="positive integer"):
        nearest_places(ev, k=0)
    with pytest.raises(InputError, match="Gazetteer"):
        nearest_places(ev, gazetteer=pd.DataFrame())  # type: ignore[arg-type]


def test_label_distance_and_direction() -> None:
    mine = Gazetteer(
        pd.DataFrame(
            {"place_id": ["me:1"], "name": ["As Sukhnah"], "lon": [38.8711], "lat": [34.88533]}
        )
    )
    lon, lat, _ = GEOD.fwd(38.8711, 34.88533, 45.0, 12_000.0)
    r = nearest_places(_events(np.array([lon]), np.array([lat])), gazetteer=mine)
    assert r["label"].iloc[0] == "12 km NE of As Sukhnah"
    assert r["bearing_deg"].iloc[0] == pytest.approx(45.0, abs=1e-6)
    assert r["distance_km"].iloc[0] == pytest.approx(12.0, abs=1e-6)
    assert r["direction"].iloc[0] == "NE"
    # fewer places than k: the missing ranks say so
    r3 = nearest_places(_events(np.array([lon]), np.array([lat])), k=3, gazetteer=mine)
    assert r3["reason"].tolist() == ["", "no place", "no place"]
    assert r3["distance_km"].isna().tolist() == [False, True, True]
    assert [compass_point(b) for b in (22.4, 22.6, 359.9, -90.0)] == ["N", "NE", "N", "W"]


def test_the_index_grows_with_the_gazetteer(gaz: Gazetteer) -> None:
    ev = _events(np.array([38.70]), np.array([34.10]))
    before = nearest_places(ev, gazetteer=gaz)
    base = place_index(gaz, DEFAULT_FEATURE_TYPES)
    assert place_index(gaz, DEFAULT_FEATURE_TYPES) is base  # cached
    grown = gaz.add("Bir al-Test", 38.701, 34.101)
    after = nearest_places(ev, gazetteer=grown)
    assert after["place"].iloc[0] == "Bir al-Test"
    assert after["distance_km"].iloc[0] < 0.2
    idx = place_index(grown, DEFAULT_FEATURE_TYPES)
    # the old R-tree is reused; only the added row got a tree of its own
    assert idx.segments[: len(base.segments)] == base.segments
    assert idx.segments[-1].stop - idx.segments[-1].start == 1
    # the original gazetteer is unchanged, and so are its answers
    again = nearest_places(ev, gazetteer=gaz)
    pd.testing.assert_frame_equal(again, before)
    # one more step: still the oracle's answer
    twice = grown.add("Bir al-Test 2", 38.69, 34.09)
    table = twice.table
    ids, dist = brute_force(
        np.array([38.70]),
        np.array([34.10]),
        table[table["feature_type"].isin(DEFAULT_FEATURE_TYPES)],
        2,
    )
    r = nearest_places(ev, k=2, gazetteer=twice)
    assert r["place_id"].tolist() == ids[0].tolist()
    np.testing.assert_allclose(r["distance_km"], dist[0], atol=1e-9)


def test_min_population_names_towns(gaz: Gazetteer) -> None:
    ev = _events(np.array([38.35]), np.array([34.62]))
    r = nearest_places(ev, min_population=10_000)
    table = gaz.table
    pop = pd.to_numeric(table["population"], errors="coerce").fillna(0)
    big = table[table["feature_type"].isin(DEFAULT_FEATURE_TYPES) & (pop >= 10_000)]
    ids, dist = brute_force(np.array([38.35]), np.array([34.62]), big, 1)
    assert r["place_id"].iloc[0] == ids[0, 0]
    assert r["distance_km"].iloc[0] == pytest.approx(dist[0, 0], abs=1e-9)


def test_exported_at_top_level() -> None:
    assert desertgeo.nearest_places is nearest_places
    assert "nearest_places" in desertgeo.__all__


def test_a_frame_of_named_points_as_gazetteer() -> None:
    frame = gpd.GeoDataFrame(
        {"name": ["A", "B"]}, geometry=[Point(38.9, 34.95), Point(40.0, 35.1)], crs=4326
    )
    ev = gpd.GeoSeries([Point(38.9, 34.9), Point(40.0, 35.0)], crs=4326, index=["x", "y"])
    r = nearest_places(ev, gazetteer=frame)
    assert r["place"].tolist() == ["A", "B"]
    _, _, d = GEOD.inv([38.9, 40.0], [34.9, 35.0], [38.9, 40.0], [34.95, 35.1])
    np.testing.assert_allclose(r["distance_km"], np.asarray(d) / 1000, atol=1e-9)
    assert r["label"].tolist() == ["5.5 km S of A", "11 km S of B"]
    # a filter that nothing passes: every row says so, none is dropped
    none = nearest_places(ev, feature_types=["no such type"])
    assert none["reason"].tolist() == ["no place", "no place"]
    with pytest.raises(CRSError):
        nearest_places(ev, gazetteer=gpd.GeoDataFrame({"name": ["A"]}, geometry=[Point(1, 2)]))


def test_a_place_named_in_arabic_only_is_labelled_in_latin(gaz: Gazetteer) -> None:
    table = gaz.table
    rec = table[table["place_id"] == "wof:421197935"].iloc[0]  # Tadmur, recorded as تدمر
    assert rec["name"] == "تدمر"
    ev = _events(np.array([rec["lon"]]), np.array([rec["lat"] - 0.06]))
    r = nearest_places(ev, feature_types=None, min_population=40_000)
    assert r["place_id"].iloc[0] == "wof:421197935"
    assert r["place"].iloc[0] == "تدمر"  # the record as it is
    assert r["label"].iloc[0].endswith(" S of Palmyra")
