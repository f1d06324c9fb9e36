"""Atomic writes: a failed or killed write never loses the old file or leaves a partial one.

Every ``write_events`` format is made to fail on its last row (a value whose
serialisation raises, or the underlying writer writing part of the file and then
raising); a subprocess writing a large CSV is killed with SIGKILL half-way. In each case
the previous file must read back whole, byte for byte.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from desertgeo import InputError, datasets
from desertgeo._atomic import atomic_path, atomic_write_text, check_output_dir
from desertgeo.events import read_events, write_events

SRC = Path(__file__).resolve().parents[1] / "src"
FORMATS = ["csv", "geojson", "gpkg", "parquet"]


class Unprintable:
    """A cell value whose text form cannot be produced (the CSV writer calls str())."""

    def __str__(self) -> str:
        raise RuntimeError("this value cannot be serialised")

    __repr__ = __str__


@pytest.fixture(scope="module")
def events() -> gpd.GeoDataFrame:
    return datasets.load("seed_events")


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("fmt", FORMATS)
def test_success_replaces_and_keeps_nothing_else(
    events: gpd.GeoDataFrame, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"ev.{fmt}"
    write_events(events.head(2), out)
    write_events(events, out)
    assert len(read_events(out)) == len(events)
    assert _listing(tmp_path) == [out.name]


def test_csv_value_failing_on_the_last_row_keeps_the_old_file(
    events: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    out = tmp_path / "ev.csv"
    write_events(events, out)
    old = out.read_bytes()
    bad = events.copy()
    bad["notes"] = pd.Series([f"note {i}" for i in range(len(bad))], index=bad.index, dtype=object)
    bad.iloc[-1, bad.columns.get_loc("notes")] = Unprintable()
    with pytest.raises(RuntimeError, match="cannot be serialised"):
        write_events(bad, out)
    assert out.read_bytes() == old
    assert len(read_events(out)) == len(events)
    assert _listing(tmp_path) == ["ev.csv"]


def _partial_then_raise(real: Any, path_arg: int | str) -> Any:
    """A stand-in writer: writes all rows but the last to the real path, then raises."""

    def writer(*args: Any, **kwargs: Any) -> None:
        frame = args[0]
        path = args[path_arg] if isinstance(path_arg, int) else kwargs[path_arg]
        real(frame.iloc[:-1], path, *args[path_arg + 1 :], **kwargs)
        assert Path(path).stat().st_size > 0  # something really was written
        raise OSError(28, "No space left on device (simulated on the last row)")

    return writer


@pytest.mark.parametrize("fmt", ["geojson", "gpkg"])
def test_ogr_writer_failing_after_a_partial_write_keeps_the_old_file(
    events: gpd.GeoDataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    import pyogrio

    out = tmp_path / f"ev.{fmt}"
    write_events(events, out)
    old = out.read_bytes()
    monkeypatch.setattr(pyogrio, "write_dataframe", _partial_then_raise(pyogrio.write_dataframe, 1))
    with pytest.raises(OSError, match="No space left"):
        write_events(events.head(3), out)
    monkeypatch.undo()
    assert out.read_bytes() == old
    assert len(read_events(out)) == len(events)
    assert _listing(tmp_path) == [out.name]


def test_parquet_writer_failing_after_a_partial_write_keeps_the_old_file(
    events: gpd.GeoDataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "ev.parquet"
    write_events(events, out)
    old = out.read_bytes()
    real = pq.write_table

    def half(table: Any, where: Any, *args: Any, **kwargs: Any) -> None:
        real(table.slice(0, max(table.num_rows - 1, 0)), where, *args, **kwargs)
        raise OSError(28, "No space left on device (simulated on the last row)")

    monkeypatch.setattr(pq, "write_table", half)
    with pytest.raises(OSError, match="No space left"):
        write_events(events.head(3), out)
    monkeypatch.undo()
    assert out.read_bytes() == old
    assert _listing(tmp_path) == ["ev.parquet"]


def test_a_failed_first_write_leaves_no_file(events: gpd.GeoDataFrame, tmp_path: Path) -> None:
    bad = events.copy()
    bad["notes"] = pd.Series([Unprintable()] * len(bad), index=bad.index, dtype=object)
    with pytest.raises(RuntimeError):
        write_events(bad, tmp_path / "new.csv")
    assert _listing(tmp_path) == []


def test_keyboard_interrupt_mid_write_cleans_up(tmp_path: Path) -> None:
    out = tmp_path / "t.txt"
    out.write_text("old")

    def interrupted_write() -> None:
        with atomic_path(out) as tmp:
            tmp.write_text("partial")
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted_write()
    assert out.read_text() == "old"
    assert _listing(tmp_path) == ["t.txt"]


def test_permissions_of_the_replaced_file_are_kept(tmp_path: Path) -> None:
    out = tmp_path / "t.txt"
    out.write_text("old")
    out.chmod(0o640)
    atomic_write_text(out, "new")
    assert out.read_text() == "new"
    assert out.stat().st_mode & 0o777 == 0o640


def test_output_folder_problems_are_input_errors(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x")
    with pytest.raises(InputError, match="does not exist; create it first"):
        check_output_dir(tmp_path / "missing" / "out.csv")
    with pytest.raises(InputError, match="is not a folder"):
        check_output_dir(afile / "out.csv")
    with pytest.raises(InputError, match="it is a folder"):
        check_output_dir(tmp_path)


def test_os_refusing_the_temporary_file_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a read-only mount or a folder without write permission does (also as root)."""
    import tempfile

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(InputError, match="Read-only file system in the folder"):
        atomic_write_text(tmp_path / "out.txt", "x")
    assert _listing(tmp_path) == []


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root ignores folder permissions; the OS refusal is simulated in the test above",
)
def test_read_only_folder_is_an_input_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(InputError, match="not writable"):
            atomic_write_text(folder / "out.txt", "x")
    finally:
        folder.chmod(0o755)


_WRITER = textwrap.dedent(
    """
    import sys
    import geopandas as gpd
    import numpy as np
    import shapely
    from desertgeo.events import write_events

    n = int(sys.argv[2])
    rng = np.random.default_rng(0)
    frame = gpd.GeoDataFrame(
        {
            "event_id": [f"big-{i}" for i in range(n)],
            "notes": [f"a long enough note for row {i} " * 4 for i in range(n)],
            "fatalities": rng.integers(0, 50, n),
        },
        geometry=shapely.points(rng.uniform(36, 41, n), rng.uniform(33, 36, n)),
        crs=4326,
    )
    print("ready", flush=True)
    if sys.argv[3] == "atomic":
        write_events(frame, sys.argv[1])
    else:  # what desertgeo did before: write the target in place
        frame.drop(columns="geometry").to_csv(sys.argv[1], index=False)
    print("done", flush=True)
    """
)


def _hidden_temp(folder: Path, name: str) -> Path | None:
    found = [p for p in folder.iterdir() if p.name.startswith(f".{name}.")]
    return found[0] if found else None


def _kill_mid_write(out: Path, mode: str) -> int:
    """Run the writer in a subprocess, SIGKILL it once 1 MB is on disk; return that size."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    watched = out if mode == "inplace" else None
    old_size = out.stat().st_size
    partial = 0
    with subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(out), "600000", mode],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "ready"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and proc.poll() is None:
                path = watched or _hidden_temp(out.parent, out.name)
                size = path.stat().st_size if path is not None and path.exists() else 0
                if size > 1_000_000 and size != old_size:
                    partial = size
                    proc.send_signal(signal.SIGKILL)
                    break
                time.sleep(0.005)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the writer finished before it could be killed"
    return partial


def _old_file(out: Path) -> bytes:
    small = gpd.GeoDataFrame(
        {"event_id": ["old-1", "old-2", "old-3"], "fatalities": [1, 2, 3]},
        geometry=shapely.points([38.0, 38.5, 39.0], [34.5, 34.6, 34.7]),
        crs=4326,
    )
    write_events(small, out)
    return out.read_bytes()


@pytest.mark.slow
def test_sigkill_during_a_big_csv_write_keeps_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    old = _old_file(out)
    assert _kill_mid_write(out, "atomic") > 1_000_000
    assert out.read_bytes() == old
    back = read_events(out)
    assert list(back["event_id"]) == ["old-1", "old-2", "old-3"]
    # the only thing a SIGKILL can leave is the hidden temporary file, never the target
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith(".")] == ["events.csv"]


@pytest.mark.slow
def test_control_an_in_place_write_killed_the_same_way_loses_the_old_file(
    tmp_path: Path,
) -> None:
    """The same kill against a plain in-place write: the test above can fail."""
    out = tmp_path / "events.csv"
    old = _old_file(out)
    _kill_mid_write(out, "inplace")
    damaged = out.read_bytes()
    assert damaged != old
    assert b"old-1" not in damaged


def test_atomic_parquet_parts_in_scale(tmp_path: Path) -> None:
    pytest.importorskip("dask_geopandas")
    from desertgeo.scale import write_parquet

    frame = gpd.GeoDataFrame(
        {"event_id": ["a", "b"], "fatalities": np.array([1, 2])},
        geometry=shapely.points([38.0, 38.5], [34.5, 34.6]),
        crs=4326,
    )
    out = write_parquet(frame, tmp_path / "ds")
    assert sorted(p.name for p in out.iterdir()) == ["part.00000.parquet"]
