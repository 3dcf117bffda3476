"""What the diff reads from a store, through the engine's public calls: deployed versions of a workflow
and its running instances with the steps they wait on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from ...binding.program import BoundWorkflow
from ...binding.sources import bind_text
from ...errors import DiagnosticsError, WerkstroomError


class NotDeployed(WerkstroomError):
    """WF871: the workflow or version to compare is not in the store."""

    code = "WF871"


@attrs.frozen
class Running:
    """A running instance: the version it runs on (``workflow``, that version's steps) and the event
    steps it waits on (``active``: BC's Active step instances)."""

    id: str
    version: int
    record_type: str
    record_key: str
    started_by: str
    created_at: dt.datetime
    active: tuple[int, ...]
    workflow: BoundWorkflow


def with_text(wf: BoundWorkflow, catalogue: Any) -> BoundWorkflow:
    """A stored version with the positions of its steps in its source (the store keeps the source, not
    the positions), so reports quote each step as written: the source bound again, used when it gives
    the same steps; otherwise ``wf`` as it is (its responses are then named, not quoted)."""
    if not wf.source:
        return wf
    try:
        program = bind_text(wf.source, wf.path or f"{wf.code}.wf", catalogue)
    except DiagnosticsError:  # a library changed since: the stored steps are what counts
        return wf
    for bound in program.workflows:
        if bound.steps == wf.steps:
            return attrs.evolve(wf, steps=bound.steps)
    return wf


def deployed(engine: Any) -> dict[str, int]:
    """Each deployed workflow with its current, that is latest, version number."""
    return {w.code: w.version for w in engine.workflows()}


def versions(known: dict[str, int], code: str, first: int | None, second: int | None) -> tuple[int, int]:
    """The two version numbers of ``code`` to compare (``known``: ``deployed(engine)``): ``first`` and
    ``second`` as given, else the two latest (``second`` defaults to the current version, ``first``
    to the one before ``second``)."""
    current = known.get(code)
    if current is None:
        names = sorted(known)
        shown = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
        raise NotDeployed(f"there is no workflow {code!r} in the store (deployed: {shown or 'none'})")
    to = current if second is None else second
    frm = to - 1 if first is None else first
    if not 1 <= to <= current:
        raise NotDeployed(f"{code} has no version {to} (--to); its versions are 1 to {current}")
    if frm == 0 and first is None:
        raise NotDeployed(f"{code} has only one version: nothing to compare it with (deploy a changed "
                          f"script to store version 2)" if current == 1 else
                          f"{code} has no version before version 1: name the other one with --from")
    if not 1 <= frm <= current:
        raise NotDeployed(f"{code} has no version {frm} (--from); its versions are 1 to {current}")
    return frm, to


def version(engine: Any, code: str, number: int) -> BoundWorkflow:
    return with_text(engine.workflow(code, number), engine.catalogue)


def running(engine: Any, code: str) -> list[Running]:
    """The workflow's running instances, oldest first, each with its version's steps and the steps it
    waits on."""
    out: list[Running] = []
    bound: dict[int, BoundWorkflow] = {}
    for info in engine.instances(code):
        wf = bound.get(info.version)
        if wf is None:
            wf = bound[info.version] = version(engine, code, info.version)
        active = tuple(s.step_id for s in engine.steps(info.id) if s.status == "Active")
        out.append(Running(info.id, info.version, info.record_type, info.record_key, info.started_by,
                           info.created_at, active, wf))
    return out
