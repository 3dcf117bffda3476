"""`wf diff`: the step-level changes between two versions of a workflow, the verdict for its running
instances, and a scenario replayed on both (docs/tools.md, "Version diff").

Exit codes: 0 nothing needs attention (no change, or only changes a `safe` verdict covers, and the same
outcomes under --simulate); 1 something does (changes without a verdict, `needs migration`, `strands
instances`, other outcomes, or a script with errors); 2 usage, a file or store that cannot be read, or
a workflow or version the store does not have.
"""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import click

from ..errors import DiagnosticsError, WerkstroomError

USAGE = ("name two scripts (wf diff OLD.wf NEW.wf), or a deployed workflow (wf diff --workflow CODE "
         "[--from V] [--to W])")
# codes that mean the comparison could not start: exit 2 (usage, input that cannot be read)
_NOT_STARTED = {"WF100", "WF515", "WF530", "WF870", "WF871", "WF872", "WF873"}


def _usage(message: str) -> WerkstroomError:
    return WerkstroomError(message, code="WF870")


def _fail(exc: WerkstroomError, as_json: bool) -> NoReturn:
    if as_json:
        data: dict[str, Any] = {"code": exc.code, "message": exc.message}
        if isinstance(exc, DiagnosticsError):
            data["diagnostics"] = [d.to_json() for d in exc.diagnostics]
        click.echo(json.dumps({"error": data}, indent=2, ensure_ascii=False))
    click.echo(f"wf: {exc.message} [{exc.code}]", err=True)
    if isinstance(exc, DiagnosticsError) and not as_json and exc.diagnostics[0].span is not None:
        from ..render import render_short

        click.echo(render_short(exc.diagnostics), err=True, nl=False)
    sys.exit(2 if exc.code in _NOT_STARTED else 1)


def _check_usage(files: tuple[str, ...], code: str | None, first: int | None, second: int | None) -> None:
    if len(files) not in (0, 2):
        raise _usage(f"{len(files)} script(s) named: {USAGE}")
    if not files and code is None:
        raise _usage(f"nothing to compare: {USAGE}")
    if files and (first is not None or second is not None):
        raise _usage("--from and --to pick deployed versions: use them with --workflow CODE and no scripts")


@click.command()
@click.argument("files", nargs=-1, type=click.Path())
@click.option("--workflow", "code", default=None,
              help="With two scripts: compare only this workflow. Alone: compare two deployed versions "
                   "of it in the store (--db).")
@click.option("--from", "first", type=int, default=None,
              help="With --workflow: the old version (default: the one before --to).")
@click.option("--to", "second", type=int, default=None,
              help="With --workflow: the new version (default: the current, latest one).")
@click.option("--simulate", "scenario", type=click.Path(), default=None,
              help="Replay this scenario (wf simulate's TOML) on both versions and show where the "
                   "outcomes differ.")
@click.option("--format", "output_format", type=click.Choice(("text", "json")), default="text",
              show_default=True, help="text for people, json for programs.")
@click.pass_context
def diff(ctx: click.Context, files: tuple[str, ...], code: str | None, first: int | None,
         second: int | None, scenario: str | None, output_format: str) -> None:
    """Show what changed between two versions of a workflow: OLD NEW scripts, or --workflow CODE for
    deployed versions. With a store (--db), judge the running instances: safe, needs migration, or
    strands instances."""
    as_json = output_format == "json"
    db_url = (ctx.find_root().obj or {}).get("db_url")
    try:
        _check_usage(files, code, first, second)
        from . import require_file

        for path in (*files, *([scenario] if scenario else [])):
            require_file(path)
        report = _report(files, code, first, second, scenario, db_url)
    except WerkstroomError as exc:
        _fail(exc, as_json)
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        from ..tools.diff.render import render

        click.echo(render(report))
    sys.exit(report.exit_code)


def _report(files: tuple[str, ...], code: str | None, first: int | None, second: int | None,
            scenario: str | None, db_url: str | None) -> Any:
    from ..tools.diff.compare import diff_deployed, diff_files

    if files and db_url is None:  # no store named: the scripts alone
        from ..binding.libraries import load_catalogue

        return diff_files(files[0], files[1], load_catalogue()[0], only=code, scenario=scenario)
    from ..engine.connect import connect, shown_url

    engine = connect(db_url)
    try:
        store = shown_url(engine.url)
        if files:
            return diff_files(files[0], files[1], engine.catalogue, engine=engine, store=store, only=code,
                              scenario=scenario)
        assert code is not None
        return diff_deployed(engine, code, first, second, store=store, scenario=scenario)
    finally:
        engine.close()
