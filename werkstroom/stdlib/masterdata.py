"""Master data: customers, vendors, vendor bank accounts and items, their approval and change events,
and the record-change responses (revert a field, apply or discard the new values)."""

from __future__ import annotations

from ..extend import EventSpec, FieldKind, Library, OptionSpec, ResponseContext, ResponseSpec
from . import records
from ._build import enums_of, event, events_after, option, pattern, patterns
from .names import BC_RESPONSE_NAMES

VERSION = "1.0"

CHANGE_EVENTS = (
    "RUNWORKFLOWONCUSTOMERCHANGEDCODE",
    "RUNWORKFLOWONVENDORCHANGEDCODE",
    "RUNWORKFLOWONITEMCHANGEDCODE",
)


def _revert(ctx: ResponseContext) -> None:
    # The record-state API keeps the old and new value and explains it on the timeline.
    field = ctx.options.get("field")
    if not field:
        raise ValueError("revert value: no field given")
    ctx.state.revert_field(str(field))


def _apply(ctx: ResponseContext) -> None:
    field = ctx.options.get("field")
    ctx.state.apply_new_values(str(field) if field else None)


def _discard(ctx: ResponseContext) -> None:
    ctx.state.discard_new_values()


def _field_option(required: bool) -> tuple[OptionSpec, ...]:
    return (
        option(
            "field",
            FieldKind.TEXT,
            "The field whose change is reverted."
            if required
            else "Apply only this field's new value (blank: every stored change).",
            "field {value}",
            "for field {value}",
            bc="Field No.",
        ),
    )


def events() -> tuple[EventSpec, ...]:
    return (
        event("RUNWORKFLOWONSENDCUSTOMERFORAPPROVAL", "A user asked for approval of a customer.", "Customer"),
        event(
            "RUNWORKFLOWONCANCELCUSTOMERAPPROVALREQUEST",
            "A user withdrew the approval request of a customer.",
            "Customer",
            after=("RUNWORKFLOWONSENDCUSTOMERFORAPPROVAL",),
        ),
        event("RUNWORKFLOWONSENDVENDORFORAPPROVAL", "A user asked for approval of a vendor.", "Vendor"),
        event(
            "RUNWORKFLOWONCANCELVENDORAPPROVALREQUEST",
            "A user withdrew the approval request of a vendor.",
            "Vendor",
            after=("RUNWORKFLOWONSENDVENDORFORAPPROVAL",),
        ),
        event("RUNWORKFLOWONSENDITEMFORAPPROVAL", "A user asked for approval of an item.", "Item"),
        event(
            "RUNWORKFLOWONCANCELITEMAPPROVALREQUEST",
            "A user withdrew the approval request of an item.",
            "Item",
            after=("RUNWORKFLOWONSENDITEMFORAPPROVAL",),
        ),
        event(
            "RUNWORKFLOWONCUSTOMERCHANGEDCODE",
            "A customer was modified or renamed; the old values are available (old.field, increased, ...).",
            "Customer",
            record_change=True,
        ),
        event(
            "RUNWORKFLOWONVENDORCHANGEDCODE",
            "A vendor was modified or renamed; the old values are available (old.field, increased, ...).",
            "Vendor",
            record_change=True,
        ),
        event(
            "RUNWORKFLOWONITEMCHANGEDCODE",
            "An item was modified or renamed; the old values are available (old.field, increased, ...).",
            "Item",
            record_change=True,
        ),
        event(
            "RUNWORKFLOWONSENDVENDORBANKACCOUNTFORAPPROVAL",
            "A user asked for approval of a vendor bank account.",
            "VendorBankAccount",
        ),
        event(
            "RUNWORKFLOWONCANCELVENDORBANKACCOUNTAPPROVALREQUEST",
            "A user withdrew the approval request of a vendor bank account.",
            "VendorBankAccount",
            after=("RUNWORKFLOWONSENDVENDORBANKACCOUNTFORAPPROVAL",),
        ),
    )


def responses() -> tuple[ResponseSpec, ...]:
    return (
        ResponseSpec(
            name=BC_RESPONSE_NAMES["REVERTVALUEFORFIELD"],
            description="Put the field's old value back on the record and keep the new value aside until "
            "it is approved (apply new values) or rejected (discard new values).",
            patterns=(
                pattern("revert {field}"),
                pattern("revert [the] value of {field}"),
                pattern("revert [the] value for [field] {field}"),
            ),
            run=_revert,
            options=_field_option(True),
            allowed_after=events_after(*CHANGE_EVENTS),
            bc_code="REVERTVALUEFORFIELD",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["APPLYNEWVALUES"],
            description="Write the kept-aside new values to the record, if the field still holds the old "
            "value.",
            patterns=(*patterns("apply [the] new values"), pattern("apply [the] new value of {field}")),
            run=_apply,
            options=_field_option(False),
            allowed_after=events_after("RUNWORKFLOWONAPPROVEAPPROVALREQUEST"),
            bc_code="APPLYNEWVALUES",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["DISCARDNEWVALUES"],
            description="Drop the kept-aside new values; the record keeps its old values.",
            patterns=patterns("discard [the] new values"),
            run=_discard,
            allowed_after=events_after("RUNWORKFLOWONREJECTAPPROVALREQUEST"),
            bc_code="DISCARDNEWVALUES",
        ),
    )


def library() -> Library:
    recs = (records.customer(), records.vendor(), records.vendor_bank_account(), records.item())
    resps = responses()
    return Library(
        name="werkstroom.masterdata",
        version=VERSION,
        description="Customers, vendors, vendor bank accounts and items, their approval and change events, "
        "and the record-change responses.",
        records=recs,
        events=events(),
        responses=resps,
        enums=enums_of(recs, resps),
    )
