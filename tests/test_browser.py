"""Saved maps in a real browser (Debian chromium + playwright), with the network cut off.

Every request that is not ``file:`` or ``data:`` is aborted and counted (must be 0); the
page must load without console errors; what is drawn is checked on screenshot pixels.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from desertgeo.maps import make_map, save_map

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
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


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium); CI installs it")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Page:
    """A page opened on a saved map, recording blocked requests, errors and dialogs."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1000, "height": 760})
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.resolve().as_uri(), wait_until="load")
        self.page.wait_for_function("window.desertgeo !== undefined")
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


def test_injected_markup_in_data_never_runs(browser: Any, tmp_path: Path) -> None:
    ev = events(1)
    ev["notes"] = EVIL_NOTE
    ev["place"] = EVIL_PLACE
    ev["event_type"] = EVIL_PLACE
    zones = gpd.GeoDataFrame(
        {"controller": [EVIL_NOTE], "source": [EVIL_PLACE], "notes": [EVIL_NOTE]},
        geometry=[box(37.0, 33.5, 40.5, 36.0)],  # under the event: the event's popup must win
        crs=4326,
    )
    m = make_map(ev, zones=zones, sites=False)
    page = Page(browser, save_map(m, tmp_path / "evil.html"))
    try:
        # click the event's circle on screen, as a user would
        xy = page.page.evaluate(
            "() => { const ev = desertgeo.instances[0]; const p = ev.points.containerPoint(0);"
            " const r = ev.map.getContainer().getBoundingClientRect();"
            " return [r.left + p[0], r.top + p[1]]; }"
        )
        page.page.mouse.click(xy[0], xy[1])
        page.settle()
        popup = page.page.locator(".leaflet-popup-content")
        assert popup.count() == 1
        text = popup.inner_text()
        assert EVIL_NOTE in text
        assert ev["date"].iloc[0].strftime("%Y-%m-%d") in text
        assert f"fatalities\t{int(ev['fatalities'].iloc[0])}" in text
        assert EVIL_PLACE in text
        assert page.page.locator(".leaflet-popup-content img").count() == 0
        # open every other popup on the map (the zone's)
        opened = page.page.evaluate(
            "() => { let k = 0; desertgeo.instances[0].map.eachLayer(l => {"
            " const p = l.getPopup && l.getPopup(); if (p && String(p.getContent())"
            ".indexOf('Control zone') >= 0) { l.openPopup(); k++; } }); return k; }"
        )
        assert opened == 1
        page.settle()
        texts = " ".join(page.page.locator(".leaflet-popup-content").all_inner_texts())
        assert f"Control zone: {EVIL_NOTE}" in texts
        assert EVIL_PLACE in texts
        assert (
            page.page.locator(".leaflet-popup-content img, .leaflet-popup-content script").count()
            == 0
        )
        # the legend shows the hostile category and controller as text, too
        assert page.page.locator(".dg-legend img, .dg-legend script").count() == 0
        assert EVIL_PLACE in page.page.locator(".dg-legend").inner_text()
        page.page.wait_for_timeout(200)
        assert page.dialogs == []
        assert page.blocked == []  # <img src=x> would have requested a file: URL at most
        assert page.errors == []
    finally:
        page.page.close()
