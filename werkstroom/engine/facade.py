"""The public engine: open a store, deploy and enable workflows, emit events, inspect the results.

Every handled event runs in one transaction (instance and step state, records and their state,
approval entries, notifications, outbox rows and the audit row commit together or not at all).
See docs/engine.md for examples.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any

import attrs
from sqlalchemy import Table, bindparam, event, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ..binding.program import BoundProgram, BoundWorkflow
from ..catalogue.specs import Library
from ..diagnostics import Diagnostic
from ..errors import WerkstroomError
from ..store import codec as codec
from ..store.database import EventLogRow, RecordRow, WorkflowRow, make_engine, resolve_url, upgrade
from ..store.driver import Observer, Observers, Params, Statement
from . import boundary, lifecycle, views
from .clock import Clock, IdSource, SystemClock, UuidIds
from .host import HostCalls
from .records import Rec, Vocabulary, record_key, validate
from .run import Run, delivery_lock, event_reads, record_lock
from .trace import EmitResult
from .unit import KeptConnections, UnitOfWork
from .views import InstanceInfo, OutboxItem, RecordStatus, StepInfo
from .workflows import UnknownWorkflow, WorkflowCache

if TYPE_CHECKING:
    from .notifications.delivery import EntryLinks, Transport

_LOG: Table = EventLogRow.__table__  # type: ignore[assignment]
# prepared statements run on the driver (werkstroom.store.driver)
_LOG_COLUMNS = ["idempotency_key", "payload_hash", "event", "record_type", "record_key", "user", "result",
                "created_at"]
_INSERT_LOG = Statement(insert(_LOG).returning(_LOG.c.id), columns=_LOG_COLUMNS)
_INSERT_LOG_PLAIN = Statement(insert(_LOG), columns=_LOG_COLUMNS)
_LOG_BY_KEY = Statement(select(_LOG.c.id, _LOG.c.payload_hash, _LOG.c.event, _LOG.c.record_type,
                               _LOG.c.record_key, _LOG.c.result)
                        .where(_LOG.c.idempotency_key == bindparam("b_key")))


class UnitSession(Session):
    """A session that keeps every row it loaded or wrote for its (short) lifetime.

    SQLAlchemy's identity map holds rows weakly: a row read once and dropped by the caller is
    selected again on the next ``get`` of the same key in the same transaction. One handled event
    reads the same few rows from several places (records, record state, approval entries, user
    setup), so the rows are kept until the unit of work ends (see :func:`unit_sessions`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kept: list[object] = []


def _keep(session: Session, instance: object) -> None:
    if isinstance(session, UnitSession):
        session.kept.append(instance)


def unit_sessions() -> sessionmaker[UnitSession]:
    """The session factory of one engine: its sessions join the connection's transaction (their
    commit flushes but leaves the commit to the unit of work) and keep their rows. The hooks that
    keep them are on this factory alone (SQLAlchemy gives each factory a session class of its own):
    no other session sees them."""
    made: sessionmaker[UnitSession] = sessionmaker(class_=UnitSession, expire_on_commit=False,
                                                   join_transaction_mode="rollback_only")
    event.listen(made, "loaded_as_persistent", _keep)
    event.listen(made, "pending_to_persistent", _keep)
    return made


class IdempotencyConflict(WerkstroomError):
    """WF504: the idempotency key was used before with a different payload."""

    code = "WF504"


Subscriber = Callable[[Sequence[OutboxItem]], None]


class Engine(HostCalls):
    """A workflow engine on one database. Use ``open_engine()``; close with ``close()`` or ``with``.

    ``catalogue``: what events, records and responses mean (default: ``load_catalogue()``, the
    stdlib plus partner libraries). ``libraries``: extra libraries installed into (a copy of) it,
    validated as partner libraries are (``LibraryError``, WF9xx, when one is rejected).
    ``explain``: evaluate conditions in explain mode so results carry the values each test read.
    ``rebind``: what binds a deployed source again when its workflow is enabled (``open_engine``
    wires ``werkstroom.binding.sources.rebind``; None here: not bound again).
    ``transport``: what ``dispatch_notifications`` sends e-mail with (an object with ``send(to,
    subject, body)``; None: SMTP with the loaded ``[smtp]`` settings). ``links``: what notification
    e-mails link approval entries with (``entry_link(recipient, entry_id)``; None: no links). The host
    calls for the
    organisation setup, approval entries and notifications are in ``host.HostCalls``.
    """

    def __init__(self, url: str | None = None, *, clock: Clock | None = None, ids: IdSource | None = None,
                 catalogue: Any = None, libraries: Iterable[Library] = (), explain: bool = False,
                 rebind: lifecycle.Rebind | None = None, transport: Transport | None = None,
                 links: EntryLinks | None = None) -> None:
        self.url = resolve_url(url)
        self.clock: Clock = clock or SystemClock()
        self.ids: IdSource = ids or UuidIds()
        boundary.transport(transport)
        self.transport = transport
        boundary.links(links)
        self.links = links
        if catalogue is None:
            from ..binding.libraries import load_catalogue

            catalogue = load_catalogue()[0]
        libs = tuple(libraries)
        if libs:
            from ..extend import installed

            catalogue = installed(catalogue, libs)
        self.catalogue = catalogue
        self.vocab = Vocabulary(catalogue)
        self.explain = explain
        self._rebind = rebind
        self._sa = make_engine(self.url)
        upgrade(self._sa)
        # SQLite: each thread keeps its connection between events (no pool round trip per event)
        self._kept = KeptConnections(self._sa) if self._sa.dialect.name == "sqlite" else None
        self._workflows = WorkflowCache()
        self._subscribers: list[Subscriber] = []
        self._sessions = unit_sessions()
        self._observers = Observers()

    # ------------------------------------------------------------------ plumbing

    def close(self) -> None:
        if self._kept is not None:
            self._kept.close()
        self._sa.dispose()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _new_session(self, connection: Connection) -> Session:
        return self._sessions(bind=connection)

    def watch_statements(self, fn: Observer) -> AbstractContextManager[None]:
        """``fn(sql, parameters, executemany)`` sees the statements this engine's units of work run on
        the driver (and ``"COMMIT"``/``"ROLLBACK"`` as they end) inside the ``with`` block; for tests
        and benchmarks that count or replay them."""
        return self._observers.watching(fn)

    @contextmanager
    def transaction(self, write: bool = True) -> Iterator[UnitOfWork]:
        """One unit of work (commit on success, roll back on any exception), begun on the driver of a
        pooled connection; a SQLAlchemy connection and session are made only when code needs them.
        ``write=False``: a unit of work that only reads (on SQLite it does not take the write lock)."""
        uow = UnitOfWork.begin(self._sa, self.clock, self.ids, self._new_session, self._kept, self._observers,
                               write)
        try:
            yield uow
        except BaseException:
            uow.rollback()
            raise
        uow.commit()

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback(items)`` with the outbox rows of every committed event; returns unsubscribe."""
        self._subscribers.append(callback)
        return lambda: self._subscribers.remove(callback)

    def _publish(self, event_id: int | None) -> None:
        if not self._subscribers or event_id is None:
            return
        items = self.outbox(event_id=event_id)
        if items:
            for cb in list(self._subscribers):
                cb(items)

    # ------------------------------------------------------------------ lifecycle

    def deploy(self, program: BoundProgram, *, enable: bool = False,
               allow_overlap: bool | None = None) -> list[lifecycle.Deployed]:
        """Store every workflow of a bound program (a new version when its content changed) and, with
        ``enable``, enable each (``allow_overlap`` as for ``enable``), all in one transaction: when one
        of them is refused, none is stored or enabled. Bind text first with
        ``werkstroom.binding.sources.bind_text`` (or use ``werkstroom.deploy``)."""
        return self.deploy_all(program.workflows, enable=enable, allow_overlap=allow_overlap)

    def deploy_all(self, workflows: Sequence[BoundWorkflow], *, enable: bool = False,
                   allow_overlap: bool | None = None) -> list[lifecycle.Deployed]:
        """``deploy`` for workflows of several programs (the scripts of one `wf deploy`): one transaction."""
        with self.transaction() as uow:
            return lifecycle.deploy_all(uow.session, self.clock, workflows, self._checks(), enabling=enable,
                                        allow_overlap=allow_overlap)

    def deploy_workflow(self, wf: BoundWorkflow) -> lifecycle.Deployed:
        return self.deploy_all([wf])[0]

    def _checks(self) -> lifecycle.Checks:
        """What the enable checks need (deploy onto an enabled workflow runs them too)."""
        return lifecycle.Checks(self._workflows, self.vocab, self.catalogue, self._rebind)

    def enable(self, code: str, *, allow_overlap: bool | None = None) -> list[Diagnostic]:
        """Enable a workflow; raises EnableRefused (WF507) with the diagnostics when checks fail. An entry
        point that one record can share with an enabled workflow's refuses (WF428) unless
        ``allow_overlap`` is True (then WF420 warns); the choice is kept on the workflow (None: the
        kept one)."""
        code = boundary.code(code)
        with self.transaction() as uow:
            return lifecycle.enable(uow.session, self.clock, self._checks(), code, allow_overlap)

    def disable(self, code: str) -> None:
        code = boundary.code(code)
        with self.transaction() as uow:
            lifecycle.disable(uow.session, self.clock, code)

    def delete(self, code: str) -> None:
        code = boundary.code(code)
        with self.transaction() as uow:
            lifecycle.delete(uow.session, code)

    def copy(self, code: str, new_code: str, description: str | None = None) -> lifecycle.Deployed:
        code, new_code = boundary.code(code), boundary.code(new_code, "the new workflow code")
        description = boundary.optional(boundary.description, description)
        with self.transaction() as uow:
            return lifecycle.copy(uow.session, self.clock, self._checks(), code, new_code, description)

    def workflows(self) -> list[lifecycle.WorkflowInfo]:
        with self.transaction() as uow:
            rows = uow.session.scalars(select(WorkflowRow).order_by(WorkflowRow.code))
            return [lifecycle.info(uow.session, self._workflows, r) for r in rows]

    def workflow(self, code: str, version: int | None = None) -> BoundWorkflow:
        code = boundary.code(code)
        with self.transaction() as uow:
            row = uow.session.get(WorkflowRow, code)
            if row is None:
                raise UnknownWorkflow(f"there is no workflow {code!r}")
            if version is None:
                return self._workflows.current(uow.session, row).workflow
            from ..store.database import WorkflowVersionRow

            vid = uow.session.scalar(select(WorkflowVersionRow.id).where(
                WorkflowVersionRow.workflow_code == code, WorkflowVersionRow.version_no == version))
            if vid is None:
                raise UnknownWorkflow(f"workflow {code} has no version {version}")
            return self._workflows.version(uow.session, vid).workflow

    # ------------------------------------------------------------------ events

    def emit(self, event: str, record: Mapping[str, Any], *, user: str, old: Mapping[str, Any] | None = None,
             idempotency_key: str | None = None, instance_id: str | None = None) -> EmitResult:
        """Handle ``event`` for ``record`` (a dict, validated against the event's record type).

        ``old``: the previous values for record-change events (default: the values stored for the
        record before this event, when there are any). ``idempotency_key``: a re-delivery with
        the same key answers the first result and applies nothing; a different payload is refused
        (WF504). ``instance_id``: for approval events, the instance owning the entry."""
        # every argument checked before any work (boundary.py); the user id upper-cased (BC's Code[50])
        event, user, idempotency_key, instance_id = boundary.event_arguments(
            event, record, old, user, idempotency_key, instance_id)
        spec = self.vocab.require_event(event)
        # what a re-delivery is compared by (only with an idempotency key: see _run)
        payload = {"event": spec.name, "record": codec.to_jsonable(dict(record)),
                   "old": codec.to_jsonable(dict(old)) if old is not None else None, "user": user,
                   "instance_id": instance_id} if idempotency_key is not None else {}
        # checked before the transaction; the record's key tells what the event will read first
        checked = validate(self.vocab, spec.record, record)
        rspec = self.vocab.record(spec.record)
        assert rspec is not None
        rkey = record_key(rspec, checked[0])

        def ahead() -> list[tuple[Statement, Params]]:
            # PostgreSQL: this record's event lock, then (known instance: read when it is looked up)
            # the reads that find the instance or workflow, sent with the lock in one round trip
            reads = [record_lock(spec.record, rkey)]
            if not spec.on_known_instance:
                reads.extend(event_reads(self.vocab, spec.name, spec.record, rkey, checked[0]))
            return reads

        def work(run: Run) -> tuple[str, str]:
            rec = run.records.put_payload(spec.record, record, old=old, old_from_store=spec.record_change,
                                          checked=checked)
            run.queue_event(spec.name, rec, user, instance_id=instance_id, host=True)
            return rec.type, rec.key

        return self._run(spec.name, payload, idempotency_key, user, work, ahead)

    def _run(self, event: str, payload: Mapping[str, Any], key: str | None, user: str,
             work: Callable[[Run], tuple[str, str]],
             ahead: Callable[[], list[tuple[Statement, Params]]] | None = None) -> EmitResult:
        # the payload's digest tells a re-delivery (same key, same payload) from a key reused for
        # another payload (WF504); without a key there is nothing to compare it with later
        digest = hashlib.sha256(codec.dumps(payload).encode()).hexdigest() if key is not None else ""
        for attempt in (1, 2):
            try:
                result = self._run_once(event, digest, key, user, work, ahead)
                break
            except IntegrityError:
                # a concurrent delivery with the same key committed first: answer its result
                if key is None or attempt == 2:
                    raise
        if not result.replayed:
            self._publish(result.event_id)
        return result

    def _run_once(self, event: str, digest: str, key: str | None, user: str,
                  work: Callable[[Run], tuple[str, str]],
                  ahead: Callable[[], list[tuple[Statement, Params]]] | None) -> EmitResult:
        # what ``transaction()`` does, written out (no generator context manager on every event)
        uow = UnitOfWork.begin(self._sa, self.clock, self.ids, self._new_session, self._kept, self._observers)
        try:
            result, event_id = self._handle_in(uow, event, digest, key, user, work, ahead)
        except BaseException:
            uow.rollback()
            raise
        uow.commit()
        if event_id is not None:
            result.event_id = event_id()
        return result

    def _handle_in(self, uow: UnitOfWork, event: str, digest: str, key: str | None, user: str,
                   work: Callable[[Run], tuple[str, str]],
                   ahead: Callable[[], list[tuple[Statement, Params]]] | None = None,
                   ) -> tuple[EmitResult, Callable[[], int] | None]:
        """The result, and (PostgreSQL) the function that gives its event id after the commit.

        ``ahead``: the record's event lock and the reads the work starts with. On PostgreSQL they
        are sent ahead, with the idempotency key's lock and audit row read, in one round trip; SQLite
        serializes writers already."""
        db = uow.db
        if not db.sqlite and (ahead is not None or key is not None):
            reads = ahead() if ahead is not None else []
            if key is not None:  # after the key's lock, a concurrent delivery of it has ended
                at = 1 if ahead is not None else 0
                reads[at:at] = [delivery_lock(key), (_LOG_BY_KEY, {"b_key": key})]
            db.ahead(reads)
        if key is not None:
            seen = uow.db.first(_LOG_BY_KEY, {"b_key": key})
            if seen is not None:
                seen_id, seen_hash, seen_event, seen_type, seen_key, seen_result = seen
                if seen_hash != digest:
                    raise IdempotencyConflict(
                        f"the idempotency key {key!r} was already used for a different payload "
                        f"(event {seen_event} on {seen_type} {seen_key}); use a new key")
                # the stored result leaves out its own id: the row's id is the event id
                first = EmitResult.from_json({**codec.loads(seen_result), "event_id": seen_id})
                return attrs.evolve(first, replayed=True), None
        now = self.clock.now()
        run = Run(uow, self.vocab, self._workflows, explain=self.explain)
        record_type, record_key = work(run)
        run.drain()
        result = EmitResult(0, run.handled, run.effects)
        # the audit row is written once, complete, when the event has been handled; its id is
        # the event id of the outbox rows (a concurrent delivery with the same key fails here
        # on the unique key, rolls back, and answers the first delivery's result). PostgreSQL:
        # the id is not waited for; the outbox rows take it from the id sequence, the result
        # once the commit has brought the answer (``_run_once``)
        log_id = uow.db.insert_id_later(_INSERT_LOG, _INSERT_LOG_PLAIN, {
            "idempotency_key": key, "payload_hash": digest, "event": event, "record_type": record_type,
            "record_key": record_key, "user": user, "result": result.stored_text(),
            "created_at": now})
        if uow.db.sqlite:
            result.event_id = log_id()
            run.write_outbox(result.event_id)
            return result, None
        run.write_outbox(None, of_last_event=True)
        return result, log_id

    # approval actions: the approvals service changes the entry, the engine handles the event it returns

    def _action(self, verb: str, entry_id: str | int, user: str, comment: str | None,
                idempotency_key: str | None) -> EmitResult:
        from .approvals import actions

        fn = {"approve": actions.approve, "reject": actions.reject, "delegate": actions.delegate}[verb]
        # checked before any work (boundary.py), as in emit
        entry_id, user, comment, idempotency_key = boundary.action_arguments(entry_id, user, comment,
                                                                             idempotency_key)
        payload = {"action": verb, "entry": entry_id, "user": user, "comment": comment}

        def work(run: Run) -> tuple[str, str]:
            res = fn(run.uow, entry_id, user, comment)
            run.queue_event(res.event, res.record, user, instance_id=res.instance_id)
            return res.record.type, res.record.key

        return self._run(verb, payload, idempotency_key, user, work)

    def approve(self, entry_id: str | int, user: str, comment: str | None = None, *,
                idempotency_key: str | None = None) -> EmitResult:
        return self._action("approve", entry_id, user, comment, idempotency_key)

    def reject(self, entry_id: str | int, user: str, comment: str | None = None, *,
               idempotency_key: str | None = None) -> EmitResult:
        return self._action("reject", entry_id, user, comment, idempotency_key)

    def delegate(self, entry_id: str | int, user: str, comment: str | None = None, *,
                 idempotency_key: str | None = None) -> EmitResult:
        return self._action("delegate", entry_id, user, comment, idempotency_key)

    def cancel(self, entry_id: str | int, user: str, *, idempotency_key: str | None = None) -> EmitResult:
        """Cancel the approval request ``entry_id`` belongs to, as ``user`` (its sender or the approval
        administrator): the record's ``...ApprovalRequestCanceled`` event on the request's instance.

        One transaction, as ``approve``: who may cancel and whether the request is pending (the
        request's entries locked), the stored record, the check that a step of the instance waits for
        the cancel event, and the handling of it. Refused, changing nothing, when nothing would be
        canceled: no step of the instance waits for the event, or none of those fires (WF517)."""
        from .cancel import cancel

        entry_id, user, _, idempotency_key = boundary.action_arguments(entry_id, user, None, idempotency_key)
        payload = {"action": "cancel", "entry": entry_id, "user": user}
        return self._run("cancel", payload, idempotency_key, user,
                         lambda run: cancel(run, self.catalogue, entry_id, user))

    def run_timers(self) -> EmitResult:
        """Clock-driven approval work (automatic delegation, overdue reminders) at the clock's now."""
        from .approvals import timers

        holder: dict[str, Any] = {}

        def work(run: Run) -> tuple[str, str]:
            report = timers.run_due(run.uow, self.clock.now())
            holder["report"] = report
            for d in report.delegations:
                no = d.record.values.get("entry_no", d.entry_id)
                run.queue_event(d.event, d.record, d.user, instance_id=d.instance_id,
                                raised_by=f"the job queue: entry {no} delegated to {d.delegated_to}")
            return "", ""

        return self._run("timers", {"timers": self.clock.now().isoformat(), "n": self.ids.new_id("timer")},
                         None, "(job queue)", work)

    # ------------------------------------------------------------------ records

    def put_record(self, record_type: str, values: Mapping[str, Any]) -> str:
        """Store a record the workflows may relate to (validated; embedded relations too); its key."""
        record_type = boundary.name("the record type", record_type)
        boundary.payload("the record", values)
        with self.transaction() as uow:
            run = Run(uow, self.vocab, self._workflows)
            rec = run.records.put_payload(record_type, values)
            run.keep_engine_status(rec)  # as for an event's payload
            run.drain()
            return rec.key

    def record(self, record_type: str, key: str) -> dict[str, Any] | None:
        record_type, key = boundary.name("the record type", record_type), boundary.record_key(key)
        with self.transaction() as uow:
            row = uow.session.get(RecordRow, (record_type, key))
            return dict(codec.loads(row.values_json)) if row is not None else None

    def related(self, record_type: str, key: str, relation: str) -> list[dict[str, Any]]:
        """The stored records ``relation`` of the record links to (``lines`` of a document: its
        lines), in key order; [] when the record type has no such relation or nothing is stored."""
        record_type, key = boundary.name("the record type", record_type), boundary.record_key(key)
        relation = boundary.name("the relation", relation)
        with self.transaction() as uow:
            row = uow.session.get(RecordRow, (record_type, key))
            if row is None:
                return []
            run = Run(uow, self.vocab, self._workflows)
            found = run.records.related(record_type, codec.loads(row.values_json), relation)
        target = self.vocab.record(found[0].type) if found else None
        fields = target.key if target is not None else ()
        # by key, compared as values (line 9000 before line 10000), not as the joined key text
        found.sort(key=lambda r: tuple(_order(r.values.get(f)) for f in fields))
        return [dict(r.values) for r in found]

    def record_key(self, record_type: str, values: Mapping[str, Any]) -> str:
        spec = self.vocab.record(boundary.name("the record type", record_type))
        if spec is None:
            raise UnknownWorkflow(f"unknown record type {record_type!r}")
        typed, _ = validate(self.vocab, record_type, values)
        return record_key(spec, typed)

    def record_state(self, record_type: str, key: str) -> RecordStatus:
        record_type, key = boundary.name("the record type", record_type), boundary.record_key(key)
        with self.transaction() as uow:
            return views.record_state(uow.session, record_type, key)

    # ------------------------------------------------------------------ inspection

    def instances(self, workflow_code: str | None = None, record_type: str | None = None,
                  record_key: str | None = None) -> list[InstanceInfo]:
        """Running instances (oldest first)."""
        workflow_code, record_type, record_key = boundary.instance_filters(workflow_code, record_type,
                                                                           record_key)
        with self.transaction() as uow:
            return views.instances(uow.session, self._workflows, workflow_code, record_type, record_key)

    def archive(self, workflow_code: str | None = None) -> list[InstanceInfo]:
        """Completed (archived) instances, oldest first."""
        workflow_code = boundary.optional(boundary.code, workflow_code)
        with self.transaction() as uow:
            return views.archive(uow.session, self._workflows, workflow_code)

    def steps(self, instance_id: str) -> list[StepInfo]:
        """The step instances of a running or archived instance, by step id."""
        instance_id = boundary.instance_id(instance_id)
        with self.transaction() as uow:
            return views.steps(uow.session, self._workflows, instance_id)

    def outbox(self, after: int = 0, *, kind: str | None = None, event_id: int | None = None,
               limit: int | None = None) -> list[OutboxItem]:
        """Outbox rows with id > ``after`` (read them in order and remember the last id), at most
        ``limit`` of them (None: all); ``kind`` and ``event_id`` filter them."""
        after, (limit, _) = boundary.after(after), boundary.page(limit, 0)
        kind = boundary.optional(lambda v: boundary.name("the kind", v), kind)
        event_id = boundary.optional(lambda v: boundary.after(v, "the event id"), event_id)
        with self.transaction() as uow:
            return views.outbox(uow.session, after, kind, event_id, limit)

    def event_log(self) -> list[tuple[int, str, str, str, str | None]]:
        """(id, event, record type, record key, idempotency key) of every handled event."""
        with self.transaction() as uow:
            return views.event_log(uow.session)


def _order(value: Any) -> tuple[bool, Any]:
    """A sort key for values of one field: None after the values."""
    return (value is None, "" if value is None else value)


def open_engine(url: str | None = None, clock: Clock | None = None, ids: IdSource | None = None,
                **kwargs: Any) -> Engine:
    """Open (and create or upgrade) the store at ``url`` (default: $WERKSTROOM_DB or ./werkstroom.db).
    Enabling binds a deployed source again against the catalogue (``rebind``, default
    ``werkstroom.binding.sources.rebind``)."""
    if "rebind" not in kwargs:
        from ..binding.sources import rebind

        kwargs["rebind"] = rebind
    return Engine(url, clock=clock, ids=ids, **kwargs)


__all__ = ["EmitResult", "Engine", "IdempotencyConflict", "InstanceInfo", "OutboxItem", "Rec", "RecordStatus",
           "StepInfo", "open_engine"]
