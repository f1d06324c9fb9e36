"""Run every ``benchmarks/bench_*.py`` and print one table of figures and ratios.

Each bench runs in its own subprocess (``--quick`` or ``--scale X``) and prints
``RESULT {json}`` lines (see ``benchmarks/README.md``). This script collects them, adds the
machine's description, prints a table and writes ``benchmarks/results/<date>-<host>.md``
and ``.json``. A bench that fails, times out or prints no ``RESULT`` line is reported as
such, with the tail of its output.

Usage::

    python benchmarks/run_all.py                 # default sizes, writes benchmarks/results/
    python benchmarks/run_all.py --quick         # tiny sizes, writes nothing by default
    python benchmarks/run_all.py -k cluster -k maps --scale 0.5
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _common import RESULT_PREFIX, compute_ratio, host_kind, machine_info  # noqa: E402

# the bench files the issues ask for (a missing one is reported, not hidden)
EXPECTED = (
    "bench_geocode",
    "bench_events_read",
    "bench_zones",
    "bench_distance",
    "bench_cluster",
    "bench_maps",
    "bench_scale",
)
TAIL_LINES = 25
TEXT_LINES = 80
QUICK_N = 2000  # --n for benches that have no --quick


def discover(bench_dir: Path, keywords: list[str]) -> list[Path]:
    """The ``bench_*.py`` files in ``bench_dir`` (sorted), filtered by ``keywords``."""
    files = sorted(bench_dir.glob("bench_*.py"))
    if keywords:
        files = [f for f in files if any(k in f.stem for k in keywords)]
    return files


def parse_output(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Split a bench's stdout into RESULT records and lines that looked like results but
    could not be parsed."""
    records: list[dict[str, Any]] = []
    bad: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line.startswith(RESULT_PREFIX.strip()):
            continue
        payload = line[len(RESULT_PREFIX.strip()) :].strip().lstrip(":").strip()
        try:
            rec = json.loads(payload)
        except json.JSONDecodeError:
            bad.append(line)
            continue
        if not isinstance(rec, dict) or "name" not in rec or "value" not in rec:
            bad.append(line)
            continue
        rec.setdefault("unit", "")
        if rec.get("ratio") is None:
            ratio = compute_ratio(
                rec.get("value"), rec.get("baseline_value"), str(rec["unit"]), rec.get("better")
            )
            if ratio is not None:
                rec["ratio"] = round(ratio, 3)
        records.append(rec)
    return records, bad


KEY_LINE = re.compile(r"\d.*(\bx\b|goal|ratio|speed-up|\d s\b|/s\b|\bMB\b|\bGB\b|\d m\b)")


def key_lines(text_lines: list[str]) -> list[str]:
    """Lines of a text-only bench that carry figures (times, rates, ratios, goals)."""
    return [x.rstrip() for x in text_lines if KEY_LINE.search(x)]


def run_one(path: Path, quick: bool, scale: float, timeout: float) -> dict[str, Any]:
    """Run one bench file in a subprocess; return its record (status, results, output)."""
    source = path.read_text(encoding="utf-8", errors="replace")
    supports_quick = "--quick" in source or "bench_args(" in source
    supports_scale = "--scale" in source or "bench_args(" in source
    supports_n = '"--n"' in source or "'--n'" in source
    cmd = [sys.executable, str(path)]
    if quick and not supports_quick and supports_n:
        # an older bench without --quick but with --n: a tiny size is the next best thing
        cmd += ["--n", str(QUICK_N)]
    elif quick and not supports_quick:
        return {
            "bench": path.stem,
            "command": "",
            "status": "skipped",
            "returncode": None,
            "wall_s": 0.0,
            "results": [],
            "unparsed": [],
            "output_tail": ["this bench has no --quick option (see benchmarks/README.md)"],
        }
    elif quick:
        cmd.append("--quick")
    elif supports_scale:
        cmd += ["--scale", f"{scale:g}"]
    env = dict(os.environ)
    env.setdefault("MPLBACKEND", "Agg")
    env["PYTHONUNBUFFERED"] = "1"
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=HERE.parent,
            env=env,
            check=False,
        )
        stdout, stderr, rc = proc.stdout, proc.stderr, proc.returncode
        status = "ok" if rc == 0 else "failed"
    except subprocess.TimeoutExpired as exc:
        stdout = _text(exc.stdout)
        stderr = _text(exc.stderr)
        rc = None
        status = "timeout"
    wall = time.perf_counter() - t0
    results, bad = parse_output(stdout)
    if status == "ok" and not results:
        status = "no results"
    rec: dict[str, Any] = {
        "bench": path.stem,
        "command": " ".join([Path(sys.executable).name, *cmd[1:]]),
        "status": status,
        "returncode": rc,
        "wall_s": round(wall, 2),
        "results": results,
        "unparsed": bad,
    }
    if status != "ok":
        # a bench without RESULT lines: keep its own text report (the fallback)
        keep = TEXT_LINES if status == "no results" else TAIL_LINES
        tail = (stdout.rstrip() + "\n" + stderr.rstrip()).strip().splitlines()
        rec["output_tail"] = tail[-keep:]
    return rec


def _text(data: str | bytes | None) -> str:
    if data is None:
        return ""
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else data


def fmt(value: Any) -> str:
    """A compact human rendering of a number (or the value as text)."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if not math.isfinite(value):
        return str(value)
    a = abs(value)
    if a >= 1000:
        return f"{value:,.0f}"
    if a >= 100:
        return f"{value:.0f}"
    if a >= 10:
        return f"{value:.1f}"
    if a >= 0.01 or a == 0:
        return f"{value:.3g}"
    return f"{value:.2e}"


def _count(value: Any) -> Any:
    """Sizes print as integers (a bench may send 1000.0)."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return value


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table(runs: list[dict[str, Any]]) -> list[str]:
    """Markdown table of every result: figure, baseline, ratio, goal, memory, note."""
    cols = ["bench", "figure", "n", "desertgeo", "baseline", "baseline figure", "ratio"]
    cols += ["goal", "peak MB", "note"]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for run in runs:
        for r in run["results"]:
            unit = str(r.get("unit", ""))
            base_v = r.get("baseline_value")
            ratio = r.get("ratio")
            lines.append(
                "| "
                + " | ".join(
                    _cell(x)
                    for x in (
                        run["bench"].removeprefix("bench_"),
                        str(r.get("name", "")),
                        fmt(_count(r.get("n"))),
                        f"{fmt(r.get('value'))} {unit}".strip(),
                        str(r.get("baseline", "") or ""),
                        f"{fmt(base_v)} {unit}".strip() if base_v is not None else "",
                        f"{fmt(ratio)}x" if isinstance(ratio, (int, float)) else "",
                        str(r.get("goal", "") or ""),
                        fmt(r.get("peak_mb")),
                        str(r.get("note", "") or ""),
                    )
                )
                + " |"
            )
    return lines


def report(meta: dict[str, Any], runs: list[dict[str, Any]], missing: list[str]) -> str:
    """The whole run as Markdown: machine, table, failures, missing benches."""
    m = meta["machine"]
    out = [
        f"# Benchmark run {meta['date']} ({meta['host_kind']})",
        "",
        f"- command: `{meta['command']}` (mode: {meta['mode']})",
        f"- started {meta['started_utc']} UTC, took {meta['wall_s']:.0f} s",
        f"- machine: {m['cpu']}, {m['cores']} cores ({m['usable_cores']} usable), "
        f"{m['ram_gb']} GB RAM, {m['os']} {m['machine']}",
        f"- Python {m['python']} ({m['implementation']}), git commit {m['git_commit']}",
        f"- load average (1/5/15 min) at start {meta['load_start']}, at end {meta['load_end']}"
        " (the machine is shared: timings are noisy)",
        "- packages: " + ", ".join(f"{k} {v}" for k, v in m["packages"].items()),
        "",
        "`ratio` = how many times better desertgeo is than the baseline measured in the same "
        "run (> 1 = better: baseline time / desertgeo time, or desertgeo rate / baseline rate).",
        "",
        "## Figures",
        "",
        *table(runs),
        "",
        "## Benches",
        "",
        "| bench | status | wall s | results | command |",
        "|---|---|---|---|---|",
    ]
    out += [
        f"| {r['bench']} | {r['status']} | {r['wall_s']:.1f} | {len(r['results'])} | "
        f"`{r['command']}` |"
        for r in runs
    ]
    for name in missing:
        out.append(f"| {name} | missing (no file) | | 0 | |")
    text_only = [r for r in runs if r["status"] == "no results"]
    if text_only:
        out += [
            "",
            "## Figures of text-only benches (verbatim)",
            "",
            "These benches print text instead of `RESULT` lines: their lines with figures are",
            "quoted as printed (their own labels, units and ratio definitions), not re-computed.",
            "",
        ]
        for r in text_only:
            out += [
                f"### {r['bench']}",
                "",
                "```text",
                *key_lines(r.get("output_tail", [])),
                "```",
                "",
            ]
    problems = [r for r in runs if r["status"] not in {"ok", "no results"} or r["unparsed"]]
    if problems:
        out += ["", "## Problems", ""]
        for r in problems:
            out.append(f"### {r['bench']}: {r['status']} (exit code {r['returncode']})")
            out.append("")
            if r["unparsed"]:
                out.append("Unparseable RESULT lines:")
                out += ["", "```text", *r["unparsed"], "```", ""]
            if not r.get("output_tail") and r["status"] != "ok":
                out += ["(no output)", ""]
            if r.get("output_tail"):
                what = "Its text output" if r["status"] == "no results" else "Last lines"
                out += [f"{what}:", "", "```text", *r["output_tail"], "```", ""]
    if missing:
        out += ["", "Missing bench files (asked for by the issues, not in the repo at run time): "]
        out.append(", ".join(f"`{x}.py`" for x in missing))
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes (CI smoke test)")
    parser.add_argument("--scale", type=float, default=1.0, help="size multiplier per bench")
    parser.add_argument("-k", action="append", default=[], help="only benches matching this")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per bench")
    parser.add_argument("--bench-dir", type=Path, default=HERE, help=argparse.SUPPRESS)
    parser.add_argument("--out-dir", type=Path, default=None, help="where results go")
    parser.add_argument("--no-write", action="store_true", help="write no results file")
    parser.add_argument("--json", action="store_true", help="print the run as JSON")
    args = parser.parse_args(argv)
    timeout = args.timeout or (120.0 if args.quick else 600.0)
    write = not args.no_write and (args.out_dir is not None or not args.quick)
    out_dir = args.out_dir or (HERE / "results")

    files = discover(args.bench_dir, args.k)
    present = {f.stem for f in sorted(args.bench_dir.glob("bench_*.py"))}
    missing = [] if args.k else [e for e in EXPECTED if e not in present]
    started = dt.datetime.now(dt.timezone.utc)
    load_start = _load()
    machine = machine_info()
    runs: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    for path in files:
        print(f"== {path.stem} ...", file=sys.stderr, flush=True)
        run = run_one(path, args.quick, args.scale, timeout)
        print(
            f"   {run['status']} in {run['wall_s']:.1f} s, {len(run['results'])} results",
            file=sys.stderr,
            flush=True,
        )
        runs.append(run)
    meta = {
        "date": started.date().isoformat(),
        "started_utc": started.strftime("%Y-%m-%d %H:%M:%S"),
        "wall_s": time.perf_counter() - t0,
        "mode": "quick" if args.quick else f"scale {args.scale:g}",
        "command": "python benchmarks/run_all.py " + " ".join(argv or sys.argv[1:]),
        "host_kind": host_kind(machine),
        "machine": machine,
        "load_start": load_start,
        "load_end": _load(),
    }
    text = report(meta, runs, missing)
    payload = {**meta, "benches": runs, "missing": missing}
    if args.json:
        print(json.dumps(payload, indent=2, default=str))
    else:
        print(text)
    if write:
        out_dir.mkdir(parents=True, exist_ok=True)
        stem = f"{meta['date']}-{meta['host_kind']}" + ("-quick" if args.quick else "")
        (out_dir / f"{stem}.md").write_text(text, encoding="utf-8")
        (out_dir / f"{stem}.json").write_text(
            json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8"
        )
        print(f"wrote {out_dir / stem}.md and .json", file=sys.stderr)
    failed = [r["bench"] for r in runs if r["status"] in {"failed", "timeout"}]
    return 1 if failed else 0


def _load() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


if __name__ == "__main__":
    sys.exit(main())
