"""Sending, approving, rejecting, delegating, canceling; tiers (sequential, parallel, quorum);
self-approval in both modes; BC's authorization refusals. The engine is played by a tiny driver that
does what the MS- purchase approval template does."""

from __future__ import annotations

from typing import Any

import pytest
from apptools import Recorder, group, make_scope, purchase, user
from sqlalchemy import func, select

from werkstroom.engine.approvals import actions
from werkstroom.engine.approvals.errors import ApprovalError
from werkstroom.engine.approvals.records import entry_record, forget_setups
from werkstroom.engine.approvals.rows import SimpleRecord
from werkstroom.engine.approvals.service import ApprovalService
from werkstroom.engine.unit import UnitOfWork
from werkstroom.store.approvals import ApprovalAudit, ApprovalCommentLine, ApprovalEntry, ApprovalUserSetup
from werkstroom.store.notifications import NotificationEntry

DOC = purchase(amount="5000")


def send(uow: UnitOfWork, doc: SimpleRecord = DOC, requester: str = "REQ", **options: Any) -> Recorder:
    """PurchaseDocSentForApproval: create approval requests, send approval requests."""
    scope, rec = make_scope(uow, doc, requester)
    svc = ApprovalService(scope)
    svc.create_requests(options)
    svc.send_requests({"notify_sender": options.get("notify_sender", False)})
    return rec


def after_approval(uow: UnitOfWork, result: actions.ActionResult, doc: SimpleRecord = DOC) -> str:
    """ApprovalRequestApproved: pending = 0 -> released; else send approval requests (from the entry)."""
    if result.record.values["pending_approvals"] == 0:
        return "released"
    scope, _ = make_scope(uow, doc, result.user, event_record=result.record)
    ApprovalService(scope).send_requests({})
    return "waiting"


def approve_as(uow: UnitOfWork, approver: str) -> str:
    return after_approval(uow, actions.approve(uow, open_entry(uow, approver), approver))


def status(uow: UnitOfWork) -> list[tuple[str, int, str]]:
    uow.flush()
    return [(e.approver_id, e.sequence_no, e.status)
            for e in uow.session.scalars(select(ApprovalEntry).order_by(ApprovalEntry.entry_no))]


def open_entry(uow: UnitOfWork, approver: str) -> str:
    uow.flush()
    return uow.session.scalars(select(ApprovalEntry).where(
        ApprovalEntry.approver_id == approver, ApprovalEntry.status == "Open")).one().id


def snapshot(uow: UnitOfWork) -> tuple[Any, ...]:
    uow.flush()
    uow.session.flush()
    entries = tuple((e.id, e.status, e.approver_id, e.last_modified_by_user_id)
                    for e in uow.session.scalars(select(ApprovalEntry).order_by(ApprovalEntry.id)))
    audits = uow.session.scalar(select(func.count()).select_from(ApprovalAudit))
    return entries, audits


# --------------------------------------------------------------------------- full cycles


def test_three_level_chain_cycle(chain_org: UnitOfWork) -> None:
    doc = purchase(amount="50000")
    send(chain_org, doc)
    assert status(chain_org) == [("REQ", 1, "Approved"), ("ANN", 2, "Open"), ("BOB", 3, "Created"),
                                 ("CEO", 4, "Created")]
    outcomes = []
    for approver in ("ANN", "BOB", "CEO"):
        result = actions.approve(chain_org, open_entry(chain_org, approver), approver)
        assert result.event == "ApprovalRequestApproved"
        outcomes.append(after_approval(chain_org, result, doc))
    assert outcomes == ["waiting", "waiting", "released"]
    assert [s for _, _, s in status(chain_org)] == ["Approved"] * 4


def test_send_notifies_opened_approvers_and_sender(chain_org: UnitOfWork) -> None:
    send(chain_org, limit_type="Approver Chain", notify_sender=True)
    notes = chain_org.session.scalars(select(NotificationEntry)).all()
    # the sender is the acting user: BC does not notify him about his own request
    assert [(n.recipient_id, n.entry_type) for n in notes] == [("ANN", "Approval")]
    assert notes[0].data["document_no"] == "1001" and notes[0].data["amount"] == "5000.00"
    r = actions.approve(chain_org, open_entry(chain_org, "ANN"), "ANN")
    scope, _ = make_scope(chain_org, DOC, "ANN", event_record=r.record)
    ApprovalService(scope).send_requests({"notify_sender": True})
    notes = chain_org.session.scalars(select(NotificationEntry).order_by(NotificationEntry.id)).all()
    assert sorted(n.recipient_id for n in notes) == ["ANN", "BOB", "REQ"]


def test_pending_approvals_counts_created_and_open_of_same_instance(chain_org: UnitOfWork) -> None:
    send(chain_org)
    scope, _ = make_scope(chain_org, DOC, "REQ", instance="instance-2")
    ApprovalService(scope).create_requests({"limit_type": "Direct Approver"})
    chain_org.flush()
    entry = chain_org.session.scalars(select(ApprovalEntry).where(ApprovalEntry.approver_id == "BOB")).one()
    assert entry_record(chain_org, entry).values["pending_approvals"] == 2  # ANN open + BOB created


def test_send_without_requests(chain_org: UnitOfWork) -> None:
    scope, _ = make_scope(chain_org, DOC, "REQ")
    with pytest.raises(ApprovalError) as err:
        ApprovalService(scope).send_requests({})
    assert err.value.code == "WF610"


def test_send_when_everything_is_self_approved_raises_approved(chain_org: UnitOfWork) -> None:
    rec = send(chain_org, purchase(amount="100"), requester="BOB")
    assert status(chain_org) == [("BOB", 1, "Approved")]
    assert [name for name, _ in rec.events] == ["ApprovalRequestApproved"]
    assert rec.events[0][1].values["pending_approvals"] == 0


# --------------------------------------------------------------------------- group tiers


def test_group_sequential_tiers(chain_org: UnitOfWork) -> None:
    group(chain_org, "SEQ", [("ANN", 1), ("BOB", 2)])
    send(chain_org, approver_type="Workflow User Group", workflow_user_group="SEQ")
    assert status(chain_org) == [("ANN", 1, "Open"), ("BOB", 2, "Created")]
    r = actions.approve(chain_org, open_entry(chain_org, "ANN"), "ANN")
    assert after_approval(chain_org, r) == "waiting"
    assert status(chain_org) == [("ANN", 1, "Approved"), ("BOB", 2, "Open")]
    r = actions.approve(chain_org, open_entry(chain_org, "BOB"), "BOB")
    assert after_approval(chain_org, r) == "released"


def test_group_parallel_tier_opens_together_and_all_must_approve(chain_org: UnitOfWork) -> None:
    group(chain_org, "PAR", [("ANN", 1), ("BOB", 1), ("CEO", 1)])
    send(chain_org, approver_type="Workflow User Group", workflow_user_group="PAR")
    assert status(chain_org) == [("ANN", 1, "Open"), ("BOB", 1, "Open"), ("CEO", 1, "Open")]
    assert approve_as(chain_org, "ANN") == "waiting"
    assert approve_as(chain_org, "BOB") == "waiting"
    assert approve_as(chain_org, "CEO") == "released"


def test_group_bc_one_approval_opens_next_tier(chain_org: UnitOfWork) -> None:
    group(chain_org, "MIX", [("ANN", 1), ("BOB", 1), ("CEO", 2)])
    send(chain_org, approver_type="Workflow User Group", workflow_user_group="MIX")
    approve_as(chain_org, "ANN")
    # BC: one member of a parallel tier opens the next tier; BOB stays open and still counts
    assert status(chain_org) == [("ANN", 1, "Approved"), ("BOB", 1, "Open"), ("CEO", 2, "Open")]


def test_quorum_two_of_three(chain_org: UnitOfWork) -> None:
    group(chain_org, "Q", [("ANN", 1), ("BOB", 1), ("CEO", 1)])
    send(chain_org, approver_type="Workflow User Group", workflow_user_group="Q", quorum="2 of 3")
    assert approve_as(chain_org, "ANN") == "waiting"
    r = actions.approve(chain_org, open_entry(chain_org, "CEO"), "CEO")
    assert len(r.canceled) == 1
    assert after_approval(chain_org, r) == "released"
    assert status(chain_org) == [("ANN", 1, "Approved"), ("BOB", 1, "Canceled"), ("CEO", 1, "Approved")]
    audit = chain_org.session.scalars(select(ApprovalAudit).where(ApprovalAudit.action == "quorum")).one()
    assert audit.new_status == "Canceled" and audit.user_id == "CEO"


def test_quorum_any_one_then_next_tier(chain_org: UnitOfWork) -> None:
    group(chain_org, "Q", [("ANN", 1), ("BOB", 1), ("CEO", 2)])
    send(chain_org, approver_type="Workflow User Group", workflow_user_group="Q", quorum=1)
    r = actions.approve(chain_org, open_entry(chain_org, "BOB"), "BOB")
    assert after_approval(chain_org, r) == "waiting"
    assert status(chain_org) == [("ANN", 1, "Canceled"), ("BOB", 1, "Approved"), ("CEO", 2, "Open")]
    assert approve_as(chain_org, "CEO") == "released"


def test_quorum_met_by_auto_approved_requester(chain_org: UnitOfWork) -> None:
    group(chain_org, "Q", [("REQ", 1), ("ANN", 1), ("CEO", 2)])
    send(chain_org, approver_type="Workflow User Group", workflow_user_group="Q", quorum="any 1 of")
    assert status(chain_org) == [("ANN", 1, "Canceled"), ("REQ", 1, "Approved"), ("CEO", 2, "Open")]


@pytest.mark.parametrize("quorum", ["3 of 2", "many", 0, "4 of 3", "4"])
def test_invalid_quorum(chain_org: UnitOfWork, quorum: object) -> None:
    group(chain_org, "Q", [("ANN", 1), ("BOB", 1), ("CEO", 1)])
    scope, _ = make_scope(chain_org, DOC, "REQ")
    with pytest.raises(ApprovalError) as err:
        ApprovalService(scope).create_requests({"approver_type": "Workflow User Group",
                                                "workflow_user_group": "Q", "quorum": quorum})
    assert err.value.code == "WF619"
    assert status(chain_org) == []


# --------------------------------------------------------------------------- self-approval


def test_self_approval_bc_default_auto_approves(chain_org: UnitOfWork) -> None:
    send(chain_org, purchase(amount="500"), requester="ANN")
    assert status(chain_org) == [("ANN", 1, "Approved")]


def test_self_approval_refused_goes_to_next_approver(chain_org: UnitOfWork) -> None:
    send(chain_org, purchase(amount="500"), requester="ANN", no_self_approval=True)
    assert status(chain_org) == [("BOB", 1, "Open")]
    e = chain_org.session.scalars(select(ApprovalEntry)).one()
    assert e.refuse_self_approval


def test_self_approval_refused_in_group_and_direct(chain_org: UnitOfWork) -> None:
    group(chain_org, "G", [("REQ", 1), ("ANN", 2)])
    send(chain_org, approver_type="Workflow User Group", workflow_user_group="G", self_approval="refuse")
    assert status(chain_org) == [("ANN", 2, "Open")]
    scope, _ = make_scope(chain_org, purchase(no="2"), "ADMIN")
    with pytest.raises(ApprovalError) as err:
        ApprovalService(scope).create_requests({"limit_type": "Direct Approver", "no_self_approval": True})
    assert err.value.code == "WF614"


def test_self_approval_refused_at_top_of_chain(chain_org: UnitOfWork) -> None:
    scope, _ = make_scope(chain_org, DOC, "CEO")
    with pytest.raises(ApprovalError) as err:
        ApprovalService(scope).create_requests({"limit_type": "Approver Chain", "self_approval": "refuse"})
    assert err.value.code == "WF614"


def test_administrator_cannot_approve_own_request_when_refused(chain_org: UnitOfWork) -> None:
    user(chain_org, "BOSS", "CEO", approval_administrator=False)
    send(chain_org, requester="BOSS", limit_type="Specific Approver", approver_id="ANN",
         no_self_approval=True)
    # make BOSS the administrator after sending: he still may not approve his own request
    chain_org.session.get_one(ApprovalUserSetup, "ADMIN").approval_administrator = False
    chain_org.session.get_one(ApprovalUserSetup, "BOSS").approval_administrator = True
    forget_setups(chain_org)  # the unit of work reads the changed setup when next needed
    before = snapshot(chain_org)
    with pytest.raises(ApprovalError) as err:
        actions.approve(chain_org, open_entry(chain_org, "ANN"), "BOSS")
    assert err.value.code == "WF614"
    assert snapshot(chain_org) == before


# --------------------------------------------------------------------------- authorization


def test_administrator_may_approve_for_others(chain_org: UnitOfWork) -> None:
    send(chain_org, limit_type="Direct Approver")
    r = actions.approve(chain_org, open_entry(chain_org, "ANN"), "ADMIN", comment="unblocking")
    assert r.record.values["status"] == "Approved"
    audit = chain_org.session.scalars(select(ApprovalAudit).where(ApprovalAudit.action == "approve")).one()
    assert (audit.user_id, audit.comment, audit.old_status, audit.new_status) == \
        ("ADMIN", "unblocking", "Open", "Approved")
    assert chain_org.session.scalars(select(ApprovalCommentLine)).one().comment == "unblocking"


@pytest.mark.parametrize("action", [actions.approve, actions.reject])
def test_only_approver_or_administrator(chain_org: UnitOfWork, action: Any) -> None:
    send(chain_org, limit_type="Direct Approver")
    entry = open_entry(chain_org, "ANN")
    before = snapshot(chain_org)
    for intruder in ("BOB", "REQ", "NOBODY"):
        with pytest.raises(ApprovalError) as err:
            action(chain_org, entry, intruder)
        assert err.value.code == "WF612"
    assert snapshot(chain_org) == before


@pytest.mark.parametrize("action", [actions.approve, actions.reject, actions.delegate])
def test_only_open_entries(chain_org: UnitOfWork, action: Any) -> None:
    send(chain_org, purchase(amount="50000"))
    chain_org.flush()
    created = chain_org.session.scalars(select(ApprovalEntry).where(ApprovalEntry.approver_id == "CEO")).one()
    before = snapshot(chain_org)
    with pytest.raises(ApprovalError) as err:
        action(chain_org, created.id, "CEO")
    assert err.value.code == "WF611"
    assert snapshot(chain_org) == before


def test_unknown_entry(chain_org: UnitOfWork) -> None:
    with pytest.raises(ApprovalError) as err:
        actions.approve(chain_org, "999", "ANN")
    assert err.value.code == "WF615"


@pytest.mark.parametrize("ref", ["9" * 4301, "1" * 5000], ids=["4301-digits", "5000-digits"])
def test_entry_numbers_beyond_int_conversion_are_wf615(chain_org: UnitOfWork, ref: str) -> None:
    with pytest.raises(ApprovalError) as err:
        actions.approve(chain_org, ref, "ANN")
    assert err.value.code == "WF615"


def test_entry_numbers_with_leading_zeros(chain_org: UnitOfWork) -> None:
    send(chain_org, limit_type="Direct Approver")
    r = actions.approve(chain_org, "0" * 20 + "1", "ANN")
    assert r.record.key == "1" and r.record.type == "ApprovalEntry"


def test_entry_by_number(chain_org: UnitOfWork) -> None:
    send(chain_org, limit_type="Direct Approver")
    r = actions.approve(chain_org, "1", "ANN")
    assert r.record.key == "1" and r.record.type == "ApprovalEntry"


def test_reject_then_reject_all(chain_org: UnitOfWork) -> None:
    send(chain_org, purchase(amount="50000"))
    r = actions.reject(chain_org, open_entry(chain_org, "ANN"), "ANN", comment="too expensive")
    assert r.event == "ApprovalRequestRejected"
    scope, _ = make_scope(chain_org, purchase(amount="50000"), "ANN", event_record=r.record)
    ApprovalService(scope).reject_all({"notify_sender": True})
    assert [s for _, _, s in status(chain_org)] == ["Rejected"] * 4
    to_sender = select(NotificationEntry).where(NotificationEntry.recipient_id == "REQ")
    assert len(list(chain_org.session.scalars(to_sender))) == 1


def test_cancel_all(chain_org: UnitOfWork) -> None:
    send(chain_org, purchase(amount="50000"))
    scope, _ = make_scope(chain_org, purchase(amount="50000"), "REQ")
    ApprovalService(scope).cancel_all({})
    assert [s for _, _, s in status(chain_org)] == ["Canceled"] * 4
    # notified: those that were Open (ANN); REQ's own approved entry is his own
    notes = [n.recipient_id for n in chain_org.session.scalars(select(NotificationEntry))
             if n.entry_type == "Approval"]
    assert notes.count("ANN") == 2  # sent + canceled


def test_approve_all_and_create_and_approve_automatically(chain_org: UnitOfWork) -> None:
    send(chain_org, purchase(amount="50000"))
    scope, _ = make_scope(chain_org, purchase(amount="50000"), "ADMIN")
    ApprovalService(scope).approve_all()
    assert [s for _, _, s in status(chain_org)] == ["Approved"] * 4
    scope, _ = make_scope(chain_org, purchase(no="7"), "BOB", instance="instance-9")
    ApprovalService(scope).create_and_approve_automatically()
    assert status(chain_org)[-1] == ("BOB", 1, "Approved")


# --------------------------------------------------------------------------- delegation


def test_delegation_order(chain_org: UnitOfWork) -> None:
    user(chain_org, "SUBS", "CEO")
    ann = chain_org.session.get_one(ApprovalUserSetup, "ANN")
    ann.substitute = "SUBS"
    send(chain_org, limit_type="Direct Approver")
    entry = open_entry(chain_org, "ANN")
    r = actions.delegate(chain_org, entry, "ANN")
    assert (r.event, r.delegated_to) == ("ApprovalRequestDelegated", "SUBS")
    # SUBS has no substitute: his own approver
    assert actions.delegate(chain_org, entry, "REQ").delegated_to == "CEO"  # the sender may delegate
    # CEO is his own approver and has no substitute: the administrator
    assert actions.delegate(chain_org, entry, "CEO").delegated_to == "ADMIN"
    # ADMIN has nobody
    before = snapshot(chain_org)
    with pytest.raises(ApprovalError) as err:
        actions.delegate(chain_org, entry, "ADMIN")
    assert err.value.code == "WF613"
    assert snapshot(chain_org) == before
    trail = [a.detail for a in chain_org.session.scalars(
        select(ApprovalAudit).where(ApprovalAudit.action == "delegate").order_by(ApprovalAudit.id))]
    assert trail == ["from ANN to SUBS", "from SUBS to CEO", "from CEO to ADMIN"]


def test_delegate_authorization(chain_org: UnitOfWork) -> None:
    send(chain_org, limit_type="Direct Approver")
    with pytest.raises(ApprovalError) as err:
        actions.delegate(chain_org, open_entry(chain_org, "ANN"), "BOB")
    assert err.value.code == "WF612"


def test_delegated_entry_is_resent_to_new_approver(chain_org: UnitOfWork) -> None:
    send(chain_org, limit_type="Direct Approver")
    r = actions.delegate(chain_org, open_entry(chain_org, "ANN"), "ANN")
    scope, _ = make_scope(chain_org, DOC, "ANN", event_record=r.record)
    ApprovalService(scope).send_requests({})
    notes = [n.recipient_id for n in chain_org.session.scalars(select(NotificationEntry))]
    assert notes == ["ANN", "BOB"]


def test_reject_single_entry_notifies_the_sender(chain_org: UnitOfWork) -> None:
    """BC raises the reject event before marking the entry: "reject all, notify sender" still tells the
    sender when the rejected entry was the only one."""
    send(chain_org, limit_type="Direct Approver")
    r = actions.reject(chain_org, open_entry(chain_org, "ANN"), "ANN")
    scope, _ = make_scope(chain_org, DOC, "ANN", event_record=r.record)
    ApprovalService(scope).reject_all({"notify_sender": True})
    notes = [(n.recipient_id, n.data["status"]) for n in chain_org.session.scalars(
        select(NotificationEntry).order_by(NotificationEntry.id))]
    assert notes == [("ANN", "Open"), ("REQ", "Rejected")]
    audits = chain_org.session.scalars(select(ApprovalAudit).where(ApprovalAudit.action.like("reject%")))
    assert [a.action for a in audits] == ["reject"]  # reject all changed nothing more
