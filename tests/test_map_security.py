"""Text from data is data: never template source (maps), never mathtext (figures).

A payload whose side effect (creating a folder) would prove that Jinja ran it sits in every
text field a map or figure shows, including the title, column names used as legend keys,
zone fields, cluster and hotspot fields and gazetteer names; ``{{7*7}}`` must stay as typed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from desertgeo import _map_layers
from desertgeo.maps import make_map, save_map

TEXT_COLUMNS = ("event_id", "place", "actor", "actor2", "target", "event_type", "source", "notes")


def mkdir_payload(target: Path) -> str:
    return "{{ cycler.__init__.__globals__.os.mkdir('" + str(target) + "') }}"


def hostile_frames(text: str) -> dict[str, Any]:
    events = gpd.GeoDataFrame(
        {
            **{c: [text, text + " 2"] for c in TEXT_COLUMNS},
            "date": pd.to_datetime(["2024-03-01", "2024-03-05"]),
            "fatalities": pd.array([3, 1], dtype="Int64"),
            text: [text, text],  # a column whose NAME is hostile (colour key, popup label)
        },
        geometry=[Point(38.3, 34.6), Point(38.9, 34.9)],
        crs=4326,
    )
    zones = gpd.GeoDataFrame(
        {
            "zone_id": [text],
            "snapshot": [text],
            "controller": [text],
            "valid_from": [pd.Timestamp("2024-01-01")],
            "valid_to": [pd.NaT],
            "confidence": [text],
            "approximate": [True],
            "source": [text],
            "notes": [text],
        },
        geometry=[box(37.0, 33.5, 40.5, 36.0)],
        crs=4326,
    )
    clusters = gpd.GeoDataFrame(
        {
            "cluster": [text],
            "n_events": [2],
            "nearest_place": [text],
            "admin1": [text],
            "controller": [text],
        },
        geometry=[Point(38.5, 34.7).buffer(0.3)],
        crs=4326,
    )
    hotspots = gpd.GeoDataFrame(
        {"cell_id": [text], "n_events": [2], "gi_z": [3.0], "p_fdr": [0.01], "hotspot": ["hot"]},
        geometry=[box(38.0, 34.0, 38.2, 34.2)],
        crs=4326,
    )
    return {"events": events, "zones": zones, "clusters": clusters, "hotspots": hotspots}


@pytest.fixture
def hostile_gazetteer(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Shipped places and sites with hostile names (as a user's gazetteer file could hold)."""
    real = _map_layers._load
    state: dict[str, str] = {}

    def load(name: str) -> Any:
        frame = real(name)
        if name in ("places", "sites") and "text" in state:
            frame = frame.copy()
            frame.loc[frame.index[:5], "name"] = state["text"]
            if "source" in frame.columns:
                frame.loc[frame.index[:5], "source"] = state["text"]
        return frame

    monkeypatch.setattr(_map_layers, "_load", load)
    return state


def build(text: str, **kw: Any) -> Any:
    f = hostile_frames(text)
    return make_map(
        f["events"],
        zones=f["zones"],
        clusters=f["clusters"],
        hotspots=f["hotspots"],
        title=text,
        attribution=text,
        heatmap=True,
        **kw,
    )


@pytest.mark.parametrize("color_by", ["event_type", "payload-column"])
def test_template_payload_never_runs(
    tmp_path: Path, hostile_gazetteer: dict[str, str], color_by: str
) -> None:
    target = tmp_path / "pwned"
    text = mkdir_payload(target)
    hostile_gazetteer["text"] = text
    by = text if color_by == "payload-column" else color_by
    m = build(text, color_by=by, popup=True, tooltip=[text, "notes"])
    page = save_map(m, tmp_path / "map.html").read_text(encoding="utf-8")
    m._repr_html_()  # the notebook view renders the page once more
    assert not target.exists(), "Jinja executed a string from data"
    # the payload is on the page as typed (JSON-escaped only), many times over
    assert page.count(text.replace("'", "'")) >= 8
    assert m.desertgeo_layers["control zones"] == 1
    assert m.desertgeo_layers["cluster hulls"] == 1
    assert m.desertgeo_layers["hotspots (Gi*)"] == 1


@pytest.mark.parametrize(
    "text", ["{{7*7}}", "{# not closed", "{{cite web |title=x}}", "{% raw %}", "}}{{", "{%"]
)
def test_template_syntax_stays_literal(text: str, hostile_gazetteer: dict[str, str]) -> None:
    hostile_gazetteer["text"] = text
    html = build(text, popup=True).get_root().render()
    assert f'"title":"{text}' in html or f'"{text}"' in html
    if text == "{{7*7}}":
        assert not re.search(r'"(?:title|label|note)":"49', html)
        assert '"Control zone: {{7*7}}"' in html


def test_script_payloads_are_escaped_in_every_script_block() -> None:
    text = "</script><script>alert(1)</script>\u2028<!--"
    html = build(text, popup=True).get_root().render()
    assert "<script>alert(1)" not in html
    assert "\u2028" not in html
    assert "<!--" not in html.split("<body>", 1)[1]
    assert html.count("</script>") == html.count("<script")
