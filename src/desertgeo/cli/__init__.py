"""The ``desertgeo`` command: a thin layer that parses arguments and calls the public API.

Each sub-command lives in its own private module ``desertgeo.cli._<name>`` that
defines ``register(subparsers)``; it adds a parser whose ``func`` default takes
the parsed namespace and returns an exit code.

Exit codes: 0 success, 1 the work ran but found problems (e.g. unresolved
names with ``--strict``), 2 bad usage or bad input, 3 a missing optional dependency.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from desertgeo._errors import DesertGeoError, MissingDependencyError

__all__ = ["main"]

# sub-command modules, in the order they appear in --help
_COMMANDS: tuple[str, ...] = (
    "datasets", "geocode", "gazetteer", "events", "map", "cluster", "hotspots", "zones",
    "distance", "brief",
)  # fmt: skip

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_DEPENDENCY = 3


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every sub-command registered."""
    from desertgeo import __version__

    parser = argparse.ArgumentParser(
        prog="desertgeo",
        description="Geography of armed-group attacks in Syria's central desert (the Badia).",
        epilog="Exit codes: 0 ok, 1 finished with problems, 2 bad usage or input, "
        "3 missing optional dependency.",
    )
    parser.add_argument("--version", action="version", version=f"desertgeo {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress or summaries")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _COMMANDS:
        importlib.import_module(f"desertgeo.cli._{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except MissingDependencyError as exc:
        print(f"desertgeo: {exc}", file=sys.stderr)
        return EXIT_DEPENDENCY
    except (DesertGeoError, FileNotFoundError) as exc:
        print(f"desertgeo: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
