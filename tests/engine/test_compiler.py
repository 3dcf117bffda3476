"""The condition compiler: semantics, explain mode, limits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from werkstroom.binding.compiler import MAX_DEPTH, ConditionTooComplex, compile_condition, render
from werkstroom.binding.program import (
    BAnd,
    BChange,
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
from werkstroom.engine.facade import Engine

AMOUNT = BField(("amount",), K.DECIMAL)
NAME = BField(("name",), K.TEXT)


def none(values: Any, rel: str) -> list[Any]:
    return []


def ev(e: BExpr, r: dict[str, Any], old: dict[str, Any] | None = None, lookup: Any = none) -> bool:
    compiled = compile_condition(e)
    fast = compiled(r, old, lookup)
    assert compiled.explain(r, old, lookup).result == fast  # both forms agree
    return fast


def test_decimal_comparison_is_exact() -> None:
    e = BCompare(">", AMOUNT, BConst(Decimal("0.3"), K.DECIMAL))
    assert ev(e, {"amount": Decimal("0.1") + Decimal("0.2")}) is False
    assert ev(e, {"amount": Decimal("0.30000000000000001")}) is True


@pytest.mark.parametrize("op", ["=", "<>", "<", "<=", ">", ">="])
def test_missing_fields_are_null_and_every_comparison_is_false(op: str) -> None:
    e = BCompare(op, AMOUNT, BConst(Decimal(0), K.DECIMAL))
    assert ev(e, {}) is False
    assert ev(e, {"amount": None}) is False
    assert ev(BNot(e), {}) is True


def test_text_tests_ignore_case() -> None:
    assert ev(BText("contains", NAME, BConst("LTD", K.TEXT)), {"name": "Acme ltd."})
    assert ev(BText("starts with", NAME, BConst("acme", K.TEXT)), {"name": "ACME Ltd"})
    assert ev(BText("ends with", NAME, BConst("LTD", K.TEXT)), {"name": "Acme ltd"})
    assert ev(BCompare("=", NAME, BConst("acme", K.TEXT)), {"name": "ACME"})
    assert not ev(BText("contains", NAME, BConst("x", K.TEXT)), {})
    assert ev(BText("is empty", NAME, None), {"name": ""}) and ev(BText("is empty", NAME, None), {})
    assert ev(BText("is not empty", NAME, None), {"name": "a"})


def test_enum_compares_canonical_value_and_in_with_ranges() -> None:
    status = BField(("status",), K.ENUM, enum="S")
    assert ev(BCompare("=", status, BConst("Pending Approval", K.ENUM)), {"status": "Pending Approval"})
    e = BIn(AMOUNT, (BConst(Decimal(5), K.DECIMAL), BRange(BConst(Decimal(100), K.DECIMAL),
                                                            BConst(Decimal(500), K.DECIMAL))))
    assert [ev(e, {"amount": Decimal(v)}) for v in (5, 6, 100, 500, 501)] == [True, False, True, True, False]
    assert not ev(e, {}) and not ev(BIn(AMOUNT, e.items, negated=True), {})
    assert ev(BIn(AMOUNT, e.items, negated=True), {"amount": Decimal(6)})
    codes = BIn(BField(("vendor",), K.CODE), (BConst("V1", K.CODE),))
    assert ev(codes, {"vendor": "v1"})


def test_change_rules() -> None:
    inc = BChange(BField(("limit",), K.DECIMAL), "increased")
    dec = BChange(BField(("limit",), K.DECIMAL), "decreased")
    chg = BChange(BField(("name",), K.TEXT), "changed")
    assert ev(inc, {"limit": Decimal(10)}, {"limit": Decimal(5)})
    assert not ev(dec, {"limit": Decimal(10)}, {"limit": Decimal(5)})
    assert not ev(inc, {"limit": Decimal(10)}, None)  # no old record: no change known
    assert ev(chg, {"name": "b"}, {"name": "a"}) and not ev(chg, {"name": "a"}, {"name": "a"})
    assert ev(chg, {"name": "a"}, {})  # blank -> a is a change (compared as text)
    old_amount = BCompare("<", BField(("limit",), K.DECIMAL, old=True), BConst(Decimal(6), K.DECIMAL))
    assert ev(old_amount, {}, {"limit": Decimal(5)}) and not ev(old_amount, {}, None)


def test_dates_and_related_paths_and_quantifiers() -> None:
    d = BCompare("<", BField(("due",), K.DATE), BConst(dt.date(2026, 2, 1), K.DATE))
    assert ev(d, {"due": dt.date(2026, 1, 31)})

    def lookup(values: Any, rel: str) -> list[Any]:
        table: dict[str, list[Any]] = {"vendor": [{"blocked": True}],
                                       "lines": [{"q": Decimal(1)}, {"q": Decimal(9)}]}
        return table.get(rel, [])

    blocked = BField(("vendor", "blocked"), K.BOOLEAN)
    assert ev(blocked, {}, None, lookup) and not ev(blocked, {}, None, none)
    big = BCompare(">", BField(("q",), K.DECIMAL), BConst(Decimal(8), K.DECIMAL))
    assert ev(BQuantified("any", ("lines",), "L", big), {}, None, lookup)
    assert not ev(BQuantified("all", ("lines",), "L", big), {}, None, lookup)
    assert not ev(BQuantified("no", ("lines",), "L", big), {}, None, lookup)
    assert ev(BQuantified("any", ("lines",), "L", None), {}, None, lookup)
    assert ev(BQuantified("no", ("lines",), "L", None), {}, None, none)
    ex = compile_condition(BQuantified("any", ("lines",), "L", big)).explain({}, None, lookup)
    assert [(t.text, t.reads, t.result) for t in ex.tests] == [
        ("q > 8", (("lines.q", Decimal(1)),), False),
        ("q > 8", (("lines.q", Decimal(9)),), True),
        ("any lines with q > 8", (), True),
    ]


def test_explain_lists_every_test_with_values() -> None:
    e = BOr((BCompare(">", AMOUNT, BConst(Decimal(10), K.DECIMAL)),
             BText("contains", NAME, BConst("x", K.TEXT))))
    ex = compile_condition(e).explain({"amount": Decimal(3), "name": "xyz"}, None, none)
    assert ex.result is True
    assert [(t.text, t.reads, t.result) for t in ex.tests] == [
        ("amount > 10", (("amount", Decimal(3)),), False),
        ('name contains "x"', (("name", "xyz"),), True),
    ]
    assert render(e) == 'amount > 10 or name contains "x"'


def test_limits_raise_wf501() -> None:
    deep: BExpr = BCompare(">", AMOUNT, BConst(Decimal(1), K.DECIMAL))
    for _ in range(MAX_DEPTH + 1):
        deep = BNot(deep)
    with pytest.raises(ConditionTooComplex) as err:
        compile_condition(deep)
    assert err.value.code == "WF501"
    wide = BAnd(tuple(BCompare("=", AMOUNT, BConst(Decimal(i), K.DECIMAL)) for i in range(200)))
    with pytest.raises(ConditionTooComplex):
        compile_condition(wide)


def test_field_names_are_data_not_code() -> None:
    evil = BCompare("=", BField(("__import__('os').system('false')",), K.TEXT), BConst("x'); 1/0 #", K.TEXT))
    assert ev(evil, {"__import__('os').system('false')": "X'); 1/0 #"}) is True


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**6, max_value=10**6),
       st.sampled_from(["=", "<>", "<", "<=", ">", ">="]))
def test_compiled_matches_python_semantics(value: Decimal, op: str) -> None:
    limit = Decimal("1000.00")
    expected = {"=": value == limit, "<>": value != limit, "<": value < limit, "<=": value <= limit,
                ">": value > limit, ">=": value >= limit}[op]
    assert ev(BCompare(op, AMOUNT, BConst(limit, K.DECIMAL)), {"amount": value}) is expected


def test_deploy_refuses_a_too_complex_condition(engine: Engine) -> None:
    from .lib import W

    w = W("HUGE")
    wide = BOr(tuple(BCompare("=", AMOUNT, BConst(Decimal(i), K.DECIMAL)) for i in range(300)))
    w.event("DocSent", None, wide)
    with pytest.raises(ConditionTooComplex):
        engine.deploy_workflow(w.build())
    assert engine.workflows() == []
