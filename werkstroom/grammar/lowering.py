"""Lowering: one callback per grammar rule that builds the frozen AST straight from the LALR value
stack, with spans taken from the tokens (no parse tree is ever built).

Lowering is total: anything the grammar accepts becomes AST nodes; a literal that is not a valid
number or date becomes a text literal with a WF111 diagnostic, and ``not`` / ``any ... with`` nested
past ``MAX_NESTING`` is cut with one WF108. The hottest rules have hand-written fast paths
(``Builder.FAST``, tested against the generic callbacks); ``lalr.reduce_callbacks`` installs them.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import attrs

from ..source import Span
from . import ast as A
from .layout import ParseState, whole_span
from .limits import MAX_NESTING, MAX_NUMBER_DIGITS, diag, nesting_diag

if TYPE_CHECKING:
    from lark import Token

__all__ = ["Builder"]


class _Cat:
    """A workflow's ``category`` line, until the workflow is built."""

    __slots__ = ("name",)

    def __init__(self, name: A.Name) -> None:
        self.name = name


class Builder:
    """One method per grammar rule (or alias); each gets the rule's children as a list."""

    def __init__(self) -> None:
        self.st: ParseState | None = None
        self.path = ""

    def begin(self, st: ParseState | None) -> None:
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
        return A.Script(tuple(c), span=whole_span(st.source, st.exact_lines))

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
        st.diags.append(diag("WF111", f"`{tok}` is not a valid {what}", span,
                             label=f"not a {what}",
                             help="dates are written YYYY-MM-DD, e.g. 2026-01-31"
                             if t == "DATE" else ""))
        return A.TextLit(str(tok), span=span)

    def _too_long(self, tok: Token, span: Span) -> A.Literal:
        """WF111 for a number with more than MAX_NUMBER_DIGITS digits (read as text, like a bad date)."""
        st = self.st
        assert st is not None
        shown = tok if len(tok) <= 24 else f"{tok[:10]}...{tok[-10:]}"
        st.diags.append(diag("WF111", f"`{shown}` is not a valid number: it has more than "
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
            st.diags.append(nesting_diag(self._tspan(tok), "`not` / `with`"))
        return True

    # ---- fast paths for the hottest rules (see FAST); each gets the rule's raw children
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

    FAST: ClassVar[dict[str, str]] = {
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


def _unescape(tok: str) -> str:
    body = tok[1:-1]
    if "\\" not in body:
        return body
    return _ESCAPE.sub(_unescape_one, body)


_ESCAPE = re.compile(r'\\(["\\])')


def _unescape_one(m: re.Match[str]) -> str:
    return m.group(1)
