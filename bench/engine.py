"""Engine throughput: events handled per second with the real stdlib, approvals and notifications.

Run: python bench/engine.py [--url URL] [--documents N]

For N purchase invoices (default 500): BUYER sends each for approval (the PIAPW-EU example: restrict,
status, approval entries along the approver chain, send + notification, idempotency key), then
FINANCE approves each (approval event on the known instance, allow, release, archive). Every event
is its own transaction. Default URL: a temporary SQLite file (WAL, BEGIN IMMEDIATE). For a
PostgreSQL URL the run uses a temporary schema that is dropped afterwards.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import tomllib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, select, text

from werkstroom import deploy, open_engine
from werkstroom.engine.approvals.setup import load_setup
from werkstroom.engine.clock import VirtualClock
from werkstroom.store.approvals import ApprovalEntry

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def database(url: str | None, tmp: str) -> Iterator[str]:
    if url is None:
        yield f"sqlite:///{Path(tmp) / 'bench.db'}"
        return
    if not url.startswith("postgresql"):
        yield url
        return
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{url}{'&' if '?' in url else '?'}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default=None, help="database URL (default: a temporary SQLite file)")
    ap.add_argument("--documents", type=int, default=500)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, database(args.url, tmp) as url:
        eng = open_engine(url, clock=VirtualClock())
        try:
            with eng.transaction() as uow:
                load_setup(uow, tomllib.loads((ROOT / "examples" / "organisation.toml").read_text()))
            script = ROOT / "examples" / "purchase-invoice-eu.wf"
            deploy(eng, script.read_text(encoding="utf-8"), str(script))
            eng.enable("PIAPW-EU")
            n = args.documents
            start = time.perf_counter()
            for i in range(n):
                eng.emit("PurchaseDocSentForApproval",
                         {"document_type": "Invoice", "no": f"PI-{i}", "status": "Open", "amount": "4500",
                          "amount_lcy": "4500", "purchaser_code": "BY"},
                         user="BUYER", idempotency_key=f"bench-{i}")
            sent = time.perf_counter() - start
            with eng.transaction() as uow:
                open_entries = select(ApprovalEntry.id).where(ApprovalEntry.status == "Open")
                ids = list(uow.session.scalars(open_entries))
            start = time.perf_counter()
            for entry_id in ids:
                eng.approve(entry_id, "FINANCE")
            approved = time.perf_counter() - start
            assert len(eng.archive()) == n and not eng.instances()
        finally:
            eng.close()
    print(f"{url.split(':')[0]}: {n} documents")
    print(f"  send for approval (new instance, 4 responses, 2 entries): {n / sent:7.0f} events/s")
    print(f"  approve (known instance, 2 responses, archive):          {n / approved:7.0f} events/s")


if __name__ == "__main__":
    main()
