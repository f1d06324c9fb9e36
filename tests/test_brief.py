"""desertgeo.brief: values, claims, safety, the CLI, and the pages in real Chromium offline."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
from shapely.geometry import Point

import desertgeo
from desertgeo import datasets
from desertgeo._brief_html import SECTIONS
from desertgeo.briefing import OUTSIDE, check_claim, zone_touches
from desertgeo.zones import assign_zones, load_zones, zone_shares

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
if not SEEDS.is_dir():
    SEEDS = Path("/work/shared/seeds")
TRUFFLE = SEEDS / "article_truffle_hunters_2023.txt"
UPTICK = SEEDS / "article_isis_desert_uptick_2024.txt"
# publication dates: the truffle article dates the Sukhna attack "Six days later, on
# Friday" after 11 February (Friday 17 Feb 2023) and speaks of "last week"; the 2024 article
# counts "over the past five months" of 2024 (the shipped seed_events use the same dates)
PUBLISHED = {TRUFFLE.name: "2023-02-20", UPTICK.name: "2024-05-20"}
CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
GEOD = pyproj.Geod(ellps="WGS84")


def need(ok: bool, what: str) -> None:
    if not ok:
        if CI:
            pytest.fail(f"CI=true but {what} is missing")
        pytest.skip(f"{what} is missing")


def seeds() -> None:
    need(TRUFFLE.is_file() and UPTICK.is_file(), f"seed article ({SEEDS})")


@pytest.fixture(scope="module")
def truffle() -> desertgeo.briefing.Report:
    seeds()
    return desertgeo.brief(TRUFFLE, published=PUBLISHED[TRUFFLE.name])


def test_truffle_article_two_events_zone_and_distances(truffle: Any) -> None:
    ev = truffle.events
    main = ev[ev["date"].isin(pd.to_datetime(["2023-02-11", "2023-02-17"]))]
    main = main[main["status"] == "ok"].sort_values("date")
    assert main["place"].tolist() == ["Palmyra", "Sukhna"]
    assert main["fatalities"].tolist() == [16, 68]
    assert main["controller"].tolist() == ["Syrian government"] * 2
    tri = datasets.load("tripoint").geometry.iloc[0]
    tanf = datasets.load("sites").set_index("site_id").loc["al-tanf-garrison"].geometry
    for _, row in main.iterrows():
        p = row.geometry
        # oracle: pyproj's geodesic inverse, independent of desertgeo.distance
        _, _, d_tri = GEOD.inv(p.x, p.y, tri.x, tri.y)
        _, _, d_tanf = GEOD.inv(p.x, p.y, tanf.x, tanf.y)
        assert row["dist_tripoint_km"] == pytest.approx(d_tri / 1000, abs=0.01)
        assert row["dist_tanf_km"] == pytest.approx(d_tanf / 1000, abs=0.01)
        # border: dense geodesic sampling of the shipped border lines bounds it from above
        lines = datasets.load("borders").geometry.segmentize(0.01)
        xy = np.vstack([np.asarray(g.coords) for ln in lines for g in getattr(ln, "geoms", [ln])])
        _, _, d = GEOD.inv(np.full(len(xy), p.x), np.full(len(xy), p.y), xy[:, 0], xy[:, 1])
        assert row["dist_border_km"] <= d.min() / 1000 + 1e-6
        assert row["dist_border_km"] == pytest.approx(d.min() / 1000, abs=0.6)
        # the page shows the same values
        assert f"{row['dist_tanf_km']:.1f}" in truffle.html
    assert "Syrian government" in truffle.shares.index


def test_share_range_brackets_the_point_share_and_claim_check() -> None:
    demo = datasets.load("demo_events")
    r = desertgeo.brief(demo, check_share="controller=government", claim=0.66)
    t = r.shares
    assert (t["low"] <= t["share"] + 1e-12).all()
    assert (t["share"] <= t["high"] + 1e-12).all()
    assert t["events"].sum() == r.facts["n_placed"]
    assert t.loc["Syrian government", "low"] < t.loc["Syrian government", "high"]
    c = r.claim
    assert c.controller == "Syrian government"
    assert c.inside == (c.low <= 0.66 <= c.high)
    far = check_claim(t, "SDF", 0.99)
    assert not far.inside
    assert "OUTSIDE" in far.sentence
    with pytest.raises(ValueError, match=r"several controllers|no controller"):
        check_claim(t, "zz-no-such", 0.5)


def test_zone_touches_agree_with_zone_shares() -> None:
    ev = datasets.load("demo_events").iloc[::10]
    zones = load_zones()
    a = assign_zones(ev, zones)
    touches = zone_touches(a, zones)
    long = zone_shares(a, zones)
    long = long[long["share"] > 1e-3]  # areas above sliver size: both methods must see them
    want = {k: set(g) for k, g in long.groupby("event")["controller"]}
    agree = sum(want[k] <= set(touches.loc[k]) for k in want)
    assert agree == len(want)
    assert OUTSIDE in set(long["controller"])  # discs reaching past the zones are seen


def test_whole_discs_touch_one_controller() -> None:
    ev = datasets.load("demo_events").iloc[::10]
    zones = load_zones()
    a = assign_zones(ev, zones)
    touches = zone_touches(a, zones)
    long = zone_shares(a, zones)
    # a disc that zone_shares gives wholly to one controller touches only that one
    whole = long[long["share"] > 0.9999]
    single = [len(touches.loc[k]) == 1 for k in whole["event"]]
    assert len(single) > 50
    assert np.mean(single) >= 0.99


def test_data_strings_are_escaped() -> None:
    evil = "<img src=x onerror=alert(1)></script>\u2028"
    ev = gpd.GeoDataFrame(
        {
            "event_id": ["e1"],
            "date": [pd.Timestamp("2024-03-01")],
            "place": [evil],
            "notes": [evil],
            "fatalities": [3],
            "uncertainty_m": [5000.0],
        },
        geometry=[Point(38.28, 34.56)],
        crs=4326,
    )
    r = desertgeo.brief(ev)
    assert "<img src=x" not in r.html
    assert "</script>\u2028" not in r.html
    assert "&lt;img src=x" in r.html or "\\u003cimg" in r.html


def test_cli_writes_brief_and_exit_code_follows_claim(tmp_path: Path) -> None:
    seeds()
    out = tmp_path / "b.html"
    cmd = [sys.executable, "-m", "desertgeo", "-q", "brief", str(TRUFFLE), "--published",
           PUBLISHED[TRUFFLE.name], "-o", str(out), "--check-share",
           "controller=government", "--claim", "0.75"]  # fmt: skip
    env = dict(os.environ, PYTHONPATH=str(Path(desertgeo.__file__).parents[1]))
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    cmd[-1] = "0.95"
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1, done.stderr


# --------------------------------------------------------------------------- browser


def open_page(browser: Any, path: Path) -> tuple[Any, list[str], list[str]]:
    blocked: list[str] = []
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1400, "height": 1000})

    def route(r: Any) -> None:
        if r.request.url.startswith(("file:", "data:", "about:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_function("document.body.dataset.ready === '1'")
    page.frame_locator("#dg-map").locator(".leaflet-container").wait_for(timeout=20000)
    return page, blocked, errors


def briefs(tmp: Path) -> dict[str, Path]:
    seeds()
    out = {}
    for art in (TRUFFLE, UPTICK):
        out[art.name] = desertgeo.brief(art, published=PUBLISHED[art.name]).save(
            tmp / f"{art.stem}.html"
        )
    demo = desertgeo.read_events(datasets.path("demo_events"))
    out["demo"] = desertgeo.brief(demo).save(tmp / "demo.html")
    return out


@pytest.mark.browser
@pytest.mark.slow
def test_briefs_open_offline_in_chromium(browser: Any, tmp_path: Path) -> None:
    for name, path in briefs(tmp_path).items():
        page, blocked, errors = open_page(browser, path)
        try:
            assert blocked == [], name
            assert errors == [], name
            for sid, _title in SECTIONS:
                assert page.locator(f"section#{sid} h2").count() == 1, (name, sid)
            rows = page.locator("#dg-events tbody tr").count()
            assert rows > 0, name
            assert page.frame_locator("#dg-map").locator("canvas").count() >= 1, name
            if name == TRUFFLE.name:
                text = page.locator("#dg-events").inner_text()
                assert "Palmyra" in text
                assert "Sukhna" in text
                assert "Syrian government" in text
            if name == "demo":
                info = page.locator("#dg-page-info").inner_text()
                assert "of 3000" in info
                page.click("#dg-next")
                assert "rows 51-100" in page.locator("#dg-page-info").inner_text()
                page.screenshot(path=str(tmp_path / "demo.png"))
        finally:
            page.close()
