"""Message texts with our own small placeholder syntax: ``{name}`` is replaced by a value, ``{{`` and
``}}`` write a literal brace. Only the names in ``PLACEHOLDERS`` exist; nothing is evaluated.

``check(text)`` returns the problems (unknown or malformed placeholders) so a script checker can report
them before a workflow runs; ``render(text, values)`` raises ``ApprovalError`` WF620 on the same problems.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..approvals.errors import ApprovalError

PLACEHOLDERS: dict[str, str] = {
    "document_type": "the document type (Invoice, Order ...)",
    "document_no": "the document number (or the record key)",
    "record_type": "the record type (PurchaseHeader ...)",
    "record_key": "the record key",
    "amount": "the amount (document currency, excl. VAT)",
    "amount_lcy": "the amount in local currency (excl. VAT)",
    "currency_code": "the currency code (LCY for local currency)",
    "approver": "the approver's user id",
    "sender": "the user who sent the request",
    "recipient": "the user this notification is for",
    "due_date": "the approval due date",
    "status": "the approval entry status",
    "workflow": "the workflow code",
    "entry_type": "the notification type (New Record, Approval, Overdue)",
    "link": "the custom link or link target page",
    "comment": "the latest approval comment",
}

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def check(text: str) -> list[str]:
    """Problems in ``text`` (empty when it is fine)."""
    problems: list[str] = []
    for m in _TOKEN.finditer(text):
        tok = m.group(0)
        if tok in ("{{", "}}"):
            continue
        if tok in ("{", "}"):
            problems.append(f"a lone {tok!r} at offset {m.start()} (write {tok * 2} for a literal brace)")
            continue
        name = (m.group(1) or "").strip()
        if name not in PLACEHOLDERS:
            known = ", ".join(sorted(PLACEHOLDERS))
            problems.append(f"unknown placeholder {{{name}}} (known: {known})")
    return problems


def render(text: str, values: Mapping[str, Any]) -> str:
    problems = check(text)
    if problems:
        raise ApprovalError("WF620", f"message text {text!r}: " + "; ".join(problems))

    def sub(m: re.Match[str]) -> str:
        tok = m.group(0)
        if tok == "{{":
            return "{"
        if tok == "}}":
            return "}"
        value = values.get((m.group(1) or "").strip())
        return "" if value is None else str(value)

    return _TOKEN.sub(sub, text)


DEFAULT_TEXT: dict[str, str] = {
    "Approval": "{document_type} {document_no} ({amount} {currency_code}) from {sender}: approval "
                "request {status}, due {due_date}.",
    "Approval (record)": "{document_type} {document_no} ({amount} {currency_code}) from {sender} needs "
                         "your approval.",
    "Overdue": "Overdue: {document_type} {document_no} ({amount} {currency_code}) from {sender} was due "
               "{due_date} and still waits for {approver}.",
    "New Record": "{record_type} {document_no} needs your attention ({workflow}).",
}
