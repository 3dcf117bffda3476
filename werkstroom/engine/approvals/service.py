"""ApprovalService: the ``ApprovalsAPI`` of a response context (BC's Approvals Mgmt., codeunit 1535).

Every method works on the approval entries of the scope's document in the scope's workflow instance.
Refusals raise ``ApprovalError`` (WF6xx); the engine rolls the whole event back then.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ...catalogue import dateformula
from ...catalogue.specs import normalize_enum
from ..unit import RunScope, UnitOfWork
from . import notices as notes
from . import rules
from .errors import ApprovalError
from .history import add_audit, add_overdue_row
from .plan import Plan
from .records import (
    ApprovalRepository,
    cached_record_entries,
    change_entry,
    entries_and_last_no,
    entries_with_status,
    entry_by_key,
    entry_record,
    held,
    open_entry,
    read_ahead_for_requests,
    set_status,
    setups,
    user_setup,
)
from .rows import RECORD_TYPE, Entry, UserSetup

APPROVED_EVENT = "ApprovalRequestApproved"
REJECTED_EVENT = "ApprovalRequestRejected"
DELEGATED_EVENT = "ApprovalRequestDelegated"

_DELEGATE_AFTER = {"never": "", "": "", "1day": "1D", "2days": "2D", "5days": "5D"}
_BATCH_TYPES = {"genjournalbatch", "itemjournalbatch", "requisitionwkshname", "fajournalbatch"}
_ENTRY_TYPE_KEY = normalize_enum(RECORD_TYPE)


# ----------------------------------------------------------------------------- option parsing


def delegate_formula(value: object) -> str:
    """BC's Delegate After (Never, 1 day, 2 days, 5 days) as a date formula; a formula (``3D``) is
    accepted too (beyond BC). Blank = never."""
    if value is None or value is False:
        return ""
    text = getattr(value, "text", value)
    key = normalize_enum(str(text))
    if key in _DELEGATE_AFTER:
        return _DELEGATE_AFTER[key]
    m = re.fullmatch(r"(\d+)days?", key)
    if m:
        return f"{int(m.group(1))}D"
    formula = dateformula.coerce(text)
    probe = dt.date(2026, 1, 1)
    if formula.apply(probe) <= probe:
        raise ApprovalError("WF618", f"delegate after {text!r}: the formula must point to a later date")
    return formula.text


@functools.lru_cache(maxsize=256)
def _parsed_formula(text: str) -> dateformula.DateFormula:
    """A date formula's text parsed (a DateFormula is immutable: one parse per text serves every
    engine; a text that does not parse raises each time)."""
    return dateformula.parse(text)


def due_formula(value: object) -> dateformula.DateFormula:
    try:
        text = getattr(value, "text", value)
        if isinstance(text, str) and not isinstance(value, dateformula.DateFormula):
            return _parsed_formula(text)
        return dateformula.coerce(value)
    except dateformula.DateFormulaError as exc:
        raise ApprovalError("WF618", exc.message) from exc


def quorum_value(value: object) -> tuple[int | None, int | None]:
    """(N, M) from a quorum option: None/"all" -> (None, None); 2 -> (2, None); "any" or "any 1 of" ->
    (1, None); "2 of 3" -> (2, 3)."""
    if value is None or value == "" or value is False:
        return None, None
    if isinstance(value, bool):
        raise ApprovalError("WF619", f"invalid quorum {value!r}")
    if isinstance(value, int):
        if value < 1:
            raise ApprovalError("WF619", f"a quorum must be at least 1, not {value}")
        return value, None
    text = " ".join(str(value).lower().split())
    if text == "all":
        return None, None
    if text in ("any", "any one", "any 1", "any 1 of", "any one of"):
        return 1, None
    m = re.fullmatch(r"(?:any )?(\d+)(?: of(?: (\d+))?)?", text)
    if m is None:
        raise ApprovalError("WF619", f"invalid quorum {value!r} (write 'any 1 of', '2 of 3' or a number)")
    n = int(m.group(1))
    total = int(m.group(2)) if m.group(2) else None
    if n < 1 or (total is not None and n > total):
        raise ApprovalError("WF619", f"invalid quorum {value!r}: need 1 <= N <= M")
    return n, total


def quorum_with_total(value: object, total: object) -> tuple[int | None, int | None]:
    """(N, M) from the ``quorum`` option and the ``quorum_total`` option (``quorum 2 of 3`` in a
    script sets both; the API may also give ``quorum="2 of 3"``)."""
    n, m = quorum_value(value)
    if total is None or total == "":
        return n, m
    if isinstance(total, bool) or not isinstance(total, int | str) or not str(total).strip().isdigit():
        raise ApprovalError("WF619", f"invalid quorum total {total!r} (a whole number of approvers)")
    given = int(str(total).strip())
    if n is None:
        raise ApprovalError("WF619", f"a quorum total ({given}) needs a quorum: write 'quorum N of {given}'")
    if m is not None and m != given:
        raise ApprovalError("WF619", f"quorum {value!r} and quorum total {given} disagree")
    if not 1 <= n <= given:
        raise ApprovalError("WF619", f"invalid quorum {n} of {given}: need 1 <= N <= M")
    return n, given


def refuses_self_approval(value: object) -> bool:
    """``self_approval``: "auto" (BC: entries for the requester are approved at once, the default) or
    "refuse" (segregation of duties). Booleans: True = allowed (auto)."""
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return not value
    key = normalize_enum(str(value))
    if key in ("auto", "automatic", "allow", "allowed", "autoapprove", "bc"):
        return False
    if key in ("refuse", "refused", "deny", "forbid", "forbidden", "segregation", "segregationofduties"):
        return True
    raise ApprovalError("WF623", f"unknown self-approval mode {value!r} (use auto or refuse)")


def audit(uow: UnitOfWork, entry: Entry, action: str, user: str, old_status: str,
          detail: str = "", comment: str | None = None) -> None:
    add_audit(uow, entry, action, user, old_status, detail, comment)


def preload_setups(uow: UnitOfWork) -> None:
    """Read the whole approval user setup once for this unit of work (one query instead of one per link
    of an approver chain); later look-ups are answered from it."""
    setups(uow)


def is_admin(uow: UnitOfWork, user: str) -> bool:
    setup = user_setup(uow, user)
    return bool(setup is not None and setup.approval_administrator)


def administrator(uow: UnitOfWork) -> UserSetup | None:
    """The approval administrator (the first by user id, should there be several)."""
    return next((s for s in setups(uow).values() if s.approval_administrator), None)


def record_entries(uow: UnitOfWork, record_type: str, record_key: str, instance_id: str,
                   statuses: Iterable[str] | None = None) -> list[Entry]:
    """The entries of a record in an instance, by entry number (optionally only some statuses)."""
    rows = cached_record_entries(uow, record_type, record_key, instance_id)
    if statuses is None:
        return list(rows)
    wanted = set(statuses)
    return [e for e in rows if e.status in wanted]


def settle_quorum_tier(uow: UnitOfWork, entry: Entry, user: str) -> list[Entry]:
    """Beyond BC: when ``entry``'s tier has a quorum N and N of its entries are Approved, the tier's
    other Created/Open entries become Canceled. Returns the canceled entries."""
    if entry.quorum is None:
        return []
    tier = [e for e in record_entries(uow, entry.record_type, entry.record_key, entry.instance_id)
            if e.sequence_no == entry.sequence_no]
    approved = sum(1 for e in tier if e.status == "Approved")
    if approved < entry.quorum:
        return []
    canceled: list[Entry] = []
    now = uow.clock.now()
    for e in tier:
        if e.status in ("Created", "Open"):
            old = e.status
            set_status(uow, e, "Canceled", now, user)
            audit(uow, e, "quorum", user, old, f"tier {e.sequence_no} reached its quorum of {entry.quorum}")
            canceled.append(e)
    return canceled


# ----------------------------------------------------------------------------- the service


class _NoteOptions:
    """The notification options of a response run (link, message, notify sender), read once for all
    the notifications it makes."""

    __slots__ = ("custom_link", "link", "link_target_page", "message", "notify_sender")

    def __init__(self, options: Mapping[str, Any]) -> None:
        self.link_target_page = str(options.get("link_target_page") or "")
        self.custom_link = str(options.get("custom_link") or "")
        # the link the notification text shows: the custom link, else the target page
        self.link = str(options.get("custom_link") or options.get("link_target_page") or "")
        self.message = str(options.get("message") or "")
        self.notify_sender = bool(options.get("notify_sender"))


_NO_OPTIONS = _NoteOptions({})


class ApprovalService:
    """Approval entries of ``scope.document`` in ``scope.instance_id``."""

    def __init__(self, scope: RunScope) -> None:
        self.scope = scope
        self.uow = scope.uow

    # -- helpers ---------------------------------------------------------------------------

    @property
    def _doc_type(self) -> str:
        return self.scope.document.type

    @property
    def _doc_key(self) -> str:
        return self.scope.document.key

    def _today(self) -> dt.date:
        return self.uow.clock.now().date()

    def _entries(self, statuses: Iterable[str] | None = None) -> list[Entry]:
        return record_entries(self.uow, self._doc_type, self._doc_key, self.scope.instance_id, statuses)

    def _plan(self, tmpl: rules.EntryTemplate, refuse: bool) -> Plan:
        """A plan for new entries after the record's entries in this instance (their last sequence)
        and after the highest entry number in use: one query for both."""
        entries, last_no = entries_and_last_no(self.uow, self._doc_type, self._doc_key,
                                               self.scope.instance_id)
        return Plan(self.scope, tmpl, refuse, max((e.sequence_no for e in entries), default=0), last_no)

    def _notify_entry(self, entry: Entry, recipient: str, note: _NoteOptions,
                      etype: str = "Approval") -> None:
        row = notes.add_entry(
            self.uow, entry_type_=etype, recipient=recipient, sender=self.scope.user,
            record_type=entry.record_type, record_key=entry.record_key, instance_id=entry.instance_id,
            workflow_code=self.scope.workflow_code, approval_entry_id=entry.id,
            link_target_page=note.link_target_page,
            custom_link=note.custom_link, message=note.message,
            data=notes.entry_data(entry, self.scope.workflow_code, recipient, note.link),
        )
        if row is not None:
            self.scope.explain(f"{etype} notification queued for {recipient} (entry {entry.entry_no})")

    def _entry_notifications(self, entry: Entry, note: _NoteOptions) -> None:
        """BC's CreateEntryNotification: the approver unless he is the acting user or the entry
        is rejected; the sender with Notify Sender when he is neither the acting user nor the approver."""
        user = self.scope.user
        if entry.approver_id != user and entry.status != "Rejected":
            self._notify_entry(entry, entry.approver_id, note)
        if note.notify_sender and entry.sender_id not in (user, entry.approver_id):
            self._notify_entry(entry, entry.sender_id, note)

    # -- create ------------------------------------------------------------------------------

    def create_requests(self, options: Mapping[str, Any]) -> None:
        """CREATEAPPROVALREQUESTS: entries per approver type and limit type (see docs/approvals.md)."""
        a_type = rules.approver_type(options.get("approver_type"))
        l_type = rules.limit_type(options.get("limit_type"))
        formula = due_formula(options.get("due_date_formula"))
        today = self._today()
        due = formula.apply(today)
        if due < today:
            raise ApprovalError("WF618", f"the due date formula {formula.text!r} points to the past")
        delegation = delegate_formula(options.get("delegate_after"))
        quorum, quorum_total = quorum_with_total(options.get("quorum"), options.get("quorum_total"))
        refuse = refuses_self_approval(options.get("self_approval")) or bool(options.get("no_self_approval"))
        doc = self.scope.document
        tmpl = rules.template_for(doc.type, doc.key, doc.values)
        chain = l_type in ("Approver Chain", "First Qualified Approver")
        read_ahead_for_requests(self.uow, self._doc_type, self._doc_key, self.scope.instance_id,
                                setups_too=chain)
        if chain:
            preload_setups(self.uow)
        plan = self._plan(tmpl, refuse)

        batch = normalize_enum(doc.type) in _BATCH_TYPES
        if batch and l_type != "Direct Approver" and a_type != "Workflow User Group":
            self.scope.explain("only Direct Approver is supported for journal batches and worksheets: "
                               "the request is approved automatically")
            plan.add(self.scope.user, "Approver", "No Limits", allow_self=True)
        elif a_type == "Workflow User Group":
            plan.group(str(options.get("workflow_user_group") or ""))
        elif a_type == "Salesperson/Purchaser":
            plan.salesperson(l_type, str(options.get("approver_id") or ""))
        else:
            plan.approver(l_type, str(options.get("approver_id") or ""))

        if quorum is not None:
            tiers: dict[int, int] = {}
            for row in plan.rows:
                tiers[row[1]] = tiers.get(row[1], 0) + 1
            for seq, size in tiers.items():
                if size > 1 and size < quorum:
                    raise ApprovalError("WF619", f"quorum {quorum} cannot be met by tier {seq} with "
                                                 f"{size} approvers")
                if size > 1 and quorum_total is not None and size != quorum_total:
                    raise ApprovalError("WF619", f"quorum '{quorum} of {quorum_total}' does not match tier "
                                                 f"{seq}, which has {size} approvers")
        plan.write(due, delegation, quorum, options)
        if options.get("show_confirmation"):
            self.scope.emit_effect("message", {"text": "An approval request has been sent.",
                                               "user": self.scope.user})

    def create_and_approve_automatically(self) -> None:
        """CREATEANDAPPROVEAPPROVALREQUESTAUTOMATICALLY: one entry for the acting user, Approved."""
        doc = self.scope.document
        tmpl = rules.template_for(doc.type, doc.key, doc.values)
        plan = self._plan(tmpl, refuse=False)
        plan.add(self.scope.user, "Approver", "No Limits", allow_self=True)
        plan.write(self._today(), "", None, {})

    # -- send --------------------------------------------------------------------------------

    def send_requests(self, options: Mapping[str, Any]) -> None:
        """SENDAPPROVALREQUESTFORAPPROVAL: open the lowest pending sequence and notify its approvers."""
        ev = self.scope.event_record
        if normalize_enum(ev.type) == _ENTRY_TYPE_KEY:
            h = held(self.uow)
            entry = entry_by_key(self.uow, ev.key, h)
            if entry is not None:
                self._send_from_entry(entry, options, h)
                return
        self._send_from_record(options)

    def _open_next_tier(self, options: Mapping[str, Any],
                        entries: list[Entry] | None = None,
                        h: ApprovalRepository | None = None) -> list[Entry]:
        """Open every Created entry of the lowest Created sequence; a quorum tier that is already met
        (auto-approved members) is closed and the next tier is tried. ``entries``: all entries of
        the record in this instance, when the caller has them already."""
        if entries is None:
            entries = self._entries()
        while True:
            created = [e for e in entries if e.status == "Created"]
            if not created:
                return []
            low = min(e.sequence_no for e in created)
            tier = [e for e in created if e.sequence_no == low]
            quorum = tier[0].quorum
            if quorum is not None:
                approved = [e for e in entries if e.status == "Approved" and e.sequence_no == low]
                if len(approved) >= quorum:
                    settle_quorum_tier(self.uow, approved[0], self.scope.user)
                    continue
            now = self.uow.clock.now()
            note = _NoteOptions(options)
            for e in tier:
                open_entry(self.uow, e, now, self.scope.user, h=h)
                self._entry_notifications(e, note)
            self.scope.explain(f"approval requests sent to {', '.join(e.approver_id for e in tier)}"
                               f" (sequence {low})")
            return tier

    def _send_from_record(self, options: Mapping[str, Any]) -> None:
        entries = self._entries()
        if not any(e.status == "Created" for e in entries):
            approved = [e for e in entries if e.status == "Approved"]
            if approved:
                self.scope.explain("every approval entry is already approved")
                self.scope.raise_event(APPROVED_EVENT, entry_record(self.uow, approved[-1]))
                return
            raise ApprovalError("WF610", "No approval requests exist.")
        opened = self._open_next_tier(options, entries)
        approved = [e for e in entries if e.status == "Approved"]
        if not opened:  # every remaining tier was closed by its quorum
            if approved:
                self.scope.raise_event(APPROVED_EVENT, entry_record(self.uow, approved[-1]))
                return
            raise ApprovalError("WF610", "No approval requests exist.")
        group_approved = [e for e in approved if e.approval_type == "Workflow User Group"]
        if group_approved:
            last = group_approved[-1]
            open_same = any(e.sequence_no == last.sequence_no and e.status == "Open" for e in entries)
            if last.sender_id != last.approver_id or open_same:
                self.scope.raise_event(APPROVED_EVENT, entry_record(self.uow, last))

    def _send_from_entry(self, entry: Entry, options: Mapping[str, Any], h: ApprovalRepository) -> None:
        if entry.status == "Open":  # a delegated entry: tell the new approver
            self._entry_notifications(entry, _NoteOptions(options))
            return
        # the record's entries in this instance: held already (read with the entry), else read now
        rows = h.records.get((self._doc_type, self._doc_key, self.scope.instance_id))
        entries = list(rows) if rows is not None else self._entries()
        open_entries = [e for e in entries if e.status == "Open" and e.id != entry.id]
        if entry.approval_type == "Workflow User Group":
            open_entries = [e for e in open_entries if e.sequence_no > entry.sequence_no]
        if open_entries:
            self.scope.explain("other approvers still have open requests: waiting")
            return
        self._open_next_tier(options, entries, h)

    # -- approve / reject / cancel all --------------------------------------------------------

    def _set_all(self, statuses: Sequence[str], new_status: str,
                 action: str) -> list[tuple[Entry, str]]:
        changed: list[tuple[Entry, str]] = []
        now = self.uow.clock.now()
        for e in self._entries(statuses):
            old = e.status
            set_status(self.uow, e, new_status, now, self.scope.user)
            audit(self.uow, e, action, self.scope.user, old)
            changed.append((e, old))
        return changed

    def approve_all(self) -> None:
        """APPROVEALLAPPROVALREQUESTS: every Created/Open entry -> Approved."""
        changed = self._set_all(("Created", "Open"), "Approved", "approve all")
        for e, _old in changed:
            if e.sender_id != self.scope.user:
                self._notify_entry(e, e.sender_id, _NO_OPTIONS)
        self.scope.explain(f"{len(changed)} approval entries approved")

    def reject_all(self, options: Mapping[str, Any]) -> None:
        """REJECTALLAPPROVALREQUESTS: every entry not Rejected/Canceled -> Rejected; notifications for
        the previously Open entries (and the sender with Notify Sender)."""
        note = _NoteOptions(options)
        changed = self._set_all(("Created", "Open", "Approved"), "Rejected", "reject all")
        just_rejected = held(self.uow).just_rejected
        for e in self._entries(("Rejected",)):
            if e.id in just_rejected and all(c is not e for c, _ in changed):
                changed.insert(0, (e, "Open"))  # BC: the rejected entry was still Open at this point
        for e, old in changed:
            if old == "Open" and e.approver_id != self.scope.user:
                self._notify_entry(e, e.approver_id, note)
        self._notify_sender_once(changed, note)
        self.scope.explain(f"{len(changed)} approval entries rejected")

    def cancel_all(self, options: Mapping[str, Any]) -> None:
        """CANCELALLAPPROVALREQUESTS: every entry not Rejected/Canceled -> Canceled; notifications for
        those that were Open or Approved."""
        note = _NoteOptions(options)
        changed = self._set_all(("Created", "Open", "Approved"), "Canceled", "cancel all")
        for e, old in changed:
            if old in ("Open", "Approved") and e.approver_id != self.scope.user:
                self._notify_entry(e, e.approver_id, note)
        self._notify_sender_once(changed, note)
        self.scope.explain(f"{len(changed)} approval entries canceled")

    def _notify_sender_once(self, changed: list[tuple[Entry, str]], note: _NoteOptions) -> None:
        if not note.notify_sender or not changed:
            return
        entry = changed[-1][0]
        if entry.sender_id != self.scope.user:
            self._notify_entry(entry, entry.sender_id, note)

    # -- overdue / comments -------------------------------------------------------------------

    def create_overdue_notifications(self, options: Mapping[str, Any]) -> None:
        """CREATEOVERDUENOTIFICATIONS: for every Open entry whose due date has come (due date <= today)
        and whose approver has a user setup: an overdue record and an Overdue notification."""
        count = create_overdue(self.uow, self._today(), self.scope.user, options, self.scope.workflow_code)
        self.scope.explain(f"{count} overdue notifications created")

    def request_comment(self) -> None:
        """GETAPPROVALCOMMENT: ask the acting user for a comment. The stdlib response puts the request
        for the host in the outbox; here the timeline notes it (comments are added with
        ``actions.add_comment`` or ``--comment``)."""
        self.scope.explain(f"{self.scope.user} is asked for an approval comment")


def create_overdue(uow: UnitOfWork, today: dt.date, user: str, options: Mapping[str, Any],
                   workflow: str, only: Iterable[Entry] | None = None) -> int:
    """Overdue notices for Open entries due on or before ``today`` (all of them, or ``only``)."""
    entries = entries_with_status(uow, "Open", due_on_or_before=today) if only is None else list(only)
    count = 0
    now = uow.clock.now()
    for e in entries:
        if user_setup(uow, e.approver_id) is None:
            continue
        add_overdue_row(uow, e, now)
        change_entry(uow, e, last_overdue_notice=today)
        link = str(options.get("custom_link") or options.get("link_target_page") or "")
        for recipient in [e.approver_id] + ([e.sender_id] if options.get("notify_sender")
                                            and e.sender_id != e.approver_id else []):
            row = notes.add_entry(
                uow, entry_type_="Overdue", recipient=recipient, sender=user, record_type=e.record_type,
                record_key=e.record_key, instance_id=e.instance_id,
                workflow_code=workflow or e.approval_code, approval_entry_id=e.id,
                link_target_page=str(options.get("link_target_page") or ""),
                custom_link=str(options.get("custom_link") or ""),
                data=notes.entry_data(e, workflow or e.approval_code, recipient, link))
            if row is not None:
                count += 1
    return count


__all__ = [
    "APPROVED_EVENT",
    "DELEGATED_EVENT",
    "REJECTED_EVENT",
    "ApprovalService",
    "create_overdue",
    "settle_quorum_tier",
]
