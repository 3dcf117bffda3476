"""`wf setup load`, `wf approvals`, `wf approve|reject|delegate`, `wf notifications list|dispatch`.

They work on the database named by the group's ``--db`` (default ./werkstroom.db). Approve, reject and
delegate run through the engine: the entry changes and the workflow event it raises are handled in one
transaction, or nothing happens. Refusals exit with code 1 and the WF6xx code.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import click

from ..engine.boundary import ENTRY_STATUSES
from ..errors import WerkstroomError


@contextmanager
def _engine(ctx: click.Context) -> Iterator[Any]:
    from ..engine.connect import connect

    db_url = (ctx.find_root().obj or {}).get("db_url")
    try:
        eng = connect(db_url)
    except WerkstroomError as exc:
        _refuse(exc)
    try:
        yield eng
    finally:
        eng.close()


def _refuse(exc: WerkstroomError) -> NoReturn:
    click.echo(f"wf: {exc.message} [{exc.code}]", err=True)
    raise SystemExit(2 if exc.code in ("WF100", "WF515") else 1)  # a file or database it cannot read: I/O


def _table(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
    if not rows:
        click.echo("(none)")
        return
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns}
    click.echo("  ".join(c.ljust(widths[c]) for c in columns).rstrip())
    for r in rows:
        click.echo("  ".join(str(r.get(c, "")).ljust(widths[c]) for c in columns).rstrip())


# --------------------------------------------------------------------------- wf setup


@click.group("setup")
def setup() -> None:
    """Load the organisation setup (users, groups, notification setup, SMTP by reference)."""


@setup.command("load")
@click.argument("file", type=click.Path())
@click.pass_context
def setup_load(ctx: click.Context, file: str) -> None:
    """Load FILE (TOML, see docs/approvals.md) into the database."""
    from . import require_file

    try:
        require_file(file)
        with _engine(ctx) as eng:
            r = eng.load_setup(file)
    except WerkstroomError as exc:
        _refuse(exc)
        return
    click.echo(f"loaded {r.users} users, {r.groups} groups ({r.members} members), "
               f"{r.notification_setups} notification setups, {r.smtp} SMTP settings from {file}")


# --------------------------------------------------------------------------- wf approvals


ENTRY_COLUMNS = ("entry_no", "status", "approver_id", "sender_id", "record_type", "document_type",
                 "document_no", "amount_lcy", "sequence_no", "due_date")


@click.command("approvals")
@click.option("--for", "for_user", default=None, help="Requests to approve for USER (open entries).")
@click.option("--sent-by", default=None, help="Requests sent by USER.")
@click.option("--status", "statuses", multiple=True, metavar="STATUS",
              help=f"Only entries with this status: {', '.join(ENTRY_STATUSES[:-1])} or {ENTRY_STATUSES[-1]} "
                   "(repeatable).")
@click.option("--history", "history", default=None, metavar="ENTRY",
              help="Show the audit trail and comments of approval entry ENTRY instead.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def approvals(ctx: click.Context, for_user: str | None, sent_by: str | None, statuses: tuple[str, ...],
              history: str | None, as_json: bool) -> None:
    """List approval entries (with --for USER: the open requests USER must act on)."""
    if history is not None:
        _history(ctx, history, as_json)
        return
    # --for alone lists what USER must act on: the Open entries (BC's Requests to Approve)
    wanted = statuses or (("Open",) if for_user else None)
    try:
        with _engine(ctx) as eng:
            rows = [e.to_json() for e in eng.approval_entries(approver=for_user or None,
                                                              sender=sent_by or None, status=wanted)]
    except WerkstroomError as exc:
        _refuse(exc)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
    else:
        _table(rows, ENTRY_COLUMNS)


def _history(ctx: click.Context, ref: str, as_json: bool) -> None:
    try:
        with _engine(ctx) as eng:
            found = eng.approval_history(ref)
    except WerkstroomError as exc:
        _refuse(exc)
    entry = found.entry
    head = {"entry_no": entry.entry_no, "status": entry.status, "approver_id": entry.approver_id,
            "sender_id": entry.sender_id, "record": f"{entry.record_type} {entry.record_key}"}
    trail = [{"at": a.at.isoformat(), "user": a.user, "action": a.action, "old_status": a.old_status,
              "new_status": a.new_status, "detail": a.detail, "comment": a.comment} for a in found.audit]
    notes = [{"at": c.at.isoformat(), "user": c.user, "comment": c.comment} for c in found.comments]
    if as_json:
        click.echo(json.dumps({**head, "audit": trail, "comments": notes}, indent=2))
        return
    click.echo(f"entry {head['entry_no']} for {head['approver_id']} ({head['status']}), sent by "
               f"{head['sender_id']}, {head['record']}")
    _table(trail, ("at", "user", "action", "old_status", "new_status", "detail", "comment"))
    if notes:
        click.echo("comments on the request:")
        _table(notes, ("at", "user", "comment"))


# --------------------------------------------------------------------------- approve / reject / delegate


def _action(verb: str) -> Callable[..., None]:
    past = {"approve": "approved", "reject": "rejected", "delegate": "delegated"}[verb]

    @click.command(verb)
    @click.argument("entry")
    @click.option("--as", "as_user", required=True, help="The user acting (approver or administrator).")
    @click.option("--comment", default=None, help="An approval comment.")
    @click.option("--json", "as_json", is_flag=True, help="Print the handled events as JSON.")
    @click.pass_context
    def command(ctx: click.Context, entry: str, as_user: str, comment: str | None, as_json: bool) -> None:
        try:
            with _engine(ctx) as eng:
                result = getattr(eng, verb)(entry, as_user.upper(), comment)
        except WerkstroomError as exc:
            _refuse(exc)
            return
        if as_json:
            click.echo(json.dumps(result.to_json(), indent=2, default=str))
            return
        click.echo(f"entry {entry} {past} by {as_user.upper()}")
        for h in result.handled:
            responses = ", ".join(r.name for r in h.responses) or "no responses"
            click.echo(f"  {h.event} on {h.record_type} {h.record_key}: {h.outcome}"
                       f"{f' ({h.workflow_code})' if h.workflow_code else ''}: {responses}")

    command.help = f"{verb.capitalize()} approval entry ENTRY (its number) as USER and run the workflow."
    return command


approve = _action("approve")
reject = _action("reject")
delegate = _action("delegate")


# --------------------------------------------------------------------------- notifications


@click.group("notifications", invoke_without_command=True)
@click.pass_context
def notifications(ctx: click.Context) -> None:
    """Waiting notifications (default: list) and their dispatch."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(notifications_list)


@notifications.command("list")
@click.option("--sent", is_flag=True, help="Show the sent log instead of the waiting entries.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def notifications_list(ctx: click.Context, sent: bool = False, as_json: bool = False) -> None:
    """List waiting notification entries (failures show their error), or the sent log."""
    with _engine(ctx) as eng:
        if sent:
            rows = [{"id": s.id, "type": s.entry_type, "recipient": s.recipient_id, "method": s.method,
                     "address": s.address, "sent_at": s.sent_at.isoformat(timespec="seconds"),
                     "digest": s.digest_id, "text": s.text} for s in eng.sent_notifications()]
            columns: tuple[str, ...] = ("sent_at", "recipient", "type", "method", "address", "text")
        else:
            rows = [{"id": n.id, "type": n.entry_type, "recipient": n.recipient_id,
                     "record": f"{n.record_type} {n.record_key}".strip(),
                     "created_at": n.created_at.isoformat(timespec="seconds"), "attempts": n.attempts,
                     "error": n.error} for n in eng.waiting_notifications()]
            columns = ("created_at", "recipient", "type", "record", "attempts", "error")
    if as_json:
        click.echo(json.dumps(rows, indent=2))
    else:
        _table(rows, columns)


@notifications.command("dispatch")
@click.option("--base-url", default="",
              help="The inbox's address (as `wf serve --base-url`): e-mails link each entry to its page.")
@click.option("--link-hours", default=72.0, show_default=True, type=float,
              help="How long such a link works.")
@click.pass_context
def notifications_dispatch(ctx: click.Context, base_url: str, link_hours: float) -> None:
    """Deliver the notifications that are due (per each recipient's schedule), one digest per recipient
    and type. Failed deliveries stay with their error and are retried by a later dispatch."""
    with _engine(ctx) as eng:
        try:
            links = _inbox_links(eng, base_url, link_hours) if base_url else None
        except WerkstroomError as exc:
            _refuse(exc)
        report = eng.dispatch_notifications(links=links)
    click.echo(f"{report.emails} e-mail digests, {report.notes} notes, {report.entries_sent} entries sent; "
               f"{report.waiting} waiting; {len(report.failures)} failed")
    for f in report.failures:
        click.echo(f"  {f.recipient} ({f.entry_type}, {len(f.entry_ids)} entries): {f.error} [{f.code}]",
                   err=True)
    if report.failures:
        raise SystemExit(1)


def _inbox_links(eng: Any, base_url: str, link_hours: float) -> Any:
    """Signed one-time links to the inbox at ``base_url`` (docs/inbox.md); WF849 when unusable."""
    import datetime as dt

    from ..service.inbox.errors import BadSettings
    from ..service.inbox.links import SignedLinks
    from ..service.inbox.secret import service_secret

    if not 0 < link_hours <= 24 * 366:
        raise BadSettings(f"--link-hours must be a positive number of hours (at most a year), "
                          f"not {link_hours}")
    return SignedLinks(service_secret(eng), base_url, dt.timedelta(hours=link_hours), eng.clock)


@click.command("cancel")
@click.argument("entry")
@click.option("--as", "as_user", required=True, help="The user canceling (the sender or the administrator).")
@click.option("--json", "as_json", is_flag=True, help="Print the handled events as JSON.")
@click.pass_context
def cancel(ctx: click.Context, entry: str, as_user: str, as_json: bool) -> None:
    """Cancel the approval request that ENTRY belongs to: raises the record's ...ApprovalRequestCanceled
    event (e.g. PurchaseDocApprovalRequestCanceled), whose responses cancel the entries."""
    try:
        with _engine(ctx) as eng:
            result = eng.cancel(entry, as_user)
    except WerkstroomError as exc:
        _refuse(exc)
        return
    if as_json:
        click.echo(json.dumps(result.to_json(), indent=2, default=str))
        return
    first = result.handled[0]
    click.echo(f"{first.event} raised by {as_user.upper()} for {first.record_type} {first.record_key}")
    for h in result.handled:
        responses = ", ".join(r.name for r in h.responses) or "no responses"
        click.echo(f"  {h.event} on {h.record_type} {h.record_key}: {h.outcome}: {responses}")
