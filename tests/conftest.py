"""Fixtures shared by the test modules: one Chromium launcher for every browser test."""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

#: Debian's chromium (CI installs it with apt); playwright drives it, never its own build
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: no sandbox (root in containers), no GPU, and nothing that phones home on start
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium for the module's tests (skipped without it; CI=true fails).

    The skip reasons name chromium / playwright, which the root ``conftest.py`` turns
    into failures when ``CI`` is set.
    """
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium); CI installs it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        yield b
        b.close()


@pytest.fixture(scope="session")
def eval_geocode() -> Any:
    """``scripts/eval_geocode.py`` as a module (the scorer of the geocoder's evaluation sets)."""
    path = Path(__file__).resolve().parents[1] / "scripts" / "eval_geocode.py"
    spec = importlib.util.spec_from_file_location("eval_geocode", path)
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
