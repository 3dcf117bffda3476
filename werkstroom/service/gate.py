"""The gate every use of the store goes through in the service and its workers.

SQLite has one writer at a time. A second thread or process that wants to write waits in SQLite's
busy handler, which sleeps and tries again (1 ms, 2 ms, 5 ms, ...): under load most of a request's
time would be spent asleep. So on SQLite the service takes turns itself: ``StoreGate`` lets one thread
of a process in at a time, and one process of those using the same database file at a time, by an
exclusive lock (``flock``) on a file beside it (``<database>.gate``), for which a process waits in the
kernel and is woken as soon as the lock is free. `wf serve --workers N` and `wf worker` on the same
SQLite file thus share its one writer without sleeping. Where ``flock`` is missing (Windows) and for
an in-memory database the gate is the thread lock alone. On PostgreSQL there is no gate: its row locks
order the writers.
"""

from __future__ import annotations

import os
import threading
import weakref
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from sqlalchemy.engine import make_url

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


class StoreGate:
    """One thread of this process at a time and, with ``path``, one process at a time (see the
    module). Held around a use of the store; not reentrant."""

    def __init__(self, path: str | None = None) -> None:
        self._thread = threading.Lock()
        self.path = path if fcntl is not None else None
        self._fd: int | None = None
        if self.path is not None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            weakref.finalize(self, os.close, self._fd)

    def __enter__(self) -> None:
        self._thread.acquire()
        if self._fd is not None:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX)
            except BaseException:
                self._thread.release()
                raise

    def __exit__(self, *exc: object) -> None:
        try:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._thread.release()


def gate_path(url: str) -> str | None:
    """The gate file of the SQLite database at ``url`` (None: in memory)."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return os.path.abspath(database) + ".gate"


def store_gate(url: str) -> AbstractContextManager[Any]:
    """The gate for the store at ``url``: a ``StoreGate`` on SQLite, nothing on PostgreSQL."""
    if not url.startswith("sqlite"):
        return nullcontext()
    return StoreGate(gate_path(url))
