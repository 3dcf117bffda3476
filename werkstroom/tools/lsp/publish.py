"""Diagnostics as the editor receives them: each `wf check` diagnostic with its code, its span as a
range, the one renderer's text (message, notes, help), its labelled places as related information,
and, when it suggests something, the replacement its quick fix makes (in ``data``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lsprotocol import types

from ...diagnostics import Diagnostic, Severity
from ...render import render_message
from ...source import SourceFile
from .fixes import suggested_text
from .positions import Lines

__all__ = ["SOURCE", "to_lsp"]

SOURCE = "wf"
"""The ``source`` of every diagnostic the server publishes."""

_SEVERITY = {Severity.ERROR: types.DiagnosticSeverity.Error,
             Severity.WARNING: types.DiagnosticSeverity.Warning,
             Severity.NOTE: types.DiagnosticSeverity.Information}

_START = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))


def to_lsp(d: Diagnostic, source: SourceFile | None, lines: Callable[[str], Lines | None],
           uri: Callable[[str], str]) -> types.Diagnostic:
    """``d`` for the editor. ``source``: the text of the file it is about (None: none could be read);
    ``lines(path)`` the positions of another file's text, ``uri(path)`` its URI."""
    here = lines(source.path) if source is not None else None
    rng = here.range(d.span) if here is not None and d.span is not None else _START
    related = []
    for label in d.related:
        there = lines(label.span.path)
        related.append(types.DiagnosticRelatedInformation(
            location=types.Location(uri=uri(label.span.path),
                                    range=there.range(label.span) if there is not None else _START),
            message=label.message))
    data: dict[str, Any] | None = None
    fix = suggested_text(d, source) if source is not None else None
    if fix is not None:
        data = {"fix": fix}
    return types.Diagnostic(range=rng, message=render_message(d), severity=_SEVERITY[d.severity], code=d.code,
                            source=SOURCE, related_information=related or None, data=data)
