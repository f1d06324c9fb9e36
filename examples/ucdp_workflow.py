"""A UCDP GED workflow: read a GED CSV, validate, zones, distances, clusters, map.

UCDP's Georeferenced Event Dataset (GED) is distributed as a CSV with a fixed set of
columns (``id``, ``date_start``, ``where_prec``, ``side_a``, ``best``, ...). This script
first writes a small **synthetic** file with exactly those column names — events scattered
around real towns of the Badia taken from the shipped gazetteer, plus one deliberately
broken row — so that it runs offline; point ``--ged`` at a real GED download to run the
same steps on real data.

Steps: ``read_ucdp`` → ``summary`` (validation counts) → ``assign_zones`` (who held the
ground on the event's date) → ``distance_to_borders`` → ``cluster`` (DBSCAN, 15 km) →
``summarize_clusters`` → offline HTML map.

Run::

    python examples/ucdp_workflow.py --out demo-output/ucdp
    python examples/ucdp_workflow.py --ged GEDEvent_v24_1.csv --out out/ged
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import pyproj

import desertgeo
from desertgeo import events as ev
from desertgeo.clustering import cluster, summarize_clusters
from desertgeo.distance import distance_stats, distance_to_borders
from desertgeo.zones import assign_zones

GEOD = pyproj.Geod(ellps="WGS84")

# the real UCDP GED column names, in the order of a GED CSV
GED_COLUMNS = [
    "id", "relid", "year", "active_year", "code_status", "type_of_violence",
    "conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id",
    "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id",
    "side_b_new_id", "side_b", "number_of_sources", "source_article", "source_office",
    "source_date", "source_headline", "source_original", "where_prec", "where_coordinates",
    "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
    "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec",
    "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
    "best", "high", "low", "gwnoa", "gwnob",
]  # fmt: skip

# towns the synthetic events gather around: (gazetteer query, events, spread km, governorate)
ANCHORS = [
    ("Palmyra", 14, 12.0, "Homs governorate"),
    ("Sukhna", 10, 10.0, "Homs governorate"),
    ("Al Mayadin", 8, 8.0, "Deir ez-Zor governorate"),
    ("Abu Kamal", 6, 6.0, "Deir ez-Zor governorate"),
]


def write_sample_ged(path: Path, seed: int = 7) -> pd.DataFrame:
    """Write a small synthetic GED-shaped CSV around real towns; return it."""
    rng = np.random.default_rng(seed)
    anchors = desertgeo.geocode([a[0] for a in ANCHORS])
    rows = []
    start = pd.Timestamp("2024-01-03")
    for (name, n, spread_km, adm1), (_, hit) in zip(ANCHORS, anchors.iterrows(), strict=True):
        lon0, lat0 = hit.geometry.x, hit.geometry.y
        for _ in range(n):
            # a random bearing and a distance on the ellipsoid (never flat degrees)
            km = abs(rng.normal(0.0, spread_km / 2.0))
            lon, lat, _ = GEOD.fwd(lon0, lat0, rng.uniform(0.0, 360.0), km * 1000.0)
            day = start + pd.Timedelta(days=int(rng.integers(0, 150)))
            civ = bool(rng.random() < 0.4)
            best = int(rng.integers(0, 12))
            rows.append(
                {
                    "id": 900000 + len(rows),
                    "relid": f"SYR-2024-1-{len(rows)}",
                    "year": day.year,
                    "active_year": 1,
                    "code_status": "Clear",
                    "type_of_violence": 3 if civ else 1,
                    "conflict_dset_id": 299,
                    "conflict_new_id": 299,
                    "conflict_name": "IS - Civilians" if civ else "Syria: Government",
                    "dyad_dset_id": 0,
                    "dyad_new_id": 0,
                    "dyad_name": "IS - Civilians" if civ else "Government of Syria - IS",
                    "side_a_dset_id": 0,
                    "side_a_new_id": 0,
                    "side_a": "IS" if civ else "Government of Syria",
                    "side_b_dset_id": 0,
                    "side_b_new_id": 0,
                    "side_b": "Civilians" if civ else "IS",
                    "number_of_sources": 1,
                    "source_article": "synthetic example row (not a real UCDP event)",
                    "source_office": "",
                    "source_date": day.strftime("%Y-%m-%d"),
                    "source_headline": f"synthetic event near {name}",
                    "source_original": "desertgeo example",
                    "where_prec": 2 if rng.random() < 0.5 else 1,
                    "where_coordinates": f"{name} town",
                    "where_description": f"near {name}",
                    "adm_1": adm1,
                    "adm_2": "",
                    "latitude": round(lat, 4),
                    "longitude": round(lon, 4),
                    "geom_wkt": f"POINT ({lon:.4f} {lat:.4f})",
                    "priogrid_gid": 0,
                    "country": "Syria",
                    "country_id": 652,
                    "region": "Middle East",
                    "event_clarity": 1,
                    "date_prec": 1,
                    "date_start": day.strftime("%Y-%m-%d 00:00:00.000"),
                    "date_end": day.strftime("%Y-%m-%d 00:00:00.000"),
                    "deaths_a": 0,
                    "deaths_b": 0,
                    "deaths_civilians": best if civ else 0,
                    "deaths_unknown": 0 if civ else best,
                    "best": best,
                    "high": best + 2,
                    "low": max(0, best - 1),
                    "gwnoa": 652,
                    "gwnob": "",
                }
            )
    # one broken row, as real exports sometimes have: latitude missing
    broken = dict(rows[0], id=999999, latitude="", geom_wkt="", source_headline="no latitude")
    rows.append(broken)
    table = pd.DataFrame(rows, columns=GED_COLUMNS)
    table.to_csv(path, index=False)
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("demo-output/ucdp"))
    parser.add_argument("--ged", type=Path, help="a real UCDP GED CSV (default: a sample)")
    parser.add_argument("--eps-km", type=float, default=15.0, help="DBSCAN radius in km")
    parser.add_argument("--min-events", type=int, default=3, help="DBSCAN min samples")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    ged = args.ged
    if ged is None:
        ged = out / "ged_syria_sample.csv"
        write_sample_ged(ged)
        print(f"wrote a synthetic UCDP GED-shaped sample: {ged}")

    # 1. read and validate: every row comes back, with a status and a reason
    events = ev.read_ucdp(ged)
    print(f"read {len(events)} rows from {ged.name}")
    print(ev.summary(events).to_string(index=False))

    # 2. who held the ground where and when each event happened
    usable = events["status"] != "invalid"
    zones = desertgeo.datasets.load("zones")
    assigned = assign_zones(events[usable], zones)

    # 3. exact geodesic distances to Syria's borders (per neighbour and overall)
    dist = distance_to_borders(events[usable])

    # 4. clusters in metres (DBSCAN), and their summaries
    labels = cluster(
        events[usable], method="dbscan", eps_km=args.eps_km, min_events=args.min_events
    )
    clusters = summarize_clusters(events[usable], labels, zones=zones)
    print(f"{int((labels >= 0).sum())} of {len(labels)} usable events in {len(clusters)} clusters")
    print(
        clusters[["cluster", "n_events", "fatalities", "nearest_place", "controller"]].to_string(
            index=False
        )
    )

    enriched = events.join(assigned[["controller"]]).join(dist).join(labels.rename("cluster"))
    enriched["lon"] = enriched.geometry.x
    enriched["lat"] = enriched.geometry.y
    table = pd.DataFrame(enriched.drop(columns="geometry"))
    table["controller"] = table["controller"].fillna("(not usable: " + table["status"] + ")")
    table.to_csv(out / "events_enriched.csv", index=False)
    pd.DataFrame(clusters.drop(columns="geometry")).to_csv(out / "clusters.csv", index=False)
    print("distance to the nearest border (km), by controller:")
    print(
        distance_stats(table, "dist_border_km", by="controller", quantiles=()).round(1).to_string()
    )

    # 5. an HTML map that works with no internet
    m = desertgeo.make_map(events=events[usable], clusters=clusters, zones=zones)
    desertgeo.save_map(m, out / "map.html")
    print(f"wrote {out / 'events_enriched.csv'}, {out / 'clusters.csv'}, {out / 'map.html'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
