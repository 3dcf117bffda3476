"""The ApprovalEntry record as the engine sees it (events on approval entries carry this record).

``values`` hold BC's Approval Entry fields in snake_case, plus the flowfield ``pending_approvals``:
the Created and Open entries of the same record in the same workflow instance. The document the entry
points to is named by ``record_type`` and ``record_key``; the instance by ``instance_id``.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

import attrs
from sqlalchemy import BindParameter, bindparam, func, select

from ..unit import UnitOfWork
from .models import ApprovalCommentLine, ApprovalEntry

RECORD_TYPE = "ApprovalEntry"
# session.info key: ids of entries the reject action rejected in this transaction
JUST_REJECTED = "werkstroom.rejected_by_action"
PENDING = ("Created", "Open")


@attrs.define
class SimpleRecord:
    """A RecordHandle held in memory."""

    type: str
    key: str
    values: MutableMapping[str, Any] = attrs.field(factory=dict)
    old_values: Mapping[str, Any] | None = None


_RT: BindParameter[str] = bindparam("rt")
_RK: BindParameter[str] = bindparam("rk")
_INST: BindParameter[str] = bindparam("inst")
_PENDING = select(func.count()).select_from(ApprovalEntry).where(
    ApprovalEntry.record_type == _RT,
    ApprovalEntry.record_key == _RK,
    ApprovalEntry.instance_id == _INST,
    ApprovalEntry.status.in_(PENDING),
).scalar_subquery()
_COMMENTS = select(func.count()).select_from(ApprovalCommentLine).where(
    ApprovalCommentLine.instance_id == _INST,
    ApprovalCommentLine.record_key == _RK,
    ApprovalCommentLine.record_type == _RT,
).scalar_subquery()
_COUNTS = select(_PENDING, _COMMENTS)  # built once: only the parameters change
_BY_ENTRY_NO = select(ApprovalEntry).where(ApprovalEntry.entry_no == bindparam("no"))


def pending_approvals(uow: UnitOfWork, record_type: str, record_key: str, instance_id: str) -> int:
    return int(uow.session.execute(_COUNTS, {"rt": record_type, "rk": record_key,
                                             "inst": instance_id}).one()[0])


def entry_values(uow: UnitOfWork, entry: ApprovalEntry) -> dict[str, Any]:
    counts = uow.session.execute(_COUNTS, {"rt": entry.record_type, "rk": entry.record_key,
                                           "inst": entry.instance_id}).one()
    return {
        "entry_id": entry.id,
        "entry_no": entry.entry_no,
        "record_type": entry.record_type,
        "record_key": entry.record_key,
        "instance_id": entry.instance_id,
        "workflow_step_instance_id": entry.instance_id,
        "approval_code": entry.approval_code,
        "document_type": entry.document_type,
        "document_no": entry.document_no,
        "sequence_no": entry.sequence_no,
        "sender_id": entry.sender_id,
        "approver_id": entry.approver_id,
        "status": entry.status,
        "salespers_purch_code": entry.salespers_purch_code,
        "amount": entry.amount,
        "amount_lcy": entry.amount_lcy,
        "currency_code": entry.currency_code,
        "available_credit_limit_lcy": entry.available_credit_limit_lcy,
        "approval_type": entry.approval_type,
        "limit_type": entry.limit_type,
        "date_time_sent_for_approval": entry.date_time_sent_for_approval,
        "last_date_time_modified": entry.last_date_time_modified,
        "last_modified_by_user_id": entry.last_modified_by_user_id,
        "due_date": entry.due_date,
        "delegation_date_formula": entry.delegation_date_formula,
        "comment": bool(counts[1]),
        "pending_approvals": int(counts[0]),
    }


def entry_record(uow: UnitOfWork, entry: ApprovalEntry) -> SimpleRecord:
    """The record view of ``entry`` (type ``ApprovalEntry``, key = its entry number, as the catalogue's
    ApprovalEntry record declares), computed now."""
    return SimpleRecord(RECORD_TYPE, str(entry.entry_no), entry_values(uow, entry))


_BY_NO = "werkstroom.approval_entry_ids"


def remember_entry(uow: UnitOfWork, entry: ApprovalEntry) -> None:
    """Note entry no. -> id for this session (so later look-ups in the same transaction need no query)."""
    uow.session.info.setdefault(_BY_NO, {})[entry.entry_no] = entry.id


def entry_by_key(uow: UnitOfWork, key: str) -> ApprovalEntry | None:
    """The entry a record key (entry number) or an entry id names."""
    if key.isdigit():
        known: dict[int, str] = uow.session.info.setdefault(_BY_NO, {})
        entry_id = known.get(int(key))
        if entry_id is not None:
            cached = uow.session.get(ApprovalEntry, entry_id)
            if cached is not None and cached.entry_no == int(key):
                return cached
        found = uow.session.scalars(_BY_ENTRY_NO, {"no": int(key)}).first()
        if found is not None:
            known[found.entry_no] = found.id
            return found
    return uow.session.get(ApprovalEntry, key)
