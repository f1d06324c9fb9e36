"""Geocoding of place names and descriptive locations, with precision and uncertainty.

:func:`geocode` turns what reports write ("Sukhna", "outside the desert town of Sukhna",
"20 km east of Palmyra", "the Homs desert", "the 55 km area adjacent to the Tanf base",
"along the Damascus-Baghdad highway", "the tri-border area") into a point, a radius of
uncertainty in metres, an uncertainty geometry, and the precision codes analysts use.
:func:`find_places` finds the same names and phrases in free text.

Rules (the ``rule`` column says which one fired)
------------------------------------------------
============== ============================================ ================= ==== =====
rule           example                                      point             geo  where
============== ============================================ ================= ==== =====
``name``       Sukhna, Tadmur, al-Tanf, تدمر                the place         1    1
``near``       outside / near / on the outskirts of X       X                 2    2
``countryside`` X countryside, the desert of X (X a town)   X                 2    2
``offset``     20 km east of X                              geodesic forward  2    2/3
``direction``  east of X (no distance)                      15 km that way    2    2
``between``    between X and Y                              geodesic midpoint 2    2/3
``tripoint``   the tri-border area, المثلث الحدودي          tri-point         2    2
``governorate`` rural Homs, the desert of Homs, ريف دير الزور representative    3    4
                                                            point of the
                                                            governorate
``tanf_zone``  the 55 km area around the Tanf base          al-Tanf garrison  3    5
``road``       along the Damascus-Baghdad highway           middle of road    3    5
``border``     the Syria-Iraq border                        middle of border  3    5
``country``    Syria, سوريا                                 representative    3    6
                                                            point
============== ============================================ ================= ==== =====

Uncertainty radius (``uncertainty_m``): a bare place stands for its own extent (the
site's ``uncertainty_m``; 1.5 / 3 / 8 / 15 km for villages / towns / cities / cities
over a million, see :func:`desertgeo.gazetteer.place_uncertainty_m`). ``near`` adds
10 km (5 km for *outskirts*), ``countryside`` 20 km, combined as
``sqrt(place² + cue²)``. ``offset`` adds ``max(2 km, 0.4 × distance)`` (0.4 ≈ tan 22.5°,
half a sector of an 8-point compass); ``direction`` places the point 15 km out with
15 km; ``between`` uses half the distance plus the larger of the two places' radii.
Areas (governorate, 55 km zone, road, border) use the radius of the circle around the
point that covers the area's geometry; roads and borders are buffered by 5 and 10 km.

Precision codes. UCDP GED ``where_prec``: 1 exact location, 2 within 25 km of a known
point, 3 second-order administrative area (here: a relative location whose radius is
above 25 km), 4 first-order administrative area (governorate), 5 a linear feature or an
area that is not an administrative unit (road, border, the 55 km zone), 6 country, 7
international waters or airspace. ACLED ``geo_precision`` follows from it: where_prec
1 → 1 (the town itself), 2-3 → 2 (near a named place, a part of a region), 4-7 → 3 (only
a larger region is known). A bare name whose own radius exceeds 25 km (e.g. *Jabal
Bishri*) gets where_prec 2 or 3 by the same radius rule.

Examples
--------
>>> from desertgeo.geocoder import geocode
>>> res = geocode(["Sukhna", "20 km east of Palmyra", "the desert of Homs"])
>>> list(res["rule"])
['name', 'offset', 'governorate']
>>> res["where_prec"].tolist(), res["geo_precision"].tolist()
([1, 2, 4], [1, 2, 3])
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod, Transformer
from rapidfuzz import fuzz
from shapely.geometry import LineString, Point, Polygon

from desertgeo._context import _SEP as _CONTEXT_SEP
from desertgeo._context import Clause, split_description, split_list
from desertgeo._errors import GeocodeError, InputError
from desertgeo._place import Place
from desertgeo.gazetteer import Gazetteer, make_place, match_facts, study_area
from desertgeo.names import fold_name, fuzzy_key, is_arabic, normalize_name

__all__ = ["geocode", "uncertainty_geometry"]

GEOD = Geod(ellps="WGS84")
_TO_UTM = Transformer.from_crs(4326, 32637, always_xy=True)
_FROM_UTM = Transformer.from_crs(32637, 4326, always_xy=True)

NEAR_M = 10_000.0
OUTSKIRTS_M = 5_000.0
COUNTRYSIDE_M = 20_000.0
DIRECTION_M = 15_000.0
TRIPOINT_M = 25_000.0
TANF_ZONE_M = 55_000.0
ROAD_BUFFER_M = 5_000.0
BORDER_BUFFER_M = 10_000.0
#: a fuzzy match below this score is flagged ``ambiguous`` (a guess, not an answer)
STRONG_FUZZY = 90.0
#: a normalised match whose spelling similarity is below this is flagged ``ambiguous``
WEAK_SIMILARITY = 80.0
#: offsets beyond this are not plausible descriptions of a place in the study area
MAX_OFFSET_KM = 400.0
COLUMNS = [
    "query",
    "matched_name",
    "place_id",
    "feature_type",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "score",
    "geo_precision",
    "where_prec",
    "uncertainty_m",
    "rule",
    "status",
    "reason",
]

# --------------------------------------------------------------------------- vocabulary
_DIRS: dict[str, float] = {
    "north": 0.0, "northern": 0.0, "n": 0.0,
    "north-east": 45.0, "northeast": 45.0, "north east": 45.0, "ne": 45.0,
    "north-eastern": 45.0, "northeastern": 45.0,
    "east": 90.0, "eastern": 90.0, "e": 90.0,
    "south-east": 135.0, "southeast": 135.0, "south east": 135.0, "se": 135.0,
    "south-eastern": 135.0, "southeastern": 135.0,
    "south": 180.0, "southern": 180.0, "s": 180.0,
    "south-west": 225.0, "southwest": 225.0, "south west": 225.0, "sw": 225.0,
    "south-western": 225.0, "southwestern": 225.0,
    "west": 270.0, "western": 270.0, "w": 270.0,
    "north-west": 315.0, "northwest": 315.0, "north west": 315.0, "nw": 315.0,
    "north-western": 315.0, "northwestern": 315.0,
}  # fmt: skip
_AR_DIRS: dict[str, float] = {
    "شمال": 0.0, "شمالي": 0.0, "شمال شرق": 45.0, "شمال شرقي": 45.0, "شرق": 90.0,
    "شرقي": 90.0, "جنوب شرق": 135.0, "جنوب شرقي": 135.0, "جنوب": 180.0, "جنوبي": 180.0,
    "جنوب غرب": 225.0, "جنوب غربي": 225.0, "غرب": 270.0, "غربي": 270.0,
    "شمال غرب": 315.0, "شمال غربي": 315.0,
}  # fmt: skip
_DIR_ALT = "|".join(
    re.escape(d) for d in sorted((d for d in _DIRS if len(d) > 2), key=len, reverse=True)
)
_AR_DIR_ALT = "|".join(re.escape(d) for d in sorted(_AR_DIRS, key=len, reverse=True))
_DIRADJ = (
    r"(?:(?:north|south)[\s-]?(?:east|west)ern|northern|southern|eastern|western|central"
    r"|far|remote|vast|open|surrounding|desert)"
)
_DESCRIPTOR = (
    r"(?:the\s+)?(?:(?:desert|border|small|remote|eastern|western|northern|southern|central"
    r"|ancient|historic|oil-rich|besieged|strategic|frontier|nearby|key|regime-held"
    r"|government-held|sdf-held|kurdish-held|syrian|iraqi|jordanian)\s+)*"
    r"(?:town|city|village|hamlet|settlement|oasis|area|region|district|locality)\s+of\s+"
)
_UNIT_M = {"km": 1000.0, "kms": 1000.0, "kilometer": 1000.0, "kilometers": 1000.0,
           "kilometre": 1000.0, "kilometres": 1000.0, "mi": 1609.344, "mile": 1609.344,
           "miles": 1609.344, "كم": 1000.0, "كيلومتر": 1000.0, "كيلومترات": 1000.0,
           "كيلومترا": 1000.0}  # fmt: skip
_NEIGHBOURS: dict[str, str] = {
    "iraq": "IQ", "iraqi": "IQ", "jordan": "JO", "jordanian": "JO", "turkey": "TR",
    "turkish": "TR", "turkiye": "TR", "türkiye": "TR", "lebanon": "LB", "lebanese": "LB",
    "israel": "IL", "israeli": "IL", "golan": "IL",
    "العراق": "IQ", "العراقية": "IQ", "الأردن": "JO", "الاردن": "JO", "الأردنية": "JO",
    "الاردنية": "JO", "تركيا": "TR", "التركية": "TR", "لبنان": "LB", "اللبنانية": "LB",
}  # fmt: skip

_NUM = r"(\d+(?:[.,]\d+)?)"
_APPROX = r"(?:(?:about|some|around|approximately|roughly|nearly|almost|over|more\s+than"
_APPROX += r"|less\s+than|up\s+to|just|only)\s+)?"
_OFFSET_RE = re.compile(
    rf"^{_APPROX}{_NUM}\s*-?\s*(km|kms|kilomet(?:er|re)s?|mi|miles?)\s+(?:to\s+the\s+)?"
    rf"({_DIR_ALT})\s+of\s+(.+)$",
    re.IGNORECASE,
)
_AR_OFFSET_RE = re.compile(
    rf"^(?:على\s+بعد\s+|على\s+مسافة\s+|نحو\s+|حوالي\s+)?{_NUM}\s*(كم|كيلومترا?|كيلومترات)\s+"
    rf"(?:إلى\s+ال|الى\s+ال)?({_AR_DIR_ALT})(?:ي|ا)?\s+(?:من\s+|مدينة\s+|بلدة\s+)?(.+)$"
)
_NEGATIVE_OFFSET_RE = re.compile(
    rf"^{_APPROX}[-−–]\s*\d+(?:[.,]\d+)?\s*(?:km|kms|kilomet(?:er|re)s?|mi|miles?|كم)\b",
    re.IGNORECASE,
)
_DIRECTION_RE = re.compile(
    rf"^(?:just\s+|to\s+the\s+|in\s+the\s+|directly\s+|due\s+)?({_DIR_ALT})\s+of\s+(.+)$",
    re.IGNORECASE,
)
_AR_DIRECTION_RE = re.compile(rf"^({_AR_DIR_ALT})\s+(?:مدينة\s+|بلدة\s+)?(.+)$")
_BETWEEN_RE = re.compile(
    r"^(?:somewhere\s+|midway\s+|halfway\s+)?between\s+(.+?)\s+and\s+(.+)$", re.I
)
_AR_BETWEEN_RE = re.compile(r"^(?:ما\s+)?بين\s+(.+?)\s+و\s*(.+)$")
_NEAR_RE = re.compile(
    r"^(?:just\s+|right\s+|immediately\s+)?(outside(?:\s+of)?|near(?:by)?|close\s+to|next\s+to"
    r"|not\s+far\s+from|around|in\s+the\s+vicinity\s+of|the\s+vicinity\s+of|vicinity\s+of"
    r"|in\s+the\s+area\s+of|the\s+area\s+of|the\s+area\s+around|area\s+around"
    r"|(?:in\s+|on\s+|at\s+)?the\s+(?:outskirts|edge|edges|surroundings|periphery)\s+of"
    r"|(?:outskirts|surroundings|periphery)\s+of)\s+(.+)$",
    re.IGNORECASE,
)
_AR_NEAR_RE = re.compile(
    r"^(?:في\s+|على\s+)?(بالقرب\s+من|قرب|قريبا\s+من|محيط|أطراف|اطراف|ضواحي|خارج)\s+"
    r"(?:مدينة\s+|بلدة\s+|قرية\s+)?(.+)$"
)
_GOV_PREFIX_RE = re.compile(
    rf"^(?:the\s+)?(?:{_DIRADJ}\s+)*(countryside|country-side|rural\s+areas?|deserts?|badia"
    r"|steppe|province|governorate|desert\s+areas?|desert\s+regions?)\s+(?:of|around)\s+"
    r"(?:the\s+)?(.+)$",
    re.IGNORECASE,
)
_RURAL_RE = re.compile(rf"^(?:the\s+)?(?:{_DIRADJ}\s+)*(rural)\s+(.+)$", re.IGNORECASE)
_GOV_SUFFIX_RE = re.compile(
    rf"^(?:the\s+)?(?:{_DIRADJ}\s+)*(.+?)\s+(countryside|country-side|desert|badia|steppe"
    r"|province|governorate|rural\s+areas?|desert\s+areas?|region|countryside\s+areas?)$",
    re.IGNORECASE,
)
_AR_GOV_RE = re.compile(
    r"^(?:في\s+)?(ريف|بادية|صحراء|محافظة|البادية|أرياف|ارياف)\s+(.+?)"
    r"(?:\s+(?:الشرقي|الغربي|الشمالي|الجنوبي|الشرقية|الغربية|الشمالية|الجنوبية|الأوسط))?$"
)
_TANF_RE = re.compile(
    r"(?:\b55[\s-]*(?:km|kilomet(?:er|re)s?)\b.*\b(?:tanf|zone|area|circle|radius)\b"
    r"|\btanf\b.*\b(?:deconfliction|exclusion)\s+zone|\bdeconfliction\s+zone\b"
    r"|\btanf\s+(?:zone|pocket|enclave)\b)",
    re.IGNORECASE,
)
_AR_TANF_RE = re.compile(r"(?:منطقة\s+ال(?:ـ)?\s*55|ال55\s*كم|55\s*كم.*التنف)")
_TRI_RE = re.compile(
    r"(?:\btri[\s-]?(?:border|point|state|junction)|\btriple[\s-](?:border|frontier|point)"
    r"|\bthree[\s-]border|\bborder\s+triangle|المثلث\s+الحدودي|^المثلث$)",
    re.IGNORECASE,
)
_ROAD_RE = re.compile(
    r"^(?:along|on|off|near|by|at|alongside|beside|astride|over|the\s+length\s+of)?\s*"
    r"(?:the\s+)?(.+?)\s+(?:international\s+|desert\s+)?(highway|motorway|road|route"
    r"|expressway|freeway)$",
    re.IGNORECASE,
)
_AR_ROAD_RE = re.compile(r"^(?:على\s+|قرب\s+)?(?:ال)?(?:طريق|أوتوستراد|اوتوستراد)\s+(.+)$")
_BORDER_RE = re.compile(r"\bborders?\b|الحدود|الشريط\s+الحدودي", re.IGNORECASE)
_LEAD_RE = re.compile(r"^(?:in|at|from|to|into|inside|within|on)\s+(?:the\s+)?", re.IGNORECASE)
_THE_RE = re.compile(r"^the\s+", re.IGNORECASE)
_PLAIN_PREFIX_RE = re.compile(rf"^(?:the\s+)?{_DESCRIPTOR}", re.IGNORECASE)
_PLAIN_SUFFIX_RE = re.compile(
    r"\s+(?:city|town|village|area|region|district|sub-?district|municipality|neighbou?rhood"
    r"|quarter|hamlet|farms?|camp)$",
    re.I,
)
_AR_PLAIN_PREFIX_RE = re.compile(r"^(?:في\s+)?(?:مدينة|بلدة|قرية|منطقة|ناحية)\s+")
_SPLIT_RE = re.compile(r"\s*(?:-|–|—|\bto\b|/)\s*")
_TRAIL_RE = re.compile(r"[\s.,;:!?\"'()\[\]]+$")
_LEADP_RE = re.compile(r"^[\s.,;:!?\"'()\[\]]+")


# --------------------------------------------------------------------------- results
@dataclass
class _Result:
    rule: str
    lon: float = math.nan
    lat: float = math.nan
    uncertainty_m: float = math.nan
    matched_name: str = ""
    place_id: str = ""
    feature_type: str = ""
    country: str = ""
    admin1: str = ""
    score: float = math.nan
    status: str = "ok"
    reason: str = ""
    area: Any = None  # shapely geometry of the uncertainty (None: a circle)
    notes: list[str] = field(default_factory=list)
    admin2: str = ""
    admin3: str = ""
    loose: bool = False  # a normalised match whose spelling is not close

    @property
    def ok(self) -> bool:
        """A usable point: ``ok`` or ``ambiguous`` (never ``out_of_context``)."""
        return self.status in {"ok", "ambiguous"}


def _where_prec(rule: str, unc: float) -> int:
    if rule == "unresolved":
        return 0
    if rule == "governorate":
        return 4
    if rule in {"tanf_zone", "road", "border"}:
        return 5
    if rule == "country":
        return 6
    if rule == "name" and unc <= 15_000:
        return 1
    return 2 if unc <= 25_000 else 3


def _geo_prec(where: int) -> int:
    return {0: 0, 1: 1, 2: 2, 3: 2}.get(where, 3)


def _combine(*radii: float) -> float:
    return float(math.sqrt(sum(r * r for r in radii if r and not math.isnan(r))))


def _circle(lon: float, lat: float, radius_m: float, n: int = 72) -> Polygon:
    """Geodesic circle as a polygon that contains the circle (vertices at r / cos(pi / n))."""
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    r = radius_m / math.cos(math.pi / n)
    lons, lats, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, r))
    return Polygon(zip(lons, lats, strict=False))


def _cover_radius(lon: float, lat: float, geom: Any) -> float:
    """Largest geodesic distance (m) from (lon, lat) to a vertex of ``geom``."""
    coords = shapely.get_coordinates(geom)
    if not len(coords):
        return 0.0
    _, _, d = GEOD.inv(
        np.full(len(coords), lon), np.full(len(coords), lat), coords[:, 0], coords[:, 1]
    )
    return float(np.max(d))


def _to_utm(geom: Any) -> Any:
    return shapely.transform(geom, lambda c: np.column_stack(_TO_UTM.transform(c[:, 0], c[:, 1])))


def _from_utm(geom: Any) -> Any:
    return shapely.transform(geom, lambda c: np.column_stack(_FROM_UTM.transform(c[:, 0], c[:, 1])))


# --------------------------------------------------------------------------- context
#: towns on the banks of the Euphrates, upstream to downstream: an approximate river line
#: (the towns lie 0.5-3 km from the water, so "east of the Euphrates" is tested only for
#: points more than 3 km from that line)
_EUPHRATES_TOWNS = ("Jarabulus", "Ath Thawrah", "Ar Raqqah", "Ma'dan", "Deir ez-Zor",
                    "Al Mayadin", "Al Asharah", "Abu Kamal")  # fmt: skip
_COMPASS = ("north", "north-east", "east", "south-east", "south", "south-west", "west",
            "north-west")  # fmt: skip
SECTOR_DEG = 67.5
RIVER_TOLERANCE_KM = 3.0


def _compass(az: float | None) -> str:
    return "" if az is None else _COMPASS[int(((az % 360) + 22.5) // 45) % 8]


def _admin_key(name: str) -> str:
    """Match key of a district / sub-district name ("Markaz Hims" and "Hims" agree)."""
    text = re.sub(r"^(?:markaz|mintaqat|nahiyat|nahiya)\s+", "", fold_name(name))
    text = re.sub(r"\s+(?:district|sub ?district|subdistrict|nahiya|nahiyah)$", "", text)
    return normalize_name(text)


def _key_similarity(a: str, b: str) -> float:
    return float(fuzz.ratio(fuzzy_key(a), fuzzy_key(b)))


def _context_sep(text: str) -> tuple[str, str] | None:
    pieces = _CONTEXT_SEP.split(text, maxsplit=1)
    if len(pieces) == 2 and pieces[0].strip():
        return pieces[0].strip(), pieces[1].strip()
    return None


@dataclass
class _Constraint:
    """What a description's context allows: admin units, circles / sectors, a river bank."""

    admin1: set[str] = field(default_factory=set)
    admin2: set[str] = field(default_factory=set)
    admin3: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    # (lon, lat, max km, azimuth or None, min km)
    circles: list[tuple[float, float, float, float | None, float]] = field(default_factory=list)
    river: tuple[np.ndarray, int] | None = None
    labels: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return "; ".join(self.labels)

    def admin1_only(self, name: str, lon: float, lat: float) -> bool:
        if self.admin1 and normalize_name(name) not in self.admin1:
            return False
        return not (self.admin2 or self.admin3 or self.circles or self.river)

    def mask(self, cands: pd.DataFrame) -> np.ndarray:
        ok = np.ones(len(cands), dtype=bool)
        if self.countries:
            ok &= cands["country"].isin(self.countries).to_numpy()
        for col in ("admin1", "admin2", "admin3"):
            wanted = getattr(self, col)
            if wanted:
                keyf = normalize_name if col == "admin1" else _admin_key
                keys = cands[col].map(lambda a, f=keyf: f(_text(a)))
                ok &= keys.isin(wanted).to_numpy()
        lon = cands["lon"].to_numpy(dtype="float64")
        lat = cands["lat"].to_numpy(dtype="float64")
        for lon0, lat0, r_km, az, min_km in self.circles:
            fwd, _, d = GEOD.inv(np.full(len(lon), lon0), np.full(len(lon), lat0), lon, lat)
            d = np.asarray(d) / 1000.0
            inside = (d <= r_km) & (d >= min_km)
            if az is not None:
                diff = np.abs((np.asarray(fwd) - az + 180.0) % 360.0 - 180.0)
                inside &= (diff <= SECTOR_DEG) | (d < 3.0)
            ok &= inside
        if self.river is not None:
            line, side = self.river
            ok &= _river_side(line, lon, lat, side)
        return ok


def _river_side(line: np.ndarray, lon: np.ndarray, lat: np.ndarray, side: int) -> np.ndarray:
    """Whether each point lies on ``side`` (+1 left / east bank, -1 right) of the line."""
    k = math.cos(math.radians(float(np.mean(line[:, 1]))))
    px, py = lon * k, lat
    lx, ly = line[:, 0] * k, line[:, 1]
    best_d = np.full(len(px), np.inf)
    best_s = np.zeros(len(px))
    for i in range(len(lx) - 1):
        ax, ay, bx, by = lx[i], ly[i], lx[i + 1], ly[i + 1]
        vx, vy = bx - ax, by - ay
        t = np.clip(((px - ax) * vx + (py - ay) * vy) / (vx * vx + vy * vy), 0.0, 1.0)
        d = np.hypot(px - (ax + t * vx), py - (ay + t * vy))
        cross = vx * (py - ay) - vy * (px - ax)
        closer = d < best_d
        best_d = np.where(closer, d, best_d)
        best_s = np.where(closer, np.sign(cross), best_s)
    near = best_d * 111.2 <= RIVER_TOLERANCE_KM
    return np.asarray(near | (best_s == side))


# --------------------------------------------------------------------------- resolver
class _Resolver:
    def __init__(
        self,
        gaz: Gazetteer,
        threshold: float,
        context: dict[str, Any],
        explain: bool = True,
    ) -> None:
        self.explain = explain
        self.gaz = gaz
        self.threshold = threshold
        self.context = context
        self.constraint: _Constraint | None = None
        self._cache: dict[str, _Result] = {}

    # .................................................................. single places
    def place(self, text: str, *, allow_governorate: bool = True) -> _Result:
        """Resolve a bare place name (descriptors like 'the town of' stripped)."""
        text = _clean(text)
        tries = [text]
        for rx in (_LEAD_RE, _THE_RE, _PLAIN_PREFIX_RE, _AR_PLAIN_PREFIX_RE):
            stripped = rx.sub("", tries[-1]).strip()
            if stripped and stripped != tries[-1]:
                tries.append(stripped)
        stripped = _PLAIN_SUFFIX_RE.sub("", tries[-1]).strip()
        if stripped and stripped != tries[-1]:
            tries.append(stripped)
        paren = re.match(r"^(.+?)\s*\((.+)\)$", tries[-1])
        if paren:
            tries += [paren.group(1).strip(), paren.group(2).strip()]
        # exact / normalised on every variant first, fuzzy only after
        outside: _Result | None = None
        deferred: _Result | None = None
        for threshold in (101.0, self.threshold):
            for t in dict.fromkeys(tries):
                if self.constraint is not None:
                    res = self._constrained(t, threshold)
                else:
                    best = self.gaz.best(t, threshold=threshold, **self.context)
                    res = self._from_entry(best) if best is not None else None
                if res is None:
                    continue
                loose = threshold > 100 and res.loose
                if res.ok and not loose:
                    return res
                if res.ok:
                    deferred = deferred or res  # a loose normalised match: try fuzzy too
                else:
                    outside = outside or res
            if deferred is not None and threshold <= 100:
                return deferred
            if allow_governorate and deferred is None:
                for t in dict.fromkeys(tries):
                    gov = self.gaz.governorate(t)
                    if gov is not None and self._gov_fits(gov):
                        return self._governorate(gov)
            if outside is not None and self.constraint is None and deferred is None:
                return outside
        if deferred is not None:
            return deferred
        if outside is not None:
            return outside
        closest = self.gaz.closest(text, 3) if self.explain else []
        hint = ", ".join(f"{n} ({s:.0f})" for n, s in closest) or "none"
        return _Result(
            "unresolved",
            status="unresolved",
            reason=f"no gazetteer name matches {text!r} at threshold {self.threshold:g}; "
            f"closest: {hint}",
        )

    def _gov_fits(self, gov: Any) -> bool:
        if self.constraint is None:
            return True
        pt = gov.geometry.representative_point()
        return bool(self.constraint.admin1_only(str(gov["name_en"]), pt.x, pt.y))

    def _constrained(self, name: str, threshold: float) -> _Result | None:
        """The best candidate of ``name`` that satisfies the description's context."""
        cands = self.gaz.candidates(name, threshold=threshold, limit=80)
        if not len(cands):
            return None
        assert self.constraint is not None
        keep = cands[self.constraint.mask(cands)]
        if not len(keep):
            out = cands.iloc[0]
            res = _Result(
                "unresolved",
                status="out_of_context",
                matched_name=str(out["name"]),
                place_id=str(out["place_id"]),
                country=str(out["country"]),
                notes=[
                    f"{name!r} matches {len(cands)} place(s), none in the context "
                    f"({self.constraint.label}): "
                    + "; ".join(
                        f"{r['name']} ({r['place_id']}, {r['admin1'] or r['country']})"
                        for r in cands.head(4).to_dict("records")
                    )
                ],
            )
            return res
        top = keep.iloc[0]
        best = dict(top)
        best["context"] = bool(top["context"]) or any(v is not None for v in self.context.values())
        best["similarity"] = (
            100.0 if top["layer"] == "exact" else _key_similarity(name, str(top["matched"]))
        )
        alts = []
        group = {"exact", "normalised"} if top["layer"] != "fuzzy" else {"fuzzy"}
        imp = keep["importance"].to_numpy(dtype="float64")
        klon = keep["lon"].to_numpy(dtype="float64")
        klat = keep["lat"].to_numpy(dtype="float64")
        for j, (layer, nm, pid) in enumerate(
            zip(keep["layer"], keep["name"], keep["place_id"], strict=True)
        ):
            if j == 0 or layer not in group:
                continue
            _, _, d = GEOD.inv(klon[0], klat[0], klon[j], klat[j])
            if d > 10_000 and abs(imp[j] - imp[0]) < 1.0:
                alts.append(f"{nm} ({pid})")
        best["ambiguous"] = bool(alts)
        best["alternatives"] = alts
        explicit = any(v is not None for v in self.context.values())
        res = self._from_entry(make_place(best, explicit=explicit))
        res.notes.append(f"in context: {self.constraint.label}")
        return res

    def _from_entry(self, place: Place) -> _Result:
        """The result of a gazetteer match (its status and reason come with the Place)."""
        status = place.status
        res = _Result(
            "name",
            lon=place.lon,
            lat=place.lat,
            uncertainty_m=place.uncertainty_m,
            matched_name=place.name,
            place_id=place.place_id,
            feature_type=place.feature_type,
            country=place.country,
            admin1=place.admin1,
            admin2=place.admin2,
            admin3=place.admin3,
            score=place.score,
            status=status,
            notes=[place.reason] if place.reason else [],
            loose=status != "out_of_context" and bool(match_facts(place).get("loose")),
        )
        return res

    def _governorate(self, gov: Any, rule: str = "governorate") -> _Result:
        geom = gov.geometry
        pt = geom.centroid
        if not geom.contains(pt):
            pt = geom.representative_point()
        return _Result(
            rule,
            lon=float(pt.x),
            lat=float(pt.y),
            uncertainty_m=_cover_radius(pt.x, pt.y, geom),
            matched_name=str(gov["name_en"]),
            place_id=f"governorate:{gov['hasc']}",
            feature_type="governorate",
            country="SY",
            admin1=str(gov["name_en"]),
            score=100.0,
            area=geom,
        )

    # .................................................................. phrases
    def resolve(self, query: Any) -> _Result:
        if not isinstance(query, str) or not query.strip():
            return _Result("unresolved", status="unresolved", reason="empty or missing name")
        key = query
        hit = self._cache.get(key)
        if hit is None:
            hit = self._checked(self._resolve(_clean(query)))
            self._cache[key] = hit
        return hit

    def _checked(self, res: _Result) -> _Result:
        """Flag a point far outside the study area when no explicit context asked for it."""
        if not res.ok or any(v is not None for v in self.context.values()):
            return res
        if not shapely.contains_xy(study_area(self.gaz.countries), res.lon, res.lat):
            res = _Result(**{**asdict(res), "notes": list(res.notes)})
            res.status = "out_of_context"
            res.notes.append(
                f"the point ({res.lon:.3f}, {res.lat:.3f}) lies outside the study area "
                "(Syria and a 50 km borderland); pass country= or bbox= to accept it"
            )
        return res

    def _resolve(self, q: str) -> _Result:
        described = self._describe(q) if self.constraint is None else None
        if described is not None and described.ok:
            return described
        res = self._resolve_plain(q)
        if res.ok or described is None:
            return res
        return described

    # .................................................................. descriptions
    def _describe(self, q: str) -> _Result | None:
        """A place inside a longer description, chosen by the context around it."""
        items = split_list(q)
        clauses: list[Clause] = []
        if items:
            pieces = _context_sep(items[-1])
            if pieces is not None:
                items[-1] = pieces[0]
                clauses = split_description("X " + pieces[1])[1]
            return self._list(items, clauses)
        head, clauses = split_description(q)
        if not clauses or not re.match(r"^[^\W\d_]", head) or _QUANTITY_RE.match(head):
            return None
        built = self._constraint_for(clauses)
        if built is None:
            return None
        constraint, fallback = built
        child = _Resolver(self.gaz, self.threshold, self.context, self.explain)
        child.constraint = constraint
        res = child._resolve_plain(_clean(head))
        if res.ok or fallback is None:
            if not res.ok and not res.reason:
                res.notes.append(f"context: {constraint.label}")
            return res
        out = _Result(**{**asdict(fallback), "notes": list(fallback.notes)})
        out.notes.append(
            f"{head!r} is not in the gazetteer within that context; located by the context "
            f"({constraint.label})"
        )
        out.notes += [n for n in res.notes if "none in the context" in n]
        return out

    def _list(self, items: list[str], clauses: list[Clause]) -> _Result | None:
        """Several places at once ("the towns of X, Y and Z"): their extent."""
        resolver: _Resolver = self
        if clauses:
            built = self._constraint_for(clauses)
            if built is not None:
                resolver = _Resolver(self.gaz, self.threshold, self.context, self.explain)
                resolver.constraint = built[0]
        parts = [resolver._resolve_plain(_clean(i)) for i in items]
        found = [p for p in parts if p.ok]
        if not found:
            return None
        xy = np.array([_TO_UTM.transform(p.lon, p.lat) for p in found])
        cx, cy = xy.mean(axis=0)
        lon, lat = _FROM_UTM.transform(cx, cy)
        _, _, d = GEOD.inv(
            np.full(len(found), lon), np.full(len(found), lat),
            np.array([p.lon for p in found]), np.array([p.lat for p in found]),
        )  # fmt: skip
        radius = float(np.max(np.asarray(d) + np.array([p.uncertainty_m for p in found])))
        missing = [i for i, p in zip(items, parts, strict=True) if not p.ok]
        admin1 = {p.admin1 for p in found}
        res = _Result(
            "list",
            lon=float(lon),
            lat=float(lat),
            uncertainty_m=radius,
            matched_name=" / ".join(p.matched_name for p in found),
            place_id="|".join(p.place_id for p in found),
            feature_type="list",
            country=found[0].country,
            admin1=admin1.pop() if len(admin1) == 1 else "",
            score=min(p.score for p in found),
            status="ok" if not missing and all(p.status == "ok" for p in found) else "ambiguous",
            notes=[f"a list of {len(items)} places: the circle that covers them"],
        )
        if missing:
            res.notes.append("not found: " + ", ".join(repr(m) for m in missing))
        for p in found:
            res.notes += [f"{p.matched_name}: {n}" for n in p.notes if "in context" not in n]
        return res

    def _constraint_for(self, clauses: list[Clause]) -> tuple[_Constraint, _Result | None] | None:
        """Turn context clauses into a constraint on candidates, plus a fallback area."""
        con = _Constraint()
        fallback: _Result | None = None
        for clause in clauses:
            got = self._clause(clause, con)
            if got is False:
                return None
            if isinstance(got, _Result) and (
                fallback is None or got.uncertainty_m < fallback.uncertainty_m
            ):
                fallback = got
        if not con.labels:
            return None
        return con, fallback

    def _clause(self, clause: Clause, con: _Constraint) -> _Result | bool | None:
        text = _clean(clause.text)
        plain = _PLAIN_SUFFIX_RE.sub("", _THE_RE.sub("", text)).strip() or text
        if clause.kind == "river":
            line = self._river(clause.text)
            if line is None or clause.azimuth is None:
                return None
            side = 1 if (clause.azimuth % 360) < 180 and clause.azimuth != 0 else -1
            if clause.azimuth in (0.0, 45.0):
                side = 1
            con.river = (line, side)
            con.labels.append(f"{'east' if side > 0 else 'west'} of the {clause.text.title()}")
            return True
        if clause.kind == "admin":
            bare = re.sub(rf"^(?:(?:{_DIRADJ})\s+)+", "", plain, flags=re.IGNORECASE)
            if self.gaz.country(bare) is not None or self.gaz.country(plain) is not None:
                row = self.gaz.country(bare) or self.gaz.country(plain)
                con.countries.add(str(row["country"]))
                con.labels.append(str(row["name"]))
                return True
            if clause.level in {"", "governorate"}:
                gov = self.gaz.governorate(bare)
                if gov is not None:
                    con.admin1.add(normalize_name(str(gov["name_en"])))
                    con.labels.append(f"{gov['name_en']} governorate")
                    return self._governorate(gov)
                if clause.level == "governorate":
                    return False
            if clause.level in {"", "district", "nahiya"}:
                col = "admin3" if clause.level == "nahiya" else "admin2"
                key = _admin_key(bare)
                if key in self._admin_keys(col):
                    getattr(con, col).add(key)
                    con.labels.append(f"{bare} {'sub-district' if col == 'admin3' else 'district'}")
                    return self._area_of(bare, col)
                if clause.level and clause.level != "town":
                    other = "admin2" if col == "admin3" else "admin3"
                    if key in self._admin_keys(other):
                        getattr(con, other).add(key)
                        con.labels.append(f"{bare} ({clause.level})")
                        return self._area_of(bare, other)
            base = self.place(text, allow_governorate=False)
            if not base.ok:
                return False
            radius = 20.0 if clause.level == "town" else 40.0
            con.circles.append((base.lon, base.lat, radius, None, 0.0))
            con.labels.append(f"within {radius:g} km of {base.matched_name}")
            near = _Result(**{**asdict(base), "notes": list(base.notes)})
            near.rule = "near"
            near.uncertainty_m = _combine(base.uncertainty_m, radius * 1000.0)
            return near
        gov = self.gaz.governorate(plain) if clause.kind == "countryside" else None
        town = self.place(text, allow_governorate=False)
        if gov is not None and (not town.ok or town.feature_type == "governorate"
                                or normalize_name(town.matched_name)
                                == normalize_name(str(gov["name_en"]))
                                or normalize_name(plain) in self.gaz._gov_keys):  # fmt: skip
            con.admin1.add(normalize_name(str(gov["name_en"])))
            label = f"{gov['name_en']} governorate"
            if clause.azimuth is not None and town.ok:
                con.circles.append((town.lon, town.lat, 250.0, clause.azimuth, 0.0))
                label = f"the {_compass(clause.azimuth)} part of {label}"
            con.labels.append(label)
            return self._governorate(gov)
        if not town.ok:
            return False
        if clause.kind == "near":
            con.circles.append((town.lon, town.lat, 25.0, None, 0.0))
            con.labels.append(f"near {town.matched_name}")
            res = _Result(**{**asdict(town), "notes": list(town.notes)})
            res.rule = "near"
            res.uncertainty_m = _combine(town.uncertainty_m, NEAR_M)
            return res
        if clause.kind == "countryside":
            con.circles.append((town.lon, town.lat, 60.0, clause.azimuth, 0.0))
            part = f"{_compass(clause.azimuth)} " if clause.azimuth is not None else ""
            con.labels.append(f"the {part}countryside of {town.matched_name}")
            if clause.azimuth is not None:
                return self._shift(town, "direction", clause.azimuth, DIRECTION_M,
                                   _combine(town.uncertainty_m, COUNTRYSIDE_M))  # fmt: skip
            res = _Result(**{**asdict(town), "notes": list(town.notes)})
            res.rule = "countryside"
            res.uncertainty_m = _combine(town.uncertainty_m, COUNTRYSIDE_M)
            return res
        # direction (with or without a distance)
        az = clause.azimuth if clause.azimuth is not None else 0.0
        if clause.distance_km is not None:
            d = clause.distance_km
            con.circles.append((town.lon, town.lat, d * 1.5 + 5.0, az, max(0.0, d * 0.5 - 5.0)))
            con.labels.append(f"{d:g} km {_compass(az)} of {town.matched_name}")
            return self._shift(town, "offset", az, d * 1000.0,
                               _combine(town.uncertainty_m, max(2000.0, 400.0 * d)))  # fmt: skip
        con.circles.append((town.lon, town.lat, 60.0, az, 0.0))
        con.labels.append(f"{_compass(az)} of {town.matched_name}")
        return self._shift(town, "direction", az, DIRECTION_M,
                           _combine(town.uncertainty_m, DIRECTION_M))  # fmt: skip

    def _admin_keys(self, col: str) -> set[str]:
        cache = self.gaz.__dict__.setdefault("_admin_key_sets", {})
        if col not in cache:
            cache[col] = {_admin_key(str(a)) for a in self.gaz._table[col] if str(a)}
        return set(cache[col])

    def _area_of(self, name: str, col: str) -> _Result | None:
        """A district / sub-district as an area: its nahiya entry, else its main town."""
        key = _admin_key(name)
        table = self.gaz._table
        rows = table[(table["feature_type"] == "nahiya") & (
            table[col].map(lambda a: _admin_key(str(a))) == key
        )]  # fmt: skip
        if len(rows):
            row = rows.iloc[0]
            return _Result(
                "district" if col == "admin2" else "nahiya",
                lon=float(row["lon"]), lat=float(row["lat"]),
                uncertainty_m=float(row["uncertainty_m"]) * (2.0 if col == "admin2" else 1.0),
                matched_name=str(name), place_id=str(row["place_id"]),
                feature_type="district" if col == "admin2" else "nahiya", country="SY",
                admin1=str(row["admin1"]), admin2=str(row["admin2"]),
                admin3=str(row["admin3"]) if col == "admin3" else "", score=100.0,
            )  # fmt: skip
        return None

    def _river(self, name: str) -> np.ndarray | None:
        """An approximate line of the Euphrates through the towns on its banks."""
        if "euphrates" not in name.lower() and "فرات" not in name:
            return None
        cache = self.gaz.__dict__.setdefault("_river_line", {})
        if "euphrates" not in cache:
            pts = []
            for town in _EUPHRATES_TOWNS:
                best = self.gaz.best(town, threshold=101, country="SY")
                if best is not None:
                    pts.append((best.lon, best.lat))
            cache["euphrates"] = np.array(pts) if len(pts) >= 2 else None
        line: np.ndarray | None = cache["euphrates"]
        return line

    def _resolve_plain(self, q: str) -> _Result:
        for handler in (
            self._tanf,
            self._tripoint,
            self._between,
            self._offset,
            self._direction,
            self._near,
            self._governorate_phrase,
            self._road,
            self._border,
        ):
            res = handler(q)
            if res is not None:
                return res
        country = self.gaz.country(_THE_RE.sub("", q))
        if country is not None:
            return self._country(country)
        res = self.place(q)
        if not res.ok and self.gaz.roads is not None:
            road = self.gaz.road(_THE_RE.sub("", q))  # a bare road name: "M20"
            if road is not None:
                return self._road_result(road)
        return res

    def _country(self, row: Any) -> _Result:
        geom = row.geometry
        pt = geom.representative_point()
        return _Result(
            "country",
            lon=float(pt.x),
            lat=float(pt.y),
            uncertainty_m=_cover_radius(pt.x, pt.y, geom),
            matched_name=str(row["name"]),
            place_id=f"country:{row['country']}",
            feature_type="country",
            country=str(row["country"]),
            score=100.0,
            area=geom,
            notes=["only the country is known"],
        )

    def _sub(self, text: str) -> _Result:
        """Resolve the place inside a phrase (a bare place, else a governorate)."""
        return self.place(text)

    def _fail(self, rule: str, part: _Result) -> _Result:
        return _Result("unresolved", status="unresolved", reason=f"{rule}: {part.reason}")

    def _tanf(self, q: str) -> _Result | None:
        if not (_TANF_RE.search(q) or _AR_TANF_RE.search(q)):
            return None
        base = self.gaz.best("al-Tanf garrison", threshold=101)
        if base is None:
            return None
        res = self._from_entry(base)
        res.rule = "tanf_zone"
        res.status = "ok"
        res.notes = ["55 km deconfliction zone around the al-Tanf garrison"]
        res.uncertainty_m = TANF_ZONE_M
        res.area = _circle(res.lon, res.lat, TANF_ZONE_M)
        return res

    def _tripoint(self, q: str) -> _Result | None:
        if not _TRI_RE.search(q):
            return None
        best = self.gaz.best("Syria-Iraq-Jordan tri-border", threshold=101)
        if best is not None:
            res = self._from_entry(best)
        elif self.gaz.tripoint is not None and len(self.gaz.tripoint):
            pt = self.gaz.tripoint.geometry.iloc[0]
            res = _Result(
                "tripoint", lon=pt.x, lat=pt.y, matched_name="Syria-Iraq-Jordan tri-point",
                place_id="tripoint:SY-IQ-JO", feature_type="tripoint", country="SY", score=100.0,
            )  # fmt: skip
        else:
            return None
        res.rule = "tripoint"
        res.status = "ok"
        res.notes = ["the area around the Syria-Iraq-Jordan tri-point"]
        res.uncertainty_m = TRIPOINT_M
        return res

    def _between(self, q: str) -> _Result | None:
        m = _BETWEEN_RE.match(q) or _AR_BETWEEN_RE.match(q)
        if not m:
            return None
        a, b = self._sub(m.group(1)), self._sub(m.group(2))
        if not a.ok:
            return self._fail("between", a)
        if not b.ok:
            return self._fail("between", b)
        az, _, dist = GEOD.inv(a.lon, a.lat, b.lon, b.lat)
        lon, lat, _ = GEOD.fwd(a.lon, a.lat, az, dist / 2.0)
        res = _Result(
            "between",
            lon=float(lon),
            lat=float(lat),
            uncertainty_m=float(dist / 2.0 + max(a.uncertainty_m, b.uncertainty_m)),
            matched_name=f"{a.matched_name} / {b.matched_name}",
            place_id=f"{a.place_id}|{b.place_id}",
            feature_type="between",
            country=a.country if a.country == b.country else f"{a.country}|{b.country}",
            admin1=a.admin1 if a.admin1 == b.admin1 else "",
            score=min(a.score, b.score),
            status="ambiguous" if "ambiguous" in (a.status, b.status) else "ok",
            notes=[*a.notes, *b.notes, f"midpoint of a {dist / 1000:.0f} km segment"],
        )
        res.area = LineString([(a.lon, a.lat), (b.lon, b.lat)])
        return res

    def _offset(self, q: str) -> _Result | None:
        if _NEGATIVE_OFFSET_RE.match(q):
            return _Result(
                "unresolved",
                status="unresolved",
                reason="offset: a negative distance is not a location description",
            )
        m = _OFFSET_RE.match(q)
        if m:
            num, unit, direction, rest = m.groups()
            az = _DIRS[direction.lower()]
        else:
            m = _AR_OFFSET_RE.match(q)
            if not m:
                return None
            num, unit, direction, rest = m.groups()
            az = _AR_DIRS[direction]
        dist = float(num.replace(",", ".")) * _UNIT_M.get(unit.lower(), 1000.0)
        if dist <= 0 or dist > MAX_OFFSET_KM * 1000.0:
            return _Result(
                "unresolved",
                status="unresolved",
                reason=f"offset: a distance of {dist / 1000:g} km is not a plausible location "
                f"description (expected more than 0 and at most {MAX_OFFSET_KM:g} km)",
            )
        base = self._sub(rest)
        if not base.ok:
            return self._fail("offset", base)
        return self._shift(
            base, "offset", az, dist, _combine(base.uncertainty_m, max(2000.0, 0.4 * dist))
        )

    def _direction(self, q: str) -> _Result | None:
        m = _DIRECTION_RE.match(q)
        if m:
            az = _DIRS[m.group(1).lower()]
        else:
            m = _AR_DIRECTION_RE.match(q)
            if not m:
                return None
            az = _AR_DIRS[m.group(1)]
        base = self._sub(m.group(2))
        if not base.ok:
            return self._fail("direction", base)
        return self._shift(
            base, "direction", az, DIRECTION_M, _combine(base.uncertainty_m, DIRECTION_M)
        )

    def _shift(self, base: _Result, rule: str, az: float, dist: float, unc: float) -> _Result:
        lon, lat, _ = GEOD.fwd(base.lon, base.lat, az, dist)
        res = _Result(
            rule,
            lon=float(lon),
            lat=float(lat),
            uncertainty_m=unc,
            matched_name=base.matched_name,
            place_id=base.place_id,
            feature_type=base.feature_type,
            country=base.country,
            admin1=base.admin1,
            admin2=base.admin2,
            admin3=base.admin3,
            score=base.score,
            status=base.status,
            notes=[*base.notes, f"{dist / 1000:g} km at azimuth {az:g} from {base.matched_name}"],
        )
        return res

    def _near(self, q: str) -> _Result | None:
        m = _NEAR_RE.match(q) or _AR_NEAR_RE.match(q)
        if not m:
            return None
        cue, rest = m.group(1).lower(), m.group(2)
        rest = _PLAIN_PREFIX_RE.sub("", rest)
        base = self._sub(rest)
        if not base.ok:
            return self._fail("near", base)
        if base.rule != "name":
            return base  # e.g. "near the Homs desert": keep the area
        radius = OUTSKIRTS_M if ("outskirts" in cue or "أطراف" in cue or "اطراف" in cue
                                 or "ضواحي" in cue or "edge" in cue) else NEAR_M  # fmt: skip
        base_unc = base.uncertainty_m
        res = _Result(**{**asdict(base), "notes": list(base.notes)})
        res.rule = "near"
        res.uncertainty_m = _combine(base_unc, radius)
        res.notes.append(f"{cue!r}: within about {radius / 1000:g} km of {base.matched_name}")
        return res

    def _governorate_phrase(self, q: str) -> _Result | None:
        # the whole phrase may itself be a governorate alias ("Damascus countryside")
        m = _GOV_PREFIX_RE.match(q) or _RURAL_RE.match(q)
        kind, rest = (m.group(1), m.group(2)) if m else ("", "")
        if not m:
            m2 = _GOV_SUFFIX_RE.match(q)
            if m2:
                rest, kind = m2.group(1), m2.group(2)
            else:
                m3 = _AR_GOV_RE.match(q)
                if not m3:
                    return None
                kind, rest = m3.group(1), m3.group(2)
        whole = self.gaz.governorate(q)
        if whole is not None and normalize_name(q) != normalize_name(rest):
            res = self._governorate(whole)
            res.notes.append(f"{q!r} is a name of the governorate")
            return res
        kind = kind.lower()
        gov = self.gaz.governorate(rest)
        place = self.gaz.best(rest, threshold=101, **self.context)
        # "X countryside" / "the desert of X": the governorate when X names one, else X
        if gov is not None and (
            kind in {"province", "governorate", "محافظة"}
            or place is None
            or place.feature_type != "populated place"
            or match_facts(place)["population"] >= 100_000
            or normalize_name(place.name) == normalize_name(str(gov["name_en"]))
            or kind in {"ريف", "بادية", "أرياف", "ارياف", "البادية", "صحراء"}
        ):
            res = self._governorate(gov)
            res.notes.append(f"{kind!r} + {gov['name_en']}: governorate level")
            return res
        base = self._sub(rest) if place is None else self._from_entry(place)
        if not base.ok:
            if kind == "region":
                return None
            return self._fail(kind, base)
        if kind in {"province", "governorate"}:
            gov = self.gaz.governorate(base.admin1) if base.admin1 else None
            if gov is not None:
                res = self._governorate(gov)
                res.notes.append(f"{kind} of {base.matched_name}: its governorate")
                return res
        if base.rule != "name":
            return base
        res = _Result(**{**asdict(base), "notes": list(base.notes)})
        res.rule = "countryside"
        res.uncertainty_m = _combine(base.uncertainty_m, COUNTRYSIDE_M)
        res.notes.append(f"{kind!r} + {base.matched_name}: within about 20 km")
        return res

    def _road(self, q: str) -> _Result | None:
        m = _ROAD_RE.match(q)
        ar = _AR_ROAD_RE.match(q) if m is None else None
        if m is None and ar is None:
            return None
        if self.gaz.roads is None:
            return None
        body = m.group(1) if m else ar.group(1)  # type: ignore[union-attr]
        candidates = [q, body] + (
            [f"{body} {m.group(2)}", f"{body} highway", f"{body} road"] if m else []
        )
        if ar is not None:
            candidates += [f"طريق {body}", f"أوتوستراد {body}"]
        for cand in candidates:
            road = self.gaz.road(_LEAD_RE.sub("", cand))
            if road is not None:
                return self._road_result(road)
        # "X-Y road": two places, the shipped road that passes near both
        ends = self._split_pair(body)
        if ends is None:
            return None
        a, b = ends
        best_road, best_d = None, math.inf
        pa = _to_utm(Point(a.lon, a.lat))
        pb = _to_utm(Point(b.lon, b.lat))
        for _, road in self.gaz.roads.iterrows():
            line = _to_utm(road.geometry)
            d = max(line.distance(pa), line.distance(pb))
            if d < best_d:
                best_road, best_d = road, d
        if best_road is not None and best_d <= 20_000:
            res = self._road_result(best_road)
            res.notes.append(
                f"passes within {best_d / 1000:.0f} km of {a.matched_name} and {b.matched_name}"
            )
            return res
        line = LineString([(a.lon, a.lat), (b.lon, b.lat)])
        res = self._line_result(
            line, "road", f"{a.matched_name}-{b.matched_name} (straight line)", "", ROAD_BUFFER_M
        )
        res.notes.append("no shipped road joins them: the straight line between the two places")
        return res

    def _split_pair(self, body: str) -> tuple[_Result, _Result] | None:
        for m in _SPLIT_RE.finditer(body):
            left, right = body[: m.start()].strip(), body[m.end() :].strip()
            if not left or not right:
                continue
            a = self.place(left, allow_governorate=False)
            b = self.place(right, allow_governorate=False)
            if a.ok and b.ok and a.score >= 95 and b.score >= 95:
                return a, b
        if is_arabic(body):
            words = body.split()
            for i in range(1, len(words)):
                a = self.place(" ".join(words[:i]), allow_governorate=False)
                b = self.place(" ".join(words[i:]), allow_governorate=False)
                if a.ok and b.ok and a.score >= 95 and b.score >= 95:
                    return a, b
        return None

    def _road_result(self, road: Any) -> _Result:
        res = self._line_result(
            road.geometry, "road", str(road["name"]), f"road:{road['road_id']}", ROAD_BUFFER_M
        )
        res.notes.append("schematic road (approximate)")
        return res

    def _line_result(self, line: Any, rule: str, name: str, pid: str, buffer_m: float) -> _Result:
        utm = _to_utm(line)
        mid = _from_utm(utm.interpolate(0.5, normalized=True))
        area = _from_utm(utm.buffer(buffer_m))
        admin1 = ""
        if self.gaz.governorates is not None:
            hit = self.gaz.governorates[self.gaz.governorates.contains(mid)]
            admin1 = str(hit["name_en"].iloc[0]) if len(hit) else ""
        return _Result(
            rule,
            lon=float(mid.x),
            lat=float(mid.y),
            uncertainty_m=_cover_radius(mid.x, mid.y, line) + buffer_m,
            matched_name=name,
            place_id=pid,
            feature_type=rule,
            country="SY",
            admin1=admin1,
            score=100.0,
            area=area,
        )

    def _border(self, q: str) -> _Result | None:
        if not _BORDER_RE.search(q) or self.gaz.borders is None:
            return None
        words = re.findall(r"[^\W\d_]+", q.casefold())
        found = []
        for w in words:
            code = _NEIGHBOURS.get(w)
            if code is not None and code not in found:
                found.append(code)
        if len(found) != 1:
            return None
        rows = self.gaz.borders[self.gaz.borders["neighbour"] == found[0]]
        if not len(rows):
            return None
        row = rows.iloc[0]
        label = str(row.get("neighbour_name", found[0]))
        res = self._line_result(
            row.geometry,
            "border",
            f"Syria-{label} border",
            f"border:SY-{found[0]}",
            BORDER_BUFFER_M,
        )
        res.admin1 = ""
        return res


def _text(value: Any) -> str:
    """A text cell as str ("" for None / NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _clean(text: str) -> str:
    text = " ".join(str(text).split())
    text = _TRAIL_RE.sub("", _LEADP_RE.sub("", text))
    return text


# --------------------------------------------------------------------------- public API
def _as_series(names: Any) -> pd.Series:
    if isinstance(names, pd.Series):
        return names
    if isinstance(names, str) or names is None:
        return pd.Series([names], dtype=object)
    if isinstance(names, pd.DataFrame):
        raise InputError(
            "geocode() takes a name, a list of names or a Series; pass one column, "
            "e.g. geocode(df['place'])"
        )
    if isinstance(names, Iterable):
        return pd.Series(list(names), dtype=object)
    raise InputError(
        f"geocode() takes a name, a list of names or a Series, not {type(names).__name__}"
    )


def geocode(
    names: str | Sequence[str] | pd.Series,
    *,
    gazetteer: Gazetteer | None = None,
    threshold: float = 85.0,
    country: str | Sequence[str] | None = None,
    admin1: str | None = None,
    bbox: Sequence[float] | None = None,
    near: Sequence[float] | None = None,
    errors: str = "flag",
    uncertainty_geometry: bool = False,
    candidates: int = 0,
) -> gpd.GeoDataFrame:
    """Geocode place names and descriptive locations to points with uncertainty.

    Parameters
    ----------
    names : str, list of str or pandas.Series
        Names as reports write them, in Latin or Arabic script, or descriptive phrases
        ("outside the desert town of Sukhna", "20 km east of Palmyra", "rural Homs",
        "between Palmyra and Sukhna", "the 55 km area around the Tanf base",
        "along the Damascus-Baghdad highway", "the tri-border area",
        "the Syria-Iraq border", "ريف دير الزور"). See the module docstring for the
        rules, the radii and the precision codes.
    gazetteer : Gazetteer, optional
        Default :meth:`Gazetteer.default`; pass an extended one for your own places.
    threshold : float
        Minimum fuzzy score (0-100) for typo matches; ``101`` turns fuzzy matching off.
    country, admin1, bbox, near
        Context that ranks candidates of names that exist several times: ISO2 country
        code(s), a governorate (any spelling), a ``(minx, miny, maxx, maxy)`` box in
        degrees, a ``(lon, lat)`` reference point (candidates within 100 km first).
    errors : {"flag", "raise"}
        ``"flag"`` (default): unresolvable rows come back with ``status="unresolved"``,
        an empty point and a ``reason`` that lists the closest spellings. ``"raise"``:
        raise :class:`~desertgeo.GeocodeError` on the first such row.
    uncertainty_geometry : bool
        Add a column ``uncertainty_geometry`` (EPSG:4326) with the area each row stands
        for: a geodesic circle of ``uncertainty_m``, the governorate polygon, the 55 km
        circle, the buffered road or border line (see :func:`uncertainty_geometry`).
    candidates : int
        When > 0, add a column ``candidates``: the names of up to that many ranked
        candidates (``"name (place_id, layer score)"``, ``"; "``-joined) for bare names.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, aligned to the input (a list gets a RangeIndex, a Series keeps its
        index), columns ``query, matched_name, place_id, feature_type, country, admin1,
        score, geo_precision, where_prec, uncertainty_m, rule, status, reason, geometry``
        (``status``: "ok", "ambiguous" or "unresolved"; ``reason``: how the row was
        resolved, what was assumed, or why it failed). ``geo_precision`` and
        ``where_prec`` are ``Int8`` (``<NA>`` when unresolved).

    Raises
    ------
    GeocodeError
        With ``errors="raise"``, naming the query and the closest candidates.
    InputError
        For a bad ``errors`` value or input type.

    Examples
    --------
    >>> from desertgeo import geocode
    >>> res = geocode(["Tadmor", "outside the desert town of Sukhna", "Qaryatayn"])
    >>> list(res["matched_name"])
    ['Tadmur', 'As Sukhnah', 'Al Qaryatayn']
    >>> list(res["rule"]), [round(u / 1000) for u in res["uncertainty_m"]]
    (['name', 'near', 'name'], [3, 10, 3])
    >>> zone = geocode("the 55 km area adjacent to the Tanf base", uncertainty_geometry=True)
    >>> zone.loc[0, "rule"], zone.loc[0, "place_id"], float(zone.loc[0, "uncertainty_m"])
    ('tanf_zone', 'site:al-tanf-garrison', 55000.0)
    >>> geocode("Xqzzvw").loc[0, "status"]
    'unresolved'
    """
    if errors not in {"flag", "raise"}:
        raise InputError(f"errors must be 'flag' or 'raise', not {errors!r}")
    series = _as_series(names)
    gaz = gazetteer if gazetteer is not None else Gazetteer.default()
    context = {"country": country, "admin1": admin1, "bbox": bbox, "near": near}
    resolver = _Resolver(gaz, float(threshold), context)
    results = []
    for query in series.tolist():
        res = resolver.resolve(query)
        if errors == "raise" and not res.ok:
            raise GeocodeError(f"cannot geocode {query!r}: {res.reason}")
        results.append(res)
    return _frame(series, results, gaz, resolver, uncertainty_geometry, candidates)


def _frame(
    series: pd.Series,
    results: list[_Result],
    gaz: Gazetteer,
    resolver: _Resolver,
    with_area: bool,
    n_candidates: int,
) -> gpd.GeoDataFrame:
    where = [_where_prec(r.rule, r.uncertainty_m) for r in results]
    data: dict[str, Any] = {
        "query": pd.array(
            [q if isinstance(q, str) else None for q in series.tolist()], dtype="string"
        ),
        "matched_name": pd.array([r.matched_name for r in results], dtype="string"),
        "place_id": pd.array([r.place_id for r in results], dtype="string"),
        "feature_type": pd.array([r.feature_type for r in results], dtype="string"),
        "country": pd.array([r.country for r in results], dtype="string"),
        "admin1": pd.array([r.admin1 for r in results], dtype="string"),
        "admin2": pd.array([r.admin2 for r in results], dtype="string"),
        "admin3": pd.array([r.admin3 for r in results], dtype="string"),
        "score": np.array([r.score for r in results], dtype="float64"),
        "geo_precision": pd.array([_geo_prec(w) or None for w in where], dtype="Int8"),
        "where_prec": pd.array([w or None for w in where], dtype="Int8"),
        "uncertainty_m": np.array([r.uncertainty_m for r in results], dtype="float64"),
        "rule": pd.array([r.rule for r in results], dtype="string"),
        "status": pd.array([r.status for r in results], dtype="string"),
        "reason": pd.array([r.reason or "; ".join(r.notes) for r in results], dtype="string"),
    }
    geoms = [Point(r.lon, r.lat) if r.ok else None for r in results]
    out = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geoms, crs=4326).values, crs=4326)
    out.index = series.index
    if n_candidates > 0:
        cands = []
        for q, r in zip(series.tolist(), results, strict=False):
            if not isinstance(q, str) or r.rule not in {"name", "unresolved"}:
                cands.append("")
                continue
            frame = gaz.candidates(
                q, threshold=resolver.threshold, limit=n_candidates, **resolver.context
            )
            cands.append(
                "; ".join(
                    f"{row.name} ({row.place_id}, {row.layer} {row.score:.0f})"
                    for row in frame.itertuples(index=False)
                )
            )
        out["candidates"] = pd.array(cands, dtype="string")
    if with_area:
        areas = [_area(r) for r in results]
        out["uncertainty_geometry"] = gpd.GeoSeries(areas, crs=4326, index=out.index)
    return out


def _area(res: _Result) -> Any:
    if not res.ok:
        return None
    if res.area is not None and res.area.geom_type in {"Polygon", "MultiPolygon"}:
        return res.area
    if res.area is not None and res.rule == "between":
        utm = _to_utm(res.area)
        return _from_utm(utm.buffer(max(res.uncertainty_m - utm.length / 2.0, 1000.0)))
    return _circle(res.lon, res.lat, res.uncertainty_m)


def uncertainty_geometry(result: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """Geodesic circles of ``uncertainty_m`` around each point of a geocode result.

    For results made with ``geocode(..., uncertainty_geometry=True)`` the column of that
    name (with governorate polygons and buffered roads) is returned instead.

    Examples
    --------
    >>> from desertgeo.geocoder import geocode, uncertainty_geometry
    >>> circles = uncertainty_geometry(geocode(["Sukhna", "near Palmyra"]))
    >>> [round(a / 1e6) for a in circles.to_crs(32637).area]
    [7, 342]
    """
    if "uncertainty_geometry" in result.columns:
        return gpd.GeoSeries(result["uncertainty_geometry"], crs=4326, index=result.index)
    geoms: list[Any] = []
    for pt, radius in zip(result.geometry, result["uncertainty_m"], strict=False):
        if pt is None or pt.is_empty or not np.isfinite(radius):
            geoms.append(None)
        else:
            geoms.append(_circle(pt.x, pt.y, float(radius)))
    return gpd.GeoSeries(geoms, crs=4326, index=result.index, name="uncertainty_geometry")


# --------------------------------------------------------------------------- free text
# find_places and PlaceMention live in desertgeo.placetext (the geocoding layer above this)
#: A "head" that is a quantity, not a place ("nan km", "inf miles", "twenty km"): an offset
#: the offset rule refused, never a name to be located by its context.
_QUANTITY_RE = re.compile(
    r"^\s*(?:[-+]?(?:nan|inf(?:inity)?|\d[\d.,]*(?:e[-+]?\d+)?)|[a-z]+ty|ten|twenty)\s*"
    r"(?:km|kms|kilomet(?:er|re)s?|mi|miles?|m|metres?|meters?)\b",
    re.IGNORECASE,
)
