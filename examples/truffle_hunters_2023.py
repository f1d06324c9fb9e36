"""The February 2023 truffle-hunter attacks around Palmyra and Sukhna, end to end from text.

In February 2023 the Islamic State group abducted truffle hunters near Palmyra (11 February)
and attacked truffle hunters and a checkpoint outside Sukhna (17 February). This script
starts from the report's text and goes all the way to a map:

1. ``events_from_text``: events (date, place, counts, actor, target) out of the article;
2. ``geocode``: how each place phrase was resolved, with its uncertainty and precision;
3. ``assign_zones``: who held the ground on that date (approximate snapshots);
4. ``distance_to_borders`` / ``distance_to``: how far from the Iraqi border and al-Tanf;
5. an offline HTML map and a PNG figure.

By default it uses the report's two key paragraphs, quoted below with attribution (news
report "IS attacks on truffle hunters in Syria are the deadliest in a year", February 2023;
``--published`` defaults to 2023-02-20, the Monday after the Friday attack, which anchors
"on Friday"); pass ``--article FILE`` to run on a full article text.

Run::

    python examples/truffle_hunters_2023.py --out demo-output/truffle
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

import desertgeo
from desertgeo.distance import distance_to, distance_to_borders
from desertgeo.zones import assign_zones

# Short quotation of the report's two factual paragraphs (February 2023).
EXCERPT = """\
On February 11, IS fighters kidnapped about 75 truffle hunters from the town of Palmyra. \
At least 16 people, including a woman and security personnel, were killed, 25 were \
released and the rest are missing.

Six days later, on Friday, they attacked a group of truffle hunters outside the desert \
town of Sukhna, just up the highway from Palmyra, and fought soldiers at a nearby security \
checkpoint. At least 61 civilians and seven soldiers were killed.
"""
PUBLISHED = "2023-02-20"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("demo-output/truffle"))
    parser.add_argument("--article", type=Path, help="full article text (default: excerpt)")
    parser.add_argument("--published", default=PUBLISHED, help="publication date")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    text = args.article.read_text(encoding="utf-8") if args.article else EXCERPT

    # 1. events out of the text (offline, rule-based); each keeps its sentence
    events = desertgeo.events_from_text(
        text, published=args.published, source="news report, Feb 2023"
    )
    print(f"{len(events)} events found in the text")

    # 2. the place phrases in the text, geocoded: which rule fired, how uncertain
    #    ("outside the desert town of Sukhna" is not the town centre)
    mentions = desertgeo.find_places(text)
    geo = desertgeo.geocode([m.surface for m in mentions])
    print("places in the text:")
    print(
        geo[["query", "matched_name", "rule", "where_prec", "uncertainty_m", "status"]]
        .round(0)
        .to_string(index=False)
    )

    # keep the events that have a place and a date
    usable = events[events["status"] != "invalid"].copy()

    # 3. who held the ground on the event's date
    zones = desertgeo.datasets.load("zones")
    assigned = assign_zones(usable, zones)
    usable["controller"] = assigned["controller"]

    # 4. exact geodesic distances
    borders = distance_to_borders(usable)
    tanf = distance_to(usable, "al-Tanf garrison", label="tanf")
    usable = usable.join(borders[["dist_iraq_km", "dist_border_km", "nearest_border"]])
    usable = usable.join(tanf[["dist_tanf_km"]])

    cols = ["date", "place", "fatalities", "abducted", "actor", "target", "controller",
            "dist_iraq_km", "dist_tanf_km", "uncertainty_m"]  # fmt: skip
    pd.set_option("display.width", 200)
    print(usable[cols].round({"dist_iraq_km": 1, "dist_tanf_km": 1, "uncertainty_m": 0})
          .to_string(index=False))  # fmt: skip

    # outputs: table, GeoJSON, offline map, figure
    table = events.join(usable[["controller", "dist_iraq_km", "dist_border_km",
                                "nearest_border", "dist_tanf_km"]])  # fmt: skip
    table["lon"] = table.geometry.x
    table["lat"] = table.geometry.y
    table["mentions"] = events["mentions"]
    pd.DataFrame(table.drop(columns="geometry")).to_csv(out / "events.csv", index=False)
    desertgeo.events.write_events(events, out / "events.geojson")
    m = desertgeo.make_map(
        usable, zones=zones, date="2023-02-17", title="IS attacks on truffle hunters, Feb 2023"
    )
    desertgeo.save_map(m, out / "map.html")
    ax = desertgeo.plot_events_map(
        usable, zones=zones, date="2023-02-17", title="IS attacks on truffle hunters, Feb 2023"
    )
    ax.figure.savefig(out / "figure.png", dpi=120, bbox_inches="tight")
    print(f"wrote {out / 'events.csv'}, {out / 'map.html'}, {out / 'figure.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
