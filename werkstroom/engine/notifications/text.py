"""Message texts with our own small placeholder syntax: ``{name}`` is replaced by a value, ``{{`` and
``}}`` write a literal brace. Only the names in ``PLACEHOLDERS`` exist; nothing is evaluated.

``check(text)`` returns the problems (unknown or malformed placeholders) so a script checker can report
them before a workflow runs; ``render(text, values)`` raises ``ApprovalError`` WF620 on the same problems.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ...placeholders import _TOKEN
from ...placeholders import PLACEHOLDERS as PLACEHOLDERS
from ...placeholders import check as check
from ..approvals.errors import ApprovalError


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
