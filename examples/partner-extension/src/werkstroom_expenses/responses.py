"""Responses of the expenses library. Each behaviour receives a ``ResponseContext`` and nothing global:
what it changes on the record and the effects it emits commit with the handled event, or not at all."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from werkstroom.extend import (
    FieldKind,
    OptionSpec,
    PhrasePattern,
    ResponseContext,
    ResponseSpec,
    WerkstroomError,
    to_decimal,
    total,
)

CENT = Decimal("0.01")


class ExpenseBookingError(WerkstroomError):
    """The report cannot be booked (wrong record type, nothing to book). The engine rolls the event back
    and reports it as WF505 with the workflow, the step and this error."""

    code = "WF505"


def book_expense(ctx: ResponseContext) -> None:
    """Book the report's total: the lines' amounts when it has lines, else its ``amount``.

    The host does the posting: the response puts an ``expense.booked`` effect in the outbox (the amount a
    Decimal, rounded to cents), marks the report Booked and explains what it did on the timeline."""
    doc = ctx.document
    if doc.type != "ExpenseReport":
        raise ExpenseBookingError(f"book expense works on expense reports, not on {doc.type} {doc.key}")
    lines = list(ctx.related(doc, "lines"))
    amount = (total(lines, "amount") if lines else to_decimal(doc.values.get("amount"))).quantize(CENT)
    if amount <= 0:
        raise ExpenseBookingError(f"expense report {doc.key} has nothing to book (total {amount})")
    account = str(ctx.options["account"])
    journal = str(ctx.options["journal"])
    currency = str(doc.values.get("currency_code") or "")
    ctx.emit_effect(
        "expense.booked",
        {
            "record_type": doc.type,
            "key": doc.key,
            "report_no": doc.values.get("no"),
            "employee_no": doc.values.get("employee_no"),
            "vendor_no": doc.values.get("vendor_no"),
            "account": account,
            "journal": journal,
            "amount": amount,
            "currency_code": currency,
            "posting_date": ctx.today(),
            "lines": [
                {
                    "line_no": line.values.get("line_no"),
                    "category": line.values.get("category"),
                    "amount": to_decimal(line.values.get("amount")),
                }
                for line in lines
            ],
            "workflow_code": ctx.workflow_code,
            "user": ctx.user,
        },
    )
    doc.values["status"] = "Booked"
    ctx.explain(f"booked {amount} {currency or 'LCY'} of expense report {doc.key} to account {account} "
                f"in journal {journal}")


def close_expense_report(ctx: ResponseContext) -> None:
    """Mark a paid report Paid and tell the acting user."""
    doc = ctx.document
    if doc.type != "ExpenseReport":
        raise ExpenseBookingError(f"close expense report works on expense reports, not on {doc.type}")
    doc.values["status"] = "Paid"
    ctx.show_message(f"Expense report {doc.key} is paid and closed.")


def _account_given(options: Mapping[str, Any]) -> str | None:
    if not options.get("account"):
        return 'book expense needs the G/L account to book to: write `book expense to account "6420"`'
    return None


BOOK_EXPENSE = ResponseSpec(
    name="book_expense",
    description="Book an expense report's total to a G/L account (the host posts it: outbox effect "
    "expense.booked) and mark the report Booked.",
    patterns=(
        PhrasePattern("book [the] expense [report]"),
        PhrasePattern("book [the] expense [report] to account {account}"),
    ),
    run=book_expense,
    options=(
        OptionSpec("account", FieldKind.CODE, "The G/L account the expense is booked to.",
                   ("to account {value}",), bc_name="G/L Account No."),
        OptionSpec("journal", FieldKind.CODE, "The general journal batch used for the booking.",
                   ("in journal {value}",), default="EXPENSES", bc_name="Journal Batch Name"),
    ),
    allowed_after=("ExpenseReportSubmitted", "ApprovalRequestApproved"),
    mandatory=_account_given,
    mandatory_rule="The G/L account (to account ...) is required.",
)

CLOSE_EXPENSE_REPORT = ResponseSpec(
    name="close_expense_report",
    description="Mark a paid expense report Paid and tell the acting user.",
    patterns=(PhrasePattern("close [the] expense report"),),
    run=close_expense_report,
    allowed_after=("ExpenseReportPaid",),
)

RESPONSES = (BOOK_EXPENSE, CLOSE_EXPENSE_REPORT)
