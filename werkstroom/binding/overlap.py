"""Beyond BC: what conditions mean, not how they are written.

BC refuses two entry points on one event only when their condition *text* is equal. Here conditions
are compared by meaning:

* **Overlapping entry points** (WF420): two entry points on the same event (in one workflow or across
  the workflows checked together) that one record can satisfy both; the warning shows such a record.
* **Gaps** (WF421): two or more alternatives on the same event under one step, all with conditions,
  that leave some record unmatched (the instance would wait for ever); shown with such a record.
  ``pending_approvals = 0`` / ``> 0`` cover everything (integer flowfields are counts, never
  negative): no warning.
* **Unreachable alternatives** (WF422): an alternative whose every matching record is already taken
  by an earlier sibling on the same event (first match wins).
* **Contradictions** (WF423): a condition no record can meet (``amount > 5000 and amount < 1000``).

How: each condition is brought to negation normal form and then to a small disjunctive normal form
(at most ``MAX_TERMS`` conjunctions, else the analysis says nothing). A conjunction is satisfiable
when every field's constraints leave a value: ordered fields (numbers, dates, codes, text) as unions
of intervals (whole numbers and dates are discrete), enums and booleans as finite value sets.
Tests the solver does not model (``contains``, change tests, ``any lines``, field-to-field
comparisons) are treated as independent yes/no facts: consistent unless the same test is required
both true and false. A witness record picks one value per constrained field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, TypeAlias

import attrs

from ..catalogue.specs import EnumType, FieldKind, FieldSpec, RecordSpec
from ..codes import binding as c
from ..diagnostics import Diagnostic, Label, Severity
from .intervals import (
    FULL,
    Interval,
    complement,
    intersect,
    item_set,
    op_set,
    pick,
)
from .program import (
    BAnd,
    BChange,
    BCompare,
    BConst,
    BExpr,
    BField,
    BIn,
    BNot,
    BOr,
    BoundStep,
    BoundWorkflow,
    BQuantified,
    BText,
)

MAX_TERMS = 256

RecordLookup = Callable[[str], RecordSpec | None]

_NEG = {"=": "<>", "<>": "=", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}


# --------------------------------------------------------------------------- literals and DNF


@attrs.frozen
class Lit:
    """A literal of a conjunction: ``atom`` (a BCompare/BIn with a constant, or an opaque test) and
    whether it must hold (``positive``)."""

    atom: BExpr
    positive: bool = True


Term: TypeAlias = tuple[Lit, ...]


class TooComplex(Exception):
    pass


def _neg_lit(atom: BExpr) -> Lit:
    if isinstance(atom, BCompare) and isinstance(atom.right, BConst):
        return Lit(BCompare(_NEG[atom.op], atom.left, atom.right))
    if isinstance(atom, BIn):
        return Lit(BIn(atom.operand, atom.items, not atom.negated))
    return Lit(atom, False)


def dnf(e: BExpr | None, negate: bool = False) -> list[Term]:
    """Disjunctive normal form: a list of conjunctions (``[]`` is false, ``[()]`` is true)."""
    if e is None:
        return [] if negate else [()]
    if isinstance(e, BNot):
        return dnf(e.operand, not negate)
    if isinstance(e, BConst):
        truth = bool(e.value) != negate
        return [()] if truth else []
    if isinstance(e, BAnd | BOr):
        conj = isinstance(e, BAnd) != negate
        parts = [dnf(o, negate) for o in e.operands]
        if conj:
            out: list[Term] = [()]
            for p in parts:
                out = [a + b for a in out for b in p]
                if len(out) > MAX_TERMS:
                    raise TooComplex
            return out
        flat = [t for p in parts for t in p]
        if len(flat) > MAX_TERMS:
            raise TooComplex
        return flat
    if isinstance(e, BQuantified) and e.quantifier != "any":
        # no X with C == not (any X with C); all X with C == not (any X with not C)
        inner = e.condition
        if e.quantifier == "all":
            if inner is None:
                inner = BConst(False, FieldKind.BOOLEAN)
            else:
                inner = inner.operand if isinstance(inner, BNot) else BNot(inner)
        return dnf(BQuantified("any", e.relation, e.record_type, inner), not negate)
    if isinstance(e, BText) and e.op in ("is empty", "is not empty"):
        if e.op == "is not empty":
            return dnf(BText("is empty", e.operand, None), not negate)
        if e.operand.kind in (FieldKind.TEXT, FieldKind.CODE):
            return dnf(BCompare("=", e.operand, BConst("", e.operand.kind)), negate)
    if isinstance(e, BCompare) and isinstance(e.left, BField) and isinstance(e.right, BConst):
        return [(_neg_lit(e) if negate else Lit(e),)]
    if isinstance(e, BIn):
        return [(_neg_lit(e) if negate else Lit(e),)]
    return [(Lit(e, not negate),)]


# --------------------------------------------------------------------------- pins

Pins: TypeAlias = dict[tuple[tuple[str, ...], bool], frozenset[Any]]


def pins(e: BExpr | None) -> Pins:
    """The fields that ``e`` pins to a few constants (``=``, ``in``) in every conjunction, with the
    values a record meeting ``e`` can have there ({} when it pins none or is too complex). Two conditions
    that pin one field to disjoint values cannot overlap: no need to solve them (``apart``)."""
    try:
        terms = dnf(e)
    except TooComplex:
        return {}
    out: Pins | None = None
    for term in terms:
        mine: Pins = {}
        for lit in term:
            found = _pinned(lit)
            if found is not None:
                key, values = found
                mine[key] = mine[key] & values if key in mine else values
        out = mine if out is None else {k: out[k] | mine[k] for k in out.keys() & mine.keys()}
    return out or {}


def _pinned(lit: Lit) -> tuple[tuple[tuple[str, ...], bool], frozenset[Any]] | None:
    a = lit.atom
    if not lit.positive:
        return None
    if isinstance(a, BCompare) and a.op == "=" and isinstance(a.left, BField) and isinstance(a.right, BConst):
        return _key(a.left), frozenset({_pin_value(a.right.value)})
    if isinstance(a, BIn) and not a.negated and all(isinstance(i, BConst) for i in a.items):
        return _key(a.operand), frozenset(_pin_value(i.value) for i in a.items if isinstance(i, BConst))
    return None


def _pin_value(v: Any) -> Any:
    # case folded (a field compared without regard to case is never told apart wrongly) and numbers
    # normalized (1.0 and 1 are one value)
    if isinstance(v, str):
        return v.casefold()
    if isinstance(v, Decimal):
        return v.normalize()
    return v


def apart(a: Pins, b: Pins) -> bool:
    """True when some field is pinned by both to values they do not share: no record meets both."""
    return any(k in b and not (v & b[k]) for k, v in a.items())


# --------------------------------------------------------------------------- solving a conjunction


def _field_spec(records: RecordLookup, record_type: str, f: BField) -> FieldSpec | None:
    rec = records(record_type)
    for rel in f.path[:-1]:
        if rec is None:
            return None
        r = rec.relation(rel)
        rec = records(r.record) if r else None
    return rec.field(f.path[-1]) if rec else None


def _key(f: BField) -> tuple[tuple[str, ...], bool]:
    return (f.path, f.old)


def _show(f: BField) -> str:
    return ("old." if f.old else "") + ".".join(f.path)


def _fmt(v: Any) -> str:
    if isinstance(v, str):
        return v if v.replace(" ", "").replace("/", "").isalnum() and " " not in v else f'"{v}"'
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.date | dt.datetime):
        return v.isoformat()
    return str(v)


def solve(term: Term, records: RecordLookup, record_type: str) -> dict[str, str] | None:
    """A witness (field -> value text) satisfying every literal of ``term``, or None when impossible."""
    fields: dict[tuple[tuple[str, ...], bool], BField] = {}
    lits: dict[tuple[tuple[str, ...], bool], list[Lit]] = {}
    opaque: dict[BExpr, bool] = {}
    for lit in term:
        a = lit.atom
        if isinstance(a, BCompare) and isinstance(a.left, BField) and isinstance(a.right, BConst):
            fields[_key(a.left)] = a.left
            lits.setdefault(_key(a.left), []).append(lit)
        elif isinstance(a, BIn):
            fields[_key(a.operand)] = a.operand
            lits.setdefault(_key(a.operand), []).append(lit)
        else:
            if opaque.get(a, lit.positive) != lit.positive:
                return None
            opaque[a] = lit.positive
    witness: dict[str, str] = {}
    for key, fl in lits.items():
        f = fields[key]
        spec = _field_spec(records, record_type, f)
        enum = spec.enum if spec else None
        value = _solve_field(f, fl, enum, spec)
        if value is _NONE:
            return None
        witness[_show(f)] = _fmt(value)
    for atom, positive in opaque.items():
        witness[_opaque_text(atom)] = "yes" if positive else "no"
    return witness


_NONE = object()


def _solve_field(f: BField, lits: list[Lit], enum: EnumType | None, spec: FieldSpec | None) -> Any:
    if f.kind in (FieldKind.ENUM, FieldKind.BOOLEAN):
        domain: list[Any] = list(enum.values) if enum else [True, False]
        for lit in lits:
            a = lit.atom
            if isinstance(a, BCompare):
                assert isinstance(a.right, BConst)
                v = a.right.value
                domain = [d for d in domain if (d == v) == (a.op == "=")]
            else:
                assert isinstance(a, BIn)
                vals = {i.value for i in a.items if isinstance(i, BConst)}
                domain = [d for d in domain if (d in vals) != a.negated]
        return domain[0] if domain else _NONE
    kind = f.kind
    allowed: tuple[Interval, ...] = FULL
    if spec is not None and spec.flowfield and kind is FieldKind.INTEGER:
        allowed = (Interval(0, True, None, False),)  # an integer flowfield is a count
    for lit in lits:
        a = lit.atom
        if isinstance(a, BCompare):
            assert isinstance(a.right, BConst)
            allowed = intersect(allowed, op_set(a.op, a.right.value), kind)
        else:
            assert isinstance(a, BIn)
            if a.negated:
                for item in a.items:
                    for iv in item_set(item):
                        allowed = intersect(allowed, complement(iv), kind)
            else:
                allowed = intersect(allowed, [iv for item in a.items for iv in item_set(item)], kind)
        if not allowed:
            return _NONE
    for iv in allowed:
        v = pick(iv, kind)
        if v is not None:
            return v
    return _NONE


def _opaque_text(atom: BExpr) -> str:
    if isinstance(atom, BText):
        pat = f' "{atom.pattern.value}"' if atom.pattern is not None else ""
        return f"{_show(atom.operand)} {atom.op}{pat}"
    if isinstance(atom, BChange):
        return f"{_show(atom.field)} {atom.kind}"
    if isinstance(atom, BQuantified):
        rel = ".".join(atom.relation)
        if atom.condition is None:
            return f"{atom.quantifier} {rel}"
        return f"{atom.quantifier} {rel} with {_expr_text(atom.condition)}"
    if isinstance(atom, BCompare):
        return f"{_describe(atom.left)} {atom.op} {_describe(atom.right)}"
    return "condition"


def _expr_text(e: BExpr) -> str:
    """A short rendering of a condition for witness notes."""
    if isinstance(e, BAnd | BOr):
        joiner = " and " if isinstance(e, BAnd) else " or "
        return joiner.join(_expr_text(o) if not isinstance(o, BAnd | BOr) else f"({_expr_text(o)})"
                           for o in e.operands)
    if isinstance(e, BNot):
        return f"not ({_expr_text(e.operand)})"
    if isinstance(e, BCompare):
        return f"{_describe(e.left)} {e.op} {_describe(e.right)}"
    if isinstance(e, BIn):
        return f"{_show(e.operand)} {'not in' if e.negated else 'in'} [...]"
    return _opaque_text(e) if not isinstance(e, BField | BConst) else _describe(e)


def _describe(e: BExpr) -> str:
    if isinstance(e, BField):
        return _show(e)
    if isinstance(e, BConst):
        return _fmt(e.value)
    return "..."


def satisfiable(terms_a: Iterable[Term], records: RecordLookup, record_type: str) -> dict[str, str] | None:
    for t in terms_a:
        w = solve(t, records, record_type)
        if w is not None:
            return w
    return None


def both(a: BExpr | None, b: BExpr | None, records: RecordLookup, record_type: str) -> dict[str, str] | None:
    """A record matching ``a`` and ``b`` (as a witness), or None (also when too complex to tell)."""
    try:
        da, db = dnf(a), dnf(b)
        return satisfiable((x + y for x in da for y in db), records, record_type)
    except TooComplex:
        return None


def none_of(conds: Sequence[BExpr | None], records: RecordLookup, record_type: str,
            but: BExpr | None = None, with_but: bool = False) -> dict[str, str] | None:
    """A record matching none of ``conds`` (and ``but`` when ``with_but``), or None."""
    try:
        terms: list[Term] = dnf(but) if with_but else [()]
        for cnd in conds:
            neg = dnf(cnd, negate=True)
            terms = [x + y for x in terms for y in neg]
            if len(terms) > MAX_TERMS:
                raise TooComplex
            if not terms:
                return None
        return satisfiable(terms, records, record_type)
    except TooComplex:
        return None


def witness_text(w: dict[str, str]) -> str:
    if not w:
        return "any record"
    return ", ".join(f"{k} = {v}" if " " not in k else (k if v == "yes" else f"not ({k})")
                     for k, v in w.items())


# --------------------------------------------------------------------------- the checks


def _where(wf: BoundWorkflow, s: BoundStep) -> str:
    return f"step {s.id} of {wf.code}"


def entry_point_overlaps(workflows: Sequence[BoundWorkflow], records: RecordLookup) -> list[Diagnostic]:
    """WF420 for each pair of entry points on the same event whose conditions one record can meet."""
    entries = [(wf, s) for wf in workflows if not wf.template for s in wf.entry_points]
    out: list[Diagnostic] = []
    for i, (wa, sa) in enumerate(entries):
        for wb, sb in entries[i + 1:]:
            found = _overlap(wa, sa, wb, sb, records, refuse=False)
            if found is not None:
                out.append(found)
    return out


def overlaps_with(wf: BoundWorkflow, enabled: Sequence[BoundWorkflow], records: RecordLookup, *,
                  refuse: bool) -> list[Diagnostic]:
    """``wf``'s entry points that one record can share with an entry point of an ``enabled`` workflow
    (one with ``wf``'s code is the one being enabled again, skipped): WF428 errors when ``refuse``
    (enabling is refused by default), else WF420 warnings."""
    out: list[Diagnostic] = []
    for other in enabled:
        if other.code == wf.code or other.template:
            continue
        for sa in other.entry_points:
            for sb in wf.entry_points:
                found = _overlap(other, sa, wf, sb, records, refuse=refuse)
                if found is not None:
                    out.append(found)
    return out


def _overlap(wa: BoundWorkflow, sa: BoundStep, wb: BoundWorkflow, sb: BoundStep, records: RecordLookup, *,
             refuse: bool) -> Diagnostic | None:
    """The diagnostic on ``sb`` when one record can start both ``sa`` (of ``wa``) and ``sb``."""
    if sa.name != sb.name or sa.record_type != sb.record_type or not sa.record_type:
        return None
    w = both(sa.condition, sb.condition, records, sa.record_type)
    if w is None:
        return None
    other = "this workflow" if wa is wb else f"workflow {wa.code}"
    if refuse:
        return Diagnostic(
            c.OVERLAP_REFUSED, Severity.ERROR,
            f"a {sa.record_type} record can start both this entry point and the one in enabled {other} "
            f"on `{sa.name}`, so enabling `{wb.code}` is refused",
            span=sb.span, label="overlaps an enabled workflow",
            help="make the conditions exclusive, e.g. add the opposite test to one of them; or enable it "
                 "with --allow-overlap (enable(..., allow_overlap=True)) if the first match may win",
            notes=(f"for example: {witness_text(w)}",
                   "only the first matching entry point (by workflow code) starts a workflow"),
            related=(Label(sa.span, f"the other entry point ({_where(wa, sa)})"),))
    return Diagnostic(
        c.OVERLAPPING_ENTRY_POINTS, Severity.WARNING,
        f"a {sa.record_type} record can start both this entry point and the one in {other} "
        f"on `{sa.name}`",
        span=sb.span, label="overlaps",
        help="make the conditions exclusive, e.g. add the opposite test to one of them",
        notes=(f"for example: {witness_text(w)}",
               "only the first matching entry point starts a workflow (BC checks only that the "
               "condition texts differ)"),
        related=(Label(sa.span, f"the other entry point ({_where(wa, sa)})"),))


def alternatives(wf: BoundWorkflow, records: RecordLookup) -> list[Diagnostic]:
    """WF421 gaps and WF422 unreachable alternatives among sibling steps on the same event."""
    out: list[Diagnostic] = []
    never: set[int] = set()
    for s in wf.steps:
        if s.kind != "event" or s.condition is None or not s.record_type or not _decided([s.condition]):
            continue
        if none_of([], records, s.record_type, but=s.condition, with_but=True) is None:
            never.add(s.id)
            out.append(Diagnostic(
                c.NEVER_TRUE, Severity.WARNING, "this condition can never be true, so the step never runs",
                span=s.span, label="contradictory condition",
                help="check the comparisons: no record can meet all of them at once",
                notes=(f"condition: {s.condition_text}",) if s.condition_text else ()))
    parents = {s.parent for s in wf.steps if s.kind == "event" and s.parent is not None}
    for p in sorted(parents):
        sibs = [s for s in wf.children(p) if s.kind == "event"]
        by_event: dict[str, list[BoundStep]] = {}
        for s in sibs:
            by_event.setdefault(s.name, []).append(s)
        for group in by_event.values():
            rt = group[0].record_type
            if not rt:
                continue
            for j, s in enumerate(group):
                if j == 0 or s.id in never:
                    continue
                earlier = [g.condition for g in group[:j]]
                if any(cnd is None for cnd in earlier):
                    first = next(g for g in group[:j] if g.condition is None)
                    out.append(_unreachable(s, first, "it has no condition, so it always matches first"))
                    continue
                w = none_of(earlier, records, rt, but=s.condition, with_but=True)
                if w is None and _decided([*earlier, s.condition]):
                    out.append(_unreachable(s, group[0], "every record it matches is taken by an earlier "
                                                         "alternative"))
            if len(group) >= 2 and all(g.condition is not None for g in group):
                w = none_of([g.condition for g in group], records, rt)
                if w is not None:
                    out.append(Diagnostic(
                        c.ALTERNATIVES_GAP, Severity.WARNING,
                        f"some `{group[0].name}` records match none of these {len(group)} alternatives",
                        span=group[-1].span, label="gap after this alternative",
                        help="add an alternative for the remaining records, or drop a condition from the "
                             "last one",
                        notes=(f"for example: {witness_text(w)}",
                               "such a record leaves the workflow waiting at this step"),
                        related=tuple(Label(g.span, "alternative") for g in group[:-1])))
    return out


def _decided(conds: Sequence[BExpr | None]) -> bool:
    try:
        for cnd in conds:
            dnf(cnd)
    except TooComplex:
        return False
    return True


def _unreachable(s: BoundStep, first: BoundStep, why: str) -> Diagnostic:
    return Diagnostic(
        c.UNREACHABLE_STEP, Severity.WARNING, f"this `{s.name}` alternative can never run: {why}",
        span=s.span, label="unreachable",
        help="move it above the alternative that takes its records, or change the conditions",
        related=(Label(first.span, "this alternative matches first"),))


def analyse(workflows: Sequence[BoundWorkflow], records: RecordLookup) -> list[Diagnostic]:
    """Every semantic warning for a set of workflows checked together."""
    out = entry_point_overlaps(workflows, records)
    for wf in workflows:
        out.extend(alternatives(wf, records))
    return out
