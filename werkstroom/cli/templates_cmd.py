"""`wf templates list|show CODE|copy CODE DEST [--code NEW]`: BC's MS- workflow templates.

A template is never enabled; ``copy`` writes an ordinary, editable workflow file under a new code, as
BC's "New Workflow from Template" does (``MS-PIAPW`` becomes ``PIAPW-01``, then ``PIAPW-02`` when the
first is taken in the destination folder). Exit codes: 0 success, 1 unknown template (WF509, as for an
unknown workflow), the copy would not bind cleanly or the destination exists, 2 bad arguments.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from ..catalogue.specs import TemplateSpec

TEMPLATE_PREFIX = "MS-"
MAX_CODE = 20


def _catalogue() -> Any:
    from ..binding.libraries import load_catalogue

    cat, _diags = load_catalogue()
    return cat


def _find(cat: Any, code: str) -> TemplateSpec:
    wanted = code.upper()
    if not wanted.startswith(TEMPLATE_PREFIX) and cat.template(TEMPLATE_PREFIX + wanted) is not None:
        wanted = TEMPLATE_PREFIX + wanted
    spec: TemplateSpec | None = cat.template(wanted)
    if spec is None:
        from ..spelling import did_you_mean

        codes = [t.code for t in cat.templates]
        hint = did_you_mean(code, codes)
        click.echo(f"wf templates: there is no template `{code}`" + (f"; {hint}" if hint else "")
                   + " (`wf templates list` shows them) [WF509]", err=True)
        sys.exit(1)
    return spec


def _header(spec: TemplateSpec) -> tuple[str, str, int, int]:
    """(description, category, code start offset, code end offset) from the parsed template."""
    from ..grammar import ast
    from ..grammar.parser import parse

    pr = parse(spec.text, spec.path)
    for item in pr.script.items:
        if isinstance(item, ast.Workflow):
            desc = item.description.value if item.description else ""
            cat = item.category.text if item.category else ""
            return desc, cat, item.code.span.start, item.code.span.end
    return "", "", -1, -1


def default_copy_code(template_code: str, taken: set[str] | None = None) -> str:
    """BC's copy code: the template code without ``MS-`` plus ``-01`` (``-02``... when taken)."""
    base = template_code.upper()
    if base.startswith(TEMPLATE_PREFIX):
        base = base[len(TEMPLATE_PREFIX):]
    taken = taken or set()
    for n in range(1, 100):
        suffix = f"-{n:02d}"
        code = base[:MAX_CODE - len(suffix)] + suffix
        if code not in taken:
            return code
    raise click.UsageError(f"no free copy code for {template_code}")


def copy_text(spec: TemplateSpec, new_code: str) -> str:
    """The template's text with the workflow code replaced and a note where it came from."""
    _desc, _cat, start, end = _header(spec)
    if start < 0:
        raise click.ClickException(f"template {spec.code} has no workflow header")
    body = spec.text[:start] + new_code + spec.text[end:]
    lines = body.splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    note = (f"# Copied from template {spec.code} (`wf templates copy`). An ordinary workflow: edit it,\n"
            f"# fill in the options it still needs (wf check warns about them), then deploy and enable it.\n")
    return note + "".join(lines)


@click.group()
def templates() -> None:
    """Business Central's MS- workflow templates: list, show and copy them."""


@templates.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def list_(as_json: bool) -> None:
    """List the templates: code, category and description."""
    cat = _catalogue()
    rows = []
    for t in sorted(cat.templates, key=lambda t: t.code):
        desc, category, _s, _e = _header(t)
        rows.append({"code": t.code, "category": category, "description": desc, "path": t.path})
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    width = max((len(r["code"]) for r in rows), default=4)
    for r in rows:
        click.echo(f"{r['code']:<{width}}  {r['category']:<9} {r['description']}")


@templates.command()
@click.argument("code")
@click.option("--steps", is_flag=True, help="Show the bound step table (BC's Workflow Step rows) instead.")
def show(code: str, steps: bool) -> None:
    """Print a template's .wf text (or its step table with --steps)."""
    cat = _catalogue()
    spec = _find(cat, code)
    if not steps:
        click.echo(spec.text, nl=not spec.text.endswith("\n"))
        return
    from ..binding.binder import bind
    from ..grammar.parser import parse

    prog = bind([parse(spec.text, spec.path)], cat, template=True)
    for wf in prog.workflows:
        click.echo(f"{wf.code}  {wf.description}  [{wf.category}]")
        click.echo(f"{'id':>3} {'prev':>4} {'seq':>3} {'next':>4}  step")
        for s in wf.steps:
            depth = 0
            p = s.parent
            while p is not None:
                depth += 1
                p = wf.step(p).parent
            spec = cat.event(s.name) if s.kind == "event" else cat.response(s.name)
            bc = f" [{spec.bc_code}]" if spec is not None and spec.bc_code else ""
            what = (f"on {s.name}" if s.kind == "event" else s.name) + bc
            if s.kind == "event" and s.condition_text:
                what += f" when {s.condition_text}"
            opts = {k: v for k, v in s.options.items() if v not in (None, "", False)}
            if opts:
                what += "  " + ", ".join(f"{k}={v}" for k, v in opts.items())
            click.echo(f"{s.id:>3} {s.parent or '':>4} {s.sequence_no:>3} {s.next_step or '':>4}  "
                       f"{'  ' * min(depth, 20)}{what}")


@templates.command()
@click.argument("code")
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--code", "new_code", default=None, help="Code of the copy (default: BC style, e.g. PIAPW-01).")
@click.option("--force", is_flag=True, help="Overwrite DEST when it exists.")
def copy(code: str, dest: Path, new_code: str | None, force: bool) -> None:
    """Copy template CODE to DEST (a .wf file, or a folder: DEST/NEWCODE.wf) under a new code."""
    cat = _catalogue()
    spec = _find(cat, code)
    if new_code is not None:
        new_code = new_code.upper()
        if new_code.startswith(TEMPLATE_PREFIX):
            raise click.UsageError(f"`{new_code}`: codes starting with {TEMPLATE_PREFIX} are reserved for "
                                   "templates; choose another code")
        if len(new_code) > MAX_CODE or not new_code or any(ch.isspace() for ch in new_code):
            raise click.UsageError(f"`{new_code}`: a workflow code has 1 to {MAX_CODE} characters and no "
                                   "spaces")
    if dest.is_dir():
        taken = {p.stem.upper() for p in dest.glob("*.wf")}
        final_code = new_code or default_copy_code(spec.code, taken)
        target = dest / f"{final_code}.wf"
    else:
        final_code = new_code or default_copy_code(spec.code)
        target = dest
    if target.exists() and not force:
        click.echo(f"wf templates copy: {target} exists (use --force to overwrite)", err=True)
        sys.exit(1)
    text = copy_text(spec, final_code)
    from ..binding.binder import bind
    from ..grammar.parser import parse

    prog = bind([parse(text, str(target))], cat)
    errors = [d for d in prog.diagnostics if d.is_error]
    if errors:
        for d in errors:
            click.echo(f"{d.span}: {d.code} {d.message}", err=True)
        sys.exit(1)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        click.echo(f"wf templates copy: cannot write {target}: {exc.strerror or exc} [WF115]", err=True)
        sys.exit(2)
    click.echo(f"copied {spec.code} to {target} as workflow {final_code}")
    warnings = [d for d in prog.diagnostics if not d.is_error]
    for d in warnings:
        click.echo(f"  to do before enabling: line {d.span.line if d.span else '?'}: {d.message}")
