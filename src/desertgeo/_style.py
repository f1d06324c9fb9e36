"""Colours shared by the HTML maps and the report figures (one palette, one legend).

* Event types have FIXED colours: ACLED's six event types and UCDP's three violence types
  get the same colour on every dataset (analogous types share one: UCDP one-sided
  violence is coloured as ACLED violence against civilians). The hues come from Paul
  Tol's colour-blind-safe "vibrant" and "muted" schemes and are chosen apart from the
  controller colours below (``tests/test_style_palettes.py`` checks the distances, also
  under simulated deuteranopia and protanopia).
* Other categories (``color_by="actor"``, a user's own column) take :data:`PALETTE` in
  order of frequency, then grey for "other".
* Zone controllers keep their conventional colours (government red, SDF yellow, ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "CONTROLLER_COLOURS",
    "EVENT_TYPE_COLOURS",
    "OTHER",
    "PALETTE",
    "category_colours",
    "controller_colour",
]

# ACLED event types and UCDP GED type_of_violence (as desertgeo.events names them)
EVENT_TYPE_COLOURS: dict[str, str] = {
    "Battles": "#EE3377",  # magenta
    "Explosions/Remote violence": "#EE7733",  # orange
    "Violence against civilians": "#33BBEE",  # cyan
    "Protests": "#009988",  # teal
    "Riots": "#882255",  # wine
    "Strategic developments": "#BBBBBB",  # light grey
    "state-based conflict": "#EE3377",
    "non-state conflict": "#EE7733",
    "one-sided violence": "#33BBEE",
}
# other categories, in order of frequency (Tol muted; none equals an event-type colour)
PALETTE = (
    "#332288",
    "#DDCC77",
    "#44AA99",
    "#CC6677",
    "#88CCEE",
    "#117733",
    "#999933",
    "#AA4499",
    "#661100",
)
OTHER = "#7f7f7f"
# zone controllers: conventional colours for the usual parties, palette otherwise
# (first match wins, so specific names come before the generic "government")
CONTROLLER_COLOURS = (
    (("hts", "hayat tahrir", "salvation government"), "#7d3c98"),
    (("sdf", "syrian democratic", "aanes", "kurdish"), "#e6b800"),
    (("coalition", "united states", "u.s.", "tanf", "us-led", "maghawir"), "#2471a3"),
    (("turkish", "turkey", "sna", "national army"), "#229954"),
    (("israel",), "#5d6d7e"),
    (("isis", "islamic state", "daesh"), "#1c2833"),
    (("government", "regime", "syrian arab army", "assad"), "#c0392b"),
)


def controller_colour(controller: str, fallback_index: int) -> str:
    """A stable colour for a controller: conventional for the usual parties, else the palette.

    Examples
    --------
    >>> controller_colour("Syrian government", 0), controller_colour("SDF", 3)
    ('#c0392b', '#e6b800')
    """
    low = controller.lower()
    for keys, colour in CONTROLLER_COLOURS:
        if any(re.search(rf"(?<!\w){re.escape(k)}(?!\w)", low) for k in keys):
            return colour
    return PALETTE[(fallback_index + 4) % len(PALETTE)]


def category_colours(ranked: Iterable[str], limit: int = len(PALETTE)) -> dict[str, str]:
    """Colours for categories given most frequent first: fixed for event types, else palette.

    At most ``limit`` categories other than known event types get a palette colour; the
    caller draws the rest as "other" (:data:`OTHER`).

    Examples
    --------
    >>> category_colours(["one-sided violence", "Battles", "my own type"])
    {'one-sided violence': '#33BBEE', 'Battles': '#EE3377', 'my own type': '#332288'}
    """
    out: dict[str, str] = {}
    k = 0
    for value in ranked:
        if value in EVENT_TYPE_COLOURS:
            out[value] = EVENT_TYPE_COLOURS[value]
        elif k < limit:
            out[value] = PALETTE[k]
            k += 1
    return out
