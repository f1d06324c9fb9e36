"""``desertgeo geocode`` through a subprocess and in-process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from desertgeo.cli import main

pytestmark = pytest.mark.cli


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desertgeo", *args], capture_output=True, text=True, timeout=300
    )


def test_names_on_the_command_line_print_a_table() -> None:
    res = run("geocode", "Sukhna", "20 km east of Palmyra")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].split()[:4] == ["query", "matched_name", "place_id", "rule"]
    assert "As Sukhnah" in lines[1]
    assert "geonames:172425" in lines[1]
    assert "offset" in lines[2]
    assert "Tadmur" in lines[2]


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geocode", "--json", "تدمر", "rural Homs"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["place_id"] for r in rows] == ["geonames:163808", "governorate:SY.HI"]
    assert rows[1]["where_prec"] == 4
    assert rows[1]["geo_precision"] == 3
    assert rows[0]["lon"] == pytest.approx(38.28402)


def test_strict_exits_1_on_unresolved(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geocode", "Palmyra", "Qqxxzzv"]) == 0
    assert main(["geocode", "--strict", "Palmyra", "Qqxxzzv"]) == 1
    assert "unresolved: 'Qqxxzzv'" in capsys.readouterr().err


def test_csv_in_geojson_and_csv_out(tmp_path: Path) -> None:
    src = tmp_path / "names.csv"
    src.write_text("id,place\n1,Sukhna\n2,the desert of Homs\n3,Xqzzvw\n", encoding="utf-8")
    gj = tmp_path / "out.geojson"
    res = run("geocode", "-i", str(src), "-c", "place", "-o", str(gj))
    assert res.returncode == 0, res.stderr
    assert "1 unresolved" in res.stderr
    frame = gpd.read_file(gj)
    assert len(frame) == 3
    assert frame.crs.to_epsg() == 4326
    assert list(frame["place_id"].fillna("")) == ["geonames:172425", "governorate:SY.HI", ""]
    assert list(frame["id"].astype(str)) == ["1", "2", "3"]
    assert frame.geometry.name == "geometry"
    assert frame.geometry.iloc[2] is None
    out = tmp_path / "out.csv"
    assert run("geocode", "-i", str(src), "-c", "place", "-o", str(out), "--strict").returncode == 1
    table = pd.read_csv(out)
    assert "geometry" not in table.columns
    assert table.loc[0, "lon"] == pytest.approx(38.8711)
    assert table.loc[0, "lat"] == pytest.approx(34.88533)
    assert list(table["id"]) == [1, 2, 3]


def test_context_options_and_user_gazetteer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["geocode", "--json", "--country", "SY", "Bosra"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["place_id"] == "geonames:171126"
    assert main(["geocode", "--json", "--admin1", "Deir ez-Zor", "Dhiban"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["place_id"] == "geonames:170691"
    assert main(["geocode", "--json", "--threshold", "101", "Plamyra"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["status"] == "unresolved"
    extra = tmp_path / "extra.csv"
    extra.write_text("name,lon,lat\nWadi al-Miyah,38.62,34.78\n", encoding="utf-8")
    assert main(["geocode", "--json", "--gazetteer", str(extra), "near Wadi al-Miyah"]) == 0
    row = json.loads(capsys.readouterr().out)[0]
    assert (row["place_id"], row["rule"]) == ("user:0", "near")


def test_usage_errors_exit_2() -> None:
    assert run("geocode").returncode == 2
    res = run("geocode", "-i", "/nonexistent/names.csv", "-c", "x")
    assert res.returncode == 2
    bad = run("geocode", "Palmyra", "-o", "out.txt")
    assert bad.returncode == 2
    assert "use a .csv or .geojson" in bad.stderr
