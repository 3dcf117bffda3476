"""One scenario replayed on two versions, each in a fresh store (``wf simulate``'s runs), and where their
outcomes differ: per timeline entry, what a user sees of it (the handled events' outcomes, the step
that fired, the responses run, the document's status and restriction, the approval entries with their
approvers, the notifications, the deliveries, the outbox effects, the running instances, the error)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ...simulation.run import Simulation, Step, simulate
from .match import Matching

ASPECTS = ("error", "outcome", "fired step", "responses", "status", "restricted", "pending changes",
           "approval entries", "notifications", "deliveries", "effects", "running instances")
# what a timeline entry leaves behind (the document's state, its entries and notifications, the running
# instances), as against what it does (its events, responses, effects, deliveries, error): a state that
# differs is reported where it starts to differ or differs anew, not again at every later entry (for
# approval entries, the fields that differ: a due date one day later stays one difference while the
# entries are approved on both sides; only the entries that differ are shown)
STATE = frozenset(("status", "restricted", "pending changes", "approval entries", "notifications",
                   "running instances"))


@attrs.frozen
class Difference:
    """One aspect of one timeline entry (``entry``: its number, 1-based) that differs."""

    entry: int
    title: str
    aspect: str
    old: tuple[str, ...]
    new: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"entry": self.entry, "title": self.title, "aspect": self.aspect, "old": list(self.old),
                "new": list(self.new)}


@attrs.frozen
class Comparison:
    """The scenario on both versions. ``first``: the first entry whose outcome differs (None: none
    does). ``unmet``: per side, the scenario's own expectations that were not met."""

    scenario: str
    entries: int
    differences: tuple[Difference, ...]
    unmet_old: tuple[str, ...]
    unmet_new: tuple[str, ...]

    @property
    def first(self) -> int | None:
        return self.differences[0].entry if self.differences else None

    @property
    def same(self) -> bool:
        return not self.differences

    def to_json(self) -> dict[str, Any]:
        return {"scenario": self.scenario, "entries": self.entries, "same": self.same,
                "first_difference": self.first,
                "differences": [d.to_json() for d in self.differences],
                "unmet_expectations": {"old": list(self.unmet_old), "new": list(self.unmet_new)}}


# A fired step as (what it is compared by, what is shown): the old side's steps are compared by the new
# version's id they pair with, so a renumbered step that fired on both sides is the same step
Fired = Callable[[str, int], tuple[str, str]]


def _lines(items: Sequence[Mapping[str, Any]], fmt: Callable[[Mapping[str, Any]], str]) -> tuple[str, ...]:
    return tuple(fmt(i) for i in items)


def _entry(e: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """An approval entry by its fields (without its number, which counts the entries of the whole run)."""
    names = (("approver", "approver"), ("status", "status"), ("sequence", "sequence_no"), ("due", "due_date"),
             ("amount", "amount_lcy"))
    return tuple((name, str(e[key])) for name, key in names)


def _entry_text(fields: tuple[tuple[str, str], ...]) -> str:
    f = dict(fields)
    return f"{f['approver']} {f['status']} (sequence {f['sequence']}, due {f['due']}, {f['amount']})"


# an aspect as (what is compared, what is shown): an approval entry is compared by its fields
Seen = tuple[tuple[Any, ...], tuple[str, ...]]


def _observe(step: Step, fired: Fired) -> dict[str, Seen]:
    """Each aspect of one entry as (compared, shown)."""
    doc = step.document or {}
    h = step.handled
    shown: dict[str, tuple[str, ...]] = {
        "error": ((step.error or {}).get("code", ""),) if step.error else (),
        "outcome": _lines(h, lambda x: f"{x['event']}: {x['outcome']}"
                          + (f" ({x['workflow_code']})" if x.get("workflow_code") else "")),
        "responses": tuple(r["name"].replace("_", " ") for x in h for r in x["responses"]),
        "status": (str(doc.get("status")),) if step.document else (),
        "restricted": (str(doc.get("restricted")),) if step.document else (),
        "pending changes": _lines(doc.get("pending_changes", []),
                                  lambda p: f"{p['field']}: {p['old']} -> {p['new']}"),
        "notifications": _lines(step.notifications, lambda n: f"{n['type']} to {n['recipient']}"),
        "deliveries": _lines(step.deliveries, lambda d: f"{d['to']}: {d['subject']}"),
        "effects": tuple(e["kind"] for e in step.effects),
        "running instances": (str(len(step.running)),),
    }
    got: dict[str, Seen] = {k: (v, v) for k, v in shown.items()}
    entries = tuple(_entry(e) for e in step.approval_entries)
    got["approval entries"] = (entries, tuple(_entry_text(e) for e in entries))
    pairs = [fired(str(x["workflow_code"]), int(x["fired"]["step_id"])) for x in h if x.get("fired")]
    got["fired step"] = (tuple(p[0] for p in pairs), tuple(p[1] for p in pairs))
    return got


def _delta(a: Seen, b: Seen) -> tuple[Any, tuple[str, ...], tuple[str, ...]] | None:
    """How two sides of an aspect differ (None: they do not): what the difference is (the fields that
    differ, item by item, for lists of approval entries of one length) and the items to show."""
    if a[0] == b[0]:
        return None
    items = len(a[0]) == len(b[0]) and all(isinstance(i, tuple) for i in (*a[0], *b[0]))
    if not items:
        return (a[0], b[0]), a[1], b[1]
    at = [k for k in range(len(a[0])) if a[0][k] != b[0][k]]
    what = tuple((k, tuple((f, x, y) for (f, x), (_g, y) in zip(a[0][k], b[0][k], strict=True) if x != y))
                 for k in at)
    return what, tuple(a[1][k] for k in at), tuple(b[1][k] for k in at)


def compare(old: Simulation, new: Simulation, fired_old: Fired, fired_new: Fired) -> list[Difference]:
    out: list[Difference] = []
    before: dict[str, Any] = {}
    for a, b in zip(old.steps, new.steps, strict=True):
        seen_a, seen_b = _observe(a, fired_old), _observe(b, fired_new)
        for aspect in ASPECTS:
            found = _delta(seen_a[aspect], seen_b[aspect])
            what = found[0] if found is not None else None
            if found is not None and not (aspect in STATE and before.get(aspect) == what):
                out.append(Difference(a.n, a.title or b.title, aspect, found[1], found[2]))
            before[aspect] = what
    return out


def fired_by(matchings: Mapping[str, Matching], side: str) -> Fired:
    """How one side names a fired step: ``step N (TEXT)`` shown; compared by the new version's id of
    the step (an old step without a counterpart by its own id, marked as old). ``matchings``: by the
    side's workflow codes (a workflow renamed between two one-workflow files has one on each)."""

    def name(code: str, step: int) -> tuple[str, str]:
        m = matchings.get(code)
        if m is None:
            return f"{code}:{side}:{step}", f"{code} step {step}"
        sh = m.old if side == "old" else m.new
        text = sh.text.get(step, "")
        new_code = m.new.workflow.code
        if side == "old":
            paired = m.pairs.get(step)
            key = f"{new_code}:{paired}" if paired is not None else f"{new_code}:old:{step}"
        else:
            key = f"{new_code}:{step}"
        return key, f"step {step} ({text})" if text else f"step {step}"

    return name


def replay(old_paths: Sequence[str | Path], new_paths: Sequence[str | Path], scenario: str | Path,
           matchings: Sequence[Matching]) -> Comparison:
    """Run ``scenario`` on the old scripts and on the new ones (each on a fresh in-memory store, as
    ``wf simulate`` does) and compare the outcomes entry by entry."""
    old = simulate(list(old_paths), scenario)
    new = simulate(list(new_paths), scenario)
    by_old = {m.old.workflow.code: m for m in matchings}
    by_new = {m.new.workflow.code: m for m in matchings}
    found = compare(old, new, fired_by(by_old, "old"), fired_by(by_new, "new"))
    return Comparison(str(scenario), len(old.steps), tuple(found),
                      tuple(f"entry {s.n}: {f}" for s in old.steps for f in s.failed_expectations),
                      tuple(f"entry {s.n}: {f}" for s in new.steps for f in s.failed_expectations))
