"""``desertgeo gazetteer add / list / remove``: whole-file checks, no silent replacement."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desertgeo import DataError, InputError
from desertgeo._userdata import add_csv, extension_files, remove_extension
from desertgeo.cli import main


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DESERTGEO_HOME", str(tmp_path / "home"))
    return tmp_path / "home" / "gazetteer"


def _csv(tmp_path: Path, text: str, name: str = "mine.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


GOOD = "name,lon,lat,aliases\nWadi Fixture,38.6,34.6,W. Fixture|وادي فكستشر\nBir Test,39.1,34.9,\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty file"),
        ("name,lon,lat\n", "no places below the header"),
        ("title,x,y\nA,1,2\n", "the header needs the columns 'name' and 'lon'/'lat'"),
        ("name,lon,lat,lon\nA,38,34,38\n", "repeated column names"),
        ("name,lon,lat\nA,38.1,34.1\nB,38.2\n", "line 3: 2 fields, the header has 3"),
        ("name,lon,lat\n,38.1,34.1\n", "line 2: empty 'name'"),
        ("name,lon,lat\nA,east,34.1\n", "line 2 \\('A'\\): lon 'east' is not a longitude"),
        ("name,lon,lat\nA,38.1,north\n", "lat 'north' is not a latitude"),
        ("name,lon,lat\nA,nan,34\n", "lon 'nan' is not a longitude"),
        ("name,lon,lat\nA,inf,34\n", "lon 'inf' is not a longitude"),
        ("name,lon,lat\nA,38,-inf\n", "lat '-inf' is not a latitude"),
        ("name,lon,lat\nA,381,34\n", "lon '381' is not a longitude"),
        ("name,lon,lat\nA,38,95\n", "lat '95' is not a latitude"),
        ("name,lon,lat\nA,1e400,34\n", "lon '1e400' is not a longitude"),
        ("name,lon,lat\nA,,34\n", "lon '' is not a longitude"),
        ("place_id,name,lon,lat\nx:1,A,38,34\nx:1,B,38,34\n", "place_id 'x:1' repeats line 2"),
        ("name,lon,lat\nA\x00,38,34\n", "NUL bytes"),
        ('name,lon,lat\n"A,38,34\n', "fields|not a readable CSV"),
    ],
)
def test_bad_files_are_refused_with_line_numbers(
    tmp_path: Path, home: Path, text: str, message: str
) -> None:
    with pytest.raises(DataError, match=message):
        add_csv(_csv(tmp_path, text))
    assert extension_files(home) == []
    assert not home.exists() or list(home.iterdir()) == []


def test_all_problems_are_listed_at_once(tmp_path: Path, home: Path) -> None:
    text = "name,lon,lat\nA,east,34\nB,38,34\n,38,34\nC,38,99\n"
    with pytest.raises(DataError) as info:
        add_csv(_csv(tmp_path, text))
    msg = str(info.value)
    assert "3 problem(s), nothing stored" in msg
    for where in ("line 2 ('A')", "line 4: empty 'name'", "line 5 ('C')"):
        assert where in msg


def test_latin1_file_is_refused(tmp_path: Path, home: Path) -> None:
    path = _csv(tmp_path, "name,lon,lat\nQaryat é,38,34\n", encoding="latin-1")
    with pytest.raises(DataError, match=r"not UTF-8 text \(line 2"):
        add_csv(path)


def test_wrong_names_are_input_errors(tmp_path: Path, home: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        add_csv(tmp_path / "missing.csv")
    with pytest.raises(InputError, match=r"ends in \.csv"):
        add_csv(_csv(tmp_path, GOOD, name="mine.txt"))
    with pytest.raises(InputError, match=r"does not start with '\.'"):
        add_csv(_csv(tmp_path, GOOD, name=".hidden.csv"))


def test_outside_study_area_is_flagged_not_refused(tmp_path: Path, home: Path) -> None:
    text = "name,lon,lat\nIn,38.6,34.6\nParis,2.35,48.85\nSouth Pole,0,-90\n"
    stored = add_csv(_csv(tmp_path, text))
    assert stored.places == 3
    assert stored.outside_study_area == (3, 4)


def test_replace_needs_to_be_asked_for(tmp_path: Path, home: Path) -> None:
    first = add_csv(_csv(tmp_path, GOOD))
    assert first.places == 2
    other = tmp_path / "other"
    other.mkdir()
    newer = _csv(other, "name,lon,lat\nOnly One,38,34\n")
    with pytest.raises(InputError, match=r"already exists.*--replace"):
        add_csv(newer)
    assert (home / "mine.csv").read_text(encoding="utf-8") == GOOD
    assert add_csv(newer, replace=True).places == 1
    assert (home / "mine.csv").read_text(encoding="utf-8") == "name,lon,lat\nOnly One,38,34\n"
    assert sorted(p.name for p in home.iterdir()) == ["mine.csv"]


def test_remove(tmp_path: Path, home: Path) -> None:
    add_csv(_csv(tmp_path, GOOD))
    with pytest.raises(InputError, match=r"there are: mine\.csv"):
        remove_extension("nope.csv")
    assert remove_extension("mine.csv") == home / "mine.csv"
    assert extension_files(home) == []


def test_hidden_leftovers_are_not_extensions(home: Path) -> None:
    home.mkdir(parents=True)
    (home / ".mine.csv.abc123.csv").write_text("half a fi")
    (home / ".fetch-1-xyz").mkdir()
    assert extension_files(home) == []


def test_cli_add_list_remove(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _csv(tmp_path, GOOD + "Far Away,2.35,48.85,\n")
    assert main(["gazetteer", "add", str(src), "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out) == {
        "path": str(home / "mine.csv"),
        "places": 3,
        "outside_study_area": [4],
    }
    assert "outside the study area (lines 4)" in out.err
    assert main(["gazetteer", "add", str(src)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "--replace" in err[0]
    assert main(["-q", "gazetteer", "add", str(src), "--replace"]) == 0
    capsys.readouterr()
    # a file broken behind desertgeo's back is listed with the reason, not a traceback
    (home / "broken.csv").write_text("title\nx\n")
    assert main(["gazetteer", "list", "--json"]) == 0
    files = json.loads(capsys.readouterr().out)["files"]
    assert [f["places"] for f in files] == [None, 3]
    assert "needs the columns" in files[0]["error"]
    assert main(["gazetteer", "remove", "broken.csv"]) == 0
    assert "removed" in capsys.readouterr().out
    assert extension_files(home) == [home / "mine.csv"]


def test_cli_add_bad_file_is_one_line(
    tmp_path: Path, home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _csv(tmp_path, "name,lon,lat\nA,east,34\n")
    assert main(["gazetteer", "add", str(src)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "line 2 ('A')" in err[0]
    assert main(["gazetteer", "add", str(tmp_path / "missing.csv")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"desertgeo: error: places CSV {tmp_path / 'missing.csv'}: no such file; "
                   "check the path"]  # fmt: skip
