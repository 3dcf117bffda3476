"""Value kinds: what each ``FieldKind`` holds, its name in messages, and the one conversion of a given value
(a host's payload, a value a response writes, a declared default or preset) to the kind's canonical value.

Money and quantities are ``Decimal`` below 10^18 (never a float); codes are upper-cased like BC's Code
fields; dates are ``datetime.date``, date-times are time-zone aware (UTC when none is given); enum values
are the enum's canonical display value; date formulas are read by ``dateformula.parse``. The binder reads
a script's literals into Python values first and names its own, more specific, help.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from . import dateformula
from .specs import EnumType, FieldKind

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

TRUE_WORDS = ("true", "yes", "1")
FALSE_WORDS = ("false", "no", "0")
AMOUNT_LIMIT_DIGITS = 18
"""Amounts and quantities stay below 10^18 (BC's Decimal holds 18 significant digits)."""


_SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(value: str, max_length: int | None = None) -> str | None:
    """Why ``value`` cannot be stored as text (None: it can): too long, a NUL character, or an unpaired
    surrogate (not Unicode text; UTF-8 cannot encode it)."""
    if max_length is not None and len(value) > max_length:
        return f"has {len(value):,} characters; at most {max_length:,} are allowed"
    if "\x00" in value:
        return "contains a NUL character"
    bad = _SURROGATE.search(value)
    if bad is not None:
        return (f"is not valid Unicode text: it holds the unpaired surrogate {bad.group()!r} at character "
                f"{bad.start() + 1} (from JSON such as \"\\ud800\", or bytes that are not UTF-8)")
    return None


def code(text: str) -> str:
    """A code as BC stores it: upper-cased."""
    return text.upper()


def boolean_word(word: str) -> bool | None:
    """``true``/``yes``/``1`` -> True, ``false``/``no``/``0`` -> False (any case), else None."""
    w = word.strip().lower()
    return True if w in TRUE_WORDS else False if w in FALSE_WORDS else None


def amount(d: Decimal) -> Decimal:
    """``d`` when it is a finite amount below 10^18; raises ValueError otherwise."""
    if not d.is_finite() or d.adjusted() >= AMOUNT_LIMIT_DIGITS:
        raise ValueError("an amount below 10^18 is expected")
    return d


def to_kind(kind: FieldKind, raw: Any, *, enum: EnumType | None = None, max_length: int | None = None) -> Any:
    """``raw`` (plain data: text, int, Decimal, bool, date) as ``kind``'s canonical value; None stays None.
    Raises ValueError (with a reason, or none) or a ``decimal``/``TypeError`` error when it cannot be."""
    if raw is None:
        return None
    convert = _CONVERT.get(kind)
    if convert is None:
        return raw
    return convert(raw, enum, max_length)


def _decimal(raw: Any, enum: EnumType | None, max_length: int | None) -> Decimal:
    if isinstance(raw, bool | float):
        raise ValueError("give money and quantities as text or integers, never as floats")
    return amount(Decimal(raw) if isinstance(raw, Decimal | int) else Decimal(str(raw).strip()))


def _integer(raw: Any, enum: EnumType | None, max_length: int | None) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise ValueError("expected a whole number")
    return int(raw)


def _text(raw: Any, enum: EnumType | None, max_length: int | None) -> str:
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        raise ValueError("expected text")
    text = str(raw)
    why = text_problem(text, max_length)  # too long, a NUL (PostgreSQL cannot store it), a lone surrogate
    if why is not None:
        raise ValueError(why)
    return text


def _code(raw: Any, enum: EnumType | None, max_length: int | None) -> str:
    return code(_text(raw, enum, max_length))


def _boolean(raw: Any, enum: EnumType | None, max_length: int | None) -> bool:
    if isinstance(raw, bool):
        return raw
    found = boolean_word(raw) if isinstance(raw, str) else None
    if found is None:
        raise ValueError("expected true or false")
    return found


def _date(raw: Any, enum: EnumType | None, max_length: int | None) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    return dt.date.fromisoformat(str(raw))


def _datetime(raw: Any, enum: EnumType | None, max_length: int | None) -> dt.datetime:
    v = raw if isinstance(raw, dt.datetime) else dt.datetime.fromisoformat(str(raw))
    return v if v.tzinfo is not None else v.replace(tzinfo=dt.UTC)


def _enum(raw: Any, enum: EnumType | None, max_length: int | None) -> str:
    if enum is None:
        return str(raw)
    canon = enum.lookup(str(raw))
    if canon is None:
        raise ValueError(f"not one of {', '.join(enum.values)}")
    return canon


_CONVERT = {
    FieldKind.DECIMAL: _decimal,
    FieldKind.INTEGER: _integer,
    FieldKind.TEXT: _text,
    FieldKind.CODE: _code,
    FieldKind.FORMULA: _text,
    FieldKind.BOOLEAN: _boolean,
    FieldKind.DATE: _date,
    FieldKind.DATETIME: _datetime,
    FieldKind.ENUM: _enum,
}

CONVERSION_ERRORS = (ValueError, InvalidOperation, TypeError)
"""What ``to_kind`` raises for a value its kind cannot hold."""

_DECLARED_TYPES: dict[FieldKind, tuple[type, ...]] = {
    FieldKind.DECIMAL: (Decimal, int),
    FieldKind.INTEGER: (int,),
    FieldKind.TEXT: (str,),
    FieldKind.CODE: (str,),
    FieldKind.FORMULA: (str,),
    FieldKind.BOOLEAN: (bool,),
    FieldKind.DATE: (dt.date,),
    FieldKind.DATETIME: (dt.datetime,),
}


def declared_problem(kind: FieldKind, enum: EnumType | None, value: Any) -> str:
    """'' when a value declared in Python (an option's default or a pattern's preset) suits ``kind``, else
    what is wrong. Money and quantities must be Decimal (or int), never float; an enum value must be one of
    the enum's; a date formula must read."""
    if kind is FieldKind.ENUM:
        if enum is None:
            return ""
        if not isinstance(value, str) or enum.lookup(value) is None:
            return f"is not a value of {enum.name} ({', '.join(enum.values)})"
        return ""
    if kind in (FieldKind.DECIMAL, FieldKind.INTEGER) and isinstance(value, bool):
        return f"is not a {kind.value} value"
    if kind is FieldKind.DATE and isinstance(value, dt.datetime):
        return "is a datetime, not a date"
    if kind is FieldKind.FORMULA and isinstance(value, str):
        try:
            dateformula.parse(value)
        except dateformula.DateFormulaError:
            return "is not a date formula (such as 2D, 1W or CM+1D)"
    if not isinstance(value, _DECLARED_TYPES[kind]):
        hint = " (use Decimal, never float)" if kind is FieldKind.DECIMAL and isinstance(value, float) else ""
        return f"is not a {kind.value} value{hint}"
    return ""
