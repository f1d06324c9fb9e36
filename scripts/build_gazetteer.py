"""Build the Syria gazetteer files under ``data/gazetteer/`` from public source repositories.

Run from the repository root, with local clones (bare or not) of the two sources::

    git clone https://github.com/whosonfirst-data/whosonfirst-data-admin-sy
    git clone https://github.com/Open-Syria/data-geography
    git clone https://github.com/whosonfirst-data/whosonfirst-data-admin-iq
    git clone https://github.com/whosonfirst-data/whosonfirst-data-admin-jo
    .venv/bin/python scripts/build_gazetteer.py \\
        --wof whosonfirst-data-admin-sy --open-syria data-geography \\
        --borderland IQ=whosonfirst-data-admin-iq --borderland JO=whosonfirst-data-admin-jo

Outputs (deterministic: same inputs, byte-identical files):

* ``localities.csv.gz`` (dataset ``localities``): every Who's On First locality and
  neighbourhood of Syria, with its Latin and Arabic names from the ``name:*`` lists, its
  GeoNames id when it has one (so duplicates of ``places`` fold by id at load time),
  the governorate (point in polygon, ``data/boundaries/governorates.geojson``), the
  district (WOF county of the record's hierarchy) and the sub-district (nahiya: the
  nearest OCHA sub-district centre of the same governorate; approximate, the source
  has centroids and no polygons).
  With ``--borderland``, the localities of the borderland across the lines where the
  Badia's attacks happen are added (``country`` IQ / JO): Iraq's Anbar and Nineveh and
  Jordan's Mafraq, plus any locality of those countries within :data:`BORDER_KM` of
  Syria's border (Iraq) or :data:`BORDER_KM_JO` (Jordan: Irbid's and Ramtha's border
  villages, not Amman); ``admin1`` is the WOF region (in the GeoNames ``places`` spelling),
  ``admin2`` the WOF county.
* ``subdistricts.csv`` (dataset ``subdistricts``): the 272 OCHA sub-districts with
  p-codes, English/Arabic names and aliases, centroid, area and district.

``city_districts.csv`` (dataset ``city_districts``) is curated by hand, not built here.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point, shape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from desertgeo._atomic import atomic_write_bytes, atomic_write_text  # noqa: E402

DATA = ROOT / "data"
# name:* lists kept (Latin and Arabic script; other scripts are dropped later by the index)
NAME_LANGS = ("ara", "arz", "apc", "ajp", "acm", "und", "eng", "fra", "kur", "tur", "deu")
#: the borderland: WOF regions kept whole, and the distance to Syria's border within which
#: any other locality of the country is kept
BORDER_REGIONS = {"IQ": {"Al-Anbar", "Ninawa"}, "JO": {"Mafraq"}}
BORDER_KM = 100.0
BORDER_KM_JO = 50.0
#: WOF region names -> the admin1 spelling of the GeoNames ``places`` table
REGION_NAMES = {
    "Ninawa": "Nineveh",
    "Dihok": "Duhok",
    "Sala ad-Din": "Salah Al-Din",
    "Arbil": "Erbil",
    "Jarash": "Jerash",
    "Ajlun": "Ajloun",
}
OCHA_GOV = {  # Open-Syria governorateId -> name_en of data/boundaries/governorates.geojson
    "sy-al-hasakah": "Al-Hasakah",
    "sy-aleppo": "Aleppo",
    "sy-ar-raqqah": "Raqqa",
    "sy-as-suwayda": "As-Suwayda",
    "sy-damascus": "Damascus",
    "sy-daraa": "Daraa",
    "sy-deir-ez-zor": "Deir ez-Zor",
    "sy-hama": "Hama",
    "sy-homs": "Homs",
    "sy-idlib": "Idlib",
    "sy-latakia": "Latakia",
    "sy-quneitra": "Quneitra",
    "sy-rif-dimashq": "Rif Dimashq",
    "sy-tartus": "Tartus",
}


def git(repo: Path, *args: str) -> bytes:
    """Run git on a clone (bare or with a work tree)."""
    gitdir = repo / ".git" if (repo / ".git").exists() else repo
    return subprocess.run(
        ["git", f"--git-dir={gitdir}", *args], check=True, capture_output=True
    ).stdout


def wof_records(repo: Path) -> list[dict[str, Any]]:
    """Every GeoJSON feature of the repository's HEAD (read with ``git cat-file --batch``)."""
    tree = git(repo, "ls-tree", "-r", "HEAD").decode()
    blobs = [ln.split()[2] for ln in tree.splitlines() if ln.endswith(".geojson")]
    gitdir = repo / ".git" if (repo / ".git").exists() else repo
    out = subprocess.run(
        ["git", f"--git-dir={gitdir}", "cat-file", "--batch"],
        input="\n".join(blobs).encode() + b"\n",
        check=True,
        capture_output=True,
    ).stdout
    recs, pos = [], 0
    while pos < len(out):
        nl = out.index(b"\n", pos)
        size = int(out[pos:nl].split()[2])
        recs.append(json.loads(out[nl + 1 : nl + 1 + size]))
        pos = nl + 1 + size + 1
    return recs


def names_of(props: dict[str, Any]) -> tuple[list[str], str]:
    """(all kept spellings, first Arabic-script name) of a WOF record."""
    names = [str(props.get("wof:name", ""))]
    names += [str(props[key]) for key in ("gn:name", "gn:asciiname") if props.get(key)]
    arabic = ""
    for key in sorted(props):
        if not key.startswith("name:"):
            continue
        lang = key[5:8]
        if lang not in NAME_LANGS:
            continue
        for value in props[key] or []:
            value = str(value).strip()
            if value:
                names.append(value)
                if not arabic and any("\u0600" <= ch <= "\u06ff" for ch in value):
                    arabic = value
    clean = [n.replace("|", " ").strip() for n in dict.fromkeys(names) if n and n.strip()]
    return clean, arabic


def english(props: dict[str, Any]) -> str:
    for key in ("name:eng_x_preferred",):
        if props.get(key):
            return str(props[key][0])
    return str(props.get("wof:name", ""))


def subdistrict_rows(open_syria: Path) -> list[dict[str, Any]]:
    """The OCHA sub-districts of Open-Syria's ``data/subdistricts.json``, by p-code."""
    subs = json.loads(git(open_syria, "show", "HEAD:data/subdistricts.json"))
    dists = {d["id"]: d for d in json.loads(git(open_syria, "show", "HEAD:data/districts.json"))}
    sub_rows = []
    for s in subs:
        names = [s["name"]["en"], s["name"]["ar"]]
        names += [a["value"] for a in s.get("aliases", []) if a.get("value")]
        names = [n for n in dict.fromkeys(n.strip() for n in names) if n]
        # the romanised skeletons ("nahyt mrkz alhskt") are not spellings anyone writes
        names = [n for n in names if not (n.islower() and " " in n and not any(
            v in n for v in "aeiou" if n.count(v) > 1))]  # fmt: skip
        area = float((s.get("area") or {}).get("value") or 0.0)
        dist = dists.get(s.get("districtId", ""), {})
        sub_rows.append(
            {
                "pcode": s["externalIds"].get("ochaPcode", ""),
                "name": s["name"]["en"],
                "name_ar": s["name"]["ar"],
                "aliases": "|".join(n for n in names if n not in (s["name"]["en"],)),
                "latitude": round(float(s["centroid"]["latitude"]), 5),
                "longitude": round(float(s["centroid"]["longitude"]), 5),
                "admin1": OCHA_GOV.get(s["governorateId"], ""),
                "admin2": (dist.get("name") or {}).get("en", ""),
                "area_km2": round(area, 1),
                "population": int((s.get("population") or {}).get("value") or 0),
                "source": f"Open-Syria/data-geography subdistricts.json {s['id']}",
            }
        )
    sub_rows.sort(key=lambda r: r["pcode"])
    return sub_rows


def current_places(recs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The properties of every current locality and neighbourhood."""
    out = []
    for rec in recs:
        p = rec["properties"]
        if p.get("wof:placetype") not in ("locality", "neighbourhood"):
            continue
        if p.get("mz:is_current") == 0 or p.get("wof:superseded_by"):
            continue
        out.append(p)
    return out


def locality_row(
    p: dict[str, Any], country: str, admin1: str, admin2: str, nahiya: dict[str, Any] | None
) -> dict[str, Any]:
    """One row of ``localities.csv.gz``."""
    names, arabic = names_of(p)
    pop = p.get("gn:population") or p.get("wof:population") or 0
    return {
        "wof_id": int(p["wof:id"]),
        "geonameid": int(p["gn:geonameid"]) if p.get("gn:geonameid") else "",
        "name": str(p.get("wof:name", "")),
        "names": "|".join(names[1:]),
        "name_ar": arabic,
        "feature_type": "neighbourhood"
        if p["wof:placetype"] == "neighbourhood"
        else "populated place",
        "latitude": round(float(p["geom:latitude"]), 5),
        "longitude": round(float(p["geom:longitude"]), 5),
        "country": country,
        "admin1": admin1,
        "admin2": admin2,
        "admin3": nahiya["name"] if nahiya else "",
        "admin3_pcode": nahiya["pcode"] if nahiya else "",
        "population": int(pop) if pop and int(pop) > 0 else 0,
        "source": f"WOF {p['wof:id']} ({p.get('src:geom', '')})",
    }


def syria_border_km(data: Path) -> Any:
    """A function (lon, lat arrays) -> distance in km to Syria's border (UTM 37N)."""
    from pyproj import Transformer

    countries = json.loads((data / "boundaries" / "countries.geojson").read_text("utf-8"))
    syria = [
        shape(f["geometry"])
        for f in countries["features"]
        if f["properties"]["country"] == "SY" and f["properties"].get("golan") == "syria"
    ]
    fwd = Transformer.from_crs(4326, 32637, always_xy=True)
    line = shapely.transform(
        shapely.union_all(syria).boundary,
        lambda c: np.column_stack(fwd.transform(c[:, 0], c[:, 1])),
    )
    shapely.prepare(line)

    def km(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        x, y = fwd.transform(lon, lat)
        return np.asarray(shapely.distance(line, shapely.points(x, y))) / 1000.0

    return km


def borderland_rows(repo: Path, country: str, border_km: Any) -> list[dict[str, Any]]:
    """Localities of Iraq / Jordan in the borderland regions or near Syria's border."""
    recs = wof_records(repo)
    by_id = {r["properties"].get("wof:id", r.get("id")): r["properties"] for r in recs}
    places = current_places(recs)
    lon = np.array([float(p["geom:longitude"]) for p in places])
    lat = np.array([float(p["geom:latitude"]) for p in places])
    dist = border_km(lon, lat)
    limit = BORDER_KM_JO if country == "JO" else BORDER_KM
    rows = []
    for p, d in zip(places, dist, strict=True):
        hier = (p.get("wof:hierarchy") or [{}])[0]
        region = str(by_id.get(hier.get("region_id"), {}).get("wof:name", ""))
        if region not in BORDER_REGIONS[country] and d > limit:
            continue
        county = by_id.get(hier.get("county_id"), {})
        admin1 = REGION_NAMES.get(region, region)
        rows.append(locality_row(p, country, admin1, english(county) if county else "", None))
    return rows


def build(
    wof: Path, open_syria: Path, data: Path, borderland: dict[str, Path] | None = None
) -> dict[str, Any]:
    recs = wof_records(wof)
    by_id = {r["properties"].get("wof:id", r.get("id")): r["properties"] for r in recs}
    govs = json.loads((data / "boundaries" / "governorates.geojson").read_text("utf-8"))
    govs = [f for f in govs["features"] if f["properties"].get("golan", "") in ("", "syria")]
    polys = [shape(f["geometry"]) for f in govs]
    gov_names = [f["properties"]["name_en"] for f in govs]
    tree = shapely.STRtree(polys)

    def admin1_of(lon: float, lat: float) -> str:
        pt = Point(lon, lat)
        hits = sorted(int(i) for i in tree.query(pt, predicate="intersects"))
        if hits:
            return gov_names[hits[0]]
        j = int(tree.nearest(pt))
        return gov_names[j] if polys[j].distance(pt) < 0.1 else ""

    sub_rows = subdistrict_rows(open_syria)

    def nahiya_of(lon: float, lat: float, admin1: str) -> dict[str, Any] | None:
        best, best_d = None, math.inf
        coslat = math.cos(math.radians(lat))
        for r in sub_rows:
            if r["admin1"] != admin1:
                continue
            d = ((r["longitude"] - lon) * coslat) ** 2 + (r["latitude"] - lat) ** 2
            if d < best_d:
                best, best_d = r, d
        return best

    rows = []
    for p in current_places(recs):
        lon, lat = float(p["geom:longitude"]), float(p["geom:latitude"])
        hier = (p.get("wof:hierarchy") or [{}])[0]
        county = by_id.get(hier.get("county_id"), {})
        admin1 = admin1_of(lon, lat)
        nahiya = nahiya_of(lon, lat, admin1) if admin1 else None
        rows.append(locality_row(p, "SY", admin1, english(county) if county else "", nahiya))
    facts: dict[str, Any] = {}
    if borderland:
        border_km = syria_border_km(data)
        for country, repo in sorted(borderland.items()):
            extra = borderland_rows(repo, country, border_km)
            rows += extra
            facts[f"{country}_commit"] = git(repo, "rev-parse", "HEAD").decode().strip()
            facts[f"{country}_rows"] = len(extra)
            facts[f"{country}_with_arabic"] = sum(bool(r["name_ar"]) for r in extra)
    rows.sort(key=lambda r: (r["country"] != "SY", r["country"], r["wof_id"]))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    gz = io.BytesIO()
    with gzip.GzipFile(filename="localities.csv", mode="wb", fileobj=gz, mtime=0) as fh:
        fh.write(buf.getvalue().encode("utf-8"))
    atomic_write_bytes(data / "gazetteer" / "localities.csv.gz", gz.getvalue())
    sbuf = io.StringIO()
    writer = csv.DictWriter(sbuf, fieldnames=list(sub_rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(sub_rows)
    atomic_write_text(data / "gazetteer" / "subdistricts.csv", sbuf.getvalue())
    sy = [r for r in rows if r["country"] == "SY"]
    return {
        "wof_commit": git(wof, "rev-parse", "HEAD").decode().strip(),
        "open_syria_commit": git(open_syria, "rev-parse", "HEAD").decode().strip(),
        "localities_rows": len(rows),
        "localities_sy_rows": len(sy),
        "localities_with_arabic": sum(bool(r["name_ar"]) for r in sy),
        "localities_with_geonameid": sum(bool(r["geonameid"]) for r in sy),
        "localities_without_admin1": sum(not r["admin1"] for r in sy),
        "subdistricts_rows": len(sub_rows),
        "localities_bytes": len(gz.getvalue()),
        **facts,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--wof", type=Path, required=True, help="whosonfirst-data-admin-sy clone")
    parser.add_argument("--open-syria", type=Path, required=True, help="data-geography clone")
    parser.add_argument("--data", type=Path, default=DATA, help="output data folder")
    parser.add_argument(
        "--borderland",
        action="append",
        default=[],
        metavar="CC=CLONE",
        help="whosonfirst-data-admin-iq / -jo clone for the borderland (IQ=..., JO=...)",
    )
    args = parser.parse_args(argv)
    border = {}
    for item in args.borderland:
        code, _, path = item.partition("=")
        if code.upper() not in BORDER_REGIONS or not path:
            parser.error(f"--borderland {item!r}: give IQ=PATH or JO=PATH")
        border[code.upper()] = Path(path)
    facts = build(args.wof, args.open_syria, args.data, border)
    print(json.dumps(facts, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
