"""Creating notification entries (BC's Notification Entry). Delivery is the dispatcher's job."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...catalogue.specs import normalize_enum
from ...store.notifications import ENTRY_TYPES
from ..approvals.errors import ApprovalError
from ..approvals.notices import add_entry, entry_data
from ..approvals.records import cached_record_entries, entry_by_key
from ..approvals.rules import template_for
from ..unit import RunScope
from . import text as message_text

_TYPES = {normalize_enum(t): t for t in ENTRY_TYPES}


def entry_type(value: object) -> str:
    found = _TYPES.get(normalize_enum(str(value or "New Record")))
    if found is None:
        raise ApprovalError("WF622", f"unknown notification type {value!r} "
                                     "(use New Record, Approval or Overdue)")
    return found


def snapshot(values: Mapping[str, Any], **extra: Any) -> dict[str, Any]:
    """The placeholder values to keep with an entry (JSON-safe strings)."""
    out: dict[str, Any] = {}
    for name in message_text.PLACEHOLDERS:
        v = extra[name] if name in extra else values.get(name)
        if v is not None:
            out[name] = str(v)
    return out


class NotificationService:
    """The ``NotificationsAPI`` of a response context."""

    def __init__(self, scope: RunScope) -> None:
        self.scope = scope

    def _sender_of_request(self) -> str:
        """The user who sent the approval request: the event's approval entry's sender, else the first
        entry of this record in this instance, else the acting user."""
        scope = self.scope
        rec = scope.event_record
        if normalize_enum(rec.type) == "approvalentry":
            entry = entry_by_key(scope.uow, rec.key)
            if entry is not None:
                return entry.sender_id
        entries = cached_record_entries(scope.uow, scope.document.type, scope.document.key,
                                        scope.instance_id)
        return entries[0].sender_id if entries else scope.user

    def create_entry(self, options: Mapping[str, Any]) -> None:
        scope = self.scope
        if options.get("notify_sender"):
            recipient = self._sender_of_request()
        else:
            recipient = str(options.get("recipient") or options.get("notification_user_id") or "")
        if not recipient:
            raise ApprovalError("WF622", "a notification needs a recipient (a user id) or 'notify sender'")
        etype = entry_type(options.get("entry_type") or options.get("notification_entry_type"))
        link = str(options.get("custom_link") or options.get("link_target_page") or "")
        doc = scope.document
        ev = scope.event_record
        ev_entry = entry_by_key(scope.uow, ev.key) if normalize_enum(ev.type) == "approvalentry" else None
        entry_id = ev_entry.id if ev_entry is not None else None
        if ev_entry is not None:
            data = entry_data(ev_entry, scope.workflow_code, recipient, link)
        else:
            tmpl = template_for(doc.type, doc.key, doc.values)
            data = snapshot(doc.values, record_type=doc.type, record_key=doc.key, recipient=recipient,
                            sender=scope.user, workflow=scope.workflow_code, link=link,
                            document_type=tmpl.document_type, document_no=tmpl.document_no,
                            amount=tmpl.amount, amount_lcy=tmpl.amount_lcy,
                            currency_code=tmpl.currency_code or "LCY")
        data["entry_type"] = etype
        row = add_entry(
            scope.uow,
            entry_type_=etype,
            recipient=recipient,
            sender=scope.user,
            record_type=doc.type,
            record_key=doc.key,
            instance_id=scope.instance_id,
            workflow_code=scope.workflow_code,
            approval_entry_id=entry_id,
            link_target_page=str(options.get("link_target_page") or ""),
            custom_link=str(options.get("custom_link") or ""),
            message=str(options.get("message") or ""),
            data=data,
        )
        if row is None:
            scope.explain(f"notification for {recipient} skipped: no approval user setup")
        else:
            scope.explain(f"{etype} notification queued for {recipient}")
