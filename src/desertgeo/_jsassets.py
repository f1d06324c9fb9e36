"""Pinned JavaScript/CSS assets for offline maps: which registry packages, where they live.

Third-party JS/CSS is never committed to the repository. ``scripts/fetch_assets.py``
downloads the pinned npm packages below (``npm pack NAME@VERSION``), checks each
tarball against its pinned ``sha512`` integrity and extracts the listed files into
``src/desertgeo/_assets/`` (gitignored). The wheel build hook (``hatch_build.py``)
runs the same script, so installed wheels carry the files.

This module is standard-library only: the build hook imports it by path.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "ASSETS_DIR",
    "FETCH_COMMAND",
    "PACKAGES",
    "AssetPackage",
    "asset_file",
    "assets_status",
    "resolve_url",
]

ASSETS_DIR = Path(__file__).resolve().parent / "_assets"
MANIFEST = "MANIFEST.json"
FETCH_COMMAND = "python scripts/fetch_assets.py  (or: make assets)"


@dataclass(frozen=True)
class AssetPackage:
    """One pinned npm package and the files taken from it."""

    name: str
    version: str
    integrity: str  # npm dist.integrity of the tarball (sha512, base64)
    license: str
    files: tuple[str, ...]  # paths inside the package (relative to ``package/``)

    @property
    def dirname(self) -> str:
        """Folder name under ``_assets/``."""
        return f"{self.name}-{self.version}"

    @property
    def tarball_url(self) -> str:
        """The registry's tarball URL (used only when the ``npm`` client is absent)."""
        return f"https://registry.npmjs.org/{self.name}/-/{self.name}-{self.version}.tgz"


# The versions folium 0.20 pins (leaflet 1.9.3).
# Integrity values from `npm view NAME@VERSION dist.integrity`.
PACKAGES: tuple[AssetPackage, ...] = (
    AssetPackage(
        name="leaflet",
        version="1.9.3",
        integrity="sha512-iB2cR9vAkDOu5l3HAay2obcUHZ7xwUBBjph8+PGtmW/2lYhbLizWtG7nTeYht36WfOslixQF9D/uSIzhZgGMfQ==",
        license="BSD-2-Clause",
        files=(
            "LICENSE",
            "dist/leaflet.js",
            "dist/leaflet.css",
            "dist/images/layers.png",
            "dist/images/layers-2x.png",
            "dist/images/marker-icon.png",
            "dist/images/marker-icon-2x.png",
            "dist/images/marker-shadow.png",
        ),
    ),
    AssetPackage(
        name="leaflet.heat",
        version="0.2.0",
        integrity="sha512-Cd5PbAA/rX3X3XKxfDoUGi9qp78FyhWYurFg3nsfhntcM/MCNK08pRkf4iEenO1KNqwVPKCmkyktjW3UD+h9bQ==",
        license="MIT",
        files=("LICENSE", "dist/leaflet-heat.js"),
    ),
    # only inlined for pages that use it (folium.Popup builds its HTML with jQuery)
    AssetPackage(
        name="jquery",
        version="3.7.1",
        integrity="sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
        license="MIT",
        files=("LICENSE.txt", "dist/jquery.min.js"),
    ),
)

_BY_NAME = {p.name: p for p in PACKAGES}
_JSDELIVR_NPM = re.compile(r"^https?://cdn\.jsdelivr\.net/npm/+(@?[^@/]+)@([^/]+)/(.+)$")
# CDN addresses folium uses for the same files under another name
_ALIASES = {
    "https://cdn.jsdelivr.net/gh/python-visualization/folium@main/folium/templates/"
    "leaflet_heat.min.js": ("leaflet.heat", "dist/leaflet-heat.js"),
    "https://code.jquery.com/jquery-3.7.1.min.js": ("jquery", "dist/jquery.min.js"),
    "https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js": (
        "jquery",
        "dist/jquery.min.js",
    ),
}


def resolve_url(url: str) -> tuple[AssetPackage, str] | None:
    """Return the pinned package and file that serve ``url``, or None if none does.

    Examples
    --------
    >>> pkg, path = resolve_url("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")
    >>> (pkg.name, pkg.version, path)
    ('leaflet', '1.9.3', 'dist/leaflet.js')
    >>> resolve_url("https://code.jquery.com/jquery-3.7.1.min.js")[0].name
    'jquery'
    >>> resolve_url("https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css")
    """
    if url in _ALIASES:
        name, path = _ALIASES[url]
        return _BY_NAME[name], path
    m = _JSDELIVR_NPM.match(url)
    if m is None:
        return None
    pkg = _BY_NAME.get(m.group(1))
    if pkg is None or pkg.version != m.group(2) or m.group(3) not in pkg.files:
        return None
    return pkg, m.group(3)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assets_status(directory: Path = ASSETS_DIR) -> list[str]:
    """Return a list of problems with the fetched assets (empty when all are present and intact)."""
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        return [f"no {MANIFEST} in {directory}"]
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        return [f"unreadable {manifest_path}: {exc}"]
    problems = []
    for pkg in PACKAGES:
        entry = manifest.get("packages", {}).get(pkg.name)
        if entry is None or entry.get("version") != pkg.version:
            problems.append(f"{pkg.name}@{pkg.version} not fetched")
            continue
        if entry.get("integrity") != pkg.integrity:
            problems.append(f"{pkg.name}@{pkg.version}: integrity differs from the pin")
            continue
        for rel in pkg.files:
            path = directory / pkg.dirname / rel
            if not path.is_file():
                problems.append(f"missing {path}")
            elif entry.get("sha256", {}).get(rel) != _sha256(path):
                problems.append(f"{path} changed since it was fetched")
    return problems


def asset_file(pkg: AssetPackage, rel: str, directory: Path = ASSETS_DIR) -> Path:
    """Path of one fetched file; raise ``MissingDependencyError`` with the fix when absent."""
    path = directory / pkg.dirname / rel
    if not path.is_file():
        from desertgeo._errors import MissingDependencyError

        raise MissingDependencyError(
            f"offline map assets are missing ({pkg.name}@{pkg.version}/{rel} not found in "
            f"{directory}); fetch the pinned registry packages with: {FETCH_COMMAND}, "
            "or save with offline=False (the page then loads Leaflet from a CDN)"
        )
    return path
