"""Hover: the catalogue's documentation of what is under the cursor: an event, a response or one of
its options, a field or relation of the step's record (typed to the event, inside `any ... with` to
the related records), an enum value, a label, a workflow."""

from __future__ import annotations

from ...binding.phrases import match, option_patterns, phrase_binder_of
from ...catalogue.catalogue import Catalogue
from ...catalogue.specs import EnumType, RecordSpec
from ...grammar import ast as A
from ...source import Span
from .catalogue_view import (
    event_doc,
    field_doc,
    option_doc,
    record_in_scope,
    relation_doc,
    resolve,
    response_doc,
)
from .navigation import chain_at, label_target

__all__ = ["hover_at"]


def hover_at(script: A.Script, at: int, cat: Catalogue) -> tuple[str, Span] | None:
    """Markdown about the name at offset ``at`` and the span it covers, or None."""
    chain = chain_at(script, at)
    if not chain:
        return None
    leaf, parent = chain[-1], chain[-2] if len(chain) > 1 else None
    steps = [n for n in chain if isinstance(n, A.Step)]
    if isinstance(parent, A.Step) and leaf is parent.event:
        ev = cat.event(parent.event.text)
        return (event_doc(cat, ev), parent.event.span) if ev is not None else None
    if isinstance(parent, A.Workflow) and leaf is parent.code:
        desc = f": {parent.description.value}" if parent.description is not None else ""
        return f"**workflow {parent.code.text}**{desc}", parent.code.span
    if isinstance(parent, A.Jump | A.Response) and isinstance(leaf, A.Name) and (
            isinstance(parent, A.Jump) or parent.label is leaf):
        found = label_target(script, at)
        if found is None:
            return None
        label, resp = found
        return f"**label `{label.text}`** (line {label.span.line}): `{resp.phrase.words}`", leaf.span
    responses = [n for n in chain if isinstance(n, A.Response)]
    phrases = [n for n in chain if isinstance(n, A.Phrase)]
    if responses and phrases:
        return _phrase(responses[-1], phrases[-1], cat)
    refs = [n for n in chain if isinstance(n, A.Ref)]
    if steps and refs and isinstance(leaf, A.Name):
        return _condition(chain, steps[-1], refs[-1], leaf, cat)
    return None


def _phrase(resp: A.Response, phrase: A.Phrase, cat: Catalogue) -> tuple[str, Span] | None:
    bound = phrase_binder_of(cat, cat.responses).bind(A.Response(resp.phrase), [])
    if bound is None:
        return None
    spec = bound.spec
    if phrase is resp.phrase:
        return response_doc(cat, spec), phrase.span
    for o in spec.options:
        if any(True for pattern in option_patterns(o) for _m in match(pattern, phrase.parts)):
            return option_doc(spec, o), phrase.span
    return None


def _condition(chain: list[object], step: A.Step, ref: A.Ref, name: A.Name,
               cat: Catalogue) -> tuple[str, Span] | None:
    scope = [q.collection for q in chain if isinstance(q, A.Quantified) and q.collection is not ref]
    rec = record_in_scope(cat, step.event.text, [tuple(n.text for n in r.path) for r in scope])
    if rec is None:
        return None
    upto = tuple(n.text for n in ref.path[: ref.path.index(name) + 1])
    owner, field, rel = resolve(cat, rec, upto)
    if owner is not None and field is not None:
        return field_doc(owner, field), name.span
    if owner is not None and rel is not None:
        return relation_doc(owner, rel), name.span
    if len(upto) == 1 and upto[0].lower() == "old":
        return f"**old**: the values of `{rec.name}` before the change", name.span
    enum = _enum_beside(chain, ref, cat, rec)
    if enum is not None and len(ref.path) == 1:
        value = enum.lookup(name.text)
        if value is not None:
            return (f"**{value}**: a value of enum `{enum.name}`\n\nvalues: {', '.join(enum.values)}",
                    name.span)
    return None


def _enum_beside(chain: list[object], ref: A.Ref, cat: Catalogue, rec: RecordSpec) -> EnumType | None:
    """The enum of the field a value is compared with (``status = Open``, ``status in [Open, ...]``)."""
    test = next((n for n in reversed(chain) if isinstance(n, A.Compare | A.InList)), None)
    other = None
    if isinstance(test, A.Compare):
        other = test.left if test.right is ref else test.right if test.left is ref else None
    elif isinstance(test, A.InList) and ref in test.items:
        other = test.operand
    if not isinstance(other, A.Ref):
        return None
    _owner, field, _rel = resolve(cat, rec, tuple(n.text for n in other.path))
    return field.enum if field is not None else None
