"""``desertgeo map``: write an interactive HTML map (self-contained, works offline)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desertgeo._errors import InputError
from desertgeo.cli._common import add_output_options, emit_json, say, steps


def register(sub: Any) -> None:
    """Add the ``map`` sub-command."""
    p = sub.add_parser(
        "map",
        help="write an HTML map of events, zones, clusters and hotspots (works offline)",
        description="Write one self-contained HTML map of events with control zones, "
        "clusters, hotspots, borders, sites and roads. The file makes no network request "
        "unless --online or --tiles is given.",
    )
    p.add_argument("events", nargs="?", help="events file (CSV, GeoJSON, GPKG, Parquet)")
    p.add_argument(
        "--dataset",
        metavar="NAME",
        help="use a shipped events dataset instead of a file (e.g. seed_events)",
    )
    p.add_argument(
        "--zones",
        metavar="DATE",
        help="draw the shipped control zones valid on DATE (YYYY-MM or YYYY-MM-DD)",
    )
    p.add_argument("--zones-file", metavar="PATH", help="control zones from a file instead")
    p.add_argument("--clusters", action="store_true", help="cluster the events, draw hulls")
    p.add_argument("--eps-km", type=float, default=10.0, help="DBSCAN radius (default 10 km)")
    p.add_argument("--min-events", type=int, default=5, help="DBSCAN core size (default 5)")
    p.add_argument("--hotspots", action="store_true", help="Gi* hotspot cells")
    p.add_argument("--heatmap", action="store_true", help="add a heatmap layer")
    p.add_argument("--color-by", default="event_type", help="events column for colours")
    p.add_argument("--tiles", help="online tiles (e.g. OpenStreetMap); implies --online")
    p.add_argument("--online", action="store_true", help="load Leaflet from a CDN")
    p.add_argument("--title", help="title shown at the top of the legend")
    p.add_argument(
        "--popup",
        metavar="COLS",
        help="comma-separated columns shown on click (default: the events schema's fields)",
    )
    p.add_argument("--tooltip", metavar="COLS", help="comma-separated columns shown on hover")
    p.add_argument("--attribution", help="your own credit line, added to the map's credits")
    p.add_argument("-o", "--output", default="map.html", help="output HTML (default map.html)")
    add_output_options(p)
    p.set_defaults(func=run)


def _columns(text: str | None) -> list[str] | None:
    return None if text is None else [c.strip() for c in text.split(",") if c.strip()]


def run(args: argparse.Namespace) -> int:
    """Build the map and write it."""
    from desertgeo import datasets
    from desertgeo.events import read_events
    from desertgeo.maps import make_map, save_map

    if args.events and args.dataset:
        raise InputError("give an events file or --dataset, not both")
    with steps(args, "reading events", "clusters", "hotspots", "building map", "writing") as step:
        events = None
        if args.events:
            if not Path(args.events).exists():
                raise FileNotFoundError(f"events file not found: {args.events}")
            step("reading events")
            events = read_events(args.events)
        elif args.dataset:
            events = datasets.load(args.dataset)
        if (args.clusters or args.hotspots) and events is None:
            raise InputError("--clusters and --hotspots need events")

        zones: Any = None
        if args.zones_file:
            from desertgeo.zones import load_zones

            zones = load_zones(args.zones_file)
        elif args.zones:
            zones = True

        clusters = None
        if args.clusters and events is not None:
            from desertgeo import clustering as cl

            step("clusters")
            labels = cl.cluster(events, eps_km=args.eps_km, min_events=args.min_events)
            clusters = cl.summarize_clusters(events, labels)
        hotspots = None
        if args.hotspots and events is not None:
            from desertgeo.hotspot import hotspots as gi

            step("hotspots")
            hotspots = gi(events)

        step("building map")
        m = make_map(
            events,
            zones=zones,
            clusters=clusters,
            hotspots=hotspots,
            date=args.zones,
            tiles=args.tiles,
            heatmap=args.heatmap,
            color_by=args.color_by,
            title=args.title,
            popup=_columns(args.popup),
            tooltip=_columns(args.tooltip),
            attribution=args.attribution,
        )
        step("writing")
        out = save_map(m, args.output, offline=not (args.online or args.tiles))
    result = {
        "output": str(out),
        "bytes": out.stat().st_size,
        "offline": not (args.online or args.tiles),
        "layers": m.desertgeo_layers,
        "events_without_location": m.desertgeo_unplaced,
        "credits": m.desertgeo_credits,
    }
    if args.json:
        emit_json(result)
    else:
        layers = ", ".join(f"{k} {v}" for k, v in m.desertgeo_layers.items())
        say(args, f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB): {layers}")
        if m.desertgeo_unplaced:
            say(args, f"{m.desertgeo_unplaced} events without a usable location not drawn")
    return 0
