"""User actions on one approval entry: approve, reject, delegate (BC's Requests to Approve page).

Each checks BC's authorization first and changes nothing when it refuses (``ApprovalError`` WF6xx).
On success it updates the entry, writes an audit row (and a comment line when a comment is given)
and returns an ``ActionResult``: the event the engine must now handle on the entry's workflow
instance, with the approval-entry record. The caller runs that event in the same transaction.
"""

from __future__ import annotations

import attrs

from ..unit import UnitOfWork
from .errors import ApprovalError
from .history import add_audit, add_comment_line
from .records import (
    ApprovalRepository,
    change_entry,
    entry_by_key,
    entry_record,
    held,
    lock_record_entries,
    set_status,
    user_setup,
)
from .rows import Entry, SimpleRecord
from .service import (
    APPROVED_EVENT,
    DELEGATED_EVENT,
    REJECTED_EVENT,
    administrator,
    audit,
    is_admin,
    record_entries,
    settle_quorum_tier,
)

SYSTEM_USER = "(job queue)"


@attrs.frozen
class ActionResult:
    """What the engine must handle next. ``event``: ApprovalRequestApproved / Rejected / Delegated.
    ``record``: the Entry record view (pending_approvals computed after the action).
    ``document_type``/``document_key``: the record the entry is for. ``canceled``: entries closed by a
    quorum. ``delegated_to``: the new approver (delegate only)."""

    event: str
    entry_id: str
    record: SimpleRecord
    instance_id: str
    workflow_code: str
    document_type: str
    document_key: str
    user: str
    canceled: tuple[str, ...] = ()
    delegated_to: str = ""


def find_entry(uow: UnitOfWork, ref: str, h: ApprovalRepository | None = None, *,
               lock: bool = False) -> Entry:
    """An entry by id, or by entry number (``7``). ``h``: the unit of work's held rows, when the
    caller has them. ``lock``: with its request's entries locked (see :func:`lock_request`)."""
    entry = entry_by_key(uow, ref, h, lock=lock)
    if lock and entry is not None:
        lock_request(uow, entry)  # (nothing more when the read above locked them)
    if entry is None:
        raise ApprovalError("WF615", f"approval entry {ref!r} does not exist")
    return entry


def lock_request(uow: UnitOfWork, entry: Entry) -> None:
    """On PostgreSQL, lock every entry of the entry's record and instance (SELECT ... FOR UPDATE) so
    two approvers acting at once on one request are handled one after the other; the second then sees
    the first one's changes. SQLite serializes writers already (BEGIN IMMEDIATE): nothing to do."""
    if uow.db.dialect.name == "sqlite":
        return
    # the locking read refreshes every entry of the request (the held ones included) with what the
    # transaction that held the lock committed
    lock_record_entries(uow, (entry.record_type, entry.record_key, entry.instance_id))


def _check_open(entry: Entry, verb: str) -> None:
    if entry.status != "Open":
        raise ApprovalError("WF611", f"You can only {verb} open approval requests; entry {entry.entry_no} is "
                                     f"{entry.status}.")


def _check_approver_or_admin(uow: UnitOfWork, entry: Entry, user: str, verb: str) -> None:
    if entry.approver_id != user and not is_admin(uow, user):
        raise ApprovalError("WF612", f"{user} may not {verb} entry {entry.entry_no}: only its approver "
                                     f"{entry.approver_id} or the approval administrator can.")


def _comment(uow: UnitOfWork, entry: Entry, user: str, comment: str | None) -> None:
    if comment:
        add_comment_line(uow, entry, user, comment)


def _set_status(uow: UnitOfWork, h: ApprovalRepository, entry: Entry, status: str, user: str) -> None:
    set_status(uow, entry, status, uow.clock.now(), user, h=h)


def _result(uow: UnitOfWork, event: str, entry: Entry, user: str,
            canceled: tuple[str, ...] = (), delegated_to: str = "",
            h: ApprovalRepository | None = None) -> ActionResult:
    return ActionResult(event=event, entry_id=entry.id, record=entry_record(uow, entry, h),
                        instance_id=entry.instance_id, workflow_code=entry.approval_code,
                        document_type=entry.record_type, document_key=entry.record_key, user=user,
                        canceled=canceled, delegated_to=delegated_to)


def approve(uow: UnitOfWork, entry_id: str, user: str, comment: str | None = None) -> ActionResult:
    h = held(uow)
    entry = find_entry(uow, entry_id, h, lock=True)
    _check_open(entry, "approve")
    _check_approver_or_admin(uow, entry, user, "approve")
    if entry.refuse_self_approval and user == entry.sender_id:
        raise ApprovalError("WF614", f"{user} sent this request and may not approve it "
                                     "(segregation of duties).")
    _set_status(uow, h, entry, "Approved", user)
    add_audit(uow, entry, "approve", user, "Open", comment=comment)
    _comment(uow, entry, user, comment)
    canceled = settle_quorum_tier(uow, entry, user)
    return _result(uow, APPROVED_EVENT, entry, user, tuple(e.id for e in canceled), h=h)


def reject(uow: UnitOfWork, entry_id: str, user: str, comment: str | None = None) -> ActionResult:
    h = held(uow)
    entry = find_entry(uow, entry_id, h, lock=True)
    _check_open(entry, "reject")
    _check_approver_or_admin(uow, entry, user, "reject")
    _set_status(uow, h, entry, "Rejected", user)
    # BC raises the reject event before it marks the entry, so "reject all approval requests" still
    # sees it as open (and notifies the sender); note it for the service in this transaction
    h.just_rejected.add(entry.id)
    add_audit(uow, entry, "reject", user, "Open", comment=comment)
    _comment(uow, entry, user, comment)
    return _result(uow, REJECTED_EVENT, entry, user, h=h)


def delegation_target(uow: UnitOfWork, entry: Entry) -> str:
    """Substitute, else the approver's own approver, else the approval administrator. Candidates equal
    to the current approver are skipped (delegating to oneself changes nothing), and so is the sender
    when the entry refuses self-approval."""
    setup = user_setup(uow, entry.approver_id)
    admin = administrator(uow)
    candidates = [
        setup.substitute if setup is not None else "",
        setup.approver_id if setup is not None else "",
        admin.user_id if admin is not None else "",
    ]
    for cand in candidates:
        if not cand or cand == entry.approver_id:
            continue
        if entry.refuse_self_approval and cand == entry.sender_id:
            continue
        if user_setup(uow, cand) is None:
            continue
        return cand
    raise ApprovalError("WF613", "There is no substitute, direct approver, or approval administrator for "
                                 f"user ID {entry.approver_id!r} in the approval user setup.")


def delegate(uow: UnitOfWork, entry_id: str, user: str, comment: str | None = None, *,
             automatic: bool = False) -> ActionResult:
    """Delegate an Open entry. A user may delegate when he is its sender, its approver or the approval
    administrator; ``automatic`` (the delegation timer) skips that check, as BC's report does."""
    entry = find_entry(uow, entry_id, lock=True)
    _check_open(entry, "delegate")
    if not automatic and user not in (entry.approver_id, entry.sender_id) and not is_admin(uow, user):
        raise ApprovalError("WF612", f"{user} may not delegate entry {entry.entry_no}: only its sender, its "
                                     "approver or the approval administrator can.")
    target = delegation_target(uow, entry)
    old_approver = entry.approver_id
    change_entry(uow, entry, approver_id=target, last_date_time_modified=uow.clock.now(),
                 last_modified_by_user_id=user)
    audit(uow, entry, "delegate", user, "Open", f"from {old_approver} to {target}", comment)
    _comment(uow, entry, user, comment)
    return _result(uow, DELEGATED_EVENT, entry, user, delegated_to=target)


def add_comment(uow: UnitOfWork, entry_id: str, user: str, comment: str) -> None:
    """A comment on the entry's record and instance (any participant may comment)."""
    entry = find_entry(uow, entry_id)
    _comment(uow, entry, user, comment)
    audit(uow, entry, "comment", user, entry.status, comment=comment)


@attrs.frozen
class CancelTarget:
    """What a cancel needs: the record whose approval request is canceled and its instance."""

    record_type: str
    record_key: str
    instance_id: str
    workflow_code: str


def cancel_target(uow: UnitOfWork, entry_id: str, user: str) -> CancelTarget:
    """Check that ``user`` may cancel the approval request ``entry_id`` belongs to and say which
    record and instance it is. BC's cancel is the requester's action on the document: the sender of
    the request or the approval administrator may cancel while the request is pending (some entry of
    the record and instance still Created or Open). The cancel itself is the record's
    ``...ApprovalRequestCanceled`` event, whose responses (cancel approval requests ...) do the work.
    The request's entries are locked (PostgreSQL) as for the other actions."""
    entry = find_entry(uow, entry_id, lock=True)
    if user != entry.sender_id and not is_admin(uow, user):
        raise ApprovalError("WF612", f"{user} may not cancel the approval request of entry {entry.entry_no}: "
                                     f"only its sender {entry.sender_id} or the approval administrator can.")
    pending = [e for e in record_entries(uow, entry.record_type, entry.record_key, entry.instance_id)
               if e.status in ("Created", "Open")]
    if not pending:
        raise ApprovalError("WF611", f"the approval request of entry {entry.entry_no} is no longer pending: "
                                     "only pending requests can be canceled.")
    return CancelTarget(entry.record_type, entry.record_key, entry.instance_id, entry.approval_code)
