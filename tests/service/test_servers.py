"""`wf serve` as separate processes: 8 server processes on one PostgreSQL store, each sent the same
documents at once, start one instance per document (the others are refused with WF516, as the engine
refuses a second start); `--workers` runs several processes on one port; SIGTERM stops a server
gracefully."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from werkstroom import Engine
from werkstroom.service.auth import tokens as token_store

from .conftest import ROOT, invoice, prepared


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(url: str, log: Path, *args: str) -> Iterator[int]:
    """`wf serve` on ``url`` in a process of its own (more with ``--workers``); yields its port once it is
    ready, then stops it with SIGTERM."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    with log.open("w") as out:
        command = [sys.executable, "-m", "werkstroom", "--db", url, "serve", "--port", str(port), *args]
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 240
        while not _ready(port):
            assert proc.poll() is None, log.read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "wf serve did not become ready"
            time.sleep(0.2)
        yield port
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(120)
        assert code in (0, -signal.SIGTERM), log.read_text(encoding="utf-8")


def _ready(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/readyz")
        return conn.getresponse().status == 200
    except OSError:
        return False


def post(port: int, path: str, body: object, token: str) -> tuple[int, dict[str, object]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("POST", path, body=json.dumps(body),
                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    answer = conn.getresponse()
    data = json.loads(answer.read())
    conn.close()
    return answer.status, data


@pytest.mark.postgres
@pytest.mark.parametrize("engine_url", ["postgresql"], indirect=True)
def test_eight_server_processes_sent_the_same_documents_start_one_instance_each(
        engine: Engine, engine_url: str, tmp_path: Path) -> None:
    token, _ = token_store.create(engine, system="erp", scopes=["events"])
    documents = [f"PI-{n}" for n in range(12)]
    with _servers(engine_url, tmp_path, 8) as ports:
        answers: dict[str, list[tuple[int, object]]] = {no: [] for no in documents}
        for no in documents:  # the 8 processes get each document at the same moment
            barrier = threading.Barrier(len(ports))

            def send(port: int, no: str = no, barrier: threading.Barrier = barrier) -> None:
                body = {"event": "PurchaseDocSentForApproval", "record": invoice(no), "user": "BUYER"}
                barrier.wait()
                status, data = post(port, "/api/v1/events", body, token)
                answers[no].append((status, data.get("code") or data["handled"][0]["outcome"]))  # type: ignore[index]

            threads = [threading.Thread(target=send, args=(port,)) for port in ports]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    for no in documents:
        assert sorted(answers[no], key=str) == sorted([(200, "started")] + [(409, "WF516")] * 7, key=str), no
    instances = engine.instances()
    assert sorted(i.record_key for i in instances) == sorted(f"Invoice|{no}" for no in documents)
    for no in documents:
        assert [e.status for e in engine.approval_entries(record_key=f"Invoice|{no}")] == ["Approved", "Open"]


@contextmanager
def _servers(url: str, tmp_path: Path, count: int) -> Iterator[list[int]]:
    from contextlib import ExitStack

    with ExitStack() as stack:
        ports = [stack.enter_context(serving(url, tmp_path / f"serve-{n}.log")) for n in range(count)]
        yield ports


@pytest.mark.postgres
@pytest.mark.parametrize("engine_url", ["postgresql"], indirect=True)
def test_workers_share_one_port_and_log_json_lines(engine_url: str, tmp_path: Path) -> None:
    eng = prepared(engine_url)
    token, _ = token_store.create(eng, system="erp", scopes=["events"])
    log = tmp_path / "serve.log"
    try:
        with serving(engine_url, log, "--workers", "2", "--log-format", "json") as port:
            for n in range(6):
                status, data = post(port, "/api/v1/events",
                                    {"event": "PurchaseDocSentForApproval", "record": invoice(f"PI-W{n}"),
                                     "user": "BUYER"}, token)
                assert status == 200, data
        assert len(eng.instances()) == 6
    finally:
        eng.close()
    text = log.read_text(encoding="utf-8")
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    started = {m.group(1) for line in lines if (m := re.match(r"Started server process \[(\d+)\]",
                                                                  line["message"]))}
    assert len(started) == 2
    assert sum(1 for line in lines if line.get("path") == "/api/v1/events" and line["status"] == 200) == 6
