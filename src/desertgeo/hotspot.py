"""Hotspots of events: Getis-Ord Gi* on a metric grid, and the Knox space-time test.

:func:`hotspots` counts events (or sums a weight such as fatalities) in the cells of
a hexagonal or square grid laid out in UTM 37N metres over the events' extent
(empty cells included: they are part of the statistic), computes the Gi* z-score of
every cell with binary weights over a distance band (by default the touching cells,
the cell itself included), two-sided normal p-values, and a Benjamini-Hochberg
false-discovery-rate correction. The analytical z-scores are the same as
``esda.G_Local(star=True, transform="B")``'s ``Zs``.

:func:`knox_test` is the near-repeat test: are there more pairs of events close in
space *and* in time than the dates shuffled among the same places give?
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree
from scipy.special import ndtr

from desertgeo._errors import InputError
from desertgeo._geodesy import METRIC_CRS, chord_for_km, to_metric, unit_xyz
from desertgeo._validate import ensure_4326, parse_dates

__all__ = ["KnoxResult", "benjamini_hochberg", "getis_ord_gi_star", "hotspots", "knox_test"]


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (false discovery rate).

    Examples
    --------
    >>> benjamini_hochberg(np.array([0.01, 0.04, 0.03, 0.20])).round(3).tolist()
    [0.04, 0.053, 0.053, 0.2]
    """
    p = np.asarray(p, dtype="float64")
    n = len(p)
    if n == 0:
        return p.copy()
    order = np.argsort(p)
    ranked = p[order] * n / np.arange(1, n + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(n)
    out[order] = np.minimum(ranked, 1.0)
    return out


def getis_ord_gi_star(values: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Gi* z-scores of ``values`` with binary weights on the pairs ``(i, j)``.

    ``(i, j)`` lists each unordered neighbour pair once (``i != j``); every cell is
    also its own neighbour. z = (sum_j w_ij x_j - mean * W_i) /
    (s * sqrt((n * W_i - W_i^2) / (n - 1))) with ``s`` the population standard
    deviation of all values.

    Examples
    --------
    >>> x = np.array([10.0, 9.0, 0.0, 0.0, 1.0])
    >>> getis_ord_gi_star(x, np.array([0, 1, 2, 3]), np.array([1, 2, 3, 4])).round(2).tolist()
    [1.99, 1.27, -0.54, -1.99, -1.27]
    """
    x = np.asarray(values, dtype="float64")
    n = len(x)
    lag = x.copy()
    np.add.at(lag, i, x[j])
    np.add.at(lag, j, x[i])
    w = np.ones(n) + np.bincount(i, minlength=n) + np.bincount(j, minlength=n)
    mean = x.mean()
    s = np.sqrt(max((x**2).mean() - mean**2, 0.0))
    denom = s * np.sqrt(np.maximum(n * w - w**2, 0.0) / (n - 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(denom > 0, (lag - mean * w) / denom, 0.0)
    return np.asarray(z)


def _grid(
    x: np.ndarray, y: np.ndarray, size: float, shape: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Cell centres covering the points (one cell of margin) and each point's cell."""
    x0, x1 = x.min() - size, x.max() + size
    y0, y1 = y.min() - size, y.max() + size
    cells = ((x1 - x0) / size + 2.0) * ((y1 - y0) / size + 2.0)
    if cells > _MAX_CELLS:
        raise InputError(
            f"a {size / 1000:g} km grid over these events would have about {cells:.3g} cells "
            f"(more than {_MAX_CELLS:,}); use a larger cell_km or fewer, closer events"
        )
    if shape == "square":
        nx = int(np.ceil((x1 - x0) / size)) + 1
        ny = int(np.ceil((y1 - y0) / size)) + 1
        gx, gy = np.meshgrid(x0 + size * np.arange(nx), y0 + size * np.arange(ny))
        cx, cy = gx.ravel(), gy.ravel()
        ix = np.rint((x - x0) / size).astype(np.int64)
        iy = np.rint((y - y0) / size).astype(np.int64)
        cell = iy * nx + ix
    elif shape == "hex":  # pointy-top hexagons, centre spacing = size (flat-to-flat width)
        dy = size * np.sqrt(3.0) / 2.0
        nx = int(np.ceil((x1 - x0) / size)) + 2
        ny = int(np.ceil((y1 - y0) / dy)) + 1
        rows = np.arange(ny)
        gx = x0 + size * np.arange(nx)[None, :] + (rows[:, None] % 2) * size / 2.0
        gy = np.repeat((y0 + dy * rows)[:, None], nx, axis=1)
        cx, cy = gx.ravel(), gy.ravel()
        _, cell = cKDTree(np.column_stack([cx, cy])).query(np.column_stack([x, y]))
        cell = np.asarray(cell, dtype=np.int64)
    else:
        raise InputError(f"shape must be 'hex' or 'square', got {shape!r}")
    return cx, cy, cell, np.array([nx, ny])


_MAX_CELLS = 4_000_000  # ~Syria at 250 m cells; past it the grid would not fit in memory


def _polygons(cx: np.ndarray, cy: np.ndarray, size: float, shape: str) -> np.ndarray:
    import shapely

    if shape == "square":
        ang = np.radians([45.0, 135.0, 225.0, 315.0, 45.0])
        r = size / np.sqrt(2.0)
    else:
        ang = np.radians([30.0, 90.0, 150.0, 210.0, 270.0, 330.0, 30.0])
        r = size / np.sqrt(3.0)
    ring = np.stack(
        [cx[:, None] + r * np.cos(ang)[None, :], cy[:, None] + r * np.sin(ang)[None, :]], axis=-1
    )
    return np.asarray(shapely.polygons(ring))


def hotspots(
    events: gpd.GeoDataFrame,
    cell_km: float = 10.0,
    *,
    shape: str = "hex",
    weight: str | None = None,
    distance_km: float | None = None,
    alpha: float = 0.05,
    fdr: bool = True,
) -> gpd.GeoDataFrame:
    """Getis-Ord Gi* hotspots of events on a hexagonal or square grid in metres.

    Parameters
    ----------
    events : GeoDataFrame
        Point events (reprojected to EPSG:4326 if needed). Rows without a usable
        point are left out and counted in ``attrs["n_skipped"]``.
    cell_km : float
        Cell size in km: centre spacing of hexagons (flat-to-flat width), side of
        squares. The grid is laid out in UTM 37N over the events' extent plus one cell.
    shape : {"hex", "square"}
    weight : str, optional
        Column summed per cell (e.g. ``"fatalities"``; missing values count 0);
        default: the number of events.
    distance_km : float, optional
        Neighbours are the cells whose centres lie within this distance; default:
        the touching cells (6 for hexagons, 8 for squares). The cell itself always
        counts (Gi*).
    alpha : float
        Significance level for the ``hotspot`` class.
    fdr : bool
        Classify on Benjamini-Hochberg adjusted p-values (``p_fdr``), else on ``p_value``.

    Returns
    -------
    GeoDataFrame
        One row per grid cell: ``cell_id, n_events, value, gi_z, p_value, p_fdr,
        hotspot`` ("hot" / "cold" / "not significant") and the cell polygon, EPSG:4326.
        p-values are two-sided (normal approximation).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> pts = [Point(38.87, 34.89)] * 30 + [Point(38.3 + 0.1 * k, 34.5) for k in range(20)]
    >>> h = hotspots(gpd.GeoDataFrame(geometry=pts, crs=4326), cell_km=10)
    >>> top = h.loc[h["n_events"].idxmax()]
    >>> int(top["n_events"]), str(top["hotspot"]), bool(top["gi_z"] > 3)
    (30, 'hot', True)
    >>> h["hotspot"].value_counts()["hot"]
    7
    """
    frame = ensure_4326(events, what="events")
    if not (isinstance(cell_km, (int, float, np.number)) and 0 < float(cell_km) < math.inf):
        raise InputError(f"cell_km must be a finite number > 0 (km), got {cell_km!r}")
    geom = frame.geometry
    ok = ~(geom.isna() | geom.is_empty).to_numpy()
    ok[ok] = (geom[ok].geom_type == "Point").to_numpy()
    if not ok.any():
        raise InputError("no event has a usable point geometry")
    x, y = to_metric(geom[ok].x.to_numpy(), geom[ok].y.to_numpy())
    if weight is None:
        w = np.ones(len(x))
    else:
        if weight not in frame.columns:
            raise InputError(f"weight column {weight!r} not in events; found {list(frame.columns)}")
        w = pd.to_numeric(frame.loc[ok, weight], errors="coerce").astype("float64")
        w = w.fillna(0.0).to_numpy()
    size = float(cell_km) * 1000.0
    cx, cy, cell, _ = _grid(x, y, size, shape)
    n = len(cx)
    counts = np.bincount(cell, minlength=n)
    values = np.bincount(cell, weights=w, minlength=n)
    radius = (
        distance_km * 1000.0
        if distance_km is not None
        else size * (np.sqrt(2.0) if shape == "square" else 1.0)
    )
    pairs = cKDTree(np.column_stack([cx, cy])).query_pairs(
        radius * (1 + 1e-9), output_type="ndarray"
    )
    z = getis_ord_gi_star(values, pairs[:, 0], pairs[:, 1])
    p = 2.0 * ndtr(-np.abs(z))
    q = benjamini_hochberg(p)
    sig = (q if fdr else p) < alpha
    label = np.where(sig & (z > 0), "hot", np.where(sig & (z < 0), "cold", "not significant"))
    polys = gpd.GeoSeries(_polygons(cx, cy, size, shape), crs=METRIC_CRS).to_crs(4326)
    out = gpd.GeoDataFrame(
        {
            "cell_id": np.arange(n, dtype=np.int64),
            "n_events": counts.astype(np.int64),
            "value": values,
            "gi_z": z,
            "p_value": p,
            "p_fdr": q,
            "hotspot": pd.array(label, dtype="string"),
        },
        geometry=polys.to_numpy(),
        crs=4326,
    )
    out.attrs["n_skipped"] = int((~ok).sum())
    out.attrs["cell_km"] = float(cell_km)
    out.attrs["shape"] = shape
    return out


@dataclass(frozen=True)
class KnoxResult:
    """Result of :func:`knox_test`."""

    observed: int  #: pairs close in space and in time
    expected: float  #: mean of the same count with dates shuffled
    ratio: float  #: observed / expected
    p_value: float  #: Monte Carlo p-value, (1 + #{simulated >= observed}) / (1 + permutations)
    n_close_space: int  #: pairs within distance_km
    n_close_time: int  #: pairs within time_days
    n_events: int  #: events used (point and date)
    permutations: int


def knox_test(
    events: gpd.GeoDataFrame,
    distance_km: float,
    time_days: float,
    *,
    permutations: int = 999,
    seed: int | None = 0,
    date_column: str = "date",
) -> KnoxResult:
    """Knox test of space-time interaction (near repeats) with a Monte Carlo p-value.

    Close in space: great-circle distance <= ``distance_km`` (exact, KD-tree on the
    unit sphere); close in time: ``|date_i - date_j| <= time_days``. The reference
    distribution shuffles the dates among the events ``permutations`` times.
    Events without a point or a date are left out.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> from shapely.geometry import Point
    >>> pts = [Point(38.87, 34.89)] * 10 + [Point(40.14, 35.33)] * 10
    >>> dates = pd.to_datetime(["2023-02-01"] * 10 + ["2023-08-01"] * 10)
    >>> ev = gpd.GeoDataFrame({"date": dates}, geometry=pts, crs=4326)
    >>> r = knox_test(ev, 5, 7, permutations=199, seed=1)
    >>> r.observed, r.p_value < 0.05
    (90, True)
    """
    frame = ensure_4326(events, what="events")
    if date_column not in frame.columns:
        raise InputError(f"knox_test needs a {date_column!r} column")
    raw = frame[date_column]
    if isinstance(raw.dtype, pd.DatetimeTZDtype):  # the calendar date in its own offset
        raw = raw.dt.tz_localize(None)
    dates, _ = parse_dates(raw)
    geom = frame.geometry
    ok = ~(geom.isna() | geom.is_empty).to_numpy() & dates.notna().to_numpy()
    ok[ok] = (geom[ok].geom_type == "Point").to_numpy()
    t = (dates[ok].to_numpy(dtype="datetime64[ns]") - np.datetime64("1970-01-01", "ns")) / (
        np.timedelta64(1, "D")
    )
    t = np.asarray(t, dtype="float64")
    xyz = unit_xyz(geom[ok].x.to_numpy(), geom[ok].y.to_numpy())
    pairs = cKDTree(xyz).query_pairs(chord_for_km(distance_km), output_type="ndarray")
    i, j = pairs[:, 0], pairs[:, 1]
    observed = int((np.abs(t[i] - t[j]) <= time_days).sum())
    n = len(t)
    ts = np.sort(t)
    close_time = int((np.searchsorted(ts, ts + time_days, side="right") - np.arange(n) - 1).sum())
    rng = np.random.default_rng(seed)
    sims = np.empty(permutations, dtype=np.int64)
    for k in range(permutations):
        tp = t[rng.permutation(n)]
        sims[k] = int((np.abs(tp[i] - tp[j]) <= time_days).sum())
    expected = float(sims.mean()) if permutations else float("nan")
    return KnoxResult(
        observed=observed,
        expected=expected,
        ratio=observed / expected if expected > 0 else float("inf"),
        p_value=float((1 + (sims >= observed).sum()) / (1 + permutations)),
        n_close_space=len(i),
        n_close_time=close_time,
        n_events=n,
        permutations=permutations,
    )
