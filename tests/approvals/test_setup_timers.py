"""The organisation file loader, automatic delegation and overdue notices, and BC date formulas."""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from apptools import START, make_scope, purchase, user
from sqlalchemy import select

from werkstroom.catalogue import dateformula
from werkstroom.engine.approvals import timers
from werkstroom.engine.approvals.errors import ApprovalError
from werkstroom.engine.approvals.service import ApprovalService
from werkstroom.engine.approvals.setup import load_file, load_setup
from werkstroom.engine.unit import UnitOfWork
from werkstroom.store.approvals import (
    ApprovalEntry,
    ApprovalUserSetup,
    OverdueApprovalEntry,
    WorkflowUserGroupMember,
)
from werkstroom.store.notifications import NotificationEntry, NotificationSetup, SmtpSettings

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "organisation.toml"


# --------------------------------------------------------------------------- organisation file


def test_example_file_loads(uow: UnitOfWork) -> None:
    report = load_file(uow, EXAMPLE)
    assert (report.users, report.groups, report.members, report.notification_setups, report.smtp) == \
        (5, 2, 5, 4, 1)
    fin = uow.session.get_one(ApprovalUserSetup, "FINANCE")
    assert (fin.approver_id, fin.substitute, fin.purchase_amount_approval_limit) == \
        ("CEO", "CONTROLLER", Decimal(10000))
    buyers = uow.session.scalars(select(WorkflowUserGroupMember).where(
        WorkflowUserGroupMember.group_code == "BUYERS").order_by(WorkflowUserGroupMember.sequence_no)).all()
    assert [(m.user_id, m.sequence_no) for m in buyers] == [("BUYER", 1), ("CLERK", 2)]
    smtp = uow.session.get_one(SmtpSettings, "default")
    assert (smtp.host, smtp.port, smtp.starttls, smtp.password_env) == \
        ("smtp.example.com", 587, True, "WERKSTROOM_SMTP_PASSWORD")
    assert (fin.language, uow.session.get_one(ApprovalUserSetup, "CEO").language) == ("en", "nl")
    ctl = uow.session.get_one(NotificationSetup, ("CONTROLLER", "New Record"))
    assert (ctl.method, ctl.recurrence, ctl.monthly_date) == ("Note", "Monthly", "Last Workday")


def test_loading_twice_replaces(uow: UnitOfWork) -> None:
    data = tomllib.loads(EXAMPLE.read_text())
    load_setup(uow, data)
    data["groups"][1]["members"] = ["CLERK"]
    load_setup(uow, data)
    members = uow.session.scalars(select(WorkflowUserGroupMember).where(
        WorkflowUserGroupMember.group_code == "BUYERS")).all()
    assert [m.user_id for m in members] == ["CLERK"]


@pytest.mark.parametrize(("data", "code", "words"), [
    ({"users": [{"id": "A", "colour": "red"}]}, "WF616", "unknown key"),
    ({"users": [{"id": "A", "purchase_limit": -5}]}, "WF616", "negative"),
    ({"users": [{"id": "A", "purchase_limit": "lots"}]}, "WF616", "not an amount"),
    ({"users": [{"id": "A"}, {"id": "a"}]}, "WF616", "twice"),
    ({"users": [{"id": "A", "time_zone": "Mars/Olympus"}]}, "WF616", "time zone"),
    ({"users": [{"id": "A", "language": "de"}]}, "WF616", "language must be one of en, nl"),
    ({"users": [{"id": "A", "language": 31}]}, "WF616", "language must be text"),
    ({"smtp": {"host": "h", "sender": "a@b", "password": "hunter2"}}, "WF616", "credentials"),
    ({"smtp": {"host": "h", "sender": "a@b", "password_env": "not a name"}}, "WF616", "variable name"),
    ({"smtp": {"host": "h", "sender": "a@b", "port": 0}}, "WF616", "port"),
    ({"groups": [{"code": "G", "members": [{"user": "A", "sequence": -1}]}]}, "WF616", "sequence"),
    ({"teams": []}, "WF616", "unknown key"),
    ({"users": [{"id": "A", "administrator": True}, {"id": "B", "administrator": True}]}, "WF617",
     "only one"),
    ({"notifications": [{"type": "approval", "schedule": "hourly"}]}, "WF622", "schedule"),
    # values the database cannot hold, and duplicates the database would refuse (not internal errors)
    ({"users": [{"id": "A", "purchase_limit": float("nan")}]}, "WF616", "must be an amount below"),
    ({"users": [{"id": "A", "purchase_limit": float("inf")}]}, "WF616", "must be an amount below"),
    ({"users": [{"id": "A", "purchase_limit": 10**18}]}, "WF616", "must be an amount below"),
    ({"users": [{"id": "A" * 51}]}, "WF616", "id has 51 characters; at most 50"),
    ({"users": [{"id": "A\x00B"}]}, "WF616", "NUL"),
    ({"groups": [{"code": "G" * 21}]}, "WF616", "code has 21 characters; at most 20"),
    ({"groups": [{"code": "G", "members": [{"user": "A", "sequence": 2**40}]}]}, "WF616", "too large"),
    ({"groups": [{"code": "G", "members": ["A", "a"]}]}, "WF616", "user A is listed twice in the group"),
    ({"groups": [{"code": "G", "members": ["A"]}, {"code": "g"}]}, "WF616", "group G is listed twice"),
    ({"notifications": [{"user": "A"}, {"user": "a", "type": "approval"}]}, "WF616", "listed twice: A"),
    ({"smtp": [1, 2]}, "WF616", "list of tables ([[smtp]])"),
    ({"smtp": [{"host": "h", "sender": "a@b"}, {"host": "i", "sender": "c@d"}]}, "WF616", "twice: default"),
    ({"smtp": {"host": "h", "sender": "a@b", "timeout_seconds": 2**40}}, "WF616", "too large"),
])
def test_invalid_files(uow: UnitOfWork, data: dict[str, Any], code: str, words: str) -> None:
    with pytest.raises(ApprovalError) as err:
        load_setup(uow, data)
    assert err.value.code == code
    assert words in err.value.message
    assert uow.session.scalars(select(ApprovalUserSetup)).all() == []


def test_second_administrator_across_loads(uow: UnitOfWork) -> None:
    load_setup(uow, {"users": [{"id": "A", "administrator": True}]})
    with pytest.raises(ApprovalError) as err:
        load_setup(uow, {"users": [{"id": "B", "administrator": True}]})
    assert err.value.code == "WF617"
    load_setup(uow, {"users": [{"id": "A"}, {"id": "B", "administrator": True}]})  # moving it is fine


def test_invalid_toml(uow: UnitOfWork, tmp_path: Path) -> None:
    bad = tmp_path / "org.toml"
    bad.write_text("[[users]\nid = ")
    with pytest.raises(ApprovalError) as err:
        load_file(uow, bad)
    assert err.value.code == "WF616"


def test_a_file_nested_too_deeply_is_wf616(uow: UnitOfWork, tmp_path: Path) -> None:
    deep = tmp_path / "org.toml"
    deep.write_text("x = " + "[" * 10_000 + "]" * 10_000 + "\n")
    with pytest.raises(ApprovalError, match="nested too deeply") as err:  # not a RecursionError
        load_file(uow, deep)
    assert err.value.code == "WF616"


@pytest.mark.parametrize("content", [b"\x00\x01\xff\xfe", "caf\u00e9 = 1\n".encode("latin-1")])
def test_a_file_that_is_not_utf8_is_wf616(uow: UnitOfWork, tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "org.toml"
    bad.write_bytes(content)
    with pytest.raises(ApprovalError, match="not UTF-8 text") as err:
        load_file(uow, bad)
    assert err.value.code == "WF616"


# --------------------------------------------------------------------------- timers


def _send(uow: UnitOfWork, **options: Any) -> None:
    scope, _ = make_scope(uow, purchase(), "REQ")
    svc = ApprovalService(scope)
    svc.create_requests({"limit_type": "Direct Approver", **options})
    svc.send_requests({})


def test_automatic_delegation_after_period(chain_org: UnitOfWork) -> None:
    _send(chain_org, delegate_after="2 days")
    report = timers.run_due(chain_org, START + dt.timedelta(days=1))
    assert report.delegations == ()
    report = timers.run_due(chain_org, START + dt.timedelta(days=2))
    assert [(d.event, d.delegated_to, d.user) for d in report.delegations] == \
        [("ApprovalRequestDelegated", "BOB", "(job queue)")]
    chain_org.flush()
    entry = chain_org.session.scalars(select(ApprovalEntry)).one()
    assert entry.approver_id == "BOB"
    # the new approver gets a fresh period
    assert timers.run_due(chain_org, START + dt.timedelta(days=3)).delegations == ()
    assert len(timers.run_due(chain_org, START + dt.timedelta(days=4)).delegations) == 1


def test_never_delegate_and_failures_reported(chain_org: UnitOfWork) -> None:
    _send(chain_org)
    assert timers.run_due(chain_org, START + dt.timedelta(days=30)).delegations == ()
    lone = chain_org.session.get_one(ApprovalUserSetup, "ADMIN")
    lone.approval_administrator = False
    user(chain_org, "SOLO", "SOLO")
    scope, _ = make_scope(chain_org, purchase(no="2"), "REQ")
    svc = ApprovalService(scope)
    svc.create_requests({"limit_type": "Specific Approver", "approver_id": "SOLO", "delegate_after": "1D"})
    svc.send_requests({})
    report = timers.run_due(chain_org, START + dt.timedelta(days=1))
    assert report.delegations == () and len(report.failures) == 1 and "WF613" in report.failures[0][1]


def test_overdue_reminders_once_a_day(chain_org: UnitOfWork) -> None:
    _send(chain_org, due_date_formula="1D", overdue_reminders=True)
    assert timers.run_due(chain_org, START + dt.timedelta(days=1)).overdue_notices == 0  # due today
    assert timers.run_due(chain_org, START + dt.timedelta(days=2)).overdue_notices == 1
    assert timers.run_due(chain_org, START + dt.timedelta(days=2, hours=3)).overdue_notices == 0
    assert timers.run_due(chain_org, START + dt.timedelta(days=3)).overdue_notices == 1
    kinds = [n.entry_type for n in chain_org.session.scalars(select(NotificationEntry))]
    assert kinds.count("Overdue") == 2
    assert len(chain_org.session.scalars(select(OverdueApprovalEntry)).all()) == 2


def test_create_overdue_notifications_response(chain_org: UnitOfWork) -> None:
    _send(chain_org)  # due today
    scope, rec = make_scope(chain_org, purchase(), "REQ")
    ApprovalService(scope).create_overdue_notifications({"notify_sender": True})
    overdue = sorted(n.recipient_id for n in chain_org.session.scalars(select(NotificationEntry))
                     if n.entry_type == "Overdue")
    assert overdue == ["ANN", "REQ"]
    assert any("2 overdue" in line for line in rec.lines)


# --------------------------------------------------------------------------- date formulas


@pytest.mark.parametrize(("formula", "start", "expected"), [
    ("2D", "2026-01-05", "2026-01-07"),
    ("1W", "2026-01-05", "2026-01-12"),
    ("1M", "2026-01-31", "2026-02-28"),
    ("1Q", "2026-01-15", "2026-04-15"),
    ("1Y", "2024-02-29", "2025-02-28"),
    ("CM", "2026-02-10", "2026-02-28"),
    ("-CM", "2026-02-10", "2026-02-01"),
    ("CM+1D", "2026-02-10", "2026-03-01"),
    ("-1W", "2026-01-12", "2026-01-05"),
    ("CW", "2026-01-07", "2026-01-11"),
    ("CQ", "2026-05-02", "2026-06-30"),
    ("CY", "2026-05-02", "2026-12-31"),
    ("WD5", "2026-01-05", "2026-01-09"),
    ("WD1", "2026-01-05", "2026-01-12"),
    ("D15", "2026-01-20", "2026-02-15"),
    ("<1M+5D>", "2026-01-01", "2026-02-06"),
    ("", "2026-01-01", "2026-01-01"),
])
def test_date_formulas(formula: str, start: str, expected: str) -> None:
    assert dateformula.parse(formula).apply(dt.date.fromisoformat(start)) == dt.date.fromisoformat(expected)


@pytest.mark.parametrize("bad", ["2X", "1D1D", "WD8", "D0", "D32", "+"])
def test_bad_date_formulas(bad: str) -> None:
    with pytest.raises(dateformula.DateFormulaError) as err:
        dateformula.parse(bad)
    assert err.value.code == "WF618"
