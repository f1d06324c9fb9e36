"""Make a rendered folium page self-contained: inline JS/CSS from pinned registry packages.

folium pages load Leaflet and friends from CDNs, so they are blank without internet.
:func:`inline_assets` replaces every ``<script src>`` / ``<link rel=stylesheet>`` with the
file's contents, taken from the npm packages pinned in :mod:`desertgeo._jsassets` and
fetched at build/install time (never committed). CSS ``url()`` references become
``data:`` URIs. Bootstrap, Font Awesome, jQuery and AwesomeMarkers, which folium adds
to every page but desertgeo maps do not use, are dropped (jQuery is kept, from its npm
package, only when the page's own scripts call it, as ``folium.Popup`` does).
"""

from __future__ import annotations

import base64
import mimetypes
import posixpath
import re
from pathlib import Path

from desertgeo._errors import InputError
from desertgeo._jsassets import ASSETS_DIR, AssetPackage, asset_file, resolve_url

__all__ = ["find_remote_references", "inline_assets"]

_SCRIPT = re.compile(r'<script\s+src="([^"]+)"\s*>\s*</script>')
_LINK = re.compile(r'<link\s+rel="stylesheet"\s+href="([^"]+)"\s*/?>')
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
# folium defaults that desertgeo maps never use (jQuery only when the page needs it)
_DROP = (
    "bootstrap",
    "fontawesome",
    "awesome-markers",
    "leaflet.awesome.rotate",
)
# references that make a browser fetch something when the page opens
_REMOTE = re.compile(
    r"<(?:script|link|img|iframe|source|embed|object)\b[^>]*?\b(?:src|href|data)\s*=\s*"
    r"[\"']?(?:https?:)?//|@import\s|url\(\s*[\"']?(?:https?:)?//",
    re.IGNORECASE,
)

# Leaflet finds its default marker icon through a CSS url(); once that is a data: URI the
# detected path is garbage, so point the default icon at data URIs explicitly.
_ICON_PATCH = """
L.Icon.Default.imagePath = "";
L.Icon.Default.mergeOptions({iconUrl: "%s", iconRetinaUrl: "%s", shadowUrl: "%s"});
"""


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _css_with_data_uris(pkg: AssetPackage, rel: str, directory: Path) -> str:
    css = asset_file(pkg, rel, directory).read_text(encoding="utf-8")

    def repl(m: re.Match[str]) -> str:
        ref = m.group(1).strip()
        if ref.startswith(("data:", "#")):
            return m.group(0)
        if "//" in ref:
            raise InputError(f"{pkg.name}@{pkg.version}/{rel} references {ref}: not inlinable")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), ref))
        return f'url("{_data_uri(asset_file(pkg, target, directory))}")'

    return _CSS_URL.sub(repl, css)


def _safe_in(tag: str, text: str) -> str:
    """Keep an inlined file from closing its own <script>/<style> element early."""
    return re.sub(rf"</({tag})", r"<\\/\1", text, flags=re.IGNORECASE)


def inline_assets(html: str, directory: Path = ASSETS_DIR) -> str:
    """Return ``html`` with every external script and stylesheet inlined.

    Raises
    ------
    MissingDependencyError
        When the pinned assets have not been fetched (the message gives the command).
    InputError
        When the page needs a file that has no pinned offline copy.

    Examples
    --------
    >>> page = '<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>'
    >>> inline_assets(page)
    ''
    """
    if "L.AwesomeMarkers" in html:
        raise InputError(
            "the map uses AwesomeMarkers icons, which have no pinned offline copy; "
            "use circle markers or save with offline=False"
        )
    unresolved: list[str] = []
    inline_code = "".join(re.findall(r"<script>(.*?)</script>", html, flags=re.DOTALL))
    uses_jquery = re.search(r"(?<![\w.$])(?:\$|jQuery)\s*\(", inline_code) is not None

    def script(m: re.Match[str]) -> str:
        url = m.group(1)
        if any(key in url.lower() for key in _DROP):
            return ""
        if "jquery" in url.lower() and not uses_jquery:
            return ""
        hit = resolve_url(url)
        if hit is None:
            unresolved.append(url)
            return m.group(0)
        pkg, rel = hit
        js = asset_file(pkg, rel, directory).read_text(encoding="utf-8")
        banner = f"/* {pkg.name}@{pkg.version} {rel} ({pkg.license}) */"
        out = f"<script>{banner}\n{_safe_in('script', js)}\n"
        if pkg.name == "leaflet" and rel == "dist/leaflet.js":
            icons = [
                _data_uri(asset_file(pkg, f"dist/images/{n}", directory))
                for n in ("marker-icon.png", "marker-icon-2x.png", "marker-shadow.png")
            ]
            out += _ICON_PATCH % tuple(icons)
        return out + "</script>"

    def link(m: re.Match[str]) -> str:
        url = m.group(1)
        if any(key in url.lower() for key in _DROP):
            return ""
        hit = resolve_url(url)
        if hit is None:
            unresolved.append(url)
            return m.group(0)
        pkg, rel = hit
        css = _css_with_data_uris(pkg, rel, directory)
        banner = f"/* {pkg.name}@{pkg.version} {rel} ({pkg.license}) */"
        return f"<style>{banner}\n{_safe_in('style', css)}\n</style>"

    out = _LINK.sub(link, _SCRIPT.sub(script, html))
    if unresolved:
        raise InputError(
            "no pinned offline copy of: " + ", ".join(sorted(set(unresolved))) + "; "
            "remove the plugin that needs it or save with offline=False"
        )
    remote = find_remote_references(out)
    if remote:
        raise InputError(f"the page still references remote resources: {remote[:5]}")
    return out


def find_remote_references(html: str) -> list[str]:
    """Return snippets of ``html`` that would make a browser fetch something over the network.

    Examples
    --------
    >>> find_remote_references('<img src="https://example.org/x.png">')
    ['<img src="https://']
    >>> find_remote_references('<a href="https://leafletjs.com">Leaflet</a>')
    []
    """
    return [m.group(0) for m in _REMOTE.finditer(html)]
