"""Approval entries and approval user setup as plain Python objects (:class:`Entry`, :class:`UserSetup`:
one per ``wf_approval_entry`` / ``wf_approval_user_setup`` row, the attributes named as the columns),
and the ``ApprovalEntry`` record type events on approval entries carry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, MutableMapping, Sequence
from decimal import Decimal
from operator import attrgetter
from typing import Any, cast

import attrs
from sqlalchemy import Table

from ...store.approvals import ApprovalEntry, ApprovalUserSetup

RECORD_TYPE = "ApprovalEntry"
PENDING = ("Created", "Open")
RecordRef = tuple[str, str, str]


@attrs.define
class SimpleRecord:
    """A RecordHandle held in memory."""

    type: str
    key: str
    values: MutableMapping[str, Any] = attrs.field(factory=dict)
    old_values: Mapping[str, Any] | None = None


ENTRY_TABLE: Table = cast("Table", ApprovalEntry.__table__)
SETUP_TABLE: Table = cast("Table", ApprovalUserSetup.__table__)

ENTRY_FIELDS = (
    "id", "entry_no", "record_type", "record_key", "instance_id", "approval_code", "document_type",
    "document_no", "sequence_no", "sender_id", "approver_id", "status", "salespers_purch_code", "amount",
    "amount_lcy", "currency_code", "available_credit_limit_lcy", "approval_type", "limit_type",
    "date_time_sent_for_approval", "last_date_time_modified", "last_modified_by_user_id", "due_date",
    "delegation_date_formula", "quorum", "refuse_self_approval", "overdue_reminders", "last_overdue_notice",
)
SETUP_FIELDS = (
    "user_id", "approver_id", "salespers_purch_code", "sales_amount_approval_limit",
    "unlimited_sales_approval", "purchase_amount_approval_limit", "unlimited_purchase_approval",
    "request_amount_approval_limit", "unlimited_request_approval", "substitute", "email",
    "approval_administrator", "time_zone", "language",
)
assert tuple(c.key for c in ENTRY_TABLE.columns) == ENTRY_FIELDS, "Entry must follow wf_approval_entry"
assert tuple(c.key for c in SETUP_TABLE.columns) == SETUP_FIELDS, \
    "UserSetup must follow wf_approval_user_setup"


class Entry:
    """One approval entry (a row of ``wf_approval_entry``, the attributes named as the columns) held
    for a unit of work. Change fields only through :func:`change_entry` (or an :class:`EntryChange`)."""

    __slots__ = ENTRY_FIELDS

    id: str
    entry_no: int
    record_type: str
    record_key: str
    instance_id: str
    approval_code: str
    document_type: str
    document_no: str
    sequence_no: int
    sender_id: str
    approver_id: str
    status: str
    salespers_purch_code: str
    amount: Decimal
    amount_lcy: Decimal
    currency_code: str
    available_credit_limit_lcy: Decimal
    approval_type: str
    limit_type: str
    date_time_sent_for_approval: dt.datetime
    last_date_time_modified: dt.datetime
    last_modified_by_user_id: str
    due_date: dt.date
    delegation_date_formula: str
    quorum: int | None
    refuse_self_approval: bool
    overdue_reminders: bool
    last_overdue_notice: dt.date | None

    def __init__(self, row: Sequence[Any]) -> None:
        """An entry with the values of a row read with the columns in ``ENTRY_FIELDS`` order (written
        out: an unpacking is several times faster than a loop of setattr)."""
        (self.id, self.entry_no, self.record_type, self.record_key, self.instance_id, self.approval_code,
         self.document_type, self.document_no, self.sequence_no, self.sender_id, self.approver_id,
         self.status, self.salespers_purch_code, self.amount, self.amount_lcy, self.currency_code,
         self.available_credit_limit_lcy, self.approval_type, self.limit_type,
         self.date_time_sent_for_approval, self.last_date_time_modified, self.last_modified_by_user_id,
         self.due_date, self.delegation_date_formula, self.quorum, self.refuse_self_approval,
         self.overdue_reminders, self.last_overdue_notice) = row

    # ``entry.assign(row)``: a held entry takes the values of a row read again (the same unpacking)
    assign = __init__

    def values(self) -> dict[str, Any]:
        """The fields by column name (written out: a dict display of slot reads is several times
        cheaper than ``dict(zip(ENTRY_FIELDS, attrgetter(*ENTRY_FIELDS)(self)))``)."""
        return {
            "id": self.id, "entry_no": self.entry_no, "record_type": self.record_type,
            "record_key": self.record_key, "instance_id": self.instance_id,
            "approval_code": self.approval_code,
            "document_type": self.document_type, "document_no": self.document_no,
            "sequence_no": self.sequence_no, "sender_id": self.sender_id, "approver_id": self.approver_id,
            "status": self.status, "salespers_purch_code": self.salespers_purch_code, "amount": self.amount,
            "amount_lcy": self.amount_lcy, "currency_code": self.currency_code,
            "available_credit_limit_lcy": self.available_credit_limit_lcy,
            "approval_type": self.approval_type, "limit_type": self.limit_type,
            "date_time_sent_for_approval": self.date_time_sent_for_approval,
            "last_date_time_modified": self.last_date_time_modified,
            "last_modified_by_user_id": self.last_modified_by_user_id, "due_date": self.due_date,
            "delegation_date_formula": self.delegation_date_formula, "quorum": self.quorum,
            "refuse_self_approval": self.refuse_self_approval, "overdue_reminders": self.overdue_reminders,
            "last_overdue_notice": self.last_overdue_notice,
        }

    def __repr__(self) -> str:
        return (f"Entry(no={self.entry_no}, approver={self.approver_id!r}, seq={self.sequence_no}, "
                f"status={self.status!r})")


ENTRY_NO = attrgetter("entry_no")


class UserSetup:
    """One row of the approval user setup (``wf_approval_user_setup``), read-only."""

    __slots__ = SETUP_FIELDS

    user_id: str
    approver_id: str
    salespers_purch_code: str
    sales_amount_approval_limit: Decimal
    unlimited_sales_approval: bool
    purchase_amount_approval_limit: Decimal
    unlimited_purchase_approval: bool
    request_amount_approval_limit: Decimal
    unlimited_request_approval: bool
    substitute: str
    email: str
    approval_administrator: bool
    time_zone: str
    language: str

    def __init__(self, row: Sequence[Any]) -> None:
        (self.user_id, self.approver_id, self.salespers_purch_code, self.sales_amount_approval_limit,
         self.unlimited_sales_approval, self.purchase_amount_approval_limit, self.unlimited_purchase_approval,
         self.request_amount_approval_limit, self.unlimited_request_approval, self.substitute, self.email,
         self.approval_administrator, self.time_zone, self.language) = row

    def __repr__(self) -> str:
        return f"UserSetup({self.user_id!r}, approver={self.approver_id!r})"
