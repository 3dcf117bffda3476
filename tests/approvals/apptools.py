"""Fixtures: an in-memory SQLite session inside a transaction, a virtual clock, readable ids, and a
RunScope factory that records raised events, timeline lines and outbox effects."""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

import werkstroom.store.approvals
import werkstroom.store.notifications  # noqa: F401
from werkstroom.engine.approvals.records import forget_setups
from werkstroom.engine.approvals.rows import SimpleRecord
from werkstroom.engine.clock import SequentialIds, VirtualClock
from werkstroom.engine.unit import RunScope, UnitOfWork
from werkstroom.store.approvals import ApprovalUserSetup, WorkflowUserGroup, WorkflowUserGroupMember
from werkstroom.store.metadata import Base

START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)  # a Monday


# The service tests run on in-memory SQLite; WERKSTROOM_APPROVALS_TEST_DB names another database
# (e.g. a PostgreSQL URL with its own search_path) to run them there. Each test rolls back.
TEST_DB = os.environ.get("WERKSTROOM_APPROVALS_TEST_DB", "sqlite://")


@pytest.fixture()
def uow() -> Iterator[UnitOfWork]:
    engine = create_engine(TEST_DB)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.begin()
        try:
            yield UnitOfWork(session=session, clock=VirtualClock(START), ids=SequentialIds())
        finally:
            session.rollback()
    engine.dispose()


@attrs.define
class Recorder:
    events: list[tuple[str, Any]] = attrs.field(factory=list)
    lines: list[str] = attrs.field(factory=list)
    effects: list[tuple[str, dict[str, object]]] = attrs.field(factory=list)


def make_scope(uow: UnitOfWork, document: SimpleRecord, user: str, *, instance: str = "instance-1",
               event_record: SimpleRecord | None = None, rec: Recorder | None = None,
               workflow: str = "PIAPW") -> tuple[RunScope, Recorder]:
    rec = rec or Recorder()
    scope = RunScope(
        uow=uow, instance_id=instance, workflow_code=workflow, workflow_description="test workflow",
        document=document, event_record=event_record or document, user=user,
        raise_event=lambda name, record: rec.events.append((name, record)),
        explain=rec.lines.append,
        emit_effect=lambda kind, payload: rec.effects.append((kind, payload)),
    )
    return scope, rec


def user(uow: UnitOfWork, uid: str, approver: str = "", **kw: Any) -> ApprovalUserSetup:
    defaults: dict[str, Any] = {
        "salespers_purch_code": "", "sales_amount_approval_limit": Decimal(0),
        "unlimited_sales_approval": False, "purchase_amount_approval_limit": Decimal(0),
        "unlimited_purchase_approval": False, "request_amount_approval_limit": Decimal(0),
        "unlimited_request_approval": False, "substitute": "", "email": f"{uid.lower()}@example.com",
        "approval_administrator": False, "time_zone": "UTC",
    }
    defaults.update(kw)
    row = ApprovalUserSetup(user_id=uid, approver_id=approver, **defaults)
    uow.session.add(row)
    uow.session.flush()
    forget_setups(uow)  # the unit of work reads the changed setup when next needed
    return row


def group(uow: UnitOfWork, code: str, members: list[tuple[str, int]]) -> None:
    uow.session.add(WorkflowUserGroup(code=code, description=code))
    for uid, seq in members:
        uow.session.add(WorkflowUserGroupMember(group_code=code, user_id=uid, sequence_no=seq))
    uow.session.flush()


def purchase(no: str = "1001", amount: str = "5000", doc_type: str = "Invoice",
             **values: Any) -> SimpleRecord:
    v: dict[str, Any] = {"document_type": doc_type, "no": no, "amount": Decimal(amount),
                         "amount_lcy": Decimal(amount), "purchaser_code": "", "currency_code": ""}
    v.update(values)
    return SimpleRecord("PurchaseHeader", f"{doc_type}|{no}", v)


def sales(no: str = "S1", amount: str = "5000", **values: Any) -> SimpleRecord:
    v: dict[str, Any] = {"document_type": "Order", "no": no, "amount": Decimal(amount),
                         "amount_lcy": Decimal(amount), "salesperson_code": ""}
    v.update(values)
    return SimpleRecord("SalesHeader", f"Order|{no}", v)


@pytest.fixture()
def chain_org(uow: UnitOfWork) -> UnitOfWork:
    """REQ (no authority) -> ANN (1,000) -> BOB (10,000) -> CEO (top of chain); ADMIN administrator."""
    user(uow, "CEO", "CEO")
    user(uow, "BOB", "CEO", purchase_amount_approval_limit=Decimal(10000),
         sales_amount_approval_limit=Decimal(10000), request_amount_approval_limit=Decimal(10000))
    user(uow, "ANN", "BOB", purchase_amount_approval_limit=Decimal(1000),
         sales_amount_approval_limit=Decimal(1000), request_amount_approval_limit=Decimal(1000))
    user(uow, "REQ", "ANN")
    user(uow, "ADMIN", "", approval_administrator=True)
    return uow


# --------------------------------------------------------------------------- a real SMTP server


class Sink:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def smtp_server() -> Iterator[tuple[Sink, int]]:
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()
