"""Canceling an approval request (``Engine.cancel``): one transaction that checks who may cancel, reads
the record, checks that a step of the request's instance takes the record's cancel event and handles
it; a cancel that would change nothing (no step waits for the event, or none of the waiting ones fires)
is refused with WF517 and changes nothing. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_engine_cli import ORG, WORKFLOW, invoice, open_for

from werkstroom import NothingWaitsForCancel, deploy
from werkstroom.cli import cli
from werkstroom.engine.clock import SequentialIds, VirtualClock
from werkstroom.engine.facade import Engine, open_engine
from werkstroom.errors import WerkstroomError

CANCEL = "PurchaseDocApprovalRequestCanceled"
CANCEL_STEP = f'''\
     on {CANCEL} then
        cancel approval requests
        allow record usage
        reopen document
'''
assert CANCEL_STEP in WORKFLOW
# the same workflow without the step that takes a cancel, and with one whose condition never holds
NO_CANCEL_STEP = WORKFLOW.replace(CANCEL_STEP, "")
CANCEL_NEVER_FIRES = WORKFLOW.replace(f"on {CANCEL} then", f"on {CANCEL} when amount > 1000000 then")


def _engine(url: str, script: str) -> Engine:
    clock = VirtualClock(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC))
    eng = open_engine(url, clock=clock, ids=SequentialIds())
    deploy(eng, script, "test.wf")
    assert [d for d in eng.enable("PIAPW-T") if d.is_error] == []
    eng.load_setup(ORG)
    eng.emit("PurchaseDocSentForApproval", invoice(), user="REQ")
    return eng


@pytest.fixture()
def eng(engine_url: str) -> Iterator[Engine]:
    """REQ's invoice 1001 (50000: ANN, BOB, CEO approve) sent to the workflow with BC's cancel step."""
    e = _engine(engine_url, WORKFLOW)
    try:
        yield e
    finally:
        e.close()


def snapshot(eng: Engine) -> dict[str, Any]:
    """Everything a refused cancel must leave as it was."""
    entries = eng.approval_entries()
    state = eng.record_state("PurchaseHeader", "Invoice|1001")
    return {
        "entries": [(e.entry_no, e.status, e.approver_id, e.sender_id) for e in entries],
        "history": [eng.approval_history(e.entry_id).audit for e in entries],
        "instances": [(i.id, i.workflow_code, i.record_key) for i in eng.instances()],
        "steps": [(s.step_id, s.status) for i in eng.instances() for s in eng.steps(i.id)],
        "archive": [i.id for i in eng.archive()],
        "outbox": [(o.id, o.kind) for o in eng.outbox()],
        "events": eng.event_log(),
        "record": eng.record("PurchaseHeader", "Invoice|1001"),
        "state": (state.status, state.restricted),
        "notifications": [n.id for n in eng.waiting_notifications()],
    }


def test_a_cancel_no_step_waits_for_is_refused_WF517_and_changes_nothing(engine_url: str) -> None:
    eng = _engine(engine_url, NO_CANCEL_STEP)
    try:
        entry = open_for(eng, "ANN")
        [instance] = eng.instances()
        before = snapshot(eng)
        sent: list[str] = []
        with eng.watch_statements(lambda text, params, many: sent.append(text)), \
                pytest.raises(NothingWaitsForCancel) as err:
            eng.cancel(entry, "REQ")
        assert err.value.code == "WF517"
        assert (err.value.instance_id, err.value.workflow_code, err.value.event) == (instance.id, "PIAPW-T",
                                                                                     CANCEL)
        message = err.value.message
        assert message.startswith("nothing waits for the cancel: no step of instance "
                                  f"{instance.id} of workflow PIAPW-T on PurchaseHeader Invoice|1001 waits "
                                  f"for {CANCEL}")
        assert f"`on {CANCEL}`" in message and "add one to workflow PIAPW-T" in message
        assert "COMMIT" not in sent and sent[-1] == "ROLLBACK"  # one unit of work, rolled back
        assert snapshot(eng) == before
        assert before["state"] == ("Pending Approval", True)
        # the request goes on as before
        eng.approve(entry, "ANN")
        assert open_for(eng, "BOB")
    finally:
        eng.close()


def test_a_cancel_whose_waiting_step_does_not_fire_is_refused_WF517(engine_url: str) -> None:
    eng = _engine(engine_url, CANCEL_NEVER_FIRES)
    try:
        entry = open_for(eng, "ANN")
        before = snapshot(eng)
        with pytest.raises(WerkstroomError) as err:
            eng.cancel(entry, "REQ")
        assert err.value.code == "WF517"
        assert f"that wait for {CANCEL} (step " in err.value.message
        assert "have conditions that do not hold for PurchaseHeader Invoice|1001" in err.value.message
        assert snapshot(eng) == before
    finally:
        eng.close()


def test_a_cancel_cancels_every_entry_and_reopens_the_document(eng: Engine) -> None:
    eng.approve(open_for(eng, "ANN"), "ANN")
    entry = open_for(eng, "BOB")
    events = len(eng.event_log())
    result = eng.cancel(entry, "REQ")
    first = result.handled[0]
    assert (first.event, first.outcome, first.workflow_code) == (CANCEL, "continued", "PIAPW-T")
    assert [r.name for r in first.responses] == ["cancel_approval_requests", "allow_record_usage",
                                                 "reopen_document"]
    assert [e.status for e in eng.approval_entries()] == ["Canceled"] * 4  # BC cancels approved ones too
    state = eng.record_state("PurchaseHeader", "Invoice|1001")
    assert (state.status, state.restricted) == ("Open", False)
    assert eng.instances() == [] and len(eng.archive()) == 1
    assert len(eng.event_log()) == events + 1 and result.event_id == eng.event_log()[-1][0]
    with pytest.raises(WerkstroomError) as err:  # no longer pending
        eng.cancel(entry, "REQ")
    assert err.value.code == "WF611"


def test_only_the_sender_or_the_administrator_cancels(eng: Engine) -> None:
    entry = open_for(eng, "ANN")
    before = snapshot(eng)
    with pytest.raises(WerkstroomError) as err:
        eng.cancel(entry, "ANN")
    assert err.value.code == "WF612" and snapshot(eng) == before


def test_a_repeated_cancel_with_its_idempotency_key_answers_the_first_result(eng: Engine) -> None:
    entry = open_for(eng, "ANN")
    first = eng.cancel(entry, "REQ", idempotency_key="cancel-1001")
    after = snapshot(eng)
    again = eng.cancel(entry, "req", idempotency_key="cancel-1001")
    assert again.replayed and not first.replayed
    assert again.event_id == first.event_id
    assert [h.to_json() for h in again.handled] == [h.to_json() for h in first.handled]
    assert snapshot(eng) == after
    with pytest.raises(WerkstroomError) as err:  # the key with another payload
        eng.cancel(entry, "CEO", idempotency_key="cancel-1001")
    assert err.value.code == "WF504" and snapshot(eng) == after


def test_a_cancel_is_one_transaction(eng: Engine) -> None:
    entry = open_for(eng, "ANN")
    ends: list[str] = []
    with eng.watch_statements(lambda text, params, many: ends.append(text) if text in ("COMMIT", "ROLLBACK")
                              else None):
        eng.cancel(entry, "REQ")
    assert ends == ["COMMIT"]
    assert {e.status for e in eng.approval_entries()} == {"Canceled"}


def test_wf_cancel_prints_the_refusal_WF517_and_exits_1(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'wf.db'}"
    eng = _engine(db, NO_CANCEL_STEP)
    try:
        entry = open_for(eng, "ANN")
        before = snapshot(eng)
    finally:
        eng.close()
    r = CliRunner().invoke(cli, ["--db", db, "cancel", entry, "--as", "REQ"], catch_exceptions=False)
    assert r.exit_code == 1
    assert r.output.startswith("wf: nothing waits for the cancel: no step of instance ")
    assert r.output.rstrip().endswith("[WF517]")
    eng = open_engine(db)
    try:
        assert snapshot(eng) == before
    finally:
        eng.close()


ON_POSTGRES = pytest.mark.parametrize("engine_url", [pytest.param("postgresql", marks=pytest.mark.postgres)],
                                      indirect=True)


def _at_once(eng: Engine, engine_url: str, race: Any, first: str, second: str) -> tuple[object, object]:
    """``first`` on ``eng`` and, while it runs, ``second`` on a second engine on the same store (as a
    second app server would): ANN's approval or REQ's cancel of ANN's entry. Both results."""
    entry = open_for(eng, "ANN")
    other = open_engine(engine_url, clock=VirtualClock(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)),
                        ids=SequentialIds(start=1000))

    def act(engine: Engine, what: str) -> object:
        return engine.cancel(entry, "REQ") if what == "cancel" else engine.approve(entry, "ANN")

    try:
        result: tuple[object, object] = race(lambda: act(eng, first), lambda: act(other, second))
        return result
    finally:
        other.close()


@ON_POSTGRES
def test_an_approval_sent_while_a_cancel_runs_waits_and_is_refused(eng: Engine, engine_url: str,
                                                                    race: Any) -> None:
    canceled, approved = _at_once(eng, engine_url, race, "cancel", "approve")
    assert not isinstance(canceled, Exception), canceled
    # the approval waited for the cancel's locks, then found the request canceled
    assert isinstance(approved, WerkstroomError) and approved.code == "WF611", approved
    assert {e.status for e in eng.approval_entries()} == {"Canceled"}
    assert eng.record_state("PurchaseHeader", "Invoice|1001").status == "Open"


@ON_POSTGRES
def test_a_cancel_sent_while_an_approval_runs_waits_and_cancels_after_it(eng: Engine, engine_url: str,
                                                                         race: Any) -> None:
    approved, canceled = _at_once(eng, engine_url, race, "approve", "cancel")
    assert not isinstance(approved, Exception), approved
    assert not isinstance(canceled, Exception), canceled  # BOB's entry was still open: still pending
    entry = eng.approval_entries(approver="ANN")[0].entry_no
    audit = [(a.user, a.old_status, a.new_status) for a in eng.approval_history(entry).audit]
    assert audit == [("ANN", "Open", "Approved"), ("REQ", "Approved", "Canceled")]  # one after the other
    assert {e.status for e in eng.approval_entries()} == {"Canceled"}
    assert eng.record_state("PurchaseHeader", "Invoice|1001").status == "Open"
