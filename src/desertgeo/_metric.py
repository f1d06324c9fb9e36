"""Small metric helpers shared by the analysis modules (private).

* :func:`unit_xyz` puts longitude/latitude on the unit sphere; the Euclidean
  (chord) distance there is a monotonic function of the great-circle distance,
  ``chord = 2 sin(d / 2R)``, so a KD-tree on these coordinates gives *exact*
  haversine neighbourhoods (:func:`chord_for_km` converts a radius).
* :func:`to_utm` projects to UTM zone 37N (EPSG:32637), the metric CRS used for
  grids and planar algorithms over Syria.

Examples
--------
>>> import numpy as np
>>> xyz = unit_xyz(np.array([38.0, 38.0]), np.array([34.0, 34.1]))
>>> round(float(chord_to_km(np.linalg.norm(xyz[0] - xyz[1]))), 3)
11.119
>>> x, y = to_utm(np.array([39.0]), np.array([0.0]))
>>> round(float(x[0]))
500000
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from pyproj import Transformer

__all__ = [
    "EARTH_RADIUS_KM",
    "UTM37N",
    "chord_for_km",
    "chord_to_km",
    "from_utm",
    "haversine_km",
    "to_utm",
    "unit_xyz",
]

#: mean Earth radius (IUGG R1), the value scikit-learn users pass to haversine
EARTH_RADIUS_KM = 6371.0088
#: UTM zone 37N on WGS84, the metric CRS of desertgeo's grids
UTM37N = 32637


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


@lru_cache(maxsize=4)
def _transformer(forward: bool) -> Transformer:
    if forward:
        return Transformer.from_crs(4326, UTM37N, always_xy=True)
    return Transformer.from_crs(UTM37N, 4326, always_xy=True)


def to_utm(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Project lon/lat degrees (WGS84) to UTM 37N metres."""
    x, y = _transformer(True).transform(np.asarray(lon, "float64"), np.asarray(lat, "float64"))
    return np.asarray(x), np.asarray(y)


def from_utm(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unproject UTM 37N metres to lon/lat degrees (WGS84)."""
    lon, lat = _transformer(False).transform(np.asarray(x, "float64"), np.asarray(y, "float64"))
    return np.asarray(lon), np.asarray(lat)
