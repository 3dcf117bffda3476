"""The parser's own reduce callbacks (``lalr.reduce_callbacks``): the hand-written fast paths build
exactly the AST, spans included, that the generic per-rule callbacks build; every fast path names a
rule that exists; node makers fall back to the class when it has validation to run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from werkstroom.grammar import ast as A
from werkstroom.grammar import lalr, lowering
from werkstroom.grammar import parser as P
from werkstroom.source import Span

ROOT = Path(__file__).parents[2]
SCRIPTS = sorted([*(ROOT / "examples").glob("*.wf"), *(ROOT / "werkstroom/stdlib/templates").glob("*.wf")])

EXTRA = """\
workflow W-1 "all constructs"
  category PURCHDOC
  on E when a.b.c = 1 and (x in [1, 2.5, "t", 2026-01-02, 1..3, ..4, 5.., CM+1D]) or not y then
     do it "now" 1 2.5 2026-01-31 1W, due in 2D, to "x" as first
     reply, again
     on F when z not in 1..5 and n is not empty and n is empty and m contains "q" then continue at first
     on G when any lines with qty > 8 and all lines and no lines with q = 0 then
        stop now as second
     on H when credit_limit_lcy increased and old.limit > 1 and c starts with "a" and d ends with "b" then
        continue at second
  on I then stop
workflow W-2
on J when flag = true and other = no and t = yes and f = false then done
"""


def _table() -> dict[Any, Any]:
    return lalr._get_parser().parser.parser.parser.callbacks  # type: ignore[no-any-return]


def _nodes(node: Any, where: str = "") -> Iterator[tuple[str, Any]]:
    """Every node and field value under ``node`` with a path, spans included."""
    yield where, node
    if attrs.has(type(node)):
        for f in attrs.fields(type(node)):
            yield from _nodes(getattr(node, f.name), f"{where}.{f.name}")
    elif isinstance(node, tuple) and not isinstance(node, Span):
        for i, x in enumerate(node):
            yield from _nodes(x, f"{where}[{i}]")


def _generic_parse(text: str, monkeypatch: pytest.MonkeyPatch) -> P.ParseResult:
    table = _table()
    saved = dict(table)
    monkeypatch.setattr(lalr._BUILDER, "FAST", {})
    try:
        table.update(lalr.reduce_callbacks(lalr._BUILDER, list(table)))
        return P.parse(text, "t.wf")
    finally:
        table.update(saved)


@pytest.mark.parametrize("text", [*(p.read_text(encoding="utf-8") for p in SCRIPTS), EXTRA,
                                  EXTRA.replace("\n", "\r"), "on A then b\n"],
                         ids=[*(p.name for p in SCRIPTS), "extra", "extra-lone-cr", "one-liner"])
def test_fast_paths_build_the_same_ast_and_spans_as_the_generic_callbacks(
        text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = P.parse(text, "t.wf")
    assert not [d for d in fast.diagnostics if d.is_error], fast.diagnostics
    generic = _generic_parse(text, monkeypatch)
    assert fast.script == generic.script
    assert fast.diagnostics == generic.diagnostics
    a = list(_nodes(fast.script))
    b = list(_nodes(generic.script))
    assert [(w, type(x)) for w, x in a] == [(w, type(x)) for w, x in b]
    for (where, x), (_, y) in zip(a, b, strict=True):
        assert x == y, where
    # the fast table really was the one used for `fast`
    assert P.parse(text, "t.wf").script == fast.script


def test_every_fast_path_names_a_rule_of_the_grammar() -> None:
    keys = {lalr._rule_key(r) for r in _table()}
    stale = set(lowering.Builder.FAST) - keys
    assert not stale, f"fast paths for rules the grammar no longer has: {sorted(stale)}"
    for name in lowering.Builder.FAST.values():
        assert callable(getattr(lalr._BUILDER, name))


def test_helper_rules_are_shown_with_stable_names() -> None:
    keys = {lalr._rule_key(r) for r in _table()}
    assert "phrase: _phrase+" in keys
    assert "_phrase+: _phrase+ _part" in keys
    assert "_body: _NL _INDENT _body+ _DEDENT" in keys
    assert "start:" in keys


def test_the_callbacks_never_build_lark_trees() -> None:
    from lark import Tree

    r = P.parse(EXTRA, "t.wf")
    assert not any(isinstance(x, Tree) for _, x in _nodes(r.script))


def test_node_maker_fills_the_fields_like_the_class() -> None:
    span = Span("f", 1, 2, 1, 2, 1, 3)
    step = lowering._maker(A.Step)(A.Name("E"), None, (), span)
    assert step == A.Step(A.Name("E"), None, ())
    assert step.span is span
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        step.event = A.Name("F")  # type: ignore[misc]


@attrs.frozen
class _Checked:
    value: int = attrs.field(validator=attrs.validators.instance_of(int))
    span: Span = attrs.field(default=Span("f", 0, 0, 1, 1, 1, 1), kw_only=True, eq=False)


def test_node_maker_runs_the_class_when_it_validates() -> None:
    make = lowering._maker(_Checked)
    span = Span("f", 1, 2, 1, 2, 1, 3)
    assert make(3, span) == _Checked(3) and make(3, span).span is span
    with pytest.raises(TypeError):
        make("3", span)



AST_CLASSES = [c for c in vars(A).values() if isinstance(c, type) and attrs.has(c)]


@pytest.mark.parametrize("cls", AST_CLASSES, ids=[c.__name__ for c in AST_CLASSES])
def test_node_maker_agrees_with_the_class_for_every_node_type(cls: type) -> None:
    fields = attrs.fields(cls)
    values = [object() for _ in fields]
    made: Any = lowering._maker(cls)(*values)
    args = [v for f, v in zip(fields, values, strict=True) if not f.kw_only]
    kw = {f.name: v for f, v in zip(fields, values, strict=True) if f.kw_only}
    expected = cls(*args, **kw)
    assert type(made) is cls
    assert all(getattr(made, f.name) is getattr(expected, f.name) for f in fields)
    assert made == expected
