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

This module is the one reader of date formulas: ``wf check`` (the binder), the engine, the catalogue's
option defaults and the simulator's ``advance`` all use ``parse``. A formula may move a date by at
most ``MAX_YEARS`` years either way, counted in calendar years: applied to 2000-01-01 it must land
between 1900-01-01 and 2100-12-31 (``100Y``, ``CY+100Y``, ``1200M`` and ``36889D`` are accepted,
``101Y`` is not), so one that checks clean applies to any date of the coming centuries.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

import attrs

from ..errors import WerkstroomError

_TERM = re.compile(r"([+-]?)(?:(\d+)(D|W|M|Q|Y)|C(D|W|M|Q|Y)|WD(\d+)|D(\d+))")

MAX_YEARS = 100
"""How far (in years, either way) a formula may move a date."""
_PROBE = dt.date(2000, 1, 1)
_TOO_FAR = f"it moves a date by more than {MAX_YEARS} years"
_MAX_DIGITS = 6  # more digits than any formula within MAX_YEARS needs (36889D)


class DateFormulaError(WerkstroomError):
    """A formula that cannot be read or applied. ``reason``: what is wrong, without the formula."""

    code = "WF618"

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message, code="WF618")
        self.reason = reason or message


def _invalid(text: str, reason: str) -> DateFormulaError:
    return DateFormulaError(f"invalid date formula {_short(text)}: {reason}", reason)


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
        """``date`` moved by the formula; a DateFormulaError (WF618) when the result would fall
        outside the years 1 to 9999."""
        start = date
        try:
            for term in self.terms:
                date = _apply_term(term, date)
        except (OverflowError, ValueError) as exc:
            raise DateFormulaError(f"the date formula {_short(self.text)} moves {start.isoformat()} "
                                   "outside the years 1 to 9999") from exc
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
            raise _invalid(text, f"cannot read {_short(canon[pos:])}")
        if not m.group(1) and terms:
            raise _invalid(text, "terms after the first need + or -")
        sign = -1 if m.group(1) == "-" else 1
        digits = m.group(2) or m.group(5) or m.group(6) or ""
        if len(digits) > _MAX_DIGITS:
            raise _invalid(text, _TOO_FAR)
        if m.group(2):
            terms.append(Term(sign, "offset", m.group(3), int(m.group(2))))
        elif m.group(4):
            terms.append(Term(sign, "current", m.group(4)))
        elif m.group(5):
            wd = int(m.group(5))
            if not 1 <= wd <= 7:
                raise _invalid(text, "weekday must be 1..7")
            terms.append(Term(sign, "weekday", count=wd))
        else:
            day = int(m.group(6))
            if not 1 <= day <= 31:
                raise _invalid(text, "day must be 1..31")
            terms.append(Term(sign, "day", count=day))
        pos = m.end()
    return _within_limits(DateFormula(canon, tuple(terms)), text)


def _short(text: str) -> str:
    """``text`` quoted for a message, cut to 40 characters."""
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _within_limits(formula: DateFormula, text: str) -> DateFormula:
    """``formula`` when it moves a date by at most MAX_YEARS years, else a DateFormulaError."""
    try:
        moved = formula.apply(_PROBE)
    except DateFormulaError:
        moved = None
    if moved is None or abs(moved.year - _PROBE.year) > MAX_YEARS:
        raise _invalid(text, _TOO_FAR)
    return formula


def coerce(value: object) -> DateFormula:
    """A DateFormula from a formula, its text, an object with a ``text`` attribute (``FormulaLit``)
    or None."""
    if value is None:
        return BLANK
    if isinstance(value, DateFormula):
        return value
    text = getattr(value, "text", value)
    if not isinstance(text, str):
        raise DateFormulaError(f"not a date formula: {_short(repr(value))}")
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
