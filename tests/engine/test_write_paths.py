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
