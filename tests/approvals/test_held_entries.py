"""New approval entries are held for the unit of work and written with one INSERT when it flushes (before
it commits, or before a read of the entries); changes made before then go into that INSERT; a rollback
drops them."""

from __future__ import annotations

from typing import Any

from apptools import make_scope, purchase
from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine as SAEngine

from werkstroom.engine.approvals.service import ApprovalService
from werkstroom.engine.unit import UnitOfWork
from werkstroom.store.approvals import ApprovalEntry


def test_created_then_sent_entries_are_one_insert_with_the_sent_status(chain_org: UnitOfWork) -> None:
    uow = chain_org
    uow.session.flush()  # the organisation's rows are written before we count statements
    seen: list[str] = []

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(" ".join(statement.split())[:40])

    scope, _ = make_scope(uow, purchase(amount="5000"), "REQ")
    svc = ApprovalService(scope)
    event.listen(SAEngine, "before_cursor_execute", before)
    try:
        with uow.watch_statements(lambda statement, params, many: before(None, None, statement)):
            svc.create_requests({"approver_type": "Approver", "limit_type": "Approver Chain"})
            svc.send_requests({})
            uow.flush()  # the unit of work writes what it holds before the ORM reads the entries
            rows = [(e.approver_id, e.status) for e in
                    uow.session.scalars(select(ApprovalEntry).order_by(ApprovalEntry.entry_no))]
    finally:
        event.remove(SAEngine, "before_cursor_execute", before)
    assert rows == [("REQ", "Approved"), ("ANN", "Open"), ("BOB", "Created")]
    writes = [s for s in seen if "approval_entry" in s and not s.startswith("SELECT")]
    assert len(writes) == 1 and writes[0].startswith("INSERT INTO wf_approval_entry"), seen


def test_entries_of_a_rolled_back_transaction_are_never_written(chain_org: UnitOfWork) -> None:
    uow = chain_org
    session = uow.session
    scope, _ = make_scope(uow, purchase(amount="5000"), "REQ")
    ApprovalService(scope).create_requests({"approver_type": "Approver", "limit_type": "Approver Chain"})
    session.rollback()
    session.begin()
    uow.flush()  # the unit of work starts over in the new transaction: nothing of the old one is written
    assert session.scalar(select(func.count()).select_from(ApprovalEntry)) == 0
