"""What the engine hands to the services that run inside one handled event's transaction."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import attrs
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.pool import PoolProxiedConnection

from ..context import RecordHandle
from ..store.driver import Db
from .clock import Clock, IdSource

# session.info key: the unit of work's driver connection (see ``UnitOfWork.db``)
DB_KEY = "werkstroom.db"


class UnitOfWork:
    """One transaction: the session or the pooled connection it runs on, the clock and the id source.

    ``UnitOfWork(session, clock, ids)`` works on a session the caller began and commits.
    ``UnitOfWork.begin(engine, clock, ids, new_session)`` is the engine's own: a connection from the
    engine's pool, the transaction begun on its driver. A SQLAlchemy connection and a session
    (``new_session(connection)``, joined to that transaction) are only made when some code asks for
    ``session``: an event handled without the ORM costs neither (about 60 us per transaction).
    ``commit``/``rollback`` end it and return the connection (to ``keeper`` or the pool).

    ``db`` runs prepared statements (``werkstroom.store.driver``) on the driver connection of the
    transaction. Its deferred writes (``db.before``) run before the next statement, whether it goes
    through ``db`` or through the session, and before the transaction commits. ``info`` is a dict
    for the unit of work's caches (the session's ``info`` for a session-based unit of work)."""

    __slots__ = ("_conn", "_db", "_engine", "_keeper", "_new_session", "_pooled", "_session", "clock", "ids",
                 "info")

    def __init__(self, session: Session, clock: Clock, ids: IdSource) -> None:
        self._set(session, clock, ids, session.info)

    def _set(self, session: Session | None, clock: Clock, ids: IdSource, info: dict[Any, Any], *,
             engine: Engine | None = None, pooled: PoolProxiedConnection | None = None,
             keeper: KeptConnections | None = None,
             new_session: Callable[[Connection], Session] | None = None) -> None:
        self._session: Session | None = session
        self._conn: Connection | None = None
        # the driver connection of a unit of work begun on the driver (its own for its whole life)
        self._db: Db | None = info.get(DB_KEY) if session is None else None
        self._engine = engine
        self._pooled = pooled
        self._keeper = keeper
        self._new_session = new_session
        self.clock = clock
        self.ids = ids
        self.info = info

    @classmethod
    def begin(cls, engine: Engine, clock: Clock, ids: IdSource,
              new_session: Callable[[Connection], Session] | None = None,
              keeper: KeptConnections | None = None) -> UnitOfWork:
        """``keeper``: where the connection comes from and goes back to between units of work (else
        the engine's pool)."""
        pooled = keeper.take() if keeper is not None else engine.raw_connection()
        try:
            db = Db(dialect=engine.dialect, driver=pooled.driver_connection)
            db.begin()
        except BaseException:
            pooled.close()
            raise
        uow = cls.__new__(cls)
        uow._set(None, clock, ids, {DB_KEY: db}, engine=engine, pooled=pooled, keeper=keeper,
                 new_session=new_session)
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
            if self._db is not None:
                self._db.end_pipeline()  # SQLAlchemy waits for each answer: no pipeline under it
            self._conn = Connection(self._engine, connection=self._pooled)
            self._conn.begin()  # store.make_engine's begin hook sees the driver's transaction
        return self._conn

    @property
    def db(self) -> Db:
        found = self._db
        if found is not None:
            return found
        # for a session-based unit of work kept in session.info, which outlives this object, for the
        # session's current transaction
        found = self.info.get(DB_KEY)
        if found is None:
            found = Db(self.connection())
            self.info[DB_KEY] = found
            if self._session is not None:
                self._session.info[DB_KEY] = found
        return found

    def commit(self) -> None:
        """End a unit of work of ``begin``: flush its session, if any, run the deferred writes,
        commit."""
        assert self._pooled is not None, "a session-based unit of work is committed by its session's owner"
        try:
            if self._session is not None:
                self._session.commit()  # flushes; the transaction stays (joined, not owned)
                self._session.close()
            db: Db | None = self.info.get(DB_KEY)
            if db is not None and db.before:
                db.run_deferred()
            conn = self._conn
            if conn is not None and conn.in_transaction():
                conn.commit()
            else:
                assert db is not None
                db.commit()
        except BaseException:
            self._end(rollback=True)
            raise
        self._end(rollback=False)

    def rollback(self) -> None:
        assert self._pooled is not None, "a session-based unit of work is rolled back by its session's owner"
        self._end(rollback=True)

    def _end(self, *, rollback: bool) -> None:
        db: Db | None = self.info.get(DB_KEY)
        if db is not None:
            db.before.clear()
        if self._session is not None:
            self._session.close()
        if rollback and self._conn is not None and self._conn.in_transaction():
            self._conn.rollback()
        healthy = True
        if rollback and db is not None:
            try:
                db.rollback()
            except Exception:
                healthy = False  # not kept: the pool resets (or discards) it on its return
        pooled, self._pooled = self._pooled, None
        assert pooled is not None
        if self._conn is not None:
            self._conn.close()  # returns the pooled connection
        elif self._keeper is not None and healthy:
            self._keeper.give_back(pooled)
        else:
            pooled.close()


class KeptConnections:
    """One pooled connection per thread kept between units of work begun on the driver: taking and
    returning it skips the pool's check-out and check-in (about 10 us a transaction). For SQLite,
    whose connections are local files; a network database's connections go back to the pool, which
    checks them on the way out. A unit of work that made a SQLAlchemy connection returns its
    connection to the pool as usual. At most as many connections are kept as the pool holds (more
    threads than that return theirs, so no thread ever waits for a connection another one keeps
    idle). ``close`` returns the kept connections to the pool."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._local = threading.local()
        self._lock = threading.Lock()
        self._kept: list[PoolProxiedConnection] = []
        size = getattr(engine.pool, "size", None)
        self._limit = max(1, int(size())) if callable(size) else 1

    def take(self) -> PoolProxiedConnection:
        found: PoolProxiedConnection | None = getattr(self._local, "conn", None)
        if found is None:
            return self._engine.raw_connection()
        self._local.conn = None
        with self._lock:
            self._kept.remove(found)
        return found

    def give_back(self, pooled: PoolProxiedConnection) -> None:
        if getattr(self._local, "conn", None) is not None:
            pooled.close()
            return
        with self._lock:
            if len(self._kept) >= self._limit:
                keep = False
            else:
                keep = True
                self._kept.append(pooled)
        if keep:
            self._local.conn = pooled
        else:
            pooled.close()

    def close(self) -> None:
        with self._lock:
            kept, self._kept = self._kept, []
        self._local = threading.local()
        for pooled in kept:
            with contextlib.suppress(Exception):  # another thread's SQLite connection may refuse
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
