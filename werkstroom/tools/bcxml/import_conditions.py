"""BC's event conditions and workflow rules as a .wf condition (the AST the formatter prints).

The event table's data item becomes tests of the event record's fields, a related table's data item
``any <relation> with ...`` (BC: at least one related record matches), and each workflow rule a change
test (``credit_limit_lcy increased``). Values are read by the field's kind: enum ordinals (or names),
numbers with a point, ISO dates, booleans 1/0. Problems raise ``Refused`` (WF855-WF857); what is left
out or read differently is added to ``notes`` as a warning (WF860, WF861).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation

from ...catalogue.specs import FieldKind, FieldSpec, RecordSpec, RelationSpec
from ...diagnostics import Diagnostic
from ...grammar import ast as A
from ...source import Span
from . import model as M
from .filters import Filter, FilterError, Term, ViewFilter, decode_conditions, read_filter, read_view
from .model import BcRule, problem
from .xmlio import boolean_text

RecordLookup = Callable[[str], RecordSpec | None]

KEYWORDS = frozenset((
    "workflow", "category", "on", "when", "then", "as", "continue", "at", "and", "or", "not", "in",
    "contains", "starts", "ends", "with", "is", "empty", "any", "all", "no", "increased", "decreased",
    "changed", "true", "false", "yes", "old"))
_WORD = re.compile(r"[^\W\d]\w*")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


class Refused(Exception):
    """A condition that cannot be imported; ``diagnostic`` says why."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def name_or_text(value: str) -> A.Name | A.TextLit:
    """A phrase's value as a bare name when it reads as one (``Invoice``), else as text
    (``"Credit Memo"``)."""
    if _WORD.fullmatch(value) and value.lower() not in KEYWORDS:
        return A.Name(value)
    return A.TextLit(value)


def enum_literal(value: str) -> A.Ref | A.TextLit:
    """An enum value in a condition: a bare name (``status = Open``) or text (``"Pending Approval"``)."""
    part = name_or_text(value)
    return A.Ref((part,)) if isinstance(part, A.Name) else part


class ConditionReader:
    """Reads the conditions of one event step. ``ctx`` names the step; ``span`` is its place in the
    file; ``notes`` collects the warnings."""

    def __init__(self, record: RecordSpec, records: RecordLookup, ctx: str, span: Span | None, path: str,
                 notes: list[Diagnostic]) -> None:
        self.record = record
        self.records = records
        self.ctx = ctx
        self.span = span
        self.path = path
        self.notes = notes

    def refuse(self, code: str, message: str, help: str = "") -> Refused:
        return Refused(problem(code, f"{self.ctx}: {message}", self.span, help=help))

    def condition(self, argument: Mapping[str, str] | None, rules: Sequence[BcRule]) -> A.Expr | None:
        parts: list[A.Expr] = []
        encoded = (argument or {}).get("EventConditions", "")
        if encoded.strip():
            items, err = decode_conditions(encoded, self.ctx, self.path)
            if err is not None:
                raise Refused(err if err.span is not None else _with_span(err, self.span))
            assert items is not None
            for name, view in items:
                parts.extend(self.data_item(name, view))
        for rule in rules:
            parts.append(self.rule(rule))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else A.And(tuple(parts))

    def data_item(self, name: str, view: str) -> list[A.Expr]:
        try:
            entries = read_view(view)
        except FilterError as exc:
            raise self.refuse("WF855", f"the view of data item {name!r} cannot be read: {exc}") from None
        if _is_table(self.record, name):
            return [t for e in self.in_field_order(self.record, entries)
                    for t in _operands(self.field_test(self.record, e))]
        relation = self.relation_to(name)
        if not entries:
            self.notes.append(problem(
                "WF860", f"{self.ctx}: data item {name!r} has no filters; BC then only asks that a related "
                f"record exists (where a table relation is set up), which the condition leaves out",
                self.span, warning=True,
                help=f"write `any {relation.name}` in the condition if that matters"))
            return []
        target = self.records(relation.record)
        assert target is not None
        tests = [t for e in self.in_field_order(target, entries)
                 for t in _operands(self.field_test(target, e))]
        inner = tests[0] if len(tests) == 1 else A.And(tuple(tests))
        return [A.Quantified("any", A.Ref((A.Name(relation.name),)), inner)]

    def in_field_order(self, record: RecordSpec, entries: list[ViewFilter]) -> list[ViewFilter]:
        """A view's entries by field number, as BC writes them (the named form need not be)."""
        return sorted(entries, key=lambda e: self.field(record, e.field).field_no)

    def relation_to(self, name: str) -> RelationSpec:
        for rel in self.record.relations:
            target = self.records(rel.record)
            if rel.many and target is not None and _is_table(target, name):
                return rel
        raise self.refuse("WF856", f"data item {name!r} is neither {self.record.bc_name or self.record.name} "
                          f"nor a table related to it in the catalogue",
                          "BC's conditions on this event can filter its own table and its lines")

    def field(self, record: RecordSpec, ref: int | str) -> FieldSpec:
        """The field a view names, by number or (the named form) by caption; only a field with its BC
        number, so the workflow can go back to BC as it came."""
        for f in record.fields:
            if f.field_no and ((isinstance(ref, int) and f.field_no == ref) or (
                    isinstance(ref, str) and ref.casefold() in (f.bc_name.casefold(), f.name.casefold()))):
                return f
        shown = f"field number {ref}" if isinstance(ref, int) else f"field {ref!r} (with its BC number)"
        raise self.refuse("WF856", f"{shown} of {record.bc_name or record.name} is not in the catalogue",
                          "the catalogue names the fields BC's conditions use (`wf catalogue records "
                          f"{record.name}`); a partner library can declare more with FieldSpec(field_no=...)")

    def rule(self, rule: BcRule) -> A.Expr:
        if rule.table_no != self.record.table_id:
            raise self.refuse("WF856", f"workflow rule {rule.id} is on table {rule.table_no}, not on the "
                              f"event's table {self.record.bc_name} ({self.record.table_id})")
        spec = self.field(self.record, rule.field_no)
        kind = M.RULE_OPERATORS[rule.operator]
        if kind != "changed" and spec.kind in (FieldKind.BOOLEAN, FieldKind.ENUM):
            raise self.refuse("WF857", f"workflow rule {rule.id}: `{kind}` on {spec.kind.value} field "
                              f"`{spec.name}` has no order in Werkstroom", "use Changed")
        return A.ChangeTest(A.Ref((A.Name(spec.name),)), kind)

    # ------------------------------------------------------------------ one field's filter

    def field_test(self, record: RecordSpec, entry: ViewFilter) -> A.Expr:
        spec = self.field(record, entry.field)
        try:
            flt = read_filter(entry.text, entry.constant)
        except FilterError as exc:
            raise self.refuse("WF857", f"the filter {entry.text!r} on `{spec.name}` cannot be read: {exc}") \
                from None
        return FieldTest(self, spec, flt).expr()


class FieldTest:
    """One field's filter as a condition."""

    def __init__(self, reader: ConditionReader, spec: FieldSpec, flt: Filter) -> None:
        self.r = reader
        self.spec = spec
        self.flt = flt
        self.ref = A.Ref((A.Name(spec.name),))

    def refuse(self, why: str) -> Refused:
        return self.r.refuse("WF857", f"the filter on `{self.spec.name}` cannot be written as a condition: "
                             f"{why}")

    def expr(self) -> A.Expr:
        terms = self.flt.terms
        if self.spec.kind is FieldKind.ENUM:
            return self.enum_expr()
        if len(terms) == 1:
            return self.term(terms[0])
        if self.flt.joiner == "&":
            if all(t.op == "<>" and t.value for t in terms):
                return A.InList(self.ref, tuple(self.value(t.value or "") for t in terms), negated=True)
            return A.And(tuple(self.term(t) for t in terms))
        if all(t.op in ("=", "..") and not t.wild and t.value != "" for t in terms):
            return A.InList(self.ref, tuple(self.item(t) for t in terms))
        return A.Or(tuple(self.term(t) for t in terms))

    def item(self, t: Term) -> A.Expr | A.Range:
        if t.op == "..":
            return self.range(t)
        return self.value(t.value or "")

    def term(self, t: Term) -> A.Expr:
        kind = self.spec.kind
        textual = kind in (FieldKind.TEXT, FieldKind.CODE)
        if t.value == "" and t.op in ("=", "<>"):
            if kind not in (FieldKind.TEXT, FieldKind.CODE, FieldKind.DATE, FieldKind.DATETIME):
                raise self.refuse(f"`''` (empty) on a {kind.value} field")
            return A.TextTest("is empty" if t.op == "=" else "is not empty", self.ref, None)
        if t.wild:
            if not textual:
                raise self.refuse(f"`*` on a {kind.value} field")
            self.case(t)
            op = "contains" if not t.starts and not t.ends else "starts with" if t.starts else "ends with"
            return A.TextTest(op, self.ref, A.TextLit(t.value or ""))
        if kind is FieldKind.TEXT:
            self.case(t)
        if t.op == "..":
            if kind is FieldKind.BOOLEAN:
                raise self.refuse("a range of booleans")
            return A.InRange(self.ref, self.range(t))
        if t.op not in ("=", "<>") and kind is FieldKind.BOOLEAN:
            raise self.refuse(f"`{t.op}` on a boolean field")
        return A.Compare(t.op, self.ref, self.value(t.value or ""))

    def case(self, t: Term) -> None:
        if not t.ci and self.spec.kind is FieldKind.TEXT:
            self.r.notes.append(problem(
                "WF861", f"{self.r.ctx}: the filter on `{self.spec.name}` compares case-sensitively in BC; "
                "the imported condition ignores case, as Werkstroom's text tests do", self.r.span,
                warning=True, help="BC's filter needs `@` for the same meaning"))

    def range(self, t: Term) -> A.Range:
        low = self.value(t.value) if t.value is not None else None
        high = self.value(t.high) if t.high is not None else None
        return A.Range(low, high)

    def value(self, text: str) -> A.Expr:
        kind = self.spec.kind
        try:
            if kind in (FieldKind.TEXT, FieldKind.CODE):
                if "\n" in text or "\r" in text:
                    raise ValueError("a line break cannot be written in a .wf text")
                return A.TextLit(text)
            if kind in (FieldKind.DECIMAL, FieldKind.INTEGER):
                if not _NUMBER.fullmatch(text.strip()):
                    raise ValueError(f"{text!r} is not a number")
                number = Decimal(text.strip())
                if kind is FieldKind.INTEGER or (number == number.to_integral_value() and "." not in text):
                    return A.IntLit(int(number))
                return A.DecimalLit(number)
            if kind in (FieldKind.DATE, FieldKind.DATETIME):
                return A.DateLit(_date(text.strip()))
            if kind is FieldKind.BOOLEAN:
                flag = boolean_text(text)
                if flag is None:
                    raise ValueError(f"{text!r} is not 1/0 or true/false")
                return A.BoolLit(flag)
            if kind is FieldKind.ENUM:
                return enum_literal(self.enum_value(text))
        except (ValueError, InvalidOperation) as exc:
            raise self.refuse(str(exc)) from None
        raise self.refuse(f"{kind.value} fields cannot be filtered")

    # ------------------------------------------------------------------ enums: by their ordinals

    def enum_value(self, text: str) -> str:
        enum = self.spec.enum
        assert enum is not None
        raw = text.strip()
        if re.fullmatch(r"\d+", raw):
            if int(raw) >= len(enum.values):
                raise ValueError(f"ordinal {raw} is not a value of {enum.name} ({len(enum.values)} values)")
            return enum.values[int(raw)]
        found = enum.lookup(raw.replace("_x0020_", " "))
        if found is None:
            raise ValueError(f"{raw!r} is not a value of {enum.name}")
        return found

    def enum_expr(self) -> A.Expr:
        """An enum filter as ``=``, ``<>``, ``in [...]`` or ``not in [...]`` over its values: ranges and
        ``<``/``>`` are read by ordinal, as BC reads them."""
        enum = self.spec.enum
        assert enum is not None
        terms = self.flt.terms
        if any(t.wild or t.value == "" for t in terms):
            raise self.refuse("a wildcard or empty value on an enum field")
        for op, negated in (("=", False), ("<>", True)):
            if all(t.op == op for t in terms) and (len(terms) == 1 or self.flt.joiner == ("&" if negated
                                                                                          else "|")):
                try:
                    written = [enum_literal(self.enum_value(t.value or "")) for t in terms]
                except ValueError as exc:
                    raise self.refuse(str(exc)) from None
                if len(written) == 1:
                    return A.Compare(op, self.ref, written[0])
                return A.InList(self.ref, tuple(written), negated=negated)
        allowed: set[str] = set(enum.values) if self.flt.joiner == "&" else set()
        for t in terms:
            chosen = self.enum_term(t)
            allowed = allowed & chosen if self.flt.joiner == "&" else allowed | chosen
        values = [v for v in enum.values if v in allowed]
        others = [v for v in enum.values if v not in allowed]
        if len(values) == 1:
            return A.Compare("=", self.ref, enum_literal(values[0]))
        if len(others) == 1:
            return A.Compare("<>", self.ref, enum_literal(others[0]))
        if not values:
            raise self.refuse("no value of the enum passes it")
        if len(others) < len(values):
            return A.InList(self.ref, tuple(enum_literal(v) for v in others), negated=True)
        return A.InList(self.ref, tuple(enum_literal(v) for v in values))

    def enum_term(self, t: Term) -> set[str]:
        values = list(self.spec.enum.values) if self.spec.enum else []
        index = {v: i for i, v in enumerate(values)}
        try:
            low = index[self.enum_value(t.value)] if t.value is not None else 0
            high = index[self.enum_value(t.high)] if t.high is not None else len(values) - 1
        except ValueError as exc:
            raise self.refuse(str(exc)) from None
        tests: dict[str, Callable[[int], bool]] = {
            "=": lambda i: i == low, "<>": lambda i: i != low, "<": lambda i: i < low,
            "<=": lambda i: i <= low, ">": lambda i: i > low, ">=": lambda i: i >= low,
            "..": lambda i: low <= i <= high}
        return {v for v, i in index.items() if tests[t.op](i)}


def _operands(e: A.Expr) -> list[A.Expr]:
    return list(e.operands) if isinstance(e, A.And) else [e]


def _date(text: str) -> dt.date:
    if "T" in text or " " in text:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        if moment.time() != dt.time():
            raise ValueError(f"{text!r} has a time of day; .wf conditions compare dates")
        return moment.date()
    return dt.date.fromisoformat(text)


def _is_table(record: RecordSpec, name: str) -> bool:
    key = name.strip().casefold()
    return key in {record.bc_name.casefold(), record.name.casefold(), f"table{record.table_id}"} - {""}


def _with_span(d: Diagnostic, span: Span | None) -> Diagnostic:
    import attrs

    return attrs.evolve(d, span=span)
