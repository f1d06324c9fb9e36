"""``desertgeo zones``: list the control-zone snapshots, assign events to zones.

``desertgeo zones list`` prints every snapshot (and the date ranges that no
snapshot covers); ``desertgeo zones assign EVENTS -o out.gpkg [--zones FILE]
[--summary]`` adds ``zone_id, controller, snapshot, zone_status`` to the events.
"""

from __future__ import annotations

import argparse
from typing import Any

from desertgeo.cli._common import (
    add_csv_safe_option,
    add_output_options,
    check_input_file,
    emit_json,
    say,
    steps,
)


def register(sub: Any) -> None:
    """Add the ``zones`` sub-command with its ``list`` and ``assign`` actions."""
    p = sub.add_parser(
        "zones",
        help="approximate control-zone snapshots: list them, assign events to them",
        description="Dated, approximate control-zone snapshots (not authoritative; see "
        "data/zones/README.md). Events get the zone in force at their date and place.",
    )
    actions = p.add_subparsers(dest="zones_action", metavar="ACTION")
    lst = actions.add_parser("list", help="list the snapshots and the dates none covers")
    lst.add_argument("--zones", help="a zones file instead of the shipped snapshots")
    add_output_options(lst)
    lst.set_defaults(func=run_list)

    a = actions.add_parser(
        "assign",
        help="add zone_id, controller, snapshot and zone_status to events",
        description="Read events, find the zone in force at each event's date and place, "
        "write the result (format from the output extension).",
    )
    a.add_argument("events", help="event file (.csv, .geojson, .gpkg, .parquet)")
    a.add_argument("-o", "--output", help="write the events with their zones here")
    a.add_argument("--zones", help="a zones file instead of the shipped snapshots")
    a.add_argument("--date-column", default="date", help="date column (default: date)")
    a.add_argument(
        "--shares",
        action="store_true",
        help="also divide each event's uncertainty disc between controllers",
    )
    a.add_argument(
        "--summary", action="store_true", help="print events and fatalities per controller"
    )
    a.add_argument(
        "--period", default="M", help="summary period: M, Q, Y, W or 'none' (default: M)"
    )
    add_csv_safe_option(a)
    add_output_options(a)
    a.set_defaults(func=run_assign)
    p.set_defaults(func=lambda args: _usage(p))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def run_list(args: argparse.Namespace) -> int:
    """Print the snapshot table."""
    import pandas as pd

    from desertgeo.zones import list_snapshots, load_zones

    check_input_file(args.zones, "--zones file")
    table = list_snapshots(load_zones(args.zones) if args.zones else None)
    if args.json:
        emit_json(table.to_dict("records"))
        return 0
    for row in table.to_dict("records"):
        start = pd.Timestamp(row["valid_from"]).date()
        end = "open" if pd.isna(row["valid_to"]) else pd.Timestamp(row["valid_to"]).date()
        if row["kind"] == "gap":
            print(f"{'(no snapshot)':<16} {start} .. {end}  events here: 'no snapshot for date'")
        else:
            approx = " approximate" if row["approximate"] else ""
            print(f"{row['snapshot']:<16} {start} .. {end}  {row['n_zones']:>3} zones{approx}")
            print(f"{'':<16} {row['controllers']}")
    return 0


def run_assign(args: argparse.Namespace) -> int:
    """Assign events to zones, print counts per status, write the result."""
    from desertgeo.events import read_events, write_events
    from desertgeo.zones import assign_zones, zone_summary

    check_input_file(args.zones, "--zones file")
    with steps(args, "reading events", "assigning zones", "writing") as step:
        step("reading events")
        events = read_events(args.events)
        step("assigning zones")
        out = assign_zones(events, args.zones, date_column=args.date_column, shares=args.shares)
        path = None
        if args.output:
            step("writing")
            path = write_events(out, args.output, csv_safe=args.csv_safe)
    from desertgeo.zones import zone_status_counts

    counts = dict(out["zone_status"].value_counts().to_dict().items())
    report = zone_status_counts(out)
    say(args, "zone_status: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    if path is not None:
        say(args, f"wrote {len(out)} events to {path}")
    summary = None
    if args.summary:
        period = None if str(args.period).lower() == "none" else args.period
        summary = zone_summary(out, period=period, date_column=args.date_column)
    if args.json:
        emit_json(
            {
                "zone_status": counts,
                "counts": report,
                "summary": None if summary is None else summary.to_dict("records"),
            }
        )
    elif summary is not None:
        print(summary.to_string(index=False))
    if report["without zone"]:
        # one line, always shown (also with --quiet): the run finished but rows lack a zone
        import sys

        print(
            f"desertgeo zones assign: {report['without zone']} of {report['rows']} rows have no "
            f"zone (no snapshot for date {report['no snapshot for date']}, outside zones "
            f"{report['outside zones']}, no date {report['no date']}, no geometry "
            f"{report['no geometry']}); see zone_status in the output",
            file=sys.stderr,
        )
        return 1
    return 0
