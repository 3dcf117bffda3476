"""Injected time and identity: the engine never reads the wall clock or random ids directly."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from typing import Protocol


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current moment (timezone-aware UTC)."""


class SystemClock:
    """The real clock, for production use."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class VirtualClock:
    """A clock that only moves when told: for simulation and tests."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        start = start or dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
        if start.tzinfo is None:
            start = start.replace(tzinfo=dt.UTC)
        self._now = start

    def now(self) -> dt.datetime:
        return self._now

    def advance(self, delta: dt.timedelta) -> None:
        if delta < dt.timedelta(0):
            raise ValueError("a virtual clock does not go back")
        self._now += delta

    def set(self, moment: dt.datetime) -> None:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        if moment < self._now:
            raise ValueError("a virtual clock does not go back")
        self._now = moment


class IdSource(Protocol):
    def new_id(self, kind: str) -> str:
        """A new unique id for an object of ``kind`` (``instance``, ``entry``, ...)."""


class UuidIds:
    """Random UUIDs, for production."""

    def new_id(self, kind: str) -> str:
        return str(uuid.uuid4())


class SequentialIds:
    """Readable, repeatable ids (``instance-1``, ``entry-1``...): for simulation and tests.

    ``start`` lets a process that reopens a database continue after the ids already stored."""

    def __init__(self, start: int = 1) -> None:
        self._counters: dict[str, itertools.count[int]] = {}
        self._start = start

    def new_id(self, kind: str) -> str:
        counter = self._counters.setdefault(kind, itertools.count(self._start))
        return f"{kind}-{next(counter)}"
