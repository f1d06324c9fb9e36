"""``desertgeo datasets``: list the shipped datasets and their provenance."""

from __future__ import annotations

import argparse
from typing import Any

from desertgeo.cli._common import add_output_options, emit_json


def register(sub: Any) -> None:
    """Add the ``datasets`` sub-command."""
    p = sub.add_parser(
        "datasets",
        help="list the shipped datasets with source, licence and row counts",
        description="List the datasets that ship with desertgeo, with their provenance.",
    )
    p.add_argument("name", nargs="?", help="show one dataset's provenance in full")
    add_output_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """List every dataset, or one dataset's provenance."""
    from desertgeo import datasets

    names = [args.name] if args.name else datasets.available()
    rows = []
    for name in names:
        info = dict(datasets.provenance(name))
        info["name"] = name
        info["rows"] = len(datasets.load(name))
        rows.append(info)
    if args.json:
        emit_json(rows if not args.name else rows[0])
        return 0
    for info in rows:
        approx = " (approximate)" if info.get("approximate") else ""
        print(f"{info['name']:<14} {info['rows']:>7} rows{approx}")
        print(f"{'':<14} source:  {info.get('source', '?')}")
        print(f"{'':<14} licence: {info.get('licence', '?')}")
        if args.name:
            for key, value in info.items():
                if key not in {"name", "rows", "source", "licence"}:
                    print(f"{'':<14} {key}: {value}")
    return 0
