"""The enabled workflows an enable compares a workflow with, found through what their entry
conditions pin (``wf_workflow_pin``, ``store/pins.py``) without reading the others.

An enabled workflow on the same event is a candidate unless some field both pin has no value in
common. The signatures (sets of pinned fields) on the event are read with a loose index scan, one step
per distinct signature; then, per signature, one indexed read (``pins.plan``): the rows for the fields
it shares with the new workflow and the new workflow's own values there, or every workflow of the
signature when it shares none. So an enable reads the workflows that can overlap it, and the number of
signatures, not the others.
"""

from __future__ import annotations

from sqlalchemy import CompoundSelect, Select, and_, delete, insert, select, text, union_all
from sqlalchemy.orm import Session

from ..binding.program import BoundWorkflow
from ..store import pins as stored_pins
from ..store.database import WorkflowPinRow, WorkflowRow, WorkflowVersionRow, entry_event_of

# the distinct signatures on one event: a loose index scan of ix_wf_workflow_pin_lookup
_SIGNATURES = text(
    "WITH RECURSIVE sig(signature) AS ("
    " SELECT MIN(signature) FROM wf_workflow_pin WHERE entry_event = :event"
    " UNION ALL"
    " SELECT (SELECT MIN(p.signature) FROM wf_workflow_pin p WHERE p.entry_event = :event"
    " AND p.signature > sig.signature) FROM sig WHERE sig.signature IS NOT NULL)"
    " SELECT signature FROM sig WHERE signature IS NOT NULL")


def write(session: Session, code: str, wf: BoundWorkflow | None) -> None:
    """Store what ``wf`` (the enabled version of ``code``) pins, replacing what was stored; None:
    ``code`` is not enabled (its rows are removed)."""
    session.execute(delete(WorkflowPinRow).where(WorkflowPinRow.workflow_code == code))
    if wf is None:
        return
    event = entry_event_of(wf)
    sig, rows = stored_pins.stored(stored_pins.entry_pins(wf, event))
    session.execute(insert(WorkflowPinRow), [
        {"workflow_code": code, "fields": fields, "pin": pin, "entry_event": event, "signature": sig}
        for fields, pin in rows])


def candidates(session: Session, wf: BoundWorkflow) -> list[tuple[str, int]]:
    """(code, current version id) of the enabled workflows other than ``wf`` on its event that can
    match a record it matches, as far as pinned fields tell, by code."""
    event = entry_event_of(wf)
    found = stored_pins.entry_pins(wf, event)
    base = (select(WorkflowPinRow.workflow_code, WorkflowVersionRow.id, WorkflowPinRow.signature,
                   WorkflowPinRow.pin)
            .join(WorkflowRow, WorkflowRow.code == WorkflowPinRow.workflow_code)
            .join(WorkflowVersionRow, and_(WorkflowVersionRow.workflow_code == WorkflowRow.code,
                                           WorkflowVersionRow.version_no == WorkflowRow.current_version))
            .where(WorkflowPinRow.entry_event == event, WorkflowRow.enabled.is_(True),
                   WorkflowRow.code != wf.code))
    filtered: dict[str, tuple[str, ...]] = {}
    # pinning nothing: every workflow on the event, one row each per combination of all it pins
    stmt: Select[str, int, str, str] | CompoundSelect[str, int, str, str] = base.where(
        WorkflowPinRow.fields == WorkflowPinRow.signature)
    if found:
        signatures = list(session.execute(_SIGNATURES, {"event": event}).scalars())
        if not signatures:
            return []
        selects = []
        for sig in signatures:
            how = stored_pins.plan(found, sig)
            rows = [WorkflowPinRow.signature == sig]
            if how.fields is not None:
                rows.append(WorkflowPinRow.fields == how.fields)
            if how.lookup is not None:
                rows.append(WorkflowPinRow.pin.in_(how.lookup))
            selects.append(base.where(*rows))
            if how.filter:
                filtered[sig] = how.filter
        stmt = union_all(*selects) if len(selects) > 1 else selects[0]
    out: dict[str, int] = {}
    for code, version_id, sig, pin in session.execute(stmt):
        fields = filtered.get(sig)
        if code not in out and (fields is None or stored_pins.shares(found, fields, pin)):
            out[code] = version_id
    return sorted(out.items())
