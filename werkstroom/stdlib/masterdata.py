"""Master data: customers, vendors, vendor bank accounts and items, their approval and change events,
and the record-change responses (revert a field, apply or discard the new values)."""

from __future__ import annotations

from ..extend import (
    EventSpec,
    FieldKind,
    FieldSpec,
    Library,
    OptionSpec,
    RecordSpec,
    ResponseContext,
    ResponseSpec,
)
from . import enums as E
from ._build import (
    boolean,
    code,
    dec,
    enum,
    enums_of,
    event,
    events_after,
    many,
    one,
    option,
    pattern,
    patterns,
    text,
)
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
    recs = (customer(), vendor(), vendor_bank_account(), item())
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


# --------------------------------------------------------------------------- records


def _party_fields() -> tuple[FieldSpec, ...]:
    """The number, address and contact fields that BC's Customer and Vendor tables share."""
    return (
        code("no", "No."),
        text("name", "Name"),
        text("address", "Address"),
        text("city", "City", length=30),
        code("post_code", "Post Code"),
        code("country_region_code", "Country/Region Code", length=10),
        text("email", "E-Mail", length=80),
        text("phone_no", "Phone No.", length=30),
        text("vat_registration_no", "VAT Registration No.", length=20),
    )


def customer() -> RecordSpec:
    return RecordSpec(
        name="Customer",
        description="A customer.",
        bc_name="Customer",
        table_id=18,
        key=("no",),
        fields=(
            *_party_fields(),
            dec("credit_limit_lcy", "Credit Limit (LCY)", "0 means no credit limit.", no=20),
            dec("balance_lcy", "Balance (LCY)", "What the customer owes now.", flowfield=True),
            dec("balance_due_lcy", "Balance Due (LCY)", flowfield=True),
            dec(
                "outstanding_orders_lcy",
                "Outstanding Orders (LCY)",
                "Not yet shipped order amounts.",
                flowfield=True,
            ),
            enum("blocked", "Blocked", E.CUSTOMER_BLOCKED, "Which transactions are blocked."),
            code("customer_posting_group", "Customer Posting Group"),
            code("gen_bus_posting_group", "Gen. Bus. Posting Group"),
            code("salesperson_code", "Salesperson Code"),
            code("payment_terms_code", "Payment Terms Code", length=10),
            code("currency_code", "Currency Code", length=10),
        ),
    )


def vendor() -> RecordSpec:
    return RecordSpec(
        name="Vendor",
        description="A vendor.",
        bc_name="Vendor",
        table_id=23,
        key=("no",),
        fields=(
            *_party_fields(),
            dec("balance_lcy", "Balance (LCY)", "What we owe the vendor now.", flowfield=True),
            enum("blocked", "Blocked", E.VENDOR_BLOCKED, "Which transactions are blocked."),
            code("vendor_posting_group", "Vendor Posting Group"),
            code("gen_bus_posting_group", "Gen. Bus. Posting Group"),
            code("purchaser_code", "Purchaser Code"),
            code("payment_terms_code", "Payment Terms Code", length=10),
            code("payment_method_code", "Payment Method Code", length=10),
            code("currency_code", "Currency Code", length=10),
            code("preferred_bank_account_code", "Preferred Bank Account Code"),
        ),
        relations=(
            many(
                "bank_accounts", "VendorBankAccount", ("no", "vendor_no"), desc="The vendor's bank accounts."
            ),
        ),
    )


def vendor_bank_account() -> RecordSpec:
    return RecordSpec(
        name="VendorBankAccount",
        description="A bank account of a vendor (where payments go).",
        bc_name="Vendor Bank Account",
        table_id=288,
        key=("vendor_no", "code"),
        fields=(
            code("vendor_no", "Vendor No."),
            code("code", "Code"),
            text("name", "Name"),
            text("bank_account_no", "Bank Account No.", length=30),
            code("bank_branch_no", "Bank Branch No."),
            code("iban", "IBAN", length=50),
            code("swift_code", "SWIFT Code"),
            code("country_region_code", "Country/Region Code", length=10),
            code("currency_code", "Currency Code", length=10),
        ),
        relations=(one("vendor", "Vendor", ("vendor_no", "no"), desc="The vendor that owns the account."),),
    )


def item() -> RecordSpec:
    return RecordSpec(
        name="Item",
        description="An item (a product or service that is bought or sold).",
        bc_name="Item",
        table_id=27,
        key=("no",),
        fields=(
            code("no", "No."),
            text("description", "Description"),
            enum("type", "Type", E.ITEM_TYPE),
            code("base_unit_of_measure", "Base Unit of Measure", length=10),
            dec("unit_price", "Unit Price", "Sales price per base unit.", no=18),
            dec("unit_cost", "Unit Cost"),
            dec("last_direct_cost", "Last Direct Cost"),
            dec("inventory", "Inventory", "Quantity on hand.", flowfield=True),
            code("item_category_code", "Item Category Code"),
            code("vendor_no", "Vendor No.", "The usual vendor."),
            code("gen_prod_posting_group", "Gen. Prod. Posting Group"),
            code("inventory_posting_group", "Inventory Posting Group"),
            boolean("blocked", "Blocked"),
            boolean("sales_blocked", "Sales Blocked"),
            boolean("purchasing_blocked", "Purchasing Blocked"),
        ),
        relations=(one("vendor", "Vendor", ("vendor_no", "no"), desc="The usual vendor."),),
    )
