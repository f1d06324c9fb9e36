"""Tests of the readers: every export layout, encodings, separators, dates, swaps, layers."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from desertgeo._errors import DataError, InputError
from desertgeo.events import (
    DateOrderWarning,
    read_acled,
    read_events,
    read_ucdp,
    report_line,
    status_counts,
    summary,
    validate_events,
    write_events,
)

LAYOUTS = Path(__file__).parent / "data" / "layouts"
ACLED_FILES = [
    "acled_2015_upper.csv",
    "acled_2016_index.csv",
    "acled_2020_excel.csv",
    "acled_2022.csv",
    "acled_2024.csv",
]


@pytest.mark.parametrize("name", ACLED_FILES)
def test_every_acled_layout_reads(name: str, tmp_path: Path) -> None:
    path = LAYOUTS / name
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    ev = read_events(path)
    assert len(ev) == len(raw) == 2
    assert (ev["status"] == "ok").all(), ev["reason"].tolist()
    lower = {c.lower(): c for c in raw.columns}
    # mapped values as the file gives them
    assert ev["event_id"].tolist() == raw[lower["event_id_cnty"]].tolist()
    assert ev["place"].tolist() == raw[lower["location"]].tolist()
    assert ev["country"].tolist() == raw[lower["country"]].tolist()
    assert (ev["country_code"] == "SY").all()
    np.testing.assert_array_equal(ev.geometry.y.to_numpy(), raw[lower["latitude"]].astype(float))
    np.testing.assert_array_equal(ev.geometry.x.to_numpy(), raw[lower["longitude"]].astype(float))
    assert ev["fatalities"].tolist() == raw[lower["fatalities"]].astype(int).tolist()
    # every other source column kept under its own name
    for col in raw.columns:
        if col.lower() not in {
            "event_id_cnty",
            "event_date",
            "location",
            "country",
            "admin1",
            "latitude",
            "longitude",
            "fatalities",
            "actor1",
            "actor2",
            "event_type",
            "source",
            "notes",
            "geo_precision",
            "time_precision",
        }:
            name_out = col if col else "Unnamed: 0"
            assert name_out in ev.columns, col
    # round trip through every format keeps rows and values
    for fmt in ("csv", "geojson", "gpkg", "parquet"):
        back = read_events(write_events(ev, tmp_path / f"{Path(name).stem}.{fmt}"))
        assert back["event_id"].tolist() == ev["event_id"].tolist()
        assert back["date"].tolist() == ev["date"].tolist()
        assert back["country"].tolist() == ev["country"].tolist()
        assert (back["status"] == "ok").all()


def test_acled_dates_in_each_style() -> None:
    assert read_events(LAYOUTS / "acled_2015_upper.csv")["date"].tolist() == [
        pd.Timestamp("2015-01-01"),
        pd.Timestamp("2015-02-17"),
    ]
    assert read_events(LAYOUTS / "acled_2020_excel.csv")["date"].tolist() == [
        pd.Timestamp("2020-05-09"),
        pd.Timestamp("2020-12-23"),
    ]


def test_acled_source_columns_are_kept_and_derived_columns_added() -> None:
    ev = read_events(LAYOUTS / "acled_2024.csv")
    assert ev["civilian_targeting"].tolist() == ["Civilian targeting", "Civilian targeting"]
    assert ev["civilian_target"].tolist() == [True, True]
    assert ev["inter1"].tolist() == ["Rebel group", "Unidentified armed group"]
    assert ev["tags"].iloc[0] == "crowd size=no report"
    assert pd.isna(ev["tags"].iloc[1])
    assert ev["timestamp"].tolist() == [1707700000, 1709400000]
    assert ev["iso"].tolist() == [760, 760]
    old = read_events(LAYOUTS / "acled_2015_upper.csv")
    assert old["ALLY_ACTOR_2"].iloc[0] == "NDF: National Defence Forces"
    assert old["GWNO"].tolist() == [652, 652]
    assert old["civilian_target"].tolist() == [False, True]  # INTER2 7 = civilians
    index = read_events(LAYOUTS / "acled_2016_index.csv")
    assert index["Unnamed: 0"].tolist() == [0, 1]
    assert "line\nbreak" in index["notes"].iloc[0]
    assert index["ally_actor_1"].iloc[1] == "Wagner Group"


def test_ucdp_csv_and_geojson_give_the_same_events() -> None:
    csv = read_events(LAYOUTS / "ucdp_ged.csv")
    gj = read_events(LAYOUTS / "ucdp_ged.geojson")
    assert read_ucdp(LAYOUTS / "ucdp_ged.geojson", format="geojson")["event_id"].tolist() == [
        "910001",
        "910002",
    ]
    cols = [c for c in csv.columns[:23] if c != "geometry"]
    pd.testing.assert_frame_equal(pd.DataFrame(csv[cols]), pd.DataFrame(gj[cols]))
    assert csv.geometry.equals(gj.geometry)
    assert csv["event_type"].tolist() == ["one-sided violence", "state-based conflict"]
    assert csv["type_of_violence"].tolist() == [3, 1]  # the code stays
    assert csv["date_prec"].tolist() == [1, 4]
    assert csv["date_precision"].tolist() == [1, 3]
    assert csv["date_end"].iloc[1] == pd.Timestamp("2023-03-28")
    assert csv["country_code"].tolist() == ["SY", "SY"]


def test_rows_from_several_countries_keep_their_coordinates() -> None:
    path = LAYOUTS / "acled_world_rows.csv"
    raw = pd.read_csv(path)
    ev = read_acled(path)
    np.testing.assert_array_equal(ev.geometry.x.to_numpy(), raw["longitude"].to_numpy())
    np.testing.assert_array_equal(ev.geometry.y.to_numpy(), raw["latitude"].to_numpy())
    assert not ev["reason"].str.contains("swapped_coordinates").any()
    by_id = ev.set_index("event_id")
    for eid in ("TUR1", "TUR2", "UKR1", "UKR2", "CYP1", "CYP2"):
        assert by_id.loc[eid, "reason"].startswith("outside_study_area"), eid
        assert by_id.loc[eid, "status"] == "warning"
    for eid in ("IRQ1", "IRQ2", "LBN1", "LBN2", "SYR1", "SYR2"):
        assert by_id.loc[eid, "status"] == "ok", eid


def test_swap_needs_evidence() -> None:
    raw = pd.DataFrame(
        {
            "event_id": ["sy", "none", "sy-kept", "deir"],
            "date": ["2023-02-17"] * 4,
            "country": ["Syria", None, "Syria", None],
            "admin1": ["Homs", None, "Homs", "Deir ez-Zor"],
            "lat": [38.8697, 38.8697, 38.8697, 40.1408],
            "lon": [34.8877, 34.8877, 34.8877, 35.3359],
        }
    )
    ev = validate_events(raw)
    assert (ev.geometry.x.iloc[0], ev.geometry.y.iloc[0]) == (38.8697, 34.8877)
    assert ev["reason"].iloc[0].startswith("swapped_coordinates")
    assert ev["reason"].iloc[1].startswith("possible_swap")
    assert (ev.geometry.x.iloc[1], ev.geometry.y.iloc[1]) == (34.8877, 38.8697)  # as given
    assert ev["reason"].iloc[3].startswith("swapped_coordinates")  # admin1 Deir ez-Zor fits
    kept = validate_events(raw, fix_swapped=False)
    assert kept.geometry.x.tolist() == raw["lon"].tolist()
    assert kept["reason"].str.startswith("possible_swap").all()


def test_dates_one_order_per_column() -> None:
    mixed = pd.DataFrame(
        {"event_id": ["a", "b"], "date": ["05/06/2024", "13/02/2024"], "lat": 34.5, "lon": 38.3}
    )
    ev = validate_events(mixed)
    assert ev["date"].tolist() == [pd.Timestamp("2024-06-05"), pd.Timestamp("2024-02-13")]
    dotted = validate_events(mixed.assign(date=["12.02.2023", "01.03.2023"]))
    assert dotted["date"].tolist() == [pd.Timestamp("2023-02-12"), pd.Timestamp("2023-03-01")]
    conflict = validate_events(mixed.assign(date=["13/02/2024", "02/13/2024"]), dayfirst=True)
    assert conflict["status"].tolist() == ["ok", "invalid"]
    assert conflict["reason"].iloc[1].startswith("date_order_conflict")
    ambiguous = mixed.assign(date=["05/06/2024", "07/08/2024"])
    with pytest.warns(DateOrderWarning, match="2 of 2 dates"):
        ev = validate_events(ambiguous)
    assert ev["date"].iloc[0] == pd.Timestamp("2024-05-06")
    assert ev["reason"].iloc[0].startswith("ambiguous_date")
    chosen = validate_events(ambiguous, dayfirst=True)  # no warning
    assert chosen["date"].iloc[0] == pd.Timestamp("2024-06-05")
    assert (chosen["status"] == "ok").all()


def test_timezone_aware_dates_keep_their_own_calendar_date(tmp_path: Path) -> None:
    text = pd.DataFrame(
        {
            "event_id": ["a", "b"],
            "date": ["2023-02-17T01:30:00+03:00", "2023-02-17T23:30:00-05:00"],
            "lat": 34.5,
            "lon": 38.3,
        }
    )
    ev = validate_events(text)
    assert [d.date() for d in ev["date"]] == [pd.Timestamp("2023-02-17").date()] * 2
    aware = text.assign(
        date=pd.to_datetime(["2023-02-17 01:30"]).tz_localize("Asia/Damascus").repeat(2)
    )
    assert (
        validate_events(aware)["date"].dt.date.tolist() == [pd.Timestamp("2023-02-17").date()] * 2
    )
    gdf = gpd.GeoDataFrame(
        aware.drop(columns=["lat", "lon"]), geometry=[Point(38.3, 34.5)] * 2, crs=4326
    )
    gdf.to_parquet(tmp_path / "tz.parquet")
    assert read_events(tmp_path / "tz.parquet")["date"].dt.day.tolist() == [17, 17]


def test_absurd_fatalities_flag_the_row() -> None:
    raw = pd.DataFrame(
        {
            "event_id": list("abcd"),
            "date": ["2023-02-17"] * 4,
            "lat": 34.5,
            "lon": 38.3,
            "fatalities": ["inf", "1e20", "3", "many"],
        }
    )
    ev = validate_events(raw)
    assert ev["fatalities"].tolist()[2] == 3
    assert ev["fatalities"].isna().tolist() == [True, True, False, True]
    assert ev["reason"].iloc[0] == "implausible_fatalities (fatalities=inf, set to NA)"
    assert ev["reason"].iloc[1] == "implausible_fatalities (fatalities=1e+20, set to NA)"
    assert ev["reason"].iloc[3].startswith("unparseable_fatalities")
    assert ev["status"].tolist() == ["warning", "warning", "ok", "warning"]


def _acled_2024_text() -> str:
    return (LAYOUTS / "acled_2024.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("encoding", "sep", "bom"),
    [
        ("utf-8", ";", True),
        ("utf-16", "\t", False),
        ("utf-16-le", ",", False),
        ("utf-8", "|", False),
    ],
)
def test_encodings_and_separators_are_detected(
    encoding: str, sep: str, bom: bool, tmp_path: Path
) -> None:
    table = pd.read_csv(io.StringIO(_acled_2024_text()), dtype=str, keep_default_na=False)
    text = table.to_csv(index=False, sep=sep)
    path = tmp_path / "export.csv"
    data = text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    ev = read_events(path)
    assert ev["event_id"].tolist() == ["SYR24001", "SYR24002"]
    assert (ev["status"] == "ok").all()


def test_undecodable_file_names_encodings(tmp_path: Path) -> None:
    path = tmp_path / "arabic.csv"
    path.write_bytes("id,date,place,lat,lon\na,2023-02-11,تدمر,34.56,38.28\n".encode("cp1256"))
    with pytest.raises(DataError, match=r"cp1256.*encoding="):
        read_events(path)
    ev = read_events(path, encoding="cp1256")
    assert ev["place"].iloc[0] == "تدمر"


def test_layers_and_large_cells(tmp_path: Path) -> None:
    ev = read_events(LAYOUTS / "acled_2024.csv")
    path = tmp_path / "two.gpkg"
    ev.to_file(path, layer="attacks")
    ev.iloc[:1].to_file(path, layer="other")
    with pytest.raises(DataError, match=r"layers \['attacks', 'other'\]"):
        read_events(path)
    assert len(read_events(path, layer="attacks")) == 2
    big = tmp_path / "big.csv"
    note = "x" * (4 * 1024 * 1024)
    big.write_text(f'id,date,lat,lon,notes\na,2023-02-11,34.5,38.3,"{note}"\n', encoding="utf-8")
    assert len(read_events(big)["notes"].iloc[0]) == len(note)


def test_blank_coordinates_are_geocoded_and_recorded(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text(
        "id,date,place,lat,lon\na,2023-02-11,Palmyra,,\nb,2023-02-12,Sukhna,34.8868,38.8719\n",
        encoding="utf-8",
    )
    ev = read_events(path)
    assert ev["geocoded"].tolist() == [True, False]
    assert abs(ev.geometry.x.iloc[0] - 38.28) < 0.05
    assert ev.geometry.x.iloc[1] == 38.8719
    off = read_events(path, geocode=False)
    assert off["geocoded"].tolist() == [False, False]
    assert off["status"].iloc[0] == "invalid"


def test_counts_match_summary() -> None:
    ev = read_events(Path(__file__).parent / "data" / "acled_sample.csv")
    counts = status_counts(ev)
    s = summary(ev)
    assert counts["invalid"] == int(
        s[(s["status"] == "invalid") & (s["reason"] == "")]["count"].sum()
    )
    assert counts["n"] == len(ev) == counts["ok"] + counts["warning"] + counts["invalid"]
    assert report_line(ev, "x").startswith(f"x: {len(ev)} rows, {counts['ok']} ok")


def test_excel_sep_line_and_na_text_kept(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_text(
        "sep=;\nid;date;place;lat;lon;country_code\na;2023-02-11;NA;34.56;38.28;NA\n",
        encoding="utf-8",
    )
    ev = read_events(path)
    assert ev["place"].iloc[0] == "NA"  # text, not a missing value
    assert ev["country_code"].iloc[0] == "NA"
    assert ev.geometry.x.iloc[0] == 38.28


def test_uppercase_headers_with_bom_and_spaces(tmp_path: Path) -> None:
    text = (LAYOUTS / "acled_2015_upper.csv").read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    spaced = ",".join(f" {h} " for h in header.split(","))
    path = tmp_path / "upper.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (spaced + "\n" + rest).encode("utf-8"))
    ev = read_events(path)
    assert ev["event_id"].tolist() == ["15SYR01", "15SYR02"]
    assert "GWNO" in ev.columns


# Town centres (GeoNames coordinates as desertgeo's gazetteer ships them, read 2026-12-03;
# uncertainty of a town centre about 2 km): where the blank rows of the fixture must land.
_TOWNS = {
    "As Sukhnah": (38.8711, 34.8853),
    "Al Mayadin": (40.4515, 35.0198),
    "Rutba": (40.2859, 33.0372),
    "Ruwaished": (38.2011, 32.5041),
    "Deir ez-Zor": (40.1408, 35.3359),
}


def test_generic_sheet_with_blank_coordinates_is_geocoded_in_each_rows_country() -> None:
    """An analyst's sheet (BOM, day-first dates, GTD-like columns) with some blank points."""
    from pyproj import Geod

    path = LAYOUTS / "generic_blank_coords.csv"
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    ev = read_events(path)
    assert len(ev) == len(raw)
    assert ev["country"].fillna("").tolist() == raw["country"].tolist()  # kept as given
    assert ev["admin1"].fillna("").tolist() == raw["state"].tolist()  # state -> admin1
    assert ev["notes"].tolist() == raw["summary"].tolist()
    assert ev["date"].dt.strftime("%d/%m/%Y").tolist() == raw["date"].tolist()
    given = raw["latitude"] != ""
    # points the file gives are untouched and not marked geocoded
    assert ev.geometry.x[given].tolist() == raw["longitude"][given].astype(float).tolist()
    assert ev.geometry.y[given].tolist() == raw["latitude"][given].astype(float).tolist()
    assert not ev["geocoded"][given].any()
    # blank points of places in the gazetteer's countries are geocoded, near the town
    geod = Geod(ellps="WGS84")
    for place, (x, y) in _TOWNS.items():
        row = ev[ev["place"] == place].iloc[-1]
        assert bool(row["geocoded"]), place
        assert row["status"] == "ok", (place, row["reason"])
        km = geod.inv(x, y, row.geometry.x, row.geometry.y)[2] / 1000
        assert km < 3, (place, km)
    # a Syrian town name given with Iraq as its country is not moved into Syria
    tadmor = ev[ev["place"] == "Tadmor"].iloc[0]
    assert tadmor["status"] == "invalid"
    assert tadmor.geometry is None
    assert tadmor["reason"].startswith("not_geocoded ('Tadmor'")
    assert "the row's country (IQ, Anbar)" in tadmor["reason"]
    assert "pass country=" not in tadmor["reason"]
    # a country the gazetteer does not cover is never geocoded to a homonym
    ouaga = ev[ev["place"] == "Ouagadougou"].iloc[0]
    assert ouaga["status"] == "invalid"
    assert not bool(ouaga["geocoded"])
    assert "'Burkina Faso' is outside the gazetteer's countries" in ouaga["reason"]
    assert ev["status"][ev["place"].isna()].tolist() == ["invalid"]
    off = read_events(path, geocode=False)
    assert not off["geocoded"].any()
    assert (off["status"][~given] == "invalid").all()


def test_geocoded_point_outside_the_rows_country_is_undone(tmp_path: Path) -> None:
    """The geocoder's country context is checked again against the country polygon."""
    path = tmp_path / "sheet.csv"
    path.write_text(
        "date,country,city,lat,lon\n2023-02-11,Lebanon,Homs,,\n2023-02-11,Lebanon,Palmyra,,\n"
        "2023-02-11,Syria,Homs,,\n",
        encoding="utf-8",
    )
    ev = read_events(path)
    assert ev["geocoded"].tolist() == [False, False, True]
    assert ev["status"].tolist()[:2] == ["invalid", "invalid"]
    # the geocoder itself refuses Homs for a Lebanese row (it once answered Homs
    # governorate whatever the context; the country polygon check stays as a second guard)
    assert ev["reason"].iloc[0].startswith("not_geocoded ('Homs': the only match, Homs (")
    assert ev["reason"].iloc[0].endswith("lies outside the row's country (LB))")
    assert ev["reason"].iloc[1].startswith("not_geocoded ('Palmyra'")
    assert ev.geometry.iloc[0] is None
    assert ev.geometry.iloc[1] is None
    assert ev["country_code"].tolist() == ["LB", "LB", "SY"]  # the row's, not the match's
    assert pd.isna(ev["uncertainty_m"].iloc[0])


def _check_script():  # scripts/ is not a package: load the file
    import importlib.util

    path = Path(__file__).parents[1] / "scripts" / "check_real_exports.py"
    spec = importlib.util.spec_from_file_location("check_real_exports", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("check_real_exports", module)  # its dataclasses look it up
    spec.loader.exec_module(module)
    return module


def test_check_real_exports_script_passes_every_layout(capsys: pytest.CaptureFixture) -> None:
    script = _check_script()
    assert script.main([str(LAYOUTS)]) == 0
    out = capsys.readouterr().out
    assert "| acled_2015_upper.csv | acled (2015 (UPPERCASE, GWNO)) | dd-Month-yyyy |" in out
    assert "| acled_2020_excel.csv | acled (2020-2021 (data_id, iso3)) | d-Mon-yy (Excel)" in out


def test_check_real_exports_script_counts_a_swap_with_evidence(tmp_path: Path) -> None:
    header, first = (LAYOUTS / "acled_2024.csv").read_text(encoding="utf-8").splitlines()[:2]
    assert ",34.5608,38.2805," in first
    (tmp_path / "swapped.csv").write_text(
        header + "\n" + first.replace(",34.5608,38.2805,", ",38.2805,34.5608,") + "\n",
        encoding="utf-8",
    )
    check = _check_script().check_file(tmp_path / "swapped.csv", (34.0, 29.0, 49.0, 38.0))
    assert (check.rows_in, check.rows_out) == (1, 1)
    assert check.moved_with_swap == 1
    assert check.moved_without_reason == 0
    assert check.reasons["swapped_coordinates"] == 1
    assert not check.broken


def test_real_ucdp_ged_sample_geojson_and_csv_give_the_same_events() -> None:
    """60 real UCDP GED 23.1 events (CC BY 4.0; see tests/data/layouts/README.md)."""
    geo = read_ucdp(LAYOUTS / "ucdp_ged231_car_sample.geojson", format="geojson")
    tab = read_ucdp(LAYOUTS / "ucdp_ged231_car_sample.csv")
    raw = pd.read_csv(LAYOUTS / "ucdp_ged231_car_sample.csv", dtype=str, keep_default_na=False)
    assert len(geo) == len(tab) == len(raw) == 60
    assert tab["event_id"].tolist() == raw["id"].tolist()
    for col in (
        "event_id",
        "date",
        "date_end",
        "date_precision",
        "place",
        "country",
        "country_code",
        "admin1",
        "where_prec",
        "geo_precision",
        "uncertainty_m",
        "fatalities",
        "actor",
        "actor2",
        "event_type",
        "civilian_target",
        "status",
    ):
        pd.testing.assert_series_equal(geo[col], tab[col], check_names=False, obj=col)
    assert geo.geometry.x.tolist() == raw["longitude"].astype(float).tolist()
    assert tab.geometry.y.tolist() == raw["latitude"].astype(float).tolist()
    # the codes stay as given, the derived columns spell them out
    assert tab["type_of_violence"].astype(str).tolist() == raw["type_of_violence"].tolist()
    violence = {"1": "state-based conflict", "2": "non-state conflict", "3": "one-sided violence"}
    assert tab["event_type"].tolist() == [violence[v] for v in raw["type_of_violence"]]
    assert (tab["civilian_target"] == (raw["type_of_violence"] == "3")).all()
    assert tab["fatalities"].astype(str).tolist() == raw["best"].tolist()
    assert tab["date_precision"].tolist() == [
        {"1": 1, "2": 2, "3": 2, "4": 3, "5": 3}[v] for v in raw["date_prec"]
    ]
    # Central African Republic: every row outside the study area, kept and unchanged
    assert tab["reason"].str.startswith("outside_study_area (lat ").all()
    assert (tab["status"] == "warning").all()
    assert (tab["country"] == raw["country"]).all()  # the name as UCDP gives it


def test_semicolon_sheet_with_decimal_commas_keeps_its_points(tmp_path: Path) -> None:
    """Excel in a European locale: ``;`` separator, BOM, ``34,5608`` coordinates."""
    rows = (LAYOUTS / "acled_2024.csv").read_text(encoding="utf-8").splitlines()
    raw = pd.read_csv(LAYOUTS / "acled_2024.csv", dtype=str, keep_default_na=False)
    euro = raw.copy()
    for col in ("latitude", "longitude"):
        euro[col] = euro[col].str.replace(".", ",", regex=False)
    path = tmp_path / "euro.csv"
    euro.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    assert ";34,5608;38,2805;" in path.read_text(encoding="utf-8-sig")
    ev = read_events(path)
    assert len(ev) == len(rows) - 1
    assert ev.geometry.y.tolist() == raw["latitude"].astype(float).tolist()
    assert ev.geometry.x.tolist() == raw["longitude"].astype(float).tolist()
    assert (ev["status"] == "ok").all()
    # a column mixing both marks is not guessed at: those rows are flagged, not moved
    mixed = euro.copy()
    mixed.loc[0, "latitude"] = raw.loc[0, "latitude"]
    mixed.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    ev = read_events(path)
    assert ev["status"].tolist()[1:] == ["invalid"] * (len(raw) - 1)


def test_check_real_exports_geocode_check_puts_blanked_points_back() -> None:
    line = _check_script().geocode_check(LAYOUTS / "generic_blank_coords.csv", 1)
    # Palmyra, Ramadi and Albu Kamal: the file's points are the gazetteer's town centres
    assert line.startswith("generic_blank_coords.csv: 3 of 3 blanked rows geocoded")
    assert "median 0.0 km, 100% within 25 km, 0 beyond 100 km" in line
    assert _check_script().geocode_check(LAYOUTS / "acled_2024.csv", 1) is None  # not generic


def test_packed_files_read_like_the_csv_inside(tmp_path: Path) -> None:
    """UCDP ships ged*-csv.zip; analysts gzip big exports. Workbooks get a clear hint."""
    import gzip
    import zipfile

    source = LAYOUTS / "ucdp_ged231_car_sample.csv"
    plain = read_events(source)
    with zipfile.ZipFile(tmp_path / "ged231-csv.zip", "w") as archive:
        archive.write(source, "GEDEvent_v23_1.csv")
    (tmp_path / "ged.csv.gz").write_bytes(gzip.compress(source.read_bytes()))
    for name in ("ged231-csv.zip", "ged.csv.gz"):
        back = read_events(tmp_path / name)
        pd.testing.assert_frame_equal(pd.DataFrame(back), pd.DataFrame(plain))
    with zipfile.ZipFile(tmp_path / "two.zip", "w") as archive:
        archive.write(source, "a.csv")
        archive.write(source, "b.csv")
    with pytest.raises(DataError, match=r"holds 2 CSV files \['a.csv', 'b.csv'\]"):
        read_events(tmp_path / "two.zip")
    (tmp_path / "broken.zip").write_bytes(b"PK not a zip")
    with pytest.raises(DataError, match="cannot unpack"):
        read_events(tmp_path / "broken.zip")
    (tmp_path / "sheet.xlsx").write_bytes(b"")
    with pytest.raises(InputError, match="save the sheet as CSV"):
        read_events(tmp_path / "sheet.xlsx")


def test_cli_study_area_option(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from desertgeo.cli import main

    path = LAYOUTS / "ucdp_ged231_car_sample.csv"  # Central African Republic
    out = tmp_path / "out.csv"
    assert main(["events", "read", str(path), "--study-area", "none", "-o", str(out)]) == 0
    back = read_events(out, study_area=None)
    assert (back["status"] == "ok").all()
    assert main(["events", "read", str(path), "-o", str(out)]) == 0  # warnings only
    assert read_events(out)["reason"].str.startswith("outside_study_area").all()
    box = "14,2,28,11"  # lon/lat box around the country
    assert main(["events", "read", str(path), "--study-area", box, "-o", str(out)]) == 0
    assert (read_events(out, study_area=(14, 2, 28, 11))["status"] == "ok").all()
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["events", "read", str(path), "--study-area", "49,38,34,29"])
    assert "MINLON,MINLAT,MAXLON,MAXLAT" in capsys.readouterr().err


def test_hdx_file_with_hxl_hashtag_row(tmp_path: Path) -> None:
    """HDX publishes ACLED and UCDP tables with HXL hashtags in row 2 (tags written here)."""
    header, *rows = (LAYOUTS / "acled_2020_excel.csv").read_text(encoding="utf-8").splitlines()
    tags = {
        "event_id_cnty": "#event+code",
        "event_date": "#date+occurred",
        "country": "#country+name",
        "admin1": "#adm1+name",
        "location": "#loc+name",
        "latitude": "#geo+lat",
        "longitude": "#geo+lon",
        "fatalities": "#affected+killed",
        "iso3": "#country+code",
        "event_type": "#event+type",
        "actor1": "#group+name+first",
        "actor2": "#group+name+second",
        "source": "#meta+source",
        "notes": "#description",
        "year": "#date+year",
        "data_id": "#x_data_id",
    }
    hxl = ",".join(tags.get(name, "") for name in header.split(","))
    path = tmp_path / "conflict_data_syr.csv"
    path.write_text("\n".join([header, hxl, *rows]) + "\n", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"row 2 holds HXL hashtags \(#x_data_id, "):
        ev = read_events(path)
    plain = read_events(LAYOUTS / "acled_2020_excel.csv")
    pd.testing.assert_frame_equal(pd.DataFrame(ev), pd.DataFrame(plain))


def test_acled_api_json_reads_like_the_csv_export(tmp_path: Path) -> None:
    """ACLED's API answers {"status": 200, "success": true, "data": [...]} (all text)."""
    import json

    raw = pd.read_csv(LAYOUTS / "acled_2024.csv", dtype=str, keep_default_na=False)
    records = [{k: v for k, v in row.items() if v != ""} for row in raw.to_dict("records")]
    answer = {"status": 200, "success": True, "count": len(records), "data": records}
    path = tmp_path / "acled_api.json"
    path.write_text(json.dumps(answer), encoding="utf-8")
    ev = read_events(path)
    plain = read_events(LAYOUTS / "acled_2024.csv")
    for col in ("event_id", "date", "place", "country", "fatalities", "status", "tags"):
        assert ev[col].tolist() == plain[col].tolist(), col
    assert ev.geometry.equals(plain.geometry)
    # a list of records reads the same; GeoJSON still goes to GDAL
    path.write_text(json.dumps(records), encoding="utf-8")
    assert read_events(path)["event_id"].tolist() == plain["event_id"].tolist()
    geo = read_events(LAYOUTS / "ucdp_ged.geojson")
    assert len(geo) == 2


def test_shapefile_with_cut_column_names_reads_like_the_csv(tmp_path: Path) -> None:
    """A shapefile's dBase table cuts names at 10 letters (``type_of_vi``, ``where_coor``)."""
    import warnings

    plain = read_ucdp(LAYOUTS / "ucdp_ged231_car_sample.csv")
    raw = pd.read_csv(LAYOUTS / "ucdp_ged231_car_sample.csv", dtype=str, keep_default_na=False)
    points = gpd.GeoDataFrame(
        raw.drop(columns=["latitude", "longitude", "geom_wkt"]),
        geometry=gpd.points_from_xy(raw["longitude"].astype(float), raw["latitude"].astype(float)),
        crs=4326,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GDAL says it cut the names
        points.to_file(tmp_path / "ged.shp", engine="pyogrio")
    ev = read_events(tmp_path / "ged.shp")
    assert "type_of_vi" in ev.columns
    assert "where_coor" not in ev.columns  # mapped to place
    for col in ("event_id", "place", "event_type", "source", "fatalities", "actor", "date"):
        assert ev[col].tolist() == plain[col].tolist(), col
    # dBase text fields hold 254 bytes: long headlines come back cut
    cut = [n.encode()[:254].decode("utf-8", "ignore").rstrip() for n in plain["notes"].fillna("")]
    assert ev["notes"].fillna("").tolist() == cut
    assert ev.geometry.equals(plain.geometry)
    with pytest.raises(InputError, match=r"not \.shp"):
        write_events(plain, tmp_path / "out.shp")


def test_geocoding_fills_derived_columns_only(tmp_path: Path) -> None:
    """The geocoded point's precision and country code are derived; admin1 stays as given."""
    path = tmp_path / "sheet.csv"
    path.write_text(
        "date,city,admin1,lat,lon\n2023-02-11,Palmyra,,,\n2023-02-12,As Sukhnah,Homs,,\n",
        encoding="utf-8",
    )
    ev = read_events(path)
    assert ev["geocoded"].tolist() == [True, True]
    assert ev["admin1"].isna().iloc[0]  # blank in the file, blank out
    assert ev["admin1"].iloc[1] == "Homs"
    assert ev["country_code"].tolist() == ["SY", "SY"]
    assert ev["uncertainty_m"].notna().all()


def test_ucdp_api_page_reads_like_the_csv(tmp_path: Path) -> None:
    """UCDP's API answers {"TotalCount": n, ..., "Result": [...]} with typed values."""
    import json

    geo = json.loads((LAYOUTS / "ucdp_ged231_car_sample.geojson").read_text(encoding="utf-8"))
    records = []
    for feature in geo["features"]:
        row = dict(feature["properties"])
        row["longitude"], row["latitude"] = feature["geometry"]["coordinates"]
        records.append(row)
    page = {"TotalCount": len(records), "TotalPages": 1, "NextPageUrl": "", "Result": records}
    path = tmp_path / "gedevents.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    ev = read_events(path)
    plain = read_ucdp(LAYOUTS / "ucdp_ged231_car_sample.csv")
    for col in ("event_id", "date", "date_end", "event_type", "fatalities", "place", "status"):
        assert ev[col].tolist() == plain[col].tolist(), col
    assert ev.geometry.equals(plain.geometry)


def test_ragged_rows_are_read_not_refused(tmp_path: Path) -> None:
    """A hand-edited sheet: a short row and a trailing separator; nothing is lost."""
    header, *rows = (LAYOUTS / "acled_2022.csv").read_text(encoding="utf-8").splitlines()
    plain = read_events(LAYOUTS / "acled_2022.csv")
    short = rows[0].rsplit(",", 1)[0]  # the last cell (blank or not) left out
    path = tmp_path / "ragged.csv"
    path.write_text("\n".join([header, short, rows[1] + ",,", ""]), encoding="utf-8")
    with pytest.warns(UserWarning, match=r"1 rows had fewer cells .* and 1 had empty cells"):
        ev = read_events(path)
    assert len(ev) == 2
    assert ev["event_id"].tolist() == plain["event_id"].tolist()
    assert ev.geometry.equals(plain.geometry)
    last = header.split(",")[-1]
    assert pd.isna(ev[last].iloc[0])
    assert ev[last].iloc[1] == plain[last].iloc[1]
    path.write_text("\n".join([header, rows[0] + ",surplus", ""]), encoding="utf-8")
    with pytest.raises(DataError, match=r"Expected 30 columns, got 31 on line 2"):
        read_events(path)


def test_admin1_context_keeps_a_homonym_in_another_governorate_out(tmp_path: Path) -> None:
    """Kanaan (Diyala, Iraq) has homonyms hundreds of km away: the row's governorate is
    the geocoder's context too, so none of them is taken for it."""
    path = tmp_path / "sheet.csv"
    path.write_text(
        "date,country,state,city,latitude,longitude\n"
        "2014-05-01,Iraq,Diyala,Kanaan,,\n"
        "2014-05-02,Syria,Homs Governorate,Tadmor,,\n",
        encoding="utf-8",
    )
    ev = read_events(path)
    assert ev["status"].iloc[0] == "invalid"
    assert "the row's country (IQ, Diyala)" in ev["reason"].iloc[0]
    assert not bool(ev["geocoded"].iloc[0])
    assert bool(ev["geocoded"].iloc[1])  # "Homs Governorate" is read as Homs
    assert ev["admin1"].iloc[1] == "Homs Governorate"  # and kept as written
