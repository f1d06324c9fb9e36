"""Scale-out: the same analysis on a dask-geopandas GeoDataFrame.

Every function here takes a ``dask_geopandas.GeoDataFrame`` (or an in-memory
GeoDataFrame, split with :func:`to_dask`) and runs desertgeo's in-memory
function on each partition, so the results are the *same values* as the
in-memory path, computed lazily and in parallel by whatever dask scheduler is
active: threads on one machine, or a ``dask.distributed`` cluster when a
``Client("tcp://scheduler:8786")`` exists (see ``docs/scale-out.md``).

* :func:`read_events_parquet` / :func:`write_parquet`: partitioned GeoParquet
  datasets (one file per partition), read lazily and written back partitioned;
* :func:`assign_zones`, :func:`distance_to`, :func:`distance_to_borders`:
  row-wise operations, one task per partition (no shuffle);
* :func:`geocode_column`: geocodes each *distinct* name once, then maps the
  results back onto the rows;
* :func:`distance_stats`: exact statistics (medians and quantiles included) of
  a distance column; only the needed columns are brought into memory;
* :func:`cluster_partitions`: DBSCAN / space-time DBSCAN per spatial bin of
  whole eps-connected components, so no cluster crosses a bin and the labels
  equal the in-memory ones (:func:`cluster_plan` shows the bins first);
* :func:`spatial_partition`: Hilbert-curve repartitioning that keeps the
  index, for workloads that filter or join by area.

dask and dask-geopandas are optional: ``pip install 'desertgeo[dask]'``.

Examples
--------
>>> import dask
>>> from desertgeo import datasets, scale
>>> events = datasets.load("seed_events")
>>> ddf = scale.to_dask(events, npartitions=2)
>>> ddf.npartitions
2
>>> with dask.config.set(scheduler="threads", num_workers=2):
...     out = scale.distance_to(ddf, "border").compute()
>>> bool((out["dist_border_km"].dropna() >= 0).all()), len(out) == len(events)
(True, True)
"""

from __future__ import annotations

import functools
import json
import math
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from desertgeo._compat import positional_options
from desertgeo._errors import InputError, MissingDependencyError
from desertgeo._geodesy import chord_for_km, unit_xyz
from desertgeo._validate import crs_missing

if TYPE_CHECKING:  # pragma: no cover
    import dask_geopandas

__all__ = [
    "DEFAULT_PARTITION_ROWS",
    "assign_zones",
    "cluster_partitions",
    "cluster_plan",
    "distance_stats",
    "distance_to",
    "distance_to_borders",
    "geocode_column",
    "read_events_parquet",
    "spatial_partition",
    "to_dask",
    "write_parquet",
]

_INSTALL = "pip install 'desertgeo[dask]'"
#: rows per partition when :func:`to_dask` chooses the number of partitions (the size
#: measured in ``benchmarks/bench_scale.py``: ~0.1-0.2 GB of working memory per task)
DEFAULT_PARTITION_ROWS = 100_000
_POS = "__desertgeo_pos__"
_BIN = "__desertgeo_bin__"
_CURVE = "__desertgeo_hilbert__"
_META_KEY = b"desertgeo"


# --------------------------------------------------------------------------- deps
def _deps() -> tuple[Any, Any]:
    """Import dask and dask-geopandas, or say how to install them."""
    try:
        import dask
        import dask.dataframe  # registers the dataframe collection
        import dask_geopandas
    except ImportError as exc:  # pragma: no cover - the test env has the extra
        raise MissingDependencyError(
            f"desertgeo.scale needs dask and dask-geopandas ({exc.name} is missing); "
            f"install them with: {_INSTALL}"
        ) from exc
    return dask, dask_geopandas


def _no_string_conversion() -> Any:
    """Keep pandas dtypes as they are (dask would turn object columns into pyarrow strings)."""
    dask, _ = _deps()
    return dask.config.set({"dataframe.convert-string": False})


@positional_options("npartitions")
def to_dask(
    events: gpd.GeoDataFrame | dask_geopandas.GeoDataFrame,
    *,
    npartitions: int | None = None,
) -> dask_geopandas.GeoDataFrame:
    """Return ``events`` as a dask-geopandas GeoDataFrame (unchanged if it already is one).

    Parameters
    ----------
    events : GeoDataFrame or dask_geopandas.GeoDataFrame
        Must have a CRS. Row order and index are kept (the index is *not* sorted).
    npartitions : int, optional
        Number of partitions; default one per :data:`DEFAULT_PARTITION_ROWS` rows.

    Examples
    --------
    >>> from desertgeo import datasets
    >>> ddf = to_dask(datasets.load("seed_events"), npartitions=3)
    >>> ddf.npartitions, str(ddf.crs.to_epsg())
    (3, '4326')
    """
    _, dgpd = _deps()
    if isinstance(events, dgpd.GeoDataFrame):
        if events.crs is None:
            raise crs_missing("the dask GeoDataFrame", fix="set it, e.g. ddf.set_crs(4326)")
        return events
    if not isinstance(events, gpd.GeoDataFrame):
        raise InputError(
            f"expected a GeoDataFrame or a dask_geopandas.GeoDataFrame, got {type(events).__name__}"
        )
    if events.crs is None:
        raise crs_missing("the GeoDataFrame", fix="set it, e.g. events.set_crs(4326)")
    if npartitions is None:
        npartitions = max(1, math.ceil(len(events) / DEFAULT_PARTITION_ROWS))
    if npartitions < 1:
        raise InputError(f"npartitions must be >= 1, got {npartitions}")
    with _no_string_conversion():
        return dgpd.from_geopandas(events, npartitions=int(npartitions), sort=False)


def _meta_of(func: Callable[[Any], Any], ddf: Any) -> Any:
    """Output schema of ``func`` (an empty frame) from the input's empty ``_meta``."""
    return func(ddf._meta)


def _map(ddf: Any, func: Callable[[Any], Any]) -> Any:
    """``ddf.map_partitions(func)`` with the meta computed by ``func`` itself."""
    return ddf.map_partitions(func, meta=_meta_of(func, ddf))


# --------------------------------------------------------------------------- I/O
def read_events_parquet(
    path: str | os.PathLike[str],
    *,
    columns: Sequence[str] | None = None,
    validate: bool = True,
    **kwargs: Any,
) -> dask_geopandas.GeoDataFrame:
    """Read a partitioned GeoParquet dataset lazily (one dask partition per file).

    Parameters
    ----------
    path : path
        A directory of GeoParquet files (``*.parquet``, e.g. written by
        :func:`write_parquet` or by several ``GeoDataFrame.to_parquet`` calls),
        a single file, or a glob. Any fsspec URL dask understands
        (``s3://...``) works when the matching fsspec package is installed.
    columns : sequence of str, optional
        Read only these columns (the geometry is always read).
    validate : bool, default True
        Run :func:`desertgeo.events.validate_events` on each partition, so the
        result has the events schema, with ``status`` / ``reason``. Note that
        duplicate ``event_id`` are then only detected *within* a partition.
    **kwargs
        Passed to ``dask_geopandas.read_parquet``.

    Returns
    -------
    dask_geopandas.GeoDataFrame
        Lazy; nothing is read until ``.compute()`` / :func:`write_parquet`.
        The index written by :func:`write_parquet` (and its name) is restored.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from desertgeo import datasets
    >>> events = datasets.load("seed_events")
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "ev"
    >>> where = write_parquet(to_dask(events, npartitions=2), folder)
    >>> back = read_events_parquet(where)
    >>> back.npartitions, len(back.compute()) == len(events)
    (2, True)
    """
    _, dgpd = _deps()
    target = Path(os.fspath(path)) if "://" not in os.fspath(path) else None
    if target is not None and not any(ch in str(target) for ch in "*?[") and not target.exists():
        raise FileNotFoundError(f"no such GeoParquet file or directory: {path}")
    cols = None
    if columns is not None:
        cols = list(dict.fromkeys([*columns, "geometry"]))
    with _no_string_conversion():
        ddf = dgpd.read_parquet(os.fspath(path), columns=cols, **kwargs)
    if ddf.crs is None:
        raise crs_missing(
            "the GeoParquet dataset", where=str(path), fix="write it with one (EPSG:4326)"
        )
    index_name = _stored_index_name(target)
    if index_name is not None:
        ddf = ddf.map_partitions(
            functools.partial(_rename_index, name=index_name),
            meta=_rename_index(ddf._meta, index_name),
        )
    if validate:
        from desertgeo.events import validate_events

        ddf = _map(ddf, validate_events)
    return ddf


def _rename_index(part: Any, name: Any) -> Any:
    return part.rename_axis(name)


def _stored_index_name(target: Path | None) -> Any:
    """Index name recorded by :func:`write_parquet` in a dataset's files (None if absent)."""
    if target is None or not target.is_dir():
        return None
    import pyarrow.parquet as pq

    # hidden files are temporaries of an interrupted write (readers skip them too)
    files = sorted(p for p in target.glob("*.parquet") if not p.name.startswith("."))
    if not files:
        return None
    meta = pq.read_schema(files[0]).metadata or {}
    raw = meta.get(_META_KEY)
    if raw is None:
        return None
    return json.loads(raw).get("index_name")


def _write_part(part: gpd.GeoDataFrame, path: str, number: int, index: bool) -> int:
    """Write one partition to ``path/part.NNNNN.parquet``; return its row count."""
    import pyarrow.parquet as pq

    from desertgeo._atomic import atomic_path

    name = part.index.name
    out = part.rename_axis(None)
    # atomic: a failed or killed write never leaves a truncated part file behind
    with atomic_path(Path(path) / f"part.{number:05d}.parquet") as file:
        out.to_parquet(file, index=index)
        if index and name is not None:
            # dask cannot read a named index back (pandas 3 deprecations inside dask):
            # the index is stored unnamed and its name recorded in the file's metadata
            table = pq.read_table(file)
            meta = dict(table.schema.metadata or {})
            meta[_META_KEY] = json.dumps({"index_name": name}).encode()
            pq.write_table(table.replace_schema_metadata(meta), file)
    return len(part)


def write_parquet(
    ddf: gpd.GeoDataFrame | dask_geopandas.GeoDataFrame,
    path: str | os.PathLike[str],
    *,
    index: bool = True,
    overwrite: bool = False,
) -> Path:
    """Write a (dask) GeoDataFrame as a partitioned GeoParquet dataset.

    One file per partition, ``part.00000.parquet``, ``part.00001.parquet``, ...,
    each a valid GeoParquet file (geopandas can read any one of them; dask,
    DuckDB, GDAL and Spark read the directory). Partitions are written in
    parallel by the active dask scheduler, each by the worker that computed it,
    so the table never has to fit in one process.

    Parameters
    ----------
    ddf : dask_geopandas.GeoDataFrame or GeoDataFrame
    path : path
        Output directory (created). It must be empty unless ``overwrite=True``,
        which first removes the ``*.parquet`` files in it.
    index : bool, default True
        Store the index (restored by :func:`read_events_parquet`).

    Returns
    -------
    Path
        The directory.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from desertgeo import datasets
    >>> out = write_parquet(datasets.load("seed_events"), pathlib.Path(tempfile.mkdtemp()) / "ev")
    >>> sorted(p.name for p in out.iterdir())
    ['part.00000.parquet']
    """
    dask, _ = _deps()
    ddf = to_dask(ddf)
    target = Path(os.fspath(path))
    if target.exists() and not target.is_dir():
        raise InputError(f"{target} exists and is not a directory; give a directory path")
    target.mkdir(parents=True, exist_ok=True)
    existing = sorted(target.glob("*.parquet"))
    if existing:
        if not overwrite:
            raise InputError(
                f"{target} already holds {len(existing)} parquet file(s); "
                "pass overwrite=True to replace them or choose an empty directory"
            )
        for file in existing:
            file.unlink()
    tasks = [
        dask.delayed(_write_part)(part, str(target), i, index)
        for i, part in enumerate(ddf.to_delayed())
    ]
    dask.compute(*tasks)
    return target


# --------------------------------------------------------------------------- row-wise
def assign_zones(
    events: gpd.GeoDataFrame | dask_geopandas.GeoDataFrame,
    zones: gpd.GeoDataFrame | None = None,
    **kwargs: Any,
) -> dask_geopandas.GeoDataFrame:
    """Control zone of each event at its date: :func:`desertgeo.zones.assign_zones` per partition.

    Parameters
    ----------
    events : dask_geopandas.GeoDataFrame or GeoDataFrame
        Events (a GeoDataFrame is split with :func:`to_dask`).
    zones : GeoDataFrame, path or None
        Control-zone snapshots, as in the in-memory function (default: the
        shipped ones). A frame is shipped to every task (zones are small);
        each task validates it again with :func:`desertgeo.zones.load_zones`,
        exactly as the in-memory call does.
    **kwargs
        Passed to :func:`desertgeo.zones.assign_zones`.

    Returns
    -------
    dask_geopandas.GeoDataFrame
        Exactly what the in-memory function returns, partition by partition.

    Examples
    --------
    >>> import dask
    >>> from desertgeo import datasets
    >>> events = datasets.load("seed_events")
    >>> with dask.config.set(scheduler="threads"):
    ...     out = assign_zones(to_dask(events, npartitions=2)).compute()
    >>> "controller" in out.columns, len(out) == len(events)
    (True, True)
    """
    events = to_dask(events)
    from desertgeo import zones as _zones

    # thread-safe: assign_zones prepares private copies of the zone polygons
    return _map(events, functools.partial(_zones.assign_zones, zones=zones, **kwargs))


def _join_columns(part: Any, func: Callable[[Any], pd.DataFrame]) -> Any:
    """The partition with the columns computed by ``func`` appended (on a copy)."""
    extra = func(part)
    out = part.copy()
    for col in extra.columns:
        out[col] = extra[col]
    return out


def distance_to(
    events: gpd.GeoDataFrame | dask_geopandas.GeoDataFrame,
    target: str | gpd.GeoDataFrame | gpd.GeoSeries,
    *,
    append: bool = True,
    **kwargs: Any,
) -> Any:
    """Geodesic distance to ``target``: :func:`desertgeo.distance.distance_to` per partition.

    Parameters
    ----------
    events : dask_geopandas.GeoDataFrame or GeoDataFrame
    target : str, GeoDataFrame or GeoSeries
        As in :func:`desertgeo.distance.distance_to` (a frame target is shipped
        to every task).
    append : bool, default True
        Return the events with the distance columns appended (a dask
        GeoDataFrame); ``False`` returns only the distance columns (a dask
        DataFrame equal, once computed, to the in-memory result).
    **kwargs
        ``label``, ``nearest_point``: as in the in-memory function.

    Examples
    --------
    >>> import dask
    >>> from desertgeo import datasets
    >>> ev = datasets.load("seed_events")
    >>> with dask.config.set(scheduler="threads"):
    ...     d = distance_to(to_dask(ev, npartitions=2), "tri-border", append=False).compute()
    >>> list(d.columns)
    ['dist_tripoint_km', 'nearest_tripoint']
    """
    from desertgeo import distance as _distance

    events = to_dask(events)
    func = functools.partial(_distance.distance_to, target=target, **kwargs)
    if not append:
        return _map(events, func)
    return _map(events, functools.partial(_join_columns, func=func))


def distance_to_borders(
    events: gpd.GeoDataFrame | dask_geopandas.GeoDataFrame, *, append: bool = True
) -> Any:
    """Distance to each of Syria's neighbours: :func:`desertgeo.distance.distance_to_borders`.

    ``append`` as in :func:`distance_to`.

    Examples
    --------
    >>> import dask
    >>> from desertgeo import datasets
    >>> ev = datasets.load("seed_events")
    >>> with dask.config.set(scheduler="threads"):
    ...     d = distance_to_borders(to_dask(ev, npartitions=2)).compute()
    >>> {"dist_border_km", "nearest_border"} <= set(d.columns)
    True
    """
    from desertgeo import distance as _distance

    events = to_dask(events)
    if not append:
        return _map(events, _distance.distance_to_borders)
    return _map(events, functools.partial(_join_columns, func=_distance.distance_to_borders))


@positional_options("by")
def distance_stats(
    events: Any,
    column: str | None = None,
    *,
    by: str | Sequence[str] | None = None,
    **kwargs: Any,
) -> pd.DataFrame:
    """Exact :func:`desertgeo.distance.distance_stats` of a dask frame (computed).

    Medians and quantiles are *exact*: only the distance column and the
    grouping columns are computed into memory (8 bytes per row for the
    distance plus the keys: ~1.6 GB for 100 M rows with one small key), then the
    in-memory function describes them. dask's own quantiles are approximate,
    which is why they are not used.

    Parameters
    ----------
    events : dask (Geo)DataFrame or (Geo)DataFrame
        Holds the distance column (e.g. the output of :func:`distance_to`).
    column, by, **kwargs
        As in :func:`desertgeo.distance.distance_stats`.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> import dask
    >>> from desertgeo import datasets
    >>> ev = datasets.load("seed_events")
    >>> d = distance_to(to_dask(ev, npartitions=2), "border")
    >>> with dask.config.set(scheduler="threads"):
    ...     s = distance_stats(d, "dist_border_km")
    >>> int(s.loc["all", "count"]) == int(ev.geometry.notna().sum())
    True
    """
    from desertgeo import distance as _distance

    if isinstance(events, pd.DataFrame):
        return _distance.distance_stats(events, column=column, by=by, **kwargs)
    columns = list(events.columns)
    col = column
    if col is None:
        cands = [c for c in columns if str(c).startswith("dist_") and str(c).endswith("_km")]
        if len(cands) != 1:
            raise InputError(
                f"say which distance column to use (column=...); candidates: {cands or 'none'}"
            )
        col = str(cands[0])
    keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
    missing = [c for c in [col, *keys] if c not in columns]
    if missing:
        raise InputError(f"column(s) {missing} not in the frame; columns: {columns}")
    wanted = list(dict.fromkeys([col, *keys]))
    small = pd.DataFrame(events[wanted].compute())
    return _distance.distance_stats(small, column=col, by=by, **kwargs)


# --------------------------------------------------------------------------- geocoding
def _merge_geocoded(part: Any, column: str, table: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Rows of ``table`` (indexed by distinct name) for each row's name, aligned to ``part``."""
    names = part[column]
    pos = table.index.get_indexer(names.astype("string").fillna("\x00__missing__"))
    if (pos < 0).any():  # pragma: no cover - every distinct value was geocoded
        bad = names[pos < 0].iloc[0]
        raise InputError(f"value {bad!r} of column {column!r} was not geocoded")
    out = table.iloc[pos].copy()
    out.index = part.index
    return out


def geocode_column(
    events: gpd.GeoDataFrame | dask_geopandas.GeoDataFrame,
    column: str,
    **kwargs: Any,
) -> dask_geopandas.GeoDataFrame:
    """Geocode a place-name column of a dask frame with :func:`desertgeo.geocoder.geocode`.

    Event tables repeat a few thousand place names over millions of rows, so
    the *distinct* names are computed first (one pass over the column), geocoded
    once in memory, and the results are mapped back onto the rows partition by
    partition. The output equals ``geocode(frame[column], **kwargs)`` row for
    row. Missing names are geocoded as the in-memory function does.

    Parameters
    ----------
    events : dask (Geo)DataFrame or (Geo)DataFrame
        Any table with the column: events, or a plain table of names read with
        ``dask.dataframe.read_csv`` (no geometry needed).
    column : str
        Place-name column (e.g. ``"place"``).
    **kwargs
        Passed to :func:`desertgeo.geocoder.geocode`.

    Returns
    -------
    dask_geopandas.GeoDataFrame
        The geocode result schema, aligned to the input's index.

    Examples
    --------
    >>> import dask
    >>> from desertgeo import datasets
    >>> ev = datasets.load("seed_events")
    >>> with dask.config.set(scheduler="threads"):
    ...     g = geocode_column(to_dask(ev, npartitions=2), "place").compute()
    >>> len(g) == len(ev), "matched_name" in g.columns
    (True, True)
    """
    _, dgpd = _deps()
    from desertgeo.geocoder import geocode

    if isinstance(events, gpd.GeoDataFrame):
        events = to_dask(events)
    elif isinstance(events, pd.DataFrame):  # a plain table of names (no geometry yet)
        import dask.dataframe as dd

        with _no_string_conversion():
            nparts = max(1, math.ceil(len(events) / DEFAULT_PARTITION_ROWS))
            events = dd.from_pandas(events, npartitions=nparts, sort=False)
    if column not in events.columns:
        raise InputError(f"column {column!r} not in the frame; columns: {list(events.columns)}")
    distinct = events[column].astype("string").drop_duplicates().compute()
    names = pd.Series(distinct.to_numpy(), dtype="string")
    result = geocode(names, **kwargs)
    key = names.fillna("\x00__missing__")
    if key.duplicated().any():  # pragma: no cover - drop_duplicates made them unique
        raise InputError(f"distinct values of {column!r} are not unique")
    table = result.copy()
    table.index = pd.Index(key.to_numpy(), dtype="string")
    meta = _merge_geocoded(events._meta, column, table.iloc[:0])
    out = events.map_partitions(
        functools.partial(_merge_geocoded, column=column, table=table), meta=meta
    )
    if not isinstance(out, dgpd.GeoDataFrame):  # pragma: no cover
        raise InputError("the geocode result is not a GeoDataFrame")
    return out


# --------------------------------------------------------------------------- spatial partitioning
@positional_options("npartitions")
def spatial_partition(
    events: gpd.GeoDataFrame | dask_geopandas.GeoDataFrame,
    *,
    npartitions: int | None = None,
    by: str = "hilbert",
    level: int = 16,
) -> dask_geopandas.GeoDataFrame:
    """Repartition along a Hilbert curve so that each partition covers a compact area.

    Wraps ``dask_geopandas.GeoDataFrame.spatial_shuffle`` but keeps the
    original index (spatial_shuffle replaces it with the curve distance) and
    the partitions' ``spatial_partitions`` (their convex hulls), so later
    spatial filters and joins only touch the partitions they need. Rows
    without a geometry are kept (they sort last).

    It costs a full shuffle of the table: it pays when the result is reused
    (written out and read many times, filtered by area, joined), not for one
    pass of zone assignment or distances, which are row-wise.

    Examples
    --------
    >>> import dask
    >>> from desertgeo import datasets
    >>> ev = datasets.load("seed_events")
    >>> with dask.config.set(scheduler="threads"):
    ...     sp = spatial_partition(to_dask(ev, npartitions=2))
    ...     back = sp.compute()
    >>> sorted(back.index) == sorted(ev.index), sp.spatial_partitions is not None
    (True, True)
    """
    events = to_dask(events)
    if by != "hilbert":
        raise InputError(f"by={by!r}: only 'hilbert' is supported")
    name = events._meta.index.name
    minx, miny, maxx, maxy = (float(v) for v in events.geometry.total_bounds.compute())
    bounds = (minx, miny, maxx, maxy)
    if not all(np.isfinite(bounds)):
        raise InputError("no row has a geometry: nothing to partition spatially")
    func = functools.partial(_with_curve, bounds=bounds, level=level)
    keyed = _map(events, func)
    shuffled = keyed.set_index(_CURVE, npartitions=npartitions or events.npartitions)
    meta = _restore_index(shuffled._meta, name)
    out = shuffled.map_partitions(functools.partial(_restore_index, name=name), meta=meta)
    out.calculate_spatial_partitions()
    return out


def _with_curve(part: Any, bounds: tuple[float, float, float, float], level: int) -> Any:
    """The partition with its original index in a column and its Hilbert distance."""
    arr = np.asarray(part.geometry.array, dtype=object)
    ok = ~(shapely.is_missing(arr) | shapely.is_empty(arr))
    dist = np.full(len(part), 1 << (2 * level), dtype=np.int64)  # no geometry: last
    if ok.any():
        dist[ok] = part.geometry[ok].hilbert_distance(total_bounds=bounds, level=level)
    out = part.copy()
    out[_POS] = part.index
    out[_CURVE] = dist
    return out


def _restore_index(part: Any, name: Any) -> Any:
    out = part.set_index(_POS, drop=True)
    out.index.name = name
    return out


# --------------------------------------------------------------------------- clustering
_CELL_BITS = 21
_CELL_OFFSET = 1 << (_CELL_BITS - 1)


def _cell_keys(part: Any, cell: float) -> np.ndarray:
    """3-D grid cell (on the unit sphere) of each row, encoded in an int64; -1 if no point."""
    arr = np.asarray(part.geometry.array, dtype=object)
    keys = np.full(len(arr), -1, dtype=np.int64)
    ok = np.flatnonzero(~(shapely.is_missing(arr) | shapely.is_empty(arr)))
    if ok.size == 0:
        return keys
    pts = arr[ok]
    other = shapely.get_type_id(pts) != 0  # as desertgeo.clustering: a representative point
    if other.any():
        pts = pts.copy()
        pts[other] = shapely.point_on_surface(pts[other])
    lon, lat = shapely.get_x(pts), shapely.get_y(pts)
    finite = np.isfinite(lon) & np.isfinite(lat)
    xyz = unit_xyz(lon[finite], lat[finite])
    ijk = np.floor(xyz / cell).astype(np.int64) + _CELL_OFFSET
    keys[ok[finite]] = (ijk[:, 0] << (2 * _CELL_BITS)) | (ijk[:, 1] << _CELL_BITS) | ijk[:, 2]
    return keys


def _cell_counts(part: Any, cell: float) -> pd.Series:
    keys = _cell_keys(part, cell)
    return pd.Series(keys).value_counts().rename("n").rename_axis("cell")


def _plan_bins(counts: pd.Series, nbins: int) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Connected components of occupied cells (26-neighbourhood), packed into bins.

    Returns the sorted cell keys, the bin of each, the number of components and
    the number of events in the largest one.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    occupied = counts[counts.index >= 0]
    keys = np.sort(occupied.index.to_numpy(dtype=np.int64))
    sizes = occupied.reindex(keys).to_numpy(dtype=np.int64)
    n = len(keys)
    if n == 0:
        return keys, np.zeros(0, dtype=np.int64), 0, 0
    mask = (1 << _CELL_BITS) - 1
    ijk = np.stack(
        [(keys >> (2 * _CELL_BITS)) & mask, (keys >> _CELL_BITS) & mask, keys & mask], axis=1
    )
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    offsets = [(a, b, c) for a in (-1, 0, 1) for b in (-1, 0, 1) for c in (-1, 0, 1)]
    for off in offsets:
        if off <= (0, 0, 0):  # each undirected pair once, and no self loops
            continue
        nb = ijk + np.asarray(off, dtype=np.int64)
        nkey = (nb[:, 0] << (2 * _CELL_BITS)) | (nb[:, 1] << _CELL_BITS) | nb[:, 2]
        at = np.searchsorted(keys, nkey)
        at_c = np.minimum(at, n - 1)
        hit = keys[at_c] == nkey
        rows.append(np.flatnonzero(hit))
        cols.append(at_c[hit])
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    graph = coo_matrix((np.ones(len(r), dtype=np.int8), (r, c)), shape=(n, n))
    ncomp, label = connected_components(graph, directed=False)
    comp_size = np.bincount(label, weights=sizes, minlength=ncomp)
    # greedy packing: largest component first into the lightest bin
    load = np.zeros(nbins)
    comp_bin = np.zeros(ncomp, dtype=np.int64)
    for comp in np.argsort(-comp_size, kind="stable"):
        b = int(np.argmin(load))
        comp_bin[comp] = b
        load[b] += comp_size[comp]
    return keys, comp_bin[label], int(ncomp), int(comp_size.max())


def _tag_rows(
    part: Any,
    cell: float,
    keys: np.ndarray,
    bins: np.ndarray,
    offsets: np.ndarray,
    columns: list[str],
    partition_info: dict[str, Any] | None = None,
) -> Any:
    """The clustering inputs of one partition, with each row's bin and global position."""
    number = 0 if partition_info is None else int(partition_info["number"])
    ck = _cell_keys(part, cell)
    b = np.zeros(len(ck), dtype=np.int64)
    have = ck >= 0
    if have.any() and len(keys):
        b[have] = bins[np.searchsorted(keys, ck[have])]
    out = part[columns].copy()
    out[_BIN] = b
    out[_POS] = offsets[number] + np.arange(len(part), dtype=np.int64)
    return out


def _cluster_bin(
    part: Any, func: Callable[[Any], pd.Series], geometry: str, crs: Any
) -> pd.DataFrame:
    """Cluster one spatially closed bin (all rows of its components) in input row order."""
    part = part.sort_values(_POS, kind="stable")
    events = part.drop(columns=[_BIN, _POS])
    if not isinstance(events, gpd.GeoDataFrame):  # a shuffle may hand back a plain frame
        events = gpd.GeoDataFrame(events, geometry=geometry, crs=crs)
    labels = func(events)
    return pd.DataFrame(
        {
            "local": labels.astype("Int64"),
            _BIN: part[_BIN].to_numpy(),
            _POS: part[_POS].to_numpy(),
        },
        index=part.index,
    )


def _attach_labels(part: Any, labels: pd.DataFrame, name: str) -> Any:
    """Append the global labels (sorted by position, as the partition's rows) to a partition."""
    if len(labels) != len(part):  # pragma: no cover - guarded by construction
        raise InputError("internal error: cluster labels do not line up with the partition")
    out = part.copy()
    out[name] = pd.array(labels["cluster"].to_numpy(), dtype="Int64")
    return out


@positional_options("npartitions")
def cluster_plan(
    events: gpd.GeoDataFrame | dask_geopandas.GeoDataFrame,
    eps_km: float,
    *,
    npartitions: int | None = None,
) -> dict[str, Any]:
    """How :func:`cluster_partitions` would split the events for a given ``eps_km``.

    Events are put on a 3-D grid of unit-sphere cells at least ``eps_km``
    across; occupied cells that touch (26-neighbourhood) are joined into
    connected components, and whole components are packed into
    ``npartitions`` bins. Two events within ``eps_km`` of each other are always
    in one component, so clustering each bin alone loses no neighbour.

    Returns
    -------
    dict
        ``rows``, ``rows_with_geometry``, ``components``, ``largest_component``
        (events in the biggest component: one task must hold them all),
        ``npartitions`` and ``bin_rows`` (events per bin).

    Examples
    --------
    >>> import dask
    >>> from desertgeo import datasets
    >>> ev = datasets.load("seed_events")
    >>> with dask.config.set(scheduler="threads"):
    ...     plan = cluster_plan(to_dask(ev, npartitions=2), eps_km=5)
    >>> plan["rows"] == len(ev), sum(plan["bin_rows"]) == plan["rows"]
    (True, True)
    """
    plan = _plan(to_dask(events), eps_km, npartitions)
    return {k: v for k, v in plan.items() if not k.startswith("_")}


def _plan(ddf: Any, eps_km: float, npartitions: int | None) -> dict[str, Any]:
    dask, _ = _deps()
    if not (isinstance(eps_km, (int, float)) and math.isfinite(eps_km) and eps_km > 0):
        raise InputError(f"eps_km must be a positive number of kilometres, got {eps_km!r}")
    # a cell a hair wider than the eps chord: two neighbours differ by <= 1 cell per axis
    cell = chord_for_km(float(eps_km)) * (1 + 1e-6)
    if 1.0 / cell >= _CELL_OFFSET - 2:
        raise InputError(f"eps_km={eps_km} is too small for the partitioning grid (>= 0.01 km)")
    geo = ddf[[ddf.geometry.name]]
    counts_d = geo.map_partitions(
        functools.partial(_cell_counts, cell=cell),
        meta=pd.Series([], dtype="int64", name="n", index=pd.Index([], dtype="int64", name="cell")),
    )
    lengths_d = geo.map_partitions(len, meta=(None, "int64"))
    counts_parts, lengths = dask.compute(counts_d, lengths_d)
    counts = counts_parts.groupby(level=0).sum()
    lengths = np.asarray(lengths, dtype=np.int64)
    nbins = int(npartitions or ddf.npartitions)
    if nbins < 1:
        raise InputError(f"npartitions must be >= 1, got {npartitions}")
    keys, bins, ncomp, largest = _plan_bins(counts, nbins)
    no_geom = int(counts.get(-1, 0))
    rows_per_bin = np.zeros(nbins, dtype=np.int64)
    if len(keys):
        np.add.at(rows_per_bin, bins, counts.reindex(keys).to_numpy(dtype=np.int64))
    rows_per_bin[0] += no_geom
    return {
        "rows": int(lengths.sum()),
        "rows_with_geometry": int(lengths.sum()) - no_geom,
        "components": ncomp,
        "largest_component": largest,
        "npartitions": nbins,
        "bin_rows": rows_per_bin.tolist(),
        "_cell": cell,
        "_keys": keys,
        "_bins": bins,
        "_lengths": lengths,
    }


def cluster_partitions(
    events: gpd.GeoDataFrame | dask_geopandas.GeoDataFrame,
    method: str = "dbscan",
    *,
    eps_km: float = 10.0,
    min_events: int = 5,
    time_days: float | None = None,
    date_column: str = "date",
    npartitions: int | None = None,
    name: str = "cluster",
) -> dask_geopandas.GeoDataFrame:
    """Exact DBSCAN / space-time DBSCAN of a dask frame, one task per spatial bin.

    Design (why the result equals :func:`desertgeo.clustering.cluster` on the
    whole table, labels included):

    1. one pass over the geometries puts every event on a 3-D grid of
       unit-sphere cells a hair wider than the ``eps_km`` chord, and counts the
       rows per partition (:func:`cluster_plan`);
    2. touching occupied cells form connected components: two events within
       ``eps_km`` are always in the same or in touching cells, so *every*
       DBSCAN neighbourhood (and, for ``st-dbscan``, every space-time one,
       which is a subset) lies inside one component;
    3. whole components are packed into ``npartitions`` bins and the rows are
       shuffled by bin; each bin is clustered in memory by
       :func:`desertgeo.clustering.cluster`, in the input's row order. No halo
       and no merge step is needed, because no cluster can cross a bin;
    4. the clusters are renumbered 0, 1, ... in the order of their first row
       in the whole table (the in-memory rule) and the labels are put back
       into the input's partitions and row order.

    The price: a component is never split. When events are dense and
    ``eps_km`` large, one component can hold most of the table, and that one
    task must hold it in memory (check ``cluster_plan(...)["largest_component"]``
    first). HDBSCAN has no such locality (its hierarchy is global), so
    ``method="hdbscan"`` is refused here: compute the coordinates
    (``events.geometry.compute()``, 16 bytes per event) and run
    :func:`desertgeo.clustering.cluster` in memory.

    Parameters
    ----------
    events : dask_geopandas.GeoDataFrame or GeoDataFrame
        Point events (EPSG:4326).
    method : {"dbscan", "st-dbscan"}
    eps_km, min_events, time_days, date_column
        As in :func:`desertgeo.clustering.cluster`.
    npartitions : int, optional
        Number of bins (default: the input's number of partitions).
    name : str
        Name of the label column (default ``"cluster"``).

    Returns
    -------
    dask_geopandas.GeoDataFrame
        The events, in their partitions and order, with an ``Int64`` column
        ``cluster`` equal to the in-memory labels (-1 noise, <NA> unusable).

    Examples
    --------
    >>> import dask
    >>> from desertgeo import datasets
    >>> from desertgeo.clustering import cluster
    >>> ev = datasets.load("seed_events")
    >>> with dask.config.set(scheduler="threads"):
    ...     out = cluster_partitions(to_dask(ev, npartitions=2), eps_km=20, min_events=2)
    ...     labels = out["cluster"].compute()
    >>> labels.equals(cluster(ev, eps_km=20, min_events=2))
    True
    """
    dask, dgpd = _deps()
    from desertgeo import clustering as _cluster

    if method not in ("dbscan", "st-dbscan"):
        raise InputError(
            f"cluster_partitions supports method='dbscan' or 'st-dbscan', not {method!r}: "
            "HDBSCAN's hierarchy is global, so it cannot be split by area. Compute the "
            "coordinates (events[[events.geometry.name]].compute()) and run "
            "desertgeo.clustering.cluster(...) in memory"
        )
    if name in ("local", _BIN, _POS):
        raise InputError(f"name={name!r} is reserved; choose another column name")
    base = to_dask(events)
    if method == "st-dbscan" and date_column not in base.columns:
        raise InputError(
            f"method='st-dbscan' needs a {date_column!r} column; found {list(base.columns)}"
        )
    func = functools.partial(
        _cluster.cluster,
        method=method,
        eps_km=eps_km,
        min_events=min_events,
        time_days=time_days,
        date_column=date_column,
    )
    func(base._meta)  # validates the options (and fails early) on the empty schema
    plan = _plan(base, eps_km, npartitions)
    lengths: np.ndarray = plan["_lengths"]
    nonempty = np.flatnonzero(lengths > 0)
    if len(nonempty) == 0:
        return _map(base, functools.partial(_attach_empty, name=name))
    if len(nonempty) < len(lengths):
        base = base.partitions[nonempty.tolist()]
        lengths = lengths[nonempty]
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    columns = [base.geometry.name] + ([date_column] if method == "st-dbscan" else [])
    tag = functools.partial(
        _tag_rows,
        cell=plan["_cell"],
        keys=plan["_keys"],
        bins=plan["_bins"],
        offsets=offsets,
        columns=columns,
    )
    tagged = base.map_partitions(tag, meta=tag(base._meta))
    by_bin = tagged.shuffle(_BIN, npartitions=plan["npartitions"])
    run = functools.partial(_cluster_bin, func=func, geometry=base.geometry.name, crs=base.crs)
    clustered = by_bin.map_partitions(run, meta=run(tagged._meta))
    (clustered,) = dask.persist(clustered)
    # global numbering: clusters ordered by their first row in the whole table
    members = clustered[clustered["local"] >= 0]
    first = members.groupby([_BIN, "local"])[_POS].min().compute().sort_values(kind="stable")
    ranks = pd.Series(np.arange(len(first), dtype=np.int64), index=first.index, name="cluster")
    relabel = functools.partial(_relabel, ranks=ranks)
    labelled = clustered.map_partitions(relabel, meta=relabel(clustered._meta))
    divisions = [*offsets[:-1].tolist(), int(offsets[-1] - 1)]
    aligned = labelled.set_index(_POS, divisions=divisions, sort=True)
    attach = functools.partial(_attach_labels, name=name)
    out = base.map_partitions(
        attach, aligned, meta=attach(base._meta, aligned._meta), align_dataframes=False
    )
    if not isinstance(out, dgpd.GeoDataFrame):  # pragma: no cover
        raise InputError("internal error: the clustered frame is not a GeoDataFrame")
    return out


def _relabel(part: pd.DataFrame, ranks: pd.Series) -> pd.DataFrame:
    local = part["local"]
    out = pd.DataFrame({_POS: part[_POS].to_numpy()}, index=part.index)
    lab = np.full(len(part), -1, dtype=np.int64)
    member = (local >= 0).fillna(False).to_numpy(dtype=bool)
    if member.any():
        key = pd.MultiIndex.from_arrays(
            [part[_BIN].to_numpy()[member], local.to_numpy(dtype=np.int64, na_value=-1)[member]]
        )
        lab[member] = ranks.reindex(key).to_numpy(dtype=np.int64)
    values = pd.array(lab, dtype="Int64")
    values[local.isna().to_numpy()] = pd.NA
    out["cluster"] = values
    return out


def _attach_empty(part: Any, name: str) -> Any:
    out = part.copy()
    out[name] = pd.array(np.zeros(len(part), dtype=np.int64), dtype="Int64")
    return out
