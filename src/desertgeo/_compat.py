"""Backward compatibility of signatures (private, core layer).

desertgeo's public functions take ``events`` first and their options by keyword
only. :func:`positional_options` keeps the calls written for an older signature,
where some options could also be passed by position, working for a while: they are
mapped onto their names, with a :class:`FutureWarning` that says what to write.

Examples
--------
>>> import warnings
>>> @positional_options("zones", "date")
... def draw(events, *, zones=None, date=None):
...     return events, zones, date
>>> draw("ev", zones="z")
('ev', 'z', None)
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     draw("ev", "z", "2024-01-01")
('ev', 'z', '2024-01-01')
>>> print(caught[0].message)
draw(): pass zones=, date= by keyword; passing them by position is deprecated
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["positional_options"]

F = TypeVar("F", bound=Callable[..., Any])


def positional_options(*names: str) -> Callable[[F], F]:
    """Let the keyword-only options ``names`` (in their old order) come by position.

    Raises :class:`TypeError` for more positional arguments than the old signature
    took, or for an option given both ways.
    """

    def decorate(func: F) -> F:
        params = inspect.signature(func).parameters.values()
        kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        n_positional = sum(p.kind in kinds for p in params)

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if len(args) <= n_positional:
                return func(*args, **kwargs)
            extra = args[n_positional:]
            if len(extra) > len(names):
                raise TypeError(
                    f"{func.__name__}() takes at most {n_positional + len(names)} positional "
                    f"arguments ({len(args)} given); pass the options by keyword"
                )
            given = names[: len(extra)]
            for name, value in zip(given, extra, strict=True):
                if name in kwargs:
                    raise TypeError(f"{func.__name__}() got multiple values for {name!r}")
                kwargs[name] = value
            warnings.warn(
                f"{func.__name__}(): pass {', '.join(n + '=' for n in given)} by keyword; "
                "passing them by position is deprecated",
                FutureWarning,
                stacklevel=2,
            )
            return func(*args[:n_positional], **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
