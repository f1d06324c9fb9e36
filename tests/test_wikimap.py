"""Tests of desertgeo.wikimap: Wikipedia's detailed-map module -> control points -> zones.

The fixtures in tests/data are hand-written in the two layouts seen in public copies of the
module: the September 2026 revision style (icon files explained by the caption legend;
checked against a trimmed raw copy in GitHub vladimir-uhrin/oko,
src/data/fixtures/wiki-syria-20260924-head.lua) and the older ``m.<key>`` style as mangled
by the markdown mirror MASangys/wikipedia.zh (Page/模块:Syrian_Civil_War_detailed_map.md).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely import Point

from desertgeo import InputError
from desertgeo.wikimap import parse_legend, parse_marks, read_module, zones_from_module
from desertgeo.zones import assign_zones, load_zones

DATA = Path(__file__).parent / "data"


def test_new_style_revision_with_its_legend() -> None:
    text = (DATA / "wiki_module_2026.lua").read_text(encoding="utf-8")
    legend = parse_legend(text)
    assert legend["Dot_yellow_ff4.svg"] == "sdf"
    assert legend["Map-dot-grey-68a.svg"] == "transitional"
    assert legend["Location dot lime.svg"] == "druze"
    marks = parse_marks(text)
    assert "commented out" not in set(marks["label"])  # Lua comments skipped
    assert marks["marksize"].max() < 100  # the road overlay is not a marker
    pts = read_module(DATA / "wiki_module_2026.lua", "2026-09-24")
    got = dict(zip(pts["place"], pts["controller"], strict=True))
    assert got["Deir ez-Zor"] == "transitional"
    assert got["Qamishli"] == "sdf"
    assert got["Khmeimim Air Base"] == "russia"
    assert "Palmyra" not in got  # a contested icon is no control point


def test_old_style_markdown_mirror() -> None:
    pts = read_module(DATA / "wiki_module_2016.md", "2016-06-01")
    got = dict(zip(pts["place"], pts["controller"], strict=True))
    assert got == {
        "Aleppo (west)": "government",
        "Raqqa": "is",
        "Idlib": "rebels",
        "Qamishli": "sdf",
        "Palmyra": "government",
        "Khirbat Ma‘rata": "hts",
    }


def test_revisions_become_snapshots_through_the_builder() -> None:
    zones = zones_from_module(
        {
            "2016-06-01": DATA / "wiki_module_2016.md",
            "2026-09-24": DATA / "wiki_module_2026.lua",
        }
    )
    z = load_zones(zones, extent=None)
    snaps = sorted(z["snapshot"].unique())
    # one snapshot per revision, split where a label changes (e.g. HTS dissolved 2025-01-29)
    assert snaps[0] == "2016-06-01"
    assert snaps[-1] == "2026-09-24"
    assert "2025-01-29" in snaps
    ev = gpd.GeoDataFrame(
        {"date": pd.to_datetime(["2016-07-01", "2026-10-01", "2026-10-01"])},
        geometry=[Point(39.01, 35.95), Point(39.01, 35.95), Point(41.23, 37.05)],
        crs=4326,
    )
    out = assign_zones(ev, z)
    assert out["controller"].tolist() == [
        "Islamic State",
        "Transitional state authorities",
        "SDF",
    ]
    with pytest.raises(InputError, match="no such module file"):
        read_module(DATA / "missing.lua", "2020-01-01")
