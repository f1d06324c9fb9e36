"""Held-out evaluation #3: real location descriptions built blind, after the three earlier
sets (dev ``tests/data/geocode_eval``, ``tests/data/geocode_heldout`` and
``tests/data/geocode_heldout2``) had all been used for tuning (see
``tests/data/geocode_heldout3/README.md``), scored with ``scripts/eval_geocode.py``.

It shares no description and no truth place (WOF id) with any earlier set. The builder
never ran the geocoder on these rows; the thresholds below come from the lead's single
scoring run (main 516a72b, 2026-12-04: 0.808 within 10 km, 0 confident wrong, 0 errors).
**Never tune the geocoder on these rows.**
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
HELDOUT3 = ROOT / "tests" / "data" / "geocode_heldout3" / "heldout3.csv"
EARLIER = (
    ROOT / "tests" / "data" / "geocode_eval" / "descriptions.csv",
    ROOT / "tests" / "data" / "geocode_heldout" / "heldout.csv",
    ROOT / "tests" / "data" / "geocode_heldout2" / "heldout2.csv",
)

# the single blind scoring run, main 516a72b: 0.808 within 10 km (floor = that - 0.03)
WITHIN_FLOOR = 0.778
WRONG_CEILING = 0
ERROR_CEILING = 0
MIN_DESCRIPTIONS = 100


def _load_script():
    spec = importlib.util.spec_from_file_location(
        "eval_geocode", ROOT / "scripts" / "eval_geocode.py"
    )
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _wof_ids(table: pd.DataFrame) -> set[str]:
    return {m for s in table["truth_source"] for m in re.findall(r"WOF (\d+)", s)}


@pytest.fixture(scope="module")
def ev():
    return _load_script()


@pytest.fixture(scope="module")
def desc(ev):
    return ev.load_tables(descriptions=HELDOUT3)[0]


@pytest.fixture(scope="module")
def scored(ev, desc):
    return ev.score_descriptions(desc)


def test_table_is_complete(desc):
    assert desc["id"].is_unique
    assert desc["id"].str.fullmatch(r"m\d{3}").all()
    assert len(desc) >= MIN_DESCRIPTIONS, len(desc)
    for col in ("description", "kind", "truth_source", "source", "country"):
        assert (desc[col].str.strip() != "").all(), col
    assert desc[["truth_lon", "truth_lat"]].notna().all().all()
    assert desc["truth_lon"].between(34.5, 43.5).all()
    assert desc["truth_lat"].between(31.5, 37.8).all()
    assert desc["description"].str.contains("[\u0600-\u06ff]").sum() >= 25


@pytest.mark.parametrize("path", EARLIER, ids=lambda p: p.parent.name)
def test_held_out_from_earlier_sets(desc, path):
    earlier = pd.read_csv(path, dtype=str, keep_default_na=False)
    shared = set(desc["description"].str.lower()) & set(earlier["description"].str.lower())
    assert not shared, shared
    ids = _wof_ids(desc)
    assert ids, "no WOF truth ids found"
    assert not ids & _wof_ids(earlier), ids & _wof_ids(earlier)


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
