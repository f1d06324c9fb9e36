"""Static figures for reports (matplotlib; PNG, SVG, PDF).

Every function draws on the ``ax`` it is given, or on a new
:class:`matplotlib.figure.Figure` (never through ``pyplot``, so no global figure state
is created or left behind), and returns the Axes; save with ``ax.figure.savefig(path)``.

Examples
--------
>>> import numpy as np
>>> from desertgeo.plots import plot_distance_histogram
>>> ax = plot_distance_histogram(np.array([12.0, 40.5, 41.0, 130.0]), bins=5)
>>> int(sum(p.get_height() for p in ax.patches))
4
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from desertgeo._errors import InputError
from desertgeo._style import PALETTE, controller_colour

__all__ = [
    "plot_distance_histogram",
    "plot_events_by_controller",
    "plot_events_map",
    "report_figures",
]

_SYRIA_BOUNDS = (35.6, 32.3, 42.4, 37.4)


def _new_axes(ax: Any, figsize: tuple[float, float]) -> Any:
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    return fig.add_subplot()


def _controller_colours(controllers: list[str]) -> dict[str, str]:
    return {c: controller_colour(str(c), i) for i, c in enumerate(sorted(controllers))}


def plot_events_map(
    events: Any,
    zones: Any = None,
    ax: Any = None,
    *,
    date: Any = None,
    color_by: str = "event_type",
    borders: bool = True,
    governorates: bool = True,
    title: str | None = None,
) -> Any:
    """Map of events over the borders and (optionally) control zones.

    Parameters
    ----------
    events : GeoDataFrame
        Events (any CRS that is set); marker area grows with ``fatalities``.
    zones : GeoDataFrame, optional
        Control zones; only those valid on ``date`` are drawn (default: the latest event
        date), coloured by controller and hatched when ``approximate``.
    ax : matplotlib Axes, optional
        Where to draw; a new Figure is made when None.
    date : str or Timestamp, optional
        Date of the control zones.
    color_by : str
        Events column that sets the colour.
    borders, governorates : bool
        Draw Syria's international borders and governorate lines from the shipped data.
    title : str, optional
        Axes title.

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
    from desertgeo.maps import _as_4326, _to_day, _zones_at

    ev = _as_4326(events, "events")
    ax = _new_axes(ax, (8.0, 7.0))
    countries = datasets.load("countries")
    countries.plot(
        ax=ax,
        color=["#f6f1e4" if c == "SY" else "#e4e0d6" for c in countries["country"]],
        edgecolor="#8a8170",
        linewidth=0.5,
    )
    if governorates:
        datasets.load("governorates").boundary.plot(
            ax=ax, color="#9b8f7a", linewidth=0.4, linestyle=":"
        )
    handles: list[Any] = []
    if zones is not None:
        zday = None if date is None else _to_day(date)
        if zday is None and "date" in ev.columns:
            latest = pd.to_datetime(ev["date"], errors="coerce").max()
            zday = None if pd.isna(latest) else latest
        zdf, zday = _zones_at(_as_4326(zones, "zones"), zday)
        colours = _controller_colours(list(zdf["controller"].dropna().unique()))
        approx = (
            zdf["approximate"].fillna(True).astype(bool)
            if "approximate" in zdf.columns
            else pd.Series(True, index=zdf.index)
        )
        for (_, row), ap in zip(zdf.iterrows(), approx, strict=True):
            c = colours.get(row["controller"], "#7f7f7f")
            zdf.loc[[row.name]].plot(
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
    ok = ev[~ev.geometry.isna() & ~ev.geometry.is_empty]
    if len(ok):
        cats = (
            ok[color_by].astype("string").fillna("unknown")
            if color_by in ok.columns
            else pd.Series("event", index=ok.index, dtype="string")
        )
        top = list(cats.value_counts().index[: len(PALETTE) - 1])
        colour_of = {c: PALETTE[i] for i, c in enumerate(top)}
        point_colours = [colour_of.get(c, "#7f7f7f") for c in cats]
        fat = pd.to_numeric(ok.get("fatalities"), errors="coerce")
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
        handles += [
            Line2D(
                [], [], marker="o", linestyle="none", color=c, markeredgecolor="#1b1b1b", label=k
            )
            for k, c in colour_of.items()
        ]
        if len(set(cats)) > len(top):
            handles.append(
                Line2D([], [], marker="o", linestyle="none", color="#7f7f7f", label="other")
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
        ax.legend(handles=handles, loc="lower right", fontsize=7, framealpha=0.9)
    ax.set_title(
        title
        or f"{len(ok)} events"
        + (f" ({len(ev) - len(ok)} without location)" if len(ev) > len(ok) else "")
    )
    return ax


def plot_distance_histogram(
    distances_km: Any,
    *,
    bins: int | Any = 30,
    ax: Any = None,
    label: str = "distance (km)",
    title: str | None = None,
    median: bool = True,
) -> Any:
    """Histogram of distances in km, one series or several overlaid.

    Parameters
    ----------
    distances_km : array-like, Series, or mapping / DataFrame of named series
        Distances in kilometres (e.g. ``dist_border_km`` from :mod:`desertgeo.distance`).
        NaN values are left out and counted in the legend.
    bins : int or sequence
        Histogram bins (shared across series).
    ax : matplotlib Axes, optional
    label : str
        x-axis label.
    title : str, optional
    median : bool
        Mark each series' median with a dashed line.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_distance_histogram({"IQ": [5.0, 15.0], "JO": [50.0]}, bins=[0, 10, 20, 60])
    >>> [int(p.get_height()) for p in ax.patches]
    [1, 1, 0, 0, 0, 1]
    """
    if isinstance(distances_km, pd.DataFrame):
        series = {str(c): distances_km[c] for c in distances_km.columns}
    elif isinstance(distances_km, Mapping):
        series = {str(k): v for k, v in distances_km.items()}
    else:
        name = getattr(distances_km, "name", None)
        series = {str(name) if name else "events": distances_km}
    arrays = {}
    for k, v in series.items():
        arr = pd.to_numeric(pd.Series(np.asarray(v, dtype=float).ravel()), errors="coerce")
        if (arr < 0).any():
            raise InputError(f"distances_km[{k!r}] has negative values: distances must be >= 0")
        arrays[k] = arr
    finite = [a.dropna().to_numpy() for a in arrays.values()]
    if not any(len(a) for a in finite):
        raise InputError("distances_km has no finite value to plot")
    if isinstance(bins, int):
        hi = max(float(a.max()) for a in finite if len(a))
        bins = np.linspace(0.0, hi if hi > 0 else 1.0, bins + 1)
    ax = _new_axes(ax, (7.0, 4.0))
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
    ax.set_xlabel(label)
    ax.set_ylabel("events")
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return ax


def plot_events_by_controller(
    events_with_controller: Any,
    period: str = "M",
    *,
    column: str = "controller",
    date_column: str = "date",
    ax: Any = None,
    title: str | None = None,
) -> Any:
    """Stacked bars of events per period, split by who controlled the ground.

    Parameters
    ----------
    events_with_controller : DataFrame
        Events with a date and a controller column, e.g. from
        :func:`desertgeo.zones.assign_zones`. Rows without a controller are counted as
        "no zone"; rows without a date are left out (and counted in the title).
    period : str
        pandas period alias: "M" month, "W" week, "Q" quarter, "Y" year.
    column, date_column : str
    ax : matplotlib Axes, optional
    title : str, optional

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
        if col not in events_with_controller.columns:
            raise InputError(
                f"events_with_controller has no column {col!r}; run "
                "desertgeo.zones.assign_zones(events) first, or pass column=/date_column="
            )
    dates = pd.to_datetime(events_with_controller[date_column], errors="coerce")
    try:
        periods = dates.dt.to_period(period)
    except ValueError as exc:
        raise InputError(f"period={period!r} is not a pandas period alias (M, W, Q, Y)") from exc
    ctrl = events_with_controller[column].astype("string").fillna("no zone")
    frame = pd.DataFrame({"period": periods, "controller": ctrl})[dates.notna().to_numpy()]
    if frame.empty:
        raise InputError(f"no event has a usable {date_column!r}")
    table = frame.groupby(["period", "controller"]).size().unstack(fill_value=0)
    full = pd.period_range(table.index.min(), table.index.max(), freq=table.index.freq)
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
    ax.set_ylabel("events")
    ax.legend(title="controller", fontsize=8)
    dropped = int(dates.isna().sum())
    ax.set_title(
        title
        or "Events per period by controller"
        + (f" ({dropped} undated not shown)" if dropped else "")
    )
    return ax


def report_figures(
    events: Any,
    zones: Any = None,
    out_dir: str | Path = ".",
    *,
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
            events["dist_border_km"], title="Distance to Syria's international border"
        )
    if "controller" in events.columns and "date" in events.columns:
        axes["events_by_controller"] = plot_events_by_controller(events)
    written = []
    for name, ax in axes.items():
        for fmt in formats:
            path = out / f"{name}.{fmt}"
            ax.figure.savefig(path, dpi=dpi)
            written.append(path)
    return written
