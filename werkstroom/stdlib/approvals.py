"""Approvals: the approval entry, the approve/reject/delegate events and the approval responses.

Also the document-status responses every approval workflow uses (pending approval, release,
reopen) and record restrictions. ``request approval from ...`` is Werkstroom's combined response
(create + send in one); BC's separate primitives stay available.
"""

from __future__ import annotations

from typing import Any

from ..extend import Library, RecordSpec, ResponseContext, ResponseSpec
from . import enums as E
from ._build import (
    boolean,
    code,
    date,
    datetime,
    dec,
    enum,
    enums_of,
    event,
    events_after,
    formula,
    integer,
    pattern,
    patterns,
    text,
)
from ._run import base, ref, require_type
from .names import BC_RESPONSE_NAMES, REQUEST_APPROVAL
from .options import (
    CREATE_REQUESTS_RULE,
    approver_options,
    approver_phrases,
    create_requests_mandatory,
    group2,
)

VERSION = "1.0"

# Events that start an approval: BC lists them as the predecessors of approve/reject/delegate.
_APPROVAL_STARTS = (
    "RUNWORKFLOWONSENDINCOMINGDOCFORAPPROVAL",
    "RUNWORKFLOWONSENDPURCHASEDOCFORAPPROVAL",
    "RUNWORKFLOWONSENDSALESDOCFORAPPROVAL",
    "RUNWORKFLOWONSENDCUSTOMERFORAPPROVAL",
    "RUNWORKFLOWONSENDVENDORFORAPPROVAL",
    "RUNWORKFLOWONSENDITEMFORAPPROVAL",
    "RUNWORKFLOWONSENDGENERALJOURNALBATCHFORAPPROVAL",
    "RUNWORKFLOWONGENERALJOURNALBATCHBALANCED",
    "RUNWORKFLOWONSENDGENERALJOURNALLINEFORAPPROVAL",
    "RUNWORKFLOWONSENDITEMJOURNALBATCHFORAPPROVAL",
    "RUNWORKFLOWONSENDREQUISITIONWORKSHEETBATCHFORAPPROVAL",
    "RUNWORKFLOWONCUSTOMERCHANGEDCODE",
    "RUNWORKFLOWONVENDORCHANGEDCODE",
    "RUNWORKFLOWONITEMCHANGEDCODE",
    "RUNWORKFLOWONSENDJOBQUEUEENTRYFORAPPROVAL",
)

# Where BC lets "create approval requests" follow (and so the combined response too).
_CREATE_AFTER = (
    "RUNWORKFLOWONSENDPURCHASEDOCFORAPPROVAL",
    "RUNWORKFLOWONSENDSALESDOCFORAPPROVAL",
    "RUNWORKFLOWONCUSTOMERCREDITLIMITEXCEEDED",
    "RUNWORKFLOWONCUSTOMERCREDITLIMITNOTEXCEEDED",
    "RUNWORKFLOWONSENDINCOMINGDOCFORAPPROVAL",
    "RUNWORKFLOWONSENDCUSTOMERFORAPPROVAL",
    "RUNWORKFLOWONCUSTOMERCHANGEDCODE",
    "RUNWORKFLOWONSENDVENDORFORAPPROVAL",
    "RUNWORKFLOWONVENDORCHANGEDCODE",
    "RUNWORKFLOWONSENDITEMFORAPPROVAL",
    "RUNWORKFLOWONITEMCHANGEDCODE",
    "RUNWORKFLOWONSENDGENERALJOURNALLINEFORAPPROVAL",
    "RUNWORKFLOWONSENDGENERALJOURNALBATCHFORAPPROVAL",
    "RUNWORKFLOWONGENERALJOURNALBATCHBALANCED",
    "RUNWORKFLOWONSENDITEMJOURNALBATCHFORAPPROVAL",
    "RUNWORKFLOWONSENDREQUISITIONWORKSHEETBATCHFORAPPROVAL",
    "RUNWORKFLOWONSENDJOBQUEUEENTRYFORAPPROVAL",
    "RUNWORKFLOWONSENDVENDORBANKACCOUNTFORAPPROVAL",
)

# The combined response may also follow a document's release: the one-line form
# `on PurchaseDocReleased when amount > 1000 then request approval from approver chain` asks for a
# (post-release) approval of large documents. BC's separate create/send responses keep BC's rules.
_REQUEST_AFTER = (
    *_CREATE_AFTER,
    "RUNWORKFLOWONAFTERRELEASEPURCHASEDOC",
    "RUNWORKFLOWONAFTERRELEASESALESDOC",
    "RUNWORKFLOWONAFTERRELEASEINCOMINGDOC",
)

_SEND_AFTER = (
    *_CREATE_AFTER[:16],
    "RUNWORKFLOWONAPPROVEAPPROVALREQUEST",
    "RUNWORKFLOWONDELEGATEAPPROVALREQUEST",
    *_CREATE_AFTER[16:],
)

_CANCEL_EVENTS = (
    "RUNWORKFLOWONCANCELPURCHASEAPPROVALREQUEST",
    "RUNWORKFLOWONCANCELSALESAPPROVALREQUEST",
    "RUNWORKFLOWONCANCELINCOMINGDOCAPPROVALREQUEST",
    "RUNWORKFLOWONCANCELCUSTOMERAPPROVALREQUEST",
    "RUNWORKFLOWONCANCELVENDORAPPROVALREQUEST",
    "RUNWORKFLOWONCANCELITEMAPPROVALREQUEST",
    "RUNWORKFLOWONCANCELGENERALJOURNALLINEAPPROVALREQUEST",
    "RUNWORKFLOWONCANCELGENERALJOURNALBATCHAPPROVALREQUEST",
    "RUNWORKFLOWONCANCELITEMJOURNALBATCHAPPROVALREQUEST",
    "RUNWORKFLOWONCANCELAREQUISITIONWORKSHEETBATCHAPPROVALREQUEST",
)

# Records whose status field the document responses move (BC: purchase, sales, incoming documents).
STATUS_DOCUMENTS = ("PurchaseHeader", "SalesHeader", "IncomingDocument")
_OPEN_STATUS = {"PurchaseHeader": "Open", "SalesHeader": "Open", "IncomingDocument": "New"}


# --------------------------------------------------------------------------- behaviours


def _release(ctx: ResponseContext) -> None:
    doc = ctx.document
    require_type(ctx, "release document", doc, STATUS_DOCUMENTS)
    ctx.state.set_status("Released")
    ctx.emit_effect("document.released", base(ctx))
    ctx.explain(f"{doc.type} {doc.key} released")


def _reopen(ctx: ResponseContext) -> None:
    doc = ctx.document
    require_type(ctx, "reopen document", doc, STATUS_DOCUMENTS)
    ctx.state.set_status(_OPEN_STATUS[doc.type])
    ctx.emit_effect("document.reopened", base(ctx))
    ctx.explain(f"{doc.type} {doc.key} reopened")


def _pending(ctx: ResponseContext) -> None:
    doc = ctx.document
    require_type(ctx, "set status to pending approval", doc, STATUS_DOCUMENTS)
    ctx.state.set_status("Pending Approval")
    ctx.explain(f"{doc.type} {doc.key} is pending approval")


def _restrict(ctx: ResponseContext) -> None:
    ctx.state.restrict()
    ctx.explain(
        f"{ctx.document.type} {ctx.document.key} restricted by workflow {ctx.workflow_code}"
        + (f", {ctx.workflow_description}" if ctx.workflow_description else "")
    )


def _allow(ctx: ResponseContext) -> None:
    ctx.state.allow()
    ctx.explain(f"restriction on {ctx.document.type} {ctx.document.key} removed")


def _create(ctx: ResponseContext) -> None:
    ctx.approvals.create_requests(ctx.options)


def _send(ctx: ResponseContext) -> None:
    ctx.approvals.send_requests(ctx.options)


def _request(ctx: ResponseContext) -> None:
    ctx.approvals.create_requests(ctx.options)
    ctx.approvals.send_requests(ctx.options)


def _approve_all(ctx: ResponseContext) -> None:
    ctx.approvals.approve_all()


def _reject_all(ctx: ResponseContext) -> None:
    ctx.approvals.reject_all(ctx.options)


def _cancel_all(ctx: ResponseContext) -> None:
    ctx.approvals.cancel_all(ctx.options)


def _auto_approve(ctx: ResponseContext) -> None:
    ctx.approvals.create_and_approve_automatically()


def _comments(ctx: ResponseContext) -> None:
    ctx.approvals.request_comment()
    ctx.emit_effect("approval.comments_requested", {**ref(ctx.document), "user": ctx.user})


# --------------------------------------------------------------------------- declarations


def _create_patterns(prefix: str) -> tuple[Any, ...]:
    return tuple(pattern(text, **presets) for text, presets in approver_phrases(prefix))


def responses() -> tuple[ResponseSpec, ...]:
    create_after = events_after(*_CREATE_AFTER)
    return (
        ResponseSpec(
            name=BC_RESPONSE_NAMES["SETSTATUSTOPENDINGAPPROVAL"],
            description="Set the document's status to Pending Approval.",
            patterns=patterns("set [document] status to pending approval"),
            run=_pending,
            allowed_after=events_after(
                "RUNWORKFLOWONSENDPURCHASEDOCFORAPPROVAL",
                "RUNWORKFLOWONSENDSALESDOCFORAPPROVAL",
                "RUNWORKFLOWONSENDINCOMINGDOCFORAPPROVAL",
                "RUNWORKFLOWONCUSTOMERCREDITLIMITEXCEEDED",
                "RUNWORKFLOWONCUSTOMERCREDITLIMITNOTEXCEEDED",
                "RUNWORKFLOWONSENDJOBQUEUEENTRYFORAPPROVAL",
            ),
            bc_code="SETSTATUSTOPENDINGAPPROVAL",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["RELEASEDOCUMENT"],
            description="Release the document (status Released), e.g. once every approver approved.",
            patterns=patterns("release [the] document"),
            run=_release,
            allowed_after=events_after(
                "RUNWORKFLOWONAPPROVEAPPROVALREQUEST", "RUNWORKFLOWONCUSTOMERCREDITLIMITNOTEXCEEDED"
            ),
            bc_code="RELEASEDOCUMENT",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["OPENDOCUMENT"],
            description="Reopen the document (status back to Open; New for incoming documents).",
            patterns=patterns("reopen [the] document"),
            run=_reopen,
            allowed_after=events_after(
                "RUNWORKFLOWONREJECTAPPROVALREQUEST",
                *_CANCEL_EVENTS,
                "RUNWORKFLOWONCANCELVENDORBANKACCOUNTAPPROVALREQUEST",
            ),
            bc_code="OPENDOCUMENT",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["RESTRICTRECORDUSAGE"],
            description="Restrict the record: it cannot be posted, released, printed or exported until "
            "the restriction is removed.",
            patterns=patterns("restrict record usage", "add record restriction"),
            run=_restrict,
            bc_code="RESTRICTRECORDUSAGE",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["ALLOWRECORDUSAGE"],
            description="Remove the record's restriction (for a journal batch, also its lines').",
            patterns=patterns("allow record usage", "remove record restriction"),
            run=_allow,
            bc_code="ALLOWRECORDUSAGE",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["CREATEAPPROVALREQUESTS"],
            description="Create approval entries for the record for the chosen approvers (approver type "
            "and limit type, or a workflow user group).",
            patterns=_create_patterns("create approval requests for"),
            run=_create,
            options=approver_options(),
            allowed_after=create_after,
            mandatory=create_requests_mandatory,
            mandatory_rule=CREATE_REQUESTS_RULE,
            bc_code="CREATEAPPROVALREQUESTS",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["SENDAPPROVALREQUESTFORAPPROVAL"],
            description="Open the next group of created approval requests (lowest sequence number) and "
            "notify their approvers; after an approval or delegation, continue the chain.",
            patterns=patterns(
                "send approval requests", "send approval request", "send approval requests for approval"
            ),
            run=_send,
            options=group2(),
            allowed_after=events_after(*_SEND_AFTER),
            bc_code="SENDAPPROVALREQUESTFORAPPROVAL",
        ),
        ResponseSpec(
            name=REQUEST_APPROVAL,
            description="Werkstroom: create approval requests for the chosen approvers and send them, in "
            "one step (BC's create + send responses). Besides where BC allows creating requests, it may "
            "follow a document's release (a post-release approval of, e.g., large documents).",
            patterns=_create_patterns("request approval from"),
            run=_request,
            options=(*approver_options(), *group2()),
            allowed_after=events_after(*_REQUEST_AFTER),
            mandatory=create_requests_mandatory,
            mandatory_rule=CREATE_REQUESTS_RULE,
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["APPROVEALLAPPROVALREQUESTS"],
            description="Approve every created or open approval request of the record in this workflow.",
            patterns=patterns("approve [all] approval requests"),
            run=_approve_all,
            bc_code="APPROVEALLAPPROVALREQUESTS",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["REJECTALLAPPROVALREQUESTS"],
            description="Reject every approval request of the record in this workflow that is not already "
            "rejected or canceled, and notify.",
            patterns=patterns("reject [all] approval requests"),
            run=_reject_all,
            options=group2(),
            allowed_after=events_after("RUNWORKFLOWONREJECTAPPROVALREQUEST"),
            bc_code="REJECTALLAPPROVALREQUESTS",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["CANCELALLAPPROVALREQUESTS"],
            description="Cancel every approval request of the record in this workflow that is not already "
            "rejected or canceled, and notify.",
            patterns=patterns("cancel [all] approval requests"),
            run=_cancel_all,
            options=group2(),
            allowed_after=events_after(
                *_CANCEL_EVENTS,
                "RUNWORKFLOWONCANCELJOBQUEUEENTRYAPPROVALREQUEST",
                "RUNWORKFLOWONCANCELVENDORBANKACCOUNTAPPROVALREQUEST",
            ),
            bc_code="CANCELALLAPPROVALREQUESTS",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["CREATEANDAPPROVEAPPROVALREQUESTAUTOMATICALLY"],
            description="Create one approval request for the acting user, approved at once (used when the "
            "credit limit is not exceeded).",
            patterns=patterns("create and approve approval request automatically", "approve automatically"),
            run=_auto_approve,
            allowed_after=events_after("RUNWORKFLOWONCUSTOMERCREDITLIMITNOTEXCEEDED"),
            bc_code="CREATEANDAPPROVEAPPROVALREQUESTAUTOMATICALLY",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["GETAPPROVALCOMMENT"],
            description="Ask the acting user for an approval comment on the record.",
            patterns=patterns("open approval comments", "ask for approval comment"),
            run=_comments,
            bc_code="GETAPPROVALCOMMENT",
        ),
    )


def events() -> tuple[Any, ...]:
    return (
        event(
            "RUNWORKFLOWONAPPROVEAPPROVALREQUEST",
            "An approver approved an approval request.",
            "ApprovalEntry",
            after=_APPROVAL_STARTS,
            on_known_instance=True,
        ),
        event(
            "RUNWORKFLOWONREJECTAPPROVALREQUEST",
            "An approver rejected an approval request.",
            "ApprovalEntry",
            after=_APPROVAL_STARTS,
            on_known_instance=True,
        ),
        event(
            "RUNWORKFLOWONDELEGATEAPPROVALREQUEST",
            "An approval request was handed to another approver (substitute or manager).",
            "ApprovalEntry",
            after=_APPROVAL_STARTS,
            on_known_instance=True,
        ),
    )


def library() -> Library:
    recs = (approval_entry(),)
    resps = responses()
    return Library(
        name="werkstroom.approvals",
        version=VERSION,
        description="Approval entries, the approve/reject/delegate events, approval and document-status "
        "responses.",
        records=recs,
        events=events(),
        responses=resps,
        enums=enums_of(recs, resps),
    )


# --------------------------------------------------------------------------- records


def approval_entry() -> RecordSpec:
    return RecordSpec(
        name="ApprovalEntry",
        description="One approval request: an approver's entry for a record in one workflow instance.",
        bc_name="Approval Entry",
        table_id=454,
        key=("entry_no",),
        fields=(
            integer("entry_no", "Entry No.", no=29),
            integer("table_id", "Table ID", "BC table number of the record to approve.", no=1),
            text("record_type", "Record ID to Approve (table)", "Record type of the record to approve.", 30),
            text("record_key", "Record ID to Approve", "Key of the record to approve.", 250),
            enum("document_type", "Document Type", E.APPROVAL_DOCUMENT_TYPE, no=2),
            code("document_no", "Document No.", no=3),
            integer("sequence_no", "Sequence No.", "Order in which approvers are asked; equal = parallel.",
                    no=4),
            code("approval_code", "Approval Code", "The workflow code.", no=5),
            code("sender_id", "Sender ID", "The user who asked for approval.", 50, no=6),
            code("salespers_purch_code", "Salespers./Purch. Code", no=7),
            code("approver_id", "Approver ID", "The user asked to approve.", 50, no=8),
            enum("status", "Status", E.APPROVAL_STATUS, "Created, Open, Canceled, Rejected, Approved.", no=9),
            datetime("date_time_sent_for_approval", "Date-Time Sent for Approval", no=10),
            datetime("last_date_time_modified", "Last Date-Time Modified", no=11),
            code("last_modified_by_user_id", "Last Modified By User ID", length=50, no=12),
            boolean("comment", "Comment", "Whether approval comments exist.", flowfield=True, no=13),
            date("due_date", "Due Date", no=14),
            dec("amount", "Amount", "Amount of the record, in its currency.", no=15),
            dec("amount_lcy", "Amount (LCY)", "Amount of the record in local currency.", no=16),
            code("currency_code", "Currency Code", length=10, no=17),
            enum("approval_type", "Approval Type", E.APPROVAL_TYPE, no=18),
            enum("limit_type", "Limit Type", E.APPROVAL_LIMIT_TYPE, no=19),
            dec("available_credit_limit_lcy", "Available Credit Limit (LCY)", no=20),
            integer(
                "pending_approvals",
                "Pending Approvals",
                "Created or Open entries of the same record and workflow instance.",
                flowfield=True,
                no=21,
            ),
            text("workflow_step_instance_id", "Workflow Step Instance ID", length=38, no=30),
            formula("delegation_date_formula", "Delegation Date Formula", no=23),
        ),
    )
