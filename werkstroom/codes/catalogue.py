"""WF9xx: catalogue and library registration errors (stdlib and partner libraries)."""

from __future__ import annotations

from ..diagnostics import CodeInfo, Severity

E = Severity.ERROR
W = Severity.WARNING

CODES: tuple[CodeInfo, ...] = (
)
