"""What happened while handling an event: the data behind results, the audit row and the timeline."""

from __future__ import annotations

from typing import Any

import attrs

from ..store import codec as codec

_ATOMIC = frozenset((str, int, float, bool, type(None), bytes, complex, type, range))
_COLLECTIONS = (tuple, list, set, frozenset)


def _plain(val: Any) -> Any:
    """What ``attrs.asdict`` gives for any value (recursing, collection types retained)."""
    t = type(val)
    if t in _ATOMIC:
        return val
    # the common containers by exact type: copied whole when every item is atomic, else their atomic
    # items without a call each
    if t is dict:
        for k, v in val.items():
            if type(v) not in _ATOMIC or type(k) not in _ATOMIC:
                break
        else:
            return dict(val)
        return {k if type(k) in _ATOMIC else _plain(k): v if type(v) in _ATOMIC else _plain(v)
                for k, v in val.items()}
    if t is list:
        for i in val:
            if type(i) not in _ATOMIC:
                break
        else:
            return list(val)
        return [i if type(i) in _ATOMIC else _plain(i) for i in val]
    fields = getattr(t, "__attrs_attrs__", None)
    if fields is not None:
        return {a.name: _plain(getattr(val, a.name)) for a in fields}
    if issubclass(t, _COLLECTIONS):
        items = [_plain(i) for i in val]
        if t is list:
            return items
        try:
            return t(items)
        except TypeError:
            if not issubclass(t, tuple):
                raise
            return t(*items)  # a named tuple
    if issubclass(t, dict):
        return {_plain(k): _plain(v) for k, v in val.items()}
    return val


def _fields_or_jsonable(val: Any) -> Any:
    """For the JSON writer: an attrs object as the dict of its fields (what ``attrs.asdict`` gives one
    level deep; the writer goes on into the values), anything else as ``store_codec`` writes it."""
    fields = getattr(type(val), "__attrs_attrs__", None)
    if fields is not None:
        return {a.name: getattr(val, a.name) for a in fields}
    return codec.to_jsonable(val)


@attrs.define
class StepTrace:
    """An event step whose condition was tested. ``tests``: (test text, [(field, value)], outcome)."""

    workflow_code: str
    instance_id: str | None
    step_id: int
    event: str
    condition: str
    result: bool
    tests: list[tuple[str, list[tuple[str, Any]], bool]] = attrs.field(factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"workflow_code": self.workflow_code, "instance_id": self.instance_id, "step_id": self.step_id,
                "event": self.event, "condition": self.condition, "result": self.result,
                "tests": [(text, [_plain(r) for r in reads], ok) for text, reads, ok in self.tests]}


@attrs.define
class ResponseTrace:
    step_id: int
    name: str
    label: str = ""
    options: dict[str, Any] = attrs.field(factory=dict)
    notes: list[str] = attrs.field(factory=list)
    effects: list[str] = attrs.field(factory=list)
    raised: list[str] = attrs.field(factory=list)
    jump: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"step_id": self.step_id, "name": self.name, "label": self.label,
                "options": _plain(self.options), "notes": list(self.notes), "effects": list(self.effects),
                "raised": list(self.raised), "jump": self.jump}


@attrs.define
class Handled:
    """One handled event. ``outcome``: started | continued | no step matched | no step waiting |
    no workflow matched | no workflow | instance not running."""

    event: str
    record_type: str
    record_key: str
    user: str
    raised_by: str = ""
    outcome: str = ""
    started: bool = False
    instance_id: str | None = None
    workflow_code: str | None = None
    fired: StepTrace | None = None
    not_fired: list[StepTrace] = attrs.field(factory=list)
    responses: list[ResponseTrace] = attrs.field(factory=list)
    notes: list[str] = attrs.field(factory=list)
    archived: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"event": self.event, "record_type": self.record_type, "record_key": self.record_key,
                "user": self.user, "raised_by": self.raised_by, "outcome": self.outcome,
                "started": self.started, "instance_id": self.instance_id,
                "workflow_code": self.workflow_code,
                "fired": self.fired.to_json() if self.fired is not None else None,
                "not_fired": [s.to_json() for s in self.not_fired],
                "responses": [r.to_json() for r in self.responses], "notes": list(self.notes),
                "archived": self.archived}


@attrs.define
class EmitResult:
    """The answer to ``Engine.emit`` (and to a re-delivery with the same idempotency key).

    ``event_id``: the audit row. ``handled``: the event and every event its responses raised, in
    order. ``effects``: outbox rows written. ``replayed``: True when this is a stored first answer."""

    event_id: int
    handled: list[Handled] = attrs.field(factory=list)
    effects: list[dict[str, Any]] = attrs.field(factory=list)
    replayed: bool = False

    @property
    def instance_id(self) -> str | None:
        return self.handled[0].instance_id if self.handled else None

    @property
    def outcome(self) -> str:
        return self.handled[0].outcome if self.handled else ""

    def to_json(self) -> dict[str, Any]:
        # what ``attrs.asdict(self, recurse=True)`` gives (collection types retained; a test keeps the
        # two equal), written out: this runs for every handled event
        return {"event_id": self.event_id, "handled": [h.to_json() for h in self.handled],
                "effects": _plain(self.effects), "replayed": self.replayed}

    def stored_text(self) -> str:
        """The audit row's JSON text: ``to_json()`` without ``event_id``, written straight from the
        trace objects (no copy of the trace first; a test keeps the two texts equal)."""
        return codec.dumps_mostly_plain({"handled": self.handled, "effects": self.effects,
                                         "replayed": self.replayed}, default=_fields_or_jsonable)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EmitResult:
        def step(d: dict[str, Any] | None) -> StepTrace | None:
            if d is None:
                return None
            tests = [(t[0], [(k, v) for k, v in t[1]], t[2]) for t in d.get("tests", [])]
            return StepTrace(**{**d, "tests": tests})

        handled = []
        for h in data.get("handled", []):
            fired = step(h.get("fired"))
            not_fired = [s for s in (step(x) for x in h.get("not_fired", [])) if s is not None]
            responses = [ResponseTrace(**r) for r in h.get("responses", [])]
            handled.append(Handled(**{**h, "fired": fired, "not_fired": not_fired, "responses": responses}))
        return cls(event_id=data["event_id"], handled=handled, effects=list(data.get("effects", [])),
                   replayed=bool(data.get("replayed", False)))
