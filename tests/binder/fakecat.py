"""A small hand-made catalogue for binder unit tests (independent of the stdlib's declarations)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from werkstroom.catalogue.specs import (
    EnumType,
    EventSpec,
    FieldKind,
    FieldSpec,
    OptionSpec,
    PhrasePattern,
    RecordSpec,
    RelationSpec,
    ResponseSpec,
)

DOC_TYPE = EnumType("DocType", ("Quote", "Order", "Invoice", "Credit Memo"))
STATUS = EnumType("Status", ("Open", "Released", "Pending Approval"))
APPROVER_TYPE = EnumType("ApproverType", ("Salesperson/Purchaser", "Approver", "Workflow User Group"))
LIMIT_TYPE = EnumType("LimitType", ("Approver Chain", "Direct Approver", "First Qualified Approver",
                                    "Specific Approver"))


def _f(name: str, kind: FieldKind, enum: EnumType | None = None) -> FieldSpec:
    return FieldSpec(name, kind, enum=enum)


RECORDS = {
    "PurchaseHeader": RecordSpec(
        "PurchaseHeader", "purchase document",
        (_f("document_type", FieldKind.ENUM, DOC_TYPE), _f("status", FieldKind.ENUM, STATUS),
         _f("no", FieldKind.CODE), _f("amount", FieldKind.DECIMAL), _f("amount_lcy", FieldKind.DECIMAL),
         _f("buy_from_vendor_no", FieldKind.CODE), _f("currency_code", FieldKind.CODE),
         _f("posting_date", FieldKind.DATE),
         _f("posting_description", FieldKind.TEXT), _f("prices_including_vat", FieldKind.BOOLEAN)),
        ("document_type", "no"),
        (RelationSpec("lines", "PurchaseLine", True, (("no", "document_no"),)),
         RelationSpec("vendor", "Vendor", False, (("buy_from_vendor_no", "no"),))),
        table_id=38),
    "PurchaseLine": RecordSpec(
        "PurchaseLine", "purchase line",
        (_f("document_no", FieldKind.CODE), _f("quantity", FieldKind.DECIMAL),
         _f("unit_cost", FieldKind.DECIMAL)), ("document_no",), table_id=39),
    "Vendor": RecordSpec(
        "Vendor", "vendor",
        (_f("no", FieldKind.CODE), _f("name", FieldKind.TEXT), _f("blocked", FieldKind.BOOLEAN)),
        ("no",), table_id=23),
    "Customer": RecordSpec(
        "Customer", "customer",
        (_f("no", FieldKind.CODE), _f("name", FieldKind.TEXT), _f("credit_limit_lcy", FieldKind.DECIMAL)),
        ("no",), table_id=18),
    "ApprovalEntry": RecordSpec(
        "ApprovalEntry", "approval entry",
        (_f("entry_no", FieldKind.INTEGER),
         FieldSpec("pending_approvals", FieldKind.INTEGER, flowfield=True)), ("entry_no",),
        table_id=454),
}

EVENTS = [
    EventSpec("PurchaseDocSentForApproval", "sent", "PurchaseHeader",
              bc_code="RUNWORKFLOWONSENDPURCHASEDOCFORAPPROVAL"),
    EventSpec("PurchaseDocReleased", "released", "PurchaseHeader",
              bc_code="RUNWORKFLOWONAFTERRELEASEPURCHASEDOC"),
    EventSpec("ApprovalRequestApproved", "approved", "ApprovalEntry",
              predecessors=("PurchaseDocSentForApproval", "CustomerChanged"), on_known_instance=True,
              bc_code="RUNWORKFLOWONAPPROVEAPPROVALREQUEST"),
    EventSpec("ApprovalRequestRejected", "rejected", "ApprovalEntry",
              predecessors=("PurchaseDocSentForApproval", "CustomerChanged"), on_known_instance=True,
              bc_code="RUNWORKFLOWONREJECTAPPROVALREQUEST"),
    EventSpec("CustomerChanged", "changed", "Customer", record_change=True,
              bc_code="RUNWORKFLOWONCUSTOMERCHANGEDCODE"),
]


def _noop(ctx: Any) -> None:
    return None


NOTIFY = (
    OptionSpec("notify_sender", FieldKind.BOOLEAN, patterns=("notify sender",), default=False,
               bc_name="Notify Sender"),
    OptionSpec("notification_user_id", FieldKind.CODE, patterns=("notify {value}",), default="",
               bc_name="Notification User ID"),
)


def _notification_mandatory(opts: Mapping[str, Any]) -> str | None:
    if opts.get("notify_sender") or opts.get("notification_user_id"):
        return None
    return "name a recipient or notify the sender"


RESPONSES = [
    ResponseSpec("restrict_record_usage", "restrict", (PhrasePattern("restrict record usage"),), _noop,
                 bc_code="RESTRICTRECORDUSAGE"),
    ResponseSpec("allow_record_usage", "allow", (PhrasePattern("allow record usage"),), _noop,
                 bc_code="ALLOWRECORDUSAGE"),
    ResponseSpec("set_status_pending_approval", "pending",
                 (PhrasePattern("set status to pending approval"),), _noop,
                 bc_code="SETSTATUSTOPENDINGAPPROVAL"),
    ResponseSpec(
        "create_approval_requests", "create",
        (PhrasePattern("create approval requests for approver chain",
                       {"approver_type": "Approver", "limit_type": "Approver Chain"}),
         PhrasePattern("create approval requests for {approver_type}"),
         PhrasePattern("create approval requests")),
        _noop,
        options=(
            OptionSpec("approver_type", FieldKind.ENUM, enum=APPROVER_TYPE, default="Salesperson/Purchaser",
                       bc_name="Approver Type"),
            OptionSpec("limit_type", FieldKind.ENUM, enum=LIMIT_TYPE, default="Direct Approver",
                       patterns=("limit {value}",), bc_name="Approver Limit Type"),
            OptionSpec("due_date_formula", FieldKind.FORMULA, patterns=("due in {value}",), default="",
                       bc_name="Due Date Formula"),
            OptionSpec("show_confirmation", FieldKind.BOOLEAN, patterns=("show confirmation",), default=True,
                       bc_name="Show Confirmation Message"),
        ),
        bc_code="CREATEAPPROVALREQUESTS"),
    ResponseSpec("send_approval_requests", "send", (PhrasePattern("send approval requests"),), _noop,
                 options=NOTIFY, bc_code="SENDAPPROVALREQUESTFORAPPROVAL"),
    ResponseSpec("release_document", "release", (PhrasePattern("release [the] document"),), _noop,
                 allowed_after=("ApprovalRequestApproved", "PurchaseDocSentForApproval"),
                 bc_code="RELEASEDOCUMENT"),
    ResponseSpec("reopen_document", "reopen", (PhrasePattern("reopen document"),), _noop,
                 bc_code="OPENDOCUMENT"),
    ResponseSpec("reject_approval_requests", "reject", (PhrasePattern("reject approval requests"),), _noop,
                 options=NOTIFY, allowed_after=("ApprovalRequestRejected",),
                 bc_code="REJECTALLAPPROVALREQUESTS"),
    ResponseSpec("create_notification", "notify",
                 (PhrasePattern("notify sender", {"notify_sender": True}),
                  PhrasePattern("notify {notification_user_id}"),
                  PhrasePattern("create notification")),
                 _noop, options=NOTIFY, mandatory=_notification_mandatory,
                 mandatory_rule="Notification User ID must be set or Notify Sender must be true",
                 bc_code="CREATENOTIFICATIONENTRY"),
    ResponseSpec("show_message", "message", (PhrasePattern("show message {message}"),), _noop,
                 options=(OptionSpec("message", FieldKind.TEXT, default="", bc_name="Message"),),
                 bc_code="SHOWMESSAGE"),
]


class FakeCatalogue:
    def __init__(self) -> None:
        self._events = {e.name: e for e in EVENTS}

    def event(self, name: str) -> EventSpec | None:
        for e in EVENTS:
            if name.lower() in (e.name.lower(), e.bc_code.lower()):
                return e
        return None

    def record(self, name: str) -> RecordSpec | None:
        return RECORDS.get(name)

    def response(self, name: str) -> ResponseSpec | None:
        for r in RESPONSES:
            if name.lower() in (r.name, r.bc_code.lower()):
                return r
        return None

    @property
    def responses(self) -> list[ResponseSpec]:
        return RESPONSES

    @property
    def events(self) -> dict[str, EventSpec]:
        return self._events
