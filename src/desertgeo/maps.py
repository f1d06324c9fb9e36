"""Interactive HTML maps of events, clusters, hotspots and control zones (folium / Leaflet).

:func:`make_map` builds a :class:`folium.Map` with one layer per theme and a layer
control; :func:`save_map` writes it as ONE self-contained HTML file that opens with no
internet (``offline=True``, the default): Leaflet's JS/CSS come from pinned npm packages
fetched at build/install time (``python scripts/fetch_assets.py``) and are inlined. The
map shown in a notebook (its ``_repr_html_``) gets the same inlining, so it works offline
too.

Design choices, measured (see ``benchmarks/bench_maps.py``):

* Events are ONE layer: a canvas drawn by desertgeo's own script from typed columns
  (coordinates, dates, fatalities as unsigned integers; strings dictionary-encoded),
  shipped as one gzip-compressed base64 block and decoded in the browser; no folium or
  Leaflet object per event. Above 100,000 events in view they are drawn as small squares
  written straight into the canvas pixels.
* Data is never template source. folium/branca elements are Jinja templates; desertgeo's
  are constant templates whose data arrive as JSON *values* (``<``, ``>``, ``&``, U+2028,
  U+2029 escaped) and are put on the page with ``textContent`` (popups, tooltips, legend,
  labels). A note such as ``{{ 7*7 }}`` or ``<img src=x onerror=alert(1)>`` shows as typed.
* With no tiles the basemap is drawn from the shipped boundaries in its own pane
  (z-index 250); the heatmap sits below the event circles (z-index 390 < 450).
* Every map carries an attribution control: boundaries, gazetteer, "approximate" zones
  and the events' own source and terms when known (ACLED, UCDP, synthetic).

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

import html
import types
from pathlib import Path
from typing import Any

from desertgeo._compat import positional_options
from desertgeo._errors import InputError, MissingDependencyError
from desertgeo._map_page import RawHTML, js_json
from desertgeo._validate import ensure_4326, loose_dates, to_day

__all__ = ["make_map", "map_html", "save_map"]

_js_json = js_json  # kept for callers of the old private name
_ASSETS_FLAG = "_desertgeo_assets"


def _tanf_zone(sites: Any) -> tuple[Any, str] | None:
    """55 km geodesic circle around the al-Tanf garrison point from the shipped sites."""
    from desertgeo._map_layers import tanf_zone

    return tanf_zone(sites)


def _existing_tiles(m: Any) -> bool:
    import folium

    return any(isinstance(c, folium.TileLayer) for c in m._children.values())


@positional_options("zones", "clusters", "hotspots", "date", "tiles")
def make_map(
    events: Any = None,
    *,
    zones: Any = None,
    clusters: Any = None,
    hotspots: Any = None,
    date: Any = None,
    tiles: str | None = None,
    color_by: str | None = "event_type",
    popup: bool | list[str] | None = None,
    tooltip: bool | list[str] | None = None,
    m: Any = None,
    heatmap: bool = False,
    uncertainty: bool = True,
    min_uncertainty_m: float = 1000.0,
    basemap: bool = True,
    governorates: bool = True,
    borders: bool = True,
    sites: bool = True,
    roads: bool = True,
    tanf: bool = True,
    towns: bool = True,
    time_slider: bool = True,
    title: str | None = None,
    attribution: str | None = None,
) -> Any:
    """Build an interactive map of events and their context.

    Parameters
    ----------
    events : GeoDataFrame, optional
        Any point GeoDataFrame with a CRS (converted to EPSG:4326), with any columns; the
        events schema's columns are used when present (``date`` for the time slider,
        ``fatalities`` for the circle size, ``event_type`` for colours, ...). Drawn as one
        canvas layer; a click opens a popup, hovering shows a tooltip. Rows without a
        usable location are counted in the legend, not drawn.
    zones : GeoDataFrame or True, optional
        Control-zone snapshots (zones schema), or True for the shipped approximate
        snapshots (:func:`desertgeo.zones.load_zones`). Without ``date``, every snapshot
        in force during the events' dates is shipped and the one in force on the time
        slider's date is shown; with ``date``, that day's snapshot stays (the legend says
        both dates).
    clusters : GeoDataFrame, optional
        Cluster summaries from :func:`desertgeo.clustering.summarize_clusters` (hull polygons).
    hotspots : GeoDataFrame, optional
        Cells from :func:`desertgeo.hotspot.hotspots`; "hot" and "cold" cells are drawn.
    date : str or Timestamp, optional
        Date of the control zones (fixed); default: follow the time slider (see ``zones``).
    tiles : str, optional
        folium tile name or URL for an online basemap. Default None: the basemap is drawn
        from the shipped boundaries and the page needs no network.
    color_by : str or None, default "event_type"
        Events column that sets the colour. ACLED event types and UCDP violence types have
        fixed colour-blind-safe colours; other values get the palette by frequency (9, then
        "other"). None, or the default when there is no ``event_type`` column: one colour.
    popup, tooltip : bool or list of str, optional
        Columns shown on click / hover, as in :meth:`geopandas.GeoDataFrame.explore`: a list
        of columns, True for all, False for none. Default: the events schema's fields
        (date, place, precision, fatalities, actor, type, ...) that the frame has.
    m : folium.Map, optional
        Add desertgeo's layers to this map instead of a new one (its tiles stay; the
        shipped basemap is then left out).
    heatmap : bool, default False
        Add a heatmap of event density, under the circles (follows the time slider).
    uncertainty : bool, default True
        Add a layer of circles of radius ``uncertainty_m`` for events at least
        ``min_uncertainty_m`` uncertain (on at opening when there are at most 500).
    basemap, governorates, borders, sites, roads, tanf, towns : bool
        Context layers from the shipped data (roads are approximate: checked points within
        3 km; the al-Tanf zone is a 55 km geodesic circle around the shipped garrison
        point; town labels come from GeoNames, more at each zoom level by population).
    time_slider : bool, default True
        Add a slider over event dates that filters the events (and heatmap) shown.
    title : str, optional
        Title at the top of the legend ("SYNTHETIC data" is added for synthetic events).
    attribution : str, optional
        Your own credit line, added to the attribution control.

    Returns
    -------
    folium.Map
        With attributes ``desertgeo_layers`` (layer name -> number of features drawn),
        ``desertgeo_unplaced`` (events not drawn for lack of a location) and
        ``desertgeo_credits`` (the attribution lines).

    Raises
    ------
    CRSError
        A frame has no CRS.
    InputError
        A frame is not a GeoDataFrame, events are not points, a named column is missing
        or ``date`` is not a date.

    Examples
    --------
    >>> import desertgeo
    >>> ev = desertgeo.datasets.load("seed_events")
    >>> m = make_map(ev, heatmap=True)
    >>> m.desertgeo_layers["events"] + m.desertgeo_unplaced == len(ev)
    True
    >>> m.desertgeo_credits[0]
    'Boundaries: Natural Earth (public domain)'
    """
    try:
        import folium
    except ImportError as exc:  # pragma: no cover - folium is a core dependency
        raise MissingDependencyError("maps need folium: pip install folium") from exc
    from desertgeo._credits import credits, is_synthetic
    from desertgeo._map_js import CSS, JS
    from desertgeo._map_layers import BUILDERS, MapContext, check_points, finish

    ev = None
    if events is not None:
        ev = ensure_4326(events, what="events")
        check_points(ev)
        if color_by is not None and color_by not in ev.columns:
            if color_by != "event_type":
                raise InputError(
                    f"color_by={color_by!r} is not a column of events; use one of "
                    f"{', '.join(str(c) for c in ev.columns if c != ev.geometry.name)} or None"
                )
            color_by = None  # the default on a frame without event types: one colour
    zdf = None
    zones_kind = None
    if zones is True:
        from desertgeo.zones import load_zones

        zdf, zones_kind = load_zones(), "shipped"
    elif zones is not None and zones is not False:
        zdf, zones_kind = ensure_4326(zones, what="zones"), "user"
    zone_date = None if date is None else to_day(date)
    window = None
    if ev is not None and "date" in ev.columns:
        d = loose_dates(ev["date"]).dropna()
        if len(d):
            window = (d.min().normalize(), d.max().normalize())
    if zone_date is None and window is None and ev is not None and "date" in ev.columns:
        zone_date = None

    if m is None:
        m = folium.Map(
            location=[34.8, 38.9],
            zoom_start=7,
            tiles=tiles,
            prefer_canvas=True,
            control_scale=True,
            max_zoom=16,
        )
        own_tiles = tiles is not None
    else:
        own_tiles = _existing_tiles(m)
    root = m.get_root()
    if not getattr(root, _ASSETS_FLAG, False):
        root.header.add_child(RawHTML(f"<style>{CSS}</style>"))
        root.header.add_child(RawHTML(f"<script>{JS}</script>"))
        setattr(root, _ASSETS_FLAG, True)
    opts = {
        "basemap": basemap and not own_tiles,
        "governorates": governorates,
        "borders": borders,
        "sites": sites,
        "roads": roads,
        "tanf": tanf,
        "towns": towns,
        "clusters": None if clusters is None else ensure_4326(clusters, what="clusters"),
        "hotspots": None if hotspots is None else ensure_4326(hotspots, what="hotspots"),
        "color_by": color_by,
        "popup": popup,
        "tooltip": tooltip,
        "heatmap": heatmap,
        "uncertainty": uncertainty,
        "min_uncertainty_m": float(min_uncertainty_m),
        "time_slider": time_slider,
    }
    ctx = MapContext(m=m, opts=opts, events=ev, zones=zdf, zone_date=zone_date, window=window)
    ctx.zones_kind = zones_kind
    for build in BUILDERS:
        build(ctx)
    synthetic = is_synthetic(ev)
    lines = credits(ctx.shipped, ev, zones_kind, attribution)
    finish(ctx, title, synthetic, lines)
    m.desertgeo_layers = ctx.layers
    m.desertgeo_unplaced = ctx.unplaced
    m.desertgeo_credits = lines
    m._repr_html_ = types.MethodType(_repr_html_offline, m)
    return m


def map_html(m: Any, *, offline: bool = True) -> str:
    """The map's whole HTML page; with ``offline=True`` it makes no network request.

    Examples
    --------
    >>> import desertgeo
    >>> page = map_html(make_map(desertgeo.datasets.load("seed_events")))
    >>> "https://cdn" in page, page.startswith("<!DOCTYPE html>")
    (False, True)
    """
    from desertgeo._offline import inline_assets

    page = m.get_root().render()
    return inline_assets(page) if offline else page


def _repr_html_offline(self: Any, **kwargs: Any) -> str:
    """What a notebook shows: the same self-contained page as the saved file, in an iframe."""
    page = map_html(self, offline=True)
    return (
        '<div style="width:100%;"><div style="position:relative;width:100%;height:0;'
        'padding-bottom:60%;"><iframe srcdoc="'
        + html.escape(page, quote=True)
        + '" style="position:absolute;width:100%;height:100%;left:0;top:0;border:none;" '
        'sandbox="allow-scripts" title="desertgeo map"></iframe></div></div>'
    )


def save_map(m: Any, path: str | Path, *, offline: bool = True) -> Path:
    """Write ``m`` to one HTML file (atomically); with ``offline=True`` it needs no network.

    Parameters
    ----------
    m : folium.Map
        A map, usually from :func:`make_map`.
    path : str or Path
        Output file (``.html``). Written to a temporary file beside it, then moved over
        it: a failure leaves any previous file whole.
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
        The map uses a plugin that has no pinned offline copy, or the folder is missing.

    Examples
    --------
    >>> import tempfile, pathlib, desertgeo
    >>> m = make_map(desertgeo.datasets.load("seed_events"))
    >>> out = save_map(m, pathlib.Path(tempfile.mkdtemp()) / "map.html")
    >>> "https://cdn" in out.read_text(encoding="utf-8")
    False
    """
    from desertgeo._atomic import atomic_write_text

    page = map_html(m, offline=offline)
    return Path(atomic_write_text(path, page, encoding="utf-8"))
