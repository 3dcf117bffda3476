"""Schema version 2: step instances live in the instance row; a version-1 database upgrades."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect, text

from werkstroom.engine.clock import SequentialIds, VirtualClock
from werkstroom.engine.facade import open_engine
from werkstroom.store.database import SCHEMA_VERSION

from .lib import LIBRARY, approval, approval_workflow, doc

_OLD_STEPS = """CREATE TABLE {name} (
    instance_id VARCHAR(64) NOT NULL, step_id INTEGER NOT NULL, kind VARCHAR(16) NOT NULL,
    name VARCHAR(100) NOT NULL, parent INTEGER, sequence_no INTEGER NOT NULL, next_step INTEGER,
    status VARCHAR(16) NOT NULL, record_type VARCHAR(250) NOT NULL, record_key VARCHAR(250) NOT NULL,
    updated_at TIMESTAMP NOT NULL, PRIMARY KEY (instance_id, step_id))"""


def test_version_1_step_rows_move_into_the_instance_rows(engine_url: str) -> None:
    eng = open_engine(engine_url, clock=VirtualClock(), ids=SequentialIds(), libraries=[LIBRARY])
    eng.deploy_workflow(approval_workflow())
    eng.enable("DOC-APW")
    running = eng.emit("DocSent", doc("1"), user="ALICE").instance_id
    done = eng.emit("DocSent", doc("2"), user="ALICE").instance_id
    assert running is not None and done is not None
    eng.emit("Approved", approval(done, 0), user="BOB")
    before = {iid: eng.steps(iid) for iid in (running, done)}
    assert [i.id for i in eng.archive()] == [done] and [i.id for i in eng.instances()] == [running]
    eng.close()

    # rewrite the store as Werkstroom's schema version 1 wrote it: one row per step instance
    raw = create_engine(engine_url)
    with raw.begin() as conn:
        for table, archive in (("wf_step_instance", False), ("wf_step_instance_archive", True)):
            conn.execute(text(_OLD_STEPS.format(name=table)))
            iid = done if archive else running
            for s in before[iid]:
                conn.execute(text(
                    f"INSERT INTO {table} VALUES (:i, :s, :k, :n, :p, :q, :x, :st, '', '', "
                    f"'2026-01-01 00:00:00')"),
                    {"i": iid, "s": s.step_id, "k": s.kind, "n": s.name, "p": s.parent,
                     "q": s.sequence_no, "x": s.next_step, "st": s.status})
        for table in ("wf_instance", "wf_instance_archive"):
            conn.execute(text(f"ALTER TABLE {table} DROP COLUMN step_states"))
        # nor had it the workflows' entry events (schema version 3)
        conn.execute(text("DROP INDEX ix_wf_workflow_entry_event"))
        conn.execute(text("ALTER TABLE wf_workflow DROP COLUMN entry_event"))
        conn.execute(text("ALTER TABLE wf_workflow DROP COLUMN allow_overlap"))
        conn.execute(text("DROP TABLE wf_workflow_pin"))  # nor the workflows' pins (version 4)
        for table in ("wf_api_token", "wf_auth_failure"):  # nor the service's tables (version 5)
            conn.execute(text(f"DROP TABLE {table}"))
        for table in ("wf_webhook_delivery", "wf_webhook_subscription"):  # nor the webhooks' (6)
            conn.execute(text(f"DROP TABLE {table}"))
        for table in ("wf_user_password", "wf_inbox_session", "wf_link_use", "wf_service_secret"):
            conn.execute(text(f"DROP TABLE {table}"))  # nor the inbox's (version 7)
        conn.execute(text("ALTER TABLE wf_approval_user_setup DROP COLUMN language"))
        conn.execute(text("UPDATE wf_schema_version SET version = 1"))
        conn.execute(text("DROP TABLE alembic_version"))  # Werkstroom before Alembic had none
    raw.dispose()

    eng = open_engine(engine_url, clock=VirtualClock(), ids=SequentialIds(), libraries=[LIBRARY])
    try:
        assert {iid: eng.steps(iid) for iid in (running, done)} == before
        # the running instance continues from its migrated step states and is archived
        r = eng.emit("Approved", approval(running, 0), user="BOB")
        assert r.handled[0].archived and eng.instances() == []
    finally:
        eng.close()
    raw = create_engine(engine_url)
    with raw.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        version = conn.execute(text("SELECT version FROM wf_schema_version")).scalar()
    raw.dispose()
    assert "wf_step_instance" not in tables and "wf_step_instance_archive" not in tables
    assert version == SCHEMA_VERSION >= 2
