"""The entries one CREATEAPPROVALREQUESTS run makes (BC's approver types and limit types: the approver
chain, the salesperson/purchaser, a workflow user group), planned before any is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..unit import RunScope
from . import rules
from .errors import ApprovalError
from .records import group_members, hold_new_entries, setups
from .rows import Entry, UserSetup

_CENT = Decimal("0.01")


def _money(value: Decimal) -> Decimal:
    """An amount as the money columns store it (2 decimals), so an entry held in memory for the unit
    of work shows the same value as the entry read back from the database."""
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


class Plan:
    """The entries one CREATEAPPROVALREQUESTS run makes, computed before anything is written (so a
    refusal half-way changes nothing)."""

    def __init__(self, scope: RunScope, tmpl: rules.EntryTemplate, refuse: bool, last_sequence: int,
                 last_entry_no: int) -> None:
        self.scope = scope
        self.tmpl = tmpl
        self.refuse = refuse
        self.requester = scope.user
        self.base = last_sequence
        self.last = self.base
        self.last_entry_no = last_entry_no
        # (approver, sequence, approval type, limit type, self-approved)
        self.rows: list[tuple[str, int, str, str, bool]] = []
        self._setups: dict[str, UserSetup] | None = None

    def _all_setups(self) -> dict[str, UserSetup]:
        """The approval user setup by user id, taken once for the plan (a plan changes none of it)."""
        if self._setups is None:
            self._setups = setups(self.scope.uow)
        return self._setups

    def _setup(self, user_id: str) -> UserSetup | None:
        return self._all_setups().get(user_id) if user_id else None

    def _require_setup(self, user_id: str, code: str = "WF601", message: str | None = None) -> UserSetup:
        setup = self._setup(user_id)
        if setup is None:
            raise ApprovalError(code, message
                                or f"User ID {user_id!r} does not exist in the approval user setup.")
        return setup

    def add(self, approver: str, approval_type: str, limit: str, *, sequence: int | None = None,
            allow_self: bool = False) -> None:
        if approver == self.requester and self.refuse and not allow_self:
            raise ApprovalError("WF614", f"{approver} cannot approve a request they sent (self-approval is "
                                         "refused for this workflow)")
        seq = self.last + 1 if sequence is None else sequence
        self.last = max(self.last, seq)
        self.rows.append((approver, seq, approval_type, limit, approver == self.requester))

    def _sufficient(self, setup: UserSetup) -> bool:
        if self.refuse and setup.user_id == self.requester:
            return False
        return rules.is_sufficient(setup, self.tmpl)

    def chain(self, start: UserSetup, approval_type: str, sufficient_only: bool) -> None:
        """Walk Approver IDs up from ``start`` until a sufficient approver, making entries (every link,
        or in sufficient-only mode just the sufficient one)."""
        current = start
        visited = {start.user_id}
        while not self._sufficient(current):
            nxt = current.approver_id
            if not nxt:
                raise ApprovalError("WF603", f"No qualified approver was found: {current.user_id} has no "
                                             "approver and is not allowed to approve this amount.")
            if nxt == current.user_id:  # only reached with refused self-approval at the top
                raise ApprovalError("WF614", f"{current.user_id} is the top of the approver chain and may "
                                             "not approve their own request.")
            if nxt in visited:  # BC stops after more links than users; a repeated user is that loop
                raise ApprovalError("WF604", "No sufficient approver was found in the approver chain "
                                             f"(it loops back from {current.user_id} to {nxt}).")
            visited.add(nxt)
            current = self._require_setup(nxt)
            if self.refuse and current.user_id == self.requester:
                continue
            if not sufficient_only or self._sufficient(current):
                self.add(current.user_id, approval_type, "Approval Limits")

    def approver(self, l_type: str, specific: str) -> None:
        if l_type == "Specific Approver":
            if not specific:
                raise ApprovalError("WF609", "the specific approver needs an approver user id")
            self._require_setup(specific, "WF609", f"The specific approver {specific!r} does not exist "
                                                  "in the approval user setup.")
            self.add(specific, "Approver", "No Limits")
            return
        requester = self._require_setup(self.requester)
        if l_type == "Direct Approver":
            target = self._setup(requester.approver_id)
            if target is None:
                if requester.approval_administrator:  # BC: the administrator approves his own request;
                    self.add(requester.user_id, "Approver", "No Limits")  # WF614 when refused
                    return
                raise ApprovalError("WF602", "You must set up an approver for user ID "
                                             f"{requester.user_id!r} in the approval user setup.")
            self.add(target.user_id, "Approver", "No Limits")
            return
        if not self.refuse:
            self.add(requester.user_id, "Approver", "Approval Limits")
        self.chain(requester, "Approver", sufficient_only=l_type == "First Qualified Approver")

    def salesperson(self, l_type: str, specific: str) -> None:
        code = self.tmpl.salespers_purch_code
        if not code:
            raise ApprovalError("WF607", f"{self.tmpl.record_type} {self.tmpl.document_no} has no "
                                         "salesperson/purchaser code.")
        # the first user (by user id) linked to the code
        sp = next((s for s in self._all_setups().values() if s.salespers_purch_code == code), None)
        if sp is None:
            raise ApprovalError("WF608", f"The salesperson/purchaser {code!r} of {self.tmpl.record_type} "
                                         f"{self.tmpl.document_no} is not linked to a user in the approval "
                                         "user setup.")
        kind = "Sales Pers./Purchaser"
        own = sp.user_id == self.requester and self.refuse
        if l_type == "Direct Approver":
            self.add(sp.user_id, kind, "No Limits")
        elif l_type == "Approver Chain":
            if not own:
                self.add(sp.user_id, kind, "Approval Limits")
            self.chain(sp, kind, sufficient_only=False)
        elif l_type == "First Qualified Approver":
            if not own and self._sufficient(sp):
                self.add(sp.user_id, kind, "Approval Limits")
            self.chain(sp, kind, sufficient_only=True)
        else:
            if not specific:
                raise ApprovalError("WF609", "the specific approver needs an approver user id")
            self._require_setup(specific, "WF609", f"The specific approver {specific!r} does not exist "
                                                  "in the approval user setup.")
            if not own:
                self.add(sp.user_id, kind, "No Limits")
            self.add(specific, kind, "No Limits")

    def group(self, code: str) -> None:
        self._require_setup(self.requester)
        members = group_members(self.scope.uow, code)
        if not members:
            raise ApprovalError("WF605", f"A workflow user group with at least one member must be set up "
                                         f"(group {code!r}).")
        for member, _seq in members:
            self._require_setup(member, "WF606", f"The workflow user group member {member!r} of group "
                                                f"{code!r} does not exist in the approval user setup.")
        for member, seq in members:
            if self.refuse and member == self.requester:
                continue
            self.add(member, "Workflow User Group", "No Limits", sequence=self.base + seq)
        if not self.rows:
            raise ApprovalError("WF614", f"group {code!r} has no member other than the requester "
                                         f"{self.requester}, who may not approve their own request.")

    def write(self, due: dt.date, delegation: str, quorum: int | None, options: Mapping[str, Any]) -> None:
        scope = self.scope
        uow = scope.uow
        now = uow.clock.now()
        no = self.last_entry_no + 1
        overdue = bool(options.get("overdue_reminders"))
        t = self.tmpl
        requester = self.requester
        instance_id, code = scope.instance_id, scope.workflow_code
        # the template's amounts as stored (the same for every entry of the plan)
        amount, amount_lcy = _money(t.amount), _money(t.amount_lcy)
        credit_limit = _money(t.available_credit_limit_lcy)
        new_id = uow.ids.new_id
        created: list[Entry] = []
        for approver, seq, a_type, l_type, own in self.rows:
            created.append(Entry((  # the fields in ENTRY_FIELDS order
                new_id("entry"), no, t.record_type, t.record_key, instance_id, code, t.document_type,
                t.document_no, seq, requester, approver, "Approved" if own else "Created",
                t.salespers_purch_code, amount, amount_lcy, t.currency_code, credit_limit, a_type, l_type,
                now,  # date_time_sent_for_approval
                now,  # last_date_time_modified
                requester,  # last_modified_by_user_id
                due, delegation, quorum, self.refuse, overdue,
                None,  # last_overdue_notice
            )))
            no += 1
        hold_new_entries(uow, created)
        money = {"amount": amount, "currency_code": t.currency_code} if amount or t.currency_code else {}
        for entry in created:
            scope.explain(f"approval entry {entry.entry_no} for {entry.approver_id} (sequence "
                          f"{entry.sequence_no}): {entry.status}")
            scope.emit_effect("approval.entry_created", {
                "entry_id": entry.id, "entry_no": entry.entry_no, "record_type": entry.record_type,
                "record_key": entry.record_key, "approver": entry.approver_id, "sender": requester,
                **money, "due_date": due, "sequence_no": entry.sequence_no, "status": entry.status})
