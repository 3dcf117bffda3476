"""Canceling an approval request (``Engine.cancel``): BC's cancel is the requester's action on the
document, the record's ``...ApprovalRequestCanceled`` event on the request's instance, whose step's
responses (cancel approval requests, reopen document, ...) do the work. Checked and handled in one
transaction; a cancel that nothing takes would change nothing and is refused (WF517)."""

from __future__ import annotations

from typing import Any, NoReturn

from ..errors import WerkstroomError
from .approvals.actions import cancel_target
from .run import Run
from .workflows import UnknownWorkflow


class NothingWaitsForCancel(WerkstroomError):
    """WF517: an approval request is canceled, but no step of its instance waits for the record's cancel
    event (or none of the waiting ones fires), so the cancel would change nothing; it is refused.
    Names the instance, its workflow and the event."""

    code = "WF517"

    def __init__(self, message: str, *, instance_id: str, workflow_code: str, event: str) -> None:
        super().__init__(message)
        self.instance_id = instance_id
        self.workflow_code = workflow_code
        self.event = event


def cancel_event(catalogue: Any, record_type: str) -> str | None:
    """The record type's cancel event (``...ApprovalRequestCanceled``) in the engine's catalogue, None
    when it has none."""
    return next((e.name for e in catalogue.events_on(record_type)
                 if e.name.endswith("ApprovalRequestCanceled")), None)


def cancel(run: Run, catalogue: Any, entry_id: str, user: str) -> tuple[str, str]:
    """The work of ``Engine.cancel`` in the run's transaction: who may cancel and whether the request is
    pending (``cancel_target``, the request's entries locked), the stored record, the step of the
    request's instance that waits for the cancel event, and the event handled; the record's type and
    key. Refused (nothing kept) when the event fires no step of that instance (WF517)."""
    target = cancel_target(run.uow, entry_id, user)
    event = cancel_event(catalogue, target.record_type)
    rec = run.records.get(target.record_type, target.record_key) if event is not None else None
    if event is None or rec is None:
        raise UnknownWorkflow(f"{target.record_type} {target.record_key} has no cancel event "
                              "(...ApprovalRequestCanceled) or is not stored")
    iid, about = target.instance_id, f"{target.record_type} {target.record_key}"
    inst, waiting = run.waiting_for(iid, event)
    code = inst.workflow_code if inst is not None else target.workflow_code
    if inst is None:
        _refuse(iid, code, event, f"instance {iid} of workflow {code} on {about} is no longer running, "
                                  f"so no step waits for {event}")
    if not waiting:
        _refuse(iid, code, event, f"no step of instance {iid} of workflow {code} on {about} waits for "
                                  f"{event}")
    run.queue_event(event, rec, user, instance_id=iid)
    run.drain()  # here, so that a cancel no step took is refused before anything is kept
    first = run.handled[0]
    if first.outcome == "continued" and first.instance_id != iid:
        _refuse(iid, code, event, f"instance {first.instance_id} of workflow {first.workflow_code} on "
                                  f"{about} waits for {event} too and would take it instead of instance "
                                  f"{iid} of workflow {code}")
    if first.outcome != "continued":
        steps = ", ".join(str(s.id) for s in waiting)
        _refuse(iid, code, event, f"the steps of instance {iid} of workflow {code} that wait for {event} "
                                  f"(step {steps}) have conditions that do not hold for {about}")
    return rec.type, rec.key


def _refuse(instance_id: str, workflow_code: str, event: str, why: str) -> NoReturn:
    """Refuse a cancel that would change nothing (WF517), saying why and what would take it."""
    raise NothingWaitsForCancel(
        f"nothing waits for the cancel: {why}; the approval request was not canceled and nothing was "
        f"changed. A workflow takes a cancel with a step that waits for it (`on {event}` with a response "
        f"such as `cancel all approval requests`, as Business Central's templates have): add one to "
        f"workflow {workflow_code}, or let the request be approved or rejected",
        instance_id=instance_id, workflow_code=workflow_code, event=event)
