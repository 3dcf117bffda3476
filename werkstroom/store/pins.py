"""What an enabled workflow's entry condition pins, as the rows of ``wf_workflow_pin``.

A condition pins a field when every record meeting it has one of a few constant values there
(``document_type = Invoice``, ``salesperson_code in [A, B]``; ``binding.overlap.pins``). Two entry
conditions that pin one field to values they do not share cannot match one record, so enabling a
workflow needs to compare it only with the enabled workflows on its event that pin each field both pin
to a shared value (or pin none of its fields). The store keeps, for each enabled workflow:

* ``fields``: the pinned field names, sorted, as a JSON list (the workflow's *signature*; ``[]`` when
  it pins nothing);
* one ``pin`` per combination of its pinned values, a JSON list of the encoded values in the
  signature's order (``["s:invoice","s:sp01"]``).

Enabling a workflow that pins every field of a signature looks its own combinations up by index; a
signature it shares only some fields with is read whole and filtered on those fields; a signature it
shares none with is read whole (those workflows can overlap it). Keeping fewer pins than a condition
has only makes enabling compare more, never less: a field whose values do not fit (too many
combinations, too long) is left out. The encoding is part of the stored data: a change to it needs a
schema revision that writes the rows again.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from ..binding.overlap import Pins, pins
from ..binding.program import BoundWorkflow

# the column lengths of wf_workflow_pin.fields and .pin (database.WorkflowPinRow)
MAX_TEXT = 250
# at most this many pin rows per workflow (the product of its pinned fields' value counts)
MAX_COMBINATIONS = 64
# an enable looks up at most this many of its own combinations per signature; more, and it reads the
# signature whole and filters
MAX_LOOKUPS = 256

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

EncodedPins = dict[str, frozenset[str]]


def encode_value(v: Any) -> str | None:
    """The text of a pinned value: equal texts for equal values (as Python compares them: ``1`` and
    ``1.0`` and ``True``), different texts otherwise; None for a value that has none."""
    if isinstance(v, bool | int | Decimal):
        try:
            d = Decimal(v).normalize()
        except InvalidOperation:
            return None
        if not d.is_finite():
            return None
        return "n:" + ("0" if d.is_zero() else format(d, "f"))
    if isinstance(v, str):
        return "s:" + v
    if isinstance(v, dt.datetime):
        if v.tzinfo is None or v.utcoffset() is None:
            return "t:" + v.isoformat()
        return "u:" + v.astimezone(dt.UTC).replace(tzinfo=None).isoformat()
    if isinstance(v, dt.date):
        return "d:" + v.isoformat()
    if v is None:
        return "z:"
    return None


def field_name(key: tuple[tuple[str, ...], bool]) -> str | None:
    """``customer.country_code`` (``old:`` before a field's value before the change); None for a path
    that cannot be written so (never told apart then)."""
    path, old = key
    if not path or not all(_NAME.match(p) for p in path):
        return None
    return ("old:" if old else "") + ".".join(path)


def encode(found: Pins) -> EncodedPins:
    """``pins`` with field names and values as texts (a field with a value that has no text is
    dropped: it is then not told apart)."""
    out: EncodedPins = {}
    for key, values in found.items():
        name = field_name(key)
        texts = [encode_value(v) for v in values]
        if name is not None and texts and all(t is not None for t in texts):
            out[name] = frozenset(t for t in texts if t is not None)
    return out


def entry_pins(wf: BoundWorkflow, event: str) -> EncodedPins:
    """The fields every entry point of ``wf`` on ``event`` pins, with the values any of them allows."""
    return combine(pins(s.condition) for s in wf.entry_points if s.name == event)


def combine(each: Iterable[Pins]) -> EncodedPins:
    """One record meets one of several conditions: the fields all of them pin, with their values."""
    out: EncodedPins | None = None
    for found in each:
        mine = encode(found)
        out = mine if out is None else {k: out[k] | mine[k] for k in out.keys() & mine.keys()}
    return out or {}


def signature(fields: Iterable[str]) -> str:
    return json.dumps(sorted(fields), separators=(",", ":"))


def key(values: Sequence[str]) -> str:
    return json.dumps(list(values), separators=(",", ":"))


def combinations(found: Mapping[str, frozenset[str]], fields: Sequence[str]) -> list[str]:
    """The pin texts of every combination of ``found``'s values on ``fields`` (in that order)."""
    return [key(c) for c in itertools.product(*(sorted(found[f]) for f in fields))]


def stored(found: EncodedPins) -> tuple[str, list[str]]:
    """The signature and pin texts stored for a workflow pinning ``found``: fields are left out, the
    one with the most values first (then the longest), until every text fits its column and the
    combinations number at most MAX_COMBINATIONS."""
    kept = dict(found)
    while True:
        fields = sorted(kept)
        count = math.prod(len(kept[f]) for f in fields)
        sig = signature(fields)
        if count <= MAX_COMBINATIONS and len(sig) <= MAX_TEXT:
            keys = combinations(kept, fields)
            if all(len(k) <= MAX_TEXT for k in keys):
                return sig, keys
        worst = max(fields, key=lambda f: (len(kept[f]), max(len(v) for v in kept[f]), f))
        del kept[worst]


@attrs.frozen
class Plan:
    """How an enable reads one signature's rows: ``lookup`` (its own combinations, by index; None:
    every row) and, for rows read so, the fields to ``filter`` them on (empty: keep every row)."""

    lookup: tuple[str, ...] | None
    filter: tuple[str, ...] = ()


def plan(found: EncodedPins, sig: str) -> Plan:
    """How a workflow pinning ``found`` reads the rows of signature ``sig`` on its event."""
    fields = fields_of(sig)
    shared = [f for f in fields if f in found] if fields is not None else []
    if fields is None or not shared:
        return Plan(None)  # pins none of its fields: every such workflow can overlap it
    if len(shared) == len(fields) and math.prod(len(found[f]) for f in fields) <= MAX_LOOKUPS:
        return Plan(tuple(combinations(found, fields)))
    return Plan(None, tuple(fields))


def may_overlap(found: EncodedPins, sig: str, pin: str) -> bool:
    """Whether a workflow pinning ``found`` is compared with the workflow of the stored row (``sig``,
    ``pin``): what the enable's query answers, row by row."""
    how = plan(found, sig)
    if how.lookup is not None:
        return pin in how.lookup
    return not how.filter or shares(found, how.filter, pin)


def shares(found: EncodedPins, fields: Sequence[str], pin: str) -> bool:
    """Whether a stored row (``fields``, ``pin``) shares a value with ``found`` on every field both pin."""
    try:
        values = json.loads(pin)
    except ValueError:
        return True
    if not isinstance(values, list) or len(values) != len(fields):
        return True
    return all(v in found[f] for f, v in zip(fields, values, strict=True) if f in found)


def fields_of(sig: str) -> list[str] | None:
    """The field names of a stored signature (None when it cannot be read: compared with everything)."""
    try:
        names = json.loads(sig)
    except ValueError:
        return None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return None
    return names
