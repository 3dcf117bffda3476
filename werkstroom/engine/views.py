"""The engine's read-only views of the store for hosts: running and archived instances, their steps,
a record's workflow state, the outbox, the event log, approval entries with their history, and waiting
and sent notifications (``Engine.instances``, ``Engine.approval_entries``, ...). Each is a frozen value
read in one transaction; nothing a host holds changes with the store."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..store import codec as codec
from ..store.database import (
    ArchivedInstanceRow,
    EventLogRow,
    InstanceRow,
    OutboxRow,
    RecordChangeRow,
    RecordRow,
    RecordStateRow,
    decode_step_states,
)
from .workflows import UnknownWorkflow, WorkflowCache


@attrs.frozen
class InstanceInfo:
    id: str
    workflow_code: str
    version: int
    record_type: str
    record_key: str
    started_by: str
    created_at: dt.datetime
    archived_at: dt.datetime | None = None


@attrs.frozen
class StepInfo:
    step_id: int
    kind: str
    name: str
    parent: int | None
    sequence_no: int
    next_step: int | None
    status: str


@attrs.frozen
class OutboxItem:
    id: int
    kind: str
    payload: dict[str, Any]
    instance_id: str
    workflow_code: str
    created_at: dt.datetime


@attrs.frozen
class PendingChange:
    field: str
    old_value: Any
    new_value: Any
    workflow_code: str


@attrs.frozen
class RecordStatus:
    """The workflow-relevant state of one record, for the host."""

    record_type: str
    key: str
    status: str | None
    restricted: bool
    restriction_reason: str
    pending_changes: tuple[PendingChange, ...]
    running_instances: tuple[str, ...]


@attrs.frozen
class ApprovalEntryInfo:
    """One approval entry (BC's Approval Entry): who must act (``approver_id``) on whose request
    (``sender_id``) for which record, its ``status`` (Created, Open, Approved, Rejected, Canceled), the
    amounts, its place in the request (``sequence_no``) and its ``due_date``. ``entry_no`` or
    ``entry_id`` names it to ``Engine.approve``, ``reject``, ``delegate`` and ``cancel``."""

    entry_no: int
    entry_id: str
    status: str
    approver_id: str
    sender_id: str
    record_type: str
    record_key: str
    document_type: str
    document_no: str
    amount: Decimal
    amount_lcy: Decimal
    currency_code: str
    sequence_no: int
    due_date: dt.date
    sent_at: dt.datetime
    instance_id: str
    approval_code: str
    approval_type: str
    limit_type: str

    def to_json(self) -> dict[str, Any]:
        """Plain data (amounts as text, dates as ISO text), as `wf approvals --json` prints it."""
        data = attrs.asdict(self)
        data.update(amount=str(self.amount), amount_lcy=str(self.amount_lcy),
                    due_date=self.due_date.isoformat(), sent_at=self.sent_at.isoformat())
        return data


@attrs.frozen
class AuditLine:
    """One change of an approval entry: who did what when, the status before and after."""

    at: dt.datetime
    user: str
    action: str
    old_status: str
    new_status: str
    detail: str
    comment: str | None


@attrs.frozen
class CommentLine:
    """One approval comment on the request an entry belongs to."""

    at: dt.datetime
    user: str
    comment: str


@attrs.frozen
class ApprovalHistory:
    """An approval entry with its audit trail (oldest first) and the comments on its request."""

    entry: ApprovalEntryInfo
    audit: tuple[AuditLine, ...]
    comments: tuple[CommentLine, ...]


@attrs.frozen
class WaitingNotification:
    """A notification entry not delivered yet: due later by its recipient's schedule, or failed
    (``attempts``, ``error``) and retried from ``next_attempt_at``. ``text`` is its line of the digest."""

    id: str
    entry_type: str
    recipient_id: str
    record_type: str
    record_key: str
    created_at: dt.datetime
    attempts: int
    error: str
    next_attempt_at: dt.datetime | None
    text: str


@attrs.frozen
class SentNotification:
    """A delivered notification: by ``method`` (Email to ``address``, or Note on the record), in the
    digest ``digest_id``, with the ``text`` it was sent with."""

    id: str
    entry_type: str
    recipient_id: str
    method: str
    address: str
    sent_at: dt.datetime
    digest_id: str
    record_type: str
    record_key: str
    text: str


def utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` as an aware UTC datetime (SQLite reads the approval tables' times back naive)."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def record_state(s: Session, record_type: str, key: str) -> RecordStatus:
    st = s.get(RecordStateRow, (record_type, key))
    changes = tuple(
        PendingChange(c.field, codec.loads(c.old_value), codec.loads(c.new_value), c.workflow_code)
        for c in s.scalars(select(RecordChangeRow).where(
            RecordChangeRow.record_type == record_type, RecordChangeRow.record_key == key)
            .order_by(RecordChangeRow.id)))
    running = tuple(s.scalars(select(InstanceRow.id).where(
        InstanceRow.record_type == record_type, InstanceRow.record_key == key)
        .order_by(InstanceRow.seq)))
    status = st.status if st is not None else None
    if status is None:
        row = s.get(RecordRow, (record_type, key))
        if row is not None:
            status = (codec.loads(row.values_json) or {}).get("status")
    return RecordStatus(record_type, key, status, bool(st and st.restricted),
                        st.restriction_reason if st else "", changes, running)


def instances(s: Session, cache: WorkflowCache, workflow_code: str | None, record_type: str | None,
              record_key: str | None) -> list[InstanceInfo]:
    stmt = select(InstanceRow).order_by(InstanceRow.seq)
    if workflow_code:
        stmt = stmt.where(InstanceRow.workflow_code == workflow_code)
    if record_type:
        stmt = stmt.where(InstanceRow.record_type == record_type)
    if record_key:
        stmt = stmt.where(InstanceRow.record_key == record_key)
    return [_info(s, cache, r) for r in s.scalars(stmt)]


def archive(s: Session, cache: WorkflowCache, workflow_code: str | None) -> list[InstanceInfo]:
    stmt = select(ArchivedInstanceRow).order_by(ArchivedInstanceRow.seq)
    if workflow_code:
        stmt = stmt.where(ArchivedInstanceRow.workflow_code == workflow_code)
    return [_info(s, cache, r) for r in s.scalars(stmt)]


def _info(s: Session, cache: WorkflowCache, r: InstanceRow | ArchivedInstanceRow) -> InstanceInfo:
    version = cache.version(s, r.version_id).version_no
    archived = r.archived_at if isinstance(r, ArchivedInstanceRow) else None
    return InstanceInfo(r.id, r.workflow_code, version, r.record_type, r.record_key, r.started_by,
                        r.created_at, archived)


def steps(s: Session, cache: WorkflowCache, instance_id: str) -> list[StepInfo]:
    row: InstanceRow | ArchivedInstanceRow | None = s.get(InstanceRow, instance_id)
    if row is None:
        row = s.get(ArchivedInstanceRow, instance_id)
    if row is None:
        raise UnknownWorkflow(f"there is no workflow instance {instance_id!r}")
    states = decode_step_states(row.step_states)
    wf = cache.version(s, row.version_id).workflow
    return [StepInfo(st.id, st.kind, st.name, st.parent, st.sequence_no, st.next_step,
                     states.get(st.id, "Inactive"))
            for st in sorted(wf.steps, key=lambda st: st.id)]


def outbox(s: Session, after: int, kind: str | None, event_id: int | None,
           limit: int | None) -> list[OutboxItem]:
    stmt = select(OutboxRow).where(OutboxRow.id > after).order_by(OutboxRow.id)
    if kind:
        stmt = stmt.where(OutboxRow.kind == kind)
    if event_id is not None:
        stmt = stmt.where(OutboxRow.event_id == event_id)
    if limit:
        stmt = stmt.limit(limit)
    return [OutboxItem(r.id, r.kind, codec.plain(codec.loads(r.payload)), r.instance_id,
                       r.workflow_code, r.created_at) for r in s.scalars(stmt)]


def event_log(s: Session) -> list[tuple[int, str, str, str, str | None]]:
    return [(r.id, r.event, r.record_type, r.record_key, r.idempotency_key)
            for r in s.scalars(select(EventLogRow).order_by(EventLogRow.id))]
