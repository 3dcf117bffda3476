"""What a refused request must leave as it was: everything a host or a user can see in the store."""

from __future__ import annotations

from typing import Any

from werkstroom import Engine


def snapshot(engine: Engine) -> dict[str, Any]:
    return {
        "events": engine.event_log(),
        "entries": [(e.entry_no, e.status, e.approver_id, e.sender_id) for e in engine.approval_entries()],
        "instances": [(i.id, i.workflow_code, i.record_key) for i in engine.instances()],
        "archive": [i.id for i in engine.archive()],
        "outbox": [o.id for o in engine.outbox()],
        "workflows": [(w.code, w.version, w.enabled) for w in engine.workflows()],
        "notifications": [n.id for n in engine.waiting_notifications()],
        "history": {e.entry_no: engine.approval_history(e.entry_no).audit for e in engine.approval_entries()},
    }
