"""Values at their limits: one date-formula reader for `wf check` and the engine, formulas that move a
date too far are refused when the script is checked, and dates at the calendar's edges in the overlap
analysis."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.binder.fakecat import RECORDS
from tests.binder.test_diagnostics import check, only
from werkstroom.binding.overlap import both, none_of
from werkstroom.binding.program import BCompare, BConst, BField
from werkstroom.binding.values import convert
from werkstroom.catalogue import dateformula
from werkstroom.catalogue.specs import FieldKind as K
from werkstroom.grammar.ast import Name, TextLit

CREATE = "on PurchaseDocSentForApproval then\n   create approval requests for approver chain, due in {}\n"


@pytest.mark.parametrize("formula, bound", [
    ("D15", "D15"), ("d15", "D15"), ("WD3", "WD3"), ("D1", "D1"), ("D31", "D31"), ('"<15D>"', "15D"),
    ('"<CM+1D>"', "CM+1D"), ("100Y", "100Y"), ("1200M", "1200M"), ("36889D", "36889D"),
    ('"CY+100Y"', "CY+100Y"),
])
def test_formulas_the_engine_reads_check_clean(formula: str, bound: str) -> None:
    prog = check(CREATE.format(formula))
    assert prog.ok, [d.message for d in prog.diagnostics]
    option = prog.workflows[0].steps[1].options["due_date_formula"]
    assert option == bound
    dateformula.parse(option).apply(dt.date(2026, 1, 20))  # what the engine does with it


@pytest.mark.parametrize("formula, reason", [
    ("9999Y", "more than 100 years"), ("101Y", "more than 100 years"), ("36890D", "more than 100 years"),
    ('"50Y+51Y"', "more than 100 years"), ("9" * 30 + "D", "more than 100 years"),
    ("D32", "day must be 1..31"),
    ("D0", "day must be 1..31"), ("WD8", "weekday must be 1..7"), ("soon", "cannot read"),
])
def test_formulas_out_of_limits_are_wf309(formula: str, reason: str) -> None:
    d = only("WF309", CREATE.format(formula))
    assert reason in d.message and len(d.message) < 160, d.message
    assert d.span is not None and (d.span.line, d.span.col) == (2, 56)


_FORMULA_TEXT = st.text(alphabet="0123456789DWMQYCW+-<> ", max_size=12)


@given(_FORMULA_TEXT)
def test_check_and_engine_accept_the_same_formulas(text: str) -> None:
    """Whatever the binder accepts the engine reads and applies to the dates of this millennium; what
    the engine cannot read, the binder refuses (WF309)."""
    converted = convert(TextLit(text), K.FORMULA, None, "option `due`")
    try:
        formula = dateformula.parse(text)
    except dateformula.DateFormulaError:
        assert converted.code == "WF309" or text.strip() == ""
        return
    assert not converted.error, converted.error
    assert converted.value == formula.text
    for day in (dt.date(2000, 1, 1), dt.date(2999, 12, 31)):
        formula.apply(day)


def test_a_name_is_read_as_a_formula_like_a_text() -> None:
    assert convert(Name("D15"), K.FORMULA, None, "x").value == "D15"


def test_applying_beyond_the_calendar_is_a_coded_error() -> None:
    with pytest.raises(dateformula.DateFormulaError) as err:
        dateformula.parse("100Y").apply(dt.date(9950, 1, 1))
    assert err.value.code == "WF618" and "outside the years 1 to 9999" in err.value.message
    with pytest.raises(dateformula.DateFormulaError):
        dateformula.parse("-CY-100Y").apply(dt.date(50, 1, 1))


# --------------------------------------------------------------------------- dates at the edges

PD = BField(("posting_date",), K.DATE)
LAST, FIRST = dt.date(9999, 12, 31), dt.date(1, 1, 1)


def _pd(op: str, day: dt.date) -> BCompare:
    return BCompare(op, PD, BConst(day, K.DATE))


def test_no_date_after_the_last_or_before_the_first() -> None:
    rec = RECORDS.get
    assert both(_pd(">", LAST), None, rec, "PurchaseHeader") is None
    assert both(_pd("<", FIRST), None, rec, "PurchaseHeader") is None
    assert both(_pd(">=", LAST), _pd("<=", LAST), rec, "PurchaseHeader") == {"posting_date": "9999-12-31"}
    assert both(_pd("<=", FIRST), None, rec, "PurchaseHeader") == {"posting_date": "0001-01-01"}
    # every date is on or before the last one: nothing is left over
    assert none_of([_pd("<=", LAST)], rec, "PurchaseHeader") is None
    assert none_of([_pd(">", LAST), _pd("<", FIRST)], rec, "PurchaseHeader") is not None


def test_edge_dates_in_a_script_check_without_raising() -> None:
    prog = check("on PurchaseDocReleased when posting_date > 9999-12-31 then release document\n"
                 "on PurchaseDocReleased when posting_date < 0001-01-01 then release document\n")
    assert all(d.code.startswith("WF") for d in prog.diagnostics)
