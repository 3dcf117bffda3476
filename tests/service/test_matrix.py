"""Who may do what, over HTTP (a real uvicorn on 127.0.0.1): every action of the API, for every kind of
principal (system tokens with the events, records and admin scopes; the approver, the sender, another
user and the approval administrator; no token, a wrong one, a revoked one), on an approval entry that
is open, approved or cancelled. Each answer is the one the table below gives; a refused request
changes nothing, and an allowed action is always taken as the token's user."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from werkstroom import Engine
from werkstroom.service.app import create_app
from werkstroom.service.auth import tokens as token_store
from werkstroom.service.settings import Settings

from .conftest import ORGANISATION, SCRIPT, SCRIPT_TEXT, LiveServer, Tokens, bearer, invoice, make_tokens

STATES = ("open", "approved", "cancelled")
PRINCIPALS = ("events", "records", "admin", "approver", "sender", "other", "administrator", "none", "bad",
              "revoked")
USERS = {"approver": "FINANCE", "sender": "BUYER", "other": "CLERK", "administrator": "CONTROLLER"}
OK = (200, None)
SCOPE, NOT_YOURS, NEEDS_USER = (403, "WF804"), (403, "WF805"), (403, "WF806")
MAY_NOT, NOT_OPEN = (403, "WF612"), (409, "WF611")


def expected(action: str, who: str, state: str) -> tuple[int, str | None]:
    """The answer the rules give (docs/service.md, "Who may do what"; the engine's WF611/WF612)."""
    failed = {"none": (401, "WF800"), "bad": (401, "WF801"), "revoked": (401, "WF802")}
    if who in failed:
        return failed[who]
    user = who in USERS
    scoped = {"emit": {"events"}, "outbox": {"events", "records"}, "workflows": {"records", "admin"},
              "deploy": {"admin"}, "enable": {"admin"}, "disable": {"admin"}, "setup": {"admin"}}
    if action == "me":
        return OK
    if action in scoped:
        return OK if who in scoped[action] else SCOPE
    if not user:  # the approval entries and records: systems read with `records`, never act
        if action in ("approve", "reject", "delegate", "cancel"):
            return NEEDS_USER
        return OK if who == "records" else SCOPE
    if action == "entries":  # a user's own list (the administrator's: every entry)
        return OK
    if action in ("entry", "record"):
        return NOT_YOURS if who == "other" else OK
    if action == "entries_of_finance":
        return OK if who in ("approver", "administrator") else NOT_YOURS
    if action == "cancel":
        if who not in ("sender", "administrator"):
            return MAY_NOT
        return OK if state == "open" else NOT_OPEN
    if state != "open":
        return NOT_OPEN
    allowed = {"approve": {"approver", "administrator"}, "reject": {"approver", "administrator"},
               "delegate": {"approver", "sender", "administrator"}}
    return OK if who in allowed[action] else MAY_NOT


def document(engine: Engine, state: str, n: int) -> tuple[int, str]:
    """A new invoice of BUYER's whose entry for FINANCE is in ``state``: (entry number, record key)."""
    no = f"PI-{state[:3].upper()}-{n}"
    engine.emit("PurchaseDocSentForApproval", invoice(no), user="BUYER")
    (entry,) = engine.approval_entries(approver="FINANCE", record_key=f"Invoice|{no}")
    if state == "approved":
        engine.approve(entry.entry_no, "FINANCE")
    elif state == "cancelled":
        engine.cancel(entry.entry_no, "BUYER")
    assert engine.approval_history(entry.entry_no).entry.status == {
        "open": "Open", "approved": "Approved", "cancelled": "Canceled"}[state]
    return entry.entry_no, f"Invoice%7C{no}"


def light(engine: Engine) -> tuple[Any, ...]:
    """What a refused request must leave as it was (kept small: it is taken twice per request)."""
    return (engine.event_log(), [(e.entry_no, e.status, e.approver_id) for e in engine.approval_entries()],
            [i.id for i in engine.instances()], [o.id for o in engine.outbox()],
            [(w.code, w.version, w.enabled) for w in engine.workflows()],
            [n.id for n in engine.waiting_notifications()])


Request = Callable[[httpx.Client, dict[str, str], int, str, int], httpx.Response]
SETUP_TEXT = ORGANISATION.read_bytes()

ACTIONS: dict[str, Request] = {
    "emit": lambda c, h, e, k, n: c.post("/api/v1/events", headers=h, json={
        "event": "PurchaseDocSentForApproval", "record": invoice(f"PI-NEW-{n}"), "user": "BUYER"}),
    "outbox": lambda c, h, e, k, n: c.get("/api/v1/outbox", headers=h),
    "entries": lambda c, h, e, k, n: c.get("/api/v1/approval-entries", headers=h),
    "entries_of_finance": lambda c, h, e, k, n: c.get("/api/v1/approval-entries", headers=h,
                                                      params={"approver": "FINANCE"}),
    "entry": lambda c, h, e, k, n: c.get(f"/api/v1/approval-entries/{e}", headers=h),
    "approve": lambda c, h, e, k, n: c.post(f"/api/v1/approval-entries/{e}/approve", headers=h,
                                            json={"comment": "ok"}),
    "reject": lambda c, h, e, k, n: c.post(f"/api/v1/approval-entries/{e}/reject", headers=h,
                                           json={"comment": "no"}),
    "delegate": lambda c, h, e, k, n: c.post(f"/api/v1/approval-entries/{e}/delegate", headers=h),
    "cancel": lambda c, h, e, k, n: c.post(f"/api/v1/approval-entries/{e}/cancel", headers=h),
    "record": lambda c, h, e, k, n: c.get(f"/api/v1/records/PurchaseHeader/{k}", headers=h),
    "workflows": lambda c, h, e, k, n: c.get("/api/v1/workflows", headers=h),
    "deploy": lambda c, h, e, k, n: c.post("/api/v1/workflows", params={"path": str(SCRIPT)},
                                           content=SCRIPT_TEXT.encode(),
                                           headers={**h, "Content-Type": "text/plain"}),
    "enable": lambda c, h, e, k, n: c.post("/api/v1/workflows/PIAPW-EU/enable", headers=h),
    "disable": lambda c, h, e, k, n: c.post("/api/v1/workflows/PIAPW-EU/disable", headers=h),
    "setup": lambda c, h, e, k, n: c.put("/api/v1/setup", content=SETUP_TEXT,
                                         headers={**h, "Content-Type": "application/toml"}),
    "me": lambda c, h, e, k, n: c.get("/api/v1/me", headers=h),
}
# what an allowed action changes (each runs on a document of its own, or is undone after it)
CHANGES = {"emit", "approve", "reject", "delegate", "cancel", "disable"}


def _headers(tokens: Tokens, revoked: str) -> dict[str, dict[str, str]]:
    found = {"events": tokens.events, "records": tokens.records, "admin": tokens.admin,
             "approver": tokens.finance, "sender": tokens.buyer, "other": tokens.clerk,
             "administrator": tokens.controller, "bad": tokens.finance[:-5] + "AAAAA", "revoked": revoked}
    return {who: bearer(token) for who, token in found.items()} | {"none": {}}


@pytest.fixture
def served(engine: Engine) -> Iterator[httpx.Client]:
    settings = Settings(auth_failures=1_000_000)  # the rate limit has its own test
    with LiveServer(create_app(engine, settings), settings) as server, \
            httpx.Client(base_url=server.url, timeout=60) as http:
        yield http


@pytest.mark.parametrize("state", STATES)
def test_every_action_for_every_principal_on_every_entry_state(engine: Engine, served: httpx.Client,
                                                               state: str) -> None:
    tokens = make_tokens(engine)
    revoked, _ = token_store.create(engine, user="FINANCE")
    token_store.revoke(engine, token_id=revoked.split("_")[1])
    headers = _headers(tokens, revoked)
    shared = document(engine, state, 0)
    n = 0
    wrong: list[str] = []
    for action, request in ACTIONS.items():
        for who in PRINCIPALS:
            n += 1
            want = expected(action, who, state)
            entry, key = document(engine, state, n) if want == OK and action in CHANGES else shared
            before = light(engine)
            answer = request(served, headers[who], entry, key, n)
            got = (answer.status_code, answer.json().get("code") if answer.status_code >= 400 else None)
            if got != want:
                wrong.append(f"{action} by {who} on a {state} entry: {got}, expected {want}: "
                             f"{answer.text[:200]}")
                continue
            if want != OK:
                assert light(engine) == before, f"{action} by {who} on a {state} entry changed the store"
            elif action in ("approve", "reject", "delegate", "cancel"):
                assert answer.json()["handled"][0]["user"] == USERS[who]  # as the token's user
            if action == "disable" and want == OK:
                engine.enable("PIAPW-EU")
    assert not wrong, "\n".join(wrong)


def test_a_user_cannot_act_as_another(engine: Engine, served: httpx.Client) -> None:
    tokens = make_tokens(engine)
    entry, _ = document(engine, "open", 1)
    before = light(engine)
    for body in ({"comment": "ok", "user": "FINANCE"}, {"comment": "ok", "as": "FINANCE"}):
        answer = served.post(f"/api/v1/approval-entries/{entry}/approve", json=body,
                             headers=bearer(tokens.clerk))
        assert (answer.status_code, answer.json()["code"]) == (422, "WF807")
    answer = served.post(f"/api/v1/approval-entries/{entry}/approve", params={"user": "FINANCE"},
                         headers=bearer(tokens.clerk))
    assert (answer.status_code, answer.json()["code"]) == (403, "WF612")  # as CLERK, whatever it names
    answer = served.post("/api/v1/events", headers=bearer(tokens.clerk), json={
        "event": "ApprovalRequestApproved", "record": {}, "user": "FINANCE"})
    assert (answer.status_code, answer.json()["code"]) == (403, "WF804")
    assert light(engine) == before
    done = served.post(f"/api/v1/approval-entries/{entry}/approve", headers=bearer(tokens.controller))
    assert done.json()["handled"][0]["user"] == "CONTROLLER"
    (audit,) = [a for a in engine.approval_history(entry).audit if a.action == "approve"]
    assert audit.user == "CONTROLLER"
