"""Shared fixtures: ``engine_url`` runs a test on SQLite and on PostgreSQL.

PostgreSQL: WERKSTROOM_PG_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test). Each test
process (each pytest-xdist worker) gets its own schema, selected through the connection's search_path
and dropped at the end, so workers running in parallel never see each other's tables; between tests
every table of that schema is emptied (a store a test left at another schema revision is dropped
whole). ``fresh_url`` is a store nobody has opened yet. When the server cannot be reached the
PostgreSQL half is skipped with the reason, unless WERKSTROOM_REQUIRE_PG=1 (set by .ci/run): then it fails.
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import settings
from sqlalchemy import Engine

# no per-example time limit: the machines running the suite are shared and their load varies, and
# speed is measured in bench/, never by a test's clock
settings.register_profile("werkstroom", deadline=None)
settings.load_profile("werkstroom")

PG_URL = os.environ.get("WERKSTROOM_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_admin() -> Engine:
    from sqlalchemy import create_engine

    return create_engine(PG_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)


@pytest.fixture(scope="session")
def _pg_schema() -> Iterator[tuple[Engine | None, str]]:
    """(admin engine, schema name) for this test process, or (None, reason) when unreachable."""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    admin = _pg_admin()
    try:
        with admin.connect() as conn:
            conn.execute(text("select 1"))
    except OperationalError as exc:
        admin.dispose()
        yield None, f"PostgreSQL at {PG_URL} is not reachable: {exc.orig}"
        return
    schema = f"t_{uuid.uuid4().hex[:16]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield admin, schema
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL for one test: a fresh SQLite file, or an emptied PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'werkstroom.db'}"
        return
    from sqlalchemy import text

    admin, schema = request.getfixturevalue("_pg_schema")
    if admin is None:
        if os.environ.get("WERKSTROOM_REQUIRE_PG") == "1":
            pytest.fail(schema + " (WERKSTROOM_REQUIRE_PG=1)")
        pytest.skip(schema)
    from werkstroom.store.database import HEAD_REVISION

    with admin.connect() as conn:
        tables = set(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = :s"),
                                  {"s": schema}).scalars().all())
        # the store's record of its schema stays (an emptied store is still at the newest revision);
        # a store a test left at another revision (an old or a newer one) is dropped whole
        kept = {"alembic_version", "wf_schema_version"}
        at_head = "alembic_version" in tables and conn.execute(text(
            f'SELECT version_num FROM "{schema}".alembic_version')).scalars().all() == [HEAD_REVISION]
        if at_head and tables - kept:
            names = ", ".join(f'"{schema}"."{t}"' for t in sorted(tables - kept))
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        elif tables and not at_head:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture()
def fresh_url(engine_url: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A store nobody has opened yet: the test's new SQLite file, or a new PostgreSQL schema."""
    if engine_url.startswith("sqlite"):
        yield engine_url
        return
    from sqlalchemy import text

    admin, used = request.getfixturevalue("_pg_schema")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    path = quote(f"-csearch_path={used}")
    assert path in engine_url
    try:
        yield engine_url.replace(path, quote(f"-csearch_path={schema}"))
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))


Race = Callable[[Callable[[], object], Callable[[], object]], tuple[object, object]]


@pytest.fixture
def race(engine_url: str) -> Race:
    """PostgreSQL concurrency tests: ``race(mine, theirs)`` runs ``mine`` (an event), and once its run
    has done its first reads (its locks taken) runs ``theirs`` in a thread, going on when that thread
    has finished or waits for a lock; answers both results (an exception for ``theirs`` that raised)."""

    def run(mine: Callable[[], object], theirs: Callable[[], object]) -> tuple[object, object]:
        undo, state = _while_handling(engine_url, theirs)
        try:
            result = mine()
            thread = state.get("thread")
            assert isinstance(thread, threading.Thread), "the event's run did not start the other one"
            thread.join(60)
            assert not thread.is_alive(), "the other one did not finish within 60 s of this one's commit"
        finally:
            undo()
        return result, state["result"]

    return run


def _while_handling(engine_url: str,
                    other: Callable[[], object]) -> tuple[Callable[[], None], dict[str, object]]:
    """Make the next event's run start ``other`` in a thread once its first reads are done (the record's
    lock taken, its instances read) and go on when that thread has finished or waits for a lock.
    Returns the function that undoes it, and a dict that gets the thread (``"thread"``) and, once it
    has finished, its result or the exception it raised (``"result"``). Named slots, not a list: the
    thread may finish before or after the run goes on, and before or after the run commits."""
    from sqlalchemy import create_engine, text

    from werkstroom.engine import run as engine_run

    original = engine_run.Run.drain
    got: dict[str, object] = {}
    watch = create_engine(engine_url)

    def waiting() -> int:
        with watch.connect() as conn:
            return int(conn.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'")) or 0)

    def deliver() -> None:
        try:
            got["result"] = other()
        except Exception as exc:  # checked by the test
            got["result"] = exc

    def drain(run: engine_run.Run) -> None:
        engine_run.Run.drain = original  # type: ignore[method-assign]  # once
        thread = got["thread"] = threading.Thread(target=deliver)
        thread.start()
        deadline = time.monotonic() + 10
        while thread.is_alive() and not waiting() and time.monotonic() < deadline:
            time.sleep(0.01)
        original(run)

    def undo() -> None:
        engine_run.Run.drain = original  # type: ignore[method-assign]
        watch.dispose()

    engine_run.Run.drain = drain  # type: ignore[method-assign]
    return undo, got
