"""Sending one delivery: an HTTP POST of its JSON body, signed, with a timeout (httpx).

Headers: ``Content-Type: application/json``, ``Werkstroom-Delivery`` (the id to deduplicate on),
``Werkstroom-Kind`` (the outbox kind) and ``Werkstroom-Signature`` (``t=<unix>,v1=<hex>``, signed at
the moment of sending). A 2xx answer delivers it; any other answer, a redirect (not followed), a
timeout or a connection error is a failed attempt, retried after the backoff.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from .claims import Claimed, Outcome
from .signing import DELIVERY_HEADER, KIND_HEADER, SIGNATURE_HEADER, signature_header

if TYPE_CHECKING:
    import httpx

USER_AGENT = "Werkstroom-Webhooks/1"


def client(timeout: float, connections: int = 10) -> httpx.Client:
    """An HTTP client for deliveries: ``timeout`` seconds to connect, per read and per write; no
    redirects followed; up to ``connections`` connections kept."""
    import httpx

    return httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=False,
                        limits=httpx.Limits(max_connections=connections,
                                            max_keepalive_connections=connections),
                        headers={"User-Agent": USER_AGENT})


def send(http: httpx.Client, item: Claimed, now: float | None = None) -> Outcome:
    """POST ``item`` to its subscription's URL; the outcome (never raises for the receiver's faults)."""
    import httpx

    content = item.body.encode()
    stamp = int(time.time() if now is None else now)
    headers = {"Content-Type": "application/json", DELIVERY_HEADER: item.delivery_id, KIND_HEADER: item.kind,
               SIGNATURE_HEADER: signature_header(item.secret, stamp, content)}
    try:
        answer = http.post(item.url, content=content, headers=headers)
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        return Outcome(False, None, f"{type(exc).__name__}: {exc or 'no answer'}")
    if 200 <= answer.status_code < 300:
        return Outcome(True, answer.status_code)
    text = " ".join(answer.text[:200].split())
    return Outcome(False, answer.status_code, f"HTTP {answer.status_code}" + (f": {text}" if text else ""))


__all__ = ["USER_AGENT", "client", "send"]
