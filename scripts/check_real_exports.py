"""Check desertgeo's readers on real ACLED / UCDP GED exports in a folder you point at.

Nothing is fetched: the script reads every ``.csv`` / ``.tsv`` / ``.txt`` /
``.geojson`` / ``.json`` / ``.gpkg`` / ``.parquet`` file under FOLDER twice,

- independently (``pandas.read_csv`` with every cell as text, or ``pyogrio`` for
  GeoJSON/GeoPackage), as the reference, and
- with :func:`desertgeo.events.read_events` (layout recognised from the columns),

and checks, for each file, what issue 17 asks of a reader:

1. every row comes out, in the input order (``rows in == rows out``);
2. every row is ``ok`` or flagged with a reason (counts of each reason code);
3. coordinates are unchanged, except rows whose reason says ``swapped`` (and there the
   point is exactly the given one with latitude and longitude exchanged); "swap-shaped"
   counts the rows whose given point is outside the study area and whose swapped point is
   inside (what a box-only rule would move);
4. source columns are kept: each input column is in the output under its own name or
   under the schema name it maps to, with the same values (text compared as given,
   numbers as numbers; typed schema columns must not gain or lose a value silently);
5. dates: where the file has a ``year`` column, each parsed date falls in that year;
6. the layout and ACLED vintage recognised, the date style of the date column, and the
   warnings the reader raised.

Print a Markdown table (one line per file) and, with ``--details``, the per-file checks.
ACLED's terms restrict redistribution: keep such files outside the repository.

Run::

    python scripts/check_real_exports.py FOLDER [--study-area default|none] [--details]

Exit status 1 when a file breaks one of the checks 1, 3, 4 or 5 (or cannot be read).
"""

from __future__ import annotations

import argparse
import re
import sys
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from desertgeo import _readers
from desertgeo.events import read_events

SUFFIXES = {".csv", ".tsv", ".txt", ".geojson", ".json", ".gpkg", ".shp", ".fgb", ".parquet"}
SUFFIXES |= {".gz", ".bz2", ".zip"}  # a packed CSV
_TYPED = {
    "date",
    "date_end",
    "date_precision",
    "geo_precision",
    "where_prec",
    "uncertainty_m",
    "fatalities",
}


@dataclass
class FileCheck:
    """What one file gave."""

    path: Path
    layout: str = ""
    vintage: str = ""
    date_style: str = ""
    rows_in: int = 0
    rows_out: int = 0
    status: dict[str, int] = field(default_factory=dict)
    reasons: Counter[str] = field(default_factory=Counter)
    moved_with_swap: int = 0
    swap_shaped: int = 0
    moved_without_reason: int = 0
    lost_points: int = 0
    dropped_points: int = 0
    year_mismatches: int = 0
    columns_kept: int = 0
    columns_total: int = 0
    column_problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def broken(self) -> bool:
        return bool(
            self.error
            or self.rows_in != self.rows_out
            or self.moved_without_reason
            or self.lost_points
            or self.year_mismatches
            or self.column_problems
        )


def acled_vintage(names: list[str]) -> str:
    """The ACLED export era that a header fits (from the columns that identify it).

    Examples
    --------
    >>> acled_vintage(["GWNO", "EVENT_ID_CNTY", "ALLY_ACTOR_1"])
    '2015 (UPPERCASE, GWNO)'
    >>> acled_vintage(["event_id_cnty", "disorder_type", "tags", "timestamp"])
    '2024+ (tags)'
    """
    lower = {n.lower() for n in names}
    upper = all(n == n.upper() for n in names if n.isascii() and n.isalpha())
    if names and upper and "gwno" in lower:
        return "2015 (UPPERCASE, GWNO)"
    if "tags" in lower:
        return "2024+ (tags)"
    if "disorder_type" in lower or "civilian_targeting" in lower:
        return "2022-2023 (disorder_type)"
    if "iso3" in lower or ("data_id" in lower and "assoc_actor_1" in lower):
        return "2020-2021 (data_id, iso3)" if "iso3" in lower else "2019-2021 (data_id)"
    if "ally_actor_1" in lower or "gwno" in lower:
        return "2016-2018 (ally_actor_*, gwno)"
    if "assoc_actor_1" in lower:
        return "2019-2021 (assoc_actor_*)"
    return "subset (no identifying columns)"


def _date_style(values: pd.Series) -> str:
    sample = values.dropna().astype(str).str.strip()
    sample = sample[sample != ""].head(2000)
    if sample.empty:
        return "none"
    styles: Counter[str] = Counter()
    for text in sample:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?", text):
            styles["ISO"] += 1
        elif re.fullmatch(r"\d{1,2}-[A-Za-z]+-\d{4}", text):
            styles["dd-Month-yyyy"] += 1
        elif re.fullmatch(r"\d{1,2}-[A-Za-z]{3}-\d{2}", text):
            styles["d-Mon-yy (Excel)"] += 1
        elif re.fullmatch(r"\d{1,2}-\d{1,2}-\d{2}", text):
            styles["dd-mm-yy"] += 1
        elif re.fullmatch(r"\d{1,2} [A-Za-z]+ \d{4}", text):
            styles["d Month yyyy"] += 1
        elif re.fullmatch(r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}", text):
            styles["d/m/y or m/d/y"] += 1
        else:
            styles["other"] += 1
    return ", ".join(k for k, _ in styles.most_common())


def reference_table(path: Path) -> pd.DataFrame:
    """The file read independently of desertgeo (every cell as text)."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        records = _readers._json_records(path)  # an API answer, e.g. ACLED's {"data": [...]}
        if records is not None:
            return records
    if suffix in (".geojson", ".json", ".gpkg", ".shp", ".fgb"):
        import pyogrio

        frame = pyogrio.read_dataframe(path)
        geom = frame.geometry
        out = pd.DataFrame(frame.drop(columns=geom.name))
        out["__x"], out["__y"] = geom.x, geom.y
        return out
    if suffix == ".parquet":
        return pd.read_parquet(path)
    if suffix in (".gz", ".bz2", ".zip"):
        return pd.read_csv(path, dtype=str, keep_default_na=False, sep=None, engine="python")
    with open(path, "rb") as handle:
        head = handle.read(4)
    encoding = "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    sep = "\t" if suffix == ".tsv" else None
    frame = pd.read_csv(
        path,
        dtype=str,
        keep_default_na=False,
        sep=sep,
        engine="python" if sep is None else "c",
        encoding=encoding,
    )
    if len(frame) and _readers._hxl_row(frame.iloc[0].tolist(), frame.shape[1]):
        frame = frame.iloc[1:].reset_index(drop=True)  # HDX's HXL hashtag row
    return frame


def _numbers(values: pd.Series) -> np.ndarray:
    return pd.to_numeric(values.astype("string").str.strip(), errors="coerce").to_numpy(
        dtype="float64", na_value=np.nan
    )


def _same_values(given: pd.Series, out: pd.Series) -> int:
    """Rows where the output lost or changed the input's value (text as given)."""
    if isinstance(out.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(out):
        return 0  # dates are checked by the reader's own flags (bad_date)
    a = given.astype("string").fillna("").str.strip()
    b = out.astype("string").fillna("").str.strip()
    differ = (a != b).to_numpy(dtype=bool)
    if not differ.any():
        return 0
    na, nb = _numbers(a), _numbers(b)
    numeric_same = (na == nb) | (np.isnan(na) & np.isnan(nb) & (a == "").to_numpy(dtype=bool))
    return int((differ & ~numeric_same).sum())


def _coordinate_numbers(values: pd.Series) -> np.ndarray:
    """Numbers of a coordinate column, read with a decimal comma when no value has a dot."""
    text = values.astype("string").str.strip()
    if not text.str.contains(".", regex=False).fillna(False).any():
        text = text.str.replace(",", ".", regex=False)
    return _numbers(text)


def _coordinates(ref: pd.DataFrame, mapping: dict[str, str]) -> tuple[np.ndarray, np.ndarray]:
    if "__x" in ref:
        return ref["__x"].to_numpy(dtype="float64"), ref["__y"].to_numpy(dtype="float64")
    lower = {str(c).strip().lstrip("\ufeff").lower(): c for c in ref.columns}

    def pick(key: str) -> np.ndarray:
        name = str(mapping.get(key, "")).lower()
        if name in lower:
            return _coordinate_numbers(ref[lower[name]])
        return np.full(len(ref), np.nan)

    return pick("lon"), pick("lat")


def _in_box(x: np.ndarray, y: np.ndarray, box: Any) -> np.ndarray:
    return np.asarray((x >= box[0]) & (x <= box[2]) & (y >= box[1]) & (y <= box[3]), dtype=bool)


def _check_points(
    check: FileCheck, ref: pd.DataFrame, ev: Any, mapping: dict[str, str], box: Any
) -> None:
    x0, y0 = _coordinates(ref, mapping)
    if box is not None:
        # rows a box-only rule would swap: given point outside the area, swapped one inside
        check.swap_shaped = int((~_in_box(x0, y0, box) & _in_box(y0, x0, box)).sum())
    geoms = ev.geometry
    has = ~(geoms.isna() | geoms.is_empty).to_numpy(dtype=bool)
    x1 = np.where(has, geoms.x.where(has), np.nan).astype("float64")
    y1 = np.where(has, geoms.y.where(has), np.nan).astype("float64")
    given = np.isfinite(x0) & np.isfinite(y0)
    reason = ev["reason"].fillna("").astype(str).to_numpy()
    geocoded = ev["geocoded"].fillna(False).to_numpy(dtype=bool)
    swapped = np.array(["swapped" in r and "possible_swap" not in r for r in reason])
    same = given & has & np.isclose(x0, x1, atol=1e-9) & np.isclose(y0, y1, atol=1e-9)
    exchanged = given & has & np.isclose(x0, y1, atol=1e-9) & np.isclose(y0, x1, atol=1e-9)
    moved = given & has & ~same
    check.moved_with_swap = int((moved & exchanged & swapped).sum())
    check.moved_without_reason = int((moved & ~(exchanged & swapped)).sum())
    flagged = ev["status"].astype(str).to_numpy() != "ok"
    check.dropped_points = int((given & ~has).sum())  # a number pair in, no point out
    check.lost_points = int((given & ~has & ~flagged).sum() + (~has & ~given & ~flagged).sum())
    check.lost_points += int((has & ~given & ~geocoded).sum())


def _check_columns(check: FileCheck, ref: pd.DataFrame, ev: Any, mapping: dict[str, str]) -> None:
    by_source = {v.lower(): k for k, v in mapping.items()}
    out_lower = {str(c).lower(): c for c in ev.columns}
    names = [c for c in ref.columns if not str(c).startswith("__")]
    cleaned = _readers.clean_names(names)
    check.columns_total = len(names)
    for raw, name in zip(names, cleaned, strict=True):
        schema = by_source.get(name.lower())
        if schema in ("lon", "lat"):
            check.columns_kept += 1  # checked as the point
            continue
        target = schema if schema is not None else out_lower.get(name.lower())
        if target is None or target not in ev.columns:
            check.column_problems.append(f"{name}: missing")
            continue
        if schema in _TYPED:
            lost = int(
                (
                    (ref[raw].astype("string").fillna("").str.strip() != "").to_numpy(dtype=bool)
                    & ev[target].isna().to_numpy(dtype=bool)
                    & (ev["status"].astype(str).to_numpy() == "ok")
                ).sum()
            )
            bad = 0 if schema.startswith("date") else _same_values(ref[raw], ev[target]) - lost
            if lost or bad > 0:
                check.column_problems.append(f"{name}->{schema}: {lost} lost, {bad} changed")
                continue
        else:
            changed = _same_values(ref[raw], ev[target])
            if changed:
                check.column_problems.append(f"{name}->{target}: {changed} values changed")
                continue
        check.columns_kept += 1


def check_file(path: Path, study_area: Any) -> FileCheck:
    """Read ``path`` both ways and compare; never raises."""
    check = FileCheck(path)
    try:
        ref = reference_table(path)
    except Exception as exc:
        check.error = f"reference read failed: {type(exc).__name__}: {exc}"
        return check
    check.rows_in = len(ref)
    names = [str(c) for c in ref.columns if not str(c).startswith("__")]
    check.layout = _readers.detect_layout(_readers.clean_names(names))
    check.vintage = acled_vintage(_readers.clean_names(names)) if check.layout == "acled" else ""
    mapping = _readers._layout_mapping(check.layout, _readers.clean_names(names), None)
    if "date" in mapping and mapping["date"] in ref.columns:
        check.date_style = _date_style(ref[mapping["date"]])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            ev = read_events(path, study_area=study_area)
        except Exception as exc:
            check.error = f"{type(exc).__name__}: {exc}"
            return check
    check.warnings = sorted({str(w.message).split(";")[0][:160] for w in caught})
    check.rows_out = len(ev)
    if check.rows_out != check.rows_in:
        return check
    check.status = ev["status"].astype(str).value_counts().to_dict()
    for text in ev["reason"].fillna("").astype(str):
        for part in text.split("; "):
            code = re.match(r"[a-z_]+", part)
            if code:
                check.reasons[code.group(0)] += 1
    _check_points(check, ref, ev, mapping, study_area)
    _check_columns(check, ref, ev, mapping)
    _check_year(check, ref, ev)
    return check


def _check_year(check: FileCheck, ref: pd.DataFrame, ev: Any) -> None:
    """Where the file has a ``year`` column, the parsed date must fall in that year."""
    lower = {str(c).strip().lower(): c for c in ref.columns}
    if "year" not in lower or "date" not in ev.columns:
        return
    given = _numbers(ref[lower["year"]])
    parsed = ev["date"].dt.year.to_numpy(dtype="float64", na_value=np.nan)
    both = np.isfinite(given) & np.isfinite(parsed)
    check.year_mismatches = int((both & (given != parsed)).sum())


def geocode_check(path: Path, every: int) -> str | None:
    """Blank every ``every``-th row's coordinates of a generic table with a place column,
    read it with ``geocode=True`` and say how far the geocoded points fall from the given
    ones (None when the file is not such a table)."""
    import io

    from pyproj import Geod

    ref = reference_table(path)
    if "__x" in ref or path.suffix.lower() not in (".csv", ".tsv", ".txt"):
        return None
    names = _readers.clean_names([str(c) for c in ref.columns])
    mapping = _readers._layout_mapping("csv", names, None)
    if _readers.detect_layout(names) != "csv" or not {"lon", "lat", "place"} <= set(mapping):
        return None
    ref = ref.set_axis(names, axis=1)
    x0, y0 = _numbers(ref[mapping["lon"]]), _numbers(ref[mapping["lat"]])
    blank = (np.arange(len(ref)) % every == 0) & np.isfinite(x0) & np.isfinite(y0)
    ref.loc[blank, [mapping["lon"], mapping["lat"]]] = ""
    ev = read_events(io.StringIO(ref.to_csv(index=False)), format="csv", study_area=None)
    done = blank & ev["geocoded"].fillna(False).to_numpy(dtype=bool)
    km = (
        Geod(ellps="WGS84").inv(x0[done], y0[done], ev.geometry.x[done], ev.geometry.y[done])[2]
        / 1000
    )
    if not done.any():
        return f"{path.name}: 0 of {int(blank.sum())} blanked rows geocoded"
    return (
        f"{path.name}: {int(done.sum())} of {int(blank.sum())} blanked rows geocoded; "
        f"distance to the given point: median {np.median(km):.1f} km, "
        f"{(km <= 25).mean():.0%} within 25 km, {int((km > 100).sum())} beyond 100 km; "
        f"others: {dict(Counter(ev['reason'][blank & ~done].str.extract('^([a-z_]+)')[0]))}"
    )


def table(checks: list[FileCheck]) -> str:
    """The Markdown table of the checks, one line per file."""
    lines = [
        "| file | layout (vintage) | date style | rows in / out | ok / warning / invalid "
        "| flags (rows) | swap-shaped | moved: swapped / no reason | points given, not read "
        "| source columns kept |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for c in checks:
        if c.error:
            lines.append(f"| {c.path.name} | {c.layout} | | {c.rows_in} / - | error: {c.error} |")
            continue
        flags = ", ".join(f"{k} {v}" for k, v in c.reasons.most_common()) or "none"
        status = " / ".join(str(c.status.get(k, 0)) for k in ("ok", "warning", "invalid"))
        layout = f"{c.layout} ({c.vintage})" if c.vintage else c.layout
        lines.append(
            f"| {c.path.name} | {layout} | {c.date_style} | {c.rows_in} / {c.rows_out} | "
            f"{status} | {flags} | {c.swap_shaped} | {c.moved_with_swap} / "
            f"{c.moved_without_reason} | {c.dropped_points} | "
            f"{c.columns_kept} / {c.columns_total} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument(
        "--study-area",
        choices=("default", "none"),
        default="default",
        help="'none' reads without the study area (no outside_study_area flags)",
    )
    parser.add_argument("--details", action="store_true", help="per-file problems and warnings")
    parser.add_argument(
        "--geocode-check",
        type=int,
        metavar="N",
        default=0,
        help="for generic tables with a place column: blank every N-th point, geocode it "
        "back (geocode=True) and report the distance to the given point",
    )
    args = parser.parse_args(argv)
    files = sorted(p for p in args.folder.rglob("*") if p.suffix.lower() in SUFFIXES)
    if not files:
        print(f"no event files under {args.folder}", file=sys.stderr)
        return 2
    area = None if args.study_area == "none" else _readers.STUDY_AREA
    checks = [check_file(p, area) for p in files]
    print(table(checks))
    if args.details:
        for c in checks:
            print(f"\n{c.path.name}: {'BROKEN' if c.broken else 'fine'}")
            for problem in c.column_problems:
                print(f"  column {problem}")
            if c.year_mismatches:
                print(f"  {c.year_mismatches} dates fall outside the row's year column")
            if c.lost_points:
                print(f"  {c.lost_points} rows lost or gained a point without a flag")
            for w in c.warnings:
                print(f"  warning: {w}")
    if args.geocode_check:
        print()
        for p in files:
            line = geocode_check(p, args.geocode_check)
            if line:
                print(line)
    broken = [c.path.name for c in checks if c.broken]
    if broken:
        print(f"\n{len(broken)} of {len(checks)} files break a check: {broken}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
