"""Datelines and bylines of wire and monitor reports, for :mod:`desertgeo.text`.

A dateline tells where and when a report was filed, not where the event happened:
"BEIRUT (AP) —", "DAMASCUS, Feb. 9 (Xinhua) --", "AMMAN, Jordan —", "ERBIL, Kurdistan
Region -", "RAQQA, Syria (North Press) –", "BEIRUT:", "Shafaq News – Damascus",
"Enab Baladi, 12 March 2024—On Monday ...", Arabic "دمشق - سانا". :func:`find_datelines`
returns each one found at the start of a paragraph; :mod:`desertgeo.text` drops the
place mentions inside it and takes its date as the reference for relative dates.

Examples
--------
>>> d = find_datelines("DAMASCUS, Feb. 9 (Xinhua) -- IS militants killed 5 soldiers.")[0]
>>> d.city, d.outlet, d.date_text, d.text
('DAMASCUS', 'Xinhua', 'Feb. 9', 'DAMASCUS, Feb. 9 (Xinhua) --')
>>> find_datelines("AMMAN, Jordan — A car bomb exploded.")[0].region
'Jordan'
>>> find_datelines("Palmyra is an ancient city.")
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from desertgeo._text_dates import MONTH_RE, MONTHS, resolve_day

__all__ = ["Dateline", "find_datelines"]

_DASH = r"(?:—|--|–|-|:|‐|―)"
_DATE = rf"(?:{MONTH_RE}\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{MONTH_RE}(?:,?\s+\d{{4}})?)"
_CAPS_CITY = r"[A-Z][A-Z'’\.\-]+(?:\s+[A-Z][A-Z'’\.\-]+){0,2}"
_TITLE = r"[A-Z][a-zA-Z'’\.\-]+(?:\s+[A-Z][a-zA-Z'’\.\-]+){0,3}"
_OUTLET = r"[A-Z][A-Za-z0-9 .&'’\-]{1,40}?"

_WIRE = re.compile(
    rf"(?P<city>{_CAPS_CITY})"
    rf"(?:\s*,\s*(?P<region>{_TITLE}))?"
    rf"(?:\s*,\s*(?P<date>{_DATE}))?"
    rf"(?:\s*\((?P<outlet>{_OUTLET})\))?"
    rf"\s*{_DASH}\s*"
)
_TITLED = re.compile(
    rf"(?P<city>{_TITLE})"
    rf"(?:\s*,\s*(?P<region>{_TITLE}))?"
    rf"(?:\s*,\s*(?P<date>{_DATE}))?"
    rf"\s*\((?P<outlet>{_OUTLET})\)\s*{_DASH}\s*"
)
_OUTLET_DATE = re.compile(rf"(?P<outlet>{_TITLE})\s*,\s*(?P<date>{_DATE})\s*{_DASH}\s*")
_OUTLET_CITY = re.compile(rf"(?P<outlet>{_TITLE})\s*[–—-]\s*(?P<city>{_TITLE})\s*(?:\n|$)")
_ARABIC = re.compile(
    r"(?P<city>[\u0600-\u06FF]{2,}(?:\s+[\u0600-\u06FF]{2,}){0,2})\s*"
    r"(?:[–—-]\s*(?P<outlet>[\u0600-\u06FF]{2,}(?:\s+[\u0600-\u06FF]{2,}){0,2})"
    r"|\((?P<outlet2>[^)]{2,30})\))\s*(?:[–—:-]\s*|\n|$)"
)


@dataclass(frozen=True)
class Dateline:
    """A dateline: its span in the text, city, region, outlet and date as written."""

    start: int
    end: int
    text: str
    city: str | None
    region: str | None
    outlet: str | None
    date_text: str | None

    def date(self, published: pd.Timestamp | None) -> pd.Timestamp | None:
        """The dateline's date (its year from ``published`` when not written)."""
        if not self.date_text:
            return None
        m = re.match(
            rf"(?:(?P<m1>{MONTH_RE})\s+(?P<d1>\d{{1,2}})|(?P<d2>\d{{1,2}})\s+(?P<m2>{MONTH_RE}))"
            r"(?:,?\s+(?P<y>\d{4}))?",
            self.date_text,
        )
        if m is None:
            return None
        month = MONTHS[(m.group("m1") or m.group("m2")).lower().rstrip(".")]
        day = int(m.group("d1") or m.group("d2"))
        year = int(m.group("y")) if m.group("y") else None
        ref = None if published is None else published + pd.Timedelta(days=1)
        return resolve_day(month, day, year, ref)

    def describe(self) -> str:
        """One line for the notes: "dateline DAMASCUS (Xinhua), Feb. 9"."""
        bits = [self.city or self.outlet or self.text.strip()]
        if self.region:
            bits[0] += f", {self.region}"
        if self.outlet and self.city:
            bits.append(f"({self.outlet})")
        if self.date_text:
            bits.append(self.date_text)
        return "dateline " + " ".join(bits)


def _paragraph_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer(r"\n\s*", text))
    return starts


def _match_at(text: str, pos: int) -> Dateline | None:
    window = text[pos : pos + 160]
    for rx in (_WIRE, _TITLED, _OUTLET_DATE, _OUTLET_CITY, _ARABIC):
        m = rx.match(window)
        if m is None:
            continue
        g = m.groupdict()
        if rx is _WIRE and not _wire_ok(m):
            continue
        if rx is _ARABIC and len(m.group(0)) > 45:
            continue
        return Dateline(
            start=pos,
            end=pos + m.end(),
            text=m.group(0).strip(),
            city=g.get("city"),
            region=g.get("region"),
            outlet=g.get("outlet") or g.get("outlet2"),
            date_text=g.get("date"),
        )
    return None


def _wire_ok(m: re.Match[str]) -> bool:
    """An all-caps start is a dateline only as a city (not "IS", "SDF" or "US")."""
    city = m.group("city")
    if len(city.replace(" ", "")) < 4 and not (m.group("outlet") or m.group("region")):
        return False
    return bool(m.group("outlet") or m.group("region") or m.group("date") or len(city) >= 4)


def find_datelines(text: str) -> list[Dateline]:
    """Datelines at the start of paragraphs, in text order.

    Parameters
    ----------
    text : str
        A report or several, paragraphs on separate lines.

    Returns
    -------
    list of Dateline
    """
    out: list[Dateline] = []
    for pos in _paragraph_starts(text):
        if pos >= len(text):
            continue
        found = _match_at(text, pos)
        if found is not None:
            out.append(found)
    return out
