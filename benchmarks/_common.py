"""Helpers shared by the ``bench_*.py`` files and ``run_all.py``.

Import from a bench script with ``from _common import bench_args, measure, result`` (the
script's folder is on ``sys.path`` when it runs as ``python benchmarks/bench_x.py``).
See ``benchmarks/README.md`` for the output protocol.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

__all__ = [
    "RESULT_PREFIX",
    "Measurement",
    "bench_args",
    "best_of",
    "machine_info",
    "measure",
    "result",
]

RESULT_PREFIX = "RESULT "

# units where a smaller figure is better (times, memory, errors, sizes)
_LOWER_IS_BETTER = {"s", "ms", "us", "ns", "min", "mb", "gb", "kb", "b", "m", "km", "mm"}

# packages whose versions are recorded with every run
PACKAGES = (
    "desertgeo",
    "numpy",
    "pandas",
    "geopandas",
    "shapely",
    "pyproj",
    "pyogrio",
    "pyarrow",
    "scipy",
    "scikit-learn",
    "fast-hdbscan",
    "rapidfuzz",
    "folium",
    "matplotlib",
    "esda",
    "libpysal",
    "dask",
    "dask-geopandas",
    "playwright",
)


# ---------------------------------------------------------------- arguments


def bench_args(
    description: str,
    default_n: int = 100_000,
    quick_n: int = 1_000,
    argv: list[str] | None = None,
) -> argparse.Namespace:
    """Parse ``--quick``, ``--scale`` and ``--n``; return the namespace with ``n`` resolved.

    ``n`` is ``--n`` when given, else ``quick_n`` with ``--quick``, else
    ``round(default_n * scale)``.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="tiny sizes (CI smoke test)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the default sizes")
    parser.add_argument("--n", type=int, default=None, help="input size (overrides the rest)")
    args = parser.parse_args(argv)
    if args.n is None:
        args.n = quick_n if args.quick else max(1, round(default_n * args.scale))
    return args


# ---------------------------------------------------------------- memory and time


def _status_kb(key: str) -> float | None:
    """A ``kB`` field of ``/proc/self/status`` (Linux), or ``None``."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return float(line.split()[1])
    except OSError:
        return None
    return None


def rss_mb() -> float:
    """Current resident set size of this process in MB (0.0 when unknown)."""
    kb = _status_kb("VmRSS")
    return 0.0 if kb is None else kb / 1024.0


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark (VmHWM); ``True`` when the kernel allowed it."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError:
        return False
    return True


@dataclass
class Measurement:
    """Wall time and peak resident memory of a block (filled when the block exits)."""

    seconds: float = math.nan
    peak_mb: float = math.nan
    rss_start_mb: float = math.nan
    method: str = ""
    _samples: list[float] = field(default_factory=list, repr=False)

    @property
    def delta_mb(self) -> float:
        """Peak RSS during the block minus RSS at its start, in MB."""
        return self.peak_mb - self.rss_start_mb


@contextmanager
def measure(sample_interval: float = 0.005) -> Iterator[Measurement]:
    """Time a block and record the peak RSS reached inside it.

    Uses the kernel high-water mark (reset through ``/proc/self/clear_refs``) when
    possible, else a background sampler every ``sample_interval`` seconds.
    """
    m = Measurement(rss_start_mb=rss_mb())
    exact = _reset_peak() and _status_kb("VmHWM") is not None
    stop = threading.Event()
    sampler: threading.Thread | None = None
    if not exact:

        def _sample() -> None:
            while not stop.is_set():
                m._samples.append(rss_mb())
                time.sleep(sample_interval)

        sampler = threading.Thread(target=_sample, daemon=True)
        sampler.start()
    t0 = time.perf_counter()
    try:
        yield m
    finally:
        m.seconds = time.perf_counter() - t0
        if exact:
            hwm = _status_kb("VmHWM")
            m.peak_mb = math.nan if hwm is None else hwm / 1024.0
            m.method = "VmHWM"
        else:
            stop.set()
            if sampler is not None:
                sampler.join()
            m._samples.append(rss_mb())
            m.peak_mb = max(m._samples)
            m.method = "sampled"


def best_of(fn: Callable[[], Any], repeat: int = 3) -> float:
    """Run ``fn`` ``repeat`` times; return the fastest wall time in seconds."""
    best = math.inf
    for _ in range(max(1, repeat)):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


# ---------------------------------------------------------------- output


def compute_ratio(
    value: float | None, baseline_value: float | None, unit: str, better: str | None = None
) -> float | None:
    """How many times better ``value`` is than ``baseline_value`` (> 1 = better)."""
    if value is None or baseline_value is None:
        return None
    try:
        v, b = float(value), float(baseline_value)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(v) and math.isfinite(b)) or v <= 0 or b <= 0:
        return None
    if better is None:
        better = "lower" if unit.strip().lower() in _LOWER_IS_BETTER else "higher"
    return b / v if better == "lower" else v / b


def result(name: str, value: float, unit: str, **fields: Any) -> dict[str, Any]:
    """Print one ``RESULT {json}`` line on stdout and return the record.

    ``fields`` may hold ``n``, ``baseline``, ``baseline_value``, ``ratio``, ``better``,
    ``peak_mb``, ``goal``, ``note`` (see ``benchmarks/README.md``). ``ratio`` is computed
    from ``baseline_value`` when not given.
    """
    record: dict[str, Any] = {"name": name, "value": value, "unit": unit, **fields}
    if record.get("ratio") is None:
        ratio = compute_ratio(value, fields.get("baseline_value"), unit, fields.get("better"))
        if ratio is not None:
            record["ratio"] = round(ratio, 3)
    line = json.dumps(record, default=_json_default, allow_nan=False)
    print(RESULT_PREFIX + line, flush=True)
    return record


def _json_default(obj: Any) -> Any:
    if hasattr(obj, "item"):  # numpy scalars
        return obj.item()
    return str(obj)


# ---------------------------------------------------------------- machine


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb() -> float | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    return round(float(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        return None
    return None


def _git_commit(repo: Path) -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() or "unknown"


def _version_of(pkg: str) -> str:
    try:
        return version(pkg)
    except PackageNotFoundError:
        return "not installed"


def machine_info() -> dict[str, Any]:
    """Describe the machine and the software: CPU, cores, RAM, OS, Python, versions, load."""
    versions = {pkg: _version_of(pkg) for pkg in PACKAGES}
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        usable = os.cpu_count() or 0
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = []
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "ram_gb": _ram_gb(),
        "os": f"{platform.system()} {platform.release()}",
        "machine": platform.machine(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "executable": sys.executable,
        "git_commit": _git_commit(Path(__file__).resolve().parent.parent),
        "load_avg_1_5_15": load,
        "packages": versions,
    }


def host_kind(info: dict[str, Any]) -> str:
    """A short file-name-safe description of the machine, e.g. ``2core-x86_64``."""
    return f"{info.get('usable_cores') or info.get('cores')}core-{info.get('machine', 'cpu')}"
