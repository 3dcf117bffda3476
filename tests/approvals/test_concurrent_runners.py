"""Several programs on one store at once, each a separate OS process with its own engine (see racers.py):
opening a fresh store, notification dispatchers, timer runners. Each piece of work is done exactly once
and no process fails. On PostgreSQL the processes really run side by side; on SQLite they take turns
(one writer at a time), which must keep working."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest
import racers
from racers import PROCESSES, Failed, race
from sqlalchemy import select, text

from werkstroom.engine.facade import open_engine
from werkstroom.store.database import SCHEMA_VERSION, SchemaVersion


def no_failures(results: list[object]) -> None:
    failed = [r for r in results if isinstance(r, Failed)]
    last = failed[0].strip().splitlines()[-3:] if failed else []  # the error, not the whole traceback
    assert not failed, f"{len(failed)} of {len(results)} processes failed; the first:\n" + "\n".join(last)


# ----------------------------------------------------------------------------- a fresh store


@pytest.fixture()
def fresh_url(engine_url: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A store nobody has opened yet: the test's new SQLite file, or a new PostgreSQL schema."""
    if engine_url.startswith("sqlite"):
        yield engine_url
        return
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


def test_processes_opening_a_fresh_store_at_once_all_succeed(fresh_url: str) -> None:
    results = race(racers.open_store, PROCESSES, fresh_url)
    no_failures(results)
    assert results == ["opened"] * PROCESSES
    with open_engine(fresh_url) as eng, eng.transaction() as uow:
        versions = uow.session.scalars(select(SchemaVersion.version)).all()
    assert versions == [SCHEMA_VERSION]
