"""Helpers shared by the sub-commands: JSON output, quiet-aware printing, progress."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["add_output_options", "emit_json", "say", "steps"]


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
