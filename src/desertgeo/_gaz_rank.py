"""Ranking gazetteer candidates by context, ambiguity, and the :class:`~desertgeo._place.Place`
that a lookup returns.

Candidates are ranked by: whether they satisfy the caller's context (``country``,
``admin1`` governorate, ``bbox``, ``near`` point; by default the study area); then exact and
normalised matches before fuzzy ones; among exact / normalised matches by *importance* plus
``5 × similarity / 100`` (similarity: ``fuzz.ratio`` of the fuzzy keys of the query and of
the spelling it matched, 100 for an exact match); among fuzzy matches by score, then
importance. With ``near`` the distance in km / 50 is subtracted from the importance.
A name is *ambiguous* when the two best candidates are of the same class, lie more than
10 km apart and their ranking values differ by less than 1.

Examples
--------
>>> import shapely
>>> bool(shapely.contains_xy(study_area(), 38.28, 34.56))  # Palmyra
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from desertgeo._gaz_index import CLOSE_SIMILARITY, NameIndex, keys_of, similarity
from desertgeo._gaz_sources import SYRIA_BONUS
from desertgeo._geodesy import GEOD, from_metric, to_metric
from desertgeo._place import Place
from desertgeo.names import fuzzy_key

__all__ = [
    "AMBIGUOUS_KM",
    "BIG_CITY_IMPORTANCE",
    "STRONG_FUZZY",
    "WEAK_SIMILARITY",
    "Candidate",
    "Ranker",
    "match_facts",
    "study_area",
]

SIMILARITY_WEIGHT = 5.0
#: the default context: Syria and the land within this distance of its border
STUDY_AREA_BUFFER_KM = 50.0
#: bounding box used as the study area when no country polygons are available
STUDY_AREA_BBOX = (35.0, 31.8, 43.0, 37.9)
#: importance of a city of 300,000 people outside Syria (log10 of the population)
BIG_CITY_IMPORTANCE = math.log10(300_000)
AMBIGUOUS_KM = 10.0
#: a fuzzy match scoring below this is a weak spelling match (status ``ambiguous``)
STRONG_FUZZY = 90.0
#: a normalised match whose spelling similarity is below this is weak (``ambiguous``)
WEAK_SIMILARITY = 80.0
#: a tie goes to a candidate whose own name is like the query (at least OWN_NAME_LIKE)
#: over one whose own name is unlike it (below OWN_NAME_UNLIKE), matched only through an
#: alternate name
OWN_NAME_UNLIKE = 60.0
OWN_NAME_LIKE = 85.0
_STUDY_AREA_TEXT = "the study area (Syria and a 50 km borderland)"

# ---------------------------------------------------------------------- study area
_AREA_CACHE: dict[int, Any] = {}


def clear_area_cache() -> None:
    """Forget the study-area polygons built so far."""
    _AREA_CACHE.clear()


def _utm_buffer(syria: Any, km: float) -> Any:
    """``syria`` buffered by ``km`` in the metric CRS (UTM 37N), back in degrees."""
    import shapely

    utm = shapely.transform(syria, lambda c: np.column_stack(to_metric(c[:, 0], c[:, 1])))
    buf = utm.simplify(500.0).buffer(km * 1000.0, quad_segs=4)
    return shapely.transform(buf, lambda c: np.column_stack(from_metric(c[:, 0], c[:, 1])))


def study_area(countries: Any = None) -> Any:
    """The study area polygon (EPSG:4326): Syria buffered by 50 km, geodesically sound.

    Built from the shipped ``countries`` dataset (or the ``countries`` frame given), in UTM
    37N, with the borderland governorates where the Badia's attacks continue (Iraq's Anbar
    and Nineveh, Jordan's Mafraq; approximate boxes cut by the country polygons); a
    bounding box when no Syria polygon is available.

    Examples
    --------
    >>> from desertgeo.gazetteer import study_area
    >>> area = study_area()
    >>> area.contains(__import__("shapely").Point(38.28, 34.56))  # Palmyra
    True
    """
    key = id(countries)
    hit = _AREA_CACHE.get(key)
    if hit is not None:
        return hit
    import shapely
    from shapely.geometry import box

    if countries is None:
        from desertgeo import datasets

        countries = datasets.load("countries") if "countries" in datasets.available() else None
    syria = None
    if countries is not None and "country" in countries.columns:
        rows = countries[countries["country"] == "SY"]
        if len(rows):
            syria = shapely.union_all(rows.geometry.to_numpy())
    if syria is None:
        area = box(*STUDY_AREA_BBOX)
    else:
        area = _utm_buffer(syria, STUDY_AREA_BUFFER_KM)
        for code, cut in (
            ("IQ", box(38.0, 31.0, 44.2, 37.5)),
            ("JO", box(36.25, 31.5, 39.5, 33.5)),
        ):
            rows = countries[countries["country"] == code]
            if len(rows):
                area = area.union(shapely.union_all(rows.geometry.to_numpy()).intersection(cut))
    shapely.prepare(area)
    _AREA_CACHE[key] = area
    return area


# ---------------------------------------------------------------------- candidates
@dataclass(frozen=True)
class Candidate:
    """One gazetteer entry that matches a query, with how it matched."""

    entry: int
    score: float
    layer: str
    matched: str
    context: bool
    rank_key: tuple[float, ...]


@dataclass(frozen=True)
class Context:
    """What the caller asked for: the context a candidate should satisfy."""

    country: str | Sequence[str] | None = None
    admin1: str | None = None
    bbox: Sequence[float] | None = None
    near: Sequence[float] | None = None
    near_km: float = 100.0

    @property
    def explicit(self) -> bool:
        """Whether any context was given (else the study area is the context)."""
        return any(v is not None for v in (self.country, self.admin1, self.bbox, self.near))


class Ranker:
    """Ranks the raw matches of a :class:`~desertgeo._gaz_index.NameIndex` by context.

    Parameters
    ----------
    table : pandas.DataFrame
        The gazetteer entries (``lon``, ``lat``, ``importance``, ``country``, ``admin1``,
        ``names``, ``name``, ``place_id``).
    index : NameIndex
        The name index over those entries.
    canonical_admin1 : callable
        Maps a governorate name in any spelling to its normalised canonical key.
    in_study_area : callable
        Returns the study-area flag of every entry.
    """

    def __init__(
        self,
        table: Any,
        index: NameIndex,
        canonical_admin1: Callable[[str], str],
        in_study_area: Callable[[], np.ndarray],
    ) -> None:
        self.table = table
        self.index = index
        self.canonical_admin1 = canonical_admin1
        self.in_study_area = in_study_area
        self.lon = table["lon"].to_numpy(dtype="float64")
        self.lat = table["lat"].to_numpy(dtype="float64")
        self.importance = table["importance"].to_numpy(dtype="float64")
        self.country = table["country"].astype(str).to_numpy()
        admin1 = table["admin1"].astype(str).tolist()
        keys = {a: keys_of(a)[2] for a in set(admin1)}
        self.admin1_key = np.array([keys[a] for a in admin1])
        self._names = table["names"].to_numpy()
        self._name = table["name"].astype(str).to_numpy()
        self._label = (
            table["name"].astype(str) + " (" + table["place_id"].astype(str) + ")"
        ).to_numpy()

    def names_of(self, entry: int) -> Sequence[str]:
        """The spellings of an entry."""
        names: Sequence[str] = self._names[entry]
        return names

    def matched_name(self, entry: int, layer: str, key: str) -> str:
        """The spelling of ``entry`` that ``key`` matched in ``layer``."""
        return self.index.matched_name(entry, layer, key, self.names_of(entry))

    def context_mask(self, idx: np.ndarray, ctx: Context) -> tuple[np.ndarray, np.ndarray]:
        """(whether each entry satisfies the context, distance in km to ``near`` or NaN)."""
        ok = np.ones(len(idx), dtype=bool)
        dist_km = np.full(len(idx), np.nan)
        if ctx.country:
            c = ctx.country
            wanted = {c.upper()} if isinstance(c, str) else {x.upper() for x in c}
            ok &= np.isin(self.country[idx], list(wanted))
        if ctx.admin1:
            ok &= self.admin1_key[idx] == self.canonical_admin1(ctx.admin1)
        if ctx.bbox is not None:
            minx, miny, maxx, maxy = ctx.bbox
            lon, lat = self.lon[idx], self.lat[idx]
            ok &= (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy)
        if ctx.near is not None:
            lon0, lat0 = float(ctx.near[0]), float(ctx.near[1])
            _, _, d = GEOD.inv(
                np.full(len(idx), lon0), np.full(len(idx), lat0), self.lon[idx], self.lat[idx]
            )
            dist_km = np.asarray(d, dtype="float64") / 1000.0
            ok &= dist_km <= ctx.near_km
        return ok, dist_km

    def _default_context(
        self, raw: list[tuple[int, float, str, str]], sims: list[float], idx: np.ndarray
    ) -> np.ndarray:
        """The study area; a city of 300,000+ people elsewhere counts when named closely
        (``sims``: the spelling similarity of each raw match, 100 for an exact one)."""
        close = [
            layer == "exact" or (layer == "normalised" and sim >= CLOSE_SIMILARITY)
            for (_, _, layer, _), sim in zip(raw, sims, strict=True)
        ]
        big = (self.importance[idx] >= BIG_CITY_IMPORTANCE) & np.array(close)
        flags: np.ndarray = self.in_study_area()[idx] | big
        return flags

    def rank(
        self, name: str, threshold: float, ctx: Context, limit: int
    ) -> list[tuple[Candidate, float]]:
        """The best ``limit`` candidates of ``name`` with their distance to ``near``.

        Each matched spelling and its similarity are found once; the candidates are sorted
        by their rank keys (a stable sort, best first) and only the best ``limit`` made.
        """
        if not isinstance(name, str) or not name.strip():
            return []
        raw = self.index.raw_matches(name, threshold, max(limit, 5) * 3, self.names_of)
        if not raw:
            return []
        idx = np.array([r[0] for r in raw], dtype="int64")
        has_norm = any(r[2] == "normalised" for r in raw)
        matched = [self.matched_name(entry, layer, key) for entry, _, layer, key in raw]
        # exact and normalised matches: importance plus how close the spelling is to the
        # variant it matched (the normalised key is lossy: Busaira / Basra); fuzzy matches
        # that compete with loose normalised ones rank the same way
        sims = [
            100.0
            if layer == "exact"
            else similarity(name, m)
            if layer == "normalised" or has_norm
            else math.nan
            for (_, _, layer, _), m in zip(raw, matched, strict=True)
        ]
        if ctx.explicit:
            ok, dist = self.context_mask(idx, ctx)
        else:
            ok, dist = self._default_context(raw, sims, idx), np.full(len(idx), np.nan)
        importance = self.importance[idx].copy()
        if ctx.near is not None:
            importance = importance - np.nan_to_num(dist, nan=0.0) / 50.0
        okf, imp = ok.astype("float64").tolist(), importance.tolist()
        keys: list[tuple[float, ...]] = []
        for i, (_, score, layer, _) in enumerate(raw):
            if layer == "fuzzy" and not has_norm:
                keys.append((okf[i], 0.0, score, imp[i]))
            else:
                keys.append((okf[i], 1.0, imp[i] + SIMILARITY_WEIGHT * sims[i] / 100.0, imp[i]))
        order = sorted(range(len(raw)), key=keys.__getitem__, reverse=True)[:limit]
        order = self._own_name_first(name, order, keys, [r[0] for r in raw])
        return [
            (Candidate(raw[i][0], raw[i][1], raw[i][2], matched[i], bool(ok[i]), keys[i]), dist[i])
            for i in order
        ]

    def _own_name_first(
        self, name: str, order: list[int], keys: list[tuple[float, ...]], entries: list[int]
    ) -> list[int]:
        """Among the candidates tied with the first (same rank key), the ones whose own
        name is the query's spelling first: "Baghouz" is the village named Baghuz before
        Kasan, whose alternate names include a Baghuz (only the order of a tie changes, and
        only when the first's own name is unlike the query, below OWN_NAME_UNLIKE, and
        another's is like it, OWN_NAME_LIKE: the rule the geocoder applies in a context,
        _Resolver._ordered, with the same two bounds)."""
        tied = [i for i in order if keys[i] == keys[order[0]]]
        if len(tied) < 2 or not name.isascii():
            return order  # (an Arabic query: some rows' own names are Arabic duplicates)
        own = {i: similarity(name, str(self._name[entries[i]])) for i in tied}
        best = max(tied, key=lambda i: own[i])
        if own[tied[0]] >= OWN_NAME_UNLIKE or own[best] < OWN_NAME_LIKE:
            return order  # the first is not unlike its own name, or none is like the query
        return [best] + [i for i in order if i != best]

    def ambiguity(
        self, ranked: list[tuple[Candidate, float]], *, explicit: bool = False
    ) -> tuple[bool, list[str]]:
        """(whether the best is ambiguous, ``"name (place_id)"`` of the other candidates).

        Without an explicit context, a Syrian best is also ambiguous when a place of the
        same spelling across the border is at least as big (its importance without the
        Syria bonus): "Sinjar" is a village in Idlib and a town of 38,000 in Nineveh."""
        top = ranked[0][0]
        alts = []
        ambiguous = False
        for cand, _ in ranked[1:]:
            if not explicit and self._rival_abroad(top, cand):
                alts.append(str(self._label[cand.entry]))
                ambiguous = True
                continue
            if cand.rank_key[:2] != top.rank_key[:2]:
                continue
            _, _, d = GEOD.inv(
                self.lon[top.entry], self.lat[top.entry],
                self.lon[cand.entry], self.lat[cand.entry],
            )  # fmt: skip
            if d / 1000.0 <= AMBIGUOUS_KM:
                continue
            alts.append(str(self._label[cand.entry]))
            if top.rank_key[2] - cand.rank_key[2] < 1.0:
                ambiguous = True
        return ambiguous, alts

    def _rival_abroad(self, top: Candidate, cand: Candidate) -> bool:
        """Whether ``cand`` is a place of the borderland (the study area outside Syria) spelt
        as ``top`` (exactly, or normalised as closely) and at least as big as the Syrian
        ``top``."""
        if self.country[top.entry] != "SY" or self.country[cand.entry] in ("SY", ""):
            return False
        if not self.in_study_area()[cand.entry]:
            return False  # Jordan's Dhiban by Madaba is no rival of Dhiban on the Euphrates
        if top.rank_key[1] != 1.0 or cand.rank_key[1] != 1.0:
            return False  # a typo match on either side
        if cand.layer != "exact" and cand.layer != top.layer:
            return False
        bare = self.importance[top.entry] - SYRIA_BONUS
        return bool(self.importance[cand.entry] >= bare - 1e-6)


# ---------------------------------------------------------------------- the place
class _MatchedPlace(Place):
    """A :class:`Place` made by a gazetteer lookup, with the facts of the match.

    It *is* a Place (the same fields, frozen); the match facts a Place has no field for
    (``layer``, ``matched``, ``similarity``, ``population``, ``distance_km``,
    ``n_in_context``) are read with :func:`match_facts`. ``place["key"]`` reads a field or
    a fact, for the callers written against the dict that :meth:`Gazetteer.best` returned
    before it returned a Place. A place made from it with :meth:`Place.derive` keeps the
    fields and drops the facts.
    """

    _facts: dict[str, Any]

    def __repr__(self) -> str:
        return "Place" + Place.__repr__(self)[len(type(self).__qualname__) :]

    def __getitem__(self, key: str) -> Any:
        facts = getattr(self, "_facts", {})
        if key in facts:
            return facts[key]
        if key in Place.__dataclass_fields__:
            return getattr(self, key)
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:
        """``place[key]``, or ``default`` when neither a field nor a fact."""
        try:
            return self[key]
        except KeyError:
            return default


def match_facts(place: Place) -> dict[str, Any]:
    """The match facts of a place a gazetteer lookup returned (``{}`` for any other).

    Keys: ``layer`` (exact / normalised / fuzzy), ``matched`` (the spelling matched),
    ``similarity`` (0-100), ``loose`` (a normalised match whose spelling is not close),
    ``context`` (bool), ``ambiguous`` (homonyms), ``alternatives``, ``population``,
    ``importance``, ``distance_km``, ``n_in_context``.
    """
    facts: dict[str, Any] = dict(getattr(place, "_facts", {}))
    return facts


def _notes(facts: dict[str, Any], explicit: bool) -> tuple[str, list[str]]:
    """(status, notes) of a match: out of context, weak spelling, homonyms."""
    name, pid, country = facts["name"], facts["place_id"], facts["country"]
    if not facts["context"]:
        where = "the requested context" if explicit else _STUDY_AREA_TEXT
        return "out_of_context", [
            f"the only match, {name} ({pid}, {country}), lies outside {where}; "
            "pass country= or near= to accept it"
        ]
    status, notes = "ok", []
    layer, score, sim = facts["layer"], float(facts["score"]), float(facts["similarity"])
    if layer == "fuzzy":
        notes.append(f"fuzzy match of {facts['matched']!r} (score {score:.0f})")
        if score < STRONG_FUZZY:
            status = "ambiguous"
            notes.append(f"weak spelling match (score {score:.0f})")
        elif _first_letters_differ(str(facts.get("query") or ""), str(facts["matched"])):
            # typos seldom touch a name's first letter: "Akashat" is not Qashat
            status = "ambiguous"
            notes.append("the first letter differs: another name, maybe")
    elif layer == "normalised" and sim < WEAK_SIMILARITY:
        status = "ambiguous"
        notes.append(f"weak spelling match: {facts['matched']!r} (similarity {sim:.0f})")
    if facts["ambiguous"]:
        status = "ambiguous"
        notes.append("other places of that name: " + "; ".join(facts["alternatives"]))
    return status, notes


def _first_letters_differ(query: str, matched: str) -> bool:
    """Whether the typo keys of ``query`` and ``matched`` begin differently (False when
    either is empty or Arabic)."""
    a, b = fuzzy_key(query), fuzzy_key(matched)
    return bool(a and b and a.isascii() and b.isascii() and a[0] != b[0])


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def make_place(facts: dict[str, Any], *, explicit: bool) -> Place:
    """The :class:`Place` of a gazetteer match (``facts``: the entry row and the match).

    Status: ``out_of_context`` when no candidate satisfies the context (explicit, or the
    study area by default); ``ambiguous`` for a weak spelling match (fuzzy score < 90,
    normalised similarity < 80) or homonyms far apart; else ``ok``. ``rule`` is the match
    layer, ``reason`` the notes joined with ``"; "``, ``candidates`` the homonyms.
    """
    status, notes = _notes(facts, explicit)
    place = _MatchedPlace(
        name=str(facts["name"]),
        place_id=str(facts["place_id"]),
        feature_type=str(facts["feature_type"]),
        country=str(facts["country"]),
        admin1=_text(facts.get("admin1")),
        admin2=_text(facts.get("admin2")),
        admin3=_text(facts.get("admin3")),
        lon=float(facts["lon"]),
        lat=float(facts["lat"]),
        score=float(facts["score"]),
        rule=str(facts["layer"]),
        uncertainty_m=float(facts["uncertainty_m"]),
        status=status,
        reason="; ".join(notes),
        candidates=tuple(facts.get("alternatives") or ()) if status != "ok" else (),
    )
    facts = dict(facts)
    facts["loose"] = (
        facts["layer"] == "normalised" and float(facts["similarity"]) < CLOSE_SIMILARITY
    )
    object.__setattr__(place, "_facts", facts)
    return place
