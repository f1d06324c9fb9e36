"""Helpers shared by the sub-commands: JSON output, quiet-aware printing, progress, files.

Every file a sub-command writes goes through :func:`write_csv`, :func:`write_frame` or
:func:`desertgeo.events.write_events` (all atomic, see :mod:`desertgeo._atomic`); input
and output paths are checked up front with :func:`check_input_file` and
:func:`check_output_file`, so a typo fails in a second with one clear line instead of
after the work (or with a traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desertgeo._errors import InputError

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

__all__ = [
    "add_csv_safe_option",
    "add_output_options",
    "check_input_file",
    "check_output_file",
    "emit_json",
    "say",
    "steps",
    "write_csv",
    "write_frame",
]


def add_output_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--json`` (machine-readable result on stdout) to a sub-command parser."""
    parser.add_argument("--json", action="store_true", help="print the result as JSON on stdout")


def emit_json(payload: Any) -> None:
    """Print ``payload`` as JSON (dates and numpy scalars become strings/numbers)."""
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def say(args: argparse.Namespace, message: str) -> None:
    """Print a progress or summary line on stderr unless ``--quiet`` was given."""
    if not getattr(args, "quiet", False):
        print(message, file=sys.stderr)


@contextlib.contextmanager
def steps(args: argparse.Namespace, *names: str) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr over the named steps of a command.

    Call the yielded function with each step's name as it starts. The bar is off with
    ``--quiet`` and when stderr is not a terminal (pipes, CI logs), so it never mixes
    into ``--json`` output or log files.
    """
    from tqdm import tqdm

    bar = tqdm(
        total=len(names),
        file=sys.stderr,
        disable=True if getattr(args, "quiet", False) else None,
        leave=False,
        bar_format="{desc:<24} {bar:20} {n_fmt}/{total_fmt} [{elapsed}]",
    )
    started = False

    def step(name: str) -> None:
        nonlocal started
        if started:
            bar.update(1)
        started = True
        bar.set_description_str(name)

    try:
        yield step
        if started:
            bar.update(1)
    finally:
        bar.close()


def add_csv_safe_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--no-csv-safe``: write CSV text cells exactly (no formula neutralising)."""
    parser.add_argument(
        "--no-csv-safe",
        dest="csv_safe",
        action="store_false",
        help="CSV output: keep text cells that start with = + - @ tab or CR as they are "
        "(by default they get a leading ' so spreadsheets do not run them as formulas)",
    )


def check_input_file(path: str | os.PathLike[str] | None, what: str = "input file") -> Path | None:
    """Check that ``path`` is an existing, readable file; return it as a Path.

    ``None`` passes through (an optional argument that was not given).

    Raises
    ------
    InputError
        One line: what is wrong with which path and what to do.

    Examples
    --------
    >>> check_input_file(None) is None
    True
    >>> check_input_file("no/such/events.csv", "events file")
    Traceback (most recent call last):
    ...
    desertgeo._errors.InputError: events file no/such/events.csv: no such file; check the path ...
    """
    if path is None:
        return None
    p = Path(os.fspath(path)).expanduser()
    if not p.exists():
        hint = "check the path"
        if not p.parent.is_dir() and str(p.parent) not in ("", "."):
            hint = f"check the path (the folder {p.parent} does not exist)"
        raise InputError(f"{what} {p}: no such file; {hint}")
    if p.is_dir():
        raise InputError(f"{what} {p}: is a folder, not a file; give the file's path")
    try:
        with open(p, "rb") as handle:
            handle.read(1)
    except OSError as exc:
        raise InputError(
            f"{what} {p}: cannot be read ({exc.strerror or exc}); check its permissions"
        ) from exc
    return p


def check_output_file(
    path: str | os.PathLike[str] | None,
    what: str = "--output",
    suffixes: tuple[str, ...] | None = None,
) -> Path | None:
    """Check, before any work, that ``path`` can be written (its folder exists, is writable).

    ``suffixes`` (lower case, with the dot) restricts the extension.

    Raises
    ------
    InputError
        One line: what is wrong and what to do.

    Examples
    --------
    >>> check_output_file("no/such/folder/out.csv")
    Traceback (most recent call last):
    ...
    desertgeo._errors.InputError: --output: cannot write no/such/folder/out.csv: the folder ...
    >>> check_output_file("out.txt", suffixes=(".csv", ".geojson"))
    Traceback (most recent call last):
    ...
    desertgeo._errors.InputError: --output out.txt: use a .csv or .geojson file name
    """
    from desertgeo._atomic import check_output_dir

    if path is None:
        return None
    p = Path(os.fspath(path)).expanduser()
    if suffixes is not None and p.suffix.lower() not in suffixes:
        raise InputError(f"{what} {path}: use a {' or '.join(suffixes)} file name")
    try:
        return check_output_dir(p)
    except InputError as exc:
        raise InputError(f"{what}: {exc}") from None


def write_csv(frame: pd.DataFrame, path: str | os.PathLike[str], *, csv_safe: bool = True) -> Path:
    """Write a plain table as CSV, atomically, formula-safe unless ``csv_safe=False``."""
    from desertgeo._atomic import atomic_path
    from desertgeo._csvsafe import csv_options, neutralise_cells

    table = neutralise_cells(frame) if csv_safe else frame
    with atomic_path(path) as tmp:
        table.to_csv(tmp, index=False, **csv_options(table))
    return Path(os.fspath(path))


def write_frame(frame: gpd.GeoDataFrame, path: str | os.PathLike[str], **kwargs: Any) -> Path:
    """``frame.to_file(path, **kwargs)``, atomically (the old file stays whole on failure)."""
    from desertgeo._atomic import atomic_path

    with atomic_path(path) as tmp:
        frame.to_file(tmp, **kwargs)
    return Path(os.fspath(path))
