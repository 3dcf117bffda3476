"""The approval repository of a unit of work (the approval entries and approval user setup it holds,
and the new entries it writes when it flushes), and the ApprovalEntry record as the engine sees it
(events on approval entries carry this record).

Inside a unit of work (one transaction) entries and user setup are plain Python objects (:class:`Entry`,
:class:`UserSetup`, ``rows.py``), read and written with prepared statements on the unit of work's
driver connection (``uow.db``, ``werkstroom.store.driver``), never as ORM objects: the ORM models in
``store/approvals.py`` stay for the schema, ``wf setup load`` and the listing queries.

They are held per unit of work in its :class:`ApprovalRepository` (:func:`held`): each entry is one
object for the whole transaction, the entries of a record in an instance are read once
(:func:`cached_record_entries`), the whole approval user setup is read once (:func:`setups`; code that
changes the setup calls :func:`forget_setups`). New entries are held unwritten and written by the
repository's ``flush`` with one multi-row INSERT (so changes made to them before then, the send
opening them, go into that INSERT): the unit of work flushes it before it commits, and every read of
the entry table here flushes it first. Changes of stored entries are one prepared UPDATE each, written
at once (:func:`change_entry` or an :class:`EntryChange`, the only ways an entry field may change).

``values`` of the record view hold BC's Approval Entry fields in snake_case, plus the flowfield
``pending_approvals``: the Created and Open entries of the same record in the same workflow instance.
The document the entry points to is named by ``record_type`` and ``record_key``; the instance by
``instance_id``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from ...store.approvals import (
    ApprovalCommentLine,
    WorkflowUserGroup,
    WorkflowUserGroupMember,
)
from ...store.driver import Db, Statement
from ..boundary import entry_number
from ..unit import UnitOfWork
from .rows import (
    ENTRY_FIELDS,
    ENTRY_NO,
    ENTRY_TABLE,
    PENDING,
    RECORD_TYPE,
    SETUP_FIELDS,
    SETUP_TABLE,
    Entry,
    RecordRef,
    SimpleRecord,
    UserSetup,
)

# ----------------------------------------------------------------------------- statements

_T = ENTRY_TABLE
_COLS = [_T.c[name] for name in ENTRY_FIELDS]
_RT = bindparam("rt", type_=_T.c.record_type.type)
_RK = bindparam("rk", type_=_T.c.record_key.type)
_INST = bindparam("inst", type_=_T.c.instance_id.type)
_OF_RECORD_WHERE = (_T.c.record_type == _RT, _T.c.record_key == _RK, _T.c.instance_id == _INST)
# (in no particular order: the caller sorts, see ``_siblings``)
_OF_RECORD = Statement(select(*_COLS).where(*_OF_RECORD_WHERE))
# PostgreSQL's locking read of a request's entries (see ``actions.lock_request``)
_OF_RECORD_FOR_UPDATE = Statement(select(*_COLS).where(*_OF_RECORD_WHERE).order_by(_T.c.entry_no)
                                  .with_for_update())
_COMMENT_T: Table = cast("Table", ApprovalCommentLine.__table__)
_COMMENTS = Statement(select(func.count()).select_from(_COMMENT_T).where(
    _COMMENT_T.c.instance_id == _INST, _COMMENT_T.c.record_key == _RK, _COMMENT_T.c.record_type == _RT))
_NAMED = _T.alias("named")
_NAMED_COMMENTS = select(func.count()).select_from(_COMMENT_T).where(
    _COMMENT_T.c.instance_id == _NAMED.c.instance_id,
    _COMMENT_T.c.record_key == _NAMED.c.record_key,
    _COMMENT_T.c.record_type == _NAMED.c.record_type,
).correlate(_NAMED).scalar_subquery()


def _siblings(named_where: Any) -> Statement:
    """The entries of the record and instance of the entry ``named_where`` picks (that entry included),
    with the number of comment lines of that record and instance on every row: one query. In no
    particular order: the caller sorts them (an ORDER BY made SQLite copy every row's 29 columns
    through a temporary B-tree, ~40% of the statement's work)."""
    return Statement(select(*_COLS, _NAMED_COMMENTS).join(_NAMED, and_(
        _NAMED.c.record_type == _T.c.record_type,
        _NAMED.c.record_key == _T.c.record_key,
        _NAMED.c.instance_id == _T.c.instance_id,
    )).where(named_where))


_BY_NO = _NAMED.c.entry_no == bindparam("no", type_=_T.c.entry_no.type)
_BY_ID = _NAMED.c.id == bindparam("id", type_=_T.c.id.type)
_SIBLINGS_BY_NO = _siblings(_BY_NO)
_SIBLINGS_BY_ID = _siblings(_BY_ID)


def _locked_siblings(named_where: Any) -> tuple[Statement, Statement]:
    """PostgreSQL: the entries of the record and instance of the entry ``named_where`` picks, locked
    (SELECT ... FOR UPDATE OF the entries), and the number of comment lines of that record and
    instance as a second statement. Sent together (one round trip in pipeline mode); the count runs
    after the lock is held, so it sees what a transaction that held the lock committed."""
    joined = and_(_NAMED.c.record_type == _T.c.record_type, _NAMED.c.record_key == _T.c.record_key,
                  _NAMED.c.instance_id == _T.c.instance_id)
    entries = Statement(select(*_COLS).join(_NAMED, joined).where(named_where).order_by(_T.c.entry_no)
                        .with_for_update(of=_T))
    count = Statement(select(func.count()).select_from(_COMMENT_T.join(_NAMED, and_(
        _COMMENT_T.c.instance_id == _NAMED.c.instance_id, _COMMENT_T.c.record_key == _NAMED.c.record_key,
        _COMMENT_T.c.record_type == _NAMED.c.record_type))).where(named_where))
    return entries, count


_LOCKED_BY_NO = _locked_siblings(_BY_NO)
_LOCKED_BY_ID = _locked_siblings(_BY_ID)
_WITH_STATUS = Statement(select(*_COLS).where(_T.c.status == bindparam("status", type_=_T.c.status.type))
                         .order_by(_T.c.entry_no))
_WITH_STATUS_DUE = Statement(select(*_COLS).where(
    _T.c.status == bindparam("status", type_=_T.c.status.type),
    _T.c.due_date <= bindparam("today", type_=_T.c.due_date.type)).order_by(_T.c.entry_no))
_LAST_ENTRY_NO = Statement(select(func.max(_T.c.entry_no)))
_LAST_NO = select(func.max(_T.c.entry_no).label("last_no")).subquery("last")
# the highest entry number in use, with the entries of a record in an instance (one row with no
# entry when it has none)
_OF_RECORD_WITH_LAST_NO = Statement(
    select(_LAST_NO.c.last_no, *_COLS)
    .select_from(_LAST_NO.outerjoin(_T, and_(*_OF_RECORD_WHERE))))
_INSERT_ENTRY = Statement(insert(_T), columns=ENTRY_FIELDS)
_ALL_SETUPS = Statement(select(*[SETUP_TABLE.c[name] for name in SETUP_FIELDS])
                        .order_by(SETUP_TABLE.c.user_id))
_GROUP_T: Table = cast("Table", WorkflowUserGroup.__table__)
_MEMBER_T: Table = cast("Table", WorkflowUserGroupMember.__table__)
_GROUP_MEMBERS = Statement(
    select(_MEMBER_T.c.user_id, _MEMBER_T.c.sequence_no)
    .join(_GROUP_T, _GROUP_T.c.code == _MEMBER_T.c.group_code)
    .where(_GROUP_T.c.code == bindparam("code", type_=_GROUP_T.c.code.type))
    .order_by(_MEMBER_T.c.sequence_no, _MEMBER_T.c.user_id))



class EntryChange:
    """A change of some fields of an entry (``names``): one prepared UPDATE by id, made once for those
    fields (module constants for the frequent ones, :func:`change_entry` for any others)."""

    __slots__ = ("names", "params", "stmt")

    def __init__(self, *names: str) -> None:
        self.names = names
        self.params = tuple(f"v_{name}" for name in names)
        sets = {name: bindparam(p, type_=_T.c[name].type) for name, p in zip(names, self.params, strict=True)}
        self.stmt = Statement(update(_T).where(_T.c.id == bindparam("b_id", type_=_T.c.id.type)).values(sets))

    def __call__(self, uow: UnitOfWork, entry: Entry, *values: Any) -> None:
        """Give ``entry`` the ``values`` (in the order of ``names``): a stored entry with the UPDATE,
        then the held object; an entry not written yet just takes them (its INSERT carries them)."""
        h = held(uow)
        if entry.id not in h.unwritten_ids:
            params = dict(zip(self.params, values, strict=True))
            params["b_id"] = entry.id
            h.db.write(self.stmt, params)
        for name, value in zip(self.names, values, strict=True):
            setattr(entry, name, value)


_CHANGES: dict[tuple[str, ...], EntryChange] = {}


def _change_for(names: tuple[str, ...]) -> EntryChange:
    found = _CHANGES.get(names)
    if found is None:
        found = _CHANGES[names] = EntryChange(*names)
    return found


# the changes every approval makes: an entry's status (approve, reject, cancel), an entry opened
SET_STATUS = _change_for(("status", "last_date_time_modified", "last_modified_by_user_id"))
OPEN_ENTRY = _change_for(("status", "date_time_sent_for_approval", "last_date_time_modified",
                          "last_modified_by_user_id"))


def set_status(uow: UnitOfWork, entry: Entry, status: str, at: dt.datetime, user: str, *,
               h: ApprovalRepository | None = None) -> None:
    """``SET_STATUS(uow, entry, status, at, user)`` written out (parameters and fields by name: no
    zip and setattr per field)."""
    if h is None:
        h = held(uow)
    if entry.id not in h.unwritten_ids:
        h.db.write(SET_STATUS.stmt, {"v_status": status, "v_last_date_time_modified": at,
                                       "v_last_modified_by_user_id": user, "b_id": entry.id})
    entry.status = status
    entry.last_date_time_modified = at
    entry.last_modified_by_user_id = user


def open_entry(uow: UnitOfWork, entry: Entry, at: dt.datetime, user: str, *,
               h: ApprovalRepository | None = None) -> None:
    """``OPEN_ENTRY(uow, entry, "Open", at, at, user)`` written out: the entry is sent for approval
    (Open) at ``at`` by ``user``."""
    if h is None:
        h = held(uow)
    if entry.id not in h.unwritten_ids:
        h.db.write(OPEN_ENTRY.stmt, {"v_status": "Open", "v_date_time_sent_for_approval": at,
                                       "v_last_date_time_modified": at, "v_last_modified_by_user_id": user,
                                       "b_id": entry.id})
    entry.status = "Open"
    entry.date_time_sent_for_approval = at
    entry.last_date_time_modified = at
    entry.last_modified_by_user_id = user


# ----------------------------------------------------------------------------- per unit of work

_HELD = "werkstroom.approvals.held"


class ApprovalRepository:
    """What a unit of work holds of the approval tables (for the transaction of ``db``); registered
    with the unit of work as a flusher: ``flush`` writes the new entries held unwritten."""

    __slots__ = ("by_id", "by_no", "comments", "db", "just_rejected", "locked", "records", "setups",
                 "unwritten", "unwritten_ids")

    def __init__(self, db: Db) -> None:
        self.db = db
        # (record type, record key, instance) -> that record's entries in the instance, by entry number
        self.records: dict[RecordRef, list[Entry]] = {}
        self.by_id: dict[str, Entry] = {}
        self.by_no: dict[int, Entry] = {}
        # (record type, record key, instance) -> its number of comment lines
        self.comments: dict[RecordRef, int] = {}
        # new entries not written yet (one INSERT at ``flush``)
        self.unwritten: list[Entry] = []
        self.unwritten_ids: set[str] = set()
        # the whole approval user setup, by user id, once read
        self.setups: dict[str, UserSetup] | None = None
        # ids of entries the reject action rejected in this transaction
        self.just_rejected: set[str] = set()
        # the requests whose entries this transaction has locked (PostgreSQL, SELECT ... FOR UPDATE)
        self.locked: set[RecordRef] = set()

    def flush(self) -> None:
        """Write the new entries held unwritten: one prepared multi-row INSERT with their values now."""
        entries = self.unwritten
        if entries:
            self.unwritten = []
            self.unwritten_ids.clear()
            self.db.write_many(_INSERT_ENTRY, [e.values() for e in entries])


def held(uow: UnitOfWork) -> ApprovalRepository:
    """The unit of work's approval repository: kept in ``uow.info`` for the transaction of ``uow.db``
    and registered with the unit of work, which flushes it before it commits."""
    db = uow.db
    found: ApprovalRepository | None = uow.info.get(_HELD)
    if found is None or found.db is not db:
        found = uow.info[_HELD] = ApprovalRepository(db)
        uow.add_flusher(_HELD, found)
    return found


def _reader(uow: UnitOfWork, h: ApprovalRepository | None = None) -> ApprovalRepository:
    """``held(uow)`` (``h`` when the caller has it already) ready for a read through db: the unit of
    work's ORM session flushed if it has pending changes (rows added or changed through the ORM in this
    transaction, e.g. user setup, count for reads through db, as they did with the ORM's autoflush),
    then the held new entries written (``ApprovalRepository.flush``)."""
    if h is None:
        h = held(uow)
    session: Session | None = uow.session_if_made
    if session is not None and session.autoflush and (session.new or session.dirty or session.deleted):
        session.flush()
    if h.unwritten:
        h.flush()
    return h


def forget_setups(uow: UnitOfWork) -> None:
    """The approval user setup changed in this transaction (``wf setup load``, or rows changed through
    the ORM session): the unit of work reads it again when next needed. Whoever changes the setup
    rows calls this; nothing watches the session for it."""
    found: ApprovalRepository | None = uow.info.get(_HELD)
    if found is not None:
        found.setups = None


def _adopt(h: ApprovalRepository, rows: Iterable[Sequence[Any]], refresh: bool = False) -> list[Entry]:
    """Entries for rows read: the held object where the entry is held already (so each entry is one
    object per unit of work; ``refresh`` gives it the values read), else a new held one."""
    out: list[Entry] = []
    for row in rows:
        entry = h.by_id.get(row[0])
        if entry is None:
            entry = Entry(row)
            h.by_id[entry.id] = entry
            h.by_no[entry.entry_no] = entry
        elif refresh and entry.id not in h.unwritten_ids:
            entry.assign(row)
        out.append(entry)
    return out


def cached_record_entries(uow: UnitOfWork, record_type: str, record_key: str,
                          instance_id: str) -> list[Entry]:
    """The entries of a record in an instance, by entry number: read once per unit of work, then held
    in memory (the returned list is the held list itself: do not change it)."""
    h = held(uow)
    ref = (record_type, record_key, instance_id)
    found = h.records.get(ref)
    if found is None:
        h = _reader(uow, h)
        found = h.records[ref] = _adopt(h, h.db.rows(_OF_RECORD, {"rt": record_type, "rk": record_key,
                                                                  "inst": instance_id}))
        found.sort(key=ENTRY_NO)
    return found


def lock_record_entries(uow: UnitOfWork, ref: RecordRef) -> None:
    """PostgreSQL: lock the entries of a record in an instance (SELECT ... FOR UPDATE) and refresh the
    held ones with what the transaction that held the lock committed; the comment count is read
    again when next needed. Nothing to do when this unit of work has locked them already."""
    h = _reader(uow)
    if ref in h.locked:
        return
    h.locked.add(ref)
    rt, rk, inst = ref
    h.records[ref] = _adopt(h, h.db.rows(_OF_RECORD_FOR_UPDATE, {"rt": rt, "rk": rk, "inst": inst}),
                            refresh=True)
    h.comments.pop(ref, None)


def entries_with_status(uow: UnitOfWork, status: str, due_on_or_before: dt.date | None = None) -> list[Entry]:
    """Every entry with ``status`` (optionally due on or before a date), by entry number."""
    h = _reader(uow)
    if due_on_or_before is None:
        rows = h.db.rows(_WITH_STATUS, {"status": status})
    else:
        rows = h.db.rows(_WITH_STATUS_DUE, {"status": status, "today": due_on_or_before})
    return _adopt(h, rows)


def entries_and_last_no(uow: UnitOfWork, record_type: str, record_key: str,
                        instance_id: str) -> tuple[list[Entry], int]:
    """The held entries of a record in an instance (as :func:`cached_record_entries`) and the highest
    entry number in use (0 for none; held new entries are written first): one query when the
    entries are not held yet, else the max(entry_no) look-up alone."""
    h = held(uow)
    ref = (record_type, record_key, instance_id)
    found = h.records.get(ref)
    if found is not None:
        if h.unwritten:
            h.flush()  # the highest number in use may be a held new entry's
        return found, int(h.db.scalar(_LAST_ENTRY_NO, {}) or 0)
    h = _reader(uow, h)
    rows = h.db.rows(_OF_RECORD_WITH_LAST_NO, {"rt": record_type, "rk": record_key, "inst": instance_id})
    found = h.records[ref] = _adopt(h, [row[1:] for row in rows if row[1] is not None])
    found.sort(key=ENTRY_NO)
    return found, int(rows[0][0] or 0) if rows else 0


def read_ahead_for_requests(uow: UnitOfWork, record_type: str, record_key: str, instance_id: str, *,
                            setups_too: bool) -> None:
    """Send the reads that creating approval requests starts with (the user setup, when an approver
    chain is walked, then the record's entries with the last entry number) together: one round trip on
    PostgreSQL (``Db.ahead``; nothing on SQLite). Only on the driver path: with an ORM session in the
    unit of work, writes it flushes later would not be seen by reads sent now."""
    if uow.session_if_made is not None:
        return
    h = held(uow)
    reads: list[tuple[Statement, Mapping[str, Any]]] = []
    if setups_too and h.setups is None:
        reads.append((_ALL_SETUPS, {}))
    if (record_type, record_key, instance_id) not in h.records:
        reads.append((_OF_RECORD_WITH_LAST_NO, {"rt": record_type, "rk": record_key, "inst": instance_id}))
    if len(reads) > 1:
        if h.unwritten:
            h.flush()  # the reads sent ahead see the held new entries
        uow.db.ahead(reads)


def hold_new_entries(uow: UnitOfWork, entries: list[Entry]) -> None:
    """New entries: held by the unit of work's approval repository and written together with one
    prepared multi-row INSERT when it flushes (before the unit of work commits, or before a read of the
    entry table), so changes made before then (the send opening them) go into that INSERT. Dropped on
    rollback."""
    h = held(uow)
    h.unwritten.extend(entries)
    extended: set[RecordRef] = set()
    for entry in entries:
        h.unwritten_ids.add(entry.id)
        h.by_id[entry.id] = entry
        h.by_no[entry.entry_no] = entry
        ref = (entry.record_type, entry.record_key, entry.instance_id)
        rows = h.records.get(ref)
        if rows is not None:
            rows.append(entry)
            extended.add(ref)
    for ref in extended:  # held lists stay by entry number
        h.records[ref].sort(key=ENTRY_NO)


def change_entry(uow: UnitOfWork, entry: Entry, **values: Any) -> None:
    """Change fields of an entry: a stored entry with one prepared UPDATE, then the held object; an
    entry not written yet just takes the values (its INSERT carries them). The frequent changes have
    their :class:`EntryChange` (``SET_STATUS``, ``OPEN_ENTRY``), which skips the look-up by names."""
    _change_for(tuple(values))(uow, entry, *values.values())


def comment_count(uow: UnitOfWork, record_type: str, record_key: str, instance_id: str) -> int:
    h = held(uow)
    ref = (record_type, record_key, instance_id)
    found = h.comments.get(ref)
    if found is None:
        h = _reader(uow, h)
        found = h.comments[ref] = int(h.db.scalar(_COMMENTS, {"rt": record_type, "rk": record_key,
                                                              "inst": instance_id}) or 0)
    return found


def pending_approvals(uow: UnitOfWork, record_type: str, record_key: str, instance_id: str) -> int:
    return sum(1 for e in cached_record_entries(uow, record_type, record_key, instance_id)
               if e.status in PENDING)


def entry_values(uow: UnitOfWork, entry: Entry, h: ApprovalRepository | None = None) -> dict[str, Any]:
    rt, rk, inst = entry.record_type, entry.record_key, entry.instance_id
    if h is None:
        h = held(uow)
    ref = (rt, rk, inst)
    rows = h.records.get(ref)
    if rows is None:
        rows = cached_record_entries(uow, rt, rk, inst)
    pending = 0
    for e in rows:
        if e.status in PENDING:
            pending += 1
    comments = h.comments.get(ref)
    if comments is None:
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


def entry_record(uow: UnitOfWork, entry: Entry, h: ApprovalRepository | None = None) -> SimpleRecord:
    """The record view of ``entry`` (type ``ApprovalEntry``, key = its entry number, as the catalogue's
    ApprovalEntry record declares), computed now."""
    return SimpleRecord(RECORD_TYPE, str(entry.entry_no), entry_values(uow, entry, h))


def entry_by_key(uow: UnitOfWork, key: str, h: ApprovalRepository | None = None, *,
                 lock: bool = False) -> Entry | None:
    """The entry a record key (entry number) or an entry id names. An entry not held yet is read with
    its siblings (the record's entries in the instance) and the record's comment count in one query:
    the action and the responses that follow work on them, so they are held for the unit of work.
    ``lock`` (PostgreSQL; SQLite serializes writers already): read them locked, as
    :func:`lock_record_entries` would (the entries of a request held now are locked already)."""
    if h is None:
        h = held(uow)
    no = entry_number(key)  # None: not a number an entry can have (try it as an id)
    found = h.by_id.get(key) if no is None else h.by_no.get(no)
    if found is not None:
        return found
    h = _reader(uow, h)
    if lock and h.db.dialect.name != "sqlite":
        return _locked_entry_by_key(h, key, no)
    rows = h.db.rows(_SIBLINGS_BY_ID, {"id": key}) if no is None else h.db.rows(_SIBLINGS_BY_NO, {"no": no})
    if not rows and no is not None:
        rows = h.db.rows(_SIBLINGS_BY_ID, {"id": key})  # an id made of digits
        no = None
    if not rows:
        return None
    siblings = _adopt(h, [row[:-1] for row in rows])
    siblings.sort(key=ENTRY_NO)
    if no is None:
        found = next((e for e in siblings if e.id == key), None)
    else:
        found = next((e for e in siblings if e.entry_no == no), None)
    if found is None:
        return None
    ref = (found.record_type, found.record_key, found.instance_id)
    if ref not in h.records:
        h.records[ref] = siblings
    h.comments.setdefault(ref, int(rows[0][-1] or 0))
    return found


def _locked_entry_by_key(h: ApprovalRepository, key: str, no: int | None) -> Entry | None:
    """``entry_by_key`` with ``lock`` for an entry not held yet: its request's entries locked and the
    comment count, sent together."""
    by_no = no is not None
    (entries, count) = _LOCKED_BY_NO if by_no else _LOCKED_BY_ID
    params = {"no": no} if by_no else {"id": key}
    rows, counted = h.db.rows_together((entries, params), (count, params))
    if not rows and by_no:
        return _locked_entry_by_key(h, key, None)  # an id made of digits
    if not rows:
        return None
    siblings = _adopt(h, rows, refresh=True)
    found = next((e for e in siblings if (e.entry_no == no if by_no else e.id == key)), None)
    if found is None:
        return None
    ref = (found.record_type, found.record_key, found.instance_id)
    h.records[ref] = siblings
    h.comments[ref] = int(counted[0][0] or 0)
    h.locked.add(ref)
    return found


# ----------------------------------------------------------------------------- user setup


def setups(uow: UnitOfWork) -> dict[str, UserSetup]:
    """The whole approval user setup by user id, read once per unit of work (a user absent here has
    no setup)."""
    h = _reader(uow)
    found = h.setups
    if found is None:
        found = h.setups = {row[0]: UserSetup(row) for row in h.db.rows(_ALL_SETUPS, {})}
    return found


def user_setup(uow: UnitOfWork, user_id: str) -> UserSetup | None:
    if not user_id:
        return None
    return setups(uow).get(user_id)


def group_members(uow: UnitOfWork, code: str) -> list[tuple[str, int]]:
    """(user id, sequence no.) of the members of a workflow user group, by sequence and user id; none
    for an unknown group."""
    if not code:
        return []
    h = _reader(uow)
    return [(str(uid), int(seq)) for uid, seq in h.db.rows(_GROUP_MEMBERS, {"code": code})]
