"""Geodesically exact distances on WGS84, and their statistics.

How a distance is computed (see DESIGN.md):

1. every target line is split into segments; a segment between two vertices is
   the *geodesic* between them on the WGS84 ellipsoid;
2. a first segment of each event is found in UTM 37N (EPSG:32637) from the
   nearest of the chord samples (a ``scipy`` KD-tree);
3. the exact nearest point on that segment is found on the ellipsoid by a few
   along-track iterations (``pyproj.Geod.fwd`` / ``Geod.inv``) that stop when
   the geodesic from the event meets the segment at a right angle;
4. every other segment whose planar distance could still be nearer on the
   ellipsoid (bounded by the range of the UTM scale factor over the data, plus
   the bending of long geodesic segments in the projection) is checked the
   same way, so near-ties are resolved geodesically, not in the projection.

The result is the geodesic distance to the nearest point of the target to
within millimetres (tests compare it with a brute-force search over the
geodesically densified border). Distances are never measured in degrees, by
haversine or in the projection alone.

Examples
--------
>>> from desertgeo import datasets
>>> from desertgeo.distance import distance_to
>>> places = datasets.load("places")
>>> towns = places[places["asciiname"].isin(["Tadmur", "Albu Kamal"])].set_index("asciiname")
>>> d = distance_to(towns, "border")
>>> d["dist_border_km"].round(1).to_dict()
{'Tadmur': 136.6, 'Albu Kamal': 6.8}
>>> d["nearest_border"].tolist()
['Iraq', 'Iraq']
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from os import PathLike
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from desertgeo import _geodesy
from desertgeo._compat import positional_options
from desertgeo._errors import InputError
from desertgeo._validate import ensure_4326, loose_dates

__all__ = [
    "FRONT_STATUSES",
    "distance_stats",
    "distance_to",
    "distance_to_borders",
    "front_lines",
    "geodesic_distance_to_lines",
    "histogram_data",
]

GEOD = _geodesy.GEOD
UTM_CRS = _geodesy.METRIC_CRS
_K0 = 0.9996
_R = 6_371_008.8  # mean radius, only for the along-track step and error bounds
_TO_UTM = _geodesy.metric_transformer()

NEIGHBOURS: dict[str, str] = {
    "iraq": "IQ",
    "jordan": "JO",
    "lebanon": "LB",
    "turkey": "TR",
    "turkiye": "TR",
    "israel": "IL",
}


# --------------------------------------------------------------------------- core
@dataclass
class _Segments:
    """Geodesic segments of a target (points are zero-length segments)."""

    lon0: np.ndarray
    lat0: np.ndarray
    az: np.ndarray  # forward azimuth at the start vertex
    length: np.ndarray  # geodesic length in metres
    feature: np.ndarray  # row position of the feature each segment belongs to
    ax: np.ndarray  # UTM chord start / end (the planar chords of the segments)
    ay: np.ndarray
    bx: np.ndarray
    by: np.ndarray
    chords: np.ndarray  # shapely LineStrings in UTM
    tree: shapely.STRtree
    samples: cKDTree  # points every <= `spacing` m along every chord (ends included)
    sample_seg: np.ndarray  # segment of each sample
    spacing: float
    x_range: tuple[float, float]  # UTM easting range of the segment vertices
    sagitta: float  # bound on how far a geodesic bends away from its chord in UTM


def _segments(geoms: np.ndarray) -> _Segments:
    """Split lines / points (WGS84) into geodesic segments with a UTM index."""
    lon0_l: list[np.ndarray] = []
    lat0_l: list[np.ndarray] = []
    lon1_l: list[np.ndarray] = []
    lat1_l: list[np.ndarray] = []
    feat_l: list[np.ndarray] = []
    for i, geom in enumerate(geoms):
        if geom is None or shapely.is_empty(geom):
            continue
        if geom.geom_type in ("Polygon", "MultiPolygon"):
            geom = geom.boundary
        parts = shapely.get_parts(geom)
        for part in parts:
            coords = shapely.get_coordinates(part)
            if part.geom_type == "Point" or len(coords) == 1:
                lon0_l.append(coords[:1, 0])
                lat0_l.append(coords[:1, 1])
                lon1_l.append(coords[:1, 0])
                lat1_l.append(coords[:1, 1])
                feat_l.append(np.full(1, i))
            elif part.geom_type in ("LineString", "LinearRing"):
                lon0_l.append(coords[:-1, 0])
                lat0_l.append(coords[:-1, 1])
                lon1_l.append(coords[1:, 0])
                lat1_l.append(coords[1:, 1])
                feat_l.append(np.full(len(coords) - 1, i))
            else:
                raise InputError(f"target feature {i}: cannot measure to a {part.geom_type}")
    if not lon0_l:
        raise InputError("the distance target has no usable geometry (all empty or missing)")
    lon0, lat0 = np.concatenate(lon0_l), np.concatenate(lat0_l)
    lon1, lat1 = np.concatenate(lon1_l), np.concatenate(lat1_l)
    feature = np.concatenate(feat_l)
    az, _, length = GEOD.inv(lon0, lat0, lon1, lat1)
    x0, y0 = _TO_UTM.transform(lon0, lat0)
    x1, y1 = _TO_UTM.transform(lon1, lat1)
    chords = shapely.linestrings(
        np.stack([np.stack([x0, y0], axis=1), np.stack([x1, y1], axis=1)], axis=1)
    )
    x0, y0, x1, y1 = (np.asarray(v, dtype=float) for v in (x0, y0, x1, y1))
    chord = np.hypot(x1 - x0, y1 - y0)
    spacing = float(max(500.0, min(5000.0, np.median(chord) if chord.size else 500.0)))
    m = np.maximum(1, np.ceil(chord / spacing)).astype(np.int64)
    seg_of = np.repeat(np.arange(len(x0)), m + 1)
    frac = np.arange(seg_of.size) - np.repeat(np.cumsum(m + 1) - (m + 1), m + 1)
    frac = frac / m[seg_of]
    sx = x0[seg_of] + (x1 - x0)[seg_of] * frac
    sy = y0[seg_of] + (y1 - y0)[seg_of] * frac
    xs = np.concatenate([x0, x1]) - 500_000.0
    xmax = float(np.max(np.abs(xs)))
    # a geodesic's image in a transverse Mercator bends with curvature ~ |x| / R^2
    sagitta = float(np.max(length) ** 2 * (xmax + 50_000.0) / (8 * _R**2)) * 2 + 1.0
    return _Segments(
        lon0=lon0,
        lat0=lat0,
        az=np.asarray(az, dtype=float),
        length=np.asarray(length, dtype=float),
        feature=feature,
        ax=x0,
        ay=y0,
        bx=x1,
        by=y1,
        chords=chords,
        tree=shapely.STRtree(chords),
        samples=cKDTree(np.column_stack([sx, sy])),
        sample_seg=seg_of,
        spacing=spacing,
        x_range=(float(np.min(xs)), float(np.max(xs))),
        sagitta=sagitta,
    )


def _scale_ratio(x_lo: float, x_hi: float) -> float:
    """Upper bound of k_max / k_min of UTM over eastings ``x_lo..x_hi`` (from the CM)."""
    ax_max = max(abs(x_lo), abs(x_hi))
    ax_min = 0.0 if x_lo <= 0 <= x_hi else min(abs(x_lo), abs(x_hi))

    # k = k0 (1 + x^2 / (2 R^2) + x^4 / (24 R^4)) for the transverse Mercator
    def k(x: float) -> float:
        u = (x / _K0) ** 2 / _R**2
        return 1 + u / 2 + u * u / 24

    return k(ax_max) / k(ax_min) * (1 + 1e-4)


def _foot(
    plon: np.ndarray,
    plat: np.ndarray,
    segs: _Segments,
    seg: np.ndarray,
    s: np.ndarray,
    tol: float = 5e-3,
    max_iter: int = 30,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Geodesic foot of each point on its segment: (distance m, foot lon, foot lat).

    ``s`` is a first guess of the along-segment distance (metres from the start
    vertex). Each step moves the foot along the segment by the spherical
    along-track distance of the event; it converges quadratically to the point
    where the geodesic from the event meets the segment at a right angle.
    """
    lon0, lat0, az0, length = segs.lon0[seg], segs.lat0[seg], segs.az[seg], segs.length[seg]
    s = np.clip(s, 0.0, length)
    dist = np.empty(len(seg))
    flon = np.empty(len(seg))
    flat = np.empty(len(seg))
    active = np.arange(len(seg))
    for it in range(max_iter):
        xlon, xlat, baz = GEOD.fwd(lon0[active], lat0[active], az0[active], s[active])
        az_xp, _, d = GEOD.inv(xlon, xlat, plon[active], plat[active])
        dist[active], flon[active], flat[active] = d, xlon, xlat
        if it == max_iter - 1:
            break
        theta = np.radians(np.asarray(az_xp) - (np.asarray(baz) + 180.0))
        step = _R * np.arctan(np.tan(np.asarray(d) / _R) * np.cos(theta))
        new = np.clip(s[active] + step, 0.0, length[active])
        moved = np.abs(new - s[active]) > tol
        s[active] = new
        active = active[moved]
        if active.size == 0:
            # one last evaluation was done before the final (sub-tolerance) move
            break
    return dist, flon, flat


def _planar_guess(px: np.ndarray, py: np.ndarray, segs: _Segments, seg: np.ndarray) -> np.ndarray:
    """Along-segment distance (m) of the planar foot in UTM, as a first guess."""
    ax, ay, bx, by = segs.ax[seg], segs.ay[seg], segs.bx[seg], segs.by[seg]
    dx, dy = bx - ax, by - ay
    den = dx * dx + dy * dy
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(den > 0, ((px - ax) * dx + (py - ay) * dy) / den, 0.0)
    return np.clip(t, 0.0, 1.0) * segs.length[seg]


_K_SAMPLES = 8


def _candidates(
    px: np.ndarray,
    py: np.ndarray,
    bound: np.ndarray,
    segs: _Segments,
    dk: np.ndarray,
    ik: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """(point, segment) pairs, unique, covering every segment within ``bound`` (planar m).

    A segment within ``bound`` of a point has a chord sample within
    ``bound + spacing / 2``; the K nearest samples (``dk``, ``ik`` from the
    KD-tree) inside that radius give the segments, and points whose K samples
    are all inside (the list may be cut short) are answered by the STRtree.
    """
    n_samples = segs.sample_seg.size
    k = dk.shape[1]
    radius = bound + segs.spacing / 2 + 1.0
    inside = dk <= radius[:, None]
    full = inside[:, -1] if k < n_samples else np.zeros(len(px), dtype=bool)
    valid = inside & ~full[:, None]
    # the segments of one point's samples, each once (sorted per row, repeats dropped)
    big = np.iinfo(np.int64).max
    segk = np.where(valid, segs.sample_seg[np.minimum(ik, n_samples - 1)], big)
    segk.sort(axis=1)
    keep = segk != big
    keep[:, 1:] &= segk[:, 1:] != segk[:, :-1]
    rows, cols = np.nonzero(keep)
    i_pt, i_seg = rows.astype(np.int64), segk[rows, cols]
    if full.any():
        # candidate list may be cut short: ask the STRtree (answers are unique pairs)
        where = np.flatnonzero(full)
        pts = shapely.points(px[where], py[where])
        f_pt, f_seg = segs.tree.query(pts, predicate="dwithin", distance=bound[where])
        i_pt = np.concatenate([i_pt, where[f_pt]])
        i_seg = np.concatenate([i_seg, f_seg.astype(np.int64)])
    return i_pt, i_seg


def _planar_distance(
    px: np.ndarray, py: np.ndarray, segs: _Segments, seg: np.ndarray
) -> np.ndarray:
    """Planar (UTM) distance from points to their chords."""
    ax, ay, bx, by = segs.ax[seg], segs.ay[seg], segs.bx[seg], segs.by[seg]
    dx, dy = bx - ax, by - ay
    den = dx * dx + dy * dy
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(den > 0, ((px - ax) * dx + (py - ay) * dy) / den, 0.0)
    t = np.clip(t, 0.0, 1.0)
    return np.hypot(px - (ax + t * dx), py - (ay + t * dy))


def geodesic_distance_to_lines(
    lon: Any, lat: Any, geoms: Sequence[Any] | np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Exact geodesic distance from points to the nearest of ``geoms`` (WGS84).

    Parameters
    ----------
    lon, lat : array-like
        Point coordinates in degrees (WGS84). NaN coordinates give NaN.
    geoms : sequence of shapely geometries
        Lines, points or polygons (their boundary) in WGS84.

    Returns
    -------
    distance_m, feature, nearest_lon, nearest_lat : numpy arrays
        Geodesic distance in metres, position of the nearest geometry in
        ``geoms`` (-1 where the point is missing), and the nearest point.

    Examples
    --------
    >>> from shapely import LineString
    >>> d, f, _, _ = geodesic_distance_to_lines([38.0], [33.0], [LineString([(39, 32), (39, 34)])])
    >>> round(float(d[0]) / 1000, 1), int(f[0])
    (93.4, 0)
    """
    lon = np.asarray(lon, dtype=float).ravel()
    lat = np.asarray(lat, dtype=float).ravel()
    segs = _segments(np.asarray(geoms, dtype=object))
    n = len(lon)
    out_d = np.full(n, np.nan)
    out_f = np.full(n, -1, dtype=np.int64)
    out_lon = np.full(n, np.nan)
    out_lat = np.full(n, np.nan)
    ok = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
    if ok.size == 0:
        return out_d, out_f, out_lon, out_lat
    plon, plat = lon[ok], lat[ok]
    px, py = (np.asarray(v, dtype=float) for v in _TO_UTM.transform(plon, plat))
    xy = np.column_stack([px, py])
    # 1. the segment of the nearest chord sample gives an exact geodesic upper bound d1
    n_samples = segs.sample_seg.size
    k = min(_K_SAMPLES, n_samples)
    dk, ik = segs.samples.query(xy, k=k)
    dk, ik = dk.reshape(len(px), k), ik.reshape(len(px), k)
    first = segs.sample_seg[ik[:, 0]]
    d1, f_lon, f_lat = _foot(plon, plat, segs, first, _planar_guess(px, py, segs, first))
    best_d, best_seg = d1.copy(), first.copy()
    # 2. every segment that could still be nearer on the ellipsoid: planar distance
    #    <= d1 * (k_max / k_min) + bending of long geodesics in the projection
    xs = px - 500_000.0
    ratio = _scale_ratio(
        min(float(xs.min()), segs.x_range[0]), max(float(xs.max()), segs.x_range[1])
    )
    bound = d1 * ratio + segs.sagitta
    i_pt, i_seg = _candidates(px, py, bound, segs, dk, ik)
    keep = i_seg != first[i_pt]
    i_pt, i_seg = i_pt[keep], i_seg[keep]
    near = _planar_distance(px[i_pt], py[i_pt], segs, i_seg) <= bound[i_pt]
    i_pt, i_seg = i_pt[near], i_seg[near]
    if i_pt.size:
        d2, lon2, lat2 = _foot(
            plon[i_pt],
            plat[i_pt],
            segs,
            i_seg,
            _planar_guess(px[i_pt], py[i_pt], segs, i_seg),
        )
        order = np.lexsort((d2, i_pt))
        i_pt, i_seg, d2, lon2, lat2 = i_pt[order], i_seg[order], d2[order], lon2[order], lat2[order]
        firsts = np.r_[True, i_pt[1:] != i_pt[:-1]]
        i_pt, i_seg, d2, lon2, lat2 = (a[firsts] for a in (i_pt, i_seg, d2, lon2, lat2))
        better = d2 < best_d[i_pt]
        j = i_pt[better]
        best_d[j], best_seg[j] = d2[better], i_seg[better]
        f_lon[j], f_lat[j] = lon2[better], lat2[better]
    out_d[ok], out_f[ok] = best_d, segs.feature[best_seg]
    out_lon[ok], out_lat[ok] = f_lon, f_lat
    return out_d, out_f, out_lon, out_lat


# ----------------------------------------------------------------------- targets
def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", text.casefold()).strip("_")


def _points_of(events: gpd.GeoDataFrame | gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray]:
    """Longitude / latitude of point events in WGS84 (NaN where missing)."""
    geo = events.geometry if isinstance(events, gpd.GeoDataFrame) else events
    if not isinstance(geo, gpd.GeoSeries):
        raise InputError("events must be a GeoDataFrame or GeoSeries of points")
    geo = ensure_4326(geo, what="events")
    arr = geo.array
    bad = arr.isna() | arr.is_empty
    types = np.asarray(shapely.get_type_id(np.asarray(arr)))
    not_point = ~bad & (types != 0)
    if not_point.any():
        pos = int(np.flatnonzero(not_point)[0])
        raise InputError(
            f"events must be points; row {geo.index[pos]!r} is a {geo.iloc[pos].geom_type}"
            " (use .representative_point() or .centroid in a projected CRS first)"
        )
    lon = np.full(len(geo), np.nan)
    lat = np.full(len(geo), np.nan)
    good = np.flatnonzero(~bad)
    lon[good] = shapely.get_x(np.asarray(arr)[good])
    lat[good] = shapely.get_y(np.asarray(arr)[good])
    return lon, lat


def _name_column(frame: pd.DataFrame) -> pd.Series:
    for col in ("name", "neighbour_name", "site_id", "road_id", "zone_id", "controller"):
        if col in frame.columns:
            return frame[col].astype("string")
    return pd.Series([str(i) for i in frame.index], index=frame.index, dtype="string")


def _match_named(frame: pd.DataFrame, query: str, kind: str, id_col: str) -> pd.DataFrame:
    key = query.strip().casefold()
    cols = [c for c in (id_col, "name", "name_ar") if c in frame.columns]
    hit = np.zeros(len(frame), dtype=bool)
    for c in cols:
        hit |= frame[c].astype("string").str.casefold().fillna("").to_numpy() == key
    if "aliases" in frame.columns and not hit.any():
        al = frame["aliases"].astype("string").fillna("").str.casefold().str.split("|")
        hit = np.array([key in {a.strip() for a in v} for v in al], dtype=bool)
    if not hit.any():
        slug = _slug(query)
        for c in cols:
            hit |= frame[c].astype("string").fillna("").map(_slug).to_numpy() == slug
    if not hit.any():
        valid = ", ".join(sorted(frame[id_col].astype(str)))[:600]
        raise InputError(f"unknown {kind} {query!r}; valid {kind}s: {valid}")
    return frame[hit]


def _resolve_target(
    target: Any,
) -> tuple[str, np.ndarray, pd.Series]:
    """Return (label, geometries, feature names) for a distance target."""
    from desertgeo import datasets

    if isinstance(target, (gpd.GeoDataFrame, gpd.GeoSeries)):
        t = ensure_4326(target, what="the target frame")
        if isinstance(t, gpd.GeoSeries):
            names = pd.Series(
                [str(i) if t.name is None else f"{t.name}:{i}" for i in t.index], dtype="string"
            )
            return "target", np.asarray(t.array), names
        return "target", np.asarray(t.geometry.array), _name_column(t).reset_index(drop=True)
    if not isinstance(target, str):
        raise InputError(
            f"target must be a string or a GeoDataFrame/GeoSeries, not {type(target).__name__}"
        )
    key = target.strip().casefold()
    if key in {"border", "borders"}:
        b = datasets.load("borders")
        return "border", np.asarray(b.geometry.array), _name_column(b).reset_index(drop=True)
    iso = NEIGHBOURS.get(key, key.upper() if len(key) == 2 else None)
    if iso is not None:
        b = datasets.load("borders")
        sel = b[b["neighbour"].astype("string").str.upper() == iso]
        if len(sel) == 0:
            raise InputError(
                f"no border with {target!r}; valid neighbours: "
                + ", ".join(sorted(set(NEIGHBOURS) | set(b["neighbour"].astype(str))))
            )
        label = next((k for k, v in NEIGHBOURS.items() if v == iso), iso.lower())
        return label, np.asarray(sel.geometry.array), _name_column(sel).reset_index(drop=True)
    if key in {"tri-border", "tripoint", "tri-point", "triborder"}:
        t = datasets.load("tripoint")
        names = pd.Series(["Syria-Iraq-Jordan tri-point"] * len(t), dtype="string")
        if "name" in t.columns:
            names = t["name"].astype("string").reset_index(drop=True)
        return "tripoint", np.asarray(t.geometry.array), names
    if key.startswith("road:"):
        r = datasets.load("roads")
        sel = _match_named(r, target.split(":", 1)[1], "road", "road_id")
        return (
            "road_" + _slug(str(sel["road_id"].iloc[0])),
            np.asarray(sel.geometry.array),
            _name_column(sel).reset_index(drop=True),
        )
    name = target.split(":", 1)[1] if key.startswith("site:") else target
    s = datasets.load("sites")
    sel = _match_named(s, name, "site", "site_id")
    return (
        _slug(str(sel["site_id"].iloc[0])),
        np.asarray(sel.geometry.array),
        _name_column(sel).reset_index(drop=True),
    )


# ------------------------------------------------------------------ front lines
#: Values of ``front_status`` written by ``distance_to(events, "front")``.
FRONT_STATUSES = (
    "ok",
    "no snapshot for date",
    "no front in snapshot",
    "no date",
    "no geometry",
)
#: zones closer than this (degrees, ~10 m) count as touching when fronts are traced
_TOUCH_DEG = 1e-4


def _snapshot_in_force(zones: pd.DataFrame, dates: pd.Series) -> pd.Series:
    """The snapshot in force on each date (``valid_from <= date < valid_to``; NA if none).

    The same rule as :func:`desertgeo.zones.assign_zones` (``valid_to`` exclusive,
    NaT open-ended); kept here in one place until ``zones`` exposes it.
    """
    table = zones.groupby("snapshot", sort=False)[["valid_from", "valid_to"]].first()
    d = loose_dates(dates)
    values = d.astype("datetime64[ns]").to_numpy()
    out = np.full(len(values), None, dtype=object)
    free = np.ones(len(values), dtype=bool)
    for snap, row in table.iterrows():
        hit = free & ~np.isnat(values) & (values >= row["valid_from"].to_datetime64())
        if pd.notna(row["valid_to"]):
            hit &= values < row["valid_to"].to_datetime64()
        out[hit] = snap
        free &= ~hit
    return pd.Series(out, index=dates.index, dtype="string")


def _lines_only(geom: Any) -> Any:
    """The linear parts of a geometry (points of contact dropped), or None."""
    parts = [
        p
        for p in shapely.get_parts(
            shapely.line_merge(geom) if geom.geom_type == "MultiLineString" else geom
        )
        if p.geom_type in ("LineString", "LinearRing") and p.length > 0
    ]
    if not parts:
        return None
    return shapely.multilinestrings(parts) if len(parts) > 1 else parts[0]


def _syria_outline() -> Any:
    from desertgeo import datasets

    countries = datasets.load("countries")
    syria = countries[countries["country"].astype(str) == "SY"]
    return shapely.union_all(np.asarray(syria.geometry.array)).boundary


def front_lines(zones: gpd.GeoDataFrame, *, outline: Any = None) -> gpd.GeoDataFrame:
    """Boundaries between different controllers, per snapshot (international borders excluded).

    Zones of one controller are dissolved; the boundary of each controller's area
    that touches (within ~10 m) another controller's area is a front between the
    two. Parts lying on Syria's outline (``outline``, default the shipped Syria
    boundary) never count, so a border between a zone and the outside is no front.

    Parameters
    ----------
    zones : GeoDataFrame
        Control zones with ``snapshot`` and ``controller`` (as from
        :func:`desertgeo.zones.load_zones`).
    outline : shapely geometry, optional
        Lines to exclude; default Syria's outline from the shipped ``countries``.

    Returns
    -------
    GeoDataFrame
        One row per (snapshot, controller pair): ``snapshot``, ``controller_a``,
        ``controller_b`` (sorted), ``length_km`` (geodesic) and the line geometry.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import box
    >>> z = gpd.GeoDataFrame({"snapshot": ["s", "s"], "controller": ["A", "B"]},
    ...                      geometry=[box(38, 34, 39, 35), box(39, 34, 40, 35)], crs=4326)
    >>> f = front_lines(z, outline=box(38, 34, 40, 35).boundary)
    >>> f[["controller_a", "controller_b"]].values.tolist(), round(float(f["length_km"].iloc[0]))
    ([['A', 'B']], 111)
    """
    if outline is None:
        outline = _syria_outline()
    away = shapely.buffer(outline, _TOUCH_DEG) if outline is not None else None
    rows: list[dict[str, Any]] = []
    for snap, grp in zones.groupby("snapshot", sort=True):
        areas = {
            str(c): shapely.union_all(np.asarray(g.geometry.array))
            for c, g in grp.groupby("controller", sort=True)
        }
        names = sorted(areas)
        for i, a in enumerate(names):
            edge = areas[a].boundary
            if away is not None:
                edge = shapely.difference(edge, away)
            for b in names[i + 1 :]:
                shared = shapely.intersection(edge, shapely.buffer(areas[b], _TOUCH_DEG))
                line = _lines_only(shared) if not shared.is_empty else None
                if line is None:
                    continue
                rows.append(
                    {
                        "snapshot": str(snap),
                        "controller_a": a,
                        "controller_b": b,
                        "length_km": GEOD.geometry_length(line) / 1000.0,
                        "geometry": line,
                    }
                )
    cols = ["snapshot", "controller_a", "controller_b", "length_km", "geometry"]
    return gpd.GeoDataFrame(rows, columns=cols, geometry="geometry", crs=4326)


def _front_distances(
    events: gpd.GeoDataFrame | gpd.GeoSeries,
    zones: Any,
    date_column: str,
    label: str,
    nearest_point: bool,
) -> pd.DataFrame:
    """``distance_to(events, "front")``: distance to the front in force on each date."""
    from desertgeo.zones import load_zones

    if not isinstance(events, gpd.GeoDataFrame):
        raise InputError("distance to the front needs a GeoDataFrame with a date column")
    if date_column not in events.columns:
        raise InputError(
            f"events lack the date column {date_column!r}; pass date_column=... "
            f"(columns: {list(events.columns)})"
        )
    lon, lat = _points_of(events)
    z = load_zones(zones, extent=None)
    fronts = front_lines(z)
    snaps = _snapshot_in_force(z, events[date_column])
    n = len(events)
    dist = np.full(n, np.nan)
    near = np.full(n, None, dtype=object)
    far = np.full(n, None, dtype=object)
    flon = np.full(n, np.nan)
    flat = np.full(n, np.nan)
    has_date = pd.to_datetime(events[date_column], errors="coerce").notna().to_numpy()
    has_geom = np.isfinite(lon)
    status = np.full(n, "ok", dtype=object)
    status[snaps.isna().to_numpy()] = "no snapshot for date"
    status[~has_geom] = "no geometry"
    status[~has_date] = "no date"
    snap_arr = np.asarray(snaps.astype(object).where(snaps.notna(), None), dtype=object)
    for snap in pd.unique(snaps.dropna()):
        idx = np.flatnonzero((snap_arr == snap) & has_geom)
        f = fronts[fronts["snapshot"] == snap].reset_index(drop=True)
        if len(f) == 0:
            status[idx] = "no front in snapshot"
            continue
        if idx.size == 0:
            continue
        d, feat, nlon, nlat = geodesic_distance_to_lines(
            lon[idx], lat[idx], np.asarray(f.geometry.array)
        )
        dist[idx], flon[idx], flat[idx] = d / 1000.0, nlon, nlat
        a = f["controller_a"].to_numpy(dtype=object)[feat]
        b = f["controller_b"].to_numpy(dtype=object)[feat]
        # the side the event is on first, when it lies in one of the two controllers' zones
        zs = z[z["snapshot"] == snap]
        own = np.full(idx.size, None, dtype=object)
        for c, g in zs.groupby("controller", sort=False):
            inside = shapely.contains_xy(
                shapely.union_all(np.asarray(g.geometry.array)), lon[idx], lat[idx]
            )
            own[inside] = str(c)
        swap = own == b
        near[idx] = np.where(swap, b, a)
        far[idx] = np.where(swap, a, b)
    out = pd.DataFrame(
        {
            f"dist_{label}_km": dist,
            f"nearest_{label}": pd.array(
                [None if x is None else f"{x} / {y}" for x, y in zip(near, far, strict=True)],
                dtype="string",
            ),
            f"{label}_side_near": pd.array(near, dtype="string"),
            f"{label}_side_far": pd.array(far, dtype="string"),
            f"{label}_snapshot": snaps.to_numpy(),
            f"{label}_status": status,
        },
        index=events.index,
    )
    out[f"{label}_snapshot"] = out[f"{label}_snapshot"].astype("string")
    out[f"{label}_status"] = out[f"{label}_status"].astype("string")
    if nearest_point:
        out[f"nearest_{label}_lon"] = flon
        out[f"nearest_{label}_lat"] = flat
    return out


# --------------------------------------------------------------------------- API
def distance_to(
    events: gpd.GeoDataFrame | gpd.GeoSeries,
    target: str | gpd.GeoDataFrame | gpd.GeoSeries,
    *,
    label: str | None = None,
    nearest_point: bool = False,
    zones: gpd.GeoDataFrame | str | PathLike[str] | None = None,
    date_column: str = "date",
) -> pd.DataFrame:
    """Geodesic distance (km) from each event to the nearest feature of ``target``.

    Parameters
    ----------
    events : GeoDataFrame or GeoSeries
        Point events with a CRS (reprojected to EPSG:4326 when it differs).
    target : str, GeoDataFrame or GeoSeries
        ``"border"`` (Syria's whole land border), a neighbour (``"iraq"``,
        ``"jordan"``, ``"lebanon"``, ``"turkey"``, ``"israel"`` or its ISO2
        code), ``"tri-border"`` / ``"tripoint"``, ``"site:NAME"`` or a site
        name / id / alias, ``"road:NAME"``, or any frame of points, lines or
        polygons (polygons are measured to their boundary), or ``"front"``:
        the nearest boundary between *different controllers* in the zone
        snapshot in force on each event's date (see :func:`front_lines`;
        stretches on Syria's outline, i.e. international borders, never count).
    label : str, optional
        Column label; default from the target (``border``, ``iraq``, the
        site id, ``road_<id>``, ``front`` or ``target``).
    nearest_point : bool, default False
        Also return the nearest point's ``lon`` / ``lat``.
    zones : GeoDataFrame, path or None
        Only for ``"front"``: the control zones (validated by
        :func:`desertgeo.zones.load_zones`); default the shipped snapshots.
    date_column : str, default "date"
        Only for ``"front"``: the events' date column. A snapshot is in force
        from ``valid_from`` (inclusive) to ``valid_to`` (exclusive), as in
        :func:`desertgeo.zones.assign_zones`.

    Returns
    -------
    DataFrame
        Aligned to ``events.index``: ``dist_<label>_km`` (float, NaN where an
        event has no geometry) and ``nearest_<label>`` (the nearest feature's
        name), plus ``nearest_<label>_lon`` / ``_lat`` when asked. For
        ``"front"`` also ``front_side_near`` (the controller on the event's
        side, when the event lies in one of the two zones; else the first in
        alphabetical order) and ``front_side_far``, ``front_snapshot`` and
        ``front_status`` (one of :data:`FRONT_STATUSES`): an event whose date
        no snapshot covers gets NaN and ``"no snapshot for date"``, never a
        guess; ``nearest_front`` is ``"<near> / <far>"``.

    Examples
    --------
    >>> from desertgeo import datasets
    >>> p = datasets.load("places")
    >>> palmyra = p[p["asciiname"] == "Tadmur"]
    >>> r = distance_to(palmyra, "jordan")
    >>> list(r.columns)
    ['dist_jordan_km', 'nearest_jordan']
    >>> round(float(r["dist_jordan_km"].iloc[0]), 1)
    139.6
    >>> rukban = datasets.load("sites").query("site_id == 'rukban-camp'")
    >>> round(float(distance_to(rukban, "site:al-tanf-garrison").iloc[0, 0]), 1)
    20.6

    Distance to the front line in force on the event's date (shipped
    approximate snapshots; Deir ez-Zor city faced the SDF across the Euphrates):

    >>> import geopandas as gpd
    >>> deir = p[p["asciiname"] == "Deir ez-Zor"]
    >>> ev = gpd.GeoDataFrame({"date": pd.to_datetime(["2023-06-01", "1990-01-01"])},
    ...                       geometry=[deir.geometry.iloc[0]] * 2, crs=4326)
    >>> f = distance_to(ev, "front")
    >>> bool(f["dist_front_km"].iloc[0] < 10), f["front_status"].tolist()
    (True, ['ok', 'no snapshot for date'])
    >>> "SDF" in (f["front_side_near"].iloc[0], f["front_side_far"].iloc[0])
    True
    """
    if isinstance(target, str) and target.strip().casefold() in {"front", "fronts", "front line"}:
        return _front_distances(events, zones, date_column, label or "front", nearest_point)
    lon, lat = _points_of(events)
    tlabel, geoms, names = _resolve_target(target)
    tlabel = label or tlabel
    d, f, nlon, nlat = geodesic_distance_to_lines(lon, lat, geoms)
    nearest = pd.array([names.iloc[i] if i >= 0 else pd.NA for i in f], dtype="string")
    out = pd.DataFrame(
        {f"dist_{tlabel}_km": d / 1000.0, f"nearest_{tlabel}": nearest}, index=events.index
    )
    if nearest_point:
        out[f"nearest_{tlabel}_lon"] = nlon
        out[f"nearest_{tlabel}_lat"] = nlat
    return out


def distance_to_borders(events: gpd.GeoDataFrame | gpd.GeoSeries) -> pd.DataFrame:
    """Distance (km) to each of Syria's neighbours, to the border overall, and which is nearest.

    Returns
    -------
    DataFrame
        Aligned to ``events.index``: ``dist_<neighbour>_km`` for every
        neighbour in the shipped ``borders`` (``iraq``, ``jordan``, ...),
        ``dist_border_km`` (their minimum) and ``nearest_border`` (the
        neighbour's name).

    Examples
    --------
    >>> from desertgeo import datasets
    >>> p = datasets.load("places")
    >>> town = p[p["asciiname"] == "Albu Kamal"]
    >>> r = distance_to_borders(town)
    >>> r["nearest_border"].iloc[0]
    'Iraq'
    """
    from desertgeo import datasets

    lon, lat = _points_of(events)
    b = datasets.load("borders").reset_index(drop=True)
    names = _name_column(b)
    out = pd.DataFrame(index=events.index)
    stack = []
    labels = []
    for iso in b["neighbour"].astype(str).str.upper().unique():
        sel = b[b["neighbour"].astype(str).str.upper() == iso]
        d, _, _, _ = geodesic_distance_to_lines(lon, lat, np.asarray(sel.geometry.array))
        lab = next((k for k, v in NEIGHBOURS.items() if v == iso), iso.lower())
        out[f"dist_{lab}_km"] = d / 1000.0
        stack.append(d)
        labels.append(str(names[sel.index[0]]))
    arr = np.vstack(stack)
    allnan = np.all(np.isnan(arr), axis=0)
    filled = np.where(np.isnan(arr), np.inf, arr)
    idx = np.argmin(filled, axis=0)
    out["dist_border_km"] = np.where(allnan, np.nan, filled[idx, np.arange(arr.shape[1])] / 1000)
    out["nearest_border"] = pd.array(
        [pd.NA if m else labels[i] for i, m in zip(idx, allnan, strict=True)], dtype="string"
    )
    return out


def _distance_column(frame: pd.DataFrame, column: str | None) -> str:
    if column is not None:
        if column not in frame.columns:
            raise InputError(f"column {column!r} not in the frame; columns: {list(frame.columns)}")
        return column
    cols = [c for c in frame.columns if str(c).startswith("dist_") and str(c).endswith("_km")]
    if len(cols) != 1:
        raise InputError(
            f"say which distance column to use (column=...); candidates: {cols or 'none'}"
        )
    return str(cols[0])


@positional_options("by", "quantiles", "within_km")
def distance_stats(
    events: pd.DataFrame,
    column: str | None = None,
    *,
    by: str | Sequence[str] | None = None,
    quantiles: Sequence[float] = (0.1, 0.25, 0.75, 0.9),
    within_km: Sequence[float] = (10, 25, 55, 100),
) -> pd.DataFrame:
    """Summary statistics of a distance column, overall or by group.

    Parameters
    ----------
    events : DataFrame
        Holds the distance column (e.g. events joined with :func:`distance_to`).
    column : str, optional
        Distance column in km; default the only ``dist_*_km`` column.
    by : str or list of str, optional
        Grouping column(s) (e.g. ``"controller"``, ``"year"``).
    quantiles : sequence of float
        Quantiles to report (columns ``q10``, ``q25``, ...).
    within_km : sequence of float
        Report the share of events within each distance (``share_within_55km``).

    Returns
    -------
    DataFrame
        One row per group (``"all"`` without ``by``): ``count`` (events with a
        distance), ``missing``, ``mean_km``, ``median_km``, ``min_km``,
        ``max_km``, the quantiles and the shares within.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"dist_border_km": [5.0, 20.0, 60.0, None], "g": list("aabb")})
    >>> distance_stats(df, within_km=(10, 55))[["count", "median_km", "share_within_10km"]]
         count  median_km  share_within_10km
    all      3       20.0           0.333333
    >>> distance_stats(df, by="g", quantiles=())["mean_km"].round(1).tolist()
    [12.5, 60.0]
    """
    col = _distance_column(events, column)
    values = pd.to_numeric(events[col], errors="coerce").astype("float64")

    def stats(v: pd.Series) -> dict[str, Any]:
        ok = v.dropna()
        row: dict[str, Any] = {
            "count": int(ok.size),
            "missing": int(v.size - ok.size),
            "mean_km": float(ok.mean()) if ok.size else np.nan,
            "median_km": float(ok.median()) if ok.size else np.nan,
            "min_km": float(ok.min()) if ok.size else np.nan,
            "max_km": float(ok.max()) if ok.size else np.nan,
        }
        for q in quantiles:
            row[f"q{round(q * 100):g}"] = float(ok.quantile(q)) if ok.size else np.nan
        for w in within_km:
            row[f"share_within_{w:g}km"] = float((ok <= w).mean()) if ok.size else np.nan
        return row

    if by is None:
        return pd.DataFrame([stats(values)], index=pd.Index(["all"]))
    keys = [by] if isinstance(by, str) else list(by)
    for k in keys:
        if k not in events.columns:
            raise InputError(f"grouping column {k!r} not in the frame")
    rows: dict[Hashable, dict[str, Any]] = {}
    for key, grp in values.groupby(
        [events[k] for k in keys] if len(keys) > 1 else events[keys[0]], dropna=False, sort=True
    ):
        rows[key] = stats(grp)
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = keys[0] if len(keys) == 1 else None
    return out


@positional_options("bins", "by")
def histogram_data(
    events: pd.DataFrame,
    column: str | None = None,
    *,
    bins: int | Sequence[float] = 20,
    by: str | None = None,
) -> pd.DataFrame:
    """Counts of a distance column in bins, ready to draw as a histogram.

    Parameters
    ----------
    events : DataFrame
    column : str, optional
        Distance column (default: the only ``dist_*_km`` column).
    bins : int or sequence of float
        Number of equal-width bins from 0 to the maximum, or the bin edges in km.
    by : str, optional
        Grouping column: one set of counts per group on shared edges.

    Returns
    -------
    DataFrame
        ``bin_left_km``, ``bin_right_km``, ``count`` (and ``by`` when given);
        the last bin includes its right edge.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"dist_border_km": [1.0, 2.0, 12.0, None]})
    >>> histogram_data(df, bins=[0, 10, 20])["count"].tolist()
    [2, 1]
    """
    col = _distance_column(events, column)
    values = pd.to_numeric(events[col], errors="coerce").astype("float64")
    ok = values.dropna()
    if isinstance(bins, int):
        top = float(ok.max()) if ok.size else 1.0
        edges = np.linspace(0.0, top if top > 0 else 1.0, bins + 1)
    else:
        edges = np.asarray(bins, dtype=float)
        if edges.ndim != 1 or edges.size < 2 or np.any(np.diff(edges) <= 0):
            raise InputError("bins must be an int or increasing edges (at least two)")
    groups: list[tuple[Any, pd.Series]] = (
        [(None, ok)] if by is None else list(ok.groupby(events.loc[ok.index, by], sort=True))
    )
    parts = []
    for key, v in groups:
        counts, _ = np.histogram(v.to_numpy(), bins=edges)
        part = pd.DataFrame(
            {"bin_left_km": edges[:-1], "bin_right_km": edges[1:], "count": counts.astype(int)}
        )
        if by is not None:
            part.insert(0, by, key)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)
