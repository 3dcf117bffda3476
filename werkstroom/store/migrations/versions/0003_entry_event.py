"""Schema version 3: ``wf_workflow`` gets ``entry_event`` and ``allow_overlap``.

``entry_event`` is filled from each workflow's current version, then indexed with ``enabled`` and
``code``: an event finds the enabled workflows that can start on it without reading the others.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from werkstroom.store import codec
from werkstroom.store.database import entry_event_of

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    op.add_column("wf_workflow", sa.Column("allow_overlap", sa.Boolean(), nullable=False,
                                           server_default=sa.false()))
    op.add_column("wf_workflow", sa.Column("entry_event", sa.String(100), nullable=False,
                                           server_default=""))
    for code, program, source in conn.execute(sa.text(
            "SELECT w.code, v.program, v.source FROM wf_workflow w JOIN wf_workflow_version v "
            "ON v.workflow_code = w.code AND v.version_no = w.current_version")).all():
        wf = codec.workflow_from_data(codec.loads(program), source)
        conn.execute(sa.text("UPDATE wf_workflow SET entry_event = :e WHERE code = :c"),
                     {"e": entry_event_of(wf), "c": code})
    op.create_index("ix_wf_workflow_entry_event", "wf_workflow", ["entry_event", "enabled", "code"])
