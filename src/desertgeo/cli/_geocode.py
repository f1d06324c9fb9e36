"""``desertgeo geocode``: place names and descriptive locations to points with uncertainty.

``desertgeo geocode "Sukhna" "20 km east of Palmyra"`` prints a table (``--json``: JSON);
``desertgeo geocode -i names.csv -c place -o out.geojson`` (or ``out.csv``) geocodes a
column of a CSV file. CSV output has ``lon``/``lat`` columns and no geometry objects;
GeoJSON output has one geometry (the point). Exit code 1 with ``--strict`` when any name
is unresolved.
"""

from __future__ import annotations

import argparse
import math
import sys
from typing import Any

from desertgeo.cli._common import (
    add_csv_safe_option,
    add_output_options,
    check_input_file,
    check_output_file,
    emit_json,
    say,
    write_csv,
    write_frame,
)

_TABLE_COLUMNS = ["query", "matched_name", "place_id", "rule", "status", "geo_precision",
                  "where_prec", "uncertainty_m", "lon", "lat"]  # fmt: skip


def register(sub: Any) -> None:
    """Add the ``geocode`` sub-command."""
    p = sub.add_parser(
        "geocode",
        help="geocode place names and descriptive locations (offline)",
        description="Geocode place names as reports spell them (Latin or Arabic script) "
        "and descriptive locations ('outside Sukhna', '20 km east of Palmyra', 'rural Homs', "
        "'the 55 km area around the Tanf base', 'along the Damascus-Baghdad highway') to a "
        "point, an uncertainty radius and ACLED / UCDP precision codes.",
    )
    p.add_argument("names", nargs="*", help="names or phrases to geocode")
    p.add_argument("-i", "--input", help="CSV file with a column of names")
    p.add_argument("-c", "--column", help="column of --input that holds the names")
    p.add_argument("-o", "--output", help="write the result: .csv (lon/lat columns) or .geojson")
    p.add_argument("--country", help="prefer places in this ISO2 country (e.g. SY)")
    p.add_argument("--admin1", help="prefer places in this governorate (any spelling)")
    p.add_argument(
        "--threshold",
        type=float,
        default=85.0,
        help="minimum fuzzy score 0-100 for typo matches (default 85; 101 = no fuzzy)",
    )
    p.add_argument(
        "--gazetteer",
        help="CSV of extra places (name, lon, lat, optional aliases ...) added to the default",
    )
    p.add_argument(
        "--strict", action="store_true", help="exit with status 1 if any name is unresolved"
    )
    add_csv_safe_option(p)
    add_output_options(p)
    p.set_defaults(func=run)


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.5f}" if abs(value) < 360 else f"{value:.0f}"
    text = str(value)
    return "" if text in {"<NA>", "nan", "None"} else text


def run(args: argparse.Namespace) -> int:
    """Geocode the names given on the command line or in a CSV column."""
    import pandas as pd

    from desertgeo._errors import InputError
    from desertgeo.gazetteer import Gazetteer
    from desertgeo.geocoder import geocode

    out = check_output_file(args.output, suffixes=(".csv", ".geojson", ".json"))
    check_input_file(args.gazetteer, "--gazetteer file")
    if args.input:
        if args.names:
            raise InputError("give names on the command line or --input, not both")
        source = check_input_file(args.input, "--input file")
        frame = _read_names_csv(source)
        column = args.column or (frame.columns[0] if len(frame.columns) == 1 else None)
        if column is None or column not in frame.columns:
            raise InputError(
                f"--column {args.column!r} is not a column of {args.input}; "
                f"its columns: {', '.join(frame.columns)}"
            )
        names = frame[column]
    elif args.names:
        frame = None
        names = pd.Series(args.names, dtype=object)
    else:
        raise InputError("nothing to geocode: give names, or --input FILE --column NAME")

    gaz = Gazetteer.default()
    if args.gazetteer:
        gaz = Gazetteer.from_csv(args.gazetteer, extend=gaz)
    res = geocode(
        names, gazetteer=gaz, threshold=args.threshold, country=args.country, admin1=args.admin1
    )
    points = res.geometry
    res = res.assign(
        lon=[p.x if p is not None and not p.is_empty else math.nan for p in points],
        lat=[p.y if p is not None and not p.is_empty else math.nan for p in points],
    )
    n_bad = int((res["status"] == "unresolved").sum())

    if out is not None:
        if out.suffix.lower() in {".geojson", ".json"}:
            keep = res.drop(columns=["lon", "lat"])
            if frame is not None:
                extra = frame.drop(columns=[c for c in frame.columns if c in keep.columns])
                keep = keep.join(extra)
            write_frame(keep, out, driver="GeoJSON")
        elif out.suffix.lower() == ".csv":
            table = pd.DataFrame(res.drop(columns="geometry"))
            if frame is not None:
                extra = frame.drop(columns=[c for c in frame.columns if c in table.columns])
                table = extra.join(table)
            write_csv(table, out, csv_safe=args.csv_safe)
        say(args, f"geocoded {len(res)} names ({n_bad} unresolved) -> {out}")
    elif args.json:
        records = pd.DataFrame(res.drop(columns="geometry")).astype(object)
        records = records.where(records.notna(), None)
        emit_json(records.to_dict("records"))
    else:
        _print_table(res)
    if n_bad:
        for row in res[res["status"] == "unresolved"].itertuples():
            say(args, f"unresolved: {row.query!r}: {row.reason}")
    return 1 if (args.strict and n_bad) else 0


def _read_names_csv(source: Any) -> Any:
    """The --input CSV as text columns; one clear error when it is not a readable CSV."""
    import pandas as pd

    from desertgeo._errors import DataError

    try:
        return pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"--input file {source} is not UTF-8 text ({exc.reason} at byte {exc.start}); "
            "save it as UTF-8 and run again"
        ) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(
            f"--input file {source} is not a readable CSV ({' '.join(str(exc).split())}); "
            "give a CSV with a header row"
        ) from None


def _print_table(res: Any) -> None:
    rows = [[_fmt(v) for v in row] for row in res[_TABLE_COLUMNS].itertuples(index=False)]
    widths = [
        max(len(col), *(len(r[i]) for r in rows)) if rows else len(col)
        for i, col in enumerate(_TABLE_COLUMNS)
    ]
    out = sys.stdout
    out.write(
        "  ".join(c.ljust(w) for c, w in zip(_TABLE_COLUMNS, widths, strict=False)).rstrip() + "\n"
    )
    for r in rows:
        out.write("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=False)).rstrip() + "\n")
