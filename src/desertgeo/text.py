"""Events out of news text, offline, with rules (no model, no download).

:func:`events_from_text` reads an article and returns one row per attack it
describes, in the events schema (:data:`desertgeo.events.EVENT_COLUMNS`) plus
``sentence`` (the sentence(s) the event came from), ``mentions`` (the place
mentions found there, with the geocoder's rule), ``abducted`` and ``wounded``.

How it works, step by step:

1. paragraphs and sentences are split (boiler-plate lines such as
   "- Advertisement -" are dropped), sentences into clauses at ``;``,
   ``, when``, ``, then`` and ``, and`` + a date phrase;
2. place mentions come from :func:`desertgeo.geocoder.find_places` (gazetteer
   driven: spellings, Arabic script and descriptive phrases such as "outside
   the desert town of Sukhna");
3. dates: absolute ("On February 11", "11 Feb 2023", "in August 2023", "in
   December") with the year taken from ``published`` (the latest such date on
   or before it) and relative ones ("six days later" from the narrative's last
   day-precise date, "on Friday" / "Friday's" = the latest Friday on or before
   the narrative date or ``published``, "yesterday", "last week", "earlier this
   month", "recent"); a weekday and a day offset in the same clause are checked
   against each other;
4. counts: "At least 61 civilians and seven soldiers were killed" (68, with the
   breakdown in ``notes``), "killing 22", "the martyrdom of 22 members",
   "kidnapped about 75 truffle hunters" (abducted 75), number words;
5. actors (IS / ISIS / Islamic State / Daesh, Syrian army and pro-government
   forces, al-Quds Brigade, SDF, US forces / coalition, Russian forces, rebels)
   and targets (truffle hunters, civilians, soldiers, security personnel, bus,
   checkpoint, prison, headquarters);
6. grouping: a clause with a violence verb and a place, a casualty count or a
   day/week/month date starts an event; a following clause with counts but no
   place and no date of its own adds to it ("At least 16 people ... were
   killed"); a clause naming the same place and date as an earlier event is
   merged into it ("Friday's attack in Sukhna"). Generic statements (plural
   "attacks" with nothing specific) and natural disasters are skipped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from desertgeo.events import EVENT_COLUMNS, validate_events

__all__ = ["events_from_text"]

# ----------------------------------------------------------------------------- numbers

_UNITS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_WORD_NUM = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four"
    r"|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    r"|(?:a|one|two|three|four|five) hundred)"
)
_NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|(?i:{_WORD_NUM}))"
_QUANT = r"(?:at least|about|around|some|nearly|almost|more than|over|up to|approximately|roughly)"


def _number(text: str) -> int | None:
    """Parse a number written in digits or English words (up to 999)."""
    t = text.strip().lower().replace(",", "")
    if t.isdigit():
        return int(t)
    if t.endswith("hundred"):
        head = t.split()[0]
        return _UNITS.get(head, 0) * 100 or None
    parts = re.split(r"[- ]", t)
    if parts[0] in _TENS:
        return _TENS[parts[0]] + (_UNITS.get(parts[1], 0) if len(parts) > 1 else 0)
    return _UNITS.get(t)


# ------------------------------------------------------------------------------- dates

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_WEEKDAYS = {
    d: i
    for i, d in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
}
_WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"

_DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "month_day",
        re.compile(
            rf"\b(?P<pre>on|since|by|until)?\s*(?P<month>{_MONTH_RE})\s+(?P<day>\d{{1,2}})"
            r"(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>\d{4})\b)?"
        ),
    ),
    (
        "day_month",
        re.compile(
            rf"\b(?P<pre>on|since|by|until)?\s*(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+"
            rf"(?:of\s+)?(?P<month>{_MONTH_RE})\b(?:,?\s+(?P<year>\d{{4}})\b)?"
        ),
    ),
    (
        "month_year",
        re.compile(
            rf"\b(?P<pre>in|since|during|by|until|of)?\s*(?P<month>{_MONTH_RE})\s+"
            r"(?P<year>\d{4})\b"
        ),
    ),
    (
        "month",
        re.compile(
            rf"\b(?P<pre>in|since|during|by|until|early|late|mid-?)\s+"
            rf"(?P<month>{_MONTH_RE})\b(?!\s+\d)"
        ),
    ),
    ("year", re.compile(r"\b(?P<pre>in|since|during|by|until)\s+(?P<year>(?:19|20)\d{2})\b")),
    (
        "days_later",
        re.compile(
            rf"\b(?P<n>{_NUM}|a)\s+days?\s+(?P<dir>later|after(?:wards)?|earlier|before)\b",
            re.IGNORECASE,
        ),
    ),
    ("next_day", re.compile(r"\bthe\s+(?:next|following)\s+day\b", re.IGNORECASE)),
    (
        "weekday",
        re.compile(rf"\b(?P<pre>on|last|this|since)?\s*(?P<wd>{_WEEKDAY_RE})(?:'s|’s)?\b"),
    ),
    ("yesterday", re.compile(r"\byesterday\b", re.IGNORECASE)),
    ("today", re.compile(r"\b(?:today|this morning|tonight|last night)\b", re.IGNORECASE)),
    ("last_week", re.compile(r"\blast\s+week\b", re.IGNORECASE)),
    ("last_month", re.compile(r"\blast\s+month\b", re.IGNORECASE)),
    ("this_month", re.compile(r"\b(?:earlier\s+|late\s+)?this\s+month\b", re.IGNORECASE)),
    ("last_year", re.compile(r"\blast\s+year\b", re.IGNORECASE)),
    ("recent", re.compile(r"\brecent(?:ly)?\b", re.IGNORECASE)),
]


@dataclass
class _When:
    date: pd.Timestamp | None
    date_end: pd.Timestamp | None
    precision: int  # 1 day, 2 week, 3 month, 4 year (4 never starts an event)
    phrase: str
    note: str = ""


def _month_range(year: int, month: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    start = pd.Timestamp(year=year, month=month, day=1)
    return start, start + pd.offsets.MonthEnd(0)


def _latest_on_or_before(month: int, day: int, ref: pd.Timestamp) -> pd.Timestamp | None:
    for year in (ref.year, ref.year - 1):
        try:
            cand = pd.Timestamp(year=year, month=month, day=day)
        except ValueError:
            continue
        if cand <= ref:
            return cand
    return None


def _dates_in(
    clause: str, published: pd.Timestamp | None, narrative: pd.Timestamp | None
) -> tuple[_When | None, _When | None]:
    """Return (date of this clause, a 'since' date it mentions), either may be None."""
    found: list[tuple[int, str, re.Match[str]]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _DATE_PATTERNS:
        for m in pattern.finditer(clause):
            span = m.span()
            if any(s < span[1] and span[0] < e for s, e in taken):
                continue
            taken.append(span)
            found.append((span[0], kind, m))
    found.sort(key=lambda f: f[0])
    ref = published if published is not None else narrative
    best: _When | None = None
    since: _When | None = None
    day_offset: _When | None = None
    weekday: _When | None = None
    for _pos, kind, m in found:
        phrase = m.group(0).strip()
        when: _When | None = None
        groups = m.groupdict()
        pre = (groups.get("pre") or "").lower()
        if kind in ("month_day", "day_month"):
            month = _MONTHS[m.group("month").lower().rstrip(".")]
            day = int(m.group("day"))
            if m.group("year"):
                try:
                    d = pd.Timestamp(year=int(m.group("year")), month=month, day=day)
                except ValueError:
                    continue
                when = _When(d, d, 1, phrase)
            else:
                base = ref if ref is not None else narrative
                if base is None:
                    continue
                d2 = _latest_on_or_before(month, day, base)
                if d2 is None:
                    continue
                when = _When(d2, d2, 1, phrase, "year inferred from the publication date")
        elif kind == "month_year":
            start, end = _month_range(
                int(m.group("year")), _MONTHS[m.group("month").lower().rstrip(".")]
            )
            when = _When(start, end, 3, phrase)
        elif kind == "month":
            if ref is None:
                continue
            month = _MONTHS[m.group("month").lower().rstrip(".")]
            year = ref.year if month <= ref.month else ref.year - 1
            start, end = _month_range(year, month)
            when = _When(start, end, 3, phrase, "year inferred from the publication date")
        elif kind == "year":
            y = int(m.group("year"))
            when = _When(
                pd.Timestamp(year=y, month=1, day=1),
                pd.Timestamp(year=y, month=12, day=31),
                4,
                phrase,
            )
        elif kind in ("days_later", "next_day"):
            if narrative is None:
                continue
            if kind == "next_day":
                n = 1
            else:
                n_text = m.group("n")
                n = 1 if n_text.lower() == "a" else (_number(n_text) or 0)
                if m.group("dir").lower() in ("earlier", "before"):
                    n = -n
            d = narrative + pd.Timedelta(days=n)
            when = _When(d, d, 1, phrase, f"{n:+d} days from {narrative.date()}")
            day_offset = when
        elif kind == "weekday":
            base = narrative if narrative is not None else published
            if published is not None and (narrative is None or pre == "last"):
                base = published
            if base is None:
                continue
            target = _WEEKDAYS[m.group("wd").lower()]
            back = (base.weekday() - target) % 7
            if pre == "last" and back == 0:
                back = 7
            d = base - pd.Timedelta(days=back)
            if (
                published is not None
                and narrative is not None
                and d < narrative
                and published >= narrative
            ):
                # "on Friday" after a dated event: the first such day after it
                d = narrative + pd.Timedelta(days=(target - narrative.weekday()) % 7 or 7)
                if d > published:
                    d = published - pd.Timedelta(days=(published.weekday() - target) % 7)
            when = _When(d, d, 1, phrase, f"{m.group('wd')} on or before {base.date()}")
            weekday = when
        elif kind == "yesterday" and published is not None:
            d = published - pd.Timedelta(days=1)
            when = _When(d, d, 1, phrase)
        elif kind == "today" and published is not None:
            when = _When(published, published, 1, phrase)
        elif kind == "last_week" and published is not None:
            start = published - pd.Timedelta(days=published.weekday() + 7)
            when = _When(start, start + pd.Timedelta(days=6), 2, phrase)
        elif kind == "last_month" and published is not None:
            prev = published - pd.offsets.MonthBegin(1)
            if published.day == 1:
                prev = published - pd.offsets.MonthBegin(1)
            start, end = _month_range(prev.year, prev.month)
            if start.month == published.month:
                start, end = _month_range(
                    (start - pd.Timedelta(days=1)).year, (start - pd.Timedelta(days=1)).month
                )
            when = _When(start, end, 3, phrase)
        elif kind == "this_month" and published is not None:
            start, _end = _month_range(published.year, published.month)
            when = _When(start, published, 3, phrase)
        elif kind == "last_year" and published is not None:
            y = published.year - 1
            when = _When(
                pd.Timestamp(year=y, month=1, day=1),
                pd.Timestamp(year=y, month=12, day=31),
                4,
                phrase,
            )
        elif kind == "recent" and published is not None:
            when = _When(
                published - pd.Timedelta(days=30),
                published,
                3,
                phrase,
                "'recent': within 30 days before publication (assumed)",
            )
        if when is None:
            continue
        if pre == "since":
            since = when
            continue
        if best is None or when.precision < best.precision:
            best = when
    if day_offset is not None and weekday is not None:
        assert day_offset.date is not None
        assert weekday.date is not None
        if day_offset.date == weekday.date:
            best = _When(
                day_offset.date,
                day_offset.date,
                1,
                f"{day_offset.phrase}, {weekday.phrase}",
                f"{day_offset.note}, consistent with {weekday.phrase}",
            )
        else:
            best = _When(
                day_offset.date,
                day_offset.date,
                1,
                f"{day_offset.phrase}, {weekday.phrase}",
                f"date_inconsistent: {day_offset.phrase} gives "
                f"{day_offset.date.date()} but {weekday.phrase} gives "
                f"{weekday.date.date()}",
            )
    return best, since


# ------------------------------------------------------------------ actors and targets

_ACTORS: list[tuple[str, re.Pattern[str]]] = [
    ("Islamic State (IS)", re.compile(r"\b(?:IS|ISIS|ISIL|Islamic State|Daesh|Da'esh)\b")),
    ("al-Quds Brigade", re.compile(r"\b(?:al-Quds Brigade|Liwa al-Quds|Quds Brigade)\b")),
    (
        "Syrian government forces",
        re.compile(
            r"\b(?:Syrian (?:[Aa]rmy|[Gg]overnment (?:troops|forces)|regime|[Aa]rab [Aa]rmy"
            r"|warplanes|(?:air ?|drone )?strikes?)"
            r"|(?:pro-)?government (?:troops|forces|militias|fighters)|regime forces"
            r"|National Defen[cs]e Forces)"
        ),
    ),
    (
        "SDF",
        re.compile(
            r"\b(?:SDF|Syrian Democratic Forces|Kurdish-led (?:fighters|forces|allies)"
            r"|U\.?S\.?-backed (?:fighters|forces|Kurdish))"
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
    r"|massacred|martyrdom|martyred|detonated|exploded|fought|clashed|raided"
    r"|(?:the|an|a|this|that|[A-Za-z]+'s|[A-Za-z]+’s)\s+(?:\w+\s+){0,2}?"
    r"(?:attack|assault|ambush|bombing|explosion|raid|massacre))\b",
    re.IGNORECASE,
)
_NATURAL = re.compile(
    r"\b(?:earthquake|quake|flood|floods|storm|avalanche|landslide|fire|disease|cholera)\b"
    r"[^.;]{0,40}\b(?:killed|killing|dead|died)",
    re.I,
)
_PRONOUN_AGENT = re.compile(
    r"\b(?:they|the group|the militants|the jihadists|its fighters)\b", re.I
)
_AREA_ANAPHORA = re.compile(r"\b(?:around|in|across) the (?:area|region|vicinity)\b", re.I)
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

# ------------------------------------------------------------------------------ counts

_PASSIVE = re.compile(
    r"\b(?:were|was|have been|has been|had been|are|is|being)\s+(?:reportedly\s+)?"
    r"(?P<verb>killed|wounded|injured|kidnapped|abducted|released|missing|executed|captured)\b"
)
_ACTIVE = re.compile(
    rf"\b(?P<verb>killing|killed|kills|kidnapped|kidnapping|abducted|abducting|wounded|wounding"
    rf"|injured|injuring|executed|executing)\s+(?:{_QUANT}\s+)?(?P<n>{_NUM})\b"
    r"(?P<what>(?:\s+(?!and\b|in\b|at\b|from\b|on\b|near\b|outside\b)[\w-]+){0,3})"
)
_MARTYRDOM = re.compile(
    rf"\bmartyrdom of\s+(?:{_QUANT}\s+)?(?P<n>{_NUM})\b(?P<what>(?:\s+[\w-]+){{0,1}})"
    r"(?:\s+of\s+(?:the\s+)?(?P<group>[\w\s'-]+?))?(?=[,.;]|\s+was|\s+in\b|$)"
)
_DEAD = re.compile(
    rf"\b(?P<n>{_NUM})\s+(?P<what>(?:[\w-]+\s+){{0,2}}?)(?:people\s+)?(?:dead|were\s+dead)\b"
)
_COUNT_IN_SEGMENT = re.compile(
    rf"(?:(?<=^)|(?<=[\s,(]))(?:{_QUANT}\s+)?(?P<n>{_NUM})\b(?P<what>(?:\s+(?!and\b|were\b"
    r"|was\b|including\b)[a-z][\w-]*){0,3})",
    re.I,
)
_VERB_KIND = {
    "killed": "killed",
    "killing": "killed",
    "kills": "killed",
    "executed": "killed",
    "executing": "killed",
    "wounded": "wounded",
    "wounding": "wounded",
    "injured": "wounded",
    "injuring": "wounded",
    "kidnapped": "abducted",
    "kidnapping": "abducted",
    "abducted": "abducted",
    "abducting": "abducted",
    "captured": "abducted",
    "released": "released",
    "missing": "missing",
}


@dataclass
class _Counts:
    killed: list[tuple[int, str]] = field(default_factory=list)
    wounded: list[tuple[int, str]] = field(default_factory=list)
    abducted: list[tuple[int, str]] = field(default_factory=list)
    released: list[tuple[int, str]] = field(default_factory=list)
    missing: list[tuple[int, str]] = field(default_factory=list)
    victim_group: str | None = None

    def any(self) -> bool:
        return bool(self.killed or self.wounded or self.abducted)

    def add(self, kind: str, n: int, what: str) -> None:
        getattr(self, kind).append((n, what.strip()))


def _is_year(token: str) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d{2}", token))


def _counts_in(clause: str) -> _Counts:
    counts = _Counts()
    used: list[tuple[int, int]] = []
    last_end = 0
    for m in _PASSIVE.finditer(clause):
        kind = _VERB_KIND[m.group("verb")]
        segment = clause[last_end : m.start()]
        seg_start = last_end
        last_end = m.end()
        for c in _COUNT_IN_SEGMENT.finditer(segment):
            n = _number(c.group("n"))
            what = c.group("what").strip()
            if n is None or c.group("n").lower() in ("a", "an") or _is_year(c.group("n")):
                continue
            if re.match(
                r"(?:days?|weeks?|months?|years?|km|kilometres|kilometers|percent)\b", what
            ):
                continue
            counts.add(kind, n, what)
            used.append((seg_start + c.start(), seg_start + c.end()))
    for m in _ACTIVE.finditer(clause):
        if any(s <= m.start("n") < e for s, e in used):
            continue
        n = _number(m.group("n"))
        what = (m.group("what") or "").strip()
        if (
            n is None
            or _is_year(m.group("n"))
            or re.match(r"(?:days?|weeks?|months?|years?)\b", what)
        ):
            continue
        counts.add(_VERB_KIND[m.group("verb")], n, what)
    for m in _MARTYRDOM.finditer(clause):
        n = _number(m.group("n"))
        if n is not None:
            counts.add("killed", n, (m.group("what") or "").strip())
            if m.group("group"):
                counts.victim_group = m.group("group").strip()
    for m in _DEAD.finditer(clause):
        n = _number(m.group("n"))
        if n is not None and not counts.killed:
            counts.add("killed", n, m.group("what").strip())
    return counts


# ------------------------------------------------------------------------ place mentions


@dataclass
class _Mention:
    start: int
    end: int
    text: str
    name: str | None
    place_id: str | None
    lon: float
    lat: float
    geo_precision: int | None
    where_prec: int | None
    uncertainty_m: float
    country: str | None
    admin1: str | None
    feature_type: str | None
    rule: str | None
    score: float | None = None
    status: str | None = None
    given: str | None = None

    @property
    def is_country(self) -> bool:
        ft = (self.feature_type or "").lower()
        if ft in ("country", "pcli"):
            return True
        bare = re.sub(
            r"^(?:the\s+)?(?:(?:north|south|east|west|central|northern|southern|eastern"
            r"|western|north-?eastern|north-?western|south-?eastern|south-?western|interior)"
            r"\s+(?:of\s+)?)*",
            "",
            self.text.strip().lower(),
        )
        return bare in _COUNTRY_NAMES

    def describe(self) -> str:
        bits = [self.text]
        if self.name and self.name != self.text:
            bits.append(f"-> {self.name}")
        if self.place_id:
            bits.append(f"[{self.place_id}]")
        if self.rule:
            bits.append(f"rule {self.rule}")
        return " ".join(bits)


def _get(row: Any, *names: str) -> Any:
    for name in names:
        if isinstance(row, dict):
            if name in row and row[name] is not None:
                return row[name]
        elif hasattr(row, name):
            value = getattr(row, name)
            if value is not None:
                return value
        else:
            try:
                value = row[name]
            except (KeyError, IndexError, TypeError):
                continue
            if value is not None:
                return value
    return None


def _clean(value: Any) -> Any:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    return value


def _given(row: Any, text: str) -> str | None:
    """The place name as written (inside a descriptive phrase, the name itself)."""
    a, b = _clean(_get(row, "name_start")), _clean(_get(row, "name_end"))
    if a is None or b is None or not 0 <= int(a) < int(b) <= len(text):
        return None
    given = text[int(a) : int(b)]
    arabic = re.findall(r"[\u0600-\u06FF][\u0600-\u06FF\s]*[\u0600-\u06FF]|[\u0600-\u06FF]", given)
    if arabic and re.search(r"[A-Za-z]", given):
        return arabic[-1]  # an Arabic name inside English text: the Arabic run only
    return given


def _find_places(text: str) -> tuple[list[_Mention], str]:
    """Place mentions in ``text`` through desertgeo.geocoder.find_places (lazy)."""
    try:
        from desertgeo.geocoder import find_places
    except ImportError as exc:
        return [], f"geocoder unavailable ({exc})"
    found = find_places(text)
    rows: Iterable[Any]
    rows = [r for _, r in found.iterrows()] if isinstance(found, pd.DataFrame) else list(found)
    mentions: list[_Mention] = []
    for row in rows:
        start = _clean(_get(row, "start"))
        end = _clean(_get(row, "end"))
        span = _get(row, "span")
        if (start is None or end is None) and span is not None:
            start, end = span[0], span[1]
        if start is None or end is None:
            continue
        geom = _clean(_get(row, "geometry"))
        lon = float(geom.x) if geom is not None and not geom.is_empty else np.nan
        lat = float(geom.y) if geom is not None and not geom.is_empty else np.nan
        if geom is None:
            lon = float(_clean(_get(row, "lon", "longitude")) or np.nan)
            lat = float(_clean(_get(row, "lat", "latitude")) or np.nan)
        status = _clean(_get(row, "status"))
        if status == "unresolved":
            continue

        def _int(value: Any) -> int | None:
            value = _clean(value)
            return None if value is None else int(value)

        mentions.append(
            _Mention(
                start=int(start),
                end=int(end),
                text=str(
                    _clean(_get(row, "surface", "text", "mention", "query")) or text[start:end]
                ),
                name=_clean(_get(row, "matched_name", "name")),
                place_id=_clean(_get(row, "place_id")),
                lon=lon,
                lat=lat,
                geo_precision=_int(_get(row, "geo_precision")),
                where_prec=_int(_get(row, "where_prec")),
                uncertainty_m=float(_clean(_get(row, "uncertainty_m")) or np.nan),
                country=_clean(_get(row, "country")),
                admin1=_clean(_get(row, "admin1")),
                feature_type=_clean(_get(row, "feature_type")),
                rule=_clean(_get(row, "rule")),
                score=_clean(_get(row, "score")),
                status=status,
                given=_given(row, text),
            )
        )
    mentions = [m for m in mentions if _plausible(m, text)]
    mentions.sort(key=lambda m: (m.start, -(m.end - m.start)))
    # drop mentions nested in a longer one (keep the descriptive phrase)
    kept: list[_Mention] = []
    for m in mentions:
        if kept and m.start < kept[-1].end:
            continue
        kept.append(m)
    return kept, ""


_SPEECH_BEFORE = re.compile(
    r"(?:\btold|\bsaid|\baccording to|\breported by|\bcited by|\bquoted by)\s+(?:the\s+)?$",
    re.I,
)


def _plausible(m: _Mention, text: str) -> bool:
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
    if m.is_country:
        return True
    if m.status == "unresolved":
        return False
    if m.country not in (None, "SY") and (m.score is None or m.score < 100):
        return False
    for _name, pattern in _ACTORS:
        for a in pattern.finditer(text, max(0, m.start - 40), min(len(text), m.end + 40)):
            if a.start() < m.end and m.start < a.end():
                return False
    for _kind, pattern in _DATE_PATTERNS[:8]:
        for d in pattern.finditer(text, max(0, m.start - 20), min(len(text), m.end + 20)):
            if d.start() < m.end and m.start < d.end() and d.group(0).strip():
                return False
    if re.match(r"[-‐][A-Za-z]", text[m.end : m.end + 2]) or (
        m.start > 0 and re.match(r"[A-Za-z][-‐]", text[m.start - 2 : m.start])
    ):
        return False
    if m.rule == "name":
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
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREV = re.compile(r"(?:\b[A-Z]|\bU\.S|\bU\.K|\bMr|\bMrs|\bDr|\bGen|\bSt|\bNo|\bvs)\.$")
_CLAUSE_SPLIT = re.compile(
    r";\s+|,\s+(?=when\b)|,?\s+(?=then\s+\w+\s+(?:days?|weeks?)\s+later\b)"
    r"|,\s+and\s+(?=(?:earlier|later|last|on|in)\b)"
    r"|(?<=[a-z])\s+(?=(?:Last|This|Earlier|Later)\s+(?:week|month|year)\b)"
)


def _sentences(text: str) -> list[list[tuple[int, int]]]:
    """Paragraphs, each a list of (start, end) sentence spans into ``text``."""
    paragraphs: list[list[tuple[int, int]]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        body = line.strip()
        if not body or _BOILERPLATE.match(body):
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


@dataclass
class _Event:
    sentence: list[str]
    mentions: list[_Mention]
    place: _Mention | None
    place_inherited: bool
    when: _When | None
    date_inherited: bool
    counts: _Counts
    actor: str | None
    actor2: str | None
    targets: list[str]
    civilian: bool
    trigger: str
    notes: list[str] = field(default_factory=list)


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


def _merge_counts(into: _Counts, new: _Counts) -> None:
    for kind in ("killed", "wounded", "abducted", "released", "missing"):
        getattr(into, kind).extend(getattr(new, kind))
    into.victim_group = into.victim_group or new.victim_group


def _total(items: list[tuple[int, str]]) -> int | None:
    return sum(n for n, _w in items) if items else None


def _breakdown(items: list[tuple[int, str]]) -> str:
    return " + ".join(f"{n} {w}".strip() for n, w in items)


def events_from_text(
    text: str,
    published: str | dt.date | pd.Timestamp | None = None,
    source: str | None = None,
) -> gpd.GeoDataFrame:
    """Extract attack events from a news text, offline and rule-based.

    Parameters
    ----------
    text : str
        The article (plain text; paragraphs on separate lines).
    published : date-like, optional
        Publication date: anchors "Friday", "yesterday", "last week", "earlier
        this month" and the year of "February 11". Without it, such dates are
        resolved only from a date given earlier in the text, else left NaT.
    source : str, optional
        Written to the ``source`` column.

    Returns
    -------
    GeoDataFrame
        EPSG:4326, the events schema plus ``sentence``, ``mentions``,
        ``abducted`` and ``wounded``; one row per event, validated (events
        with no place or date are kept with status "invalid" and a reason;
        inferred dates/places give "warning").

    Examples
    --------
    >>> ev = events_from_text(
    ...     "On February 11, IS fighters kidnapped about 75 truffle hunters from the town "
    ...     "of Palmyra. At least 16 people were killed.", published="2023-02-20")
    >>> row = ev.iloc[0]
    >>> str(row["date"].date()), int(row["fatalities"]), int(row["abducted"]), row["actor"]
    ('2023-02-11', 16, 75, 'Islamic State (IS)')
    """
    pub = pd.Timestamp(published).normalize() if published is not None else None
    mentions, place_note = _find_places(text)
    events: list[_Event] = []
    narrative: pd.Timestamp | None = None
    last_agent: str | None = None
    for paragraph in _sentences(text):
        para_event: _Event | None = None
        for s_start, s_end in paragraph:
            sentence = text[s_start:s_end]
            sentence_agent: str | None = None
            for c_start, c_end in _clauses(text, s_start, s_end):
                clause = text[c_start:c_end]
                if _NATURAL.search(clause):
                    continue
                when, _since = _dates_in(clause, pub, narrative)
                if when is None and clause.lstrip().lower().startswith("when"):
                    # "... since January 2022, when IS stormed ..." -> that date
                    prev = text[s_start:c_start]
                    _w, prev_since = _dates_in(prev, pub, narrative)
                    when = prev_since or _w
                clause_mentions = [m for m in mentions if c_start <= m.start < c_end]
                places = [m for m in clause_mentions if not m.is_country]
                counts = _counts_in(clause)
                actors = _actors_in(clause)
                trig = _TRIGGER.search(clause)
                tpos = trig.start() if trig else 0
                targets, civilian = _targets_in(
                    clause[tpos:]
                    + " "
                    + " ".join(w for _n, w in counts.killed + counts.abducted + counts.wounded)
                )
                agent, other = _roles(clause, trig.start() if trig else len(clause), actors)
                if agent is not None:
                    sentence_agent = sentence_agent or agent
                if trig is None and not counts.any():
                    if when is not None and when.precision == 1:
                        narrative = when.date
                    continue
                if agent is None and _PRONOUN_AGENT.search(clause):
                    agent = last_agent
                elif agent is None and sentence_agent is not None and c_start > s_start:
                    agent = sentence_agent  # "..., and earlier this month killed two ..."
                if agent is not None:
                    actors_named = [n for _p, n in actors]
                    if other == agent or (
                        other is None and actors_named and actors_named[0] != agent
                    ):
                        other = next((n for n in actors_named if n != agent), None)
                # a continuation: counts only, no place and no date of its own
                if para_event is not None and not places and when is None and counts.any():
                    _merge_counts(para_event.counts, counts)
                    if para_event.actor2 is None:
                        para_event.actor2 = next(
                            (n for _p, n in actors if n != para_event.actor), None
                        )
                    para_event.sentence.append(clause.strip())
                    for name in targets:
                        if name not in para_event.targets:
                            para_event.targets.append(name)
                    para_event.civilian = para_event.civilian or civilian
                    continue
                # same place and date as an earlier event: the same attack
                if places and when is not None:
                    same = [
                        e
                        for e in events
                        if e.place is not None
                        and e.when is not None
                        and e.place.place_id == places[0].place_id
                        and e.place.place_id is not None
                        and e.when.date == when.date
                    ]
                    if same:
                        same[0].sentence.append(clause.strip())
                        _merge_counts(same[0].counts, counts)
                        continue
                specific_date = (
                    when is not None
                    and when.precision <= 3
                    and when.phrase.lower() != "recent"
                    and not when.phrase.lower().startswith("recent")
                )
                if trig is None or not (places or counts.any() or specific_date):
                    if when is not None and when.precision == 1:
                        narrative = when.date
                    continue
                place = places[0] if places else None
                inherited_place = False
                if place is None and _AREA_ANAPHORA.search(clause) and events:
                    prior = next((e.place for e in reversed(events) if e.place), None)
                    if prior is not None:
                        place, inherited_place = prior, True
                date_inherited = False
                if when is None and narrative is not None:
                    when = _When(
                        narrative,
                        narrative,
                        3,
                        "",
                        "date_inferred (no date in the clause: narrative date, month precision)",
                    )
                    date_inherited = True
                event = _Event(
                    sentence=[clause.strip()],
                    mentions=clause_mentions,
                    place=place,
                    place_inherited=inherited_place,
                    when=when,
                    date_inherited=date_inherited,
                    counts=counts,
                    actor=agent,
                    actor2=(counts.victim_group and _canonical_actor(counts.victim_group)) or other,
                    targets=targets,
                    civilian=civilian,
                    trigger=trig.group(0) if trig else "",
                )
                events.append(event)
                para_event = event
                if when is not None and when.precision == 1 and not date_inherited:
                    narrative = when.date
            if sentence_agent is not None:
                last_agent = sentence_agent
            _ = sentence
    return _to_frame(events, source, place_note)


def _canonical_actor(text: str) -> str | None:
    for name, pattern in _ACTORS:
        if pattern.search(text):
            return name
    return text


def _to_frame(events: list[_Event], source: str | None, place_note: str) -> gpd.GeoDataFrame:
    rows: list[dict[str, Any]] = []
    for i, e in enumerate(events):
        reasons: list[str] = []
        status = "ok"
        place = e.place
        if place is None:
            status = "invalid"
            reasons.append(
                "no_place (no place named in the sentence"
                + (f", {place_note}" if place_note else "")
                + ")"
            )
        elif e.place_inherited:
            status = "warning"
            reasons.append(f"place_inferred (from an earlier event: {place.text})")
        when = e.when
        if when is not None and (
            when.note.startswith("date_inferred") or "date_inconsistent" in when.note
        ):
            status = "warning" if status == "ok" else status
            reasons.append(when.note)
        elif when is not None and when.phrase.lower().startswith("recent"):
            status = "warning" if status == "ok" else status
            reasons.append(f"date_approximate ({when.note})")
        killed = _total(e.counts.killed)
        notes = []
        if e.counts.killed:
            notes.append(f"killed {_breakdown(e.counts.killed)}")
        if e.counts.abducted:
            notes.append(f"abducted {_breakdown(e.counts.abducted)}")
        if e.counts.released:
            notes.append(f"released {_breakdown(e.counts.released)}")
        if e.counts.wounded:
            notes.append(f"wounded {_breakdown(e.counts.wounded)}")
        if when is not None and when.phrase:
            notes.append(
                f"date from {when.phrase!r}"
                + (f" ({when.note})" if when.note and not when.note.startswith("date_") else "")
            )
        if e.counts.abducted:
            event_type = "Violence against civilians" if e.civilian else "Battles"
        elif re.search(r"bomb|explo|IED|mine|shell", e.trigger + " ".join(e.sentence), re.I):
            event_type = "Explosions/Remote violence"
        elif e.civilian:
            event_type = "Violence against civilians"
        else:
            event_type = "Battles"
        precision = None if when is None else min(when.precision, 3)
        rows.append(
            {
                "event_id": f"text-{i + 1}",
                "date": when.date if when is not None else pd.NaT,
                "date_end": when.date_end if when is not None else pd.NaT,
                "date_precision": precision,
                "place": None if place is None else (place.given or place.text),
                "country": None if place is None else place.country,
                "admin1": None if place is None else place.admin1,
                "geo_precision": None if place is None else place.geo_precision,
                "where_prec": None if place is None else place.where_prec,
                "uncertainty_m": np.nan if place is None else place.uncertainty_m,
                "fatalities": killed,
                "actor": e.actor,
                "actor2": e.actor2,
                "target": ", ".join(e.targets) if e.targets else None,
                "civilian_target": e.civilian,
                "event_type": event_type,
                "source": source,
                "notes": "; ".join(notes) if notes else None,
                "status": status,
                "reason": "; ".join(reasons),
                "lon": np.nan if place is None else place.lon,
                "lat": np.nan if place is None else place.lat,
                "sentence": " ".join(e.sentence),
                "mentions": " | ".join(m.describe() for m in e.mentions),
                "abducted": _total(e.counts.abducted),
                "wounded": _total(e.counts.wounded),
            }
        )
    if not rows:
        frame = pd.DataFrame(
            {
                c: pd.Series([], dtype="object")
                for c in [*EVENT_COLUMNS, "lon", "lat"]
                if c != "geometry"
            }
        )
        frame["sentence"] = pd.Series([], dtype="string")
        frame["mentions"] = pd.Series([], dtype="string")
        frame["abducted"] = pd.Series([], dtype="Int64")
        frame["wounded"] = pd.Series([], dtype="Int64")
    else:
        frame = pd.DataFrame(rows)
    out = validate_events(frame, study_area=None)
    out["sentence"] = out["sentence"].astype("string")
    out["mentions"] = out["mentions"].astype("string")
    out["abducted"] = pd.array(out["abducted"], dtype="Int64")
    out["wounded"] = pd.array(out["wounded"], dtype="Int64")
    return out
