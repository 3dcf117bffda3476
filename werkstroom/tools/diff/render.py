"""The diff report as text for people (``wf diff``'s default; ``--format json`` prints ``Report.to_json``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .changes import Change, summary
from .report import ADDED, REMOVED, UNCHANGED, Report, WorkflowDiff
from .verdict import AFFECTED, MIGRATE, SAFE, STRANDED, STRANDS, Verdict

if TYPE_CHECKING:  # the scenario replay loads the engine: only when asked for
    from .outcomes import Comparison, Difference

_SIGN = {"added": "+", "removed": "-"}


def _changes(d: WorkflowDiff) -> list[str]:
    out: list[str] = []
    place: str | None = None
    for c in d.changes:
        if c.kind != "header" and c.place != place:
            place = c.place
            out.append(f"  at {place or '(the top)'}")
        out.append(f"    {_SIGN.get(c.kind, '~')} {summary(c, place=False, full=False)}")
        out.extend(_detail(c))
    return out


def _detail(c: Change) -> list[str]:
    if c.kind == "condition":
        return [f"        was: {c.before}", f"        now: {c.after}"]
    return []


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _workflow(d: WorkflowDiff) -> list[str]:
    renamed = f" (was {d.old_code})" if d.old_code and d.new_code and d.old_code != d.new_code else ""
    if d.status == ADDED:
        head = [f"{d.code}: only in the new version"]
    elif d.status == REMOVED:
        head = [f"{d.code}: only in the old version"]
    elif d.status == UNCHANGED:
        head = [f"{d.code}{renamed}: no changes"]
    else:
        head = [f"{d.code}{renamed}: {_plural(len(d.changes), 'change')}", *_changes(d)]
    return head + _verdict(d)


def _verdict(d: WorkflowDiff) -> list[str]:
    if d.deployed is None:
        return []
    if d.verdict is None:
        if not d.deployed:
            return ["  not deployed in the store: no running instance to judge"]
        return ["  deployed in the store; the new version does not have it (deploying that changes nothing)"]
    v = d.verdict
    out = [f"  running instances against {v.target}: {len(v.instances)}"]
    for i in v.instances:
        waits = ", ".join(_waiting(w.step, w.new_step) for w in i.waiting)
        out.append(f"    {i.id}  v{i.version}  {i.record_type} {i.record_key}: {i.state}"
                   + (f", waits on {waits}" if waits else ""))
        out.extend(f"      {r}" for r in i.reasons if i.state != "unaffected" or not i.waiting)
    out.append(f"  verdict: {v.verdict}: {_why(v)}")
    return out


def _waiting(step: int, new_step: int | None) -> str:
    if new_step is None:
        return f"step {step} (gone)"
    return f"step {step}" + (f" (now {new_step})" if new_step != step else "")


def _why(v: Verdict) -> str:
    n, stranded, affected = len(v.instances), v.count(STRANDED), v.count(AFFECTED)
    if v.verdict == SAFE:
        return ("no instance is running" if n == 0
                else f"{'the' if n == 1 else 'each of the'} {_plural(n, 'running instance')} would go on as "
                     f"{v.target} says")
    if v.verdict == STRANDS:
        one = stranded == 1
        return (f"{stranded} of {_plural(n, 'running instance')} {'waits' if one else 'wait'} on a step "
                f"{v.target} does not have; {'it' if one else 'they'} can only finish on the version "
                f"{'it' if one else 'they'} started on")
    assert v.verdict == MIGRATE
    one = affected == 1
    return (f"{affected} of {_plural(n, 'running instance')} {'goes' if one else 'go'} on by the rules of "
            f"the version {'it' if one else 'they'} started on, which {v.target} changes ahead of "
            f"{'it' if one else 'them'}; every step {'it waits' if one else 'they wait'} on is in {v.target}")


def _sides(d: Difference) -> list[str]:
    old, new = "; ".join(d.old) or "(none)", "; ".join(d.new) or "(none)"
    if len(d.old) <= 1 and len(d.new) <= 1 and len(old) + len(new) < 80:
        return [f"    {d.aspect}: {old} -> {new}"]
    return [f"    {d.aspect}:", f"      old: {old}", f"      new: {new}"]


def _outcomes(c: Comparison) -> list[str]:
    if c.same:
        out = [f"scenario {c.scenario}: the same outcome on both versions at every entry ({c.entries})"]
    else:
        entries = sorted({d.entry for d in c.differences})
        out = [f"scenario {c.scenario}: the outcomes differ at {len(entries)} of {c.entries} entries, "
               f"first at entry {c.first}"]
        current = 0
        for d in c.differences:
            if d.entry != current:
                current = d.entry
                out.append(f"  entry {d.entry}: {d.title}")
            out.extend(_sides(d))
    for side, unmet in (("old", c.unmet_old), ("new", c.unmet_new)):
        if unmet:
            out.append(f"  the scenario's expectations not met on the {side} version: {len(unmet)}"
                       + (f" (the first {_SHOWN}; --format json lists all)" if len(unmet) > _SHOWN else ""))
            out.extend(f"    {u}" for u in unmet[:_SHOWN])
    return out


_SHOWN = 5


def render(report: Report) -> str:
    lines = [f"--- {report.old}", f"+++ {report.new}"]
    if report.store is not None:
        lines.append(f"store: {report.store}")
    for d in report.workflows:
        lines.extend(_workflow(d))
    if report.outcomes is not None:
        lines.extend(_outcomes(report.outcomes))
    if report.verdict is not None:
        lines.append(f"verdict: {report.verdict}")
    return "\n".join(lines)
