"""One handled event, in one transaction: BC's Workflow Management walk (catalogue.md section 7).

``Run.handle`` finds the actionable event step (continue a running instance of the record first;
else start the first enabled workflow whose entry point matches), fires it (complete it, ignore its
siblings, run the response chain, follow jumps, activate children), then handles the events the
responses raised, in order, and archives instances that have no active step left.
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections import deque
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
from sqlalchemy import Table, and_, bindparam, delete, func, insert, literal, select, update

from ..binding.program import BoundStep
from ..catalogue.specs import EventSpec
from ..context import RecordHandle
from ..errors import WerkstroomError
from ..store import codec as codec
from ..store.database import (
    ADVISORY_LOCK,
    ArchivedInstanceRow,
    EventLogRow,
    InstanceRow,
    OutboxRow,
    RecordRow,
    RecordStateRow,
    WorkflowRow,
    WorkflowVersionRow,
    advisory_key,
    decode_step_states,
    next_counter,
)
from ..store.driver import Params, Statement
from .context import Context
from .hold import keep_engine_status, refuse_second_start
from .records import RECORD_GET, STATE_COLUMNS, Rec, RecordCache, Vocabulary, check_changes, record_key
from .states import RecordStates
from .trace import Handled, ResponseTrace, StepTrace
from .unit import UnitOfWork
from .workflows import CompiledWorkflow, StepLinks, UnknownWorkflow, WorkflowCache

INACTIVE, ACTIVE, COMPLETED, IGNORED = "Inactive", "Active", "Completed", "Ignored"
# the enabled workflows whose entry point listens to an event, with the id of their current version,
# in code order (one query on the ``entry_event`` index: the workflows on other events are not read)
_ENABLED_ON_EVENT = Statement(
    select(WorkflowRow.code, WorkflowRow.current_version, WorkflowVersionRow.id)
    .outerjoin(WorkflowVersionRow, and_(WorkflowVersionRow.workflow_code == WorkflowRow.code,
                                        WorkflowVersionRow.version_no == WorkflowRow.current_version))
    .where(WorkflowRow.entry_event == bindparam("event"), WorkflowRow.enabled == bindparam("enabled"))
    .order_by(WorkflowRow.code))
# PostgreSQL: events for one record, and deliveries of one message, are handled one at a time (an
# advisory lock held until the transaction ends, on a number made from the record's type and key, or
# from the idempotency key, see ``store.database.ADVISORY_LOCK``); SQLite serializes all writers already
_LOCK = Statement(ADVISORY_LOCK)
MAX_EVENTS_PER_RUN = 500
# the value types ``codec.plain`` gives back as they are (exact types)
_FLAT = frozenset((str, int, bool, type(None)))


class ResponseFailed(WerkstroomError):
    """WF505: a response raised; the whole event is rolled back. Carries workflow, step, traceback."""

    code = "WF505"

    def __init__(self, message: str, *, workflow: str, step: int, response: str, original: BaseException,
                 trace: str) -> None:
        super().__init__(message)
        self.workflow = workflow
        self.step = step
        self.response = response
        self.original = original
        self.traceback = trace
        self.original_code = getattr(original, "code", None)


class EventLoop(WerkstroomError):
    code = "WF510"


class UnknownResponse(WerkstroomError):
    code = "WF512"


class NoKnownInstance(WerkstroomError):
    code = "WF514"


@attrs.define
class Inst:
    """A running instance (a ``wf_instance`` row) as the run reads and writes it, through Core
    statements: read fresh at each handled event, written at once."""

    id: str
    seq: int
    workflow_code: str
    version_id: int
    record_type: str
    record_key: str
    started_by: str
    created_at: dt.datetime
    step_states: str

    def row(self) -> dict[str, Any]:
        """The ``wf_instance`` row's values (``attrs.asdict``, written out: one per started instance)."""
        return {"id": self.id, "seq": self.seq, "workflow_code": self.workflow_code,
                "version_id": self.version_id, "record_type": self.record_type,
                "record_key": self.record_key, "started_by": self.started_by,
                "created_at": self.created_at, "step_states": self.step_states}


_INSTANCES: Table = InstanceRow.__table__  # type: ignore[assignment]
_ARCHIVE: Table = ArchivedInstanceRow.__table__  # type: ignore[assignment]
_OUTBOX: Table = OutboxRow.__table__  # type: ignore[assignment]
# prepared statements run on the driver (werkstroom.store.driver): compiled once per dialect; the
# outbox rows as one multi-row INSERT (every row has the same keys)
_INSTANCE_FIELDS = [f.name for f in attrs.fields(Inst)]
_INSERT_OUTBOX = Statement(insert(_OUTBOX), columns=["kind", "payload", "instance_id", "workflow_code",
                                                     "event_id", "created_at"])
# PostgreSQL: the outbox rows of the event whose audit row this transaction has just inserted (the
# session's current value of the audit table's id sequence), so its id need not be waited for first
_INSERT_OUTBOX_OF_LAST_EVENT = Statement(
    insert(_OUTBOX).values(kind=bindparam("kind"), payload=bindparam("payload"),
                           instance_id=bindparam("instance_id"), workflow_code=bindparam("workflow_code"),
                           created_at=bindparam("created_at"),
                           event_id=func.currval(func.pg_get_serial_sequence(
                               literal(EventLogRow.__tablename__), literal("id")))))
_INSERT_INSTANCE = Statement(insert(_INSTANCES), columns=_INSTANCE_FIELDS)
_INSERT_ARCHIVE = Statement(insert(_ARCHIVE), columns=[*_INSTANCE_FIELDS, "archived_at"])
_INSTANCE_COLS = [_INSTANCES.c[name] for name in _INSTANCE_FIELDS]
_RECORDS: Table = RecordRow.__table__  # type: ignore[assignment]
_STATES: Table = RecordStateRow.__table__  # type: ignore[assignment]
# the instance with its document's stored values (the handling of an approval event needs both):
# one read instead of two; only the instance row is locked (PostgreSQL)
_INSTANCE_BY_ID = Statement(
    select(*_INSTANCE_COLS, _RECORDS.c.values_json, *STATE_COLUMNS)
    # a flat chain of joins (a nested one makes SQLite materialize the whole record table)
    .select_from(_INSTANCES
                 .outerjoin(_RECORDS, and_(_RECORDS.c.record_type == _INSTANCES.c.record_type,
                                           _RECORDS.c.record_key == _INSTANCES.c.record_key))
                 .outerjoin(_STATES, and_(_STATES.c.record_type == _INSTANCES.c.record_type,
                                          _STATES.c.record_key == _INSTANCES.c.record_key)))
    .where(_INSTANCES.c.id == bindparam("id"))
    .with_for_update(of=_INSTANCES))
_INSTANCES_OF_RECORD = Statement(select(*_INSTANCE_COLS)
                                 .where(_INSTANCES.c.record_type == bindparam("rt"),
                                        _INSTANCES.c.record_key == bindparam("rk"))
                                 .order_by(_INSTANCES.c.seq).with_for_update())
_SET_STEP_STATES = Statement(update(_INSTANCES).where(_INSTANCES.c.id == bindparam("b_id"))
                             .values(step_states=bindparam("b_states")))
_DELETE_INSTANCE = Statement(delete(_INSTANCES).where(_INSTANCES.c.id == bindparam("b_id")))


@attrs.define
class Queued:
    event: str
    record: Rec
    user: str
    instance_id: str | None = None
    raised_by: str = ""
    # a host's payload (``Engine.emit``): the status the engine set wins over the one it carries
    host: bool = False


def as_rec(record: RecordHandle) -> Rec:
    if isinstance(record, Rec):
        return record
    return Rec(record.type, record.key, dict(record.values), record.old_values)


class Run:
    """The state of one transaction: queue, record cache, outbox rows and the trace."""

    def __init__(self, uow: UnitOfWork, vocab: Vocabulary, workflows: WorkflowCache, *,
                 explain: bool = False) -> None:
        self.uow = uow
        self.vocab = vocab
        self.workflows = workflows
        self.explain = explain
        self.records = RecordCache(uow, vocab)
        self.queue: deque[Queued] = deque()
        self.handled: list[Handled] = []
        self.effects: list[dict[str, Any]] = []
        self._current: Handled | None = None
        self._current_response: ResponseTrace | None = None
        # outbox rows, written with one multi-row INSERT when the run ends (only read after commit)
        self._outbox: list[dict[str, Any]] = []
        uow.outbox = self.effect  # outbox rows of code that has only the unit of work (add_effect)
        self.states = RecordStates(uow, self.records)
        # instances started in this run whose row is not written yet (see _start)
        self._unsaved: set[str] = set()

    # ------------------------------------------------------------------ outputs

    def note(self, text: str) -> None:
        if self._current_response is not None:
            self._current_response.notes.append(text)
        elif self._current is not None:
            self._current.notes.append(text)

    def effect(self, kind: str, payload: dict[str, Any], *, instance_id: str = "",
               workflow_code: str = "") -> None:
        self._outbox.append({"kind": kind, "payload": codec.dumps(payload), "instance_id": instance_id,
                             "workflow_code": workflow_code, "event_id": None,
                             "created_at": self.uow.clock.now()})
        self.effects.append({"kind": kind, "payload": _plain_payload(payload), "instance_id": instance_id,
                             "workflow_code": workflow_code})
        if self._current_response is not None:
            self._current_response.effects.append(kind)

    def status_change(self, document: Rec, old: Any, new: str, instance_id: str, workflow_code: str) -> None:
        """Record a document status change (outbox ``record.status_changed`` for the host)."""
        self.effect("record.status_changed", {"record_type": document.type, "key": document.key,
                                              "old_status": old, "status": new},
                    instance_id=instance_id, workflow_code=workflow_code)

    def queue_event(self, event: str, record: RecordHandle, user: str, *, instance_id: str | None = None,
                    raised_by: str = "", host: bool = False) -> None:
        src = raised_by or (self._current_response.name if self._current_response else "")
        self.queue.append(Queued(event, as_rec(record), user, instance_id, src, host))
        if self._current_response is not None:
            self._current_response.raised.append(event)

    # ------------------------------------------------------------------ the loop

    def drain(self) -> None:
        count = 0
        while self.queue:
            count += 1
            if count > MAX_EVENTS_PER_RUN:
                raise EventLoop(f"more than {MAX_EVENTS_PER_RUN} events were raised while handling one "
                                f"event; a workflow probably raises events in a loop")
            self.handle(self.queue.popleft())
        self.records.flush()
        self.states.flush()

    def write_outbox(self, event_id: int | None, *, of_last_event: bool = False) -> None:
        """The run's outbox rows, in one multi-row INSERT, tagged with the handled event's id;
        ``of_last_event`` (PostgreSQL): with the id of the audit row this transaction inserted last."""
        if self._outbox:
            if of_last_event:
                self.uow.db.write_many(_INSERT_OUTBOX_OF_LAST_EVENT, self._outbox)
            else:
                for row in self._outbox:
                    row["event_id"] = event_id
                self.uow.db.write_many(_INSERT_OUTBOX, self._outbox)
            self._outbox = []

    def handle(self, q: Queued) -> None:
        spec = self.vocab.require_event(q.event)
        rec = q.record
        h = Handled(event=spec.name, record_type=rec.type, record_key=rec.key, user=q.user,
                    raised_by=q.raised_by)
        self.handled.append(h)
        self._current = h
        try:
            self._handle(spec, rec, q, h)
        finally:
            self._current = None

    def _handle(self, spec: EventSpec, rec: Rec, q: Queued, h: Handled) -> None:
        name, known = spec.name, spec.on_known_instance
        if known:
            iid = q.instance_id or rec.values.get("instance_id")
            if not iid:
                raise NoKnownInstance(f"the event {name} is handled only on the workflow instance that owns "
                                      f"the record, and {rec.type} {rec.key} names none")
            inst = self._instance(str(iid))
            if inst is None:
                h.outcome = "instance not running"
                h.notes.append(f"instance {iid} is no longer running; nothing to do")
                return
            instances = [inst]
        else:
            # lock the record's running instances (PostgreSQL; SQLite serializes writers already)
            instances = self._instances_of(rec.type, rec.key)
            if q.host:
                self._keep_engine_status(rec, held=bool(instances))
        # 1. continue a running instance: active event steps with this event, in sibling order
        candidates = self._candidates(instances, name)
        if not candidates and not known:
            # 2. BC's related-record match: an instance about a record this record points to
            # (a line event continuing its document's instance)
            candidates = self._candidates(self._related_instances(rec), name)
        if candidates:
            for inst, cw, step in candidates:
                if self._test(cw, step, rec, h, inst.id):
                    h.outcome = "continued"
                    h.instance_id, h.workflow_code = inst.id, cw.workflow.code
                    document = self._document(inst, rec)
                    self._fire(inst, cw, step, rec, document, q.user, h)
                    return
            h.outcome = "no step matched"
            return
        if known:
            h.outcome = "no step waiting"
            return
        if not spec.record_change:  # sent again while the workflow it started runs: refused
            refuse_second_start(instances, self._version, rec, name)
        self._start_first(name, spec.record_change, rec, instances, q, h)

    def _start_first(self, name: str, change: bool, rec: Rec, running: list[Inst], q: Queued,
                     h: Handled) -> None:
        """2. Start the first enabled workflow whose entry point matches. A record-change event whose
        entry condition holds for a workflow that runs on the record already is refused (WF516)."""
        for code, current_version, version_id in self.uow.db.rows(_ENABLED_ON_EVENT, enabled_on(name)):
            if version_id is None:
                raise UnknownWorkflow(f"workflow {code} has no version {current_version}")
            cw = self._version(version_id)
            for step in cw.workflow.entry_points:
                if step.name != name or (step.record_type and step.record_type != rec.type):
                    continue
                if self._test(cw, step, rec, h, None):
                    if change:
                        refuse_second_start([i for i in running if i.workflow_code == code], self._version,
                                            rec, name)
                    inst = self._start(cw, rec, q.user)
                    h.outcome = "started"
                    h.started = True
                    h.instance_id, h.workflow_code = inst.id, cw.workflow.code
                    self._fire(inst, cw, step, rec, rec, q.user, h)
                    return
        h.outcome = "no workflow matched" if h.not_fired else "no workflow"

    def keep_engine_status(self, rec: Rec) -> None:
        """``hold.keep_engine_status`` for a host's record outside an event."""
        self._keep_engine_status(rec, held=bool(self._instances_of(rec.type, rec.key)))

    def _keep_engine_status(self, rec: Rec, *, held: bool) -> None:
        keep_engine_status(self.states, rec, held=held, note=self.note, now=self.uow.clock.now)

    def _candidates(self, instances: list[Inst],
                    name: str) -> list[tuple[Inst, CompiledWorkflow, BoundStep]]:
        """The instances' waiting (Active) event steps for the event, each instance's in sibling order."""
        out: list[tuple[Inst, CompiledWorkflow, BoundStep]] = []
        for inst in instances:
            cw = self._version(inst.version_id)
            named = cw.events_named.get(name)
            if named:
                states = decode_step_states(inst.step_states)
                out += [(inst, cw, s) for s in named if states.get(s.id) == ACTIVE]
        return out

    def waiting_for(self, instance_id: str, event: str) -> tuple[Inst | None, list[BoundStep]]:
        """The running instance (None: not running), locked, and its steps that wait for ``event`` (Active
        event steps of that name: all ``event`` can fire on it, see ``_candidates``)."""
        inst = self._instance(instance_id)
        return inst, [step for _, _, step in self._candidates([inst] if inst is not None else [], event)]

    def _version(self, version_id: int) -> CompiledWorkflow:
        # the unit of work's session is made only for a version this process has not compiled yet
        return self.workflows.cached(version_id) or self.workflows.version(self.uow.session, version_id)

    def _related_instances(self, rec: Rec) -> list[Inst]:
        """Running instances of the records ``rec`` links to through its to-one relations."""
        found: list[Inst] = []
        for record_type, key in _linked(self.vocab, rec.type, rec.values):
            found.extend(self._instances_of(record_type, key))
        return found

    def _document(self, inst: Inst, rec: Rec) -> Rec:
        if inst.record_type == rec.type and inst.record_key == rec.key:
            self.records.mark(rec)
            return rec
        doc = self.records.get(inst.record_type, inst.record_key)
        if doc is None:
            doc = Rec(inst.record_type, inst.record_key, {})
        return doc

    def _test(self, cw: CompiledWorkflow, step: BoundStep, rec: Rec, h: Handled,
              instance_id: str | None) -> bool:
        cond = cw.conditions[step.id]
        values, old, lookup = rec.values, rec.old_values, self.records.lookup
        tests: list[tuple[str, list[tuple[str, Any]], bool]] = []
        if self.explain:
            ex = cond.explain(values, old, lookup)
            result = ex.result
            tests = [(t.text, [(k, codec.plain(v)) for k, v in t.reads], t.result) for t in ex.tests]
        else:
            result = cond(values, old, lookup)
        trace = StepTrace(cw.workflow.code, instance_id, step.id, step.name, cw.links[step.id].condition_text,
                          result, tests)
        if result:
            h.fired = trace
        else:
            h.not_fired.append(trace)
        return result

    # ------------------------------------------------------------------ instances and steps

    def _instance(self, instance_id: str) -> Inst | None:
        """A running instance by id, locked for this transaction (PostgreSQL)."""
        row = self.uow.db.first(_INSTANCE_BY_ID, {"id": instance_id})
        if row is None:
            return None
        n = len(_INSTANCE_COLS)
        inst = Inst(*row[:n])
        self.records.prime(inst.record_type, inst.record_key, row[n], row[n + 1:])
        return inst

    def _instances_of(self, record_type: str, record_key: str) -> list[Inst]:
        """The running instances of a record, oldest first, locked (PostgreSQL; SQLite serializes
        writers already)."""
        return [Inst(*row) for row in self.uow.db.rows(
            _INSTANCES_OF_RECORD, {"rt": record_type, "rk": record_key})]

    def _start(self, cw: CompiledWorkflow, rec: Rec, user: str) -> Inst:
        now = self.uow.clock.now()
        inst = Inst(id=self.uow.ids.new_id("instance"), seq=next_counter(self.uow.db, "instance"),
                    workflow_code=cw.workflow.code, version_id=cw.version_id, record_type=rec.type,
                    record_key=rec.key, started_by=user, created_at=now, step_states="")
        # written when its first event step has fired, with the step states it has then (one INSERT)
        self._unsaved.add(inst.id)
        self.records.mark(rec)
        return inst

    def _fire(self, inst: Inst, cw: CompiledWorkflow, step: BoundStep, rec: Rec, document: Rec,
              user: str, h: Handled) -> None:
        # the step instances' statuses live in the instance row (absent = Inactive): one UPDATE
        states = decode_step_states(inst.step_states)
        links = cw.links
        # the event step fires
        lk = links[step.id]
        states[step.id] = COMPLETED
        _ignore_siblings(states, lk)
        _arm_children(states, lk)
        while (resp := lk.first_response) is not None:
            self._execute(inst, cw, resp, step, rec, document, user, h)
            if resp.next_step is not None:
                _jump_to(states, links, links[resp.next_step])
                h.responses[-1].jump = resp.next_step
            states[resp.id] = COMPLETED
            lk = links[resp.id]
            _arm_children(states, lk)
        if step.next_step is not None:  # a jump stored on an event step with no response before it
            target = links[step.next_step].step
            h.notes.append(
                f"continue at step {target.id} ({target.label or target.name.replace('_', ' ')}): "
                + ("its waiting events are armed again; the response itself is not run again (as in BC)"
                   if target.kind == "response" else "that event waits again"))
            _jump_to(states, links, links[target.id])
        self.records.flush()
        encoded = cw.encode_states(states)
        if ACTIVE not in states.values():
            self._archive(inst, encoded)
            h.archived = True
        elif inst.id in self._unsaved:
            inst.step_states = encoded
            self._unsaved.discard(inst.id)
            self.uow.db.write_many(_INSERT_INSTANCE, [inst.row()])
        elif inst.step_states != encoded:
            inst.step_states = encoded
            self.uow.db.write(_SET_STEP_STATES, {"b_id": inst.id, "b_states": encoded})

    def _execute(self, inst: Inst, cw: CompiledWorkflow, resp: BoundStep, event_step: BoundStep,
                 rec: Rec, document: Rec, user: str, h: Handled) -> None:
        spec = self.vocab.response(resp.name)
        trace = ResponseTrace(step_id=resp.id, name=resp.name, label=resp.label or "",
                              options=dict(cw.plain_options[resp.id]))
        h.responses.append(trace)
        if spec is None:
            raise UnknownResponse(f"step {resp.id} of workflow {cw.workflow.code} uses the response "
                                  f"{resp.name!r}, which the catalogue does not know")
        ctx = Context(self, event=event_step.name, record=rec, document=document, options=resp.options,
                      workflow_code=cw.workflow.code, workflow_description=cw.workflow.description,
                      instance_id=inst.id, user=user)
        self._current_response = trace
        before = dict(document.values)
        try:
            spec.run(ctx)
            check_changes(self.vocab, document, before)  # what it wrote must fit, as a payload must
        except Exception as exc:
            # a coded error (a refusal such as WF601) speaks for itself; anything else is a bug in the
            # response's code and is named by its exception type
            detail = str(exc) if isinstance(exc, WerkstroomError) else f"{type(exc).__name__}: {exc}"
            raise ResponseFailed(
                f"the response '{resp.name}'{_library_of(self.vocab, resp.name)} "
                f"(step {resp.id} of workflow {cw.workflow.code}) failed: "
                f"{detail}; "
                f"the event was not applied",
                workflow=cw.workflow.code, step=resp.id, response=resp.name, original=exc,
                trace="".join(traceback.format_exception(exc))) from exc
        finally:
            self._current_response = None
        self.records.mark(document)

    def _archive(self, inst: Inst, step_states: str) -> None:
        """One INSERT into the archive and one DELETE of the running instance."""
        db = self.uow.db
        db.write_many(_INSERT_ARCHIVE, [{**inst.row(), "step_states": step_states,
                                          "archived_at": self.uow.clock.now()}])
        if inst.id in self._unsaved:  # started and finished by the same event: never written
            self._unsaved.discard(inst.id)
        else:
            db.write(_DELETE_INSTANCE, {"b_id": inst.id})


def _linked(vocab: Vocabulary, record_type: str, values: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(type, key) of the records a record's values point to through its to-one relations."""
    spec = vocab.record(record_type)
    if spec is None:
        return
    for rel in spec.relations:
        target = vocab.record(rel.record)
        if rel.many or target is None:
            continue
        link = {there: values.get(here) for here, there in rel.join}
        if tuple(sorted(link)) != tuple(sorted(target.key)) or any(v is None for v in link.values()):
            continue
        yield rel.record, record_key(target, link)


def _advisory(*parts: str) -> tuple[Statement, Params]:
    """A transaction-level advisory lock (PostgreSQL) on the number of the parts (``advisory_key``)."""
    return _LOCK, {"k": advisory_key(*parts)}


def record_lock(record_type: str, key: str) -> tuple[Statement, Params]:
    """The statement that takes a record's event lock (PostgreSQL)."""
    return _advisory("record", record_type, key)


def delivery_lock(idempotency_key: str) -> tuple[Statement, Params]:
    """The statement that takes an idempotency key's lock (PostgreSQL): a second delivery of a message
    waits until the first is committed or rolled back, then finds its audit row (or handles it)."""
    return _advisory("delivery", idempotency_key)


def enabled_on(event: str) -> Params:
    """The parameters of the read of the enabled workflows that can start on ``event``."""
    return {"event": event, "enabled": True}


def event_reads(vocab: Vocabulary, event: str, record_type: str, key: str,
                values: Mapping[str, Any]) -> list[tuple[Statement, Params]]:
    """What handling ``event`` for a record not tied to a known instance reads first, in that order:
    the record with its state, its running instances (locked), those of the records it points to,
    and the enabled workflows on the event. ``values``: the payload's (the stored record may point
    elsewhere; then that read is simply not used)."""
    reads: list[tuple[Statement, Params]] = [
        (RECORD_GET, {"b_rt": record_type, "b_rk": key}),
        (_INSTANCES_OF_RECORD, {"rt": record_type, "rk": key})]
    reads.extend((_INSTANCES_OF_RECORD, {"rt": t, "rk": k}) for t, k in _linked(vocab, record_type, values))
    reads.append((_ENABLED_ON_EVENT, enabled_on(event)))
    return reads


def _ignore_siblings(states: dict[int, str], lk: StepLinks) -> None:
    """The other event steps under the step's parent that are waiting (or not yet armed) are ignored."""
    for sib in lk.event_siblings:
        if states.get(sib) in (ACTIVE, None):
            states[sib] = IGNORED


def _arm_children(states: dict[int, str], lk: StepLinks) -> None:
    """The event steps under a completed step wait; every step under them is Inactive again."""
    for child in lk.arms:
        states[child] = ACTIVE
    for below in lk.clears:
        states.pop(below, None)


def _jump_to(states: dict[int, str], links: Mapping[int, StepLinks], target: StepLinks) -> None:
    """BC's Next Workflow Step: an event target waits again; a response target is completed without
    running it, and so is the rest of its response chain (a chain is a response and its first
    response child, recursively), whose event children wait again."""
    if target.step.kind == "event":
        states[target.step.id] = ACTIVE
        for below in target.below:
            states.pop(below, None)
    else:
        cur: StepLinks | None = target
        while cur is not None:
            states[cur.step.id] = COMPLETED
            _arm_children(states, cur)
            nxt = cur.first_response
            cur = links[nxt.id] if nxt is not None else None
    _ignore_siblings(states, target)


def _plain_payload(payload: dict[str, Any]) -> Any:
    """``codec.plain(payload)``: a copy when its keys are text and its values text, numbers, booleans
    or None (most payloads), else ``codec.plain``'s walk."""
    for k, v in payload.items():
        if type(v) not in _FLAT or type(k) is not str:
            return codec.plain(payload)
    return dict(payload)


def _library_of(vocab: Vocabulary, response: str) -> str:
    """`` of library NAME VERSION`` for a partner response (who to ask when it fails), else ''."""
    found = vocab.response_origin(response)
    if found is None or str(found.library).startswith("werkstroom."):
        return ""
    return f" of library {found}"
