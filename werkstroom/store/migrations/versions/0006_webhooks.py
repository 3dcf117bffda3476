"""Schema version 6: webhook subscriptions and their deliveries (``werkstroom.store.webhooks``).

Written out as they stand in this version (not taken from the table classes), so that later versions
can change the classes and add their own revision.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

UTC = sa.DateTime()  # naive UTC, as the engine's times (UtcDateTime)


def upgrade() -> None:
    op.create_table(
        "wf_webhook_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("secret", sa.String(200), nullable=False),
        sa.Column("kinds", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("description", sa.String(250), nullable=False),
        sa.Column("outbox_cursor", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_wf_webhook_subscription"),
    )
    op.create_table(
        "wf_webhook_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.String(40), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTC, nullable=False),
        sa.Column("lease_owner", sa.String(100), nullable=False),
        sa.Column("lease_until", UTC, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("delivered_at", UTC, nullable=True),
        sa.Column("delivered_by", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_wf_webhook_delivery"),
        sa.ForeignKeyConstraint(["subscription_id"], ["wf_webhook_subscription.id"], ondelete="CASCADE",
                                name="fk_wf_webhook_delivery_subscription_id_wf_webhook_subscription"),
        sa.UniqueConstraint("delivery_id", name="uq_wf_webhook_delivery_delivery_id"),
        sa.UniqueConstraint("subscription_id", "outbox_id", name="uq_wf_webhook_delivery_subscription_id"),
    )
    op.create_index("ix_wf_webhook_delivery_due", "wf_webhook_delivery", ["status", "next_attempt_at"])
