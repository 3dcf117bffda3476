"""Unit tests of the expenses library: it registers cleanly, is discovered through its entry point, its
response books what it should (Decimal amounts) and its template and example workflow check."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from werkstroom_expenses import __version__, library

from werkstroom import (
    DiagnosticsError,
    Engine,
    ResponseFailed,
    SequentialIds,
    VirtualClock,
    check_paths,
    deploy,
    open_engine,
)
from werkstroom.extend import Origin, catalogue_with, load_catalogue, validate

HERE = Path(__file__).resolve().parent.parent
WORKFLOW = """\
workflow EXP "Book expense reports"
  on ExpenseReportSubmitted then
     book expense to account "6420"
"""


@pytest.fixture
def engine() -> Iterator[Engine]:
    import datetime as dt

    eng = open_engine("sqlite://", clock=VirtualClock(dt.datetime(2026, 4, 6, 9, tzinfo=dt.UTC)),
                      ids=SequentialIds(), catalogue=catalogue_with(library()))
    yield eng
    eng.close()


def test_the_library_registers_without_problems() -> None:
    assert validate(library()) == []


def test_installed_package_is_discovered_with_its_origin() -> None:
    cat, diags = load_catalogue()
    assert [d for d in diags if "expenses" in d.message] == []
    for kind, name in (("event", "ExpenseReportSubmitted"), ("event", "ExpenseReportPaid"),
                       ("response", "book_expense"), ("record", "ExpenseReport"), ("template", "EXP-BOOK")):
        assert cat.origin(kind, name) == Origin("expenses", __version__), (kind, name)  # type: ignore[arg-type]
    paid = cat.event("ExpenseReportPaid")
    assert paid is not None
    after = ("ExpenseReportSubmitted", "ExpenseReportSentForApproval", "ApprovalRequestApproved")
    assert paid.predecessors == after
    approved = cat.event("ApprovalRequestApproved")  # plugged into the stdlib's approvals
    assert approved is not None and "ExpenseReportSentForApproval" in approved.predecessors
    assert cat.origin("event", "ApprovalRequestApproved").library == "werkstroom.approvals"


def test_catalogue_command_shows_the_events_with_their_origin() -> None:
    # `wf catalogue ...`, run as `python -m werkstroom catalogue ...` (the same command)
    command = ["catalogue", "events", "--library", "expenses", "--json"]
    result = subprocess.run([sys.executable, "-m", "werkstroom", *command], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    events = {e["name"]: e for e in json.loads(result.stdout)}
    assert set(events) == {"ExpenseReportSubmitted", "ExpenseReportSentForApproval", "ExpenseReportPaid"}
    assert events["ExpenseReportPaid"]["origin"] == {"library": "expenses", "version": __version__}


def test_book_expense_books_the_lines_total_as_decimal(engine: Engine) -> None:
    deploy(engine, WORKFLOW, "exp.wf")
    engine.enable("EXP")
    lines = [{"report_no": "EX-1", "line_no": 10000, "category": "Travel", "amount": "0.10"},
             {"report_no": "EX-1", "line_no": 20000, "category": "Meals", "amount": "0.20"}]
    engine.emit("ExpenseReportSubmitted", {"no": "EX-1", "employee_no": "E1", "amount": "99", "lines": lines},
                user="ANN")
    [item] = engine.outbox(kind="expense.booked")
    assert Decimal(item.payload["amount"]) == Decimal("0.30")  # the lines, not the header's 99
    assert item.payload["amount"] == "0.30"
    assert item.payload["account"] == "6420" and item.payload["journal"] == "EXPENSES"
    assert item.payload["posting_date"] == "2026-04-06"
    assert [x["amount"] for x in item.payload["lines"]] == ["0.10", "0.20"]
    record = engine.record("ExpenseReport", "EX-1")
    assert record is not None and record["status"] == "Booked"


def test_book_expense_without_lines_books_the_amount(engine: Engine) -> None:
    deploy(engine, WORKFLOW, "exp.wf")
    engine.enable("EXP")
    engine.emit("ExpenseReportSubmitted", {"no": "EX-2", "amount": "12.345"}, user="ANN")
    [item] = engine.outbox(kind="expense.booked")
    assert item.payload["amount"] == "12.34"  # rounded half-even to cents, as Decimal


def test_nothing_to_book_rolls_the_event_back(engine: Engine) -> None:
    deploy(engine, WORKFLOW, "exp.wf")
    engine.enable("EXP")
    with pytest.raises(ResponseFailed) as info:
        engine.emit("ExpenseReportSubmitted", {"no": "EX-3", "amount": "0"}, user="ANN")
    assert info.value.code == "WF505" and info.value.workflow == "EXP"
    assert "nothing to book" in str(info.value)
    assert engine.outbox(kind="expense.booked") == []
    assert engine.record("ExpenseReport", "EX-3") is None
    assert engine.instances() == []


def test_the_account_is_mandatory_when_enabling(engine: Engine) -> None:
    deploy(engine, 'workflow EXP\n  on ExpenseReportSubmitted then book expense\n', "exp.wf")
    with pytest.raises(DiagnosticsError) as info:
        engine.enable("EXP")
    found = [d for d in info.value.diagnostics if d.is_error]
    assert found and "G/L account" in " ".join(d.message for d in found), found


def test_book_expense_only_after_submission(engine: Engine) -> None:
    with pytest.raises(DiagnosticsError) as info:
        deploy(engine, 'workflow EXP\n  on ExpenseReportPaid then book expense to account "6420"\n', "exp.wf")
    assert {d.code for d in info.value.diagnostics} & {"WF401", "WF402"}


def test_template_and_example_workflows_check_cleanly() -> None:
    result = check_paths([HERE / "workflows"])
    assert len(result.sources) == 2
    assert [d for d in result.diagnostics if d.is_error] == [], result.diagnostics
    templates = [t for t in load_catalogue()[0].templates if t.code == "EXP-BOOK"]
    assert len(templates) == 1 and templates[0].path == "werkstroom_expenses/templates/EXP-BOOK.wf"
