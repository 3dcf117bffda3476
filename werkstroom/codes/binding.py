"""WF2xx names, WF3xx types and options, WF4xx workflow shape: found by the binder and enable-time checks."""

from __future__ import annotations

from ..diagnostics import CodeInfo, Severity

E = Severity.ERROR
W = Severity.WARNING

CODES: tuple[CodeInfo, ...] = (
)
