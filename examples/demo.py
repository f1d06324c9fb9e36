"""The main job on the shipped data (``make demo``).

From the two kinds of input users start from -- news reports and event tables -- to the
outputs they share: geocoded places, an enriched events table (control zone on the event's
date, exact distances to the borders, the tri-border and the al-Tanf garrison, cluster
labels), cluster and hotspot layers, summary tables, an offline HTML map and report
figures. Everything is written to ``--out`` (default ``demo-output/``).

The event table is the shipped ``demo_events`` dataset, which is SYNTHETIC (generated
around real places for the seed period, and labelled so in its ``source`` column); the
article events come from the shipped ``seed_events`` (extracted from the two seed
articles by :func:`desertgeo.events_from_text`).

Run: ``python examples/demo.py --out demo-output``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

import desertgeo
from desertgeo import datasets

SEED_PLACES = [
    "Palmyra",
    "Tadmur",
    "تدمر",
    "outside the desert town of Sukhna",
    "As Sukhnah",
    "the Tabqa farms",
    "the 55 km area adjacent to the Tanf base",
    "the Syrian-Jordanian-Iraqi tri-border",
    "along the Damascus-Baghdad highway",
    "20 km east of Palmyra",
    "Deir Ezzor",
    "the desert of Homs",
    "Albu Kamal",
    "Rukban",
    "T4 airbase",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("demo-output"))
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    written: list[Path] = []

    def step(message: str) -> None:
        print(f"[{time.perf_counter() - t0:6.1f} s] {message}", flush=True)

    print(f"desertgeo {desertgeo.__version__}: the main job on the shipped data -> {out}/")

    # 1. what ships
    step("shipped datasets")
    lines = []
    for name in datasets.available():
        info = datasets.provenance(name)
        frame = datasets.load(name)
        flag = "  APPROXIMATE" if info.get("approximate") else ""
        lines.append(f"{name:<14}{len(frame):>7} rows  {info.get('licence', '?')}{flag}")
    print("\n".join("    " + line for line in lines))
    (out / "datasets.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    written.append(out / "datasets.txt")

    # 2. geocode places as the seed articles spell them
    step("geocoding the places named in the seed articles")
    geo = desertgeo.geocode(SEED_PLACES)
    table = pd.DataFrame(geo.drop(columns="geometry"))
    table["lon"] = geo.geometry.x.round(5)
    table["lat"] = geo.geometry.y.round(5)
    table.to_csv(out / "geocoded_seed_places.csv", index=False)
    written.append(out / "geocoded_seed_places.csv")
    for row in table.itertuples():
        print(
            f"    {row.query!r:<45} -> {row.matched_name} ({row.lon}, {row.lat}) "
            f"±{row.uncertainty_m / 1000:.1f} km, geo_precision {row.geo_precision}, "
            f"rule {row.rule}"
        )

    # 3. events: the article events and the (synthetic) event table
    step("events from the seed articles and the demo event table")
    seed = datasets.load("seed_events")
    events = datasets.load("demo_events")
    print(f"    {len(seed)} events from the seed articles; {len(events)} demo events")
    for row in seed.itertuples():
        place = row.place if isinstance(row.place, str) else "(no place in the text)"
        killed = "?" if pd.isna(row.fatalities) else row.fatalities
        print(f"    {row.date:%Y-%m-%d} {place:<24} {killed:>4} killed  [{row.status}]")

    # 4. zones on each event's date, exact distances, clusters
    step("control zones on each event's date")
    zones = datasets.load("zones")
    enriched = desertgeo.assign_zones(events, zones)
    step("exact geodesic distances to the borders, the tri-border and al-Tanf")
    dist = desertgeo.distance_to_borders(enriched)
    enriched = enriched.join(dist)
    enriched = enriched.join(desertgeo.distance_to(enriched, "tri-border"))
    enriched = enriched.join(desertgeo.distance_to(enriched, "site:al-Tanf garrison", label="tanf"))
    step("DBSCAN clusters (5 km, 10 events) and Gi* hotspots (10 km hexagons)")
    enriched["cluster"] = desertgeo.cluster(enriched, method="dbscan", eps_km=5, min_events=10)
    clusters = desertgeo.summarize_clusters(enriched, enriched["cluster"], zones=zones)
    spots = desertgeo.hotspots(enriched, cell_km=10)

    desertgeo.write_events(enriched, out / "events_enriched.gpkg")
    clusters.to_file(out / "clusters.geojson", driver="GeoJSON")
    spots.to_file(out / "hotspots.geojson", driver="GeoJSON")
    written += [out / "events_enriched.gpkg", out / "clusters.geojson", out / "hotspots.geojson"]

    # 5. tables
    step("summary tables")
    by_controller = desertgeo.zone_summary(enriched, by="controller", period="Q")
    by_controller.to_csv(out / "events_by_controller.csv")
    stats = desertgeo.distance_stats(enriched, "dist_border_km", by="controller")
    stats.to_csv(out / "distance_to_border_by_controller.csv")
    written += [out / "events_by_controller.csv", out / "distance_to_border_by_controller.csv"]
    where = enriched["controller"].fillna("(" + enriched["zone_status"] + ")")
    share = where.value_counts(normalize=True)
    print("    share of events per controller (on the event's date):")
    for controller, value in share.items():
        print(f"      {controller!s:<45} {value:6.1%}")
    n_hot = int((spots["hotspot"] == "hot").sum())
    print(f"    {int((clusters['cluster'] >= 0).sum())} clusters; {n_hot} hot cells (FDR 5%)")

    # 6. map and figures
    step("offline HTML map")
    m = desertgeo.make_map(
        events=enriched,
        zones=zones,
        clusters=clusters,
        hotspots=spots,
        date="2024-05-15",
        heatmap=True,
        title="desertgeo demo: attacks in the Badia (synthetic demo events + seed articles)",
    )
    written.append(desertgeo.save_map(m, out / "map.html"))
    step("report figures")
    from desertgeo import plots

    written += plots.report_figures(enriched, zones=zones, out_dir=out)

    step("done")
    print("\nwritten:")
    for path in written:
        print(f"    {path}  ({path.stat().st_size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
