"""Webhook subscriptions: add (checked: URL, kinds, secret), list, change, remove.

A new subscription gets the effects written after it was added (its outbox cursor starts at the
newest outbox row), or those after the outbox id ``after`` when given (``after=0``: the whole outbox).
An inactive subscription is paused: nothing is sent to it and its cursor waits, so the effects of the
pause are delivered once it is active again. Removing one deletes its deliveries with it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from urllib.parse import urlsplit

import attrs
from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session

from ...store.database import OutboxRow
from ...store.webhooks import DEAD, DELIVERED, PENDING, WebhookDelivery, WebhookSubscription
from .errors import BadSecret, BadUrl, UnknownSubscription
from .kinds import checked_filter
from .signing import new_secret

MAX_URL = 2000
MAX_DESCRIPTION = 250
SECRET_LENGTH = (16, 200)


@attrs.frozen
class Subscription:
    """A subscription as listed (never its secret), with its deliveries counted by status."""

    id: int
    url: str
    kinds: tuple[str, ...]
    active: bool
    description: str
    created_at: dt.datetime
    outbox_cursor: int
    pending: int = 0
    delivered: int = 0
    dead: int = 0

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "url": self.url, "kinds": list(self.kinds), "active": self.active,
                "description": self.description, "created_at": self.created_at.isoformat(),
                "outbox_cursor": self.outbox_cursor, "pending": self.pending,
                "delivered": self.delivered, "dead": self.dead}


def checked_url(url: object) -> str:
    """``url`` when it is an absolute http(s) URL with a host, at most 2,000 characters; else WF820."""
    if not isinstance(url, str):
        raise BadUrl(f"a webhook URL is text, got {type(url).__name__}")
    text = url.strip()
    try:
        parts = urlsplit(text)
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError as exc:
        raise BadUrl(f"{url!r} is not a URL: {exc}") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
        raise BadUrl(f"{url!r} is not an absolute http:// or https:// URL with a host "
                     "(e.g. https://erp.example.com/werkstroom/hooks)")
    if len(text) > MAX_URL or any(ch.isspace() or ord(ch) < 32 for ch in text):
        raise BadUrl(f"a webhook URL has at most {MAX_URL} characters and no spaces or control characters")
    return text


def checked_secret(secret: object) -> str:
    if not isinstance(secret, str):
        raise BadSecret(f"a webhook secret is text, got {type(secret).__name__}")
    low, high = SECRET_LENGTH
    if not low <= len(secret) <= high or not secret.isprintable() or secret != secret.strip():
        raise BadSecret(f"a webhook secret has {low} to {high} printable characters and no spaces around "
                        f"it (got {len(secret)} characters); leave it out to have one generated")
    return secret


def checked_description(text: object) -> str:
    if not isinstance(text, str) or len(text) > MAX_DESCRIPTION or not text.isprintable():
        raise BadSecret(f"a webhook description is printable text of at most {MAX_DESCRIPTION} characters")
    return text


def add(s: Session, now: dt.datetime, url: object, kinds: Iterable[object], *,
        custom_kinds: Iterable[object] = (), secret: object = None, description: object = "",
        after: int | None = None, active: bool = True) -> tuple[Subscription, str]:
    """Store a subscription (every argument checked first: WF820, WF821, WF825); returns it and its
    secret (generated when not given)."""
    url = checked_url(url)
    kinds_ = checked_filter(kinds, custom_kinds)
    secret_ = new_secret() if secret is None else checked_secret(secret)
    description_ = checked_description(description)
    if after is None:
        after = int(s.scalar(select(func.coalesce(func.max(OutboxRow.id), 0))) or 0)
    row = WebhookSubscription(url=url, secret=secret_, kinds=json.dumps(list(kinds_)), active=bool(active),
                              description=description_, outbox_cursor=max(int(after), 0), created_at=now)
    s.add(row)
    s.flush()
    return _info(row, {}), secret_


def _counts(s: Session, ids: list[int]) -> dict[int, dict[str, int]]:
    d = WebhookDelivery
    sums = [func.sum(case((d.status == status, 1), else_=0)) for status in (PENDING, DELIVERED, DEAD)]
    stmt = (select(d.subscription_id, *sums)
            .where(d.subscription_id.in_(ids)).group_by(d.subscription_id))
    return {sid: {PENDING: int(p or 0), DELIVERED: int(ok or 0), DEAD: int(dead or 0)}
            for sid, p, ok, dead in s.execute(stmt)}


def _info(row: WebhookSubscription, counts: dict[str, int]) -> Subscription:
    return Subscription(row.id, row.url, tuple(json.loads(row.kinds)), row.active, row.description,
                        row.created_at, row.outbox_cursor, counts.get(PENDING, 0), counts.get(DELIVERED, 0),
                        counts.get(DEAD, 0))


def listed(s: Session) -> list[Subscription]:
    """Every subscription, oldest first, with its deliveries counted."""
    rows = list(s.scalars(select(WebhookSubscription).order_by(WebhookSubscription.id)))
    counts = _counts(s, [r.id for r in rows]) if rows else {}
    return [_info(r, counts.get(r.id, {})) for r in rows]


def _row(s: Session, subscription_id: object) -> WebhookSubscription:
    if isinstance(subscription_id, str) and subscription_id.strip().isdigit():
        subscription_id = int(subscription_id)
    found = (s.get(WebhookSubscription, subscription_id)
             if isinstance(subscription_id, int) and not isinstance(subscription_id, bool)
             and 0 < subscription_id < 2**31 else None)
    if found is None:
        raise UnknownSubscription(f"there is no webhook subscription {subscription_id!r} "
                                  "(`wf webhooks list` shows them)")
    return found


def get(s: Session, subscription_id: object) -> Subscription:
    row = _row(s, subscription_id)
    return _info(row, _counts(s, [row.id]).get(row.id, {}))


def set_active(s: Session, subscription_id: object, active: bool) -> Subscription:
    """Pause (False) or resume (True) a subscription."""
    row = _row(s, subscription_id)
    row.active = bool(active)
    s.flush()
    return get(s, row.id)


def remove(s: Session, subscription_id: object) -> Subscription:
    """Delete a subscription and its deliveries; returns it as it was."""
    info = get(s, subscription_id)
    s.execute(delete(WebhookDelivery).where(WebhookDelivery.subscription_id == info.id))
    s.execute(delete(WebhookSubscription).where(WebhookSubscription.id == info.id))
    return info


__all__ = ["Subscription", "add", "checked_url", "get", "listed", "remove", "set_active"]
