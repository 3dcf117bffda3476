"""Webhooks out, on SQLite and PostgreSQL, delivered to a real HTTP receiver on 127.0.0.1 that checks
each request's signature: fan-out by kind and cursor, retries with backoff, dead deliveries and their
replay, pausing, removal, leases and the at-most-one success mark."""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from collections.abc import Iterator
from typing import Any

import pytest

from werkstroom import deploy
from werkstroom.engine.clock import VirtualClock
from werkstroom.service.webhooks import Webhooks, claims
from werkstroom.service.webhooks.claims import Outcome, Policy
from werkstroom.service.webhooks.errors import WebhookError
from werkstroom.service.webhooks.signing import verify
from werkstroom.service.worker import Worker, WorkerSettings

from .hooklib import Receiver, emit, hook_engine

FAST = Policy(max_attempts=3, backoff=0.05, backoff_cap=0.2, timeout=2.0, lease=5.0)


def settings(**overrides: Any) -> WorkerSettings:
    base: dict[str, Any] = {"concurrency": 2, "poll_interval": 0.05, "timers": False, "policy": FAST}
    return WorkerSettings(**{**base, **overrides})


@pytest.fixture
def engine(engine_url: str) -> Iterator[Any]:
    eng = hook_engine(engine_url)
    try:
        yield eng
    finally:
        eng.close()


def drain(eng: Any, worker_settings: WorkerSettings | None = None, until: float = 20.0) -> Worker:
    """Run a worker's passes until no delivery is pending (retries included) or ``until`` seconds."""
    worker = Worker(eng, worker_settings or settings())
    hooks = Webhooks(eng)
    end = time.monotonic() + until
    while True:
        worker.run_once()
        if not hooks.deliveries("pending") or time.monotonic() > end:
            return worker
        time.sleep(0.05)


def test_deliveries_arrive_signed_with_their_id_kind_and_body(engine: Any) -> None:
    hooks = Webhooks(engine)
    with Receiver().running() as receiver:
        sub, receiver.secret = hooks.add(receiver.url, ["document.*"], description="ERP")
        emit(engine, 3)
        stats = drain(engine).stats.snapshot()
        assert receiver.bad_signatures == 0 and len(receiver.accepted) == 3
    assert stats["delivered"] == 3 and stats["failed"] == 0 and stats["fanned_out"] == 3
    released = [o for o in engine.outbox() if o.kind == "document.released"]
    rows = hooks.deliveries()
    assert [d.outbox_id for d in rows] == [o.id for o in released]
    assert [d.delivery_id for d in rows] == receiver.accepted  # sent in outbox order by one thread
    first = receiver.bodies[rows[0].delivery_id]
    assert first["kind"] == receiver.kinds[rows[0].delivery_id] == "document.released"
    assert first["payload"] == {"no": "D1", "amount": "1.50"}  # money stays exact: Decimal as text
    assert first["outbox_id"] == released[0].id and first["workflow_code"] == "HOOK"
    assert first["delivery_id"] == rows[0].delivery_id and first["event_id"] is not None
    assert {d.status for d in rows} == {"delivered"} and {d.attempts for d in rows} == {1}
    assert hooks.subscription(sub.id).delivered == 3


def test_a_filter_takes_only_its_kinds_and_each_subscription_gets_its_own_deliveries(engine: Any) -> None:
    hooks = Webhooks(engine)
    with Receiver(secret="s" * 20).running() as receiver:
        only_messages, _ = hooks.add(receiver.url, ["message"], secret="s" * 20)
        everything, _ = hooks.add(receiver.url, ["*"], secret="s" * 20)
        emit(engine, 2)  # two rows each: document.released, message
        drain(engine)
    kinds = {sid: [d.kind for d in hooks.deliveries(subscription_id=sid)]
             for sid in (only_messages.id, everything.id)}
    assert kinds == {only_messages.id: ["message", "message"],
                     everything.id: ["document.released", "message", "document.released", "message"]}
    assert len(receiver.unique()) == 6 and receiver.bad_signatures == 0


def test_a_new_subscription_starts_after_the_outbox_it_finds_unless_told(engine: Any) -> None:
    emit(engine, 2)
    hooks = Webhooks(engine)
    with Receiver(secret="k" * 16).running() as receiver:
        new, _ = hooks.add(receiver.url, ["document.released"], secret="k" * 16)
        backfill, _ = hooks.add(receiver.url, ["document.released"], secret="k" * 16, after=0)
        emit(engine, 1, start=3)
        drain(engine)
    assert len(hooks.deliveries(subscription_id=new.id)) == 1
    assert [receiver.bodies[d.delivery_id]["payload"]["no"]
            for d in hooks.deliveries(subscription_id=backfill.id)] == ["D1", "D2", "D3"]


def test_failed_attempts_are_retried_with_backoff_until_delivered(engine_url: str) -> None:
    clock = VirtualClock(dt.datetime.now(dt.UTC))  # the worker's times; the signatures use the real clock
    eng = hook_engine(engine_url, clock=clock)
    hooks = Webhooks(eng)
    worker = Worker(eng, settings(policy=Policy(max_attempts=5, backoff=10, backoff_cap=3600)))
    # the first two requests fail (503, then 500); the third is accepted
    try:
        with Receiver(answer=lambda n: {1: 503, 2: 500}.get(n, 204)).running() as receiver:
            _, receiver.secret = hooks.add(receiver.url, ["document.released"])
            emit(eng, 1)
            worker.run_once()
            (pending,) = hooks.deliveries("pending")
            assert pending.attempts == 1 and pending.last_status == 503 and pending.last_error == "HTTP 503"
            # the retry waits half the backoff at least (the other half is jitter), at most all of it
            wait = pending.next_attempt_at - clock.now()
            assert dt.timedelta(seconds=5) <= wait <= dt.timedelta(seconds=10)
            clock.advance(wait - dt.timedelta(milliseconds=1))
            worker.run_once()
            assert receiver.requests == 1  # not due yet
            clock.advance(dt.timedelta(milliseconds=1))
            worker.run_once()
            (pending,) = hooks.deliveries("pending")
            assert receiver.requests == 2 and pending.attempts == 2 and pending.last_status == 500
            wait = pending.next_attempt_at - clock.now()
            assert dt.timedelta(seconds=10) <= wait <= dt.timedelta(seconds=20)  # doubled
            clock.advance(wait)
            worker.run_once()
        (done,) = hooks.deliveries()
        assert done.status == "delivered" and done.attempts == 3 and receiver.requests == 3
        assert receiver.accepted == [done.delivery_id] and done.last_status == 204
    finally:
        eng.close()


def test_the_backoff_doubles_up_to_its_cap_with_jitter() -> None:
    policy = Policy(backoff=10, backoff_cap=60)
    rng = random.Random(7)
    waits = [[policy.delay(n, rng).total_seconds() for n in range(1, 6)] for _ in range(50)]
    for row in waits:
        for n, wait in enumerate(row, start=1):
            full = min(60, 10 * 2 ** (n - 1))
            assert full / 2 <= wait <= full
    assert len({row[0] for row in waits}) > 40  # jittered: workers retrying at once spread out


def test_a_delivery_is_dead_after_its_attempts_and_a_replay_sends_it_with_the_same_id(
        engine: Any, caplog: pytest.LogCaptureFixture) -> None:
    hooks = Webhooks(engine)
    broken = {"on": True}
    with Receiver(answer=lambda n: 500 if broken["on"] else 200).running() as receiver:
        _, receiver.secret = hooks.add(receiver.url, ["document.released"])
        emit(engine, 1)
        worker_log = logging.getLogger("werkstroom.service.worker")
        worker_log.addHandler(caplog.handler)  # whatever an earlier test configured for its parents
        try:
            with caplog.at_level(logging.WARNING, logger="werkstroom.service.worker"):
                stats = drain(engine).stats.snapshot()
        finally:
            worker_log.removeHandler(caplog.handler)
        (dead,) = hooks.failed()
        assert dead.status == "dead" and dead.attempts == 3 and dead.last_error == "HTTP 500"
        assert stats["failed"] == 3 and stats["dead"] == 1 and receiver.accepted == []
        # one record reaches caplog's handler twice when the parents still propagate to the root logger
        # (nothing configured them before this test): each record once, in order
        records = list({id(r): r for r in caplog.records if r.name == "werkstroom.service.worker"}.values())
        warned = [r.getMessage()[-7:] for r in records]
        assert warned[-3:] == ["[WF827]", "[WF827]", "[WF828]"] and len(warned) == 3
        with pytest.raises(WebhookError) as refused:
            hooks.replay(999)
        assert refused.value.code == "WF823"
        broken["on"] = False
        again = hooks.replay(dead.delivery_id)  # by delivery id (or by number)
        assert again.status == "pending" and again.attempts == 0
        drain(engine)
    (done,) = hooks.deliveries()
    assert done.status == "delivered" and receiver.accepted == [dead.delivery_id] and not hooks.failed()
    with pytest.raises(WebhookError) as refused:
        hooks.replay(done.id)
    assert refused.value.code == "WF824"
    assert hooks.deliveries()[0].status == "delivered"  # the refusal changed nothing


def test_a_receiver_that_cannot_verify_the_signature_gets_it_again(engine: Any) -> None:
    hooks = Webhooks(engine)
    with Receiver(secret="not-the-subscription-secret").running() as receiver:
        hooks.add(receiver.url, ["document.released"])
        emit(engine, 1)
        Worker(engine, settings(policy=Policy(backoff=60))).run_once()
        assert receiver.bad_signatures == 1
        (pending,) = hooks.deliveries("pending")
        assert pending.last_status == 401


def test_redirects_are_not_followed_and_slow_receivers_time_out(engine: Any) -> None:
    hooks = Webhooks(engine)
    with Receiver(answer=lambda n: 302).running() as redirecting:
        _, redirecting.secret = hooks.add(redirecting.url, ["document.released"])
        emit(engine, 1)
        Worker(engine, settings(policy=Policy(backoff=60))).run_once()
    (first,) = hooks.deliveries("pending")
    assert first.last_status == 302 and first.last_error.startswith("HTTP 302")

    def slow(n: int) -> int:
        time.sleep(1.5)
        return 200

    with Receiver(answer=slow).running() as sleepy:
        sub, sleepy.secret = hooks.add(sleepy.url, ["document.released"])
        emit(engine, 1, start=2)
        Worker(engine, settings(policy=Policy(timeout=0.3, max_attempts=3))).run_once()
    (timed_out,) = hooks.deliveries("pending", subscription_id=sub.id)
    assert timed_out.last_status is None and timed_out.last_error.startswith("ReadTimeout")


def test_a_paused_subscription_waits_and_catches_up_when_resumed(engine: Any) -> None:
    hooks = Webhooks(engine)
    with Receiver().running() as receiver:
        sub, receiver.secret = hooks.add(receiver.url, ["document.released"])
        emit(engine, 1)
        worker = Worker(engine, settings())
        worker.fan_out()  # a delivery before the pause
        hooks.set_active(sub.id, False)
        emit(engine, 2, start=2)
        worker.run_once()
        paused = hooks.subscription(sub.id)
        assert receiver.requests == 0 and paused.pending == 1  # the one fanned out waits too
        assert paused.outbox_cursor < engine.outbox()[-1].id  # the others are not fanned out
        hooks.set_active(sub.id, True)
        drain(engine)
    assert sorted(b["payload"]["no"] for b in receiver.bodies.values()) == ["D1", "D2", "D3"]


def test_removing_a_subscription_deletes_its_deliveries(engine: Any) -> None:
    hooks = Webhooks(engine)
    sub, _ = hooks.add("http://127.0.0.1:9/nobody", ["document.released"])
    other, _ = hooks.add("http://127.0.0.1:9/other", ["document.released"])
    emit(engine, 2)
    Worker(engine, settings(webhooks=True, notifications=False)).fan_out()
    assert hooks.remove(sub.id).pending == 2
    assert [s.id for s in hooks.subscriptions()] == [other.id]
    assert {d.subscription_id for d in hooks.deliveries()} == {other.id}
    with pytest.raises(WebhookError) as refused:
        hooks.remove(sub.id)
    assert refused.value.code == "WF822"


def test_a_lease_keeps_a_delivery_to_its_worker_until_it_runs_out(engine_url: str) -> None:
    clock = VirtualClock(dt.datetime.now(dt.UTC))
    eng = hook_engine(engine_url, clock=clock)
    try:
        hooks = Webhooks(eng)
        hooks.add("http://127.0.0.1:9/x", ["document.released"])
        emit(eng, 1)
        Worker(eng, settings()).fan_out()
        policy, rng = Policy(), random.Random(1)
        with eng.transaction() as uow:
            (mine,) = claims.claim(uow.connection(), "A", clock.now(), 10, lease=60)
        with eng.transaction() as uow:  # leased: nobody else may take it
            assert claims.claim(uow.connection(), "B", clock.now(), 10, lease=60) == []
        clock.advance(dt.timedelta(seconds=61))  # A was killed, say: its lease runs out
        with eng.transaction() as uow:
            (theirs,) = claims.claim(uow.connection(), "B", clock.now(), 10, lease=60)
        assert theirs.delivery_id == mine.delivery_id
        ok = Outcome(True, 200)
        with eng.transaction() as uow:  # A comes back late: its outcome is not recorded
            assert claims.finish(uow.connection(), [(mine, ok)], "A", clock.now(), policy, rng) == ["lost"]
        with eng.transaction() as uow:
            assert claims.finish(uow.connection(), [(theirs, ok)], "B", clock.now(), policy,
                                 rng) == ["delivered"]
        with eng.transaction() as uow:  # marked once: a second success finds nothing to mark
            assert claims.finish(uow.connection(), [(theirs, ok)], "B", clock.now(), policy, rng) == ["lost"]
        (done,) = hooks.deliveries()
        assert done.status == "delivered" and done.attempts == 1
    finally:
        eng.close()


def test_counts_for_metrics(engine: Any) -> None:
    hooks = Webhooks(engine)
    with Receiver(answer=lambda n: 500).running() as receiver:
        _, receiver.secret = hooks.add(receiver.url, ["*"])
        emit(engine, 1)
        drain(engine)
    assert hooks.counts() == {"pending": 0, "delivered": 0, "dead": 2, "failed_attempts": 6}


def test_the_signature_verifies_only_the_body_secret_and_time_it_was_made_for() -> None:
    from werkstroom.service.webhooks.signing import signature_header

    body, now = b'{"kind":"document.released"}', 1_800_000_000
    header = signature_header("s3cret-s3cret-s3cret", now, body)
    assert header.startswith(f"t={now},v1=") and len(header.split("v1=")[1]) == 64
    assert verify("s3cret-s3cret-s3cret", header, body, now=now + 10)
    assert not verify("s3cret-s3cret-s3cret", header, body + b" ", now=now)  # body changed
    assert not verify("another-secret-here", header, body, now=now)  # wrong secret
    assert not verify("s3cret-s3cret-s3cret", header, body, now=now + 301)  # too old: a replay
    assert not verify("s3cret-s3cret-s3cret", header.replace(f"t={now}", f"t={now + 1}"), body, now=now)
    assert not verify("s3cret-s3cret-s3cret", "v1=abc", body, now=now)


APPROVAL = """\
workflow PIAPW-H "Purchase invoice approval (webhooks)"
  category PURCHDOC
  on PurchaseDocSentForApproval when document_type = Invoice and status = Open then
     create approval requests for approver chain, due in 2D
     send approval requests
"""


def test_a_subscription_to_entry_created_gets_one_delivery_per_new_entry(engine: Any) -> None:
    deploy(engine, APPROVAL, "approval.wf")
    engine.enable("PIAPW-H")
    engine.load_setup({"users": [{"id": "REQ", "approver": "ANN"},
                                 {"id": "ANN", "approver": "ANN", "purchase_limit": 1000}]})
    hooks = Webhooks(engine)
    with Receiver(secret="s" * 20).running() as receiver:
        sub, _ = hooks.add(receiver.url, ["approval.entry_created"], secret="s" * 20)
        engine.emit("PurchaseDocSentForApproval", {"document_type": "Invoice", "no": "P1", "status": "Open",
                                                   "amount": "500", "amount_lcy": "500"}, user="REQ")
        drain(engine)
    rows = hooks.deliveries(subscription_id=sub.id)
    assert [d.kind for d in rows] == ["approval.entry_created"] * 2
    assert {d.status for d in rows} == {"delivered"} and receiver.bad_signatures == 0
    bodies = [receiver.bodies[d.delivery_id] for d in rows]
    assert [(b["payload"]["approver"], b["payload"]["sequence_no"]) for b in bodies] == [("REQ", 1),
                                                                                        ("ANN", 2)]
    assert {b["payload"]["amount"] for b in bodies} == {"500.00"}  # money stays exact
    assert {o.kind for o in engine.outbox()} >= {"approval.entry_created", "notification.queued"}
