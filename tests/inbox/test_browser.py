"""The inbox in a real browser (Chromium, driven by Playwright) against uvicorn on 127.0.0.1: sign in,
approve from the list, reject with a comment, delegate, approve several at once, a refused action, a
form without its token, another user's entry, signing out, signed links (valid, expired, reused) and
the Dutch pages. The screenshots of the main pages in docs/inbox.md are taken here (docs/img/)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from werkstroom import Engine, VirtualClock

from .browser import launched, served
from .conftest import PASSWORD, ROOT, START, inbox_app, invoice, open_entry, prepared

IMAGES = ROOT / "docs" / "img"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launched() as found:
        yield found


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(START)


@pytest.fixture
def engine(tmp_path: Path, clock: VirtualClock) -> Iterator[Engine]:
    eng = prepared(f"sqlite:///{tmp_path / 'inbox.db'}", clock)
    try:
        yield eng
    finally:
        eng.close()


@pytest.fixture
def site(engine: Engine) -> Iterator[str]:
    with served(lambda base: inbox_app(engine, base)) as base:
        yield base


@pytest.fixture
def page(browser: Any, site: str) -> Iterator[Any]:
    context = browser.new_context(base_url=site, viewport={"width": 1100, "height": 760}, locale="en-GB")
    found = context.new_page()
    found.set_default_timeout(20_000)
    try:
        yield found
    finally:
        context.close()


def sign_in(page: Any, user: str, password: str = PASSWORD) -> None:
    page.goto("/inbox/sign-in")
    page.get_by_label("User id").fill(user)
    page.get_by_label("Password").fill(password)
    go(page, page.get_by_role("button", name="Sign in"))


def go(page: Any, target: Any) -> None:
    """Click ``target`` (a link or a form's button) and wait for the page it leads to."""
    with page.expect_navigation():
        target.click()


def shot(page: Any, name: str) -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMAGES / name), full_page=True)


def flash(page: Any) -> str:
    return "\n".join(page.locator(".flash").all_inner_texts())


def test_sign_in_and_approve_from_the_list(page: Any, engine: Engine) -> None:
    page.goto("/inbox/requests")
    assert page.url.endswith("/inbox/sign-in?next=/inbox/requests")
    assert "Please sign in to see this page." in flash(page)
    shot(page, "inbox-sign-in.png")
    page.get_by_label("User id").fill("finance")
    page.get_by_label("Password").fill(PASSWORD)
    go(page, page.get_by_role("button", name="Sign in"))
    assert page.url.endswith("/inbox/requests")
    rows = page.locator("table.entries tbody tr")
    assert rows.count() == 3
    assert "PI-1003" in rows.nth(0).inner_text()  # newest first
    shot(page, "inbox-requests.png")
    no = open_entry(engine, "FINANCE", "PI-1001")
    go(page, page.get_by_role("button", name=f"Approve entry {no}"))
    assert "Approved Invoice PI-1001" in flash(page)
    assert "No approvals are pending; the document is now Released." in flash(page)
    assert engine.approval_history(no).entry.status == "Approved"
    assert page.locator("table.entries tbody tr").count() == 2


def test_reject_with_a_comment(page: Any, engine: Engine) -> None:
    sign_in(page, "FINANCE")
    go(page, page.get_by_role("link", name="Invoice PI-1002"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Invoice PI-1002")
    assert "create_approval_requests" in page.locator(".facts").first.inner_text()  # the step that made it
    lines = page.locator("table.lines tbody tr")
    assert lines.count() == 1 and "PAPER" in lines.first.inner_text()
    shot(page, "inbox-entry.png")
    page.get_by_label("Comment (optional)").fill("Not budgeted <this> quarter")
    go(page, page.get_by_role("button", name="Reject"))
    assert "Rejected Invoice PI-1002" in flash(page)
    assert "Not budgeted <this> quarter" in page.locator(".comments").inner_text()
    history = engine.approval_history(page.url.rsplit("/", 1)[1])
    assert history.entry.status == "Rejected" and history.comments[0].comment == "Not budgeted <this> quarter"


def test_delegate(page: Any, engine: Engine) -> None:
    no = open_entry(engine, "FINANCE", "PI-1003")
    sign_in(page, "FINANCE")
    page.goto(f"/inbox/entries/{no}")
    go(page, page.get_by_role("button", name="Delegate"))
    assert f"Delegated Invoice PI-1003 (entry {no}) to CONTROLLER." in flash(page)  # FINANCE's substitute
    assert engine.approval_history(no).entry.approver_id == "CONTROLLER"
    go(page, page.get_by_role("link", name="Requests to approve"))
    assert "PI-1003" not in page.locator("main").inner_text()


def test_approve_several_at_once(page: Any, engine: Engine) -> None:
    first, third = open_entry(engine, "FINANCE", "PI-1001"), open_entry(engine, "FINANCE", "PI-1003")
    sign_in(page, "FINANCE")
    page.get_by_label(f"Select entry {first}").check()
    page.get_by_label(f"Select entry {third}").check()
    page.get_by_label("Comment for the selected entries (optional)").fill("Both fine")
    go(page, page.get_by_role("button", name="Approve selected"))
    text = flash(page)
    assert "Approved Invoice PI-1001" in text and "Approved Invoice PI-1003" in text
    for no in (first, third):
        assert engine.approval_history(no).entry.status == "Approved"
    assert engine.approval_history(first).comments[0].comment == "Both fine"
    rows = page.locator("table.entries tbody tr")
    assert rows.count() == 1 and "PI-1002" in rows.first.inner_text()


def test_select_all_with_the_keyboard(page: Any, engine: Engine) -> None:
    sign_in(page, "FINANCE")
    page.get_by_label("Select all").focus()
    page.keyboard.press("Space")
    assert page.locator('input[name="entry"]:checked').count() == 3


def test_a_refused_action_shows_the_code_and_changes_nothing(page: Any, engine: Engine) -> None:
    no = open_entry(engine, "FINANCE", "PI-1001")
    sign_in(page, "FINANCE")
    page.goto(f"/inbox/entries/{no}")
    engine.approve(no, "CONTROLLER", "approved by the administrator meanwhile")
    go(page, page.get_by_role("button", name="Reject"))
    text = page.locator(".flash.error").inner_text()
    assert "WF611" in text and "Refused:" in text
    assert engine.approval_history(no).entry.status == "Approved"


def test_a_form_without_its_token_is_refused(page: Any, engine: Engine) -> None:
    no = open_entry(engine, "FINANCE", "PI-1001")
    sign_in(page, "FINANCE")
    page.goto(f"/inbox/entries/{no}")
    page.evaluate("document.querySelectorAll('.decide input[name=csrf_token]').forEach(e => e.remove())")
    go(page, page.get_by_role("button", name="Approve"))
    assert "WF841" in page.locator("main").inner_text()
    assert "nothing was changed" in page.locator("main").inner_text()
    assert engine.approval_history(no).entry.status == "Open"


def test_another_users_entry_is_not_visible(page: Any, engine: Engine) -> None:
    no = open_entry(engine, "FINANCE", "PI-1001")
    sign_in(page, "CLERK")
    assert page.locator("table.entries").count() == 0
    response = page.goto(f"/inbox/entries/{no}")
    assert response.status == 404
    text = page.locator("main").inner_text()
    assert "There is no such entry among yours." in text and "PI-1001" not in text


def test_sign_out(page: Any) -> None:
    sign_in(page, "FINANCE")
    go(page, page.get_by_role("button", name="Sign out"))
    assert "You are signed out." in flash(page)
    page.goto("/inbox/requests")
    assert "/inbox/sign-in" in page.url


def _link_for(engine: Engine, site: str, user: str) -> list[str]:
    from werkstroom.service.inbox.links import SignedLinks

    mails: list[str] = []

    class Mailbox:
        def send(self, to: str, subject: str, body: str) -> None:
            mails.append(body)

    inbox = _inbox_of_site(site)
    assert isinstance(inbox.links, SignedLinks)
    engine.dispatch_notifications(Mailbox(), links=inbox.links)
    return [line.split("Open it: ")[1] for body in mails for line in body.splitlines() if "Open it: " in line]


_SITES: dict[str, Any] = {}


def _inbox_of_site(site: str) -> Any:
    return _SITES[site]


def test_signed_links_valid_then_reused_and_expired(browser: Any, engine: Engine,
                                                    clock: VirtualClock) -> None:
    def make(base: str) -> Any:
        app = inbox_app(engine, base)
        _SITES[base] = app.state.inbox
        return app

    with served(make) as site:
        addresses = _link_for(engine, site, "FINANCE")
        assert len(addresses) == 3 and all(a.startswith(site + "/inbox/link/") for a in addresses)
        context = browser.new_context(viewport={"width": 1100, "height": 760}, locale="en-GB")
        page = context.new_page()
        page.goto(addresses[0])
        assert "signs you in as FINANCE" in page.locator("main").inner_text()
        go(page, page.get_by_role("button", name="Continue"))
        assert "/inbox/entries/" in page.url and "Signed in as FINANCE" in page.locator("header").inner_text()
        context.close()
        context = browser.new_context(locale="en-GB")  # another browser: the link is used
        page = context.new_page()
        response = page.goto(addresses[0])
        assert response.status == 410 and "WF845" in page.locator("main").inner_text()
        clock.advance(dt.timedelta(hours=72))
        response = page.goto(addresses[1])
        assert response.status == 410 and "WF844" in page.locator("main").inner_text()
        response = page.goto(addresses[2][:-3] + "AAA")
        assert response.status == 403 and "WF843" in page.locator("main").inner_text()
        context.close()


def test_dutch_pages(browser: Any, site: str, engine: Engine) -> None:
    engine.approve(open_entry(engine, "FINANCE", "PI-1002"), "FINANCE", "Akkoord tot 10.000")
    context = browser.new_context(base_url=site, viewport={"width": 1100, "height": 760}, locale="nl-NL")
    page = context.new_page()
    page.goto("/inbox/sign-in")
    assert page.get_by_role("heading", level=1).inner_text() == "Aanmelden"  # Accept-Language: nl
    page.get_by_label("Gebruikers-id").fill("CEO")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    go(page, page.get_by_role("button", name="Aanmelden"))
    assert page.get_by_role("heading", level=1).inner_text() == "Goed te keuren"
    row = page.locator("table.entries tbody tr").first
    assert "Factuur PI-1002" in row.inner_text() and "25.000,00" in row.inner_text()
    shot(page, "inbox-dutch.png")
    go(page, page.get_by_role("link", name="Factuur PI-1002"))
    go(page, page.get_by_role("button", name="Goedkeuren"))
    assert "Factuur PI-1002 (post" in flash(page) and "het document is nu Vrijgegeven" in flash(page)
    context.close()


def test_sent_requests_and_cancel(page: Any, engine: Engine) -> None:
    sign_in(page, "BUYER")
    go(page, page.get_by_role("link", name="My sent requests"))
    rows = page.locator("table.entries tbody tr")
    assert rows.count() == 3 and "Waiting for FINANCE" in rows.first.inner_text()
    shot(page, "inbox-sent.png")
    go(page, page.get_by_role("button", name="Cancel the request for Invoice PI-1003"))
    assert "Canceled the request for Invoice PI-1003." in flash(page)
    assert page.locator("table.entries tbody tr").count() == 2
    assert engine.record_state("PurchaseHeader", "Invoice|PI-1003").status == "Open"


def test_the_administrator_sees_every_open_entry_overdue_first(page: Any, engine: Engine,
                                                                clock: VirtualClock) -> None:
    clock.advance(dt.timedelta(days=3))  # the three invoices' entries (due in 2 days) are overdue now
    engine.emit("PurchaseDocSentForApproval", invoice("PI-1004", "3000"), user="BUYER")
    sign_in(page, "CONTROLLER")
    go(page, page.get_by_role("link", name="All open requests"))
    rows = page.locator("table.entries tbody tr")
    assert rows.count() == 4
    assert [("overdue" in rows.nth(i).inner_text()) for i in range(4)] == [True, True, True, False]
    assert "PI-1004" in rows.nth(3).inner_text()
    shot(page, "inbox-admin.png")
    no = open_entry(engine, "FINANCE", "PI-1002")
    page.get_by_label(f"Select entry {no}").check()
    go(page, page.get_by_role("button", name="Approve selected"))
    assert "Approved Invoice PI-1002" in flash(page) and "Next: waiting for CEO." in flash(page)
    assert engine.approval_history(no).entry.status == "Approved"
