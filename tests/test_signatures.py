"""Signatures of the public functions: ``events`` first, options by keyword (issue 13)."""

from __future__ import annotations

import inspect
import re
import warnings

import pytest

from desertgeo import clustering, distance, hotspot, maps, plots, scale
from desertgeo._compat import positional_options

#: (module, function) of the analysis and view rooms whose first argument is events
TAKES_EVENTS = [
    (maps, "make_map"),
    (plots, "plot_events_map"),
    (plots, "plot_events_by_controller"),
    (plots, "report_figures"),
    (distance, "distance_to"),
    (distance, "distance_to_borders"),
    (distance, "distance_stats"),
    (distance, "histogram_data"),
    (clustering, "cluster"),
    (clustering, "summarize_clusters"),
    (clustering, "track_clusters"),
    (hotspot, "hotspots"),
    (hotspot, "knox_test"),
    (scale, "to_dask"),
    (scale, "assign_zones"),
    (scale, "distance_to"),
    (scale, "distance_to_borders"),
    (scale, "distance_stats"),
    (scale, "geocode_column"),
    (scale, "spatial_partition"),
    (scale, "cluster_plan"),
    (scale, "cluster_partitions"),
]
#: parameters after events that stay positional: what to compute, not how
MAIN_CHOICE = {"target", "labels", "column", "method", "period", "cell_km", "eps_km",
               "distance_km", "time_days", "zones", "kwargs", "cluster_options"}  # fmt: skip
#: the same option has the same name everywhere
SAME_NAME = {"date_col": "date_column", "datecol": "date_column", "country_code": "country"}


@pytest.mark.parametrize(("module", "name"), TAKES_EVENTS, ids=lambda x: getattr(x, "__name__", x))
def test_events_first_and_options_by_keyword(module: object, name: str) -> None:
    params = list(inspect.signature(getattr(module, name)).parameters.values())
    assert params[0].name == "events", f"{name}: first parameter is {params[0].name!r}"
    positional = [
        p.name
        for p in params[1:]
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.name not in MAIN_CHOICE
    ]
    assert positional == [], f"{name}: options {positional} can be passed by position"
    assert not {p.name for p in params} & set(SAME_NAME), f"{name}: use {SAME_NAME}"


def test_old_positional_calls_still_work_with_a_future_warning() -> None:
    @positional_options("zones", "date")
    def draw(events: str, *, zones: str | None = None, date: str | None = None) -> tuple:
        return events, zones, date

    with pytest.warns(FutureWarning, match=r"draw\(\): pass zones=, date= by keyword"):
        assert draw("ev", "z", "d") == ("ev", "z", "d")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert draw("ev", zones="z") == ("ev", "z", None)
    with pytest.raises(TypeError, match=r"multiple values for 'zones'"):
        draw("ev", "z", zones="again")
    with pytest.raises(TypeError, match="at most 3 positional"):
        draw("ev", "z", "d", "extra")


def test_make_map_accepts_the_old_positional_zones() -> None:
    from desertgeo import datasets

    ev = datasets.load("seed_events")
    with pytest.warns(FutureWarning, match="zones="):
        old = maps.make_map(ev, None, None, None, "2023-02-17", basemap=False)
    new = maps.make_map(ev, date="2023-02-17", basemap=False)

    def page(m: object) -> str:  # folium's element ids are random hex
        return re.sub(r"[0-9a-f]{32}", "ID", maps.map_html(m, offline=False))

    assert page(old) == page(new)
