"""The worker: timers, notification dispatch and webhook delivery in a loop (`wf worker`).

The main thread polls: every ``timers_interval`` it runs the clock-driven approval work
(``Engine.run_timers``: automatic delegation, overdue reminders), every ``poll_interval`` it dispatches
the notifications that are due (``Engine.dispatch_notifications``) and fans the new outbox rows out into
webhook deliveries. ``concurrency`` delivery threads each claim a few due deliveries at a time (a lease
in the store), send them, and record each outcome in its own transaction.

Several workers may run on one PostgreSQL store: timers claim instances with advisory locks, the
notification dispatch claims entries with ``FOR UPDATE SKIP LOCKED``, deliveries are claimed with
``SKIP LOCKED`` and a lease, so each item is done by one worker; when a worker dies, its leases run out
and the others send its deliveries again. On SQLite, run one worker (writers take turns anyway).

``stop()`` (SIGTERM and SIGINT under ``run(install_signals=True)``) lets every thread finish the item
in hand, gives back the deliveries it claimed but had not started, and ends the loop.
"""

from __future__ import annotations

import logging
import math
import os
import random
import secrets
import signal
import socket
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import attrs

from ..store.webhooks import DEAD, DELIVERED
from .gate import store_gate
from .webhooks import claims, fanout, sender
from .webhooks.claims import LOST, Claimed, Outcome, Policy
from .webhooks.errors import BadWorkerSetting

log = logging.getLogger("werkstroom.service.worker")

# setting -> (lowest, highest) accepted (WF826 outside)
RANGES: dict[str, tuple[float, float]] = {
    "concurrency": (1, 64), "batch": (1, 100), "poll_interval": (0.01, 3600.0),
    "timers_interval": (0.01, 86400.0), "max_attempts": (1, 100), "backoff": (0.001, 86400.0),
    "backoff_cap": (0.001, 30 * 86400.0), "timeout": (0.1, 600.0), "lease": (1.0, 86400.0),
}


@attrs.frozen
class WorkerSettings:
    """What a worker does and how often. ``batch``: deliveries a thread claims at once."""

    concurrency: int = 4
    batch: int = 4
    poll_interval: float = 1.0
    timers_interval: float = 60.0
    timers: bool = True
    notifications: bool = True
    webhooks: bool = True
    policy: Policy = attrs.field(factory=Policy)

    def checked(self) -> WorkerSettings:
        """These settings, or WF826 naming the first one out of its range."""
        values = {**attrs.asdict(self, recurse=False), **attrs.asdict(self.policy)}
        for name, (low, high) in RANGES.items():
            value = values[name]
            whole = name in ("concurrency", "batch", "max_attempts")
            if (isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value)
                    or (whole and not isinstance(value, int)) or not low <= value <= high):
                raise BadWorkerSetting(f"the worker's {name.replace('_', ' ')} must be a "
                                       f"{'whole ' if whole else ''}number from {low:g} to {high:g}, "
                                       f"got {value!r}")
        if self.policy.backoff_cap < self.policy.backoff:
            raise BadWorkerSetting("the worker's backoff cap must not be below its backoff")
        return self

    def lease(self) -> float:
        """Seconds a claim lasts: the policy's lease, and at least twice a whole batch of timeouts (a
        claim must outlast the requests of its batch, or another worker sends them again meanwhile)."""
        return max(self.policy.lease, 2 * self.batch * self.policy.timeout)


@attrs.define
class Stats:
    """What this worker did (counters only grow; ``snapshot`` reads them at once)."""

    delivered: int = 0
    failed: int = 0  # attempts that did not deliver (retried or dead)
    dead: int = 0
    lost: int = 0  # outcomes not recorded: the lease had passed to another worker
    fanned_out: int = 0
    timer_runs: int = 0
    notifications_sent: int = 0
    errors: int = 0
    _lock: threading.Lock = attrs.field(factory=threading.Lock, repr=False)

    def add(self, **counts: int) -> None:
        with self._lock:
            for name, n in counts.items():
                setattr(self, name, getattr(self, name) + n)

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return {k: v for k, v in attrs.asdict(self).items() if not k.startswith("_")}


def worker_name() -> str:
    """This process's name in the leases: host, process id and a random part."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(3)}"


class Worker:
    """The worker loop on ``engine`` (a ``werkstroom.Engine``). ``run()`` until ``stop()``;
    ``run_once()`` does what is due now and returns. ``gate``: a lock held around every use of the
    store: the server's, when the worker runs inside `wf serve`; by default the store's
    (``gate.store_gate``: on SQLite, taking turns with `wf serve` and other workers on the file)."""

    def __init__(self, engine: Any, settings: WorkerSettings | None = None, *, name: str | None = None,
                 rng: random.Random | None = None,
                 gate: AbstractContextManager[object] | None = None) -> None:
        self.engine = engine
        # held around every use of the store
        self._gate: AbstractContextManager[object] = gate if gate is not None else store_gate(engine.url)
        self.settings = (settings or WorkerSettings()).checked()
        self.name = name or worker_name()
        self.stats = Stats()
        self._rng = rng or random.Random()
        self._rng_lock = threading.Lock()
        self._stop = threading.Event()
        self._next_timers = 0.0

    # ------------------------------------------------------------------ control

    def stop(self) -> None:
        """Finish the items in hand and end ``run`` (safe from a signal handler or another thread)."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def run(self, *, install_signals: bool = False) -> int:
        """Loop until ``stop()``; returns the exit code (0). With ``install_signals`` (main thread
        only), SIGTERM and SIGINT stop it."""
        if install_signals:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: self.stop())
        log.info("worker %s started (%s)", self.name, _describe(self.settings))
        threads: list[threading.Thread] = []
        http = sender.client(self.settings.policy.timeout, self.settings.concurrency) \
            if self.settings.webhooks else None
        try:
            if http is not None:
                threads = [threading.Thread(target=self._deliver_loop, args=(http,),
                                            name=f"werkstroom-delivery-{n}", daemon=True)
                           for n in range(self.settings.concurrency)]
                for t in threads:
                    t.start()
            while not self._stop.is_set():
                self._poll()
                self._stop.wait(self.settings.poll_interval)
        finally:
            self._stop.set()
            for t in threads:
                t.join()
            if http is not None:
                http.close()
        log.info("worker %s stopped: %s", self.name, self.stats.snapshot())
        return 0

    def run_once(self) -> dict[str, int]:
        """Timers, notifications, fan-out, then every delivery due now (one thread); what was done."""
        self._next_timers = 0.0
        self._poll()
        if self.settings.webhooks:
            with sender.client(self.settings.policy.timeout) as http:
                while not self._stop.is_set() and self._deliver_some(http):
                    pass
        return self.stats.snapshot()

    # ------------------------------------------------------------------ the main thread's work

    def _poll(self) -> None:
        s = self.settings
        if s.timers and time.monotonic() >= self._next_timers:
            self._guard("timers", self._timers)
            self._next_timers = time.monotonic() + s.timers_interval
        if s.notifications and not self._stop.is_set():
            self._guard("notification dispatch", self._notifications)
        if s.webhooks:
            while not self._stop.is_set() and self._guard("webhook fan-out", self.fan_out) >= fanout.BATCH:
                pass

    def _guard(self, what: str, task: Callable[[], int]) -> int:
        """Run ``task``; an error is logged and counted (the worker goes on at the next poll)."""
        try:
            return task()
        except Exception:
            self.stats.add(errors=1)
            log.exception("%s failed; trying again at the next poll", what)
            return 0

    def _timers(self) -> int:
        with self._gate:
            result = self.engine.run_timers()
        self.stats.add(timer_runs=1)
        if result.handled:
            log.info("timers: %d events handled", len(result.handled))
        return len(result.handled)

    def _notifications(self) -> int:
        with self._gate:
            report = self.engine.dispatch_notifications()
        for f in report.failures:
            log.warning("notification to %s (%s, %d entries) failed: %s [%s]", f.recipient, f.entry_type,
                        len(f.entry_ids), f.error, f.code)
        self.stats.add(notifications_sent=report.entries_sent)
        return int(report.entries_sent)

    def fan_out(self) -> int:
        """Fan the new outbox rows out into deliveries (one transaction); how many were written."""
        with self._gate, self.engine.transaction() as uow:
            n = fanout.fan_out(uow.session, self.engine.clock.now())
        self.stats.add(fanned_out=n)
        return n

    # ------------------------------------------------------------------ delivery threads

    def _deliver_loop(self, http: Any) -> None:
        while not self._stop.is_set():
            try:
                busy = self._deliver_some(http)
            except Exception:
                self.stats.add(errors=1)
                log.exception("webhook delivery failed; trying again at the next poll")
                busy = False
            if not busy:
                self._stop.wait(self.settings.poll_interval)

    def _deliver_some(self, http: Any) -> bool:
        """Claim a batch, send it item by item, then record the outcomes in one transaction (and give
        back the items not started when stopping); False when nothing was due."""
        with self._gate, self.engine.transaction() as uow:
            conn = uow.connection()
            claims.commit_asynchronously(conn)
            claimed = claims.claim(conn, self.name, self.engine.clock.now(), self.settings.batch,
                                   self.settings.lease())
        sent: list[tuple[Claimed, Outcome]] = []
        for item in claimed:
            if self._stop.is_set():
                break
            sent.append((item, sender.send(http, item)))
        with self._rng_lock:
            rng = random.Random(self._rng.random())
        with self._gate, self.engine.transaction() as uow:
            conn = uow.connection()
            claims.commit_asynchronously(conn)
            states = claims.finish(conn, sent, self.name, self.engine.clock.now(), self.settings.policy, rng)
            claims.release(conn, claimed[len(sent):], self.name)
        for (item, outcome), state in zip(sent, states, strict=True):
            self._count(item, outcome, state)
        return bool(claimed)

    def _count(self, item: Claimed, outcome: Outcome, state: str) -> None:
        if state == DELIVERED:
            self.stats.add(delivered=1)
        elif state == LOST:
            self.stats.add(lost=1)
            log.info("delivery %s: the lease had passed to another worker; its outcome is theirs",
                     item.delivery_id)
        elif state == DEAD:
            self.stats.add(failed=1, dead=1)
            log.warning("webhook delivery %d to %s is dead after %d attempt(s): %s [WF828]", item.id,
                        item.url, item.attempts + 1, outcome.error)
        else:
            self.stats.add(failed=1)
            log.warning("webhook delivery %d to %s failed (attempt %d): %s [WF827]", item.id, item.url,
                        item.attempts + 1, outcome.error)


class WorkerThread:
    """A worker in a thread beside the server (`wf serve --with-worker`): an item of the app's
    ``background`` list, started with the app and stopped (its items in hand finished) before it ends."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        self.thread = threading.Thread(target=worker.run, name="werkstroom-worker", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.worker.stop()
        self.thread.join()


def beside_server(app: Any, engine: Any) -> None:
    """The `wf serve --with-worker` hook: a worker with the default settings in each server process,
    on the app's engine, behind the app's gate."""
    app.state.background.append(WorkerThread(Worker(engine, gate=app.state.service.gate)))


def _describe(s: WorkerSettings) -> str:
    parts = [name for name, on in (("timers", s.timers), ("notifications", s.notifications),
                                   ("webhooks", s.webhooks)) if on]
    return (f"{', '.join(parts) or 'nothing'}; concurrency {s.concurrency}, "
            f"poll every {s.poll_interval:g} s, timers every {s.timers_interval:g} s")


__all__ = ["Stats", "Worker", "WorkerSettings", "WorkerThread", "beside_server", "worker_name"]
