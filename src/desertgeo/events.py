"""The events table: schema, validation, readers and writers.

Every source of events (ACLED exports, UCDP GED CSVs, the user's own
spreadsheets, GeoJSON / GeoPackage / GeoParquet files, news text through
:func:`desertgeo.text.events_from_text`) becomes one GeoDataFrame in EPSG:4326
with the columns of :data:`EVENT_COLUMNS`, one row per input row.

Validation loses nothing: every input row comes out. Rows with missing or
out-of-range coordinates, latitude/longitude swapped, unparseable dates,
negative fatalities or duplicate ids are kept, with ``status`` ("ok",
"warning" = usable but something was fixed or assumed, "invalid" = not usable)
and ``reason`` (``"code (detail)"`` items joined by ``"; "``).
:func:`summary` counts them. ``strict=True`` raises :class:`DataError` at the
first problem, naming the row, the column and the value.

Precision codes
---------------
ACLED ``geo_precision`` and UCDP ``where_prec`` are kept and translated into
each other and into an uncertainty radius in metres (desertgeo's reading of the
two codebooks; the radii are order-of-magnitude choices, documented in
:data:`ACLED_UNCERTAINTY_M` and :data:`UCDP_UNCERTAINTY_M`):

====================  =====================================  ===========  =========
code                  codebook meaning                       radius (m)   other code
====================  =====================================  ===========  =========
ACLED 1               the town / exact location              2,000        UCDP 1
ACLED 2               near a town, part of a district        25,000       UCDP 2
ACLED 3               a larger region; admin centroid        50,000       UCDP 4
UCDP 1                exact location (town, village)         2,000        ACLED 1
UCDP 2                within ~25 km of a known point         25,000       ACLED 2
UCDP 3                second-order admin unit (district)     50,000       ACLED 2
UCDP 4                first-order admin unit (governorate)   100,000      ACLED 3
UCDP 5                part of a country (> governorate)      200,000      ACLED 3
UCDP 6                the whole country                      350,000      ACLED 3
UCDP 7                international waters / airspace        500,000      ACLED 3
====================  =====================================  ===========  =========

Date precision follows ACLED ``time_precision`` (1 day, 2 week, 3 month or
longer); UCDP ``date_prec`` 1 → 1, 2-3 → 2, 4-5 → 3. The where_prec ↔
geo_precision correspondence is the one :mod:`desertgeo.geocoder` uses, so geocoded
and imported events agree. Where a file gives ``uncertainty_m`` it is kept; else it
comes from ``where_prec`` when given, else from ``geo_precision``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from desertgeo._atomic import atomic_path, check_output_dir
from desertgeo._csvsafe import csv_options, neutralise_cells
from desertgeo._errors import CRSError, DataError, InputError
from desertgeo._validate import check_coordinates, parse_dates, require_columns

__all__ = [
    "ACLED_COLUMNS",
    "ACLED_UNCERTAINTY_M",
    "EVENT_COLUMNS",
    "FORMATS",
    "STUDY_AREA",
    "UCDP_COLUMNS",
    "UCDP_UNCERTAINTY_M",
    "empty_events",
    "read_acled",
    "read_events",
    "read_ucdp",
    "summary",
    "validate_events",
    "write_events",
]

#: The events schema: column -> (dtype, meaning). The single source of truth.
EVENT_COLUMNS: dict[str, tuple[str, str]] = {
    "event_id": ("string", "unique id (from the source, else generated)"),
    "date": ("datetime64[ns]", "event date (start); NaT when unparseable (status says why)"),
    "date_end": ("datetime64[ns]", "end of the date range (UCDP date_end; else = date)"),
    "date_precision": ("Int8", "ACLED time_precision: 1 day, 2 week, 3 month or longer"),
    "place": ("string", "place name as given"),
    "country": ("string", "ISO 3166-1 alpha-2"),
    "admin1": ("string", "governorate"),
    "geo_precision": ("Int8", "ACLED geo_precision 1-3"),
    "where_prec": ("Int8", "UCDP where_prec 1-7"),
    "uncertainty_m": ("float64", "radius of the location's uncertainty in metres"),
    "fatalities": ("Int64", "best estimate, <NA> unknown"),
    "actor": ("string", "perpetrator / side A"),
    "actor2": ("string", "other party / side B"),
    "target": ("string", 'target description (e.g. "civilians", "truffle hunters")'),
    "civilian_target": ("boolean", "the target was civilians"),
    "event_type": ("string", "event type"),
    "source": ("string", "source"),
    "notes": ("string", "free text (untrusted: escape when rendering)"),
    "status": ("string", '"ok", "warning" (usable, something fixed/assumed) or "invalid"'),
    "reason": ("string", 'why the status is not ok ("" when ok)'),
    "geometry": ("geometry", "Point; None when there is no usable location"),
}

#: Study area used to detect swapped coordinates: Syria and its neighbours
#: (Lebanon, Jordan, Iraq, Israel, southern Turkey up to 38 N), as
#: (min lon, min lat, max lon, max lat).
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
_UCDP_DATE_PREC = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3}
_UCDP_VIOLENCE = {1: "state-based conflict", 2: "non-state conflict", 3: "one-sided violence"}

#: schema column -> column of an ACLED export
ACLED_COLUMNS: dict[str, str] = {
    "event_id": "event_id_cnty",
    "date": "event_date",
    "date_precision": "time_precision",
    "place": "location",
    "country": "country",
    "admin1": "admin1",
    "geo_precision": "geo_precision",
    "fatalities": "fatalities",
    "actor": "actor1",
    "actor2": "actor2",
    "civilian_target": "civilian_targeting",
    "event_type": "event_type",
    "source": "source",
    "notes": "notes",
    "lon": "longitude",
    "lat": "latitude",
}
_ACLED_REQUIRED = ("event_id_cnty", "event_date", "latitude", "longitude")

#: schema column -> column of a UCDP GED CSV
UCDP_COLUMNS: dict[str, str] = {
    "event_id": "id",
    "date": "date_start",
    "date_end": "date_end",
    "date_precision": "date_prec",
    "place": "where_coordinates",
    "country": "country",
    "admin1": "adm_1",
    "where_prec": "where_prec",
    "fatalities": "best",
    "actor": "side_a",
    "actor2": "side_b",
    "event_type": "type_of_violence",
    "source": "source_original",
    "notes": "source_headline",
    "lon": "longitude",
    "lat": "latitude",
}
_UCDP_REQUIRED = ("id", "date_start", "latitude", "longitude", "best")

# aliases tried, in order, for generic tables (CSV, GeoJSON, ...); lower-cased
_GENERIC_ALIASES: dict[str, tuple[str, ...]] = {
    "event_id": ("event_id", "id", "event_id_cnty", "eventid", "uid"),
    "date": ("date", "event_date", "date_start", "day"),
    "date_end": ("date_end", "end_date"),
    "date_precision": ("date_precision", "time_precision", "date_prec"),
    "place": ("place", "location", "place_name", "where_coordinates", "town", "name"),
    "country": ("country", "iso2", "country_code"),
    "admin1": ("admin1", "adm_1", "governorate", "province"),
    "geo_precision": ("geo_precision",),
    "where_prec": ("where_prec",),
    "uncertainty_m": ("uncertainty_m", "uncertainty"),
    "fatalities": ("fatalities", "deaths", "killed", "best"),
    "actor": ("actor", "actor1", "side_a", "perpetrator"),
    "actor2": ("actor2", "side_b"),
    "target": ("target",),
    "civilian_target": ("civilian_target", "civilian_targeting"),
    "event_type": ("event_type", "type"),
    "source": ("source",),
    "notes": ("notes", "description", "note"),
    "status": ("status",),
    "reason": ("reason",),
    "lon": ("lon", "longitude", "lng", "long", "x"),
    "lat": ("lat", "latitude", "y"),
}

_COUNTRY_CODES: dict[str, str] = {
    "syria": "SY",
    "syrian arab republic": "SY",
    "iraq": "IQ",
    "jordan": "JO",
    "lebanon": "LB",
    "turkey": "TR",
    "türkiye": "TR",
    "turkiye": "TR",
    "israel": "IL",
    "palestine": "PS",
    "iran": "IR",
    "iran (islamic republic of)": "IR",
    "saudi arabia": "SA",
    "760": "SY",
    "368": "IQ",
    "400": "JO",
    "422": "LB",
    "792": "TR",
    "376": "IL",
    "275": "PS",
}

#: file formats and the extensions that select them
FORMATS: dict[str, tuple[str, ...]] = {
    "csv": (".csv", ".tsv", ".txt"),
    "acled": (),
    "ucdp": (),
    "geojson": (".geojson", ".json"),
    "gpkg": (".gpkg",),
    "parquet": (".parquet", ".geoparquet", ".pq"),
}

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

PathOrBuffer = str | os.PathLike[str] | IO[str] | IO[bytes]


@dataclass(frozen=True)
class _Issue:
    position: int
    code: str
    column: str
    value: Any
    severity: int
    detail: str


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


# --------------------------------------------------------------------------- helpers


def _as_string(values: pd.Series) -> pd.Series:
    out = values.astype("string")
    return out.mask(out == "")


def _as_int(values: pd.Series, dtype: str, column: str, issues: list[_Issue]) -> pd.Series:
    if pd.api.types.is_bool_dtype(values.dtype):
        values = values.astype("Int64")
    numeric = _numeric(values)
    bad = numeric.isna() & values.notna() & (values.astype("string").str.strip() != "")
    for pos in np.flatnonzero(bad.to_numpy(dtype=bool)):
        issues.append(_Issue(int(pos), f"unparseable_{column}", column, values.iloc[pos], 1, ""))  # noqa: PERF401
    fractional = numeric.notna() & (numeric != np.floor(numeric.fillna(0)))
    numeric = numeric.mask(fractional, np.round(numeric))
    return numeric.astype(dtype)  # type: ignore[call-overload]


def _as_bool(values: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("boolean")
    if pd.api.types.is_numeric_dtype(values.dtype):
        numeric = pd.to_numeric(values, errors="coerce")
        return (numeric != 0).astype("boolean").mask(numeric.isna())
    text = values.astype("string").str.strip().str.lower()
    truthy = {"true", "1", "1.0", "yes", "y", "t", "civilian targeting"}
    falsy = {"false", "0", "0.0", "no", "n", "f"}
    out = pd.Series(pd.NA, index=values.index, dtype="boolean")
    out[text.isin(truthy).fillna(False).to_numpy(dtype=bool)] = True
    out[text.isin(falsy).fillna(False).to_numpy(dtype=bool)] = False
    return out


def _country_code(values: pd.Series) -> pd.Series:
    text = _as_string(values)
    key = text.str.lower()
    mapped = key.map(_COUNTRY_CODES)
    two_letter = text.str.len() == 2
    return (
        mapped.astype("string").fillna(text.where(two_letter.fillna(False)).str.upper())
    ).astype("string")


_NUMBER_RE = r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?"
_LENIENT_NUMBER_RE = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


def _numeric(values: pd.Series) -> pd.Series:
    """``pd.to_numeric(values, errors="coerce")`` as float64, fast for text columns.

    Text that looks like a number is cast by pyarrow (vectorised); only the
    rest goes through pandas' parser.
    """
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return pd.to_numeric(values, errors="coerce").astype("float64")
    text_like = pd.api.types.is_string_dtype(values.dtype) or pd.api.types.is_object_dtype(
        values.dtype
    )
    if not text_like:
        return pd.to_numeric(values, errors="coerce").astype("float64")
    try:
        text = values.astype("string").str.strip()
    except (TypeError, ValueError):
        return pd.to_numeric(values, errors="coerce").astype("float64")
    ok = text.str.fullmatch(_LENIENT_NUMBER_RE).fillna(False).astype(bool)
    out = text.where(ok).astype("float64[pyarrow]").astype("float64")
    rest = (text.notna() & ~ok).to_numpy(dtype=bool)
    if rest.any():
        out[rest] = pd.to_numeric(text[rest].astype(object), errors="coerce").astype("float64")
    return out


def _normalise_extra(values: pd.Series) -> pd.Series:
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
    text = values.astype("string")
    text = text.mask(text == "")
    present = text.dropna()
    if len(present) == 0:
        return text
    # cheap vectorised pre-check (pyarrow regex) before the slower numeric parse
    if not bool(present.str.fullmatch(_NUMBER_RE).all()):
        return text
    numbers = _numeric(present)
    if numbers.isna().any():
        return text
    number = _integral(numbers)
    canonical = (
        number.astype("string")
        if isinstance(number.dtype, pd.Int64Dtype)
        else pd.Series([repr(float(v)) for v in number], index=number.index, dtype="string")
    )
    if not (canonical == present).all():
        return text
    return _integral(_numeric(text))


def _integral(numbers: pd.Series) -> pd.Series:
    if pd.api.types.is_integer_dtype(numbers.dtype):
        return numbers.astype("Int64")
    if pd.api.types.is_float_dtype(numbers.dtype):
        present = numbers.dropna()
        if len(present) and bool(((present == np.floor(present)) & (present.abs() < 2**53)).all()):
            return numbers.astype("Int64")
        return numbers.astype("float64")
    return numbers


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


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return repr(value) if isinstance(value, str) else str(value)


# ------------------------------------------------------------------------ validation


def validate_events(
    frame: pd.DataFrame,
    strict: bool = False,
    *,
    study_area: tuple[float, float, float, float] | None = STUDY_AREA,
    fix_swapped: bool = True,
) -> gpd.GeoDataFrame:
    """Return a validated copy of ``frame`` in the events schema.

    Missing schema columns are added (empty), every column is cast to its
    schema dtype, extra columns are kept after the schema columns, and each row
    gets ``status`` / ``reason``. Existing ``status`` / ``reason`` values (a
    file written by desertgeo) are kept and merged with new findings. Nothing is
    dropped.

    Checks, with the status they give:

    * geometry missing (``missing_coordinates``), out of range
      (``coordinates_out_of_range``) or at 0, 0 (``null_island``): invalid,
      geometry set to None;
    * latitude/longitude swapped (``swapped_coordinates``): warning, fixed. A
      point counts as swapped only if it lies outside ``study_area`` while the
      swapped point lies inside it;
    * outside ``study_area`` (``outside_study_area``): warning;
    * date missing (``missing_date``) or unparseable (``unparseable_date``):
      invalid; ``date_end`` before ``date``: warning, ``date_end`` set to ``date``;
    * negative fatalities (``negative_fatalities``): warning, set to <NA>;
    * duplicate ``event_id`` (``duplicate_event_id``, every occurrence after
      the first): warning.

    Parameters
    ----------
    frame : DataFrame or GeoDataFrame
        A table with (some of) the schema columns. A GeoDataFrame must have a
        CRS (it is reprojected to EPSG:4326); a plain DataFrame may carry
        ``lon`` / ``lat`` columns instead of a geometry.
    strict : bool
        Raise :class:`DataError` at the first problem instead of flagging it.
    study_area : tuple or None
        ``(minx, miny, maxx, maxy)`` in degrees; None disables the swap and
        outside-area checks.
    fix_swapped : bool
        Swap back coordinates detected as swapped (default True).

    Returns
    -------
    GeoDataFrame
        EPSG:4326, same index and row order as ``frame``.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({
    ...     "event_id": ["a", "b", "c", "c"],
    ...     "date": ["2023-02-11", "2023-02-17", "not a date", "2023-02-18"],
    ...     "lat": [34.55, 38.9, 34.9, 95.0], "lon": [38.27, 34.5, 38.9, 38.0],
    ...     "fatalities": [16, 68, -1, 0]})
    >>> ev = validate_events(raw)
    >>> ev["status"].tolist()
    ['ok', 'warning', 'invalid', 'invalid']
    >>> print(ev.loc[1, "reason"])
    swapped_coordinates (lat 38.9, lon 34.5 -> lat 34.5, lon 38.9)
    >>> float(ev.loc[1, "geometry"].y)
    34.5
    >>> summary(ev)  # doctest: +NORMALIZE_WHITESPACE
        status                    reason  count
    0       ok                                1
    1  warning                                1
    2  invalid                                2
    3  warning       swapped_coordinates      1
    4  invalid  coordinates_out_of_range      1
    5  invalid        duplicate_event_id      1
    6  invalid       negative_fatalities      1
    7  invalid          unparseable_date      1
    >>> validate_events(raw, strict=True)
    Traceback (most recent call last):
    ...
    desertgeo._errors.DataError: row 1 (event_id 'b'), column 'lat', value 38.9: ...
    """
    issues: list[_Issue] = []
    if isinstance(frame, gpd.GeoDataFrame):
        if frame.crs is None:
            raise CRSError(
                "events have no CRS; set it explicitly, e.g. frame.set_crs(4326) "
                "if the coordinates are longitude/latitude"
            )
        if frame.crs.to_epsg() != 4326:
            frame = frame.to_crs(4326)
        geoms = frame.geometry.array
        lon, lat = _xy_of(geoms, issues)
        source_cols = [c for c in frame.columns if c != frame.geometry.name]
    else:
        if not isinstance(frame, pd.DataFrame):
            raise InputError(f"events must be a DataFrame, got {type(frame).__name__}")
        lon = (
            _numeric(frame["lon"]).to_numpy(dtype="float64", na_value=np.nan)
            if "lon" in frame.columns
            else np.full(len(frame), np.nan)
        )
        lat = (
            _numeric(frame["lat"]).to_numpy(dtype="float64", na_value=np.nan)
            if "lat" in frame.columns
            else np.full(len(frame), np.nan)
        )
        source_cols = [c for c in frame.columns if c not in ("lon", "lat", "geometry")]
    index = frame.index
    n = len(frame)
    positions = pd.RangeIndex(n)
    out: dict[str, Any] = {}
    for name, (dtype, _meaning) in EVENT_COLUMNS.items():
        if name == "geometry":
            continue
        col = (
            frame[name].reset_index(drop=True)
            if name in frame.columns
            else pd.Series(pd.NA, index=positions, dtype="object")
        )
        if dtype == "string":
            out[name] = _as_string(col)
        elif dtype.startswith("datetime"):
            dates, bad = parse_dates(col)
            out[name] = dates.reset_index(drop=True)
            for pos in np.flatnonzero(bad):
                issues.append(_Issue(int(pos), "unparseable_date", name, col.iloc[pos], 2, ""))  # noqa: PERF401
        elif dtype in ("Int8", "Int64"):
            out[name] = _as_int(col, dtype, name, issues)
        elif dtype == "float64":
            out[name] = _numeric(col)
        elif dtype == "boolean":
            out[name] = _as_bool(col)
    # generated ids
    ids = out["event_id"]
    if ids.isna().any():
        generated = pd.Series([f"row-{i}" for i in range(n)], dtype="string")
        out["event_id"] = ids.fillna(generated)
    # dates
    date, date_end = out["date"], out["date_end"]
    for pos in np.flatnonzero(date.isna().to_numpy(dtype=bool)):
        issues.append(_Issue(int(pos), "missing_date", "date", None, 2, ""))  # noqa: PERF401
    end_before = (date_end < date).fillna(False).to_numpy(dtype=bool)
    for pos in np.flatnonzero(end_before):
        issues.append(_Issue(int(pos), "date_end_before_date", "date_end", date_end[pos], 1, ""))  # noqa: PERF401
    out["date_end"] = date_end.where(date_end.notna() & ~end_before, date)
    # fatalities
    fat = out["fatalities"]
    negative = (fat < 0).fillna(False).to_numpy(dtype=bool)
    for pos in np.flatnonzero(negative):
        issues.append(  # noqa: PERF401
            _Issue(int(pos), "negative_fatalities", "fatalities", int(fat[pos]), 1, "set to NA")
        )
    if negative.any():
        out["fatalities"] = fat.mask(negative)
    # precision cross-fill
    _fill_precision(out)
    # duplicates
    dup = out["event_id"].duplicated(keep="first").to_numpy(dtype=bool)
    for pos in np.flatnonzero(dup):
        issues.append(  # noqa: PERF401
            _Issue(int(pos), "duplicate_event_id", "event_id", out["event_id"][pos], 1, "")
        )
    # coordinates
    masks = check_coordinates(lon, lat, study_area)
    lon = lon.copy()
    lat = lat.copy()
    for pos in np.flatnonzero(masks["missing"]):
        issues.append(_Issue(int(pos), "missing_coordinates", "lat", None, 2, ""))  # noqa: PERF401
    for pos in np.flatnonzero(masks["out_of_range"] & ~masks["swapped"]):
        issues.append(  # noqa: PERF401
            _Issue(
                int(pos),
                "coordinates_out_of_range",
                "lat" if abs(lat[pos]) > 90 else "lon",
                float(lat[pos]) if abs(lat[pos]) > 90 else float(lon[pos]),
                2,
                f"lat {lat[pos]:g}, lon {lon[pos]:g}",
            )
        )
    for pos in np.flatnonzero(masks["null_island"]):
        issues.append(_Issue(int(pos), "null_island", "lat", 0.0, 2, "lat 0, lon 0"))  # noqa: PERF401
    swapped = masks["swapped"]
    for pos in np.flatnonzero(swapped):
        x, y = lon[pos], lat[pos]
        detail = f"lat {y:g}, lon {x:g} -> lat {x:g}, lon {y:g}" if fix_swapped else ""
        issues.append(
            _Issue(
                int(pos), "swapped_coordinates", "lat", float(y), 1 if fix_swapped else 2, detail
            )
        )
    if fix_swapped and swapped.any():
        lon[swapped], lat[swapped] = lat[swapped], lon[swapped].copy()
    for pos in np.flatnonzero(masks["outside"]):
        issues.append(  # noqa: PERF401
            _Issue(
                int(pos),
                "outside_study_area",
                "lat",
                float(lat[pos]),
                1,
                f"lat {lat[pos]:g}, lon {lon[pos]:g}",
            )
        )
    unusable = masks["missing"] | masks["out_of_range"] | masks["null_island"]
    if not fix_swapped:
        unusable = unusable | swapped
    unusable = unusable & ~(swapped if fix_swapped else np.zeros(n, dtype=bool))
    points = shapely.points(lon, lat)
    points[unusable | np.isnan(lon) | np.isnan(lat)] = None

    if strict and issues:
        first = min(issues, key=lambda i: (i.position, -i.severity))
        raise DataError(_strict_message(first, index, out["event_id"]))

    # status / reason
    old_status = out["status"].fillna("ok")
    old_reason = out["reason"].fillna("")
    severity = old_status.map(_SEVERITY).fillna(0).to_numpy(dtype="int64").copy()
    new_reasons: dict[int, list[str]] = {}
    for issue in sorted(issues, key=lambda i: (i.position, _CODE_ORDER.get(i.code, 99))):
        severity[issue.position] = max(severity[issue.position], issue.severity)
        text = issue.code
        detail = issue.detail or (
            f"{issue.column}={_fmt(issue.value)}" if issue.value is not None else ""
        )
        if detail:
            text += f" ({detail})"
        new_reasons.setdefault(issue.position, []).append(text)
    reasons = old_reason.to_numpy(dtype=object).copy()
    for row_pos, items in new_reasons.items():
        reasons[row_pos] = _merge_reasons(str(reasons[row_pos]), items)
    out["status"] = (
        pd.Series([_STATUS_BY_SEVERITY[int(s)] for s in severity], dtype="string")
        if n
        else pd.Series([], dtype="string")
    )
    out["reason"] = pd.Series(reasons, dtype="string") if n else pd.Series([], dtype="string")

    data = {name: pd.Series(values).set_axis(index) for name, values in out.items()}
    extras = [c for c in source_cols if c not in EVENT_COLUMNS]
    for name in extras:
        data[name] = _normalise_extra(frame[name])
    result = gpd.GeoDataFrame(
        pd.DataFrame(data, index=index),
        geometry=gpd.GeoSeries(points, index=index, crs=4326),
        crs=4326,
    )
    ordered = list(EVENT_COLUMNS) + extras
    return result[ordered]


_CODE_ORDER = {
    code: i
    for i, code in enumerate(
        [
            "missing_coordinates",
            "coordinates_out_of_range",
            "null_island",
            "swapped_coordinates",
            "outside_study_area",
            "missing_date",
            "unparseable_date",
            "date_end_before_date",
            "negative_fatalities",
            "duplicate_event_id",
        ]
    )
}


def _xy_of(geoms: Any, issues: list[_Issue]) -> tuple[np.ndarray, np.ndarray]:
    arr = np.asarray(geoms, dtype=object)
    missing = shapely.is_missing(arr) | shapely.is_empty(arr)
    kinds = shapely.get_type_id(arr)
    not_point = ~missing & (kinds != 0)
    if not_point.any():
        for pos in np.flatnonzero(not_point):
            issues.append(  # noqa: PERF401
                _Issue(
                    int(pos),
                    "non_point_geometry",
                    "geometry",
                    shapely.get_type_id(arr[pos]),
                    1,
                    "replaced by a representative point",
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


def _strict_message(issue: _Issue, index: pd.Index, ids: pd.Series) -> str:
    label = index[issue.position]
    value = "missing" if issue.value is None else _fmt(issue.value)
    what = {
        "missing_coordinates": "no coordinates",
        "coordinates_out_of_range": "coordinates out of range",
        "null_island": "coordinates at 0, 0",
        "swapped_coordinates": "latitude and longitude look swapped",
        "outside_study_area": "point outside the study area",
        "missing_date": "no date",
        "unparseable_date": "date cannot be parsed",
        "date_end_before_date": "date_end before date",
        "negative_fatalities": "negative fatalities",
        "duplicate_event_id": "duplicate event id",
        "non_point_geometry": "geometry is not a point",
    }.get(issue.code, issue.code.replace("_", " "))
    return (
        f"row {label} (event_id {ids.iloc[issue.position]!r}), column {issue.column!r}, "
        f"value {value}: {what}"
        + (f" ({issue.detail})" if issue.detail else "")
        + "; fix the input, or read with strict=False to keep the row with a status "
        "and reason"
    )


def _lookup(codes: pd.Series, table: Mapping[int, float], dtype: str) -> pd.Series:
    """Map small integer codes through ``table`` (vectorised; unknown codes -> NA)."""
    values = codes.to_numpy(dtype="float64", na_value=np.nan)
    lut = np.full(max(table) + 2, np.nan)
    for key, val in table.items():
        lut[key] = val
    ok = ~np.isnan(values) & (values >= 0) & (values <= max(table))
    out = np.full(len(values), np.nan)
    out[ok] = lut[values[ok].astype(np.int64)]
    result = pd.Series(out, index=codes.index)
    return result.astype(dtype) if dtype != "float64" else result  # type: ignore[call-overload]


def _fill_precision(out: dict[str, Any]) -> None:
    geo, where = out["geo_precision"], out["where_prec"]
    geo_from_where = _lookup(where, _UCDP_TO_ACLED, "Int8")
    where_from_geo = _lookup(geo, _ACLED_TO_UCDP, "Int8")
    out["geo_precision"] = geo.fillna(geo_from_where).astype("Int8")
    out["where_prec"] = where.fillna(where_from_geo).astype("Int8")
    unc = out["uncertainty_m"]
    from_where = _lookup(out["where_prec"], UCDP_UNCERTAINTY_M, "float64")
    from_geo = _lookup(out["geo_precision"], ACLED_UNCERTAINTY_M, "float64")
    out["uncertainty_m"] = unc.fillna(from_where.where(where.notna(), from_geo)).fillna(from_geo)


def summary(events: pd.DataFrame) -> pd.DataFrame:
    """Count events per status and per reason code.

    Returns a DataFrame with columns ``status``, ``reason`` (the code, or ""
    for the status total) and ``count``: first one row per status (ok, warning,
    invalid, only those present), then one row per (status, reason code).

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
    for st, reason in zip(status, events["reason"].fillna("").astype(str), strict=True):
        for item in reason.split("; "):
            if item:
                key = (st, item.split(" ", 1)[0])
                codes[key] = codes.get(key, 0) + 1
    for (st, code), count in sorted(
        codes.items(), key=lambda kv: (_SEVERITY.get(kv[0][0], 3), -kv[1], kv[0][1])
    ):
        rows.append({"status": st, "reason": code, "count": count})
    return pd.DataFrame(rows, columns=["status", "reason", "count"])


# --------------------------------------------------------------------------- readers


def _read_csv(path_or_buffer: PathOrBuffer, what: str) -> pd.DataFrame:
    sep = "\t" if str(path_or_buffer).lower().endswith(".tsv") else ","
    try:
        return pd.read_csv(
            path_or_buffer,
            sep=sep,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            engine="pyarrow" if _is_path(path_or_buffer) else "c",
        )
    except FileNotFoundError:
        raise
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError, OSError) as exc:
        raise DataError(f"cannot read {what} CSV {_name(path_or_buffer)}: {exc}") from exc


def _is_path(obj: Any) -> bool:
    return isinstance(obj, (str, os.PathLike))


def _name(obj: Any) -> str:
    return str(obj) if _is_path(obj) else f"<{type(obj).__name__}>"


def _resolve_mapping(
    table: pd.DataFrame,
    defaults: Mapping[str, str],
    columns: Mapping[str, str] | None,
) -> dict[str, str]:
    mapping = dict(defaults)
    if columns:
        unknown = [k for k in columns if k not in EVENT_COLUMNS and k not in ("lon", "lat")]
        if unknown:
            raise InputError(
                f"columns= maps unknown schema column(s) {unknown}; valid keys: "
                f"{[*EVENT_COLUMNS, 'lon', 'lat']}"
            )
        mapping.update(columns)
    return mapping


def _assemble(
    table: pd.DataFrame,
    mapping: Mapping[str, str],
    derived: Mapping[str, pd.Series],
    keep_extra: bool,
) -> pd.DataFrame:
    data: dict[str, Any] = {}
    for name, src in mapping.items():
        if src in table.columns:
            data[name] = table[src]
    data.update(derived)
    frame = pd.DataFrame(data, index=table.index)
    if keep_extra:
        used = set(mapping.values())
        for col in table.columns:
            if col not in used and col not in frame.columns:
                frame[col] = table[col]
    return frame


def read_acled(
    path_or_buffer: PathOrBuffer,
    *,
    columns: Mapping[str, str] | None = None,
    strict: bool = False,
    keep_extra: bool = True,
    study_area: tuple[float, float, float, float] | None = STUDY_AREA,
) -> gpd.GeoDataFrame:
    """Read an ACLED CSV export into the events schema.

    ``event_id_cnty`` → ``event_id``, ``event_date`` → ``date`` (= ``date_end``),
    ``time_precision`` → ``date_precision``, ``location`` → ``place``,
    ``actor1`` / ``actor2`` → ``actor`` / ``actor2``, ``civilian_targeting`` →
    ``civilian_target`` (and ``target`` "civilians"), ``geo_precision`` kept and
    translated to ``where_prec`` and ``uncertainty_m`` (see the module notes),
    ``country`` (name) → ISO alpha-2. Other ACLED columns (``sub_event_type``,
    ``admin2``, ``inter1``...) are kept after the schema columns unless
    ``keep_extra=False``.

    Parameters
    ----------
    path_or_buffer : path or file-like
        The CSV.
    columns : mapping, optional
        Override of :data:`ACLED_COLUMNS` (schema column -> CSV column).
    strict : bool
        Raise :class:`DataError` at the first bad row instead of flagging it.
    keep_extra : bool
        Keep the export's other columns.
    study_area : tuple or None
        See :func:`validate_events`.

    Examples
    --------
    >>> import io
    >>> csv = io.StringIO(
    ...     "event_id_cnty,event_date,time_precision,event_type,actor1,actor2,"
    ...     "civilian_targeting,country,admin1,location,latitude,longitude,"
    ...     "geo_precision,source,notes,fatalities\\n"
    ...     "SYR1,2023-02-17,1,Violence against civilians,Islamic State (Syria),"
    ...     "Civilians (Syria),Civilian targeting,Syria,Homs,As Sukhnah,34.8868,38.8719,"
    ...     "2,SOHR,truffle hunters attacked,53\\n")
    >>> ev = read_acled(csv)
    >>> row = ev.loc[0]
    >>> row["event_id"], row["country"], int(row["fatalities"]), float(row["uncertainty_m"])
    ('SYR1', 'SY', 53, 25000.0)
    >>> row["target"], bool(row["civilian_target"]), row["status"]
    ('civilians', True, 'ok')
    """
    table = _read_csv(path_or_buffer, "ACLED")
    mapping = _resolve_mapping(table, ACLED_COLUMNS, columns)
    require_columns(
        table,
        [mapping.get(k, k) for k in ("event_id", "date", "lat", "lon")],
        what=f"ACLED file {_name(path_or_buffer)}",
        hint="Is this an ACLED export? Pass columns={schema: csv column} to map other names",
    )
    derived: dict[str, pd.Series] = {}
    if "date" in mapping and mapping["date"] in table.columns:
        derived["date_end"] = table[mapping["date"]]
    if mapping.get("country") in table.columns:
        derived["country"] = _country_code(table[mapping["country"]])
    civ_col = mapping.get("civilian_target")
    civ = (
        _as_string(table[civ_col]).str.lower().str.contains("civilian").fillna(False)
        if civ_col in table.columns
        else pd.Series(False, index=table.index)
    )
    a2 = mapping.get("actor2")
    if a2 in table.columns:
        civ = civ | _as_string(table[a2]).str.startswith("Civilians").fillna(False)
    if civ_col in table.columns or a2 in table.columns:
        derived["civilian_target"] = civ.astype("boolean")
        derived["target"] = pd.Series(
            np.where(civ.to_numpy(dtype=bool), "civilians", None),  # type: ignore[call-overload]
            index=table.index,
            dtype="string",
        )
    frame = _assemble(table, mapping, derived, keep_extra)
    return validate_events(frame, strict=strict, study_area=study_area)


def read_ucdp(
    path_or_buffer: PathOrBuffer,
    *,
    columns: Mapping[str, str] | None = None,
    strict: bool = False,
    keep_extra: bool = True,
    study_area: tuple[float, float, float, float] | None = STUDY_AREA,
) -> gpd.GeoDataFrame:
    """Read a UCDP GED CSV into the events schema.

    ``id`` → ``event_id``, ``date_start`` / ``date_end`` → ``date`` /
    ``date_end``, ``date_prec`` → ``date_precision`` (1 → 1, 2-3 → 2, 4-5 → 3),
    ``where_coordinates`` → ``place``, ``adm_1`` → ``admin1``, ``where_prec``
    kept and translated to ``geo_precision`` and ``uncertainty_m``, ``best`` →
    ``fatalities``, ``side_a`` / ``side_b`` → ``actor`` / ``actor2``,
    ``type_of_violence`` → ``event_type`` (3, one-sided violence, sets
    ``civilian_target`` and ``target`` "civilians"), ``source_original`` →
    ``source``, ``source_headline`` → ``notes``. Other columns are kept unless
    ``keep_extra=False``. Parameters as in :func:`read_acled`.

    Examples
    --------
    >>> import io
    >>> csv = io.StringIO(
    ...     "id,date_start,date_end,date_prec,where_prec,where_coordinates,adm_1,"
    ...     "latitude,longitude,side_a,side_b,best,low,high,type_of_violence,country\\n"
    ...     "480001,2023-02-17 00:00:00.000,2023-02-17 00:00:00.000,1,2,"
    ...     "As Sukhnah town,Homs governorate,34.8868,38.8719,IS,Civilians,68,60,70,3,Syria\\n")
    >>> ev = read_ucdp(csv)
    >>> row = ev.loc[0]
    >>> row["event_id"], int(row["fatalities"]), int(row["geo_precision"]), row["event_type"]
    ('480001', 68, 2, 'one-sided violence')
    """
    table = _read_csv(path_or_buffer, "UCDP GED")
    mapping = _resolve_mapping(table, UCDP_COLUMNS, columns)
    require_columns(
        table,
        [mapping.get(k, k) for k in ("event_id", "date", "lat", "lon")],
        what=f"UCDP GED file {_name(path_or_buffer)}",
        hint="Is this a UCDP GED CSV? Pass columns={schema: csv column} to map other names",
    )
    derived: dict[str, pd.Series] = {}
    if mapping.get("date_precision") in table.columns:
        prec = pd.to_numeric(table[mapping["date_precision"]], errors="coerce")
        derived["date_precision"] = prec.map(_UCDP_DATE_PREC, na_action="ignore").astype("Int8")
    if mapping.get("country") in table.columns:
        derived["country"] = _country_code(table[mapping["country"]])
    tv_col = mapping.get("event_type")
    if tv_col in table.columns:
        tv = pd.to_numeric(table[tv_col], errors="coerce")
        derived["event_type"] = (
            tv.map(_UCDP_VIOLENCE, na_action="ignore")
            .astype("string")
            .fillna(_as_string(table[tv_col]))
        )
        civ = (tv == 3).fillna(False)
        derived["civilian_target"] = civ.astype("boolean")
        derived["target"] = pd.Series(
            np.where(civ.to_numpy(dtype=bool), "civilians", None),  # type: ignore[call-overload]
            index=table.index,
            dtype="string",
        )
    if "source" not in (columns or {}) and mapping["source"] not in table.columns:
        derived["source"] = pd.Series("UCDP GED", index=table.index, dtype="string")
    frame = _assemble(table, mapping, derived, keep_extra)
    return validate_events(frame, strict=strict, study_area=study_area)


def _generic_mapping(names: Sequence[str], columns: Mapping[str, str] | None) -> dict[str, str]:
    lower = {str(c).lower(): str(c) for c in names}
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for schema, aliases in _GENERIC_ALIASES.items():
        for alias in aliases:
            if alias in lower and lower[alias] not in taken:
                mapping[schema] = lower[alias]
                taken.add(lower[alias])
                break
    if columns:
        unknown = [k for k in columns if k not in EVENT_COLUMNS and k not in ("lon", "lat")]
        if unknown:
            raise InputError(
                f"columns= maps unknown schema column(s) {unknown}; valid keys: "
                f"{[*EVENT_COLUMNS, 'lon', 'lat']}"
            )
        for k, v in columns.items():
            mapping = {kk: vv for kk, vv in mapping.items() if vv != v}
            mapping[k] = v
    return mapping


def _geocode_places(frame: pd.DataFrame, places: pd.Series) -> pd.DataFrame:
    """Fill lon/lat and precision columns of ``frame`` from the geocoder."""
    frame = frame.copy()
    frame["lon"] = np.nan
    frame["lat"] = np.nan
    reasons = pd.Series("", index=frame.index, dtype="object")
    statuses = pd.Series("ok", index=frame.index, dtype="object")
    has_name = _as_string(places).notna().to_numpy(dtype=bool)
    try:
        from desertgeo.geocoder import geocode
    except ImportError as exc:  # the geocoder module is part of desertgeo
        reasons[has_name] = f"not_geocoded (geocoder unavailable: {exc})"
        statuses[has_name] = "invalid"
    else:
        names = _as_string(places)[has_name].astype(str).tolist()
        if names:
            res = geocode(names)
            geoms = np.asarray(res.geometry.array, dtype=object)
            ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
            xs = np.full(len(geoms), np.nan)
            ys = np.full(len(geoms), np.nan)
            xs[ok] = shapely.get_x(geoms[ok])
            ys[ok] = shapely.get_y(geoms[ok])
            idx = frame.index[has_name]
            frame.loc[idx, "lon"] = xs
            frame.loc[idx, "lat"] = ys
            for col in ("geo_precision", "where_prec", "uncertainty_m", "country", "admin1"):
                if col in res.columns:
                    values = res[col].to_numpy()
                    if col in frame.columns:
                        current = frame.loc[idx, col]
                        frame.loc[idx, col] = current.where(current.notna(), values)
                    else:
                        frame[col] = pd.Series(pd.NA, index=frame.index, dtype="object")
                        frame.loc[idx, col] = values
            rstatus = res["status"].astype(str).to_numpy()
            rreason = res["reason"].fillna("").astype(str).str.replace("; ", ", ").to_numpy()
            rrule = res["rule"].fillna("").astype(str).to_numpy() if "rule" in res else None
            for i, label in enumerate(idx):
                if rstatus[i] == "unresolved" or not ok[i]:
                    statuses[label] = "invalid"
                    reasons[label] = f"not_geocoded ({names[i]!r}: {rreason[i] or 'no match'})"
                elif rstatus[i] == "ambiguous":
                    statuses[label] = "warning"
                    reasons[label] = f"geocode_ambiguous ({names[i]!r}: {rreason[i]})"
                elif rrule is not None and rrule[i] not in ("", "name"):
                    statuses[label] = "warning"
                    reasons[label] = f"geocoded ({names[i]!r} by rule {rrule[i]})"
    no_name = ~has_name
    reasons[no_name] = "no_place (no coordinates and no place name)"
    statuses[no_name] = "invalid"
    old_status = frame["status"] if "status" in frame.columns else None
    if old_status is None:
        frame["status"] = statuses.to_numpy()
        frame["reason"] = reasons.to_numpy()
    return frame


def _from_table(
    table: pd.DataFrame,
    *,
    columns: Mapping[str, str] | None,
    strict: bool,
    keep_extra: bool,
    study_area: tuple[float, float, float, float] | None,
    geocode_places: bool,
    what: str,
) -> gpd.GeoDataFrame:
    has_geometry = isinstance(table, gpd.GeoDataFrame) and table.geometry.name in table
    names = [c for c in table.columns if not (has_geometry and c == table.geometry.name)]
    mapping = _generic_mapping(names, columns)
    if has_geometry:
        mapping.pop("lon", None)
        mapping.pop("lat", None)
    frame = _assemble(pd.DataFrame(table[names]), mapping, {}, keep_extra)
    if has_geometry:
        assert isinstance(table, gpd.GeoDataFrame)
        frame = gpd.GeoDataFrame(frame, geometry=table.geometry.array, crs=table.crs)
    elif "lon" not in frame.columns or "lat" not in frame.columns:
        if "place" not in frame.columns:
            raise DataError(
                f"{what} has no coordinate columns (lon/lat, longitude/latitude, x/y) and no "
                f"place column to geocode; found {[str(c) for c in table.columns]}. Pass "
                "columns={'lon': ..., 'lat': ...} or columns={'place': ...}"
            )
        if not geocode_places:
            frame["status"] = "invalid"
            frame["reason"] = "not_geocoded (geocode=False)"
        else:
            frame = _geocode_places(frame, frame["place"])
    return validate_events(frame, strict=strict, study_area=study_area)


def _detect_format(path: PathOrBuffer, fmt: str | None) -> str:
    if fmt is not None:
        key = fmt.lower().replace("geoparquet", "parquet").replace("geopackage", "gpkg")
        if key not in FORMATS:
            raise InputError(f"unknown events format {fmt!r}; use one of {sorted(FORMATS)}")
        return key
    if not _is_path(path):
        raise InputError("format= is required when reading from a buffer")
    suffix = Path(str(path)).suffix.lower()
    for key, suffixes in FORMATS.items():
        if suffix in suffixes:
            return key
    raise InputError(
        f"cannot tell the format of {path!s} from its extension {suffix!r}; pass format= "
        f"(one of {sorted(FORMATS)})"
    )


def _sniff_csv(path: PathOrBuffer) -> str:
    if not _is_path(path):
        return "csv"
    try:
        with open(str(path), encoding="utf-8-sig", errors="replace") as handle:
            header = handle.readline().lower()
    except OSError:
        return "csv"
    fields = {f.strip().strip('"') for f in header.split(",")}
    if "event_id_cnty" in fields:
        return "acled"
    if {"date_start", "where_prec", "side_a"} <= fields:
        return "ucdp"
    return "csv"


def read_events(
    path: PathOrBuffer,
    format: str | None = None,
    columns: Mapping[str, str] | None = None,
    *,
    strict: bool = False,
    keep_extra: bool = True,
    study_area: tuple[float, float, float, float] | None = STUDY_AREA,
    geocode: bool = True,
) -> gpd.GeoDataFrame:
    """Read events from any supported file into the validated events schema.

    The format comes from ``format`` or the extension: ``.csv`` (an ACLED
    export or a UCDP GED CSV is recognised from its header, else a generic
    CSV), ``.geojson`` / ``.json``, ``.gpkg``, ``.parquet`` / ``.geoparquet``.

    A generic table's columns are matched to the schema by name (``lat`` /
    ``latitude`` / ``y``, ``lon`` / ``longitude`` / ``lng`` / ``x``, ``date``
    / ``event_date``, ``place`` / ``location``, ...); ``columns`` overrides
    (schema column -> file column). A CSV with a place column but no
    coordinates is geocoded through :func:`desertgeo.geocoder.geocode`
    (``geocode=False`` to skip: such rows are then invalid).

    Parameters
    ----------
    path : path or file-like
        The file (a buffer needs ``format``).
    format : {"acled", "ucdp", "csv", "geojson", "gpkg", "parquet"}, optional
    columns : mapping, optional
    strict, keep_extra, study_area
        See :func:`read_acled` and :func:`validate_events`.
    geocode : bool
        Geocode place names when a CSV has no coordinates.

    Returns
    -------
    GeoDataFrame
        EPSG:4326, the schema columns of :data:`EVENT_COLUMNS` then any extra
        columns; one row per input row.

    Examples
    --------
    >>> import desertgeo
    >>> ev = read_events(desertgeo.datasets.path("seed_events"))
    >>> sorted(ev["place"].dropna().unique())
    ['Haskeh', 'Palmyra', 'Raqqa', 'Sukhna']
    >>> str(ev["date"].dtype), ev.crs.to_epsg()
    ('datetime64[ns]', 4326)
    """
    key = _detect_format(path, format)
    if key == "csv":
        key = _sniff_csv(path)
    if key == "acled":
        return read_acled(
            path, columns=columns, strict=strict, keep_extra=keep_extra, study_area=study_area
        )
    if key == "ucdp":
        return read_ucdp(
            path, columns=columns, strict=strict, keep_extra=keep_extra, study_area=study_area
        )
    what = f"events file {_name(path)}"
    table: pd.DataFrame
    if key == "csv":
        table = _read_csv(path, "events")
    elif key == "parquet":
        try:
            table = gpd.read_parquet(path)
        except FileNotFoundError:
            raise
        except (ValueError, OSError, TypeError) as exc:
            try:
                table = pd.read_parquet(path)  # type: ignore[arg-type]
            except (ValueError, OSError, TypeError):
                raise DataError(f"cannot read {what} as (Geo)Parquet: {exc}") from exc
    else:
        import pyogrio.errors

        if _is_path(path) and not Path(str(path)).exists():
            raise FileNotFoundError(f"no such events file: {path}")
        try:
            # GeoJSON: keep date-like text as text (the schema parses its own dates)
            opts = {"DATE_AS_STRING": "YES"} if key == "geojson" else {}
            table = gpd.read_file(path, **opts)
        except (
            pyogrio.errors.DataSourceError,
            pyogrio.errors.DataLayerError,
            ValueError,
            OSError,
        ) as exc:
            raise DataError(f"cannot read {what} as {key}: {exc}") from exc
    if isinstance(table, gpd.GeoDataFrame) and table.crs is None:
        raise CRSError(f"{what} has no CRS; write it with one (EPSG:4326)")
    return _from_table(
        table,
        columns=columns,
        strict=strict,
        keep_extra=keep_extra,
        study_area=study_area,
        geocode_places=geocode,
        what=what,
    )


# --------------------------------------------------------------------------- writers


def write_events(
    events: gpd.GeoDataFrame,
    path: str | os.PathLike[str],
    format: str | None = None,
    *,
    csv_safe: bool = True,
) -> Path:
    """Write an events table; the format comes from ``format`` or the extension.

    CSV gets ``lon`` / ``lat`` columns instead of the geometry (dates as ISO
    8601); GeoJSON, GeoPackage (layer ``events``) and GeoParquet keep the
    geometry. :func:`read_events` reads every one of them back to the same
    rows and values.

    The write is atomic (:mod:`desertgeo._atomic`): the file is written under a
    temporary name in the target's folder and renamed over ``path`` only when it is
    complete, so a failure (a value that cannot be written, a full disk, a killed
    process) leaves an existing ``path`` whole and no partial file.

    Parameters
    ----------
    events : GeoDataFrame
        Events with a CRS (reprojected to EPSG:4326 for writing).
    path : str or os.PathLike
        The output file; its folder must exist.
    format : str, optional
        ``csv``, ``geojson``, ``gpkg`` or ``parquet`` (default: from the extension).
    csv_safe : bool, default True
        CSV only: text cells (and column names) that start with ``=``, ``+``, ``-``,
        ``@``, a tab or a carriage return get a leading ``'`` so that spreadsheets show
        them as text instead of running them as formulas (CSV injection, CWE-1236).
        Numbers are never changed, neither numeric columns nor text such as ``"-20"``;
        see :mod:`desertgeo._csvsafe` (its ``restore_cells`` undoes the quoting).
        ``False`` writes the text exactly as it is. Either way a carriage return inside
        a cell is quoted, so it never starts a new row.

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    InputError
        When the folder of ``path`` is missing or cannot be written, or the format is
        unknown.

    Examples
    --------
    >>> import tempfile, pathlib, desertgeo
    >>> ev = desertgeo.datasets.load("seed_events")
    >>> out = write_events(ev, pathlib.Path(tempfile.mkdtemp()) / "seed.csv")
    >>> len(read_events(out)) == len(ev)
    True
    >>> risky = ev.head(1).assign(notes='=HYPERLINK("http://x.example","open me")')
    >>> print(read_events(write_events(risky, out))["notes"].iloc[0])
    '=HYPERLINK("http://x.example","open me")
    >>> print(read_events(write_events(risky, out, csv_safe=False))["notes"].iloc[0])
    =HYPERLINK("http://x.example","open me")
    """
    if not isinstance(events, gpd.GeoDataFrame):
        raise InputError(f"events must be a GeoDataFrame, got {type(events).__name__}")
    if events.crs is None:
        raise CRSError("events have no CRS; set it (EPSG:4326) before writing")
    target = check_output_dir(path)
    key = _detect_format(target, format)
    frame = events.to_crs(4326) if events.crs.to_epsg() != 4326 else events
    with atomic_path(target) as tmp:
        if key in ("csv", "acled", "ucdp"):
            _write_csv(frame, tmp, csv_safe=csv_safe)
        elif key == "parquet":
            frame.to_parquet(tmp, index=False)
        else:
            _write_ogr(frame, tmp, key)
    return target


def _write_csv(frame: gpd.GeoDataFrame, tmp: Path, *, csv_safe: bool) -> None:
    """``write_events`` for CSV: lon/lat columns, ISO dates, formula-safe text."""
    geoms = np.asarray(frame.geometry.array, dtype=object)
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    lon = np.full(len(frame), np.nan)
    lat = np.full(len(frame), np.nan)
    lon[ok] = shapely.get_x(geoms[ok])
    lat[ok] = shapely.get_y(geoms[ok])
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    table["lon"] = lon
    table["lat"] = lat
    for col in table.columns:
        if pd.api.types.is_datetime64_any_dtype(table[col].dtype):
            table[col] = (
                table[col]
                .dt.strftime("%Y-%m-%dT%H:%M:%S")
                .str.replace("T00:00:00", "", regex=False)
            )
    if csv_safe:
        table = neutralise_cells(table)
    table.to_csv(tmp, index=False, **csv_options(table))


def _write_ogr(frame: gpd.GeoDataFrame, tmp: Path, key: str) -> None:
    """``write_events`` for GeoJSON / GeoPackage (through pyogrio)."""
    table = frame.copy()
    for col in table.columns:
        dtype = table[col].dtype
        if isinstance(dtype, pd.BooleanDtype):
            # OGR booleans cannot be null: write bool, or 1/0/null when there are NAs
            has_na = bool(table[col].isna().any())
            table[col] = table[col].astype("Int8" if has_na else bool)
        elif (
            isinstance(dtype, pd.StringDtype) or pd.api.types.is_object_dtype(dtype)
        ) and col != table.geometry.name:
            table[col] = table[col].astype(object).where(table[col].notna(), None)
    driver = "GeoJSON" if key == "geojson" else "GPKG"
    kwargs: dict[str, Any] = {"layer": "events"} if key == "gpkg" else {}
    table.to_file(tmp, driver=driver, engine="pyogrio", **kwargs)
