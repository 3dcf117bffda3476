"""Small constructors that keep the stdlib declarations readable (no registration, no side effects)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..extend import (
    EnumType,
    EventSpec,
    FieldKind,
    FieldSpec,
    OptionSpec,
    PhrasePattern,
    RecordSpec,
    RelationSpec,
    ResponseSpec,
)
from .names import BC_EVENT_NAMES

# ``no``: the BC field number, only where the domain reference gives it (catalogue.json's condition
# field numbers and table schemas; tests/stdlib/test_std_fidelity.py checks each against it).


def dec(name: str, bc: str, desc: str = "", *, flowfield: bool = False, no: int = 0) -> FieldSpec:
    return FieldSpec(name, FieldKind.DECIMAL, desc, bc_name=bc, flowfield=flowfield, field_no=no)


def integer(name: str, bc: str, desc: str = "", *, flowfield: bool = False, no: int = 0) -> FieldSpec:
    return FieldSpec(name, FieldKind.INTEGER, desc, bc_name=bc, flowfield=flowfield, field_no=no)


def text(name: str, bc: str, desc: str = "", length: int | None = 100, *, no: int = 0) -> FieldSpec:
    return FieldSpec(name, FieldKind.TEXT, desc, bc_name=bc, max_length=length, field_no=no)


def code(name: str, bc: str, desc: str = "", length: int | None = 20, *, no: int = 0) -> FieldSpec:
    return FieldSpec(name, FieldKind.CODE, desc, bc_name=bc, max_length=length, field_no=no)


def date(name: str, bc: str, desc: str = "", *, no: int = 0) -> FieldSpec:
    return FieldSpec(name, FieldKind.DATE, desc, bc_name=bc, field_no=no)


def datetime(name: str, bc: str, desc: str = "", *, no: int = 0) -> FieldSpec:
    return FieldSpec(name, FieldKind.DATETIME, desc, bc_name=bc, field_no=no)


def boolean(name: str, bc: str, desc: str = "", *, flowfield: bool = False, no: int = 0) -> FieldSpec:
    return FieldSpec(name, FieldKind.BOOLEAN, desc, bc_name=bc, flowfield=flowfield, field_no=no)


def enum(name: str, bc: str, enum_type: EnumType, desc: str = "", *, no: int = 0) -> FieldSpec:
    return FieldSpec(name, FieldKind.ENUM, desc, enum=enum_type, bc_name=bc, field_no=no)


def formula(name: str, bc: str, desc: str = "", *, no: int = 0) -> FieldSpec:
    return FieldSpec(name, FieldKind.FORMULA, desc, bc_name=bc, field_no=no)


def one(name: str, record: str, *join: tuple[str, str], desc: str = "") -> RelationSpec:
    return RelationSpec(name, record, False, tuple(join), desc)


def many(name: str, record: str, *join: tuple[str, str], desc: str = "") -> RelationSpec:
    return RelationSpec(name, record, True, tuple(join), desc)


def event(
    bc_code: str,
    description: str,
    record: str,
    *,
    after: tuple[str, ...] = (),
    record_change: bool = False,
    on_known_instance: bool = False,
) -> EventSpec:
    """An event spec named from ``BC_EVENT_NAMES``; ``after``: BC codes of its predecessor events."""
    return EventSpec(
        name=BC_EVENT_NAMES[bc_code],
        description=description,
        record=record,
        predecessors=tuple(BC_EVENT_NAMES[c] for c in after),
        record_change=record_change,
        on_known_instance=on_known_instance,
        bc_code=bc_code,
    )


def events_after(*bc_codes: str) -> tuple[str, ...]:
    """DSL names for BC event codes (a response's ``allowed_after``)."""
    return tuple(BC_EVENT_NAMES[c] for c in bc_codes)


def pattern(text_: str, **presets: Any) -> PhrasePattern:
    return PhrasePattern(text_, dict(presets))


def patterns(*texts: str, presets: Mapping[str, Any] | None = None) -> tuple[PhrasePattern, ...]:
    return tuple(PhrasePattern(t, dict(presets or {})) for t in texts)


def option(
    name: str,
    kind: FieldKind,
    description: str,
    *phrases: str,
    enum_type: EnumType | None = None,
    default: Any = None,
    bc: str = "",
) -> OptionSpec:
    return OptionSpec(name, kind, description, tuple(phrases), enum_type, default, bc)


def enums_of(records: tuple[RecordSpec, ...], responses: tuple[ResponseSpec, ...]) -> tuple[EnumType, ...]:
    """The enum types the records' fields and the responses' options use, each once, in first-use order."""
    seen: dict[str, EnumType] = {}
    for r in records:
        for f in r.fields:
            if f.enum is not None:
                seen.setdefault(f.enum.name, f.enum)
    for resp in responses:
        for o in resp.options:
            if o.enum is not None:
                seen.setdefault(o.enum.name, o.enum)
    return tuple(seen.values())
