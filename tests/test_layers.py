"""The layering contract of desertgeo: no module imports a module of a higher layer,
and no group of modules imports itself round in a circle.

Every ``import`` / ``from ... import`` statement counts, at module level or inside a
function (a lazy import that hides a circle is still an import). Only imports under
``if TYPE_CHECKING:`` (never run) are left out. The package's ``__init__`` imports its
public submodules by name (``_LAZY``); those names count as its imports.

The same layers are written for import-linter in ``pyproject.toml``
(``[tool.importlinter]``, run by ``make lint``); this test gives the readable message.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "desertgeo"

#: bottom to top; a module may import its own layer and the layers below it
LAYERS: list[tuple[str, set[str]]] = [
    (
        "core",
        {
            "_errors",
            "_compat",
            "_version",
            "_validate",
            "_geodesy",
            "_style",
            "_atomic",
            "_csvsafe",
            "_place",
        },
    ),
    ("schema", {"_schema"}),
    ("datasets", {"datasets"}),
    (
        "names / gazetteer",
        {
            "names",
            "gazetteer",
            "_gaz_index",
            "_gaz_rank",
            "_gaz_layers",
            "_gaz_sources",
            "_userdata",
        },
    ),
    ("readers", {"_evidence", "_readers"}),
    (
        "geocoding",
        {
            "geocoder",
            "_context",
            "placetext",
            "events",
            "text",
            "_text_counts",
            "_text_dates",
            "_text_dateline",
        },
    ),
    (
        "analysis",
        {"zones", "zonebuild", "wikimap", "distance", "clustering", "hotspot", "reverse"},
    ),
    ("scale", {"scale"}),
    (
        "views",
        {
            "maps",
            "plots",
            "_map_layers",
            "_map_page",
            "_map_js",
            "_credits",
            "_offline",
            "_jsassets",
            "briefing",
            "_brief_html",
        },
    ),
    ("public API", {"__init__"}),
    ("cli", {"cli", "__main__"}),
]


#: imports that branches under review remove (source, target); empty once they land
PENDING: set[tuple[str, str]] = {
    ("_readers", "geocoder"),  # house: read_events passes the geocoder in (after readers lands)
    ("_userdata", "events"),  # gazetteer branch: STUDY_AREA from _schema
    ("_userdata", "gazetteer"),  # gazetteer branch: _gaz_sources.read_places_file
    # geocoder room: geocoder.__getattr__ re-exports placetext.find_places, and placetext
    # imports geocoder (a circle); the re-export must go (or placetext's needs move down)
    ("geocoder", "placetext"),
}


@dataclass(frozen=True)
class Import:
    """One import of a desertgeo module by another."""

    source: str
    target: str
    line: int
    lazy: bool

    def where(self) -> str:
        kind = "inside a function" if self.lazy else "at module level"
        return f"src/desertgeo/{_file_of(self.source)}:{self.line} ({kind})"


def _file_of(module: str) -> str:
    if module == "__init__":
        return "__init__.py"
    path = PACKAGE / (module.replace(".", "/") + ".py")
    return str(path.relative_to(PACKAGE)) if path.is_file() else module.replace(".", "/")


def _modules() -> dict[str, Path]:
    """Module name relative to the package (``cli._map``; ``__init__`` for the package)."""
    out: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return skip


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_pkg: bool) -> Iterator[str]:
    """Full dotted names a statement imports (``desertgeo.x`` or ``desertgeo.x.y``)."""
    if isinstance(node, ast.Import):
        yield from (a.name for a in node.names)
        return
    base = node.module or ""
    if node.level:
        here = ["desertgeo", *([] if module == "__init__" else module.split("."))]
        if not is_pkg:
            here = here[:-1]
        here = here[: len(here) - node.level + 1]
        base = ".".join([*here, *([base] if base else [])])
    for alias in node.names:
        yield f"{base}.{alias.name}"  # a submodule, or a name of ``base`` (resolved below)


def _resolve(full: str, modules: dict[str, Path]) -> str | None:
    if not full.startswith("desertgeo"):
        return None
    name = full.removeprefix("desertgeo").lstrip(".")
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or "__init__"


def _lazy_names(tree: ast.Module) -> Iterator[tuple[str, int]]:
    """The submodules named in ``_LAZY = {...}`` of the package ``__init__``."""
    for node in tree.body:
        target = node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        if isinstance(target, ast.Name) and target.id == "_LAZY" and node.value is not None:
            for const in ast.walk(node.value):
                if isinstance(const, ast.Constant) and str(const.value).startswith("desertgeo."):
                    yield str(const.value), const.lineno


def imports() -> list[Import]:
    """Every import of a desertgeo module by another, with its line."""
    modules = _modules()
    found: list[Import] = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        skip = _type_checking_nodes(tree)
        in_function = {
            id(n)
            for f in ast.walk(tree)
            if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
            for n in ast.walk(f)
        }
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)) or id(node) in skip:
                continue
            for full in _targets(node, module, path.name == "__init__.py"):
                target = _resolve(full, modules)
                if target is not None and target != module and (module, target) not in PENDING:
                    found.append(Import(module, target, node.lineno, id(node) in in_function))
        if module == "__init__":
            for full, line in _lazy_names(tree):
                target = _resolve(full, modules)
                if target is not None:
                    found.append(Import(module, target, line, True))
    return found


def _layer_of() -> dict[str, int]:
    level: dict[str, int] = {}
    for i, (_, members) in enumerate(LAYERS):
        for m in members:
            level[m] = i
    return level


def _layer(module: str, level: dict[str, int]) -> int | None:
    while module:
        if module in level:
            return level[module]
        module = module.rpartition(".")[0]  # cli._map belongs to cli
    return None


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def test_every_module_has_a_layer() -> None:
    level = _layer_of()
    missing = sorted(m for m in _modules() if _layer(m, level) is None)
    assert not missing, (
        f"module(s) {missing} belong to no layer; add each to LAYERS in tests/test_layers.py "
        "and to [tool.importlinter] in pyproject.toml"
    )


def test_no_module_imports_a_higher_layer() -> None:
    level = _layer_of()
    upward = []
    for imp in imports():
        src, dst = _layer(imp.source, level), _layer(imp.target, level)
        if src is not None and dst is not None and dst > src:
            upward.append(
                f"desertgeo.{imp.source} (layer {LAYERS[src][0]!r}) imports "
                f"desertgeo.{imp.target} (layer {LAYERS[dst][0]!r}, above it) at {imp.where()}"
            )
    assert not upward, (
        "upward imports (a lower layer must not know a higher one; pass the higher "
        "function in as an argument, or move the shared piece down):\n  " + "\n  ".join(upward)
    )


def test_no_import_circle() -> None:
    edges: dict[str, set[str]] = {}
    lines: dict[tuple[str, str], Import] = {}
    for imp in imports():
        edges.setdefault(imp.source, set()).add(imp.target)
        lines.setdefault((imp.source, imp.target), imp)
    messages = []
    for group in _cycles(edges):
        inside = [lines[(a, b)] for a in group for b in sorted(edges.get(a, ())) if b in set(group)]
        messages.append(
            "circle among "
            + ", ".join(group)
            + ":\n    "
            + "\n    ".join(f"{i.source} -> {i.target} at {i.where()}" for i in inside)
        )
    assert not messages, "\n  ".join(messages)


def test_the_checker_sees_lazy_and_relative_imports(tmp_path: Path) -> None:
    """The parser finds an import inside a function and resolves a relative one."""
    tree = ast.parse("def f():\n    from desertgeo.events import read_events\nfrom . import x\n")
    nodes = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    got = [t for n in nodes for t in _targets(n, "cli._map", False)]
    assert sorted(got) == ["desertgeo.cli.x", "desertgeo.events.read_events"]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.skipif(sys.version_info < (3, 11), reason="tomllib is Python 3.11+")
def test_import_linter_contract_lists_the_same_layers() -> None:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers")["layers"]
    mine = [sorted(m for m in members if m != "__init__") for _, members in reversed(LAYERS)]
    theirs = [sorted(x.strip().strip("()") for x in layer.split(":")) for layer in layers]
    assert theirs == [names for names in mine if names]
