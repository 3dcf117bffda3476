"""The engine's read-only views of the store for hosts: running and archived instances, their steps,
a record's workflow state, the outbox and the event log (``Engine.instances``, ``Engine.steps``, ...)."""

from __future__ import annotations

import datetime as dt
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
