"""Expense reports for Werkstroom: a partner library built only on ``werkstroom.extend``.

It adds the ``ExpenseReport`` and ``ExpenseReportLine`` record types, the events
``ExpenseReportSubmitted``, ``ExpenseReportSentForApproval`` (plugged into the stdlib's approvals) and
``ExpenseReportPaid``, the response ``book expense`` (it books the
report's total through the host: an outbox effect ``expense.booked``), the template ``EXP-BOOK``
and Gherkin steps for all of it. ``pyproject.toml`` names :func:`library` in the
``werkstroom.libraries`` entry-point group, so installing the package installs the vocabulary.
"""

from __future__ import annotations

from werkstroom.extend import Library, templates_from_package

from .responses import RESPONSES
from .vocabulary import CATEGORY, EVENT_PREDECESSORS, EVENTS, RECORDS, RESPONSE_PREDECESSORS, STATUS

__version__ = "1.0.0"

LIBRARY_NAME = "expenses"


def library() -> Library:
    """The library Werkstroom installs (called once per catalogue load; it must not have side effects)."""
    return Library(
        name=LIBRARY_NAME,
        version=__version__,
        description="Expense reports: submit, book, pay.",
        records=RECORDS,
        events=EVENTS,
        responses=RESPONSES,
        templates=templates_from_package(__name__, "templates"),
        enums=(STATUS, CATEGORY),
        step_modules=("werkstroom_expenses.steps",),
        event_predecessors=EVENT_PREDECESSORS,
        response_predecessors=RESPONSE_PREDECESSORS,
    )


__all__ = ["LIBRARY_NAME", "library"]
