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
