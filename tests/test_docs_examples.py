"""The documented Python examples use only the public surface, and the runnable ones run.

(a) Every ```python block of README.md and docs/*.md, and every .py file under examples/, imports from
Werkstroom only ``werkstroom`` (the host's surface, its ``__all__``), ``werkstroom.extend`` (the partner
API, its ``__all__``) and ``werkstroom.specs.world`` (the Gherkin world), and only names those export.
(b) A page marked ``<!-- doc-test: ... -->`` (docs/engine.md) runs: its python blocks execute in order,
as one program, in a fresh folder holding a copy of examples/, against the fresh SQLite engine the
first block opens, and print what their comments say.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import io
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = ("werkstroom", "werkstroom.extend", "werkstroom.specs.world")
RUNS = re.compile(r"^<!-- doc-test:", re.M)
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
_IMPORT_LINE = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import\s+(.+)|import\s+([\w., ]+))", re.M)


def python_examples() -> Iterator[tuple[str, str]]:
    """(where, code) of every documented Python example."""
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        for m in BLOCK.finditer(text):
            yield f"{page.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 2}", m.group(1)
    for path in sorted((ROOT / "examples").rglob("*.py")):
        if "build" not in path.relative_to(ROOT).parts:
            yield str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")


def imports(code: str) -> list[tuple[str, tuple[str, ...]]]:
    """(module, names imported from it; () for ``import module``) of every import in ``code``: from the
    syntax tree, or line by line for a fragment that is no whole program (``...`` in a call)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        found = []
        for m in _IMPORT_LINE.finditer(code):
            if m.group(1):
                names = tuple(n.split(" as ")[0].strip(" ()") for n in m.group(2).split(","))
                found.append((m.group(1), tuple(n for n in names if n)))
            else:
                found.extend((n.split(" as ")[0].strip(), ()) for n in m.group(3).split(","))
        return found
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.module, tuple(a.name for a in node.names)))
        elif isinstance(node, ast.Import):
            found.extend((a.name, ()) for a in node.names)
    return found


def private_imports(code: str) -> list[str]:
    """The imports of ``code`` from Werkstroom outside the public modules and their ``__all__``."""
    bad = []
    for module, names in imports(code):
        if module != "werkstroom" and not module.startswith("werkstroom."):
            continue  # another package (werkstroom_expenses is the partner example's own)
        if module not in PUBLIC:
            bad.append(f"{module} is not public")
            continue
        exported = set(importlib.import_module(module).__all__) if module != "werkstroom.specs.world" \
            else {"World"}
        bad.extend(f"{module}.{n} is not exported" for n in names if n != "*" and n not in exported)
    return bad


def test_the_scan_finds_private_imports() -> None:
    assert private_imports("from werkstroom.engine.clock import VirtualClock\n") == \
        ["werkstroom.engine.clock is not public"]
    assert private_imports("import werkstroom.store.approvals as a\n") == \
        ["werkstroom.store.approvals is not public"]
    assert private_imports("from werkstroom import transaction\n") == \
        ["werkstroom.transaction is not exported"]
    assert private_imports("x = f(1, ...})\nfrom werkstroom.binding import sources\n") == \
        ["werkstroom.binding is not public"]
    assert private_imports("from werkstroom import Engine, open_engine\nfrom werkstroom_expenses import x\n"
                           "from werkstroom.extend import Library\n") == []


def test_documented_examples_import_only_the_public_surface() -> None:
    examples = list(python_examples())
    assert len(examples) > 15 and any(w.startswith("docs/engine.md") for w, _ in examples)
    problems = [f"{where}: {p}" for where, code in examples for p in private_imports(code)]
    assert problems == []


def test_every_public_name_resolves_and_is_documented() -> None:
    import werkstroom

    text = (ROOT / "docs" / "engine.md").read_text(encoding="utf-8")
    assert sorted(werkstroom.__all__) == werkstroom.__all__
    for name in werkstroom.__all__:
        assert getattr(werkstroom, name) is not None, name
    assert [n for n in werkstroom.__all__ if not re.search(rf"\b{n}\b", text)] == []
    with pytest.raises(AttributeError):
        werkstroom.transaction  # noqa: B018  # not a public name


def runnable_pages() -> list[Path]:
    return [p for p in sorted((ROOT / "docs").glob("*.md")) if RUNS.search(p.read_text(encoding="utf-8"))]


def test_the_engine_page_is_runnable() -> None:
    assert ROOT / "docs" / "engine.md" in runnable_pages()


def run_page(page: Path, folder: Path) -> str:
    """Run the page's python blocks in order in ``folder`` (a copy of examples/ in it); what they print."""
    shutil.copytree(ROOT / "examples", folder / "examples",
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    blocks = BLOCK.findall(page.read_text(encoding="utf-8"))
    namespace: dict[str, object] = {"__name__": "__doc_example__"}
    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        with contextlib.redirect_stdout(out):
            for block in blocks:
                exec(compile(block, str(page), "exec"), namespace)  # our own documentation
    finally:
        engine = namespace.get("engine")
        close = getattr(engine, "close", None)
        if callable(close):
            close()
        os.chdir(cwd)
    return out.getvalue()


def test_the_engine_page_runs_and_prints_what_it_says(tmp_path: Path) -> None:
    page = ROOT / "docs" / "engine.md"
    assert len(BLOCK.findall(page.read_text(encoding="utf-8"))) >= 9
    printed = run_page(page, tmp_path)
    # the comments in the examples say what they print
    for line in [
        "5 2 4",  # the organisation loaded: users, groups, notification setups
        "PIAPW-EU 1",
        "started instance-1",
        "1 ('amount > 1000', [('amount', '4500')], True)",
        "[(2, 'BUYER', 'PI-1001', Decimal('4500.00'))]",
        "[(1, 'BUYER', 'Approved'), (2, 'FINANCE', 'Open')]",
        "1 1 ()",
        "[('finance@example.com', 'Notification overview: 1 approval notification')]",
        "[('FINANCE', 'Email')]",
        "6 True",
        "[('FINANCE', 'approve', 'Approved')]",
        "['Paper for Q1']",
        "Released False ",  # status, restricted, reason ('') and pending changes (())
        "Released",  # the record's stored values
    ]:
        # a whole printed line; one ending in a space: the start of one
        assert any(got == line or (line.endswith(" ") and got.startswith(line))
                   for got in printed.splitlines()), line
    assert printed.count("\n[]\n") >= 3  # no waiting notification, no timer work, no instance running
    assert printed.rstrip().endswith("[]")  # the subscriber saw nothing: below 1,000 no workflow starts
    assert not (tmp_path / "werkstroom.db").exists()  # the examples use their in-memory engine
