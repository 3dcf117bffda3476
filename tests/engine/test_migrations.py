"""The store's schema is migrated by the Alembic revisions shipped in werkstroom/store/migrations: a
new store ends at exactly the declared tables, a store from before Alembic is recorded at its version
and upgraded, a newer store is refused, and opening an up-to-date store is one query."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, text

from werkstroom.engine.clock import SequentialIds, VirtualClock
from werkstroom.engine.facade import open_engine
from werkstroom.errors import WerkstroomError
from werkstroom.store.database import (
    HEAD_REVISION,
    MIGRATIONS,
    SCHEMA_VERSION,
    Base,
    make_engine,
    upgrade,
)

from .lib import LIBRARY, approval_workflow, doc

ROOT = Path(__file__).resolve().parents[2]


def _revisions(conn: Any) -> list[str]:
    return list(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


def test_the_revisions_are_the_schema_versions_in_one_line() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    scripts = ScriptDirectory.from_config(config)
    chain = [s.revision for s in reversed(list(scripts.walk_revisions()))]
    assert chain == [f"{n:04d}" for n in range(1, SCHEMA_VERSION + 1)]
    assert scripts.get_heads() == [HEAD_REVISION]


def test_a_new_store_is_migrated_to_exactly_the_declared_tables(fresh_url: str) -> None:
    eng = make_engine(fresh_url)
    try:
        assert upgrade(eng) == 0
        with eng.connect() as conn:
            assert _revisions(conn) == [HEAD_REVISION]
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
            assert conn.execute(text("SELECT version FROM wf_schema_version")).scalar() == SCHEMA_VERSION
    finally:
        eng.dispose()


def test_a_store_from_before_alembic_is_recorded_at_its_version(engine_url: str) -> None:
    eng = open_engine(engine_url, clock=VirtualClock(), ids=SequentialIds(), libraries=[LIBRARY])
    eng.deploy_workflow(approval_workflow())
    eng.enable("DOC-APW")
    eng.close()
    raw = create_engine(engine_url)
    with raw.begin() as conn:  # as Werkstroom wrote schema version 3 before it used Alembic
        conn.execute(text("DROP TABLE alembic_version"))
    eng = open_engine(engine_url, clock=VirtualClock(), ids=SequentialIds(), libraries=[LIBRARY])
    try:
        assert eng.emit("DocSent", doc("1"), user="U").handled[0].outcome == "started"
    finally:
        eng.close()
    with raw.connect() as conn:
        assert _revisions(conn) == [HEAD_REVISION]
    raw.dispose()


@pytest.mark.parametrize("newer", ["alembic", "before alembic"])
def test_a_store_of_a_newer_werkstroom_is_refused(fresh_url: str, newer: str) -> None:
    open_engine(fresh_url).close()
    raw = create_engine(fresh_url)
    with raw.begin() as conn:
        conn.execute(text(f"UPDATE wf_schema_version SET version = {SCHEMA_VERSION + 1}"))
        if newer == "alembic":
            conn.execute(text("UPDATE alembic_version SET version_num = 'a1b2c3'"))
        else:
            conn.execute(text("DROP TABLE alembic_version"))
    raw.dispose()
    with pytest.raises(WerkstroomError) as err:
        open_engine(fresh_url)
    assert err.value.code == "WF513"


def test_opening_an_up_to_date_store_is_one_query(engine_url: str) -> None:
    open_engine(engine_url).close()
    eng = make_engine(engine_url)
    statements: list[str] = []
    event.listen(eng, "before_cursor_execute", lambda *args: statements.append(args[2]))
    try:
        assert upgrade(eng) == SCHEMA_VERSION
    finally:
        eng.dispose()
    assert statements == ["SELECT version_num FROM alembic_version"]


def test_opening_an_up_to_date_store_does_not_import_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    open_engine(url).close()
    code = ("import sys\nfrom werkstroom import open_engine\n"
            f"open_engine({url!r}).close()\nprint('alembic' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
