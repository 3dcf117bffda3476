"""The parser builds the right AST, with exact spans, for every construct of the language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

import werkstroom
from werkstroom.grammar import ast as A
from werkstroom.grammar.parser import parse

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.wf"))


def cond(text: str) -> A.Expr:
    r = parse(f"on E when {text} then x")
    assert r.diagnostics == (), [d.message for d in r.diagnostics]
    step = r.script.items[0]
    assert isinstance(step, A.Step) and step.condition is not None
    return step.condition


def ref(*names: str) -> A.Ref:
    return A.Ref(tuple(A.Name(n) for n in names))


def test_werkstroom_parse_is_exported_lazily() -> None:
    assert werkstroom.parse is parse


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_examples_parse_clean(path: Path) -> None:
    r = parse(path.read_text(encoding="utf-8"), str(path))
    assert r.diagnostics == ()
    assert r.script.items


def test_one_liner() -> None:
    r = parse("on PurchaseDocReleased when amount > 1000 then request approval from approver chain")
    assert r.script == A.Script((A.Step(
        A.Name("PurchaseDocReleased"),
        A.Compare(">", ref("amount"), A.IntLit(1000)),
        (A.Response(A.Phrase(tuple(A.Name(w) for w in ["request", "approval", "from", "approver",
                                                       "chain"]))),),
    ),))


def test_workflow_block_nesting_and_jumps() -> None:
    text = (Path(__file__).parents[2] / "examples" / "purchase-invoice-eu.wf").read_text()
    wf = parse(text).script.items[0]
    assert isinstance(wf, A.Workflow)
    assert wf.code == A.Name("PIAPW-EU")
    assert wf.description == A.TextLit("Purchase invoice approval (EU)")
    assert wf.category == A.Name("PURCHDOC")
    (entry,) = wf.steps
    assert entry.event.text == "PurchaseDocSentForApproval"
    responses = [b for b in entry.body if isinstance(b, A.Response)]
    nested = [b for b in entry.body if isinstance(b, A.Step)]
    assert [r.phrase.words for r in responses][:2] == ["restrict record usage",
                                                       "set status to pending approval"]
    create = responses[2]
    assert [o.words for o in create.options] == ["due in 2D", "delegate after 5D"]
    assert create.options[0].parts[-1] == A.FormulaLit("2D")
    assert responses[3].label == A.Name("send")
    assert [s.event.text for s in nested] == ["ApprovalRequestApproved", "ApprovalRequestApproved",
                                              "ApprovalRequestRejected", "ApprovalRequestDelegated"]
    assert nested[1].body == (
        A.Response(A.Phrase(tuple(A.Name(w) for w in ["send", "approval", "requests"]))),
        A.Jump(A.Name("send")),
    )


def test_keywords_are_case_insensitive_and_soft() -> None:
    r = parse("ON Released WHEN Amount > 1 THEN notify on then when")
    step = r.script.items[0]
    assert isinstance(step, A.Step)
    assert step.body[0] == A.Response(A.Phrase(tuple(A.Name(w) for w in ["notify", "on", "then", "when"])))


def test_words_with_slash_and_codes_with_hyphens() -> None:
    r = parse('workflow MS-PIAPW "x"\n  on E then notify salesperson/purchaser\n')
    wf = r.script.items[0]
    assert isinstance(wf, A.Workflow) and wf.code.text == "MS-PIAPW"
    assert wf.steps[0].body[0].phrase.parts[1] == A.Name("salesperson/purchaser")  # type: ignore[union-attr]


def test_literals() -> None:
    r = parse('on E then x "a \\"q\\" \\\\ b" 12 -3 1000.50 2026-01-31 2d 1W -1w CM CM+1D 10 days')
    parts = r.script.items[0].body[0].phrase.parts  # type: ignore[union-attr]
    assert parts[1:] == (A.TextLit('a "q" \\ b'), A.IntLit(12), A.IntLit(-3),
                         A.DecimalLit(Decimal("1000.50")), A.DateLit(dt.date(2026, 1, 31)),
                         A.FormulaLit("2D"), A.FormulaLit("1W"),
                         A.FormulaLit("-1W"), A.FormulaLit("CM"), A.FormulaLit("CM+1D"), A.IntLit(10),
                         A.Name("days"))
    assert isinstance(parts[4].value, Decimal)


def test_booleans() -> None:
    assert cond("a = true or b = no or c = YES or d = False") == A.Or((
        A.Compare("=", ref("a"), A.BoolLit(True)), A.Compare("=", ref("b"), A.BoolLit(False)),
        A.Compare("=", ref("c"), A.BoolLit(True)), A.Compare("=", ref("d"), A.BoolLit(False))))


def test_precedence_and_parentheses() -> None:
    a, b, c = (A.Compare("=", ref(n), A.IntLit(1)) for n in "abc")
    assert cond("a = 1 or b = 1 and c = 1") == A.Or((a, A.And((b, c))))
    assert cond("(a = 1 or b = 1) and c = 1") == A.And((A.Or((a, b)), c))
    assert cond("not a = 1 and b = 1") == A.And((A.Not(a), b))
    assert cond("not (a = 1 and b = 1)") == A.Not(A.And((a, b)))
    assert cond("a = 1 or (b = 1 or c = 1)") == A.Or((a, A.Or((b, c))))


@pytest.mark.parametrize("op", ["=", "<>", "<", "<=", ">", ">="])
def test_comparisons(op: str) -> None:
    assert cond(f"vendor.blocked {op} Open") == A.Compare(op, ref("vendor", "blocked"), ref("Open"))


def test_lists_ranges_and_text_tests() -> None:
    assert cond('x in [1, "b", 3..5, ..2, Invoice]') == A.InList(ref("x"), (
        A.IntLit(1), A.TextLit("b"), A.Range(A.IntLit(3), A.IntLit(5)), A.Range(None, A.IntLit(2)),
        ref("Invoice")))
    assert cond("x not in []") == A.InList(ref("x"), (), negated=True)
    assert cond("x in 100..500") == A.InRange(ref("x"), A.Range(A.IntLit(100), A.IntLit(500)))
    assert cond("x not in 2026-01-01..") == A.InRange(
        ref("x"), A.Range(A.DateLit(dt.date(2026, 1, 1)), None), negated=True)
    assert cond('name contains "ltd"') == A.TextTest("contains", ref("name"), A.TextLit("ltd"))
    assert cond('name starts with "A"') == A.TextTest("starts with", ref("name"), A.TextLit("A"))
    assert cond('name ends with "Z"') == A.TextTest("ends with", ref("name"), A.TextLit("Z"))
    assert cond("name is empty") == A.TextTest("is empty", ref("name"), None)
    assert cond("name is not empty") == A.TextTest("is not empty", ref("name"), None)


def test_change_tests_old_values_and_quantifiers() -> None:
    assert cond("credit_limit_lcy increased") == A.ChangeTest(ref("credit_limit_lcy"), "increased")
    assert cond("x Decreased") == A.ChangeTest(ref("x"), "decreased")
    assert cond("old.credit_limit_lcy < credit_limit_lcy") == A.Compare(
        "<", ref("old", "credit_limit_lcy"), ref("credit_limit_lcy"))
    q = A.Compare(">", ref("quantity"), A.IntLit(8))
    assert cond("any lines with quantity > 8") == A.Quantified("any", ref("lines"), q)
    assert cond("all lines with quantity > 8 and x = 1") == A.And((
        A.Quantified("all", ref("lines"), q), A.Compare("=", ref("x"), A.IntLit(1))))
    assert cond("no lines") == A.Quantified("no", ref("lines"), None)


def test_condition_may_wrap_between_on_and_then() -> None:
    r = parse("workflow W\n  on E\n     when a = 1\n and\n        b = 2\n  then\n     x\n")
    assert r.diagnostics == ()
    wf = r.script.items[0]
    assert isinstance(wf, A.Workflow) and isinstance(wf.steps[0].condition, A.And)


def test_spans_are_exact() -> None:
    text = "workflow W\n  on Released when amount > 1000 then\n     release document as rel\n"
    r = parse(text, "f.wf")
    wf = r.script.items[0]
    assert isinstance(wf, A.Workflow)
    step = wf.steps[0]
    assert (step.span.line, step.span.col) == (2, 3)
    assert step.event.span.path == "f.wf"
    assert text[step.event.span.start:step.event.span.end] == "Released"
    c = step.condition
    assert isinstance(c, A.Compare)
    assert text[c.span.start:c.span.end] == "amount > 1000"
    assert (c.right.span.line, c.right.span.col, c.right.span.end_col) == (2, 29, 33)
    resp = step.body[0]
    assert isinstance(resp, A.Response)
    assert text[resp.span.start:resp.span.end] == "release document as rel"
    assert (resp.span.line, resp.span.col) == (3, 6)
    assert text[wf.span.start:wf.span.end].startswith("workflow W")


def test_spans_with_lone_carriage_returns() -> None:
    r = parse("on A then\r   x\r   y\r", "cr.wf")
    assert r.diagnostics == ()
    step = r.script.items[0]
    assert isinstance(step, A.Step)
    assert [(b.span.line, b.span.col) for b in step.body] == [(2, 4), (3, 4)]


def test_several_errors_are_reported() -> None:
    text = "on A when x = 1 y\non B then z\nworkflow W\n  on C when then q\n  on D then ok\n"
    r = parse(text)
    assert [(d.code, d.span.line) for d in r.diagnostics if d.span] == [("WF103", 1), ("WF109", 4)]
    # what parsed cleanly is still there
    assert [getattr(i, "event", getattr(i, "code", None)).text for i in r.script.items] == ["B"]


def test_parse_result_is_frozen_and_ok() -> None:
    r = parse("on A then b")
    assert r.ok
    assert not parse("on A b").ok


def test_recovery_keeps_the_items_around_errors() -> None:
    good = "on A when x = 1 then y\n"
    text = good * 300 + "on B b\n" + good * 200 + "workflow W\n  on C when then q\n" + good * 100
    r = parse(text)
    assert [(d.code, d.span.line) for d in r.diagnostics if d.span] == [("WF103", 301), ("WF109", 503)]
    assert len(r.script.items) == 600


def test_error_count_is_capped() -> None:
    r = parse("on A when x = 1 y\n" * 500)
    assert len(r.diagnostics) == 50
