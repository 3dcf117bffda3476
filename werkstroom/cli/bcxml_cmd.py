"""`wf import bc FILE.xml -o DIR` and `wf export bc FILE.wf... -o FILE.xml`: Business Central's workflow
XML (xmlport 1501 "Import / Export Workflow") in and out.

Exit codes: 0 done (warnings allowed), 1 something could not be imported or exported (each reported
with its code and place), 2 a file that cannot be read or written.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

import click

from ..diagnostics import Diagnostic
from ..source import SourceFile

FORMATS = ("text", "short", "json")
_IO = ("WF100", "WF864")


@click.group("import")
def import_group() -> None:
    """Bring workflows in from another system's files."""


@click.group("export")
def export_group() -> None:
    """Write workflows in another system's format."""


def _catalogue() -> Any:
    from ..binding.libraries import load_catalogue

    cat, _diags = load_catalogue()
    return cat


def _report(diags: Sequence[Diagnostic], sources: Mapping[str, SourceFile], output_format: str,
            summary: str) -> None:
    from ..render import render_json, render_short, render_text

    if output_format == "json":
        click.echo(render_json(diags), nl=False)
        return
    if output_format == "short":
        click.echo(render_short(diags), nl=False, err=True)
    else:
        text = render_text(diags, sources)
        if text:
            click.echo(text, err=True)
    errors = sum(1 for d in diags if d.is_error)
    warnings = len(diags) - errors
    counts = [f"{n} {word}{'s' if n != 1 else ''}"
              for n, word in ((errors, "error"), (warnings, "warning")) if n]
    click.echo(summary + (f"; {' and '.join(counts)}." if counts else "."), err=True)


def _exit(diags: Sequence[Diagnostic]) -> NoReturn:
    if any(d.code in _IO for d in diags):
        sys.exit(2)
    sys.exit(1 if any(d.is_error for d in diags) else 0)


def _io_problem(message: str) -> Diagnostic:
    from ..tools.bcxml.model import problem

    return problem("WF864", message)


@import_group.command("bc")
@click.argument("file", type=click.Path(path_type=str))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(path_type=str),
              help="Folder for the .wf scripts, one per workflow (created when missing).")
@click.option("--force", is_flag=True, help="Overwrite .wf files that exist.")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="How findings are shown: text blocks, one line each, or JSON.")
def import_bc(file: str, out_dir: str, force: bool, output_format: str) -> None:
    """Write a .wf script for every workflow in a BC export (FILE.xml from the Workflows page).

    Each script is formatted as `wf fmt` writes it and checked by binding it back: its steps,
    conditions and options are the BC workflow's. What cannot be written is reported with its code,
    workflow and step; a workflow with such a problem gets no script.
    """
    from ..tools.bcxml.convert import import_bc as convert

    try:
        data = Path(file).read_bytes()
    except OSError as exc:
        reason = "is a directory" if os.path.isdir(file) else exc.strerror or str(exc)
        from ..tools.bcxml.model import problem

        diag = problem("WF100", f"cannot read `{file}`: {reason}")
        _report([diag], {}, output_format, "Nothing imported")
        _exit([diag])
    result = convert(data, file, _catalogue())
    diags = list(result.diagnostics)
    written: list[str] = []
    if result.scripts:
        try:
            os.makedirs(out_dir, exist_ok=True)
        except OSError as exc:
            diags.append(_io_problem(f"cannot create folder `{out_dir}`: {exc.strerror or exc}"))
        else:
            for script in result.scripts:
                target = Path(out_dir) / (script.code.replace("/", "_") + ".wf")
                if target.exists() and not force:
                    diags.append(_io_problem(f"`{target}` exists; workflow {script.code} is not written "
                                             "(use --force to overwrite)"))
                    continue
                try:
                    target.write_text(script.text, encoding="utf-8")
                except OSError as exc:
                    diags.append(_io_problem(f"cannot write `{target}`: {exc.strerror or exc}"))
                    continue
                written.append(str(target))
    for name in written:
        click.echo(f"wrote {name}")
    _report(diags, {}, output_format, f"Imported {len(written)} of {result.workflows} workflows")
    _exit(diags)


@export_group.command("bc")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("-o", "--output", "out_file", required=True, type=click.Path(path_type=str),
              help="The XML file to write (`-` for standard output).")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="How findings are shown: text blocks, one line each, or JSON.")
def export_bc(paths: tuple[str, ...], out_file: str, output_format: str) -> None:
    """Write the workflows of .wf scripts (PATHS: files or folders) as one BC export file, for
    "Import from File" on BC's Workflows page.

    The scripts must pass `wf check`. What BC's format cannot hold (a Werkstroom-only response or
    option, a condition BC's filters cannot say, a field without a BC field number) is reported with
    its place in the script, and then no file is written.
    """
    from ..binding.checking import check_paths
    from ..tools.bcxml.convert import export_bc as convert

    checked = check_paths(paths)
    diags = list(checked.diagnostics)
    if checked.errors or checked.program is None:
        diags = diags or [_io_problem("no .wf scripts were found in " + ", ".join(paths))]
        _report(diags, checked.sources, output_format, "Nothing exported: the scripts do not pass `wf check`"
                if checked.errors else "Nothing exported")
        _exit(diags)
    xml, result = convert(checked.program.workflows, _catalogue())
    diags.extend(result.diagnostics)
    if xml is not None:
        try:
            if out_file == "-":
                sys.stdout.buffer.write(xml)
                sys.stdout.flush()
            else:
                Path(out_file).write_bytes(xml)
                click.echo(f"wrote {out_file}")
        except OSError as exc:
            diags.append(_io_problem(f"cannot write `{out_file}`: {exc.strerror or exc}"))
    done = len(result.workflows) if xml is not None and not any(d.code == "WF864" for d in diags) else 0
    _report(diags, checked.sources, output_format,
            f"Exported {done} of {len(checked.program.workflows)} workflows")
    _exit(diags)
