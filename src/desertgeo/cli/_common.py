"""Helpers shared by the sub-commands: JSON output and quiet-aware printing."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

__all__ = ["add_output_options", "emit_json", "say"]


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
