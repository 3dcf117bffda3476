"""Scale with the number of workflows: events/s and enabling time with thousands of enabled workflows.

Run: python bench/scale.py [--url URL] [--others N] [--documents D]

1. Two fresh databases, each with the PIAPW-EU example enabled (the organisation's setup loaded).
2. N other workflows (default 10,000) are deployed and enabled one by one into the second, as
   `wf deploy --enable` does; the time per workflow is measured around the 100th and around the Nth
   (the median of a window of 50 each). They are on a mix of events other than
   PurchaseDocSentForApproval, so none fires on the invoices: of every 10, 5 on sales documents (by
   legal entity, salesperson, document type and an amount threshold, every 10th a quote by
   customer), 2 on customers (country, salesperson, credit-limit threshold), one each on vendors
   (country, purchaser), items (category below a price; one workflow takes every item above it) and
   expense reports (employee, amount threshold). So each enable is compared with the workflows it
   could overlap (the other threshold of its group, the item catch-all) and refused if it did.
3. D purchase invoices are sent for approval (each its own transaction, with an idempotency key) to
   the first database (no other workflows) and to the second (N others), in three alternating rounds:
   events/s is the best round of each, and the ratio compares the two measured side by side.
4. A fresh process opens the second database and handles events (loading what it needs once): its
   peak RSS is reported, as is that of this process.

Targets: events/s with N others >= 0.8x the baseline (goal 0.9x); deploy+enable time per workflow at
the Nth <= 2x the 100th. Default URL: temporary SQLite files; a PostgreSQL URL gets private schemas,
dropped afterwards (bench/engine.py's `database`).
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
# of every 10 other workflows: 5 on sales documents, 2 on customers, 1 each on vendors, items and
# expense reports (none on purchase documents, so none fires on the invoices)
_CYCLE = ("sales",) * 5 + ("customer",) * 2 + ("vendor", "item", "expense")
_PLACE = [_CYCLE[:n].count(kind) for n, kind in enumerate(_CYCLE)]
_COUNTRIES = ("DE", "FR", "NL", "BE", "AT")


def _sales(k: int) -> str:
    """Sales documents by legal entity (responsibility center), salesperson, document type and amount
    threshold; every 10th a quote by customer."""
    if k % 10 == 9:
        return f'document_type = Quote and sell_to_customer_no = "C{k // 10:05d}"'
    m = k - k // 10
    tier = "amount <= 5000" if m % 2 == 0 else "amount > 5000"
    doc = ("Order", "Invoice", '"Credit Memo"')[m // 2 % 3]
    g = m // 6
    return (f'responsibility_center = "RC{g % 12:02d}" and salesperson_code = "S{g // 12:04d}" and '
            f"document_type = {doc} and {tier}")


def _condition(kind: str, k: int) -> tuple[str, str]:
    """The event and entry condition of the k-th other workflow of ``kind``."""
    if kind == "sales":
        return "SalesDocSentForApproval", _sales(k)
    if kind == "customer":  # by country and salesperson, two credit-limit thresholds
        g, limit = k // 2, ("<= 10000", "> 10000")[k % 2]
        return "CustomerSentForApproval", (f'country_region_code = "{_COUNTRIES[g % 5]}" and '
                                           f'salesperson_code = "S{g // 5:04d}" and credit_limit_lcy {limit}')
    if kind == "vendor":
        return "VendorSentForApproval", (f'country_region_code = "{_COUNTRIES[k % 5]}" and '
                                         f'purchaser_code = "P{k // 5:04d}"')
    if kind == "item":  # by category below a price; the first, every item above it (pins nothing)
        if k == 0:
            return "ItemSentForApproval", "unit_price > 1000"
        return "ItemSentForApproval", f'item_category_code = "K{k:05d}" and unit_price <= 1000'
    return "ExpenseReportSentForApproval", (f'employee_no = "E{k // 2:05d}" and '
                                            f"amount {('<= 500', '> 500')[k % 2]}")


def other_script(i: int) -> tuple[str, str]:
    """The code and text of the i-th other workflow (never fires on the invoices)."""
    kind = _CYCLE[i % len(_CYCLE)]
    weight = _CYCLE.count(kind)
    event, condition = _condition(kind, i // len(_CYCLE) * weight + _PLACE[i % len(_CYCLE)])
    code = f"OTHER-{i:05d}"
    return code, (f'workflow {code} "Other workflow {i}"\n'
                  f"  on {event} when {condition} then\n"
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


ROUNDS = 5


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default=None, help="database URL (default: a temporary SQLite file)")
    ap.add_argument("--others", type=int, default=10_000, help="other enabled workflows (default 10,000)")
    ap.add_argument("--documents", type=int, default=400, help="invoices sent in each measurement")
    args = ap.parse_args()
    n, d = args.others, args.documents
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "base").mkdir()
        (Path(tmp) / "others").mkdir()
        with database(args.url, str(Path(tmp) / "base")) as base_url, \
                database(args.url, str(Path(tmp) / "others")) as url:
            alone, eng = prepare(base_url), prepare(url)
            try:
                print(f"deploying and enabling {n} other workflows ...", flush=True)
                total, early, late = deploy_others(eng, n)
                send_invoices(alone, min(d, 50), "warm")
                send_invoices(eng, min(d, 50), "warm")
                rates: tuple[list[float], list[float]] = ([], [])
                for r in range(ROUNDS):
                    rates[0].append(send_invoices(alone, d, f"base{r}"))
                    rates[1].append(send_invoices(eng, d, f"others{r}"))
            finally:
                alone.close()
                eng.close()
            rss_child = child_rss(url)
    rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    base, loaded = max(rates[0]), max(rates[1])
    ratio = loaded / base
    growth = late / early
    print(f"{(args.url or 'sqlite').split(':')[0]}: {d} invoices, {n} other enabled workflows")
    print(f"  events/s (best of {ROUNDS} alternating rounds), 0 others: {base:6.0f}")
    print(f"  events/s (best of {ROUNDS} alternating rounds), {n} others: {loaded:6.0f}   "
          f"ratio {ratio:.2f}x  (target >= 0.8x, goal 0.9x): {verdict(ratio >= 0.8)}")
    print(f"  deploy+enable of {n}: {total:.1f} s ({total / max(n, 1) * 1000:.1f} ms each)")
    print(f"  per workflow at the 100th: {early * 1000:.1f} ms, at the {n}th: {late * 1000:.1f} ms   "
          f"ratio {growth:.2f}x  (target <= 2x): {verdict(growth <= 2)}")
    print(f"  peak RSS: a fresh process handling events with {n} enabled: {rss_child / 1024:.0f} MiB; "
          f"this process (deployed and enabled them, and ran the baseline): {rss_self / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
