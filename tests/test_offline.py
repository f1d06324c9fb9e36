"""Inlining of pinned registry JS/CSS (desertgeo._offline) and the asset fetch script."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import re
import shutil
import sys
from pathlib import Path
from types import ModuleType

import folium
import pytest
from folium import plugins

from desertgeo import InputError, MissingDependencyError
from desertgeo._jsassets import ASSETS_DIR, PACKAGES, assets_status, resolve_url
from desertgeo._offline import find_remote_references, inline_assets

ROOT = Path(__file__).resolve().parents[1]


def fetch_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "fetch_assets_t", ROOT / "scripts" / "fetch_assets.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def plain_map() -> folium.Map:
    m = folium.Map(tiles=None, prefer_canvas=True, control_scale=True)
    folium.CircleMarker([34.5, 38.3], radius=5).add_to(m)
    folium.LayerControl().add_to(m)
    return m


def test_assets_are_fetched_and_match_their_pins() -> None:
    assert assets_status() == [], "run: python scripts/fetch_assets.py"
    manifest = json.loads((ASSETS_DIR / "MANIFEST.json").read_text(encoding="utf-8"))
    for pkg in PACKAGES:
        entry = manifest["packages"][pkg.name]
        assert entry["version"] == pkg.version
        assert entry["integrity"] == pkg.integrity
        licence = [f for f in pkg.files if f.startswith("LICENSE")]
        assert licence
        assert (ASSETS_DIR / pkg.dirname / licence[0]).is_file()


def test_folium_pins_the_leaflet_we_ship() -> None:
    for _, url in folium.Map.default_js + folium.Map.default_css:
        if "leaflet@" in url:
            hit = resolve_url(url)
            assert hit is not None, url
            assert hit[0].name == "leaflet"


def test_inline_plain_folium_map() -> None:
    html = inline_assets(plain_map().get_root().render())
    assert "<script src=" not in html
    assert 'rel="stylesheet"' not in html
    assert find_remote_references(html) == []
    for dropped in ("jquery", "bootstrap", "fontawesome", "awesome-markers"):
        assert dropped not in html.lower()
    leaflet_js = (ASSETS_DIR / "leaflet-1.9.3" / "dist" / "leaflet.js").read_text(encoding="utf-8")
    assert leaflet_js[:2000] in html
    # CSS url() -> data: URIs (the layer-control icon)
    layers_png = (ASSETS_DIR / "leaflet-1.9.3" / "dist" / "images" / "layers.png").read_bytes()
    assert base64.b64encode(layers_png).decode() in html
    assert not re.search(r"url\(\s*['\"]?images/", html)
    # default marker icons point at data URIs, not at a path derived from the CSS
    assert 'L.Icon.Default.imagePath = ""' in html


def test_missing_assets_name_the_command(tmp_path: Path) -> None:
    with pytest.raises(MissingDependencyError, match=r"scripts/fetch_assets\.py"):
        inline_assets(plain_map().get_root().render(), directory=tmp_path)
    assert assets_status(tmp_path) == [f"no MANIFEST.json in {tmp_path}"]


def test_plugins_without_a_pinned_copy_are_refused() -> None:
    m = plain_map()
    plugins.Fullscreen().add_to(m)
    with pytest.raises(
        InputError,
        match=r"no pinned offline copy of: https://cdn\.jsdelivr\.net/npm/leaflet\.fullscreen",
    ):
        inline_assets(m.get_root().render())
    m2 = plain_map()
    folium.Marker([34.5, 38.3], icon=folium.Icon(color="red")).add_to(m2)
    with pytest.raises(InputError, match="AwesomeMarkers"):
        inline_assets(m2.get_root().render())


def test_folium_heatmap_url_is_served_from_the_npm_package() -> None:
    m = plain_map()
    plugins.HeatMap([[34.5, 38.3], [34.6, 38.4]]).add_to(m)
    html = inline_assets(m.get_root().render())
    heat = (ASSETS_DIR / "leaflet.heat-0.2.0" / "dist" / "leaflet-heat.js").read_text(
        encoding="utf-8"
    )
    assert heat[:500] in html


def test_inlined_code_cannot_close_its_script_early(tmp_path: Path) -> None:
    target = tmp_path / "assets"
    shutil.copytree(ASSETS_DIR, target)
    js = target / "leaflet-1.9.3" / "dist" / "leaflet.js"
    js.write_text(
        js.read_text(encoding="utf-8") + '\nvar s = "</script><b>x</b>";\n', encoding="utf-8"
    )
    html = inline_assets(plain_map().get_root().render(), directory=target)
    assert 'var s = "<\\/script><b>x</b>";' in html
    # and the tampered file no longer matches what was fetched
    assert any("changed since it was fetched" in p for p in assets_status(target))


def test_fetch_refuses_a_tarball_that_does_not_match_its_pin() -> None:
    mod = fetch_script()
    data = b"not the leaflet tarball"
    with pytest.raises(SystemExit, match="sha512 mismatch"):
        mod._verify(data, PACKAGES[0].integrity, "leaflet@1.9.3")
    good = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    mod._verify(data, good, "test")  # no error


def test_fetch_is_a_no_op_when_assets_are_intact(capsys: pytest.CaptureFixture[str]) -> None:
    mod = fetch_script()
    assert mod.fetch(ASSETS_DIR) == ASSETS_DIR
    assert "up to date" in capsys.readouterr().out
    assert mod.main(["--check"]) == 0
    sys.modules.pop("_desertgeo_jsassets", None)


def test_jquery_is_inlined_only_when_the_page_calls_it() -> None:
    plain = inline_assets(plain_map().get_root().render())
    assert "jQuery" not in plain
    m = plain_map()
    folium.CircleMarker([34.6, 38.2], popup=folium.Popup("Palmyra")).add_to(m)
    html = inline_assets(m.get_root().render())
    jq = (ASSETS_DIR / "jquery-3.7.1" / "dist" / "jquery.min.js").read_text(encoding="utf-8")
    assert jq[:300] in html
    assert find_remote_references(html) == []


@pytest.mark.slow
def test_wheel_carries_the_fetched_assets(tmp_path: Path) -> None:
    import subprocess
    import zipfile

    res = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    (wheel,) = tmp_path.glob("desertgeo-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "desertgeo/_assets/MANIFEST.json" in names
    for pkg in PACKAGES:
        for rel in pkg.files:
            assert f"desertgeo/_assets/{pkg.dirname}/{rel}" in names
