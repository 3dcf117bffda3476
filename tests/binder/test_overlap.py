"""The meaning checks: overlap witnesses really satisfy both conditions, gaps and unreachable steps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.binder.fakecat import RECORDS
from werkstroom.binding.overlap import MAX_TERMS, apart, both, dnf, none_of, pins
from werkstroom.binding.program import (
    BAnd,
    BCompare,
    BConst,
    BExpr,
    BField,
    BIn,
    BNot,
    BOr,
    BQuantified,
    BRange,
    BText,
)
from werkstroom.catalogue.specs import FieldKind as K

rec = RECORDS.get
AMT = BField(("amount",), K.DECIMAL)
PA = BField(("pending_approvals",), K.INTEGER)
DT = BField(("document_type",), K.ENUM, enum="DocType")
PD = BField(("posting_date",), K.DATE)
VAT = BField(("prices_including_vat",), K.BOOLEAN)


def amt(op: str, v: int) -> BCompare:
    return BCompare(op, AMT, BConst(Decimal(v), K.DECIMAL))


def doc(op: str, v: str) -> BCompare:
    return BCompare(op, DT, BConst(v, K.ENUM))


def evaluate(e: BExpr | None, record: dict[str, Any]) -> bool:
    """A reference evaluator for the tests (constants only, one record)."""
    if e is None:
        return True
    if isinstance(e, BAnd):
        return all(evaluate(o, record) for o in e.operands)
    if isinstance(e, BOr):
        return any(evaluate(o, record) for o in e.operands)
    if isinstance(e, BNot):
        return not evaluate(e.operand, record)
    if isinstance(e, BCompare):
        assert isinstance(e.left, BField) and isinstance(e.right, BConst)
        a, b = record[e.left.path[-1]], e.right.value
        return {"=": a == b, "<>": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[e.op]
    if isinstance(e, BIn):
        v = record[e.operand.path[-1]]
        hit = any((v == i.value) if isinstance(i, BConst) else
                  ((i.low is None or v >= i.low.value) and (i.high is None or v <= i.high.value))
                  for i in e.items)
        return hit != e.negated
    raise AssertionError(e)


def parse_witness(w: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in w.items():
        out[k] = Decimal(v) if k == "amount" else int(v) if k == "pending_approvals" else v.strip('"')
    return out


def test_overlap_witness_is_concrete() -> None:
    a = BAnd((doc("=", "Invoice"), amt(">", 1000)))
    assert both(a, amt("<", 5000), rec, "PurchaseHeader") == {"document_type": "Invoice", "amount": "1001"}
    assert both(a, amt("<", 500), rec, "PurchaseHeader") is None
    assert both(a, doc("<>", "Invoice"), rec, "PurchaseHeader") is None
    assert both(a, None, rec, "PurchaseHeader") is not None


def test_enums_dates_booleans_and_lists() -> None:
    in_list = BIn(DT, (BConst("Invoice", K.ENUM), BConst("Order", K.ENUM)))
    assert both(in_list, doc("<>", "Invoice"), rec, "PurchaseHeader") == {"document_type": "Order"}
    assert both(in_list, BIn(DT, (BConst("Quote", K.ENUM),)), rec, "PurchaseHeader") is None
    d1 = BCompare(">", PD, BConst(dt.date(2026, 1, 31), K.DATE))
    d2 = BCompare("<", PD, BConst(dt.date(2026, 2, 1), K.DATE))
    assert both(d1, d2, rec, "PurchaseHeader") is None  # no whole day between
    d3 = BCompare("<", PD, BConst(dt.date(2026, 2, 2), K.DATE))
    assert both(d1, d3, rec, "PurchaseHeader") == {"posting_date": "2026-02-01"}
    t = BCompare("=", VAT, BConst(True, K.BOOLEAN))
    assert both(t, BNot(t), rec, "PurchaseHeader") is None
    rng = BIn(AMT, (BRange(BConst(Decimal(100), K.DECIMAL), BConst(Decimal(500), K.DECIMAL)),), negated=True)
    assert both(rng, BAnd((amt(">=", 100), amt("<=", 500))), rec, "PurchaseHeader") is None


def test_opaque_tests_are_independent_facts() -> None:
    c = BText("contains", BField(("posting_description",), K.TEXT), BConst("x", K.TEXT))
    assert both(c, BNot(c), rec, "PurchaseHeader") is None
    assert both(c, amt(">", 1), rec, "PurchaseHeader") is not None


def test_gaps_and_coverage() -> None:
    assert none_of([amt(">", 1000), amt("<", 500)], rec, "PurchaseHeader") == {"amount": "500"}
    assert none_of([amt(">=", 500), amt("<", 500)], rec, "PurchaseHeader") is None
    zero = BCompare("=", PA, BConst(0, K.INTEGER))
    positive = BCompare(">", PA, BConst(0, K.INTEGER))
    assert none_of([zero, positive], rec, "ApprovalEntry") is None  # a count is never negative
    assert none_of([zero], rec, "ApprovalEntry") == {"pending_approvals": "1"}


def test_too_complex_conditions_are_left_alone() -> None:
    wide = BAnd(tuple(BOr((amt("=", i), amt("=", i + 1000))) for i in range(10)))
    assert MAX_TERMS < 2 ** 10
    assert both(wide, None, rec, "PurchaseHeader") is None
    try:
        dnf(wide)
    except Exception as exc:
        assert type(exc).__name__ == "TooComplex"


ops = st.sampled_from(["=", "<>", "<", "<=", ">", ">="])
atoms = st.builds(lambda op, v: amt(op, v), ops, st.integers(-5, 5)) | st.builds(
    lambda op, v: doc(op, v), st.sampled_from(["=", "<>"]), st.sampled_from(["Quote", "Order", "Invoice"]))
conds: st.SearchStrategy[BExpr] = st.recursive(
    atoms, lambda inner: st.builds(lambda a, b: BAnd((a, b)), inner, inner)
    | st.builds(lambda a, b: BOr((a, b)), inner, inner) | st.builds(BNot, inner), max_leaves=6)


@settings(max_examples=150, deadline=None)
@given(conds, conds)
def test_witness_satisfies_both_and_none_means_none(a: BExpr, b: BExpr) -> None:
    w = both(a, b, rec, "PurchaseHeader")
    if w is not None:
        record = {"amount": Decimal(0), "document_type": "Quote", **parse_witness(w)}
        assert evaluate(a, record) and evaluate(b, record)
    else:  # no record in a small grid matches both
        for v in range(-7, 8):
            for d in ("Quote", "Order", "Invoice", "Credit Memo"):
                for frac in (Decimal(0), Decimal("0.5")):
                    record = {"amount": Decimal(v) + frac, "document_type": d}
                    assert not (evaluate(a, record) and evaluate(b, record))


def test_emptiness_tests_cover_each_other() -> None:
    cc = BField(("currency_code",), K.CODE)
    empty = BText("is empty", cc, None)
    not_empty = BText("is not empty", cc, None)
    assert none_of([empty, not_empty], rec, "PurchaseHeader") is None
    assert both(empty, not_empty, rec, "PurchaseHeader") is None
    assert both(empty, BCompare("=", cc, BConst("EUR", K.CODE)), rec, "PurchaseHeader") is None
    assert none_of([empty], rec, "PurchaseHeader") == {"currency_code": "X"}
    pd = BText("is empty", PD, None)
    assert none_of([pd, BText("is not empty", PD, None)], rec, "PurchaseHeader") is None


def test_quantifiers_are_normalised() -> None:
    q = BCompare(">", BField(("quantity",), K.DECIMAL), BConst(Decimal(8), K.DECIMAL))
    any_ = BQuantified("any", ("lines",), "PurchaseLine", q)
    no = BQuantified("no", ("lines",), "PurchaseLine", q)
    all_not = BQuantified("all", ("lines",), "PurchaseLine", BNot(q))
    assert none_of([any_, no], rec, "PurchaseHeader") is None
    assert both(any_, no, rec, "PurchaseHeader") is None
    assert both(any_, all_not, rec, "PurchaseHeader") is None
    assert both(no, all_not, rec, "PurchaseHeader") is not None


@settings(max_examples=200, deadline=None)
@given(conds, conds)
def test_conditions_pinned_apart_never_overlap(a: BExpr, b: BExpr) -> None:
    """Enabling skips an enabled workflow whose entry condition is pinned apart from the new one's
    (``apart``) without solving: that must never hide an overlap the solver would find."""
    if apart(pins(a), pins(b)):
        assert both(a, b, rec, "PurchaseHeader") is None


def test_pins_tell_companies_and_document_types_apart() -> None:
    order_or_quote = BOr((doc("=", "Order"), doc("=", "Quote")))
    assert apart(pins(BAnd((doc("=", "Invoice"), amt(">", 1000)))), pins(order_or_quote))
    order_or_invoice = BIn(DT, (BConst("Order", K.ENUM), BConst("Invoice", K.ENUM)))
    assert not apart(pins(order_or_invoice), pins(order_or_quote))
    assert not apart(pins(doc("=", "Invoice")), pins(None)) and pins(BNot(doc("=", "Invoice"))) == {}
    assert not apart(pins(amt("=", 5)), pins(BCompare("=", AMT, BConst(Decimal("5.00"), K.DECIMAL))))
