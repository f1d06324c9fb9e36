"""``desertgeo distance``: exact geodesic distances from events to borders, sites, roads.

``desertgeo distance EVENTS --to border|borders|iraq|jordan|lebanon|turkey|israel|
tri-border|site NAME|road NAME|front -o out.csv [--stats] [--by COLUMN]``.
"""

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
)


def register(sub: Any) -> None:
    """Add the ``distance`` sub-command."""
    p = sub.add_parser(
        "distance",
        help="geodesic distance from events to the border, a neighbour, a site or a road",
        description="Exact geodesic distances (WGS84) from each event to a target, with the "
        "nearest feature's name; optional summary statistics.",
    )
    p.add_argument("events", help="event file (.csv, .geojson, .gpkg, .parquet)")
    p.add_argument(
        "--to",
        nargs="+",
        required=True,
        metavar="TARGET",
        help="border | borders (one column per neighbour) | iraq | jordan | lebanon | "
        "turkey | israel | tri-border | site NAME | road NAME | front (the front line in force "
        "on each event's date)",
    )
    p.add_argument("-o", "--output", help="write the events with the distance columns here")
    p.add_argument("--nearest-point", action="store_true", help="add the nearest point lon/lat")
    p.add_argument("--stats", action="store_true", help="print summary statistics")
    p.add_argument("--by", help="group the statistics by this column")
    p.add_argument(
        "--within",
        default="10,25,55,100",
        help="distances (km) for the 'share within' statistics (default: 10,25,55,100)",
    )
    add_csv_safe_option(p)
    add_output_options(p)
    p.set_defaults(func=run)


def _target(tokens: list[str]) -> str:
    kind = tokens[0].casefold()
    if kind in ("site", "road"):
        if len(tokens) < 2:
            from desertgeo._errors import InputError

            raise InputError(f"--to {kind} needs a name, e.g. --to {kind} 'al-Tanf garrison'")
        return f"{kind}:{' '.join(tokens[1:])}"
    return " ".join(tokens)


def _within(text: str) -> tuple[float, ...]:
    """Parse ``--within`` ("10,25,55"): finite, non-negative kilometres."""
    import math

    from desertgeo._errors import InputError

    values = []
    for item in str(text).split(","):
        if not item.strip():
            continue
        try:
            value = float(item)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value < 0:
            raise InputError(
                f"--within {text!r}: {item.strip()!r} is not a distance in km; "
                "give comma-separated numbers, e.g. --within 10,25,55,100"
            )
        values.append(value)
    return tuple(values)


def run(args: argparse.Namespace) -> int:
    """Compute the distances, print statistics, write the result."""
    from desertgeo.distance import distance_stats, distance_to, distance_to_borders
    from desertgeo.events import read_events, write_events

    check_input_file(args.events, "events file")
    check_output_file(args.output)
    _within(args.within)
    with steps(args, "reading events", "measuring distances", "writing") as step:
        step("reading events")
        events = read_events(args.events)
        target = _target(args.to)
        step("measuring distances")
        if target.casefold() == "borders":
            dist = distance_to_borders(events)
            column = "dist_border_km"
        else:
            dist = distance_to(events, target, nearest_point=args.nearest_point)
            column = str(dist.columns[0])
        out = events.copy()
        for col in dist.columns:
            out[col] = dist[col]
        path = None
        if args.output:
            step("writing")
            path = write_events(out, args.output, csv_safe=args.csv_safe)
    n_missing = int(dist[column].isna().sum())
    say(args, f"{column}: {len(dist) - n_missing} events measured, {n_missing} without location")
    if path is not None:
        say(args, f"wrote {len(out)} events to {path}")
    stats = None
    if args.stats or args.by:
        within = _within(args.within)
        stats = distance_stats(out, column, by=args.by, within_km=within)
    if args.json:
        emit_json(
            {
                "column": column,
                "measured": len(dist) - n_missing,
                "missing": n_missing,
                "stats": None if stats is None else stats.reset_index().to_dict("records"),
            }
        )
    elif stats is not None:
        print(stats.to_string(float_format=lambda v: f"{v:.3f}"))
    return 0
