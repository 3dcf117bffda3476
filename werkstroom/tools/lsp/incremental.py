"""Parsing a document again after an edit, reusing what did not change.

The text is cut where the parser's error recovery cuts it (``grammar.recovery.top_chunks``: at each
line that starts with `workflow` or `on`); each piece is parsed on its own (``grammar.lalr.
parse_region``), except a piece whose text the last parse of the document had too: its items are
taken from that parse, their spans moved to where the piece is now (pieces start at the beginning
of a line, so only offsets and line numbers move). When any piece does not parse cleanly on its own,
the whole text is read by ``grammar.recovery.parse_all`` as `wf check` reads it; either way
``grammar.parser.parse_source`` makes the result, so it is the one `wf check` gets for the text.
"""

from __future__ import annotations

from typing import Any

import attrs

from ...diagnostics import Diagnostic, Label
from ...grammar import ast as A
from ...grammar.lalr import parse_region
from ...grammar.parser import ParseResult, parse_source
from ...grammar.recovery import parse_all, top_chunks
from ...source import SourceFile, Span

__all__ = ["Reparser"]

Item = A.Workflow | A.Step

_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in attrs.fields(cls) if f.name != "span")
    for cls in vars(A).values() if isinstance(cls, type) and attrs.has(cls) and cls.__module__ == A.__name__
}
"""Every AST node class and its fields other than ``span``."""


@attrs.frozen
class _Piece:
    """A piece of text as the last parse read it: where it started (offset, line), its items and the
    diagnostics (warnings only: a piece with an error is never kept)."""

    start: int
    line: int
    items: tuple[Item, ...]
    diags: tuple[Diagnostic, ...]


class Reparser:
    """Parses one document again and again (see the module docstring); one per document."""

    def __init__(self) -> None:
        self._pieces: dict[str, _Piece] = {}

    def parse(self, source: SourceFile) -> ParseResult:
        return parse_source(source, self._read)

    def _read(self, source: SourceFile) -> tuple[list[Item], list[Diagnostic]]:
        """The items and diagnostics of the text, called by ``parse_source`` with the parser's lock held."""
        text = source.text
        kept: dict[str, _Piece] = {}
        items: list[Item] = []
        diags: list[Diagnostic] = []
        for start, end in top_chunks(text) if text else []:
            piece_text = text[start:end]
            line = source.line_col(start)[0]
            piece = self._pieces.get(piece_text)
            if piece is None:
                script, found, err = parse_region(source, start, end)
                if script is None or err is not None or any(d.is_error for d in found):
                    self._pieces = {}
                    return parse_all(source)
                piece = _Piece(start, line, script.items, tuple(found))
            elif (piece.start, piece.line) != (start, line):
                piece = _moved(piece, start, line)
            kept[piece_text] = piece
            items.extend(piece.items)
            diags.extend(piece.diags)
        self._pieces = kept
        return items, diags


def _moved(piece: _Piece, start: int, line: int) -> _Piece:
    by, lines = start - piece.start, line - piece.line

    def span(s: Span) -> Span:
        return Span(s.path, s.start + by, s.end + by, s.line + lines, s.col, s.end_line + lines, s.end_col)

    def node(n: Any) -> Any:
        fields = _FIELDS.get(n.__class__)
        if fields is None:  # a value: text, number, date, None
            return n
        new = object.__new__(n.__class__)
        for name in fields:
            value = getattr(n, name)
            if value.__class__ is tuple:
                value = tuple([node(v) for v in value])
            elif value.__class__ in _FIELDS:
                value = node(value)
            object.__setattr__(new, name, value)  # how attrs itself fills a frozen instance
        object.__setattr__(new, "span", span(n.span))
        return new

    diags = tuple(attrs.evolve(d, span=span(d.span) if d.span is not None else None,
                               related=tuple(Label(span(r.span), r.message) for r in d.related))
                  for d in piece.diags)
    return _Piece(start, line, tuple(node(i) for i in piece.items), diags)
