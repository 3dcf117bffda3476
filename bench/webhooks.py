"""Webhook deliveries per second with 1 and with 4 `wf worker` processes, on PostgreSQL.

Run: python bench/webhooks.py [--url URL] [--deliveries N] [--concurrency C] [--batch B] [--rounds R]

1. A fresh schema (default URL: $WERKSTROOM_PG_URL or postgresql+psycopg://postgres@127.0.0.1:5432/test;
   a SQLite URL runs the 1-worker case only) gets a workflow that shows a message for every purchase
   invoice sent for approval, and N invoices are sent (N outbox rows of kind ``message``).
2. A receiver on 127.0.0.1 (http.server, HTTP/1.1 keep-alive, one thread per connection) checks each
   request's signature and keeps the delivery ids it accepted.
3. Per round and worker count W (1, 4, alternating for R rounds): W worker processes are started
   (`wf worker --no-timers --no-notifications --concurrency C --batch B`) and, once each has logged
   that it started, a subscription to ``message`` is added with ``after=0``: the workers fan the N
   outbox rows out into N deliveries and send them. Timed from adding the subscription until the
   receiver holds all N delivery ids; then the workers get SIGTERM (each must exit 0) and the store must
   show N delivered. The previous round's subscription is removed first.

Prints deliveries/s per W (the best round of each), the ratio of 4 workers to 1, the CPU time the
worker processes used per delivery once started (fan-out, claims, requests, outcomes, idle polls,
shutdown), and the machine's cores and load, which bound it: the workers, the receiver and PostgreSQL
share the same cores.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine import database

from werkstroom import deploy, open_engine
from werkstroom.service.webhooks import Webhooks, verify

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-secret-bench-secret"
WORKFLOW = """\
workflow HOOKBENCH "A message for every purchase invoice sent for approval"
  category PURCHDOC

  on PurchaseDocSentForApproval when document_type = Invoice then show message "sent for approval"
"""


class Receiver:
    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.requests = 0
        self.bad = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                ok = verify(SECRET, self.headers.get("Werkstroom-Signature", ""), body)
                with receiver.lock:
                    receiver.requests += 1
                    if ok:
                        receiver.ids.add(self.headers["Werkstroom-Delivery"])
                    else:
                        receiver.bad += 1
                self.send_response(204 if ok else 401)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def reset(self) -> None:
        with self.lock:
            self.ids, self.requests, self.bad = set(), 0, 0

    def count(self) -> int:
        with self.lock:
            return len(self.ids)


def start_workers(url: str, n: int, args: argparse.Namespace, logs: Path) -> list[subprocess.Popen[bytes]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    procs = []
    for i in range(n):
        with open(logs / f"worker-{i}.log", "w") as log:
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "werkstroom", "--db", url, "worker", "--no-timers",
                 "--no-notifications", "--concurrency", str(args.concurrency), "--batch", str(args.batch),
                 "--poll", "0.1"],
                env=env, stdout=log, stderr=log))
    deadline = time.monotonic() + 120
    while not all("started" in (logs / f"worker-{i}.log").read_text() for i in range(n)):
        if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
            raise SystemExit("a worker did not start: see " + str(logs))
        time.sleep(0.05)
    return procs


def _cpu_so_far(pid: int) -> float:
    """The CPU seconds (user + system) process ``pid`` has used (Linux: /proc; elsewhere 0)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_round(url: str, workers: int, args: argparse.Namespace, receiver: Receiver,
              logs: Path) -> tuple[float, float]:
    eng = open_engine(url)
    hooks = Webhooks(eng)
    try:
        for sub in hooks.subscriptions():
            hooks.remove(sub.id)
        receiver.reset()
        procs = start_workers(url, workers, args, logs)
        before = sum(_cpu_so_far(p.pid) for p in procs)  # their start-up: opening the store, the catalogue
        start = time.perf_counter()
        hooks.add(receiver.url, ["message"], secret=SECRET, after=0)
        while receiver.count() < args.deliveries:
            time.sleep(0.005)
        seconds = time.perf_counter() - start
        for p in procs:
            p.send_signal(signal.SIGTERM)
        codes, cpu = [], 0.0
        for p in procs:  # reaped here, with the CPU time each used (user + system)
            _, status, usage = os.wait4(p.pid, 0)
            codes.append(os.waitstatus_to_exitcode(status))
            cpu += usage.ru_utime + usage.ru_stime
        delivered = hooks.counts()["delivered"]
        if codes != [0] * workers or delivered != args.deliveries or receiver.bad:
            raise SystemExit(f"round failed: exit codes {codes}, {delivered} delivered, {receiver.bad} bad "
                             f"signatures (logs: {logs})")
        return args.deliveries / seconds, cpu - before
    finally:
        eng.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default=os.environ.get("WERKSTROOM_PG_URL",
                                                    "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    ap.add_argument("--deliveries", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=4, help="delivery threads per worker")
    ap.add_argument("--batch", type=int, default=8, help="deliveries a thread claims at once")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    counts = (1, 4) if args.url.startswith("postgresql") else (1,)
    with tempfile.TemporaryDirectory() as tmp, database(args.url, tmp) as url:
        eng = open_engine(url)
        deploy(eng, WORKFLOW, "hookbench.wf")
        eng.enable("HOOKBENCH")
        for i in range(args.deliveries):
            eng.emit("PurchaseDocSentForApproval", {"document_type": "Invoice", "no": f"W{i:06d}",
                                                    "status": "Open", "amount": "100"}, user="REQ")
        assert len(eng.outbox(kind="message")) == args.deliveries
        eng.close()
        receiver = Receiver()
        best: dict[int, float] = {}
        for r in range(args.rounds):
            for w in counts:
                rate, cpu = one_round(url, w, args, receiver, Path(tmp))
                best[w] = max(best.get(w, 0.0), rate)
                print(f"round {r + 1}: {w} worker(s): {rate:,.0f} deliveries/s; the workers used "
                      f"{cpu / args.deliveries * 1000:.2f} ms CPU per delivery (after start-up)", flush=True)
        receiver.server.shutdown()
    print(f"\n{args.deliveries} deliveries, {args.concurrency} threads per worker, batch {args.batch}, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    for w in counts:
        print(f"{w} worker(s): {best[w]:,.0f} deliveries/s (best of {args.rounds})")
    if 4 in best:
        print(f"4 workers / 1 worker: {best[4] / best[1]:.2f}x")


if __name__ == "__main__":
    main()
