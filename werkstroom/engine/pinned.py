"""The enabled workflows an enable compares a workflow with, found through what their entry
conditions pin (``wf_workflow_pin``, ``store/pins.py``) without reading the others.

An enabled workflow on the same event is a candidate unless some field both pin has no value in
common. Per signature (the set of fields a stored workflow pins) on the event:

* none of its fields pinned by the new workflow: every workflow with it is a candidate;
* all of them pinned: the new workflow's own combinations of values are looked up (by index);
* some of them: the signature's rows are read and kept when they share a value on those fields.

The signatures on an event are read with a loose index scan (one step per distinct signature), so an
enable reads a number of rows that grows with the workflows that can overlap it, not with the others.
"""

from __future__ import annotations

from sqlalchemy import CompoundSelect, Select, and_, delete, insert, select, text, union_all
from sqlalchemy.orm import Session

from ..binding.program import BoundWorkflow
from ..store import pins as stored_pins
from ..store.database import WorkflowPinRow, WorkflowRow, WorkflowVersionRow, entry_event_of

# the distinct signatures on one event: a loose index scan of ix_wf_workflow_pin_lookup
_SIGNATURES = text(
    "WITH RECURSIVE sig(fields) AS ("
    " SELECT MIN(fields) FROM wf_workflow_pin WHERE entry_event = :event"
    " UNION ALL"
    " SELECT (SELECT MIN(p.fields) FROM wf_workflow_pin p WHERE p.entry_event = :event"
    " AND p.fields > sig.fields) FROM sig WHERE sig.fields IS NOT NULL)"
    " SELECT fields FROM sig WHERE fields IS NOT NULL")


def write(session: Session, code: str, wf: BoundWorkflow | None) -> None:
    """Store what ``wf`` (the enabled version of ``code``) pins, replacing what was stored; None:
    ``code`` is not enabled (its rows are removed)."""
    session.execute(delete(WorkflowPinRow).where(WorkflowPinRow.workflow_code == code))
    if wf is None:
        return
    event = entry_event_of(wf)
    sig, keys = stored_pins.stored(stored_pins.entry_pins(wf, event))
    session.execute(insert(WorkflowPinRow), [
        {"workflow_code": code, "pin": k, "entry_event": event, "fields": sig} for k in keys])


def candidates(session: Session, wf: BoundWorkflow) -> list[tuple[str, int]]:
    """(code, current version id) of the enabled workflows other than ``wf`` on its event that can
    match a record it matches, as far as pinned fields tell, by code."""
    event = entry_event_of(wf)
    found = stored_pins.entry_pins(wf, event)
    base = (select(WorkflowPinRow.workflow_code, WorkflowVersionRow.id, WorkflowPinRow.fields,
                   WorkflowPinRow.pin)
            .join(WorkflowRow, WorkflowRow.code == WorkflowPinRow.workflow_code)
            .join(WorkflowVersionRow, and_(WorkflowVersionRow.workflow_code == WorkflowRow.code,
                                           WorkflowVersionRow.version_no == WorkflowRow.current_version))
            .where(WorkflowPinRow.entry_event == event, WorkflowRow.enabled.is_(True),
                   WorkflowRow.code != wf.code))
    filtered: dict[str, tuple[str, ...]] = {}
    stmt: Select[str, int, str, str] | CompoundSelect[str, int, str, str] = base
    if found:
        signatures = list(session.execute(_SIGNATURES, {"event": event}).scalars())
        if not signatures:
            return []
        selects = []
        for sig in signatures:
            how = stored_pins.plan(found, sig)
            same = WorkflowPinRow.fields == sig
            rows = same if how.lookup is None else and_(same, WorkflowPinRow.pin.in_(how.lookup))
            selects.append(base.where(rows))
            if how.filter:
                filtered[sig] = how.filter
        stmt = union_all(*selects) if len(selects) > 1 else selects[0]
    out: dict[str, int] = {}
    for code, version_id, sig, pin in session.execute(stmt):
        fields = filtered.get(sig)
        if code not in out and (fields is None or stored_pins.shares(found, fields, pin)):
            out[code] = version_id
    return sorted(out.items())
