"""A small in-memory ResponseContext for unit-testing the stdlib's response behaviours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any

from werkstroom.binding.libraries import stdlib_catalogue
from werkstroom.catalogue.catalogue import Catalogue
from werkstroom.catalogue.specs import ResponseSpec

_CAT: Catalogue | None = None


def catalogue() -> Catalogue:
    global _CAT
    if _CAT is None:
        _CAT = stdlib_catalogue()
    return _CAT


def response(name: str) -> ResponseSpec:
    spec = catalogue().response(name)
    assert spec is not None, name
    return spec


class FakeRecord:
    def __init__(
        self,
        type_: str,
        key: str,
        values: dict[str, Any] | None = None,
        old_values: dict[str, Any] | None = None,
    ) -> None:
        self._type = type_
        self._key = key
        self._values: dict[str, Any] = dict(values or {})
        self._old = old_values

    @property
    def type(self) -> str:
        return self._type

    @property
    def key(self) -> str:
        return self._key

    @property
    def values(self) -> MutableMapping[str, Any]:
        return self._values

    @property
    def old_values(self) -> Mapping[str, Any] | None:
        return self._old


class _Recorder:
    def __init__(self, calls: list[tuple[Any, ...]], prefix: str) -> None:
        self._calls = calls
        self._prefix = prefix

    def __getattr__(self, name: str) -> Any:
        def call(*args: Any) -> None:
            self._calls.append(
                (f"{self._prefix}.{name}", *[dict(a) if isinstance(a, Mapping) else a for a in args])
            )

        return call


class FakeState:
    def __init__(self, ctx: FakeContext) -> None:
        self.ctx = ctx

    def set_status(self, status: str) -> None:
        self.ctx.calls.append(("state.set_status", status))
        self.ctx.document.values["status"] = status

    def restrict(self) -> None:
        self.ctx.calls.append(("state.restrict",))

    def allow(self) -> None:
        self.ctx.calls.append(("state.allow",))

    def revert_field(self, field: str) -> None:
        self.ctx.calls.append(("state.revert_field", field))

    def apply_new_values(self, field: str | None) -> None:
        self.ctx.calls.append(("state.apply_new_values", field))

    def discard_new_values(self) -> None:
        self.ctx.calls.append(("state.discard_new_values",))


class FakeContext:
    """Records everything a behaviour does: ``calls`` (API calls), ``effects``, ``events``,
    ``messages``, ``explanations``. ``links`` maps (record key, relation) -> related records."""

    def __init__(
        self,
        document: FakeRecord,
        *,
        options: Mapping[str, Any] | None = None,
        record: FakeRecord | None = None,
        event: str = "SomeEvent",
        links: Mapping[tuple[str, str], Sequence[FakeRecord]] | None = None,
    ) -> None:
        self._document = document
        self._record = record or document
        self._options = dict(options or {})
        self._event = event
        self.links = dict(links or {})
        self.calls: list[tuple[Any, ...]] = []
        self.effects: list[tuple[str, dict[str, Any]]] = []
        self.events: list[tuple[str, str | None]] = []
        self.messages: list[str] = []
        self.explanations: list[str] = []
        self._state = FakeState(self)

    @classmethod
    def for_response(
        cls, name: str, document: FakeRecord, options: Mapping[str, Any] | None = None, **kw: Any
    ) -> FakeContext:
        """Options as the binder would give them: the response's defaults, then ``options``."""
        spec = response(name)
        opts = {o.name: o.default for o in spec.options}
        opts.update(options or {})
        return cls(document, options=opts, **kw)

    @property
    def record(self) -> FakeRecord:
        return self._record

    @property
    def document(self) -> FakeRecord:
        return self._document

    @property
    def options(self) -> Mapping[str, Any]:
        return self._options

    @property
    def event(self) -> str:
        return self._event

    @property
    def user(self) -> str:
        return "ALICE"

    @property
    def workflow_code(self) -> str:
        return "WF-TEST"

    @property
    def workflow_description(self) -> str:
        return "test workflow"

    @property
    def instance_id(self) -> str:
        return "inst-1"

    @property
    def approvals(self) -> Any:
        return _Recorder(self.calls, "approvals")

    @property
    def notifications(self) -> Any:
        return _Recorder(self.calls, "notifications")

    @property
    def state(self) -> FakeState:
        return self._state

    def now(self) -> dt.datetime:
        return dt.datetime(2026, 1, 31, 12, 0, tzinfo=dt.UTC)

    def today(self) -> dt.date:
        return dt.date(2026, 1, 31)

    def raise_event(self, event: str, record: Any = None) -> None:
        self.events.append((event, None if record is None else record.key))

    def emit_effect(self, kind: str, payload: Mapping[str, Any]) -> None:
        self.effects.append((kind, dict(payload)))

    def show_message(self, text: str) -> None:
        self.messages.append(text)

    def explain(self, text: str) -> None:
        self.explanations.append(text)

    def related(self, record: Any, relation: str) -> Sequence[FakeRecord]:
        return self.links.get((record.key, relation), ())


def run(name: str, ctx: FakeContext) -> FakeContext:
    response(name).run(ctx)
    return ctx
