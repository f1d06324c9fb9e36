"""The ``desertgeo zones`` and ``desertgeo distance`` commands, run in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.cli


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desertgeo", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def events_csv(tmp_path: Path) -> Path:
    path = tmp_path / "events.csv"
    pd.DataFrame(
        {
            "event_id": ["e1", "e2", "e3", "e4"],
            "date": ["2023-02-11", "2023-02-17", "2026-01-18", "2023-03-01"],
            "lon": [38.284, 38.871, 38.284, 39.008],
            "lat": [34.562, 34.885, 34.562, 35.953],
            "fatalities": [16, 68, 1, 2],
            "group": ["a", "a", "b", "b"],
        }
    ).to_csv(path, index=False)
    return path


def test_zones_list() -> None:
    r = _run("zones", "list")
    assert r.returncode == 0, r.stderr
    assert "2014-01-01" in r.stdout
    assert "2026-01-17 .. 2026-01-20" in r.stdout
    assert "no snapshot for date" in r.stdout
    j = json.loads(_run("zones", "list", "--json").stdout)
    assert [row["kind"] for row in j].count("gap") == 1
    assert len(j) > 150


def test_zones_assign_with_summary(events_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "zoned.csv"
    r = _run("zones", "assign", str(events_csv), "-o", str(out), "--summary", "--period", "none")
    assert r.returncode == 1, r.stderr  # one row falls in the explicit gap of January 2026
    assert "1 of 4 rows have no zone (no snapshot for date 1" in r.stderr
    assert r.stderr.strip().splitlines()[-1].startswith("desertgeo zones assign: 1 of 4")
    table = pd.read_csv(out)
    assert table["controller"].tolist()[:2] == ["Syrian government", "Syrian government"]
    assert table["zone_status"].tolist() == ["ok", "ok", "no snapshot for date", "ok"]
    assert table["controller"].iloc[3] == "SDF"
    assert "Syrian government" in r.stdout
    assert "84" in r.stdout
    assert "no snapshot for date 1" in r.stderr


def test_distance_to_iraq_with_stats(events_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist.csv"
    r = _run(
        "distance", str(events_csv), "--to", "iraq", "-o", str(out), "--stats", "--by", "group"
    )
    assert r.returncode == 0, r.stderr
    table = pd.read_csv(out)
    assert table["dist_iraq_km"].iloc[0] == pytest.approx(136.6, abs=0.2)
    assert (table["nearest_iraq"] == "Iraq").all()
    assert "share_within_55km" in r.stdout


def test_distance_to_site_and_json(events_csv: Path) -> None:
    r = _run("-q", "distance", str(events_csv), "--json", "--to", "site", "al-Tanf", "garrison")
    assert r.returncode == 0, r.stderr
    payload = json.loads(r.stdout)
    assert payload["column"] == "dist_al_tanf_garrison_km"
    assert payload["measured"] == 4


def test_distance_bad_target_is_a_usage_error(events_csv: Path) -> None:
    r = _run("distance", str(events_csv), "--to", "site", "Atlantis")
    assert r.returncode == 2
    assert "unknown site 'Atlantis'" in r.stderr


def test_distance_to_front_matches_the_api(events_csv: Path, tmp_path: Path) -> None:
    from desertgeo.distance import distance_to
    from desertgeo.events import read_events

    out = tmp_path / "front.csv"
    r = _run("distance", str(events_csv), "--to", "front", "-o", str(out))
    assert r.returncode == 0, r.stderr
    table = pd.read_csv(out)
    api = distance_to(read_events(events_csv), "front")
    assert table["front_status"].tolist() == api["front_status"].tolist()
    assert (table["front_status"] == "ok").any()
    got = table["dist_front_km"].to_numpy()
    want = api["dist_front_km"].to_numpy()
    assert got == pytest.approx(want, rel=1e-9, nan_ok=True)


def test_zones_assign_every_row_outside_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    pd.DataFrame(
        {"date": ["2010-05-01", "2011-01-01"], "lon": [38.3, 38.9], "lat": [34.6, 34.9]}
    ).to_csv(path, index=False)
    r = _run("-q", "zones", "assign", str(path), "--json")
    assert r.returncode == 1
    payload = json.loads(r.stdout)
    assert payload["counts"]["no snapshot for date"] == 2
    assert payload["counts"]["without zone"] == 2
    assert "2 of 2 rows have no zone" in r.stderr
