"""Evaluate :func:`desertgeo.geocode` on real location descriptions and desert names.

Two tables in ``tests/data/geocode_eval/`` (see the README there for sources and method):

* ``descriptions.csv``: location descriptions as coders and reporters write them, each
  with a truth point (``truth_lon``, ``truth_lat``) and a ``kind`` of phrasing;
* ``desert_names.csv``: desert, border and site names that must never be answered
  ``status="ok"`` anywhere other than their truth (``truth_radius_km`` around the truth
  point; a row without a truth point must never be ``ok``).

Figures, by kind and overall:

* ``within_10km``: share of rows whose point lies within 10 km (geodesic) of the truth
  (for lists of places: within 10 km of the members' extent, ``truth_spread_km``);
* ``confident_wrong``: rows with ``status == "ok"`` more than 25 km from the truth, or
  with no point (descriptions; lists again add their ``truth_spread_km``), or ``ok``
  outside the truth radius, or with no truth and an uncertainty under 50 km (desert names);
* ``unresolved``: rows with ``status == "unresolved"`` (no point), including ``errors``:
  rows on which ``geocode`` raised (reported, never fatal).

Usage::

    PYTHONPATH=src python scripts/eval_geocode.py [--out rows.csv] [--json summary.json]
        [--descriptions tests/data/geocode_heldout/heldout.csv]

Exit status 1 when the goals are missed: >= 90 % within 10 km on the descriptions and 0
confident wrong answers on both tables.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Geod

HERE = Path(__file__).resolve().parent
DATA = HERE.parent / "tests" / "data" / "geocode_eval"
WITHIN_KM = 10.0
WRONG_KM = 25.0
GOAL_WITHIN = 0.90
NO_TRUTH_KM = 50.0
_GEOD = Geod(ellps="WGS84")


def load_tables(
    data: Path = DATA, descriptions: Path | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read the two evaluation tables.

    Parameters
    ----------
    data : pathlib.Path
        Folder holding ``descriptions.csv`` and ``desert_names.csv``.
    descriptions : pathlib.Path, optional
        Another descriptions table in the same columns (the held-out set,
        ``tests/data/geocode_heldout/heldout.csv``); default ``data / "descriptions.csv"``.

    Returns
    -------
    tuple of pandas.DataFrame
        ``(descriptions, desert_names)``, read as strings except the coordinates.

    Examples
    --------
    >>> d, n = load_tables()
    >>> {"description", "kind", "truth_lon", "truth_lat"} <= set(d.columns)
    True
    """
    num = {"truth_lon": float, "truth_lat": float}
    desc = pd.read_csv(descriptions or data / "descriptions.csv", dtype=str, keep_default_na=False)
    names = pd.read_csv(data / "desert_names.csv", dtype=str, keep_default_na=False)
    for frame in (desc, names):
        for col in num:
            frame[col] = pd.to_numeric(frame[col].replace("", np.nan), errors="coerce")
    if "truth_radius_km" in names.columns:
        names["truth_radius_km"] = pd.to_numeric(
            names["truth_radius_km"].replace("", np.nan), errors="coerce"
        )
    return desc, names


def distance_km(
    lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray
) -> np.ndarray:
    """Geodesic (WGS84) distance in km; NaN where either point is missing.

    Examples
    --------
    >>> a, b = np.array([38.0]), np.array([34.0])
    >>> round(float(distance_km(a, b, a, b + 1.0)[0]), 1)
    110.9
    """
    lon1, lat1, lon2, lat2 = (np.asarray(a, dtype=float) for a in (lon1, lat1, lon2, lat2))
    out = np.full(lon1.shape, np.nan)
    ok = ~(np.isnan(lon1) | np.isnan(lat1) | np.isnan(lon2) | np.isnan(lat2))
    if ok.any():
        _, _, dist = _GEOD.inv(lon1[ok], lat1[ok], lon2[ok], lat2[ok])
        out[ok] = np.asarray(dist) / 1000.0
    return out


def _geocode_rows(queries: pd.Series, **geocode_kwargs: object) -> pd.DataFrame:
    """Geocode all queries; if the batch raises, split it in halves until the rows that
    raise are isolated.

    A row on which :func:`desertgeo.geocode` itself raises comes back with
    ``status="error"`` and the exception in ``reason`` (an evaluation must not stop at
    the first crash, and a crash is worse than an honest ``unresolved``).
    """
    from desertgeo import geocode

    try:
        return geocode(queries, **geocode_kwargs)  # type: ignore[arg-type]
    except Exception as exc:
        if len(queries) == 1:
            return gpd.GeoDataFrame(
                {
                    "query": list(queries),
                    "matched_name": [None],
                    "country": [None],
                    "uncertainty_m": [np.nan],
                    "rule": [None],
                    "status": ["error"],
                    "reason": [f"{type(exc).__name__}: {exc}"],
                },
                geometry=[None],
                index=queries.index,
                crs="EPSG:4326",
            )
    half = len(queries) // 2
    parts = [
        _geocode_rows(queries.iloc[:half], **geocode_kwargs),
        _geocode_rows(queries.iloc[half:], **geocode_kwargs),
    ]
    return pd.concat(parts)


def _points(result: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    geom = result.geometry
    empty = geom.isna() | geom.is_empty
    lon = np.where(empty, np.nan, geom.x.where(~empty))
    lat = np.where(empty, np.nan, geom.y.where(~empty))
    return lon.astype(float), lat.astype(float)


def _answers(table: pd.DataFrame, column: str, **geocode_kwargs: object) -> pd.DataFrame:
    """Geocode ``table[column]``; return the table plus the answer columns and the error.

    Added columns: ``status``, ``matched_name``, ``answer_country``, ``rule``, ``lon``,
    ``lat``, ``uncertainty_km``, ``error_km`` (to the truth point), ``unresolved``,
    ``error`` (geocode raised) and ``reason``.
    """
    res = _geocode_rows(table[column], **geocode_kwargs)
    lon, lat = _points(res)
    out = table.copy()
    for col, src in (
        ("status", "status"),
        ("matched_name", "matched_name"),
        ("answer_country", "country"),
        ("rule", "rule"),
        ("reason", "reason"),
    ):
        out[col] = res[src].to_numpy()
    out["lon"], out["lat"] = lon, lat
    out["uncertainty_km"] = pd.to_numeric(res["uncertainty_m"], errors="coerce").to_numpy() / 1000
    truth_lon, truth_lat = table["truth_lon"].to_numpy(), table["truth_lat"].to_numpy()
    out["error_km"] = distance_km(lon, lat, truth_lon, truth_lat)
    out["unresolved"] = out["status"].isin(["unresolved", "error"])
    out["error"] = out["status"] == "error"
    return out


def score_descriptions(desc: pd.DataFrame, **geocode_kwargs: object) -> pd.DataFrame:
    """Geocode every description and score it against its truth point.

    Returns
    -------
    pandas.DataFrame
        One row per input row (same index): the input columns plus the answer columns of
        :func:`_answers` and ``within_10km``, ``confident_wrong``.
    """
    out = _answers(desc, "description", **geocode_kwargs)
    err = out["error_km"].to_numpy(dtype=float)
    # a list ("the towns of X, Y and Z") has a truth extent: the centre of its members
    # and the farthest member's distance from it (truth_spread_km, 0 for one place)
    spread = desc.get("truth_spread_km", pd.Series(0.0, index=desc.index))
    spread = pd.to_numeric(spread, errors="coerce").fillna(0.0).to_numpy(dtype=float)
    out["within_10km"] = err <= WITHIN_KM + spread
    out["confident_wrong"] = (out["status"] == "ok").to_numpy() & ~(err <= WRONG_KM + spread)
    return out


def score_desert_names(names: pd.DataFrame, **geocode_kwargs: object) -> pd.DataFrame:
    """Geocode the desert and border names; flag every confident answer off the truth.

    A row is ``confident_wrong`` when ``status == "ok"`` and either the answer lies
    farther than ``max(truth_radius_km, 25)`` km from the truth point, or the row has no
    truth point and the answer claims to know the place within ``NO_TRUTH_KM`` (50 km):
    an ``ok`` at governorate scale ("somewhere in rural Hama") is not a confident point.
    """
    out = _answers(names, "name", **geocode_kwargs)
    err = out["error_km"].to_numpy(dtype=float)
    radius = names.get("truth_radius_km", pd.Series(np.nan, index=names.index)).fillna(0.0)
    radius_km = radius.to_numpy(dtype=float)
    no_truth = names["truth_lon"].isna().to_numpy()
    ok = (out["status"] == "ok").to_numpy()
    out["within_10km"] = err <= np.maximum(WITHIN_KM, radius_km)
    vague = out["uncertainty_km"].to_numpy(dtype=float) >= NO_TRUTH_KM
    limit = np.maximum(radius_km, WRONG_KM)
    out["confident_wrong"] = ok & np.where(no_truth, ~vague, ~(err <= limit))
    return out


def summarise(scored: pd.DataFrame, by: str = "kind") -> pd.DataFrame:
    """Per-kind figures plus an ``ALL`` row: n, within_10km share, confident_wrong, unresolved.

    Examples
    --------
    >>> s = pd.DataFrame({"kind": ["a", "a", "b"], "within_10km": [True, False, True],
    ...                   "confident_wrong": [False, True, False], "unresolved": [False] * 3})
    >>> float(summarise(s).loc["ALL", "within_10km"])
    0.667
    """

    def block(g: pd.DataFrame) -> dict[str, float]:
        return {
            "n": len(g),
            "within_10km": round(float(g["within_10km"].mean()), 3) if len(g) else math.nan,
            "confident_wrong": int(g["confident_wrong"].sum()),
            "unresolved": int(g["unresolved"].sum()),
            "errors": int(g["error"].sum()) if "error" in g else 0,
        }

    rows = {k: block(g) for k, g in scored.groupby(by, sort=True)}
    rows["ALL"] = block(scored)
    table = pd.DataFrame.from_dict(rows, orient="index")
    return table.astype({"n": int, "confident_wrong": int, "unresolved": int, "errors": int})


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation; print the figures; return 1 when a goal is missed."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DATA, help="folder of the two tables")
    ap.add_argument(
        "--descriptions", type=Path, help="descriptions table (default: DATA/descriptions.csv)"
    )
    ap.add_argument("--out", type=Path, help="write the per-row table here (CSV)")
    ap.add_argument("--json", type=Path, help="write the summary here (JSON)")
    args = ap.parse_args(argv)
    desc, names = load_tables(args.data, args.descriptions)
    sd = score_descriptions(desc)
    sn = score_desert_names(names)
    td, tn = summarise(sd), summarise(sn)
    pd.set_option("display.width", 120)
    print(f"descriptions ({len(sd)} rows), by kind:\n{td.to_string()}\n")
    print(f"desert and border names ({len(sn)} rows), by kind:\n{tn.to_string()}\n")
    for label, frame, col in (("description", sd, "description"), ("desert name", sn, "name")):
        for _, r in frame[frame["error"]].iterrows():
            print(f"GEOCODE ERROR ({label}): {r[col]!r}: {r['reason']}")
    for label, frame, col in (("description", sd, "description"), ("desert name", sn, "name")):
        for _, r in frame[frame["confident_wrong"]].iterrows():
            off = "no truth" if math.isnan(r["error_km"]) else f"{r['error_km']:.0f} km off"
            print(f"CONFIDENT WRONG ({label}): {r[col]!r} -> {r['matched_name']} ({off})")
    if args.out:
        both = pd.concat(
            [sd.assign(table="descriptions"), sn.assign(table="desert_names")], ignore_index=True
        )
        both.to_csv(args.out, index=False)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "descriptions": td.to_dict(orient="index"),
                    "desert_names": tn.to_dict(orient="index"),
                },
                indent=1,
            )
        )
    share = float(td.loc["ALL", "within_10km"])
    n_wrong = int(td.loc["ALL", "confident_wrong"] + tn.loc["ALL", "confident_wrong"])
    n_err = int(td.loc["ALL", "errors"] + tn.loc["ALL", "errors"])
    met = share >= GOAL_WITHIN and n_wrong == 0 and n_err == 0
    print(
        f"goals: within 10 km {share:.1%} (goal >= 90%), confident wrong {n_wrong} (goal 0): "
        f"{'met' if met else 'MISSED'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
