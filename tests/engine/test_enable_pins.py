"""Enabling compares a workflow only with the enabled workflows on its event that pin the same values
(or pin none of its fields), found through ``wf_workflow_pin`` without reading the others; the
overlap refusal (WF428) still catches every overlap. SQLite and PostgreSQL."""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, event, text

from tests.binder.fakecat import RECORDS
from werkstroom.binding.overlap import apart, both, pins
from werkstroom.binding.program import BAnd, BConst, BExpr, BField, BIn, BNot, BOr, BoundWorkflow
from werkstroom.catalogue.specs import FieldKind as K
from werkstroom.engine import pinned
from werkstroom.engine.clock import SequentialIds, VirtualClock
from werkstroom.engine.facade import Engine, open_engine
from werkstroom.engine.lifecycle import EnableRefused
from werkstroom.store import pins as stored_pins

from .lib import LIBRARY, W, c, cmp, f


def _open(url: str) -> Engine:
    return open_engine(url, clock=VirtualClock(), ids=SequentialIds(1), libraries=[LIBRARY])


def vendor(*codes: str) -> BExpr:
    field = f("vendor_no", K.CODE)
    if len(codes) == 1:
        return cmp(field, "=", c(codes[0], K.CODE))
    return BIn(field, tuple(c(v, K.CODE) for v in codes))


def doc_type(*types: str) -> BExpr:
    field = f("document_type", K.ENUM)
    if len(types) == 1:
        return cmp(field, "=", c(types[0], K.ENUM))
    return BIn(field, tuple(c(t, K.ENUM) for t in types))


def amount(op: str, value: int) -> BExpr:
    return cmp(f("amount"), op, c(value))


def workflow(code: str, *parts: BExpr, event: str = "DocSent") -> BoundWorkflow:
    w = W(code)
    w.chain(w.event(event, None, BAnd(parts) if len(parts) > 1 else parts[0] if parts else None), "restrict")
    return w.build()


def put(eng: Engine, wf: BoundWorkflow, *, allow_overlap: bool | None = None) -> BoundWorkflow:
    eng.deploy_workflow(wf)
    eng.enable(wf.code, allow_overlap=allow_overlap)
    return wf


def compared(eng: Engine, wf: BoundWorkflow) -> list[str]:
    """The enabled workflows enabling ``wf`` would compare it with."""
    with eng.transaction() as uow:
        return [code for code, _ in pinned.candidates(uow.session, wf)]


def refused_by(eng: Engine, wf: BoundWorkflow) -> set[str]:
    eng.deploy_workflow(wf)
    with pytest.raises(EnableRefused) as err:
        eng.enable(wf.code)
    found = [d for d in err.value.diagnostics if d.code == "WF428"]
    assert found, err.value.diagnostics
    named = ("V1-BIG", "V1-SMALL", "V2-BIG", "NOPIN", "INV")
    return {code for d in found for code in named if f"workflow {code} " in d.message}


def test_workflows_pinning_other_values_are_not_compared_and_the_same_value_is(engine_url: str) -> None:
    eng = _open(engine_url)
    try:
        put(eng, workflow("V1-BIG", vendor("V1"), amount(">", 1000)))
        v2 = workflow("V2-BIG", vendor("V2"), amount(">", 1000))
        assert compared(eng, v2) == []
        put(eng, v2)
        small = workflow("V1-SMALL", vendor("V1"), amount("<=", 1000))
        assert compared(eng, small) == ["V1-BIG"]
        put(eng, small)  # compared, and exclusive: enabled
        # the same vendor with an overlapping amount is refused; its witness names the vendor
        assert refused_by(eng, workflow("V1-MID", vendor("V1"), amount(">", 500))) == {"V1-BIG", "V1-SMALL"}
        assert compared(eng, workflow("V3", vendor("V3"))) == []
        # a list of vendors is compared with each of them (and one of them overlaps)
        assert compared(eng, workflow("V23", vendor("V2", "V3"), amount(">", 5000))) == ["V2-BIG"]
        # case does not tell codes apart
        assert compared(eng, workflow("LOWER", vendor("v1"))) == ["V1-BIG", "V1-SMALL"]
    finally:
        eng.close()


def test_a_workflow_pinning_nothing_is_compared_with_every_one_on_its_event(engine_url: str) -> None:
    eng = _open(engine_url)
    try:
        put(eng, workflow("V1-BIG", vendor("V1"), amount(">", 1000)))
        put(eng, workflow("V2-BIG", vendor("V2"), amount(">", 1000)))
        put(eng, workflow("INV", doc_type("Invoice"), vendor("V3")))
        put(eng, workflow("OTHER-EVENT", vendor("V1"), event="DocCanceled"))
        nopin = workflow("NOPIN", amount(">", 100_000))
        assert compared(eng, nopin) == ["INV", "V1-BIG", "V2-BIG"]
        assert refused_by(eng, nopin) == {"V1-BIG", "V2-BIG", "INV"}
        put(eng, nopin, allow_overlap=True)
        # and every workflow enabled later is compared with it, whatever it pins
        later = workflow("V9", vendor("V9"), amount(">", 10))
        assert compared(eng, later) == ["NOPIN"]
        assert refused_by(eng, later) == {"NOPIN"}
    finally:
        eng.close()


def test_workflows_pinning_other_fields_or_several_are_compared_where_they_can_meet(engine_url: str) -> None:
    eng = _open(engine_url)
    try:
        put(eng, workflow("INV-V1", doc_type("Invoice"), vendor("V1")))
        put(eng, workflow("ORD-V1", doc_type("Order"), vendor("V1")))
        put(eng, workflow("INV-V2", doc_type("Invoice"), vendor("V2")))
        put(eng, workflow("V3", vendor("V3")))
        # pins both fields: its own combinations are looked up
        both_types = workflow("Q", doc_type("Order", "Invoice"), vendor("V1"))
        assert compared(eng, both_types) == ["INV-V1", "ORD-V1"]
        assert compared(eng, workflow("Q", doc_type("Quote"), vendor("V1"))) == []
        # pins one of the two: the workflows sharing a value on it, and those pinning only the other field
        assert compared(eng, workflow("Q", vendor("V1"))) == ["INV-V1", "ORD-V1"]
        assert compared(eng, workflow("Q", doc_type("Invoice"))) == ["INV-V1", "INV-V2", "V3"]
        assert compared(eng, workflow("Q", doc_type("Quote"), vendor("V3"))) == ["V3"]
        # an `or` pins what both sides pin, field by field: (Order, V1) is among its combinations though
        # no record meets both (the solver tells, as it does for every workflow compared)
        either = BOr((BAnd((doc_type("Order"), vendor("V2"))), BAnd((doc_type("Quote"), vendor("V1")))))
        assert compared(eng, workflow("Q", either)) == ["ORD-V1"]
        assert compared(eng, workflow("Q", BNot(vendor("V1")))) == ["INV-V1", "INV-V2", "ORD-V1", "V3"]
        assert put(eng, workflow("EITHER", either))  # compared with ORD-V1, and no record meets both
    finally:
        eng.close()


def test_disabling_and_new_versions_keep_the_pins_current(engine_url: str) -> None:
    eng = _open(engine_url)
    try:
        put(eng, workflow("A", vendor("V1")))
        probe_v1, probe_v9 = workflow("P", vendor("V1")), workflow("P", vendor("V9"))
        assert compared(eng, probe_v1) == ["A"]
        eng.disable("A")
        assert compared(eng, probe_v1) == []
        eng.enable("A")
        assert compared(eng, probe_v1) == ["A"]
        eng.deploy_workflow(workflow("A", vendor("V9")))  # a new version goes live
        assert (compared(eng, probe_v1), compared(eng, probe_v9)) == ([], ["A"])
        eng.deploy_workflow(workflow("A", vendor("V9"), event="DocCanceled"))
        assert compared(eng, probe_v9) == []
        assert compared(eng, workflow("P", vendor("V9"), event="DocCanceled")) == ["A"]
        eng.disable("A")
        eng.delete("A")
        with eng.transaction() as uow:
            assert uow.session.execute(text("SELECT COUNT(*) FROM wf_workflow_pin")).scalar() == 0
    finally:
        eng.close()


def test_a_version_3_store_gets_its_pins_at_open(engine_url: str) -> None:
    eng = _open(engine_url)
    put(eng, workflow("V1-BIG", vendor("V1"), amount(">", 1000)))
    put(eng, workflow("V2-BIG", vendor("V2"), amount(">", 1000)))
    put(eng, workflow("OFF", vendor("V1")), allow_overlap=True)
    eng.disable("OFF")
    eng.close()
    raw = create_engine(engine_url)
    with raw.begin() as conn:  # as schema version 3 left it
        conn.execute(text("DROP TABLE wf_workflow_pin"))
        for table in ("wf_api_token", "wf_auth_failure"):  # nor the service's tables (version 5)
            conn.execute(text(f"DROP TABLE {table}"))
        for table in ("wf_webhook_delivery", "wf_webhook_subscription"):  # nor the webhooks' (6)
            conn.execute(text(f"DROP TABLE {table}"))
        for table in ("wf_user_password", "wf_inbox_session", "wf_link_use", "wf_service_secret"):
            conn.execute(text(f"DROP TABLE {table}"))  # nor the inbox's (version 7)
        conn.execute(text("ALTER TABLE wf_approval_user_setup DROP COLUMN language"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0003'"))
        conn.execute(text("UPDATE wf_schema_version SET version = 3"))
    raw.dispose()
    eng = _open(engine_url)
    try:
        assert compared(eng, workflow("P", vendor("V1"))) == ["V1-BIG"]
        assert refused_by(eng, workflow("V1-ALL", vendor("V1"))) == {"V1-BIG"}
    finally:
        eng.close()


def test_an_enable_reads_the_pins_through_the_index(tmp_path: Path) -> None:
    """No statement of the candidates' reads scans a workflow table (SQLite's plans): what an enable
    reads grows with the workflows that can overlap it, not with the others."""
    path = tmp_path / "plans.db"
    eng = _open(f"sqlite:///{path}")
    try:
        put(eng, workflow("A", vendor("V1"), doc_type("Order")))
        put(eng, workflow("B", vendor("V2")))
        put(eng, workflow("C", amount(">", 1000)), allow_overlap=True)
        seen: list[tuple[str, Any]] = []

        def capture(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
            seen.append((statement, params))

        probes = [workflow("P", vendor("V1"), doc_type("Order")), workflow("P", vendor("V1")),
                  workflow("P", doc_type("Quote")), workflow("P", amount("<", 10))]
        with eng.transaction() as uow:
            bind = uow.session.get_bind()
            event.listen(bind, "before_cursor_execute", capture)
            try:
                assert [[code for code, _ in pinned.candidates(uow.session, p)] for p in probes] == \
                    [["A", "C"], ["A", "C"], ["B", "C"], ["A", "B", "C"]]
            finally:
                event.remove(bind, "before_cursor_execute", capture)
    finally:
        eng.close()
    con = sqlite3.connect(path)
    try:
        reads = [(sql, params) for sql, params in seen if "wf_workflow_pin" in sql]
        assert len(reads) == 7  # the signatures and the rows of each pinning probe, the rows of the last
        for sql, params in reads:
            plan = [row[3] for row in con.execute("EXPLAIN QUERY PLAN " + sql, params)]
            assert not [step for step in plan if step.startswith("SCAN wf_")], (sql, plan)
            assert any("ix_wf_workflow_pin_lookup" in step for step in plan), plan
    finally:
        con.close()


def _enable_while_another_enables(url: str, first: str, second: str,
                                  monkeypatch: pytest.MonkeyPatch) -> object:
    """Enable ``first``; once its pins are written, enable ``second`` from another engine in a thread
    and let the first commit when that one has finished or waits for a lock. Answers the second's
    result (the exception it raised)."""
    a, b = _open(url), _open(url)
    original, state = pinned.write, {}

    def other() -> None:
        try:
            state["result"] = b.enable(second)
        except Exception as exc:  # answered to the test
            state["result"] = exc

    def write(session: Any, code: str, wf: BoundWorkflow | None) -> None:
        original(session, code, wf)
        if wf is None or "thread" in state:
            return
        thread = state["thread"] = threading.Thread(target=other)
        thread.start()
        watch = create_engine(url)
        try:
            deadline = time.monotonic() + 10
            while thread.is_alive() and time.monotonic() < deadline:
                if url.startswith("sqlite"):  # the other waits for the write lock (BEGIN IMMEDIATE)
                    thread.join(0.5)
                    break
                with watch.connect() as conn:
                    if conn.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                        "current_database() AND wait_event_type = 'Lock'")):
                        break
                time.sleep(0.02)
        finally:
            watch.dispose()

    monkeypatch.setattr(pinned, "write", write)
    try:
        a.enable(first)
        thread = state["thread"]
        assert isinstance(thread, threading.Thread)
        thread.join(60)
        assert not thread.is_alive()
        return state["result"]
    finally:
        a.close()
        b.close()


def test_one_workflow_enabled_twice_at_once_is_enabled_once(engine_url: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    eng = _open(engine_url)
    eng.deploy_workflow(workflow("A", vendor("V1", "V2"), doc_type("Order")))
    eng.close()
    assert _enable_while_another_enables(engine_url, "A", "A", monkeypatch) == []
    eng = _open(engine_url)
    try:
        with eng.transaction() as uow:
            assert uow.session.execute(text("SELECT COUNT(*) FROM wf_workflow_pin")).scalar() == 5
        assert compared(eng, workflow("P", vendor("V2"))) == ["A"]
    finally:
        eng.close()


def test_overlapping_workflows_enabled_at_once_are_refused(engine_url: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    eng = _open(engine_url)
    eng.deploy_workflow(workflow("A", vendor("V1"), amount(">", 1000)))
    eng.deploy_workflow(workflow("B", vendor("V1"), amount(">", 5000)))
    eng.close()
    refused = _enable_while_another_enables(engine_url, "A", "B", monkeypatch)
    assert isinstance(refused, EnableRefused), refused
    assert [d.code for d in refused.diagnostics if d.is_error] == ["WF428"]


def _random_condition(rnd: random.Random) -> BExpr | None:
    parts: list[BExpr] = []
    if rnd.random() < 0.7:
        parts.append(doc_type(*rnd.sample(["Quote", "Order", "Invoice"], rnd.choice([1, 1, 2]))))
    if rnd.random() < 0.7:
        parts.append(vendor(*rnd.sample(["V1", "V2", "V3", "V4"], rnd.choice([1, 1, 2]))))
    if rnd.random() < 0.5:
        parts.append(amount(rnd.choice([">", "<="]), rnd.choice([1000, 5000])))
    cond: BExpr | None = BAnd(tuple(parts)) if len(parts) > 1 else parts[0] if parts else None
    if cond is not None and rnd.random() < 0.15:
        cond = BOr((cond, vendor("V5")))
    return cond


def test_random_pins_the_query_finds_exactly_the_workflows_not_pinned_apart(engine_url: str) -> None:
    """Against ``overlap.apart``, the check the engine made on every enabled workflow on the event."""
    rnd = random.Random(18)
    seen: list[BExpr | None] = []
    while len(seen) < 40:  # distinct conditions (equal ones, or none, are refused as BC does: WF413)
        if (cnd := _random_condition(rnd)) is not None and cnd not in seen:
            seen.append(cnd)
    flows = [workflow(f"R{i:02d}", *([cnd] if cnd is not None else [])) for i, cnd in enumerate(seen)]
    eng = _open(engine_url)
    try:
        for wf in flows:
            put(eng, wf, allow_overlap=True)
        pairs = 0
        for wf in flows:
            mine = pins(wf.entry_points[0].condition)
            expected = [o.code for o in flows
                        if o.code != wf.code and not apart(mine, pins(o.entry_points[0].condition))]
            assert compared(eng, wf) == expected, wf.code
            pairs += len(expected)
        assert 0.2 < pairs / (40 * 39) < 0.8  # both kinds of pairs, many of each
    finally:
        eng.close()


# --------------------------------------------------------------------------- the encoding, without a store

DT = BField(("document_type",), K.ENUM, enum="DocType")
AMT = BField(("amount",), K.DECIMAL)
atoms = st.builds(lambda op, v: cmp(DT, op, BConst(v, K.ENUM)), st.sampled_from(["=", "<>"]),
                  st.sampled_from(["Quote", "Order", "Invoice"])) | st.builds(
    lambda op, v: cmp(AMT, op, BConst(Decimal(v), K.DECIMAL)), st.sampled_from(["=", "<", ">="]),
    st.integers(-3, 3)) | st.builds(
    lambda vs: BIn(DT, tuple(BConst(v, K.ENUM) for v in vs)),
    st.lists(st.sampled_from(["Quote", "Order", "Invoice"]), min_size=1, max_size=3))
conds: st.SearchStrategy[BExpr] = st.recursive(
    atoms, lambda inner: st.builds(lambda a, b: BAnd((a, b)), inner, inner)
    | st.builds(lambda a, b: BOr((a, b)), inner, inner) | st.builds(BNot, inner), max_leaves=6)


@settings(max_examples=300, deadline=None)
@given(conds, conds)
def test_stored_rows_answer_as_apart_does_and_never_hide_an_overlap(a: BExpr, b: BExpr) -> None:
    mine = stored_pins.combine([pins(a)])
    sig, rows = stored_pins.stored(stored_pins.combine([pins(b)]))
    compared_ = any(stored_pins.may_overlap(mine, sig, fields, pin) for fields, pin in rows)
    if not compared_:  # never compares less than ``apart`` allows, so never hides an overlap
        assert apart(pins(a), pins(b))
        assert both(a, b, RECORDS.get, "PurchaseHeader") is None
    elif all(pins(a).values()) and all(pins(b).values()):
        # and no more either (a field pinned to no value at all, a condition no record meets, is kept
        # out of the rows: such a workflow is compared as if it did not pin that field)
        assert not apart(pins(a), pins(b))


def test_equal_values_have_one_text_and_others_differ() -> None:
    enc = stored_pins.encode_value
    assert enc(Decimal("100")) == enc(Decimal("1E+2")) == enc(100) == "n:100"
    assert enc(Decimal("-0.00")) == enc(0) == enc(False) and enc(True) == enc(Decimal("1.0"))
    assert len({enc("1"), enc(Decimal(1)), enc(None), enc("")}) == 4
    assert enc(Decimal("NaN")) is None


def test_a_field_with_too_many_combinations_is_left_out_and_so_compared() -> None:
    many = {"vendor_no": frozenset(f"s:v{i}" for i in range(stored_pins.MAX_ROWS)),
            "document_type": frozenset({"s:order"})}
    sig, rows = stored_pins.stored(many)
    assert sig == '["document_type"]' and rows == [('["document_type"]', '["s:order"]')]
    other_vendor = {"vendor_no": frozenset({"s:other"}), "document_type": frozenset({"s:order"})}
    assert stored_pins.may_overlap(other_vendor, sig, *rows[0])
    long_value = {"description": frozenset({"s:" + "x" * stored_pins.MAX_TEXT})}
    assert stored_pins.stored(long_value) == ("[]", [("[]", "[]")])
    five = {f"f{i}": frozenset({"s:x"}) for i in range(stored_pins.MAX_FIELDS + 1)}
    sig, rows = stored_pins.stored(five)
    assert len(stored_pins.fields_of(sig) or ()) == stored_pins.MAX_FIELDS and len(rows) == 15


def test_a_workflow_is_found_by_every_set_of_the_fields_it_pins() -> None:
    sig, rows = stored_pins.stored({"a": frozenset({"s:1"}), "b": frozenset({"s:2", "s:3"})})
    assert sig == '["a","b"]'
    assert rows == [('["a"]', '["s:1"]'), ('["b"]', '["s:2"]'), ('["b"]', '["s:3"]'),
                    ('["a","b"]', '["s:1","s:2"]'), ('["a","b"]', '["s:1","s:3"]')]
    assert stored_pins.plan({"b": frozenset({"s:3"}), "c": frozenset({"s:9"})}, sig) == \
        stored_pins.Plan('["b"]', ('["s:3"]',))
    assert stored_pins.plan({"c": frozenset({"s:9"})}, sig) == stored_pins.Plan(sig)
    wide = {"a": frozenset(f"s:{i}" for i in range(stored_pins.MAX_LOOKUPS + 1))}
    assert stored_pins.plan(wide, sig) == stored_pins.Plan(sig, None, ("a", "b"))
