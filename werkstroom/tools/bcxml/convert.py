"""The two directions as calls: ``import_bc`` (BC XML to formatted .wf scripts, each checked by binding
it back) and ``export_bc`` (bound workflows to BC XML).

An imported script is bound against the catalogue and exported again; reading that export must give
the same workflow as reading the file did (steps, conditions, options), so a script that would run
differently from the BC workflow it came from is never written (WF863). A script that does not pass
``wf check`` (BC allows a combination Werkstroom refuses) is written and reported (WF862).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from ...binding.binder import bind
from ...binding.program import BoundWorkflow
from ...diagnostics import Diagnostic
from ...grammar import ast as A
from ...grammar.formatter import format_ast
from ...grammar.parser import parse
from . import model as M
from .export import ExportResult, export_workflows
from .import_conditions import Refused
from .importer import WorkflowReader
from .model import BcWorkflow, at, problem
from .xmlio import read_xml, write_xml


@attrs.frozen
class ImportedScript:
    """A workflow of the file as a .wf script: ``code``, the formatted ``text``, and ``checked`` (False
    when the script does not pass ``wf check``, WF862)."""

    code: str
    text: str
    checked: bool = True


@attrs.frozen
class ImportResult:
    """``scripts``: the workflows that could be written; ``workflows``: how many the file has."""

    scripts: tuple[ImportedScript, ...]
    diagnostics: tuple[Diagnostic, ...]
    workflows: int = 0


def import_bc(data: bytes, path: str, catalogue: Any) -> ImportResult:
    """Every workflow of a BC export as a .wf script, and what could not be imported."""
    workflows, diags = read_xml(data, path)
    scripts: list[ImportedScript] = []
    for wf in workflows:
        notes: list[Diagnostic] = []
        script, problems = _import_one(wf, catalogue, path, notes)
        diags.extend(notes)
        diags.extend(problems)
        if script is not None:
            scripts.append(script)
    return ImportResult(tuple(scripts), tuple(diags), len(workflows))


def read_workflow(wf: BcWorkflow, catalogue: Any, path: str, notes: list[Diagnostic]) -> A.Workflow:
    """One workflow as a .wf AST; raises Refused."""
    return WorkflowReader(wf, catalogue, path, notes).workflow()


def _import_one(wf: BcWorkflow, catalogue: Any, path: str,
                notes: list[Diagnostic]) -> tuple[ImportedScript | None, list[Diagnostic]]:
    try:
        tree = read_workflow(wf, catalogue, path, notes)
    except Refused as exc:
        return None, [exc.diagnostic]
    text = format_ast(A.Script((tree,)))
    name = f"{wf.code}.wf"
    parsed = parse(text, name)
    program = bind([parsed], catalogue)
    errors = [d for d in (*parsed.diagnostics, *program.diagnostics) if d.is_error]
    if errors:
        shown = tuple(f"{d.code} at line {d.span.line if d.span else '?'}: {d.message}" for d in errors[:5])
        return ImportedScript(wf.code, text, checked=False), [problem(
            "WF862", f"{M.where(wf.code)}: the imported script does not pass `wf check` ({len(errors)} "
            "error(s)); it is written so you can fix it", at(path, wf.line), notes=shown,
            help=f"run `wf check {name}` and change the script (or the workflow in BC)")]
    mismatch = _differs(wf, program.workflows[0], catalogue, path)
    if mismatch:
        return None, [problem("WF863", f"{M.where(wf.code)}: the script written for it would not run as "
                              f"the BC workflow does ({mismatch}); nothing is written", at(path, wf.line),
                              help="report this with the file: the import should not happen")]
    return ImportedScript(wf.code, text), []


def _differs(wf: BcWorkflow, bound: BoundWorkflow, catalogue: Any, path: str) -> str:
    """'' when the bound script, exported again, reads as ``wf`` does; else where it differs."""
    exported = export_workflows([bound], catalogue)
    if not exported.ok:
        return exported.diagnostics[0].message
    try:
        want = WorkflowReader(wf, catalogue, path, []).projection()
        got = WorkflowReader(exported.workflows[0], catalogue, path, []).projection()
    except Refused as exc:
        return exc.diagnostic.message
    if len(want) != len(got):
        return f"{len(got)} steps instead of {len(want)}"
    for i, (a, b) in enumerate(zip(want, got, strict=True)):
        if a != b:
            return f"step {i + 1} of the script differs from its BC step"
    return ""


def export_bc(workflows: Sequence[BoundWorkflow], catalogue: Any) -> tuple[bytes | None, ExportResult]:
    """BC's XML for ``workflows`` (None when any cannot be written), and the export's findings."""
    result = export_workflows(workflows, catalogue)
    return (write_xml(list(result.workflows)) if result.ok else None), result
