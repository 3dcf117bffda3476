"""The append-only approval rows a unit of work writes: audit rows, comment lines and overdue notices
(BC's Approval Comment Line and Overdue Approval Entry), one prepared INSERT each."""

from __future__ import annotations

import datetime as dt
from typing import cast

from sqlalchemy import Table, insert

from ...store.approvals import ApprovalAudit, ApprovalCommentLine, OverdueApprovalEntry
from ...store.driver import Statement
from ..unit import UnitOfWork
from .records import held
from .rows import Entry

_COMMENT_T: Table = cast("Table", ApprovalCommentLine.__table__)
_AUDIT_T: Table = cast("Table", ApprovalAudit.__table__)
_INSERT_AUDIT = Statement(insert(_AUDIT_T), columns=[c.key for c in _AUDIT_T.columns])
_INSERT_COMMENT = Statement(insert(_COMMENT_T), columns=[c.key for c in _COMMENT_T.columns])
_OVERDUE_T: Table = cast("Table", OverdueApprovalEntry.__table__)
_INSERT_OVERDUE = Statement(insert(_OVERDUE_T), columns=[c.key for c in _OVERDUE_T.columns])


def add_comment_line(uow: UnitOfWork, entry: Entry, user: str, comment: str) -> None:
    """An approval comment line on the entry's record and instance (the held count follows)."""
    h = held(uow)
    h.db.write(_INSERT_COMMENT, {
        "id": uow.ids.new_id("comment"), "record_type": entry.record_type, "record_key": entry.record_key,
        "instance_id": entry.instance_id, "entry_id": entry.id, "user_id": user, "at": uow.clock.now(),
        "comment": comment})
    ref = (entry.record_type, entry.record_key, entry.instance_id)
    if ref in h.comments:
        h.comments[ref] += 1


def add_audit(uow: UnitOfWork, entry: Entry, action: str, user: str, old_status: str, detail: str = "",
              comment: str | None = None) -> None:
    """An approval audit row (append-only)."""
    uow.db.write(_INSERT_AUDIT, {
        "id": uow.ids.new_id("audit"), "entry_id": entry.id, "instance_id": entry.instance_id,
        "action": action, "user_id": user, "at": uow.clock.now(), "old_status": old_status,
        "new_status": entry.status, "detail": detail, "comment": comment,
    })


def add_overdue_row(uow: UnitOfWork, entry: Entry, now: dt.datetime) -> None:
    """BC's Overdue Approval Entry for an entry (sent to its approver)."""
    uow.db.write(_INSERT_OVERDUE, {
        "id": uow.ids.new_id("overdue"), "entry_id": entry.id, "approver_id": entry.approver_id,
        "sent_to": entry.approver_id, "due_date": entry.due_date, "noticed_at": now})
