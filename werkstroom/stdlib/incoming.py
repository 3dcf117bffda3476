"""Incoming documents and OCR: received documents, their attachments, OCR and document-exchange events,
and the responses that hand documents to OCR or turn them into BC documents (host effects)."""

from __future__ import annotations

from collections.abc import Callable

from ..extend import EventSpec, Library, RecordHandle, RecordSpec, ResponseContext, ResponseSpec
from . import enums as E
from ._build import (
    boolean,
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
    patterns,
    text,
)
from ._run import ResponsePreconditionError, base, first, ref, require_type
from .names import BC_RESPONSE_NAMES

VERSION = "1.0"


def _incoming_of(ctx: ResponseContext) -> RecordHandle:
    """The incoming document a response acts on: the document itself, or an attachment's document."""
    doc = ctx.document
    if doc.type == "IncomingDocumentAttachment":
        parent = first(ctx.related(doc, "incoming_document"))
        if parent is None:
            raise ResponsePreconditionError(f"attachment {doc.key} has no incoming document")
        return parent
    require_type(ctx, "incoming document response", doc, ("IncomingDocument",))
    return doc


def _mark_ready(ctx: ResponseContext) -> None:
    attachment = ctx.document
    require_type(ctx, "mark ready for OCR", attachment, ("IncomingDocumentAttachment",))
    incoming = _incoming_of(ctx)
    incoming.values["ocr_status"] = "Ready"
    ctx.emit_effect(
        "ocr.ready",
        {
            **ref(incoming),
            "attachment": attachment.key,
            "workflow_code": ctx.workflow_code,
            "instance_id": ctx.instance_id,
        },
    )
    ctx.explain(f"incoming document {incoming.key} marked ready for OCR")


def _ocr(kind: str, background: bool, needs_ocr_status: str) -> Callable[[ResponseContext], None]:
    verb = {"ocr.send": "sent to", "ocr.receive": "received from"}[kind]

    def run(ctx: ResponseContext) -> None:
        incoming = _incoming_of(ctx)
        if background:
            status = incoming.values.get("status")
            ocr_status = incoming.values.get("ocr_status")
            if status != "Released" or ocr_status != needs_ocr_status:
                raise ResponsePreconditionError(
                    f"incoming document {incoming.key} must be Released with OCR status {needs_ocr_status} "
                    f"(it is {status or 'blank'}, OCR status {ocr_status or 'blank'})"
                )
        ctx.emit_effect(kind, {**base(ctx), **ref(incoming), "background": background})
        ctx.explain(f"incoming document {incoming.key} {'queued to be ' if background else ''}{verb} OCR")

    return run


def _create(kind: str, released: bool) -> Callable[[ResponseContext], None]:
    def run(ctx: ResponseContext) -> None:
        incoming = _incoming_of(ctx)
        ctx.emit_effect(kind, {**base(ctx), **ref(incoming), "released": released})
        ctx.explain(
            f"host asked to create {'a released ' if released else 'a '}"
            f"{'journal line' if kind.endswith('journal_line') else 'document'} from incoming "
            f"document {incoming.key}"
        )

    return run


def events() -> tuple[EventSpec, ...]:
    return (
        event(
            "RUNWORKFLOWONAFTERINSERTINCOMINGDOCUMENT",
            "An incoming document was created.",
            "IncomingDocument",
        ),
        event(
            "RUNWORKFLOWONAFTERRELEASEINCOMINGDOC", "An incoming document was released.", "IncomingDocument"
        ),
        event(
            "RUNWORKFLOWONAFTERCREATEDOCFROMINCOMINGDOCSUCCESS",
            "A BC document was created from an incoming document.",
            "IncomingDocument",
        ),
        event(
            "RUNWORKFLOWONAFTERCREATEDOCFROMINCOMINGDOCFAIL",
            "Creating a BC document from an incoming document failed.",
            "IncomingDocument",
        ),
        event(
            "RUNWORKFLOWONAFTERREADYFOROCRINCOMINGDOC",
            "An incoming document was queued for OCR.",
            "IncomingDocument",
        ),
        event(
            "RUNWORKFLOWONAFTERSENDTOOCRINCOMINGDOC",
            "An incoming document was sent to the OCR service.",
            "IncomingDocument",
        ),
        event(
            "RUNWORKFLOWONAFTERRECEIVEFROMOCRINCOMINGDOC",
            "The OCR result of an incoming document was received.",
            "IncomingDocument",
        ),
        event(
            "RUNWORKFLOWONAFTERRECEIVEFROMDOCEXCHINCOMINGDOC",
            "An incoming document arrived through the document exchange service.",
            "IncomingDocument",
        ),
        event(
            "RUNWORKFLOWONSENDINCOMINGDOCFORAPPROVAL",
            "A user asked for approval of an incoming document.",
            "IncomingDocument",
        ),
        event(
            "RUNWORKFLOWONCANCELINCOMINGDOCAPPROVALREQUEST",
            "A user withdrew the approval request of an incoming document.",
            "IncomingDocument",
            after=("RUNWORKFLOWONSENDINCOMINGDOCFORAPPROVAL",),
        ),
        event(
            "RUNWORKFLOWONBINARYFILEATTACHED",
            "An image or PDF was attached to a new incoming document, ready for OCR.",
            "IncomingDocumentAttachment",
        ),
        event(
            "RUNWORKFLOWONAFTERCREATEGENJNLLINEFROMINCOMINGDOCSUCCESSCODE",
            "A general journal line was created from an incoming document.",
            "IncomingDocument",
        ),
        event(
            "RUNWORKFLOWONAFTERCREATEGENJNLLINEFROMINCOMINGDOFAILCODE",
            "Creating a general journal line from an incoming document failed.",
            "IncomingDocument",
        ),
    )


def responses() -> tuple[ResponseSpec, ...]:
    ready = events_after("RUNWORKFLOWONAFTERREADYFOROCRINCOMINGDOC")
    sent = events_after("RUNWORKFLOWONAFTERSENDTOOCRINCOMINGDOC")
    return (
        ResponseSpec(
            name=BC_RESPONSE_NAMES["MARKREADYFOROCR"],
            description="Mark the attachment's incoming document ready for OCR.",
            patterns=patterns("mark [incoming document] ready for ocr"),
            run=_mark_ready,
            allowed_after=events_after("RUNWORKFLOWONBINARYFILEATTACHED"),
            bc_code="MARKREADYFOROCR",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["SENDTOOCR"],
            description="Send the incoming document to the OCR service (host effect).",
            patterns=patterns("send [incoming document] to ocr"),
            run=_ocr("ocr.send", False, "Ready"),
            allowed_after=ready,
            bc_code="SENDTOOCR",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["BACKGROUNDSENDTOOCR"],
            description="Queue sending the incoming document to OCR; it must be Released with OCR status "
            "Ready.",
            patterns=patterns("send [incoming document] to ocr in [the] background"),
            run=_ocr("ocr.send", True, "Ready"),
            allowed_after=ready,
            bc_code="BACKGROUNDSENDTOOCR",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["RECEIVEFROMOCR"],
            description="Fetch the OCR result of the incoming document (host effect).",
            patterns=patterns("receive [incoming document] from ocr"),
            run=_ocr("ocr.receive", False, "Sent"),
            allowed_after=sent,
            bc_code="RECEIVEFROMOCR",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["BACKGROUNDRECEIVEFROMOCR"],
            description="Queue fetching the OCR result; the incoming document must be Released with OCR "
            "status Sent.",
            patterns=patterns("receive [incoming document] from ocr in [the] background"),
            run=_ocr("ocr.receive", True, "Sent"),
            allowed_after=sent,
            bc_code="BACKGROUNDRECEIVEFROMOCR",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["CREATEDOCFROMINCOMINGDOC"],
            description="Create a purchase document from the incoming document (host effect).",
            patterns=patterns("create [purchase] document from incoming document"),
            run=_create("incoming_document.create_document", False),
            bc_code="CREATEDOCFROMINCOMINGDOC",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["CREATERELEASEDDOCFROMINCOMINGDOC"],
            description="Create and release a purchase document from the incoming document (host effect).",
            patterns=patterns("create released [purchase] document from incoming document"),
            run=_create("incoming_document.create_document", True),
            bc_code="CREATERELEASEDDOCFROMINCOMINGDOC",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["CREATEJOURNALFROMINCOMINGDOC"],
            description="Create a general journal line from the incoming document (host effect).",
            patterns=patterns("create journal line from incoming document"),
            run=_create("incoming_document.create_journal_line", False),
            bc_code="CREATEJOURNALFROMINCOMINGDOC",
        ),
    )


def library() -> Library:
    recs = (incoming_document(), incoming_document_attachment())
    resps = responses()
    return Library(
        name="werkstroom.incoming",
        version=VERSION,
        description="Incoming documents and attachments, OCR and document-exchange events and responses.",
        records=recs,
        events=events(),
        responses=resps,
        enums=enums_of(recs, resps),
    )


# --------------------------------------------------------------------------- records


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
            enum("status", "Status", E.INCOMING_DOCUMENT_STATUS, no=18),
            enum("ocr_status", "OCR Status", E.INCOMING_DOCUMENT_OCR_STATUS, no=32),
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
