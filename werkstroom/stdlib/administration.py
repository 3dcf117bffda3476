"""Administration: job queue entries, overdue-approval notifications, notifications and messages, and
the response that does nothing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..extend import EventSpec, Library, RecordSpec, ResponseContext, ResponseSpec
from . import enums as E
from ._build import (
    boolean,
    code,
    datetime,
    enum,
    enums_of,
    event,
    events_after,
    integer,
    pattern,
    patterns,
    text,
)
from ._run import base, require_type
from .names import BC_RESPONSE_NAMES
from .options import (
    custom_link,
    entry_type,
    group2,
    link_target_page,
    message,
    notification_message,
    notify_sender,
    recipient,
)

VERSION = "1.0"


def _do_nothing(ctx: ResponseContext) -> None:
    """BC's DONOTHING: a response step that has no effect (useful as a placeholder branch)."""


def _notify(ctx: ResponseContext) -> None:
    options = dict(ctx.options)
    ctx.notifications.create_entry(options)
    who = (
        "the sender"
        if options.get("notify_sender") and not options.get("recipient")
        else str(options.get("recipient"))
    )
    ctx.explain(f"notification ({options.get('entry_type') or 'New Record'}) created for {who}")


def _notify_mandatory(options: Mapping[str, Any]) -> str | None:
    if options.get("recipient") or options.get("notify_sender"):
        return None
    return "a recipient is required (notify USER, or notify sender)"


def _show_message(ctx: ResponseContext) -> None:
    ctx.show_message(str(ctx.options.get("message") or ""))


def _overdue(ctx: ResponseContext) -> None:
    ctx.approvals.create_overdue_notifications(ctx.options)


def _enable_job(ctx: ResponseContext) -> None:
    job = ctx.document
    require_type(ctx, "enable job queue entry", job, ("JobQueueEntry",))
    ctx.state.set_status("Ready")
    ctx.emit_effect("job_queue_entry.enabled", base(ctx))
    ctx.explain(f"job queue entry {job.key} set to Ready")


def events() -> tuple[EventSpec, ...]:
    return (
        event(
            "RUNWORKFLOWONSENDJOBQUEUEENTRYFORAPPROVAL",
            "A user asked for approval of a job queue entry.",
            "JobQueueEntry",
        ),
        event(
            "RUNWORKFLOWONCANCELJOBQUEUEENTRYAPPROVALREQUEST",
            "A user withdrew the approval request of a job queue entry.",
            "JobQueueEntry",
            after=("RUNWORKFLOWONSENDJOBQUEUEENTRYFORAPPROVAL",),
        ),
        event(
            "RUNWORKFLOWONSENDOVERDUENOTIFICATIONS",
            "The overdue-approvals job runs (it looks for open approval requests past their due date).",
            "ApprovalEntry",
        ),
    )


def responses() -> tuple[ResponseSpec, ...]:
    return (
        ResponseSpec(
            name=BC_RESPONSE_NAMES["DONOTHING"],
            description="Do nothing.",
            patterns=patterns("do nothing"),
            run=_do_nothing,
            bc_code="DONOTHING",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["CREATENOTIFICATIONENTRY"],
            description="Create a notification for a user or for the sender (delivered by e-mail or as a "
            "note on the recipient's schedule).",
            patterns=(
                pattern("notify sender", notify_sender=True),
                pattern("notify sender {message}", notify_sender=True),
                pattern("notify {recipient}"),
                pattern("notify {recipient} {message}"),
                pattern("create [a] notification"),
                pattern("create [a] notification for sender", notify_sender=True),
                pattern("create [a] notification for {recipient}"),
            ),
            run=_notify,
            options=(
                notify_sender(),
                recipient(),
                entry_type(),
                link_target_page(),
                custom_link(),
                notification_message(),
            ),
            mandatory=_notify_mandatory,
            mandatory_rule="Notification User ID must be set, or Notify Sender.",
            bc_code="CREATENOTIFICATIONENTRY",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["SHOWMESSAGE"],
            description="Show a message to the acting user.",
            patterns=patterns("show message {message}"),
            run=_show_message,
            options=(message(),),
            bc_code="SHOWMESSAGE",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["CREATEOVERDUENOTIFICATIONS"],
            description="Notify every approver of their open approval requests that are past the due date.",
            patterns=patterns(
                "create overdue notifications", "create notifications for overdue approval requests"
            ),
            run=_overdue,
            options=group2(),
            allowed_after=events_after("RUNWORKFLOWONSENDOVERDUENOTIFICATIONS"),
            bc_code="CREATEOVERDUENOTIFICATIONS",
        ),
        ResponseSpec(
            name=BC_RESPONSE_NAMES["ENABLEJOBQUEUEENTRY"],
            description="Set the job queue entry's status to Ready so it runs.",
            patterns=patterns("enable [the] job queue entry"),
            run=_enable_job,
            allowed_after=events_after("RUNWORKFLOWONAPPROVEAPPROVALREQUEST"),
            bc_code="ENABLEJOBQUEUEENTRY",
        ),
    )


def library() -> Library:
    recs = (job_queue_entry(),)
    resps = responses()
    return Library(
        name="werkstroom.administration",
        version=VERSION,
        description="Job queue entries, overdue notifications, notifications and messages.",
        records=recs,
        events=events(),
        responses=resps,
        enums=enums_of(recs, resps),
    )


# --------------------------------------------------------------------------- records


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
