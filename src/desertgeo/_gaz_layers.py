"""The gazetteer's area layers: governorates, countries, roads, borders and the tri-point.

:class:`AreaLayers` holds the polygons and lines that descriptive locations name ("the
Homs desert", "along the Damascus-Baghdad highway", "the Syria-Iraq border") and looks
them up by name in any spelling: governorates and roads by
:func:`~desertgeo.names.normalize_name`, countries by :func:`~desertgeo.names.fold_name`
only (``Syria`` and ``Sur`` share a normalised key).

Examples
--------
>>> from desertgeo import datasets
>>> layers = AreaLayers(governorates=datasets.load("governorates"))
>>> layers.governorate("Dayr az Zawr")["name_en"]
'Deir ez-Zor'
>>> layers.canonical_admin1("Rural Damascus") == layers.canonical_admin1("Rif Dimashq")
True
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from desertgeo.names import fold_name, normalize_name

__all__ = ["AreaLayers", "split_names"]

#: other names of the countries (the shipped ``countries`` have English and Arabic names)
COUNTRY_ALIASES = {
    "SY": ["Syrian Arab Republic", "Syrie", "Sourya", "Suriya", "سورية"],
    "TR": ["Türkiye", "Turkiye"],
    "JO": ["Jordanie"],
    "LB": ["Liban"],
}


def split_names(value: Any) -> list[str]:
    """The ``|``-separated names of a cell (``[]`` for an empty or missing cell).

    Examples
    --------
    >>> split_names("Tadmur| Palmyra |"), split_names(float("nan"))
    (['Tadmur', 'Palmyra'], [])
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    return [part.strip() for part in str(value).split("|") if part.strip()]


def _keyed(frame: Any, columns: tuple[str, ...], key: Any, extra: Any = None) -> dict[str, int]:
    """Row position of every name of ``frame`` (first row wins), by ``key(name)``."""
    out: dict[str, int] = {}
    if frame is None:
        return out
    for i, row in enumerate(frame.itertuples(index=False)):
        names = [str(getattr(row, col, "")) for col in columns]
        names += split_names(getattr(row, "aliases", ""))
        if extra is not None:
            names += extra.get(str(getattr(row, "country", "")), [])
        for name in names:
            k = key(name)
            if k:
                out.setdefault(k, i)
    return out


class AreaLayers:
    """Governorates, roads, borders, tri-point and countries, with their name keys.

    Parameters
    ----------
    governorates, roads, borders, tripoint, countries : geopandas.GeoDataFrame, optional
        The layers (the shipped ones in :meth:`desertgeo.gazetteer.Gazetteer.default`).
    """

    def __init__(
        self,
        *,
        governorates: Any = None,
        roads: Any = None,
        borders: Any = None,
        tripoint: Any = None,
        countries: Any = None,
    ) -> None:
        self.governorates = governorates
        self.roads = roads
        self.borders = borders
        self.tripoint = tripoint
        self.countries = countries
        self.gov_keys = _keyed(governorates, ("name_en", "name_ar"), normalize_name)
        self.road_keys = _keyed(roads, ("name",), normalize_name)
        self.country_keys = _keyed(countries, ("name", "name_ar"), fold_name, COUNTRY_ALIASES)

    def governorate(self, name: str) -> Any:
        """The governorate row named ``name`` in any spelling, or None."""
        if self.governorates is None or not isinstance(name, str):
            return None
        i = self.gov_keys.get(normalize_name(name))
        return None if i is None else self.governorates.iloc[i]

    def country(self, name: str) -> Any:
        """The country row named ``name`` (exact level only), or None."""
        if self.countries is None or not isinstance(name, str):
            return None
        i = self.country_keys.get(fold_name(name))
        return None if i is None else self.countries.iloc[i]

    def road(self, name: str) -> Any:
        """The road row named ``name`` in any spelling, or None."""
        if self.roads is None or not isinstance(name, str):
            return None
        i = self.road_keys.get(normalize_name(name))
        return None if i is None else self.roads.iloc[i]

    def canonical_admin1(self, name: str) -> str:
        """The normalised key of the governorate's own name (``"Dayr az Zawr"`` → Deir ez-Zor's)."""
        key = normalize_name(name)
        if self.governorates is not None and key in self.gov_keys:
            gov = self.governorates.iloc[self.gov_keys[key]]
            key = normalize_name(str(gov["name_en"]))
        return key

    def fill_admin1(self, entries: pd.DataFrame) -> None:
        """Fill an empty Syrian ``admin1`` from the GeoNames admin1 code, else by location."""
        govs = self.governorates
        if govs is None or not len(entries):
            return
        import shapely

        code_to_name = {}
        if "admin1_code" in govs.columns:
            code_to_name = dict(zip(govs["admin1_code"], govs["name_en"], strict=False))
        admin1 = entries["admin1"].astype(str).tolist()
        codes = entries["admin1_code"] if "admin1_code" in entries.columns else [""] * len(entries)
        countries = entries["country"].tolist()
        for i, (a, code, country) in enumerate(zip(admin1, codes, countries, strict=False)):
            if not a and country == "SY" and code in code_to_name:
                admin1[i] = code_to_name[code]
        missing = [
            i
            for i, (a, c) in enumerate(zip(admin1, countries, strict=False))
            if not a and c == "SY"
        ]
        if missing:
            lon = entries["lon"].to_numpy(dtype="float64")[missing]
            lat = entries["lat"].to_numpy(dtype="float64")[missing]
            for geom, name in zip(govs.geometry, govs["name_en"], strict=False):
                for j in np.flatnonzero(shapely.contains_xy(geom, lon, lat)):
                    if not admin1[missing[j]]:
                        admin1[missing[j]] = name
        entries["admin1"] = admin1
