"""Hatchling build hook: fetch the pinned JS/CSS registry packages used by offline maps.

Runs ``scripts/fetch_assets.py`` (npm packages pinned by version and sha512 in
``src/desertgeo/_jsassets.py``) before a wheel, editable wheel or sdist is built, and adds
``src/desertgeo/_assets/`` (gitignored: never committed) to the build as artifacts, so
installed packages can write self-contained HTML maps. Nothing is downloaded when the
files are already there and match their recorded checksums.

Set ``DESERTGEO_SKIP_ASSETS=1`` to build without them (``save_map(..., offline=True)``
then raises an error that names the command to fetch them).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class OfflineAssetsHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if os.environ.get("DESERTGEO_SKIP_ASSETS"):
            self.app.display_warning("DESERTGEO_SKIP_ASSETS set: building without map assets")
            return
        script = Path(self.root) / "scripts" / "fetch_assets.py"
        spec = importlib.util.spec_from_file_location("_desertgeo_fetch_assets", script)
        if spec is None or spec.loader is None:
            raise RuntimeError(f"cannot load {script}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        try:
            module.fetch(quiet=True)
        except (OSError, SystemExit, Exception) as exc:
            raise RuntimeError(
                f"could not fetch the pinned map assets ({exc}); run "
                "`python scripts/fetch_assets.py` with access to the npm registry, or set "
                "DESERTGEO_SKIP_ASSETS=1 to build without offline map support"
            ) from exc
        build_data.setdefault("artifacts", []).append("src/desertgeo/_assets/**")
