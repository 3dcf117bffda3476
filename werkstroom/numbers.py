"""Numbers as people write them outside scripts ("1.000,00", "1,000.50", "1 000"), read the way a
script writes them (``1000.00``): for hints in diagnostics, never to accept such a value."""

from __future__ import annotations

import re
from decimal import Decimal

_WRITTEN = re.compile(r"[+-]?[0-9.,' ]+")
MAX_LENGTH = 40
"""Longer texts are not read (a hint quoting them would not help)."""


def written_number(text: str) -> Decimal | None:
    """The value of a number written with thousands separators and/or a decimal comma, or ``None``
    when ``text`` is not such a number. The later of `.` and `,` separates the decimals; a lone
    separator kind repeated, or a `,` followed by exactly three digits, groups thousands; a single `.`
    is the decimal point."""
    t = text.strip().replace(" ", "").replace("'", "")
    if len(t) > MAX_LENGTH or _WRITTEN.fullmatch(t) is None or not any(ch.isdigit() for ch in t):
        return None
    dot, comma = t.rfind("."), t.rfind(",")
    if dot >= 0 and comma >= 0:
        point = "," if comma > dot else "."
    elif comma >= 0 or t.count(".") > 1:
        sep = "," if comma >= 0 else "."
        last = t.rsplit(sep, 1)[1]
        point = "" if len(last) == 3 else sep
    else:
        point = "."
    whole, _, decimals = t.rpartition(point) if point and point in t else (t, "", "")
    digits = whole.replace(".", "").replace(",", "") + ("." + decimals if decimals else "")
    if decimals and ("." in decimals or "," in decimals):
        return None
    try:
        return Decimal(digits)
    except ArithmeticError:
        return None
