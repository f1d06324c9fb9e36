"""Colours shared by the HTML maps and the report figures (one palette, one legend)."""

from __future__ import annotations

import re

__all__ = ["CONTROLLER_COLOURS", "OTHER", "PALETTE", "controller_colour"]

# categorical palette (Tableau 10 order, grey last for "other")
PALETTE = (
    "#d62728",
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
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
    """A stable colour for a controller: conventional for the usual parties, else the palette."""
    low = controller.lower()
    for keys, colour in CONTROLLER_COLOURS:
        if any(re.search(rf"(?<!\w){re.escape(k)}(?!\w)", low) for k in keys):
            return colour
    return PALETTE[(fallback_index + 4) % len(PALETTE)]
