"""Business Central option and enum types used by the stdlib's records and response options.

Values are BC's display values in ordinal order (``catalogue.json`` ``enums`` and table fields). A
blank BC option member (``" "``) is kept as the first value where BC has one; scripts write it as
``""``.
"""

from __future__ import annotations

from ..extend import EnumType

_DOCUMENT_TYPES = ("Quote", "Order", "Invoice", "Credit Memo", "Blanket Order", "Return Order")

PURCHASE_DOCUMENT_TYPE = EnumType("PurchaseDocumentType", _DOCUMENT_TYPES)
SALES_DOCUMENT_TYPE = EnumType("SalesDocumentType", _DOCUMENT_TYPES)

_DOCUMENT_STATUS = ("Open", "Released", "Pending Approval", "Pending Prepayment")
PURCHASE_DOCUMENT_STATUS = EnumType("PurchaseDocumentStatus", _DOCUMENT_STATUS)
SALES_DOCUMENT_STATUS = EnumType("SalesDocumentStatus", _DOCUMENT_STATUS)

PURCHASE_LINE_TYPE = EnumType(
    "PurchaseLineType",
    (" ", "G/L Account", "Item", "Resource", "Fixed Asset", "Charge (Item)", "Allocation Account"),
)
SALES_LINE_TYPE = EnumType(
    "SalesLineType",
    (" ", "G/L Account", "Item", "Resource", "Fixed Asset", "Charge (Item)", "Allocation Account"),
)
OVER_RECEIPT_APPROVAL_STATUS = EnumType("OverReceiptApprovalStatus", (" ", "Pending", "Approved"))

CUSTOMER_BLOCKED = EnumType("CustomerBlocked", (" ", "Ship", "Invoice", "All"))
VENDOR_BLOCKED = EnumType("VendorBlocked", (" ", "Payment", "All"))
ITEM_TYPE = EnumType("ItemType", ("Inventory", "Service", "Non-Inventory"))

GEN_JOURNAL_DOCUMENT_TYPE = EnumType(
    "GenJournalDocumentType",
    (" ", "Payment", "Invoice", "Credit Memo", "Finance Charge Memo", "Reminder", "Refund"),
)
GEN_JOURNAL_ACCOUNT_TYPE = EnumType(
    "GenJournalAccountType",
    (
        "G/L Account",
        "Customer",
        "Vendor",
        "Bank Account",
        "Fixed Asset",
        "IC Partner",
        "Employee",
        "Allocation Account",
    ),
)

INCOMING_DOCUMENT_STATUS = EnumType(
    "IncomingDocumentStatus",
    ("New", "Released", "Rejected", "Posted", "Created", "Failed", "Pending Approval"),
)
INCOMING_DOCUMENT_OCR_STATUS = EnumType(
    "IncomingDocumentOcrStatus", (" ", "Ready", "Sent", "Error", "Success", "Awaiting Verification")
)
INCOMING_DOCUMENT_TYPE = EnumType(
    "IncomingRelatedDocumentType",
    ("Journal", "Sales Invoice", "Sales Credit Memo", "Purchase Invoice", "Purchase Credit Memo", " "),
)
ATTACHMENT_TYPE = EnumType(
    "IncomingDocumentAttachmentType",
    (" ", "Image", "PDF", "Word", "Excel", "PowerPoint", "Email", "XML", "Other"),
)

JOB_QUEUE_STATUS = EnumType(
    "JobQueueStatus",
    ("Ready", "In Process", "Error", "On Hold", "Finished", "On Hold with Inactivity Timeout", "Waiting"),
)
JOB_QUEUE_OBJECT_TYPE = EnumType("JobQueueObjectType", ("Report", "Codeunit"))

APPROVAL_STATUS = EnumType("ApprovalStatus", ("Created", "Open", "Canceled", "Rejected", "Approved", " "))
APPROVAL_DOCUMENT_TYPE = EnumType(
    "ApprovalDocumentType",
    ("Quote", "Order", "Invoice", "Credit Memo", "Blanket Order", "Return Order", " ", "Payment"),
)
APPROVAL_TYPE = EnumType("WorkflowApprovalType", ("Workflow User Group", "Sales Pers./Purchaser", "Approver"))
APPROVAL_LIMIT_TYPE = EnumType(
    "WorkflowApprovalLimitType", ("Approval Limits", "Credit Limits", "Request Limits", "No Limits")
)

APPROVER_TYPE = EnumType(
    "WorkflowApproverType",
    ("Salesperson/Purchaser", "Approver", "Workflow User Group"),
    aliases=(
        ("Salesperson", "Salesperson/Purchaser"),
        ("Purchaser", "Salesperson/Purchaser"),
        ("Group", "Workflow User Group"),
        ("User Group", "Workflow User Group"),
    ),
)
APPROVER_LIMIT_TYPE = EnumType(
    "WorkflowApproverLimitType",
    ("Approver Chain", "Direct Approver", "First Qualified Approver", "Specific Approver"),
    aliases=(
        ("Chain", "Approver Chain"),
        ("Direct", "Direct Approver"),
        ("First Qualified", "First Qualified Approver"),
        ("Specific", "Specific Approver"),
    ),
)
DELEGATE_AFTER = EnumType(
    "WorkflowDelegateAfter",
    ("Never", "1 day", "2 days", "5 days"),
    aliases=(
        ("1D", "1 day"),
        ("2D", "2 days"),
        ("5D", "5 days"),
        ("1 days", "1 day"),
        ("2 day", "2 days"),
        ("5 day", "5 days"),
    ),
)
NOTIFICATION_ENTRY_TYPE = EnumType("NotificationEntryType", ("New Record", "Approval", "Overdue"))
WEBHOOK_RESPONSE_TYPE = EnumType("WorkflowWebhookResponseType", ("Not Expected", "User ID"))
WEBHOOK_RESPONSE = EnumType(
    "WorkflowWebhookResponse", ("NotExpected", "Pending", "Cancel", "Continue", "Reject")
)

ALL: tuple[EnumType, ...] = (
    PURCHASE_DOCUMENT_TYPE,
    SALES_DOCUMENT_TYPE,
    PURCHASE_DOCUMENT_STATUS,
    SALES_DOCUMENT_STATUS,
    PURCHASE_LINE_TYPE,
    SALES_LINE_TYPE,
    OVER_RECEIPT_APPROVAL_STATUS,
    CUSTOMER_BLOCKED,
    VENDOR_BLOCKED,
    ITEM_TYPE,
    GEN_JOURNAL_DOCUMENT_TYPE,
    GEN_JOURNAL_ACCOUNT_TYPE,
    INCOMING_DOCUMENT_STATUS,
    INCOMING_DOCUMENT_OCR_STATUS,
    INCOMING_DOCUMENT_TYPE,
    ATTACHMENT_TYPE,
    JOB_QUEUE_STATUS,
    JOB_QUEUE_OBJECT_TYPE,
    APPROVAL_STATUS,
    APPROVAL_DOCUMENT_TYPE,
    APPROVAL_TYPE,
    APPROVAL_LIMIT_TYPE,
    APPROVER_TYPE,
    APPROVER_LIMIT_TYPE,
    DELEGATE_AFTER,
    NOTIFICATION_ENTRY_TYPE,
    WEBHOOK_RESPONSE_TYPE,
    WEBHOOK_RESPONSE,
)
