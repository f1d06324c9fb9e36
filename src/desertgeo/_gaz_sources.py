"""Where gazetteer entries come from: user tables, GeoNames dumps, the shipped build, the
snapshot cache.

Every source becomes one *entries* frame (:data:`ENTRY_COLUMNS` plus ``importance`` and
``names``, the tuple of every spelling) through :func:`standardise`, which validates
coordinates and names the row and column of a problem.

* :func:`read_geonames`: a GeoNames country dump (``SY.txt`` / ``SY.zip``).
* :func:`shipped_entries`: the shipped data: GeoNames cities500 ``places`` merged with the
  Who's On First ``localities`` (folded by GeoNames id, else by name within ~5 km), the
  curated ``sites``, OCHA ``subdistricts`` and curated ``city_districts``.
* :func:`snapshot_file` / :func:`save_snapshot` / :func:`load_snapshot`: the built shipped
  index kept between processes (named by a hash of its inputs and code).

Examples
--------
>>> import pandas as pd
>>> rows = standardise(pd.DataFrame({"name": ["Bir X"], "lon": [38.9], "lat": [34.1],
...                                  "aliases": ["Bi'r X|بئر اكس"]}),
...                    id_prefix="me", start=0, where="example")
>>> rows.loc[0, "place_id"], rows.loc[0, "names"]
('me:0', ('Bir X', "Bi'r X", 'بئر اكس'))
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from desertgeo._errors import DataError
from desertgeo._gaz_index import KEY_RULES_VERSION, NameIndex, OwnerMap, key_cache_file, keys_of
from desertgeo.names import normalize_name

__all__ = [
    "ENTRY_COLUMNS",
    "empty_entries",
    "place_uncertainty_m",
    "read_geonames",
    "shipped_entries",
    "standardise",
]

SITE_IMPORTANCE = 5.0
SYRIA_BONUS = 2.0
UNKNOWN_POPULATION = 5000
#: population assumed for a Who's On First locality without one (mostly hamlets that
#: GeoNames' cities500, which lists every place of 500+ people, does not hold)
WOF_UNKNOWN_POPULATION = 300
#: a sub-district ranks below a town of the same name (the town is what a bare name means)
NAHIYA_IMPORTANCE = 2.0
#: a WOF locality folds into a same-named GeoNames place this close (degrees, ~5 km)
FOLD_DEGREES = 0.05
#: the shipped datasets that make entries (their bytes name the snapshot file)
SHIPPED_ENTRIES = ("places", "localities", "sites", "subdistricts", "city_districts")
#: curated tables read from the folder of the shipped gazetteer files (no dataset names)
CURATED_TABLES = ("villages", "aliases")

ENTRY_COLUMNS = [
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
_SPELLING_COLUMNS = ("asciiname", "aliases", "alternatenames", "name_ar")


def empty_entries() -> pd.DataFrame:
    """An entries frame with no rows."""
    return pd.DataFrame(columns=[*ENTRY_COLUMNS, "importance", "names"])


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


def _num(value: Any, default: float = math.nan) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


# ---------------------------------------------------------------------- standardise
def _cell(rec: dict[Any, Any], cols: dict[str, str], col: str, default: Any = "") -> Any:
    return rec.get(cols.get(col, ""), default)


def _importance(rec: dict[Any, Any], cols: dict[str, str], pop: float, ftype: str) -> float:
    importance = _num(_cell(rec, cols, "importance", math.nan))
    if math.isnan(importance):
        known = pop > 0 or ftype not in {"populated place", "user"}
        importance = math.log10((pop if known else UNKNOWN_POPULATION) + 10.0)
    return importance


def _entry(
    rec: dict[Any, Any], cols: dict[str, str], i: int, *, id_prefix: str, start: int, where: str
) -> dict[str, Any]:
    """One validated entry row of a user / dataset record."""
    lon_col = cols.get("lon") or cols["longitude"]
    lat_col = cols.get("lat") or cols["latitude"]
    name = str(rec[cols["name"]]).strip()
    lon, lat = _num(rec[lon_col]), _num(rec[lat_col])
    if not name:
        raise DataError(f"{where}: row {i}: empty 'name'; give every place a name")
    if not (-180 <= lon <= 180) or not (-90 <= lat <= 90):
        raise DataError(
            f"{where}: row {i} ({name!r}): lon/lat {rec[lon_col]!r}, {rec[lat_col]!r} "
            "are not numbers in range; give decimal degrees (EPSG:4326)"
        )
    names = [name]
    for col in _SPELLING_COLUMNS:
        if col in cols:
            names += _split(rec[cols[col]])
    names = [n for n in dict.fromkeys(names) if keys_of(n)[0] or n == name]
    pop = _num(_cell(rec, cols, "population", 0), 0.0)
    pop = 0.0 if math.isnan(pop) else pop
    ftype = str(_cell(rec, cols, "feature_type") or "user")
    unc = _num(_cell(rec, cols, "uncertainty_m", math.nan))
    country = str(_cell(rec, cols, "country", "SY") or "SY").upper()
    importance = _importance(rec, cols, pop, ftype) + (SYRIA_BONUS if country == "SY" else 0.0)
    return {
        "place_id": str(_cell(rec, cols, "place_id") or "") or f"{id_prefix}:{start + i}",
        "name": name,
        "feature_type": ftype,
        "country": country,
        "admin1": str(_cell(rec, cols, "admin1") or ""),
        "admin1_code": str(_cell(rec, cols, "admin1_code") or ""),
        "admin2": str(_cell(rec, cols, "admin2") or ""),
        "admin3": str(_cell(rec, cols, "admin3") or ""),
        "population": int(pop),
        "lon": lon,
        "lat": lat,
        "uncertainty_m": place_uncertainty_m(pop, ftype) if math.isnan(unc) else unc,
        "source": str(_cell(rec, cols, "source") or where),
        "importance": importance,
        "names": tuple(names),
    }


def _split(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    return [part.strip() for part in str(value).split("|") if part.strip()]


def standardise(frame: pd.DataFrame, *, id_prefix: str, start: int, where: str) -> pd.DataFrame:
    """Turn a user / dataset frame into gazetteer entries (validated).

    Required columns: ``name`` and ``lon``/``lat`` (or ``longitude``/``latitude``);
    optional: ``place_id``, ``aliases`` / ``alternatenames`` / ``asciiname`` /
    ``name_ar`` (spellings, ``|``-joined), ``feature_type``, ``country``, ``admin1``,
    ``admin1_code``, ``admin2``, ``admin3``, ``population``, ``uncertainty_m``,
    ``importance``, ``source``.

    Raises
    ------
    DataError
        A missing column, an empty name or a coordinate out of range (the message names
        the row).
    """
    cols = {c.lower(): c for c in frame.columns}
    has_lon = "lon" in cols or "longitude" in cols
    has_lat = "lat" in cols or "latitude" in cols
    if "name" not in cols or not has_lon or not has_lat:
        if len(frame) == 0 and "name" in cols:
            return empty_entries()
        raise DataError(
            f"{where}: a gazetteer table needs the columns 'name' and 'lon'/'lat' "
            f"(or 'longitude'/'latitude'); found {list(frame.columns)}"
        )
    rows = [
        _entry(rec, cols, i, id_prefix=id_prefix, start=start, where=where)
        for i, rec in enumerate(frame.astype(object).to_dict("records"))
    ]
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------- GeoNames dumps
def _dump_text(path: Path) -> str:
    if path.suffix.lower() != ".zip":
        return path.read_text(encoding="utf-8")
    with zipfile.ZipFile(path) as zf:
        inner = f"{path.stem}.txt"
        if inner not in zf.namelist():
            txts = [n for n in zf.namelist() if n.endswith(".txt")]
            if not txts:
                raise DataError(f"{path}: no .txt file inside the zip; give a GeoNames dump")
            inner = txts[0]
        return zf.read(inner).decode("utf-8")


def read_geonames(path: str | Path, *, feature_classes: str = "PSTHLV") -> pd.DataFrame:
    """The rows of a GeoNames dump (19 tab-separated columns) as a user frame.

    Raises
    ------
    DataError
        A line with fewer than 15 fields (the message names the line).
    """
    path = Path(path)
    rows = []
    reader = csv.reader(io.StringIO(_dump_text(path)), delimiter="\t")
    for lineno, fields in enumerate(reader, 1):
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
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------- shipped data
def _geonames_frame(places: Any) -> pd.DataFrame:
    return pd.DataFrame(
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


def _fold_by_id(frame: pd.DataFrame, places: Any, loc: pd.DataFrame) -> pd.DataFrame:
    """Give GeoNames entries the names and admin levels of their WOF twins; the rest of WOF."""
    by_gn = {g: i for i, g in enumerate(loc["geonameid"].to_numpy()) if g}
    twin = np.array([by_gn.get(g, -1) for g in places["geonameid"].astype(str).to_numpy()])
    has = twin >= 0
    extra = np.where(has, loc["names"].to_numpy()[np.maximum(twin, 0)], "")
    frame["alternatenames"] = [
        f"{a}|{e}" if e else a for a, e in zip(frame["alternatenames"], extra, strict=True)
    ]
    for col in ("admin2", "admin3"):
        frame[col] = np.where(has, loc[col].to_numpy()[np.maximum(twin, 0)], "")
    used = set(twin[has].tolist())
    return loc[[i not in used for i in range(len(loc))]]


def _fold_by_name(frame: pd.DataFrame, rest: pd.DataFrame) -> pd.DataFrame:
    """Fold WOF records into a same-named entry of their country within ~5 km; the rest."""
    keyed: dict[tuple[str, str], list[int]] = {}
    for i, name, country in zip(frame.index, frame["name"], frame["country"], strict=True):
        keyed.setdefault((str(country), normalize_name(str(name))), []).append(int(i))
    flon = frame["lon"].to_numpy(dtype="float64")
    flat = frame["lat"].to_numpy(dtype="float64")
    keep = []
    rows = zip(rest["name"], rest["longitude"], rest["latitude"], rest["country"], strict=True)
    for i, (name, lon, lat, country) in enumerate(rows):
        lo, la = float(lon), float(lat)
        near = [
            j for j in keyed.get((str(country), keys_of(name)[2]), [])
            if abs(flon[j] - lo) < FOLD_DEGREES and abs(flat[j] - la) < FOLD_DEGREES
        ]  # fmt: skip
        if near:
            frame.at[near[0], "alternatenames"] += "|" + rest["names"].iloc[i]
        else:
            keep.append(i)
    return rest.iloc[keep]


def _wof_frame(rest: pd.DataFrame) -> pd.DataFrame:
    pop = pd.to_numeric(rest["population"], errors="coerce").fillna(0).to_numpy()
    return pd.DataFrame(
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


def _places_frame(datasets: Any, available: set[str]) -> pd.DataFrame:
    """GeoNames cities500 places with the names and admin levels of their WOF twins."""
    places = datasets.load("places")
    frame = _geonames_frame(places)
    if "localities" not in available:
        return frame
    loc = pd.read_csv(datasets.path("localities"), dtype=str, keep_default_na=False)
    rest = _fold_by_name(frame, _fold_by_id(frame, places, loc))
    return pd.concat([frame, _wof_frame(rest)], ignore_index=True)


def _curated_frame(
    table: pd.DataFrame, *, prefix: str, id_col: str, feature_type: Any, importance: float
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "place_id": prefix + table[id_col].astype(str),
            "name": table["name"],
            "aliases": table["aliases"],
            "name_ar": table["name_ar"],
            "lon": pd.to_numeric(table["longitude"]),
            "lat": pd.to_numeric(table["latitude"]),
            "feature_type": feature_type,
            "country": table["country"] if "country" in table.columns else "SY",
            "admin1": table["admin1"] if "admin1" in table.columns else "",
            "population": 0,
            "importance": importance,
            "source": table["source"],
        }
    )


def _admin_frames(datasets: Any, available: set[str]) -> list[pd.DataFrame]:
    """OCHA sub-districts (nahiya) and curated city districts as gazetteer entries."""
    frames = []
    if "subdistricts" in available:
        sub = pd.read_csv(datasets.path("subdistricts"), dtype=str, keep_default_na=False)
        frame = _curated_frame(
            sub, prefix="nahiya:", id_col="pcode", feature_type="nahiya",
            importance=NAHIYA_IMPORTANCE,
        )  # fmt: skip
        frame["admin2"], frame["admin3"] = sub["admin2"], sub["name"]
        area = pd.to_numeric(sub["area_km2"], errors="coerce").fillna(100.0).to_numpy()
        frame["uncertainty_m"] = np.sqrt(area * 1e6 / math.pi)  # radius of the area's circle
        frames.append(frame)
    if "city_districts" in available:
        cd = pd.read_csv(datasets.path("city_districts"), dtype=str, keep_default_na=False)
        frame = _curated_frame(
            cd, prefix="district:", id_col="district_id", feature_type="city district",
            importance=SITE_IMPORTANCE,
        )  # fmt: skip
        frame["admin2"], frame["admin3"] = cd["city"], ""
        frame["uncertainty_m"] = pd.to_numeric(cd["uncertainty_m"])
        frames.append(frame)
    return frames


def _sites_frame(datasets: Any) -> pd.DataFrame:
    sites = datasets.load("sites")
    return pd.DataFrame(
        {
            "place_id": "site:" + sites["site_id"].astype(str),
            "name": sites["name"],
            "aliases": sites["aliases"],
            "name_ar": sites["name_ar"],
            "lon": sites.geometry.x,
            "lat": sites.geometry.y,
            "feature_type": sites["feature_type"],
            "country": sites["country"],
            "admin1": "",  # filled by location (it read "nan" before)
            "population": 0,
            "uncertainty_m": sites["uncertainty_m"],
            "importance": SITE_IMPORTANCE,
            "source": sites["source"],
        }
    )


def curated_files(datasets: Any, available: set[str]) -> dict[str, Path]:
    """The curated tables next to the shipped gazetteer files that exist.

    ``villages.csv`` (places missing from WOF and GeoNames, each with a source and an
    uncertainty) and ``aliases.csv`` (spellings added to an entry, with a source).
    """
    if "places" not in available:
        return {}
    folder = Path(datasets.path("places")).parent
    files = {name: folder / f"{name}.csv" for name in CURATED_TABLES}
    return {name: file for name, file in files.items() if file.is_file()}


def _villages_frame(file: Path) -> pd.DataFrame:
    table = pd.read_csv(file, dtype=str, keep_default_na=False)
    frame = _curated_frame(
        table, prefix="village:", id_col="village_id", feature_type="populated place",
        importance=math.log10(WOF_UNKNOWN_POPULATION + 10.0),
    )  # fmt: skip
    frame["admin2"], frame["admin3"] = "", ""
    frame["uncertainty_m"] = pd.to_numeric(table["uncertainty_m"])
    return frame


def _add_aliases(entries: pd.DataFrame, file: Path) -> None:
    """Add the spellings of ``aliases.csv`` to the entries they name (by ``place_id``)."""
    table = pd.read_csv(file, dtype=str, keep_default_na=False)
    where = {pid: i for i, pid in enumerate(entries["place_id"])}
    names = entries["names"].tolist()
    for pid, aliases in zip(table["place_id"], table["aliases"], strict=True):
        i = where.get(pid)
        if i is None:
            raise DataError(f"{file}: place_id {pid!r} is not a shipped entry; fix the row")
        extra = [a for a in _split(aliases) if keys_of(a)[0]]
        names[i] = tuple(dict.fromkeys([*names[i], *extra]))
    entries["names"] = names


def shipped_entries(datasets: Any, available: set[str]) -> pd.DataFrame:
    """Entries of the shipped data: places + localities, sites, sub-districts, districts,
    curated villages, with the curated aliases."""
    frames = []
    if "places" in available:
        frames.append(_places_frame(datasets, available))
    if "sites" in available:
        frames.append(_sites_frame(datasets))
    frames += _admin_frames(datasets, available)
    curated = curated_files(datasets, available)
    if "villages" in curated:
        frames.append(_villages_frame(curated["villages"]))
    if not frames:
        return empty_entries()
    frame = pd.concat(frames, ignore_index=True)
    entries = standardise(frame, id_prefix="x", start=0, where="shipped")
    if "aliases" in curated:
        _add_aliases(entries, curated["aliases"])
    return entries


# ---------------------------------------------------------------------- snapshot cache
def snapshot_file(datasets: Any, available: set[str], code: list[Path]) -> Path | None:
    """Cache file of the built shipped index, named by a hash of its inputs and ``code``."""
    cache = key_cache_file()
    if cache is None:
        return None
    digest = hashlib.sha256(KEY_RULES_VERSION.encode())
    for name in SHIPPED_ENTRIES:
        if name in available:
            digest.update(datasets.path(name).read_bytes())
    for file in curated_files(datasets, available).values():
        digest.update(file.read_bytes())
    for file in code:
        digest.update(file.read_bytes())
    return cache.parent / f"gazetteer-{digest.hexdigest()[:16]}.npz"


_SEP = "\x1e"  # between entries / keys
_SUB = "\x1f"  # between the spellings of one entry
_NUMERIC = {"population": "int64", "lon": "float64", "lat": "float64",
            "uncertainty_m": "float64", "importance": "float64"}  # fmt: skip


def _text_array(values: Any) -> np.ndarray:
    return np.frombuffer(_SEP.join(values).encode("utf-8"), dtype=np.uint8)


def _text_list(arr: np.ndarray, n: int) -> list[str]:
    if n == 0:
        return []
    return arr.tobytes().decode("utf-8").split(_SEP)


def _csr(store: Mapping[str, list[int]]) -> dict[str, np.ndarray]:
    keys = list(store)
    lengths = np.fromiter((len(store[k]) for k in keys), dtype=np.int64, count=len(keys))
    indptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    owners = np.fromiter((i for k in keys for i in store[k]), dtype=np.int32, count=int(indptr[-1]))
    return {"keys": _text_array(keys), "n": np.array(len(keys)), "indptr": indptr, "owners": owners}


def _from_csr(data: Any, prefix: str) -> OwnerMap:
    keys = _text_list(data[f"{prefix}_keys"], int(data[f"{prefix}_n"]))
    return OwnerMap(keys, data[f"{prefix}_indptr"].tolist(), data[f"{prefix}_owners"].tolist())


def save_snapshot(table: pd.DataFrame, index: NameIndex, file: Path | None) -> None:
    """Write the entries and their index as one ``.npz`` (no pickle; older ones removed).

    Strings are stored as UTF-8 bytes joined by a separator, owner lists as CSR arrays: a
    warm process reads it without parsing (``numpy.load(allow_pickle=False)``).
    """
    from desertgeo._atomic import atomic_path

    if file is None:
        return
    arrays: dict[str, np.ndarray] = {"n_rows": np.array(len(table))}
    for col in ENTRY_COLUMNS:
        if col in _NUMERIC:
            arrays[f"col_{col}"] = table[col].to_numpy(dtype=_NUMERIC[col])
        else:
            arrays[f"col_{col}"] = _text_array(table[col].astype(str))
    arrays["col_importance"] = table["importance"].to_numpy(dtype="float64")
    arrays["names"] = _text_array(_SUB.join(n) for n in table["names"])
    for prefix, store in (
        ("exact", index.exact),
        ("norm", index.norm),
        ("fuzzy", index.fuzzy_owner),
    ):
        for key, arr in _csr(store).items():
            arrays[f"{prefix}_{key}"] = arr
    matched = list(index.fuzzy_matched.items())
    arrays["matched_key"] = _text_array(k for (k, _), _ in matched)
    arrays["matched_entry"] = np.array([i for (_, i), _ in matched], dtype=np.int32)
    arrays["matched_name"] = _text_array(n for _, n in matched)
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(file) as tmp, open(tmp, "wb") as fh:
            np.savez(fh, **arrays)  # type: ignore[arg-type]
        for old in file.parent.glob("gazetteer-*"):
            if old != file:
                old.unlink(missing_ok=True)
    except OSError:
        return


def _table_of(data: Any) -> pd.DataFrame:
    n = int(data["n_rows"])
    cols: dict[str, Any] = {}
    for col in ENTRY_COLUMNS:
        arr = data[f"col_{col}"]
        cols[col] = arr if col in _NUMERIC else _text_list(arr, n)
    cols["importance"] = data["col_importance"]
    cols["names"] = [tuple(x.split(_SUB)) if x else () for x in _text_list(data["names"], n)]
    return pd.DataFrame(cols)


def load_snapshot(file: Path | None) -> tuple[pd.DataFrame, NameIndex] | None:
    """(entries, index) of a snapshot, or None when there is none or it does not read."""
    if file is None or not file.is_file():
        return None
    try:
        with np.load(file, allow_pickle=False) as data:
            table = _table_of(data)
            n_matched = len(data["matched_entry"])
            matched = (
                _text_list(data["matched_key"], n_matched),
                data["matched_entry"].tolist(),
                _text_list(data["matched_name"], n_matched),
            )
            state = {
                "exact": _from_csr(data, "exact"),
                "norm": _from_csr(data, "norm"),
                "fuzzy": _from_csr(data, "fuzzy"),
                "matched": matched,
            }
            index = NameIndex.from_state(state, len(table))
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None  # a damaged or foreign file: build again
    return table, index


def read_places_file(path: str | Path, *, kind: str = "") -> pd.DataFrame:
    """The validated entries of a user extension file (a places CSV or a GeoNames dump).

    ``kind`` is ``"csv"`` or ``"geonames"`` (default: ``.csv`` files are CSVs, the rest
    dumps). This is the reader :meth:`~desertgeo.gazetteer.Gazetteer.from_csv` /
    :meth:`~desertgeo.gazetteer.Gazetteer.from_geonames` use, without building an index.

    Raises
    ------
    DataError
        As :func:`standardise` and :func:`read_geonames`.
    """
    path = Path(path)
    if kind == "csv" or (not kind and path.suffix.lower() == ".csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        return standardise(frame, id_prefix="user", start=0, where=str(path))
    return standardise(read_geonames(path), id_prefix="user", start=0, where=str(path))
