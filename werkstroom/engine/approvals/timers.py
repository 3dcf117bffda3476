"""Clock-driven approval work: automatic delegation (BC's report 1511 "Delegate Approval Requests")
and, beyond BC, overdue reminders for entries created with the ``overdue_reminders`` option.

``run_due(uow, now)`` is called by the engine/CLI whenever time advances. Automatic delegation: every
Open entry with a delegation formula whose (date sent for approval + formula) <= today is delegated
(no user check, as BC). Overdue reminders: every Open entry with reminders on, due before today, gets
one Overdue notification per day. The returned delegations are events the engine must handle.
"""

from __future__ import annotations

import datetime as dt

import attrs

from ...catalogue import dateformula
from ..unit import UnitOfWork
from .actions import SYSTEM_USER, ActionResult, delegate
from .errors import ApprovalError
from .records import change_entry, entries_with_status
from .service import create_overdue


@attrs.frozen
class TimerReport:
    delegations: tuple[ActionResult, ...]
    overdue_notices: int
    failures: tuple[tuple[str, str], ...]  # (entry id, error) for entries that could not be delegated


def run_due(uow: UnitOfWork, now: dt.datetime) -> TimerReport:
    today = now.date()
    open_entries = entries_with_status(uow, "Open")
    delegations: list[ActionResult] = []
    failures: list[tuple[str, str]] = []
    for e in open_entries:
        if not e.delegation_date_formula:
            continue
        sent = e.date_time_sent_for_approval.date()
        if dateformula.parse(e.delegation_date_formula).apply(sent) > today:
            continue
        # a refused delegation changes nothing: its checks run before any write; the savepoint and
        # the restored held values are the safety net should one come after a write
        before = e.values()
        uow.db.run_deferred()  # deferred writes of the transaction belong outside the savepoint
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
    reminders = [e for e in open_entries
                 if e.status == "Open" and e.overdue_reminders and e.due_date < today
                 and e.last_overdue_notice != today]
    count = create_overdue(uow, today, SYSTEM_USER, {}, "", only=reminders) if reminders else 0
    return TimerReport(tuple(delegations), count, tuple(failures))
