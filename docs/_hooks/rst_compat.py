"""Griffe extension: render the reStructuredText bits of numpydoc docstrings as Markdown.

mkdocstrings renders docstrings as Markdown, but numpydoc docstrings written for Sphinx use
RST roles (``:func:`geocode```) and RST simple tables (``=====  =====`` borders). This
converts both before rendering; the docstrings themselves stay valid numpydoc.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:py:)?(?:func|class|meth|data|mod|attr|exc|obj|const|term):`(~?)([^`]+)`")
BORDER = re.compile(r"^(\s*)(=+)( +=+)+\s*$")


def _role(match: re.Match[str]) -> str:
    target = match.group(2)
    if match.group(1):  # ~a.b.c -> c
        target = target.rsplit(".", 1)[-1]
    return f"`{target}`"


def _spans(border: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"=+", border)]


def _cells(line: str, spans: list[tuple[int, int]]) -> list[str]:
    """Cut a row at the column starts; a word running over a boundary stays in its cell."""
    cuts = [start for start, _ in spans[1:]]
    for k, cut in enumerate(cuts):
        pos = cut
        while 0 < pos < len(line) and line[pos - 1] != " " and line[pos] != " ":
            pos += 1
        cuts[k] = max(pos, cuts[k - 1] if k else 0)
    bounds = [spans[0][0], *cuts, len(line)]
    return [line[a:b].strip() for a, b in itertools.pairwise(bounds)]


def convert_tables(text: str) -> str:
    """Turn RST simple tables (border, header, border, rows, border) into Markdown tables."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        m = BORDER.match(lines[i])
        if not m:
            out.append(lines[i])
            i += 1
            continue
        indent = m.group(1)
        spans = _spans(lines[i])
        # find the two following borders with the same shape
        borders = [i]
        j = i + 1
        while j < len(lines) and len(borders) < 3:
            if BORDER.match(lines[j]) and _spans(lines[j]) == spans:
                borders.append(j)
            elif not lines[j].strip():
                break
            j += 1
        if len(borders) < 3:
            out.append(lines[i])
            i += 1
            continue
        header = [_cells(x, spans) for x in lines[borders[0] + 1 : borders[1]]]
        rows: list[list[str]] = []
        for line in lines[borders[1] + 1 : borders[2]]:
            cells = _cells(line, spans)
            if rows and not cells[0]:  # continuation line: append to the previous row
                rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells, strict=True)]
            else:
                rows.append(cells)
        head = [" ".join(col).strip() for col in zip(*header, strict=True)] if header else []
        esc = [[c.replace("|", "\\|") for c in r] for r in [head, *rows]]
        out.append("")
        out.append(indent + "| " + " | ".join(esc[0]) + " |")
        out.append(indent + "|" + "---|" * len(spans))
        out += [indent + "| " + " | ".join(r) + " |" for r in esc[1:]]
        out.append("")
        i = borders[2] + 1
    return "\n".join(out)


def convert(text: str) -> str:
    """RST roles and simple tables -> Markdown."""
    return convert_tables(ROLE.sub(_role, text))


class RstCompat(griffe.Extension):
    """Rewrite each docstring once it is loaded."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None and obj.docstring.value:
            obj.docstring.value = convert(obj.docstring.value)
