"""The table of every diagnostic code, gathered from one module per code range."""

from __future__ import annotations

from ..diagnostics import CodeInfo
from . import approvals, binding, catalogue, delivery, inbox, runtime, service, specs, syntax, tools

CODES: dict[str, CodeInfo] = {}
for _mod in (syntax, binding, runtime, approvals, specs, service, delivery, inbox, catalogue, tools):
    for _info in _mod.CODES:
        if _info.code in CODES:
            raise RuntimeError(f"diagnostic code {_info.code} is declared twice")
        CODES[_info.code] = _info


def info(code: str) -> CodeInfo:
    """The meaning of ``code``; a KeyError names a code nobody declared (a bug, caught by tests)."""
    return CODES[code]
