"""BC's worked example (catalogue.md section 7, "MS-POAPW with two approvers") through the engine,
on a copy of the shipped MS-POAPW template, with the real stdlib, approvals and notifications."""

from __future__ import annotations

import tomllib
from pathlib import Path

from sqlalchemy import select

from werkstroom import install_templates
from werkstroom.engine.approvals.setup import load_setup
from werkstroom.engine.clock import SequentialIds, VirtualClock
from werkstroom.engine.facade import Engine, open_engine
from werkstroom.store.approvals import ApprovalEntry

ROOT = Path(__file__).resolve().parents[2]


def entries(eng: Engine) -> list[tuple[int, str, str]]:
    with eng.transaction() as uow:
        return [(e.sequence_no, e.approver_id, e.status) for e in uow.session.scalars(
            select(ApprovalEntry).order_by(ApprovalEntry.entry_no))]


def open_entry(eng: Engine, approver: str) -> str:
    with eng.transaction() as uow:
        return uow.session.scalars(select(ApprovalEntry.id).where(
            ApprovalEntry.status == "Open", ApprovalEntry.approver_id == approver)).one()


def test_ms_poapw_two_approvers(engine_url: str) -> None:
    eng = open_engine(engine_url, clock=VirtualClock(), ids=SequentialIds(), explain=True)
    try:
        with eng.transaction() as uow:
            load_setup(uow, tomllib.loads((ROOT / "examples" / "organisation.toml").read_text()))
        install_templates(eng)
        eng.copy("MS-POAPW", "POAPW")
        eng.enable("POAPW")
        order = {"document_type": "Order", "no": "PO-1", "status": "Open", "amount": "25000",
                 "amount_lcy": "25000", "purchaser_code": "BY"}
        # 1. U sends the order: no running instance -> the enabled workflow's entry point matches
        r = eng.emit("PurchaseDocSentForApproval", order, user="BUYER")
        assert r.outcome == "started"
        # 2. restrict, pending approval, entries along the chain (U himself auto-approved), send M1
        assert [x.name for x in r.handled[0].responses] == [
            "restrict_record_usage", "set_status_pending_approval", "create_approval_requests",
            "send_approval_requests"]
        assert entries(eng) == [(1, "BUYER", "Approved"), (2, "FINANCE", "Open"), (3, "CEO", "Created")]
        state = eng.record_state("PurchaseHeader", "Order|PO-1")
        assert state.status == "Pending Approval" and state.restricted
        # 3. M1 approves: Pending Approvals = 1 -> the "> 0" branch re-sends to M2 and loops (NEXT)
        r = eng.approve(open_entry(eng, "FINANCE"), "FINANCE")
        fired = r.handled[0].fired
        assert fired is not None and fired.tests[0][1] == [("pending_approvals", 1)]
        assert r.handled[0].responses[0].jump is not None
        assert entries(eng)[2] == (3, "CEO", "Open")
        # 4. M2 approves: Pending Approvals = 0 -> allow record usage, release; instance archived
        r = eng.approve(open_entry(eng, "CEO"), "CEO")
        assert [x.name for x in r.handled[0].responses] == ["allow_record_usage", "release_document"]
        assert r.handled[0].archived and eng.instances() == []
        state = eng.record_state("PurchaseHeader", "Order|PO-1")
        assert state.status == "Released" and not state.restricted
        assert "document.released" in [o.kind for o in eng.outbox()]
    finally:
        eng.close()
