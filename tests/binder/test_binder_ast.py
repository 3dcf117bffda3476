"""Binder tests on hand-built ASTs: the step tables and the main diagnostics."""

from __future__ import annotations

from decimal import Decimal

from tests.binder.astb import Parsed, Src
from tests.binder.fakecat import FakeCatalogue
from werkstroom.binding.binder import bind
from werkstroom.binding.program import BAnd, BCompare, BConst, BField
from werkstroom.catalogue.specs import FieldKind

PIAPW = """workflow PIAPW-EU "Purchase invoice approval"
  on PurchaseDocSentForApproval when document_type = Invoice and amount > 1000 then
     restrict record usage
     set status to pending approval
     create approval requests for approver chain, due in 2D
     send approval requests as send
     on ApprovalRequestApproved when pending_approvals = 0 then
        allow record usage
        release document
     on ApprovalRequestApproved when pending_approvals > 0 then
        send approval requests
        continue at send
     on ApprovalRequestRejected then
        reject approval requests, notify sender
        reopen document
"""


def piapw(src: Src, *, jump: str = "send", amount: str = "1000") -> Parsed:
    from werkstroom.grammar import ast
    a = src.cmp("=", src.ref("document_type"), src.ref("Invoice"))
    b = src.cmp(">", src.ref("amount"), src.int(int(amount)))
    cond = ast.And((a, b), span=a.span.cover(b.span))
    return Parsed(src, src.workflow(
        "PIAPW-EU",
        src.step("PurchaseDocSentForApproval", cond,
                 src.resp("restrict record usage"),
                 src.resp("set status to pending approval"),
                 src.resp("create approval requests for approver chain", "due in 2D"),
                 src.resp("send approval requests", label="send"),
                 src.step("ApprovalRequestApproved", src.cmp("=", src.ref("pending_approvals"), src.int(0)),
                          src.resp("allow record usage"), src.resp("release document")),
                 src.step("ApprovalRequestApproved", src.cmp(">", src.ref("pending_approvals", 2),
                                                             src.int(0, 2)),
                          src.resp("send approval requests", nth=2),
                          src.jump(jump, 3 if jump == "send" else 1), nth=2),
                 src.step("ApprovalRequestRejected", None,
                          src.resp("reject approval requests", "notify sender"),
                          src.resp("reopen document"))),
        description="Purchase invoice approval"))


def test_step_table_is_bc_shaped() -> None:
    src = Src(PIAPW)
    prog = bind([piapw(src)], FakeCatalogue())
    assert prog.ok, prog.diagnostics
    (wf,) = prog.workflows
    assert wf.code == "PIAPW-EU" and wf.description == "Purchase invoice approval"
    table = [(s.id, s.kind, s.name, s.parent, s.sequence_no, s.next_step) for s in wf.steps]
    assert table == [
        (1, "event", "PurchaseDocSentForApproval", None, 1, None),
        (2, "response", "restrict_record_usage", 1, 0, None),
        (3, "response", "set_status_pending_approval", 2, 0, None),
        (4, "response", "create_approval_requests", 3, 0, None),
        (5, "response", "send_approval_requests", 4, 0, None),
        (6, "event", "ApprovalRequestApproved", 5, 0, None),
        (7, "response", "allow_record_usage", 6, 0, None),
        (8, "response", "release_document", 7, 0, None),
        (9, "event", "ApprovalRequestApproved", 5, 1, None),
        (10, "response", "send_approval_requests", 9, 0, 5),
        (11, "event", "ApprovalRequestRejected", 5, 2, None),
        (12, "response", "reject_approval_requests", 11, 0, None),
        (13, "response", "reopen_document", 12, 0, None),
    ]
    assert wf.steps[0].entry_point and not wf.steps[5].entry_point
    assert wf.step(4).options == {"approver_type": "Approver", "limit_type": "Approver Chain",
                                  "due_date_formula": "2D", "show_confirmation": True}
    assert wf.step(12).options["notify_sender"] is True
    assert wf.step(5).label == "send"
    cond = wf.step(1).condition
    assert cond is not None
    assert cond == BAnd((
        BCompare("=", BField(("document_type",), FieldKind.ENUM, enum="DocType"),
                 BConst("Invoice", FieldKind.ENUM)),
        BCompare(">", BField(("amount",), FieldKind.DECIMAL), BConst(Decimal(1000), FieldKind.DECIMAL))))
    assert wf.step(1).condition_text == "document_type = Invoice and amount > 1000"


def test_missing_jump_target_has_line_and_hint() -> None:
    src = Src(PIAPW.replace("continue at send", "continue at sned"))
    prog = bind([piapw(src, jump="sned")], FakeCatalogue())
    (d,) = [d for d in prog.diagnostics if d.code == "WF205"]
    assert d.span is not None and (d.span.line, d.span.col) == (12, 21)
    assert d.help == "did you mean `send`?"
