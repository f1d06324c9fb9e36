"""Tests of desertgeo.hotspot: Gi* against esda, FDR, grid, Knox test against brute force."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from desertgeo import CRSError, InputError, datasets
from desertgeo._geodesy import haversine_km
from desertgeo.hotspot import benjamini_hochberg, getis_ord_gi_star, hotspots, knox_test


def events(n: int = 600, seed: int = 0) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    lon = np.concatenate([rng.normal(38.87, 0.05, n // 3), rng.uniform(37.5, 40.5, n - n // 3)])
    lat = np.concatenate([rng.normal(34.89, 0.05, n // 3), rng.uniform(33.5, 35.5, n - n // 3)])
    fat = rng.integers(0, 5, n)
    return gpd.GeoDataFrame(
        {"fatalities": pd.array(fat, dtype="Int64")},
        geometry=gpd.points_from_xy(lon, lat),
        crs=4326,
    )


@pytest.mark.parametrize("shape", ["hex", "square"])
def test_gi_star_matches_esda(shape: str) -> None:
    pytest.importorskip("esda")
    from esda.getisord import G_Local
    from libpysal.weights import W
    from scipy.spatial import cKDTree

    h = hotspots(events(), cell_km=15, shape=shape, weight="fatalities")
    cells = h.to_crs(32637)
    cx, cy = cells.geometry.centroid.x.to_numpy(), cells.geometry.centroid.y.to_numpy()
    radius = 15_000 * (np.sqrt(2) if shape == "square" else 1.0) * 1.001
    pairs = cKDTree(np.column_stack([cx, cy])).query_pairs(radius, output_type="ndarray")
    neigh: dict[int, list[int]] = {i: [] for i in range(len(h))}
    for a, b in pairs:
        neigh[int(a)].append(int(b))
        neigh[int(b)].append(int(a))
    expected_deg = 6 if shape == "hex" else 8
    assert max(len(v) for v in neigh.values()) == expected_deg
    w = W(neigh, silence_warnings=True)
    g = G_Local(h["value"].to_numpy(), w, transform="B", star=True, permutations=0)
    np.testing.assert_allclose(h["gi_z"].to_numpy(), g.Zs, rtol=1e-9, atol=1e-9)
    # the cell values are the fatalities summed over the events in each cell
    ev = events()
    assert h["value"].sum() == ev["fatalities"].sum()
    assert h["n_events"].sum() == len(ev)


def test_hotspot_classes_and_fdr() -> None:
    h = hotspots(events(), cell_km=10)
    assert list(h.columns) == [
        "cell_id", "n_events", "value", "gi_z", "p_value", "p_fdr", "hotspot", "geometry",
    ]  # fmt: skip
    assert h.crs.to_epsg() == 4326
    np.testing.assert_allclose(h["p_fdr"], benjamini_hochberg(h["p_value"].to_numpy()))
    assert (h["p_fdr"] >= h["p_value"] - 1e-15).all()
    hot = h[h["hotspot"] == "hot"]
    assert len(hot) >= 7
    assert (hot["gi_z"] > 0).all()
    assert (hot["p_fdr"] < 0.05).all()
    # the dense blob around Sukhnah is inside the hot cells
    assert hot.union_all().contains(Point(38.87, 34.89))
    assert not (h[h["hotspot"] == "not significant"]["p_fdr"] < 0.05).any()
    raw = hotspots(events(), cell_km=10, fdr=False)
    assert (raw["hotspot"] != "not significant").sum() >= len(hot)
    # cells are hexagons of about cell_km across
    area_km2 = h.to_crs(32637).area.median() / 1e6
    assert area_km2 == pytest.approx(np.sqrt(3) / 2 * 100, rel=0.01)


def test_gi_star_known_values() -> None:
    x = np.array([1.0, 1.0, 1.0, 1.0])
    assert (getis_ord_gi_star(x, np.array([0]), np.array([1])) == 0).all()  # no variance
    z = getis_ord_gi_star(np.array([5.0, 0.0, 0.0, 0.0, 0.0]), np.array([1]), np.array([2]))
    # cell 0 alone: (5 - 1) / (2 * sqrt((5 - 1) / 4)) = 2
    assert z[0] == pytest.approx(2.0)


def test_benjamini_hochberg_by_hand() -> None:
    p = np.array([0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216])
    q = benjamini_hochberg(p)
    assert q[0] == pytest.approx(0.01)
    assert q[1] == pytest.approx(0.04)
    assert q[2] == pytest.approx(0.042 * 10 / 5)  # monotone step-up
    assert q[-1] == pytest.approx(0.216)


def test_hotspots_input_checks() -> None:
    with pytest.raises(CRSError):
        hotspots(gpd.GeoDataFrame(geometry=[Point(38, 34)]))
    with pytest.raises(InputError, match="shape"):
        hotspots(events(30), shape="triangle")
    with pytest.raises(InputError, match="weight"):
        hotspots(events(30), weight="nope")
    ev = events(30)
    ev.loc[ev.index[0], "geometry"] = None
    h = hotspots(ev, cell_km=20)
    assert h.attrs["n_skipped"] == 1
    assert h["n_events"].sum() == 29


def test_knox_observed_counts_match_brute_force() -> None:
    rng = np.random.default_rng(5)
    n = 400
    lon, lat = rng.uniform(38, 39, n), rng.uniform(34, 35, n)
    days = rng.integers(0, 365, n)
    # near repeats: 60 events follow an earlier one within 2 km and 3 days
    src = rng.integers(0, 200, 60)
    lon[200:260], lat[200:260] = lon[src] + 0.005, lat[src]
    days[200:260] = days[src] + rng.integers(0, 3, 60)
    ev = gpd.GeoDataFrame(
        {"date": pd.Timestamp("2022-01-01") + pd.to_timedelta(days, unit="D")},
        geometry=gpd.points_from_xy(lon, lat),
        crs=4326,
    )
    r = knox_test(ev, 2.0, 3, permutations=199, seed=0)
    d = haversine_km(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
    iu = np.triu_indices(n, 1)
    close_s = d[iu] <= 2.0
    close_t = np.abs(days[:, None] - days[None, :])[iu] <= 3
    assert r.n_close_space == int(close_s.sum())
    assert r.n_close_time == int(close_t.sum())
    assert r.observed == int((close_s & close_t).sum())
    assert r.observed >= 60
    assert r.p_value == pytest.approx(1 / 200)
    assert r.ratio > 5
    # no interaction: dates shuffled away from places
    ev2 = ev.assign(date=ev["date"].sample(frac=1, random_state=1).to_numpy())
    r2 = knox_test(ev2, 2.0, 3, permutations=199, seed=0)
    assert r2.p_value > 0.01


@pytest.mark.parametrize("cell_km", [float("inf"), float("nan"), 1e-6, 0.001, -5, 0])
def test_hostile_cell_sizes_are_clear_errors(cell_km: float) -> None:
    ev = datasets.load("demo_events")
    with pytest.raises(InputError, match=r"cell_km|cells"):
        hotspots(ev, cell_km=cell_km)


def test_knox_with_timezone_aware_dates_uses_each_events_own_calendar() -> None:
    ev = datasets.load("demo_events")
    aware = ev.copy()
    aware["date"] = pd.to_datetime(aware["date"]).dt.tz_localize("Asia/Damascus")
    a = knox_test(aware, 5, 7, permutations=19, seed=3)
    b = knox_test(ev, 5, 7, permutations=19, seed=3)
    assert a.observed == b.observed > 0
    assert a.p_value == b.p_value
