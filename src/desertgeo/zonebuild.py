"""Build dated control-zone snapshots from a reviewable table of control points.

This is the one builder behind the shipped ``zones`` dataset
(``scripts/build_zones.py`` feeds it ``data/zones/*.csv``) and behind
:func:`desertgeo.wikimap.zones_from_module` (Wikipedia's town markers).

Method
------
1. Every control-point row has its own ``valid_from`` (inclusive) and
   ``valid_to`` (exclusive, empty = open). The *periods* table tiles time into
   ``snapshot`` periods and explicit ``gap`` periods (nobody can say). Each
   snapshot period is split at every date on which a row or an override starts
   or ends, so one corrected row and one rebuild change the zones.
2. For each resulting snapshot the rows in force become Voronoi cells in UTM 37N
   (EPSG:32637), clipped to the extent (Syria) and dissolved by
   (controller, confidence).
3. The overrides in force are applied in row order, each cutting its area out
   of every zone below it: a river line (left / right bank), the Golan polygon,
   a band east of it, geodesic circles (the 55 km al-Tanf zone, airports and
   security squares as enclaves), explicit WKT polygons.
4. Controller keys become labels through the controller table (a key may have
   several labels over time, e.g. ``transitional`` before and after the HTS
   dissolution of 29 January 2025); each zone keeps its ``controller_key`` and
   ``controller_series`` (the crosswalk used for continuous series).
5. Each zone carries ``error_km`` (the uncertainty of its lines) and
   ``band``: the ring of that width outside it, used by
   :func:`desertgeo.zones.assign_zones` to flag events ``near_boundary``.

Examples
--------
>>> import pandas as pd
>>> from shapely import box
>>> from desertgeo.zonebuild import build_zones
>>> pts = pd.DataFrame({"lon": [36.0, 38.0], "lat": [34.0, 34.0],
...                     "controller": ["a", "b"], "valid_from": ["2020-01-01", "2020-01-01"],
...                     "valid_to": ["", "2020-06-01"]})
>>> more = pd.DataFrame({"lon": [38.0], "lat": [34.0], "controller": ["a"],
...                      "valid_from": ["2020-06-01"], "valid_to": [""]})
>>> z = build_zones(pd.concat([pts, more]), extent=box(35, 33, 39, 35))
>>> z[["snapshot", "controller"]].values.tolist()
[['2020-01-01', 'a'], ['2020-01-01', 'b'], ['2020-06-01', 'a']]
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from desertgeo._errors import ZoneError
from desertgeo._geodesy import GEOD, WGS84, metric_transformer

__all__ = [
    "DEFAULT_ERROR_KM",
    "build_zones",
    "controller_table",
    "expand_periods",
    "label_for",
]

_TO_UTM = metric_transformer()
_TO_WGS = metric_transformer(inverse=True)

#: uncertainty of a Voronoi line by the confidence of its zone (km), unless a row says
DEFAULT_ERROR_KM = {"high": 5.0, "medium": 10.0, "low": 20.0}
_OVERRIDE_KINDS = ("river_line", "dataset_polygon", "golan_buffer", "circle", "polygon")


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", str(text).casefold()).strip("-")


def _utm(geom: Any) -> Any:
    return shapely.transform(geom, _TO_UTM.transform, interleaved=False)


def _wgs(geom: Any) -> Any:
    return shapely.transform(geom, _TO_WGS.transform, interleaved=False)


def _dates(frame: pd.DataFrame, col: str, what: str, *, required: bool) -> pd.Series:
    if col not in frame.columns:
        if required:
            raise ZoneError(f"{what}: column {col!r} is missing")
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    raw = frame[col]
    text = raw.astype("string").str.strip().fillna("")
    values = pd.to_datetime(text.mask(text == ""), errors="coerce", format="ISO8601")
    bad = (text != "") & values.isna()
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise ZoneError(
            f"{what}: row {frame.index[pos]!r} has an unparseable {col} {raw.iloc[pos]!r}; "
            "write dates as YYYY-MM-DD"
        )
    values = values.astype("datetime64[ns]")
    if required and values.isna().any():
        pos = int(np.flatnonzero(values.isna().to_numpy())[0])
        raise ZoneError(f"{what}: row {frame.index[pos]!r} has no {col}")
    return values


def controller_table(table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The controller taxonomy: stable keys, dated labels and the crosswalk series.

    Parameters
    ----------
    table : DataFrame, optional
        ``key, label, valid_from, valid_to, series, series_label, notes``;
        default the shipped ``data/zones/controllers.csv``.

    Returns
    -------
    DataFrame
        One row per (key, label period), dates as ``datetime64[ns]`` (NaT = open).

    Examples
    --------
    >>> t = controller_table()
    >>> t.loc[t["key"] == "transitional", "label"].tolist()
    ['Transitional government (HTS-led)', 'Transitional state authorities']
    >>> sorted(set(t.loc[t["series"] == "state", "key"]))
    ['government', 'transitional']
    """
    if table is None:
        from desertgeo import datasets

        path = datasets.data_dir() / "zones" / "controllers.csv"
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    t = table.copy()
    for col in ("key", "label"):
        if col not in t.columns:
            raise ZoneError(f"controller table: column {col!r} is missing")
    for col in ("series", "series_label", "notes"):
        if col not in t.columns:
            t[col] = t["key"] if col == "series" else ""
    t["valid_from"] = _dates(t, "valid_from", "controller table", required=False)
    t["valid_to"] = _dates(t, "valid_to", "controller table", required=False)
    return t.reset_index(drop=True)


def label_for(key: str, date: pd.Timestamp, table: pd.DataFrame) -> tuple[str, str]:
    """``(label, series)`` of a controller key on a date (the key itself if unknown).

    Examples
    --------
    >>> t = controller_table()
    >>> label_for("transitional", pd.Timestamp("2025-03-01"), t)
    ('Transitional state authorities', 'state')
    >>> label_for("sdf", pd.Timestamp("2015-06-01"), t)  # before the SDF existed
    ('SDF', 'kurdish_led')
    """
    rows = table[table["key"] == key]
    if rows.empty:
        return key, key
    start = rows["valid_from"].fillna(pd.Timestamp.min)
    end = rows["valid_to"].fillna(pd.Timestamp.max)
    hit = rows[(start <= date) & (date < end)]
    if len(hit):
        row = hit.iloc[0]
    else:  # outside every label period: the nearest one (first before, last after)
        row = rows.iloc[0] if date < start.min() else rows.iloc[int(np.argmax(start.to_numpy()))]
    return str(row["label"]), str(row["series"] or key)


def expand_periods(
    periods: pd.DataFrame, change_dates: np.ndarray, *, what: str = "periods"
) -> pd.DataFrame:
    """Split the snapshot periods at every change date that falls inside one.

    Parameters
    ----------
    periods : DataFrame
        ``period, valid_from, valid_to, kind`` (``snapshot`` or ``gap``), plus
        optional ``label``, ``source``, ``notes``. Rows must not overlap in time.
    change_dates : array of datetime64
        Dates on which a control point or an override starts or ends.

    Returns
    -------
    DataFrame
        One row per snapshot (``snapshot`` id = its start date, ``YYYY-MM-DD``)
        and per gap, in date order.

    Examples
    --------
    >>> p = pd.DataFrame({"period": ["p"], "valid_from": ["2020-01-01"],
    ...                   "valid_to": ["2021-01-01"], "kind": ["snapshot"]})
    >>> out = expand_periods(p, pd.to_datetime(["2020-05-01", "2022-01-01"]).to_numpy())
    >>> out["snapshot"].tolist()
    ['2020-01-01', '2020-05-01']
    """
    p = periods.copy().reset_index(drop=True)
    if "kind" not in p.columns:
        p["kind"] = "snapshot"
    for col in ("period", "label", "source", "notes"):
        if col not in p.columns:
            p[col] = ""
    p["valid_from"] = _dates(p, "valid_from", what, required=True)
    p["valid_to"] = _dates(p, "valid_to", what, required=False)
    kinds = set(p["kind"]) - {"snapshot", "gap"}
    if kinds:
        raise ZoneError(f"{what}: kind must be 'snapshot' or 'gap', not {sorted(kinds)}")
    p = p.sort_values("valid_from", ignore_index=True)
    ends = p["valid_to"].fillna(pd.Timestamp.max)
    for i in range(len(p) - 1):
        if ends.iloc[i] > p["valid_from"].iloc[i + 1]:
            raise ZoneError(
                f"{what}: periods {p['period'].iloc[i]!r} and {p['period'].iloc[i + 1]!r} "
                "overlap in time; one date must have one snapshot"
            )
    changes = np.unique(np.asarray(change_dates, dtype="datetime64[ns]"))
    changes = changes[~np.isnat(changes)]
    rows: list[dict[str, Any]] = []
    for rec in (({str(k): v for k, v in r.items()}) for r in p.to_dict("records")):
        start, end = pd.Timestamp(rec["valid_from"]), rec["valid_to"]
        if rec["kind"] == "gap":
            rows.append({**rec, "snapshot": f"(gap) {rec['period']}"})
            continue
        stop = pd.Timestamp.max if pd.isna(end) else pd.Timestamp(end)
        inner = [pd.Timestamp(c) for c in changes if start < pd.Timestamp(c) < stop]
        bounds = [start, *inner, end]
        for a, b in itertools.pairwise(bounds):
            rows.append({**rec, "valid_from": a, "valid_to": b, "snapshot": f"{a:%Y-%m-%d}"})
    out = pd.DataFrame(rows)
    out["valid_to"] = pd.to_datetime(out["valid_to"]).astype("datetime64[ns]")
    out["valid_from"] = pd.to_datetime(out["valid_from"]).astype("datetime64[ns]")
    return out


def _in_force(start: pd.Series, end: pd.Series, day: pd.Timestamp) -> np.ndarray:
    return ((start <= day) & (end.isna() | (day < end))).to_numpy()


def _geodesic_circle(lon: float, lat: float, radius_m: float, n: int = 1440) -> Any:
    az = np.linspace(0.0, 360.0, n, endpoint=False)
    x, y, _ = GEOD.fwd(np.full(n, lon), np.full(n, lat), az, np.full(n, radius_m))
    return shapely.Polygon(np.column_stack([x, y]))


def _num(value: Any, what: str) -> float:
    try:
        out = float(str(value))
    except ValueError:
        raise ZoneError(f"{what}: {value!r} is not a number") from None
    if not np.isfinite(out):
        raise ZoneError(f"{what}: {value!r} is not a finite number")
    return out


def build_zones(
    points: pd.DataFrame,
    periods: pd.DataFrame | None = None,
    overrides: pd.DataFrame | None = None,
    *,
    extent: Any = "syria",
    controllers: pd.DataFrame | None = None,
    river: Any = None,
    golan: Any = None,
    exclude: Any = None,
    only: Any = None,
    band: bool = True,
    snap_km: float = 3.0,
) -> gpd.GeoDataFrame:
    """Turn dated control points (and explicit polygons) into zone snapshots.

    Parameters
    ----------
    points : DataFrame
        One row per (place, validity): ``lon``, ``lat``, ``controller`` (a key of
        the controller table, or any label), ``valid_from``; optional
        ``valid_to`` (exclusive), ``confidence`` (``high``/``medium``/``low``),
        ``place``, ``source``, ``source_date``, ``error_km``.
    periods : DataFrame, optional
        ``period, valid_from, valid_to, kind, label, source`` (see
        :func:`expand_periods`); default one open snapshot period from the first
        ``valid_from``.
    overrides : DataFrame, optional
        ``override_id, kind, parameter, controller, controller_right, valid_from,
        valid_to, confidence, error_km, lon, lat, wkt, source, notes``; ``kind`` one of
        ``river_line`` (needs ``river``; ``parameter`` = half-width km),
        ``dataset_polygon`` (needs ``golan``), ``golan_buffer`` (km),
        ``circle`` (geodesic, radius km around lon/lat), ``polygon`` (WKT, lon/lat).
    extent : "syria", polygon or None
        What the cells are clipped to (``None``: the points' hull + 50 km).
        ``"syria"`` is Natural Earth's outline (Golan counted as Syria) buffered by
        ``snap_km``.
    snap_km : float, default 3
        How far past the ``"syria"`` outline the zones reach, so that border towns
        the simplified outline leaves outside (Kobani, Tall Abyad) get a zone.
    controllers : DataFrame, optional
        Controller taxonomy (:func:`controller_table`); default the shipped one.
    river, golan : geometry, optional
        The river polyline and the Golan polygon (EPSG:4326) for the overrides.
    exclude : (lon, lat, km), optional
        Leave out every control point within ``km`` of this place (hold-out
        evaluation).
    only : date-like, optional
        Build only the snapshot in force on this date.
    band : bool, default True
        Also compute each zone's ``band`` (ring of ``error_km`` outside it).

    Returns
    -------
    GeoDataFrame
        EPSG:4326, the columns of :data:`desertgeo.zones.ZONE_COLUMNS` plus
        ``controller_key``, ``controller_series``, ``period``, ``period_label``,
        ``error_km``, ``n_points`` and ``band`` (a second geometry column).
        Gap periods produce no zones (see ``build_zones.attrs['gaps']``).

    Raises
    ------
    ZoneError
        A row without coordinates or dates, two rows of one place in force at
        once, an unknown override kind.
    """
    pts = _prepare_points(points, exclude)
    ov = _prepare_overrides(overrides)
    if periods is None:
        periods = pd.DataFrame(
            {
                "period": ["all"],
                "valid_from": [pts["valid_from"].min()],
                "valid_to": [pd.NaT],
                "kind": ["snapshot"],
            }
        )
    changes = [pts["valid_from"].to_numpy(), pts["valid_to"].dropna().to_numpy()]
    if len(ov):
        changes += [ov["valid_from"].to_numpy(), ov["valid_to"].dropna().to_numpy()]
    ctrl = controller_table(controllers)
    # a label that changes on a date (e.g. the HTS dissolution) also starts a snapshot
    used = ctrl[ctrl["key"].isin(set(pts["controller"]) | set(ov.get("controller", [])))]
    changes += [used["valid_from"].dropna().to_numpy(), used["valid_to"].dropna().to_numpy()]
    table = expand_periods(periods, np.concatenate(changes))

    extent_u = _extent_utm(extent, pts, snap_km)
    env = shapely.box(*extent_u.buffer(300_000).bounds)
    river_u = None if river is None else _utm(river)
    golan_u = None if golan is None else _utm(golan)

    if only is not None:
        day = pd.Timestamp(only)
        end = table["valid_to"].fillna(pd.Timestamp.max)
        table = table[(table["valid_from"] <= day) & (day < end)]
    gaps = table[table["kind"] == "gap"]
    snaps = table[table["kind"] == "snapshot"]
    cache: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    records: list[dict[str, Any]] = []
    for snap in ({str(k): v for k, v in r.items()} for r in snaps.to_dict("records")):
        day = pd.Timestamp(snap["valid_from"])
        live = pts[_in_force(pts["valid_from"], pts["valid_to"], day)]
        live_ov = ov[_in_force(ov["valid_from"], ov["valid_to"], day)] if len(ov) else ov
        # labels can change without any geometry changing: the cache keys on rows only
        key = (tuple(live.index), tuple(live_ov.index) if len(ov) else ())
        if key not in cache:
            cache[key] = _layers(live, live_ov, extent_u, env, river_u, golan_u, snap)
        records += _records(cache[key], snap, ctrl, band=band)
    columns = [
        "zone_id",
        "snapshot",
        "controller",
        "valid_from",
        "valid_to",
        "confidence",
        "approximate",
        "source",
        "notes",
        "controller_key",
        "controller_series",
        "period",
        "period_label",
        "error_km",
        "n_points",
        "geometry",
        "band",
    ]
    frame = pd.DataFrame(records, columns=columns)
    zones = gpd.GeoDataFrame(frame, geometry="geometry", crs=WGS84)
    zones["band"] = gpd.GeoSeries(frame["band"], index=frame.index, crs=WGS84)
    zones["valid_from"] = pd.to_datetime(zones["valid_from"]).astype("datetime64[ns]")
    zones["valid_to"] = pd.to_datetime(zones["valid_to"]).astype("datetime64[ns]")
    zones["error_km"] = zones["error_km"].astype("float64")
    zones["n_points"] = zones["n_points"].astype("int64")
    zones.attrs["gaps"] = gaps[["period", "valid_from", "valid_to", "label", "source"]].to_dict(
        "records"
    )
    zones.attrs["periods"] = table.drop(columns=[], errors="ignore").to_dict("records")
    return zones


def _prepare_points(points: pd.DataFrame, exclude: Any) -> pd.DataFrame:
    """Control points checked, dated, projected to UTM and with their ``error_km``."""
    what = "control points"
    pts = points.copy().reset_index(drop=True)
    for col in ("lon", "lat", "controller"):
        if col not in pts.columns:
            raise ZoneError(f"{what}: column {col!r} is missing (have {list(pts.columns)})")
    for col, default in (("confidence", "medium"), ("place", ""), ("source", "")):
        if col not in pts.columns:
            pts[col] = default
    pts["confidence"] = pts["confidence"].astype("string").fillna("medium").replace("", "medium")
    pts["valid_from"] = _dates(pts, "valid_from", what, required=True)
    pts["valid_to"] = _dates(pts, "valid_to", what, required=False)
    lon = pd.to_numeric(pts["lon"], errors="coerce")
    lat = pd.to_numeric(pts["lat"], errors="coerce")
    bad = lon.isna() | lat.isna() | ~lon.between(-180, 180) | ~lat.between(-90, 90)
    if bad.any():
        pos = int(np.flatnonzero(bad.to_numpy())[0])
        raise ZoneError(
            f"{what}: row {pos} ({pts['place'].iloc[pos]!r}) has no valid lon/lat "
            f"({pts['lon'].iloc[pos]!r}, {pts['lat'].iloc[pos]!r}); resolve the place first"
        )
    back = pts["valid_to"].notna() & (pts["valid_to"] <= pts["valid_from"])
    if back.any():
        pos = int(np.flatnonzero(back.to_numpy())[0])
        raise ZoneError(
            f"{what}: row {pos} ({pts['place'].iloc[pos]!r}): valid_to is not after valid_from"
        )
    ux, uy = _TO_UTM.transform(lon.to_numpy(), lat.to_numpy())
    pts["x"], pts["y"] = np.round(ux, 1), np.round(uy, 1)
    if "error_km" in pts.columns:
        err = pd.to_numeric(pts["error_km"], errors="coerce")
    else:
        err = pd.Series(np.nan, index=pts.index)
    pts["error_km"] = err.fillna(pts["confidence"].map(DEFAULT_ERROR_KM)).fillna(10.0)
    if exclude is not None:
        ex, ey = _TO_UTM.transform(float(exclude[0]), float(exclude[1]))
        far = np.hypot(pts["x"] - ex, pts["y"] - ey) > float(exclude[2]) * 1000
        pts = pts[far.to_numpy()].reset_index(drop=True)
    return pts


def _prepare_overrides(overrides: pd.DataFrame | None) -> pd.DataFrame:
    """Override rows with their optional columns and parsed dates."""
    ov = pd.DataFrame() if overrides is None else overrides.copy().reset_index(drop=True)
    if len(ov):
        for col in ("controller_right", "lon", "lat", "wkt", "notes", "source", "error_km"):
            if col not in ov.columns:
                ov[col] = ""
        ov["valid_from"] = _dates(ov, "valid_from", "overrides", required=True)
        ov["valid_to"] = _dates(ov, "valid_to", "overrides", required=False)
        unknown = set(ov["kind"]) - set(_OVERRIDE_KINDS)
        if unknown:
            raise ZoneError(f"overrides: unknown kind {sorted(unknown)}; use {_OVERRIDE_KINDS}")
    return ov


def _extent_utm(extent: Any, pts: pd.DataFrame, snap_km: float) -> Any:
    """The (prepared) area the cells are clipped to, in UTM."""
    if isinstance(extent, str):
        if extent != "syria":
            raise ZoneError(f"extent must be 'syria', a polygon or None, not {extent!r}")
        from desertgeo import datasets

        extent = datasets.load("countries", golan="syria").set_index("country").loc["SY"].geometry
        # Natural Earth's simplified outline leaves border towns (Kobani, Tall Abyad, Ras al-Ain)
        # just outside Syria: the zones reach 3 km beyond it (snap_km)
        extent = _wgs(_utm(extent).buffer(snap_km * 1000))
    if extent is None:
        hull = shapely.MultiPoint(np.column_stack([pts["x"], pts["y"]])).convex_hull
        extent_u = hull.buffer(50_000)
    else:
        extent_u = shapely.make_valid(_utm(extent))
    shapely.prepare(extent_u)
    return extent_u


def _records(
    layers: list[dict[str, Any]], snap: Mapping[str, Any], ctrl: pd.DataFrame, *, band: bool
) -> list[dict[str, Any]]:
    """One zone record per layer of a snapshot, labelled as on the snapshot's first day."""
    day = pd.Timestamp(snap["valid_from"])
    sid = snap["snapshot"]
    out = []
    for layer in layers:
        label, series = label_for(layer["key"], day, ctrl)
        out.append(
            {
                "zone_id": f"{sid}/{layer['part']}",
                "snapshot": sid,
                "controller": label,
                "valid_from": snap["valid_from"],
                "valid_to": snap["valid_to"],
                "confidence": layer["confidence"],
                "approximate": True,
                "source": layer["source"] or str(snap.get("source") or ""),
                "notes": layer["notes"],
                "controller_key": layer["key"],
                "controller_series": series,
                "period": str(snap.get("period") or ""),
                "period_label": str(snap.get("label") or ""),
                "error_km": layer["error_km"],
                "n_points": layer["n_points"],
                "geometry": layer["geometry"],
                "band": layer["band"] if band else None,
            }
        )
    return out


def _layers(
    live: pd.DataFrame,
    live_ov: pd.DataFrame,
    extent_u: Any,
    env: Any,
    river_u: Any,
    golan_u: Any,
    snap: Mapping[str, Any],
) -> list[dict[str, Any]]:
    layers = _cell_layers(live, extent_u, env, str(snap["snapshot"]))
    for ov in ({str(k): v for k, v in r.items()} for r in live_ov.to_dict("records")):
        err = pd.to_numeric(pd.Series([ov.get("error_km")]), errors="coerce").iloc[0]
        err_km = float(err) if pd.notna(err) else DEFAULT_ERROR_KM.get(ov["confidence"], 10.0)
        for controller, geom in _override_pieces(ov, river_u, golan_u):
            if not controller:
                continue
            geom = shapely.intersection(geom, extent_u)
            if shapely.is_empty(geom):
                continue
            for layer in layers:
                layer["geometry"] = shapely.difference(layer["geometry"], geom)
            layers.append(
                {
                    "part": f"{_slug(ov['override_id'])}/{_slug(controller)}",
                    "key": str(controller),
                    "confidence": str(ov["confidence"]),
                    "geometry": geom,
                    "source": str(ov["source"]),
                    "notes": str(ov["notes"]),
                    "error_km": err_km,
                    "n_points": 0,
                }
            )
    owned = _partition([layer["geometry"] for layer in layers], extent_u, fill=len(live) > 0)
    out = []
    for layer, geom in zip(layers, owned, strict=True):
        if geom is None:
            continue
        mp = _utm(geom)
        ring = shapely.difference(mp.buffer(layer["error_km"] * 1000, quad_segs=4), mp)
        ring = shapely.intersection(ring, extent_u).simplify(100)
        out.append({**layer, "geometry": geom, "band": shapely.make_valid(_wgs(ring))})
    return out


def _cell_layers(live: pd.DataFrame, extent_u: Any, env: Any, sid: str) -> list[dict[str, Any]]:
    """The Voronoi cells of the control points in force, dissolved by (controller, confidence)."""
    if not len(live):
        return []
    dup = live.duplicated(["x", "y"], keep=False)
    if dup.any():
        names = sorted(set(live.loc[dup, "place"].astype(str)))[:4]
        raise ZoneError(
            f"control points: snapshot {sid}: several rows in force at one place {names}; "
            "close one row's validity (valid_to) where the other starts"
        )
    seeds = shapely.multipoints(np.column_stack([live["x"], live["y"]]))
    if len(live) == 1:
        cells = np.array([env])
    else:
        cells = shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=env, ordered=True))
    inside = shapely.contains(extent_u, cells)
    clipped = np.where(inside, cells, shapely.intersection(cells, extent_u))
    live = live.assign(cell=clipped)
    layers = []
    for (key, conf), grp in live.groupby(["controller", "confidence"], sort=True):
        places = ", ".join(p for p in grp["place"].astype(str) if p) or f"{len(grp)} points"
        sources = sorted({str(s) for s in grp["source"] if str(s)})
        layers.append(
            {
                "part": f"{_slug(str(key))}/{conf}",
                "key": str(key),
                "confidence": str(conf),
                "geometry": shapely.union_all(grp["cell"].to_numpy()),
                "source": "; ".join(sources[:12]) + (" ..." if len(sources) > 12 else ""),
                "notes": "Voronoi cells of control points: " + places,
                "error_km": float(grp["error_km"].max()),
                "n_points": len(grp),
            }
        )
    return layers


def _override_pieces(ov: Mapping[str, Any], river_u: Any, golan_u: Any) -> list[tuple[str, Any]]:
    """``(controller, geometry in UTM)`` pieces of one override row."""
    kind, where = ov["kind"], f"overrides {ov['override_id']!r}"
    if kind == "river_line":
        if river_u is None:
            raise ZoneError(f"{where}: a river_line override needs the river line")
        width = _num(ov["parameter"], where) * 1000
        left = river_u.buffer(width, single_sided=True)
        right = river_u.buffer(-width, single_sided=True).difference(left)
        return [(ov["controller"], left), (ov["controller_right"], right)]
    if kind in ("dataset_polygon", "golan_buffer"):
        if golan_u is None:
            raise ZoneError(f"{where}: a {kind} override needs the Golan polygon")
        if kind == "dataset_polygon":
            return [(ov["controller"], golan_u)]
        width = _num(ov["parameter"], where) * 1000
        return [(ov["controller"], golan_u.buffer(width).difference(golan_u))]
    if kind == "circle":
        radius = _num(ov["parameter"], where) * 1000
        circle = _geodesic_circle(_num(ov["lon"], where), _num(ov["lat"], where), radius)
        return [(ov["controller"], _utm(circle))]
    try:
        poly = shapely.from_wkt(str(ov["wkt"]))
    except shapely.errors.GEOSException as exc:
        raise ZoneError(f"{where}: unreadable WKT ({exc})") from None
    return [(ov["controller"], _utm(poly))]


def _partition(geoms: list[Any], extent_u: Any, *, fill: bool) -> list[Any]:
    """Turn layers (UTM, in order) into a gap-free tiling of WGS84 polygons.

    Cutting overrides out of the cells, dropping crumbs and then snapping each layer to
    the 1e-6 degree grid *separately* left thin sliver holes between neighbours (their
    shared edges did not have the same vertices, so the snapped edges no longer met).
    Here the boundaries of all layers are noded once, reprojected and snapped once, and
    polygonized into faces: neighbouring zones share the very same edge. Each face goes
    to the last layer that contains it; faces that belong to none (crumbs under 0.01 km2,
    slivers of the cuts) go to the neighbour they share the longest edge with, when the
    cells were meant to cover the extent (``fill``).
    """
    polys = []
    for geom in geoms:
        geom = shapely.make_valid(geom)
        parts = [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon" and g.area > 1e4]
        polys.append(shapely.MultiPolygon(parts) if parts else None)
    kept = [p for p in polys if p is not None]
    if not kept:
        return [None] * len(geoms)
    lines = shapely.union_all([shapely.boundary(p) for p in kept] + [shapely.boundary(extent_u)])
    lines = shapely.set_precision(_wgs(lines), 1e-6)
    faces = np.asarray(shapely.get_parts(shapely.polygonize(shapely.get_parts(lines))))
    faces = faces[shapely.area(faces) > 0]
    probe = _utm_points(shapely.point_on_surface(faces))
    owner = np.full(len(faces), -1)
    for i, p in enumerate(polys):
        if p is not None:
            shapely.prepare(p)
            owner[shapely.contains(p, probe)] = i
    if fill:
        _fill_from_neighbours(faces, owner)
    out: list[Any] = []
    for i in range(len(geoms)):
        mine = faces[owner == i]
        out.append(shapely.make_valid(shapely.union_all(mine)) if len(mine) else None)
    return out


def _utm_points(points: np.ndarray) -> np.ndarray:
    x, y = _TO_UTM.transform(shapely.get_x(points), shapely.get_y(points))
    return shapely.points(x, y)


def _fill_from_neighbours(faces: np.ndarray, owner: np.ndarray) -> None:
    """Give each unowned face the owner of the neighbour it shares the longest edge with."""
    tree = shapely.STRtree(faces)
    todo = np.flatnonzero(owner < 0)
    while todo.size:
        progress = False
        for f in todo:
            near = tree.query(faces[f], predicate="touches")
            near = near[owner[near] >= 0]
            if near.size == 0:
                continue
            shared = shapely.length(
                shapely.intersection(shapely.boundary(faces[f]), shapely.boundary(faces[near]))
            )
            owner[f] = owner[near[int(np.argmax(shared))]]
            progress = True
        todo = np.flatnonzero(owner < 0)
        if not progress:
            break
