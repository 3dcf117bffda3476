"""The HTTP API end to end: events in, approval entries, actions as the authenticated user, records,
the outbox, workflows and the organisation setup; on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from decimal import Decimal

import httpx
from fastapi.testclient import TestClient

from werkstroom import Engine, check_paths
from werkstroom.render import render_json

from .conftest import ORGANISATION, ROOT, Tokens, bearer, invoice

EMIT = "/api/v1/events"
SEND = "PurchaseDocSentForApproval"


def test_an_invoice_is_sent_approved_and_released_over_http(live: httpx.Client, tokens: Tokens,
                                                             engine: Engine) -> None:
    sent = live.post(EMIT, json={"event": SEND, "record": invoice("PI-1"), "user": "BUYER"},
                     headers={**bearer(tokens.events), "Idempotency-Key": "erp-PI-1"})
    assert sent.status_code == 200, sent.text
    first = sent.json()["handled"][0]
    assert (first["outcome"], first["workflow_code"]) == ("started", "PIAPW-EU")

    mine = live.get("/api/v1/approval-entries", headers=bearer(tokens.finance)).json()
    assert [(e["approver_id"], e["status"], e["document_no"]) for e in mine["items"]] == [
        ("FINANCE", "Open", "PI-1")]
    entry = mine["items"][0]["entry_no"]

    done = live.post(f"/api/v1/approval-entries/{entry}/approve", json={"comment": "fine"},
                     headers=bearer(tokens.finance))
    assert done.status_code == 200, done.text
    assert done.json()["handled"][0]["user"] == "FINANCE"

    state = live.get("/api/v1/records/PurchaseHeader/Invoice%7CPI-1", headers=bearer(tokens.records)).json()
    assert state["status"] == "Released" and state["instances"] == []
    history = live.get(f"/api/v1/approval-entries/{entry}", headers=bearer(tokens.finance)).json()
    assert history["entry"]["status"] == "Approved"
    assert [c["comment"] for c in history["comments"]] == ["fine"]
    kinds = [o["kind"] for o in live.get("/api/v1/outbox", headers=bearer(tokens.events)).json()["items"]]
    assert kinds == [o.kind for o in engine.outbox()] and kinds
    assert engine.record_state("PurchaseHeader", "Invoice|PI-1").status == "Released"


def test_a_running_record_shows_its_instance_and_steps(client: TestClient, tokens: Tokens) -> None:
    client.post(EMIT, json={"event": SEND, "record": invoice("PI-2"), "user": "BUYER"},
                headers=bearer(tokens.events))
    state = client.get("/api/v1/records/PurchaseHeader/Invoice%7CPI-2", headers=bearer(tokens.records)).json()
    assert state["status"] == "Pending Approval" and state["restricted"] is True
    (instance,) = state["instances"]
    assert instance["workflow_code"] == "PIAPW-EU"
    assert {s["status"] for s in instance["steps"]} >= {"Completed", "Active"}
    assert state["values"]["no"] == "PI-2"
    missing = client.get("/api/v1/records/PurchaseHeader/Invoice%7CPI-404", headers=bearer(tokens.records))
    assert (missing.status_code, missing.json()["code"]) == (404, "WF509")


def test_a_repeat_with_the_same_key_answers_the_first_result_and_another_payload_is_refused(
        client: TestClient, tokens: Tokens, engine: Engine) -> None:
    headers = {**bearer(tokens.events), "Idempotency-Key": "k-1"}
    body = {"event": SEND, "record": invoice("PI-3"), "user": "BUYER"}
    first = client.post(EMIT, json=body, headers=headers).json()
    again = client.post(EMIT, json=body, headers=headers).json()
    assert again["replayed"] is True and again["event_id"] == first["event_id"]
    assert again["handled"] == first["handled"]
    log = engine.event_log()
    other = client.post(EMIT, json={**body, "record": invoice("PI-3", "4600")}, headers=headers)
    assert (other.status_code, other.json()["code"]) == (409, "WF504")
    assert engine.event_log() == log and len(engine.instances()) == 1


def test_a_second_start_of_a_running_document_is_a_conflict(client: TestClient, tokens: Tokens,
                                                           engine: Engine) -> None:
    body = {"event": SEND, "record": invoice("PI-4"), "user": "BUYER"}
    assert client.post(EMIT, json=body, headers=bearer(tokens.events)).status_code == 200
    again = client.post(EMIT, json=body, headers=bearer(tokens.events))
    assert (again.status_code, again.json()["code"]) == (409, "WF516")
    assert len(engine.instances()) == 1


def test_amounts_are_read_exactly_from_json_numbers(client: TestClient, tokens: Tokens,
                                                    engine: Engine) -> None:
    record = {**invoice("PI-5"), "amount": "X", "amount_lcy": "X"}
    text = json.dumps({"event": SEND, "record": record, "user": "BUYER"}).replace('"X"', "4500.10")
    headers = {**bearer(tokens.events), "Content-Type": "application/json"}
    sent = client.post(EMIT, content=text, headers=headers)
    assert sent.status_code == 200, sent.text
    stored = engine.record("PurchaseHeader", "Invoice|PI-5")
    assert stored is not None and str(stored["amount"]) == "4500.10"
    (entry,) = engine.approval_entries(status="Open")
    assert entry.amount == Decimal("4500.10")
    page = client.get("/api/v1/approval-entries", headers=bearer(tokens.finance)).json()
    assert page["items"][0]["amount"] == "4500.10"


def test_entries_are_paged_by_limit_and_offset(client: TestClient, tokens: Tokens) -> None:
    for n in range(5):
        client.post(EMIT, json={"event": SEND, "record": invoice(f"PI-P{n}"), "user": "BUYER"},
                    headers=bearer(tokens.events))
    seen: list[int] = []
    offset: int | None = 0
    while offset is not None:
        page = client.get("/api/v1/approval-entries", params={"limit": 2, "offset": offset, "status": "Open"},
                          headers=bearer(tokens.finance)).json()
        seen += [e["entry_no"] for e in page["items"]]
        offset = page["next_offset"]
    assert len(seen) == 5 and seen == sorted(seen)
    sent = client.get("/api/v1/approval-entries", params={"sender": "me", "status": ["Open", "Approved"]},
                      headers=bearer(tokens.buyer)).json()
    assert {e["status"] for e in sent["items"]} == {"Open", "Approved"} and len(sent["items"]) == 10


def test_a_script_with_errors_is_refused_with_the_diagnostics_wf_check_prints(client: TestClient,
                                                                             tokens: Tokens,
                                                                             engine: Engine) -> None:
    path = ROOT / "examples" / "broken" / "unknown-event.wf"
    before = engine.workflows()
    answer = client.post("/api/v1/workflows", params={"path": str(path)}, content=path.read_bytes(),
                         headers={**bearer(tokens.admin), "Content-Type": "text/plain"})
    assert answer.status_code == 422
    problem = answer.json()
    assert answer.headers["content-type"] == "application/problem+json"
    assert problem["diagnostics"] == json.loads(render_json(check_paths([str(path)]).diagnostics))
    assert problem["code"] == problem["diagnostics"][0]["code"]
    assert engine.workflows() == before


def test_workflows_are_deployed_enabled_and_disabled_over_http(client: TestClient, tokens: Tokens,
                                                              engine: Engine) -> None:
    script = (ROOT / "examples" / "customer-credit-limit.wf").read_bytes()
    admin = {**bearer(tokens.admin), "Content-Type": "text/plain"}
    deployed = client.post("/api/v1/workflows", params={"path": "credit.wf"}, content=script, headers=admin)
    assert deployed.status_code == 200, deployed.text
    codes = [d["code"] for d in deployed.json()]
    assert codes and all(d["new_version"] for d in deployed.json())
    for code in codes:
        assert client.post(f"/api/v1/workflows/{code}/enable", headers=admin).status_code == 200
    listed = {w["code"]: w for w in client.get("/api/v1/workflows", headers=bearer(tokens.records)).json()}
    assert all(listed[c]["enabled"] for c in codes)
    assert client.post(f"/api/v1/workflows/{codes[0]}/disable", headers=admin).status_code == 200
    assert not {w.code: w for w in engine.workflows()}[codes[0]].enabled


def test_a_script_is_deployed_and_enabled_whole_or_not_at_all_over_http(client: TestClient, tokens: Tokens,
                                                                         engine: Engine) -> None:
    script = (b'workflow BIG "Big invoices"\n'
              b"  on PurchaseDocSentForApproval when document_type = Invoice and amount > 5000 then\n"
              b"     restrict record usage\n"
              b'workflow ANYINV "Any invoice over 1000"\n'
              b"  on PurchaseDocSentForApproval when document_type = Invoice and amount > 1000 then\n"
              b"     restrict record usage\n")
    admin = {**bearer(tokens.admin), "Content-Type": "text/plain"}
    before = engine.workflows()
    refused = client.post("/api/v1/workflows", params={"path": "inv.wf", "enable": "true"}, content=script,
                          headers=admin)
    assert refused.json()["code"] == "WF507", refused.text  # ANYINV overlaps BIG, enabled just before
    assert any(d["code"] == "WF428" for d in refused.json()["diagnostics"])
    assert engine.workflows() == before  # BIG was not kept either
    allowed = {"path": "inv.wf", "enable": "true", "allow_overlap": "true"}
    both = client.post("/api/v1/workflows", params=allowed, content=script, headers=admin)
    assert both.status_code == 200, both.text
    assert [(d["code"], d["enabled"]) for d in both.json()] == [("BIG", True), ("ANYINV", True)]


def test_the_organisation_setup_is_loaded_over_http(client: TestClient, tokens: Tokens,
                                                    engine: Engine) -> None:
    text = ORGANISATION.read_text(encoding="utf-8").replace('id = "CLERK"', 'id = "CLERK2"')
    loaded = client.put("/api/v1/setup", content=text.encode(),
                        headers={**bearer(tokens.admin), "Content-Type": "application/toml"})
    assert loaded.status_code == 200, loaded.text
    assert loaded.json()["users"] == 5
    from werkstroom.service.auth.tokens import create

    create(engine, user="CLERK2")  # the user exists now
    bad = text.replace('approver = "CEO"', 'approver = 7', 1)
    refused = client.put("/api/v1/setup", content=bad.encode(),
                         headers={**bearer(tokens.admin), "Content-Type": "application/toml"})
    assert (refused.status_code, refused.json()["code"]) == (422, "WF616")
    as_json = client.put("/api/v1/setup", json={"users": [{"id": "CLERK3", "approver": "CEO"}]},
                         headers=bearer(tokens.admin))
    assert as_json.status_code == 200 and as_json.json()["users"] == 1


def test_an_approval_repeated_with_the_same_key_answers_the_first_result(client: TestClient, tokens: Tokens,
                                                                         engine: Engine) -> None:
    client.post(EMIT, json={"event": SEND, "record": invoice("PI-6"), "user": "BUYER"},
                headers=bearer(tokens.events))
    (entry,) = engine.approval_entries(approver="FINANCE", status="Open")
    headers = {**bearer(tokens.finance), "Idempotency-Key": "inbox-approve-1"}
    path = f"/api/v1/approval-entries/{entry.entry_no}/approve"
    first = client.post(path, json={"comment": "fine"}, headers=headers).json()
    again = client.post(path, json={"comment": "fine"}, headers=headers).json()
    assert again["replayed"] is True and again["event_id"] == first["event_id"]
    log = engine.event_log()
    other = client.post(path, json={"comment": "another"}, headers=headers)
    assert (other.status_code, other.json()["code"]) == (409, "WF504")
    assert engine.event_log() == log
    assert [c.comment for c in engine.approval_history(entry.entry_no).comments] == ["fine"]
