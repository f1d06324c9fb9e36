"""Static figures for reports (matplotlib; PNG, SVG, PDF).

Every function draws on the ``ax`` it is given, or on a new
:class:`matplotlib.figure.Figure` (never through ``pyplot``, so no global figure state
is created or left behind), and returns the Axes. Axes made here show inline in Jupyter
(they have a PNG representation), and :func:`save_figure` writes them atomically.

Report-ready by default: a caption under each figure credits its sources (boundaries,
gazetteer, "approximate" zones, the events' own source and terms when known), figures of
synthetic data say "SYNTHETIC" in the title, and text that comes from data (titles,
legend labels, category names) is drawn literally: a ``$`` never starts mathtext.

Examples
--------
>>> import numpy as np
>>> from desertgeo.plots import plot_distance_histogram
>>> ax = plot_distance_histogram(np.array([12.0, 40.5, 41.0, 130.0]), bins=5)
>>> int(sum(p.get_height() for p in ax.patches))
4
>>> ax._repr_png_()[:4]
b'\\x89PNG'
"""

from __future__ import annotations

import functools
import io
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from desertgeo._compat import positional_options
from desertgeo._errors import InputError
from desertgeo._style import OTHER, PALETTE, category_colours, controller_colour
from desertgeo._validate import ensure_4326, loose_dates, to_day

__all__ = [
    "plot_distance_histogram",
    "plot_events_by_controller",
    "plot_events_map",
    "report_figures",
    "save_figure",
]

_SYRIA_BOUNDS = (35.6, 32.3, 42.4, 37.4)


@functools.cache
def _report_classes() -> tuple[type, type]:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    def png(fig: Any) -> bytes:
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100)
        return buf.getvalue()

    class ReportFigure(Figure):
        """A Figure that Jupyter shows inline (PNG), without pyplot."""

        def _repr_png_(self) -> bytes:
            return png(self)

    class ReportAxes(Axes):
        """Axes whose notebook display is their whole figure (PNG)."""

        name = "desertgeo_report"

        def _repr_png_(self) -> bytes:
            return png(self.figure)

    return ReportFigure, ReportAxes


def _new_axes(ax: Any, figsize: tuple[float, float]) -> Any:
    if ax is not None:
        return ax
    fig_cls, ax_cls = _report_classes()
    fig = fig_cls(figsize=figsize, layout="constrained")
    return fig.add_subplot(axes_class=ax_cls)


def _literal(text: Any) -> Any:
    """Make a Text artist draw its string literally (no mathtext from ``$`` in data)."""
    if text is not None and hasattr(text, "set_parse_math"):
        text.set_parse_math(False)
    return text


def _legend(ax: Any, **kw: Any) -> Any:
    leg = ax.legend(**kw)
    for t in leg.get_texts():
        _literal(t)
    _literal(leg.get_title())
    return leg


def _title(ax: Any, title: str, frame: Any = None) -> None:
    from desertgeo._credits import is_synthetic

    text = str(title)
    if is_synthetic(frame) and "synthetic" not in text.lower():
        text = "SYNTHETIC data \u2014 " + text
    _literal(ax.set_title(text))


def _caption(ax: Any, lines: list[str]) -> None:
    """Credits under the axes, in the figure's layout (constrained layout keeps room)."""
    if not lines:
        return
    import textwrap

    fig = ax.figure
    width = max(60, int(fig.get_figwidth() * 15))
    text = "\n".join(textwrap.fill(line, width) for line in lines)
    # below the tick labels and the axis label, however tall: measure them once
    fig.draw_without_rendering()
    below = ax.get_window_extent().y0 - ax.xaxis.get_tightbbox().y0
    _literal(
        ax.annotate(
            text,
            xy=(0.0, 0.0),
            xycoords="axes fraction",
            xytext=(0, -below * 72 / fig.dpi - 5),
            textcoords="offset points",
            va="top",
            ha="left",
            fontsize=6.5,
            color="#555555",
            annotation_clip=False,
        )
    )


def save_figure(ax_or_fig: Any, path: str | Path, **savefig: Any) -> Path:
    """Save a figure (or the figure of an Axes) atomically; return the path.

    The file is written beside ``path`` under a temporary name and moved over it once
    complete, so a failure leaves any previous file whole. ``savefig`` options (``dpi``,
    ``format``...) go to :meth:`matplotlib.figure.Figure.savefig`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> ax = plot_distance_histogram([3.0, 8.0])
    >>> save_figure(ax, pathlib.Path(tempfile.mkdtemp()) / "h.png").stat().st_size > 1000
    True
    """
    from desertgeo._atomic import atomic_path

    fig = getattr(ax_or_fig, "figure", None) or ax_or_fig
    if hasattr(ax_or_fig, "savefig"):
        fig = ax_or_fig
    target = Path(os.fspath(path))
    fmt = savefig.pop("format", None) or (target.suffix.lstrip(".") or "png")
    with atomic_path(target) as tmp:
        fig.savefig(tmp, format=fmt, **savefig)
    return target


def _controller_colours(controllers: list[str]) -> dict[str, str]:
    return {c: controller_colour(str(c), i) for i, c in enumerate(sorted(controllers))}


@positional_options("zones", "ax")
def plot_events_map(
    events: Any,
    *,
    zones: Any = None,
    ax: Any = None,
    date: Any = None,
    color_by: str | None = "event_type",
    borders: bool = True,
    governorates: bool = True,
    title: str | None = None,
    caption: bool = True,
) -> Any:
    """Map of events over the borders and (optionally) control zones.

    Parameters
    ----------
    events : GeoDataFrame
        Any point GeoDataFrame with a CRS (converted to EPSG:4326); marker area grows with
        ``fatalities`` when there is such a column.
    zones : GeoDataFrame or True, optional
        Control zones (True: the shipped approximate snapshots); only those valid on
        ``date`` are drawn (default: the latest event date), coloured by controller and
        hatched when ``approximate``.
    ax : matplotlib Axes, optional
        Where to draw; a new Figure is made when None.
    date : str or Timestamp, optional
        Date of the control zones.
    color_by : str or None
        Events column that sets the colour (ACLED / UCDP types have fixed colours); None,
        or the default on a frame without ``event_type``: one colour.
    borders, governorates : bool
        Draw Syria's international borders and governorate lines from the shipped data.
    title : str, optional
        Axes title ("SYNTHETIC data" is prepended for synthetic events).
    caption : bool, default True
        Credit the sources under the map.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import desertgeo
    >>> from desertgeo.plots import plot_events_map
    >>> ev = desertgeo.datasets.load("seed_events")
    >>> ax = plot_events_map(ev)
    >>> len(ax.collections) > 0
    True
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from desertgeo import datasets
    from desertgeo._credits import credits
    from desertgeo._map_layers import check_points, zones_in_force

    ev = ensure_4326(events, what="events")
    check_points(ev)
    if color_by is not None and color_by not in ev.columns:
        if color_by != "event_type":
            raise InputError(
                f"color_by={color_by!r} is not a column of events; use one of "
                f"{', '.join(str(c) for c in ev.columns if c != ev.geometry.name)} or None"
            )
        color_by = None
    ax = _new_axes(ax, (8.0, 7.5))
    countries = datasets.load("countries")
    countries.plot(
        ax=ax,
        color=["#f6f1e4" if c == "SY" else "#e4e0d6" for c in countries["country"]],
        edgecolor="#8a8170",
        linewidth=0.5,
    )
    shipped = ["countries"]
    if governorates:
        datasets.load("governorates").boundary.plot(
            ax=ax, color="#9b8f7a", linewidth=0.4, linestyle=":"
        )
        shipped.append("governorates")
    handles: list[Any] = []
    zones_kind = None
    if zones is not None:
        zones_kind = "user"
        if zones is True:
            from desertgeo.zones import load_zones

            zones, zones_kind = load_zones(), "shipped"
        zday = None if date is None else to_day(date)
        if zday is None and "date" in ev.columns:
            latest = loose_dates(ev["date"]).max()
            zday = None if pd.isna(latest) else latest
        zdf, zday = zones_in_force(ensure_4326(zones, what="zones"), zday)
        ctrl = (
            zdf["controller"] if "controller" in zdf.columns else pd.Series("zone", index=zdf.index)
        )
        ctrl = ctrl.astype("string").fillna("unknown")
        colours = _controller_colours(list(ctrl.unique()))
        approx = (
            zdf["approximate"].fillna(True).astype(bool)
            if "approximate" in zdf.columns
            else pd.Series(True, index=zdf.index)
        )
        for (idx, ap), c_name in zip(approx.items(), ctrl, strict=True):
            c = colours.get(c_name, OTHER)
            zdf.loc[[idx]].plot(
                ax=ax,
                facecolor=c,
                alpha=0.25 if ap else 0.4,
                edgecolor=c,
                hatch="//" if ap else None,
                linewidth=0.8,
            )
        when = zday.strftime("%Y-%m-%d") if zday is not None else "undated"
        handles += [
            Patch(facecolor=c, alpha=0.35, edgecolor=c, hatch="//", label=f"{k} (approx.)")
            for k, c in colours.items()
        ]
        handles.append(Line2D([], [], linestyle="none", label=f"zones on {when}"))
    if borders:
        datasets.load("borders").plot(ax=ax, color="#333333", linewidth=1.2)
        shipped.append("borders")
    geom = ev.geometry
    ok = ev[(~geom.isna() & ~geom.is_empty).to_numpy()]
    if len(ok):
        from desertgeo._map_layers import _text_column

        cats = (
            _text_column(ok[color_by]).replace("", "unknown")
            if color_by is not None
            else pd.Series("events", index=ok.index, dtype="object")
        )
        ranked = [str(c) for c in cats.value_counts().index]
        colour_of = category_colours(ranked, limit=len(PALETTE) - 1)
        point_colours = [colour_of.get(c, OTHER) for c in cats]
        fat = pd.to_numeric(ok["fatalities"], errors="coerce") if "fatalities" in ok else None
        fat = fat.fillna(0).clip(lower=0) if fat is not None else pd.Series(0, index=ok.index)
        sizes = 12 + 10 * np.sqrt(fat.to_numpy(dtype=float))
        ax.scatter(
            ok.geometry.x,
            ok.geometry.y,
            s=sizes,
            c=point_colours,
            edgecolors="#1b1b1b",
            linewidths=0.4,
            alpha=0.85,
            zorder=5,
        )
        if color_by is not None:
            handles += [
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="none",
                    color=c,
                    markeredgecolor="#1b1b1b",
                    label=k,
                )
                for k, c in colour_of.items()
            ]
            if len(ranked) > len(colour_of):
                handles.append(
                    Line2D([], [], marker="o", linestyle="none", color=OTHER, label="other")
                )
        x0, x1 = float(ok.geometry.x.min()), float(ok.geometry.x.max())
        y0, y1 = float(ok.geometry.y.min()), float(ok.geometry.y.max())
        pad = max(0.3, 0.08 * max(x1 - x0, y1 - y0))
        ax.set_xlim(x0 - pad, x1 + pad)
        ax.set_ylim(y0 - pad, y1 + pad)
    else:
        ax.set_xlim(_SYRIA_BOUNDS[0], _SYRIA_BOUNDS[2])
        ax.set_ylim(_SYRIA_BOUNDS[1], _SYRIA_BOUNDS[3])
    lat0 = sum(ax.get_ylim()) / 2
    ax.set_aspect(1 / math.cos(math.radians(lat0)))
    ax.set_facecolor("#c9d8e2")
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    if handles:
        _legend(ax, handles=handles, loc="lower right", fontsize=7, framealpha=0.9)
    _title(
        ax,
        title
        or f"{len(ok)} events"
        + (f" ({len(ev) - len(ok)} without location)" if len(ev) > len(ok) else ""),
        ev,
    )
    if caption:
        _caption(ax, credits(shipped, ev, zones_kind))
    return ax


def _distance_series(distances_km: Any, column: str | list[str] | None) -> dict[str, Any]:
    """Named series from a Series / array / mapping / frame (+ column name)."""
    if isinstance(distances_km, str):
        raise InputError(
            f"distances_km={distances_km!r} is a column name: pass the frame and the name, "
            f"plot_distance_histogram(frame, column={distances_km!r})"
        )
    if isinstance(distances_km, pd.DataFrame):
        frame = distances_km
        if column is not None:
            names = [column] if isinstance(column, str) else list(column)
            missing = [c for c in names if c not in frame.columns]
            if missing:
                raise InputError(
                    f"column={missing!r}: not in the frame; distance columns there: "
                    + ", ".join(str(c) for c in frame.columns if str(c).endswith("_km"))
                )
        else:
            km = [c for c in frame.columns if str(c).startswith("dist") and str(c).endswith("_km")]
            numeric = [
                c
                for c in frame.columns
                if c != getattr(frame, "_geometry_column_name", None)
                and pd.api.types.is_numeric_dtype(frame[c])
                and not pd.api.types.is_bool_dtype(frame[c])
            ]
            others = [
                c for c in frame.columns if c != getattr(frame, "_geometry_column_name", None)
            ]
            # a table of distances only (e.g. {"IQ": ..., "JO": ...}): each column a series
            names = km or (numeric if numeric and len(numeric) == len(others) else [])
            if not names:
                raise InputError(
                    "the frame has no distance column (dist_*_km) to plot; run "
                    "desertgeo.distance.distance_to_borders(events) first, or pass column="
                )
        return {str(c): frame[c] for c in names}
    if column is not None:
        raise InputError("column= needs a DataFrame as distances_km")
    if isinstance(distances_km, Mapping):
        return {str(k): v for k, v in distances_km.items()}
    name = getattr(distances_km, "name", None)
    return {str(name) if name else "events": distances_km}


def plot_distance_histogram(
    distances_km: Any,
    *,
    bins: int | Any = 30,
    ax: Any = None,
    label: str = "distance (km)",
    title: str | None = None,
    median: bool = True,
    column: str | list[str] | None = None,
    caption: bool = True,
) -> Any:
    """Histogram of distances in km, one series or several overlaid.

    Parameters
    ----------
    distances_km : array-like, Series, mapping of named series, or DataFrame
        Distances in kilometres (e.g. ``dist_border_km`` from :mod:`desertgeo.distance`).
        A frame (e.g. the events with distance columns added) gives ``column``, else its
        ``dist_*_km`` columns. NaN values are left out and counted in the legend.
    bins : int or sequence
        Histogram bins (shared across series).
    ax : matplotlib Axes, optional
    label : str
        x-axis label.
    title : str, optional
        ("SYNTHETIC data" is prepended when the frame is synthetic.)
    median : bool
        Mark each series' median with a dashed line.
    column : str or list of str, optional
        The frame's column(s) to plot.
    caption : bool, default True
        Credit the sources under the figure (when ``distances_km`` is a frame).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_distance_histogram({"IQ": [5.0, 15.0], "JO": [50.0]}, bins=[0, 10, 20, 60])
    >>> [int(p.get_height()) for p in ax.patches]
    [1, 1, 0, 0, 0, 1]
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"place": ["a", "b"], "dist_border_km": [5.0, 15.0]})
    >>> plot_distance_histogram(frame, bins=2).get_legend().get_texts()[0].get_text()
    'dist_border_km (n=2)'
    """
    series = _distance_series(distances_km, column)
    arrays = {}
    for k, v in series.items():
        raw = pd.Series(np.asarray(v, dtype=object).ravel())
        arr = pd.to_numeric(raw, errors="coerce").astype(float)
        bad = int((arr.isna() & raw.notna() & (raw.astype(str) != "")).sum())
        if bad and bad == int(raw.notna().sum()):
            raise InputError(
                f"distances_km[{k!r}] holds no number (e.g. {raw.dropna().iloc[0]!r}); "
                "give a column of distances in km"
            )
        arr = arr.where(np.isfinite(arr))
        if (arr < 0).any():
            raise InputError(f"distances_km[{k!r}] has negative values: distances must be >= 0")
        arrays[k] = arr
    finite = [a.dropna().to_numpy() for a in arrays.values()]
    if not any(len(a) for a in finite):
        raise InputError("distances_km has no finite value to plot")
    if isinstance(bins, int):
        hi = max(float(a.max()) for a in finite if len(a))
        bins = np.linspace(0.0, hi if hi > 0 else 1.0, bins + 1)
    ax = _new_axes(ax, (7.0, 4.3))
    for i, (k, arr) in enumerate(arrays.items()):
        vals = arr.dropna().to_numpy()
        colour = PALETTE[i % len(PALETTE)]
        missing = int(arr.isna().sum())
        lab = f"{k} (n={len(vals)}" + (f", {missing} missing)" if missing else ")")
        ax.hist(vals, bins=bins, alpha=0.6 if len(arrays) > 1 else 0.85, color=colour, label=lab)
        if median and len(vals):
            med = float(np.median(vals))
            ax.axvline(med, color=colour, linestyle="--", linewidth=1.2)
            ax.annotate(
                f"median {med:.1f} km",
                (med, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(3, -12),
                textcoords="offset points",
                fontsize=8,
                color=colour,
            )
    _literal(ax.set_xlabel(label))
    ax.set_ylabel("events")
    _legend(ax, fontsize=8)
    frame = distances_km if isinstance(distances_km, pd.DataFrame) else None
    if title or frame is not None:
        _title(ax, title or "Distances", frame)
    if caption and frame is not None:
        from desertgeo._credits import credits

        _caption(ax, credits(["borders"], frame))
    return ax


def plot_events_by_controller(
    events: Any,
    period: str = "M",
    *,
    column: str = "controller",
    date_column: str = "date",
    ax: Any = None,
    title: str | None = None,
    caption: bool = True,
) -> Any:
    """Stacked bars of events per period, split by who controlled the ground.

    Parameters
    ----------
    events : DataFrame
        Events with a date and a controller column, e.g. from
        :func:`desertgeo.zones.assign_zones`. Rows without a controller are counted as
        "no zone"; rows without a date are left out (and counted in the title).
    period : str
        pandas period alias: "M" month, "W" week, "Q" quarter, "Y" year.
    column, date_column : str
    ax : matplotlib Axes, optional
    title : str, optional
        ("SYNTHETIC data" is prepended for synthetic events.)
    caption : bool, default True
        Credit the sources under the figure (zones are credited as approximate).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"date": pd.to_datetime(["2024-01-03", "2024-01-20", "2024-03-01"]),
    ...                    "controller": ["SDF", "Syrian government", "SDF"]})
    >>> ax = plot_events_by_controller(ev)
    >>> sorted(int(p.get_height()) for p in ax.patches)
    [0, 0, 0, 1, 1, 1]
    """
    for col in (column, date_column):
        if col not in events.columns:
            raise InputError(
                f"events have no column {col!r}; run "
                "desertgeo.zones.assign_zones(events) first, or pass column=/date_column="
            )
    dates = loose_dates(events[date_column])
    try:
        periods = dates.dt.to_period(period)
    except ValueError as exc:
        raise InputError(f"period={period!r} is not a pandas period alias (M, W, Q, Y)") from exc
    ctrl = events[column].astype("string").fillna("no zone")
    frame = pd.DataFrame({"period": periods, "controller": ctrl})[dates.notna().to_numpy()]
    if frame.empty:
        raise InputError(f"no event has a usable {date_column!r}")
    table = frame.groupby(["period", "controller"]).size().unstack(fill_value=0)
    full = pd.period_range(
        table.index.min(), table.index.max(), freq=getattr(table.index, "freq", None)
    )
    table = table.reindex(full, fill_value=0)
    colours = _controller_colours([c for c in table.columns if c != "no zone"])
    ax = _new_axes(ax, (8.0, 4.0))
    x = np.arange(len(table))
    bottom = np.zeros(len(table))
    for c in table.columns:
        vals = table[c].to_numpy(dtype=float)
        ax.bar(x, vals, bottom=bottom, color=colours.get(c, "#bbbbbb"), label=str(c), width=0.85)
        bottom += vals
    step = max(1, len(x) // 12)
    ax.set_xticks(x[::step])
    ax.set_xticklabels([str(p) for p in table.index[::step]], rotation=45, ha="right")
    for t in ax.get_xticklabels():
        _literal(t)
    ax.set_ylabel("events")
    _legend(ax, title="controller", fontsize=8)
    dropped = int(dates.isna().sum())
    _title(
        ax,
        title
        or "Events per period by controller"
        + (f" ({dropped} undated not shown)" if dropped else ""),
        events,
    )
    if caption:
        from desertgeo._credits import credits

        lines = credits([], events, "shipped")
        _caption(ax, lines)
    return ax


@positional_options("zones", "out_dir")
def report_figures(
    events: Any,
    *,
    zones: Any = None,
    out_dir: str | Path = ".",
    date: Any = None,
    formats: tuple[str, ...] = ("png",),
    dpi: int = 150,
) -> list[Path]:
    """Write the standard report figures for ``events`` into ``out_dir``; return the paths.

    Always ``events_map``; ``distance_to_border_histogram`` when the events carry
    ``dist_border_km`` (from :func:`desertgeo.distance.distance_to_borders`);
    ``events_by_controller`` when they carry ``controller`` (from
    :func:`desertgeo.zones.assign_zones`). One file per figure and format.

    Examples
    --------
    >>> import tempfile, desertgeo
    >>> from desertgeo.plots import report_figures
    >>> paths = report_figures(desertgeo.datasets.load("seed_events"), out_dir=tempfile.mkdtemp())
    >>> [p.name for p in paths]
    ['events_map.png']
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    axes = {"events_map": plot_events_map(events, zones=zones, date=date)}
    if "dist_border_km" in events.columns:
        axes["distance_to_border_histogram"] = plot_distance_histogram(
            events, column="dist_border_km", title="Distance to Syria's international border"
        )
    if "controller" in events.columns and "date" in events.columns:
        axes["events_by_controller"] = plot_events_by_controller(events)
    return [
        save_figure(ax, out / f"{name}.{fmt}", dpi=dpi)
        for name, ax in axes.items()
        for fmt in formats
    ]
