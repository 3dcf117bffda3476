"""What the engine hands to the services that run inside one handled event's transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from ..context import RecordHandle
from .clock import Clock, IdSource
from .sql import Db

# session.info key: the unit of work's driver connection (see ``UnitOfWork.db``)
DB_KEY = "werkstroom.db"


@attrs.define
class UnitOfWork:
    """One transaction: the session (already inside ``begin()``), the clock and the id source.

    ``db`` runs prepared statements (``werkstroom.interpreter.sql``) on the driver connection of the
    session's transaction. Its deferred writes (``db.before``) run before the next statement, whether
    it goes through ``db`` or through the session, and before the session commits."""

    session: Session
    clock: Clock
    ids: IdSource

    @property
    def db(self) -> Db:
        # kept in session.info, which outlives this object, for the session's current transaction
        found: Db | None = self.session.info.get(DB_KEY)
        if found is None:
            found = Db(self.session.connection())
            self.session.info[DB_KEY] = found
        return found


def _run_deferred(session: Session) -> None:
    db: Db | None = session.info.get(DB_KEY)
    if db is not None and db.before:
        db.run_deferred()


@event.listens_for(Session, "do_orm_execute")
def _before_statement(state: ORMExecuteState) -> None:
    _run_deferred(state.session)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    _run_deferred(session)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction: Any) -> None:
    # the transaction is gone: its deferred writes with it, and the driver connection may change
    if not previous_transaction.nested:
        db: Db | None = session.info.pop(DB_KEY, None)
        if db is not None:
            db.before.clear()


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop(DB_KEY, None)


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
