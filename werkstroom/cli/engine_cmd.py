"""`wf deploy | enable | disable | copy | emit | instances | show | archive | delete | outbox | simulate`.

All but ``simulate`` work on the persistent store named by the group's ``--db`` (default: the SQLite
file ``werkstroom.db`` in the current folder; WERKSTROOM_DB overrides). ``simulate`` runs on a fresh
in-memory store unless ``--db`` is given to it.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

import click

from ..diagnostics import Diagnostic
from ..errors import DiagnosticsError, WerkstroomError


@contextmanager
def _engine(ctx: click.Context, explain: bool = False) -> Iterator[Any]:
    from ..engine.connect import connect

    try:
        eng = connect((ctx.obj or {}).get("db_url"), explain=explain)
    except WerkstroomError as exc:
        _fail(exc)
    try:
        yield eng
    finally:
        eng.close()


def _fail(exc: WerkstroomError) -> NoReturn:
    click.echo(f"wf: {exc}", err=True)
    # WF505: the failing response's own traceback, when the response broke (partner code) rather than
    # refused with a coded error (setup, record values), or when asked for with --debug
    trace = getattr(exc, "traceback", None)
    coded = isinstance(getattr(exc, "original", None), WerkstroomError)
    ctx = click.get_current_context(silent=True)
    debug = bool(ctx is not None and (ctx.find_root().obj or {}).get("debug"))
    if isinstance(trace, str) and trace and (not coded or debug):
        click.echo(trace.rstrip("\n"), err=True)
    if isinstance(exc, DiagnosticsError):
        _show_diagnostics(_with_library_problems(exc.diagnostics))
    elif exc.code == "WF503":  # an event the catalogue lacks: perhaps its library could not be installed
        _show_diagnostics(_with_library_problems([]))
    sys.exit(2 if exc.code in ("WF100", "WF515") else 1)  # a file or database that cannot be read: I/O


LIBRARY_NOTE = "the scripts were bound without it: its names are unknown"


def _with_library_problems(diags: Any) -> Any:
    """``diags`` after the problems (WF9xx, as warnings) of the partner libraries that could not be
    installed, as `wf check` shows them: a script refused for a name of a rejected library says why."""
    try:
        from ..binding.checking import library_problems
        from ..binding.libraries import load_catalogue

        catalogue, cat_diags = load_catalogue()
        return library_problems(cat_diags, catalogue, list(diags), note=LIBRARY_NOTE) if cat_diags else diags
    except Exception:  # a courtesy: never let it hide the refusal itself
        return diags


def _show_diagnostics(diags: Any) -> None:
    try:
        from ..render import render_text

        click.echo(render_text(diags, {}), err=True)
    except Exception:  # the renderer needs sources for excerpts; fall back to one line each
        for d in diags:
            click.echo(f"  {d.code} {d.severity.value}: {d.message}", err=True)


def _error_json(exc: WerkstroomError) -> dict[str, Any]:
    """``{"code", "message"}`` of a refusal, with the diagnostics (as `wf check --format json`) if any."""
    data: dict[str, Any] = {"code": exc.code, "message": exc.message}
    if isinstance(exc, DiagnosticsError):
        data["diagnostics"] = [d.to_json() for d in exc.diagnostics]
    return data


def _dump(data: Any) -> None:
    from ..store.codec import plain

    click.echo(json.dumps(plain(data), indent=2, ensure_ascii=False))


_OVERLAP_HELP = ("let the entry point overlap an enabled workflow's (one record matching both: a WF420 "
                 "warning, the first by code starts); without it that refuses (WF428). Kept on the "
                 "workflow for later enables.")


@click.command()
@click.argument("scripts", nargs=-1, type=click.Path())  # read_source reports a missing one (WF100)
@click.option("--enable", "do_enable", is_flag=True, help="Enable the deployed workflows too.")
@click.option("--templates", is_flag=True, help="Also store the catalogue's MS- templates (to copy them).")
@click.option("--allow-overlap/--no-allow-overlap", default=None,
              help="With --enable: " + _OVERLAP_HELP)
@click.pass_context
def deploy(ctx: click.Context, scripts: tuple[str, ...], do_enable: bool, templates: bool,
           allow_overlap: bool | None = None) -> None:
    """Store the workflows of SCRIPTS (a new version when the text changed). All of them, or none: the
    scripts are checked first, and they are stored (and with --enable enabled) in one transaction."""
    if not scripts and not templates:
        raise click.UsageError("name at least one script, or --templates")
    from .. import install_templates
    from ..binding.sources import bind_text
    from ..grammar.reading import read_source

    texts: dict[str, str] = {}
    for path in scripts:  # all read before anything is stored
        src = read_source(path)
        if isinstance(src, Diagnostic):
            click.echo(f"wf: {src.message} [{src.code}]", err=True)
            if src.help:
                click.echo(f"  help: {src.help}", err=True)
            sys.exit(2 if src.code == "WF100" else 1)  # as `wf check`: unreadable 2, not text 1
        texts[path] = src.text
    try:
        with _engine(ctx) as eng:
            if templates:
                done = install_templates(eng)
                changed = sum(d.new_version for d in done)
                click.echo(f"{len(done)} templates stored ({changed} new or changed)")
            programs = {path: bind_text(texts[path], path, eng.catalogue) for path in scripts}
            deployed = iter(eng.deploy_all([wf for p in programs.values() for wf in p.workflows],
                                           enable=do_enable, allow_overlap=allow_overlap))
            for path, program in programs.items():
                if not program.workflows:
                    click.echo(f"warning[WF113]: {path} holds no workflow and no step; nothing was stored")
                for d in (next(deployed) for _ in program.workflows):
                    state = "new version" if d.new_version else "unchanged"
                    live = ", enabled: in use" if d.enabled and d.new_version and not do_enable else ""
                    click.echo(f"{d.code}: version {d.version} ({state}, {d.content_hash[:12]}{live})")
                    for w in d.warnings:
                        click.echo(f"  warning {w.code}: {w.message}")
                    if do_enable:
                        click.echo(f"{d.code}: enabled")
    except WerkstroomError as exc:
        _fail(exc)


def _simple(action: str) -> click.Command:
    @click.command(name=action, help=f"{action.capitalize()} the workflow CODE.")
    @click.argument("code")
    @click.pass_context
    def cmd(ctx: click.Context, code: str) -> None:
        try:
            with _engine(ctx) as eng:
                result = getattr(eng, action)(code)
                for w in result or []:
                    click.echo(f"warning {w.code}: {w.message}")
                click.echo(f"{code}: {action}d" if action.endswith("e") else f"{code}: {action}ed")
        except WerkstroomError as exc:
            _fail(exc)

    return cmd


@click.command(help="Enable the workflow CODE (runs the enable checks).")
@click.argument("code")
@click.option("--allow-overlap/--no-allow-overlap", default=None, help=_OVERLAP_HELP.capitalize())
@click.pass_context
def enable(ctx: click.Context, code: str, allow_overlap: bool | None = None) -> None:
    try:
        with _engine(ctx) as eng:
            for w in eng.enable(code, allow_overlap=allow_overlap):
                click.echo(f"warning {w.code}: {w.message}")
            click.echo(f"{code}: enabled")
    except WerkstroomError as exc:
        _fail(exc)


disable = _simple("disable")
delete = _simple("delete")


def _check_new_code(code: str) -> None:
    """A copy's code is what a script could name: 1 to 20 characters (BC's limit), letters, digits, `_`,
    `-` and `/`, not starting with MS- (the templates' prefix: such a copy could never be enabled)."""
    if not re.fullmatch(r"\w[\w\-/]*", code) or len(code) > 20:
        raise WerkstroomError(f"{code!r} is not a workflow code: write 1 to 20 letters, digits, `_`, `-` "
                              "or `/` (e.g. PIAPW-02)", code="WF404")
    if code.upper().startswith("MS-"):
        raise WerkstroomError(f"{code}: codes starting with MS- are reserved for templates, which can never "
                              "be enabled; choose another code", code="WF410")


@click.command()
@click.argument("code")
@click.argument("new_code")
@click.option("--description", default=None)
@click.pass_context
def copy(ctx: click.Context, code: str, new_code: str, description: str | None) -> None:
    """Copy the workflow (or template) CODE to NEW_CODE."""
    try:
        _check_new_code(new_code)
        with _engine(ctx) as eng:
            d = eng.copy(code, new_code, description)
            click.echo(f"{d.code}: version {d.version} (copy of {code})")
    except WerkstroomError as exc:
        _fail(exc)


@click.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def workflows(ctx: click.Context, as_json: bool) -> None:
    """List deployed workflows."""
    with _engine(ctx) as eng:
        rows = eng.workflows()
        if as_json:
            _dump([{"code": w.code, "description": w.description, "enabled": w.enabled,
                    "template": w.template,
                    "version": w.version, "running": w.running} for w in rows])
            return
        for w in rows:
            flags = "enabled" if w.enabled else ("template" if w.template else "disabled")
            click.echo(f"{w.code:20} v{w.version:<3} {flags:9} {w.running} running  {w.description}")


def _load_json(text: str) -> Any:
    """A JSON value from text or @file; numbers become Decimal (never float). A file larger than an
    event's payload may be is refused (WF531) before it is read."""
    if text.startswith("@"):
        from ..engine.boundary import MAX_PAYLOAD_BYTES, InputTooLarge

        path = Path(text[1:])
        size = path.stat().st_size if path.is_file() else 0
        if size > MAX_PAYLOAD_BYTES:
            raise InputTooLarge(f"{str(path)!r} has {size:,} bytes; an event's record may have at most "
                                f"{MAX_PAYLOAD_BYTES:,}")
        text = path.read_text(encoding="utf-8")
    return json.loads(text, parse_float=Decimal)


def _json_arg(what: str, text: str) -> Any:
    """``_load_json(text)``; a file that cannot be read (WF100), is not UTF-8 (WF101) or text that is not
    JSON (WF502) is one line and exit 2, as a usage error."""
    try:
        return _load_json(text)
    except WerkstroomError as exc:  # too large (WF531): a refusal, exit 1
        _fail(exc)
    except OSError as exc:
        click.echo(f"wf: cannot read {what} from {text[1:]!r}: {exc.strerror or exc} [WF100]", err=True)
    except UnicodeDecodeError as exc:
        click.echo(f"wf: {what} in {text[1:]!r} is not UTF-8 text (at byte {exc.start}) [WF101]", err=True)
    except (ValueError, RecursionError) as exc:  # RecursionError: nested thousands of levels deep
        click.echo(f"wf: {what} is not valid JSON: {exc}; write a JSON object such as "
                   f"'{{\"no\": \"PI-1\", \"amount\": \"12.50\"}}' or @file.json [WF502]", err=True)
    sys.exit(2)


@click.command()
@click.argument("event")
@click.argument("record")
@click.option("--user", required=True, help="The acting user.")
@click.option("--old", default=None, help="The previous record (JSON or @file) for change events.")
@click.option("--key", "idempotency_key", default=None, help="Idempotency key of this delivery.")
@click.option("--instance", default=None, help="The instance owning an approval entry.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.pass_context
def emit(ctx: click.Context, event: str, record: str, user: str, old: str | None, idempotency_key: str | None,
         instance: str | None, as_json: bool) -> None:
    """Handle EVENT for RECORD (a JSON object, or @file.json)."""
    payload = _json_arg("the record", record)
    old_payload = _json_arg("the old record (--old)", old) if old else None
    try:
        with _engine(ctx, explain=True) as eng:
            result = eng.emit(event, payload, user=user, old=old_payload, idempotency_key=idempotency_key,
                              instance_id=instance)
    except WerkstroomError as exc:
        _fail(exc)
        return
    if as_json:
        _dump(result.to_json())
        return
    from ..simulation.render import render_step
    from ..simulation.run import Step

    step = Step(n=result.event_id, at="", action="event", user=user, title=f"{event}",
                handled=result.to_json()["handled"], effects=result.effects)
    if result.replayed:
        click.echo("(a re-delivery: the first result is shown, nothing was applied again)")
    click.echo("\n".join(render_step(step)[1:]) or "nothing happened")


def _list_instances(ctx: click.Context, workflow: str | None, as_json: bool, *, archived: bool) -> None:
    """``wf instances`` and ``wf archive``: the running or the finished instances."""
    with _engine(ctx) as eng:
        try:
            rows = eng.archive(workflow) if archived else eng.instances(workflow)
        except WerkstroomError as exc:  # a workflow code that cannot be one (WF530)
            _fail(exc)
        if as_json:
            _dump([{"id": i.id, "workflow": i.workflow_code, "version": i.version,
                    "record_type": i.record_type, "record_key": i.record_key,
                    **({"archived": i.archived_at} if archived
                       else {"started_by": i.started_by, "started": i.created_at})}
                   for i in rows])
            return
        for i in rows:
            when = (f"finished {i.archived_at:%Y-%m-%d %H:%M}" if archived
                    else f"started {i.created_at:%Y-%m-%d %H:%M} by {i.started_by}")
            click.echo(f"{i.id}  {i.workflow_code} v{i.version}  {i.record_type} {i.record_key}  {when}")
        if not rows:
            click.echo("the archive is empty" if archived else "no running instances")


@click.command()
@click.option("--workflow", default=None)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def instances(ctx: click.Context, workflow: str | None, as_json: bool) -> None:
    """List running workflow instances."""
    _list_instances(ctx, workflow, as_json, archived=False)


@click.command()
@click.option("--workflow", default=None)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def archive(ctx: click.Context, workflow: str | None, as_json: bool) -> None:
    """List finished (archived) workflow instances."""
    _list_instances(ctx, workflow, as_json, archived=True)


@click.command()
@click.argument("what")
@click.argument("key", required=False)
@click.option("--json", "as_json", is_flag=True)
@click.option("--grid", is_flag=True, help="WHAT is a .wf file (or a template code): print its workflows as "
              "BC's grid (When Event / On Condition / Then Response).")
@click.option("--workflow", default=None, metavar="CODE", help="With --grid: only this workflow of the file.")
@click.pass_context
def show(ctx: click.Context, what: str, key: str | None, as_json: bool, grid: bool = False,
         workflow: str | None = None) -> None:
    """Show an instance's steps (INSTANCE-ID), a record's state (RECORD-TYPE KEY), or with --grid the
    workflows of a .wf file (FILE) as BC's workflow page shows them."""
    if grid or workflow is not None:
        if not grid or key is not None:
            raise click.UsageError("--grid takes one FILE (and --workflow CODE); --workflow needs --grid")
        from .graph_cmd import show_grid

        show_grid(what, workflow, as_json)
        return
    try:
        with _engine(ctx) as eng:
            if key is not None:
                spec = eng.vocab.record(what)
                if spec is None:
                    close = eng.catalogue.suggest("record", what)
                    raise WerkstroomError(f"unknown record type {what!r}"
                                          + (f"; did you mean {close[0]!r}?" if close else "")
                                          + " (see `wf catalogue records`)", code="WF509")
                st = eng.record_state(what, key)
                data = {"record_type": st.record_type, "key": st.key, "status": st.status,
                        "restricted": st.restricted, "restriction_reason": st.restriction_reason,
                        "pending_changes": [{"field": p.field, "old": p.old_value, "new": p.new_value}
                                            for p in st.pending_changes],
                        "running_instances": list(st.running_instances), "values": eng.record(what, key)}
                if data["values"] is None and st.status is None and not st.running_instances:
                    raise WerkstroomError(f"no {what} {key!r} is stored (a {what} key is written "
                                          f"{'|'.join(spec.key)}; `wf instances` lists them)", code="WF509")
                if as_json:
                    _dump(data)
                    return
                click.echo(f"{what} {key}: status {st.status or '(none)'}"
                           + (f", restricted ({st.restriction_reason})" if st.restricted else ""))
                for p in st.pending_changes:
                    click.echo(f"  pending change: {p.field} {p.old_value} -> {p.new_value}")
                for i in st.running_instances:
                    click.echo(f"  running instance: {i}")
                return
            steps = eng.steps(what)
            if as_json:
                _dump([{"id": s.step_id, "kind": s.kind, "name": s.name, "parent": s.parent,
                        "sequence_no": s.sequence_no, "next_step": s.next_step, "status": s.status}
                       for s in steps])
                return
            depth: dict[int, int] = {}
            for s in steps:
                depth[s.step_id] = 0 if s.parent is None else depth.get(s.parent, 0) + (
                    1 if s.kind == "event" or _kind(steps, s.parent) == "event" else 0)
                jump = f" -> {s.next_step}" if s.next_step else ""
                word = "on" if s.kind == "event" else "then"
                click.echo(f"{s.step_id:>3} {'  ' * depth[s.step_id]}{word} {s.name}{jump}  [{s.status}]")
    except WerkstroomError as exc:
        _fail(exc)


def _kind(steps: Any, step_id: int | None) -> str:
    for s in steps:
        if s.step_id == step_id:
            return str(s.kind)
    return ""


@click.command()
@click.option("--after", type=int, default=0, help="Only rows with an id above this.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def outbox(ctx: click.Context, after: int, as_json: bool) -> None:
    """List the outbox: side effects for the host (released, posted, messages, ...)."""
    with _engine(ctx) as eng:
        rows = eng.outbox(after)
        if as_json:
            _dump([{"id": o.id, "kind": o.kind, "payload": o.payload, "instance_id": o.instance_id,
                    "workflow": o.workflow_code, "created": o.created_at} for o in rows])
            return
        for o in rows:
            click.echo(f"{o.id:>5} {o.kind:24} {json.dumps(o.payload, ensure_ascii=False)}")


@click.command()
@click.argument("scripts", nargs=-1, type=click.Path())
@click.option("--scenario", required=True, type=click.Path(),
              help="The scenario file (TOML, see docs/engine.md).")
@click.option("--json", "as_json", is_flag=True, help="The timeline as JSON.")
@click.option("--db", "sim_db", default=None,
              help="Run on this database instead of a fresh in-memory one (it must be empty).")
@click.pass_context
def simulate(ctx: click.Context, scripts: tuple[str, ...], scenario: str, as_json: bool,
             sim_db: str | None) -> None:
    """Run SCRIPTS (default: the scenario's `scripts`) through a scenario: what happened and why."""
    from ..simulation.render import render
    from ..simulation.run import simulate as run
    from . import require_file

    try:
        for path in (*scripts, scenario):  # WF100, exit 2, as `wf check`
            require_file(path)
        sim = run(list(scripts), scenario, url=sim_db)
    except WerkstroomError as exc:
        if as_json:  # machine-readable too, in the shape of a timeline step's error
            _dump({"error": _error_json(exc)})
        _fail(exc)
        return
    if as_json:
        _dump(sim.to_json())
    else:
        click.echo(render(sim))
    if not sim.ok:
        sys.exit(1)


@click.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def timers(ctx: click.Context, as_json: bool) -> None:
    """Run the clock-driven approval work now (automatic delegation, overdue reminders); for cron."""
    try:
        with _engine(ctx, explain=True) as eng:
            result = eng.run_timers()
    except WerkstroomError as exc:
        _fail(exc)
        return
    if as_json:
        _dump(result.to_json())
        return
    if not result.handled:
        click.echo("nothing was due")
        return
    delegated = sum(1 for h in result.handled if h.event == "ApprovalRequestDelegated")
    click.echo(f"{delegated} approval request{'' if delegated == 1 else 's'} delegated")
    from ..simulation.render import render_step
    from ..simulation.run import Step

    step = Step(n=result.event_id, at="", action="advance", user="(job queue)", title="timers",
                handled=result.to_json()["handled"], effects=result.effects)
    click.echo("\n".join(render_step(step)[1:]))
