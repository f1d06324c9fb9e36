"""Tests of desertgeo.zones: shipped snapshots, validation of user files, assignment, shares."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from shapely import Point, Polygon, box

from desertgeo import CRSError, ZoneError, datasets
from desertgeo.zones import (
    ZONE_COLUMNS,
    assign_zones,
    list_snapshots,
    load_zones,
    zone_shares,
    zone_summary,
)


def _place(ascii_name: str) -> Point:
    p = datasets.load("places")
    hit = p[(p["country"] == "SY") & (p["asciiname"] == ascii_name)]
    assert len(hit) == 1, ascii_name
    return hit.geometry.iloc[0]


def _site(site_id: str) -> Point:
    return datasets.load("sites").set_index("site_id").loc[site_id].geometry


def _events(rows: list[tuple[str, Point | None]], **cols: list) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"date": pd.to_datetime([r[0] for r in rows]), **cols},
        geometry=[r[1] for r in rows],
        crs=4326,
    )


def test_shipped_snapshots_schema_and_labels() -> None:
    z = load_zones()
    assert list(z.columns[: len(ZONE_COLUMNS)]) == ZONE_COLUMNS
    assert z.crs.to_epsg() == 4326
    assert set(z["snapshot"]) == {"early-2023", "mid-2024", "post-dec-2024"}
    assert z["approximate"].all()
    assert (z["source"].str.len() > 10).all()
    assert set(z["confidence"]) <= {"high", "medium", "low"}
    assert z.geometry.is_valid.all()
    # the Badia is honestly low confidence: nominal government control with ISIS cells
    badia = z[(z["snapshot"] == "early-2023") & (z["confidence"] == "low")]
    assert badia["controller"].tolist() == ["Syrian government"]
    assert "ISIS" in badia["notes"].iloc[0]
    # each snapshot covers Syria (golan="syria") with no gap and no overlap (within slivers)
    syria = datasets.load("countries", golan="syria").set_index("country").loc["SY"].geometry
    area_sy = gpd.GeoSeries([syria], crs=4326).to_crs(32637).area.iloc[0]
    for _snap, grp in z.groupby("snapshot"):
        u = grp.to_crs(32637)
        assert u.area.sum() == pytest.approx(area_sy, rel=1e-3)
        assert u.union_all().area == pytest.approx(area_sy, rel=1e-3)


def test_tanf_zone_is_a_geodesic_55km_circle_around_the_shipped_garrison() -> None:
    # guards against a stale build: the circle must be centred on the current sites row
    g = _site("al-tanf-garrison")
    z = load_zones()
    for zone in z[z["zone_id"].str.contains("/tanf/")].geometry:
        xy = shapely.get_coordinates(zone.exterior if zone.geom_type == "Polygon" else zone)
        _, _, d = pyproj.Geod(ellps="WGS84").inv(
            np.full(len(xy), g.x), np.full(len(xy), g.y), xy[:, 0], xy[:, 1]
        )
        assert d.max() == pytest.approx(55_000, abs=2.0)


def test_snapshot_table_flags_the_offensive_gap() -> None:
    t = list_snapshots()
    gap = t[t["kind"] == "gap"]
    assert len(gap) == 1
    assert gap["valid_from"].iloc[0] == pd.Timestamp("2024-11-27")
    assert gap["valid_to"].iloc[0] == pd.Timestamp("2024-12-08")


def test_known_places_on_known_dates() -> None:
    ev = _events(
        [
            ("2023-02-17", _place("Ar Raqqah")),
            ("2023-02-17", _place("Tadmur")),
            ("2023-06-01", _place("Idlib")),
            ("2024-05-01", _site("al-tanf-garrison")),
            ("2024-05-01", _site("rukban-camp")),
            ("2023-02-17", _place("As Sukhnah")),
            ("2023-02-17", _place("Deir ez-Zor")),
            ("2023-02-17", _place("Hajin")),
            ("2023-02-17", _place("'Afrin")),
            ("2025-01-15", _place("Tadmur")),
            ("2025-01-15", _site("al-tanf-garrison")),
            ("2025-01-15", _place("Manbij")),
            ("2024-06-01", _place("Manbij")),
        ]
    )
    out = assign_zones(ev)
    assert out["zone_status"].eq("ok").all()
    assert out["controller"].tolist() == [
        "SDF",
        "Syrian government",
        "HTS (Syrian Salvation Government)",
        "US-led coalition / Maghawir al-Thawra",
        "US-led coalition / Maghawir al-Thawra",
        "Syrian government",
        "Syrian government",
        "SDF",
        "SNA / Turkey",
        "Transitional government (HTS-led)",
        "US-led coalition / Syrian Free Army",
        "SNA / Turkey",
        "SDF",
    ]
    assert out["snapshot"].tolist()[:3] == ["early-2023"] * 3
    assert "tanf" in out["zone_id"].iloc[3]
    assert "tanf" not in out["zone_id"].iloc[5]  # Sukhna is outside the 55 km zone
    assert out["zone_approximate"].all()


def test_statuses_are_flagged_not_guessed() -> None:
    ev = _events(
        [
            ("2024-12-01", _place("Tadmur")),  # the offensive: no snapshot
            ("2019-01-01", _place("Tadmur")),  # before the first snapshot
            ("NaT", _place("Tadmur")),
            ("2023-05-01", None),
            ("2023-05-01", Point(44.4, 33.3)),  # Baghdad: outside every zone
        ]
    )
    out = assign_zones(ev)
    assert out["zone_status"].tolist() == [
        "no snapshot for date",
        "no snapshot for date",
        "no date",
        "no geometry",
        "outside zones",
    ]
    assert out["controller"].isna().all()
    assert out.index.equals(ev.index)
    assert "zone_status" not in ev.columns


def test_reprojected_events_and_missing_crs() -> None:
    ev = _events([("2023-02-17", _place("Ar Raqqah"))])
    assert assign_zones(ev.to_crs(32637))["controller"].iloc[0] == "SDF"
    with pytest.raises(CRSError):
        assign_zones(ev.set_crs(None, allow_override=True))


def _user_zones(**override: object) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        {
            "zone_id": ["a", "b"],
            "snapshot": ["s1", "s1"],
            "controller": ["X", "Y"],
            "valid_from": ["2023-01-01", "2023-01-01"],
            "valid_to": ["2023-07-01", "2023-07-01"],
            "confidence": ["high", "low"],
            "approximate": [True, True],
            "source": ["test", "test"],
            "notes": ["", ""],
        },
        geometry=[box(38, 34, 39, 35), box(39, 34, 40, 35)],
        crs=4326,
    )
    for key, value in override.items():
        frame[key] = value
    return frame


def test_user_zones_roundtrip_file(tmp_path) -> None:
    path = tmp_path / "z.geojson"
    _user_zones().to_file(path, driver="GeoJSON")
    z = load_zones(path, extent=None)
    ev = _events([("2023-03-01", Point(38.5, 34.5)), ("2023-03-01", Point(39.5, 34.5))])
    assert assign_zones(ev, z)["controller"].tolist() == ["X", "Y"]
    assert assign_zones(ev, str(path))["zone_id"].tolist() == ["a", "b"]


def test_user_zones_errors() -> None:
    with pytest.raises(ZoneError, match=r"zone_id 'b'.*not after valid_from"):
        load_zones(_user_zones(valid_to=["2023-07-01", "2022-01-01"]), extent=None)
    with pytest.raises(
        ZoneError, match=r"unparseable valid_from 'someday'.*zone_id 'a'|zone_id 'a'.*unparseable"
    ):
        load_zones(_user_zones(valid_from=["someday", "2023-01-01"]), extent=None)
    with pytest.raises(ZoneError, match=r"'a' and 'b' overlap by [0-9.]+ km\^2"):
        load_zones(_user_zones(geometry=[box(38, 34, 39.5, 35), box(39, 34, 40, 35)]), extent=None)
    with pytest.raises(ZoneError, match="different valid_from"):
        load_zones(_user_zones(valid_from=["2023-01-01", "2023-02-01"]), extent=None)
    with pytest.raises(ZoneError, match="lack column"):
        load_zones(_user_zones().drop(columns="controller"), extent=None)
    with pytest.raises(ZoneError, match="must be polygons"):
        load_zones(_user_zones(geometry=[Point(38, 34), box(39, 34, 40, 35)]), extent=None)
    with pytest.raises(CRSError):
        load_zones(_user_zones().set_crs(None, allow_override=True), extent=None)
    # two snapshots in force on the same date
    two = pd.concat(
        [
            _user_zones(),
            _user_zones(
                zone_id=["c", "d"], snapshot="s2", valid_from="2023-06-01", valid_to="2024-01-01"
            ),
        ]
    )
    with pytest.raises(ZoneError, match="overlap in time"):
        load_zones(gpd.GeoDataFrame(two, crs=4326), extent=None)


def test_user_zones_invalid_geometry_and_gaps_warn() -> None:
    bowtie = Polygon([(38, 34), (39, 35), (39, 34), (38, 35), (38, 34)])
    frame = _user_zones(geometry=[bowtie, box(39, 34, 40, 35)])
    with pytest.warns(UserWarning, match=r"repaired invalid geometry in row 0 \(zone_id 'a'\)"):
        z = load_zones(frame, extent=None)
    assert z.geometry.is_valid.all()
    assert z.geometry.iloc[0].area == pytest.approx(0.5)
    with pytest.raises(ZoneError, match="invalid geometry"):
        load_zones(frame, repair=False, extent=None)
    with pytest.warns(UserWarning, match=r"snapshot 's1' leaves [0-9,]+ km\^2"):
        load_zones(_user_zones())  # two boxes do not cover Syria


def test_shares_of_uncertainty_discs() -> None:
    ev = _events(
        [
            ("2023-03-01", _place("Deir ez-Zor")),  # on the river line: split
            ("2023-03-01", _place("Tadmur")),  # deep in one zone
            ("2023-03-01", _place("Ar Raqqah")),  # no uncertainty
        ],
        uncertainty_m=[30_000.0, 2_000.0, 0.0],
    )
    long = zone_shares(ev)
    sums = long.groupby("event")["share"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0, atol=1e-9)
    dz = long[long["event"] == 0].set_index("controller")["share"]
    assert {"SDF", "Syrian government"} <= set(dz.index)
    assert 0.1 < dz["SDF"] < 0.9
    assert long[long["event"] == 1]["share"].tolist() == pytest.approx([1.0])
    assert 2 not in set(long["event"])
    out = assign_zones(ev, shares=True)
    assert out["zone_share"].iloc[1] == pytest.approx(1.0)
    assert out["zone_share"].iloc[0] == pytest.approx(dz[out["controller"].iloc[0]])
    assert np.isnan(out["zone_share"].iloc[2])
    assert out["zone_shares"].iloc[1] == "Syrian government=1.000"
    # a disc across the Iraqi border: the part outside Syria is reported as such
    border = _events([("2023-03-01", _place("Albu Kamal"))], uncertainty_m=[20_000.0])
    s = zone_shares(border).set_index("controller")["share"]
    assert 0 < s["(outside zones)"] < 0.6


def test_zone_summary_counts_and_shares() -> None:
    ev = _events(
        [
            ("2023-02-11", _place("Tadmur")),
            ("2023-02-17", _place("As Sukhnah")),
            ("2023-02-20", _place("Ar Raqqah")),
            ("2023-03-05", _place("Tadmur")),
            ("2024-12-01", _place("Tadmur")),
        ],
        fatalities=pd.array([16, 68, 1, pd.NA, 3], dtype="Int64"),
    )
    out = assign_zones(ev)
    s = zone_summary(out, period="M").set_index(["period", "controller"])
    assert s.loc[("2023-02", "Syrian government"), "events"] == 2
    assert s.loc[("2023-02", "Syrian government"), "fatalities"] == 84
    assert s.loc[("2023-02", "Syrian government"), "share_events"] == pytest.approx(2 / 3)
    assert s.loc[("2023-02", "SDF"), "share_fatalities"] == pytest.approx(1 / 85)
    assert s.loc[("2023-03", "Syrian government"), "fatalities"] == 0
    assert np.isnan(s.loc[("2023-03", "Syrian government"), "share_fatalities"])
    assert s.loc[("2024-12", "(no zone)"), "events"] == 1
    total = zone_summary(out, period=None)
    assert total["events"].sum() == len(ev)
    by_status = zone_summary(out, by="zone_status", period="Y").set_index(["period", "zone_status"])
    assert by_status.loc[("2024", "no snapshot for date"), "events"] == 1


def test_assignment_matches_a_plain_spatial_join() -> None:
    rng = np.random.default_rng(4)
    n = 3000
    dates = pd.to_datetime(rng.choice(pd.date_range("2022-11-01", "2025-04-01").to_numpy(), n))
    ev = gpd.GeoDataFrame(
        {"date": dates},
        geometry=gpd.points_from_xy(rng.uniform(35.5, 42.5, n), rng.uniform(32.2, 37.4, n)),
        crs=4326,
    )
    out = assign_zones(ev)
    z = load_zones()
    joined = gpd.sjoin(ev, z, how="left", predicate="intersects")
    joined = joined[
        (joined["date"] >= joined["valid_from"]) & (joined["date"] < joined["valid_to"])
    ]
    joined = joined[~joined.index.duplicated()]
    expected = joined["zone_id"].reindex(ev.index)
    got = out["zone_id"]
    both = expected.notna() | got.notna()
    assert (expected[both].astype(str) == got[both].astype(str)).all()
    assert shapely.get_num_geometries(np.asarray(z.geometry.array)).min() >= 1


def test_assign_zones_never_prepares_the_shared_zone_geometries() -> None:
    # GEOS prepared geometries are not thread-safe: dask threads share the cached zones
    zones = datasets.load("zones")
    events = datasets.load("demo_events")
    out = assign_zones(events, zones)
    assert (out["zone_status"] == "ok").mean() > 0.9
    assert not shapely.is_prepared(np.asarray(zones.geometry.array)).any()
    assert not shapely.is_prepared(np.asarray(datasets.load("zones").geometry.array)).any()
