"""A response and the option values it should have, written as a .wf response line.

The response's phrase is the one of its patterns that needs the fewest option phrases after it: its
presets must be the wanted values, its slots take wanted values, and every other option that differs
from what the phrase gives is written after a comma with the option's own phrase (``notify sender``,
``due in 2D``) or its generic form (``<option name> <value>``). None when no phrase writes the values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ...catalogue.patterns import CompiledPattern, Slot, compile_pattern
from ...catalogue.specs import FieldKind, OptionSpec, ResponseSpec
from ...grammar import ast as A
from .import_conditions import name_or_text
from .model import FIELD_OPTION_CAPTION

_FORMULA = re.compile(r"[+-]?(?:\d+[DWMQY]|C[DWMQY])(?:[+-](?:\d+[DWMQY]|C[DWMQY]))*", re.I)


def same(opt: OptionSpec | None, a: Any, b: Any) -> bool:
    """Whether two values of ``opt`` are the same once written (codes and formulas ignore case; no
    value and an empty text are the same)."""
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, str) and isinstance(b, str):
        if opt is not None and opt.kind in (FieldKind.CODE, FieldKind.FORMULA):
            return a.upper() == b.upper()
        return a == b
    if isinstance(a, int | Decimal) and isinstance(b, int | Decimal):
        return Decimal(a) == Decimal(b)
    return bool(a == b)


def _declared(opt: OptionSpec | None, value: Any) -> Any:
    if opt is not None and opt.kind is FieldKind.CODE and isinstance(value, str):
        return value.upper()
    return value


def literal(opt: OptionSpec, value: Any) -> A.PhrasePart:
    """A value of ``opt`` as a phrase part."""
    kind = opt.kind
    if kind is FieldKind.BOOLEAN:
        return A.BoolLit(bool(value))
    if kind is FieldKind.INTEGER:
        return A.IntLit(int(value))
    if kind is FieldKind.DECIMAL:
        d = Decimal(value)
        return A.IntLit(int(d)) if d == d.to_integral_value() else A.DecimalLit(d)
    if kind is FieldKind.FORMULA and _FORMULA.fullmatch(str(value)):
        return A.FormulaLit(str(value).upper())
    if kind is FieldKind.ENUM or opt.bc_name == FIELD_OPTION_CAPTION:
        return name_or_text(str(value))  # an enum value, or a field's name
    return A.TextLit(str(value))


def _longest(p: CompiledPattern) -> tuple[str | Slot, ...]:
    return max(p.sequences, key=len)


def _words(seq: tuple[str | Slot, ...], values: Mapping[str, Any], spec: ResponseSpec,
           own: OptionSpec | None = None) -> A.Phrase:
    parts: list[A.PhrasePart] = []
    for tok in seq:
        if isinstance(tok, Slot):
            opt = own if own is not None and tok.name in ("value", own.name) else spec.option(tok.name)
            assert opt is not None
            parts.append(literal(opt, values[opt.name]))
        else:
            parts.append(A.Name(tok))
    return A.Phrase(tuple(parts))


def option_phrase(spec: ResponseSpec, opt: OptionSpec, value: Any) -> A.Phrase:
    """``opt = value`` as an option phrase: the option's own phrase, else ``<name> <value>``."""
    for text in opt.patterns:
        seq = _longest(compile_pattern(text))
        slots = [t for t in seq if isinstance(t, Slot)]
        if opt.kind is FieldKind.BOOLEAN and value is True and not slots:
            return _words(seq, {opt.name: value}, spec, opt)
        if len(slots) == 1 and slots[0].name in ("value", opt.name) and opt.kind is not FieldKind.BOOLEAN:
            return _words(seq, {opt.name: value}, spec, opt)
    words = [A.Name(w) for w in re.findall(r"[a-z0-9]+", opt.name.lower())]
    return A.Phrase((*words, literal(opt, value)))


def response_line(spec: ResponseSpec, wanted: Mapping[str, Any],
                  label: str | None = None) -> A.Response | None:
    """The response line that binds to ``spec`` with ``wanted`` option values (options not in ``wanted``
    keep their defaults), or None."""
    best: tuple[int, A.Phrase, list[OptionSpec]] | None = None
    want = {o.name: _declared(o, wanted.get(o.name, o.default)) for o in spec.options}
    for pattern in spec.patterns:
        comp = compile_pattern(pattern.text)
        given = {o.name: _declared(o, o.default) for o in spec.options}
        fits = True
        for k, v in pattern.presets.items():
            given[k] = _declared(spec.option(k), v)
            fits = fits and same(spec.option(k), want.get(k), given[k])
        seq = _longest(comp)
        for tok in seq:
            if isinstance(tok, Slot):
                fits = fits and want.get(tok.name) not in (None, "")
                given[tok.name] = want.get(tok.name)
        if not fits:
            continue
        rest = [o for o in spec.options if not same(o, want[o.name], given[o.name])]
        if any(want[o.name] in (None, "") for o in rest):
            continue  # an option the phrase sets cannot be unset again
        if best is None or len(rest) < best[0]:  # ties: the catalogue's first (its usual) phrase
            best = (len(rest), _words(seq, want, spec), rest)
    if best is None:
        return None
    _cost, phrase, rest = best
    options = tuple(option_phrase(spec, o, want[o.name]) for o in rest)
    return A.Response(phrase, options, A.Name(label) if label else None)
