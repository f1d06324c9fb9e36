"""``gazetteer fetch`` against hostile servers on loopback: caps, deadline, clean-up.

The server is ``http.server`` on 127.0.0.1 in a thread (nothing leaves the machine). It
serves a zip bomb generated here (a small zip whose member unpacks to 1 GiB of zeros), a
bomb whose header lies about the member's size, a body larger than the cap (announced
and unannounced), a server that trickles one byte a second, one that stalls after its
headers and one that never answers. Each must end in seconds, with bounded memory
(tracemalloc) and no temporary file left in the extension folder.
"""

from __future__ import annotations

import contextlib
import http.server
import io
import os
import re
import signal
import struct
import subprocess
import sys
import threading
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from desertgeo import DataError
from desertgeo._userdata import MAX_RATIO, extension_files, fetch_geonames

pytestmark = pytest.mark.network

SRC = Path(__file__).resolve().parents[1] / "src"
ROW = [
    "990000001", "Bir Fixturah", "Bir Fixturah", "Bi'r Fikhsturah", "34.95", "38.95", "H",
    "WLL", "SY", "", "12", "", "", "", "0", "", "400", "Asia/Damascus", "2024-01-01",
]  # fmt: skip
GOOD = "\t".join(ROW) + "\n"
GIB = 1024**3


def _zip(member: str, text: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(member, text)
    return buf.getvalue()


def _zip_bomb(member: str, total: int, block: int = 1 << 20) -> bytes:
    """A zip whose one member inflates to ``total`` zero bytes, built in well under 1 s.

    A raw deflate stream compresses one block of zeros, full-flushes (which resets the
    compressor, so the next block compresses to the same bytes) and repeats that piece.
    """
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = co.compress(bytes(block)) + co.flush(zlib.Z_FULL_FLUSH)
    piece = co.compress(bytes(block)) + co.flush(zlib.Z_FULL_FLUSH)
    tail = co.flush(zlib.Z_FINISH)
    count = total // block
    data = first + piece * (count - 1) + tail
    crc = 0
    zeros = bytes(block)
    for _ in range(count):
        crc = zlib.crc32(zeros, crc)
    name = member.encode()
    size = count * block
    local = struct.pack(
        "<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), size, len(name), 0
    )
    central = struct.pack(
        "<4sHHHHHHIIIHHHHHII",
        b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(data), size, len(name), 0, 0, 0, 0, 0, 0,
    ) + name  # fmt: skip
    body = local + name + data
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(body), 0)
    return body + central + end


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """SY.txt = 1 GiB of zeros; about 1 MB zipped."""
    return _zip_bomb("SY.txt", GIB)


def _lying(zipped: bytes, claimed: int) -> bytes:
    """The same zip with the member's uncompressed size rewritten to ``claimed``."""
    data = bytearray(zipped)
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(sig)
        assert at >= 0
        data[at + offset : at + offset + 4] = struct.pack("<I", claimed)
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("SY.txt").file_size == claimed
    return bytes(data)


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, Callable[[http.server.BaseHTTPRequestHandler], None]]] = {}

    def do_GET(self) -> None:
        route = self.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            route(self)

    def log_message(self, *args: object) -> None:
        pass


def _send(
    body: bytes, *, length: int | None = None
) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    def route(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/zip")
        if length is not None:
            h.send_header("Content-Length", str(length))
        h.end_headers()
        h.wfile.write(body)

    return route


def _unannounced(total: int) -> Callable[[http.server.BaseHTTPRequestHandler], None]:
    def route(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Connection", "close")
        h.end_headers()
        block = os.urandom(1 << 16)
        for _ in range(total // len(block)):
            h.wfile.write(block)

    return route


def _trickle(h: http.server.BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Length", "100000")
    h.end_headers()
    for _ in range(100000):
        h.wfile.write(b"P")
        h.wfile.flush()
        time.sleep(1.0)


def _stall(h: http.server.BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Length", "1000")
    h.end_headers()
    h.wfile.flush()
    time.sleep(120)


def _silent(h: http.server.BaseHTTPRequestHandler) -> None:
    time.sleep(120)


@pytest.fixture(scope="module")
def server(bomb: bytes) -> Iterator[str]:
    small = _zip("SY.txt", GOOD.encode())
    _Handler.routes = {
        "/SY.zip": _send(small, length=len(small)),
        "/bomb.zip": _send(bomb, length=len(bomb)),
        "/liar.zip": _send(_lying(bomb, 10_000), length=len(bomb)),
        "/huge-announced.zip": _send(b"PK", length=10 * GIB),
        "/huge-unannounced.zip": _unannounced(64 << 20),
        "/trickle.zip": _trickle,
        "/stall.zip": _stall,
        "/silent.zip": _silent,
    }
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _fetch_measured(url: str, folder: Path, **kwargs: float) -> tuple[BaseException, float, int]:
    """Run fetch_geonames; return the error, the seconds it took, the peak traced memory."""
    import desertgeo.gazetteer  # noqa: F401 -- imported before measuring: its import is not the fetch

    tracemalloc.start()
    start = time.monotonic()
    try:
        fetch_geonames("SY", url=url, directory=folder, **kwargs)  # type: ignore[arg-type]
    except DataError as exc:
        error: BaseException = exc
    else:
        error = AssertionError("the fetch succeeded")
    finally:
        elapsed = time.monotonic() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return error, elapsed, peak


def _inflate(zipped: bytes, limit: int | None = None) -> int:
    total = 0
    with zipfile.ZipFile(io.BytesIO(zipped)).open("SY.txt") as stream:
        while (limit is None or total < limit) and (chunk := stream.read(1 << 20)):
            total += len(chunk)
    return total


def test_the_bomb_is_a_real_bomb(bomb: bytes) -> None:
    """Valid zips: the builder's output inflates whole with a good CRC (checked at 64 MiB),
    and the 1 GiB bomb's stream inflates as zeros."""
    assert _inflate(_zip_bomb("SY.txt", 64 << 20)) == 64 << 20
    info = zipfile.ZipFile(io.BytesIO(bomb)).getinfo("SY.txt")
    assert len(bomb) < 2_000_000
    assert info.file_size == GIB
    assert info.file_size / info.compress_size > 10 * MAX_RATIO
    assert _inflate(bomb, limit=64 << 20) >= 64 << 20


def test_a_good_dump_still_works(server: str, tmp_path: Path) -> None:
    path, n = fetch_geonames("SY", url=f"{server}/SY.zip", directory=tmp_path)
    assert (path, n) == (tmp_path / "SY.zip", 1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["SY.zip"]


@pytest.mark.parametrize(
    ("route", "kwargs", "message"),
    [
        ("bomb.zip", {}, "possible zip bomb"),
        # declared size below every cap, real data 1 GiB: zipfile stops at the declared
        # size and the CRC check fails
        ("liar.zip", {}, "corrupt zip file|cannot unpack"),
        ("huge-announced.zip", {}, "larger than"),
        ("huge-unannounced.zip", {"max_bytes": 8 << 20}, "larger than 8,388,608 bytes"),
        ("trickle.zip", {"timeout": 3.0}, "3 s deadline"),
        ("stall.zip", {"timeout": 2.0}, "2 s deadline"),
        ("silent.zip", {"timeout": 2.0}, "2 s deadline"),
    ],
)
def test_hostile_servers_end_fast_with_bounded_memory(
    server: str, tmp_path: Path, route: str, kwargs: dict[str, float], message: str
) -> None:
    folder = tmp_path / "ext"
    error, elapsed, peak = _fetch_measured(f"{server}/{route}", folder, **kwargs)
    assert isinstance(error, DataError), error
    assert re.search(message, str(error)), str(error)
    assert elapsed < float(kwargs.get("timeout", 0)) + 8.0
    print(f"MEASURED {route}: {elapsed:.2f} s, peak traced memory {peak:,} bytes")
    assert peak < 4 * 1024 * 1024, f"peak traced memory {peak:,} bytes"
    assert list(folder.iterdir()) == []
    assert extension_files(folder) == []


def test_a_size_cap_below_the_member(server: str, tmp_path: Path) -> None:
    error, _, _ = _fetch_measured(
        f"{server}/bomb.zip", tmp_path, max_ratio=1e9, max_uncompressed=1_000_000
    )
    assert "would unpack past the caps (1,000,000 bytes" in str(error)
    assert list(tmp_path.iterdir()) == []


def test_a_stale_folder_of_a_killed_fetch_is_removed(server: str, tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    stale = tmp_path / f".fetch-{int(dead.stdout)}-abc"
    stale.mkdir()
    (stale / "SY.zip").write_bytes(b"partial")
    fetch_geonames("SY", url=f"{server}/SY.zip", directory=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["SY.zip"]


def _cli(home: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "DESERTGEO_HOME": str(home), "PYTHONPATH": str(SRC)}
    return subprocess.Popen(
        [sys.executable, "-m", "desertgeo", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_download(folder: Path, timeout: float = 60.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if folder.is_dir() and any(folder.glob(".fetch-*/SY.zip")):
            return
        time.sleep(0.05)
    raise AssertionError("the download never started")


@pytest.mark.cli
@pytest.mark.parametrize(
    ("sig", "code", "word"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
)
def test_cli_interrupted_fetch_leaves_nothing(
    server: str, tmp_path: Path, sig: signal.Signals, code: int, word: str
) -> None:
    home = tmp_path / "home"
    with _cli(home, "gazetteer", "fetch", "SY", "--url", f"{server}/trickle.zip") as proc:
        _wait_for_download(home / "gazetteer")
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == code, err
    assert word in err
    assert "Traceback" not in err
    assert list((home / "gazetteer").iterdir()) == []


@pytest.mark.cli
def test_cli_timeout_option_is_a_total_deadline(server: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    start = time.monotonic()
    with _cli(home, "gazetteer", "fetch", "--url", f"{server}/trickle.zip", "--timeout", "2") as p:
        _, err = p.communicate(timeout=60)
    assert p.returncode == 2
    assert time.monotonic() - start < 30
    lines = [line for line in err.splitlines() if line.startswith("desertgeo: error")]
    assert len(lines) == 1, err
    assert "2 s deadline" in lines[0]
    assert list((home / "gazetteer").iterdir()) == []
