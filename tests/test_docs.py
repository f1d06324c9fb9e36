"""The documentation: every ```python block in docs/ runs, and `mkdocs build --strict` passes.

The blocks of one page run in order, in one fresh interpreter (they share a namespace like
a reader's session), in a temporary working directory. A block right after an
``<!-- no-run -->`` line is skipped (used only for code that needs the network or a
cluster, and said so in the text).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FENCE = re.compile(r"(<!-- no-run -->\s*\n)?```python[^\n]*\n(.*?)\n```", re.DOTALL)


def python_blocks(page: Path) -> list[str]:
    """The runnable ```python blocks of a Markdown page, in order."""
    text = page.read_text(encoding="utf-8")
    return [m.group(2) for m in FENCE.finditer(text) if not m.group(1)]


PAGES = sorted(p for p in DOCS.rglob("*.md") if python_blocks(p))


def test_pages_with_code_are_found() -> None:
    names = {p.relative_to(DOCS).as_posix() for p in PAGES}
    assert "data.md" in names
    assert len(PAGES) >= 1


def test_block_extraction_honours_no_run() -> None:
    page = "intro\n```python\nx = 1\n```\n<!-- no-run -->\n```python\nnetwork()\n```\n"
    tmp = [m.group(2) for m in FENCE.finditer(page) if not m.group(1)]
    assert tmp == ["x = 1"]


# Runs every page's blocks in ONE interpreter (imports and the gazetteer are built once),
# each page in a fresh namespace and its own working directory, warnings as errors.
RUNNER = """
import json, os, sys, traceback, warnings
pages = json.loads(sys.argv[1])
out = {}
for name, code, workdir in pages:
    os.makedirs(workdir, exist_ok=True)
    os.chdir(workdir)
    namespace = {"__name__": "__main__"}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            exec(compile(code, name, "exec"), namespace)
        out[name] = ""
    except BaseException:
        out[name] = traceback.format_exc()[-3000:]
print("DOCS-RESULT " + json.dumps(out))
"""


@pytest.fixture(scope="module")
def page_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    base = tmp_path_factory.mktemp("docs")
    pages = [
        [
            p.relative_to(DOCS).as_posix(),
            "\n\n".join(python_blocks(p)),
            str(base / p.relative_to(DOCS).as_posix().replace("/", "_")),
        ]
        for p in PAGES
    ]
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, json.dumps(pages)],
        cwd=base,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "MPLBACKEND": "Agg"},
        check=False,
    )
    line = next((x for x in proc.stdout.splitlines() if x.startswith("DOCS-RESULT ")), None)
    assert line is not None, proc.stderr[-3000:]
    return dict(json.loads(line[len("DOCS-RESULT ") :]))


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(DOCS).as_posix() for p in PAGES])
def test_code_blocks_run(page: Path, page_results: dict[str, str]) -> None:
    error = page_results[page.relative_to(DOCS).as_posix()]
    assert error == "", f"{page.name}:\n{error}"


@pytest.mark.slow
def test_mkdocs_build_strict(tmp_path: Path) -> None:
    if (
        importlib.util.find_spec("mkdocs") is None
        or importlib.util.find_spec("mkdocstrings") is None
    ):
        pytest.skip("docs extra not installed: pip install -e '.[docs]'")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    html = (tmp_path / "site" / "cli.html").read_text(encoding="utf-8")
    assert "desertgeo datasets" in html  # the generated CLI reference is there


BASH_FENCE = re.compile(r"```bash[^\n]*\n(.*?)\n```", re.DOTALL)


def cli_lines() -> list[tuple[str, str]]:
    """Every ``desertgeo ...`` command line in the docs' ```bash blocks (page, line)."""
    found = []
    for page in sorted(DOCS.rglob("*.md")):
        for block in BASH_FENCE.findall(page.read_text(encoding="utf-8")):
            for raw in block.splitlines():
                line = raw.split(" #", 1)[0].split("||", 1)[0].strip()
                if line.startswith("desertgeo "):
                    found.append((page.relative_to(DOCS).as_posix(), line))
    return found


def test_docs_show_cli_commands() -> None:
    pages = {page for page, _ in cli_lines()}
    assert {"cli.md", "guide/events.md", "guide/clusters.md"} <= pages


@pytest.mark.parametrize(("page", "line"), cli_lines(), ids=[f"{p}:{c}" for p, c in cli_lines()])
def test_cli_lines_in_docs_parse(page: str, line: str) -> None:
    """Each documented command uses a real sub-command and real options (parse only)."""
    import shlex

    from desertgeo.cli import build_parser

    argv = shlex.split(line)[1:]
    if argv in (["--help"], ["--version"]) or argv[-1:] == ["--help"]:
        return
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse exits on unknown commands or options
        raise AssertionError(f"{page}: `{line}` does not parse (exit {exc.code})") from exc
    assert getattr(args, "func", None) is not None, f"{page}: `{line}` names no command"


def test_readme_quickstart_runs(tmp_path: Path) -> None:
    blocks = python_blocks(ROOT / "README.md")
    assert blocks, "README.md has no python block"
    proc = subprocess.run(
        [sys.executable, "-W", "error", "-c", "\n".join(blocks)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "outside the desert town of Sukhna" in proc.stdout
    html = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert "<script src=" not in html  # offline: everything inlined
