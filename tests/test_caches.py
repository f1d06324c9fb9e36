"""desertgeo.clear_caches(): everything kept between calls is built or read again."""

from __future__ import annotations

import desertgeo
from desertgeo import datasets, names
from desertgeo.gazetteer import Gazetteer


def test_clear_caches_forgets_the_default_gazetteer_and_the_datasets() -> None:
    gaz = Gazetteer.default()
    assert Gazetteer.default() is gaz  # kept between calls
    countries = datasets.load("countries")
    assert datasets._load_cached.cache_info().currsize > 0
    names.normalize_name("Tadmur")
    assert names.normalize_name.cache_info().currsize > 0

    desertgeo.clear_caches()

    assert datasets._load_cached.cache_info().currsize == 0
    assert names.normalize_name.cache_info().currsize == 0
    again = Gazetteer.default()
    assert again is not gaz
    assert len(again) == len(gaz)
    assert datasets.load("countries").equals(countries)


def test_clear_caches_forgets_the_validation_shapes() -> None:
    from desertgeo import _evidence

    _evidence._shapes()
    assert _evidence._shapes.cache_info().currsize == 1
    desertgeo.clear_caches()
    assert _evidence._shapes.cache_info().currsize == 0


def test_clear_caches_is_public() -> None:
    assert "clear_caches" in desertgeo.__all__
    assert "clear_caches" in dir(desertgeo)
