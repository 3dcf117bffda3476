"""`wf serve` (the HTTP service) and `wf tokens create | list | revoke` (its API tokens).

The service's packages come with the ``[server]`` extra; they are imported only when these commands
run, so the rest of `wf` works without them (WF816 says what to install).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import click

from ..errors import WerkstroomError


def _fail(exc: WerkstroomError) -> NoReturn:
    click.echo(f"wf: {exc.message} [{exc.code}]", err=True)
    sys.exit(2 if exc.code in ("WF100", "WF515", "WF815", "WF816", "WF849") else 1)


def _server_module(name: str) -> Any:
    """``werkstroom.service.<name>``, or WF816 naming the missing package of the [server] extra."""
    import importlib

    from ..service.problems import require_server_extra

    try:
        return importlib.import_module(f"werkstroom.service.{name}")
    except ImportError as exc:
        if exc.name and exc.name.split(".")[0] == "werkstroom":
            raise
        _fail(require_server_extra(exc))


@contextmanager
def _engine(ctx: click.Context) -> Iterator[Any]:
    from ..engine.connect import connect

    try:
        eng = connect((ctx.find_root().obj or {}).get("db_url"))
    except WerkstroomError as exc:
        _fail(exc)
    try:
        yield eng
    finally:
        eng.close()


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="The port to listen on (0: a free one, printed).")
@click.option("--db", "db_url", default=None,
              help="Database URL (default: the `wf --db` option, $WERKSTROOM_DB, or ./werkstroom.db).")
@click.option("--log-format", type=click.Choice(("text", "json")), default="text", show_default=True,
              help="Log lines as readable text or as JSON lines.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes sharing the port (on SQLite they take turns at its one writer).")
@click.option("--with-worker", is_flag=True,
              help="Also run the worker (timers, notifications, webhooks) in each server process.")
@click.option("--base-url", default="",
              help="The address users reach the service at; notification e-mails link to the inbox there.")
@click.option("--link-hours", default=72.0, show_default=True, type=float,
              help="How long a link in a notification e-mail works.")
@click.option("--session-hours", default=12.0, show_default=True, type=float,
              help="How long a session of the inbox lasts.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, db_url: str | None, log_format: str,
          workers: int, with_worker: bool, base_url: str, link_hours: float, session_hours: float) -> None:
    """Serve the HTTP API (/api/v1), its OpenAPI description (/openapi.json, /docs), the approvers'
    inbox (/inbox), /healthz, /readyz and /metrics, until Ctrl-C or SIGTERM. With --with-worker, each
    server process also runs `wf worker`'s loop (with its default settings) and finishes its items in
    hand when stopped."""
    url = db_url or (ctx.find_root().obj or {}).get("db_url")
    settings_module = _server_module("settings")
    serving = _server_module("serve")
    settings = settings_module.Settings(log_format=log_format, base_url=base_url, link_hours=link_hours,
                                        session_hours=session_hours)
    try:
        _server_module("inbox.web").check(settings)  # WF849 before anything starts
    except WerkstroomError as exc:
        _fail(exc)
    # `module:function` hooks run on each process's app (a worker beside the server)
    hooks = ["werkstroom.service.worker:beside_server"] if with_worker else []
    from ..engine.connect import shown_url
    from ..store.database import resolve_url

    def started(address: str) -> None:
        click.echo(f"wf serve: {address} (API {address}/api/v1, docs {address}/docs, "
                   f"inbox {address}/inbox) on "
                   f"{shown_url(resolve_url(url))}, {workers} process{'es' if workers > 1 else ''}"
                   + (", each with a worker" if with_worker else ""), err=True)

    try:
        serving.serve(url, host, port, settings, workers=workers, hooks=hooks, started=started)
    except WerkstroomError as exc:
        _fail(exc)


@click.group("tokens")
def tokens() -> None:
    """Create, list and revoke the service's API tokens."""


@tokens.command("create")
@click.option("--user", default=None, help="A user of the approval user setup: the token acts as that user.")
@click.option("--system", default=None, help="A host system's name: the token acts with --scope.")
@click.option("--scope", "scopes", multiple=True, type=click.Choice(("events", "records", "admin")),
              help="For --system (repeatable): events (emit, outbox), records (read), admin (deploy, setup).")
@click.option("--note", default="", help="A note shown by `wf tokens list`.")
@click.option("--json", "as_json", is_flag=True, help="Print the token and its row as JSON.")
@click.pass_context
def tokens_create(ctx: click.Context, user: str | None, system: str | None, scopes: tuple[str, ...],
                  note: str, as_json: bool) -> None:
    """Create a token and print it once (only a hash of it is kept)."""
    made = _server_module("auth.tokens")
    try:
        with _engine(ctx) as eng:
            token, info = made.create(eng, user=user, system=system, scopes=scopes, note=note)
    except WerkstroomError as exc:
        _fail(exc)
    if as_json:
        click.echo(json.dumps({"token": token, **info.to_json()}, indent=2))
        return
    click.echo(token)
    click.echo(f"token {info.id} for {info.kind} {info.name}"
               + (f" ({', '.join(info.scopes)})" if info.scopes else "")
               + ": shown once, keep it secret (`wf tokens revoke " + info.id + "` ends it)", err=True)


@tokens.command("list")
@click.option("--all", "show_all", is_flag=True, help="Also the revoked tokens.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def tokens_list(ctx: click.Context, show_all: bool, as_json: bool) -> None:
    """List the tokens (never their secrets)."""
    made = _server_module("auth.tokens")
    with _engine(ctx) as eng:
        rows = made.listing(eng, revoked=show_all)
    if as_json:
        click.echo(json.dumps([r.to_json() for r in rows], indent=2))
        return
    if not rows:
        click.echo("(no tokens)")
    for r in rows:
        state = f"revoked {r.revoked_at:%Y-%m-%d %H:%M}" if r.revoked_at else "in use"
        scopes = f" ({', '.join(r.scopes)})" if r.scopes else ""
        note = f"  {r.note}" if r.note else ""
        click.echo(f"{r.id}  {r.kind} {r.name}{scopes}  created {r.created_at:%Y-%m-%d %H:%M}  {state}{note}")


@tokens.command("revoke")
@click.argument("token_id", required=False)
@click.option("--user", default=None, help="Revoke every token of this user instead.")
@click.option("--system", default=None, help="Revoke every token of this system instead.")
@click.pass_context
def tokens_revoke(ctx: click.Context, token_id: str | None, user: str | None, system: str | None) -> None:
    """Revoke the token TOKEN_ID (or every token of --user U or --system NAME): it fails from the next
    request on, in every server process."""
    if sum(x is not None for x in (token_id, user, system)) != 1:
        raise click.UsageError("name one of: a TOKEN_ID, --user U or --system NAME")
    made = _server_module("auth.tokens")
    try:
        with _engine(ctx) as eng:
            done = made.revoke(eng, token_id=token_id, user=user, system=system)
    except WerkstroomError as exc:
        _fail(exc)
    click.echo(f"revoked {len(done)} token{'s' if len(done) != 1 else ''}: {', '.join(done)}")
