"""`wf users set-password USER`: the password a user of the organisation setup signs in to the inbox
with (`wf serve`, docs/inbox.md). Only an argon2 hash of it is stored; setting it ends the user's
sessions. Needs the ``[server]`` extra (argon2-cffi; WF816 says so without it)."""

from __future__ import annotations

import sys

import click

from ..errors import WerkstroomError
from .service_cmd import _engine, _fail, _server_module


@click.group("users")
def users() -> None:
    """Users of the inbox (the users of the organisation setup): their passwords."""


@users.command("set-password")
@click.argument("user")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of standard input instead of asking for it.")
@click.pass_context
def set_password(ctx: click.Context, user: str, password_stdin: bool) -> None:
    """Set the password USER signs in to the inbox with (asked twice, not shown), and end USER's
    sessions. USER must be in the approval user setup (`wf setup load`)."""
    passwords = _server_module("inbox.passwords")  # WF816 without the [server] extra
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        passwords.checked(password)  # before opening the store: a refusal changes nothing
        with _engine(ctx) as eng:
            uid = passwords.set_password(eng, user, password)
    except WerkstroomError as exc:
        _fail(exc)
    click.echo(f"password of {uid} set; their sessions of the inbox have ended")
