"""Clock-driven approval work: automatic delegation (BC's report 1511 "Delegate Approval Requests")
and, beyond BC, overdue reminders for entries created with the ``overdue_reminders`` option.

``run_due(uow, now)`` is called by the engine/CLI whenever time advances. Automatic delegation: every
Open entry with a delegation formula whose (date sent for approval + formula) <= today is delegated
(no user check, as BC). Overdue reminders: every Open entry with reminders on, due before today, gets
one Overdue notification per day. The returned delegations are events the engine must handle.

Several runs may overlap (cron on several machines): on PostgreSQL a run claims the workflow instances
whose entries it has work for (a transaction-level advisory lock per instance, taken only when free:
an instance another run holds is skipped, that run does its work), then locks their entries and reads
them again, so each delegation and each day's reminder happens once. SQLite runs one writer at a time.
"""

from __future__ import annotations

import datetime as dt

import attrs

from ...catalogue import dateformula
from ...store.database import ADVISORY_TRY_LOCK, advisory_key
from ...store.driver import Statement
from ..unit import UnitOfWork
from .actions import SYSTEM_USER, ActionResult, delegate
from .errors import ApprovalError
from .records import change_entry, entries_with_status, lock_record_entries
from .rows import Entry
from .service import create_overdue

_TRY_LOCK = Statement(ADVISORY_TRY_LOCK)


@attrs.frozen
class TimerReport:
    delegations: tuple[ActionResult, ...]
    overdue_notices: int
    failures: tuple[tuple[str, str], ...]  # (entry id, error) for entries that could not be delegated


def _delegation_due(e: Entry, today: dt.date) -> bool:
    if e.status != "Open" or not e.delegation_date_formula:
        return False
    sent = e.date_time_sent_for_approval.date()
    return dateformula.parse(e.delegation_date_formula).apply(sent) <= today


def _reminder_due(e: Entry, today: dt.date) -> bool:
    return (e.status == "Open" and e.overdue_reminders and e.due_date < today
            and e.last_overdue_notice != today)


def _claim(uow: UnitOfWork, entries: list[Entry], today: dt.date) -> list[Entry]:
    """The entries this run works on: on PostgreSQL those of the instances with due work that it
    claims (an advisory lock per instance, skipped when another run holds it), with their requests'
    entries locked and read again (they may have changed since they were read: another run's or an
    approver's work committed). SQLite: all of them (one writer at a time)."""
    if uow.db.sqlite:
        return entries
    due = sorted({e.instance_id for e in entries if _delegation_due(e, today) or _reminder_due(e, today)})
    if not due:
        return []
    answers = uow.db.rows_together(*[(_TRY_LOCK, {"k": advisory_key("timers", iid)}) for iid in due])
    claimed = {iid for iid, rows in zip(due, answers, strict=True) if rows[0][0]}
    mine = [e for e in entries if e.instance_id in claimed]
    for ref in sorted({(e.record_type, e.record_key, e.instance_id) for e in mine}):
        lock_record_entries(uow, ref)  # waits for an approver acting on the request; refreshes `mine`
    return mine


def run_due(uow: UnitOfWork, now: dt.datetime) -> TimerReport:
    today = now.date()
    open_entries = _claim(uow, entries_with_status(uow, "Open"), today)
    delegations: list[ActionResult] = []
    failures: list[tuple[str, str]] = []
    for e in open_entries:
        if not _delegation_due(e, today):
            continue
        # a refused delegation changes nothing: its checks run before any write; the savepoint and
        # the restored held values are the safety net should one come after a write
        before = e.values()
        uow.flush()  # what the unit of work holds unwritten is written outside the savepoint
        try:
            with uow.session.begin_nested():
                # the session begins its savepoint on the connection only when it uses the
                # connection, and the delegation's statements go past the session (uow.db)
                uow.session.connection()
                delegations.append(delegate(uow, e.id, SYSTEM_USER, automatic=True))
        except ApprovalError as exc:
            for name, value in before.items():
                setattr(e, name, value)
            failures.append((e.id, str(exc)))
            continue
        # the delegated entry starts a new period with its new approver
        change_entry(uow, e, date_time_sent_for_approval=now)
    reminders = [e for e in open_entries if _reminder_due(e, today)]
    count = create_overdue(uow, today, SYSTEM_USER, {}, "", only=reminders) if reminders else 0
    return TimerReport(tuple(delegations), count, tuple(failures))
