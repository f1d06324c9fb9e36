"""Exceptions raised by desertgeo.

Every class subclasses :class:`DesertGeoError` *and* the built-in exception it
refines, so ``except ValueError`` / ``except LookupError`` in user code keeps
working.
"""

from __future__ import annotations

__all__ = [
    "CRSError",
    "DataError",
    "DatasetNotFoundError",
    "DesertGeoError",
    "GeocodeError",
    "InputError",
    "MissingDependencyError",
    "ZoneError",
]


class DesertGeoError(Exception):
    """Base class of every error raised by desertgeo."""


class InputError(DesertGeoError, ValueError):
    """Input that cannot be used: a missing column, a bad value, a bad option."""


class CRSError(InputError):
    """A frame has no CRS, or one that the operation cannot use."""


class DataError(InputError):
    """A data file (events, zones, gazetteer) is malformed; the message says where."""


class ZoneError(DataError):
    """Control-zone snapshots that overlap, leave gaps or carry bad dates."""


class DatasetNotFoundError(DesertGeoError, KeyError):
    """An unknown shipped dataset was asked for; the message lists the valid names."""

    def __str__(self) -> str:  # KeyError quotes its message; keep it readable
        return str(self.args[0]) if self.args else ""


class GeocodeError(DesertGeoError, LookupError):
    """A place name could not be resolved (with ``errors="raise"``)."""


class MissingDependencyError(DesertGeoError, ImportError):
    """An optional dependency is not installed; the message gives the install command."""
