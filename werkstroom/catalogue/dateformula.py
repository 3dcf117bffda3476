"""Business Central date formulas (``2D``, ``1W``, ``CM``, ``CM+1D``, ``-1W``, ``WD5``, ``D15``).

A formula is a sequence of terms, each with an optional sign (``+`` / ``-``; the first term is ``+``
when it has none):

* ``<n><unit>``: move ``n`` days (``D``), weeks (``W``), months (``M``), quarters (``Q``) or years
  (``Y``). Months, quarters and years keep the day of month, clamped to the end of a shorter month
  (``2026-01-31 + 1M`` is ``2026-02-28``).
* ``C<unit>``: the current day/week/month/quarter/year: ``+`` moves to its last day, ``-`` to its
  first day (weeks run Monday to Sunday).
* ``WD<n>`` (``n`` 1..7, Monday = 1): the next such weekday (``-``: the previous one); a date already on
  that weekday moves a whole week.
* ``D<n>`` (``n`` 1..31): the next day ``n`` of a month (``-``: the previous one), clamped to shorter months.

Angle brackets (``<1D>``) and spaces are ignored; case does not matter.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

import attrs

from ..errors import WerkstroomError

_TERM = re.compile(r"([+-]?)(?:(\d+)(D|W|M|Q|Y)|C(D|W|M|Q|Y)|WD(\d)|D(\d{1,2}))")


class DateFormulaError(WerkstroomError):
    code = "WF618"


@attrs.frozen
class Term:
    sign: int
    kind: str  # "offset", "current", "weekday", "day"
    unit: str = ""
    count: int = 0


@attrs.frozen
class DateFormula:
    """A parsed date formula. ``text``: canonical upper-case spelling without spaces."""

    text: str
    terms: tuple[Term, ...]

    def apply(self, date: dt.date) -> dt.date:
        for term in self.terms:
            date = _apply_term(term, date)
        return date

    @property
    def is_blank(self) -> bool:
        return not self.terms


BLANK = DateFormula("", ())


def parse(text: str) -> DateFormula:
    """Parse ``text``; a DateFormulaError (WF618) names what is wrong."""
    canon = text.replace("<", "").replace(">", "").replace(" ", "").upper()
    if not canon:
        return BLANK
    terms: list[Term] = []
    pos = 0
    while pos < len(canon):
        m = _TERM.match(canon, pos)
        if m is None:
            raise DateFormulaError(f"invalid date formula {text!r}: cannot read {canon[pos:]!r}")
        if not m.group(1) and terms:
            raise DateFormulaError(f"invalid date formula {text!r}: terms after the first need + or -")
        sign = -1 if m.group(1) == "-" else 1
        if m.group(2):
            terms.append(Term(sign, "offset", m.group(3), int(m.group(2))))
        elif m.group(4):
            terms.append(Term(sign, "current", m.group(4)))
        elif m.group(5):
            wd = int(m.group(5))
            if not 1 <= wd <= 7:
                raise DateFormulaError(f"invalid date formula {text!r}: weekday must be 1..7")
            terms.append(Term(sign, "weekday", count=wd))
        else:
            day = int(m.group(6))
            if not 1 <= day <= 31:
                raise DateFormulaError(f"invalid date formula {text!r}: day must be 1..31")
            terms.append(Term(sign, "day", count=day))
        pos = m.end()
    return DateFormula(canon, tuple(terms))


def coerce(value: object) -> DateFormula:
    """A DateFormula from a formula, its text, an object with a ``text`` attribute (``FormulaLit``)
    or None."""
    if value is None:
        return BLANK
    if isinstance(value, DateFormula):
        return value
    text = getattr(value, "text", value)
    if not isinstance(text, str):
        raise DateFormulaError(f"not a date formula: {value!r}")
    return parse(text)


def _add_months(date: dt.date, months: int) -> dt.date:
    idx = date.year * 12 + (date.month - 1) + months
    year, month = divmod(idx, 12)
    month += 1
    day = min(date.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def _apply_term(term: Term, date: dt.date) -> dt.date:
    s = term.sign
    if term.kind == "offset":
        n = s * term.count
        if term.unit == "D":
            return date + dt.timedelta(days=n)
        if term.unit == "W":
            return date + dt.timedelta(weeks=n)
        months = {"M": 1, "Q": 3, "Y": 12}[term.unit] * n
        return _add_months(date, months)
    if term.kind == "current":
        if term.unit == "D":
            return date
        if term.unit == "W":
            monday = date - dt.timedelta(days=date.weekday())
            return monday if s < 0 else monday + dt.timedelta(days=6)
        if term.unit == "M":
            first_month = date.month
            last_month = date.month
        elif term.unit == "Q":
            first_month = (date.month - 1) // 3 * 3 + 1
            last_month = first_month + 2
        else:
            first_month, last_month = 1, 12
        if s < 0:
            return dt.date(date.year, first_month, 1)
        return dt.date(date.year, last_month, calendar.monthrange(date.year, last_month)[1])
    if term.kind == "weekday":
        target = term.count - 1
        if s > 0:
            delta = (target - date.weekday()) % 7 or 7
            return date + dt.timedelta(days=delta)
        delta = (date.weekday() - target) % 7 or 7
        return date - dt.timedelta(days=delta)
    # day of month
    step = 1 if s > 0 else -1
    probe = date
    for _ in range(62):
        probe = probe + dt.timedelta(days=step)
        last = calendar.monthrange(probe.year, probe.month)[1]
        if probe.day == min(term.count, last):
            return probe
    raise DateFormulaError(f"day {term.count} not reached")  # pragma: no cover - 62 days always reach it
