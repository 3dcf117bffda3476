"""The unit of work: one transaction of the engine, the repositories that write into it when it flushes,
and what the engine hands to the services that run inside it (``RunScope``)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any, Protocol

import attrs
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.pool import PoolProxiedConnection

from ..context import RecordHandle
from ..store.driver import Db, Observer, Observers
from .clock import Clock, IdSource


class OutboxSink(Protocol):
    """Where ``add_effect`` puts an outbox row: the run's ``effect``."""

    def __call__(self, kind: str, payload: dict[str, Any], *, instance_id: str = "",
                 workflow_code: str = "") -> None: ...


class Flusher(Protocol):
    """A repository of a unit of work that holds rows to write: ``flush`` writes them (and holds them
    as written); nothing else writes them."""

    def flush(self) -> None: ...


class UnitOfWork:
    """One transaction: the session or the pooled connection it runs on, the clock, the id source and
    the repositories that hold writes for it.

    ``UnitOfWork.begin(engine, clock, ids, new_session)`` is the engine's own: a connection from the
    engine's pool, the transaction begun on its driver. A SQLAlchemy connection and a session
    (``new_session(connection)``, joined to that transaction) are only made when some code asks for
    ``session``: an event handled without the ORM costs neither (about 60 us per transaction).
    ``commit``/``rollback`` end it and return the connection (to ``keeper`` or the pool).
    ``UnitOfWork(session, clock, ids)`` works on the transaction a caller's session is in; the caller
    calls ``flush`` and then commits (or rolls back) the session itself. When that session's
    transaction ends and another begins, the unit of work starts over empty (nothing held, no
    repository registered).

    ``db`` runs prepared statements (``werkstroom.store.driver``) on the driver connection of the
    transaction, each when it is called. Writes a repository holds (new approval entries) are written
    by its ``flush``: a repository registers itself with ``add_flusher`` and ``flush`` calls every
    registered repository's ``flush`` in the order they registered. ``commit`` flushes before the
    transaction commits; code that reads rows a repository may hold (or makes rows that depend on
    them) calls ``flush`` (or that repository's) first. ``info`` is a dict for the unit of work's caches.
    ``observers``: the :class:`~werkstroom.store.driver.Observers` that see its driver statements
    (the engine's, for a unit of work it began)."""

    __slots__ = ("_conn", "_db", "_engine", "_flushers", "_keeper", "_new_session", "_pooled", "_session",
                 "_session_db", "_txn", "clock", "ids", "info", "observers", "outbox")

    def __init__(self, session: Session, clock: Clock, ids: IdSource, *,
                 observers: Observers | None = None) -> None:
        self._set(session, clock, ids, None, observers=observers)

    def _set(self, session: Session | None, clock: Clock, ids: IdSource, db: Db | None, *,
             engine: Engine | None = None, pooled: PoolProxiedConnection | None = None,
             keeper: KeptConnections | None = None,
             new_session: Callable[[Connection], Session] | None = None,
             observers: Observers | None = None) -> None:
        self._session: Session | None = session
        self._conn: Connection | None = None
        # the driver connection of a unit of work begun on the driver (its own for its whole life)
        self._db: Db | None = db
        # a session-based unit of work: the driver connection and the session transaction it is for
        self._session_db: Db | None = None
        self._txn: SessionTransaction | None = None
        self._engine = engine
        self._pooled = pooled
        self._keeper = keeper
        self._new_session = new_session
        self._flushers: dict[str, Flusher] = {}
        self.clock = clock
        self.ids = ids
        self.info: dict[Any, Any] = {}
        # the outbox of the run the unit of work is in (``Run`` puts its ``effect`` here), so code that
        # has only the unit of work (notifications queued, the clock's jobs too) writes outbox rows in
        # the event's transaction: ``add_effect``
        self.outbox: OutboxSink | None = None
        self.observers = observers if observers is not None else Observers()

    @classmethod
    def begin(cls, engine: Engine, clock: Clock, ids: IdSource,
              new_session: Callable[[Connection], Session] | None = None,
              keeper: KeptConnections | None = None, observers: Observers | None = None,
              write: bool = True) -> UnitOfWork:
        """``keeper``: where the connection comes from and goes back to between units of work (else
        the engine's pool). ``observers``: see the class (else a set of its own). ``write=False``: the
        unit of work only reads (``Db.begin``)."""
        pooled = keeper.take() if keeper is not None else engine.raw_connection()
        if observers is None:
            observers = Observers()
        try:
            db = Db(dialect=engine.dialect, driver=pooled.driver_connection, observers=observers)
            db.begin(write)
        except BaseException:
            pooled.close()
            raise
        uow = cls.__new__(cls)
        uow._set(None, clock, ids, db, engine=engine, pooled=pooled, keeper=keeper,
                 new_session=new_session, observers=observers)
        return uow

    def watch_statements(self, fn: Observer) -> contextlib.AbstractContextManager[None]:
        """``fn(sql, parameters, executemany)`` sees the driver statements of this unit of work run
        inside the ``with`` block (``Observers.watching``)."""
        return self.observers.watching(fn)

    # ------------------------------------------------------------------ repositories

    def add_flusher(self, key: str, flusher: Flusher) -> None:
        """Register the repository ``flusher`` under ``key`` (replacing the one registered under it)."""
        if self._db is None:  # session-based
            self._follow_session()
        self._flushers[key] = flusher

    def flush(self) -> None:
        """Write what the registered repositories hold, in the order they registered."""
        if self._db is None:  # session-based
            self._follow_session()
        for flusher in self._flushers.values():
            flusher.flush()

    # ------------------------------------------------------------------ connections

    @property
    def session(self) -> Session:
        found = self._session
        if found is None:
            make = self._new_session or _default_session
            found = self._session = make(self.connection())
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
        return self._follow_session()

    def _follow_session(self) -> Db:
        """A session-based unit of work: the driver connection of the session's current transaction;
        when that transaction is not the one this unit of work worked in, it starts over empty."""
        session = self._session
        assert session is not None
        txn = session.get_transaction()
        found = self._session_db
        if found is None or txn is None or txn is not self._txn:
            found = self._session_db = Db(session.connection(), observers=self.observers)
            self._txn = session.get_transaction()
            self._flushers.clear()
            self.info.clear()
        return found

    def commit(self) -> None:
        """End a unit of work of ``begin``: flush its repositories, then its session, if any; commit."""
        assert self._pooled is not None, "a session-based unit of work is committed by its session's owner"
        try:
            self.flush()
            if self._session is not None:
                self._session.commit()  # flushes; the transaction stays (joined, not owned)
                self._session.close()
            conn = self._conn
            if conn is not None and conn.in_transaction():
                conn.commit()
            else:
                assert self._db is not None
                self._db.commit()
        except BaseException:
            self._end(rollback=True)
            raise
        self._end(rollback=False)

    def rollback(self) -> None:
        assert self._pooled is not None, "a session-based unit of work is rolled back by its session's owner"
        self._end(rollback=True)

    def _end(self, *, rollback: bool) -> None:
        self._flushers.clear()  # what they hold is not written
        db = self._db
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


def add_effect(uow: UnitOfWork, kind: str, payload: dict[str, Any], *, instance_id: str = "",
               workflow_code: str = "") -> None:
    """An outbox row for the host, in the run of ``uow`` (none outside a run)."""
    effect = uow.outbox
    if effect is not None:
        effect(kind, payload, instance_id=instance_id, workflow_code=workflow_code)


def _default_session(connection: Connection) -> Session:
    return Session(bind=connection, expire_on_commit=False, join_transaction_mode="rollback_only")


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
