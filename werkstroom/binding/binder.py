"""The binder: parsed scripts plus the catalogue give a ``BoundProgram`` (BC-shaped step tables).

``bind(parsed, catalogue)`` never stops at the first problem: it binds every workflow, step,
condition and response it can and returns every diagnostic it finds (WF2xx names, WF3xx types and
options, WF4xx shape; then, when there are no errors, the WF42x meaning checks of ``overlap.py``).
The parse diagnostics stay with the parse results (the caller reports them).
Steps get ids in source order; a response chain ``r1 r2`` under an event ``e`` becomes
``e -> r1 -> r2``; nested ``on`` steps hang under the last response (or under the event when it
has none); ``sequence_no`` is 1 for entry points and k for the k-th child (0-based) of a step, as
BC's Workflow Setup sets it; ``continue at L`` becomes
``next_step`` on the last response before it (or on the event step when none precedes it).

Combination rules (BC's WF Event/Response Combination table): a nested event must name one of its
ancestor events (nearest first) among its predecessors, unless it has none (independent events may
follow anything); a response with ``allowed_after`` must follow one of those events (the nearest
ancestor event). BC's own templates nest a few events under an intermediate event (e.g. credit limit
exceeded, then approved), which is why every ancestor event is accepted for events.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePath
from typing import Any, Protocol

import attrs

from ..catalogue.specs import (
    MANDATORY_HELP,
    EventSpec,
    RecordSpec,
    ResponseSpec,
    mandatory_fix,
    run_mandatory,
)
from ..codes import binding as c
from ..diagnostics import Diagnostic, Label, Severity, has_errors
from ..grammar import ast
from ..source import NO_SPAN, Span
from ..spelling import did_you_mean, suggest
from .expressions import ExprBinder
from .overlap import analyse
from .phrases import phrase_binder_of
from .program import BExpr, BoundProgram, BoundStep, BoundWorkflow

MAX_CODE_LENGTH = 20


class CatalogueView(Protocol):
    """What the binder needs from a catalogue (``werkstroom.catalogue.catalogue.Catalogue`` provides it)."""

    def event(self, name: str) -> EventSpec | None: ...

    def record(self, name: str) -> RecordSpec | None: ...

    def response(self, name: str) -> ResponseSpec | None: ...

    @property
    def responses(self) -> Any: ...

    @property
    def events(self) -> Any: ...


class ParsedScript(Protocol):
    """A parse result: ``script``, ``diagnostics`` and the ``source`` file (text and path)."""

    @property
    def script(self) -> ast.Script: ...

    @property
    def diagnostics(self) -> Sequence[Diagnostic]: ...

    @property
    def source(self) -> Any: ...


def _values(coll: Any) -> list[Any]:
    if isinstance(coll, Mapping):
        return list(coll.values())
    return list(coll)


def library_of(catalogue: CatalogueView, spec: ResponseSpec) -> str:
    """"NAME VERSION" of the library that declares a response, '' when the catalogue cannot say."""
    try:
        return str(catalogue.origin("response", spec.name))  # type: ignore[attr-defined]
    except Exception:  # a catalogue view without origins (tests' fakes): the message names no library
        return ""


def event_names(catalogue: CatalogueView) -> list[str]:
    """Every name a script may use for an event (DSL names, then BC codes and aliases)."""
    evs = _values(catalogue.events)
    return [e.name for e in evs] + [a for e in evs for a in (e.bc_code, *e.aliases) if a]


TEMPLATE_COMBINATIONS: frozenset[tuple[str, str]] = frozenset({
    # (event or response BC code, the BC code of the event it follows)
    ("RUNWORKFLOWONAPPROVEAPPROVALREQUEST", "RUNWORKFLOWONSENDVENDORBANKACCOUNTFORAPPROVAL"),
    ("RUNWORKFLOWONREJECTAPPROVALREQUEST", "RUNWORKFLOWONSENDVENDORBANKACCOUNTFORAPPROVAL"),
    ("RUNWORKFLOWONDELEGATEAPPROVALREQUEST", "RUNWORKFLOWONSENDVENDORBANKACCOUNTFORAPPROVAL"),
    ("RELEASEDOCUMENT", "RUNWORKFLOWONAFTERRECEIVEFROMDOCEXCHINCOMINGDOC"),
})
"""Combinations BC's own templates use although the event/response combination table (the lookup
filter of the workflow editor) lacks them: MS-VENDBANKACCAPW (its events are newer than the table
entries) and MS-INCDOC-DOCEXCH (releases the incoming document right after it is received). Accepted
so the templates, and copies of them, bind cleanly."""

TEMPLATE_PREFIX = "MS-"
"""Workflow codes starting with this are Microsoft's templates (BC reserves the prefix): bound as
templates (never enabled; options a copy must fill in are not reported)."""


def _ev_keys(ev: EventSpec) -> set[str]:
    return {k.lower() for k in (ev.name, ev.bc_code, *ev.aliases) if k}


def _listed(ev: EventSpec, names: Iterable[str]) -> bool:
    keys = _ev_keys(ev)
    return any(n.lower() in keys for n in names)


@attrs.define
class _Row:
    id: int
    kind: str
    name: str
    parent: int | None
    sequence_no: int
    entry_point: bool = False
    record_type: str = ""
    condition: BExpr | None = None
    condition_text: str = ""
    options: Mapping[str, Any] = attrs.field(factory=dict)
    label: str | None = None
    next_step: int | None = None
    span: Span = NO_SPAN

    def freeze(self) -> BoundStep:
        return BoundStep(self.id, self.kind, self.name, self.parent, self.sequence_no, self.next_step,
                         self.entry_point, self.record_type, self.condition, self.condition_text,
                         dict(self.options), self.label, span=self.span)


class _WorkflowBinder:
    def __init__(self, binder: Binder, source_text: str, template: bool) -> None:
        self.b = binder
        self.text = source_text
        self.template = template
        self.rows: list[_Row] = []
        self.labels: dict[str, tuple[int, ast.Name]] = {}
        self.jumps: list[tuple[int, ast.Jump]] = []
        self.phrases: list[str] = []

    @property
    def diags(self) -> list[Diagnostic]:
        return self.b.diags

    def _new(self, kind: str, name: str, parent: int | None, seq: int, span: Span) -> _Row:
        row = _Row(len(self.rows) + 1, kind, name, parent, seq, span=span)
        self.rows.append(row)
        return row

    def _slice(self, span: Span) -> str:
        if span is NO_SPAN or span.end <= span.start or span.end > len(self.text):
            return ""
        lines = [_strip_comment(ln) for ln in self.text[span.start:span.end].splitlines()]
        return " ".join(" ".join(lines).split())

    def step(self, step: ast.Step, parent: int | None, seq: int,
             ancestors: tuple[tuple[EventSpec, Span], ...]) -> None:
        ev = self.b.event(step.event)
        row = self._new("event", ev.name if ev else step.event.text, parent, 1 if parent is None else seq,
                        step.span)
        row.entry_point = parent is None
        if ev is not None:
            row.record_type = ev.record
            self._check_predecessor(step, ev, ancestors)
            if parent is None and ev.predecessors:
                self._not_an_entry(step, ev)
            rec = self.b.catalogue.record(ev.record)
            if rec is None:
                self.diags.append(Diagnostic(
                    c.UNKNOWN_RECORD, Severity.ERROR,
                    f"event `{ev.name}` carries record type `{ev.record}`, which the catalogue lacks",
                    span=step.event.span, label="unknown record type"))
            elif step.condition is not None:
                eb = ExprBinder(rec, self.b.catalogue.record, ev, self.diags)
                row.condition = eb.bind(step.condition)
                row.condition_text = self._slice(step.condition.span)
        elif step.condition is not None:
            row.condition_text = self._slice(step.condition.span)
        last = row.id
        nested: list[ast.Step] = []
        jumped: ast.Jump | None = None
        for item in step.body:
            if isinstance(item, ast.Step):
                if jumped is not None:
                    self._misplaced(item.span, "a nested step after `continue at` never waits",
                                    "put nested steps before the jump, or drop the jump", jumped.span)
                nested.append(item)
                continue
            if isinstance(item, ast.Jump):
                if jumped is not None:
                    self._misplaced(item.span, "a step can jump only once", "keep one `continue at`",
                                    jumped.span)
                    continue
                if nested:
                    self._misplaced(item.span, "`continue at` must come before the nested steps",
                                    "move the jump up, right after the responses", nested[0].span)
                jumped = item
                self.jumps.append((last, item))
                continue
            if jumped is not None:
                self._misplaced(item.span, "a response after `continue at` would never run",
                                "move it above the jump", jumped.span)
            elif nested:
                self._misplaced(item.span, "responses must come before the nested `on` steps",
                                "move the response up, above the first nested step", nested[0].span)
            last = self.response(item, last, ev, step).id
        for k, sub in enumerate(nested):
            self.step(sub, last, k, ((ev, step.event.span), *ancestors) if ev else ancestors)

    def _misplaced(self, span: Span, message: str, help: str, other: Span) -> None:
        self.diags.append(Diagnostic(c.MISPLACED_ITEM, Severity.ERROR, message, span=span,
                                     label="misplaced", help=help,
                                     related=(Label(other, "because of this"),)))

    def _check_predecessor(self, step: ast.Step, ev: EventSpec,
                           ancestors: tuple[tuple[EventSpec, Span], ...]) -> None:
        if not ancestors or not ev.predecessors:
            return
        if any(_listed(a, ev.predecessors) or (ev.bc_code, a.bc_code) in TEMPLATE_COMBINATIONS
               for a, _ in ancestors):
            return
        parent_ev, parent_span = ancestors[0]
        shown = ", ".join(ev.predecessors[:6]) + (", ..." if len(ev.predecessors) > 6 else "")
        self.diags.append(Diagnostic(
            c.EVENT_NOT_AFTER, Severity.ERROR,
            f"`{ev.name}` cannot follow `{parent_ev.name}`",
            span=step.event.span, label="not allowed here",
            help=f"`{ev.name}` may follow: {shown}",
            related=(Label(parent_span, "the step it is nested under"),)))

    def _not_an_entry(self, step: ast.Step, ev: EventSpec) -> None:
        """BC offers only independent events (no predecessors) as a workflow's first step: an event
        that follows others (an approval, a cancelation) never starts an instance."""
        shown = ", ".join(ev.predecessors[:6]) + (", ..." if len(ev.predecessors) > 6 else "")
        starters = [e.name for e in _values(self.b.catalogue.events)
                    if e.record == ev.record and not e.predecessors]
        note = (f"events that can start a workflow on {ev.record}: {', '.join(starters)}" if starters
                else f"no event on {ev.record} can start a workflow")
        self.diags.append(Diagnostic(
            c.NOT_AN_ENTRY_EVENT, Severity.ERROR,
            f"`{ev.name}` cannot start a workflow: it only follows other events", span=step.event.span,
            label="not an entry point", help=f"nest it under a step on an event it may follow: {shown}",
            notes=(note,)))

    def response(self, resp: ast.Response, parent: int, ev: EventSpec | None, step: ast.Step) -> _Row:
        bound = self.b.phrases.bind(resp, self.diags)
        self.phrases.append(resp.phrase.words)
        row = self._new("response", bound.spec.name if bound else resp.phrase.words, parent, 0, resp.span)
        if bound is not None:
            row.options = dict(bound.options)
            spec = bound.spec
            if (ev is not None and spec.allowed_after and not _listed(ev, spec.allowed_after)
                    and (spec.bc_code, ev.bc_code) not in TEMPLATE_COMBINATIONS):
                shown = ", ".join(spec.allowed_after[:6]) + (", ..." if len(spec.allowed_after) > 6 else "")
                self.diags.append(Diagnostic(
                    c.RESPONSE_NOT_AFTER, Severity.ERROR,
                    f"`{resp.phrase.words}` ({spec.name}) cannot follow `{ev.name}`",
                    span=resp.phrase.span, label="not allowed after this event",
                    help=f"it may follow: {shown}",
                    related=(Label(step.event.span, "the event it follows"),)))
            if spec.mandatory is not None and not self.template:
                msg, broken = run_mandatory(spec, row.options, library_of(self.b.catalogue, spec))
                if broken:
                    self.diags.append(Diagnostic("WF918", Severity.ERROR, broken, span=resp.span,
                                                 label="the check failed", help=MANDATORY_HELP))
                if msg:
                    self.diags.append(Diagnostic(
                        c.MISSING_MANDATORY, Severity.WARNING,
                        f"`{resp.phrase.words}` lacks a mandatory option: {msg}",
                        span=resp.span, label="options missing",
                        help=mandatory_fix(spec, row.options) or spec.mandatory_rule
                        or "add the option after a comma",
                        notes=("BC refuses to enable a workflow until its responses have their "
                               "mandatory options",)))
        if resp.label is not None:
            key = resp.label.text.lower()
            if key in self.labels:
                self.diags.append(Diagnostic(
                    c.DUPLICATE_LABEL, Severity.ERROR, f"label `{resp.label.text}` is used twice",
                    span=resp.label.span, label="second use", help="give each labelled response its own name",
                    related=(Label(self.labels[key][1].span, "first used here"),)))
            else:
                self.labels[key] = (row.id, resp.label)
            row.label = resp.label.text
        return row

    def resolve_jumps(self) -> None:
        for at, jump in self.jumps:
            key = jump.target.text.lower()
            target = self.labels.get(key)
            if target is None:
                names = [n.text for _, n in self.labels.values()]
                hint = did_you_mean(jump.target.text, names)
                if not hint:
                    near = [ph for ph in self.phrases
                            if suggest(jump.target.text, ph.split(), cap=2)]
                    if near:
                        hint = (f"label the response to jump to, e.g. `{near[0]} as {jump.target.text}`")
                    elif names:
                        hint = f"labels in this workflow: {', '.join(names)}"
                    else:
                        hint = "label a response with `as NAME` to jump to it"
                self.diags.append(Diagnostic(
                    c.MISSING_LABEL, Severity.ERROR, f"no response is labelled `{jump.target.text}`",
                    span=jump.target.span, label="unknown label", help=hint))
                continue
            self.rows[at - 1].next_step = target[0]


class Binder:
    """Binds scripts against one catalogue; reusable (response patterns are compiled once per
    catalogue, ``phrase_binder_of``)."""

    def __init__(self, catalogue: CatalogueView) -> None:
        self.catalogue = catalogue
        self.phrases = phrase_binder_of(catalogue, _values(catalogue.responses))
        self._event_names: list[str] | None = None
        self.template_codes = {t.code.upper() for t in getattr(catalogue, "templates", ())}
        self.diags: list[Diagnostic] = []

    def event(self, name: ast.Name) -> EventSpec | None:
        ev = self.catalogue.event(name.text)
        if ev is None:
            if self._event_names is None:
                self._event_names = event_names(self.catalogue)
            self.diags.append(Diagnostic(
                c.UNKNOWN_EVENT, Severity.ERROR, f"there is no event `{name.text}`", span=name.span,
                label="unknown event",
                help=did_you_mean(name.text, self._event_names) or "see `wf catalogue events`"))
        return ev

    def workflow(self, code: ast.Name | None, code_text: str, description: str, category: str,
                 steps: Sequence[ast.Step], span: Span, source_text: str, path: str,
                 template: bool) -> BoundWorkflow:
        wb = _WorkflowBinder(self, source_text, template)
        for s in steps:
            wb.step(s, None, 1, ())
        wb.resolve_jumps()
        if len(code_text) > MAX_CODE_LENGTH:
            self.diags.append(Diagnostic(
                c.CODE_TOO_LONG, Severity.ERROR,
                f"workflow code `{code_text}` has {len(code_text)} characters; BC allows {MAX_CODE_LENGTH}",
                span=code.span if code else span, label="too long",
                help=(f"shorten it, e.g. `{code_text[:MAX_CODE_LENGTH]}`" if code else
                      "the code of a file of bare steps is the file name: rename the file, or start it "
                      f"with a header such as `workflow {code_text[:MAX_CODE_LENGTH]}`")))
        return BoundWorkflow(code_text, description, category, tuple(r.freeze() for r in wb.rows),
                             source=source_text, path=path, template=template, span=span)

    def bind(self, parsed: Sequence[ParsedScript], *, template: bool = False) -> BoundProgram:
        self.diags = []
        workflows: list[BoundWorkflow] = []
        first_seen: dict[str, Span] = {}
        for pr in parsed:
            src = pr.source
            text: str = getattr(src, "text", "") or ""
            path: str = getattr(src, "path", "") or ""
            bare = [i for i in pr.script.items if isinstance(i, ast.Step)]
            items: list[tuple[ast.Workflow | None, list[ast.Step]]] = []
            for item in pr.script.items:
                if isinstance(item, ast.Workflow):
                    items.append((item, list(item.steps)))
            if bare:
                items.insert(0, (None, bare))
            for wf, steps in items:
                if wf is None:
                    code_text = anonymous_code(path)
                    span = steps[0].span
                    bw = self.workflow(None, code_text, "", "", steps, span, text, path, template)
                else:
                    code_text = wf.code.text.upper()
                    span = wf.code.span
                    bw = self.workflow(wf.code, code_text, wf.description.value if wf.description else "",
                                       wf.category.text.upper() if wf.category else "", steps, wf.span, text,
                                       path, template or code_text.startswith(TEMPLATE_PREFIX)
                                       or code_text in self.template_codes)
                prev = first_seen.get(code_text)
                if prev is not None:
                    self.diags.append(Diagnostic(
                        c.DUPLICATE_WORKFLOW, Severity.ERROR, f"workflow `{code_text}` is defined twice",
                        span=span, label="second definition", help="give each workflow its own code",
                        related=(Label(prev, "first defined here"),)))
                else:
                    first_seen[code_text] = span
                workflows.append(bw)
        if not has_errors(self.diags):
            self.diags.extend(analyse(workflows, self.catalogue.record))
        return BoundProgram(tuple(workflows), tuple(self.diags))


def _strip_comment(line: str) -> str:
    """``line`` without a ``#`` comment (a ``#`` inside double quotes is text)."""
    quoted = False
    escaped = False
    for i, ch in enumerate(line):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = quoted
        elif ch == '"':
            quoted = not quoted
        elif ch == "#" and not quoted:
            return line[:i]
    return line


def anonymous_code(path: str) -> str:
    """The code of the workflow formed by a file's bare steps: the file stem, upper-cased."""
    stem = PurePath(path).stem if path and not path.startswith("<") else "SCRIPT"
    return stem.upper()


def bind(parsed: Sequence[ParsedScript], catalogue: CatalogueView, *, template: bool = False) -> BoundProgram:
    """Bind parse results against ``catalogue``. ``template``: mark every workflow as a template (never
    enabled; missing mandatory options are expected and not reported); workflows whose code starts
    with ``MS-`` or is the code of a catalogue template (a partner's) are templates anyway."""
    return Binder(catalogue).bind(parsed, template=template)
