"""Tests of desertgeo.distance: geodesic exactness against brute force, facts, statistics."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from shapely import LineString, Point

from desertgeo import CRSError, InputError, datasets
from desertgeo.distance import (
    distance_stats,
    distance_to,
    distance_to_borders,
    front_lines,
    geodesic_distance_to_lines,
    histogram_data,
)

GEOD = pyproj.Geod(ellps="WGS84")


def brute_force(
    lon: np.ndarray, lat: np.ndarray, lines: list, coarse: float = 5000.0
) -> np.ndarray:
    """Geodesic distance to lines by exhaustive search, independent of the UTM method.

    Every segment (a geodesic between two vertices) is densified geodesically
    at <= ``coarse`` m (vertices included) and Geod.inv is taken to *every*
    sample. Distance along
    a geodesic is 1-Lipschitz, so a segment whose best sample is more than one
    spacing above the overall best cannot hold the minimum; each remaining
    segment is refined around its best sample by repeated dense sampling
    (41 samples, window shrinking 20x per level, 6 levels: final spacing
    < 0.1 mm), which bounds the truth's own error far below 1 mm.
    """
    a_l, b_l = [], []
    for ln in lines:
        for part in shapely.get_parts(ln):
            c = shapely.get_coordinates(part)
            a_l.append(c[:-1])
            b_l.append(c[1:])
    A, B = np.vstack(a_l), np.vstack(b_l)
    az, _, L = GEOD.inv(A[:, 0], A[:, 1], B[:, 0], B[:, 1])
    m = np.maximum(1, np.ceil(L / coarse)).astype(int)
    seg_id = np.repeat(np.arange(len(A)), m + 1)
    starts = np.r_[0, np.cumsum(m + 1)[:-1]]
    s = np.concatenate([np.linspace(0, 1, q + 1) for q in m]) * L[seg_id]
    slon, slat, _ = GEOD.fwd(A[seg_id, 0], A[seg_id, 1], az[seg_id], s)
    spacing = L / m
    out = np.empty(len(lon))
    chunk = 100
    k = 20
    off = np.linspace(-1, 1, 2 * k + 1)
    for c0 in range(0, len(lon), chunk):
        x, y = lon[c0 : c0 + chunk], lat[c0 : c0 + chunk]
        n = len(x)
        _, _, d = GEOD.inv(
            np.repeat(x, len(s)), np.repeat(y, len(s)), np.tile(slon, n), np.tile(slat, n)
        )
        d = d.reshape(n, len(s))
        segbest = np.minimum.reduceat(d, starts, axis=1)
        dmin = segbest.min(axis=1)
        pi, sj = np.nonzero(segbest <= dmin[:, None] + spacing[None, :])
        cen = np.array(
            [
                s[starts[j] + np.argmin(d[i, starts[j] : starts[j] + m[j] + 1])]
                for i, j in zip(pi, sj, strict=False)
            ]
        )
        h = spacing[sj].copy()
        best = dmin.copy()
        for _ in range(6):
            ss = np.clip(cen[:, None] + h[:, None] * off[None, :], 0, L[sj][:, None])
            q = 2 * k + 1
            a, b, _ = GEOD.fwd(
                np.repeat(A[sj, 0], q), np.repeat(A[sj, 1], q), np.repeat(az[sj], q), ss.ravel()
            )
            _, _, dd = GEOD.inv(np.repeat(x[pi], q), np.repeat(y[pi], q), a, b)
            dd = dd.reshape(-1, q)
            j = dd.argmin(axis=1)
            cen = ss[np.arange(len(pi)), j]
            np.minimum.at(best, pi, dd[np.arange(len(pi)), j])
            h = h / k
        out[c0 : c0 + chunk] = best
    return out


def _random_points(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(35, 43, n), rng.uniform(32, 38, n)


def _accuracy(n: int, seed: int) -> float:
    borders = datasets.load("borders")
    lon, lat = _random_points(n, seed)
    got, _, _, _ = geodesic_distance_to_lines(lon, lat, np.asarray(borders.geometry.array))
    truth = brute_force(lon, lat, list(borders.geometry))
    err = np.abs(got - truth)
    assert np.all(np.isfinite(got))
    return float(err.max())


def test_accuracy_2k_random_points_within_1m_of_brute_force() -> None:
    assert _accuracy(2000, seed=9) < 1.0


@pytest.mark.slow
def test_accuracy_10k_random_points_within_1m_of_brute_force() -> None:
    assert _accuracy(10_000, seed=2026) < 1.0


def test_long_straight_segment_is_geodesic_not_rhumb() -> None:
    # one 600 km segment: the nearest point is inside it; truth by brute force
    line = LineString([(36.0, 33.0), (42.0, 35.0)])
    lon, lat = np.array([39.0, 37.0, 41.5]), np.array([35.0, 32.5, 36.0])
    got, feat, flon, flat = geodesic_distance_to_lines(lon, lat, [line])
    truth = brute_force(lon, lat, [line], coarse=500.0)
    np.testing.assert_allclose(got, truth, atol=1e-3)
    assert feat.tolist() == [0, 0, 0]
    # the nearest point lies on the geodesic: azimuth from it to the event is perpendicular
    az_line, _, _ = GEOD.inv(flon, flat, np.full(3, 42.0), np.full(3, 35.0))
    az_pt, _, _ = GEOD.inv(flon, flat, lon, lat)
    assert np.allclose(np.abs(np.cos(np.radians(az_pt - az_line))), 0, atol=1e-6)


def test_points_and_missing_geometry() -> None:
    d, f, _, _ = geodesic_distance_to_lines([38.0, np.nan], [33.0, np.nan], [Point(39.0, 33.0)])
    _, _, truth = GEOD.inv(38.0, 33.0, 39.0, 33.0)
    assert d[0] == pytest.approx(truth, abs=1e-6)
    assert np.isnan(d[1])
    assert f[1] == -1


def _places(*ascii_names: str) -> gpd.GeoDataFrame:
    p = datasets.load("places")
    p = p[(p["country"] == "SY") & p["asciiname"].isin(ascii_names)]
    return p.set_index("asciiname")


def test_facts_borders() -> None:
    towns = _places("Tadmur", "Albu Kamal", "As Sukhnah")
    d = distance_to_borders(towns)
    assert d.loc["Albu Kamal", "dist_iraq_km"] < 10
    assert d.loc["Albu Kamal", "nearest_border"] == "Iraq"
    assert 125 < d.loc["Tadmur", "dist_border_km"] < 150
    assert d.loc["Tadmur", "dist_iraq_km"] == pytest.approx(137, abs=1.5)
    assert d.loc["Tadmur", "dist_jordan_km"] == pytest.approx(139, abs=1.5)
    # Sukhna: ~139 km from the border (DESIGN.md: a holey border would give 7 km)
    assert d.loc["As Sukhnah", "dist_border_km"] > 130
    # overall = min of neighbours
    per = d[[c for c in d.columns if c.startswith("dist_") and c != "dist_border_km"]]
    np.testing.assert_allclose(d["dist_border_km"], per.min(axis=1))
    # the whole-border target agrees with the per-neighbour minimum
    whole = distance_to(towns, "border")
    np.testing.assert_allclose(whole["dist_border_km"], d["dist_border_km"], atol=1e-9)
    assert whole["nearest_border"].tolist() == d["nearest_border"].tolist()


def test_facts_tanf_sites_and_tripoint() -> None:
    sites = datasets.load("sites").set_index("site_id")
    rukban = sites.loc[["rukban-camp"]]
    r = distance_to(rukban, "site:al-tanf-garrison")
    assert r.iloc[0, 0] < 55
    sukhna = _places("As Sukhnah")
    assert distance_to(sukhna, "al-Tanf garrison").iloc[0, 0] > 55
    tp = distance_to(_places("Tadmur"), "tri-border", nearest_point=True)
    assert list(tp.columns) == [
        "dist_tripoint_km",
        "nearest_tripoint",
        "nearest_tripoint_lon",
        "nearest_tripoint_lat",
    ]
    g = sites.loc["syria-iraq-jordan-tripoint"].geometry
    assert tp["nearest_tripoint_lon"].iloc[0] == pytest.approx(g.x, abs=0.01)


def test_alignment_crs_and_errors() -> None:
    ev = gpd.GeoDataFrame(
        {"a": [1, 2, 3]},
        geometry=[Point(38.28, 34.56), None, Point(40.92, 34.45)],
        crs=4326,
        index=["x", "y", "z"],
    )
    out = distance_to(ev, "iraq")
    assert out.index.tolist() == ["x", "y", "z"]
    assert np.isnan(out.loc["y", "dist_iraq_km"])
    assert pd.isna(out.loc["y", "nearest_iraq"])
    assert "dist_iraq_km" not in ev.columns  # caller's frame untouched
    # reprojected input gives the same answer
    utm = distance_to(ev.to_crs(32637), "iraq")
    np.testing.assert_allclose(utm["dist_iraq_km"], out["dist_iraq_km"], atol=1e-6)
    with pytest.raises(CRSError):
        distance_to(ev.set_crs(None, allow_override=True), "iraq")
    with pytest.raises(InputError, match="valid sites"):
        distance_to(ev, "site:nowhere-at-all")
    with pytest.raises(InputError, match="must be points"):
        distance_to(gpd.GeoDataFrame(geometry=[LineString([(38, 34), (39, 34)])], crs=4326), "iraq")


def test_frame_target_polygon_boundary_and_names() -> None:
    zones = datasets.load("zones")
    zones = zones[(zones["valid_from"] <= "2024-06-01") & (zones["valid_to"] > "2024-06-01")]
    tanf = zones[zones["zone_id"].str.contains("/tanf/")].drop(columns="band")
    ev = gpd.GeoDataFrame(geometry=[sites_point("al-tanf-garrison")], crs=4326)
    d = distance_to(ev, tanf, label="tanf_edge")
    # the garrison is the centre of the 55 km circle; clipped parts of the edge are the border
    assert d["dist_tanf_edge_km"].iloc[0] <= 55.0 + 1e-3
    assert d["nearest_tanf_edge"].iloc[0] == tanf["zone_id"].iloc[0]


def sites_point(site_id: str) -> Point:
    return datasets.load("sites").set_index("site_id").loc[site_id].geometry


def test_road_target() -> None:
    if "roads" not in datasets.available():
        pytest.skip("roads dataset not shipped yet")
    roads = datasets.load("roads")
    rid = str(roads["road_id"].iloc[0])
    ev = _places("Tadmur")
    out = distance_to(ev, f"road:{rid}")
    assert out.shape == (1, 2)
    assert out.iloc[0, 0] >= 0


def test_distance_stats_and_histogram() -> None:
    df = pd.DataFrame(
        {
            "dist_border_km": [1.0, 5.0, 20.0, 60.0, 200.0, np.nan],
            "g": ["a", "a", "a", "b", "b", "b"],
        }
    )
    s = distance_stats(df, within_km=(10, 55))
    assert s.loc["all", "count"] == 5
    assert s.loc["all", "missing"] == 1
    assert s.loc["all", "median_km"] == 20.0
    assert s.loc["all", "share_within_10km"] == pytest.approx(0.4)
    assert s.loc["all", "share_within_55km"] == pytest.approx(0.6)
    assert s.loc["all", "q25"] == pytest.approx(5.0)
    by = distance_stats(df, by="g")
    assert by.loc["a", "mean_km"] == pytest.approx(26 / 3)
    assert by.loc["b", "count"] == 2
    assert by.loc["b", "missing"] == 1
    h = histogram_data(df, bins=[0, 10, 100, 1000])
    assert h["count"].tolist() == [2, 2, 1]
    hb = histogram_data(df, bins=4, by="g")
    assert hb.groupby("g")["count"].sum().to_dict() == {"a": 3, "b": 2}
    with pytest.raises(InputError):
        histogram_data(df, bins=[5, 1])
    with pytest.raises(InputError):
        distance_stats(df.assign(dist_x_km=1.0))


# ------------------------------------------------------------------ front lines
def _meridian_box(lon0: float, lon1: float) -> shapely.Polygon:
    return shapely.box(lon0, 34.0, lon1, 35.0)


def _lon_east_of(lon: float, lat: float, km: float) -> float:
    """Longitude of the point ``km`` due east (geodesic) of (lon, lat)."""
    x, _, _ = GEOD.fwd(lon, lat, 90.0, km * 1000.0)
    return float(x)


def _two_year_zones(front_2016: float, front_2018: float) -> gpd.GeoDataFrame:
    """Two snapshots, A west / B east of a meridian front that moves between them."""
    rows = []
    for snap, start, end, cut in (
        ("y2016", "2016-01-01", "2017-01-01", front_2016),
        ("y2018", "2018-01-01", None, front_2018),
    ):
        rows += [
            {
                "zone_id": f"{snap}/a",
                "snapshot": snap,
                "controller": "A",
                "valid_from": start,
                "valid_to": end,
                "geometry": _meridian_box(38.0, cut),
            },
            {
                "zone_id": f"{snap}/b",
                "snapshot": snap,
                "controller": "B",
                "valid_from": start,
                "valid_to": end,
                "geometry": _meridian_box(cut, 41.0),
            },
        ]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)


def test_front_distance_moves_with_the_snapshot_of_the_date() -> None:
    lat = 34.5
    px = _lon_east_of(39.0, lat, 5.0)  # 5 km east of the 2016 front
    front_2018 = _lon_east_of(px, lat, 80.0)  # the front moved 80 km east of the point
    zones = _two_year_zones(39.0, front_2018)
    ev = gpd.GeoDataFrame(
        {"date": pd.to_datetime(["2016-06-01", "2018-06-01", "2017-06-01", None])},
        geometry=[Point(px, lat)] * 4,
        crs=4326,
        index=["a", "b", "c", "d"],
    )
    before = ev.copy()
    out = distance_to(ev, "front", zones=zones, nearest_point=True)
    assert out.index.tolist() == ["a", "b", "c", "d"]
    assert out.loc["a", "dist_front_km"] == pytest.approx(5.0, abs=0.01)
    assert out.loc["b", "dist_front_km"] == pytest.approx(80.0, abs=0.05)
    # the point is in B in 2016 (east of the front) and in A in 2018 (west of it)
    assert (out.loc["a", "front_side_near"], out.loc["a", "front_side_far"]) == ("B", "A")
    assert (out.loc["b", "front_side_near"], out.loc["b", "front_side_far"]) == ("A", "B")
    assert out.loc["a", "nearest_front"] == "B / A"
    assert out["front_snapshot"].tolist()[:2] == ["y2016", "y2018"]
    assert out["front_status"].tolist() == ["ok", "ok", "no snapshot for date", "no date"]
    assert np.isnan(out.loc["c", "dist_front_km"])
    assert np.isnan(out.loc["d", "dist_front_km"])
    assert pd.isna(out.loc["c", "front_side_near"])
    # exact: the same as brute force to the densified true fronts (the two meridian edges)
    truth_a = brute_force(
        np.array([px]), np.array([lat]), [LineString([(39.0, 34.0), (39.0, 35.0)])], coarse=200.0
    )[0]
    truth_b = brute_force(
        np.array([px]),
        np.array([lat]),
        [LineString([(front_2018, 34.0), (front_2018, 35.0)])],
        coarse=200.0,
    )[0]
    assert out.loc["a", "dist_front_km"] * 1000 == pytest.approx(truth_a, abs=1e-3)
    assert out.loc["b", "dist_front_km"] * 1000 == pytest.approx(truth_b, abs=1e-3)
    assert out.loc["b", "nearest_front_lon"] == pytest.approx(front_2018, abs=1e-9)
    pd.testing.assert_frame_equal(ev, before)  # the caller's frame is untouched


def test_front_lines_join_same_controller_and_drop_the_outline() -> None:
    # two zones of A (one controller, dissolved: no front between them) and one of B
    zones = gpd.GeoDataFrame(
        {
            "snapshot": ["s"] * 3,
            "controller": ["A", "A", "B"],
            "geometry": [
                _meridian_box(38.0, 38.5),
                _meridian_box(38.5, 39.0),
                _meridian_box(39.0, 40.0),
            ],
        },
        crs=4326,
    )
    # an "international border" running along the southern half of the A|B edge
    outline = LineString([(39.0, 34.0), (39.0, 34.5)])
    f = front_lines(zones, outline=outline)
    assert len(f) == 1
    assert (f["controller_a"].iloc[0], f["controller_b"].iloc[0]) == ("A", "B")
    lo, la = shapely.get_coordinates(f.geometry.iloc[0]).T
    assert np.allclose(lo, 39.0)
    # only the northern half is a front (the rest lies on the outline, within ~10 m)
    assert la.min() == pytest.approx(34.5, abs=2e-4)
    assert la.max() == pytest.approx(35.0, abs=1e-9)
    _, _, half = GEOD.inv(39.0, 34.5, 39.0, 35.0)
    assert f["length_km"].iloc[0] == pytest.approx(half / 1000, abs=0.03)


def test_front_snapshot_rule_is_the_one_assign_zones_uses() -> None:
    from desertgeo.distance import _snapshot_in_force
    from desertgeo.zones import assign_zones, load_zones

    zones = load_zones()
    table = zones.groupby("snapshot")[["valid_from", "valid_to"]].first()
    edges = list(table["valid_from"]) + [t for t in table["valid_to"] if pd.notna(t)]
    dates = sorted({d + pd.Timedelta(days=k) for d in edges for k in (-1, 0, 1)})
    ev = gpd.GeoDataFrame({"date": dates}, geometry=[Point(38.28, 34.56)] * len(dates), crs=4326)
    expected = assign_zones(ev, zones)["snapshot"]
    got = _snapshot_in_force(zones, ev["date"])
    pd.testing.assert_series_equal(got, expected, check_names=False)
    assert got.isna().any()
    assert got.notna().any()


def test_front_on_shipped_zones_exact_and_grouped_stats() -> None:
    from desertgeo.zones import load_zones

    zones = load_zones()
    fronts = front_lines(zones)
    snap = str(zones["snapshot"].iloc[0])
    start = zones.loc[zones["snapshot"] == snap, "valid_from"].iloc[0]
    lon, lat = _random_points(150, seed=5)
    ev = gpd.GeoDataFrame(
        {"date": [start + pd.Timedelta(days=10)] * 150},
        geometry=gpd.points_from_xy(lon, lat),
        crs=4326,
    )
    d = distance_to(ev, "front")
    assert (d["front_status"] == "ok").all()
    sel = fronts[fronts["snapshot"] == snap]
    truth = brute_force(lon, lat, list(sel.geometry))
    np.testing.assert_allclose(d["dist_front_km"].to_numpy() * 1000, truth, atol=1.0)
    # the nearest front's two controllers are a traced pair of that snapshot
    pairs = {frozenset(p) for p in zip(sel["controller_a"], sel["controller_b"], strict=True)}
    got = {frozenset(p) for p in zip(d["front_side_near"], d["front_side_far"], strict=True)}
    assert got <= pairs
    # international borders are not fronts: a point on the Iraqi border in the desert far from
    # any front is still tens of km from it
    tri = datasets.load("tripoint").geometry.iloc[0]
    one = distance_to(
        gpd.GeoDataFrame({"date": [ev["date"].iloc[0]]}, geometry=[tri], crs=4326), "front"
    )
    assert one["dist_front_km"].iloc[0] > 20
    # distance_stats grouped by the snapshot (events with no snapshot counted as missing)
    ev2 = pd.concat([ev.assign(date=pd.Timestamp("1990-01-01")).iloc[:10], ev])
    both = pd.concat(
        [ev2.reset_index(drop=True), distance_to(ev2.reset_index(drop=True), "front")], axis=1
    )
    stats = distance_stats(both, column="dist_front_km", by="front_status")
    assert stats.loc["ok", "count"] == 150
    assert stats.loc["no snapshot for date", "missing"] == 10
    assert stats.loc["ok", "median_km"] == pytest.approx(np.median(truth) / 1000, abs=1e-3)
    pair = distance_stats(both, column="dist_front_km", by=["front_side_near", "front_side_far"])
    assert pair["count"].sum() == 150


def test_front_errors() -> None:
    ev = gpd.GeoDataFrame({"when": ["2016-01-02"]}, geometry=[Point(38.5, 34.5)], crs=4326)
    with pytest.raises(InputError, match="date column"):
        distance_to(ev, "front", zones=_two_year_zones(39.0, 40.0))
    out = distance_to(ev, "front", zones=_two_year_zones(39.0, 40.0), date_column="when")
    assert out["front_status"].iloc[0] == "ok"
    with pytest.raises(InputError, match="GeoDataFrame"):
        distance_to(ev.geometry, "front")
