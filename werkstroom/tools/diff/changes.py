"""The step-level changes between two versions of one workflow, from the pairing of their steps.

Each change names the step on both sides (its id in each version, its place and its text as
written). The kinds, in the order a report lists them for one step:

``added`` / ``removed``   a step only one version has (an event step with everything under it: ``below``)
``condition``             an event step's condition (shown as written)
``options``               a response's options (``before`` / ``after``: the options that differ)
``label``                 a response's label (``as NAME``)
``continue at``           where a step jumps to (``continue at LABEL``)
``moved``                 a step now under another event step
``reordered``             a step at another place among its siblings (a response in its chain, an
                          event step among the alternatives, whose order is their priority)
``header``                the workflow's description or category
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from .match import Matching
from .tree import Shape


def plain(value: Any) -> Any:
    """``value`` as JSON data: amounts and other decimals as text, dates as ISO text."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


BEHAVIOUR = ("added", "removed", "condition", "options", "continue at", "moved", "reordered")


@attrs.frozen
class Change:
    """One change. ``step``: what changed, an ``event`` or a ``response`` step (``workflow`` for the
    header: ``text`` names the field). ``old`` / ``new``: the step's id in each version (None where it
    has none).
    ``place``: where it is (the new version's place when it has one). ``text``: the step as written
    (the new version's when it has one). ``before`` / ``after``: what changed. ``below``: for an added
    or removed event step, the ids of the steps under it that come and go with it."""

    kind: str
    step: str
    old: int | None
    new: int | None
    place: str
    text: str
    before: Any = None
    after: Any = None
    below: tuple[int, ...] = ()

    @property
    def behaviour(self) -> bool:
        """Whether it changes what an instance does (a label or the header does not)."""
        return self.kind in BEHAVIOUR

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "step_kind": self.step, "old_step": self.old, "new_step": self.new,
                "place": self.place, "text": self.text, "before": plain(self.before),
                "after": plain(self.after), "below": list(self.below)}


def _under(sh: Shape, root: int, excluded: Mapping[int, int] | set[int]) -> tuple[int, ...]:
    """The steps under ``root`` (its chain, alternatives and theirs) that are not in ``excluded``."""
    out: list[int] = []
    todo = [root]
    while todo:
        e = todo.pop()
        for s in (*sh.chain.get(e, ()), *sh.alternatives.get(e, ())):
            if s not in excluded:
                out.append(s)
            if sh.steps[s].kind == "event":
                todo.append(s)
    return tuple(sorted(out))


def _unpaired(sh: Shape, paired: Mapping[int, int] | set[int], kind: str) -> list[Change]:
    """``added`` or ``removed`` changes: the top-most unpaired steps, each with those under it."""
    out: list[Change] = []
    covered: set[int] = set()
    for s in sh.order():
        if s in paired or s in covered:
            continue
        step = sh.steps[s]
        below = _under(sh, s, paired) if step.kind == "event" else ()
        covered.update(below)
        side = {"old": s, "new": None} if kind == "removed" else {"old": None, "new": s}
        out.append(Change(kind, step.kind, place=sh.where(s), text=sh.text[s], below=below, **side))
    return out


def _rank(ids: tuple[int, ...], keep: set[int]) -> dict[int, int]:
    kept = [i for i in ids if i in keep]
    return {i: k for k, i in enumerate(kept)}


def _siblings(sh: Shape, step: int) -> tuple[int, ...]:
    owner = sh.owner.get(step)
    if sh.steps[step].kind == "response":
        return sh.chain.get(owner, ()) if owner is not None else ()
    return sh.alternatives.get(owner, ())


def _target(sh: Shape, step: int | None) -> str | None:
    if step is None or step not in sh.steps:
        return None
    s = sh.steps[step]
    return s.label or sh.text.get(step, s.name)


def _options(a: Mapping[str, Any], b: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = [k for k in (*a, *(k for k in b if k not in a)) if a.get(k) != b.get(k)]
    return {k: a.get(k) for k in keys}, {k: b.get(k) for k in keys}


def _pair_changes(m: Matching, o: int, n: int) -> list[Change]:
    old, new = m.old, m.new
    a, b = old.steps[o], new.steps[n]
    out: list[Change] = []

    def add(kind: str, before: Any, after: Any) -> None:
        out.append(Change(kind, a.kind, o, n, new.where(n), new.text[n], before, after))

    if a.kind == "event" and a.condition != b.condition:
        add("condition", a.condition_text or "(always)", b.condition_text or "(always)")
    if a.kind == "response":
        before, after = _options(a.options, b.options)
        if before or after:
            add("options", before, after)
        if (a.label or "").lower() != (b.label or "").lower():
            add("label", a.label, b.label)
    jump_old, jump_new = a.next_step, b.next_step
    if (jump_old is None) != (jump_new is None) or (jump_old is not None
                                                   and m.pairs.get(jump_old) != jump_new):
        add("continue at", _target(old, jump_old), _target(new, jump_new))
    owner_old, owner_new = old.owner.get(o), new.owner.get(n)
    if (owner_old is None) != (owner_new is None) or (owner_old is not None
                                                     and m.pairs.get(owner_old) != owner_new):
        add("moved", old.where(o), new.where(n))
    else:
        back = m.back()
        rank_old = _rank(_siblings(old, o), {s for s in _siblings(old, o) if s in m.pairs})
        rank_new = _rank(_siblings(new, n), {s for s in _siblings(new, n) if s in back})
        if rank_old.get(o) != rank_new.get(n):
            add("reordered", _siblings(old, o).index(o) + 1, _siblings(new, n).index(n) + 1)
    return out


def changes(m: Matching) -> list[Change]:
    """Every change from ``m.old`` to ``m.new``, in the new version's tree order (removed steps where
    they were, after the changes of the new tree)."""
    out: list[Change] = []
    a, b = m.old.workflow, m.new.workflow
    for what, before, after in (("description", a.description, b.description),
                                ("category", a.category, b.category)):
        if before != after:
            out.append(Change("header", "workflow", None, None, "", what, before, after))
    back = m.back()
    added = {c.new: c for c in _unpaired(m.new, back, "added")}
    for n in m.new.order():
        if n in added:
            out.append(added[n])
        elif n in back:
            out.extend(_pair_changes(m, back[n], n))
    out.extend(_unpaired(m.old, m.pairs, "removed"))
    return out


def _steps(c: Change) -> str:
    if c.old is not None and c.new is not None and c.old != c.new:
        return f"step {c.old} (now {c.new})"
    return f"step {c.old if c.old is not None else c.new}"


def _options_text(before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    return ", ".join(f"{k} {_shown(before.get(k))} -> {_shown(after.get(k))}" for k in before)


def _shown(value: Any) -> str:
    return "(none)" if value is None else str(plain(value))


def summary(c: Change, *, place: bool = True, full: bool = True) -> str:
    """The change in one line, as the verdict's reasons say it. ``place``: name where a response is;
    ``full``: give a condition's old and new text (the text report shows them on lines of their own)."""
    what = f"{_steps(c)} ({c.text})"
    if c.kind == "header":
        return f"{c.text}: {_shown(c.before)!r} -> {_shown(c.after)!r}"
    if c.kind in ("added", "removed"):
        ids = ", ".join(str(b) for b in c.below)
        under = f", with step{'s' if len(c.below) != 1 else ''} {ids} under it" if c.below else ""
        return f"{c.kind} {what}{under}" + (f" in {c.place}" if place and c.step == "response" else "")
    if c.kind == "condition":
        event = c.text.split(" when ", 1)[0]
        return f"condition of {_steps(c)} ({event})" + (f": `{c.before}` -> `{c.after}`" if full else "")
    if c.kind == "options":
        return f"options of {what}: {_options_text(c.before, c.after)}"
    if c.kind == "label":
        return f"label of {what}: {_shown(c.before)} -> {_shown(c.after)}"
    if c.kind == "continue at":
        return f"{what} continues at {_shown(c.after)} instead of {_shown(c.before)}"
    if c.kind == "moved":
        return f"{what} moved from {c.before or '(the top)'} to {c.after or '(the top)'}"
    where = "in its response chain" if c.step == "response" else "among the alternatives (its priority)"
    return f"{what} is now number {c.after} instead of {c.before} {where}"
