"""Converting written values (literals, bare words) to a field's or option's kind.

Shared by condition binding (``amount > 1000``) and option binding (``due in 2D``). Money and
quantities become ``Decimal``; enum values become the enum's canonical display value; code values
are upper-cased like BC's Code fields; date formulas are read by ``dateformula.parse``, the one
reader the engine uses too (BC's syntax and Werkstroom's limits).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from ..catalogue import dateformula
from ..catalogue.specs import EnumType, FieldKind
from ..codes import binding as c
from ..grammar import ast
from ..numbers import written_number
from ..spelling import did_you_mean
from .program import Value

KIND_NAMES: dict[FieldKind, str] = {
    FieldKind.DECIMAL: "a decimal number",
    FieldKind.INTEGER: "a whole number",
    FieldKind.TEXT: "text",
    FieldKind.CODE: "a code",
    FieldKind.DATE: "a date",
    FieldKind.DATETIME: "a date-time",
    FieldKind.BOOLEAN: "true or false",
    FieldKind.ENUM: "an enum value",
    FieldKind.FORMULA: "a date formula such as 2D or CM+1D",
}

@attrs.frozen
class Converted:
    """The outcome of a conversion: ``value`` when ``error`` is empty, else a message and a hint.

    ``code``: which diagnostic fits the failure (WF301 wrong kind, WF302 enum value, WF309 formula).
    """

    value: Value = None
    error: str = ""
    help: str = ""
    code: str = ""


def describe(part: ast.PhrasePart | ast.Expr) -> str:
    if isinstance(part, ast.Name):
        return f"`{part.text}`"
    if isinstance(part, ast.Ref):
        return f"`{part.dotted}`"
    if isinstance(part, ast.TextLit):
        return f'"{part.value}"'
    if isinstance(part, ast.BoolLit):
        return "true" if part.value else "false"
    if isinstance(part, ast.FormulaLit):
        return part.text
    if isinstance(part, ast.IntLit | ast.DecimalLit | ast.DateLit):
        return str(part.value)
    return "this expression"


def _word(part: ast.PhrasePart | ast.Expr) -> str | None:
    """The bare word of a Name or a one-part Ref."""
    if isinstance(part, ast.Name):
        return part.text
    if isinstance(part, ast.Ref) and len(part.path) == 1:
        return part.path[0].text
    return None


def number_help(part: ast.PhrasePart | ast.Expr, rule: str) -> str:
    """For a number written as text the way people write amounts ("1.000,00", "1,000.50"): how to
    write it (``rule``) and, when the separators tell, the value written that way. Empty for other
    values."""
    value = written_number(part.value) if isinstance(part, ast.TextLit) else None
    return "" if value is None else f"{rule}; here: `{value}`"


def convert(part: ast.PhrasePart | ast.Expr, kind: FieldKind, enum: EnumType | None,
            what: str) -> Converted:
    """Convert ``part`` to ``kind``. ``what`` names the target in messages (``field `amount```)."""
    def bad(extra_help: str = "") -> Converted:
        return Converted(error=f"{describe(part)} is not {KIND_NAMES[kind]}, which {what} needs",
                         help=extra_help, code=c.BAD_VALUE)

    word = _word(part)
    if kind is FieldKind.DECIMAL:
        if isinstance(part, ast.IntLit):
            return Converted(Decimal(part.value))
        if isinstance(part, ast.DecimalLit):
            return Converted(part.value)
        return bad(number_help(part, "amounts are written `1000.00`: a point before the decimals, "
                                       "no thousands separators, no quotes"))
    if kind is FieldKind.INTEGER:
        if isinstance(part, ast.IntLit):
            return Converted(part.value)
        if isinstance(part, ast.DecimalLit) and part.value == part.value.to_integral_value():
            return Converted(int(part.value))
        return bad(number_help(part, "whole numbers are written `1000`: digits only, "
                                       "no thousands separators, no quotes"))
    if kind is FieldKind.TEXT:
        if isinstance(part, ast.TextLit):
            return Converted(part.value)
        if word is not None:
            return Converted(word)
        return bad('write text in double quotes, e.g. "text"')
    if kind is FieldKind.CODE:
        if isinstance(part, ast.TextLit):
            return Converted(part.value.upper())
        if isinstance(part, ast.IntLit):
            return Converted(str(part.value))
        if word is not None:
            return Converted(word.upper())
        return bad('write a code in double quotes, e.g. "10000"')
    if kind is FieldKind.DATE:
        if isinstance(part, ast.DateLit):
            return Converted(part.value)
        return bad("write dates as YYYY-MM-DD")
    if kind is FieldKind.DATETIME:
        if isinstance(part, ast.DateLit):
            return Converted(dt.datetime.combine(part.value, dt.time()))
        return bad("write dates as YYYY-MM-DD")
    if kind is FieldKind.BOOLEAN:
        if isinstance(part, ast.BoolLit):
            return Converted(part.value)
        if word is not None and word.lower() in ("true", "false", "yes", "no"):
            return Converted(word.lower() in ("true", "yes"))
        return bad("write true or false")
    if kind is FieldKind.FORMULA:
        text: str | None = None
        if isinstance(part, ast.FormulaLit):
            text = part.text
        elif isinstance(part, ast.TextLit):
            text = part.value
        elif word is not None:
            text = word
        if text is None:
            return bad()
        if text.strip() == "":
            return Converted("")
        try:
            formula = dateformula.parse(text)
        except dateformula.DateFormulaError as exc:
            shown = text if len(text) <= 40 else text[:37] + "..."
            return Converted(error=f"`{shown}` is not a valid date formula for {what}: {exc.reason}",
                             help="write e.g. 2D, 1W, 1M, CM, CM+1D or D15", code=c.BAD_FORMULA)
        return Converted(formula.text)
    # ENUM
    assert enum is not None, "an ENUM field or option without its EnumType"
    written: str | None = None
    if isinstance(part, ast.TextLit):
        written = part.value
    elif word is not None:
        written = word
    elif isinstance(part, ast.FormulaLit):
        written = part.text
    elif isinstance(part, ast.IntLit):
        written = str(part.value)
    if written is None:
        return Converted(error=f"{describe(part)} is not a value of {enum.name}, which {what} needs",
                         help="values: " + ", ".join(enum.values), code=c.BAD_ENUM_VALUE)
    found = enum.lookup(written)
    if found is None:
        hint = did_you_mean(written, enum.values)
        if not hint:
            hint = "values: " + ", ".join(enum.values)
        return Converted(error=f"`{written}` is not a value of {enum.name}, which {what} needs",
                         help=hint, code=c.BAD_ENUM_VALUE)
    return Converted(found)
