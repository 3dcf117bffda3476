"""The compiled condition agrees with a direct tree-walking reading of the documented semantics, on
random conditions and random records (hypothesis)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from werkstroom.binding.compiler import compile_condition
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

NUM = BField(("n",), K.DECIMAL)
TXT = BField(("t",), K.TEXT)
OLD_NUM = BField(("n",), K.DECIMAL, old=True)
LINE_Q = BField(("q",), K.DECIMAL)
OPS = ["=", "<>", "<", "<=", ">", ">="]

decimals = st.sampled_from([Decimal(x) for x in ("-1", "0", "0.5", "1", "2.50", "10")])
texts = st.sampled_from(["", "a", "Ab", "abc", "B", "xyz"])
maybe_num = st.one_of(st.none(), decimals)
maybe_txt = st.one_of(st.none(), texts)


def const_num() -> st.SearchStrategy[BConst]:
    return decimals.map(lambda d: BConst(d, K.DECIMAL))


atoms: st.SearchStrategy[BExpr] = st.one_of(
    st.builds(lambda op, c: BCompare(op, NUM, c), st.sampled_from(OPS), const_num()),
    st.builds(lambda op, c: BCompare(op, TXT, BConst(c, K.TEXT)), st.sampled_from(OPS), texts),
    st.builds(lambda op: BCompare(op, NUM, OLD_NUM), st.sampled_from(OPS)),
    st.builds(lambda items, neg: BIn(NUM, tuple(items), neg),
              st.lists(st.one_of(const_num(), st.builds(BRange, st.one_of(st.none(), const_num()),
                                                        st.one_of(st.none(), const_num()))),
                       min_size=1, max_size=3), st.booleans()),
    st.builds(lambda op, p: BText(op, TXT, BConst(p, K.TEXT)),
              st.sampled_from(["contains", "starts with", "ends with"]), texts),
    st.builds(lambda op: BText(op, TXT, None), st.sampled_from(["is empty", "is not empty"])),
    st.builds(lambda k: BChange(NUM, k), st.sampled_from(["increased", "decreased", "changed"])),
    st.builds(lambda q, op, c: BQuantified(q, ("lines",), "L", BCompare(op, LINE_Q, c)),
              st.sampled_from(["any", "all", "no"]), st.sampled_from(OPS), const_num()),
)

conditions: st.SearchStrategy[BExpr] = st.recursive(
    atoms,
    lambda inner: st.one_of(
        st.lists(inner, min_size=2, max_size=3).map(lambda xs: BAnd(tuple(xs))),
        st.lists(inner, min_size=2, max_size=3).map(lambda xs: BOr(tuple(xs))),
        inner.map(BNot),
    ),
    max_leaves=8,
)


def fold(v: Any) -> Any:
    return v.casefold() if isinstance(v, str) else v


def cmp(op: str, a: Any, b: Any) -> bool:
    if a is None or b is None:
        return False
    a, b = fold(a), fold(b)
    return bool({"=": a == b, "<>": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op])


def reference(e: BExpr, r: dict[str, Any], o: dict[str, Any] | None, lines: list[dict[str, Any]]) -> bool:
    """docs/engine.md "Conditions", read literally."""
    def val(x: BExpr, rec: dict[str, Any], old: dict[str, Any] | None) -> Any:
        if isinstance(x, BConst):
            return x.value
        assert isinstance(x, BField)
        src = old if x.old else rec
        return None if src is None else src.get(x.path[-1])

    def ev(x: BExpr, rec: dict[str, Any], old: dict[str, Any] | None) -> bool:
        if isinstance(x, BAnd):
            return all(ev(y, rec, old) for y in x.operands)
        if isinstance(x, BOr):
            return any(ev(y, rec, old) for y in x.operands)
        if isinstance(x, BNot):
            return not ev(x.operand, rec, old)
        if isinstance(x, BCompare):
            return cmp(x.op, val(x.left, rec, old), val(x.right, rec, old))
        if isinstance(x, BIn):
            v = val(x.operand, rec, old)
            if v is None:
                return False
            hit = False
            for item in x.items:
                if isinstance(item, BConst):
                    hit = hit or v == item.value
                else:
                    lo_ok = item.low is None or item.low.value <= v
                    hi_ok = item.high is None or v <= item.high.value
                    hit = hit or (lo_ok and hi_ok)
            return (not hit) if x.negated else hit
        if isinstance(x, BText):
            v = val(x.operand, rec, old)
            if x.op == "is empty":
                return v is None or v == ""
            if x.op == "is not empty":
                return not (v is None or v == "")
            if v is None:
                return False
            assert x.pattern is not None
            p = str(x.pattern.value).casefold()
            s = str(v).casefold()
            return {"contains": p in s, "starts with": s.startswith(p), "ends with": s.endswith(p)}[x.op]
        if isinstance(x, BChange):
            if old is None:
                return False
            a, b = old.get("n"), rec.get("n")
            if x.kind == "changed":
                return bool(a != b)
            if a is None or b is None:
                return False
            return bool(a < b) if x.kind == "increased" else bool(a > b)
        if isinstance(x, BQuantified):
            assert x.condition is not None
            results = [ev(x.condition, line, None) for line in lines]
            return {"any": any(results), "all": all(results), "no": not any(results)}[x.quantifier]
        raise AssertionError(x)

    return ev(e, r, o)


@settings(max_examples=400, deadline=None)
@given(conditions, maybe_num, maybe_txt, st.one_of(st.none(), st.fixed_dictionaries({"n": maybe_num})),
       st.lists(st.fixed_dictionaries({"q": maybe_num}), max_size=3))
def test_compiled_agrees_with_the_documented_semantics(e: BExpr, n: Any, t: Any, old: dict[str, Any] | None,
                                                       lines: list[dict[str, Any]]) -> None:
    record = {k: v for k, v in (("n", n), ("t", t)) if v is not None}

    def lookup(values: Any, relation: str) -> list[dict[str, Any]]:
        return lines if relation == "lines" else []

    compiled = compile_condition(e)
    want = reference(e, record, old, lines)
    assert compiled(record, old, lookup) is want
    assert compiled.explain(record, old, lookup).result is want
