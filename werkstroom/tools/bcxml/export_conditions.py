"""A bound condition as BC's event conditions (data items with record views) and workflow rules.

What BC can hold: tests of single fields of the event's record, joined by ``and`` (one filter per
field; several tests of one field are joined with ``&``), ``or`` between tests of the same field,
``any <lines> with ...`` (a data item for the related table: at least one related record matches),
and change tests (``increased``/``decreased``/``changed``, BC's workflow rules). Anything else (an
``or`` across fields, ``not`` around more than one test, ``all``/``no``, a related record's field
through a dotted path, ``old.`` values, a field compared with a field) raises ``Unsupported`` (WF866),
as does a field without a BC field number (WF867).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import attrs

from ...binding.program import (
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
from ...catalogue.specs import FieldKind, FieldSpec, RecordSpec
from ...source import Span
from . import model as M
from .filters import DataItems, plain_text, quote, write_view

RecordLookup = Callable[[str], RecordSpec | None]

_FLIP = {"=": "<>", "<>": "=", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}
_ORDERED = {FieldKind.DECIMAL, FieldKind.INTEGER, FieldKind.DATE, FieldKind.DATETIME, FieldKind.CODE}


class Unsupported(Exception):
    """A condition BC's format cannot hold. ``code``: WF866 or WF867."""

    def __init__(self, code: str, message: str, span: Span | None, help: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.span = span
        self.help = help


@attrs.frozen
class Exported:
    """``items``: the data items (none when the condition has no filters); ``rules``: (table number,
    field number, operator ordinal) per change test."""

    items: DataItems
    rules: tuple[tuple[int, int, int], ...]


def export_condition(cond: BExpr | None, record: RecordSpec, records: RecordLookup) -> Exported:
    if cond is None:
        return Exported([], ())
    own = _Table(record)
    related: dict[str, _Table] = {}
    rules: list[tuple[int, int, int]] = []
    for part in _conjuncts(cond):
        if isinstance(part, BChange):
            rules.append(_rule(part, record))
        elif isinstance(part, BQuantified):
            table = _related(part, record, records, related)
            if part.condition is not None:
                for inner in _conjuncts(part.condition):
                    table.add(inner)
        else:
            own.add(part)
    items: DataItems = []
    if own.filters:
        items.append(own.item())
    items.extend(t.item() for t in related.values())
    return Exported(items, tuple(rules))


def _conjuncts(e: BExpr) -> list[BExpr]:
    if isinstance(e, BAnd):
        return [x for op in e.operands for x in _conjuncts(op)]
    return [e]


def _rule(part: BChange, record: RecordSpec) -> tuple[int, int, int]:
    spec = _field_spec(part.field, record, part.span)
    if not record.table_id:
        raise Unsupported("WF867", f"record type {record.name} has no BC table number", part.span,
                          "give its RecordSpec a table_id")
    return record.table_id, spec.field_no, M.RULE_OPERATORS.index(part.kind)


def _related(part: BQuantified, record: RecordSpec, records: RecordLookup,
             related: dict[str, _Table]) -> _Table:
    if part.quantifier != "any" or len(part.relation) != 1:
        raise Unsupported("WF866", f"`{part.quantifier} {'.'.join(part.relation)}` cannot be written in BC: "
                          "a related table's data item means \"at least one related record matches\"",
                          part.span, "BC can say `any <lines> with ...` on the event's own relations")
    target = records(part.record_type)
    if target is None:
        raise Unsupported("WF867", f"record type {part.record_type} is not in the catalogue", part.span)
    if target.name in related:
        raise Unsupported("WF866", f"`any {part.relation[0]}` appears twice; BC has one data item per table, "
                          "which one related record must match as a whole", part.span,
                          "join the two tests into one `any ... with ... and ...`")
    if part.condition is None:
        raise Unsupported("WF866", f"`any {part.relation[0]}` without filters cannot be written: BC reads a "
                          "related data item without filters only where a table relation is set up, and "
                          "`wf import bc` leaves such a data item out", part.span,
                          f"test a field of the {part.relation[0]}, e.g. `any {part.relation[0]} with ...`")
    table = related[target.name] = _Table(target)
    return table


class _Table:
    """The filters of one data item, by field number."""

    def __init__(self, record: RecordSpec) -> None:
        self.record = record
        self.filters: dict[int, list[str]] = {}

    def add(self, part: BExpr) -> None:
        field = _only_field(part)
        spec = _field_spec(field, self.record, getattr(part, "span", None))
        text = _filter(part, spec)
        pieces = self.filters.setdefault(spec.field_no, [])
        if pieces and ("|" in text or any("|" in p for p in pieces)):
            raise Unsupported("WF866", f"`{field.path[-1]}` is tested twice and one test is a choice of "
                              "values: BC's filter cannot join `|` and `&`", getattr(part, "span", None),
                              "write the field's tests as one `in [...]` or one range")
        pieces.append(text)
        self.filters[spec.field_no] = pieces

    def item(self) -> tuple[str, str]:
        if not self.record.bc_name:
            raise Unsupported("WF867", f"record type {self.record.name} has no BC table name", None,
                              "give its RecordSpec a bc_name")
        entries = [(no, "&".join(p)) for no, p in sorted(self.filters.items())]
        return self.record.bc_name, write_view(entries) if entries else ""


def _only_field(e: BExpr) -> BField:
    """The one field ``e`` tests (of the data item's own record), or Unsupported."""
    found: list[BField] = []

    def visit(x: BExpr) -> None:
        if isinstance(x, BCompare):
            for side in (x.left, x.right):
                if isinstance(side, BField):
                    found.append(side)
        elif isinstance(x, BIn | BText):
            found.append(x.operand)
        elif isinstance(x, BNot):
            visit(x.operand)
        elif isinstance(x, BOr | BAnd):
            for op in x.operands:
                visit(op)
        elif isinstance(x, BQuantified | BChange):
            raise Unsupported("WF866", "an `any`/`all`/`no` or change test can be joined with `and` only in "
                              "BC's conditions", x.span)
        elif isinstance(x, BConst):
            raise Unsupported("WF866", "a condition that is a constant cannot be written in BC", x.span)
    visit(e)
    span = getattr(e, "span", None)
    names = {f.path for f in found}
    if len(names) != 1 or (isinstance(e, BCompare) and len(found) == 2):
        raise Unsupported("WF866", "BC's conditions filter one field at a time: this test "
                          + ("compares two fields" if len(found) > 1 and isinstance(e, BCompare) else
                             "combines several fields with `or`/`not`"), span,
                          "join tests of different fields with `and` only")
    field = found[0]
    if field.old:
        raise Unsupported("WF866", f"`old.{field.path[-1]}` cannot be written in BC: its conditions see the "
                          "record as it is; only its workflow rules compare old and new values", span,
                          "use `increased`, `decreased` or `changed`")
    if len(field.path) != 1:
        raise Unsupported("WF866", f"`{'.'.join(field.path)}` reads a related record's field, which BC's "
                          "conditions cannot", span, "BC can filter the event's table and its lines "
                          "(`any lines with ...`)")
    return field


def _field_spec(field: BField, record: RecordSpec, span: Span | None) -> FieldSpec:
    spec = record.field(field.path[-1])
    assert spec is not None, (record.name, field.path)
    if not spec.field_no:
        raise Unsupported("WF867", f"field `{spec.name}` of {record.name} has no BC field number in the "
                          "catalogue, so BC's conditions cannot name it", span,
                          "declare it with FieldSpec(field_no=...) when you know BC's number")
    return spec


def _filter(e: BExpr, spec: FieldSpec) -> str:
    span = getattr(e, "span", None)
    if isinstance(e, BCompare):
        const = e.right if isinstance(e.right, BConst) else e.left
        assert isinstance(const, BConst)
        op = e.op if isinstance(e.right, BConst) else _FLIP_SIDES[e.op]
        return _compare(op, const, spec, span)
    if isinstance(e, BIn):
        return _in(e, spec, span)
    if isinstance(e, BText):
        return _text(e, spec, span)
    if isinstance(e, BNot):
        return _filter(_negate(e.operand, span), spec)
    if isinstance(e, BOr):
        parts = [_filter(op, spec) for op in e.operands]
        if any("&" in p for p in parts):
            raise Unsupported("WF866", "an `or` of tests that each need `&` cannot be written as one BC "
                              "filter", span)
        return "|".join(parts)
    raise Unsupported("WF866", "this test cannot be written as a BC filter", span)


_FLIP_SIDES = {"=": "=", "<>": "<>", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


def _negate(e: BExpr, span: Span | None) -> BExpr:
    if isinstance(e, BCompare):
        return attrs.evolve(e, op=_FLIP[e.op])
    if isinstance(e, BIn):
        return attrs.evolve(e, negated=not e.negated)
    if isinstance(e, BText) and e.op in ("is empty", "is not empty"):
        return attrs.evolve(e, op="is not empty" if e.op == "is empty" else "is empty")
    if isinstance(e, BNot):
        return e.operand
    raise Unsupported("WF866", "`not` around this test cannot be written as a BC filter", span,
                      "BC's filters can say `<>` and `not in [...]`, not `not contains`")


def _compare(op: str, const: BConst, spec: FieldSpec, span: Span | None) -> str:
    if spec.kind is FieldKind.TEXT and op != "=":
        raise Unsupported("WF866", f"`{op}` on text field `{spec.name}` cannot be written: Werkstroom "
                          "compares text case-insensitively and BC's filter can do that only for `=`", span)
    if op not in ("=", "<>") and spec.kind not in _ORDERED:
        raise Unsupported("WF866", f"`{op}` cannot be written for {spec.kind.value} field `{spec.name}`",
                          span)
    value = value_text(const, spec, span)
    if spec.kind is FieldKind.TEXT:
        return "@" + value
    return value if op == "=" else op + value


def _in(e: BIn, spec: FieldSpec, span: Span | None) -> str:
    consts = [i for i in e.items if isinstance(i, BConst)]
    ranges = [i for i in e.items if isinstance(i, BRange)]
    if ranges and spec.kind is FieldKind.TEXT:
        raise Unsupported("WF866", f"a range of texts on `{spec.name}` cannot be written: BC compares text "
                          "ranges case-sensitively", span)
    if not e.negated:
        ci = "@" if spec.kind is FieldKind.TEXT else ""
        return "|".join(ci + value_text(i, spec, span) if isinstance(i, BConst) else _range(i, spec, span)
                        for i in e.items)
    if spec.kind is FieldKind.TEXT:
        raise Unsupported("WF866", f"`not in` on text field `{spec.name}` cannot be written "
                          "case-insensitively in BC's filter", span)
    if consts and not ranges:
        return "&".join("<>" + value_text(c, spec, span) for c in consts)
    if len(ranges) == 1 and not consts:
        r = ranges[0]
        out = [f"<{value_text(r.low, spec, span)}" if r.low is not None else "",
               f">{value_text(r.high, spec, span)}" if r.high is not None else ""]
        return "|".join(x for x in out if x)
    raise Unsupported("WF866", "`not in` with ranges and values together cannot be written as one BC filter",
                      span, "split it into `<>` tests and one `not in low..high`")


def _range(r: BRange, spec: FieldSpec, span: Span | None) -> str:
    low = value_text(r.low, spec, span) if r.low is not None else ""
    high = value_text(r.high, spec, span) if r.high is not None else ""
    return f"{low}..{high}"


def _text(e: BText, spec: FieldSpec, span: Span | None) -> str:
    if e.op == "is empty":
        return "''"
    if e.op == "is not empty":
        return "<>''"
    assert e.pattern is not None
    pattern = str(e.pattern.value)
    if not plain_text(pattern):
        raise Unsupported("WF866", f"the text {pattern!r} has characters BC's filters treat as operators, so "
                          f"`{e.op}` cannot be written with it", span)
    return {"contains": f"@*{pattern}*", "starts with": f"@{pattern}*", "ends with": f"@*{pattern}"}[e.op]


def value_text(const: BConst, spec: FieldSpec, span: Span | None) -> str:
    """A constant as a BC view writes it: enum values as ordinals, booleans 1/0, dates ISO, numbers
    with a point, texts in quotes when they need them."""
    v = const.value
    if spec.kind is FieldKind.ENUM:
        assert spec.enum is not None and isinstance(v, str)
        return str(spec.enum.values.index(v))
    if spec.kind is FieldKind.BOOLEAN:
        return "1" if v else "0"
    if spec.kind is FieldKind.DECIMAL and isinstance(v, Decimal):
        return format(v, "f")
    if spec.kind in (FieldKind.DATE, FieldKind.DATETIME) and isinstance(v, dt.date):
        return v.isoformat()
    if spec.kind is FieldKind.INTEGER:
        return str(v)
    if spec.kind in (FieldKind.TEXT, FieldKind.CODE):
        return quote(str(v))
    raise Unsupported("WF866", f"{spec.kind.value} field `{spec.name}` cannot be filtered in BC's conditions",
                      span)
