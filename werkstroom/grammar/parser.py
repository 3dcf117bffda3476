"""Parsing .wf text: text in, ``ParseResult`` (AST + diagnostics) out, never an exception.

The pieces, each in its own module of this package:

* ``reading``: files to text (``read_source``, ``decode_source``), WF100/WF101/WF112;
* ``limits``: the limits (size, nesting, digits, errors per file) and their diagnostics;
* ``layout``: the post-lexer that makes line breaks and indentation tokens (WF106, WF108);
* ``lalr``: the LALR(1) parser for ``wf.lark`` (Lark, contextual lexer, tables cached on disk);
* ``lowering``: the AST built during the parse, one callback per grammar rule (WF108, WF111);
* ``syntax_errors``: a parse error in words (WF102-WF105, WF107, WF109-WF111, WF114);
* ``recovery``: after an error, the file cut into pieces parsed on their own, so one file reports
  several independent errors.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

import attrs

from ..diagnostics import Diagnostic, Severity
from ..source import SourceFile
from . import ast as A
from .lalr import LOCK
from .layout import lf_lines, whole_span
from .limits import MAX_ERRORS, MAX_SOURCE_BYTES, diag, too_large
from .recovery import parse_all

__all__ = ["ParseResult", "Pieces", "parse", "parse_source"]

Pieces = Callable[[SourceFile], tuple[list[A.Workflow | A.Step], list[Diagnostic]]]
"""What reads a whole text into its items and diagnostics, called with the parser's lock held
(``recovery.parse_all``)."""


@attrs.frozen
class ParseResult:
    """What ``parse`` returns. ``script``: the AST (the items that parsed cleanly when there are
    errors). ``diagnostics``: WF1xx findings in source order. ``source``: the text that was parsed."""

    script: A.Script
    diagnostics: tuple[Diagnostic, ...]
    source: SourceFile

    @property
    def ok(self) -> bool:
        """True when no diagnostic is an error."""
        return not any(d.is_error for d in self.diagnostics)


def parse(text: str, path: str = "<string>") -> ParseResult:
    """Parse .wf ``text`` reported as ``path``. Never raises: problems are WF1xx diagnostics."""
    return parse_source(SourceFile(path, text))


def parse_source(source: SourceFile, pieces: Pieces = parse_all) -> ParseResult:
    """Parse an already-read source file (see ``parse``). ``pieces``: what reads the text (the language
    server passes one that reuses the unchanged items of its last parse of the document)."""
    text = source.text
    if len(text) > MAX_SOURCE_BYTES:
        d = too_large(source.path, len(text.encode("utf-8", errors="replace")))
        return ParseResult(A.Script((), span=source.span(0, 0)), (d,), source)
    # The parse allocates many small, acyclic objects; the cyclic GC would scan them again and again
    # (25-35 % of the time on big files) and can never free any of them during the parse.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        with LOCK:
            items, diags = pieces(source)
    finally:
        if gc_was_enabled:
            gc.enable()
    if not items and not diags:
        diags.append(diag("WF113", "the file holds no workflow and no step", source.span(0, 0),
                          severity=Severity.WARNING, label="empty",
                          help='start with `workflow CODE "description"` or a one-line step '
                               "`on EVENT then RESPONSE`"))
    diags.sort(key=lambda d: (d.span.start if d.span else -1, d.code))
    script = A.Script(tuple(items), span=whole_span(source, lf_lines(text)))
    return ParseResult(script, tuple(diags[:MAX_ERRORS]), source)
