"""Dates in news text, with their precision, for :mod:`desertgeo.text`.

:func:`dates_in` reads a clause and returns the date it gives (a :class:`When`: start,
end, ACLED precision 1 day / 2 week / 3 month / 4 year, the phrase, a note) and a
"since" date it mentions. Absolute dates take their year from the reference (the
latest such date on or before it); weekdays, "yesterday", "overnight", "last week"
are counted from the reference (the dateline's date, else the publication date) or,
after a dated event in a narrative, from that event. Month-only dates ("In
February") and weeks keep their precision: never silently the publication day.
English and Arabic (month names of both calendars, weekdays, أمس).

Examples
--------
>>> ref = pd.Timestamp("2023-02-20")  # a Monday
>>> w, _ = dates_in("late on Friday, gunmen attacked", ref, None)
>>> str(w.date.date()), w.precision
('2023-02-17', 1)
>>> w, _ = dates_in("In February, 14 people were killed", ref, None)
>>> str(w.date.date()), str(w.date_end.date()), w.precision
('2023-02-01', '2023-02-28', 3)
>>> w, _ = dates_in("هجوم يوم الجمعة 24 أيار", pd.Timestamp("2019-05-25"), None)
>>> str(w.date.date())
'2019-05-24'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from desertgeo._text_counts import NUM, arabic_digits, number

__all__ = ["DATE_PATTERNS", "When", "dates_in", "quoted_reference", "resolve_day"]

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan", "يناير", "كانون الثاني"),
            ("february", "feb", "فبراير", "شباط"),
            ("march", "mar", "مارس", "آذار", "اذار"),
            ("april", "apr", "أبريل", "ابريل", "نيسان"),
            ("may", "مايو", "أيار", "ايار"),
            ("june", "jun", "يونيو", "حزيران"),
            ("july", "jul", "يوليو", "تموز"),
            ("august", "aug", "أغسطس", "اغسطس", "آب"),
            ("september", "sep", "sept", "سبتمبر", "أيلول", "ايلول"),
            ("october", "oct", "أكتوبر", "اكتوبر", "تشرين الأول"),
            ("november", "nov", "نوفمبر", "تشرين الثاني"),
            ("december", "dec", "ديسمبر", "كانون الأول"),
        ]
    )
    for m in names
}
MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_AR_MONTH_RE = "|".join(
    sorted((re.escape(k) for k in MONTHS if re.search(r"[\u0600-\u06FF]", k)), key=len)[::-1]
)
WEEKDAYS = {
    d: i
    for i, d in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
}
_AR_WEEKDAYS = {
    "الاثنين": 0,
    "الإثنين": 0,
    "الثلاثاء": 1,
    "الأربعاء": 2,
    "الاربعاء": 2,
    "الخميس": 3,
    "الجمعة": 4,
    "السبت": 5,
    "الأحد": 6,
    "الاحد": 6,
}
WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PRE_DAY = r"(?P<pre>(?i:on|since|by|until))?\s*"

DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "month_day",
        re.compile(
            rf"\b{_PRE_DAY}(?P<month>{MONTH_RE})\s+(?P<day>\d{{1,2}})"
            r"(?:st|nd|rd|th)?\b(?!\s*(?:km|kilomet|mile|%))(?:,?\s+(?P<year>\d{4})\b)?"
        ),
    ),
    (
        "day_month",
        re.compile(
            rf"\b{_PRE_DAY}(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+"
            rf"(?:of\s+)?(?P<month>{MONTH_RE})\b(?:,?\s+(?P<year>\d{{4}})\b)?"
        ),
    ),
    (
        "day_month",
        re.compile(
            rf"(?P<pre>)(?P<day>\d{{1,2}})\s+(?:من\s+)?(?:شهر\s+)?(?P<month>{_AR_MONTH_RE})"
            r"(?:\s+(?:من\s+)?(?:عام\s+)?(?P<year>\d{4}))?"
        ),
    ),
    (
        "month_year",
        re.compile(
            rf"\b(?P<pre>(?i:in|since|during|by|until|of|early|late|mid-?))?\s*"
            rf"(?P<month>{MONTH_RE})\s+(?P<year>\d{{4}})\b"
        ),
    ),
    (
        "month",
        re.compile(
            r"\b(?P<pre>(?i:in|since|during|by|until|early|late|mid-?|earlier in|later in"
            r"|throughout|last))\s+"
            rf"(?P<month>{MONTH_RE})\b(?!\s+\d)"
        ),
    ),
    (
        "month",
        re.compile(rf"(?P<pre>في|منذ|خلال)\s+(?:شهر\s+)?(?P<month>{_AR_MONTH_RE})(?!\s+\d)"),
    ),
    ("year", re.compile(r"\b(?P<pre>(?i:in|since|during|by|until))\s+(?P<year>(?:19|20)\d{2})\b")),
    (
        "days_later",
        re.compile(
            rf"\b(?P<n>{NUM}|a)\s+days?\s+(?P<dir>later|after(?:wards)?|earlier|before|ago)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "past_hours",
        re.compile(
            r"\b(?:over|in|during|within)\s+the\s+(?:past|last|previous)\s+"
            r"(?P<h>\d+|twenty-four|forty-eight|seventy-two)\s+hours\b",
            re.I,
        ),
    ),
    (
        "next_day",
        re.compile(
            r"\bthe\s+(?:next|following)\s+(?:day|morning)\b|(?:في\s+)?اليوم\s+التالي", re.I
        ),
    ),
    ("prev_day", re.compile(r"\bthe\s+(?:previous|preceding)\s+day\b|\bthe day before\b", re.I)),
    (
        "weekday",
        re.compile(
            r"\b(?P<pre>(?i:on|last|this|since|late|early|overnight|before dawn on|late on"
            rf"|early on))?\s*(?P<wd>{WEEKDAY_RE})(?:'s|’s)?\b"
        ),
    ),
    (
        "weekday",
        re.compile(
            r"(?P<pre>)(?:يوم\s+|مساء\s+|صباح\s+|فجر\s+|ليلة\s+)?(?P<wd>"
            + "|".join(_AR_WEEKDAYS)
            + r")(?![\u0621-\u064A\u066E-\u06D3])"
        ),
    ),
    (
        "yesterday",
        re.compile(
            r"\byesterday\b|(?<![\u0621-\u064A\u066E-\u06D3])(?:أمس|الأمس)(?![\u0621-\u064A\u066E-\u06D3])",
            re.I,
        ),
    ),
    (
        "overnight",
        re.compile(
            r"\b(?:overnight|last night|during the night)\b"
            r"|بعد منتصف الليل|منتصف ليل(?:ة)? (?:أمس|امس)|(?:ليلة|ليل) (?:أمس|امس)"
            r"|خلال الليل",
            re.I,
        ),
    ),
    (
        "today",
        re.compile(
            r"\b(?:today|this morning|this evening|tonight|earlier in the day)\b"
            r"|(?<![\u0621-\u064A\u066E-\u06D3])(?:اليوم|صباح اليوم|فجر اليوم)"
            r"(?![\u0621-\u064A\u066E-\u06D3])",
            re.I,
        ),
    ),
    ("last_week", re.compile(r"\b(?:last|past|previous)\s+week\b|\ba\s+week\s+ago\b", re.I)),
    ("this_week", re.compile(r"\b(?:earlier\s+)?this\s+week\b", re.I)),
    ("last_month", re.compile(r"\blast\s+month\b|الشهر\s+الماضي", re.I)),
    ("this_month", re.compile(r"\b(?:earlier\s+|late\s+)?this\s+month\b", re.I)),
    ("last_year", re.compile(r"\blast\s+year\b", re.IGNORECASE)),
    ("recent", re.compile(r"\brecent(?:ly)?\b", re.IGNORECASE)),
]


@dataclass
class When:
    """A date with its range and ACLED precision (1 day, 2 week, 3 month, 4 year)."""

    date: pd.Timestamp | None
    date_end: pd.Timestamp | None
    precision: int
    phrase: str
    note: str = ""
    rule: str = ""


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


def _month_of(m: re.Match[str]) -> int:
    return MONTHS[m.group("month").lower().rstrip(".")]


def resolve_day(
    month: int, day: int, year: int | None, ref: pd.Timestamp | None
) -> pd.Timestamp | None:
    """The date ``day`` ``month`` (``year``, else the latest on or before ``ref``)."""
    if year is not None:
        try:
            return pd.Timestamp(year=year, month=month, day=day)
        except ValueError:
            return None
    return None if ref is None else _latest_on_or_before(month, day, ref)


@dataclass
class _Ctx:
    ref: pd.Timestamp | None  # dateline date, else publication date
    narrative: pd.Timestamp | None  # the last day-precise date of the narrative


def _phrase(m: re.Match[str]) -> str:
    """The date as written, without a capitalised "On" (kept: "on Friday")."""
    phrase = m.group(0).strip()
    pre = m.groupdict().get("pre") or ""
    if pre[:1].isupper() and phrase.startswith(pre):
        phrase = phrase[len(pre) :].strip()
    return phrase


def _day(m: re.Match[str], kind: str, ctx: _Ctx) -> When | None:
    year = int(m.group("year")) if m.group("year") else None
    base = ctx.ref if ctx.ref is not None else ctx.narrative
    d = resolve_day(_month_of(m), int(m.group("day")), year, base)
    if d is None:
        return None
    note = "" if year is not None else "year inferred from the publication date"
    return When(d, d, 1, _phrase(m), note, f"date:{kind}")


def _month_year(m: re.Match[str], kind: str, ctx: _Ctx) -> When | None:
    start, end = _month_range(int(m.group("year")), _month_of(m))
    return When(start, end, 3, m.group(0).strip(), "", f"date:{kind}")


def _month(m: re.Match[str], kind: str, ctx: _Ctx) -> When | None:
    ref = ctx.ref if ctx.ref is not None else ctx.narrative
    if ref is None:
        return None
    month = _month_of(m)
    year = ref.year if month <= ref.month else ref.year - 1
    if (m.group("pre") or "").lower() == "last" and month == ref.month:
        year -= 1
    start, end = _month_range(year, month)
    return When(
        start, end, 3, m.group(0).strip(), "year inferred from the publication date", "date:month"
    )


def _year(m: re.Match[str], kind: str, ctx: _Ctx) -> When | None:
    y = int(m.group("year"))
    start, end = pd.Timestamp(year=y, month=1, day=1), pd.Timestamp(year=y, month=12, day=31)
    return When(start, end, 4, m.group(0).strip(), "", "date:year")


def _offset(m: re.Match[str], kind: str, ctx: _Ctx) -> When | None:
    ago = kind == "days_later" and m.group("dir").lower() == "ago"
    base = ctx.ref if ago else ctx.narrative
    if base is None:
        return None
    if kind == "next_day":
        n = 1
    elif kind == "prev_day":
        n = -1
    else:
        n_text = m.group("n")
        n = 1 if n_text.lower() == "a" else (number(n_text) or 0)
        if m.group("dir").lower() in ("earlier", "before", "ago"):
            n = -n
    d = base + pd.Timedelta(days=n)
    return When(d, d, 1, m.group(0).strip(), f"{n:+d} days from {base.date()}", "date:offset")


def _weekday(m: re.Match[str], kind: str, ctx: _Ctx) -> When | None:
    published, narrative = ctx.ref, ctx.narrative
    pre = (m.group("pre") or "").lower()
    base = narrative if narrative is not None else published
    if published is not None and (narrative is None or pre == "last"):
        base = published
    if base is None:
        return None
    wd = m.group("wd")
    target = WEEKDAYS.get(wd.lower(), _AR_WEEKDAYS.get(wd, 0))
    back = (base.weekday() - target) % 7
    if pre == "last" and back == 0:
        back = 7
    d = base - pd.Timedelta(days=back)
    if published is not None and narrative is not None and d < narrative <= published:
        # "on Friday" after a dated event: the first such day after it
        d = narrative + pd.Timedelta(days=(target - narrative.weekday()) % 7 or 7)
        if d > published:
            d = published - pd.Timedelta(days=(published.weekday() - target) % 7)
    return When(d, d, 1, m.group(0).strip(), f"{wd} on or before {base.date()}", "date:weekday")


def _relative(m: re.Match[str], kind: str, ctx: _Ctx) -> When | None:
    ref = ctx.ref
    if ref is None:
        return None
    phrase = m.group(0).strip()
    rule = f"date:{kind}"
    if kind == "yesterday":
        return When(ref - pd.Timedelta(days=1), ref - pd.Timedelta(days=1), 1, phrase, "", rule)
    if kind == "today":
        return When(ref, ref, 1, phrase, "", rule)
    if kind == "overnight":
        return When(ref - pd.Timedelta(days=1), ref, 1, phrase, "the night before the report", rule)
    if kind in ("last_week", "this_week"):
        start = ref - pd.Timedelta(days=ref.weekday() + (7 if kind == "last_week" else 0))
        end = start + pd.Timedelta(days=6) if kind == "last_week" else ref
        return When(start, end, 2, phrase, "", rule)
    if kind == "last_month":
        prev = ref.replace(day=1) - pd.Timedelta(days=1)
        start, end = _month_range(prev.year, prev.month)
        return When(start, end, 3, phrase, "", rule)
    if kind == "this_month":
        start, _end = _month_range(ref.year, ref.month)
        return When(start, ref, 3, phrase, "", rule)
    if kind == "last_year":
        y = ref.year - 1
        return When(
            pd.Timestamp(year=y, month=1, day=1),
            pd.Timestamp(year=y, month=12, day=31),
            4,
            phrase,
            "",
            rule,
        )
    return When(
        ref - pd.Timedelta(days=30),
        ref,
        3,
        phrase,
        "'recent': within 30 days before publication (assumed)",
        rule,
    )


def _past_hours(m: re.Match[str], kind: str, ctx: _Ctx) -> When | None:
    if ctx.ref is None:
        return None
    words = {"twenty-four": 24, "forty-eight": 48, "seventy-two": 72}
    hours = words.get(m.group("h").lower()) or int(m.group("h"))
    days = max(1, -(-hours // 24))
    start = ctx.ref - pd.Timedelta(days=days)
    return When(start, ctx.ref, 2 if days > 1 else 1, m.group(0).strip(), "", "date:past_hours")


_RESOLVERS: dict[str, Callable[[re.Match[str], str, _Ctx], When | None]] = {
    "month_day": _day,
    "day_month": _day,
    "month_year": _month_year,
    "month": _month,
    "year": _year,
    "days_later": _offset,
    "next_day": _offset,
    "prev_day": _offset,
    "weekday": _weekday,
    "past_hours": _past_hours,
}


def _found(clause: str) -> list[tuple[int, str, re.Match[str]]]:
    found: list[tuple[int, str, re.Match[str]]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in DATE_PATTERNS:
        for m in pattern.finditer(clause):
            span = m.span()
            if not m.group(0).strip() or any(s < span[1] and span[0] < e for s, e in taken):
                continue
            taken.append(span)
            found.append((span[0], kind, m))
    found.sort(key=lambda f: f[0])
    return found


def _consistent(day_offset: When, weekday: When) -> When:
    assert day_offset.date is not None
    assert weekday.date is not None
    phrase = f"{day_offset.phrase}, {weekday.phrase}"
    if day_offset.date == weekday.date:
        note = f"{day_offset.note}, consistent with {weekday.phrase}"
    else:
        note = (
            f"date_inconsistent: {day_offset.phrase} gives {day_offset.date.date()} but "
            f"{weekday.phrase} gives {weekday.date.date()}"
        )
    return When(day_offset.date, day_offset.date, 1, phrase, note, "date:offset+weekday")


_SPEECH = re.compile(
    r"\b(?:said|says|reported|reports|told\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?|announced|added"
    r"|stated|confirmed)\s*(?:on\s*)?$",
    re.I,
)


def _rank(when: When) -> tuple[int, int]:
    """Finer first; the day a report was given only when nothing else is."""
    return (when.rule == "date:report_day", when.precision)


def dates_in(
    clause: str, ref: pd.Timestamp | None, narrative: pd.Timestamp | None
) -> tuple[When | None, When | None]:
    """The date of a clause and a "since" date it mentions (either may be None).

    Parameters
    ----------
    clause : str
        English or Arabic text.
    ref : Timestamp or None
        Reference day of the report: the dateline's date, else the publication date.
    narrative : Timestamp or None
        The last day-precise date given earlier in the text ("six days later" counts
        from it).

    Returns
    -------
    (When or None, When or None)

    Examples
    --------
    >>> w, since = dates_in("since January 2022, when IS stormed", pd.Timestamp("2023-02-20"), None)
    >>> w is None, since.precision
    (True, 3)
    """
    ctx = _Ctx(ref, narrative)
    best: When | None = None
    since: When | None = None
    day_offset: When | None = None
    weekday: When | None = None
    for _pos, kind, m in _found(arabic_digits(clause)):
        resolver = _RESOLVERS.get(kind, _relative)
        when = resolver(m, kind, ctx)
        if when is None:
            continue
        if kind in ("days_later", "next_day", "prev_day"):
            day_offset = when
        elif kind == "weekday":
            weekday = when
        if (m.groupdict().get("pre") or "").lower() in ("since", "منذ"):
            since = when
            continue
        if _SPEECH.search(clause[max(0, m.start() - 40) : m.start()]):
            when.rule, when.note = "date:report_day", "the day the report was given"
        if best is None or _rank(when) < _rank(best):
            best = when
    if day_offset is not None and weekday is not None:
        best = _consistent(day_offset, weekday)
    return best, since


_QUOTE = re.compile(r"[\"“](?P<q>[^\"”]{3,}?)[\"”]")
_ATTRIBUTION = re.compile(
    r"\b(?:said|told|says|added|reported|stated|quoted)\b[^.\"“]{0,60}?"
    rf"\b(?:on\s+)?(?P<wd>{WEEKDAY_RE})\b|\b(?:said|told|added|reported)\b[^.\"“]{{0,40}}?"
    r"\b(?P<y>yesterday)\b",
    re.I,
)


def quoted_reference(
    sentence: str, ref: pd.Timestamp | None
) -> tuple[list[tuple[int, int]], pd.Timestamp | None]:
    """Spans of quotations in ``sentence`` and the day they were spoken, if said.

    "'They attacked us today,' the commander told AFP on Sunday" in a story dated
    Monday: the quote's "today" is Sunday.

    >>> spans, day = quoted_reference(
    ...     '"They attacked our post today," a commander told AFP on Sunday.',
    ...     pd.Timestamp("2023-02-20"))
    >>> str(day.date())
    '2023-02-19'
    """
    spans = [(m.start("q"), m.end("q")) for m in _QUOTE.finditer(sentence)]
    if not spans or ref is None:
        return spans, None
    outside = sentence[spans[-1][1] :]
    m = _ATTRIBUTION.search(outside) or _ATTRIBUTION.search(sentence[: spans[0][0]])
    if m is None:
        return spans, None
    if m.group("y"):
        return spans, ref - pd.Timedelta(days=1)
    target = WEEKDAYS[m.group("wd").lower()]
    return spans, ref - pd.Timedelta(days=(ref.weekday() - target) % 7)
