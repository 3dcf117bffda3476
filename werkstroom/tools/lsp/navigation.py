"""Finding things in a parsed document: the chain of AST nodes at an offset, the response a
`continue at` jumps to (go to definition), and the outline of workflows and steps (document symbols)."""

from __future__ import annotations

from collections.abc import Iterator

import attrs
from lsprotocol import types

from ...grammar import ast as A
from ...source import SourceFile, Span
from .positions import Lines

__all__ = ["chain_at", "label_target", "symbols"]


def _children(node: object) -> Iterator[tuple[object, Span]]:
    """The AST nodes held by ``node``, each with its span."""
    cls = type(node)
    if not attrs.has(cls):
        return
    for field in attrs.fields(cls):
        if field.name == "span":
            continue
        value = getattr(node, field.name)
        for child in value if isinstance(value, tuple) else (value,):
            span = getattr(child, "span", None)
            if isinstance(span, Span):
                yield child, span


def chain_at(script: A.Script, at: int) -> list[object]:
    """The nodes whose span holds offset ``at``, outermost first (a top-level item first). A name
    holds the offset just after its last character too, where the cursor sits after typing it."""
    out: list[object] = []
    node: object = script
    while True:
        inner = next((c for c, span in _children(node) if span.start <= at < span.end
                      or (isinstance(c, A.Name) and at == span.end)), None)
        if inner is None:
            return out
        out.append(inner)
        node = inner


def _workflow_steps(script: A.Script, item: object) -> list[A.Step]:
    """The steps of the workflow ``item`` belongs to (the bare steps of a file form one workflow)."""
    if isinstance(item, A.Workflow):
        return list(item.steps)
    return [i for i in script.items if isinstance(i, A.Step)]


def _responses(step: A.Step) -> Iterator[A.Response]:
    for item in step.body:
        if isinstance(item, A.Response):
            yield item
        elif isinstance(item, A.Step):
            yield from _responses(item)


def label_target(script: A.Script, at: int) -> tuple[A.Name, A.Response] | None:
    """For a cursor on the label of a `continue at` (or of an `as`): the label where the response is
    named and that response."""
    chain = chain_at(script, at)
    name = chain[-1] if chain else None
    if not isinstance(name, A.Name) or len(chain) < 2 or not isinstance(chain[-2], A.Jump | A.Response):
        return None
    if isinstance(chain[-2], A.Response) and chain[-2].label is not name:
        return None
    key = name.text.casefold()
    for step in _workflow_steps(script, chain[0]):
        for resp in _responses(step):
            if resp.label is not None and resp.label.text.casefold() == key:
                return resp.label, resp
    return None


def _step_symbol(step: A.Step, source: SourceFile, lines: Lines) -> types.DocumentSymbol:
    children = [_step_symbol(s, source, lines) for s in step.body if isinstance(s, A.Step)]
    children += [types.DocumentSymbol(name=f"as {r.label.text}", kind=types.SymbolKind.Constant,
                                      detail=r.phrase.words, range=lines.range(r.span),
                                      selection_range=lines.range(r.label.span))
                 for r in step.body if isinstance(r, A.Response) and r.label is not None]
    condition = ""
    if step.condition is not None:
        condition = " ".join(source.text[step.condition.span.start:step.condition.span.end].split())
    return types.DocumentSymbol(
        name=f"on {step.event.text}", kind=types.SymbolKind.Event,
        detail=f"when {condition}" if condition else None,
        range=lines.range(step.span), selection_range=lines.range(step.event.span),
        children=sorted(children, key=lambda s: (s.range.start.line, s.range.start.character)) or None)


def symbols(script: A.Script, source: SourceFile, lines: Lines) -> list[types.DocumentSymbol]:
    """Workflows with their steps (nested steps inside, labelled responses as ``as LABEL``), and the
    bare steps of a file of one-line steps."""
    out = []
    for item in script.items:
        if isinstance(item, A.Step):
            out.append(_step_symbol(item, source, lines))
            continue
        out.append(types.DocumentSymbol(
            name=item.code.text, kind=types.SymbolKind.Class,
            detail=item.description.value if item.description is not None else None,
            range=lines.range(item.span), selection_range=lines.range(item.code.span),
            children=[_step_symbol(s, source, lines) for s in item.steps] or None))
    return out
