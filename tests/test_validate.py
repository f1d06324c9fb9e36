"""Tests of desertgeo._validate: the shared frame checks."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from desertgeo._errors import CRSError, DataError, InputError
from desertgeo._validate import (
    check_coordinates,
    ensure_4326,
    parse_dates,
    require_columns,
    require_geodataframe,
)

STUDY = (34.0, 29.0, 49.0, 38.0)


def test_parse_dates_formats_and_failures() -> None:
    values = pd.Series(
        [
            "2023-02-11",
            "17 February 2023",
            "2023-02-17 00:00:00.000",
            "2023-02-30",
            "",
            None,
            "2023-02-11T05:00:00Z",
            "soon",
        ],
        index=list("abcdefgh"),
    )
    dates, bad = parse_dates(values)
    assert str(dates.dtype) == "datetime64[ns]"
    assert list(dates.index) == list("abcdefgh")
    assert dates["a"] == pd.Timestamp("2023-02-11")
    assert dates["b"] == pd.Timestamp("2023-02-17")
    assert dates["c"] == pd.Timestamp("2023-02-17")
    assert pd.isna(dates["d"])  # 30 February does not exist
    assert dates["g"] == pd.Timestamp("2023-02-11 05:00")
    assert bad.tolist() == [False, False, False, True, False, False, False, True]


def test_parse_dates_passes_datetimes_through() -> None:
    values = pd.Series(pd.to_datetime(["2023-01-01", None]))
    dates, bad = parse_dates(values)
    assert dates.iloc[0] == pd.Timestamp("2023-01-01")
    assert not bad.any()


def test_parse_dates_empty() -> None:
    dates, bad = parse_dates(pd.Series([], dtype=object))
    assert len(dates) == 0
    assert len(bad) == 0


def test_check_coordinates_classes() -> None:
    lon = [38.28, 34.56, 0.0, 38.0, np.nan, 10.0, 200.0]
    lat = [34.56, 38.28, 0.0, 95.0, 34.0, 50.0, 35.0]
    masks = check_coordinates(lon, lat, STUDY)
    assert masks["missing"].tolist() == [False, False, False, False, True, False, False]
    assert masks["null_island"].tolist() == [False, False, True, False, False, False, False]
    assert masks["swapped"].tolist() == [False, True, False, False, False, False, False]
    assert masks["out_of_range"].tolist() == [False, False, False, True, False, False, True]
    # valid and far away (Europe): outside, not swapped
    assert masks["outside"].tolist() == [False, False, False, False, False, True, False]


def test_check_coordinates_ambiguous_pair_is_not_swapped() -> None:
    # both (36, 35) and (35, 36) lie in the study area: nothing says they are swapped
    masks = check_coordinates([36.0], [35.0], STUDY)
    assert not masks["swapped"][0]
    masks = check_coordinates([34.5], [38.9], None)
    assert not masks["swapped"][0]
    assert not masks["outside"][0]


def test_require_columns_message() -> None:
    with pytest.raises(DataError, match=r"lacks column\(s\) \['b'\]; found \['a'\]"):
        require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], what="frame", hint="fix it")


def test_require_geodataframe_and_crs() -> None:
    with pytest.raises(InputError):
        require_geodataframe(pd.DataFrame({"a": [1]}))
    with pytest.raises(CRSError, match="no CRS"):
        require_geodataframe(gpd.GeoDataFrame(geometry=[Point(38, 34)]))
    utm = gpd.GeoDataFrame(geometry=[Point(38.28, 34.56)], crs=4326).to_crs(32637)
    back = ensure_4326(utm)
    assert back.crs.to_epsg() == 4326
    assert back.geometry.iloc[0].x == pytest.approx(38.28, abs=1e-9)
