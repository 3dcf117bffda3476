"""Plain-data descriptions of catalogue entries, shared by `wf catalogue --json`, the text output and
the generated docs/stdlib.md."""

from __future__ import annotations

from typing import Any

from .catalogue import Catalogue
from .specs import EventSpec, FieldSpec, OptionSpec, RecordSpec, ResponseSpec


def _origin(cat: Catalogue, kind: Any, name: str) -> dict[str, str]:
    o = cat.origin(kind, name)
    return {"library": o.library, "version": o.version}


def _kind(kind: object) -> str:
    value = getattr(kind, "value", None)
    return str(value) if value is not None else str(kind)


def default_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def option_json(o: OptionSpec) -> dict[str, Any]:
    return {
        "name": o.name,
        "kind": _kind(o.kind),
        "enum": o.enum.name if o.enum else None,
        "values": list(o.enum.values) if o.enum else None,
        "phrases": list(o.patterns),
        "default": o.default
        if isinstance(o.default, (str, int, bool)) or o.default is None
        else str(o.default),
        "bc_name": o.bc_name,
        "description": o.description,
    }


def field_json(f: FieldSpec) -> dict[str, Any]:
    return {
        "name": f.name,
        "kind": _kind(f.kind),
        "enum": f.enum.name if f.enum else None,
        "values": list(f.enum.values) if f.enum else None,
        "bc_name": f.bc_name,
        "field_no": f.field_no or None,
        "max_length": f.max_length,
        "flowfield": f.flowfield,
        "description": f.description,
    }


def event_json(cat: Catalogue, e: EventSpec) -> dict[str, Any]:
    return {
        "name": e.name,
        "bc_code": e.bc_code,
        "aliases": list(e.aliases),
        "description": e.description,
        "record": e.record,
        "predecessors": list(e.predecessors),
        "followed_by": [s.name for s in cat.successors(e.name)],
        "independent": not e.predecessors,
        "record_change": e.record_change,
        "on_known_instance": e.on_known_instance,
        "responses": [r.name for r in cat.responses_after(e.name) if r.allowed_after],
        "origin": _origin(cat, "event", e.name),
    }


def response_json(cat: Catalogue, r: ResponseSpec) -> dict[str, Any]:
    return {
        "name": r.name,
        "bc_code": r.bc_code,
        "aliases": list(r.aliases),
        "description": r.description,
        "phrases": [{"text": p.text, "presets": dict(p.presets)} for p in r.patterns],
        "options": [option_json(o) for o in r.options],
        "allowed_after": list(r.allowed_after),
        "independent": not r.allowed_after,
        "mandatory_rule": r.mandatory_rule,
        "raises": list(r.raises),
        "origin": _origin(cat, "response", r.name),
    }


def record_json(cat: Catalogue, r: RecordSpec) -> dict[str, Any]:
    return {
        "name": r.name,
        "bc_name": r.bc_name,
        "table_id": r.table_id,
        "description": r.description,
        "key": list(r.key),
        "fields": [field_json(f) for f in r.fields],
        "relations": [
            {
                "name": rel.name,
                "record": rel.record,
                "many": rel.many,
                "join": [list(pair) for pair in rel.join],
                "description": rel.description,
            }
            for rel in r.relations
        ],
        "events": [e.name for e in cat.events_on(r.name)],
        "origin": _origin(cat, "record", r.name),
    }


def presets_text(presets: Any) -> str:
    return ", ".join(f"{k} = {default_text(v)}" for k, v in dict(presets).items())
