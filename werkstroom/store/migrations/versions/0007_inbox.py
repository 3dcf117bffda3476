"""Schema version 7: the inbox. Users' passwords (``wf_user_password``), signed-in sessions
(``wf_inbox_session``), the uses of signed links (``wf_link_use``), the service's generated secret
(``wf_service_secret``), and the language of each user of the approval user setup (``language``)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

AWARE = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("wf_approval_user_setup", sa.Column("language", sa.String(5), nullable=False,
                                                      server_default="en"))
    op.create_table(
        "wf_user_password",
        sa.Column("user_id", sa.String(50), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("changed_at", AWARE, nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_wf_user_password"))
    op.create_table(
        "wf_inbox_session",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(50), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("via", sa.String(10), nullable=False),
        sa.Column("created_at", AWARE, nullable=False),
        sa.Column("expires_at", AWARE, nullable=False),
        sa.Column("flash", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_wf_inbox_session"))
    op.create_index("ix_wf_inbox_session_user_id", "wf_inbox_session", ["user_id"])
    op.create_index("ix_wf_inbox_session_expires_at", "wf_inbox_session", ["expires_at"])
    op.create_table(
        "wf_link_use",
        sa.Column("link_id", sa.String(32), nullable=False),
        sa.Column("entry_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(50), nullable=False),
        sa.Column("purpose", sa.String(10), nullable=False),
        sa.Column("used_at", AWARE, nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("link_id", name="pk_wf_link_use"))
    op.create_table(
        "wf_service_secret",
        sa.Column("name", sa.String(30), nullable=False),
        sa.Column("value", sa.String(100), nullable=False),
        sa.Column("created_at", AWARE, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_wf_service_secret"))
