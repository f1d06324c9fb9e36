"""The benchmark runner: protocol parsing, and a smoke run of every bench in --quick mode."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH_DIR = Path(__file__).resolve().parent.parent / "benchmarks"


def _load(name: str) -> ModuleType:
    sys.path.insert(0, str(BENCH_DIR))
    try:
        spec = importlib.util.spec_from_file_location(f"_bench_{name}", BENCH_DIR / f"{name}.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH_DIR))
    return module


@pytest.fixture(scope="module")
def run_all() -> ModuleType:
    return _load("run_all")


@pytest.fixture(scope="module")
def common() -> ModuleType:
    return _load("_common")


def test_parse_output_reads_results_and_computes_ratio(run_all: ModuleType) -> None:
    text = "\n".join(
        [
            "warming up",
            'RESULT {"name": "dbscan 100k", "value": 0.5, "unit": "s", '
            '"baseline": "sklearn", "baseline_value": 6.0}',
            'RESULT {"name": "lookups", "value": 300000, "unit": "items/s", '
            '"baseline_value": 20000}',
            'RESULT {"name": "explicit", "value": 2, "unit": "s", "ratio": 0.25}',
            "RESULT {not json",
            'RESULT ["no", "name"]',
        ]
    )
    records, bad = run_all.parse_output(text)
    assert [r["name"] for r in records] == ["dbscan 100k", "lookups", "explicit"]
    assert records[0]["ratio"] == pytest.approx(12.0)  # time: baseline / ours
    assert records[1]["ratio"] == pytest.approx(15.0)  # rate: ours / baseline
    assert records[2]["ratio"] == 0.25  # a bench's own ratio is kept
    assert bad == ["RESULT {not json", 'RESULT ["no", "name"]']


def test_result_line_round_trips(run_all: ModuleType, common: ModuleType, capsys) -> None:
    rec = common.result("x", 2.0, "ms", n=10, baseline="b", baseline_value=5.0)
    assert rec["ratio"] == pytest.approx(2.5)
    out = capsys.readouterr().out
    assert out.startswith("RESULT {")
    parsed, bad = run_all.parse_output(out)
    assert bad == []
    assert parsed[0]["value"] == 2.0
    assert parsed[0]["n"] == 10


def test_measure_sees_an_allocation(common: ModuleType) -> None:
    import numpy as np

    with common.measure() as m:
        block = np.ones(40 * 1024 * 1024 // 8)  # 40 MB, touched
        block[::512] = 2.0
    assert m.seconds > 0
    assert m.peak_mb - m.rss_start_mb >= 30, (m.peak_mb, m.rss_start_mb, m.method)
    del block


def test_machine_info_names_the_machine(common: ModuleType) -> None:
    info = common.machine_info()
    assert info["cores"] >= 1
    assert info["python"].count(".") == 2
    assert info["packages"]["numpy"] != "not installed"
    assert common.host_kind(info).endswith(info["machine"])


def test_failing_and_silent_benches_are_reported(tmp_path: Path) -> None:
    bench_dir = tmp_path / "b"
    bench_dir.mkdir()
    args = "import sys\nassert sys.argv[1:] == ['--quick']\n"
    (bench_dir / "bench_boom.py").write_text(args + "raise SystemExit('boom')\n")
    (bench_dir / "bench_silent.py").write_text(args + "print('no protocol here')\n")
    (bench_dir / "bench_good.py").write_text(
        args + "import json\n"
        "print('RESULT ' + json.dumps({'name': 'g', 'value': 1.0, 'unit': 's', "
        "'baseline': 'base', 'baseline_value': 3.0}))\n"
    )
    (bench_dir / "bench_old.py").write_text("print('RESULT {}')\n")  # no quick mode
    out = tmp_path / "out"
    proc = subprocess.run(
        [
            sys.executable,
            str(BENCH_DIR / "run_all.py"),
            "--quick",
            "--bench-dir",
            str(bench_dir),
            "--out-dir",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr  # one bench failed
    (json_file,) = out.glob("*-quick.json")
    payload = json.loads(json_file.read_text())
    status = {b["bench"]: b["status"] for b in payload["benches"]}
    assert status == {
        "bench_boom": "failed",
        "bench_good": "ok",
        "bench_old": "skipped",
        "bench_silent": "no results",
    }
    silent = next(b for b in payload["benches"] if b["bench"] == "bench_silent")
    assert "no protocol here" in "\n".join(silent["output_tail"])
    md = json_file.with_suffix(".md").read_text()
    assert "| good | g |" in md
    assert "3x" in md
    assert "bench_boom: failed" in md
    assert set(payload["missing"]) >= {"bench_geocode", "bench_cluster"}


@pytest.mark.slow
def test_every_bench_runs_in_quick_mode(tmp_path: Path) -> None:
    """`run_all.py --quick` over the real bench files: each must finish and print results."""
    benches = sorted(BENCH_DIR.glob("bench_*.py"))
    if not benches:
        pytest.skip("no bench_*.py files yet")
    proc = subprocess.run(
        [
            sys.executable,
            str(BENCH_DIR / "run_all.py"),
            "--quick",
            "--timeout",
            "60",
            "--out-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    (json_file,) = tmp_path.glob("*-quick.json")
    payload = json.loads(json_file.read_text())
    # "no results": it ran fine but prints text instead of RESULT lines (kept verbatim)
    bad = {
        b["bench"]: [b["status"], *b.get("output_tail", [])[-5:]]
        for b in payload["benches"]
        if b["status"] not in {"ok", "no results"} or b["unparsed"]
    }
    assert not bad, bad
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert {b["bench"] for b in payload["benches"]} == {p.stem for p in benches}
    for bench in payload["benches"]:
        for rec in bench["results"]:
            assert isinstance(rec["value"], (int, float)), rec
