"""Read-only listings of approval entries (BC's Requests to Approve and Approval Entries pages) and an
entry's history (audit trail and comments), as the engine's views (``engine/views.py``)."""

from __future__ import annotations

from sqlalchemy import select

from ...store.approvals import ApprovalAudit, ApprovalCommentLine, ApprovalEntry
from ..unit import UnitOfWork
from ..views import ApprovalEntryInfo, ApprovalHistory, AuditLine, CommentLine, utc
from .actions import find_entry
from .rows import Entry


def entry_info(e: ApprovalEntry | Entry) -> ApprovalEntryInfo:
    return ApprovalEntryInfo(
        entry_no=e.entry_no, entry_id=e.id, status=e.status, approver_id=e.approver_id,
        sender_id=e.sender_id, record_type=e.record_type, record_key=e.record_key,
        document_type=e.document_type, document_no=e.document_no, amount=e.amount, amount_lcy=e.amount_lcy,
        currency_code=e.currency_code, sequence_no=e.sequence_no, due_date=e.due_date,
        sent_at=utc(e.date_time_sent_for_approval), instance_id=e.instance_id,
        approval_code=e.approval_code, approval_type=e.approval_type, limit_type=e.limit_type)


def entries(uow: UnitOfWork, *, approver: str | None = None, sender: str | None = None,
            record_type: str | None = None, record_key: str | None = None,
            statuses: tuple[str, ...] | None = None, limit: int | None = None,
            offset: int = 0) -> list[ApprovalEntryInfo]:
    """The entries matching every filter given (None: not filtered), by entry number; ``limit`` and
    ``offset`` page through them. The arguments are checked already (``engine/boundary.py``)."""
    uow.flush()  # entries held unwritten by this unit of work are listed too
    stmt = select(ApprovalEntry)
    for column, value in ((ApprovalEntry.approver_id, approver), (ApprovalEntry.sender_id, sender),
                          (ApprovalEntry.record_type, record_type), (ApprovalEntry.record_key, record_key)):
        if value is not None:
            stmt = stmt.where(column == value)
    if statuses is not None:
        stmt = stmt.where(ApprovalEntry.status.in_(statuses))
    stmt = stmt.order_by(ApprovalEntry.entry_no).offset(offset or None).limit(limit)
    return [entry_info(e) for e in uow.session.scalars(stmt)]


def history(uow: UnitOfWork, ref: str) -> ApprovalHistory:
    """The entry ``ref`` (its id or number; WF615 when there is none) with its audit trail and the
    comments on its request."""
    entry = find_entry(uow, ref)
    audit = uow.session.scalars(select(ApprovalAudit).where(ApprovalAudit.entry_id == entry.id)
                                .order_by(ApprovalAudit.at, ApprovalAudit.id))
    notes = uow.session.scalars(select(ApprovalCommentLine).where(
        ApprovalCommentLine.record_type == entry.record_type,
        ApprovalCommentLine.record_key == entry.record_key,
        ApprovalCommentLine.instance_id == entry.instance_id).order_by(ApprovalCommentLine.at))
    return ApprovalHistory(
        entry_info(entry),
        tuple(AuditLine(utc(a.at), a.user_id, a.action, a.old_status, a.new_status, a.detail, a.comment)
              for a in audit),
        tuple(CommentLine(utc(c.at), c.user_id, c.comment) for c in notes))
