"""The engine's prepared write paths: the instance counter with and without UPDATE ... RETURNING."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from werkstroom.store.database import make_engine, next_counter, upgrade
from werkstroom.store.driver import Db


@pytest.mark.parametrize("returning", [True, False], ids=["update-returning", "update-then-select"])
def test_next_counter_counts_from_one_per_name(engine_url: str, returning: bool,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    sa = make_engine(engine_url)
    try:
        upgrade(sa)
        # an older SQLite (< 3.35) has no UPDATE ... RETURNING: the counter updates, then selects
        monkeypatch.setattr(sa.dialect, "update_returning", returning)
        with Session(sa) as s, s.begin():
            db = Db(s.connection())
            assert [next_counter(db, "a") for _ in range(3)] == [1, 2, 3]
            assert next_counter(db, "b") == 1
        with Session(sa) as s, s.begin():
            db = Db(s.connection())
            assert next_counter(db, "a") == 4 and next_counter(db, "b") == 2
    finally:
        sa.dispose()


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.integers(min_value=1, max_value=500),
                       st.sampled_from(["Inactive", "Active", "Completed", "Ignored", "Odd \"status\""]),
                       max_size=20))
def test_step_states_text_is_json_and_round_trips(states: dict[int, str]) -> None:
    import json

    from werkstroom.store.database import decode_step_states, encode_step_states

    text = encode_step_states(states)
    expected = {str(k): v for k, v in sorted(states.items()) if v != "Inactive"}
    assert text == json.dumps(expected, separators=(",", ":"))
    assert decode_step_states(text) == {k: v for k, v in states.items() if v != "Inactive"}


def test_transactions_creating_a_counter_at_once_each_get_their_own_value(engine_url: str) -> None:
    """On a fresh store the first transactions to start an instance create the counter row; when several
    do so at once (threads or processes), each still gets its own value and none fails on the key."""
    import threading
    import time

    sa = make_engine(engine_url)
    try:
        upgrade(sa)
        barrier = threading.Barrier(6)
        got: list[object] = []

        def take() -> None:
            barrier.wait()
            try:
                with Session(sa) as s, s.begin():
                    got.append(next_counter(Db(s.connection()), "race"))
                    time.sleep(0.05)  # the others reach the counter while this one holds its row
            except Exception as exc:  # collected and checked below
                got.append(exc)

        threads = [threading.Thread(target=take) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(got, key=repr) == sorted(range(1, 7), key=repr), got
    finally:
        sa.dispose()
