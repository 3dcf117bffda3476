"""Prepared statements run on the driver (werkstroom.store.driver), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from werkstroom.engine.clock import SequentialIds, VirtualClock
from werkstroom.engine.unit import UnitOfWork
from werkstroom.store import driver as sql
from werkstroom.store.approvals import ApprovalEntry
from werkstroom.store.database import CounterRow, RecordStateRow, make_engine, upgrade
from werkstroom.store.driver import Observers, Statement, UnsupportedStatement

STATES = RecordStateRow.__table__
COUNTERS = CounterRow.__table__
ENTRIES = ApprovalEntry.__table__
NOW = dt.datetime(2026, 3, 1, 12, 30, 15, 250000, tzinfo=dt.UTC)

INSERT_STATE = Statement(insert(STATES), columns=["record_type", "record_key", "status", "restricted",
                                                  "restriction_reason", "updated_at"])
GET_STATE = Statement(select(STATES.c.status, STATES.c.restricted, STATES.c.updated_at)
                      .where(STATES.c.record_type == bindparam("rt")).order_by(STATES.c.record_key))
UPDATE_STATE = Statement(update(STATES).where(STATES.c.record_type == bindparam("b_rt"),
                                              STATES.c.record_key == bindparam("b_rk"))
                         .values(status=bindparam("b_status")))
BUMP = Statement(update(COUNTERS).where(COUNTERS.c.name == bindparam("n"))
                 .values(value=COUNTERS.c.value + 1).returning(COUNTERS.c.value))


@pytest.fixture
def sa(engine_url: str) -> Iterator[Engine]:
    eng = make_engine(engine_url)
    upgrade(eng)
    with eng.begin() as conn:
        for table in (STATES, COUNTERS, ENTRIES):
            conn.execute(table.delete())
    yield eng
    eng.dispose()


def unit(s: Session) -> UnitOfWork:
    return UnitOfWork(s, VirtualClock(NOW), SequentialIds())


def state(key: str, restricted: bool = True) -> dict[str, Any]:
    return {"record_type": "T", "record_key": key, "status": "Open", "restricted": restricted,
            "restriction_reason": "", "updated_at": NOW}


def test_values_round_trip_through_the_column_types(sa: Engine) -> None:
    with Session(sa) as s, s.begin():
        db = unit(s).db
        assert db.executemany(INSERT_STATE, [state("a"), state("b", restricted=False)]) == 2
        rows = db.rows(GET_STATE, {"rt": "T"})
    # booleans come back as bool, datetimes as aware UTC (as the ORM reads them)
    assert rows == [("Open", True, NOW), ("Open", False, NOW)]
    with Session(sa) as s:
        got = s.get(RecordStateRow, ("T", "a"))
        assert got is not None and got.restricted is True and got.updated_at == NOW


def test_money_is_decimal_both_ways(sa: Engine) -> None:
    cols = [c.key for c in ENTRIES.columns]
    ins = Statement(insert(ENTRIES), columns=cols)
    get = Statement(select(ENTRIES.c.amount, ENTRIES.c.due_date).where(ENTRIES.c.id == bindparam("id")))
    row = {c: None for c in cols} | {
        "id": "e1", "entry_no": 1, "record_type": "T", "record_key": "k", "instance_id": "i",
        "approval_code": "", "document_type": "", "document_no": "", "sequence_no": 1, "sender_id": "A",
        "approver_id": "B", "status": "Open", "salespers_purch_code": "", "amount": Decimal("1234.56"),
        "amount_lcy": Decimal("1234.56"), "currency_code": "", "available_credit_limit_lcy": Decimal(0),
        "approval_type": "Approver", "limit_type": "Approver Chain", "date_time_sent_for_approval": NOW,
        "last_date_time_modified": NOW, "last_modified_by_user_id": "A", "due_date": dt.date(2026, 3, 3),
        "delegation_date_formula": "", "refuse_self_approval": False, "overdue_reminders": False}
    with Session(sa) as s, s.begin():
        db = unit(s).db
        db.executemany(ins, [row])
        amount, due = db.first(get, {"id": "e1"}) or (None, None)
    assert isinstance(amount, Decimal) and amount == Decimal("1234.56")
    assert due == dt.date(2026, 3, 3)


def test_literal_values_compiled_into_a_statement_are_sent(sa: Engine) -> None:
    with Session(sa) as s, s.begin():
        s.execute(insert(COUNTERS).values(name="x", value=41))
        db = unit(s).db
        assert db.scalar(BUMP, {"n": "x"}) == 42
        assert db.scalar(BUMP, {"n": "nothing"}) is None


def test_driver_errors_are_sqlalchemy_errors(sa: Engine) -> None:
    with Session(sa) as s, s.begin():
        db = unit(s).db
        db.executemany(INSERT_STATE, [state("a")])
        with pytest.raises(IntegrityError):
            db.executemany(INSERT_STATE, [state("a")])
        s.rollback()


def test_a_missing_parameter_and_an_expanding_one_are_programming_errors(sa: Engine) -> None:
    with Session(sa) as s, s.begin():
        db = unit(s).db
        with pytest.raises(UnsupportedStatement, match="rt"):
            db.rows(GET_STATE, {})
        in_list = Statement(select(STATES.c.status).where(STATES.c.record_key.in_(bindparam("keys",
                                                                                            expanding=True))))
        with pytest.raises(UnsupportedStatement, match="expanding"):
            db.rows(in_list, {"keys": ["a"]})


def test_observers_see_every_statement(sa: Engine) -> None:
    seen: list[tuple[str, Any, bool]] = []
    with Session(sa) as s, s.begin():
        uow = unit(s)
        with uow.watch_statements(lambda text, params, many: seen.append((text, params, many))):
            uow.db.executemany(INSERT_STATE, [state("a")])
        uow.db.executemany(INSERT_STATE, [state("b")])  # after the block: not seen
    assert len(seen) == 1 and seen[0][0].startswith("INSERT INTO wf_record_state") and seen[0][2] is True


def test_observers_see_only_their_own_units_of_work(sa: Engine) -> None:
    watched, other = Observers(), Observers()
    seen: list[str] = []
    with watched.watching(lambda text, params, many: seen.append(text.split()[0])):
        uow = UnitOfWork.begin(sa, VirtualClock(NOW), SequentialIds(), observers=other)
        uow.db.executemany(INSERT_STATE, [state("a")])
        uow.commit()
    assert seen == []


class Pending:
    """A repository holding record states to write: written by ``flush`` alone."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.rows: list[dict[str, Any]] = []

    def flush(self) -> None:
        rows, self.rows = self.rows, []
        if rows:
            self.uow.db.executemany(INSERT_STATE, rows)


def test_repositories_write_when_the_unit_of_work_flushes_and_before_it_commits(sa: Engine) -> None:
    seen: list[str] = []
    uow = UnitOfWork.begin(sa, VirtualClock(NOW), SequentialIds())
    held = Pending(uow)
    uow.add_flusher("pending", held)
    with uow.watch_statements(lambda text, params, many: seen.append(text.split()[0])):
        held.rows.append(state("a"))
        # another statement does not write what the repository holds
        assert uow.db.rows(GET_STATE, {"rt": "T"}) == []
        assert seen == ["SELECT"]
        uow.flush()
        assert [r[0] for r in uow.db.rows(GET_STATE, {"rt": "T"})] == ["Open"]
        held.rows.append(state("b"))
        # nor does an ORM statement
        assert uow.session.scalar(select(func.count()).select_from(RecordStateRow)) == 1
        uow.commit()  # the commit flushes first (then commits through the session's connection)
    assert seen == ["SELECT", "INSERT", "SELECT", "INSERT"]
    with Session(sa) as s:
        assert sorted(s.scalars(select(RecordStateRow.record_key))) == ["a", "b"]


def test_what_repositories_hold_is_dropped_on_rollback(sa: Engine) -> None:
    uow = UnitOfWork.begin(sa, VirtualClock(NOW), SequentialIds())
    held = Pending(uow)
    uow.add_flusher("pending", held)
    held.rows.append(state("a"))
    uow.rollback()
    uow.flush()  # nothing registered any more
    assert held.rows == [state("a")]
    with Session(sa) as s:
        assert list(s.scalars(select(RecordStateRow.record_key))) == []


def test_a_session_based_unit_of_work_starts_over_with_the_sessions_next_transaction(sa: Engine) -> None:
    with Session(sa) as s:
        s.begin()
        uow = unit(s)
        first = uow.db
        held = Pending(uow)
        uow.add_flusher("pending", held)
        uow.info["cache"] = 1
        held.rows.append(state("a"))
        s.rollback()
        with s.begin():
            assert uow.db is not first and uow.info == {}
            uow.flush()  # the repository of the rolled back transaction is not flushed into this one
            assert held.rows == [state("a")]
            held = Pending(uow)
            uow.add_flusher("pending", held)
            held.rows.append(state("b"))
            uow.flush()  # the session's owner flushes before it commits
    with Session(sa) as s:
        assert list(s.scalars(select(RecordStateRow.record_key))) == ["b"]


def test_a_unit_of_work_begun_on_the_driver_commits_and_returns_its_connection(sa: Engine) -> None:
    clock, ids = VirtualClock(NOW), SequentialIds()
    uow = UnitOfWork.begin(sa, clock, ids)
    uow.db.executemany(INSERT_STATE, [state("a")])
    assert uow.session_if_made is None
    uow.commit()
    # the ORM path: the SQLAlchemy connection and session join the driver's transaction
    uow = UnitOfWork.begin(sa, clock, ids)
    uow.db.executemany(INSERT_STATE, [state("b")])
    uow.session.add(CounterRow(name="orm", value=1))
    assert uow.session_if_made is not None
    assert sorted(uow.session.scalars(select(RecordStateRow.record_key))) == ["a", "b"]
    uow.commit()
    with Session(sa) as s:
        assert sorted(s.scalars(select(RecordStateRow.record_key))) == ["a", "b"]
        assert s.get(CounterRow, "orm") is not None
    assert sa.pool.checkedout() == 0  # type: ignore[attr-defined]


@pytest.mark.parametrize("with_session", [False, True], ids=["driver-only", "with-session"])
def test_a_unit_of_work_begun_on_the_driver_rolls_back(sa: Engine, with_session: bool) -> None:
    uow = UnitOfWork.begin(sa, VirtualClock(NOW), SequentialIds())
    uow.db.executemany(INSERT_STATE, [state("a")])
    if with_session:
        uow.session.add(CounterRow(name="orm", value=1))
        uow.session.flush()
    uow.rollback()
    with Session(sa) as s:
        assert list(s.scalars(select(RecordStateRow.record_key))) == []
        assert s.get(CounterRow, "orm") is None
    assert sa.pool.checkedout() == 0  # type: ignore[attr-defined]


def test_a_failing_commit_rolls_back_and_returns_the_connection(sa: Engine) -> None:
    uow = UnitOfWork.begin(sa, VirtualClock(NOW), SequentialIds())
    uow.db.executemany(INSERT_STATE, [state("a")])
    # a repository's write that fails at commit time: nothing of the unit of work stays
    held = Pending(uow)
    uow.add_flusher("pending", held)
    held.rows.append(state("a"))
    with pytest.raises(IntegrityError):
        uow.commit()
    with Session(sa) as s:
        assert list(s.scalars(select(RecordStateRow.record_key))) == []
    assert sa.pool.checkedout() == 0  # type: ignore[attr-defined]


def test_observers_see_the_driver_commits_and_rollbacks(sa: Engine) -> None:
    seen: list[str] = []
    observers = Observers()
    with observers.watching(lambda text, params, many: seen.append(text.split()[0])):
        uow = UnitOfWork.begin(sa, VirtualClock(NOW), SequentialIds(), observers=observers)
        uow.db.executemany(INSERT_STATE, [state("a")])
        uow.commit()
        uow = UnitOfWork.begin(sa, VirtualClock(NOW), SequentialIds(), observers=observers)
        uow.rollback()
    assert seen == ["INSERT", "COMMIT", "ROLLBACK"]


@settings(max_examples=300, deadline=None)
@given(value=st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31),
                          timezones=st.none() | st.just(dt.UTC) | st.builds(
                              dt.timezone, st.timedeltas(min_value=dt.timedelta(hours=-23),
                                                         max_value=dt.timedelta(hours=23)))))
def test_the_fast_sqlite_datetime_binds_write_what_sqlalchemy_writes(value: dt.datetime) -> None:
    from sqlalchemy import DateTime, TypeDecorator
    from sqlalchemy.dialects import sqlite

    from werkstroom.store.database import UtcDateTime

    dialect = sqlite.dialect()
    for type_ in (DateTime(), DateTime(timezone=True), UtcDateTime()):
        ours = sql.bind_processor(type_, dialect)
        impl = type_.dialect_impl(dialect)
        # SQLAlchemy's own processor (for UtcDateTime: TypeDecorator's, not the shortcut it adds)
        theirs = (TypeDecorator.bind_processor(impl, dialect) if isinstance(impl, TypeDecorator)
                  else impl.bind_processor(dialect))
        assert ours is not None and theirs is not None
        try:
            expected = theirs(value)
        except OverflowError:  # an aware time near year 1 or 9999 that cannot move to UTC
            continue
        assert ours(value) == expected


def test_kept_connections_are_reused_per_thread_and_returned_on_close(tmp_path: Any) -> None:
    import threading

    from werkstroom.engine.unit import KeptConnections

    eng = make_engine(f"sqlite:///{tmp_path / 'kept.db'}")
    upgrade(eng)
    keeper = KeptConnections(eng)
    clock, ids = VirtualClock(NOW), SequentialIds()
    drivers = []
    for key in ("a", "b"):
        uow = UnitOfWork.begin(eng, clock, ids, keeper=keeper)
        drivers.append(uow.db._raw)
        uow.db.executemany(INSERT_STATE, [state(key)])
        uow.commit()
    assert drivers[0] is drivers[1] and eng.pool.checkedout() == 1  # type: ignore[attr-defined]
    # a failed unit of work rolls back and still gives the connection back, usable
    uow = UnitOfWork.begin(eng, clock, ids, keeper=keeper)
    uow.db.executemany(INSERT_STATE, [state("c")])
    uow.rollback()
    uow = UnitOfWork.begin(eng, clock, ids, keeper=keeper)
    assert [r[0] for r in uow.db.rows(GET_STATE, {"rt": "T"})] == ["Open", "Open"]
    uow.commit()
    # another thread gets its own
    other: list[Any] = []

    def work() -> None:
        u = UnitOfWork.begin(eng, clock, ids, keeper=keeper)
        other.append(u.db._raw)
        u.commit()

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert other[0] is not drivers[0] and eng.pool.checkedout() == 2  # type: ignore[attr-defined]
    keeper.close()
    assert eng.pool.checkedout() == 0  # type: ignore[attr-defined]
    eng.dispose()


def test_a_datetime_decorator_without_its_own_bind_conversion_keeps_sqlalchemys_processor() -> None:
    from sqlalchemy import DateTime, TypeDecorator
    from sqlalchemy.dialects import sqlite

    class Plain(TypeDecorator[dt.datetime]):
        impl = DateTime
        cache_ok = True

    dialect = sqlite.dialect()
    ours = sql.bind_processor(Plain(), dialect)
    assert ours is not None and ours(dt.datetime(2026, 1, 2, 3, 4, 5)) == "2026-01-02 03:04:05.000000"


@settings(max_examples=200, deadline=None)
@given(day=st.dates(), flag=st.booleans())
def test_the_fast_sqlite_date_and_boolean_binds_write_what_sqlalchemy_writes(day: dt.date,
                                                                           flag: bool) -> None:
    from sqlalchemy import Boolean, Date
    from sqlalchemy.dialects import sqlite

    dialect = sqlite.dialect()
    for type_, value in ((Date(), day), (Boolean(), flag)):
        ours = sql.bind_processor(type_, dialect)
        theirs = type_.dialect_impl(dialect).bind_processor(dialect)
        assert ours is not None and theirs is not None and ours is not theirs
        assert ours(value) == theirs(value)
    # what SQLAlchemy refuses stays refused
    with pytest.raises(TypeError):
        sql.bind_processor(Date(), dialect)("2026-01-05")  # type: ignore[misc]
    with pytest.raises(TypeError):
        sql.bind_processor(Boolean(), dialect)("yes")  # type: ignore[misc]


def test_no_more_connections_are_kept_than_the_pool_holds(tmp_path: Any) -> None:
    import threading

    from sqlalchemy import create_engine

    from werkstroom.engine.unit import KeptConnections

    eng = create_engine(f"sqlite:///{tmp_path / 'small.db'}", pool_size=2, max_overflow=10)
    keeper = KeptConnections(eng)
    barrier = threading.Barrier(4)

    def work() -> None:
        pooled = keeper.take()
        barrier.wait()  # all four hold one at once
        keeper.give_back(pooled)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert eng.pool.checkedout() == 2  # type: ignore[attr-defined]
    keeper.close()
    assert eng.pool.checkedout() == 0  # type: ignore[attr-defined]
    eng.dispose()


def test_the_made_converters_pick_constants_values_and_conversions_in_order() -> None:
    from werkstroom.store.driver import _converter

    def twice(x: Any) -> Any:
        return x * 2

    items = [("get", "a", None), ("const", "fixed", None), ("get", "b", twice), ("get", "c", twice)]
    as_tuple = _converter(items, None)
    assert as_tuple({"a": 1, "b": 2, "c": None, "extra": 9}) == (1, "fixed", 4, None)
    as_dict = _converter(items, ["a", "k", "b", "c"])
    assert as_dict({"a": 1, "b": "x", "c": 3}) == {"a": 1, "k": "fixed", "b": "xx", "c": 6}
    rows = _converter([("get", 0, None), ("get", 1, str)], None)
    assert rows((7, 8)) == (7, "8") and rows([None, None]) == (None, None)
    with pytest.raises(KeyError):
        as_tuple({"a": 1})
    assert _converter([], None)({}) == ()


def test_a_failing_write_raises_by_commit_and_nothing_of_the_unit_is_kept(sa: Engine) -> None:
    # on PostgreSQL the writes of a unit of work begun on the driver are pipelined: a failing one
    # raises at the next read or at commit, as the same SQLAlchemy error, and the whole unit is undone
    clock, ids = VirtualClock(NOW), SequentialIds()
    uow = UnitOfWork.begin(sa, clock, ids)
    uow.db.write_many(INSERT_STATE, [state("a")])
    uow.commit()
    uow = UnitOfWork.begin(sa, clock, ids)
    uow.db.write_many(INSERT_STATE, [state("b")])
    with pytest.raises(IntegrityError):  # at the write on SQLite, at the read on PostgreSQL
        uow.db.write_many(INSERT_STATE, [state("a")])  # duplicate key
        uow.db.rows(GET_STATE, {"rt": "T"})
    uow.rollback()
    uow = UnitOfWork.begin(sa, clock, ids)
    uow.db.write(UPDATE_STATE, {"b_status": "Released", "b_rt": "T", "b_rk": "a"})
    with pytest.raises(IntegrityError):  # at the write on SQLite, at the commit on PostgreSQL
        uow.db.write_many(INSERT_STATE, [state("a")])  # duplicate key, no read before commit
        uow.commit()
    if sa.dialect.name == "sqlite":  # the write raised: the unit is still open (a failed commit ends it)
        uow.rollback()
    uow = UnitOfWork.begin(sa, clock, ids)  # the connection is usable again
    assert [r[0] for r in uow.db.rows(GET_STATE, {"rt": "T"})] == ["Open"]
    assert uow.db.execute(UPDATE_STATE, {"b_status": "Released", "b_rt": "T", "b_rk": "a"}) == 1
    uow.commit()
    assert sa.pool.checkedout() == 0  # type: ignore[attr-defined]


def test_reads_sent_ahead_answer_later_reads_and_never_outlive_a_write(sa: Engine) -> None:
    # Db.ahead (PostgreSQL): reads sent before they are asked for answer rows()/first() of the same
    # statement and parameters; any later write (a repository's at a flush too) or the end of the unit
    # drops them, so a read never answers with rows older than the unit's own writes. SQLite runs
    # reads when asked.
    clock, ids = VirtualClock(NOW), SequentialIds()
    uow = UnitOfWork.begin(sa, clock, ids)
    uow.db.write_many(INSERT_STATE, [state("a"), state("b")])
    uow.commit()
    seen: list[str] = []
    observers = Observers()
    uow = UnitOfWork.begin(sa, clock, ids, observers=observers)
    db = uow.db

    class Release:
        def flush(self) -> None:
            db.write(UPDATE_STATE, {"b_status": "Released", "b_rt": "T", "b_rk": "b"})

    try:
        with observers.watching(lambda statement, params, many: seen.append(statement)):
            one = {"rt": "T"}
            with pytest.raises(UnsupportedStatement):  # only reads are sent ahead
                db.ahead([(BUMP, {"n": "none"})])
            db.ahead([(GET_STATE, one)])
            sent = len(seen)
            assert [r[0] for r in db.rows(GET_STATE, one)] == ["Open", "Open"]
            assert len(seen) == (sent if sa.dialect.name != "sqlite" else sent + 1)  # taken, not sent again
            # a write drops what was sent ahead: the next read sees the write
            db.ahead([(GET_STATE, one)])
            db.write(UPDATE_STATE, {"b_status": "Released", "b_rt": "T", "b_rk": "a"})
            assert [r[0] for r in db.rows(GET_STATE, one)] == ["Released", "Open"]
            # so does a repository's write when the unit of work flushes before the read
            db.ahead([(GET_STATE, one)])
            uow.add_flusher("release", Release())
            uow.flush()
            assert [r[0] for r in db.rows(GET_STATE, one)] == ["Released", "Released"]
            # other parameters are another read; answers not taken are dropped at commit
            db.ahead([(GET_STATE, {"rt": "other"})])
            assert db.rows(GET_STATE, one) != []
    except BaseException:
        uow.rollback()  # a failure must not leave the transaction (and its locks) open
        raise
    uow.commit()
    uow = UnitOfWork.begin(sa, clock, ids)
    assert [r[0] for r in uow.db.rows(GET_STATE, {"rt": "T"})] == ["Released", "Released"]
    uow.commit()
    assert sa.pool.checkedout() == 0  # type: ignore[attr-defined]
