"""Events out of news text, offline, with rules (no model, no download).

:func:`events_from_text` reads an article (or a file of many) and returns one row per
incident it describes, in the events schema (:data:`desertgeo.events.EVENT_COLUMNS`)
plus ``sentence`` (the clauses the event came from), ``mentions`` (the place mentions
found there, with the geocoder's rule), ``abducted``, ``wounded``, ``evidence`` (the
whole source sentences with their character spans), ``rules`` (which rules fired),
``dateline`` (where and when the report was filed) and ``approximate`` (a figure is
"at least", "about", "dozens" ...).

How it works, step by step:

1. datelines and bylines at the start of paragraphs ("BEIRUT (AP) —", "DAMASCUS, Feb. 9
   (Xinhua) --", "AMMAN, Jordan —", "Enab Baladi, 12 March 2024—", Arabic "دمشق - سانا")
   are found by :mod:`desertgeo._text_dateline`: their place mentions are dropped (the
   event's place is never the dateline city unless the text says it happened there) and
   their date becomes the reference for relative dates ("on Thursday", "yesterday");
2. paragraphs and sentences are split (boiler-plate lines such as "- Advertisement -"
   are dropped; Arabic ``؟`` ends a sentence), sentences into clauses at ``;``, ``,
   when``, ``, then`` and ``, and`` + a date phrase;
3. place mentions come from :func:`desertgeo.placetext.find_places`, called on chunks
   cut at paragraph ends (linear time); words, personal names, outlets ("Palmyra News
   Network", "told Al Mayadeen"), dates and places outside the region are dropped;
4. dates (:mod:`desertgeo._text_dates`) keep their precision: day, week ("last week"),
   month ("In February"), with "overnight", "late on Monday", weekdays counted from the
   reference, a quoted "today" from the day the words were said;
5. counts (:mod:`desertgeo._text_counts`): killed, wounded and abducted apart;
   breakdowns ("61 civilians and seven soldiers"), totals with their breakdown or a
   subset ("19 civilians, including 12 women"), number words, Arabic digits and words;
6. grouping into incidents: a clause with a violence verb and a place, a figure or a
   date starts an incident; a following clause (in the same paragraph, the next
   sentence, or up to three sentences on when it refers back with "the attack", "the
   ambush", "the assault", "the explosion", "the blast" ...) adds its figures, place and
   date to it: a repeated toll is merged (the larger figure), "also"/"another" adds, "the
   toll rose to" replaces; "in a separate attack", "another attack", "meanwhile" start a
   new one, and so does a different day. A clause naming the same place and date as an
   earlier incident is merged into it ("Friday's attack in Sukhna"). Running totals ("so
   far this year", "since 2019"), plural summaries followed by their parts ("two attacks
   ... killing 28") and natural disasters are not incidents.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from desertgeo._compat import positional_options
from desertgeo._errors import InputError
from desertgeo._geodesy import distance_m
from desertgeo._text_counts import KINDS, Counts, counts_in, number
from desertgeo._text_dateline import Dateline, find_datelines
from desertgeo._text_dates import DATE_PATTERNS, When, dates_in, quoted_reference
from desertgeo.events import EVENT_COLUMNS, validate_events

if TYPE_CHECKING:  # imported on first use (the gazetteer is heavy)
    from desertgeo._place import Place
    from desertgeo.placetext import PlaceMention

__all__ = ["events_from_text"]

_number = number  # kept for callers of the former private helper
_When = When
_Counts = Counts

#: the columns added to the events schema, in order
TEXT_COLUMNS = (
    "sentence",
    "mentions",
    "abducted",
    "wounded",
    "evidence",
    "rules",
    "dateline",
    "approximate",
)

# ------------------------------------------------------------------ actors and targets

_ACTORS: list[tuple[str, re.Pattern[str]]] = [
    (
        "Islamic State (IS)",
        re.compile(
            r"\b(?:IS|ISIS|ISIL|Islamic State|Daesh|Da'esh)\b|داعش|تنظيم الدولة"
            r"|الدولة الإسلامية"
        ),
    ),
    (
        "al-Quds Brigade",
        re.compile(r"\b(?:al-Quds Brigade|Liwa[a]? al-Quds|Quds Brigade)\b|لواء القدس", re.I),
    ),
    (
        "Syrian government forces",
        re.compile(
            r"\b(?:Syrian (?:[Aa]rmy|[Gg]overnment (?:troops|forces)|regime|[Aa]rab [Aa]rmy"
            r"|warplanes|(?:air ?|drone )?strikes?)"
            r"|(?:pro-)?government (?:troops|forces|militias|fighters)|regime forces"
            r"|National Defen[cs]e Forces)|قوات النظام|الجيش السوري|قوات الحكومة"
            r"|الدفاع الوطني|قوات الأسد"
        ),
    ),
    (
        "SDF",
        re.compile(
            r"\b(?:SDF|Syrian Democratic Forces|Kurdish-led (?:fighters|forces|allies)"
            r"|U\.?S\.?-backed (?:fighters|forces|Kurdish))|قسد|قوات سوريا الديمقراطية"
        ),
    ),
    (
        "US-led coalition",
        re.compile(
            r"(?:\bU\.?S\.?(?:-led)?\s+(?:forces|troops|military|raids?|(?:air ?|drone )?strikes?"
            r"|soldiers|coalition|helicopters|warplanes)|\bAmerican (?:troops|forces)"
            r"|\binternational [\"“]?coalition)"
        ),
    ),
    (
        "Russian forces",
        re.compile(
            r"\bRussian(?:-led)? (?:forces|troops|air ?force|air forces|(?:air ?|drone )?strikes?"
            r"|warplanes|jets|aircraft|helicopters)"
        ),
    ),
    ("rebels", re.compile(r"\brebels?\b")),
]
_TARGETS: list[tuple[str, re.Pattern[str], bool]] = [
    (
        "truffle hunters",
        re.compile(r"\btruffle[- ](?:hunters|gatherers|pickers|collectors)", re.I),
        True,
    ),
    ("civilians", re.compile(r"\bcivilians?\b", re.I), True),
    ("shepherds", re.compile(r"\bshepherds?\b", re.I), True),
    ("soldiers", re.compile(r"\b(?:soldiers|troops)\b", re.I), False),
    ("security personnel", re.compile(r"\bsecurity (?:personnel|forces)\b", re.I), False),
    ("checkpoint", re.compile(r"\bcheckpoint\b", re.I), False),
    ("bus", re.compile(r"\bbus(?:es)?\b", re.I), False),
    ("prison", re.compile(r"\bprison\b", re.I), False),
    ("headquarters", re.compile(r"\bheadquarters\b", re.I), False),
]

# violence verbs that describe one event; plural nouns ("attacks") do not count
_TRIGGER = re.compile(
    r"\b(?:killed|killing|kills|kidnapped|kidnapping|abducted|abducting|attacked|stormed"
    r"|ambushed|bombed|shelled|wounded|wounding|injured|injuring|executed|beheaded"
    r"|massacred|martyrdom|martyred|detonated|exploded|fought|clashed|raided|died|slain"
    r"|gunned down|shot dead|found dead|lost their lives|targeted|struck|blew up|opened fire"
    r"|(?:the|an|a|this|that|[A-Za-z]+'s|[A-Za-z]+’s)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:attack|assault|ambush|bombing|explosion|blast|raid|massacre))\b"
    r"|(?<![\u0621-\u064A\u066E-\u06D3])(?:(?:وب|[وبلف])?(?:قتل|قُتل|مقتل|استشهد|استشهاد|اغتيال|اغتيل|كمين|كميناً|هجوم|هجوماً"
    r"|تفجير|انفجار|مصرع|قتلى|لقي|لقوا|خطف|اختطاف|ارتقى|ارتقاء|استهداف|استهدف))(?![\u0621-\u064A\u066E-\u06D3])",
    re.IGNORECASE,
)
_NATURAL = re.compile(
    r"\b(?:earthquake|quake|flood|floods|storm|avalanche|landslide|fire|disease|cholera)\b"
    r"[^.;]{0,40}\b(?:killed|killing|dead|died)",
    re.I,
)
_PRONOUN_AGENT = re.compile(
    r"\b(?:they|the group|the militants|the jihadists|its fighters|the assailants)\b"
    r"|التنظيم",
    re.I,
)
_AREA_ANAPHORA = re.compile(
    r"\b(?:around|in|across|near|at) the (?:same )?(?:area|region|vicinity|spot|place|site)\b"
    r"|\bin the same (?:province|governorate|desert|countryside)\b"
    r"|في المنطقة (?:ذاتها|نفسها)|في نفس المنطقة",
    re.I,
)
_COUNTRY_NAMES = {
    "syria",
    "iraq",
    "turkey",
    "jordan",
    "lebanon",
    "israel",
    "iran",
    "russia",
    "united states",
    "us",
    "u.s.",
    "uk",
    "united kingdom",
}

# ------------------------------------------------------------------------ place mentions


def _is_country(m: PlaceMention) -> bool:
    """A country named in the text ("Syria", "eastern Syria"): never an event's place."""
    if m.place.feature_type.lower() in ("country", "pcli"):
        return True
    bare = re.sub(
        r"^(?:the\s+)?(?:(?:north|south|east|west|central|northern|southern|eastern"
        r"|western|north-?eastern|north-?western|south-?eastern|south-?western|interior)"
        r"\s+(?:of\s+)?)*",
        "",
        m.surface.strip().lower(),
    )
    return bare in _COUNTRY_NAMES


def _describe(m: PlaceMention) -> str:
    """``surface -> gazetteer name [place_id] rule r`` (the ``mentions`` column)."""
    place = m.place
    bits = [m.surface]
    if place.name and place.name != m.surface:
        bits.append(f"-> {place.name}")
    if place.place_id:
        bits.append(f"[{place.place_id}]")
    if place.rule:
        bits.append(f"rule {place.rule}")
    return " ".join(bits)


def _given(m: PlaceMention) -> str | None:
    """The place name as written (inside a descriptive phrase, the name itself)."""
    a, b = m.name_start - m.start, m.name_end - m.start
    if not 0 <= a < b <= len(m.surface):
        return None
    given = m.surface[a:b]
    arabic = re.findall(r"[\u0600-\u06FF][\u0600-\u06FF\s]*[\u0600-\u06FF]|[\u0600-\u06FF]", given)
    if arabic and re.search(r"[A-Za-z]", given):
        return arabic[-1]  # an Arabic name inside English text: the Arabic run only
    return given


def _shifted(m: PlaceMention, offset: int) -> PlaceMention:
    """A mention found in a chunk of the text, with its spans in the whole text."""
    if not offset:
        return m
    return replace(
        m,
        start=m.start + offset,
        end=m.end + offset,
        name_start=m.name_start + offset,
        name_end=m.name_end + offset,
    )


def _chunks(text: str, size: int = 20_000) -> list[tuple[int, int]]:
    """Spans of about ``size`` characters cut at paragraph ends (linear-time scanning)."""
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start + size // 2, end)
            end = cut + 1 if cut > start else end
        spans.append((start, end))
        start = end
    return spans


def _find_places(text: str) -> tuple[list[PlaceMention], str]:
    """Place mentions in ``text`` through :func:`desertgeo.placetext.find_places` (lazy).

    The text is scanned in chunks cut at paragraph ends, so time grows linearly with
    the length of the text (no place phrase spans a paragraph).
    """
    try:
        from desertgeo.placetext import find_places
    except ImportError as exc:
        return [], f"geocoder unavailable ({exc})"
    mentions: list[PlaceMention] = []
    for c0, c1 in _chunks(text):
        mentions.extend(
            _shifted(m, c0) for m in find_places(text[c0:c1]) if m.place.status != "unresolved"
        )
    mentions = [m for m in mentions if _plausible(m, text)]
    mentions.sort(key=lambda m: (m.start, -(m.end - m.start)))
    # drop mentions nested in a longer one (keep the descriptive phrase)
    kept: list[PlaceMention] = []
    for m in mentions:
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    return kept, ""


_DATE_LIKE = [
    p for k, p in DATE_PATTERNS if k in ("month_day", "day_month", "month_year", "month", "weekday")
]
_COMMON = frozenset(
    {
        *("so", "far", "as", "at", "now", "then", "still", "also", "even", "just", "only"),
        *("more", "most", "last", "next", "new", "old", "all", "one", "since", "later"),
        *("after", "before", "early", "late", "near", "over", "under", "while", "when"),
        *("where", "this", "that", "these", "those", "here", "there"),
    }
)


_AR_GENERIC = frozenset(
    {"مدينة", "مدينه", "قرية", "قريه", "بلدة", "بلده", "منطقة", "محافظة", "ناحية", "ريف", "بادية"}
    # words of the report that are also hamlet names in the 24k-place gazetteer
    # (Muqtala, Kamin, Mahattah ...): the event's own words are never its place
    | {"مقتل", "قتل", "كمين", "محطة", "محطه", "هجوم", "استشهاد", "اغتيال", "عبوة", "لغم"}
    | {"انفجار", "قصف", "اشتباك", "اشتباكات", "حاجز", "طريق", "عناصر", "مسلحين", "خلايا"}
)


def _common_words(surface: str) -> bool:
    """A "name" made of common words only ("So far" -> As Safirah, "مدينة" -> Medina)."""
    bare = surface.strip()
    if bare in _AR_GENERIC or (
        len(bare) > 3 and bare[0] in "وبلف" and (bare[1:] in _AR_GENERIC or bare[2:] in _AR_GENERIC)
    ):
        return True  # "بريف" (in the countryside of), "وبادية": a proclitic and a word
    words = re.findall(r"[A-Za-z]+", surface.lower())
    return bool(words) and all(w in _COMMON for w in words)


_SPEECH_BEFORE = re.compile(
    r"(?:\btold|\bsaid|\baccording to|\breported by|\bcited by|\bquoted by)\s+(?:the\s+)?$",
    re.I,
)


def _plausible(m: PlaceMention, text: str) -> bool:
    """Drop gazetteer hits that are words of the article, not places.

    ``find_places`` matches names on normalised keys, which also hits English
    words and personal names ("Syria" -> Tyre, "Friday's" -> Furaydis, "Hamza al-"
    -> Al Hamzah). For text, a mention is kept unless:

    * it is a country name (kept, but never an event's place: see ``is_country``);
    * a place outside Syria matched on a normalised key (score < 100): the
      library reads Syrian reporting, and such hits are nearly always words;
    * it overlaps an actor name ("al-Quds Brigade") or a date ("Friday's");
    * it cuts a hyphenated word ("Hamza al-Hamsi");
    * a single name followed by another capitalised word ("Rami Abdel Rahman",
      "Palmyra News Network"), or the object of a speech verb ("told Al
      Mayadeen"): a person or an organisation.
    """
    place = m.place
    if _is_country(m):
        return True
    if place.status == "unresolved":
        return False
    if place.country not in ("", "SY") and place.score < 100:
        return False
    for _name, pattern in _ACTORS:
        for a in pattern.finditer(text, max(0, m.start - 40), min(len(text), m.end + 40)):
            if a.start() < m.end and m.start < a.end():
                return False
    if _common_words(_given(m) or m.surface):
        return False
    for pattern in _DATE_LIKE:
        for d in pattern.finditer(text, max(0, m.start - 20), min(len(text), m.end + 20)):
            if d.start() < m.end and m.start < d.end() and d.group(0).strip():
                return False
    if re.match(r"[-‐][A-Za-z]", text[m.end : m.end + 2]) or (
        m.start > 0 and re.match(r"[A-Za-z][-‐]", text[m.start - 2 : m.start])
    ):
        return False
    if place.rule == "name":
        if re.match(r" [A-Z][a-z]", text[m.end : m.end + 3]):
            return False
        if _SPEECH_BEFORE.search(text[max(0, m.start - 30) : m.start]):
            return False
    return True


# --------------------------------------------------------------------- text structure

_BOILERPLATE = re.compile(
    r"^\s*(?:-\s*Advertisement\s*-|Advertisement|Hot Topics|Related Articles|Read more.*"
    r"|Share this.*)\s*$",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<=[.!?؟])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9\u0600-\u06FF])")
_ABBREV = re.compile(
    r"(?:\b[A-Z]|\bU\.S|\bU\.K|\bMr|\bMrs|\bDr|\bGen|\bSt|\bNo|\bvs|\bJan|\bFeb|\bMar|\bApr"
    r"|\bJun|\bJul|\bAug|\bSept?|\bOct|\bNov|\bDec|\bLt|\bCol|\bMaj|\bBrig)\.$"
)
_CLAUSE_SPLIT = re.compile(
    r";\s+|,\s+(?=when\b)|,?\s+(?=then\s+\w+\s+(?:days?|weeks?)\s+later\b)"
    r"|,\s+and\s+(?=(?:earlier|later|last|on|in)\b)"
    r"|(?<=[a-z])\s+(?=(?:Last|This|Earlier|Later)\s+(?:week|month|year)\b)"
)


def _is_headline(line: str) -> bool:
    """A headline or subhead: a short line without a sentence's closing punctuation.

    It restates the story's lede ("IS ambush on army bus kills 23 soldiers"): read as a
    sentence it would give the incident twice.
    """
    return len(line.split()) <= 20 and not re.search(r"[.!?؟:\"”’)]$", line)


def _sentences(text: str) -> list[list[tuple[int, int]]]:
    """Paragraphs, each a list of (start, end) sentence spans into ``text``."""
    paragraphs: list[list[tuple[int, int]]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        body = line.strip()
        if not body or _BOILERPLATE.match(body) or _is_headline(body):
            continue
        offset = start + line.index(body)
        spans: list[tuple[int, int]] = []
        s0 = 0
        for m in _SENTENCE_END.finditer(body):
            candidate = body[s0 : m.start()].rstrip()
            if _ABBREV.search(candidate):
                continue
            spans.append((offset + s0, offset + s0 + len(candidate)))
            s0 = m.end()
        if s0 < len(body):
            spans.append((offset + s0, offset + len(body)))
        paragraphs.append(spans)
    return paragraphs


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    sentence = text[start:end]
    out: list[tuple[int, int]] = []
    s0 = 0
    for m in _CLAUSE_SPLIT.finditer(sentence):
        out.append((start + s0, start + m.start()))
        s0 = m.end()
    out.append((start + s0, end))
    return [(a, b) for a, b in out if b > a]


# ------------------------------------------------------------------------------ events

_INCIDENT_NOUN = (
    r"(?:attack|ambush|assault|incident|bombing|explosion|blast|raid|operation|shooting"
    r"|strike|massacre)"
)
_NEW_INCIDENT = re.compile(
    r"\b(?:a|an|one)\s+(?:separate|second|third|another|other|similar|earlier|later|new"
    rf"|further|different)\s+(?:[\w-]+\s+)?{_INCIDENT_NOUN}\b"
    r"|\b(?:another|separate|smaller|other|second|similar)\s+(?:[\w-]+\s+)?"
    rf"{_INCIDENT_NOUN}s?\b|\b(?:another|a second|a further)\s+(?:land)?mine\b"
    r"|\bseparately\b|\bmeanwhile\b|\belsewhere\b|\bin a separate\b"
    r"|^\s*(?:Earlier|Later)\s+(?:on|that|the\s+same)\s+(?:day|night|morning|evening|Monday"
    r"|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    rf"|\b(?:the|in the) first {_INCIDENT_NOUN}\b|^\s*(?:One|A first) {_INCIDENT_NOUN}\b"
    r"|الهجوم الأول|الكمين الأول"
    r"|في هجوم آخر|في سياق متصل|في سياق منفصل|وفي هجوم|في حادثة أخرى|كما قتل|كما شن|وفي ريف",
    re.I,
)
_ANAPHORA = re.compile(
    r"\b(?:the|that|this|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:'s|’s))"
    rf"\s+(?:[\w-]+\s+){{0,2}}?(?:{_INCIDENT_NOUN}|clashes|fighting|violence)\b"
    r"|\bthe\s+(?:dead|victims|death toll|toll|casualties)\b"
    r"|(?:^|\s)(?:الهجوم|الكمين|الانفجار|التفجير|الاستهداف)(?![\u0621-\u064A\u066E-\u06D3])",
    re.I,
)
_SUMMARY = re.compile(
    r"\b(?:two|three|four|five|six|several|multiple|simultaneous|parallel|separate|twin"
    r"|a series of|a string of|a wave of|\d+)\s+(?:[\w-]+\s+){0,2}?(?:attacks|ambushes"
    r"|bombings|operations)\b|\bin\s+(?:two\s+|three\s+)?separate\s+(?:incidents|attacks)\b"
    r"|هجومين|هجمات متزامنة",
    re.I,
)
_PLURAL_ATTACKS = re.compile(r"\b(?:attacks|ambushes|bombings|assaults)\b|هجمات", re.I)
_CUMULATIVE = re.compile(
    r"\bso far\b|\bsince (?:the )?(?:start|beginning|onset|outset)\b|\bsince early\b"
    r"|\bthis year alone\b|\bin total\b|\ba total of\b|\btotal (?:death )?toll\b|\btally\b"
    r"|\bstatistics\b|\b(?:over|in|during) the (?:past|last) (?:[\w-]+ )?(?:weeks|months"
    r"|years|year|twelve months)\b|\bsince (?:late |early )?(?:19|20)\d\d\b"
    r"|\bsince (?:late |early )?(?:January|February|March|April|May|June|July|August"
    r"|September|October|November|December) (?:19|20)\d\d\b(?!, when)"
    r"|\bnot counting\b|\bcumulative\b"
    r"|منذ مطلع|منذ بداية|(?<!ارتفعت )(?<!ارتفاع )(?<!وارتفعت )حصيلة(?!\s+أولية)",
    re.I,
)
_STATS = re.compile(r"\bin\s+\d+\s+(?:operations|attacks|ambushes|incidents)\b", re.I)
_DEADLIEST = re.compile(r"\b(?:deadliest|worst|bloodiest|biggest|largest|first)\b", re.I)
_REGION_COUNTRIES = frozenset({"SY", "JO", "IQ"})


@dataclass
class _Clause:
    start: int
    end: int
    text: str
    sentence: int  # running index of the sentence
    sentence_span: tuple[int, int]
    paragraph: int
    story: int
    when: When | None
    since: When | None
    places: list[PlaceMention]
    mentions: list[PlaceMention]
    counts: Counts
    trigger: str | None
    trigger_pos: int
    actors: list[tuple[int, str]]
    anaphora: bool
    new_incident: bool
    summary: bool


@dataclass
class _Event:
    sentence: list[str]
    mentions: list[PlaceMention]
    place: PlaceMention | None
    place_inherited: bool
    when: When | None
    date_inherited: bool
    actor: str | None
    actor2: str | None
    targets: list[str]
    civilian: bool
    trigger: str
    story: int
    paragraph: int
    last_sentence: int
    first_sentence: int
    summary: bool = False
    dateline: str | None = None
    evidence: list[tuple[int, int]] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    items: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    approximate: bool = False
    rules: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    victim_group: str | None = None

    def rule(self, *names: str) -> None:
        for name in names:
            if name and name not in self.rules:
                self.rules.append(name)

    def add_counts(self, counts: Counts, how: str = "") -> None:
        """Fold a clause's figures in: repeat/breakdown -> the larger, also -> add."""
        for kind in KINDS:
            new = counts.total(kind)
            if new is None:
                continue
            items = list(getattr(counts, kind))
            cur = self.totals.get(kind)
            if cur is None:
                self.totals[kind], self.items[kind] = new, items
            elif kind == "killed" and counts.update:
                self.totals[kind], self.items[kind] = new, items
                self.rule("merge:toll_update")
            elif counts.additive:
                self.totals[kind] = cur + new
                self.items[kind] = self.items.get(kind, []) + items
                self.rule("merge:additive")
            elif new > cur:
                self.totals[kind], self.items[kind] = new, items
                self.rule("merge:larger_figure")
            else:
                self.rule("merge:repeated_or_breakdown")
        self.approximate = self.approximate or counts.approximate
        self.victim_group = self.victim_group or counts.victim_group
        self.rule(*counts.rules, how)


def _refers_back(clause: str) -> bool:
    """ "The attack ...", "killed in the ambush": the clause tells of the incident just told.

    Only as the clause's subject (its first words) or after a preposition: "planning
    the attack on the prison" is about another incident.
    """
    for m in _ANAPHORA.finditer(clause):
        before = clause[: m.start()].strip()
        if len(before.split()) <= 2 or re.search(
            r"\b(?:in|during|of|from|after|by|since|following|with|at)$", before, re.I
        ):
            return True
    return False


def _actors_in(clause: str) -> list[tuple[int, str]]:
    hits: list[tuple[int, str]] = []
    for name, pattern in _ACTORS:
        for m in pattern.finditer(clause):
            hits.append((m.start(), name))  # noqa: PERF401
    hits.sort()
    seen: list[tuple[int, str]] = []
    for pos, name in hits:
        if name not in [n for _p, n in seen]:
            seen.append((pos, name))
    return seen


def _targets_in(clause: str) -> tuple[list[str], bool]:
    names: list[str] = []
    civilian = False
    for name, pattern, is_civ in _TARGETS:
        if pattern.search(clause):
            names.append(name)
            civilian = civilian or is_civ
    return names, civilian


def _roles(
    clause: str, trigger_pos: int, actors: list[tuple[int, str]]
) -> tuple[str | None, str | None]:
    if not actors:
        return None, None
    by = re.search(r"\bby\s+(?:the\s+)?", clause)
    agent: str | None = None
    if by is not None:
        after = [a for a in actors if a[0] >= by.end() - 1]
        if after and after[0][0] - by.end() < 25:
            agent = after[0][1]
    passive = (
        re.search(r"\b(?:was|were|been|being|is|are)\s+(?:\w+\s+)?$", clause[:trigger_pos])
        is not None
    )
    if agent is None and passive:
        cut = clause.find("including", trigger_pos)
        stop = min(trigger_pos + 60, cut if cut >= 0 else len(clause))
        after = [a for a in actors if trigger_pos < a[0] < stop]
        agent = after[0][1] if after else None
    elif agent is None:
        before = [a for a in actors if a[0] <= trigger_pos]
        agent = before[0][1] if before else None
    others = [n for _p, n in actors if n != agent]
    if agent is None:
        return None, others[0] if others else None
    return agent, others[-1] if others else None


def _canonical_actor(text: str) -> str | None:
    for name, pattern in _ACTORS:
        if pattern.search(text):
            return name
    return text


_ORIGIN = re.compile(
    r"\b(?:commander|leader|official|natives?|residents?|tribesm[ae]n|man|woman|youths?)"
    r"(?:\s+[\w'-]+){0,8}?\s+(?:from|of)\s+(?:the\s+(?:town|city|village)\s+of\s+)?$",
    re.I,
)


def _event_places(mentions: list[PlaceMention], text: str = "") -> list[PlaceMention]:
    """Mentions that can be an event's place: no country, inside the region, not where a
    person comes from ("a local commander ... from Mayadin")."""
    return [
        m
        for m in mentions
        if not _is_country(m)
        and (not m.place.country or m.place.country in _REGION_COUNTRIES)
        and not (text and _ORIGIN.search(text[max(0, m.start - 80) : m.start]))
    ]


def _best_place(places: list[PlaceMention]) -> PlaceMention:
    """The first place, or a finer one after a governorate ("in Homs province near X")."""
    first = places[0].place
    if first.rule in ("governorate", "country") or first.geo_precision >= 3:
        finer = [m for m in places[1:] if (m.place.geo_precision or 9) < (first.geo_precision or 9)]
        if finer:
            return finer[0]
        return places[0]
    # "the village of Jaber in the eastern countryside of Raqqa", "Hasrat in the countryside
    # of Albu Kamal": a name whose match lies outside the area the clause puts it in is
    # another place of that name: geocoded again in that context, else the area itself
    ctx = next((m for m in places[1:] if m.place.rule in ("governorate", "countryside")), None)
    if ctx is not None and not _near(places[0], ctx, _area_reach(ctx)):
        return _in_context(places[0], ctx) or ctx
    return places[0]


def _area_reach(area: PlaceMention) -> float:
    """How far from an area's point a place inside it may lie (metres)."""
    slack = 0.0 if area.place.rule == "governorate" else 30_000.0
    return float(area.place.uncertainty_m) + slack


#: answers of :func:`_in_context`, by (phrase, area): the same in every text
_CONTEXT_CACHE: dict[tuple[str, str, str, float, float], Place | None] = {}


def _in_context(m: PlaceMention, area: PlaceMention) -> PlaceMention | None:
    """``m`` geocoded again inside ``area`` (its governorate, or near its town)."""
    a = area.place
    key = (m.surface, a.rule, a.admin1, round(a.lon, 4), round(a.lat, 4))
    if key not in _CONTEXT_CACHE:
        if len(_CONTEXT_CACHE) > 50_000:
            _CONTEXT_CACHE.clear()
        _CONTEXT_CACHE[key] = _geocoded_in(m, area)
    place = _CONTEXT_CACHE[key]
    if place is None:
        return None
    found = replace(m, place=place)
    return found if _near(found, area, _area_reach(area)) else None


def _geocoded_in(m: PlaceMention, area: PlaceMention) -> Place | None:
    """``m`` geocoded again inside ``area``'s context, as the one Place (no frame between)."""
    from desertgeo.gazetteer import Gazetteer
    from desertgeo.geocoder import DEFAULT_THRESHOLD, _Resolver
    from desertgeo.placetext import _place_of

    context: dict[str, Any] = {"country": None, "admin1": None, "bbox": None, "near": None}
    if area.place.rule == "governorate":
        context["admin1"] = area.place.admin1
    else:
        context["near"] = (area.place.lon, area.place.lat)
    res = _Resolver(Gazetteer.default(), DEFAULT_THRESHOLD, context).resolve(m.surface)
    if not res.ok or not res.has_point:
        return None
    return _place_of(res).derive(
        reason=(res.reason + "; " if res.reason else "")
        + f"geocoded again in the context the text gives ({area.surface})",
    )


def _coarser(old: PlaceMention | None, new: PlaceMention) -> bool:
    """Whether ``old`` is coarser than ``new``: a region, or an area ("between X and Y",
    a road) at least twice as wide that holds the new place."""
    if old is None:
        return True
    o = old.place.uncertainty_m if not np.isnan(old.place.uncertainty_m) else 1e9
    n = new.place.uncertainty_m if not np.isnan(new.place.uncertainty_m) else 1e9
    if n < o and (old.place.geo_precision or 3) >= 3:
        return True
    return (
        old.place.rule in ("between", "road", "border", "tripoint", "tanf_zone")
        and 2 * n < o
        and _near(old, new, o)
    )


class _Assembler:
    """Turns clauses into incidents (one pass, linear in the number of clauses)."""

    def __init__(self, place_note: str) -> None:
        self.events: list[_Event] = []
        self.current: _Event | None = None
        self.narrative: pd.Timestamp | None = None
        self.last_agent: str | None = None
        self.place_note = place_note
        self.by_place_date: dict[tuple[str, pd.Timestamp | None], _Event] = {}
        self.dateline: str | None = None

    def new_story(self, dateline: str | None) -> None:
        self.current = None
        self.narrative = None
        self.dateline = dateline

    def _window(self, c: _Clause, far: bool = False) -> _Event | None:
        """The incident a clause may continue: the current one, in reach.

        Reach: the same paragraph or the next sentence; three sentences for a clause that
        refers back ("the attack") or adds figures of another kind; six when it refers
        back and the incident is the story's latest.
        """
        e = self.current
        if e is None or e.story != c.story or c.new_incident:
            return None
        reach = 1
        if far:
            reach = 6 if c.anaphora and self.events and self.events[-1] is e else 3
        if e.paragraph == c.paragraph or c.sentence - e.last_sentence <= reach:
            return e
        return None

    def _touch(self, e: _Event, c: _Clause, how: str) -> None:
        e.sentence.append(c.text.strip())
        if c.sentence_span not in e.evidence:
            e.evidence.append(c.sentence_span)
        e.last_sentence = max(e.last_sentence, c.sentence)
        e.paragraph = c.paragraph
        e.mentions.extend(m for m in c.mentions if m not in e.mentions)
        e.rule(how)
        self.current = e

    def _set_narrative(self, when: When | None) -> None:
        if when is not None and when.precision == 1 and when.date is not None:
            self.narrative = when.date

    def step(self, c: _Clause, agent: str | None, other: str | None) -> None:
        """Take one clause: continue, refine or merge into an incident, or start one."""
        cumulative = bool(_STATS.search(c.text)) or (
            c.counts.any()
            and (
                bool(_CUMULATIVE.search(c.text))
                or (c.since is not None and not _DEADLIEST.search(c.text))
            )
        )
        if _NATURAL.search(c.text):
            return
        if cumulative:
            self._set_narrative(c.when)  # "two attacks on Thursday, killing 28 in total"
            return
        if c.trigger is None and not c.counts.any():
            if not self._refine(c):
                self._set_narrative(c.when)
            return
        if self._continue(c) or self._merge_same(c) or self._refine(c):
            return
        specific = (
            c.when is not None
            and c.when.precision <= 3
            and not c.when.phrase.lower().startswith("recent")
        )
        if c.trigger is None or not (c.places or c.counts.any() or specific):
            self._set_narrative(c.when)
            return
        if c.summary and not c.places and (c.when is None or c.when.precision > 1):
            return
        if (
            not c.places
            and c.when is None
            and _PLURAL_ATTACKS.search(c.text)
            and not c.new_incident
        ):
            return  # "its deadliest attacks ..., killing dozens": a summary, no incident
        self._start(c, agent, other)

    def _continue(self, c: _Clause) -> bool:
        """Figures with no place and no date of their own: the incident just told."""
        if c.places or c.when is not None or not c.counts.any():
            return False
        # "the toll rose to", "raised the toll to": always about the incident just told
        update = c.counts.update
        other_kinds = self.current is not None and not any(
            c.counts.total(k) is not None and k in self.current.totals for k in KINDS
        )
        attackers = "count:attacker_dead" in c.counts.rules  # the attackers' own deaths
        e = self._window(c, far=c.anaphora or update or other_kinds or attackers)
        if e is None:
            return False
        e.add_counts(c.counts)
        self._add_parties(e, c)
        how = "window:next_clause"
        if c.anaphora:
            how = "window:anaphora"
        elif c.sentence - e.last_sentence > 1:
            how = "window:toll_update" if update else "window:other_kind_of_figure"
        self._touch(e, c, how)
        return True

    def _refine(self, c: _Clause) -> bool:
        """ "The attack took place in X on Friday": place and date of the incident told."""
        if not (c.places or c.when is not None):
            return False
        e = self._window(c, far=c.anaphora)
        if e is None and not c.anaphora:
            e = self._window(c, far=True)
            e = e if e is not None and c.sentence - e.last_sentence <= 2 else None
        if e is None or not (c.anaphora or _fills_gap(e, c) or _elaborates(e, c)):
            return False
        if _other_day(e.when, e.date_inherited, c.when):
            return False  # another day: another incident
        if c.places:
            place = _best_place(c.places)
            if (
                e.place is None
                or e.place_inherited
                or _coarser(e.place, place)
                or _finer(e.place, place)
            ):
                e.place, e.place_inherited = place, False
                e.rule("place:from_window")
        if c.when is not None and (
            e.when is None
            or e.date_inherited
            or c.when.precision < e.when.precision
            or (e.when.rule == "date:report_day" and c.when.rule != "date:report_day")
        ):
            e.when, e.date_inherited = c.when, False
            e.rule(c.when.rule, "date:from_window")
            self._set_narrative(c.when)
        e.add_counts(c.counts)
        self._add_parties(e, c)
        self._touch(e, c, "window:anaphora" if c.anaphora else "window:same_incident")
        return True

    def _merge_same(self, c: _Clause) -> bool:
        """Same place and same date as an earlier incident: the same incident."""
        if not c.places or c.when is None or c.new_incident:
            return False
        place = _best_place(c.places)
        if not place.place.place_id:
            return False
        same = self.by_place_date.get((place.place.place_id, c.when.date))
        if same is None or same.story != c.story:
            return False
        same.add_counts(c.counts)
        self._touch(same, c, "merge:same_place_and_date")
        return True

    def _add_parties(self, e: _Event, c: _Clause) -> None:
        if e.actor2 is None:
            e.actor2 = next((n for _p, n in c.actors if n != e.actor), None)
        targets, civilian = _targets_in(c.text[c.trigger_pos :] + " " + _victims(c.counts))
        e.targets.extend(t for t in targets if t not in e.targets)
        e.civilian = e.civilian or civilian

    def _start(self, c: _Clause, agent: str | None, other: str | None) -> None:
        place = _best_place(c.places) if c.places else None
        inherited_place = False
        if place is None and _AREA_ANAPHORA.search(c.text) and self.events:
            prior = next((e.place for e in reversed(self.events) if e.place), None)
            if prior is not None:
                place, inherited_place = prior, True
        when, date_inherited = c.when, False
        if when is None and self.narrative is not None:
            when = When(
                self.narrative,
                self.narrative,
                3,
                "",
                "date_inferred (no date in the clause: narrative date, month precision)",
                "date:narrative",
            )
            date_inherited = True
        targets, civilian = _targets_in(c.text[c.trigger_pos :] + " " + _victims(c.counts))
        e = _Event(
            sentence=[],
            mentions=[],
            place=place,
            place_inherited=inherited_place,
            when=when,
            date_inherited=date_inherited,
            actor=agent,
            actor2=(c.counts.victim_group and _canonical_actor(c.counts.victim_group)) or other,
            targets=targets,
            civilian=civilian,
            trigger=c.trigger or "",
            story=c.story,
            paragraph=c.paragraph,
            last_sentence=c.sentence,
            first_sentence=c.sentence,
            summary=c.summary,
            dateline=self.dateline,
        )
        e.add_counts(c.counts)
        e.rule(
            "event:trigger",
            "event:new_incident" if c.new_incident else "",
            "event:summary" if c.summary else "",
            "place:" + (place.rule or "name") if place is not None else "",
            "place:inherited_area" if inherited_place else "",
            when.rule if when is not None else "",
        )
        self._touch(e, c, "")
        self.events.append(e)
        if place is not None and place.place.place_id and when is not None and not inherited_place:
            self.by_place_date.setdefault((place.place.place_id, when.date), e)
        if not date_inherited:
            self._set_narrative(when)

    def finish(self) -> list[_Event]:
        """Drop summaries whose parts were told as incidents of their own.

        A summary is a plural lede ("two attacks ... killing 28", "Landmines killed 10
        ...") followed, in the same story, by incidents whose tolls make its total.
        """
        out: list[_Event] = []
        for i, e in enumerate(self.events):
            parts = []
            for p in itertools.islice(self.events, i + 1, None):
                # events are made in text order: once one starts more than six sentences
                # after this one ends, so do all that follow (linear, not quadratic)
                if p.first_sentence - e.last_sentence > 6 or p.story != e.story:
                    break
                if p.last_sentence - e.last_sentence <= 6:
                    parts.append(p)
            total = e.totals.get("killed")
            part_sum = sum(p.totals.get("killed", 0) for p in parts)
            if e.summary and parts:
                continue
            if total is not None and e.place is None and len(parts) >= 2 and total == part_sum:
                continue
            if (
                total is not None
                and _first_parts_make(total, parts)
                and (e.place is None or e.place.place.geo_precision >= 3)
            ):
                continue  # "Nine killed in Homs and Hama": its parts follow
            out.append(e)
        return out


def _first_parts_make(total: int, parts: list[_Event]) -> bool:
    """Whether the tolls of the first two or more ``parts`` add up to ``total``."""
    running = 0
    for k, p in enumerate(parts):
        running += p.totals.get("killed", 0)
        if running == total and k >= 1:
            return True
        if running > total:
            return False
    return False


def _other_day(old: When | None, inherited: bool, new: When | None) -> bool:
    """Both day-precise, told as the incident's day (not the report's), and different."""
    if old is None or new is None or inherited or old.precision != 1 or new.precision != 1:
        return False
    if "date:report_day" in (old.rule, new.rule):
        return False
    return old.date != new.date


def _fills_gap(e: _Event, c: _Clause) -> bool:
    """The next clause gives the place or the date the incident just told lacks.

    "IS fighters ambushed a bus in the eastern desert on Thursday, killing 23. ... the
    gunmen opened fire on the vehicle near the town of Mayadin": one incident. Not when
    the clause has its own, added toll ("also killed three shepherds near X"), another
    day, or a place far from the incident's.
    """
    if c.counts.total("killed") is not None and (c.counts.additive or e.totals.get("killed")):
        return False
    no_place = e.place is None or e.place_inherited
    no_date = e.when is None or e.date_inherited or e.when.rule == "date:report_day"
    adds_place = bool(c.places) and no_place
    adds_date = c.when is not None and no_date
    if not (adds_place or adds_date):
        return False
    if c.places and not no_place and not _near(e.place, _best_place(c.places), 30_000):
        return False
    return not (
        c.when is not None and not no_date and e.when is not None and c.when.date != e.when.date
    )


def _elaborates(e: _Event, c: _Clause) -> bool:
    """The next sentence tells more of the same incident: a place, no new date, no toll.

    "... near the ancient town of Palmyra. The militants opened fire on the bus near the
    T3 pumping station east of Palmyra." (the finer place is taken when it is near).
    """
    return (
        bool(c.places)
        and c.when is None
        and not c.counts.any()
        and c.sentence - e.last_sentence <= 1
        and e.place is not None
    )


def _near(old: PlaceMention | None, new: PlaceMention, metres: float) -> bool:
    if old is None or np.isnan(old.place.lon) or np.isnan(new.place.lon):
        return False
    dist = distance_m(old.place.lon, old.place.lat, new.place.lon, new.place.lat)
    return bool(float(dist[0]) < metres)


def _finer(old: PlaceMention | None, new: PlaceMention) -> bool:
    """A named site or town near an area given before ("near Palmyra" -> "T3 station")."""
    if old is None or old.place.place_id == new.place.place_id:
        return False
    if (old.place.geo_precision or 3) < 2 or (new.place.geo_precision or 3) != 1:
        return False
    return _near(old, new, 60_000)


def _victims(counts: Counts) -> str:
    return " ".join(
        w for kind in ("killed", "abducted", "wounded") for _n, w in getattr(counts, kind)
    )


def _check_published(published: Any) -> pd.Timestamp | None:
    if published is None:
        return None
    try:
        stamp = pd.Timestamp(published)
    except (ValueError, TypeError) as exc:
        raise InputError(
            f"events_from_text(published={published!r}): not a date ({exc}); pass the "
            "publication date as 'YYYY-MM-DD', a datetime.date or a pandas Timestamp, "
            "or None to leave relative dates unresolved"
        ) from None
    if pd.isna(stamp):
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_localize(None)
    return stamp.normalize()


def _story_of(dateline_starts: list[int], pos: int) -> int:
    return bisect.bisect_right(dateline_starts, pos)


def _in_mentions(
    mentions: list[PlaceMention], starts: list[int], a: int, b: int
) -> list[PlaceMention]:
    i = bisect.bisect_left(starts, a)
    j = bisect.bisect_left(starts, b)
    return mentions[i:j]


@positional_options("published", "source")
def events_from_text(
    text: str,
    *,
    published: str | dt.date | pd.Timestamp | None = None,
    source: str | None = None,
) -> gpd.GeoDataFrame:
    """Extract attack events from a news text, offline and rule-based.

    Parameters
    ----------
    text : str
        The article, or several (plain text; paragraphs on separate lines; each
        report's dateline starts a new story).
    published : date-like, optional
        Publication date: anchors "Friday", "yesterday", "last week", "earlier
        this month" and the year of "February 11" (a dateline's own date, when it
        has one, takes its place for that story). Without it, such dates are
        resolved only from a date given earlier in the text, else left NaT.
    source : str, optional
        Written to the ``source`` column.

    Returns
    -------
    GeoDataFrame
        EPSG:4326, the events schema plus ``sentence``, ``mentions``, ``abducted``,
        ``wounded``, ``evidence`` (the source sentences, with their character
        spans), ``rules`` (the rules that fired), ``dateline`` and ``approximate``;
        one row per incident, validated (incidents with no place or date are kept
        with status "invalid" and a reason; inferred dates/places give "warning").

    Raises
    ------
    InputError
        ``text`` is not a string, or ``published`` is not a date.

    Examples
    --------
    >>> ev = events_from_text(
    ...     "On February 11, IS fighters kidnapped about 75 truffle hunters from the town "
    ...     "of Palmyra. At least 16 people were killed.", published="2023-02-20")
    >>> row = ev.iloc[0]
    >>> str(row["date"].date()), int(row["fatalities"]), int(row["abducted"]), row["actor"]
    ('2023-02-11', 16, 75, 'Islamic State (IS)')

    A dateline is where the report was filed, not where the attack happened:

    >>> ev = events_from_text(
    ...     "BEIRUT (AP) — Islamic State militants attacked an army post near Palmyra on "
    ...     "Thursday. Five soldiers were killed in the assault.", published="2023-03-10")
    >>> row = ev.iloc[0]
    >>> row["place"], int(row["fatalities"]), row["dateline"]
    ('Palmyra', 5, 'dateline BEIRUT (AP)')
    >>> str(ev.iloc[0]["date"].date())
    '2023-03-09'
    """
    if not isinstance(text, str):
        raise InputError(
            f"events_from_text() takes the article as a str, not {type(text).__name__}; "
            "read the file first (Path.read_text(encoding='utf-8'))"
        )
    pub = _check_published(published)
    datelines = find_datelines(text)
    mentions, place_note = _find_places(text)
    mentions = _outside_datelines(mentions, datelines)
    starts = [m.start for m in mentions]
    dateline_starts = [d.start for d in datelines]
    asm = _Assembler(place_note)
    story = -1
    ref = pub
    sentence_no = 0
    for p_no, paragraph in enumerate(_sentences(text)):
        for s_start, s_end in paragraph:
            s_story = _story_of(dateline_starts, s_start) - 1
            if s_story != story:
                story = s_story
                line = datelines[story] if story >= 0 else None
                ref = (line.date(pub) if line is not None else None) or pub
                asm.new_story(line.describe() if line is not None else None)
            if story >= 0 and s_start < datelines[story].end <= s_end:
                s_start = datelines[story].end
            sentence_no += 1
            _sentence(text, (s_start, s_end), sentence_no, p_no, story, ref, asm, mentions, starts)
    return _to_frame(asm.finish(), source, place_note)


def _outside_datelines(
    mentions: list[PlaceMention], datelines: list[Dateline]
) -> list[PlaceMention]:
    if not datelines:
        return mentions
    spans = sorted((d.start, d.end) for d in datelines)
    starts = [a for a, _b in spans]

    def inside(pos: int) -> bool:
        k = bisect.bisect_right(starts, pos) - 1  # the last dateline starting at or before
        return any(spans[j][0] <= pos < spans[j][1] for j in range(max(0, k - 1), k + 1))

    return [m for m in mentions if not inside(m.start)]


def _sentence(
    text: str,
    span: tuple[int, int],
    number_: int,
    paragraph: int,
    story: int,
    ref: pd.Timestamp | None,
    asm: _Assembler,
    mentions: list[PlaceMention],
    starts: list[int],
) -> None:
    s_start, s_end = span
    quotes, spoken = quoted_reference(text[s_start:s_end], ref)
    sentence_agent: str | None = None
    for c_start, c_end in _clauses(text, s_start, s_end):
        clause = text[c_start:c_end]
        rel0, rel1 = c_start - s_start, c_end - s_start
        in_quote = any(rel0 < b and a < rel1 for a, b in quotes)
        c_ref = spoken if (in_quote and spoken is not None) else ref
        when, since = dates_in(clause, c_ref, asm.narrative)
        if when is None and clause.lstrip().lower().startswith("when"):
            # "... since January 2022, when IS stormed ..." -> that date
            w_prev, prev_since = dates_in(text[s_start:c_start], c_ref, asm.narrative)
            when = prev_since or w_prev
        clause_mentions = _in_mentions(mentions, starts, c_start, c_end)
        counts = counts_in(clause)
        actors = _actors_in(clause)
        trig = _TRIGGER.search(clause)
        tpos = trig.start() if trig else len(clause)
        agent, other = _roles(clause, tpos, actors)
        if agent is not None:
            sentence_agent = sentence_agent or agent
        c = _Clause(
            start=c_start,
            end=c_end,
            text=clause,
            sentence=number_,
            sentence_span=(s_start, s_end),
            paragraph=paragraph,
            story=story,
            when=when,
            since=since,
            places=_event_places(clause_mentions, text),
            mentions=clause_mentions,
            counts=counts,
            trigger=trig.group(0) if trig else None,
            trigger_pos=trig.start() if trig else 0,
            actors=actors,
            anaphora=_refers_back(clause),
            new_incident=bool(_NEW_INCIDENT.search(clause)),
            summary=bool(_SUMMARY.search(clause)),
        )
        agent, other = _agent(c, agent, other, sentence_agent, asm.last_agent, c_start > s_start)
        asm.step(c, agent, other)
    if sentence_agent is not None:
        asm.last_agent = sentence_agent


def _agent(
    c: _Clause,
    agent: str | None,
    other: str | None,
    sentence_agent: str | None,
    last_agent: str | None,
    later_clause: bool,
) -> tuple[str | None, str | None]:
    if agent is None and _PRONOUN_AGENT.search(c.text):
        agent = last_agent
    elif agent is None and sentence_agent is not None and later_clause:
        agent = sentence_agent  # "..., and earlier this month killed two ..."
    if agent is not None:
        named = [n for _p, n in c.actors]
        if other == agent or (other is None and named and named[0] != agent):
            other = next((n for n in named if n != agent), None)
    return agent, other


def _breakdown(items: list[tuple[int, str]]) -> str:
    return " + ".join(f"{n} {w}".strip() for n, w in items)


def _status(e: _Event, place_note: str) -> tuple[str, list[str]]:
    reasons: list[str] = []
    status = "ok"
    if e.place is None:
        status = "invalid"
        reasons.append(
            "no_place (no place named in the sentence"
            + (f", {place_note}" if place_note else "")
            + ")"
        )
    elif e.place_inherited:
        status = "warning"
        reasons.append(f"place_inferred (from an earlier event: {e.place.surface})")
    when = e.when
    if when is not None and (
        when.note.startswith("date_inferred") or "date_inconsistent" in when.note
    ):
        status = "warning" if status == "ok" else status
        reasons.append(when.note)
    elif when is not None and when.phrase.lower().startswith("recent"):
        status = "warning" if status == "ok" else status
        reasons.append(f"date_approximate ({when.note})")
    return status, reasons


def _notes(e: _Event) -> list[str]:
    notes = []
    for kind in ("killed", "abducted", "released", "wounded"):
        items = e.items.get(kind)
        if items:
            parts = _breakdown(items)
            same = sum(n for n, _w in items) == e.totals[kind]
            notes.append(f"{kind} {parts}" if same else f"{kind} {e.totals[kind]} ({parts})")
    when = e.when
    if when is not None and when.phrase:
        notes.append(
            f"date from {when.phrase!r}"
            + (f" ({when.note})" if when.note and not when.note.startswith("date_") else "")
        )
    if e.dateline:
        notes.append(e.dateline)
    return notes


def _event_type(e: _Event) -> str:
    if e.totals.get("abducted"):
        return "Violence against civilians" if e.civilian else "Battles"
    if re.search(
        r"bomb|explo|blast|IED|mine|shell|انفجار|تفجير|لغم", e.trigger + " ".join(e.sentence), re.I
    ):
        return "Explosions/Remote violence"
    return "Violence against civilians" if e.civilian else "Battles"


def _row(i: int, e: _Event, source: str | None, place_note: str, text_spans: str) -> dict[str, Any]:
    status, reasons = _status(e, place_note)
    mention, when = e.place, e.when
    place = None if mention is None else mention.place
    notes = _notes(e)
    return {
        "event_id": f"text-{i + 1}",
        "date": when.date if when is not None else pd.NaT,
        "date_end": when.date_end if when is not None else pd.NaT,
        "date_precision": None if when is None else min(when.precision, 3),
        "place": None if mention is None else (_given(mention) or mention.surface),
        "country": None if place is None else (place.country or None),
        "admin1": None if place is None else (place.admin1 or None),
        "geo_precision": None if place is None else place.geo_precision,
        "where_prec": None if place is None else place.where_prec,
        "uncertainty_m": np.nan if place is None else place.uncertainty_m,
        "fatalities": e.totals.get("killed"),
        "actor": e.actor,
        "actor2": e.actor2,
        "target": ", ".join(e.targets) if e.targets else None,
        "civilian_target": e.civilian,
        "event_type": _event_type(e),
        "source": source,
        "notes": "; ".join(notes) if notes else None,
        "status": status,
        "reason": "; ".join(reasons),
        "lon": np.nan if place is None else place.lon,
        "lat": np.nan if place is None else place.lat,
        "sentence": " ".join(e.sentence),
        "mentions": " | ".join(_describe(m) for m in e.mentions),
        "abducted": e.totals.get("abducted"),
        "wounded": e.totals.get("wounded"),
        "evidence": text_spans,
        "rules": "; ".join(e.rules),
        "dateline": e.dateline,
        "approximate": e.approximate,
    }


def _to_frame(
    events: list[_Event], source: str | None, place_note: str, text: str = ""
) -> gpd.GeoDataFrame:
    rows = [
        _row(i, e, source, place_note, " | ".join(f"[{a}:{b}]" for a, b in e.evidence))
        for i, e in enumerate(events)
    ]
    if not rows:
        frame = pd.DataFrame(
            {
                c: pd.Series([], dtype="object")
                for c in [*EVENT_COLUMNS, "lon", "lat"]
                if c != "geometry"
            }
        )
        for col in TEXT_COLUMNS:
            frame[col] = pd.Series([], dtype="object")
    else:
        frame = pd.DataFrame(rows)
    out = validate_events(frame, study_area=None)
    for col in ("sentence", "mentions", "evidence", "rules", "dateline"):
        out[col] = out[col].astype("string")
    out["abducted"] = pd.array(out["abducted"], dtype="Int64")
    out["wounded"] = pd.array(out["wounded"], dtype="Int64")
    out["approximate"] = pd.array(out["approximate"], dtype="boolean")
    return out
