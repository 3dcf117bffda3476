"""Refusals are RFC 9457 problem details with their WF code and the status of the one table, and
change nothing: the service's own codes WF805-WF810, WF813-WF815, and the engine's through HTTP."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from werkstroom import Engine
from werkstroom.cli import main
from werkstroom.codes import CODES
from werkstroom.service.app import create_app
from werkstroom.service.problems import STATUS, status_of
from werkstroom.service.settings import Settings

from .conftest import Tokens, bearer, invoice
from .store_state import snapshot

SEND = "PurchaseDocSentForApproval"


def _refused(answer: object, status: int, code: str) -> dict[str, object]:
    response = answer  # an httpx.Response
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]
    problem: dict[str, object] = response.json()  # type: ignore[attr-defined]
    assert problem["code"] == code and problem["status"] == status
    assert problem["type"] == f"/problems/{code}" and problem["title"] == CODES[code].title
    return problem


@pytest.fixture
def sent(client: TestClient, tokens: Tokens) -> int:
    """The entry number of FINANCE's open entry on BUYER's invoice PI-1."""
    client.post("/api/v1/events", json={"event": SEND, "record": invoice("PI-1"), "user": "BUYER"},
                headers=bearer(tokens.events))
    page = client.get("/api/v1/approval-entries", headers=bearer(tokens.finance)).json()
    return int(page["items"][0]["entry_no"])


def test_every_code_has_a_status_and_the_table_names_only_declared_codes() -> None:
    assert set(STATUS) <= set(CODES)
    assert {c for c in CODES if "WF800" <= c <= "WF819"} <= set(STATUS)


def test_refusals_of_users_and_systems_change_nothing(client: TestClient, tokens: Tokens, engine: Engine,
                                                     sent: int) -> None:
    before = snapshot(engine)
    # WF805: another user's entries, an entry and a record of others
    clerk, records = bearer(tokens.clerk), bearer(tokens.records)
    others = {"approver": "FINANCE"}
    _refused(client.get("/api/v1/approval-entries", params=others, headers=clerk), 403, "WF805")
    _refused(client.get(f"/api/v1/approval-entries/{sent}", headers=bearer(tokens.clerk)), 403, "WF805")
    _refused(client.get("/api/v1/records/PurchaseHeader/Invoice%7CPI-1", headers=bearer(tokens.clerk)),
             403, "WF805")
    # WF806: a system never approves, and `me` names no system
    _refused(client.post(f"/api/v1/approval-entries/{sent}/approve", headers=records), 403, "WF806")
    _refused(client.get("/api/v1/approval-entries", params={"sender": "me"}, headers=bearer(tokens.records)),
             403, "WF806")
    # the engine's rules through HTTP: not the approver (WF612), not open (WF611), no such entry (WF615)
    _refused(client.post(f"/api/v1/approval-entries/{sent}/approve", headers=clerk), 403, "WF612")
    _refused(client.post("/api/v1/approval-entries/1/approve", headers=bearer(tokens.finance)), 409, "WF611")
    _refused(client.post("/api/v1/approval-entries/999/reject", headers=bearer(tokens.finance)), 404, "WF615")
    _refused(client.post("/api/v1/events", json={"event": "NoSuchEvent", "record": {}, "user": "BUYER"},
                         headers=bearer(tokens.events)), 422, "WF503")
    assert snapshot(engine) == before


def test_requests_of_the_wrong_shape_or_unreadable_bodies_change_nothing(client: TestClient, tokens: Tokens,
                                                                        engine: Engine) -> None:
    before = snapshot(engine)
    events = {**bearer(tokens.events), "Content-Type": "application/json"}
    problem = _refused(client.post("/api/v1/events", json={"event": SEND, "user": "BUYER"}, headers=events),
                       422, "WF807")
    assert problem["errors"] == [{"loc": ["body", "record"], "msg": "Field required", "type": "missing"}]
    _refused(client.post("/api/v1/events", json={"event": SEND, "record": {}, "user": "B", "extra": 1},
                         headers=events), 422, "WF807")
    _refused(client.get("/api/v1/outbox", params={"limit": "ten"}, headers=events), 422, "WF807")
    _refused(client.get("/api/v1/outbox", params={"limit": 5000}, headers=events), 422, "WF807")
    _refused(client.get("/api/v1/outbox", params={"limit": 0}, headers=events), 422, "WF532")  # the engine's
    _refused(client.post("/api/v1/events", content=b'{"event": ', headers=events), 400, "WF808")
    _refused(client.post("/api/v1/events", content=b'{"event": "E", "record": {"amount": NaN}, "user": "U"}',
                         headers=events), 400, "WF808")
    _refused(client.post("/api/v1/events", content=b'{"event": "E", "record": {}, "user": "U"}',
                         headers={**events, "Content-Type": "text/plain"}), 400, "WF808")
    _refused(client.post("/api/v1/events", content=b'{"event": "\xff"}', headers=events), 400, "WF808")
    _refused(client.post("/api/v1/events", headers=events), 422, "WF807")
    finance = {**bearer(tokens.finance), "Content-Type": "application/json"}
    problem = _refused(client.post("/api/v1/approval-entries/1/approve", json={"comment": 5},
                                   headers=finance), 422, "WF807")
    assert problem["errors"] == [{"loc": ["body", "comment"], "msg": "Input should be a valid string",
                                  "type": "string_type"}]
    admin = {**bearer(tokens.admin), "Content-Type": "text/plain"}
    _refused(client.post("/api/v1/workflows", content=b"on \xff", headers=admin), 400, "WF808")
    _refused(client.put("/api/v1/setup", content=b"[[users]\n", headers=admin), 400, "WF808")
    _refused(client.get("/api/v1/nothing", headers=events), 404, "WF810")
    _refused(client.get("/api/v1/events", headers=events), 405, "WF810")
    assert snapshot(engine) == before


def test_a_body_over_the_limit_is_refused_WF809(engine: Engine, tokens: Tokens) -> None:
    with TestClient(create_app(engine, Settings(max_body_bytes=2000))) as client:
        before = snapshot(engine)
        record = {**invoice("PI-9"), "description": "x" * 3000}
        body = {"event": SEND, "record": record, "user": "BUYER"}
        _refused(client.post("/api/v1/events", json=body, headers=bearer(tokens.events)), 413, "WF809")
        chunks = (part.encode() for part in json.dumps(body).partition("description"))  # no Content-Length
        headers = {**bearer(tokens.events), "Content-Type": "application/json"}
        _refused(client.post("/api/v1/events", content=chunks, headers=headers), 413, "WF809")
        assert snapshot(engine) == before


def test_an_unexpected_exception_is_a_500_with_a_request_id_WF814(engine: Engine) -> None:
    app: FastAPI = create_app(engine)

    @app.get("/broken")
    def broken() -> None:
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as client:
        answer = client.get("/broken")
    problem = _refused(answer, 500, "WF814")
    assert problem["request_id"] == answer.headers["x-request-id"]
    assert "a bug" not in str(problem["detail"])


def test_a_cancel_no_step_of_the_workflow_takes_is_a_409_WF517_and_changes_nothing(engine_url: str) -> None:
    # the example as it is: PIAPW-EU has no step for PurchaseDocApprovalRequestCanceled
    from werkstroom import deploy, open_engine

    from .conftest import ORGANISATION, SCRIPT, make_tokens

    eng = open_engine(engine_url)
    try:
        eng.load_setup(ORGANISATION)
        deploy(eng, SCRIPT.read_text(encoding="utf-8"), str(SCRIPT))
        eng.enable("PIAPW-EU")
        tokens = make_tokens(eng)
        with TestClient(create_app(eng, Settings())) as client:
            client.post("/api/v1/events", json={"event": SEND, "record": invoice("PI-1"), "user": "BUYER"},
                        headers=bearer(tokens.events))
            [entry] = eng.approval_entries(status="Open")
            before = snapshot(eng)
            answer = client.post(f"/api/v1/approval-entries/{entry.entry_no}/cancel",
                                 headers={**bearer(tokens.buyer), "Idempotency-Key": "cancel-PI-1"})
            problem = _refused(answer, 409, "WF517")
            assert str(problem["detail"]).startswith(
                f"nothing waits for the cancel: no step of instance {entry.instance_id} of workflow PIAPW-EU "
                "on PurchaseHeader Invoice|PI-1 waits for PurchaseDocApprovalRequestCanceled")
            assert snapshot(eng) == before
    finally:
        eng.close()


def test_a_problem_type_explains_its_code(client: TestClient) -> None:
    text = client.get("/problems/WF803").text
    assert text.startswith(f"WF803 (error): {CODES['WF803'].title}") and "Retry-After" in text
    _refused(client.get("/problems/WF899"), 404, "WF810")


def test_status_of_a_response_that_refused_with_its_own_code() -> None:
    from werkstroom.engine.run import ResponseFailed

    coded = ResponseFailed("x", workflow="W", step=1, response="r", original=KeyError(), trace="")
    assert status_of(coded) == 500
    coded.original_code = "WF602"
    assert status_of(coded) == 422


@pytest.fixture
def held_port() -> Iterator[int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


def test_serve_on_a_port_in_use_is_refused_WF815(held_port: int, tmp_path: object,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--db", f"sqlite:///{tmp_path}/w.db", "serve", "--port", str(held_port)])
    assert done.value.code == 2
    assert "[WF815]" in capsys.readouterr().err


class Forwarder:
    """A TCP forwarder to the database that can be stopped and started: the store going away and back."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.open = True
        self.conns: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            if not self.open:
                client.close()
                continue
            server = socket.create_connection(self.target)
            self.conns += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        for s in (a, b):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.open = False
        for s in self.conns:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
        self.conns = []

    def close(self) -> None:
        self.cut()
        self.sock.close()


@pytest.mark.postgres
@pytest.mark.parametrize("engine_url", ["postgresql"], indirect=True)
def test_readyz_answers_503_while_the_database_is_away_WF813(engine_url: str, tokens: Tokens) -> None:
    from sqlalchemy.engine import make_url

    from werkstroom import open_engine

    url = make_url(engine_url)
    forwarder = Forwarder(url.host or "127.0.0.1", url.port or 5432)
    proxied = url.set(host="127.0.0.1", port=forwarder.port).render_as_string(hide_password=False)
    eng = open_engine(proxied)
    try:
        with TestClient(create_app(eng)) as client:
            assert client.get("/readyz").json() == {"status": "ready"}
            assert client.get("/api/v1/me", headers=bearer(tokens.finance)).status_code == 200
            forwarder.cut()
            _refused(client.get("/readyz"), 503, "WF813")
            _refused(client.get("/api/v1/me", headers=bearer(tokens.finance)), 503, "WF813")
            assert client.get("/healthz").status_code == 200
            forwarder.open = True
            assert client.get("/readyz").status_code == 200
            assert client.get("/api/v1/me", headers=bearer(tokens.finance)).status_code == 200
    finally:
        eng.close()
        forwarder.close()
