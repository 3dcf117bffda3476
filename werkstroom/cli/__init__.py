"""The `wf` command: a thin click group whose subcommands live in their own modules and load lazily.

Each subcommand module owns one area (check/fmt, catalogue, templates, engine, approvals, ...); the
group imports a module only when its command runs, so `wf check` never pays for the engine.
Exit codes: 0 success, 1 findings or a business refusal, 2 usage or I/O error, 70 internal error.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

# command name -> "module:attribute" (a click.Command). Keep sorted by area.
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("werkstroom.cli.check_cmd:check", "Check .wf scripts and report diagnostics."),
    "fmt": ("werkstroom.cli.check_cmd:fmt", "Format .wf scripts in the canonical layout."),
    "explain": ("werkstroom.cli.check_cmd:explain", "Explain a diagnostic code."),
    "lsp": ("werkstroom.cli.lsp_cmd:lsp", "Run the language server for editors (stdio)."),
    "catalogue": ("werkstroom.cli.catalogue_cmd:catalogue", "Show events, responses, records and enums."),
    "templates": ("werkstroom.cli.templates_cmd:templates", "List, show and copy the MS- templates."),
    "graph": ("werkstroom.cli.graph_cmd:graph", "Draw a workflow's step tree (mermaid, DOT or SVG)."),
    "import": ("werkstroom.cli.bcxml_cmd:import_group", "Write .wf scripts from a BC XML file (import bc)."),
    "export": ("werkstroom.cli.bcxml_cmd:export_group", "Write a BC XML file from .wf scripts (export bc)."),
    "setup": ("werkstroom.cli.approvals_cmd:setup", "Load the organisation setup (users, groups, ...)."),
    "approvals": ("werkstroom.cli.approvals_cmd:approvals", "List approval entries (--for USER)."),
    "approve": ("werkstroom.cli.approvals_cmd:approve", "Approve an approval entry and run the workflow."),
    "reject": ("werkstroom.cli.approvals_cmd:reject", "Reject an approval entry and run the workflow."),
    "delegate": ("werkstroom.cli.approvals_cmd:delegate", "Delegate an approval entry and run the workflow."),
    "cancel": ("werkstroom.cli.approvals_cmd:cancel", "Cancel the approval request of an entry (requester)."),
    "notifications": ("werkstroom.cli.approvals_cmd:notifications", "List or dispatch notifications."),
    "deploy": ("werkstroom.cli.engine_cmd:deploy", "Store workflows from .wf scripts (versioned)."),
    "enable": ("werkstroom.cli.engine_cmd:enable", "Enable a deployed workflow (runs the enable checks)."),
    "disable": ("werkstroom.cli.engine_cmd:disable", "Disable a workflow (running instances continue)."),
    "delete": ("werkstroom.cli.engine_cmd:delete", "Delete a disabled workflow without running instances."),
    "copy": ("werkstroom.cli.engine_cmd:copy", "Copy a workflow or template under a new code."),
    "workflows": ("werkstroom.cli.engine_cmd:workflows", "List deployed workflows."),
    "emit": ("werkstroom.cli.engine_cmd:emit", "Handle an event for a record (JSON)."),
    "instances": ("werkstroom.cli.engine_cmd:instances", "List running workflow instances."),
    "show": ("werkstroom.cli.engine_cmd:show", "Show an instance, a record's state, or a file's grid."),
    "archive": ("werkstroom.cli.engine_cmd:archive", "List finished (archived) instances."),
    "outbox": ("werkstroom.cli.engine_cmd:outbox", "List side effects for the host system."),
    "simulate": ("werkstroom.cli.engine_cmd:simulate", "Run scripts through a scenario, and say why."),
    "timers": ("werkstroom.cli.engine_cmd:timers", "Run due delegations and overdue reminders (cron)."),
    "diff": ("werkstroom.cli.diff_cmd:diff", "Compare two versions of a workflow; judge running instances."),
    "serve": ("werkstroom.cli.service_cmd:serve", "Serve the HTTP API (needs the [server] extra)."),
    "tokens": ("werkstroom.cli.service_cmd:tokens", "Create, list and revoke API tokens of the service."),
    "users": ("werkstroom.cli.users_cmd:users", "Set the passwords users sign in to the inbox with."),
    "webhooks": ("werkstroom.cli.webhooks_cmd:webhooks", "Webhook subscriptions, deliveries and replays."),
    "worker": ("werkstroom.cli.webhooks_cmd:worker", "Run timers, notifications and webhook delivery."),
}


def require_file(path: str) -> None:
    """Raise a WerkstroomError WF100 naming ``path`` when it is missing, a directory or cannot be read, as
    `wf check` reports it (the commands exit 2 for it: an I/O error). Used instead of click's
    ``Path(exists=True)``, whose message has no code."""
    import os

    from ..errors import WerkstroomError

    if os.path.isdir(path):
        reason = f"`{path}` is a directory, not a file"
    else:
        try:
            with open(path, "rb"):
                return
        except FileNotFoundError:
            reason = f"cannot read `{path}`: no such file"
        except OSError as exc:
            reason = f"cannot read `{path}`: {exc.strerror or exc}"
    raise WerkstroomError(reason, code="WF100")


class LazyGroup(click.Group):
    """A group that imports a subcommand's module on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, _, attr = target[0].partition(":")
        command = getattr(importlib.import_module(module_name), attr)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in sorted(COMMANDS)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


EPILOG = (
    "Exit codes: 0 success; 1 diagnostics found or an action refused; 2 usage or I/O error; "
    "70 internal error (run with --debug for the traceback)."
)


@click.group(cls=LazyGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="werkstroom", prog_name="wf", message="%(prog)s %(version)s")
@click.option("--db", "db_url", envvar="WERKSTROOM_DB", default=None,
              help="Database URL (default: sqlite file werkstroom.db in the current folder).")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.pass_context
def cli(ctx: click.Context, db_url: str | None, debug: bool) -> None:
    """Werkstroom: approval workflows as text, checked and run like Business Central's."""
    ctx.ensure_object(dict)
    ctx.obj["db_url"] = db_url
    ctx.obj["debug"] = debug


def main(argv: list[str] | None = None) -> Any:
    """Console-script entry point."""
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        return cli.main(args=argv, prog_name="wf", standalone_mode=True)
    except SystemExit:
        raise
    except Exception as exc:  # an internal error: never a bare traceback unless asked for
        if debug:
            raise
        click.echo(f"wf: internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
                   err=True)
        sys.exit(70)
