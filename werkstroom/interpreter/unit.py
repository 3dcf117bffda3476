"""What the engine hands to the services that run inside one handled event's transaction."""

from __future__ import annotations

from collections.abc import Callable

import attrs
from sqlalchemy.orm import Session

from ..context import RecordHandle
from .clock import Clock, IdSource


@attrs.define
class UnitOfWork:
    """One transaction: the session (already inside ``begin()``), the clock and the id source."""

    session: Session
    clock: Clock
    ids: IdSource


@attrs.define
class RunScope:
    """The scope of one response run inside a unit of work.

    ``document``: the record the workflow is about (an approval entry resolved to its record).
    ``event_record``: the record the event carried. ``raise_event(name, record)``: queue an event
    (handled after the current chain). ``explain(text)``: add a timeline line. ``emit_effect(kind,
    payload)``: outbox. ``options``: the running response's options."""

    uow: UnitOfWork
    instance_id: str
    workflow_code: str
    workflow_description: str
    document: RecordHandle
    event_record: RecordHandle
    user: str
    raise_event: Callable[[str, RecordHandle], None]
    explain: Callable[[str], None]
    emit_effect: Callable[[str, dict[str, object]], None]
