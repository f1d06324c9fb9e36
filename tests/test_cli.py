"""The command line as a user runs it: through a subprocess, and in-process via main()."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys

import pytest

import desertgeo
from desertgeo.cli import main

pytestmark = pytest.mark.cli


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desertgeo", *args], capture_output=True, text=True, timeout=300
    )


def test_version_matches_package_metadata() -> None:
    res = run("--version")
    assert res.returncode == 0
    assert res.stdout.strip() == f"desertgeo {desertgeo.__version__}"


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: desertgeo" in capsys.readouterr().err


def test_unknown_option_is_a_usage_error() -> None:
    res = run("--no-such-option")
    assert res.returncode == 2
    assert "unrecognized arguments" in res.stderr


def test_datasets_json_lists_provenance() -> None:
    res = run("datasets", "--json")
    assert res.returncode == 0, res.stderr
    rows = json.loads(res.stdout)
    by_name = {r["name"]: r for r in rows}
    assert {"countries", "places", "sites"} <= set(by_name)
    assert all(r["rows"] > 0 and r.get("licence") for r in rows)


def test_unknown_dataset_error_lists_valid_names() -> None:
    res = run("datasets", "no-such-thing")
    assert res.returncode == 2
    assert "no-such-thing" in res.stderr
    assert "countries" in res.stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("quiet", [False, True])
def test_progress_steps_on_a_terminal_and_silent_with_quiet(
    monkeypatch: pytest.MonkeyPatch, quiet: bool
) -> None:
    from desertgeo.cli._common import steps

    term = _Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    with steps(argparse.Namespace(quiet=quiet), "reading events", "writing") as step:
        step("reading events")
        step("writing")
    out = term.getvalue()
    if quiet:
        assert out == ""
    else:
        assert "reading events" in out
        assert "writing" in out
        assert "1/2" in out  # the bar advanced when the second step started


def test_progress_is_off_when_stderr_is_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    from desertgeo.cli._common import steps

    with steps(argparse.Namespace(quiet=False), "one") as step:
        step("one")
    assert capsys.readouterr().err == ""
