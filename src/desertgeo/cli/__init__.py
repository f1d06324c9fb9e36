"""The ``desertgeo`` command: a thin layer that parses arguments and calls the public API.

Each sub-command lives in its own private module ``desertgeo.cli._<name>`` that
defines ``register(subparsers)``; it adds a parser whose ``func`` default takes
the parsed namespace and returns an exit code.

Exit codes: 0 success, 1 the work ran but found problems (e.g. unresolved
names with ``--strict``), 2 bad usage or bad input, 3 a missing optional dependency,
130 interrupted (Ctrl-C), 143 terminated (SIGTERM).

Errors reach the user as one line on stderr, never a traceback: desertgeo's own errors
(:class:`~desertgeo.InputError`, :class:`~desertgeo.DataError`, ...), files that cannot be
opened or written (:class:`OSError`), geodata files GDAL cannot read and files that are
not UTF-8 text. SIGTERM is turned
into an exception while a command runs, so temporary files (atomic writes, downloads)
are removed exactly as on Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from types import FrameType

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
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143


class Terminated(BaseException):
    """Raised in the main thread when the process receives SIGTERM during a command."""


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    """While the block runs, SIGTERM raises :class:`Terminated` (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _one_line(exc: BaseException) -> str:
    """The message of ``exc`` on one line (what, where, what to do)."""
    if isinstance(exc, UnicodeDecodeError):
        return (
            f"an input file is not UTF-8 text ({exc.reason} at byte {exc.start}); "
            "save it as UTF-8 (e.g. 'CSV UTF-8' in a spreadsheet) and run again"
        )
    if isinstance(exc, OSError) and exc.filename is not None:
        return (
            f"cannot use {exc.filename}: {exc.strerror or exc}; check the path and its permissions"
        )
    return " ".join(str(exc).split()) or type(exc).__name__


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
        with _sigterm_raises():
            return int(args.func(args))
    except MissingDependencyError as exc:
        print(f"desertgeo: {_one_line(exc)}", file=sys.stderr)
        return EXIT_DEPENDENCY
    except (DesertGeoError, OSError, UnicodeDecodeError) as exc:
        print(f"desertgeo: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except RuntimeError as exc:
        if not type(exc).__module__.startswith("pyogrio"):
            raise
        # GDAL could not open or read a geodata file given on the command line
        print(
            f"desertgeo: error: cannot read a geodata file: {_one_line(exc)}; "
            "check the path and that it is a GeoJSON / GeoPackage / shapefile",
            file=sys.stderr,
        )
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("desertgeo: interrupted; nothing half-written was left behind", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        print("desertgeo: terminated; nothing half-written was left behind", file=sys.stderr)
        return EXIT_TERMINATED
