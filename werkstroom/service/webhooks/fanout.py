"""Fan-out: outbox rows become delivery rows, one per (outbox row, subscription whose filter takes it).

The worker does it, not the event's transaction: the engine writes its outbox rows and knows nothing
of webhooks, so handling an event costs the same with or without subscribers, and a subscription
added or paused changes nothing in the engine. Each active subscription has a cursor, the last outbox
id looked at for it; a fan-out reads the outbox rows after the lowest cursor, in id order, writes the
deliveries and moves the cursors, in one transaction (so a delivery row exists exactly once per pair:
the cursor and the rows commit together, and a unique key backs it).

Reading in id order is only safe when no row with a lower id can still commit. SQLite has one writer
at a time, so it holds. On PostgreSQL ids come from a sequence and transactions commit in any order:
the fan-out therefore takes ``LOCK TABLE wf_outbox IN SHARE MODE`` first, which waits for the
transactions writing outbox rows to end and keeps new ones out while it reads (a few milliseconds;
it gives up after ``LOCK_TIMEOUT`` and tries again at the next poll, rather than make events wait
behind a long transaction). One worker fans out at a time (an advisory lock taken only when free).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from sqlalchemy import Table, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ...store import codec
from ...store.database import ADVISORY_TRY_LOCK, OutboxRow, advisory_key
from ...store.webhooks import PENDING, WebhookDelivery, WebhookSubscription
from .kinds import matches

BATCH = 1000  # outbox rows read per fan-out
LOCK_TIMEOUT = "2s"
_DELIVERIES: Table = WebhookDelivery.__table__  # type: ignore[assignment]


def body(delivery_id: str, row: OutboxRow) -> str:
    """The JSON a subscriber receives for one outbox row (the same on every attempt)."""
    return json.dumps({
        "delivery_id": delivery_id, "kind": row.kind, "outbox_id": row.id, "event_id": row.event_id,
        "instance_id": row.instance_id, "workflow_code": row.workflow_code,
        "created_at": row.created_at.isoformat(), "payload": codec.plain(codec.loads(row.payload)),
    }, ensure_ascii=False, separators=(",", ":"))


def _claim_outbox(s: Session) -> bool:
    """PostgreSQL: this transaction is the one fan-out at work and no outbox row is being written
    (False: another worker fans out, or the outbox stayed busy past the lock timeout)."""
    if s.get_bind().dialect.name != "postgresql":
        return True
    if not s.execute(ADVISORY_TRY_LOCK, {"k": advisory_key("webhooks", "fan-out")}).scalar():
        return False
    try:
        with s.begin_nested():
            s.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
            s.execute(text("LOCK TABLE wf_outbox IN SHARE MODE"))
            s.execute(text("SET LOCAL lock_timeout = 0"))
    except DBAPIError:
        return False
    return True


def fan_out(s: Session, now: dt.datetime, batch: int = BATCH) -> int:
    """Write the deliveries of the outbox rows after the active subscriptions' cursors (at most
    ``batch`` rows read); returns how many deliveries were written."""
    active = select(WebhookSubscription).where(WebhookSubscription.active).order_by(WebhookSubscription.id)
    # nothing to do unless an active subscription is behind the newest outbox row (read without a
    # lock: a row committing meanwhile is seen by the next fan-out)
    behind = s.scalar(select(func.min(WebhookSubscription.outbox_cursor)).where(WebhookSubscription.active))
    if behind is None or (s.scalar(select(func.max(OutboxRow.id))) or 0) <= behind:
        return 0
    if not _claim_outbox(s):
        return 0
    subs = list(s.scalars(active.with_for_update()))
    if not subs:
        return 0
    low = min(sub.outbox_cursor for sub in subs)
    rows = list(s.scalars(select(OutboxRow).where(OutboxRow.id > low).order_by(OutboxRow.id).limit(batch)))
    if not rows:
        return 0
    last = rows[-1].id
    new: list[dict[str, Any]] = []
    for sub in subs:
        kinds = json.loads(sub.kinds)
        for row in rows:
            if row.id > sub.outbox_cursor and matches(kinds, row.kind):
                delivery_id = str(uuid.uuid4())
                new.append({"delivery_id": delivery_id, "subscription_id": sub.id, "outbox_id": row.id,
                            "kind": row.kind, "body": body(delivery_id, row), "status": PENDING,
                            "attempts": 0, "next_attempt_at": now, "lease_owner": "", "lease_until": None,
                            "last_error": "", "last_status": None, "created_at": now,
                            "delivered_at": None, "delivered_by": ""})
    if new:
        s.execute(_insert_new(s), new)
    for sub in subs:
        if sub.outbox_cursor < last:
            s.execute(update(WebhookSubscription).where(WebhookSubscription.id == sub.id)
                      .values(outbox_cursor=last))
    return len(new)


def _insert_new(s: Session) -> Any:
    """INSERT of delivery rows that skips a (subscription, outbox row) pair already there."""
    name = s.get_bind().dialect.name
    if name == "postgresql":
        return pg_insert(_DELIVERIES).on_conflict_do_nothing()
    if name == "sqlite":
        return sqlite_insert(_DELIVERIES).on_conflict_do_nothing()
    return insert(_DELIVERIES)


__all__ = ["BATCH", "body", "fan_out"]
