"""The ResponseContext: record state, record changes, outbox and subscribers, loops and guards."""

from __future__ import annotations

from typing import Any

import pytest

from werkstroom.engine.facade import Engine, OutboxItem
from werkstroom.engine.run import EventLoop, NoKnownInstance, ResponseFailed, UnknownResponse

from .lib import CALLS, W, approval, c, cmp, doc, f


def change_workflow(engine: Engine) -> None:
    """BC's MS-CCLCAPW shape: on a change of credit_limit: revert the field and wait; approved ->
    apply; rejected -> discard."""
    w = W("CHANGE")
    e1 = w.event("DocChanged", None, cmp(f("credit_limit"), ">", c("0")))
    r = w.response("revert", e1, field="credit_limit")
    r = w.response("wait", r)
    e_ok = w.event("Approved", r, record="Approval")
    w.response("apply", e_ok)
    e_no = w.event("Rejected", r, record="Approval")
    w.response("discard", e_no)
    engine.deploy_workflow(w.build())
    engine.enable("CHANGE")


def test_revert_then_apply_new_value(engine: Engine) -> None:
    change_workflow(engine)
    from decimal import Decimal

    iid = engine.emit("DocChanged", doc(credit_limit="9000"), old=doc(credit_limit="5000"),
                      user="U").instance_id
    assert iid is not None
    assert engine.record("Doc", "Invoice|1001")["credit_limit"] == Decimal(5000)  # type: ignore[index]
    pending = engine.record_state("Doc", "Invoice|1001").pending_changes
    assert [(p.field, p.old_value, p.new_value, p.workflow_code) for p in pending] == [
        ("credit_limit", Decimal(5000), Decimal(9000), "CHANGE")]
    assert [o.kind for o in engine.outbox()] == ["record.field_reverted"]
    engine.emit("Approved", approval(iid, 0), user="BOSS")
    assert engine.record("Doc", "Invoice|1001")["credit_limit"] == Decimal(9000)  # type: ignore[index]
    assert engine.record_state("Doc", "Invoice|1001").pending_changes == ()


def test_apply_refuses_when_field_changed_meanwhile(engine: Engine) -> None:
    change_workflow(engine)
    iid = engine.emit("DocChanged", doc(credit_limit="9000"), old=doc(credit_limit="5000"),
                      user="U").instance_id
    assert iid is not None
    engine.put_record("Doc", doc(credit_limit="6000"))  # someone changed it in the meantime
    with pytest.raises(ResponseFailed) as err:
        engine.emit("Approved", approval(iid, 0), user="BOSS")
    assert err.value.original_code == "WF508"
    assert "now holds 6000" in str(err.value)
    assert len(engine.record_state("Doc", "Invoice|1001").pending_changes) == 1


def test_discard_new_values(engine: Engine) -> None:
    change_workflow(engine)
    iid = engine.emit("DocChanged", doc(credit_limit="9000"), old=doc(credit_limit="5000"),
                      user="U").instance_id
    assert iid is not None
    engine.emit("Rejected", approval(iid, 0), user="BOSS")
    assert engine.record_state("Doc", "Invoice|1001").pending_changes == ()
    assert str(engine.record("Doc", "Invoice|1001")["credit_limit"]) == "5000"  # type: ignore[index]


def test_subscribers_get_committed_outbox_rows(engine: Engine) -> None:
    w = W("MSG")
    e1 = w.event("DocSent", None)
    r = w.response("message", e1, text="hello")
    w.response("release", r)
    engine.deploy_workflow(w.build())
    engine.enable("MSG")
    got: list[list[OutboxItem]] = []
    stop = engine.subscribe(lambda items: got.append(list(items)))
    engine.emit("DocSent", doc(), user="ALICE")
    assert [[i.kind for i in batch] for batch in got] == [["message", "record.status_changed",
                                                            "document.released"]]
    assert got[0][0].payload == {"user": "ALICE", "text": "hello"}
    assert got[0][2].workflow_code == "MSG"
    stop()
    engine.emit("DocSent", doc(no="2"), user="ALICE")
    assert len(got) == 1
    last = engine.outbox()[2].id
    assert [i.kind for i in engine.outbox(after=last)] == ["message", "record.status_changed",
                                                          "document.released"]


def test_events_raised_in_a_loop_are_stopped(engine: Engine) -> None:
    w = W("LOOP")
    e1 = w.event("Poked", None)
    w.response("poke", e1)
    engine.deploy_workflow(w.build())
    engine.enable("LOOP")
    with pytest.raises(EventLoop) as err:
        engine.emit("Poked", doc(), user="U")
    assert err.value.code == "WF510"
    assert engine.instances() == [] and engine.archive() == []


def test_unknown_response_at_run_time(engine: Engine) -> None:
    # deployed and enabled under a catalogue that had it; this engine's catalogue does not
    w = W("GONE")
    e1 = w.event("DocSent", None)
    w.response("vanished", e1)
    engine.deploy_workflow(w.build())
    from werkstroom.store.database import WorkflowRow

    with engine.transaction() as uow:
        row = uow.session.get(WorkflowRow, "GONE")
        assert row is not None
        row.enabled = True
    with pytest.raises(UnknownResponse) as err:
        engine.emit("DocSent", doc(), user="U")
    assert err.value.code == "WF512"


def test_approval_event_without_instance_is_refused(engine: Engine) -> None:
    with pytest.raises(NoKnownInstance) as err:
        engine.emit("Approved", {"id": "A1", "pending": 0}, user="U")
    assert err.value.code == "WF514"
    # an instance that is no longer running: nothing happens
    r = engine.emit("Approved", approval("instance-404", 0), user="U")
    assert r.outcome == "instance not running"


def test_explain_records_values_read(engine: Engine) -> None:
    w = W("WHY")
    cond = cmp(f("amount"), ">", c("1000"))
    e1 = w.event("DocSent", None, cond)
    w.response("wait", e1)
    engine.deploy_workflow(w.build())
    engine.enable("WHY")
    r = engine.emit("DocSent", doc(amount="999.99"), user="U")
    t = r.handled[0].not_fired[0]
    assert (t.workflow_code, t.step_id, t.result) == ("WHY", 1, False)
    assert t.tests == [("amount > 1000", [("amount", "999.99")], False)]
    r2 = engine.emit("DocSent", doc(amount="1000.01"), user="U")
    fired: Any = r2.handled[0].fired
    assert fired.tests == [("amount > 1000", [("amount", "1000.01")], True)]
    assert CALLS == ["wait"]


def test_change_event_without_old_uses_the_stored_values(engine: Engine) -> None:
    change_workflow(engine)
    engine.put_record("Doc", doc(credit_limit="5000"))
    r = engine.emit("DocChanged", doc(credit_limit="7000"), user="U")  # no old: the stored 5000 is old
    assert r.outcome == "started"
    assert r.handled[0].fired is not None
    assert r.handled[0].fired.tests == [("credit_limit > 0", [("credit_limit", "7000")], True)]
    pending = engine.record_state("Doc", "Invoice|1001").pending_changes
    assert [(str(p.old_value), str(p.new_value)) for p in pending] == [("5000", "7000")]
