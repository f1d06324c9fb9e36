"""Dated control-zone snapshots and the zone in force at each event's date.

A *snapshot* is a set of non-overlapping polygons (zones), each with a
``controller``, valid from ``valid_from`` (inclusive) to ``valid_to``
(exclusive). The shipped snapshots (dataset ``zones``: early 2023, mid 2024,
after 8 December 2024) are **approximate, not authoritative**: they are built
by ``scripts/build_zones.py`` from the reviewable tables in ``data/zones/``
(control points from the gazetteer, the Euphrates line, the 55 km al-Tanf
circle, ...), and every zone carries its source, a confidence and
``approximate=True``. Dates that no snapshot covers (e.g. the offensive of
27 November - 8 December 2024) are reported as such, never guessed.

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
['SDF', 'Syrian government', <NA>]
>>> out["zone_status"].tolist()
['ok', 'ok', 'no snapshot for date']
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from os import PathLike
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from desertgeo._errors import CRSError, InputError, ZoneError

__all__ = [
    "ZONE_COLUMNS",
    "ZONE_STATUSES",
    "assign_zones",
    "list_snapshots",
    "load_zones",
    "zone_shares",
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
_UTM = 32637
_GEOD = pyproj.Geod(ellps="WGS84")
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
        ``datetime64[ns]``; ``valid_to`` NaT = open-ended) plus any extra columns.

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
    >>> sorted(zones["snapshot"].unique())
    ['early-2023', 'mid-2024', 'post-dec-2024']
    >>> bool(zones["approximate"].all())
    True
    """
    if source is None:
        from desertgeo import datasets

        frame = datasets.load("zones")
        if extent == "syria":
            extent = None  # the shipped snapshots are built to cover Syria exactly
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
    if frame.crs is None:
        raise CRSError("zones have no CRS; set it, e.g. zones.set_crs(4326) for lon/lat")
    if not frame.crs.equals(pyproj.CRS.from_epsg(4326)):
        frame = frame.to_crs(4326)
    if len(frame) == 0:
        raise ZoneError("zones: the frame is empty")
    frame = frame.copy()
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
    _check_geometries(frame, repair=repair)
    _check_dates(frame)
    _check_overlaps(frame)
    if extent is not None:
        _check_gaps(frame, extent, gap_km2)
    cols = ZONE_COLUMNS + [c for c in frame.columns if c not in ZONE_COLUMNS]
    return gpd.GeoDataFrame(frame[cols], geometry="geometry", crs=4326)


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


def list_snapshots(zones: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """One row per snapshot, in date order, with the uncovered date ranges between them.

    Returns
    -------
    DataFrame
        ``snapshot, valid_from, valid_to, n_zones, controllers, approximate,
        kind`` where ``kind`` is ``"snapshot"`` or ``"gap"`` (a date range no
        snapshot covers: events then get ``"no snapshot for date"``).

    Examples
    --------
    >>> from desertgeo.zones import list_snapshots
    >>> t = list_snapshots()
    >>> t[["snapshot", "kind"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['early-2023', 'snapshot'], ['mid-2024', 'snapshot'],
     ['(no snapshot)', 'gap'], ['post-dec-2024', 'snapshot']]
    >>> str(t.loc[t["kind"] == "gap", "valid_from"].iloc[0].date())
    '2024-11-27'
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
            }
        )
    table = pd.DataFrame(rows).sort_values("valid_from", ignore_index=True)
    out: list[dict[str, Any]] = []
    records = table.to_dict("records")
    for i, row in enumerate(records):
        out.append({str(k): v for k, v in row.items()})
        if i + 1 < len(records):
            end, nxt = row["valid_to"], records[i + 1]["valid_from"]
            if pd.notna(end) and end < nxt:
                out.append(
                    {
                        "snapshot": "(no snapshot)",
                        "valid_from": end,
                        "valid_to": nxt,
                        "n_zones": 0,
                        "controllers": "",
                        "approximate": False,
                        "kind": "gap",
                    }
                )
    return pd.DataFrame(out)


def _event_xy(events: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(events, gpd.GeoDataFrame):
        raise InputError(f"events must be a GeoDataFrame, got {type(events).__name__}")
    if events.crs is None:
        raise CRSError("events have no CRS; set it, e.g. events.set_crs(4326) for lon/lat")
    geo = events.geometry
    if not geo.crs.equals(pyproj.CRS.from_epsg(4326)):
        geo = geo.to_crs(4326)
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
    return x, y


def _event_dates(events: pd.DataFrame, date_column: str) -> pd.Series:
    if date_column not in events.columns:
        raise InputError(
            f"events lack the date column {date_column!r}; pass date_column=... "
            f"(columns: {list(events.columns)})"
        )
    dates = pd.to_datetime(events[date_column], errors="coerce")
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)
    return dates.astype("datetime64[ns]")


def assign_zones(
    events: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame | str | PathLike[str] | None = None,
    *,
    date_column: str = "date",
    shares: bool = False,
) -> gpd.GeoDataFrame:
    """The control zone in force at each event's place and date.

    Events are grouped by the snapshot in force at their date; within a
    snapshot each zone is tested with ``shapely.intersects_xy`` on the events
    inside its bounding box (no spatial join of everything).

    Parameters
    ----------
    events : GeoDataFrame
        Point events with a CRS and a date column.
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

    Returns
    -------
    GeoDataFrame
        A copy of ``events`` with ``zone_id``, ``controller``, ``snapshot``,
        ``zone_confidence``, ``zone_approximate`` and ``zone_status`` (one of
        :data:`ZONE_STATUSES`). Nothing is guessed: an event whose date no
        snapshot covers gets ``"no snapshot for date"``.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> from shapely import Point
    >>> from desertgeo import datasets
    >>> tanf = datasets.load("sites").set_index("site_id").loc["al-tanf-garrison"]
    >>> ev = gpd.GeoDataFrame({"date": [pd.Timestamp("2024-05-01")]},
    ...                       geometry=[tanf.geometry], crs=4326)
    >>> assign_zones(ev)["controller"].iloc[0]
    'US-led coalition / Maghawir al-Thawra'
    """
    z = load_zones(zones, extent=None)
    x, y = _event_xy(events)
    dates = _event_dates(events, date_column).to_numpy()
    n = len(events)
    zone_pos = np.full(n, -1, dtype=np.int64)
    snap_pos = np.full(n, -1, dtype=np.int64)
    has_date = ~np.isnat(dates)
    has_geom = np.isfinite(x)
    snaps = z.groupby("snapshot", sort=False).indices
    # private copies: shapely.prepare() below changes the geometry objects in place, and the
    # zones frame may share them with a cached dataset used by other threads (GEOS prepared
    # geometries are not thread-safe)
    z_geoms = shapely.from_wkb(shapely.to_wkb(np.asarray(z.geometry.array)))
    snap_names = list(snaps)
    for s_i, (_snap, rows) in enumerate(snaps.items()):
        start = z["valid_from"].iloc[rows[0]].to_datetime64()
        end = z["valid_to"].iloc[rows[0]]
        in_time = has_date & (dates >= start)
        if pd.notna(end):
            in_time &= dates < end.to_datetime64()
        snap_pos[in_time] = s_i
        idx = np.flatnonzero(in_time & has_geom)
        if idx.size == 0:
            continue
        ex, ey = x[idx], y[idx]
        todo = np.ones(idx.size, dtype=bool)
        for r in rows:
            geom = z_geoms[r]
            minx, miny, maxx, maxy = shapely.bounds(geom)
            cand = np.flatnonzero(todo & (ex >= minx) & (ex <= maxx) & (ey >= miny) & (ey <= maxy))
            if cand.size == 0:
                continue
            shapely.prepare(geom)
            hit = cand[shapely.intersects_xy(geom, ex[cand], ey[cand])]
            zone_pos[idx[hit]] = r
            todo[hit] = False
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
    if shares:
        long = zone_shares(out, z, date_column=date_column)
        share = pd.Series(np.nan, index=events.index, dtype="float64")
        text = pd.Series(pd.NA, index=events.index, dtype="string")
        if len(long):
            for key, grp in long.groupby("event", sort=False):
                ordered = grp.sort_values("share", ascending=False)
                text.loc[key] = "; ".join(  # type: ignore[index]
                    f"{c}={s:.3f}"
                    for c, s in zip(ordered["controller"], ordered["share"], strict=True)
                )
                own = out.at[key, "controller"]
                share.loc[key] = float(  # type: ignore[index]
                    grp.loc[grp["controller"] == own, "share"].sum()
                )
        out["zone_share"] = share
        out["zone_shares"] = text
    return out


def _geodesic_disc(lon: float, lat: float, radius_m: float, n: int = 72) -> shapely.Polygon:
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    x, y, _ = _GEOD.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, radius_m))
    return shapely.Polygon(np.column_stack([x, y]))


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
    across the border) gets controller ``"(outside zones)"``.

    Returns
    -------
    DataFrame
        Long table ``event`` (index label), ``snapshot``, ``controller``,
        ``share`` (0-1; one event's shares sum to 1). Events with no date,
        geometry, snapshot or positive uncertainty have no rows.

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
    radius = pd.to_numeric(events[uncertainty_column], errors="coerce").to_numpy(dtype=float)
    to_utm = pyproj.Transformer.from_crs(4326, _UTM, always_xy=True)
    z_utm = z.to_crs(_UTM)
    rows: list[dict[str, Any]] = []
    for snap, grp in z_utm.groupby("snapshot", sort=False):
        start = grp["valid_from"].iloc[0].to_datetime64()
        end = grp["valid_to"].iloc[0]
        ok = ~np.isnat(dates) & (dates >= start) & np.isfinite(x) & (np.nan_to_num(radius) > 0)
        if pd.notna(end):
            ok &= dates < end.to_datetime64()
        idx = np.flatnonzero(ok)
        if idx.size == 0:
            continue
        geoms = np.asarray(grp.geometry.array)
        tree = shapely.STRtree(geoms)
        discs = np.array([_geodesic_disc(x[i], y[i], radius[i]) for i in idx], dtype=object)
        discs = shapely.transform(discs, to_utm.transform, interleaved=False)
        areas = shapely.area(discs)
        d_i, z_i = tree.query(discs, predicate="intersects")
        inter = shapely.area(shapely.intersection(discs[d_i], geoms[z_i]))
        frame = pd.DataFrame(
            {
                "event": events.index[idx[d_i]],
                "snapshot": snap,
                "controller": grp["controller"].to_numpy()[z_i],
                "share": inter / areas[d_i],
            }
        )
        frame = (
            frame.groupby(["event", "snapshot", "controller"], sort=False)["share"]
            .sum()
            .reset_index()
        )
        covered = frame.groupby("event", sort=False)["share"].sum()
        rest = 1.0 - covered.reindex(events.index[idx], fill_value=0.0)
        rest = rest[rest > 1e-6]
        if len(rest):
            frame = pd.concat(
                [
                    frame,
                    pd.DataFrame(
                        {
                            "event": rest.index,
                            "snapshot": snap,
                            "controller": "(outside zones)",
                            "share": rest.to_numpy(),
                        }
                    ),
                ],
                ignore_index=True,
            )
        rows.extend({str(k): v for k, v in r.items()} for r in frame.to_dict("records"))
    out = pd.DataFrame(rows, columns=["event", "snapshot", "controller", "share"])
    out = out[out["share"] > 1e-9].reset_index(drop=True)
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
