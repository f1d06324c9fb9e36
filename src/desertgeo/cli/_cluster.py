"""``desertgeo cluster``: cluster events and write one summary row (hull) per cluster."""

from __future__ import annotations

import argparse
from typing import Any

from desertgeo.cli._common import (
    add_csv_safe_option,
    add_output_options,
    check_input_file,
    check_output_file,
    emit_json,
    say,
    steps,
    write_csv,
    write_frame,
)


def register(sub: Any) -> None:
    """Add the ``cluster`` sub-command."""
    p = sub.add_parser(
        "cluster",
        help="DBSCAN / HDBSCAN / space-time DBSCAN clusters of events (distances in km)",
        description="Cluster events and write the cluster summaries (hull polygons) to a file.",
    )
    p.add_argument("events", help="events file (CSV, GeoJSON, GeoPackage, GeoParquet)")
    p.add_argument("--method", choices=["dbscan", "hdbscan", "st-dbscan"], default="dbscan")
    p.add_argument("--eps-km", type=float, default=10.0, help="neighbourhood radius in km")
    p.add_argument("--min-events", type=int, default=5, help="events that make a core point")
    p.add_argument("--time-days", type=float, help="time window in days (st-dbscan)")
    p.add_argument("--min-cluster-size", type=int, help="smallest cluster (hdbscan)")
    p.add_argument("--hull", choices=["convex", "concave"], default="convex")
    p.add_argument("-o", "--output", required=True, help="summary file (.geojson, .gpkg)")
    p.add_argument("--labels-out", help="CSV of event_id (or row number) and cluster label")
    add_csv_safe_option(p)
    add_output_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Cluster, summarise, write."""
    import pandas as pd

    from desertgeo.clustering import cluster, summarize_clusters
    from desertgeo.events import read_events

    check_input_file(args.events, "events file")
    check_output_file(args.output, suffixes=(".geojson", ".json", ".gpkg"))
    check_output_file(args.labels_out, "--labels-out", suffixes=(".csv",))
    with steps(args, "reading events", "clustering", "summarising", "writing") as step:
        step("reading events")
        events = read_events(args.events)
        step("clustering")
        labels = cluster(
            events,
            args.method,
            eps_km=args.eps_km,
            min_events=args.min_events,
            time_days=args.time_days,
            min_cluster_size=args.min_cluster_size,
        )
        step("summarising")
        summary = summarize_clusters(events, labels, hull=args.hull)
        step("writing")
        write_frame(summary, args.output)
    if args.labels_out:
        ids = (
            events["event_id"].astype("string")
            if "event_id" in events.columns
            else pd.Series(range(len(events)), index=events.index).astype("string")
        )
        table = pd.DataFrame({"event_id": ids.to_numpy(), "cluster": labels.to_numpy()})
        write_csv(table, args.labels_out, csv_safe=args.csv_safe)
    n_noise = int((labels == -1).sum())
    n_na = int(labels.isna().sum())
    if args.json:
        emit_json(
            {
                "events": len(events),
                "clusters": len(summary),
                "noise": n_noise,
                "unusable": n_na,
                "output": args.output,
            }
        )
    say(
        args,
        f"{len(events)} events: {len(summary)} clusters, {n_noise} noise, "
        f"{n_na} without usable location/date -> {args.output}",
    )
    return 0
