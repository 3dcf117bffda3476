"""The two ways in: two scripts (``diff_files``), or two deployed versions of a workflow
(``diff_deployed``); each answers a ``Report``."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

from ...binding.program import BoundWorkflow
from ...binding.sources import bind_text
from ...diagnostics import Diagnostic
from ...errors import DiagnosticsError, WerkstroomError
from ...grammar.reading import read_source
from .deployed import NotDeployed, deployed, running, version, versions
from .report import Report, WorkflowDiff, compare_workflows, diff_pairs, pair_workflows
from .tree import shape
from .verdict import judge


class NotInFiles(WerkstroomError):
    """WF872: the workflow named with ``--workflow`` is in neither script."""

    code = "WF872"


class NoSource(WerkstroomError):
    """WF873: a deployed version has no source text to replay a scenario on."""

    code = "WF873"


def read_workflows(path: str | Path, catalogue: Any) -> list[BoundWorkflow]:
    """The workflows of one script, bound; raises DiagnosticsError (WF100 for a file that cannot be
    read, the first error's code for a script with errors)."""
    src = read_source(path)
    if isinstance(src, Diagnostic):
        raise DiagnosticsError(src.message, [src], code=src.code)
    try:
        return list(bind_text(src.text, str(path), catalogue).workflows)
    except DiagnosticsError as exc:
        first = exc.diagnostics[0]
        raise DiagnosticsError(f"{path} has {len(exc.diagnostics)} error(s), the first {first.code}: "
                               f"{first.message}; it cannot be compared (`wf check {path}` shows them)",
                               exc.diagnostics, code=exc.code) from None


def _verdicts(engine: Any, diffs: Sequence[WorkflowDiff], target: str) -> list[WorkflowDiff]:
    """Each workflow of the new script that the store has, with the verdict for its running instances."""
    known = deployed(engine)
    out: list[WorkflowDiff] = []
    for d in diffs:
        if d.new_code is None or d.matching is None:  # only the old script has it: deploying changes nothing
            out.append(attrs.evolve(d, deployed=d.old_code in known))
        elif d.new_code not in known:
            out.append(attrs.evolve(d, deployed=False))
        else:
            verdict = judge(d.new_code, d.matching.new, running(engine, d.new_code), target)
            out.append(attrs.evolve(d, deployed=True, verdict=verdict))
    return out


def diff_files(old_path: str | Path, new_path: str | Path, catalogue: Any, *, engine: Any = None,
               store: str | None = None, only: str | None = None,
               scenario: str | Path | None = None) -> Report:
    """Compare the workflows of two scripts. With ``engine`` (a store, named ``store`` in the report),
    each workflow of the new script that the store has gets the verdict for its running instances.
    ``only``: compare just that workflow. ``scenario``: replay it on both scripts."""
    old = read_workflows(old_path, catalogue)
    new = read_workflows(new_path, catalogue)
    pairs = pair_workflows(old, new)
    if only is not None:
        pairs = [p for p in pairs if any(w is not None and w.code.upper() == only.upper() for w in p)]
        if not pairs:
            names = sorted({w.code for w in (*old, *new)})
            raise NotInFiles(f"neither {old_path} nor {new_path} has a workflow {only!r} "
                             f"(they have: {', '.join(names) or 'none'})")
    diffs = _with_shapes(diff_pairs(pairs), pairs)
    if engine is not None:
        diffs = _verdicts(engine, diffs, "the new version")
    outcomes = None
    if scenario is not None:
        from .outcomes import replay

        outcomes = replay([old_path], [new_path], scenario,
                          [d.matching for d in diffs if d.matching is not None and d.old_code is not None])
    return Report(str(old_path), str(new_path), tuple(diffs), store, outcomes)


def _with_shapes(diffs: list[WorkflowDiff],
                 pairs: Sequence[tuple[BoundWorkflow | None, BoundWorkflow | None]]) -> list[WorkflowDiff]:
    """An added workflow keeps its new version's steps (an empty old side), for the verdict."""
    from .match import match

    out: list[WorkflowDiff] = []
    for d, (_a, b) in zip(diffs, pairs, strict=True):
        if d.matching is None and b is not None:
            empty = attrs.evolve(b, steps=())
            d = attrs.evolve(d, matching=match(shape(empty), shape(b)))
        out.append(d)
    return out


def _written(wf: BoundWorkflow, folder: Path) -> Path:
    if not wf.source:
        raise NoSource(f"{wf.code} has a version without source text (deployed from Python as bound "
                       f"steps): a scenario can only be replayed on versions deployed from scripts")
    path = folder / (Path(wf.path).name if wf.path else f"{wf.code}.wf")
    path.write_text(wf.source, encoding="utf-8")
    return path


def diff_deployed(engine: Any, code: str, first: int | None = None, second: int | None = None, *,
                  store: str | None = None, scenario: str | Path | None = None) -> Report:
    """Compare two deployed versions of ``code`` (default: the two latest) and judge its running
    instances against the second. ``scenario``: replay it on both versions' scripts."""
    frm, to = versions(deployed(engine), code, first, second)
    old, new = version(engine, code, frm), version(engine, code, to)
    d = compare_workflows(old, new)
    pairing = d.matching
    assert pairing is not None  # two versions of one workflow always pair
    verdict = judge(code, pairing.new, running(engine, code), f"version {to}", target_version=to)
    d = attrs.evolve(d, code=code, verdict=verdict, deployed=True)
    outcomes = None
    if scenario is not None:
        from .outcomes import replay

        with tempfile.TemporaryDirectory(prefix="wf-diff-") as tmp:
            (Path(tmp) / "old").mkdir()
            (Path(tmp) / "new").mkdir()
            outcomes = replay([_written(old, Path(tmp) / "old")], [_written(new, Path(tmp) / "new")],
                              scenario, [pairing])
    return Report(f"{code} version {frm}", f"{code} version {to}", (d,), store, outcomes)


__all__ = ["NoSource", "NotDeployed", "NotInFiles", "diff_deployed", "diff_files", "read_workflows"]
