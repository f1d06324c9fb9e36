"""The one home of desertgeo's geodesy (private, core layer).

* :data:`GEOD` is the WGS84 ellipsoid (:class:`pyproj.Geod`), built once; every
  geodesic distance, azimuth, forward point, length and area goes through it.
* :data:`METRIC_CRS` is UTM zone 37N on WGS84 (EPSG:32637), the one metric CRS of
  grids, hulls and planar algorithms over Syria; :func:`to_metric` /
  :func:`from_metric` project to and from it with cached transformers
  (:func:`metric_transformer`).
* :func:`distance_m`, :func:`azimuth_deg` and :func:`forward` are array wrappers
  over :data:`GEOD` (metres, degrees clockwise from north).
* :func:`compass` names an azimuth on an 8-point compass ("north-east").
* :func:`unit_xyz` puts longitude/latitude on the unit sphere; the Euclidean
  (chord) distance there is a monotonic function of the great-circle distance,
  ``chord = 2 sin(d / 2R)``, so a KD-tree on these coordinates gives *exact*
  haversine neighbourhoods (:func:`chord_for_km` converts a radius).

Examples
--------
>>> import numpy as np
>>> xyz = unit_xyz(np.array([38.0, 38.0]), np.array([34.0, 34.1]))
>>> round(float(chord_to_km(np.linalg.norm(xyz[0] - xyz[1]))), 3)
11.119
>>> x, y = to_metric(np.array([39.0]), np.array([0.0]))
>>> round(float(x[0]))
500000
>>> round(float(distance_m(38.0, 34.0, 38.0, 35.0)[0]))
110931
>>> compass(float(azimuth_deg(38.0, 34.0, 39.0, 35.0)[0]))
'north-east'
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike
from pyproj import Geod, Transformer

__all__ = [
    "EARTH_RADIUS_KM",
    "GEOD",
    "METRIC_CRS",
    "WGS84",
    "azimuth_deg",
    "chord_for_km",
    "chord_to_km",
    "compass",
    "distance_m",
    "forward",
    "from_metric",
    "haversine_km",
    "metric_transformer",
    "to_metric",
    "unit_xyz",
]

#: mean Earth radius (IUGG R1), the value scikit-learn users pass to haversine
EARTH_RADIUS_KM = 6371.0088
#: longitude/latitude on WGS84, the CRS of every frame desertgeo returns
WGS84 = 4326
#: UTM zone 37N on WGS84 (EPSG:32637), the metric CRS of desertgeo's grids
METRIC_CRS = 32637
#: the WGS84 ellipsoid; the one geodesic calculator of the package
GEOD = Geod(ellps="WGS84")

_COMPASS = ("north", "north-east", "east", "south-east", "south", "south-west", "west",
            "north-west")  # fmt: skip


def unit_xyz(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Return an ``(n, 3)`` array of unit-sphere coordinates of lon/lat degrees."""
    lo = np.radians(np.asarray(lon, dtype="float64"))
    la = np.radians(np.asarray(lat, dtype="float64"))
    cos_la = np.cos(la)
    return np.column_stack([cos_la * np.cos(lo), cos_la * np.sin(lo), np.sin(la)])


def chord_for_km(km: float, radius_km: float = EARTH_RADIUS_KM) -> float:
    """Chord length on the unit sphere of a great-circle distance of ``km``."""
    return float(2.0 * np.sin(min(km / (2.0 * radius_km), np.pi / 2)))


def chord_to_km(chord: np.ndarray | float, radius_km: float = EARTH_RADIUS_KM) -> np.ndarray:
    """Great-circle distance in km of unit-sphere chord length(s)."""
    return np.asarray(2.0 * radius_km * np.arcsin(np.clip(np.asarray(chord) / 2.0, 0.0, 1.0)))


def haversine_km(
    lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray
) -> np.ndarray:
    """Great-circle (haversine) distance in km on the sphere of radius 6371.0088 km."""
    la1, la2 = np.radians(lat1), np.radians(lat2)
    dla = la2 - la1
    dlo = np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin(dla / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin(dlo / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))))


@lru_cache(maxsize=8)
def metric_transformer(*, inverse: bool = False, crs: int = METRIC_CRS) -> Transformer:
    """The cached transformer WGS84 → ``crs`` (``inverse=True``: ``crs`` → WGS84).

    Examples
    --------
    >>> metric_transformer() is metric_transformer()
    True
    """
    if inverse:
        return Transformer.from_crs(crs, WGS84, always_xy=True)
    return Transformer.from_crs(WGS84, crs, always_xy=True)


def to_metric(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Project lon/lat degrees (WGS84) to :data:`METRIC_CRS` metres."""
    x, y = metric_transformer().transform(np.asarray(lon, "float64"), np.asarray(lat, "float64"))
    return np.asarray(x), np.asarray(y)


def from_metric(x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Unproject :data:`METRIC_CRS` metres to lon/lat degrees (WGS84)."""
    tr = metric_transformer(inverse=True)
    lon, lat = tr.transform(np.asarray(x, "float64"), np.asarray(y, "float64"))
    return np.asarray(lon), np.asarray(lat)


def _arrays(*values: ArrayLike) -> list[np.ndarray]:
    return [np.asarray(v, dtype="float64") for v in np.broadcast_arrays(*values)]


def distance_m(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike) -> np.ndarray:
    """Geodesic distance(s) in metres on WGS84 (arrays broadcast; always 1-d)."""
    a, b, c, d = _arrays(lon1, lat1, lon2, lat2)
    _, _, dist = GEOD.inv(a.ravel(), b.ravel(), c.ravel(), d.ravel())
    return np.asarray(dist, dtype="float64")


def azimuth_deg(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike) -> np.ndarray:
    """Forward azimuth(s) in degrees clockwise from north of the geodesic 1 → 2."""
    a, b, c, d = _arrays(lon1, lat1, lon2, lat2)
    az, _, _ = GEOD.inv(a.ravel(), b.ravel(), c.ravel(), d.ravel())
    return np.asarray(az, dtype="float64")


def forward(
    lon: ArrayLike, lat: ArrayLike, azimuth: ArrayLike, distance: ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """Point(s) ``distance`` metres from lon/lat along ``azimuth`` degrees (WGS84).

    Examples
    --------
    >>> lon, lat = forward(38.0, 34.0, 0.0, 110931.0)
    >>> round(float(lat[0]), 4)
    35.0
    """
    a, b, c, d = _arrays(lon, lat, azimuth, distance)
    lo, la, _ = GEOD.fwd(a.ravel(), b.ravel(), c.ravel(), d.ravel())
    return np.asarray(lo, dtype="float64"), np.asarray(la, dtype="float64")


def compass(azimuth: float | None) -> str:
    """The 8-point compass name of an azimuth in degrees ("" for None).

    Examples
    --------
    >>> compass(0.0), compass(100.0), compass(-45.0), compass(None)
    ('north', 'east', 'north-west', '')
    """
    return "" if azimuth is None else _COMPASS[int(((azimuth % 360) + 22.5) // 45) % 8]
