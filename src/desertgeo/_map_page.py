"""Safe building blocks of a desertgeo page: data never becomes template source.

folium and branca render every element through Jinja: the *text* of an ``Element``,
``MacroElement`` or ``Template`` is template source, so a note holding ``{{ ... }}``
concatenated into it would run Python at render time. Here every template is a constant
string; data travels only in attributes that the template inserts as *values*
(``{{ this.args }}``), which Jinja never parses again, and those values are JSON made safe
for a ``<script>`` element by :func:`js_json` (``<``, ``>``, ``&``, U+2028, U+2029 escaped).
Raw blocks (the CSS/JS of the page, the events' binary block) are :class:`RawHTML`
elements, whose ``render`` returns their text without any template.

The events travel as one binary block (:func:`pack_columns`): typed columns, gzip,
base64, decoded in the browser with ``DecompressionStream``; :func:`unpack_columns` is
the same decoder in Python (for tests and tools).
"""

from __future__ import annotations

import base64
import functools
import json
import struct
import zlib
from typing import Any

import numpy as np

__all__ = ["RawHTML", "call", "js_json", "layer", "pack_columns", "unpack_columns"]


def js_json(obj: Any) -> str:
    """JSON that is safe inside a ``<script>`` element and inside Jinja output.

    Examples
    --------
    >>> js_json({"note": "</script><b>\\u2028{{ 7*7 }}"})
    '{"note":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u2028{{ 7*7 }}"}'
    """
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@functools.cache
def _element_classes() -> tuple[type, type, type]:
    from branca.element import Element, JavascriptLink, MacroElement
    from folium.map import Layer

    class _Raw(Element):
        """A block of page text rendered as is (no Jinja)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self._name = "DesertgeoRaw"
            self._text = text

        def render(self, **kwargs: Any) -> str:
            return self._text

    # branca's MacroElement.render wraps its macros' OUTPUT in Element(...), i.e. parses
    # it again as a template: these elements write their script as a raw block instead.
    class _Call(MacroElement):
        """``desertgeo.call(map, kind, args)`` in the map's script; args are a JSON value."""

        def __init__(self, kind: str, args: Any) -> None:
            super().__init__()
            self._name = "DesertgeoCall"
            self.kind = js_json(kind)
            self.args = js_json(args)

        def render(self, **kwargs: Any) -> str:
            parent: Any = self._parent
            root: Any = self.get_root()
            code = f"desertgeo.call({parent.get_name()}, {self.kind}, {self.args});\n"
            root.script.add_child(_Raw(code), name=self.get_name())
            return ""

    class _Layer(Layer):
        """A layer in the LayerControl, made by ``desertgeo.make(map, kind, args)``."""

        def __init__(
            self, name: str, kind: str, args: Any, show: bool, js: list[tuple[str, str]]
        ) -> None:
            super().__init__(name=name, overlay=True, control=True, show=show)
            self._name = "DesertgeoLayer"
            self.default_js = js
            self.kind = js_json(kind)
            self.args = js_json(args)

        def render(self, **kwargs: Any) -> str:
            figure: Any = self.get_root()
            parent: Any = self._parent
            for js_name, url in self.default_js:
                figure.header.add_child(JavascriptLink(url), name=js_name)
            code = (
                f"var {self.get_name()} = desertgeo.make({parent.get_name()}, "
                f"{self.kind}, {self.args});\n"
            )
            figure.script.add_child(_Raw(code), name=self.get_name())
            if self.show:
                code = f"{self.get_name()}.addTo({parent.get_name()});\n"
                figure.script.add_child(_Raw(code), name=self.get_name() + "_add")
            for child in self._children.values():
                child.render(**kwargs)
            return ""

    return _Raw, _Call, _Layer


def RawHTML(text: str) -> Any:  # noqa: N802 - reads as the element class it builds
    """An element whose text goes into the page unchanged (never parsed as a template)."""
    return _element_classes()[0](text)


def call(kind: str, args: Any) -> Any:
    """An element that runs the page's builder ``kind`` on the map with JSON ``args``."""
    return _element_classes()[1](kind, args)


def layer(
    name: str, kind: str, args: Any, *, show: bool = True, js: list[tuple[str, str]] | None = None
) -> Any:
    """A folium layer (listed in the LayerControl) built in the page by ``kind``."""
    return _element_classes()[2](name, kind, args, show, list(js or []))


# ---- binary columns ---------------------------------------------------------------------
_TYPES = (("u8", np.uint8), ("u16", np.uint16), ("u32", np.uint32))


def _uint_for(top: int) -> tuple[str, Any]:
    for name, dtype in _TYPES:
        if top <= np.iinfo(dtype).max:
            return name, dtype
    raise ValueError(f"value range {top} does not fit 32 bits")


def pack_columns(
    numeric: dict[str, tuple[np.ndarray, float]],
    codes: dict[str, np.ndarray],
    strings: dict[str, list[str]],
    extra: dict[str, Any] | None = None,
) -> str:
    """Pack columns into base64(gzip(header length, JSON header, little-endian columns)).

    ``numeric`` maps a name to ``(float values with NaN for missing, step)``: values are
    stored as unsigned integers ``round((v - min) / step)`` in the smallest width that
    holds them, the largest value of that width marking NaN. ``codes`` are non-negative
    integer codes into ``strings[name]``; a name in ``strings`` without codes is a
    column of one string per row.

    Examples
    --------
    >>> blob = pack_columns({"x": (np.array([1.5, np.nan, 2.0]), 0.5)},
    ...                     {"k": np.array([0, 1, 1])}, {"k": ["", "a"]})
    >>> d = unpack_columns(blob)
    >>> d["x"].tolist(), d["k"].tolist(), d["strings"]["k"]
    ([1.5, nan, 2.0], [0, 1, 1], ['', 'a'])
    """
    n = None
    cols: list[dict[str, Any]] = []
    chunks: list[bytes] = []
    for name, (values, step) in numeric.items():
        v = np.asarray(values, dtype=np.float64)
        n = len(v) if n is None else n
        ok = np.isfinite(v)
        base = float(v[ok].min()) if ok.any() else 0.0
        q = np.zeros(len(v), dtype=np.int64)
        q[ok] = np.round((v[ok] - base) / step).astype(np.int64)
        top = int(q.max()) + 1 if len(q) else 1
        tname, dtype = _uint_for(top)
        na = int(np.iinfo(dtype).max)
        q[~ok] = na
        cols.append({"name": name, "type": tname, "base": base, "scale": step, "na": na})
        chunks.append(q.astype(dtype).astype(f"<{np.dtype(dtype).str[1:]}").tobytes())
    for name, c in codes.items():
        c = np.asarray(c, dtype=np.int64)
        n = len(c) if n is None else n
        tname, dtype = _uint_for(int(c.max()) if len(c) else 0)
        cols.append({"name": name, "type": tname, "kind": "codes"})
        chunks.append(c.astype(dtype).astype(f"<{np.dtype(dtype).str[1:]}").tobytes())
    header: dict[str, Any] = {"n": int(n or 0), "columns": cols, "strings": strings}
    header.update(extra or {})
    # column offsets are relative to the start of the decompressed buffer
    head = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    for _ in range(3):  # the offsets change the header's length: iterate to a fixed point
        at = 4 + len(head)
        for col, chunk in zip(cols, chunks, strict=True):
            col["at"] = at
            at += len(chunk)
        new = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        if len(new) == len(head):
            head = new
            break
        head = new
    raw = struct.pack("<I", len(head)) + head + b"".join(chunks)
    comp = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: gzip container
    return base64.b64encode(comp.compress(raw) + comp.flush()).decode("ascii")


def unpack_columns(blob: str) -> dict[str, Any]:
    """Decode :func:`pack_columns` output (the Python twin of the page's decoder)."""
    raw = zlib.decompress(base64.b64decode(blob), 31)
    (hl,) = struct.unpack_from("<I", raw, 0)
    header = json.loads(raw[4 : 4 + hl].decode("utf-8"))
    out: dict[str, Any] = {"n": header["n"], "strings": header["strings"], "header": header}
    n = header["n"]
    for col in header["columns"]:
        dtype = dict(_TYPES)[col["type"]]
        arr = np.frombuffer(raw, dtype=np.dtype(dtype).newbyteorder("<"), count=n, offset=col["at"])
        if col.get("kind") == "codes":
            out[col["name"]] = arr.astype(np.int64)
        else:
            vals = col["base"] + arr.astype(np.float64) * col["scale"]
            vals[arr == col["na"]] = np.nan
            out[col["name"]] = vals
    return out
