"""Exceptions raised to API callers; each carries a stable code documented in docs/diagnostics.md."""

from __future__ import annotations

from collections.abc import Sequence

from .diagnostics import Diagnostic


class WerkstroomError(Exception):
    """Base of every error Werkstroom raises on purpose. ``code``: e.g. ``WF501``.

    Werkstroom's own raises always give a declared code (a subclass's ``code`` or ``code=``; tests check
    both). The default WF500 is declared and documented as "raised without its own code": what a partner
    library's bare ``WerkstroomError("...")`` (public in ``werkstroom.extend``) reports."""

    code: str = "WF500"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.message} [{self.code}]"


class DiagnosticsError(WerkstroomError):
    """Raised when a script or workflow has error diagnostics (e.g. enabling a broken workflow).

    ``code`` is required (usually the first error's code): there is no catch-all default."""

    def __init__(self, message: str, diagnostics: Sequence[Diagnostic], *, code: str) -> None:
        super().__init__(message, code=code)
        self.diagnostics = tuple(diagnostics)
