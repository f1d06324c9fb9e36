"""Benchmark: zone assignment of N events across all shipped snapshots (2014 - today).

desertgeo.assign_zones (events grouped by snapshot, bbox prefilter +
shapely.intersects_xy per zone) vs the plain approach: geopandas.sjoin of every
event with every zone, then keeping the rows whose date lies in the zone's
validity. Both are run in the same process on the same events; the answers are
compared. Timings are noisy on a shared machine.

Run: .venv/bin/python benchmarks/bench_zones.py [--n 1000000]
"""

from __future__ import annotations

import argparse
import time

import geopandas as gpd
import numpy as np
import pandas as pd
from _common import result

from desertgeo.zones import assign_zones, load_zones


def make_events(n: int, seed: int = 0) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    # dates over every snapshot: 2014-01-01 .. 2026-11-30
    days = pd.date_range("2014-01-01", "2026-11-30").to_numpy()
    return gpd.GeoDataFrame(
        {"date": rng.choice(days, n)},
        geometry=gpd.points_from_xy(rng.uniform(35.6, 42.4, n), rng.uniform(32.3, 37.4, n)),
        crs=4326,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="tiny sizes (CI smoke test)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the default sizes")
    args = parser.parse_args()
    args.n = 5_000 if args.quick else int(args.n * args.scale)
    events = make_events(args.n)
    zones = load_zones()
    print(f"{args.n:,} events, {len(zones)} zones in {zones['snapshot'].nunique()} snapshots")

    t0 = time.perf_counter()
    ours = assign_zones(events, zones)
    t_ours = time.perf_counter() - t0

    # the baseline joins every event with every zone of every snapshot, then filters by date;
    # in chunks of 20k events so that its memory stays bounded too (one join row per
    # event and snapshot: ~200 rows per event)
    t0 = time.perf_counter()
    parts = []
    plain = zones.drop(columns=[c for c in ("band",) if c in zones.columns])
    for start in range(0, len(events), 20_000):
        chunk = events.iloc[start : start + 20_000]
        joined = gpd.sjoin(chunk, plain, how="left", predicate="intersects")
        end = joined["valid_to"].fillna(pd.Timestamp.max)
        joined = joined[(joined["date"] >= joined["valid_from"]) & (joined["date"] < end)]
        parts.append(joined[~joined.index.duplicated()]["zone_id"])
    base = pd.concat(parts).reindex(events.index)
    t_base = time.perf_counter() - t0

    a = ours["zone_id"].astype("string").fillna("")
    b = base.astype("string").fillna("")
    agree = float((a == b).mean())
    print(f"assign_zones           {t_ours:8.3f} s  ({args.n / t_ours:,.0f} events/s)")
    print(f"sjoin + date filter    {t_base:8.3f} s  ({args.n / t_base:,.0f} events/s)")
    print(f"speed-up               {t_base / t_ours:8.1f} x   (goal >= 5 x)")
    print(f"same zone_id           {agree:.6%} of events")
    print(ours["zone_status"].value_counts().to_string())
    size = f"{args.n / 1e6:g}M" if args.n >= 1_000_000 else f"{args.n // 1000}k"
    result(
        f"assign_zones {size} events, {zones['snapshot'].nunique()} snapshots",
        t_ours,
        "s",
        n=args.n,
        baseline="geopandas.sjoin + date filter",
        baseline_value=t_base,
        goal=">= 5x",
        note=f"same zone_id for {agree:.6%} of events",
    )


if __name__ == "__main__":
    main()
