"""The canonical layout of .wf scripts (``wf fmt``): printed from the AST, comments carried over.

Layout rules (docs/language.md, "Formatting"):

* ``workflow CODE "description"`` at column 0; ``category`` and the entry steps two spaces in;
  a blank line after the category, between entry steps, between top-level items, and between a
  step's responses and its first nested step.
* A step's body sits three columns deeper than its ``on`` (under the event name). A body of exactly
  one response or jump stays on the ``on`` line when the line fits in 100 columns.
* A header longer than 100 columns is written as ``on EVENT`` / ``   when CONDITION`` / ``then``,
  and a top-level ``and``/``or`` chain that is still too long gets one operand per line.
* One space around operators and after commas; parentheses only where precedence needs them.
* Comments: a comment on its own line stays before the construct that follows it (at that
  construct's indentation); a comment at the end of a line stays at the end of that line; a blank
  line next to a comment is kept (one at most).

``format_script(x)`` is idempotent, and ``parse(format_script(x)).script == parse(x).script``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..errors import DiagnosticsError
from ..source import SourceFile
from . import ast as A

__all__ = ["LINE_LENGTH", "format_ast", "format_expr", "format_script"]

LINE_LENGTH = 100
WORKFLOW_INDENT = 2
BODY_INDENT = 3

_PREC_OR, _PREC_AND, _PREC_NOT, _PREC_TEST, _PREC_ATOM = 1, 2, 3, 4, 5


def format_script(text: str, path: str = "<string>") -> str:
    """Return ``text`` in the canonical layout. Raises ``DiagnosticsError`` (carrying the WF1xx
    diagnostics) when the text has syntax errors: only a script that parses can be formatted."""
    from .parser import parse

    result = parse(text, path)
    errors = [d for d in result.diagnostics if d.is_error]
    if errors:
        raise DiagnosticsError(f"cannot format {path}: it has syntax errors", errors, code=errors[0].code)
    return format_ast(result.script, result.source)


def format_ast(script: A.Script, source: SourceFile | None = None) -> str:
    """Print ``script`` canonically; with ``source`` (the text it was parsed from) its comments are kept."""
    p = _Printer(source)
    for i, item in enumerate(script.items):
        if i:
            p.blank()
        if isinstance(item, A.Workflow):
            p.workflow(item)
        else:
            p.step(item, 0)
    p.flush_rest()
    return "\n".join(p.out).rstrip("\n") + "\n" if p.out else ""


_COMMENT_OR_STRING = re.compile(r'"(?:[^"\\\r\n]|\\.)*"|#[^\r\n]*')


class _Comment:
    __slots__ = ("line", "offset", "text")

    def __init__(self, offset: int, line: int, text: str) -> None:
        self.offset = offset
        self.line = line
        self.text = text


class _Printer:
    def __init__(self, source: SourceFile | None) -> None:
        self.out: list[str] = []
        self.source = source
        self.comments: list[_Comment] = []
        if source is not None:
            for m in _COMMENT_OR_STRING.finditer(source.text):
                if m.group().startswith("#"):
                    line, _ = source.line_col(m.start())
                    self.comments.append(_Comment(m.start(), line, m.group().rstrip()))
        self.ci = 0

    # ---- comments and lines
    def blank(self) -> None:
        if self.out and self.out[-1] != "":
            self.out.append("")

    def emit(self, indent: int, text: str, start: int, end: int) -> None:
        """Write one line for the construct whose header covers source offsets [start, end).
        Comments before ``end`` go first, on their own lines; blank lines next to a comment are kept
        (one at most), so comment blocks stay separated as written."""
        pad = " " * indent
        cs = self.comments
        src = self.source
        if src is None or not cs:
            self.out.append(pad + text)
            return
        start_line = src.line_col(start)[0]
        end_line = src.line_col(end)[0]
        wrote_comment = False
        while self.ci < len(cs) and cs[self.ci].offset < end:
            self._own_line_comment(pad, cs[self.ci])
            wrote_comment = True
            self.ci += 1
        if wrote_comment and self._blank_before(start_line):
            self.blank()
        line = pad + text
        if self.ci < len(cs) and cs[self.ci].line == end_line:
            line += "  " + cs[self.ci].text
            self.ci += 1
        self.out.append(line)

    def _own_line_comment(self, pad: str, c: _Comment) -> None:
        if self.out and self._blank_before(c.line):
            self.blank()
        self.out.append(pad + c.text)

    def _blank_before(self, line: int) -> bool:
        """Whether the source line just above ``line`` is blank."""
        return self.source is not None and line > 1 and not self.source.line_text(line - 1).strip()

    def flush_rest(self) -> None:
        while self.ci < len(self.comments):
            self._own_line_comment("", self.comments[self.ci])
            self.ci += 1

    # ---- structure
    def workflow(self, wf: A.Workflow) -> None:
        head = f"workflow {wf.code.text}"
        last: A.Name | A.TextLit = wf.code
        if wf.description is not None:
            head += " " + _text(wf.description.value)
            last = wf.description
        self.emit(0, head, wf.span.start, last.span.end)
        if wf.category is not None:
            self.emit(WORKFLOW_INDENT, f"category {wf.category.text}", wf.category.span.start,
                      wf.category.span.end)
        for i, step in enumerate(wf.steps):
            if i or wf.category is not None:
                self.blank()
            self.step(step, WORKFLOW_INDENT)

    def step(self, step: A.Step, indent: int) -> None:
        head = f"on {step.event.text}"
        cond = format_expr(step.condition) if step.condition is not None else None
        head_end = (step.condition or step.event).span.end
        one = f"{head} when {cond} then" if cond is not None else f"{head} then"
        body = step.body
        if len(body) == 1 and not isinstance(body[0], A.Step):
            line = f"{one} {_item(body[0])}"
            if indent + len(line) <= LINE_LENGTH:
                self.emit(indent, line, step.span.start, body[0].span.end)
                return
        if indent + len(one) <= LINE_LENGTH or cond is None:
            self.emit(indent, one, step.span.start, head_end)
        else:
            self._wrapped_header(step, indent, head, head_end)
        for i, item in enumerate(body):
            if isinstance(item, A.Step):
                if i and not isinstance(body[i - 1], A.Step):
                    self.blank()
                self.step(item, indent + BODY_INDENT)
            else:
                self.emit(indent + BODY_INDENT, _item(item), item.span.start, item.span.end)

    def _wrapped_header(self, step: A.Step, indent: int, head: str, head_end: int) -> None:
        cond = step.condition
        assert cond is not None
        self.emit(indent, head, step.span.start, step.event.span.end)
        inner = indent + BODY_INDENT
        text = format_expr(cond)
        if inner + 5 + len(text) > LINE_LENGTH and isinstance(cond, A.And | A.Or):
            word = "and" if isinstance(cond, A.And) else "or"
            prec = _PREC_NOT if isinstance(cond, A.And) else _PREC_AND
            parts = [_expr(op, prec) for op in cond.operands]
            self.emit(inner, "when " + parts[0], cond.operands[0].span.start, cond.operands[0].span.end)
            for op, part in zip(cond.operands[1:], parts[1:], strict=True):
                self.emit(inner + 2, f"{word} {part}", op.span.start, op.span.end)
        else:
            self.emit(inner, "when " + text, cond.span.start, head_end)
        self.out.append(" " * indent + "then")


def _item(item: A.Response | A.Jump) -> str:
    if isinstance(item, A.Jump):
        return f"continue at {item.target.text}"
    parts = [_phrase(item.phrase), *(_phrase(o) for o in item.options)]
    text = ", ".join(parts)
    if item.label is not None:
        text += f" as {item.label.text}"
    return text


def _phrase(ph: A.Phrase) -> str:
    return " ".join(p.text if isinstance(p, A.Name) else _literal(p) for p in ph.parts)


def _text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _decimal(v: Decimal) -> str:
    s = format(v, "f")
    return s if "." in s else s + ".0"


def _literal(lit: A.Literal) -> str:
    if isinstance(lit, A.TextLit):
        return _text(lit.value)
    if isinstance(lit, A.BoolLit):
        return "true" if lit.value else "false"
    if isinstance(lit, A.DecimalLit):
        return _decimal(lit.value)
    if isinstance(lit, A.IntLit):
        return str(lit.value)
    if isinstance(lit, A.DateLit):
        return lit.value.isoformat()
    return lit.text


def format_expr(e: A.Expr) -> str:
    """A condition in canonical form (minimal parentheses)."""
    return _expr(e, 0)


def _prec(e: A.Expr | A.Range) -> int:
    if isinstance(e, A.Or):
        return _PREC_OR
    if isinstance(e, A.And):
        return _PREC_AND
    if isinstance(e, A.Not):
        return _PREC_NOT
    if isinstance(e, A.Compare | A.InList | A.InRange | A.TextTest | A.ChangeTest | A.Quantified):
        return _PREC_TEST
    return _PREC_ATOM


def _expr(e: A.Expr, need: int) -> str:
    s = _expr_bare(e)
    return f"({s})" if _prec(e) < need else s


def _expr_bare(e: A.Expr) -> str:
    if isinstance(e, A.Or):
        return " or ".join(_expr(o, _PREC_AND) for o in e.operands)
    if isinstance(e, A.And):
        return " and ".join(_expr(o, _PREC_NOT) for o in e.operands)
    if isinstance(e, A.Not):
        return "not " + _expr(e.operand, _PREC_NOT)
    if isinstance(e, A.Compare):
        return f"{_expr(e.left, _PREC_ATOM)} {e.op} {_expr(e.right, _PREC_ATOM)}"
    if isinstance(e, A.InList):
        items = ", ".join(_range(i) if isinstance(i, A.Range) else _expr(i, _PREC_ATOM) for i in e.items)
        neg = "not " if e.negated else ""
        return f"{_expr(e.operand, _PREC_ATOM)} {neg}in [{items}]"
    if isinstance(e, A.InRange):
        neg = "not " if e.negated else ""
        return f"{_expr(e.operand, _PREC_ATOM)} {neg}in {_range(e.range)}"
    if isinstance(e, A.TextTest):
        left = _expr(e.operand, _PREC_ATOM)
        if e.pattern is None:
            return f"{left} {e.op}"
        return f"{left} {e.op} {_expr(e.pattern, _PREC_ATOM)}"
    if isinstance(e, A.ChangeTest):
        return f"{e.field.dotted} {e.kind}"
    if isinstance(e, A.Quantified):
        head = f"{e.quantifier} {e.collection.dotted}"
        if e.condition is None:
            return head
        return f"{head} with {_expr(e.condition, _PREC_NOT)}"
    if isinstance(e, A.Ref):
        return e.dotted
    return _literal(e)


def _range(r: A.Range) -> str:
    low = _expr(r.low, _PREC_ATOM) if r.low is not None else ""
    high = _expr(r.high, _PREC_ATOM) if r.high is not None else ""
    return f"{low}..{high}"
