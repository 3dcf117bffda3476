"""Value sets of one ordered field as unions of intervals: meeting, complementing and picking a value.

Whole numbers and dates are discrete (an open bound becomes the closed bound next to it); decimals,
times and text are dense. ``overlap.py`` solves a condition's conjunctions with these sets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs

from ..catalogue.specs import FieldKind
from .program import BConst, BRange


@attrs.frozen
class Interval:
    lo: Any = None
    lo_inc: bool = False
    hi: Any = None
    hi_inc: bool = False


FULL = (Interval(),)


def discrete_step(kind: FieldKind) -> Any:
    if kind is FieldKind.INTEGER:
        return 1
    if kind is FieldKind.DATE:
        return dt.timedelta(days=1)
    return None


def normal(iv: Interval, kind: FieldKind) -> Interval | None:
    """Closed bounds for discrete kinds; None when empty."""
    step = discrete_step(kind)
    lo, lo_inc, hi, hi_inc = iv.lo, iv.lo_inc, iv.hi, iv.hi_inc
    if step is not None:
        try:
            if lo is not None and not lo_inc:
                lo, lo_inc = lo + step, True
            if hi is not None and not hi_inc:
                hi, hi_inc = hi - step, True
        except OverflowError:  # after 9999-12-31 or before 0001-01-01: no date is there
            return None
    if lo is not None and hi is not None and (lo > hi or (lo == hi and not (lo_inc and hi_inc))):
        return None
    return Interval(lo, lo_inc, hi, hi_inc)


def meet(a: Interval, b: Interval, kind: FieldKind) -> Interval | None:
    if a.lo is None or (b.lo is not None and (b.lo > a.lo or (b.lo == a.lo and not b.lo_inc))):
        lo, lo_inc = b.lo, b.lo_inc
    else:
        lo, lo_inc = a.lo, a.lo_inc
    if a.hi is None or (b.hi is not None and (b.hi < a.hi or (b.hi == a.hi and not b.hi_inc))):
        hi, hi_inc = b.hi, b.hi_inc
    else:
        hi, hi_inc = a.hi, a.hi_inc
    return normal(Interval(lo, lo_inc, hi, hi_inc), kind)


def intersect(a: Sequence[Interval], b: Sequence[Interval], kind: FieldKind) -> tuple[Interval, ...]:
    out = []
    for x in a:
        for y in b:
            m = meet(x, y, kind)
            if m is not None:
                out.append(m)
    return tuple(out)


def op_set(op: str, v: Any) -> tuple[Interval, ...]:
    if op == "=":
        return (Interval(v, True, v, True),)
    if op == "<>":
        return (Interval(None, False, v, False), Interval(v, False, None, False))
    if op == "<":
        return (Interval(None, False, v, False),)
    if op == "<=":
        return (Interval(None, False, v, True),)
    if op == ">":
        return (Interval(v, False, None, False),)
    return (Interval(v, True, None, False),)


def item_set(item: BConst | BRange) -> tuple[Interval, ...]:
    if isinstance(item, BConst):
        return op_set("=", item.value)
    return (Interval(item.low.value if item.low else None, item.low is not None,
                     item.high.value if item.high else None, item.high is not None),)


def complement(iv: Interval) -> tuple[Interval, ...]:
    out = []
    if iv.lo is not None:
        out.append(Interval(None, False, iv.lo, not iv.lo_inc))
    if iv.hi is not None:
        out.append(Interval(iv.hi, not iv.hi_inc, None, False))
    return tuple(out)


def pick(iv: Interval, kind: FieldKind) -> Any:
    one: Any = discrete_step(kind) or (Decimal(1) if kind is FieldKind.DECIMAL else None)
    if iv.lo is not None and iv.lo_inc:
        return iv.lo
    if iv.hi is not None and iv.hi_inc and iv.lo is None:
        return iv.hi
    if kind in (FieldKind.TEXT, FieldKind.CODE):
        if iv.lo is not None:
            cand = str(iv.lo) + "A" if iv.lo else "X"
            return cand if iv.hi is None or cand < iv.hi else None
        if iv.hi is not None:
            return "" if iv.hi != "" else None
        return "X"
    if iv.lo is not None and iv.hi is not None:
        if one is not None and iv.lo + one < iv.hi:
            return iv.lo + one
        if kind is FieldKind.DECIMAL:
            return (iv.lo + iv.hi) / 2
        return iv.hi if iv.hi_inc else None
    if iv.lo is not None:
        return iv.lo + one if one is not None else iv.lo
    if iv.hi is not None:
        return iv.hi - one if one is not None else iv.hi
    if kind is FieldKind.DATE:
        return dt.date(2026, 1, 1)
    if kind is FieldKind.DATETIME:
        return dt.datetime(2026, 1, 1)
    return Decimal(0) if kind is FieldKind.DECIMAL else 0
