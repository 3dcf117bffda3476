from __future__ import annotations

from collections.abc import Iterator

import pytest

from werkstroom.engine.clock import SequentialIds, VirtualClock
from werkstroom.engine.facade import Engine, open_engine

from .lib import CALLS, LIBRARY


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


@pytest.fixture
def engine(engine_url: str, clock: VirtualClock) -> Iterator[Engine]:
    CALLS.clear()
    eng = open_engine(engine_url, clock=clock, ids=SequentialIds(), libraries=[LIBRARY], explain=True)
    try:
        yield eng
    finally:
        eng.close()
