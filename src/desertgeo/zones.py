"""Dated control-zone snapshots and the zone in force at each event's date.

A *snapshot* is a set of non-overlapping polygons (zones), each with a
``controller``, valid from ``valid_from`` (inclusive) to ``valid_to``
(exclusive); :func:`snapshot_at` is the one place where that rule lives. The
shipped snapshots (dataset ``zones``) cover every day from 2014-01-01 on and are
**approximate, not authoritative**: :mod:`desertgeo.zonebuild` makes them
(``scripts/build_zones.py``) from the reviewable, dated tables in
``data/zones/`` (control points, each with its own validity, controller,
confidence and dated source; the Euphrates line; enclaves; the 55 km al-Tanf
circle), and every zone carries its source, a confidence, ``error_km`` and
``approximate=True``. Controllers have stable keys (``controller_key``) and a
crosswalk series (``controller_series``, e.g. ``state`` across 8 December
2024). Date ranges that nobody can describe are explicit gaps
(:func:`list_snapshots`), never guessed.

Examples
--------
>>> import geopandas as gpd
>>> import pandas as pd
>>> from shapely import Point
>>> from desertgeo.zones import assign_zones
>>> events = gpd.GeoDataFrame(
...     {"date": pd.to_datetime(["2023-02-17", "2023-02-17", "2024-12-01"])},
...     geometry=[Point(39.008, 35.953), Point(38.284, 34.562), Point(38.284, 34.562)],
...     crs=4326,
... )
>>> out = assign_zones(events)
>>> out["controller"].tolist()
['SDF', 'Syrian government', 'Syrian government']
>>> out["zone_status"].tolist()
['ok', 'ok', 'ok']
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from os import PathLike
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from desertgeo._errors import InputError, ZoneError
from desertgeo._geodesy import GEOD, METRIC_CRS, metric_transformer
from desertgeo._validate import ensure_4326, require_crs, require_geodataframe

__all__ = [
    "ZONE_COLUMNS",
    "ZONE_STATUSES",
    "assign_zones",
    "list_snapshots",
    "load_zones",
    "snapshot_at",
    "zone_shares",
    "zone_status_counts",
    "zone_summary",
]

#: Columns of a control-zone frame (CONTRIBUTING.md schema).
ZONE_COLUMNS = [
    "zone_id",
    "snapshot",
    "controller",
    "valid_from",
    "valid_to",
    "confidence",
    "approximate",
    "source",
    "notes",
    "geometry",
]

#: Values of the ``zone_status`` column written by :func:`assign_zones`.
ZONE_STATUSES = ("ok", "no snapshot for date", "outside zones", "no date", "no geometry")

_REQUIRED = ("zone_id", "snapshot", "controller", "valid_from", "geometry")
_UTM = METRIC_CRS
#: overlaps (and gaps) smaller than this are numerical slivers, not errors (m^2)
_SLIVER_M2 = 1e5


def _row_name(frame: pd.DataFrame, pos: int) -> str:
    zid = frame["zone_id"].iloc[pos] if "zone_id" in frame.columns else None
    return f"row {frame.index[pos]!r} (zone_id {zid!r})"


def _parse_date_column(frame: pd.DataFrame, column: str, *, required: bool) -> pd.Series:
    raw = frame[column]
    if pd.api.types.is_datetime64_any_dtype(raw):
        values = raw
    else:
        text = raw.astype("string").str.strip()
        values = pd.to_datetime(text, errors="coerce", format="ISO8601")
        bad = text.notna() & (text != "") & values.isna()
        if bad.any():
            pos = int(np.flatnonzero(bad.to_numpy())[0])
            raise ZoneError(
                f"zones: {_row_name(frame, pos)} has an unparseable {column} "
                f"{raw.iloc[pos]!r}; write dates as YYYY-MM-DD"
            )
    values = pd.to_datetime(values).astype("datetime64[ns]")
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_localize(None)
    if required and values.isna().any():
        pos = int(np.flatnonzero(values.isna().to_numpy())[0])
        raise ZoneError(f"zones: {_row_name(frame, pos)} has no {column}; every zone needs one")
    return values


def load_zones(
    source: str | PathLike[str] | gpd.GeoDataFrame | None = None,
    *,
    repair: bool = True,
    extent: Any = "syria",
    gap_km2: float = 100.0,
) -> gpd.GeoDataFrame:
    """Load and validate control-zone snapshots.

    Parameters
    ----------
    source : path, GeoDataFrame or None
        A file readable by geopandas (GeoJSON, GPKG, ...), a GeoDataFrame, or
        ``None`` for the shipped approximate snapshots (dataset ``zones``).
    repair : bool, default True
        Repair invalid polygons with ``shapely.make_valid`` and warn
        (``UserWarning`` naming the zones); ``False`` raises :class:`ZoneError`.
    extent : "syria", a polygon, or None
        Area each snapshot should cover; a snapshot leaving more than
        ``gap_km2`` of it uncovered triggers a ``UserWarning`` (events there get
        ``zone_status="outside zones"``). ``None`` skips the check.
    gap_km2 : float
        Uncovered area tolerated before warning.

    Returns
    -------
    GeoDataFrame
        EPSG:4326, the :data:`ZONE_COLUMNS` (``valid_from`` / ``valid_to`` as
        ``datetime64[ns]``; ``valid_to`` NaT = open-ended), ``controller_key``
        and ``controller_series`` (the controller itself when a file has none),
        ``error_km`` (NaN when unknown) plus any extra columns.

    Raises
    ------
    ZoneError
        Missing columns, unparseable dates, ``valid_to <= valid_from``, one
        snapshot with several date ranges, snapshots whose dates overlap,
        non-polygon or empty geometries, or zones of one snapshot that overlap
        (the message names the zones and the overlapping area).
    CRSError
        A frame or file without a CRS.

    Examples
    --------
    >>> from desertgeo.zones import load_zones
    >>> zones = load_zones()
    >>> str(zones["valid_from"].min().date())
    '2014-01-01'
    >>> bool(zones["approximate"].all())
    True
    >>> sorted(set(zones.loc[zones["controller_series"] == "state", "controller"]))
    ['Syrian government', 'Transitional government (HTS-led)', 'Transitional state authorities']
    """
    shipped = source is None
    if isinstance(source, gpd.GeoDataFrame) and source.attrs.get("desertgeo_zones_checked"):
        return source  # returned by load_zones already: not checked twice
    frame = _read_zones(source)
    if shipped and extent == "syria":
        extent = None  # the shipped snapshots are built to cover Syria exactly
    frame = _normalise_zone_columns(frame)
    if not shipped:
        # the shipped build is checked by tests/test_zones.py; user files are checked here
        _check_geometries(frame, repair=repair)
        _check_overlaps(frame)
    _check_dates(frame)
    if extent is not None:
        _check_gaps(frame, extent, gap_km2)
    cols = ZONE_COLUMNS + [c for c in frame.columns if c not in ZONE_COLUMNS]
    out = gpd.GeoDataFrame(frame[cols], geometry="geometry", crs=4326)
    out.attrs["desertgeo_zones_checked"] = True
    return out


def _read_zones(source: str | PathLike[str] | gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    """The zones frame of ``source`` in EPSG:4326, with the required columns."""
    if source is None:
        from desertgeo import datasets

        frame = datasets.load("zones")
    elif isinstance(source, gpd.GeoDataFrame):
        frame = source.copy()
    elif isinstance(source, pd.DataFrame):
        raise InputError("zones must be a GeoDataFrame (with polygon geometries), not a DataFrame")
    else:
        frame = gpd.read_file(source)
    missing = [c for c in _REQUIRED if c not in frame.columns]
    if missing:
        raise ZoneError(
            f"zones lack column(s) {missing}; found {list(frame.columns)}. "
            f"Expected {ZONE_COLUMNS} (valid_to may be empty for an open-ended snapshot)"
        )
    frame = ensure_4326(require_crs(frame, what="zones"), what="zones")
    if len(frame) == 0:
        raise ZoneError("zones: the frame is empty")
    return frame.copy()


def _normalise_zone_columns(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Defaults for the optional columns; ids, dates and texts checked and typed."""
    for col, default in (
        ("valid_to", pd.NaT),
        ("confidence", "unknown"),
        ("approximate", True),
        ("source", ""),
        ("notes", ""),
    ):
        if col not in frame.columns:
            frame[col] = default
    for col in ("zone_id", "snapshot", "controller"):
        values = frame[col].astype("string")
        empty = values.isna() | (values.str.strip() == "")
        if empty.any():
            pos = int(np.flatnonzero(empty.to_numpy())[0])
            raise ZoneError(f"zones: {_row_name(frame, pos)} has an empty {col}")
        frame[col] = values
    dup = frame["zone_id"].duplicated(keep=False)
    if dup.any():
        raise ZoneError(
            f"zones: zone_id must be unique; repeated: {sorted(set(frame['zone_id'][dup]))[:5]}"
        )
    frame["valid_from"] = _parse_date_column(frame, "valid_from", required=True)
    frame["valid_to"] = _parse_date_column(frame, "valid_to", required=False)
    bad = frame["valid_to"].notna() & (frame["valid_to"] <= frame["valid_from"])
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise ZoneError(
            f"zones: {_row_name(frame, pos)}: valid_to {frame['valid_to'].iloc[pos].date()} "
            f"is not after valid_from {frame['valid_from'].iloc[pos].date()} "
            "(valid_to is exclusive)"
        )
    frame["approximate"] = frame["approximate"].fillna(True).astype(bool)
    for col in ("confidence", "source", "notes"):
        frame[col] = frame[col].astype("string").fillna("")
    if "controller_key" not in frame.columns:
        frame["controller_key"] = frame["controller"]
    if "controller_series" not in frame.columns:
        frame["controller_series"] = frame["controller_key"]
    for col in ("controller_key", "controller_series"):
        frame[col] = frame[col].astype("string").fillna(frame["controller"])
    if "error_km" not in frame.columns:
        frame["error_km"] = np.nan
    frame["error_km"] = pd.to_numeric(frame["error_km"], errors="coerce").astype("float64")
    if "band" in frame.columns and not isinstance(frame["band"], gpd.GeoSeries):
        frame = frame.drop(columns="band")
    return frame


def _check_geometries(frame: gpd.GeoDataFrame, *, repair: bool) -> None:
    geoms = np.asarray(frame.geometry.array)
    for pos, geom in enumerate(geoms):
        if geom is None or shapely.is_empty(geom):
            raise ZoneError(f"zones: {_row_name(frame, pos)} has no geometry")
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise ZoneError(
                f"zones: {_row_name(frame, pos)} is a {geom.geom_type}; zones must be polygons"
            )
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        names = [_row_name(frame, int(p)) for p in np.flatnonzero(invalid)]
        reason = shapely.is_valid_reason(geoms[invalid][0])
        if not repair:
            raise ZoneError(
                f"zones: invalid geometry in {', '.join(names[:5])} ({reason}); "
                "fix it or load with repair=True"
            )
        fixed = []
        for geom in geoms[invalid]:
            parts = shapely.get_parts(shapely.make_valid(geom))
            polys = [p for p in parts if p.geom_type in ("Polygon", "MultiPolygon")]
            fixed.append(shapely.union_all(polys))
        geoms = geoms.copy()
        geoms[invalid] = fixed
        frame["geometry"] = gpd.GeoSeries(geoms, index=frame.index, crs=4326)
        warnings.warn(
            f"zones: repaired invalid geometry in {', '.join(names[:5])}"
            f"{' and more' if len(names) > 5 else ''} ({reason})",
            UserWarning,
            stacklevel=3,
        )


def _check_dates(frame: gpd.GeoDataFrame) -> None:
    spans = frame.groupby("snapshot", sort=False)[["valid_from", "valid_to"]].nunique(dropna=False)
    several = spans[(spans["valid_from"] > 1) | (spans["valid_to"] > 1)]
    if len(several):
        raise ZoneError(
            f"zones: snapshot {several.index[0]!r} has zones with different valid_from / "
            "valid_to; one snapshot has one date range"
        )
    table = frame.groupby("snapshot", sort=False)[["valid_from", "valid_to"]].first()
    table = table.sort_values("valid_from")
    ends = table["valid_to"].fillna(pd.Timestamp.max).to_numpy()
    starts = table["valid_from"].to_numpy()
    for i in range(len(table) - 1):
        if ends[i] > starts[i + 1]:
            raise ZoneError(
                f"zones: snapshots {table.index[i]!r} and {table.index[i + 1]!r} overlap in time "
                f"({table.index[i + 1]!r} starts {pd.Timestamp(starts[i + 1]).date()} before "
                f"{table.index[i]!r} ends); one date must have one snapshot"
            )


def _check_overlaps(frame: gpd.GeoDataFrame) -> None:
    for snap, grp in frame.groupby("snapshot", sort=False):
        geoms = np.asarray(grp.to_crs(_UTM).geometry.array)
        tree = shapely.STRtree(geoms)
        left, right = tree.query(geoms, predicate="intersects")
        keep = left < right
        for a, b in zip(left[keep], right[keep], strict=True):
            area = shapely.area(shapely.intersection(geoms[a], geoms[b]))
            if area > _SLIVER_M2:
                raise ZoneError(
                    f"zones: in snapshot {snap!r}, zones {grp['zone_id'].iloc[a]!r} and "
                    f"{grp['zone_id'].iloc[b]!r} overlap by {area / 1e6:.1f} km^2; zones of one "
                    "snapshot must not overlap (cut one out of the other)"
                )


def _check_gaps(frame: gpd.GeoDataFrame, extent: Any, gap_km2: float) -> None:
    if isinstance(extent, str):
        if extent != "syria":
            raise InputError(f"extent must be 'syria', a polygon or None, not {extent!r}")
        from desertgeo import datasets

        countries = datasets.load("countries", golan="syria")
        area_geom = countries.loc[countries["country"] == "SY"].geometry.union_all()
    else:
        area_geom = extent
    area_u = gpd.GeoSeries([area_geom], crs=4326).to_crs(_UTM).iloc[0]
    for snap, grp in frame.groupby("snapshot", sort=False):
        cover = grp.to_crs(_UTM).geometry.union_all()
        gap = shapely.area(shapely.difference(area_u, cover)) / 1e6
        if gap > gap_km2:
            warnings.warn(
                f"zones: snapshot {snap!r} leaves {gap:,.0f} km^2 of the extent uncovered; "
                "events there get zone_status 'outside zones'",
                UserWarning,
                stacklevel=3,
            )


def _snapshot_table(z: gpd.GeoDataFrame) -> pd.DataFrame:
    """One row per snapshot: name, valid_from, valid_to (NaT = open), in date order."""
    first = z.groupby("snapshot", sort=False).agg(
        valid_from=("valid_from", "first"), valid_to=("valid_to", "first")
    )
    return first.sort_values("valid_from").reset_index()


def _shipped_gaps() -> list[dict[str, Any]]:
    from desertgeo import datasets

    path = datasets.data_dir() / "zones" / "snapshots.csv"
    if not path.exists():
        return []
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    if "kind" not in table.columns:
        return []
    gaps = table[table["kind"] == "gap"]
    return [
        {
            "valid_from": pd.Timestamp(r["valid_from"]),
            "valid_to": pd.Timestamp(r["valid_to"]) if r["valid_to"] else pd.NaT,
            "label": r.get("label", ""),
            "source": r.get("source", ""),
        }
        for r in gaps.to_dict("records")
    ]


def list_snapshots(zones: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """One row per snapshot, in date order, with the uncovered date ranges between them.

    Returns
    -------
    DataFrame
        ``snapshot, valid_from, valid_to, n_zones, controllers, approximate,
        kind, label`` where ``kind`` is ``"snapshot"``, ``"gap"`` (an explicit
        gap of the shipped table: nobody can say who held what; ``label`` says
        why) or ``"uncovered"`` (a date range no snapshot covers). Events in
        either get ``"no snapshot for date"``.

    Examples
    --------
    >>> from desertgeo.zones import list_snapshots
    >>> t = list_snapshots()
    >>> str(t["valid_from"].iloc[0].date()), t["kind"].iloc[0]
    ('2014-01-01', 'snapshot')
    >>> bool(t["valid_to"].iloc[-1] is pd.NaT)  # the last snapshot is open-ended
    True
    """
    z = load_zones(zones, extent=None)
    rows = []
    for snap, grp in z.groupby("snapshot", sort=False):
        rows.append(
            {
                "snapshot": snap,
                "valid_from": grp["valid_from"].iloc[0],
                "valid_to": grp["valid_to"].iloc[0],
                "n_zones": len(grp),
                "controllers": "; ".join(sorted(grp["controller"].unique())),
                "approximate": bool(grp["approximate"].any()),
                "kind": "snapshot",
                "label": str(grp["period_label"].iloc[0]) if "period_label" in grp else "",
            }
        )
    gaps = _shipped_gaps() if zones is None else []
    table = pd.DataFrame(rows).sort_values("valid_from", ignore_index=True)
    out: list[dict[str, Any]] = []
    records = table.to_dict("records")
    for i, row in enumerate(records):
        out.append({str(k): v for k, v in row.items()})
        if i + 1 < len(records):
            end, nxt = row["valid_to"], records[i + 1]["valid_from"]
            if pd.notna(end) and end < nxt:
                gap = next((g for g in gaps if g["valid_from"] == end), None)
                out.append(
                    {
                        "snapshot": "(no snapshot)",
                        "valid_from": end,
                        "valid_to": nxt,
                        "n_zones": 0,
                        "controllers": "",
                        "approximate": False,
                        "kind": "gap" if gap is not None else "uncovered",
                        "label": "" if gap is None else str(gap["label"]),
                    }
                )
    return pd.DataFrame(out)


def snapshot_at(zones: gpd.GeoDataFrame | None, date: Any) -> gpd.GeoDataFrame:
    """The zones of the snapshot in force on ``date``.

    The validity rule is ``valid_from <= date < valid_to`` (``valid_to`` NaT =
    open-ended), on the calendar date (a timezone-aware date counts in its own
    offset). Maps, plots and :func:`assign_zones` all use this rule.

    Parameters
    ----------
    zones : GeoDataFrame or None
        Zones (any frame with ``valid_from`` / ``valid_to``), or ``None`` for the
        shipped snapshots.
    date : str, datetime or Timestamp

    Returns
    -------
    GeoDataFrame
        The rows in force (empty, with the same columns, when no snapshot covers
        the date).

    Raises
    ------
    InputError
        A date that cannot be read.

    Examples
    --------
    >>> from desertgeo.zones import snapshot_at
    >>> z = snapshot_at(None, "2015-06-01")
    >>> "Islamic State" in set(z["controller"])
    True
    >>> snapshot_at(None, "2024-12-08")["snapshot"].iloc[0]
    '2024-12-08'
    """
    z = load_zones(zones, extent=None) if zones is None else zones
    day = _one_date(date)
    start = pd.to_datetime(z["valid_from"])
    end = (
        pd.to_datetime(z["valid_to"])
        if "valid_to" in z.columns
        else pd.Series(pd.NaT, index=z.index)
    )
    if getattr(start.dt, "tz", None) is not None:
        start = start.dt.tz_localize(None)
    if getattr(end.dt, "tz", None) is not None:
        end = end.dt.tz_localize(None)
    keep = (start <= day) & (end.isna() | (day < end))
    return z[keep.to_numpy()]


def _one_date(date: Any) -> pd.Timestamp:
    try:
        day = pd.Timestamp(date)
    except (ValueError, TypeError) as exc:
        raise InputError(f"date {date!r} cannot be read ({exc}); use YYYY-MM-DD") from None
    if pd.isna(day):
        raise InputError(f"date {date!r} is missing; use YYYY-MM-DD")
    if day.tzinfo is not None:
        day = day.tz_localize(None)
    return day.normalize() if day != day.normalize() else day


def _event_xy(events: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    require_geodataframe(events, what="events")
    geo = ensure_4326(events.geometry, what="events")
    arr = np.asarray(geo.array)
    missing = shapely.is_missing(arr) | shapely.is_empty(arr)
    x = np.full(len(arr), np.nan)
    y = np.full(len(arr), np.nan)
    ok = ~missing
    types = shapely.get_type_id(arr[ok])
    if np.any(types != 0):
        raise InputError("events must be points (use .representative_point() for polygons)")
    x[ok] = shapely.get_x(arr[ok])
    y[ok] = shapely.get_y(arr[ok])
    bad = ~(np.isfinite(x) & np.isfinite(y))
    x[bad] = np.nan
    y[bad] = np.nan
    return x, y


def _event_dates(events: pd.DataFrame, date_column: str) -> pd.Series:
    """Calendar dates (the date in each value's own offset), NaT where unreadable."""
    if date_column not in events.columns:
        raise InputError(
            f"events lack the date column {date_column!r}; pass date_column=... "
            f"(columns: {list(events.columns)})"
        )
    from desertgeo._validate import parse_dates

    raw = events[date_column]
    if not pd.api.types.is_datetime64_any_dtype(raw.dtype):
        # each value's own offset: keep its wall-clock date (no conversion to UTC)
        raw = raw.map(_naive, na_action="ignore")
    dates, _bad = parse_dates(pd.Series(raw, index=events.index))
    return dates.dt.normalize().astype("datetime64[ns]")


_OFFSET = re.compile(r"(?<=\d)(?:Z|[+-]\d{2}:?\d{2})$")


def _naive(value: Any) -> Any:
    if isinstance(value, str):
        return _strip_offset(value)
    if getattr(value, "tzinfo", None) is not None:
        return value.replace(tzinfo=None)
    return value


def _strip_offset(text: str) -> str:
    text = text.strip()
    return _OFFSET.sub("", text) if "T" in text or " " in text else text


def _snapshot_positions(z: gpd.GeoDataFrame, dates: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Index (into the snapshot table) of the snapshot in force on each date, -1 if none."""
    table = _snapshot_table(z)
    starts = table["valid_from"].to_numpy(dtype="datetime64[ns]")
    ends = table["valid_to"].to_numpy(dtype="datetime64[ns]")
    pos = np.searchsorted(starts, dates, side="right") - 1
    ok = (pos >= 0) & ~np.isnat(dates)
    safe = np.clip(pos, 0, None)
    end = ends[safe]
    ok &= np.isnat(end) | (dates < end)
    pos = np.where(ok, pos, -1)
    return pos, table["snapshot"].tolist()


def _zone_band(z: gpd.GeoDataFrame, rows: np.ndarray) -> list[Any]:
    """The ring of ``error_km`` outside each zone (shipped in ``band``, else computed)."""
    if "band" in z.columns:
        return list(np.asarray(z["band"].array)[rows])
    out: list[Any] = []
    to_utm = metric_transformer()
    to_wgs = metric_transformer(inverse=True)
    geoms = np.asarray(z.geometry.array)[rows]
    errs = z["error_km"].to_numpy(dtype=float)[rows]
    for geom, err in zip(geoms, errs, strict=True):
        if not np.isfinite(err) or err <= 0:
            out.append(None)
            continue
        g = shapely.transform(geom, to_utm.transform, interleaved=False)
        ring = shapely.difference(g.buffer(err * 1000, quad_segs=4), g).simplify(100)
        out.append(shapely.transform(ring, to_wgs.transform, interleaved=False))
    return out


def _hits(geom: Any, ex: np.ndarray, ey: np.ndarray, todo: np.ndarray) -> np.ndarray:
    """Positions (into ex/ey) among ``todo`` that fall in ``geom`` (bbox prefilter)."""
    minx, miny, maxx, maxy = shapely.bounds(geom)
    cand = np.flatnonzero(todo & (ex >= minx) & (ex <= maxx) & (ey >= miny) & (ey <= maxy))
    if cand.size == 0:
        return cand
    shapely.prepare(geom)
    return cand[shapely.intersects_xy(geom, ex[cand], ey[cand])]


def assign_zones(
    events: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame | str | PathLike[str] | None = None,
    *,
    date_column: str = "date",
    shares: bool = False,
    boundary: bool = True,
) -> gpd.GeoDataFrame:
    """The control zone in force at each event's place and date.

    Events are grouped by the snapshot in force at their date (the rule of
    :func:`snapshot_at`); within a snapshot each zone is tested with
    ``shapely.intersects_xy`` on the events inside its bounding box (no spatial
    join of everything, memory bounded by one snapshot's events).

    Parameters
    ----------
    events : GeoDataFrame
        Point events with a CRS and a date column (timezone-aware dates count in
        their own offset). Any index, unique or not.
    zones : GeoDataFrame, path or None
        Zones (validated with :func:`load_zones`, without the coverage check:
        uncovered ground gives ``"outside zones"``); default the shipped
        approximate snapshots.
    date_column : str, default "date"
    shares : bool, default False
        For events with ``uncertainty_m > 0``, also measure how the
        uncertainty disc (a geodesic circle) divides between controllers:
        ``zone_share`` (share of the disc in the assigned controller's zones)
        and ``zone_shares`` (``"controller=share; ..."``, largest first).
        See :func:`zone_shares` for the long table.
    boundary : bool, default True
        Flag events within a line's error band (the ``error_km`` of the
        neighbouring zone) of ground held by another controller:
        ``near_boundary`` and ``boundary_km`` (distance to that ground, measured
        in UTM 37N; NaN when the event is farther than the band).

    Returns
    -------
    GeoDataFrame
        A copy of ``events`` with ``zone_id``, ``controller``, ``snapshot``,
        ``zone_confidence``, ``zone_approximate``, ``zone_status`` (one of
        :data:`ZONE_STATUSES`), ``controller_key``, ``controller_series`` and
        (with ``boundary``) ``near_boundary`` / ``boundary_km``. Nothing is
        guessed: an event whose date no snapshot covers gets
        ``"no snapshot for date"``. ``out.attrs["zone_status_counts"]`` holds
        :func:`zone_status_counts`.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> from shapely import Point
    >>> from desertgeo import datasets
    >>> tanf = datasets.load("sites").set_index("site_id").loc["al-tanf-garrison"]
    >>> ev = gpd.GeoDataFrame({"date": [pd.Timestamp("2021-05-01")]},
    ...                       geometry=[tanf.geometry], crs=4326)
    >>> out = assign_zones(ev)
    >>> out["controller"].iloc[0], out["controller_series"].iloc[0]
    ('US-led coalition / Maghawir al-Thawra', 'coalition')
    """
    z = load_zones(zones, extent=None)
    x, y = _event_xy(events)
    dates = _event_dates(events, date_column).to_numpy()
    n = len(events)
    zone_pos = np.full(n, -1, dtype=np.int64)
    has_date = ~np.isnat(dates)
    has_geom = np.isfinite(x)
    snap_pos, snap_names = _snapshot_positions(z, dates)
    snaps = z.groupby("snapshot", sort=False).indices
    near = np.zeros(n, dtype=bool)
    dist_km = np.full(n, np.nan)
    keys = z["controller_key"].astype(str).to_numpy()
    # private copies: shapely.prepare() below changes the geometry objects in place, and the
    # zones frame may share them with a cached dataset used by other threads (GEOS prepared
    # geometries are not thread-safe)
    all_geoms = np.asarray(z.geometry.array)
    for s_i in np.unique(snap_pos[snap_pos >= 0]):
        rows = snaps[snap_names[s_i]]
        idx = np.flatnonzero((snap_pos == s_i) & has_geom)
        if idx.size == 0:
            continue
        z_geoms = shapely.from_wkb(shapely.to_wkb(all_geoms[rows]))
        ex, ey = x[idx], y[idx]
        todo = np.ones(idx.size, dtype=bool)
        for r, geom in zip(rows, z_geoms, strict=True):
            hit = _hits(geom, ex, ey, todo)
            zone_pos[idx[hit]] = r
            todo[hit] = False
        if boundary:
            _flag_boundary(z, rows, idx, ex, ey, zone_pos, keys, near, dist_km)
    status = np.full(n, "ok", dtype=object)
    status[zone_pos < 0] = "outside zones"
    status[(snap_pos < 0)] = "no snapshot for date"
    status[~has_geom] = "no geometry"
    status[~has_date] = "no date"
    out = events.copy()
    found = zone_pos >= 0

    def pick(col: str, dtype: str) -> pd.Series:
        values = np.full(n, None, dtype=object)
        values[found] = z[col].to_numpy()[zone_pos[found]]
        return pd.Series(values, index=events.index).astype(dtype)  # type: ignore[call-overload]

    out["zone_id"] = pick("zone_id", "string")
    out["controller"] = pick("controller", "string")
    snap_values = np.full(n, None, dtype=object)
    snap_values[snap_pos >= 0] = np.asarray(snap_names, dtype=object)[snap_pos[snap_pos >= 0]]
    out["snapshot"] = pd.Series(snap_values, index=events.index).astype("string")
    out["zone_confidence"] = pick("confidence", "string")
    out["zone_approximate"] = pick("approximate", "boolean")
    out["zone_status"] = pd.Series(status, index=events.index).astype("string")
    out["controller_key"] = pick("controller_key", "string")
    out["controller_series"] = pick("controller_series", "string")
    if boundary:
        out["near_boundary"] = pd.Series(near & found, index=events.index, dtype="boolean")
        out.loc[~found, "near_boundary"] = pd.NA
        out["boundary_km"] = pd.Series(np.where(found, dist_km, np.nan), index=events.index)
    if shares:
        long = _shares_long(events, z, x, y, dates, snap_pos, snap_names, "uncertainty_m")
        share = np.full(n, np.nan)
        text = np.full(n, None, dtype=object)
        if len(long):
            long = long.sort_values(["pos", "share"], ascending=[True, False], kind="stable")
            own = out["controller"].to_numpy(dtype=object)
            for p_key, grp in long.groupby("pos", sort=False):
                p = int(p_key)  # type: ignore[arg-type]
                text[p] = "; ".join(
                    f"{c}={s:.3f}" for c, s in zip(grp["controller"], grp["share"], strict=True)
                )
                share[p] = float(grp.loc[grp["controller"] == own[p], "share"].sum())
        out["zone_share"] = pd.Series(share, index=events.index, dtype="float64")
        out["zone_shares"] = pd.Series(text, index=events.index).astype("string")
    out.attrs["zone_status_counts"] = zone_status_counts(out)
    return out


def _flag_boundary(
    z: gpd.GeoDataFrame,
    rows: np.ndarray,
    idx: np.ndarray,
    ex: np.ndarray,
    ey: np.ndarray,
    zone_pos: np.ndarray,
    keys: np.ndarray,
    near: np.ndarray,
    dist_km: np.ndarray,
) -> None:
    """Flag events (positions ``idx``) lying in another controller's band; measure them."""
    own = np.where(zone_pos[idx] >= 0, keys[np.clip(zone_pos[idx], 0, None)], "")
    placed = zone_pos[idx] >= 0
    bands = _zone_band(z, rows)
    flagged = np.zeros(idx.size, dtype=bool)
    for r, band in zip(rows, bands, strict=True):
        if band is None or shapely.is_empty(band):
            continue
        band = shapely.from_wkb(shapely.to_wkb(band))
        hit = _hits(band, ex, ey, placed & (own != keys[r]))
        flagged[hit] = True
    if not flagged.any():
        return
    to_utm = metric_transformer()
    gx, gy = ex[flagged], ey[flagged]
    fx, fy = to_utm.transform(gx, gy)
    pts = shapely.points(fx, fy)
    f_own = own[flagged]
    best = np.full(pts.size, np.inf)
    geoms = np.asarray(z.geometry.array)[rows]
    for key in np.unique(f_own):
        mine = np.flatnonzero(f_own == key)
        others = [g for g, r in zip(geoms, rows, strict=True) if keys[r] != key]
        if not others:
            continue
        # whole zones reprojected (vertex by vertex, as they were built): the same answer
        # whatever other events are assigned with these
        utm = shapely.transform(np.array(others, dtype=object), to_utm.transform, interleaved=False)
        d = shapely.distance(pts[mine][:, None], utm[None, :]).min(axis=1)
        best[mine] = d
    pos = idx[flagged]
    near[pos] = True
    dist_km[pos] = best / 1000.0


def zone_status_counts(assigned: pd.DataFrame) -> dict[str, int]:
    """Counts per ``zone_status`` (every status listed, zeros included) and near the lines.

    Parameters
    ----------
    assigned : DataFrame
        Output of :func:`assign_zones`.

    Returns
    -------
    dict
        ``{status: count}`` for every :data:`ZONE_STATUSES`, plus ``"rows"``,
        ``"without zone"`` (rows whose status is not ``ok``) and
        ``"near_boundary"`` when that column exists. The CLI exits 1 when
        ``"without zone"`` is not 0.

    Examples
    --------
    >>> import pandas as pd
    >>> zone_status_counts(pd.DataFrame({"zone_status": ["ok", "no date", "ok"]}))["without zone"]
    1
    """
    if "zone_status" not in assigned.columns:
        raise InputError("the frame has no zone_status: run assign_zones first")
    status = assigned["zone_status"].astype("string")
    counts = {s: int((status == s).sum()) for s in ZONE_STATUSES}
    counts["rows"] = len(assigned)
    counts["without zone"] = int(len(assigned) - counts["ok"])
    if "near_boundary" in assigned.columns:
        counts["near_boundary"] = int(assigned["near_boundary"].fillna(False).astype(bool).sum())
    return counts


def _geodesic_disc(lon: float, lat: float, radius_m: float, n: int = 72) -> shapely.Polygon:
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    x, y, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, radius_m))
    return shapely.Polygon(np.column_stack([x, y]))


def _shares_long(
    events: pd.DataFrame,
    z: gpd.GeoDataFrame,
    x: np.ndarray,
    y: np.ndarray,
    dates: np.ndarray,
    snap_pos: np.ndarray,
    snap_names: list[str],
    uncertainty_column: str,
) -> pd.DataFrame:
    """Long shares table keyed by the event's *position* (``pos``), never its label."""
    if uncertainty_column not in events.columns:
        raise InputError(f"events lack {uncertainty_column!r}: no uncertainty to divide")
    radius = pd.to_numeric(events[uncertainty_column], errors="coerce").to_numpy(dtype=float)
    radius = np.where(np.isfinite(radius), radius, np.nan)
    to_utm = metric_transformer()
    snaps = z.groupby("snapshot", sort=False).indices
    frames = []
    big = radius > 500_000
    for s_i in np.unique(snap_pos[snap_pos >= 0]):
        snap = snap_names[s_i]
        rows = snaps[snap]
        ok = (snap_pos == s_i) & np.isfinite(x) & (np.nan_to_num(radius) > 0) & ~big
        idx = np.flatnonzero(ok)
        if idx.size == 0:
            continue
        grp = z.iloc[rows]
        geoms = shapely.transform(
            np.asarray(grp.geometry.array), to_utm.transform, interleaved=False
        )
        tree = shapely.STRtree(geoms)
        discs = np.array([_geodesic_disc(x[i], y[i], radius[i]) for i in idx], dtype=object)
        discs = shapely.transform(discs, to_utm.transform, interleaved=False)
        areas = shapely.area(discs)
        d_i, z_i = tree.query(discs, predicate="intersects")
        inter = shapely.area(shapely.intersection(discs[d_i], geoms[z_i]))
        frame = pd.DataFrame(
            {
                "pos": idx[d_i],
                "snapshot": snap,
                "controller": grp["controller"].to_numpy()[z_i],
                "share": inter / areas[d_i],
            }
        )
        frame = (
            frame.groupby(["pos", "snapshot", "controller"], sort=False)["share"]
            .sum()
            .reset_index()
        )
        covered = frame.groupby("pos", sort=False)["share"].sum().reindex(idx, fill_value=0.0)
        rest = 1.0 - covered
        rest = rest[rest > 1e-6]
        if len(rest):
            frame = pd.concat(
                [
                    frame,
                    pd.DataFrame(
                        {
                            "pos": rest.index.to_numpy(),
                            "snapshot": snap,
                            "controller": "(outside zones)",
                            "share": rest.to_numpy(),
                        }
                    ),
                ],
                ignore_index=True,
            )
        frames.append(frame)
    cols = ["pos", "snapshot", "controller", "share"]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
    out = out[out["share"] > 1e-9].reset_index(drop=True)
    out["pos"] = out["pos"].astype("int64")
    out["share"] = out["share"].astype("float64")
    return out


def zone_shares(
    events: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame | None = None,
    *,
    date_column: str = "date",
    uncertainty_column: str = "uncertainty_m",
) -> pd.DataFrame:
    """How each event's uncertainty disc divides between controllers.

    The disc is a geodesic circle of radius ``uncertainty_m`` (72 vertices);
    areas are measured in UTM 37N, where the ratio of two areas this small is
    exact to well under 0.1 %. The part of the disc outside every zone (e.g.
    across the border) gets controller ``"(outside zones)"``. Radii over 500 km
    (or not finite) are not divided.

    Returns
    -------
    DataFrame
        Long table ``event`` (index label), ``position`` (0-based row position
        in ``events``: unambiguous when the index has repeated labels),
        ``snapshot``, ``controller``, ``share`` (0-1; one event's shares sum to
        1). Events with no date, geometry, snapshot or positive uncertainty have
        no rows.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> from shapely import Point
    >>> ev = gpd.GeoDataFrame({"date": [pd.Timestamp("2023-03-01")], "uncertainty_m": [30000.0]},
    ...                       geometry=[Point(40.14, 35.34)], crs=4326)
    >>> s = zone_shares(ev)
    >>> sorted(s["controller"])
    ['SDF', 'Syrian government']
    >>> round(float(s["share"].sum()), 6)
    1.0
    """
    z = load_zones(zones, extent=None)
    if uncertainty_column not in events.columns:
        raise InputError(f"events lack {uncertainty_column!r}: no uncertainty to divide")
    x, y = _event_xy(events)
    dates = _event_dates(events, date_column).to_numpy()
    snap_pos, snap_names = _snapshot_positions(z, dates)
    long = _shares_long(events, z, x, y, dates, snap_pos, snap_names, uncertainty_column)
    out = pd.DataFrame(
        {
            "event": events.index[long["pos"].to_numpy()],
            "position": long["pos"].to_numpy(),
            "snapshot": long["snapshot"].astype("string").to_numpy(),
            "controller": long["controller"].astype("string").to_numpy(),
            "share": long["share"].to_numpy(),
        }
    )
    out["controller"] = out["controller"].astype("string")
    out["snapshot"] = out["snapshot"].astype("string")
    return out


def zone_summary(
    events: pd.DataFrame,
    by: str | Sequence[str] = "controller",
    period: str | None = "M",
    *,
    date_column: str = "date",
    fatalities_column: str = "fatalities",
) -> pd.DataFrame:
    """Events and fatalities per controller (or any column) and period.

    Parameters
    ----------
    events : DataFrame
        Output of :func:`assign_zones` (or any frame with the ``by`` columns).
    by : str or list of str, default "controller"
        Events without a value (no zone) are counted under ``"(no zone)"``.
    period : str or None, default "M"
        A pandas period alias (``"M"``, ``"Q"``, ``"Y"``, ``"W"``); ``None``
        for the whole time span.

    Returns
    -------
    DataFrame
        ``period`` (when asked), the ``by`` columns, ``events``,
        ``fatalities`` (sum of known values), ``share_events`` and
        ``share_fatalities`` (of the period's total; NaN when the period has
        no known fatalities).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"date": pd.to_datetime(["2023-02-11", "2023-02-17", "2023-03-01"]),
    ...                    "controller": ["Syrian government", "Syrian government", "SDF"],
    ...                    "fatalities": [16, 68, 2]})
    >>> zone_summary(df, period=None)[["controller", "events", "fatalities", "share_events"]]
              controller  events  fatalities  share_events
    0                SDF       1           2      0.333333
    1  Syrian government       2          84      0.666667
    """
    keys = [by] if isinstance(by, str) else list(by)
    for k in keys:
        if k not in events.columns:
            raise InputError(f"events lack {k!r}; run assign_zones first or choose another by")
    frame = pd.DataFrame(index=events.index)
    for k in keys:
        frame[k] = events[k].astype("string").fillna("(no zone)")
    if fatalities_column in events.columns:
        frame["fatalities"] = pd.to_numeric(events[fatalities_column], errors="coerce")
    else:
        frame["fatalities"] = np.nan
    frame["events"] = 1
    group = list(keys)
    if period is not None:
        dates = _event_dates(events, date_column)
        frame["period"] = dates.dt.to_period(period).astype("string").fillna("(no date)")
        group = ["period", *keys]
    out = frame.groupby(group, sort=True, dropna=False).agg(
        events=("events", "sum"), fatalities=("fatalities", "sum")
    )
    out["fatalities"] = out["fatalities"].astype("int64")
    out = out.reset_index()
    if period is not None:
        tot_e = out.groupby("period")["events"].transform("sum")
        tot_f = out.groupby("period")["fatalities"].transform("sum")
    else:
        tot_e = pd.Series(out["events"].sum(), index=out.index)
        tot_f = pd.Series(out["fatalities"].sum(), index=out.index)
    out["share_events"] = out["events"] / tot_e
    out["share_fatalities"] = (out["fatalities"] / tot_f.where(tot_f > 0)).astype("float64")
    return out
