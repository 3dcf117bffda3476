"""`wf check`, `wf fmt` and `wf explain`.

Exit codes: 0 clean (warnings allowed), 1 errors found (or `fmt --check` would change a file),
2 usage or I/O error (a path that cannot be read).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import click

FORMATS = ("text", "short", "json")


def _use_color(flag: bool | None) -> bool:
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text: rustc-style blocks; short: one line each; json: an array of objects.")
@click.option("--color/--no-color", default=None,
              help="Colour the text output (default: only when writing to a terminal; NO_COLOR honoured).")
@click.option("--enable", "enable", is_flag=True,
              help="Also run BC's enable-time checks, as if every checked workflow were enabled together.")
@click.option("--allow-overlap", is_flag=True,
              help="With --enable: entry points that one record can match in two workflows warn (WF420) "
                   "instead of refusing (WF428).")
def check(paths: tuple[str, ...], output_format: str, color: bool | None, enable: bool = False,
          allow_overlap: bool = False) -> None:
    """Check .wf scripts: syntax, then names, types and workflow shape against the catalogue.

    PATHS are files or directories (searched recursively for *.wf).
    """
    from ..binding.checking import check_paths, enable_diagnostics
    from ..render import render_json, render_short, render_summary, render_text

    result = check_paths(paths)
    diags = enable_diagnostics(result, allow_overlap=allow_overlap) if enable else result.diagnostics
    files = len(result.sources) + sum(1 for d in diags if d.code in ("WF100", "WF101", "WF112"))
    if output_format == "json":
        click.echo(render_json(diags), nl=False)
    elif output_format == "short":
        click.echo(render_short(diags), nl=False)
    else:
        use_color = _use_color(color)
        text = render_text(diags, result.sources, use_color)
        if text:
            click.echo(text, color=use_color)
        click.echo(render_summary(diags, files, use_color), color=use_color)
    if result.io_failed:
        sys.exit(2)
    sys.exit(1 if any(d.is_error for d in diags) else 0)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--check", "check_only", is_flag=True,
              help="Change nothing; exit 1 when a file is not in the canonical layout.")
@click.option("--diff", "show_diff", is_flag=True,
              help="Change nothing; print a unified diff of the changes instead.")
def fmt(paths: tuple[str, ...], check_only: bool, show_diff: bool) -> None:
    """Rewrite .wf scripts in the canonical layout (comments are kept).

    Files with syntax errors are reported and left alone. `--check` and `--diff` change nothing.
    `wf fmt -` formats standard input to standard output (for editors).
    """
    from ..binding.checking import expand_paths
    from ..diagnostics import Diagnostic
    from ..grammar.formatter import format_ast
    from ..grammar.parser import parse_source
    from ..grammar.reading import read_source
    from ..render import render_text

    if paths == ("-",):
        _fmt_stdin()
    changed = 0
    failed = 0
    io_error = False
    files = expand_paths(paths)
    for name in files:
        src = read_source(name)
        if isinstance(src, Diagnostic):
            click.echo(render_text([src], {}, _use_color(None)), err=True)
            io_error = io_error or src.code == "WF100"
            failed += 1
            continue
        result = parse_source(src)
        errors = [d for d in result.diagnostics if d.is_error]
        if errors:
            click.echo(render_text(errors, {src.path: src}, _use_color(None)), err=True)
            failed += 1
            continue
        new = format_ast(result.script, src)
        if new == src.text:
            continue
        changed += 1
        if show_diff:
            import difflib

            click.echo("".join(difflib.unified_diff(
                src.text.splitlines(keepends=True), new.splitlines(keepends=True),
                fromfile=f"{name} (original)", tofile=f"{name} (formatted)")), nl=False)
        if check_only:
            click.echo(f"would reformat {name}")
        elif not show_diff:
            try:
                Path(name).write_text(new, encoding="utf-8", newline="\n")
            except OSError as exc:
                click.echo(f"error[WF115]: cannot write `{name}`: {exc.strerror or exc}", err=True)
                changed, failed, io_error = changed - 1, failed + 1, True
                continue
            click.echo(f"reformatted {name}")
    verb = "would be reformatted" if check_only or show_diff else "reformatted"
    left = len(files) - changed - failed
    click.echo(f"{changed} file{'s' if changed != 1 else ''} {verb}, {left} already formatted"
               + (f", {failed} with errors" if failed else "") + ".", err=True)
    if io_error:
        sys.exit(2)
    sys.exit(1 if failed or (check_only and changed) else 0)


def _fmt_stdin() -> None:
    from ..diagnostics import Diagnostic
    from ..grammar.formatter import format_ast
    from ..grammar.parser import parse_source
    from ..grammar.reading import decode_source
    from ..render import render_text

    src = decode_source("<stdin>", sys.stdin.buffer.read())
    if isinstance(src, Diagnostic):
        click.echo(render_text([src], {}), err=True)
        sys.exit(1)
    result = parse_source(src)
    errors = [d for d in result.diagnostics if d.is_error]
    if errors:
        click.echo(render_text(errors, {src.path: src}), err=True)
        sys.exit(1)
    click.echo(format_ast(result.script, src), nl=False)
    sys.exit(0)


@click.command()
@click.argument("code")
def explain(code: str) -> None:
    """Explain a diagnostic code (e.g. `wf explain WF103`)."""
    from ..codes import CODES

    key = code.strip().upper()
    if re.fullmatch(r"\d+", key):
        key = "WF" + key
    info = CODES.get(key)
    if info is None:
        click.echo(f"wf explain: unknown code {code!r} (codes look like WF103)", err=True)
        sys.exit(2)
    click.echo(f"{info.code} ({info.severity.value}): {info.title}")
    section = doc_section(info.code)
    if section:
        click.echo("")
        click.echo(section)


def doc_section(code: str) -> str:
    """The section of docs/diagnostics.md for ``code`` ('' when the docs are not installed)."""
    docs = Path(__file__).resolve().parents[2] / "docs" / "diagnostics.md"
    try:
        text = docs.read_text(encoding="utf-8")
    except OSError:
        return ""
    m = re.search(rf"^#+ {re.escape(code)}\b.*?$(.*?)(?=^#+ |\Z)", text, re.M | re.S)
    return m.group(1).strip() if m else ""
