"""What the editor features look up in the catalogue: an event's record type, a dotted path in a
condition resolved against it, the events a step may wait for, the response a phrase names, and the
documentation of each entry in Markdown (hover and completion show the same text)."""

from __future__ import annotations

from collections.abc import Sequence

from ...catalogue.catalogue import Catalogue
from ...catalogue.patterns import CompiledPattern
from ...catalogue.patterns import Token as Word
from ...catalogue.specs import EventSpec, FieldSpec, OptionSpec, RecordSpec, RelationSpec, ResponseSpec

__all__ = ["event_doc", "field_doc", "following_events", "option_doc", "record_in_scope", "relation_doc",
           "resolve", "response_doc", "response_for", "sequences_after"]


def record_in_scope(cat: Catalogue, event: str, scope: Sequence[Sequence[str]]) -> RecordSpec | None:
    """The record a condition's names refer to: the event's record, or inside `any REL with ...` the
    related records' type (``scope``: the relation paths, outermost first)."""
    ev = cat.event(event)
    rec = cat.record(ev.record) if ev is not None else None
    for path in scope:
        if rec is None:
            return None
        rec, _field, rel = resolve(cat, rec, path)
        rec = cat.record(rel.record) if rel is not None and rel.many else None
    return rec


def resolve(cat: Catalogue, rec: RecordSpec, path: Sequence[str]
            ) -> tuple[RecordSpec | None, FieldSpec | None, RelationSpec | None]:
    """Follow a dotted path from ``rec``: (the record its last name belongs to, the field it names or
    None, the relation it names or None). ``old.`` stays on the record (the previous values)."""
    names = list(path)
    if names and names[0].lower() == "old" and rec.field("old") is None:
        names = names[1:]
    for i, name in enumerate(names):
        last = i == len(names) - 1
        field = rec.field(name)
        if field is not None:
            return (rec, field, None) if last else (None, None, None)
        rel = rec.relation(name)
        if rel is None:
            return None, None, None
        if last:
            return rec, None, rel
        target = cat.record(rel.record)
        if target is None or rel.many:
            return None, None, None
        rec = target
    return rec, None, None


def following_events(cat: Catalogue, ancestors: Sequence[str]) -> list[tuple[EventSpec, bool]]:
    """The events a step may wait for under steps on ``ancestors`` (nearest first; none: a workflow's
    first step): (event, True) for those listing an ancestor among their predecessors first, then
    (event, False) for the independent ones, which may start a workflow or follow anything."""
    keys = {k.lower() for a in ancestors if (spec := cat.event(a)) is not None
            for k in (spec.name, spec.bc_code, *spec.aliases) if k}
    follows = [(e, True) for e in cat.events if keys and any(p.lower() in keys for p in e.predecessors)]
    return follows + [(e, False) for e in cat.events if not e.predecessors]


def response_for(cat: Catalogue, parts: Sequence[str | None]) -> ResponseSpec | None:
    """The response a phrase names (``parts``: its words lower-cased, None for a value), the pattern
    with the most words winning, as the binder decides."""
    best: tuple[int, ResponseSpec] | None = None
    for spec, _pat, compiled in cat.phrase_index():
        if compiled.match(parts) is not None and (best is None or compiled.literal_words > best[0]):
            best = (compiled.literal_words, spec)
    return best[1] if best else None


def _kind(f: FieldSpec | OptionSpec) -> str:
    if f.enum is not None:
        return f"enum {f.enum.name}"
    return f.kind.value


def event_doc(cat: Catalogue, e: EventSpec) -> str:
    rec = cat.record(e.record)
    table = f" (BC table {rec.table_id} {rec.bc_name})" if rec is not None and rec.table_id else ""
    lines = [f"**{e.name}** (event)", "", e.description, "",
             f"- record: `{e.record}`{table}", f"- BC code: `{e.bc_code or '-'}`"]
    if e.predecessors:
        lines.append("- follows: " + ", ".join(f"`{p}`" for p in e.predecessors))
    else:
        lines.append("- independent: can start a workflow")
    if e.record_change:
        lines.append("- a record change: `old.FIELD` and `FIELD changed|increased|decreased` can be tested")
    lines.append(f"- library: {cat.origin('event', e.name)}")
    return "\n".join(lines)


def response_doc(cat: Catalogue, r: ResponseSpec) -> str:
    lines = [f"**{r.name}** (response)", "", r.description, "", f"- BC code: `{r.bc_code or '-'}`",
             "- written: " + "; ".join(f"`{p.text}`" for p in r.patterns)]
    if r.options:
        lines.append("- options: " + "; ".join(f"`{o.name}` ({_kind(o)})" for o in r.options))
    if r.allowed_after:
        lines.append("- follows: " + ", ".join(f"`{a}`" for a in r.allowed_after))
    if r.mandatory_rule:
        lines.append(f"- mandatory: {r.mandatory_rule}")
    lines.append(f"- library: {cat.origin('response', r.name)}")
    return "\n".join(lines)


def option_doc(r: ResponseSpec, o: OptionSpec) -> str:
    lines = [f"**{o.name}**: option of `{r.name}` ({_kind(o)})", "", o.description, ""]
    if o.bc_name:
        lines.append(f"- BC field: {o.bc_name}")
    if o.patterns:
        lines.append("- written: " + "; ".join(f"`{p}`" for p in o.patterns))
    if o.enum is not None:
        lines.append("- values: " + ", ".join(o.enum.values))
    if o.default is not None:
        lines.append(f"- default: {o.default}")
    return "\n".join(lines)


def field_doc(rec: RecordSpec, f: FieldSpec) -> str:
    lines = [f"**{f.name}**: field of `{rec.name}` ({_kind(f)})", "", f.description, ""]
    if f.bc_name:
        lines.append(f'- BC field: "{f.bc_name}"' + (f" of table {rec.table_id} {rec.bc_name}"
                                                     if rec.table_id else ""))
    if f.enum is not None:
        lines.append("- values: " + ", ".join(f.enum.values))
    if f.max_length:
        lines.append(f"- up to {f.max_length} characters")
    if f.flowfield:
        lines.append("- computed (a FlowField)")
    return "\n".join(lines)


def relation_doc(rec: RecordSpec, rel: RelationSpec) -> str:
    many = "many" if rel.many else "one"
    lines = [f"**{rel.name}**: relation of `{rec.name}` to {many} `{rel.record}`", "", rel.description]
    if rel.many:
        lines += ["", f"test it with `any {rel.name} with ...`, `all ...` or `no ...`"]
    return "\n".join(lines)


def sequences_after(compiled: CompiledPattern, typed: Sequence[str | None]) -> list[tuple[Word, ...]]:
    """The word sequences of ``compiled`` that begin with the ``typed`` words (None: a value, which
    only a slot takes) and go on after them."""
    out = []
    for seq in compiled.sequences:
        if len(seq) <= len(typed):
            continue
        if all(not isinstance(tok, str) or tok == word for tok, word in zip(seq, typed, strict=False)):
            out.append(tuple(seq))
    return out
