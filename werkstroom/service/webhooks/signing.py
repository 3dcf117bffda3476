"""Webhook signatures: HMAC-SHA256 over ``timestamp + "." + body`` with the subscription's secret.

Every delivery carries ``Werkstroom-Signature: t=<unix seconds>,v1=<hex digest>``. A receiver
recomputes the digest over the timestamp, a dot and the raw body it received, compares it in constant
time, and refuses a timestamp too far from its own clock (a replayed old request). ``verify`` does
that; docs/service.md shows the same in ten lines for receivers without Werkstroom.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

SIGNATURE_HEADER = "Werkstroom-Signature"
DELIVERY_HEADER = "Werkstroom-Delivery"
KIND_HEADER = "Werkstroom-Kind"
TOLERANCE = 300  # seconds a receiver accepts between the timestamp and its clock
SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """A random signing secret (32 random bytes, URL-safe text)."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``timestamp.body`` with ``secret``."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Werkstroom-Signature`` value: ``t=<timestamp>,v1=<signature>``."""
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, *, now: float | None = None,
           tolerance: int = TOLERANCE) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` at a time within ``tolerance`` seconds of
    ``now`` (default: the clock). Any ``v1`` value may match (a header may carry several)."""
    fields = [part.partition("=") for part in header.split(",")]
    stamps = [value for key, _, value in fields if key.strip() == "t"]
    given = [value.strip() for key, _, value in fields if key.strip() == "v1"]
    if len(stamps) != 1 or not stamps[0].strip().isdigit() or not given:
        return False
    timestamp = int(stamps[0])
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, value) for value in given)


__all__ = ["DELIVERY_HEADER", "KIND_HEADER", "SIGNATURE_HEADER", "TOLERANCE", "new_secret", "signature",
           "signature_header", "verify"]
