"""``desertgeo hotspots``: Getis-Ord Gi* hotspot cells of events."""

from __future__ import annotations

import argparse
from typing import Any

from desertgeo.cli._common import (
    add_output_options,
    check_input_file,
    check_output_file,
    emit_json,
    say,
    steps,
    write_frame,
)


def register(sub: Any) -> None:
    """Add the ``hotspots`` sub-command."""
    p = sub.add_parser(
        "hotspots",
        help="Getis-Ord Gi* hotspots on a hexagonal or square grid in metres (FDR-corrected)",
        description="Compute Gi* hotspot cells of events and write them to a file.",
    )
    p.add_argument("events", help="events file (CSV, GeoJSON, GeoPackage, GeoParquet)")
    p.add_argument("--cell-km", type=float, default=10.0, help="cell size in km")
    p.add_argument("--shape", choices=["hex", "square"], default="hex")
    p.add_argument("--weight", help="column to sum per cell (e.g. fatalities); default counts")
    p.add_argument("--distance-km", type=float, help="neighbour band (default: touching cells)")
    p.add_argument("--alpha", type=float, default=0.05)
    p.add_argument("--no-fdr", action="store_true", help="classify on raw p-values")
    p.add_argument("--all-cells", action="store_true", help="also write cells with no events")
    p.add_argument("-o", "--output", required=True, help="output file (.geojson, .gpkg)")
    add_output_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Compute hotspots and write the cells."""
    from desertgeo.events import read_events
    from desertgeo.hotspot import hotspots

    check_input_file(args.events, "events file")
    check_output_file(args.output, suffixes=(".geojson", ".json", ".gpkg"))
    with steps(args, "reading events", "Gi* on the grid", "writing") as step:
        step("reading events")
        events = read_events(args.events)
        step("Gi* on the grid")
        cells = hotspots(
            events,
            args.cell_km,
            shape=args.shape,
            weight=args.weight,
            distance_km=args.distance_km,
            alpha=args.alpha,
            fdr=not args.no_fdr,
        )
        keep = (
            cells
            if args.all_cells
            else cells[(cells["n_events"] > 0) | (cells["hotspot"] != "not significant")]
        )
        step("writing")
        write_frame(keep, args.output)
    counts = cells["hotspot"].value_counts()
    n_hot, n_cold = int(counts.get("hot", 0)), int(counts.get("cold", 0))
    if args.json:
        emit_json(
            {
                "cells": len(cells),
                "written": len(keep),
                "hot": n_hot,
                "cold": n_cold,
                "output": args.output,
            }
        )
    say(
        args,
        f"{len(cells)} cells: {n_hot} hot, {n_cold} cold -> {args.output} ({len(keep)} written)",
    )
    return 0
