"""Tests of desertgeo.clustering: exactness against scikit-learn and brute force, contracts."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from shapely.geometry import Point

from desertgeo import CRSError, InputError
from desertgeo._geodesy import EARTH_RADIUS_KM, haversine_km
from desertgeo.clustering import cluster, nearest_place, summarize_clusters, track_clusters


def synthetic(n: int, seed: int = 0, n_blobs: int = 60, dup_frac: float = 0.4):
    """Clustered blobs over Syria's extent, many events on shared places, 10 % noise."""
    rng = np.random.default_rng(seed)
    lon0, lon1, lat0, lat1 = 35.8, 42.3, 32.4, 37.2
    blon, blat = rng.uniform(lon0, lon1, n_blobs), rng.uniform(lat0, lat1, n_blobs)
    sig = rng.uniform(2, 20, n_blobs) / 111.0
    bw = rng.pareto(1.2, n_blobs) + 1
    bw /= bw.sum()
    n_places = max(50, n // 25)
    pb = rng.choice(n_blobs, n_places, p=bw)
    plat = blat[pb] + rng.normal(0, 1, n_places) * sig[pb]
    plon = blon[pb] + rng.normal(0, 1, n_places) * sig[pb] / np.cos(np.radians(plat))
    nd, nn = int(n * dup_frac), int(n * 0.1)
    nb = n - nd - nn
    pi = rng.integers(0, n_places, nd)
    b = rng.choice(n_blobs, nb, p=bw)
    lat_b = blat[b] + rng.normal(0, 1, nb) * sig[b]
    lon_b = blon[b] + rng.normal(0, 1, nb) * sig[b] / np.cos(np.radians(lat_b))
    lon = np.concatenate([plon[pi], lon_b, rng.uniform(lon0, lon1, nn)])
    lat = np.concatenate([plat[pi], lat_b, rng.uniform(lat0, lat1, nn)])
    p = rng.permutation(n)
    return lon[p], lat[p]


def same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    """True when label arrays a and b define the same partition (up to renumbering)."""
    pairs = np.unique(np.column_stack([a, b]), axis=0)
    return len(pairs) == len(np.unique(a)) == len(np.unique(b))


def check_against_sklearn(n: int, eps_km: float, min_events: int, seed: int) -> None:
    from sklearn.cluster import DBSCAN

    lon, lat = synthetic(n, seed)
    assert len(np.unique(np.column_stack([lon, lat]), axis=0)) < 0.7 * n  # many duplicates
    ev = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)
    ours = cluster(ev, eps_km=eps_km, min_events=min_events).to_numpy(dtype=np.int64)
    sk = DBSCAN(
        eps=eps_km / EARTH_RADIUS_KM,
        min_samples=min_events,
        metric="haversine",
        algorithm="ball_tree",
    ).fit(np.radians(np.column_stack([lat, lon])))
    core = np.zeros(n, dtype=bool)
    core[sk.core_sample_indices_] = True
    assert core.sum() > n // 4
    assert sk.labels_.max() > 5
    # core points: exactly the same partition
    assert same_partition(ours[core], sk.labels_[core])
    # noise: exactly the same points
    np.testing.assert_array_equal(ours == -1, sk.labels_ == -1)
    # border points: attached to a cluster owning a core point within eps
    from sklearn.neighbors import BallTree

    border = np.nonzero(~core & (ours >= 0))[0]
    tree = BallTree(np.radians(np.column_stack([lat[core], lon[core]])), metric="haversine")
    hits = tree.query_radius(
        np.radians(np.column_stack([lat[border], lon[border]])), eps_km / EARTH_RADIUS_KM
    )
    core_labels = ours[core]
    for i, h in zip(border, hits, strict=True):
        assert ours[i] in set(core_labels[h])


def test_dbscan_matches_sklearn_haversine_20k() -> None:
    check_against_sklearn(20_000, eps_km=3.0, min_events=8, seed=1)


def test_dbscan_matches_sklearn_haversine_50k() -> None:
    check_against_sklearn(50_000, eps_km=2.0, min_events=10, seed=2)


def test_dbscan_neighbourhood_is_exact_at_eps() -> None:
    # points due north of each other at eps * (1 -/+ 1e-6) great-circle distance
    eps = 5.0
    dlat = np.degrees(eps / EARTH_RADIUS_KM)
    lats = [34.0, 34.0 + dlat * (1 - 1e-6), 34.0 + 2 * dlat * (1 - 1e-6) + dlat * 2e-6 * 2]
    ev = gpd.GeoDataFrame(geometry=[Point(38.0, y) for y in lats], crs=4326)
    d = haversine_km(np.full(2, 38.0), np.array(lats[:2]), np.full(2, 38.0), np.array(lats[1:]))
    assert d[0] < eps < d[1]
    assert cluster(ev, eps_km=eps, min_events=2).tolist() == [0, 0, -1]


def space_time_reference(lon, lat, days, eps_km, time_days, min_events):
    d = haversine_km(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
    nb = (d <= eps_km) & (np.abs(days[:, None] - days[None, :]) <= time_days)
    core = nb.sum(axis=1) >= min_events
    _, comp = connected_components(csr_matrix(nb[np.ix_(core, core)]), directed=False)
    return nb, core, comp


@pytest.mark.parametrize(
    ("time_days", "seed", "min_events"), [(5.0, 3, 6), (0.0, 4, 3), (30.0, 5, 6)]
)
def test_st_dbscan_matches_brute_force_5k(time_days: float, seed: int, min_events: int) -> None:
    rng = np.random.default_rng(seed)
    n, n_places = 5000, 60
    plon, plat = rng.uniform(37, 40, n_places), rng.uniform(33, 36, n_places)
    pi = rng.integers(0, n_places, n)
    lon, lat = plon[pi].copy(), plat[pi].copy()
    jit = rng.random(n) < 0.3
    lon[jit] += rng.normal(0, 0.05, jit.sum())
    lat[jit] += rng.normal(0, 0.05, jit.sum())
    dates = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 60, n), unit="D")
    # many events share a place and a day
    assert pd.DataFrame({"a": lon, "b": lat, "d": dates}).duplicated().sum() > 1000
    ev = gpd.GeoDataFrame({"date": dates}, geometry=gpd.points_from_xy(lon, lat), crs=4326)
    eps = 8.0
    ours = cluster(
        ev, "st-dbscan", eps_km=eps, time_days=time_days, min_events=min_events
    ).to_numpy(dtype=np.int64)
    days = ((dates - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1)).to_numpy()
    nb, core, comp = space_time_reference(lon, lat, days, eps, time_days, min_events)
    assert core.sum() > 400
    assert comp.max() > 10
    assert same_partition(ours[core], comp)
    reach = nb[:, core].any(axis=1)
    np.testing.assert_array_equal(ours == -1, ~core & ~reach)
    core_lab = np.full(n, -1)
    core_lab[core] = ours[core]
    for i in np.nonzero(~core & reach)[0]:
        assert ours[i] in set(core_lab[nb[i] & core])


def test_st_dbscan_same_place_and_day_events_cluster() -> None:
    # the PyPI st-dbscan failure: 25k events on 5 places x 5 days
    rng = np.random.default_rng(0)
    place = rng.integers(0, 5, 25_000)
    day = rng.integers(0, 5, 25_000) * 100  # days far apart
    lon = 37.0 + place * 0.5
    ev = gpd.GeoDataFrame(
        {"date": pd.Timestamp("2020-01-01") + pd.to_timedelta(day, unit="D")},
        geometry=gpd.points_from_xy(lon, np.full(len(lon), 34.0)),
        crs=4326,
    )
    lab = cluster(ev, "st-dbscan", eps_km=1, time_days=1, min_events=5)
    assert (lab >= 0).all()
    assert lab.nunique() == 25
    key = place * 10 + day // 100
    assert same_partition(lab.to_numpy(dtype=np.int64), key)


def test_labels_aligned_na_rule_and_no_mutation() -> None:
    pts = [Point(38.87, 34.89)] * 3 + [None, Point(), Point(40.14, 35.33)]
    ev = gpd.GeoDataFrame(
        {"date": pd.to_datetime(["2023-01-01", None, "2023-01-01", "2023-01-01", None, None])},
        geometry=pts,
        index=pd.Index([10, 5, 7, 3, 2, 99], name="row"),
        crs=4326,
    )
    before = ev.copy()
    lab = cluster(ev, eps_km=5, min_events=3)
    assert lab.name == "cluster"
    assert str(lab.dtype) == "Int64"
    assert lab.index.equals(ev.index)
    assert lab.tolist() == [0, 0, 0, pd.NA, pd.NA, -1]
    st = cluster(ev, "st-dbscan", eps_km=5, time_days=1, min_events=2)
    assert st.tolist() == [0, pd.NA, 0, pd.NA, pd.NA, pd.NA]
    pd.testing.assert_frame_equal(ev, before)


def test_reprojects_and_requires_crs() -> None:
    ev = gpd.GeoDataFrame(geometry=[Point(38.87, 34.89)] * 3 + [Point(39.5, 34.0)], crs=4326)
    utm = ev.to_crs(32637)
    assert cluster(utm, eps_km=1, min_events=3).tolist() == [0, 0, 0, -1]
    with pytest.raises(CRSError):
        cluster(gpd.GeoDataFrame(geometry=[Point(38, 34)]))
    with pytest.raises(InputError, match="method"):
        cluster(ev, method="kmeans")
    with pytest.raises(InputError, match="time_days"):
        cluster(ev, "st-dbscan", eps_km=1)


def test_deterministic_numbering_by_first_row() -> None:
    lon, lat = synthetic(3000, seed=7)
    ev = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)
    a = cluster(ev, eps_km=3, min_events=5)
    assert a.equals(cluster(ev, eps_km=3, min_events=5))
    first = a[a >= 0].drop_duplicates()
    assert first.tolist() == list(range(len(first)))
    perm = np.random.default_rng(1).permutation(len(ev))
    b = cluster(ev.iloc[perm], eps_km=3, min_events=5).reindex(ev.index)
    core_like = (a >= 0).to_numpy()
    assert same_partition(a[core_like].to_numpy(np.int64), b[core_like].to_numpy(np.int64))


def test_min_events_one_and_empty() -> None:
    ev = gpd.GeoDataFrame(geometry=[Point(38, 34), Point(39, 34)], crs=4326)
    assert cluster(ev, eps_km=1, min_events=1).tolist() == [0, 1]
    empty = gpd.GeoDataFrame(geometry=[], crs=4326)
    assert len(cluster(empty)) == 0


def test_hdbscan_matches_fast_hdbscan_on_utm() -> None:
    fast_hdbscan = pytest.importorskip("fast_hdbscan")
    from desertgeo._geodesy import to_metric as to_utm

    rng = np.random.default_rng(0)
    lon = np.concatenate([rng.normal(38.3, 0.05, 300), rng.normal(40.1, 0.05, 300)])
    lat = np.concatenate([rng.normal(34.6, 0.05, 300), rng.normal(35.3, 0.05, 300)])
    lon[::50], lat[::50] = rng.uniform(36, 42, 12), rng.uniform(33, 37, 12)
    ev = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)
    lab = cluster(ev, "hdbscan", min_events=5, min_cluster_size=30).to_numpy(np.int64)
    x, y = to_utm(lon, lat)
    ref = fast_hdbscan.HDBSCAN(min_cluster_size=30, min_samples=5).fit_predict(
        np.column_stack([x, y])
    )
    assert same_partition(lab, ref)
    again = cluster(ev, "hdbscan", min_events=5, min_cluster_size=30).to_numpy(np.int64)
    np.testing.assert_array_equal(lab, again)
    serial = cluster(ev, "hdbscan", min_events=5, min_cluster_size=30, reproducible=True)
    assert same_partition(serial.to_numpy(np.int64), lab)
    assert lab.max() == 1
    assert lab[0] == -1
    assert lab[1] == 0
    blob = np.ones(600, dtype=bool)
    blob[::50] = False
    first = lab[:300][blob[:300]]
    assert (first[first >= 0] == 0).all()
    assert (first >= 0).mean() > 0.9


def test_summarize_clusters_values() -> None:
    ev = gpd.GeoDataFrame(
        {
            "fatalities": pd.array([2, 3, pd.NA, 7, 1, 4], dtype="Int64"),
            "date": pd.to_datetime(
                ["2023-02-11", "2023-02-17", "2023-01-05", "2023-05-01", "2023-05-02", None]
            ),
            "controller": ["government", "government", "ISIS", "SDF", "SDF", "SDF"],
        },
        geometry=[
            Point(38.87, 34.89),
            Point(38.88, 34.90),
            Point(38.86, 34.88),
            Point(40.14, 35.33),
            Point(40.15, 35.34),
            Point(40.13, 35.32),
        ],
        crs=4326,
    )
    lab = cluster(ev, eps_km=5, min_events=3)
    s = summarize_clusters(ev, lab)
    # issue 14: "location" is the nearest_places label ("0.5 km N of As Sukhnah")
    assert list(s.columns) == [
        "cluster", "n_events", "fatalities", "first_date", "last_date", "centroid_lon",
        "centroid_lat", "nearest_place", "nearest_place_km", "location", "admin1", "controller",
        "geometry",
    ]  # fmt: skip
    assert s.crs.to_epsg() == 4326
    assert s["n_events"].tolist() == [3, 3]
    assert s["fatalities"].tolist() == [5, 12]
    assert s["first_date"].tolist() == [pd.Timestamp("2023-01-05"), pd.Timestamp("2023-05-01")]
    assert s["last_date"].tolist() == [pd.Timestamp("2023-02-17"), pd.Timestamp("2023-05-02")]
    assert s["nearest_place"].tolist() == ["As Sukhnah", "Deir ez-Zor"]
    assert s["location"].str.endswith((" of As Sukhnah", " of Deir ez-Zor")).all()
    assert s["admin1"].tolist() == ["Homs", "Deir ez-Zor"]
    assert s["controller"].tolist() == ["government", "SDF"]
    assert s["centroid_lon"].iloc[0] == pytest.approx(38.87, abs=1e-3)
    assert s["centroid_lat"].iloc[1] == pytest.approx(35.33, abs=1e-3)
    assert (s.geom_type == "Polygon").all()
    assert s.geometry.iloc[0].buffer(1e-9).contains(ev.geometry.iloc[0])
    concave = summarize_clusters(ev, lab, hull="concave", places=False)
    assert concave["nearest_place"].isna().all()
    assert (concave.to_crs(32637).area <= s.to_crs(32637).area + 1e-6).all()


def test_nearest_place_is_geodesic_minimum() -> None:
    from pyproj import Geod

    from desertgeo import datasets

    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(36, 42, 40), rng.uniform(32.5, 37, 40)
    got = nearest_place(lon, lat)
    places = pd.concat([datasets.load("places"), datasets.load("sites")], ignore_index=True)
    geod = Geod(ellps="WGS84")
    px, py = places.geometry.x.to_numpy(), places.geometry.y.to_numpy()
    for i in range(len(lon)):
        _, _, d = geod.inv(np.full(len(px), lon[i]), np.full(len(px), lat[i]), px, py)
        assert got["nearest_place_km"].iloc[i] == pytest.approx(d.min() / 1000, abs=1e-9)


def test_track_clusters_statuses() -> None:
    a, b, c = Point(38.87, 34.89), Point(40.14, 35.33), Point(36.9, 34.7)
    rows = (
        [("2023-01-10", a)] * 4
        + [("2023-02-10", b)] * 4
        + [("2023-04-10", a)] * 8
        + [("2023-05-10", c)] * 4
        + [("2023-07-01", a)] * 8
    )
    ev = gpd.GeoDataFrame(
        {"date": pd.to_datetime([r[0] for r in rows])}, geometry=[r[1] for r in rows], crs=4326
    )
    t = track_clusters(ev, "Q", eps_km=5, min_events=3)
    got = list(zip(t["period"], t["track_id"], t["status"], strict=True))
    assert got == [
        ("2023Q1", 0, "new"),
        ("2023Q1", 1, "new"),
        ("2023Q2", 1, "gone"),
        ("2023Q2", 0, "growing"),
        ("2023Q2", 2, "new"),
        ("2023Q3", 2, "gone"),
        ("2023Q3", 0, "persisting"),
    ]
    assert t.crs.to_epsg() == 4326


def test_summarize_dominant_controller_from_zones() -> None:
    from desertgeo import datasets
    from desertgeo.zones import assign_zones

    zones = datasets.load("zones")
    rng = np.random.default_rng(2)
    centres = [(38.87, 34.89), (40.14, 35.33), (40.6, 35.05)]
    rows = [
        (cx + rng.normal(0, 0.02), cy + rng.normal(0, 0.02)) for cx, cy in centres for _ in range(8)
    ]
    ev = gpd.GeoDataFrame(
        {"date": pd.to_datetime(["2024-03-01"] * len(rows))},
        geometry=[Point(x, y) for x, y in rows],
        crs=4326,
    )
    lab = cluster(ev, eps_km=10, min_events=3)
    s = summarize_clusters(ev, lab, zones=zones, places=False)
    truth = assign_zones(ev, zones)["controller"].astype("string")
    for k, row in s.iterrows():
        mode = truth[(lab == row["cluster"]).to_numpy()].value_counts()
        assert row["controller"] == mode.index[0], k
    assert s["controller"].notna().all()


def test_non_point_geometry_uses_point_on_surface() -> None:
    square = Point(38.87, 34.89).buffer(0.001)
    ev = gpd.GeoDataFrame(geometry=[square, Point(38.87, 34.89), Point(38.8701, 34.8901)], crs=4326)
    assert cluster(ev, eps_km=1, min_events=3).tolist() == [0, 0, 0]
