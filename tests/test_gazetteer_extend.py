"""Extending the gazetteer in one command from a GeoNames dump served on loopback.

The fixture is a small GeoNames-layout dump written here (two invented rows with ids in
a range GeoNames does not use); the server is http.server on 127.0.0.1: nothing leaves
the machine.
"""

from __future__ import annotations

import http.server
import io
import json
import os
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from desertgeo import DataError, InputError
from desertgeo._userdata import add_csv, extension_files, fetch_geonames

pytestmark = pytest.mark.network

# GeoNames dump layout: 19 tab-separated columns
ROWS = [
    ["990000001", "Bir Fixturah", "Bir Fixturah", "Bi'r Fikhsturah,بئر فكستورة", "34.95",
     "38.95", "H", "WLL", "SY", "", "12", "", "", "", "0", "", "400", "Asia/Damascus",
     "2024-01-01"],
    ["990000002", "Qaryat Testiyah", "Qaryat Testiyah", "Testiya", "34.70", "38.40", "P",
     "PPL", "SY", "", "12", "", "", "", "250", "", "390", "Asia/Damascus", "2024-01-01"],
]  # fmt: skip


def _zip_bytes(rows: list[list[str]], member: str = "SY.txt") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(member, "".join("\t".join(r) + "\n" for r in rows))
        zf.writestr("readme.txt", "fixture written by tests/test_gazetteer_extend.py\n")
    return buf.getvalue()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "www"
    root.mkdir()
    (root / "SY.zip").write_bytes(_zip_bytes(ROWS))
    (root / "IQ.zip").write_bytes(_zip_bytes(ROWS, member="other.txt"))
    (root / "broken.zip").write_bytes(b"this is not a zip file")
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(  # noqa: E731
        *a, directory=str(root), **k
    )
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.RequestHandlerClass.log_message = lambda *a, **k: None  # type: ignore[method-assign]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DESERTGEO_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "desertgeo", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.mark.cli
def test_fetch_then_geocode_uses_the_dump(server: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    before = _cli(home, "geocode", "Bir Fixturah", "--json")
    assert before.returncode == 0, before.stderr
    assert json.loads(before.stdout)[0]["place_id"] != "geonames:990000001"

    res = _cli(home, "gazetteer", "fetch", "SY", "--url", f"{server}/SY.zip", "--json")
    assert res.returncode == 0, res.stderr
    info = json.loads(res.stdout)
    assert info["places"] == 2
    assert Path(info["path"]) == home / "gazetteer" / "SY.zip"

    after = _cli(home, "geocode", "Bir Fixturah", "بئر فكستورة", "Testiya", "--json")
    assert after.returncode == 0, after.stderr
    ids = [row["place_id"] for row in json.loads(after.stdout)]
    assert ids == ["geonames:990000001", "geonames:990000001", "geonames:990000002"]

    listing = _cli(home, "gazetteer", "list", "--json")
    assert json.loads(listing.stdout)["files"] == [{"path": info["path"], "places": 2}]


def test_broken_downloads_leave_nothing_behind(server: str, tmp_path: Path) -> None:
    folder = tmp_path / "ext"
    with pytest.raises(DataError, match="not a zip file"):
        fetch_geonames("SY", url=f"{server}/broken.zip", directory=folder)
    with pytest.raises(DataError, match=r"not IQ\.txt"):
        fetch_geonames("IQ", url=f"{server}/IQ.zip", directory=folder)
    with pytest.raises(DataError, match="could not download"):
        fetch_geonames("SY", url=f"{server}/missing.zip", directory=folder)
    assert extension_files(folder) == []
    assert list(folder.iterdir()) == []


def test_bad_country_and_scheme_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="ISO 3166-1"):
        fetch_geonames("Syria", directory=tmp_path)
    with pytest.raises(InputError, match="must start with"):
        fetch_geonames("SY", url="ftp://example.invalid/SY.zip", directory=tmp_path)


def test_add_csv_checks_rows_before_storing(tmp_path: Path) -> None:
    folder = tmp_path / "ext"
    good = tmp_path / "mine.csv"
    good.write_text("name,lon,lat,aliases\nWadi Fixture,38.6,34.6,W. Fixture|وادي فكستشر\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,lon,lat\nSomewhere,east,34.6\n")
    with pytest.raises(DataError, match=r"line 2 \('Somewhere'\): lon 'east' is not a longitude"):
        add_csv(bad, directory=folder)
    assert extension_files(folder) == []
    assert add_csv(good, directory=folder) == (folder / "mine.csv", 1, ())
    assert extension_files(folder) == [folder / "mine.csv"]
