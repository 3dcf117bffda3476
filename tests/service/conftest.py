"""The service on SQLite and PostgreSQL: an engine with the example organisation and the PIAPW-EU
workflow enabled, tokens for every kind of principal, the app through the ASGI test client, and the
app served by a real uvicorn on 127.0.0.1 (a free port)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from werkstroom import Engine, VirtualClock, deploy, open_engine
from werkstroom.service.app import create_app
from werkstroom.service.auth import tokens as token_store
from werkstroom.service.serve import config, listen
from werkstroom.service.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
ORGANISATION = ROOT / "examples" / "organisation.toml"
SCRIPT = ROOT / "examples" / "purchase-invoice-eu.wf"
# the example with BC's cancel step (MS-PIAPW's), so that a cancelled request cancels its entries
CANCEL_STEP = """
     on PurchaseDocApprovalRequestCanceled
        when document_type = Invoice and status = "Pending Approval"
     then
        cancel all approval requests
        allow record usage
        reopen document
"""
SCRIPT_TEXT = SCRIPT.read_text(encoding="utf-8").rstrip("\n") + "\n" + CANCEL_STEP


def invoice(no: str, amount: str = "4500", purchaser: str = "BY") -> dict[str, Any]:
    return {"document_type": "Invoice", "no": no, "status": "Open", "amount": amount, "amount_lcy": amount,
            "purchaser_code": purchaser}


def prepared(url: str, clock: VirtualClock | None = None) -> Engine:
    """An engine on ``url`` with the example organisation loaded and PIAPW-EU enabled."""
    eng = open_engine(url, clock=clock or VirtualClock())
    eng.load_setup(ORGANISATION)
    deploy(eng, SCRIPT_TEXT, str(SCRIPT))
    eng.enable("PIAPW-EU")
    return eng


@attrs.frozen
class Tokens:
    """A token for each kind of principal."""

    events: str  # system erp: events
    records: str  # system reader: records
    admin: str  # system ops: admin
    finance: str  # user FINANCE: the approver of BUYER's invoices
    buyer: str  # user BUYER: the sender
    controller: str  # user CONTROLLER: the approval administrator
    clerk: str  # user CLERK: another user


def make_tokens(eng: Engine) -> Tokens:
    def new(**kwargs: Any) -> str:
        return token_store.create(eng, **kwargs)[0]

    return Tokens(events=new(system="erp", scopes=["events"]),
                  records=new(system="reader", scopes=["records"]), admin=new(system="ops", scopes=["admin"]),
                  finance=new(user="FINANCE"),
                  buyer=new(user="BUYER"), controller=new(user="CONTROLLER"), clerk=new(user="CLERK"))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


@pytest.fixture
def engine(engine_url: str, clock: VirtualClock) -> Iterator[Engine]:
    eng = prepared(engine_url, clock)
    try:
        yield eng
    finally:
        eng.close()


@pytest.fixture
def tokens(engine: Engine) -> Tokens:
    return make_tokens(engine)


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def app(engine: Engine, settings: Settings) -> FastAPI:
    return create_app(engine, settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


class LiveServer:
    """The app served by uvicorn in a thread, on a free port of 127.0.0.1."""

    def __init__(self, app: FastAPI, settings: Settings) -> None:
        self.sock = listen("127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(config(app, settings))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert self.thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(30)
        self.sock.close()


@pytest.fixture
def live(app: FastAPI, settings: Settings) -> Iterator[httpx.Client]:
    """An HTTP client of the app served by a real uvicorn on 127.0.0.1."""
    with LiveServer(app, settings) as server, httpx.Client(base_url=server.url, timeout=60) as http:
        yield http
