"""Build data/events/: the seed articles' events and a SYNTHETIC demo sample.

* ``seed_events.geojson``: the events :func:`desertgeo.events_from_text`
  extracts from the two seed articles (real reporting; ``source`` names the
  article). Needs the article texts (``--seeds``, default ``../shared/seeds``
  next to the repository); skipped with a message if they are not there.
* ``demo_events.parquet``: a clearly SYNTHETIC sample of ACLED-like events for
  January 2023 - June 2024, scattered around real Badia places resolved with
  the shipped gazetteer. Seeded, so every run writes the same rows. Its
  ``source`` is "SYNTHETIC demo data (desertgeo)" on every row. It is NOT a
  record of real events: use it to try the library, never for analysis.

Usage::

    .venv/bin/python scripts/build_demo_events.py [--n 3000] [--seed 20230211]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Geod

from desertgeo.events import validate_events, write_events
from desertgeo.geocoder import geocode
from desertgeo.text import events_from_text

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "events"
SYNTHETIC = "SYNTHETIC demo data (desertgeo)"

#: seed article -> (publication date, source label)
ARTICLES = {
    "article_truffle_hunters_2023.txt": (
        "2023-02-20",
        "news article 'IS attacks on truffle hunters in Syria are the deadliest in a year' "
        "(published 2023-02-20)",
    ),
    "article_isis_desert_uptick_2024.txt": (
        "2024-05-20",
        "Al Mayadeen English 'ISIS terrorist attacks in Syrian Desert see uptick: Report' "
        "(publication date assumed 2024-05-20)",
    ),
}

#: anchor place (as written for the geocoder) -> (relative weight, mean scatter km)
ANCHORS: dict[str, tuple[float, float]] = {
    "Palmyra": (14, 18),
    "Sukhna": (12, 15),
    "al-Tanf": (4, 25),
    "Deir ez-Zor": (10, 25),
    "30 km southwest of Deir ez-Zor": (8, 20),
    "Maadan": (6, 20),
    "Tabqa farms": (7, 15),
    "Jabal Bishri": (6, 20),
    "Uqayribat": (8, 15),
    "Furqlus": (5, 15),
    "T4": (4, 12),
    "Al Qaryatayn": (4, 15),
    "Albu Kamal": (5, 15),
    "Mayadin": (7, 15),
}

# (event_type, sub_event_type, actor1, actor2, civilian, target, mean fatalities, weight)
KINDS = [
    (
        "Battles",
        "Armed clash",
        "Islamic State (Syria)",
        "Military Forces of Syria (2000-2024)",
        False,
        "soldiers",
        2.5,
        30,
    ),
    (
        "Battles",
        "Armed clash",
        "Islamic State (Syria)",
        "NDF: National Defence Forces",
        False,
        "pro-government fighters",
        2.0,
        10,
    ),
    (
        "Battles",
        "Armed clash",
        "Islamic State (Syria)",
        "Liwa al-Quds",
        False,
        "pro-government fighters",
        2.0,
        6,
    ),
    (
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
        "Islamic State (Syria)",
        "Military Forces of Syria (2000-2024)",
        False,
        "military vehicle",
        1.5,
        14,
    ),
    (
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
        "Unidentified Armed Group (Syria)",
        "Civilians (Syria)",
        True,
        "truffle hunters",
        1.2,
        10,
    ),
    (
        "Explosions/Remote violence",
        "Air/drone strike",
        "Military Forces of Russia (2000-)",
        "Islamic State (Syria)",
        False,
        "IS cell",
        3.0,
        10,
    ),
    (
        "Violence against civilians",
        "Attack",
        "Islamic State (Syria)",
        "Civilians (Syria)",
        True,
        "shepherds",
        1.5,
        10,
    ),
    (
        "Violence against civilians",
        "Attack",
        "Islamic State (Syria)",
        "Civilians (Syria)",
        True,
        "truffle hunters",
        3.0,
        8,
    ),
    (
        "Violence against civilians",
        "Abduction/forced disappearance",
        "Islamic State (Syria)",
        "Civilians (Syria)",
        True,
        "truffle hunters",
        0.3,
        4,
    ),
]


def build_seed_events(seeds: Path) -> gpd.GeoDataFrame | None:
    frames = []
    for name, (published, source) in ARTICLES.items():
        path = seeds / name
        if not path.is_file():
            print(f"skip seed events: {path} not found (pass --seeds)")
            return None
        ev = events_from_text(path.read_text(encoding="utf-8"), published=published, source=source)
        ev["event_id"] = [f"{Path(name).stem}-{i + 1}" for i in range(len(ev))]
        frames.append(ev)
    seed = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(seed, geometry="geometry", crs=4326)


def build_demo(n: int, seed: int) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    names = list(ANCHORS)
    anchors = geocode(names, country="SY")
    bad = anchors[(anchors["status"] != "ok") | (anchors["country"] != "SY")]
    if len(bad):
        raise SystemExit(f"anchor places not resolved inside Syria: {bad['query'].tolist()}")
    weights = np.array([ANCHORS[q][0] for q in names], dtype=float)
    which = rng.choice(len(names), size=n, p=weights / weights.sum())
    # dates: Jan 2023 - Jun 2024, truffle season (Feb-Apr) 2.5x as busy
    days = pd.date_range("2023-01-01", "2024-06-30", freq="D")
    day_w = np.where(days.month.isin([2, 3, 4]), 2.5, 1.0)
    date = days[rng.choice(len(days), size=n, p=day_w / day_w.sum())]
    kind_w = np.array([k[-1] for k in KINDS], dtype=float)
    kinds = rng.choice(len(KINDS), size=n, p=kind_w / kind_w.sum())
    # truffle-hunter targets only in the season: move others to shepherds
    season = date.month.isin([2, 3, 4])
    geod = Geod(ellps="WGS84")
    lon0 = np.array([anchors.geometry.iloc[i].x for i in which])
    lat0 = np.array([anchors.geometry.iloc[i].y for i in which])
    scatter_km = np.array([ANCHORS[names[i]][1] for i in which])
    dist_m = rng.gamma(2.0, scatter_km / 2.0) * 1000.0
    az = rng.uniform(0.0, 360.0, size=n)
    lon, lat, _back = geod.fwd(lon0, lat0, az, dist_m)
    geo_precision = np.where(dist_m < 5_000, 1, np.where(dist_m < 30_000, 2, 3))
    rows = []
    for i in range(n):
        etype, sub, a1, a2, civ, target, mean_f, _w = KINDS[kinds[i]]
        if target == "truffle hunters" and not season[i]:
            target = "shepherds"
        fatal = int(rng.negative_binomial(1, 1.0 / (1.0 + mean_f)))
        if sub == "Abduction/forced disappearance":
            fatal = 0
        place = str(anchors["matched_name"].iloc[which[i]])
        rows.append(
            {
                "event_id": f"DEMO{i + 1:05d}",
                "date": date[i],
                "date_end": date[i],
                "date_precision": 1 if rng.random() < 0.9 else 2,
                "place": place,
                "country": "SY",
                "admin1": anchors["admin1"].iloc[which[i]],
                "geo_precision": int(geo_precision[i]),
                "fatalities": fatal,
                "actor": a1,
                "actor2": a2,
                "target": target,
                "civilian_target": civ,
                "event_type": etype,
                "source": SYNTHETIC,
                "notes": f"SYNTHETIC: {sub.lower()} near {place} (not a real event)",
                "sub_event_type": sub,
                "lon": round(float(lon[i]), 5),
                "lat": round(float(lat[i]), 5),
            }
        )
    frame = pd.DataFrame(rows).sort_values(["date", "event_id"], ignore_index=True)
    demo = validate_events(frame)
    assert (demo["status"] == "ok").all(), demo.loc[demo["status"] != "ok", "reason"].tolist()
    return demo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=3000, help="demo events (default 3000)")
    parser.add_argument("--seed", type=int, default=20230211, help="RNG seed")
    parser.add_argument(
        "--seeds",
        type=Path,
        default=ROOT.parent / "shared" / "seeds",
        help="folder with the two seed articles",
    )
    parser.add_argument("--out", type=Path, default=OUT, help="output folder")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    seed_events = build_seed_events(args.seeds)
    if seed_events is not None:
        path = write_events(seed_events, args.out / "seed_events.geojson")
        print(f"wrote {len(seed_events)} seed events to {path}")
    demo = build_demo(args.n, args.seed)
    path = write_events(demo, args.out / "demo_events.parquet")
    print(
        f"wrote {len(demo)} SYNTHETIC demo events to {path} "
        f"({demo['date'].min().date()} .. {demo['date'].max().date()}, "
        f"{int(demo['fatalities'].sum())} fatalities)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
