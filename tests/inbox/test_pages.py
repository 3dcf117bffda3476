"""The inbox's pages over HTTP (the ASGI test client): signing in and out, the form tokens (WF841),
who sees which entry (WF846), refusals that change nothing, and what every page sends (headers,
cookies, escaped user text)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from werkstroom import Engine

from .conftest import PASSWORD, open_entry

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def token(page: Any) -> str:
    found = TOKEN.search(page.text)
    assert found, page.text
    return found.group(1)


def sign_in(client: Any, user: str, password: str = PASSWORD) -> Any:
    form = client.get("/inbox/sign-in")
    return client.post("/inbox/sign-in", data={"user": user, "password": password, "csrf_token": token(form),
                                               "next": "/inbox/requests"})


def page_token(client: Any, path: str = "/inbox/requests") -> str:
    return token(client.get(path))


def entry_status(engine: Engine, no: int) -> str:
    return engine.approval_history(no).entry.status


def test_signing_in_sets_a_safe_session_cookie_and_signing_out_ends_it(client: Any, engine: Engine) -> None:
    done = sign_in(client, "buyer")
    assert done.status_code == 303 and done.headers["location"] == "/inbox/requests"
    cookie = done.headers["set-cookie"]
    assert "wf_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    assert "Path=/inbox" in cookie
    page = client.get("/inbox/requests")
    assert page.status_code == 200 and "Signed in as BUYER" in page.text
    out = client.post("/inbox/sign-out", data={"csrf_token": token(page)})
    assert out.status_code == 303 and out.headers["location"] == "/inbox/sign-in?out=1"
    assert client.get("/inbox/requests").status_code == 303  # to the sign-in page again


def test_every_page_carries_the_security_headers(client: Any) -> None:
    for path in ("/inbox/sign-in", "/inbox/link/nonsense"):
        headers = client.get(path).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY" and headers["cache-control"] == "no-store"
        assert headers["referrer-policy"] == "same-origin"


def test_a_wrong_password_is_wf840_and_counts_towards_the_limit(client: Any) -> None:
    for _ in range(5):
        failed = sign_in(client, "CEO", "not the password")
        assert failed.status_code == 401
        assert "The user id or the password is not right." in failed.text and "WF840" in failed.text
    blocked = sign_in(client, "CEO")  # the right password, but the address is blocked now
    assert blocked.status_code == 429 and blocked.headers["retry-after"] == "60"
    assert "WF803" in blocked.text and "Too many failed sign-ins" in blocked.text


def test_signing_in_without_the_forms_token_is_wf841(client: Any) -> None:
    client.get("/inbox/sign-in")
    refused = client.post("/inbox/sign-in", data={"user": "CEO", "password": PASSWORD})
    assert refused.status_code == 403 and "WF841" in refused.text
    assert "wf_session" not in refused.headers.get("set-cookie", "")


def test_a_form_without_its_token_is_wf841_and_changes_nothing(client: Any, engine: Engine) -> None:
    no = open_entry(engine, "FINANCE", "PI-1001")
    sign_in(client, "FINANCE")
    for data in ({"action": "approve"}, {"action": "approve", "csrf_token": "forged"}):
        refused = client.post(f"/inbox/entries/{no}", data=data)
        assert refused.status_code == 403 and "WF841" in refused.text
    refused = client.post("/inbox/requests", data={"entry": str(no)})
    assert refused.status_code == 403
    assert entry_status(engine, no) == "Open"
    assert client.post("/inbox/sign-out", data={}).status_code == 403  # still signed in


def test_another_users_entry_is_not_found_wf846(client: Any, engine: Engine) -> None:
    no = open_entry(engine, "FINANCE", "PI-1001")
    sign_in(client, "CLERK")
    page = client.get(f"/inbox/entries/{no}")
    assert page.status_code == 404 and "WF846" in page.text and "PI-1001" not in page.text
    assert "PI-1001" not in client.get("/inbox/requests?status=all").text
    acted = client.post(f"/inbox/entries/{no}", data={"action": "approve", "csrf_token": page_token(client)})
    assert acted.status_code == 404 and entry_status(engine, no) == "Open"
    assert client.get("/inbox/entries/99999").status_code == 404
    assert client.get("/inbox/entries/abc").status_code == 404
    assert client.get("/inbox/admin").status_code == 403  # only the approval administrator's


def test_the_requester_and_the_administrator_see_the_entry(client: Any, engine: Engine) -> None:
    no = open_entry(engine, "FINANCE", "PI-1001")
    for user in ("BUYER", "CONTROLLER"):
        sign_in(client, user)
        assert client.get(f"/inbox/entries/{no}").status_code == 200
        client.post("/inbox/sign-out", data={"csrf_token": page_token(client)})


def test_a_refused_action_shows_the_code_and_changes_nothing(client: Any, engine: Engine) -> None:
    no = open_entry(engine, "FINANCE", "PI-1001")
    engine.approve(no, "FINANCE")
    sign_in(client, "FINANCE")
    refused = client.post(f"/inbox/entries/{no}", data={"action": "reject", "csrf_token": page_token(client)})
    assert refused.status_code == 409 and "WF611" in refused.text
    assert entry_status(engine, no) == "Approved"


@pytest.mark.parametrize(("data", "words"), [
    ({"action": "burn"}, "unknown action"),
    ({"action": "approve", "comment": "x" * 2001}, "more than 2000 characters"),
    ({"action": "approve", "comment": "a\x00b"}, "cannot be stored"),
])
def test_a_form_the_inbox_cannot_take_is_wf848(client: Any, engine: Engine, data: dict[str, str],
                                                words: str) -> None:
    no = open_entry(engine, "FINANCE", "PI-1001")
    sign_in(client, "controller")  # the approval administrator (English)
    refused = client.post(f"/inbox/entries/{no}", data={**data, "csrf_token": page_token(client)})
    assert refused.status_code == 422 and "WF848" in refused.text and words in refused.text
    assert entry_status(engine, no) == "Open"


def test_a_request_whose_workflow_cannot_cancel_is_not_canceled_wf517(tmp_path: Any, clock: Any) -> None:
    from fastapi.testclient import TestClient

    from .conftest import ROOT, inbox_app, prepared

    eng = prepared(f"sqlite:///{tmp_path / 'w.db'}", clock, ROOT / "examples" / "purchase-invoice-eu.wf")
    try:
        no = open_entry(eng, "FINANCE", "PI-1001")
        with TestClient(inbox_app(eng), follow_redirects=False) as tc:
            sign_in(tc, "BUYER")
            assert "Cancel" not in tc.get("/inbox/sent").text
            assert "Cancel the request" not in tc.get(f"/inbox/entries/{no}").text
            # a cancel sent anyway: the engine refuses it (nothing waits for it), in the user's words
            refused = tc.post(f"/inbox/entries/{no}", data={"action": "cancel", "csrf_token": page_token(tc)})
            assert refused.status_code == 409 and "WF517" in refused.text
            assert ("Nothing waits for the cancel: workflow PIAPW-EU has no step that takes a canceled "
                    "request now, so the request cannot be canceled. Nothing was changed.") in refused.text
        assert entry_status(eng, no) == "Open"
    finally:
        eng.close()


def test_the_refusal_wf517_reads_in_the_users_language() -> None:
    from werkstroom import NothingWaitsForCancel
    from werkstroom.service.inbox.desk import words
    from werkstroom.service.inbox.texts import translator

    exc = NothingWaitsForCancel("nothing waits for the cancel: ...", instance_id="I-1",
                                workflow_code="PIAPW-EU", event="PurchaseDocApprovalRequestCanceled")
    assert words(exc, translator("nl")).startswith("Niets wacht op de annulering: werkstroom PIAPW-EU heeft ")
    assert words(exc, translator("en")).startswith("Nothing waits for the cancel: workflow PIAPW-EU has ")


def test_a_bulk_approval_without_entries_is_wf848(client: Any) -> None:
    sign_in(client, "FINANCE")
    refused = client.post("/inbox/requests", data={"csrf_token": page_token(client), "bulk": "1"})
    assert refused.status_code == 422 and "WF848" in refused.text


def test_a_post_without_a_session_is_wf842(client: Any, engine: Engine) -> None:
    no = open_entry(engine, "FINANCE", "PI-1001")
    refused = client.post(f"/inbox/entries/{no}", data={"action": "approve"})
    assert refused.status_code == 401 and "WF842" in refused.text
    asked = client.get(f"/inbox/entries/{no}")
    assert asked.headers["location"] == f"/inbox/sign-in?next=/inbox/entries/{no}"


def test_user_text_is_escaped(client: Any, engine: Engine) -> None:
    no = open_entry(engine, "FINANCE", "PI-1001")
    sign_in(client, "FINANCE")
    client.post(f"/inbox/entries/{no}", data={"action": "approve", "comment": "<script>alert(1)</script>",
                                              "csrf_token": page_token(client)})
    page = client.get(f"/inbox/entries/{no}")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_the_next_page_after_signing_in_stays_in_the_inbox(client: Any) -> None:
    form = client.get("/inbox/sign-in?next=//evil.example.com/")
    done = client.post("/inbox/sign-in", data={"user": "CEO", "password": PASSWORD, "csrf_token": token(form),
                                               "next": "//evil.example.com/"})
    assert done.headers["location"] == "/inbox/requests"


def test_signing_in_again_ends_the_browsers_session_before(client: Any, engine: Engine) -> None:
    from sqlalchemy import select

    from werkstroom.store.inbox import InboxSession

    sign_in(client, "BUYER")
    assert client.get("/inbox/sign-in?next=/inbox/sent").headers["location"] == "/inbox/sent"  # signed in
    client.cookies.delete("wf_session")  # another browser tab's cookie is gone; BUYER's session stays
    form_token = token(client.get("/inbox/sign-in"))
    sign_in(client, "CLERK")
    again = client.post("/inbox/sign-in", data={"user": "FINANCE", "password": PASSWORD,
                                                "csrf_token": form_token})
    assert again.status_code == 303  # with CLERK's cookie: CLERK's session ends
    with engine.transaction() as uow:
        users = sorted(uow.session.scalars(select(InboxSession.user_id)))
    assert users == ["BUYER", "FINANCE"]
