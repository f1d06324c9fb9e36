"""Every desertgeo error is also the built-in it refines, so generic handlers keep working."""

from __future__ import annotations

import pytest

import desertgeo
from desertgeo import _errors


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (desertgeo.InputError, ValueError),
        (desertgeo.CRSError, ValueError),
        (desertgeo.DataError, ValueError),
        (desertgeo.ZoneError, ValueError),
        (desertgeo.GeocodeError, LookupError),
        (desertgeo.DatasetNotFoundError, KeyError),
        (desertgeo.MissingDependencyError, ImportError),
    ],
)
def test_error_is_also_the_builtin(cls: type[Exception], builtin: type[Exception]) -> None:
    assert issubclass(cls, desertgeo.DesertGeoError)
    with pytest.raises(builtin, match="where and what"):
        raise cls("where and what")


def test_every_error_is_exported() -> None:
    for name in _errors.__all__:
        assert getattr(desertgeo, name) is getattr(_errors, name)


def test_dataset_error_message_is_not_quoted() -> None:
    assert str(desertgeo.DatasetNotFoundError("no 'x'; valid: a, b")) == "no 'x'; valid: a, b"


def test_unknown_attribute_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = desertgeo.no_such_name  # type: ignore[attr-defined]


def test_version_comes_from_metadata() -> None:
    from importlib.metadata import version

    assert desertgeo.__version__ == version("desertgeo")


def test_public_functions_are_functions_even_after_importing_their_modules() -> None:
    import importlib

    for name, module in desertgeo._LAZY.items():
        importlib.import_module(module)  # Python sets desertgeo.<submodule> on import
        obj = getattr(desertgeo, name)
        if module == f"desertgeo.{name}":
            assert obj is importlib.import_module(module)
        else:
            assert obj is getattr(importlib.import_module(module), name), name
    assert callable(desertgeo.geocode)
    assert callable(desertgeo.cluster)
    assert callable(desertgeo.hotspots)


def test_all_lists_exactly_the_errors_the_lazy_names_and_the_version() -> None:
    # clear_caches is the one function defined in the package itself (it imports nothing)
    expected = {*_errors.__all__, *desertgeo._LAZY, "__version__", "clear_caches"}
    assert set(desertgeo.__all__) == expected
