"""The notification entries (BC's Notification Entry rows) a unit of work queues, about approval entries
and records: one prepared INSERT each, for recipients with approval user setup. Delivery is the job of
``engine.notifications``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import String, Table, bindparam, exists, insert, select

from ...placeholders import check
from ...store.approvals import ApprovalUserSetup
from ...store.driver import Statement
from ...store.notifications import NotificationEntry
from ..unit import UnitOfWork, add_effect
from .errors import ApprovalError
from .records import held, user_setup
from .rows import Entry

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
    workflow_code: str = "",
    approval_entry_id: str | None = None,
    link_target_page: str = "",
    custom_link: str = "",
    message: str = "",
    data: Mapping[str, Any] | None = None,
) -> dict[str, Any] | None:
    """Insert a notification entry and return its values, with a ``notification.queued`` outbox row
    for the host. Recipients without approval user setup are skipped (as BC does); returns None then.
    ``message`` is checked for placeholders now (WF620)."""
    h = held(uow)
    db = h.db
    # with the user setup held (or on PostgreSQL, where it is read for this): a look-up in memory and
    # a plain INSERT; else, on SQLite, one INSERT ... SELECT ... WHERE EXISTS (the recipient's setup)
    one_statement = h.setups is None and db.dialect.name == "sqlite"
    if not one_statement and user_setup(uow, recipient) is None:
        return None
    if message:
        problems = check(message)
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
    else:
        session = uow.session_if_made
        if session is not None and session.autoflush:
            session.flush()  # setup rows added in this transaction count (as the look-up's autoflush did)
        if db.execute(_INSERT_ENTRY_IF_SETUP, {**row, "_setup_user": recipient}) != 1:
            return None
    effect: dict[str, Any] = {"notification_id": row["id"], "recipient": recipient, "entry_type": entry_type_,
                              "sender": sender, "record_type": record_type, "record_key": record_key}
    if approval_entry_id is not None:
        effect["approval_entry_id"] = approval_entry_id
    add_effect(uow, "notification.queued", effect, instance_id=instance_id, workflow_code=workflow_code)
    return row


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
