"""Scale with the number of workflows: events/s and enabling time with thousands of enabled workflows.

Run: python bench/scale.py [--url URL] [--others N] [--documents D]

1. Baseline: a fresh database with only the PIAPW-EU example enabled; D purchase invoices are sent for
   approval (each its own transaction, with an idempotency key): events/s.
2. N other workflows (default 10,000), on a mix of events that are not PurchaseDocSentForApproval
   (half on SalesDocSentForApproval, the rest on customer, vendor, item and expense-report events),
   each with its own condition (a salesperson, customer, vendor, ... code and an amount), are deployed
   and enabled one by one, as `wf deploy --enable` does; the time per workflow is measured around the
   100th and around the Nth (a window of 50 each).
3. The same D invoices again, with the N others enabled: events/s, and the ratio to the baseline.
4. A fresh process opens the database and handles one event (loading what it needs once): its peak
   RSS is reported, as is that of this process.

Targets: events/s with N others >= 0.8x the baseline (goal 0.9x); deploy+enable time per workflow at
the Nth <= 2x the 100th. Default URL: a temporary SQLite file; a PostgreSQL URL gets a private
schema, dropped afterwards (bench/engine.py's `database`).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine import database

from werkstroom import deploy, open_engine
from werkstroom.engine.approvals.setup import load_setup
from werkstroom.engine.clock import VirtualClock
from werkstroom.engine.facade import Engine

ROOT = Path(__file__).resolve().parents[1]
WINDOW = 50
# (event, the code field that tells the workflows on it apart, weight in the mix)
MIX = (("SalesDocSentForApproval", "salesperson_code", 5),
       ("CustomerSentForApproval", "vat_registration_no", 2),
       ("VendorSentForApproval", "vat_registration_no", 1),
       ("ItemSentForApproval", "item_category_code", 1),
       ("ExpenseReportSentForApproval", "employee_no", 1))
_CYCLE = [(event, field) for event, field, weight in MIX for _ in range(weight)]


def other_script(i: int) -> tuple[str, str]:
    """The code and text of the i-th other workflow (never fires on the invoices)."""
    event, field = _CYCLE[i % len(_CYCLE)]
    code = f"OTHER-{i:05d}"
    with_amount = event in ("SalesDocSentForApproval", "ExpenseReportSentForApproval")
    amount = " and amount > 1000" if with_amount else ""
    return code, (f'workflow {code} "Other workflow {i}"\n'
                  f"  on {event} when {field} = \"C{i:05d}\"{amount} then\n"
                  f"     restrict record usage\n")


def send_invoices(eng: Engine, n: int, tag: str) -> float:
    """Events/s sending ``n`` purchase invoices for approval."""
    start = time.perf_counter()
    for i in range(n):
        eng.emit("PurchaseDocSentForApproval",
                 {"document_type": "Invoice", "no": f"PI-{tag}-{i}", "status": "Open", "amount": "4500",
                  "amount_lcy": "4500", "purchaser_code": "BY"},
                 user="BUYER", idempotency_key=f"bench-{tag}-{i}")
    return n / (time.perf_counter() - start)


def prepare(url: str) -> Engine:
    eng = open_engine(url, clock=VirtualClock())
    with eng.transaction() as uow:
        load_setup(uow, tomllib.loads((ROOT / "examples" / "organisation.toml").read_text()))
    script = ROOT / "examples" / "purchase-invoice-eu.wf"
    deploy(eng, script.read_text(encoding="utf-8"), str(script))
    eng.enable("PIAPW-EU")
    return eng


def deploy_others(eng: Engine, n: int) -> tuple[float, float, float]:
    """Deploy and enable ``n`` other workflows; (total s, s per workflow around the 100th, around the nth)."""
    times: list[float] = []
    start = time.perf_counter()
    for i in range(n):
        code, text = other_script(i)
        t0 = time.perf_counter()
        deploy(eng, text, f"{code}.wf")
        eng.enable(code)
        times.append(time.perf_counter() - t0)
        if (i + 1) % 1000 == 0:
            print(f"    {i + 1} enabled ({time.perf_counter() - start:.0f} s)", flush=True)
    total = time.perf_counter() - start
    early = times[max(0, 100 - WINDOW):100] if n >= 100 else times[:WINDOW]
    late = times[-WINDOW:]
    return total, sorted(early)[len(early) // 2], sorted(late)[len(late) // 2]


_CHILD = """
import resource, sys
from werkstroom import open_engine
from werkstroom.engine.clock import VirtualClock
eng = open_engine(sys.argv[1], clock=VirtualClock())
eng.emit("PurchaseDocSentForApproval", {"document_type": "Invoice", "no": "PI-RSS", "status": "Open",
         "amount": "4500", "amount_lcy": "4500", "purchaser_code": "BY"}, user="BUYER")
eng.emit("SalesDocSentForApproval", {"document_type": "Order", "no": "SO-RSS", "status": "Open",
         "amount": "5000", "salesperson_code": "C00000"}, user="BUYER")
eng.close()
try:  # this process's own peak (ru_maxrss would include the parent's size at the fork)
    status = open("/proc/self/status").read()
    print(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
except (OSError, StopIteration):
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def child_rss(url: str) -> int:
    out = subprocess.run([sys.executable, "-c", _CHILD, url], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[-1])


def verdict(ok: bool) -> str:
    return "ok" if ok else "TARGET MISSED"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default=None, help="database URL (default: a temporary SQLite file)")
    ap.add_argument("--others", type=int, default=10_000, help="other enabled workflows (default 10,000)")
    ap.add_argument("--documents", type=int, default=400, help="invoices sent in each measurement")
    args = ap.parse_args()
    n, d = args.others, args.documents
    with tempfile.TemporaryDirectory() as tmp:
        with database(args.url, tmp) as url:
            eng = prepare(url)
            try:
                send_invoices(eng, min(d, 50), "warm")
                base = send_invoices(eng, d, "base")
            finally:
                eng.close()
        sub = Path(tmp) / "others"
        sub.mkdir()
        with database(args.url, str(sub)) as url:
            eng = prepare(url)
            try:
                print(f"deploying and enabling {n} other workflows ...", flush=True)
                total, early, late = deploy_others(eng, n)
                send_invoices(eng, min(d, 50), "warm")
                loaded = send_invoices(eng, d, "others")
            finally:
                eng.close()
            rss_child = child_rss(url)
    rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    ratio = loaded / base
    growth = late / early
    print(f"{(args.url or 'sqlite').split(':')[0]}: {d} invoices, {n} other enabled workflows")
    print(f"  events/s, 0 others:            {base:8.0f}")
    print(f"  events/s, {n} others:  {loaded:8.0f}   ratio {ratio:.2f}x  (target >= 0.8x, goal 0.9x): "
          f"{verdict(ratio >= 0.8)}")
    print(f"  deploy+enable of {n}: {total:.1f} s ({total / max(n, 1) * 1000:.1f} ms each)")
    print(f"  per workflow at the 100th: {early * 1000:.1f} ms, at the {n}th: {late * 1000:.1f} ms   "
          f"ratio {growth:.2f}x  (target <= 2x): {verdict(growth <= 2)}")
    print(f"  peak RSS: a fresh process handling events with {n} enabled: {rss_child / 1024:.0f} MiB; "
          f"this process (deployed and enabled them): {rss_self / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
