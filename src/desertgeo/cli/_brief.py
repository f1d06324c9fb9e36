"""``desertgeo brief``: from articles or an events table to one offline HTML brief."""

from __future__ import annotations

import argparse
from typing import Any

from desertgeo.cli._common import add_output_options, emit_json, say, steps


def register(sub: Any) -> None:
    """Add the ``brief`` sub-command."""
    p = sub.add_parser(
        "brief",
        help="one offline HTML brief from news articles or an events table",
        description="Read article texts (.txt, .md: events extracted by rules) or one events "
        "file (CSV, GeoJSON, GPKG, Parquet) and write one self-contained HTML page: a "
        "summary with the share of events per controller on their dates (with the range "
        "the location uncertainty allows), the map, the events table, distances to the "
        "borders, the tri-point and al-Tanf, clusters, hotspots, a timeline, every flag, "
        "and the data's provenance. The page makes no network request.",
        epilog="Exit codes: 0 ok; 1 the claim given with --claim lies outside the range the "
        "data allow; 2 bad usage or input.",
    )
    p.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="article .txt files or one events file"
    )
    p.add_argument(
        "--published",
        action="append",
        metavar="DATE",
        help="articles' publication date (once for all, or once per article in order)",
    )
    p.add_argument("--zones", metavar="PATH", help="control zones file (default: shipped)")
    p.add_argument(
        "--check-share",
        metavar="controller=KEY",
        help="check a stated share for this controller (KEY: its name or a unique part)",
    )
    p.add_argument("--claim", metavar="SHARE", help="the stated share: 0.66 or 66%%")
    p.add_argument("--title", help="page title")
    p.add_argument("--eps-km", type=float, default=10.0, help="DBSCAN radius (default 10 km)")
    p.add_argument("--min-events", type=int, default=5, help="DBSCAN core size (default 5)")
    p.add_argument("--cell-km", type=float, default=10.0, help="hotspot hexagon size (10 km)")
    p.add_argument(
        "--max-rows",
        type=int,
        default=5000,
        help="events table rows in the page (default 5000; the analysis uses all)",
    )
    p.add_argument("-o", "--output", default="brief.html", help="output HTML (brief.html)")
    add_output_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Build the brief, write it, print the summary (or JSON)."""
    from desertgeo._errors import InputError
    from desertgeo.briefing import brief

    if (args.check_share is None) != (args.claim is None):
        raise InputError(
            "--check-share and --claim go together, e.g. "
            "--check-share controller=government --claim 0.66"
        )
    published = args.published
    if published is not None and len(published) == 1:
        published = published[0]
    with steps(args, "building the brief", "writing") as step:
        step("building the brief")
        source = args.inputs[0] if len(args.inputs) == 1 else args.inputs
        report = brief(
            source,
            published=published,
            zones=args.zones,
            title=args.title,
            check_share=args.check_share,
            claim=args.claim,
            eps_km=args.eps_km,
            min_events=args.min_events,
            cell_km=args.cell_km,
            max_table_rows=args.max_rows,
        )
        step("writing")
        out = report.save(args.output)
    if args.json:
        emit_json(
            {
                "output": str(out),
                "bytes": out.stat().st_size,
                "summary": report.summary,
                "shares": report.shares.reset_index().to_dict("records"),
                "claim": None if report.claim is None else report.claim.to_dict(),
                "flags": report.flags["kind"].value_counts().to_dict(),
                "seconds": report.facts["timings_s"],
            }
        )
    else:
        say(args, report.summary)
        say(args, f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return 1 if report.claim is not None and not report.claim.inside else 0
