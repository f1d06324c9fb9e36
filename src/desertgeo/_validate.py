"""Shared checks of frames: columns, CRS, dates and coordinates.

Every public entry point of desertgeo validates its input once, here, so that
error messages read the same everywhere: what is wrong, where (row / column /
value) and what to do about it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from desertgeo._errors import CRSError, DataError, InputError

__all__ = [
    "check_coordinates",
    "ensure_4326",
    "parse_dates",
    "require_columns",
    "require_geodataframe",
]


def require_columns(
    frame: pd.DataFrame, columns: Iterable[str], *, what: str = "frame", hint: str = ""
) -> None:
    """Raise :class:`DataError` if ``frame`` lacks any of ``columns``.

    The message names the missing columns and lists the columns that are there.

    Examples
    --------
    >>> import pandas as pd
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a"])
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], what="events")
    Traceback (most recent call last):
    ...
    desertgeo._errors.DataError: events lacks column(s) ['b']; found ['a']
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        found = [str(c) for c in frame.columns]
        message = f"{what} lacks column(s) {missing}; found {found}"
        if hint:
            message += f". {hint}"
        raise DataError(message)


def require_geodataframe(frame: Any, *, what: str = "input") -> gpd.GeoDataFrame:
    """Return ``frame`` if it is a GeoDataFrame with a CRS, else raise.

    Raises :class:`InputError` for a non-GeoDataFrame and :class:`CRSError` when
    the CRS is missing (desertgeo never assumes one).
    """
    if not isinstance(frame, gpd.GeoDataFrame):
        raise InputError(f"{what} must be a GeoDataFrame, got {type(frame).__name__}")
    if frame.crs is None:
        raise CRSError(
            f"{what} has no CRS; set it explicitly, e.g. frame.set_crs(4326) "
            "if the coordinates are longitude/latitude on WGS84"
        )
    return frame


def ensure_4326(frame: gpd.GeoDataFrame, *, what: str = "input") -> gpd.GeoDataFrame:
    """Return ``frame`` in EPSG:4326 (reprojected copy if needed; CRSError if no CRS)."""
    require_geodataframe(frame, what=what)
    if frame.crs is not None and frame.crs.to_epsg() == 4326:
        return frame
    return frame.to_crs(4326)


def parse_dates(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Parse ``values`` to ``datetime64[ns]``; return the dates and a mask of failures.

    Parsing is done once per distinct value (event tables repeat dates a lot),
    first as ISO 8601, then with pandas' mixed-format parser for the rest
    ("17 February 2023", "02/17/2023"). Missing inputs are NaT and are *not*
    failures; unparseable non-empty strings are NaT and flagged.

    Examples
    --------
    >>> import pandas as pd
    >>> dates, bad = parse_dates(pd.Series(["2023-02-11", "17 February 2023", "soon", None]))
    >>> [str(d.date()) if d is not pd.NaT else None for d in dates]
    ['2023-02-11', '2023-02-17', None, None]
    >>> bad.tolist()
    [False, False, True, False]
    """
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        out = values.astype("datetime64[ns]")
        if getattr(out.dt, "tz", None) is not None:
            out = out.dt.tz_localize(None)
        out.name = values.name
        return out, np.zeros(len(values), dtype=bool)
    raw = values.astype("string").str.strip()
    raw = raw.mask(raw == "")
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    if len(uniques) == 0:
        empty = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]", name=values.name)
        return empty, np.zeros(len(values), dtype=bool)
    texts = np.asarray(uniques, dtype=object)
    parsed = pd.to_datetime(
        pd.Series(texts, dtype="object"), format="ISO8601", errors="coerce", utc=True
    )
    stamps = parsed.dt.tz_localize(None).astype("datetime64[ns]").to_numpy().copy()
    for i in np.flatnonzero(np.isnat(stamps)):
        one = _parse_one(str(texts[i]))
        if one is not None:
            stamps[i] = np.datetime64(one.as_unit("ns").asm8)
    result = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    present = codes >= 0
    result[present] = stamps[codes[present]]
    out = pd.Series(result, index=values.index, dtype="datetime64[ns]")
    out.name = values.name
    bad = present & np.isnat(result)
    return out, bad


def _parse_one(value: str) -> pd.Timestamp | None:
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        return None
    if pd.isna(stamp):
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_localize(None)
    return stamp


def check_coordinates(
    lon: Sequence[float] | np.ndarray,
    lat: Sequence[float] | np.ndarray,
    study_area: tuple[float, float, float, float] | None,
) -> dict[str, np.ndarray]:
    """Classify coordinate pairs; return boolean masks keyed by problem.

    Keys: ``missing`` (NaN), ``out_of_range`` (|lat| > 90 or |lon| > 180),
    ``null_island`` (exactly 0, 0), ``swapped`` (the pair lies outside
    ``study_area`` but the swapped pair lies inside it), ``outside`` (valid,
    not swapped, outside ``study_area``). With ``study_area=None`` the last two
    are all False.

    Examples
    --------
    >>> m = check_coordinates([38.28, 34.5, 0.0, 200.0], [34.55, 38.9, 0.0, 35.0],
    ...                       (34.0, 29.0, 49.0, 38.0))
    >>> {k: v.tolist() for k, v in m.items()}  # doctest: +NORMALIZE_WHITESPACE
    {'missing': [False, False, False, False], 'out_of_range': [False, False, False, True],
     'null_island': [False, False, True, False], 'swapped': [False, True, False, False],
     'outside': [False, False, False, False]}
    """
    x = np.asarray(lon, dtype="float64")
    y = np.asarray(lat, dtype="float64")
    missing = np.isnan(x) | np.isnan(y)
    with np.errstate(invalid="ignore"):
        out_of_range = ~missing & ((np.abs(y) > 90) | (np.abs(x) > 180))
        null_island = ~missing & (x == 0) & (y == 0)
        if study_area is None:
            swapped = np.zeros(len(x), dtype=bool)
            outside = swapped.copy()
        else:
            minx, miny, maxx, maxy = study_area
            inside = (x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy)
            inside_swapped = (y >= minx) & (y <= maxx) & (x >= miny) & (x <= maxy)
            usable = ~missing & ~null_island
            swapped = usable & ~inside & inside_swapped
            outside = usable & ~out_of_range & ~inside & ~inside_swapped
    return {
        "missing": missing,
        "out_of_range": out_of_range,
        "null_island": null_island,
        "swapped": swapped,
        "outside": outside,
    }
