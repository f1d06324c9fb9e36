"""The gazetteer index: exact, normalised and fuzzy lookup of place names, user extensions.

A :class:`Gazetteer` holds *entries* (populated places from GeoNames, curated sites, and
whatever a user adds), each with every spelling it is known by (Latin and Arabic script;
names in other scripts are not indexed). Lookups go through three layers, cheapest first:

1. **exact**: :func:`desertgeo.names.fold_name` of the query in a dict (case, diacritics,
   apostrophes and punctuation folded; articles kept). Score 100.
2. **normalised**: :func:`desertgeo.names.normalize_name` (articles dropped,
   transliteration variants and vowels folded). Score 95.
3. **fuzzy**: :func:`desertgeo.names.fuzzy_key` scored with the larger of
   ``rapidfuzz.fuzz.ratio`` and the optimal-string-alignment similarity (a transposition,
   *Palmyar* / *Palmyra*, counts as one edit)
   against the keys that share the query's first letter and can reach the threshold by
   their length, then (when that block finds nothing) against the keys that allow an edit
   of the first letter; candidates at or above the caller's ``threshold`` (0-100) are kept,
   with their ratio (capped at 94) as score.

Candidates are ranked by: whether they satisfy the caller's context (``country``,
``admin1`` governorate, ``bbox``, ``near`` point); then exact and normalised matches before
fuzzy ones; among exact / normalised matches by *importance* plus
``5 × similarity / 100``, where similarity is ``fuzz.ratio`` between the fuzzy keys of the
query and of the spelling it matched (100 for an exact match: the normalised key is lossy,
*Busaira* and *Basra* share one); among fuzzy matches by score, then importance.
*Importance* is ``log10(population + 10)`` for places (a populated place whose GeoNames
population is 0, i.e. unknown, counts as 5,000 people), 5.0 for curated sites (as for a
town of 100,000: a reporter who names "al-Tanf" means the garrison), plus 2.0 for entries
in Syria, the library's focus (a factor of 100 in population); with ``near`` the
distance in km / 50 is subtracted.
A name is *ambiguous* when the two best candidates are of the same class, lie more than
10 km apart and their ranking values differ by less than 1.

The default gazetteer (:meth:`Gazetteer.default`) is built once per process from the
shipped datasets ``places``, ``sites``, ``governorates``, ``roads``, ``borders`` and
``tripoint``. Extend it with :meth:`Gazetteer.add`, :meth:`Gazetteer.add_frame`,
:meth:`Gazetteer.from_csv` or :meth:`Gazetteer.from_geonames`; each returns a new
gazetteer and leaves the one it was called on unchanged.

Examples
--------
>>> from desertgeo.gazetteer import Gazetteer
>>> gaz = Gazetteer.default()
>>> gaz.best("Tadmor")["name"]
'Tadmur'
>>> gaz.best("Deir Ezzor")["place_id"]
'geonames:170794'
>>> gaz.best("Tadmour", threshold=80)["layer"]
'normalised'
>>> gaz.best("Plamyra", threshold=80)["layer"]
'fuzzy'
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from desertgeo._errors import DataError, InputError
from desertgeo.names import fold_name, fuzzy_key, normalize_name, script_of

__all__ = ["Candidate", "Gazetteer", "place_uncertainty_m", "study_area"]

#: Score of a match in each layer (fuzzy matches carry their ratio, capped below this).
LAYER_SCORE = {"exact": 100.0, "normalised": 95.0}
FUZZY_CAP = 94.0
SITE_IMPORTANCE = 5.0
SYRIA_BONUS = 2.0
UNKNOWN_POPULATION = 5000
SIMILARITY_WEIGHT = 5.0
#: a normalised match whose spelling similarity (``fuzz.ratio`` of the fuzzy keys) is at
#: least this is "close"; below it the fuzzy layer is consulted too and the match is weak
CLOSE_SIMILARITY = 90.0
#: the default context: Syria and the land within this distance of its border
STUDY_AREA_BUFFER_KM = 50.0
#: bounding box used as the study area when no country polygons are available
STUDY_AREA_BBOX = (35.0, 31.8, 43.0, 37.9)
#: importance of a city of 300,000 people outside Syria (log10 of the population)
BIG_CITY_IMPORTANCE = math.log10(300_000)
AMBIGUOUS_KM = 10.0
MIN_FUZZY_KEY = 4
#: population assumed for a Who's On First locality without one (mostly hamlets that
#: GeoNames' cities500, which lists every place of 500+ people, does not hold)
WOF_UNKNOWN_POPULATION = 300
#: bump when the rules of :func:`_keys` change (the key cache file name depends on it)
KEY_RULES_VERSION = "1"
#: a sub-district ranks below a town of the same name (the town is what a bare name means)
NAHIYA_IMPORTANCE = 2.0
_GEOD: Any = None

_COLUMNS = [
    "place_id",
    "name",
    "feature_type",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "population",
    "lon",
    "lat",
    "uncertainty_m",
    "source",
]


def _geod() -> Any:
    global _GEOD
    if _GEOD is None:
        from pyproj import Geod

        _GEOD = Geod(ellps="WGS84")
    return _GEOD


def place_uncertainty_m(population: float, feature_type: str = "populated place") -> float:
    """Radius in metres that a bare place name stands for, from the place's population.

    A report that names a town locates the event somewhere in that town: 1.5 km for a
    village (< 10,000 people), 3 km for a town (< 100,000), 8 km for a city (< 1 million),
    15 km for a larger city.

    Examples
    --------
    >>> place_uncertainty_m(51015), place_uncertainty_m(2_500_000)
    (3000.0, 15000.0)
    """
    pop = 0.0 if population is None or math.isnan(float(population)) else float(population)
    if pop >= 1_000_000:
        return 15000.0
    if pop >= 100_000:
        return 8000.0
    if pop >= 10_000:
        return 3000.0
    return 1500.0


@dataclass(frozen=True)
class Candidate:
    """One gazetteer entry that matches a query, with how it matched."""

    entry: int
    score: float
    layer: str
    matched: str
    context: bool
    rank_key: tuple[float, ...]


def _similarity(query: str, matched: str) -> float:
    """``fuzz.ratio`` of the fuzzy keys (vowels kept) of a query and the name it matched."""
    return float(fuzz.ratio(fuzzy_key(query), fuzzy_key(matched)))


def _extract(
    query: str, choices: list[str], threshold: float, limit: int
) -> list[tuple[str, float]]:
    """Best ``choices`` by ``max(fuzz.ratio, OSA similarity)`` (0-100), at or above threshold."""
    if not choices:
        return []
    best: dict[str, float] = {}
    for key, score, _ in process.extract(
        query, choices, scorer=fuzz.ratio, score_cutoff=threshold, limit=limit
    ):
        best[key] = float(score)
    for key, score, _ in process.extract(
        query, choices, scorer=OSA.normalized_similarity, score_cutoff=threshold / 100.0,
        limit=limit,
    ):  # fmt: skip
        best[key] = max(best.get(key, 0.0), 100.0 * float(score))
    return sorted(best.items(), key=lambda kv: -kv[1])[:limit]


def _split_names(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    return [part.strip() for part in str(value).split("|") if part.strip()]


def _is_code(name: str) -> bool:
    """IATA / ICAO-like codes (``PMS``, ``DEZ``) that GeoNames lists as alternate names."""
    return name.isascii() and name.isupper() and len(name) <= 4 and name.isalpha()


def _indexable(name: str) -> bool:
    return _keys(name)[0]


#: name -> (indexable, fold_name, normalize_name, fuzzy_key); filled lazily, persisted
#: between processes by :func:`_load_key_cache` / :func:`_save_key_cache`
_KEYS: dict[str, tuple[bool, str, str, str]] = {}
_KEYS_LOADED = len(_KEYS)


def _keys(name: str) -> tuple[bool, str, str, str]:
    hit = _KEYS.get(name)
    if hit is None:
        ok = bool(name) and not _is_code(name) and script_of(name) != "other"
        hit = (ok, fold_name(name), normalize_name(name), fuzzy_key(name))
        _KEYS[name] = hit
    return hit


def _key_cache_file() -> Path | None:
    """Where the match keys of the shipped names are kept between processes.

    ``$DESERTGEO_CACHE_DIR`` (``off`` turns the cache off), else ``$XDG_CACHE_HOME`` or
    ``~/.cache``, then ``desertgeo/``. The file name carries a hash of the normalisation
    code, so a changed :mod:`desertgeo.names` never reads stale keys.
    """
    import hashlib
    import os

    from desertgeo import names as names_module

    where = os.environ.get("DESERTGEO_CACHE_DIR", "")
    if where.lower() == "off":
        return None
    base = Path(where) if where else Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    ) / "desertgeo"  # fmt: skip
    code = Path(names_module.__file__).read_bytes() + KEY_RULES_VERSION.encode()
    return base / f"name_keys-{hashlib.sha256(code).hexdigest()[:16]}.json"


def _load_key_cache() -> None:
    global _KEYS_LOADED
    import json

    file = _key_cache_file()
    if file is None or not file.is_file():
        return
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        for name, (ok, a, b, c) in data.items():
            _KEYS.setdefault(str(name), (bool(ok), str(a), str(b), str(c)))
    except (OSError, ValueError, TypeError):
        return  # a damaged cache is rebuilt
    _KEYS_LOADED = len(_KEYS)


def _save_key_cache() -> None:
    import json

    from desertgeo._atomic import atomic_write_text

    file = _key_cache_file()
    if file is None or len(_KEYS) <= _KEYS_LOADED:
        return
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(file, json.dumps(_KEYS, ensure_ascii=False))
    except OSError:
        return  # a read-only home: build the keys each time


class Gazetteer:
    """An index of place names: exact, normalised and fuzzy lookup with context bias.

    Parameters
    ----------
    entries : pandas.DataFrame
        One row per place with columns ``place_id``, ``name``, ``lon``, ``lat`` and
        optionally ``names`` (list of every spelling), ``feature_type``, ``country``
        (ISO 3166-1 alpha-2), ``admin1`` (governorate), ``population``, ``uncertainty_m``,
        ``importance``, ``source``. Use :meth:`default`, :meth:`from_csv` or
        :meth:`add_frame` rather than building this frame by hand.
    governorates, roads, borders, tripoint, countries : geopandas.GeoDataFrame, optional
        Area layers used by :func:`desertgeo.geocoder.geocode` for descriptive locations
        (``the Homs desert``, ``along the Damascus-Baghdad highway``, ``the Syria-Iraq
        border``, ``the tri-border area``); the shipped ones in :meth:`default`.

    Examples
    --------
    >>> import pandas as pd
    >>> from desertgeo.gazetteer import Gazetteer
    >>> mine = Gazetteer(pd.DataFrame({"place_id": ["me:1"], "name": ["Bir Tarfawi"],
    ...                                "lon": [38.9], "lat": [34.1]}))
    >>> mine.best("Bir Tarfaoui")["place_id"]
    'me:1'
    """

    def __init__(
        self,
        entries: pd.DataFrame,
        *,
        governorates: Any = None,
        roads: Any = None,
        borders: Any = None,
        tripoint: Any = None,
        countries: Any = None,
    ) -> None:
        self.countries = countries
        self.governorates = governorates
        self.roads = roads
        self.borders = borders
        self.tripoint = tripoint
        self._table = pd.DataFrame(columns=[*_COLUMNS, "importance", "names"])
        self._exact: dict[str, list[int]] = {}
        self._norm: dict[str, list[int]] = {}
        self._fuzzy_owner: dict[str, list[int]] = {}
        self._fuzzy_matched: dict[tuple[str, int], str] = {}
        self._blocks: dict[str, list[str]] | None = None
        self._all_fuzzy: list[str] | None = None
        self._lengths: dict[tuple[str, int], list[str]] | None = None
        self._gov_keys: dict[str, int] = {}
        self._road_keys: dict[str, int] = {}
        if len(entries) and not {"importance", "names"} <= set(entries.columns):
            entries = _standardise(entries, id_prefix="user", start=0, where="entries")
        self._append(entries)
        self._index_areas()

    # ------------------------------------------------------------------ construction
    @classmethod
    def default(cls) -> Gazetteer:
        """The gazetteer of the shipped data, built once per process (about 1 s).

        Entries: GeoNames cities500 (``places``: Syria, Iraq, Jordan, Lebanon, Israel,
        southern Turkey) as ``geonames:<id>`` and the curated ``sites`` as
        ``site:<site_id>``; area layers: ``governorates``, ``roads``, ``borders``,
        ``tripoint``. Files in the user's extension folder (GeoNames dumps fetched with
        ``desertgeo gazetteer fetch SY``, CSVs added with ``desertgeo gazetteer add``; see
        :mod:`desertgeo._userdata`) are added on top. Treat the returned object as
        read-only: :meth:`add` returns a copy.

        Examples
        --------
        >>> from desertgeo.gazetteer import Gazetteer
        >>> Gazetteer.default() is Gazetteer.default()
        True
        >>> len(Gazetteer.default()) > 3000
        True
        """
        return _default()

    @classmethod
    def from_csv(
        cls,
        path: str | Path,
        *,
        extend: Gazetteer | None = None,
        id_prefix: str = "user",
    ) -> Gazetteer:
        """Load places from a CSV file, optionally on top of another gazetteer.

        Required columns: ``name`` and coordinates as ``lon``/``lat`` or
        ``longitude``/``latitude``. Optional: ``place_id`` (default
        ``<id_prefix>:<row number>``), ``aliases`` (``|``-separated), ``name_ar``,
        ``feature_type``, ``country``, ``admin1``, ``population``, ``uncertainty_m``.

        Parameters
        ----------
        path : str or Path
            The CSV file (UTF-8).
        extend : Gazetteer, optional
            Add the file's places to this gazetteer (e.g. ``Gazetteer.default()``);
            by default the result holds only the file's places (and no area layers).
        id_prefix : str
            Prefix of generated place ids.

        Raises
        ------
        DataError
            When a required column is missing or a coordinate is not a number in range;
            the message names the row and column.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from desertgeo.gazetteer import Gazetteer
        >>> tmp = pathlib.Path(tempfile.mkdtemp()) / "mine.csv"
        >>> _ = tmp.write_text("name,aliases,lon,lat\\nWadi Swab,Wadi al-Suwab,40.6,34.1\\n")
        >>> gaz = Gazetteer.from_csv(tmp, extend=Gazetteer.default())
        >>> gaz.best("wadi suwab")["place_id"], len(gaz) == len(Gazetteer.default()) + 1
        ('user:0', True)
        """
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        base = extend if extend is not None else cls(pd.DataFrame(columns=_COLUMNS))
        return base.add_frame(frame, id_prefix=id_prefix, where=str(path))

    @classmethod
    def from_geonames(
        cls,
        path: str | Path,
        *,
        extend: Gazetteer | None = None,
        feature_classes: str = "PSTHLV",
    ) -> Gazetteer:
        """Load a GeoNames dump (``SY.txt`` or ``SY.zip`` from GeoNames' download server).

        The dump is tab-separated without a header, in GeoNames' 19-column layout
        (geonameid, name, asciiname, alternatenames, latitude, longitude, feature class,
        feature code, country code, cc2, admin1 ... population ...). Download it yourself
        (CC BY 4.0; desertgeo never goes online), e.g. ``https://download.geonames.org/
        export/dump/SY.zip``.

        Parameters
        ----------
        path : str or Path
            ``.txt`` or ``.zip`` (the ``.txt`` inside with the same stem is read).
        extend : Gazetteer, optional
            Add to this gazetteer; ids that are already present are skipped.
        feature_classes : str
            GeoNames feature classes to keep (P populated places, S spots/buildings,
            T hills/mountains, H water, L areas, V vegetation).

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from desertgeo.gazetteer import Gazetteer
        >>> row = ["999001", "Bir al Hilu", "Bir al Hilu", "Bi'r al Hulw", "34.0", "38.8",
        ...        "H", "WLL", "SY", "", "11", "", "", "", "0", "", "400", "Asia/Damascus",
        ...        "2020-01-01"]
        >>> tmp = pathlib.Path(tempfile.mkdtemp()) / "SY.txt"
        >>> _ = tmp.write_text("\\t".join(row) + "\\n")
        >>> Gazetteer.from_geonames(tmp).best("Bir al-Hulw")["place_id"]
        'geonames:999001'
        """
        path = Path(path)
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as zf:
                inner = f"{path.stem}.txt"
                if inner not in zf.namelist():
                    txts = [n for n in zf.namelist() if n.endswith(".txt")]
                    if not txts:
                        raise DataError(f"{path}: no .txt file inside the zip")
                    inner = txts[0]
                text = zf.read(inner).decode("utf-8")
        else:
            text = path.read_text(encoding="utf-8")
        rows = []
        for lineno, fields in enumerate(csv.reader(io.StringIO(text), delimiter="\t"), 1):
            if not fields:
                continue
            if len(fields) < 15:
                raise DataError(
                    f"{path}: line {lineno} has {len(fields)} fields, expected 19 "
                    "(GeoNames dump layout)"
                )
            if feature_classes and fields[6] not in feature_classes:
                continue
            rows.append(
                {
                    "place_id": f"geonames:{fields[0]}",
                    "name": fields[1],
                    "aliases": "|".join([fields[2], *fields[3].split(",")]),
                    "lat": fields[4],
                    "lon": fields[5],
                    "feature_type": f"{fields[6]}.{fields[7]}",
                    "country": fields[8],
                    "admin1_code": fields[10],
                    "population": fields[14] or "0",
                }
            )
        frame = pd.DataFrame(rows)
        base = extend if extend is not None else cls(pd.DataFrame(columns=_COLUMNS))
        if len(frame) and len(base):
            frame = frame[~frame["place_id"].isin(set(base._table["place_id"]))]
        return base.add_frame(frame, where=str(path))

    def add(
        self,
        name: str,
        lon: float,
        lat: float,
        *,
        place_id: str | None = None,
        aliases: Iterable[str] = (),
        feature_type: str = "user",
        country: str = "SY",
        admin1: str = "",
        population: int = 0,
        uncertainty_m: float | None = None,
    ) -> Gazetteer:
        """Return a new gazetteer with one more place (this one is left unchanged).

        Examples
        --------
        >>> from desertgeo.gazetteer import Gazetteer
        >>> gaz = Gazetteer.default().add("Wadi al-Miyah", 38.62, 34.78,
        ...                               aliases=["Wadi al-Meyah", "وادي المياه"])
        >>> gaz.best("وادي المياه")["name"]
        'Wadi al-Miyah'
        >>> Gazetteer.default().best("Wadi al-Miyah", threshold=99) is None
        True
        """
        frame = pd.DataFrame(
            [
                {
                    "place_id": place_id or "",
                    "name": name,
                    "aliases": "|".join(aliases),
                    "lon": lon,
                    "lat": lat,
                    "feature_type": feature_type,
                    "country": country,
                    "admin1": admin1,
                    "population": population,
                    "uncertainty_m": uncertainty_m,
                }
            ]
        )
        return self.add_frame(frame)

    def add_frame(
        self, frame: pd.DataFrame, *, id_prefix: str = "user", where: str = "frame"
    ) -> Gazetteer:
        """Return a new gazetteer with the rows of ``frame`` added (see :meth:`from_csv`)."""
        taken = int(self._table["place_id"].astype(str).str.startswith(f"{id_prefix}:").sum())
        entries = _standardise(frame, id_prefix=id_prefix, start=taken, where=where)
        new = self._copy()
        if new.governorates is not None:
            _fill_admin1(entries, new.governorates)
        new._append(entries)
        return new

    def _copy(self) -> Gazetteer:
        new = object.__new__(Gazetteer)
        new.countries = self.countries
        new.governorates = self.governorates
        new.roads = self.roads
        new.borders = self.borders
        new.tripoint = self.tripoint
        new._table = self._table
        new._exact = {k: list(v) for k, v in self._exact.items()}
        new._norm = {k: list(v) for k, v in self._norm.items()}
        new._fuzzy_owner = {k: list(v) for k, v in self._fuzzy_owner.items()}
        new._fuzzy_matched = dict(self._fuzzy_matched)
        new._blocks = None
        new._all_fuzzy = None
        new._lengths = None
        new._gov_keys = self._gov_keys
        new._road_keys = self._road_keys
        new._country_keys = self._country_keys
        return new

    def _append(self, entries: pd.DataFrame) -> None:
        if not len(entries):
            return
        start = len(self._table)
        entries = entries.reset_index(drop=True)
        for col in ("importance", "names"):
            if col not in entries.columns:
                raise InputError(f"entries need a {col!r} column; use Gazetteer.add_frame()")
        table = entries[[*_COLUMNS, "importance", "names"]]
        self._table = (
            table.copy() if start == 0 else pd.concat([self._table, table], ignore_index=True)
        )
        exact, norm = self._exact, self._norm
        fuzzy, matched = self._fuzzy_owner, self._fuzzy_matched
        for offset, names in enumerate(entries["names"]):
            idx = start + offset
            for name in names:
                _, e, n, f = _keys(name)
                if e:
                    owners = exact.setdefault(e, [])
                    if idx not in owners:
                        owners.append(idx)
                if n:
                    owners = norm.setdefault(n, [])
                    if idx not in owners:
                        owners.append(idx)
                if len(f) >= MIN_FUZZY_KEY:
                    owners = fuzzy.setdefault(f, [])
                    if idx not in owners:
                        owners.append(idx)
                        matched[(f, idx)] = name
        self._refresh_arrays()

    def _refresh_arrays(self) -> None:
        self._in_area: np.ndarray | None = None
        self._blocks = None
        self._all_fuzzy = None
        self._lengths = None
        self._lon = self._table["lon"].to_numpy(dtype="float64")
        self._lat = self._table["lat"].to_numpy(dtype="float64")
        self._importance = self._table["importance"].to_numpy(dtype="float64")
        self._country = self._table["country"].astype(str).to_numpy()
        self._admin1_key = np.array([_keys(str(a))[2] for a in self._table["admin1"]])

    def _index_name(self, name: str, idx: int) -> None:
        _, exact, norm, fkey = _keys(name)
        for store, key in ((self._exact, exact), (self._norm, norm)):
            if key:
                owners = store.setdefault(key, [])
                if idx not in owners:
                    owners.append(idx)
        if len(fkey) >= MIN_FUZZY_KEY:
            owners = self._fuzzy_owner.setdefault(fkey, [])
            if idx not in owners:
                owners.append(idx)
                self._fuzzy_matched[(fkey, idx)] = name

    def _index_areas(self) -> None:
        gov_keys: dict[str, int] = {}
        if self.governorates is not None:
            for i, row in enumerate(self.governorates.itertuples(index=False)):
                names = [str(getattr(row, "name_en", "")), str(getattr(row, "name_ar", ""))]
                names += _split_names(getattr(row, "aliases", ""))
                for name in names:
                    key = normalize_name(name)
                    if key:
                        gov_keys.setdefault(key, i)
        self._gov_keys = gov_keys
        road_keys: dict[str, int] = {}
        if self.roads is not None:
            for i, row in enumerate(self.roads.itertuples(index=False)):
                names = [str(getattr(row, "name", ""))]
                names += _split_names(getattr(row, "aliases", ""))
                for name in names:
                    key = normalize_name(name)
                    if key:
                        road_keys.setdefault(key, i)
        self._road_keys = road_keys
        country_keys: dict[str, int] = {}
        if self.countries is not None:
            extra = {
                "SY": ["Syrian Arab Republic", "Syrie", "Sourya", "Suriya", "سورية"],
                "TR": ["Türkiye", "Turkiye"],
                "JO": ["Jordanie"],
                "LB": ["Liban"],
            }
            for i, row in enumerate(self.countries.itertuples(index=False)):
                names = [str(getattr(row, "name", "")), str(getattr(row, "name_ar", ""))]
                names += extra.get(str(getattr(row, "country", "")), [])
                for name in names:
                    key = fold_name(name)
                    if key:
                        country_keys.setdefault(key, i)
        self._country_keys = country_keys

    # ------------------------------------------------------------------ introspection
    def in_study_area(self) -> np.ndarray:
        """Whether each entry lies in the study area (Syria plus a 50 km borderland).

        The borderland takes in Iraq's al-Qaim and Sinjar, Jordan's Mafraq and Ruwayshid,
        Lebanon's Bekaa and Akkar, the Turkish border towns and the Golan; Amman,
        Baghdad, Beirut, Gaziantep city's east and Mosul lie outside.

        Examples
        --------
        >>> from desertgeo.gazetteer import Gazetteer
        >>> gaz = Gazetteer.default()
        >>> flags = dict(zip(gaz.table["place_id"], gaz.in_study_area()))
        >>> bool(flags["geonames:163808"]), bool(flags["geonames:250441"])  # Tadmur, Amman
        (True, False)
        """
        flags: np.ndarray | None = getattr(self, "_in_area", None)
        if flags is None or len(flags) != len(self):
            import shapely

            flags = np.asarray(
                shapely.contains_xy(study_area(self.countries), self._lon, self._lat)
            )
            self._in_area = flags
        return flags

    def __len__(self) -> int:
        return len(self._table)

    def __repr__(self) -> str:
        return f"<Gazetteer: {len(self)} entries, {len(self._norm)} normalised keys>"

    @property
    def table(self) -> pd.DataFrame:
        """The entries (a copy): place_id, name, feature_type, country, admin1, ..."""
        return self._table.drop(columns=["names"]).copy()

    def names(self) -> list[str]:
        """Every indexed spelling, one per (entry, name) pair (for benchmarks and tests)."""
        return [n for names in self._table["names"] for n in names]

    def entry(self, idx: int) -> dict[str, Any]:
        """The entry at position ``idx`` as a dict."""
        row = self._table.iloc[idx]
        return {col: row[col] for col in _COLUMNS}

    # ------------------------------------------------------------------ lookup
    def _fuzzy_index(self) -> tuple[dict[str, list[str]], list[str]]:
        if self._blocks is None or self._all_fuzzy is None:
            blocks: dict[str, list[str]] = {}
            for key in self._fuzzy_owner:
                blocks.setdefault(key[0], []).append(key)
            self._blocks = blocks
            self._all_fuzzy = list(self._fuzzy_owner)
        return self._blocks, self._all_fuzzy

    def _raw_matches(
        self, name: str, threshold: float, limit: int
    ) -> list[tuple[int, float, str, str]]:
        """(entry, score, layer, matched key) for every entry that matches, best layer first."""
        out: dict[int, tuple[int, float, str, str]] = {}
        exact = fold_name(name)
        for idx in self._exact.get(exact, ()):
            out[idx] = (idx, LAYER_SCORE["exact"], "exact", exact)
        norm = normalize_name(name)
        for idx in self._norm.get(norm, ()):
            out.setdefault(idx, (idx, LAYER_SCORE["normalised"], "normalised", norm))
        if out and (
            any(layer == "exact" for _, _, layer, _ in out.values())
            or max(_similarity(name, self._matched_name(i, "normalised", norm)) for i in out)
            >= CLOSE_SIMILARITY
        ):
            return list(out.values())
        # no exact match and only loose normalised ones (Sukhana: s*kh*n* is As Sakhanah,
        # while As Sukhnah, s*khn*, is one edit away): the fuzzy layer competes as well
        fkey = fuzzy_key(name)
        if len(fkey) < MIN_FUZZY_KEY - 1 or threshold > 100:
            return list(out.values())
        blocks, every = self._fuzzy_index()
        hits = _extract(fkey, blocks.get(fkey[0], []), threshold, limit)
        if not hits:
            hits = _extract(fkey, every, threshold, limit)
        for key, score in hits:
            for idx in self._fuzzy_owner[key]:
                if idx not in out:
                    out[idx] = (idx, min(float(score), FUZZY_CAP), "fuzzy", key)
        return list(out.values())

    def _context_mask(
        self,
        idx: np.ndarray,
        country: str | Sequence[str] | None,
        admin1: str | None,
        bbox: Sequence[float] | None,
        near: Sequence[float] | None,
        near_km: float,
    ) -> tuple[np.ndarray, np.ndarray]:
        ok = np.ones(len(idx), dtype=bool)
        dist_km = np.full(len(idx), np.nan)
        if country:
            wanted = {country.upper()} if isinstance(country, str) else {c.upper() for c in country}
            ok &= np.isin(self._country[idx], list(wanted))
        if admin1:
            key = normalize_name(admin1)
            if self.governorates is not None and key in self._gov_keys:
                gov = self.governorates.iloc[self._gov_keys[key]]
                key = normalize_name(str(gov["name_en"]))
            ok &= self._admin1_key[idx] == key
        if bbox is not None:
            minx, miny, maxx, maxy = bbox
            lon, lat = self._lon[idx], self._lat[idx]
            ok &= (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy)
        if near is not None:
            lon0, lat0 = float(near[0]), float(near[1])
            _, _, d = _geod().inv(
                np.full(len(idx), lon0), np.full(len(idx), lat0), self._lon[idx], self._lat[idx]
            )
            dist_km = np.asarray(d, dtype="float64") / 1000.0
            ok &= dist_km <= near_km
        return ok, dist_km

    def candidates(
        self,
        name: str,
        *,
        threshold: float = 85.0,
        country: str | Sequence[str] | None = None,
        admin1: str | None = None,
        bbox: Sequence[float] | None = None,
        near: Sequence[float] | None = None,
        near_km: float = 100.0,
        limit: int = 5,
    ) -> pd.DataFrame:
        """Ranked candidates for one name (best first), with how each matched.

        Parameters
        ----------
        name : str
            A place name in any spelling (Latin or Arabic script).
        threshold : float
            Minimum fuzzy score (``rapidfuzz.fuzz.ratio`` of :func:`~desertgeo.names.
            fuzzy_key`, 0-100) for typo matches; exact and normalised matches always count.
            Above 100 turns fuzzy matching off.
        country : str or list of str, optional
            ISO 3166-1 alpha-2 code(s) to prefer.
        admin1 : str, optional
            Governorate to prefer, in any spelling (``"Homs"``, ``"Dayr az Zawr"``).
        bbox : (minx, miny, maxx, maxy), optional
            Box in degrees (EPSG:4326) to prefer.
        near : (lon, lat), optional
            Reference point: candidates within ``near_km`` are preferred, nearer first.
        near_km : float
            Radius of the ``near`` preference in km.
        limit : int
            Number of candidates to return.

        Returns
        -------
        pandas.DataFrame
            Columns place_id, name, matched, layer, score, context (bool), importance,
            feature_type, country, admin1, population, lon, lat, uncertainty_m, distance_km.

        Examples
        --------
        >>> from desertgeo.gazetteer import Gazetteer
        >>> cands = Gazetteer.default().candidates("Tanf")
        >>> cands.iloc[0]["place_id"].startswith("site:")
        True
        """
        cands = self._rank(name, threshold, country, admin1, bbox, near, near_km, limit)
        rows = []
        for cand, dist in cands:
            row = self.entry(cand.entry)
            row.update(
                matched=cand.matched,
                layer=cand.layer,
                score=cand.score,
                context=cand.context,
                importance=float(self._importance[cand.entry]),
                distance_km=dist,
            )
            rows.append(row)
        cols = [
            "place_id", "name", "matched", "layer", "score", "context", "importance",
            "feature_type", "country", "admin1", "admin2", "admin3", "population", "lon",
            "lat", "uncertainty_m", "distance_km",
        ]  # fmt: skip
        return pd.DataFrame(rows, columns=cols)

    def _rank(
        self,
        name: str,
        threshold: float,
        country: str | Sequence[str] | None,
        admin1: str | None,
        bbox: Sequence[float] | None,
        near: Sequence[float] | None,
        near_km: float,
        limit: int,
    ) -> list[tuple[Candidate, float]]:
        if not isinstance(name, str) or not name.strip():
            return []
        raw = self._raw_matches(name, threshold, max(limit, 5) * 3)
        if not raw:
            return []
        idx = np.array([r[0] for r in raw], dtype="int64")
        has_norm = any(r[2] == "normalised" for r in raw)
        ok, dist = self._context_mask(idx, country, admin1, bbox, near, near_km)
        if country is None and admin1 is None and bbox is None and near is None:
            # the default context: the study area (Syria and its borderlands); a city of
            # 300,000+ people elsewhere (Amman, Baghdad) still counts when named closely
            close = [
                layer == "exact"
                or (
                    layer == "normalised"
                    and _similarity(name, self._matched_name(i, layer, key)) >= CLOSE_SIMILARITY
                )
                for i, _, layer, key in raw
            ]
            big = (self._importance[idx] >= BIG_CITY_IMPORTANCE) & np.array(close)
            ok = self.in_study_area()[idx] | big
        importance = self._importance[idx].copy()
        if near is not None:
            importance = importance - np.nan_to_num(dist, nan=0.0) / 50.0
        out = []
        for i, (entry, score, layer, key) in enumerate(raw):
            matched = self._matched_name(entry, layer, key)
            if layer == "fuzzy" and not has_norm:
                rank_key = (float(ok[i]), 0.0, score, float(importance[i]))
            else:
                # exact and normalised matches: importance plus how close the spelling is
                # to the variant it matched (the normalised key is lossy: Busaira / Basra);
                # fuzzy matches that compete with loose normalised ones rank the same way
                sim = 100.0 if layer == "exact" else _similarity(name, matched)
                value = float(importance[i]) + SIMILARITY_WEIGHT * sim / 100.0
                rank_key = (float(ok[i]), 1.0, value, float(importance[i]))
            out.append((Candidate(entry, score, layer, matched, bool(ok[i]), rank_key), dist[i]))
        out.sort(key=lambda c: c[0].rank_key, reverse=True)
        return out[:limit]

    def _matched_name(self, entry: int, layer: str, key: str) -> str:
        if layer == "fuzzy":
            return self._fuzzy_matched.get((key, entry), str(self._table.at[entry, "name"]))
        fn = fold_name if layer == "exact" else normalize_name
        entry_names: Any = self._table.at[entry, "names"]
        for n in entry_names:
            if fn(n) == key:
                return str(n)
        return str(self._table.at[entry, "name"])

    def best(
        self,
        name: str,
        *,
        threshold: float = 85.0,
        country: str | Sequence[str] | None = None,
        admin1: str | None = None,
        bbox: Sequence[float] | None = None,
        near: Sequence[float] | None = None,
        near_km: float = 100.0,
    ) -> dict[str, Any] | None:
        """The best candidate as a dict (see :meth:`candidates`), or None when none matches.

        The dict also has ``ambiguous`` (bool) and ``alternatives`` (list of
        ``"name (place_id)"`` of the other candidates at the same level).

        Examples
        --------
        >>> from desertgeo.gazetteer import Gazetteer
        >>> Gazetteer.default().best("Sukhnah")["name"]
        'As Sukhnah'
        """
        ranked = self._rank(name, threshold, country, admin1, bbox, near, near_km, 5)
        if not ranked:
            return None
        top, dist = ranked[0]
        row = self.entry(top.entry)
        row.update(
            matched=top.matched,
            layer=top.layer,
            score=top.score,
            context=top.context,
            distance_km=dist,
        )
        row["ambiguous"], row["alternatives"] = self._ambiguity(ranked)
        row["similarity"] = 100.0 if top.layer == "exact" else _similarity(name, top.matched)
        row["n_in_context"] = sum(c.context for c, _ in ranked)
        return row

    def _ambiguity(self, ranked: list[tuple[Candidate, float]]) -> tuple[bool, list[str]]:
        top = ranked[0][0]
        alts = []
        ambiguous = False
        for cand, _ in ranked[1:]:
            if cand.rank_key[:2] != top.rank_key[:2]:
                continue
            _, _, d = _geod().inv(
                self._lon[top.entry], self._lat[top.entry],
                self._lon[cand.entry], self._lat[cand.entry],
            )  # fmt: skip
            if d / 1000.0 <= AMBIGUOUS_KM:
                continue
            name, pid = (
                str(self._table.at[cand.entry, "name"]),
                str(self._table.at[cand.entry, "place_id"]),
            )
            alts.append(f"{name} ({pid})")
            if top.rank_key[2] - cand.rank_key[2] < 1.0:
                ambiguous = True
        return ambiguous, alts

    def closest(self, name: str, n: int = 3) -> list[tuple[str, float]]:
        """The ``n`` closest spellings by fuzzy score, whatever the threshold (for messages).

        Examples
        --------
        >>> from desertgeo.gazetteer import Gazetteer
        >>> Gazetteer.default().closest("Tadmuur", 1)[0][0]
        'Tadmur'
        """
        fkey = fuzzy_key(name) if isinstance(name, str) else ""
        if not fkey:
            return []
        _, every = self._fuzzy_index()
        hits = process.extract(fkey, every, scorer=fuzz.ratio, limit=n)
        out = []
        for key, score, _ in hits:
            entry = self._fuzzy_owner[key][0]
            out.append((self._fuzzy_matched.get((key, entry), key), round(float(score), 1)))
        return out

    def lookup_many(
        self, names: Iterable[str], *, threshold: float = 85.0, fuzzy: bool = True
    ) -> pd.DataFrame:
        """Vectorised best match for many names: one row per input name, in order.

        Repeated names are resolved once; exact and normalised keys are dict lookups; the
        names left go to the fuzzy layer in batches (``rapidfuzz.process.cdist`` with all
        cores) blocked by the key's first letter, with a full scan for those the block
        misses. No context bias (use :meth:`best` or :func:`~desertgeo.geocoder.geocode`
        for that); ties go to the most important entry.

        Returns
        -------
        pandas.DataFrame
            Columns ``query``, ``entry`` (position, -1 when unmatched), ``place_id``,
            ``score``, ``layer`` ("exact", "normalised", "fuzzy" or "").

        Examples
        --------
        >>> from desertgeo.gazetteer import Gazetteer
        >>> res = Gazetteer.default().lookup_many(["Tadmur", "Deir Ezzor", "Plamyra", "zzzz"])
        >>> list(res["layer"])
        ['exact', 'normalised', 'fuzzy', '']
        """
        names = list(names)
        unique = list(dict.fromkeys(names))
        best_entry: dict[str, tuple[int, float, str]] = {}
        pending: dict[str, list[str]] = {}
        imp = self._importance
        for name in unique:
            if not isinstance(name, str):
                best_entry[name] = (-1, 0.0, "")
                continue
            owners = self._exact.get(fold_name(name))
            layer = "exact"
            if not owners:
                owners = self._norm.get(normalize_name(name))
                layer = "normalised"
            if owners:
                top = max(owners, key=lambda i: imp[i])
                best_entry[name] = (top, LAYER_SCORE[layer], layer)
                continue
            fkey = fuzzy_key(name)
            if fuzzy and len(fkey) >= MIN_FUZZY_KEY - 1:
                pending.setdefault(fkey, []).append(name)
            else:
                best_entry[name] = (-1, 0.0, "")
        if pending:
            found = self._fuzzy_batch(list(pending), threshold)
            for fkey, group in pending.items():
                hit = found.get(fkey)
                for name in group:
                    best_entry[name] = hit if hit is not None else (-1, 0.0, "")
        entries = np.array([best_entry[n][0] for n in names], dtype="int64")
        pid = self._table["place_id"].to_numpy()
        return pd.DataFrame(
            {
                "query": names,
                "entry": entries,
                "place_id": np.where(entries >= 0, pid[np.maximum(entries, 0)], ""),
                "score": [best_entry[n][1] for n in names],
                "layer": [best_entry[n][2] for n in names],
            }
        )

    def _by_length(self) -> dict[tuple[str, int], list[str]]:
        if self._lengths is None:
            lengths: dict[tuple[str, int], list[str]] = {}
            for key in self._fuzzy_owner:
                lengths.setdefault((key[0], len(key)), []).append(key)
                lengths.setdefault(("2" + key[1:2], len(key)), []).append(key)
            self._lengths = lengths
        return self._lengths

    def _fuzzy_batch(self, fkeys: list[str], threshold: float) -> dict[str, tuple[int, float, str]]:
        """Best fuzzy key for many query keys.

        Only keys whose length can reach ``threshold`` are compared (lossless: a ratio of
        ``t`` needs ``2 min(l1, l2) / (l1 + l2) >= t / 100``, an OSA similarity
        ``|l1 - l2| <= (1 - t / 100) max(l1, l2)``); first those with the query's first
        letter (scored with the larger of ``fuzz.ratio`` and OSA), then, for the queries
        still unmatched, those that allow one edit at the front: keys that start with the
        query's second letter or whose second letter is the query's first or second letter
        (``fuzz.ratio`` only).
        """
        lengths = self._by_length()
        imp = self._importance
        out: dict[str, tuple[int, float, str]] = {}
        t = min(max(threshold, 1.0), 100.0) / 100.0

        def span(n: int) -> range:
            lo = min(n * t / (2.0 - t), n * t)
            hi = max(n * (2.0 - t) / t, n / t)
            return range(max(1, math.floor(lo)), math.ceil(hi) + 1)

        def run(queries: list[str], choices: list[str], osa: bool) -> None:
            if not queries or not choices:
                return
            for start in range(0, len(queries), 4096):
                chunk = queries[start : start + 4096]
                # threads pay off only on large matrices
                workers = -1 if len(chunk) * len(choices) > 500_000 else 1
                scores = process.cdist(
                    chunk, choices, scorer=fuzz.ratio, score_cutoff=threshold,
                    dtype=np.uint8, workers=workers,
                ).astype(np.float32)  # fmt: skip
                if osa:
                    scores = np.maximum(
                        scores,
                        process.cdist(
                            chunk, choices, scorer=OSA.normalized_similarity,
                            score_cutoff=t, workers=workers, dtype=np.float32,
                        ) * 100.0,
                    )  # fmt: skip
                best = scores.argmax(axis=1)
                for row, (q, j) in enumerate(zip(chunk, best, strict=False)):
                    score = float(scores[row, j])
                    if score <= 0:
                        continue
                    owners = self._fuzzy_owner[choices[j]]
                    top = max(owners, key=lambda i: imp[i])
                    out[q] = (top, min(score, FUZZY_CAP), "fuzzy")

        groups: dict[tuple[str, int], list[str]] = {}
        for fkey in fkeys:
            groups.setdefault((fkey[0], len(fkey)), []).append(fkey)
        for (letter, n), queries in groups.items():
            choices = [k for m in span(n) for k in lengths.get((letter, m), ())]
            run(queries, choices, osa=True)
        # an edit at the front: keys whose first or second letter is the query's second
        # letter, or whose second letter is the query's first
        front: dict[tuple[str, str, int], list[str]] = {}
        for fkey in fkeys:
            if fkey not in out and len(fkey) >= 2:
                front.setdefault((fkey[0], fkey[1], len(fkey)), []).append(fkey)
        for (c0, c1, n), queries in front.items():
            pools = ((c1, m) for m in span(n))
            seconds = (("2" + c, m) for c in {c0, c1} for m in span(n))
            choices = list(
                dict.fromkeys(k for where in (*pools, *seconds) for k in lengths.get(where, ()))
            )
            run(queries, choices, osa=False)
        return out

    # ------------------------------------------------------------------ area layers
    def governorate(self, name: str) -> Any:
        """The governorate row (a pandas Series with a polygon) named ``name``, or None.

        Examples
        --------
        >>> from desertgeo.gazetteer import Gazetteer
        >>> Gazetteer.default().governorate("Dayr az Zawr")["name_en"]
        'Deir ez-Zor'
        >>> Gazetteer.default().governorate("بادية") is None
        True
        """
        if self.governorates is None or not isinstance(name, str):
            return None
        i = self._gov_keys.get(normalize_name(name))
        return None if i is None else self.governorates.iloc[i]

    def country(self, name: str) -> Any:
        """The country row (a pandas Series with a polygon) named ``name``, or None.

        Country names match on the exact level only (``Syria`` and ``Sur`` share a
        normalised key).

        Examples
        --------
        >>> from desertgeo.gazetteer import Gazetteer
        >>> Gazetteer.default().country("سوريا")["country"]
        'SY'
        """
        if self.countries is None or not isinstance(name, str):
            return None
        i = self._country_keys.get(fold_name(name))
        return None if i is None else self.countries.iloc[i]

    def road(self, name: str) -> Any:
        """The road row (a pandas Series with a line) named ``name`` in any spelling, or None."""
        if self.roads is None or not isinstance(name, str):
            return None
        i = self._road_keys.get(normalize_name(name))
        return None if i is None else self.roads.iloc[i]


# ---------------------------------------------------------------------- study area
_AREA_CACHE: dict[int, Any] = {}


def study_area(countries: Any = None) -> Any:
    """The study area polygon (EPSG:4326): Syria buffered by 50 km, geodesically sound.

    Built from the shipped ``countries`` dataset (or the ``countries`` frame given), in UTM
    37N; a bounding box when no Syria polygon is available.

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
    from pyproj import Transformer
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
        fwd = Transformer.from_crs(4326, 32637, always_xy=True)
        inv = Transformer.from_crs(32637, 4326, always_xy=True)
        utm = shapely.transform(syria, lambda c: np.column_stack(fwd.transform(c[:, 0], c[:, 1])))
        buf = utm.simplify(500.0).buffer(STUDY_AREA_BUFFER_KM * 1000.0, quad_segs=4)
        area = shapely.transform(buf, lambda c: np.column_stack(inv.transform(c[:, 0], c[:, 1])))
        # the borderland governorates where the Badia's attacks continue: Iraq's Anbar and
        # Nineveh (Iraq west of 44.2 E) and Jordan's Mafraq (Jordan east of 36.25 E, north
        # of 31.5 N); approximate boxes cut by the country polygons
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


# ---------------------------------------------------------------------- building entries
def _num(value: Any, default: float = math.nan) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return default
    return out


def _standardise(frame: pd.DataFrame, *, id_prefix: str, start: int, where: str) -> pd.DataFrame:
    """Turn a user / dataset frame into gazetteer entries (validated)."""
    cols = {c.lower(): c for c in frame.columns}
    lon_col = cols.get("lon") or cols.get("longitude")
    lat_col = cols.get("lat") or cols.get("latitude")
    if "name" not in cols or lon_col is None or lat_col is None:
        if len(frame) == 0 and "name" in cols:
            return pd.DataFrame(columns=[*_COLUMNS, "importance", "names"])
        raise DataError(
            f"{where}: a gazetteer table needs the columns 'name' and 'lon'/'lat' "
            f"(or 'longitude'/'latitude'); found {list(frame.columns)}"
        )
    rows = []
    for i, rec in enumerate(frame.astype(object).to_dict("records")):
        name = str(rec[cols["name"]]).strip()
        lon, lat = _num(rec[lon_col]), _num(rec[lat_col])
        if not name:
            raise DataError(f"{where}: row {i}: empty 'name'")
        if not (-180 <= lon <= 180) or not (-90 <= lat <= 90):
            raise DataError(
                f"{where}: row {i} ({name!r}): lon/lat {rec[lon_col]!r}, {rec[lat_col]!r} "
                "are not numbers in range; give decimal degrees (EPSG:4326)"
            )
        names = [name]
        for col in ("asciiname", "aliases", "alternatenames", "name_ar"):
            if col in cols:
                names += _split_names(rec[cols[col]])
        names = [n for n in dict.fromkeys(names) if _indexable(n) or n == name]
        pop = _num(rec.get(cols.get("population", ""), 0), 0.0)
        pop = 0.0 if math.isnan(pop) else pop
        ftype = str(rec.get(cols.get("feature_type", ""), "") or "user")
        unc = _num(rec.get(cols.get("uncertainty_m", ""), math.nan))
        if math.isnan(unc):
            unc = place_uncertainty_m(pop, ftype)
        pid = str(rec.get(cols.get("place_id", ""), "") or "") or f"{id_prefix}:{start + i}"
        importance = _num(rec.get(cols.get("importance", ""), math.nan))
        if math.isnan(importance):
            known = pop > 0 or ftype not in {"populated place", "user"}
            importance = math.log10((pop if known else UNKNOWN_POPULATION) + 10.0)
        country = str(rec.get(cols.get("country", ""), "SY") or "SY").upper()
        if country == "SY":
            importance += SYRIA_BONUS
        rows.append(
            {
                "place_id": pid,
                "name": name,
                "feature_type": ftype,
                "country": country,
                "admin1": str(rec.get(cols.get("admin1", ""), "") or ""),
                "admin1_code": str(rec.get(cols.get("admin1_code", ""), "") or ""),
                "admin2": str(rec.get(cols.get("admin2", ""), "") or ""),
                "admin3": str(rec.get(cols.get("admin3", ""), "") or ""),
                "population": int(pop),
                "lon": lon,
                "lat": lat,
                "uncertainty_m": unc,
                "source": str(rec.get(cols.get("source", ""), "") or where),
                "importance": importance,
                "names": tuple(names),
            }
        )
    return pd.DataFrame(rows)


def _fill_admin1(entries: pd.DataFrame, governorates: Any) -> None:
    """Fill an empty ``admin1`` from the GeoNames admin1 code (Syria) or by location."""
    if not len(entries):
        return
    import shapely

    code_to_name = {}
    if "admin1_code" in governorates.columns:
        code_to_name = dict(zip(governorates["admin1_code"], governorates["name_en"], strict=False))
    admin1 = entries["admin1"].astype(str).tolist()
    codes = entries["admin1_code"] if "admin1_code" in entries.columns else [""] * len(entries)
    for i, (a, code, country) in enumerate(zip(admin1, codes, entries["country"], strict=False)):
        if not a and country == "SY" and code in code_to_name:
            admin1[i] = code_to_name[code]
    missing = [
        i
        for i, (a, c) in enumerate(zip(admin1, entries["country"], strict=False))
        if not a and c == "SY"
    ]
    if missing:
        lon = entries["lon"].to_numpy(dtype="float64")[missing]
        lat = entries["lat"].to_numpy(dtype="float64")[missing]
        for geom, name in zip(governorates.geometry, governorates["name_en"], strict=False):
            inside = shapely.contains_xy(geom, lon, lat)
            for j in np.flatnonzero(inside):
                if not admin1[missing[j]]:
                    admin1[missing[j]] = name
    entries["admin1"] = admin1


def _places_frame(datasets: Any, available: set[str]) -> pd.DataFrame:
    """GeoNames cities500 places with the names and admin levels of their WOF twins."""
    places = datasets.load("places")
    frame = pd.DataFrame(
        {
            "place_id": "geonames:" + places["geonameid"].astype(str),
            "name": places["name"],
            "asciiname": places["asciiname"],
            "alternatenames": places["alternatenames"],
            "lon": places.geometry.x,
            "lat": places.geometry.y,
            "feature_type": "populated place",
            "country": places["country"],
            "admin1_code": places["admin1_code"],
            "admin1": places["admin1"] if "admin1" in places.columns else "",
            "admin2": "",
            "admin3": "",
            "population": places["population"],
            "source": places["source"] if "source" in places.columns else "GeoNames",
        }
    )
    if "localities" not in available:
        return frame
    loc = pd.read_csv(datasets.path("localities"), dtype=str, keep_default_na=False)
    gn = loc["geonameid"].to_numpy()
    by_gn = {g: i for i, g in enumerate(gn) if g}
    pid_gn = places["geonameid"].astype(str).to_numpy()
    twin = np.array([by_gn.get(g, -1) for g in pid_gn])
    has = twin >= 0
    # fold by GeoNames id: the WOF names and admin levels go to the GeoNames entry
    extra = np.where(has, loc["names"].to_numpy()[np.maximum(twin, 0)], "")
    frame["alternatenames"] = [
        f"{a}|{e}" if e else a for a, e in zip(frame["alternatenames"], extra, strict=True)
    ]
    for col in ("admin2", "admin3"):
        frame[col] = np.where(has, loc[col].to_numpy()[np.maximum(twin, 0)], "")
    used = set(twin[has].tolist())
    rest = loc[[i not in used for i in range(len(loc))]]
    # fold by name and distance (records without a GeoNames id, or with another id)
    sy = frame[frame["country"] == "SY"]
    keyed: dict[str, list[int]] = {}
    for i, name in zip(sy.index, sy["name"], strict=True):
        keyed.setdefault(normalize_name(str(name)), []).append(int(i))
    keep = []
    flon = frame["lon"].to_numpy(dtype="float64")
    flat = frame["lat"].to_numpy(dtype="float64")
    for i, (name, lon, lat) in enumerate(
        zip(rest["name"], rest["longitude"], rest["latitude"], strict=True)
    ):
        hits = keyed.get(_keys(name)[2], [])
        lo, la = float(lon), float(lat)
        near = [
            j for j in hits
            if abs(flon[j] - lo) < 0.05 and abs(flat[j] - la) < 0.05
        ]  # fmt: skip
        if near:
            j = near[0]
            frame.at[j, "alternatenames"] += "|" + rest["names"].iloc[i]
        else:
            keep.append(i)
    rest = rest.iloc[keep]
    pop = pd.to_numeric(rest["population"], errors="coerce").fillna(0).to_numpy()
    wof = pd.DataFrame(
        {
            "place_id": "wof:" + rest["wof_id"],
            "name": rest["name"],
            "alternatenames": rest["names"],
            "lon": pd.to_numeric(rest["longitude"]),
            "lat": pd.to_numeric(rest["latitude"]),
            "feature_type": rest["feature_type"],
            "country": rest["country"],
            "admin1_code": "",
            "admin1": rest["admin1"],
            "admin2": rest["admin2"],
            "admin3": rest["admin3"],
            "population": pop,
            # most WOF-only records are hamlets below GeoNames' cities500 threshold
            "importance": np.log10(np.maximum(pop, WOF_UNKNOWN_POPULATION) + 10.0),
            "source": rest["source"],
        }
    )
    return pd.concat([frame, wof], ignore_index=True)


def _admin_frames(datasets: Any, available: set[str]) -> list[pd.DataFrame]:
    """OCHA sub-districts (nahiya) and curated city districts as gazetteer entries."""
    frames = []
    if "subdistricts" in available:
        sub = pd.read_csv(datasets.path("subdistricts"), dtype=str, keep_default_na=False)
        area = pd.to_numeric(sub["area_km2"], errors="coerce").fillna(100.0).to_numpy()
        frames.append(
            pd.DataFrame(
                {
                    "place_id": "nahiya:" + sub["pcode"],
                    "name": sub["name"],
                    "aliases": sub["aliases"],
                    "name_ar": sub["name_ar"],
                    "lon": pd.to_numeric(sub["longitude"]),
                    "lat": pd.to_numeric(sub["latitude"]),
                    "feature_type": "nahiya",
                    "country": "SY",
                    "admin1": sub["admin1"],
                    "admin2": sub["admin2"],
                    "admin3": sub["name"],
                    "population": 0,
                    # radius of the circle of the sub-district's area
                    "uncertainty_m": np.sqrt(area * 1e6 / math.pi),
                    "importance": NAHIYA_IMPORTANCE,
                    "source": sub["source"],
                }
            )
        )
    if "city_districts" in available:
        cd = pd.read_csv(datasets.path("city_districts"), dtype=str, keep_default_na=False)
        frames.append(
            pd.DataFrame(
                {
                    "place_id": "district:" + cd["district_id"],
                    "name": cd["name"],
                    "aliases": cd["aliases"],
                    "name_ar": cd["name_ar"],
                    "lon": pd.to_numeric(cd["longitude"]),
                    "lat": pd.to_numeric(cd["latitude"]),
                    "feature_type": "city district",
                    "country": "SY",
                    "admin1": cd["admin1"],
                    "admin2": cd["city"],
                    "admin3": "",
                    "population": 0,
                    "uncertainty_m": pd.to_numeric(cd["uncertainty_m"]),
                    "importance": SITE_IMPORTANCE,
                    "source": cd["source"],
                }
            )
        )
    return frames


def _snapshot_file(datasets: Any, available: set[str]) -> Path | None:
    """Cache file of the built shipped index, named by a hash of its inputs and code."""
    import hashlib

    cache = _key_cache_file()
    if cache is None:
        return None
    digest = hashlib.sha256(KEY_RULES_VERSION.encode())
    for name in _SHIPPED_ENTRIES:
        if name in available:
            digest.update(datasets.path(name).read_bytes())
    from desertgeo import names as names_module

    digest.update(Path(__file__).read_bytes())
    digest.update(Path(names_module.__file__).read_bytes())
    return cache.parent / f"gazetteer-{digest.hexdigest()[:16]}.json"


_SHIPPED_ENTRIES = ("places", "localities", "sites", "subdistricts", "city_districts")


def _save_snapshot(gaz: Gazetteer, file: Path | None) -> None:
    import json

    from desertgeo._atomic import atomic_write_text

    if file is None:
        return
    table = gaz._table
    data = {
        "columns": {c: table[c].tolist() for c in table.columns if c != "names"},
        "names": ["\x1f".join(n) for n in table["names"]],
        "exact": gaz._exact,
        "norm": gaz._norm,
        "fuzzy": gaz._fuzzy_owner,
        "matched": [[k, i, n] for (k, i), n in gaz._fuzzy_matched.items()],
    }
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(file, json.dumps(data, ensure_ascii=False))
        for old in file.parent.glob("gazetteer-*.json"):
            if old != file:
                old.unlink(missing_ok=True)
    except OSError:
        return


def _load_snapshot(file: Path | None, layers: dict[str, Any]) -> Gazetteer | None:
    import json

    if file is None or not file.is_file():
        return None
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        table = pd.DataFrame(data["columns"])
        table["names"] = [tuple(n.split("\x1f")) if n else () for n in data["names"]]
        gaz = Gazetteer(pd.DataFrame(columns=_COLUMNS), **layers)
        gaz._table = table[[*_COLUMNS, "importance", "names"]]
        gaz._exact = data["exact"]
        gaz._norm = data["norm"]
        gaz._fuzzy_owner = data["fuzzy"]
        gaz._fuzzy_matched = {(k, int(i)): n for k, i, n in data["matched"]}
        gaz._refresh_arrays()
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a damaged or foreign file: build again
    return gaz


@lru_cache(maxsize=1)
def _default() -> Gazetteer:
    from desertgeo import datasets

    available = set(datasets.available())
    layers: dict[str, Any] = {}
    for name in ("governorates", "roads", "borders", "tripoint", "countries"):
        layers[name] = datasets.load(name) if name in available else None
    snapshot = _snapshot_file(datasets, available)
    cached = _load_snapshot(snapshot, layers)
    if cached is not None:
        return _with_user_extensions(cached)
    _load_key_cache()
    frames = []
    if "places" in available:
        frames.append(_places_frame(datasets, available))
    if "sites" in available:
        sites = datasets.load("sites")
        frame = pd.DataFrame(
            {
                "place_id": "site:" + sites["site_id"].astype(str),
                "name": sites["name"],
                "aliases": sites["aliases"],
                "name_ar": sites["name_ar"],
                "lon": sites.geometry.x,
                "lat": sites.geometry.y,
                "feature_type": sites["feature_type"],
                "country": sites["country"],
                "population": 0,
                "uncertainty_m": sites["uncertainty_m"],
                "importance": SITE_IMPORTANCE,
                "source": sites["source"],
            }
        )
        frames.append(frame)
    frames += _admin_frames(datasets, available)
    entries = (
        _standardise(pd.concat(frames, ignore_index=True), id_prefix="x", start=0, where="shipped")
        if frames
        else pd.DataFrame(columns=[*_COLUMNS, "importance", "names"])
    )
    if layers["governorates"] is not None:
        _fill_admin1(entries, layers["governorates"])
    gazetteer = Gazetteer(entries, **layers)
    _save_key_cache()
    _save_snapshot(gazetteer, snapshot)
    return _with_user_extensions(gazetteer)


def _with_user_extensions(gazetteer: Gazetteer) -> Gazetteer:
    """Add the files of the user's extension folder (GeoNames dumps, CSVs) to ``gazetteer``."""
    from desertgeo._userdata import extension_files

    for path in extension_files():
        if path.suffix.lower() == ".csv":
            gazetteer = Gazetteer.from_csv(path, extend=gazetteer, id_prefix=f"user:{path.stem}")
        else:
            gazetteer = Gazetteer.from_geonames(path, extend=gazetteer)
    return gazetteer
