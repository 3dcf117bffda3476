"""Gherkin steps for the expenses vocabulary. The library names this module in ``Library.step_modules``;
Werkstroom's pytest plugin registers it whenever the package is installed, next to the standard steps
(which already know expense reports as records: ``Given an expense report "EX-1" of 245.50``,
``Given the expense report "EX-1" has the lines:``, ``Then the status of the expense report "EX-1" is
"Booked"``)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from werkstroom.extend import REF, SpecError, then, when
from werkstroom.specs.world import World

USER = r"(?P<user>[A-Za-z][\w.-]*)"
AMOUNT = r"(?P<amount>-?[0-9][0-9,]*(?:\.[0-9]+)?)"


def _bookings(w: World, key: str) -> list[dict[str, Any]]:
    return [item.payload for item in w.engine.outbox(kind="expense.booked") if item.payload.get("key") == key]


def _report(w: World, kind: str, ident: str) -> Any:
    t = w.thing(kind, ident, create=False)
    if t.record_type != "ExpenseReport":
        raise SpecError(f"{t.label} is a {t.record_type}, not an expense report")
    return t


@when(USER + r" submits " + REF, example='When ANN submits the expense report "EX-1"', section="Events")
def submit(werkstroom_world: World, user: str, kind: str, id: str) -> None:
    """The employee submits the expense report: its status becomes Submitted and the
    ExpenseReportSubmitted event is raised, acting as the user."""
    w = werkstroom_world
    t = _report(w, kind, id)
    values = {**w.current(t), "status": "Submitted"}
    w.attempt(f"{user.upper()} submits {t.label}",
              lambda: w.emit("ExpenseReportSubmitted", t, user, values=values))


@when(REF + r" is paid(?: by " + USER + r")?", example='When the expense report "EX-1" is paid by PAYROLL',
      section="Events")
def paid(werkstroom_world: World, kind: str, id: str, user: str | None) -> None:
    """The reimbursement was paid: the ExpenseReportPaid event is raised (by PAYROLL unless named)."""
    w = werkstroom_world
    t = _report(w, kind, id)
    who = user or "PAYROLL"
    w.attempt(f"{who.upper()}: {t.label} is paid", lambda: w.emit("ExpenseReportPaid", t, who))


@then(REF + r' is booked to account "(?P<account>[^"]+)" for ' + AMOUNT,
      example='Then the expense report "EX-1" is booked to account "6420" for 245.50', section="Records")
def booked(werkstroom_world: World, kind: str, id: str, account: str, amount: str) -> None:
    """Exactly one ``expense.booked`` effect is in the outbox for the report, to that account, for that
    amount (compared as decimals: 245.5 and 245.50 are the same)."""
    w = werkstroom_world
    if w.error is not None:
        raise SpecError(f"the last action was refused: {w.error}\n{w.report()}")
    t = _report(w, kind, id)
    found = _bookings(w, w.key(t))
    if len(found) != 1:
        raise SpecError(f"expected one booking of {t.label}, found {len(found)}: {found}\n{w.report(t)}")
    try:
        want = Decimal(amount.replace(",", ""))
    except InvalidOperation as exc:  # the pattern only lets numbers through; kept for a clear message
        raise SpecError(f"{amount!r} is not an amount") from exc
    got = found[0]
    if got.get("account") != account or Decimal(str(got.get("amount"))) != want:
        raise SpecError(f"{t.label} was booked to account {got.get('account')} for {got.get('amount')}, "
                        f"expected account {account} for {want}\n{w.report(t)}")


@then(r"nothing is booked for " + REF, example='Then nothing is booked for the expense report "EX-2"',
      section="Records")
def not_booked(werkstroom_world: World, kind: str, id: str) -> None:
    """No ``expense.booked`` effect is in the outbox for the report."""
    w = werkstroom_world
    t = _report(w, kind, id)
    found = _bookings(w, w.key(t))
    if found:
        raise SpecError(f"{t.label} was booked: {found}\n{w.report(t)}")
