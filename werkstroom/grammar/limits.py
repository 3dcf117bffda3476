"""The parser's limits (file size, nesting, number digits, errors per file, tab width) and the WF1xx
diagnostics every stage of the parser builds its findings with."""

from __future__ import annotations

from ..diagnostics import Diagnostic, Label, Severity
from ..source import Span

__all__ = [
    "MAX_ERRORS",
    "MAX_NESTING",
    "MAX_NUMBER_DIGITS",
    "MAX_SOURCE_BYTES",
    "TAB_WIDTH",
    "diag",
    "nesting_diag",
    "too_large",
]

MAX_NESTING = 64
"""The deepest nesting accepted: open ``(``/``[``, chained ``not``/``any ... with``, indentation levels."""

MAX_SOURCE_BYTES = 4 * 1024 * 1024
"""Files larger than this (4 MiB, far beyond any real workflow script) are refused with WF112."""

TAB_WIDTH = 4
"""A tab in indentation advances to the next multiple of this many columns."""

MAX_ERRORS = 50
"""At most this many syntax errors are reported per file."""

MAX_NUMBER_DIGITS = 40
"""A number literal (integer or decimal) has at most this many digits (WF111 beyond)."""


def diag(code: str, message: str, span: Span | None, *, label: str = "", help: str = "",
         related: tuple[Label, ...] = (), severity: Severity = Severity.ERROR) -> Diagnostic:
    return Diagnostic(code, severity, message, span, label=label, help=help, related=related)


def too_large(name: str, size: int) -> Diagnostic:
    return diag("WF112", f"`{name}` is too large ({size:,} bytes; the limit is "
                f"{MAX_SOURCE_BYTES:,} bytes)", None,
                help="split the workflows over several files")


def nesting_diag(span: Span, what: str) -> Diagnostic:
    return diag("WF108", f"too deeply nested: more than {MAX_NESTING} levels of {what}", span,
                label="nesting limit reached here",
                help="split the condition or the step tree; the limit keeps the checker and the "
                     "engine safe from runaway input")
