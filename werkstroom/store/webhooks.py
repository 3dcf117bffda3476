"""Webhook tables: the subscriptions of host systems and one delivery row per (outbox row, subscription).

A subscription is a URL, the secret its deliveries are signed with, the outbox kinds it wants (exact
kinds or ``prefix.*`` patterns, ``*`` for all, as JSON text) and whether it is active. ``outbox_cursor``
is the id of the last outbox row the worker has looked at for it: the rows after it are still to be
fanned out into deliveries.

A delivery is ``pending`` (to be sent at ``next_attempt_at``), ``delivered`` or ``dead`` (its attempts
ran out; kept until it is replayed). A worker claims a pending delivery by writing its name in
``lease_owner`` and a time in ``lease_until``; only the owner records the outcome, and a lease that
ran out (its worker was killed) lets another worker claim the delivery again. ``delivery_id`` is the id
the receiver deduplicates on (the ``Werkstroom-Delivery`` header), the same on every attempt and replay.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .metadata import Base, UtcDateTime

PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"
STATUSES = (PENDING, DELIVERED, DEAD)


class WebhookSubscription(Base):
    __tablename__ = "wf_webhook_subscription"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(200))
    kinds: Mapped[str] = mapped_column(Text)  # JSON list of kinds and patterns
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    description: Mapped[str] = mapped_column(String(250), default="")
    outbox_cursor: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())


class WebhookDelivery(Base):
    __tablename__ = "wf_webhook_delivery"
    __table_args__ = (
        UniqueConstraint("subscription_id", "outbox_id"),
        Index("ix_wf_webhook_delivery_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    delivery_id: Mapped[str] = mapped_column(String(40), unique=True)
    subscription_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("wf_webhook_subscription.id", ondelete="CASCADE"))
    outbox_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    lease_owner: Mapped[str] = mapped_column(String(100), default="")
    lease_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime())
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    delivered_by: Mapped[str] = mapped_column(String(100), default="")


__all__ = ["DEAD", "DELIVERED", "PENDING", "STATUSES", "WebhookDelivery", "WebhookSubscription"]
