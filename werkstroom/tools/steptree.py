"""The step tree of a bound workflow as nodes and edges, the one model `wf graph` (mermaid, DOT, SVG)
and `wf show --grid` draw; and loading the workflows of a file (or of an MS- template) for them.

Every BC workflow step is a node: an event step (its event name and condition, as written) or a
response step (its phrase, as written, and its ``as`` label). Edges: ``next`` from a step to the one
after it in the tree (an event to its first response, a response to the next response of the chain,
a response to the single event waiting under it), ``alternative`` from a step to each of several
events waiting under it (labelled with their priority, 1 first), and ``jump`` from the step holding a
``continue at`` to the labelled response (a back edge).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Sequence
from typing import Any

import attrs

from ..binding.program import BoundStep, BoundWorkflow
from ..diagnostics import Diagnostic
from ..errors import WerkstroomError
from ..source import SourceFile

__all__ = ["Edge", "Loaded", "Node", "StepTree", "load_workflows", "step_tree"]

_SPACES = re.compile(r"\s+")


@attrs.frozen
class Node:
    """One step. ``kind``: ``event`` or ``response``. ``title``: the event name or the response phrase.
    ``condition``: an event's condition text ('' = always). ``label``: a response's ``as`` label.
    ``depth``: steps above it in the tree (the entry point 0). ``level``: events above it (the grid's
    indentation: an entry event 0, an event waiting under it 1, its responses as their event)."""

    step: int
    kind: str
    title: str
    condition: str = ""
    label: str = ""
    depth: int = 0
    level: int = 0

    @property
    def id(self) -> str:
        return f"s{self.step}"


@attrs.frozen
class Edge:
    """``source`` -> ``target`` (step ids). ``kind``: ``next``, ``alternative`` or ``jump``. ``label``:
    the priority of an alternative (``1`` first), ``continue at LABEL`` for a jump, else ''."""

    source: int
    target: int
    kind: str
    label: str = ""


@attrs.frozen
class StepTree:
    """A workflow's nodes (by step id) and edges (tree edges in step order, then the jumps)."""

    code: str
    description: str
    category: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    @property
    def title(self) -> str:
        return f"{self.code}: {self.description}" if self.description else self.code

    def node(self, step: int) -> Node:
        return self.nodes[step - 1]

    def children(self, step: int) -> tuple[Node, ...]:
        """The steps after ``step`` in the tree (its next response, or its waiting events by priority)."""
        return self._children.get(step, ())

    @functools.cached_property
    def _children(self) -> dict[int, tuple[Node, ...]]:
        found: dict[int, list[Node]] = {}
        for e in self.edges:
            if e.kind != "jump":
                found.setdefault(e.source, []).append(self.node(e.target))
        return {k: tuple(v) for k, v in found.items()}

    @property
    def roots(self) -> tuple[Node, ...]:
        targets = {e.target for e in self.edges if e.kind != "jump"}
        return tuple(n for n in self.nodes if n.step not in targets)


def _written(wf: BoundWorkflow, step: BoundStep) -> str:
    """The response phrase as written (one line, without its ``as`` label), or its name and options
    when the workflow has no source text."""
    text = wf.source[step.span.start:step.span.end] if wf.source and step.span.end > step.span.start else ""
    text = _SPACES.sub(" ", text).strip()
    if text and step.label:
        text = re.sub(rf"\s+as\s+{re.escape(step.label)}$", "", text, flags=re.I)
    if text:
        return text
    opts = [f"{k}={v}" for k, v in step.options.items() if v not in (None, "", False)]
    return step.name.replace("_", " ") + (f" ({', '.join(opts)})" if opts else "")


def step_tree(wf: BoundWorkflow) -> StepTree:
    """The step tree of ``wf`` (see the module docstring)."""
    nodes: list[Node] = []
    depth: dict[int, int] = {}
    level: dict[int, int] = {}
    for s in wf.steps:
        above = s.parent
        depth[s.id] = 0 if above is None else depth[above] + 1
        if s.kind == "event":
            level[s.id] = 0 if above is None else level[above] + 1
            nodes.append(Node(s.id, "event", s.name, _SPACES.sub(" ", s.condition_text).strip(),
                              depth=depth[s.id], level=level[s.id]))
        else:
            level[s.id] = 0 if above is None else level[above]
            nodes.append(Node(s.id, "response", _written(wf, s), label=s.label or "",
                              depth=depth[s.id], level=level[s.id]))
    edges: list[Edge] = []
    for s in wf.steps:
        kids = sorted(wf.children(s.id), key=lambda k: (k.sequence_no, k.id))
        events = [k for k in kids if k.kind == "event"]
        for k in kids:
            if k.kind == "event" and len(events) > 1:
                edges.append(Edge(s.id, k.id, "alternative", str(events.index(k) + 1)))
            else:
                edges.append(Edge(s.id, k.id, "next"))
    for s in wf.steps:
        if s.next_step is not None:
            target = wf.step(s.next_step)
            edges.append(Edge(s.id, target.id, "jump", f"continue at {target.label or target.id}"))
    return StepTree(wf.code, wf.description, wf.category, tuple(nodes), tuple(edges))


@attrs.frozen
class Loaded:
    """What ``load_workflows`` found: the chosen workflows, every diagnostic of the file, the sources
    (for rendering the diagnostics) and whether reading failed (WF100: an I/O error)."""

    workflows: tuple[BoundWorkflow, ...]
    diagnostics: tuple[Diagnostic, ...]
    sources: dict[str, SourceFile]
    io_failed: bool = False

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.is_error)


def _template_source(target: str) -> SourceFile | None:
    """The text of the catalogue template named ``target`` (``MS-PIAPW``, case-insensitive) when no
    file of that name exists."""
    if os.path.exists(target):
        return None
    from ..binding.libraries import load_catalogue

    catalogue, _diags = load_catalogue()
    spec = catalogue.template(target.upper())
    return None if spec is None else SourceFile(spec.path, spec.text)


def load_workflows(target: str, workflow: str | None = None) -> Loaded:
    """Read, parse and bind ``target`` (a .wf file, or the code of a catalogue template) and choose
    its workflows: all of them, or the one whose code is ``workflow`` (case-insensitive; a
    WerkstroomError WF509 with a "did you mean" when the file has none of that code). With errors
    in the file, ``workflows`` is empty and ``errors`` says why."""
    from ..binding.checking import check_paths, check_sources

    template = _template_source(target)
    result = check_paths([target]) if template is None else check_sources([template])
    diags = tuple(result.diagnostics)
    sources = dict(result.sources)
    if any(d.is_error for d in diags) or result.program is None:
        return Loaded((), diags, sources, result.io_failed)
    found: Sequence[BoundWorkflow] = result.program.workflows
    if workflow is not None:
        found = [wf for wf in found if wf.code.casefold() == workflow.casefold()]
        if not found:
            raise WerkstroomError(_unknown(target, workflow, result.program.workflows), code="WF509")
    return Loaded(tuple(found), diags, sources)


def _unknown(target: str, workflow: str, workflows: Sequence[Any]) -> str:
    from ..spelling import did_you_mean

    codes = [wf.code for wf in workflows]
    hint = did_you_mean(workflow, codes)
    listed = ", ".join(codes) if codes else "none"
    return (f"{target} has no workflow `{workflow}`" + (f"; {hint}" if hint else "")
            + f" (its workflows: {listed})")
