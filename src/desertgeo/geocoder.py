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
``district``   Tadmur district, Hit district                centre of the     2    3
                                                            circle over its
                                                            sub-districts
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
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.ops
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from shapely.geometry import LineString, Point, Polygon

from desertgeo._context import (
    _AR_DIR_WORDS,
    Clause,
    context_clause,
    distance_from,
    spelled_numbers,
    split_description,
    split_head_list,
    split_list,
)
from desertgeo._context import _SEP as _CONTEXT_SEP
from desertgeo._context import _dir as _direction_word
from desertgeo._errors import GeocodeError, InputError
from desertgeo._gaz_rank import OWN_NAME_LIKE, OWN_NAME_UNLIKE, Context
from desertgeo._geodesy import GEOD, compass, metric_transformer
from desertgeo._place import Place
from desertgeo.gazetteer import CLOSE_SIMILARITY, Gazetteer, make_place, match_facts, study_area
from desertgeo.names import (
    consonant_key,
    fold_name,
    fuzzy_key,
    is_arabic,
    loose_key,
    normalize_name,
)

__all__ = ["geocode", "uncertainty_geometry"]

_TO_UTM = metric_transformer()
_FROM_UTM = metric_transformer(inverse=True)

#: the fuzzy-match threshold of :func:`geocode` (0-100)
DEFAULT_THRESHOLD = 85.0
NEAR_M = 10_000.0
OUTSKIRTS_M = 5_000.0
COUNTRYSIDE_M = 20_000.0
DIRECTION_M = 15_000.0
TRIPOINT_M = 25_000.0
TANF_ZONE_M = 55_000.0
ROAD_BUFFER_M = 5_000.0
BORDER_BUFFER_M = 10_000.0
#: a town named with a border phrase stands for the border near it up to this far (km)
BORDER_NEAR_KM = 60.0
#: a place more than this far from a road is not "on" it (a road phrase then falls back)
ROAD_SNAP_M = 20_000.0
#: a fuzzy match below this score is flagged ``ambiguous`` (a guess, not an answer)
STRONG_FUZZY = 90.0
#: a normalised match whose spelling similarity is below this is flagged ``ambiguous``
WEAK_SIMILARITY = 80.0
#: a town named like its sub-district at least this closely (fuzzy key ratio) is its seat
SEAT_SIMILARITY = 80.0
#: closest spellings looked at for typos inside a description's context
FUZZY_CONTEXT_N = 40
#: how many loose spellings of a name among the places its context allows are kept
LOCAL_FUZZY_N = 5
#: how many contexts' key tables are kept between calls (each up to a few MB); the cache
#: is emptied when it grows past this
CONTEXT_MEMO_N = 128
#: the least similarity of consonant keys (names.consonant_key) for a match in context;
#: keys of three consonants or fewer must be equal
CONSONANT_SIMILARITY = 88.0
#: the least plain similarity of a loose match ("الشولا" and "السيال" share their consonants
#: and 25% of their letters: no spelling of one another)
LOOSE_MIN_SCORE = 50.0
#: how far from a list's confident members its other members are looked for (km)
LIST_REACH_KM = 50.0
#: offsets beyond this are not plausible descriptions of a place in the study area
MAX_OFFSET_KM = 400.0
#: two places named together ("the X-Y road", "between X and Y") are looked for within
#: this distance of each other before a pair farther apart is accepted
PAIR_KM = 150.0
#: two places named together this close need no look for nearer homonyms
PAIR_NEAR_KM = 40.0
#: "halfway between X and Y" as context: the segment's circle plus this margin (km)
BETWEEN_MARGIN_KM = 20.0
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
    "candidates",
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
    "israel": "IL", "israeli": "IL", "golan": "IL", "syria": "SY", "syrian": "SY",
    "سوريا": "SY", "السورية": "SY",
    "العراق": "IQ", "العراقية": "IQ", "الأردن": "JO", "الاردن": "JO", "الأردنية": "JO",
    "الاردنية": "JO", "تركيا": "TR", "التركية": "TR", "لبنان": "LB", "اللبنانية": "LB",
}  # fmt: skip

_NUM = r"(\d+(?:[.,]\d+)?)"
_APPROX = r"(?:(?:about|some|around|approximately|roughly|nearly|almost|over|more\s+than"
_APPROX += r"|less\s+than|up\s+to|just|only)\s+)?"
_OFFSET_RE = re.compile(
    rf"^{_APPROX}{_NUM}\s*-?\s*(km|kms|kilomet(?:er|re)s?|mi|miles?)\s+(?:to\s+the\s+)?"
    rf"({_DIR_ALT}|(?-i:NE|NW|SE|SW|N|S|E|W))\s+of\s+(.+)$",
    re.IGNORECASE,
)
_AR_OFFSET_RE = re.compile(
    rf"^(?:على\s+بعد\s+|على\s+مسافة\s+|نحو\s+|حوالي\s+)?{_NUM}\s*(كم|كيلومترا?|كيلومترات)\s+"
    rf"(?:إلى\s+ال|الى\s+ال)?({_AR_DIR_ALT})(?:ي|ا)?\s+(?:من\s+|مدينة\s+|بلدة\s+)?(.+)$"
)
#: "جنوب مدينة السخنة بنحو 20 كم": the direction and the town first, the distance after
_AR_OFFSET_AFTER_RE = re.compile(
    rf"^({_AR_DIR_ALT})(?:ي|ا)?\s+(?:مدينة\s+|بلدة\s+|قرية\s+)?(.+?)\s+(?:بنحو|بحوالي|بمسافة"
    rf"|على\s+بعد|على\s+مسافة|بـ?)\s*(?:نحو\s+|حوالي\s+)?{_NUM}\s*(كم|كيلومترا?|كيلومترات)$"
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
    r"^(?:(?:in\s+|on\s+)?(?:the|an?)\s+(?:(?:desert|open|rural|farm)\s+)?(?:area|region"
    r"|desert|land|lands|stretch|villages|towns|farms)\s+)?"
    r"(?:somewhere\s+|midway\s+|halfway\s+)?(?:between\s+(.+?)\s+and|from\s+(?!the\s+"
    r"(?:direction|side|area)\b)(.+?)\s+to)\s+(.+)$",
    re.I,
)
_AR_BETWEEN_RE = re.compile(r"^(?:ما\s+)?بين\s+(.+?)\s+و\s*(.+)$")
_NEAR_RE = re.compile(
    r"^(?:just\s+|right\s+|immediately\s+)?(outside(?:\s+of)?|near(?:by)?|close\s+to|next\s+to"
    r"|not\s+far\s+from|around|in\s+the\s+vicinity\s+of|the\s+vicinity\s+of|vicinity\s+of"
    r"|in\s+the\s+area\s+of|the\s+area\s+of|the\s+area\s+around|area\s+around"
    r"|(?:in\s+)?the\s+direction\s+of|towards?"
    r"|(?:in\s+|on\s+|at\s+)?the\s+(?:\w+ern\s+)?(?:outskirts|edge|edges|surroundings|periphery"
    r"|entrance|entrances|gates?)\s+(?:of|to)"
    r"|(?:outskirts|surroundings|periphery)\s+of)\s+(.+)$",
    re.IGNORECASE,
)
#: cues of "near" that mean the edge of the town itself: 5 km, not 10
_EDGE_WORDS = ("outskirts", "edge", "entrance", "gate", "أطراف", "اطراف", "ضواحي", "مدخل")
_AR_NEAR_RE = re.compile(
    r"^(?:في\s+|على\s+|عند\s+)?(بالقرب\s+من|قرب|قريبا\s+من|محيط|أطراف|اطراف|ضواحي|خارج"
    r"|(?:ال)?مدخل(?:\s+(?:ال)?(?:شمالي|جنوبي|شرقي|غربي))?\s+(?:ل|ب)?|مداخل)\s*"
    r"(?:مدينة\s+|بلدة\s+|قرية\s+)?(\S.*)$"
)
_GOV_PREFIX_RE = re.compile(
    rf"^(?:the\s+)?(?:{_DIRADJ}\s+)*(countryside|country-side|rural\s+areas?|deserts?|badia"
    r"|steppe|province|governorate|desert\s+areas?|desert\s+regions?|(?:oil|gas)\s+fields)"
    r"\s+(?:of|around)\s+"
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
#: what may stand beside a tri-point phrase: its three countries, articles and linking words
_ONLY_THE_THREE_RE = re.compile(
    r"(?:\b(?:the|a|an|area|region|zone|of|at|near|in|between|and|with|syria|syrian|iraq"
    r"|iraqi|jordan|jordanian)\b|[\s,;.-]|بين|مع|و|في|قرب|منطقة|سوريا|السورية|العراق"
    r"|العراقية|الأردن|الاردن|الأردنية)*",
    re.IGNORECASE,
)
_TRI_RE = re.compile(
    r"(?:\btri[\s-]?(?:border|point|state|junction)|\btriple[\s-](?:border|frontier|point)"
    r"|\bthree[\s-]border|\bborder\s+triangle|المثلث\s+الحدودي|^المثلث$"
    r"|\bsyrian?[\s-]+iraqi?[\s-]+jordan(?:ian)?\s+(?:triangle|border\s+area)"
    r"|\btriangle\s+of\s+syria,?\s+iraq\s+and\s+jordan)",
    re.IGNORECASE,
)
_ROAD_RE = re.compile(
    r"^(?:along|on|off|near|by|at|alongside|beside|astride|over|the\s+length\s+of)?\s*"
    r"(?:the\s+)?(.+?)\s+(?:international\s+|desert\s+)?(highway|motorway|road|route"
    r"|expressway|freeway)$",
    re.IGNORECASE,
)
_AR_ROAD_RE = re.compile(r"^(?:على\s+|قرب\s+)?(?:ال)?(?:طريق|أوتوستراد|اوتوستراد)\s+(.+)$")
_ROAD_NOUN = r"(?:highway|motorway|road|route|expressway|freeway)"
_ROAD_NAME = rf"(?:the\s+)?(?:[^,]+?\s+{_ROAD_NOUN}|M\s?\d{{1,2}}(?:\s+{_ROAD_NOUN})?)"
_ROAD_WORD_RE = re.compile(
    rf"\b(?:{_ROAD_NOUN}|M\s?\d{{1,2}})\b|طريق|أوتوستراد|اوتوستراد", re.IGNORECASE
)
_ROAD_BETWEEN_RE = re.compile(
    rf"^(?:along|on|off|near|at|by)?\s*(?:the\s+)?(?:(?P<road>.*?)\s*)?(?:{_ROAD_NOUN}|stretch"
    r"|(?<=\bM)\s?\d{1,2})\s+(?:between|from|linking|connecting|joining)\s+(?P<a>.+?)"
    r"\s+(?:and|to|with)\s+(?P<b>.+)$",
    re.IGNORECASE,
)
_AR_ROAD_BETWEEN_RE = re.compile(
    r"^(?:على\s+|في\s+)?(?:ال)?(?:طريق|أوتوستراد|اوتوستراد)(?P<road>)\s+"
    r"(?:الواصل\s+|الرابط\s+|الذي\s+يربط\s+)?بين\s+(?P<a>.+?)\s+و\s*(?P<b>.+)$"
)
_PLACE_ON_ROAD_RE = re.compile(
    rf"^(?:at|near|by|outside)?\s*(?:the\s+)?(?P<where>.+?)\s*,?\s+(?:on|along|off|by)\s+"
    rf"(?P<road>{_ROAD_NAME})$",
    re.IGNORECASE,
)
_ROAD_THEN_PLACE_RE = re.compile(
    rf"^(?:on|along|off|at)\s+(?P<road>{_ROAD_NAME})\s*,?\s+(?P<where>(?:near|at|outside"
    r"|close\s+to|by|not\s+far\s+from|\d+(?:[.,]\d+)?\s*-?\s*(?:km|kms|kilomet\w*|miles?)\s+"
    rf"(?:to\s+the\s+)?(?:{_DIR_ALT})\s+of|(?:just\s+)?(?:{_DIR_ALT})\s+of)\s+.+)$",
    re.IGNORECASE,
)
_CHECKPOINT_RE = re.compile(
    r"^(?:at|near|by|outside)\s+(?:the\s+)?|\s+(?:checkpoint|check\s+point|junction"
    r"|crossroads?|roundabout|bridge|intersection|turn-?off)s?$",
    re.IGNORECASE,
)
#: "the Iraqi border town of X", "the Jordanian village of X": a place of that country
_COUNTRY_TOWN_RE = re.compile(
    r"^(?:the\s+)?(iraqi|jordanian|lebanese|turkish|israeli|syrian)\s+(?:(?:border|desert"
    r"|frontier|small|remote|nearby)\s+)*(?:town|city|village|hamlet|settlement|area|region"
    r"|district|province|governorate)\s+of\s+(.+)$",
    re.IGNORECASE,
)
_BORDER_TOWN_RE = re.compile(
    r"\bborder\s+(?:town|city|village|hamlet|settlement|crossing|post|point)s?\b",
    re.IGNORECASE,
)
_ON_BORDER_RE = re.compile(
    r"^(.+?)\s*,?\s+((?:on|near|along|at|by|close\s+to|next\s+to)\s+the\s+(?:[\w-]+\s+){0,2}"
    r"borders?(?:\s+(?:with|of)\s+.+)?)$",
    re.IGNORECASE,
)
_BORDER_RE = re.compile(r"\bborders?\b|الحدود|الشريط\s+الحدودي", re.IGNORECASE)
#: "مدينة البوكمال على الحدود السورية العراقية": the town named, not the border line
_AR_ON_BORDER_RE = re.compile(
    r"^(.+?)\s+((?:على|قرب|عند|بالقرب\s+من|قرب)\s+(?:ال)?(?:حدود|الحدود|الشريط\s+الحدودي).*)$"
)
_LEAD_RE = re.compile(r"^(?:in|at|from|to|into|inside|within|on)\s+(?:the\s+)?", re.IGNORECASE)
_THE_RE = re.compile(r"^the\s+", re.IGNORECASE)
_ADMIN1_AFFIX_RE = re.compile(
    r"^(?:al|el)[\s-]+|^(?:district|governorate|province)\s+of\s+|\s+(?:governorate|province)$",
    re.IGNORECASE,
)
_AREA_KINDS = frozenset({"desert", "deserts", "badia", "steppe", "region", "desert areas"})
#: an Arabic plural in -iyat ("al-Husseiniyat") is not the singular -iya town
_PLURAL_RE = re.compile(r"(?:iy|i|y)at$", re.IGNORECASE)
#: a context clause that reads like a place phrase: up to six words, no shouted (all
#: capitals) or code-like tokens
_PLACE_LIKE_RE = re.compile(
    r"^(?!.*\b[A-Z]{3,}\b)(?!.*[=<>{}\[\]|\\])(?:[^\W\d_][\w'’.-]*\s*){1,6}$"
)
#: rules whose point is a named place (or a fixed offset from one)
_NAME_RULES = frozenset({"name", "near", "offset", "direction", "countryside"})
#: areas and lines that span borders (the al-Tanf zone, the tri-point, roads, borders): their
#: recorded country is not a claim that the place lies only there
_LINE_RULES = frozenset({"tanf_zone", "tripoint", "road", "border"})
_GOV_WORD_RE = re.compile(r"\s+(?:province|governorate)$", re.IGNORECASE)
#: a facility named in a description ("Al-Hassan School in Mayadin", "حاجز لقسد في بلدة
#: ذيبان"): the place is the town it stands in
_FACILITY_RE = re.compile(
    r"\b(?:school|checkpoint|check\s+point|hospital|roundabout|spring|airport|building|mosque"
    r"|church|bridge|square|headquarters?|hq|office|prison|market|bakery|well|post|position"
    r"|factory|warehouse|junction|crossing|silo|plant|clinic|stadium|house|home|hotel)s?\b"
    r"|حاجز|مقر|مبنى|مدرسة|مشفى|مستشفى|نقطة|موقع|دوار|جامع|مسجد|سوق|فرن|جسر|بئر|محطة|معمل"
    r"|مفرزة|ثكنة|منزل|بيت|فندق|ملعب",
    re.IGNORECASE,
)
FACILITY_M = 3_000.0
#: a named quarter of a town: looked for within this many km of the town's point (or
#: twice its uncertainty), and when not found, the town with this uncertainty added
QUARTER_CONTEXT_KM = 6.0
QUARTER_M = 3_000.0
#: a head that names a quarter of a town ("the Tammo neighbourhood", "حي الجورة")
_QUARTER_HEAD_RE = re.compile(
    r"\b(?:neighbou?rhood|neighborhood|quarter)$|^(?:the\s+)?(?:neighbou?rhood|neighborhood"
    r"|quarter)\s+of\s|^حي\s",
    re.IGNORECASE,
)
#: "X's Y" where Y is a part or a kind of place ("Palmyra's ancient city"); never the
#: apostrophe of a name ("Ra's al-Ayn": the next word is no such noun)
_POSSESSIVE_RE = re.compile(
    r"^(?:the\s+)?([A-Z][\w'’ -]*?)(?<!\bRa)(?<!\bra)['’]s\s+"
    r"((?:(?:ancient|old|historic|eastern|western|northern|southern|central|main|new)\s+|(?:[A-Z]|(?:al|el|as|ash|ad|ar|at|an|az)-)[\w'’-]*\s+)"
    r"{0,3}(?:town|city|village"
    r"|district|neighbou?rhood"
    r"|quarter|countryside|desert|badia|outskirts|suburbs|airport|airbase|ruins|citadel|castle"
    r"|prison|camp|bridge|dam|market|square|hospital|stadium|centre|center)s?\b.*)$"
)
#: a context that describes where a place lies rather than narrowing it down
_SOFT_CLAUSE_RE = re.compile(
    r"^(?:on|along)\s|^(?:على\s+)?(?:ال)?(?:طريق|أوتوستراد|اوتوستراد)\s", re.IGNORECASE
)
#: one-word heads that tell what happened ("clashes near X", "airstrikes on X")
_EVENT_TEXT = (
    "attack attacks airstrike airstrikes strike strikes clashes clash explosion explosions"
    " ied ieds landmine landmines mine mines ambush ambushes bombing bombings shelling drone"
    " drones patrol patrols convoy convoys fighting battles raid raids killings kidnapping"
    " abductions assassination assassinations executions"
)
_EVENT_WORDS = frozenset(_EVENT_TEXT.split(" "))
#: "X and its countryside / surroundings": the countryside of X
_AND_ITS_RE = re.compile(
    r"^(.+?)\s+and\s+its\s+(countryside|surroundings|environs|outskirts|vicinity|desert)$",
    re.IGNORECASE,
)
_AR_AND_ITS_RE = re.compile(r"^(\S+(?:\s+\S+)?)\s+و(ريف|بادية|محيط)ها$")
#: the spaced dash of a path of names ("Deir ez-Zor - Al-Mayadin - Mahkan")
_PATH_DASH_RE = re.compile(r"\s+[-–—]\s+")
#: first-level units across the border as event data spell them (ACLED: "Ninewa")
_ADMIN1_ALIASES = {
    "Ninewa": "Nineveh", "Ninawa": "Nineveh", "Nainawa": "Nineveh", "Niniveh": "Nineveh",
    "Ninevah": "Nineveh", "نينوى": "Nineveh", "الأنبار": "Anbar", "الانبار": "Anbar",
    "المفرق": "Mafraq", "Al Mafraq": "Mafraq",
}  # fmt: skip
#: a district by its name ("Tadmur district", "the Abu Kamal district", "منطقة تدمر" is not:
#: mintaqa is also "area")
_DISTRICT_RE = re.compile(r"^(?:the\s+)?([^\W\d_][\w'’ -]*?)\s+district$", re.IGNORECASE)
#: the Syrian Desert as a whole (the Badia of Syria, Jordan, Iraq and Saudi Arabia)
_WHOLE_DESERT_RE = re.compile(
    r"^(?:in\s+|across\s+)?(?:the\s+|al[\s-]|el[\s-])?(?:(?:vast|central|eastern|southern"
    r"|northern|open)\s+)?"
    r"(?:syrian\s+(?:desert|badiy?a|steppe)|badiy?a(?:\s+al[\s-]sham)?|badiyat\s+al[\s-]sham"
    r"|the\s+badia\s+desert)$"
    r"|^(?:في\s+)?(?:بادية\s+الشام|البادية\s+السورية|البادية|الصحراء\s+السورية)$",
    re.IGNORECASE,
)
#: a head of generic words only ("areas", "the villages"): no name to spell loosely
_GENERIC_HEAD_RE = re.compile(
    r"^(?:the\s+|some\s+|several\s+)?(?:areas?|villages?|towns?|positions?|parts?|regions?"
    r"|sites?|points?|farms?|lands?|outskirts|desert|countryside|vicinity|surroundings"
    r"|locations?|places?|hills?|mountains?|fields?|badiy?a|steppe)$",
    re.IGNORECASE,
)
#: a natural feature's name (valley, mountain, hill): never a village's loose spelling
_NATURAL_NAME_RE = re.compile(
    r"^(?:the\s+)?(?:wadi|wady|wadiy|jabal|jebel|jabel|jbel|djebel)[\s-]|^(?:وادي|جبل)\s",
    re.IGNORECASE,
)
#: words that make a head a place said in words, not an event ("the third station")
_PLACE_NOUN_RE = re.compile(
    r"\b(?:station|base|camp|field|fields|well|wells|dam|airport|airbase|hill|hills|mountain"
    r"|mountains|jabal|wadi|valley|area|areas|village|villages|town|towns|city|farm|farms"
    r"|plant|crossing|site|sites|desert|region|district|neighbou?rhood|quarter)s?\b",
    re.IGNORECASE,
)
#: capitalised words of a head that tells what happened: the parties and their adjectives
_PARTY_TEXT = (
    "russian russians american americans iranian iranians turkish israeli syrian iraqi"
    " jordanian kurdish coalition regime government islamic state daesh hezbollah"
)
_PARTY_WORDS = frozenset(_PARTY_TEXT.split(" "))
_DIRECTION_WORD_RE = re.compile(rf"\b(?:{_DIR_ALT})\b", re.IGNORECASE)
#: a base or airport the gazetteer does not know, named after a place it does ("the
#: Khalkhalah airbase", "Tha'lah Military Airbase", "the Kuweires military airport"): the
#: place it is named after, with NAMED_SITE_M added to its uncertainty (such bases lie a
#: few km from their village: Tha'lah's 3 km west of it)
_NAMED_SITE_RE = re.compile(
    r"^(?:the\s+)?(.+?)\s+(?:(?:military|air|army)\s+)*(?:air\s*base|airbase|airport"
    r"|air\s*field|airfield|air\s+strip|airstrip|helipad|base|barracks)$",
    re.IGNORECASE,
)
NAMED_SITE_M = 8_000.0
#: a checkpoint, bridge or roundabout named after the village it stands by ("the Tabni
#: checkpoint"): the village, with FACILITY_M added
_NAMED_POST_RE = re.compile(
    r"^(?:the\s+)?(.+?)\s+(?:check\s*point|roadblock|barrier|roundabout|bridge|junction"
    r"|crossroads?|intersection)$",
    re.IGNORECASE,
)
_NAHIYA_RE = re.compile(r"nahi|sub-?district|ناحية", re.IGNORECASE)
_PLAIN_PREFIX_RE = re.compile(
    rf"^(?:the\s+)?(?:{_DESCRIPTOR}|(?:[^\W\d_][\w'-]*\s+){{0,3}}?(?:town|city|village|hamlet"
    r"|settlement|oasis|area|region|district|locality|neighbou?rhood|neighborhood|quarter"
    r"|suburb|airport|airbase|air\s+base|base|prison|hospital|dam|bridge|station|castle"
    r"|citadel|ruins|fields?|farms|outskirts|lands|point|edge|part|side|corner|end)\s+of\s+)",
    re.IGNORECASE,
)
_PLAIN_SUFFIX_RE = re.compile(
    r"\s+(?:city|town|village|area|region|district|sub-?district|municipality|neighbou?rhood"
    r"|quarter|hamlet|farms?|(?:(?:displaced\s+persons?|idp|refugee|displacement)\s+)?camp"
    r"|facility|compound|complex|installation|crossroads?|junction|intersection|roundabout"
    r"|pocket|enclave|axis|front|frontline|sector)$",
    re.I,
)
_AR_PLAIN_PREFIX_RE = re.compile(
    r"^(?:في\s+)?(?:(?:مبنى|بلدية|مقر|حاجز|مدرسة|مشفى|مستشفى|جامع|مسجد|سوق|فرن|جسر|دوار|محطة"
    r"|مفرزة)\s+)*(?:(?:مدينة|بلدة|قرية|منطقة|ناحية|قضاء|حي|بلدتي|بلدتا|قريتي|قريتا|مدينتي|مدينتا)"
    r"\s+)?(?=\S)"
)
#: adjectives reporters put before a site's name ("the strategic Dumayr airbase")
_ADJ_RE = re.compile(
    r"^(?:the\s+)?(?:(?:strategic|nearby|besieged|key|main|ancient|historic(?:al)?|military"
    r"|russian|iranian|american|us|u\.s\.|coalition|regime|government|sdf|isis|former|old|new"
    r"|so-called|infamous|notorious|large|big|small|vast|remote)\s+)+",
    re.IGNORECASE,
)
#: the qualifier that tells apart villages of one name (north / south / east / west,
#: middle, upper / lower, big / small) at the end of a name, Latin and Arabic
_QUALIFIER_RE = re.compile(
    r"\s+(?:(?:al|el|as|ash|es|esh|at|et)[\s-])?(?:wusta|wista|sharqi|gharbi|shamali|janoubi"
    r"|janubi|jnubi|qibli|kibli|fawqani|foqani|tahtani|kabir|kebir|saghir|sghir|zghir|atiq"
    r"|ateeq|jadid|jdid|jadeed)"
    r"(?:ya|yah|yeh|ye|iya|iyah|a|ah|e|eh)?$"
    r"|\s+(?:الوسطى|الشرقي|الشرقية|الغربي|الغربية|الشمالي|الشمالية|الجنوبي|الجنوبية|القبلي"
    r"|القبلية|الفوقاني|التحتاني|الكبير|الكبيرة|الصغير|الصغيرة|عتيق|العتيق|الجديد|الجديدة)$",
    re.IGNORECASE,
)
#: "southern" written two ways in village names: janubi and qibli (WOF mostly has Qibli)
_QUALIFIER_SYNONYMS = (
    (re.compile(r"(?<=\s)(?:(?:al|el)[\s-])?j(?:a|e)n(?:ou|u|o)bi(ya|yah|yeh|a|ah)?$", re.I),
     r"al Qibli\1"),
    (re.compile(r"(?<=\s)الجنوبي(ة?)$"), r"القبلي\1"),
)  # fmt: skip
#: a phrase about a place, not a place: "a patrol passing next to the town of X", "a local
#: gunman from X town", "positions in X", "villages like X", "the direction of X"; the first
#: linking word that does not follow an admin area's word ("the countryside of Homs" and
#: "the Central Province of Homs" name the area, not the town), a distance or a direction
#: ("nan km east of Palmyra" is a broken offset, not Palmyra)
_TAIL_RE = re.compile(
    r"^(?:(?!(?:province|governorate|countryside|district|desert|badia|steppe|region|rural"
    r"|sub-?district|nahiya|outskirts|suburbs|environs|vicinity|kms?|kilomet\w*|miles?"
    r"|met(?:er|re)s?|(?:north|south|east|west)\w*)\s)[^\W\d_][\w'’.-]*\s+)"
    r"{1,8}?(?:of|from|in|into|near|like|to|towards?|inside|at|opposite|outside|around|by)\s+"
    r"(.+)$",
    re.IGNORECASE,
)
#: where the name ends: the next linking word ("Darwishiya of the Jub al-Jarrah district")
_TAIL_END_RE = re.compile(
    r"\s+(?:of|from|in|into|near|like|to|towards?|inside|at|opposite|outside|around|by|on)\s.*$",
    re.IGNORECASE,
)
_NAME_START_RE = re.compile(r"^[^\W\d_]")
_SPLIT_RE = re.compile(r"\s*(?:-|–|—|\bto\b|/)\s*")
_TRAIL_RE = re.compile(r"[\s.,;:!?\"'()\[\]]+$")
_LEADP_RE = re.compile(r"^[\s.,;:!?\"'()\[\]]+")


# --------------------------------------------------------------------------- results
def _note(place: Place, *notes: str) -> Place:
    """``place`` with ``notes`` appended to its reason (``"; "``-joined)."""
    parts = [p for p in (place.reason, *notes) if p]
    return place.derive(reason="; ".join(parts))


def _where_prec(rule: str, unc: float) -> int:
    if rule == "unresolved":
        return 0
    if rule == "governorate":
        return 4
    if rule == "road" and unc <= 25_000:
        return 2  # a point on a road near a named place, or a short stretch
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


#: the reach of a half-plane drawn from a city (beyond any governorate)
HALF_PLANE_M = 900_000.0
_PHRASE_DIR_RE = re.compile(
    r"^(?:in\s+)?(?:the\s+)?((?:north|south)[\s-]?(?:east|west)ern|northern|southern|eastern"
    r"|western)\s",
    re.IGNORECASE,
)


#: Arabic direction adjectives ("الشرقي"), longest first ("الشمالي الشرقي" before "الشرقي")
_AR_DIR_ADJECTIVES = tuple(
    sorted((w for w in _AR_DIR_WORDS if w.startswith("ال")), key=len, reverse=True)
)


def _phrase_azimuth(q: str) -> float | None:
    """The side a regional phrase names ("the eastern Homs countryside", "ريف حمص الشرقي")."""
    m = _PHRASE_DIR_RE.match(q)
    if m:
        return _direction_word(m.group(1))
    for word in _AR_DIR_ADJECTIVES:
        if q.endswith(" " + word):
            return _AR_DIR_WORDS[word]
    return None


def _centre_of(cols: dict[str, np.ndarray], rows: np.ndarray) -> tuple[float, float, np.ndarray]:
    """The mean point of gazetteer ``rows`` and each row's geodesic distance to it (m)."""
    lon0, lat0 = float(np.mean(cols["lon"][rows])), float(np.mean(cols["lat"][rows]))
    k = len(rows)
    _, _, d = GEOD.inv(np.full(k, lon0), np.full(k, lat0), cols["lon"][rows], cols["lat"][rows])
    return lon0, lat0, np.asarray(d)


def _unit_consonants(name: str) -> str:
    """The consonants of an admin unit's name, its article and "Markaz" left out."""
    name = re.sub(r"^(?:markaz|mantiqat|nahiyat)\s+", "", name.strip(), flags=re.IGNORECASE)
    return consonant_key(loose_key(fuzzy_key(name)))


def _place_in_region(head: str, res: Place, fallback: Place | None) -> Place | None:
    """ "في ريف حمص الشرقي قرب السخنة", "the eastern Homs countryside, near al-Sukhnah": a
    head that is a governorate's region and a place of the context inside it: the place."""
    if (
        res.ok
        and res.rule == "governorate"
        and fallback is not None
        and fallback.rule != "governorate"
        and fallback.uncertainty_m < res.uncertainty_m
        and normalize_name(fallback.admin1) == normalize_name(res.admin1)
    ):
        return _note(fallback, f"{head!r} is the region the place lies in")
    return None


def _area_place(geom: Any, pt: Any, **fields: Any) -> Place:
    """An area as an answer: ``pt`` as its point, the radius that covers ``geom``."""
    return Place(
        lon=float(pt.x), lat=float(pt.y), score=100.0, status="ok",
        uncertainty_m=_cover_radius(pt.x, pt.y, geom), **fields,
    )  # fmt: skip


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
SECTOR_DEG = 67.5
#: a direction's half-plane, the fallback when its sector holds no candidate
WIDE_SECTOR_DEG = 90.0
#: how far the places of a description's context reach (km): "near X", "the countryside
#: of X", "east of X" (reporters use these for villages 30-90 km out in the desert)
NEAR_CONTEXT_KM = 75.0
COUNTRYSIDE_CONTEXT_KM = 75.0
DIRECTION_CONTEXT_KM = 150.0
RIVER_TOLERANCE_KM = 3.0


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


_TEXT_COLS = ("place_id", "name", "feature_type", "country", "admin1", "admin2", "admin3")
_NUM_COLS = ("population", "lon", "lat", "uncertainty_m", "importance")


#: what the geocoder derives once per gazetteer (column arrays, admin keys, the river
#: line); weak keys, so a gazetteer that goes away takes its entry with it
_GAZ_MEMO: weakref.WeakKeyDictionary[Gazetteer, dict[str, Any]] = weakref.WeakKeyDictionary()


def _gaz_memo(gaz: Gazetteer) -> dict[str, Any]:
    memo = _GAZ_MEMO.get(gaz)
    if memo is None or memo.get("__table__") is not gaz._table:
        memo = _GAZ_MEMO[gaz] = {"__table__": gaz._table}
    return memo


def _columns(gaz: Gazetteer) -> dict[str, np.ndarray]:
    """The gazetteer's columns as arrays, plus admin match keys (rebuilt when it grows)."""
    cache = _gaz_memo(gaz).get("columns")
    table = gaz._table
    if cache is None or cache[0] is not table:
        cols: dict[str, np.ndarray] = {}
        for col in _TEXT_COLS:
            conv = _admin_text if col.startswith("admin") else _text
            cols[col] = np.array([conv(v) for v in table[col].tolist()], dtype=object)
        for col in _NUM_COLS:
            cols[col] = pd.to_numeric(table[col], errors="coerce").to_numpy(dtype="float64")
        memo: dict[str, str] = {}
        for col, keyf in (
            ("admin1", normalize_name),
            ("admin2", _admin_key),
            ("admin3", _admin_key),
        ):
            keys = []
            for v in cols[col]:
                k = memo.get(col + "\0" + v)
                if k is None:
                    k = memo[col + "\0" + v] = keyf(v) if v else ""
                keys.append(k)
            cols[f"{col}_key"] = np.array(keys, dtype=object)
        cache = (table, cols)
        _gaz_memo(gaz)["columns"] = cache
    out: dict[str, np.ndarray] = cache[1]
    return out


def _record(cols: dict[str, np.ndarray], i: int, **match: Any) -> dict[str, Any]:
    """Row ``i`` of the gazetteer as a candidate record, with its match facts."""
    row: dict[str, Any] = {c: cols[c][i] for c in _TEXT_COLS}
    row.update({c: float(cols[c][i]) for c in _NUM_COLS})
    row.update(match)
    return row


def _every_row(gaz: Gazetteer) -> _Cands:
    """Every gazetteer row as candidates without records (for a context's mask)."""
    memo = _gaz_memo(gaz)
    hit = memo.get("every_row")
    if hit is None:
        cols = _columns(gaz)
        hit = memo["every_row"] = _Cands(
            records=[],
            lon=cols["lon"],
            lat=cols["lat"],
            country=cols["country"],
            keys={c: cols[f"{c}_key"] for c in ("admin1", "admin2", "admin3")},
        )
    return hit


#: the word for a ruin, farm or hamlet before a village's name in the gazetteer ("Khirbat
#: Duwayzin", "Mazraat X") that reports leave out ("the Duwayzin area"), as a fuzzy key
_GENERIC_PREFIX_KEY_RE = re.compile(r"^(?:kh[ie]rb[aei]t|mazra[ae]?t|karyat|izbat|ezbet)")
#: the shortest loose key left without the generic word ("Khirbat `Ayyash" leaves "aias",
#: which "areas" is like): shorter ones match common words
GENERIC_BARE_MIN = 6


def _row_keys(gaz: Gazetteer) -> list[list[tuple[str, str]]]:
    """Each row's fuzzy match keys, each with its :func:`~desertgeo.names.loose_key`; a key
    with a generic first word ("Khirbat", "Mazraat") also without it (only the
    context-local loose match uses these keys: never a gazetteer-wide alias)."""
    memo = _gaz_memo(gaz)
    hit = memo.get("row_keys")
    if hit is None:
        n = len(_columns(gaz)["lon"])
        hit = [[] for _ in range(n)]
        owners = gaz._index.fuzzy_owner
        for key in owners:
            pairs = [(key, loose_key(key))]
            bare = _GENERIC_PREFIX_KEY_RE.sub("", key)
            if bare != key and len(loose_key(bare)) >= GENERIC_BARE_MIN:
                pairs.append((bare, loose_key(bare)))
            for r in owners[key]:
                if r < n:
                    hit[r].extend(pairs)
        memo["row_keys"] = hit
    return hit


@dataclass(frozen=True)
class _Cands:
    """The ranked candidates of one name (as :meth:`Gazetteer.candidates`) as arrays."""

    records: list[dict[str, Any]]
    lon: np.ndarray
    lat: np.ndarray
    country: np.ndarray
    keys: dict[str, np.ndarray]

    @classmethod
    def of(cls, gaz: Gazetteer, name: str, threshold: float, limit: int = 80) -> _Cands:
        cols = _columns(gaz)
        ranked = gaz._ranker.rank(name, threshold, Context(), limit)
        idx = np.array([c.entry for c, _ in ranked], dtype="int64")
        records = [
            _record(
                cols, c.entry, matched=c.matched, layer=c.layer, score=c.score, context=c.context
            )
            for c, _dist in ranked
        ]
        return cls(
            records=records,
            lon=cols["lon"][idx],
            lat=cols["lat"][idx],
            country=cols["country"][idx],
            keys={c: cols[f"{c}_key"][idx] for c in ("admin1", "admin2", "admin3")},
        )


@dataclass
class _Constraint:
    """What a description's context allows: admin units, circles / sectors, a river bank."""

    admin1: set[str] = field(default_factory=set)
    admin2: set[str] = field(default_factory=set)
    admin3: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    # (lon, lat, max km, azimuth or None, min km, sector half-width in degrees, group):
    # a candidate must lie in one circle of every group
    circles: list[tuple[float, float, float, float | None, float, float, int]] = field(
        default_factory=list
    )
    # district / sub-district reference areas (lon, lat, km) for candidates whose own
    # admin2 / admin3 is unknown (GeoNames rows carry none)
    refs: dict[str, list[tuple[float, float, float]]] = field(default_factory=dict)
    # governorate polygons, for candidates whose own admin1 is unknown (curated sites)
    areas: list[Any] = field(default_factory=list)
    river: tuple[np.ndarray, int] | None = None
    labels: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return "; ".join(self.labels)

    @property
    def key(self) -> tuple[Any, ...]:
        """A hashable key of what the constraint allows (for caches)."""
        return (
            frozenset(self.admin1), frozenset(self.admin2), frozenset(self.admin3),
            frozenset(self.countries), tuple(self.circles),
            None if self.river is None else self.river[1],
        )  # fmt: skip

    def add_circle(
        self,
        lon: float,
        lat: float,
        r_km: float,
        az: float | None = None,
        min_km: float = 0.0,
        half: float = SECTOR_DEG,
        *,
        group: int | None = None,
    ) -> int:
        """Add a circle (or sector); circles of one ``group`` are alternatives."""
        gid = len(self.circles) if group is None else group
        self.circles.append((lon, lat, r_km, az, min_km, half, gid))
        return gid

    def fit(self, cands: _Cands, rows: np.ndarray) -> np.ndarray:
        """How far each candidate in ``rows`` lies from the context's reference points
        (a sum of distances over radii: smaller fits better)."""
        out = np.zeros(len(rows))
        seen: set[int] = set()
        for lon0, lat0, r_km, _az, _min_km, _half, gid in self.circles:
            if gid in seen:
                continue
            seen.add(gid)
            _, _, d = GEOD.inv(
                np.full(len(rows), lon0), np.full(len(rows), lat0),
                cands.lon[rows], cands.lat[rows],
            )  # fmt: skip
            out += np.asarray(d) / 1000.0 / max(r_km, 1.0)
        return out

    def admin1_only(self, name: str) -> bool:
        if self.admin1 and normalize_name(name) not in self.admin1:
            return False
        return not (self.admin2 or self.admin3 or self.circles or self.river)

    @property
    def has_sector(self) -> bool:
        """Whether a circle of the context is a direction's sector."""
        return any(c[3] is not None and c[5] < WIDE_SECTOR_DEG for c in self.circles)

    def mask(self, cands: _Cands, *, wide: bool = False) -> np.ndarray:
        """Which candidates the context allows (``wide``: a direction as a half-plane,
        +-90 degrees, for when its sector allows none)."""
        n = len(cands.lon)
        ok = np.ones(n, dtype=bool)
        if self.countries:
            ok &= np.isin(cands.country, list(self.countries))
        lon, lat = cands.lon, cands.lat
        for col in ("admin1", "admin2", "admin3"):
            wanted = getattr(self, col)
            if wanted:
                keys = cands.keys[col]
                hit = np.isin(keys, list(wanted))
                if col == "admin1" and self.areas:
                    blank = np.flatnonzero(~hit & (keys == ""))
                    if len(blank):
                        inside = np.zeros(len(blank), dtype=bool)
                        for area in self.areas:
                            inside |= shapely.contains_xy(area, lon[blank], lat[blank])
                        hit[blank[inside]] = True
                refs = self.refs.get(col)
                if refs:
                    unknown = np.flatnonzero(~hit & (keys == ""))
                    for lon0, lat0, r_km in refs:
                        if not len(unknown):
                            break
                        _, _, d = GEOD.inv(
                            np.full(len(unknown), lon0), np.full(len(unknown), lat0),
                            lon[unknown], lat[unknown],
                        )  # fmt: skip
                        hit[unknown[np.asarray(d) / 1000.0 <= r_km]] = True
                ok &= hit
        groups: dict[int, np.ndarray] = {}
        for lon0, lat0, r_km, az, min_km, half, gid in self.circles:
            # geodesics only for the rows still allowed inside a box that holds the circle
            # (a degree of latitude is over 110 km; of longitude, 111.3 km x cos(lat))
            dlat = r_km / 110.0 + 0.01
            far_lat = min(89.0, abs(lat0) + dlat)
            dlon = min(360.0, r_km / (111.3 * math.cos(math.radians(far_lat))) + 0.01)
            rows = np.flatnonzero(
                ok
                & (np.abs(lat - lat0) <= dlat)
                & (np.abs((lon - lon0 + 180.0) % 360.0 - 180.0) <= dlon)
            )
            inside = np.zeros(n, dtype=bool)
            if len(rows):
                k = len(rows)
                fwd, _, d = GEOD.inv(np.full(k, lon0), np.full(k, lat0), lon[rows], lat[rows])
                d = np.asarray(d) / 1000.0
                hit = (d <= r_km) & (d >= min_km)
                if az is not None:
                    diff = np.abs((np.asarray(fwd) - az + 180.0) % 360.0 - 180.0)
                    hit &= (diff <= (max(half, WIDE_SECTOR_DEG) if wide else half)) | (d < 3.0)
                inside[rows] = hit
            groups[gid] = groups.get(gid, np.zeros(n, dtype=bool)) | inside
        for inside in groups.values():
            ok &= inside
        if self.river is not None and ok.any():
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


def _variants(text: str, *, bare_base: bool = True) -> list[str]:
    """``text`` and the forms left when descriptors ("the town of", "village") are stripped
    (``bare_base``: also the name without its qualifier, "al-Bahra" for "al-Bahra al-Wusta",
    worth trying only where a context checks it)."""
    tries = [text]
    for rx in (_LEAD_RE, _THE_RE, _PLAIN_PREFIX_RE, _AR_PLAIN_PREFIX_RE, _ADJ_RE):
        stripped = rx.sub("", tries[-1]).strip()
        if stripped and stripped != tries[-1]:
            tries.append(stripped)
    stripped = _PLAIN_SUFFIX_RE.sub("", tries[-1]).strip()
    if stripped and stripped != tries[-1]:
        tries.append(stripped)
    paren = re.match(r"^(.+?)\s*\((.+)\)$", tries[-1])
    if paren:
        tries += [paren.group(1).strip(), paren.group(2).strip()]
    # "the al-Walid border crossing" / "al-Walid crossing"
    unborder = re.sub(r"\s+border(?=\s+(?:crossing|post|gate))", "", tries[-1], flags=re.I)
    if unborder != tries[-1]:
        tries.append(unborder)
    # "Umm al-Sarj al-Janoubi" is WOF's "Umm as Sarj al Qibli" (both: the southern one);
    # "al-Bahra al-Wusta" (the middle one of a cluster) when only "Al Bahrah" is known
    last = tries[-1]
    for rx, same in _QUALIFIER_SYNONYMS:
        swapped = rx.sub(same, last)
        if swapped != last:
            tries.append(swapped)
    base = _QUALIFIER_RE.sub("", last).strip()
    if bare_base and base != last and len(base) >= 3:
        tries.append(base)
    # the name at the end of a phrase about it ("a patrol passing next to the town of
    # Resafa", "a local gunman from Abu Hamam town", "positions in X", "villages like X"):
    # what follows the last linking word, descriptors stripped again
    tail = _TAIL_RE.match(tries[-1])
    if tail and _names_something(tries[-1][: tail.start(1)]):
        # "Qurnatha village at the outskirts of Palmyra": the phrase names its own place
        # (unknown, maybe); what follows is context, never the answer
        tail = None
    if tail:
        name = _TAIL_END_RE.sub("", _PLAIN_PREFIX_RE.sub("", tail.group(1)).strip())
        if _NAME_START_RE.match(name) and len(name.split()) <= 4:
            tries += [name, _PLAIN_SUFFIX_RE.sub("", name).strip()]
    return list(dict.fromkeys(t for t in tries if t))


def _km_text(km: float) -> str:
    """A distance for a reason: "8" for 8.04672 km (5 miles), "19.3" for 19.312 km."""
    return f"{round(km, 1):g}"


def _implausible_distance(km: float) -> Place | None:
    """The unresolved answer for an offset of ``km`` that no description means, or None."""
    if 0 < km <= MAX_OFFSET_KM:
        return None
    return Place.unresolved(
        f"offset: a distance of {km:g} km is not a plausible location description "
        f"(expected more than 0 and at most {MAX_OFFSET_KM:g} km)"
    )


def _after_head(q: str, head: str, strip: str) -> str | None:
    """The text of ``q`` after its head ``head`` (``strip`` taken off both ends), or None
    when the head is not in it."""
    at = q.find(head)
    return None if at < 0 else q[at + len(head) :].strip(strip)


def _names_something(words: str) -> bool:
    """Whether ``words`` hold a capitalised word that is not an acronym ("Qurnatha"; not
    "SDF", "ISIS", "a patrol passing")."""
    return any(w[:1].isupper() and not w.isupper() for w in words.split())


def _tells_an_event(head: str) -> bool:
    """Whether ``head`` is in lower-case words, acronyms ("IED", "SDF") and the adjectives of
    the war's parties ("Russian airstrikes") only: what happened, not a place's name."""
    words = head.replace("-", " ").split()
    return (
        bool(words)
        and any(w.islower() for w in words)
        and all(
            w.islower() or (w.isupper() and len(w) <= 5) or w.casefold() in _PARTY_WORDS
            for w in words
        )
    )


def _fuzzy_tries(tries: list[str]) -> list[str]:
    """The variants worth a fuzzy lookup: the most stripped one and a bracketed pair; a
    name with a qualifier before its bare base ("Hibreh Gharbi" before "Hibreh")."""
    last = tries[-1]
    paren = [t for t in tries[1:] if "(" not in t]
    qualified = [t for t in tries[:-1] if t != last and _QUALIFIER_RE.sub("", t).strip() == last]
    return list(dict.fromkeys([*qualified[-1:], last, *paren[-2:]]))


def _is_loose(best: dict[str, Any] | Place) -> bool:
    """A normalised match whose spelling is not close to the name it matched."""
    facts = match_facts(best) if isinstance(best, Place) else best
    return (
        str(facts.get("layer")) == "normalised"
        and float(facts.get("similarity", 100.0)) < CLOSE_SIMILARITY
    )


# --------------------------------------------------------------------------- resolver
class _Resolver:
    """The rules of :func:`geocode`; every answer is a :class:`~desertgeo._place.Place`.

    Lookups are memoised per call of :func:`geocode` (``memo`` is shared with the child
    resolvers that carry a description's context), so the places and contexts that many
    descriptions share are resolved once.
    """

    def __init__(
        self,
        gaz: Gazetteer,
        threshold: float,
        context: dict[str, Any],
        explain: bool = True,
        *,
        memo: dict[Any, Any] | None = None,
    ) -> None:
        self.explain = explain
        self.gaz = gaz
        self.threshold = threshold
        self.context = context
        self.explicit = any(v is not None for v in context.values())
        self.constraint: _Constraint | None = None
        self._memo: dict[Any, Any] = memo if memo is not None else {}
        self._areas: dict[int, tuple[Place, Any]] = self._memo.setdefault("__areas__", {})
        self._cache: dict[str, Place] = self._memo.setdefault("__resolve__", {})

    def _child(self, constraint: _Constraint) -> _Resolver:
        # no closest-spelling hints inside a context (they cost a full fuzzy scan each)
        child = _Resolver(self.gaz, self.threshold, self.context, False, memo=self._memo)
        child.constraint = constraint
        return child

    # .................................................................. areas
    def area(self, place: Place) -> Any:
        """The geometry ``place`` stands for when it is not a circle (None: a circle)."""
        hit = self._areas.get(id(place))
        return hit[1] if hit is not None and hit[0] is place else None

    def _with_area(self, place: Place, area: Any) -> Place:
        if area is not None:
            self._areas[id(place)] = (place, area)
        return place

    def _derive(self, place: Place, *notes: str, **changes: Any) -> Place:
        """``place`` with ``changes`` and ``notes``; the area it stands for goes with it."""
        out = _note(place.derive(**changes), *notes) if notes else place.derive(**changes)
        return self._with_area(out, self.area(place))

    # .................................................................. single places
    def place(self, text: str, *, allow_governorate: bool = True) -> Place:
        """Resolve a bare place name (descriptors like 'the town of' stripped)."""
        con = None if self.constraint is None else self.constraint.key
        key = ("place", text, allow_governorate, self.threshold, con)
        hit = self._memo.get(key)
        if hit is None and len(re.findall(r"[^\W_]", text)) < 2:
            hit = self._memo[key] = Place.unresolved(f"{text!r} is too short to be a name")
        if hit is None:
            hit = self._place(_clean(text), allow_governorate)
            if hit.status != "ok":
                # a base named after its village: better than a weak match or none
                site = self._named_site(text)
                if site is not None and (site.status == "ok" or not hit.ok):
                    hit = site
            self._memo[key] = hit
        return hit

    def _place(self, text: str, allow_governorate: bool) -> Place:
        # without a context, "X al-Wusta" is never answered by another village named X
        tries = _variants(text, bare_base=self.constraint is not None)
        # exact / normalised on every variant first, fuzzy only after
        outside: Place | None = None
        deferred: Place | None = None
        for threshold in (101.0, self.threshold):
            # typos are looked for in the bare name only ("the village of X" -> "X"): a
            # fuzzy scan of each longer variant costs a full pass and finds noise
            for t in tries if threshold > 100 else _fuzzy_tries(tries):
                res, loose = self._lookup(t, threshold)
                if res is None:
                    continue
                if res.ok and not (threshold > 100 and loose):
                    return res
                if res.ok:
                    deferred = deferred or res  # a loose normalised match: try fuzzy too
                else:
                    outside = outside or res
            if deferred is not None and threshold <= 100:
                return deferred
            if allow_governorate and deferred is None:
                gov = self._fitting_governorate(tries)
                if gov is not None:
                    return self._governorate(gov)
            if outside is not None and self.constraint is None and deferred is None:
                return outside
        return deferred or outside or self._no_match(text)

    def _no_match(self, text: str) -> Place:
        reason = f"no gazetteer name matches {text!r} at threshold {self.threshold:g}"
        if not self.explain:
            return Place.unresolved(reason)
        closest = self.gaz.closest(text, 3)
        hint = ", ".join(f"{n} ({s:.0f})" for n, s in closest) or "none"
        return Place.unresolved(f"{reason}; closest: {hint}")

    def _fitting_governorate(self, tries: list[str]) -> Any:
        # the governorates are Syria's: never the answer when the caller asked for
        # another country ("Homs" with country="LB" is out of context, not Homs governorate)
        wanted = self._countries()
        if wanted is not None and "SY" not in wanted:
            return None
        for t in tries:
            gov = self.gaz.governorate(t)
            if gov is not None and (
                self.constraint is None or self.constraint.admin1_only(str(gov["name_en"]))
            ):
                return gov
        return None

    def _countries(self) -> set[str] | None:
        """The ISO2 codes the caller asked for with ``country=`` (None: no country given)."""
        wanted = self.context.get("country")
        if wanted is None:
            return None
        return {str(c).upper() for c in ([wanted] if isinstance(wanted, str) else wanted)}

    def _best(self, name: str, threshold: float) -> Place | None:
        key = ("best", name, threshold)
        if key not in self._memo:
            self._memo[key] = self.gaz.best(name, threshold=threshold, **self.context)
        return self._memo[key]

    def _lookup(self, name: str, threshold: float) -> tuple[Place | None, bool]:
        if self.constraint is not None:
            res, loose = self._constrained(name, threshold)
        else:
            best = self._best(name, threshold)
            if best is None:
                return None, False
            res, loose = self._from_entry(best), _is_loose(best)
        if (
            res is not None
            and res.ok
            and res.feature_type == "nahiya"
            and not _NAHIYA_RE.search(name)
        ):
            res = self._seat(res)
        if (
            res is not None
            and res.status == "ok"
            and _PLURAL_RE.search(fold_name(name))
            and not _PLURAL_RE.search(fold_name(res.name))
            and res.score < 100
        ):
            res = _note(res.derive(status="ambiguous"), f"{name!r} is plural, {res.name} is not")
        return res, loose

    def _seat(self, nahiya: Place) -> Place:
        """The town a sub-district is named after (its seat), for a bare name: the
        sub-district's centroid can lie 20-30 km from the town the text means."""
        cols = _columns(self.gaz)
        key = _admin_key(nahiya.admin3 or nahiya.name)
        town = cols["feature_type"] == "populated place"
        rows = np.flatnonzero((cols["admin3_key"] == key) & town)
        blank = np.flatnonzero((cols["admin3_key"] == "") & town)
        if len(blank):
            _, _, d = GEOD.inv(
                np.full(len(blank), nahiya.lon), np.full(len(blank), nahiya.lat),
                cols["lon"][blank], cols["lat"][blank],
            )  # fmt: skip
            reach = 1.5 * nahiya.uncertainty_m + 10_000.0
            rows = np.concatenate([rows, blank[np.asarray(d) <= reach]])
        want = fuzzy_key(nahiya.name)
        best, best_key = -1, (0.0, 0.0)
        for i in rows:
            sim = float(fuzz.ratio(want, fuzzy_key(str(cols["name"][i]))))
            if sim >= SEAT_SIMILARITY and (sim, cols["importance"][i]) > best_key:
                best, best_key = int(i), (sim, float(cols["importance"][i]))
        if best < 0:
            return nahiya
        return _note(
            nahiya.derive(
                name=str(cols["name"][best]), place_id=str(cols["place_id"][best]),
                feature_type="populated place", lon=float(cols["lon"][best]),
                lat=float(cols["lat"][best]), uncertainty_m=float(cols["uncertainty_m"][best]),
                admin2=str(cols["admin2"][best]),
            ),
            f"the seat of the {nahiya.name} sub-district ({nahiya.place_id})",
        )  # fmt: skip

    def _cands(self, name: str, threshold: float) -> _Cands:
        key = ("cands", name, threshold)
        hit = self._memo.get(key)
        if hit is None:
            if threshold <= 100:
                exact = self._cands(name, 101.0)
                # an exact spelling match stops the gazetteer before its fuzzy layer
                if any(r["layer"] == "exact" for r in exact.records):
                    self._memo[key] = exact
                    return exact
            hit = self._memo[key] = _Cands.of(self.gaz, name, threshold)
        return hit

    def _constrained(self, name: str, threshold: float) -> tuple[Place | None, bool]:
        """The best candidate of ``name`` that satisfies the description's context."""
        cands = self._cands(name, threshold)
        assert self.constraint is not None
        keep: list[dict[str, Any]] = []
        widened = False
        if cands.records:
            mask = self.constraint.mask(cands)
            if not mask.any() and self.constraint.has_sector:
                # "Tafas, west of Daraa": Tafas lies north-north-west; reporters' compass
                # points are coarse, so a name with no candidate in the sector is looked
                # for in that half of the compass
                mask = self.constraint.mask(cands, wide=True)
                widened = bool(mask.any())
            keep = [cands.records[i] for i in self._ordered(cands, np.flatnonzero(mask), name)]
        if not keep and threshold <= 100:
            keep = self._local_fuzzy(name)
            if keep and keep[0]["score"] < STRONG_FUZZY and cands.records:
                # a weak plain score for a close loose key: the gazetteer's typo layer may
                # know a spelling that matches well ("al-Taybah": "Tayiba" of At Tayyibah)
                typo = self._fuzzy_in_context(name)
                if typo and typo[0]["score"] >= STRONG_FUZZY:
                    keep = typo
        if not keep and not cands.records:
            return None, False
        if not keep:
            out = cands.records[0]
            listed = [
                f"{r['name']} ({r['place_id']}, {r['admin1'] or r['country']})"
                for r in cands.records[:4]
            ]
            return Place(
                name=str(out["name"]),
                place_id=str(out["place_id"]),
                country=str(out["country"]),
                status="out_of_context",
                reason=f"{name!r} matches {len(cands.records)} place(s), none in the context "
                f"({self.constraint.label}): " + "; ".join(listed),
                candidates=tuple(listed),
            ), False
        best = dict(keep[0])
        best["context"] = bool(best["context"]) or self.explicit
        best["similarity"] = (
            100.0 if best["layer"] == "exact" else _key_similarity(name, str(best["matched"]))
        )
        best["alternatives"] = self._alternatives(keep)
        best["ambiguous"] = bool(best["alternatives"])
        res = self._from_entry(best)
        if best.get("how"):
            res = _note(res, str(best["how"]))
        if widened:
            res = _note(res, f"the direction read as a half-plane (+-{WIDE_SECTOR_DEG:g} degrees)")
        return _note(res, f"in context: {self.constraint.label}"), _is_loose(best)

    def _fuzzy_in_context(self, name: str) -> list[dict[str, Any]]:
        """Typo candidates of ``name`` that satisfy the context, when its exact and
        normalised ones do not (the gazetteer stops before its fuzzy layer when an exact
        spelling exists elsewhere: "al-Taybah" in Homs is "At Tayyibah")."""
        assert self.constraint is not None
        out: list[dict[str, Any]] = []
        cut = max(self.threshold, WEAK_SIMILARITY)
        for spelling, score in self.gaz.closest(name, FUZZY_CONTEXT_N, cutoff=cut):
            if len(out) >= 5:
                break
            cands = self._cands(spelling, 101.0)
            if not cands.records:
                continue
            for i in np.flatnonzero(self.constraint.mask(cands)):
                row = dict(cands.records[i])
                row.update(layer="fuzzy", score=min(float(score), 95.0), matched=spelling)
                out.append(row)
        out.sort(key=lambda r: -r["score"])
        return out

    def _context_keys(self) -> tuple[list[str], dict[str, list[int]]]:
        """The loose keys of the places the context allows, and their rows."""
        assert self.constraint is not None
        memo = _gaz_memo(self.gaz).setdefault("context_keys", {})
        ck = self.constraint.key
        hit = memo.get(ck)
        if hit is None:
            rows = np.flatnonzero(self.constraint.mask(_every_row(self.gaz)))
            row_keys = _row_keys(self.gaz)
            owners: dict[str, list[int]] = {}
            for r in rows.tolist():
                for k in {loose for _, loose in row_keys[r]}:
                    owners.setdefault(k, []).append(r)
            if len(memo) > CONTEXT_MEMO_N:
                memo.clear()
            hit = memo[ck] = (list(owners), owners)
        return hit

    def _context_consonants(self) -> tuple[list[str], dict[str, list[int]]]:
        """The consonant keys of the places the context allows, and their rows."""
        assert self.constraint is not None
        memo = _gaz_memo(self.gaz).setdefault("context_consonants", {})
        ck = self.constraint.key
        hit = memo.get(ck)
        if hit is None:
            _, owners = self._context_keys()
            out: dict[str, list[int]] = {}
            for key, rows in owners.items():
                c = consonant_key(key)
                if c:
                    out[c] = list(dict.fromkeys([*out.get(c, ()), *rows]))
            if len(memo) > CONTEXT_MEMO_N:
                memo.clear()
            hit = memo[ck] = (list(out), out)
        return hit

    def _local_fuzzy(self, name: str) -> list[dict[str, Any]]:
        """Spellings of ``name`` among the few places the context allows, with the letters
        transliterations confuse folded together ("Zaiban" in the eastern Deir ez-Zor
        countryside is Dhiban): a looseness a whole gazetteer cannot afford."""
        if _NAMED_SITE_RE.match(name) or _FACILITY_RE.search(name):
            return []  # "Jirah airbase": the generic word is no part of a loose spelling
        if _GENERIC_HEAD_RE.match(name) or _NATURAL_NAME_RE.match(name):
            # "areas west of the Euphrates": no name; "Wadi al-Azib": a valley, which no
            # village's loose spelling stands for
            return []
        arabic = is_arabic(name)
        plain = fuzzy_key(name)
        q = plain if arabic else loose_key(plain)
        keys, owners = self._context_keys()
        cut = max(self.threshold, WEAK_SIMILARITY)
        hits = []
        how = "transliteration-folded similarity"
        if len(q) >= 4 and not arabic:
            hits = process.extract(
                q, keys, scorer=fuzz.ratio, score_cutoff=cut, limit=LOCAL_FUZZY_N
            )
        if not hits:
            # the consonants alone, across scripts ("الصبحة" is As Sabhah, a village whose
            # gazetteer row has no Arabic name; "Ibriha" is Burayhah)
            cq = consonant_key(q)
            if len(cq) >= 2:
                ckeys, cowners = self._context_consonants()
                hits = [
                    (k, score, i)
                    for k, score, i in process.extract(
                        cq, list(ckeys), scorer=fuzz.ratio, score_cutoff=CONSONANT_SIMILARITY,
                        limit=LOCAL_FUZZY_N,
                    )
                    # short keys must be equal; all must begin with the same consonant
                    if (score >= 100.0 or len(cq) > 3) and k[:1] == cq[:1]
                ]  # fmt: skip
                owners = cowners
                how = "same consonants" if arabic else "consonant similarity"
        cols = _columns(self.gaz)
        row_keys = _row_keys(self.gaz)
        index_keys = self.gaz._index.fuzzy_owner
        found: list[tuple[float, float, dict[str, Any]]] = []
        for key, score, _ in hits:
            for r in owners[key]:
                spelled = str(cols["name"][r])
                # the score that decides the status is the gazetteer's own typo score
                # (ratio or OSA) of the plain spellings of the row that gave the loose key:
                # a loose match is a guess the context made, never confident on its own
                same = [
                    k
                    for k, loose in row_keys[r]
                    if (loose == key or consonant_key(loose) == key) and is_arabic(k) == arabic
                ]
                if same:
                    own = max(
                        max(fuzz.ratio(plain, k), 100.0 * OSA.normalized_similarity(plain, k))
                        for k in same
                    )
                    own = min(float(own), float(score), 95.0)
                    if not any(r in index_keys.get(k, ()) for k in same):
                        # only the name without its "Khirbat": a guess, never `ok`
                        own = min(own, STRONG_FUZZY - 10.0)
                else:  # across scripts: only the consonants
                    own = min(float(score), STRONG_FUZZY - 10.0)
                if own < LOOSE_MIN_SCORE:
                    continue  # equal consonants, letters mostly unlike: no spelling of it
                row = _record(cols, r, matched=spelled, layer="fuzzy", score=own, context=True)
                row["how"] = (
                    f"a loose spelling match among the places of the context ({how} "
                    f"{float(score):.0f}): check it"
                )
                found.append((float(score), own, row))
        # equal loose keys ("Shweilakh": Shuwaylikh and As Salihiyah share their
        # consonants): the closer plain spelling first
        found.sort(key=lambda t: (-t[0], -t[1]))
        return [row for _, _, row in found]

    def _ordered(self, cands: _Cands, rows: np.ndarray, name: str = "") -> list[int]:
        """Candidate rows in context, best first: a candidate whose own name is the query
        before one matched only through an alternate name unlike it ("Abu Hardoub" is an
        alternate name of Hajin); of the ones as good as the gazetteer's first (same layer
        group, importance within 1), populated places before sub-district centroids, then
        the one nearest the context's reference points."""
        if len(rows) <= 1:
            return [int(r) for r in rows]
        recs = cands.records
        if name:
            key = fuzzy_key(name)
            own = [float(fuzz.ratio(key, fuzzy_key(str(recs[r]["name"])))) for r in rows]
            if own[0] < OWN_NAME_UNLIKE and max(own) >= OWN_NAME_LIKE:
                j = int(np.argmax(own))
                rows = np.concatenate([[rows[j]], np.delete(rows, j)])
        top = recs[rows[0]]
        group = {"exact", "normalised"} if top["layer"] != "fuzzy" else {"fuzzy"}
        peers = [
            int(r) for r in rows
            if recs[r]["layer"] in group and abs(recs[r]["importance"] - top["importance"]) < 1.0
        ]  # fmt: skip
        assert self.constraint is not None
        fit = self.constraint.fit(cands, np.array(peers, dtype="int64"))
        order = sorted(
            range(len(peers)),
            key=lambda j: (recs[peers[j]]["feature_type"] == "nahiya", round(float(fit[j]), 6), j),
        )
        first = [peers[j] for j in order]
        return first + [int(r) for r in rows if int(r) not in set(first)]

    @staticmethod
    def _alternatives(keep: list[dict[str, Any]]) -> list[str]:
        """Other candidates as good as the first one, more than 10 km from it."""
        top = keep[0]
        group = {"exact", "normalised"} if top["layer"] != "fuzzy" else {"fuzzy"}
        alts = []
        for row in keep[1:]:
            if row["layer"] not in group or abs(row["importance"] - top["importance"]) >= 1.0:
                continue
            _, _, d = GEOD.inv(top["lon"], top["lat"], row["lon"], row["lat"])
            if d > 10_000:
                alts.append(f"{row['name']} ({row['place_id']})")
        return alts

    def _from_entry(self, best: dict[str, Any] | Place) -> Place:
        """The answer for a gazetteer match: its status and reason are the gazetteer's
        (:func:`~desertgeo.gazetteer.make_place`), the rule is ``name``."""
        place = best if isinstance(best, Place) else make_place(best, explicit=self.explicit)
        facts = match_facts(best) if isinstance(best, Place) else best
        alternatives = tuple(facts.get("alternatives") or ())
        return Place(
            name=place.name,
            place_id=place.place_id,
            feature_type=place.feature_type,
            country=place.country,
            admin1=_admin_text(place.admin1),
            admin2=_admin_text(place.admin2),
            admin3=_admin_text(place.admin3),
            lon=place.lon,
            lat=place.lat,
            score=place.score,
            rule="name",
            uncertainty_m=place.uncertainty_m,
            status=place.status,
            reason=place.reason,
            candidates=place.candidates or (alternatives if place.status != "ok" else ()),
        )

    def _governorate(self, gov: Any, rule: str = "governorate") -> Place:
        key = ("gov", str(gov["hasc"]), rule)
        hit = self._memo.get(key)
        if hit is not None:
            return hit
        geom = gov.geometry
        pt = geom.centroid
        if not geom.contains(pt):
            pt = geom.representative_point()
        place = _area_place(
            geom, pt, name=str(gov["name_en"]), place_id=f"governorate:{gov['hasc']}",
            feature_type="governorate", country="SY", admin1=str(gov["name_en"]), rule=rule,
        )  # fmt: skip
        self._memo[key] = self._with_area(place, geom)
        return place

    # .................................................................. phrases
    def resolve(self, query: Any) -> Place:
        if not isinstance(query, str) or not query.strip():
            return Place.unresolved("empty or missing name")
        hit = self._cache.get(query)
        if hit is None:
            hit = self._cache[query] = self._checked(self._resolve(_clean(query)))
        return hit

    def _checked(self, res: Place) -> Place:
        """Flag a point outside the requested countries, or far outside the study area when
        no explicit context asked for it."""
        if not res.ok:
            return res
        wanted = self._countries()
        # every rule, not only the name lookup: a governorate, a district or an offset from
        # one is Syrian ("Homs governorate" with country="LB")
        outside = wanted is not None and res.country and res.country not in wanted
        if outside and res.rule not in _LINE_RULES:
            return _note(
                res.derive(status="out_of_context"),
                f"{res.name} lies in {res.country}, outside the requested country "
                f"({', '.join(sorted(wanted or ()))})",
            )
        if self.explicit:
            return res
        if not shapely.contains_xy(study_area(self.gaz.countries), res.lon, res.lat):
            return _note(
                res.derive(status="out_of_context"),
                f"the point ({res.lon:.3f}, {res.lat:.3f}) lies outside the study area "
                "(Syria and a 50 km borderland); pass country= or bbox= to accept it",
            )
        if (
            res.status == "ok"
            and res.country not in {"SY", ""}
            and res.rule in _NAME_RULES
            and "in context" not in res.reason
        ):
            # a bare name found only across the border (Husayniyat in Nineveh for a
            # Badia place): a point in another country is not confident without context
            return _note(
                res.derive(status="ambiguous"),
                f"{res.name} lies in {res.country}, not Syria; name its country or province "
                "(or pass country=) to accept it",
            )
        return res

    def _resolve(self, q: str) -> Place:
        q = spelled_numbers(q)  # "five km north of X" reads as "5 km north of X"
        # "Palmyra's ancient city", "Deir ez-Zor's Jura district": "the Y of X"
        q = _POSSESSIVE_RE.sub(r"\2 of \1", q)
        # "in the desert of al-Mayadin", "at the T2 station": the preposition says nothing
        # ("At" with a capital is the article: "At Tayyibah")
        q = re.sub(r"^(?:[Ii]n|[Ii]nside|[Ww]ithin|at)\s+(?=\S)", "", q)
        # "Hajin and its countryside", "تدمر وريفها": the countryside of the town
        q = _AND_ITS_RE.sub(r"the \2 of \1", q)
        q = _AR_AND_ITS_RE.sub(r"\2 \1", q)
        if _WHOLE_DESERT_RE.match(q.strip(" .")):
            return Place.unresolved(
                f"{q!r} names the whole Syrian Desert (the Badia, some 500,000 km2 across four "
                "countries), not a place: give a town, a direction or a governorate"
            )
        if _TRI_RE.search(q) and _ONLY_THE_THREE_RE.fullmatch(_TRI_RE.sub(" ", q).strip()):
            # "the tri-border area of Syria, Iraq and Jordan", "المثلث الحدودي بين سوريا
            # والعراق والأردن": the countries named are the tri-point's, not a list
            tri = self._tripoint(q)
            if tri is not None:
                return tri
        district = _DISTRICT_RE.match(q) if self.constraint is None else None
        if district is not None:
            # "Tadmur district", "the Abu Kamal district": the unit, not its seat town
            area = self._area_of(district.group(1), "admin2")
            if area is not None:
                return _note(area, "the district as an area: the circle that covers it")
        on_road = self._road_at(q) if self.constraint is None else None
        if on_road is not None and on_road.ok:
            return on_road
        described = self._describe(q) if self.constraint is None else None
        if described is not None and described.status != "ok" and _PATH_DASH_RE.search(q):
            # "Dhiban - Deir-ez-Zor": a path written from its smallest unit
            parts = _PATH_DASH_RE.split(q)
            turned = self._describe(" - ".join(reversed(parts)))
            if turned is not None and turned.status == "ok":
                return _note(turned, "a path of names read from its last, the largest unit")
        if described is not None and described.ok:
            return described
        if described is None:
            return self._resolve_plain(q)
        # a description that did not resolve with its context: the whole text may still be
        # a name (exact or normalised only; fuzzy matching of a whole sentence is noise)
        res = self._strict()._resolve_plain(q)
        return res if res.ok else described

    def _strict(self) -> _Resolver:
        if self.threshold > 100:
            return self
        return _Resolver(self.gaz, 101.0, self.context, self.explain, memo=self._memo)

    # .................................................................. descriptions
    def _describe(self, q: str) -> Place | None:
        """A place inside a longer description, chosen by the context around it."""
        items = split_list(q)
        if items:
            return self._listed(items)
        head, clauses = split_description(q)
        if not re.match(r"^[^\W\d_]", head) or _QUANTITY_RE.match(head):
            return None
        many = None if _ROAD_WORD_RE.search(head) else split_head_list(head)
        if many:
            return self._list(many, clauses)
        if not clauses:
            return None
        special = self._special_head(q, head, clauses)
        if special is not None:
            return special
        built = self._constraint_for(clauses)
        if built is None:
            return self._without_context(head, clauses)
        constraint, fallback = built
        res = self._off_road(self._child(constraint)._resolve_plain(_clean(head)), clauses)
        inside = _place_in_region(head, res, fallback)
        if inside is not None:
            return inside
        if not res.ok and _FACILITY_RE.search(head):
            inside = self._facility(q, head)
            if inside is not None:
                return inside
        if res.ok or fallback is None:
            if not res.ok and not res.reason:
                res = _note(res, f"context: {constraint.label}")
            return res
        extra = [res.reason] if "none in the context" in res.reason else []
        # the name itself matched nothing there: a point from the context is a guess
        return self._derive(
            fallback,
            f"{head!r} is not in the gazetteer within that context; located by the context "
            f"({constraint.label})",
            *extra,
            status="ambiguous",
            candidates=res.candidates or fallback.candidates,
        )

    def _special_head(self, q: str, head: str, clauses: list[Clause]) -> Place | None:
        """A head that tells what happened, names a border or a town's quarter."""
        what = self._what_happened(q, head)
        if what is not None:
            return what
        if _BORDER_RE.search(head) and not _BORDER_TOWN_RE.search(q):
            # "the Turkish border near Jarablus": the border by the town
            border = self._border(q)
            if border is not None and border.feature_type == "border" and border.ok:
                return border
        if _QUARTER_HEAD_RE.search(head) and clauses[0].kind == "admin":
            return self._quarter(head, clauses[0])
        return None

    def _listed(self, items: list[str]) -> Place | None:
        """ "the towns of X, Y and Z, east of Deir ez-Zor": the context is not a member."""
        after: list[Clause] = []
        while len(items) > 2 and (tail := context_clause(items[-1])) is not None:
            after.insert(0, tail)
            items.pop()
        last, clauses = split_description(items[-1])
        if clauses:
            items[-1] = last
        return self._list(items, [*clauses, *after])

    def _quarter(self, head: str, clause: Clause) -> Place | None:
        """ "the Tammo neighbourhood in al-Mayadin", "حي الجورة بدير الزور": the quarter
        among the places within the town, else the town itself (``ambiguous``: the quarter
        is not in the gazetteer); None when the clause names no town."""
        if clause.level not in {"", "town"}:
            return None
        town = self.place(clause.text, allow_governorate=False)
        if not town.ok or town.score < 95 or town.feature_type != "populated place":
            return None
        r_km = max(QUARTER_CONTEXT_KM, 2.0 * town.uncertainty_m / 1000.0)
        con = _Constraint()
        con.add_circle(town.lon, town.lat, r_km)
        con.labels.append(f"within {r_km:g} km of {town.name}")
        res = self._child(con)._resolve_plain(_clean(head))
        if res.status == "ok":
            return res
        built = self._constraint_for([clause])
        if built is not None:
            # not in the town: a place of that exact name in the unit the word also names
            # ("Rumayl neighbourhood, Deir ez-Zor": the governorate's Rumayl), flagged
            found = self._strict()._child(built[0])._resolve_plain(_clean(head))
            if found.ok and _km(found, town) > r_km:
                return _note(
                    found.derive(status="ambiguous"),
                    f"not within {r_km:g} km of {town.name}, so no quarter of it",
                )
        if res.ok:
            return res  # a loose spelling within the town, flagged
        return self._derive(
            town,
            f"{head!r} is not in the gazetteer: located at the town it is in ({town.name})",
            status="ambiguous",
            rule="near",
            uncertainty_m=_combine(town.uncertainty_m, QUARTER_M),
        )

    def _what_happened(self, q: str, head: str) -> Place | None:
        """ "a bus on the Palmyra-Deir ez-Zor highway near Kabajeb", "truffle hunters in the
        desert east of Salamiyah": a head in lower-case words that tells what happened and
        names no place (not even spelled exactly); the place is the rest of the text."""
        if not _tells_an_event(head) or _DIRECTION_WORD_RE.search(head):
            return None
        if _FACILITY_RE.search(head) or _PLACE_NOUN_RE.search(head):
            return None  # "the third station", "an SDF checkpoint": a place, said in words
        if len(head.split()) < 2 and head.casefold() not in _EVENT_WORDS:
            return None  # "hjin": a name in lower case, maybe misspelt, not an event
        if self._strict()._resolve_plain(_clean(head)).ok:
            return None  # "hajin, deir ez-zor": a name in lower case
        rest = _after_head(q, head, " ,;:")
        if not rest:
            return None
        res = self.resolve(rest)
        if res.status != "ok":
            return None
        return _note(res, f"{head!r} names no place: the place is {rest!r}")

    def _facility(self, q: str, head: str) -> Place | None:
        """A facility the gazetteer does not know, in a place it does: that place."""
        after = _after_head(q, head, " ,،")
        if after is None:
            return None
        # "an SDF checkpoint on al-Sanour road in Abu Hamam town": the road is where in it
        after = re.sub(
            r"^(?:on|along)\s+(?:the\s+)?[^,]*?\b(?:road|highway|street|motorway)\b[\s,]*",
            "",
            after,
            flags=re.IGNORECASE,
        )
        rest = re.sub(
            r"^(?:in|at|of|near|inside|within|on)\s+|^(?:في|ب|داخل|ضمن)\s*",
            "",
            after,
            flags=re.IGNORECASE,
        ).strip()
        if not rest:
            return None
        town = self.resolve(rest)
        if not town.ok:
            return None
        return self._derive(
            town,
            f"{head!r} is a facility in {town.name}: the place it stands in",
            rule="near" if town.rule == "name" else town.rule,
            uncertainty_m=_combine(town.uncertainty_m, FACILITY_M),
        )

    def _off_road(self, res: Place, clauses: list[Clause]) -> Place:
        """``res`` flagged ``ambiguous`` when a road of the context ("على أوتوستراد دمشق
        درعا", "on the Damascus-Daraa highway") lies more than ROAD_SNAP_M from it: a
        namesake off the road may be the place meant."""
        if res.status != "ok" or self.gaz.roads is None:
            return res
        for c in clauses:
            if not (_SOFT_CLAUSE_RE.match(c.text) and _ROAD_WORD_RE.search(c.text)):
                continue
            road = self._road(re.sub(r"^على\s+", "", c.text))
            area = self.area(road) if road is not None and road.ok else None
            if area is None:
                continue
            gap = float(_to_utm(area).distance(_to_utm(Point(res.lon, res.lat))))
            if gap > ROAD_SNAP_M:
                return _note(
                    res.derive(status="ambiguous"),
                    f"{res.name} lies {gap / 1000:.0f} km from {c.text!r}: a namesake by the "
                    "road may be meant",
                )
        return res

    def _without_context(self, head: str, clauses: list[Clause]) -> Place:
        """The head alone when its context names nothing known: never better than ambiguous."""
        context = ", ".join(repr(c.text) for c in clauses)
        if not all(_PLACE_LIKE_RE.match(c.text.strip()) for c in clauses):
            # not a place phrase ("DROP TABLE events", a sentence): no answer from the head
            return Place.unresolved(f"{context} does not read as a place's context")
        res = self._resolve_plain(_clean(head))
        if res.status != "ok":
            return _note(res, f"context {context} not understood")
        if all(_SOFT_CLAUSE_RE.match(c.text) or _BORDER_RE.search(c.text) for c in clauses):
            # "on the Turkish border", "on the Damascus-Suweida road": a description of
            # where the place lies, not a test it could fail; the name alone decides
            # unless the place lies far from the road
            flagged = self._off_road(res, clauses)
            return flagged if flagged is not res else _note(res, f"context {context} not checked")
        return self._derive(
            res,
            f"context {context} not understood: {res.name} is not checked against it",
            status="ambiguous",
        )

    def _list(self, items: list[str], clauses: list[Clause]) -> Place | None:
        """Several places at once ("the towns of X, Y and Z"): their extent."""
        resolver: _Resolver = self
        if clauses:
            built = self._constraint_for(clauses)
            if built is not None:
                resolver = self._child(built[0])
        parts = [resolver._resolve_plain(_clean(i)) for i in items]
        parts = self._cohere(items, parts, resolver.constraint)
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
        notes = [f"a list of {len(items)} places: the circle that covers them"]
        if missing:
            notes.append("not found: " + ", ".join(repr(m) for m in missing))
        for p in found:
            notes += [f"{p.name}: {n}" for n in p.reason.split("; ") if n and "in context" not in n]
        return Place(
            name=" / ".join(p.name for p in found),
            place_id="|".join(p.place_id for p in found),
            feature_type="list",
            country=found[0].country,
            admin1=admin1.pop() if len(admin1) == 1 else "",
            lon=float(lon),
            lat=float(lat),
            score=min(p.score for p in found),
            rule="list",
            uncertainty_m=radius,
            status="ok" if not missing and all(p.status == "ok" for p in found) else "ambiguous",
            reason="; ".join(notes),
            candidates=tuple(f"{p.name} ({p.place_id})" for p in found),
        )

    def _cohere(
        self, items: list[str], parts: list[Place], base: _Constraint | None
    ) -> list[Place]:
        """A list's members lie together: a member that is not a confident match is
        looked for again within LIST_REACH_KM of the confident ones ("the towns of Hajin,
        Susah and Baghuz": the Baghuz by Hajin, not a homonym in Iraq)."""
        sure = [p for p in parts if p.status == "ok" and p.rule in _NAME_RULES]
        if not sure:
            return parts
        if len(sure) == len(parts):
            return self._closer(items, parts, base)
        con = _Constraint() if base is None else replace(base, circles=list(base.circles))
        gid = None
        for p in sure:
            gid = con.add_circle(p.lon, p.lat, LIST_REACH_KM, group=gid)
        con.labels = [*con.labels, "near the list's other places"]
        near = self._child(con)
        out = []
        for item, part in zip(items, parts, strict=True):
            if part.status != "ok":
                again = near._resolve_plain(_clean(item))
                if again.ok and (again.status == "ok" or not part.ok):
                    part = again
            out.append(part)
        return out

    def _closer(
        self, items: list[str], parts: list[Place], base: _Constraint | None
    ) -> list[Place]:
        """Confident members far apart (more than twice LIST_REACH_KM): one member taken as
        the homonym near the others when that draws the list to half its spread or less and
        it matches as well, or is a loose match (then the list is ``ambiguous``):
        "قريتي الصبحة والبصيرة" is the Sabhah by al-Busayrah, not one 290 km off."""

        def spread(ps: list[Place]) -> float:
            return max(_km(a, b) for i, a in enumerate(ps) for b in ps[i + 1 :])

        now = spread(parts)
        if len(parts) < 2 or now <= 2 * LIST_REACH_KM:
            return parts
        best, best_spread = parts, now
        for i, (item, part) in enumerate(zip(items, parts, strict=True)):
            con = _Constraint() if base is None else replace(base, circles=list(base.circles))
            gid = None
            for j, other in enumerate(parts):
                if j != i:
                    gid = con.add_circle(other.lon, other.lat, LIST_REACH_KM, group=gid)
            con.labels = [*con.labels, "near the list's other places"]
            again = self._child(con)._resolve_plain(_clean(item))
            if not again.ok:
                continue
            if again.status == "ok" and again.score < min(part.score, 95.0):
                continue
            # a loose spelling near the others (its row has no Arabic name, say) makes the
            # list ambiguous: a guess to check, but a far better one than 290 km apart
            trial = [*parts[:i], again, *parts[i + 1 :]]
            if spread(trial) < 0.5 * best_spread:
                best, best_spread = trial, spread(trial)
        return best

    def _constraint_for(self, clauses: list[Clause]) -> tuple[_Constraint, Place | None] | None:
        """Turn context clauses into a constraint on candidates, plus a fallback area."""
        key = ("constraint", tuple(clauses))
        if key not in self._memo:
            self._memo[key] = self._build_constraint(clauses)
        return self._memo[key]

    def _build_constraint(self, clauses: list[Clause]) -> tuple[_Constraint, Place | None] | None:
        con = _Constraint()
        fallback: Place | None = None
        ignored = []
        for clause in clauses:
            got = self._clause(clause, con)
            if got is False:
                ignored.append(repr(clause.text))
                continue
            if isinstance(got, Place) and (
                fallback is None or got.uncertainty_m < fallback.uncertainty_m
            ):
                fallback = got
        if not con.labels:
            return None
        if ignored:
            con.labels.append(f"not understood: {', '.join(ignored)}")
        return con, fallback

    def _clause(self, clause: Clause, con: _Constraint) -> Place | bool | None:
        if clause.kind == "river":
            return self._river_clause(clause, con)
        if clause.kind == "admin":
            return self._admin_clause(clause, con)
        if clause.kind == "between":
            return self._between_clause(clause, con)
        return self._town_clause(clause, con)

    def _between_clause(self, clause: Clause, con: _Constraint) -> Place | bool:
        """Context "halfway between X and Y": the circle on the segment, plus a margin."""
        left, _, right = clause.text.partition("|")
        res = self._between(f"between {left} and {right}")
        if res is None or not res.ok:
            return False
        radius_km = res.uncertainty_m / 1000.0 + BETWEEN_MARGIN_KM
        con.add_circle(res.lon, res.lat, radius_km)
        con.labels.append(f"between {left} and {right}")
        return res

    def _river_clause(self, clause: Clause, con: _Constraint) -> bool | None:
        line = self._river(clause.text)
        if line is None or clause.azimuth is None:
            return None
        side = 1 if (clause.azimuth % 360) < 180 and clause.azimuth != 0 else -1
        if clause.azimuth in (0.0, 45.0):
            side = 1
        con.river = (line, side)
        con.labels.append(f"{'east' if side > 0 else 'west'} of the {clause.text.title()}")
        return True

    def _admin_clause(self, clause: Clause, con: _Constraint) -> Place | bool | None:
        text = _clean(clause.text)
        plain = _PLAIN_SUFFIX_RE.sub("", _THE_RE.sub("", text)).strip() or text
        bare = re.sub(rf"^(?:(?:{_DIRADJ})\s+)+", "", plain, flags=re.IGNORECASE)
        code = _NEIGHBOURS.get(re.sub(r"['’]s$", "", bare.casefold()))
        if code is not None:
            con.countries.add(code)
            con.labels.append(code)
            return True
        row = self.gaz.country(bare)
        row = row if row is not None else self.gaz.country(plain)
        if row is not None:
            con.countries.add(str(row["country"]))
            con.labels.append(str(row["name"]))
            return True
        if clause.level in {"", "governorate", "unit"}:
            gov = self.gaz.governorate(bare)
            if gov is not None:
                con.admin1.add(normalize_name(str(gov["name_en"])))
                con.areas.append(gov.geometry)
                con.labels.append(f"{gov['name_en']} governorate")
                return self._governorate(gov)
            key = normalize_name(re.sub(r"^(?:al|el)[\s-]+", "", bare, flags=re.IGNORECASE))
            if key and key in self._admin1_keys():
                con.admin1.add(self._admin1_keys()[key])
                con.labels.append(f"{bare} (first-level unit)")
                return True
            if clause.level == "governorate":
                return False
        if clause.level in {"", "district", "nahiya", "unit"}:
            got = self._admin_unit(bare, "" if clause.level == "unit" else clause.level, con)
            if got is not None:
                if clause.level in {"", "unit"} and isinstance(got, Place):
                    # "in al-Rutba", "Jisri, Izra": the district constrains, but a point
                    # for a name not found in it is its town of that name, not its middle
                    town = self.place(text, allow_governorate=False)
                    if (
                        town.ok
                        and town.score >= 95
                        and town.feature_type == "populated place"
                        and _km(town, got) * 1000.0 <= got.uncertainty_m
                    ):
                        return self._derive(
                            town, rule="near", uncertainty_m=_combine(town.uncertainty_m, NEAR_M)
                        )
                return got
        if clause.level == "unit":
            return False  # a name in a dash path that is no admin unit
        base = self.place(text, allow_governorate=False)
        if not base.ok or base.score < 95:
            return False
        radius = 20.0 if clause.level == "town" else 40.0
        con.add_circle(base.lon, base.lat, radius)
        con.labels.append(f"within {radius:g} km of {base.name}")
        return self._derive(
            base, rule="near", uncertainty_m=_combine(base.uncertainty_m, radius * 1000.0)
        )

    def _admin_unit(self, bare: str, level: str, con: _Constraint) -> Place | bool | None:
        """A district or sub-district clause ("Mayadin district", "nahiya of Hajin")."""
        col = "admin3" if level == "nahiya" else "admin2"
        key = _admin_key(bare)
        # (districts only: the sub-district names of rows are too uneven to match loosely)
        same = (
            self._admin_spellings(col).get(_unit_consonants(bare), set())
            if col == "admin2"
            else set()
        )
        if key in self._admin_keys(col) or same:
            # the unit under every spelling the gazetteer's rows give it ("As-Suqaylabiyah"
            # and "As-Saqlabiyah" are one district)
            for k in sorted({key, *same} & self._admin_keys(col)):
                getattr(con, col).add(k)
                con.refs.setdefault(col, []).extend(self._unit_refs(k, col))
            con.labels.append(f"{bare} {'sub-district' if col == 'admin3' else 'district'}")
            return self._area_of(bare, col) or True
        if level and level != "town":
            other = "admin2" if col == "admin3" else "admin3"
            if key in self._admin_keys(other):
                getattr(con, other).add(key)
                con.refs.setdefault(other, []).extend(self._unit_refs(key, other))
                con.labels.append(f"{bare} ({level})")
                return self._area_of(bare, other) or True
        return None

    def _town_clause(self, clause: Clause, con: _Constraint) -> Place | bool | None:
        text = _clean(clause.text)
        plain = _PLAIN_SUFFIX_RE.sub("", _THE_RE.sub("", text)).strip() or text
        unit = _GOV_WORD_RE.search(plain) is not None or plain.startswith("محافظة ")
        plain = _GOV_WORD_RE.sub("", plain).strip() or plain
        plain = re.sub(r"^محافظة\s+", "", plain)  # "غربي محافظة نينوى"
        # "east of Deir ez-Zor province", "in the eastern countryside of Homs": a part of
        # the governorate (a direction with a distance is always from the town)
        part = clause.kind == "countryside" or (
            clause.kind == "direction" and clause.distance_km is None
        )
        gov = self.gaz.governorate(plain) if part else None
        if part and gov is None:
            # "western Anbar", "the Mafraq countryside": a first-level unit across the border
            # ("south-west of Baghdad" is of the city: a direction from a town it names)
            key = normalize_name(re.sub(r"^(?:al|el)[\s-]+", "", plain, flags=re.IGNORECASE))
            named_town = clause.kind == "direction" and self._is_town(text)
            if key and key in self._admin1_keys() and not named_town:
                con.admin1.add(self._admin1_keys()[key])
                side = f"the {compass(clause.azimuth)} of " if clause.azimuth is not None else ""
                con.labels.append(f"{side}{plain} (first-level unit)")
                return True
        town = self.place(text, allow_governorate=False)
        if gov is not None and (
            not town.ok
            or (unit and clause.kind == "direction")
            or (clause.kind == "countryside" and (
                town.feature_type == "governorate"
                or normalize_name(town.name) == normalize_name(str(gov["name_en"]))
                or normalize_name(plain) in self.gaz._gov_keys
            ))
        ):  # fmt: skip
            # "the Damascus countryside", "Rural Damascus" is Rif Dimashq, not the city's
            # own governorate (Damascus governorate is the city)
            named = gov  # the governorate the text names (its city's, for the sector)
            rural = self.gaz.governorate(f"{plain} countryside")
            if (
                clause.kind == "countryside"
                and rural is not None
                and str(rural["name_en"]) != str(gov["name_en"])
            ):
                gov = rural
            con.admin1.add(normalize_name(str(gov["name_en"])))
            con.areas.append(gov.geometry)
            label = f"{gov['name_en']} governorate"
            if clause.azimuth is not None:
                # "the eastern countryside of Deir ez-Zor": that half of the governorate,
                # seen from its middle ("western Daraa countryside": Nawa, north of Daraa)
                # or from the city of its name ("eastern Homs countryside": east of Homs)
                gid = con.add_circle(town.lon, town.lat, 400.0, clause.azimuth) if (
                    town.ok
                    and normalize_name(town.admin1) == normalize_name(str(named["name_en"]))
                ) else None  # fmt: skip
                mid = self._governorate(gov)
                con.add_circle(mid.lon, mid.lat, 400.0, clause.azimuth, half=90.0, group=gid)
                label = f"the {compass(clause.azimuth)} part of {label}"
            con.labels.append(label)
            return self._governorate(gov)
        code = _NEIGHBOURS.get(re.sub(r"['’]s$", "", plain.casefold()))
        if code is not None:
            con.countries.add(code)
            con.labels.append(code)
            return True
        if not town.ok or town.score < 95:
            return False
        if clause.kind == "near":
            con.add_circle(town.lon, town.lat, NEAR_CONTEXT_KM)
            con.labels.append(f"near {town.name}")
            return self._derive(
                town, rule="near", uncertainty_m=_combine(town.uncertainty_m, NEAR_M)
            )
        if clause.kind == "countryside":
            con.add_circle(town.lon, town.lat, COUNTRYSIDE_CONTEXT_KM, clause.azimuth)
            side = f"{compass(clause.azimuth)} " if clause.azimuth is not None else ""
            con.labels.append(f"the {side}countryside of {town.name}")
            unc = _combine(town.uncertainty_m, COUNTRYSIDE_M)
            if clause.azimuth is not None:
                return self._shift(town, "direction", clause.azimuth, DIRECTION_M, unc)
            return self._derive(town, rule="countryside", uncertainty_m=unc)
        if clause.distance_km is not None and clause.azimuth is None:
            # "about 50 km from Damascus": a ring around the town
            d = clause.distance_km
            con.add_circle(town.lon, town.lat, d * 1.5 + 5.0, None, max(0.0, d * 0.5 - 5.0))
            con.labels.append(f"{_km_text(d)} km from {town.name}")
            return self._derive(
                town, rule="near", uncertainty_m=_combine(town.uncertainty_m, d * 1000.0)
            )
        # direction (with or without a distance)
        az = clause.azimuth if clause.azimuth is not None else 0.0
        if clause.distance_km is not None:
            d = clause.distance_km
            con.add_circle(town.lon, town.lat, d * 1.5 + 5.0, az, max(0.0, d * 0.5 - 5.0))
            con.labels.append(f"{_km_text(d)} km {compass(az)} of {town.name}")
            return self._shift(town, "offset", az, d * 1000.0,
                               _combine(town.uncertainty_m, max(2000.0, 400.0 * d)))  # fmt: skip
        con.add_circle(town.lon, town.lat, DIRECTION_CONTEXT_KM, az)
        con.labels.append(f"{compass(az)} of {town.name}")
        return self._shift(town, "direction", az, DIRECTION_M,
                           _combine(town.uncertainty_m, DIRECTION_M))  # fmt: skip

    def _is_town(self, text: str) -> bool:
        """Whether ``text`` names a town exactly (a populated place with a town's extent,
        3 km or more: see :func:`desertgeo.gazetteer.place_uncertainty_m`)."""
        town = self.place(text, allow_governorate=False)
        return bool(
            town.ok and town.score >= 95 and town.feature_type == "populated place"
            and town.uncertainty_m >= 3000.0
        )  # fmt: skip

    def _admin1_keys(self) -> dict[str, str]:
        """First-level units outside Syria (Al-Anbar, Mafraq): match key -> admin1 key."""
        cache = _gaz_memo(self.gaz).setdefault("_admin1_keys", {})
        if not cache:
            cols = _columns(self.gaz)
            for name, key, country in zip(
                cols["admin1"], cols["admin1_key"], cols["country"], strict=True
            ):
                if name and country != "SY":
                    bare = _ADMIN1_AFFIX_RE.sub("", name)
                    cache.setdefault(normalize_name(bare), key)
                    cache.setdefault(key, key)
            for alias, canonical in _ADMIN1_ALIASES.items():
                if normalize_name(canonical) in cache:
                    cache.setdefault(normalize_name(alias), cache[normalize_name(canonical)])
        keys: dict[str, str] = cache
        return keys

    def _admin_spellings(self, col: str) -> dict[str, set[str]]:
        """The admin keys of ``col`` by the consonants of their names (4 or more)."""
        cache = _gaz_memo(self.gaz).setdefault("_admin_spellings", {})
        if col not in cache:
            out: dict[str, set[str]] = {}
            for a in set(self.gaz._table[col].astype(str)):
                c = _unit_consonants(a) if a and a != "nan" else ""
                if len(c) >= 4:
                    out.setdefault(c, set()).add(_admin_key(a))
            cache[col] = out
        spellings: dict[str, set[str]] = cache[col]
        return spellings

    def _admin_keys(self, col: str) -> set[str]:
        cache = _gaz_memo(self.gaz).setdefault("_admin_key_sets", {})
        if col not in cache:
            cache[col] = {_admin_key(str(a)) for a in self.gaz._table[col] if str(a)}
        keys: set[str] = cache[col]
        return keys

    def _unit_refs(self, key: str, col: str) -> list[tuple[float, float, float]]:
        """The sub-district centroids of a district / sub-district, with their reach (km)."""
        cols = _columns(self.gaz)
        of_unit = cols[f"{col}_key"] == key
        rows = np.flatnonzero(of_unit & (cols["feature_type"] == "nahiya"))
        if not len(rows):
            # no sub-district polygons (Iraq's and Jordan's districts): the circle around
            # the unit's own places that holds them all, 10 km wider ("Hit district" holds
            # Hit, a GeoNames row that carries no district)
            places = np.flatnonzero(of_unit & (cols["feature_type"] == "populated place"))
            if not len(places):
                return []
            lon0, lat0, d = _centre_of(cols, places)
            return [(lon0, lat0, float(np.max(d)) / 1000.0 + 10.0)]
        return [
            (
                float(cols["lon"][i]),
                float(cols["lat"][i]),
                1.5 * float(cols["uncertainty_m"][i]) / 1000.0 + 10.0,
            )
            for i in rows
        ]

    def _area_of(self, name: str, col: str) -> Place | None:
        """A district / sub-district as an area, else None: a sub-district is its own
        entry; a district the circle that covers its sub-districts (or, where there are
        none, as for Iraq's and Jordan's, its populated places)."""
        key = _admin_key(name)
        cache = _gaz_memo(self.gaz).setdefault("_unit_areas", {})
        if (col, key) in cache:
            return cache[(col, key)]
        cols = _columns(self.gaz)
        of_unit = cols[f"{col}_key"] == key
        rows = np.flatnonzero(of_unit & (cols["feature_type"] == "nahiya"))
        district = col == "admin2"
        if district and not len(rows):
            rows = np.flatnonzero(of_unit & (cols["feature_type"] == "populated place"))
        if not len(rows):
            cache[(col, key)] = None
            return None
        first = int(rows[0])
        if district:
            lon0, lat0, d = _centre_of(cols, rows)
            radius = float(np.max(d + cols["uncertainty_m"][rows]))
            place_id = f"district:{cols['country'][first]}:{cols['admin2'][first]}"
        else:
            lon0, lat0 = float(cols["lon"][first]), float(cols["lat"][first])
            radius = float(cols["uncertainty_m"][first])
            place_id = str(cols["place_id"][first])
        out = Place(
            name=str(name),
            place_id=place_id,
            feature_type="district" if district else "nahiya",
            country=str(cols["country"][first]),
            admin1=str(cols["admin1"][first]),
            admin2=str(cols["admin2"][first]),
            admin3="" if district else str(cols["admin3"][first]),
            lon=lon0,
            lat=lat0,
            score=100.0,
            rule="district" if district else "nahiya",
            uncertainty_m=radius,
            status="ok",
        )
        cache[(col, key)] = out
        return out

    def _river(self, name: str) -> np.ndarray | None:
        """An approximate line of the Euphrates through the towns on its banks."""
        if "euphrates" not in name.lower() and "فرات" not in name:
            return None
        cache = _gaz_memo(self.gaz).setdefault("_river_line", {})
        if "euphrates" not in cache:
            pts = []
            for town in _EUPHRATES_TOWNS:
                best = self.gaz.best(town, threshold=101, country="SY")
                if best is not None:
                    pts.append((best.lon, best.lat))
            cache["euphrates"] = np.array(pts) if len(pts) >= 2 else None
        line: np.ndarray | None = cache["euphrates"]
        return line

    def _resolve_plain(self, q: str) -> Place:
        con = None if self.constraint is None else self.constraint.key
        key = ("plain", q, con)
        hit = self._memo.get(key)
        if hit is None:
            hit = self._memo[key] = self._resolve_plain_uncached(q)
        return hit

    def _resolve_plain_uncached(self, q: str) -> Place:
        for handler in (
            self._tanf,
            self._tripoint,
            self._road_between,
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
        foreign = self._foreign_town(q)
        if foreign is not None:
            return foreign
        res = self.place(q)
        if not res.ok and self.gaz.roads is not None:
            road = self.gaz.road(_THE_RE.sub("", q))  # a bare road name: "M20"
            if road is not None:
                return self._road_result(road)
        return res

    def _foreign_town(self, q: str) -> Place | None:
        """ "the Iraqi border town of al-Qaim": the town, looked for in that country."""
        m = _COUNTRY_TOWN_RE.match(q)
        if m is None or self.constraint is not None:
            return None
        code = _NEIGHBOURS[m.group(1).casefold()]
        con = _Constraint(countries={code}, labels=[code])
        res = self._child(con)._resolve_plain(m.group(2))
        if res.ok:
            return res
        other = self.place(m.group(2))
        if not other.ok:
            return res
        return self._derive(
            other,
            f"the text says a place of {code}; {other.name} is in {other.country or '?'}",
            status="ambiguous",
        )

    def _named_site(self, q: str) -> Place | None:
        """A base or airport named after a known place: that place, a few km wider."""
        text = _ADJ_RE.sub("", _clean(q))
        m = _NAMED_SITE_RE.match(text)
        margin = NAMED_SITE_M
        if m is None:
            m, margin = _NAMED_POST_RE.match(text), FACILITY_M
        if m is None or _tells_an_event(m.group(1)):
            return None
        for noun in ("airbase", "airport", "base") if margin == NAMED_SITE_M else ():
            # "the Khalkhalah military airbase": the site "Khalkhalah airbase" when known
            site = self._place(_clean(f"{m.group(1)} {noun}"), False)  # (no recursion)
            if site.status == "ok" and site.place_id.startswith("site:"):
                return _note(site, f"{q!r} read as {site.name}")
        town = self.place(m.group(1), allow_governorate=False)
        if not town.ok or town.rule not in _NAME_RULES:
            return None
        if town.place_id.startswith("site:"):  # "the T4 military airport": the site itself
            return _note(town, f"{q!r} read as {town.name}")
        return self._derive(
            town,
            f"{q!r} is not in the gazetteer: the place it is named after, {town.name}, "
            f"with {margin / 1000:.0f} km added to its uncertainty",
            rule="near",
            uncertainty_m=_combine(town.uncertainty_m, margin),
        )

    def _country(self, row: Any) -> Place:
        geom = row.geometry
        place = _area_place(
            geom, geom.representative_point(), name=str(row["name"]),
            place_id=f"country:{row['country']}", feature_type="country",
            country=str(row["country"]), rule="country", reason="only the country is known",
        )  # fmt: skip
        return self._with_area(place, geom)

    def _sub(self, text: str) -> Place:
        """Resolve the place inside a phrase (a bare place, else a governorate)."""
        return self.place(text)

    @staticmethod
    def _fail(rule: str, part: Place) -> Place:
        return Place.unresolved(f"{rule}: {part.reason}")

    def _tanf(self, q: str) -> Place | None:
        if not (_TANF_RE.search(q) or _AR_TANF_RE.search(q)):
            return None
        base = self.gaz.best("al-Tanf garrison", threshold=101)
        if base is None:
            return None
        res = self._from_entry(base).derive(
            rule="tanf_zone",
            status="ok",
            reason="55 km deconfliction zone around the al-Tanf garrison",
            uncertainty_m=TANF_ZONE_M,
            candidates=(),
        )
        return self._with_area(res, _circle(res.lon, res.lat, TANF_ZONE_M))

    def _tripoint(self, q: str) -> Place | None:
        if not _TRI_RE.search(q):
            return None
        best = self.gaz.best("Syria-Iraq-Jordan tri-border", threshold=101)
        if best is not None:
            res = self._from_entry(best)
        elif self.gaz.tripoint is not None and len(self.gaz.tripoint):
            pt = self.gaz.tripoint.geometry.iloc[0]
            res = Place(
                name="Syria-Iraq-Jordan tri-point", place_id="tripoint:SY-IQ-JO",
                feature_type="tripoint", country="SY", lon=pt.x, lat=pt.y, score=100.0,
                status="ok",
            )  # fmt: skip
        else:
            return None
        return res.derive(
            rule="tripoint",
            status="ok",
            reason="the area around the Syria-Iraq-Jordan tri-point",
            uncertainty_m=TRIPOINT_M,
            candidates=(),
        )

    def _between(self, q: str) -> Place | None:
        m = _BETWEEN_RE.match(q)
        if m:
            first, second = m.group(1) or m.group(2), m.group(3)
        else:
            m = _AR_BETWEEN_RE.match(q)
            if not m:
                return None
            first, second = m.group(1), m.group(2)
        a, b = self._pair(first, second)
        if not (a.ok and b.ok):
            # "between X and Y in the Homs desert": the context after Y holds both
            last, clauses = split_description(second)
            built = self._constraint_for(clauses) if clauses and last != second else None
            if built is not None:
                a2, b2 = self._child(built[0])._pair(first, last)
                if a2.ok and b2.ok:
                    a, b = a2, b2
        if not a.ok:
            return self._fail("between", a)
        if not b.ok:
            return self._fail("between", b)
        az, _, dist = GEOD.inv(a.lon, a.lat, b.lon, b.lat)
        lon, lat, _ = GEOD.fwd(a.lon, a.lat, az, dist / 2.0)
        notes = [n for n in (a.reason, b.reason) if n]
        res = Place(
            name=f"{a.name} / {b.name}",
            place_id=f"{a.place_id}|{b.place_id}",
            feature_type="between",
            country=a.country if a.country == b.country else f"{a.country}|{b.country}",
            admin1=a.admin1 if a.admin1 == b.admin1 else "",
            lon=float(lon),
            lat=float(lat),
            score=min(a.score, b.score),
            rule="between",
            uncertainty_m=float(dist / 2.0 + max(a.uncertainty_m, b.uncertainty_m)),
            status="ambiguous" if "ambiguous" in (a.status, b.status) else "ok",
            reason="; ".join([*notes, f"midpoint of a {dist / 1000:.0f} km segment"]),
            candidates=a.candidates + b.candidates,
        )
        return self._with_area(res, LineString([(a.lon, a.lat), (b.lon, b.lat)]))

    def _offset(self, q: str) -> Place | None:
        if _NEGATIVE_OFFSET_RE.match(q):
            return Place.unresolved("offset: a negative distance is not a location description")
        far = distance_from(q)
        if far is not None:
            return self._distance_from(*far)
        m = _OFFSET_RE.match(q)
        if m:
            num, unit, direction, rest = m.groups()
            az = _DIRS[direction.lower()]
        elif (after := _AR_OFFSET_AFTER_RE.match(q)) is not None:
            direction, rest, num, unit = after.groups()
            az = _AR_DIRS[direction]
        else:
            m = _AR_OFFSET_RE.match(q)
            if not m:
                return None
            num, unit, direction, rest = m.groups()
            az = _AR_DIRS[direction]
        dist = float(num.replace(",", ".")) * _UNIT_M.get(unit.lower(), 1000.0)
        bad = _implausible_distance(dist / 1000.0)
        if bad is not None:
            return bad
        base = self._sub(rest)
        if not base.ok:
            return self._fail("offset", base)
        return self._shift(
            base, "offset", az, dist, _combine(base.uncertainty_m, max(2000.0, 0.4 * dist))
        )

    def _distance_from(self, km: float, rest: str) -> Place:
        """ "3 km away from X": X, with the distance as its uncertainty (no direction)."""
        bad = _implausible_distance(km)
        if bad is not None:
            return bad
        base = self._sub(rest)
        if not base.ok:
            return self._fail("offset", base)
        return self._derive(
            base,
            f"{km:g} km from {base.name}, direction not given: a circle around it",
            rule="near",
            uncertainty_m=_combine(base.uncertainty_m, km * 1000.0),
        )

    def _direction(self, q: str) -> Place | None:
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

    @staticmethod
    def _shift(base: Place, rule: str, az: float, dist: float, unc: float) -> Place:
        lon, lat, _ = GEOD.fwd(base.lon, base.lat, az, dist)
        return _note(
            base.derive(rule=rule, lon=float(lon), lat=float(lat), uncertainty_m=unc),
            f"{_km_text(dist / 1000)} km at azimuth {az:g} from {base.name}",
        )

    def _near(self, q: str) -> Place | None:
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
        radius = OUTSKIRTS_M if any(w in cue for w in _EDGE_WORDS) else NEAR_M
        return self._derive(
            base,
            f"{cue!r}: within about {radius / 1000:g} km of {base.name}",
            rule="near",
            uncertainty_m=_combine(base.uncertainty_m, radius),
        )

    def _governorate_phrase(self, q: str) -> Place | None:
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
            return self._derive(self._governorate(whole), f"{q!r} is a name of the governorate")
        res = self._kind_of(kind.lower(), rest)
        az = _phrase_azimuth(q) if res is not None and res.rule == "governorate" else None
        if res is not None and az is not None:
            gov = self.gaz.governorate(res.name)
            if gov is not None:
                return self._governorate_part(gov, az, rest) or res
        return res

    def _governorate_part(self, gov: Any, az: float, named: str) -> Place | None:
        """ "the eastern Homs countryside": the half of the governorate on that side of the
        city of its name (of its middle when it has none), as an area."""
        town = self.place(named, allow_governorate=False)
        if not (town.ok and normalize_name(town.admin1) == normalize_name(str(gov["name_en"]))):
            town = self._governorate(gov)
        arc = [GEOD.fwd(town.lon, town.lat, az + d, HALF_PLANE_M)[:2] for d in range(-90, 91, 15)]
        part = gov.geometry.intersection(Polygon([(town.lon, town.lat), *arc]))
        if part.is_empty or part.area < 0.05 * gov.geometry.area:
            return None
        pt = part.centroid if part.contains(part.centroid) else part.representative_point()
        side = compass(az)
        place = _area_place(
            part, pt, name=f"{gov['name_en']} ({side})",
            place_id=f"governorate:{gov['hasc']}",  # the unit; the point is the part's
            feature_type="governorate part", country="SY", admin1=str(gov["name_en"]),
            rule="governorate",
            reason=f"the {side} part of {gov['name_en']} governorate, seen from {town.name}",
        )  # fmt: skip
        return self._with_area(place, part)

    def _kind_of(self, kind: str, rest: str) -> Place | None:
        """A kind ("countryside", "desert", ...) of X: the governorate when X names one, else X."""
        gov = self.gaz.governorate(rest)
        place = self._best(rest, 101.0) if self.constraint is None else None
        if gov is not None and (
            kind in {"province", "governorate", "محافظة"}
            or place is None
            or place.feature_type != "populated place"
            or match_facts(place)["population"] >= 100_000
            or normalize_name(place.name) == normalize_name(str(gov["name_en"]))
            or kind in {"ريف", "بادية", "أرياف", "ارياف", "البادية", "صحراء"}
        ):
            return self._derive(
                self._governorate(gov), f"{kind!r} + {gov['name_en']}: governorate level"
            )
        base = self._sub(rest) if place is None else self._from_entry(place)
        if not base.ok:
            if kind == "region":
                return None
            return self._fail(kind, base)
        if kind in {"province", "governorate"}:
            gov = self.gaz.governorate(base.admin1) if base.admin1 else None
            if gov is not None:
                return self._derive(
                    self._governorate(gov), f"{kind} of {base.name}: its governorate"
                )
        if base.rule != "name":
            return base
        close = (
            place is not None
            and match_facts(place)["layer"] == "normalised"
            and float(match_facts(place)["similarity"]) >= CLOSE_SIMILARITY
        )  # "the Badia of al-Sukhnah": As Sukhnah, the article spelt as said
        if kind in _AREA_KINDS and base.score < 100 and base.status == "ok" and not close:
            # "the Tabanny desert": a desert named after a village is not that village
            # unless the name is the village's own
            base = _note(base.derive(status="ambiguous"), f"{rest!r} is not an exact name")
        return self._derive(
            base,
            f"{kind!r} + {base.name}: within about 20 km",
            rule="countryside",
            uncertainty_m=_combine(base.uncertainty_m, COUNTRYSIDE_M),
        )

    # .................................................................. roads
    def _road(self, q: str) -> Place | None:
        """A road phrase ("along the M2", "the Palmyra-Deir ez-Zor road"): road or X-Y stretch."""
        m = _ROAD_RE.match(q)
        ar = _AR_ROAD_RE.match(q) if m is None else None
        if (m is None and ar is None) or self.gaz.roads is None:
            return None
        body = m.group(1) if m else ar.group(1)  # type: ignore[union-attr]
        candidates = [q, body] + (
            [f"{body} {m.group(2)}", f"{body} highway", f"{body} road"] if m else []
        )
        if ar is not None:
            candidates += [f"طريق {body}", f"أوتوستراد {body}"]
        named = None
        for cand in candidates:
            named = self.gaz.road(_LEAD_RE.sub("", cand))
            if named is not None:
                break
        ends = self._split_pair(body)
        if ends is None:
            return self._road_result(named) if named is not None else None
        return self._road_segment(ends[0], ends[1], named)

    def _road_between(self, q: str) -> Place | None:
        """The stretch of road in "on the road between X and Y", "the M2 between X and Y"."""
        m = _ROAD_BETWEEN_RE.match(q) or _AR_ROAD_BETWEEN_RE.match(q)
        if m is None or self.gaz.roads is None:
            return None
        name = (m.group("road") or "").strip()
        named = None
        if name and not re.fullmatch(r"(?:the\s+)?(?:main\s+|desert\s+)?", name, re.I):
            named = self.gaz.road(_THE_RE.sub("", name)) or self.gaz.road(f"{name} highway")
            if named is None:
                return None  # "the smugglers' road between X and Y": not a shipped road
        a, b = self._pair(m.group("a"), m.group("b"))
        if not a.ok:
            return self._fail("road", a)
        if not b.ok:
            return self._fail("road", b)
        return self._road_segment(a, b, named)

    def _road_at(self, q: str) -> Place | None:
        """The road near Z in "at the Z checkpoint on the M2", "on the M20 near Kabajeb"."""
        if self.gaz.roads is None or not _ROAD_WORD_RE.search(q):
            return None
        for rx, road_group, where_group in (
            (_ROAD_THEN_PLACE_RE, "road", "where"),
            (_PLACE_ON_ROAD_RE, "road", "where"),
        ):
            m = rx.match(q)
            if m is None:
                continue
            road_text = m.group(road_group)
            road = self._road_named(road_text)
            if road is None:
                continue
            where = _CHECKPOINT_RE.sub("", m.group(where_group)).strip(" ,")
            said = m.group(where_group).strip(" ,")
            bare = re.fullmatch(r"(?:an?|the|one|some|several)?", where, re.IGNORECASE)
            if rx is _PLACE_ON_ROAD_RE and (
                bare or (_tells_an_event(said) and not _FACILITY_RE.search(said))
            ):
                # "an ambush on the Athriya-Khanasir road", "a checkpoint on the M20": what
                # happened or an unnamed post, somewhere on the road
                whole = self._road(road_text)
                if whole is not None and whole.ok:
                    return _note(whole, f"{said!r} names no place: the place is the road")
                continue
            spot = self._sub(where) if where else None
            if spot is None or not spot.ok:
                spot = self._resolve_plain(_clean(m.group(where_group)))
            if not spot.ok:
                return self._fail("road", spot)
            return self._road_point(road, spot)
        return None

    def _road_named(self, text: str) -> Any:
        """The shipped road a road phrase names ("the M2", "the Palmyra-Deir ez-Zor road")."""
        text = _THE_RE.sub("", _clean(text))
        road = self.gaz.road(text)
        if road is not None:
            return road
        res = self._road(text) if _ROAD_RE.match(text) else None
        if res is not None and res.ok and res.place_id.startswith("road:"):
            rid = res.place_id.split(":", 1)[1]
            rows = self.gaz.roads[self.gaz.roads["road_id"] == rid]
            return rows.iloc[0] if len(rows) else None
        return None

    def _road_line(self, road: Any) -> Any:
        key = ("road_utm", str(road["road_id"]))
        if key not in self._memo:
            self._memo[key] = _to_utm(road.geometry)
        return self._memo[key]

    def _nearest_road(self, a: Place, b: Place) -> tuple[Any, float]:
        pa = _to_utm(Point(a.lon, a.lat))
        pb = _to_utm(Point(b.lon, b.lat))
        best_road, best_d = None, math.inf
        for _, road in self.gaz.roads.iterrows():
            line = self._road_line(road)
            d = max(line.distance(pa), line.distance(pb))
            if d < best_d:
                best_road, best_d = road, d
        return best_road, best_d

    def _road_segment(self, a: Place, b: Place, named: Any) -> Place:
        """The stretch of a shipped road between the places nearest ``a`` and ``b``."""
        if named is not None:
            road, gap = (
                named,
                max(self._road_line(named).distance(_to_utm(Point(p.lon, p.lat))) for p in (a, b)),
            )
        else:
            road, gap = self._nearest_road(a, b)
        if road is None or gap > ROAD_SNAP_M:
            if named is not None:
                res = self._road_result(named)
                return _note(res, f"{a.name} or {b.name} lies {gap / 1000:.0f} km off the road: "
                                  "the whole road")  # fmt: skip
            line = LineString([(a.lon, a.lat), (b.lon, b.lat)])
            res = self._line_result(
                line, "road", f"{a.name}-{b.name} (straight line)", "", ROAD_BUFFER_M
            )
            return _note(
                res.derive(status="ambiguous"),
                "no shipped road joins them: the straight line between the two places",
            )
        utm = self._road_line(road)
        s = sorted(utm.project(_to_utm(Point(p.lon, p.lat))) for p in (a, b))
        seg = shapely.ops.substring(utm, s[0], s[1])
        accuracy = _road_accuracy(road)
        res = self._line_result(
            _from_utm(seg), "road", str(road["name"]), f"road:{road['road_id']}",
            max(accuracy, gap),
        )  # fmt: skip
        whole = abs(s[1] - s[0]) >= utm.length - 1.0
        part = "the whole road" if whole else f"the {abs(s[1] - s[0]) / 1000:.0f} km stretch"
        return self._with_area(_note(
            res.derive(candidates=a.candidates + b.candidates,
                       status="ambiguous" if "ambiguous" in (a.status, b.status) else "ok"),
            f"{part} between {a.name} and {b.name} (the road passes within {gap / 1000:.0f} "
            f"km of both); road accuracy {accuracy / 1000:g} km",
            _road_caveat(road),
        ), self.area(res))  # fmt: skip

    def _road_point(self, road: Any, spot: Place) -> Place:
        """The point of ``road`` nearest ``spot``, with an uncertainty that covers both."""
        utm = self._road_line(road)
        p = _to_utm(Point(spot.lon, spot.lat))
        gap = float(utm.distance(p))
        on = _from_utm(utm.interpolate(utm.project(p)))
        accuracy = _road_accuracy(road)
        spot_unc = spot.uncertainty_m if math.isfinite(spot.uncertainty_m) else 0.0
        unc = _combine(spot_unc, accuracy) + gap
        status = spot.status
        notes = [
            f"the point of the road nearest {spot.name} ({gap / 1000:.1f} km from it); "
            f"road accuracy {accuracy / 1000:g} km",
            _road_caveat(road),
        ]
        if gap > ROAD_SNAP_M:
            status = "ambiguous"
            notes.append(f"{spot.name} is {gap / 1000:.0f} km from that road: check the text")
        return _note(
            spot.derive(
                rule="road", lon=float(on.x), lat=float(on.y), uncertainty_m=float(unc),
                feature_type="road", status=status,
                name=f"{road['name']} near {spot.name}",
                place_id=f"road:{road['road_id']}|{spot.place_id}",
            ),
            *notes,
        )  # fmt: skip

    def _split_pair(self, body: str) -> tuple[Place, Place] | None:
        for m in _SPLIT_RE.finditer(body):
            left, right = body[: m.start()].strip(), body[m.end() :].strip()
            if not left or not right:
                continue
            a, b = self._pair(left, right, allow_governorate=False)
            if a.ok and b.ok and a.score >= 95 and b.score >= 95:
                return a, b
        if is_arabic(body):
            words = body.split()
            for i in range(1, len(words)):
                a, b = self._pair(" ".join(words[:i]), " ".join(words[i:]), False)
                if a.ok and b.ok and a.score >= 95 and b.score >= 95:
                    return a, b
        return None

    def _pair(self, left: str, right: str, allow_governorate: bool = True) -> tuple[Place, Place]:
        """Two places named together (a road's ends, "between X and Y"): homonyms that lie
        near each other are preferred to a pair far apart."""
        a = self.place(left, allow_governorate=allow_governorate)
        b = self.place(right, allow_governorate=allow_governorate)
        if not (a.ok and b.ok) or _km(a, b) <= PAIR_NEAR_KM:
            return a, b
        best = (_km(a, b), a, b)
        for other, text, first in ((b, left, True), (a, right, False)):
            con = _Constraint()
            con.add_circle(other.lon, other.lat, PAIR_KM)
            con.labels.append(f"within {PAIR_KM:g} km of {other.name}")
            alt = self._child(con).place(text, allow_governorate=allow_governorate)
            # a homonym nearer the other end, matched as well as the first answer (a
            # weak spelling near Palmyra is not "Deir ez-Zor" of "Deir ez-Zor - Palmyra")
            own = a if first else b
            if alt.ok and alt.score >= min(own.score, 95.0):
                pa, pb = (alt, b) if first else (a, alt)
                # much nearer (a duplicate entry a few km off is no better homonym)
                if _km(pa, pb) < 0.75 * best[0]:
                    best = (_km(pa, pb), pa, pb)
        return best[1], best[2]

    def _road_result(self, road: Any) -> Place:
        res = self._line_result(
            road.geometry, "road", str(road["name"]), f"road:{road['road_id']}",
            max(ROAD_BUFFER_M, _road_accuracy(road)),
        )  # fmt: skip
        return _note(res, "the whole road", _road_caveat(road))

    def _line_result(self, line: Any, rule: str, name: str, pid: str, buffer_m: float) -> Place:
        utm = _to_utm(line)
        mid = _from_utm(utm.interpolate(0.5, normalized=True))
        area = _from_utm(utm.buffer(buffer_m))
        admin1 = ""
        if self.gaz.governorates is not None:
            hit = self.gaz.governorates[self.gaz.governorates.contains(mid)]
            admin1 = str(hit["name_en"].iloc[0]) if len(hit) else ""
        res = Place(
            name=name,
            place_id=pid,
            feature_type=rule,
            country="SY",
            admin1=admin1,
            lon=float(mid.x),
            lat=float(mid.y),
            score=100.0,
            rule=rule,
            uncertainty_m=_cover_radius(mid.x, mid.y, line) + buffer_m,
            status="ok",
        )
        return self._with_area(res, area)

    def _border_near(self, q: str, line: Any, label: str, pid: str) -> Place | None:
        """ "near the Iraqi border in the Badia of al-Bukamal": the point of the border
        nearest a town the text names, when the town is within BORDER_NEAR_KM of it."""
        _, clauses = split_description(q)
        for c in clauses:
            if _BORDER_RE.search(c.text):
                continue
            town = self.place(_PLAIN_SUFFIX_RE.sub("", _clean(c.text)), allow_governorate=False)
            if not (town.ok and town.score >= 95 and town.feature_type == "populated place"):
                continue
            utm = _to_utm(line)
            p = _to_utm(Point(town.lon, town.lat))
            gap = float(utm.distance(p))
            if gap > BORDER_NEAR_KM * 1000.0:
                continue
            on = _from_utm(utm.interpolate(utm.project(p)))
            return self._derive(
                town,
                f"the Syria-{label} border nearest {town.name} ({gap / 1000:.0f} km from it)",
                name=f"Syria-{label} border near {town.name}", feature_type="border",
                place_id=pid, lon=float(on.x), lat=float(on.y), rule="border",
                uncertainty_m=_combine(town.uncertainty_m, gap, BORDER_BUFFER_M),
            )  # fmt: skip
        return None

    def _border(self, q: str) -> Place | None:
        if not _BORDER_RE.search(q) or self.gaz.borders is None:
            return None
        if _BORDER_TOWN_RE.search(q):
            return None  # "the Iraqi border town of al-Qaim": the town, not the line
        on = _ON_BORDER_RE.match(q) or _AR_ON_BORDER_RE.match(q)
        if on is not None:
            res = self._sub(on.group(1))
            if res.ok:
                return _note(res, f"{on.group(2).strip()!r}: the place named, not the border line")
        words = re.findall(r"[^\W\d_]+", q.casefold())
        found = []
        for w in words:
            code = _NEIGHBOURS.get(w)
            if code is not None and code != "SY" and code not in found:
                found.append(code)
        if len(found) != 1:
            return None
        rows = self.gaz.borders[self.gaz.borders["neighbour"] == found[0]]
        if not len(rows):
            return None
        row = rows.iloc[0]
        label = str(row.get("neighbour_name", found[0]))
        near = self._border_near(q, row.geometry, label, f"border:SY-{found[0]}")
        if near is not None:
            return near
        res = self._line_result(
            row.geometry,
            "border",
            f"Syria-{label} border",
            f"border:SY-{found[0]}",
            BORDER_BUFFER_M,
        )
        return self._derive(res, admin1="")


def _km(a: Place, b: Place) -> float:
    """Geodesic distance in km between two places."""
    return float(GEOD.inv(a.lon, a.lat, b.lon, b.lat)[2]) / 1000.0


def _road_accuracy(road: Any) -> float:
    """The road's stated accuracy in metres (``ROAD_BUFFER_M`` when it states none)."""
    value: Any = road.get("accuracy_m") if hasattr(road, "get") else None
    try:
        acc = float(value)
    except (TypeError, ValueError):
        return ROAD_BUFFER_M
    return acc if math.isfinite(acc) and acc > 0 else ROAD_BUFFER_M


def _road_caveat(road: Any) -> str:
    approx = str(road.get("approximate", "true")).strip().lower() if hasattr(road, "get") else ""
    return "approximate road line" if approx in {"true", "1", "yes", ""} else ""


def _text(value: Any) -> str:
    """A text cell as str ("" for None / NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _admin_text(value: Any) -> str:
    """An admin cell as str: "" for None / NaN and for the text "nan" a cast left behind."""
    text = _text(value)
    return "" if text in {"nan", "None", "<NA>"} else text


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
    threshold: float = DEFAULT_THRESHOLD,
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
        When > 0, the ``candidates`` column of bare names lists up to that many ranked
        candidates (``"name (place_id, layer score)"``, ``"; "``-joined); otherwise it
        holds the other places an ambiguous or out-of-context answer could mean.

    Returns
    -------
    geopandas.GeoDataFrame
        EPSG:4326, aligned to the input (a list gets a RangeIndex, a Series keeps its
        index), columns ``query, matched_name, place_id, feature_type, country, admin1,
        admin2, admin3, score, geo_precision, where_prec, uncertainty_m, rule, status,
        reason, candidates, geometry`` (``status``: "ok", "ambiguous", "out_of_context"
        or "unresolved", see :data:`desertgeo._place.STATUSES`; ``reason``: how the row
        was resolved, what was assumed, or why it failed; each row is a
        :class:`~desertgeo._place.Place`). ``geo_precision`` and
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
    results: list[Place],
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
        "matched_name": pd.array([r.name for r in results], dtype="string"),
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
        "reason": pd.array([r.reason for r in results], dtype="string"),
        "candidates": pd.array(["; ".join(r.candidates) for r in results], dtype="string"),
    }
    lon = np.array([r.lon if r.ok else np.nan for r in results], dtype="float64")
    lat = np.array([r.lat if r.ok else np.nan for r in results], dtype="float64")
    pts = shapely.points(lon, lat)
    pts[~(np.isfinite(lon) & np.isfinite(lat))] = None
    out = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(pts, crs=4326).values, crs=4326)
    out.index = series.index
    if n_candidates > 0:
        cands = []
        for q, r, mine in zip(series.tolist(), results, out["candidates"].tolist(), strict=True):
            if not isinstance(q, str) or r.rule not in {"name", "unresolved"}:
                cands.append(mine)
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
        areas = [_area(r, resolver) for r in results]
        out["uncertainty_geometry"] = gpd.GeoSeries(areas, crs=4326, index=out.index)
    return out


def _area(res: Place, resolver: _Resolver) -> Any:
    if not res.ok:
        return None
    area = resolver.area(res)
    if area is not None and area.geom_type in {"Polygon", "MultiPolygon"}:
        return area
    if area is not None and res.rule == "between":
        utm = _to_utm(area)
        return _from_utm(utm.buffer(max(res.uncertainty_m - utm.length / 2.0, 1000.0)))
    return _circle(res.lon, res.lat, res.uncertainty_m)


def uncertainty_geometry(result: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """Geodesic circles of ``uncertainty_m`` around each point of a geocode result.

    For results made with ``geocode(..., uncertainty_geometry=True)`` the column of that
    name (with governorate polygons and buffered roads) is returned instead.

    Examples
    --------
    >>> from desertgeo._geodesy import METRIC_CRS
    >>> from desertgeo.geocoder import geocode, uncertainty_geometry
    >>> circles = uncertainty_geometry(geocode(["Sukhna", "near Palmyra"]))
    >>> [round(a / 1e6) for a in circles.to_crs(METRIC_CRS).area]
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
