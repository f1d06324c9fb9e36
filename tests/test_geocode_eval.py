"""Issue 14 evaluation: real location descriptions and desert names (see
``tests/data/geocode_eval/README.md`` and ``scripts/eval_geocode.py``).

The goals of the issue are >= 90 % of descriptions within 10 km and no confident wrong
answer. ``WITHIN_FLOOR`` records what main reached when the set was last extended (the
geocoder work raises it); ``WRONG_CEILING`` is the number of confident wrong answers main
still gives: it may only go down; the xfail test below shows XPASS when main reaches 0
(then set both ceilings to 0, which turns the marker off). Not strict, so that a merge
that reaches the goal does not fail the suite before this file is updated.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "geocode_eval"

# measured on main (PYTHONPATH=src python scripts/eval_geocode.py), see the README
WITHIN_FLOOR = 0.909  # measured 0.939 on ff20427 (2026-12-04)
WRONG_CEILING = 0
# rows on which geocode() raises on main (reported by the script as status "error")
ERROR_CEILING = 0
# the issue asks for >= 300 descriptions
MIN_DESCRIPTIONS = 300


@pytest.fixture(scope="module")
def ev(eval_geocode):
    return eval_geocode


@pytest.fixture(scope="module")
def tables(ev):
    return ev.load_tables(DATA)


@pytest.fixture(scope="module")
def scored(ev, tables):
    desc, names = tables
    return ev.score_descriptions(desc), ev.score_desert_names(names)


def test_tables_are_complete(tables):
    desc, names = tables
    assert desc["id"].is_unique
    assert names["id"].is_unique
    assert len(desc) >= MIN_DESCRIPTIONS, len(desc)
    assert len(names) >= 40, len(names)
    for col in ("description", "kind", "truth_source", "source", "country"):
        assert (desc[col].str.strip() != "").all(), col
    assert desc[["truth_lon", "truth_lat"]].notna().all().all()
    # truth inside the study area (Syria and its borderlands)
    assert desc["truth_lon"].between(34.5, 43.5).all()
    assert desc["truth_lat"].between(31.5, 37.8).all()
    for col in ("name", "kind", "truth_source", "source"):
        assert (names[col].str.strip() != "").all(), col
    with_truth = names["truth_lon"].notna()
    assert (names.loc[with_truth, "truth_radius_km"] > 0).all()


@pytest.mark.slow
def test_results_aligned_and_complete(tables, scored):
    desc, names = tables
    sd, sn = scored
    assert sd.index.equals(desc.index)
    assert sn.index.equals(names.index)
    assert sd["status"].isin(["ok", "ambiguous", "unresolved", "out_of_context", "error"]).all()
    # every row with a point has its error measured
    has_point = sd["lon"].notna()
    assert sd.loc[has_point, "error_km"].notna().all()


@pytest.mark.slow
def test_within_10km_share_not_below_floor(ev, scored):
    sd, _ = scored
    share = float(ev.summarise(sd).loc["ALL", "within_10km"])
    assert share >= WITHIN_FLOOR, f"within 10 km {share:.3f} fell below the floor {WITHIN_FLOOR}"


@pytest.mark.slow
def test_confident_wrong_not_above_ceiling(scored):
    sd, sn = scored
    wrong = pd.concat(
        [sd.loc[sd["confident_wrong"], "description"], sn.loc[sn["confident_wrong"], "name"]]
    )
    assert len(wrong) <= WRONG_CEILING, list(wrong)


@pytest.mark.slow
def test_geocode_errors_not_above_ceiling(scored):
    sd, sn = scored
    errors = pd.concat([sd.loc[sd["error"], "description"], sn.loc[sn["error"], "name"]])
    assert len(errors) <= ERROR_CEILING, list(errors)


@pytest.mark.xfail(
    WRONG_CEILING + ERROR_CEILING > 0,
    reason="issue 14 goal, not reached on main yet (XPASS once it is: set the ceilings to 0)",
    strict=False,
)
def test_no_confident_wrong_answer(scored):
    sd, sn = scored
    wrong = pd.concat(
        [sd.loc[sd["confident_wrong"], "description"], sn.loc[sn["confident_wrong"], "name"]]
    )
    errors = pd.concat([sd.loc[sd["error"], "description"], sn.loc[sn["error"], "name"]])
    assert wrong.empty, list(wrong)
    assert errors.empty, list(errors)


def test_scoring_rules(ev):
    # a point 30 km off with status ok is a confident wrong answer; 5 km off is within
    lon0, lat0 = 38.28402, 34.5624
    d = ev.distance_km(
        np.array([lon0, lon0]),
        np.array([lat0, lat0]),
        np.array([lon0, lon0]),
        np.array([lat0 + 0.27, lat0 + 0.045]),
    )
    assert d[0] == pytest.approx(30.0, abs=0.5)
    assert d[1] == pytest.approx(5.0, abs=0.1)
    assert math.isnan(
        ev.distance_km(np.array([np.nan]), np.array([1.0]), np.array([1.0]), np.array([1.0]))[0]
    )
