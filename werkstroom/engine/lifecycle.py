"""Workflow lifecycle in the store: deploy (a version per content hash), enable (enable checks and the
overlap check across enabled workflows), disable, delete, copy a template.

Rules (BC's, catalogue.md section 7, and issue 4): a stored version is never edited in place; an
enabled workflow is read-only, so deploying changed text for it stores a new version that new
instances use, while running instances stay on the version they started with. Templates
(``template = True``) can be copied, never enabled or deleted. Delete only when no instance is running.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import attrs
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..binding.overlap import apart, overlaps_with
from ..binding.program import BoundWorkflow
from ..diagnostics import Diagnostic, Severity
from ..errors import DiagnosticsError, WerkstroomError
from ..store import codec as codec
from ..store.database import (
    ADVISORY_LOCK,
    InstanceRow,
    WorkflowRow,
    WorkflowVersionRow,
    advisory_key,
    entry_event_of,
)
from . import pinned
from .clock import Clock
from .records import Vocabulary
from .workflows import PENDING_VERSIONS, CompiledWorkflow, UnknownWorkflow, WorkflowCache, compile_workflow


class LifecycleError(WerkstroomError):
    """WF506: the workflow cannot be changed in its current state."""

    code = "WF506"


class EnableRefused(DiagnosticsError):
    """WF507: the enable checks found errors; ``diagnostics`` lists them."""

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic]) -> None:
        super().__init__(message, diagnostics, code="WF507")


@attrs.frozen
class Deployed:
    code: str
    version: int
    content_hash: str
    new_version: bool
    enabled: bool
    # the enable checks' warnings when a new version of an enabled workflow went live
    warnings: tuple[Diagnostic, ...] = ()


@attrs.define
class Checks:
    """What the enable checks need, for one transaction: the compiled-version cache, the engine's
    vocabulary, the catalogue, and the re-check of a deployed source against it (None: not run)."""

    cache: WorkflowCache
    vocab: Vocabulary
    catalogue: Any = None
    rebind: Rebind | None = None


@attrs.frozen
class WorkflowInfo:
    code: str
    description: str
    category: str
    enabled: bool
    template: bool
    version: int
    content_hash: str
    running: int


def deploy(session: Session, clock: Clock, wf: BoundWorkflow, checks: Checks) -> Deployed:
    """Store ``wf`` as a new version unless its content hash is the current one. Its conditions are
    compiled first, so one past the size limits is refused here (WF501), not at run time. A new
    version of an enabled workflow goes live at once, so it must pass the enable checks first
    (EnableRefused, WF507: it is not stored and the current version stays in use)."""
    compiled = compile_workflow(0, 0, "", wf)
    digest = codec.workflow_hash(wf)
    now = clock.now()
    row = session.get(WorkflowRow, wf.code)
    if row is not None:
        current = session.scalar(select(WorkflowVersionRow).where(
            WorkflowVersionRow.workflow_code == wf.code,
            WorkflowVersionRow.version_no == row.current_version))
        if current is not None and current.content_hash == digest:
            return Deployed(wf.code, row.current_version, digest, False, row.enabled)
        if row.template and not wf.template:
            raise LifecycleError(f"{wf.code} is a template; copy it under a new code instead of replacing it")
    last = session.scalar(select(func.max(WorkflowVersionRow.version_no))
                          .where(WorkflowVersionRow.workflow_code == wf.code)) or 0
    version_no = last + 1
    warnings: list[Diagnostic] = []
    if row is not None and row.enabled:
        diags = enable_diagnostics(session, checks, compiled, version_no, bool(row.allow_overlap))
        if any(d.is_error for d in diags):
            raise EnableRefused(
                f"{wf.code} is enabled, and its new version fails the enable checks: it was not deployed "
                f"(version {row.current_version} stays in use; disable {wf.code} first to store a version "
                f"that is not ready)", diags)
        warnings = [d for d in diags if not d.is_error]
    stored = WorkflowVersionRow(
        workflow_code=wf.code, version_no=version_no, content_hash=digest, source=wf.source, path=wf.path,
        program=codec.dumps(codec.workflow_to_data(wf)), created_at=now)
    session.add(stored)
    if row is None:
        row = WorkflowRow(code=wf.code, description=wf.description, category=wf.category, enabled=False,
                          template=wf.template, current_version=version_no, updated_at=now,
                          entry_event=entry_event_of(wf), allow_overlap=False)
        session.add(row)
    else:
        row.description, row.category = wf.description, wf.category
        row.current_version = version_no
        row.entry_event = entry_event_of(wf)
        row.updated_at = now
    session.flush()
    # an enable later in this transaction reads the version as compiled here (not the shared cache)
    session.info.setdefault(PENDING_VERSIONS, {})[stored.id] = attrs.evolve(
        compiled, version_id=stored.id, version_no=version_no, content_hash=digest)
    if row.enabled:
        pinned.write(session, wf.code, wf)
    return Deployed(wf.code, version_no, digest, True, row.enabled, tuple(warnings))


def deploy_all(session: Session, clock: Clock, workflows: Sequence[BoundWorkflow], checks: Checks, *,
               enabling: bool = False, allow_overlap: bool | None = None) -> list[Deployed]:
    """Store ``workflows`` (``deploy`` each) and, with ``enabling``, enable each, in the session's one
    transaction: a refusal of any of them (EnableRefused, LifecycleError) leaves the store as it was.
    The entry events of all of them are locked first, in one order (``lock_event``), so that two such
    calls at once cannot each hold a lock the other waits for."""
    for event in sorted({entry_event_of(wf) for wf in workflows} - {""}):
        lock_event(session, event)
    done = [deploy(session, clock, wf, checks) for wf in workflows]
    if not enabling:
        return done
    out: list[Deployed] = []
    for d in done:
        warnings = enable(session, clock, checks, d.code, allow_overlap)
        out.append(attrs.evolve(d, enabled=True, warnings=(*d.warnings, *warnings)))
    return out


def _require(session: Session, code: str) -> WorkflowRow:
    row = session.get(WorkflowRow, code)
    if row is None:
        raise UnknownWorkflow(f"there is no workflow {code!r} (deploy it first)")
    return row


def running_count(session: Session, code: str) -> int:
    return int(session.scalar(select(func.count()).select_from(InstanceRow)
                              .where(InstanceRow.workflow_code == code)) or 0)


def _structure(wf: BoundWorkflow, vocab: Vocabulary) -> list[Diagnostic]:
    """The engine's own enable-time facts (BC's Workflow.CheckEntryPoint etc.)."""
    out: list[Diagnostic] = []

    def err(msg: str) -> None:
        out.append(Diagnostic("WF507", Severity.ERROR, msg))

    roots = [s for s in wf.steps if s.parent is None]
    if len(roots) != 1 or not roots[0].entry_point:
        err(f"{wf.code} must have exactly one entry-point step without a parent; it has {len(roots)}")
    for s in roots:
        if s.kind != "event":
            err(f"step {s.id} of {wf.code}: only events can be entry points")
    ids = {s.id for s in wf.steps}
    for s in wf.steps:
        if s.parent is not None and s.parent not in ids:
            err(f"step {s.id} of {wf.code} hangs under the missing step {s.parent}")
        if s.next_step is not None and s.next_step not in ids:
            err(f"step {s.id} of {wf.code} continues at the missing step {s.next_step}")
        if s.kind == "event" and vocab.event(s.name) is None:
            err(f"step {s.id} of {wf.code}: the event {s.name!r} is not in the catalogue")
        if s.kind == "response" and vocab.response(s.name) is None:
            err(f"step {s.id} of {wf.code}: the response {s.name!r} is not in the catalogue")
    return out


def _binder_checks(wf: BoundWorkflow, enabled: Sequence[BoundWorkflow], catalogue: Any,
                   allow_overlap: bool) -> list[Diagnostic]:
    """The binder's enable checks and the overlap check against the enabled workflows: an entry point
    that one record can share with an enabled one refuses (WF428) unless overlaps are allowed (then
    WF420 warns)."""
    out: list[Diagnostic] = []
    if catalogue is None:
        return out
    try:
        checks = importlib.import_module("werkstroom.binding.checks")
    except ModuleNotFoundError:
        checks = None
    fn: Callable[..., Any] | None = getattr(checks, "enable_checks", None) if checks else None
    if fn is not None:
        out.extend(fn(wf, tuple(enabled), catalogue))
    out.extend(overlaps_with(wf, enabled, catalogue.record, refuse=not allow_overlap))
    return checks.without_repeats(out) if checks is not None else out


class Rebind(Protocol):
    """Binds a deployed workflow's source again against the installed catalogue and answers the errors
    inside it (``werkstroom.binding.sources.rebind``, wired by ``open_engine``): the check that a
    deployed workflow still fits the libraries, run when it is enabled (docs/extending.md)."""

    def __call__(self, wf: BoundWorkflow, catalogue: Any, version: int = 0) -> list[Diagnostic]: ...


def enabled_on(session: Session, cache: WorkflowCache, wf: CompiledWorkflow) -> list[BoundWorkflow]:
    """The enabled workflows (other than ``wf``) whose entry point listens to ``wf``'s event and may
    match a record it matches: the only ones the entry-point checks compare with. Those whose
    conditions pin a field to other values than ``wf``'s (another company, document type, ...) are
    left out without being read (``pinned.candidates``)."""
    mine = wf.entry_pins()
    out: list[BoundWorkflow] = []
    for _code, version_id in pinned.candidates(session, wf.workflow):
        other = cache.version(session, version_id)
        theirs = other.entry_pins()
        if any(not apart(p, q) for s, p in mine for t, q in theirs if s.name == t.name):
            out.append(other.workflow)
    return out


def lock_event(session: Session, event: str) -> None:
    """Enabling workflows on one event, one at a time: on PostgreSQL a transaction-level advisory lock
    on the event (SQLite's ``BEGIN IMMEDIATE`` serializes writers already), taken before the enabled
    workflows are read, so of two overlapping workflows enabled at once the second sees the first."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(ADVISORY_LOCK, {"k": advisory_key("enable", event)})


def enable_diagnostics(session: Session, checks: Checks, compiled: CompiledWorkflow, version: int,
                       allowed: bool) -> list[Diagnostic]:
    """What enabling ``compiled`` (stored as ``version``) next to the enabled workflows reports."""
    wf = compiled.workflow
    lock_event(session, entry_event_of(wf))
    others = enabled_on(session, checks.cache, compiled)
    # a deployed workflow that no longer fits the installed catalogue is reported as such first
    refit = checks.rebind(wf, checks.catalogue, version) if checks.rebind is not None else []
    return refit or (_structure(wf, checks.vocab) + _binder_checks(wf, others, checks.catalogue, allowed))


def enable(session: Session, clock: Clock, checks: Checks, code: str,
           allow_overlap: bool | None = None) -> list[Diagnostic]:
    """Enable ``code`` or raise EnableRefused; returns the warnings found. ``allow_overlap``: True lets
    its entry point overlap enabled workflows' (a warning, not a refusal), False refuses that; the
    choice is stored on the workflow, and None uses the stored one."""
    row = _require(session, code)
    if row.template:
        raise LifecycleError(f"{code} is a template: templates cannot be enabled; copy it first "
                             f"(wf copy {code} NEW-CODE)")
    compiled = checks.cache.current(session, row)
    allowed = row.allow_overlap if allow_overlap is None else allow_overlap
    diags = enable_diagnostics(session, checks, compiled, row.current_version, bool(allowed))
    errors = [d for d in diags if d.is_error]
    if errors:
        raise EnableRefused(f"{code} cannot be enabled: {len(errors)} problem(s) found", diags)
    row.enabled = True
    row.allow_overlap = bool(allowed)
    row.updated_at = clock.now()
    pinned.write(session, code, compiled.workflow)
    return [d for d in diags if not d.is_error]


def disable(session: Session, clock: Clock, code: str) -> None:
    row = _require(session, code)
    row.enabled = False
    row.updated_at = clock.now()
    pinned.write(session, code, None)


def delete(session: Session, code: str) -> None:
    row = _require(session, code)
    if row.template:
        raise LifecycleError(f"{code} is a template: templates cannot be deleted")
    n = running_count(session, code)
    if n:
        raise LifecycleError(f"{code} has {n} running instance(s); it can be deleted once they finish")
    if row.enabled:
        raise LifecycleError(f"{code} is enabled; disable it before deleting it")
    for v in session.scalars(select(WorkflowVersionRow).where(WorkflowVersionRow.workflow_code == code)):
        session.delete(v)
    pinned.write(session, code, None)
    session.delete(row)


def copy(session: Session, clock: Clock, checks: Checks, code: str, new_code: str,
         description: str | None = None) -> Deployed:
    row = _require(session, code)
    if session.get(WorkflowRow, new_code) is not None:
        raise LifecycleError(f"a workflow {new_code!r} already exists")
    wf = checks.cache.current(session, row).workflow
    copied = attrs.evolve(wf, code=new_code, template=False,
                          description=description if description is not None else wf.description)
    return deploy(session, clock, copied, checks)


def info(session: Session, cache: WorkflowCache, row: WorkflowRow) -> WorkflowInfo:
    cw = cache.current(session, row)
    return WorkflowInfo(row.code, row.description, row.category, row.enabled, row.template,
                        row.current_version, cw.content_hash, running_count(session, row.code))
