"""Reverse geocoding: each event's nearest named place, its distance and bearing.

:func:`nearest_places` answers "where is this point?" the way reports do: "12 km NE of As
Sukhnah". It searches a spatial index (an R-tree of the gazetteer's points, from the
``rtree`` package) and refines the candidates with exact geodesic distances on the WGS84
ellipsoid, so the answer is the geodesically nearest place, not the nearest in degrees.

The index is built once per gazetteer and feature-type filter and cached. It grows with
the gazetteer: :meth:`desertgeo.gazetteer.Gazetteer.add` returns a new gazetteer whose first
rows are the old one's, and the new gazetteer's index reuses the old R-tree and indexes only
the added rows.

Examples
--------
>>> import geopandas as gpd
>>> from shapely.geometry import Point
>>> from desertgeo.reverse import nearest_places
>>> ev = gpd.GeoDataFrame(geometry=[Point(38.95, 34.97), None], crs=4326)
>>> r = nearest_places(ev)
>>> r.loc[0, "label"]
'6.7 km NW of Kasrat Faraj'
>>> r.loc[1, ["place", "reason"]].tolist()
[<NA>, 'no point']
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from desertgeo._errors import InputError
from desertgeo._geodesy import GEOD

if TYPE_CHECKING:
    import geopandas as gpd

    from desertgeo.gazetteer import Gazetteer

__all__ = ["DEFAULT_FEATURE_TYPES", "compass_point", "nearest_places", "place_label"]

#: what a label names by default: towns, villages, city districts and places users add
DEFAULT_FEATURE_TYPES: tuple[str, ...] = (
    "populated place",
    "city district",
    "neighbourhood",
    "user",
)

#: the eight compass points, clockwise from north
_COMPASS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")
#: WGS84 semi-major axis and the shortest meridian degree (at the equator), metres
_A = 6378137.0
_MERIDIAN_DEG_MIN = 110574.0
#: candidates taken from the R-tree in degree space before the geodesic refinement
_EXTRA = 4
#: rebuild one R-tree once a gazetteer has grown in more than this many steps
_MAX_SEGMENTS = 8

_COLUMNS = [
    "place",
    "place_id",
    "feature_type",
    "country",
    "admin1",
    "place_lon",
    "place_lat",
    "distance_km",
    "bearing_deg",
    "direction",
    "label",
    "reason",
]


def compass_point(bearing_deg: float) -> str:
    """The eight-point compass direction of a bearing in degrees (``""`` for NaN).

    Examples
    --------
    >>> [compass_point(b) for b in (0, 44, 46, 180, 337.6, float("nan"))]
    ['N', 'NE', 'NE', 'S', 'N', '']
    """
    if not math.isfinite(bearing_deg):
        return ""
    return _COMPASS[int(((bearing_deg % 360.0) + 22.5) // 45.0) % 8]


def place_label(distance_km: float, bearing_deg: float, place: str) -> str:
    """``"12 km NE of As Sukhnah"``; ``"at X"`` within 0.5 km; ``""`` without a place.

    Distances of 10 km and more are rounded to the kilometre, shorter ones to 0.1 km.
    ``bearing_deg`` is the direction of the point as seen from the place.

    Examples
    --------
    >>> place_label(12.4, 40.0, "As Sukhnah")
    '12 km NE of As Sukhnah'
    >>> place_label(3.26, 200.0, "Arak"), place_label(0.3, 90.0, "Arak")
    ('3.3 km S of Arak', 'at Arak')
    """
    if not place or not math.isfinite(distance_km):
        return ""
    if distance_km < 0.5:
        return f"at {place}"
    text = f"{distance_km:.0f}" if distance_km >= 10 else f"{distance_km:.1f}"
    return f"{text} km {compass_point(bearing_deg)} of {place}"


# ----------------------------------------------------------------------- the index
@dataclass(frozen=True)
class _Segment:
    """One R-tree over gazetteer rows ``[start, stop)`` (positions into the table)."""

    start: int
    stop: int
    tree: Any  # rtree.index.Index, or None when no row of the range passed the filter


def _rtree(rows: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> Any:
    from rtree import index

    if not len(rows):
        return None
    # ids are the rows' positions in the gazetteer table; points are zero-size boxes
    ids = np.ascontiguousarray(rows, dtype=np.int64)
    pts = np.ascontiguousarray(np.column_stack([lon[rows], lat[rows]]), dtype="float64")
    try:  # NumPy bulk loading (libspatialindex >= 2.1)
        return index.Index((ids, pts, pts))
    except NotImplementedError:  # pragma: no cover - older libspatialindex: stream loading
        stream = ((int(i), (x, y, x, y), None) for i, (x, y) in zip(ids, pts.tolist(), strict=True))
        return index.Index(stream)


class _PlaceIndex:
    """R-tree segments over one gazetteer's points, for one feature-type filter."""

    def __init__(self, segments: list[_Segment], ids: np.ndarray, xy: np.ndarray) -> None:
        self.segments = segments
        #: place_id and lon/lat of every row indexed so far (to recognise a gazetteer grown
        #: from this one: the same ids at the same points, then more rows)
        self.ids = ids
        self.xy = xy

    def is_prefix_of(self, ids: np.ndarray, xy: np.ndarray) -> bool:
        n = self.size
        return (
            n <= len(ids)
            and np.array_equal(self.ids, ids[:n])
            and np.array_equal(self.xy, xy[:n], equal_nan=True)
        )

    @property
    def size(self) -> int:
        return len(self.ids)

    def query(self, lon: np.ndarray, lat: np.ndarray, k: int) -> list[np.ndarray]:
        """Candidate row positions per point: the ``k + _EXTRA`` nearest in degree space."""
        out: list[list[np.ndarray]] = [[] for _ in range(len(lon))]
        boxes = np.column_stack([lon, lat])
        for seg in self.segments:
            if seg.tree is None:
                continue
            ids, counts = seg.tree.nearest_v(boxes, boxes, num_results=k + _EXTRA)
            for i, part in enumerate(np.split(ids, np.cumsum(counts)[:-1])):
                out[i].append(part)
        return [np.concatenate(p) if p else np.empty(0, dtype="int64") for p in out]

    def within_boxes(self, mins: np.ndarray, maxs: np.ndarray) -> list[np.ndarray]:
        """Row positions inside each lon/lat box."""
        out: list[list[np.ndarray]] = [[] for _ in range(len(mins))]
        for seg in self.segments:
            if seg.tree is None:
                continue
            ids, counts = seg.tree.intersection_v(mins, maxs)
            for i, part in enumerate(np.split(ids, np.cumsum(counts)[:-1])):
                out[i].append(part)
        return [np.concatenate(p) if p else np.empty(0, dtype="int64") for p in out]


#: gazetteer -> {feature-type key -> index}; entries die with their gazetteer
_CACHE: weakref.WeakKeyDictionary[Any, dict[Any, _PlaceIndex]] = weakref.WeakKeyDictionary()


def _wanted(table: pd.DataFrame, start: int, key: tuple[Any, float]) -> np.ndarray:
    """Positions ``>= start`` of rows with a finite point, a wanted type and population."""
    types, min_population = key
    part = table.iloc[start:]
    ok = np.isfinite(part["lon"].to_numpy(dtype="float64")) & np.isfinite(
        part["lat"].to_numpy(dtype="float64")
    )
    if types is not None:
        ok &= part["feature_type"].astype(str).isin(types).to_numpy()
    if min_population > 0:
        pop = pd.to_numeric(part["population"], errors="coerce").fillna(0).to_numpy()
        ok &= pop >= min_population
    return start + np.flatnonzero(ok)


def _segment(table: pd.DataFrame, start: int, key: tuple[Any, float]) -> _Segment:
    rows = _wanted(table, start, key)
    lon = table["lon"].to_numpy(dtype="float64")
    lat = table["lat"].to_numpy(dtype="float64")
    return _Segment(start, len(table), _rtree(rows, lon, lat))


def _grown_from(ids: np.ndarray, xy: np.ndarray, key: tuple[Any, float]) -> _PlaceIndex | None:
    """A cached index (same filter) whose rows are the first rows of this table."""
    best: _PlaceIndex | None = None
    for per_key in list(_CACHE.values()):
        idx = per_key.get(key)
        if idx is None or (best is not None and idx.size <= best.size):
            continue
        if idx.is_prefix_of(ids, xy):
            best = idx
    return best


def place_index(
    gazetteer: Gazetteer | _FramePlaces,
    feature_types: Iterable[str] | None,
    min_population: float = 0,
) -> _PlaceIndex:
    """The cached R-tree index of ``gazetteer`` for one filter (built on first use)."""
    types = None if feature_types is None else frozenset(str(f) for f in feature_types)
    key = (types, float(min_population))
    table = gazetteer._table
    ids = table["place_id"].astype(str).to_numpy()
    xy = table[["lon", "lat"]].to_numpy(dtype="float64")
    per_key = _CACHE.setdefault(gazetteer, {})
    idx = per_key.get(key)
    if idx is not None and idx.size == len(ids) and idx.is_prefix_of(ids, xy):
        return idx
    if idx is None or not idx.is_prefix_of(ids, xy):
        idx = _grown_from(ids, xy, key)
    if idx is None or len(idx.segments) >= _MAX_SEGMENTS:
        new = _PlaceIndex([_segment(table, 0, key)], ids, xy)
    else:  # the gazetteer grew: keep the old trees, index the added rows only
        new = _PlaceIndex([*idx.segments, _segment(table, idx.size, key)], ids, xy)
    per_key[key] = new
    return new


class _FramePlaces:
    """A point frame with a ``name`` column, seen as a gazetteer table (for indexing)."""

    def __init__(self, frame: gpd.GeoDataFrame) -> None:
        import shapely

        from desertgeo._validate import ensure_4326, require_columns

        gdf = ensure_4326(frame, what="places")
        require_columns(gdf, ["name"], what="places")
        arr = np.asarray(gdf.geometry.array)
        point = np.asarray(shapely.get_type_id(arr)) == 0
        lon = np.where(point, shapely.get_x(arr), np.nan)
        lat = np.where(point, shapely.get_y(arr), np.nan)
        id_cols = [c for c in ("place_id", "site_id", "geonameid") if c in gdf.columns]
        ids = (
            gdf[id_cols[0]].astype(str).to_numpy()
            if id_cols
            else np.array([f"row:{i}" for i in gdf.index], dtype=object)
        )
        self._table = pd.DataFrame(
            {
                "place_id": ids,
                "name": gdf["name"].astype(str).to_numpy(),
                "feature_type": gdf["feature_type"].astype(str).to_numpy()
                if "feature_type" in gdf
                else "user",
                "country": gdf["country"].astype(str).to_numpy() if "country" in gdf else "",
                "admin1": gdf["admin1"].astype(str).to_numpy() if "admin1" in gdf else "",
                "population": pd.to_numeric(gdf["population"], errors="coerce").to_numpy()
                if "population" in gdf
                else 0,
                "lon": lon,
                "lat": lat,
            }
        )


# ----------------------------------------------------------------------- the search
def _boxes(lon: np.ndarray, lat: np.ndarray, radius_m: np.ndarray) -> tuple[Any, Any]:
    """Lon/lat boxes sure to hold every point within ``radius_m`` (geodesic) of each point.

    A geodesic of length ``s`` changes latitude by at most ``s / 110574 m`` per degree and,
    on parallels no nearer the pole than ``phi``, longitude by at most
    ``s / (a cos phi)`` radians.
    """
    r = radius_m * 1.000001 + 1.0
    dlat = r / _MERIDIAN_DEG_MIN
    top = np.minimum(np.abs(lat) + dlat, 90.0)
    cos_top = np.cos(np.radians(top))
    with np.errstate(divide="ignore"):
        dlon = np.degrees(r / (_A * cos_top))
    whole = (top >= 89.999) | (dlon >= 180.0) | (lon - dlon < -180.0) | (lon + dlon > 180.0)
    mins = np.column_stack([np.where(whole, -180.0, lon - dlon), np.maximum(lat - dlat, -90.0)])
    maxs = np.column_stack([np.where(whole, 180.0, lon + dlon), np.minimum(lat + dlat, 90.0)])
    return mins, maxs


def _k_nearest(
    index: _PlaceIndex, plon: np.ndarray, plat: np.ndarray, lon: np.ndarray, lat: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows (``-1`` when fewer places), distances (m) and bearings place->point, shape (n, k)."""
    geod = GEOD
    n = len(lon)
    rows = np.full((n, k), -1, dtype="int64")
    dist = np.full((n, k), np.nan)
    bear = np.full((n, k), np.nan)
    if not n:
        return rows, dist, bear
    cand = index.query(lon, lat, k)
    # exact geodesic distance of the k-th degree-space candidate bounds the search radius
    owner = np.repeat(np.arange(n), [len(c) for c in cand])
    flat = np.concatenate(cand) if n else np.empty(0, dtype="int64")
    _, _, d = geod.inv(lon[owner], lat[owner], plon[flat], plat[flat])
    radius = np.full(n, np.inf)
    start = 0
    for i, c in enumerate(cand):
        part = np.sort(np.asarray(d[start : start + len(c)]))
        start += len(c)
        if len(part) >= k:
            radius[i] = part[k - 1]
    mins, maxs = _boxes(lon, lat, np.where(np.isfinite(radius), radius, 2.1e7))
    inside = index.within_boxes(mins, maxs)
    owner = np.repeat(np.arange(n), [len(c) for c in inside])
    flat = np.concatenate(inside) if n else np.empty(0, dtype="int64")
    # azimuth from the place to the event: the event lies <bearing> of the place
    az, _, d = geod.inv(plon[flat], plat[flat], lon[owner], lat[owner])
    d = np.asarray(d)
    az = np.asarray(az) % 360.0
    start = 0
    for i, c in enumerate(inside):
        stop = start + len(c)
        # nearest first; ties by gazetteer position so the answer is deterministic
        order = np.lexsort((flat[start:stop], d[start:stop]))[:k]
        m = len(order)
        rows[i, :m] = flat[start:stop][order]
        dist[i, :m] = d[start:stop][order]
        bear[i, :m] = az[start:stop][order]
        start = stop
    return rows, dist, bear


def _latin(name: str) -> bool:
    return any("a" <= ch.casefold() <= "z" for ch in name)


def _display_names(table: pd.DataFrame, rows: np.ndarray, has: np.ndarray) -> list[str]:
    """The name a label shows: the record's name, or for a record named in Arabic script
    only (a few Who's On First city records) its first plain-Latin spelling."""
    if not len(table):
        return [""] * len(rows)
    name = table["name"].astype(str).to_numpy()
    spellings = table["names"].to_numpy() if "names" in table.columns else None
    out = []
    for r, h in zip(rows.tolist(), has.tolist(), strict=True):
        shown = name[r] if h else ""
        if h and not _latin(shown) and spellings is not None:
            options = [str(x) for x in spellings[r]]
            plain = [x for x in options if x.isascii() and _latin(x)]
            latin = plain or [x for x in options if _latin(x)]
            shown = latin[0] if latin else shown
        out.append(shown)
    return out


def _frame(
    table: pd.DataFrame,
    rows: np.ndarray,
    dist_m: np.ndarray,
    bear: np.ndarray,
    reason: np.ndarray,
) -> pd.DataFrame:
    has = rows >= 0
    safe = np.where(has, rows, 0)

    def col(name: str) -> pd.Series:
        values = np.asarray(
            table[name].astype(str).to_numpy()[safe] if len(table) else np.full(len(rows), ""),
            dtype=object,
        )
        values[~has] = None
        return pd.Series(pd.array(values, dtype="string"))

    def num(name: str) -> np.ndarray:
        values = table[name].to_numpy(dtype="float64")[safe] if len(table) else np.zeros(len(rows))
        return np.where(has, values, np.nan)

    km = dist_m / 1000.0
    names = col("name")
    shown = _display_names(table, safe, has)
    labels = [
        place_label(float(d), float(b), p) if h else ""
        for d, b, p, h in zip(km, bear, shown, has, strict=True)
    ]
    return pd.DataFrame(
        {
            "place": names,
            "place_id": col("place_id"),
            "feature_type": col("feature_type"),
            "country": col("country"),
            "admin1": col("admin1"),
            "place_lon": num("lon"),
            "place_lat": num("lat"),
            "distance_km": km,
            "bearing_deg": bear,
            "direction": pd.array(
                [compass_point(float(b)) if h else None for b, h in zip(bear, has, strict=True)],
                dtype="string",
            ),
            "label": pd.array(
                [lb if h else None for lb, h in zip(labels, has, strict=True)], dtype="string"
            ),
            "reason": reason,
        }
    )


def nearest_places(
    events: gpd.GeoDataFrame | gpd.GeoSeries,
    k: int = 1,
    *,
    gazetteer: Gazetteer | gpd.GeoDataFrame | None = None,
    feature_types: Sequence[str] | None = DEFAULT_FEATURE_TYPES,
    min_population: float = 0,
) -> pd.DataFrame:
    """Each event's nearest named place(s), with geodesic distance, bearing and a label.

    Parameters
    ----------
    events : GeoDataFrame or GeoSeries
        Point events with a CRS (reprojected to EPSG:4326 when it differs). Rows without a
        point (missing or empty geometry) are kept, with NaN and ``reason="no point"``.
    k : int, default 1
        How many places per event, nearest first.
    gazetteer : Gazetteer or GeoDataFrame, optional
        Where the names come from; default :meth:`Gazetteer.default` (with the user's
        added places). A gazetteer made by ``.add(...)`` from an indexed one reuses that
        index and indexes only the added rows. A GeoDataFrame of points with a ``name``
        column (and optionally ``place_id``, ``feature_type`` (default ``"user"``),
        ``country``, ``admin1``, ``population``) is indexed for the call.
    feature_types : sequence of str or None, default :data:`DEFAULT_FEATURE_TYPES`
        The gazetteer ``feature_type`` values a label may name (towns, villages, city
        districts, user places); ``None`` for every entry (sites, sub-district centres).
    min_population : float, default 0
        Name only places with at least this population (as the gazetteer records it;
        most villages record none, so any value above 0 keeps the towns).

    Returns
    -------
    DataFrame
        For ``k=1``, aligned to ``events.index``; for ``k > 1``, ``k`` rows per event under
        a two-level index (the event's index, ``rank`` 1..k). Columns: ``place``,
        ``place_id``, ``feature_type``, ``country``, ``admin1``, ``place_lon``,
        ``place_lat``, ``distance_km`` (geodesic, WGS84), ``bearing_deg`` (the direction
        of the event as seen from the place, degrees clockwise from north), ``direction``
        (eight-point compass), ``label`` (``"12 km NE of As Sukhnah"``; a place recorded
        only in Arabic script is labelled by its first Latin spelling) and ``reason``
        (``""``, ``"no point"``, or ``"no place"`` when the gazetteer has fewer than ``k``
        places of the wanted types).

    Raises
    ------
    InputError
        ``k`` is not a positive integer, or the events are not point geometries.
    CRSError
        The events have no CRS.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> ev = gpd.GeoDataFrame(geometry=[Point(38.28, 34.50)], crs=4326, index=["a"])
    >>> r = nearest_places(ev, k=2)
    >>> r.loc["a", ["place", "direction"]].values.tolist()
    [['`Ishshah ash Sharqiyah', 'W'], ['Bir Abu Qanatir', 'S']]
    >>> round(float(r.loc[("a", 1), "distance_km"]), 2)
    3.37

    Towns only (the places with a recorded population of 10,000 or more):

    >>> far = gpd.GeoDataFrame(geometry=[Point(40.0, 35.0)], crs=4326)
    >>> nearest_places(far, min_population=10_000)["label"].tolist()
    ['39 km S of Deir ez-Zor']
    """
    from desertgeo.distance import _points_of
    from desertgeo.gazetteer import Gazetteer

    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise InputError(f"k must be a positive integer, got {k!r}")
    k = int(k)
    import geopandas as gpd

    source: Gazetteer | _FramePlaces
    if gazetteer is None:
        source = Gazetteer.default()
    elif isinstance(gazetteer, Gazetteer):
        source = gazetteer
    elif isinstance(gazetteer, gpd.GeoDataFrame):
        source = _FramePlaces(gazetteer)
    else:
        raise InputError(
            f"gazetteer must be a desertgeo Gazetteer or a GeoDataFrame of named points, got "
            f"{type(gazetteer).__name__}; build one with Gazetteer.default().add(...)"
        )
    if isinstance(feature_types, str):
        feature_types = (feature_types,)
    lon, lat = _points_of(events)
    if not (isinstance(min_population, (int, float)) and math.isfinite(min_population)):
        raise InputError(f"min_population must be a finite number, got {min_population!r}")
    index = place_index(source, feature_types, min_population)
    table = source._table
    plon = table["lon"].to_numpy(dtype="float64")
    plat = table["lat"].to_numpy(dtype="float64")
    n = len(lon)
    good = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
    rows = np.full((n, k), -1, dtype="int64")
    dist = np.full((n, k), np.nan)
    bear = np.full((n, k), np.nan)
    r, d, b = _k_nearest(index, plon, plat, lon[good], lat[good], k)
    rows[good], dist[good], bear[good] = r, d, b
    reason = np.where(rows >= 0, "", "no place").astype(object)
    reason[~(np.isfinite(lon) & np.isfinite(lat))] = "no point"
    out = _frame(table, rows.ravel(), dist.ravel(), bear.ravel(), reason.ravel())
    if k == 1:
        out.index = events.index
    else:
        out.index = pd.MultiIndex.from_product(
            [events.index, range(1, k + 1)], names=[events.index.name, "rank"]
        )
    return out
