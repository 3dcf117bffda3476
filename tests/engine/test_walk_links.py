"""The engine's walk uses step links worked out once per compiled version (engine_workflows.StepLinks);
on every shipped template, from many step states, it must change the states exactly as the walk on the
step tree itself does (BC's Workflow Management: complete, ignore siblings, arm event children, follow
the response chain and its jumps)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import pytest

from werkstroom.binding.binder import bind
from werkstroom.binding.libraries import load_catalogue
from werkstroom.binding.program import BoundStep, BoundWorkflow
from werkstroom.engine.run import (
    ACTIVE,
    COMPLETED,
    IGNORED,
    INACTIVE,
    _arm_children,
    _ignore_siblings,
    _jump_to,
)
from werkstroom.engine.workflows import StepLinks, compile_workflow
from werkstroom.grammar.parser import parse
from werkstroom.store.database import encode_step_states

TEMPLATES = Path(__file__).resolve().parents[2] / "werkstroom" / "stdlib" / "templates"
STATUSES = (ACTIVE, COMPLETED, IGNORED, "Inactive")


@cache
def bound(path: Path) -> BoundWorkflow:
    pr = parse(path.read_text(encoding="utf-8"), str(path))
    assert pr.ok, pr.diagnostics
    prog = bind([pr], load_catalogue(partners=False)[0], template=True)
    (wf,) = prog.workflows
    return wf


def reference_walk(wf: BoundWorkflow, states: dict[int, str], step: BoundStep) -> list[int]:
    """The walk on the step tree (the engine's earlier closures); the responses it would run."""

    def set_status(step_id: int, status: str) -> None:
        if status == INACTIVE:
            states.pop(step_id, None)
        else:
            states[step_id] = status

    def ignore_siblings(s: BoundStep) -> None:
        if s.parent is None:
            return
        for sib in wf.children(s.parent):
            if sib.id != s.id and sib.kind == "event" and states.get(sib.id) in (ACTIVE, None):
                set_status(sib.id, IGNORED)

    def deactivate_below(step_id: int) -> None:
        for child in wf.children(step_id):
            set_status(child.id, INACTIVE)
            deactivate_below(child.id)

    def arm(event_step: BoundStep) -> None:
        set_status(event_step.id, ACTIVE)
        deactivate_below(event_step.id)

    def activate_event_children(step_id: int) -> None:
        for child in wf.children(step_id):
            if child.kind == "event":
                arm(child)

    def jump_to(target: BoundStep) -> None:
        if target.kind == "event":
            arm(target)
        else:
            cur: BoundStep | None = target
            while cur is not None:
                set_status(cur.id, COMPLETED)
                activate_event_children(cur.id)
                cur = next((c for c in wf.children(cur.id) if c.kind == "response"), None)
        ignore_siblings(target)

    ran: list[int] = []
    set_status(step.id, COMPLETED)
    ignore_siblings(step)
    activate_event_children(step.id)
    current = step
    while True:
        responses = [c for c in wf.children(current.id) if c.kind == "response"]
        if not responses:
            break
        resp = responses[0]
        ran.append(resp.id)
        if resp.next_step is not None:
            jump_to(wf.step(resp.next_step))
        set_status(resp.id, COMPLETED)
        activate_event_children(resp.id)
        current = resp
    if step.next_step is not None:
        jump_to(wf.step(step.next_step))
    return ran


def linked_walk(links: Mapping[int, StepLinks], states: dict[int, str], step: BoundStep) -> list[int]:
    """The walk as ``Run._fire`` does it, on the compiled version's links."""
    ran: list[int] = []
    lk = links[step.id]
    states[step.id] = COMPLETED
    _ignore_siblings(states, lk)
    _arm_children(states, lk)
    while (resp := lk.first_response) is not None:
        ran.append(resp.id)
        if resp.next_step is not None:
            _jump_to(states, links, links[resp.next_step])
        states[resp.id] = COMPLETED
        lk = links[resp.id]
        _arm_children(states, lk)
    if step.next_step is not None:
        _jump_to(states, links, links[step.next_step])
    return ran


@pytest.mark.parametrize("path", sorted(TEMPLATES.glob("*.wf")), ids=lambda p: p.stem)
def test_the_linked_walk_is_the_tree_walk(path: Path) -> None:
    wf = bound(path)
    cw = compile_workflow(0, 0, "", wf)
    rnd = random.Random(path.stem)
    for step in wf.steps:
        if step.kind != "event":
            continue
        for _ in range(20):
            start = {s.id: rnd.choice(STATUSES) for s in wf.steps if rnd.random() < 0.5}
            start = {k: v for k, v in start.items() if v != INACTIVE}
            expected, got = dict(start), dict(start)
            assert linked_walk(cw.links, got, step) == reference_walk(wf, expected, step)
            assert got == expected
            assert cw.encode_states(got) == encode_step_states(expected)
            assert cw.encode_states(got) == encode_step_states(expected)  # a second time: the kept text


@pytest.mark.parametrize("path", sorted(TEMPLATES.glob("*.wf")), ids=lambda p: p.stem)
def test_waiting_event_steps_come_in_sibling_order(path: Path) -> None:
    wf = bound(path)
    cw = compile_workflow(0, 0, "", wf)
    names = {s.name for s in wf.steps if s.kind == "event"}
    for name in names:
        expected = sorted((s for s in wf.steps if s.kind == "event" and s.name == name),
                          key=lambda s: (s.sequence_no, s.id))
        assert list(cw.events_named[name]) == expected
