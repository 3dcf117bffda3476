"""What the engine hands to the services that run inside one handled event's transaction."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import attrs
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.pool import PoolProxiedConnection

from ..context import RecordHandle
from .clock import Clock, IdSource
from .sql import Db

# session.info key: the unit of work's driver connection (see ``UnitOfWork.db``)
DB_KEY = "werkstroom.db"


class UnitOfWork:
    """One transaction: the session or connection (already inside a transaction), the clock and the
    id source.

    ``UnitOfWork(session, clock, ids)`` works on a session the caller began and commits.
    ``UnitOfWork.begin(engine, clock, ids, new_session)`` is the engine's own: a connection from the
    engine's pool, the transaction begun on its driver. A SQLAlchemy connection and a session
    (``new_session(connection)``, joined to that transaction) are only made when some code asks for
    ``session``: an event handled without the ORM costs neither (about 60 us per transaction).
    ``UnitOfWork.on_connection(connection, ...)`` does the same on a connection the caller began.
    ``commit``/``rollback`` end these two kinds (and return a pooled connection).

    ``db`` runs prepared statements (``werkstroom.interpreter.sql``) on the driver connection of the
    transaction. Its deferred writes (``db.before``) run before the next statement, whether it goes
    through ``db`` or through the session, and before the transaction commits. ``info`` is a dict
    for the unit of work's caches (the session's ``info`` for a session-based unit of work)."""

    __slots__ = ("_conn", "_engine", "_new_session", "_pooled", "_session", "clock", "ids", "info")

    def __init__(self, session: Session | None, clock: Clock, ids: IdSource, *,
                 connection: Connection | None = None,
                 new_session: Callable[[Connection], Session] | None = None) -> None:
        if session is None and connection is None:
            raise TypeError("a unit of work needs a session or a connection")
        self._session = session
        self._conn = connection
        self._engine: Engine | None = None
        self._pooled: PoolProxiedConnection | None = None
        self._new_session = new_session
        self.clock = clock
        self.ids = ids
        self.info: dict[Any, Any] = session.info if session is not None else {}

    @classmethod
    def on_connection(cls, connection: Connection, clock: Clock, ids: IdSource,
                      new_session: Callable[[Connection], Session] | None = None) -> UnitOfWork:
        return cls(None, clock, ids, connection=connection, new_session=new_session)

    @classmethod
    def begin(cls, engine: Engine, clock: Clock, ids: IdSource,
              new_session: Callable[[Connection], Session] | None = None) -> UnitOfWork:
        pooled = engine.raw_connection()
        try:
            db = Db(dialect=engine.dialect, driver=pooled.driver_connection)
            db.begin()
        except BaseException:
            pooled.close()
            raise
        uow = cls.__new__(cls)
        uow._session = None
        uow._conn = None
        uow._engine = engine
        uow._pooled = pooled
        uow._new_session = new_session
        uow.clock = clock
        uow.ids = ids
        uow.info = {DB_KEY: db}
        return uow

    @property
    def session(self) -> Session:
        found = self._session
        if found is None:
            make = self._new_session or _default_session
            found = self._session = make(self.connection())
            db = self.info.get(DB_KEY)
            if db is not None:
                found.info[DB_KEY] = db
        return found

    @property
    def session_if_made(self) -> Session | None:
        """The session when some code has made it already (so its pending ORM changes can be
        flushed before a driver-path read), else None; never makes one."""
        return self._session

    def connection(self) -> Connection:
        """The SQLAlchemy connection of this unit of work's transaction (made on first use for a unit
        of work begun on the driver: SQLAlchemy then joins the transaction already under way)."""
        if self._conn is None:
            if self._session is not None:
                return self._session.connection()
            assert self._engine is not None and self._pooled is not None
            self._conn = Connection(self._engine, connection=self._pooled)
            self._conn.begin()  # store.make_engine's begin hook sees the driver's transaction
        return self._conn

    @property
    def db(self) -> Db:
        # for a session-based unit of work kept in session.info, which outlives this object, for the
        # session's current transaction
        found: Db | None = self.info.get(DB_KEY)
        if found is None:
            found = Db(self.connection())
            self.info[DB_KEY] = found
            if self._session is not None:
                self._session.info[DB_KEY] = found
        return found

    def commit(self) -> None:
        """End a unit of work of ``begin`` or ``on_connection``: flush its session, if any, run the
        deferred writes, commit."""
        assert self._conn is not None or self._pooled is not None, \
            "a session-based unit of work is committed by its session's owner"
        try:
            if self._session is not None:
                self._session.commit()  # flushes; the transaction stays (joined, not owned)
                self._session.close()
            db: Db | None = self.info.get(DB_KEY)
            if db is not None and db.before:
                db.run_deferred()
            conn = self._conn
            if conn is not None and (self._pooled is None or conn.in_transaction()):
                conn.commit()
            else:
                assert db is not None
                db.commit()
        except BaseException:
            self._end(rollback=True)
            raise
        self._end(rollback=False)

    def rollback(self) -> None:
        self._end(rollback=True)

    def _end(self, *, rollback: bool) -> None:
        db: Db | None = self.info.get(DB_KEY)
        if db is not None:
            db.before.clear()
        if self._session is not None:
            self._session.close()
        if rollback and self._conn is not None and self._conn.in_transaction():
            self._conn.rollback()
        if self._pooled is None:
            return  # on_connection: the caller's connection
        if rollback and db is not None:
            # a failure here leaves it to the pool, which resets the connection on its return
            with contextlib.suppress(Exception):
                db.rollback()
        pooled, self._pooled = self._pooled, None
        if self._conn is not None:
            self._conn.close()  # returns the pooled connection
        else:
            pooled.close()


def _default_session(connection: Connection) -> Session:
    return Session(bind=connection, expire_on_commit=False, join_transaction_mode="rollback_only")


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
