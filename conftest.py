"""Test-wide set-up (applies to tests/ and to the doctests under src/)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

# Keep every test and doctest away from the developer's own gazetteer extensions
# (desertgeo._userdata.extensions_dir): set before any gazetteer is built.
_HOME = tempfile.mkdtemp(prefix="desertgeo-test-home-")
os.environ["DESERTGEO_HOME"] = _HOME
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)


# In CI (CI=true) a test that skips because its environment is missing — the browser, the
# seed articles, an extra that CI installs — has not run where it claims to: fail it.
_CI_MUST_RUN = ("chromium", "playwright", "seed article", "seed", "extra not installed")


def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    """Turn environment skips into failures when ``CI`` is set (see ``_CI_MUST_RUN``)."""
    import pytest

    if os.environ.get("CI", "").lower() not in {"1", "true", "yes"}:
        return None
    excinfo = call.excinfo
    if excinfo is None or not excinfo.errisinstance(pytest.skip.Exception):
        return None
    reason = str(excinfo.value).lower()
    if not any(word in reason for word in _CI_MUST_RUN):
        return None
    report = pytest.TestReport.from_item_and_call(item, call)
    report.outcome = "failed"
    report.longrepr = f"CI=true but this test skipped for a missing environment: {excinfo.value}"
    return report
