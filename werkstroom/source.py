"""Source files and spans: the only code that maps character offsets to line:column."""

from __future__ import annotations

import bisect
import re
from functools import cached_property
from typing import NamedTuple

import attrs


@attrs.frozen
class SourceFile:
    """A decoded source text and the name it is reported under.

    ``path``: the name shown in diagnostics (a file path, or ``<string>``).
    ``text``: the full text, already decoded (a BOM removed, CRLF kept as is).
    """

    path: str
    text: str

    @cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        for m in _NEWLINE.finditer(self.text):
            starts.append(m.end())
        return starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a 0-based code-point offset; clamped to the text."""
        offset = max(0, min(offset, len(self.text)))
        starts = self._line_starts
        i = bisect.bisect_right(starts, offset) - 1
        return i + 1, offset - starts[i] + 1

    def offset(self, line: int, col: int) -> int:
        """The 0-based code-point offset of 1-based ``line`` and ``col``, clamped to the line and the text
        (the inverse of ``line_col``)."""
        starts = self._line_starts
        line = max(1, min(line, len(starts)))
        return starts[line - 1] + max(0, min(col - 1, len(self.line_text(line))))

    def line_text(self, line: int) -> str:
        """The text of 1-based ``line`` without its line break ('' when out of range)."""
        starts = self._line_starts
        if line < 1 or line > len(starts):
            return ""
        start = starts[line - 1]
        end = starts[line] if line < len(starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    @property
    def line_count(self) -> int:
        return len(self._line_starts)

    def span(self, start: int, end: int) -> Span:
        """A span over ``[start, end)`` of this file."""
        line, col = self.line_col(start)
        end_line, end_col = self.line_col(end)
        return Span(self.path, start, end, line, col, end_line, end_col)


_NEWLINE = re.compile(r"\r\n|\n|\r")


class Span(NamedTuple):
    """A region of a source file.

    ``path``: the file's reported name. ``start``/``end``: 0-based, end-exclusive code-point offsets.
    ``line``/``col``: 1-based start. ``end_line``/``end_col``: 1-based, ``end_col`` exclusive.
    Spans never take part in AST equality (nodes declare them with ``eq=False``).

    A named tuple rather than an attrs class: the parser makes one for nearly every AST node, and a
    tuple is built several times faster than a frozen attrs instance (same fields, read-only, equal
    and hashed by value). Build one with ``Span(path, start, end, line, col, end_line, end_col)`` or
    ``SourceFile.span(start, end)``.
    """

    path: str
    start: int
    end: int
    line: int
    col: int
    end_line: int
    end_col: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"

    def cover(self, other: Span) -> Span:
        """The smallest span holding both (same file assumed)."""
        a = self if self.start <= other.start else other
        last = self if self.end >= other.end else other
        return Span(a.path, a.start, last.end, a.line, a.col, last.end_line, last.end_col)


NO_SPAN = Span("<none>", 0, 0, 1, 1, 1, 1)
"""Used for synthesised nodes and catalogue-level diagnostics that have no source position."""
