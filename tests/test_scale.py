"""desertgeo.scale: dask-geopandas results equal the in-memory ones (threads, 2 workers)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

dask = pytest.importorskip("dask")
pytest.importorskip("dask.dataframe")
dask_geopandas = pytest.importorskip("dask_geopandas")

from desertgeo import CRSError, InputError, MissingDependencyError, scale  # noqa: E402
from desertgeo.clustering import cluster  # noqa: E402
from desertgeo.distance import distance_stats, distance_to, distance_to_borders  # noqa: E402
from desertgeo.events import validate_events  # noqa: E402
from desertgeo.geocoder import geocode  # noqa: E402
from desertgeo.zones import assign_zones  # noqa: E402


@pytest.fixture(autouse=True)
def _threads() -> Iterator[None]:
    with dask.config.set(scheduler="threads", num_workers=2):
        yield


def _events(n: int, seed: int = 8) -> gpd.GeoDataFrame:
    """Events in the Badia: hot spots plus background, a few without location/date."""
    rng = np.random.default_rng(seed)
    centres = np.column_stack([rng.uniform(36.5, 41.0, 25), rng.uniform(33.0, 36.8, 25)])
    k = rng.integers(0, len(centres), n)
    hot = rng.random(n) < 0.8
    lon = np.where(hot, centres[k, 0] + rng.normal(0, 0.04, n), rng.uniform(35.9, 42.1, n))
    lat = np.where(hot, centres[k, 1] + rng.normal(0, 0.04, n), rng.uniform(32.4, 37.2, n))
    raw = pd.DataFrame(
        {
            "event_id": [f"t{i}" for i in range(n)],
            "date": (
                pd.Timestamp("2022-06-01") + pd.to_timedelta(rng.integers(0, 1200, n), unit="D")
            ).astype("datetime64[ns]"),
            "fatalities": rng.integers(0, 9, n),
            "place": rng.choice(["Palmyra", "Sukhna", "al-Tanf", "Tadmur", "nowhere at all"], n),
            "lon": lon,
            "lat": lat,
        }
    )
    raw.loc[[3, 40], ["lon", "lat"]] = np.nan  # no location: invalid, kept
    raw.loc[[5, 41], "place"] = None  # no place name
    events = validate_events(raw)
    # a shuffled, non-range index: results must follow it, not positions
    events.index = pd.Index(rng.permutation(n) * 3 + 7, name="row")
    return events


@pytest.fixture(scope="module")
def events() -> gpd.GeoDataFrame:
    return _events(3000)


# --------------------------------------------------------------------------- basics
def test_to_dask_keeps_order_and_rejects_bad_input(events: gpd.GeoDataFrame) -> None:
    ddf = scale.to_dask(events, npartitions=4)
    assert ddf.npartitions == 4
    back = ddf.compute()
    pd.testing.assert_frame_equal(back, events)  # index not sorted, dtypes unchanged
    assert scale.to_dask(ddf) is ddf
    with pytest.raises(CRSError, match="no CRS"):
        scale.to_dask(gpd.GeoDataFrame(geometry=[shapely.Point(38, 34)]))
    with pytest.raises(InputError, match="got DataFrame"):
        scale.to_dask(pd.DataFrame({"a": [1]}))


def test_missing_dask_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dask_geopandas", None)  # import now fails
    with pytest.raises(MissingDependencyError, match=r"pip install 'desertgeo\[dask\]'"):
        scale.to_dask(gpd.GeoDataFrame(geometry=[shapely.Point(38, 34)], crs=4326))


# --------------------------------------------------------------------------- distances
@pytest.mark.parametrize("target", ["border", "iraq", "tri-border"])
def test_distance_to_equals_in_memory(events: gpd.GeoDataFrame, target: str) -> None:
    ddf = scale.to_dask(events, npartitions=3)
    expected = distance_to(events, target)
    got = scale.distance_to(ddf, target, append=False).compute()
    pd.testing.assert_frame_equal(got, expected)
    appended = scale.distance_to(ddf, target).compute()
    pd.testing.assert_frame_equal(appended, events.join(expected))
    assert expected.iloc[:, 0].notna().sum() == len(events) - 2


def test_distance_to_frame_target_and_borders(events: gpd.GeoDataFrame) -> None:
    line = gpd.GeoDataFrame(
        {"name": ["front"]}, geometry=[shapely.LineString([(37.0, 33.0), (40.5, 36.0)])], crs=4326
    )
    ddf = scale.to_dask(events, npartitions=2)
    pd.testing.assert_frame_equal(
        scale.distance_to(ddf, line, append=False, label="front").compute(),
        distance_to(events, line, label="front"),
    )
    expected = distance_to_borders(events)
    got = scale.distance_to_borders(ddf, append=False).compute()
    pd.testing.assert_frame_equal(got, expected)
    assert set(got["nearest_border"].dropna()) >= {"Iraq", "Jordan"}


def test_distance_stats_exact_quantiles(events: gpd.GeoDataFrame) -> None:
    ddf = scale.distance_to(scale.to_dask(events, npartitions=3), "border")
    memory = events.join(distance_to(events, "border"))
    for by in (None, "status"):
        pd.testing.assert_frame_equal(
            scale.distance_stats(ddf, "dist_border_km", by=by, quantiles=(0.1, 0.5, 0.9)),
            distance_stats(memory, "dist_border_km", by=by, quantiles=(0.1, 0.5, 0.9)),
        )
    got = scale.distance_stats(ddf)  # the only dist_*_km column is found
    assert got.loc["all", "median_km"] == pytest.approx(memory["dist_border_km"].median())
    with pytest.raises(InputError, match="nope"):
        scale.distance_stats(ddf, "dist_border_km", by="nope")


# --------------------------------------------------------------------------- zones
def test_assign_zones_equals_in_memory(events: gpd.GeoDataFrame) -> None:
    ddf = scale.to_dask(events, npartitions=3)
    expected = assign_zones(events)
    got = scale.assign_zones(ddf).compute()
    pd.testing.assert_frame_equal(got, expected)
    assert got["controller"].notna().sum() > len(events) // 2
    assert got["controller"].nunique() >= 2


# --------------------------------------------------------------------------- geocoding
def test_geocode_column_equals_in_memory(events: gpd.GeoDataFrame) -> None:
    ddf = scale.to_dask(events, npartitions=3)
    expected = geocode(events["place"])
    got = scale.geocode_column(ddf, "place").compute()
    pd.testing.assert_frame_equal(got, expected)
    palmyra = got[events["place"] == "Tadmur"]
    assert (palmyra["status"] == "ok").all()
    assert (got.loc[events["place"] == "nowhere at all", "status"] != "ok").all()
    # a plain (non-geo) dask table of names, as read from a CSV, works the same
    names = dask.dataframe.from_pandas(pd.DataFrame(events[["place"]]), npartitions=2, sort=False)
    pd.testing.assert_frame_equal(scale.geocode_column(names, "place").compute(), expected)


# --------------------------------------------------------------------------- clustering
def _partition_of(ddf: object, index: pd.Index) -> pd.Series:
    """Number of the input partition of each row."""
    parts = dask.compute(*ddf.to_delayed())  # type: ignore[attr-defined]
    return pd.concat([pd.Series(i, index=p.index) for i, p in enumerate(parts)]).reindex(index)


@pytest.mark.parametrize(
    "options",
    [
        {"eps_km": 4.0, "min_events": 5},
        {"eps_km": 15.0, "min_events": 40},
        {"method": "st-dbscan", "eps_km": 6.0, "min_events": 3, "time_days": 30},
    ],
)
def test_cluster_partitions_equals_in_memory(
    events: gpd.GeoDataFrame, options: dict[str, object]
) -> None:
    ddf = scale.to_dask(events, npartitions=4)
    expected = cluster(events, **options)  # type: ignore[arg-type]
    out = scale.cluster_partitions(ddf, **options)  # type: ignore[arg-type]
    got = out.compute()
    pd.testing.assert_series_equal(got["cluster"], expected)  # labels and numbering
    pd.testing.assert_frame_equal(got.drop(columns="cluster"), events)  # rows, order, values
    assert expected.max() >= 3  # real clusters ...
    where = _partition_of(ddf, events.index)
    spans = where[expected >= 0].groupby(expected[expected >= 0]).nunique()
    assert (spans > 1).any()  # ... some of which cross the input partitions
    assert expected.isna().sum() >= 2  # rows without a location are kept, <NA>


def test_cluster_plan_and_refusals(events: gpd.GeoDataFrame) -> None:
    ddf = scale.to_dask(events, npartitions=3)
    plan = scale.cluster_plan(ddf, eps_km=4.0, npartitions=5)
    assert plan["rows"] == len(events)
    assert plan["rows_with_geometry"] == len(events) - 2
    assert sum(plan["bin_rows"]) == len(events)
    assert len(plan["bin_rows"]) == 5
    assert plan["components"] >= 25
    assert 0 < plan["largest_component"] < len(events)
    # a huge eps joins everything into one component
    assert scale.cluster_plan(ddf, eps_km=500.0)["components"] == 1
    with pytest.raises(InputError, match="HDBSCAN"):
        scale.cluster_partitions(ddf, method="hdbscan")
    with pytest.raises(InputError, match="eps_km"):
        scale.cluster_partitions(ddf, eps_km=-1)


def test_cluster_partitions_more_bins_than_partitions() -> None:
    small = _events(800, seed=3)
    # a few areas instead of points: clustered at their representative point, as in memory
    pts = small.geometry.iloc[10:16]
    small.loc[pts.index, "geometry"] = shapely.box(pts.x - 0.01, pts.y - 0.01, pts.x, pts.y)
    ddf = scale.to_dask(small, npartitions=2)
    got = scale.cluster_partitions(ddf, eps_km=3.0, min_events=4, npartitions=6).compute()
    pd.testing.assert_series_equal(got["cluster"], cluster(small, eps_km=3.0, min_events=4))


# --------------------------------------------------------------------------- parquet
def test_parquet_round_trip_keeps_every_row_and_value(
    events: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    ddf = scale.to_dask(events, npartitions=3)
    where = scale.write_parquet(ddf, tmp_path / "events")
    assert sorted(p.name for p in where.iterdir()) == [
        "part.00000.parquet",
        "part.00001.parquet",
        "part.00002.parquet",
    ]
    back = scale.read_events_parquet(where, validate=False)
    assert back.npartitions == 3  # one partition per file, nothing read yet
    pd.testing.assert_frame_equal(back.compute(), events)  # index (and its name) too
    validated = scale.read_events_parquet(where).compute()
    pd.testing.assert_frame_equal(validated, events)
    # each file is a plain GeoParquet file
    one = gpd.read_parquet(where / "part.00001.parquet")
    assert one.crs.to_epsg() == 4326
    assert 0 < len(one) < len(events)
    with pytest.raises(InputError, match="overwrite=True"):
        scale.write_parquet(ddf, where)
    scale.write_parquet(ddf.partitions[:1], where, overwrite=True)
    assert len(list(where.iterdir())) == 1


def test_results_written_partitioned_and_read_lazily(
    events: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    ddf = scale.distance_to(scale.to_dask(events, npartitions=2), "border")
    where = scale.write_parquet(ddf, tmp_path / "out")
    back = scale.read_events_parquet(where, columns=["event_id", "dist_border_km"])
    assert back.npartitions == 2
    got = back.compute()
    expected = distance_to(events, "border")["dist_border_km"]
    pd.testing.assert_series_equal(got["dist_border_km"], expected)
    with pytest.raises(FileNotFoundError):
        scale.read_events_parquet(tmp_path / "missing")


def test_reads_a_dataset_written_by_plain_geopandas(tmp_path: Path) -> None:
    """Files from another tool (here GeoDataFrame.to_parquet) become validated events."""
    rng = np.random.default_rng(4)
    raw = gpd.GeoDataFrame(
        {
            "event_id": [f"x{i}" for i in range(60)],
            "date": ["2024-03-0" + str(1 + i % 9) for i in range(60)],
            "fatalities": rng.integers(-1, 5, 60),  # -1: flagged by validation
        },
        geometry=gpd.points_from_xy(rng.uniform(37, 40, 60), rng.uniform(33, 36, 60)),
        crs=4326,
    )
    (tmp_path / "ds").mkdir()
    raw.iloc[:25].to_parquet(tmp_path / "ds" / "a.parquet")
    raw.iloc[25:].to_parquet(tmp_path / "ds" / "b.parquet")
    ddf = scale.read_events_parquet(tmp_path / "ds")
    assert ddf.npartitions == 2
    pd.testing.assert_frame_equal(ddf.compute(), validate_events(raw))
    assert (ddf["status"].compute() == "warning").sum() == (raw["fatalities"] < 0).sum()


# --------------------------------------------------------------------------- spatial partitions
def test_spatial_partition_keeps_rows_and_makes_compact_partitions(
    events: gpd.GeoDataFrame,
) -> None:
    ddf = scale.to_dask(events, npartitions=4)
    sp = scale.spatial_partition(ddf, npartitions=4)
    back = sp.compute()
    pd.testing.assert_frame_equal(back.loc[events.index], events)
    assert sp.spatial_partitions is not None
    assert len(sp.spatial_partitions) == 4
    # Hilbert partitions cover much less area than the random input partitions
    ddf.calculate_spatial_partitions()  # hulls of the input's (row-order) partitions
    before = float(ddf.spatial_partitions.to_crs(32637).area.sum())
    after = float(sp.spatial_partitions.to_crs(32637).area.sum())
    assert after < 0.5 * before


# --------------------------------------------------------------------------- a real scheduler
@pytest.mark.slow
def test_same_results_through_a_distributed_scheduler_address(events: gpd.GeoDataFrame) -> None:
    """The documented cluster path: a Client connected to a scheduler by its address."""
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as local,
        distributed.Client(local.scheduler_address) as client,
    ):
        assert client.scheduler_info()["address"] == local.scheduler_address
        ddf = scale.to_dask(events, npartitions=3)
        got = scale.distance_to_borders(scale.assign_zones(ddf)).compute()
        expected = assign_zones(events)
        pd.testing.assert_frame_equal(got, expected.join(distance_to_borders(expected)))
        labels = scale.cluster_partitions(ddf, eps_km=4.0, min_events=5)["cluster"].compute()
        pd.testing.assert_series_equal(labels, cluster(events, eps_km=4.0, min_events=5))
