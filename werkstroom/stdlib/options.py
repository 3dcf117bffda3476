"""Response options shared by several stdlib responses (BC's response option groups).

Each function returns fresh ``OptionSpec`` values; a response lists the ones of its BC option group.
Option phrases follow the response after a comma: ``send approval requests, notify sender``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ..extend import FieldKind, OptionSpec
from . import enums as E
from ._build import option


def notify_sender() -> OptionSpec:
    return option(
        "notify_sender",
        FieldKind.BOOLEAN,
        "Also notify the user who asked for approval.",
        "notify sender",
        "and notify sender",
        default=False,
        bc="Notify Sender",
    )


def link_target_page() -> OptionSpec:
    return option(
        "link_target_page",
        FieldKind.INTEGER,
        "The BC page the notification links to.",
        "link to page {value}",
        "link target page {value}",
        default=None,
        bc="Link Target Page",
    )


def custom_link() -> OptionSpec:
    return option(
        "custom_link",
        FieldKind.TEXT,
        "A custom address the notification links to.",
        "custom link {value}",
        "link to {value}",
        default=None,
        bc="Custom Link",
    )


def group2() -> tuple[OptionSpec, ...]:
    """BC's GROUP 2: Notify Sender, Link Target Page, Custom Link."""
    return (notify_sender(), link_target_page(), custom_link())


def recipient() -> OptionSpec:
    return option(
        "recipient",
        FieldKind.CODE,
        "The user to notify.",
        "recipient {value}",
        "for {value}",
        default=None,
        bc="Notification User ID",
    )


def entry_type() -> OptionSpec:
    return option(
        "entry_type",
        FieldKind.ENUM,
        "Kind of notification entry.",
        "entry type {value}",
        enum_type=E.NOTIFICATION_ENTRY_TYPE,
        default="New Record",
        bc="Notification Entry Type",
    )


def notification_message() -> OptionSpec:
    """A notification's own text; ``{document_no}``-style placeholders are filled in when it is sent."""
    return attrs.evolve(
        message(),
        description="Text of the notification; placeholders such as {document_no}, {amount}, {approver} "
        "and {due_date} are filled in when it is delivered.",
        placeholders=True,
        bc_name="",  # Werkstroom's own: BC's notification response has no message (its option group 3)
    )


def message() -> OptionSpec:
    return option(
        "message",
        FieldKind.TEXT,
        "Text of the message.",
        "message {value}",
        "saying {value}",
        default=None,
        bc="Message",
    )


def approver_options() -> tuple[OptionSpec, ...]:
    """BC's GROUP 5 (create approval requests), plus Werkstroom's quorum and no-self-approval options."""
    return (
        option(
            "approver_type",
            FieldKind.ENUM,
            "Who approves: Salesperson/Purchaser, Approver or Workflow User Group.",
            "approver type {value}",
            enum_type=E.APPROVER_TYPE,
            default="Approver",
            bc="Approver Type",
        ),
        option(
            "limit_type",
            FieldKind.ENUM,
            "How far up the approver chain requests go (ignored for workflow user groups).",
            "limit type {value}",
            "approver limit type {value}",
            enum_type=E.APPROVER_LIMIT_TYPE,
            default="Approver Chain",
            bc="Approver Limit Type",
        ),
        option(
            "workflow_user_group",
            FieldKind.CODE,
            "The workflow user group whose members approve.",
            "group {value}",
            "workflow user group {value}",
            default=None,
            bc="Workflow User Group Code",
        ),
        option(
            "approver_id",
            FieldKind.CODE,
            "The user who approves (specific approver).",
            "approver {value}",
            "specific approver {value}",
            default=None,
            bc="Approver User ID",
        ),
        option(
            "due_date_formula",
            FieldKind.FORMULA,
            "When requests are due, from the day they are made (blank: the same day).",
            "due in {value}",
            "due date formula {value}",
            default=None,
            bc="Due Date Formula",
        ),
        option(
            "delegate_after",
            FieldKind.ENUM,
            "When an open request is delegated automatically "
            "(Never, 1 day, 2 days, 5 days; 1D/2D/5D accepted).",
            "delegate after {value}",
            enum_type=E.DELEGATE_AFTER,
            default="Never",
            bc="Delegate After",
        ),
        option(
            "show_confirmation",
            FieldKind.BOOLEAN,
            "Tell the requesting user that requests were sent.",
            "show confirmation",
            "show confirmation message",
            default=False,
            bc="Show Confirmation Message",
        ),
        option(
            "quorum",
            FieldKind.INTEGER,
            "Werkstroom: a group tier is approved once this many of its members approved (BC waits for all).",
            "any {value} of group",
            "quorum {value}",
            "quorum {value} of {quorum_total}",
            "any {value} of {quorum_total}",
            default=None,
        ),
        option(
            "quorum_total",
            FieldKind.INTEGER,
            "Werkstroom: with a quorum, the number of approvers each tier must have (`quorum 2 of 3`); "
            "a tier of another size refuses the request (WF619).",
            "of {value} approvers",
            default=None,
        ),
        option(
            "no_self_approval",
            FieldKind.BOOLEAN,
            "Werkstroom: the requester's own entries are not "
            "approved automatically; the request goes to the next approver instead.",
            "no self approval",
            "without self approval",
            default=False,
        ),
        option(
            "overdue_reminders",
            FieldKind.BOOLEAN,
            "Werkstroom: while an open request is past its due date, its approver gets an overdue "
            "notice once a day (driven by the clock; BC needs the overdue batch job and MS-OVERDUE).",
            "remind when overdue",
            "send overdue reminders",
            default=False,
        ),
    )


def create_requests_mandatory(options: Mapping[str, Any]) -> str | None:
    """BC's rule for CREATEAPPROVALREQUESTS."""
    if options.get("approver_type") == "Workflow User Group":
        if not options.get("workflow_user_group"):
            return "a workflow user group is required when the approver type is Workflow User Group"
        return None
    if options.get("limit_type") == "Specific Approver" and not options.get("approver_id"):
        return "an approver user is required when the limit type is Specific Approver"
    return None


CREATE_REQUESTS_RULE = (
    "Workflow User Group Code when Approver Type = Workflow User Group; otherwise Approver User ID "
    "when Approver Limit Type = Specific Approver."
)

_APPROVER_KINDS: tuple[tuple[str, str, str], ...] = (
    ("approver chain", "Approver", "Approver Chain"),
    ("direct approver", "Approver", "Direct Approver"),
    ("first qualified approver", "Approver", "First Qualified Approver"),
    ("specific approver {approver_id}", "Approver", "Specific Approver"),
    ("specific approver", "Approver", "Specific Approver"),
    ("salesperson/purchaser approver chain", "Salesperson/Purchaser", "Approver Chain"),
    ("salesperson/purchaser direct approver", "Salesperson/Purchaser", "Direct Approver"),
    ("salesperson/purchaser first qualified approver", "Salesperson/Purchaser", "First Qualified Approver"),
    ("salesperson/purchaser specific approver {approver_id}", "Salesperson/Purchaser", "Specific Approver"),
    ("salesperson/purchaser specific approver", "Salesperson/Purchaser", "Specific Approver"),
    ("salesperson/purchaser", "Salesperson/Purchaser", "Approver Chain"),
)


def approver_phrases(prefix: str) -> list[tuple[str, dict[str, Any]]]:
    """``(pattern text, presets)`` for each way to name the approvers after ``prefix``."""
    out: list[tuple[str, dict[str, Any]]] = [
        (f"{prefix} {words}", {"approver_type": a, "limit_type": limit})
        for words, a, limit in _APPROVER_KINDS
    ]
    for words in (
        "workflow user group {workflow_user_group}",
        "group {workflow_user_group}",
        "workflow user group",
    ):
        out.append(
            (f"{prefix} {words}", {"approver_type": "Workflow User Group", "limit_type": "Direct Approver"})
        )
    return out
