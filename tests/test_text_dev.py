"""Evaluation of events_from_text on the hand-coded development set (tests/data/text_dev)
and on the held-out set (tests/data/text_heldout, written before any tuning on it).

42 short reports written for this project in the structures of wire and monitor reporting
(AP, AFP, Reuters, Xinhua, SOHR, Rudaw, North Press, Shafaq, The New Arab, Arabic
monitors); facts (dates, places, tolls) from the public reports listed in
``reports.csv``; the events coded by hand in ``gold.csv``.

A gold event is found when one extracted event (each used once) has

* the date: the gold day inside the event's range (a range of at most a day for a
  day-precise gold event; overlapping ranges for week/month gold events);
* the place: within 25 km of the gold point (``point``), or in the gold governorate
  (``admin1``), or anything (``none``: the report names no place finer than the desert);
* the fatalities: equal (a gold 0 also matches "no figure"); and the abducted figure
  when the gold event has one.

Every other extracted event is a false event. Run ``python tests/test_text_dev.py``
(``--heldout`` for the held-out set) for the table per structure and the misses.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from desertgeo._geodesy import GEOD
from desertgeo.text import events_from_text

DEV = Path(__file__).resolve().parent / "data" / "text_dev"
#: reports written before any tuning on them (tests/data/text_heldout/README.md)
HELDOUT = Path(__file__).resolve().parent / "data" / "text_heldout"
RADIUS_KM = 25.0
MIN_RECALL = 0.85
MAX_FALSE = 0.15


@dataclass
class Score:
    """Counts for one group of reports."""

    gold: int = 0
    found: int = 0
    matched: int = 0
    extracted: int = 0
    false: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def false_rate(self) -> float:
        return self.false / self.extracted if self.extracted else 0.0


def _day(value: object) -> pd.Timestamp | None:
    return None if pd.isna(value) else pd.Timestamp(value).normalize()  # type: ignore[arg-type]


def _date_ok(gold: pd.Series, ev: pd.Series) -> tuple[bool, str]:
    g0 = _day(gold["date"])
    g1 = _day(gold["date_end"]) or g0
    e0 = _day(ev["date"])
    if e0 is None or g0 is None or g1 is None:
        return False, "no date"
    e1 = _day(ev["date_end"]) or e0
    # a day: the event must be a day (or a night) that holds it; a range: overlap
    day = (e1 - e0).days <= 1 and e0 <= g0 <= e1
    return (day if g0 == g1 else e0 <= g1 and g0 <= e1), f"date {e0.date()}..{e1.date()}"


def _place_ok(gold: pd.Series, ev: pd.Series) -> tuple[bool, str]:
    kind = gold["place_kind"]
    if kind == "none":
        return True, ""
    geom = ev.geometry
    if geom is None or geom.is_empty:
        return False, "no place"
    km = float("inf")
    if not pd.isna(gold["lat"]):
        _a, _b, metres = GEOD.inv(geom.x, geom.y, float(gold["lon"]), float(gold["lat"]))
        km = float(metres) / 1000.0
    if km <= RADIUS_KM:
        return True, ""
    if kind == "admin1" and not pd.isna(ev["admin1"]) and ev["admin1"] == gold["admin1"]:
        return True, ""
    return False, f"place {ev['place']!r} {km:.0f} km"


def _figure(value: object) -> int | None:
    return None if pd.isna(value) else int(value)  # type: ignore[call-overload]


def _count_ok(gold: pd.Series, ev: pd.Series) -> tuple[bool, str]:
    want, got = _figure(gold["fatalities"]), _figure(ev["fatalities"])
    ok = want == got or (want == 0 and got is None)
    if not pd.isna(gold["abducted"]):
        ok = ok and _figure(ev["abducted"]) == int(gold["abducted"])
    return ok, f"fatalities {got}"


def _match(gold: pd.Series, ev: pd.Series) -> tuple[bool, list[str]]:
    checks = [_date_ok(gold, ev), _place_ok(gold, ev), _count_ok(gold, ev)]
    return all(ok for ok, _w in checks), [why for ok, why in checks if not ok]


def extract(report: str, published: str, folder: Path = DEV) -> gpd.GeoDataFrame:
    """events_from_text on one report of the development (or held-out) set."""
    text = (folder / "reports" / f"{report}.txt").read_text(encoding="utf-8")
    return events_from_text(text, published=published, source=report)


def evaluate(folder: Path = DEV) -> dict[str, Score]:
    """Scores overall ("all") and per structure tag."""
    reports = pd.read_csv(folder / "reports.csv", dtype=str)
    gold = pd.read_csv(folder / "gold.csv", dtype={"report": str})
    scores: dict[str, Score] = {"all": Score()}
    for _, rep in reports.iterrows():
        found = extract(rep["report"], rep["published"], folder)
        expected = gold[gold["report"] == rep["report"]]
        used: set[int] = set()
        misses: list[str] = []
        for _, g in expected.iterrows():
            hit, why = None, ["no event"]
            for i in range(len(found)):
                if i in used:
                    continue
                ok, reasons = _match(g, found.iloc[i])
                if ok:
                    hit = i
                    break
                if len(reasons) < len(why) or why == ["no event"]:
                    why = reasons
            if hit is None:
                misses.append(f"{rep['report']} #{g['event']}: {', '.join(why)}")
            else:
                used.add(hit)
        tags = ["all", *str(rep["structures"]).split(";")]
        for tag in tags:
            s = scores.setdefault(tag, Score())
            s.gold += len(expected)
            s.matched += len(expected) - len(misses)
            s.extracted += len(found)
            s.false += len(found) - len(used)
            s.misses.extend(misses)
            if len(found) > len(used) and tag == "all":
                extra = [found.iloc[i] for i in range(len(found)) if i not in used]
                s.misses.extend(
                    f"{rep['report']} FALSE: {e['date']} {e['place']} {e['fatalities']}"
                    for e in extra
                )
    return scores


@pytest.fixture(scope="module")
def scores() -> dict[str, Score]:
    return evaluate()


def test_development_set_is_complete() -> None:
    reports = pd.read_csv(DEV / "reports.csv", dtype=str)
    gold = pd.read_csv(DEV / "gold.csv", dtype={"report": str})
    assert len(reports) >= 40
    assert set(gold["report"]) <= set(reports["report"])
    for name in reports["report"]:
        assert (DEV / "reports" / f"{name}.txt").is_file(), name
    assert gold["place_kind"].isin(["point", "admin1", "none"]).all()


def test_events_found(scores: dict[str, Score]) -> None:
    s = scores["all"]
    assert s.recall >= MIN_RECALL, "\n".join(s.misses)


def test_false_events(scores: dict[str, Score]) -> None:
    s = scores["all"]
    assert s.false_rate <= MAX_FALSE, "\n".join(s.misses)


def test_arabic_reports_give_events(scores: dict[str, Score]) -> None:
    assert scores["arabic"].recall >= 0.8, "\n".join(scores["arabic"].misses)


def test_no_event_reports_give_nothing() -> None:
    reports = pd.read_csv(DEV / "reports.csv", dtype=str)
    quiet = reports[reports["structures"].str.contains("no_event")]
    assert len(quiet) >= 2
    for _, rep in quiet.iterrows():
        assert len(extract(rep["report"], rep["published"])) == 0, rep["report"]


@pytest.fixture(scope="module")
def heldout() -> dict[str, Score]:
    return evaluate(HELDOUT)


def test_heldout_set_is_complete() -> None:
    reports = pd.read_csv(HELDOUT / "reports.csv", dtype=str)
    gold = pd.read_csv(HELDOUT / "gold.csv", dtype={"report": str})
    assert len(reports) >= 15
    assert set(gold["report"]) <= set(reports["report"])
    assert not set(reports["report"]) & set(pd.read_csv(DEV / "reports.csv")["report"])
    for name in reports["report"]:
        assert (HELDOUT / "reports" / f"{name}.txt").is_file(), name


def test_heldout_events_found(heldout: dict[str, Score]) -> None:
    """Written before tuning; measured 9/18 found and 11/20 false before the fixes of
    issue 15, 16/18 and 2/18 after (both misses: Kobajeb is not in the gazetteer)."""
    s = heldout["all"]
    assert s.recall >= MIN_RECALL, "\n".join(s.misses)
    assert s.false_rate <= MAX_FALSE, "\n".join(s.misses)


def test_heldout_arabic_reports(heldout: dict[str, Score]) -> None:
    assert heldout["arabic"].gold >= 3
    assert heldout["arabic"].recall >= 0.6, "\n".join(heldout["arabic"].misses)


def main(argv: list[str]) -> int:
    """Print the scores per structure and the misses (``--heldout``: the held-out set)."""
    scores = evaluate(HELDOUT if "--heldout" in argv else DEV)
    print(f"{'structure':24} {'reports gold':>12} {'found':>6} {'recall':>7} {'false':>6}")
    for tag, s in sorted(scores.items(), key=lambda kv: (kv[0] != "all", kv[0])):
        print(
            f"{tag:24} {s.gold:12d} {s.matched:6d} {s.recall:7.0%} {s.false:3d}/{s.extracted:<3d}"
        )
    print("\nmisses and false events:")
    for line in scores["all"].misses:
        print(" ", line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
