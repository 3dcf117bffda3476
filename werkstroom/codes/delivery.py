"""WF82x: webhooks out and the worker (subscriptions, deliveries, replays, worker settings)."""

from __future__ import annotations

from ..diagnostics import CodeInfo, Severity

E = Severity.ERROR
W = Severity.WARNING

CODES: tuple[CodeInfo, ...] = (
    CodeInfo("WF820", E, "a webhook URL is not an absolute http:// or https:// URL with a host"),
    CodeInfo("WF821", E, "a webhook's kind filter is empty or names an effect kind nothing emits"),
    CodeInfo("WF822", E, "there is no webhook subscription with that id"),
    CodeInfo("WF823", E, "there is no webhook delivery with that id"),
    CodeInfo("WF824", E, "only a dead webhook delivery can be replayed"),
    CodeInfo("WF825", E, "a webhook secret or description does not fit (a secret has 16-200 characters)"),
    CodeInfo("WF826", E, "a worker setting is out of its range (concurrency, intervals, attempts, timeouts)"),
    CodeInfo("WF827", W, "a webhook delivery attempt failed; it is retried later"),
    CodeInfo("WF828", W, "a webhook delivery is dead: its attempts ran out (kept; it can be replayed)"),
)
