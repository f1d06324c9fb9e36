"""Benchmark desertgeo.clustering against scikit-learn, side by side in one run.

    .venv/bin/python benchmarks/bench_cluster.py            # default, about 1-2 minutes
    .venv/bin/python benchmarks/bench_cluster.py --skip-hdbscan-1m --n-big 200000

Prints, on the same synthetic events (blobs over Syria's extent, 40 % of the events
on shared places, 10 % uniform noise):

1. DBSCAN on ``--n-compare`` events (default 100k): desertgeo vs scikit-learn
   ``DBSCAN(metric="haversine", algorithm="ball_tree")``, the ratio, and whether the
   core-point partitions and the noise are identical.
2. DBSCAN on ``--n-big`` events (default 1M) in a fresh subprocess: time and peak RSS
   of that whole process (``resource.getrusage``). scikit-learn is *not* run there:
   it materialises every neighbourhood and runs out of memory at this size.
3. HDBSCAN (fast_hdbscan on UTM 37N) on ``--n-big`` events in a subprocess
   (``--skip-hdbscan-1m`` to skip); numba compilation is timed apart (warm-up run).
4. Space-time DBSCAN on ``--n-compare`` events and Gi* hotspots on ``--n-big`` events.

Timings are wall-clock on a shared machine: noisy, compare ratios within one run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

import numpy as np
from _common import result


def synthetic(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """lon, lat, day numbers of ``n`` synthetic events."""
    rng = np.random.default_rng(seed)
    lon0, lon1, lat0, lat1 = 35.8, 42.3, 32.4, 37.2
    n_blobs = 300
    blon, blat = rng.uniform(lon0, lon1, n_blobs), rng.uniform(lat0, lat1, n_blobs)
    sig = rng.uniform(2, 25, n_blobs) / 111.0
    bw = rng.gamma(0.7, 1.0, n_blobs)
    bw /= bw.sum()
    n_places = 5000
    pb = rng.choice(n_blobs, n_places, p=bw)
    plat = blat[pb] + rng.normal(0, 1, n_places) * sig[pb]
    plon = blon[pb] + rng.normal(0, 1, n_places) * sig[pb] / np.cos(np.radians(plat))
    nd, nn = int(n * 0.4), int(n * 0.1)
    nb = n - nd - nn
    pi = rng.integers(0, n_places, nd)
    b = rng.choice(n_blobs, nb, p=bw)
    lat_b = blat[b] + rng.normal(0, 1, nb) * sig[b]
    lon_b = blon[b] + rng.normal(0, 1, nb) * sig[b] / np.cos(np.radians(lat_b))
    lon = np.concatenate([plon[pi], lon_b, rng.uniform(lon0, lon1, nn)])
    lat = np.concatenate([plat[pi], lat_b, rng.uniform(lat0, lat1, nn)])
    days = rng.integers(0, 3650, n).astype("float64")
    p = rng.permutation(n)
    return lon[p], lat[p], days[p]


def frame(n: int, seed: int = 0):
    import geopandas as gpd
    import pandas as pd

    lon, lat, days = synthetic(n, seed)
    dates = pd.Timestamp("2015-01-01") + pd.to_timedelta(days, unit="D")
    return (
        gpd.GeoDataFrame({"date": dates}, geometry=gpd.points_from_xy(lon, lat), crs=4326),
        lon,
        lat,
    )


def child(task: str, n: int, eps_km: float, min_events: int) -> None:
    """Run one measured task in this (fresh) process and print JSON."""
    import resource

    from desertgeo.clustering import cluster

    ev, _, _ = frame(n, seed=1)
    rss_data = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out: dict[str, float] = {"rss_after_data_mb": rss_data}
    if task == "dbscan":
        t = time.perf_counter()
        lab = cluster(ev, eps_km=eps_km, min_events=min_events)
        out["seconds"] = time.perf_counter() - t
    elif task == "hdbscan":
        t = time.perf_counter()
        cluster(ev.iloc[:5000], "hdbscan", min_events=min_events, min_cluster_size=50)
        out["warmup_seconds"] = time.perf_counter() - t
        t = time.perf_counter()
        lab = cluster(ev, "hdbscan", min_events=min_events, min_cluster_size=50)
        out["seconds"] = time.perf_counter() - t
    else:
        from desertgeo.hotspot import hotspots

        t = time.perf_counter()
        cells = hotspots(ev, cell_km=10)
        out["seconds"] = time.perf_counter() - t
        out["cells"] = len(cells)
        lab = None
    if lab is not None:
        out["clusters"] = int(lab.max()) + 1
        out["noise_share"] = float((lab == -1).mean())
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


def in_subprocess(task: str, n: int, eps_km: float, min_events: int) -> dict[str, float]:
    res = subprocess.run(
        [sys.executable, __file__, "--child", task, "--n-big", str(n),
         "--eps-km", str(eps_km), "--min-events", str(min_events)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return dict(json.loads(res.stdout.strip().splitlines()[-1]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n-compare", type=int, default=100_000)
    ap.add_argument("--n-big", type=int, default=1_000_000)
    ap.add_argument(
        "--params", default="10:5,5:20", help="DBSCAN settings eps_km:min_events, comma-separated"
    )
    ap.add_argument("--eps-km", type=float, default=10.0, help="for HDBSCAN's min_samples run")
    ap.add_argument("--min-events", type=int, default=10, help="HDBSCAN min_samples")
    ap.add_argument("--time-days", type=float, default=7.0)
    ap.add_argument("--skip-hdbscan-1m", action="store_true")
    ap.add_argument("--skip-sklearn", action="store_true")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--quick", action="store_true", help="tiny sizes (CI smoke test)")
    ap.add_argument("--scale", type=float, default=1.0, help="multiply the default sizes")
    a = ap.parse_args()
    if a.child:
        child(a.child, a.n_big, a.eps_km, a.min_events)
        return
    if a.quick:
        a.n_compare, a.n_big, a.skip_hdbscan_1m = 3_000, 5_000, True
    elif a.scale != 1.0:
        a.n_compare, a.n_big = int(a.n_compare * a.scale), int(a.n_big * a.scale)
    big = f"{a.n_big / 1e6:g}M" if a.n_big >= 1_000_000 else f"{a.n_big // 1000}k"
    small = f"{a.n_compare // 1000}k"

    from desertgeo._geodesy import EARTH_RADIUS_KM
    from desertgeo.clustering import cluster

    ev, lon, lat = frame(a.n_compare)
    n_unique = len(np.unique(np.column_stack([lon, lat]), axis=0))
    cluster(ev.iloc[:1000], eps_km=a.eps_km, min_events=a.min_events)  # imports, caches
    settings = [(float(e), int(m)) for e, m in (s.split(":") for s in a.params.split(","))]
    for eps_km, min_events in settings:
        print(
            f"[1] DBSCAN eps_km={eps_km} min_events={min_events}, {a.n_compare:,} events "
            f"({n_unique:,} distinct points)"
        )
        t = time.perf_counter()
        ours = cluster(ev, eps_km=eps_km, min_events=min_events).to_numpy(dtype=np.int64)
        t_ours = time.perf_counter() - t
        print(f"    desertgeo grid DBSCAN:            {t_ours:8.2f} s  ({ours.max() + 1} clusters)")
        if not a.skip_sklearn:
            from sklearn.cluster import DBSCAN

            t = time.perf_counter()
            sk = DBSCAN(
                eps=eps_km / EARTH_RADIUS_KM,
                min_samples=min_events,
                metric="haversine",
                algorithm="ball_tree",
            ).fit(np.radians(np.column_stack([lat, lon])))
            t_sk = time.perf_counter() - t
            core = np.zeros(len(ours), dtype=bool)
            core[sk.core_sample_indices_] = True
            pairs = np.unique(np.column_stack([ours[core], sk.labels_[core]]), axis=0)
            same = len(pairs) == len(np.unique(ours[core])) == len(np.unique(sk.labels_[core]))
            same_noise = bool(np.array_equal(ours == -1, sk.labels_ == -1))
            print(f"    scikit-learn haversine ball_tree: {t_sk:8.2f} s")
            print(f"    ratio sklearn / desertgeo:        {t_sk / t_ours:8.1f} x   (goal >= 10 x)")
            print(f"    core partition identical: {same}; noise identical: {same_noise}")
            result(
                f"dbscan {small} eps {eps_km:g} km min {min_events}",
                t_ours,
                "s",
                n=a.n_compare,
                baseline="sklearn DBSCAN haversine ball_tree",
                baseline_value=t_sk,
                goal=">= 10x",
                note=f"core partition identical: {same}; noise identical: {same_noise}",
            )

    for eps_km, min_events in settings:
        print(
            f"[2] DBSCAN eps_km={eps_km} min_events={min_events}, {a.n_big:,} events, "
            "fresh process (scikit-learn not run: it runs out of memory there)"
        )
        r = in_subprocess("dbscan", a.n_big, eps_km, min_events)
        print(
            f"    {r['seconds']:.2f} s (goal < 10 s), peak RSS {r['peak_rss_mb']:.0f} MB "
            f"(goal < 2048; {r['rss_after_data_mb']:.0f} MB after making the data), "
            f"{r['clusters']:.0f} clusters"
        )
        result(
            f"dbscan {big} eps {eps_km:g} km min {min_events}",
            r["seconds"],
            "s",
            n=a.n_big,
            peak_mb=round(r["peak_rss_mb"]),
            goal="< 10 s and < 2048 MB",
            note="scikit-learn not run here (DESIGN.md: its haversine neighbourhoods need "
            "~23 GB at 1M events)",
        )
    if not a.skip_hdbscan_1m:
        print(f"[3] HDBSCAN (fast_hdbscan, UTM 37N), {a.n_big:,} events, fresh process")
        r = in_subprocess("hdbscan", a.n_big, a.eps_km, a.min_events)
        print(
            f"    {r['seconds']:.2f} s (goal < 60 s) after {r['warmup_seconds']:.1f} s of "
            f"numba warm-up on 5k; peak RSS {r['peak_rss_mb']:.0f} MB, {r['clusters']:.0f} clusters"
        )
        result(
            f"hdbscan {big}",
            r["seconds"],
            "s",
            n=a.n_big,
            peak_mb=round(r["peak_rss_mb"]),
            goal="< 60 s",
        )
    print(f"[4] space-time DBSCAN, {a.n_compare:,} events, time_days={a.time_days}")
    t = time.perf_counter()
    st = cluster(ev, "st-dbscan", eps_km=a.eps_km, time_days=a.time_days, min_events=5)
    t_st = time.perf_counter() - t
    print(f"    {t_st:.2f} s ({int(st.max()) + 1} clusters)")
    result(f"st-dbscan {small}", t_st, "s", n=a.n_compare)
    r = in_subprocess("hotspots", a.n_big, a.eps_km, a.min_events)
    print(
        f"[5] Gi* hotspots, {a.n_big:,} events, 10 km hexagons: {r['seconds']:.2f} s "
        f"({r['cells']:.0f} cells), peak RSS {r['peak_rss_mb']:.0f} MB"
    )
    result(f"gi* hotspots {big}", r["seconds"], "s", n=a.n_big, peak_mb=round(r["peak_rss_mb"]))


if __name__ == "__main__":
    main()
