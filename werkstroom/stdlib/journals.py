"""Journals: general journal lines and batches, item journal batches, requisition worksheets."""

from __future__ import annotations

from ..extend import EventSpec, Library, ResponseContext, ResponseSpec
from . import records
from ._build import enums_of, event, events_after, patterns
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
        records.gen_journal_line(),
        records.gen_journal_batch(),
        records.item_journal_batch(),
        records.requisition_wksh_name(),
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
