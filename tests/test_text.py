"""Tests of desertgeo.text.events_from_text on the seed articles and on small texts."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from pyproj import Geod

from desertgeo import datasets
from desertgeo.events import EVENT_COLUMNS
from desertgeo.text import _number, events_from_text

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
TRUFFLE = SEEDS / "article_truffle_hunters_2023.txt"
UPTICK = SEEDS / "article_isis_desert_uptick_2024.txt"
GEOD = Geod(ellps="WGS84")


def _km(point: object, lon: float, lat: float) -> float:
    _a, _b, metres = GEOD.inv(point.x, point.y, lon, lat)  # type: ignore[attr-defined]
    return float(metres) / 1000.0


def _places() -> gpd.GeoDataFrame:
    return datasets.load("places")


def _place_xy(name: str) -> tuple[float, float]:
    places = _places()
    row = places[(places["name"] == name) & (places["country"] == "SY")].iloc[0]
    return float(row.geometry.x), float(row.geometry.y)


@pytest.fixture(scope="module")
def truffle() -> gpd.GeoDataFrame:
    if not TRUFFLE.is_file():  # the articles live beside the repository, not in it
        pytest.skip(f"seed article not found: {TRUFFLE}")
    return events_from_text(
        TRUFFLE.read_text(encoding="utf-8"), published="2023-02-20", source="truffle article"
    )


@pytest.fixture(scope="module")
def uptick() -> gpd.GeoDataFrame:
    if not UPTICK.is_file():
        pytest.skip(f"seed article not found: {UPTICK}")
    return events_from_text(UPTICK.read_text(encoding="utf-8"), published="2024-05-20")


def test_columns_are_the_schema_plus_text_columns(truffle: gpd.GeoDataFrame) -> None:
    assert list(truffle.columns) == [
        *EVENT_COLUMNS,
        "sentence",
        "mentions",
        "abducted",
        "wounded",
        "evidence",
        "rules",
        "dateline",
        "approximate",
    ]
    assert truffle.crs.to_epsg() == 4326
    assert (truffle["source"] == "truffle article").all()


def test_palmyra_abduction(truffle: gpd.GeoDataFrame) -> None:
    palmyra = truffle[truffle["place"] == "Palmyra"]
    assert len(palmyra) == 1
    ev = palmyra.iloc[0]
    assert ev["date"] == pd.Timestamp("2023-02-11")
    assert int(ev["date_precision"]) == 1
    assert int(ev["abducted"]) == 75
    assert int(ev["fatalities"]) == 16
    assert ev["actor"] == "Islamic State (IS)"
    assert "truffle hunters" in ev["target"]
    assert bool(ev["civilian_target"])
    assert ev["event_type"] == "Violence against civilians"
    assert _km(ev.geometry, *_place_xy("Tadmur")) < 1.0
    assert ev["status"] == "ok"
    assert ev["sentence"].startswith("On February 11, IS fighters kidnapped about 75")
    assert "At least 16 people" in ev["sentence"]
    assert "released 25" in ev["notes"]


def test_sukhna_attack(truffle: gpd.GeoDataFrame) -> None:
    sukhna = truffle[(truffle["place"] == "Sukhna") & (truffle["date_precision"] == 1)]
    assert len(sukhna) == 1  # "Friday's attack in Sukhna" is merged, not a second event
    ev = sukhna.iloc[0]
    # "Six days later, on Friday": Feb 11 + 6 = Feb 17 2023, which is a Friday
    assert ev["date"] == pd.Timestamp("2023-02-17")
    assert ev["date"].day_name() == "Friday"
    assert int(ev["fatalities"]) == 68
    assert "killed 61 civilians + 7 soldiers" in ev["notes"]
    assert ev["actor"] == "Islamic State (IS)"  # "they" -> the previous event's actor
    assert {"truffle hunters", "soldiers", "civilians"} <= set(ev["target"].split(", "))
    # "outside the desert town of Sukhna": near rule, within ~10 km of the town
    assert _km(ev.geometry, *_place_xy("As Sukhnah")) < 1.0
    assert int(ev["geo_precision"]) == 2
    assert ev["uncertainty_m"] > 5_000
    assert "Friday’s attack in Sukhna" in ev["sentence"]
    assert ev["status"] == "ok"


def test_other_truffle_article_events(truffle: gpd.GeoDataFrame) -> None:
    haskeh = truffle[truffle["place"] == "Haskeh"].iloc[0]
    assert haskeh["date"] == pd.Timestamp("2022-01-01")
    assert haskeh["date_end"] == pd.Timestamp("2022-01-31")
    assert int(haskeh["date_precision"]) == 3
    assert int(haskeh["fatalities"]) == 500
    raqqa = truffle[truffle["place"] == "Raqqa"].iloc[0]
    assert raqqa["date"] == pd.Timestamp("2022-12-01")  # "in December", before Feb 2023
    assert (raqqa["actor"], raqqa["actor2"]) == ("Islamic State (IS)", "SDF")
    twelve = truffle[truffle["fatalities"] == 12].iloc[0]
    assert twelve["status"] == "warning"
    assert "place_inferred" in twelve["reason"]
    feb10 = truffle[truffle["date"] == pd.Timestamp("2023-02-10")].iloc[0]
    assert feb10["actor"] == "US-led coalition"
    assert feb10["status"] == "invalid"
    # the earthquake's 46,000 dead are not an attack
    assert not truffle["sentence"].str.contains("earthquake").any()
    assert not (truffle["fatalities"] == 46000).any()


def test_bus_attack_2024(uptick: gpd.GeoDataFrame) -> None:
    bus = uptick[uptick["target"].fillna("").str.contains("bus")]
    assert len(bus) == 1
    ev = bus.iloc[0]
    assert int(ev["fatalities"]) == 22
    assert (ev["actor"], ev["actor2"]) == ("Islamic State (IS)", "al-Quds Brigade")
    # no place is named; "recent" -> the 30 days before publication
    assert ev["status"] == "invalid"
    assert ev["reason"].startswith("no_place")
    assert ev["date"] == pd.Timestamp("2024-04-20")
    assert ev["date_end"] == pd.Timestamp("2024-05-20")
    # generic statements ("attacks ... originate from the Tabqa farms") are not events
    assert len(uptick) == 1


def test_no_published_date_leaves_relative_dates_open() -> None:
    ev = events_from_text(
        "On February 11, IS fighters kidnapped about 75 truffle hunters from the town of Palmyra."
    )
    assert pd.isna(ev["date"].iloc[0])
    assert ev["status"].iloc[0] == "invalid"
    ev = events_from_text(
        "On 11 Feb 2023, IS fighters killed 3 shepherds in Palmyra. Two days "
        "later, IS militants killed 4 soldiers in Palmyra."
    )
    assert ev["date"].tolist() == [pd.Timestamp("2023-02-11"), pd.Timestamp("2023-02-13")]


@pytest.mark.parametrize(
    ("text", "published", "date", "precision"),
    [
        (
            "Yesterday, IS gunmen ambushed a bus in Sukhna, killing 22.",
            "2024-04-10",
            "2024-04-09",
            1,
        ),
        (
            "In August 2023, IS militants killed 2 soldiers in Palmyra.",
            "2024-01-01",
            "2023-08-01",
            3,
        ),
        (
            "On Friday, IS fighters attacked a checkpoint in Palmyra, killing three.",
            "2023-02-20",
            "2023-02-17",
            1,
        ),
        (
            "Last week, Russian air strikes killed 12 IS fighters in the desert of Deir ez-Zor.",
            "2023-02-20",
            "2023-02-13",
            2,
        ),
        (
            "Earlier this month, IS fighters killed four shepherds in Palmyra.",
            "2023-02-20",
            "2023-02-01",
            3,
        ),
        (
            "On 3 March, IS fighters killed four shepherds in Palmyra.",
            "2023-02-20",
            "2022-03-03",
            1,
        ),
    ],
)
def test_dates(text: str, published: str, date: str, precision: int) -> None:
    ev = events_from_text(text, published=published)
    assert len(ev) == 1
    assert ev["date"].iloc[0] == pd.Timestamp(date)
    assert int(ev["date_precision"].iloc[0]) == precision


def test_inconsistent_weekday_is_flagged() -> None:
    ev = events_from_text(
        "On February 11, IS killed 3 people in Palmyra. Two days later, on "
        "Friday, IS fighters killed 5 soldiers in Palmyra.",
        published="2023-02-20",
    )
    second = ev.iloc[1]
    assert second["date"] == pd.Timestamp("2023-02-13")
    assert second["status"] == "warning"
    assert "date_inconsistent" in second["reason"]


@pytest.mark.parametrize(
    ("text", "killed", "abducted"),
    [
        ("On 1 May 2023, IS fighters attacked Palmyra, killing 22.", 22, None),
        (
            "On 1 May 2023, IS attacked a checkpoint in Palmyra. At least 61 civilians and seven "
            "soldiers were killed.",
            68,
            None,
        ),
        ("On 1 May 2023, IS fighters kidnapped about 75 truffle hunters in Palmyra.", None, 75),
        (
            "On 1 May 2023, an IS attack on a bus in Palmyra resulted in the martyrdom of "
            "twenty-two members of the al-Quds Brigade.",
            22,
            None,
        ),
        ("On 1 May 2023, IS fighters killed Twelve soldiers in Palmyra.", 12, None),
    ],
)
def test_counts(text: str, killed: int | None, abducted: int | None) -> None:
    ev = events_from_text(text).iloc[0]
    assert (None if pd.isna(ev["fatalities"]) else int(ev["fatalities"])) == killed
    assert (None if pd.isna(ev["abducted"]) else int(ev["abducted"])) == abducted


def test_number_words() -> None:
    assert [
        _number(w) for w in ("seven", "twenty-two", "Twelve", "3,000", "two hundred", "sixty one")
    ] == [7, 22, 12, 3000, 200, 61]


def test_actor_and_passive_voice() -> None:
    ev = events_from_text(
        "On 1 May 2023, a senior IS commander was killed in a US strike in Palmyra."
    ).iloc[0]
    assert ev["actor"] == "US-led coalition"
    assert ev["actor2"] == "Islamic State (IS)"
    ev = events_from_text(
        "On 1 May 2023, Syrian army soldiers and Daesh fighters clashed "
        "near Palmyra, leaving 5 dead."
    ).iloc[0]
    assert ev["actor"] == "Syrian government forces"
    assert ev["actor2"] == "Islamic State (IS)"
    assert int(ev["fatalities"]) == 5


def test_arabic_place_name() -> None:
    ev = events_from_text("On 3 March 2023, IS fighters killed four shepherds near تدمر.")
    assert len(ev) == 1
    assert _km(ev.geometry.iloc[0], *_place_xy("Tadmur")) < 1.0
    assert ev["place"].iloc[0] == "تدمر"


def test_no_events_in_plain_text() -> None:
    ev = events_from_text("Truffles are a seasonal delicacy sold at a premium in Palmyra.")
    assert len(ev) == 0
    assert list(ev.columns)[: len(EVENT_COLUMNS)] == list(EVENT_COLUMNS)


def test_shipped_seed_events_match_the_articles() -> None:
    seed = datasets.load("seed_events")
    palmyra = seed[seed["place"] == "Palmyra"].iloc[0]
    assert palmyra["date"] == pd.Timestamp("2023-02-11")
    assert int(palmyra["fatalities"]) == 16
    sukhna = seed[(seed["place"] == "Sukhna") & (seed["date"] == pd.Timestamp("2023-02-17"))]
    assert int(sukhna["fatalities"].iloc[0]) == 68
    assert seed["source"].str.contains("truffle hunters").sum() == (
        seed["event_id"].str.startswith("article_truffle").sum()
    )
