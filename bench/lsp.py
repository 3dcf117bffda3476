"""Language server benchmark: `wf lsp` started as a subprocess, spoken to in JSON-RPC over stdio.

Prints, in one run:
  * startup: from starting the process (with `initialize` sent at once) to the answer to `initialize`;
  * the first diagnostics of a 1,000-line file after `didOpen` (the catalogue is loaded then);
  * the time from a `didChange` of the 1,000-line file to the `publishDiagnostics` for that version,
    median over the repeats, against the target of 100 ms (pass/miss).

The 1,000-line file is the shipped MS- templates one after the other, each under its own code (so
they are checked as workflows, not templates: missing options, overlapping entry points and enable
refusals are reported, as for a real file being edited); the workspace also holds the examples'
scripts, so the overlap check runs across files. Each change types one more letter into the first
workflow's description, so everything after it moves (the most the server has to redo for an edit).

Run: python bench/lsp.py [--lines 1000] [--repeat 30]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 100.0


def big_file(lines: int) -> str:
    """The MS- templates under codes of their own, repeated until the text has ``lines`` lines."""
    templates = sorted((ROOT / "werkstroom" / "stdlib" / "templates").glob("*.wf"))
    out: list[str] = []
    n = 0
    while len(out) < lines:
        for t in templates:
            text = t.read_text(encoding="utf-8").replace("workflow MS-", f"workflow C{n}-", 1)
            out.extend(text.splitlines())
            out.append("")
            n += 1
            if len(out) >= lines:
                break
    return "\n".join(out[:lines]) + "\n"


class Client:
    """A minimal JSON-RPC client over a subprocess's stdin/stdout (Content-Length framing); a reader
    thread stamps every message with the time it arrived."""

    def __init__(self, cmd: list[str], cwd: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.inbox: queue.Queue[tuple[float, dict[str, Any]]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = 0
            while True:
                line = out.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            body = out.read(length)
            self.inbox.put((time.perf_counter(), json.loads(body)))

    def send(self, message: dict[str, Any]) -> float:
        data = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.proc.stdin is not None
        t = time.perf_counter()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.proc.stdin.flush()
        return t

    def request(self, method: str, params: Any) -> tuple[float, float, Any]:
        """(time sent, time answered, result)."""
        self.next_id += 1
        sent = self.send({"id": self.next_id, "method": method, "params": params})
        at, msg = self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)
        return sent, at, msg.get("result")

    def notify(self, method: str, params: Any) -> float:
        return self.send({"method": method, "params": params})

    def wait(self, wanted: Any, timeout: float = 60.0) -> tuple[float, dict[str, Any]]:
        end = time.perf_counter() + timeout
        while True:
            at, msg = self.inbox.get(timeout=max(0.01, end - time.perf_counter()))
            if "method" in msg and "id" in msg:  # a request from the server (e.g. registering a watcher)
                self.send({"id": msg["id"], "result": None})
            if wanted(msg):
                return at, msg

    def close(self) -> None:
        self.request("shutdown", None)
        self.notify("exit", None)
        self.proc.wait(timeout=30)


def diagnostics_for(uri: str, version: int) -> Any:
    return lambda m: (m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
                      and m["params"].get("version") == version)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        for example in sorted((ROOT / "examples").glob("*.wf")):
            shutil.copy(example, tmp)
        text = big_file(args.lines)
        path = Path(tmp) / "big.wf"
        path.write_text(text, encoding="utf-8")
        uri = path.as_uri()
        client = Client([sys.executable, "-m", "werkstroom", "lsp"], tmp)
        _sent, answered, _ = client.request("initialize", {
            "processId": os.getpid(), "rootUri": Path(tmp).as_uri(), "capabilities": {},
            "workspaceFolders": [{"uri": Path(tmp).as_uri(), "name": "bench"}]})
        print(f"workspace: {text.count(chr(10)):,}-line big.wf ({len(text):,} characters) "
              f"and {len(list(Path(tmp).glob('*.wf'))) - 1} example scripts")
        started = (answered - client.started) * 1000
        print(f"{'startup: process start -> initialize answered':<52} {started:8.1f} ms")
        client.notify("initialized", {})
        opened = client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "wf", "version": 1, "text": text}})
        at, msg = client.wait(diagnostics_for(uri, 1))
        print(f"{'didOpen -> first diagnostics (catalogue loaded)':<52} {(at - opened) * 1000:8.1f} ms  "
              f"({len(msg['params']['diagnostics'])} diagnostics)")
        times = []
        for version in range(2, args.repeat + 2):
            edited = text.replace('"', '"' + "x" * version, 1)  # one more letter typed each time
            changed = client.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": edited}]})
            at, msg = client.wait(diagnostics_for(uri, version))
            times.append((at - changed) * 1000)
        client.close()
    median = statistics.median(times)
    print(f"{'didChange -> publishDiagnostics, median':<52} {median:8.1f} ms  "
          f"(min {min(times):.1f}, max {max(times):.1f}, {len(times)} changes)")
    verdict = "pass" if median < TARGET_MS else "miss"
    print(f"{'target: diagnostics within':<52} {TARGET_MS:8.1f} ms  {verdict}")


if __name__ == "__main__":
    main()
