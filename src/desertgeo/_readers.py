"""Readers of event files: every ACLED and UCDP GED layout, generic tables.

Reading is two steps: the *format* (CSV, GeoJSON, GeoPackage, GeoParquet) gives
a table of text / typed columns, then the *layout* (ACLED, UCDP GED, generic) is
recognised from the column names and mapped onto the events schema. Column names
are matched case-insensitively after trimming spaces and a byte-order mark;
source columns keep their values and names (derived values go in new columns, see
:data:`desertgeo.events.DERIVED_COLUMNS`).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from desertgeo._errors import CRSError, DataError, InputError
from desertgeo._evidence import covered_countries, location_evidence
from desertgeo._schema import (
    EVENT_COLUMNS,
    STUDY_AREA,
    country_codes,
    numeric,
    validate_frame,
)

PathOrBuffer = str | os.PathLike[str] | IO[str] | IO[bytes]

#: file formats and the extensions that select them
FORMATS: dict[str, tuple[str, ...]] = {
    "csv": (".csv", ".tsv", ".txt"),
    "acled": (),
    "ucdp": (),
    "geojson": (".geojson", ".json"),
    "gpkg": (".gpkg",),
    "shp": (".shp", ".fgb"),  # read only (shapefile, FlatGeobuf), through GDAL
    "parquet": (".parquet", ".geoparquet", ".pq"),
}

#: schema column -> column of an ACLED export (any year; matched case-insensitively)
ACLED_COLUMNS: dict[str, str] = {
    "event_id": "event_id_cnty",
    "date": "event_date",
    "date_precision": "time_precision",
    "place": "location",
    "country": "country",
    "admin1": "admin1",
    "geo_precision": "geo_precision",
    "fatalities": "fatalities",
    "actor": "actor1",
    "actor2": "actor2",
    "event_type": "event_type",
    "source": "source",
    "notes": "notes",
    "lon": "longitude",
    "lat": "latitude",
}

#: schema column -> column of a UCDP GED CSV / GeoJSON
UCDP_COLUMNS: dict[str, str] = {
    "event_id": "id",
    "date": "date_start",
    "date_end": "date_end",
    "place": "where_coordinates",
    "country": "country",
    "admin1": "adm_1",
    "where_prec": "where_prec",
    "fatalities": "best",
    "actor": "side_a",
    "actor2": "side_b",
    "source": "source_original",
    "notes": "source_headline",
    "lon": "longitude",
    "lat": "latitude",
}
_UCDP_DATE_PREC = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3}
_UCDP_VIOLENCE = {1: "state-based conflict", 2: "non-state conflict", 3: "one-sided violence"}

# aliases tried, in order, for generic tables (CSV, GeoJSON, ...); lower-cased
_GENERIC_ALIASES: dict[str, tuple[str, ...]] = {
    "event_id": ("event_id", "id", "event_id_cnty", "eventid", "uid"),
    "date": ("date", "event_date", "date_start", "day"),
    "date_end": ("date_end", "end_date"),
    "date_precision": ("date_precision", "time_precision"),
    "place": ("place", "location", "place_name", "where_coordinates", "town", "city", "name"),
    "country": ("country",),
    "country_code": ("country_code", "iso2"),
    "admin1": ("admin1", "adm_1", "governorate", "province", "state"),
    "geo_precision": ("geo_precision",),
    "where_prec": ("where_prec",),
    "uncertainty_m": ("uncertainty_m", "uncertainty"),
    "geocoded": ("geocoded",),
    "fatalities": ("fatalities", "deaths", "killed", "best"),
    "actor": ("actor", "actor1", "side_a", "perpetrator"),
    "actor2": ("actor2", "side_b"),
    "target": ("target",),
    "civilian_target": ("civilian_target",),
    "event_type": ("event_type", "type"),
    "source": ("source",),
    "notes": ("notes", "description", "note", "summary"),
    "status": ("status",),
    "reason": ("reason",),
    "lon": ("lon", "longitude", "lng", "long", "x"),
    "lat": ("lat", "latitude", "y"),
}

_ENCODING_HINT = (
    "pass encoding=, e.g. encoding='cp1256' (Arabic Windows), 'cp1252' or 'latin-1' "
    "(Western Windows), 'utf-16' (Excel 'Unicode text'); on the command line --encoding"
)


@dataclass(frozen=True)
class ReadOptions:
    """How to read and interpret a file (the keyword arguments of the readers)."""

    columns: Mapping[str, str] | None = None
    strict: bool = False
    keep_extra: bool = True
    study_area: tuple[float, float, float, float] | None = STUDY_AREA
    fix_swapped: bool = True
    dayfirst: bool | None = None
    geocode: bool = True
    #: the geocoder (``desertgeo.geocoder.geocode``), passed in by the layer above
    geocoder: Callable[..., gpd.GeoDataFrame] | None = None
    encoding: str | None = None
    sep: str | None = None
    layer: str | None = None


# ------------------------------------------------------------------------ CSV


def _is_path(obj: Any) -> bool:
    return isinstance(obj, (str, os.PathLike))


def _name(obj: Any) -> str:
    return str(obj) if _is_path(obj) else f"<{type(obj).__name__}>"


_PACKED = (".gz", ".bz2", ".zip")


def _unpack(path: Path) -> bytes:
    """The CSV inside a ``.gz`` / ``.bz2`` file, or the one CSV inside a ``.zip``."""
    import bz2
    import gzip
    import zipfile

    suffix = path.suffix.lower()
    try:
        if suffix == ".gz":
            return gzip.decompress(path.read_bytes())
        if suffix == ".bz2":
            return bz2.decompress(path.read_bytes())
        return _one_member(path)
    except (OSError, EOFError, ValueError, zipfile.BadZipFile) as exc:
        raise DataError(f"cannot unpack {path}: {exc}") from exc


def _one_member(path: Path) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        members = [
            m
            for m in archive.namelist()
            if Path(m).suffix.lower() in FORMATS["csv"] and not m.startswith("__MACOSX/")
        ]
        if len(members) != 1:
            raise DataError(
                f"{path} holds {len(members)} CSV files {members[:10]}; desertgeo reads a zip "
                "with exactly one: extract the one you want and read it"
            )
        return archive.read(members[0])


def _raw_bytes(src: PathOrBuffer) -> bytes | None:
    """The whole content of a buffer or a packed file (None for a plain path: read by
    pyarrow directly)."""
    if _is_path(src):
        path = Path(str(src))
        return _unpack(path) if path.suffix.lower() in _PACKED and path.is_file() else None
    data = src.read()  # type: ignore[union-attr]
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def _head(src: PathOrBuffer, data: bytes | None, size: int = 1 << 16) -> bytes:
    if data is not None:
        return data[:size]
    with open(str(src), "rb") as handle:
        return handle.read(size)


def _detect_encoding(head: bytes, given: str | None) -> str:
    if given:
        try:
            codecs.lookup(given)
        except LookupError as exc:
            raise InputError(f"unknown encoding {given!r}; {_ENCODING_HINT}") from exc
        return given
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8"  # pyarrow drops the BOM itself
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if len(sample) >= 4 and sample.count(b"\x00") > len(sample) // 4:
        # UTF-16 without a BOM: every other byte of ASCII text is zero
        return "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
    return "utf-8"


def _check_decodes(head: bytes, encoding: str, where: str, truncated: bool) -> str:
    try:
        return head.decode(encoding)
    except UnicodeDecodeError as exc:
        if truncated and exc.start >= len(head) - 4:
            return head[: exc.start].decode(encoding)
        raise DataError(_decode_message(head, exc, encoding, where)) from exc


def _decode_message(data: bytes, exc: UnicodeDecodeError, encoding: str, where: str) -> str:
    guess = ""
    try:
        text = data[: exc.start + 2000].decode("cp1256")
    except UnicodeDecodeError:
        text = ""
    if text and sum("\u0600" <= ch <= "\u06ff" for ch in text) >= 3:
        guess = " It looks like Arabic Windows text (cp1256)."
    line = data[: exc.start].count(b"\n") + 1
    return (
        f"cannot decode {where} as {encoding}: byte 0x{data[exc.start]:02x} at offset "
        f"{exc.start} (line {line}) is not valid {encoding}.{guess} {_ENCODING_HINT}"
    )


def _detect_sep(text: str, given: str | None, src: PathOrBuffer) -> tuple[str, int]:
    """The separator and the number of preamble lines (Excel's ``sep=;``)."""
    first = text.split("\n", 1)[0].strip("\r\ufeff")
    excel = re.fullmatch(r'"?sep=(.)"?', first)
    if excel:
        return given or excel.group(1), 1
    if given:
        if given in ("\\t", "tab"):
            return "\t", 0
        return given, 0
    counts: dict[str, int] = {}
    in_quotes = False
    for ch in first:
        if ch == '"':
            in_quotes = not in_quotes
        elif not in_quotes and ch in ",;\t|":
            counts[ch] = counts.get(ch, 0) + 1
    if not counts:
        return ("\t" if str(src).lower().endswith(".tsv") else ","), 0
    return max(counts, key=lambda c: (counts[c], c == ",")), 0


def clean_names(names: Sequence[Any]) -> list[str]:
    """Column names trimmed, without a BOM; blanks named like pandas; duplicates numbered.

    Examples
    --------
    >>> clean_names(["\\ufeffEVENT_ID_CNTY ", "", " notes", "notes"])
    ['EVENT_ID_CNTY', 'Unnamed: 1', 'notes', 'notes.1']
    """
    out: list[str] = []
    seen: set[str] = set()
    for i, raw in enumerate(names):
        name = str(raw).replace("\ufeff", "").strip()
        if not name:
            name = f"Unnamed: {i}"
        base, k = name, 1
        while name.lower() in seen:
            name, k = f"{base}.{k}", k + 1
        seen.add(name.lower())
        out.append(name)
    return out


def _load_csv(src: PathOrBuffer, opts: ReadOptions, what: str) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    where = f"{what} {_name(src)}"
    if _is_path(src) and not Path(str(src)).is_file():
        raise FileNotFoundError(f"no such {what}: {src}")
    data = _raw_bytes(src)
    head = _head(src, data)
    size = len(data) if data is not None else Path(str(src)).stat().st_size
    encoding = _detect_encoding(head, opts.encoding)
    text = _check_decodes(head, encoding, where, truncated=len(head) < size)
    sep, preamble = _detect_sep(text, opts.sep, src)
    body = text.split("\n", preamble)[-1] if preamble else text
    try:
        lines = csv.reader(io.StringIO(body), delimiter=sep)
        header = next(lines)
        hxl = _hxl_row(next(lines, None), len(header))
    except StopIteration:
        raise DataError(f"{where} is empty; expected a header line") from None
    except csv.Error as exc:
        raise DataError(f"cannot read the header of {where}: {exc}") from exc
    names = clean_names(header)
    if hxl:
        warnings.warn(
            f"{where}: row 2 holds HXL hashtags ({', '.join(h for h in hxl[:3] if h)}, ...), "
            "as HDX publishes them; it is not read as an event",
            stacklevel=4,
        )
    block = 1 << 20  # pyarrow parses blocks in parallel: many small ones beat a few big ones
    while True:
        source: Any = pa.BufferReader(data) if data is not None else str(src)
        try:
            table = pacsv.read_csv(
                source,
                read_options=pacsv.ReadOptions(
                    column_names=names,
                    skip_rows=1 + preamble + (1 if hxl else 0),
                    encoding="utf8"
                    if encoding.replace("-", "").lower() in ("utf8", "utf8sig")
                    else encoding,
                    block_size=block,
                ),
                parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(
                    column_types=dict.fromkeys(names, pa.string()),
                    null_values=[""],  # not pyarrow's default "NA", "null", "nan"...
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=True,
                ),
            )
        except pa.ArrowInvalid as exc:
            message = str(exc)
            if "straddling" in message and block < size + 1:
                block = min(max(block * 4, size + 1), 2**31 - 1)  # a cell bigger than a block
                continue
            if "invalid UTF8" in message or "UTF-8" in message:
                raise DataError(_utf8_error(src, data, where)) from exc
            if re.search(r"Expected \d+ columns, got \d+", message):
                skip = 1 + preamble + (1 if hxl else 0)
                return _ragged_csv(
                    src, data, (encoding, sep, skip), names, f"{what} CSV {_name(src)}"
                )
            raise DataError(
                f"cannot read {what} CSV {_name(src)}: {message.splitlines()[0]} "
                f"(separator {sep!r}; pass sep= if it is another one)"
            ) from exc
        except UnicodeDecodeError as exc:
            raise DataError(
                f"cannot decode {where} as {encoding}: {exc}. {_ENCODING_HINT}"
            ) from exc
        break
    return table.to_pandas(
        types_mapper=lambda t: (
            pd.StringDtype("pyarrow") if t in (pa.string(), pa.large_string()) else None
        )
    )


def _ragged_csv(
    src: PathOrBuffer,
    data: bytes | None,
    how: tuple[str, str, int],
    names: list[str],
    where: str,
) -> pd.DataFrame:
    """A CSV whose rows do not all have the header's cells (hand-edited sheets, trailing
    separators), read row by row: short rows get blank cells, empty trailing cells are
    dropped, a warning gives the counts. A row with more *filled* cells than the header
    is an error naming its line (which cell belongs where is not guessed).
    """
    encoding, sep, skip = how
    raw = data if data is not None else Path(str(src)).read_bytes()
    text = raw.decode("utf-8-sig" if encoding.replace("-", "").lower() == "utf8" else encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    width, rows, short, trimmed = len(names), [], 0, 0
    for number, row in enumerate(reader, start=1):
        if number <= skip or not row:
            continue
        if len(row) > width:
            if any(cell.strip() for cell in row[width:]):
                raise DataError(
                    f"cannot read {where}: Expected {width} columns, got {len(row)} on line "
                    f"{reader.line_num} ({row[:3]}...); fix that row, or pass sep= if the "
                    f"separator is not {sep!r}"
                )
            row, trimmed = row[:width], trimmed + 1
        elif len(row) < width:
            row, short = row + [""] * (width - len(row)), short + 1
        rows.append(row)
    warnings.warn(
        f"{where}: {short} rows had fewer cells than the header (read as blank) and "
        f"{trimmed} had empty cells past it (dropped)",
        stacklevel=5,
    )
    frame = pd.DataFrame(rows, columns=names, dtype=pd.StringDtype("pyarrow"))
    return frame.mask(frame == "")


def _hxl_row(row: list[str] | None, width: int) -> list[str] | None:
    """The row if it is an HXL hashtag row (``#event+code,#date+occurred,...``), else None.

    Examples
    --------
    >>> _hxl_row(["#event+code", "", "#geo+lat", "#geo+lon"], 4)
    ['#event+code', '', '#geo+lat', '#geo+lon']
    >>> _hxl_row(["#1 in Raqqa", "2023-02-11", "35.9", "39.0"], 4) is None
    True
    """
    if not row or len(row) > width:
        return None
    tags = [cell.strip() for cell in row]
    filled = [t for t in tags if t]
    if len(filled) < max(2, width // 2):
        return None
    return tags if all(re.fullmatch(r"#[A-Za-z][\w]*(\s*[+][\w]+)*", t) for t in filled) else None


def _utf8_error(src: PathOrBuffer, data: bytes | None, where: str) -> str:
    raw = data if data is not None else Path(str(src)).read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _decode_message(raw, exc, "utf-8", where)
    return f"cannot decode {where} as UTF-8. {_ENCODING_HINT}"


# --------------------------------------------------------------------- formats


def detect_format(path: PathOrBuffer, fmt: str | None, *, reading: bool = True) -> str:
    """The format key for ``path`` (from ``fmt`` or the extension); packed CSVs (``.zip``,
    ``.gz``, ``.bz2``) only for ``reading``."""
    if fmt is not None:
        key = fmt.lower().replace("geoparquet", "parquet").replace("geopackage", "gpkg")
        if key not in FORMATS:
            raise InputError(f"unknown events format {fmt!r}; use one of {sorted(FORMATS)}")
        if key == "shp" and not reading:
            raise InputError("desertgeo writes events as csv, geojson, gpkg or parquet, not shp")
        return key
    if not _is_path(path):
        raise InputError("format= is required when reading from a buffer")
    suffix = Path(str(path)).suffix.lower()
    if reading and suffix in _PACKED:  # x.csv.gz, or a .zip with one CSV (UCDP's ged*-csv.zip)
        inner = Path(Path(str(path)).stem).suffix.lower()
        if suffix == ".zip" or inner in FORMATS["csv"]:
            return "csv"
    for key, suffixes in FORMATS.items():
        if suffix in suffixes:
            if key == "shp" and not reading:
                raise InputError(
                    f"desertgeo writes events as .csv, .geojson, .gpkg or .parquet, not {suffix}"
                )
            return key
    if reading and suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        raise InputError(
            f"{path!s} is a spreadsheet workbook, which desertgeo does not read directly; "
            "save the sheet as CSV (Excel: File > Save As > 'CSV UTF-8') and read that file"
        )
    raise InputError(
        f"cannot tell the format of {path!s} from its extension {suffix!r}; pass format= "
        f"(one of {sorted(FORMATS)})"
    )


def _read_ogr(path: PathOrBuffer, key: str, layer: str | None, what: str) -> gpd.GeoDataFrame:
    import pyogrio
    import pyogrio.errors

    if _is_path(path) and not Path(str(path)).exists():
        raise FileNotFoundError(f"no such events file: {path}")
    errors = (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, ValueError, OSError)
    if layer is None and _is_path(path):
        try:
            layers = [str(name) for name in pyogrio.list_layers(str(path))[:, 0]]
        except errors as exc:
            raise DataError(f"cannot read {what} as {key}: {exc}") from exc
        if len(layers) > 1:
            if "events" not in layers:
                raise DataError(
                    f"{what} has {len(layers)} layers {layers}; pass layer= (--layer) to "
                    "choose the one with the events"
                )
            layer = "events"
    try:
        opts = {"DATE_AS_STRING": "YES"} if key == "geojson" else {}
        return gpd.read_file(path, layer=layer, **opts)
    except errors as exc:
        hint = ""
        if layer is not None and _is_path(path):
            try:
                hint = f"; its layers: {[str(n) for n in pyogrio.list_layers(str(path))[:, 0]]}"
            except errors:
                hint = ""
        raise DataError(f"cannot read {what} as {key}: {exc}{hint}") from exc


def _read_parquet(path: PathOrBuffer, what: str) -> pd.DataFrame:
    try:
        return gpd.read_parquet(path)
    except FileNotFoundError:
        raise
    except (ValueError, OSError, TypeError) as exc:
        try:
            return pd.read_parquet(path)  # type: ignore[arg-type]
        except (ValueError, OSError, TypeError):
            raise DataError(f"cannot read {what} as (Geo)Parquet: {exc}") from exc


def _json_records(path: PathOrBuffer) -> pd.DataFrame | None:
    """The rows of a JSON file that is a list of records, or an API answer holding one
    (ACLED's ``{"status": 200, "success": true, "count": n, "data": [{...}, ...]}``, UCDP's
    ``{"TotalCount": n, ..., "Result": [{...}, ...]}``);
    None for GeoJSON (or anything else), which GDAL reads. Values stay as given, as text.

    Examples
    --------
    >>> import io
    >>> api = '{"status": 200, "success": true, "count": 1, "data": [{"a": "1", "b": 2.5}]}'
    >>> _json_records(io.StringIO(api)).to_dict("records")
    [{'a': '1', 'b': '2.5'}]
    >>> _json_records(io.StringIO('{"type": "FeatureCollection", "features": []}')) is None
    True
    """
    import json

    if _is_path(path):
        with open(str(path), "rb") as handle:
            head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
            if head.startswith(b"{") and b'"FeatureCollection"' in head:
                return None
            handle.seek(0)
            raw: Any = handle.read()
    else:
        raw = path.read()  # type: ignore[union-attr]
        if hasattr(path, "seek"):
            path.seek(0)
    try:
        obj = json.loads(raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw)
    except (ValueError, UnicodeDecodeError):
        return None
    if isinstance(obj, dict) and obj.get("type") not in ("FeatureCollection", "Feature"):
        obj = obj.get("data", obj.get("Result"))  # ACLED's API, UCDP's API (a page of it)
    if not isinstance(obj, list) or not obj or not all(isinstance(r, dict) for r in obj):
        return None
    frame = pd.DataFrame.from_records(obj)
    text = {
        c: pd.Series(
            [_json_text(v) for v in frame[c]],
            index=frame.index,
            dtype="string",
        )
        for c in frame.columns
    }
    return pd.DataFrame(text, index=frame.index)


def _json_text(value: Any) -> str | None:
    import json

    if value is None or (isinstance(value, float) and value != value):  # absent key: NaN
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def read_table(path: PathOrBuffer, key: str, opts: ReadOptions, what: str) -> pd.DataFrame:
    """Read a file in format ``key`` into a table with cleaned column names."""
    table: pd.DataFrame
    if key in ("csv", "acled", "ucdp"):
        table = _load_csv(path, opts, what)
    elif key == "parquet":
        table = _read_parquet(path, what)
    elif key == "geojson" and (records := _json_records(path)) is not None:
        table = records  # an API's JSON (ACLED's {"data": [...]}), not GeoJSON
    else:
        table = _read_ogr(path, key, opts.layer, f"{what} {_name(path)}")
    if isinstance(table, gpd.GeoDataFrame) and table.crs is None:
        raise CRSError(f"{what} {_name(path)} has no CRS; write it with one (EPSG:4326)")
    geometry = table.geometry.name if isinstance(table, gpd.GeoDataFrame) else None
    names = clean_names(list(table.columns))
    if geometry is not None:
        names = [
            geometry if c == geometry else n for c, n in zip(table.columns, names, strict=True)
        ]
    table = table.set_axis(names, axis=1)
    return table


# --------------------------------------------------------------------- layouts


def detect_layout(names: Sequence[str]) -> str:
    """``"acled"``, ``"ucdp"`` or ``"csv"`` (generic) from the column names.

    Examples
    --------
    >>> detect_layout(["GWNO", "EVENT_ID_CNTY", "EVENT_DATE", "LATITUDE"])
    'acled'
    >>> detect_layout(["id", "date_start", "where_prec", "side_a", "best"])
    'ucdp'
    >>> detect_layout(["date", "lat", "lon"])
    'csv'
    """
    lower = {str(n).lower() for n in names}
    if "event_id_cnty" in lower or {"event_date", "actor1", "geo_precision"} <= lower:
        return "acled"
    if {"date_start", "where_prec"} <= lower or {"date_start", "side_a", "best"} <= lower:
        return "ucdp"
    return "csv"


def _find(lower: Mapping[str, str], name: str) -> str | None:
    """The file's column for ``name``, or for its first 10 letters: a shapefile's dBase
    table cuts names there (UCDP GED's ``where_coor``, ``type_of_vi``, ``source_ori``).

    Examples
    --------
    >>> _find({"type_of_vi": "TYPE_OF_VI"}, "type_of_violence")
    'TYPE_OF_VI'
    >>> _find({"id": "id"}, "where_coordinates") is None
    True
    """
    return lower.get(name) or (lower.get(name[:10]) if len(name) > 10 else None)


def _lookup_names(names: Sequence[str]) -> dict[str, str]:
    return {str(n).lower(): str(n) for n in reversed(list(names))}


def _apply_override(
    mapping: dict[str, str], names: Sequence[str], columns: Mapping[str, str] | None
) -> dict[str, str]:
    if not columns:
        return mapping
    unknown = [k for k in columns if k not in EVENT_COLUMNS and k not in ("lon", "lat")]
    if unknown:
        raise InputError(
            f"columns= maps unknown schema column(s) {unknown}; valid keys: "
            f"{[*EVENT_COLUMNS, 'lon', 'lat']}"
        )
    lower = _lookup_names(names)
    for key, value in columns.items():
        actual = lower.get(str(value).strip().lower(), str(value))
        mapping = {k: v for k, v in mapping.items() if v != actual}
        mapping[key] = actual
    return mapping


def _layout_mapping(
    layout: str, names: Sequence[str], columns: Mapping[str, str] | None
) -> dict[str, str]:
    lower = _lookup_names(names)
    mapping: dict[str, str] = {}
    if layout in ("acled", "ucdp"):
        defaults = ACLED_COLUMNS if layout == "acled" else UCDP_COLUMNS
        for schema, src in defaults.items():
            mapping[schema] = _find(lower, src) or src
    else:
        taken: set[str] = set()
        for schema, aliases in _GENERIC_ALIASES.items():
            for alias in aliases:
                if alias in lower and lower[alias] not in taken:
                    mapping[schema] = lower[alias]
                    taken.add(lower[alias])
                    break
    return _apply_override(mapping, names, columns)


def _text(table: pd.DataFrame, name: str | None) -> pd.Series | None:
    if name is None or name not in table.columns:
        return None
    values = table[name]
    return values if isinstance(values.dtype, pd.StringDtype) else values.astype("string")


def _derive_acled(
    table: pd.DataFrame, lower: Mapping[str, str], mapping: Mapping[str, str]
) -> dict[str, pd.Series]:
    derived: dict[str, pd.Series] = {}
    if mapping.get("date") in table.columns:
        derived["date_end"] = table[mapping["date"]]
    civ = pd.Series(False, index=table.index)
    seen = False
    civ_col = _text(table, _find(lower, "civilian_targeting"))
    if civ_col is not None:
        civ = civ | civ_col.str.lower().str.contains("civilian", regex=False).fillna(False).astype(
            bool
        )
        seen = True
    actor2 = _text(table, mapping.get("actor2"))
    if actor2 is not None:
        civ = civ | actor2.str.startswith("Civilians").fillna(False).astype(bool)
        seen = True
    inter2 = _text(table, lower.get("inter2"))
    if inter2 is not None:
        civ = civ | inter2.str.strip().isin(["7", "Civilians"]).fillna(False).astype(bool)
        seen = True
    if seen:
        derived["civilian_target"] = civ.astype("boolean")
        derived["target"] = pd.Series(
            np.where(civ.to_numpy(dtype=bool), "civilians", None),  # type: ignore[call-overload]
            index=table.index,
            dtype="string",
        )
    return derived


def _derive_ucdp(
    table: pd.DataFrame, lower: Mapping[str, str], columns: Mapping[str, str] | None
) -> dict[str, pd.Series]:
    derived: dict[str, pd.Series] = {}
    prec_col = lower.get("date_prec")
    if prec_col in table.columns:
        prec = numeric(table[prec_col])
        derived["date_precision"] = prec.map(_UCDP_DATE_PREC, na_action="ignore").astype("Int8")
    tv_col = _find(lower, "type_of_violence")
    if tv_col in table.columns:
        tv = numeric(table[tv_col])
        derived["event_type"] = (
            tv.map(_UCDP_VIOLENCE, na_action="ignore")
            .astype("string")
            .fillna(table[tv_col].astype("string"))
        )
        civ = (tv == 3).fillna(False)
        derived["civilian_target"] = civ.astype("boolean")
        derived["target"] = pd.Series(
            np.where(civ.to_numpy(dtype=bool), "civilians", None),  # type: ignore[call-overload]
            index=table.index,
            dtype="string",
        )
    if "source" not in (columns or {}) and _find(lower, "source_original") not in table.columns:
        derived["source"] = pd.Series("UCDP GED", index=table.index, dtype="string")
    return derived


def _assemble(
    table: pd.DataFrame,
    mapping: Mapping[str, str],
    derived: Mapping[str, pd.Series],
    keep_extra: bool,
) -> pd.DataFrame:
    data: dict[str, Any] = {}
    for name, src in mapping.items():
        if src in table.columns:
            data[name] = table[src]
    data.update(derived)
    frame = pd.DataFrame(data, index=table.index)
    if keep_extra:
        used = set(mapping.values())
        extra = {c: table[c] for c in table.columns if c not in used and c not in frame.columns}
        if extra:
            frame = pd.concat([frame, pd.DataFrame(extra, index=table.index)], axis=1)
    return frame


# --------------------------------------------------------------------- geocoding


def _geocoder(opts: ReadOptions) -> Callable[..., gpd.GeoDataFrame]:
    if opts.geocoder is None:
        raise InputError(
            "this table needs geocoding but no geocoder was given; read it with "
            "desertgeo.events.read_events, or pass geocode=False"
        )
    return opts.geocoder


def _geocode_rows(
    frame: pd.DataFrame, rows: np.ndarray, geocode: Callable[..., gpd.GeoDataFrame]
) -> pd.DataFrame:
    """Fill lon/lat (and precision) of ``rows`` (positions) from the geocoder.

    A row's own country (``country`` / ``iso3`` / ``iso`` ...) is the geocoder's context,
    and the point found must lie in that country (:func:`location_evidence`); a row whose
    country the gazetteer does not cover is not geocoded. Rows with no country are
    geocoded without context.
    """
    frame = frame.copy()
    n = len(frame)
    lon, lat = _float_column(frame, "lon"), _float_column(frame, "lat")
    status = np.full(n, "ok", dtype=object)
    reason = np.full(n, "", dtype=object)
    geocoded = np.zeros(n, dtype=bool)
    places = (
        frame["place"].astype("string").str.strip()
        if "place" in frame
        else pd.Series(pd.NA, index=frame.index, dtype="string")
    )
    has = places.notna().to_numpy(dtype=bool) & (places != "").fillna(False).to_numpy(dtype=bool)
    named = rows[has[rows]]
    unnamed = rows[~has[rows]]
    if len(named):
        names = np.array([str(v) for v in places.to_numpy(dtype=object)[named]], dtype=object)
        codes, uncovered = _row_countries(frame, named)
        for i in np.flatnonzero(uncovered):
            status[named[i]] = "invalid"
            reason[named[i]] = (
                f"not_geocoded ({names[i]!r}: the row's country {uncovered[i]!r} is outside "
                f"the gazetteer's countries {', '.join(sorted(covered_countries()))})"
            )
        todo = uncovered == ""
        admin = _row_admin1(frame, named)
        parts = []
        pairs = zip(codes[todo].tolist(), admin[todo].tolist(), strict=True)
        for code, unit in dict.fromkeys(pairs):
            sel = np.flatnonzero(todo & (codes == code) & (admin == unit))
            context = {"country": code} if code else {}
            if code and unit:  # "Homs Governorate" -> "Homs": the geocoder's spelling
                context["admin1"] = _ADMIN_WORD.sub("", unit).strip() or unit
            parts.append(geocode(names[sel].tolist(), **context).set_axis(sel))
        if parts:
            res = pd.concat(parts).sort_index()
            cells = _Cells(lon, lat, status, reason, geocoded)
            at = res.index.to_numpy()
            where = np.array(
                [f"{c}, {u}" if c and u else c for c, u in zip(codes[at], admin[at], strict=True)],
                dtype=object,
            )
            _take_geocoded(frame, res, named[at], names[at], (codes[at], where), cells)
    status[unnamed], reason[unnamed] = "invalid", "no_place (no coordinates and no place name)"
    frame["lon"], frame["lat"] = lon, lat
    frame["geocoded"] = pd.array(geocoded, dtype="boolean")
    if "status" not in frame.columns:
        frame["status"], frame["reason"] = status, reason
    return frame


@dataclass(frozen=True)
class _Cells:
    """The arrays ``_geocode_rows`` fills, by row position."""

    lon: np.ndarray
    lat: np.ndarray
    status: np.ndarray
    reason: np.ndarray
    geocoded: np.ndarray


def _float_column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame:
        return np.full(len(frame), np.nan)
    return numeric(frame[name]).to_numpy(dtype="float64", na_value=np.nan).copy()


def _row_countries(frame: pd.DataFrame, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row (positions): its ISO2 code ("" when it names none) and, where the row names
    a country that the gazetteer does not cover, that country as written (else "")."""
    sub = frame.iloc[rows]
    codes = np.array([str(c) for c in country_codes(sub).fillna("")], dtype=object)
    uncovered = np.full(len(rows), "", dtype=object)
    cols = {str(c).strip().lower(): c for c in sub.columns}
    written = np.full(len(rows), "", dtype=object)
    for key in ("country", "country_code", "iso3", "iso", "gwno", "country_id"):
        if key in cols:
            text = sub[cols[key]].astype("string").str.strip().fillna("").to_numpy(dtype=object)
            written = np.where(written == "", text, written)
    covered = covered_countries()
    outside = (written != "") & np.array([c not in covered for c in codes], dtype=bool)
    uncovered[outside] = [str(v) for v in written[outside]]
    return codes, uncovered


_ADMIN_WORD = re.compile(r"\b(governorate|province|muhafazat|wilayah|district)\b", re.IGNORECASE)


def _row_admin1(frame: pd.DataFrame, rows: np.ndarray) -> np.ndarray:
    """Per row (positions): its admin1 as written ("" when none)."""
    if "admin1" not in frame.columns:
        return np.full(len(rows), "", dtype=object)
    values = frame["admin1"].astype("string").str.strip().fillna("")
    return np.array([str(v) for v in values.to_numpy(dtype=object)[rows]], dtype=object)


def _take_geocoded(
    frame: pd.DataFrame,
    res: pd.DataFrame,
    pos: np.ndarray,
    names: np.ndarray,
    asked_with: tuple[np.ndarray, np.ndarray],
    cells: _Cells,
) -> None:
    """Write the geocoder's answers ``res`` (aligned to row positions ``pos``;
    ``asked_with``: the country code each was asked with, "" for none, and that context
    as words for the reasons)."""
    context, words = asked_with
    geoms = np.asarray(res.geometry.array, dtype=object)
    rstatus = res["status"].astype(str).to_numpy()
    usable = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms)) & np.isin(
        rstatus, ["ok", "ambiguous"]
    )
    x, y = np.full(len(pos), np.nan), np.full(len(pos), np.nan)
    x[usable], y[usable] = shapely.get_x(geoms[usable]), shapely.get_y(geoms[usable])
    # the point must lie in the row's own country (the geocoder may answer a well-known
    # name, e.g. a governorate, whatever the context)
    asked = np.flatnonzero(usable & (context != ""))
    elsewhere = np.zeros(len(pos), dtype=bool)
    if len(asked):
        ctx = pd.DataFrame({"country_code": context[asked]})
        agree, _ = location_evidence(ctx, x[asked], y[asked], np.arange(len(asked)))
        elsewhere[asked[~agree]] = True
        usable &= ~elsewhere
    cells.lon[pos[usable]], cells.lat[pos[usable]] = x[usable], y[usable]
    cells.geocoded[pos[usable]] = True
    # the geocoder's advice ("pass country= ...") is for its own callers, not a reader's
    rreason = (
        res["reason"].fillna("").astype(str).str.split("; pass ").str[0].str.replace("; ", ", ")
    ).to_numpy()
    rrule = res["rule"].fillna("").astype(str).to_numpy() if "rule" in res else None
    for i, p in enumerate(pos):
        if elsewhere[i]:
            cells.status[p] = "invalid"
            cells.reason[p] = (
                f"not_geocoded ({names[i]!r}: the place found does not lie in the row's "
                f"country ({context[i]}))"
            )
        elif not usable[i]:
            why = rreason[i] or "no match"
            if rstatus[i] == "out_of_context":
                where = f"the row's country ({words[i]})" if context[i] else "the study area"
                why = why.replace("the requested context", where)
            cells.status[p], cells.reason[p] = "invalid", f"not_geocoded ({names[i]!r}: {why})"
        elif rstatus[i] == "ambiguous":
            cells.status[p] = "warning"
            cells.reason[p] = f"geocode_ambiguous ({names[i]!r}: {rreason[i]})"
        elif rrule is not None and rrule[i] not in ("", "name"):
            cells.status[p] = "warning"
            cells.reason[p] = f"geocoded ({names[i]!r} by rule {rrule[i]})"
    # the geocoded point's precision and country (derived columns); admin1 is a source
    # column and stays as the file gives it
    for col in ("geo_precision", "where_prec", "uncertainty_m", "country_code"):
        src = "country" if col == "country_code" else col
        if src not in res.columns:
            continue
        current = (
            frame[col].astype(object).to_numpy().copy()
            if col in frame
            else np.full(len(frame), None, dtype=object)
        )
        values = res[src].to_numpy(dtype=object)
        fill = usable & pd.isna(current[pos])
        current[pos[fill]] = values[fill]
        frame[col] = current


# ----------------------------------------------------------------------- reading


def read_any(
    path: PathOrBuffer, key: str, opts: ReadOptions, *, layout: str | None = None
) -> gpd.GeoDataFrame:
    """Read ``path`` in format ``key``, recognise (or force) its layout, validate it."""
    what = {"acled": "ACLED file", "ucdp": "UCDP GED file"}.get(layout or "", "events file")
    table = read_table(path, key, opts, what)
    if layout is None:
        layout = detect_layout([str(c) for c in table.columns])
        what = {"acled": "ACLED file", "ucdp": "UCDP GED file"}.get(layout, "events file")
    return interpret(table, layout, opts, f"{what} {_name(path)}")


def interpret(table: pd.DataFrame, layout: str, opts: ReadOptions, what: str) -> gpd.GeoDataFrame:
    """Map a table in ``layout`` onto the events schema and validate it."""
    geometry = (
        table.geometry.name
        if isinstance(table, gpd.GeoDataFrame) and table.geometry.name in table
        else None
    )
    names = [c for c in table.columns if c != geometry]
    mapping = _layout_mapping(layout, names, opts.columns)
    lower = _lookup_names(names)
    if geometry is not None:
        mapping.pop("lon", None)
        mapping.pop("lat", None)
    if layout in ("acled", "ucdp"):
        required = ["event_id", "date"] + ([] if geometry else ["lat", "lon"])
        missing = [mapping.get(k, k) for k in required if mapping.get(k) not in table.columns]
        if missing:
            found = [str(c) for c in table.columns]
            kind = "an ACLED export" if layout == "acled" else "a UCDP GED file"
            raise DataError(
                f"{what} lacks column(s) {missing}; found {found}. Is this {kind}? Pass "
                "columns={schema: file column} to map other names"
            )
    derived: dict[str, pd.Series] = {}
    if layout == "acled":
        derived = _derive_acled(table, lower, mapping)
    elif layout == "ucdp":
        derived = _derive_ucdp(table, lower, opts.columns)
    plain = pd.DataFrame(table[names])
    frame = _assemble(plain, mapping, derived, opts.keep_extra)
    if geometry is not None:
        assert isinstance(table, gpd.GeoDataFrame)
        frame = gpd.GeoDataFrame(frame, geometry=table.geometry.array, crs=table.crs)
    else:
        frame = _decimal_commas(frame, ("lon", "lat"))
        frame = _fill_points(frame, layout, opts, what, [str(c) for c in table.columns])
    if "geocoded" not in frame.columns:
        frame["geocoded"] = pd.array(np.zeros(len(frame), dtype=bool), dtype="boolean")
    return validate_frame(
        frame,
        opts.strict,
        study_area=opts.study_area,
        fix_swapped=opts.fix_swapped,
        locate=location_evidence,
        dayfirst=opts.dayfirst,
    )


_DECIMAL_COMMA = r"\s*[-+]?\d+(,\d+)?\s*"  # integral degrees have no comma


def _decimal_commas(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Coordinates written with a decimal comma (Excel in a European locale saves
    ``34,5608`` in a ``;`` file) read as numbers: only a text column in which no value
    has a dot and every value is blank, ``digits,digits`` or whole.

    Examples
    --------
    >>> f = pd.DataFrame({"lat": ["34,5608", None, "35"], "lon": ["38,2805", "38.1", "39"]},
    ...                  dtype="string")
    >>> out = _decimal_commas(f, ("lon", "lat"))
    >>> out["lat"].tolist(), out["lon"].tolist()
    (['34.5608', <NA>, '35'], ['38,2805', '38.1', '39'])
    """
    out = None
    for col in columns:
        if col not in frame.columns or not pd.api.types.is_string_dtype(frame[col].dtype):
            continue
        text = frame[col].astype("string")
        filled = text.dropna()
        if filled.empty or not filled.head(256).str.fullmatch(_DECIMAL_COMMA).all():
            continue  # the usual case, decided on a few values
        if not filled.str.fullmatch(_DECIMAL_COMMA).all():
            continue
        if not filled.str.contains(",", regex=False).any():
            continue  # whole numbers only
        if out is None:
            out = frame.copy()
        out[col] = text.str.replace(",", ".", regex=False)
    return frame if out is None else out


def _fill_points(
    frame: pd.DataFrame, layout: str, opts: ReadOptions, what: str, found: list[str]
) -> pd.DataFrame:
    has_xy = "lon" in frame.columns and "lat" in frame.columns
    if not has_xy and "place" not in frame.columns:
        raise DataError(
            f"{what} has no coordinate columns (lon/lat, longitude/latitude, x/y) and no "
            f"place column to geocode; found {found}. Pass "
            "columns={'lon': ..., 'lat': ...} or columns={'place': ...}"
        )
    if layout != "csv" and has_xy:
        return frame
    if not has_xy:
        if not opts.geocode:
            frame = frame.copy()
            frame["status"] = "invalid"
            frame["reason"] = "not_geocoded (geocode=False)"
            return frame
        return _geocode_rows(frame, np.arange(len(frame)), _geocoder(opts))
    blank = np.isnan(numeric(frame["lon"]).to_numpy(dtype="float64", na_value=np.nan)) | np.isnan(
        numeric(frame["lat"]).to_numpy(dtype="float64", na_value=np.nan)
    )
    if not opts.geocode or "place" not in frame.columns or not blank.any() or "status" in frame:
        return frame  # a table desertgeo wrote (it has a status) is not geocoded again
    places = frame["place"].astype("string").str.strip()
    rows = np.flatnonzero(blank & places.notna().to_numpy(dtype=bool))
    if not len(rows):
        return frame
    return _geocode_rows(frame, rows, _geocoder(opts))
