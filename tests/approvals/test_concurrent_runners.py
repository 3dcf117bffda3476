"""Several programs on one store at once, each a separate OS process with its own engine (see racers.py):
opening a fresh store, notification dispatchers, timer runners. Each piece of work is done exactly once
and no process fails. On PostgreSQL the processes really run side by side; on SQLite they take turns
(one writer at a time), which must keep working."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections import Counter
from decimal import Decimal
from email import message_from_bytes
from typing import Any

import pytest
import racers
from aiosmtpd.controller import Controller
from apptools import Sink, free_port
from racers import PROCESSES, Failed, race
from sqlalchemy import select

from werkstroom import deploy
from werkstroom.engine.approvals.setup import load_setup
from werkstroom.engine.clock import VirtualClock
from werkstroom.engine.facade import Engine, open_engine
from werkstroom.engine.notifications.service import add_entry
from werkstroom.store.approvals import ApprovalAudit, ApprovalEntry, OverdueApprovalEntry
from werkstroom.store.database import SCHEMA_VERSION, SchemaVersion
from werkstroom.store.notifications import NotificationEntry, SentNotification

START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)  # a Monday


def no_failures(results: list[object]) -> None:
    failed = [r for r in results if isinstance(r, Failed)]
    last = failed[0].strip().splitlines()[-3:] if failed else []  # the error, not the whole traceback
    assert not failed, f"{len(failed)} of {len(results)} processes failed; the first:\n" + "\n".join(last)


# ----------------------------------------------------------------------------- a fresh store


def test_processes_opening_a_fresh_store_at_once_all_succeed(fresh_url: str) -> None:
    results = race(racers.open_store, PROCESSES, fresh_url)
    no_failures(results)
    assert results == ["opened"] * PROCESSES
    with open_engine(fresh_url) as eng, eng.transaction() as uow:
        versions = uow.session.scalars(select(SchemaVersion.version)).all()
    assert versions == [SCHEMA_VERSION]


# ----------------------------------------------------------------------------- notification dispatchers

RECIPIENTS = 6
NOTICES = 36


def test_dispatchers_at_once_send_every_notice_once(engine_url: str,
                                                     smtp_server: tuple[Sink, int]) -> None:
    sink, port = smtp_server
    with open_engine(engine_url, clock=VirtualClock(START)) as eng:
        with eng.transaction() as uow:
            load_setup(uow, {
                "users": [{"id": f"U{i}", "approver": f"U{i}", "email": f"u{i}@example.test"}
                          for i in range(RECIPIENTS)],
                "smtp": {"host": "127.0.0.1", "port": port, "sender": "workflow@example.test"}})
        with eng.transaction() as uow:
            for n in range(NOTICES):
                add_entry(uow, entry_type_="Approval", recipient=f"U{n % RECIPIENTS}", sender="REQ",
                          record_type="PurchaseHeader", record_key=f"Invoice|{n}",
                          message=f"notice N{n:03} to approve")
        results = race(racers.dispatch_due, PROCESSES, engine_url, START + dt.timedelta(minutes=1))
        no_failures(results)
        assert sum(sent for sent, _ in results) == NOTICES
        assert [failed for _, failed in results] == [0] * PROCESSES
        with eng.transaction() as uow:
            assert uow.session.scalars(select(NotificationEntry)).all() == []
            assert len(uow.session.scalars(select(SentNotification)).all()) == NOTICES
    delivered: Counter[str] = Counter()
    for _, rcpt, content in sink.messages:
        body = message_from_bytes(content).get_payload(decode=True)
        assert isinstance(body, bytes)
        for line in body.decode().splitlines():
            if line.startswith("- notice "):
                delivered[f"{rcpt[0]} {line.split()[2]}"] += 1
    assert delivered == Counter({f"u{n % RECIPIENTS}@example.test N{n:03}": 1 for n in range(NOTICES)})


class HoldFirst(Sink):
    """An SMTP server that keeps the first message's sender waiting (until ``release``)."""

    def __init__(self) -> None:
        super().__init__()
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if not self.holding.is_set():
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
            return "451 not now"
        return await super().handle_DATA(server, session, envelope)


# PostgreSQL only: on SQLite (one writer at a time) a second dispatcher waits for the first
@pytest.mark.parametrize("engine_url", [pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
def test_a_dispatcher_killed_while_sending_leaves_its_entries_to_the_next(engine_url: str) -> None:
    sink = HoldFirst()
    port = free_port()
    server = Controller(sink, hostname="127.0.0.1", port=port)
    server.start()
    try:
        with open_engine(engine_url, clock=VirtualClock(START)) as eng:
            with eng.transaction() as uow:
                load_setup(uow, {"users": [{"id": "ANN", "approver": "ANN", "email": "ann@example.test"}],
                                 "smtp": {"host": "127.0.0.1", "port": port, "sender": "wf@example.test",
                                          "timeout_seconds": 60}})
                for n in range(3):
                    add_entry(uow, entry_type_="Approval", recipient="ANN", sender="REQ",
                              message=f"notice N{n:03} to approve")
            later = START + dt.timedelta(minutes=1)
            first, _answer = racers.start(racers.dispatch_due, engine_url, later)
            assert sink.holding.wait(30), "the first dispatcher did not send"
            # the entries are claimed by the first dispatcher, which is sending them: skipped
            assert racers.dispatch_due(engine_url, later) == (0, 0)
            first.kill()  # stopped before its commit: the database rolls its transaction back
            first.join(10)
            assert racers.dispatch_due(engine_url, later) == (3, 0)
            with eng.transaction() as uow:
                assert uow.session.scalars(select(NotificationEntry)).all() == []
        assert len(sink.messages) == 1 and b"N002" in sink.messages[0][2]
    finally:
        sink.release.set()
        server.stop()


# ----------------------------------------------------------------------------- timer runners

BOARD = ("ANN", "BOB", "CAT")  # approve together: three Open entries per request
INVOICES = 6
SCRIPT = """\
workflow RACE-T "Delegation and reminders"
  on PurchaseDocSentForApproval when document_type = Invoice then
     set status to pending approval
     create approval requests for group BOARD, due in 1D, delegate after 2D, remind when overdue
     send approval requests
"""


def board_engine(url: str) -> Engine:
    eng = open_engine(url, clock=VirtualClock(START))
    with eng.transaction() as uow:
        load_setup(uow, {
            # ANN's requests are delegated to SANN, whose requests would go on to TANN
            "users": [{"id": "REQ", "approver": "ANN"}]
            + [{"id": f"{p}{u}", "approver": f"{p}{u}", "substitute": f"{n}{u}"}
               for u in BOARD for p, n in (("", "S"), ("S", "T"), ("T", ""))],
            "groups": [{"code": "BOARD", "members": [{"user": u, "sequence": 1} for u in BOARD]}]})
    deploy(eng, SCRIPT, "race.wf")
    assert [d for d in eng.enable("RACE-T") if d.is_error] == []
    for n in range(INVOICES):
        eng.emit("PurchaseDocSentForApproval", {"document_type": "Invoice", "no": f"R{n}", "status": "Open",
                                                "amount": Decimal(100)}, user="REQ")
    return eng


def test_timer_runners_at_once_fire_every_timer_once(engine_url: str) -> None:
    with board_engine(engine_url) as eng:
        with eng.transaction() as uow:
            entries = uow.session.scalars(select(ApprovalEntry).where(ApprovalEntry.status == "Open")).all()
            approvers = {e.id: e.approver_id for e in entries}
        assert len(approvers) == INVOICES * len(BOARD)
        # three days on: every entry is due for delegation (after 2D) and overdue (due in 1D)
        results = race(racers.run_timers, PROCESSES, engine_url, START + dt.timedelta(days=3))
        no_failures(results)
        assert sum(results) == len(approvers)  # type: ignore[arg-type]
        with eng.transaction() as uow:
            s = uow.session
            delegated = Counter(s.scalars(select(ApprovalAudit.entry_id).where(
                ApprovalAudit.action == "delegate")))
            reminded = Counter(s.scalars(select(OverdueApprovalEntry.entry_id)))
            notices = Counter(s.scalars(select(NotificationEntry.approval_entry_id).where(
                NotificationEntry.entry_type == "Overdue")))
            now_with = {e.id: e.approver_id for e in s.scalars(select(ApprovalEntry))}
    once = Counter(dict.fromkeys(approvers, 1))
    assert (delegated, reminded, notices) == (once, once, once)
    assert now_with == {i: f"S{a}" for i, a in approvers.items()}  # delegated once, to the substitute
