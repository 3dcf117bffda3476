"""Writes are explicit: a repository of the unit of work writes when the unit of work flushes (at the
latest before it commits), never because some other statement runs; Werkstroom hooks nothing onto
SQLAlchemy's global classes, and statement observers see one engine's statements only."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.engine import Engine as SAEngine
from sqlalchemy.orm import Mapper, Session, sessionmaker
from sqlalchemy.pool import Pool

import werkstroom
from werkstroom import deploy
from werkstroom.engine.approvals.rows import SimpleRecord
from werkstroom.engine.approvals.service import ApprovalService
from werkstroom.engine.approvals.setup import load_setup
from werkstroom.engine.clock import SequentialIds, VirtualClock
from werkstroom.engine.facade import Engine, UnitSession, _keep, open_engine
from werkstroom.engine.unit import RunScope, UnitOfWork
from werkstroom.store.approvals import ApprovalEntry
from werkstroom.store.database import make_engine, upgrade

NOW = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
ORG = {"users": [{"id": "CEO", "approver": "CEO", "unlimited_purchase": True},
                 {"id": "ANN", "approver": "CEO", "purchase_limit": 1000},
                 {"id": "REQ", "approver": "ANN"}]}
# a workflow whose only response creates approval requests: no notification, no send after it
CREATE_ONLY = """workflow CREATE-ONLY "requests, nothing else"
  on PurchaseDocSentForApproval when document_type = Invoice then
     create approval requests for approver chain
"""
INVOICE = {"document_type": "Invoice", "no": "PI-1", "buy_from_vendor_no": "V1", "amount": "5000",
           "amount_lcy": "5000", "status": "Open"}


def _werkstroom_listeners(target: Any) -> list[str]:
    """The functions of Werkstroom among the class-level listeners of every event of ``target``."""
    found: list[str] = []
    dispatch = target.dispatch
    for name in dispatch._event_names:
        for fn in getattr(dispatch, name)._clslevel.get(target, ()):
            module = getattr(fn, "__module__", "") or ""
            if module.startswith("werkstroom"):
                found.append(f"{name}: {module}.{getattr(fn, '__qualname__', fn)}")
    return found


def _import_every_module() -> None:
    for info in pkgutil.walk_packages(werkstroom.__path__, "werkstroom."):
        if ".migrations.versions" in info.name:
            continue  # Alembic revision scripts, loaded by Alembic itself
        importlib.import_module(info.name)


def test_importing_werkstroom_registers_no_listener_on_sqlalchemys_global_classes() -> None:
    _import_every_module()
    for target in (Session, SAEngine, Connection, Pool, Mapper):
        assert _werkstroom_listeners(target) == [], target
    assert not event.contains(Session, "loaded_as_persistent", _keep)
    assert not event.contains(UnitSession, "loaded_as_persistent", _keep)


def test_the_hooks_that_keep_a_sessions_rows_are_on_one_engines_session_factory(tmp_path: Any) -> None:
    with open_engine(f"sqlite:///{tmp_path / 'a.db'}") as one, \
            open_engine(f"sqlite:///{tmp_path / 'b.db'}") as two:
        factory: sessionmaker[UnitSession] = one._sessions
        assert event.contains(factory, "loaded_as_persistent", _keep)
        assert factory.class_ is not two._sessions.class_
        assert _werkstroom_listeners(UnitSession) == []
        with one.transaction() as uow:
            assert isinstance(uow.session, factory.class_)


@pytest.fixture
def eng(engine_url: str) -> Iterator[Engine]:
    engine = open_engine(engine_url, clock=VirtualClock(NOW), ids=SequentialIds())
    engine.load_setup(ORG)
    deploy(engine, CREATE_ONLY, "create-only.wf")
    engine.enable("CREATE-ONLY")
    yield engine
    engine.close()


def test_entries_created_by_the_last_response_are_written_when_the_unit_of_work_flushes(eng: Engine) -> None:
    seen: list[str] = []
    with eng.watch_statements(lambda text, params, many: seen.append(" ".join(text.split()[:3]))):
        result = eng.emit("PurchaseDocSentForApproval", INVOICE, user="REQ")
    assert result.outcome == "started"
    # nothing after the response writes an entry: the unit of work's flush before the commit does
    # (PostgreSQL sends COMMIT on the driver too; the last two statements are the same on both)
    assert seen[-2:] == ["INSERT INTO wf_approval_entry", "COMMIT"], seen
    assert seen.count("INSERT INTO wf_approval_entry") == 1
    entries = [(e.approver_id, e.status) for e in eng.approval_entries()]
    assert entries == [("REQ", "Approved"), ("ANN", "Created"), ("CEO", "Created")]


def test_a_unit_of_work_commits_the_entries_it_holds_with_no_statement_after_them(engine_url: str) -> None:
    sa = make_engine(engine_url)
    upgrade(sa)
    try:
        clock, ids = VirtualClock(NOW), SequentialIds()
        uow = UnitOfWork.begin(sa, clock, ids)
        load_setup(uow, ORG)
        uow.commit()
        uow = UnitOfWork.begin(sa, clock, ids)
        doc = SimpleRecord("PurchaseHeader", "Invoice|PI-1", {
            "document_type": "Invoice", "no": "PI-1", "amount": Decimal(5000), "amount_lcy": Decimal(5000),
            "purchaser_code": "", "currency_code": ""})
        scope = RunScope(uow=uow, instance_id="instance-1", workflow_code="W", workflow_description="",
                         document=doc, event_record=doc, user="REQ", raise_event=lambda name, rec: None,
                         explain=lambda text: None, emit_effect=lambda kind, payload: None)
        ApprovalService(scope).create_requests({"limit_type": "Approver Chain"})
        seen: list[str] = []
        with uow.watch_statements(lambda text, params, many: seen.append(" ".join(text.split()[:3]))):
            uow.commit()
        assert seen == ["INSERT INTO wf_approval_entry", "COMMIT"]
        with Session(sa) as s:
            assert s.scalar(select(func.count()).select_from(ApprovalEntry)) == 3
    finally:
        sa.dispose()


def test_an_engines_observers_see_its_own_statements_only(eng: Engine, tmp_path: Any) -> None:
    with open_engine(f"sqlite:///{tmp_path / 'other.db'}") as other:
        mine: list[str] = []
        theirs: list[str] = []
        with eng.watch_statements(lambda text, params, many: mine.append(text)), \
                other.watch_statements(lambda text, params, many: theirs.append(text)):
            other.put_record("Vendor", {"no": "V1", "name": "Vendor one"})
        assert mine == [] and theirs
        eng.emit("PurchaseDocSentForApproval", INVOICE, user="REQ")
        assert mine == []  # the block has ended
