"""Prometheus metrics of one server process (``/metrics``, the text format).

Counters and histograms of what this process did: HTTP requests by route and status and their
latency, events and approval actions by outcome and the engine's time for them, authentication
failures by code. Queue depths (``QUEUES``: name -> a count in one transaction) and the webhook
deliveries by status (``webhooks.metrics``) are read from the store on each scrape, so every process
reports the same, shared figures. Each app has its own registry
(several apps in one process, as in tests, never mix their figures). With several server processes,
scrape each one (their counters are their own).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from ..engine.facade import Engine
from ..engine.unit import UnitOfWork
from ..store.approvals import ApprovalEntry
from ..store.notifications import NotificationEntry
from ..store.webhooks import DEAD, PENDING, WebhookDelivery
from .webhooks.metrics import DeliveryCollector

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

QueueDepth = Callable[[UnitOfWork, dt.datetime], int]


def _count(stmt: object) -> QueueDepth:
    def depth(uow: UnitOfWork, now: dt.datetime) -> int:
        return int(uow.session.scalar(stmt) or 0)  # type: ignore[call-overload]

    return depth


def _overdue(uow: UnitOfWork, now: dt.datetime) -> int:
    return int(uow.session.scalar(select(func.count()).select_from(ApprovalEntry).where(
        ApprovalEntry.status == "Open", ApprovalEntry.due_date < now.date())) or 0)


# queue name -> its depth, read from the store on each scrape; other parts of the service add theirs
QUEUES: dict[str, tuple[str, QueueDepth]] = {
    "notifications": ("notification entries waiting to be delivered",
                      _count(select(func.count()).select_from(NotificationEntry))),
    "notifications_failed": ("waiting notification entries whose delivery failed at least once",
                             _count(select(func.count()).select_from(NotificationEntry)
                                    .where(NotificationEntry.attempts > 0))),
    "approvals_open": ("approval entries open (waiting for an approver)",
                       _count(select(func.count()).select_from(ApprovalEntry)
                              .where(ApprovalEntry.status == "Open"))),
    "approvals_overdue": ("open approval entries past their due date", _overdue),
    "webhooks": ("webhook deliveries waiting to be sent (pending)",
                 _count(select(func.count()).select_from(WebhookDelivery)
                        .where(WebhookDelivery.status == PENDING))),
    "webhooks_dead": ("webhook deliveries whose attempts ran out (kept, replayable)",
                      _count(select(func.count()).select_from(WebhookDelivery)
                             .where(WebhookDelivery.status == DEAD))),
}


class QueueCollector(Collector):
    """``werkstroom_queue_depth{queue=...}``, read from the store when scraped."""

    def __init__(self, engine: Engine, gate: AbstractContextManager[object]) -> None:
        self.engine = engine
        self.gate = gate

    def collect(self) -> Iterator[Metric]:
        family = GaugeMetricFamily("werkstroom_queue_depth", "Work waiting in the store, by queue: "
                                   + "; ".join(f"{k}: {v[0]}" for k, v in sorted(QUEUES.items())),
                                   labels=["queue"])
        now = self.engine.clock.now()
        with self.gate, self.engine.transaction(write=False) as uow:
            for name, (_, depth) in sorted(QUEUES.items()):
                family.add_metric([name], depth(uow, now))
        yield family

    def describe(self) -> Iterator[Metric]:
        return iter(())  # collected on scrape only (the store is not read at registration)


class Metrics:
    """One app's registry and instruments."""

    def __init__(self, engine: Engine, gate: AbstractContextManager[object]) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        r = self.registry
        self.requests = Counter("werkstroom_http_requests", "HTTP requests answered, by route and status",
                                ["method", "route", "status"], registry=r)
        self.latency = Histogram("werkstroom_http_request_seconds", "Time to answer an HTTP request",
                                 ["method", "route"], buckets=LATENCY_BUCKETS, registry=r)
        self.events = Counter("werkstroom_events", "Events and approval actions through the API, by action "
                              "and outcome (handled, replayed, refused)", ["action", "outcome"], registry=r)
        self.event_seconds = Histogram("werkstroom_event_seconds", "The engine's time for one event or "
                                       "approval action (its transaction)", ["action"],
                                       buckets=LATENCY_BUCKETS, registry=r)
        self.auth_failures = Counter("werkstroom_auth_failures", "Refused authentications, by WF code",
                                     ["code"], registry=r)
        r.register(QueueCollector(engine, gate))
        r.register(DeliveryCollector(engine, gate))
        # the labelled children in use, by metric and labels (``labels()`` looks them up with more work)
        self._children: dict[tuple[int, tuple[str, ...]], Any] = {}

    def _child(self, metric: Counter | Histogram, *labels: str) -> Any:
        key = (id(metric), labels)
        found = self._children.get(key)
        if found is None:
            found = self._children[key] = metric.labels(*labels)
        return found

    def answered(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count a request answered with ``status`` on ``route`` (its path template) and its time."""
        self._child(self.requests, method, route, str(status)).inc()
        self._child(self.latency, method, route).observe(seconds)

    def outcome(self, action: str, outcome: str) -> None:
        """Count an event or approval action by ``outcome`` (handled, replayed, refused)."""
        self._child(self.events, action, outcome).inc()

    def engine_time(self, action: str, seconds: float) -> None:
        """The engine's time for an event or approval action."""
        self._child(self.event_seconds, action).observe(seconds)

    def text(self) -> bytes:
        return generate_latest(self.registry)
