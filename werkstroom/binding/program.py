"""The bound program: workflows as BC-shaped step tables with typed conditions, the binder's output and
the engine's only input.

Shape (mirrors BC's Workflow Step table so templates compare one to one with ``catalogue.json``):
every event and every response is a ``BoundStep`` with an integer ``id`` (1-based, in source order,
BC's insertion order), a ``parent`` (Previous Workflow Step ID; None for the entry point), a
``sequence_no`` among siblings, and an optional ``next_step`` (a ``continue at`` jump). A chain of
responses ``r1 r2 r3`` under an event ``e`` is the chain e -> r1 -> r2 -> r3 (each response the
parent of the next), and nested ``on`` steps hang under the last response of the chain.

Conditions are ``BExpr`` trees whose every leaf is typed; the condition compiler turns them into
Python code objects. The engine never sees AST nodes.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeAlias

import attrs

from ..catalogue.specs import FieldKind
from ..diagnostics import Diagnostic
from ..source import NO_SPAN, Span

Value: TypeAlias = Decimal | int | str | bool | dt.date | dt.datetime | None


# --------------------------------------------------------------------------- typed conditions


@attrs.frozen
class BField:
    """A field read. ``path``: relation names then the field (``("vendor", "blocked")``); for a field
    of the event record just ``("amount",)``. ``kind``: the field's type. ``old``: read the record's
    previous values (change events). ``enum``: the enum name for ENUM fields."""

    path: tuple[str, ...]
    kind: FieldKind
    old: bool = False
    enum: str | None = None
    span: Span = attrs.field(default=NO_SPAN, eq=False, repr=False)


@attrs.frozen
class BConst:
    """A constant already converted to the compared field's type (Decimal for money, the canonical
    enum value for enums, a date for dates). ``kind``: its type."""

    value: Value
    kind: FieldKind
    span: Span = attrs.field(default=NO_SPAN, eq=False, repr=False)


@attrs.frozen
class BCompare:
    """``left op right`` with op in ``= <> < <= > >=``; both sides have compatible kinds."""

    op: str
    left: BExpr
    right: BExpr
    span: Span = attrs.field(default=NO_SPAN, eq=False, repr=False)


@attrs.frozen
class BRange:
    """Inclusive ``low..high``; a None bound is open."""

    low: BConst | None
    high: BConst | None


@attrs.frozen
class BIn:
    """``operand in [items]``; items are constants or ranges. ``negated`` for ``not in``."""

    operand: BField
    items: tuple[BConst | BRange, ...]
    negated: bool = False
    span: Span = attrs.field(default=NO_SPAN, eq=False, repr=False)


@attrs.frozen
class BText:
    """Case-insensitive text test: ``contains`` | ``starts with`` | ``ends with`` | ``is empty`` |
    ``is not empty``. ``pattern`` is None for the emptiness tests."""

    op: str
    operand: BField
    pattern: BConst | None
    span: Span = attrs.field(default=NO_SPAN, eq=False, repr=False)


@attrs.frozen
class BChange:
    """BC Workflow Rule: ``increased`` (old < new), ``decreased`` (old > new), ``changed`` (old <> new);
    numbers, dates and datetimes compare by value, everything else as text."""

    field: BField
    kind: str
    span: Span = attrs.field(default=NO_SPAN, eq=False, repr=False)


@attrs.frozen
class BQuantified:
    """``any|all|no`` over the related records of ``relation`` (path of relation names).
    ``condition`` is evaluated with each related record as the current record (None: exists)."""

    quantifier: str
    relation: tuple[str, ...]
    record_type: str
    condition: BExpr | None
    span: Span = attrs.field(default=NO_SPAN, eq=False, repr=False)


@attrs.frozen
class BAnd:
    operands: tuple[BExpr, ...]
    span: Span = attrs.field(default=NO_SPAN, eq=False, repr=False)


@attrs.frozen
class BOr:
    operands: tuple[BExpr, ...]
    span: Span = attrs.field(default=NO_SPAN, eq=False, repr=False)


@attrs.frozen
class BNot:
    operand: BExpr
    span: Span = attrs.field(default=NO_SPAN, eq=False, repr=False)


BExpr: TypeAlias = BField | BConst | BCompare | BIn | BText | BChange | BQuantified | BAnd | BOr | BNot


# --------------------------------------------------------------------------- steps and workflows


@attrs.frozen
class BoundStep:
    """One BC workflow step.

    ``id``: 1-based, in source order. ``kind``: ``"event"`` or ``"response"``. ``name``: the event
    name or the response spec name. ``parent``: previous step id (None for the entry point).
    ``sequence_no``: as BC's Workflow Setup sets it: 1 for an entry point, k for the k-th child
    (0-based) of its parent, so a response (the only child of its parent) has 0 and alternative
    events under one step have 0, 1, 2, ... in priority order. ``next_step``: jump target id
    (``continue at``). Event steps: ``record_type``, ``condition`` (None = always),
    ``condition_text`` (the source text, for timelines). Response steps: ``options`` (bound values,
    defaults filled), ``label``. ``entry_point``: the root event step.
    """

    id: int
    kind: str
    name: str
    parent: int | None
    sequence_no: int = 0
    next_step: int | None = None
    entry_point: bool = False
    record_type: str = ""
    condition: BExpr | None = None
    condition_text: str = ""
    options: Mapping[str, Any] = attrs.field(factory=dict)
    label: str | None = None
    span: Span = attrs.field(default=NO_SPAN, eq=False, repr=False)


@attrs.frozen
class BoundWorkflow:
    """A bound workflow. ``code``/``description``/``category``: the header. ``steps``: every step,
    ordered by id. ``template``: an MS- template (copy, never enable). ``source``: the script text
    it came from (stored with a content hash as a version). ``path``: the file."""

    code: str
    description: str
    category: str
    steps: tuple[BoundStep, ...]
    source: str = ""
    path: str = ""
    template: bool = False
    span: Span = attrs.field(default=NO_SPAN, eq=False, repr=False)

    def step(self, step_id: int) -> BoundStep:
        return self.steps[step_id - 1]

    def children(self, step_id: int | None) -> tuple[BoundStep, ...]:
        return self._children.get(step_id, ())

    @functools.cached_property
    def _children(self) -> dict[int | None, tuple[BoundStep, ...]]:
        # the engine asks for a step's children several times per handled event
        found: dict[int | None, list[BoundStep]] = {}
        for s in self.steps:
            found.setdefault(s.parent, []).append(s)
        return {k: tuple(v) for k, v in found.items()}

    @functools.cached_property
    def entry_points(self) -> tuple[BoundStep, ...]:
        return tuple(s for s in self.steps if s.entry_point)


@attrs.frozen
class BoundProgram:
    """The result of binding one or more scripts: workflows and every diagnostic found."""

    workflows: tuple[BoundWorkflow, ...]
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)
