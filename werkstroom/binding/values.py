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

from ..catalogue import dateformula, kinds
from ..catalogue.kinds import KIND_NAMES
from ..catalogue.specs import EnumType, FieldKind
from ..codes import binding as c
from ..grammar import ast
from ..numbers import written_number
from ..spelling import did_you_mean
from .program import Value


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
    if kind is FieldKind.ENUM:
        assert enum is not None, "an ENUM field or option without its EnumType"
        return _enum(part, enum, what)
    if kind is FieldKind.FORMULA:
        return _formula(part, what)
    got = _LITERAL[kind](part, _word(part))
    if isinstance(got, str):  # the help for a value of the wrong kind
        return Converted(error=f"{describe(part)} is not {KIND_NAMES[kind]}, which {what} needs",
                         help=got, code=c.BAD_VALUE)
    return Converted(got[0])


_Read = tuple[Value] | str
"""A literal read as the kind's value (a 1-tuple), or the help for one that is not of the kind."""


def _decimal(part: ast.PhrasePart | ast.Expr, word: str | None) -> _Read:
    if isinstance(part, ast.IntLit):
        return (Decimal(part.value),)
    if isinstance(part, ast.DecimalLit):
        return (part.value,)
    return number_help(part, "amounts are written `1000.00`: a point before the decimals, "
                             "no thousands separators, no quotes")


def _integer(part: ast.PhrasePart | ast.Expr, word: str | None) -> _Read:
    if isinstance(part, ast.IntLit):
        return (part.value,)
    if isinstance(part, ast.DecimalLit) and part.value == part.value.to_integral_value():
        return (int(part.value),)
    return number_help(part, "whole numbers are written `1000`: digits only, "
                             "no thousands separators, no quotes")


def _text(part: ast.PhrasePart | ast.Expr, word: str | None) -> _Read:
    if isinstance(part, ast.TextLit):
        return (part.value,)
    if word is not None:
        return (word,)
    return 'write text in double quotes, e.g. "text"'


def _code(part: ast.PhrasePart | ast.Expr, word: str | None) -> _Read:
    if isinstance(part, ast.TextLit):
        return (kinds.code(part.value),)
    if isinstance(part, ast.IntLit):
        return (str(part.value),)
    if word is not None:
        return (kinds.code(word),)
    return 'write a code in double quotes, e.g. "10000"'


def _date(part: ast.PhrasePart | ast.Expr, word: str | None) -> _Read:
    return (part.value,) if isinstance(part, ast.DateLit) else "write dates as YYYY-MM-DD"


def _datetime(part: ast.PhrasePart | ast.Expr, word: str | None) -> _Read:
    if isinstance(part, ast.DateLit):
        return (dt.datetime.combine(part.value, dt.time()),)
    return "write dates as YYYY-MM-DD"


def _boolean(part: ast.PhrasePart | ast.Expr, word: str | None) -> _Read:
    if isinstance(part, ast.BoolLit):
        return (part.value,)
    found = kinds.boolean_word(word) if word is not None and word.isalpha() else None
    return (found,) if found is not None else "write true or false"


_LITERAL = {
    FieldKind.DECIMAL: _decimal,
    FieldKind.INTEGER: _integer,
    FieldKind.TEXT: _text,
    FieldKind.CODE: _code,
    FieldKind.DATE: _date,
    FieldKind.DATETIME: _datetime,
    FieldKind.BOOLEAN: _boolean,
}


def _formula(part: ast.PhrasePart | ast.Expr, what: str) -> Converted:
    word = _word(part)
    text: str | None = None
    if isinstance(part, ast.FormulaLit):
        text = part.text
    elif isinstance(part, ast.TextLit):
        text = part.value
    elif word is not None:
        text = word
    if text is None:
        name = KIND_NAMES[FieldKind.FORMULA]
        return Converted(error=f"{describe(part)} is not {name}, which {what} needs", code=c.BAD_VALUE)
    if text.strip() == "":
        return Converted("")
    try:
        formula = dateformula.parse(text)
    except dateformula.DateFormulaError as exc:
        shown = text if len(text) <= 40 else text[:37] + "..."
        return Converted(error=f"`{shown}` is not a valid date formula for {what}: {exc.reason}",
                         help="write e.g. 2D, 1W, 1M, CM, CM+1D or D15", code=c.BAD_FORMULA)
    return Converted(formula.text)


def _enum(part: ast.PhrasePart | ast.Expr, enum: EnumType, what: str) -> Converted:
    word = _word(part)
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
