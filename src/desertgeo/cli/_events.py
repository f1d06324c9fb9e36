"""``desertgeo events``: read / validate / convert event files, and parse articles.

``desertgeo events read FILE -o out.gpkg [--format acled] [--strict]`` reads any
supported file into the validated events table, prints the status summary and
writes the result. ``desertgeo events parse article.txt --published 2023-02-20
-o events.geojson`` extracts events from a news text.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desertgeo.cli._common import add_csv_safe_option, add_output_options, emit_json, say, steps

_FORMATS = ["acled", "ucdp", "csv", "geojson", "gpkg", "parquet"]


def register(sub: Any) -> None:
    """Add the ``events`` sub-command with its ``read`` and ``parse`` actions."""
    p = sub.add_parser(
        "events",
        help="read, validate and convert event tables; extract events from articles",
        description="Read event files (ACLED, UCDP GED, CSV, GeoJSON, GeoPackage, "
        "GeoParquet) into the validated events table, or extract events from news text.",
    )
    actions = p.add_subparsers(dest="events_action", metavar="ACTION")

    r = actions.add_parser(
        "read",
        help="read and validate an event file; print the status summary; write it",
        description="Read an event file, validate every row (nothing is dropped: bad rows "
        "get status and reason), print counts per status and reason, and optionally "
        "write the result (format from the output extension). Exit status: 0 when every "
        "row is usable, 1 when some rows are invalid (one summary line on stderr; the "
        "output is still written), 2 for a usage or file error.",
    )
    r.add_argument(
        "file", help="input file (.csv, .tsv, .geojson, .gpkg, .parquet; a .zip / .gz CSV)"
    )
    r.add_argument("-o", "--output", help="write the validated events here")
    r.add_argument(
        "--format",
        choices=_FORMATS,
        help="input format (default: from the "
        "extension; ACLED/UCDP CSVs are recognised from their header)",
    )
    r.add_argument(
        "--output-format",
        choices=_FORMATS[2:],
        help="output format (default: from the output extension)",
    )
    r.add_argument(
        "--strict",
        action="store_true",
        help="stop at the first bad row (exit 2) instead of flagging it",
    )
    r.add_argument(
        "--column",
        action="append",
        default=[],
        metavar="SCHEMA=FILE",
        help="map a schema column to a file column, e.g. --column lat=Y (repeatable)",
    )
    r.add_argument(
        "--no-geocode",
        action="store_true",
        help="do not geocode place names when a CSV has no coordinates",
    )
    add_csv_safe_option(r)
    r.add_argument(
        "--fix-swapped",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="swap back latitude/longitude only where the row's own country/admin1 fit the "
        "swapped point (default); --no-fix-swapped keeps every point as given (possible_swap)",
    )
    r.add_argument(
        "--dayfirst",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="numeric dates are day-first (05/06/2024 = 5 June); --no-dayfirst: month-first; "
        "default: inferred per column, a warning when the column reads both ways",
    )
    r.add_argument("--encoding", help="text encoding of a CSV (default: detected; e.g. cp1256)")
    r.add_argument("--sep", help="CSV separator (default: detected: , ; tab |)")
    r.add_argument("--layer", help="layer of a multi-layer GeoPackage")
    r.add_argument(
        "--study-area",
        type=_study_area,
        default="default",
        metavar="BOX",
        help="rows outside it are kept and flagged outside_study_area: 'default' (Syria and "
        "its neighbours), 'none' (no area: nothing flagged, nothing swapped), or "
        "MINLON,MINLAT,MAXLON,MAXLAT",
    )
    add_output_options(r)
    r.set_defaults(func=run_read)

    t = actions.add_parser(
        "parse",
        help="extract events from a news article (plain text)",
        description="Extract attack events (place, date, counts, actors, targets) from "
        "a plain-text article, offline.",
    )
    t.add_argument("file", help="text file ('-' for standard input)")
    t.add_argument(
        "--published",
        help="publication date (YYYY-MM-DD): anchors 'Friday', "
        "'last week' and the year of 'February 11'",
    )
    t.add_argument("--source", help="source written to the events (default: the file name)")
    t.add_argument("-o", "--output", help="write the events here (.geojson, .gpkg, .csv, .parquet)")
    add_csv_safe_option(t)
    add_output_options(t)
    t.set_defaults(func=run_parse)

    p.set_defaults(func=lambda args: _usage(p))


def _study_area(text: str) -> tuple[float, float, float, float] | str:
    """``--study-area``: 'default', 'none' or four numbers."""
    key = text.strip().lower()
    if key in ("default", "none"):
        return key
    try:
        box = tuple(float(v) for v in key.split(","))
    except ValueError:
        box = ()
    if len(box) != 4 or not (box[0] < box[2] and box[1] < box[3]):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not 'default', 'none' or MINLON,MINLAT,MAXLON,MAXLAT (e.g. 34,29,49,38)"
        )
    return (box[0], box[1], box[2], box[3])


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _columns(pairs: list[str]) -> dict[str, str] | None:
    from desertgeo._errors import InputError

    mapping: dict[str, str] = {}
    for pair in pairs:
        if "=" not in pair:
            raise InputError(f"--column expects SCHEMA=FILE_COLUMN, got {pair!r}")
        key, value = pair.split("=", 1)
        mapping[key.strip()] = value.strip()
    return mapping or None


def _summary_rows(events: Any) -> list[dict[str, Any]]:
    from desertgeo.events import summary

    table = summary(events)
    return [
        {"status": str(r["status"]), "reason": str(r["reason"]), "count": int(r["count"])}
        for r in table.to_dict("records")
    ]


def _print_summary(args: argparse.Namespace, events: Any, label: str) -> None:
    rows = _summary_rows(events)
    say(args, f"{label}: {len(events)} events")
    for row in rows:
        if row["reason"]:
            say(args, f"  {row['status']:<8} {row['reason']:<28} {row['count']:>8}")
        else:
            say(args, f"  {row['status']:<8} {'(all)':<28} {row['count']:>8}")


def run_read(args: argparse.Namespace) -> int:
    """Read, validate, summarise and optionally write an event file."""
    from desertgeo.events import STUDY_AREA, read_events, report_line, status_counts, write_events

    area = {"default": STUDY_AREA, "none": None}.get(args.study_area, args.study_area)
    with steps(args, "reading and validating", "writing") as step:
        step("reading and validating")
        events = read_events(
            args.file,
            format=args.format,
            columns=_columns(args.column),
            strict=args.strict,
            geocode=not args.no_geocode,
            fix_swapped=args.fix_swapped,
            dayfirst=args.dayfirst,
            encoding=args.encoding,
            sep=args.sep,
            layer=args.layer,
            study_area=area,
        )
        out = None
        if args.output:
            step("writing")
            out = write_events(
                events, args.output, format=args.output_format, csv_safe=args.csv_safe
            )
    if out is not None:
        say(args, f"wrote {len(events)} events to {out}")
    if args.json:
        emit_json(
            {
                "file": args.file,
                "n_events": len(events),
                "summary": _summary_rows(events),
                "counts": status_counts(events),
                "output": args.output,
            }
        )
    else:
        _print_summary(args, events, args.file)
    if status_counts(events)["invalid"]:
        # one line on stderr, even with --quiet: the run finished with unusable rows
        print(report_line(events, args.file), file=sys.stderr)
        return 1
    return 0


def run_parse(args: argparse.Namespace) -> int:
    """Extract events from an article and print or write them."""
    from desertgeo.events import write_events
    from desertgeo.text import events_from_text

    if args.file == "-":
        text = sys.stdin.read()
        name = "<stdin>"
    else:
        path = Path(args.file)
        if not path.is_file():
            raise FileNotFoundError(f"no such article file: {args.file}")
        text = path.read_text(encoding="utf-8")
        name = path.name
    events = events_from_text(text, published=args.published, source=args.source or name)
    if args.output:
        out = write_events(events, args.output, csv_safe=args.csv_safe)
        say(args, f"wrote {len(events)} events to {out}")
    if args.json:
        records = []
        for _idx, row in events.iterrows():
            rec = {k: (None if _isna(v) else v) for k, v in row.items() if k != "geometry"}
            geom = row.geometry
            rec["lon"] = None if geom is None or geom.is_empty else round(geom.x, 6)
            rec["lat"] = None if geom is None or geom.is_empty else round(geom.y, 6)
            for key in ("date", "date_end"):
                value = rec.get(key)
                if value is not None:
                    rec[key] = str(value.date())
            records.append(rec)
        emit_json(records)
        return 0
    for _idx, row in events.iterrows():
        date = "?" if _isna(row["date"]) else str(row["date"].date())
        fat = "?" if _isna(row["fatalities"]) else int(row["fatalities"])
        place = "?" if _isna(row["place"]) else row["place"]
        print(
            f"{row['event_id']:<8} {date:<10} {place!s:<20} killed={fat!s:<4} "
            f"actor={row['actor'] if not _isna(row['actor']) else '?'} "
            f"[{row['status']}]"
        )
    _print_summary(args, events, name)
    return 0


def _isna(value: Any) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
