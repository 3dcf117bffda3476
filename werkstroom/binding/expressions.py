"""Binding conditions: AST expressions to typed ``BExpr`` trees over one record type.

Names resolve against the event's record type: a field (``amount``), a to-one relation then a field
(``vendor.blocked``), a to-many relation under ``any/all/no`` (``any lines with quantity > 8``), or the
previous value ``old.x`` (record-change events only). Constants are converted to the compared field's
type; a bare word next to an enum field is one of the enum's values. Comparisons with the constant on
the left are turned round (``1000 < amount`` becomes ``amount > 1000``). A boolean field alone is
``field = true``.
"""

from __future__ import annotations

from collections.abc import Callable

from ..catalogue.specs import EnumType, EventSpec, FieldKind, RecordSpec
from ..codes import binding as c
from ..diagnostics import Diagnostic, Severity
from ..grammar import ast
from ..source import Span
from ..spelling import did_you_mean
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
    BQuantified,
    BRange,
    BText,
)
from .values import Converted, convert, describe

RecordLookup = Callable[[str], RecordSpec | None]

_FLIP = {"=": "=", "<>": "<>", "<": ">", ">": "<", "<=": ">=", ">=": "<="}
_ORDERED = {"<", ">", "<=", ">="}
_LITERALS = (ast.TextLit, ast.IntLit, ast.DecimalLit, ast.DateLit, ast.FormulaLit, ast.BoolLit)
_NUMERIC = {FieldKind.DECIMAL, FieldKind.INTEGER}
_TEXTUAL = {FieldKind.TEXT, FieldKind.CODE}
_DATES = {FieldKind.DATE, FieldKind.DATETIME}


def _compatible(a: BField, b: BField) -> bool:
    if a.kind is b.kind:
        return a.kind is not FieldKind.ENUM or a.enum == b.enum
    return any(a.kind in g and b.kind in g for g in (_NUMERIC, _TEXTUAL, _DATES))


class ExprBinder:
    """Binds the condition of one event step. ``event`` is None inside ``any/all/no`` (no old values)."""

    def __init__(self, record: RecordSpec, records: RecordLookup, event: EventSpec | None,
                 diags: list[Diagnostic]) -> None:
        self.record = record
        self.records = records
        self.event = event
        self.diags = diags

    # ------------------------------------------------------------------ helpers

    def _err(self, code: str, message: str, span: Span, label: str = "", help: str = "") -> None:
        self.diags.append(Diagnostic(code, Severity.ERROR, message, span=span, label=label, help=help))

    def _spec(self, name: str) -> RecordSpec | None:
        return self.records(name)

    def resolve(self, ref: ast.Ref, *, report: bool = True) -> BField | None:
        """The field a dotted name reads, or None (reported when ``report``)."""
        parts = list(ref.path)
        old = False
        if parts and parts[0].text.lower() == "old" and len(parts) > 1:
            old = True
            if self.event is None or not self.event.record_change:
                if report:
                    what = f"`{self.event.name}`" if self.event else "a record inside any/all/no"
                    self._err(c.NOT_A_CHANGE_EVENT,
                              f"`old.` values exist only on record-change events, not on {what}",
                              ref.span, "no old record here",
                              "use an event such as CustomerChanged, VendorChanged or ItemChanged")
                return None
            parts = parts[1:]
            if len(parts) > 1:
                if report:
                    self._err(c.BAD_RELATION_USE, "`old.` reads a field of the changed record itself",
                              ref.span, "relation after old", f"write `old.{parts[-1].text}`")
                return None
        rec = self.record
        relpath: list[str] = []
        for i, name in enumerate(parts):
            last = i == len(parts) - 1
            fld = rec.field(name.text)
            rel = rec.relation(name.text)
            if last:
                if fld is not None:
                    return BField((*relpath, fld.name), fld.kind, old,
                                  fld.enum.name if fld.enum else None, span=ref.span)
                if rel is not None:
                    if report:
                        hint = (f"write `any {ref.dotted} with ...`" if rel.many
                                else f"name one of its fields, e.g. `{ref.dotted}.<field>`")
                        self._err(c.BAD_RELATION_USE, f"`{ref.dotted}` is a related record, not a value",
                                  name.span, "relation", hint)
                    return None
                if report:
                    self._unknown_field(rec, name)
                return None
            if rel is None:
                if report:
                    if fld is not None:
                        self._err(c.BAD_RELATION_USE,
                                  f"`{name.text}` is a field of {rec.name}, not a related record",
                                  name.span, "not a relation")
                    else:
                        self._unknown_field(rec, name)
                return None
            if rel.many:
                if report:
                    rest = ".".join(p.text for p in parts[i + 1:])
                    self._err(c.BAD_RELATION_USE,
                              f"`{name.text}` holds many {rel.record} records; say which with any/all/no",
                              name.span, "to-many relation", f"write `any {name.text} with {rest} ...`")
                return None
            target = self._spec(rel.record)
            if target is None:
                if report:
                    self._err(c.UNKNOWN_RECORD, f"relation `{name.text}` leads to unknown record type "
                              f"`{rel.record}`", name.span)
                return None
            relpath.append(rel.name)
            rec = target
        return None

    def _unknown_field(self, rec: RecordSpec, name: ast.Name) -> None:
        cands = [f.name for f in rec.fields] + [r.name for r in rec.relations]
        self._err(c.UNKNOWN_FIELD, f"{rec.name} has no field `{name.text}`", name.span, "unknown field",
                  did_you_mean(name.text, cands))

    def _const(self, part: ast.Expr, field: BField, what: str) -> BConst | None:
        enum = None
        if field.kind is FieldKind.ENUM:
            enum = self._enum_of(field)
        conv: Converted = convert(part, field.kind, enum, what)
        if conv.error:
            code = conv.code or c.BAD_VALUE
            self._err(code, conv.error, part.span,
                      "not an enum value" if code == c.BAD_ENUM_VALUE else "wrong type", conv.help)
            return None
        return BConst(conv.value, field.kind, span=part.span)

    def _enum_of(self, field: BField) -> EnumType | None:
        rec: RecordSpec | None = self.record
        for rel in field.path[:-1]:
            assert rec is not None
            r = rec.relation(rel)
            rec = self._spec(r.record) if r else None
        assert rec is not None
        spec = rec.field(field.path[-1])
        assert spec is not None
        return spec.enum

    # ------------------------------------------------------------------ expressions

    def bind(self, e: ast.Expr) -> BExpr | None:
        if isinstance(e, ast.Or):
            ops = [self.bind(o) for o in e.operands]
            return BOr(tuple(o for o in ops if o is not None), span=e.span) if all(ops) else None
        if isinstance(e, ast.And):
            ops = [self.bind(o) for o in e.operands]
            return BAnd(tuple(o for o in ops if o is not None), span=e.span) if all(ops) else None
        if isinstance(e, ast.Not):
            inner = self.bind(e.operand)
            return BNot(inner, span=e.span) if inner is not None else None
        if isinstance(e, ast.Compare):
            return self._compare(e)
        if isinstance(e, ast.InList | ast.InRange):
            return self._in(e)
        if isinstance(e, ast.TextTest):
            return self._text(e)
        if isinstance(e, ast.ChangeTest):
            return self._change(e)
        if isinstance(e, ast.Quantified):
            return self._quantified(e)
        if isinstance(e, ast.Ref):
            f = self.resolve(e)
            if f is None:
                return None
            if f.kind is not FieldKind.BOOLEAN:
                self._err(c.NOT_A_CONDITION, f"`{e.dotted}` is {f.kind.value}, not true or false", e.span,
                          "not a condition", f"compare it, e.g. `{e.dotted} = ...`")
                return None
            return BCompare("=", f, BConst(True, FieldKind.BOOLEAN), span=e.span)
        if isinstance(e, ast.BoolLit):
            return BConst(e.value, FieldKind.BOOLEAN, span=e.span)
        self._err(c.NOT_A_CONDITION, f"{describe(e)} is a value, not a condition", e.span, "not a condition")
        return None

    def _compare(self, e: ast.Compare) -> BExpr | None:
        left, right, op = e.left, e.right, e.op
        if isinstance(left, _LITERALS) and isinstance(right, ast.Ref):
            left, right, op = right, left, _FLIP[op]
        if not isinstance(left, ast.Ref):
            self._err(c.NOT_A_CONDITION, "a comparison needs a field on one side", e.span,
                      "no field", "e.g. `amount > 1000`")
            return None
        field = self.resolve(left)
        if field is None:
            if isinstance(right, ast.Ref):
                self.resolve(right, report=len(right.path) != 1)
            return None
        if op in _ORDERED and field.kind in (FieldKind.BOOLEAN, FieldKind.ENUM):
            self._err(c.BAD_OPERATOR, f"`{op}` cannot compare {field.kind.value} field `{left.dotted}`",
                      e.span, "no order", "use = or <>, or `in [...]`")
            return None
        what = f"field `{left.dotted}`"
        if isinstance(right, ast.Ref):
            if field.kind is FieldKind.ENUM and len(right.path) == 1:
                enum = self._enum_of(field)
                if enum is not None and enum.lookup(right.path[0].text) is not None:
                    const = self._const(right, field, what)
                    return BCompare(op, field, const, span=e.span) if const else None
                other = self.resolve(right, report=False)
                if other is None:
                    self._const(right, field, what)  # reports the bad enum value with a suggestion
                    return None
            else:
                other = self.resolve(right, report=len(right.path) > 1)
                if other is None and len(right.path) == 1:
                    cands = [f.name for f in self.record.fields]
                    hint = did_you_mean(right.path[0].text, cands)
                    if not hint and field.kind in _TEXTUAL:
                        hint = f'write text values in double quotes: "{right.path[0].text}"'
                    self._err(c.UNKNOWN_FIELD, f"{self.record.name} has no field `{right.path[0].text}`",
                              right.span, "unknown field", hint)
                    return None
                if other is None:
                    return None
            if not _compatible(field, other):
                self._err(c.BAD_VALUE, f"`{left.dotted}` ({field.kind.value}) cannot be compared with "
                          f"`{right.dotted}` ({other.kind.value})", e.span, "different types")
                return None
            return BCompare(op, field, other, span=e.span)
        if not isinstance(right, _LITERALS):
            self._err(c.NOT_A_CONDITION, "compare a field with a value or another field", right.span)
            return None
        const = self._const(right, field, what)
        return BCompare(op, field, const, span=e.span) if const else None

    def _items(self, field: BField, items: tuple[ast.Expr | ast.Range, ...],
               what: str) -> tuple[BConst | BRange, ...] | None:
        out: list[BConst | BRange] = []
        ok = True
        for it in items:
            if isinstance(it, ast.Range):
                if field.kind in (FieldKind.BOOLEAN, FieldKind.ENUM):
                    self._err(c.BAD_OPERATOR, f"a range cannot be used on {field.kind.value} field", it.span,
                              "no order", "list the values instead")
                    ok = False
                    continue
                lo = self._const(it.low, field, what) if it.low is not None else None
                hi = self._const(it.high, field, what) if it.high is not None else None
                if (it.low is not None and lo is None) or (it.high is not None and hi is None):
                    ok = False
                    continue
                out.append(BRange(lo, hi))
            else:
                k = self._const(it, field, what)
                if k is None:
                    ok = False
                else:
                    out.append(k)
        return tuple(out) if ok else None

    def _in(self, e: ast.InList | ast.InRange) -> BExpr | None:
        if not isinstance(e.operand, ast.Ref):
            self._err(c.NOT_A_CONDITION, "`in` needs a field on its left", e.span)
            return None
        field = self.resolve(e.operand)
        if field is None:
            return None
        items = e.items if isinstance(e, ast.InList) else (e.range,)
        bound = self._items(field, items, f"field `{e.operand.dotted}`")
        if bound is None:
            return None
        return BIn(field, bound, e.negated, span=e.span)

    def _text(self, e: ast.TextTest) -> BExpr | None:
        if not isinstance(e.operand, ast.Ref):
            self._err(c.NOT_A_CONDITION, f"`{e.op}` needs a field on its left", e.span)
            return None
        field = self.resolve(e.operand)
        if field is None:
            return None
        emptiness = e.op in ("is empty", "is not empty")
        allowed = _TEXTUAL | (_DATES if emptiness else set())
        if field.kind not in allowed:
            self._err(c.BAD_OPERATOR,
                      f"`{e.op}` needs a text field; `{e.operand.dotted}` is {field.kind.value}",
                      e.span, "not text")
            return None
        pattern: BConst | None = None
        if e.pattern is not None:
            if not isinstance(e.pattern, ast.TextLit):
                self._err(c.BAD_VALUE, f"`{e.op}` looks for text; write it in double quotes", e.pattern.span,
                          "not text")
                return None
            pattern = BConst(e.pattern.value, FieldKind.TEXT, span=e.pattern.span)
        return BText(e.op, field, pattern, span=e.span)

    def _change(self, e: ast.ChangeTest) -> BExpr | None:
        if self.event is None or not self.event.record_change:
            what = f"`{self.event.name}`" if self.event else "a record inside any/all/no"
            self._err(c.NOT_A_CHANGE_EVENT, f"`{e.kind}` tests a field change, which {what} does not carry",
                      e.span, "not a record-change event",
                      "use an event such as CustomerChanged, VendorChanged or ItemChanged")
            return None
        if len(e.field.path) != 1:
            self._err(c.BAD_RELATION_USE, "a change test reads a field of the changed record itself",
                      e.field.span, "related field")
            return None
        field = self.resolve(e.field)
        if field is None:
            return None
        if e.kind in ("increased", "decreased") and field.kind in (FieldKind.BOOLEAN, FieldKind.ENUM):
            self._err(c.BAD_OPERATOR, f"`{e.kind}` needs a number or date; `{e.field.dotted}` is "
                      f"{field.kind.value}", e.span, "no order", "use `changed`")
            return None
        return BChange(field, e.kind, span=e.span)

    def _quantified(self, e: ast.Quantified) -> BExpr | None:
        rec = self.record
        path: list[str] = []
        parts = e.collection.path
        for i, name in enumerate(parts):
            rel = rec.relation(name.text)
            if rel is None:
                if rec.field(name.text) is not None:
                    self._err(c.BAD_RELATION_USE, f"`{name.text}` is a field, not related records", name.span,
                              "not a relation")
                else:
                    self._err(c.UNKNOWN_FIELD, f"{rec.name} has no relation `{name.text}`", name.span,
                              "unknown relation", did_you_mean(name.text, [r.name for r in rec.relations]))
                return None
            last = i == len(parts) - 1
            if last and not rel.many:
                self._err(c.BAD_RELATION_USE, f"`{name.text}` is one record; `{e.quantifier}` needs a list",
                          name.span, "to-one relation", f"write `{e.collection.dotted}.<field> ...`")
                return None
            if not last and rel.many:
                self._err(c.BAD_RELATION_USE, f"`{name.text}` holds many records", name.span,
                          "to-many relation")
                return None
            target = self._spec(rel.record)
            if target is None:
                self._err(c.UNKNOWN_RECORD, f"relation `{name.text}` leads to unknown record type "
                          f"`{rel.record}`", name.span)
                return None
            path.append(rel.name)
            rec = target
        inner: BExpr | None = None
        if e.condition is not None:
            sub = ExprBinder(rec, self.records, None, self.diags)
            inner = sub.bind(e.condition)
            if inner is None:
                return None
        return BQuantified(e.quantifier, tuple(path), rec.name, inner, span=e.span)
