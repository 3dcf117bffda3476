"""Operations: liveness and readiness, the Prometheus metrics (counters of this process, queue depths
read from the store), what runs beside the app, and the listening socket of `wf serve`."""

from __future__ import annotations

import socket

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from werkstroom import Engine
from werkstroom.service.app import create_app
from werkstroom.service.serve import listen

from .conftest import Tokens, bearer, invoice


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready"}


def test_metrics_count_requests_and_events_and_read_the_queues_from_the_store(
        client: TestClient, tokens: Tokens, engine: Engine) -> None:
    for no in ("PI-0", "PI-1", "PI-2", "PI-0"):  # the second PI-0 is refused: WF516
        client.post("/api/v1/events", json={"event": "PurchaseDocSentForApproval", "record": invoice(no),
                                           "user": "BUYER"}, headers=bearer(tokens.events))
    (first, *_) = engine.approval_entries(approver="FINANCE", status="Open")
    client.post(f"/api/v1/approval-entries/{first.entry_no}/approve", headers=bearer(tokens.finance))
    client.get("/api/v1/me", headers={"Authorization": "Bearer wfk_nonsense"})
    answer = client.get("/metrics")
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    found = _samples(answer.text)
    assert found[("werkstroom_events_total", (("action", "emit"), ("outcome", "handled")))] == 3
    assert found[("werkstroom_events_total", (("action", "emit"), ("outcome", "refused")))] == 1
    assert found[("werkstroom_events_total", (("action", "approve"), ("outcome", "handled")))] == 1
    assert found[("werkstroom_event_seconds_count", (("action", "emit"),))] == 4
    assert found[("werkstroom_http_requests_total", (("method", "POST"), ("route", "/api/v1/events"),
                                                     ("status", "409")))] == 1
    approve = (("method", "POST"), ("route", "/api/v1/approval-entries/{entry}/approve"))
    assert found[("werkstroom_http_request_seconds_count", approve)] == 1
    assert found[("werkstroom_auth_failures_total", (("code", "WF801"),))] == 1
    queue = {dict(labels)["queue"]: value for (name, labels), value in found.items()
             if name == "werkstroom_queue_depth"}
    assert queue["approvals_open"] == len(engine.approval_entries(status="Open")) == 2
    assert queue["notifications"] == len(engine.waiting_notifications()) > 0
    assert queue["notifications_failed"] == 0 and queue["approvals_overdue"] == 0


def test_what_runs_beside_the_app_starts_and_stops_with_it(engine: Engine) -> None:
    seen: list[str] = []

    class Beside:
        def start(self) -> None:
            seen.append("start")

        def stop(self) -> None:
            seen.append("stop")

    app = create_app(engine)
    app.state.background.append(Beside())
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        assert seen == ["start"]
    assert seen == ["start", "stop"]


def test_the_listening_socket_gives_connections_tcp_nodelay() -> None:
    """asyncio sets TCP_NODELAY on a connection only when its socket names IPPROTO_TCP; without it a
    keep-alive answer written in two parts waits for the client's delayed ACK (about 40 ms)."""
    sock = listen("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
        with socket.create_connection(sock.getsockname()):
            accepted, _ = sock.accept()
            with accepted:
                assert accepted.proto == socket.IPPROTO_TCP
    finally:
        sock.close()
