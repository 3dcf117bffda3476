"""Syntax errors in words: a Lark ``UnexpectedInput`` at the parser's state becomes one WF1xx
diagnostic worded for people ("expected `then` after the condition, found `amount`"), pointing where
the fix goes, with a help line for the variant of the mistake.

The variants are tried in order, most specific first (``_TOKEN_ERRORS``); what none of them
explains is WF109 "expected X, found Y", with the expected terminals in words (``_WORDS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic, Label
from ..numbers import written_number
from ..source import SourceFile, Span
from .layout import ParseState, tok_span
from .limits import diag

if TYPE_CHECKING:
    from lark import Token
    from lark.exceptions import UnexpectedToken

__all__ = ["syntax_error"]


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


def _malformed_number(st: ParseState, tok: Any, prev: Any) -> Diagnostic | None:
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
    return diag("WF111", f"`{written}` is not a valid number", st.source.span(prev.start_pos, m.end()),
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


def _after_span(st: ParseState, tok: Any) -> Span:
    """Where something is missing: the character just after ``tok`` (empty at a line end)."""
    text = st.source.text
    end = int(tok.end_pos)
    if end < len(text) and text[end] not in "\r\n":
        return st.source.span(end, end + 1)
    return st.source.span(end, end)


def syntax_error(exc: Exception, st: ParseState) -> Diagnostic:
    """The diagnostic for the error ``exc`` that stopped the parse in state ``st``."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    if isinstance(exc, UnexpectedCharacters):
        return _unexpected_character(st.source, int(exc.pos_in_stream or 0))
    assert isinstance(exc, UnexpectedToken)
    u = _Unexpected(exc, st)
    malformed = _malformed_number(st, u.tok, u.prev)
    if malformed is not None:
        return malformed
    for explain in _TOKEN_ERRORS:
        found = explain(st, u)
        if found is not None:
            return found
    return _unexpected_token(u)


def _unexpected_character(src: SourceFile, pos: int) -> Diagnostic:
    """WF105 for an unclosed text (`"abc` up to the line end), WF102 for a character that is not part
    of the language (`'text'`, `amount > 1000 €`)."""
    ch = src.text[pos] if pos < len(src.text) else ""
    span = src.span(pos, pos + 1)
    if ch == '"':
        return diag("WF105", "unclosed text: the closing `\"` is missing", span,
                    label="this text is never closed",
                    help='end the text on the same line with `"` (write `\\"` for a quote inside it)')
    if ch == "'":
        return diag("WF102", "unexpected character `'`: texts are written in double quotes", span,
                    label="not part of the language", help='write "text" instead of \'text\'')
    shown = ch if ch.isprintable() else f"U+{ord(ch):04X}"
    return diag("WF102", f"unexpected character `{shown}`", span, label="not part of the language",
                help="names use letters, digits, `_` (and `-`, `/` inside); texts go in double quotes")


class _Unexpected:
    """An unexpected token and what the parser knew when it met it."""

    __slots__ = ("expected", "found", "here", "lark_expected", "layout", "prev", "tok", "where")

    def __init__(self, exc: UnexpectedToken, st: ParseState) -> None:
        src = st.source
        tok = exc.token
        t = tok.type
        try:
            expected = set(exc.accepts or exc.expected)
        except Exception:  # pragma: no cover - Lark computes accepts lazily; fall back to expected
            expected = set(exc.expected)
        if "_INDENT" in expected:
            expected.discard("_NL")
        self.tok: Any = tok
        self.expected = expected
        """The terminals the parser would have accepted (``_NL`` left out when ``_INDENT`` is in)."""
        self.lark_expected = set(exc.expected)
        """Lark's own ``expected`` set (without the narrowing to what the lookahead ``accepts``)."""
        self.layout = t in ("_NL", "_INDENT", "_DEDENT", "$END")
        """The token is a line break, an indentation change or the end of the file."""
        self.prev: Any = st.prev if tok is st.last else st.last
        """The token before it (``None`` at the start)."""
        prev = self.prev
        self.here = tok_span(st, tok) if t != "$END" else src.span(len(src.text), len(src.text))
        """The token's span (the end of the text for the end of the file)."""
        # point just after the previous token when the bad token is on a later line (or is layout)
        self.where = _after_span(st, prev) if prev is not None and (
            self.layout or tok.line != prev.end_line) else self.here
        """Where the fix goes: just after ``prev`` when the token is on a later line or is layout,
        else ``here`` (the same object)."""
        self.found = _describe_token(tok)
        """The token in words."""


def _unclosed_bracket(st: ParseState, u: _Unexpected) -> Diagnostic | None:
    """WF104, the open bracket is never closed: `when (a = 1 then`, `in [A, B` and a new line."""
    t = u.tok.type
    if not (st.brackets and u.expected & {"RPAR", "RSQB"} and (
            u.layout or t in ("_THEN", "RPAR", "RSQB") or u.tok.line != st.brackets[-1].line)):
        return None
    opened = st.brackets[-1]
    ch = str(opened)
    close = ")" if ch == "(" else "]"
    return diag("WF104", f"unclosed `{ch}`: expected `{close}` before {u.found}",
                tok_span(st, opened), label=f"this `{ch}` is never closed",
                help=f"add `{close}` where the {'group' if ch == '(' else 'list'} ends",
                related=(Label(u.where, f"expected `{close}` here"),))


def _unmatched_bracket(st: ParseState, u: _Unexpected) -> Diagnostic | None:
    """WF109, a closing bracket with nothing open to close: `when a = 1) then`."""
    t = u.tok.type
    if t not in ("RPAR", "RSQB") or (
            st.brackets and str(st.brackets[-1]) == ("(" if t == "RPAR" else "[")):
        return None
    return diag("WF109", f"unmatched `{u.tok}`", u.here, label="nothing to close here",
                help="remove it, or add the opening bracket")


def _then_read_as_a_name(st: ParseState, u: _Unexpected) -> Diagnostic | None:
    """WF109, `then` written where a value or condition was still missing, so it was read as a name:
    `when amount > then`, `when then`."""
    prev = u.prev
    if "_THEN" not in u.expected or prev is None or prev.type != "NAME" or str(prev).lower() != "then":
        return None
    before = st.prev2 if prev is st.prev else st.prev
    what = "a value" if before is not None and before.type in ("COMPOP", "_IN", "DOTDOT") else \
        "a condition"
    after = f" {_AFTER[before.type]}" if before is not None and before.type in _AFTER else ""
    return diag("WF109", f"expected {what}{after}, found `then`", tok_span(st, prev),
                label=f"{what} is missing before this `then`",
                help="complete the condition, e.g. `when amount > 1000 then ...`")


def _missing_then(st: ParseState, u: _Unexpected) -> Diagnostic | None:
    """WF103, the step's `then` is missing: `on E release`, `on E when a = 1 release`, and
    `when vendor = Acme Ltd then` (a value of several words without quotes)."""
    tok, prev, t = u.tok, u.prev, u.tok.type
    if "_THEN" not in u.expected or t == "_THEN":
        return None
    related: tuple[Label, ...] = ()
    if st.on_tok is not None:
        related = (Label(tok_span(st, st.on_tok), "the step starts here"),)
    help = "a step reads `on EVENT [when CONDITION] then RESPONSE`"
    if "_WHEN" in u.expected:
        msg = f"expected `when` or `then` after the event name, found {u.found}"
        label = "expected `when CONDITION` or `then` here"
    else:
        msg = f"expected `then` after the condition, found {u.found}"
        label = "expected `then` here"
        if t == "NAME" and prev is not None and prev.type == "NAME" and tok.line == prev.line:
            help = f'a value of several words goes in quotes: `"{prev} {tok}"`'
    return diag("WF103", msg, u.where, label=label, help=help, related=related)


def _unexpected_indent(st: ParseState, u: _Unexpected) -> Diagnostic | None:
    """WF107, a line indented deeper than its block allows: under a one-line step, or a first line."""
    if u.tok.type != "_INDENT":
        return None
    return diag("WF107", "unexpected indentation", u.here, label="this line is indented more "
                "than the block it belongs to",
                help="indent a line only under `workflow ...` or under `on ... then`; "
                     "a step written on one line takes no indented block")


def _no_responses(st: ParseState, u: _Unexpected) -> Diagnostic | None:
    """WF114, `then` at the end of the line and no indented block under it."""
    prev = u.prev
    if not (prev is not None and prev.type == "_THEN" and "_INDENT" in u.expected | u.lark_expected
            and u.tok.type in ("_DEDENT", "ON", "$END", "NAME", "CONTINUE", "WORKFLOW")):
        return None
    return diag("WF114", "the step has no responses: `then` must be followed by a response on "
                "the same line or an indented block", u.where, label="expected a response here",
                help="indent the responses under the step, deeper than its `on`")


def _unexpected_end(st: ParseState, u: _Unexpected) -> Diagnostic | None:
    """WF110, the file ends in the middle of a construct: `on E when amount >`."""
    if u.tok.type != "$END":
        return None
    prev = u.prev
    return diag("WF110", f"unexpected end of file: expected {_describe_expected(u.expected)}"
                + (f" {_AFTER[prev.type]}" if prev is not None and prev.type in _AFTER else ""),
                u.where, label="the file ends here")


_TOKEN_ERRORS: tuple[Callable[[ParseState, _Unexpected], Diagnostic | None], ...] = (
    _unclosed_bracket, _unmatched_bracket, _then_read_as_a_name, _missing_then, _unexpected_indent,
    _no_responses, _unexpected_end,
)
"""The variants of an unexpected token, tried in this order (the first that applies explains it)."""


def _unexpected_token(u: _Unexpected) -> Diagnostic:
    """WF109 for the rest, pointing at the token itself unless it is layout: a missing option after
    `,`, a missing label after `as`, a doubled comparison sign (`a == 1`), else "expected X, found Y"."""
    tok, prev, expected, here, found = u.tok, u.prev, u.expected, u.here, u.found
    after = f" {_AFTER[prev.type]}" if prev is not None and prev.type in _AFTER else ""
    where = u.where if u.layout else here
    if prev is not None and prev.type == "_COMMA" and "RSQB" not in expected and "NAME" in expected:
        return diag("WF109", f"expected an option after `,`, found {found}", where,
                    label="expected an option here" if where is not here else "unexpected here",
                    help="options follow the response after commas: `create approval requests, due in 2D`")
    if prev is not None and prev.type == "_AS" and expected == {"NAME"}:
        return diag("WF109", f"expected a label after `as`, found {found}", where,
                    label="expected a label here" if where is not here else "unexpected here",
                    help="name the response: `send approval requests as send`")
    if tok.type == "COMPOP" and prev is not None and prev.type == "COMPOP":
        return diag("WF109", f"unexpected `{tok}` after `{prev}`", here,
                    label="one comparison sign too many",
                    help="compare with a single `=` (`amount = 100`); `<>` means not equal")
    label = "unexpected here" if where is here else f"expected {_describe_expected(expected)} here"
    return diag("WF109", f"expected {_describe_expected(expected)}{after}, found {found}", where,
                label=label)
