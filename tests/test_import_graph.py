"""The shape of the package: no import cycles between modules, imports only downwards in the layer
order, and no module or function grown past the size a reader can hold.

The graph comes from the source (``ast``), not from running it: every ``import`` and ``from ... import``
anywhere in a module (at the top, inside functions, under ``if TYPE_CHECKING:``) is an edge, with
relative imports resolved (``from . import x`` names the module ``x`` when it is one)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "werkstroom"

# Layers, lowest first: a module may import its own layer and the layers before it. Each layer lists
# module-name prefixes (a package prefix covers its submodules); the longest matching prefix decides.
# Update this table when modules move.
LAYERS: list[tuple[str, ...]] = [
    ("werkstroom.source", "werkstroom.diagnostics", "werkstroom.codes", "werkstroom.render",
     "werkstroom.errors", "werkstroom.spelling", "werkstroom.placeholders", "werkstroom.numbers"),
    ("werkstroom.grammar",),
    ("werkstroom.catalogue", "werkstroom.context", "werkstroom.steps", "werkstroom.extend",
     "werkstroom.stdlib"),
    ("werkstroom.binding",),
    ("werkstroom.store",),
    ("werkstroom.engine",),
    ("werkstroom.simulation", "werkstroom.tools"),  # tools: diagrams, grid, editors, exchange, version diff
    # the command line, the service (HTTP API, webhooks, worker) and the package's front door
    ("werkstroom.cli", "werkstroom.service", "werkstroom"),
    ("werkstroom.specs",),  # the pytest plugin and its world
]

MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80

# Functions that may pass MAX_FUNCTION_LINES because they only build a declarative table: one
# constructor call per entry, read entry by entry, with no control flow (checked by
# ``_is_declarative_table``). Split, they would only scatter one table over several functions.
DECLARATIVE_TABLES: dict[str, str] = {
    "werkstroom.stdlib.approvals.responses": "declarative table: the approval responses",
    "werkstroom.stdlib.options.approver_options": "declarative table: the approver options",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    """The werkstroom modules ``name`` imports (a name imported from a package counts as its module
    when it is one, else as the package)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")
                up = up[: len(up) - (node.level - 1)]
                base = ".".join(up + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                       for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:  # import a.b.c of a module a.b: the module a.b
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {name: set(_imports(name, path, known)) for name, path in known.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def layer_of(name: str) -> int:
    best = (-1, -1)
    for i, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best[0]:
                best = (len(prefix), i)
    if best[1] < 0:
        raise AssertionError(f"{name} is in no layer of LAYERS: add it to the table")
    return best[1]


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return sorted(f"{a} (layer {layer_of(a)}) imports {b} (layer {layer_of(b)})"
                  for a, targets in graph.items() for b in targets if layer_of(b) > layer_of(a))


def _is_declarative_table(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """The body is a docstring, plain assignments and one ``return`` of a tuple, list or dict display:
    no branches, loops, comprehensions or nested functions anywhere in it."""
    body = list(node.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body.pop(0)
    if not body or not isinstance(body[-1], ast.Return):
        return False
    if not isinstance(body[-1].value, ast.Tuple | ast.List | ast.Dict):
        return False
    if not all(isinstance(stmt, ast.Assign) for stmt in body[:-1]):
        return False
    flow = (ast.If, ast.IfExp, ast.For, ast.While, ast.Try, ast.With, ast.Match, ast.Lambda,
            ast.comprehension, ast.FunctionDef, ast.AsyncFunctionDef, ast.BoolOp)
    return not any(isinstance(inner, flow) for stmt in body for inner in ast.walk(stmt))


def oversized() -> list[str]:
    found = []
    for name, path in modules().items():
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > MAX_MODULE_LINES:
            found.append(f"module {name}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES and not (
                        f"{name}.{node.name}" in DECLARATIVE_TABLES and _is_declarative_table(node)):
                    found.append(f"function {name}.{node.name} (line {node.lineno}): {length} lines")
    return found


def test_the_declarative_tables_are_tables() -> None:
    # every exempted function exists and is a table; a function with logic in it is not exempted
    known = modules()
    for qualified in DECLARATIVE_TABLES:
        module, _, function = qualified.rpartition(".")
        tree = ast.parse(known[module].read_text(encoding="utf-8"))
        nodes = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function]
        assert nodes and _is_declarative_table(nodes[0]), qualified
    branching = ast.parse("def f():\n    x = 1\n    if x:\n        return (1,)\n    return (2,)\n")
    assert not _is_declarative_table(branching.body[0])  # type: ignore[arg-type]
    looping = ast.parse("def f():\n    return tuple(g(x) for x in range(3))\n")
    assert not _is_declarative_table(looping.body[0])  # type: ignore[arg-type]


def test_the_graph_sees_every_kind_of_import() -> None:
    graph = import_graph()
    assert "werkstroom.catalogue.specs" in graph["werkstroom.extend"]  # from .catalogue.specs import (...)
    assert "werkstroom.store.codec" in graph["werkstroom.engine.run"]  # from ..store import codec
    assert "werkstroom.specs.world" in graph["werkstroom.specs.plugin"]  # inside a function
    assert "werkstroom.stdlib.enums" in graph["werkstroom.stdlib.purchase"]  # from . import enums as E
    assert "werkstroom.grammar.parser" in graph["werkstroom"]  # from .grammar.parser import ...
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles() -> None:
    found = cycles(import_graph())
    assert not found, "import cycles:\n" + "\n".join("  " + ", ".join(c) for c in found)


def test_imports_follow_the_layer_order() -> None:
    upward = upward_imports(import_graph())
    assert not upward, "imports against the layer order:\n" + "\n".join("  " + u for u in upward)


def test_modules_and_functions_stay_small() -> None:
    found = oversized()
    assert not found, "too large:\n" + "\n".join("  " + o for o in found)


def test_approvals_do_not_import_notifications() -> None:
    """Notifications read approval entries and user setup, so the dependency runs one way: approvals
    queue their notification entries themselves (``engine.approvals.notices``) and import nothing of
    ``engine.notifications``."""
    graph = import_graph()
    back = sorted(f"{name} -> {target}" for name, targets in graph.items()
                  if name.startswith("werkstroom.engine.approvals")
                  for target in targets if target.startswith("werkstroom.engine.notifications"))
    assert not back, "approvals import notifications:\n" + "\n".join("  " + b for b in back)


def test_the_engine_never_imports_the_grammar() -> None:
    """The engine stores and runs bound programs: text is parsed and bound in the binding layer
    (werkstroom.binding.sources), which ``open_engine`` hands the engine for the re-check at enable."""
    graph = import_graph()
    found = sorted(f"{a} imports {b}" for a, targets in graph.items() if a.startswith("werkstroom.engine")
                   for b in targets if b == "werkstroom.grammar" or b.startswith("werkstroom.grammar."))
    assert not found, "the engine imports the grammar:\n" + "\n".join("  " + f for f in found)
