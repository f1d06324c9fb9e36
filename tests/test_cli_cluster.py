"""The ``desertgeo cluster`` and ``desertgeo hotspots`` commands, run in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

pytestmark = pytest.mark.cli


def write_events(path: Path) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(0)
    n = 120
    lon = np.concatenate([rng.normal(38.87, 0.02, 60), rng.uniform(37, 41, 60)])
    lat = np.concatenate([rng.normal(34.89, 0.02, 60), rng.uniform(33, 36, 60)])
    ev = gpd.GeoDataFrame(
        {
            "event_id": [f"e{i}" for i in range(n)],
            "date": pd.date_range("2023-01-01", periods=n, freq="D").strftime("%Y-%m-%d"),
            "fatalities": rng.integers(0, 4, n),
            "place": ["Sukhnah"] * n,
        },
        geometry=gpd.points_from_xy(lon, lat),
        crs=4326,
    )
    ev.to_file(path)
    return ev


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desertgeo", *args], capture_output=True, text=True, timeout=120
    )


def test_cluster_command(tmp_path: Path) -> None:
    src = tmp_path / "events.geojson"
    write_events(src)
    out, labels = tmp_path / "clusters.geojson", tmp_path / "labels.csv"
    res = run(
        "cluster", str(src), "--method", "dbscan", "--eps-km", "10", "--min-events", "5",
        "-o", str(out), "--labels-out", str(labels), "--json",
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    info = json.loads(res.stdout)
    summary = gpd.read_file(out)
    assert info["clusters"] == len(summary) >= 1
    assert summary.loc[0, "nearest_place"] == "As Sukhnah"
    assert summary.loc[0, "n_events"] >= 60
    lab = pd.read_csv(labels)
    assert list(lab.columns) == ["event_id", "cluster"]
    assert len(lab) == 120
    assert (lab["cluster"].iloc[:60] == 0).all()
    assert int((lab["cluster"] >= 0).sum()) == int(summary["n_events"].sum())


def test_hotspots_command(tmp_path: Path) -> None:
    src = tmp_path / "events.geojson"
    write_events(src)
    out = tmp_path / "hot.geojson"
    res = run("hotspots", str(src), "--cell-km", "10", "-o", str(out), "--json")
    assert res.returncode == 0, res.stderr
    info = json.loads(res.stdout)
    cells = gpd.read_file(out)
    assert info["hot"] >= 1
    assert (cells["hotspot"] == "hot").sum() == info["hot"]
    assert cells["n_events"].sum() == 120


def test_cluster_command_bad_input(tmp_path: Path) -> None:
    src = tmp_path / "events.geojson"
    write_events(src)
    res = run("cluster", str(src), "--method", "st-dbscan", "-o", str(tmp_path / "x.geojson"))
    assert res.returncode == 2
    assert "time_days" in res.stderr
