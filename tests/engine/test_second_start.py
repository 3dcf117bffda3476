"""A record is in a workflow once: sending a document that is already in approval starts no second
instance (WF516, nothing applied), and the status a workflow set wins over a stale host payload."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import tomllib
from pathlib import Path
from typing import Any

import pytest

from werkstroom import deploy
from werkstroom.catalogue.specs import FieldKind as K
from werkstroom.engine.approvals.setup import load_setup
from werkstroom.engine.clock import SequentialIds, VirtualClock
from werkstroom.engine.facade import Engine, open_engine
from werkstroom.engine.hold import SecondStart

from . import sendrace
from .lib import W, approval, approval_workflow, c, cmp, doc, f, invoice_open

ROOT = Path(__file__).resolve().parents[2]
PIAPW = "PurchaseHeader", "Invoice|PI-7"


def _example(url: str) -> Engine:
    """An engine with the organisation and the example's PIAPW-EU workflow enabled."""
    eng = open_engine(url, clock=VirtualClock(dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)), ids=SequentialIds())
    with (ROOT / "examples" / "organisation.toml").open("rb") as fh, eng.transaction() as uow:
        load_setup(uow, tomllib.load(fh))
    deploy(eng, (ROOT / "examples" / "purchase-invoice-eu.wf").read_text(), "purchase-invoice-eu.wf")
    eng.enable("PIAPW-EU")
    return eng


def _entries(eng: Engine) -> list[tuple[str, str]]:
    record_type, record_key = PIAPW
    return [(e.approver_id, e.status) for e in eng.approval_entries(record_type=record_type,
                                                                     record_key=record_key)]


def _everything(eng: Engine) -> tuple[Any, ...]:
    return (eng.instances(), _entries(eng), eng.outbox(), eng.event_log(), eng.record(*PIAPW),
            eng.record_state(*PIAPW))


def test_sending_a_document_in_approval_again_is_refused_and_changes_nothing(engine_url: str) -> None:
    eng = _example(engine_url)
    try:
        first = eng.emit("PurchaseDocSentForApproval", sendrace.INVOICE, user="BUYER")
        assert first.outcome == "started" and first.instance_id == "instance-1"
        before = _everything(eng)
        assert before[1] == [("BUYER", "Approved"), ("FINANCE", "Open")]
        # the host sends it again, with the status it last knew (Open) and a changed amount
        with pytest.raises(SecondStart) as err:
            eng.emit("PurchaseDocSentForApproval", {**sendrace.INVOICE, "amount": "5000"}, user="BUYER")
        assert err.value.code == "WF516"
        assert err.value.instance_id == "instance-1" and err.value.workflow_code == "PIAPW-EU"
        assert "already in workflow PIAPW-EU" in str(err.value) and "instance-1" in str(err.value)
        assert _everything(eng) == before  # not applied: no instance, entry, outbox or audit row
        # the one approval releases the document; no other instance waits
        open_entry = next(e.entry_id for e in eng.approval_entries(approver="FINANCE", status="Open"))
        done = eng.approve(open_entry, "FINANCE")
        assert done.handled[0].archived and eng.instances() == []
        assert eng.record_state(*PIAPW).status == "Released"
    finally:
        eng.close()


def test_a_redelivery_with_the_same_key_is_answered_not_refused(engine_url: str) -> None:
    eng = _example(engine_url)
    try:
        first = eng.emit("PurchaseDocSentForApproval", sendrace.INVOICE, user="BUYER", idempotency_key="m1")
        again = eng.emit("PurchaseDocSentForApproval", sendrace.INVOICE, user="BUYER", idempotency_key="m1")
        assert again.replayed and again.instance_id == first.instance_id
        with pytest.raises(SecondStart):  # a new message is a second send
            eng.emit("PurchaseDocSentForApproval", sendrace.INVOICE, user="BUYER", idempotency_key="m2")
        assert len(eng.instances()) == 1 and len(eng.event_log()) == 1
    finally:
        eng.close()


def _cancelable(engine: Engine) -> None:
    """Sent -> restrict, pending; canceled when status = Pending Approval (MS-PIAPW's cancel step)."""
    w = W("APW")
    e1 = w.event("DocSent", None, invoice_open())
    send = w.chain(e1, "restrict", "set_pending", "wait")
    pending = cmp(f("status", K.ENUM), "=", c("Pending Approval", K.ENUM))
    e_can = w.event("DocCanceled", send, pending)
    w.chain(e_can, "allow", "reopen")
    engine.deploy_workflow(w.build())
    engine.enable("APW")


def test_the_status_a_workflow_set_wins_over_a_stale_payload(engine: Engine) -> None:
    _cancelable(engine)
    assert engine.emit("DocSent", doc(), user="U").outcome == "started"
    # a change of another field, with the status the host last knew: the status stays
    engine.emit("DocChanged", doc(description="urgent"), user="U")
    engine.put_record("Doc", doc(description="very urgent"))
    stored = engine.record("Doc", "Invoice|1001")
    assert stored is not None and stored["status"] == "Pending Approval"
    assert stored["description"] == "very urgent"
    # the cancel step waits for status = Pending Approval: it fires although the payload says Open
    cancel = engine.emit("DocCanceled", doc(), user="U")
    h = cancel.handled[0]
    assert h.outcome == "continued" and h.archived, h
    assert any("status Open is not taken" in n and "Pending Approval" in n for n in h.notes), h.notes
    assert engine.record_state("Doc", "Invoice|1001").status == "Open"


def test_the_host_status_counts_once_no_workflow_holds_the_record(engine: Engine) -> None:
    engine.deploy_workflow(approval_workflow())
    engine.enable("DOC-APW")
    engine.emit("DocSent", doc(), user="U")
    engine.emit("Approved", approval("instance-1", 0), user="U")
    assert engine.record_state("Doc", "Invoice|1001").status == "Released"
    # the host reopens the released document itself and sends it again
    engine.emit("DocChanged", doc(amount="1800"), user="U")
    assert engine.record_state("Doc", "Invoice|1001").status == "Open"
    again = engine.emit("DocSent", doc(amount="1800"), user="U")
    assert again.outcome == "started" and again.instance_id == "instance-2"
    changed = [e["payload"] for e in again.effects if e["kind"] == "record.status_changed"]
    assert changed == [{"record_type": "Doc", "key": "Invoice|1001", "old_status": "Open",
                        "status": "Pending Approval"}]


def test_a_change_event_is_refused_only_when_it_would_start_the_workflow_again(engine: Engine) -> None:
    w = W("CREDIT")
    e1 = w.event("DocChanged", None, cmp(f("credit_limit"), ">", f("credit_limit", old=True)))
    w.event("DocCanceled", w.chain(e1, "wait"))
    engine.deploy_workflow(w.build())
    engine.enable("CREDIT")
    engine.put_record("Doc", doc(credit_limit="100"))
    assert engine.emit("DocChanged", doc(credit_limit="200"), user="U").outcome == "started"
    # another field changes: the entry condition does not hold, the change is taken as usual
    other = engine.emit("DocChanged", doc(credit_limit="200", description="x"), user="U")
    assert other.outcome == "no workflow matched"
    assert (engine.record("Doc", "Invoice|1001") or {})["description"] == "x"
    with pytest.raises(SecondStart) as err:  # raised again while the first raise waits
        engine.emit("DocChanged", doc(credit_limit="300"), user="U")
    assert err.value.instance_id == "instance-1"
    assert (engine.record("Doc", "Invoice|1001") or {})["credit_limit"] == 200
    assert len(engine.instances()) == 1


RACERS = 8


@pytest.mark.parametrize("engine_url", [pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
def test_eight_processes_sending_one_document_start_one_instance(engine_url: str) -> None:
    # eight app servers (OS processes, each with its own engine and connections) send the same invoice
    # at once, half of them with the same message key: one instance, one set of entries; the others
    # are refused (WF516) or, with the first delivery's key, answered with its result
    _example(engine_url).close()
    ctx = multiprocessing.get_context("fork")  # each process opens its own engine and connections
    start, answers = ctx.Barrier(RACERS), ctx.Queue()
    procs = [ctx.Process(target=sendrace.send, args=(engine_url, start, answers, n,
                                                     "erp-1" if n % 2 else None))
             for n in range(RACERS)]
    for p in procs:
        p.start()
    got = sorted(answers.get(timeout=60) for _ in procs)
    for p in procs:
        p.join(30)
    started = [a for a in got if a[1] == "started" and not a[3]]
    assert len(started) == 1, got
    winner = started[0]
    for n, outcome, instance, replayed, code in got:
        if (n, outcome) == winner[:2]:
            continue
        if replayed:  # the same message as the winner's
            assert n % 2 and winner[0] % 2 and instance == winner[2], got
        else:
            assert (outcome, code, instance) == ("refused", "WF516", winner[2]), got
    eng = open_engine(engine_url)
    try:
        assert [i.id for i in eng.instances()] == [winner[2]]
        assert _entries(eng) == [("BUYER", "Approved"), ("FINANCE", "Open")]
        assert len(eng.event_log()) == 1
    finally:
        eng.close()
