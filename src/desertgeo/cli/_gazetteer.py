"""``desertgeo gazetteer``: extend the default gazetteer (GeoNames dumps, your own CSVs).

``desertgeo gazetteer fetch SY`` downloads GeoNames' Syria dump (CC BY 4.0) into the
extension folder -- the only command that goes online, and only when asked; it is
streamed under a size cap, a zip-bomb check and a total deadline (``--timeout``).
``desertgeo gazetteer add places.csv`` checks every row of your own places and stores
the file (``--replace`` to replace an earlier one of the same name);
``desertgeo gazetteer list`` shows what is there and ``desertgeo gazetteer remove NAME``
removes a file. Every later ``geocode`` uses them.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desertgeo.cli._common import add_output_options, check_input_file, emit_json, say


def register(sub: Any) -> None:
    """Add the ``gazetteer`` sub-command and its actions."""
    p = sub.add_parser(
        "gazetteer",
        help="extend the gazetteer with a GeoNames country dump or your own CSV",
        description="Manage the user's gazetteer extensions (folder: $DESERTGEO_HOME/gazetteer, "
        "default ~/.local/share/desertgeo/gazetteer).",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    fetch = actions.add_parser(
        "fetch", help="download a GeoNames country dump (needs internet; CC BY 4.0)"
    )
    fetch.add_argument("country", nargs="?", default="SY", help="ISO2 country code (default SY)")
    fetch.add_argument("--url", help="download from this address instead of GeoNames'")
    fetch.add_argument(
        "--timeout",
        type=float,
        default=300.0,
        help="give up after this many seconds in all (download and checks; default 300)",
    )
    add_output_options(fetch)
    fetch.set_defaults(func=run_fetch)
    add = actions.add_parser("add", help="add a CSV of your own places (name, lon, lat, ...)")
    add.add_argument("csv", help="CSV with name and lon/lat columns (aliases '|'-separated)")
    add.add_argument(
        "--replace", action="store_true", help="replace an extension with the same file name"
    )
    add_output_options(add)
    add.set_defaults(func=run_add)
    show = actions.add_parser("list", help="list the extension files and their place counts")
    add_output_options(show)
    show.set_defaults(func=run_list)
    remove = actions.add_parser("remove", help="remove an extension file (name as listed)")
    remove.add_argument("name", help="file name of the extension, e.g. SY.zip or mine.csv")
    add_output_options(remove)
    remove.set_defaults(func=run_remove)


def _count(path: Path) -> int:
    from desertgeo.gazetteer import Gazetteer

    if path.suffix.lower() == ".csv":
        return len(Gazetteer.from_csv(path))
    return len(Gazetteer.from_geonames(path))


def _describe(path: Path) -> dict[str, Any]:
    """A row of ``gazetteer list``: the file and its place count, or why it does not read."""
    from desertgeo._errors import DesertGeoError

    try:
        return {"path": str(path), "places": _count(path)}
    except (DesertGeoError, OSError, ValueError) as exc:
        return {"path": str(path), "places": None, "error": " ".join(str(exc).split())}


def _stored(args: argparse.Namespace, path: Path, n: int, outside: tuple[int, ...] = ()) -> int:
    """Report a stored extension file and its place count."""
    if args.json:
        emit_json({"path": str(path), "places": n, "outside_study_area": list(outside)})
    else:
        print(f"stored {path} ({n} places); geocode now uses them")
    if outside:
        shown = ", ".join(str(i) for i in outside[:20]) + (" ..." if len(outside) > 20 else "")
        say(
            args,
            f"note: {len(outside)} place(s) lie outside the study area (lines {shown}); "
            "they were kept -- check their lon/lat if they should be in the Badia",
        )
    return 0


def run_fetch(args: argparse.Namespace) -> int:
    """Download and store a GeoNames dump."""
    from desertgeo._userdata import _check_country, fetch_geonames

    say(args, f"downloading the GeoNames {_check_country(args.country)} dump ...")
    path, n = fetch_geonames(args.country, url=args.url, timeout=args.timeout)
    return _stored(args, path, n)


def run_add(args: argparse.Namespace) -> int:
    """Check and store a CSV of places."""
    from desertgeo._userdata import add_csv

    check_input_file(args.csv, "places CSV")
    stored = add_csv(args.csv, replace=args.replace)
    return _stored(args, stored.path, stored.places, stored.outside_study_area)


def run_remove(args: argparse.Namespace) -> int:
    """Remove one extension file."""
    from desertgeo._userdata import remove_extension

    path = remove_extension(args.name)
    if args.json:
        emit_json({"removed": str(path)})
    else:
        print(f"removed {path}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """List the extension files (a file that no longer reads is listed with the reason)."""
    from desertgeo._userdata import extension_files, extensions_dir

    rows = [_describe(p) for p in extension_files()]
    if args.json:
        emit_json({"folder": str(extensions_dir()), "files": rows})
        return 0
    print(f"extension folder: {extensions_dir()}")
    for row in rows:
        if row["places"] is None:
            print(
                f"  {row['path']}  (unreadable: {row['error']}; "
                f"`desertgeo gazetteer remove {Path(row['path']).name}`)"
            )
        else:
            print(f"  {row['path']}  ({row['places']} places)")
    if not rows:
        print("  (none: `desertgeo gazetteer fetch SY` or `desertgeo gazetteer add FILE.csv`)")
    return 0
