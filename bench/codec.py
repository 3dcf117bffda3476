"""What orjson and the prepared-statement layer (``werkstroom.store.driver``) buy, in one run.

Run: python bench/codec.py [--documents N] [--url URL] [--rounds R]

1. JSON: the engine cycle of ``bench/engine.py`` (N purchase invoices sent for approval and
   approved, every event its own transaction) runs with the store's JSON writer as shipped and with
   orjson switched off (the standard library's ``json`` writes every text; the texts are identical),
   alternately, R rounds each; then every value the cycle wrote is written again by both writers, so
   the JSON work alone is timed on exactly the engine's payloads.
2. Statements: the engine's record read (``RECORD_GET``, a join of the key, the record and its
   state) on a stored record, run by ``Db.rows`` (compiled once, run on the driver) and by plain
   SQLAlchemy Core (``connection.execute``), in one transaction each.

Default URL: a temporary SQLite file, as in bench/engine.py. ``--cycle-only orjson|json`` runs one
cycle and nothing else, for an instruction count that does not depend on the machine's load:

    valgrind --tool=callgrind --callgrind-out-file=/dev/null python bench/codec.py --cycle-only json \
        --documents 100   # and again with --documents 0; the difference is the cycle's
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine import database

from werkstroom import deploy, open_engine
from werkstroom.engine.clock import VirtualClock
from werkstroom.engine.records import RECORD_GET
from werkstroom.store import codec as store_codec
from werkstroom.store.approvals import ApprovalEntry

ROOT = Path(__file__).resolve().parents[1]
WRITERS = ("dumps", "dumps_mostly_plain", "json_column_text")


class _NoOrjson:
    """Stands in for the orjson module: every write falls back to the standard library."""

    JSONEncodeError = orjson.JSONEncodeError
    OPT_SORT_KEYS = orjson.OPT_SORT_KEYS

    @staticmethod
    def dumps(*_: Any, **__: Any) -> bytes:
        raise TypeError("orjson switched off")


@contextmanager
def orjson_off() -> Iterator[None]:
    saved = store_codec.orjson
    store_codec.orjson = _NoOrjson  # type: ignore[assignment]
    try:
        yield
    finally:
        store_codec.orjson = saved


@contextmanager
def recording(calls: list[tuple[str, Any, dict[str, Any]]]) -> Iterator[None]:
    """Record the value of every call of the store's JSON writers."""
    saved = {name: getattr(store_codec, name) for name in WRITERS}

    def wrap(name: str, fn: Callable[..., str]) -> Callable[..., str]:
        def recorded(v: Any, **options: Any) -> str:
            calls.append((name, v, options))
            return fn(v, **options)
        return recorded

    for name, fn in saved.items():
        setattr(store_codec, name, wrap(name, fn))
    try:
        yield
    finally:
        for name, fn in saved.items():
            setattr(store_codec, name, fn)


def cycle(url: str, n: int, tag: str) -> tuple[float, int]:
    """Seconds for n documents sent and approved, and the number of events."""
    eng = open_engine(url, clock=VirtualClock())
    try:
        eng.load_setup(ROOT / "examples" / "organisation.toml")
        script = ROOT / "examples" / "purchase-invoice-eu.wf"
        deploy(eng, script.read_text(encoding="utf-8"), str(script))
        eng.enable("PIAPW-EU")
        start = time.perf_counter()
        for i in range(n):
            eng.emit("PurchaseDocSentForApproval",
                     {"document_type": "Invoice", "no": f"{tag}-{i}", "status": "Open", "amount": "4500",
                      "amount_lcy": "4500", "purchaser_code": "BY"},
                     user="BUYER", idempotency_key=f"{tag}-{i}")
        with eng.transaction() as uow:
            ids = list(uow.session.scalars(select(ApprovalEntry.id).where(ApprovalEntry.status == "Open")))
        for entry_id in ids:
            eng.approve(entry_id, "FINANCE")
        return time.perf_counter() - start, n + len(ids)
    finally:
        eng.close()


def write_all(calls: list[tuple[str, Any, dict[str, Any]]]) -> list[str]:
    return [getattr(store_codec, name)(v, **options) for name, v, options in calls]


def time_writes(calls: list[tuple[str, Any, dict[str, Any]]]) -> float:
    start = time.perf_counter()
    write_all(calls)
    return time.perf_counter() - start


def json_figures(url_of: Callable[[], Any], n: int, rounds: int) -> None:
    with_orjson: list[float] = []
    without: list[float] = []
    events = 0
    for r in range(rounds):
        for off, times in ((False, with_orjson), (True, without)):
            with url_of() as url, (orjson_off() if off else nullcontext()):
                seconds, events = cycle(url, n, f"r{r}{'j' if off else 'o'}")
            times.append(seconds)
    calls: list[tuple[str, Any, dict[str, Any]]] = []
    with url_of() as url, recording(calls):
        cycle(url, n, "rec")
    texts_fast = write_all(calls)
    with orjson_off():
        texts_plain = write_all(calls)
    assert texts_fast == texts_plain, "orjson and json wrote different texts"
    fast = min(time_writes(calls) for _ in range(5))
    with orjson_off():
        plain = min(time_writes(calls) for _ in range(5))
    a, b = statistics.median(with_orjson), statistics.median(without)
    print(f"JSON ({events} events, {len(calls)} texts written, {len(calls) / events:.1f} per event)")
    print(f"  engine cycle, median of {rounds}: orjson {events / a:6.0f} events/s, json {events / b:6.0f} "
          f"events/s ({(b - a) / b:+.1%} of the json cycle's time saved)")
    print(f"  writing the cycle's texts alone: orjson {fast / events * 1e6:5.1f} us/event, "
          f"json {plain / events * 1e6:5.1f} us/event ({plain / fast:.1f}x); "
          f"the json writes are {plain / b:.1%} of the json cycle")


def statement_figures(url: str, reps: int) -> None:
    eng = open_engine(url, clock=VirtualClock())
    try:
        eng.emit("PurchaseDocSentForApproval", {"document_type": "Invoice", "no": "PI-1", "status": "Open",
                                                "amount": "4500"}, user="BUYER")
        params = {"b_rt": "PurchaseHeader", "b_rk": "Invoice|PI-1"}
        with eng.transaction() as uow:
            assert uow.db.rows(RECORD_GET, params)
            start = time.perf_counter()
            for _ in range(reps):
                uow.db.rows(RECORD_GET, params)
            driver = time.perf_counter() - start
        with eng.transaction() as uow:
            conn = uow.connection()
            assert conn.execute(RECORD_GET.clause, params).all()
            start = time.perf_counter()
            for _ in range(reps):
                conn.execute(RECORD_GET.clause, params).all()
            core = time.perf_counter() - start
    finally:
        eng.close()
    print(f"Statements ({reps} record reads in one transaction)")
    print(f"  Db.rows (sql.py) {driver / reps * 1e6:5.1f} us, SQLAlchemy Core {core / reps * 1e6:5.1f} us "
          f"({core / driver:.1f}x)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default=None, help="database URL (default: a temporary SQLite file)")
    ap.add_argument("--documents", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--reads", type=int, default=5000)
    ap.add_argument("--cycle-only", choices=("orjson", "json"),
                    help="run one engine cycle with this writer and nothing else (for callgrind)")
    args = ap.parse_args()
    if args.cycle_only:
        with tempfile.TemporaryDirectory() as tmp, database(args.url, tmp) as url, \
                (orjson_off() if args.cycle_only == "json" else nullcontext()):
            cycle(url, args.documents, "c")
        return
    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(10**6))

        @contextmanager
        def fresh() -> Iterator[str]:
            sub = Path(tmp) / f"run{next(counter)}"
            sub.mkdir()
            with database(args.url, str(sub)) as url:
                yield url

        print(f"{(args.url or 'sqlite').split(':')[0]}: {args.documents} documents")
        json_figures(fresh, args.documents, args.rounds)
        with fresh() as url:
            statement_figures(url, args.reads)


if __name__ == "__main__":
    main()
