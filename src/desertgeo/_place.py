"""The one place record: what the gazetteer finds and the geocoder, ``find_places`` and
``events_from_text`` pass on unchanged.

A :class:`Place` is frozen. A rule that moves or widens a place (an offset, "near X", a
list of towns) makes a new record with :meth:`Place.derive`, so the record a gazetteer
lookup returned is never altered behind its caller's back.

Examples
--------
>>> p = Place(name="As Sukhnah", place_id="wof:1", feature_type="populated place",
...           country="SY", admin1="Homs", lon=38.87, lat=34.89, score=100.0,
...           rule="name", uncertainty_m=5000.0, status="ok")
>>> p.ok
True
>>> east = p.derive(rule="offset", lon=39.09, uncertainty_m=7000.0, reason="20 km east")
>>> (east.rule, east.name, p.rule)
('offset', 'As Sukhnah', 'name')
>>> Place.unresolved("no such place").status
'unresolved'
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any

#: Status values, from best to worst. ``ok`` and ``ambiguous`` carry a usable point.
STATUSES = ("ok", "ambiguous", "out_of_context", "unresolved")


@dataclass(frozen=True)
class Place:
    """A named place or descriptive location, with how it was found and how sure we are.

    Attributes
    ----------
    name : str
        The gazetteer name matched (``""`` when unresolved).
    place_id : str
        The gazetteer id (``"wof:…"``, ``"geonames:…"``, ``"ocha:…"``, ``"user:…"``).
    feature_type : str
        ``"populated place"``, ``"subdistrict"``, ``"road"``, ...
    country : str
        ISO 3166-1 alpha-2 code.
    admin1, admin2, admin3 : str
        Governorate, district and sub-district (nahiya) names, ``""`` when unknown.
    lon, lat : float
        The point (WGS84 degrees), NaN when unresolved.
    score : float
        Match score 0-100.
    rule : str
        The rule that produced the record (``"name"``, ``"offset"``, ``"near"``, ...).
    geo_precision, where_prec : int
        ACLED-style ``geo_precision`` (1-3) and UCDP-style ``where_prec`` (1-7) codes.
    uncertainty_m : float
        Radius in metres that the true location lies within.
    status : str
        One of :data:`STATUSES`.
    reason : str
        Why (notes joined with ``"; "``): the spelling matched, the context, the doubt.
    candidates : tuple of str
        Other places the text could mean (``"name (id, country)"``), for ambiguous answers.
    """

    name: str = ""
    place_id: str = ""
    feature_type: str = ""
    country: str = ""
    admin1: str = ""
    admin2: str = ""
    admin3: str = ""
    lon: float = math.nan
    lat: float = math.nan
    score: float = math.nan
    rule: str = "unresolved"
    geo_precision: int = 0
    where_prec: int = 0
    uncertainty_m: float = math.nan
    status: str = "unresolved"
    reason: str = ""
    candidates: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"Place.status must be one of {STATUSES}, got {self.status!r}")

    @property
    def ok(self) -> bool:
        """A usable point: ``ok`` or ``ambiguous`` (never ``out_of_context``)."""
        return self.status in {"ok", "ambiguous"}

    @property
    def has_point(self) -> bool:
        """Whether ``lon``/``lat`` are finite."""
        return math.isfinite(self.lon) and math.isfinite(self.lat)

    def derive(self, **changes: Any) -> Place:
        """A new record with ``changes`` applied (this one is left as it is)."""
        if "candidates" in changes:
            changes["candidates"] = tuple(changes["candidates"])
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """The record as a plain dict (``candidates`` joined with ``"; "``)."""
        out = asdict(self)
        out["candidates"] = "; ".join(self.candidates)
        return out

    @classmethod
    def unresolved(cls, reason: str, *, rule: str = "unresolved") -> Place:
        """A record for text that names no place the gazetteer knows."""
        return cls(rule=rule, status="unresolved", reason=reason)
