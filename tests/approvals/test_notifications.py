"""Notifications: schedules, digests per recipient and type, notes on records, placeholders, real SMTP
delivery to an aiosmtpd server on loopback, failures kept and retried."""

from __future__ import annotations

import datetime as dt
import shutil
import smtplib
import ssl
import subprocess
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from apptools import START, Sink, free_port, make_scope, purchase, user
from sqlalchemy import select

from werkstroom.engine.approvals.errors import ApprovalError
from werkstroom.engine.approvals.setup import notification_row
from werkstroom.engine.clock import VirtualClock
from werkstroom.engine.notifications import text as message_text
from werkstroom.engine.notifications.delivery import SmtpConfig, SmtpTransport
from werkstroom.engine.notifications.dispatcher import dispatch
from werkstroom.engine.notifications.schedule import due_at
from werkstroom.engine.notifications.service import NotificationService, add_entry
from werkstroom.engine.unit import UnitOfWork
from werkstroom.store.metadata import Base
from werkstroom.store.notifications import NotificationEntry, RecordNote, SentNotification, SmtpSettings

UTC = dt.UTC


def sched(**kw: Any) -> Any:
    return notification_row("test", {"type": "approval", **kw})


# --------------------------------------------------------------------------- schedules


def test_instantly_and_no_setup_are_due_at_once() -> None:
    at = dt.datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    assert due_at(None, at) == at
    assert due_at(sched(schedule="instantly"), at) == at


def test_daily_weekday_skips_weekend() -> None:
    s = sched(schedule="daily", time="08:00")
    fri_late = dt.datetime(2026, 1, 9, 17, 0, tzinfo=UTC)  # Friday
    assert due_at(s, fri_late) == dt.datetime(2026, 1, 12, 8, 0, tzinfo=UTC)  # Monday
    every_day = sched(schedule="daily", time="08:00", daily_frequency="daily")
    assert due_at(every_day, fri_late) == dt.datetime(2026, 1, 10, 8, 0, tzinfo=UTC)
    early = dt.datetime(2026, 1, 6, 7, 0, tzinfo=UTC)
    assert due_at(s, early) == dt.datetime(2026, 1, 6, 8, 0, tzinfo=UTC)


def test_weekly_on_chosen_weekdays() -> None:
    s = sched(schedule="weekly", weekdays=["tue", "thu"], time="16:30")
    tuesday_late = dt.datetime(2026, 1, 6, 17, 0, tzinfo=UTC)
    assert due_at(s, tuesday_late) == dt.datetime(2026, 1, 8, 16, 30, tzinfo=UTC)


def test_monthly_first_last_and_custom_day() -> None:
    at = dt.datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    # February 2026 starts on a Sunday: first workday is Monday the 2nd
    assert due_at(sched(schedule="monthly", monthly="first_workday"), at) == \
        dt.datetime(2026, 2, 2, 12, 0, tzinfo=UTC)
    # January 2026 ends on a Saturday: last workday is Friday the 30th
    assert due_at(sched(schedule="monthly", monthly="last_workday"), at) == \
        dt.datetime(2026, 1, 30, 12, 0, tzinfo=UTC)
    # day 31 in February is clamped to the 28th
    feb = dt.datetime(2026, 2, 1, 0, 0, tzinfo=UTC)
    assert due_at(sched(schedule="monthly", day=31), feb) == dt.datetime(2026, 2, 28, 12, 0, tzinfo=UTC)


def test_receivers_time_zone() -> None:
    s = sched(schedule="daily", time="09:00", daily_frequency="daily")
    at = dt.datetime(2026, 1, 5, 6, 0, tzinfo=UTC)  # 07:00 in Amsterdam
    assert due_at(s, at, "Europe/Amsterdam") == dt.datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("bad", [{"schedule": "hourly"}, {"method": "pigeon"}, {"time": "25:00"},
                                 {"schedule": "weekly", "weekdays": []}, {"weekdays": ["funday"]},
                                 {"day": 32}, {"type": "reminder"}, {"colour": "red"}])
def test_invalid_schedule(bad: dict[str, Any]) -> None:
    with pytest.raises(ApprovalError) as err:
        notification_row("notifications[0]", {"type": "approval", **bad})
    assert err.value.code in ("WF622", "WF616")
    if "colour" not in bad:
        assert err.value.code == "WF622"


# --------------------------------------------------------------------------- placeholders


def test_placeholders() -> None:
    assert message_text.render("{document_no} costs {amount} {{EUR}}", {"document_no": "1001",
                                                                      "amount": "5.00"}) == \
        "1001 costs 5.00 {EUR}"
    assert message_text.check("Hello {approver}") == []
    problems = message_text.check("Hi {aprover} { oops")
    assert any("unknown placeholder {aprover}" in p for p in problems)
    assert any("lone" in p for p in problems)
    with pytest.raises(ApprovalError) as err:
        message_text.render("{__class__}", {})
    assert err.value.code == "WF620"


def test_unknown_placeholder_refused_when_the_entry_is_created(uow: UnitOfWork) -> None:
    user(uow, "ANN")
    scope, _ = make_scope(uow, purchase(), "REQ")
    with pytest.raises(ApprovalError) as err:
        NotificationService(scope).create_entry({"recipient": "ANN", "message": "see {amout}"})
    assert err.value.code == "WF620"


# --------------------------------------------------------------------------- create + dispatch


class Outbox:
    def __init__(self, fail: bool = False) -> None:
        self.sent: list[tuple[str, str, str]] = []
        self.fail = fail

    def send(self, to: str, subject: str, body: str) -> None:
        if self.fail:
            raise ConnectionRefusedError("connection refused")
        self.sent.append((to, subject, body))


def notify(uow: UnitOfWork, recipient: str, doc_no: str, etype: str = "Approval", **kw: Any) -> None:
    scope, _ = make_scope(uow, purchase(no=doc_no), "REQ")
    NotificationService(scope).create_entry({"recipient": recipient, "entry_type": etype, **kw})


def test_create_entry_options(uow: UnitOfWork) -> None:
    user(uow, "ANN")
    scope, rec = make_scope(uow, purchase(), "REQ")
    NotificationService(scope).create_entry({"recipient": "GHOST"})
    assert uow.session.scalars(select(NotificationEntry)).all() == []  # no setup: skipped, as BC
    assert any("skipped" in line for line in rec.lines)
    with pytest.raises(ApprovalError) as err:
        NotificationService(scope).create_entry({})
    assert err.value.code == "WF622"
    with pytest.raises(ApprovalError):
        NotificationService(scope).create_entry({"recipient": "ANN", "entry_type": "Gossip"})


def test_notify_sender_without_entries_is_the_acting_user(uow: UnitOfWork) -> None:
    user(uow, "REQ")
    scope, _ = make_scope(uow, purchase(), "REQ")
    NotificationService(scope).create_entry({"notify_sender": True, "entry_type": "New Record"})
    assert uow.session.scalars(select(NotificationEntry)).one().recipient_id == "REQ"


def test_digest_per_recipient_and_type(uow: UnitOfWork) -> None:
    user(uow, "ANN")
    user(uow, "BOB")
    notify(uow, "ANN", "1")
    notify(uow, "ANN", "2")
    notify(uow, "ANN", "3", etype="New Record", message="New vendor {document_no} to check")
    notify(uow, "BOB", "4")
    box = Outbox()
    report = dispatch(uow, START, box)
    assert (report.emails, report.entries_sent, report.failures) == (3, 4, ())
    subjects = sorted((to, subject) for to, subject, _ in box.sent)
    assert subjects == [("ann@example.com", "Notification overview: 1 new record notification"),
                        ("ann@example.com", "Notification overview: 2 approval notifications"),
                        ("bob@example.com", "Notification overview: 1 approval notification")]
    ann_body = next(b for to, s, b in box.sent if to == "ann@example.com" and "approval" in s)
    assert "- Invoice 1 (5000 LCY) from REQ needs your approval." in ann_body and "Invoice 2" in ann_body
    assert uow.session.scalars(select(NotificationEntry)).all() == []
    sent = uow.session.scalars(select(SentNotification)).all()
    assert len(sent) == 4 and len({s.digest_id for s in sent}) == 3
    assert any(s.text == "New vendor 3 to check" for s in sent)


def test_schedule_holds_entries_until_due(uow: UnitOfWork) -> None:
    user(uow, "ANN")
    uow.session.add(sched(user="ANN", schedule="daily", time="17:00"))
    notify(uow, "ANN", "1")
    box = Outbox()
    report = dispatch(uow, START, box)  # 09:00: not yet
    assert (report.emails, report.waiting) == (0, 1)
    assert isinstance(uow.clock, VirtualClock)
    uow.clock.advance(dt.timedelta(hours=2))
    notify(uow, "ANN", "2")
    report = dispatch(uow, START.replace(hour=17), box)
    assert report.emails == 1 and len(box.sent) == 1 and "2 approval notifications" in box.sent[0][1]


def test_default_setup_applies_to_users_without_their_own(uow: UnitOfWork) -> None:
    user(uow, "ANN")
    uow.session.add(sched(user="", schedule="weekly", weekdays=["fri"], time="10:00"))
    notify(uow, "ANN", "1")
    assert dispatch(uow, START, Outbox()).waiting == 1


def test_note_method_stores_notes_on_the_record(uow: UnitOfWork) -> None:
    user(uow, "ANN")
    uow.session.add(sched(user="ANN", method="note"))
    notify(uow, "ANN", "1", message="Please look at {document_no}")
    report = dispatch(uow, START, Outbox())
    assert (report.notes, report.emails) == (1, 0)
    note = uow.session.scalars(select(RecordNote)).one()
    assert (note.record_type, note.record_key, note.to_user_id, note.text) == \
        ("PurchaseHeader", "Invoice|1", "ANN", "Please look at 1")


def test_failures_are_kept_and_retried(uow: UnitOfWork) -> None:
    user(uow, "ANN")
    user(uow, "NOMAIL", email="")
    notify(uow, "ANN", "1")
    notify(uow, "NOMAIL", "2")
    report = dispatch(uow, START, Outbox(fail=True))
    assert report.entries_sent == 0 and len(report.failures) == 2
    assert {f.code for f in report.failures} == {"WF621"}
    waiting = {n.recipient_id: n for n in uow.session.scalars(select(NotificationEntry))}
    ann, nomail = waiting["ANN"], waiting["NOMAIL"]
    assert ann.attempts == 1 and "connection refused" in ann.error_message
    assert "no e-mail address" in nomail.error_message
    # before the retry time nothing is tried
    box = Outbox()
    assert dispatch(uow, START + dt.timedelta(minutes=1), box).waiting == 2 and box.sent == []
    report = dispatch(uow, START + dt.timedelta(minutes=6), box)
    assert report.entries_sent == 1 and len(box.sent) == 1
    assert uow.session.scalars(select(SentNotification)).one().attempts == 2


# --------------------------------------------------------------------------- real SMTP


def test_email_is_delivered_over_smtp(uow: UnitOfWork, smtp_server: tuple[Sink, int]) -> None:
    sink, port = smtp_server
    user(uow, "ANN", email="ann@example.test")
    uow.session.add(SmtpSettings(name="default", host="127.0.0.1", port=port, starttls=False, ssl=False,
                                 sender="workflow@example.test", username_env="", password_env="",
                                 timeout_seconds=5))
    notify(uow, "ANN", "1001")
    notify(uow, "ANN", "1002")
    report = dispatch(uow, START)
    assert report.emails == 1 and report.failures == ()
    assert len(sink.messages) == 1
    mail_from, rcpt, content = sink.messages[0]
    assert (mail_from, rcpt) == ("workflow@example.test", ["ann@example.test"])
    msg = message_from_bytes(content)
    assert msg["Subject"] == "Notification overview: 2 approval notifications"
    body = msg.get_payload(decode=True)
    assert isinstance(body, bytes)
    assert b"Invoice 1001" in body and b"Invoice 1002" in body


def test_smtp_failure_then_retry_succeeds(uow: UnitOfWork) -> None:
    user(uow, "ANN", email="ann@example.test")
    port = free_port()  # nothing listens yet
    uow.session.add(SmtpSettings(name="default", host="127.0.0.1", port=port, starttls=False, ssl=False,
                                 sender="workflow@example.test", username_env="", password_env="",
                                 timeout_seconds=5))
    notify(uow, "ANN", "1001")
    report = dispatch(uow, START)
    assert len(report.failures) == 1 and "Connection" in report.failures[0].error
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        report = dispatch(uow, START + dt.timedelta(minutes=10))
    finally:
        controller.stop()
    assert report.emails == 1 and len(sink.messages) == 1


def test_smtp_credentials_come_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = SmtpConfig(host="127.0.0.1", port=25, sender="a@b.c", username_env="WF_TEST_SMTP_USER",
                     password_env="WF_TEST_SMTP_PASS")
    monkeypatch.delenv("WF_TEST_SMTP_USER", raising=False)
    monkeypatch.delenv("WF_TEST_SMTP_PASS", raising=False)
    with pytest.raises(ApprovalError) as err:
        SmtpTransport(cfg).send("x@y.z", "s", "b")
    assert err.value.code == "WF624"
    monkeypatch.setenv("WF_TEST_SMTP_USER", "robot")
    monkeypatch.setenv("WF_TEST_SMTP_PASS", "s3cret")
    assert cfg.credentials() == ("robot", "s3cret")


def test_add_entry_direct(uow: UnitOfWork) -> None:
    user(uow, "ANN")
    row = add_entry(uow, entry_type_="Overdue", recipient="ANN", sender="SYSTEM", message="late: {due_date}",
                    data={"due_date": "2026-01-01"})
    assert row is not None
    report = dispatch(uow, START, box := Outbox())
    assert report.emails == 1 and "late: 2026-01-01" in box.sent[0][2]


def _self_signed(tmp: Path) -> tuple[Path, Path]:
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                    "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return cert, key


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl for a test certificate")
def test_starttls_and_login_with_credentials_from_environment(
        uow: UnitOfWork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from aiosmtpd.smtp import AuthResult, LoginPassword

    cert, key = _self_signed(tmp_path)
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(cert, key)
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        if isinstance(data, LoginPassword) and (data.login, data.password) == (b"robot", b"s3cret"):
            logins.append((data.login, data.password))
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, tls_context=server_ctx,
                            require_starttls=True, authenticator=authenticator, auth_require_tls=True)
    controller.start()
    try:
        cfg = SmtpConfig(host="127.0.0.1", port=port, sender="workflow@example.test", starttls=True,
                         username_env="WF_TEST_SMTP_USER", password_env="WF_TEST_SMTP_PASS",
                         timeout_seconds=5)
        client_ctx = ssl.create_default_context(cafile=str(cert))
        monkeypatch.setenv("WF_TEST_SMTP_USER", "robot")
        monkeypatch.setenv("WF_TEST_SMTP_PASS", "wrong")
        with pytest.raises(smtplib.SMTPAuthenticationError):
            SmtpTransport(cfg, client_ctx).send("ann@example.test", "s", "b")
        monkeypatch.setenv("WF_TEST_SMTP_PASS", "s3cret")
        user(uow, "ANN", email="ann@example.test")
        notify(uow, "ANN", "1001")
        report = dispatch(uow, START, SmtpTransport(cfg, client_ctx))
    finally:
        controller.stop()
    assert report.emails == 1 and report.failures == ()
    assert logins == [(b"robot", b"s3cret")]
    assert len(sink.messages) == 1 and sink.messages[0][1] == ["ann@example.test"]
    # the password is nowhere in the database
    uow.session.flush()
    for table in Base.metadata.sorted_tables:
        assert "s3cret" not in repr(uow.session.execute(select(table)).all()), table.name
