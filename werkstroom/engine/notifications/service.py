"""Creating notification entries (BC's Notification Entry). Delivery is the dispatcher's job."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import String, Table, bindparam, exists, insert, select

from ...catalogue.specs import normalize_enum
from ...store.approvals import ApprovalUserSetup
from ...store.driver import Statement
from ...store.notifications import ENTRY_TYPES, NotificationEntry
from ..approvals.errors import ApprovalError
from ..approvals.records import cached_record_entries, entry_by_key, held, user_setup
from ..approvals.rows import Entry
from ..approvals.rules import template_for
from ..unit import RunScope, UnitOfWork
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


_ENTRY_TABLE: Table = NotificationEntry.__table__  # type: ignore[assignment]
_ENTRY_COLUMNS = ("id", "entry_type", "recipient_id", "created_by", "created_at", "record_type", "record_key",
                  "instance_id", "approval_entry_id", "link_target_page", "custom_link", "message", "data",
                  "attempts", "error_message")
_INSERT_ENTRY = Statement(insert(_ENTRY_TABLE), columns=_ENTRY_COLUMNS)
_SETUP_TABLE: Table = ApprovalUserSetup.__table__  # type: ignore[assignment]
# SQLite: the entry inserted only if the recipient has approval user setup, in one statement (the
# rowcount says whether it was). PostgreSQL would need casts for the untyped parameters of the SELECT
# list, so it keeps the look-up and the plain INSERT.
_INSERT_ENTRY_IF_SETUP = Statement(insert(_ENTRY_TABLE).from_select(
    list(_ENTRY_COLUMNS),
    select(*[bindparam(c, type_=_ENTRY_TABLE.c[c].type) for c in _ENTRY_COLUMNS]).where(
        exists().where(_SETUP_TABLE.c.user_id == bindparam("_setup_user", type_=String(50)))),
))


def add_entry(
    uow: UnitOfWork,
    *,
    entry_type_: str,
    recipient: str,
    sender: str,
    record_type: str = "",
    record_key: str = "",
    instance_id: str = "",
    approval_entry_id: str | None = None,
    link_target_page: str = "",
    custom_link: str = "",
    message: str = "",
    data: Mapping[str, Any] | None = None,
) -> dict[str, Any] | None:
    """Insert a notification entry and return its values. Recipients without approval user setup are
    skipped (as BC does); returns None then. ``message`` is checked for placeholders now (WF620)."""
    h = held(uow)
    db = h.db
    # with the user setup held (or on PostgreSQL, where it is read for this): a look-up in memory and
    # a plain INSERT; else, on SQLite, one INSERT ... SELECT ... WHERE EXISTS (the recipient's setup)
    one_statement = h.setups is None and db.dialect.name == "sqlite"
    if not one_statement and user_setup(uow, recipient) is None:
        return None
    if message:
        problems = message_text.check(message)
        if problems:
            if one_statement and user_setup(uow, recipient) is None:
                return None  # recipients without setup are skipped before their text is checked
            raise ApprovalError("WF620", f"message text {message!r}: " + "; ".join(problems))
    # one prepared INSERT on the driver (no ORM object); the returned mapping holds the values written
    row: dict[str, Any] = {
        "id": uow.ids.new_id("notification"), "entry_type": entry_type_, "recipient_id": recipient,
        "created_by": sender, "created_at": uow.clock.now(), "record_type": record_type,
        "record_key": record_key, "instance_id": instance_id, "approval_entry_id": approval_entry_id,
        "link_target_page": link_target_page, "custom_link": custom_link, "message": message,
        "data": dict(data) if data else {}, "attempts": 0, "error_message": "",
    }
    if not one_statement:
        db.write(_INSERT_ENTRY, row)
        return row
    session = uow.session_if_made
    if session is not None and session.autoflush:
        session.flush()  # setup rows added in this transaction count (as the look-up's autoflush did)
    return row if db.execute(_INSERT_ENTRY_IF_SETUP, {**row, "_setup_user": recipient}) == 1 else None


def entry_data(entry: Entry, workflow: str, recipient: str, link: str = "") -> dict[str, Any]:
    """Placeholder values for a notification about an approval entry."""
    return {
        "document_type": entry.document_type,
        "document_no": entry.document_no,
        "record_type": entry.record_type,
        "record_key": entry.record_key,
        "amount": str(entry.amount),
        "amount_lcy": str(entry.amount_lcy),
        "currency_code": entry.currency_code or "LCY",
        "approver": entry.approver_id,
        "sender": entry.sender_id,
        "recipient": recipient,
        "due_date": entry.due_date.isoformat(),
        "status": entry.status,
        "workflow": workflow,
        "link": link,
    }


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
