"""The service's throughput: events through the HTTP API against the same events through the
in-process engine, and PostgreSQL with 4 server processes against 1.

Run: python bench/server.py [--url URL] [--pg-url URL] [--documents N] [--connections C] [--rounds R]

1. HTTP against in-process. Three fresh stores (default: temporary SQLite files; --url for another
   database, a PostgreSQL URL in private schemas), each with the example organisation and PIAPW-EU
   enabled. Per round, N purchase invoices are sent for approval by BUYER (with an idempotency key)
   and their entries approved by FINANCE:
   - in-process: ``engine.emit`` and ``engine.approve`` in this process, one after the other;
   - HTTP: `wf serve` with one server process and `wf serve --workers 2` (on SQLite the two take
     turns at the store: ``werkstroom.service.gate``), each on a store of its own, the same events as
     ``POST /api/v1/events`` with a system token and ``POST /api/v1/approval-entries/N/approve``
     with FINANCE's token, sent from C keep-alive connections (threads of this process, each sending
     prepared requests: the client takes little of the machine's CPU).
   The sides take turns for R rounds on new documents; events/s is each side's best round (send and
   approve together), and the ratios compare them with in-process. Target: HTTP >= 0.5x in-process
   (the verdict is the better of the two servers', and the one-process ratio is printed beside it).
   Also the CPU time per event of this process (in-process) and of the one server process (Linux:
   /proc), and its CPU per request for /healthz (no work) and /api/v1/me (authenticated, no event).
2. PostgreSQL (--pg-url; default WERKSTROOM_PG_URL or the test server, skipped with a message when it
   cannot be reached): the HTTP sends and approvals of part 1 against `wf serve --workers 4` and
   `--workers 1`, from 2C connections, alternating for R rounds; the ratio, and the ratio per core of
   this machine (os.cpu_count(); the client runs on the same cores).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine import database

from werkstroom import Engine, deploy, open_engine
from werkstroom.service.auth import tokens

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "examples" / "purchase-invoice-eu.wf"
ORGANISATION = ROOT / "examples" / "organisation.toml"
SEND = "PurchaseDocSentForApproval"
TARGET = 0.5  # events/s over HTTP against in-process


def invoice(no: str) -> dict[str, str]:
    return {"document_type": "Invoice", "no": no, "status": "Open", "amount": "4500", "amount_lcy": "4500",
            "purchaser_code": "BY"}


def prepare(url: str) -> Engine:
    eng = open_engine(url)
    eng.load_setup(ORGANISATION)
    deploy(eng, SCRIPT.read_text(encoding="utf-8"), str(SCRIPT))
    eng.enable("PIAPW-EU")
    return eng


# ------------------------------------------------------------------ the server, in its own process


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(url: str, workers: int) -> Iterator[tuple[int, int]]:
    """`wf serve` on ``url`` with ``workers`` processes; yields its port and process id once /readyz
    answers."""
    port = free_port()
    # the server's request log goes to a file: a pipe nobody reads would fill up and stop the server
    with tempfile.TemporaryFile("w+") as log:
        command = [sys.executable, "-m", "werkstroom", "--db", url, "serve", "--port", str(port), "--workers",
                   str(workers)]
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log, text=True)
        try:
            wait_ready(proc, port, log)
            if workers > 1:  # every process ready: a request per connection lands on any of them
                time.sleep(3)
            yield port, proc.pid
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()


def wait_ready(proc: subprocess.Popen[str], port: int, log: Any) -> None:
    deadline = time.monotonic() + 180
    while True:
        if proc.poll() is not None:
            log.seek(0)
            raise SystemExit(f"wf serve stopped: {log.read()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit("wf serve did not become ready within 180 s")
        time.sleep(0.2)


# ------------------------------------------------------------------ the client: C keep-alive connections


Call = tuple[str, str, bytes, dict[str, str]]


class Connection:
    """A keep-alive HTTP/1.1 connection that sends prepared requests and reads answers by their
    Content-Length: a load generator that spends little of the machine's CPU (http.client parses
    every answer's headers with the e-mail parser), so that the server, not the client, is measured."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=120)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def send(self, request: bytes) -> tuple[int, bytes]:
        self.sock.sendall(request)
        while b"\r\n\r\n" not in self.buffer:
            self._more()
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length = next(int(line.split(b":", 1)[1]) for line in lines[1:]
                      if line[:15].lower() == b"content-length:")
        while len(rest) < length:
            self.buffer = rest
            self._more()
            rest = self.buffer
        self.buffer = rest[length:]
        return status, rest[:length]

    def _more(self) -> None:
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("the server closed the connection")
        self.buffer += data

    def close(self) -> None:
        self.sock.close()


def prepared(method: str, path: str, body: bytes, headers: dict[str, str]) -> bytes:
    """The bytes of an HTTP/1.1 request."""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}",
             *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def run_calls(port: int, calls: list[Call], connections: int) -> float:
    """Send ``calls`` (method, path, body, headers) from ``connections`` threads, each on a keep-alive
    connection of its own; the seconds it took. Every answer must be 200."""
    requests = [(f"{c[0]} {c[1]}", prepared(*c)) for c in calls]
    lock = threading.Lock()
    todo = iter(requests)
    failures: list[str] = []

    def worker() -> None:
        conn = Connection(port)
        while True:
            with lock:
                item = next(todo, None)
            if item is None:
                break
            status, data = conn.send(item[1])
            if status != 200:
                failures.append(f"{item[0]}: {status} {data[:300]!r}")
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - start
    if failures:
        raise SystemExit(f"{len(failures)} requests failed, the first: {failures[0]}")
    return took


def open_entries(port: int, token: str) -> list[int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    found: list[int] = []
    offset: int | None = 0
    while offset is not None:
        conn.request("GET", f"/api/v1/approval-entries?status=Open&limit=1000&offset={offset}",
                     headers={"Authorization": f"Bearer {token}"})
        page = json.loads(conn.getresponse().read())
        found += [e["entry_no"] for e in page["items"]]
        offset = page["next_offset"]
    conn.close()
    return found


class HttpSide:
    """A store served by `wf serve`, with an events token and FINANCE's token."""

    def __init__(self, eng: Engine) -> None:
        self.events = tokens.create(eng, system="bench", scopes=["events"])[0]
        self.finance = tokens.create(eng, user="FINANCE")[0]

    def round(self, port: int, names: list[str], connections: int) -> tuple[float, float]:
        """Send and approve the invoices ``names``; the seconds the sends and the approvals took."""
        auth = {"Authorization": f"Bearer {self.events}", "Content-Type": "application/json"}
        bodies = {no: json.dumps({"event": SEND, "record": invoice(no), "user": "BUYER"}).encode()
                  for no in names}
        sends = [("POST", "/api/v1/events", bodies[no], {**auth, "Idempotency-Key": f"bench-{no}"})
                 for no in names]
        took = run_calls(port, sends, connections)
        finance = {"Authorization": f"Bearer {self.finance}", "Content-Type": "application/json"}
        approvals = [("POST", f"/api/v1/approval-entries/{n}/approve", b"{}", finance)
                     for n in open_entries(port, self.finance)]
        assert len(approvals) == len(names), (len(approvals), len(names))
        return took, run_calls(port, approvals, connections)


def cpu_seconds(pid: int | None = None) -> float:
    """The CPU time (user and system) of the process ``pid`` (None: this one) so far."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def in_process_round(eng: Engine, names: list[str]) -> tuple[float, float]:
    start = time.perf_counter()
    for no in names:
        eng.emit(SEND, invoice(no), user="BUYER", idempotency_key=f"bench-{no}")
    sent = time.perf_counter() - start
    entries = [e.entry_no for e in eng.approval_entries(approver="FINANCE", status="Open")]
    start = time.perf_counter()
    for n in entries:
        eng.approve(n, "FINANCE")
    return sent, time.perf_counter() - start


Rates = tuple[float, float, float]


def request_cost(port: int, pid: int, token: str, connections: int, count: int = 1000) -> dict[str, float]:
    """The server process's CPU per request (ms) for an answer without work (/healthz) and one that
    authenticates on a worker thread (/api/v1/me with a system token)."""
    found = {}
    for path, headers in (("/healthz", {}), ("/api/v1/me", {"Authorization": f"Bearer {token}"})):
        calls = [("GET", path, b"", headers)] * count
        run_calls(port, calls[:100], connections)
        before = cpu_seconds(pid)
        run_calls(port, calls, connections)
        found[path] = (cpu_seconds(pid) - before) / count * 1000
    return found


def best_rates(times: list[tuple[float, float]], n: int) -> Rates:
    """Events/s of the best round: sends, approvals, both (each side's best round of each)."""
    return n / min(t[0] for t in times), n / min(t[1] for t in times), 2 * n / min(t[0] + t[1] for t in times)


def shown(rates: Rates) -> str:
    return f"{rates[2]:7.0f} events/s  (sends {rates[0]:5.0f}/s, approvals {rates[1]:5.0f}/s)"


# ------------------------------------------------------------------ the parts


def http_against_in_process(url: str | None, n: int, connections: int, rounds: int) -> None:
    processes = (1, 2)  # `wf serve --workers P`
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        urls = {}
        for side in ("in-process", *processes):  # a store each (a SQLite file in a folder of its own)
            folder = Path(tmp) / str(side)
            folder.mkdir()
            urls[side] = stack.enter_context(database(url, str(folder)))
        local = prepare(urls["in-process"])
        served = {}
        for p in processes:
            eng = prepare(urls[p])
            served[p] = HttpSide(eng)
            eng.close()
        local_times: list[tuple[float, float]] = []
        http_times: dict[int, list[tuple[float, float]]] = {p: [] for p in processes}
        cpu = {"in-process": 0.0, "server": 0.0}
        servers = {p: stack.enter_context(server(urls[p], p)) for p in processes}
        warm = [f"WARM-{i}" for i in range(20 * max(processes))]  # first use: hashes, caches
        in_process_round(local, warm)
        for p in processes:
            served[p].round(servers[p][0], warm, connections)
        for r in range(rounds):
            names = [f"PI-{r}-{i}" for i in range(n)]
            before = cpu_seconds()
            local_times.append(in_process_round(local, names))
            cpu["in-process"] += cpu_seconds() - before
            for p in processes:
                port, pid = servers[p]
                before = cpu_seconds(pid)
                http_times[p].append(served[p].round(port, names, connections))
                if p == 1:  # one process: its CPU is the service's
                    cpu["server"] += cpu_seconds(pid) - before
        overhead = request_cost(*servers[1], served[1].events, connections)
        local.close()
    inproc = best_rates(local_times, n)
    kind = (url or "sqlite").split(":")[0]
    print(f"1. {kind}: {n} invoices sent for approval and approved per round ({2 * n} events), "
          f"best of {rounds} rounds")
    print(f"   in-process engine:                              {shown(inproc)}")
    ratios = {}
    for p in processes:
        over_http = best_rates(http_times[p], n)
        ratios[p] = over_http[2] / inproc[2]
        print(f"   HTTP API ({p} server process{'es' if p > 1 else '  '}, {connections:2} connections): "
              f"{shown(over_http)}  ratio {ratios[p]:.2f}x (sends {over_http[0] / inproc[0]:.2f}x, "
              f"approvals {over_http[1] / inproc[1]:.2f}x)")
    best = max(processes, key=lambda p: ratios[p])
    verdict = "target met" if ratios[best] >= TARGET else "TARGET MISSED"
    print(f"   ratio HTTP / in-process: {ratios[best]:.2f}x with `wf serve --workers {best}` "
          f"(target >= {TARGET}x: {verdict}); one process: {ratios[1]:.2f}x"
          + ("" if ratios[1] >= TARGET else " (under the target)"))
    events = 2 * n * rounds
    print(f"   CPU per event: in-process {cpu['in-process'] / events * 1000:.2f} ms, one server process "
          f"{cpu['server'] / events * 1000:.2f} ms; per request without an event: "
          + ", ".join(f"{path} {ms:.2f} ms" for path, ms in overhead.items()))


def pg_workers(pg_url: str, n: int, connections: int, rounds: int) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    probe = create_engine(pg_url)
    try:
        with probe.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        print(f"2. PostgreSQL: skipped, {pg_url} cannot be reached ({exc.orig})")
        return
    finally:
        probe.dispose()
    times: dict[int, list[tuple[float, float]]] = {1: [], 4: []}
    with tempfile.TemporaryDirectory() as tmp, database(pg_url, tmp) as one_url, \
            database(pg_url, tmp) as four_url:
        sides = {}
        for workers, url in ((1, one_url), (4, four_url)):
            eng = prepare(url)
            sides[workers] = HttpSide(eng)
            eng.close()
        with server(one_url, 1) as (port1, _), server(four_url, 4) as (port4, _):
            ports = {1: port1, 4: port4}
            for workers in (1, 4):
                sides[workers].round(ports[workers], [f"WARM-{i}" for i in range(40)], 2 * connections)
            for r in range(rounds):
                for workers in ((1, 4) if r % 2 == 0 else (4, 1)):
                    names = [f"PI-{r}-{i}" for i in range(n)]
                    times[workers].append(sides[workers].round(ports[workers], names, 2 * connections))
    one, four = best_rates(times[1], n), best_rates(times[4], n)
    cores = os.cpu_count() or 1
    print(f"2. postgresql: {n} invoices sent and approved per round ({2 * n} events), {2 * connections} "
          f"connections, best of {rounds} rounds, {cores} cores")
    print(f"   wf serve --workers 1: {shown(one)}")
    print(f"   wf serve --workers 4: {shown(four)}")
    ratio = four[2] / one[2]
    print(f"   ratio 4 / 1: {ratio:.2f}x (sends {four[0] / one[0]:.2f}x, approvals {four[1] / one[1]:.2f}x); "
          f"per core: {ratio / min(4, cores):.2f} (the processes share {cores} cores with the client)")


PARTS: list[tuple[str, Callable[[argparse.Namespace], None]]] = [
    ("http", lambda a: http_against_in_process(a.url, a.documents, a.connections, a.rounds)),
    ("pg", lambda a: pg_workers(a.pg_url, a.documents, a.connections, a.rounds)),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", default=None, help="part 1's database (default: temporary SQLite files)")
    ap.add_argument("--pg-url", default=os.environ.get("WERKSTROOM_PG_URL",
                                                       "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    ap.add_argument("--documents", type=int, default=300, help="invoices per round (default 300)")
    ap.add_argument("--connections", type=int, default=8, help="client connections (default 8; part 2: 2x)")
    ap.add_argument("--rounds", type=int, default=5,
                    help="rounds per side; each side's best counts (default 5)")
    ap.add_argument("--parts", default=",".join(name for name, _ in PARTS),
                    help=f"which parts to run (default all: {', '.join(name for name, _ in PARTS)})")
    args = ap.parse_args()
    wanted = set(args.parts.split(","))
    for name, part in PARTS:
        if name in wanted:
            part(args)


if __name__ == "__main__":
    main()
