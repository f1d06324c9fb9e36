"""desertgeo's own browser code for the HTML maps (not third-party): layers, legend, slider.

Everything the page shows that comes from data arrives as JSON arguments (or as one
gzip-compressed, base64-encoded binary block for the events) and is put into the page
with ``textContent`` / DOM properties, never as HTML or template source. The only HTML
strings built here are fixed markup; :js:`dg.esc` escapes the attribution text, the one
place where Leaflet insists on HTML.
"""

from __future__ import annotations

__all__ = ["CSS", "JS"]

JS = r"""
(function () {
if (window.desertgeo && window.desertgeo.version) return;
var dg = window.desertgeo = {version: 2, instances: [], builders: {}, maps: []};
dg.iso = function (day) { return new Date(day * 86400000).toISOString().slice(0, 10); };
dg.esc = function (s) {
  return String(s).replace(/[&<>"']/g, function (c) {
    return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
  });
};
dg.el = function (tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
};
// a popup's content as DOM: a bold title and a two-column table, every cell textContent
dg.table = function (title, rows) {
  var div = dg.el("div", "dg-pop");
  if (title) div.appendChild(dg.el("b", "dg-pop-title", title));
  var t = dg.el("table", "dg-popup");
  for (var i = 0; i < rows.length; i++) {
    var v = rows[i][1];
    if (v === "" || v === null || v === undefined) continue;
    var tr = t.insertRow();
    tr.appendChild(dg.el("th", null, rows[i][0]));
    tr.appendChild(dg.el("td", null, v));
  }
  div.appendChild(t);
  return div;
};
dg.state = function (map) {
  if (!map._dg) {
    map._dg = {onDay: [], events: null, zones: null};
    dg.maps.push(map);
    // Leaflet follows the window's size only: a map in a notebook cell or a frame laid out
    // after it was built would keep the size 0 it was built at; follow the container's
    if (window.ResizeObserver) {
      new ResizeObserver(function () { map.invalidateSize({pan: false}); })
        .observe(map.getContainer());
    }
  }
  return map._dg;
};
dg.make = function (map, kind, args) { return dg.builders[kind](map, args); };
dg.call = function (map, kind, args) { dg.builders[kind](map, args); };

// ---- binary columns: base64(gzip(u32 header length, JSON header, column bytes)) ----
dg.b64 = function (s) {
  var bin = atob(s), n = bin.length, u = new Uint8Array(n);
  for (var i = 0; i < n; i++) u[i] = bin.charCodeAt(i);
  return u;
};
dg.unpack = function (id) {
  var el = document.getElementById(id), u = dg.b64(el.textContent.replace(/\s+/g, ""));
  var stream = new Blob([u]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).arrayBuffer().then(function (buf) {
    var hl = new DataView(buf).getUint32(0, true);
    var meta = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 4, hl)));
    var T = {u8: Uint8Array, u16: Uint16Array, u32: Uint32Array};
    var D = {n: meta.n, strings: meta.strings, meta: meta};
    for (var k = 0; k < meta.columns.length; k++) {
      var c = meta.columns[k], C = T[c.type];
      var raw = new C(buf.slice(c.at, c.at + meta.n * C.BYTES_PER_ELEMENT));
      if (c.kind === "codes") { D[c.name] = raw; continue; }
      var out = new Float64Array(meta.n), na = c.na, base = c.base, sc = c.scale;
      for (var i = 0; i < meta.n; i++) { var r = raw[i]; out[i] = r === na ? NaN : base + r * sc; }
      D[c.name] = out;
    }
    return D;
  });
};
dg.str = function (D, key, i) {
  var codes = D[key], list = D.strings[key];
  if (!list) return "";
  if (!codes) return list[i] === undefined ? "" : list[i];
  return list[codes[i]];
};

// ---- events: one canvas, circles batched by colour; dots when very many are shown ----
dg.builders.events = function (map, o) {
  var st = dg.state(map);
  var self = {map: map, n: 0, shown: 0, days: [], ready: false, heat: null, o: o};
  var D = null, mx, my, rad, on, px, py, order, grid = null, gx = 0, gy = 0;
  var CELL = 24, ncol = o.colors.length, colStart = null;
  var rgb = o.colors.map(function (h) {
    return [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
  });
  function prepare(data) {
    D = data;
    var n = D.n, i;
    mx = new Float64Array(n); my = new Float64Array(n); rad = new Float32Array(n);
    on = new Uint8Array(n); px = new Float32Array(n); py = new Float32Array(n);
    var keyCount = new Int32Array(ncol * 32 + 1), key = new Int32Array(n);
    for (i = 0; i < n; i++) {
      var lat = Math.max(Math.min(D.lat[i], 85.0511), -85.0511) * Math.PI / 180;
      mx[i] = (D.lon[i] + 180) / 360;
      my[i] = 0.5 - Math.log(Math.tan(Math.PI / 4 + lat / 2)) / (2 * Math.PI);
      var f = D.fat[i];
      rad[i] = f > 0 ? Math.min(o.rmin + o.rk * Math.sqrt(f), o.rmax) : o.rmin;
      on[i] = 1;
      // by colour, then larger circles first, so small ones stay visible on top
      var rb = Math.min(31, Math.round((o.rmax - rad[i]) * 2));
      key[i] = D.cat[i] * 32 + rb;
      keyCount[key[i] + 1]++;
    }
    for (i = 1; i < keyCount.length; i++) keyCount[i] += keyCount[i - 1];
    colStart = new Int32Array(ncol + 1);
    for (var c = 0; c <= ncol; c++) colStart[c] = keyCount[c * 32];
    order = new Int32Array(n);
    for (i = 0; i < n; i++) order[keyCount[key[i]]++] = i;
    var seen = {}, days = [];
    for (i = 0; i < n; i++) {
      var d = D.day[i];
      if (d === d && !seen[d]) { seen[d] = 1; days.push(d); }
    }
    days.sort(function (a, b) { return a - b; });
    self.n = n; self.shown = n; self.days = days; self.D = D;
  }
  var Layer = L.Layer.extend({
    onAdd: function (m) {
      var pane = m.getPane("dgevents") || m.createPane("dgevents");
      pane.style.zIndex = 450; pane.style.pointerEvents = "none";
      this._canvas = L.DomUtil.create("canvas", "dg-events-canvas", pane);
      this._tip = L.DomUtil.create("div", "dg-tip", m.getContainer());
      this._tip.style.display = "none";
      m.on("moveend zoomend viewreset resize", this.redraw, this);
      m.on("zoomstart", this._hide, this);
      // capture phase: an event under the pointer wins over the zone / hull polygon below it
      this._onClick = L.bind(this._click, this);
      this._onMove = L.bind(this._move, this);
      m.getContainer().addEventListener("click", this._onClick, true);
      m.getContainer().addEventListener("mousemove", this._onMove);
      this.redraw();
    },
    onRemove: function (m) {
      m.off("moveend zoomend viewreset resize", this.redraw, this);
      m.off("zoomstart", this._hide, this);
      m.getContainer().removeEventListener("click", this._onClick, true);
      m.getContainer().removeEventListener("mousemove", this._onMove);
      L.DomUtil.remove(this._canvas); L.DomUtil.remove(this._tip);
      this._canvas = null; grid = null;
    },
    _hide: function () { if (this._canvas) this._canvas.style.visibility = "hidden"; },
    redraw: function () {
      var cv = this._canvas;
      if (!cv || !D) return;
      var size = map.getSize(), dpr = window.devicePixelRatio || 1;
      cv.width = size.x * dpr; cv.height = size.y * dpr;
      cv.style.width = size.x + "px"; cv.style.height = size.y + "px";
      L.DomUtil.setPosition(cv, map.containerPointToLayerPoint([0, 0]));
      cv.style.visibility = "";
      var ctx = cv.getContext("2d");
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      var scale = 256 * Math.pow(2, map.getZoom());
      var org = map.getPixelOrigin(), pane = map._getMapPanePos();
      var ox = org.x - pane.x, oy = org.y - pane.y, n = self.n, j, i, x, y, r;
      gx = Math.ceil(size.x / CELL) + 1; gy = Math.ceil(size.y / CELL) + 1;
      var cnt = new Int32Array(gx * gy + 1), drawn = 0;
      function cellOf(x, y) {
        return Math.min(gy - 1, Math.max(0, y / CELL | 0)) * gx +
          Math.min(gx - 1, Math.max(0, x / CELL | 0));
      }
      for (j = 0; j < n; j++) {
        i = order[j]; px[i] = NaN;
        if (!on[i]) continue;
        x = mx[i] * scale - ox; y = my[i] * scale - oy; r = rad[i];
        if (x < -r || y < -r || x > size.x + r || y > size.y + r) continue;
        px[i] = x; py[i] = y; drawn++;
        cnt[cellOf(x, y) + 1]++;
      }
      for (j = 1; j < cnt.length; j++) cnt[j] += cnt[j - 1];
      var cell = new Int32Array(drawn), fillAt = cnt.slice(0, gx * gy);
      for (j = 0; j < n; j++) {
        i = order[j];
        if (px[i] !== px[i]) continue;
        cell[fillAt[cellOf(px[i], py[i])]++] = i;
      }
      grid = {start: cnt, items: cell};
      self.drawn = drawn;
      if (drawn > o.dotsAbove) { this._dots(ctx, size, dpr); return; }
      // outlines help a few hundred circles and turn tens of thousands into a black blot
      var dense = drawn > 20000;
      ctx.lineWidth = 0.7; ctx.strokeStyle = "rgba(27,27,27,0.9)";
      for (var c = 0; c < ncol; c++) {
        var k = 0;
        ctx.beginPath();
        for (j = colStart[c]; j < colStart[c + 1]; j++) {
          i = order[j];
          if (px[i] !== px[i]) continue;
          ctx.moveTo(px[i] + rad[i], py[i]);
          ctx.arc(px[i], py[i], rad[i], 0, 2 * Math.PI);
          k++;
        }
        if (!k) continue;
        ctx.globalAlpha = dense ? 0.7 : 0.85; ctx.fillStyle = o.colors[c]; ctx.fill();
        if (!dense) { ctx.globalAlpha = 1; ctx.stroke(); }
      }
      ctx.globalAlpha = 1;
    },
    _dots: function (ctx, size, dpr) {
      // very many events: small squares written straight into the pixels (no path per event)
      var W = size.x * dpr | 0, H = size.y * dpr | 0, img = ctx.createImageData(W, H);
      var px32 = new Uint32Array(img.data.buffer), s = Math.max(2, Math.round(2 * dpr));
      var pal = rgb.map(function (c) { return (255 << 24) | (c[2] << 16) | (c[1] << 8) | c[0]; });
      for (var j = 0; j < self.n; j++) {
        var i = order[j];
        if (px[i] !== px[i]) continue;
        var x0 = Math.round(px[i] * dpr) - (s >> 1), y0 = Math.round(py[i] * dpr) - (s >> 1);
        var col = pal[D.cat[i]];
        for (var yy = Math.max(0, y0); yy < Math.min(H, y0 + s); yy++) {
          var row = yy * W;
          for (var xx = Math.max(0, x0); xx < Math.min(W, x0 + s); xx++) px32[row + xx] = col;
        }
      }
      ctx.putImageData(img, 0, 0);
    },
    hit: function (x, y) {
      // the drawn event under a container point (the smallest circle wins)
      if (!grid) return -1;
      var best = -1, bestR = Infinity;
      var cx = x / CELL | 0, cy = y / CELL | 0;
      for (var a = cy - 1; a <= cy + 1; a++) {
        if (a < 0 || a >= gy) continue;
        for (var b = cx - 1; b <= cx + 1; b++) {
          if (b < 0 || b >= gx) continue;
          var c = a * gx + b;
          for (var k = grid.start[c]; k < grid.start[c + 1]; k++) {
            var i = grid.items[k], dx = px[i] - x, dy = py[i] - y;
            var r = (self.drawn > o.dotsAbove ? 3 : rad[i]) + 2;
            if (dx * dx + dy * dy <= r * r && rad[i] < bestR) { best = i; bestR = rad[i]; }
          }
        }
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
    },
    _move: function (e) {
      if (!o.tooltip.length || !D) return;
      var cp = map.mouseEventToContainerPoint(e), i = this.hit(cp.x, cp.y), tip = this._tip;
      if (i < 0) { tip.style.display = "none"; return; }
      tip.textContent = o.tooltip.map(function (c) { return fmt(c, i); })
        .filter(function (v) { return v !== ""; }).join(" \u00b7 ");
      tip.style.left = (cp.x + 12) + "px"; tip.style.top = (cp.y + 12) + "px";
      tip.style.display = "";
    }
  });
  var pts = new Layer(), unc = L.featureGroup(), uc = [], uncBuilt = false;
  function buildUnc() {
    if (uncBuilt || !D) return;
    uncBuilt = true;
    for (var i = 0; i < self.n; i++) {
      if (D.um[i] >= o.minUnc) {
        uc[i] = L.circle([D.lat[i], D.lon[i]], {radius: D.um[i], color: o.colors[D.cat[i]],
          weight: 0.8, opacity: 0.45, dashArray: "3 3", fillOpacity: 0.03, interactive: false});
        if (on[i]) unc.addLayer(uc[i]);
      }
    }
  }
  var uncAdd = unc.onAdd;
  unc.onAdd = function (m) { buildUnc(); uncAdd.call(this, m); };
  function day(i) {
    var d = D.day[i];
    if (d !== d) return "unknown";
    var s = dg.iso(d);
    if (D.span[i] > 0) s += " to " + dg.iso(d + D.span[i]);
    return s;
  }
  // one popup / tooltip field: a built-in one or a column of the user's frame
  function fmt(c, i) {
    if (c === "@date") return D.day ? day(i) : "";
    if (c === "@fatalities") return D.fat[i] !== D.fat[i] ? "unknown" : String(D.fat[i]);
    if (c === "@precision") {
      var prec = [];
      if (D.gp[i] === D.gp[i]) prec.push("ACLED geo " + D.gp[i]);
      if (D.wp[i] === D.wp[i]) prec.push("UCDP where " + D.wp[i]);
      if (D.um[i] > 0) prec.push("\u00b1" + (D.um[i] / 1000).toFixed(1) + " km");
      return prec.join(", ");
    }
    return dg.str(D, c, i);
  }
  function popup(i) {
    return dg.table(o.popupTitle ? fmt(o.popupTitle, i) : "", o.popup.map(function (f) {
      return [f[0], fmt(f[1], i)];
    }));
  }
  self.points = pts; self.uncertainty = unc;
  self.visible = function () {
    var out = [];
    if (!D) return out;
    for (var i = 0; i < self.n; i++) { if (on[i]) out.push([D.lat[i], D.lon[i]]); }
    return out;
  };
  self.filter = function (lo, hi) {
    var k = 0;
    for (var i = 0; i < self.n; i++) {
      var d = D.day[i], v = d !== d || (d >= lo && d <= hi) ? 1 : 0;
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
  var t0 = performance.now();
  self.whenReady = dg.unpack(o.data).then(function (data) {
    prepare(data);
    self.ready = true;
    self.buildMs = performance.now() - t0;
    pts.redraw();
    if (self.heat) self.heat.setLatLngs(self.visible());
    if (o.slider && self.days.length) dg.timeSlider(map, self, o.slider);
    return self;
  });
  st.events = self;
  dg.instances.push(self);
  return pts;
};
dg.builders.uncertainty = function (map) { return dg.state(map).events.uncertainty; };
dg.builders.heat = function (map, o) {
  // leaflet.heat draws into the overlay pane, above the event circles; move its canvas to
  // its own pane just below them (z-index 390), without pointer events.
  var ev = dg.state(map).events;
  var h = L.heatLayer(ev.visible(), o), add = h.onAdd, rm = h.onRemove, draw = h._redraw;
  // a map whose container has no size yet (an iframe or notebook cell not laid out)
  // gives a 0-wide canvas, and leaflet.heat's getImageData then throws: wait for a size
  h._redraw = function () {
    if (!this._map || !this._canvas || !this._canvas.width || !this._canvas.height) {
      this._frame = null;  // leaflet.heat clears it at the end of a draw; let a later one run
      return;
    }
    return draw.call(this);
  };
  h.onAdd = function (m) {
    add.call(this, m);
    var pane = m.getPane("dgheat") || m.createPane("dgheat");
    pane.style.zIndex = 390; pane.style.pointerEvents = "none";
    pane.appendChild(this._canvas);
  };
  h.onRemove = function (m) {
    m.getPanes().overlayPane.appendChild(this._canvas);
    rm.call(this, m);
  };
  ev.heat = h;
  if (ev.ready) h.setLatLngs(ev.visible());
  return h;
};

// ---- GeoJSON context layers: style, popup rows and tooltip text carried as properties ----
dg.builders.geojson = function (map, o) {
  if (o.pane && !map.getPane(o.pane)) {
    var p = map.createPane(o.pane);
    p.style.zIndex = o.paneZ; p.style.pointerEvents = "none";
  }
  var opts = {interactive: o.interactive !== false,
    style: function (f) { return f.properties.s || {}; },
    pointToLayer: function (f, ll) {
      return L.circleMarker(ll, L.extend({radius: o.pointRadius || 4}, f.properties.s || {},
        o.pane ? {pane: o.pane} : {}));
    },
    onEachFeature: function (f, layer) {
      var q = f.properties;
      if (q.p) layer.bindPopup(function () { return dg.table(q.p[0], q.p[1]); }, {maxWidth: 360});
      if (q.t) layer.bindTooltip(function () { return dg.el("span", null, q.t); }, {sticky: true});
    }};
  if (o.pane) opts.pane = o.pane;
  return L.geoJSON(o.fc, opts);
};

// ---- control zones: one group per snapshot; the slider shows the one in force ----
dg.builders.zones = function (map, o) {
  var st = dg.state(map), all = L.layerGroup(), groups = [];
  for (var g = 0; g < o.groups.length; g++) {
    groups.push({from: o.groups[g].from, to: o.groups[g].to, label: o.groups[g].label,
      layer: dg.builders.geojson(map, {fc: o.groups[g].fc})});
  }
  var current = null;
  function pick(day) {
    if (o.fixed !== null) day = o.fixed;
    if (day === null) return groups[groups.length - 1] || null;
    for (var k = groups.length - 1; k >= 0; k--) {
      var gr = groups[k];
      if ((gr.from === null || gr.from <= day) && (gr.to === null || day < gr.to)) return gr;
    }
    return null;
  }
  all.setDay = function (day) {
    if (o.fixed !== null) day = o.fixed;
    var gr = pick(day);
    if (gr !== current) {
      if (current) all.removeLayer(current.layer);
      if (gr) all.addLayer(gr.layer);
      current = gr;
    }
    if (!gr) all.label = o.none;
    else if (day === null || o.undated) all.label = "Control zones (" + gr.label + ")";
    else all.label = "Control zones on " + dg.iso(day) + " (snapshot " + gr.label + ")";
    var t = map.getContainer().querySelector(".dg-zone-title");
    if (t) t.textContent = all.label;
    return gr;
  };
  all.groups = groups;
  all.setDay(o.start);
  st.zones = all;
  st.onDay.push(function (hi) { all.setDay(hi); });
  return all;
};

// ---- town labels: by population, more at each zoom level, never overlapping ----
dg.builders.labels = function (map, o) {
  var Layer = L.Layer.extend({
    onAdd: function (m) {
      var pane = m.getPane("dglabels") || m.createPane("dglabels");
      pane.style.zIndex = 455; pane.style.pointerEvents = "none";
      this._div = L.DomUtil.create("div", "dg-labels", pane);
      m.on("moveend zoomend viewreset", this.redraw, this);
      this.redraw();
    },
    onRemove: function (m) {
      m.off("moveend zoomend viewreset", this.redraw, this);
      L.DomUtil.remove(this._div);
    },
    redraw: function () {
      var z = map.getZoom(), b = map.getBounds().pad(0.05), div = this._div, boxes = [];
      while (div.firstChild) div.removeChild(div.firstChild);
      for (var i = 0; i < o.name.length && boxes.length < o.max; i++) {
        if (o.minz[i] > z || !b.contains([o.lat[i], o.lon[i]])) continue;
        var p = map.latLngToLayerPoint([o.lat[i], o.lon[i]]);
        var w = 6.5 * o.name[i].length + 8, h = 14, bx = [p.x - w / 2, p.y - h - 3, w, h];
        var hit = false;
        for (var k = 0; k < boxes.length && !hit; k++) {
          var q = boxes[k];
          hit = bx[0] < q[0] + q[2] && q[0] < bx[0] + bx[2] &&
            bx[1] < q[1] + q[3] && q[1] < bx[1] + bx[3];
        }
        if (hit) continue;
        boxes.push(bx);
        var cls = "dg-townlabel" + (o.minz[i] <= 6 ? " dg-townlabel-big" : "");
        var lab = dg.el("div", cls, o.name[i]);
        var dot = dg.el("div", "dg-town");
        L.DomUtil.setPosition(dot, L.point(p.x - 2, p.y - 2));
        L.DomUtil.setPosition(lab, L.point(p.x, p.y - 3));
        div.appendChild(dot); div.appendChild(lab);
      }
      div.setAttribute("data-shown", String(boxes.length));
    }
  });
  return new Layer();
};

// ---- legend, attribution, slider, fit ----
dg.builders.legend = function (map, o) {
  var C = L.Control.extend({options: {position: o.position}, onAdd: function () {
    var div = L.DomUtil.create("div", "dg-legend");
    for (var i = 0; i < o.sections.length; i++) {
      var sec = o.sections[i], sd = dg.el("div", "dg-sec");
      sd.appendChild(dg.el("div", "dg-title" + (sec.cls ? " " + sec.cls : ""), sec.title));
      for (var j = 0; j < sec.items.length; j++) {
        var it = sec.items[j], item = dg.el("div", "dg-item"), sw = dg.el("span", "dg-sw");
        if (it.kind === "circle") {
          var r = it.r || 5;
          sw.style.width = 2 * r + "px"; sw.style.height = 2 * r + "px";
          sw.style.borderRadius = "50%"; sw.style.background = it.color;
          sw.style.border = "1px solid #1b1b1b";
        } else if (it.kind === "line") {
          sw.className += " dg-line";
          sw.style.borderTop = "3px " + (it.dash ? "dashed " : "solid ") + it.color;
        } else {
          sw.className += " dg-fill";
          sw.style.background = it.color; sw.style.opacity = it.opacity || 0.5;
          sw.style.border = "2px " + (it.dash ? "dashed " : "solid ") + it.color;
        }
        item.appendChild(sw); item.appendChild(dg.el("span", null, it.label));
        sd.appendChild(item);
      }
      if (sec.note) sd.appendChild(dg.el("div", "dg-note", sec.note));
      div.appendChild(sd);
    }
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
  }});
  new C().addTo(map);
  var st = dg.state(map);
  if (st.zones) st.zones.setDay(o.zoneStart);
};
dg.builders.attribution = function (map, o) {
  if (!map.attributionControl) L.control.attribution().addTo(map);
  for (var i = 0; i < o.parts.length; i++) {
    map.attributionControl.addAttribution(dg.esc(o.parts[i]));
  }
};
dg.builders.fit = function (map, o) {
  // a map built while its frame has no size (a notebook cell, a hidden tab) fits the
  // events at the wrong zoom, and Leaflet keeps that view once the frame is laid out:
  // look again until the map has a size, then fit again (unless the reader moved it)
  var fit = function () { map.fitBounds(o.bounds, {animate: false}); };
  var moved = false, tries = 0;
  fit();
  map.once("dragstart", function () { moved = true; });
  map.getContainer().addEventListener("wheel", function () { moved = true; }, {once: true});
  (function check() {
    var size = map.getSize();
    if (!size.x || !size.y) {
      if (tries++ < 600) {
        setTimeout(function () { map.invalidateSize({pan: false}); check(); }, 100);
      }
      return;
    }
    if (tries && !moved) fit();
  })();
};
dg.timeSlider = function (map, ev, position) {
  var days = ev.days, st = dg.state(map);
  var C = L.Control.extend({options: {position: position}, onAdd: function () {
    var div = L.DomUtil.create("div", "dg-slider");
    div.appendChild(dg.el("div", "dg-title", "Events up to date"));
    var inp = dg.el("input"), sel = dg.el("select"), lab = dg.el("div", "dg-label");
    inp.type = "range"; inp.min = 0; inp.max = days.length - 1; inp.step = 1;
    inp.value = days.length - 1;
    [[0, "all before"], [7, "last 7 days"], [30, "last 30 days"], [91, "last 3 months"]]
      .forEach(function (w) {
        var op = dg.el("option", null, w[1]);
        op.value = w[0]; sel.appendChild(op);
      });
    var zl = dg.el("div", "dg-note dg-zone-note");
    var row = dg.el("div", "dg-row");
    row.appendChild(inp); row.appendChild(sel);
    div.appendChild(row); div.appendChild(lab); div.appendChild(zl);
    function upd() {
      var hi = days[+inp.value], w = +sel.value, lo = w > 0 ? hi - w + 1 : -1e9;
      var k = ev.filter(lo, hi);
      lab.textContent = (w > 0 ? dg.iso(lo) + " to " : "to ") + dg.iso(hi) +
        ": " + k + " of " + ev.n + " events";
      for (var j = 0; j < st.onDay.length; j++) st.onDay[j](hi);
      zl.textContent = st.zones ? st.zones.label : "";
      div.setAttribute("data-shown", String(k));
      div.setAttribute("data-day", dg.iso(hi));
    }
    inp.addEventListener("input", upd);
    sel.addEventListener("change", upd);
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    setTimeout(upd, 0);
    return div;
  }});
  return new C().addTo(map);
};
})();
"""

CSS = """
.folium-map.leaflet-container { background: #c9d8e2; font: 12px/1.35 system-ui, sans-serif; }
.leaflet-heatmap-layer { pointer-events: none; }
.dg-legend, .dg-slider { background: rgba(255,255,255,0.93); padding: 6px 9px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.35); max-width: 300px; }
.dg-legend { max-height: 60vh; overflow-y: auto; }
.dg-sec + .dg-sec { margin-top: 5px; }
.dg-title { font-weight: 600; margin-bottom: 2px; }
.dg-maptitle { font-size: 13px; }
.dg-item { display: flex; align-items: center; gap: 6px; margin: 1px 0; }
.dg-sw { display: inline-block; width: 14px; height: 10px; flex: none; }
.dg-line { height: 0; width: 18px; }
.dg-note { color: #555; font-size: 11px; margin-top: 2px; }
.dg-slider input { width: 150px; vertical-align: middle; }
.dg-slider select { vertical-align: middle; }
.dg-slider .dg-row { display: flex; align-items: center; gap: 6px; }
.dg-slider .dg-label { display: block; margin-top: 3px; }
.dg-popup th { text-align: left; padding-right: 6px; vertical-align: top; color: #555; }
.dg-popup td { max-width: 280px; overflow-wrap: anywhere; }
.dg-tip { position: absolute; z-index: 800; pointer-events: none; background: #fff;
  border: 1px solid #999; border-radius: 3px; padding: 2px 5px; font-size: 11px; max-width: 320px;
  white-space: pre-wrap; box-shadow: 0 1px 3px rgba(0,0,0,0.3); }
.dg-labels { position: absolute; left: 0; top: 0; }
.dg-townlabel { position: absolute; transform: translate(-50%, -100%); white-space: nowrap;
  font-size: 11px; color: #2b2b2b; text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; }
.dg-townlabel-big { font-size: 12.5px; font-weight: 600; }
.dg-town { position: absolute; width: 4px; height: 4px; border-radius: 50%; background: #2b2b2b; }
.leaflet-control-attribution { max-width: 70vw; font-size: 10px; }
"""
