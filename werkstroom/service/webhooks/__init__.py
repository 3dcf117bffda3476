"""Webhooks out: host systems subscribe URLs to outbox kinds; the worker delivers the matching outbox
rows to them, signed, at least once, with retries and backoff; dead deliveries are kept and replayable.

``Webhooks(engine)`` is the one entry point for the command line and the HTTP API: each call is one
transaction on the engine's store. The parts: ``kinds`` (filters), ``signing`` (the signature a
receiver checks), ``subscriptions``, ``fanout`` (outbox rows to delivery rows), ``claims`` (the worker's
leases and outcomes), ``deliveries`` (listing, counting, replaying), ``sender`` (the HTTP request).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import deliveries, subscriptions
from .deliveries import DeliveryInfo
from .errors import WebhookError
from .kinds import KNOWN_KINDS
from .signing import verify
from .subscriptions import Subscription


class Webhooks:
    """Subscriptions and deliveries on ``engine``'s store (``werkstroom.Engine``)."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine

    def add(self, url: object, kinds: Iterable[object], *, custom_kinds: Iterable[object] = (),
            secret: object = None, description: object = "", after: int | None = None,
            active: bool = True) -> tuple[Subscription, str]:
        """Subscribe ``url`` to ``kinds``; returns the subscription and its signing secret (shown once
        by the command line)."""
        with self.engine.transaction() as uow:
            return subscriptions.add(uow.session, self.engine.clock.now(), url, kinds,
                                     custom_kinds=custom_kinds, secret=secret, description=description,
                                     after=after, active=active)

    def subscriptions(self) -> list[Subscription]:
        with self.engine.transaction() as uow:
            return subscriptions.listed(uow.session)

    def subscription(self, subscription_id: object) -> Subscription:
        with self.engine.transaction() as uow:
            return subscriptions.get(uow.session, subscription_id)

    def set_active(self, subscription_id: object, active: bool) -> Subscription:
        with self.engine.transaction() as uow:
            return subscriptions.set_active(uow.session, subscription_id, active)

    def remove(self, subscription_id: object) -> Subscription:
        with self.engine.transaction() as uow:
            return subscriptions.remove(uow.session, subscription_id)

    def deliveries(self, status: str | None = None, subscription_id: int | None = None,
                   limit: int | None = None, offset: int = 0) -> list[DeliveryInfo]:
        with self.engine.transaction() as uow:
            return deliveries.listed(uow.session, status, subscription_id, limit, offset)

    def failed(self, limit: int | None = None, offset: int = 0) -> list[DeliveryInfo]:
        """The dead deliveries, oldest first."""
        return self.deliveries("dead", limit=limit, offset=offset)

    def replay(self, ident: object) -> DeliveryInfo:
        """Send a dead delivery again (by its number or delivery id)."""
        with self.engine.transaction() as uow:
            return deliveries.replay(uow.session, ident, self.engine.clock.now())

    def counts(self) -> dict[str, int]:
        """Deliveries by status and the failed attempts (for metrics)."""
        with self.engine.transaction() as uow:
            return deliveries.counts(uow.session)


__all__ = ["KNOWN_KINDS", "DeliveryInfo", "Subscription", "WebhookError", "Webhooks", "verify"]
