"""Sales: sales documents and lines, their events, and the customer credit-limit check."""

from __future__ import annotations

from decimal import Decimal

from ..extend import EventSpec, Library, ResponseContext, ResponseSpec
from . import records
from ._build import enums_of, event, events_after, patterns
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
    recs = (records.sales_header(), records.sales_line())
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
