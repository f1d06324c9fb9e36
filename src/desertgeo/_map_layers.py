"""One builder per map layer (used by :func:`desertgeo.maps.make_map` in a loop).

Each builder takes the shared :class:`MapContext`, adds its layer(s) to the folium map
through the safe elements of :mod:`desertgeo._map_page` (data as JSON values, never
template source) and records its feature count, legend entries and credits.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from desertgeo._errors import InputError
from desertgeo._map_page import RawHTML, call, layer, pack_columns
from desertgeo._style import OTHER, PALETTE, category_colours, controller_colour
from desertgeo._validate import require_points

__all__ = ["BUILDERS", "MapContext", "zone_groups"]

_HOT, _COLD = "#d7301f", "#2b8cbe"
_TANF_RADIUS_M = 55_000.0
_LEAFLET_HEAT = (
    "leaflet_heat",
    "https://cdn.jsdelivr.net/npm/leaflet.heat@0.2.0/dist/leaflet-heat.js",
)
_SINGLE = "#332288"
# the default popup of an events-schema frame: (label, field); "@..." are built in the page
_DEFAULT_POPUP = (
    ("date", "@date"),
    ("place", "place"),
    ("precision", "@precision"),
    ("fatalities", "@fatalities"),
    ("actor", "actor"),
    ("type", "event_type"),
    ("target", "target"),
    ("source", "source"),
    ("notes", "notes"),
    ("id", "event_id"),
)
_DEFAULT_TOOLTIP = ("@date", "place", "event_type")
_DOTS_ABOVE = 100_000  # more events drawn than this: small squares instead of circles


@dataclass
class MapContext:
    """What the builders share: the map, the options and what has been drawn so far."""

    m: Any
    opts: dict[str, Any]
    events: Any = None
    zones: Any = None
    zone_date: pd.Timestamp | None = None
    window: tuple[pd.Timestamp, pd.Timestamp] | None = None
    layers: dict[str, int] = field(default_factory=dict)
    legend: list[dict[str, Any]] = field(default_factory=list)
    context: list[dict[str, Any]] = field(default_factory=list)
    shipped: list[str] = field(default_factory=list)
    zones_kind: str | None = None
    bounds: list[list[float]] | None = None
    unplaced: int = 0


def fmt(value: Any) -> str:
    """One value from data as display text ("" for missing); never markup."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        ts = pd.Timestamp(value)
        return ts.strftime("%Y-%m-%d" if ts == ts.normalize() else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _feature_collection(
    frame: Any, props: Sequence[dict[str, Any]], simplify: float = 0.0
) -> dict[str, Any]:
    from shapely.geometry import mapping

    feats = []
    for geom, p in zip(frame.geometry, props, strict=True):
        if geom is None or geom.is_empty:
            continue
        if simplify > 0:
            geom = geom.simplify(simplify, preserve_topology=True)
        feats.append({"type": "Feature", "geometry": mapping(geom), "properties": p})
    return {"type": "FeatureCollection", "features": feats}


def _popup(title: str, rows: Sequence[tuple[str, Any]]) -> list[Any]:
    return [title, [[k, fmt(v)] for k, v in rows if fmt(v) != ""]]


def _geojson(
    ctx: MapContext,
    name: str,
    frame: Any,
    props: Sequence[dict[str, Any]],
    *,
    show: bool = True,
    simplify: float = 0.0,
    **extra: Any,
) -> None:
    args = {"fc": _feature_collection(frame, props, simplify), **extra}
    layer(name, "geojson", args, show=show).add_to(ctx.m)
    ctx.layers[name] = len(args["fc"]["features"])


def _load(name: str) -> Any:
    from desertgeo import datasets

    return datasets.load(name)


# ---- context layers -------------------------------------------------------------------
def build_basemap(ctx: MapContext) -> None:
    """Countries from the shipped boundaries, in a pane under everything (z-index 250)."""
    if not ctx.opts["basemap"]:
        return
    countries = _load("countries")
    props = [
        {
            "s": {
                "color": "#8a8170",
                "weight": 1,
                "fillColor": "#f6f1e4" if c == "SY" else "#e4e0d6",
                "fillOpacity": 1.0,
            }
        }
        for c in countries.get("country", pd.Series("", index=countries.index))
    ]
    _geojson(
        ctx,
        "basemap",
        countries,
        props,
        simplify=0.005,
        pane="dgbasemap",
        paneZ=250,
        interactive=False,
    )
    ctx.shipped.append("countries")


def build_governorates(ctx: MapContext) -> None:
    """Governorate lines (dotted), with their English and Arabic names as tooltips."""
    if not ctx.opts["governorates"]:
        return
    gov = _load("governorates")
    props = [
        {
            "s": {"color": "#9b8f7a", "weight": 1, "dashArray": "2 3", "fill": False},
            "t": fmt(r.get("name_en", "")) + " " + fmt(r.get("name_ar", "")),
        }
        for _, r in gov.iterrows()
    ]
    _geojson(ctx, "governorates", gov, props, simplify=0.002, interactive=False)
    ctx.shipped.append("governorates")


def check_points(ev: Any) -> None:
    """Raise InputError if a present geometry of ``ev`` is not a point (maps and plots)."""
    require_points(
        ev.geometry,
        what="events",
        fix="events are drawn as points: pass events.set_geometry(events.representative_point())"
        " to map them, or draw areas with zones= / clusters=",
    )


def zones_in_force(zones: Any, date: pd.Timestamp | None) -> tuple[Any, pd.Timestamp | None]:
    """Rows of ``zones`` in force on ``date`` and that date (latest snapshot if no date).

    The validity rule is :func:`desertgeo.zones.snapshot_at` (``valid_to`` exclusive);
    zones without a ``valid_from`` column are one undated snapshot.
    """
    from desertgeo.zones import snapshot_at

    if "valid_from" not in zones.columns:
        return zones, date
    if date is None:
        date = pd.to_datetime(zones["valid_from"]).max()
    if pd.isna(date):
        return zones.iloc[0:0], date
    return snapshot_at(zones, date), date


def zone_groups(
    zones: Any, date: pd.Timestamp | None, window: tuple[pd.Timestamp, pd.Timestamp] | None
) -> tuple[list[tuple[Any, pd.Timestamp | None]], pd.Timestamp | None, bool]:
    """Which zone rows to ship: ``[(rows, in force from)]``, the start date, whether fixed.

    A given ``date`` fixes one snapshot. Otherwise, with events dated over ``window``,
    every snapshot in force during the window is shipped (the page switches with the time
    slider); without a window, the latest snapshot. Selection is :func:`zones_in_force`.
    """
    if date is not None or window is None:
        rows, when = zones_in_force(zones, date)
        return [(rows, None)], when, True
    lo, hi = window
    starts = [lo]
    if "valid_from" in zones.columns:
        vf = pd.to_datetime(zones["valid_from"], errors="coerce")
        starts += sorted({d for d in vf.dropna() if lo < d <= hi})
    groups: list[tuple[Any, pd.Timestamp | None]] = []
    seen: list[tuple[Any, ...]] = []
    for d in starts:
        rows, _ = zones_in_force(zones, d)
        key = tuple(rows.index)
        if key in seen:
            continue
        seen.append(key)
        groups.append((rows, d if groups else None))
    return groups, hi, False


def _day(ts: pd.Timestamp | None) -> int | None:
    if ts is None or pd.isna(ts):
        return None
    return int((pd.Timestamp(ts).normalize() - pd.Timestamp("1970-01-01")).days)


def _snapshot_label(rows: Any) -> str:
    if "snapshot" in rows.columns and rows["snapshot"].notna().any():
        return ", ".join(sorted({fmt(s) for s in rows["snapshot"].dropna()}))
    if "valid_from" in rows.columns and rows["valid_from"].notna().any():
        return "from " + fmt(pd.to_datetime(rows["valid_from"]).max())
    return "undated"


def build_zones(ctx: MapContext) -> None:
    """Control zones: the snapshot in force (follows the time slider unless ``date`` is fixed)."""
    if ctx.zones is None:
        return
    groups, start, fixed = zone_groups(ctx.zones, ctx.zone_date, ctx.window)
    all_rows = pd.concat([g for g, _ in groups]) if groups else ctx.zones.iloc[:0]
    controllers = sorted(
        {fmt(c) for c in all_rows.get("controller", pd.Series(dtype=str)).dropna()}
    )
    colour = {c: controller_colour(c, i) for i, c in enumerate(controllers)}
    out = []
    for rows, since in groups:
        approx = (
            rows["approximate"].fillna(True).astype(bool)
            if "approximate" in rows.columns
            else pd.Series(True, index=rows.index)
        )
        props = []
        for (_, r), ap in zip(rows.iterrows(), approx, strict=True):
            c = colour.get(fmt(r.get("controller")), OTHER)
            props.append(
                {
                    "s": {
                        "color": c,
                        "weight": 1.5,
                        "dashArray": "6 4" if ap else None,
                        "fillColor": c,
                        "fillOpacity": 0.13 if ap else 0.25,
                    },
                    "p": _popup(
                        f"Control zone: {fmt(r.get('controller'))}",
                        [
                            ("snapshot", r.get("snapshot")),
                            ("valid from", r.get("valid_from")),
                            ("valid to", r.get("valid_to")),
                            ("confidence", r.get("confidence")),
                            ("approximate", "yes" if ap else "no"),
                            ("source", r.get("source")),
                            ("notes", r.get("notes")),
                        ],
                    ),
                }
            )
        out.append(
            {
                "from": _day(since),
                "to": None,
                "label": _snapshot_label(rows),
                "fc": _feature_collection(rows, props),
            }
        )
    for a, b in itertools.pairwise(out):
        a["to"] = b["from"]
    undated = start is None
    args = {
        "groups": out,
        "fixed": _day(start) if fixed else None,
        "start": _day(start),
        "undated": undated,
        "none": "Control zones: no snapshot in force",
    }
    layer("control zones", "zones", args).add_to(ctx.m)
    shown: dict[str, Any] | None = out[-1] if out else None
    ctx.layers["control zones"] = len(shown["fc"]["features"]) if shown else 0
    if shown is None:
        title = args["none"]
    elif undated:
        title = f"Control zones ({shown['label']})"
    else:
        title = f"Control zones on {fmt(start)} (snapshot {shown['label']})"
    note = "approximate (dashed, faded): dated snapshots, see source in popup"
    if fixed and ctx.window is not None and start is not None:
        lo, hi = ctx.window
        note += f"; events {fmt(lo)} to {fmt(hi)}, zones stay on {fmt(start)}"
    elif not fixed:
        note += "; the zones follow the time slider's date"
    ctx.legend.append(
        {
            "title": title,
            "cls": "dg-zone-title",
            "items": [
                {"kind": "fill", "color": colour[c], "label": c, "dash": True} for c in controllers
            ],
            "note": note,
        }
    )
    ctx.zone_start = _day(start)  # type: ignore[attr-defined]


def build_hotspots(ctx: MapContext) -> None:
    """Gi* hot and cold cells."""
    hs = ctx.opts.get("hotspots")
    if hs is None:
        return
    label = hs.get("hotspot", pd.Series("", index=hs.index)).astype("string")
    hs = hs[label.isin(["hot", "cold"]).fillna(False).to_numpy()]
    props = []
    for _, r in hs.iterrows():
        z, p = r.get("gi_z"), r.get("p_fdr")
        props.append(
            {
                "s": {
                    "color": _HOT if r.get("hotspot") == "hot" else _COLD,
                    "weight": 0.5,
                    "fillOpacity": 0.4,
                },
                "p": _popup(
                    f"{fmt(r.get('hotspot'))} spot (Gi*)",
                    [
                        ("cell", r.get("cell_id")),
                        ("events", r.get("n_events")),
                        ("Gi* z", None if pd.isna(z) else f"{float(z):.2f}"),
                        ("p (FDR)", None if pd.isna(p) else f"{float(p):.3g}"),
                    ],
                ),
            }
        )
    _geojson(ctx, "hotspots (Gi*)", hs, props)
    ctx.legend.append(
        {
            "title": "Hotspot cells (Gi*, FDR)",
            "items": [
                {"kind": "fill", "color": _HOT, "label": "hot", "opacity": 0.5},
                {"kind": "fill", "color": _COLD, "label": "cold", "opacity": 0.5},
            ],
        }
    )


def build_clusters(ctx: MapContext) -> None:
    """Cluster hulls from :func:`desertgeo.clustering.summarize_clusters`."""
    cl = ctx.opts.get("clusters")
    if cl is None:
        return
    props = []
    for _, r in cl.iterrows():
        km = r.get("nearest_place_km")
        props.append(
            {
                "s": {"color": "#6a3d9a", "weight": 2, "fillColor": "#6a3d9a", "fillOpacity": 0.08},
                "p": _popup(
                    f"Cluster {fmt(r.get('cluster'))}",
                    [
                        ("events", r.get("n_events")),
                        ("fatalities", r.get("fatalities")),
                        ("first", r.get("first_date")),
                        ("last", r.get("last_date")),
                        ("nearest place", r.get("nearest_place")),
                        ("location", r.get("location")),
                        ("distance (km)", None if pd.isna(km) else f"{float(km):.1f}"),
                        ("governorate", r.get("admin1")),
                        ("controller", r.get("controller")),
                    ],
                ),
            }
        )
    _geojson(ctx, "cluster hulls", cl, props)
    ctx.legend.append(
        {
            "title": "Clusters",
            "items": [{"kind": "fill", "color": "#6a3d9a", "label": "hull", "opacity": 0.2}],
        }
    )


def build_roads(ctx: MapContext) -> None:
    """Approximate roads through sourced waypoints (dashed), each with its stated accuracy."""
    if not ctx.opts["roads"]:
        return
    rd = _load("roads")
    props = [
        {
            "s": {"color": "#8c510a", "weight": 2, "dashArray": "8 5"},
            "t": fmt(r.get("name", "")) + f" (approximate, within {r['accuracy_m'] / 1000:g} km)",
        }
        for _, r in rd.iterrows()
    ]
    _geojson(ctx, "roads (approximate)", rd, props)
    # measured: every documented point checked lies within 3 km (tests/test_roads.py)
    label = "road (approximate: checked points within 3 km)"
    ctx.context.append({"kind": "line", "color": "#8c510a", "label": label, "dash": 1})
    ctx.shipped.append("roads")


def build_borders(ctx: MapContext) -> None:
    """Syria's international borders, one line per neighbour."""
    if not ctx.opts["borders"]:
        return
    bd = _load("borders")
    props = [
        {
            "s": {"color": "#333333", "weight": 2.2},
            "t": "Syria border with " + fmt(r.get("neighbour", "")),
        }
        for _, r in bd.iterrows()
    ]
    _geojson(ctx, "borders", bd, props)
    ctx.context.append({"kind": "line", "color": "#333333", "label": "international border"})
    ctx.shipped.append("borders")


def tanf_zone(sites: Any) -> tuple[Any, str] | None:
    """55 km geodesic circle around the al-Tanf garrison point from the shipped sites."""
    import geopandas as gpd
    from shapely.geometry import Polygon

    from desertgeo._geodesy import forward

    def text(col: str) -> pd.Series:
        return sites.get(col, pd.Series("", index=sites.index)).astype("string").fillna("")

    low = (text("site_id") + " " + text("name") + " " + text("aliases")).str.lower()
    hits = sites[low.str.contains("tanf", regex=False).to_numpy()]
    if hits.empty:
        return None
    if "feature_type" in hits.columns:
        garrison = hits[
            hits["feature_type"].astype("string").str.contains("garrison|base|military", na=False)
        ]
        if not garrison.empty:
            hits = garrison
    row = hits.iloc[0]
    lon, lat = row.geometry.x, row.geometry.y
    az = np.linspace(0.0, 360.0, 181)[:-1]
    elon, elat = forward(lon, lat, az, _TANF_RADIUS_M)
    poly = Polygon(zip(elon, elat, strict=True))
    src = str(row.get("source", "") or "")
    return gpd.GeoDataFrame({"name": [row.get("name", "al-Tanf")]}, geometry=[poly], crs=4326), src


def build_tanf(ctx: MapContext) -> None:
    """The al-Tanf 55 km deconfliction zone (geodesic circle)."""
    if not ctx.opts["tanf"]:
        return
    found = tanf_zone(_load("sites"))
    if found is None:
        return
    tz, src = found
    props = [
        {
            "s": {"color": "#2471a3", "weight": 2, "dashArray": "3 4", "fillOpacity": 0.04},
            "p": _popup(
                "al-Tanf 55 km deconfliction zone",
                [
                    ("shape", "55 km geodesic circle around the garrison point"),
                    ("garrison source", src),
                ],
            ),
        }
    ]
    _geojson(ctx, "al-Tanf 55 km zone", tz, props)
    ctx.context.append(
        {"kind": "fill", "color": "#2471a3", "label": "al-Tanf 55 km zone", "dash": 1}
    )
    ctx.shipped.append("sites")


def build_sites(ctx: MapContext) -> None:
    """Curated non-populated sites (bases, crossings, fields) as white dots."""
    if not ctx.opts["sites"]:
        return
    st = _load("sites")
    props = [
        {
            "s": {"color": "#000000", "weight": 1, "fillColor": "#ffffff", "fillOpacity": 1},
            "t": fmt(r.get("name", "")) + " (" + fmt(r.get("feature_type", "")) + ")",
            "p": _popup(
                fmt(r.get("name", "")),
                [
                    ("type", r.get("feature_type")),
                    ("Arabic", r.get("name_ar")),
                    ("uncertainty (m)", r.get("uncertainty_m")),
                    ("source", r.get("source")),
                    ("notes", r.get("notes")),
                ],
            ),
        }
        for _, r in st.iterrows()
    ]
    _geojson(ctx, "sites", st, props, pointRadius=4)
    ctx.context.append({"kind": "circle", "color": "#ffffff", "label": "site", "r": 4})
    ctx.shipped.append("sites")


def _min_zoom(population: np.ndarray) -> np.ndarray:
    """The zoom from which a town is labelled: the larger the town, the earlier."""
    thresholds = ((1_000_000, 5), (200_000, 6), (50_000, 7), (15_000, 8), (3_000, 9))
    out = np.full(len(population), 10, dtype=int)
    for pop, z in reversed(thresholds):
        out[population >= pop] = z
    return out


def build_towns(ctx: MapContext) -> None:
    """Town labels from the gazetteer (GeoNames), more at each zoom, by population."""
    if not ctx.opts["towns"]:
        return
    pl = _load("places")
    x, y = pl.geometry.x.to_numpy(), pl.geometry.y.to_numpy()
    near = (x > 34.5) & (x < 43.5) & (y > 31.3) & (y < 38.4)
    pl = pl[near]
    pop = pd.to_numeric(pl.get("population"), errors="coerce").fillna(0).to_numpy()
    order = np.argsort(-pop, kind="stable")[:800]
    pl, pop = pl.iloc[order], pop[order]
    args = {
        "name": [fmt(n) for n in pl["name"]],
        "lat": np.round(pl.geometry.y.to_numpy(), 4).tolist(),
        "lon": np.round(pl.geometry.x.to_numpy(), 4).tolist(),
        # towns beyond Syria's borders one zoom level later: Syria's own come first
        "minz": (
            _min_zoom(pop) + (pl["country"].astype("string") != "SY").to_numpy(dtype=int)
        ).tolist(),
        "max": 120,
    }
    layer("town labels", "labels", args).add_to(ctx.m)
    ctx.layers["town labels"] = len(pl)
    ctx.shipped.append("places")


# ---- events ----------------------------------------------------------------------------
def _text_column(values: pd.Series) -> pd.Series:
    """A column as display strings ("" when missing), dates as ISO days."""
    if pd.api.types.is_datetime64_any_dtype(values):
        d = pd.to_datetime(values)
        if getattr(d.dt, "tz", None) is not None:
            d = d.dt.tz_localize(None)
        has_time = bool(((d - d.dt.normalize()).dropna() != pd.Timedelta(0)).any())
        out = d.dt.strftime("%Y-%m-%d %H:%M" if has_time else "%Y-%m-%d")
        return out.astype("object").where(d.notna(), "")
    if values.dtype == object:
        return values.map(fmt)
    return values.astype("string").fillna("").astype("object")


def _encode_strings(values: pd.Series) -> tuple[np.ndarray | None, list[str]]:
    """Dictionary-encode a column: codes (0 = missing) and strings; None codes = one per row."""
    text = _text_column(values)
    codes, uniques = pd.factorize(text, use_na_sentinel=False)
    uniq = [str(u) for u in uniques]
    if len(uniq) == len(text) and len(text) > 1000:
        return None, uniq  # all distinct (ids): one string per row, no codes
    if "" in uniq:
        empty = uniq.index("")
        remap = np.arange(len(uniq)) + 1
        remap[empty] = 0
        remap[empty + 1 :] -= 1
        codes = remap[codes]
        uniq = [""] + [u for u in uniq if u != ""]
    else:
        codes = codes + 1
        uniq = ["", *uniq]
    return np.asarray(codes), uniq


def _field_list(spec: Any, columns: list[str], default: Sequence[Any], what: str) -> list[Any]:
    if spec is None:
        return list(default)
    if spec is False:
        return []
    if spec is True:
        return [(c, c) for c in columns]
    names = [spec] if isinstance(spec, str) else list(spec)
    missing = [c for c in names if c not in columns]
    if missing:
        raise InputError(
            f"{what}={missing!r}: not columns of events; use some of {', '.join(columns)}"
        )
    return [(str(c), c) for c in names]


def events_payload(ev: Any, ctx_opts: dict[str, Any]) -> dict[str, Any]:
    """The events' block and the page options (colours, popup and tooltip fields)."""
    cols = [c for c in ev.columns if c != ev.geometry.name]
    color_by = ctx_opts["color_by"]
    n = len(ev)
    idx = ev.index

    def col(name: str) -> pd.Series:
        return ev[name] if name in ev.columns else pd.Series(pd.NA, index=idx, dtype="object")

    if color_by is None:
        labels, colours, cat = ["events"], [_SINGLE], np.zeros(n, dtype=np.int64)
    else:
        cats = _text_column(ev[color_by]).replace("", "unknown")
        ranked = [str(c) for c in cats.value_counts().index]
        known = category_colours(ranked, limit=len(PALETTE))
        top = [c for c in ranked if c in known]
        labels = top + (["other"] if len(top) < len(ranked) else [])
        colours = [known[c] for c in top] + ([OTHER] if len(labels) > len(top) else [])
        lookup = {c: i for i, c in enumerate(top)}
        cat = cats.map(lambda c: lookup.get(c, len(top))).to_numpy(dtype=np.int64)

    pts = ev.geometry
    lon, lat = pts.x.to_numpy(), pts.y.to_numpy()
    epoch = pd.Timestamp("1970-01-01")

    def days(name: str) -> np.ndarray:
        d = pd.to_datetime(col(name), errors="coerce")
        if getattr(d.dt, "tz", None) is not None:
            d = d.dt.tz_localize(None)
        return ((d.dt.normalize() - epoch).dt.days).to_numpy(dtype=float, na_value=np.nan)

    day = days("date") if "date" in ev.columns else np.full(n, np.nan)
    end = days("date_end") if "date_end" in ev.columns else np.full(n, np.nan)
    span = np.where(np.isfinite(day) & np.isfinite(end) & (end > day), end - day, 0.0)
    fat = pd.to_numeric(col("fatalities"), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    fat = np.where(np.isfinite(fat), np.clip(fat, 0, 1e6), np.nan)
    um = pd.to_numeric(col("uncertainty_m"), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    um = np.where(np.isfinite(um), np.clip(um, 0, 2e6), 0.0)
    gp = pd.to_numeric(col("geo_precision"), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    wp = pd.to_numeric(col("where_prec"), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    numeric = {
        "lat": (lat, 1e-5),
        "lon": (lon, 1e-5),
        "fat": (fat, 1.0),
        "um": (um, 10.0),
        "gp": (gp, 1.0),
        "wp": (wp, 1.0),
        "day": (day, 1.0),
        "span": (span, 1.0),
    }

    builtin = {
        "@date": "date" in ev.columns,
        "@fatalities": "fatalities" in ev.columns,
        "@precision": any(
            c in ev.columns for c in ("geo_precision", "where_prec", "uncertainty_m")
        ),
    }
    popup = [
        (lab, f)
        for lab, f in _field_list(ctx_opts["popup"], cols, _DEFAULT_POPUP, "popup")
        if (builtin.get(f, False) if f.startswith("@") else f in ev.columns)
    ]
    tip_default = [(f, f) for f in _DEFAULT_TOOLTIP]
    tooltip = [
        f
        for _, f in _field_list(ctx_opts["tooltip"], cols, tip_default, "tooltip")
        if (builtin.get(f, False) if f.startswith("@") else f in ev.columns)
    ]
    codes: dict[str, np.ndarray] = {"cat": cat}
    strings: dict[str, list[str]] = {}
    keys: dict[str, str] = {}
    for f in {f for _, f in popup} | set(tooltip):
        if f.startswith("@"):
            continue
        key = f"c{len(keys)}"
        keys[f] = key
        c, s = _encode_strings(ev[f])
        if c is not None:
            codes[key] = c
        strings[key] = s
    blob = pack_columns(numeric, codes, strings)
    title_field = None
    if ctx_opts["popup"] is None and "event_type" in ev.columns:
        title_field = keys.get("event_type")
    return {
        "blob": blob,
        "opts": {
            "colors": colours,
            "rmin": 3.5,
            "rk": 1.6,
            "rmax": 16,
            "minUnc": max(float(ctx_opts["min_uncertainty_m"]), 1.0),
            "dotsAbove": _DOTS_ABOVE,
            "popup": [[lab, f if f.startswith("@") else keys[f]] for lab, f in popup],
            "popupTitle": title_field,
            "tooltip": [f if f.startswith("@") else keys[f] for f in tooltip],
        },
        "labels": labels,
        "n_unc": int(((um > 0) & (um >= ctx_opts["min_uncertainty_m"])).sum()),
        "lat": lat,
        "lon": lon,
        "has_dates": bool(np.isfinite(day).any()),
    }


def build_events(ctx: MapContext) -> None:
    """Events on one canvas layer (+ uncertainty circles, heatmap, time slider)."""
    if ctx.events is None:
        return
    ev = ctx.events
    geom = ev.geometry
    ok = (~geom.isna() & ~geom.is_empty).to_numpy().copy()
    if ok.any():
        ok[ok] = np.isfinite(geom[ok].x.to_numpy()) & np.isfinite(geom[ok].y.to_numpy())
    placed = ev[ok]
    ctx.unplaced = len(ev) - len(placed)
    o = ctx.opts
    pay = events_payload(placed, o)
    n = len(placed)
    data_id = f"dg-events-{ctx.m.get_name()}"
    ctx.m.get_root().html.add_child(
        RawHTML(f'<script type="application/octet-stream" id="{data_id}">{pay["blob"]}</script>')
    )
    opts = dict(pay["opts"], data=data_id)
    opts["slider"] = "bottomleft" if o["time_slider"] and pay["has_dates"] else None
    layer("events", "events", opts).add_to(ctx.m)
    ctx.layers["events"] = n
    if o["uncertainty"]:
        layer("location uncertainty", "uncertainty", {}, show=pay["n_unc"] <= 500).add_to(ctx.m)
        ctx.layers["location uncertainty"] = pay["n_unc"]
    if o["heatmap"]:
        heat = {"radius": 14, "blur": 18, "maxZoom": 9, "minOpacity": 0.25}
        layer("heatmap", "heat", heat, js=[_LEAFLET_HEAT]).add_to(ctx.m)
        ctx.layers["heatmap"] = n
    note = f"{n} events drawn"
    if ctx.unplaced:
        note += f"; {ctx.unplaced} without a usable location not drawn"
    by = o["color_by"]
    items = [
        {"kind": "circle", "color": c, "label": lab}
        for lab, c in zip(pay["labels"], pay["opts"]["colors"], strict=True)
    ]
    if "fatalities" in placed.columns:
        items += [
            {"kind": "circle", "color": "#dddddd", "label": f"{k} killed", "r": r}
            for k, r in ((1, 3.5 + 1.6), (10, min(3.5 + 1.6 * math.sqrt(10), 16)))
        ]
    if o["uncertainty"] and pay["n_unc"]:
        items.append(
            {
                "kind": "fill",
                "color": "#555555",
                "label": f"location uncertainty (≥ {o['min_uncertainty_m'] / 1000:g} km)",
                "dash": 1,
                "opacity": 0.15,
            }
        )
    title = "Events" if by is None else f"Events by {str(by).replace('_', ' ')}"
    ctx.legend.insert(0, {"title": title, "items": items, "note": note})
    if n:
        ctx.bounds = [
            [float(pay["lat"].min()) - 0.3, float(pay["lon"].min()) - 0.3],
            [float(pay["lat"].max()) + 0.3, float(pay["lon"].max()) + 0.3],
        ]


BUILDERS: tuple[Callable[[MapContext], None], ...] = (
    build_basemap,
    build_governorates,
    build_zones,
    build_hotspots,
    build_clusters,
    build_roads,
    build_borders,
    build_tanf,
    build_sites,
    build_towns,
    build_events,
)


def finish(ctx: MapContext, title: str | None, synthetic: bool, credit_lines: list[str]) -> None:
    """Legend, attribution, layer control and the initial view."""
    import folium

    if ctx.context:
        ctx.legend.append({"title": "Context", "items": ctx.context})
    head = []
    if title:
        head.append(str(title))
    if synthetic:
        head.append("SYNTHETIC data: not real events")
    if head:
        ctx.legend.insert(0, {"title": " \u2014 ".join(head), "cls": "dg-maptitle", "items": []})
    control = [c for c in ctx.m._children.values() if isinstance(c, folium.LayerControl)]
    for c in control:  # keep the layer control last, so it lists every layer
        del ctx.m._children[c.get_name()]
        ctx.m.add_child(c)
    if not control:
        folium.LayerControl(collapsed=True).add_to(ctx.m)
    legend = {
        "sections": ctx.legend,
        "position": "bottomright",
        "zoneStart": getattr(ctx, "zone_start", None),
    }
    call("legend", legend).add_to(ctx.m)
    call("attribution", {"parts": credit_lines}).add_to(ctx.m)
    if ctx.bounds is not None or ctx.opts.get("fit", True):
        bounds = ctx.bounds or [[32.3, 35.6], [37.4, 42.4]]
        call("fit", {"bounds": bounds}).add_to(ctx.m)
