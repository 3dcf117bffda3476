"""Reading and parsing .wf files: text in, ``ParseResult`` (AST + diagnostics) out, never an exception.

The grammar (``wf.lark``) is LALR(1) with Lark's contextual lexer. Two pieces of our own sit around it:

* ``_Layout``, a post-lexer, turns line breaks into ``_NL`` and indentation into ``_INDENT`` /
  ``_DEDENT``. Between ``on`` and ``then`` and inside ``( )`` / ``[ ]`` line breaks are insignificant
  (``on``/``then`` act like a pair of brackets), so a long condition may wrap.
* ``_Builder`` holds one callback per grammar rule and builds the frozen AST *during* the LALR parse
  (no parse tree is ever built); spans come straight from the tokens. Its table (``callbacks``)
  replaces Lark's reduce callbacks outright: Lark's generic wrappers (child filters, a ``Tree`` for
  every inlined ``_rule``) are not used; pass-through rules are C ``itemgetter``s, inlined rules are
  plain lists, and the hottest rules have hand-written fast paths (``_FAST``, tested against the
  generic ones).

Syntax errors become WF1xx diagnostics worded for people ("expected `then` after the condition").
After an error the file is cut at each top-level ``workflow``/``on`` line, and a failing workflow
again at each of its steps, and every piece is parsed on its own, so one file can report several
independent errors.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import gc
import os
import re
import threading
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import attrs

from ..diagnostics import Diagnostic, Label, Severity
from ..numbers import written_number
from ..source import SourceFile, Span
from . import ast as A

if TYPE_CHECKING:
    from lark import Lark, Token

__all__ = [
    "MAX_NESTING",
    "MAX_SOURCE_BYTES",
    "TAB_WIDTH",
    "ParseResult",
    "parse",
    "parse_source",
    "read_source",
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

GRAMMAR_PATH = Path(__file__).with_name("wf.lark")


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


# --------------------------------------------------------------------------- reading files


def read_source(path: str | os.PathLike[str]) -> SourceFile | Diagnostic:
    """Read a .wf file as UTF-8 (a leading BOM is dropped; CRLF is kept). Every failure is a
    diagnostic: WF100 (missing, a directory, unreadable), WF101 (not UTF-8 text), WF112 (too large)."""
    name = os.fspath(path)
    p = Path(name)
    try:
        if p.is_dir():
            return _diag("WF100", f"`{name}` is a directory, not a .wf file", None,
                         help="pass the directory to `wf check`, which reads every *.wf file in it")
        size = p.stat().st_size
        if size > MAX_SOURCE_BYTES:
            return _too_large(name, size)
        data = p.read_bytes()
    except FileNotFoundError:
        return _diag("WF100", f"cannot read `{name}`: no such file", None)
    except OSError as exc:
        return _diag("WF100", f"cannot read `{name}`: {exc.strerror or exc}", None)
    return decode_source(name, data)


def decode_source(name: str, data: bytes) -> SourceFile | Diagnostic:
    """Decode file bytes (see ``read_source``)."""
    if len(data) > MAX_SOURCE_BYTES:
        return _too_large(name, len(data))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    nul = data.find(b"\x00")
    if nul >= 0:
        return _diag("WF101", f"`{name}` looks like a binary file, not .wf text",
                     _bytes_span(name, data, nul), label="a NUL byte",
                     help="a .wf script is plain UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _diag("WF101", f"`{name}` is not valid UTF-8 text", _bytes_span(name, data, exc.start),
                     label=f"byte 0x{data[exc.start]:02x} is not UTF-8",
                     help="save the file as UTF-8 (most editors: 'Save with encoding')")
    return SourceFile(name, text)


def _too_large(name: str, size: int) -> Diagnostic:
    return _diag("WF112", f"`{name}` is too large ({size:,} bytes; the limit is "
                 f"{MAX_SOURCE_BYTES:,} bytes)", None,
                 help="split the workflows over several files")


def _bytes_span(name: str, data: bytes, offset: int) -> Span:
    before = data[:offset].decode("utf-8", errors="replace")
    line = before.count("\n") + 1
    col = len(before) - (before.rfind("\n") + 1) + 1
    return Span(name, len(before), len(before) + 1, line, col, line, col + 1)


def _diag(code: str, message: str, span: Span | None, *, label: str = "", help: str = "",
          related: tuple[Label, ...] = (), severity: Severity = Severity.ERROR) -> Diagnostic:
    return Diagnostic(code, severity, message, span, label=label, help=help, related=related)


# --------------------------------------------------------------------------- the Lark parser


class _TooDeep(Exception):
    def __init__(self, tok: Any, what: str) -> None:
        super().__init__(what)
        self.tok = tok
        self.what = what


class _State:
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
        self.exact_lines = _LONE_CR.search(source.text) is None


_LONE_CR = re.compile(r"\r(?!\n)")


def _last_line(s: str) -> str:
    """The text after the last line break of ``s`` (all of ``s`` when it has none). Found from the
    end: a regex search for "the rest of the line at the end" would retry at every position of a long
    comment line, quadratic in its length."""
    return s[max(s.rfind("\n"), s.rfind("\r")) + 1:]


def _whole_span(source: SourceFile, lf_lines: bool) -> Span:
    """The span of the whole text, without building the line table when lines end in LF/CRLF."""
    text = source.text
    if not lf_lines:
        return source.span(0, len(text))
    last = text.rfind("\n")
    return Span(source.path, 0, len(text), 1, 1, text.count("\n") + 1, len(text) - last)


def _indent_width(s: str) -> int:
    col = 0
    for ch in s:
        if ch == "\t":
            col += TAB_WIDTH - col % TAB_WIDTH
        elif ch == "#":
            break
        elif ch != "\ufeff":  # a stray byte-order mark takes no room
            col += 1
    return col


class _Layout:
    """Post-lexer: significant line breaks and indentation (see the module docstring)."""

    always_accept = ("_NL",)

    def __init__(self) -> None:
        self.state: _State | None = None

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
                indent = _indent_width(_last_line(tok.value))
                if indent > indents[-1]:
                    if len(indents) > MAX_NESTING:
                        raise _TooDeep(tok, "indentation")
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
                if _indent_width(text[line_start:tok.start_pos]) > indents[-1]:
                    indents.append(_indent_width(text[line_start:tok.start_pos]))
                    bodies.append(False)
                    yield Token.new_borrow_pos("_INDENT", "", tok)
            if t == "ON":
                st.on_tok = tok
            elif t == "_THEN":
                st.on_tok = None
            elif t == "LPAR" or t == "LSQB":
                brackets.append(tok)
                if len(brackets) > MAX_NESTING:
                    raise _TooDeep(tok, "brackets")
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


def _eof_token(st: _State) -> Token:
    from lark import Token

    line, col = st.source.line_col(st.end)
    return Token("$END", "", st.end, line, col, line, col, st.end)


def _bad_dedent(st: _State, tok: Any, indent: int, levels: tuple[int, ...],
                bodies: tuple[bool, ...]) -> Diagnostic:
    """WF106. ``levels``: the indentations of the blocks open above the line; ``bodies``: which of
    them are steps' bodies. A step may go at any of them, a response or jump only in a step's body."""
    start = tok.end_pos
    span = st.source.span(start, start + 1)
    fits = levels
    if _STEP_LINE.match(st.source.text, start) is None:
        fits = tuple(n for n, body in zip(levels, bodies, strict=True) if body) or levels
    choices = [str(n) for n in fits]
    said = choices[0] if len(choices) == 1 else ", ".join(choices[:-1]) + " or " + choices[-1]
    return _diag("WF106", "this line's indentation does not match any outer block", span,
                 label=f"indented {indent} column(s)",
                 help=f"indent it {said} columns, like an enclosing line; "
                      f"a tab counts to the next multiple of {TAB_WIDTH}")


class _Cat:
    __slots__ = ("name",)

    def __init__(self, name: A.Name) -> None:
        self.name = name


class _Builder:
    """One method per grammar rule (or alias); each gets the rule's children as a list."""

    def __init__(self) -> None:
        self.st: _State | None = None
        self.path = ""

    def begin(self, st: _State | None) -> None:
        """Attach the builder to one parse (``None`` detaches it)."""
        self.st = st
        if st is not None:
            self.path = st.path
            # Lark counts lines on "\n" only; with a lone "\r" SourceFile computes line:column.
            self.exact = st.exact_lines
            self._tspan = self._tspan_fast if st.exact_lines else self._tspan_exact  # type: ignore[method-assign]

    exact = True
    """True when the tokens' own line:column are right (no lone CR in the text)."""

    # ---- spans
    def _tspan_fast(self, tok: Any) -> Span:
        return _new_tuple(Span, (self.path, tok.start_pos, tok.end_pos, tok.line, tok.column,
                                 tok.end_line, tok.end_column))

    def _tspan_exact(self, tok: Any) -> Span:
        st = self.st
        assert st is not None
        return st.source.span(tok.start_pos, tok.end_pos)

    _tspan = _tspan_fast

    def _cover(self, first: Any, last: Any) -> Span:
        """From the start of ``first`` to the end of ``last`` (each a token or a node)."""
        a = self._tspan(first) if isinstance(first, str) else first.span  # a Token is a str
        if first is last:
            return a
        b = self._tspan(last) if isinstance(last, str) else last.span
        return _new_tuple(Span, (a.path, a.start, b.end, a.line, a.col, b.end_line, b.end_col))

    def _name(self, tok: Token) -> A.Name:
        return _Name(tok.value, self._tspan(tok))

    # ---- structure
    def start(self, c: list[Any]) -> A.Script:
        st = self.st
        assert st is not None
        return A.Script(tuple(c), span=_whole_span(st.source, st.exact_lines))

    def workflow(self, c: list[Any]) -> A.Workflow:
        code = self._name(c[1])
        desc: A.TextLit | None = None
        cat: A.Name | None = None
        steps: list[A.Step] = []
        for x in c[2:]:
            if isinstance(x, A.Step):
                steps.append(x)
            elif isinstance(x, _Cat):
                cat = x.name
            else:
                desc = _TextLit(_unescape(x), self._tspan(x))
        last = steps[-1] if steps else (cat if cat is not None else (desc or c[1]))
        return _Workflow(code, desc, cat, tuple(steps), self._cover(c[0], last))

    def category(self, c: list[Any]) -> _Cat:
        return _Cat(self._name(c[0]))

    def step(self, c: list[Any]) -> A.Step:
        body = tuple(c[3:])
        return _Step(self._name(c[1]), c[2], body, self._cover(c[0], body[-1]))

    def response(self, c: list[Any]) -> A.Response:
        label_tok = c[-1]
        if label_tok is None and len(c) == 2:
            return _Response(c[0], (), None, c[0].span)
        label = None if label_tok is None else self._name(label_tok)
        phrases = c[:-1]
        a = phrases[0].span
        b = label.span if label is not None else phrases[-1].span
        return _Response(phrases[0], tuple(phrases[1:]), label,
                         _new_tuple(Span, (a.path, a.start, b.end, a.line, a.col, b.end_line, b.end_col)))

    def jump(self, c: list[Any]) -> A.Jump:
        target = self._name(c[1])
        return _Jump(target, self._cover_tok(c[0], target.span))

    def phrase(self, c: list[Any]) -> A.Phrase:
        return self._f_phrase([c])

    # ---- conditions
    def expr(self, c: list[Any]) -> A.Or:
        return _Or(tuple(c), self._cover(c[0], c[-1]))

    def and_expr(self, c: list[Any]) -> A.And:
        return _And(tuple(c), self._cover(c[0], c[-1]))

    def not_(self, c: list[Any]) -> A.Expr:
        operand = c[1]
        if self._too_deep(operand, c[0]):
            return operand  # type: ignore[no-any-return]
        return _Not(operand, self._cover(c[0], operand))

    def compare(self, c: list[Any]) -> A.Compare:
        return _Compare(str(c[1]), c[0], c[2], self._cover(c[0], c[2]))

    def in_list(self, c: list[Any]) -> A.InList:
        return _InList(c[0], tuple(c[3:-1]), c[1] is not None, self._cover(c[0], c[-1]))

    def in_range(self, c: list[Any]) -> A.InRange:
        return _InRange(c[0], c[2], c[1] is not None, self._cover(c[0], c[2]))

    def contains(self, c: list[Any]) -> A.TextTest:
        return _TextTest("contains", c[0], c[2], self._cover(c[0], c[2]))

    def starts_with(self, c: list[Any]) -> A.TextTest:
        return _TextTest("starts with", c[0], c[1], self._cover(c[0], c[1]))

    def ends_with(self, c: list[Any]) -> A.TextTest:
        return _TextTest("ends with", c[0], c[1], self._cover(c[0], c[1]))

    def is_empty(self, c: list[Any]) -> A.TextTest:
        op = "is not empty" if c[1] is not None else "is empty"
        return _TextTest(op, c[0], None, self._cover(c[0], c[2]))

    def change(self, c: list[Any]) -> A.ChangeTest:
        return _ChangeTest(c[0], str(c[1]).lower(), self._cover(c[0], c[1]))

    def quantified(self, c: list[Any]) -> A.Quantified:
        cond = c[2]
        if cond is not None and self._too_deep(cond, c[0]):
            cond = None
        return _Quantified(str(c[0]).lower(), c[1], cond,
                           self._cover(c[0], cond if cond is not None else c[1]))

    def range(self, c: list[Any]) -> A.Range:
        low: Any = None
        high: Any = None
        if len(c) == 3:
            low, dots, high = c
        elif len(c) == 1:
            dots = c[0]
        elif getattr(c[0], "type", None) == "DOTDOT":
            dots, high = c
        else:
            low, dots = c
        return _Range(low, high, self._cover(low if low is not None else dots,
                                             high if high is not None else dots))

    def paren(self, c: list[Any]) -> Any:
        return c[1]

    def ref(self, c: list[Any]) -> A.Ref:
        if len(c) == 1:
            span = self._tspan(c[0])
            return _Ref((_Name(str(c[0]), span),), span)
        tspan = self._tspan
        names = tuple([_Name(t.value, tspan(t)) for t in c])
        a = names[0].span
        b = names[-1].span
        return _Ref(names, _new_tuple(Span, (a.path, a.start, b.end, a.line, a.col,
                                             b.end_line, b.end_col)))

    def literal(self, c: list[Any]) -> A.Literal:
        tok = c[0]
        t = tok.type
        if t == "INT" and len(tok) <= MAX_NUMBER_DIGITS:
            return _IntLit(int(tok), self._tspan(tok))
        return self._literal(tok)

    # ---- helpers
    def _literal(self, tok: Token) -> A.Literal:
        t = tok.type
        span = self._tspan(tok)
        if t == "STRING":
            return _TextLit(_unescape(tok), span)
        if t in ("INT", "DECIMAL") and sum(ch.isdigit() for ch in tok) > MAX_NUMBER_DIGITS:
            return self._too_long(tok, span)
        if t == "INT":
            return _IntLit(int(tok), span)
        if t == "DECIMAL":
            try:
                return _DecimalLit(Decimal(str(tok)), span)
            except InvalidOperation:  # pragma: no cover - the token regex only admits valid decimals
                pass
        elif t == "FORMULA":
            return _FormulaLit(str(tok).upper(), span)
        elif t == "DATE":
            try:
                return _DateLit(_dt.date.fromisoformat(str(tok)), span)
            except ValueError:
                pass
        elif t == "TRUE" or t == "YES":
            return _BoolLit(True, span)
        elif t == "FALSE" or t == "NO":
            return _BoolLit(False, span)
        st = self.st
        assert st is not None
        what = "date" if t == "DATE" else "number"
        st.diags.append(_diag("WF111", f"`{tok}` is not a valid {what}", span,
                              label=f"not a {what}",
                              help="dates are written YYYY-MM-DD, e.g. 2026-01-31"
                              if t == "DATE" else ""))
        return A.TextLit(str(tok), span=span)

    def _too_long(self, tok: Token, span: Span) -> A.Literal:
        """WF111 for a number with more than MAX_NUMBER_DIGITS digits (read as text, like a bad date)."""
        st = self.st
        assert st is not None
        shown = tok if len(tok) <= 24 else f"{tok[:10]}...{tok[-10:]}"
        st.diags.append(_diag("WF111", f"`{shown}` is not a valid number: it has more than "
                              f"{MAX_NUMBER_DIGITS} digits", span, label="too many digits"))
        return A.TextLit(str(tok), span=span)

    def _too_deep(self, node: Any, tok: Token) -> bool:
        depth = 0
        while depth <= MAX_NESTING:
            if isinstance(node, A.Not):
                node = node.operand
            elif isinstance(node, A.Quantified) and node.condition is not None:
                node = node.condition
            else:
                return False
            depth += 1
        st = self.st
        assert st is not None
        if not st.too_deep_reported:
            st.too_deep_reported = True
            st.diags.append(_nesting_diag(self._tspan(tok), "`not` / `with`"))
        return True

    # ---- fast paths for the hottest rules (see _callbacks); each gets the rule's raw children
    def _cover_tok(self, tok: Any, b: Span) -> Span:
        """From token ``tok`` to the end of span ``b``."""
        if self.exact:
            return _new_tuple(Span, (self.path, tok.start_pos, b.end, tok.line, tok.column,
                                     b.end_line, b.end_col))
        a = self._tspan_exact(tok)
        return _new_tuple(Span, (a.path, a.start, b.end, a.line, a.col, b.end_line, b.end_col))

    def _f_phrase(self, s: list[Any]) -> A.Phrase:  # phrase: _part+ (the parts are tokens)
        toks = s[0]
        if self.exact:
            path = self.path
            parts = tuple([
                _Name(t.value, _new_tuple(Span, (path, t.start_pos, t.end_pos, t.line, t.column,
                                                t.end_line, t.end_column)))
                if t.type == "NAME" else self._literal(t) for t in toks])
        else:
            tspan = self._tspan_exact
            parts = tuple([_Name(t.value, tspan(t)) if t.type == "NAME" else self._literal(t)
                           for t in toks])
        a = parts[0].span
        if len(parts) == 1:
            return _Phrase(parts, a)
        b = parts[-1].span
        return _Phrase(parts, _new_tuple(Span, (a.path, a.start, b.end, a.line, a.col,
                                                b.end_line, b.end_col)))

    def _f_ref_name(self, s: list[Any]) -> A.Ref:  # ref: NAME
        tok = s[0]
        if self.exact:
            span = _new_tuple(Span, (self.path, tok.start_pos, tok.end_pos, tok.line, tok.column,
                                     tok.end_line, tok.end_column))
        else:
            span = self._tspan_exact(tok)
        return _Ref((_Name(tok.value, span),), span)

    def _f_ref_path(self, s: list[Any]) -> A.Ref:  # ref: NAME (_DOT NAME)+
        return self.ref([s[0], *s[1]])

    def _f_jump(self, s: list[Any]) -> A.Jump:  # jump: CONTINUE _AT NAME
        target = self._name(s[2])
        return _Jump(target, self._cover_tok(s[0], target.span))

    def _f_response_options(self, s: list[Any]) -> A.Response:  # response: phrase (_COMMA phrase)+
        p = s[0]
        options = s[1]
        a = p.span
        b = options[-1].span
        return _Response(p, tuple(options), None, _new_tuple(Span, (
            a.path, a.start, b.end, a.line, a.col, b.end_line, b.end_col)))

    def _f_literal_int(self, s: list[Any]) -> A.Literal:  # literal: INT
        tok = s[0]
        if len(tok) > MAX_NUMBER_DIGITS:
            return self._literal(tok)
        return _IntLit(int(tok), self._tspan(tok))

    def _f_literal(self, s: list[Any]) -> A.Literal:  # literal: STRING | DECIMAL | ...
        return self._literal(s[0])

    def _f_response_phrase(self, s: list[Any]) -> A.Response:  # response: phrase
        p = s[0]
        return _Response(p, (), None, p.span)

    def _f_compare(self, s: list[Any]) -> A.Compare:  # not_expr: operand COMPOP operand
        left, op, right = s
        a = left.span
        b = right.span
        return _Compare(op.value, left, right, _new_tuple(Span, (
            a.path, a.start, b.end, a.line, a.col, b.end_line, b.end_col)))

    def _f_step_when(self, s: list[Any]) -> A.Step:  # step: ON NAME _WHEN expr _THEN _body
        body = tuple(s[5])
        return _Step(self._name(s[1]), s[3], body, self._cover_tok(s[0], body[-1].span))

    def _f_step(self, s: list[Any]) -> A.Step:  # step: ON NAME _THEN _body
        body = tuple(s[3])
        return _Step(self._name(s[1]), None, body, self._cover_tok(s[0], body[-1].span))

    _FAST: ClassVar[dict[str, str]] = {
        "phrase: _phrase+": "_f_phrase",
        "ref: NAME": "_f_ref_name",
        "ref: NAME _ref*": "_f_ref_path",
        "jump: CONTINUE _AT NAME": "_f_jump",
        "response: phrase _response*": "_f_response_options",
        "literal: INT": "_f_literal_int",
        "literal: STRING": "_f_literal",
        "literal: DECIMAL": "_f_literal",
        "literal: DATE": "_f_literal",
        "literal: FORMULA": "_f_literal",
        "literal: TRUE": "_f_literal",
        "literal: FALSE": "_f_literal",
        "literal: YES": "_f_literal",
        "literal: NO": "_f_literal",
        "response: phrase": "_f_response_phrase",
        "not_expr: operand COMPOP operand": "_f_compare",
        "step: ON NAME _WHEN expr _THEN _body": "_f_step_when",
        "step: ON NAME _THEN _body": "_f_step",
    }
    """Rules (written with Lark's helper rules ``__x_star_N`` / ``__x_plus_N`` as ``_x*`` / ``_x+``)
    that get a hand-written callback."""
    # The cached parser tables are shared by every parse; the callbacks read the current parse's
    # state (path, exact) from the builder at call time.

    def callbacks(self, rules: list[Any]) -> dict[Any, Any]:
        """The parser's reduce callbacks: one function per grammar rule that builds the AST straight
        from the LALR value stack, replacing Lark's generic per-rule wrappers (child filters that
        build a ``Tree`` for every inlined ``_rule`` and copy lists around).

        Values on the stack: a token; an AST node (rules without a leading ``_``, built by the method
        named after the rule or its alias); for an inlined ``_rule``, its single item when every one
        of its alternatives yields exactly one, else a plain list of its items (Lark's behaviour:
        the parent takes the items in place of the rule). Hot rules use the ``_FAST`` methods."""
        from operator import itemgetter

        by_origin: dict[str, list[Any]] = {}
        for r in rules:
            by_origin.setdefault(r.origin.name, []).append(r)

        def kept(r: Any) -> list[tuple[int, Any]]:
            keep_all = r.options.keep_all_tokens
            return [(i, sym) for i, sym in enumerate(r.expansion)
                    if keep_all or not (sym.is_term and sym.filter_out)]

        def nones(r: Any) -> list[int]:
            """How many ``None`` placeholders go before each symbol (and after the last)."""
            empty = r.options.empty_indices
            if not empty:
                return [0] * (len(r.expansion) + 1)
            return [len(run) for run in "".join(str(int(b)) for b in empty).split("0")]

        # inlined rules whose every alternative yields exactly one item (greatest fixpoint)
        single = {o for o in by_origin if o.startswith("_")}
        changed = True
        while changed:
            changed = False
            for o in sorted(single):
                for r in by_origin[o]:
                    k = kept(r)
                    ok = len(k) == 1 and not any(nones(r)) and (
                        k[0][1].is_term or not k[0][1].name.startswith("_") or k[0][1].name in single)
                    if not ok:
                        single.discard(o)
                        changed = True
                        break

        out: dict[Any, Any] = {}
        for r in rules:
            key = _rule_key(r)
            fast = self._FAST.get(key)
            if fast is not None:
                out[r] = getattr(self, fast)
                continue
            name = r.origin.name
            pre = nones(r)
            # (index, expand into the parent) for every kept symbol, with the placeholders
            plan: list[tuple[int, bool, int]] = []
            before = 0
            for i, sym in enumerate(r.expansion):
                before += pre[i]
                if r.options.keep_all_tokens or not (sym.is_term and sym.filter_out):
                    expand = not sym.is_term and sym.name.startswith("_") and sym.name not in single
                    plan.append((i, expand, before))
                    before = 0
            trailing = before + pre[len(r.expansion)]
            simple = not trailing and not any(n for _, _, n in plan)
            if name.startswith("_"):
                if simple and len(plan) == 1:
                    i, expand, _ = plan[0]
                    # a single item, or the child's own list taken over whole
                    out[r] = itemgetter(i) if (name in single or expand) else _listed(i)
                elif simple and len(plan) == 2 and plan[0][1] and not plan[1][1]:
                    out[r] = _appender(plan[0][0], plan[1][0])  # X: X [sep] item
                else:
                    out[r] = _filter(plan, trailing, None)
                continue
            user = r.alias or r.options.template_source or name
            fn = getattr(self, user, None) if not user.startswith("_") else None
            if fn is None:
                fn = _tree_maker(user)
            expand1 = bool(r.options.expand1) and not r.alias
            if simple and expand1 and len(plan) == 1 and not plan[0][1]:
                out[r] = itemgetter(plan[0][0])  # `?rule` with one child: the child itself
            elif simple and not expand1 and len(plan) == len(r.expansion) and not any(e for _, e, _ in plan):
                out[r] = fn  # the children as they are
            elif simple and not expand1 and len(plan) == 1 and plan[0][1]:
                out[r] = _spliced(fn, plan[0][0])  # `rule: _items` -> fn(the list)
            else:
                out[r] = _filter(plan, trailing, fn, expand1)
        return out


_new_tuple = tuple.__new__
_T = TypeVar("_T")


def _maker(cls: type[_T]) -> Callable[..., _T]:
    """A constructor for the frozen attrs node class ``cls`` that takes every field positionally
    (``span`` last) and fills the slots directly, at half the cost of attrs' ``__init__`` (which
    goes through ``object.__setattr__`` for each field of a frozen class). Used only while the
    class has nothing for ``__init__`` to run (no validators, converters or init hooks); otherwise
    it calls the class."""
    import types

    fields = attrs.fields(cls)  # type: ignore[arg-type]
    direct = (
        not hasattr(cls, "__attrs_pre_init__") and not hasattr(cls, "__attrs_post_init__")
        and all(f.init and f.validator is None and f.converter is None for f in fields)
        and all(isinstance(cls.__dict__.get(f.name), types.MemberDescriptorType) for f in fields)
    )
    if not direct:
        def slow(*values: Any) -> Any:
            args = [v for f, v in zip(fields, values, strict=True) if not f.kw_only]
            kw = {f.name: v for f, v in zip(fields, values, strict=True) if f.kw_only}
            return cls(*args, **kw)
        return slow
    new = object.__new__
    sets = [cls.__dict__[f.name].__set__ for f in fields]
    if len(sets) == 2:
        s0, s1 = sets

        def make2(a: Any, b: Any) -> Any:
            o: Any = new(cls)
            s0(o, a)
            s1(o, b)
            return o
        return make2
    if len(sets) == 3:
        s0, s1, s2 = sets

        def make3(a: Any, b: Any, c: Any) -> Any:
            o: Any = new(cls)
            s0(o, a)
            s1(o, b)
            s2(o, c)
            return o
        return make3
    if len(sets) == 4:
        s0, s1, s2, s3 = sets

        def make4(a: Any, b: Any, c: Any, d: Any) -> Any:
            o: Any = new(cls)
            s0(o, a)
            s1(o, b)
            s2(o, c)
            s3(o, d)
            return o
        return make4

    def make(*values: Any) -> Any:
        o: Any = new(cls)
        for setter, v in zip(sets, values, strict=True):
            setter(o, v)
        return o
    return make


_Name = _maker(A.Name)
_Phrase = _maker(A.Phrase)
_Ref = _maker(A.Ref)
_IntLit = _maker(A.IntLit)
_Response = _maker(A.Response)
_Compare = _maker(A.Compare)
_Step = _maker(A.Step)
_Jump = _maker(A.Jump)
_TextLit = _maker(A.TextLit)
_DecimalLit = _maker(A.DecimalLit)
_FormulaLit = _maker(A.FormulaLit)
_DateLit = _maker(A.DateLit)
_BoolLit = _maker(A.BoolLit)
_And = _maker(A.And)
_ChangeTest = _maker(A.ChangeTest)
_InList = _maker(A.InList)
_InRange = _maker(A.InRange)
_Not = _maker(A.Not)
_Or = _maker(A.Or)
_Quantified = _maker(A.Quantified)
_Range = _maker(A.Range)
_TextTest = _maker(A.TextTest)
_Workflow = _maker(A.Workflow)
_HELPER_RULE = re.compile(r"^__(_?[^_].*)_(star|plus)_\d+$")


def _rule_key(rule: Any) -> str:
    """``origin: sym sym`` with Lark's helper rules shown as ``_x*`` / ``_x+`` (stable names)."""

    def show(name: str) -> str:
        m = _HELPER_RULE.match(name)
        if m is None:
            return name
        base = m.group(1)
        return ("" if base.startswith("_") else "_") + base + ("*" if m.group(2) == "star" else "+")

    return f"{show(rule.origin.name)}: {' '.join(show(s.name) for s in rule.expansion)}".rstrip()


def _listed(i: int) -> Any:
    def cb(s: list[Any]) -> list[Any]:
        return [s[i]]
    return cb


def _spliced(fn: Any, i: int) -> Any:
    def cb(s: list[Any]) -> Any:
        return fn(s[i])
    return cb


def _appender(i: int, j: int) -> Any:
    """``X: X item`` (or ``X: X SEP item``): append to the list the left child already is."""
    if i == 0 and j == 1:
        def cb(s: list[Any]) -> list[Any]:
            items: list[Any] = s[0]
            items.append(s[1])
            return items
        return cb

    def cb2(s: list[Any]) -> list[Any]:
        items: list[Any] = s[i]
        items.append(s[j])
        return items
    return cb2


def _filter(plan: list[tuple[int, bool, int]], trailing: int, fn: Any, expand1: bool = False) -> Any:
    """The general case: keep the planned children (with ``None`` placeholders), splice inlined
    lists in, then call ``fn`` (``None``: return the list, for an inlined rule)."""

    def cb(s: list[Any]) -> Any:
        items: list[Any] = []
        for i, expand, before in plan:
            if before:
                items += [None] * before
            if expand:
                if items:
                    items += s[i]
                else:
                    items = s[i]  # take the child's list over (nothing else refers to it)
            else:
                items.append(s[i])
        if trailing:
            items += [None] * trailing
        if fn is None:
            return items
        if expand1 and len(items) == 1:
            return items[0]
        return fn(items)
    return cb


def _tree_maker(name: str) -> Any:
    def cb(s: list[Any]) -> Any:
        from lark import Tree

        return Tree(name, s)
    return cb


def _unescape(tok: str) -> str:
    body = tok[1:-1]
    if "\\" not in body:
        return body
    return _ESCAPE.sub(_unescape_one, body)


_ESCAPE = re.compile(r'\\(["\\])')


def _unescape_one(m: re.Match[str]) -> str:
    return m.group(1)


def _nesting_diag(span: Span, what: str) -> Diagnostic:
    return _diag("WF108", f"too deeply nested: more than {MAX_NESTING} levels of {what}", span,
                 label="nesting limit reached here",
                 help="split the condition or the step tree; the limit keeps the checker and the "
                      "engine safe from runaway input")


_LOCK = threading.RLock()
_PARSER: Lark | None = None
_LAYOUT = _Layout()
_BUILDER = _Builder()


def _cache_path(grammar: str, options: str) -> str | bool:
    """Where the built parser tables are cached: ``$XDG_CACHE_HOME/werkstroom`` (``~/.cache``), one
    file per grammar text, options and Lark version, so nothing ever reads a stale file. ``True``
    (Lark's own file in the temp folder) when that folder cannot be written."""
    import hashlib

    import lark

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "werkstroom")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return True
    if not os.access(folder, os.W_OK):
        return True
    digest = hashlib.sha256((grammar + options).encode("utf-8")).hexdigest()[:16]
    return os.path.join(folder, f"wf-grammar-{digest}-lark{lark.__version__}.cache")


LARK_OPTIONS: dict[str, Any] = {"parser": "lalr", "lexer": "contextual", "maybe_placeholders": True}


def _build(**kw: Any) -> Lark:
    """Build (or load from the cache) a Lark parser for the grammar. A new cache file is written
    under a temporary name and renamed, so parallel processes never read a half-written file."""
    from lark import Lark

    grammar = GRAMMAR_PATH.read_text(encoding="utf-8")
    options = repr(sorted((k, v) for k, v in kw.items() if k not in ("postlex", "transformer")))
    cache = _cache_path(grammar, options)
    if isinstance(cache, str) and not os.path.exists(cache):
        tmp = f"{cache}.{os.getpid()}.tmp"
        parser = Lark(grammar, cache=tmp, **LARK_OPTIONS, **kw)
        try:
            os.replace(tmp, cache)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return parser
    return Lark(grammar, cache=cache, **LARK_OPTIONS, **kw)


def _get_parser() -> Lark:
    global _PARSER
    if _PARSER is None:
        parser = _build(postlex=_LAYOUT)
        # build the AST during the LALR parse: our callbacks replace Lark's tree-building ones
        table = parser.parser.parser.parser.callbacks
        table.update(_BUILDER.callbacks(list(table)))
        _PARSER = parser
    return _PARSER


def tree_parser() -> Lark:
    """A Lark parser for the same grammar that builds a plain parse tree (benchmarks, debugging)."""

    return _build(postlex=_Layout())


# --------------------------------------------------------------------------- parsing


def parse(text: str, path: str = "<string>") -> ParseResult:
    """Parse .wf ``text`` reported as ``path``. Never raises: problems are WF1xx diagnostics."""
    return parse_source(SourceFile(path, text))


def parse_source(source: SourceFile) -> ParseResult:
    """Parse an already-read source file (see ``parse``)."""
    text = source.text
    if len(text) > MAX_SOURCE_BYTES:
        d = _too_large(source.path, len(text.encode("utf-8", errors="replace")))
        return ParseResult(A.Script((), span=source.span(0, 0)), (d,), source)
    # The parse allocates many small, acyclic objects; the cyclic GC would scan them again and again
    # (25-35 % of the time on big files) and can never free any of them during the parse.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        with _LOCK:
            items, diags = _parse_all(source)
    finally:
        if gc_was_enabled:
            gc.enable()
    if not items and not diags:
        diags.append(_diag("WF113", "the file holds no workflow and no step", source.span(0, 0),
                           severity=Severity.WARNING, label="empty",
                           help='start with `workflow CODE "description"` or a one-line step '
                                "`on EVENT then RESPONSE`"))
    diags.sort(key=lambda d: (d.span.start if d.span else -1, d.code))
    script = A.Script(tuple(items), span=_whole_span(source, _LONE_CR.search(text) is None))
    return ParseResult(script, tuple(diags[:MAX_ERRORS]), source)


def _parse_all(source: SourceFile) -> tuple[list[A.Workflow | A.Step], list[Diagnostic]]:
    """Parse the whole text; after an error, resynchronise at the top-level chunk after the one that
    failed (a chunk starts at each line beginning with `workflow` or `on` at column 0) and go on.
    Each round parses up to the next error only, so the work stays linear in the text."""
    text = source.text
    n = len(text)
    chunks: list[tuple[int, int]] | None = None
    items: list[A.Workflow | A.Step] = []
    diags: list[Diagnostic] = []
    pos = 0
    errors = 0
    while pos < n:
        script, d, err = _parse_region(source, pos, n)
        if script is not None:
            items.extend(script.items)
            diags.extend(d)
            break
        if chunks is None:
            chunks = _top_chunks(text)
        at = err.span.start if err is not None and err.span is not None else pos
        at = min(max(at, pos), n - 1)
        cs, ce = next(((cs, ce) for cs, ce in chunks if cs <= at < ce), (pos, n))
        cs = max(cs, pos)
        if cs > pos:  # the chunks before the failing one: they parsed up to the error, so they are fine
            pre, pre_d, pre_err = _parse_region(source, pos, cs)
            diags.extend(pre_d)
            if pre is not None:
                items.extend(pre.items)
            else:
                found = _explain_failure(source, pos, cs, 0, [], pre_err, 0)
                diags.extend(found)
                errors += sum(1 for x in found if x.is_error)
        one, one_d, one_err = _parse_region(source, cs, ce)
        if one is not None:  # fine alone: the error comes from how it meets its neighbours
            items.extend(one.items)
            found = [*one_d, *([err] if err is not None else [])]
        else:
            found = _explain_failure(source, cs, ce, 0, one_d, one_err, 0)
        diags.extend(found)
        errors += sum(1 for x in found if x.is_error)
        if errors >= MAX_ERRORS:
            break
        pos = ce
    return items, _dedupe(diags)


def _explain_failure(source: SourceFile, start: int, end: int, base: int, diags: list[Diagnostic],
                     err: Diagnostic | None, depth: int) -> list[Diagnostic]:
    """The diagnostics of a region that failed to parse: the errors of its pieces (the header and
    each step one level down, recursively) when some piece fails on its own, else its own error."""
    deeper = depth < MAX_RECOVERY_DEPTH and (err is None or err.code != "WF108")
    subs = _sub_chunks(source.text, start, end, base) if deeper else []
    found: list[Diagnostic] = []
    any_failed = False
    if len(subs) > 1:
        for i, (ss, se, sb) in enumerate(subs):
            script, d, sub_err = _parse_region(source, ss, se, sb)
            if script is None and i == 0 and sub_err is not None and sub_err.code == "WF114":
                continue  # a header whose body is all nested steps: the steps are the pieces
            if script is None:
                any_failed = True
                found.extend(_explain_failure(source, ss, se, sb, d, sub_err, depth + 1))
            else:
                found.extend(d)
    if any_failed:
        return [*diags, *found]
    return [*diags, *([err] if err is not None else [])]


MAX_RECOVERY_DEPTH = 8


def _dedupe(diags: list[Diagnostic]) -> list[Diagnostic]:
    seen: set[tuple[str, str, int]] = set()
    out = []
    for d in diags:
        key = (d.code, d.message, d.span.start if d.span else -1)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def _parse_region(source: SourceFile, start: int, end: int, base_indent: int = 0
                  ) -> tuple[A.Script | None, list[Diagnostic], Diagnostic | None]:
    from lark import TextSlice
    from lark.exceptions import UnexpectedInput

    parser = _get_parser()
    st = _State(source, end, base_indent)
    _LAYOUT.state = st
    _BUILDER.begin(st)
    text = source.text
    inp: Any = text if (start == 0 and end == len(text)) else TextSlice(text, start, end)
    try:
        script: Any = parser.parse(inp)
    except _TooDeep as exc:
        what = "brackets" if exc.what == "brackets" else "indentation (nested steps)"
        return None, st.diags, _nesting_diag(_tok_span(st, exc.tok), what)
    except UnexpectedInput as exc:
        tok = getattr(exc, "token", None)
        line = getattr(tok, "line", None) if tok is not None else getattr(exc, "line", None)
        if line is not None and line in st.bad_dedent_lines:
            return None, st.diags, None if st.diags else _syntax_error(exc, st)
        return None, st.diags, _syntax_error(exc, st)
    finally:
        _LAYOUT.state = None
        _BUILDER.begin(None)
    return script, st.diags, None


_TOP = re.compile(r"(?im)^(?:workflow|on)(?![\w-])")


def _top_chunks(text: str) -> list[tuple[int, int]]:
    starts = [m.start() for m in _TOP.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    ends = [*starts[1:], len(text)]
    return list(zip(starts, ends, strict=True))


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|\Z)")
_STEP_LINE = re.compile(r"(?i)on(?![\w-])")


def _sub_chunks(text: str, start: int, end: int, base: int) -> list[tuple[int, int, int]]:
    """Cut a region (a workflow or a step) into its header and one piece per child step: the lines
    that start with `on` at the indentation of the first such line deeper than ``base``."""
    child: int | None = None
    cuts = [start]
    first = True
    for m in _LINE.finditer(text, start, end):
        if m.end() == m.start():
            continue
        if first:
            first = False
            continue
        raw = m.group().rstrip("\r\n")
        body = raw.lstrip(" \t\f")
        if not body or body.startswith("#") or not _STEP_LINE.match(body):
            continue
        indent = _indent_width(raw[: len(raw) - len(body)])
        if child is None and indent > base:
            child = indent
        if indent == child:
            cuts.append(m.start())
    bases = [base] + [child or 0] * (len(cuts) - 1)
    return list(zip(cuts, [*cuts[1:], end], bases, strict=True))


# --------------------------------------------------------------------------- syntax errors in words

_WORDS = {
    "WORKFLOW": "`workflow`", "_CATEGORY": "`category`", "ON": "`on`", "_WHEN": "`when`",
    "_THEN": "`then`", "_AS": "`as`", "CONTINUE": "`continue`", "_AT": "`at`", "_AND": "`and`",
    "_OR": "`or`", "NOT": "`not`", "_IN": "`in`", "CONTAINS": "`contains`", "_STARTS": "`starts`",
    "_ENDS": "`ends`", "_WITH": "`with`", "_IS": "`is`", "EMPTY": "`empty`", "ANY": "`any`",
    "ALL": "`all`", "NO": "`no`", "INCREASED": "`increased`", "DECREASED": "`decreased`",
    "CHANGED": "`changed`", "TRUE": "`true`", "FALSE": "`false`", "YES": "`yes`",
    "COMPOP": "a comparison (`=`, `<>`, `<`, `<=`, `>`, `>=`)", "LPAR": "`(`", "RPAR": "`)`",
    "LSQB": "`[`", "RSQB": "`]`", "DOTDOT": "`..`", "_DOT": "`.`", "_COMMA": "`,`",
    "NAME": "a name", "STRING": 'a text in quotes ("...")', "DATE": "a date", "FORMULA":
    "a date formula", "DECIMAL": "a number", "INT": "a number", "_NL": "the end of the line",
    "_INDENT": "an indented block", "_DEDENT": "the end of the block", "$END": "the end of the file",
}

_VALUE_TERMS = {"NAME", "STRING", "INT", "DECIMAL", "DATE", "FORMULA", "TRUE", "FALSE", "YES", "NO"}

_AFTER = {
    "WORKFLOW": "after `workflow`", "_CATEGORY": "after `category`", "ON": "after `on`",
    "_WHEN": "after `when`", "_AS": "after `as`", "CONTINUE": "after `continue`",
    "_AT": "after `continue at`", "_COMMA": "after `,`", "COMPOP": "after the comparison",
    "_IN": "after `in`", "NOT": "after `not`", "_AND": "after `and`", "_OR": "after `or`",
    "_WITH": "after `with`", "_IS": "after `is`", "_STARTS": "after `starts`",
    "_ENDS": "after `ends`", "CONTAINS": "after `contains`", "_DOT": "after `.`",
    "LPAR": "after `(`", "LSQB": "after `[`", "DOTDOT": "after `..`", "ANY": "after `any`",
    "ALL": "after `all`", "NO": "after `no`",
}


_NUMBER_RUN = re.compile(r"[0-9.,]*[0-9]")


def _malformed_number(st: _State, tok: Any, prev: Any) -> Diagnostic | None:
    """WF111 when the unexpected token is a `.` or `,` glued between digits of a number (`1.000.50`,
    `1,000.50`): the whole run of digits and separators is one malformed number."""
    if tok.type not in ("_DOT", "_COMMA") or prev is None or prev.type not in ("INT", "DECIMAL") \
            or prev.end_pos != tok.start_pos:
        return None
    text = st.source.text
    m = _NUMBER_RUN.match(text, int(tok.end_pos))
    if m is None or m.start() != tok.end_pos:
        return None
    written = text[prev.start_pos:m.end()]
    value = written_number(written)
    example = f"`{value}`" if value is not None else "`1000.50`"
    return _diag("WF111", f"`{written}` is not a valid number", st.source.span(prev.start_pos, m.end()),
                 label="not a number",
                 help=f"numbers are written with a point before the decimals and no thousands "
                      f"separators: {example}")


def _describe_token(tok: Token) -> str:
    t = tok.type
    if t in ("_NL", "_INDENT", "_DEDENT", "$END"):
        return _WORDS[t]
    v = str(tok)
    if len(v) > 30:
        v = v[:27] + "..."
    return f"`{v}`"


def _describe_expected(expected: set[str]) -> str:
    exp = set(expected)
    parts: list[str] = []
    if len(exp & _VALUE_TERMS) >= 4:
        exp -= _VALUE_TERMS
        parts.append("a value (a name, a number, a date or a text)")
    if {"INT", "DECIMAL"} <= exp:
        exp.discard("DECIMAL")
    order = ["_THEN", "_WHEN", "RPAR", "RSQB", "COMPOP", "_AND", "_OR", "_IN", "ON", "CONTINUE",
             "_CATEGORY", "WORKFLOW", "NAME", "STRING", "INT", "DATE", "FORMULA", "_AS", "_COMMA",
             "DOTDOT", "_DOT", "LSQB", "LPAR", "_INDENT", "_NL", "$END"]
    ranked = sorted(exp, key=lambda t: (order.index(t) if t in order else len(order), t))
    for t in ranked:
        w = _WORDS.get(t, f"`{t.lower()}`")
        if w not in parts:
            parts.append(w)
    if not parts:
        return "something else"
    if len(parts) > 5:
        parts = [*parts[:5], "..."]
        return ", ".join(parts)
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " or " + parts[-1]


def _tok_span(st: _State, tok: Any) -> Span:
    n = len(st.source.text)
    start = max(0, min(int(tok.start_pos or 0), n))
    end = max(start, min(int(tok.end_pos if tok.end_pos is not None else start), n))
    return st.source.span(start, end)


def _after_span(st: _State, tok: Any) -> Span:
    """Where something is missing: the character just after ``tok`` (empty at a line end)."""
    text = st.source.text
    end = int(tok.end_pos)
    if end < len(text) and text[end] not in "\r\n":
        return st.source.span(end, end + 1)
    return st.source.span(end, end)


def _syntax_error(exc: Exception, st: _State) -> Diagnostic:
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    src = st.source
    if isinstance(exc, UnexpectedCharacters):
        pos = int(exc.pos_in_stream or 0)
        ch = src.text[pos] if pos < len(src.text) else ""
        span = src.span(pos, pos + 1)
        if ch == '"':
            return _diag("WF105", "unclosed text: the closing `\"` is missing", span,
                         label="this text is never closed",
                         help='end the text on the same line with `"` (write `\\"` for a quote inside it)')
        if ch == "'":
            return _diag("WF102", "unexpected character `'`: texts are written in double quotes", span,
                         label="not part of the language", help='write "text" instead of \'text\'')
        shown = ch if ch.isprintable() else f"U+{ord(ch):04X}"
        return _diag("WF102", f"unexpected character `{shown}`", span, label="not part of the language",
                     help="names use letters, digits, `_` (and `-`, `/` inside); texts go in double quotes")
    assert isinstance(exc, UnexpectedToken)
    tok = exc.token
    t = tok.type
    try:
        expected = set(exc.accepts or exc.expected)
    except Exception:  # pragma: no cover - Lark computes accepts lazily; fall back to expected
        expected = set(exc.expected)
    if "_INDENT" in expected:
        expected.discard("_NL")
    layout = t in ("_NL", "_INDENT", "_DEDENT", "$END")
    prev = st.prev if tok is st.last else st.last
    here = _tok_span(st, tok) if t != "$END" else src.span(len(src.text), len(src.text))
    # point just after the previous token when the bad token is on a later line (or is layout)
    where = _after_span(st, prev) if prev is not None and (layout or tok.line != prev.end_line) else here
    found = _describe_token(tok)
    malformed = _malformed_number(st, tok, prev)
    if malformed is not None:
        return malformed

    # unclosed bracket
    if st.brackets and expected & {"RPAR", "RSQB"} and (
            layout or t in ("_THEN", "RPAR", "RSQB") or tok.line != st.brackets[-1].line):
        opened = st.brackets[-1]
        ch = str(opened)
        close = ")" if ch == "(" else "]"
        return _diag("WF104", f"unclosed `{ch}`: expected `{close}` before {found}",
                     _tok_span(st, opened), label=f"this `{ch}` is never closed",
                     help=f"add `{close}` where the {'group' if ch == '(' else 'list'} ends",
                     related=(Label(where, f"expected `{close}` here"),))
    if t in ("RPAR", "RSQB") and (
            not st.brackets or str(st.brackets[-1]) != ("(" if t == "RPAR" else "[")):
        return _diag("WF109", f"unmatched `{tok}`", here, label="nothing to close here",
                     help="remove it, or add the opening bracket")
    # `then` written where a value or condition was still missing: it was read as a name
    if "_THEN" in expected and prev is not None and prev.type == "NAME" and str(prev).lower() == "then":
        before = st.prev2 if prev is st.prev else st.prev
        what = "a value" if before is not None and before.type in ("COMPOP", "_IN", "DOTDOT") else \
            "a condition"
        after = f" {_AFTER[before.type]}" if before is not None and before.type in _AFTER else ""
        return _diag("WF109", f"expected {what}{after}, found `then`", _tok_span(st, prev),
                     label=f"{what} is missing before this `then`",
                     help="complete the condition, e.g. `when amount > 1000 then ...`")
    # missing `then`
    if "_THEN" in expected and t != "_THEN":
        related: tuple[Label, ...] = ()
        if st.on_tok is not None:
            related = (Label(_tok_span(st, st.on_tok), "the step starts here"),)
        help = "a step reads `on EVENT [when CONDITION] then RESPONSE`"
        if "_WHEN" in expected:
            msg = f"expected `when` or `then` after the event name, found {found}"
            label = "expected `when CONDITION` or `then` here"
        else:
            msg = f"expected `then` after the condition, found {found}"
            label = "expected `then` here"
            if t == "NAME" and prev is not None and prev.type == "NAME" and tok.line == prev.line:
                help = f'a value of several words goes in quotes: `"{prev} {tok}"`'
        return _diag("WF103", msg, where, label=label, help=help, related=related)
    if t == "_INDENT":
        return _diag("WF107", "unexpected indentation", here, label="this line is indented more "
                     "than the block it belongs to",
                     help="indent a line only under `workflow ...` or under `on ... then`; "
                          "a step written on one line takes no indented block")
    if prev is not None and prev.type == "_THEN" and "_INDENT" in expected | set(exc.expected) and t in (
            "_DEDENT", "ON", "$END", "NAME", "CONTINUE", "WORKFLOW"):
        return _diag("WF114", "the step has no responses: `then` must be followed by a response on "
                     "the same line or an indented block", where, label="expected a response here",
                     help="indent the responses under the step, deeper than its `on`")
    if t == "$END":
        return _diag("WF110", f"unexpected end of file: expected {_describe_expected(expected)}"
                     + (f" {_AFTER[prev.type]}" if prev is not None and prev.type in _AFTER else ""),
                     where, label="the file ends here")
    after = f" {_AFTER[prev.type]}" if prev is not None and prev.type in _AFTER else ""
    if not layout:
        where = here
    if prev is not None and prev.type == "_COMMA" and "RSQB" not in expected and "NAME" in expected:
        return _diag("WF109", f"expected an option after `,`, found {found}", where,
                     label="expected an option here" if where is not here else "unexpected here",
                     help="options follow the response after commas: `create approval requests, due in 2D`")
    if prev is not None and prev.type == "_AS" and expected == {"NAME"}:
        return _diag("WF109", f"expected a label after `as`, found {found}", where,
                     label="expected a label here" if where is not here else "unexpected here",
                     help="name the response: `send approval requests as send`")
    if t == "COMPOP" and prev is not None and prev.type == "COMPOP":
        return _diag("WF109", f"unexpected `{tok}` after `{prev}`", here,
                     label="one comparison sign too many",
                     help="compare with a single `=` (`amount = 100`); `<>` means not equal")
    label = "unexpected here" if where is here else f"expected {_describe_expected(expected)} here"
    return _diag("WF109", f"expected {_describe_expected(expected)}{after}, found {found}", where,
                 label=label)
