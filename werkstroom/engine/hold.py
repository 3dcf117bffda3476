"""A workflow holds the record it runs on: it is in that workflow once (an event that would start it
again is refused, WF516), and the status the workflow set wins over the status of a host payload
while it holds the record (docs/engine.md, "The rules the engine follows")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Protocol

from ..errors import WerkstroomError
from ..store import codec as codec
from .records import Rec
from .states import RecordStates
from .workflows import CompiledWorkflow


class Running(Protocol):
    """A running instance of a workflow on a record (``engine.run.Inst``)."""

    @property
    def id(self) -> str: ...
    @property
    def workflow_code(self) -> str: ...
    @property
    def version_id(self) -> int: ...
    @property
    def started_by(self) -> str: ...
    @property
    def created_at(self) -> dt.datetime: ...


class SecondStart(WerkstroomError):
    """WF516: the event would start a workflow again on a record on which an instance of it runs (and
    waits for other events); the event is refused. Names the running instance."""

    code = "WF516"

    def __init__(self, message: str, *, instance_id: str, workflow_code: str) -> None:
        super().__init__(message)
        self.instance_id = instance_id
        self.workflow_code = workflow_code


def refuse_second_start(running: Iterable[Running], version: Callable[[int], CompiledWorkflow], rec: Rec,
                        name: str) -> None:
    """WF516 when one of the record's running instances (none of whose steps waits for the event)
    belongs to a workflow that the event starts: its entry point has the event and record type."""
    for inst in running:
        if any(s.name == name and (not s.record_type or s.record_type == rec.type)
               for s in version(inst.version_id).workflow.entry_points):
            raise SecondStart(
                f"{rec.type} {rec.key} is already in workflow {inst.workflow_code}: its instance "
                f"{inst.id}, started {inst.created_at:%Y-%m-%d %H:%M} by {inst.started_by}, is running "
                f"and no step of it waits for {name}; a second instance is not started and the event "
                f"was not applied. Wait until that instance has finished, or cancel its approval "
                f"request, and send again",
                instance_id=inst.id, workflow_code=inst.workflow_code)


def keep_engine_status(states: RecordStates, rec: Rec, *, held: bool, note: Callable[[str], None],
                       now: Callable[[], dt.datetime]) -> None:
    """The status a workflow set on a record (``set_status``: pending approval, released, reopened)
    against the ``status`` of a host payload just merged into ``rec``. While a workflow holds the
    record (``held``: an instance runs on it; or a workflow restricted it) the stored status wins and
    the payload's is noted as not taken; otherwise the host's status is the record's (the host
    reopened a released document itself) and the state row follows it."""
    got = states.peek(rec.type, rec.key)
    if got is None or got[0] is None:
        return  # no workflow ever set a status on the record
    status, sent = got[0], rec.values.get("status")
    if sent == status:
        return
    if held or got[1]:
        rec.values["status"] = status
        note(f"the payload's status {codec.plain(sent)} is not taken: a workflow holds "
                 f"{rec.type} {rec.key} and set its status to {status}")
        return
    row = states.row(rec.type, rec.key)
    row.status = sent
    row.updated_at = now()
