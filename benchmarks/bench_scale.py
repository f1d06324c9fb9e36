"""Zone assignment + distance to the border: dask-geopandas (threads) vs in memory.

Both variants start from the same partitioned GeoParquet dataset of N synthetic
events (the events schema, written here first) and end by writing their result
to GeoParquet, so each does the whole job: read, assign zones, measure the
distance to every neighbour's border, write.

* ``memory``: ``gpd.read_parquet`` of the dataset, then
  ``desertgeo.zones.assign_zones`` and ``desertgeo.distance.distance_to_borders``
  on the whole table, one file out;
* ``dask``: ``desertgeo.scale.read_events_parquet`` (lazy), ``scale.assign_zones``,
  ``scale.distance_to_borders``, ``scale.write_parquet`` (one file per
  partition) under ``dask.config.set(scheduler="threads", num_workers=2)``.

Every variant runs in its own subprocess; its peak memory is that process's
peak RSS (``ru_maxrss`` from ``os.wait4``). Each variant runs at two sizes (N/4
and N): the growth of peak RSS between them is the memory per row, and the
largest table that fits in 16 GiB is *extrapolated* from that line (labelled as
such). Both results are checked against each other (row count, sum of
distances, events per controller).

Usage::

    .venv/bin/python benchmarks/bench_scale.py              # N = 1,000,000 (~2 min)
    .venv/bin/python benchmarks/bench_scale.py --quick      # seconds (CI smoke test)
    .venv/bin/python benchmarks/bench_scale.py --n 10000000 # the issue's 10 M figure

It prints ``RESULT {json}`` lines (see ``benchmarks/README.md``): time and peak RSS of
the dask variant against the in-memory baseline at each size, and the extrapolated
largest table per variant.

Timings are wall-clock on a shared 2-core machine: noisy when others run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

GB = 1024**3
LIMIT = 16 * GB


# --------------------------------------------------------------------------- data
def make_dataset(n: int, path: Path, part_rows: int, seed: int = 8) -> None:
    """Write ``n`` synthetic events (validated schema) as ``part.NNNNN.parquet`` files."""
    from desertgeo.events import validate_events

    rng = np.random.default_rng(seed)
    path.mkdir(parents=True, exist_ok=True)
    # attacks cluster around desert towns and roads: mix of hot spots and background
    centres = np.column_stack([rng.uniform(36.5, 41.0, 60), rng.uniform(32.8, 36.8, 60)])
    places = np.array([f"place {i}" for i in range(60)], dtype=object)
    actors = np.array(["IS", "SAA", "SDF", "NDF", "unknown"], dtype=object)
    start = 0
    number = 0
    while start < n:
        m = min(part_rows, n - start)
        hot = rng.random(m) < 0.7
        k = rng.integers(0, len(centres), m)
        lon = np.where(hot, centres[k, 0] + rng.normal(0, 0.15, m), rng.uniform(35.8, 42.2, m))
        lat = np.where(hot, centres[k, 1] + rng.normal(0, 0.15, m), rng.uniform(32.4, 37.3, m))
        raw = pd.DataFrame(
            {
                "event_id": [f"syn{start + i}" for i in range(m)],
                "date": pd.Timestamp("2016-01-01")
                + pd.to_timedelta(rng.integers(0, 3500, m), unit="D"),
                "place": places[k],
                "fatalities": rng.integers(0, 12, m),
                "actor": actors[rng.integers(0, len(actors), m)],
                "lon": lon,
                "lat": lat,
            }
        )
        events = validate_events(raw)
        events.index = pd.RangeIndex(start, start + m)
        events.to_parquet(path / f"part.{number:05d}.parquet", index=True)
        start += m
        number += 1


# --------------------------------------------------------------------------- workers
def _checks(frame: pd.DataFrame) -> dict[str, object]:
    per_controller = frame["controller"].astype("string").fillna("<NA>").value_counts()
    return {
        "rows": len(frame),
        "sum_dist_border_km": round(float(frame["dist_border_km"].sum()), 3),
        "per_controller": {str(k): int(v) for k, v in sorted(per_controller.items())},
    }


def worker_memory(data: Path, out: Path) -> dict[str, object]:
    import geopandas as gpd

    from desertgeo.distance import distance_to_borders
    from desertgeo.zones import assign_zones

    times: dict[str, float] = {}
    t0 = time.perf_counter()
    files = sorted(data.glob("*.parquet"))
    events = pd.concat([gpd.read_parquet(f) for f in files])
    times["read_s"] = time.perf_counter() - t0
    t = time.perf_counter()
    zoned = assign_zones(events)
    times["zones_s"] = time.perf_counter() - t
    t = time.perf_counter()
    dist = distance_to_borders(zoned)
    result = zoned.join(dist)
    times["distance_s"] = time.perf_counter() - t
    t = time.perf_counter()
    result.to_parquet(out / "result.parquet", index=True)
    times["write_s"] = time.perf_counter() - t
    times["total_s"] = time.perf_counter() - t0
    return {**times, **_checks(result)}


def worker_dask(data: Path, out: Path, workers: int) -> dict[str, object]:
    import dask
    import dask_geopandas

    from desertgeo import scale

    t0 = time.perf_counter()
    with dask.config.set(scheduler="threads", num_workers=workers):
        ddf = scale.read_events_parquet(data, validate=False)
        zoned = scale.assign_zones(ddf)
        result = scale.distance_to_borders(zoned)
        scale.write_parquet(result, out / "result")
    total_s = time.perf_counter() - t0
    # checks stream the two columns they need back through dask (not timed; a few MB),
    # so that the peak RSS stays the pipeline's own
    with dask.config.set(scheduler="threads", num_workers=workers):
        back = dask_geopandas.read_parquet(out / "result", columns=["controller", "dist_border_km"])
        rows, total, counts = dask.compute(
            back.map_partitions(len).sum(),
            back["dist_border_km"].sum(),
            back["controller"].astype("string").fillna("<NA>").value_counts(),
        )
    checks = {
        "rows": int(rows),
        "sum_dist_border_km": round(float(total), 3),
        "per_controller": {str(k): int(v) for k, v in sorted(counts.items())},
    }
    return {"total_s": total_s, "npartitions": ddf.npartitions, **checks}


def worker_idle() -> dict[str, object]:
    import dask  # noqa: F401
    import dask_geopandas  # noqa: F401
    import geopandas  # noqa: F401

    from desertgeo import distance, scale, zones  # noqa: F401

    return {"total_s": 0.0}


# --------------------------------------------------------------------------- driver
def run_variant(variant: str, data: Path, workers: int) -> dict[str, object]:
    """Run one variant in a fresh subprocess; add its peak RSS (bytes)."""
    out = Path(tempfile.mkdtemp(prefix=f"bench_scale_{variant}_"))
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        variant,
        "--data",
        str(data),
        "--out",
        str(out),
        "--workers",
        str(workers),
    ]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    text = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    shutil.rmtree(out, ignore_errors=True)
    if proc.returncode != 0:
        raise SystemExit(f"variant {variant} failed with exit code {proc.returncode}")
    result = json.loads(text.strip().splitlines()[-1])
    result["peak_rss"] = usage.ru_maxrss * 1024  # Linux: kilobytes
    result["cpu_s"] = usage.ru_utime + usage.ru_stime
    result["process_wall_s"] = wall
    return result


def _label(n: int) -> str:
    return f"{n / 1e6:g}M" if n >= 1_000_000 else f"{n / 1e3:g}k"


def _run_worker(args: argparse.Namespace) -> dict[str, object]:
    """One measured variant, in this (child) process."""
    data, out = Path(args.data), Path(args.out)
    if args.worker == "memory":
        return worker_memory(data, out)
    if args.worker == "dask":
        return worker_dask(data, out, args.workers)
    return worker_idle()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes (CI smoke test)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the default N")
    parser.add_argument("--n", type=int, default=None, help="events (default 1,000,000)")
    parser.add_argument("--small", type=int, default=None, help="second size (default N/4)")
    parser.add_argument(
        "--part-rows", type=int, default=None, help="rows per file/partition (default 100,000)"
    )
    parser.add_argument("--workers", type=int, default=2, help="dask threads (default 2)")
    parser.add_argument("--variants", default="memory,dask")
    parser.add_argument("--tmp", default=None, help="where to write the synthetic dataset")
    parser.add_argument("--json", default=None, help="also write the results to this file")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--data", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--out", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        print(json.dumps(_run_worker(args)))
        return 0

    from _common import result

    n_big = args.n or (8_000 if args.quick else max(1, round(1_000_000 * args.scale)))
    part_rows = args.part_rows or (2_000 if args.quick else 100_000)
    variants = [v.strip() for v in args.variants.split(",") if v.strip()]
    small = args.small or max(min(part_rows, n_big), n_big // 4)
    sizes = sorted({small, n_big})
    root = Path(args.tmp or tempfile.mkdtemp(prefix="bench_scale_"))
    print(
        f"bench_scale: sizes {sizes}, {part_rows:,} rows per partition, "
        f"dask threads={args.workers}, cpu count {os.cpu_count()}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    idle = run_variant("idle", root, args.workers)
    print(f"baseline (imports only): peak RSS {int(idle['peak_rss']) / GB:.2f} GiB")
    results: dict[str, dict[int, dict[str, object]]] = {v: {} for v in variants}
    try:
        for n in sizes:
            data = root / f"events_{n}"
            t = time.perf_counter()
            make_dataset(n, data, part_rows)
            print(
                f"\nN = {n:,}: dataset written in {time.perf_counter() - t:.1f} s "
                f"({sum(f.stat().st_size for f in data.iterdir()) / 1e6:.0f} MB on disk, "
                f"{len(list(data.iterdir()))} files)"
            )
            for v in variants:
                r = run_variant(v, data, args.workers)
                results[v][n] = r
                extra = ""
                if v == "memory":
                    extra = (
                        f" (read {r['read_s']:.1f}, zones {r['zones_s']:.1f}, "
                        f"distance {r['distance_s']:.1f}, write {r['write_s']:.1f})"
                    )
                print(
                    f"  {v:6s}: {r['total_s']:7.1f} s{extra}, peak RSS "
                    f"{int(r['peak_rss']) / GB:5.2f} GiB, CPU {float(r['cpu_s']):.1f} s, "
                    f"load average {os.getloadavg()[0]:.2f}"
                )
            if {"memory", "dask"} <= set(variants):
                a, b = results["memory"][n], results["dask"][n]
                same = (
                    a["rows"] == b["rows"]
                    and a["per_controller"] == b["per_controller"]
                    and abs(float(a["sum_dist_border_km"]) - float(b["sum_dist_border_km"]))
                    <= 1e-6 * abs(float(a["sum_dist_border_km"]))
                )
                print(f"  same results (rows, events per controller, sum of distances): {same}")
                if not same:
                    for key in ("rows", "sum_dist_border_km", "per_controller"):
                        print(f"    {key}: memory {a[key]} / dask {b[key]}")
                    raise SystemExit("the dask and in-memory results differ")
                mem_mb, dask_mb = int(a["peak_rss"]) / 2**20, int(b["peak_rss"]) / 2**20
                result(
                    f"zones+borders dask {_label(n)}",
                    round(float(b["total_s"]), 2),
                    "s",
                    n=n,
                    baseline="in memory (one process)",
                    baseline_value=round(float(a["total_s"]), 2),
                    peak_mb=round(dask_mb, 1),
                    note=(
                        f"read+zones+distance to borders+write; {args.workers} threads, "
                        f"{part_rows:,} rows/partition; CPU s dask {float(b['cpu_s']):.1f} "
                        f"vs memory {float(a['cpu_s']):.1f}; baseline peak {mem_mb:.0f} MB"
                    ),
                )
                result(
                    f"peak RSS dask {_label(n)}",
                    round(dask_mb, 1),
                    "MB",
                    n=n,
                    baseline="in memory (one process)",
                    baseline_value=round(mem_mb, 1),
                )
            shutil.rmtree(data, ignore_errors=True)
    finally:
        if args.tmp is None:
            shutil.rmtree(root, ignore_errors=True)

    if sizes[-1] >= 100_000:
        print(
            "\nLargest table within 16 GiB (EXTRAPOLATED from the two sizes above, "
            "assuming peak RSS grows linearly with N):"
        )
    summary: dict[str, object] = {"sizes": sizes, "idle_peak_rss": idle["peak_rss"], "runs": {}}
    for v in variants:
        runs = results[v]
        summary["runs"][v] = {str(k): r for k, r in runs.items()}  # type: ignore[index]
        if len(sizes) < 2 or sizes[-1] < 100_000:
            continue  # tiny sizes (--quick): the fit would only measure noise
        n1, n2 = sizes
        m1, m2 = int(runs[n1]["peak_rss"]), int(runs[n2]["peak_rss"])
        per_row = (m2 - m1) / (n2 - n1)
        if m2 - m1 < 0.1 * m1:  # < 10 % growth for a larger N: not a per-row cost
            print(
                f"  {v:6s}: peak RSS barely grew with N ({m1 / GB:.2f} -> {m2 / GB:.2f} GiB): "
                "no RAM limit seen (bounded by partition size x threads); disk and time limit it"
            )
            continue
        fit = (LIMIT - (m2 - per_row * n2)) / per_row
        print(
            f"  {v:6s}: {per_row:,.0f} bytes per row -> about {fit / 1e6:,.1f} M rows "
            "(extrapolated)"
        )
        result(
            f"rows within 16 GiB {v} (extrapolated)",
            round(fit),
            "rows",
            better="higher",
            note=(
                f"linear fit of peak RSS at {n1:,} and {n2:,} rows: {per_row:,.0f} B/row; "
                "an extrapolation, not a measurement"
            ),
        )
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
