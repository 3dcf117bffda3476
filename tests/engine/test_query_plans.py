"""The hot path's prepared statements find their rows through indexes on SQLite: none scans a table that
grows with use (records, instances, approval entries, the logs), and none materializes a join. A
statement that did would make every event slower as the database grows (a nested LEFT JOIN once made
SQLite copy the whole record table for every approval event)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.dialects import sqlite

from werkstroom.engine import context as context_impl
from werkstroom.engine import facade as engine
from werkstroom.engine import records as engine_records
from werkstroom.engine import run as engine_run
from werkstroom.engine import states as engine_states
from werkstroom.engine.approvals import history as approval_history
from werkstroom.engine.approvals import notices as approval_notices
from werkstroom.engine.approvals import records as approval_records
from werkstroom.engine.notifications import service as notification_service
from werkstroom.store import database as store
from werkstroom.store.database import make_engine, upgrade
from werkstroom.store.driver import Statement

GROWING = ("wf_record", "wf_record_state", "wf_instance", "wf_instance_archive", "wf_event_log", "wf_outbox",
           "wf_approval_entry", "wf_approval_audit", "wf_approval_comment", "wf_notification_entry",
           "wf_record_change", "wf_overdue_approval_entry",
           # thousands of workflows: an event reads only those on its own event (the entry_event index)
           "wf_workflow", "wf_workflow_version")
MODULES = (engine, engine_run, engine_records, engine_states, context_impl, store, approval_records,
           approval_history, approval_notices, notification_service)
# statements run on PostgreSQL only (SQLite serializes writers without them)
POSTGRESQL_ONLY = ("engine.run._LOCK", "engine.run._INSERT_OUTBOX_OF_LAST_EVENT")


def _statements() -> list[tuple[str, Statement]]:
    found = []
    for module in MODULES:
        for name, value in vars(module).items():
            qualified = f"{module.__name__.removeprefix('werkstroom.')}.{name}"
            if isinstance(value, Statement) and qualified not in POSTGRESQL_ONLY:
                found.append((qualified, value))
    return found


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    path: Path = tmp_path_factory.mktemp("plans") / "plans.db"
    eng = make_engine(f"sqlite:///{path}")
    upgrade(eng)
    eng.dispose()
    return sqlite3.connect(path)


@pytest.mark.parametrize(("name", "stmt"), _statements(), ids=[n for n, _ in _statements()])
def test_a_hot_statement_scans_no_growing_table(con: sqlite3.Connection, name: str, stmt: Statement) -> None:
    plan = stmt.plan(sqlite.dialect())
    params = (None,) * plan.sql.count("?")
    steps = [row[3] for row in con.execute("EXPLAIN QUERY PLAN " + plan.sql, params)]
    bad = [s for s in steps if s.startswith("MATERIALIZE")
           or any(s.startswith(f"SCAN {table}") and not s.startswith(f"SCAN {table} USING COVERING INDEX")
                  for table in GROWING)]
    assert not bad, f"{name}: {steps}"


def test_the_plans_cover_the_hot_statements() -> None:
    names = {n for n, _ in _statements()}
    for expected in ("engine.run._INSTANCE_BY_ID", "engine.records.RECORD_GET", "engine.facade._INSERT_LOG",
                     "engine.approvals.records._SIBLINGS_BY_NO",
                     "engine.approvals.notices._INSERT_ENTRY_IF_SETUP", "engine.run._ENABLED_ON_EVENT"):
        assert expected in names
