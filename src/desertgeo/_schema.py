"""The events schema and its validation: one list of small checks.

:func:`validate_frame` casts a table to :data:`EVENT_COLUMNS` and runs each
check of :data:`CHECKS` in turn; a check reads the typed columns and returns
:class:`Issues` (a reason code, the rows, a severity, a detail). Nothing is
dropped and no coordinate is changed without evidence: the public wrapper is
:func:`desertgeo.events.validate_events`, which passes the location evidence
(country / admin1 polygons) that this layer does not know about.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from desertgeo._errors import DataError, InputError
from desertgeo._validate import (
    DateColumn,
    DateOrderWarning,
    check_coordinates,
    ensure_4326,
    parse_date_column,
    require_columns,
)

__all__ = [
    "ACLED_UNCERTAINTY_M",
    "CHECKS",
    "DERIVED_COLUMNS",
    "EVENT_COLUMNS",
    "STUDY_AREA",
    "UCDP_UNCERTAINTY_M",
    "Issues",
    "Locate",
    "country_codes",
    "empty_events",
    "report_line",
    "status_counts",
    "summary",
    "validate_frame",
]

#: The events schema: column -> (dtype, meaning). The single source of truth.
EVENT_COLUMNS: dict[str, tuple[str, str]] = {
    "event_id": ("string", "unique id (from the source, else generated)"),
    "date": (
        "datetime64[ns]",
        "event date (start), wall-clock date in its own offset; NaT when unparseable",
    ),
    "date_end": ("datetime64[ns]", "end of the date range (UCDP date_end; else = date)"),
    "date_precision": ("Int8", "ACLED time_precision: 1 day, 2 week, 3 month or longer"),
    "place": ("string", "place name as given"),
    "country": ("string", "country as the source gives it (ACLED/UCDP: a name; text: ISO code)"),
    "country_code": ("string", "derived: ISO 3166-1 alpha-2 of country / iso / iso3 / gwno"),
    "admin1": ("string", "first-level unit as given (governorate)"),
    "geo_precision": ("Int8", "ACLED geo_precision 1-3"),
    "where_prec": ("Int8", "UCDP where_prec 1-7"),
    "uncertainty_m": ("float64", "radius of the location's uncertainty in metres"),
    "geocoded": ("boolean", "derived: True when the point came from the geocoder, not the file"),
    "fatalities": ("Int64", "best estimate, <NA> unknown"),
    "actor": ("string", "perpetrator / side A (ACLED actor1, UCDP side_a)"),
    "actor2": ("string", "other party / side B (ACLED actor2, UCDP side_b)"),
    "target": ("string", 'derived target description (e.g. "civilians", "truffle hunters")'),
    "civilian_target": ("boolean", "derived: the target was civilians"),
    "event_type": ("string", "event type (UCDP type_of_violence spelled out)"),
    "source": ("string", "source"),
    "notes": ("string", "free text (untrusted: escape when rendering)"),
    "status": ("string", '"ok", "warning" (usable, something fixed/assumed) or "invalid"'),
    "reason": ("string", 'why the status is not ok ("" when ok)'),
    "geometry": ("geometry", "Point; None when there is no usable location"),
}

#: Columns desertgeo derives (never a source column overwritten): name -> from what.
DERIVED_COLUMNS: dict[str, str] = {
    "country_code": "country (name or code), else iso3 / iso (ISO numeric) / gwno, country_id (GW)",
    "geocoded": "True where read_events(geocode=True) filled a blank point from the place column",
    "civilian_target": "ACLED civilian_targeting, actor2 Civilians, inter2 7; UCDP violence 3",
    "target": '"civilians" where civilian_target',
    "event_type": "UCDP type_of_violence 1-3 spelled out (the code stays in type_of_violence)",
    "date_precision": "UCDP date_prec 1 -> 1, 2-3 -> 2, 4-5 -> 3 (the code stays in date_prec)",
    "uncertainty_m": "from where_prec, else geo_precision (see the precision table)",
}

#: Study area: Syria and its neighbours (Lebanon, Jordan, Iraq, Israel, southern
#: Turkey up to 38 N), as (min lon, min lat, max lon, max lat). Rows outside it
#: are kept unchanged and flagged ``outside_study_area``.
STUDY_AREA: tuple[float, float, float, float] = (34.0, 29.0, 49.0, 38.0)

#: ACLED geo_precision -> uncertainty radius (m).
ACLED_UNCERTAINTY_M: dict[int, float] = {1: 2_000.0, 2: 25_000.0, 3: 50_000.0}
#: UCDP where_prec -> uncertainty radius (m).
UCDP_UNCERTAINTY_M: dict[int, float] = {
    1: 2_000.0,
    2: 25_000.0,
    3: 50_000.0,
    4: 100_000.0,
    5: 200_000.0,
    6: 350_000.0,
    7: 500_000.0,
}
# same correspondence as desertgeo.geocoder: where_prec 1 -> 1, 2-3 -> 2, 4-7 -> 3
_ACLED_TO_UCDP = {1: 1, 2: 2, 3: 4}
_UCDP_TO_ACLED = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3, 7: 3}

#: no single event has a million deaths: larger (or non-finite) counts are flagged
MAX_FATALITIES = 1_000_000

# country names and codes -> ISO 3166-1 alpha-2 (lower-cased keys)
_COUNTRY_NAMES: dict[str, str] = {
    "syria": "SY", "syrian arab republic": "SY", "iraq": "IQ", "jordan": "JO",
    "lebanon": "LB", "turkey": "TR", "türkiye": "TR", "turkiye": "TR", "israel": "IL",
    "palestine": "PS", "state of palestine": "PS", "iran": "IR", "iran (islamic republic of)": "IR",
    "saudi arabia": "SA", "cyprus": "CY", "ukraine": "UA", "russia": "RU",
    "russian federation": "RU", "egypt": "EG", "kuwait": "KW", "georgia": "GE",
    "armenia": "AM", "azerbaijan": "AZ", "greece": "GR", "yemen": "YE", "libya": "LY",
    "afghanistan": "AF", "united states": "US", "united states of america": "US",
    "united kingdom": "GB", "france": "FR", "germany": "DE",
    "syr": "SY", "irq": "IQ", "jor": "JO", "lbn": "LB", "tur": "TR", "isr": "IL",
    "pse": "PS", "irn": "IR", "sau": "SA", "cyp": "CY", "ukr": "UA", "rus": "RU",
    "egy": "EG", "kwt": "KW", "geo": "GE", "arm": "AM", "aze": "AZ", "grc": "GR",
}  # fmt: skip
# ISO 3166-1 numeric (ACLED "iso") and Gleditsch-Ward (ACLED 2015 "gwno", UCDP "country_id")
_ISO_NUMERIC: dict[int, str] = {
    760: "SY", 368: "IQ", 400: "JO", 422: "LB", 792: "TR", 376: "IL", 275: "PS", 364: "IR",
    682: "SA", 196: "CY", 804: "UA", 643: "RU", 818: "EG", 414: "KW", 268: "GE", 51: "AM",
    31: "AZ", 300: "GR", 887: "YE",
}  # fmt: skip
_GW: dict[int, str] = {
    652: "SY", 645: "IQ", 663: "JO", 660: "LB", 640: "TR", 666: "IL", 630: "IR", 670: "SA",
    352: "CY", 369: "UA", 365: "RU", 651: "EG", 690: "KW", 372: "GE", 371: "AM", 373: "AZ",
    350: "GR", 679: "YE",
}  # fmt: skip

_SEVERITY = {"ok": 0, "warning": 1, "invalid": 2}
_STATUS_BY_SEVERITY = {0: "ok", 1: "warning", 2: "invalid"}
# reason codes that already explain a missing geometry / date on re-validation
_GEOMETRY_CODES = {
    "missing_coordinates",
    "coordinates_out_of_range",
    "null_island",
    "not_geocoded",
    "no_place",
}
_DATE_CODES = {"unparseable_date", "missing_date"}

#: (frame, lon, lat, rows) -> (given point agrees, swapped point agrees): location
#: evidence for swap candidates, from the rows' own country / admin1 fields.
Locate = Callable[[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class Issues:
    """One finding of one check: a reason code on some rows.

    ``positions`` are row positions; ``detail`` is one text for all rows or one per
    row ("" for none); ``values`` (optional, per row) feed the strict message.
    """

    code: str
    column: str
    positions: np.ndarray
    severity: int
    detail: str | np.ndarray = ""
    values: np.ndarray | None = None


@dataclass
class _Context:
    out: dict[str, Any]
    frame: pd.DataFrame
    lon: np.ndarray
    lat: np.ndarray
    study_area: tuple[float, float, float, float] | None
    fix_swapped: bool
    locate: Locate | None
    dayfirst: bool | None
    dates: dict[str, DateColumn] = field(default_factory=dict)
    unusable: np.ndarray | None = None

    @property
    def n(self) -> int:
        return len(self.lon)


def empty_events() -> gpd.GeoDataFrame:
    """Return an events table with no rows and every schema column, typed.

    Examples
    --------
    >>> ev = empty_events()
    >>> len(ev), list(ev.columns) == list(EVENT_COLUMNS), ev.crs.to_epsg()
    (0, True, 4326)
    >>> str(ev["fatalities"].dtype), str(ev["date"].dtype)
    ('Int64', 'datetime64[ns]')
    """
    data = {
        name: pd.Series([], dtype=dtype)
        for name, (dtype, _meaning) in EVENT_COLUMNS.items()
        if name != "geometry"
    }
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries([], crs=4326), crs=4326)


# ------------------------------------------------------------------------- typing


def _as_string(values: pd.Series) -> pd.Series:
    out = (
        values
        if isinstance(values.dtype, pd.StringDtype) and values.dtype.na_value is pd.NA
        else values.astype("string")
    )
    return out.mask(out == "") if bool((out == "").any()) else out


def numeric(values: pd.Series) -> pd.Series:
    """``pd.to_numeric(values, errors="coerce")`` as float64, fast for text columns."""
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return values.astype("float64")
    if pd.api.types.is_numeric_dtype(dtype):
        return pd.to_numeric(values, errors="coerce").astype("float64")
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        return pd.Series(_arrow_numbers(values), index=values.index, dtype="float64")
    try:
        text = values.astype("string").str.strip()
    except (TypeError, ValueError):
        return pd.to_numeric(values, errors="coerce").astype("float64")
    return pd.to_numeric(text.astype(object), errors="coerce").astype("float64")


_NUMBER_TEXT = r"(?i)^\s*[-+]?(?:(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|inf|infinity|nan)\s*$"


def _arrow_numbers(values: pd.Series) -> np.ndarray:
    """Numbers from a pyarrow-backed text column: one vectorised cast, NaN for non-numbers."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.chunked_array(values.array._pa_array)
    trimmed = pc.utf8_trim_whitespace(arr)
    try:
        cast = pc.cast(trimmed, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        ok = pc.match_substring_regex(trimmed, _NUMBER_TEXT)
        if not pc.any(ok).as_py():
            return np.full(len(values), np.nan)
        masked = pc.if_else(ok, trimmed, pa.scalar(None, pa.string()))
        try:
            cast = pc.cast(masked, pa.float64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            text = pd.Series(masked.to_pandas(), dtype=object)
            return pd.to_numeric(text, errors="coerce").to_numpy(dtype="float64")
    return np.asarray(cast.to_numpy(zero_copy_only=False), dtype="float64")


_INT_LIMITS = {"Int8": 127, "Int64": 2**53}


def _as_int(values: pd.Series, dtype: str, column: str) -> tuple[pd.Series, list[Issues]]:
    num = numeric(values).to_numpy(dtype="float64", na_value=np.nan)
    issues: list[Issues] = []
    text = None
    if pd.api.types.is_numeric_dtype(values.dtype):
        unreadable = np.zeros(len(num), dtype=bool)
    else:
        text = values.astype("string").str.strip()
        unreadable = np.isnan(num) & (text.notna() & (text != "")).to_numpy(
            dtype=bool, na_value=False
        )
    if unreadable.any():
        pos = np.flatnonzero(unreadable)
        issues.append(
            Issues(
                f"unparseable_{column}",
                column,
                pos,
                1,
                _eq(column, values, pos),
                _vals(values, pos),
            )
        )
    limit = MAX_FATALITIES if column == "fatalities" else _INT_LIMITS[dtype]
    with np.errstate(invalid="ignore"):
        absurd = ~np.isnan(num) & ~(np.abs(num) <= limit)
    if absurd.any():
        pos = np.flatnonzero(absurd)
        code = "implausible_fatalities" if column == "fatalities" else f"unparseable_{column}"
        detail = np.array([f"{column}={_fmt(float(v))}, set to NA" for v in num[pos]], dtype=object)
        issues.append(Issues(code, column, pos, 1, detail, num[pos]))
        num = num.copy()
        num[absurd] = np.nan
    num = np.round(num)
    return pd.Series(num).astype(dtype), issues  # type: ignore[call-overload]


def _as_bool(values: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("boolean")
    if pd.api.types.is_numeric_dtype(values.dtype):
        num = pd.to_numeric(values, errors="coerce")
        return (num != 0).astype("boolean").mask(num.isna())
    text = values.astype("string").str.strip().str.lower()
    truthy = {"true", "1", "1.0", "yes", "y", "t", "civilian targeting"}
    falsy = {"false", "0", "0.0", "no", "n", "f"}
    out = pd.Series(pd.NA, index=values.index, dtype="boolean")
    out[text.isin(truthy).fillna(False).to_numpy(dtype=bool)] = True
    out[text.isin(falsy).fillna(False).to_numpy(dtype=bool)] = False
    return out


def country_codes(frame: pd.DataFrame) -> pd.Series:
    """ISO 3166-1 alpha-2 codes from a frame's own country fields, vectorised.

    Tried in order, per row: ``country_code``, ``country`` (name, alpha-2 or
    alpha-3), ``iso3``, ``iso`` (ISO numeric), ``gwno`` / ``country_id``
    (Gleditsch-Ward numbers, ACLED 2015 and UCDP). Column names are matched
    case-insensitively. Unknown -> <NA>.

    Examples
    --------
    >>> import pandas as pd
    >>> country_codes(pd.DataFrame({"country": ["Syria", "Türkiye", "Cyprus", "Atlantis"],
    ...                             "iso": [760, 792, 196, 999]})).tolist()
    ['SY', 'TR', 'CY', <NA>]
    """
    cols = {str(c).strip().lower(): c for c in frame.columns}
    out = pd.Series(pd.NA, index=frame.index, dtype="string")
    for key in ("country_code", "country", "iso3", "iso", "gwno", "country_id"):
        if key not in cols or not bool(out.isna().any()):
            continue
        values = frame[cols[key]]
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        if len(uniques) == 0:
            continue
        table = _ISO_NUMERIC if key == "iso" else _GW if key in ("gwno", "country_id") else None
        mapped = np.array([_one_code(u, table) for u in uniques] + [None], dtype=object)
        found = pd.Series(mapped[codes], index=frame.index, dtype="string")
        out = out.fillna(found)
    return out


def _one_code(value: Any, numbers: Mapping[int, str] | None) -> str | None:
    if numbers is not None:
        try:
            return numbers.get(int(float(str(value))))
        except (TypeError, ValueError, OverflowError):
            return None
    text = str(value).strip()
    if len(text) == 2 and text.isalpha() and text.isascii():
        return text.upper()
    return _COUNTRY_NAMES.get(text.lower())


# ---------------------------------------------------------------------- the checks


def _date_column(ctx: _Context, name: str) -> DateColumn | None:
    """The parsed column ``name``; a ``date_end`` copied from ``date`` has no own problems."""
    res = ctx.dates.get(name)
    if res is None or name != "date_end" or "date" not in ctx.dates:
        return res
    if name not in ctx.frame.columns:
        return res
    # date_end copied from date (ACLED): its problems are the date's
    raw = ctx.frame[name]
    same = (raw.astype("string") == ctx.frame["date"].astype("string")).fillna(False)
    own = ~same.to_numpy(dtype=bool)
    return DateColumn(
        res.dates, res.bad & own, res.order, res.proven, res.ambiguous, res.conflicting & own
    )


def _check_date_values(ctx: _Context) -> list[Issues]:
    """``unparseable_date``, ``date_order_conflict`` (invalid), ``ambiguous_date`` (warning)."""
    issues: list[Issues] = []
    for name in ("date", "date_end"):
        res = _date_column(ctx, name)
        if res is None or name not in ctx.frame.columns:
            continue
        raw = ctx.frame[name]
        pos = np.flatnonzero(res.bad & ~res.conflicting)
        if len(pos):
            issues.append(
                Issues("unparseable_date", name, pos, 2, _eq(name, raw, pos), _vals(raw, pos))
            )
        pos = np.flatnonzero(res.conflicting)
        if len(pos):
            detail = np.array(
                [
                    f"{name}={v!r} only reads {_other(res.order)}; the column is {res.order}"
                    for v in _vals(raw, pos)
                ],
                dtype=object,
            )
            issues.append(Issues("date_order_conflict", name, pos, 2, detail, _vals(raw, pos)))
        if res.ambiguous.any():
            pos = np.flatnonzero(res.ambiguous)
            text = f"read {res.order}, pass dayfirst=True or False to choose"
            issues.append(Issues("ambiguous_date", name, pos, 1, text, _vals(raw, pos)))
    return issues


def _check_missing_date(ctx: _Context) -> list[Issues]:
    """``missing_date`` (invalid): no date at all (an unreadable one is reported above)."""
    missing = ctx.out["date"].isna().to_numpy(dtype=bool)
    if "date" in ctx.dates:
        missing = missing & ~ctx.dates["date"].bad
    if not missing.any():
        return []
    return [Issues("missing_date", "date", np.flatnonzero(missing), 2)]


def _check_date_end(ctx: _Context) -> list[Issues]:
    """``date_end_before_date`` (warning, set to ``date``); a missing end becomes ``date``."""
    date, date_end = ctx.out["date"], ctx.out["date_end"]
    end_before = (date_end < date).fillna(False).to_numpy(dtype=bool)
    ctx.out["date_end"] = date_end.where(date_end.notna() & ~end_before, date)
    if not end_before.any():
        return []
    pos = np.flatnonzero(end_before)
    detail = _eq("date_end", date_end, pos)
    return [Issues("date_end_before_date", "date_end", pos, 1, detail, _vals(date_end, pos))]


def _check_fatalities(ctx: _Context) -> list[Issues]:
    fat = ctx.out["fatalities"]
    negative = (fat < 0).fillna(False).to_numpy(dtype=bool)
    if not negative.any():
        return []
    pos = np.flatnonzero(negative)
    ctx.out["fatalities"] = fat.mask(negative)
    return [
        Issues(
            "negative_fatalities",
            "fatalities",
            pos,
            1,
            "set to NA",
            fat.to_numpy(dtype=object)[pos],
        )
    ]


def _check_duplicates(ctx: _Context) -> list[Issues]:
    ids = ctx.out["event_id"]
    dup = ids.duplicated(keep="first").to_numpy(dtype=bool)
    if not dup.any():
        return []
    pos = np.flatnonzero(dup)
    return [
        Issues("duplicate_event_id", "event_id", pos, 1, _eq("event_id", ids, pos), _vals(ids, pos))
    ]


def _check_coordinates(ctx: _Context) -> list[Issues]:
    lon, lat = ctx.lon, ctx.lat
    masks = check_coordinates(lon, lat, ctx.study_area)
    issues: list[Issues] = []
    if masks["missing"].any():
        issues.append(Issues("missing_coordinates", "lat", np.flatnonzero(masks["missing"]), 2))
    bad_range = masks["out_of_range"] & ~masks["swapped"]
    if bad_range.any():
        pos = np.flatnonzero(bad_range)
        lat_bad = np.abs(lat[pos]) > 90
        issues.append(
            Issues(
                "coordinates_out_of_range",
                "lat",
                pos,
                2,
                _pairs(lat[pos], lon[pos]),
                np.where(lat_bad, lat[pos], lon[pos]),
            )
        )
    if masks["null_island"].any():
        issues.append(
            Issues(
                "null_island",
                "lat",
                np.flatnonzero(masks["null_island"]),
                2,
                "lat 0, lon 0",
                np.zeros(int(masks["null_island"].sum())),
            )
        )
    issues += _swap_issues(ctx, masks["swapped"])
    if masks["outside"].any():
        pos = np.flatnonzero(masks["outside"])
        issues.append(
            Issues("outside_study_area", "lat", pos, 1, _pairs(lat[pos], lon[pos]), lat[pos])
        )
    ctx.unusable = masks["missing"] | bad_range | masks["null_island"]
    return issues


def _swap_issues(ctx: _Context, candidate: np.ndarray) -> list[Issues]:
    """Swap only where the row's own location fields agree with the swapped point."""
    if not candidate.any():
        return []
    pos = np.flatnonzero(candidate)
    lon, lat = ctx.lon, ctx.lat
    if ctx.locate is not None:
        agree_given, agree_swapped = ctx.locate(ctx.frame, lon, lat, pos)
    else:
        agree_given = np.zeros(len(pos), dtype=bool)
        agree_swapped = np.zeros(len(pos), dtype=bool)
    evidence = agree_swapped & ~agree_given
    issues: list[Issues] = []
    fix = pos[evidence] if ctx.fix_swapped else pos[:0]
    if len(fix):
        detail = np.array(
            [
                f"lat {y:g}, lon {x:g} -> lat {x:g}, lon {y:g}: country/admin1 fit"
                for x, y in zip(lon[fix], lat[fix], strict=True)
            ],
            dtype=object,
        )
        issues.append(Issues("swapped_coordinates", "lat", fix, 1, detail, lat[fix]))
    doubt = pos[~agree_given & ~(evidence & ctx.fix_swapped)]
    if len(doubt):
        why = np.where(
            agree_swapped[~agree_given & ~(evidence & ctx.fix_swapped)],
            "country/admin1 fit the swap, fix_swapped=False",
            "swapped point in the study area, no location field confirms",
        )
        detail = np.array(
            [
                f"lat {y:g}, lon {x:g} kept: {w}"
                for x, y, w in zip(lon[doubt], lat[doubt], why, strict=True)
            ],
            dtype=object,
        )
        issues.append(Issues("possible_swap", "lat", doubt, 1, detail, lat[doubt]))
    kept = pos[agree_given]
    if len(kept):
        issues.append(
            Issues("outside_study_area", "lat", kept, 1, _pairs(lat[kept], lon[kept]), lat[kept])
        )
    if len(fix):
        ctx.lon, ctx.lat = lon.copy(), lat.copy()
        ctx.lon[fix], ctx.lat[fix] = lat[fix], lon[fix]
    return issues


#: The checks :func:`validate_frame` runs, in order (each returns a list of Issues).
CHECKS: tuple[Callable[[_Context], list[Issues]], ...] = (
    _check_date_values,
    _check_missing_date,
    _check_date_end,
    _check_fatalities,
    _check_duplicates,
    _check_coordinates,
)

_CODE_ORDER = {
    code: i
    for i, code in enumerate(
        [
            "missing_coordinates",
            "coordinates_out_of_range",
            "null_island",
            "swapped_coordinates",
            "possible_swap",
            "outside_study_area",
            "missing_date",
            "unparseable_date",
            "date_order_conflict",
            "ambiguous_date",
            "date_end_before_date",
            "negative_fatalities",
            "implausible_fatalities",
            "unparseable_fatalities",
            "duplicate_event_id",
        ]
    )
}


# --------------------------------------------------------------------- validation


def validate_frame(
    frame: pd.DataFrame,
    strict: bool = False,
    *,
    study_area: tuple[float, float, float, float] | None = STUDY_AREA,
    fix_swapped: bool = True,
    locate: Locate | None = None,
    dayfirst: bool | None = None,
) -> gpd.GeoDataFrame:
    """Cast ``frame`` to the events schema and run :data:`CHECKS`; see
    :func:`desertgeo.events.validate_events` for the checks and parameters.

    ``locate`` gives the location evidence for swap candidates; without it no
    coordinate is ever swapped (candidates are flagged ``possible_swap``).

    Examples
    --------
    >>> import pandas as pd
    >>> ev = validate_frame(pd.DataFrame({"event_id": ["a"], "date": ["2023-02-11"],
    ...                                   "lat": [38.9], "lon": [34.5]}))
    >>> ev.loc[0, "reason"]  # doctest: +ELLIPSIS
    'possible_swap (lat 38.9, lon 34.5 kept: swapped point in the study area, no location ...)'
    """
    lon, lat, source, geom_issues = _coordinates_of(frame)
    n = len(source)
    out, cast_issues = _cast(source)
    dates = _parse_dates(source, out, dayfirst)
    ctx = _Context(out, source, lon, lat, study_area, fix_swapped, locate, dayfirst, dates)
    issues = geom_issues + cast_issues
    for check in CHECKS:
        issues += check(ctx)
    _fill_precision(out)
    if "country_code" not in source.columns or bool(out["country_code"].isna().any()):
        out["country_code"] = out["country_code"].fillna(country_codes(source))
    if strict and issues:
        raise DataError(_strict_message(issues, frame.index, out["event_id"]))
    for res in dates.values():
        if res.ambiguous.any():
            warnings.warn(
                DateOrderWarning(
                    f"{int(res.ambiguous.sum())} of {n} dates in column {res.dates.name!r} "
                    f"read two ways (day/month); read {res.order}. Pass dayfirst=True (or "
                    "--dayfirst) if "
                    "they are day-first, dayfirst=False to confirm"
                ),
                stacklevel=3,
            )
            break
    out["status"], out["reason"] = _status_reason(out, issues, n)
    unusable = ctx.unusable if ctx.unusable is not None else np.zeros(n, dtype=bool)
    points = shapely.points(ctx.lon, ctx.lat)
    points[unusable | np.isnan(ctx.lon) | np.isnan(ctx.lat)] = None
    index = frame.index
    data: dict[str, Any] = {}
    for name in EVENT_COLUMNS:
        if name == "geometry":
            data[name] = gpd.GeoSeries(points, index=index, crs=4326)
        else:
            data[name] = pd.Series(out[name]).set_axis(index)
    for name in source.columns:
        if name not in EVENT_COLUMNS:
            data[name] = normalise_extra(source[name]).set_axis(index)
    return gpd.GeoDataFrame(
        pd.DataFrame(data, index=index, copy=False), geometry="geometry", crs=4326
    )


def _coordinates_of(
    frame: pd.DataFrame,
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame, list[Issues]]:
    issues: list[Issues] = []
    if isinstance(frame, gpd.GeoDataFrame) and frame.geometry.name in frame.columns:
        frame = ensure_4326(frame, what="events")
        lon, lat = _xy_of(frame.geometry.array, issues)
        cols = [c for c in frame.columns if c != frame.geometry.name and c not in ("lon", "lat")]
        return lon, lat, pd.DataFrame(frame[cols]).reset_index(drop=True), issues
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"events must be a DataFrame, got {type(frame).__name__}")
    n = len(frame)
    lon = (
        numeric(frame["lon"]).to_numpy(dtype="float64", na_value=np.nan)
        if "lon" in frame.columns
        else np.full(n, np.nan)
    )
    lat = (
        numeric(frame["lat"]).to_numpy(dtype="float64", na_value=np.nan)
        if "lat" in frame.columns
        else np.full(n, np.nan)
    )
    cols = [c for c in frame.columns if c not in ("lon", "lat", "geometry")]
    return lon, lat, pd.DataFrame(frame[cols]).reset_index(drop=True), issues


def _cast(source: pd.DataFrame) -> tuple[dict[str, Any], list[Issues]]:
    n = len(source)
    positions = pd.RangeIndex(n)
    out: dict[str, Any] = {}
    issues: list[Issues] = []
    for name, (dtype, _meaning) in EVENT_COLUMNS.items():
        if name == "geometry" or dtype.startswith("datetime"):
            continue
        if name not in source.columns:
            out[name] = pd.Series(
                np.nan if dtype == "float64" else pd.NA, index=positions, dtype=dtype
            )
            continue
        col = source[name]
        if dtype == "string":
            out[name] = _as_string(col)
        elif dtype in ("Int8", "Int64"):
            out[name], found = _as_int(col, dtype, name)
            issues += found
        elif dtype == "float64":
            out[name] = numeric(col)
        elif dtype == "boolean":
            out[name] = _as_bool(col)
    if bool(out["event_id"].isna().any()):
        generated = pd.Series([f"row-{i}" for i in range(n)], dtype="string")
        out["event_id"] = out["event_id"].fillna(generated)
    return out, issues


def _parse_dates(
    source: pd.DataFrame, out: dict[str, Any], dayfirst: bool | None
) -> dict[str, DateColumn]:
    """Parse date and date_end with one day/month order for both."""
    n = len(source)
    names = [c for c in ("date", "date_end") if c in source.columns]
    results: dict[str, DateColumn] = {}
    if len(names) == 2 and not pd.api.types.is_datetime64_any_dtype(source["date"].dtype):
        both = pd.concat(
            [source["date"].astype("string"), source["date_end"].astype("string")],
            ignore_index=True,
        )
        res = parse_date_column(both, dayfirst=dayfirst)
        for i, name in enumerate(names):
            part = slice(i * n, (i + 1) * n)
            dates = res.dates.iloc[part].reset_index(drop=True).rename(name)
            results[name] = DateColumn(
                dates,
                res.bad[part],
                res.order,
                res.proven,
                res.ambiguous[part] if i == 0 else np.zeros(n, dtype=bool),
                res.conflicting[part],
            )
    else:
        for name in names:
            res = parse_date_column(source[name], dayfirst=dayfirst)
            results[name] = DateColumn(
                res.dates.rename(name),
                res.bad,
                res.order,
                res.proven,
                res.ambiguous,
                res.conflicting,
            )
    for name in ("date", "date_end"):
        out[name] = (
            results[name].dates
            if name in results
            else pd.Series(pd.NaT, index=pd.RangeIndex(n), dtype="datetime64[ns]")
        )
    return results


def _status_reason(
    out: dict[str, Any], issues: list[Issues], n: int
) -> tuple[pd.Series, pd.Series]:
    old_status = out["status"].fillna("ok")
    severity = old_status.map(_SEVERITY).fillna(0).to_numpy(dtype="int64").copy()
    old_reason = out["reason"].fillna("").to_numpy(dtype=object)
    new = np.full(n, "", dtype=object)
    for issue in sorted(issues, key=lambda i: _CODE_ORDER.get(i.code, 99)):
        pos = issue.positions
        np.maximum.at(severity, pos, issue.severity)
        detail = issue.detail
        if isinstance(detail, str):
            text = np.full(len(pos), issue.code + (f" ({detail})" if detail else ""), dtype=object)
        else:
            text = np.array([issue.code + (f" ({d})" if d else "") for d in detail], dtype=object)
        cur = new[pos]
        new[pos] = np.where(cur == "", text, cur + "; " + text)
    reasons = new
    had_old = np.flatnonzero(old_reason != "")
    if len(had_old):
        reasons = new.copy()
        for i in had_old:
            items = [r for r in str(new[i]).split("; ") if r]
            reasons[i] = _merge_reasons(str(old_reason[i]), items)
    status = pd.Series(
        np.array(
            [_STATUS_BY_SEVERITY[0], _STATUS_BY_SEVERITY[1], _STATUS_BY_SEVERITY[2]], dtype=object
        )[severity],
        dtype="string",
    )
    return status, pd.Series(reasons, dtype="string")


def _merge_reasons(old: str, new: list[str]) -> str:
    items = [r for r in (old or "").split("; ") if r]
    codes = {r.split(" ", 1)[0] for r in items}
    every = codes | {r.split(" ", 1)[0] for r in new}
    for reason in new:
        code = reason.split(" ", 1)[0]
        if code in codes:
            continue
        if code == "missing_coordinates" and (every - {code}) & _GEOMETRY_CODES:
            continue
        if code == "missing_date" and (every - {code}) & _DATE_CODES:
            continue
        items.append(reason)
        codes.add(code)
    return "; ".join(items)


def _xy_of(geoms: Any, issues: list[Issues]) -> tuple[np.ndarray, np.ndarray]:
    arr = np.asarray(geoms, dtype=object)
    missing = shapely.is_missing(arr) | shapely.is_empty(arr)
    kinds = shapely.get_type_id(arr)
    not_point = ~missing & (kinds != 0)
    if not_point.any():
        pos = np.flatnonzero(not_point)
        issues.append(
            Issues(
                "non_point_geometry",
                "geometry",
                pos,
                1,
                "replaced by a representative point",
                kinds[pos],
            )
        )
        arr = arr.copy()
        arr[not_point] = shapely.point_on_surface(arr[not_point])
    x = np.full(len(arr), np.nan)
    y = np.full(len(arr), np.nan)
    ok = ~missing
    x[ok] = shapely.get_x(arr[ok])
    y[ok] = shapely.get_y(arr[ok])
    return x, y


_WHAT = {
    "missing_coordinates": "no coordinates",
    "coordinates_out_of_range": "coordinates out of range",
    "null_island": "coordinates at 0, 0",
    "swapped_coordinates": "latitude and longitude look swapped",
    "possible_swap": "latitude and longitude may be swapped",
    "outside_study_area": "point outside the study area",
    "missing_date": "no date",
    "unparseable_date": "date cannot be parsed",
    "date_order_conflict": "date contradicts the column's day/month order",
    "ambiguous_date": "date reads two ways (day/month)",
    "date_end_before_date": "date_end before date",
    "negative_fatalities": "negative fatalities",
    "implausible_fatalities": "fatalities not a plausible count",
    "duplicate_event_id": "duplicate event id",
    "non_point_geometry": "geometry is not a point",
}


def _strict_message(issues: list[Issues], index: pd.Index, ids: pd.Series) -> str:
    best: tuple[int, int, Issues, int] | None = None
    for issue in issues:
        k = int(np.argmin(issue.positions))
        key = (int(issue.positions[k]), -issue.severity)
        if best is None or key < (best[0], best[1]):
            best = (key[0], key[1], issue, k)
    assert best is not None
    pos, _sev, issue, k = best
    raw = None if issue.values is None else issue.values[k]
    value = (
        "missing"
        if raw is None
        or (isinstance(raw, float) and np.isnan(raw) and issue.code == "missing_coordinates")
        else _fmt(raw)
    )
    detail = issue.detail if isinstance(issue.detail, str) else str(issue.detail[k])
    what = _WHAT.get(issue.code, issue.code.replace("_", " "))
    return (
        f"row {index[pos]} (event_id {ids.iloc[pos]!r}), column {issue.column!r}, "
        f"value {value}: {what}"
        + (f" ({detail})" if detail else "")
        + "; fix the input, or read with strict=False to keep the row with a status "
        "and reason"
    )


def _fmt(value: Any) -> str:
    if isinstance(value, (float, np.floating)):
        return f"{float(value):g}"
    if isinstance(value, (np.integer,)):
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)


def _vals(values: pd.Series, pos: np.ndarray) -> np.ndarray:
    return values.to_numpy(dtype=object)[pos] if len(values) else np.array([], dtype=object)


def _eq(column: str, values: pd.Series, pos: np.ndarray) -> np.ndarray:
    return np.array([f"{column}={_fmt(_plain(v))}" for v in _vals(values, pos)], dtype=object)


def _plain(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return str(value.date()) if value == value.normalize() else str(value)
    return value


def _pairs(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    return np.array([f"lat {y:g}, lon {x:g}" for y, x in zip(lat, lon, strict=True)], dtype=object)


def _other(order: str | None) -> str:
    return "month-first" if order == "day-first" else "day-first"


def _lookup(codes: pd.Series, table: Mapping[int, float], dtype: str) -> pd.Series:
    """Map small integer codes through ``table`` (vectorised; unknown codes -> NA)."""
    values = codes.to_numpy(dtype="float64", na_value=np.nan)
    lut = np.full(max(table) + 2, np.nan)
    for key, val in table.items():
        lut[key] = val
    ok = ~np.isnan(values) & (values >= 0) & (values <= max(table))
    res = np.full(len(values), np.nan)
    res[ok] = lut[values[ok].astype(np.int64)]
    result = pd.Series(res, index=codes.index)
    return result.astype(dtype) if dtype != "float64" else result  # type: ignore[call-overload]


def _fill_precision(out: dict[str, Any]) -> None:
    geo, where = out["geo_precision"], out["where_prec"]
    out["geo_precision"] = geo.fillna(_lookup(where, _UCDP_TO_ACLED, "Int8")).astype("Int8")
    out["where_prec"] = where.fillna(_lookup(geo, _ACLED_TO_UCDP, "Int8")).astype("Int8")
    unc = out["uncertainty_m"]
    from_where = _lookup(out["where_prec"], UCDP_UNCERTAINTY_M, "float64")
    from_geo = _lookup(out["geo_precision"], ACLED_UNCERTAINTY_M, "float64")
    out["uncertainty_m"] = unc.fillna(from_where.where(where.notna(), from_geo)).fillna(from_geo)


# ------------------------------------------------------------------ extra columns

_NUMBER_RE = r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?"


def normalise_extra(values: pd.Series) -> pd.Series:
    """Give an extra (non-schema) column a stable dtype, the same from every format.

    Text columns become ``string`` ("" is missing) unless every value is a number
    written canonically ("2023", "4.5"; not "0123" or "1.50"), which become
    ``Int64`` / ``float64``; integral floats with gaps become ``Int64``. So a
    column comes back with the same values and dtype from CSV (untyped), GeoJSON,
    GeoPackage and GeoParquet.
    """
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return values.astype("boolean")
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return values
    if pd.api.types.is_numeric_dtype(dtype):
        return _integral(pd.to_numeric(values))
    if not (pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype)):
        return values
    if (
        pd.api.types.is_object_dtype(dtype)
        and not values.map(
            lambda v: v is None or isinstance(v, str) or (isinstance(v, float) and np.isnan(v))
        ).all()
    ):
        return values
    text = _as_string(values)
    present = text.dropna()
    if len(present) == 0:
        return text
    # most text columns fail on their first values: look at a few before the whole column
    if not bool(present.iloc[:8].str.fullmatch(_NUMBER_RE).all()):
        return text
    ints = _canonical_ints(text)
    if ints is not None:
        return ints
    if not bool(present.str.fullmatch(_NUMBER_RE).all()):
        return text
    numbers = numeric(present)
    if bool(numbers.isna().any()):
        return text
    number = _integral(numbers)
    canonical = (
        number.astype("string")
        if isinstance(number.dtype, pd.Int64Dtype)
        else pd.Series([repr(float(v)) for v in number], index=number.index, dtype="string")
    )
    if not bool((canonical == present).all()):
        return text
    return _integral(numeric(text))


def _canonical_ints(text: pd.Series) -> pd.Series | None:
    """Int64 when every value of a pyarrow text column is an integer written canonically."""
    if not (isinstance(text.dtype, pd.StringDtype) and text.dtype.storage == "pyarrow"):
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.chunked_array(text.array._pa_array)
    try:
        ints = pc.cast(arr, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    same = pc.equal(pc.cast(ints, pa.string()), arr)
    if not pc.all(pc.fill_null(same, True)).as_py():
        return None
    return pd.Series(pd.array(ints, dtype=pd.ArrowDtype(pa.int64())), index=text.index).astype(
        "Int64"
    )


def _integral(numbers: pd.Series) -> pd.Series:
    if pd.api.types.is_integer_dtype(numbers.dtype):
        return numbers.astype("Int64")
    if pd.api.types.is_float_dtype(numbers.dtype):
        present = numbers.dropna()
        if len(present) and bool(((present == np.floor(present)) & (present.abs() < 2**53)).all()):
            return numbers.astype("Int64")
        return numbers.astype("float64")
    return numbers


# ------------------------------------------------------------------------ counts


def summary(events: pd.DataFrame) -> pd.DataFrame:
    """Count events per status and per reason code.

    Returns a DataFrame with columns ``status``, ``reason`` (the code, or ""
    for the status total) and ``count``: first one row per status (ok, warning,
    invalid, only those present), then one row per (status, reason code).
    :func:`status_counts` and :func:`report_line` give the same counts in
    short form (the ``desertgeo events read`` exit code comes from them).

    Examples
    --------
    >>> import desertgeo
    >>> ev = desertgeo.datasets.load("seed_events")
    >>> s = summary(ev)
    >>> int(s.loc[s["reason"] == "", "count"].sum()) == len(ev)
    True
    """
    require_columns(events, ["status", "reason"], what="events")
    rows: list[dict[str, Any]] = []
    status = events["status"].fillna("ok").astype(str)
    for name in ("ok", "warning", "invalid"):
        count = int((status == name).sum())
        if count:
            rows.append({"status": name, "reason": "", "count": count})
    codes: dict[tuple[str, str], int] = {}
    pairs = pd.DataFrame(
        {"status": status.to_numpy(), "reason": events["reason"].fillna("").astype(str).to_numpy()}
    )
    pairs = pairs[pairs["reason"] != ""]
    counted = pairs.value_counts()
    for (st, reason), count in zip(counted.index.tolist(), counted.tolist(), strict=True):
        for item in str(reason).split("; "):
            if item:
                key = (str(st), item.split(" ", 1)[0])
                codes[key] = codes.get(key, 0) + int(count)
    for (st, code), count in sorted(
        codes.items(), key=lambda kv: (_SEVERITY.get(kv[0][0], 3), -kv[1], kv[0][1])
    ):
        rows.append({"status": st, "reason": code, "count": count})
    return pd.DataFrame(rows, columns=["status", "reason", "count"])


def status_counts(events: pd.DataFrame) -> dict[str, int]:
    """Rows per status, with the total: ``{"n", "ok", "warning", "invalid"}``.

    Examples
    --------
    >>> import pandas as pd
    >>> status_counts(pd.DataFrame({"status": ["ok", "invalid", "ok"], "reason": ["", "x", ""]}))
    {'n': 3, 'ok': 2, 'warning': 0, 'invalid': 1}
    """
    require_columns(events, ["status"], what="events")
    status = events["status"].fillna("ok").astype(str)
    counts = {"n": len(events)}
    for name in ("ok", "warning", "invalid"):
        counts[name] = int((status == name).sum())
    return counts


def report_line(events: pd.DataFrame, label: str = "events") -> str:
    """One line: how many rows are ok / warning / invalid, and the top reasons.

    Examples
    --------
    >>> import pandas as pd
    >>> report_line(pd.DataFrame({"status": ["ok", "invalid"],
    ...                           "reason": ["", "missing_date"]}), "a.csv")
    'a.csv: 2 rows, 1 ok, 0 warning, 1 invalid (missing_date 1)'
    """
    counts = status_counts(events)
    table = summary(events)
    reasons = table[table["reason"] != ""]
    order = np.argsort(-reasons["status"].map(_SEVERITY).to_numpy(dtype=int), kind="stable")
    reasons = reasons.iloc[order]
    top = [f"{r} {c}" for r, c in zip(reasons["reason"], reasons["count"], strict=True)][:4]
    line = (
        f"{label}: {counts['n']} rows, {counts['ok']} ok, {counts['warning']} warning, "
        f"{counts['invalid']} invalid"
    )
    return line + (f" ({', '.join(top)})" if top else "")
