"""Location evidence for coordinate swaps: does a row's own country / admin1 fit a point?

A latitude/longitude pair is only swapped back when the row's location fields
(``country`` / ``country_code`` / ``iso`` / ``iso3`` / ``gwno`` / ``country_id``,
then ``admin1``) agree with the swapped point and not with the given one. The
shapes: desertgeo's shipped country polygons (Syria and neighbours; Turkey is
clipped at 38.5 N, its bounding box covers the north) and Syria's governorates,
with a tolerance of 0.05 degrees for coast and border points; countries outside
that set are judged by their bounding box (coarse, used only to *confirm* the
given point; a swapped point is never confirmed by a box).
"""

from __future__ import annotations

import functools
import re
from typing import Any

import numpy as np
import pandas as pd
import shapely

from desertgeo._schema import country_codes

__all__ = ["covered_countries", "location_evidence", "reset_cache"]

_TOLERANCE_DEG = 0.05
# (min lon, min lat, max lon, max lat) of whole countries, for the given point only
_BOXES: dict[str, tuple[float, float, float, float]] = {
    "TR": (25.6, 35.8, 44.8, 42.1),
    "CY": (32.2, 34.5, 34.7, 35.75),
    "UA": (22.1, 44.3, 40.3, 52.4),
    "IR": (44.0, 25.0, 63.4, 39.8),
    "SA": (34.5, 16.3, 55.7, 32.2),
    "EG": (24.7, 22.0, 36.9, 31.7),
    "RU": (19.6, 41.1, 180.0, 81.9),
    "GE": (40.0, 41.0, 46.8, 43.6),
    "AM": (43.4, 38.8, 46.7, 41.3),
    "AZ": (44.7, 38.3, 50.7, 41.95),
    "GR": (19.3, 34.7, 29.7, 41.8),
    "KW": (46.5, 28.5, 48.5, 30.1),
    "PS": (34.2, 31.2, 35.6, 32.6),
    "YE": (42.5, 12.1, 54.6, 19.0),
}


@functools.lru_cache(maxsize=1)
def _shapes() -> tuple[dict[str, Any], dict[str, Any]]:
    from desertgeo import datasets

    countries = datasets.load("countries")
    by_country = {
        str(c): shapely.buffer(g, _TOLERANCE_DEG)
        for c, g in zip(countries["country"], countries.geometry, strict=True)
    }
    govs = datasets.load("governorates")
    by_gov = {
        _gov_key(str(name)): shapely.buffer(g, _TOLERANCE_DEG)
        for name, g in zip(govs["name_en"], govs.geometry, strict=True)
    }
    for alias, name in _GOV_ALIASES.items():
        if _gov_key(name) in by_gov:
            by_gov[_gov_key(alias)] = by_gov[_gov_key(name)]
    return by_country, by_gov


def covered_countries() -> frozenset[str]:
    """ISO2 codes of the countries whose polygons desertgeo ships (the gazetteer's area).

    Examples
    --------
    >>> sorted(covered_countries())
    ['IL', 'IQ', 'JO', 'LB', 'SY', 'TR']
    """
    return frozenset(_shapes()[0])


def reset_cache() -> None:
    """Forget the loaded shapes (they are read once from the shipped datasets)."""
    _shapes.cache_clear()


_GOV_ALIASES = {
    "Hasakeh": "Al-Hasakah", "Al Hasakeh": "Al-Hasakah", "Hassakeh": "Al-Hasakah",
    "Lattakia": "Latakia", "Al Ladhiqiyah": "Latakia", "Ar Raqqa": "Raqqa",
    "Ar-Raqqa": "Raqqa", "Sweida": "As-Suwayda", "As-Sweida": "As-Suwayda",
    "Dara": "Daraa", "Dar'a": "Daraa", "Deir-ez-Zor": "Deir ez-Zor", "Dayr az Zawr": "Deir ez-Zor",
    "Rural Damascus": "Rif Dimashq", "Rif Damashq": "Rif Dimashq", "Halab": "Aleppo",
    "Hamah": "Hama", "Hims": "Homs", "Idleb": "Idlib", "Dimashq": "Damascus",
    "Tartous": "Tartus",
}  # fmt: skip


def _gov_key(name: str) -> str:
    key = re.sub(r"\bgovernorate\b|\bprovince\b|\bmuhafazat\b", "", name.lower())
    key = re.sub(r"^(al|ar|as|ad|ad-|el)[- ]", "", key.strip())
    return re.sub(r"[^a-z]", "", key)


def _inside(shape: Any, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.asarray(shapely.contains_xy(shape, x, y), dtype=bool)


def _in_box(code: str, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    box = _BOXES.get(code)
    if box is None:
        return np.zeros(len(x), dtype=bool)
    return (x >= box[0]) & (x <= box[2]) & (y >= box[1]) & (y <= box[3])


def location_evidence(
    frame: pd.DataFrame, lon: np.ndarray, lat: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For ``rows`` (positions), does the row's location fit the given / swapped point?

    Returns two boolean arrays aligned to ``rows``: the given point ``(lon, lat)``
    agrees with the row's country (or admin1), and the swapped point ``(lat, lon)``
    does. Rows without usable location fields agree with neither.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> frame = pd.DataFrame({"country": ["Syria", "Turkey", "Cyprus", None]})
    >>> lon = np.array([34.89, 35.24, 33.38, 34.5])
    >>> lat = np.array([38.87, 38.72, 35.17, 38.9])
    >>> given, swapped = location_evidence(frame, lon, lat, np.arange(4))
    >>> given.tolist(), swapped.tolist()
    ([False, True, True, False], [True, False, False, False])
    """
    sub = frame.iloc[rows]
    x, y = np.asarray(lon, dtype="float64")[rows], np.asarray(lat, dtype="float64")[rows]
    codes = np.array([None if pd.isna(c) else str(c) for c in country_codes(sub)], dtype=object)
    given = np.zeros(len(rows), dtype=bool)
    swapped = np.zeros(len(rows), dtype=bool)
    by_country, by_gov = _shapes()
    known = np.array([c is not None for c in codes], dtype=bool)
    for code in {c for c in codes if c is not None}:
        mine = codes == code
        shape = by_country.get(code)
        box_given = _in_box(code, x[mine], y[mine])
        if shape is not None:
            given[mine] = _inside(shape, x[mine], y[mine]) | (box_given & (y[mine] >= 38.5))
            swapped[mine] = _inside(shape, y[mine], x[mine])
        else:
            given[mine] = box_given  # a box never confirms a swapped point
    admin = _admin1(sub)
    if admin is not None:
        for key in {k for k in admin if k}:
            shape = by_gov.get(key)
            if shape is None:
                continue
            mine = (admin == key) & (~known | (codes == "SY"))
            if mine.any():
                given[mine] |= _inside(shape, x[mine], y[mine])
                in_gov = _inside(shape, y[mine], x[mine])
                # with a country: both must fit; without one, the governorate decides
                swapped[mine] = np.where(known[mine], swapped[mine] & in_gov, in_gov)
    return given, swapped


def _admin1(frame: pd.DataFrame) -> np.ndarray | None:
    cols = {str(c).strip().lower(): c for c in frame.columns}
    for key in ("admin1", "adm_1"):
        if key in cols:
            values = frame[cols[key]].astype("string").fillna("").to_numpy(dtype=object)
            return np.array([_gov_key(str(v)) if v else "" for v in values], dtype=object)
    return None
