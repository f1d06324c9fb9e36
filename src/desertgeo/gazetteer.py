"""The gazetteer: place names in every spelling, looked up by name and context.

A :class:`Gazetteer` holds *entries* (populated places from GeoNames and Who's On First,
curated sites, sub-districts, city districts, and whatever a user adds), each with every
spelling it is known by (Latin and Arabic script; names in other scripts are not
indexed). It is a thin facade over four rooms, one job each:

* :mod:`desertgeo._gaz_index`: the name index; exact, normalised and fuzzy lookups, one
  name or a batch (:meth:`Gazetteer.lookup_many`).
* :mod:`desertgeo._gaz_rank`: ranking by context (country, governorate, box, point; by
  default the study area), ambiguity, and the :class:`~desertgeo._place.Place` a lookup
  returns.
* :mod:`desertgeo._gaz_layers`: the area layers (governorates, countries, roads, borders,
  the tri-point) and their names.
* :mod:`desertgeo._gaz_sources`: where entries come from (user CSVs and frames, GeoNames
  dumps, the shipped build, the snapshot cache).

Lookups go through three layers, cheapest first: **exact** (:func:`~desertgeo.names.
fold_name`, score 100), **normalised** (:func:`~desertgeo.names.normalize_name`, score
95), **fuzzy** (:func:`~desertgeo.names.fuzzy_key` scored with the larger of
``rapidfuzz.fuzz.ratio`` and the optimal-string-alignment similarity, capped at 94).
*Importance* is ``log10(population + 10)`` for places (a populated place whose GeoNames
population is 0, i.e. unknown, counts as 5,000 people; a Who's On First hamlet as 300),
5.0 for curated sites and city districts, 2.0 for sub-districts, plus 2.0 for entries in
Syria, the library's focus.

The default gazetteer (:meth:`Gazetteer.default`) is built once per process from the
shipped datasets and is **frozen**: its attributes cannot be set, and :meth:`Gazetteer.add`,
:meth:`Gazetteer.add_frame` (alias :meth:`Gazetteer.with_places`),
:meth:`Gazetteer.from_csv` and :meth:`Gazetteer.from_geonames` return a *new* gazetteer and
leave the one they were called on unchanged. :func:`clear_default_cache` (called by
:func:`desertgeo.clear_caches`) forgets it.

Examples
--------
>>> from desertgeo.gazetteer import Gazetteer
>>> gaz = Gazetteer.default()
>>> gaz.best("Tadmor").name
'Tadmur'
>>> gaz.best("Deir Ezzor").place_id
'geonames:170794'
>>> gaz.best("Tadmour", threshold=80).rule
'normalised'
>>> gaz.best("Plamyra", threshold=80).rule
'fuzzy'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from desertgeo._errors import InputError
from desertgeo._gaz_index import (
    CLOSE_SIMILARITY,
    FUZZY_CAP,
    LAYER_SCORE,
    MIN_FUZZY_KEY,
    NameIndex,
    clear_key_cache,
    load_key_cache,
    save_key_cache,
    similarity,
)
from desertgeo._gaz_layers import AreaLayers
from desertgeo._gaz_rank import (
    AMBIGUOUS_KM,
    BIG_CITY_IMPORTANCE,
    STRONG_FUZZY,
    WEAK_SIMILARITY,
    Candidate,
    Context,
    Ranker,
    clear_area_cache,
    make_place,
    match_facts,
    study_area,
)
from desertgeo._gaz_sources import (
    ENTRY_COLUMNS,
    SITE_IMPORTANCE,
    empty_entries,
    load_snapshot,
    place_uncertainty_m,
    read_geonames,
    save_snapshot,
    shipped_entries,
    snapshot_file,
    standardise,
)
from desertgeo._place import Place

__all__ = [
    "AMBIGUOUS_KM",
    "BIG_CITY_IMPORTANCE",
    "CLOSE_SIMILARITY",
    "FUZZY_CAP",
    "LAYER_SCORE",
    "MIN_FUZZY_KEY",
    "SITE_IMPORTANCE",
    "STRONG_FUZZY",
    "WEAK_SIMILARITY",
    "Candidate",
    "FrozenGazetteerError",
    "Gazetteer",
    "clear_default_cache",
    "make_place",
    "match_facts",
    "place_uncertainty_m",
    "study_area",
]

_COLUMNS = ENTRY_COLUMNS
_CANDIDATE_COLUMNS = [
    "place_id", "name", "matched", "layer", "score", "context", "importance",
    "feature_type", "country", "admin1", "admin2", "admin3", "population", "lon",
    "lat", "uncertainty_m", "distance_km",
]  # fmt: skip


class FrozenGazetteerError(AttributeError):
    """An attribute of a frozen gazetteer (the default one) was set."""


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
    >>> mine.best("Bir Tarfaoui").place_id
    'me:1'
    """

    _frozen = False

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
        layers = AreaLayers(
            governorates=governorates, roads=roads, borders=borders, tripoint=tripoint,
            countries=countries,
        )  # fmt: skip
        if len(entries) and not {"importance", "names"} <= set(entries.columns):
            entries = standardise(entries, id_prefix="user", start=0, where="entries")
        self._setup(layers, empty_entries(), NameIndex())
        self._append(entries)

    def _setup(self, layers: AreaLayers, table: pd.DataFrame, index: NameIndex) -> None:
        self._layers = layers
        self._table = table
        self._index = index
        self._refresh()

    @classmethod
    def _assemble(cls, layers: AreaLayers, table: pd.DataFrame, index: NameIndex) -> Gazetteer:
        new = object.__new__(cls)
        new._setup(layers, table, index)
        return new

    def _refresh(self) -> None:
        self._in_area: np.ndarray | None = None
        self._cols: dict[str, list[Any]] | None = None
        self._ranker = Ranker(
            self._table, self._index, self._layers.canonical_admin1, self.in_study_area
        )

    def __setattr__(self, name: str, value: Any) -> None:
        if self._frozen:
            raise FrozenGazetteerError(
                f"the default gazetteer is frozen (setting {name!r}); extend a copy: "
                "Gazetteer.default().add(...), .add_frame(frame) / .with_places(frame) or "
                "Gazetteer.from_csv(path, extend=Gazetteer.default()) return a new gazetteer"
            )
        object.__setattr__(self, name, value)

    def _freeze(self) -> Gazetteer:
        object.__setattr__(self, "_frozen", True)
        return self

    @property
    def frozen(self) -> bool:
        """Whether this gazetteer is frozen (the default one is; copies are not)."""
        return self._frozen

    # ------------------------------------------------------------------ area layers
    @property
    def governorates(self) -> Any:
        """The governorate polygons (``name_en``, ``name_ar``, ``hasc`` ...), or None."""
        return self._layers.governorates

    @property
    def roads(self) -> Any:
        """The road lines (``road_id``, ``name``, ``aliases`` ...), or None."""
        return self._layers.roads

    @property
    def borders(self) -> Any:
        """Syria's borders with each neighbour (``neighbour`` column), or None."""
        return self._layers.borders

    @property
    def tripoint(self) -> Any:
        """The Syria-Iraq-Jordan tri-point, or None."""
        return self._layers.tripoint

    @property
    def countries(self) -> Any:
        """The country polygons (``country``, ``name``, ``name_ar``), or None."""
        return self._layers.countries

    @property
    def _gov_keys(self) -> dict[str, int]:
        return self._layers.gov_keys

    @property
    def _norm(self) -> Mapping[str, list[int]]:
        return self._index.norm

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
        return self._layers.governorate(name)

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
        return self._layers.country(name)

    def road(self, name: str) -> Any:
        """The road row (a pandas Series with a line) named ``name`` in any spelling, or None.

        Examples
        --------
        >>> from desertgeo.gazetteer import Gazetteer
        >>> Gazetteer.default().road("Damascus-Baghdad highway")["road_id"]
        'm2-damascus-baghdad'
        """
        return self._layers.road(name)

    # ------------------------------------------------------------------ construction
    @classmethod
    def default(cls) -> Gazetteer:
        """The frozen gazetteer of the shipped data, built once per process.

        Entries: GeoNames cities500 (``places``: Syria, Iraq, Jordan, Lebanon, Israel,
        southern Turkey) as ``geonames:<id>``, Who's On First localities not in cities500
        as ``wof:<id>``, the curated ``sites`` as ``site:<site_id>``, OCHA sub-districts as
        ``nahiya:<pcode>``, curated city districts as ``district:<id>``; area layers:
        ``governorates``, ``roads``, ``borders``, ``tripoint``, ``countries``. Files in
        the user's extension folder (GeoNames dumps fetched with ``desertgeo gazetteer
        fetch SY``, CSVs added with ``desertgeo gazetteer add``; see
        :mod:`desertgeo._userdata`) are added on top. The result is frozen: extend it
        with :meth:`add` / :meth:`add_frame`, which return a new gazetteer.

        Examples
        --------
        >>> from desertgeo.gazetteer import Gazetteer
        >>> Gazetteer.default() is Gazetteer.default()
        True
        >>> len(Gazetteer.default()) > 10000, Gazetteer.default().frozen
        (True, True)
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
        >>> gaz.best("wadi suwab").place_id, len(gaz) == len(Gazetteer.default()) + 1
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
        >>> Gazetteer.from_geonames(tmp).best("Bir al-Hulw").place_id
        'geonames:999001'
        """
        frame = read_geonames(path, feature_classes=feature_classes)
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
        >>> gaz.best("وادي المياه").name, gaz.frozen
        ('Wadi al-Miyah', False)
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
        """Return a new gazetteer with the rows of ``frame`` added (see :meth:`from_csv`).

        Examples
        --------
        >>> import pandas as pd
        >>> from desertgeo.gazetteer import Gazetteer
        >>> frame = pd.DataFrame({"name": ["Bir X"], "lon": [38.9], "lat": [34.1]})
        >>> len(Gazetteer.default().with_places(frame)) - len(Gazetteer.default())
        1
        """
        taken = int(self._table["place_id"].astype(str).str.startswith(f"{id_prefix}:").sum())
        entries = standardise(frame, id_prefix=id_prefix, start=taken, where=where)
        self._layers.fill_admin1(entries)
        new = self.copy()
        new._append(entries)
        return new

    #: another name of :meth:`add_frame`
    with_places = add_frame

    def copy(self) -> Gazetteer:
        """An unfrozen copy that shares the area layers (and is extended independently).

        Examples
        --------
        >>> from desertgeo.gazetteer import Gazetteer
        >>> mine = Gazetteer.default().copy()
        >>> mine.frozen, len(mine) == len(Gazetteer.default())
        (False, True)
        """
        return Gazetteer._assemble(self._layers, self._table, self._index.copy())

    def _append(self, entries: pd.DataFrame) -> None:
        if not len(entries):
            return
        for col in ("importance", "names"):
            if col not in entries.columns:
                raise InputError(f"entries need a {col!r} column; use Gazetteer.add_frame()")
        entries = entries.reset_index(drop=True)
        table = entries[[*_COLUMNS, "importance", "names"]]
        self._table = (
            table.copy()
            if not len(self._table)
            else pd.concat([self._table, table], ignore_index=True)
        )
        self._index.add(entries["names"])
        self._refresh()

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
        flags = self._in_area
        if flags is None or len(flags) != len(self):
            import shapely

            lon = self._table["lon"].to_numpy(dtype="float64")
            lat = self._table["lat"].to_numpy(dtype="float64")
            flags = np.asarray(shapely.contains_xy(study_area(self.countries), lon, lat))
            object.__setattr__(self, "_in_area", flags)
        return flags

    def __len__(self) -> int:
        return len(self._table)

    def __repr__(self) -> str:
        frozen = ", frozen" if self._frozen else ""
        return f"<Gazetteer: {len(self)} entries, {len(self._index.norm)} normalised keys{frozen}>"

    @property
    def table(self) -> pd.DataFrame:
        """The entries (a copy): place_id, name, feature_type, country, admin1, ..."""
        return self._table.drop(columns=["names"]).copy()

    def names(self) -> list[str]:
        """Every indexed spelling, one per (entry, name) pair (for benchmarks and tests)."""
        return [n for names in self._table["names"] for n in names]

    def entry(self, idx: int) -> dict[str, Any]:
        """The entry at position ``idx`` as a dict (from column lists: a pandas row costs
        ~0.5 ms, a third of a lookup).

        Examples
        --------
        >>> from desertgeo.gazetteer import Gazetteer
        >>> gaz = Gazetteer.default()
        >>> gaz.entry(gaz.lookup_many(["Tadmur"]).loc[0, "entry"])["place_id"]
        'geonames:163808'
        """
        cols = self._cols
        if cols is None:
            cols = {col: self._table[col].tolist() for col in _COLUMNS}
            object.__setattr__(self, "_cols", cols)
        return {col: values[idx] for col, values in cols.items()}

    # ------------------------------------------------------------------ lookup
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
        ctx = Context(country, admin1, bbox, near, near_km)
        rows = []
        for cand, dist in self._ranker.rank(name, threshold, ctx, limit):
            row = self.entry(cand.entry)
            row.update(
                matched=cand.matched,
                layer=cand.layer,
                score=cand.score,
                context=cand.context,
                importance=float(self._ranker.importance[cand.entry]),
                distance_km=dist,
            )
            rows.append(row)
        return pd.DataFrame(rows, columns=_CANDIDATE_COLUMNS)

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
    ) -> Place | None:
        """The best candidate as a :class:`~desertgeo._place.Place`, or None when none matches.

        ``rule`` is the match layer (``exact``, ``normalised`` or ``fuzzy``); ``status`` is
        ``out_of_context`` when no candidate satisfies the context (the requested one, or
        the study area by default), ``ambiguous`` for a weak spelling match (fuzzy score
        < 90, normalised spelling similarity < 80) or for homonyms more than 10 km apart
        that rank alike (listed in ``candidates``), else ``ok``; ``reason`` says why.
        The facts of the match that a Place has no field for (the spelling matched, its
        similarity, the population, the distance to ``near`` ...) are in
        :func:`match_facts` (``place["matched"]`` reads them too).

        Examples
        --------
        >>> from desertgeo.gazetteer import Gazetteer, match_facts
        >>> place = Gazetteer.default().best("Sukhnah")
        >>> place.name, place.status
        ('As Sukhnah', 'ok')
        >>> match_facts(place)["matched"], match_facts(place)["layer"]
        ('Sukhnah', 'exact')
        >>> Gazetteer.default().best("Tadmur", country="IQ").status
        'out_of_context'
        """
        ctx = Context(country, admin1, bbox, near, near_km)
        ranked = self._ranker.rank(name, threshold, ctx, 5)
        if not ranked:
            return None
        top, dist = ranked[0]
        facts = self.entry(top.entry)
        ambiguous, alternatives = self._ranker.ambiguity(ranked, explicit=ctx.explicit)
        facts.update(
            query=name,
            matched=top.matched,
            layer=top.layer,
            score=top.score,
            context=top.context,
            distance_km=dist,
            ambiguous=ambiguous,
            alternatives=alternatives,
            similarity=100.0 if top.layer == "exact" else similarity(name, top.matched),
            n_in_context=sum(c.context for c, _ in ranked),
            importance=float(self._ranker.importance[top.entry]),
        )
        return make_place(facts, explicit=ctx.explicit)

    def closest(
        self, name: str, n: int = 3, *, cutoff: float | None = None
    ) -> list[tuple[str, float]]:
        """The ``n`` closest spellings by fuzzy score, whatever the threshold (for messages).

        Parameters
        ----------
        name : str
            The name looked for.
        n : int, default 3
            How many spellings.
        cutoff : float, optional
            Only spellings whose score (rounded to one decimal, as returned) is at least
            this: the answer without it, less the spellings below it, found faster (the
            key lengths that cannot reach it are never scored).

        Returns
        -------
        list of (str, float)
            Spellings and their scores (0-100), best first.

        Examples
        --------
        >>> from desertgeo.gazetteer import Gazetteer
        >>> Gazetteer.default().closest("Tadmuur", 1)[0][0]
        'Tadmur'
        >>> Gazetteer.default().closest("Tadmuur", 3, cutoff=90.0)
        [('Tadmur', 100.0)]
        """
        return self._index.closest(name, n, cutoff=cutoff)

    def lookup_many(
        self, names: Iterable[str], *, threshold: float = 85.0, fuzzy: bool = True
    ) -> pd.DataFrame:
        """Vectorised best match for many names: one row per input name, in order.

        Repeated names are resolved once; exact and normalised keys are dict lookups; the
        names left go to the fuzzy layer: the keys within one deletion of the query's key
        (an index of every key and its one-letter deletions, built on the first fuzzy
        batch), scored with ``fuzz.ratio`` and OSA; queries with no such neighbour and
        long enough for a farther match are scored against every key of their first letter
        (``rapidfuzz.process.cdist``, all cores). No context bias (use :meth:`best` or
        :func:`~desertgeo.geocoder.geocode` for that); ties go to the most important entry.

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
        best = self._index.lookup_many(
            names, self._ranker.importance, threshold=threshold, fuzzy=fuzzy
        )
        # one pass over the names: the (entry, score, layer) of each, as columns
        rows = map(best.__getitem__, names)
        found, scores, layers = zip(*rows, strict=True) if names else ((), (), ())
        entries = np.array(found, dtype="int64")
        pid = self._table["place_id"].to_numpy()
        return pd.DataFrame(
            {
                "query": names,
                "entry": entries,
                "place_id": np.where(entries >= 0, pid[np.maximum(entries, 0)], ""),
                "score": list(scores),
                "layer": list(layers),
            }
        )


# ---------------------------------------------------------------------- the default
def _code_files() -> list[Path]:
    """The source files whose rules shape the built index (the snapshot depends on them)."""
    from desertgeo import _gaz_index, _gaz_rank, _gaz_sources, names

    return [Path(m.__file__ or "") for m in (_gaz_index, _gaz_sources, _gaz_rank, names)] + [
        Path(__file__)
    ]


@lru_cache(maxsize=1)
def _default() -> Gazetteer:
    from desertgeo import datasets

    available = set(datasets.available())
    kw = {n: datasets.load(n) if n in available else None for n in (
        "governorates", "roads", "borders", "tripoint", "countries")}  # fmt: skip
    layers = AreaLayers(**kw)
    snapshot = snapshot_file(datasets, available, _code_files())
    cached = load_snapshot(snapshot)
    if cached is not None:
        gazetteer = Gazetteer._assemble(layers, *cached)
    else:
        load_key_cache()
        entries = shipped_entries(datasets, available)
        layers.fill_admin1(entries)
        index = NameIndex()
        index.add(entries["names"])
        table = entries[[*_COLUMNS, "importance", "names"]].reset_index(drop=True)
        gazetteer = Gazetteer._assemble(layers, table, index)
        save_key_cache()
        save_snapshot(table, index, snapshot)
    return _with_user_extensions(gazetteer)._freeze()


def _with_user_extensions(gazetteer: Gazetteer) -> Gazetteer:
    """Add the files of the user's extension folder (GeoNames dumps, CSVs) to ``gazetteer``."""
    from desertgeo._userdata import extension_files

    for path in extension_files():
        if path.suffix.lower() == ".csv":
            gazetteer = Gazetteer.from_csv(path, extend=gazetteer, id_prefix=f"user:{path.stem}")
        else:
            gazetteer = Gazetteer.from_geonames(path, extend=gazetteer)
    return gazetteer


def clear_default_cache() -> None:
    """Forget the default gazetteer, the study-area polygons and the name keys in memory.

    The next :meth:`Gazetteer.default` builds again (from the snapshot cache file when it
    is current, so in well under a second). :func:`desertgeo.clear_caches` calls this.

    Examples
    --------
    >>> from desertgeo.gazetteer import Gazetteer, clear_default_cache
    >>> first = Gazetteer.default()
    >>> clear_default_cache()
    >>> Gazetteer.default() is first
    False
    """
    _default.cache_clear()
    clear_area_cache()
    clear_key_cache()


#: the name the house's :func:`desertgeo.clear_caches` may call
_clear_cache = clear_default_cache
