"""One command from news articles or an event table to a checked, offline HTML brief.

:func:`brief` reads the input (article texts through :func:`desertgeo.events_from_text`,
event files through :func:`desertgeo.read_events`, or a frame), then runs the parts that
exist on it -- control zones on each event's date, the range of controller shares that the
events' location uncertainty allows, exact distances to the borders, the Syria-Iraq-Jordan
tri-point and the al-Tanf garrison, DBSCAN clusters, Gi* hotspots -- and returns a
:class:`Report`: the numbers as frames and one self-contained HTML page that opens with no
internet (:meth:`Report.save`; notebooks show it inline).

The share range: an event whose uncertainty disc lies wholly in one controller's zones
counts for that controller whatever its true position in the disc; an event whose disc
touches several controllers' zones (or leaves the zones' coverage) may count for any of
them. The lowest share of controller *C* is the share of events that are surely in *C*,
the highest the share of events that may be in *C*. The page says so next to each number.

This module is named ``briefing`` (not ``brief``) because a module named like the function
it exports would shadow ``desertgeo.brief`` once imported (see CONTRIBUTING.md).

Examples
--------
>>> import desertgeo
>>> text = ("On February 11, IS fighters kidnapped about 75 truffle hunters from the town "
...         "of Palmyra. At least 16 people were killed.")
>>> report = desertgeo.brief(text, published="2023-02-20")
>>> report.facts["n_events"], report.facts["fatalities"]
(1, 16)
>>> report.shares.loc["Syrian government", ["low", "high"]].tolist()
[1.0, 1.0]
>>> "Syrian government" in report.html and "https://" not in report.summary
True
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from desertgeo._atomic import atomic_write_text
from desertgeo._errors import InputError
from desertgeo._geodesy import METRIC_CRS, metric_transformer
from desertgeo._validate import loose_dates

__all__ = ["ClaimCheck", "Report", "brief", "share_ranges"]

#: suffixes read as article text; everything else goes to :func:`desertgeo.read_events`
TEXT_SUFFIXES = (".txt", ".text", ".md")
#: label of the part of a disc (or an event) outside every zone of its snapshot
OUTSIDE = "(outside zones)"
#: zone statuses of events that have a place and a date some snapshot covers
_PLACED = ("ok", "outside zones")
_UTM = METRIC_CRS
#: below this share of its disc, a controller's touch is a numerical sliver, not a chance
_TOUCH_EPS = 1e-4


@dataclass(frozen=True)
class ClaimCheck:
    """A stated share (e.g. "nearly two-thirds in government-held areas") against the table.

    Attributes
    ----------
    controller : str
        The controller the claim is about (matched from the key given).
    claim : float
        The stated share, 0-1.
    share : float
        Share of placed events assigned to the controller (their reported points).
    low, high : float
        The range the events' location uncertainty allows.
    expected : float
        Area-weighted share (each uncertain event split by its disc); NaN when not computed.
    n_events : int
        Events in the denominator (placed in a zone snapshot on their date).
    inside : bool
        ``low <= claim <= high``.
    sentence : str
        The verdict in plain words.
    """

    controller: str
    claim: float
    share: float
    low: float
    high: float
    expected: float
    n_events: int
    inside: bool
    sentence: str

    def to_dict(self) -> dict[str, Any]:
        """The check as a plain dict (for JSON)."""
        return {
            "controller": self.controller,
            "claim": self.claim,
            "share": self.share,
            "low": self.low,
            "high": self.high,
            "expected": None if np.isnan(self.expected) else self.expected,
            "n_events": self.n_events,
            "inside": self.inside,
            "sentence": self.sentence,
        }


@dataclass(frozen=True)
class Report:
    """A built brief: the numbers, the flags and one offline HTML page.

    Attributes
    ----------
    html : str
        The whole page (self-contained: no external request).
    summary : str
        The plain-sentence summary shown at the top of the page.
    events : GeoDataFrame
        The input events (one row per input row, input index) with ``controller``,
        ``zone_status``, ``snapshot``, ``zone_touches``, the ``dist_*_km`` columns and
        ``cluster`` added.
    shares : DataFrame
        Per controller (index): ``events``, ``fatalities``, ``share``, ``low``, ``high``,
        ``expected`` (see :func:`share_ranges`).
    flags : DataFrame
        ``kind``, ``event_id``, ``detail``: every unresolved place, invalid or warned row
        and event outside zone coverage.
    clusters : GeoDataFrame
        :func:`desertgeo.summarize_clusters` of the events.
    hotspots : GeoDataFrame or None
        :func:`desertgeo.hotspots` cells (None with too few located events).
    facts : dict
        The summary's numbers (events, fatalities, dates, timings).
    claim : ClaimCheck or None
        The checked claim, when one was given.
    """

    html: str = field(repr=False)
    summary: str
    events: gpd.GeoDataFrame = field(repr=False)
    shares: pd.DataFrame = field(repr=False)
    flags: pd.DataFrame = field(repr=False)
    clusters: gpd.GeoDataFrame = field(repr=False)
    hotspots: gpd.GeoDataFrame | None = field(repr=False)
    facts: dict[str, Any] = field(repr=False)
    claim: ClaimCheck | None = None

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page to ``path`` atomically (the old file stays whole until done).

        Examples
        --------
        >>> import tempfile, pathlib, desertgeo
        >>> r = desertgeo.brief(desertgeo.datasets.load("seed_events"))
        >>> out = r.save(pathlib.Path(tempfile.mkdtemp()) / "brief.html")
        >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
        True
        """
        return atomic_write_text(path, self.html)

    def _repr_html_(self) -> str:
        from desertgeo._brief_html import notebook_frame

        return notebook_frame(self.html)


def _is_text_path(item: Any) -> bool:
    return isinstance(item, (str, os.PathLike)) and Path(os.fspath(item)).suffix.lower() in (
        TEXT_SUFFIXES
    )


def _looks_like_path(item: str) -> bool:
    return "\n" not in item and len(item) < 4096 and Path(item).suffix != "" and " " not in item


def _published_list(published: Any, n: int) -> list[Any]:
    if (
        published is None
        or isinstance(published, (str, pd.Timestamp))
        or hasattr(published, "year")
    ):
        return [published] * n
    values = list(published)
    if len(values) == 1:
        return values * n
    if len(values) != n:
        raise InputError(
            f"published: got {len(values)} dates for {n} articles; give one date for all "
            "or one per article, in the same order"
        )
    return values


def _read_articles(items: list[Any], published: Any) -> tuple[gpd.GeoDataFrame, list[str]]:
    from desertgeo.text import events_from_text

    dates = _published_list(published, len(items))
    frames = []
    names = []
    for i, (item, pub) in enumerate(zip(items, dates, strict=True)):
        if isinstance(item, (str, os.PathLike)) and (
            _is_text_path(item) or (isinstance(item, str) and _looks_like_path(item))
        ):
            path = Path(os.fspath(item))
            if not path.is_file():
                raise FileNotFoundError(f"article not found: {path}")
            text = path.read_text(encoding="utf-8")
            name = path.name
        elif isinstance(item, str):
            text, name = item, f"text {i + 1}"
        else:
            raise InputError(f"brief: cannot read {type(item).__name__} as an article text")
        ev = events_from_text(text, published=pub, source=name)
        if len(items) > 1:
            ev["event_id"] = (Path(name).stem + ":" + ev["event_id"].astype("string")).astype(
                "string"
            )
        frames.append(ev)
        names.append(name if pub is None else f"{name} (published {pd.Timestamp(pub).date()})")
    out = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return gpd.GeoDataFrame(out, geometry="geometry", crs=4326), names


def _read_input(source: Any, published: Any) -> tuple[gpd.GeoDataFrame, str, list[str]]:
    """Events, the input kind ("text" or "table") and the input names."""
    from desertgeo.events import read_events, validate_events

    if isinstance(source, gpd.GeoDataFrame):
        if published is not None:
            raise InputError("published applies to article texts, not to an events frame")
        kind = "text" if "sentence" in source.columns else "table"
        return validate_events(source), kind, ["events frame"]
    if isinstance(source, pd.DataFrame):
        raise InputError(
            "brief needs a GeoDataFrame of events (with point geometry), a file or text"
        )
    items = [source] if isinstance(source, (str, os.PathLike)) else list(source)
    if not items:
        raise InputError("brief: no input given")
    texts = [_is_text_path(i) or (isinstance(i, str) and not _looks_like_path(i)) for i in items]
    if all(texts):
        events, names = _read_articles(items, published)
        return events, "text", names
    if any(texts):
        raise InputError("brief: give article texts or one events file, not both")
    if len(items) != 1:
        raise InputError(f"brief: give one events file, not {len(items)}")
    if published is not None:
        raise InputError("--published applies to article texts, not to an events file")
    path = Path(os.fspath(items[0]))
    if not path.exists():
        raise FileNotFoundError(f"events file not found: {path}")
    return read_events(path), "table", [path.name]


# --------------------------------------------------------------------------- share ranges


def _utm_points(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lon = shapely.get_x(geoms)
    lat = shapely.get_y(geoms)
    x, y = metric_transformer().transform(lon, lat)
    scale = pyproj.Proj(f"EPSG:{_UTM}").get_factors(lon, lat).meridional_scale
    return np.asarray(x), np.asarray(y), np.asarray(scale)


def zone_touches(events: gpd.GeoDataFrame, zones: gpd.GeoDataFrame) -> pd.Series:
    """The controllers each event's uncertainty disc touches on the event's date.

    ``events`` come from :func:`desertgeo.assign_zones` (``snapshot``, ``controller``,
    ``zone_status``) and carry ``uncertainty_m``. A disc touches a zone when the zone lies
    within the radius of the event's point, measured in UTM 37N with the radius scaled by
    the projection's local scale factor (so the test is a true geodesic radius to well
    under 0.01 %); it touches :data:`OUTSIDE` when it reaches past the snapshot's coverage.

    Returns
    -------
    Series
        Aligned to ``events``, named ``zone_touches``: a sorted tuple of controllers
        (empty for events with no place, no date or no snapshot on their date).

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> from shapely import Point
    >>> from desertgeo.zones import assign_zones, load_zones
    >>> ev = gpd.GeoDataFrame({"date": pd.to_datetime(["2023-03-01"] * 2),
    ...                        "uncertainty_m": [30000.0, 0.0]},
    ...                       geometry=[Point(40.14, 35.34), Point(38.28, 34.56)], crs=4326)
    >>> zone_touches(assign_zones(ev), load_zones()).tolist()
    [('SDF', 'Syrian government'), ('Syrian government',)]
    """
    return _touches_from(_touch_pairs(events, zones), events.index)


def _touches_from(pairs: pd.DataFrame, index: pd.Index) -> pd.Series:
    values: list[tuple[str, ...]] = [()] * len(index)
    for pos, tup in pairs.groupby("event", sort=True)["controller"].agg(tuple).items():
        values[int(pos)] = tup  # type: ignore[call-overload]
    return pd.Series(values, index=index, name="zone_touches", dtype=object)


def _touch_pairs(events: gpd.GeoDataFrame, zones: gpd.GeoDataFrame) -> pd.DataFrame:
    """Unique (event position, controller) pairs of :func:`zone_touches`, sorted."""
    status = events["zone_status"].astype("string").fillna("").to_numpy()
    placed = np.isin(status, _PLACED)
    assigned = events["controller"].astype("string").fillna(OUTSIDE).to_numpy(dtype=object)
    ev_pos = [np.flatnonzero(placed)]
    ctrl = [assigned[placed]]
    radius = (
        (
            pd.to_numeric(events["uncertainty_m"], errors="coerce").astype("float64")
            if "uncertainty_m" in events.columns
            else pd.Series(0.0, index=events.index)
        )
        .fillna(0.0)
        .clip(lower=0.0)
        .to_numpy(dtype=float)
    )
    snaps = events["snapshot"].astype("string").fillna("").to_numpy(dtype=object)
    geoms = np.asarray(events.geometry.array)
    zone_snaps = zones["snapshot"].astype("string").to_numpy(dtype=object)
    zone_owners = zones["controller"].astype("string").to_numpy(dtype=object)
    zone_geoms = np.asarray(zones.to_crs(_UTM).geometry.array)
    uncertain = placed & (radius > 0)
    for snap in pd.unique(snaps[uncertain]):
        idx = np.flatnonzero(uncertain & (snaps == snap))
        x, y, k = _utm_points(geoms[idx])
        pts = shapely.points(x, y)
        dist = radius[idx] * k
        rows = np.flatnonzero(zone_snaps == snap)
        polys = zone_geoms[rows]
        p_i, z_i = shapely.STRtree(polys).query(pts, predicate="dwithin", distance=dist)
        ev_pos.append(idx[p_i])
        ctrl.append(zone_owners[rows][z_i])
        edge = shapely.boundary(shapely.union_all(polys))
        shapely.prepare(edge)
        reach = np.flatnonzero(shapely.dwithin(edge, pts, dist))
        ev_pos.append(idx[reach])
        ctrl.append(np.full(reach.size, OUTSIDE, dtype=object))
    pairs = pd.DataFrame({"event": np.concatenate(ev_pos), "controller": np.concatenate(ctrl)})
    pairs = pairs.drop_duplicates().sort_values(["event", "controller"], ignore_index=True)
    return pairs


def share_ranges(
    events: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame,
    *,
    exact_limit: int = 5000,
) -> tuple[pd.DataFrame, pd.Series]:
    """Share of events per controller, with the range the location uncertainty allows.

    Parameters
    ----------
    events : GeoDataFrame
        Output of :func:`desertgeo.assign_zones` (with ``uncertainty_m``).
    zones : GeoDataFrame
        The zones it was assigned with.
    exact_limit : int, default 5000
        The area-weighted ``expected`` share splits each uncertain event's disc between
        controllers with :func:`desertgeo.zones.zone_shares`; above this many uncertain
        events it is not computed (NaN) and the page says so.

    Returns
    -------
    (DataFrame, Series)
        The table, one row per controller (index; :data:`OUTSIDE` for events outside the
        zones), sorted by events: ``events`` (assigned by the reported point),
        ``fatalities``, ``share`` (of the events placed in a snapshot on their date),
        ``low`` (share surely in the controller's zones: the whole disc inside them),
        ``high`` (share possibly there: the disc touches them), ``expected``; and the
        :func:`zone_touches` of each event.

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd
    >>> from shapely import Point
    >>> from desertgeo.zones import assign_zones, load_zones
    >>> ev = gpd.GeoDataFrame({"date": pd.to_datetime(["2023-03-01"] * 2),
    ...                        "uncertainty_m": [30000.0, 0.0]},
    ...                       geometry=[Point(40.14, 35.34), Point(38.28, 34.56)], crs=4326)
    >>> table, _ = share_ranges(assign_zones(ev), load_zones())
    >>> table[["events", "share", "low", "high"]]
                       events  share  low  high
    controller
    Syrian government       2    1.0  0.5   1.0
    SDF                     0    0.0  0.0   0.5
    """
    pairs = _touch_pairs(events, zones)
    touches = _touches_from(pairs, events.index)
    status = events["zone_status"].astype("string").fillna("")
    placed = status.isin(_PLACED).to_numpy()
    n = int(placed.sum())
    assigned = events["controller"].astype("string").fillna(OUTSIDE)[placed]
    fat = (
        pd.to_numeric(events["fatalities"], errors="coerce").astype("float64")[placed]
        if "fatalities" in events.columns
        else pd.Series(np.nan, index=assigned.index)
    ).fillna(0.0)
    n_touch = pairs.groupby("event")["controller"].transform("size")
    sure = pairs.loc[n_touch == 1, "controller"].value_counts()
    maybe = pairs["controller"].value_counts()
    names = sorted(set(assigned) | set(pairs["controller"]))
    ambiguous = np.unique(pairs.loc[n_touch > 1, "event"].to_numpy())
    expected = pd.Series(np.nan, index=names, dtype="float64")
    if n and len(ambiguous) <= exact_limit:
        from desertgeo.zones import zone_shares

        total = sure.reindex(names, fill_value=0).astype(float)
        if len(ambiguous):
            long = zone_shares(events.iloc[ambiguous], zones)
            total = total.add(
                long.groupby("controller")["share"].sum().reindex(names, fill_value=0.0),
                fill_value=0.0,
            )
        expected = total / n
    counts = assigned.value_counts()
    fat_sum = fat.groupby(assigned.to_numpy()).sum()
    rows = [
        {
            "controller": name,
            "events": int(counts.get(name, 0)),
            "fatalities": int(fat_sum.get(name, 0)),
            "share": float(counts.get(name, 0)) / n if n else np.nan,
            "low": float(sure.get(name, 0)) / n if n else np.nan,
            "high": float(maybe.get(name, 0)) / n if n else np.nan,
            "expected": float(expected.get(name, np.nan)),
        }
        for name in names
    ]
    table = pd.DataFrame(
        rows, columns=["controller", "events", "fatalities", "share", "low", "high", "expected"]
    ).set_index("controller")
    table = table.sort_values(["events", "high"], ascending=False, kind="stable")
    table.attrs["n_placed"] = n
    table.attrs["n_ambiguous"] = len(ambiguous)
    return table, touches


def _match_controller(key: str, controllers: Sequence[str]) -> str:
    key = key.strip()
    if "=" in key:
        col, _, key = key.partition("=")
        if col.strip().lower() != "controller":
            raise InputError(
                f"check_share: only 'controller=KEY' is supported, got {col.strip()!r}"
            )
        key = key.strip()
    exact = [c for c in controllers if c.lower() == key.lower()]
    if exact:
        return exact[0]
    words = [c for c in controllers if key.lower() in c.lower()]
    if len(words) == 1:
        return words[0]
    listed = ", ".join(repr(c) for c in controllers)
    if not words:
        raise InputError(f"check_share: no controller matches {key!r}; controllers: {listed}")
    raise InputError(
        f"check_share: {key!r} matches several controllers ({', '.join(map(repr, words))}); "
        "give more of the name"
    )


def _parse_claim(claim: float | str) -> float:
    text = str(claim).strip()
    pct = text.endswith("%")
    try:
        value = float(text.rstrip("%")) / (100.0 if pct else 1.0)
    except ValueError as exc:
        raise InputError(f"claim must be a share such as 0.66 or 66%, got {claim!r}") from exc
    if not 0.0 <= value <= 1.0:
        raise InputError(f"claim must be a share between 0 and 1 (or 0-100%), got {claim!r}")
    return value


def check_claim(shares: pd.DataFrame, key: str, claim: float | str) -> ClaimCheck:
    """Check a stated share of events against the :func:`share_ranges` table.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"events": [6, 4], "share": [0.6, 0.4], "low": [0.5, 0.3],
    ...                   "high": [0.7, 0.5], "expected": [0.6, 0.4]},
    ...                  index=pd.Index(["Syrian government", "SDF"], name="controller"))
    >>> t.attrs["n_placed"] = 10
    >>> c = check_claim(t, "controller=government", 0.66)
    >>> c.controller, c.inside
    ('Syrian government', True)
    >>> check_claim(t, "SDF", "66%").inside
    False
    """
    value = _parse_claim(claim)
    name = _match_controller(key, [str(c) for c in shares.index if c != OUTSIDE])
    row: Any = shares.loc[name]
    low, high, share = float(row["low"]), float(row["high"]), float(row["share"])
    expected = float(row.get("expected", np.nan))
    n = int(shares.attrs.get("n_placed", int(shares["events"].sum())))
    inside = bool(low - 1e-12 <= value <= high + 1e-12)
    allows = (
        f"the location uncertainty leaves it at {low:.1%}"
        if abs(high - low) < 1e-12
        else f"the location uncertainty allows between {low:.1%} and {high:.1%}"
    )
    if inside:
        verdict = "lies inside that range: the table is consistent with the claim"
    elif value > high:
        verdict = (
            f"lies OUTSIDE that range, {100 * (value - high):.1f} points above the highest "
            "share the locations allow"
        )
    else:
        verdict = (
            f"lies OUTSIDE that range, {100 * (low - value):.1f} points below the lowest "
            "share the locations allow"
        )
    sentence = (
        f"Claim: {value:.0%} of the events in areas held by {name}. The table puts "
        f"{int(row['events']):,} of {n:,} placed events ({share:.1%}) there by their reported "
        f"points; {allows}. "
        f"The claim {verdict}."
    )
    return ClaimCheck(name, value, share, low, high, expected, n, inside, sentence)


# --------------------------------------------------------------------------- the pipeline


def _enrich(
    events: gpd.GeoDataFrame, zones: gpd.GeoDataFrame, timings: dict[str, float]
) -> gpd.GeoDataFrame:
    from desertgeo.distance import distance_to, distance_to_borders
    from desertgeo.zones import assign_zones

    t = time.perf_counter()
    out = assign_zones(events, zones)
    timings["zones"] = time.perf_counter() - t
    t = time.perf_counter()
    parts = [
        distance_to_borders(out),
        distance_to(out, "tri-border", label="tripoint"),
        distance_to(out, "site:al-tanf-garrison", label="tanf"),
    ]
    for part in parts:  # a re-run on enriched events replaces the old distances
        out = out.drop(columns=[c for c in part.columns if c in out.columns]).join(part)
    timings["distances"] = time.perf_counter() - t
    return out


def _located(events: gpd.GeoDataFrame) -> np.ndarray:
    geoms = np.asarray(events.geometry.array)
    return ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))


def brief(
    source: Any,
    *,
    published: Any = None,
    zones: Any = None,
    title: str | None = None,
    check_share: str | None = None,
    claim: float | str | None = None,
    eps_km: float = 10.0,
    min_events: int = 5,
    cell_km: float = 10.0,
    max_table_rows: int = 5000,
) -> Report:
    """Build a brief from article texts, an events file or an events frame.

    Parameters
    ----------
    source : path, text, list of them, or GeoDataFrame
        Article files (``.txt``, ``.md``) or article texts (read with
        :func:`desertgeo.events_from_text`); one events file (CSV, GeoJSON, GPKG,
        Parquet: :func:`desertgeo.read_events`); or an events GeoDataFrame.
    published : date-like or list of them, optional
        Articles' publication dates (one for all, or one per article): they anchor
        "Friday", "last week", "February 11".
    zones : GeoDataFrame or path, optional
        Control zones (default: the shipped approximate snapshots).
    title : str, optional
        Page title (default from the input names).
    check_share : str, optional
        ``"controller=KEY"`` (or just ``KEY``): check ``claim`` for this controller; KEY
        matches a controller exactly or as a unique part of its name.
    claim : float or str, optional
        The stated share (0.66 or "66%").
    eps_km, min_events : float, int
        DBSCAN radius and core size for the clusters.
    cell_km : float
        Hexagon size of the Gi* hotspot grid.
    max_table_rows : int, default 5000
        Rows of the events table embedded in the page (paginated; flagged rows first).
        The analysis always uses every event.

    Returns
    -------
    Report

    Raises
    ------
    InputError
        Mixed or unreadable inputs, a claim without ``check_share`` (or the reverse), an
        unknown controller.
    FileNotFoundError
        An input file that does not exist.

    Examples
    --------
    >>> import desertgeo
    >>> r = desertgeo.brief(desertgeo.datasets.load("seed_events"),
    ...                     check_share="controller=government", claim=0.66)
    >>> r.claim.controller
    'Syrian government'
    >>> r.facts["n_events"]
    11
    """
    from desertgeo._brief_html import render
    from desertgeo.zones import load_zones

    if (check_share is None) != (claim is None):
        raise InputError("give check_share and claim together (e.g. controller=government, 0.66)")
    if max_table_rows < 1:
        raise InputError(f"max_table_rows must be >= 1, got {max_table_rows!r}")
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    events, kind, names = _read_input(source, published)
    timings["read"] = time.perf_counter() - t0
    zone_frame = load_zones(zones, extent=None)
    enriched = _enrich(events, zone_frame, timings)

    t = time.perf_counter()
    shares, touches = share_ranges(enriched, zone_frame)
    enriched["zone_touches"] = touches.map(" | ".join).astype("string")
    timings["share ranges"] = time.perf_counter() - t
    claim_check = None
    if check_share is not None and claim is not None:
        claim_check = check_claim(shares, check_share, claim)

    t = time.perf_counter()
    clusters, spots = _clusters_and_hotspots(enriched, zone_frame, eps_km, min_events, cell_km)
    timings["clusters and hotspots"] = time.perf_counter() - t

    flags = _flags(enriched, kind)
    facts = _facts(enriched, kind, names, shares, clusters, spots, eps_km, min_events, cell_km)
    facts["timings_s"] = timings
    summary = _summary(facts, shares, claim_check)
    t = time.perf_counter()
    page = render(
        title=title or "desertgeo brief: " + ", ".join(names),
        summary=summary,
        facts=facts,
        events=enriched,
        kind=kind,
        shares=shares,
        claim=claim_check,
        flags=flags,
        clusters=clusters,
        hotspots=spots,
        zones=zone_frame,
        zones_given=zones is not None,
        max_table_rows=max_table_rows,
        map_builder=_build_maps,
    )
    timings["render"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - t0
    return Report(page, summary, enriched, shares, flags, clusters, spots, facts, claim_check)


def _clusters_and_hotspots(
    events: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame,
    eps_km: float,
    min_events: int,
    cell_km: float,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame | None]:
    from desertgeo.clustering import cluster, summarize_clusters
    from desertgeo.hotspot import hotspots

    located = _located(events)
    if located.any():
        labels = cluster(events, eps_km=eps_km, min_events=min_events)
    else:
        labels = pd.Series(pd.NA, index=events.index, dtype="Int64", name="cluster")
    events["cluster"] = labels
    clusters = summarize_clusters(events, labels)
    spots = None
    if int(located.sum()) >= 20:
        spots = hotspots(events.loc[located], cell_km=cell_km)
    return clusters, spots


def _build_maps(
    events: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame,
    clusters: gpd.GeoDataFrame,
    hotspots: gpd.GeoDataFrame | None,
) -> list[tuple[str, str, int]]:
    """One offline map per snapshot in force on the events' dates: (label, html, events)."""
    from desertgeo.maps import make_map, save_map

    located = _located(events)
    snaps = events["snapshot"].astype("string")
    groups: list[tuple[str, Any, np.ndarray]] = []
    order = zones.groupby("snapshot", sort=False)["valid_from"].first().sort_values().index.tolist()
    for snap in order:
        sel = located & (snaps == snap).fillna(False).to_numpy()
        if sel.any():
            when = pd.to_datetime(events.loc[sel, "date"]).max()
            groups.append((f"zones {snap}", when, sel))
    rest = located & snaps.isna().to_numpy()
    if rest.any():
        groups.append(("no snapshot on the date", None, rest))
    if not groups:
        groups.append(("control zones (no located event)", None, np.zeros(len(events), bool)))
    maps = []
    with tempfile.TemporaryDirectory(prefix="desertgeo-brief-") as tmp:
        for i, (label, when, sel) in enumerate(groups):
            sub = events.loc[sel]
            m = make_map(
                sub if len(sub) else None,
                zones=zones if (when is not None or not len(sub)) else None,
                clusters=clusters if len(clusters) else None,
                hotspots=hotspots,
                date=when,
                heatmap=False,
                title=f"{label}: {int(sel.sum()):,} events",
            )
            path = save_map(m, Path(tmp) / f"map{i}.html")
            maps.append((label, path.read_text(encoding="utf-8"), int(sel.sum())))
    return maps


def _flags(events: gpd.GeoDataFrame, kind: str) -> pd.DataFrame:
    """Every row that needs a look: kind, event_id, detail (input order within a kind)."""
    ids = (
        events["event_id"].astype("string").fillna("(no id)")
        if "event_id" in events.columns
        else pd.Series(events.index.astype(str), index=events.index, dtype="string")
    )
    blank = pd.Series("", index=events.index, dtype="string")
    status = events["status"].astype("string").fillna("") if "status" in events else blank
    reason = events["reason"].astype("string").fillna("") if "reason" in events else blank
    zs = events["zone_status"].astype("string").fillna("")
    located = _located(events)
    parts: list[pd.DataFrame] = []

    def add(kind_: str, mask: Any, detail: Any) -> None:
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            det = detail[mask] if isinstance(detail, pd.Series) else detail
            parts.append(
                pd.DataFrame({"kind": kind_, "event_id": ids[mask].to_numpy(), "detail": det})
            )

    add("unresolved place", ~located, reason.where(reason != "", "no usable location"))
    add("invalid row", located & (status == "invalid").to_numpy(), reason)
    add("warning", (status == "warning").to_numpy(), reason)
    if kind == "text" and "mentions" in events.columns:
        mentions = events["mentions"].astype("string").fillna("").str.split(" | ", regex=False)
        long = mentions.explode()
        bad = long.notna() & (long != "") & ~long.astype("string").str.contains("[", regex=False)
        for key, part in long[bad.fillna(False)].items():
            parts.append(
                pd.DataFrame(
                    {"kind": ["unresolved mention"], "event_id": [ids.loc[key]], "detail": [part]}
                )
            )
    add("outside zone coverage", zs.isin(["no snapshot for date", "outside zones"]), zs)
    add("no date", (zs == "no date").to_numpy(), "no usable date: no zone assigned")
    if "near_boundary" in events.columns:
        near = events["near_boundary"].astype("boolean").fillna(False).to_numpy()
        add("near a zone boundary", near, "the zone may differ within the uncertainty")
    if not parts:
        return pd.DataFrame(
            {c: pd.Series([], dtype="string") for c in ("kind", "event_id", "detail")}
        )
    out = pd.concat(parts, ignore_index=True)
    return out.astype("string")


def _facts(
    events: gpd.GeoDataFrame,
    kind: str,
    names: list[str],
    shares: pd.DataFrame,
    clusters: gpd.GeoDataFrame,
    spots: gpd.GeoDataFrame | None,
    eps_km: float,
    min_events: int,
    cell_km: float,
) -> dict[str, Any]:
    dates = loose_dates(events["date"]) if "date" in events else None
    fat = (
        pd.to_numeric(events["fatalities"], errors="coerce").astype("float64")
        if "fatalities" in events.columns
        else pd.Series(np.nan, index=events.index)
    )
    src = events["source"].astype("string").fillna("") if "source" in events else None
    labels = events["cluster"] if "cluster" in events else pd.Series(dtype="Int64")
    return {
        "kind": kind,
        "inputs": names,
        "n_events": len(events),
        "n_located": int(_located(events).sum()),
        "n_invalid": int((events["status"] == "invalid").sum()) if "status" in events else 0,
        "n_placed": int(shares.attrs.get("n_placed", 0)),
        "n_ambiguous": int(shares.attrs.get("n_ambiguous", 0)),
        "fatalities": int(fat.sum(min_count=1)) if fat.notna().any() else 0,
        "n_fatalities_unknown": int(fat.isna().sum()),
        "date_min": None if dates is None or dates.isna().all() else dates.min(),
        "date_max": None if dates is None or dates.isna().all() else dates.max(),
        "n_undated": 0 if dates is None else int(dates.isna().sum()),
        "synthetic": bool(src is not None and src.str.contains("SYNTHETIC").any()),
        "n_clusters": len(clusters),
        "n_clustered": int((labels.fillna(-1) >= 0).sum()),
        "n_hot": 0 if spots is None else int((spots["hotspot"] == "hot").sum()),
        "n_cold": 0 if spots is None else int((spots["hotspot"] == "cold").sum()),
        "eps_km": eps_km,
        "min_events": min_events,
        "cell_km": cell_km,
        "median_border_km": _median(events, "dist_border_km"),
        "median_tripoint_km": _median(events, "dist_tripoint_km"),
        "median_tanf_km": _median(events, "dist_tanf_km"),
        "nearest_border": (
            events["nearest_border"].dropna().mode().iloc[0]
            if "nearest_border" in events and events["nearest_border"].notna().any()
            else None
        ),
    }


def _median(events: pd.DataFrame, col: str) -> float:
    if col not in events.columns:
        return float("nan")
    v = pd.to_numeric(events[col], errors="coerce").dropna()
    return float(v.median()) if len(v) else float("nan")


def _day(value: Any) -> str:
    return f"{pd.Timestamp(value).day} {pd.Timestamp(value):%B %Y}"


def _summary(facts: dict[str, Any], shares: pd.DataFrame, claim: ClaimCheck | None) -> str:
    n = facts["n_events"]
    bits = []
    period = ""
    if facts["date_min"] is not None:
        lo, hi = facts["date_min"], facts["date_max"]
        period = f" on {_day(lo)}" if lo == hi else f" from {_day(lo)} to {_day(hi)}"
    unknown = facts["n_fatalities_unknown"]
    bits.append(
        f"This brief covers {n:,} event{'s' if n != 1 else ''}{period}, with "
        f"{facts['fatalities']:,} fatalities reported"
        + (f" (unknown for {unknown:,})" if unknown else "")
        + f"; {facts['n_located']:,} have a usable location."
    )
    if facts["synthetic"]:
        bits.append("The input is marked SYNTHETIC: its numbers say nothing about the war.")
    placed = facts["n_placed"]
    if placed:
        parts = []
        for name, row in shares.head(4).iterrows():
            where = "outside the zones" if name == OUTSIDE else f"in areas held by {name}"
            rng = (
                f"{row['share']:.0%}"
                if abs(row["high"] - row["low"]) < 1e-9
                else f"{row['share']:.0%} (between {row['low']:.0%} and {row['high']:.0%})"
            )
            parts.append(f"{int(row['events']):,} {where}: {rng}")
        bits.append(
            f"On their dates, of the {placed:,} events placed in a control-zone snapshot, "
            + "; ".join(parts)
            + ". The ranges are what the events' location uncertainty allows."
        )
    else:
        bits.append("No event has both a location and a date that a control-zone snapshot covers.")
    if not np.isnan(facts["median_border_km"]):
        bits.append(
            f"Median distances: {facts['median_border_km']:.0f} km to Syria's international "
            f"border (nearest most often: {facts['nearest_border']}), "
            f"{facts['median_tripoint_km']:.0f} km to the Syria-Iraq-Jordan tri-point and "
            f"{facts['median_tanf_km']:.0f} km to the al-Tanf garrison."
        )
    if facts["n_located"]:
        clusters = (
            f"DBSCAN ({facts['eps_km']:g} km, {facts['min_events']} events) finds "
            f"{facts['n_clusters']} cluster{'s' if facts['n_clusters'] != 1 else ''}"
            + (f" holding {facts['n_clustered']:,} events" if facts["n_clusters"] else "")
        )
        hot = (
            f"; Gi* on {facts['cell_km']:g} km hexagons finds {facts['n_hot']} hot and "
            f"{facts['n_cold']} cold cells (FDR 5%)."
            if facts["n_located"] >= 20
            else "; too few located events for a hotspot test."
        )
        bits.append(clusters + hot)
    if claim is not None:
        bits.append(claim.sentence)
    return " ".join(bits)
