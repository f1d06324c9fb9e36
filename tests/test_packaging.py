"""The wheel carries the package *and* its data: build it, install it in a fresh venv, load."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
import textwrap
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow
_NOIDX = ("--no-index",)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    wheels = list(out.glob("desertgeo-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_wheel_contains_data_and_typing_marker(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "desertgeo/py.typed" in names
    data_files = {n for n in names if n.startswith("desertgeo/data/")}
    shipped = {
        f"desertgeo/{p.relative_to(ROOT).as_posix()}"
        for p in (ROOT / "data").rglob("*")
        if p.is_file()
    }
    assert shipped, "the repository ships no data files"
    assert shipped <= data_files, sorted(shipped - data_files)


def test_installed_wheel_loads_every_dataset(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # install the wheel into the fresh venv with the test environment's pip (no deps)...
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(py),
            "install",
            "-q",
            "--no-deps",
            *_NOIDX,
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    # ...and let it see the test environment's third-party packages (geopandas etc.),
    # but not the editable desertgeo: a path from a .pth line does not run that dir's .pth files
    (site / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    script = textwrap.dedent(
        """
        import json, desertgeo
        from desertgeo import datasets
        out = {"file": desertgeo.__file__, "version": desertgeo.__version__, "rows": {}}
        for name in datasets.available():
            frame = datasets.load(name)
            assert frame.crs is not None and frame.crs.to_epsg() == 4326, name
            out["rows"][name] = len(frame)
        print(json.dumps(out))
        """
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    res = subprocess.run(
        [str(py), "-c", script], cwd=outside, check=True, capture_output=True, text=True
    )
    info = json.loads(res.stdout)
    assert Path(info["file"]).is_relative_to(site), info["file"]
    assert info["version"] != "0+unknown"
    expected = {"countries", "borders", "tripoint", "governorates", "places", "sites", "roads"}
    assert expected <= set(info["rows"]), info["rows"]
    assert all(n > 0 for n in info["rows"].values()), info["rows"]
    # the console script was installed too
    cli = subprocess.run(
        [str(env_dir / "bin" / "desertgeo"), "--version"], capture_output=True, text=True
    )
    assert cli.returncode == 0, cli.stderr
    assert cli.stdout.strip() == f"desertgeo {info['version']}"
