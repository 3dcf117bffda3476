"""docs/diagnostics.md has a section for every code a user can hit, and docs/language.md exists."""

from __future__ import annotations

import re
from pathlib import Path

from werkstroom.codes import CODES

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
