"""Integration: webhook (Power Automate) requests and their answers."""

from __future__ import annotations

from ..extend import EventSpec, FieldKind, Library, RecordSpec, ResponseContext, ResponseSpec
from . import enums as E
from ._build import code, datetime, enum, enums_of, event, events_after, integer, option, patterns, text
from ._run import base
from .names import BC_RESPONSE_NAMES

VERSION = "1.0"

_WEBHOOK_STARTS = (
    "RUNWORKFLOWONSENDCUSTOMERFORAPPROVAL",
    "RUNWORKFLOWONSENDGENERALJOURNALBATCHFORAPPROVAL",
    "RUNWORKFLOWONSENDGENERALJOURNALLINEFORAPPROVAL",
    "RUNWORKFLOWONSENDITEMJOURNALBATCHFORAPPROVAL",
    "RUNWORKFLOWONSENDREQUISITIONWORKSHEETBATCHFORAPPROVAL",
    "RUNWORKFLOWONSENDITEMFORAPPROVAL",
    "RUNWORKFLOWONSENDPURCHASEDOCFORAPPROVAL",
    "RUNWORKFLOWONSENDSALESDOCFORAPPROVAL",
    "RUNWORKFLOWONSENDVENDORFORAPPROVAL",
)


def _webhook(ctx: ResponseContext) -> None:
    response_type = ctx.options.get("response_type") or "Not Expected"
    responder = ctx.options.get("response_user_id")
    ctx.emit_effect(
        "webhook.notify",
        {
            **base(ctx),
            "event": ctx.event,
            "response_type": response_type,
            "response_user_id": responder,
        },
    )
    ctx.explain(
        f"webhook notified about {ctx.document.type} {ctx.document.key}"
        + (f"; answer expected from {responder}" if response_type == "User ID" else "")
    )


def events() -> tuple[EventSpec, ...]:
    return (
        event(
            "WORKFLOWWEBHOOKRESPONSERECEIVEDEVENT",
            "A subscribed webhook (Power Automate flow) answered: continue, reject or cancel.",
            "WorkflowWebhookEntry",
            after=_WEBHOOK_STARTS,
        ),
    )


def responses() -> tuple[ResponseSpec, ...]:
    return (
        ResponseSpec(
            name=BC_RESPONSE_NAMES["SENDNOTIFICATIONTOWEBHOOK"],
            description="Send the record to the subscribed webhook (Power Automate); optionally expect an "
            "answer from a user.",
            patterns=patterns("send notification to webhook", "call webhook"),
            run=_webhook,
            options=(
                option(
                    "response_type",
                    FieldKind.ENUM,
                    "Whether an answer is expected (Not Expected, User ID).",
                    "response type {value}",
                    enum_type=E.WEBHOOK_RESPONSE_TYPE,
                    default="Not Expected",
                    bc="Response Type",
                ),
                option(
                    "response_user_id",
                    FieldKind.CODE,
                    "The user expected to answer.",
                    "response from {value}",
                    "answer from {value}",
                    bc="Response User ID",
                ),
            ),
            allowed_after=events_after(*_WEBHOOK_STARTS),
            bc_code="SENDNOTIFICATIONTOWEBHOOK",
        ),
    )


def library() -> Library:
    recs = (workflow_webhook_entry(),)
    resps = responses()
    return Library(
        name="werkstroom.integration",
        version=VERSION,
        description="Webhook (Power Automate) requests and answers.",
        records=recs,
        events=events(),
        responses=resps,
        enums=enums_of(recs, resps),
    )


# --------------------------------------------------------------------------- records


def workflow_webhook_entry() -> RecordSpec:
    return RecordSpec(
        name="WorkflowWebhookEntry",
        description="A request sent to a subscribed webhook (Power Automate) and its answer.",
        bc_name="Workflow Webhook Entry",
        table_id=467,
        key=("entry_no",),
        fields=(
            integer("entry_no", "Entry No.", no=1),
            text("workflow_step_instance_id", "Workflow Step Instance ID", length=38, no=3),
            code("initiated_by_user_id", "Initiated By User ID", length=50, no=5),
            enum("response", "Response", E.WEBHOOK_RESPONSE, "Pending, Continue, Reject, Cancel, ...", no=7),
            text("record_type", "Record ID (table)", "Record type of the record the request is about.", 30),
            text("record_key", "Record ID", "Key of the record the request is about.", 250),
            text("data_id", "Data ID", length=38, no=15),
            datetime("date_time_initiated", "Date-Time Initiated", no=9),
            datetime("last_date_time_modified", "Last Date-Time Modified", no=11),
            code("last_modified_by_user_id", "Last Modified By User ID", length=50, no=13),
        ),
    )
