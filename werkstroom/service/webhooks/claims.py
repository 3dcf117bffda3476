"""The worker's side of deliveries: claims under a lease, and outcomes recorded by the lease owner.

``claim`` leases the pending deliveries that are due and not leased to one worker, in one statement:
``UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED LIMIT n) RETURNING ...`` on PostgreSQL
(workers claiming at once never wait for each other nor take the same row; SQLite has one writer at a
time). The HTTP requests go out after that transaction commits. ``finish`` records outcomes only on the
rows still leased to the worker and ``pending``: a worker whose lease ran out while it was sending
loses its rows to the one that claimed them again, so the store marks each delivery delivered at most
once. Receivers may get a delivery twice (at least once): they deduplicate on its ``delivery_id``.

Core statements on the unit of work's connection (no ORM objects): the worker runs them for every
batch.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from itertools import groupby

import attrs
from sqlalchemy import ColumnElement, Connection, Table, and_, or_, select, text, update

from ...store.webhooks import DEAD, DELIVERED, PENDING, WebhookDelivery, WebhookSubscription

T: Table = WebhookDelivery.__table__  # type: ignore[assignment]
S: Table = WebhookSubscription.__table__  # type: ignore[assignment]
LOST, RETRY = "lost", "retry"


@attrs.frozen
class Policy:
    """How deliveries are retried: ``max_attempts`` attempts in all, waiting ``backoff`` seconds after
    the first failure, doubling per attempt up to ``backoff_cap``, each wait jittered (half of it fixed,
    half random); ``timeout`` seconds per request; ``lease`` seconds a claim lasts."""

    max_attempts: int = 10
    backoff: float = 10.0
    backoff_cap: float = 6 * 3600.0
    timeout: float = 10.0
    lease: float = 120.0

    def delay(self, attempts: int, rng: random.Random) -> dt.timedelta:
        """The wait after the ``attempts``-th failed attempt (1, 2, ...)."""
        full = min(self.backoff_cap, self.backoff * 2 ** min(max(attempts - 1, 0), 40))
        return dt.timedelta(seconds=full / 2 + rng.uniform(0, full / 2))


@attrs.frozen
class Claimed:
    """A delivery a worker holds: what it sends, and the attempts made before."""

    id: int
    delivery_id: str
    subscription_id: int
    url: str
    secret: str
    kind: str
    body: str
    attempts: int


@attrs.frozen
class Outcome:
    """One attempt's result: ``ok`` for a 2xx answer; ``status`` the HTTP status (None: no answer)."""

    ok: bool
    status: int | None = None
    error: str = ""


def commit_asynchronously(conn: Connection) -> None:
    """PostgreSQL: this transaction's commit does not wait for its WAL to reach the disk
    (``synchronous_commit = off``, this transaction only). Used for claims and outcomes: should the
    server crash right after, a claim is lost (its delivery is due again) or a delivered mark is lost
    (the delivery is sent again and the receiver deduplicates it), which at-least-once delivery
    allows; a commit then costs no disk flush."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL synchronous_commit = off"))


def claim(conn: Connection, owner: str, now: dt.datetime, limit: int, lease: float) -> list[Claimed]:
    """Lease up to ``limit`` due deliveries of active subscriptions to ``owner`` until now + lease,
    oldest due first."""
    due = (select(T.c.id).join(S, S.c.id == T.c.subscription_id)
           .where(T.c.status == PENDING, T.c.next_attempt_at <= now,
                  or_(T.c.lease_until.is_(None), T.c.lease_until <= now), S.c.active)
           .order_by(T.c.next_attempt_at, T.c.id).limit(limit).with_for_update(of=T, skip_locked=True))
    rows = conn.execute(
        update(T).where(T.c.id.in_(due))
        .values(lease_owner=owner, lease_until=now + dt.timedelta(seconds=lease))
        .returning(T.c.id, T.c.delivery_id, T.c.subscription_id, T.c.kind, T.c.body, T.c.attempts)).all()
    if not rows:
        return []
    subs = {sid: (url, secret) for sid, url, secret in conn.execute(
        select(S.c.id, S.c.url, S.c.secret).where(S.c.id.in_({r.subscription_id for r in rows})))}
    return [Claimed(r.id, r.delivery_id, r.subscription_id, *subs[r.subscription_id], r.kind, r.body,
                    r.attempts) for r in sorted(rows, key=lambda r: r.id)]


def finish(conn: Connection, done: Sequence[tuple[Claimed, Outcome]], owner: str, now: dt.datetime,
           policy: Policy, rng: random.Random) -> list[str]:
    """Record one attempt of each ``(item, outcome)``; per item ``delivered``, ``retry`` (pending again
    after the backoff), ``dead`` (its attempts ran out) or ``lost`` (the lease had passed to another
    worker: nothing written). The deliveries that succeeded are marked with one statement per HTTP
    status."""
    state: dict[int, str] = {}
    release = {"lease_owner": "", "lease_until": None, "attempts": T.c.attempts + 1}
    good = sorted(((o.status, item.id) for item, o in done if o.ok), key=lambda p: (p[0] or 0, p[1]))
    for status, group in groupby(good, key=lambda p: p[0]):
        ids = [i for _, i in group]
        marked = conn.execute(update(T).where(_mine(ids, owner)).values(
            status=DELIVERED, delivered_at=now, delivered_by=owner, last_error="", last_status=status,
            **release).returning(T.c.id)).scalars().all()
        state.update((i, DELIVERED) for i in marked)
    for item, outcome in done:
        if outcome.ok:
            continue
        attempts = item.attempts + 1
        dead = attempts >= policy.max_attempts
        changed = conn.execute(update(T).where(_mine([item.id], owner)).values(
            status=DEAD if dead else PENDING, last_error=outcome.error[:2000], last_status=outcome.status,
            next_attempt_at=now if dead else now + policy.delay(attempts, rng), **release)).rowcount
        if changed:
            state[item.id] = DEAD if dead else RETRY
    return [state.get(item.id, LOST) for item, _ in done]


def _mine(ids: list[int], owner: str) -> ColumnElement[bool]:
    return and_(T.c.id.in_(ids), T.c.lease_owner == owner, T.c.status == PENDING)


def release(conn: Connection, items: Sequence[Claimed], owner: str) -> None:
    """Give claimed deliveries back unsent (they are due again at once)."""
    if items:
        conn.execute(update(T).where(_mine([i.id for i in items], owner))
                     .values(lease_owner="", lease_until=None))


__all__ = ["LOST", "RETRY", "Claimed", "Outcome", "Policy", "claim", "commit_asynchronously", "finish",
           "release"]
