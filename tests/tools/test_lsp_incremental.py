"""The language server's parse after an edit (``tools.lsp.incremental.Reparser``: unchanged workflows
reused, their spans moved) is exactly the parse `wf check` makes of the same text: the same tree, the
same span on every node, the same diagnostics, whatever the edits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from werkstroom.grammar.parser import ParseResult, parse_source
from werkstroom.source import SourceFile, Span
from werkstroom.tools.lsp.incremental import Reparser

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "werkstroom" / "stdlib" / "templates").glob("*.wf"))
BASE = "\n".join(t.read_text(encoding="utf-8") for t in TEMPLATES[:3])

SNIPPETS = ["x", " ", "\n", "\r\n", "\t", '"', "#", "on ", "workflow W ", "\non X then y\n", "then", "when ",
            "  ", "(", ")", "[", ",", "as ", "continue at ", "é", "\N{PILE OF POO}", "1000", "\nworkflow "]


def spans(node: object) -> Iterator[tuple[str, Span]]:
    """(class name, span) of every node of a tree, in order."""
    if not attrs.has(type(node)):
        return
    yield type(node).__name__, getattr(node, "span")  # noqa: B009
    for field in attrs.fields(type(node)):
        if field.name == "span":
            continue
        value = getattr(node, field.name)
        for child in value if isinstance(value, tuple) else (value,):
            yield from spans(child)


def same(a: ParseResult, b: ParseResult) -> None:
    assert a.script == b.script
    assert list(spans(a.script)) == list(spans(b.script))
    assert a.diagnostics == b.diagnostics


LINES = ["\n", "# a note\n", "  # an indented note\n", "\r\n", "\n\n\n"]
"""Whole lines: inserted at the start of a line, they keep the text valid, so the reuse is exercised."""

edits = st.lists(st.one_of(
    st.tuples(st.just("line"), st.floats(0, 1), st.just(0), st.sampled_from(LINES)),
    st.tuples(st.just("any"), st.floats(0, 1), st.integers(0, 12), st.sampled_from(SNIPPETS)),
), min_size=1, max_size=12)


@settings(max_examples=25)
@given(edits)
def test_after_any_edits_the_parse_is_wf_checks(changes: list[tuple[str, float, int, str]]) -> None:
    reparser = Reparser()
    text = BASE
    same(reparser.parse(SourceFile("doc.wf", text)), parse_source(SourceFile("doc.wf", text)))
    for kind, where, removed, inserted in changes:
        at = int(where * len(text))
        if kind == "line":
            at = text.rfind("\n", 0, at) + 1
        text = text[:at] + inserted + text[at + removed:]
        source = SourceFile("doc.wf", text)
        same(reparser.parse(source), parse_source(source))


def test_typing_in_one_workflow_reuses_the_others() -> None:
    reparser = Reparser()
    first = reparser.parse(SourceFile("doc.wf", BASE)).script.items
    second = BASE.index("\n", BASE.index("\nworkflow", BASE.index("\nworkflow") + 1) + 1) + 1
    edited = BASE[:second] + "  # a comment in the second workflow\n" + BASE[second:]
    again = reparser.parse(SourceFile("doc.wf", edited))
    same(again, parse_source(SourceFile("doc.wf", edited)))
    items = again.script.items
    assert items[0] is first[0]  # before the edit: the same objects
    assert items[1] == first[1] and items[1] is not first[1]  # parsed again
    assert items[2] == first[2] and items[2].span.line == first[2].span.line + 1  # moved one line down
