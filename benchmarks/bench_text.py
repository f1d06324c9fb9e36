"""Benchmark: events_from_text throughput, how it scales to 5 MB, against a plain baseline.

The text is the development and held-out report sets (tests/data/text_dev and
text_heldout, 57 reports, ~28 kB) repeated to the size. Figures, in one run:

* ``events_from_text`` at 50 kB with **cold** lookups (``placetext.clear_caches()``
  first: every place phrase is geocoded for the first time, as in a new text), then at
  500 kB and 5 MB (the lookups of names already seen are reused, as in any long text
  that names the same places again);
* the **baseline** a user would write instead, on the same text: one regex pass for
  capitalised word runs and "N killed/dead/wounded" figures, and a rapidfuzz
  ``extractOne`` of each distinct run against the gazetteer's names (cached per run,
  WRatio >= 90). It finds candidate names and numbers only: no descriptions, dates,
  incidents or joins; the ratio says what the full rules cost against it;
* ``find_places`` alone on the same text (the gazetteer scan inside the extraction);
* the scaling figure: seconds per MB at the largest size over the smallest (1.0 is
  linear; the 50 kB pass is cold, so a figure below 1 is expected).

Goal (issue 15): >= 100k characters per second, a 5 MB text in under a minute, linear.
Wall time (``perf_counter``) is the figure; CPU seconds (``process_time``) are in the
note, since the machine is often shared.

Run: .venv/bin/python benchmarks/bench_text.py [--quick] [--n N]
(default sizes 50 kB, 500 kB, 5 MB; --quick 50 kB only; --n the largest size).
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import bench_args, result
from rapidfuzz import fuzz, process

from desertgeo import text as _text
from desertgeo.gazetteer import Gazetteer
from desertgeo.placetext import clear_caches, find_places
from desertgeo.text import events_from_text

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
FOLDERS = (DATA / "text_dev" / "reports", DATA / "text_heldout" / "reports")

_RUN = re.compile(r"\b[A-Z][\w'-]+(?:\s+(?:al-|el-|ad-|as-)?[A-Z][\w'-]+){0,2}")
_FIGURE = re.compile(r"\b(\d+)\s+(?:[a-z]+\s+){0,3}?(?:killed|dead|wounded|injured)\b", re.I)


def corpus(size: int) -> str:
    """The report sets, repeated (paragraph-separated) to ``size`` characters."""
    texts = [p.read_text(encoding="utf-8") for d in FOLDERS for p in sorted(d.glob("*.txt"))]
    base = "\n\n".join(texts)
    return ((base + "\n\n") * (size // len(base) + 1))[:size]


def baseline(text: str, names: list[str], cache: dict[str, object]) -> int:
    """A plain regex pass + rapidfuzz lookup: how many candidate names and figures."""
    hits = 0
    for m in _RUN.finditer(text):
        run = m.group(0)
        if run not in cache:
            cache[run] = process.extractOne(run, names, scorer=fuzz.WRatio, score_cutoff=90)
        hits += cache[run] is not None
    return hits + sum(1 for _ in _FIGURE.finditer(text))


def timed(fn: object, *args: object) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds, result) of ``fn(*args)``."""
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn(*args)  # type: ignore[operator]
    return time.perf_counter() - w0, time.process_time() - c0, out


def main() -> int:
    args = bench_args("events_from_text throughput", default_n=5_000_000, quick_n=50_000)
    sizes = sorted({min(args.n, s) for s in (50_000, 500_000, args.n)})
    gaz = Gazetteer.default()
    names = sorted(set(gaz.names()))
    events_from_text(corpus(2_000), published="2024-01-01")  # build the gazetteer index
    per_mb: dict[int, float] = {}
    cache: dict[str, object] = {}
    for size in sizes:
        text = corpus(size)
        if size == sizes[0]:
            clear_caches()
            _text._CONTEXT_CACHE.clear()
        wall, cpu, ev = timed(lambda t: events_from_text(t, published="2024-01-01"), text)
        b_wall, _b_cpu, _hits = timed(baseline, text, names, cache)
        p_wall, _p_cpu, _found = timed(find_places, text)
        per_mb[size] = wall / (size / 1e6)
        state = "cold lookups" if size == sizes[0] else "lookups reused"
        result(
            f"events_from_text {size // 1000} kB",
            round(size / wall / 1000.0, 1),
            "k chars/s",
            n=size,
            baseline="regex pass + rapidfuzz extractOne per distinct name (names only)",
            baseline_value=round(size / b_wall / 1000.0, 1),
            better="higher",
            goal=">= 100 k chars/s; 5 MB < 60 s",
            note=f"{wall:.2f} s wall, {cpu:.2f} s CPU, {len(ev)} events, {state}; "  # type: ignore[arg-type]
            f"find_places alone {size / p_wall / 1000.0:.0f} k chars/s",
        )
    if len(sizes) > 1:
        result(
            "events_from_text scaling",
            round(per_mb[sizes[-1]] / per_mb[sizes[0]], 2),
            "x",
            n=sizes[-1],
            note=f"s/MB at {sizes[-1]} chars over s/MB at {sizes[0]} chars (1.0 = linear; "
            "the first size is cold)",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
