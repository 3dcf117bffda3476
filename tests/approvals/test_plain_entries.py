"""Entries are plain objects held per unit of work and written through the driver path: every field
change is an explicit UPDATE (delegation, the timer's new period, overdue notices), the held objects
stay equal to the stored rows, and a refused timer delegation changes nothing."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from apptools import START, make_scope, purchase, user
from sqlalchemy import select
from sqlalchemy.orm import Session

from werkstroom.engine.approvals import actions, records, rows, timers
from werkstroom.engine.approvals.errors import ApprovalError
from werkstroom.engine.approvals.rows import SimpleRecord
from werkstroom.engine.approvals.service import ApprovalService
from werkstroom.engine.clock import SequentialIds, VirtualClock
from werkstroom.engine.unit import UnitOfWork
from werkstroom.store.approvals import ApprovalAudit, ApprovalEntry, ApprovalUserSetup
from werkstroom.store.database import make_engine, upgrade

TABLE = ApprovalEntry.__table__


def _utc(value: Any) -> Any:
    """Datetimes as naive UTC: this fixture's plain SQLite engine reads timezone-aware columns back
    naive (the store's engine and PostgreSQL read them aware)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def stored(uow: UnitOfWork) -> dict[str, dict[str, Any]]:
    """Every entry as the database has it once the unit of work has flushed (a Core read: no ORM
    identity map in the way)."""
    uow.flush()
    rows = uow.session.execute(select(TABLE).order_by(TABLE.c.entry_no)).mappings().all()
    return {row["id"]: {k: _utc(v) for k, v in row.items()} for row in rows}


def held_entries(uow: UnitOfWork) -> dict[str, dict[str, Any]]:
    return {e.id: {k: _utc(v) for k, v in e.values().items()} for e in records.held(uow).by_id.values()}


def assert_held_as_stored(uow: UnitOfWork) -> None:
    rows = stored(uow)
    for entry_id, values in held_entries(uow).items():
        assert values == rows[entry_id], entry_id


@contextmanager
def statements(uow: UnitOfWork) -> Iterator[list[str]]:
    seen: list[str] = []
    with uow.watch_statements(lambda text, params, many: seen.append(" ".join(text.split()))):
        yield seen


def as_new_unit(uow: UnitOfWork) -> None:
    """Nothing held any more, as in a later unit of work (what this one holds is written first)."""
    uow.flush()
    uow.info.pop("werkstroom.approvals.held")


def send(uow: UnitOfWork, doc: SimpleRecord | None = None, requester: str = "REQ", **options: Any) -> None:
    scope, _ = make_scope(uow, doc or purchase(), requester)
    svc = ApprovalService(scope)
    svc.create_requests(options)
    svc.send_requests({})


def only_open(uow: UnitOfWork) -> dict[str, Any]:
    (row,) = [r for r in stored(uow).values() if r["status"] == "Open"]
    return row


def test_delegation_writes_the_new_approver_with_an_update(chain_org: UnitOfWork) -> None:
    send(chain_org, limit_type="Direct Approver")
    entry = only_open(chain_org)
    assert entry["approver_id"] == "ANN"
    chain_org.clock.advance(dt.timedelta(hours=1))  # type: ignore[attr-defined]
    with statements(chain_org) as seen:
        result = actions.delegate(chain_org, entry["id"], "REQ")
    assert result.delegated_to == "BOB"
    updates = [s for s in seen if s.startswith("UPDATE wf_approval_entry")]
    assert len(updates) == 1 and "approver_id" in updates[0], seen
    after = stored(chain_org)[entry["id"]]
    assert (after["approver_id"], after["last_modified_by_user_id"]) == ("BOB", "REQ")
    assert after["status"] == "Open"
    assert after["last_date_time_modified"] == _utc(START + dt.timedelta(hours=1))
    assert_held_as_stored(chain_org)


def test_the_timer_stores_the_new_period_of_a_delegated_entry(chain_org: UnitOfWork) -> None:
    send(chain_org, limit_type="Direct Approver", delegate_after="2 days")
    now = START + dt.timedelta(days=2)
    report = timers.run_due(chain_org, now)
    assert [d.delegated_to for d in report.delegations] == ["BOB"]
    entry = only_open(chain_org)
    assert (entry["approver_id"], entry["date_time_sent_for_approval"]) == ("BOB", _utc(now))
    assert_held_as_stored(chain_org)
    # a later unit of work (nothing held) sees the new period: no second delegation before it ends
    as_new_unit(chain_org)
    assert timers.run_due(chain_org, now + dt.timedelta(days=1)).delegations == ()


def test_a_refused_timer_delegation_changes_nothing(chain_org: UnitOfWork) -> None:
    chain_org.session.get_one(ApprovalUserSetup, "ADMIN").approval_administrator = False
    user(chain_org, "SOLO", "SOLO")
    send(chain_org, limit_type="Specific Approver", approver_id="SOLO", delegate_after="1D")
    before_rows = stored(chain_org)
    before_held = held_entries(chain_org)
    with statements(chain_org) as seen:
        report = timers.run_due(chain_org, START + dt.timedelta(days=1))
    assert report.delegations == () and "WF613" in report.failures[0][1]
    assert not [s for s in seen if s.startswith(("UPDATE", "INSERT", "DELETE"))], seen
    assert stored(chain_org) == before_rows
    assert held_entries(chain_org) == before_held
    assert_held_as_stored(chain_org)
    audits = chain_org.session.scalars(select(ApprovalAudit).where(ApprovalAudit.action == "delegate"))
    assert not audits.all()


def test_a_refused_delegation_after_a_change_restores_the_held_entry(chain_org: UnitOfWork,
                                                                    monkeypatch: Any) -> None:
    """Should a refusal ever come after a write, the savepoint undoes the row and the held entry
    takes its values back, so both still agree."""
    send(chain_org, limit_type="Direct Approver", delegate_after="1D")

    def refuse_late(uow: UnitOfWork, entry_id: str, user: str, comment: str | None = None, *,
                    automatic: bool = False) -> actions.ActionResult:
        entry = actions.find_entry(uow, entry_id)
        records.change_entry(uow, entry, approver_id="BOB")
        raise ApprovalError("WF613", "refused late")

    monkeypatch.setattr(timers, "delegate", refuse_late)
    before = stored(chain_org)
    report = timers.run_due(chain_org, START + dt.timedelta(days=1))
    assert report.failures and "refused late" in report.failures[0][1]
    assert stored(chain_org) == before
    assert_held_as_stored(chain_org)


def test_overdue_notice_dates_are_stored(chain_org: UnitOfWork) -> None:
    send(chain_org, limit_type="Direct Approver", due_date_formula="1D", overdue_reminders=True)
    assert timers.run_due(chain_org, START + dt.timedelta(days=2)).overdue_notices == 1
    assert only_open(chain_org)["last_overdue_notice"] == (START + dt.timedelta(days=2)).date()
    assert_held_as_stored(chain_org)


def test_an_entry_is_one_object_per_unit_of_work(chain_org: UnitOfWork) -> None:
    send(chain_org)
    as_new_unit(chain_org)  # as a new unit of work
    with statements(chain_org) as seen:
        first = records.entry_by_key(chain_org, "2")
        again = records.entry_by_key(chain_org, "2")
    assert first is not None and first is again
    assert len(seen) == 1, seen  # the entry with its siblings and the comment count: one query
    siblings = records.cached_record_entries(chain_org, first.record_type, first.record_key,
                                             first.instance_id)
    assert any(e is first for e in siblings)
    assert records.entry_by_key(chain_org, first.id) is first
    assert records.entry_by_key(chain_org, "99") is None


def test_entry_numbers_continue_after_the_highest_in_use(chain_org: UnitOfWork) -> None:
    send(chain_org, doc=purchase(no="1"))
    send(chain_org, doc=purchase(no="2"))
    # the record's entries held already: the number still comes after every record's entries
    scope, _ = make_scope(chain_org, purchase(no="1"), "REQ")
    ApprovalService(scope).create_and_approve_automatically()
    as_new_unit(chain_org)
    scope, _ = make_scope(chain_org, purchase(no="3"), "REQ")
    ApprovalService(scope).create_and_approve_automatically()
    numbers = [(r["record_key"], r["entry_no"]) for r in stored(chain_org).values()]
    assert sorted(n for _, n in numbers) == list(range(1, 9))
    assert [n for k, n in numbers if k == "Invoice|1"] == [1, 2, 3, 7]
    assert [n for k, n in numbers if k == "Invoice|3"] == [8]


def test_held_entries_match_the_stored_rows_through_a_whole_request(chain_org: UnitOfWork) -> None:
    send(chain_org, notify_sender=True)
    for approver in ("ANN", "BOB"):
        entry_id = only_open(chain_org)["id"]
        result = actions.approve(chain_org, entry_id, approver, comment=f"ok from {approver}")
        assert_held_as_stored(chain_org)
        if result.record.values["pending_approvals"]:
            scope, _ = make_scope(chain_org, purchase(), approver, event_record=result.record)
            ApprovalService(scope).send_requests({})
        assert_held_as_stored(chain_org)
        assert result.record.values["comment"] is True
    assert [r["status"] for r in stored(chain_org).values()] == ["Approved", "Approved", "Approved"]


def test_entries_and_user_setup_read_back_as_stored(chain_org: UnitOfWork) -> None:
    send(chain_org, notify_sender=True, delegate_after="2 days", quorum=None, overdue_reminders=True)
    before = stored(chain_org)
    as_new_unit(chain_org)  # as a new unit of work: everything read back
    entry = records.entry_by_key(chain_org, "2")
    assert entry is not None
    assert held_entries(chain_org) == before
    setup = records.setups(chain_org)["BOB"]
    assert (setup.user_id, setup.approver_id, setup.email) == ("BOB", "CEO", "bob@example.com")
    assert setup.purchase_amount_approval_limit == 10000 and not setup.unlimited_purchase_approval
    assert records.setups(chain_org)["ADMIN"].approval_administrator is True
    assert records.user_setup(chain_org, "NOBODY") is None


# PostgreSQL only: SQLite serialises writers itself (BEGIN IMMEDIATE)
@pytest.mark.parametrize("engine_url", [pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
def test_two_approvers_at_once_are_serialised_on_postgresql(engine_url: str) -> None:
    """The locking read (SELECT ... FOR UPDATE on the driver path) makes the second action wait for
    the first one's commit and then see its change (the held entry is refreshed): WF611."""
    sa = make_engine(engine_url)
    upgrade(sa)
    clock, ids = VirtualClock(START), SequentialIds()
    first: Session | None = None
    try:
        with Session(sa) as s, s.begin():
            uow = UnitOfWork(s, clock, ids)
            for uid, approver in (("CEO", "CEO"), ("ANN", "CEO"), ("REQ", "ANN")):
                user(uow, uid, approver)
            user(uow, "ADMIN", "", approval_administrator=True)
            send(uow, limit_type="Direct Approver")
            uow.flush()  # the session's owner flushes the unit of work before it commits
        first = Session(sa)
        first.begin()
        actions.approve(UnitOfWork(first, clock, ids), "1", "ANN")  # holds the lock until commit
        outcome: list[object] = []

        def second() -> None:
            with Session(sa) as s, s.begin():
                try:
                    actions.approve(UnitOfWork(s, clock, ids), "1", "ADMIN")
                    outcome.append("approved")
                except ApprovalError as exc:
                    outcome.append(exc.code)

        worker = threading.Thread(target=second)
        worker.start()
        worker.join(0.5)
        assert worker.is_alive() and not outcome  # waiting for the lock
        first.commit()
        first.close()
        worker.join(10)
        assert outcome == ["WF611"]
        with Session(sa) as s:
            audits = s.scalars(select(ApprovalAudit.user_id).where(ApprovalAudit.action == "approve")).all()
            assert audits == ["ANN"]
    finally:
        if first is not None:
            first.close()  # a failed assertion above must not leave its lock for the next test
        sa.dispose()


def test_the_record_view_holds_every_field_of_the_entry_in_order(chain_org: UnitOfWork) -> None:
    send(chain_org)
    actions.add_comment(chain_org, "2", "ANN", "a question")
    entry = records.entry_by_key(chain_org, "2")
    assert entry is not None
    not_shown = ("id", "quorum", "refuse_self_approval", "overdue_reminders", "last_overdue_notice")
    fields = [f for f in rows.ENTRY_FIELDS if f not in not_shown]
    expected: dict[str, Any] = {"entry_id": entry.id}
    for name in fields:
        expected[name] = getattr(entry, name)
        if name == "instance_id":
            expected["workflow_step_instance_id"] = entry.instance_id
    expected["comment"] = True
    expected["pending_approvals"] = 2  # ANN open + BOB created
    values = records.entry_record(chain_org, entry).values
    assert list(values) == list(expected)
    assert values == expected


def test_entries_read_with_their_siblings_are_in_entry_number_order(chain_org: UnitOfWork) -> None:
    send(chain_org)  # 1 Approved (the requester's), 2 Open, 3 Created
    # the index the reads use ends with the status: it has them as 1, 3, 2
    for key in ("3", "1"):
        as_new_unit(chain_org)  # as a new unit of work
        entry = records.entry_by_key(chain_org, key)
        assert entry is not None
        siblings = records.cached_record_entries(chain_org, entry.record_type, entry.record_key,
                                                 entry.instance_id)
        assert [e.entry_no for e in siblings] == sorted(e.entry_no for e in siblings) == [1, 2, 3]
    as_new_unit(chain_org)
    scope, _ = make_scope(chain_org, purchase(), "REQ")
    svc = ApprovalService(scope)
    assert [e.entry_no for e in svc._entries()] == [1, 2, 3]


def test_an_entrys_values_are_its_fields_by_column(chain_org: UnitOfWork) -> None:
    send(chain_org)
    entry = records.entry_by_key(chain_org, "2")
    assert entry is not None
    values = entry.values()
    assert list(values) == list(rows.ENTRY_FIELDS)
    assert values == {name: getattr(entry, name) for name in rows.ENTRY_FIELDS}


# PostgreSQL only: SQLite serialises writers itself (BEGIN IMMEDIATE)
@pytest.mark.parametrize("engine_url", [pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
def test_an_action_that_waited_for_the_lock_counts_the_comment_committed_meanwhile(engine_url: str) -> None:
    """On the engine's path (a unit of work begun on the driver, in pipeline mode on PostgreSQL) the
    locking read of a request and its comment count are sent together; the count runs once the lock
    is held, so it sees the comment the transaction that held the lock added."""
    from apptools import group

    sa = make_engine(engine_url)
    upgrade(sa)
    clock = VirtualClock(START)
    first: UnitOfWork | None = None
    try:
        with Session(sa) as s, s.begin():
            uow = UnitOfWork(s, clock, SequentialIds())
            for uid in ("FIN1", "FIN2", "REQ"):
                user(uow, uid, "")
            group(uow, "FIN", [("FIN1", 1), ("FIN2", 1)])
            send(uow, approver_type="Workflow User Group", workflow_user_group="FIN")
            uow.flush()
        with Session(sa) as s:
            numbers = {e.approver_id: str(e.entry_no) for e in s.scalars(select(ApprovalEntry))}
        first = UnitOfWork.begin(sa, clock, SequentialIds(start=100))
        actions.approve(first, numbers["FIN1"], "FIN1", "see the freight costs")  # holds the lock
        seen: list[object] = []

        def second() -> None:
            uow2 = UnitOfWork.begin(sa, clock, SequentialIds(start=200))
            try:
                seen.append(actions.approve(uow2, numbers["FIN2"], "FIN2").record.values["comment"])
                uow2.commit()
            except BaseException:
                uow2.rollback()
                raise

        worker = threading.Thread(target=second)
        worker.start()
        worker.join(0.5)
        assert worker.is_alive() and not seen  # waiting for the lock
        first.commit()
        first = None
        worker.join(10)
        assert seen == [True]
    finally:
        if first is not None:
            first.rollback()
        sa.dispose()
