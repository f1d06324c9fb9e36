"""Score the shipped zones against dated control facts from public reporting.

Reads ``tests/data/zone_control_facts.csv`` (place, lon, lat, date, controller key or one
of the :data:`ALIASES`, e.g. ``state_or_sna`` for the Wikipedia module's grey, source) and
reports, per fact (and per ``batch``: ``a`` the first 75 facts, ``b`` those collected
before the tables were corrected against them, ``c`` those collected afterwards and never
used to correct anything):

- ``in_sample``: the controller of the shipped zones at the fact's place and date;
- ``held_out``: the same after rebuilding that date's snapshot *without* the control points
  within 5 km of the fact (so a fact is never scored against its own input point).

Writes ``tests/data/zone_control_facts_scored.csv`` and prints the shares.
Run: ``PYTHONPATH=src .venv/bin/python scripts/eval_zones.py``
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_zones import load_tables

from desertgeo import datasets
from desertgeo._atomic import atomic_write_text
from desertgeo.zonebuild import build_zones
from desertgeo.zones import assign_zones, list_snapshots

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "tests" / "data" / "zone_control_facts.csv"


#: fact categories that accept several controller keys
ALIASES = {
    # the Wikipedia module's grey: state authorities or the Turkish-backed SNA
    "state_or_sna": {"transitional", "sna_turkey", "government"},
    # coalitions of HTS (Nusra) and other factions, e.g. the Army of Conquest of 2015
    "opposition": {"rebels", "hts"},
    "israel": {"israel_golan", "israel_buffer"},
}


def ok(expected: str, got: object) -> bool:
    if not isinstance(got, str):
        return False
    return got in ALIASES.get(expected, {expected})


def main() -> None:
    facts = pd.read_csv(FACTS, dtype=str, keep_default_na=False)
    ev = gpd.GeoDataFrame(
        {"date": pd.to_datetime(facts["date"])},
        geometry=gpd.points_from_xy(facts["lon"].astype(float), facts["lat"].astype(float)),
        crs=4326,
    )
    out = assign_zones(ev)
    facts["in_sample"] = out["controller_key"].astype(object).where(out["zone_status"] == "ok")
    points, periods, overrides, river = load_tables()
    golan = datasets.load("golan").geometry.union_all()
    held = []
    for rec in facts.to_dict("records"):
        lon, lat = float(rec["lon"]), float(rec["lat"])
        z = build_zones(
            points,
            periods,
            overrides,
            river=river,
            golan=golan,
            only=rec["date"],
            exclude=(lon, lat, 5.0),
            band=False,
        )
        hit = z[shapely.intersects_xy(z.geometry.array, lon, lat)]
        held.append(hit["controller_key"].iloc[0] if len(hit) else None)
    facts["held_out"] = held
    want = facts["controller"].tolist()
    facts["in_sample_ok"] = [ok(e, g) for e, g in zip(want, facts["in_sample"], strict=True)]
    facts["held_out_ok"] = [ok(e, g) for e, g in zip(want, facts["held_out"], strict=True)]
    atomic_write_text(
        ROOT / "tests" / "data" / "zone_control_facts_scored.csv", facts.to_csv(index=False)
    )
    print(f"{len(facts)} facts, {facts['date'].min()} .. {facts['date'].max()}")
    print(f"in-sample right: {facts['in_sample_ok'].mean():.1%}")
    print(f"held-out right:  {facts['held_out_ok'].mean():.1%}")
    if "batch" in facts.columns:
        per = facts.groupby("batch")[["in_sample_ok", "held_out_ok"]].agg(["mean", "size"])
        for batch, row in per.iterrows():
            print(
                f"  batch {batch}: {int(row[('in_sample_ok', 'size')])} facts, in-sample "
                f"{row[('in_sample_ok', 'mean')]:.1%}, held out {row[('held_out_ok', 'mean')]:.1%}"
            )
    t = list_snapshots()
    days = pd.date_range("2014-01-01", pd.Timestamp.today().normalize())
    snap = t[t["kind"] == "snapshot"]
    covered = sum(
        ((days >= a) & ((days < b) if pd.notna(b) else True)).sum()
        for a, b in zip(snap["valid_from"], snap["valid_to"], strict=False)
    )
    gaps = t[t["kind"] == "gap"]
    gapdays = sum(
        ((days >= a) & (days < b)).sum()
        for a, b in zip(gaps["valid_from"], gaps["valid_to"], strict=True)
    )
    print(
        f"days 2014-01-01..today: {len(days)}; with a snapshot {covered / len(days):.2%}; "
        f"snapshot or explicit gap {(covered + gapdays) / len(days):.2%}"
    )
    miss = facts[~facts["held_out_ok"] | ~facts["in_sample_ok"]]
    cols = ["place", "date", "controller", "in_sample", "held_out"]
    print(miss[cols + (["batch"] if "batch" in facts.columns else [])].to_string())


if __name__ == "__main__":
    main()
