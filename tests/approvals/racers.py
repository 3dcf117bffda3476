"""Concurrency tests' workers: each runs in its own OS process with its own engine on one database URL.

``race(target, n, *args)`` starts ``n`` processes that wait for each other at a barrier and then call
``target(*args)`` at once; it answers each process's result, or the error it raised (its traceback as
text). The processes come from a multiprocessing *forkserver* that imports this module (and so
Werkstroom and its catalogue) once, so they start in milliseconds instead of importing again; each
opens its own engine, as separate programs would.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import multiprocessing.forkserver
import os
import queue
import traceback
from collections.abc import Callable
from typing import Any

from werkstroom.binding.libraries import load_catalogue
from werkstroom.engine.clock import VirtualClock
from werkstroom.engine.facade import open_engine
from werkstroom.engine.notifications.dispatcher import dispatch

# read once, in the forkserver: every process forked from it opens its engines with it
CATALOGUE = load_catalogue()[0]

PROCESSES = 8


class Failed(str):
    """What a process raised: the text of its traceback."""


def race(target: Callable[..., Any], n: int, *args: Any, timeout: float = 60) -> list[Any]:
    """``target(*args)`` in ``n`` processes started together; their results (``Failed`` for an error)."""
    ctx = _forkserver()
    barrier = ctx.Barrier(n)
    answers = ctx.Queue()
    procs = [ctx.Process(target=_run, args=(i, barrier, answers, target, args)) for i in range(n)]
    for p in procs:
        p.start()
    results: dict[int, Any] = {}
    try:
        for _ in procs:
            i, value = answers.get(timeout=timeout)
            results[i] = value
    except queue.Empty:
        results.update({i: Failed("no answer in time") for i in range(n) if i not in results})
    for p in procs:
        p.join(10)
        if p.is_alive():
            p.kill()
    return [results[i] for i in range(n)]


def start(target: Callable[..., Any], *args: Any) -> tuple[Any, Any]:
    """``target(*args)`` in one process, started now: the process, and the queue that gets its answer
    (keep it until the process has ended: the process reads its parts when it starts)."""
    ctx = _forkserver()
    answers = ctx.Queue()
    proc = ctx.Process(target=_run, args=(0, None, answers, target, args))
    proc.start()
    return proc, answers


def _forkserver() -> Any:
    """The forkserver context, its server started with this module imported. The server does not take
    the test process's sys.path (Python 3.11), so it is told where this module is by PYTHONPATH."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([__name__])
    before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join([os.path.dirname(os.path.abspath(__file__)),
                                                *([before] if before else [])])
    try:
        multiprocessing.forkserver.ensure_running()  # (nothing when it runs already)
    finally:
        if before is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = before
    return ctx


def _run(i: int, barrier: Any, answers: Any, target: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        if barrier is not None:
            barrier.wait(30)
        value: Any = target(*args)
    except BaseException:
        value = Failed(traceback.format_exc())
    answers.put((i, value))


# ----------------------------------------------------------------------------- the workers


def open_store(url: str) -> str:
    """Open (create or upgrade) the store, as every program using Werkstroom does."""
    open_engine(url, catalogue=CATALOGUE).close()
    return "opened"


def dispatch_due(url: str, now: dt.datetime) -> tuple[int, int]:
    """One run of the notification dispatcher (``wf notifications dispatch``): (entries sent, failures)."""
    with open_engine(url, clock=VirtualClock(now), catalogue=CATALOGUE) as eng, eng.transaction() as uow:
        report = dispatch(uow, now)
    return report.entries_sent, len(report.failures)


def run_timers(url: str, now: dt.datetime) -> int:
    """One run of the timers (``wf timers``): the number of approval requests it delegated."""
    with open_engine(url, clock=VirtualClock(now), catalogue=CATALOGUE) as eng:
        result = eng.run_timers()
    return sum(1 for h in result.handled if h.event == "ApprovalRequestDelegated")
