"""The 2024 uptick: where the attacks happened, by controller, and how far from al-Tanf and Iraq.

A May 2024 report on the uptick in Islamic State attacks in the Syrian desert claimed that
"nearly two-thirds" of the attacks since the start of 2024 occurred in areas controlled by
the Syrian army, and that the attacks "originate from ... the 55 km area adjacent to the
Tanf base on the Syrian-Jordanian-Iraqi tri-border". This script checks both kinds of claim
on an events table:

- by default the shipped ``demo_events``, which are **synthetic** (generated around real
  Badia places by ``scripts/build_demo_events.py``): the figures then show the method, not
  findings about the real war;
- with ``--events FILE`` a real export (ACLED, UCDP GED, CSV, GeoJSON, GeoPackage,
  GeoParquet) read with ``read_events``.

Only attacks by the Islamic State (``--actor``) in the period are kept.

1. ``assign_zones``: the controller of the ground at each attack's date (approximate
   snapshots) and the share of attacks per controller;
2. ``distance_to``: exact geodesic distance of each attack to the al-Tanf 55 km zone (0
   inside it) and to the Iraqi border, with summary statistics;
3. a histogram, an offline map and a JSON summary.

Run::

    python examples/uptick_2024.py --out demo-output/uptick
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd
import shapely

import desertgeo
from desertgeo.distance import distance_stats, distance_to
from desertgeo.zones import assign_zones, zone_summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("demo-output/uptick"))
    parser.add_argument("--start", default="2024-01-01", help="first day (inclusive)")
    parser.add_argument("--end", default="2024-06-01", help="last day (exclusive)")
    parser.add_argument("--events", type=Path, help="a real events file (default: demo)")
    parser.add_argument("--actor", default="Islamic State", help="perpetrator to keep")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    if args.events is None:
        every = desertgeo.datasets.load("demo_events")
        print("NOTE: demo_events are SYNTHETIC: these figures illustrate the method only")
    else:
        every = desertgeo.read_events(args.events)
    in_period = every["date"].ge(args.start) & every["date"].lt(args.end)
    by_actor = every["actor"].fillna("").str.contains(args.actor, case=False, regex=False)
    usable = every["status"].ne("invalid") & every.geometry.notna()
    ev = every[in_period & by_actor & usable].copy()
    print(
        f"{len(ev)} usable attacks by {args.actor!r} from {args.start} to {args.end} "
        f"(of {int(in_period.sum())} events in the period, {len(every)} in the table)"
    )

    # 1. controller at the event's date, and the share of attacks per controller
    zones = desertgeo.datasets.load("zones")
    assigned = assign_zones(ev, zones)
    # events with no controller say why (e.g. "no snapshot for date", "outside zones")
    ev["controller"] = assigned["controller"].fillna("(" + assigned["zone_status"] + ")")
    ev["zone_id"] = assigned["zone_id"]
    share = (
        zone_summary(ev, period=None)
        .rename(columns={"share_events": "share"})
        .set_index("controller")
        .sort_values("events", ascending=False)
    )
    print("share of attacks per controller (approximate zones):")
    print(share.round(3).to_string())
    share.to_csv(out / "share_by_controller.csv")

    # 2. distance to the al-Tanf 55 km zone (0 inside) and to the Iraqi border
    tanf_zones = zones[zones["zone_id"].str.contains("/tanf/", regex=False)]
    tanf = tanf_zones.dissolve()  # the circle is the same in every snapshot
    d_tanf = distance_to(ev, tanf, label="tanf_zone")["dist_tanf_zone_km"]
    inside = shapely.contains_xy(tanf.geometry.iloc[0], ev.geometry.x, ev.geometry.y)
    ev["dist_tanf_zone_km"] = d_tanf.where(~inside, 0.0)
    ev["dist_iraq_km"] = distance_to(ev, "iraq")["dist_iraq_km"]
    cols = ["event_id", "date", "place", "controller", "fatalities", "dist_tanf_zone_km",
            "dist_iraq_km"]  # fmt: skip
    dist = pd.DataFrame(ev[cols])
    dist.to_csv(out / "distances.csv", index=False)

    within = (10, 25, 55, 100)
    stats = pd.concat(
        {
            col: distance_stats(dist, col, within_km=within).iloc[0]
            for col in ("dist_tanf_zone_km", "dist_iraq_km")
        },
        axis=1,
    ).T
    stats.to_csv(out / "distance_stats.csv")
    print("distance statistics (km):")
    print(stats.round(2).to_string())

    gov = share.loc[share.index.str.contains("government", case=False), "events"].sum()
    summary = {
        "period": [args.start, args.end],
        "events": len(dist),
        "share_government": float(gov / len(dist)) if len(dist) else 0.0,
        "share_inside_tanf_zone": float(inside.mean()) if len(dist) else 0.0,
        "median_dist_iraq_km": float(dist["dist_iraq_km"].median()),
        "median_dist_tanf_zone_km": float(dist["dist_tanf_zone_km"].median()),
        "data": "synthetic demo_events" if args.events is None else str(args.events),
        "zones_note": "control zones are approximate, authored snapshots",
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(summary, indent=2))

    # 3. figures and map
    ax = desertgeo.plot_distance_histogram(
        {"to the al-Tanf zone": dist["dist_tanf_zone_km"], "to Iraq": dist["dist_iraq_km"]},
        title=f"ISIS attacks {args.start} to {args.end}: distances",
    )
    ax.figure.savefig(out / "distance_histogram.png", dpi=120, bbox_inches="tight")
    m = desertgeo.make_map(ev, zones=zones, title="ISIS attacks in the Badia, 2024")
    desertgeo.save_map(m, out / "map.html")
    print(f"wrote {sorted(p.name for p in out.iterdir())} to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
