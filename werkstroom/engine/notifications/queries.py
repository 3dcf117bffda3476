"""Read-only listings of notifications: the entries waiting for the dispatcher (with the error of a
failed delivery) and the sent log, as the engine's views (``engine/views.py``)."""

from __future__ import annotations

from sqlalchemy import select

from ...store.notifications import NotificationEntry
from ...store.notifications import SentNotification as SentRow
from ..approvals.errors import ApprovalError
from ..unit import UnitOfWork
from ..views import SentNotification, WaitingNotification, utc
from .dispatcher import entry_text


def _text(entry: NotificationEntry) -> str:
    try:
        return entry_text(entry)
    except ApprovalError as exc:  # a broken placeholder (WF620): the listing shows why, the dispatch fails
        return f"(text cannot be made: {exc})"


def waiting(uow: UnitOfWork, limit: int | None = None, offset: int = 0) -> list[WaitingNotification]:
    """The waiting notification entries, oldest first."""
    stmt = (select(NotificationEntry).order_by(NotificationEntry.created_at, NotificationEntry.id)
            .offset(offset or None).limit(limit))
    return [WaitingNotification(
        n.id, n.entry_type, n.recipient_id, n.record_type, n.record_key, utc(n.created_at), n.attempts,
        n.error_message, utc(n.next_attempt_at) if n.next_attempt_at is not None else None, _text(n))
        for n in uow.session.scalars(stmt)]


def sent(uow: UnitOfWork, limit: int | None = None, offset: int = 0) -> list[SentNotification]:
    """The sent log, in the order the notifications went out."""
    stmt = select(SentRow).order_by(SentRow.sent_at, SentRow.id).offset(offset or None).limit(limit)
    return [SentNotification(s.id, s.entry_type, s.recipient_id, s.method, s.address, utc(s.sent_at),
                             s.digest_id, s.record_type, s.record_key, s.text)
            for s in uow.session.scalars(stmt)]
