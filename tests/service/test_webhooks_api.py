"""Webhooks over the HTTP API (admin scope), their refusals as problems, their metrics, and the whole
story through a real uvicorn with the worker inside (`wf serve --with-worker`): an invoice emitted and
approved over HTTP, the document.released webhook arriving signed at a receiver."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from werkstroom import Engine
from werkstroom.service.app import create_app
from werkstroom.service.settings import Settings
from werkstroom.service.webhooks import Webhooks
from werkstroom.service.worker import beside_server

from .conftest import LiveServer, Tokens, bearer, invoice
from .hooklib import Receiver, wait_for

HOOKS = "/api/v1/webhooks"


def _refused(answer: httpx.Response, status: int, code: str) -> None:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == code


def test_admin_subscribes_lists_pauses_resumes_and_removes(client: TestClient, tokens: Tokens) -> None:
    admin = bearer(tokens.admin)
    made = client.post(HOOKS, json={"url": "https://erp.example.com/hooks", "kinds": ["document.*"],
                                    "description": "ERP"}, headers=admin)
    assert made.status_code == 201, made.text
    sub = made.json()
    assert sub["secret"].startswith("whsec_") and sub["kinds"] == ["document.*"] and sub["active"] is True
    listed = client.get(HOOKS, headers=admin).json()
    assert [s["id"] for s in listed] == [sub["id"]] and "secret" not in listed[0]
    paused = client.patch(f"{HOOKS}/{sub['id']}", json={"active": False}, headers=admin).json()
    assert paused["active"] is False
    assert client.get(f"{HOOKS}/{sub['id']}", headers=admin).json()["active"] is False
    assert client.patch(f"{HOOKS}/{sub['id']}", json={"active": True}, headers=admin).json()["active"]
    assert client.delete(f"{HOOKS}/{sub['id']}", headers=admin).json()["id"] == sub["id"]
    assert client.get(HOOKS, headers=admin).json() == []
    kinds = client.get("/api/v1/webhook-kinds", headers=admin).json()
    assert "document.released" in kinds and "record.field_applied" in kinds


def test_only_an_admin_token_manages_webhooks(client: TestClient, tokens: Tokens) -> None:
    for token in (tokens.events, tokens.records, tokens.finance, tokens.controller):
        _refused(client.get(HOOKS, headers=bearer(token)), 403, "WF804")
        wanted = {"url": "https://x.example/h", "kinds": ["*"]}
        _refused(client.post(HOOKS, json=wanted, headers=bearer(token)), 403, "WF804")
        _refused(client.get("/api/v1/webhook-deliveries", headers=bearer(token)), 403, "WF804")
    _refused(client.get(HOOKS), 401, "WF800")


def test_refusals_are_problems_and_change_nothing(client: TestClient, tokens: Tokens, engine: Engine) -> None:
    admin = bearer(tokens.admin)
    _refused(client.post(HOOKS, json={"url": "erp/hooks", "kinds": ["*"]}, headers=admin), 422, "WF820")
    _refused(client.post(HOOKS, json={"url": "http://erp/h", "kinds": ["document.relased"]}, headers=admin),
             422, "WF821")
    _refused(client.post(HOOKS, json={"url": "http://erp/h", "kinds": ["*"], "secret": "short"},
                         headers=admin), 422, "WF825")
    _refused(client.post(HOOKS, json={"url": "http://erp/h", "kinds": "*"}, headers=admin), 422, "WF807")
    _refused(client.patch(f"{HOOKS}/7", json={"active": False}, headers=admin), 404, "WF822")
    _refused(client.delete(f"{HOOKS}/7", headers=admin), 404, "WF822")
    _refused(client.post("/api/v1/webhook-deliveries/7/replay", headers=admin), 404, "WF823")
    _refused(client.get("/api/v1/webhook-deliveries", params={"limit": 0}, headers=admin), 422, "WF807")
    assert Webhooks(engine).subscriptions() == []


def test_dead_deliveries_are_listed_and_replayed_over_http(client: TestClient, tokens: Tokens,
                                                           engine: Engine) -> None:
    from werkstroom.service.webhooks.claims import Policy
    from werkstroom.service.worker import Worker, WorkerSettings

    admin = bearer(tokens.admin)
    broken = {"on": True}
    with Receiver(answer=lambda n: 500 if broken["on"] else 200).running() as receiver:
        made = client.post(HOOKS, json={"url": receiver.url, "kinds": ["record.status_changed"]},
                           headers=admin).json()
        receiver.secret = made["secret"]
        client.post("/api/v1/events", json={"event": "PurchaseDocSentForApproval", "record": invoice("PI-9"),
                                            "user": "BUYER"}, headers=bearer(tokens.events))
        worker = Worker(engine, WorkerSettings(timers=False, notifications=False,
                                               policy=Policy(max_attempts=1)))
        worker.run_once()
        dead = client.get("/api/v1/webhook-deliveries", params={"status": "dead"}, headers=admin).json()
        assert [d["last_error"] for d in dead["items"]] == ["HTTP 500"] and dead["next_offset"] is None
        metrics = client.get("/metrics").text
        assert 'werkstroom_webhook_deliveries{status="dead"} 1.0' in metrics
        assert 'werkstroom_queue_depth{queue="webhooks_dead"} 1.0' in metrics
        assert "werkstroom_webhook_failed_attempts 1.0" in metrics
        (item,) = dead["items"]
        replayed = client.post(f"/api/v1/webhook-deliveries/{item['delivery_id']}/replay", headers=admin)
        assert replayed.json()["status"] == "pending"
        _refused(client.post(f"/api/v1/webhook-deliveries/{item['id']}/replay", headers=admin), 409, "WF824")
        broken["on"] = False
        worker.run_once()
    assert receiver.accepted == [item["delivery_id"]]
    assert 'werkstroom_webhook_deliveries{status="delivered"} 1.0' in client.get("/metrics").text


@pytest.fixture
def app_with_worker(engine: Engine, settings: Settings) -> FastAPI:
    app = create_app(engine, settings)
    beside_server(app, engine)  # what `wf serve --with-worker` adds to each server process
    return app


def test_an_approval_over_http_reaches_the_receiver_through_the_worker_inside_the_server(
        app_with_worker: FastAPI, settings: Settings, tokens: Tokens) -> None:
    with Receiver().running() as receiver, LiveServer(app_with_worker, settings) as server, \
            httpx.Client(base_url=server.url, timeout=60) as live:
        made = live.post(HOOKS, json={"url": receiver.url, "kinds": ["document.released"]},
                         headers=bearer(tokens.admin)).json()
        receiver.secret = made["secret"]
        live.post("/api/v1/events", json={"event": "PurchaseDocSentForApproval", "record": invoice("PI-1"),
                                          "user": "BUYER"}, headers=bearer(tokens.events))
        (entry,) = live.get("/api/v1/approval-entries", headers=bearer(tokens.finance)).json()["items"]
        approved = live.post(f"/api/v1/approval-entries/{entry['entry_no']}/approve",
                             headers=bearer(tokens.finance))
        assert approved.status_code == 200, approved.text
        assert wait_for(lambda: len(receiver.accepted) == 1, timeout=30)
    (delivery,) = receiver.accepted
    body = receiver.bodies[delivery]
    assert body["kind"] == "document.released" and body["payload"]["key"] == "Invoice|PI-1"
    assert receiver.bad_signatures == 0
