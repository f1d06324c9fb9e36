"""Benchmark: :func:`desertgeo.geocode` of location descriptions, end to end.

The descriptions are unique and written in the forms coders and reporters use ("Province:
village", "village of X in the eastern countryside of Y", "X, Y district", "near X",
"X neighbourhood", "20 km east of X", Arabic "قرية X بريف Y"), built from the default
gazetteer's own Syrian villages and their governorates and districts, so every one names
a real place with a consistent context (issue 14 asks for >= 10,000 descriptions/s).

Figures: descriptions per second for one call of ``geocode()`` on ``n`` unique
descriptions (the default gazetteer already loaded), and the share answered ``ok``.

Usage::

    PYTHONPATH=src python benchmarks/bench_describe.py [--quick] [--scale X] [--n N]
"""

from __future__ import annotations

import random
import sys
import time
from typing import Any

from _common import bench_args, result
from rapidfuzz import fuzz, process

from desertgeo._geodesy import GEOD
from desertgeo.gazetteer import Gazetteer
from desertgeo.geocoder import geocode

GOAL_PER_S = 10_000.0

_FORMS = (
    "{v}, {g}",
    "{g}: {v}",
    "the village of {v} in the {d} countryside of {g}",
    "{v} village, {a2} district",
    "{v} in the {d} {g} countryside",
    "near {v}, {g}",
    "the town of {v}, {g} province",
    "{v} neighbourhood, {g}",
    "{k} km {c} of {v}",
    "{v}, {c} of {t}",
)
_AR_FORMS = ("قرية {v} بريف {g}", "بلدة {v} في ريف {g} {ad}", "{v} {cd} {t}")
_DIRS = ("northern", "eastern", "southern", "western")
_AR_DIRS = ("الشرقي", "الغربي", "الشمالي", "الجنوبي")
_COMPASS = ("north", "east", "south", "west")
_AR_COMPASS = ("شرق", "غرب", "شمال", "جنوب")
_AR_COMPASS_OF = {"north": "شمال", "east": "شرق", "south": "جنوب", "west": "غرب"}


def descriptions(n: int, seed: int = 14) -> list[str]:
    """``n`` unique descriptions of real Syrian villages (see the module docstring)."""
    gaz = Gazetteer.default()
    # the index table has every spelling of an entry (Arabic ones for the Arabic forms)
    table = gaz._table if "names" in getattr(gaz, "_table", {}) else gaz.table
    rows = table[
        (table["country"] == "SY")
        & (table["feature_type"] == "populated place")
        & (table["admin1"].astype(str).str.len() > 0)
    ]
    big = rows[rows["population"].astype(float) >= 20_000]
    towns = list(zip(big["name"], big["lon"].astype(float), big["lat"].astype(float), strict=True))
    rng = random.Random(seed)
    records = rows.to_dict("records")
    out: dict[str, None] = {}
    while len(out) < n:
        r = rng.choice(records)
        names = r.get("names")
        names = list(names) if isinstance(names, (list, tuple)) else []
        arabic = [x for x in names if any("\u0600" <= ch <= "\u06ff" for ch in x)]
        values: dict[str, Any] = {
            "v": r["name"],
            "g": r["admin1"],
            "a2": r.get("admin2") or r["admin1"],
            "d": rng.choice(_DIRS),
            "c": rng.choice(_COMPASS),
            "k": rng.randint(3, 60),
            "t": "",
        }
        # "X, east of T": T a town within 60 km, the compass point from T to X
        near = [t for t in towns if abs(t[1] - r["lon"]) < 0.6 and abs(t[2] - r["lat"]) < 0.5]
        if near:
            name, lon, lat = rng.choice(near)
            az = GEOD.inv(lon, lat, r["lon"], r["lat"])[0] % 360
            values.update(
                t=name,
                c=_COMPASS[int((az + 45) // 90) % 4],
                cd=_AR_COMPASS_OF[_COMPASS[int((az + 45) // 90) % 4]],
            )
        forms = _FORMS if values["t"] else _FORMS[:-1]
        if arabic and rng.random() < 0.2:
            form = rng.choice(_AR_FORMS if values["t"] else _AR_FORMS[:-1])
            values.update(v=arabic[0], ad=rng.choice(_AR_DIRS))
            values.setdefault("cd", "")
        else:
            form = rng.choice(forms)
        out[form.format(**values)] = None
    return list(out)


def _baseline(texts: list[str], names: list[str]) -> float:
    """Seconds for the naive approach: rapidfuzz ``extractOne`` of each whole description
    against every gazetteer name (no context, no rules)."""
    t = time.perf_counter()
    for text in texts:
        process.extractOne(text, names, scorer=fuzz.WRatio)
    return time.perf_counter() - t


def main() -> int:
    args = bench_args("geocode() of location descriptions", default_n=5_000, quick_n=200)
    gaz = Gazetteer.default()
    texts = descriptions(args.n)
    geocode(texts[:50], gazetteer=gaz)  # build the lazy indexes
    t = time.perf_counter()
    res = geocode(texts, gazetteer=gaz)
    wall = time.perf_counter() - t
    sample = texts[: min(len(texts), 20)]
    base = _baseline(sample, sorted(set(gaz.names()))) / len(sample) * len(texts)
    counts = res["status"].value_counts().to_dict()
    result(
        f"geocode descriptions {len(texts)}",
        round(len(texts) / wall, 1),
        "items/s",
        n=len(texts),
        baseline="rapidfuzz extractOne(WRatio) of the whole description over all names",
        baseline_value=round(len(texts) / base, 1),
        better="higher",
        goal=f">= {GOAL_PER_S:g} descriptions/s (issue 14)",
        note=f"unique descriptions, {wall:.1f} s; statuses {counts}",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
