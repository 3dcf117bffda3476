"""Approval tables (BC's User Setup, Workflow User Group (+ Member), Approval Entry, Approval Comment
Line, Overdue Approval Entry) plus our audit trail. All on the shared ``Base`` with ``wf_`` names."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .metadata import Base

MONEY = Numeric(20, 2, asdecimal=True)


class ApprovalUserSetup(Base):
    """BC table 91 User Setup, the fields approvals use."""

    __tablename__ = "wf_approval_user_setup"

    user_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    approver_id: Mapped[str] = mapped_column(String(50), default="")
    salespers_purch_code: Mapped[str] = mapped_column(String(20), default="", index=True)
    sales_amount_approval_limit: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    unlimited_sales_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    purchase_amount_approval_limit: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    unlimited_purchase_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    request_amount_approval_limit: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    unlimited_request_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    substitute: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(250), default="")
    approval_administrator: Mapped[bool] = mapped_column(Boolean, default=False)
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    # beyond BC: the language of the inbox's pages for the user (en or nl)
    language: Mapped[str] = mapped_column(String(5), default="en")


class WorkflowUserGroup(Base):
    __tablename__ = "wf_user_group"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    description: Mapped[str] = mapped_column(String(100), default="")


class WorkflowUserGroupMember(Base):
    __tablename__ = "wf_user_group_member"

    group_code: Mapped[str] = mapped_column(
        String(20), ForeignKey("wf_user_group.code", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    sequence_no: Mapped[int] = mapped_column(Integer, default=1)


class ApprovalEntry(Base):
    """BC table 454 Approval Entry. ``record_type``/``record_key``: the record to approve;
    ``instance_id``: the workflow instance (BC's Workflow Step Instance ID)."""

    __tablename__ = "wf_approval_entry"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    entry_no: Mapped[int] = mapped_column(Integer, index=True)
    record_type: Mapped[str] = mapped_column(String(64))
    record_key: Mapped[str] = mapped_column(String(250))
    instance_id: Mapped[str] = mapped_column(String(64))
    approval_code: Mapped[str] = mapped_column(String(20), default="")
    document_type: Mapped[str] = mapped_column(String(30), default="")
    document_no: Mapped[str] = mapped_column(String(50), default="")
    sequence_no: Mapped[int] = mapped_column(Integer)
    sender_id: Mapped[str] = mapped_column(String(50))
    approver_id: Mapped[str] = mapped_column(String(50), index=True)
    status: Mapped[str] = mapped_column(String(12))
    salespers_purch_code: Mapped[str] = mapped_column(String(20), default="")
    amount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    amount_lcy: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    currency_code: Mapped[str] = mapped_column(String(10), default="")
    available_credit_limit_lcy: Mapped[Decimal] = mapped_column(MONEY, default=Decimal(0))
    approval_type: Mapped[str] = mapped_column(String(30))
    limit_type: Mapped[str] = mapped_column(String(20))
    date_time_sent_for_approval: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_date_time_modified: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_modified_by_user_id: Mapped[str] = mapped_column(String(50))
    due_date: Mapped[dt.date] = mapped_column(Date)
    delegation_date_formula: Mapped[str] = mapped_column(String(32), default="")
    # beyond BC (options of "create approval requests")
    quorum: Mapped[int | None] = mapped_column(Integer, nullable=True)
    refuse_self_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    overdue_reminders: Mapped[bool] = mapped_column(Boolean, default=False)
    last_overdue_notice: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    __table_args__ = (
        Index("ix_wf_approval_entry_record", "record_type", "record_key", "instance_id", "status"),
        Index("ix_wf_approval_entry_status_approver", "status", "approver_id"),
    )


class ApprovalCommentLine(Base):
    """BC Approval Comment Line: comments on a record's approval in an instance."""

    __tablename__ = "wf_approval_comment"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    record_type: Mapped[str] = mapped_column(String(64))
    record_key: Mapped[str] = mapped_column(String(250))
    instance_id: Mapped[str] = mapped_column(String(64), index=True)
    entry_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    user_id: Mapped[str] = mapped_column(String(50))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    comment: Mapped[str] = mapped_column(Text)


class ApprovalAudit(Base):
    """Who did what to which approval entry, when, with which comment (every action and transition)."""

    __tablename__ = "wf_approval_audit"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(64), index=True)
    instance_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[str] = mapped_column(String(50))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    old_status: Mapped[str] = mapped_column(String(12), default="")
    new_status: Mapped[str] = mapped_column(String(12), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)


class OverdueApprovalEntry(Base):
    """BC Overdue Approval Entry: one row per overdue notice."""

    __tablename__ = "wf_overdue_approval_entry"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(64), index=True)
    approver_id: Mapped[str] = mapped_column(String(50))
    sent_to: Mapped[str] = mapped_column(String(50))
    due_date: Mapped[dt.date] = mapped_column(Date)
    noticed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
