"""Schema version 1: the tables as Werkstroom's first store created them.

Written out as they stood then (not taken from today's table classes), so that upgrading through the
later revisions gives today's schema. Step instances had a row each (``wf_step_instance`` and its
archive); version 2 folds them into the instance rows.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

MONEY = sa.Numeric(20, 2)
AWARE = sa.DateTime(timezone=True)  # the approvals' and notifications' times
UTC = sa.DateTime()  # the engine's times: naive UTC


def _col(name: str, type_: Any, *, null: bool = False) -> sa.Column[Any]:
    return sa.Column(name, type_, nullable=null)


def _str(name: str, length: int, *, null: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.String(length), nullable=null)


def _table(name: str, key: tuple[str, ...], *items: Any) -> None:
    op.create_table(name, *items, sa.PrimaryKeyConstraint(*key, name=f"pk_{name}"))


def _index(table: str, *columns: str, name: str = "") -> None:
    op.create_index(name or f"ix_{table}_{columns[0]}", table, list(columns))


def _steps(name: str) -> None:
    _table(name, ("instance_id", "step_id"),
           _str("instance_id", 64), _col("step_id", sa.Integer()), _str("kind", 16), _str("name", 100),
           _col("parent", sa.Integer(), null=True), _col("sequence_no", sa.Integer()),
           _col("next_step", sa.Integer(), null=True), _str("status", 16), _str("record_type", 64),
           _str("record_key", 250), _col("updated_at", UTC))


def _engine_tables() -> None:
    _table("wf_schema_version", ("id",), _col("id", sa.Integer()), _col("version", sa.Integer()))
    _table("wf_workflow", ("code",),
           _str("code", 64), _str("description", 250), _str("category", 64), _col("enabled", sa.Boolean()),
           _col("template", sa.Boolean()), _col("current_version", sa.Integer()), _col("updated_at", UTC))
    _table("wf_workflow_version", ("id",),
           _col("id", sa.Integer()), _str("workflow_code", 64), _col("version_no", sa.Integer()),
           _str("content_hash", 64), _col("source", sa.Text()), _str("path", 500),
           _col("program", sa.Text()), _col("created_at", UTC),
           sa.UniqueConstraint("workflow_code", "version_no", name="uq_wf_workflow_version_workflow_code"))
    _index("wf_workflow_version", "workflow_code")
    for name in ("wf_instance", "wf_instance_archive"):
        archived = [_col("archived_at", UTC)] if name == "wf_instance_archive" else []
        _table(name, ("id",),
               _str("id", 64), _col("seq", sa.Integer()), _str("workflow_code", 64),
               _col("version_id", sa.Integer()), _str("record_type", 64), _str("record_key", 250),
               _str("started_by", 64), _col("created_at", UTC), *archived)
    _index("wf_instance", "record_type", "record_key", name="ix_wf_instance_record")
    _index("wf_instance_archive", "workflow_code")
    _steps("wf_step_instance")
    _index("wf_step_instance", "name", "status", name="ix_wf_step_instance_name_status")
    _steps("wf_step_instance_archive")
    _table("wf_record", ("record_type", "record_key"),
           _str("record_type", 64), _str("record_key", 250), _col("values_json", sa.Text()),
           _col("updated_at", UTC))
    _table("wf_record_state", ("record_type", "record_key"),
           _str("record_type", 64), _str("record_key", 250), _str("status", 64, null=True),
           _col("restricted", sa.Boolean()), _str("restriction_reason", 250), _col("updated_at", UTC))
    _table("wf_record_change", ("id",),
           _col("id", sa.Integer()), _str("record_type", 64), _str("record_key", 250), _str("field", 100),
           _col("old_value", sa.Text()), _col("new_value", sa.Text()), _str("instance_id", 64),
           _str("workflow_code", 64), _col("created_at", UTC))
    _index("wf_record_change", "record_type", "record_key", name="ix_wf_record_change_record")
    _table("wf_outbox", ("id",),
           _col("id", sa.Integer()), _str("kind", 64), _col("payload", sa.Text()), _str("instance_id", 64),
           _str("workflow_code", 64), _col("event_id", sa.Integer(), null=True), _col("created_at", UTC))
    _table("wf_event_log", ("id",),
           _col("id", sa.Integer()), _str("idempotency_key", 200, null=True), _str("payload_hash", 64),
           _str("event", 100), _str("record_type", 64), _str("record_key", 250), _str("user", 64),
           _col("result", sa.Text()), _col("created_at", UTC),
           sa.UniqueConstraint("idempotency_key", name="uq_wf_event_log_idempotency_key"))
    _table("wf_counter", ("name",), _str("name", 64), _col("value", sa.Integer()))


def _approval_tables() -> None:
    _table("wf_approval_user_setup", ("user_id",),
           _str("user_id", 50), _str("approver_id", 50), _str("salespers_purch_code", 20),
           _col("sales_amount_approval_limit", MONEY), _col("unlimited_sales_approval", sa.Boolean()),
           _col("purchase_amount_approval_limit", MONEY), _col("unlimited_purchase_approval", sa.Boolean()),
           _col("request_amount_approval_limit", MONEY), _col("unlimited_request_approval", sa.Boolean()),
           _str("substitute", 50), _str("email", 250), _col("approval_administrator", sa.Boolean()),
           _str("time_zone", 64))
    _index("wf_approval_user_setup", "salespers_purch_code")
    _table("wf_user_group", ("code",), _str("code", 20), _str("description", 100))
    _table("wf_user_group_member", ("group_code", "user_id"),
           _str("group_code", 20), _str("user_id", 50), _col("sequence_no", sa.Integer()),
           sa.ForeignKeyConstraint(["group_code"], ["wf_user_group.code"], ondelete="CASCADE",
                                   name="fk_wf_user_group_member_group_code_wf_user_group"))
    _table("wf_approval_entry", ("id",),
           _str("id", 64), _col("entry_no", sa.Integer()), _str("record_type", 64), _str("record_key", 250),
           _str("instance_id", 64), _str("approval_code", 20), _str("document_type", 30),
           _str("document_no", 50), _col("sequence_no", sa.Integer()), _str("sender_id", 50),
           _str("approver_id", 50), _str("status", 12), _str("salespers_purch_code", 20),
           _col("amount", MONEY), _col("amount_lcy", MONEY), _str("currency_code", 10),
           _col("available_credit_limit_lcy", MONEY), _str("approval_type", 30), _str("limit_type", 20),
           _col("date_time_sent_for_approval", AWARE), _col("last_date_time_modified", AWARE),
           _str("last_modified_by_user_id", 50), _col("due_date", sa.Date()),
           _str("delegation_date_formula", 32), _col("quorum", sa.Integer(), null=True),
           _col("refuse_self_approval", sa.Boolean()), _col("overdue_reminders", sa.Boolean()),
           _col("last_overdue_notice", sa.Date(), null=True))
    _index("wf_approval_entry", "entry_no")
    _index("wf_approval_entry", "approver_id")
    _index("wf_approval_entry", "record_type", "record_key", "instance_id", "status",
           name="ix_wf_approval_entry_record")
    _index("wf_approval_entry", "status", "approver_id", name="ix_wf_approval_entry_status_approver")
    _table("wf_approval_comment", ("id",),
           _str("id", 64), _str("record_type", 64), _str("record_key", 250), _str("instance_id", 64),
           _str("entry_id", 64, null=True), _str("user_id", 50), _col("at", AWARE),
           _col("comment", sa.Text()))
    _index("wf_approval_comment", "instance_id")
    _table("wf_approval_audit", ("id",),
           _str("id", 64), _str("entry_id", 64), _str("instance_id", 64), _str("action", 20),
           _str("user_id", 50), _col("at", AWARE), _str("old_status", 12), _str("new_status", 12),
           _col("detail", sa.Text()), _col("comment", sa.Text(), null=True))
    _index("wf_approval_audit", "entry_id")
    _table("wf_overdue_approval_entry", ("id",),
           _str("id", 64), _str("entry_id", 64), _str("approver_id", 50), _str("sent_to", 50),
           _col("due_date", sa.Date()), _col("noticed_at", AWARE))
    _index("wf_overdue_approval_entry", "entry_id")


def _notification_tables() -> None:
    _table("wf_notification_setup", ("user_id", "entry_type"),
           _str("user_id", 50), _str("entry_type", 20), _str("method", 10), _str("recurrence", 10),
           _str("time_of_day", 5), _str("daily_frequency", 10), _str("weekdays", 7),
           _str("monthly_date", 14), _col("monthly_day", sa.Integer()))
    _table("wf_notification_entry", ("id",),
           _str("id", 64), _str("entry_type", 20), _str("recipient_id", 50), _str("created_by", 50),
           _col("created_at", AWARE), _str("record_type", 64), _str("record_key", 250),
           _str("instance_id", 64), _str("approval_entry_id", 64, null=True),
           _str("link_target_page", 100), _str("custom_link", 250), _col("message", sa.Text()),
           _col("data", sa.JSON()), _col("attempts", sa.Integer()), _col("error_message", sa.Text()),
           _col("next_attempt_at", AWARE, null=True))
    _index("wf_notification_entry", "recipient_id", "entry_type", name="ix_wf_notification_entry_recipient")
    _table("wf_sent_notification", ("id",),
           _str("id", 64), _str("entry_type", 20), _str("recipient_id", 50), _str("created_by", 50),
           _col("created_at", AWARE), _col("sent_at", AWARE), _str("method", 10), _str("address", 250),
           _str("digest_id", 64), _str("record_type", 64), _str("record_key", 250),
           _str("approval_entry_id", 64, null=True), _col("text", sa.Text()), _col("attempts", sa.Integer()))
    _index("wf_sent_notification", "digest_id")
    _table("wf_record_note", ("id",),
           _str("id", 64), _str("record_type", 64), _str("record_key", 250), _str("to_user_id", 50),
           _col("created_at", AWARE), _col("text", sa.Text()), _col("notify", sa.Boolean()))
    _index("wf_record_note", "to_user_id")
    _index("wf_record_note", "record_type", "record_key", name="ix_wf_record_note_record")
    _table("wf_smtp_settings", ("name",),
           _str("name", 20), _str("host", 250), _col("port", sa.Integer()), _col("starttls", sa.Boolean()),
           _col("ssl", sa.Boolean()), _str("sender", 250), _str("username_env", 100),
           _str("password_env", 100), _col("timeout_seconds", sa.Integer()))


def upgrade() -> None:
    _engine_tables()
    _approval_tables()
    _notification_tables()
