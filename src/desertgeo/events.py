"""The events table: schema, validation, readers and writers.

Every source of events (ACLED exports of every year's layout, UCDP GED CSV and
GeoJSON, the user's own spreadsheets, GeoJSON / GeoPackage / GeoParquet files,
news text through :func:`desertgeo.text.events_from_text`) becomes one
GeoDataFrame in EPSG:4326 with the columns of :data:`EVENT_COLUMNS`, one row per
input row, then the file's other columns, as given.

Validation loses nothing and changes no source value without evidence: every
input row comes out, with ``status`` ("ok", "warning" = usable but something
was fixed, assumed or looks doubtful, "invalid" = not usable) and ``reason``
(``"code (detail)"`` items joined by ``"; "``). :func:`summary`,
:func:`status_counts` and :func:`report_line` count them. ``strict=True``
raises :class:`DataError` at the first problem, naming the row, the column and
the value.

Source columns and derived columns
----------------------------------
Source values are never overwritten: ACLED's ``country`` (a name),
``civilian_targeting``, ``iso``, ``admin1``-``admin3``, actors, ``tags``,
``timestamp``, UCDP's ``type_of_violence`` and ``date_prec`` come out as the
file gives them (renamed only where the schema has its own name: ``location`` →
``place``, ``actor1`` → ``actor``, ``best`` → ``fatalities``...). Derived values
go in their own columns, listed in :data:`DERIVED_COLUMNS` (``country_code``,
``civilian_target``, ``target``, ``geocoded``, ``uncertainty_m``, UCDP
``event_type`` / ``date_precision``).

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
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from desertgeo._atomic import atomic_path, check_output_dir
from desertgeo._csvsafe import csv_options, neutralise_cells
from desertgeo._errors import DataError
from desertgeo._evidence import location_evidence
from desertgeo._readers import (
    ACLED_COLUMNS,
    FORMATS,
    UCDP_COLUMNS,
    ReadOptions,
    read_any,
)
from desertgeo._readers import detect_format as _detect_format
from desertgeo._schema import (
    ACLED_UNCERTAINTY_M,
    CHECKS,
    DERIVED_COLUMNS,
    EVENT_COLUMNS,
    STUDY_AREA,
    UCDP_UNCERTAINTY_M,
    empty_events,
    report_line,
    status_counts,
    summary,
    validate_frame,
)
from desertgeo._validate import DateOrderWarning, ensure_4326

__all__ = [
    "ACLED_COLUMNS",
    "ACLED_UNCERTAINTY_M",
    "CHECKS",
    "DERIVED_COLUMNS",
    "EVENT_COLUMNS",
    "FORMATS",
    "STUDY_AREA",
    "UCDP_COLUMNS",
    "UCDP_UNCERTAINTY_M",
    "DataError",
    "DateOrderWarning",
    "empty_events",
    "read_acled",
    "read_events",
    "read_ucdp",
    "report_line",
    "status_counts",
    "summary",
    "validate_events",
    "write_events",
]

PathOrBuffer = str | os.PathLike[str] | IO[str] | IO[bytes]
Area = tuple[float, float, float, float]


def validate_events(
    frame: pd.DataFrame,
    strict: bool = False,
    *,
    study_area: Area | None = STUDY_AREA,
    fix_swapped: bool = True,
    dayfirst: bool | None = None,
) -> gpd.GeoDataFrame:
    """Return a validated copy of ``frame`` in the events schema.

    Missing schema columns are added (empty), every column is cast to its
    schema dtype, extra columns are kept after the schema columns, and each row
    gets ``status`` / ``reason``. Existing ``status`` / ``reason`` values (a
    file written by desertgeo) are kept and merged with new findings. Nothing is
    dropped. The checks (:data:`CHECKS`), with the status they give:

    * geometry missing (``missing_coordinates``), out of range
      (``coordinates_out_of_range``) or at 0, 0 (``null_island``): invalid,
      geometry set to None;
    * a point outside ``study_area`` whose swapped point lies inside it: swapped
      back (``swapped_coordinates``, warning) only when the row's own country /
      iso / gwno / admin1 fields agree with the swapped point and not with the
      given one; otherwise kept as given and flagged ``possible_swap``
      (warning), or, when the fields confirm the given point,
      ``outside_study_area``;
    * outside ``study_area`` (``outside_study_area``): warning, unchanged;
    * date missing (``missing_date``), unparseable (``unparseable_date``) or
      only readable in the other day/month order than its column
      (``date_order_conflict``): invalid; a column that reads two ways
      (``05/06/2024``) gives ``ambiguous_date`` (warning) and one
      :class:`DateOrderWarning` with the count, unless ``dayfirst`` says;
      ``date_end`` before ``date``: warning, ``date_end`` set to ``date``.
      Times with a UTC offset keep their own calendar date;
    * negative fatalities (``negative_fatalities``), non-finite or absurd
      counts (``implausible_fatalities``, over a million, ``inf``): warning,
      set to <NA>; text (``unparseable_fatalities``): warning;
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
        Swap back the points whose location fields confirm the swap (default
        True); False keeps every point as given (flagged ``possible_swap``).
    dayfirst : bool or None
        Day/month order of numeric dates; None infers it from the column.

    Returns
    -------
    GeoDataFrame
        EPSG:4326, same index and row order as ``frame``.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({
    ...     "event_id": ["a", "b", "c", "c", "d"],
    ...     "date": ["2023-02-11", "2023-02-17", "not a date", "2023-02-18", "2023-02-18"],
    ...     "country": ["Syria", "Syria", "Syria", "Syria", "Cyprus"],
    ...     "lat": [34.55, 38.9, 34.9, 95.0, 35.17], "lon": [38.27, 34.5, 38.9, 38.0, 33.36],
    ...     "fatalities": [16, 68, -1, 0, float("inf")]})
    >>> ev = validate_events(raw)
    >>> ev["status"].tolist()
    ['ok', 'warning', 'invalid', 'invalid', 'warning']
    >>> print(ev.loc[1, "reason"])  # Syria: the swapped point fits, the given one does not
    swapped_coordinates (lat 38.9, lon 34.5 -> lat 34.5, lon 38.9: country/admin1 fit)
    >>> print(ev.loc[4, "reason"])  # Cyprus: kept where it is
    outside_study_area (lat 35.17, lon 33.36); implausible_fatalities (fatalities=inf, set to NA)
    >>> validate_events(raw, strict=True)
    Traceback (most recent call last):
    ...
    desertgeo._errors.DataError: row 1 (event_id 'b'), column 'lat', value 38.9: ...
    """
    return validate_frame(
        frame,
        strict,
        study_area=study_area,
        fix_swapped=fix_swapped,
        locate=location_evidence,
        dayfirst=dayfirst,
    )


def read_acled(
    path_or_buffer: PathOrBuffer,
    *,
    columns: Mapping[str, str] | None = None,
    strict: bool = False,
    keep_extra: bool = True,
    study_area: Area | None = STUDY_AREA,
    fix_swapped: bool = True,
    dayfirst: bool | None = None,
    encoding: str | None = None,
    sep: str | None = None,
) -> gpd.GeoDataFrame:
    """Read an ACLED CSV export (any year's layout) into the events schema.

    Headers are matched case-insensitively (the 2015 UPPERCASE export with
    ``GWNO`` / ``EVENT_ID_NO_CNTY`` / ``ALLY_ACTOR_1``, 2016-2019 with
    ``ally_actor_*`` / ``assoc_actor_*``, 2020 with ``data_id`` / ``iso3``,
    2022 with ``disorder_type`` / ``civilian_targeting``, 2024+ with text
    ``inter1`` / ``interaction``, ``tags``, ``timestamp``); dates in any of
    their styles (``2023-02-11``, ``01-January-2015``, Excel's ``9-May-20``,
    ``11/02/2023`` with one day/month order per column).

    ``event_id_cnty`` → ``event_id``, ``event_date`` → ``date`` (= ``date_end``),
    ``time_precision`` → ``date_precision``, ``location`` → ``place``,
    ``actor1`` / ``actor2`` → ``actor`` / ``actor2``, ``geo_precision`` kept and
    translated to ``where_prec`` and ``uncertainty_m``. ``country`` stays the
    name ACLED gives (``country_code`` is derived); ``civilian_targeting`` stays
    as given (``civilian_target`` / ``target`` are derived from it, ``actor2``
    "Civilians (...)" and ``inter2`` 7). Every other column is kept as given
    (unless ``keep_extra=False``).

    Parameters
    ----------
    path_or_buffer : path or file-like
        The CSV (UTF-8 with or without BOM, UTF-16; ``,`` ``;`` tab or ``|``).
    columns : mapping, optional
        Override of :data:`ACLED_COLUMNS` (schema column -> CSV column).
    strict : bool
        Raise :class:`DataError` at the first bad row instead of flagging it.
    keep_extra : bool
        Keep the export's other columns.
    study_area, fix_swapped, dayfirst
        See :func:`validate_events`.
    encoding, sep : str, optional
        Text encoding (detected: BOMs, UTF-16; else UTF-8) and separator
        (detected from the header line).

    Examples
    --------
    >>> import io
    >>> csv = io.StringIO(
    ...     "EVENT_ID_CNTY,EVENT_DATE,TIME_PRECISION,EVENT_TYPE,ACTOR1,ACTOR2,"
    ...     "civilian_targeting,COUNTRY,ADMIN1,LOCATION,LATITUDE,LONGITUDE,"
    ...     "GEO_PRECISION,SOURCE,NOTES,FATALITIES\\n"
    ...     "SYR1,17-February-2023,1,Violence against civilians,Islamic State (Syria),"
    ...     "Civilians (Syria),Civilian targeting,Syria,Homs,As Sukhnah,34.8868,38.8719,"
    ...     "2,SOHR,truffle hunters attacked,53\\n")
    >>> ev = read_acled(csv)
    >>> row = ev.loc[0]
    >>> row["event_id"], str(row["date"].date()), row["country"], row["country_code"]
    ('SYR1', '2023-02-17', 'Syria', 'SY')
    >>> int(row["fatalities"]), float(row["uncertainty_m"]), row["civilian_targeting"]
    (53, 25000.0, 'Civilian targeting')
    >>> row["target"], bool(row["civilian_target"]), row["status"]
    ('civilians', True, 'ok')
    """
    opts = ReadOptions(
        columns=columns,
        strict=strict,
        keep_extra=keep_extra,
        study_area=study_area,
        fix_swapped=fix_swapped,
        dayfirst=dayfirst,
        encoding=encoding,
        sep=sep,
    )
    return read_any(path_or_buffer, "csv", opts, layout="acled")


def read_ucdp(
    path_or_buffer: PathOrBuffer,
    *,
    columns: Mapping[str, str] | None = None,
    strict: bool = False,
    keep_extra: bool = True,
    study_area: Area | None = STUDY_AREA,
    fix_swapped: bool = True,
    dayfirst: bool | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    format: str = "csv",
) -> gpd.GeoDataFrame:
    """Read a UCDP GED CSV (or, with ``format="geojson"``, GeoJSON) into the events schema.

    ``id`` → ``event_id``, ``date_start`` / ``date_end`` → ``date`` /
    ``date_end``, ``where_coordinates`` → ``place``, ``adm_1`` → ``admin1``,
    ``where_prec`` kept and translated to ``geo_precision`` and
    ``uncertainty_m``, ``best`` → ``fatalities``, ``side_a`` / ``side_b`` →
    ``actor`` / ``actor2``, ``source_original`` → ``source``,
    ``source_headline`` → ``notes``. Derived: ``date_precision`` from
    ``date_prec`` (1 → 1, 2-3 → 2, 4-5 → 3), ``event_type`` from
    ``type_of_violence`` (3, one-sided violence, also sets ``civilian_target``
    and ``target`` "civilians"); both codes stay in their own columns. The CSV
    and the GeoJSON of the same events give the same schema columns.
    Parameters as in :func:`read_acled`.

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
    >>> int(row["type_of_violence"]), row["country"], row["country_code"]
    (3, 'Syria', 'SY')
    """
    opts = ReadOptions(
        columns=columns,
        strict=strict,
        keep_extra=keep_extra,
        study_area=study_area,
        fix_swapped=fix_swapped,
        dayfirst=dayfirst,
        encoding=encoding,
        sep=sep,
    )
    return read_any(path_or_buffer, _detect_format(path_or_buffer, format), opts, layout="ucdp")


def read_events(
    path: PathOrBuffer,
    format: str | None = None,
    columns: Mapping[str, str] | None = None,
    *,
    strict: bool = False,
    keep_extra: bool = True,
    study_area: Area | None = STUDY_AREA,
    geocode: bool = True,
    fix_swapped: bool = True,
    dayfirst: bool | None = None,
    encoding: str | None = None,
    sep: str | None = None,
    layer: str | None = None,
) -> gpd.GeoDataFrame:
    """Read events from any supported file into the validated events schema.

    The format comes from ``format`` or the extension: ``.csv`` / ``.tsv`` /
    ``.txt`` (also packed: ``.zip`` with one CSV, ``.csv.gz``, ``.csv.bz2``),
    ``.geojson`` / ``.json`` (GeoJSON, or a JSON list of records / an API answer
    such as ACLED's ``{"data": [...]}``), ``.gpkg``, ``.parquet`` /
    ``.geoparquet``. In every format the layout is recognised from the column
    names (case-insensitive): an ACLED export (any year), a UCDP GED table
    (CSV or GeoJSON), else a generic table, whose columns are matched to the
    schema by name (``lat`` / ``latitude`` / ``y``, ``lon`` / ``longitude`` /
    ``lng`` / ``x``, ``date`` / ``event_date``, ``place`` / ``location``, ...);
    ``columns`` overrides (schema column -> file column).

    A generic table with a place column and no coordinates, or with some rows
    whose coordinates are blank, is geocoded through
    :func:`desertgeo.geocoder.geocode` for those rows (``geocoded`` is True
    there; ``geocode=False`` to skip: rows without coordinates are invalid).

    Parameters
    ----------
    path : path or file-like
        The file (a buffer needs ``format``).
    format : {"acled", "ucdp", "csv", "geojson", "gpkg", "parquet"}, optional
    columns : mapping, optional
    strict, keep_extra, study_area, fix_swapped, dayfirst, encoding, sep
        See :func:`read_acled` and :func:`validate_events`.
    geocode : bool
        Geocode place names where a generic table has no coordinates.
    layer : str, optional
        The layer of a multi-layer GeoPackage (default: the only layer, else
        the one named ``events``; otherwise an error lists the layers).

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
    layout = key if key in ("acled", "ucdp") else None
    opts = ReadOptions(
        columns=columns,
        strict=strict,
        keep_extra=keep_extra,
        study_area=study_area,
        fix_swapped=fix_swapped,
        dayfirst=dayfirst,
        geocode=geocode,
        encoding=encoding,
        sep=sep,
        layer=layer,
    )
    return read_any(path, "csv" if layout else key, opts, layout=layout)


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
    frame = ensure_4326(events, what="events")
    target = check_output_dir(path)
    key = _detect_format(target, format, reading=False)
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
