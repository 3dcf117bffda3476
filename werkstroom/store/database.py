"""The engine's tables and the database connection (SQLite by default, PostgreSQL by URL).

Schema management: Alembic revisions shipped in ``migrations/versions`` (one per schema version), run
by ``upgrade`` when a store is opened. An up-to-date store costs one query and Alembic is imported
only when there is something to do. A store from before Alembic (``wf_schema_version`` only) is
recorded at its version's revision and upgraded from there; a store written by a newer Werkstroom
(a revision this one lacks) is refused (WF513) instead of damaged. ``upgrade`` holds a lock while it
runs (a schema-scoped advisory lock on PostgreSQL, the write lock on SQLite), so programs opening one
new or old store at once create or upgrade it one at a time.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Engine,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    create_engine,
    event,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.pool import StaticPool

from ..errors import WerkstroomError

# every table is declared on Base once its module is imported: the approvals and notifications tables
# belong to the schema as much as the engine's own, and so do the service's (API tokens, failures,
# webhook subscriptions and deliveries)
from . import approvals as _approval_tables  # noqa: F401
from . import inbox as _inbox_tables  # noqa: F401
from . import notifications as _notification_tables  # noqa: F401
from . import service as _service_tables  # noqa: F401
from . import webhooks as _webhook_tables  # noqa: F401
from .codec import json_column_text
from .driver import Db, Statement
from .metadata import Base, UtcDateTime

DEFAULT_URL = "sqlite:///werkstroom.db"


class SchemaVersion(Base):
    __tablename__ = "wf_schema_version"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class WorkflowRow(Base):
    """A workflow: its current version, whether it is enabled, and the event its entry point listens to
    (``entry_event``, indexed: an event finds the enabled workflows that can start on it without
    reading the others). ``allow_overlap``: enabled although its entry point can match the same record
    as another enabled workflow's (``enable(..., allow_overlap=True)``), kept for later enables."""

    __tablename__ = "wf_workflow"
    __table_args__ = (Index("ix_wf_workflow_entry_event", "entry_event", "enabled", "code"),)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    description: Mapped[str] = mapped_column(String(250), default="")
    category: Mapped[str] = mapped_column(String(64), default="")
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    template: Mapped[bool] = mapped_column(Boolean, default=False)
    current_version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    entry_event: Mapped[str] = mapped_column(String(100), default="")
    allow_overlap: Mapped[bool] = mapped_column(Boolean, default=False)


class WorkflowPinRow(Base):
    """What an enabled workflow's entry condition pins (``store/pins.py``): its ``signature`` (the
    fields it pins) and, for each set of those ``fields``, one row per combination of its values there
    (``pin``). Written when it is enabled or a new version of it goes live, removed when it is disabled;
    enabling another workflow reads only the rows of the workflows that can overlap it (the index)."""

    __tablename__ = "wf_workflow_pin"
    __table_args__ = (Index("ix_wf_workflow_pin_lookup", "entry_event", "signature", "fields", "pin",
                            "workflow_code"),)
    workflow_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    fields: Mapped[str] = mapped_column(String(250), primary_key=True)
    pin: Mapped[str] = mapped_column(String(250), primary_key=True)
    entry_event: Mapped[str] = mapped_column(String(100))
    signature: Mapped[str] = mapped_column(String(250))


class WorkflowVersionRow(Base):
    __tablename__ = "wf_workflow_version"
    __table_args__ = (UniqueConstraint("workflow_code", "version_no"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workflow_code: Mapped[str] = mapped_column(String(64), index=True)
    version_no: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(Text, default="")
    path: Mapped[str] = mapped_column(String(500), default="")
    program: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class InstanceRow(Base):
    """A running workflow instance (moves to ``wf_instance_archive`` when no step is active)."""

    __tablename__ = "wf_instance"
    __table_args__ = (Index("ix_wf_instance_record", "record_type", "record_key"),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    workflow_code: Mapped[str] = mapped_column(String(64))
    version_id: Mapped[int] = mapped_column(Integer)
    record_type: Mapped[str] = mapped_column(String(64))
    record_key: Mapped[str] = mapped_column(String(250))
    started_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    # BC's Workflow Step Instance statuses, compactly: JSON {step id: status} of the steps that
    # are not Inactive (the steps themselves come from the bound workflow version)
    step_states: Mapped[str] = mapped_column(Text, default="")


class ArchivedInstanceRow(Base):
    __tablename__ = "wf_instance_archive"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    workflow_code: Mapped[str] = mapped_column(String(64), index=True)
    version_id: Mapped[int] = mapped_column(Integer)
    record_type: Mapped[str] = mapped_column(String(64))
    record_key: Mapped[str] = mapped_column(String(250))
    started_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    archived_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    step_states: Mapped[str] = mapped_column(Text, default="")


class RecordRow(Base):
    """A record the engine saw or the host stored (values as typed JSON)."""

    __tablename__ = "wf_record"
    record_type: Mapped[str] = mapped_column(String(64), primary_key=True)
    record_key: Mapped[str] = mapped_column(String(250), primary_key=True)
    values_json: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class RecordStateRow(Base):
    """The workflow-relevant state of a record, for the host: status, restriction and why."""

    __tablename__ = "wf_record_state"
    record_type: Mapped[str] = mapped_column(String(64), primary_key=True)
    record_key: Mapped[str] = mapped_column(String(250), primary_key=True)
    status: Mapped[str | None] = mapped_column(String(64), nullable=True)
    restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    restriction_reason: Mapped[str] = mapped_column(String(250), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class RecordChangeRow(Base):
    """A pending field change (BC's Workflow Record Change): reverted now, applied on approval."""

    __tablename__ = "wf_record_change"
    __table_args__ = (Index("ix_wf_record_change_record", "record_type", "record_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_type: Mapped[str] = mapped_column(String(64))
    record_key: Mapped[str] = mapped_column(String(250))
    field: Mapped[str] = mapped_column(String(100))
    old_value: Mapped[str] = mapped_column(Text)
    new_value: Mapped[str] = mapped_column(Text)
    instance_id: Mapped[str] = mapped_column(String(64))
    workflow_code: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class OutboxRow(Base):
    """A side effect for the host (document released, message, webhook, ...)."""

    __tablename__ = "wf_outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    instance_id: Mapped[str] = mapped_column(String(64), default="")
    workflow_code: Mapped[str] = mapped_column(String(64), default="")
    event_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class EventLogRow(Base):
    """The audit row of one handled event; its idempotency key answers re-deliveries."""

    __tablename__ = "wf_event_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(200), nullable=True, unique=True)
    payload_hash: Mapped[str] = mapped_column(String(64))
    event: Mapped[str] = mapped_column(String(100))
    record_type: Mapped[str] = mapped_column(String(64))
    record_key: Mapped[str] = mapped_column(String(250))
    user: Mapped[str] = mapped_column(String(64), default="")
    result: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class CounterRow(Base):
    """Monotonic counters (instance start order)."""

    __tablename__ = "wf_counter"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


# --------------------------------------------------------------------------- connection


class SchemaTooNew(WerkstroomError):
    code = "WF513"


def resolve_url(url: str | None) -> str:
    """The URL to open: the argument, else $WERKSTROOM_DB, else ``werkstroom.db`` in the cwd."""
    return url or os.environ.get("WERKSTROOM_DB") or DEFAULT_URL


def make_engine(url: str) -> Engine:
    """An SQLAlchemy engine with Werkstroom's settings (WAL + BEGIN IMMEDIATE on SQLite)."""
    if url.startswith("sqlite"):
        memory = url in ("sqlite://", "sqlite:///:memory:")
        # JSON columns (notification data) written by orjson where it gives json's text (store_codec)
        kwargs: dict[str, Any] = {"json_serializer": json_column_text}
        if memory:
            kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        eng = create_engine(url, **kwargs)

        @event.listens_for(eng, "connect")
        def _pragmas(dbapi_conn: Any, _rec: Any) -> None:
            dbapi_conn.isolation_level = None  # no implicit BEGIN: we issue BEGIN IMMEDIATE
            cur = dbapi_conn.cursor()
            if not memory:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=10000")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @event.listens_for(eng, "begin")
        def _begin_immediate(conn: Connection) -> None:
            # on the driver (SQLAlchemy's statement path would add about 15 us to each transaction);
            # a unit of work begun on the driver (UnitOfWork.begin) has its transaction already
            driver: Any = conn.connection.driver_connection
            if not driver.in_transaction:
                driver.execute("BEGIN IMMEDIATE")

        return eng
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return create_engine(url, pool_pre_ping=True, json_serializer=json_column_text)


# PostgreSQL advisory locks, held until the transaction ends, on a signed 64-bit number. They belong
# to the whole database: the number is mixed with the schema's name (hashtextextended), so stores in
# other schemas of one database (tenants, test workers) never wait for each other's locks
ADVISORY_LOCK = select(func.pg_advisory_xact_lock(
    func.hashtextextended(func.current_schema(), bindparam("k", type_=BigInteger))))
# the same lock taken only when it is free: true when taken, false when another transaction holds it
ADVISORY_TRY_LOCK = select(func.pg_try_advisory_xact_lock(
    func.hashtextextended(func.current_schema(), bindparam("k", type_=BigInteger))))


def advisory_key(*parts: str) -> int:
    """The advisory lock number for ``parts`` (a hash: the same on every client)."""
    digest = hashlib.blake2b("\x00".join(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def entry_event_of(wf: Any) -> str:
    """The event a workflow's entry point listens to ('' without one; an enabled workflow has one)."""
    entries = wf.entry_points
    return str(entries[0].name) if entries else ""


# The schema's revisions are the Alembic scripts in migrations/versions, numbered 0001, 0002, ...:
# revision n is schema version n. The newest one's number (a test checks it against the scripts) is
# also written to wf_schema_version, the table a Werkstroom from before Alembic reads to refuse a
# newer store (WF513) instead of damaging it.
SCHEMA_VERSION = 7
MIGRATIONS = Path(__file__).with_name("migrations")
_REVISIONS = frozenset(f"{n:04d}" for n in range(1, SCHEMA_VERSION + 1))
HEAD_REVISION = f"{SCHEMA_VERSION:04d}"
_REVISION = text("SELECT version_num FROM alembic_version")


def upgrade(eng: Engine) -> int:
    """Create or upgrade the schema to the newest revision; returns the schema version found before
    (0 for a new store). An up-to-date store costs one query."""
    if _at_head(eng):
        return SCHEMA_VERSION
    with eng.begin() as conn:
        if conn.dialect.name == "postgresql":
            # programs opening one store at once create or upgrade it one after the other (the others
            # then find it done); SQLite's BEGIN IMMEDIATE does the same
            conn.execute(ADVISORY_LOCK, {"k": advisory_key("schema")})
        revision, legacy = _recorded_revision(conn)
        if legacy or revision != HEAD_REVISION:
            _run_migrations(conn, revision, stamp=legacy)
        found = conn.execute(select(SchemaVersion.version).where(SchemaVersion.id == 1)).scalar()
        if found is None:
            conn.execute(insert(SchemaVersion).values(id=1, version=SCHEMA_VERSION))
        elif found != SCHEMA_VERSION:
            conn.execute(update(SchemaVersion).where(SchemaVersion.id == 1).values(version=SCHEMA_VERSION))
    return int(revision or 0)


def _at_head(eng: Engine) -> bool:
    """Whether the store's recorded revision is the newest (false too where nothing is recorded)."""
    try:
        with eng.connect() as conn:
            return conn.execute(_REVISION).scalars().all() == [HEAD_REVISION]
    except DBAPIError:  # no alembic_version table: a new store or one from before Alembic
        return False


def _recorded_revision(conn: Connection) -> tuple[str | None, bool]:
    """The store's revision (None: a new store) and whether it is a store from before Alembic, known
    by its ``wf_schema_version`` alone. A revision this Werkstroom does not have is refused (WF513)."""
    tables = set(inspect(conn).get_table_names())
    recorded = conn.execute(_REVISION).scalars().all() if "alembic_version" in tables else []
    if recorded:
        if len(recorded) == 1 and recorded[0] in _REVISIONS:
            return recorded[0], False
        raise SchemaTooNew(
            f"this database has schema revision {', '.join(recorded)}, which this Werkstroom does not "
            f"know (its newest is {HEAD_REVISION}); upgrade Werkstroom")
    if "wf_schema_version" not in tables:
        return None, False
    found = conn.execute(select(SchemaVersion.version).where(SchemaVersion.id == 1)).scalar()
    if not found:
        return None, False
    if found > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"this database has schema version {found}, newer than this Werkstroom understands "
            f"({SCHEMA_VERSION}); upgrade Werkstroom")
    return f"{found:04d}", True


def _run_migrations(conn: Connection, revision: str | None, *, stamp: bool) -> None:
    """Alembic, on ``conn`` (inside the caller's transaction and lock): records ``revision`` first
    when ``stamp`` (a store from before Alembic), then runs the revisions after it."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    if stamp and revision is not None:
        command.stamp(config, revision)
    command.upgrade(config, "head")


STEP_INACTIVE = "Inactive"
_PLAIN_STATUSES = frozenset(("Inactive", "Active", "Completed", "Ignored"))


def encode_step_states(states: dict[int, str]) -> str:
    """``{step id: status}`` of the steps that are not Inactive, as the ``step_states`` text."""
    if all(v in _PLAIN_STATUSES for v in states.values()):
        # the statuses are plain words: the JSON text written out (same text as json.dumps gives,
        # a test checks it; this runs once per fired step)
        return "{" + ",".join(f'"{k}":"{v}"' for k, v in sorted(states.items()) if v != STEP_INACTIVE) + "}"
    return json.dumps({str(k): v for k, v in sorted(states.items()) if v != STEP_INACTIVE},
                      separators=(",", ":"))


def decode_step_states(text_: str | None) -> dict[int, str]:
    """The ``step_states`` text back as ``{step id: status}`` (absent steps are Inactive); a new dict
    the caller may change."""
    if not text_:
        return {}
    return dict(_decoded_step_states(text_))


@functools.lru_cache(maxsize=4096)
def _decoded_step_states(text_: str) -> tuple[tuple[int, str], ...]:
    # the instances of one workflow pass through the same few texts: parsed once each
    return tuple((int(k), str(v)) for k, v in json.loads(text_).items())


_COUNTERS: Table = CounterRow.__table__  # type: ignore[assignment]
# prepared once, run on the driver (werkstroom.store.driver)
_BUMP_COUNTER = Statement(update(_COUNTERS).where(_COUNTERS.c.name == bindparam("b_name"))
                          .values(value=_COUNTERS.c.value + 1).returning(_COUNTERS.c.value))
_BUMP_COUNTER_PLAIN = Statement(update(_COUNTERS).where(_COUNTERS.c.name == bindparam("b_name"))
                                .values(value=_COUNTERS.c.value + 1))
_GET_COUNTER = Statement(select(_COUNTERS.c.value).where(_COUNTERS.c.name == bindparam("b_name")))
_NEW_COUNTER = Statement(insert(_COUNTERS), columns=["name", "value"])
# PostgreSQL: transactions creating a counter at once wait for the first one's row instead of failing
_NEW_COUNTER_OR_NOTHING = Statement(pg_insert(_COUNTERS).on_conflict_do_nothing(index_elements=["name"]),
                                    columns=["name", "value"])


def next_counter(db: Db, name: str) -> int:
    """The counter's next value (1 the first time): one ``UPDATE ... RETURNING`` where the database
    supports it (PostgreSQL, SQLite >= 3.35), which also locks the counter row until commit. On
    PostgreSQL the first use creates the row with ``ON CONFLICT DO NOTHING``, so transactions creating it
    at once each get their own value."""
    if db.dialect.update_returning:
        value = db.scalar(_BUMP_COUNTER, {"b_name": name})
    elif db.execute(_BUMP_COUNTER_PLAIN, {"b_name": name}):
        value = db.scalar(_GET_COUNTER, {"b_name": name})
    else:
        value = None
    if value is not None:
        return int(value)
    if db.sqlite:  # one writer at a time: nobody else can be creating it
        db.write_many(_NEW_COUNTER, [{"name": name, "value": 1}])
        return 1
    # another transaction may be creating the row right now: create it at 0 unless it exists (waiting
    # for that transaction), then count as usual, which also locks the row until commit
    db.write_many(_NEW_COUNTER_OR_NOTHING, [{"name": name, "value": 0}])
    return int(db.scalar(_BUMP_COUNTER, {"b_name": name}))


__all__ = [
    "ADVISORY_LOCK",
    "ADVISORY_TRY_LOCK",
    "ArchivedInstanceRow",
    "EventLogRow",
    "InstanceRow",
    "OutboxRow",
    "RecordChangeRow",
    "RecordRow",
    "RecordStateRow",
    "WorkflowRow",
    "WorkflowVersionRow",
    "advisory_key",
    "decode_step_states",
    "encode_step_states",
    "make_engine",
    "resolve_url",
    "upgrade",
]
