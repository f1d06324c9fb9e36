"""Held-out evaluation: real location descriptions the geocoder work has not seen (see
``tests/data/geocode_heldout/README.md``), scored with ``scripts/eval_geocode.py``.

Scored untuned when it was built (0.774 within 10 km, 1 confident wrong answer, on the
geocoder of main b418b11). Its misses were then read for families of failure (Arabic
contexts of several clauses, Arabic duals, "janubi"/"qibli", names with no Arabic row, a
list's trailing context): it is now a second development set, no longer held out, and
its figures no longer estimate how the geocoder does on new descriptions (see its
README). No row-specific alias or rule was added for it. ``WITHIN_FLOOR`` is the share
measured after that work minus 0.03 (noise margin); ``WRONG_CEILING`` may only go down.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
HELDOUT = ROOT / "tests" / "data" / "geocode_heldout" / "heldout.csv"
DEV = ROOT / "tests" / "data" / "geocode_eval" / "descriptions.csv"

# measured untuned on heldout @ 6882268 (geocoder of main b418b11): 0.774 within 10 km and
# 1 confident wrong ("Abu Khashaba and Tal al-Ward", 38 km off); after the issue-14 work
# of 2026-12-04: 0.903 and 0
WITHIN_FLOOR = 0.87
WRONG_CEILING = 0
ERROR_CEILING = 0
MIN_DESCRIPTIONS = 120


def _load_script():
    spec = importlib.util.spec_from_file_location(
        "eval_geocode", ROOT / "scripts" / "eval_geocode.py"
    )
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def ev():
    return _load_script()


@pytest.fixture(scope="module")
def desc(ev):
    return ev.load_tables(descriptions=HELDOUT)[0]


@pytest.fixture(scope="module")
def scored(ev, desc):
    return ev.score_descriptions(desc)


def test_table_is_complete_and_held_out(desc):
    assert desc["id"].is_unique
    assert desc["id"].str.fullmatch(r"h\d{3}").all()
    assert len(desc) >= MIN_DESCRIPTIONS, len(desc)
    for col in ("description", "kind", "truth_source", "source", "country"):
        assert (desc[col].str.strip() != "").all(), col
    assert desc[["truth_lon", "truth_lat"]].notna().all().all()
    assert desc["truth_lon"].between(34.5, 43.5).all()
    assert desc["truth_lat"].between(31.5, 37.8).all()
    assert desc["description"].str.contains("[\u0600-\u06ff]").sum() >= 15
    # no description of the dev set is repeated here
    dev = pd.read_csv(DEV, dtype=str, keep_default_na=False)
    shared = set(desc["description"].str.lower()) & set(dev["description"].str.lower())
    assert not shared, shared


@pytest.mark.slow
def test_within_10km_share_not_below_floor(ev, scored):
    share = float(ev.summarise(scored).loc["ALL", "within_10km"])
    assert share >= WITHIN_FLOOR, f"within 10 km {share:.3f} fell below the floor {WITHIN_FLOOR}"


@pytest.mark.slow
def test_confident_wrong_not_above_ceiling(scored):
    wrong = scored.loc[scored["confident_wrong"], "description"]
    assert len(wrong) <= WRONG_CEILING, list(wrong)


@pytest.mark.slow
def test_geocode_errors_not_above_ceiling(scored):
    errors = scored.loc[scored["error"], "description"]
    assert len(errors) <= ERROR_CEILING, list(errors)
