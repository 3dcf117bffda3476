"""The inbox on SQLite and PostgreSQL: an engine with the example organisation (the CEO reads Dutch,
the others English) and the example's invoice approval with BC's cancel step enabled
(invoice-approval.wf), passwords for the users, and three invoices
BUYER sent (PI-1001 4,500: FINANCE approves; PI-1002 25,000: FINANCE then the CEO; PI-1003 1,200:
FINANCE)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from werkstroom import Engine, VirtualClock, deploy, open_engine
from werkstroom.service.inbox import passwords

ROOT = Path(__file__).resolve().parents[2]
ORGANISATION = ROOT / "examples" / "organisation.toml"
SCRIPT = Path(__file__).with_name("invoice-approval.wf")
PASSWORD = "correct horse battery"
START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def invoice(no: str, amount: str) -> dict[str, Any]:
    return {"document_type": "Invoice", "no": no, "status": "Open", "amount": amount, "amount_lcy": amount,
            "purchaser_code": "BY", "buy_from_vendor_no": "V100",
            "lines": [{"line_no": 10000, "type": "Item", "no": "PAPER", "quantity": "100",
                       "direct_unit_cost": "45", "line_amount": amount}]}


def prepared(url: str, clock: VirtualClock, script: Path = SCRIPT) -> Engine:
    eng = open_engine(url, clock=clock)
    eng.load_setup(ORGANISATION)
    for deployed in deploy(eng, script.read_text(encoding="utf-8"), str(script)):
        eng.enable(deployed.code)
    for no, amount in (("PI-1001", "4500"), ("PI-1002", "25000"), ("PI-1003", "1200")):
        eng.emit("PurchaseDocSentForApproval", invoice(no, amount), user="BUYER")
    for user in ("FINANCE", "CEO", "BUYER", "CONTROLLER", "CLERK"):
        passwords.set_password(eng, user, PASSWORD)
    return eng


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(START)


@pytest.fixture
def engine(engine_url: str, clock: VirtualClock) -> Iterator[Engine]:
    eng = prepared(engine_url, clock)
    try:
        yield eng
    finally:
        eng.close()


def open_entry(eng: Engine, user: str, document_no: str) -> int:
    """The number of ``user``'s Open entry for the invoice ``document_no``."""
    [found] = [e for e in eng.approval_entries(approver=user, status="Open") if e.document_no == document_no]
    return found.entry_no


def inbox_app(eng: Engine, base: str = "http://testserver") -> Any:
    """The service's app on ``eng``, its inbox linking to ``base``; five failed sign-ins from one
    address block it for a minute."""
    from werkstroom.service.app import create_app
    from werkstroom.service.settings import Settings

    return create_app(eng, Settings(base_url=base, auth_failures=5, auth_block=60))


@pytest.fixture
def client(engine: Engine) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    with TestClient(inbox_app(engine), follow_redirects=False) as tc:
        yield tc


class Mailbox:
    """An SMTP server on 127.0.0.1 (aiosmtpd) keeping what it receives: (from, to, content)."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.port = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    import socket

    from aiosmtpd.controller import Controller

    found = Mailbox()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        found.port = int(s.getsockname()[1])
    controller = Controller(found, hostname="127.0.0.1", port=found.port)
    controller.start()
    try:
        yield found
    finally:
        controller.stop()
