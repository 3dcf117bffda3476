"""A small in-test vocabulary: purchase documents, lines, vendors, an approval record and responses
that only use the ResponseContext, so the engine is tested on its own. Engines install it next to
the stdlib (``open_engine(..., libraries=[LIBRARY])``), so its names are its own."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from werkstroom.binding.program import BAnd, BCompare, BConst, BExpr, BField, BoundStep, BoundWorkflow
from werkstroom.catalogue.specs import (
    EnumType,
    EventSpec,
    FieldSpec,
    Library,
    OptionSpec,
    PhrasePattern,
    RecordSpec,
    RelationSpec,
    ResponseSpec,
)
from werkstroom.catalogue.specs import FieldKind as K
from werkstroom.context import ResponseContext
from werkstroom.engine.records import Rec

DOC_TYPE = EnumType("DocType", ("Quote", "Order", "Invoice"))
STATUS = EnumType("DocStatus", ("Open", "Released", "Pending Approval"))

HEADER = RecordSpec(
    "Doc", "a purchase document",
    fields=(
        FieldSpec("document_type", K.ENUM, enum=DOC_TYPE),
        FieldSpec("no", K.CODE),
        FieldSpec("status", K.ENUM, enum=STATUS),
        FieldSpec("amount", K.DECIMAL),
        FieldSpec("vendor_no", K.CODE),
        FieldSpec("posting_date", K.DATE),
        FieldSpec("credit_limit", K.DECIMAL),
        FieldSpec("description", K.TEXT),
    ),
    key=("document_type", "no"),
    relations=(
        RelationSpec("lines", "Line", True, (("document_type", "document_type"), ("no", "document_no"))),
        RelationSpec("vendor", "DocVendor", False, (("vendor_no", "no"),)),
    ),
)
LINE = RecordSpec(
    "Line", "a document line",
    fields=(FieldSpec("document_type", K.ENUM, enum=DOC_TYPE), FieldSpec("document_no", K.CODE),
            FieldSpec("line_no", K.INTEGER), FieldSpec("quantity", K.DECIMAL)),
    key=("document_type", "document_no", "line_no"),
    relations=(RelationSpec("header", "Doc", False,
                            (("document_type", "document_type"), ("document_no", "no"))),),
)
VENDOR = RecordSpec("DocVendor", "a vendor",
                    fields=(FieldSpec("no", K.CODE), FieldSpec("blocked", K.BOOLEAN)), key=("no",))
APPROVAL = RecordSpec(
    "Approval", "an approval of a document",
    fields=(FieldSpec("id", K.CODE), FieldSpec("instance_id", K.TEXT), FieldSpec("pending", K.INTEGER),
            FieldSpec("document_no", K.CODE)),
    key=("id",),
    relations=(RelationSpec("document", "Doc", False, (("document_no", "no"),)),),  # BC's enable check 9
)

EVENTS = (
    EventSpec("DocSent", "a document is sent for approval", "Doc"),
    EventSpec("DocCanceled", "approval is canceled", "Doc"),
    EventSpec("DocChanged", "a document changed", "Doc", record_change=True),
    EventSpec("Approved", "an approval is given", "Approval", on_known_instance=True),
    EventSpec("Rejected", "an approval is refused", "Approval", on_known_instance=True),
    EventSpec("Poked", "raised by a response", "Doc"),
    EventSpec("LineChanged", "a line of a document changed", "Line"),
)

CALLS: list[str] = []  # responses append here so tests can see the order they ran in


def _set_pending(ctx: ResponseContext) -> None:
    CALLS.append("set_pending")
    ctx.state.set_status("Pending Approval")


def _restrict(ctx: ResponseContext) -> None:
    CALLS.append("restrict")
    ctx.state.restrict()


def _allow(ctx: ResponseContext) -> None:
    CALLS.append("allow")
    ctx.state.allow()


def _release(ctx: ResponseContext) -> None:
    CALLS.append("release")
    ctx.state.set_status("Released")
    ctx.emit_effect("document.released", {"key": ctx.document.key, "by": ctx.user})


def _reopen(ctx: ResponseContext) -> None:
    CALLS.append("reopen")
    ctx.state.set_status("Open")


def _wait(ctx: ResponseContext) -> None:
    CALLS.append("wait")
    ctx.explain("waiting for the next approver")


def _message(ctx: ResponseContext) -> None:
    CALLS.append("message")
    ctx.show_message(str(ctx.options.get("text", "")))


def _boom(ctx: ResponseContext) -> None:
    CALLS.append("boom")
    ctx.state.set_status("Released")  # must be rolled back
    raise RuntimeError("the printer is on fire")


def _poke(ctx: ResponseContext) -> None:
    CALLS.append("poke")
    ctx.raise_event("Poked", ctx.document)


def _count_lines(ctx: ResponseContext) -> None:
    lines = ctx.related(ctx.document, "lines")
    CALLS.append(f"lines={len(lines)}")


def _revert(ctx: ResponseContext) -> None:
    ctx.state.revert_field(str(ctx.options["field"]))


def _apply(ctx: ResponseContext) -> None:
    ctx.state.apply_new_values(None)


def _discard(ctx: ResponseContext) -> None:
    ctx.state.discard_new_values()


def _resp(name: str, fn: Any, options: tuple[OptionSpec, ...] = ()) -> ResponseSpec:
    return ResponseSpec(name, name, (PhrasePattern(name.replace("_", " ")),), fn, options=options)


RESPONSES = (
    _resp("set_pending", _set_pending), _resp("restrict", _restrict), _resp("allow", _allow),
    _resp("release", _release), _resp("reopen", _reopen), _resp("wait", _wait),
    _resp("message", _message, (OptionSpec("text", K.TEXT),)), _resp("boom", _boom), _resp("poke", _poke),
    _resp("count_lines", _count_lines), _resp("revert", _revert, (OptionSpec("field", K.TEXT),)),
    _resp("apply", _apply), _resp("discard", _discard),
)

LIBRARY = Library("engine-test", "1", records=(HEADER, LINE, VENDOR, APPROVAL), events=EVENTS,
                  responses=RESPONSES)


# --------------------------------------------------------------------------- building workflows


def f(name: str, kind: K = K.DECIMAL, *path: str, old: bool = False) -> BField:
    return BField((*path, name), kind, old=old)


def c(value: Any, kind: K = K.DECIMAL) -> BConst:
    return BConst(Decimal(value) if kind is K.DECIMAL else value, kind)


def cmp(field: BField, op: str, value: BConst) -> BCompare:
    return BCompare(op, field, value)


def invoice_open() -> BExpr:
    return BAnd((cmp(f("document_type", K.ENUM), "=", c("Invoice", K.ENUM)),
                 cmp(f("status", K.ENUM), "=", c("Open", K.ENUM))))


class W:
    """Build a BoundWorkflow step by step: ids in source order, as the binder does."""

    def __init__(self, code: str, description: str = "") -> None:
        self.code = code
        self.description = description or code
        self.steps: list[BoundStep] = []

    def event(self, name: str, parent: int | None, cond: BExpr | None = None, *, record: str = "Doc",
              next_step: int | None = None) -> int:
        sid = len(self.steps) + 1
        siblings = [s for s in self.steps if s.parent == parent and s.kind == "event"]
        seq = 1 if parent is None else len(siblings) + 1
        self.steps.append(BoundStep(sid, "event", name, parent, sequence_no=seq, entry_point=parent is None,
                                    record_type=record, condition=cond, next_step=next_step))
        return sid

    def response(self, name: str, parent: int, *, next_step: int | None = None, label: str | None = None,
                 **options: Any) -> int:
        sid = len(self.steps) + 1
        self.steps.append(BoundStep(sid, "response", name, parent, next_step=next_step, options=options,
                                    label=label))
        return sid

    def chain(self, parent: int, *names: str) -> int:
        for n in names:
            parent = self.response(n, parent)
        return parent

    def build(self, template: bool = False) -> BoundWorkflow:
        return BoundWorkflow(self.code, self.description, "TEST", tuple(self.steps), template=template)


def approval_workflow(code: str = "DOC-APW", cond: BExpr | None = None) -> BoundWorkflow:
    """BC's approval shape: sent -> restrict, pending, (send); approved all / approved more (loop);
    rejected -> reopen; canceled -> allow, reopen, message."""
    w = W(code)
    e1 = w.event("DocSent", None, cond if cond is not None else invoice_open())
    send = w.chain(e1, "restrict", "set_pending", "wait")
    e_all = w.event("Approved", send, cmp(f("pending", K.INTEGER), "=", c(0, K.INTEGER)), record="Approval")
    w.chain(e_all, "allow", "release")
    e_more = w.event("Approved", send, cmp(f("pending", K.INTEGER), ">", c(0, K.INTEGER)), record="Approval")
    w.response("wait", e_more, next_step=send)
    e_rej = w.event("Rejected", send, record="Approval")
    w.chain(e_rej, "allow", "reopen")
    e_can = w.event("DocCanceled", send)
    last = w.chain(e_can, "allow", "reopen")
    w.response("message", last, text="The approval request was canceled.")
    return w.build()


def doc(no: str = "1001", amount: str = "1500", **extra: Any) -> dict[str, Any]:
    return {"document_type": "Invoice", "no": no, "status": "Open", "amount": amount, "vendor_no": "V1",
            **extra}


def approval(instance_id: str, pending: int, id: str = "A1") -> dict[str, Any]:
    return {"id": id, "instance_id": instance_id, "pending": pending}


__all__ = ["CALLS", "LIBRARY", "Rec", "W", "approval", "approval_workflow", "c", "cmp", "doc", "f",
           "invoice_open"]
