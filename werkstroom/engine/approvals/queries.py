"""Read-only views for ``wf approvals``: Requests to Approve (open entries of an approver) and the
Approval Entries list, plus an entry's audit trail and comments."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ...store.approvals import ApprovalAudit, ApprovalCommentLine, ApprovalEntry
from ..unit import UnitOfWork

COLUMNS = ("entry_no", "entry_id", "status", "approver_id", "sender_id", "record_type", "document_type",
           "document_no", "amount_lcy", "sequence_no", "due_date", "instance_id")


def _row(e: ApprovalEntry) -> dict[str, Any]:
    return {
        "entry_no": e.entry_no, "entry_id": e.id, "status": e.status, "approver_id": e.approver_id,
        "sender_id": e.sender_id, "record_type": e.record_type, "record_key": e.record_key,
        "document_type": e.document_type, "document_no": e.document_no, "amount": str(e.amount),
        "amount_lcy": str(e.amount_lcy), "currency_code": e.currency_code, "sequence_no": e.sequence_no,
        "due_date": e.due_date.isoformat(), "instance_id": e.instance_id, "approval_code": e.approval_code,
        "approval_type": e.approval_type, "limit_type": e.limit_type,
    }


def list_entries(uow: UnitOfWork, *, approver: str | None = None, sender: str | None = None,
                 statuses: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """Entries ordered by entry number. ``approver`` alone defaults to Open entries (Requests to Approve)."""
    stmt = select(ApprovalEntry)
    if approver is not None:
        stmt = stmt.where(ApprovalEntry.approver_id == approver)
        if statuses is None:
            statuses = ("Open",)
    if sender is not None:
        stmt = stmt.where(ApprovalEntry.sender_id == sender)
    if statuses:
        stmt = stmt.where(ApprovalEntry.status.in_(statuses))
    return [_row(e) for e in uow.session.scalars(stmt.order_by(ApprovalEntry.entry_no))]


def audit_trail(uow: UnitOfWork, entry_id: str) -> list[dict[str, Any]]:
    rows = uow.session.scalars(select(ApprovalAudit).where(ApprovalAudit.entry_id == entry_id)
                               .order_by(ApprovalAudit.at, ApprovalAudit.id))
    return [{"at": a.at.isoformat(), "user": a.user_id, "action": a.action, "old_status": a.old_status,
             "new_status": a.new_status, "detail": a.detail, "comment": a.comment} for a in rows]


def comments(uow: UnitOfWork, record_type: str, record_key: str, instance_id: str) -> list[dict[str, Any]]:
    rows = uow.session.scalars(select(ApprovalCommentLine).where(
        ApprovalCommentLine.record_type == record_type, ApprovalCommentLine.record_key == record_key,
        ApprovalCommentLine.instance_id == instance_id).order_by(ApprovalCommentLine.at))
    return [{"at": c.at.isoformat(), "user": c.user_id, "comment": c.comment} for c in rows]
