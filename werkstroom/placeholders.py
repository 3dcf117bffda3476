"""Werkstroom's own placeholder syntax for message texts: ``{name}`` stands for a value, ``{{`` and
``}}`` write a literal brace. Only the names in ``PLACEHOLDERS`` exist; nothing is ever evaluated.

Kept free of engine imports so the binder can check message texts when a script is checked, and the
notification dispatcher can render them when they are delivered.
"""

from __future__ import annotations

import re

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
    """Problems in ``text`` (empty when it is fine), one sentence each."""
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




def unknown_names(text: str) -> list[str]:
    """The placeholder names in ``text`` that do not exist (for "did you mean" hints)."""
    names: list[str] = []
    for m in _TOKEN.finditer(text):
        if m.group(1) is not None and m.group(1).strip() not in PLACEHOLDERS:
            names.append(m.group(1).strip())
    return names
