"""Hand-built AST nodes with real spans, for binder tests that do not depend on the parser."""

from __future__ import annotations

from decimal import Decimal

from werkstroom.grammar import ast
from werkstroom.source import SourceFile, Span


class Src:
    """Locates substrings of ``text`` to give nodes spans: ``at("amount", 2)`` is the 2nd occurrence."""

    def __init__(self, text: str, path: str = "test.wf") -> None:
        self.file = SourceFile(path, text)

    def at(self, sub: str, nth: int = 1) -> Span:
        pos = -1
        for _ in range(nth):
            pos = self.file.text.index(sub, pos + 1)
        return self.file.span(pos, pos + len(sub))

    def name(self, text: str, nth: int = 1) -> ast.Name:
        return ast.Name(text, span=self.at(text, nth))

    def ref(self, dotted: str, nth: int = 1) -> ast.Ref:
        span = self.at(dotted, nth)
        parts = []
        off = span.start
        for p in dotted.split("."):
            parts.append(ast.Name(p, span=self.file.span(off, off + len(p))))
            off += len(p) + 1
        return ast.Ref(tuple(parts), span=span)

    def int(self, v: int, nth: int = 1) -> ast.IntLit:
        return ast.IntLit(v, span=self.at(str(v), nth))

    def dec(self, v: str, nth: int = 1) -> ast.DecimalLit:
        return ast.DecimalLit(Decimal(v), span=self.at(v, nth))

    def text(self, v: str, nth: int = 1) -> ast.TextLit:
        return ast.TextLit(v, span=self.at(f'"{v}"', nth))

    def cmp(self, op: str, left: ast.Expr, right: ast.Expr) -> ast.Compare:
        return ast.Compare(op, left, right, span=left.span.cover(right.span))

    def phrase(self, words: str, nth: int = 1) -> ast.Phrase:
        span = self.at(words, nth)
        parts: list[ast.PhrasePart] = []
        off = span.start
        for w in words.split(" "):
            if w.startswith('"'):
                parts.append(ast.TextLit(w.strip('"'), span=self.file.span(off, off + len(w))))
            elif w[0].isdigit() and w[-1] in "DWMQY":
                parts.append(ast.FormulaLit(w, span=self.file.span(off, off + len(w))))
            elif w.isdigit():
                parts.append(ast.IntLit(int(w), span=self.file.span(off, off + len(w))))
            else:
                parts.append(ast.Name(w, span=self.file.span(off, off + len(w))))
            off += len(w) + 1
        return ast.Phrase(tuple(parts), span=span)

    def resp(self, words: str, *options: str, label: str | None = None, nth: int = 1) -> ast.Response:
        ph = self.phrase(words, nth)
        opts = tuple(self.phrase(o) for o in options)
        lab = None
        if label:
            pos = self.file.text.index(" as " + label, ph.span.end) + 4
            lab = ast.Name(label, span=self.file.span(pos, pos + len(label)))
        end = (lab.span if lab else opts[-1].span if opts else ph.span)
        return ast.Response(ph, opts, lab, span=ph.span.cover(end))

    def jump(self, target: str, nth: int = 1) -> ast.Jump:
        t = self.name(target, nth)
        return ast.Jump(t, span=t.span)

    def step(self, event: str, cond: ast.Expr | None, *body: ast.Response | ast.Jump | ast.Step,
             nth: int = 1) -> ast.Step:
        ev = self.name(event, nth)
        return ast.Step(ev, cond, tuple(body), span=ev.span)

    def workflow(self, code: str, *steps: ast.Step, description: str | None = None) -> ast.Workflow:
        c = self.name(code)
        d = self.text(description) if description else None
        return ast.Workflow(c, d, None, tuple(steps), span=c.span)


class Parsed:
    """Stands in for the parser's ParseResult."""

    def __init__(self, src: Src, *items: ast.Workflow | ast.Step) -> None:
        self.script = ast.Script(tuple(items))
        self.diagnostics: tuple[()] = ()
        self.source = src.file
