"""What an enabled workflow's entry condition pins, as the rows of ``wf_workflow_pin``.

A condition pins a field when every record meeting it has one of a few constant values there
(``document_type = Invoice``, ``salesperson_code in [A, B]``; ``binding.overlap.pins``). Two entry
conditions that pin one field to values they do not share cannot match one record, so enabling a
workflow needs to compare it only with the enabled workflows on its event that share a value on every
field both pin (those that pin none of its fields included). The store keeps, for each enabled
workflow:

* ``signature``: the fields it pins, sorted, as a JSON list (``[]`` when it pins none);
* for each non-empty set of those fields (``fields``, a JSON list in the signature's order) and each
  combination of the workflow's values on them, one row (``pin``, the JSON list of those values,
  encoded: ``["s:invoice","s:sp01"]``).

A workflow pinning fields F reads, per signature S on its event (a loose index scan finds them): when F
and S share fields, the rows for exactly the shared fields with its own combinations of values there
(an index lookup: the workflows of S it can meet); when they share none, the rows of S's full field
set (every workflow of S: they can all meet it). Keeping fewer pins than a condition has only makes
enabling compare more, never less: a field whose values do not fit (too many fields or combinations,
too long) is left out. The encoding is stored data: a change to it needs a schema revision that writes
the rows again.
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

# the column lengths of wf_workflow_pin.signature, .fields and .pin (database.WorkflowPinRow)
MAX_TEXT = 250
# at most this many pinned fields, and rows, per workflow (fields beyond are left out)
MAX_FIELDS = 4
MAX_ROWS = 64
# an enable looks up at most this many of its own combinations per signature; more, and it reads the
# signature's rows whole and keeps those that share a value on the shared fields
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


def text_of(items: Sequence[str]) -> str:
    """A signature, a set of fields or a combination of values as stored: a JSON list."""
    return json.dumps(list(items), separators=(",", ":"))


def combinations(found: Mapping[str, frozenset[str]], fields: Sequence[str]) -> list[str]:
    """The pin texts of every combination of ``found``'s values on ``fields`` (in that order)."""
    return [text_of(c) for c in itertools.product(*(sorted(found[f]) for f in fields))]


def _subsets(fields: Sequence[str]) -> list[tuple[str, ...]]:
    if not fields:
        return [()]
    return [c for n in range(1, len(fields) + 1) for c in itertools.combinations(fields, n)]


def stored(found: EncodedPins) -> tuple[str, list[tuple[str, str]]]:
    """The signature and the (fields, pin) rows stored for a workflow pinning ``found``. Fields are left
    out, the one with the most values first (then the longest), until every text fits its column and
    the rows and fields number at most MAX_ROWS and MAX_FIELDS."""
    kept = dict(found)
    while True:
        fields = sorted(kept)
        subsets = _subsets(fields)
        count = sum(math.prod(len(kept[f]) for f in sub) for sub in subsets)
        sig = text_of(fields)
        if len(fields) <= MAX_FIELDS and count <= MAX_ROWS and len(sig) <= MAX_TEXT:
            rows = [(text_of(sub), pin) for sub in subsets for pin in combinations(kept, sub)]
            if all(len(pin) <= MAX_TEXT for _, pin in rows):
                return sig, rows
        worst = max(fields, key=lambda f: (len(kept[f]), max(len(v) for v in kept[f]), f))
        del kept[worst]


@attrs.frozen
class Plan:
    """Which rows of one signature an enable reads: those for ``fields`` (None: every row), with a
    ``pin`` among ``lookup`` (None: any); of those, the ones sharing a value with it on ``filter``
    (empty: all) are its candidates."""

    fields: str | None
    lookup: tuple[str, ...] | None = None
    filter: tuple[str, ...] = ()


def plan(found: EncodedPins, sig: str) -> Plan:
    """How a workflow pinning ``found`` reads the rows of signature ``sig`` on its event."""
    names = fields_of(sig)
    if names is None:
        return Plan(None)  # unreadable: every workflow of it is compared
    shared = [f for f in names if f in found]
    if not shared:
        return Plan(sig)  # pins none of its fields: every such workflow can meet it
    if math.prod(len(found[f]) for f in shared) <= MAX_LOOKUPS:
        return Plan(text_of(shared), tuple(combinations(found, shared)))
    return Plan(sig, None, tuple(names))


def may_overlap(found: EncodedPins, sig: str, fields: str, pin: str) -> bool:
    """Whether a workflow pinning ``found`` is compared with the workflow of the stored row (``sig``,
    ``fields``, ``pin``): what the enable's query answers, row by row."""
    how = plan(found, sig)
    if how.fields is not None and fields != how.fields:
        return False
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
