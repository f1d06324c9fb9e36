"""desertgeo: the geography of armed-group attacks in Syria's central desert.

Geocode places as reporters spell them, turn reports and tables into one
validated events table, assign dated control zones, compute geodesically exact
distances to borders and sites, find clusters and hotspots, and write HTML maps
that work offline.

Heavy submodules are imported on first use, so ``import desertgeo`` stays fast;
every public name below is importable from the top-level package.

Examples
--------
>>> import desertgeo
>>> "countries" in desertgeo.datasets.available()
True
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from desertgeo._errors import (
    CRSError,
    DataError,
    DatasetNotFoundError,
    DesertGeoError,
    GeocodeError,
    InputError,
    MissingDependencyError,
    ZoneError,
)

try:
    __version__ = version("desertgeo")
except PackageNotFoundError:  # running from a source tree that is not installed
    from desertgeo._version import __version__

# public name -> submodule that defines it (imported lazily on first access)
_LAZY: dict[str, str] = {
    "datasets": "desertgeo.datasets",
    "assign_zones": "desertgeo.zones",
    "load_zones": "desertgeo.zones",
    "zone_summary": "desertgeo.zones",
    "distance_to": "desertgeo.distance",
    "distance_to_borders": "desertgeo.distance",
    "distance_stats": "desertgeo.distance",
    "scale": "desertgeo.scale",
    "read_events": "desertgeo.events",
    "read_acled": "desertgeo.events",
    "read_ucdp": "desertgeo.events",
    "write_events": "desertgeo.events",
    "validate_events": "desertgeo.events",
    "events_from_text": "desertgeo.text",
    "cluster": "desertgeo.cluster",
    "summarize_clusters": "desertgeo.cluster",
    "track_clusters": "desertgeo.cluster",
    "hotspots": "desertgeo.hotspots",
    "knox_test": "desertgeo.hotspots",
    "geocode": "desertgeo.geocode",
    "find_places": "desertgeo.geocode",
    "Gazetteer": "desertgeo.gazetteer",
    "normalize_name": "desertgeo.names",
    "maps": "desertgeo.maps",
    "make_map": "desertgeo.maps",
    "save_map": "desertgeo.maps",
    "plots": "desertgeo.plots",
    "plot_events_map": "desertgeo.plots",
    "plot_distance_histogram": "desertgeo.plots",
    "plot_events_by_controller": "desertgeo.plots",
    "report_figures": "desertgeo.plots",
}

__all__ = [
    "CRSError",
    "DataError",
    "DatasetNotFoundError",
    "DesertGeoError",
    "GeocodeError",
    "InputError",
    "MissingDependencyError",
    "ZoneError",
    "__version__",
    *sorted(_LAZY),
]


def __getattr__(name: str) -> Any:
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'desertgeo' has no attribute {name!r}")
    module = importlib.import_module(target)
    value = module if module.__name__ == f"desertgeo.{name}" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
