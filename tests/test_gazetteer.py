"""The gazetteer index: layers, ranking, context bias and user extensions."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from desertgeo import DataError, datasets
from desertgeo._place import Place
from desertgeo.gazetteer import (
    FrozenGazetteerError,
    Gazetteer,
    clear_default_cache,
    match_facts,
    place_uncertainty_m,
)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


def test_default_holds_places_sites_and_areas(gaz: Gazetteer) -> None:
    n_places = len(datasets.load("places"))
    n_sites = len(datasets.load("sites"))
    localities = datasets.load("localities")
    table = gaz.table
    kinds = table["place_id"].str.split(":").str[0].value_counts().to_dict()
    assert kinds["geonames"] == n_places
    assert kinds["site"] == n_sites
    assert kinds["nahiya"] == len(datasets.load("subdistricts")) == 272
    assert kinds["district"] == len(datasets.load("city_districts"))
    # WOF localities: the ones that are not GeoNames cities500 places (folded by id or by
    # name within ~5 km) are their own entries
    folded = localities["geonameid"].isin(datasets.load("places")["geonameid"].astype(str))
    assert kinds["wof"] <= len(localities) - folded.sum()
    assert kinds["wof"] >= 0.95 * (len(localities) - folded.sum())
    syria = table[table["country"] == "SY"]
    assert len(syria) >= 10_000
    arabic = (
        syria["place_id"]
        .map(dict(zip(table["place_id"], gaz._table["names"], strict=True)))
        .map(lambda names: any("\u0600" <= ch <= "\u06ff" for n in names for ch in n))
    )
    assert arabic.mean() > 0.9
    assert table["place_id"].is_unique
    assert set(table["country"]) >= {"SY", "IQ", "JO", "LB", "TR", "IL"}
    # every Syrian entry knows its governorate (from the GeoNames admin1 code or by location)
    syria = table[table["country"] == "SY"]
    assert (syria["admin1"] != "").all()
    assert gaz.governorates is not None
    assert len(gaz.governorates) == 14
    assert gaz.roads is not None
    assert gaz.borders is not None
    assert gaz.tripoint is not None


@pytest.mark.parametrize(
    ("query", "layer", "place_id"),
    [
        ("Tadmor", "exact", "geonames:163808"),
        ("تدمر", "exact", "geonames:163808"),
        ("Deir Ezzor", "normalised", "geonames:170794"),
        ("Dair al-Zour", "normalised", "geonames:170794"),
        ("Deir ez-Zol", "fuzzy", "geonames:170794"),
        ("Tanf", "exact", "site:al-tanf-garrison"),
        ("Rukban", "exact", "site:rukban-camp"),
    ],
)
def test_layers(gaz: Gazetteer, query: str, layer: str, place_id: str) -> None:
    best = gaz.best(query)
    assert best is not None
    assert isinstance(best, Place)
    assert (best.rule, best.place_id) == (layer, place_id)
    assert match_facts(best)["layer"] == layer
    # each layer's score: 100 exact, 95 normalised, the capped ratio (85-94) for fuzzy
    # (the old test compared a fuzzy score with itself)
    if layer == "fuzzy":
        assert 85 <= best.score <= 94
    else:
        assert best.score == {"exact": 100.0, "normalised": 95.0}[layer]


def test_threshold_controls_fuzzy(gaz: Gazetteer) -> None:
    assert gaz.best("Plamyra", threshold=80).name == "Tadmur"
    assert gaz.best("Plamyra", threshold=95) is None
    assert gaz.best("Plamyra", threshold=101) is None
    assert gaz.best("Palmira", threshold=101).name == "Tadmur"  # exact/normalised still count


def test_candidates_are_ranked(gaz: Gazetteer) -> None:
    cands = gaz.candidates("Tanf", limit=5)
    assert list(cands.columns[:5]) == ["place_id", "name", "matched", "layer", "score"]
    assert cands.iloc[0]["place_id"] == "site:al-tanf-garrison"
    assert cands["context"].all()


def test_country_context_reorders(gaz: Gazetteer) -> None:
    # "Bosra" normalises like Basra; the default context (the study area) prefers Busra
    # al-Sham, and Basrah (Iraq, 2M people, far outside) is only a loose match: out of
    # context; country="IQ" asks for it
    free = gaz.best("Bosra")
    assert free.place_id == "geonames:171126"
    assert free.status != "out_of_context"
    cands = gaz.candidates("Bosra", limit=5).set_index("place_id")
    assert not cands.loc["geonames:99532", "context"]
    assert gaz.best("Bosra", country="SY").place_id == "geonames:171126"
    assert gaz.best("Bosra", country="IQ").place_id == "geonames:99532"
    # a big city outside the study area still counts when it is named closely
    assert gaz.best("Amman").place_id == "geonames:250441"
    assert gaz.best("Amman").status == "ok"


def test_admin1_bbox_and_near_context(gaz: Gazetteer) -> None:
    # two Dhiban: one in Jordan (Madaba), one in Deir ez-Zor
    assert gaz.best("Dhiban", admin1="Dayr az Zawr").place_id == "geonames:170691"
    assert gaz.best("Dhiban", country="JO").place_id == "geonames:249664"
    assert gaz.best("Dhiban", bbox=(35.0, 31.0, 36.5, 32.0)).place_id == "geonames:249664"
    near = gaz.best("Dhiban", near=(40.45, 35.02), near_km=50)
    assert near.place_id == "geonames:170691"
    assert match_facts(near)["distance_km"] < 10


def test_context_that_no_candidate_meets_still_returns_the_best(gaz: Gazetteer) -> None:
    best = gaz.best("Tadmur", country="IQ")
    assert best.place_id == "geonames:163808"
    assert best.status == "out_of_context"
    assert match_facts(best)["context"] is False


def test_add_returns_a_new_gazetteer(gaz: Gazetteer) -> None:
    n = len(gaz)
    mine = gaz.add("Wadi al-Miyah", 38.62, 34.78, aliases=["Wadi al Meyah", "وادي المياه"])
    assert len(gaz) == n
    assert len(mine) == n + 1
    best = mine.best("wadi almeyah")
    assert best.place_id == "user:0"
    assert best.admin1 == "Homs"  # filled by location
    assert mine.best("وادي المياه").name == "Wadi al-Miyah"
    assert gaz.best("Wadi al-Miyah", threshold=99) is None
    again = mine.add("Bir Tarfawi", 38.9, 34.1)
    assert again.best("Bir Tarfawi").place_id == "user:1"


def test_from_csv(tmp_path: Path, gaz: Gazetteer) -> None:
    csv = tmp_path / "mine.csv"
    csv.write_text(
        "name,aliases,longitude,latitude,population,country\n"
        "Khirbet Test,Kh. Test|خربة تست,38.5,34.5,1200,SY\n"
        "Qasr Test,,39.0,35.0,,SY\n",
        encoding="utf-8",
    )
    alone = Gazetteer.from_csv(csv)
    assert len(alone) == 2
    assert match_facts(alone.best("Kh. Test"))["population"] == 1200
    assert alone.best("خربة تست").name == "Khirbet Test"
    assert alone.best("Qasr Test").uncertainty_m == place_uncertainty_m(0)
    both = Gazetteer.from_csv(csv, extend=gaz)
    assert len(both) == len(gaz) + 2
    assert both.best("Palmyra").name == "Tadmur"


def test_from_csv_errors_name_row_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,lon,lat\nOk,38,34\nBroken,abc,34\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"row 1 \('Broken'\)"):
        Gazetteer.from_csv(bad)
    nocol = tmp_path / "nocol.csv"
    nocol.write_text("place,x,y\nA,1,2\n", encoding="utf-8")
    with pytest.raises(DataError, match="needs the columns 'name'"):
        Gazetteer.from_csv(nocol)


def test_from_geonames_dump(tmp_path: Path, gaz: Gazetteer) -> None:
    rows = [
        [
            "999001",
            "Bir al Fixture",
            "Bir al Fixture",
            "Bi'r al Fikstur,بئر الفكستر",
            "34.0",
            "38.8",
            "H",
            "WLL",
            "SY",
            "",
            "11",
            "",
            "",
            "",
            "0",
            "",
            "400",
            "Asia/Damascus",
            "2020-01-01",
        ],
        [
            "163808",
            "Tadmur",
            "Tadmur",
            "Palmyra",
            "34.56",
            "38.28",
            "P",
            "PPL",
            "SY",
            "",
            "11",
            "",
            "",
            "",
            "51015",
            "",
            "400",
            "Asia/Damascus",
            "2020-01-01",
        ],
        [
            "999002",
            "Some Road",
            "Some Road",
            "",
            "34.0",
            "38.0",
            "R",
            "RD",
            "SY",
            "",
            "11",
            "",
            "",
            "",
            "0",
            "",
            "400",
            "Asia/Damascus",
            "2020-01-01",
        ],
    ]
    txt = tmp_path / "SY.txt"
    txt.write_text("\n".join("\t".join(r) for r in rows) + "\n", encoding="utf-8")
    zpath = tmp_path / "SY.zip"
    with zipfile.ZipFile(zpath, "w") as zf:
        zf.write(txt, "SY.txt")
    extended = Gazetteer.from_geonames(zpath, extend=gaz)
    assert len(extended) == len(gaz) + 1  # Tadmur already there, the road's class is dropped
    best = extended.best("بئر الفكستر")
    assert best.place_id == "geonames:999001"
    assert best.feature_type == "H.WLL"
    assert best.admin1 == "Homs"


def test_lookup_many_matches_best_on_a_sample(gaz: Gazetteer) -> None:
    names = ["Tadmur", "Deir Ezzor", "Plamyra", "zzzz", "Tadmur", None, "حمص"]
    res = gaz.lookup_many(names)
    assert list(res.index) == list(range(len(names)))
    assert list(res["layer"]) == ["exact", "normalised", "fuzzy", "", "exact", "", "exact"]
    assert res.loc[0, "place_id"] == res.loc[4, "place_id"] == "geonames:163808"
    assert res.loc[3, "entry"] == -1
    for name in ["Tadmur", "Deir Ezzor", "Plamyra"]:
        assert gaz.lookup_many([name]).loc[0, "place_id"] == gaz.best(name).place_id


def test_area_lookups(gaz: Gazetteer) -> None:
    assert gaz.governorate("Dayr az Zawr")["hasc"] == "SY.DY"
    assert gaz.governorate("Rural Damascus")["name_en"] == "Rif Dimashq"
    assert gaz.governorate("Palmyra") is None
    assert gaz.road("Damascus-Baghdad highway")["road_id"] == "m2-damascus-baghdad"
    assert gaz.country("Syria")["country"] == "SY"
    assert gaz.country("Sur") is None


def test_closest_lists_spellings(gaz: Gazetteer) -> None:
    close = gaz.closest("Tadmuur", 3)
    assert close[0][0] == "Tadmur"
    assert close[0][1] > 90
    assert gaz.closest("", 3) == []


def test_closest_by_length_is_a_plain_scan_and_cutoff_only_drops(gaz: Gazetteer) -> None:
    """The length-pruned :meth:`NameIndex.closest` answers as ``process.extract`` over
    every key; ``cutoff`` drops the spellings below it and changes nothing else."""
    from rapidfuzz import fuzz, process

    from desertgeo._gaz_index import extract
    from desertgeo.names import fuzzy_key

    idx = gaz._index
    every = list(idx.fuzzy_owner)
    for query in ["Tadmuur", "Khirbat Kawmah", "Abu Gharbah", "الحريسة", "Sukhana", "zzzz"]:
        fkey = fuzzy_key(query)
        for n in (1, 3, 40):
            plain = [
                (idx.fuzzy_matched.get((k, idx.fuzzy_owner[k][0]), k), round(float(s), 1))
                for k, s, _ in process.extract(fkey, every, scorer=fuzz.ratio, limit=n)
            ]
            assert gaz.closest(query, n) == plain
            for cutoff in (60.0, 80.0, 83.3):
                want = [(name, score) for name, score in plain if score >= cutoff]
                assert gaz.closest(query, n, cutoff=cutoff) == want
        pool = [k for k in every if k[0] == fkey[0]]
        for threshold, limit in ((85.0, 15), (70.0, 40)):
            assert idx._extract(fkey, fkey[0], threshold, limit) == extract(
                fkey, pool, threshold, limit
            )
            assert idx._extract(fkey, "", threshold, limit) == extract(
                fkey, every, threshold, limit
            )
    assert gaz.closest("Tadmuur", 0) == []


def test_place_uncertainty_grows_with_population() -> None:
    values = [place_uncertainty_m(p) for p in (0, 20_000, 200_000, 2_000_000)]
    assert values == sorted(values)
    assert values[0] == 1500.0
    assert values[-1] == 15000.0
    assert place_uncertainty_m(float("nan")) == 1500.0


def test_frame_without_coordinates_is_rejected() -> None:
    with pytest.raises(DataError):
        Gazetteer(pd.DataFrame(columns=["place_id", "name", "lon", "lat"])).add_frame(
            pd.DataFrame({"name": ["x"]})
        )


def test_default_is_frozen_and_add_returns_a_new_one(gaz: Gazetteer) -> None:
    assert gaz.frozen
    with pytest.raises(FrozenGazetteerError, match=r"frozen.*add\(\.\.\.\).*with_places"):
        gaz.roads = None
    with pytest.raises(AttributeError):
        gaz._table = gaz._table.iloc[:1]
    n = len(gaz)
    mine = gaz.with_places(pd.DataFrame({"name": ["Bir Frozen"], "lon": [38.9], "lat": [34.1]}))
    assert (len(gaz), len(mine), mine.frozen) == (n, n + 1, False)
    assert gaz.best("Bir Frozen", threshold=101) is None
    assert mine.best("Bir Frozen").place_id == "user:0"
    copy = gaz.copy()
    copy.roads_note = "a copy takes attributes"
    assert len(copy) == n
    assert not copy.frozen


def test_clear_default_cache_rebuilds(gaz: Gazetteer) -> None:
    clear_default_cache()
    again = Gazetteer.default()
    assert again is not gaz
    assert again is Gazetteer.default()
    assert len(again) == len(gaz)
    assert again.best("Tadmor").place_id == gaz.best("Tadmor").place_id


def test_best_is_one_place_record(gaz: Gazetteer) -> None:
    # homonyms far apart that rank alike: ambiguous, with the others as candidates
    place = gaz.best("Dhiban")  # Deir ez-Zor's and another far away
    assert isinstance(place, Place)
    assert place.status == "ambiguous"
    assert place.candidates
    assert all("(" in c for c in place.candidates)
    assert "other places of that name" in place.reason
    # a weak fuzzy spelling is never "ok"
    weak = gaz.best("Deir ez-Zol")
    assert (weak.rule, weak.status) == ("fuzzy", "ambiguous")
    # a derived place keeps the fields and is a plain record
    moved = place.derive(rule="offset", lon=place.lon + 0.1)
    assert moved.rule == "offset"
    assert match_facts(moved) == {}
    assert place.rule in {"exact", "normalised"}


def test_borderland_localities_of_iraq_and_jordan(gaz: Gazetteer) -> None:
    table = gaz.table
    wof = table[table["place_id"].str.startswith("wof:")]
    iq, jo = wof[wof["country"] == "IQ"], wof[wof["country"] == "JO"]
    assert len(iq) > 1000
    assert len(jo) > 200
    assert {"Al-Anbar", "Nineveh"} <= set(iq["admin1"])
    assert "Mafraq" in set(jo["admin1"])
    # nothing from Baghdad or Basra: only the borderland was kept
    assert not set(iq["admin1"]) & {"Baghdad", "Basra", "Al-Basrah"}
    qaim = gaz.best("al-Qaim")
    assert (qaim.country, qaim.admin1, qaim.status) == ("IQ", "Al-Anbar", "ok")


@pytest.mark.parametrize(
    ("query", "place_id"),
    [
        ("Kabajeb", "village:kabajeb"),
        ("Kbajeb", "village:kabajeb"),
        ("كباجب", "village:kabajeb"),
        ("Dibsi Afnan", "village:dibsi-afnan"),
        ("دبسي عفنان", "village:dibsi-afnan"),
        ("Resafa", "wof:421202365"),
        ("Rusafa", "wof:421202365"),
        ("Ithriya", "wof:1293777781"),
    ],
)
def test_curated_villages_and_aliases(gaz: Gazetteer, query: str, place_id: str) -> None:
    place = gaz.best(query)
    assert place is not None
    assert place.place_id == place_id
    assert place.country == "SY"
    assert place.uncertainty_m >= 1500


def test_curated_villages_carry_source_and_uncertainty(gaz: Gazetteer) -> None:
    rows = gaz.table[gaz.table["place_id"].str.startswith("village:")]
    assert len(rows) >= 2
    assert (rows["uncertainty_m"] >= 3000).all()
    assert rows["source"].str.len().min() > 40
    kabajeb = gaz.best("Kabajeb")
    # on the Palmyra-Deir ez-Zor road between al-Shula and al-Sukhnah
    assert 39.3 < kabajeb.lon < 39.8
    assert 34.95 < kabajeb.lat < 35.2


def test_desert_homonyms_stay_in_syria(gaz: Gazetteer) -> None:
    # "Taybah": a Syrian Taybah exists, so never Israel's
    assert gaz.best("Taybah").country == "SY"
    assert gaz.best("al-Taybah").country == "SY"
    # "al-Kawm" (Homs desert, near al-Sukhnah) is never Al-Qa'im (Iraq)
    kawm = gaz.best("al-Kawm")
    assert "Qā’im" not in kawm.name
    assert kawm.status == "ambiguous"  # several Al Kawm: context decides
    near = gaz.best("al-Kawm", near=(38.87, 34.89), near_km=50)
    assert near.place_id == "wof:1310393649"
    assert gaz.best("al-Kawm", admin1="Homs").place_id == "wof:1310393649"


def test_snapshot_round_trip_gives_the_same_lookups(tmp_path: Path, gaz: Gazetteer) -> None:
    from desertgeo._gaz_sources import load_snapshot, save_snapshot

    file = tmp_path / "gazetteer-test.npz"
    save_snapshot(gaz._table, gaz._index, file)
    table, index = load_snapshot(file)
    assert table["place_id"].tolist() == gaz._table["place_id"].tolist()
    assert table["names"].tolist() == gaz._table["names"].tolist()
    assert table["importance"].tolist() == gaz._table["importance"].tolist()
    again = Gazetteer._assemble(gaz._layers, table, index)
    for query in ["Tadmor", "Deir Ezzor", "Plamyra", "كباجب", "Dhiban", "al-Qaim"]:
        assert again.best(query) == gaz.best(query)
    assert again.closest("Tadmuur", 3) == gaz.closest("Tadmuur", 3)
    # a snapshot-backed index still takes new places (its maps become dicts)
    mine = again.add("Bir Snapshot", 38.9, 34.1)
    assert mine.best("Bir Snapshot").place_id == "user:0"
    assert again.best("Bir Snapshot", threshold=101) is None
    # a damaged file is ignored (the caller builds again)
    file.write_bytes(b"not a snapshot")
    assert load_snapshot(file) is None


def test_fuzzy_batch_agrees_with_the_block_scan(gaz: Gazetteer) -> None:
    import random

    from desertgeo.names import fuzzy_key, script_of

    rng = random.Random(7)
    spellings = [
        s for names in gaz._table["names"] for s in names
        if script_of(s) == "latin" and len(fuzzy_key(s)) >= 5
    ]  # fmt: skip
    queries = []
    for s in rng.sample(spellings, 400):
        key = fuzzy_key(s)
        i = rng.randrange(1, len(key) - 1)
        # one edit inside the key: a substitution, a deletion or a transposition
        op = rng.randrange(3)
        if op == 0:
            key = key[:i] + rng.choice("abdfhklmnrst") + key[i + 1 :]
        elif op == 1:
            key = key[:i] + key[i + 1 :]
        else:
            key = key[:i] + key[i + 1] + key[i] + key[i + 2 :]
        queries.append(key)
    queries = list(dict.fromkeys(queries))
    imp = gaz._ranker.importance
    new = gaz._index.fuzzy_batch(queries, 85.0, imp)
    old = gaz._index.scan_batch(queries, 85.0, imp)
    same = sum(new.get(q, (-1,))[0] == old.get(q, (-1,))[0] for q in queries)
    assert same / len(queries) >= 0.93
    assert len(new) >= len(old) - 0.02 * len(queries)
    for entry, score, layer in new.values():
        assert layer == "fuzzy"
        assert 85.0 <= score <= 94.0
        assert entry >= 0


@pytest.mark.parametrize(
    ("query", "district"),
    [
        ("al-Joura", "district:joura-deir-ez-zor"),
        ("الجورة", "district:joura-deir-ez-zor"),
        ("al-Qusour", "district:qusour-deir-ez-zor"),
        ("Harabesh", "district:harabesh-deir-ez-zor"),
    ],
)
def test_deir_ez_zor_districts(gaz: Gazetteer, query: str, district: str) -> None:
    place = gaz.best(query, admin1="Deir ez-Zor")
    assert place.place_id == district
    assert place.feature_type == "city district"
    city = gaz.best("Deir ez-Zor")
    # inside the city: within 6 km of its point, with an uncertainty of a few km
    assert abs(place.lon - city.lon) < 0.06
    assert abs(place.lat - city.lat) < 0.05
    assert 2000 <= place.uncertainty_m <= 4000
