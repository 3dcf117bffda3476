"""The README's service walkthrough works as written: its commands run in a fresh folder with a copy
of examples/, `wf serve` on the embedded default store, and its curl lines against that server (on a
free port instead of 8000)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## Serve it")
    end = text.index("\n## ", start + 3)
    return text[start:end]


def _commands(block: str) -> list[str]:
    """The block's commands, each with its continuation lines joined and its comment left out (for blocks
    of one-line commands)."""
    lines = block.replace("\\\n", " ").splitlines()
    return [c.split(" #")[0].strip() for c in lines if c.strip() and not c.startswith("#")]


def _json_values(text: str) -> list[dict[str, object]]:
    """The JSON objects curl printed one after the other (without newlines between them)."""
    decoder = json.JSONDecoder()
    found, at = [], 0
    while at < len(text.rstrip()):
        value, at = decoder.raw_decode(text, at)
        found.append(value)
        while at < len(text) and text[at].isspace():
            at += 1
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_readme_walkthrough_runs_against_a_real_server(tmp_path: Path) -> None:
    if shutil.which("curl") is None:
        pytest.fail("the README's walkthrough uses curl; install it (apt-get install curl)")
    server_block, client_block = re.findall(r"```sh\n(.*?)```", _section(), re.S)
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "wf"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m werkstroom "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("WERKSTROOM_DB", None)
    port = _free_port()
    log = tmp_path / "serve.log"
    server: subprocess.Popen[str] | None = None
    try:
        for command in _commands(server_block):
            if command.startswith("python -m pip install"):
                continue  # installed already
            if command.startswith("wf users set-password"):
                continue  # the inbox's password, asked at a terminal (tests/inbox signs in with its own)
            if command == "wf serve":
                server = subprocess.Popen(["wf", "serve", "--port", str(port)], cwd=tmp_path, env=env,
                                          stdout=subprocess.DEVNULL, stderr=log.open("w"))
                continue
            done = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True,
                                  text=True, timeout=300)
            assert done.returncode == 0, (command, done.stdout, done.stderr)
        assert server is not None, "the README starts no `wf serve`"
        _wait_ready(port)
        script = "set -e\n" + client_block.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        done = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        answers = _json_values(done.stdout)
        assert len(answers) == client_block.count("curl "), done.stdout
        sent, listed, approved, record = answers
        first = sent["handled"][0]
        assert (first["outcome"], first["workflow_code"]) == ("started", "PIAPW-EU")
        assert [(e["entry_no"], e["status"], e["document_no"], e["sender_id"]) for e in listed["items"]] == [
            (2, "Open", "PI-1001", "BUYER")]
        assert approved["handled"][0]["user"] == "FINANCE"
        assert record["status"] == "Released"
    finally:
        if server is not None:  # SIGTERM: the server finishes and stops (then ends by the signal, as uvicorn)
            server.send_signal(signal.SIGTERM)
            assert server.wait(60) in (0, -signal.SIGTERM)
            assert "Application shutdown complete" in log.read_text(encoding="utf-8")


def _wait_ready(port: int) -> None:
    import http.client

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("wf serve did not become ready")
