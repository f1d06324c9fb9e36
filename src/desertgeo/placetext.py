"""Places in free text: :func:`find_places` and the :class:`PlaceMention` it returns.

The text scan that finds place names and descriptive locations ("outside the desert town
of Sukhna", "20 km east of Palmyra", "along the Damascus-Baghdad highway") in running
text and geocodes each phrase with the rules of :func:`desertgeo.geocoder.geocode`.
``desertgeo.find_places`` and ``desertgeo.geocoder.find_places`` are this function.

Examples
--------
>>> from desertgeo.placetext import find_places
>>> [m.matched_name for m in find_places("Fighting in Sukhna.")]
['As Sukhnah']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from desertgeo._errors import InputError
from desertgeo._place import Place
from desertgeo.gazetteer import Gazetteer
from desertgeo.geocoder import (
    _APPROX,
    _AR_DIR_ALT,
    _DESCRIPTOR,
    _DIR_ALT,
    _DIRADJ,
    _NUM,
    _geo_prec,
    _note,
    _Resolver,
    _where_prec,
)
from desertgeo.names import ARTICLES, fold_name, fuzzy_key, is_arabic, normalize_name

__all__ = ["PlaceMention", "find_places"]


@dataclass(frozen=True)
class PlaceMention:
    """A place or descriptive location found in free text by :func:`find_places`.

    Attributes
    ----------
    start, end : int
        Span of the whole phrase in the text (``text[start:end] == surface``).
    surface : str
        The phrase as written (e.g. ``"outside the desert town of Sukhna"``).
    name_start, name_end : int
        Span of the place name inside the phrase's text (the whole span for areas such
        as roads and zones).
    rule, place_id, matched_name, feature_type, country, admin1, score, geo_precision,
    where_prec, uncertainty_m, status, reason, lon, lat
        As in :func:`geocode` (the phrase geocoded with the same rules).
    """

    start: int
    end: int
    surface: str
    name_start: int
    name_end: int
    rule: str
    place_id: str
    matched_name: str
    feature_type: str
    country: str
    admin1: str
    score: float
    geo_precision: int
    where_prec: int
    uncertainty_m: float
    status: str
    reason: str
    lon: float
    lat: float

    def to_dict(self) -> dict[str, Any]:
        """The mention as a plain dict."""
        return asdict(self)


# common English words (and news vocabulary) that are also GeoNames place names
_STOP = frozenset(
    """
    a about above across after again against all also an and any are as at back bad bar be
    been before being below between both but by can could day did do does down during each
    even few for from further had has have he her here him his how if in into is it its just
    last late least less like made make man many may me more most much must my near new no
    nor not now of off often on once one only or other our out over own per said same say
    says she should since so some still such than that the their them then there these they
    this those though three through to too two under until up upon us very was way we well
    were what when where which while who whom why will with would year years you your hit
    ana hama time times mar bad dam dar der ras tal tel bir ain ayn jabal jebel wadi deir
    dayr kafr kfar khan tall umm um abu bani beni bin ibn sheikh shaykh sayyid sidi nahr
    sahl ard hay hayy harat qasr souk suq january february march april may june july august
    september october november december monday tuesday wednesday thursday friday saturday
    sunday army state group forces force people men women police security news report
    reports isis isil daesh sdf sdf's syrian iraqi kurdish russian american islamic ali omar
    hassan hussein hamza ibrahim abdullah mohammed muhammad ahmed ahmad mahmoud khalid salim
    salem saleh qurashi quraishi hashemi husseini baghdadi hamsi qahtani rahman suleiman
    zelen kurilla siamand aaron michael erik rami sami fadi hadi samir nour noor rima dima
    hala lama maya quds mayadeen jazeera arabiya asharq sana enab baladi al-mayadeen al-
    jazeera al-arabiya asian african european arab arabian western eastern northern
    southern central middle bakr baghdadi
    """.split()  # noqa: SIM905
)
_KUNYA = frozenset({"abu", "umm", "um", "ibn", "bin", "bint"})
_LOCATIVE_RE = re.compile(
    r"(?:\b(?:in|at|near|outside|from|of|around|to|into|toward|towards|between|and|across"
    r"|town|city|village|area|province|governorate|countryside|desert|outskirts|east|west"
    r"|north|south|km)\s+(?:the\s+)?(?:\w+\s+)?$|(?:في|قرب|من|بلدة|مدينة|قرية|ريف|بادية)\s+$)",
    re.IGNORECASE,
)
_TOKEN_RE = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)?", re.UNICODE)
_JOIN_RE = re.compile(r"^[\s\-‐–'’‘ʿʾ`]{0,3}$")
_MAX_NGRAM = 6
_CUE_BEFORE = [
    re.compile(
        rf"(?:\b{_APPROX}{_NUM}\s*-?\s*(?:km|kms|kilomet(?:er|re)s?|mi|miles?)\s+(?:to\s+the\s+)?"
        rf"(?:{_DIR_ALT})\s+of\s+(?:{_DESCRIPTOR})?)$",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?:\b(?:just\s+|to\s+the\s+|directly\s+|due\s+)?(?:{_DIR_ALT})\s+of\s+(?:{_DESCRIPTOR})?)$",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?:\b(?:just\s+|right\s+)?(?:outside(?:\s+of)?|near(?:by)?|close\s+to|next\s+to"
        r"|not\s+far\s+from|in\s+the\s+vicinity\s+of|on\s+the\s+outskirts\s+of"
        rf"|the\s+outskirts\s+of|outskirts\s+of)\s+(?:{_DESCRIPTOR})?)$",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?:\b(?:the\s+)?(?:{_DIRADJ}\s+)*(?:countryside|rural\s+areas?|deserts?|badia|province"
        r"|governorate)\s+of\s+(?:the\s+)?|\brural\s+)$",
        re.IGNORECASE,
    ),
    re.compile(r"\bbetween\s+$", re.IGNORECASE),
    re.compile(
        rf"(?:(?:على\s+بعد\s+)?{_NUM}\s*(?:كم|كيلومترا?|كيلومترات)\s+(?:{_AR_DIR_ALT})(?:ي|ا)?\s+"
        r"|(?:بالقرب\s+من|قرب|محيط|أطراف|اطراف|ضواحي|ريف|بادية|صحراء|محافظة)\s+"
        rf"|(?:{_AR_DIR_ALT})\s+)$"
    ),
]
_CUE_AFTER = re.compile(
    r"^\s+(?:countryside|desert|badia|province|governorate|rural\s+areas?)\b", re.IGNORECASE
)
_LIST_GAP = re.compile(r"^\s*(?:,\s*(?:and\s+)?|\s+and\s+)$", re.IGNORECASE)
_AREA_ANCHORS = re.compile(
    r"\b(?:highway|motorway|road|border|borders)\b|(?:^|(?<=\s))(?:طريق|الطريق|أوتوستراد"
    r"|اوتوستراد|الحدود)(?=\s)",
    re.IGNORECASE,
)
_TEXT_TANF_RE = re.compile(
    r"(?:the\s+)?55[\s-]*(?:km|kilomet(?:er|re)s?)\s+(?:[\w-]+\s+){0,3}?(?:around|adjacent\s+to"
    r"|surrounding|near|of|at|from|round)\s+(?:the\s+)?(?:US\s+|U\.S\.\s+|American\s+"
    r"|coalition\s+)?(?:al-|at-|el-|al\s+|at\s+)?Tanf(?:\s+(?:military\s+)?(?:base|garrison))?"
    r"|(?:the\s+)?55[\s-]*(?:km|kilomet(?:er|re)s?)\s+(?:deconfliction\s+|exclusion\s+)?zone"
    r"|(?:the\s+)?(?:al-|at-)?Tanf\s+(?:deconfliction\s+|exclusion\s+)?zone"
    r"|(?:the\s+)?deconfliction\s+zone"
    r"|منطقة\s+ال(?:ـ)?\s*55(?:\s*كم)?",
    re.IGNORECASE,
)
_TEXT_TRI_RE = re.compile(
    r"(?:the\s+)?(?:(?:Syrian|Syria|Jordanian|Jordan|Iraqi|Iraq)[\s-]+){0,3}(?:tri[\s-]?"
    r"(?:border|point|state|junction)|triple[\s-](?:border|frontier)|border\s+triangle)"
    r"(?:\s+(?:area|region|zone))?|المثلث\s+الحدودي(?:\s+\S+){0,3}?",
    re.IGNORECASE,
)
# words that may lead a road / border phrase ("along the Damascus-Baghdad highway")
_AREA_LEAD = frozenset(
    """
    along on off near by at across astride beside alongside of the al el ez az ad as ash ar
    at an ed es er
    """.split()  # noqa: SIM905
)


def _area_phrase(
    text: str,
    tokens: list[tuple[int, int]],
    anchor: re.Match[str],
    taken: np.ndarray,
    resolver: _Resolver,
) -> tuple[int, int, Place] | None:
    """The longest phrase around an anchor word that resolves to a road or border."""
    starts: list[int] = []
    ends: list[int] = []
    if is_arabic(anchor.group(0)):
        after = [t for t in tokens if t[0] >= anchor.end()][:5]
        ends = [e for _, e in reversed(after)]
        starts = [anchor.start()]
    else:
        before = [t for t in tokens if t[1] <= anchor.start()][-8:]
        for s, e in reversed(before):
            word = text[s:e]
            gap = text[e : (starts[-1] if starts else anchor.start())]
            if "\n" in gap or re.search(r"[.;:!?,]", gap):
                break
            if not (word[0].isupper() or word[0].isdigit() or word.casefold() in _AREA_LEAD):
                break
            starts.append(s)
        starts.reverse()  # longest first
        ends = [anchor.end()]
    for s in starts:
        for e in ends:
            if taken[s:e].any():
                continue
            res = resolver.resolve(text[s:e])
            if res.ok and res.rule in {"road", "border"}:
                return s, e, res
    return None


def find_places(
    text: str,
    *,
    gazetteer: Gazetteer | None = None,
    min_population: int = 5000,
    country: str | Sequence[str] | None = None,
    admin1: str | None = None,
    bbox: Sequence[float] | None = None,
    near: Sequence[float] | None = None,
) -> list[PlaceMention]:
    """Find place names and descriptive locations in free text, geocoded.

    The scan, in order:

    1. **Area phrases** around anchor words (*highway*, *road*, *border*, *zone*,
       *tri-border*, Arabic *طريق*, *الحدود*, *المثلث*): the longest phrase of up to
       eight words before (and including) the anchor that :func:`geocode` resolves with an
       area rule (``road``, ``border``, ``tanf_zone``, ``tripoint``), e.g. "along the
       Damascus-Baghdad highway", "the 55 km area adjacent to the Tanf base", "the
       Syrian-Jordanian-Iraqi tri-border", "the Iraq-Syria border".
    2. **Names**: at every word (Latin words must start with a capital letter; Arabic
       words anywhere), the longest run of up to six words whose normalised key
       (:func:`~desertgeo.names.normalize_name`) is a gazetteer or governorate name.
       Exact and normalised matches only (no fuzzy matching in text: it would find
       places in ordinary words). Skipped: common English words and personal names that
       happen to be place names (a stop list: *Hit*, *Ana*, *May*, *Ali* ...); places of
       fewer than ``min_population`` people unless they are sites, governorates,
       multi-word names, or follow a locative cue (*in*, *near*, *town of*, *km east of*,
       *في*, *قرب* ...).
    3. **Cues** around each name turn it into a descriptive phrase: "20 km east of X",
       "east of X", "outside / near / on the outskirts of (the desert town of) X",
       "the countryside / desert(s) / province of X", "rural X", "X countryside",
       "between X and Y", Arabic "ريف X", "بادية X", "قرب X", "شرق X". In a list after a
       cue ("the deserts of Raqqa, Deir Ezzor, and Homs") every item takes the cue.

    Each phrase is then geocoded by the same rules as :func:`geocode`, so
    ``geocode(m.surface)`` gives the same answer as the mention. Spans never overlap;
    mentions come sorted by position. Measured on the ~6,000-character seed articles:
    20-60 ms each on a loaded 2-core machine once the gazetteer is built (the first call
    of a process also fills the normalisation caches: ~100-200 ms).

    Parameters
    ----------
    text : str
        Free text (English or Arabic), e.g. a news article.
    gazetteer : Gazetteer, optional
        Default :meth:`Gazetteer.default`.
    min_population : int
        Population below which a single-word place needs a locative cue.
    country, admin1, bbox, near
        Context for names that exist several times (as in :func:`geocode`).

    Returns
    -------
    list of PlaceMention

    Examples
    --------
    >>> from desertgeo.placetext import find_places
    >>> text = ("They attacked truffle hunters outside the desert town of Sukhna, "
    ...         "20 km east of Palmyra, and along the Damascus-Baghdad highway.")
    >>> [(m.surface, m.rule) for m in find_places(text)]  # doctest: +NORMALIZE_WHITESPACE
    [('outside the desert town of Sukhna', 'near'), ('20 km east of Palmyra', 'offset'),
     ('along the Damascus-Baghdad highway', 'road')]
    >>> [m.matched_name for m in find_places("هاجم التنظيم بادية حمص وريف دير الزور")]
    ['Homs', 'Deir ez-Zor']
    """
    if not isinstance(text, str):
        raise InputError(f"find_places() takes a str, not {type(text).__name__}")
    gaz = gazetteer if gazetteer is not None else Gazetteer.default()
    context = {"country": country, "admin1": admin1, "bbox": bbox, "near": near}
    resolver = _Resolver(gaz, 101.0, context, explain=False)
    tokens = [(m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
    taken = np.zeros(len(text) + 1, dtype=bool)
    mentions: list[PlaceMention] = []

    # 1. area phrases: the 55 km zone and the tri-border by pattern, roads and borders
    #    by growing a phrase backwards (Latin) or forwards (Arabic) from an anchor word
    for rx in (_TEXT_TANF_RE, _TEXT_TRI_RE):
        for m in rx.finditer(text):
            s, e = m.start(), m.end()
            if taken[s:e].any():
                continue
            zone = resolver.resolve(text[s:e])
            if zone.ok and zone.rule in {"tanf_zone", "tripoint"}:
                taken[s:e] = True
                mentions.append(_mention(text, s, e, s, e, zone))
    for anchor in _AREA_ANCHORS.finditer(text):
        if taken[anchor.start() : anchor.end()].any():
            continue
        found = _area_phrase(text, tokens, anchor, taken, resolver)
        if found:
            s, e, area = found
            taken[s:e] = True
            mentions.append(_mention(text, s, e, s, e, area))

    # 2. names, longest first
    names: list[tuple[int, int, int, int]] = []  # (token i, token j, start, end)
    i = 0
    n_tok = len(tokens)
    while i < n_tok:
        s0 = tokens[i][0]
        if taken[s0]:
            i += 1
            continue
        hit = None
        for j in range(min(n_tok, i + _MAX_NGRAM) - 1, i - 1, -1):
            e0 = tokens[j][1]
            if taken[s0:e0].any():
                continue
            if any(not _JOIN_RE.match(text[tokens[k][1] : tokens[k + 1][0]]) for k in range(i, j)):
                continue
            surface = text[s0:e0]
            if _is_name(surface, text, s0, j - i + 1, gaz, min_population, context):
                hit = (i, j, s0, e0)
                break
        if hit is None:
            i += 1
            continue
        names.append(hit)
        i = hit[1] + 1

    # 3. cues around names
    prev_rule = ""
    prev_end = -1
    k = 0
    while k < len(names):
        _, _, s0, e0 = names[k]
        before = text[max(0, s0 - 120) : s0]
        start = s0
        end = e0
        rule_hint = ""
        for idx, rx in enumerate(_CUE_BEFORE):
            cue = rx.search(before)
            if cue:
                if idx == 4:  # between X and Y
                    if k + 1 < len(names) and re.match(
                        r"^\s+(?:and|و)\s*$", text[e0 : names[k + 1][2]], re.IGNORECASE
                    ):
                        start = s0 - (len(before) - cue.start())
                        end = names[k + 1][3]
                        rule_hint = "between"
                    break
                start = s0 - (len(before) - cue.start())
                rule_hint = "cue"
                break
        if not rule_hint:
            after = _CUE_AFTER.match(text[e0 : e0 + 40])
            if after:
                end = e0 + after.end()
                rule_hint = "cue"
        phrase = text[start:end]
        res: Place | None = resolver.resolve(phrase) if rule_hint else None
        if res is not None and res.ok and rule_hint == "between":
            k += 1  # the second name is part of the phrase
        if res is None or not res.ok:
            start, end = s0, e0
            res = resolver.resolve(text[s0:e0])
            if prev_rule == "governorate" and _LIST_GAP.match(text[prev_end:s0]):
                gov = gaz.governorate(text[s0:e0])
                if gov is not None:
                    res = _note(resolver._governorate(gov), "in a list after a governorate cue")
        if res.ok:
            taken[start:end] = True
            mentions.append(_mention(text, start, end, s0, e0, res))
            prev_rule, prev_end = res.rule, end
        k += 1
    mentions.sort(key=lambda m: m.start)
    return mentions


def _is_name(
    surface: str,
    text: str,
    start: int,
    n_words: int,
    gaz: Gazetteer,
    min_population: int,
    context: dict[str, Any],
) -> bool:
    arabic = is_arabic(surface)
    key = normalize_name(surface)
    if len(key) < 3:
        return False
    in_places = key in gaz._norm
    in_gov = key in gaz._gov_keys
    if not in_places and not in_gov:
        return False
    if not arabic:
        words = fold_name(surface).split()
        first = next((w for w in _TOKEN_RE.findall(surface) if w.casefold() not in ARTICLES), "")
        if not first or not first[0].isupper():
            return False
        if not words or words[-1] in ARTICLES or (words[0] in ARTICLES and len(words) == 1):
            return False
        if fold_name(surface) in _STOP or gaz.country(surface) is not None:
            return False
        content = [w for w in words if w not in ARTICLES]
        if all(w in _STOP for w in content):
            return False
        # a lowercase word inside a name must be an article (al-, ez-) or a generic noun
        # of a site name ("Tabqa farms", "al-Hol camp"), never a common word ("Syria in")
        raw_words = _TOKEN_RE.findall(surface)
        if any(not w[0].isupper() and w.casefold() in _STOP for w in raw_words):
            return False
        if len(raw_words) > 1 and raw_words[-1] == "s":  # possessive: "Friday's"
            return False
        n_words = len(content)
    if in_gov:
        return True
    best = gaz.best(surface, threshold=101, **context)
    if best is None:
        return False
    # a one-word normalised match must also look like the name it matched
    if (
        best["layer"] == "normalised"
        and not arabic
        and n_words == 1
        and fuzz.ratio(fuzzy_key(surface), fuzzy_key(str(best["matched"]))) < 85
    ):
        return False
    site_or_big = str(best["place_id"]).startswith("site:") or best["population"] >= min_population
    # a kunya or patronymic ("Abu Bakr", "Umm Hassan", "Ibn Taymiyyah") that is only a
    # small hamlet's name is a person until a locative cue says it is a place
    kunya = not arabic and bool(content) and content[0] in _KUNYA
    if (n_words > 1 and not (kunya and not site_or_big)) or (arabic and len(key) >= 4):
        return True
    if site_or_big:
        return True
    return _LOCATIVE_RE.search(text[max(0, start - 40) : start]) is not None


def _mention(text: str, s: int, e: int, ns: int, ne: int, res: Place) -> PlaceMention:
    where = _where_prec(res.rule, res.uncertainty_m)
    return PlaceMention(
        start=s,
        end=e,
        surface=text[s:e],
        name_start=ns,
        name_end=ne,
        rule=res.rule,
        place_id=res.place_id,
        matched_name=res.name,
        feature_type=res.feature_type,
        country=res.country,
        admin1=res.admin1,
        score=res.score,
        geo_precision=_geo_prec(where),
        where_prec=where,
        uncertainty_m=res.uncertainty_m,
        status=res.status,
        reason=res.reason,
        lon=res.lon,
        lat=res.lat,
    )
