"""Full approval cycles per second on SQLite, next to the same row writes done directly with sqlite3.

Run: python bench/approvals.py [--cycles N]

One cycle: a purchase invoice of 50,000 is sent for approval (restrict, pending approval, create
requests for the approver chain REQ -> ANN (1,000) -> BOB (10,000) -> CEO (top), send), then ANN,
BOB and CEO approve in turn through ``Engine.approve`` (each approval handled by the workflow:
send to the next approver, or allow usage and release the invoice). 4 transactions per cycle.

Three runs, each on a fresh SQLite file with the engine's settings (WAL, synchronous=NORMAL,
BEGIN IMMEDIATE):
1. capture: the cycles run once with observers that record every INSERT/UPDATE/DELETE the engine
   sends to the driver (SQLAlchemy's ``before_cursor_execute`` event, and ``Engine.watch_statements``
   for the statements run through ``werkstroom.store.driver``), grouped by transaction (not timed);
2. engine: the same cycles, timed, without the observers;
3. raw: the captured writes replayed with ``sqlite3`` directly (same statements, same parameters,
   same transactions, foreign-key checks off), timed. That is the floor for these row writes.
4. for reference: the approval services alone (ApprovalService + approve action, no workflow engine),
   the same 4 transactions per cycle, to show which share of a cycle is approvals work.

Prints cycles/s for both, the ratio, and rows written per cycle. Targets: >= 1,000 cycles/s and
>= 0.3x the raw rate.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine as SAEngine

from werkstroom import deploy
from werkstroom.engine.approvals.setup import load_setup
from werkstroom.engine.clock import SequentialIds, VirtualClock
from werkstroom.engine.facade import Engine, open_engine

WORKFLOW = """\
workflow PIAPW-B "Purchase invoice approval (benchmark)"
  category PURCHDOC

  on PurchaseDocSentForApproval
     when document_type = Invoice and status = Open and amount > 1000
  then
     restrict record usage
     set status to pending approval
     create approval requests for approver chain, due in 2D
     send approval requests as send

     on ApprovalRequestApproved when pending_approvals = 0 then
        allow record usage
        release document
     on ApprovalRequestApproved when pending_approvals > 0 then
        send approval requests
        continue at send
     on ApprovalRequestRejected then
        reject approval requests, notify sender
        reopen document
"""

ORGANISATION: dict[str, Any] = {"users": [
    {"id": "CEO", "approver": "CEO"},
    {"id": "BOB", "approver": "CEO", "purchase_limit": 10000},
    {"id": "ANN", "approver": "BOB", "purchase_limit": 1000},
    {"id": "REQ", "approver": "ANN"},
]}
APPROVERS = ("ANN", "BOB", "CEO")
START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def prepared(path: Path) -> Engine:
    eng = open_engine(f"sqlite:///{path}", clock=VirtualClock(START), ids=SequentialIds())
    deploy(eng, WORKFLOW, "bench.wf")
    errors = [d for d in eng.enable("PIAPW-B") if d.is_error]
    if errors:
        raise SystemExit(f"the benchmark workflow does not enable: {errors}")
    with eng.transaction() as uow:
        load_setup(uow, ORGANISATION)
    return eng


def invoice(i: int) -> dict[str, Any]:
    return {"document_type": "Invoice", "no": f"B{i:06d}", "status": "Open", "amount": Decimal(50000),
            "amount_lcy": Decimal(50000), "buy_from_vendor_no": "V1"}


def cycles(eng: Engine, n: int) -> None:
    entry_no = 0
    for i in range(n):
        eng.emit("PurchaseDocSentForApproval", invoice(i), user="REQ")
        entry_no += 1  # the requester's own entry, approved at creation
        for who in APPROVERS:
            entry_no += 1
            eng.approve(str(entry_no), who)


def check(eng: Engine, n: int) -> None:
    for i in (0, n - 1):
        state = eng.record_state("PurchaseHeader", f"Invoice|B{i:06d}")
        if state.status != "Released" or state.restricted:
            raise SystemExit(f"cycle {i} did not end released: {state}")


class Capture:
    """Write statements per committed transaction, as the engine sent them to the driver."""

    def __init__(self) -> None:
        self.transactions: list[list[tuple[str, Any, bool]]] = []
        self.current: list[tuple[str, Any, bool]] = []

    def before(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
               executemany: bool) -> None:
        head = statement.lstrip()[:6].upper()
        if head in ("INSERT", "UPDATE", "DELETE"):
            self.current.append((statement, parameters, executemany))

    def driver(self, statement: str, parameters: Any, executemany: bool) -> None:
        # statements and transaction ends the engine runs on the driver connection
        # (werkstroom.store.driver)
        if statement == "COMMIT":
            self.commit(None)
        elif statement == "ROLLBACK":
            self.rollback(None)
        else:
            self.before(None, None, statement, parameters, None, executemany)

    def commit(self, conn: Any) -> None:
        if self.current:
            self.transactions.append(self.current)
        self.current = []

    def rollback(self, conn: Any) -> None:
        self.current = []


def replay(path: Path, transactions: list[list[tuple[str, Any, bool]]]) -> tuple[float, int]:
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA foreign_keys=OFF")
    rows = 0
    t0 = time.perf_counter()
    for tx in transactions:
        con.execute("BEGIN IMMEDIATE")
        for statement, params, many in tx:
            if many and isinstance(params, list) and params and isinstance(params[0], tuple | list | dict):
                cur = con.executemany(statement, params)
            else:
                cur = con.execute(statement, params)
                if "RETURNING" in statement.upper():
                    cur.fetchall()
            rows += max(cur.rowcount, 0)
        con.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    con.close()
    return elapsed, rows


def services_only(path: Path, n: int) -> float:
    """The approval services alone (no workflow engine): per cycle the same 4 transactions doing what
    the workflow's approval responses and the approve action do. Returns seconds for ``n`` cycles."""
    from sqlalchemy.orm import Session

    from werkstroom.engine.approvals import actions
    from werkstroom.engine.approvals.rows import SimpleRecord
    from werkstroom.engine.approvals.service import ApprovalService
    from werkstroom.engine.unit import RunScope, UnitOfWork
    from werkstroom.store.database import make_engine, upgrade

    sa = make_engine(f"sqlite:///{path}")
    upgrade(sa)
    clock, ids = VirtualClock(START), SequentialIds()
    with Session(sa) as s, s.begin():
        load_setup(UnitOfWork(s, clock, ids), ORGANISATION)

    def scope(uow: UnitOfWork, doc: SimpleRecord, user: str, ev: SimpleRecord | None = None) -> RunScope:
        return RunScope(uow=uow, instance_id=f"i-{doc.key}", workflow_code="PIAPW-B", workflow_description="",
                        document=doc, event_record=ev or doc, user=user, raise_event=lambda name, rec: None,
                        explain=lambda text: None, emit_effect=lambda kind, payload: None)

    t0 = time.perf_counter()
    entry_no = 0
    for i in range(n):
        values = invoice(i)
        doc = SimpleRecord("PurchaseHeader", f"Invoice|{values['no']}", values)
        with Session(sa, expire_on_commit=False) as s, s.begin():
            uow = UnitOfWork(s, clock, ids)
            svc = ApprovalService(scope(uow, doc, "REQ"))
            svc.create_requests({"approver_type": "Approver", "limit_type": "Approver Chain",
                                 "due_date_formula": "2D"})
            svc.send_requests({})
            uow.flush()  # the session's owner flushes the unit of work before it commits
        entry_no += 1
        for who in APPROVERS:
            entry_no += 1
            with Session(sa, expire_on_commit=False) as s, s.begin():
                uow = UnitOfWork(s, clock, ids)
                res = actions.approve(uow, str(entry_no), who)
                if res.record.values["pending_approvals"]:
                    ApprovalService(scope(uow, doc, who, res.record)).send_requests({})
                uow.flush()
    elapsed = time.perf_counter() - t0
    sa.dispose()
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cycles", type=int, default=300)
    args = ap.parse_args()
    n = args.cycles
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        # 1. capture
        eng = prepared(tmpdir / "capture.db")
        cap = Capture()
        event.listen(SAEngine, "before_cursor_execute", cap.before)
        event.listen(SAEngine, "commit", cap.commit)
        event.listen(SAEngine, "rollback", cap.rollback)
        try:
            with eng.watch_statements(cap.driver):
                cycles(eng, n)
        finally:
            event.remove(SAEngine, "before_cursor_execute", cap.before)
            event.remove(SAEngine, "commit", cap.commit)
            event.remove(SAEngine, "rollback", cap.rollback)
        check(eng, n)
        eng.close()
        # 2. engine, timed
        eng = prepared(tmpdir / "engine.db")
        cycles(eng, 3)  # warm caches (workflow, compiled conditions, statement cache)
        t0 = time.perf_counter()
        cycles_from = 3
        entry_base = 3 * 4
        _timed_cycles(eng, cycles_from, n, entry_base)
        engine_s = time.perf_counter() - t0
        eng.close()
        # 3. raw sqlite3 replay of the captured writes on a fresh schema
        schema = prepared(tmpdir / "raw.db")
        schema.close()
        raw_s, rows = replay(tmpdir / "raw.db", cap.transactions)
        services_s = services_only(tmpdir / "services.db", n)

    engine_rate = n / engine_s
    raw_rate = n / raw_s
    print(f"cycles: {n} (4 transactions each; {len(cap.transactions) / n:.1f} write transactions and "
          f"{rows / n:.1f} row writes per cycle)")
    print(f"engine (workflow + approvals):      {engine_rate:10.1f} cycles/s  "
          f"({engine_s * 1000 / n:.2f} ms/cycle)")
    print(f"raw sqlite3, same row writes:       {raw_rate:10.1f} cycles/s  ({raw_s * 1000 / n:.2f} ms/cycle)")
    print(f"ratio engine/raw: {engine_rate / raw_rate:.3f}x  (targets: >= 1,000 cycles/s, >= 0.3x)")
    print(f"for reference, the approval services alone (same 4 transactions, no workflow engine): "
          f"{n / services_s:.1f} cycles/s ({services_s * 1000 / n:.2f} ms/cycle)")


def _timed_cycles(eng: Engine, start: int, n: int, entry_base: int) -> None:
    entry_no = entry_base
    for i in range(start, start + n):
        eng.emit("PurchaseDocSentForApproval", invoice(i), user="REQ")
        entry_no += 1
        for who in APPROVERS:
            entry_no += 1
            eng.approve(str(entry_no), who)


if __name__ == "__main__":
    main()
