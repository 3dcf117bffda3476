"""Stored workflow versions, read back and compiled once per process (versions never change)."""

from __future__ import annotations

import threading
from typing import Any

import attrs
from sqlalchemy.orm import Session

from ..binding.compiler import CompiledCondition, compile_condition, render
from ..binding.overlap import Pins, pins
from ..binding.program import BoundStep, BoundWorkflow
from ..errors import WerkstroomError
from ..store import codec as codec
from ..store.database import WorkflowRow, WorkflowVersionRow, encode_step_states


class UnknownWorkflow(WerkstroomError):
    code = "WF509"


@attrs.frozen
class StepLinks:
    """What the engine's walk needs of one step, worked out once per compiled version.

    ``arms``: the event steps under it (armed when it completes). ``clears``: every step under those
    (made Inactive when they are armed). ``below``: every step under it (made Inactive when it is
    armed itself). ``event_siblings``: the other event steps under its parent (ignored when it fires).
    ``first_response``: the response its chain continues with. ``condition_text``: an event step's
    condition as the trace shows it."""

    step: BoundStep
    arms: tuple[int, ...]
    clears: tuple[int, ...]
    below: tuple[int, ...]
    event_siblings: tuple[int, ...]
    first_response: BoundStep | None
    condition_text: str


def _below(wf: BoundWorkflow, step_id: int) -> tuple[int, ...]:
    out: list[int] = []
    for child in wf.children(step_id):
        out.append(child.id)
        out.extend(_below(wf, child.id))
    return tuple(out)


def _condition_text(step: BoundStep) -> str:
    if step.kind != "event":
        return ""
    if step.condition_text:
        return step.condition_text
    return "<always>" if step.condition is None else render(step.condition)


def step_links(wf: BoundWorkflow) -> dict[int, StepLinks]:
    links: dict[int, StepLinks] = {}
    for s in wf.steps:
        children = wf.children(s.id)
        arms = tuple(c.id for c in children if c.kind == "event")
        siblings = () if s.parent is None else tuple(
            c.id for c in wf.children(s.parent) if c.id != s.id and c.kind == "event")
        links[s.id] = StepLinks(
            step=s, arms=arms, clears=tuple(d for a in arms for d in _below(wf, a)), below=_below(wf, s.id),
            event_siblings=siblings, first_response=next((c for c in children if c.kind == "response"), None),
            condition_text=_condition_text(s))
    return links


@attrs.frozen
class CompiledWorkflow:
    version_id: int
    version_no: int
    content_hash: str
    workflow: BoundWorkflow
    conditions: dict[int, CompiledCondition]
    # each response step's options as the trace shows them (made once, not per run)
    plain_options: dict[int, dict[str, Any]] = attrs.field(factory=dict)
    # each step's links for the walk (made once, not per handled event)
    links: dict[int, StepLinks] = attrs.field(factory=dict)
    # the event steps of each event name, in sibling order (sequence no, id)
    events_named: dict[str, tuple[BoundStep, ...]] = attrs.field(factory=dict)
    # the ``step_states`` texts of this version's state sets (see ``encode_states``)
    _encoded: dict[tuple[tuple[int, str], ...], str] = attrs.field(factory=dict, eq=False, repr=False)
    # the entry points' pinned fields (``entry_pins``), worked out on first use
    _pins: list[tuple[BoundStep, Pins]] = attrs.field(factory=list, eq=False, repr=False)

    def entry_pins(self) -> list[tuple[BoundStep, Pins]]:
        """Each entry point with the fields its condition pins (``overlap.pins``): enabling another
        workflow on the same event skips this one without solving when the pins are apart."""
        if not self._pins and self.workflow.entry_points:
            # one slice assignment: threads that work them out at once store the same list, never twice
            self._pins[:] = [(s, pins(s.condition)) for s in self.workflow.entry_points]
        return self._pins

    def encode_states(self, states: dict[int, str]) -> str:
        """``encode_step_states(states)``, each distinct set of states encoded once per version (a
        version's instances pass through the same few; at most ``_MAX_ENCODED`` are kept)."""
        key = tuple(sorted(states.items()))
        found = self._encoded.get(key)
        if found is None:
            found = encode_step_states(states)
            if len(self._encoded) < _MAX_ENCODED:
                self._encoded[key] = found
        return found


_MAX_ENCODED = 1024


def compile_workflow(version_id: int, version_no: int, content_hash: str,
                     wf: BoundWorkflow) -> CompiledWorkflow:
    conditions = {s.id: compile_condition(s.condition, f"step {s.id} of workflow {wf.code}")
                  for s in wf.steps if s.kind == "event"}
    plain_options = {s.id: {k: codec.plain(v) for k, v in s.options.items()}
                     for s in wf.steps if s.kind == "response"}
    named: dict[str, list[BoundStep]] = {}
    for s in sorted(wf.steps, key=lambda s: (s.sequence_no, s.id)):
        if s.kind == "event":
            named.setdefault(s.name, []).append(s)
    return CompiledWorkflow(version_id, version_no, content_hash, wf, conditions, plain_options,
                            step_links(wf), {k: tuple(v) for k, v in named.items()})


# ``session.info`` key: the versions the session's transaction stored (version id -> compiled), read by
# ``WorkflowCache.version`` in that transaction only: a version joins the shared cache once it is read
# after its commit, so a rolled-back one (whose id SQLite may give to another) is never kept
PENDING_VERSIONS = "werkstroom.pending_versions"


class WorkflowCache:
    """version id -> compiled workflow; shared by every transaction of one Engine (committed versions
    only: see ``PENDING_VERSIONS``)."""

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
        pending = session.info.get(PENDING_VERSIONS)
        if pending is not None and version_id in pending:
            return pending[version_id]  # type: ignore[no-any-return]
        row = session.get(WorkflowVersionRow, version_id)
        if row is None:
            raise UnknownWorkflow(f"workflow version {version_id} does not exist")
        wf = codec.workflow_from_data(codec.loads(row.program), row.source)
        with self._lock:  # compiled once: threads that read the version at once share one
            found = self._by_id.get(version_id)
            if found is None:
                found = self._by_id[version_id] = compile_workflow(row.id, row.version_no,
                                                                   row.content_hash, wf)
        return found

    def current(self, session: Session, wf_row: WorkflowRow) -> CompiledWorkflow:
        from sqlalchemy import select

        vid = session.scalar(select(WorkflowVersionRow.id).where(
            WorkflowVersionRow.workflow_code == wf_row.code,
            WorkflowVersionRow.version_no == wf_row.current_version))
        if vid is None:
            raise UnknownWorkflow(f"workflow {wf_row.code} has no version {wf_row.current_version}")
        return self.version(session, vid)
