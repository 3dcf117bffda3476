"""Signed one-time links: made without a row, readable only with the key that signed them (WF843),
expiring (WF844), used once (WF845: the use is a row); notification e-mails carry them."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest

from werkstroom import Engine, VirtualClock
from werkstroom.service.inbox import links
from werkstroom.service.inbox.errors import BadSettings, LinkExpired, LinkInvalid, LinkUsed
from werkstroom.service.inbox.secret import VARIABLE, service_secret
from werkstroom.store.inbox import LinkUse

from .conftest import Mailbox

KEY = b"k" * 32


def _link(clock: VirtualClock, **changes: object) -> links.Link:
    values: dict[str, object] = {"id": "a1" * 12, "entry_id": "entry-7", "user": "FINANCE", "purpose": "view",
                                 "expires": clock.now().replace(microsecond=0) + dt.timedelta(hours=1)}
    values.update(changes)
    return links.Link(**values)  # type: ignore[arg-type]


def test_a_link_reads_back_what_was_signed(clock: VirtualClock) -> None:
    link = _link(clock)
    token = links.sign(KEY, link)
    assert links.read(KEY, token) == link
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")


@pytest.mark.parametrize("damage", [
    lambda t: t[:-1],  # cut off
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # another signature
    lambda t: t.split(".")[0],  # no signature
    lambda t: "x" + t,  # another body
    lambda t: "",
    lambda t: t + "." + t,
    lambda t: "é" + t,  # not ASCII
])
def test_a_damaged_link_is_wf843(clock: VirtualClock, damage: object) -> None:
    token = links.sign(KEY, _link(clock))
    with pytest.raises(LinkInvalid) as err:
        links.read(KEY, damage(token))  # type: ignore[operator]
    assert err.value.code == "WF843"


def test_a_link_signed_with_another_key_or_for_another_purpose_is_wf843(clock: VirtualClock) -> None:
    with pytest.raises(LinkInvalid):
        links.read(b"o" * 32, links.sign(KEY, _link(clock)))
    with pytest.raises(LinkInvalid, match="unknown purpose"):
        links.read(KEY, links.sign(KEY, _link(clock, purpose="approve")))


def test_an_expired_link_is_wf844(clock: VirtualClock) -> None:
    link = _link(clock)
    links.check(link, clock.now())
    clock.advance(dt.timedelta(hours=1))
    with pytest.raises(LinkExpired) as err:
        links.check(link, clock.now())
    assert err.value.code == "WF844"


def test_a_link_is_used_once(engine: Engine, clock: VirtualClock) -> None:
    link = _link(clock)
    with engine.transaction() as uow:
        assert not links.was_used(uow, link)
        links.use(uow, link, "127.0.0.1", clock.now())
    with pytest.raises(LinkUsed) as err, engine.transaction() as uow:
        links.use(uow, link, "127.0.0.1", clock.now())
    assert err.value.code == "WF845"
    with engine.transaction() as uow:
        row = uow.session.get_one(LinkUse, link.id)
        assert (row.entry_id, row.user_id, row.purpose, row.address) == \
            ("entry-7", "FINANCE", "view", "127.0.0.1")


def test_the_secret_is_generated_once_and_kept(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(VARIABLE, raising=False)
    first = service_secret(engine)
    assert len(first) >= 48 and service_secret(engine) == first
    monkeypatch.setenv(VARIABLE, "s" * 32)
    assert service_secret(engine) == b"s" * 32
    monkeypatch.setenv(VARIABLE, "too short")
    with pytest.raises(BadSettings) as err:
        service_secret(engine)
    assert err.value.code == "WF849"
    assert os.environ[VARIABLE] == "too short"


@pytest.mark.parametrize("url", ["ftp://x", "/inbox", "http://", "https://x?y=1", "https://x#top", "x"])
def test_a_base_url_that_is_no_absolute_http_address_is_wf849(url: str) -> None:
    with pytest.raises(BadSettings) as err:
        links.base_url(url)
    assert err.value.code == "WF849"
    assert links.base_url("https://workflow.example.com/") == "https://workflow.example.com"


def test_notification_emails_carry_a_link_for_the_recipient(engine: Engine, clock: VirtualClock) -> None:
    signer = links.SignedLinks(b"s" * 48, "https://wf.example.com", dt.timedelta(hours=72), clock)
    mails: list[tuple[str, str, str]] = []

    class Mailbox:
        def send(self, to: str, subject: str, body: str) -> None:
            mails.append((to, subject, body))

    report = engine.dispatch_notifications(Mailbox(), links=signer)
    assert report.emails == 1  # FINANCE's three approval requests, in one digest
    [(to, _, body)] = mails
    assert to == "finance@example.com"
    found = [line.split("Open it: ")[1] for line in body.splitlines() if "Open it: " in line]
    assert len(found) == 3
    entries = {e.entry_id for e in engine.approval_entries(approver="FINANCE", status="Open")}
    for address in found:
        assert address.startswith("https://wf.example.com/inbox/link/")
        link = links.read(signer.key, address.rsplit("/", 1)[1])
        assert link.user == "FINANCE" and link.entry_id in entries and link.purpose == "view"
        assert link.expires == (clock.now() + dt.timedelta(hours=72)).replace(microsecond=0)
    with pytest.raises(BadSettings):
        links.SignedLinks(b"s" * 48, "https://wf.example.com", dt.timedelta(0), clock)


def test_the_service_links_the_engines_emails_to_its_inbox(engine: Engine) -> None:
    from werkstroom.service.app import create_app
    from werkstroom.service.settings import Settings

    app = create_app(engine, Settings(base_url="https://wf.example.com/"))
    assert engine.links is app.state.inbox.links
    mails: list[str] = []

    class Mailbox:
        def send(self, to: str, subject: str, body: str) -> None:
            mails.append(body)

    engine.dispatch_notifications(Mailbox())
    assert mails[0].count("Open it: https://wf.example.com/inbox/link/") == 3


def test_wf_serve_refuses_unusable_inbox_settings_wf849(tmp_path: Any,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from werkstroom.cli import cli

    db = f"sqlite:///{tmp_path / 'w.db'}"
    for args, words in ((["--base-url", "ftp://x"], "not an absolute http"),
                        (["--link-hours", "0"], "--link-hours must be a positive number"),
                        (["--session-hours", "-1"], "--session-hours must be a positive number")):
        done = CliRunner().invoke(cli, ["--db", db, "serve", "--port", "0", *args])
        assert done.exit_code == 2 and "[WF849]" in done.output and words in done.output, done.output
    monkeypatch.setenv(VARIABLE, "short")
    done = CliRunner().invoke(cli, ["--db", db, "serve", "--port", "0"])
    assert done.exit_code == 2 and "WERKSTROOM_SECRET has 5 characters" in done.output


def test_wf_notifications_dispatch_links_the_entries(engine: Engine, engine_url: str,
                                                     mailbox: Mailbox) -> None:
    from click.testing import CliRunner

    from werkstroom.cli import cli

    sink, port = mailbox, mailbox.port
    engine.load_setup({"smtp": {"host": "127.0.0.1", "port": port, "sender": "wf@example.com"}})
    refused = CliRunner().invoke(cli, ["--db", engine_url, "notifications", "dispatch", "--base-url", "x"])
    assert refused.exit_code == 1 and "[WF849]" in refused.output
    assert not sink.messages and engine.waiting_notifications()  # nothing was sent
    done = CliRunner().invoke(cli, ["--db", engine_url, "notifications", "dispatch",
                                    "--base-url", "https://wf.example.com", "--link-hours", "24"])
    assert done.exit_code == 0, done.output
    [(_, to, content)] = sink.messages
    body = content.decode()
    assert to == ["finance@example.com"] and body.count("Open it: https://wf.example.com/inbox/link/") == 3


def test_wf_worker_base_url_links_the_entries(engine: Engine, engine_url: str, mailbox: Mailbox) -> None:
    from click.testing import CliRunner

    from werkstroom.cli import cli

    engine.load_setup({"smtp": {"host": "127.0.0.1", "port": mailbox.port, "sender": "wf@example.com"}})
    done = CliRunner().invoke(cli, ["--db", engine_url, "worker", "--once", "--no-webhooks", "--no-timers",
                                    "--base-url", "https://wf.example.com"])
    assert done.exit_code == 0, done.output
    [(_, _, content)] = mailbox.messages
    assert content.decode().count("Open it: https://wf.example.com/inbox/link/") == 3
    refused = CliRunner().invoke(cli, ["--db", engine_url, "worker", "--once", "--no-webhooks",
                                       "--base-url", "https://wf.example.com", "--link-hours", "0"])
    assert refused.exit_code == 1 and "[WF849]" in refused.output
