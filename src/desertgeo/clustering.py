"""Spatial and space-time clusters of events: DBSCAN, HDBSCAN, ST-DBSCAN, summaries, tracking.

Distances are in kilometres on the ground, never degrees:

* ``method="dbscan"`` is exact DBSCAN with great-circle (haversine, R = 6371.0088 km)
  neighbourhoods, the same as scikit-learn's ``DBSCAN(metric="haversine")`` with
  ``eps = eps_km / 6371.0088``. It runs on a grid of unit-sphere chord cells over the
  *distinct* locations (events sharing a point are counted, not repeated), so it is
  memory-bounded and scales to millions of events.
* ``method="st-dbscan"`` is exact space-time DBSCAN: two events are neighbours when
  they are within ``eps_km`` *and* ``time_days`` of each other. Events sharing a place
  and a day are handled exactly (they form one weighted point).
* ``method="hdbscan"`` runs ``fast_hdbscan`` on UTM 37N coordinates in metres
  (optional dependency: ``pip install 'desertgeo[cluster]'``).

Labels rule: one label per input row, aligned to the input index, in a nullable
``Int64`` Series named ``"cluster"``. ``-1`` is noise. Rows that cannot be clustered
(no or empty geometry; for ``st-dbscan`` also no date) get ``<NA>``, never dropped.
Clusters are numbered 0, 1, ... in the order of their first row, so results are
deterministic. A DBSCAN border point joins the cluster of its nearest core point.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from desertgeo._errors import InputError, MissingDependencyError
from desertgeo._geodesy import (
    EARTH_RADIUS_KM,
    GEOD,
    METRIC_CRS,
    chord_for_km,
    haversine_km,
    to_metric,
    unit_xyz,
)
from desertgeo._validate import ensure_4326, parse_dates

__all__ = ["cluster", "summarize_clusters", "track_clusters"]


# ---------------------------------------------------------------------------
# exact, memory-bounded grid DBSCAN over weighted distinct points
# ---------------------------------------------------------------------------
Within = Callable[[np.ndarray, np.ndarray], np.ndarray]

_BUDGET = 4_000_000


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenate ``arange(s, s + n)`` for each (s, n)."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(counts)
    offs = np.arange(total, dtype=np.int64) - np.repeat(ends - counts, counts)
    return np.repeat(starts, counts) + offs


def _chunks(sizes: np.ndarray, budget: int) -> list[slice]:
    """Split positions into consecutive slices whose sizes sum to about ``budget``."""
    if len(sizes) == 0:
        return []
    csum = np.cumsum(sizes)
    cuts = [0]
    while cuts[-1] < len(sizes):
        base = csum[cuts[-1] - 1] if cuts[-1] > 0 else 0
        nxt = int(np.searchsorted(csum, base + budget, side="right"))
        cuts.append(max(nxt, cuts[-1] + 1))
    return [slice(a, min(b, len(sizes))) for a, b in itertools.pairwise(cuts)]


class Grid:
    """Cells of integer coordinates ``cell`` (m, D) and the neighbour-cell pairs."""

    def __init__(self, cell: np.ndarray, offsets: np.ndarray) -> None:
        lo = cell.min(axis=0) - 2
        dims = cell.max(axis=0) - lo + 3
        if float(np.prod(dims.astype("float64"))) >= 2.0**62:
            raise InputError(
                "the clustering grid is too fine for this extent; use a larger eps_km / time_days"
            )
        stride = np.ones(cell.shape[1], dtype=np.int64)
        for d in range(cell.shape[1] - 2, -1, -1):
            stride[d] = stride[d + 1] * dims[d + 1]
        key = (cell - lo) @ stride
        self.order = np.argsort(key, kind="stable")
        keys, self.starts, self.counts = np.unique(
            key[self.order], return_index=True, return_counts=True
        )
        self.n_cells = len(keys)
        self.pc = np.empty(len(key), dtype=np.int64)
        self.pc[self.order] = np.repeat(np.arange(self.n_cells), self.counts)
        pa_list, pb_list = [], []
        for okey in offsets @ stride:
            target = keys + okey
            pos = np.searchsorted(keys, target)
            pos_c = np.minimum(pos, self.n_cells - 1)
            found = (pos < self.n_cells) & (keys[pos_c] == target)
            pa_list.append(np.nonzero(found)[0])
            pb_list.append(pos_c[found])
        self.pa = np.concatenate(pa_list) if pa_list else np.zeros(0, np.int64)
        self.pb = np.concatenate(pb_list) if pb_list else np.zeros(0, np.int64)
        # neighbour lists, both directions (CSR), excluding the cell itself
        src = np.concatenate([self.pa, self.pb])
        dst = np.concatenate([self.pb, self.pa])
        o = np.argsort(src, kind="stable")
        self.nb_dst = dst[o]
        self.nb_ptr = np.zeros(self.n_cells + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=self.n_cells), out=self.nb_ptr[1:])


def _expand(
    grid: Grid,
    queries: np.ndarray,
    starts: np.ndarray,
    counts: np.ndarray,
    members: np.ndarray,
    *,
    own: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (query position, member point) over the neighbour cells of each query."""
    qc = grid.pc[queries]
    deg = grid.nb_ptr[qc + 1] - grid.nb_ptr[qc]
    q1 = np.repeat(np.arange(len(queries)), deg)
    c1 = grid.nb_dst[_ranges(grid.nb_ptr[qc], deg)]
    if own:
        q1 = np.concatenate([np.arange(len(queries)), q1])
        c1 = np.concatenate([qc, c1])
    n1 = counts[c1]
    q2 = np.repeat(q1, n1)
    j2 = members[_ranges(starts[c1], n1)]
    return q2, j2


def _query_sizes(grid: Grid, queries: np.ndarray, counts: np.ndarray, own: bool) -> np.ndarray:
    """Number of candidate members of each query (for batching)."""
    per_cell = np.zeros(grid.n_cells, dtype=np.int64)
    src = np.repeat(np.arange(grid.n_cells), np.diff(grid.nb_ptr))
    np.add.at(per_cell, src, counts[grid.nb_dst])
    if own:
        per_cell += counts
    return np.asarray(per_cell[grid.pc[queries]])


def grid_dbscan(
    cell: np.ndarray,
    weight: np.ndarray,
    min_pts: int,
    offsets: np.ndarray,
    within: Within,
    rank: Callable[[np.ndarray, np.ndarray], np.ndarray],
    rep_scores: list[np.ndarray],
    *,
    core_fn: Callable[[np.ndarray], np.ndarray] | None = None,
    border_fn: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
    budget: int = _BUDGET,
) -> tuple[np.ndarray, np.ndarray]:
    """Cluster weighted unique points; return (labels, core) with -1 for noise.

    ``offsets`` are the neighbour-cell offsets of one half-space (the other half
    follows by symmetry). ``within(i, j)`` is the exact neighbour test,
    ``rank(i, j)`` a dissimilarity used to attach border points to their nearest
    core, ``rep_scores`` per-point scores whose per-cell minima serve as
    representative points. ``core_fn(q)`` may count the points ``q`` of sparse
    cells faster; ``border_fn(q, core)`` may find the nearest core points
    (index or -1). Labels are component ids (not yet renumbered).

    The steps: core points (:func:`_core_points`), core points by cell
    (:class:`_CoreCells`), cells joined through representative points
    (:func:`_join_by_representatives`) then pair by pair (:func:`_join_by_pairs`),
    border points attached to their nearest core (:func:`_attach_borders`).
    """
    grid = Grid(cell, offsets)
    core = _core_points(grid, weight, min_pts, within, core_fn, budget)
    cc = _CoreCells.of(grid, core, rep_scores)
    pair_ok = cc.is_core_cell[grid.pa] & cc.is_core_cell[grid.pb]
    pa, pb = grid.pa[pair_ok], grid.pb[pair_ok]
    comp, pa, pb = _join_by_representatives(grid.n_cells, cc.reps, pa, pb, within, budget)
    comp = _join_by_pairs(comp, cc, pa, pb, within, budget)
    labels = np.full(len(weight), -1, dtype=np.int64)
    labels[core] = comp[grid.pc[core]]
    _attach_borders(grid, cc, core, labels, within, rank, border_fn, budget)
    return labels, core


def _core_points(
    grid: Grid,
    weight: np.ndarray,
    min_pts: int,
    within: Within,
    core_fn: Callable[[np.ndarray], np.ndarray] | None,
    budget: int,
) -> np.ndarray:
    """Whether each point is a core point (weight within reach >= ``min_pts``)."""
    pc = grid.pc
    cell_weight = np.bincount(pc, weights=weight, minlength=grid.n_cells)
    core = cell_weight[pc] >= min_pts
    # upper bound: the events of the own and all neighbouring cells
    src = np.repeat(np.arange(grid.n_cells), np.diff(grid.nb_ptr))
    reach = cell_weight + np.bincount(src, weights=cell_weight[grid.nb_dst], minlength=grid.n_cells)
    sparse = np.nonzero(~core & (reach[pc] >= min_pts))[0]
    if not len(sparse):
        return core
    if core_fn is not None:
        core[sparse] = core_fn(sparse)
        return core
    sizes = _query_sizes(grid, sparse, grid.counts, own=False)
    for sl in _chunks(sizes, budget):
        q = sparse[sl]
        qi, j = _expand(grid, q, grid.starts, grid.counts, grid.order, own=False)
        ok = within(q[qi], j)
        count = cell_weight[pc[q]] + np.bincount(qi[ok], weights=weight[j[ok]], minlength=len(q))
        core[q] = count >= min_pts
    return core


@dataclass(frozen=True)
class _CoreCells:
    """Core points grouped by cell (same order as ``grid.order``) and their representatives."""

    corder: np.ndarray
    ccounts: np.ndarray
    cstarts: np.ndarray
    is_core_cell: np.ndarray
    reps: np.ndarray

    @classmethod
    def of(cls, grid: Grid, core: np.ndarray, rep_scores: list[np.ndarray]) -> _CoreCells:
        pc = grid.pc
        corder = grid.order[core[grid.order]]
        ccounts = np.bincount(pc[corder], minlength=grid.n_cells)
        cstarts = np.zeros(grid.n_cells, dtype=np.int64)
        np.cumsum(ccounts[:-1], out=cstarts[1:])
        is_core_cell = ccounts > 0
        # representative core points of each cell
        reps = np.full((grid.n_cells, len(rep_scores)), -1, dtype=np.int64)
        core_cells = np.nonzero(is_core_cell)[0]
        for r, score in enumerate(rep_scores):
            idx = np.lexsort((score[corder], pc[corder]))
            reps[core_cells, r] = corder[idx[cstarts[core_cells]]]
        return cls(corder, ccounts, cstarts, is_core_cell, reps)

    def points(self, cell: int) -> np.ndarray:
        """The core points of one cell."""
        return self.corder[self.cstarts[cell] : self.cstarts[cell] + self.ccounts[cell]]


def _components(ea: np.ndarray, eb: np.ndarray, n: int) -> np.ndarray:
    graph = coo_matrix((np.ones(len(ea), dtype=np.int8), (ea, eb)), shape=(n, n)).tocsr()
    return np.asarray(connected_components(graph, directed=False)[1], dtype=np.int64)


def _join_by_representatives(
    n_cells: int, reps: np.ndarray, pa: np.ndarray, pb: np.ndarray, within: Within, budget: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Components of cells joined by their representatives; the pairs still separate."""
    # representatives first, one combination at a time, dropping pairs already joined
    comp = np.arange(n_cells, dtype=np.int64)
    n_rep = reps.shape[1]
    for ra in range(n_rep):
        for rb in range(n_rep):
            live = comp[pa] != comp[pb]
            pa, pb = pa[live], pb[live]
            if len(pa) == 0:
                break
            hit = np.zeros(len(pa), dtype=bool)
            for sl in _chunks(np.ones(len(pa), dtype=np.int64), budget):
                hit[sl] = within(reps[pa[sl], ra], reps[pb[sl], rb])
            if hit.any():
                n_comp = int(comp.max()) + 1
                comp = _components(comp[pa[hit]], comp[pb[hit]], n_comp)[comp]
    joined = comp[pa] == comp[pb]
    rest = ~joined
    pa, pb = pa[rest], pb[rest]
    keep = comp[pa] != comp[pb]
    return comp, pa[keep], pb[keep]


def _join_by_pairs(
    comp: np.ndarray,
    cc: _CoreCells,
    pa: np.ndarray,
    pb: np.ndarray,
    within: Within,
    budget: int,
) -> np.ndarray:
    """Join the still-separate cell pairs by testing their core points, cheapest first."""
    cost = cc.ccounts[pa] * cc.ccounts[pb]
    o = np.argsort(cost, kind="stable")
    pa, pb, cost = pa[o], pb[o], cost[o]
    pos = 0
    while pos < len(pa):
        # next batch of still-separate pairs, cheapest first
        live = np.nonzero(comp[pa[pos:]] != comp[pb[pos:]])[0] + pos
        if len(live) == 0:
            break
        csum = np.cumsum(cost[live])
        take = max(1, int(np.searchsorted(csum, budget, side="right")))
        batch = live[:take]
        pos = int(batch[-1]) + 1
        if cost[batch[0]] > budget:  # one huge pair: blocks with early exit
            hit = np.zeros(len(batch), dtype=bool)
            hit[0] = _pair_touches(cc.points(pa[batch[0]]), cc.points(pb[batch[0]]), within, budget)
        else:
            hit = _pairs_touch(cc, pa[batch], pb[batch], within)
        if hit.any():
            ca, cb = comp[pa[batch[hit]]], comp[pb[batch[hit]]]
            n_comp = int(comp.max()) + 1
            comp = _components(ca, cb, n_comp)[comp]
    return comp


def _pair_touches(a_pts: np.ndarray, b_pts: np.ndarray, within: Within, budget: int) -> bool:
    """Whether any point of ``a_pts`` is within reach of one of ``b_pts`` (blocks, early exit)."""
    step = max(1, budget // len(b_pts))
    for s in range(0, len(a_pts), step):
        ia = np.repeat(a_pts[s : s + step], len(b_pts))
        ib = np.tile(b_pts, len(a_pts[s : s + step]))
        if within(ia, ib).any():
            return True
    return False


def _pairs_touch(cc: _CoreCells, pa: np.ndarray, pb: np.ndarray, within: Within) -> np.ndarray:
    """For each cell pair, whether a core point of one is within reach of the other's."""
    hit = np.zeros(len(pa), dtype=bool)
    na = cc.ccounts[pa]
    p1 = np.repeat(np.arange(len(pa)), na)
    ia1 = cc.corder[_ranges(cc.cstarts[pa], na)]
    nb = cc.ccounts[pb][p1]
    p2 = np.repeat(p1, nb)
    ia2 = np.repeat(ia1, nb)
    ib2 = cc.corder[_ranges(cc.cstarts[pb][p1], nb)]
    ok = within(ia2, ib2)
    hit[p2[ok]] = True
    return hit


def _attach_borders(
    grid: Grid,
    cc: _CoreCells,
    core: np.ndarray,
    labels: np.ndarray,
    within: Within,
    rank: Callable[[np.ndarray, np.ndarray], np.ndarray],
    border_fn: Callable[[np.ndarray, np.ndarray], np.ndarray] | None,
    budget: int,
) -> None:
    """Give each border point (in place) the label of its nearest core neighbour."""
    q = np.nonzero(~core)[0]
    if not (len(q) and len(cc.corder)):
        return
    if border_fn is not None:
        near = border_fn(q, core)
        has = near >= 0
        labels[q[has]] = labels[near[has]]
        return
    sizes = _query_sizes(grid, q, cc.ccounts, own=True)
    for sl in _chunks(sizes, budget):
        qq = q[sl]
        qi, j = _expand(grid, qq, cc.cstarts, cc.ccounts, cc.corder, own=True)
        ok = within(qq[qi], j)
        qi, j = qi[ok], j[ok]
        if len(qi) == 0:
            continue
        d = rank(qq[qi], j)
        o2 = np.lexsort((j, d, qi))
        qi, j = qi[o2], j[o2]
        first = np.r_[True, qi[1:] != qi[:-1]]
        labels[qq[qi[first]]] = labels[j[first]]


# ---------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------

_METHODS = ("dbscan", "hdbscan", "st-dbscan")
_SQRT3 = float(np.sqrt(3.0))


def _half_offsets(spatial: int, time_offsets: tuple[int, ...]) -> np.ndarray:
    """Neighbour-cell offsets of one half-space: 3 spatial axes (+ optional time axis)."""
    rng = range(-spatial, spatial + 1)
    grids = [rng, rng, rng] + ([list(time_offsets)] if time_offsets else [])
    mesh = np.array(np.meshgrid(*grids, indexing="ij")).reshape(len(grids), -1).T
    keep = []
    for row in mesh:
        nz = row[row != 0]
        keep.append(len(nz) > 0 and nz[0] > 0)
    return np.asarray(mesh[np.array(keep)], dtype=np.int64)


def _points(events: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (lon, lat, usable mask) of point geometries (representative point otherwise)."""
    import shapely

    arr = np.asarray(events.geometry.array, dtype=object)
    type_id = shapely.get_type_id(arr)  # -1 for missing
    usable = type_id >= 0
    usable[usable] = ~shapely.is_empty(arr[usable])
    lon = np.full(len(events), np.nan)
    lat = np.full(len(events), np.nan)
    other = usable & (type_id != 0)
    if other.any():
        arr = arr.copy()
        arr[other] = shapely.point_on_surface(arr[other])
    lon[usable] = shapely.get_x(arr[usable])
    lat[usable] = shapely.get_y(arr[usable])
    usable &= np.isfinite(lon) & np.isfinite(lat)
    return lon, lat, usable


def _unique_rows(cols: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct rows of the stacked columns: (first index of each, inverse, counts)."""
    arr = np.ascontiguousarray(np.column_stack([c + 0.0 for c in cols]))  # -0.0 -> 0.0
    view = arr.view(np.dtype((np.void, arr.dtype.itemsize * arr.shape[1]))).ravel()
    _, first, inverse, counts = np.unique(
        view, return_index=True, return_inverse=True, return_counts=True
    )
    return first, inverse.ravel(), counts


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Number clusters 0, 1, ... in the order of their first row; -1 stays noise."""
    out = np.full(len(labels), -1, dtype=np.int64)
    member = labels >= 0
    if member.any():
        uniq, first = np.unique(labels[member], return_index=True)
        rank = np.empty(len(uniq), dtype=np.int64)
        rank[np.argsort(first, kind="stable")] = np.arange(len(uniq))
        out[member] = rank[np.searchsorted(uniq, labels[member])]
    return out


def _haversine_within(
    lon_r: np.ndarray, lat_r: np.ndarray, eps_rad: float
) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    cos_lat = np.cos(lat_r)

    def within(i: np.ndarray, j: np.ndarray) -> np.ndarray:
        # the same expression as scikit-learn's haversine metric
        h = (
            np.sin((lat_r[j] - lat_r[i]) * 0.5) ** 2
            + cos_lat[i] * cos_lat[j] * np.sin((lon_r[j] - lon_r[i]) * 0.5) ** 2
        )
        return np.asarray(2.0 * np.arcsin(np.sqrt(h)) <= eps_rad)

    return within


def _dbscan_unique(
    lon: np.ndarray, lat: np.ndarray, weight: np.ndarray, eps_km: float, min_pts: int
) -> np.ndarray:

    xyz = unit_xyz(lon, lat)
    chord = chord_for_km(eps_km)
    side = chord / _SQRT3 * (1.0 - 1e-9)
    scaled = xyz / side
    cell = np.floor(scaled).astype(np.int64)
    frac = scaled - cell - 0.5
    within = _haversine_within(np.radians(lon), np.radians(lat), eps_km / EARTH_RADIUS_KM)
    tree = cKDTree(xyz)
    ub = chord * (1.0 + 1e-9)
    lb = chord * (1.0 - 1e-9)
    k = int(min(min_pts, len(weight)))
    wpad = np.append(weight, 0)

    # lower bound: every point of the 3x3x3 block of half-size cells around a point is
    # within eps of it (block diameter per axis 2 * side / 2, times sqrt(3) = chord)
    fine = np.floor(xyz / (side / 2.0)).astype(np.int64)
    f_lo = fine.min(axis=0) - 1
    f_dims = fine.max(axis=0) - f_lo + 2
    f_stride = np.array([f_dims[1] * f_dims[2], f_dims[2], 1], dtype=np.int64)
    f_key = (fine - f_lo) @ f_stride
    f_keys, f_inv = np.unique(f_key, return_inverse=True)
    f_weight = np.bincount(f_inv.ravel(), weights=weight)
    block = np.array(np.meshgrid([-1, 0, 1], [-1, 0, 1], [-1, 0, 1])).reshape(3, -1).T @ f_stride

    def core_fn(q_all: np.ndarray) -> np.ndarray:
        result = np.zeros(len(q_all), dtype=bool)
        lower = np.zeros(len(q_all))
        base = f_key[q_all]
        o = np.argsort(base, kind="stable")  # sorted targets: much faster searchsorted
        base = base[o]
        acc = np.zeros(len(q_all))
        for off in block:
            target = base + off
            pos = np.minimum(np.searchsorted(f_keys, target), len(f_keys) - 1)
            acc += np.where(f_keys[pos] == target, f_weight[pos], 0.0)
        lower[o] = acc
        result[lower >= min_pts] = True
        todo = np.nonzero(lower < min_pts)[0]
        result[todo] = knn_core(q_all[todo])
        return result

    def knn_core(q: np.ndarray) -> np.ndarray:
        out = np.zeros(len(q), dtype=bool)
        for s in range(0, len(q), 200_000):
            qq = q[s : s + 200_000]
            dist, idx = tree.query(xyz[qq], k=k, distance_upper_bound=ub, workers=-1)
            dist, idx = dist.reshape(len(qq), k), idx.reshape(len(qq), k)
            ok = dist < lb
            # within a relative 1e-9 of eps: decide with the exact haversine test
            ii, jj = np.nonzero((idx < len(weight)) & ~ok)
            ok[ii, jj] = within(qq[ii], idx[ii, jj])
            out[s : s + 200_000] = (np.where(ok, wpad[idx], 0)).sum(axis=1) >= min_pts
        return out

    def border_fn(q: np.ndarray, core: np.ndarray) -> np.ndarray:
        core_idx = np.nonzero(core)[0]
        ctree = cKDTree(xyz[core_idx])
        _, j = ctree.query(xyz[q], k=1, distance_upper_bound=ub, workers=-1)
        near = np.full(len(q), -1, dtype=np.int64)
        found = j < len(core_idx)
        cand = core_idx[j[found]]
        ok = within(q[found], cand)
        near[np.nonzero(found)[0][ok]] = cand[ok]
        return near

    def rank(i: np.ndarray, j: np.ndarray) -> np.ndarray:
        return np.asarray(((xyz[i] - xyz[j]) ** 2).sum(axis=1))

    scores = [np.asarray((frac**2).sum(axis=1))]
    for d in range(3):
        scores += [xyz[:, d], -xyz[:, d]]
    labels, _ = grid_dbscan(
        cell,
        weight,
        min_pts,
        _half_offsets(2, ()),
        within,
        rank,
        scores,
        core_fn=core_fn,
        border_fn=border_fn,
    )
    return labels


def _st_dbscan_unique(
    lon: np.ndarray,
    lat: np.ndarray,
    days: np.ndarray,
    weight: np.ndarray,
    eps_km: float,
    time_days: float,
    min_pts: int,
) -> np.ndarray:
    xyz = unit_xyz(lon, lat)
    chord = chord_for_km(eps_km)
    side = chord / _SQRT3 * (1.0 - 1e-9)
    scaled = xyz / side
    cell_xyz = np.floor(scaled).astype(np.int64)
    if time_days > 0:
        tscaled = days / time_days
        tcell = np.floor(tscaled).astype(np.int64)
        toffs: tuple[int, ...] = (-1, 0, 1)
        tfrac = tscaled - tcell - 0.5
    else:  # same instant only
        tcell = np.unique(days, return_inverse=True)[1].ravel().astype(np.int64)
        toffs = (0,)
        tfrac = np.zeros(len(days))
    cell = np.column_stack([cell_xyz, tcell])
    frac = scaled - cell_xyz - 0.5
    space = _haversine_within(np.radians(lon), np.radians(lat), eps_km / EARTH_RADIUS_KM)

    def within(i: np.ndarray, j: np.ndarray) -> np.ndarray:
        close = np.abs(days[i] - days[j]) <= time_days
        out = np.zeros(len(i), dtype=bool)
        out[close] = space(i[close], j[close])
        return out

    def rank(i: np.ndarray, j: np.ndarray) -> np.ndarray:
        return np.asarray(((xyz[i] - xyz[j]) ** 2).sum(axis=1))

    scores = [np.asarray((frac**2).sum(axis=1) + tfrac**2)]
    for d in range(3):
        scores += [xyz[:, d], -xyz[:, d]]
    scores += [days, -days]
    labels, _ = grid_dbscan(cell, weight, min_pts, _half_offsets(2, toffs), within, rank, scores)
    return labels


def _hdbscan(
    lon: np.ndarray,
    lat: np.ndarray,
    min_cluster_size: int,
    min_samples: int | None,
    reproducible: bool,
) -> np.ndarray:
    try:
        from fast_hdbscan import HDBSCAN
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingDependencyError(
            "method='hdbscan' needs fast_hdbscan: pip install 'desertgeo[cluster]'"
        ) from exc
    x, y = to_metric(lon, lat)
    if len(x) < max(2, min_cluster_size):
        return np.full(len(x), -1, dtype=np.int64)
    model = HDBSCAN(
        min_cluster_size=min_cluster_size, min_samples=min_samples, reproducible=reproducible
    )
    return np.asarray(model.fit_predict(np.column_stack([x, y])), dtype=np.int64)


def _day_numbers(dates: pd.Series) -> np.ndarray:
    values = dates.to_numpy(dtype="datetime64[ns]")
    out = (values - np.datetime64("1970-01-01", "ns")) / np.timedelta64(1, "D")
    return np.asarray(out, dtype="float64")


def cluster(
    events: gpd.GeoDataFrame,
    method: str = "dbscan",
    *,
    eps_km: float = 10.0,
    min_events: int = 5,
    time_days: float | None = None,
    min_cluster_size: int | None = None,
    date_column: str = "date",
    reproducible: bool = False,
) -> pd.Series:
    """Cluster events in space (or space and time); return labels aligned to the input.

    Parameters
    ----------
    events : GeoDataFrame
        Point events with a CRS (reprojected to EPSG:4326 if needed).
    method : {"dbscan", "hdbscan", "st-dbscan"}
        ``"dbscan"``: exact great-circle DBSCAN (neighbours within ``eps_km``;
        a core point has at least ``min_events`` events within ``eps_km``,
        itself included, as scikit-learn's ``min_samples``).
        ``"st-dbscan"``: neighbours are within ``eps_km`` *and* ``time_days``.
        ``"hdbscan"``: fast_hdbscan on UTM 37N metres with
        ``min_cluster_size`` (default ``min_events``) and ``min_samples=min_events``.
    eps_km : float
        Neighbourhood radius in kilometres (great-circle, R = 6371.0088 km).
    min_events : int
        Events (including the point itself) that make a core point.
    time_days : float, optional
        Time window of ``st-dbscan`` in days (``|date_i - date_j| <= time_days``).
    min_cluster_size : int, optional
        Smallest cluster of ``hdbscan``.
    date_column : str
        Column with the event dates (``st-dbscan`` only).
    reproducible : bool
        ``hdbscan`` only: fast_hdbscan's serial, order-independent mode (about 5x
        slower). Without it, labels are the same from run to run in our tests,
        but ties between equal distances are resolved by parallel threads.

    Returns
    -------
    pandas.Series
        ``Int64`` labels named ``"cluster"`` on the input index: 0, 1, ... numbered
        by first row, -1 for noise, ``<NA>`` for rows without usable geometry
        (or, for ``st-dbscan``, without a date).

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> pts = [Point(38.28, 34.55)] * 3 + [Point(38.30, 34.56), Point(40.0, 35.0), None]
    >>> ev = gpd.GeoDataFrame(geometry=pts, crs=4326)
    >>> cluster(ev, eps_km=5, min_events=3).tolist()
    [0, 0, 0, 0, -1, <NA>]
    """
    if method not in _METHODS:
        raise InputError(f"method must be one of {list(_METHODS)}, got {method!r}")
    if not eps_km > 0 and method != "hdbscan":
        raise InputError(f"eps_km must be > 0, got {eps_km!r}")
    if int(min_events) < 1:
        raise InputError(f"min_events must be >= 1, got {min_events!r}")
    frame = ensure_4326(events, what="events")
    lon, lat, usable = _points(frame)
    days = np.full(len(frame), np.nan)
    if method == "st-dbscan":
        if time_days is None or not time_days >= 0:
            raise InputError("method='st-dbscan' needs time_days >= 0 (e.g. time_days=7)")
        if date_column not in frame.columns:
            raise InputError(
                f"method='st-dbscan' needs a {date_column!r} column; found {list(frame.columns)}"
            )
        dates, _ = parse_dates(frame[date_column])
        days = _day_numbers(dates)
        usable &= np.isfinite(days)
    labels = np.full(len(frame), -1, dtype=np.int64)
    idx = np.nonzero(usable)[0]
    if len(idx):
        if method == "hdbscan":
            mcs = int(min_cluster_size if min_cluster_size is not None else min_events)
            sub = _hdbscan(lon[idx], lat[idx], mcs, int(min_events), reproducible)
        else:
            cols = [lon[idx], lat[idx]] + ([days[idx]] if method == "st-dbscan" else [])
            first, inverse, counts = _unique_rows(cols)
            u = idx[first]
            if method == "dbscan":
                ulab = _dbscan_unique(lon[u], lat[u], counts, float(eps_km), int(min_events))
            else:
                ulab = _st_dbscan_unique(
                    lon[u],
                    lat[u],
                    days[u],
                    counts,
                    float(eps_km),
                    float(time_days or 0.0),
                    int(min_events),
                )
            sub = ulab[inverse]
        labels[idx] = _renumber(sub)
    out = pd.Series(labels, index=frame.index, name="cluster", dtype="Int64")
    out[~usable] = pd.NA
    return out


# ---------------------------------------------------------------------------
# summaries
# ---------------------------------------------------------------------------


def _labels_for(events: gpd.GeoDataFrame, labels: pd.Series | None) -> pd.Series:
    if labels is None:
        if "cluster" not in events.columns:
            raise InputError("give labels (from cluster()) or an events 'cluster' column")
        labels = events["cluster"]
    if not isinstance(labels, pd.Series) or not labels.index.equals(events.index):
        raise InputError("labels must be a Series on the same index as events (see cluster())")
    return labels.astype("Int64")


def _sphere_centroid(lon: np.ndarray, lat: np.ndarray, group: np.ndarray, n: int) -> np.ndarray:
    """Per-group centroid: mean of unit vectors, back to lon/lat (no flat degree maths)."""
    xyz = unit_xyz(lon, lat)
    s = np.column_stack([np.bincount(group, weights=xyz[:, d], minlength=n) for d in range(3)])
    lon_c = np.degrees(np.arctan2(s[:, 1], s[:, 0]))
    lat_c = np.degrees(np.arctan2(s[:, 2], np.hypot(s[:, 0], s[:, 1])))
    return np.column_stack([lon_c, lat_c])


def _hulls(
    lon: np.ndarray, lat: np.ndarray, group: np.ndarray, hull: str, ratio: float, min_m: float
) -> gpd.GeoSeries:
    """Hull polygon of each group, built in UTM 37N metres."""
    import shapely

    x, y = to_metric(lon, lat)
    order = np.argsort(group, kind="stable")
    mp = shapely.multipoints(np.column_stack([x, y])[order], indices=group[order])
    if hull == "convex":
        polys = shapely.convex_hull(mp)
    elif hull == "concave":
        polys = shapely.concave_hull(mp, ratio=ratio)
    else:
        raise InputError(f"hull must be 'convex' or 'concave', got {hull!r}")
    thin = shapely.get_type_id(polys) != 3  # points / lines of 1-2 distinct places
    if thin.any():
        polys[thin] = shapely.buffer(polys[thin], min_m)
    return gpd.GeoSeries(polys, crs=METRIC_CRS).to_crs(4326)


def _gazetteer() -> gpd.GeoDataFrame:
    from desertgeo import datasets

    places = datasets.load("places")[["name", "geometry"]]
    sites = datasets.load("sites")[["name", "geometry"]]
    return gpd.GeoDataFrame(pd.concat([places, sites], ignore_index=True), crs=4326)


def nearest_place(
    lon: np.ndarray, lat: np.ndarray, places: gpd.GeoDataFrame | None = None
) -> pd.DataFrame:
    """Nearest gazetteer place of each point by exact (WGS84 geodesic) distance.

    A KD-tree on the unit sphere proposes every place whose great-circle distance
    is within 1 % of the nearest one (more than the sphere/ellipsoid difference);
    those candidates are measured with ``pyproj.Geod.inv``.

    Parameters
    ----------
    lon, lat : array-like
        Points in degrees.
    places : GeoDataFrame, optional
        Points with a ``name`` column; default: shipped ``places`` + ``sites``.

    Returns
    -------
    pandas.DataFrame
        Columns ``nearest_place`` and ``nearest_place_km``.

    Examples
    --------
    >>> near = nearest_place([38.87, 40.14], [34.89, 35.33])
    >>> near.nearest_place.tolist(), near.nearest_place_km.round(1).tolist()
    (['As Sukhnah', 'Deir ez-Zor'], [0.5, 0.7])
    """
    lon = np.asarray(lon, dtype="float64")
    lat = np.asarray(lat, dtype="float64")
    gaz = _gazetteer() if places is None else ensure_4326(places, what="places")
    plon, plat = gaz.geometry.x.to_numpy(), gaz.geometry.y.to_numpy()
    tree = cKDTree(unit_xyz(plon, plat))
    q = unit_xyz(lon, lat)
    d1, _ = tree.query(q, k=1)
    cand = tree.query_ball_point(q, r=d1 * 1.01 + 1e-12)
    names, km = [], np.zeros(len(lon))
    for i, c in enumerate(cand):
        c = np.asarray(c, dtype=np.int64)
        _, _, dist = GEOD.inv(np.full(len(c), lon[i]), np.full(len(c), lat[i]), plon[c], plat[c])
        k = int(np.argmin(dist))
        names.append(str(gaz["name"].iloc[c[k]]))
        km[i] = float(np.asarray(dist)[k]) / 1000.0
    return pd.DataFrame({"nearest_place": pd.array(names, dtype="string"), "nearest_place_km": km})


def _governorate(lon: np.ndarray, lat: np.ndarray) -> pd.Series:
    import shapely

    from desertgeo import datasets

    gov = datasets.load("governorates")
    out = pd.Series(pd.NA, index=range(len(lon)), dtype="string")
    pts = shapely.points(lon, lat)
    for name, geom in zip(gov["name_en"], gov.geometry, strict=True):
        inside = shapely.contains_xy(geom, lon, lat) if len(pts) else np.zeros(0, bool)
        out[inside & out.isna().to_numpy()] = name
    return out


def _controllers(events: gpd.GeoDataFrame, zones: gpd.GeoDataFrame | None) -> pd.Series | None:
    if "controller" in events.columns:
        return events["controller"].astype("string")
    if zones is None:
        return None
    try:
        from desertgeo.zones import assign_zones
    except ImportError as exc:
        raise InputError(
            "zones given but desertgeo.zones.assign_zones is unavailable; "
            "add a 'controller' column to the events instead"
        ) from exc
    assigned = assign_zones(events, zones)
    if isinstance(assigned, pd.Series):
        return assigned.astype("string")
    if "controller" in assigned.columns:
        return assigned["controller"].astype("string")
    raise InputError("assign_zones() returned no 'controller' column")


def summarize_clusters(
    events: gpd.GeoDataFrame,
    labels: pd.Series | None = None,
    *,
    zones: gpd.GeoDataFrame | None = None,
    hull: str = "convex",
    concave_ratio: float = 0.3,
    min_hull_m: float = 100.0,
    places: gpd.GeoDataFrame | bool | None = None,
    date_column: str = "date",
) -> gpd.GeoDataFrame:
    """One row per cluster: size, fatalities, dates, centroid, hull and nearest place.

    Parameters
    ----------
    events : GeoDataFrame
        The clustered events (EPSG:4326 or reprojected).
    labels : Series, optional
        Labels from :func:`cluster` (default: the events' ``cluster`` column).
        Noise (-1) and ``<NA>`` rows are not summarised.
    zones : GeoDataFrame, optional
        Control zones; adds the dominant ``controller`` of each cluster (via
        :func:`desertgeo.zones.assign_zones`). An events ``controller`` column is
        used directly when present.
    hull : {"convex", "concave"}
        Hull type, built in UTM 37N metres; ``concave_ratio`` goes to
        :func:`shapely.concave_hull`. Hulls of clusters on 1-2 distinct places are
        buffered by ``min_hull_m`` metres so that every geometry is a polygon.
    places : GeoDataFrame or False, optional
        Gazetteer points with a ``name`` column (default: shipped places + sites);
        ``False`` skips the nearest place and governorate.

    Returns
    -------
    GeoDataFrame
        ``cluster, n_events, fatalities, first_date, last_date, centroid_lon,
        centroid_lat, nearest_place, nearest_place_km, location ("12 km NE of X", from
        :func:`desertgeo.reverse.nearest_places`), admin1, [controller],
        geometry`` in EPSG:4326, sorted by cluster.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> from shapely.geometry import Point
    >>> ev = gpd.GeoDataFrame(
    ...     {"fatalities": [2, 3, 0, 1], "date": pd.to_datetime(
    ...         ["2023-02-11", "2023-02-17", "2023-03-01", "2023-03-02"])},
    ...     geometry=[Point(38.87, 34.89), Point(38.88, 34.90), Point(38.86, 34.88),
    ...               Point(40.1, 35.3)], crs=4326)
    >>> s = summarize_clusters(ev, cluster(ev, eps_km=10, min_events=3))
    >>> s[["cluster", "n_events", "fatalities", "nearest_place", "admin1"]]
       cluster  n_events  fatalities nearest_place admin1
    0        0         3           5    As Sukhnah   Homs
    """
    frame = ensure_4326(events, what="events")
    lab = _labels_for(frame, labels)
    member = (lab.fillna(-1) >= 0).to_numpy()
    lon, lat, usable = _points(frame)
    member &= usable
    codes = lab.to_numpy(dtype="float64", na_value=-1.0)[member].astype(np.int64)
    ids, group = np.unique(codes, return_inverse=True)
    n = len(ids)
    sub = frame.loc[member]
    out = pd.DataFrame({"cluster": pd.array(ids, dtype="Int64")})
    out["n_events"] = np.bincount(group, minlength=n).astype(np.int64)
    if "fatalities" in sub.columns:
        fat = pd.to_numeric(sub["fatalities"], errors="coerce").astype("Float64")
        out["fatalities"] = (
            fat.groupby(group).sum(min_count=1).reindex(range(n)).round().astype("Int64").array
        )
    else:
        out["fatalities"] = pd.array([pd.NA] * n, dtype="Int64")
    if date_column in sub.columns:
        dates, _ = parse_dates(sub[date_column])
        g = dates.groupby(group)
        out["first_date"] = g.min().reindex(range(n)).to_numpy(dtype="datetime64[ns]")
        out["last_date"] = g.max().reindex(range(n)).to_numpy(dtype="datetime64[ns]")
    else:
        out["first_date"] = pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
        out["last_date"] = out["first_date"]
    cen = _sphere_centroid(lon[member], lat[member], group, n)
    out["centroid_lon"], out["centroid_lat"] = cen[:, 0], cen[:, 1]
    if places is False or n == 0:
        out["nearest_place"] = pd.array([pd.NA] * n, dtype="string")
        out["nearest_place_km"] = np.full(n, np.nan)
        out["location"] = pd.array([pd.NA] * n, dtype="string")
        out["admin1"] = pd.array([pd.NA] * n, dtype="string")
    else:
        from desertgeo.reverse import nearest_places  # "12 km NE of X" (issue 14)

        pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(cen[:, 0], cen[:, 1]), crs=4326)
        gaz = _gazetteer() if places is None else places
        near = nearest_places(pts, gazetteer=gaz, feature_types=None)
        out["nearest_place"] = near["place"].array
        out["nearest_place_km"] = near["distance_km"].to_numpy()
        out["location"] = near["label"].array
        out["admin1"] = _governorate(cen[:, 0], cen[:, 1]).array
    ctrl = _controllers(frame, zones)
    if ctrl is not None:
        c = ctrl[member].reset_index(drop=True)
        dom = pd.DataFrame({"g": group, "c": c}).dropna().value_counts().reset_index()
        dom = dom.sort_values(["g", "count", "c"], ascending=[True, False, True])
        first = dom.drop_duplicates("g").set_index("g")["c"]
        out["controller"] = first.reindex(range(n)).astype("string").array
    geometry = (
        _hulls(lon[member], lat[member], group, hull, concave_ratio, min_hull_m)
        if n
        else gpd.GeoSeries([], crs=4326)
    )
    return gpd.GeoDataFrame(out, geometry=geometry.to_numpy(), crs=4326)


# ---------------------------------------------------------------------------
# tracking across periods
# ---------------------------------------------------------------------------


def track_clusters(
    events: gpd.GeoDataFrame,
    period: str = "Q",
    *,
    method: str = "dbscan",
    match_km: float | None = None,
    change: float = 0.25,
    date_column: str = "date",
    **cluster_options: Any,
) -> gpd.GeoDataFrame:
    """Cluster each period and follow clusters from one period to the next.

    Events are split by calendar ``period`` of their date (a pandas period alias:
    ``"M"``, ``"Q"``, ``"Y"``, ...; rows without a date are left out and counted in
    ``attrs["n_undated"]``) and clustered with :func:`cluster` (``method`` and
    ``cluster_options``). A cluster matches a cluster of the previous period when
    their hulls intersect or their centroids are within ``match_km``
    (default: ``eps_km``, else 10 km); matches are made one-to-one, the pairs with
    the largest hull overlap (then the closest centroids) first.

    Statuses: ``new`` (no match), ``growing`` / ``shrinking`` (matched and its
    event count changed by more than ``change``, 25 % by default), ``persisting``
    (matched, otherwise), ``gone`` (a previous cluster left unmatched; reported
    in the period where it is missing, with its previous hull).

    Returns
    -------
    GeoDataFrame
        ``period, track_id, cluster, status, n_events, prev_cluster, prev_n_events,
        centroid_lon, centroid_lat, geometry`` (hulls, EPSG:4326); ``track_id``
        follows a cluster through the periods.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> from shapely.geometry import Point
    >>> dates = pd.to_datetime(["2023-01-10"] * 3 + ["2023-04-10"] * 5 + ["2023-04-12"] * 3)
    >>> pts = ([Point(38.87, 34.89)] * 3 + [Point(38.88, 34.90)] * 5
    ...        + [Point(40.14, 35.33)] * 3)
    >>> ev = gpd.GeoDataFrame({"date": dates}, geometry=pts, crs=4326)
    >>> t = track_clusters(ev, "Q", eps_km=5, min_events=3)
    >>> t[["period", "track_id", "status", "n_events", "prev_n_events"]]
       period  track_id   status  n_events  prev_n_events
    0  2023Q1         0      new         3           <NA>
    1  2023Q2         0  growing         5              3
    2  2023Q2         1      new         3           <NA>
    """
    import shapely

    frame = ensure_4326(events, what="events")
    if date_column not in frame.columns:
        raise InputError(f"track_clusters needs a {date_column!r} column")
    dates, _ = parse_dates(frame[date_column])
    dated = dates.notna().to_numpy()
    periods = dates[dated].dt.to_period(period)
    radius = match_km if match_km is not None else cluster_options.get("eps_km", 10.0)
    rows: list[dict[str, Any]] = []
    prev: pd.DataFrame | None = None
    next_track = 0
    for per in sorted(periods.unique()):
        sub = frame.loc[dated].loc[(periods == per).to_numpy()]
        lab = cluster(sub, method, date_column=date_column, **cluster_options)
        summ = summarize_clusters(sub, lab, places=False, date_column=date_column)
        cur = pd.DataFrame(
            {
                "cluster": summ["cluster"].to_numpy(dtype=np.int64),
                "n_events": summ["n_events"].to_numpy(),
                "lon": summ["centroid_lon"].to_numpy(),
                "lat": summ["centroid_lat"].to_numpy(),
                "geometry": summ.geometry.to_numpy(),
            }
        )
        track = np.full(len(cur), -1, dtype=np.int64)
        prev_i = np.full(len(cur), -1, dtype=np.int64)
        if prev is not None and len(prev) and len(cur):
            grid_p, grid_c = np.meshgrid(np.arange(len(prev)), np.arange(len(cur)), indexing="ij")
            pi, ci = grid_p.ravel(), grid_c.ravel()
            pg, cg = prev["geometry"].to_numpy()[pi], cur["geometry"].to_numpy()[ci]
            inter = shapely.area(shapely.intersection(pg, cg))
            union = shapely.area(shapely.union(pg, cg))
            iou = np.where(union > 0, inter / np.where(union > 0, union, 1), 0.0)
            dist = haversine_km(
                prev["lon"].to_numpy()[pi],
                prev["lat"].to_numpy()[pi],
                cur["lon"].to_numpy()[ci],
                cur["lat"].to_numpy()[ci],
            )
            ok = (inter > 0) | (dist <= radius)
            order = np.lexsort((ci, pi, dist, -iou))
            used_p: set[int] = set()
            for k in order[ok[order]]:
                p, c = int(pi[k]), int(ci[k])
                if p in used_p or prev_i[c] >= 0:
                    continue
                used_p.add(p)
                prev_i[c] = p
                track[c] = int(prev["track_id"].iloc[p])
            rows.extend(
                {
                    "period": str(per),
                    "track_id": int(prev["track_id"].iloc[p]),
                    "cluster": pd.NA,
                    "status": "gone",
                    "n_events": 0,
                    "prev_cluster": int(prev["cluster"].iloc[p]),
                    "prev_n_events": int(prev["n_events"].iloc[p]),
                    "centroid_lon": float(prev["lon"].iloc[p]),
                    "centroid_lat": float(prev["lat"].iloc[p]),
                    "geometry": prev["geometry"].iloc[p],
                }
                for p in range(len(prev))
                if p not in used_p
            )
        for c in range(len(cur)):
            if track[c] < 0:
                track[c] = next_track
                next_track += 1
            n_now = int(cur["n_events"].iloc[c])
            pc_: Any
            pn: Any
            if prev_i[c] < 0:
                status, pc_, pn = "new", pd.NA, pd.NA
            else:
                assert prev is not None
                pc_ = int(prev["cluster"].iloc[prev_i[c]])
                pn = int(prev["n_events"].iloc[prev_i[c]])
                if n_now > pn * (1 + change):
                    status = "growing"
                elif n_now < pn * (1 - change):
                    status = "shrinking"
                else:
                    status = "persisting"
            rows.append(
                {
                    "period": str(per),
                    "track_id": int(track[c]),
                    "cluster": int(cur["cluster"].iloc[c]),
                    "status": status,
                    "n_events": n_now,
                    "prev_cluster": pc_,
                    "prev_n_events": pn,
                    "centroid_lon": float(cur["lon"].iloc[c]),
                    "centroid_lat": float(cur["lat"].iloc[c]),
                    "geometry": cur["geometry"].iloc[c],
                }
            )
        cur["track_id"] = track
        prev = cur
    columns = [
        "period",
        "track_id",
        "cluster",
        "status",
        "n_events",
        "prev_cluster",
        "prev_n_events",
        "centroid_lon",
        "centroid_lat",
        "geometry",
    ]
    table = pd.DataFrame(rows, columns=columns)
    for col in ("track_id", "cluster", "n_events", "prev_cluster", "prev_n_events"):
        table[col] = table[col].astype("Int64")
    for col in ("period", "status"):
        table[col] = table[col].astype("string")
    out = gpd.GeoDataFrame(table, geometry="geometry", crs=4326)
    out.attrs["n_undated"] = int((~dated).sum())
    return out
