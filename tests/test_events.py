"""Tests of desertgeo.events: schema, validation, readers and writers."""

from __future__ import annotations

import io
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from desertgeo import datasets
from desertgeo._errors import CRSError, DataError, InputError
from desertgeo.events import (
    ACLED_UNCERTAINTY_M,
    EVENT_COLUMNS,
    UCDP_UNCERTAINTY_M,
    empty_events,
    read_acled,
    read_events,
    read_ucdp,
    summary,
    validate_events,
    write_events,
)

DATA = Path(__file__).parent / "data"
FORMATS = ["csv", "geojson", "gpkg", "parquet"]


def _row(ev: gpd.GeoDataFrame, event_id: str, nth: int = 0) -> pd.Series:
    return ev[ev["event_id"] == event_id].iloc[nth]


def _assert_same_events(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> None:
    """Every row, column, dtype and value (geometry to the bit) are the same."""
    assert list(a.columns) == list(b.columns)
    pd.testing.assert_frame_equal(
        pd.DataFrame(a.drop(columns="geometry")).reset_index(drop=True),
        pd.DataFrame(b.drop(columns="geometry")).reset_index(drop=True),
    )
    for ga, gb in zip(a.geometry, b.geometry, strict=True):
        if ga is None or ga.is_empty:
            assert gb is None or gb.is_empty
        else:
            assert ga.x == gb.x
            assert ga.y == gb.y
    assert b.crs.to_epsg() == 4326


# ---------------------------------------------------------------------------- schema


def test_empty_events_has_the_schema() -> None:
    ev = empty_events()
    assert list(ev.columns) == list(EVENT_COLUMNS)
    for name, (dtype, _meaning) in EVENT_COLUMNS.items():
        if name != "geometry":
            assert str(ev[name].dtype) == dtype, name
    assert ev.crs.to_epsg() == 4326


# ---------------------------------------------------------------------------- ACLED


def test_read_acled_maps_columns_and_flags_rows() -> None:
    ev = read_acled(DATA / "acled_sample.csv")
    assert len(ev) == 10  # every input row comes out
    assert list(ev.columns[: len(EVENT_COLUMNS)]) == list(EVENT_COLUMNS)
    for name, (dtype, _m) in EVENT_COLUMNS.items():
        if name != "geometry":
            assert str(ev[name].dtype) == dtype, name
    first = _row(ev, "SYRFX001")
    assert first["date"] == pd.Timestamp("2023-02-11") == first["date_end"]
    assert first["place"] == "Tadmor"
    assert first["admin1"] == "Homs"
    assert first["country"] == "Syria"  # as the export gives it
    assert first["country_code"] == "SY"  # derived
    assert first["civilian_targeting"] == "Civilian targeting"  # kept as given
    assert not bool(first["geocoded"])
    assert int(first["fatalities"]) == 16
    assert first["actor"] == "Islamic State (Syria)"
    assert first["actor2"] == "Civilians (Syria)"
    assert bool(first["civilian_target"])
    assert first["target"] == "civilians"
    assert int(first["geo_precision"]) == 1
    assert int(first["where_prec"]) == 1
    assert first["uncertainty_m"] == ACLED_UNCERTAINTY_M[1] == 2000.0
    assert first["notes"].endswith('"about 75".')
    assert (first.geometry.x, first.geometry.y) == (38.2805, 34.5608)
    assert first["status"] == "ok"
    assert first["reason"] == ""
    # extra ACLED columns are kept, typed
    assert first["sub_event_type"] == "Abduction/forced disappearance"
    assert int(first["iso"]) == 760

    swapped = _row(ev, "SYRFX003")
    assert swapped["status"] == "warning"
    # the row says Syria / Homs: the swapped point fits, the given one (Turkey) does not
    assert swapped["reason"].startswith("swapped_coordinates (lat 38.8697, lon 34.8877")
    assert (swapped.geometry.x, swapped.geometry.y) == (38.8697, 34.8877)

    old_format = _row(ev, "SYRFX004")
    assert old_format["date"] == pd.Timestamp("2023-02-17")
    assert int(old_format["date_precision"]) == 2
    assert old_format["uncertainty_m"] == 50_000.0
    assert int(old_format["where_prec"]) == 4

    bad_date = _row(ev, "SYRFX005")
    assert bad_date["status"] == "invalid"
    assert pd.isna(bad_date["date"])
    assert bad_date["reason"] == "unparseable_date (date='2023-02-30')"

    no_xy = _row(ev, "SYRFX006")
    assert no_xy["status"] == "invalid"
    assert no_xy.geometry is None
    assert no_xy["reason"] == "missing_coordinates"

    negative = _row(ev, "SYRFX007")
    assert negative["status"] == "warning"
    assert pd.isna(negative["fatalities"])
    assert negative["reason"] == "negative_fatalities (set to NA)"
    duplicate = _row(ev, "SYRFX007", 1)
    assert duplicate["reason"] == "duplicate_event_id (event_id='SYRFX007')"

    iraq = _row(ev, "IRQFX008")
    assert iraq["country"] == "Iraq"
    assert iraq["country_code"] == "IQ"
    assert iraq["status"] == "ok"
    assert not bool(iraq["civilian_target"])
    assert pd.isna(iraq["target"])

    out_of_range = _row(ev, "SYRFX009")
    assert out_of_range["status"] == "invalid"
    assert out_of_range.geometry is None
    assert out_of_range["reason"] == "coordinates_out_of_range (lat 134.5, lon 38.28)"


def test_summary_counts_status_and_reasons() -> None:
    s = summary(read_acled(DATA / "acled_sample.csv"))
    totals = s[s["reason"] == ""].set_index("status")["count"].to_dict()
    assert totals == {"ok": 4, "warning": 3, "invalid": 3}
    by_reason = s[s["reason"] != ""].set_index("reason")["count"].to_dict()
    assert by_reason == {
        "duplicate_event_id": 1,
        "negative_fatalities": 1,
        "swapped_coordinates": 1,
        "coordinates_out_of_range": 1,
        "missing_coordinates": 1,
        "unparseable_date": 1,
    }


def test_strict_names_row_column_and_value() -> None:
    with pytest.raises(DataError) as info:
        read_acled(DATA / "acled_sample.csv", strict=True)
    message = str(info.value)
    assert message.startswith("row 2 (event_id 'SYRFX003'), column 'lat', value 38.8697:")
    assert "swapped" in message
    assert "strict=False" in message
    text = (DATA / "acled_sample.csv").read_text(encoding="utf-8").splitlines()
    bad_date_only = "\n".join([text[0], text[5]]) + "\n"
    with pytest.raises(
        DataError,
        match=r"row 0 \(event_id 'SYRFX005'\), column 'date', "
        r"value '2023-02-30': date cannot be parsed",
    ):
        read_acled(io.StringIO(bad_date_only), strict=True)


def test_column_mapping_override() -> None:
    csv = io.StringIO("EVENT,WHEN,Y,X,DEAD\nk1,2023-02-11,34.5608,38.2805,3\n")
    ev = read_acled(
        csv,
        columns={"event_id": "EVENT", "date": "WHEN", "lat": "Y", "lon": "X", "fatalities": "DEAD"},
    )
    assert ev.loc[0, "event_id"] == "k1"
    assert int(ev.loc[0, "fatalities"]) == 3
    assert ev.loc[0, "geometry"].y == 34.5608
    with pytest.raises(InputError, match="unknown schema column"):
        read_acled(DATA / "acled_sample.csv", columns={"latitud": "latitude"})


# ----------------------------------------------------------------------------- UCDP


def test_read_ucdp_maps_precision_and_sides() -> None:
    ev = read_ucdp(DATA / "ucdp_sample.csv")
    assert len(ev) == 6
    first = _row(ev, "900001")
    assert int(first["fatalities"]) == 16  # best
    assert first["actor"] == "IS"
    assert first["actor2"] == "Civilians"
    assert first["event_type"] == "one-sided violence"
    assert bool(first["civilian_target"])
    assert first["place"] == "Tadmur town"
    assert first["admin1"] == "Hims governorate"
    assert first["source"] == "fixture"
    assert first["notes"].startswith("Fixture row")
    second = _row(ev, "900002")
    assert (second["date"], second["date_end"]) == (
        pd.Timestamp("2023-02-16"),
        pd.Timestamp("2023-02-18"),
    )
    assert int(second["date_precision"]) == 2  # date_prec 2 (2-6 days) -> week
    assert int(second["geo_precision"]) == 2
    assert second["uncertainty_m"] == UCDP_UNCERTAINTY_M[2]
    province = _row(ev, "900003")
    assert int(province["where_prec"]) == 4
    assert int(province["geo_precision"]) == 3
    assert province["uncertainty_m"] == 100_000.0
    assert int(province["date_precision"]) == 3
    assert province["event_type"] == "non-state conflict"
    swapped = _row(ev, "900004")
    assert swapped["status"] == "warning"
    assert swapped.geometry.y == 34.80
    assert int(swapped["where_prec"]) == 6
    assert swapped["uncertainty_m"] == 350_000.0
    bad = _row(ev, "900005")
    assert bad["status"] == "invalid"
    assert bad["reason"] == "unparseable_date (date='sometime in March')"
    airspace = _row(ev, "900006")
    assert airspace["status"] == "invalid"
    assert airspace["reason"] == "missing_coordinates; negative_fatalities (set to NA)"
    assert int(airspace["where_prec"]) == 7
    assert airspace["uncertainty_m"] == 500_000.0
    assert int(ev["low"].iloc[0]) == 16
    assert int(ev["high"].iloc[0]) == 20


def test_read_events_sniffs_acled_and_ucdp() -> None:
    acled = read_events(DATA / "acled_sample.csv")
    assert acled["event_id"].iloc[0] == "SYRFX001"
    ucdp = read_events(DATA / "ucdp_sample.csv")
    assert int(ucdp["fatalities"].iloc[0]) == 16


# -------------------------------------------------------------------- generic tables


def test_generic_csv_aliases() -> None:
    ev = read_events(DATA / "events_generic.csv")
    assert ev["event_id"].tolist() == ["g1", "g2", "g3"]
    assert ev["fatalities"].tolist() == [16, 68, 0]  # "deaths"
    assert ev["date"].iloc[2] == pd.Timestamp("2023-02-18")  # 2023/02/18
    assert (ev["status"] == "ok").all()
    assert ev["notes"].iloc[0] == "generic table with lat/lon"
    assert pd.isna(ev["notes"].iloc[1])


def test_generic_csv_with_place_names_is_geocoded() -> None:
    ev = read_events(DATA / "events_places_only.csv")
    assert len(ev) == 4
    palmyra = ev.iloc[0].geometry
    assert abs(palmyra.x - 38.28) < 0.05
    assert abs(palmyra.y - 34.56) < 0.05
    assert ev["status"].iloc[0] == "ok"
    assert ev["country_code"].iloc[0] == "SY"  # from the geocoder (the file has no country)
    assert bool(ev["geocoded"].iloc[0])
    assert int(ev["geo_precision"].iloc[0]) == 1
    assert ev["uncertainty_m"].iloc[0] > 0
    sukhna = ev.iloc[1].geometry
    assert abs(sukhna.x - 38.87) < 0.05
    assert abs(sukhna.y - 34.88) < 0.05
    assert ev["status"].iloc[2] == "invalid"
    assert ev["reason"].iloc[2].startswith("not_geocoded ('Nowhereville Qqq'")
    assert ev["reason"].iloc[3] == "no_place (no coordinates and no place name)"
    skipped = read_events(DATA / "events_places_only.csv", geocode=False)
    assert (skipped["status"] == "invalid").all()
    assert skipped.geometry.isna().all()


def test_validate_events_does_not_mutate_and_keeps_index() -> None:
    raw = gpd.GeoDataFrame(
        {"event_id": ["a", "b"], "date": ["2023-02-11", "2023-02-12"], "fatalities": [1, -1]},
        geometry=[Point(38.28, 34.56), LineString([(38.0, 34.0), (39.0, 35.0)])],
        index=[10, 20],
        crs=4326,
    )
    before = raw.copy()
    ev = validate_events(raw)
    pd.testing.assert_frame_equal(pd.DataFrame(raw), pd.DataFrame(before))
    assert list(ev.index) == [10, 20]
    assert ev.loc[20, "status"] == "warning"
    assert ev.loc[20, "reason"].startswith("negative_fatalities (set to NA); non_point_geometry")
    assert ev.loc[20, "geometry"].geom_type == "Point"


def test_validate_events_reprojects_and_requires_crs() -> None:
    utm = gpd.GeoDataFrame(
        {"event_id": ["a"], "date": ["2023-02-11"]}, geometry=[Point(38.28, 34.56)], crs=4326
    ).to_crs(32637)
    ev = validate_events(utm)
    assert ev.crs.to_epsg() == 4326
    assert ev.geometry.iloc[0].x == pytest.approx(38.28, abs=1e-9)
    with pytest.raises(CRSError, match="no CRS"):
        validate_events(gpd.GeoDataFrame({"event_id": ["a"]}, geometry=[Point(38, 34)]))


def test_null_island_outside_area_and_no_swap_without_area() -> None:
    raw = pd.DataFrame(
        {
            "event_id": ["n", "far", "s"],
            "date": ["2023-01-01"] * 3,
            "lon": [0.0, 2.35, 34.5],
            "lat": [0.0, 48.85, 38.9],
        }
    )
    ev = validate_events(raw)
    assert ev["status"].tolist() == ["invalid", "warning", "warning"]
    assert ev["reason"].iloc[0] == "null_island (lat 0, lon 0)"
    assert ev["reason"].iloc[1] == "outside_study_area (lat 48.85, lon 2.35)"
    plain = validate_events(raw, study_area=None)
    assert plain["status"].tolist() == ["invalid", "ok", "ok"]
    assert plain.geometry.iloc[2].y == 38.9


def test_revalidation_keeps_reasons() -> None:
    ev = read_acled(DATA / "acled_sample.csv")
    again = validate_events(ev)
    assert again["status"].tolist() == ev["status"].tolist()
    assert again["reason"].tolist() == ev["reason"].tolist()


# ---------------------------------------------------------------------- round trips


def _sources() -> dict[str, gpd.GeoDataFrame]:
    return {
        "acled": read_events(DATA / "acled_sample.csv"),
        "ucdp": read_events(DATA / "ucdp_sample.csv"),
        "seed": read_events(datasets.path("seed_events")),
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_keeps_every_row_and_value(fmt: str, tmp_path: Path) -> None:
    for name, events in _sources().items():
        path = write_events(events, tmp_path / f"{name}.{fmt}")
        back = read_events(path)
        assert len(back) == len(events), (name, fmt)
        _assert_same_events(events, back)


def test_round_trip_of_the_demo_sample(tmp_path: Path) -> None:
    demo = read_events(datasets.path("demo_events"))
    for fmt in ("csv", "parquet"):
        _assert_same_events(demo, read_events(write_events(demo, tmp_path / f"d.{fmt}")))


def test_csv_writes_lon_lat_columns(tmp_path: Path) -> None:
    ev = read_events(DATA / "acled_sample.csv")
    path = write_events(ev, tmp_path / "out.csv")
    table = pd.read_csv(path)
    assert {"lon", "lat"} <= set(table.columns)
    assert "geometry" not in table.columns
    assert table.loc[0, "lon"] == 38.2805
    assert table.loc[0, "date"] == "2023-02-11"


def test_write_events_requires_crs_and_known_format(tmp_path: Path) -> None:
    ev = read_events(DATA / "events_generic.csv")
    with pytest.raises(CRSError):
        write_events(ev.set_crs(None, allow_override=True), tmp_path / "x.geojson")
    with pytest.raises(InputError, match="cannot tell the format"):
        write_events(ev, tmp_path / "x.xlsx")


# ------------------------------------------------------------------- malformed files


def test_malformed_acled() -> None:
    with pytest.raises(DataError, match=r"lacks column\(s\) \['latitude', 'longitude'\]"):
        read_events(DATA / "acled_malformed.csv")


def test_malformed_ucdp() -> None:
    with pytest.raises(DataError, match=r"UCDP GED file .* lacks column\(s\) \['date_start'\]"):
        read_events(DATA / "ucdp_malformed.csv", format="ucdp")


def test_malformed_generic_csv(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no coordinate columns"):
        read_events(DATA / "events_malformed.csv")
    ragged = tmp_path / "ragged.csv"
    ragged.write_text(
        "id,date,lat,lon\na,2023-01-01,34.5,38.2\nb,2023-01-02,34.5,38.2,9,9\n", encoding="utf-8"
    )
    with pytest.raises(DataError, match=r"cannot read events file CSV .*Expected 4 columns, got 6"):
        read_events(ragged)


def test_malformed_geojson() -> None:
    with pytest.raises(DataError, match=r"cannot read events file .* as geojson"):
        read_events(DATA / "events_malformed.geojson")


def test_malformed_gpkg(tmp_path: Path) -> None:
    good = write_events(read_events(DATA / "events_generic.csv"), tmp_path / "good.gpkg")
    broken = tmp_path / "broken.gpkg"
    broken.write_bytes(good.read_bytes()[:2000])
    with pytest.raises(DataError, match="as gpkg"):
        read_events(broken)
    no_crs = tmp_path / "nocrs.gpkg"
    with pytest.warns(UserWarning, match="crs"):
        gpd.GeoDataFrame(
            {"event_id": ["a"], "date": ["2023-01-01"]}, geometry=[Point(38.2, 34.5)]
        ).to_file(no_crs, layer="events")
    with pytest.raises(CRSError, match="no CRS"):
        read_events(no_crs)


def test_malformed_parquet(tmp_path: Path) -> None:
    good = write_events(read_events(DATA / "events_generic.csv"), tmp_path / "good.parquet")
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(good.read_bytes()[:500])
    with pytest.raises(DataError, match=r"as \(Geo\)Parquet: .*magic bytes"):
        read_events(broken)


def test_missing_file_and_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_events(tmp_path / "nope.geojson")
    with pytest.raises(InputError, match="unknown events format"):
        read_events(DATA / "events_generic.csv", format="xls")


def test_demo_events_are_synthetic_and_valid() -> None:
    demo = datasets.load("demo_events")
    assert len(demo) >= 2000
    assert (demo["source"] == "SYNTHETIC demo data (desertgeo)").all()
    assert demo["date"].min() >= pd.Timestamp("2023-01-01")
    assert demo["date"].max() <= pd.Timestamp("2024-06-30")
    assert (demo["status"] == "ok").all()
    assert demo.crs.to_epsg() == 4326
    lon, lat = demo.geometry.x.to_numpy(), demo.geometry.y.to_numpy()
    assert np.all((lon > 35.5) & (lon < 42.5) & (lat > 32.3) & (lat < 37.4))  # Syria bbox
