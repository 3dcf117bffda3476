"""A record's workflow state, its stored values and its running instances with their steps."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from ...engine.views import InstanceInfo, RecordStatus, StepInfo
from ...engine.workflows import UnknownWorkflow
from ..auth.policy import may_read
from ..context import answer, service
from . import models
from .common import PREFIX

router = APIRouter(prefix=PREFIX, tags=["records"])


@router.get("/records/{record_type}/{key:path}", summary="A record's state, values, instances and steps",
            responses={200: {"model": models.RecordState}})
async def record(record_type: str, key: str, request: Request) -> Response:
    """As `wf show TYPE KEY`, with the steps of each running instance. A record key of several fields is
    written with ``|`` between them (percent-encoded ``%7C``). For a system token with the scope
    ``records``, the approval administrator, and users with an approval entry on the record."""
    svc = service(request)

    def work() -> Response:
        p = svc.principal(request)
        with svc.store() as eng:
            parties: list[tuple[str, str]] = []
            if p.is_user:  # the user's own entries on the record, as approver and as sender
                rt, rk = record_type, key
                mine = [*eng.approval_entries(record_type=rt, record_key=rk, approver=p.name, limit=1),
                        *eng.approval_entries(record_type=rt, record_key=rk, sender=p.name, limit=1)]
                parties.extend((e.approver_id, e.sender_id) for e in mine)
            may_read(eng, p, parties, f"{record_type} {key}")
            state = eng.record_state(record_type, key)
            values = eng.record(record_type, key)
            instances = [(i, eng.steps(i.id)) for i in eng.instances(record_type=record_type, record_key=key)]
        if values is None and state.status is None and not instances:
            raise UnknownWorkflow(f"no {record_type} {key!r} is stored")
        return answer(_state_json(state, values, instances))

    return await svc.run(work)


def _state_json(state: RecordStatus, values: dict[str, Any] | None,
                instances: list[tuple[InstanceInfo, list[StepInfo]]]) -> dict[str, Any]:
    return {
        "record_type": state.record_type, "key": state.key, "status": state.status,
        "restricted": state.restricted, "restriction_reason": state.restriction_reason,
        "pending_changes": [{"field": c.field, "old": c.old_value, "new": c.new_value,
                             "workflow_code": c.workflow_code} for c in state.pending_changes],
        "values": values,
        "instances": [{"id": i.id, "workflow_code": i.workflow_code, "version": i.version,
                       "started_by": i.started_by, "created_at": i.created_at,
                       "steps": [{"step_id": s.step_id, "kind": s.kind, "name": s.name, "parent": s.parent,
                                  "sequence_no": s.sequence_no, "next_step": s.next_step, "status": s.status}
                                 for s in steps]} for i, steps in instances]}
