"""``desertgeo gazetteer``: extend the default gazetteer (GeoNames dumps, your own CSVs).

``desertgeo gazetteer fetch SY`` downloads GeoNames' Syria dump (CC BY 4.0) into the
extension folder -- the only command that goes online, and only when asked;
``desertgeo gazetteer add places.csv`` adds your own places; ``desertgeo gazetteer list``
shows what is there. Every later ``geocode`` uses them.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desertgeo.cli._common import add_output_options, emit_json, say


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
    add_output_options(fetch)
    fetch.set_defaults(func=run_fetch)
    add = actions.add_parser("add", help="add a CSV of your own places (name, lon, lat, ...)")
    add.add_argument("csv", help="CSV with name and lon/lat columns (aliases '|'-separated)")
    add_output_options(add)
    add.set_defaults(func=run_add)
    show = actions.add_parser("list", help="list the extension files and their place counts")
    add_output_options(show)
    show.set_defaults(func=run_list)


def _count(path: Path) -> int:
    from desertgeo.gazetteer import Gazetteer

    if path.suffix.lower() == ".csv":
        return len(Gazetteer.from_csv(path))
    return len(Gazetteer.from_geonames(path))


def _stored(args: argparse.Namespace, stored: tuple[Path, int]) -> int:
    """Report a stored extension file and its place count."""
    path, n = stored
    if args.json:
        emit_json({"path": str(path), "places": n})
    else:
        print(f"stored {path} ({n} places); geocode now uses them")
    return 0


def run_fetch(args: argparse.Namespace) -> int:
    """Download and store a GeoNames dump."""
    from desertgeo._userdata import fetch_geonames

    say(args, f"downloading the GeoNames {args.country.upper()} dump ...")
    return _stored(args, fetch_geonames(args.country, url=args.url))


def run_add(args: argparse.Namespace) -> int:
    """Check and store a CSV of places."""
    from desertgeo._userdata import add_csv

    return _stored(args, add_csv(args.csv))


def run_list(args: argparse.Namespace) -> int:
    """List the extension files."""
    from desertgeo._userdata import extension_files, extensions_dir

    rows = [{"path": str(p), "places": _count(p)} for p in extension_files()]
    if args.json:
        emit_json({"folder": str(extensions_dir()), "files": rows})
        return 0
    print(f"extension folder: {extensions_dir()}")
    for row in rows:
        print(f"  {row['path']}  ({row['places']} places)")
    if not rows:
        print("  (none: `desertgeo gazetteer fetch SY` or `desertgeo gazetteer add FILE.csv`)")
    return 0
