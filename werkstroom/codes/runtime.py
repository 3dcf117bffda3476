"""WF5xx: errors raised while the engine runs (payloads, lifecycle, idempotency)."""

from __future__ import annotations

from ..diagnostics import CodeInfo, Severity

E = Severity.ERROR
W = Severity.WARNING

CODES: tuple[CodeInfo, ...] = (
)
