"""`wf graph FILE [--workflow CODE] --format mermaid|dot|svg [-o OUT]`, and the grid of
`wf show FILE --grid [--workflow CODE] [--json]`.

FILE is a .wf file, or the code of an installed template (``MS-PIAPW``) when no file of that name
exists. A file with errors is not drawn: its diagnostics are shown as `wf check` shows them.
Exit codes: 0 drawn; 1 the file has errors, or it has no workflow of that code (WF509); 2 a file that
cannot be read (WF100) or written (WF115), or bad arguments.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from ..errors import WerkstroomError


def _trees(target: str, workflow: str | None) -> list[Any]:
    """The step trees of the chosen workflows, or exit with the file's diagnostics."""
    from ..render import render_text
    from ..tools.steptree import load_workflows, step_tree

    try:
        loaded = load_workflows(target, workflow)
    except WerkstroomError as exc:
        click.echo(f"wf: {exc}", err=True)
        sys.exit(1)
    if loaded.errors or not loaded.workflows:
        text = render_text(loaded.diagnostics, loaded.sources, False)
        click.echo(text or f"wf: {target} has no workflow to draw", err=True)
        sys.exit(2 if loaded.io_failed else 1)
    return [step_tree(wf) for wf in loaded.workflows]


def _write(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8", newline="\n")
    except OSError as exc:
        click.echo(f"wf graph: cannot write {output}: {exc.strerror or exc} [WF115]", err=True)
        sys.exit(2)


@click.command()
@click.argument("file", type=click.Path(path_type=str))
@click.option("--workflow", default=None, metavar="CODE", help="Only this workflow of the file.")
@click.option("--format", "output_format", type=click.Choice(("mermaid", "dot", "svg")), default="mermaid",
              show_default=True, help="mermaid flowchart, Graphviz DOT, or an SVG drawing.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to this file instead of standard output.")
def graph(file: str, workflow: str | None, output_format: str, output: Path | None) -> None:
    """Draw the step tree of the workflows in FILE (or of template FILE, e.g. MS-PIAPW).

    Events with their conditions, responses with their labels, alternatives numbered by priority,
    `continue at` jumps as dashed back edges.
    """
    trees = _trees(file, workflow)
    if output_format == "svg":
        from ..tools.svg import to_svg

        _write(to_svg(trees), output)
    else:
        from ..tools.graph import to_dot, to_mermaid

        _write(to_mermaid(trees) if output_format == "mermaid" else to_dot(trees), output)


def show_grid(target: str, workflow: str | None, as_json: bool) -> None:
    """`wf show FILE --grid`: BC's When Event / On Condition / Then Response grid of each workflow, a
    rich table on a terminal, aligned text otherwise (or JSON)."""
    from ..tools.grid import render_plain, render_rich, rows_json

    trees = _trees(target, workflow)
    if as_json:
        click.echo(json.dumps([rows_json(t) for t in trees], indent=2, ensure_ascii=False))
    elif sys.stdout.isatty() or os.environ.get("FORCE_COLOR"):
        from rich.console import Console

        render_rich(trees, Console())
    else:
        click.echo("\n".join(render_plain(t) for t in trees), nl=False)
