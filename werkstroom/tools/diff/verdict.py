"""The safety verdict for a workflow's running instances when a new version of it is enabled.

What the engine does: an instance runs to its end on the version it started with (its row keeps that
version; its step states are the statuses of that version's steps), while new instances start on the
current version. Enabling a new version therefore never breaks a running instance; the question is
whether the running ones will do what the new version says. Each instance is compared, from the
version it runs on, with the new version, at the event steps it waits on (docs/tools.md, "Version
diff", defines the words):

``unaffected``  every step it waits on is in the new version, and nothing it can still reach from
                there changed (conditions, responses, options, jumps, alternatives, their order)
``affected``    every step it waits on is in the new version, but something ahead of it changed:
                it goes on by its own version's rules unless moved; its waiting steps map one to one
``stranded``    a step it waits on is not in the new version: it can only go on by its own version

The verdict of a workflow is ``safe`` when every instance is unaffected (or none runs), ``needs
migration`` when some are affected and none stranded, ``strands instances`` when one is stranded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from .changes import Change, changes, summary
from .deployed import Running
from .match import Matching, match
from .tree import Shape, ahead, shape

SAFE, MIGRATE, STRANDS = "safe", "needs migration", "strands instances"
UNAFFECTED, AFFECTED, STRANDED = "unaffected", "affected", "stranded"
_WORST = {UNAFFECTED: 0, AFFECTED: 1, STRANDED: 2}
_VERDICT = {0: SAFE, 1: MIGRATE, 2: STRANDS}


@attrs.frozen
class Waiting:
    """An event step an instance waits on: its id in the instance's version, its text, and its id in
    the new version (None: the new version does not have it)."""

    step: int
    text: str
    place: str
    new_step: int | None

    def to_json(self) -> dict[str, Any]:
        return {"step": self.step, "text": self.text, "place": self.place, "new_step": self.new_step}


@attrs.frozen
class InstanceVerdict:
    id: str
    version: int
    record_type: str
    record_key: str
    started_by: str
    state: str
    waiting: tuple[Waiting, ...]
    reasons: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version, "record_type": self.record_type,
                "record_key": self.record_key, "started_by": self.started_by, "state": self.state,
                "waiting": [w.to_json() for w in self.waiting], "reasons": list(self.reasons),
                "mapping": {str(w.step): w.new_step for w in self.waiting}}


@attrs.frozen
class Verdict:
    """A workflow's verdict: ``target`` names the new version (``version 3``, or the new file)."""

    workflow: str
    target: str
    verdict: str
    instances: tuple[InstanceVerdict, ...]

    def count(self, state: str) -> int:
        return sum(1 for i in self.instances if i.state == state)

    def to_json(self) -> dict[str, Any]:
        return {"workflow": self.workflow, "target": self.target, "verdict": self.verdict,
                "running": len(self.instances),
                "counts": {s: self.count(s) for s in (UNAFFECTED, AFFECTED, STRANDED)},
                "instances": [i.to_json() for i in self.instances]}


def _index(found: Iterable[Change]) -> tuple[dict[int, list[Change]], dict[int, list[Change]]]:
    """The changes that alter behaviour, by the old and by the new step ids they touch (an added or
    removed event step touches the steps under it too)."""
    by_old: dict[int, list[Change]] = {}
    by_new: dict[int, list[Change]] = {}
    for c in found:
        if not c.behaviour:
            continue
        if c.old is not None:
            for s in (c.old, *(c.below if c.kind == "removed" else ())):
                by_old.setdefault(s, []).append(c)
        if c.new is not None:
            for s in (c.new, *(c.below if c.kind == "added" else ())):
                by_new.setdefault(s, []).append(c)
    return by_old, by_new


class _Judge:
    """Compares instances of one version with the new version (one pairing per version)."""

    def __init__(self, m: Matching) -> None:
        self.m = m
        self.back = m.back()
        self.by_old, self.by_new = _index(changes(m))

    def ahead_changes(self, a: int, b: int) -> list[Change]:
        old, new = self.m.old, self.m.new
        hits = [c for s in sorted(ahead(old, a)) for c in self.by_old.get(s, ())]
        hits += [c for s in sorted(ahead(new, b)) for c in self.by_new.get(s, ())]
        owner = new.owner.get(b)
        # an alternative the new version adds beside the waiting step: it would wait for that too
        hits += [c for s in new.alternatives.get(owner, ()) if s not in self.back
                 for c in self.by_new.get(s, ())]
        unique: dict[int, Change] = {}
        for c in hits:
            unique.setdefault(id(c), c)
        return list(unique.values())

    def instance(self, inst: Running, target: str) -> InstanceVerdict:
        old = self.m.old
        waiting: list[Waiting] = []
        gone: list[str] = []
        ahead_of: dict[int, Change] = {}
        for a in inst.active:
            if a not in old.text:  # a step the engine cannot reach: shown as it is, never matched
                waiting.append(Waiting(a, f"step {a}", "", None))
                gone.append(f"waits on step {a}, which its own version cannot reach")
                continue
            b = self.m.pairs.get(a)
            waiting.append(Waiting(a, old.text[a], old.where(a), b))
            if b is None:
                gone.append(f"waits on {old.describe(a)}, which {target} does not have")
                continue
            for c in self.ahead_changes(a, b):
                ahead_of.setdefault(id(c), c)
        # a removed step it waits on is said once, as the reason it is stranded
        left = [c for c in ahead_of.values() if not (c.kind == "removed" and c.old in inst.active)]
        state = STRANDED if gone else AFFECTED if left else UNAFFECTED
        reasons = (*gone, *(f"changed ahead of it: {summary(c)}" for c in left))
        return InstanceVerdict(inst.id, inst.version, inst.record_type, inst.record_key, inst.started_by,
                               state, tuple(waiting), reasons)


def judge(code: str, new: Shape, instances: Sequence[Running], target: str,
          target_version: int | None = None) -> Verdict:
    """The verdict for ``code``'s running ``instances`` when ``new`` (named ``target`` in reasons) is
    enabled. Instances that already run on ``target_version`` are unaffected."""
    judges: dict[int, _Judge] = {}
    out: list[InstanceVerdict] = []
    for inst in instances:
        if target_version is not None and inst.version == target_version:
            out.append(InstanceVerdict(inst.id, inst.version, inst.record_type, inst.record_key,
                                       inst.started_by, UNAFFECTED, (), (f"runs on {target} already",)))
            continue
        j = judges.get(inst.version)
        if j is None:
            j = judges[inst.version] = _Judge(match(shape(inst.workflow), new))
        out.append(j.instance(inst, target))
    worst = max((_WORST[i.state] for i in out), default=0)
    return Verdict(code, target, _VERDICT[worst], tuple(out))
