"""What the webhook and worker tests run on: a small library whose one workflow writes a
``document.released`` outbox row per event, a real HTTP receiver on 127.0.0.1 that checks the
signature and records the delivery ids it was sent, and a wait helper."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from werkstroom import deploy, open_engine
from werkstroom.extend import (
    EventSpec,
    FieldKind,
    FieldSpec,
    Library,
    PhrasePattern,
    RecordSpec,
    ResponseSpec,
)
from werkstroom.service.webhooks.signing import DELIVERY_HEADER, KIND_HEADER, SIGNATURE_HEADER, verify

RECORD = RecordSpec("HookDoc", "a document the webhook tests release",
                    fields=(FieldSpec("no", FieldKind.CODE), FieldSpec("amount", FieldKind.DECIMAL)),
                    key=("no",))


def _release(ctx: Any) -> None:
    ctx.emit_effect("document.released", {"no": ctx.document.values["no"],
                                          "amount": ctx.document.values["amount"]})


def _message(ctx: Any) -> None:
    ctx.show_message(f"{ctx.document.values['no']} was released")


def _notify(ctx: Any) -> None:  # a notification entry for U (skipped unless U is in the setup)
    ctx.notifications.create_entry({"recipient": "U", "entry_type": "new record"})


LIBRARY = Library("hook-test", "1", records=(RECORD,),
                  events=(EventSpec("HookDocSent", "a hook document is sent", "HookDoc"),),
                  responses=(ResponseSpec("release_hook_doc", "release the hook document",
                                          (PhrasePattern("release hook doc"),), _release),
                             ResponseSpec("tell_hook_user", "tell the user",
                                          (PhrasePattern("tell hook user"),), _message),
                             ResponseSpec("notify_hook_user", "notify the user",
                                          (PhrasePattern("queue hook notice"),), _notify)))

SCRIPT = """\
workflow HOOK "Release hook documents"
  on HookDocSent then
     release hook doc
     tell hook user
     queue hook notice
"""

# U gets its notifications as notes on the record (no SMTP server needed)
SETUP = {"users": [{"id": "U", "approver": "U"}],
         "notifications": [{"user": "U", "type": "new record", "method": "note"}]}


def hook_engine(url: str, **kwargs: Any) -> Any:
    """An engine on ``url`` with the library installed and the HOOK workflow enabled."""
    eng = open_engine(url, libraries=[LIBRARY], **kwargs)
    if not eng.workflows():
        deploy(eng, SCRIPT, "hook.wf")
        eng.enable("HOOK")
    return eng


def emit(eng: Any, n: int, start: int = 1) -> None:
    for i in range(start, start + n):
        eng.emit("HookDocSent", {"no": f"D{i}", "amount": f"{i}.50"}, user="U")


class Receiver:
    """A real HTTP server on 127.0.0.1 taking webhook deliveries: it checks each request's signature
    with ``secret`` (401 when it does not verify), answers with ``answer(n)`` for the n-th request
    (default 200) and records the delivery ids, kinds and bodies of those it accepted."""

    def __init__(self, secret: str = "", answer: Callable[[int], int] | None = None) -> None:
        self.secret = secret
        self.answer = answer or (lambda n: 200)
        self.requests = 0
        self.bad_signatures = 0
        self.accepted: list[str] = []  # delivery ids of accepted requests, in arrival order
        self.bodies: dict[str, dict[str, Any]] = {}
        self.kinds: dict[str, str] = {}
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as most receivers

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.requests += 1
                    n = receiver.requests
                ok = verify(receiver.secret, self.headers.get(SIGNATURE_HEADER, ""), body)
                status = receiver.answer(n) if ok else 401
                if ok and 200 <= status < 300:
                    delivery = self.headers[DELIVERY_HEADER]
                    with receiver.lock:
                        receiver.accepted.append(delivery)
                        receiver.bodies[delivery] = json.loads(body)
                        receiver.kinds[delivery] = self.headers[KIND_HEADER]
                elif not ok:
                    with receiver.lock:
                        receiver.bad_signatures += 1
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def unique(self) -> set[str]:
        with self.lock:
            return set(self.accepted)

    def repeats(self) -> Counter[str]:
        with self.lock:
            return Counter(d for d, n in Counter(self.accepted).items() if n > 1 for _ in range(n - 1))

    @contextmanager
    def running(self) -> Iterator[Receiver]:
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.server.shutdown()
            self.server.server_close()


def wait_for(check: Callable[[], bool], timeout: float = 30.0, step: float = 0.05) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(step)
    return check()
