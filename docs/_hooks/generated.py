"""MkDocs hook: generated sections, so the reference pages cannot drift from the code.

- ``<!-- cli-help -->``: the live ``--help`` text of every sub-command (the parser's own text);
- ``<!-- datasets-table -->``: one row per shipped dataset, from ``datasets.provenance``;
- ``<!-- latest-bench -->``: the newest committed ``benchmarks/results/*.md`` (not ``-quick``),
  headings demoted one level, with its file name, so every figure names its source.
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path
from typing import Any

MARKER = "<!-- cli-help -->"
DATASETS_MARKER = "<!-- datasets-table -->"
BENCH_MARKER = "<!-- latest-bench -->"
ROOT = Path(__file__).resolve().parents[2]


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def render() -> str:
    """Markdown: one section per sub-command with its help text."""
    os.environ["COLUMNS"] = "100"
    from desertgeo.cli import build_parser

    parser = build_parser()
    parts = ["### `desertgeo`", "", "```text", parser.format_help().rstrip(), "```", ""]
    for name, sub in _subcommands(parser).items():
        parts += [f"### `desertgeo {name}`", "", "```text", sub.format_help().rstrip(), "```", ""]
        for sub_name, subsub in _subcommands(sub).items():
            parts += [
                f"#### `desertgeo {name} {sub_name}`",
                "",
                "```text",
                subsub.format_help().rstrip(),
                "```",
                "",
            ]
    return "\n".join(parts)


def _cell(value: Any) -> str:
    return str(value if value is not None else "").replace("|", "\\|").replace("\n", " ")


def render_datasets() -> str:
    """Markdown table of the shipped datasets with their provenance."""
    from desertgeo import datasets

    lines = [
        "| dataset | rows | source | version | licence | approximate | file |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in datasets.available():
        info = datasets.provenance(name)
        rows = len(datasets.load(name))
        approx = "yes" if info.get("approximate") else "no"
        lines.append(
            f"| `{name}` | {rows} | {_cell(info.get('source'))} | {_cell(info.get('version'))} "
            f"| {_cell(info.get('licence'))} | {approx} | `data/{_cell(info.get('file'))}` |"
        )
    return "\n".join(lines)


def render_latest_bench() -> str:
    """The newest full benchmark results file, with its path, headings demoted."""
    files = sorted(
        p for p in (ROOT / "benchmarks" / "results").glob("*.md") if not p.stem.endswith("-quick")
    )
    if not files:
        return "No benchmark run has been committed yet: run `make bench`."
    latest = files[-1]
    body = latest.read_text(encoding="utf-8")
    body = re.sub(r"^(#+) ", r"#\1 ", body, flags=re.MULTILINE)
    rel = latest.relative_to(ROOT).as_posix()
    return f"Source: `{rel}` (and `{rel[:-3]}.json`).\n\n{body}"


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    """Insert the generated sections where the markers are."""
    if MARKER in markdown:
        markdown = markdown.replace(MARKER, render())
    if DATASETS_MARKER in markdown:
        markdown = markdown.replace(DATASETS_MARKER, render_datasets())
    if BENCH_MARKER in markdown:
        markdown = markdown.replace(BENCH_MARKER, render_latest_bench())
    return markdown
