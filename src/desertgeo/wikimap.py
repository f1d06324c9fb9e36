"""Read Wikipedia's "Syrian Civil War detailed map" module into dated control points.

The English Wikipedia module ``Module:Syrian Civil War detailed map`` (CC BY-SA;
a user downloads the revisions they want, e.g. ``index.php?title=...&action=raw&oldid=N``)
is a Lua table of town markers: ``{lat = 36.103, long = 37.308, mark = ..., label = ...}``.
Older revisions name the marker through keys of ``Module:Middle East conflicts map
marks`` (``mark = m.gov``, ``m.SDF``, ``m.IS``, ``m.opp``, ``m.JaN`` ...); newer ones
give the icon file (``mark= "Map-dot-grey-68a.svg"``) and explain the colours in the
``caption`` legend (``[[File:Dot_yellow_ff4.svg|11px]] ... ([[Syrian Democratic
Forces|SDF]])``). Each revision becomes one snapshot through the same builder as the
shipped zones (:func:`desertgeo.zonebuild.build_zones`).

Examples
--------
>>> text = '''return { marks = {
... {lat= 35.33, long= 40.13, mark= "Map-dot-grey-68a.svg", marksize=17, label= "[[Deir ez-Zor]]"},
... {lat= 37.05, long= 41.23, mark= "Dot_yellow_ff4.svg", marksize=12, label= "[[Qamishli]]"},
... },
... containerArgs = { caption = [=[[[File:Map-dot-grey-68a.svg|11px]] [[Second Syrian
... transitional government]]; [[File:Dot_yellow_ff4.svg|11px]] [[Syrian Democratic Forces|SDF]]
... ]=] } }'''
>>> pts = read_module(text, "2026-09-24")
>>> pts[["place", "controller"]].values.tolist()
[['Deir ez-Zor', 'transitional'], ['Qamishli', 'sdf']]
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from os import PathLike
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from desertgeo._errors import InputError

__all__ = ["LEGACY_KEYS", "parse_legend", "parse_marks", "read_module", "zones_from_module"]

#: ``m.<key>`` marker keys of older revisions -> controller keys (on the revision's date)
LEGACY_KEYS: dict[str, str] = {
    "gov": "government",
    "opp": "rebels",
    "fsa": "rebels",
    "isis": "is",
    "is": "is",
    "sdf": "sdf",
    "kurds": "ypg",
    "ypg": "ypg",
    "jan": "hts",
    "hts": "hts",
    "tur": "sna_turkey",
    "sna": "sna_turkey",
    "us": "coalition",
    "isr": "israel_buffer",
    "druze": "druze",
    "rus": "russia",
}

# legend link targets -> controller keys (first match wins)
_LEGEND_RULES: tuple[tuple[str, str], ...] = (
    ("transitional government", "transitional"),
    ("caretaker government", "transitional"),
    ("tahrir al-sham", "hts"),
    ("al-nusra", "hts"),
    ("islamic state", "is"),
    ("isil", "is"),
    ("syrian democratic forces", "sdf"),
    ("autonomous administration", "sdf"),
    ("people's protection units", "ypg"),
    ("syrian national army", "sna_turkey"),
    ("turkish armed forces", "sna_turkey"),
    ("israel defense forces", "israel_buffer"),
    ("druze", "druze"),
    ("russian armed forces", "russia"),
    ("maghawir", "coalition"),
    ("syrian free army", "coalition"),
    ("syrian arab army", "government"),
    ("ba'athist syria", "government"),
    ("syrian government", "government"),
    ("syrian opposition", "rebels"),
    ("free syrian army", "rebels"),
)

_ENTRY = re.compile(r"\{[^{}]*?\blat\s*=\s*\"?(-?[0-9.]+)\"?[^{}]*?\}", re.S)
_FIELD = {
    "long": re.compile(r"\blong\s*=\s*\"?(-?[0-9.]+)\"?"),
    "mark": re.compile(r"\bmark\s*=\s*(\"[^\"]*\"|m\.[A-Za-z0-9_]+)"),
    "label": re.compile(r"\blabel\s*=\s*\"((?:[^\"\\]|\\.)*)\""),
    "marksize": re.compile(r"\bmarksize\s*=\s*\"?([0-9.]+)\"?"),
}
_LINK = re.compile(r"\[\[([^\]|]+)(?:\|([^\]]*))?\]\]")
_LEGEND_ITEM = re.compile(r"\[\[File:([^|\]]+)\|[^\]]*\]\]\s*((?:\[\[[^\]]+\]\][^;\[]*?)+)")


def _text(source: str | PathLike[str]) -> str:
    if isinstance(source, str) and ("lat" in source and "{" in source):
        return source
    path = Path(source)
    if not path.exists():
        raise InputError(f"{path}: no such module file; save the module's raw text there")
    return path.read_text(encoding="utf-8", errors="replace")


def _clean_label(label: str) -> str:
    # the zh mirror wraps links in markdown (`[`Name`](url "wikilink")`): keep the name
    if "](" in label:
        label = re.sub(r"\]\((?:[^()]|\([^()]*\))*\)", "", label)
        label = label.replace("`", " ").replace("[", " ")
    m = _LINK.search(label)
    if m:
        label = m.group(2) or m.group(1)
    label = re.sub(r"&nbsp;", " ", label)
    return re.sub(r"\s+", " ", label).strip()


def parse_marks(source: str | PathLike[str]) -> pd.DataFrame:
    """Every marker of a module revision: ``lat, lon, mark, label, marksize``.

    Lua comments (``-- ...``) are skipped; overlay images (marksize > 100) dropped.

    Examples
    --------
    >>> parse_marks('{ lat = 34.56, long = 38.27, mark = m.gov, marksize = 9, '
    ...             'label = "[[Palmyra]]" }, -- { lat = 1, long = 2, mark = m.IS }')
    ... # doctest: +NORMALIZE_WHITESPACE
         lat    lon   mark    label  marksize
    0  34.56  38.27  m.gov  Palmyra       9.0
    """
    text = re.sub(r"--(?!\[=*\[)[^\n]*", "", _text(source))
    rows = []
    for m in _ENTRY.finditer(text):
        body = m.group(0)
        got = {k: rx.search(body) for k, rx in _FIELD.items()}
        if got["long"] is None or got["mark"] is None:
            continue
        size = float(got["marksize"].group(1)) if got["marksize"] else float("nan")
        if size > 100:
            continue
        rows.append(
            {
                "lat": float(m.group(1)),
                "lon": float(got["long"].group(1)),
                "mark": got["mark"].group(1).strip('"'),
                "label": _clean_label(got["label"].group(1)) if got["label"] else "",
                "marksize": size,
            }
        )
    return pd.DataFrame(rows, columns=["lat", "lon", "mark", "label", "marksize"])


def parse_legend(source: str | PathLike[str]) -> dict[str, str]:
    """Icon file -> controller key, read from the module's ``caption`` legend.

    Examples
    --------
    >>> parse_legend("[[File:Location dot red.svg|11px]] [[Russian Armed Forces]] ; "
    ...              "[[File:Location dot black.svg|11px]] [[Islamic State]]")
    {'Location dot red.svg': 'russia', 'Location dot black.svg': 'is'}
    """
    text = _text(source) if not isinstance(source, str) else source
    out: dict[str, str] = {}
    for icon, names in _LEGEND_ITEM.findall(text):
        low = names.casefold()
        for needle, key in _LEGEND_RULES:
            if needle in low:
                out.setdefault(icon.strip(), key)
                break
    return out


def read_module(
    source: str | PathLike[str],
    date: Any,
    *,
    legend: Mapping[str, str] | None = None,
    valid_to: Any = None,
) -> pd.DataFrame:
    """Control points of one revision, in the table form of :func:`build_zones`.

    Parameters
    ----------
    source : str or path
        The revision's raw Lua text, or a file holding it.
    date : date-like
        The revision's date (its timestamp in the page history).
    legend : mapping, optional
        Icon file or ``m.<key>`` -> controller key; default the revision's own
        caption legend plus :data:`LEGACY_KEYS`. Markers whose icon is not in the
        legend (roads, hills, contested or mixed icons) are left out.
    valid_to : date-like, optional
        Until when the revision holds (exclusive); default open.

    Returns
    -------
    DataFrame
        ``place, lon, lat, controller, valid_from, valid_to, confidence, source``
        (confidence ``low``: town markers, not lines).
    """
    text = _text(source)
    marks = parse_marks(text)
    table = dict(parse_legend(text))
    if legend:
        table.update(legend)
    day = pd.Timestamp(date)

    def key_of(mark: str) -> str | None:
        if mark in table:
            return table[mark]
        if mark.startswith("m."):
            k = mark[2:].casefold()
            for prefix, ctrl in LEGACY_KEYS.items():
                if k == prefix or k.startswith(prefix + "_") or k.endswith("_" + prefix):
                    if ctrl == "government" and day >= pd.Timestamp("2024-12-08"):
                        return "transitional"
                    return ctrl
        return None

    marks["controller"] = [key_of(m) for m in marks["mark"]]
    pts = marks[marks["controller"].notna()].drop_duplicates(["lon", "lat"])
    return pd.DataFrame(
        {
            "place": pts["label"].to_numpy(),
            "lon": pts["lon"].to_numpy(),
            "lat": pts["lat"].to_numpy(),
            "controller": pts["controller"].to_numpy(),
            "valid_from": f"{day:%Y-%m-%d}",
            "valid_to": "" if valid_to is None else f"{pd.Timestamp(valid_to):%Y-%m-%d}",
            "confidence": "low",
            "source": f"Wikipedia, Module:Syrian Civil War detailed map, revision of {day:%Y-%m-%d}"
            " (CC BY-SA 4.0)",
        }
    ).reset_index(drop=True)


def zones_from_module(
    revisions: Mapping[Any, str | PathLike[str]], *, end: Any = None, **build: Any
) -> gpd.GeoDataFrame:
    """One snapshot per module revision (each valid until the next), via the same builder.

    Parameters
    ----------
    revisions : mapping
        Revision date -> raw Lua text or file.
    end : date-like, optional
        Exclusive end of the last revision's validity (default open).
    **build
        Passed on to :func:`desertgeo.zonebuild.build_zones` (e.g. ``extent``).

    Returns
    -------
    GeoDataFrame
        Zones loadable with :func:`desertgeo.zones.load_zones`.
    """
    from desertgeo.zonebuild import build_zones

    if not revisions:
        raise InputError("zones_from_module needs at least one revision")
    dates = sorted(pd.Timestamp(d) for d in revisions)
    by_day = {pd.Timestamp(k): v for k, v in revisions.items()}
    frames = []
    for i, day in enumerate(dates):
        nxt = dates[i + 1] if i + 1 < len(dates) else end
        frames.append(read_module(by_day[day], day, valid_to=nxt))
    points = pd.concat(frames, ignore_index=True)
    periods = pd.DataFrame(
        {
            "period": ["wikipedia"],
            "valid_from": [f"{dates[0]:%Y-%m-%d}"],
            "valid_to": ["" if end is None else f"{pd.Timestamp(end):%Y-%m-%d}"],
            "kind": ["snapshot"],
            "label": ["Wikipedia module revisions"],
            "source": ["Wikipedia, Module:Syrian Civil War detailed map (CC BY-SA 4.0)"],
        }
    )
    return build_zones(points, periods, **build)
