"""Build ``data/roads/roads.geojson`` from the reviewable tables in ``data/roads/``.

Inputs (plain CSV, so one row can be corrected and the file rebuilt):

* ``roads.csv``: one row per road: ``road_id``, ``name``, ``aliases`` (``|``-separated names
  and numbers as used in reporting), ``from``, ``to``, ``accuracy_m`` (the stated accuracy:
  how far we believe the real road can lie from the line), ``approximate``,
  ``accuracy_basis`` (what the accuracy rests on) and ``notes``;
* ``waypoints.csv``: the points each road is drawn through, in order: ``road_id``, ``seq``,
  ``name``, ``lon``, ``lat``, ``ref`` (``geonames:<id>`` / ``site:<site_id>`` for points of
  the shipped gazetteer, ``wof:<id>`` for Who's On First records, ``wikipedia`` for an
  article's coordinates), ``source`` (where the coordinates come from) and ``on_road`` (why
  the point is on this road, with the reporting that says so).

Checks: every road has >= 2 waypoints with consecutive ``seq`` from 1, a source and an
``on_road`` note; coordinates lie in the study area; a waypoint that names a shipped
gazetteer record (``geonames:`` / ``site:``) has that record's coordinates (to 1e-5 degree);
aliases are unique across roads (one name or number never means two roads).

Output: one LineString per road (straight geodesic segments between waypoints, EPSG:4326)
with ``road_id, name, aliases, from, to, accuracy_m, approximate, source, waypoints,
waypoint_ids, n_waypoints, length_km, uncertainty, notes``; the ``roads`` entry of
``data/manifest.json`` gets the new hash. The output is deterministic.

Run from the repository root (no network)::

    PYTHONPATH=src .venv/bin/python scripts/build_roads.py
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

from shapely.geometry import LineString, mapping

from desertgeo._geodesy import GEOD

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
#: the study area: Syria and its borderlands (lon/lat box)
BBOX = (34.5, 31.5, 43.0, 38.5)
NDIGITS = 6

ROAD_FIELDS = [
    "road_id",
    "name",
    "aliases",
    "from",
    "to",
    "accuracy_m",
    "approximate",
    "accuracy_basis",
    "notes",
]
WAYPOINT_FIELDS = ["road_id", "seq", "name", "lon", "lat", "ref", "source", "on_road"]

MANIFEST_ENTRY = {
    "file": "roads/roads.geojson",
    "source": "scripts/build_roads.py from data/roads/roads.csv and waypoints.csv: straight "
    "geodesic segments between sourced waypoints (GeoNames, Who's On First, Wikipedia "
    "coordinates, curated sites)",
    "version": "",
    "licence": "CC BY 4.0 (desertgeo); waypoints contain data from GeoNames (CC BY 4.0) and "
    "Who's On First (see data/roads/README.md)",
    "attribution": "Contains data from GeoNames (https://www.geonames.org/), CC BY 4.0, and "
    "Who's On First (https://whosonfirst.org/)",
    "approximate": True,
    "notes": "each road states accuracy_m; validated against held-out checkpoints "
    "(tests/data/road_checkpoints.csv)",
}


_KINDS = {
    "geonames": "GeoNames",
    "wof": "Who's On First",
    "site": "curated sites",
    "wikipedia": "Wikipedia coordinates",
}


class BuildError(ValueError):
    """A row of the road tables is wrong; the message says which and how."""


def _read_csv(path: Path, fields: list[str]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [f for f in fields if f not in (reader.fieldnames or [])]
        if missing:
            raise BuildError(f"{path.name}: missing columns {missing}; expected {fields}")
        return [dict(r) for r in reader]


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def _gazetteer(data: Path) -> dict[str, tuple[float, float]]:
    """lon/lat of the shipped gazetteer records by ``geonames:<id>`` / ``site:<id>``."""
    out: dict[str, tuple[float, float]] = {}
    places = data / "gazetteer" / "places.csv.gz"
    if places.is_file():
        with gzip.open(places, "rt", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                out[f"geonames:{r['geonameid']}"] = (float(r["longitude"]), float(r["latitude"]))
    sites = data / "gazetteer" / "sites.csv"
    if sites.is_file():
        with sites.open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                out[f"site:{r['site_id']}"] = (float(r["longitude"]), float(r["latitude"]))
    return out


def _check_waypoints(
    road_id: str, rows: list[dict[str, str]], gaz: dict[str, tuple[float, float]]
) -> list[tuple[float, float]]:
    rows = sorted(rows, key=lambda r: int(r["seq"]))
    seqs = [int(r["seq"]) for r in rows]
    if seqs != list(range(1, len(rows) + 1)):
        raise BuildError(f"waypoints.csv: road {road_id!r} has seq {seqs}; number them 1..n")
    if len(rows) < 2:
        raise BuildError(f"waypoints.csv: road {road_id!r} needs at least 2 waypoints")
    coords = []
    for r in rows:
        where = f"waypoints.csv: {road_id} seq {r['seq']} ({r['name']})"
        lon, lat = float(r["lon"]), float(r["lat"])
        if not (BBOX[0] <= lon <= BBOX[2] and BBOX[1] <= lat <= BBOX[3]):
            raise BuildError(f"{where}: {lon}, {lat} is outside the study area {BBOX}")
        if not r["source"].strip() or not r["on_road"].strip():
            raise BuildError(f"{where}: every waypoint needs a source and an on_road note")
        ref = r["ref"].strip()
        if ref.startswith(("geonames:", "site:")):
            if ref not in gaz:
                raise BuildError(f"{where}: {ref} is not in the shipped gazetteer")
            glon, glat = gaz[ref]
            if abs(glon - lon) > 1e-5 or abs(glat - lat) > 1e-5:
                raise BuildError(
                    f"{where}: coordinates differ from {ref} ({glon}, {glat}); copy them"
                )
        coords.append((lon, lat))
    return coords


def build(data: Path = DATA) -> dict[str, Any]:
    """Build ``roads.geojson`` in ``data/roads``; return the measured facts."""
    rdir = data / "roads"
    roads = _read_csv(rdir / "roads.csv", ROAD_FIELDS)
    waypoints = _read_csv(rdir / "waypoints.csv", WAYPOINT_FIELDS)
    gaz = _gazetteer(data)
    by_road: dict[str, list[dict[str, str]]] = {}
    for w in waypoints:
        by_road.setdefault(w["road_id"], []).append(w)
    ids = [r["road_id"] for r in roads]
    if len(set(ids)) != len(ids):
        raise BuildError(f"roads.csv: duplicate road_id in {ids}")
    unknown = sorted(set(by_road) - set(ids))
    if unknown:
        raise BuildError(f"waypoints.csv: roads {unknown} are not in roads.csv")
    seen: dict[str, str] = {}
    features = []
    facts: dict[str, Any] = {}
    for road in roads:
        rid = road["road_id"]
        for alias in [road["name"], *road["aliases"].split("|")]:
            key = _norm(alias)
            if key and seen.setdefault(key, rid) != rid:
                raise BuildError(
                    f"roads.csv: {alias!r} names both {seen[key]!r} and {rid!r}; "
                    "one name or number must mean one road"
                )
        rows = by_road.get(rid, [])
        coords = _check_waypoints(rid, rows, gaz)
        accuracy = int(road["accuracy_m"])
        if accuracy <= 0:
            raise BuildError(f"roads.csv: {rid}: accuracy_m must be > 0 metres")
        line = LineString(coords)
        length_km = round(GEOD.geometry_length(line) / 1000, 1)
        rows = sorted(rows, key=lambda r: int(r["seq"]))
        sources = sorted({_KINDS.get(r["ref"].split(":", 1)[0], r["ref"]) for r in rows})
        props = {
            "road_id": rid,
            "name": road["name"],
            "aliases": road["aliases"],
            "from": road["from"],
            "to": road["to"],
            "accuracy_m": accuracy,
            "approximate": road["approximate"].strip().lower() in {"true", "1", "yes"},
            "source": f"{len(rows)} sourced waypoints (data/roads/waypoints.csv: "
            + ", ".join(sources)
            + "); straight geodesic segments between them",
            "waypoints": "|".join(r["name"] for r in rows),
            "waypoint_ids": "|".join(r["ref"] for r in rows),
            "n_waypoints": len(rows),
            "length_km": length_km,
            "uncertainty": f"the real road is believed within {accuracy / 1000:g} km of the line "
            f"({road['accuracy_basis']})",
            "notes": road["notes"],
        }
        geom = mapping(line)
        geom["coordinates"] = [[round(x, NDIGITS), round(y, NDIGITS)] for x, y in coords]
        features.append({"type": "Feature", "properties": props, "geometry": geom})
        facts[f"road_km_{rid}"] = length_km
    fc = {"type": "FeatureCollection", "features": features}
    text = json.dumps(fc, ensure_ascii=False, separators=(",", ":")) + "\n"
    from desertgeo._atomic import atomic_write_text

    out = rdir / "roads.geojson"
    atomic_write_text(out, text)
    _update_manifest(data, out)
    facts["roads"] = len(features)
    facts["waypoints"] = sum(len(v) for v in by_road.values())
    return facts


def _update_manifest(data: Path, out: Path) -> None:
    """Rewrite only the ``roads`` entry of data/manifest.json (other builds own the rest)."""
    from desertgeo._atomic import atomic_write_text

    file = data / "manifest.json"
    manifest = json.loads(file.read_text(encoding="utf-8")) if file.is_file() else {}
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    datasets = manifest.setdefault("datasets", {})
    prev = datasets.get("roads", {})
    date = prev.get("date") if prev.get("sha256") == digest else dt.date.today().isoformat()
    datasets["roads"] = {**MANIFEST_ENTRY, "sha256": digest, "date": date}
    manifest["datasets"] = dict(sorted(datasets.items()))
    atomic_write_text(file, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")


def main(argv: list[str] | None = None) -> int:
    """Build the roads; print the measured facts."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="data folder (default: data/)")
    args = parser.parse_args(argv)
    try:
        facts = build(args.data)
    except BuildError as exc:
        print(f"build_roads: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(facts, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
