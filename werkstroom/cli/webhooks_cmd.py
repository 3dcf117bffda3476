"""`wf webhooks add | list | pause | resume | remove | deliveries | failed | replay | kinds` and `wf worker`.

Both work on the database named by their own ``--db`` or the group's (default ./werkstroom.db;
WERKSTROOM_DB overrides). The service package is imported only when one of them runs, so the rest of
the command line works without the ``server`` extra. Refusals exit with 1 and their WF82x code.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from ..errors import WerkstroomError
from .approvals_cmd import _refuse, _table

DB_HELP = "Database URL (default: the group's --db, else $WERKSTROOM_DB, else ./werkstroom.db)."


@contextmanager
def _engine(ctx: click.Context) -> Iterator[Any]:
    from ..engine.connect import connect

    url = ctx.params.get("db_url") or (ctx.parent.params.get("db_url") if ctx.parent else None) \
        or (ctx.find_root().obj or {}).get("db_url")
    try:
        eng = connect(url)
    except WerkstroomError as exc:
        _refuse(exc)
    try:
        yield eng
    except WerkstroomError as exc:
        _refuse(exc)
    finally:
        eng.close()


@contextmanager
def _hooks(ctx: click.Context) -> Iterator[Any]:
    from ..service.webhooks import Webhooks

    with _engine(ctx) as eng:
        yield Webhooks(eng)


def _when(moment: Any) -> str:
    return moment.isoformat(timespec="seconds") if moment is not None else ""


@click.group("webhooks", invoke_without_command=True)
@click.option("--db", "db_url", default=None, help=DB_HELP)
@click.pass_context
def webhooks(ctx: click.Context, db_url: str | None) -> None:
    """Webhook subscriptions and their deliveries (default: list the subscriptions)."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(webhooks_list)


@webhooks.command("add")
@click.argument("url")
@click.option("--kind", "kinds", multiple=True, metavar="KIND",
              help="An outbox kind to send (document.released), a namespace (document.*) or * for all; "
                   "repeat for more (`wf webhooks kinds` lists them).")
@click.option("--custom-kind", "custom", multiple=True, metavar="KIND",
              help="A kind a partner library emits (not checked against Werkstroom's kinds).")
@click.option("--secret", default=None, help="The signing secret (16-200 characters; default: generated).")
@click.option("--description", default="", help="What the subscription is for.")
@click.option("--after", type=int, default=None,
              help="Send the outbox rows after this id (0: the whole outbox; default: only new ones).")
@click.option("--paused", is_flag=True, help="Add it paused (resume it with `wf webhooks resume`).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (with the secret).")
@click.pass_context
def webhooks_add(ctx: click.Context, url: str, kinds: tuple[str, ...], custom: tuple[str, ...],
                 secret: str | None, description: str, after: int | None, paused: bool,
                 as_json: bool) -> None:
    """Subscribe URL to outbox kinds. Prints the signing secret once: the receiver needs it to check
    the Werkstroom-Signature header (docs/service.md)."""
    with _hooks(ctx) as hooks:
        sub, secret_ = hooks.add(url, kinds, custom_kinds=custom, secret=secret, description=description,
                                 after=after, active=not paused)
    if as_json:
        click.echo(json.dumps({**sub.to_json(), "secret": secret_}, indent=2))
        return
    click.echo(f"subscription {sub.id}: {sub.url} <- {', '.join(sub.kinds)}"
               + (" (paused)" if not sub.active else ""))
    click.echo(f"signing secret (shown once): {secret_}")


@webhooks.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def webhooks_list(ctx: click.Context, as_json: bool = False) -> None:
    """List the subscriptions with their deliveries counted (pending, delivered, dead)."""
    with _hooks(ctx) as hooks:
        subs = hooks.subscriptions()
    if as_json:
        click.echo(json.dumps([s.to_json() for s in subs], indent=2))
        return
    _table([{"id": s.id, "url": s.url, "kinds": ",".join(s.kinds), "active": "yes" if s.active else "paused",
             "pending": s.pending, "delivered": s.delivered, "dead": s.dead, "description": s.description}
            for s in subs], ("id", "url", "kinds", "active", "pending", "delivered", "dead", "description"))


def _set_active(ctx: click.Context, ident: str, active: bool) -> None:
    with _hooks(ctx) as hooks:
        sub = hooks.set_active(ident, active)
    click.echo(f"subscription {sub.id} {'resumed' if active else 'paused'}: {sub.url}")


@webhooks.command("pause")
@click.argument("ident", metavar="ID")
@click.pass_context
def webhooks_pause(ctx: click.Context, ident: str) -> None:
    """Stop sending to subscription ID; its effects wait and are sent once it is resumed."""
    _set_active(ctx, ident, False)


@webhooks.command("resume")
@click.argument("ident", metavar="ID")
@click.pass_context
def webhooks_resume(ctx: click.Context, ident: str) -> None:
    """Send to subscription ID again, from where it was paused."""
    _set_active(ctx, ident, True)


@webhooks.command("remove")
@click.argument("ident", metavar="ID")
@click.pass_context
def webhooks_remove(ctx: click.Context, ident: str) -> None:
    """Delete subscription ID and its deliveries."""
    with _hooks(ctx) as hooks:
        sub = hooks.remove(ident)
    click.echo(f"subscription {sub.id} removed: {sub.url} ({sub.pending + sub.delivered + sub.dead} "
               "deliveries deleted)")


def _deliveries(rows: list[Any], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps([d.to_json() for d in rows], indent=2))
        return
    _table([{"id": d.id, "delivery": d.delivery_id, "sub": d.subscription_id, "kind": d.kind,
             "status": d.status, "attempts": d.attempts, "created": _when(d.created_at),
             "next": _when(d.next_attempt_at) if d.status == "pending" else "", "error": d.last_error[:80]}
            for d in rows],
           ("id", "delivery", "sub", "kind", "status", "attempts", "created", "next", "error"))


@webhooks.command("deliveries")
@click.option("--status", type=click.Choice(["pending", "delivered", "dead"]), default=None)
@click.option("--subscription", type=int, default=None, help="Only this subscription's.")
@click.option("--limit", type=click.IntRange(1, 100_000), default=100, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def webhooks_deliveries(ctx: click.Context, status: str | None, subscription: int | None, limit: int,
                        offset: int, as_json: bool) -> None:
    """List deliveries, oldest first."""
    with _hooks(ctx) as hooks:
        rows = hooks.deliveries(status, subscription, limit, offset)
    _deliveries(rows, as_json)


@webhooks.command("failed")
@click.option("--limit", type=click.IntRange(1, 100_000), default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def webhooks_failed(ctx: click.Context, limit: int, as_json: bool) -> None:
    """List the dead deliveries (their attempts ran out) with their last error."""
    with _hooks(ctx) as hooks:
        rows = hooks.failed(limit)
    _deliveries(rows, as_json)


@webhooks.command("replay")
@click.argument("idents", metavar="ID...", nargs=-1, required=True)
@click.pass_context
def webhooks_replay(ctx: click.Context, idents: tuple[str, ...]) -> None:
    """Send dead deliveries again (by number or delivery id); a worker sends them at its next poll,
    with the same delivery id."""
    with _hooks(ctx) as hooks:
        for ident in idents:
            d = hooks.replay(ident)
            click.echo(f"delivery {d.id} ({d.delivery_id}) to {d.url} is pending again")


@webhooks.command("kinds")
def webhooks_kinds() -> None:
    """List the outbox kinds Werkstroom and its standard library emit."""
    from ..service.webhooks.kinds import KNOWN_KINDS

    width = max(map(len, KNOWN_KINDS))
    for kind, meaning in sorted(KNOWN_KINDS.items()):
        click.echo(f"{kind.ljust(width)}  {meaning}")


# --------------------------------------------------------------------------- wf worker


@click.command("worker")
@click.option("--db", "db_url", default=None, help=DB_HELP)
@click.option("--concurrency", type=int, default=4, show_default=True,
              help="Webhook deliveries sent at once (threads).")
@click.option("--batch", type=int, default=4, show_default=True,
              help="Deliveries a thread claims at once.")
@click.option("--poll", "poll_interval", type=float, default=1.0, show_default=True,
              help="Seconds between looks for due work.")
@click.option("--timers-every", "timers_interval", type=float, default=60.0, show_default=True,
              help="Seconds between timer runs (automatic delegation, overdue reminders).")
@click.option("--no-timers", is_flag=True, help="Do not run the timers.")
@click.option("--no-notifications", is_flag=True, help="Do not dispatch notifications.")
@click.option("--no-webhooks", is_flag=True, help="Do not deliver webhooks.")
@click.option("--max-attempts", type=int, default=10, show_default=True,
              help="Attempts before a delivery is dead.")
@click.option("--backoff", type=float, default=10.0, show_default=True,
              help="Seconds before the second attempt (doubling, jittered).")
@click.option("--backoff-cap", type=float, default=21600.0, show_default=True, help="Longest wait, seconds.")
@click.option("--timeout", type=float, default=10.0, show_default=True, help="Seconds per HTTP request.")
@click.option("--lease", type=float, default=120.0, show_default=True,
              help="Seconds a claimed delivery stays this worker's.")
@click.option("--once", is_flag=True, help="Do what is due now, then exit (for cron and tests).")
@click.option("--log-format", type=click.Choice(("text", "json")), default="text", show_default=True,
              help="Log lines as readable text or as JSON lines.")
@click.option("--log-level", type=click.Choice(["debug", "info", "warning", "error"]), default="info",
              show_default=True)
@click.option("--base-url", default="",
              help="The inbox's address (as `wf serve --base-url`): e-mails link each entry to its page.")
@click.option("--link-hours", default=72.0, show_default=True, type=float, help="How long such a link works.")
@click.pass_context
def worker(ctx: click.Context, db_url: str | None, concurrency: int, batch: int, poll_interval: float,
           timers_interval: float, no_timers: bool, no_notifications: bool, no_webhooks: bool,
           max_attempts: int, backoff: float, backoff_cap: float, timeout: float, lease: float, once: bool,
           log_format: str, log_level: str, base_url: str, link_hours: float) -> None:
    """Run timers, notification dispatch and webhook delivery until stopped (SIGTERM or Ctrl-C: the
    items in hand are finished, then it exits 0). Several workers may share a PostgreSQL database;
    on SQLite run one."""
    from ..service.logs import configure
    from ..service.webhooks.claims import Policy
    from ..service.worker import Worker, WorkerSettings

    if not no_webhooks:
        try:
            import httpx  # noqa: F401  (webhook delivery's client, from the [server] extra)
        except ImportError as exc:
            from ..service.problems import require_server_extra

            missing = require_server_extra(exc)
            click.echo(f"wf: {missing.message}; or run the worker with --no-webhooks [{missing.code}]",
                       err=True)
            raise SystemExit(2) from None
    configure(log_format, level=getattr(logging, log_level.upper()))
    with _engine(ctx) as eng:
        if base_url:
            from .approvals_cmd import _inbox_links

            try:
                eng.links = _inbox_links(eng, base_url, link_hours)  # links in notification e-mails
            except WerkstroomError as exc:
                _refuse(exc)
        settings = WorkerSettings(
            concurrency=concurrency, batch=batch, poll_interval=poll_interval,
            timers_interval=timers_interval, timers=not no_timers, notifications=not no_notifications,
            webhooks=not no_webhooks,
            policy=Policy(max_attempts=max_attempts, backoff=backoff, backoff_cap=backoff_cap,
                          timeout=timeout, lease=lease))
        w = Worker(eng, settings)
        if once:
            click.echo(json.dumps(w.run_once()))
            return
        code = w.run(install_signals=True)
    raise SystemExit(code)
