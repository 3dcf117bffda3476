"""The engine's host calls (engine/host.py) through the public surface, on SQLite and PostgreSQL: the
organisation setup from a path or a mapping, approval entries by approver, sender, record and status with
paging, an entry's history, the notification dispatch with a given or the engine's transport, the
notification lists; and each refusal with its code (WF530, WF532, WF533, WF534, WF615, WF616), having
changed nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from test_engine_cli import ORG, WORKFLOW, invoice

import werkstroom
from werkstroom import (
    ApprovalEntryInfo,
    Engine,
    SequentialIds,
    VirtualClock,
    WerkstroomError,
    deploy,
    open_engine,
)
from werkstroom.cli import cli
from werkstroom.store.approvals import ApprovalUserSetup

ROOT = Path(__file__).resolve().parents[2]


class Mailbox:
    """A transport that keeps the messages."""

    def __init__(self, fail: bool = False) -> None:
        self.sent: list[tuple[str, str, str]] = []
        self.fail = fail

    def send(self, to: str, subject: str, body: str) -> None:
        if self.fail:
            raise OSError("the mail server is down")
        self.sent.append((to, subject, body))


def _open(url: str, **options: Any) -> Engine:
    return open_engine(url, clock=VirtualClock(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)),
                       ids=SequentialIds(), **options)


@pytest.fixture()
def eng(engine_url: str) -> Iterator[Engine]:
    e = _open(engine_url)
    try:
        yield e
    finally:
        e.close()


@pytest.fixture()
def busy(eng: Engine) -> Engine:
    """Three invoices from REQ in approval (each: REQ's own entry approved, ANN's open), ANN has approved
    the third, so BOB's entry of it is open."""
    eng.load_setup(ORG)
    deploy(eng, WORKFLOW, "test.wf")
    eng.enable("PIAPW-T")
    for no in ("1001", "1002", "1003"):
        eng.emit("PurchaseDocSentForApproval", invoice(no), user="REQ")
    third = eng.approval_entries(approver="ANN", record_key="Invoice|1003")
    eng.approve(third[0].entry_no, "ANN", "fine by me")
    return eng


def _users(eng: Engine) -> list[str]:
    with eng.transaction() as uow:
        return sorted(uow.session.scalars(select(ApprovalUserSetup.user_id)))


def _code(call: Any) -> str:
    with pytest.raises(WerkstroomError) as err:
        call()
    return err.value.code


# --------------------------------------------------------------------------- load_setup


def test_load_setup_from_a_path_text_or_path_and_from_a_mapping(eng: Engine, tmp_path: Path) -> None:
    report = eng.load_setup(str(ROOT / "examples" / "organisation.toml"))
    assert (report.users, report.groups, report.members, report.notification_setups, report.smtp) == \
        (5, 2, 5, 4, 1)
    assert isinstance(report, werkstroom.SetupReport)
    assert _users(eng) == ["BUYER", "CEO", "CLERK", "CONTROLLER", "FINANCE"]
    (tmp_path / "more.toml").write_text('[[users]]\nid = "ann"\napprover = "CEO"\n', encoding="utf-8")
    assert eng.load_setup(tmp_path / "more.toml").users == 1  # a pathlib.Path
    assert eng.load_setup({"users": [{"id": "bob", "approver": "ANN"}]}).users == 1  # a mapping
    assert _users(eng) == ["ANN", "BOB", "BUYER", "CEO", "CLERK", "CONTROLLER", "FINANCE"]


@pytest.mark.parametrize(("setup", "code", "words"), [
    ({"users": [{"id": "ANN", "approver": "CEO", "limit": 5}]}, "WF616", "unknown key(s) limit"),
    ({"users": [{"id": "ANN", "purchase_limit": -1}]}, "WF616", "must not be negative"),
    ({"users": [{"id": "A", "administrator": True}, {"id": "B", "administrator": True}]}, "WF617",
     "only one approval administrator"),
    ({"notifications": [{"type": "approval", "schedule": "hourly"}]}, "WF622", "schedule"),
    ("no/such/organisation.toml", "WF616", "cannot read the file"),
    ('[[users]]\nid = "ANN"\n', "WF534", "not a file path; read TOML text with tomllib.loads"),
    (42, "WF534", "not a value of type int"),
    ([{"id": "ANN"}], "WF534", "not a value of type list"),
    (b"org.toml", "WF534", "not a value of type bytes"),
    (None, "WF534", "not None"),
    ("org\x00.toml", "WF530", "the organisation file"),
    ("", "WF530", "the organisation file is empty"),
], ids=["unknown user field", "negative limit", "two administrators", "schedule", "missing file",
        "TOML text", "a number", "a list", "bytes", "None", "NUL in the path", "empty path"])
def test_load_setup_refusals_load_nothing(eng: Engine, setup: Any, code: str, words: str) -> None:
    eng.load_setup({"users": [{"id": "CEO", "approver": "CEO"}]})
    with pytest.raises(WerkstroomError) as err:
        eng.load_setup(setup)
    assert err.value.code == code and words in str(err.value), str(err.value)
    assert _users(eng) == ["CEO"]


# --------------------------------------------------------------------------- approval_entries


def test_approval_entries_by_approver_sender_record_and_status(busy: Engine) -> None:
    everything = busy.approval_entries()
    assert [e.entry_no for e in everything] == list(range(1, len(everything) + 1))
    assert all(isinstance(e, ApprovalEntryInfo) for e in everything)
    to_approve = busy.approval_entries(approver="ann", status="Open")  # ANN's Requests to Approve
    assert [(e.document_no, e.sender_id, e.status) for e in to_approve] == [("1001", "REQ", "Open"),
                                                                            ("1002", "REQ", "Open")]
    assert [e.document_no for e in busy.approval_entries(approver="BOB", status="open")] == ["1003"]
    sent = busy.approval_entries(sender="REQ")
    assert sent == everything and {e.sender_id for e in sent} == {"REQ"}
    assert busy.approval_entries(sender="ANN") == []
    third = busy.approval_entries(record_type="PurchaseHeader", record_key="Invoice|1003")
    assert [(e.approver_id, e.status) for e in third] == [("REQ", "Approved"), ("ANN", "Approved"),
                                                          ("BOB", "Open"), ("CEO", "Created")]
    assert busy.approval_entries(record_key="Invoice|1003") == third
    assert busy.approval_entries(record_type="SalesHeader") == []
    done = busy.approval_entries(status=["APPROVED", "created"])
    assert {e.status for e in done} == {"Approved", "Created"}
    assert [e for e in everything if e.status in ("Approved", "Created")] == done
    entry = to_approve[0]
    assert entry.amount == entry.amount_lcy == Decimal("50000") and entry.due_date == dt.date(2026, 1, 7)
    assert entry.sent_at == dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    assert entry.to_json()["amount"] == "50000.00" and entry.to_json()["due_date"] == "2026-01-07"


def test_approval_entries_pages(busy: Engine) -> None:
    everything = busy.approval_entries()
    assert len(everything) == 12
    pages = [busy.approval_entries(limit=5, offset=at) for at in (0, 5, 10)]
    assert [len(p) for p in pages] == [5, 5, 2]
    assert [e for page in pages for e in page] == everything
    assert busy.approval_entries(offset=12) == [] and busy.approval_entries(limit=2**31 - 1) == everything
    assert busy.approval_entries(approver="ANN", status="Open", limit=1, offset=1) == \
        busy.approval_entries(approver="ANN", status="Open")[1:]


@pytest.mark.parametrize(("args", "code", "words"), [
    ({"limit": -1}, "WF532", "the limit must be a whole number from 1 to 2,147,483,647, not -1"),
    ({"limit": 0}, "WF532", "not 0"),
    ({"limit": 2**31}, "WF532", "the limit"),
    ({"limit": "5"}, "WF532", "the limit must be a whole number, not a value of type str"),
    ({"limit": 2.0}, "WF532", "the limit"),
    ({"limit": True}, "WF532", "the limit"),
    ({"offset": -1}, "WF532", "the offset must be a whole number from 0"),
    ({"offset": None}, "WF532", "the offset must be a whole number, not None"),
    ({"status": "Pending"}, "WF533", "'Pending' is no approval entry status; the statuses are Created"),
    ({"status": []}, "WF533", "no status is given"),
    ({"status": ["Open", "Gone"]}, "WF533", "'Gone'"),
    ({"status": 5}, "WF530", "the status must be text or a list of texts"),
    ({"status": {"Open": 1}}, "WF530", "the status"),
    ({"status": ["Open", None]}, "WF530", "the status must be text, not None"),
    ({"approver": ""}, "WF530", "the approver is empty"),
    ({"approver": "A" * 51}, "WF530", "the approver"),
    ({"sender": "\ud800"}, "WF530", "the sender"),
    ({"record_key": "x\x00"}, "WF530", "the record key"),
    ({"record_type": 7}, "WF530", "the record type must be text"),
])
def test_approval_entries_refusals(busy: Engine, args: dict[str, Any], code: str, words: str) -> None:
    with pytest.raises(WerkstroomError) as err:
        busy.approval_entries(**args)
    assert err.value.code == code and words in str(err.value), str(err.value)


# --------------------------------------------------------------------------- approval_history


def test_approval_history_by_number_and_id(busy: Engine) -> None:
    [ann] = busy.approval_entries(approver="ANN", record_key="Invoice|1003")
    by_number = busy.approval_history(ann.entry_no)
    assert busy.approval_history(str(ann.entry_no)) == by_number == busy.approval_history(ann.entry_id)
    assert by_number.entry == ann
    assert [(a.user, a.action, a.old_status, a.new_status, a.comment) for a in by_number.audit] == \
        [("ANN", "approve", "Open", "Approved", "fine by me")]
    assert [(c.user, c.comment) for c in by_number.comments] == [("ANN", "fine by me")]
    assert by_number.audit[0].at == dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    assert _code(lambda: busy.approval_history(999)) == "WF615"
    assert _code(lambda: busy.approval_history("entry-999")) == "WF615"
    assert _code(lambda: busy.approval_history(0)) == "WF615"
    assert _code(lambda: busy.approval_history(None)) == "WF530"  # type: ignore[arg-type]


# --------------------------------------------------------------------------- notifications


def test_dispatch_with_the_given_transport_then_the_lists(busy: Engine) -> None:
    waiting = busy.waiting_notifications()
    assert [(n.recipient_id, n.entry_type, n.record_key) for n in waiting] == \
        [("ANN", "Approval", "Invoice|1001"), ("ANN", "Approval", "Invoice|1002"),
         ("ANN", "Approval", "Invoice|1003"), ("BOB", "Approval", "Invoice|1003")]
    assert waiting[0].attempts == 0 and waiting[0].error == "" and "1001" in waiting[0].text
    mail = Mailbox()
    report = busy.dispatch_notifications(mail)
    assert isinstance(report, werkstroom.DispatchReport)
    assert (report.emails, report.entries_sent, report.failures, report.waiting) == (2, 4, (), 0)
    assert sorted(to for to, _, _ in mail.sent) == ["ann@example.test", "bob@example.test"]
    assert busy.waiting_notifications() == []
    sent = busy.sent_notifications()
    assert [(s.recipient_id, s.method, s.address) for s in sent] == \
        [("ANN", "Email", "ann@example.test")] * 3 + [("BOB", "Email", "bob@example.test")]
    assert sent[0].digest_id == sent[2].digest_id != sent[3].digest_id  # one digest per recipient
    assert busy.sent_notifications(limit=2) == sent[:2] and busy.sent_notifications(offset=2) == sent[2:]
    assert "Invoice 1003" in sent[3].text and "BOB" in mail.sent[-1][2]
    assert busy.dispatch_notifications(mail).entries_sent == 0


def test_dispatch_uses_the_engines_transport_and_keeps_failures(engine_url: str) -> None:
    mail = Mailbox(fail=True)
    eng = _open(engine_url, transport=mail)
    try:
        eng.load_setup(ORG)
        deploy(eng, WORKFLOW, "test.wf")
        eng.enable("PIAPW-T")
        eng.emit("PurchaseDocSentForApproval", invoice(), user="REQ")
        report = eng.dispatch_notifications()  # the engine's transport: it fails
        assert report.entries_sent == 0 and [f.code for f in report.failures] == ["WF621"]
        assert "the mail server is down" in report.failures[0].error
        [kept] = eng.waiting_notifications()
        assert kept.attempts == 1 and "the mail server is down" in kept.error
        assert kept.next_attempt_at == dt.datetime(2026, 1, 5, 9, 5, tzinfo=dt.UTC)
        assert eng.sent_notifications() == []
        other = Mailbox()
        assert eng.dispatch_notifications(other).waiting == 1  # not again before its retry time
        assert other.sent == []
    finally:
        eng.close()


def test_dispatch_without_a_transport_or_smtp_settings_keeps_the_entries(busy: Engine) -> None:
    report = busy.dispatch_notifications()
    assert report.entries_sent == 0 and len(report.failures) == 2
    assert all("no SMTP settings" in f.error for f in report.failures)
    assert len(busy.waiting_notifications()) == 4


def test_notification_refusals(busy: Engine, engine_url: str) -> None:
    assert _code(lambda: busy.dispatch_notifications(object())) == "WF530"  # type: ignore[arg-type]
    assert _code(lambda: _open(engine_url, transport="smtp://x")) == "WF530"
    assert _code(lambda: busy.waiting_notifications(limit=0)) == "WF532"
    assert _code(lambda: busy.sent_notifications(offset=-3)) == "WF532"
    assert len(busy.waiting_notifications()) == 4  # nothing was dispatched


# --------------------------------------------------------------------------- the outbox's paging


def test_outbox_paging_is_checked(busy: Engine) -> None:
    items = busy.outbox()
    assert items and busy.outbox(limit=1) == items[:1] and busy.outbox(after=items[0].id) == items[1:]
    for call, words in ((lambda: busy.outbox(limit=0), "the limit"), (lambda: busy.outbox(after=-1), "after"),
                        (lambda: busy.outbox("3"), "after must be a whole number"),  # type: ignore[arg-type]
                        (lambda: busy.outbox(event_id=-1), "the event id"),
                        (lambda: busy.outbox(after=2**63), "after")):
        with pytest.raises(WerkstroomError) as err:
            call()
        assert err.value.code == "WF532" and words in str(err.value), str(err.value)
    assert _code(lambda: busy.outbox(kind="")) == "WF530"


# --------------------------------------------------------------------------- the wf commands, same path


def test_wf_approvals_refuses_an_unknown_status_with_wf533(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'wf.db'}"
    r = CliRunner().invoke(cli, ["--db", db, "approvals", "--status", "pending"])
    assert r.exit_code == 1 and "[WF533]" in r.stderr and "'pending' is no approval entry status" in r.stderr
    r = CliRunner().invoke(cli, ["--db", db, "approvals", "--status", "OPEN", "--json"])
    assert r.exit_code == 0 and r.stdout.strip() == "[]"
    r = CliRunner().invoke(cli, ["--db", db, "approvals", "--help"])
    assert "Created, Open, Approved, Rejected or Canceled" in " ".join(r.stdout.split())
