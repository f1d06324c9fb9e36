"""Interactive HTML maps of events, clusters, hotspots and control zones (folium / Leaflet).

:func:`make_map` builds a :class:`folium.Map` with one layer per theme and a layer
control; :func:`save_map` writes it as ONE self-contained HTML file that opens with no
internet (``offline=True``, the default): Leaflet's JS/CSS come from pinned npm packages
fetched at build/install time (``python scripts/fetch_assets.py``) and are inlined.

Design choices, measured (see ``benchmarks/bench_maps.py``):

* Events are ONE layer: a canvas drawn by desertgeo's own script from compact column arrays
  (JSON in a non-executed ``<script type="application/json">``, strings
  dictionary-encoded), in one fill and one stroke per colour, with click hit-testing done
  by the script; no folium or Leaflet object per event. The time slider only flips flags
  and redraws. See ``benchmarks/bench_maps.py`` for build/load times at 1k-100k events.
* Every string that comes from data (notes, source, place, actor, names) is passed through
  :func:`html.escape` in Python; the page's own script only ever inserts those escaped
  strings, and the embedded JSON has ``<``, ``>`` and ``&`` written as ``\\u003c`` etc., so a
  note such as ``<img src=x onerror=alert(1)>`` shows as text and never runs.
* With no tiles the basemap is drawn from the shipped boundaries in its own pane
  (z-index 250), below the overlay pane, so it cannot hide the heatmap's canvas.
* The legend and the time slider are small Leaflet controls (``L.Control``) written for
  desertgeo; the scale bar is Leaflet's.

Examples
--------
>>> import desertgeo
>>> from desertgeo.maps import make_map
>>> m = make_map(desertgeo.datasets.load("seed_events"), zones=True, date="2024-05-01")
>>> m.desertgeo_layers["control zones"] > 0
True
>>> sorted(m.desertgeo_layers)[:4]
['al-Tanf 55 km zone', 'basemap', 'borders', 'control zones']
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from desertgeo._errors import CRSError, InputError, MissingDependencyError
from desertgeo._style import OTHER, PALETTE, controller_colour

__all__ = ["make_map", "save_map"]

_HOT, _COLD = "#d7301f", "#2b8cbe"
_SYRIA_BOUNDS = [[32.3, 35.6], [37.4, 42.4]]
_TANF_RADIUS_M = 55_000.0
_LEAFLET_HEAT = (
    "leaflet_heat",
    "https://cdn.jsdelivr.net/npm/leaflet.heat@0.2.0/dist/leaflet-heat.js",
)

# --- desertgeo's own browser code (not third-party): events layer, legend, time slider ----
_JS = r"""
window.desertgeo = window.desertgeo || {instances: []};
desertgeo.iso = function (day) { return new Date(day * 86400000).toISOString().slice(0, 10); };
desertgeo.events = function (map, D, o) {
  // One canvas for all events, drawn in batches by colour (one fill + one stroke per colour):
  // no Leaflet object per event, so 100k events cost one typed array pass per redraw.
  var t0 = performance.now(), n = D.lat.length;
  var mx = new Float64Array(n), my = new Float64Array(n), rad = new Float32Array(n);
  var on = new Uint8Array(n), px = new Float32Array(n), py = new Float32Array(n);
  var ncol = o.colors.length, byCol = [];
  for (var c = 0; c < ncol; c++) byCol.push([]);
  for (var i = 0; i < n; i++) {
    var lat = Math.max(Math.min(D.lat[i], 85.0511), -85.0511) * Math.PI / 180;
    mx[i] = (D.lon[i] + 180) / 360;
    my[i] = 0.5 - Math.log(Math.tan(Math.PI / 4 + lat / 2)) / (2 * Math.PI);
    var f = D.fat[i];
    rad[i] = f > 0 ? Math.min(o.rmin + o.rk * Math.sqrt(f), o.rmax) : o.rmin;
    on[i] = 1;
    byCol[D.cat[i]].push(i);
  }
  // larger circles first, so that small ones stay visible on top of big ones
  for (var c2 = 0; c2 < ncol; c2++) byCol[c2].sort(function (a, b) { return rad[b] - rad[a]; });
  var Layer = L.Layer.extend({
    onAdd: function (m) {
      var pane = m.getPane("dgevents") || m.createPane("dgevents");
      pane.style.zIndex = 450; pane.style.pointerEvents = "none";
      this._canvas = L.DomUtil.create("canvas", "dg-events-canvas", pane);
      m.on("moveend zoomend viewreset resize", this.redraw, this);
      m.on("zoomstart", this._hide, this);
      // capture phase: an event under the pointer wins over the zone / hull polygon below it
      // (Leaflet's canvas renderer would otherwise stop the click at the polygon)
      this._onClick = L.bind(this._click, this);
      m.getContainer().addEventListener("click", this._onClick, true);
      this.redraw();
    },
    onRemove: function (m) {
      m.off("moveend zoomend viewreset resize", this.redraw, this);
      m.off("zoomstart", this._hide, this);
      m.getContainer().removeEventListener("click", this._onClick, true);
      L.DomUtil.remove(this._canvas);
      this._canvas = null;
    },
    _hide: function () { if (this._canvas) this._canvas.style.visibility = "hidden"; },
    redraw: function () {
      var cv = this._canvas;
      if (!cv) return;
      var size = map.getSize(), dpr = window.devicePixelRatio || 1;
      cv.width = size.x * dpr; cv.height = size.y * dpr;
      cv.style.width = size.x + "px"; cv.style.height = size.y + "px";
      L.DomUtil.setPosition(cv, map.containerPointToLayerPoint([0, 0]));
      cv.style.visibility = "";
      var ctx = cv.getContext("2d");
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      var scale = 256 * Math.pow(2, map.getZoom());
      var org = map.getPixelOrigin(), pane = map._getMapPanePos();
      var ox = org.x - pane.x, oy = org.y - pane.y;
      // outlines help a few hundred circles and turn tens of thousands into a black blot
      var dense = self.shown > 20000;
      ctx.lineWidth = 0.7; ctx.strokeStyle = "rgba(27,27,27,0.9)";
      for (var c = 0; c < ncol; c++) {
        var idx = byCol[c], k = 0;
        ctx.beginPath();
        for (var j = 0; j < idx.length; j++) {
          var i = idx[j];
          px[i] = NaN;
          if (!on[i]) continue;
          var x = mx[i] * scale - ox, y = my[i] * scale - oy, r = rad[i];
          if (x < -r || y < -r || x > size.x + r || y > size.y + r) continue;
          px[i] = x; py[i] = y;
          ctx.moveTo(x + r, y);
          ctx.arc(x, y, r, 0, 2 * Math.PI);
          k++;
        }
        if (!k) continue;
        ctx.globalAlpha = dense ? 0.7 : 0.85; ctx.fillStyle = o.colors[c]; ctx.fill();
        if (!dense) { ctx.globalAlpha = 1; ctx.stroke(); }
      }
    },
    hit: function (x, y) {
      // the drawn event under a container point (the smallest circle wins)
      var best = -1, bestR = Infinity;
      for (var i = 0; i < n; i++) {
        var dx = px[i] - x, dy = py[i] - y, r = rad[i] + 2;
        if (dx * dx + dy * dy <= r * r && rad[i] < bestR) { best = i; bestR = rad[i]; }
      }
      return best;
    },
    containerPoint: function (i) { return [px[i], py[i]]; },
    _click: function (e) {
      var t = e.target;
      if (t && t.closest && t.closest(".leaflet-control, .leaflet-popup")) return;
      if (map.dragging && map.dragging.moved()) return;
      var cp = map.mouseEventToContainerPoint(e), i = this.hit(cp.x, cp.y);
      if (i < 0) return;
      e.stopPropagation();
      L.popup({maxWidth: 380}).setLatLng([D.lat[i], D.lon[i]]).setContent(popup(i)).openOn(map);
    }
  });
  var pts = new Layer(), unc = L.featureGroup(), uc = new Array(n);
  // uncertainty circles are made the first time their layer is switched on
  var uncBuilt = false;
  function buildUnc() {
    if (uncBuilt) return;
    uncBuilt = true;
    for (var i = 0; i < n; i++) {
      if (D.um[i] >= o.minUnc) {
        uc[i] = L.circle([D.lat[i], D.lon[i]], {radius: D.um[i], color: o.colors[D.cat[i]],
          weight: 0.8, opacity: 0.45, dashArray: "3 3", fillOpacity: 0.03, interactive: false});
        if (on[i]) unc.addLayer(uc[i]);
      }
    }
  }
  var uncAdd = unc.onAdd;
  unc.onAdd = function (m) { buildUnc(); uncAdd.call(this, m); };
  function s(col, i) { var k = D[col][i]; return k < 0 ? "" : D.strings[col][k]; }
  function popup(i) {
    var d = D.day[i], date = d < 0 ? "unknown" : desertgeo.iso(d);
    if (d >= 0 && D.span[i] > 0) date += " to " + desertgeo.iso(d + D.span[i]);
    var prec = [];
    if (D.gp[i] >= 0) prec.push("ACLED geo " + D.gp[i]);
    if (D.wp[i] >= 0) prec.push("UCDP where " + D.wp[i]);
    if (D.um[i] > 0) prec.push("\u00b1" + (D.um[i] / 1000).toFixed(1) + " km");
    var rows = [["date", date], ["place", s("place", i)], ["precision", prec.join(", ")],
      ["fatalities", D.fat[i] < 0 ? "unknown" : String(D.fat[i])], ["actor", s("actor", i)],
      ["type", s("etype", i)], ["target", s("target", i)], ["source", s("source", i)],
      ["notes", s("notes", i)], ["id", s("eid", i)]];
    var h = "<table class='dg-popup'>";
    for (var j = 0; j < rows.length; j++) {
      if (rows[j][1] !== "") h += "<tr><th>" + rows[j][0] + "</th><td>" + rows[j][1] + "</td></tr>";
    }
    return h + "</table>";
  }
  var self = {points: pts, uncertainty: unc, heat: null, n: n, shown: n, days: D.days, map: map};
  self.visible = function () {
    var out = [];
    for (var i = 0; i < n; i++) { if (on[i]) out.push([D.lat[i], D.lon[i]]); }
    return out;
  };
  self.filter = function (lo, hi) {
    var k = 0;
    for (var i = 0; i < n; i++) {
      var d = D.day[i], v = d < 0 || (d >= lo && d <= hi) ? 1 : 0;
      k += v;
      if (v === on[i]) continue;
      on[i] = v;
      if (uc[i]) { if (v) unc.addLayer(uc[i]); else unc.removeLayer(uc[i]); }
    }
    self.shown = k;
    pts.redraw();
    if (self.heat) self.heat.setLatLngs(self.visible());
    return k;
  };
  self.buildMs = performance.now() - t0;
  desertgeo.instances.push(self);
  return self;
};
desertgeo.heat = function (ev, o) {
  // leaflet.heat draws into the overlay pane, above the event circles; move its canvas to
  // its own pane just below (z-index 390), without pointer events.
  var h = L.heatLayer(ev.visible(), o), add = h.onAdd, rm = h.onRemove;
  h.onAdd = function (map) {
    add.call(this, map);
    var pane = map.getPane("dgheat") || map.createPane("dgheat");
    pane.style.zIndex = 390; pane.style.pointerEvents = "none";
    pane.appendChild(this._canvas);
  };
  h.onRemove = function (map) {
    map.getPanes().overlayPane.appendChild(this._canvas);
    rm.call(this, map);
  };
  ev.heat = h;
  return h;
};
desertgeo.legend = function (map, sections, position) {
  var C = L.Control.extend({options: {position: position}, onAdd: function () {
    var div = L.DomUtil.create("div", "dg-legend");
    var h = "";
    for (var i = 0; i < sections.length; i++) {
      var sec = sections[i];
      h += "<div class='dg-sec'><div class='dg-title'>" + sec.title + "</div>";
      for (var j = 0; j < sec.items.length; j++) {
        var it = sec.items[j], sw;
        if (it.kind === "circle") {
          var r = it.r || 5;
          sw = "<span class='dg-sw' style='width:" + 2 * r + "px;height:" + 2 * r +
            "px;border-radius:50%;background:" + it.color + ";border:1px solid #1b1b1b'></span>";
        } else if (it.kind === "line") {
          sw = "<span class='dg-sw dg-line' style='border-top:3px " +
            (it.dash ? "dashed " : "solid ") + it.color + "'></span>";
        } else {
          sw = "<span class='dg-sw dg-fill' style='background:" + it.color + ";opacity:" +
            (it.opacity || 0.5) + ";border:2px " + (it.dash ? "dashed " : "solid ") +
            it.color + "'></span>";
        }
        h += "<div class='dg-item'>" + sw + "<span>" + it.label + "</span></div>";
      }
      if (sec.note) h += "<div class='dg-note'>" + sec.note + "</div>";
      h += "</div>";
    }
    div.innerHTML = h;
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
  }});
  return new C().addTo(map);
};
desertgeo.timeSlider = function (map, ev, position) {
  var days = ev.days;
  if (!days.length) return null;
  var C = L.Control.extend({options: {position: position}, onAdd: function () {
    var div = L.DomUtil.create("div", "dg-slider");
    div.innerHTML = "<div class='dg-title'>Events up to date</div>" +
      "<input type='range' min='0' max='" + (days.length - 1) + "' value='" + (days.length - 1) +
      "' step='1'> <select><option value='0'>all before</option><option value='7'>last 7 days" +
      "</option><option value='30'>last 30 days</option><option value='91'>last 3 months</option>" +
      "</select><div class='dg-label'></div>";
    var inp = div.querySelector("input"), sel = div.querySelector("select");
    var lab = div.querySelector(".dg-label");
    function upd() {
      var hi = days[+inp.value], w = +sel.value, lo = w > 0 ? hi - w + 1 : -1e9;
      var k = ev.filter(lo, hi);
      lab.textContent = (w > 0 ? desertgeo.iso(lo) + " to " : "to ") + desertgeo.iso(hi) +
        ": " + k + " of " + ev.n + " events";
      div.setAttribute("data-shown", String(k));
    }
    inp.addEventListener("input", upd);
    sel.addEventListener("change", upd);
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    upd();
    return div;
  }});
  return new C().addTo(map);
};
"""

_CSS = """
.folium-map.leaflet-container { background: #c9d8e2; font: 12px/1.35 system-ui, sans-serif; }
.leaflet-heatmap-layer { pointer-events: none; }
.dg-legend, .dg-slider { background: rgba(255,255,255,0.93); padding: 6px 9px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.35); max-width: 270px; }
.dg-legend { max-height: 60vh; overflow-y: auto; }
.dg-sec + .dg-sec { margin-top: 5px; }
.dg-title { font-weight: 600; margin-bottom: 2px; }
.dg-item { display: flex; align-items: center; gap: 6px; margin: 1px 0; }
.dg-sw { display: inline-block; width: 14px; height: 10px; flex: none; }
.dg-line { height: 0; width: 18px; }
.dg-note { color: #555; font-size: 11px; margin-top: 2px; }
.dg-slider input { width: 190px; vertical-align: middle; }
.dg-popup th { text-align: left; padding-right: 6px; vertical-align: top; color: #555; }
.dg-popup td { max-width: 280px; overflow-wrap: anywhere; }
"""


def _esc(value: Any) -> str:
    """Escape one value from data for HTML (missing values become "")."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, (pd.Timestamp, dt.date)):
        return html.escape(value.strftime("%Y-%m-%d"))
    return html.escape(str(value))


def _js_json(obj: Any) -> str:
    """JSON that is safe inside a <script> element."""
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _as_4326(frame: Any, what: str) -> Any:
    import geopandas as gpd

    if not isinstance(frame, gpd.GeoDataFrame):
        raise InputError(f"{what} must be a GeoDataFrame, got {type(frame).__name__}")
    if frame.crs is None:
        raise CRSError(f"{what} has no CRS; set it (e.g. .set_crs(4326)) before mapping")
    if frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    return frame


def _popup_html(title: str, rows: Iterable[tuple[str, Any]]) -> str:
    body = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{_esc(v)}</td></tr>" for k, v in rows if _esc(v) != ""
    )
    return f"<b>{html.escape(title)}</b><table class='dg-popup'>{body}</table>"


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


# applies per-feature style, popup and tooltip carried in the (escaped) properties
_ON_EACH = """function (f, layer) {
  var p = f.properties;
  if (p._style && layer.setStyle) layer.setStyle(p._style);
  if (p._popup) layer.bindPopup(p._popup, {maxWidth: 360});
  if (p._tip) layer.bindTooltip(p._tip, {sticky: true});
}"""


def _geojson_layer(
    frame: Any,
    props: Sequence[dict[str, Any]],
    name: str,
    *,
    show: bool = True,
    pane: str | None = None,
    interactive: bool = True,
    simplify: float = 0.0,
    point_radius: float = 4.0,
) -> Any:
    import folium
    from folium.utilities import JsCode

    kwargs: dict[str, Any] = {}
    if pane is not None:
        kwargs["pane"] = pane
    if not interactive:
        kwargs["interactive"] = False
    return folium.GeoJson(
        _feature_collection(frame, props, simplify),
        name=name,
        show=show,
        on_each_feature=JsCode(_ON_EACH),
        marker=folium.CircleMarker(radius=point_radius, **kwargs),
        **kwargs,
    )


def _to_day(value: Any) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise InputError(f"date={value!r} is not a date; use e.g. '2024-05-01'") from exc
    if ts is pd.NaT:
        raise InputError(f"date={value!r} is not a date; use e.g. '2024-05-01'")
    return ts.tz_localize(None) if ts.tzinfo is not None else ts


def _zones_at(zones: Any, date: pd.Timestamp | None) -> tuple[Any, pd.Timestamp | None]:
    """Rows of ``zones`` valid on ``date`` (valid_to exclusive); latest snapshot if no date."""
    if "valid_from" not in zones.columns:
        return zones, date
    vf = pd.to_datetime(zones["valid_from"])
    vt = (
        pd.to_datetime(zones["valid_to"])
        if "valid_to" in zones.columns
        else pd.Series(pd.NaT, index=zones.index)
    )
    if date is None:
        date = vf.max()
    keep = (vf <= date) & (vt.isna() | (date < vt))
    return zones[keep.to_numpy()], date


def _factorize(values: pd.Series) -> tuple[list[int], list[str]]:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes.tolist(), [_esc(u) for u in uniques]


def _events_payload(
    events: Any, color_by: str, min_uncertainty_m: float
) -> tuple[dict[str, Any], list[str], list[str], int]:
    """Column arrays for the browser; returns (payload, category labels, colours, n unplaced)."""
    geom = events.geometry
    ok = (~geom.isna() & ~geom.is_empty).to_numpy()
    ev = events[ok]
    pts = ev.geometry
    if not (pts.geom_type == "Point").all():
        pts = pts.representative_point()
    lon, lat = pts.x.to_numpy(), pts.y.to_numpy()
    finite = np.isfinite(lon) & np.isfinite(lat)
    ev, lon, lat = ev[finite], lon[finite], lat[finite]
    n = len(ev)
    idx = ev.index

    def col(name: str, default: Any = pd.NA) -> pd.Series:
        return ev[name] if name in ev.columns else pd.Series(default, index=idx, dtype="object")

    # categories: the 9 most frequent values of color_by, then "other"
    cats = col(color_by).astype("string").fillna("unknown")
    counts = cats.value_counts()
    top = list(counts.index[: len(PALETTE)])
    if len(counts) > len(PALETTE):
        top = list(counts.index[: len(PALETTE) - 1])
    labels = [*top, "other"] if len(counts) > len(top) else list(top)
    colours = [PALETTE[i] for i in range(len(top))] + ([OTHER] if len(labels) > len(top) else [])
    lookup = {c: i for i, c in enumerate(top)}
    other = len(top)
    cat_codes = [lookup.get(c, other) for c in cats.tolist()]

    dates = pd.to_datetime(col("date"), errors="coerce")
    ends = pd.to_datetime(col("date_end"), errors="coerce")
    epoch = pd.Timestamp("1970-01-01")
    day_arr = np.where(dates.isna(), -1, (dates.dt.normalize() - epoch).dt.days.fillna(-1)).astype(
        np.int64
    )
    end_arr = np.where(ends.isna(), -1, (ends.dt.normalize() - epoch).dt.days.fillna(-1))
    span = np.where((day_arr >= 0) & (end_arr > day_arr), end_arr - day_arr, 0).astype(np.int64)
    day = day_arr.tolist()

    fat = pd.to_numeric(col("fatalities"), errors="coerce")
    fat_list = np.where(fat.isna(), -1, fat.fillna(0).clip(lower=0)).astype(np.int64).tolist()

    um = pd.to_numeric(col("uncertainty_m"), errors="coerce").fillna(0).clip(lower=0)
    um_list = np.round(um.to_numpy(dtype=float)).astype(np.int64).tolist()
    prec_codes: dict[str, list[int]] = {}
    for key, name in (("gp", "geo_precision"), ("wp", "where_prec")):
        s = pd.to_numeric(col(name), errors="coerce")
        prec_codes[key] = np.where(s.isna(), -1, s.fillna(0)).astype(np.int64).tolist()

    payload: dict[str, Any] = {
        "lat": np.round(lat, 5).tolist(),
        "lon": np.round(lon, 5).tolist(),
        "cat": cat_codes,
        "fat": fat_list,
        "um": um_list,
        "gp": prec_codes["gp"],
        "wp": prec_codes["wp"],
        "day": day,
        "span": span.tolist(),
        "days": sorted({d for d in day if d >= 0}),
        "strings": {},
    }
    for key, column in (
        ("place", "place"),
        ("actor", "actor"),
        ("etype", "event_type"),
        ("target", "target"),
        ("source", "source"),
        ("notes", "notes"),
        ("eid", "event_id"),
    ):
        str_codes, uniques = _factorize(col(column))
        payload[key] = str_codes
        payload["strings"][key] = uniques
    return payload, [_esc(x) for x in labels], colours, len(events) - n


def _make_element(template: str, **attrs: Any) -> Any:
    from branca.element import MacroElement
    from jinja2 import Template

    el = MacroElement()
    el._template = Template(template)
    for k, v in attrs.items():
        setattr(el, k, v)
    return el


def _layer(name: str, show: bool, script: str, js: Sequence[tuple[str, str]] = ()) -> Any:
    """A folium Layer (so it appears in the LayerControl) whose JS variable ``script`` defines."""
    from folium.elements import JSCSSMixin
    from folium.map import Layer
    from jinja2 import Template

    class _DGLayer(JSCSSMixin, Layer):
        def __init__(self) -> None:
            super().__init__(name=name, overlay=True, control=True, show=show)
            self.default_js = list(js)
            self._name = "DesertgeoLayer"
            self._template = Template(
                "{% macro script(this, kwargs) %}var {{ this.get_name() }} = "
                + script
                + ";\n{% endmacro %}"
            )

    return _DGLayer()


def _tanf_zone(sites: Any) -> tuple[Any, str] | None:
    """55 km geodesic circle around the al-Tanf garrison point from the shipped sites."""
    import geopandas as gpd
    from pyproj import Geod
    from shapely.geometry import Polygon

    text = (
        sites.get("site_id", pd.Series("", index=sites.index)).astype("string").fillna("")
        + " "
        + sites.get("name", pd.Series("", index=sites.index)).astype("string").fillna("")
        + " "
        + sites.get("aliases", pd.Series("", index=sites.index)).astype("string").fillna("")
    ).str.lower()
    hits = sites[text.str.contains("tanf", regex=False).to_numpy()]
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
    elon, elat, _ = Geod(ellps="WGS84").fwd(
        np.full(az.shape, lon), np.full(az.shape, lat), az, np.full(az.shape, _TANF_RADIUS_M)
    )
    poly = Polygon(zip(elon, elat, strict=True))
    src = str(row.get("source", "") or "")
    return gpd.GeoDataFrame({"name": [row.get("name", "al-Tanf")]}, geometry=[poly], crs=4326), src


def _load_shipped(name: str) -> Any:
    from desertgeo import datasets

    return datasets.load(name)


def make_map(
    events: Any = None,
    zones: Any = None,
    clusters: Any = None,
    hotspots: Any = None,
    date: Any = None,
    tiles: str | None = None,
    *,
    color_by: str = "event_type",
    heatmap: bool = False,
    uncertainty: bool = True,
    min_uncertainty_m: float = 1000.0,
    basemap: bool = True,
    governorates: bool = True,
    borders: bool = True,
    sites: bool = True,
    roads: bool = True,
    tanf: bool = True,
    time_slider: bool = True,
    title: str | None = None,
) -> Any:
    """Build an interactive map of events and their context.

    Parameters
    ----------
    events : GeoDataFrame, optional
        Events (events schema; point geometry, any CRS that is set). Drawn as one canvas
        layer of circles sized by ``fatalities`` and coloured by ``color_by``; a click opens
        a popup with date, place, precision, fatalities, actor, type, target, source, notes
        (every string HTML-escaped).
        Rows without a usable location are counted in the legend, not drawn.
    zones : GeoDataFrame or True, optional
        Control-zone snapshots (zones schema), or True for the shipped approximate
        snapshots (:func:`desertgeo.zones.load_zones`).
        Only the snapshot valid on ``date`` is drawn (``valid_from <= date < valid_to``).
    clusters : GeoDataFrame, optional
        Cluster summaries from :func:`desertgeo.clustering.summarize_clusters` (hull polygons).
    hotspots : GeoDataFrame, optional
        Cells from :func:`desertgeo.hotspot.hotspots`; "hot" and "cold" cells are drawn.
    date : str or Timestamp, optional
        Date of the control zones; default: the latest event date, else the latest snapshot.
    tiles : str, optional
        folium tile name or URL for an online basemap. Default None: the basemap is drawn
        from the shipped boundaries and the page needs no network.
    color_by : str, default "event_type"
        Events column that sets the colour (e.g. "actor"); the 9 most frequent values get
        their own colour, the rest are "other".
    heatmap : bool, default False
        Add a heatmap of event density (follows the time slider).
    uncertainty : bool, default True
        Add a layer of circles of radius ``uncertainty_m`` for events at least
        ``min_uncertainty_m`` uncertain (switched on at opening when there are at most
        500 such circles; otherwise in the layer control, off).
    basemap, governorates, borders, sites, roads, tanf : bool
        Context layers from the shipped data (roads are schematic; the al-Tanf zone is a
        55 km geodesic circle around the shipped garrison point).
    time_slider : bool, default True
        Add a slider over event dates that filters the events (and heatmap) shown.
    title : str, optional
        Title at the top of the legend.

    Returns
    -------
    folium.Map
        With attribute ``desertgeo_layers`` (layer name -> number of features drawn) and
        ``desertgeo_unplaced`` (events not drawn for lack of a location).

    Examples
    --------
    >>> import desertgeo
    >>> ev = desertgeo.datasets.load("seed_events")
    >>> m = make_map(ev, heatmap=True)
    >>> m.desertgeo_layers["events"] + m.desertgeo_unplaced == len(ev)
    True
    """
    try:
        import folium
    except ImportError as exc:  # pragma: no cover - folium is a core dependency
        raise MissingDependencyError("maps need folium: pip install folium") from exc

    zoom_bounds = _SYRIA_BOUNDS
    m: Any = folium.Map(
        location=[34.8, 38.9],
        zoom_start=7,
        tiles=tiles,
        prefer_canvas=True,
        control_scale=True,
        max_zoom=16,
    )
    m.get_root().header.add_child(folium.Element(f"<style>{_CSS}</style>"))
    m.get_root().header.add_child(folium.Element(f"<script>{_JS}</script>"))
    layers: dict[str, int] = {}
    legend: list[dict[str, Any]] = []

    if basemap and tiles is None:
        folium.map.CustomPane("basemap", z_index=250, pointer_events=False).add_to(m)
        countries = _load_shipped("countries")
        props: list[dict[str, Any]] = [
            {
                "_style": {
                    "color": "#8a8170",
                    "weight": 1,
                    "fillColor": "#f6f1e4" if c == "SY" else "#e4e0d6",
                    "fillOpacity": 1.0,
                }
            }
            for c in countries.get("country", pd.Series("", index=countries.index))
        ]
        _geojson_layer(
            countries, props, "basemap", pane="basemap", interactive=False, simplify=0.005
        ).add_to(m)
        layers["basemap"] = len(countries)
    if governorates:
        gov = _load_shipped("governorates")
        props = [
            {
                "_style": {"color": "#9b8f7a", "weight": 1, "dashArray": "2 3", "fill": False},
                "_tip": _esc(r.get("name_en", "")) + " " + _esc(r.get("name_ar", "")),
            }
            for _, r in gov.iterrows()
        ]
        _geojson_layer(gov, props, "governorates", interactive=False, simplify=0.002).add_to(m)
        layers["governorates"] = len(gov)

    zone_date: pd.Timestamp | None = None if date is None else _to_day(date)
    if zone_date is None and events is not None and "date" in events.columns:
        latest = pd.to_datetime(events["date"], errors="coerce").max()
        zone_date = None if pd.isna(latest) else latest
    if zones is not None and zones is not False:
        if zones is True:
            from desertgeo.zones import load_zones

            zdf = load_zones()
        else:
            zdf = _as_4326(zones, "zones")
        zdf, zone_date = _zones_at(zdf, zone_date)
        controllers = sorted(zdf.get("controller", pd.Series(dtype="string")).dropna().unique())
        colour = {c: controller_colour(str(c), i) for i, c in enumerate(controllers)}
        approx = (
            zdf["approximate"].fillna(True).astype(bool)
            if "approximate" in zdf.columns
            else pd.Series(True, index=zdf.index)
        )
        props = []
        for (_, r), ap in zip(zdf.iterrows(), approx, strict=True):
            c = colour.get(r.get("controller"), OTHER)
            props.append(
                {
                    "_style": {
                        "color": c,
                        "weight": 1.5,
                        "dashArray": "6 4" if ap else None,
                        "fillColor": c,
                        "fillOpacity": 0.13 if ap else 0.25,
                    },
                    "_popup": _popup_html(
                        f"Control zone: {r.get('controller', '')}",
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
        _geojson_layer(zdf, props, "control zones").add_to(m)
        layers["control zones"] = len(zdf)
        when = zone_date.strftime("%Y-%m-%d") if zone_date is not None else "undated"
        legend.append(
            {
                "title": f"Control zones on {when}",
                "items": [
                    {"kind": "fill", "color": colour[c], "label": _esc(c), "dash": True}
                    for c in controllers
                ],
                "note": "approximate (dashed, faded): dated snapshots, see source in popup",
            }
        )

    if hotspots is not None:
        hs = _as_4326(hotspots, "hotspots")
        label = hs.get("hotspot", pd.Series("", index=hs.index)).astype("string")
        hs = hs[label.isin(["hot", "cold"]).fillna(False).to_numpy()]
        props = [
            {
                "_style": {
                    "color": _HOT if r.get("hotspot") == "hot" else _COLD,
                    "weight": 0.5,
                    "fillOpacity": 0.4,
                },
                "_popup": _popup_html(
                    f"{r.get('hotspot')} spot (Gi*)",
                    [
                        ("cell", r.get("cell_id")),
                        ("events", r.get("n_events")),
                        ("Gi* z", None if pd.isna(r.get("gi_z")) else f"{r.get('gi_z'):.2f}"),
                        ("p (FDR)", None if pd.isna(r.get("p_fdr")) else f"{r.get('p_fdr'):.3g}"),
                    ],
                ),
            }
            for _, r in hs.iterrows()
        ]
        _geojson_layer(hs, props, "hotspots (Gi*)").add_to(m)
        layers["hotspots (Gi*)"] = len(hs)
        legend.append(
            {
                "title": "Hotspot cells (Gi*, FDR)",
                "items": [
                    {"kind": "fill", "color": _HOT, "label": "hot", "opacity": 0.5},
                    {"kind": "fill", "color": _COLD, "label": "cold", "opacity": 0.5},
                ],
            }
        )

    if clusters is not None:
        cl = _as_4326(clusters, "clusters")
        props = [
            {
                "_style": {
                    "color": "#6a3d9a",
                    "weight": 2,
                    "fillColor": "#6a3d9a",
                    "fillOpacity": 0.08,
                },
                "_popup": _popup_html(
                    f"Cluster {_esc(r.get('cluster'))}",
                    [
                        ("events", r.get("n_events")),
                        ("fatalities", r.get("fatalities")),
                        ("first", r.get("first_date")),
                        ("last", r.get("last_date")),
                        ("nearest place", r.get("nearest_place")),
                        (
                            "distance (km)",
                            None
                            if pd.isna(r.get("nearest_place_km"))
                            else f"{r.get('nearest_place_km'):.1f}",
                        ),
                        ("governorate", r.get("admin1")),
                        ("controller", r.get("controller")),
                    ],
                ),
            }
            for _, r in cl.iterrows()
        ]
        _geojson_layer(cl, props, "cluster hulls").add_to(m)
        layers["cluster hulls"] = len(cl)
        legend.append(
            {
                "title": "Clusters",
                "items": [{"kind": "fill", "color": "#6a3d9a", "label": "hull", "opacity": 0.2}],
            }
        )

    context: list[dict[str, Any]] = []
    if roads:
        rd = _load_shipped("roads")
        props = [
            {
                "_style": {"color": "#8c510a", "weight": 2, "dashArray": "8 5"},
                "_tip": _esc(r.get("name", "")) + " (schematic)",
            }
            for _, r in rd.iterrows()
        ]
        _geojson_layer(rd, props, "roads (schematic)").add_to(m)
        layers["roads (schematic)"] = len(rd)
        context.append({"kind": "line", "color": "#8c510a", "label": "road (schematic)", "dash": 1})
    if borders:
        bd = _load_shipped("borders")
        props = [
            {
                "_style": {"color": "#333333", "weight": 2.2},
                "_tip": "Syria border with " + _esc(r.get("neighbour", "")),
            }
            for _, r in bd.iterrows()
        ]
        _geojson_layer(bd, props, "borders").add_to(m)
        layers["borders"] = len(bd)
        context.append({"kind": "line", "color": "#333333", "label": "international border"})
    shipped_sites = _load_shipped("sites") if (sites or tanf) else None
    if tanf and shipped_sites is not None:
        found = _tanf_zone(shipped_sites)
        if found is not None:
            tz, src = found
            props = [
                {
                    "_style": {
                        "color": "#2471a3",
                        "weight": 2,
                        "dashArray": "3 4",
                        "fillOpacity": 0.04,
                    },
                    "_popup": _popup_html(
                        "al-Tanf 55 km deconfliction zone",
                        [
                            ("shape", "55 km geodesic circle around the garrison point"),
                            ("garrison source", src),
                        ],
                    ),
                }
            ]
            _geojson_layer(tz, props, "al-Tanf 55 km zone").add_to(m)
            layers["al-Tanf 55 km zone"] = 1
            context.append(
                {"kind": "fill", "color": "#2471a3", "label": "al-Tanf 55 km zone", "dash": 1}
            )
    if sites and shipped_sites is not None:
        st = shipped_sites
        props = [
            {
                "_style": {
                    "color": "#000000",
                    "weight": 1,
                    "fillColor": "#ffffff",
                    "fillOpacity": 1,
                },
                "_tip": _esc(r.get("name", "")) + " (" + _esc(r.get("feature_type", "")) + ")",
                "_popup": _popup_html(
                    str(r.get("name", "")),
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
        _geojson_layer(st, props, "sites", point_radius=4).add_to(m)
        layers["sites"] = len(st)
        context.append({"kind": "circle", "color": "#ffffff", "label": "site", "r": 4})

    unplaced = 0
    if events is not None:
        ev = _as_4326(events, "events")
        if color_by not in ev.columns and len(ev):
            raise InputError(
                f"color_by={color_by!r} is not a column of events; use one of "
                f"{', '.join(c for c in ev.columns if c != 'geometry')}"
            )
        payload, labels, colours, unplaced = _events_payload(ev, color_by, min_uncertainty_m)
        n = len(payload["lat"])
        opts = {
            "colors": colours,
            "rmin": 3.5,
            "rk": 1.6,
            "rmax": 16,
            "minUnc": max(float(min_uncertainty_m), 1.0),
        }
        # the data travel as JSON in a non-executed script element: JSON.parse of a string is
        # much cheaper for the browser than compiling the same data as a JavaScript literal
        data_id = f"dg-events-{m.get_name()}"
        m.get_root().html.add_child(
            folium.Element(
                f'<script type="application/json" id="{data_id}">{_js_json(payload)}</script>'
            )
        )
        events_layer = _layer(
            "events",
            True,
            f"desertgeo.events({m.get_name()}, JSON.parse(document.getElementById("
            f'"{data_id}").textContent), {_js_json(opts)}).points',
        )
        events_layer.add_to(m)
        ev_js = "desertgeo.instances[desertgeo.instances.length - 1]"
        layers["events"] = n
        if uncertainty:
            n_unc = sum(1 for u in payload["um"] if u > 0 and u >= min_uncertainty_m)
            # shown at first only when few enough not to bury the events
            _layer("location uncertainty", n_unc <= 500, f"{ev_js}.uncertainty").add_to(m)
            layers["location uncertainty"] = n_unc
        if heatmap:
            heat_opts = {"radius": 14, "blur": 18, "maxZoom": 9, "minOpacity": 0.25}
            _layer(
                "heatmap", True, f"desertgeo.heat({ev_js}, {_js_json(heat_opts)})", [_LEAFLET_HEAT]
            ).add_to(m)
            layers["heatmap"] = n
        note = f"{n} events drawn"
        if unplaced:
            note += f"; {unplaced} without a usable location not drawn"
        legend.insert(
            0,
            {
                "title": f"Events by {html.escape(color_by.replace('_', ' '))}",
                "items": [
                    {"kind": "circle", "color": c, "label": lab}
                    for lab, c in zip(labels, colours, strict=True)
                ]
                + [
                    {"kind": "circle", "color": "#dddddd", "label": f"{k} killed", "r": r}
                    for k, r in ((1, 3.5 + 1.6), (10, min(3.5 + 1.6 * math.sqrt(10), 16)))
                ]
                + (
                    [
                        {
                            "kind": "fill",
                            "color": "#555555",
                            "label": f"location uncertainty (≥ {min_uncertainty_m / 1000:g} km)",
                            "dash": 1,
                            "opacity": 0.15,
                        }
                    ]
                    if uncertainty
                    else []
                ),
                "note": note,
            },
        )
        if n:
            lat_arr, lon_arr = np.asarray(payload["lat"]), np.asarray(payload["lon"])
            zoom_bounds = [
                [float(lat_arr.min()) - 0.3, float(lon_arr.min()) - 0.3],
                [float(lat_arr.max()) + 0.3, float(lon_arr.max()) + 0.3],
            ]
        if time_slider and payload["days"]:
            m.add_child(
                _make_element(
                    "{% macro script(this, kwargs) %}desertgeo.timeSlider("
                    + m.get_name()
                    + ", "
                    + ev_js
                    + ', "bottomleft");\n{% endmacro %}'
                )
            )
    if context:
        legend.append({"title": "Context", "items": context})
    if title:
        legend.insert(0, {"title": html.escape(title), "items": []})

    folium.LayerControl(collapsed=True).add_to(m)
    m.add_child(
        _make_element(
            "{% macro script(this, kwargs) %}desertgeo.legend("
            + m.get_name()
            + ", "
            + _js_json(legend)
            + ', "bottomright");\n{% endmacro %}'
        )
    )
    # fit without animation, so the page is ready (and clickable) as soon as it loads
    m.add_child(
        _make_element(
            "{% macro script(this, kwargs) %}"
            + m.get_name()
            + ".fitBounds("
            + _js_json(zoom_bounds)
            + ", {animate: false});\n{% endmacro %}"
        )
    )
    m.desertgeo_layers = layers
    m.desertgeo_unplaced = unplaced
    return m


def save_map(m: Any, path: str | Path, *, offline: bool = True) -> Path:
    """Write ``m`` to one HTML file; with ``offline=True`` it makes no network request.

    Parameters
    ----------
    m : folium.Map
        A map, usually from :func:`make_map`.
    path : str or Path
        Output file (``.html``).
    offline : bool, default True
        Inline Leaflet's JS/CSS from the pinned registry packages (fetched at build time:
        ``python scripts/fetch_assets.py``). False keeps folium's CDN links.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    MissingDependencyError
        ``offline=True`` and the assets were never fetched (the message gives the command).
    InputError
        The map uses a plugin that has no pinned offline copy.

    Examples
    --------
    >>> import tempfile, pathlib, desertgeo
    >>> m = make_map(desertgeo.datasets.load("seed_events"))
    >>> out = save_map(m, pathlib.Path(tempfile.mkdtemp()) / "map.html")
    >>> "https://cdn" in out.read_text(encoding="utf-8")
    False
    """
    from desertgeo._offline import inline_assets

    page = m.get_root().render()
    if offline:
        page = inline_assets(page)
    out = Path(path)
    out.write_text(page, encoding="utf-8")
    return out
