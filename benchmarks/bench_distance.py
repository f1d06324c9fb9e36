"""Benchmark: exact geodesic distance to Syria's border for N random points.

desertgeo's method (nearest segment in UTM 37N + geodesic refinement with
pyproj.Geod, near-ties checked) vs UTM-only baselines measured in the same run:

- ``shapely.distance`` of each UTM point to the UTM border (a MultiLineString);
- ``STRtree.query_nearest(..., return_distance=True)`` on the UTM border segments.

It also reports how far the UTM-only distances are from the exact ones, and
(``--check K``) the maximum error of the exact method against a brute-force
geodesic search over the geodesically densified border for K of the points.
Timings are noisy on a shared machine.

Run: .venv/bin/python benchmarks/bench_distance.py [--n 1000000] [--check 10000]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

import numpy as np
import pyproj
import shapely
from _common import result

from desertgeo import datasets
from desertgeo.distance import geodesic_distance_to_lines


def _brute_force():  # the test module's independent brute force
    path = Path(__file__).resolve().parents[1] / "tests" / "test_distance.py"
    spec = importlib.util.spec_from_file_location("_dg_test_distance", path)
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["_dg_test_distance"] = mod
    spec.loader.exec_module(mod)
    return mod.brute_force


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--check", type=int, default=2000, help="points checked by brute force")
    parser.add_argument("--quick", action="store_true", help="tiny sizes (CI smoke test)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the default sizes")
    args = parser.parse_args()
    if args.quick:
        args.n, args.check = 5_000, min(args.check, 200)
    else:
        args.n = int(args.n * args.scale)
    rng = np.random.default_rng(1)
    lon, lat = rng.uniform(35, 43, args.n), rng.uniform(32, 38, args.n)
    borders = datasets.load("borders")
    geoms = np.asarray(borders.geometry.array)
    print(
        f"{args.n:,} points in 35-43 E, 32-38 N; border: {len(geoms)} lines, "
        f"{shapely.get_num_coordinates(geoms).sum()} vertices"
    )

    t0 = time.perf_counter()
    exact, _, _, _ = geodesic_distance_to_lines(lon, lat, geoms)
    t_exact = time.perf_counter() - t0

    to_utm = pyproj.Transformer.from_crs(4326, 32637, always_xy=True)
    border_utm = shapely.transform(
        shapely.MultiLineString(list(geoms)), to_utm.transform, interleaved=False
    )
    t0 = time.perf_counter()
    x, y = to_utm.transform(lon, lat)
    pts = shapely.points(x, y)
    utm_plain = shapely.distance(pts, border_utm)
    t_plain = time.perf_counter() - t0

    segs = []
    for line in shapely.get_parts(border_utm):
        c = shapely.get_coordinates(line)
        segs.extend(shapely.linestrings(np.stack([c[:-1], c[1:]], axis=1)))
    t0 = time.perf_counter()
    x, y = to_utm.transform(lon, lat)
    tree = shapely.STRtree(np.asarray(segs))
    _, utm_tree = tree.query_nearest(shapely.points(x, y), return_distance=True, all_matches=False)
    t_tree = time.perf_counter() - t0

    err_utm = np.abs(utm_plain - exact)
    print(f"exact geodesic (desertgeo)   {t_exact:7.3f} s  {args.n / t_exact:>11,.0f} pts/s")
    print(
        f"UTM-only shapely.distance    {t_plain:7.3f} s  {args.n / t_plain:>11,.0f} pts/s"
        f"   ratio exact/this {t_exact / t_plain:5.2f} (goal <= 3)"
    )
    print(
        f"UTM-only STRtree nearest     {t_tree:7.3f} s  {args.n / t_tree:>11,.0f} pts/s"
        f"   ratio exact/this {t_exact / t_tree:5.2f}"
    )
    print(
        f"UTM-only error vs exact: max {err_utm.max():.1f} m, "
        f"median {np.median(err_utm):.1f} m, 99th pct {np.percentile(err_utm, 99):.1f} m"
    )
    assert np.allclose(utm_tree, utm_plain, atol=1e-6)
    size = f"{args.n / 1e6:g}M" if args.n >= 1_000_000 else f"{args.n // 1000}k"
    result(
        f"exact distance to border {size}",
        t_exact,
        "s",
        n=args.n,
        baseline="UTM-only shapely.distance (inexact)",
        baseline_value=t_plain,
        goal="exact at <= 3x the UTM-only time; >= 100k points/s",
        note=f"{args.n / t_exact:,.0f} points/s; UTM-only error up to {err_utm.max():.0f} m "
        f"(median {np.median(err_utm):.1f} m)",
    )
    if args.check:
        brute_force = _brute_force()
        k = min(args.check, args.n)
        t0 = time.perf_counter()
        truth = brute_force(lon[:k], lat[:k], list(geoms))
        err = np.abs(exact[:k] - truth)
        print(
            f"brute-force check on {k:,} points ({time.perf_counter() - t0:.1f} s): "
            f"max |error| {err.max():.3e} m, mean {err.mean():.3e} m"
        )
        result(f"max error vs brute force, {k:,} points", float(err.max()), "m", n=k, goal="< 1 m")


if __name__ == "__main__":
    main()
