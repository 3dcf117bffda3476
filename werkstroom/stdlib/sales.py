"""Sales: sales documents and lines, their events, and the customer credit-limit check."""

from __future__ import annotations

from decimal import Decimal

from ..extend import EventSpec, Library, RecordSpec, ResponseContext, ResponseSpec
from . import enums as E
from . import records
from ._build import code, date, dec, enum, enums_of, event, events_after, integer, many, one, patterns, text
from ._run import first, require_type, to_decimal
from .names import BC_EVENT_NAMES, BC_RESPONSE_NAMES

VERSION = "1.0"

EXCEEDED = BC_EVENT_NAMES["RUNWORKFLOWONCUSTOMERCREDITLIMITEXCEEDED"]
NOT_EXCEEDED = BC_EVENT_NAMES["RUNWORKFLOWONCUSTOMERCREDITLIMITNOTEXCEEDED"]


def credit_exposure(balance_lcy: Decimal, outstanding_lcy: Decimal, document_lcy: Decimal) -> Decimal:
    """What the customer would owe if this document went through."""
    return balance_lcy + outstanding_lcy + document_lcy


def _check_credit_limit(ctx: ResponseContext) -> None:
    doc = ctx.document
    require_type(ctx, "check customer credit limit", doc, ("SalesHeader",))
    customer = first(ctx.related(doc, "bill_to_customer")) if doc.values.get("bill_to_customer_no") else None
    if customer is None:
        customer = first(ctx.related(doc, "customer"))
    if customer is None:
        ctx.explain(f"{doc.type} {doc.key}: no customer found, so no credit limit applies")
        ctx.raise_event(NOT_EXCEEDED, doc)
        return
    limit = to_decimal(customer.values.get("credit_limit_lcy"))
    amount = doc.values.get("amount_lcy")
    if amount is None:
        amount = doc.values.get("amount")
    exposure = credit_exposure(
        to_decimal(customer.values.get("balance_lcy")),
        to_decimal(customer.values.get("outstanding_orders_lcy")),
        to_decimal(amount),
    )
    if limit != 0 and exposure > limit:
        ctx.explain(
            f"customer {customer.key}: balance with this document {exposure} exceeds the credit limit {limit}"
        )
        ctx.raise_event(EXCEEDED, doc)
    else:
        reason = "no credit limit is set" if limit == 0 else f"{exposure} is within the credit limit {limit}"
        ctx.explain(f"customer {customer.key}: {reason}")
        ctx.raise_event(NOT_EXCEEDED, doc)


def events() -> tuple[EventSpec, ...]:
    send = ("RUNWORKFLOWONSENDSALESDOCFORAPPROVAL",)
    return (
        event(
            "RUNWORKFLOWONSENDSALESDOCFORAPPROVAL",
            "A user asked for approval of a sales document.",
            "SalesHeader",
        ),
        event(
            "RUNWORKFLOWONCANCELSALESAPPROVALREQUEST",
            "A user withdrew the approval request of a sales document.",
            "SalesHeader",
            after=send,
        ),
        event(
            "RUNWORKFLOWONAFTERRELEASESALESDOC",
            "A sales document was released (not raised by posting previews).",
            "SalesHeader",
        ),
        event(
            "RUNWORKFLOWONCUSTOMERCREDITLIMITEXCEEDED",
            "The credit check found that the sales document takes the customer over the credit limit.",
            "SalesHeader",
            after=send,
        ),
        event(
            "RUNWORKFLOWONCUSTOMERCREDITLIMITNOTEXCEEDED",
            "The credit check found that the sales document keeps the customer within the credit limit.",
            "SalesHeader",
            after=send,
        ),
    )


def responses() -> tuple[ResponseSpec, ...]:
    return (
        ResponseSpec(
            name=BC_RESPONSE_NAMES["CHECKCUSTOMERCREDITLIMIT"],
            description="Check the customer's credit limit against balance + outstanding orders + this "
            "document (amount LCY); raises CustomerCreditLimitExceeded or CustomerCreditLimitNotExceeded. "
            "A credit limit of 0 means no limit.",
            patterns=patterns("check [the] customer credit limit", "check credit limit"),
            run=_check_credit_limit,
            allowed_after=events_after("RUNWORKFLOWONSENDSALESDOCFORAPPROVAL"),
            raises=(EXCEEDED, NOT_EXCEEDED),
            bc_code="CHECKCUSTOMERCREDITLIMIT",
        ),
    )


def library() -> Library:
    recs = (sales_header(), sales_line())
    resps = responses()
    return Library(
        name="werkstroom.sales",
        version=VERSION,
        description="Sales documents and lines, their events and the customer credit-limit check.",
        records=recs,
        events=events(),
        responses=resps,
        enums=enums_of(recs, resps),
    )


# --------------------------------------------------------------------------- records


def sales_header() -> RecordSpec:
    return RecordSpec(
        name="SalesHeader",
        description="A sales document (quote, order, invoice, credit memo, blanket or return order).",
        bc_name="Sales Header",
        table_id=36,
        key=("document_type", "no"),
        fields=(
            enum("document_type", "Document Type", E.SALES_DOCUMENT_TYPE, "Kind of sales document.", no=1),
            code("no", "No.", "Document number."),
            code("sell_to_customer_no", "Sell-to Customer No.", "The customer the goods are sold to."),
            text("sell_to_customer_name", "Sell-to Customer Name"),
            code("bill_to_customer_no", "Bill-to Customer No.", "The customer that is invoiced."),
            enum("status", "Status", E.SALES_DOCUMENT_STATUS, "Open, Released, Pending Approval, ...",
                 no=120),
            *records.document_totals_and_dates(),
            date("shipment_date", "Shipment Date"),
            date("due_date", "Due Date"),
            code("salesperson_code", "Salesperson Code", "The salesperson responsible for the document."),
            *records.document_dimensions(),
            text("external_document_no", "External Document No.", length=35),
            text("your_reference", "Your Reference", length=35),
            text("assigned_user_id", "Assigned User ID", length=50),
        ),
        relations=(
            many(
                "lines",
                "SalesLine",
                ("document_type", "document_type"),
                ("no", "document_no"),
                desc="The document's lines.",
            ),
            one("customer", "Customer", ("sell_to_customer_no", "no"), desc="The sell-to customer."),
            one("bill_to_customer", "Customer", ("bill_to_customer_no", "no"), desc="The bill-to customer."),
        ),
    )


def sales_line() -> RecordSpec:
    return RecordSpec(
        name="SalesLine",
        description="A line of a sales document.",
        bc_name="Sales Line",
        table_id=37,
        key=("document_type", "document_no", "line_no"),
        fields=(
            enum("document_type", "Document Type", E.SALES_DOCUMENT_TYPE),
            code("document_no", "Document No."),
            integer("line_no", "Line No."),
            enum("type", "Type", E.SALES_LINE_TYPE, "What the line sells (item, G/L account, ...)."),
            code("no", "No.", "Number of the item, account or resource."),
            text("description", "Description"),
            code("location_code", "Location Code", length=10),
            dec("quantity", "Quantity"),
            code("unit_of_measure_code", "Unit of Measure Code", length=10),
            dec("unit_price", "Unit Price"),
            dec("line_discount_pct", "Line Discount %"),
            dec("line_amount", "Line Amount", "Quantity x unit price less line discount."),
            dec("amount", "Amount", "Line amount after invoice discount, excluding VAT."),
            dec("amount_including_vat", "Amount Including VAT"),
            code("shortcut_dimension_1_code", "Shortcut Dimension 1 Code"),
            code("shortcut_dimension_2_code", "Shortcut Dimension 2 Code"),
        ),
        relations=(
            one(
                "header",
                "SalesHeader",
                ("document_type", "document_type"),
                ("document_no", "no"),
                desc="The document the line belongs to.",
            ),
            one("item", "Item", ("no", "no"), desc="The item (when type = Item)."),
        ),
    )
