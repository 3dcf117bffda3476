"""Lookup keys of the catalogue: how record types, events, responses and enums are found by name."""

from __future__ import annotations

from .specs import EnumType, EventSpec, Library, ResponseSpec, normalize_enum


def type_key(name: str) -> str:
    """Record types are found by name or BC caption, ignoring case, spaces and punctuation."""
    return normalize_enum(name)


def name_key(name: str) -> str:
    """Events, responses, templates and enums are found by name ignoring case."""
    return name.casefold()


def event_keys(ev: EventSpec) -> list[str]:
    """Every name an event is found by: its DSL name, BC function code and aliases."""
    return [k for k in (ev.name, ev.bc_code, *ev.aliases) if k]


def response_keys(resp: ResponseSpec) -> list[str]:
    """Every name a response is found by: its identifier, BC function code and aliases."""
    return [k for k in (resp.name, resp.bc_code, *resp.aliases) if k]


def declared_enums(lib: Library) -> list[EnumType]:
    """The library's enums: listed ones, then those its fields and options use (each object once)."""
    out: list[EnumType] = list(lib.enums)
    out.extend(f.enum for r in lib.records for f in r.fields if f.enum is not None)
    out.extend(o.enum for p in lib.responses for o in p.options if o.enum is not None)
    seen: set[int] = set()
    unique: list[EnumType] = []
    for e in out:
        if id(e) not in seen:
            seen.add(id(e))
            unique.append(e)
    return unique
