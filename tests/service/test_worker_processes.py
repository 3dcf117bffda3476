"""`wf worker` as real processes: SIGTERM finishes the item in hand and exits 0; on PostgreSQL four
workers share 3,000 deliveries and 500 notifications while events are still coming in, one of them is
killed with SIGKILL midway, and every item is done exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from werkstroom.service.webhooks import Webhooks

from .hooklib import SETUP, Receiver, emit, hook_engine, wait_for

ROOT = Path(__file__).resolve().parents[2]


class Workers:
    """Worker processes started by a test, each logging to its own file (never a pipe nobody reads:
    a full pipe would stop the worker); killed at the end of the test if still running."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.procs: list[subprocess.Popen[str]] = []

    def start(self, url: str, *options: str) -> subprocess.Popen[str]:
        env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        log = open(self.folder / f"worker-{len(self.procs)}.log", "w")  # noqa: SIM115 (the process's)
        proc = subprocess.Popen([sys.executable, "-m", "werkstroom", "--db", url, "worker", "--poll", "0.05",
                                 *options], env=env, stderr=log, stdout=log, text=True)
        log.close()
        self.procs.append(proc)
        return proc

    def log(self, n: int) -> str:
        return (self.folder / f"worker-{n}.log").read_text()


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Workers]:
    started = Workers(tmp_path)
    yield started
    for proc in started.procs:  # a failed test leaves none running
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


def test_sigterm_finishes_the_delivery_in_hand_gives_back_the_rest_and_exits_0(
        engine_url: str, workers: Workers) -> None:
    in_hand, go_on = threading.Event(), threading.Event()

    def first_waits(n: int) -> int:
        if n == 1:
            in_hand.set()
            go_on.wait(20)
        return 200

    eng = hook_engine(engine_url)
    hooks = Webhooks(eng)
    try:
        with Receiver(answer=first_waits).running() as receiver:
            _, receiver.secret = hooks.add(receiver.url, ["document.released"])
            emit(eng, 5)
            proc = workers.start(engine_url, "--concurrency", "1", "--batch", "4", "--no-timers",
                                 "--no-notifications")
            assert in_hand.wait(60), workers.log(0)
            proc.send_signal(signal.SIGTERM)
            time.sleep(0.5)  # the worker is still in the request: it must wait for the answer
            assert proc.poll() is None
            go_on.set()
            assert proc.wait(30) == 0
            log = workers.log(0)
        rows = hooks.deliveries()
        assert [d.status for d in rows] == ["delivered", "pending", "pending", "pending", "pending"]
        assert receiver.requests == 1 and receiver.accepted == [rows[0].delivery_id]
        with eng.transaction() as uow:  # the three it had claimed besides are free again
            assert uow.session.execute(text(
                "SELECT count(*) FROM wf_webhook_delivery WHERE lease_owner <> ''")).scalar() == 0
        assert "stopped" in log and "'delivered': 1" in log
    finally:
        eng.close()


def test_an_idle_worker_stops_at_once_on_sigterm(engine_url: str, workers: Workers) -> None:
    hook_engine(engine_url).close()
    proc = workers.start(engine_url, "--poll", "5")
    assert wait_for(lambda: "started" in workers.log(0), timeout=60)
    time.sleep(0.5)  # in its first wait for the next poll
    began = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(10) == 0 and time.monotonic() - began < 3


def test_wf_serve_with_worker_runs_a_worker_and_stops_it_on_sigterm(tmp_path: Path,
                                                                    workers: Workers) -> None:
    url = f"sqlite:///{tmp_path / 'served.db'}"
    log = tmp_path / "serve.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "werkstroom", "--db", url, "serve", "--port", "0",
                                 "--with-worker"], env=env, stdout=out, stderr=out, text=True)
    workers.procs.append(proc)
    assert wait_for(lambda: "Application startup complete" in log.read_text(), timeout=60), log.read_text()
    assert "each with a worker" in log.read_text()
    assert "werkstroom.service.worker: worker" in log.read_text()  # its worker started with the app
    proc.send_signal(signal.SIGTERM)
    # uvicorn shuts down gracefully, then raises the signal again for the caller (systemd counts a
    # SIGTERM death as a clean stop)
    assert proc.wait(30) in (0, -signal.SIGTERM)
    assert "Application shutdown complete" in log.read_text()
    assert "stopped: {'delivered': 0" in log.read_text()  # its worker stopped with the app


def _emit_from_threads(url: str, events: int, threads: int) -> None:
    """``events`` events from ``threads`` engines at once (outbox ids commit out of order)."""
    def run(part: int) -> None:
        eng = hook_engine(url)
        try:
            for i in range(part, events, threads):
                emit(eng, 1, start=i + 1)
        finally:
            eng.close()

    pool = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()


@pytest.mark.postgres
@pytest.mark.parametrize("engine_url", ["postgresql"], indirect=True)
def test_four_workers_one_killed_every_item_done_exactly_once(
        engine_url: str, workers: Workers) -> None:
    # 3 outbox rows an event (the release, the message, the notification queued), 2 subscriptions:
    # 3,000 deliveries
    events, subscriptions = 500, 2
    eng = hook_engine(engine_url)
    eng.load_setup(SETUP)  # each event also queues a notification for U (sent as a note)
    hooks = Webhooks(eng)
    secret = "one-secret-for-both-subscriptions"
    with Receiver(secret=secret).running() as receiver:
        for _ in range(subscriptions):
            hooks.add(receiver.url, ["*"], secret=secret)
        procs = [workers.start(engine_url, "--concurrency", "4", "--batch", "1", "--timeout", "2", "--lease",
                               "3", "--timers-every", "0.5", "--backoff", "0.2") for _ in range(4)]
        emitting = threading.Thread(target=_emit_from_threads, args=(engine_url, events, 4))
        emitting.start()
        # midway: one worker dies without a word (its leases and its open transaction are left behind)
        assert wait_for(lambda: len(receiver.unique()) >= 600, timeout=180)
        victim = procs[0]
        victim.kill()
        assert victim.wait(10) == -signal.SIGKILL
        emitting.join()
        total = events * 3 * subscriptions

        def all_done() -> bool:
            counts = hooks.counts()
            return counts["delivered"] == total and not eng.waiting_notifications()

        assert wait_for(all_done, timeout=240), (hooks.counts(), len(eng.waiting_notifications()))
        for proc in procs[1:]:
            proc.send_signal(signal.SIGTERM)
        assert [proc.wait(30) for proc in procs[1:]] == [0, 0, 0]
        arrivals, unique = len(receiver.accepted), receiver.unique()
    rows = hooks.deliveries()
    outbox = [o.id for o in eng.outbox()]
    # the store: each (outbox row, subscription) once, each delivered, marked by one worker
    assert len(outbox) == events * 3 and len(rows) == total
    for sub in hooks.subscriptions():
        assert sorted(d.outbox_id for d in rows if d.subscription_id == sub.id) == outbox
    assert {d.status for d in rows} == {"delivered"}
    # the receiver, deduplicating by delivery id: every delivery arrived, none it was not sent
    assert unique == {d.delivery_id for d in rows} and receiver.bad_signatures == 0
    # the killed worker had delivered some; the deliveries it held when killed were sent by the others
    victim_pid = f":{procs[0].pid}:"
    marked = _marked_by(engine_url)
    assert sum(n for owner, n in marked.items() if victim_pid in owner) > 0
    assert sum(marked.values()) == total and len(marked) >= 3
    # the notifications: each sent once (the sent log is keyed by the entry), one note each
    assert len(eng.sent_notifications()) == events and _notes(engine_url) == events
    eng.close()
    print(f"\n{total} deliveries, {arrivals} arrivals ({arrivals - len(unique)} repeated after the kill), "
          f"marked by {len(marked)} workers")


def _marked_by(url: str) -> dict[str, int]:
    raw = create_engine(url)
    try:
        with raw.connect() as conn:
            return {owner: int(n) for owner, n in conn.execute(text(
                "SELECT delivered_by, count(*) FROM wf_webhook_delivery GROUP BY delivered_by"))}
    finally:
        raw.dispose()


def _notes(url: str) -> Any:
    raw = create_engine(url)
    try:
        with raw.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM wf_record_note")).scalar()
    finally:
        raw.dispose()
