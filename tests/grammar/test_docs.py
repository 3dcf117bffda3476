"""docs/diagnostics.md has a section for every code a user can hit, and docs/language.md exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from werkstroom.codes import CODES
from werkstroom.errors import DiagnosticsError, WerkstroomError

DOCS = Path(__file__).parents[2] / "docs"


def test_every_code_has_a_section() -> None:
    text = (DOCS / "diagnostics.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^#{2,4} (WF\d{3})\b", text, re.M))
    missing = sorted(set(CODES) - headings)
    assert not missing, f"docs/diagnostics.md lacks a section for: {', '.join(missing)}"


def test_sections_say_what_triggers_and_how_to_fix() -> None:
    text = (DOCS / "diagnostics.md").read_text(encoding="utf-8")
    for code in (c for c in CODES if c.startswith("WF1")):
        m = re.search(rf"^#+ {code}\b.*?$(.*?)(?=^#+ |\Z)", text, re.M | re.S)
        assert m is not None and len(m.group(1).strip()) > 40, code
        assert "fix" in m.group(1).lower(), code


def test_language_reference_covers_the_constructs() -> None:
    text = (DOCS / "language.md").read_text(encoding="utf-8").lower()
    for word in ["workflow", "category", "continue at", "any lines with", "increased", "old.",
                 "contains", "starts with", "is empty", "not in", "2d", "cm+1d", "comment", "tab",
                 "limit"]:
        assert word in text, word


def test_wf_examples_in_the_docs_parse() -> None:
    from werkstroom.grammar.parser import parse

    text = (DOCS / "language.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```wf\n(.*?)```", text, re.S)
    assert len(blocks) >= 2
    for block in blocks:
        r = parse(block, "language.md")
        assert r.diagnostics == (), block


def _all_error_classes() -> list[type[WerkstroomError]]:
    import importlib
    import pkgutil

    import werkstroom

    for mod in pkgutil.walk_packages(werkstroom.__path__, "werkstroom."):
        importlib.import_module(mod.name)
    importlib.import_module("werkstroom_expenses.responses")  # the partner example's own error
    found: list[type[WerkstroomError]] = []
    todo: list[type[WerkstroomError]] = [WerkstroomError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_error_class_code_is_declared_and_documented() -> None:
    """The class ``code`` of WerkstroomError and each subclass (WF500, the base's default, included)."""
    text = (DOCS / "diagnostics.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^#{2,4} (WF\d{3})\b", text, re.M))
    classes = _all_error_classes()
    assert len(classes) > 15
    for cls in classes:
        code = cls.code
        assert code in CODES and code in headings, f"{cls.__module__}.{cls.__qualname__}: {code}"


def test_werkstroom_never_raises_the_bases_without_a_code() -> None:
    """A bare ``WerkstroomError(...)`` would report the catch-all WF500; DiagnosticsError requires one."""
    import ast

    root = Path(__file__).parents[2] / "werkstroom"
    bare = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("WerkstroomError", "DiagnosticsError")
                    and not any(k.arg == "code" for k in node.keywords)):
                bare.append(f"{path.relative_to(root)}:{node.lineno}")
    assert not bare
    with pytest.raises(TypeError):
        DiagnosticsError("x", [])  # type: ignore[call-arg]
