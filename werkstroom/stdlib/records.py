"""Record types (BC tables) that the stdlib's events carry, with typed snake_case fields.

Each function returns one ``RecordSpec``; the area modules put them in their libraries. Money and
quantities are DECIMAL. ``bc_name`` on every field is BC's caption, shown in docs and the CLI.
"""

from __future__ import annotations

from ..extend import FieldSpec, RecordSpec
from . import enums as E
from ._build import boolean, code, date, datetime, dec, enum, formula, integer, many, one, text

# --------------------------------------------------------------------------- shared document fields


def _document_totals_and_dates() -> tuple[FieldSpec, ...]:
    """The totals, currency and dates every sales and purchase header has, in BC's order."""
    return (
        dec(
            "amount",
            "Amount",
            "Total of the lines excluding VAT, in the document currency.",
            flowfield=True,
        ),
        dec("amount_including_vat", "Amount Including VAT", "Total including VAT.", flowfield=True),
        dec("amount_lcy", "Amount (LCY)", "Amount excluding VAT in local currency (used for limits)."),
        code("currency_code", "Currency Code", "Blank for local currency.", 10),
        dec("currency_factor", "Currency Factor"),
        date("document_date", "Document Date"),
        date("posting_date", "Posting Date"),
        date("order_date", "Order Date"),
    )


def _document_dimensions() -> tuple[FieldSpec, ...]:
    """Location, responsibility center, the two shortcut dimensions and payment terms of a header."""
    return (
        code("location_code", "Location Code", length=10),
        code("responsibility_center", "Responsibility Center", length=10),
        code("shortcut_dimension_1_code", "Shortcut Dimension 1 Code"),
        code("shortcut_dimension_2_code", "Shortcut Dimension 2 Code"),
        code("payment_terms_code", "Payment Terms Code", length=10),
    )


# --------------------------------------------------------------------------- purchase


def purchase_header() -> RecordSpec:
    return RecordSpec(
        name="PurchaseHeader",
        description="A purchase document (quote, order, invoice, credit memo, blanket or return order).",
        bc_name="Purchase Header",
        table_id=38,
        key=("document_type", "no"),
        fields=(
            enum("document_type", "Document Type", E.PURCHASE_DOCUMENT_TYPE, "Kind of purchase document."),
            code("no", "No.", "Document number."),
            code("buy_from_vendor_no", "Buy-from Vendor No.", "The vendor the goods are bought from."),
            text("buy_from_vendor_name", "Buy-from Vendor Name"),
            code("pay_to_vendor_no", "Pay-to Vendor No.", "The vendor that is paid."),
            enum("status", "Status", E.PURCHASE_DOCUMENT_STATUS, "Open, Released, Pending Approval, ..."),
            *_document_totals_and_dates(),
            date("due_date", "Due Date"),
            code("purchaser_code", "Purchaser Code", "The purchaser responsible for the document."),
            *_document_dimensions(),
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


# --------------------------------------------------------------------------- sales


def sales_header() -> RecordSpec:
    return RecordSpec(
        name="SalesHeader",
        description="A sales document (quote, order, invoice, credit memo, blanket or return order).",
        bc_name="Sales Header",
        table_id=36,
        key=("document_type", "no"),
        fields=(
            enum("document_type", "Document Type", E.SALES_DOCUMENT_TYPE, "Kind of sales document."),
            code("no", "No.", "Document number."),
            code("sell_to_customer_no", "Sell-to Customer No.", "The customer the goods are sold to."),
            text("sell_to_customer_name", "Sell-to Customer Name"),
            code("bill_to_customer_no", "Bill-to Customer No.", "The customer that is invoiced."),
            enum("status", "Status", E.SALES_DOCUMENT_STATUS, "Open, Released, Pending Approval, ..."),
            *_document_totals_and_dates(),
            date("shipment_date", "Shipment Date"),
            date("due_date", "Due Date"),
            code("salesperson_code", "Salesperson Code", "The salesperson responsible for the document."),
            *_document_dimensions(),
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


# --------------------------------------------------------------------------- master data


def customer() -> RecordSpec:
    return RecordSpec(
        name="Customer",
        description="A customer.",
        bc_name="Customer",
        table_id=18,
        key=("no",),
        fields=(
            code("no", "No."),
            text("name", "Name"),
            text("address", "Address"),
            text("city", "City", length=30),
            code("post_code", "Post Code"),
            code("country_region_code", "Country/Region Code", length=10),
            text("email", "E-Mail", length=80),
            text("phone_no", "Phone No.", length=30),
            text("vat_registration_no", "VAT Registration No.", length=20),
            dec("credit_limit_lcy", "Credit Limit (LCY)", "0 means no credit limit."),
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
            code("no", "No."),
            text("name", "Name"),
            text("address", "Address"),
            text("city", "City", length=30),
            code("post_code", "Post Code"),
            code("country_region_code", "Country/Region Code", length=10),
            text("email", "E-Mail", length=80),
            text("phone_no", "Phone No.", length=30),
            text("vat_registration_no", "VAT Registration No.", length=20),
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
            dec("unit_price", "Unit Price", "Sales price per base unit."),
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


# --------------------------------------------------------------------------- journals


def gen_journal_line() -> RecordSpec:
    return RecordSpec(
        name="GenJournalLine",
        description="A general journal line (a posting to be made, e.g. a payment).",
        bc_name="Gen. Journal Line",
        table_id=81,
        key=("journal_template_name", "journal_batch_name", "line_no"),
        fields=(
            code("journal_template_name", "Journal Template Name", length=10),
            code("journal_batch_name", "Journal Batch Name", length=10),
            integer("line_no", "Line No."),
            enum("account_type", "Account Type", E.GEN_JOURNAL_ACCOUNT_TYPE),
            code("account_no", "Account No."),
            date("posting_date", "Posting Date"),
            enum("document_type", "Document Type", E.GEN_JOURNAL_DOCUMENT_TYPE, "Payment, Invoice, ..."),
            code("document_no", "Document No."),
            text("description", "Description"),
            dec("amount", "Amount", "Signed amount in the line's currency (debit positive)."),
            dec("amount_lcy", "Amount (LCY)"),
            dec("debit_amount", "Debit Amount"),
            dec("credit_amount", "Credit Amount"),
            code("currency_code", "Currency Code", length=10),
            enum("bal_account_type", "Bal. Account Type", E.GEN_JOURNAL_ACCOUNT_TYPE),
            code("bal_account_no", "Bal. Account No."),
            text("external_document_no", "External Document No.", length=35),
            date("due_date", "Due Date"),
            code("salespers_purch_code", "Salespers./Purch. Code"),
            integer("incoming_document_entry_no", "Incoming Document Entry No."),
        ),
        relations=(
            one(
                "batch",
                "GenJournalBatch",
                ("journal_template_name", "journal_template_name"),
                ("journal_batch_name", "name"),
                desc="The batch the line is in.",
            ),
        ),
    )


def gen_journal_batch() -> RecordSpec:
    return RecordSpec(
        name="GenJournalBatch",
        description="A general journal batch (a named set of journal lines).",
        bc_name="Gen. Journal Batch",
        table_id=232,
        key=("journal_template_name", "name"),
        fields=(
            code("journal_template_name", "Journal Template Name", length=10),
            code("name", "Name", length=10),
            text("description", "Description"),
            enum("bal_account_type", "Bal. Account Type", E.GEN_JOURNAL_ACCOUNT_TYPE),
            code("bal_account_no", "Bal. Account No."),
            code("no_series", "No. Series"),
        ),
        relations=(
            many(
                "lines",
                "GenJournalLine",
                ("journal_template_name", "journal_template_name"),
                ("name", "journal_batch_name"),
                desc="The lines in the batch.",
            ),
        ),
    )


def item_journal_batch() -> RecordSpec:
    return RecordSpec(
        name="ItemJournalBatch",
        description="An item journal batch.",
        bc_name="Item Journal Batch",
        table_id=233,
        key=("journal_template_name", "name"),
        fields=(
            code("journal_template_name", "Journal Template Name", length=10),
            code("name", "Name", length=10),
            text("description", "Description"),
            code("no_series", "No. Series"),
        ),
    )


def requisition_wksh_name() -> RecordSpec:
    return RecordSpec(
        name="RequisitionWkshName",
        description="A requisition worksheet batch (planned purchases).",
        bc_name="Requisition Wksh. Name",
        table_id=245,
        key=("worksheet_template_name", "name"),
        fields=(
            code("worksheet_template_name", "Worksheet Template Name", length=10),
            code("name", "Name", length=10),
            text("description", "Description"),
        ),
    )


# --------------------------------------------------------------------------- incoming documents


def incoming_document() -> RecordSpec:
    return RecordSpec(
        name="IncomingDocument",
        description="A received document (e.g. a scanned vendor invoice) before it becomes a BC document.",
        bc_name="Incoming Document",
        table_id=130,
        key=("entry_no",),
        fields=(
            integer("entry_no", "Entry No."),
            text("description", "Description", length=250),
            enum("status", "Status", E.INCOMING_DOCUMENT_STATUS),
            enum("ocr_status", "OCR Status", E.INCOMING_DOCUMENT_OCR_STATUS),
            enum("document_type", "Document Type", E.INCOMING_DOCUMENT_TYPE, "What it will become."),
            code("vendor_no", "Vendor No."),
            text("vendor_name", "Vendor Name"),
            text("vendor_invoice_no", "Vendor Invoice No.", length=50),
            dec("amount_incl_vat", "Amount Incl. VAT"),
            dec("amount_excl_vat", "Amount Excl. VAT"),
            code("currency_code", "Currency Code", length=10),
            date("document_date", "Document Date"),
            date("due_date", "Due Date"),
            boolean("posted", "Posted"),
            code("document_no", "Document No.", "The BC document created from it."),
            code("created_by_user_id", "Created By User ID", length=50),
            code("released_by_user_id", "Released By User ID", length=50),
            code("data_exchange_type", "Data Exchange Type"),
        ),
        relations=(
            many(
                "attachments",
                "IncomingDocumentAttachment",
                ("entry_no", "incoming_document_entry_no"),
                desc="The attached files.",
            ),
        ),
    )


def incoming_document_attachment() -> RecordSpec:
    return RecordSpec(
        name="IncomingDocumentAttachment",
        description="A file (PDF, image, XML, ...) attached to an incoming document.",
        bc_name="Incoming Document Attachment",
        table_id=133,
        key=("incoming_document_entry_no", "line_no"),
        fields=(
            integer("incoming_document_entry_no", "Incoming Document Entry No."),
            integer("line_no", "Line No."),
            text("name", "Name", length=250),
            enum("type", "Type", E.ATTACHMENT_TYPE),
            text("file_extension", "File Extension", length=30),
            boolean("default_attachment", "Default Attachment"),
            boolean("main_attachment", "Main Attachment"),
        ),
        relations=(
            one(
                "incoming_document",
                "IncomingDocument",
                ("incoming_document_entry_no", "entry_no"),
                desc="The incoming document the file belongs to.",
            ),
        ),
    )


# --------------------------------------------------------------------------- administration


def job_queue_entry() -> RecordSpec:
    return RecordSpec(
        name="JobQueueEntry",
        description="A scheduled background job.",
        bc_name="Job Queue Entry",
        table_id=472,
        key=("id",),
        fields=(
            text("id", "ID", "The entry's GUID.", 38),
            enum("object_type_to_run", "Object Type to Run", E.JOB_QUEUE_OBJECT_TYPE),
            integer("object_id_to_run", "Object ID to Run"),
            text("object_caption_to_run", "Object Caption to Run", length=250),
            text("description", "Description", length=250),
            enum("status", "Status", E.JOB_QUEUE_STATUS),
            code("user_id", "User ID", length=50),
            datetime("earliest_start_date_time", "Earliest Start Date/Time"),
            boolean("recurring_job", "Recurring Job"),
            integer("no_of_minutes_between_runs", "No. of Minutes between Runs"),
            code("job_queue_category_code", "Job Queue Category Code", length=10),
        ),
    )


# --------------------------------------------------------------------------- approvals and integration


def approval_entry() -> RecordSpec:
    return RecordSpec(
        name="ApprovalEntry",
        description="One approval request: an approver's entry for a record in one workflow instance.",
        bc_name="Approval Entry",
        table_id=454,
        key=("entry_no",),
        fields=(
            integer("entry_no", "Entry No."),
            integer("table_id", "Table ID", "BC table number of the record to approve."),
            text("record_type", "Record ID to Approve (table)", "Record type of the record to approve.", 30),
            text("record_key", "Record ID to Approve", "Key of the record to approve.", 250),
            enum("document_type", "Document Type", E.APPROVAL_DOCUMENT_TYPE),
            code("document_no", "Document No."),
            integer("sequence_no", "Sequence No.", "Order in which approvers are asked; equal = parallel."),
            code("approval_code", "Approval Code", "The workflow code."),
            code("sender_id", "Sender ID", "The user who asked for approval.", 50),
            code("salespers_purch_code", "Salespers./Purch. Code"),
            code("approver_id", "Approver ID", "The user asked to approve.", 50),
            enum("status", "Status", E.APPROVAL_STATUS, "Created, Open, Canceled, Rejected, Approved."),
            datetime("date_time_sent_for_approval", "Date-Time Sent for Approval"),
            datetime("last_date_time_modified", "Last Date-Time Modified"),
            code("last_modified_by_user_id", "Last Modified By User ID", length=50),
            boolean("comment", "Comment", "Whether approval comments exist.", flowfield=True),
            date("due_date", "Due Date"),
            dec("amount", "Amount", "Amount of the record, in its currency."),
            dec("amount_lcy", "Amount (LCY)", "Amount of the record in local currency."),
            code("currency_code", "Currency Code", length=10),
            enum("approval_type", "Approval Type", E.APPROVAL_TYPE),
            enum("limit_type", "Limit Type", E.APPROVAL_LIMIT_TYPE),
            dec("available_credit_limit_lcy", "Available Credit Limit (LCY)"),
            integer(
                "pending_approvals",
                "Pending Approvals",
                "Created or Open entries of the same record and workflow instance.",
                flowfield=True,
            ),
            text("workflow_step_instance_id", "Workflow Step Instance ID", length=38),
            formula("delegation_date_formula", "Delegation Date Formula"),
        ),
    )


def workflow_webhook_entry() -> RecordSpec:
    return RecordSpec(
        name="WorkflowWebhookEntry",
        description="A request sent to a subscribed webhook (Power Automate) and its answer.",
        bc_name="Workflow Webhook Entry",
        table_id=467,
        key=("entry_no",),
        fields=(
            integer("entry_no", "Entry No."),
            text("workflow_step_instance_id", "Workflow Step Instance ID", length=38),
            code("initiated_by_user_id", "Initiated By User ID", length=50),
            enum("response", "Response", E.WEBHOOK_RESPONSE, "Pending, Continue, Reject, Cancel, ..."),
            text("record_type", "Record ID (table)", "Record type of the record the request is about.", 30),
            text("record_key", "Record ID", "Key of the record the request is about.", 250),
            text("data_id", "Data ID", length=38),
            datetime("date_time_initiated", "Date-Time Initiated"),
            datetime("last_date_time_modified", "Last Date-Time Modified"),
            code("last_modified_by_user_id", "Last Modified By User ID", length=50),
        ),
    )
