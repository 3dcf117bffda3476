"""Catalogue declarations: record types, events, responses and templates, gathered in Libraries.

Everything the .wf language can name comes from a ``Library``. The stdlib is a set of libraries built
by plain functions (no import-time registration); partners ship their own through the
``werkstroom.libraries`` entry-point group. ``Catalogue.install`` validates every entry and reports
problems as WF9xx diagnostics that name the library and the entry.
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from ..context import ResponseContext


class FieldKind(enum.Enum):
    """The value types a record field or response option can have."""

    DECIMAL = "decimal"  # money, quantities: decimal.Decimal, never float
    INTEGER = "integer"
    TEXT = "text"
    CODE = "code"  # BC Code fields: upper-cased text
    DATE = "date"
    DATETIME = "datetime"
    BOOLEAN = "boolean"
    ENUM = "enum"
    FORMULA = "formula"  # BC date formula (2D, 1W, CM+1D)


@attrs.frozen
class EnumType:
    """A BC option/enum. ``name``: e.g. ``PurchaseDocumentType``. ``values``: display values in ordinal
    order (``("Quote", "Order", "Invoice", "Credit Memo", "Blanket Order", "Return Order")``).
    Scripts may write a value in any case, with spaces, underscores or CamelCase (``PendingApproval``).
    ``aliases``: extra spellings as (written, canonical value) pairs, e.g. ``("1D", "1 day")``."""

    name: str
    values: tuple[str, ...]
    aliases: tuple[tuple[str, str], ...] = ()

    def lookup(self, written: str) -> str | None:
        """The canonical value for a written spelling (a value or an alias), or None. Case, spaces and
        punctuation do not count, but a leading sign does: no value starts with one (`-5D` is not
        `5D`)."""
        if written.lstrip()[:1] in ("-", "+"):
            return None
        key = normalize_enum(written)
        for v in self.values:
            if normalize_enum(v) == key:
                return v
        for alias, v in self.aliases:
            if normalize_enum(alias) == key:
                return v
        return None


@functools.lru_cache(maxsize=8192)
def normalize_enum(text: str) -> str:
    """``text`` lower-cased without spaces and punctuation (``Approver Chain`` -> ``approverchain``);
    memoized: the engine normalizes the same few names for every event."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


@attrs.frozen
class FieldSpec:
    """A field of a record type. ``name``: snake_case DSL name. ``kind``: value type. ``enum``: for ENUM.
    ``bc_name``: the BC field caption. ``flowfield``: computed by the engine (e.g. pending_approvals).
    ``field_no``: the BC field number (0: not known), which BC's event conditions and workflow rules
    name the field by (``wf export bc`` / ``wf import bc``); an ENUM field's BC ordinals are the
    positions of its enum's values."""

    name: str
    kind: FieldKind
    description: str = ""
    enum: EnumType | None = None
    bc_name: str = ""
    max_length: int | None = None
    flowfield: bool = False
    field_no: int = 0


@attrs.frozen
class RelationSpec:
    """A link from one record type to another, usable in conditions as a dotted path.

    ``name``: DSL name (``lines``, ``vendor``). ``record``: target record type name. ``many``: a
    to-many relation (tested with ``any/all/no``). ``join``: pairs (field here, field there)."""

    name: str
    record: str
    many: bool
    join: tuple[tuple[str, str], ...]
    description: str = ""


@attrs.frozen
class RecordSpec:
    """A record type (a BC table). ``name``: PascalCase (``PurchaseHeader``). ``key``: the fields that
    identify one record (its key in the engine is these values joined with ``|``)."""

    name: str
    description: str
    fields: tuple[FieldSpec, ...]
    key: tuple[str, ...]
    relations: tuple[RelationSpec, ...] = ()
    bc_name: str = ""
    table_id: int = 0

    def field(self, name: str) -> FieldSpec | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None

    def relation(self, name: str) -> RelationSpec | None:
        for r in self.relations:
            if r.name == name:
                return r
        return None


@attrs.frozen
class EventSpec:
    """An event. ``name``: PascalCase ``<Subject><WhatHappened>``. ``record``: record type it carries.
    ``predecessors``: event names it may follow (empty = independent, may be an entry point).
    ``record_change``: carries an old record (field-change tests allowed). ``on_known_instance``:
    handled only on the instance that owns the record (approval-entry events). ``bc_code``: BC's
    function code, also accepted as an alias in scripts and JSON."""

    name: str
    description: str
    record: str
    predecessors: tuple[str, ...] = ()
    record_change: bool = False
    on_known_instance: bool = False
    bc_code: str = ""
    aliases: tuple[str, ...] = ()


@attrs.frozen
class OptionSpec:
    """A response option. ``name``: snake_case id. ``kind``: value type (``enum`` for ENUM kinds).
    ``patterns``: option phrases (``"due in {value}"``, ``"notify sender"``); a pattern without a slot
    sets a BOOLEAN option to true. ``default``: value when absent. ``bc_name``: BC's caption.
    ``placeholders``: a TEXT option whose value is a message with ``{name}`` placeholders
    (werkstroom.placeholders); the binder checks the names when a script is checked."""

    name: str
    kind: FieldKind
    description: str = ""
    patterns: tuple[str, ...] = ()
    enum: EnumType | None = None
    default: Any = None
    bc_name: str = ""
    placeholders: bool = False


@attrs.frozen
class PhrasePattern:
    """One way to write a response. ``text``: words and ``{option}`` slots, ``[optional words]``
    (``"create approval requests for approver chain"``, ``"notify {recipient}"``). ``presets``: option
    values this wording implies (``{"approver_type": "Approver", "limit_type": "Approver Chain"}``)."""

    text: str
    presets: Mapping[str, Any] = attrs.field(factory=dict)


ResponseFn = Callable[["ResponseContext"], None]
MandatoryCheck = Callable[[Mapping[str, Any]], "str | None"]


@attrs.frozen
class ResponseSpec:
    """A response. ``name``: stable snake_case id (``release_document``). ``patterns``: the phrases
    that bind to it. ``options``: typed options. ``allowed_after``: event names it may follow (empty =
    independent). ``mandatory``: returns a message when required options are missing (BC's rule,
    described in ``mandatory_rule``). ``raises``: events this response may raise. ``run``: the
    behaviour, called with a ResponseContext and nothing global."""

    name: str
    description: str
    patterns: tuple[PhrasePattern, ...]
    run: ResponseFn
    options: tuple[OptionSpec, ...] = ()
    allowed_after: tuple[str, ...] = ()
    mandatory: MandatoryCheck | None = None
    mandatory_rule: str = ""
    raises: tuple[str, ...] = ()
    bc_code: str = ""
    aliases: tuple[str, ...] = ()

    def option(self, name: str) -> OptionSpec | None:
        for o in self.options:
            if o.name == name:
                return o
        return None


def run_mandatory(spec: ResponseSpec, options: Mapping[str, Any],
                  library: str = "") -> tuple[str | None, str]:
    """Run ``spec``'s mandatory check (a partner's code) on ``options``: ``(message, problem)``. The
    message is what the check returned when options are missing (None when all is there); ``problem``
    is '' or, when the check itself is broken (it raised, or returned something that is neither a
    message nor None), what to say about it (WF918), naming the response and its ``library``."""
    if spec.mandatory is None:
        return None, ""
    where = f"the mandatory check of response {spec.name!r}" + (f" (library {library})" if library else "")
    try:
        msg = spec.mandatory(options)
    except Exception as exc:
        return None, f"{where} raised {type(exc).__name__}: {exc}"
    if msg is None or isinstance(msg, str):
        return msg or None, ""
    return None, f"{where} returned {msg!r} ({type(msg).__name__}), not a message (str) or None"


_TRIAL_VALUES: dict[FieldKind, Any] = {
    FieldKind.DECIMAL: Decimal(1), FieldKind.INTEGER: 1, FieldKind.TEXT: "X", FieldKind.CODE: "X",
    FieldKind.DATE: _dt.date(2026, 1, 1), FieldKind.DATETIME: _dt.datetime(2026, 1, 1),
    FieldKind.BOOLEAN: True, FieldKind.FORMULA: "1D",
}


def mandatory_fix(spec: ResponseSpec, options: Mapping[str, Any]) -> str:
    """How to complete ``options`` when ``spec``'s mandatory check refuses them: the option phrases to
    add (``add `, group <Workflow User Group Code>` ``), found by trying the unset options. Empty when
    no option with a phrase completes them."""
    unset = [o for o in spec.options if o.patterns and not options.get(o.name)]

    def passes(names: list[OptionSpec]) -> bool:
        trial = {**options, **{o.name: _trial_value(o) for o in names}}
        msg, broken = run_mandatory(spec, trial)
        return msg is None and not broken

    if passes([]):
        return ""
    fixes = [[o] for o in unset if passes([o])]
    if not fixes and passes(unset):  # more than one option is needed: keep those that are
        needed = list(unset)
        for o in unset:
            if passes([x for x in needed if x is not o]):
                needed.remove(o)
        fixes = [needed]
    if not fixes:
        return ""
    ways = ["`" + "".join(f", {_option_phrase(o)}" for o in fix) + "`" for fix in fixes]
    return "add " + " or ".join(ways) + " after the response"


def _trial_value(o: OptionSpec) -> Any:
    if o.kind is FieldKind.ENUM:
        return o.enum.values[0] if o.enum is not None and o.enum.values else "X"
    return _TRIAL_VALUES[o.kind]


def _option_phrase(o: OptionSpec) -> str:
    """The option's first phrase, its slot shown as `<BC caption>`."""
    return o.patterns[0].replace("{value}", f"<{o.bc_name or o.name.replace('_', ' ')}>")


MANDATORY_HELP = ("mandatory(options) must return None when the options are complete, else the message "
                  "to show; fix it in the library, or tell its maintainer")


@attrs.frozen
class TemplateSpec:
    """A workflow template shipped as .wf text. ``code``: e.g. ``MS-PIAPW``. ``text``: the source.
    ``path``: where it came from (shown in diagnostics)."""

    code: str
    text: str
    path: str


@attrs.frozen
class Library:
    """A named, versioned set of declarations. The stdlib and partners build these the same way.

    ``event_predecessors``: ``(event, predecessor)`` pairs that let an installed event (any library's)
    also follow ``predecessor`` (BC's AddEventPredecessor), e.g. ``("ApprovalRequestApproved",
    "ExpenseReportSentForApproval")``. ``response_predecessors``: ``(response, event)`` pairs that let
    an installed response also follow ``event`` (BC's AddResponsePredecessor). Entries that already
    follow anything (no predecessors, no ``allowed_after``) are left as they are."""

    name: str
    version: str
    description: str = ""
    records: tuple[RecordSpec, ...] = ()
    events: tuple[EventSpec, ...] = ()
    responses: tuple[ResponseSpec, ...] = ()
    templates: tuple[TemplateSpec, ...] = ()
    enums: tuple[EnumType, ...] = ()
    step_modules: tuple[str, ...] = ()  # Python modules with extra Gherkin steps for this vocabulary
    event_predecessors: tuple[tuple[str, str], ...] = ()
    response_predecessors: tuple[tuple[str, str], ...] = ()


@attrs.frozen
class Origin:
    """Where a catalogue entry comes from: library name and version."""

    library: str
    version: str

    def __str__(self) -> str:
        return f"{self.library} {self.version}"


__all__ = [
    "EnumType",
    "EventSpec",
    "FieldKind",
    "FieldSpec",
    "Library",
    "MandatoryCheck",
    "OptionSpec",
    "Origin",
    "PhrasePattern",
    "RecordSpec",
    "RelationSpec",
    "ResponseFn",
    "ResponseSpec",
    "TemplateSpec",
]

