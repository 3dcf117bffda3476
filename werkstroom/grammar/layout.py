"""The layout pass: a Lark post-lexer that turns line breaks into ``_NL`` and indentation into
``_INDENT`` / ``_DEDENT``, and the per-parse state it shares with the AST builder and the error
messages.

Between ``on`` and ``then`` and inside ``( )`` / ``[ ]`` line breaks are insignificant (``on``/``then``
act like a pair of brackets), so a long condition may wrap. A line that dedents to no open level is
WF106; more than ``MAX_NESTING`` open levels or brackets stop the parse (``TooDeep``, WF108).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic
from ..source import SourceFile, Span
from .limits import MAX_NESTING, TAB_WIDTH, diag

if TYPE_CHECKING:
    from lark import Token

__all__ = ["STEP_LINE", "Layout", "ParseState", "TooDeep", "indent_width", "lf_lines", "tok_span",
           "whole_span"]


class TooDeep(Exception):
    """Raised by the layout pass past ``MAX_NESTING`` open levels; ``what``: "indentation" or
    "brackets"."""

    def __init__(self, tok: Any, what: str) -> None:
        super().__init__(what)
        self.tok = tok
        self.what = what


class ParseState:
    """Per-parse state shared by the post-lexer and the AST builder (one parse at a time)."""

    def __init__(self, source: SourceFile, end: int, base_indent: int = 0) -> None:
        self.source = source
        self.base_indent = base_indent
        self.path = source.path
        self.end = end
        self.diags: list[Diagnostic] = []
        self.on_tok: Any = None
        self.brackets: list[Any] = []
        self.last: Any = None
        self.prev: Any = None
        self.prev2: Any = None
        self.too_deep_reported = False
        self.bad_dedent_lines: set[int] = set()
        # Lark counts lines on "\n" only; a lone "\r" (old Mac line ends) needs SourceFile's count.
        self.exact_lines = lf_lines(source.text)


_LONE_CR = re.compile(r"\r(?!\n)")


def lf_lines(text: str) -> bool:
    """True when every line break of ``text`` is LF or CRLF (no lone CR)."""
    return _LONE_CR.search(text) is None


def _last_line(s: str) -> str:
    """The text after the last line break of ``s`` (all of ``s`` when it has none). Found from the
    end: a regex search for "the rest of the line at the end" would retry at every position of a long
    comment line, quadratic in its length."""
    return s[max(s.rfind("\n"), s.rfind("\r")) + 1:]


def whole_span(source: SourceFile, lf_only: bool) -> Span:
    """The span of the whole text, without building the line table when lines end in LF/CRLF
    (``lf_only``, see ``lf_lines``)."""
    text = source.text
    if not lf_only:
        return source.span(0, len(text))
    last = text.rfind("\n")
    return Span(source.path, 0, len(text), 1, 1, text.count("\n") + 1, len(text) - last)


def indent_width(s: str) -> int:
    """The width of the indentation ``s`` in columns (tabs to the next multiple of ``TAB_WIDTH``)."""
    col = 0
    for ch in s:
        if ch == "\t":
            col += TAB_WIDTH - col % TAB_WIDTH
        elif ch == "#":
            break
        elif ch != "\ufeff":  # a stray byte-order mark takes no room
            col += 1
    return col


class Layout:
    """Post-lexer: significant line breaks and indentation (see the module docstring). ``state``: the
    current parse's ``ParseState``, set before each parse."""

    always_accept = ("_NL",)

    def __init__(self) -> None:
        self.state: ParseState | None = None

    def process(self, stream: Iterator[Any]) -> Iterator[Any]:
        from lark import Token

        st = self.state
        assert st is not None
        indents = [st.base_indent]
        bodies = [False]  # per open level: is it a step's body (opened by a line ending in `then`)?
        emitted = False
        last_nl = False
        brackets = st.brackets
        for tok in stream:
            t = tok.type
            if t == "_NL":
                if not emitted or last_nl or st.on_tok is not None or brackets:
                    continue
                last_nl = True
                yield tok
                if tok.end_pos >= st.end:
                    continue  # trailing blank lines / comments at the end of the text
                indent = indent_width(_last_line(tok.value))
                if indent > indents[-1]:
                    if len(indents) > MAX_NESTING:
                        raise TooDeep(tok, "indentation")
                    indents.append(indent)
                    bodies.append(st.last is not None and st.last.type == "_THEN")
                    yield Token.new_borrow_pos("_INDENT", "", _at_end(tok))
                elif indent < indents[-1]:
                    open_levels = tuple(indents)
                    open_bodies = tuple(bodies)
                    while indent < indents[-1]:
                        indents.pop()
                        bodies.pop()
                        yield Token.new_borrow_pos("_DEDENT", "", _at_end(tok))
                    if indent != indents[-1]:
                        st.diags.append(_bad_dedent(st, tok, indent, open_levels, open_bodies))
                        st.bad_dedent_lines.add(tok.end_line)
                continue
            if not emitted:
                # the first line's own indentation counts too (an indented first line is WF107)
                text = st.source.text
                line_start = max(text.rfind("\n", 0, tok.start_pos), text.rfind("\r", 0, tok.start_pos)) + 1
                if indent_width(text[line_start:tok.start_pos]) > indents[-1]:
                    indents.append(indent_width(text[line_start:tok.start_pos]))
                    bodies.append(False)
                    yield Token.new_borrow_pos("_INDENT", "", tok)
            if t == "ON":
                st.on_tok = tok
            elif t == "_THEN":
                st.on_tok = None
            elif t == "LPAR" or t == "LSQB":
                brackets.append(tok)
                if len(brackets) > MAX_NESTING:
                    raise TooDeep(tok, "brackets")
            elif (t == "RPAR" or t == "RSQB") and brackets and \
                    brackets[-1].type == ("LPAR" if t == "RPAR" else "LSQB"):
                brackets.pop()
            emitted = True
            last_nl = False
            st.prev2 = st.prev
            st.prev = st.last
            st.last = tok
            yield tok
        if emitted:
            end_tok = _eof_token(st)
            if not last_nl and st.on_tok is None and not brackets:
                yield Token.new_borrow_pos("_NL", "", end_tok)
            while len(indents) > 1:
                indents.pop()
                yield Token.new_borrow_pos("_DEDENT", "", end_tok)


def _at_end(tok: Any) -> Token:
    from lark import Token

    return Token("_NL", "", tok.end_pos, tok.end_line, tok.end_column, tok.end_line, tok.end_column,
                 tok.end_pos)


def _eof_token(st: ParseState) -> Token:
    from lark import Token

    line, col = st.source.line_col(st.end)
    return Token("$END", "", st.end, line, col, line, col, st.end)


def _bad_dedent(st: ParseState, tok: Any, indent: int, levels: tuple[int, ...],
                bodies: tuple[bool, ...]) -> Diagnostic:
    """WF106. ``levels``: the indentations of the blocks open above the line; ``bodies``: which of
    them are steps' bodies. A step may go at any of them, a response or jump only in a step's body."""
    start = tok.end_pos
    span = st.source.span(start, start + 1)
    fits = levels
    if STEP_LINE.match(st.source.text, start) is None:
        fits = tuple(n for n, body in zip(levels, bodies, strict=True) if body) or levels
    choices = [str(n) for n in fits]
    said = choices[0] if len(choices) == 1 else ", ".join(choices[:-1]) + " or " + choices[-1]
    return diag("WF106", "this line's indentation does not match any outer block", span,
                label=f"indented {indent} column(s)",
                help=f"indent it {said} columns, like an enclosing line; "
                     f"a tab counts to the next multiple of {TAB_WIDTH}")


STEP_LINE = re.compile(r"(?i)on(?![\w-])")
"""Matches where a line starts a step (``on`` as a word)."""


def tok_span(st: ParseState, tok: Any) -> Span:
    """The span of token ``tok``, clamped to the text."""
    n = len(st.source.text)
    start = max(0, min(int(tok.start_pos or 0), n))
    end = max(start, min(int(tok.end_pos if tok.end_pos is not None else start), n))
    return st.source.span(start, end)
