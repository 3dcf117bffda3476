"""The `remind when overdue` option, written in a script: once a request is past due, the clock-driven
timers give its approver one overdue notice a day; without the option nothing is sent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import select

from werkstroom import deploy
from werkstroom.engine.approvals.setup import load_setup
from werkstroom.engine.clock import SequentialIds, VirtualClock
from werkstroom.engine.facade import Engine, open_engine
from werkstroom.store.notifications import NotificationEntry

SCRIPT = """\
workflow OVD-T "Overdue reminders"
  on PurchaseDocSentForApproval when document_type = Invoice then
     set status to pending approval
     create approval requests for direct approver, due in 1D{options}
     send approval requests
     on ApprovalRequestApproved when pending_approvals = 0 then release document
"""


@pytest.fixture()
def clock() -> VirtualClock:
    return VirtualClock(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC))


def engine_with(options: str, clock: VirtualClock, url: str) -> Engine:
    eng = open_engine(url, clock=clock, ids=SequentialIds())
    deploy(eng, SCRIPT.format(options=options), "overdue.wf")
    assert [d for d in eng.enable("OVD-T") if d.is_error] == []
    with eng.transaction() as uow:
        load_setup(uow, {"users": [{"id": "BOSS", "approver": "BOSS"}, {"id": "REQ", "approver": "BOSS"}]})
    eng.emit("PurchaseDocSentForApproval",
             {"document_type": "Invoice", "no": "9001", "status": "Open", "amount": Decimal(100)},
             user="REQ")
    return eng


def overdue_notices(eng: Engine) -> list[str]:
    with eng.transaction() as uow:
        rows = uow.session.scalars(
            select(NotificationEntry).where(NotificationEntry.entry_type == "Overdue")).all()
        return [r.recipient_id for r in rows]


@pytest.fixture()
def reminded(clock: VirtualClock, engine_url: str) -> Iterator[Engine]:
    eng = engine_with(", remind when overdue", clock, engine_url)
    yield eng
    eng.close()


def test_notice_once_a_day_while_overdue(reminded: Engine, clock: VirtualClock) -> None:
    reminded.run_timers()
    assert overdue_notices(reminded) == []  # due tomorrow: not overdue yet
    clock.advance(dt.timedelta(days=2))
    reminded.run_timers()
    assert overdue_notices(reminded) == ["BOSS"]
    reminded.run_timers()  # same day again: no second notice
    assert overdue_notices(reminded) == ["BOSS"]
    clock.advance(dt.timedelta(days=1))
    reminded.run_timers()
    assert overdue_notices(reminded) == ["BOSS", "BOSS"]


def test_without_the_option_no_notice(clock: VirtualClock, engine_url: str) -> None:
    eng = engine_with("", clock, engine_url)
    try:
        clock.advance(dt.timedelta(days=3))
        eng.run_timers()
        assert overdue_notices(eng) == []
    finally:
        eng.close()
