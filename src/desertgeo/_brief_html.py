"""The HTML page of :func:`desertgeo.brief`: one self-contained file, no external request.

No template engine: the page is assembled from Python strings in which every value that
comes from data passes through :func:`html.escape`, and bulk data (the events table, the
maps) travels as JSON in ``<script type="application/json">`` elements with ``<``, ``>``,
``&``, U+2028 and U+2029 written as ``\\uXXXX`` escapes; the page's own script puts it on
screen with ``textContent`` (never ``innerHTML``) and loads each map into a sandboxed
``iframe`` through ``srcdoc``. Figures are inline PNG ``data:`` URIs.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
from collections.abc import Callable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from desertgeo._geodesy import METRIC_CRS
from desertgeo._validate import loose_dates

__all__ = ["SECTIONS", "json_for_script", "notebook_frame", "render"]

#: section ids of the page, in order (the tests check every one is present)
SECTIONS = (
    ("summary", "Summary"),
    ("claim", "Claim check"),
    ("map", "Map"),
    ("events", "Events"),
    ("distances", "Distances"),
    ("clusters", "Clusters and hotspots"),
    ("timeline", "Timeline"),
    ("flags", "Flags"),
    ("provenance", "Data, licences and caveats"),
)
PAGE_SIZE = 50

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def _esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def json_for_script(payload: Any) -> str:
    """JSON text that is safe inside a ``<script type="application/json">`` element.

    Examples
    --------
    >>> json_for_script({"note": "</script><img src=x onerror=alert(1)>", "x": float("nan")})
    '{"note": "\\\\u003c/script\\\\u003e\\\\u003cimg src=x onerror=alert(1)\\\\u003e", "x": null}'
    """
    text = json.dumps(_clean(payload), ensure_ascii=False, allow_nan=False)
    for char, repl in _JSON_ESCAPES.items():
        text = text.replace(char, repl)
    return text


def notebook_frame(page: str, height: int = 900) -> str:
    """The page inside a sandboxed ``iframe`` (what a notebook cell shows).

    Examples
    --------
    >>> notebook_frame('<p title="a">x & y</p>')[:40]
    '<iframe sandbox="allow-scripts" style="w'
    """
    return (
        f'<iframe sandbox="allow-scripts" style="width:100%;height:{int(height)}px;'
        f'border:1px solid #ccc" srcdoc="{html.escape(page, quote=True)}"></iframe>'
    )


def _pct(value: Any) -> str:
    return "" if value is None or pd.isna(value) else f"{100 * float(value):.1f}%"


def _km(value: Any) -> str:
    return "" if value is None or pd.isna(value) else f"{float(value):.1f}"


def _int(value: Any) -> str:
    return "" if value is None or pd.isna(value) else f"{int(value):,}"


def _text(value: Any, limit: int = 0) -> str:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ""
    s = str(value)
    return s if not limit or len(s) <= limit else s[: limit - 1] + "…"


def _table(
    header: Sequence[str], rows: Sequence[Sequence[Any]], *, id_: str = "", cls: str = ""
) -> str:
    head = "".join(f"<th>{_esc(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_esc(v)}</td>" for v in r) + "</tr>" for r in rows)
    attrs = (f' id="{_esc(id_)}"' if id_ else "") + (f' class="{_esc(cls)}"' if cls else "")
    return f"<table{attrs}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _figure(ax: Any, alt: str) -> str:
    buf = io.BytesIO()
    ax.figure.savefig(buf, format="png", dpi=90)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<img class="fig" alt="{_esc(alt)}" src="data:image/png;base64,{data}">'


def _note(text: str) -> str:
    return f'<p class="note">{_esc(text)}</p>'


# --------------------------------------------------------------------------- sections


def _summary(summary: str, facts: dict[str, Any]) -> str:
    out = f'<p id="dg-summary" class="lead">{_esc(summary)}</p>'
    times = facts.get("timings_s", {})
    if times:
        out += _note(
            "Built in "
            + ", ".join(f"{k} {v:.2f} s" for k, v in times.items() if k != "total")
            + "."
        )
    return out


def _claim(claim: Any) -> str:
    if claim is None:
        return _note(
            "No claim was checked. Check one with --check-share controller=KEY --claim 0.66 "
            "(Python: brief(..., check_share=..., claim=...))."
        )
    verdict = "inside" if claim.inside else "outside"
    rows = [
        ("controller", claim.controller),
        ("claimed share", _pct(claim.claim)),
        ("share by reported points", _pct(claim.share)),
        ("range the uncertainty allows", f"{_pct(claim.low)} – {_pct(claim.high)}"),
        ("area-weighted share", _pct(claim.expected) or "not computed"),
        ("events in the denominator", _int(claim.n_events)),
        ("verdict", f"the claim lies {verdict} the range"),
    ]
    return (
        f'<p id="dg-claim" class="claim {verdict}" data-inside="{str(claim.inside).lower()}">'
        f"{_esc(claim.sentence)}</p>" + _table(["", ""], rows, cls="kv")
    )


def _shares(shares: pd.DataFrame, facts: dict[str, Any]) -> str:
    rows = []
    for name, r in shares.iterrows():
        rows.append(
            [
                name,
                _int(r["events"]),
                _int(r["fatalities"]),
                _pct(r["share"]),
                f"{_pct(r['low'])} – {_pct(r['high'])}",
                _pct(r["expected"]),
            ]
        )
    note = (
        f"Shares of the {facts['n_placed']:,} events placed in a control-zone snapshot on "
        "their date. Low: the event's whole uncertainty disc lies in the controller's zones; "
        "high: the disc touches them. Area-weighted: each uncertain disc split by area"
        + (
            "."
            if shares["expected"].notna().any() or not len(shares)
            else f" (not computed: {facts['n_ambiguous']:,} uncertain events)."
        )
    )
    return _table(
        ["controller", "events", "fatalities", "share", "range", "area-weighted"],
        rows,
        id_="dg-shares",
    ) + _note(note)


def _map(maps: list[tuple[str, str, int]]) -> str:
    buttons = "".join(
        f'<button type="button" class="dg-tab" data-map="{i}">{_esc(label)} ({n:,})</button>'
        for i, (label, _h, n) in enumerate(maps)
    )
    payload = json_for_script([h for _l, h, _n in maps])
    return (
        f'<div class="tabs">{buttons}</div>'
        '<iframe id="dg-map" title="map" sandbox="allow-scripts"></iframe>'
        '<noscript><p class="note">The map needs JavaScript.</p></noscript>'
        f'<script type="application/json" id="dg-maps-data">{payload}</script>'
        + _note(
            "One map per control-zone snapshot in force on the events' dates, each with "
            "the events of that snapshot's period, their uncertainty circles, the clusters' "
            "hulls and the hot/cold cells of the whole period. Zones are approximate."
        )
    )


def _event_columns(events: gpd.GeoDataFrame, kind: str) -> list[tuple[str, Callable[[Any], str]]]:
    cols: list[tuple[str, Callable[[Any], str]]] = [
        ("event_id", _text),
        ("date", lambda v: "" if pd.isna(v) else str(pd.Timestamp(v).date())),
        ("place", _text),
        ("fatalities", _int),
        ("actor", _text),
        ("controller", _text),
        ("zone_touches", _text),
        ("uncertainty_m", lambda v: _km(None if pd.isna(v) else float(v) / 1000)),
        ("dist_border_km", _km),
        ("nearest_border", _text),
        ("dist_tripoint_km", _km),
        ("dist_tanf_km", _km),
        ("cluster", lambda v: "" if pd.isna(v) or int(v) < 0 else str(int(v))),
        ("zone_status", _text),
        ("status", _text),
        ("reason", lambda v: _text(v, 300)),
    ]
    if kind == "text":
        cols.append(("sentence", lambda v: _text(v, 1200)))
        rules = "rules" if "rules" in events.columns else "mentions"
        cols.append((rules, lambda v: _text(v, 600)))
        if "evidence" in events.columns:
            cols.append(("evidence", lambda v: _text(v, 600)))
    else:
        cols.append(("notes", lambda v: _text(v, 300)))
    return [(c, f) for c, f in cols if c in events.columns]


_LABELS = {
    "event_id": "event",
    "fatalities": "killed",
    "zone_touches": "uncertainty reaches",
    "uncertainty_m": "± km",
    "dist_border_km": "border km",
    "nearest_border": "nearest border",
    "dist_tripoint_km": "tri-point km",
    "dist_tanf_km": "al-Tanf km",
    "zone_status": "zone status",
    "mentions": "rules (place mentions)",
}


def _events(events: gpd.GeoDataFrame, kind: str, max_rows: int) -> str:
    cols = _event_columns(events, kind)
    flagged = np.zeros(len(events), dtype=bool)
    if "status" in events.columns:
        flagged |= (events["status"].astype("string").fillna("") != "ok").to_numpy()
    flagged |= (events["zone_status"].astype("string").fillna("") != "ok").to_numpy()
    order = np.arange(len(events))
    if len(events) > max_rows:  # keep what needs a look: flagged rows first, then input order
        order = np.argsort(~flagged, kind="stable")[:max_rows]
    sub = events.iloc[order]
    rows = [[fmt(v) for v in sub[c].tolist()] for c, fmt in cols]  # column-major, then transpose
    table_rows = [list(r) for r in zip(*rows, strict=True)] if rows else []
    header = [_LABELS.get(c, c) for c, _f in cols]
    payload = json_for_script(
        {"columns": header, "rows": table_rows, "total": len(events), "page": PAGE_SIZE}
    )
    limited = (
        _note(
            f"The page holds {len(table_rows):,} of the {len(events):,} events (flagged rows "
            "first); every number above uses them all."
        )
        if len(table_rows) < len(events)
        else ""
    )
    first = _table(header, table_rows[:PAGE_SIZE], id_="dg-events", cls="events")
    controls = (
        '<div class="pager"><input id="dg-filter" type="search" placeholder="filter rows">'
        '<button type="button" id="dg-prev">previous</button>'
        '<span id="dg-page-info"></span>'
        '<button type="button" id="dg-next">next</button></div>'
    )
    what = (
        "For article input each row quotes the sentence(s) it came from and the place "
        "mentions with the geocoder rule that fired."
        if kind == "text"
        else "Each row shows the event's place as given and its notes."
    )
    return (
        controls
        + f'<div class="scroll">{first}</div>'
        + f'<script type="application/json" id="dg-events-data">{payload}</script>'
        + _note(what)
        + limited
    )


def _where(events: pd.DataFrame) -> pd.Series:
    ctrl = events["controller"].astype("string")
    status = events["zone_status"].astype("string").fillna("no zone")
    return ctrl.fillna("(" + status + ")").rename("where")


def _distances(events: gpd.GeoDataFrame, shares: pd.DataFrame) -> str:
    from desertgeo.distance import distance_stats
    from desertgeo.plots import plot_distance_histogram

    where = _where(events)
    frame = pd.DataFrame(
        {c: events[c] for c in ("dist_border_km", "dist_tripoint_km", "dist_tanf_km")}
    )
    frame["where"] = where
    figs = []
    top = where.value_counts().index[:4].tolist()
    for col, title in (
        ("dist_border_km", "Distance to Syria's international border"),
        ("dist_tripoint_km", "Distance to the Syria-Iraq-Jordan tri-point"),
        ("dist_tanf_km", "Distance to the al-Tanf garrison"),
    ):
        values = pd.to_numeric(frame[col], errors="coerce")
        if values.notna().any():
            series = {str(c): values[(where == c).to_numpy()] for c in top}
            series = {k: v for k, v in series.items() if v.notna().any()}
            ax = plot_distance_histogram(series, bins=30, title=title, label="km")
            figs.append(_figure(ax, title))
        else:
            figs.append(_note(f"{title}: no event has a location."))
    stats = {
        col: distance_stats(frame, col, by="where", within_km=(25, 55, 100))
        for col in ("dist_border_km", "dist_tripoint_km", "dist_tanf_km")
    }
    rows = []
    for name in stats["dist_border_km"].index:
        b, t, f = (stats[c].loc[name] for c in stats)
        rows.append(
            [
                name,
                _int(b["count"]),
                _km(b["median_km"]),
                _pct(b["share_within_25km"]),
                _km(t["median_km"]),
                _km(f["median_km"]),
                _pct(f["share_within_55km"]),
            ]
        )
    table = _table(
        [
            "controller",
            "located events",
            "median km to border",
            "within 25 km of border",
            "median km to tri-point",
            "median km to al-Tanf",
            "within 55 km of al-Tanf",
        ],
        rows,
        id_="dg-distances",
    )
    return (
        '<div class="figs">'
        + "".join(figs)
        + "</div>"
        + table
        + _note(
            "Geodesic distances (WGS84) to the shipped Natural Earth border lines, the "
            "tri-point and the al-Tanf garrison point; they inherit each event's location "
            "uncertainty (the ± km column of the events table)."
        )
    )


def _clusters(
    clusters: gpd.GeoDataFrame, hotspots: gpd.GeoDataFrame | None, facts: dict[str, Any]
) -> str:
    out = ""
    if len(clusters):
        rows = [
            [
                _int(r["cluster"]),
                _int(r["n_events"]),
                _int(r["fatalities"]),
                "" if pd.isna(r["first_date"]) else str(pd.Timestamp(r["first_date"]).date()),
                "" if pd.isna(r["last_date"]) else str(pd.Timestamp(r["last_date"]).date()),
                _text(r.get("nearest_place")),
                _km(r.get("nearest_place_km")),
                _text(r.get("admin1")),
                _text(r.get("controller")),
            ]
            for _i, r in clusters.sort_values("n_events", ascending=False).head(50).iterrows()
        ]
        out += _table(
            [
                "cluster",
                "events",
                "killed",
                "first",
                "last",
                "nearest place",
                "km",
                "governorate",
                "controller",
            ],
            rows,
            id_="dg-clusters",
        )
    else:
        out += _note(
            f"No cluster: DBSCAN ({facts['eps_km']:g} km, {facts['min_events']} events) "
            "finds no group of events that dense."
        )
    if hotspots is None:
        out += _note("Hotspots: too few located events (fewer than 20) for a Gi* test.")
    else:
        hot = hotspots[hotspots["hotspot"] == "hot"].sort_values("gi_z", ascending=False)
        cen = hot.geometry.to_crs(METRIC_CRS).centroid.to_crs(4326)
        rows = [
            [
                _int(r["cell_id"]),
                _int(r["n_events"]),
                f"{float(r['gi_z']):.2f}",
                f"{float(r['p_fdr']):.2g}",
                f"{cen.loc[i].y:.3f}, {cen.loc[i].x:.3f}",
            ]
            for i, r in hot.head(20).iterrows()
        ]
        out += _note(
            f"Gi* on {facts['cell_km']:g} km hexagons: {facts['n_hot']} hot and "
            f"{facts['n_cold']} cold cells (Benjamini-Hochberg FDR 5%)."
        )
        if rows:
            out += _table(
                ["cell", "events", "Gi* z", "p (FDR)", "centre (lat, lon)"],
                rows,
                id_="dg-hotspots",
            )
    return out


def _timeline(events: gpd.GeoDataFrame) -> str:
    from desertgeo.plots import plot_events_by_controller

    dates = loose_dates(events["date"]).dropna()
    if dates.empty:
        return _note("No event has a usable date.")
    span = (dates.max() - dates.min()).days
    period = "W" if span <= 120 else ("M" if span <= 3 * 366 else "Q")
    frame = pd.DataFrame({"date": events["date"], "controller": _where(events)})
    ax = plot_events_by_controller(frame, period=period)
    name = {"W": "week", "M": "month", "Q": "quarter"}[period]
    return _figure(ax, f"events per {name} by controller") + _note(
        f"Events per {name}, coloured by who held the ground on the event's date."
    )


def _flags(flags: pd.DataFrame) -> str:
    if flags.empty:
        return '<p id="dg-no-flags">No flag: every event has a place, a date and a zone.</p>'
    counts = flags["kind"].value_counts()
    summary = "; ".join(f"{n:,} {k}" for k, n in counts.items())
    limit = 2000
    rows = flags.head(limit).to_numpy().tolist()
    more = _note(f"First {limit:,} of {len(flags):,} flags shown.") if len(flags) > limit else ""
    return (
        f'<p id="dg-flag-counts">{_esc(summary)}.</p>'
        + f'<div class="scroll short">{_table(["flag", "event", "detail"], rows, id_="dg-flags")}'
        + "</div>"
        + more
    )


_CAVEATS = (
    "Control zones are approximate, dated snapshots built from a reviewable table of control "
    "points: not authoritative, and silent between snapshots (events then get 'no snapshot "
    "for date').",
    "Places are geocoded from names and descriptions; every point carries an uncertainty "
    "radius, and the zone and distances inherit it (the share ranges above show how much).",
    "Events extracted from articles are machine-read by rules: check each row's sentence; "
    "rows flagged 'invalid' or 'warning' say what is missing or was inferred.",
    "Roads are approximate (checked points within 3 km); borders are Natural Earth 1:10m "
    "lines (the Golan counted as Syria per UN Security Council resolution 497).",
    "Clusters and hotspots describe where reports place events, which also reflects where "
    "reporting happens.",
)


def _provenance(facts: dict[str, Any], zones_given: bool, zones: gpd.GeoDataFrame) -> str:
    from desertgeo import datasets
    from desertgeo._version import __version__

    rows = []
    for name in ("zones", "borders", "countries", "tripoint", "sites", "places", "roads",
                 "governorates"):  # fmt: skip
        if name == "zones" and zones_given:
            src = ", ".join(sorted({str(s) for s in zones["source"].dropna().unique()}))[:300]
            approx = bool(zones["approximate"].any())
            rows.append(["zones (given by the user)", src, "", "", "yes" if approx else "no"])
            continue
        if name not in datasets.available():
            continue
        info = datasets.provenance(name)
        rows.append(
            [
                f"{name}: {info.get('description', '')}",
                info.get("source", ""),
                info.get("version", ""),
                info.get("licence", ""),
                "APPROXIMATE" if info.get("approximate") else "no",
            ]
        )
    inputs = "; ".join(facts.get("inputs", []))
    how = (
        "events extracted with desertgeo.events_from_text (rule-based, offline)"
        if facts.get("kind") == "text"
        else "events read with desertgeo.read_events (validated; no row dropped)"
    )
    synthetic = (
        '<p class="warn">This input is marked SYNTHETIC: its numbers say nothing about the '
        "real conflict.</p>"
        if facts.get("synthetic")
        else ""
    )
    return (
        f"<p>Input: {_esc(inputs)} — {_esc(how)}. Built with desertgeo {_esc(__version__)}, "
        "offline.</p>"
        + synthetic
        + _table(["data", "source", "version", "licence", "approximate"], rows, id_="dg-data")
        + '<ul class="caveats">'
        + "".join(f"<li>{_esc(c)}</li>" for c in _CAVEATS)
        + "</ul>"
    )


# --------------------------------------------------------------------------- the page

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222;
background:#faf8f3}
header{background:#5d4037;color:#fff;padding:14px 24px}
header h1{margin:0;font-size:21px}
nav{background:#efe9dc;padding:6px 24px;position:sticky;top:0;z-index:5;border-bottom:1px solid
#d8cfbc}
nav a{margin-right:14px;color:#5d4037;text-decoration:none;font-size:14px}
main{padding:0 24px 40px;max-width:1400px}
section{margin-top:22px}
h2{font-size:18px;border-bottom:2px solid #d8cfbc;padding-bottom:3px}
p.lead{font-size:16.5px;max-width:1000px}
p.note{color:#666;font-size:13px;max-width:1000px}
p.warn{color:#a00;font-weight:bold}
p.claim{font-size:16px;padding:8px 12px;border-left:5px solid #888;max-width:1000px}
p.claim.inside{border-color:#2e7d32;background:#edf7ee}
p.claim.outside{border-color:#c62828;background:#fdecea}
table{border-collapse:collapse;font-size:13px;margin:6px 0}
th,td{border:1px solid #ddd5c4;padding:3px 6px;vertical-align:top;text-align:left}
th{background:#efe9dc}
table.events td{max-width:420px}
table.events td:nth-last-child(-n+2){min-width:260px}
div.scroll{overflow:auto;max-height:640px}
div.scroll.short{max-height:360px}
#dg-map{width:100%;height:620px;border:1px solid #ccc;background:#eee}
.tabs button{margin:0 6px 6px 0;padding:4px 10px;border:1px solid #b9ad94;background:#fff;
cursor:pointer;border-radius:3px}
.tabs button.on{background:#5d4037;color:#fff}
.pager{margin:6px 0}.pager input{width:240px;margin-right:10px}
.pager span{margin:0 10px;font-size:13px}
.figs img{max-width:620px;width:32%;min-width:300px;margin:0 8px 8px 0;border:1px solid #ddd}
img.fig{background:#fff}
ul.caveats li{margin-bottom:4px;max-width:1000px}
"""

# desertgeo's own page script (not third-party): map tabs and the paginated events table.
# Data goes to the screen through textContent only.
_JS = r"""
(function () {
  function data(id) { return JSON.parse(document.getElementById(id).textContent); }
  var maps = data('dg-maps-data'), frame = document.getElementById('dg-map');
  var tabs = document.querySelectorAll('.dg-tab');
  function show(i) {
    frame.srcdoc = maps[i];
    tabs.forEach(function (b) { b.classList.toggle('on', +b.dataset.map === i); });
    frame.dataset.shown = String(i);
  }
  tabs.forEach(function (b) {
    b.addEventListener('click', function () { show(+b.dataset.map); });
  });
  if (maps.length) show(0);

  var T = data('dg-events-data'), rows = T.rows, shown = rows, page = 0, size = T.page;
  var body = document.querySelector('#dg-events tbody');
  var info = document.getElementById('dg-page-info');
  function draw() {
    var pages = Math.max(1, Math.ceil(shown.length / size));
    page = Math.min(Math.max(page, 0), pages - 1);
    var frag = document.createDocumentFragment();
    shown.slice(page * size, (page + 1) * size).forEach(function (r) {
      var tr = document.createElement('tr');
      r.forEach(function (v) {
        var td = document.createElement('td'); td.textContent = v; tr.appendChild(td);
      });
      frag.appendChild(tr);
    });
    body.replaceChildren(frag);
    var first = shown.length ? page * size + 1 : 0;
    info.textContent = 'rows ' + first + '-' + Math.min((page + 1) * size, shown.length) +
      ' of ' + shown.length + (shown.length < rows.length ? ' (filtered)' : '') +
      (rows.length < T.total ? '; ' + T.total + ' events in all' : '');
    body.parentNode.dataset.rows = String(shown.length);
  }
  var filter = document.getElementById('dg-filter'), timer = null;
  filter.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = filter.value.trim().toLowerCase();
      shown = q ? rows.filter(function (r) { return r.join(' ').toLowerCase().indexOf(q) >= 0; })
                : rows;
      page = 0; draw();
    }, 150);
  });
  document.getElementById('dg-prev').addEventListener('click', function () { page--; draw(); });
  document.getElementById('dg-next').addEventListener('click', function () { page++; draw(); });
  draw();
  document.body.dataset.ready = '1';
})();
"""


def render(
    *,
    title: str,
    summary: str,
    facts: dict[str, Any],
    events: gpd.GeoDataFrame,
    kind: str,
    shares: pd.DataFrame,
    claim: Any,
    flags: pd.DataFrame,
    clusters: gpd.GeoDataFrame,
    hotspots: gpd.GeoDataFrame | None,
    zones: gpd.GeoDataFrame,
    zones_given: bool,
    max_table_rows: int,
    map_builder: Callable[..., list[tuple[str, str, int]]],
) -> str:
    """Assemble the page (see the module docstring for how data is kept out of markup)."""
    body = {
        "summary": _summary(summary, facts) + _shares(shares, facts),
        "claim": _claim(claim),
        "map": _map(map_builder(events, zones, clusters, hotspots)),
        "events": _events(events, kind, max_table_rows),
        "distances": _distances(events, shares),
        "clusters": _clusters(clusters, hotspots, facts),
        "timeline": _timeline(events),
        "flags": _flags(flags),
        "provenance": _provenance(facts, zones_given, zones),
    }
    nav = "".join(f'<a href="#{sid}">{_esc(name)}</a>' for sid, name in SECTIONS)
    sections = "".join(
        f'<section id="{sid}"><h2>{_esc(name)}</h2>{body[sid]}</section>' for sid, name in SECTIONS
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
        'frame-src about: data:; child-src about: data:">'
        f"<title>{_esc(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{_esc(title)}</h1></header><nav>{nav}</nav><main>{sections}</main>"
        f"<script>{_JS}</script></body></html>\n"
    )
