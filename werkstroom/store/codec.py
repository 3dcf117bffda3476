"""Typed JSON for the store: record values and bound workflows survive a round trip exactly.

Plain JSON loses Decimal, date and datetime; we tag them (``{"$dec": "12.50"}``) so money never
passes through float. Bound workflows are stored as data (never pickled), so a stored version can be
read back by any later process without running code from the database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import orjson

from ..binding.program import (
    BAnd,
    BChange,
    BCompare,
    BConst,
    BExpr,
    BField,
    BIn,
    BNot,
    BOr,
    BoundStep,
    BoundWorkflow,
    BQuantified,
    BRange,
    BText,
)
from ..catalogue.specs import FieldKind

# --------------------------------------------------------------------------- values


_PLAIN_TYPES = frozenset({str, int, bool, type(None)})
# A one-key dict whose key is a tag would read back as the tagged value (``{"$dec": None}`` as a failed
# Decimal): such a dict is written inside an escape, ``{"$esc": {"$dec": null}}``, and read back as a dict.
_TAGS = frozenset({"$dec", "$dt", "$date", "$esc"})


def _tagged_key(v: dict[Any, Any]) -> bool:
    return len(v) == 1 and next(iter(v)) in _TAGS


def to_jsonable(v: Any) -> Any:
    t = type(v)
    if t in _PLAIN_TYPES:  # the common cases first, by exact type
        return v
    if t is dict:
        plain_dict = {k if type(k) is str else str(k): x if type(x) in _PLAIN_TYPES else to_jsonable(x)
                      for k, x in v.items()}
        return {"$esc": plain_dict} if _tagged_key(plain_dict) else plain_dict
    if t is list:
        return [x if type(x) in _PLAIN_TYPES else to_jsonable(x) for x in v]
    if isinstance(v, bool) or v is None or isinstance(v, int | str):
        return v
    if isinstance(v, Decimal):
        return {"$dec": str(v)}
    if isinstance(v, dt.datetime):
        return {"$dt": v.isoformat()}
    if isinstance(v, dt.date):
        return {"$date": v.isoformat()}
    if isinstance(v, float):
        return {"$dec": str(Decimal(str(v)))}
    if isinstance(v, Mapping):
        mapping = {str(k): to_jsonable(x) for k, x in v.items()}
        return {"$esc": mapping} if _tagged_key(mapping) else mapping
    if isinstance(v, list | tuple | set | frozenset):
        return [to_jsonable(x) for x in v]
    if hasattr(v, "value") and isinstance(getattr(v, "value", None), str):  # enum members
        return v.value
    return str(v)


def from_jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        if len(v) == 1:
            (k, x), = v.items()
            if k == "$dec":
                return Decimal(x)
            if k == "$dt":
                return dt.datetime.fromisoformat(x)
            if k == "$date":
                return dt.date.fromisoformat(x)
            if k == "$esc" and isinstance(x, dict):
                return {k2: from_jsonable(x2) for k2, x2 in x.items()}
        return {k: from_jsonable(x) for k, x in v.items()}
    if isinstance(v, list):
        return [from_jsonable(x) for x in v]
    return v


# orjson writes the same compact, key-sorted text as ``json.dumps(..., sort_keys=True,
# separators=(",", ":"))`` for ASCII text, 6 times as fast (an event's trace: 1.7 us against 10.7 us).
# Where the two could differ, the standard library writes: non-ASCII text (json escapes it as \uXXXX,
# orjson writes UTF-8, and DEL as it is; tested on the result), integers beyond 64 bits (orjson
# refuses them) and floats (the digits agree, the exponent notation does not: JSON floats only occur
# in ``dumps_mostly_plain``, whose text is never compared). Stored texts that are compared or hashed
# (record values, idempotency digests) therefore keep exactly their earlier form.
_ORJSON_SORTED = orjson.OPT_SORT_KEYS
_ORJSON_MOSTLY_PLAIN = (orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
                        | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_NON_STR_KEYS)


def _json_ascii(text: bytes) -> bool:
    # json's ensure_ascii escapes everything outside space..~, so DEL (0x7f) too, which orjson keeps
    return text.isascii() and b"\x7f" not in text


def _json_text(v: Any, default: Any = None) -> str:
    return json.dumps(v, sort_keys=True, separators=(",", ":"), default=default, check_circular=False)


def dumps(v: Any) -> str:
    """Typed JSON text: compact, keys sorted, ASCII only (the same text ``json.dumps`` writes)."""
    plain_value = to_jsonable(v)
    try:
        text = orjson.dumps(plain_value, option=_ORJSON_SORTED)
    except (orjson.JSONEncodeError, TypeError):
        return _json_text(plain_value)
    return text.decode() if _json_ascii(text) else _json_text(plain_value)


def dumps_mostly_plain(v: Any, default: Callable[[Any], Any] = to_jsonable) -> str:
    """``dumps`` for values that are JSON already but for a few leaves (an event's result trace, whose
    values were made plain when recorded): only the leaves JSON cannot write go through
    ``default`` (``to_jsonable``), instead of a copy of the whole value first. The same text as
    ``dumps`` when the value holds no floats and no dict keys other than strings (a trace holds
    neither). ``default`` may also turn objects into dicts or lists that are written in turn."""
    try:
        text = orjson.dumps(v, default=default, option=_ORJSON_MOSTLY_PLAIN)
    except (orjson.JSONEncodeError, TypeError):
        return _json_text(v, default)
    return text.decode() if _json_ascii(text) else _json_text(v, default)


def json_column_text(v: Any) -> str:
    """The text of a JSON column (SQLAlchemy's ``json_serializer``): compact, in the keys' order."""
    try:
        text = orjson.dumps(v)
    except (orjson.JSONEncodeError, TypeError):
        return json.dumps(v, separators=(",", ":"))
    return text.decode() if _json_ascii(text) else json.dumps(v, separators=(",", ":"))


def loads(text: str | None) -> Any:
    if text is None or text == "":
        return None
    return from_jsonable(json.loads(text))


def plain(v: Any) -> Any:
    """Values for display and the host (--json, outbox): Decimal as string, dates ISO."""
    if isinstance(v, bool) or v is None or isinstance(v, int | str):
        return v
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, dt.date | dt.datetime):
        return v.isoformat()
    if isinstance(v, Mapping):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, list | tuple | set | frozenset):
        return [plain(x) for x in v]
    return str(v)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- conditions


def expr_to_data(e: BExpr | BRange | None) -> Any:
    if e is None:
        return None
    if isinstance(e, BField):
        return {"t": "field", "path": list(e.path), "kind": e.kind.value, "old": e.old, "enum": e.enum}
    if isinstance(e, BConst):
        return {"t": "const", "value": to_jsonable(e.value), "kind": e.kind.value}
    if isinstance(e, BRange):
        return {"t": "range", "low": expr_to_data(e.low), "high": expr_to_data(e.high)}
    if isinstance(e, BCompare):
        return {"t": "cmp", "op": e.op, "left": expr_to_data(e.left), "right": expr_to_data(e.right)}
    if isinstance(e, BIn):
        return {"t": "in", "operand": expr_to_data(e.operand), "items": [expr_to_data(i) for i in e.items],
                "negated": e.negated}
    if isinstance(e, BText):
        return {"t": "text", "op": e.op, "operand": expr_to_data(e.operand),
                "pattern": expr_to_data(e.pattern)}
    if isinstance(e, BChange):
        return {"t": "change", "field": expr_to_data(e.field), "kind": e.kind}
    if isinstance(e, BQuantified):
        return {"t": "quant", "q": e.quantifier, "relation": list(e.relation), "record_type": e.record_type,
                "condition": expr_to_data(e.condition)}
    if isinstance(e, BAnd):
        return {"t": "and", "ops": [expr_to_data(o) for o in e.operands]}
    if isinstance(e, BOr):
        return {"t": "or", "ops": [expr_to_data(o) for o in e.operands]}
    if isinstance(e, BNot):
        return {"t": "not", "op": expr_to_data(e.operand)}
    raise TypeError(f"cannot store condition node {e!r}")


def _field(d: Any) -> BField:
    e = expr_from_data(d)
    assert isinstance(e, BField)
    return e


def _const(d: Any) -> BConst | None:
    if d is None:
        return None
    e = expr_from_data(d)
    assert isinstance(e, BConst)
    return e


def expr_from_data(d: Any) -> Any:
    if d is None:
        return None
    t = d["t"]
    if t == "field":
        return BField(tuple(d["path"]), FieldKind(d["kind"]), old=d["old"], enum=d["enum"])
    if t == "const":
        return BConst(from_jsonable(d["value"]), FieldKind(d["kind"]))
    if t == "range":
        return BRange(_const(d["low"]), _const(d["high"]))
    if t == "cmp":
        return BCompare(d["op"], expr_from_data(d["left"]), expr_from_data(d["right"]))
    if t == "in":
        return BIn(_field(d["operand"]), tuple(expr_from_data(i) for i in d["items"]), d["negated"])
    if t == "text":
        return BText(d["op"], _field(d["operand"]), _const(d["pattern"]))
    if t == "change":
        return BChange(_field(d["field"]), d["kind"])
    if t == "quant":
        return BQuantified(d["q"], tuple(d["relation"]), d["record_type"], expr_from_data(d["condition"]))
    if t == "and":
        return BAnd(tuple(expr_from_data(o) for o in d["ops"]))
    if t == "or":
        return BOr(tuple(expr_from_data(o) for o in d["ops"]))
    if t == "not":
        return BNot(expr_from_data(d["op"]))
    raise ValueError(f"unknown stored condition node {t!r}")


# --------------------------------------------------------------------------- workflows


def workflow_to_data(wf: BoundWorkflow) -> dict[str, Any]:
    return {
        "code": wf.code,
        "description": wf.description,
        "category": wf.category,
        "template": wf.template,
        "path": wf.path,
        "steps": [
            {
                "id": s.id, "kind": s.kind, "name": s.name, "parent": s.parent,
                "sequence_no": s.sequence_no, "next_step": s.next_step, "entry_point": s.entry_point,
                "record_type": s.record_type, "condition": expr_to_data(s.condition),
                "condition_text": s.condition_text, "options": to_jsonable(dict(s.options)),
                "label": s.label,
            }
            for s in wf.steps
        ],
    }


def workflow_from_data(d: Mapping[str, Any], source: str = "") -> BoundWorkflow:
    steps = tuple(
        BoundStep(
            id=s["id"], kind=s["kind"], name=s["name"], parent=s["parent"], sequence_no=s["sequence_no"],
            next_step=s["next_step"], entry_point=s["entry_point"], record_type=s["record_type"],
            condition=expr_from_data(s["condition"]), condition_text=s["condition_text"],
            options=from_jsonable(s["options"]), label=s["label"],
        )
        for s in d["steps"]
    )
    return BoundWorkflow(code=d["code"], description=d["description"], category=d["category"], steps=steps,
                         source=source, path=d.get("path", ""), template=d.get("template", False))


def workflow_hash(wf: BoundWorkflow) -> str:
    """The version identity: the script text when there is one, else the bound steps as data."""
    basis = wf.source if wf.source else json.dumps(workflow_to_data(wf), sort_keys=True)
    return content_hash(wf.code + "\n" + basis)
