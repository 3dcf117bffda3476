"""Shared fixtures: ``engine_url`` runs a test on SQLite and on PostgreSQL.

PostgreSQL: WERKSTROOM_PG_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test). Each test
gets its own schema (dropped afterwards) selected through the connection's search_path, so tests
running in parallel (pytest-xdist) never see each other's tables. When the server cannot be reached
the PostgreSQL half is skipped with the reason, unless WERKSTROOM_REQUIRE_PG=1 (set by .ci/run): then
it fails.
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


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL for one test: a fresh SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'werkstroom.db'}"
        return
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    admin = _pg_admin()
    try:
        with admin.connect() as conn:
            conn.execute(text("select 1"))
    except OperationalError as exc:
        reason = f"PostgreSQL at {PG_URL} is not reachable: {exc.orig}"
        admin.dispose()
        if os.environ.get("WERKSTROOM_REQUIRE_PG") == "1":
            pytest.fail(reason + " (WERKSTROOM_REQUIRE_PG=1)")
        pytest.skip(reason)
    schema = f"t_{uuid.uuid4().hex[:16]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
