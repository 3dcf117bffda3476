"""Webhook figures for the service's Prometheus metrics (``/metrics``), read from the store when
scraped, so every server process reports the same figures whichever worker did the work:
``werkstroom_webhook_deliveries{status}`` (pending, delivered, dead) and
``werkstroom_webhook_failed_attempts`` (attempts that did not deliver: retried or dead). Both are
gauges: removing a subscription removes its deliveries, so they can go down."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Any

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from . import deliveries


class DeliveryCollector(Collector):
    def __init__(self, engine: Any, gate: AbstractContextManager[object]) -> None:
        self.engine = engine
        self.gate = gate

    def collect(self) -> Iterator[Metric]:
        with self.gate, self.engine.transaction(write=False) as uow:
            found = deliveries.counts(uow.session)
        by_status = GaugeMetricFamily("werkstroom_webhook_deliveries",
                                      "Webhook deliveries in the store, by status (pending, delivered, dead)",
                                      labels=["status"])
        for status in ("pending", "delivered", "dead"):
            by_status.add_metric([status], found[status])
        yield by_status
        yield GaugeMetricFamily("werkstroom_webhook_failed_attempts",
                                "Webhook delivery attempts that did not deliver (retried or dead)",
                                value=found["failed_attempts"])

    def describe(self) -> Iterator[Metric]:
        return iter(())  # collected on scrape only
