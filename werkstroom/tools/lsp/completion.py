"""Completion items for a place in a document (``context.place_at``): events, condition fields,
relations and enum values typed to the step's record, response and option phrases (slots as snippet
placeholders when the editor takes snippets, enum slots as a choice), labels and keywords."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from lsprotocol import types

from ...binding.phrases import option_patterns
from ...catalogue.catalogue import Catalogue
from ...catalogue.patterns import Slot
from ...catalogue.patterns import Token as Word
from ...catalogue.specs import EnumType, FieldKind, OptionSpec, RecordSpec
from ...source import SourceFile
from .catalogue_view import (
    event_doc,
    field_doc,
    following_events,
    option_doc,
    record_in_scope,
    relation_doc,
    resolve,
    response_doc,
    response_for,
    sequences_after,
)
from .context import Place
from .positions import Lines
from .tokens import NAME, Token, tokens

__all__ = ["complete"]

K = types.CompletionItemKind


class _Items:
    """Collects items that replace the text from ``start`` to the cursor."""

    def __init__(self, source: SourceFile, lines: Lines, at: int, snippets: bool) -> None:
        self.source, self.lines, self.at, self.snippets = source, lines, at, snippets
        self.items: list[types.CompletionItem] = []
        self.seen: set[str] = set()

    def add(self, label: str, kind: types.CompletionItemKind, start: int, *, insert: str | None = None,
            snippet: bool = False, detail: str = "", doc: str = "", sort: str = "1",
            filter_: str = "") -> None:
        if label in self.seen:
            return
        self.seen.add(label)
        rng = self.lines.range(self.source.span(start, self.at))
        self.items.append(types.CompletionItem(
            label=label, kind=kind, detail=detail or None, sort_text=f"{sort}{len(self.items):05d}",
            filter_text=filter_ or label,
            text_edit=types.TextEdit(range=rng, new_text=insert if insert is not None else label),
            insert_text_format=(types.InsertTextFormat.Snippet if snippet
                                else types.InsertTextFormat.PlainText),
            documentation=types.MarkupContent(kind=types.MarkupKind.Markdown, value=doc) if doc else None))


def complete(place: Place, source: SourceFile, at: int, cat: Catalogue, lines: Lines,
             snippets: bool = False) -> list[types.CompletionItem]:
    """The completion items at ``place`` (empty where nothing is known to fit)."""
    out = _Items(source, lines, at, snippets)
    if place.kind == "event":
        for ev, follows in following_events(cat, place.ancestors):
            out.add(ev.name, K.Event, place.start, detail=f"event on {ev.record}", doc=event_doc(cat, ev),
                    sort="1" if follows else "2")
    elif place.kind in ("operand", "member", "relation", "value"):
        _condition(out, place, cat)
    elif place.kind == "response":
        _responses(out, place, cat)
    elif place.kind == "option":
        _options(out, place, cat)
    elif place.kind == "label":
        for name, line in labels_in_workflow(source, at):
            out.add(name, K.Reference, place.start, detail=f"label of: {line}")
    elif place.kind == "continue":
        out.add("at", K.Keyword, place.start)
    return out.items


# --------------------------------------------------------------------------- conditions


def _condition(out: _Items, place: Place, cat: Catalogue) -> None:
    rec = record_in_scope(cat, place.event, place.scope)
    if rec is None:
        return
    if place.kind == "operand":
        _fields(out, place, rec, cat)
        ev = cat.event(place.event)
        if ev is not None and ev.record_change and not place.scope:
            out.add("old", K.Keyword, place.start, detail="the values before the change: old.FIELD")
        if any(r.many for r in rec.relations):
            for q in ("any", "all", "no"):
                out.add(q, K.Keyword, place.start, detail=f"{q} RELATION with TEST", sort="3")
        return
    if place.kind == "relation":
        for rel in rec.relations:
            if rel.many:
                out.add(rel.name, K.Module, place.start, detail=f"{rel.record} records",
                        doc=relation_doc(rec, rel))
        return
    owner, field, related = resolve(cat, rec, place.path)
    if place.kind == "member":  # `old.`: the record's own fields; `vendor.`: the related record's
        if [p.lower() for p in place.path] == ["old"]:
            target: RecordSpec | None = rec
        else:
            target = cat.record(related.record) if related is not None and not related.many else None
        if target is not None:
            _fields(out, place, target, cat)
        return
    if field is not None and owner is not None:
        _values(out, place, field.enum, field.kind)


def _fields(out: _Items, place: Place, rec: RecordSpec, cat: Catalogue) -> None:
    for f in rec.fields:
        kind = f"enum {f.enum.name}" if f.enum else f.kind.value
        out.add(f.name, K.Field, place.start, detail=f"{kind} · {rec.name}", doc=field_doc(rec, f))
    for rel in rec.relations:
        out.add(rel.name, K.Module, place.start, detail=f"{'many' if rel.many else 'one'} {rel.record}",
                doc=relation_doc(rec, rel), sort="2")


def _values(out: _Items, place: Place, enum: EnumType | None, kind: FieldKind) -> None:
    quoted = out.source.text[place.start:place.start + 1] == '"'
    if enum is not None:
        for v in enum.values:
            text = v if NAME.fullmatch(v) and not quoted else '"' + v.replace('"', '\\"') + '"'
            out.add(v, K.EnumMember, place.start, insert=text, detail=enum.name,
                    filter_=text if quoted else v)
    elif kind is FieldKind.BOOLEAN:
        for v in ("true", "false"):
            out.add(v, K.Keyword, place.start)


# --------------------------------------------------------------------------- responses and options


def _parts(toks: Iterable[Token]) -> list[str | None]:
    """Phrase parts as the catalogue's patterns match them: words lower-cased, None for a value."""
    return [t.word if t.kind == "name" else (t.text.lower() if t.kind == "number" else None) for t in toks]


def _phrase_text(seq: Sequence[Word], snippets: bool, options: dict[str, OptionSpec]) -> tuple[str, str]:
    """(label, insert text) of a word sequence: slots shown as ``<name>``; inserted as snippet
    placeholders (a choice for an enum option), or left out with everything after them without snippets."""
    def shown(slot: Slot) -> str:
        opt = options.get(slot.name)
        return opt.name if opt is not None else slot.name

    label = " ".join(f"<{shown(t)}>" if isinstance(t, Slot) else t for t in seq)
    if not snippets:
        first = next((i for i, t in enumerate(seq) if isinstance(t, Slot)), len(seq))
        words = [t for t in seq[:first] if isinstance(t, str)]
        return label, " ".join(words) + (" " if first < len(seq) else "")
    parts, n = [], 0
    for t in seq:
        if isinstance(t, Slot):
            n += 1
            opt = options.get(t.name)
            if opt is not None and opt.enum is not None:
                choices = ",".join(_snippet_escape(_value_text(v), ",|") for v in opt.enum.values)
                parts.append(f"${{{n}|{choices}|}}")
            else:
                parts.append(f"${{{n}:{shown(t)}}}")
        else:
            parts.append(_snippet_escape(t, "}"))
    return label, " ".join(parts)


def _value_text(v: str) -> str:
    return v if NAME.fullmatch(v) else '"' + v + '"'


def _snippet_escape(text: str, extra: str) -> str:
    out = text.replace("\\", "\\\\").replace("$", "\\$")
    for ch in extra:
        out = out.replace(ch, "\\" + ch)
    return out


def _responses(out: _Items, place: Place, cat: Catalogue) -> None:
    typed = _parts(place.words)
    ev = cat.event(place.event)
    specs = cat.responses_after(ev.name) if ev is not None else list(cat.responses)
    for spec in specs:
        options = {o.name: o for o in spec.options}
        for pat in spec.patterns:
            for seq in sequences_after(cat.compiled(spec, pat), typed)[:1]:
                label, text = _phrase_text(seq, out.snippets, options)
                out.add(label, K.Function, place.phrase_start, insert=text, snippet=out.snippets,
                        detail=spec.name, doc=response_doc(cat, spec))
    if not place.words:
        out.add("continue at", K.Keyword, place.start, detail="jump to a labelled response", sort="3")
        if place.body_line:
            out.add("on", K.Keyword, place.start, detail="a step that waits for the next event", sort="3")


def _options(out: _Items, place: Place, cat: Catalogue) -> None:
    spec = response_for(cat, _parts(place.response))
    if spec is None:
        return
    typed = _parts(place.words)
    for o in spec.options:
        compiled = option_patterns(o)
        declared = compiled[: len(o.patterns)] or compiled[:1]
        for pattern in declared:
            for seq in sequences_after(pattern, typed)[:1]:
                label, text = _phrase_text(seq, out.snippets, {"value": o})
                out.add(label, K.Property, place.phrase_start, insert=text, snippet=out.snippets,
                        detail=f"{o.name} ({o.enum.name if o.enum else o.kind.value})",
                        doc=option_doc(spec, o))


# --------------------------------------------------------------------------- labels


def labels_in_workflow(source: SourceFile, at: int) -> list[tuple[str, str]]:
    """(label, its response line) for every ``as LABEL`` of the workflow around offset ``at``."""
    line, _ = source.line_col(at)
    first = next((k for k in range(line, 0, -1) if source.line_text(k)[:8].lower() == "workflow"), 1)
    last = next((k - 1 for k in range(line + 1, source.line_count + 1)
                 if source.line_text(k)[:8].lower() == "workflow"), source.line_count)
    found: list[tuple[str, str]] = []
    for k in range(first, last + 1):
        toks = tokens(source.line_text(k))
        if len(toks) >= 3 and toks[-2].word == "as" and toks[-1].kind == "name":
            found.append((toks[-1].text, source.line_text(k).strip()))
    return found
