"""Event-type colours: fixed, colour-blind-safe, apart from the controller colours."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from desertgeo._style import CONTROLLER_COLOURS, EVENT_TYPE_COLOURS, category_colours

# Machado et al. (2009) simulation matrices, severity 1.0, on linear RGB
CVD = {
    "normal": np.eye(3),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
}


def lab(hex_colour: str, cvd: str) -> np.ndarray:
    rgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    lin = np.clip(CVD[cvd] @ lin, 0, 1)
    xyz = (
        np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
        @ lin
        / np.array([0.95047, 1.0, 1.08883])
    )
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


ACLED = [
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
]


@pytest.mark.parametrize("cvd", list(CVD))
def test_acled_types_are_distinguishable(cvd: str) -> None:
    worst = min(
        float(np.linalg.norm(lab(EVENT_TYPE_COLOURS[a], cvd) - lab(EVENT_TYPE_COLOURS[b], cvd)))
        for a, b in itertools.combinations(ACLED, 2)
    )
    assert worst > 12, worst


def test_event_colours_differ_from_controller_colours() -> None:
    controllers = [c for _, c in CONTROLLER_COLOURS]
    worst = min(
        float(np.linalg.norm(lab(e, "normal") - lab(c, "normal")))
        for e in set(EVENT_TYPE_COLOURS.values())
        for c in controllers
    )
    assert worst > 15, worst
    assert not set(EVENT_TYPE_COLOURS.values()) & set(controllers)


def test_same_type_same_colour_on_any_dataset() -> None:
    one = category_colours(["Battles", "Riots", "x"])
    two = category_colours(["y", "Riots", "Battles"])
    assert one["Battles"] == two["Battles"] == EVENT_TYPE_COLOURS["Battles"]
    assert one["Riots"] == two["Riots"]
    assert category_colours(["one-sided violence"]) == {
        "one-sided violence": EVENT_TYPE_COLOURS["Violence against civilians"]
    }
