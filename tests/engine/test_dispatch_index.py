"""An event reads only the enabled workflows on its own event (``wf_workflow.entry_event``, indexed);
engines sharing one database see each other's enables and disables on their next event; a schema
version 2 database gets the column filled in at open."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect, text

from werkstroom.engine.clock import SequentialIds, VirtualClock
from werkstroom.engine.facade import Engine, open_engine
from werkstroom.store.database import SCHEMA_VERSION

from .lib import LIBRARY, W, approval_workflow, c, cmp, doc, f


def _open(url: str, first_id: int = 1) -> Engine:
    return open_engine(url, clock=VirtualClock(), ids=SequentialIds(first_id), libraries=[LIBRARY])


def test_two_engines_on_one_database_see_each_others_enables(engine_url: str) -> None:
    a, b = _open(engine_url), _open(engine_url, 1000)
    try:
        assert b.emit("DocSent", doc("1"), user="U").handled[0].outcome == "no workflow"
        a.deploy_workflow(approval_workflow())
        a.enable("DOC-APW")
        assert b.emit("DocSent", doc("2"), user="U").handled[0].outcome == "started"
        a.disable("DOC-APW")
        assert b.emit("DocSent", doc("3"), user="U").handled[0].outcome == "no workflow"
        # a workflow on another event never starts on DocSent; re-enabled, the first one starts again
        w = W("CANCELLED")
        w.chain(w.event("DocCanceled", None, cmp(f("amount"), ">", c(1000))), "allow")
        b.deploy_workflow(w.build())
        b.enable("CANCELLED")
        assert a.emit("DocSent", doc("4"), user="U").handled[0].outcome == "no workflow"
        b.enable("DOC-APW")
        started = a.emit("DocSent", doc("5"), user="U").handled[0]
        assert started.outcome == "started" and started.workflow_code == "DOC-APW"
        # a new version whose entry point listens to another event moves the workflow off DocSent
        moved = W("DOC-APW")
        moved.chain(moved.event("DocCanceled", None, cmp(f("amount"), "<", c(1000))), "allow")
        b.disable("DOC-APW")
        b.deploy_workflow(moved.build())
        b.enable("DOC-APW")
        assert a.emit("DocSent", doc("6"), user="U").handled[0].outcome == "no workflow"
        assert a.emit("DocCanceled", doc("7"), user="U").handled[0].workflow_code == "CANCELLED"
        assert a.emit("DocCanceled", doc("8", "500"), user="U").handled[0].workflow_code == "DOC-APW"
    finally:
        a.close()
        b.close()


def test_a_version_2_database_gets_the_entry_event_at_open(engine_url: str) -> None:
    eng = _open(engine_url)
    eng.deploy_workflow(approval_workflow())
    eng.enable("DOC-APW")
    eng.close()
    raw = create_engine(engine_url)
    with raw.begin() as conn:  # as schema version 2 left it
        conn.execute(text("DROP TABLE wf_workflow_pin"))
        for table in ("wf_api_token", "wf_auth_failure"):  # nor the service's tables (version 5)
            conn.execute(text(f"DROP TABLE {table}"))
        for table in ("wf_webhook_delivery", "wf_webhook_subscription"):  # nor the webhooks' (6)
            conn.execute(text(f"DROP TABLE {table}"))
        for table in ("wf_user_password", "wf_inbox_session", "wf_link_use", "wf_service_secret"):
            conn.execute(text(f"DROP TABLE {table}"))  # nor the inbox's (version 7)
        conn.execute(text("ALTER TABLE wf_approval_user_setup DROP COLUMN language"))
        conn.execute(text("DROP INDEX ix_wf_workflow_entry_event"))
        conn.execute(text("ALTER TABLE wf_workflow DROP COLUMN entry_event"))
        conn.execute(text("ALTER TABLE wf_workflow DROP COLUMN allow_overlap"))
        conn.execute(text("UPDATE wf_schema_version SET version = 2"))
        conn.execute(text("DROP TABLE alembic_version"))  # Werkstroom before Alembic had none
    raw.dispose()
    eng = _open(engine_url)
    try:
        assert eng.emit("DocSent", doc("1"), user="U").handled[0].outcome == "started"
    finally:
        eng.close()
    raw = create_engine(engine_url)
    with raw.connect() as conn:
        assert "ix_wf_workflow_entry_event" in {i["name"] for i in inspect(conn).get_indexes("wf_workflow")}
        assert conn.execute(text("SELECT version FROM wf_schema_version")).scalar() == SCHEMA_VERSION
    raw.dispose()
