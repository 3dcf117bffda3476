"""Journals: general journal lines and batches, item journal batches, requisition worksheets."""

from __future__ import annotations

from ..extend import EventSpec, Library, RecordSpec, ResponseContext, ResponseSpec
from . import enums as E
from ._build import code, date, dec, enum, enums_of, event, events_after, integer, many, one, patterns, text
from ._run import require_type, total
from .names import BC_EVENT_NAMES, BC_RESPONSE_NAMES

VERSION = "1.0"

BALANCED = BC_EVENT_NAMES["RUNWORKFLOWONGENERALJOURNALBATCHBALANCED"]
NOT_BALANCED = BC_EVENT_NAMES["RUNWORKFLOWONGENERALJOURNALBATCHNOTBALANCED"]


def _check_balance(ctx: ResponseContext) -> None:
    batch = ctx.document
    require_type(ctx, "check journal batch balance", batch, ("GenJournalBatch",))
    lines = list(ctx.related(batch, "lines"))
    balance = total(lines, "amount")
    if balance == 0:
        ctx.explain(f"journal batch {batch.key} is balanced ({len(lines)} line(s))")
        ctx.raise_event(BALANCED, batch)
    else:
        ctx.explain(f"journal batch {batch.key} is out of balance by {balance}")
        ctx.raise_event(NOT_BALANCED, batch)


def events() -> tuple[EventSpec, ...]:
    batch_send = ("RUNWORKFLOWONSENDGENERALJOURNALBATCHFORAPPROVAL",)
    return (
        event(
            "RUNWORKFLOWONAFTERINSERTGENERALJOURNALLINE",
            "A general journal line was added.",
            "GenJournalLine",
        ),
        event(
            "RUNWORKFLOWONSENDGENERALJOURNALBATCHFORAPPROVAL",
            "A user asked for approval of a general journal batch.",
            "GenJournalBatch",
        ),
        event(
            "RUNWORKFLOWONCANCELGENERALJOURNALBATCHAPPROVALREQUEST",
            "A user withdrew the approval request of a general journal batch.",
            "GenJournalBatch",
            after=batch_send,
        ),
        event(
            "RUNWORKFLOWONSENDGENERALJOURNALLINEFORAPPROVAL",
            "A user asked for approval of a general journal line.",
            "GenJournalLine",
        ),
        event(
            "RUNWORKFLOWONCANCELGENERALJOURNALLINEAPPROVALREQUEST",
            "A user withdrew the approval request of a general journal line.",
            "GenJournalLine",
            after=("RUNWORKFLOWONSENDGENERALJOURNALLINEFORAPPROVAL",),
        ),
        event(
            "RUNWORKFLOWONGENERALJOURNALBATCHBALANCED",
            "The balance check found the general journal batch balanced.",
            "GenJournalBatch",
            after=batch_send,
        ),
        event(
            "RUNWORKFLOWONGENERALJOURNALBATCHNOTBALANCED",
            "The balance check found the general journal batch out of balance.",
            "GenJournalBatch",
            after=batch_send,
        ),
        event(
            "RUNWORKFLOWONSENDITEMJOURNALBATCHFORAPPROVAL",
            "A user asked for approval of an item journal batch.",
            "ItemJournalBatch",
        ),
        event(
            "RUNWORKFLOWONCANCELITEMJOURNALBATCHAPPROVALREQUEST",
            "A user withdrew the approval request of an item journal batch.",
            "ItemJournalBatch",
            after=("RUNWORKFLOWONSENDITEMJOURNALBATCHFORAPPROVAL",),
        ),
        event(
            "RUNWORKFLOWONSENDREQUISITIONWORKSHEETBATCHFORAPPROVAL",
            "A user asked for approval of a requisition worksheet batch.",
            "RequisitionWkshName",
        ),
        event(
            "RUNWORKFLOWONCANCELAREQUISITIONWORKSHEETBATCHAPPROVALREQUEST",
            "A user withdrew the approval request of a requisition worksheet batch.",
            "RequisitionWkshName",
            after=("RUNWORKFLOWONSENDREQUISITIONWORKSHEETBATCHFORAPPROVAL",),
        ),
    )


def responses() -> tuple[ResponseSpec, ...]:
    return (
        ResponseSpec(
            name=BC_RESPONSE_NAMES["CHECKGENERALJOURNALBATCHBALANCE"],
            description="Add up the batch's line amounts; raises GenJournalBatchBalanced when they sum to "
            "zero, GenJournalBatchNotBalanced otherwise.",
            patterns=patterns("check [general] journal batch balance"),
            run=_check_balance,
            allowed_after=events_after("RUNWORKFLOWONSENDGENERALJOURNALBATCHFORAPPROVAL"),
            raises=(BALANCED, NOT_BALANCED),
            bc_code="CHECKGENERALJOURNALBATCHBALANCE",
        ),
    )


def library() -> Library:
    recs = (
        gen_journal_line(),
        gen_journal_batch(),
        item_journal_batch(),
        requisition_wksh_name(),
    )
    resps = responses()
    return Library(
        name="werkstroom.journals",
        version=VERSION,
        description="General journal lines and batches, item journal batches, requisition worksheets, "
        "their events and the batch balance check.",
        records=recs,
        events=events(),
        responses=resps,
        enums=enums_of(recs, resps),
    )


# --------------------------------------------------------------------------- records


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
            enum("document_type", "Document Type", E.GEN_JOURNAL_DOCUMENT_TYPE, "Payment, Invoice, ...",
                 no=6),
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
