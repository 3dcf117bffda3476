"""Shared fixtures: ``engine_url`` runs a test on SQLite and on PostgreSQL.

PostgreSQL: WERKSTROOM_PG_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test). Each test
process (each pytest-xdist worker) gets its own schema, selected through the connection's search_path
and dropped at the end, so workers running in parallel never see each other's tables; between tests
every table of that schema is emptied. When the server cannot be reached the PostgreSQL half is
skipped with the reason, unless WERKSTROOM_REQUIRE_PG=1 (set by .ci/run): then it fails.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import Engine

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
    with admin.connect() as conn:
        tables = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = :s"),
                              {"s": schema}).scalars().all()
        if tables:
            names = ", ".join(f'"{schema}"."{t}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"
