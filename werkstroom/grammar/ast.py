"""AST nodes of the .wf language: frozen attrs classes, one per grammar construct, each with a span.

Every node has a keyword-only ``span`` that is left out of equality and repr, so two scripts that
differ only in layout have equal trees (the formatter's round-trip property relies on this).
Lowering from the parse tree never raises: anything the grammar accepts becomes one of these
nodes, and meaning (is this name an event? a field? an enum value?) is the binder's job.

Overview::

    Script
      items: Workflow | Step          (bare steps: the one-line form, an anonymous workflow)
    Workflow(code, description, category, steps)
    Step(event, condition, body)      ``on EVENT [when COND] then BODY``
      body: Response | Jump | Step    (steps in a body wait for later events; siblings are
                                       alternatives in priority order)
    Response(phrase, options, label)  ``PHRASE [, OPTION]* [as LABEL]``
    Jump(target)                      ``continue at LABEL``
    Phrase(parts)                     words, names and literals, bound to the catalogue later
    expressions: Or, And, Not, Compare, InList, InRange, TextTest, ChangeTest, Quantified,
                 Ref, literals (TextLit, IntLit, DecimalLit, DateLit, FormulaLit, BoolLit)
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import TypeAlias

import attrs

from ..source import NO_SPAN, Span


def _span() -> Span:
    return attrs.field(default=NO_SPAN, kw_only=True, eq=False, repr=False)


# --------------------------------------------------------------------------- names


@attrs.frozen
class Name:
    """An identifier as written (``PurchaseDocReleased``, ``amount_lcy``, ``send``, ``PIAPW-EU``).

    ``text``: the identifier exactly as in the source (case kept; the binder decides how to compare).
    """

    text: str
    span: Span = _span()


# --------------------------------------------------------------------------- literals


@attrs.frozen
class TextLit:
    """A quoted text literal. ``value``: the text with escapes resolved."""

    value: str
    span: Span = _span()


@attrs.frozen
class IntLit:
    """An integer literal (``1000``). ``value``: its int value."""

    value: int
    span: Span = _span()


@attrs.frozen
class DecimalLit:
    """A decimal literal (``1000.50``): money and quantities are never floats. ``value``: Decimal."""

    value: Decimal
    span: Span = _span()


@attrs.frozen
class DateLit:
    """An ISO date literal (``2026-01-31``). ``value``: the date."""

    value: _dt.date
    span: Span = _span()


@attrs.frozen
class FormulaLit:
    """A BC date formula / duration (``2D``, ``1W``, ``1M``, ``CM+1D``).

    ``text``: the formula in canonical upper case without spaces; the binder validates and evaluates it.
    """

    text: str
    span: Span = _span()


@attrs.frozen
class BoolLit:
    """``true`` / ``false`` (also ``yes`` / ``no``). ``value``: the boolean."""

    value: bool
    span: Span = _span()


Literal: TypeAlias = TextLit | IntLit | DecimalLit | DateLit | FormulaLit | BoolLit


# --------------------------------------------------------------------------- expressions


@attrs.frozen
class Ref:
    """A dotted name in a condition: a field (``amount``), a related record's field (``vendor.blocked``),
    the previous value of a field on a change event (``old.credit_limit_lcy``: ``path[0] == "old"``),
    or a bare enum value on the right of a comparison (``Invoice``). ``path``: the parts as Names.
    """

    path: tuple[Name, ...]
    span: Span = _span()

    @property
    def dotted(self) -> str:
        return ".".join(n.text for n in self.path)


@attrs.frozen
class Or:
    """``a or b or c``. ``operands``: two or more expressions."""

    operands: tuple[Expr, ...]
    span: Span = _span()


@attrs.frozen
class And:
    """``a and b and c``. ``operands``: two or more expressions."""

    operands: tuple[Expr, ...]
    span: Span = _span()


@attrs.frozen
class Not:
    """``not a``. ``operand``: the negated expression."""

    operand: Expr
    span: Span = _span()


@attrs.frozen
class Compare:
    """``left OP right``. ``op``: one of ``=``, ``<>``, ``<``, ``<=``, ``>``, ``>=``."""

    op: str
    left: Expr
    right: Expr
    span: Span = _span()


@attrs.frozen
class InList:
    """``x in [a, b, 1..5]`` / ``x not in [...]``. ``items``: values or InRange-less ``Range`` items."""

    operand: Expr
    items: tuple[Expr | Range, ...]
    negated: bool = False
    span: Span = _span()


@attrs.frozen
class Range:
    """``low..high`` (inclusive, BC filter style); either bound may be None for an open range."""

    low: Expr | None
    high: Expr | None
    span: Span = _span()


@attrs.frozen
class InRange:
    """``x in 100..500`` / ``x not in 100..500`` (a single range without brackets)."""

    operand: Expr
    range: Range
    negated: bool = False
    span: Span = _span()


@attrs.frozen
class TextTest:
    """A text test: ``name contains "ltd"``, ``starts with``, ``ends with``, ``is empty``.

    ``op``: ``contains`` | ``starts with`` | ``ends with`` | ``is empty`` | ``is not empty``.
    ``pattern``: the text to look for (None for the emptiness tests). Comparison is case-insensitive.
    """

    op: str
    operand: Expr
    pattern: Expr | None
    span: Span = _span()


@attrs.frozen
class ChangeTest:
    """A field-change test on a record-change event: ``credit_limit_lcy increased``.

    ``field``: the field. ``kind``: ``increased`` | ``decreased`` | ``changed`` (BC's Workflow Rule).
    """

    field: Ref
    kind: str
    span: Span = _span()


@attrs.frozen
class Quantified:
    """A test over a to-many relation: ``any lines with quantity > 8`` (``all``, ``no`` likewise).

    ``quantifier``: ``any`` | ``all`` | ``no``. ``collection``: the relation (``lines``).
    ``condition``: evaluated against each related record; None means "exists" (``any lines``).
    """

    quantifier: str
    collection: Ref
    condition: Expr | None
    span: Span = _span()


Expr: TypeAlias = (
    Or | And | Not | Compare | InList | InRange | TextTest | ChangeTest | Quantified | Ref | Literal
)


# --------------------------------------------------------------------------- responses and steps


PhrasePart: TypeAlias = Name | Literal
"""A word of a phrase is a Name (``release``, ``salesperson/purchaser``); values are literals."""


@attrs.frozen
class Phrase:
    """A run of words and literals: ``create approval requests for approver chain``,
    ``notify sender "Rejected: {document_no}"``, ``due in 2D``. ``parts``: in order.
    """

    parts: tuple[PhrasePart, ...]
    span: Span = _span()

    @property
    def words(self) -> str:
        """The phrase as lower-case text (literals shown as written), for messages and matching."""
        out = []
        for p in self.parts:
            out.append(p.text.lower() if isinstance(p, Name) else _literal_text(p))
        return " ".join(out)


@attrs.frozen
class Response:
    """One response in a step's chain: ``PHRASE [, OPTION]* [as LABEL]``.

    ``phrase``: the main phrase. ``options``: the comma-separated option phrases, in order.
    ``label``: the name given with ``as``, the target of ``continue at``.
    """

    phrase: Phrase
    options: tuple[Phrase, ...] = ()
    label: Name | None = None
    span: Span = _span()


@attrs.frozen
class Jump:
    """``continue at LABEL``: BC's Next Step; re-arms the steps waiting under the labelled response
    without running it again. ``target``: the label."""

    target: Name
    span: Span = _span()


@attrs.frozen
class Step:
    """``on EVENT [when CONDITION] then BODY``.

    ``event``: the event name. ``condition``: None means always. ``body``: responses and jumps in
    order, and nested steps that wait for the next event (siblings are alternatives, first match wins).
    """

    event: Name
    condition: Expr | None
    body: tuple[Response | Jump | Step, ...]
    span: Span = _span()


@attrs.frozen
class Workflow:
    """``workflow CODE ["description"]`` followed by an indented header and steps.

    ``code``: the workflow code (up to 20 characters, checked by the binder). ``description``: text or
    None. ``category``: ``category CODE`` or None. ``steps``: the entry-point steps in order.
    """

    code: Name
    description: TextLit | None
    category: Name | None
    steps: tuple[Step, ...]
    span: Span = _span()


@attrs.frozen
class Script:
    """A whole .wf file. ``items``: workflows, or bare steps (the one-line form), in source order.
    Bare steps form one anonymous workflow named after the file."""

    items: tuple[Workflow | Step, ...]
    span: Span = _span()


def _literal_text(lit: Literal) -> str:
    if isinstance(lit, TextLit):
        return '"' + lit.value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(lit, BoolLit):
        return "true" if lit.value else "false"
    if isinstance(lit, FormulaLit):
        return lit.text
    if isinstance(lit, DateLit):
        return lit.value.isoformat()
    return str(lit.value)


Node: TypeAlias = (
    Script | Workflow | Step | Response | Jump | Phrase | Name | Expr | Range
)
