"""Stored workflow versions, read back and compiled once per process (versions never change)."""

from __future__ import annotations

import threading
from typing import Any

import attrs
from sqlalchemy.orm import Session

from ..errors import WerkstroomError
from . import store_codec as codec
from .compiler import CompiledCondition, compile_condition
from .program import BoundWorkflow
from .store import WorkflowRow, WorkflowVersionRow


class UnknownWorkflow(WerkstroomError):
    code = "WF509"


@attrs.frozen
class CompiledWorkflow:
    version_id: int
    version_no: int
    content_hash: str
    workflow: BoundWorkflow
    conditions: dict[int, CompiledCondition]
    # each response step's options as the trace shows them (made once, not per run)
    plain_options: dict[int, dict[str, Any]] = attrs.field(factory=dict)


def compile_workflow(version_id: int, version_no: int, content_hash: str,
                     wf: BoundWorkflow) -> CompiledWorkflow:
    conditions = {s.id: compile_condition(s.condition, f"step {s.id} of workflow {wf.code}")
                  for s in wf.steps if s.kind == "event"}
    plain_options = {s.id: {k: codec.plain(v) for k, v in s.options.items()}
                     for s in wf.steps if s.kind == "response"}
    return CompiledWorkflow(version_id, version_no, content_hash, wf, conditions, plain_options)


class WorkflowCache:
    """version id -> compiled workflow; shared by every transaction of one Engine."""

    def __init__(self) -> None:
        self._by_id: dict[int, CompiledWorkflow] = {}
        self._lock = threading.Lock()

    def cached(self, version_id: int) -> CompiledWorkflow | None:
        """The compiled version when this process has it already (no session needed)."""
        return self._by_id.get(version_id)

    def version(self, session: Session, version_id: int) -> CompiledWorkflow:
        found = self._by_id.get(version_id)
        if found is not None:
            return found
        row = session.get(WorkflowVersionRow, version_id)
        if row is None:
            raise UnknownWorkflow(f"workflow version {version_id} does not exist")
        wf = codec.workflow_from_data(codec.loads(row.program), row.source)
        cw = compile_workflow(row.id, row.version_no, row.content_hash, wf)
        with self._lock:
            self._by_id[version_id] = cw
        return cw

    def current(self, session: Session, wf_row: WorkflowRow) -> CompiledWorkflow:
        from sqlalchemy import select

        vid = session.scalar(select(WorkflowVersionRow.id).where(
            WorkflowVersionRow.workflow_code == wf_row.code,
            WorkflowVersionRow.version_no == wf_row.current_version))
        if vid is None:
            raise UnknownWorkflow(f"workflow {wf_row.code} has no version {wf_row.current_version}")
        return self.version(session, vid)
