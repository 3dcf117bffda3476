"""Schema version 2: step instances move into the instance row.

One row per step (``wf_step_instance``, ``wf_step_instance_archive``) becomes the instance row's
``step_states`` column: JSON ``{step id: status}`` of the steps that are not Inactive.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from werkstroom.store.database import STEP_INACTIVE, encode_step_states

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    for table in ("wf_instance", "wf_instance_archive"):
        op.add_column(table, sa.Column("step_states", sa.Text(), nullable=False, server_default=""))
    for old, new in (("wf_step_instance", "wf_instance"),
                     ("wf_step_instance_archive", "wf_instance_archive")):
        states: dict[str, dict[int, str]] = {}
        for iid, step_id, status in conn.execute(sa.text(
                f"SELECT instance_id, step_id, status FROM {old} ORDER BY instance_id, step_id")):
            found = states.setdefault(iid, {})
            if status != STEP_INACTIVE:
                found[int(step_id)] = status
        for iid, found in states.items():
            conn.execute(sa.text(f"UPDATE {new} SET step_states = :s WHERE id = :i"),
                         {"s": encode_step_states(found), "i": iid})
        op.drop_table(old)
