"""Shared checks of frames: columns, CRS, geometry, dates and coordinates.

Every public entry point of desertgeo validates its input once, here, so that
error messages read the same everywhere: what is wrong, where (row / column /
value) and what to do about it. The checks:

* columns: :func:`require_columns`;
* CRS: :func:`require_geodataframe`, :func:`require_crs`, :func:`ensure_4326`
  (one message, :func:`crs_missing`);
* geometry: :func:`require_points`;
* dates: :func:`parse_date_column` / :func:`parse_dates` (a column read with one
  day/month order), :func:`to_day` (one date argument), :func:`loose_dates`
  (a column for display, unparseable values NaT);
* coordinates: :func:`check_coordinates`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from desertgeo._errors import CRSError, DataError, InputError

__all__ = [
    "DateColumn",
    "DateOrderWarning",
    "check_coordinates",
    "crs_missing",
    "ensure_4326",
    "loose_dates",
    "parse_date_column",
    "parse_dates",
    "require_columns",
    "require_crs",
    "require_geodataframe",
    "require_points",
    "to_day",
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


def crs_missing(what: str = "input", *, where: str = "", fix: str = "") -> CRSError:
    """The one :class:`CRSError` for a frame without a CRS (returned, not raised).

    ``what`` names the frame, ``where`` adds the place (a file), ``fix`` replaces
    the default advice.

    Examples
    --------
    >>> print(crs_missing("zones"))
    zones have no CRS; set it explicitly, e.g. frame.set_crs(4326) if the coordinates are \
longitude/latitude on WGS84
    >>> print(crs_missing("the dataset", where="a.parquet", fix="write it with one (EPSG:4326)"))
    the dataset a.parquet has no CRS; write it with one (EPSG:4326)
    """
    advice = fix or (
        "set it explicitly, e.g. frame.set_crs(4326) "
        "if the coordinates are longitude/latitude on WGS84"
    )
    place = f" {where}" if where else ""
    verb = "have" if what.endswith("s") and not where else "has"
    return CRSError(f"{what}{place} {verb} no CRS; {advice}")


def require_crs(frame: Any, *, what: str = "input", where: str = "", fix: str = "") -> Any:
    """Return ``frame`` (any object with a ``crs``) if its CRS is set, else raise CRSError.

    Works for GeoDataFrame, GeoSeries and dask-geopandas frames alike.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> require_crs(gpd.GeoSeries([Point(0, 0)]), what="points")
    Traceback (most recent call last):
    ...
    desertgeo._errors.CRSError: points have no CRS; set it explicitly, e.g. \
frame.set_crs(4326) if the coordinates are longitude/latitude on WGS84
    """
    if getattr(frame, "crs", None) is None:
        raise crs_missing(what, where=where, fix=fix)
    return frame


def require_geodataframe(frame: Any, *, what: str = "input", fix: str = "") -> gpd.GeoDataFrame:
    """Return ``frame`` if it is a GeoDataFrame with a CRS, else raise.

    Raises :class:`InputError` for a non-GeoDataFrame and :class:`CRSError` when
    the CRS is missing (desertgeo never assumes one).
    """
    if not isinstance(frame, gpd.GeoDataFrame):
        raise InputError(f"{what} must be a GeoDataFrame, got {type(frame).__name__}")
    return require_crs(frame, what=what, fix=fix)


def _is_4326(crs: Any) -> bool:
    return bool(crs.to_epsg() == 4326)


def ensure_4326(frame: Any, *, what: str = "input", fix: str = "") -> Any:
    """Return a GeoDataFrame or GeoSeries in EPSG:4326 (a reprojected copy if needed).

    Raises :class:`InputError` for anything else and :class:`CRSError` when the CRS
    is missing.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> pts = gpd.GeoSeries([Point(500000, 0)], crs=32637)
    >>> round(float(ensure_4326(pts, what="points").x.iloc[0]), 6)
    39.0
    """
    if isinstance(frame, gpd.GeoSeries):
        require_crs(frame, what=what, fix=fix)
    else:
        require_geodataframe(frame, what=what, fix=fix)
    if _is_4326(frame.crs):
        return frame
    return frame.to_crs(4326)


def require_points(geometry: gpd.GeoSeries, *, what: str = "events", fix: str = "") -> None:
    """Raise :class:`InputError` if a present geometry of ``geometry`` is not a Point.

    Missing and empty geometries pass (they are unplaced rows, not wrong ones).
    The message names the first offending row, its type and how many rows fail.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point, box
    >>> require_points(gpd.GeoSeries([Point(0, 0), None]))
    >>> require_points(gpd.GeoSeries([Point(0, 0), box(0, 0, 1, 1)]))
    Traceback (most recent call last):
    ...
    desertgeo._errors.InputError: events row 1 has a Polygon geometry (1 rows are not \
points): events must be points; use .representative_point() first
    """
    present = ~(geometry.isna() | geometry.is_empty)
    kinds = geometry[present].geom_type
    bad = kinds[kinds != "Point"]
    if len(bad):
        advice = fix or "use .representative_point() first"
        raise InputError(
            f"{what} row {bad.index[0]!r} has a {bad.iloc[0]} geometry ({len(bad)} rows are "
            f"not points): {what} must be points; {advice}"
        )


def to_day(value: Any, *, name: str = "date") -> pd.Timestamp:
    """One date argument as a naive :class:`pandas.Timestamp` (its own wall time).

    Raises :class:`InputError` naming the argument when ``value`` is not a date.

    Examples
    --------
    >>> to_day("2024-05-01")
    Timestamp('2024-05-01 00:00:00')
    >>> to_day("2024-05-01T10:00+03:00")
    Timestamp('2024-05-01 10:00:00')
    >>> to_day("soon")
    Traceback (most recent call last):
    ...
    desertgeo._errors.InputError: date='soon' is not a date; use e.g. '2024-05-01'
    """
    message = f"{name}={value!r} is not a date; use e.g. '2024-05-01'"
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise InputError(message) from exc
    if ts is pd.NaT:
        raise InputError(message)
    return ts.tz_localize(None) if ts.tzinfo is not None else ts


def loose_dates(values: Any) -> pd.Series:
    """A column as naive datetimes, NaT where unparseable, without a warning.

    For display and selection only (maps, plots): the strict reader of event
    dates is :func:`parse_date_column`.

    Examples
    --------
    >>> loose_dates(["2024-05-01", "later", None]).tolist()
    [Timestamp('2024-05-01 00:00:00'), NaT, NaT]
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        d = pd.Series(values)
    else:
        d = pd.to_datetime(pd.Series(values), errors="coerce", format="mixed")
    if getattr(d.dt, "tz", None) is not None:
        d = d.dt.tz_localize(None)
    return d


class DateOrderWarning(UserWarning):
    """A date column reads two ways (day-first or month-first); pass ``dayfirst=``."""


@dataclass(frozen=True)
class DateColumn:
    """The result of :func:`parse_date_column`.

    Attributes
    ----------
    dates : Series
        ``datetime64[ns]``, aligned to the input; NaT where missing or unparseable.
    bad : ndarray of bool
        Non-empty values that could not be read (or that contradict the column's
        day/month order).
    order : {"day-first", "month-first", None}
        The day/month order used for numeric dates such as ``05/06/2024`` (None when
        the column has none).
    proven : bool
        True when some value proves the order (a day above 12), or ``dayfirst`` was
        given, or the separator is ``.`` (day-first by convention).
    ambiguous : ndarray of bool
        Rows whose reading depends on the order while it was not proven.
    conflicting : ndarray of bool
        Rows that can only be read in the other order (flagged in ``bad``).
    """

    dates: pd.Series
    bad: np.ndarray
    order: str | None
    proven: bool
    ambiguous: np.ndarray
    conflicting: np.ndarray


# day/month/year written with numbers only: 05/06/2024, 12.02.2023, 9-5-20
_NUMERIC_DMY = r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?:[ T].*)?$"
# a trailing UTC offset: the event's calendar date is the date in its own offset
_OFFSET = r"(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$"
_TEXT_FORMATS = (
    "%d-%B-%Y",  # ACLED 2015: 01-January-2015
    "%d-%b-%y",  # Excel-saved ACLED: 9-May-20
    "%d-%b-%Y",
    "%d-%B-%y",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%d/%b/%Y",
    "%d/%b/%y",
)


def parse_date_column(values: pd.Series, *, dayfirst: bool | None = None) -> DateColumn:
    """Parse a column of dates with one day/month order for the whole column.

    Each distinct text is read once. ISO 8601 (``2023-02-11``, ``2023/02/11``,
    ``2023-02-17 00:00:00.000``) and dates with month names (``01-January-2015``,
    ``9-May-20``, ``17 February 2023``) cannot be misread. Numeric day/month
    dates (``05/06/2024``, ``12.02.2023``) are read in one order, inferred from
    all the column's values: a value with a day above 12 proves it; ``.`` is
    day-first by convention; otherwise the column is ambiguous, read
    month-first, and the rows whose reading depends on it are reported
    (``ambiguous``) unless ``dayfirst`` says which. Values that only fit the
    other order are never read that way: they are ``bad`` (and ``conflicting``).

    Times with a UTC offset keep their own wall-clock time: the calendar date
    is the date where the event happened, not in UTC. Timezone-aware datetime
    columns are converted the same way (offset dropped, wall time kept).

    Examples
    --------
    >>> import pandas as pd
    >>> res = parse_date_column(pd.Series(["12.02.2023", "01.03.2023"]))
    >>> [str(d.date()) for d in res.dates], res.order
    (['2023-02-12', '2023-03-01'], 'day-first')
    >>> res = parse_date_column(pd.Series(["05/06/2024", "13/02/2024"]))
    >>> [str(d.date()) for d in res.dates], res.order, res.proven
    (['2024-06-05', '2024-02-13'], 'day-first', True)
    >>> res = parse_date_column(pd.Series(["05/06/2024", "07/08/2024"]))
    >>> res.order, res.proven, int(res.ambiguous.sum())
    ('month-first', False, 2)
    >>> str(parse_date_column(pd.Series(["2023-02-17T01:30:00+03:00"])).dates[0])
    '2023-02-17 01:30:00'
    """
    n = len(values)
    none = np.zeros(n, dtype=bool)
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        out = values
        if getattr(out.dt, "tz", None) is not None:
            out = out.dt.tz_localize(None)  # wall time in the value's own zone
        out = out.astype("datetime64[ns]")
        out.name = values.name
        return DateColumn(out, none, None, False, none, none.copy())
    raw = _date_texts(values)
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    if len(uniques) == 0:
        empty = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]", name=values.name)
        return DateColumn(empty, none, None, False, none, none.copy())
    texts = pd.Series(np.asarray(uniques, dtype=object), dtype="string")
    stamps, bad_u, order, proven, ambiguous_u, conflict_u = _parse_unique(texts, dayfirst)
    present = codes >= 0
    result = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    result[present] = stamps[codes[present]]
    out = pd.Series(result, index=values.index, dtype="datetime64[ns]", name=values.name)

    def spread(mask_u: np.ndarray) -> np.ndarray:
        mask = np.zeros(n, dtype=bool)
        mask[present] = mask_u[codes[present]]
        return mask

    return DateColumn(out, spread(bad_u), order, proven, spread(ambiguous_u), spread(conflict_u))


def _date_texts(values: pd.Series) -> pd.Series:
    if pd.api.types.is_object_dtype(values.dtype):
        # datetime objects (maybe tz-aware, maybe mixed offsets): keep their wall time
        values = values.map(
            lambda v: v.replace(tzinfo=None).isoformat() if isinstance(v, dt.datetime) else v
        )
    raw = values.astype("string").str.strip()
    return raw.mask(raw == "")


def _parse_unique(
    texts: pd.Series, dayfirst: bool | None
) -> tuple[np.ndarray, np.ndarray, str | None, bool, np.ndarray, np.ndarray]:
    m = len(texts)
    stamps = np.full(m, np.datetime64("NaT"), dtype="datetime64[ns]")
    ambiguous = np.zeros(m, dtype=bool)
    conflict = np.zeros(m, dtype=bool)
    parts = texts.str.extract(_NUMERIC_DMY)
    numeric = parts[0].notna().to_numpy(dtype=bool)
    order: str | None = None
    proven = False
    if numeric.any():
        a = pd.to_numeric(parts[0][numeric]).to_numpy(dtype="int64")
        b = pd.to_numeric(parts[2][numeric]).to_numpy(dtype="int64")
        year = pd.to_numeric(parts[3][numeric]).to_numpy(dtype="int64")
        sep = parts[1][numeric].to_numpy(dtype=object)
        year = np.where(year < 100, np.where(year < 69, 2000 + year, 1900 + year), year)
        day_proof = (a > 12) & (b <= 12)
        month_proof = (b > 12) & (a <= 12)
        if dayfirst is not None:
            first, proven = bool(dayfirst), True
        elif day_proof.any() or month_proof.any():
            first, proven = int(day_proof.sum()) >= int(month_proof.sum()), True
        else:
            first = bool((sep == ".").all())
            proven = first
        order = "day-first" if first else "month-first"
        day, month = (a, b) if first else (b, a)
        conflict[np.flatnonzero(numeric)] = month_proof if first else day_proof
        if not proven:
            ambiguous[np.flatnonzero(numeric)] = (a != b) & (a <= 12) & (b <= 12)
        iso = pd.Series(
            [f"{y:04d}-{mo:02d}-{d:02d}" for y, mo, d in zip(year, month, day, strict=True)],
            dtype="object",
        )
        parsed = pd.to_datetime(iso, format="%Y-%m-%d", errors="coerce")
        stamps[numeric] = parsed.to_numpy(dtype="datetime64[ns]")
    rest = ~numeric
    if rest.any():
        local = texts[rest].str.replace(_OFFSET, r"\1", regex=True).str.strip()
        iso_parsed = pd.to_datetime(local.astype(object), format="ISO8601", errors="coerce")
        stamps[rest] = iso_parsed.to_numpy(dtype="datetime64[ns]")
        for fmt in _TEXT_FORMATS:
            todo = np.isnat(stamps) & rest
            if not todo.any():
                break
            parsed = pd.to_datetime(texts[todo].astype(object), format=fmt, errors="coerce")
            stamps[todo] = parsed.to_numpy(dtype="datetime64[ns]")
        for i in np.flatnonzero(np.isnat(stamps) & rest):
            one = _parse_one(str(texts.iloc[i]))
            if one is not None:
                stamps[i] = np.datetime64(one.as_unit("ns").asm8)
    stamps[conflict] = np.datetime64("NaT")
    bad = np.isnat(stamps)
    return stamps, bad, order, proven, ambiguous, conflict


def parse_dates(values: pd.Series, *, dayfirst: bool | None = None) -> tuple[pd.Series, np.ndarray]:
    """Parse ``values`` to ``datetime64[ns]``; return the dates and a mask of failures.

    A thin wrapper over :func:`parse_date_column` (one day/month order per
    column, offsets kept as wall time). Missing inputs are NaT and are *not*
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
    res = parse_date_column(values, dayfirst=dayfirst)
    return res.dates, res.bad


def _parse_one(value: str) -> pd.Timestamp | None:
    if re.fullmatch(r"[+-]?\d+(?:\.\d*)?", value):
        return None  # a bare number is not a date (pandas would read "2023" or "44690")
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
