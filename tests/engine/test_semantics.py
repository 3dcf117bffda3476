"""BC's engine semantics (catalogue.md section 7) on hand-built workflows."""

from __future__ import annotations

from werkstroom.binding.program import BField
from werkstroom.catalogue.specs import FieldKind as K
from werkstroom.engine.facade import Engine

from .lib import CALLS, W, approval, approval_workflow, c, cmp, doc, f, invoice_open


def start(engine: Engine, code: str = "DOC-APW") -> str:
    engine.deploy_workflow(approval_workflow(code))
    engine.enable(code)
    res = engine.emit("DocSent", doc(), user="ALICE")
    assert res.outcome == "started"
    assert res.instance_id is not None
    return res.instance_id


def test_entry_point_starts_instance_and_runs_chain_in_order(engine: Engine) -> None:
    iid = start(engine)
    assert CALLS == ["restrict", "set_pending", "wait"]
    steps = {s.step_id: s.status for s in engine.steps(iid)}
    assert steps[1] == "Completed"
    # the event children of the last response of the chain are armed
    assert [s.step_id for s in engine.steps(iid) if s.status == "Active"] == [5, 8, 10, 13]
    state = engine.record_state("Doc", "Invoice|1001")
    assert state.status == "Pending Approval"
    assert state.restricted and state.restriction_reason == "imposed by the DOC-APW workflow"


def test_condition_false_starts_nothing(engine: Engine) -> None:
    engine.deploy_workflow(approval_workflow())
    engine.enable("DOC-APW")
    res = engine.emit("DocSent", doc(status="Released"), user="ALICE")
    assert res.outcome == "no workflow matched"
    assert engine.instances() == []
    why_not = res.handled[0].not_fired[0]
    assert ("status = Open", [("status", "Released")], False) in why_not.tests


def test_approval_loop_then_all_approved_archives(engine: Engine) -> None:
    iid = start(engine)
    CALLS.clear()
    r = engine.emit("Approved", approval(iid, 1), user="BOB")
    assert r.outcome == "continued" and r.handled[0].fired is not None
    assert r.handled[0].fired.step_id == 8  # the "> 0" alternative
    assert CALLS == ["wait"]
    # the jump to the send response re-armed its event children
    active = [s.step_id for s in engine.steps(iid) if s.status == "Active"]
    assert active == [5, 8, 10, 13]
    CALLS.clear()
    r = engine.emit("Approved", approval(iid, 0), user="CAROL")
    assert r.handled[0].fired is not None and r.handled[0].fired.step_id == 5
    assert CALLS == ["allow", "release"]
    assert r.handled[0].archived
    assert engine.instances() == []
    assert [i.id for i in engine.archive()] == [iid]
    archived = {s.step_id: s.status for s in engine.steps(iid)}
    assert archived[5] == "Completed" and archived[10] == "Ignored"
    assert engine.record_state("Doc", "Invoice|1001").status == "Released"
    assert [o.kind for o in engine.outbox()] == ["record.status_changed", "record.status_changed",
                                                 "document.released"]
    assert engine.outbox()[2].payload == {"key": "Invoice|1001", "by": "CAROL"}
    assert engine.outbox()[1].payload == {"record_type": "Doc", "key": "Invoice|1001",
                                          "old_status": "Pending Approval", "status": "Released"}


def test_running_instance_is_continued_before_new_one_starts(engine: Engine) -> None:
    iid = start(engine)
    # sending again: the entry point would match, but no active step waits for DocSent -> a second
    # instance would start; BC continues a running instance only with its *active* steps
    r = engine.emit("DocCanceled", doc(status="Pending Approval"), user="ALICE")
    assert r.outcome == "continued" and r.instance_id == iid
    assert CALLS[-3:] == ["allow", "reopen", "message"]
    assert engine.instances() == []


def test_candidates_that_do_not_match_start_nothing(engine: Engine) -> None:
    # a workflow whose waiting step has a condition, and a second workflow that could start
    w = W("WAITER")
    e1 = w.event("DocSent", None, invoice_open())
    r1 = w.response("wait", e1)
    w.event("DocChanged", r1, cmp(f("amount"), ">", c("5000")))
    engine.deploy_workflow(w.build())
    engine.enable("WAITER")
    w2 = W("ZSTARTER")
    e = w2.event("DocChanged", None)
    w2.response("release", e)
    engine.deploy_workflow(w2.build())
    engine.enable("ZSTARTER")
    engine.emit("DocSent", doc(), user="ALICE")
    CALLS.clear()
    r = engine.emit("DocChanged", doc(amount="100"), old=doc(), user="ALICE")
    assert r.outcome == "no step matched"
    assert CALLS == []
    assert [i.workflow_code for i in engine.instances()] == ["WAITER"]


def test_first_matching_sibling_wins_and_siblings_are_ignored(engine: Engine) -> None:
    w = W("SIBS")
    e1 = w.event("DocSent", None)
    r1 = w.response("wait", e1)
    w.event("DocChanged", r1, cmp(f("amount"), ">", c("100")))
    w.response("release", 3)
    w.event("DocChanged", r1, cmp(f("amount"), ">", c("10")))
    w.response("reopen", 5)
    engine.deploy_workflow(w.build())
    engine.enable("SIBS")
    iid = engine.emit("DocSent", doc(), user="U").instance_id
    assert iid is not None
    CALLS.clear()
    r = engine.emit("DocChanged", doc(amount="500"), old=doc(), user="U")
    assert CALLS == ["release"]  # both match; the first in sibling order wins
    assert r.handled[0].archived
    steps = {s.step_id: s.status for s in engine.steps(iid)}
    assert steps[3] == "Completed" and steps[5] == "Ignored"


def test_first_enabled_workflow_whose_entry_matches_starts(engine: Engine) -> None:
    for code, limit in (("A-LOW", "10000"), ("B-ANY", "0")):
        w = W(code)
        e = w.event("DocSent", None, cmp(f("amount"), ">", c(limit)))
        w.response("wait", e)
        w.event("DocCanceled", 2)
        engine.deploy_workflow(w.build())
        engine.enable(code, allow_overlap=True)  # amount > 10000 overlaps amount > 0: the first by code wins
    r = engine.emit("DocSent", doc(amount="500"), user="U")
    assert r.handled[0].workflow_code == "B-ANY"
    assert [t.workflow_code for t in r.handled[0].not_fired] == ["A-LOW"]


def test_disabled_workflow_does_not_start(engine: Engine) -> None:
    engine.deploy_workflow(approval_workflow())
    r = engine.emit("DocSent", doc(), user="U")
    assert r.outcome == "no workflow"
    engine.enable("DOC-APW")
    engine.disable("DOC-APW")
    assert engine.emit("DocSent", doc(), user="U").outcome == "no workflow"


def test_raised_events_are_queued_after_the_chain(engine: Engine) -> None:
    w = W("POKER")
    e1 = w.event("DocSent", None)
    w.chain(e1, "poke", "wait")
    engine.deploy_workflow(w.build())
    w2 = W("POKED")
    e = w2.event("Poked", None)
    w2.response("release", e)
    engine.deploy_workflow(w2.build())
    engine.enable("POKER")
    engine.enable("POKED")
    r = engine.emit("DocSent", doc(), user="U")
    assert CALLS == ["poke", "wait", "release"]  # the raised event ran after the whole chain
    assert [h.event for h in r.handled] == ["DocSent", "Poked"]
    assert r.handled[1].raised_by == "poke"


def test_approval_event_only_on_the_owning_instance(engine: Engine) -> None:
    engine.deploy_workflow(approval_workflow())
    engine.enable("DOC-APW")
    first = engine.emit("DocSent", doc(no="1"), user="U").instance_id
    second = engine.emit("DocSent", doc(no="2"), user="U").instance_id
    assert first and second and first != second
    CALLS.clear()
    r = engine.emit("Approved", approval(second, 0), user="BOB")
    assert r.instance_id == second
    assert [i.id for i in engine.instances()] == [first]
    assert engine.record_state("Doc", "Invoice|2").status == "Released"
    assert engine.record_state("Doc", "Invoice|1").status == "Pending Approval"


def test_jump_to_an_event_rearms_it(engine: Engine) -> None:
    w = W("REARM")
    e1 = w.event("DocSent", None)
    r1 = w.response("wait", e1)
    e2 = w.event("DocChanged", r1)  # step 3
    w.response("wait", e2, next_step=e2)  # re-arm step 3 itself
    engine.deploy_workflow(w.build())
    engine.enable("REARM")
    iid = engine.emit("DocSent", doc(), user="U").instance_id
    assert iid is not None
    for _ in range(3):
        r = engine.emit("DocChanged", doc(), old=doc(), user="U")
        assert r.outcome == "continued"
    assert {s.step_id: s.status for s in engine.steps(iid)}[3] == "Active"


def test_related_records_embedded_and_stored(engine: Engine) -> None:
    w = W("LINES")
    from werkstroom.binding.program import BQuantified

    cond = BQuantified("any", ("lines",), "Line", cmp(f("quantity"), ">", c("8")))
    e1 = w.event("DocSent", None, cond)
    w.response("count_lines", e1)
    engine.deploy_workflow(w.build())
    engine.enable("LINES")
    r = engine.emit("DocSent", doc(lines=[{"line_no": 1, "quantity": "2"}]), user="U")
    assert r.outcome == "no workflow matched"
    r = engine.emit("DocSent", doc(lines=[{"line_no": 1, "quantity": "2"}, {"line_no": 2, "quantity": "9"}]),
                    user="U")
    assert r.outcome == "started"
    assert CALLS == ["lines=2"]
    # lines stored by the host earlier are found too
    engine.put_record("Line", {"document_type": "Invoice", "document_no": "77", "line_no": 1, "quantity": 10})
    CALLS.clear()
    r = engine.emit("DocSent", doc(no="77"), user="U")
    assert r.outcome == "started" and CALLS == ["lines=1"]


def test_jump_to_a_response_completes_its_chain_without_running_it(engine: Engine) -> None:
    # on DocSent: wait (as send), then message; the waiting events hang under the message.
    w = W("CHAIN")
    e1 = w.event("DocSent", None)
    send = w.response("wait", e1, label="send")
    msg = w.response("message", send, text="sent")
    w.event("Approved", msg, cmp(f("pending", K.INTEGER), "=", c(0, K.INTEGER)), record="Approval")
    w.response("release", 4)
    w.event("Approved", msg, cmp(f("pending", K.INTEGER), ">", c(0, K.INTEGER)), record="Approval",
            next_step=send)
    engine.deploy_workflow(w.build())
    engine.enable("CHAIN")
    iid = engine.emit("DocSent", doc(), user="U").instance_id
    assert iid is not None
    CALLS.clear()
    r = engine.emit("Approved", approval(iid, 1), user="B")
    assert r.handled[0].fired is not None and r.handled[0].fired.step_id == 6
    assert CALLS == []  # neither the target nor the rest of its chain ran again
    assert [s.step_id for s in engine.steps(iid) if s.status == "Active"] == [4, 6]
    r = engine.emit("Approved", approval(iid, 0), user="B")
    assert CALLS == ["release"] and r.handled[0].archived


def test_to_one_relation_embedded_in_the_payload(engine: Engine) -> None:
    w = W("VENDOR")
    e1 = w.event("DocSent", None, BField(("vendor", "blocked"), K.BOOLEAN))
    w.response("wait", e1)
    engine.deploy_workflow(w.build())
    engine.enable("VENDOR")
    r = engine.emit("DocSent", doc(vendor={"blocked": False}), user="U")
    assert r.outcome == "no workflow matched"
    assert engine.record("DocVendor", "V1") == {"no": "V1", "blocked": False}  # join field filled in
    r = engine.emit("DocSent", doc(no="2", vendor={"no": "V1", "blocked": "yes"}), user="U")
    assert r.outcome == "started"
    assert r.handled[0].fired is not None
    assert r.handled[0].fired.tests == [("vendor.blocked", [("vendor.blocked", True)], True)]


def test_event_on_a_related_record_continues_the_documents_instance(engine: Engine) -> None:
    w = W("LINEWATCH")
    e1 = w.event("DocSent", None)
    r1 = w.response("set_pending", e1)
    e2 = w.event("LineChanged", r1, cmp(f("quantity"), ">", c("10")), record="Line")
    w.response("release", e2)
    engine.deploy_workflow(w.build())
    engine.enable("LINEWATCH")
    iid = engine.emit("DocSent", doc(), user="U").instance_id
    line = {"document_type": "Invoice", "document_no": "1001", "line_no": 1, "quantity": "5"}
    r = engine.emit("LineChanged", line, user="U")
    assert r.outcome == "no step matched"  # the waiting step's condition does not hold
    r = engine.emit("LineChanged", {**line, "quantity": "50"}, user="U")
    assert r.outcome == "continued" and r.instance_id == iid
    assert r.handled[0].archived
    # the response acted on the document the instance is about, not on the line
    assert engine.record_state("Doc", "Invoice|1001").status == "Released"
    other = {**line, "document_no": "999", "quantity": "50"}
    assert engine.emit("LineChanged", other, user="U").outcome == "no workflow"


def test_running_instances_of_a_disabled_workflow_continue(engine: Engine) -> None:
    iid = start(engine)
    engine.disable("DOC-APW")
    assert engine.emit("DocSent", doc(no="2"), user="U").outcome == "no workflow"  # nothing new starts
    r = engine.emit("Approved", approval(iid, 0), user="B")
    assert r.outcome == "continued" and r.handled[0].archived
