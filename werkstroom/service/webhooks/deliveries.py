"""Delivery rows as the command line and the API see them: listed, counted, replayed (the worker's
claims and outcomes are in ``claims``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ...store.webhooks import DEAD, DELIVERED, PENDING, STATUSES, WebhookDelivery, WebhookSubscription
from .errors import NotDead, UnknownDelivery

D = WebhookDelivery


@attrs.frozen
class DeliveryInfo:
    id: int
    delivery_id: str
    subscription_id: int
    url: str
    outbox_id: int
    kind: str
    status: str
    attempts: int
    next_attempt_at: dt.datetime
    last_status: int | None
    last_error: str
    created_at: dt.datetime
    delivered_at: dt.datetime | None

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "delivery_id": self.delivery_id, "subscription_id": self.subscription_id,
                "url": self.url, "outbox_id": self.outbox_id, "kind": self.kind, "status": self.status,
                "attempts": self.attempts, "next_attempt_at": self.next_attempt_at.isoformat(),
                "last_status": self.last_status, "last_error": self.last_error,
                "created_at": self.created_at.isoformat(),
                "delivered_at": self.delivered_at.isoformat() if self.delivered_at else None}


_INFO_COLUMNS = (D.id, D.delivery_id, D.subscription_id, WebhookSubscription.url, D.outbox_id, D.kind,
                 D.status, D.attempts, D.next_attempt_at, D.last_status, D.last_error, D.created_at,
                 D.delivered_at)


def _info_query() -> Select[*tuple[Any, ...]]:
    return select(*_INFO_COLUMNS).join(WebhookSubscription, WebhookSubscription.id == D.subscription_id)


def listed(s: Session, status: str | None = None, subscription_id: int | None = None,
           limit: int | None = None, offset: int = 0) -> list[DeliveryInfo]:
    """Deliveries in id order, by status and subscription when given."""
    stmt = _info_query()
    if status is not None:
        if status not in STATUSES:
            raise ValueError(status)
        stmt = stmt.where(D.status == status)
    if subscription_id is not None:
        stmt = stmt.where(D.subscription_id == subscription_id)
    stmt = stmt.order_by(D.id).offset(offset)
    if limit:
        stmt = stmt.limit(limit)
    return [DeliveryInfo(*row) for row in s.execute(stmt)]


def _find(s: Session, ident: object) -> WebhookDelivery:
    """A delivery by its number or its delivery id (WF823 when there is none)."""
    text_ = str(ident).strip() if isinstance(ident, str | int) and not isinstance(ident, bool) else ""
    found = None
    if text_.isdigit() and int(text_) < 2**31:
        found = s.get(D, int(text_), with_for_update=True)
    elif 0 < len(text_) <= 40:
        found = s.scalar(select(D).where(D.delivery_id == text_).with_for_update())
    if found is None:
        raise UnknownDelivery(f"there is no webhook delivery {ident!r} "
                              "(`wf webhooks failed` lists the dead ones)")
    return found


def replay(s: Session, ident: object, now: dt.datetime) -> DeliveryInfo:
    """Make a dead delivery pending again, due now, with its attempts counted from 0 (WF824 when it is
    not dead). It keeps its delivery id: a receiver that did get it deduplicates it."""
    row = _find(s, ident)
    if row.status != DEAD:
        raise NotDead(f"webhook delivery {row.id} is {row.status}, not dead: only a dead delivery is "
                      "replayed (a pending one is retried by the worker)")
    row.status, row.attempts, row.next_attempt_at = PENDING, 0, now
    row.lease_owner, row.lease_until = "", None
    s.flush()
    return listed_one(s, row.id)


def listed_one(s: Session, delivery: int) -> DeliveryInfo:
    stmt = _info_query()
    return DeliveryInfo(*s.execute(stmt.where(D.id == delivery)).one())


def counts(s: Session) -> dict[str, int]:
    """Deliveries by status (every status present, 0 when none), and ``failed_attempts``: attempts that
    did not deliver (those of pending and dead deliveries, and those before a delivery succeeded)."""
    found = {status: 0 for status in STATUSES}
    failed = 0
    by_status = select(D.status, func.count(), func.coalesce(func.sum(D.attempts), 0)).group_by(D.status)
    for status, n, attempts in s.execute(by_status):
        found[status] = int(n)
        failed += int(attempts) - (int(n) if status == DELIVERED else 0)
    return {**found, "failed_attempts": failed}


__all__ = ["DeliveryInfo", "counts", "listed", "replay"]
