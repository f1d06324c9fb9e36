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
import sys
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:  # type checkers and IDEs see the real objects; at run time: __getattr__
    from desertgeo import datasets, maps, plots, scale
    from desertgeo.briefing import brief
    from desertgeo.clustering import cluster, summarize_clusters, track_clusters
    from desertgeo.distance import distance_stats, distance_to, distance_to_borders
    from desertgeo.events import read_acled, read_events, read_ucdp, validate_events, write_events
    from desertgeo.gazetteer import Gazetteer
    from desertgeo.geocoder import geocode
    from desertgeo.hotspot import hotspots, knox_test
    from desertgeo.maps import make_map, save_map
    from desertgeo.names import normalize_name
    from desertgeo.placetext import find_places
    from desertgeo.plots import (
        plot_distance_histogram,
        plot_events_by_controller,
        plot_events_map,
        report_figures,
    )
    from desertgeo.reverse import nearest_places
    from desertgeo.text import events_from_text
    from desertgeo.zones import assign_zones, load_zones, zone_summary

# public name -> submodule that defines it (imported lazily on first access; a module is
# never named like a function it exports, or importing it would shadow the function)
_LAZY: dict[str, str] = {
    "datasets": "desertgeo.datasets",
    "brief": "desertgeo.briefing",
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
    "cluster": "desertgeo.clustering",
    "summarize_clusters": "desertgeo.clustering",
    "track_clusters": "desertgeo.clustering",
    "hotspots": "desertgeo.hotspot",
    "knox_test": "desertgeo.hotspot",
    "geocode": "desertgeo.geocoder",
    "find_places": "desertgeo.placetext",
    "nearest_places": "desertgeo.reverse",
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
    "Gazetteer",
    "GeocodeError",
    "InputError",
    "MissingDependencyError",
    "ZoneError",
    "__version__",
    "assign_zones",
    "brief",
    "clear_caches",
    "cluster",
    "datasets",
    "distance_stats",
    "distance_to",
    "distance_to_borders",
    "events_from_text",
    "find_places",
    "geocode",
    "hotspots",
    "knox_test",
    "load_zones",
    "make_map",
    "maps",
    "nearest_places",
    "normalize_name",
    "plot_distance_histogram",
    "plot_events_by_controller",
    "plot_events_map",
    "plots",
    "read_acled",
    "read_events",
    "read_ucdp",
    "report_figures",
    "save_map",
    "scale",
    "summarize_clusters",
    "track_clusters",
    "validate_events",
    "write_events",
    "zone_summary",
]


#: (module, function) that forget a module's caches that are not functools caches; only
#: modules already imported are asked (nothing is imported to be cleared)
_CLEARERS: tuple[tuple[str, str], ...] = (
    ("desertgeo.gazetteer", "clear_default_cache"),  # default gazetteer, areas, name keys
    ("desertgeo.datasets", "_clear_cache"),  # shipped frames (zones, boundaries) and manifest
    ("desertgeo._evidence", "reset_cache"),  # country / governorate shapes of validation
    ("desertgeo.placetext", "clear_caches"),  # find_places lookups kept between calls
)
#: module-level dicts that hold cached values
_CACHE_DICTS: tuple[tuple[str, str], ...] = (
    ("desertgeo.gazetteer", "_AREA_CACHE"),
    ("desertgeo.reverse", "_CACHE"),
)


def clear_caches() -> None:
    """Forget everything desertgeo keeps in memory between calls.

    That is the default gazetteer (:meth:`Gazetteer.default`, with its study-area
    polygons and name keys), the shipped datasets read once by
    :func:`desertgeo.datasets.load` (so the zones and the country, border and
    governorate boundaries), the shapes used to check swapped coordinates, the
    lookups kept by ``find_places``, and every ``functools`` cache of desertgeo's
    modules. The next call builds or reads again (the gazetteer from its snapshot
    file when it is current). Useful after changing the user's gazetteer extensions
    or the data folder in a running process, and for cold-start measurements.

    Examples
    --------
    >>> import desertgeo
    >>> first = desertgeo.datasets.load("countries")
    >>> desertgeo.clear_caches()
    >>> desertgeo.datasets._load_cached.cache_info().currsize
    0
    """
    for module_name, function in _CLEARERS:
        module = sys.modules.get(module_name)
        clear = getattr(module, function, None) if module is not None else None
        if callable(clear):
            clear()
    for module_name, attribute in _CACHE_DICTS:
        module = sys.modules.get(module_name)
        cache = getattr(module, attribute, None) if module is not None else None
        if cache is not None:
            cache.clear()
    for name, module in list(sys.modules.items()):
        if name == "desertgeo" or name.startswith("desertgeo."):
            _clear_functools_caches(module, name)


def _clear_functools_caches(module: Any, name: str) -> None:
    for obj in list(vars(module).values()):
        clear = getattr(obj, "cache_clear", None)
        if callable(clear) and getattr(obj, "__module__", None) == name:
            clear()


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
