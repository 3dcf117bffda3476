"""Purchase: purchase documents and their lines, posted invoices, their events and posting responses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..extend import EventSpec, FieldKind, Library, RecordSpec, ResponseContext, ResponseSpec
from . import enums as E
from . import records
from ._build import (
    code,
    date,
    dec,
    enum,
    enums_of,
    event,
    events_after,
    integer,
    many,
    one,
    option,
    patterns,
    text,
)
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
    recs = (purchase_header(), purchase_line(), purch_inv_header())
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


# --------------------------------------------------------------------------- records


def purchase_header() -> RecordSpec:
    return RecordSpec(
        name="PurchaseHeader",
        description="A purchase document (quote, order, invoice, credit memo, blanket or return order).",
        bc_name="Purchase Header",
        table_id=38,
        key=("document_type", "no"),
        fields=(
            enum("document_type", "Document Type", E.PURCHASE_DOCUMENT_TYPE, "Kind of purchase document.",
                 no=1),
            code("no", "No.", "Document number."),
            code("buy_from_vendor_no", "Buy-from Vendor No.", "The vendor the goods are bought from."),
            text("buy_from_vendor_name", "Buy-from Vendor Name"),
            code("pay_to_vendor_no", "Pay-to Vendor No.", "The vendor that is paid."),
            enum("status", "Status", E.PURCHASE_DOCUMENT_STATUS, "Open, Released, Pending Approval, ...",
                 no=120),
            *records.document_totals_and_dates(),
            date("due_date", "Due Date"),
            code("purchaser_code", "Purchaser Code", "The purchaser responsible for the document."),
            *records.document_dimensions(),
            text("vendor_invoice_no", "Vendor Invoice No.", length=35),
            text("your_reference", "Your Reference", length=35),
            integer("incoming_document_entry_no", "Incoming Document Entry No."),
            text("assigned_user_id", "Assigned User ID", length=50),
        ),
        relations=(
            many(
                "lines",
                "PurchaseLine",
                ("document_type", "document_type"),
                ("no", "document_no"),
                desc="The document's lines.",
            ),
            one("vendor", "Vendor", ("buy_from_vendor_no", "no"), desc="The buy-from vendor."),
            one("pay_to_vendor", "Vendor", ("pay_to_vendor_no", "no"), desc="The pay-to vendor."),
        ),
    )


def purchase_line() -> RecordSpec:
    return RecordSpec(
        name="PurchaseLine",
        description="A line of a purchase document.",
        bc_name="Purchase Line",
        table_id=39,
        key=("document_type", "document_no", "line_no"),
        fields=(
            enum("document_type", "Document Type", E.PURCHASE_DOCUMENT_TYPE),
            code("document_no", "Document No."),
            integer("line_no", "Line No."),
            enum("type", "Type", E.PURCHASE_LINE_TYPE, "What the line buys (item, G/L account, ...)."),
            code("no", "No.", "Number of the item, account or resource."),
            text("description", "Description"),
            code("location_code", "Location Code", length=10),
            dec("quantity", "Quantity"),
            code("unit_of_measure_code", "Unit of Measure Code", length=10),
            dec("direct_unit_cost", "Direct Unit Cost"),
            dec("line_discount_pct", "Line Discount %"),
            dec("line_amount", "Line Amount", "Quantity x unit cost less line discount."),
            dec("amount", "Amount", "Line amount after invoice discount, excluding VAT."),
            dec("amount_including_vat", "Amount Including VAT"),
            dec("over_receipt_quantity", "Over-Receipt Quantity"),
            code("over_receipt_code", "Over-Receipt Code"),
            enum(
                "over_receipt_approval_status", "Over-Receipt Approval Status", E.OVER_RECEIPT_APPROVAL_STATUS
            ),
            code("shortcut_dimension_1_code", "Shortcut Dimension 1 Code"),
            code("shortcut_dimension_2_code", "Shortcut Dimension 2 Code"),
        ),
        relations=(
            one(
                "header",
                "PurchaseHeader",
                ("document_type", "document_type"),
                ("document_no", "no"),
                desc="The document the line belongs to.",
            ),
            one("item", "Item", ("no", "no"), desc="The item (when type = Item)."),
        ),
    )


def purch_inv_header() -> RecordSpec:
    return RecordSpec(
        name="PurchInvHeader",
        description="A posted purchase invoice.",
        bc_name="Purch. Inv. Header",
        table_id=122,
        key=("no",),
        fields=(
            code("no", "No.", "Posted invoice number."),
            code("pre_assigned_no", "Pre-Assigned No.", "Number of the invoice before posting."),
            code("order_no", "Order No.", "The order it was posted from, if any."),
            code("buy_from_vendor_no", "Buy-from Vendor No."),
            text("buy_from_vendor_name", "Buy-from Vendor Name"),
            code("pay_to_vendor_no", "Pay-to Vendor No."),
            text("vendor_invoice_no", "Vendor Invoice No.", length=35),
            dec("amount", "Amount", flowfield=True),
            dec("amount_including_vat", "Amount Including VAT", flowfield=True),
            dec("remaining_amount", "Remaining Amount", flowfield=True),
            code("currency_code", "Currency Code", length=10),
            date("posting_date", "Posting Date"),
            date("document_date", "Document Date"),
            date("due_date", "Due Date"),
            code("purchaser_code", "Purchaser Code"),
            code("payment_method_code", "Payment Method Code", length=10),
        ),
        relations=(
            one("vendor", "Vendor", ("buy_from_vendor_no", "no"), desc="The buy-from vendor."),
            one("pay_to_vendor", "Vendor", ("pay_to_vendor_no", "no"), desc="The pay-to vendor."),
        ),
    )
