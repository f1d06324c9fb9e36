"""Places in free text: :func:`find_places` and the :class:`PlaceMention` it returns.

The text scan that finds place names and descriptive locations ("outside the desert town
of Sukhna", "20 km east of Palmyra", "along the Damascus-Baghdad highway") in running
text and geocodes each phrase with the rules of :func:`desertgeo.geocoder.geocode`.
``desertgeo.find_places`` is this function (it used to live in
:mod:`desertgeo.geocoder`, which no longer re-exports it: that would be an import circle).

Examples
--------
>>> from desertgeo.placetext import find_places
>>> [m.matched_name for m in find_places("Fighting in Sukhna.")]
['As Sukhnah']
"""

from __future__ import annotations

import bisect
import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from desertgeo._errors import InputError
from desertgeo._place import Place
from desertgeo.gazetteer import Gazetteer, match_facts
from desertgeo.geocoder import (
    _APPROX,
    _AR_DIR_ALT,
    _DESCRIPTOR,
    _DIR_ALT,
    _DIRADJ,
    _NUM,
    _geo_prec,
    _Resolver,
    _Result,
    _where_prec,
)
from desertgeo.names import ARTICLES, fold_name, fuzzy_key, is_arabic, normalize_name

__all__ = ["PlaceMention", "find_places"]


@dataclass(frozen=True)
class PlaceMention:
    """A place or descriptive location found in free text by :func:`find_places`.

    The span of the phrase in the text, and the one :class:`~desertgeo._place.Place`
    record the geocoder made of it (``place``). The place's fields are also readable on
    the mention itself (``m.rule``, ``m.lon``, ``m.matched_name`` is ``m.place.name`` ...).

    Attributes
    ----------
    start, end : int
        Span of the whole phrase in the text (``text[start:end] == surface``).
    surface : str
        The phrase as written (e.g. ``"outside the desert town of Sukhna"``).
    name_start, name_end : int
        Span of the place name inside the phrase's text (the whole span for areas such
        as roads and zones).
    place : Place
        The phrase geocoded with the rules of :func:`~desertgeo.geocoder.geocode`:
        rule, place_id, name, feature_type, country, admin1-3, score, geo_precision,
        where_prec, uncertainty_m, status, reason, lon, lat.
    """

    start: int
    end: int
    surface: str
    name_start: int
    name_end: int
    place: Place

    @property
    def name(self) -> str:
        """The place name as written in the text (inside a phrase, the name itself)."""
        return self.surface[self.name_start - self.start : self.name_end - self.start]

    @property
    def matched_name(self) -> str:
        """The gazetteer name matched (``place.name``)."""
        return self.place.name

    @property
    def rule(self) -> str:
        return self.place.rule

    @property
    def place_id(self) -> str:
        return self.place.place_id

    @property
    def feature_type(self) -> str:
        return self.place.feature_type

    @property
    def country(self) -> str:
        return self.place.country

    @property
    def admin1(self) -> str:
        return self.place.admin1

    @property
    def score(self) -> float:
        return self.place.score

    @property
    def geo_precision(self) -> int:
        return self.place.geo_precision

    @property
    def where_prec(self) -> int:
        return self.place.where_prec

    @property
    def uncertainty_m(self) -> float:
        return self.place.uncertainty_m

    @property
    def status(self) -> str:
        return self.place.status

    @property
    def reason(self) -> str:
        return self.place.reason

    @property
    def lon(self) -> float:
        return self.place.lon

    @property
    def lat(self) -> float:
        return self.place.lat

    def to_dict(self) -> dict[str, Any]:
        """The mention as a plain dict (span fields, then the place's fields)."""
        place = self.place
        return {
            "start": self.start,
            "end": self.end,
            "surface": self.surface,
            "name_start": self.name_start,
            "name_end": self.name_end,
            "rule": place.rule,
            "place_id": place.place_id,
            "matched_name": place.name,
            "feature_type": place.feature_type,
            "country": place.country,
            "admin1": place.admin1,
            "score": place.score,
            "geo_precision": place.geo_precision,
            "where_prec": place.where_prec,
            "uncertainty_m": place.uncertainty_m,
            "status": place.status,
            "reason": place.reason,
            "lon": place.lon,
            "lat": place.lat,
        }


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
    ana time times mar bad dam dar der ras tal tel bir ain ayn jabal jebel wadi deir
    dayr kafr kfar khan tall umm um abu bani beni bin ibn sheikh shaykh sayyid sidi nahr
    sahl ard hay hayy harat qasr souk suq january february march april may june july august
    september october november december monday tuesday wednesday thursday friday saturday
    sunday army state group forces force people men women police security news report
    reports isis isil daesh sdf sdf's syrian iraqi kurdish russian american islamic ali omar
    hassan hussein hamza ibrahim abdullah mohammed muhammad ahmed ahmad mahmoud khalid salim
    salem saleh qurashi quraishi hashemi husseini baghdadi hamsi qahtani rahman suleiman
    zelen kurilla siamand aaron michael erik rami sami fadi hadi samir nour noor rima dima
    hala lama maya quds jazeera arabiya asharq sana enab baladi al-
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
#: a site code: "T3", "T4", "H-3"
_CODE_RE = re.compile(r"[A-Z]{1,2}-?\d{1,2}")
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
#: words without which neither pattern can match (a fast pre-check of a text)
_TANF_HINT = re.compile(r"55|tanf|deconfliction", re.IGNORECASE)
_TRI_HINT = re.compile(
    r"tri[\s-]?(?:border|point|state|junction)|triple[\s-](?:border|frontier)|border\s+triangle"
    r"|المثلث\s+الحدودي",
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
    taken: _Taken,
    resolver: _Resolver,
) -> tuple[int, int, _Result] | None:
    """The longest phrase around an anchor word that resolves to a road or border."""
    starts: list[int] = []
    ends: list[int] = []
    if is_arabic(anchor.group(0)):
        first = bisect.bisect_left(tokens, (anchor.end(), -1))
        after = tokens[first : first + 5]
        ends = [e for _, e in reversed(after)]
        starts = [anchor.start()]
    else:
        last = bisect.bisect_left(tokens, (anchor.start() + 1, -1))
        while last > 0 and tokens[last - 1][1] > anchor.start():
            last -= 1
        before = tokens[max(0, last - 8) : last]
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
            if taken.any(s, e):
                continue
            res = resolver.resolve(text[s:e])
            if res.ok and res.rule in {"road", "border"}:
                return s, e, res
    return None


class _Taken:
    """Character positions already part of a mention (an any-in-span test in O(1))."""

    def __init__(self, n: int) -> None:
        self.flags = np.zeros(n + 1, dtype=bool)
        self._cum: list[int] | None = None

    def set(self, s: int, e: int) -> None:
        self.flags[s:e] = True
        self._cum = None

    def any(self, s: int, e: int) -> bool:
        if self._cum is None:
            self._cum = [0, *np.cumsum(self.flags, dtype=np.int64).tolist()]
        return self._cum[e] > self._cum[s]


class _Session:
    """The lookups of one gazetteer in one context, kept from call to call.

    A :class:`Gazetteer` does not change once built (``add`` returns a new one), so what
    a phrase resolves to, and whether a run of words is a place name, is the same in
    every text: a long text (or many) that names the same places again pays once.
    """

    def __init__(self, gaz: Gazetteer, context: dict[str, Any]) -> None:
        self.resolver = _Resolver(gaz, 101.0, context, explain=False)
        self.verdicts: dict[tuple[str, int, int], bool | None] = {}


_SESSIONS: weakref.WeakKeyDictionary[Gazetteer, dict[tuple[Any, ...], _Session]] = (
    weakref.WeakKeyDictionary()
)
_SESSION_LIMIT = 200_000


def _session(gaz: Gazetteer, context: dict[str, Any]) -> _Session:
    key = tuple(tuple(v) if isinstance(v, (list, tuple)) else v for v in context.values())
    try:
        per_gaz = _SESSIONS.setdefault(gaz, {})
    except TypeError:  # a gazetteer that cannot be weakly referenced: no reuse
        return _Session(gaz, context)
    sess = per_gaz.get(key)
    if sess is None or len(sess.verdicts) > _SESSION_LIMIT:
        sess = per_gaz[key] = _Session(gaz, context)
    return sess


def clear_caches() -> None:
    """Forget the lookups kept between calls (for benchmarks of cold text)."""
    _SESSIONS.clear()


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
    sess = _session(gaz, context)
    tokens = [(m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
    taken = _Taken(len(text))
    mentions = _area_mentions(text, tokens, taken, sess.resolver)
    names = _name_spans(text, tokens, taken, sess, gaz, min_population, context)
    mentions += _cued_mentions(text, names, taken, sess.resolver, gaz)
    mentions.sort(key=lambda m: m.start)
    return mentions


def _area_mentions(
    text: str, tokens: list[tuple[int, int]], taken: _Taken, resolver: _Resolver
) -> list[PlaceMention]:
    """Step 1: the 55 km zone and the tri-border by pattern, roads and borders by growing
    a phrase backwards (Latin) or forwards (Arabic) from an anchor word."""
    mentions: list[PlaceMention] = []
    for rx, hint in ((_TEXT_TANF_RE, _TANF_HINT), (_TEXT_TRI_RE, _TRI_HINT)):
        if not hint.search(text):  # the full patterns are slow; most texts name neither
            continue
        for m in rx.finditer(text):
            s, e = m.start(), m.end()
            if taken.any(s, e):
                continue
            zone = resolver.resolve(text[s:e])
            if zone.ok and zone.rule in {"tanf_zone", "tripoint"}:
                taken.set(s, e)
                mentions.append(_mention(text, s, e, s, e, zone))
    for anchor in _AREA_ANCHORS.finditer(text):
        if taken.any(anchor.start(), anchor.end()):
            continue
        found = _area_phrase(text, tokens, anchor, taken, resolver)
        if found:
            s, e, area = found
            taken.set(s, e)
            mentions.append(_mention(text, s, e, s, e, area))
    return mentions


def _name_spans(
    text: str,
    tokens: list[tuple[int, int]],
    taken: _Taken,
    sess: _Session,
    gaz: Gazetteer,
    min_population: int,
    context: dict[str, Any],
) -> list[tuple[int, int, int, int]]:
    """Step 2: names, longest first: (token i, token j, start, end) of each."""
    n_tok = len(tokens)
    words = [text[s:e] for s, e in tokens]
    # a run of words is joined by at most a hyphen, an apostrophe or a space or two
    joined = [bool(_JOIN_RE.match(text[tokens[k][1] : tokens[k + 1][0]])) for k in range(n_tok - 1)]
    arabic = [is_arabic(w) for w in words]
    article = [w.casefold() in ARTICLES for w in words]
    names: list[tuple[int, int, int, int]] = []
    i = 0
    while i < n_tok:
        s0 = tokens[i][0]
        j_max = i
        while j_max < min(n_tok, i + _MAX_NGRAM) - 1 and joined[j_max]:
            j_max += 1
        # a Latin name starts (after its articles) with a capital letter: skip the rest
        f = i
        while f <= j_max and article[f] and not arabic[f]:
            f += 1
        latin_only = not any(arabic[i : j_max + 1])
        if taken.flags[s0] or (latin_only and (f > j_max or not words[f][0].isupper())):
            i += 1
            continue
        if _outlet(text, s0, tokens[j_max][1]):
            i += 1
            continue
        hit = None
        for j in range(j_max, i - 1, -1):
            e0 = tokens[j][1]
            if taken.any(s0, e0):
                continue
            if _is_name(text[s0:e0], text, s0, j - i + 1, sess, gaz, min_population, context):
                hit = (i, j, s0, e0)
                break
        if hit is None:
            i += 1
            continue
        names.append(hit)
        i = hit[1] + 1
    return names


_OUTLET_BEFORE = re.compile(
    r"(?:\btold|\baccording\s+to|\breported\s+by|\bcited\s+by|\bquoted\s+by|\bbroadcaster"
    r"|\bchannel|\boutlet|\bnewspaper|\bdaily)\s+(?:the\s+)?(?:(?:al|el|Al|El)[\s-]+)?$",
    re.IGNORECASE,
)
_OUTLET_AFTER = re.compile(
    r"^(?:[A-Z][\w'’-]*\s+){1,3}(?:TV|[Tt]elevision|[Cc]hannel|[Nn]etwork|News\s+(?:[Aa]gency"
    r"|[Nn]etwork|[Ww]ebsite)|[Nn]ewspaper|[Ww]ebsite|[Cc]orrespondent|[Rr]eporter"
    r"|[Bb]roadcaster)\b"
)


def _outlet(text: str, s0: int, e_max: int) -> bool:
    """The words at ``s0`` name a news outlet ("told Al Mayadeen", "Al Mayadeen TV",
    "Palmyra News Network"), not a place."""
    if _OUTLET_BEFORE.search(text[max(0, s0 - 30) : s0]):
        return True
    return bool(_OUTLET_AFTER.match(text[s0 : min(len(text), e_max + 30)]))


def _cue_span(text: str, names: list[tuple[int, int, int, int]], k: int) -> tuple[int, int, str]:
    """Step 3 for one name: the span of its cue phrase and the kind of cue ("" none)."""
    _, _, s0, e0 = names[k]
    before = text[max(0, s0 - 120) : s0]
    for idx, rx in enumerate(_CUE_BEFORE):
        cue = rx.search(before)
        if not cue:
            continue
        if idx == 4:  # between X and Y
            if k + 1 < len(names) and re.match(
                r"^\s+(?:and|و)\s*$", text[e0 : names[k + 1][2]], re.IGNORECASE
            ):
                return s0 - (len(before) - cue.start()), names[k + 1][3], "between"
            return s0, e0, ""
        return s0 - (len(before) - cue.start()), e0, "cue"
    after = _CUE_AFTER.match(text[e0 : e0 + 40])
    if after:
        return s0, e0 + after.end(), "cue"
    return s0, e0, ""


def _cued_mentions(
    text: str,
    names: list[tuple[int, int, int, int]],
    taken: _Taken,
    resolver: _Resolver,
    gaz: Gazetteer,
) -> list[PlaceMention]:
    """Step 3: cues around names make descriptive phrases; lists take a governorate cue."""
    mentions: list[PlaceMention] = []
    prev_rule = ""
    prev_end = -1
    k = 0
    while k < len(names):
        _, _, s0, e0 = names[k]
        start, end, rule_hint = _cue_span(text, names, k)
        res: _Result | None = resolver.resolve(text[start:end]) if rule_hint else None
        if res is not None and res.ok and rule_hint == "between":
            k += 1  # the second name is part of the phrase
        if res is None or not res.ok:
            start, end = s0, e0
            res = resolver.resolve(text[s0:e0])
            if prev_rule == "governorate" and _LIST_GAP.match(text[prev_end:s0]):
                gov = gaz.governorate(text[s0:e0])
                if gov is not None:
                    res = resolver._governorate(gov)
                    res.notes.append("in a list that follows a governorate-level cue")
        if res.ok:
            taken.set(start, end)
            mentions.append(_mention(text, start, end, s0, e0, res))
            prev_rule, prev_end = res.rule, end
        k += 1
    return mentions


def _is_name(
    surface: str,
    text: str,
    start: int,
    n_words: int,
    sess: _Session,
    gaz: Gazetteer,
    min_population: int,
    context: dict[str, Any],
) -> bool:
    """Whether ``text[start:start + len(surface)]`` is a place name (see find_places)."""
    key = (surface, n_words, min_population)
    if key in sess.verdicts:
        verdict = sess.verdicts[key]
    else:
        verdict = sess.verdicts[key] = _name_verdict(surface, n_words, gaz, min_population, context)
    if verdict is None:  # a small place: only after a locative cue
        return _LOCATIVE_RE.search(text[max(0, start - 40) : start]) is not None
    return verdict


def _name_verdict(
    surface: str, n_words: int, gaz: Gazetteer, min_population: int, context: dict[str, Any]
) -> bool | None:
    """Is ``surface`` a place name: True, False, or None (only after a locative cue)."""
    arabic = is_arabic(surface)
    if arabic and re.search(r"[A-Za-z]", surface):
        return False  # "محطة T3": an Arabic word and a Latin code are two things
    key = normalize_name(surface)
    if len(key) < 3 and not _CODE_RE.fullmatch(surface):  # "T3", "T4": pumping stations
        return False
    in_gov = key in gaz._gov_keys
    if key not in gaz._norm and not in_gov:
        return False
    content: list[str] = []
    if not arabic:
        latin = _latin_content(surface, gaz)
        if latin is None:
            return False
        content, n_words = latin, len(latin)
    if in_gov:
        return True
    best = gaz.best(surface, threshold=101, **context)
    if best is None:
        return False
    needs_cue = _needs_cue(surface, best) if not arabic and n_words == 1 else False
    if needs_cue is None:
        return False
    site_or_big = (
        best.place_id.startswith("site:") or match_facts(best)["population"] >= min_population
    )
    # a kunya or patronymic ("Abu Bakr", "Umm Hassan", "Ibn Taymiyyah") that is only a
    # small hamlet's name is a person until a locative cue says it is a place
    kunya = bool(content) and content[0] in _KUNYA
    if (n_words > 1 and not (kunya and not site_or_big)) or (arabic and len(key) >= 4):
        return True
    if site_or_big and not needs_cue:
        return True
    return None


def _latin_content(surface: str, gaz: Gazetteer) -> list[str] | None:
    """The content words of a Latin-script candidate, or None when it is no name."""
    words = fold_name(surface).split()
    first = next((w for w in _TOKEN_RE.findall(surface) if w.casefold() not in ARTICLES), "")
    if not first or not first[0].isupper():
        return None
    if not words or words[-1] in ARTICLES or (words[0] in ARTICLES and len(words) == 1):
        return None
    if fold_name(surface) in _STOP or gaz.country(surface) is not None:
        return None
    content = [w for w in words if w not in ARTICLES]
    # generic nouns only ("Tal", "Deir") are words, unless joined by an article into a
    # name ("Ras al-Ain", "Ayn al-Arab")
    linked = len(content) > 1 and len(content) < len(words)
    if all(w in _STOP for w in content) and not linked:
        return None
    # a lowercase word inside a name must be an article (al-, ez-) or a generic noun
    # of a site name ("Tabqa farms", "al-Hol camp"), never a common word ("Syria in");
    # "Dar'a": a letter after an apostrophe is part of the word
    raw_words = _TOKEN_RE.findall(surface)
    pieces = [
        _TOKEN_RE.findall(p)[0] for p in re.split(r"[\s\-‐–]+", surface) if _TOKEN_RE.search(p)
    ]
    if any(
        not w[0].isupper() and w.casefold() in _STOP and w.casefold() not in ARTICLES
        for w in pieces
    ):
        return None
    if len(raw_words) > 1 and raw_words[-1] == "s":  # possessive: "Friday's"
        return None
    return content


def _needs_cue(surface: str, best: Place) -> bool | None:
    """A one-word match must look like the name it matched: False (it does), True (a
    close spelling, "Resafa" for Ar Rasafah as geocode accepts it: only after a locative
    cue) or None (it does not). A site code ("T3") stands for the site it starts."""
    facts = match_facts(best)
    if facts["layer"] != "normalised":
        return False
    matched = str(facts["matched"])
    similar = fuzz.ratio(fuzzy_key(surface), fuzzy_key(_without_article(matched)))
    if bool(_CODE_RE.fullmatch(surface)) and matched.startswith(surface):
        return False
    if similar < 70:
        return None
    return similar < 85


def _without_article(name: str) -> str:
    """``"Ar Rasafah"`` -> ``"Rasafah"`` (a leading article of a transliterated name)."""
    words = name.split()
    if len(words) > 1 and words[0].casefold() in ARTICLES:
        return " ".join(words[1:])
    return re.sub(r"^(?:al|el|ar|as|ash|at|ad|az|an)-", "", name, flags=re.IGNORECASE)


def _mention(text: str, s: int, e: int, ns: int, ne: int, res: _Result) -> PlaceMention:
    return PlaceMention(
        start=s, end=e, surface=text[s:e], name_start=ns, name_end=ne, place=_place_of(res)
    )


def _known(value: str) -> str:
    """``""`` for an unknown admin name (a site's missing admin1 reads ``"nan"``)."""
    return "" if value in ("nan", "None") else value


def _place_of(res: _Result | Place) -> Place:
    """The geocoder's answer for a phrase as the one :class:`Place` record."""
    if isinstance(res, Place):
        return res
    where = _where_prec(res.rule, res.uncertainty_m)
    return Place(
        name=res.matched_name,
        place_id=res.place_id,
        feature_type=res.feature_type,
        country=res.country,
        admin1=_known(res.admin1),
        admin2=_known(res.admin2),
        admin3=_known(res.admin3),
        lon=res.lon,
        lat=res.lat,
        score=res.score,
        rule=res.rule,
        geo_precision=_geo_prec(where),
        where_prec=where,
        uncertainty_m=res.uncertainty_m,
        status=res.status,
        reason=res.reason or "; ".join(res.notes),
    )
