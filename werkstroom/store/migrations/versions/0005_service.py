"""Schema version 5: the service's tables, ``wf_api_token`` (API tokens, hashed) and ``wf_auth_failure``
(authentication failures per client address, for the rate limit)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

AWARE = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "wf_api_token",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("scopes", sa.String(100), nullable=False),
        sa.Column("secret_hash", sa.String(200), nullable=False),
        sa.Column("note", sa.String(200), nullable=False),
        sa.Column("created_at", AWARE, nullable=False),
        sa.Column("revoked_at", AWARE, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_wf_api_token"))
    op.create_index("ix_wf_api_token_principal", "wf_api_token", ["kind", "name"])
    op.create_table(
        "wf_auth_failure",
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("window_start", AWARE, nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("blocked_until", AWARE, nullable=True),
        sa.PrimaryKeyConstraint("address", name="pk_wf_auth_failure"))
