"""Diagnostics as values: codes, severities, the Diagnostic record, and the one place they are rendered.

Codes are stable and grouped: WF1xx syntax, WF2xx names, WF3xx types and options, WF4xx workflow
shape, WF5xx runtime, WF6xx approvals and notifications, WF9xx catalogue/library registration.
Every code a user can hit is listed in ``CODES`` with a one-line meaning; ``docs/diagnostics.md``
documents each one and a test keeps the two in step.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

import attrs

from .source import Span


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@attrs.frozen
class CodeInfo:
    """What a diagnostic code means. ``title`` is a short sentence shown in docs and ``wf explain``."""

    code: str
    severity: Severity
    title: str


@attrs.frozen
class Label:
    """A secondary place a diagnostic points at (e.g. where a block was opened)."""

    span: Span
    message: str


@attrs.frozen
class Diagnostic:
    """One finding about a script, a catalogue or a run.

    ``code``: stable code (``WF103``). ``severity``: error/warning/note. ``message``: one sentence, no
    ANSI codes. ``span``: the exact region (carets go under it). ``label``: text written next to the
    carets. ``help``: a hint such as "did you mean `amount_lcy`?". ``notes``: extra lines.
    ``related``: secondary labelled spans.
    """

    code: str
    severity: Severity
    message: str
    span: Span | None = None
    label: str = ""
    help: str = ""
    notes: tuple[str, ...] = ()
    related: tuple[Label, ...] = ()

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "label": self.label,
            "help": self.help,
            "notes": list(self.notes),
        }
        if self.span is not None:
            s = self.span
            d["file"] = s.path
            d["start"] = {"line": s.line, "column": s.col, "offset": s.start}
            d["end"] = {"line": s.end_line, "column": s.end_col, "offset": s.end}
        d["related"] = [
            {"message": r.message, "file": r.span.path, "line": r.span.line, "column": r.span.col}
            for r in self.related
        ]
        return d


def has_errors(diags: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diags)


def sort_key(d: Diagnostic) -> tuple[str, int, int, str]:
    if d.span is None:
        return ("", 0, 0, d.code)
    return (d.span.path, d.span.line, d.span.col, d.code)
