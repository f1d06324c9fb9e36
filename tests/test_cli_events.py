"""Tests of ``desertgeo events`` through a subprocess (the installed command line)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from desertgeo.events import read_events

DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
TRUFFLE = SEEDS / "article_truffle_hunters_2023.txt"

pytestmark = pytest.mark.cli


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desertgeo", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        check=False,
    )


def test_events_read_writes_and_prints_summary(tmp_path: Path) -> None:
    out = tmp_path / "out.gpkg"
    proc = _run("events", "read", str(DATA / "acled_sample.csv"), "-o", str(out))
    assert proc.returncode == 1, proc.stderr  # 3 invalid rows: written, but exit 1
    assert "10 events" in proc.stderr
    assert (
        proc.stderr.strip()
        .splitlines()[-1]
        .endswith(
            "10 rows, 4 ok, 3 warning, 3 invalid "
            "(coordinates_out_of_range 1, missing_coordinates 1, unparseable_date 1, "
            "duplicate_event_id 1)"
        )
    )
    assert "swapped_coordinates" in proc.stderr
    assert "unparseable_date" in proc.stderr
    back = read_events(out)
    assert len(back) == 10
    assert back["status"].value_counts().to_dict() == {"ok": 4, "warning": 3, "invalid": 3}


def test_events_read_json_and_format(tmp_path: Path) -> None:
    copy = tmp_path / "ucdp.txt"
    copy.write_text((DATA / "ucdp_sample.csv").read_text(encoding="utf-8"), encoding="utf-8")
    proc = _run("events", "read", str(copy), "--format", "ucdp", "--json")
    assert proc.returncode == 1, proc.stderr
    payload = json.loads(proc.stdout)
    assert payload["n_events"] == 6
    assert payload["counts"] == {"n": 6, "ok": 3, "warning": 1, "invalid": 2}
    counts = {(r["status"], r["reason"]): r["count"] for r in payload["summary"]}
    assert counts[("ok", "")] == 3
    assert counts[("warning", "swapped_coordinates")] == 1


def test_events_read_strict_fails_with_row_column_value() -> None:
    proc = _run("events", "read", str(DATA / "acled_sample.csv"), "--strict")
    assert proc.returncode == 2
    assert "row 2 (event_id 'SYRFX003'), column 'lat', value 38.8697" in proc.stderr


def test_events_read_malformed_is_a_usage_error() -> None:
    proc = _run("events", "read", str(DATA / "events_malformed.geojson"))
    assert proc.returncode == 2
    assert "cannot read events file" in proc.stderr


def test_events_read_column_mapping(tmp_path: Path) -> None:
    src = tmp_path / "mine.csv"
    src.write_text("ref,day,Y,X\nk1,2023-02-11,34.5608,38.2805\n", encoding="utf-8")
    out = tmp_path / "mine.parquet"
    proc = _run(
        "events",
        "read",
        str(src),
        "--column",
        "event_id=ref",
        "--column",
        "lat=Y",
        "--column",
        "lon=X",
        "--column",
        "date=day",
        "-o",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr
    back = read_events(out)
    assert back["event_id"].tolist() == ["k1"]
    assert back.geometry.iloc[0].y == 34.5608


@pytest.mark.skipif(not TRUFFLE.is_file(), reason="seed article not found")
def test_events_parse_article(tmp_path: Path) -> None:
    out = tmp_path / "events.geojson"
    proc = _run("events", "parse", str(TRUFFLE), "--published", "2023-02-20", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "Palmyra" in proc.stdout
    assert "killed=68" in proc.stdout
    back = read_events(out)
    palmyra = back[back["place"] == "Palmyra"].iloc[0]
    assert palmyra["date"] == pd.Timestamp("2023-02-11")
    assert int(palmyra["abducted"]) == 75


def test_events_parse_json_from_stdin() -> None:
    text = "On 11 Feb 2023, IS fighters kidnapped about 75 truffle hunters near Palmyra."
    proc = _run("events", "parse", "-", "--json", stdin=text)
    assert proc.returncode == 0, proc.stderr
    records = json.loads(proc.stdout)
    assert len(records) == 1
    assert records[0]["date"] == "2023-02-11"
    assert records[0]["abducted"] == 75
    assert records[0]["lon"] == pytest.approx(38.28, abs=0.1)


def test_events_read_options_and_clean_exit(tmp_path: Path) -> None:
    src = tmp_path / "dates.csv"
    src.write_text(
        "id;date;lat;lon;country\na;05/06/2024;38.8697;34.8877;Syria\nb;07/08/2024;34.56;38.28;Syria\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    proc = _run("events", "read", str(src), "--dayfirst", "--no-fix-swapped", "-o", str(out))
    assert proc.returncode == 0, proc.stderr  # warnings only
    back = read_events(out, fix_swapped=False)
    assert back["date"].tolist() == [pd.Timestamp("2024-06-05"), pd.Timestamp("2024-08-07")]
    assert back.geometry.y.iloc[0] == 38.8697  # kept as given
    assert back["reason"].iloc[0].startswith("possible_swap")
    proc = _run("events", "read", str(src), "--sep", ",")
    assert proc.returncode == 2
    assert "no coordinate columns" in proc.stderr
