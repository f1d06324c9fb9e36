"""Saved maps in a real browser (Debian chromium + playwright), with the network cut off.

Every request that is not ``file:`` or ``data:`` is aborted and counted (must be 0); the
page must load without console errors; what is drawn is checked on screenshot pixels.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from desertgeo.maps import make_map, save_map

pytestmark = pytest.mark.browser

EVIL_NOTE = "<img src=x onerror=alert(1)>"
EVIL_PLACE = "<script>alert(1)</script>"


def events(n: int, seed: int = 0) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    dates = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 120, n), unit="D")
    frame = pd.DataFrame(
        {
            "event_id": [f"e{i}" for i in range(n)],
            "date": dates,
            "place": "Sukhna",
            "uncertainty_m": 0.0,
            "fatalities": pd.array(rng.integers(0, 20, n), dtype="Int64"),
            "event_type": rng.choice(["attack", "IED", "ambush"], n),
            "source": "synthetic",
            "notes": "",
        }
    )
    pts = gpd.points_from_xy(rng.uniform(37.5, 40.0, n), rng.uniform(34.0, 35.5, n))
    return gpd.GeoDataFrame(frame, geometry=pts, crs=4326)


class Page:
    """A page opened on a saved map, recording blocked requests, errors and dialogs."""

    def __init__(self, browser: Any, path: Path, size: tuple[int, int] = (1000, 760)) -> None:
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": size[0], "height": size[1]})
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.resolve().as_uri(), wait_until="load")
        self.page.wait_for_function(
            "window.desertgeo !== undefined && desertgeo.instances.every(e => e.ready)"
        )
        self.settle()

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def settle(self) -> None:
        self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))")

    def pixels(self) -> np.ndarray:
        from PIL import Image

        png = self.page.screenshot()
        return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def saturated(img: np.ndarray) -> int:
    """Pixels with a strong colour (the basemap, sea and controls are near-grey)."""
    return int(((img.max(axis=2) - img.min(axis=2)) > 90).sum())


def near(img: np.ndarray, rgb: tuple[int, int, int], tol: int = 12) -> int:
    return int((np.abs(img - np.array(rgb)).max(axis=2) <= tol).sum())


def test_offline_page_draws_events_and_zones(browser: Any, tmp_path: Path) -> None:
    zones = gpd.GeoDataFrame(
        {
            "controller": ["SDF"],
            "valid_from": [pd.Timestamp("2024-01-01")],
            "valid_to": [pd.NaT],
            "approximate": [False],
            "source": ["test"],
        },
        geometry=[box(40.3, 35.6, 41.5, 36.6)],
        crs=4326,
    )
    m = make_map(events(300), zones=zones, heatmap=False)
    page = Page(browser, save_map(m, tmp_path / "map.html"))
    try:
        assert page.blocked == []
        assert page.errors == []
        img = page.pixels()
        # event circles: their fill colours (opacity 0.85) are on screen
        assert saturated(img) > 2000
        # the SDF zone (#e6b800, fill opacity 0.25 over Syria's #f6f1e4), not only in the DOM
        fill = 0.25 * np.array([0xE6, 0xB8, 0x00]) + 0.75 * np.array([0xF6, 0xF1, 0xE4])
        assert near(img, tuple(round(v) for v in fill), tol=6) > 2000
        # the shipped basemap: Syria's land colour covers much of the view
        assert near(img, (0xF6, 0xF1, 0xE4), tol=3) > 50_000
        assert page.page.locator(".dg-legend").inner_text().count("SDF") == 1
    finally:
        page.page.close()


def test_time_slider_changes_what_is_shown(browser: Any, tmp_path: Path) -> None:
    ev = events(400, seed=1)
    page = Page(browser, save_map(make_map(ev, heatmap=True), tmp_path / "map.html"))
    try:
        slider = page.page.locator(".dg-slider")
        assert slider.get_attribute("data-shown") == "400"
        before = saturated(page.pixels())
        page.page.eval_on_selector(
            ".dg-slider input",
            "el => { el.value = 0; el.dispatchEvent(new Event('input')); }",
        )
        page.settle()
        first_day = int((ev["date"] == ev["date"].min()).sum())
        assert slider.get_attribute("data-shown") == str(first_day)
        assert str(first_day) + " of 400 events" in slider.inner_text()
        after = saturated(page.pixels())
        assert after < before / 2
        assert page.errors == []
        assert page.blocked == []
    finally:
        page.page.close()


def test_heatmap_is_visible_above_the_opaque_basemap(browser: Any, tmp_path: Path) -> None:
    page = Page(browser, save_map(make_map(events(400), heatmap=True), tmp_path / "map.html"))
    try:
        # hide the circles (and uncertainty), keep only the heatmap
        page.page.evaluate(
            "() => { const ev = desertgeo.instances[0];"
            " ev.map.removeLayer(ev.points); ev.map.removeLayer(ev.uncertainty); }"
        )
        page.settle()
        assert saturated(page.pixels()) > 2000
        assert page.errors == []
    finally:
        page.page.close()


def test_map_fits_and_draws_when_its_frame_is_laid_out_late(browser: Any, tmp_path: Path) -> None:
    # a notebook cell or a hidden tab: the map is built while its frame has no size; once
    # the frame is laid out the heat layer draws and the view holds the events
    saved = save_map(make_map(events(400), heatmap=True), tmp_path / "map.html")
    host = tmp_path / "host.html"
    host.write_text(
        '<!doctype html><html><body><iframe id="f" src="map.html" width="900" height="600"'
        ' style="display:none"></iframe></body></html>',
        encoding="utf-8",
    )
    assert saved.parent == host.parent
    page = browser.new_page(viewport={"width": 1000, "height": 760})
    try:
        page.goto(host.resolve().as_uri(), wait_until="load")
        frame = page.frame_locator("#f")
        handle = page.locator("#f").element_handle()
        assert handle is not None
        inner = handle.content_frame()
        assert inner is not None
        inner.wait_for_function("window.desertgeo && desertgeo.instances.every(e => e.ready)")
        inner.wait_for_timeout(300)
        assert inner.evaluate("desertgeo.instances[0].heat._canvas.width") == 0
        page.evaluate("() => { document.getElementById('f').style.display = 'block'; }")
        inner.wait_for_function("desertgeo.instances[0].heat._canvas.width > 0", timeout=5000)
        inner.wait_for_timeout(500)
        # the view is fitted to the events again once the frame has a size
        shown = inner.evaluate(
            "() => { const ev = desertgeo.instances[0], b = ev.map.getBounds();"
            " const pts = ev.visible();"
            " return pts.filter(p => b.contains(p)).length / pts.length; }"
        )
        assert shown > 0.95, shown
        inner.evaluate(
            "() => { const ev = desertgeo.instances[0];"
            " ev.map.removeLayer(ev.points); ev.map.removeLayer(ev.uncertainty); }"
        )
        inner.wait_for_timeout(300)
        from PIL import Image

        img = Image.open(io.BytesIO(frame.locator("body").screenshot())).convert("RGB")
        assert saturated(np.asarray(img).astype(int)) > 2000
    finally:
        page.close()


PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "</script><b>bold</b>",
    "{{ 7*7 }} {# open {% raw %}",
    "line\u2028sep\u2029end",
)
TEXT_COLUMNS = ("event_id", "place", "actor", "target", "event_type", "source", "notes")


def test_hostile_text_in_every_field_is_shown_as_typed(browser: Any, tmp_path: Path) -> None:
    ev = events(len(PAYLOADS), seed=4)
    for c in TEXT_COLUMNS:
        ev[c] = [f"{c}: {p}" for p in PAYLOADS]
    # one event per payload, apart from each other (clickable)
    ev = ev.set_geometry(
        gpd.points_from_xy([37.6 + 0.5 * i for i in range(len(PAYLOADS))], [34.3] * len(PAYLOADS)),
        crs=4326,
    )
    title = " ".join(PAYLOADS)
    zones = gpd.GeoDataFrame(
        {
            "controller": [f"ctrl {p}" for p in PAYLOADS],
            "source": list(PAYLOADS),
            "notes": list(PAYLOADS),
            "valid_from": [pd.Timestamp("2023-01-01")] * len(PAYLOADS),
        },
        geometry=[box(36.0 + i, 35.6, 36.9 + i, 36.4) for i in range(len(PAYLOADS))],
        crs=4326,
    )
    m = make_map(ev, zones=zones, title=title, attribution=PAYLOADS[1], heatmap=True)
    page = Page(browser, save_map(m, tmp_path / "evil.html"), size=(1500, 900))
    try:
        pg = page.page
        # click each event's circle on screen, as a user would, and read its popup
        for i, p in enumerate(PAYLOADS):
            pg.evaluate("() => { desertgeo.maps[0].closePopup(); }")
            pg.wait_for_timeout(250)  # the old popup fades out
            xy = pg.evaluate(
                "(i) => { const ev = desertgeo.instances[0]; const p = ev.points.containerPoint(i);"
                " const r = ev.map.getContainer().getBoundingClientRect();"
                " return [r.left + p[0], r.top + p[1]]; }",
                i,
            )
            pg.mouse.click(xy[0], xy[1])
            page.settle()
            assert pg.locator(".leaflet-popup-content").count() >= 1, f"no popup for event {i}"
            text = pg.locator(".leaflet-popup-content").last.inner_text()
            for c in ("place", "actor", "notes", "source", "target", "event_id"):
                assert f"{c}: {p}" in text, (c, p, text)
        # open every other popup on the map (zones, sites, Tanf)
        opened = pg.evaluate(
            "() => { const out = []; desertgeo.maps[0].eachLayer(l => {"
            " if (l.getPopup && l.getPopup()) { desertgeo.maps[0].closePopup(); l.openPopup();"
            " const c = document.querySelectorAll('.leaflet-popup-content');"
            " out.push(c[c.length - 1].innerText); } }); return out; }"
        )
        assert sum(t.startswith("Control zone: ctrl") for t in opened) == len(PAYLOADS)
        assert len(opened) > 30  # zones, sites, al-Tanf
        # toggle every layer off and on through the layer control
        boxes = pg.locator(".leaflet-control-layers-overlays input")
        assert boxes.count() >= 8
        pg.locator(".leaflet-control-layers").hover()
        for k in range(boxes.count()):
            boxes.nth(k).click()
            boxes.nth(k).click()
        page.settle()
        # every zone popup, opened one by one, shows its controller and note as typed
        for i, p in enumerate(PAYLOADS):
            text = pg.evaluate(
                "(i) => { const layers = [];"
                " desertgeo.maps[0]._dg.zones.eachLayer(g => g.eachLayer(l => layers.push(l)));"
                " desertgeo.maps[0].closePopup(); layers[i].openPopup();"
                " const c = document.querySelectorAll('.leaflet-popup-content');"
                " return c[c.length - 1].innerText; }",
                i,
            )
            assert f"Control zone: ctrl {p}" in text
            assert p in text.split("notes", 1)[1]
        legend = pg.locator(".dg-legend").inner_text()
        assert title.split("\u2028")[0] in legend
        for p in PAYLOADS:
            assert f"ctrl {p}".split("\u2028")[0] in legend
        assert PAYLOADS[1] in pg.locator(".leaflet-control-attribution").inner_text()
        assert (
            pg.locator(
                ".leaflet-container img[src='x'], .dg-legend script, b:not(.dg-pop-title)"
            ).count()
            == 0
        )
        pg.wait_for_timeout(200)
        assert page.dialogs == []
        assert page.blocked == []
        assert page.errors == []
    finally:
        page.page.close()
