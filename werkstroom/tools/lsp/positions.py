"""Places in a document: spans (1-based lines, code-point columns) to LSP positions (0-based lines,
columns in the client's code units: UTF-16 unless it chose UTF-8 or UTF-32) and back."""

from __future__ import annotations

from lsprotocol import types

from ...source import SourceFile, Span

__all__ = ["Lines"]


def _units(text: str, encoding: str) -> int:
    """How many code units ``text`` takes in the client's encoding."""
    if text.isascii() or encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", errors="surrogatepass"))
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class Lines:
    """Position conversion for one source text. ``encoding``: the negotiated position encoding."""

    def __init__(self, source: SourceFile, encoding: str = types.PositionEncodingKind.Utf16) -> None:
        self.source = source
        self.encoding = encoding

    def position(self, line: int, col: int) -> types.Position:
        """The LSP position of 1-based ``line`` and code-point ``col``."""
        text = self.source.line_text(line)
        return types.Position(line=max(0, line - 1), character=_units(text[: max(0, col - 1)], self.encoding))

    def range(self, span: Span) -> types.Range:
        return types.Range(start=self.position(span.line, span.col),
                           end=self.position(span.end_line, span.end_col))

    def offset(self, pos: types.Position) -> int:
        """The code-point offset in the text of an LSP position (clamped to its line)."""
        line = pos.line + 1
        text = self.source.line_text(line)
        if text.isascii() or self.encoding == types.PositionEncodingKind.Utf32:
            col = pos.character
        else:
            col, used = 0, 0
            while col < len(text) and used < pos.character:
                used += _units(text[col], self.encoding)
                col += 1
        return self.source.offset(line, col + 1)
