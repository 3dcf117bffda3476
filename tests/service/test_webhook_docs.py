"""The receiver docs/service.md shows, run as its own process against a worker: it takes signed
deliveries, skips a delivery it has seen, and refuses a wrong signature. The kinds table of the page
lists the kinds a subscription accepts."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from werkstroom.service.webhooks import Webhooks, sender
from werkstroom.service.webhooks.claims import Claimed
from werkstroom.service.webhooks.kinds import KNOWN_KINDS
from werkstroom.service.worker import Worker, WorkerSettings

from .hooklib import emit, hook_engine, wait_for

ROOT = Path(__file__).resolve().parents[2]
PAGE = (ROOT / "docs" / "service.md").read_text(encoding="utf-8")


def receiver_code() -> str:
    start = PAGE.index("A receiver in the standard library:")
    return re.search(r"```python\n(.*?)```", PAGE[start:], re.S).group(1)  # type: ignore[union-attr]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_documented_receiver_is_about_ten_lines_of_logic() -> None:
    lines = [line for line in receiver_code().splitlines() if line.strip() and not line.startswith(("import",
                                                                                                  "from"))]
    assert len(lines) <= 14


def test_the_documented_receiver_takes_deliveries_once_and_refuses_bad_signatures(
        engine_url: str, tmp_path: Path) -> None:
    script = tmp_path / "receiver.py"
    script.write_text(receiver_code())
    port, secret = free_port(), "the-receivers-own-secret"
    proc = subprocess.Popen([sys.executable, str(script)], env={**os.environ, "WEBHOOK_SECRET": secret,
                                                                "PORT": str(port)},
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    eng: Any = None
    try:
        url = f"http://127.0.0.1:{port}/hooks"
        assert wait_for(lambda: _answers(url), timeout=30)
        eng = hook_engine(engine_url)
        hooks = Webhooks(eng)
        hooks.add(url, ["document.released"], secret=secret)
        emit(eng, 2)
        Worker(eng, WorkerSettings(timers=False, notifications=False)).run_once()
        rows = hooks.deliveries()
        assert [d.status for d in rows] == ["delivered", "delivered"]
        with sender.client(5) as http:
            again = Claimed(rows[0].id, rows[0].delivery_id, 1, url, secret, "document.released",
                            _body(eng, rows[0].delivery_id), 1)
            assert sender.send(http, again).ok  # a repeat: answered, not handled twice
            forged = Claimed(99, "forged", 1, url, "not-the-secret-at-all", "document.released", "{}", 0)
            assert sender.send(http, forged).status == 401
            stale = sender.send(http, again, now=time.time() - 600)  # signed ten minutes ago
            assert stale.status == 401
    finally:
        proc.terminate()
        out = proc.communicate(timeout=10)[0]
        if eng is not None:
            eng.close()
    lines = out.splitlines()
    assert len(lines) == 2 and all(line.startswith("document.released {") for line in lines)
    assert '"no":"D1"' in lines[0] and '"no":"D2"' in lines[1]


def _answers(url: str) -> bool:
    try:
        httpx.get(url, timeout=1)
    except httpx.HTTPError:
        return False
    return True


def _body(eng: Any, delivery_id: str) -> str:
    with eng.transaction() as uow:
        from sqlalchemy import text

        return str(uow.session.execute(text("SELECT body FROM wf_webhook_delivery WHERE delivery_id = :d"),
                                       {"d": delivery_id}).scalar())


def test_the_kinds_table_lists_every_kind() -> None:
    start = PAGE.index("### Kinds")
    table = PAGE[start:PAGE.index("### What a receiver gets")]
    listed = set(re.findall(r"`([a-z_]+\.[a-z_]+|message)`", table)) - {"document.*"}
    assert listed == set(KNOWN_KINDS)
