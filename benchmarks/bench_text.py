"""Benchmark: events_from_text throughput and how it scales from 50 kB to 5 MB.

The text is the development set (tests/data/text_dev/reports, 42 reports) repeated to
the size; the baseline, in the same run, is ``find_places`` alone on the same text (the
gazetteer scan every extraction needs), so the ratio says what the event rules cost on
top. Goal: >= 100k characters per second, a 5 MB text in under a minute, time linear in
the size (the scaling figure: seconds per MB at the largest size over the smallest).

Run: .venv/bin/python benchmarks/bench_text.py [--quick] [--scale X]
(default sizes 50 kB, 500 kB, 5 MB; --quick 50 kB only; --scale multiplies the sizes).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import bench_args, result

from desertgeo.placetext import find_places
from desertgeo.text import events_from_text

REPORTS = Path(__file__).resolve().parents[1] / "tests" / "data" / "text_dev" / "reports"


def corpus(size: int) -> str:
    base = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(REPORTS.glob("*.txt")))
    return ((base + "\n\n") * (size // len(base) + 1))[:size]


def main() -> int:
    args = bench_args("events_from_text throughput", default_n=5_000_000, quick_n=50_000)
    sizes = sorted({min(args.n, s) for s in (50_000, 500_000, args.n)})
    events_from_text(corpus(5_000), published="2024-01-01")  # warm the gazetteer
    per_mb: dict[int, float] = {}
    for size in sizes:
        text = corpus(size)
        t0 = time.perf_counter()
        ev = events_from_text(text, published="2024-01-01")
        seconds = time.perf_counter() - t0
        t0 = time.perf_counter()
        find_places(text)
        base = time.perf_counter() - t0
        per_mb[size] = seconds / (size / 1e6)
        result(
            f"events_from_text {size // 1000} kB",
            round(size / seconds / 1000.0, 1),
            "k chars/s",
            n=size,
            baseline="find_places alone, same text",
            baseline_value=round(size / base / 1000.0, 1),
            better="higher",
            goal=">= 100 k chars/s; 5 MB < 60 s",
            note=f"{seconds:.2f} s, {len(ev)} events",
        )
    if len(sizes) > 1:
        result(
            "events_from_text scaling",
            round(per_mb[sizes[-1]] / per_mb[sizes[0]], 2),
            "x",
            n=sizes[-1],
            note=f"s/MB at {sizes[-1]} chars over s/MB at {sizes[0]} chars (1.0 = linear)",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
