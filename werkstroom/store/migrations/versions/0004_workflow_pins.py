"""Schema version 4: ``wf_workflow_pin``, what each enabled workflow's entry condition pins.

The table is created and filled from every enabled workflow's current version (``store/pins.py``):
enabling a workflow reads only the enabled workflows on its event that pin the same values or pin
none of its fields.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from werkstroom.store import codec
from werkstroom.store import pins as stored_pins
from werkstroom.store.database import entry_event_of

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    table = op.create_table(
        "wf_workflow_pin",
        sa.Column("workflow_code", sa.String(64), nullable=False),
        sa.Column("fields", sa.String(250), nullable=False),
        sa.Column("pin", sa.String(250), nullable=False),
        sa.Column("entry_event", sa.String(100), nullable=False),
        sa.Column("signature", sa.String(250), nullable=False),
        sa.PrimaryKeyConstraint("workflow_code", "fields", "pin", name="pk_wf_workflow_pin"))
    op.create_index("ix_wf_workflow_pin_lookup", "wf_workflow_pin",
                    ["entry_event", "signature", "fields", "pin", "workflow_code"])
    rows = []
    for code, program, source in conn.execute(sa.text(
            "SELECT w.code, v.program, v.source FROM wf_workflow w JOIN wf_workflow_version v "
            "ON v.workflow_code = w.code AND v.version_no = w.current_version WHERE w.enabled = :yes"),
            {"yes": True}).all():
        wf = codec.workflow_from_data(codec.loads(program), source)
        event = entry_event_of(wf)
        sig, pinned = stored_pins.stored(stored_pins.entry_pins(wf, event))
        rows += [{"workflow_code": code, "fields": fields, "pin": pin, "entry_event": event, "signature": sig}
                 for fields, pin in pinned]
    if rows:
        op.bulk_insert(table, rows)
