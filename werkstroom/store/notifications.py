"""Notification tables: setup and schedule per user and type, pending entries, the sent log, notes
stored on records, and SMTP settings (by reference: credentials live in environment variables)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .metadata import Base

ENTRY_TYPES = ("New Record", "Approval", "Overdue")
METHODS = ("Email", "Note")
RECURRENCES = ("Instantly", "Daily", "Weekly", "Monthly")


class NotificationSetup(Base):
    """BC Notification Setup + Notification Schedule, one row per user and type. ``user_id`` ``""``
    is the default for users without their own row."""

    __tablename__ = "wf_notification_setup"

    user_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    entry_type: Mapped[str] = mapped_column(String(20), primary_key=True)
    method: Mapped[str] = mapped_column(String(10), default="Email")
    recurrence: Mapped[str] = mapped_column(String(10), default="Instantly")
    time_of_day: Mapped[str] = mapped_column(String(5), default="12:00")
    daily_frequency: Mapped[str] = mapped_column(String(10), default="Weekday")  # Weekday | Daily
    weekdays: Mapped[str] = mapped_column(String(7), default="1111100")  # Monday..Sunday flags
    monthly_date: Mapped[str] = mapped_column(String(14), default="First Workday")  # | Last Workday | Custom
    monthly_day: Mapped[int] = mapped_column(Integer, default=1)


class NotificationEntry(Base):
    """BC Notification Entry: waiting for the dispatcher. ``data``: a snapshot of the placeholder values
    (document no., amount, approver ...) taken when the entry was made. Failures stay with their error."""

    __tablename__ = "wf_notification_entry"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    entry_type: Mapped[str] = mapped_column(String(20))
    recipient_id: Mapped[str] = mapped_column(String(50))
    created_by: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    record_type: Mapped[str] = mapped_column(String(64), default="")
    record_key: Mapped[str] = mapped_column(String(250), default="")
    instance_id: Mapped[str] = mapped_column(String(64), default="")
    approval_entry_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    link_target_page: Mapped[str] = mapped_column(String(100), default="")
    custom_link: Mapped[str] = mapped_column(String(250), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error_message: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    __table_args__ = (Index("ix_wf_notification_entry_recipient", "recipient_id", "entry_type"),)


class SentNotification(Base):
    """BC Sent Notification Entry: the sent log. ``digest_id`` groups the entries of one message."""

    __tablename__ = "wf_sent_notification"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    entry_type: Mapped[str] = mapped_column(String(20))
    recipient_id: Mapped[str] = mapped_column(String(50))
    created_by: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    method: Mapped[str] = mapped_column(String(10))
    address: Mapped[str] = mapped_column(String(250), default="")
    digest_id: Mapped[str] = mapped_column(String(64), index=True)
    record_type: Mapped[str] = mapped_column(String(64), default="")
    record_key: Mapped[str] = mapped_column(String(250), default="")
    approval_entry_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    text: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=1)


class RecordNote(Base):
    """A note attached to a record (BC's record link of type Note, flagged to notify the user)."""

    __tablename__ = "wf_record_note"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    record_type: Mapped[str] = mapped_column(String(64))
    record_key: Mapped[str] = mapped_column(String(250))
    to_user_id: Mapped[str] = mapped_column(String(50), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    text: Mapped[str] = mapped_column(Text)
    notify: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (Index("ix_wf_record_note_record", "record_type", "record_key"),)


class SmtpSettings(Base):
    """Where e-mail goes. Only the *names* of the environment variables holding credentials are stored."""

    __tablename__ = "wf_smtp_settings"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    host: Mapped[str] = mapped_column(String(250))
    port: Mapped[int] = mapped_column(Integer, default=25)
    starttls: Mapped[bool] = mapped_column(Boolean, default=False)
    ssl: Mapped[bool] = mapped_column(Boolean, default=False)
    sender: Mapped[str] = mapped_column(String(250))
    username_env: Mapped[str] = mapped_column(String(100), default="")
    password_env: Mapped[str] = mapped_column(String(100), default="")
    timeout_seconds: Mapped[int] = mapped_column(Integer, default=10)
