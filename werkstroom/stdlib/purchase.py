"""Purchase: purchase documents and their lines, posted invoices, their events and posting responses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..extend import EventSpec, FieldKind, Library, ResponseContext, ResponseSpec
from . import records
from ._build import enums_of, event, events_after, option, patterns
from ._run import ResponsePreconditionError, base, require_type
from .names import BC_RESPONSE_NAMES

VERSION = "1.0"

POSTABLE = ("PurchaseHeader", "SalesHeader")


# --------------------------------------------------------------------------- behaviours


def _post(ctx: ResponseContext) -> None:
    doc = ctx.document
    require_type(ctx, "post document", doc, POSTABLE)
    ctx.emit_effect("document.post", {**base(ctx), "background": False})
    ctx.explain(f"{doc.type} {doc.key} handed to the host for posting")


def _post_background(ctx: ResponseContext) -> None:
    doc = ctx.document
    require_type(ctx, "post document in background", doc, POSTABLE)
    status = doc.values.get("status")
    if status != "Released":
        raise ResponsePreconditionError(
            f"{doc.type} {doc.key} must be Released before it is posted in the background (status is "
            f"{status or 'blank'})"
        )
    ctx.emit_effect("document.post", {**base(ctx), "background": True})
    ctx.explain(f"{doc.type} {doc.key} queued for posting in the background")


def _payment_line(background: bool) -> Any:
    def run(ctx: ResponseContext) -> None:
        doc = ctx.document
        name = "create payment line" + (" in background" if background else "")
        require_type(ctx, name, doc, ("PurchInvHeader",))
        v = doc.values
        ctx.emit_effect(
            "payment_line.create",
            {
                **base(ctx),
                "background": background,
                "journal_template": ctx.options.get("template"),
                "journal_batch": ctx.options.get("batch"),
                "vendor_no": v.get("pay_to_vendor_no") or v.get("buy_from_vendor_no"),
                "applies_to_document_no": v.get("no"),
                "currency_code": v.get("currency_code"),
            },
        )
        ctx.explain(
            f"payment line for {doc.type} {doc.key} requested in journal "
            f"{ctx.options.get('template')}/{ctx.options.get('batch')}"
        )

    return run


def _approve_over_receipt(ctx: ResponseContext) -> None:
    doc = ctx.document
    require_type(ctx, "approve over-receipt", doc, ("PurchaseHeader",))
    approved: list[Any] = []
    for line in ctx.related(doc, "lines"):
        if line.values.get("over_receipt_approval_status") == "Pending":
            line.values["over_receipt_approval_status"] = "Approved"
            approved.append(line.values.get("line_no"))
    ctx.emit_effect("purchase.over_receipt_approved", {**base(ctx), "line_nos": approved})
    ctx.explain(f"over-receipt approved on {len(approved)} line(s) of {doc.type} {doc.key}")


def _payment_mandatory(options: Mapping[str, Any]) -> str | None:
    missing = [n for n in ("template", "batch") if not options.get(n)]
    if missing:
        return "the general journal template and batch must be set (missing: " + ", ".join(missing) + ")"
    return None


_PAYMENT_RULE = "General Journal Template Name and General Journal Batch Name must be set."


def _payment_options() -> tuple[Any, ...]:
    return (
        option(
            "template",
            FieldKind.CODE,
            "The general journal template the payment line goes to.",
            "template {value}",
            "journal template {value}",
            bc="General Journal Template Name",
        ),
        option(
            "batch",
            FieldKind.CODE,
            "The general journal batch the payment line goes to.",
            "batch {value}",
            "journal batch {value}",
            bc="General Journal Batch Name",
        ),
    )


# --------------------------------------------------------------------------- declarations


def events() -> tuple[EventSpec, ...]:
    return (
        event(
            "RUNWORKFLOWONSENDPURCHASEDOCFORAPPROVAL",
            "A user asked for approval of a purchase document.",
            "PurchaseHeader",
        ),
        event(
            "RUNWORKFLOWONCANCELPURCHASEAPPROVALREQUEST",
            "A user withdrew the approval request of a purchase document.",
            "PurchaseHeader",
            after=("RUNWORKFLOWONSENDPURCHASEDOCFORAPPROVAL",),
        ),
        event(
            "RUNWORKFLOWONAFTERRELEASEPURCHASEDOC",
            "A purchase document was released (not raised by posting previews).",
            "PurchaseHeader",
        ),
        event(
            "RUNWORKFLOWONAFTERPOSTPURCHASEDOC",
            "A purchase order or invoice was posted; the record is the posted invoice.",
            "PurchInvHeader",
            after=("RUNWORKFLOWONAFTERRELEASEPURCHASEDOC",),
        ),
    )


def responses() -> tuple[ResponseSpec, ...]:
    after_release = events_after("RUNWORKFLOWONAFTERRELEASEPURCHASEDOC")
    after_post = events_after("RUNWORKFLOWONAFTERPOSTPURCHASEDOC")
    return (
        ResponseSpec(
            name=BC_RESPONSE_NAMES["POSTDOCUMENT"],
            description="Post the purchase or sales document now (the host does the posting).",
            patterns=patterns("post [the] document"),
            run=_post,
            allowed_after=after_release,
            bc_code="POSTDOCUMENT",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["BACKGROUNDPOSTAPPROVEDPURCHASEDOC"],
            description="Queue the released purchase or sales document for posting in the background.",
            patterns=patterns("post [the] document in [the] background"),
            run=_post_background,
            allowed_after=after_release,
            bc_code="BACKGROUNDPOSTAPPROVEDPURCHASEDOC",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["CREATEPMTLINEFORPOSTEDDOCUMENT"],
            description="Create a payment journal line for the posted purchase invoice in the given "
            "journal template and batch.",
            patterns=patterns(
                "create payment line for template {template} batch {batch}", "create payment line"
            ),
            run=_payment_line(False),
            options=_payment_options(),
            allowed_after=after_post,
            mandatory=_payment_mandatory,
            mandatory_rule=_PAYMENT_RULE,
            bc_code="CREATEPMTLINEFORPOSTEDDOCUMENT",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["BACKGROUNDCREATEPMTLINEFORPOSTEDDOCUMENT"],
            description="Queue the creation of a payment journal line for the posted purchase invoice in "
            "the given journal template and batch.",
            patterns=patterns(
                "create payment line for template {template} batch {batch} in [the] background",
                "create payment line in [the] background",
            ),
            run=_payment_line(True),
            options=_payment_options(),
            allowed_after=after_post,
            mandatory=_payment_mandatory,
            mandatory_rule=_PAYMENT_RULE,
            bc_code="BACKGROUNDCREATEPMTLINEFORPOSTEDDOCUMENT",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["APPROVEOVERRECEIPT"],
            description="Approve the pending over-receipts on the purchase document's lines.",
            patterns=patterns("approve over-receipt", "approve over receipt"),
            run=_approve_over_receipt,
            allowed_after=events_after("RUNWORKFLOWONAPPROVEAPPROVALREQUEST"),
            bc_code="APPROVEOVERRECEIPT",
        ),
    )


def library() -> Library:
    recs = (records.purchase_header(), records.purchase_line(), records.purch_inv_header())
    resps = responses()
    return Library(
        name="werkstroom.purchase",
        version=VERSION,
        description="Purchase documents and lines, posted purchase invoices, their events, posting and "
        "payment responses.",
        records=recs,
        events=events(),
        responses=resps,
        enums=enums_of(recs, resps),
    )
