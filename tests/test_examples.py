"""Each script in examples/ runs end to end on the shipped data and writes real outputs.

The scripts run as subprocesses (like a user would run them) into a temporary folder; the
checks read their outputs back and assert on values, not only on file existence.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

pytestmark = [pytest.mark.slow]


def run_example(name: str, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONWARNINGS": "error"}
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / name), "--out", str(out), *extra],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, f"{name} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    return proc


def check_png(path: Path, min_bytes: int = 10_000) -> None:
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC, path
    assert len(data) > min_bytes, (path, len(data))


def check_offline_map(path: Path, *must_contain: str) -> str:
    html = path.read_text(encoding="utf-8")
    assert len(html) > 50_000, len(html)  # JS/CSS inlined: a real self-contained page
    assert "L.map(" in html or "leaflet" in html.lower()
    assert '<script src="http' not in html  # offline: no remote scripts
    for text in must_contain:
        assert text in html, text
    return html


def test_truffle_hunters_2023(tmp_path: Path) -> None:
    proc = run_example("truffle_hunters_2023.py", tmp_path)
    events = pd.read_csv(tmp_path / "events.csv", parse_dates=["date"])
    by_date = {d.date().isoformat(): g for d, g in events.groupby("date")}
    # the Palmyra abduction on 11 Feb 2023 and the Sukhna attack on 17 Feb 2023
    palmyra = by_date["2023-02-11"]
    sukhna = by_date["2023-02-17"]
    assert palmyra["mentions"].str.contains("Palmyra").any()
    assert sukhna["mentions"].str.contains("outside the desert town of Sukhna").any()
    assert palmyra["fatalities"].max() >= 16
    assert palmyra["abducted"].max() >= 75
    assert sukhna["fatalities"].max() >= 61
    # geocoded near the real towns (Palmyra ~38.27 E 34.56 N; Sukhnah ~38.87 E 34.88 N)
    p = palmyra.loc[palmyra["mentions"].str.contains("Palmyra")].iloc[0]
    s = sukhna.loc[sukhna["mentions"].str.contains("Sukhna")].iloc[0]
    assert s["uncertainty_m"] > p["uncertainty_m"]  # "outside" Sukhna is less precise
    assert abs(p["lon"] - 38.27) < 0.2
    assert abs(p["lat"] - 34.56) < 0.2
    assert abs(s["lon"] - 38.87) < 0.2
    assert abs(s["lat"] - 34.88) < 0.2
    # zones and distances were computed for every located event
    located = events.dropna(subset=["lon"])
    assert located["controller"].notna().all()
    assert located["dist_border_km"].between(50, 300).all()
    check_offline_map(tmp_path / "map.html", "Sukhnah")
    check_png(tmp_path / "figure.png")
    assert "outside the desert town of Sukhna" in proc.stdout


def test_uptick_2024(tmp_path: Path) -> None:
    run_example("uptick_2024.py", tmp_path)
    share = pd.read_csv(tmp_path / "share_by_controller.csv")
    assert share["events"].sum() > 0
    assert share["share"].sum() == pytest.approx(1.0)
    assert share["share"].between(0, 1).all()
    dist = pd.read_csv(tmp_path / "distances.csv")
    assert {"dist_iraq_km", "dist_tanf_zone_km"} <= set(dist.columns)
    assert (dist["dist_iraq_km"] >= 0).all()
    assert (dist["dist_tanf_zone_km"] >= 0).all()
    stats = pd.read_csv(tmp_path / "distance_stats.csv", index_col=0)
    assert stats.loc["dist_iraq_km", "count"] == dist["dist_iraq_km"].notna().sum()
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["events"] == len(dist)
    assert 0 <= summary["share_government"] <= 1
    check_offline_map(tmp_path / "map.html")
    check_png(tmp_path / "distance_histogram.png")


def test_ucdp_workflow(tmp_path: Path) -> None:
    run_example("ucdp_workflow.py", tmp_path)
    raw = pd.read_csv(tmp_path / "ged_syria_sample.csv")
    # real UCDP GED column names
    assert {
        "id",
        "date_start",
        "date_end",
        "date_prec",
        "where_prec",
        "where_coordinates",
        "adm_1",
        "latitude",
        "longitude",
        "side_a",
        "side_b",
        "best",
        "low",
        "high",
        "type_of_violence",
    } <= set(raw.columns)
    events = pd.read_csv(tmp_path / "events_enriched.csv")
    assert len(events) == len(raw)  # nothing dropped
    assert set(events["status"]) <= {"ok", "warning", "invalid"}
    assert (events["status"] == "invalid").sum() >= 1  # the deliberately broken row is kept
    assert (
        events.loc[events["status"] == "invalid", "controller"].str.startswith("(not usable").all()
    )
    ok = events[events["status"] != "invalid"]
    assert ok["controller"].notna().all()
    assert ok["dist_border_km"].notna().all()
    assert (ok["cluster"] >= 0).any()
    clusters = pd.read_csv(tmp_path / "clusters.csv")
    assert len(clusters) >= 2
    assert clusters["n_events"].min() >= 3
    check_offline_map(tmp_path / "map.html")
