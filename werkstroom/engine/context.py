"""The ResponseContext a response behaviour receives, on top of one handled event's transaction.

Everything here writes through the run's session: record state, pending record changes, outbox
rows and approval/notification entries commit together with the event, or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol

import attrs
from sqlalchemy import select

from ..context import ApprovalsAPI, NotificationsAPI, RecordHandle, RecordStateAPI
from ..errors import WerkstroomError
from ..store import codec as codec
from ..store.database import RecordChangeRow
from .records import Rec, RecordCache
from .states import RecordStates, StateRow
from .unit import RunScope, UnitOfWork


class ChangeConflict(WerkstroomError):
    """WF508: a pending change cannot be applied because the field changed since."""

    code = "WF508"


def restriction_reason(workflow_code: str) -> str:
    return f"imposed by the {workflow_code} workflow"


class ResponseRun(Protocol):
    """What a response context writes through: the handled event's run (``engine.run.Run``)."""

    @property
    def uow(self) -> UnitOfWork: ...
    @property
    def records(self) -> RecordCache: ...
    @property
    def states(self) -> RecordStates: ...

    def note(self, text: str) -> None: ...
    def effect(self, kind: str, payload: dict[str, Any], *, instance_id: str = "",
               workflow_code: str = "") -> None: ...
    def status_change(self, document: Rec, old: Any, new: str, instance_id: str,
                      workflow_code: str) -> None: ...
    def queue_event(self, event: str, record: RecordHandle, user: str, *, instance_id: str | None = None,
                    raised_by: str = "", host: bool = False) -> None: ...


class RecordState(RecordStateAPI):
    """The workflow-relevant state of the document (BC: status, Restricted Record, Record Change)."""

    def __init__(self, run: ResponseRun, document: Rec, workflow_code: str, instance_id: str) -> None:
        self._run = run
        self._doc = document
        self._code = workflow_code
        self._instance = instance_id

    def _row(self) -> StateRow:
        return self._run.states.row(self._doc.type, self._doc.key)

    def _touch(self, row: StateRow) -> None:
        row.updated_at = self._run.uow.clock.now()

    def set_status(self, status: str) -> None:
        row = self._row()
        old = row.status if row.status is not None else self._doc.values.get("status")
        row.status = status
        self._touch(row)
        self._doc.values["status"] = status
        self._run.records.mark(self._doc)
        self._run.status_change(self._doc, old, status, self._instance, self._code)

    def restrict(self) -> None:
        row = self._row()
        row.restricted = True
        row.restriction_reason = restriction_reason(self._code)
        self._touch(row)

    def allow(self) -> None:
        row = self._row()
        row.restricted = False
        row.restriction_reason = ""
        self._touch(row)

    def revert_field(self, field: str) -> None:
        """Keep the change pending (old and new value) and put the old value back on the record."""
        old_values = self._doc.old_values
        if old_values is None or field not in old_values:
            raise WerkstroomError(
                f"cannot revert {self._doc.type}.{field}: the event carries no old value for it "
                f"(only record-change events do)", code="WF508")
        old = old_values.get(field)
        new = self._doc.values.get(field)
        if codec.dumps(old) == codec.dumps(new):
            self._run.note(f"{self._doc.type}.{field} did not change; nothing to revert")
            return
        self._run.uow.session.add(RecordChangeRow(
            record_type=self._doc.type, record_key=self._doc.key, field=field, old_value=codec.dumps(old),
            new_value=codec.dumps(new), instance_id=self._instance, workflow_code=self._code,
            created_at=self._run.uow.clock.now()))
        self._doc.values[field] = old
        self._run.records.mark(self._doc)
        self._run.effect("record.field_reverted", {
            "record_type": self._doc.type, "key": self._doc.key, "field": field,
            "old_value": codec.plain(old), "new_value": codec.plain(new)})
        self._run.note(f"{self._doc.type}.{field} reverted to {codec.plain(old)}; "
                       f"{codec.plain(new)} waits for approval")

    def _changes(self, field: str | None) -> list[RecordChangeRow]:
        stmt = select(RecordChangeRow).where(
            RecordChangeRow.record_type == self._doc.type, RecordChangeRow.record_key == self._doc.key)
        if field is not None:
            stmt = stmt.where(RecordChangeRow.field == field)
        return list(self._run.uow.session.scalars(stmt.order_by(RecordChangeRow.id)))

    def apply_new_values(self, field: str | None) -> None:
        """Apply pending changes, each only if the field still holds the value it was changed from."""
        session = self._run.uow.session
        for ch in self._changes(field):
            old = codec.loads(ch.old_value)
            new = codec.loads(ch.new_value)
            current = self._doc.values.get(ch.field)
            if codec.dumps(current) != codec.dumps(old):
                raise ChangeConflict(
                    f"cannot apply the approved change of {self._doc.type} {self._doc.key}.{ch.field} "
                    f"({codec.plain(old)} -> {codec.plain(new)}): the field now holds "
                    f"{codec.plain(current)}, so someone changed it in the meantime")
            self._doc.values[ch.field] = new
            session.delete(ch)
            self._run.effect("record.field_applied", {
                "record_type": self._doc.type, "key": self._doc.key, "field": ch.field,
                "value": codec.plain(new)})
            self._run.note(f"{self._doc.type}.{ch.field} set to the approved value {codec.plain(new)}")
        self._run.records.mark(self._doc)

    def discard_new_values(self) -> None:
        session = self._run.uow.session
        for ch in self._changes(None):
            session.delete(ch)
            self._run.note(f"pending change of {self._doc.type}.{ch.field} discarded")


class Context:
    """ResponseContext for one response step of one instance."""

    def __init__(self, run: ResponseRun, *, event: str, record: Rec, document: Rec,
                 options: Mapping[str, Any], workflow_code: str, workflow_description: str, instance_id: str,
                 user: str) -> None:
        self._run = run
        self._event = event
        self._record = record
        self._document = document
        self._options = options
        self._code = workflow_code
        self._description = workflow_description
        self._instance = instance_id
        self._user = user
        self._approvals: ApprovalsAPI | None = None
        self._notifications: NotificationsAPI | None = None
        self._state: RecordState | None = None  # made when a response asks for it

    @property
    def record(self) -> RecordHandle:
        return self._record

    @property
    def document(self) -> RecordHandle:
        return self._document

    @property
    def options(self) -> Mapping[str, Any]:
        return self._options

    @property
    def event(self) -> str:
        return self._event

    @property
    def user(self) -> str:
        return self._user

    @property
    def workflow_code(self) -> str:
        return self._code

    @property
    def workflow_description(self) -> str:
        return self._description

    @property
    def instance_id(self) -> str:
        return self._instance

    def scope(self) -> RunScope:
        return RunScope(
            uow=self._run.uow, instance_id=self._instance, workflow_code=self._code,
            workflow_description=self._description, document=self._document, event_record=self._record,
            user=self._user, raise_event=self.raise_event, explain=self.explain, emit_effect=self._emit_dict)

    @property
    def approvals(self) -> ApprovalsAPI:
        if self._approvals is None:
            self._approvals = _services().approvals(self.scope())
        return self._approvals

    @property
    def notifications(self) -> NotificationsAPI:
        if self._notifications is None:
            self._notifications = _services().notifications(self.scope())
        return self._notifications

    @property
    def state(self) -> RecordStateAPI:
        if self._state is None:
            self._state = RecordState(self._run, self._document, self._code, self._instance)
        return self._state

    def now(self) -> dt.datetime:
        return self._run.uow.clock.now()

    def today(self) -> dt.date:
        return self.now().date()

    def raise_event(self, event: str, record: RecordHandle | None = None) -> None:
        vocab = self._run.records.vocab
        if vocab.event(event) is None:  # refused here, so the WF505 names the response that raised it
            from ..spelling import suggest
            from .records import UnknownEvent

            known = getattr(getattr(vocab, "_cat", None), "events", ())
            close = suggest(event, [e.name for e in known])
            hint = f"; did you mean {close[0]!r}?" if close else " (see `wf catalogue events`)"
            raise UnknownEvent(f"raise_event: there is no event {event!r} in the catalogue{hint}")
        self._run.queue_event(event, record if record is not None else self._record, self._user,
                              instance_id=self._instance)

    def _emit_dict(self, kind: str, payload: dict[str, object]) -> None:
        self.emit_effect(kind, payload)

    def emit_effect(self, kind: str, payload: Mapping[str, Any]) -> None:
        problem = effect_problem(kind, payload)
        if problem:  # refused here, so the WF505 names the response (and library) that emitted it
            from .records import InvalidRecord

            raise InvalidRecord(f"emit_effect({kind!r}): {problem}")
        self._run.effect(kind, dict(payload), instance_id=self._instance, workflow_code=self._code)

    def show_message(self, text: str) -> None:
        self._run.effect("message", {"user": self._user, "text": text}, instance_id=self._instance,
                         workflow_code=self._code)
        self._run.note(f"message to {self._user}: {text}")

    def explain(self, text: str) -> None:
        self._run.note(text)

    def related(self, record: RecordHandle, relation: str) -> Sequence[RecordHandle]:
        return self._run.records.related(record.type, record.values, relation)


_EFFECT_LEAVES = (str, int, type(None), Decimal, dt.date)  # bool is an int, datetime a date
_EFFECT_HELP = ("an effect holds text, integers, booleans, None, Decimal (money: never float), dates, "
                "datetimes, and lists and dicts (with text keys) of those")  # not sets: no order


def effect_problem(kind: object, payload: object) -> str:
    """'' when an effect's kind is text and its payload a dict of plain data, else what is wrong:
    effects are for the host system, stored exactly (a float or an object would be stored as text)."""
    if not isinstance(kind, str):
        return f"the kind must be text, got {type(kind).__name__}"
    if not isinstance(payload, Mapping):
        return f"the payload must be a dict, got {type(payload).__name__}"
    for k, v in payload.items():  # most payloads are flat: no walk
        if type(v) not in _FLAT_LEAVES or type(k) is not str:
            return _value_problem(dict(payload), "payload", 0)
    return ""


_FLAT_LEAVES = frozenset((str, int, bool, type(None)))


def _value_problem(v: object, path: str, depth: int) -> str:
    if depth > 50:
        return f"{path} is nested more than 50 levels deep (a list or dict that contains itself?)"
    if isinstance(v, Mapping):
        for k, x in v.items():
            if not isinstance(k, str):
                return f"{path} has the key {k!r} ({type(k).__name__}); keys must be text"
            problem = _value_problem(x, f"{path}[{k!r}]", depth + 1)
            if problem:
                return problem
        return ""
    if isinstance(v, list | tuple):  # a tuple is stored as a list
        for i, x in enumerate(v):
            problem = _value_problem(x, f"{path}[{i}]", depth + 1)
            if problem:
                return problem
        return ""
    if isinstance(v, float):
        return (f"{path} is a float ({v!r}); write money and quantities as Decimal, never float "
                f"({_EFFECT_HELP})")
    if isinstance(v, Decimal) and not v.is_finite():
        return f"{path} is {v}, which is no amount ({_EFFECT_HELP})"
    if isinstance(v, _EFFECT_LEAVES):
        return ""
    return f"{path} is {type(v).__name__} ({_short(v)}), not plain data ({_EFFECT_HELP})"


def _short(v: object) -> str:
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


@attrs.frozen
class _Services:
    approvals: Any
    notifications: Any


_SERVICES: list[_Services] = []


def _services() -> _Services:
    """The approval and notification service classes, imported on first use (they import the engine's
    modules, so not at import time) and kept: an import statement per response costs microseconds."""
    if not _SERVICES:
        from .approvals.service import ApprovalService
        from .notifications.service import NotificationService

        _SERVICES.append(_Services(ApprovalService, NotificationService))
    return _SERVICES[0]
