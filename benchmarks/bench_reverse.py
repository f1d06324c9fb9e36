"""Benchmark: nearest_places (reverse geocoding) vs a brute-force geodesic search.

Events are random points over Syria and its borderland (35.5-42.5 E, 32.3-37.3 N); the
places are the default gazetteer's towns, villages and districts. desertgeo's method: an
R-tree (``rtree``) proposes candidates in degree space, exact WGS84 geodesic distances
(pyproj) refine them inside a box sure to hold every closer place. The baseline, in the same
run, measures every event-place pair with ``pyproj.Geod.inv`` (vectorised per event) and
keeps the nearest; it runs on a sample of the events and its rate is per event. Also: the
index build (first call) and the re-index after ``Gazetteer.add`` (one place added), and the
largest disagreement with the baseline (must be 0: the method is exact).

Run: .venv/bin/python benchmarks/bench_reverse.py [--quick] [--scale X] [--n N]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import geopandas as gpd
import numpy as np
import pyproj
from _common import bench_args, measure, result

from desertgeo.gazetteer import Gazetteer
from desertgeo.reverse import DEFAULT_FEATURE_TYPES, nearest_places


def brute_force(lon: np.ndarray, lat: np.ndarray, plon: np.ndarray, plat: np.ndarray) -> Any:
    geod = pyproj.Geod(ellps="WGS84")
    best = np.empty(len(lon))
    for i, (x, y) in enumerate(zip(lon, lat, strict=True)):
        _, _, d = geod.inv(np.full(len(plon), x), np.full(len(plon), y), plon, plat)
        best[i] = d.min()
    return best


def main() -> int:
    args = bench_args("nearest_places vs brute force", default_n=100_000, quick_n=2_000)
    rng = np.random.default_rng(14)
    lon, lat = rng.uniform(35.5, 42.5, args.n), rng.uniform(32.3, 37.3, args.n)
    events = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=4326)
    gaz = Gazetteer.default()
    table = gaz.table
    wanted = table[table["feature_type"].isin(DEFAULT_FEATURE_TYPES)]
    plon, plat = wanted["lon"].to_numpy(float), wanted["lat"].to_numpy(float)

    t0 = time.perf_counter()
    nearest_places(events.iloc[:1], gazetteer=gaz)
    t_build = time.perf_counter() - t0
    result(
        "nearest_places index build",
        round(t_build, 3),
        "s",
        n=len(wanted),
        note="first call: R-tree over the default gazetteer's places (includes one query)",
    )
    grown = gaz.add("Bir Bench", 38.5, 34.5)
    t0 = time.perf_counter()
    nearest_places(events.iloc[:1], gazetteer=grown)
    result(
        "nearest_places after Gazetteer.add",
        round(time.perf_counter() - t0, 4),
        "s",
        n=1,
        note="the old R-tree is reused; only the added place is indexed",
    )

    with measure() as mem:
        t0 = time.perf_counter()
        r = nearest_places(events, gazetteer=gaz)
        t_fast = time.perf_counter() - t0
    sample = min(args.n, 50 if args.quick else 1_000)
    t0 = time.perf_counter()
    base = brute_force(lon[:sample], lat[:sample], plon, plat)
    t_base = time.perf_counter() - t0
    result(
        f"nearest_places k=1, {args.n:,} events",
        round(args.n / t_fast),
        "events/s",
        n=args.n,
        baseline=f"brute-force geodesic over {len(wanted):,} places ({sample:,} events)",
        baseline_value=round(sample / t_base, 1),
        better="higher",
        peak_mb=round(mem.peak_mb, 1),
        note=f"{t_fast:.2f} s",
    )
    err = np.abs(r["distance_km"].to_numpy()[:sample] * 1000.0 - base)
    result(
        f"max distance error vs brute force, {sample:,} events",
        float(err.max()),
        "m",
        n=sample,
        goal="0 (exact)",
    )
    t0 = time.perf_counter()
    nearest_places(events, k=5, gazetteer=gaz)
    t5 = time.perf_counter() - t0
    result(
        f"nearest_places k=5, {args.n:,} events",
        round(args.n / t5),
        "events/s",
        n=args.n,
        better="higher",
        note=f"{t5:.2f} s",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
