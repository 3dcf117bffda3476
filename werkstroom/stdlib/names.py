"""The DSL names of Business Central's events and responses, keyed by BC's function code.

Every BC event has a PascalCase ``<Subject><WhatHappened>`` name; every BC response a snake_case
id. The BC code stays usable as an alias in scripts and JSON. The area modules build their specs
from these tables, so a name is written once.
"""

from __future__ import annotations

BC_EVENT_NAMES: dict[str, str] = {
    # incoming documents and OCR
    "RUNWORKFLOWONAFTERINSERTINCOMINGDOCUMENT": "IncomingDocumentCreated",
    "RUNWORKFLOWONAFTERRELEASEINCOMINGDOC": "IncomingDocumentReleased",
    "RUNWORKFLOWONAFTERCREATEDOCFROMINCOMINGDOCSUCCESS": "DocumentCreatedFromIncomingDocument",
    "RUNWORKFLOWONAFTERCREATEDOCFROMINCOMINGDOCFAIL": "DocumentCreationFromIncomingDocumentFailed",
    "RUNWORKFLOWONAFTERREADYFOROCRINCOMINGDOC": "IncomingDocumentReadyForOcr",
    "RUNWORKFLOWONAFTERSENDTOOCRINCOMINGDOC": "IncomingDocumentSentToOcr",
    "RUNWORKFLOWONAFTERRECEIVEFROMOCRINCOMINGDOC": "IncomingDocumentReceivedFromOcr",
    "RUNWORKFLOWONAFTERRECEIVEFROMDOCEXCHINCOMINGDOC": "IncomingDocumentReceivedFromDocExchange",
    "RUNWORKFLOWONSENDINCOMINGDOCFORAPPROVAL": "IncomingDocumentSentForApproval",
    "RUNWORKFLOWONCANCELINCOMINGDOCAPPROVALREQUEST": "IncomingDocumentApprovalRequestCanceled",
    "RUNWORKFLOWONBINARYFILEATTACHED": "IncomingDocumentFileAttached",
    "RUNWORKFLOWONAFTERCREATEGENJNLLINEFROMINCOMINGDOCSUCCESSCODE": (
        "GenJournalLineCreatedFromIncomingDocument"
    ),
    "RUNWORKFLOWONAFTERCREATEGENJNLLINEFROMINCOMINGDOFAILCODE": (
        "GenJournalLineCreationFromIncomingDocumentFailed"
    ),
    # purchase
    "RUNWORKFLOWONSENDPURCHASEDOCFORAPPROVAL": "PurchaseDocSentForApproval",
    "RUNWORKFLOWONCANCELPURCHASEAPPROVALREQUEST": "PurchaseDocApprovalRequestCanceled",
    "RUNWORKFLOWONAFTERRELEASEPURCHASEDOC": "PurchaseDocReleased",
    "RUNWORKFLOWONAFTERPOSTPURCHASEDOC": "PurchaseInvoicePosted",
    # sales
    "RUNWORKFLOWONSENDSALESDOCFORAPPROVAL": "SalesDocSentForApproval",
    "RUNWORKFLOWONCANCELSALESAPPROVALREQUEST": "SalesDocApprovalRequestCanceled",
    "RUNWORKFLOWONAFTERRELEASESALESDOC": "SalesDocReleased",
    "RUNWORKFLOWONCUSTOMERCREDITLIMITEXCEEDED": "CustomerCreditLimitExceeded",
    "RUNWORKFLOWONCUSTOMERCREDITLIMITNOTEXCEEDED": "CustomerCreditLimitNotExceeded",
    # journals
    "RUNWORKFLOWONAFTERINSERTGENERALJOURNALLINE": "GenJournalLineCreated",
    "RUNWORKFLOWONSENDGENERALJOURNALBATCHFORAPPROVAL": "GenJournalBatchSentForApproval",
    "RUNWORKFLOWONCANCELGENERALJOURNALBATCHAPPROVALREQUEST": "GenJournalBatchApprovalRequestCanceled",
    "RUNWORKFLOWONSENDGENERALJOURNALLINEFORAPPROVAL": "GenJournalLineSentForApproval",
    "RUNWORKFLOWONCANCELGENERALJOURNALLINEAPPROVALREQUEST": "GenJournalLineApprovalRequestCanceled",
    "RUNWORKFLOWONGENERALJOURNALBATCHBALANCED": "GenJournalBatchBalanced",
    "RUNWORKFLOWONGENERALJOURNALBATCHNOTBALANCED": "GenJournalBatchNotBalanced",
    "RUNWORKFLOWONSENDITEMJOURNALBATCHFORAPPROVAL": "ItemJournalBatchSentForApproval",
    "RUNWORKFLOWONCANCELITEMJOURNALBATCHAPPROVALREQUEST": "ItemJournalBatchApprovalRequestCanceled",
    "RUNWORKFLOWONSENDREQUISITIONWORKSHEETBATCHFORAPPROVAL": "RequisitionWorksheetSentForApproval",
    "RUNWORKFLOWONCANCELAREQUISITIONWORKSHEETBATCHAPPROVALREQUEST": (
        "RequisitionWorksheetApprovalRequestCanceled"
    ),
    # approvals
    "RUNWORKFLOWONAPPROVEAPPROVALREQUEST": "ApprovalRequestApproved",
    "RUNWORKFLOWONREJECTAPPROVALREQUEST": "ApprovalRequestRejected",
    "RUNWORKFLOWONDELEGATEAPPROVALREQUEST": "ApprovalRequestDelegated",
    "RUNWORKFLOWONSENDOVERDUENOTIFICATIONS": "OverdueNotificationsRequested",
    # master data
    "RUNWORKFLOWONSENDCUSTOMERFORAPPROVAL": "CustomerSentForApproval",
    "RUNWORKFLOWONCANCELCUSTOMERAPPROVALREQUEST": "CustomerApprovalRequestCanceled",
    "RUNWORKFLOWONSENDVENDORFORAPPROVAL": "VendorSentForApproval",
    "RUNWORKFLOWONCANCELVENDORAPPROVALREQUEST": "VendorApprovalRequestCanceled",
    "RUNWORKFLOWONSENDITEMFORAPPROVAL": "ItemSentForApproval",
    "RUNWORKFLOWONCANCELITEMAPPROVALREQUEST": "ItemApprovalRequestCanceled",
    "RUNWORKFLOWONCUSTOMERCHANGEDCODE": "CustomerChanged",
    "RUNWORKFLOWONVENDORCHANGEDCODE": "VendorChanged",
    "RUNWORKFLOWONITEMCHANGEDCODE": "ItemChanged",
    "RUNWORKFLOWONSENDVENDORBANKACCOUNTFORAPPROVAL": "VendorBankAccountSentForApproval",
    "RUNWORKFLOWONCANCELVENDORBANKACCOUNTAPPROVALREQUEST": "VendorBankAccountApprovalRequestCanceled",
    # administration
    "RUNWORKFLOWONSENDJOBQUEUEENTRYFORAPPROVAL": "JobQueueEntrySentForApproval",
    "RUNWORKFLOWONCANCELJOBQUEUEENTRYAPPROVALREQUEST": "JobQueueEntryApprovalRequestCanceled",
    # integration
    "WORKFLOWWEBHOOKRESPONSERECEIVEDEVENT": "WebhookResponseReceived",
}

BC_RESPONSE_NAMES: dict[str, str] = {
    "DONOTHING": "do_nothing",
    "CREATENOTIFICATIONENTRY": "create_notification",
    "RELEASEDOCUMENT": "release_document",
    "OPENDOCUMENT": "reopen_document",
    "SETSTATUSTOPENDINGAPPROVAL": "set_status_pending_approval",
    "GETAPPROVALCOMMENT": "open_approval_comments",
    "CREATEAPPROVALREQUESTS": "create_approval_requests",
    "SENDAPPROVALREQUESTFORAPPROVAL": "send_approval_requests",
    "APPROVEALLAPPROVALREQUESTS": "approve_approval_requests",
    "REJECTALLAPPROVALREQUESTS": "reject_approval_requests",
    "CANCELALLAPPROVALREQUESTS": "cancel_approval_requests",
    "POSTDOCUMENT": "post_document",
    "BACKGROUNDPOSTAPPROVEDPURCHASEDOC": "post_document_in_background",
    "BACKGROUNDCREATEPMTLINEFORPOSTEDDOCUMENT": "create_payment_line_in_background",
    "CREATEPMTLINEFORPOSTEDDOCUMENT": "create_payment_line",
    "CREATEOVERDUENOTIFICATIONS": "create_overdue_notifications",
    "CHECKCUSTOMERCREDITLIMIT": "check_customer_credit_limit",
    "CHECKGENERALJOURNALBATCHBALANCE": "check_journal_batch_balance",
    "CREATEANDAPPROVEAPPROVALREQUESTAUTOMATICALLY": "create_and_approve_automatically",
    "SHOWMESSAGE": "show_message",
    "RESTRICTRECORDUSAGE": "restrict_record_usage",
    "ALLOWRECORDUSAGE": "allow_record_usage",
    "MARKREADYFOROCR": "mark_ready_for_ocr",
    "SENDTOOCR": "send_to_ocr",
    "RECEIVEFROMOCR": "receive_from_ocr",
    "BACKGROUNDSENDTOOCR": "send_to_ocr_in_background",
    "BACKGROUNDRECEIVEFROMOCR": "receive_from_ocr_in_background",
    "CREATEDOCFROMINCOMINGDOC": "create_document_from_incoming_document",
    "CREATERELEASEDDOCFROMINCOMINGDOC": "create_released_document_from_incoming_document",
    "CREATEJOURNALFROMINCOMINGDOC": "create_journal_line_from_incoming_document",
    "REVERTVALUEFORFIELD": "revert_field_value",
    "APPLYNEWVALUES": "apply_new_values",
    "DISCARDNEWVALUES": "discard_new_values",
    "APPROVEOVERRECEIPT": "approve_over_receipt",
    "ENABLEJOBQUEUEENTRY": "enable_job_queue_entry",
    "SENDNOTIFICATIONTOWEBHOOK": "send_notification_to_webhook",
}

REQUEST_APPROVAL = "request_approval"
"""Werkstroom's combined response (create + send approval requests); it has no BC code."""


def event_names(*bc_codes: str) -> tuple[str, ...]:
    return tuple(BC_EVENT_NAMES[c] for c in bc_codes)
