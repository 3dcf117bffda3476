"""A whole diff: the workflows of two versions paired by code, each workflow's changes, the verdict for
its running instances where a store has them, and the scenario's outcomes on both; the exit code."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ...binding.program import BoundWorkflow
from .changes import Change, changes
from .match import Matching, match
from .tree import shape
from .verdict import MIGRATE, SAFE, STRANDS, Verdict

if TYPE_CHECKING:  # the scenario replay loads the engine: only when asked for
    from .outcomes import Comparison

CHANGED, UNCHANGED, ADDED, REMOVED = "changed", "unchanged", "added", "removed"


@attrs.frozen
class WorkflowDiff:
    """One workflow. ``status``: changed | unchanged | added (only in the new version) | removed (only
    in the old). ``old_code`` / ``new_code``: its code on each side (two files of one workflow each
    are compared whatever their codes). ``deployed``: whether the store has it (None: no store)."""

    code: str
    old_code: str | None
    new_code: str | None
    status: str
    changes: tuple[Change, ...]
    matching: Matching | None = attrs.field(default=None, eq=False, repr=False)
    verdict: Verdict | None = None
    deployed: bool | None = None

    @property
    def attention(self) -> bool:
        """Whether it needs a look: a verdict other than safe, or a change no verdict covers."""
        if self.verdict is not None:
            return self.verdict.verdict != SAFE
        return self.status != UNCHANGED

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "old_code": self.old_code, "new_code": self.new_code,
                "status": self.status, "changes": [c.to_json() for c in self.changes],
                "deployed": self.deployed,
                "verdict": self.verdict.to_json() if self.verdict is not None else None}


@attrs.frozen
class Report:
    """``old`` / ``new``: what was compared (file names, or ``CODE version N``). ``store``: the store
    the verdicts come from (None: none was given)."""

    old: str
    new: str
    workflows: tuple[WorkflowDiff, ...]
    store: str | None = None
    outcomes: Comparison | None = None

    @property
    def verdict(self) -> str | None:
        """The worst verdict of the workflows that have one (None: none has)."""
        found = [w.verdict.verdict for w in self.workflows if w.verdict is not None]
        for worst in (STRANDS, MIGRATE, SAFE):
            if worst in found:
                return worst
        return None

    @property
    def exit_code(self) -> int:
        """0: nothing needs attention (no change, or every change covered by a safe verdict, and the
        scenario's outcomes are the same); 1: something does."""
        outcomes_differ = self.outcomes is not None and not self.outcomes.same
        return 1 if outcomes_differ or any(w.attention for w in self.workflows) else 0

    def to_json(self) -> dict[str, Any]:
        return {"old": self.old, "new": self.new, "store": self.store,
                "changed": any(w.status != UNCHANGED for w in self.workflows),
                "verdict": self.verdict, "exit": self.exit_code,
                "workflows": [w.to_json() for w in self.workflows],
                "simulation": self.outcomes.to_json() if self.outcomes is not None else None}


def compare_workflows(old: BoundWorkflow, new: BoundWorkflow) -> WorkflowDiff:
    m = match(shape(old), shape(new))
    found = tuple(changes(m))
    return WorkflowDiff(new.code, old.code, new.code, CHANGED if found or old.code != new.code else UNCHANGED,
                        found, m)


def pair_workflows(old: Sequence[BoundWorkflow],
                   new: Sequence[BoundWorkflow]) -> list[tuple[BoundWorkflow | None, BoundWorkflow | None]]:
    """The workflows of two versions, paired by code (new ones in their order, then those only the old
    version has); two versions of one workflow each pair whatever their codes."""
    if len(old) == 1 and len(new) == 1:
        return [(old[0], new[0])]
    by_code = {w.code: w for w in old}
    out: list[tuple[BoundWorkflow | None, BoundWorkflow | None]] = [(by_code.pop(w.code, None), w)
                                                                   for w in new]
    out.extend((w, None) for w in by_code.values())
    return out


def diff_pairs(pairs: Sequence[tuple[BoundWorkflow | None, BoundWorkflow | None]]) -> list[WorkflowDiff]:
    out: list[WorkflowDiff] = []
    for a, b in pairs:
        if a is not None and b is not None:
            out.append(compare_workflows(a, b))
        elif b is not None:
            out.append(WorkflowDiff(b.code, None, b.code, ADDED, ()))
        elif a is not None:
            out.append(WorkflowDiff(a.code, a.code, None, REMOVED, ()))
    return out
