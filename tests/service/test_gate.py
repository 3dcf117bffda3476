"""The store's gate on SQLite: one process at a time, across the processes using one database file
(`wf serve --workers N`, `wf worker`), waiting in the kernel rather than in SQLite's busy handler."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

from werkstroom.service.auth import tokens as token_store
from werkstroom.service.gate import StoreGate, gate_path, store_gate

from .conftest import ROOT, invoice, prepared
from .test_servers import post, serving

HOLD = """
import sys, time
from werkstroom.service.gate import StoreGate
gate = StoreGate(sys.argv[1])
with gate:
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_a_process_waits_while_another_holds_the_gate(tmp_path: Path) -> None:
    path = gate_path(f"sqlite:///{tmp_path / 'store.db'}")
    assert path == str(tmp_path / "store.db.gate")
    other = subprocess.Popen([sys.executable, "-c", HOLD, path, "1.0"], stdout=subprocess.PIPE, text=True,
                             cwd=ROOT)
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "held"
        start = time.monotonic()
        with StoreGate(path):
            waited = time.monotonic() - start
        assert 0.5 < waited < 30, waited  # it went in once the other process let go
    finally:
        other.wait(30)


def test_threads_of_one_process_take_turns_and_memory_has_no_file(tmp_path: Path) -> None:
    assert gate_path("sqlite://") is None and gate_path("sqlite:///:memory:") is None
    gate = store_gate(f"sqlite:///{tmp_path / 'store.db'}")
    inside: list[int] = []
    most = [0]

    def use() -> None:
        for _ in range(50):
            with gate:
                inside.append(1)
                most[0] = max(most[0], len(inside))
                inside.pop()

    threads = [threading.Thread(target=use) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most[0] == 1


def test_two_server_processes_on_one_sqlite_file_handle_every_event_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    eng = prepared(url)
    token, _ = token_store.create(eng, system="erp", scopes=["events"])
    documents = [f"PI-G{n}" for n in range(40)]
    answers: list[int] = []
    try:
        with serving(url, tmp_path / "serve.log", "--workers", "2") as port:
            todo = iter(documents)
            lock = threading.Lock()

            def send() -> None:
                while True:
                    with lock:
                        no = next(todo, None)
                    if no is None:
                        return
                    body = {"event": "PurchaseDocSentForApproval", "record": invoice(no), "user": "BUYER"}
                    answers.append(post(port, "/api/v1/events", body, token)[0])

            threads = [threading.Thread(target=send) for _ in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        assert answers == [200] * len(documents)
        assert sorted(i.record_key for i in eng.instances()) == sorted(f"Invoice|{no}" for no in documents)
    finally:
        eng.close()
    assert "locked" not in (tmp_path / "serve.log").read_text(encoding="utf-8")
