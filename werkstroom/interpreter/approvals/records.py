"""The ApprovalEntry record as the engine sees it (events on approval entries carry this record).

``values`` hold BC's Approval Entry fields in snake_case, plus the flowfield ``pending_approvals``:
the Created and Open entries of the same record in the same workflow instance. The document the entry
points to is named by ``record_type`` and ``record_key``; the instance by ``instance_id``.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any, cast

import attrs
from sqlalchemy import (
    BindParameter,
    CursorResult,
    Executable,
    Table,
    and_,
    bindparam,
    event,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.orm import ORMExecuteState, Session, aliased, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from ..unit import UnitOfWork
from .models import ApprovalCommentLine, ApprovalEntry

RECORD_TYPE = "ApprovalEntry"
# session.info key: ids of entries the reject action rejected in this transaction
JUST_REJECTED = "werkstroom.rejected_by_action"
PENDING = ("Created", "Open")


@attrs.define
class SimpleRecord:
    """A RecordHandle held in memory."""

    type: str
    key: str
    values: MutableMapping[str, Any] = attrs.field(factory=dict)
    old_values: Mapping[str, Any] | None = None


_RT: BindParameter[str] = bindparam("rt")
_RK: BindParameter[str] = bindparam("rk")
_INST: BindParameter[str] = bindparam("inst")
_COMMENTS = select(func.count()).select_from(ApprovalCommentLine).where(
    ApprovalCommentLine.instance_id == _INST,
    ApprovalCommentLine.record_key == _RK,
    ApprovalCommentLine.record_type == _RT,
)
_OF_RECORD = select(ApprovalEntry).where(
    ApprovalEntry.record_type == _RT,
    ApprovalEntry.record_key == _RK,
    ApprovalEntry.instance_id == _INST,
).order_by(ApprovalEntry.entry_no)
_NAMED = aliased(ApprovalEntry)
# the entries of the record and instance the entry with number :no belongs to (that entry included),
_NAMED_COMMENTS = select(func.count()).select_from(ApprovalCommentLine).where(
    ApprovalCommentLine.instance_id == _NAMED.instance_id,
    ApprovalCommentLine.record_key == _NAMED.record_key,
    ApprovalCommentLine.record_type == _NAMED.record_type,
).correlate(_NAMED).scalar_subquery()
# ... with the number of comment lines of that record and instance on every row
_SIBLINGS_BY_NO = select(ApprovalEntry, _NAMED_COMMENTS).join(_NAMED, and_(
    _NAMED.record_type == ApprovalEntry.record_type,
    _NAMED.record_key == ApprovalEntry.record_key,
    _NAMED.instance_id == ApprovalEntry.instance_id,
)).where(_NAMED.entry_no == bindparam("no")).order_by(ApprovalEntry.entry_no)

# session.info keys: (record type, record key, instance) -> that record's entries in this instance,
# by entry number; and -> its number of comment lines. A session is one unit of work (one
# transaction, closed on commit or rollback), so the lists are read once per unit of work and kept
# up to date in memory: entries are ORM objects of the session (status changes show at once), new
# entries are appended by ``add_record_entry``, new comments counted by ``count_comment``.
_ENTRIES = "werkstroom.record_entries"
_COMMENT_COUNTS = "werkstroom.record_comment_counts"
RecordRef = tuple[str, str, str]


def _entry_cache(uow: UnitOfWork) -> dict[RecordRef, list[ApprovalEntry]]:
    cache: dict[RecordRef, list[ApprovalEntry]] = uow.session.info.setdefault(_ENTRIES, {})
    return cache


def cached_record_entries(uow: UnitOfWork, record_type: str, record_key: str,
                          instance_id: str) -> list[ApprovalEntry]:
    """The entries of a record in an instance, by entry number: read once per unit of work, then held
    in memory (the returned list is the cache itself: do not change it)."""
    cache = _entry_cache(uow)
    ref = (record_type, record_key, instance_id)
    found = cache.get(ref)
    if found is None:
        found = list(uow.session.scalars(_OF_RECORD, {"rt": record_type, "rk": record_key,
                                                      "inst": instance_id}))
        cache[ref] = found
    return found


def set_record_entries(uow: UnitOfWork, ref: RecordRef, entries: list[ApprovalEntry]) -> None:
    """Replace the held entries of a record (after a locking read that refreshed them)."""
    _entry_cache(uow)[ref] = sorted(entries, key=lambda e: e.entry_no)


def forget_comment_count(uow: UnitOfWork, ref: RecordRef) -> None:
    """Read the record's comment count again when next needed (after a locking read)."""
    uow.session.info.get(_COMMENT_COUNTS, {}).pop(ref, None)


_UNWRITTEN = "werkstroom.approval_entries_unwritten"
_WRITTEN = "werkstroom.approval_entries_written"
_INSERT_ENTRY = insert(cast("Table", ApprovalEntry.__table__))
_ENTRY_COLUMNS = tuple(c.key for c in cast("Table", ApprovalEntry.__table__).columns)


def hold_new_entries(uow: UnitOfWork, entries: list[ApprovalEntry]) -> None:
    """New entries (not in the session yet): held for the unit of work and written together with one
    prepared Core multi-row INSERT just before the session's next statement or its commit, so changes
    made before then (the send opening them) go into that INSERT (no ORM flush, no UPDATE)."""
    uow.session.info.setdefault(_UNWRITTEN, []).extend(entries)
    for entry in entries:
        add_record_entry(uow, entry)


def write_new_entries(session: Session) -> None:
    """Write the held new entries now; they join the session as persistent rows with the values
    written."""
    entries: list[ApprovalEntry] | None = session.info.pop(_UNWRITTEN, None)
    if not entries:
        return
    session.connection().execute(_INSERT_ENTRY, [{c: getattr(e, c) for c in _ENTRY_COLUMNS} for e in entries])
    for entry in entries:
        make_transient_to_detached(entry)
        session.add(entry)
    # kept for the session's lifetime (the identity map holds rows weakly)
    session.info.setdefault(_WRITTEN, []).extend(entries)


def core_execute(session: Session, statement: Executable,
                 params: dict[str, Any] | list[dict[str, Any]]) -> CursorResult[Any]:
    """Run a prepared Core (table) statement on the session's connection, past Session.execute's ORM
    machinery (which for a Core statement adds no autoflush, only the per-statement events): held new
    entries are written first, as the ``do_orm_execute`` hook below does before any session statement."""
    if _UNWRITTEN in session.info:
        write_new_entries(session)
    return session.connection().execute(statement, params)


@event.listens_for(Session, "do_orm_execute")
def _before_statement(state: ORMExecuteState) -> None:
    if _UNWRITTEN in state.session.info:
        write_new_entries(state.session)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if _UNWRITTEN in session.info:
        write_new_entries(session)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction: Any) -> None:
    # the transaction is gone: its held entries with it (no entries are created inside savepoints)
    if not previous_transaction.nested:
        session.info.pop(_UNWRITTEN, None)


def add_record_entry(uow: UnitOfWork, entry: ApprovalEntry) -> None:
    """A new entry (added to the session): appended to its record's held entries, if they are held."""
    held = _entry_cache(uow).get((entry.record_type, entry.record_key, entry.instance_id))
    if held is not None:
        held.append(entry)
        held.sort(key=lambda e: e.entry_no)
    remember_entry(uow, entry)


def comment_count(uow: UnitOfWork, record_type: str, record_key: str, instance_id: str) -> int:
    counts: dict[RecordRef, int] = uow.session.info.setdefault(_COMMENT_COUNTS, {})
    ref = (record_type, record_key, instance_id)
    found = counts.get(ref)
    if found is None:
        found = int(uow.session.scalar(_COMMENTS, {"rt": record_type, "rk": record_key,
                                                   "inst": instance_id}) or 0)
        counts[ref] = found
    return found


def count_comment(uow: UnitOfWork, record_type: str, record_key: str, instance_id: str) -> None:
    """A comment line was added (to the session) for the record: keep the held count right."""
    counts: dict[RecordRef, int] = uow.session.info.setdefault(_COMMENT_COUNTS, {})
    ref = (record_type, record_key, instance_id)
    if ref in counts:
        counts[ref] += 1


_ENTRY_TABLE = cast("Table", ApprovalEntry.__table__)
_UPDATE_ENTRY = update(_ENTRY_TABLE).where(_ENTRY_TABLE.c.id == bindparam("b_id"))


def change_entry(uow: UnitOfWork, entry: ApprovalEntry, **values: Any) -> None:
    """Change fields of an entry. A stored entry is updated at once with one prepared Core UPDATE and
    the held object takes the new values as its stored state (no unit-of-work bookkeeping, no flush);
    an entry not yet inserted just takes the values (its INSERT carries them)."""
    state = inspect(entry)
    if state.pending or state.transient:
        for name, value in values.items():
            setattr(entry, name, value)
        return
    core_execute(uow.session, _UPDATE_ENTRY, [{"b_id": entry.id, **values}])
    for name, value in values.items():
        set_committed_value(entry, name, value)


def pending_approvals(uow: UnitOfWork, record_type: str, record_key: str, instance_id: str) -> int:
    return sum(1 for e in cached_record_entries(uow, record_type, record_key, instance_id)
               if e.status in PENDING)


def entry_values(uow: UnitOfWork, entry: ApprovalEntry) -> dict[str, Any]:
    rt, rk, inst = entry.record_type, entry.record_key, entry.instance_id
    pending = pending_approvals(uow, rt, rk, inst)
    comments = comment_count(uow, rt, rk, inst)
    return {
        "entry_id": entry.id,
        "entry_no": entry.entry_no,
        "record_type": entry.record_type,
        "record_key": entry.record_key,
        "instance_id": entry.instance_id,
        "workflow_step_instance_id": entry.instance_id,
        "approval_code": entry.approval_code,
        "document_type": entry.document_type,
        "document_no": entry.document_no,
        "sequence_no": entry.sequence_no,
        "sender_id": entry.sender_id,
        "approver_id": entry.approver_id,
        "status": entry.status,
        "salespers_purch_code": entry.salespers_purch_code,
        "amount": entry.amount,
        "amount_lcy": entry.amount_lcy,
        "currency_code": entry.currency_code,
        "available_credit_limit_lcy": entry.available_credit_limit_lcy,
        "approval_type": entry.approval_type,
        "limit_type": entry.limit_type,
        "date_time_sent_for_approval": entry.date_time_sent_for_approval,
        "last_date_time_modified": entry.last_date_time_modified,
        "last_modified_by_user_id": entry.last_modified_by_user_id,
        "due_date": entry.due_date,
        "delegation_date_formula": entry.delegation_date_formula,
        "comment": bool(comments),
        "pending_approvals": pending,
    }


def entry_record(uow: UnitOfWork, entry: ApprovalEntry) -> SimpleRecord:
    """The record view of ``entry`` (type ``ApprovalEntry``, key = its entry number, as the catalogue's
    ApprovalEntry record declares), computed now."""
    return SimpleRecord(RECORD_TYPE, str(entry.entry_no), entry_values(uow, entry))


_BY_NO = "werkstroom.approval_entry_ids"


def remember_entry(uow: UnitOfWork, entry: ApprovalEntry) -> None:
    """Note entry no. -> id for this session (so later look-ups in the same transaction need no query)."""
    uow.session.info.setdefault(_BY_NO, {})[entry.entry_no] = entry.id


def entry_by_key(uow: UnitOfWork, key: str) -> ApprovalEntry | None:
    """The entry a record key (entry number) or an entry id names."""
    if key.isdigit():
        known: dict[int, str] = uow.session.info.setdefault(_BY_NO, {})
        entry_id = known.get(int(key))
        if entry_id is not None:
            cached = uow.session.get(ApprovalEntry, entry_id)
            if cached is not None and cached.entry_no == int(key):
                return cached
        # read with its siblings (the record's entries in the instance): the action and the responses
        # that follow work on them, so they are held for the unit of work
        rows = uow.session.execute(_SIBLINGS_BY_NO, {"no": int(key)}).all()
        siblings: list[ApprovalEntry] = [row[0] for row in rows]
        found = next((e for e in siblings if e.entry_no == int(key)), None)
        if found is not None:
            ref = (found.record_type, found.record_key, found.instance_id)
            if ref not in _entry_cache(uow):
                set_record_entries(uow, ref, siblings)
            counts: dict[RecordRef, int] = uow.session.info.setdefault(_COMMENT_COUNTS, {})
            counts.setdefault(ref, int(rows[0][1] or 0))
            known[found.entry_no] = found.id
            return found
    return uow.session.get(ApprovalEntry, key)
