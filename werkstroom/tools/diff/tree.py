"""A workflow version as the diff reads it: each event step with the chain of responses it runs and the
alternative events armed after that chain, each step's place in the tree and its text as written.

The bound program stores BC's step table (``parent``, ``sequence_no``, ``next_step``); the engine runs an
event's chain by following each step's first response child and arms the event steps under the chain
(``engine.workflows.step_links``). This module reads the same table the same way, so the diff speaks
of what the engine would do.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from ...binding.program import BoundStep, BoundWorkflow


@attrs.frozen
class Shape:
    """One version's tree. ``chain``: an event step's responses, in the order they run. ``alternatives``:
    the event steps armed once an event step's chain has run (None: the entry points), in priority
    order. ``owner``: the event step whose chain or alternatives hold a step (None for an entry point).
    ``place``: where a step is, as a path of events from the entry point (``PurchaseDocSentForApproval >
    ApprovalRequestApproved#2``; ``#k`` tells apart siblings on the same event). ``text``: the step as
    written in the script (an event step's ``on EVENT when CONDITION``, a response's line)."""

    workflow: BoundWorkflow
    steps: dict[int, BoundStep]
    chain: dict[int, tuple[int, ...]]
    alternatives: dict[int | None, tuple[int, ...]]
    owner: dict[int, int | None]
    place: dict[int, str]
    text: dict[int, str]

    def order(self) -> Iterator[int]:
        """Every step the engine can reach, in tree order: an event step, its chain, then its
        alternatives with what is under them."""
        todo = list(reversed(self.alternatives.get(None, ())))
        while todo:
            event = todo.pop()
            yield event
            yield from self.chain.get(event, ())
            todo.extend(reversed(self.alternatives.get(event, ())))

    def where(self, step_id: int) -> str:
        """The place of a step: an event step's own path; a response's is its event's."""
        step = self.steps[step_id]
        if step.kind == "event":
            return self.place[step_id]
        owner = self.owner.get(step_id)
        return self.place[owner] if owner is not None else ""

    def describe(self, step_id: int) -> str:
        """``step N (TEXT)``, as a report names a step."""
        return f"step {step_id} ({self.text[step_id]})"


def _sorted_events(steps: tuple[BoundStep, ...]) -> list[BoundStep]:
    return sorted((s for s in steps if s.kind == "event"), key=lambda s: (s.sequence_no, s.id))


def _first_response(wf: BoundWorkflow, step_id: int) -> BoundStep | None:
    return next((c for c in wf.children(step_id) if c.kind == "response"), None)


def shape(wf: BoundWorkflow) -> Shape:
    """The tree of ``wf`` as the engine walks it (steps it can never reach are left out)."""
    steps = {s.id: s for s in wf.steps}
    chain: dict[int, tuple[int, ...]] = {}
    alternatives: dict[int | None, tuple[int, ...]] = {}
    owner: dict[int, int | None] = {}
    roots = _sorted_events(tuple(s for s in wf.steps if s.parent is None))
    alternatives[None] = tuple(s.id for s in roots)
    for s in roots:
        owner[s.id] = None
    todo = [s.id for s in roots]
    while todo:
        event = todo.pop(0)
        if event in chain:  # a stored table whose parents loop: each step is read once
            continue
        links: list[int] = []
        cur = _first_response(wf, event)
        while cur is not None and cur.id not in owner:
            links.append(cur.id)
            owner[cur.id] = event
            cur = _first_response(wf, cur.id)
        chain[event] = tuple(links)
        armed = [c for anchor in (event, *links) for c in _sorted_events(wf.children(anchor))
                 if c.id not in owner]
        alternatives[event] = tuple(c.id for c in armed)
        for c in armed:
            owner[c.id] = event
            todo.append(c.id)
    place: dict[int, str] = {}
    _places(steps, alternatives, None, "", place)
    text = {i: _text(wf, steps[i]) for i in owner}
    return Shape(wf, steps, chain, alternatives, owner, place, text)


def _places(steps: dict[int, BoundStep], alternatives: dict[int | None, tuple[int, ...]],
            parent: int | None, prefix: str, out: dict[int, str]) -> None:
    todo: list[tuple[int | None, str]] = [(parent, prefix)]
    while todo:
        at, before = todo.pop()
        kids = alternatives.get(at, ())
        names = [steps[k].name for k in kids]
        for k in kids:
            if k in out:
                continue
            name = steps[k].name
            same = [j for j in kids if steps[j].name == name]
            own = f"{name}#{same.index(k) + 1}" if names.count(name) > 1 else name
            out[k] = f"{before} > {own}" if before else own
            todo.append((k, out[k]))


def _text(wf: BoundWorkflow, step: BoundStep) -> str:
    """The step as written: the source text of a response line (label included), ``on EVENT when
    CONDITION`` for an event step; without a source, the response's name in words."""
    if step.kind == "event":
        return f"on {step.name}" + (f" when {step.condition_text}" if step.condition_text else "")
    span = step.span
    if wf.source and 0 <= span.start < span.end <= len(wf.source):
        written = " ".join(wf.source[span.start:span.end].split())
        if written:
            return written
    return step.name.replace("_", " ") + (f" as {step.label}" if step.label else "")


def ahead(sh: Shape, event: int) -> set[int]:
    """The steps an instance waiting on ``event`` can still reach: the event itself, its chain, the
    alternatives after it with everything under them, and where ``continue at`` leads from there (a
    response target completes the rest of its chain and arms its event's alternatives again)."""
    seen: set[int] = set()
    todo = [event]

    def jump(target: int) -> None:
        step = sh.steps.get(target)
        if step is None or target not in sh.owner:
            return
        if step.kind == "event":
            todo.append(target)
            return
        owner = sh.owner[target]
        if owner is None:
            return
        links = sh.chain[owner]
        for r in links[links.index(target):]:
            if r not in seen:
                seen.add(r)
                nxt = sh.steps[r].next_step
                if nxt is not None:
                    jump(nxt)
        todo.extend(sh.alternatives.get(owner, ()))

    while todo:
        e = todo.pop()
        if e in seen:
            continue
        seen.add(e)
        own = sh.steps[e].next_step
        if own is not None:
            jump(own)
        for r in sh.chain.get(e, ()):
            seen.add(r)
            nxt = sh.steps[r].next_step
            if nxt is not None:
                jump(nxt)
        todo.extend(sh.alternatives.get(e, ()))
    return seen
