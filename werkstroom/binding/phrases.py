"""Binding response lines: a phrase and its option phrases matched against the catalogue's patterns.

A pattern (``PhrasePattern.text`` or an ``OptionSpec`` pattern) is a run of words, ``{slot}`` holes
and ``[optional words]``. Words match a phrase's words case-insensitively; a slot takes exactly one
phrase part (a word or a literal) and converts it to the kind of the option it names (``{value}`` in
an option pattern names the option itself). When several patterns match, the one that spells out the
most words wins; ties go to the catalogue's order. Every option can also be written generically as
its name (or BC caption) followed by a value: ``due date formula 2D``, ``message "Done"``.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeAlias

import attrs

from ..catalogue.patterns import CompiledPattern, Slot, compile_pattern
from ..catalogue.specs import FieldKind, OptionSpec, ResponseSpec
from ..codes import binding as c
from ..diagnostics import Diagnostic, Severity
from ..grammar import ast
from ..placeholders import PLACEHOLDERS, check, unknown_names
from ..source import Span
from ..spelling import suggest, suggest_phrase
from .values import Converted, convert

# --------------------------------------------------------------------------- matching


def _part_word(part: ast.PhrasePart) -> str | None:
    if isinstance(part, ast.Name):
        return part.text.lower()
    if isinstance(part, ast.FormulaLit):
        return part.text.lower()
    if isinstance(part, ast.BoolLit):
        return "true" if part.value else "false"
    return None


def _word_matches(word: str, part: ast.PhrasePart) -> bool:
    pw = _part_word(part)
    if pw is None:
        return False
    if pw == word:
        return True
    return isinstance(part, ast.BoolLit) and word in (("yes", "true") if part.value else ("no", "false"))


Binds: TypeAlias = tuple[tuple[str, ast.PhrasePart], ...]


def match(pattern: CompiledPattern, parts: Sequence[ast.PhrasePart]) -> Iterator[tuple[int, Binds]]:
    """Every way ``parts`` matches ``pattern``: (number of words matched, slot bindings)."""
    for seq in pattern.sequences:
        if len(seq) != len(parts):
            continue
        binds: list[tuple[str, ast.PhrasePart]] = []
        words = 0
        for tok, part in zip(seq, parts, strict=True):
            if isinstance(tok, Slot):
                binds.append((tok.name, part))
            elif _word_matches(tok, part):
                words += 1
            else:
                break
        else:
            yield words, tuple(binds)


# --------------------------------------------------------------------------- binding


@attrs.frozen
class BoundResponse:
    """A matched response line: the spec and its option values (defaults filled, presets applied)."""

    spec: ResponseSpec
    options: Mapping[str, Any]
    explicit: frozenset[str]


def _name_words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def option_patterns(opt: OptionSpec) -> list[CompiledPattern]:
    """The option's own patterns, then the generic ``<name> <value>`` forms."""
    pats = [compile_pattern(p) for p in opt.patterns]
    names = [_name_words(opt.name)]
    if opt.bc_name:
        bc = _name_words(opt.bc_name)
        if bc and bc not in names:
            names.append(bc)
    for n in names:
        pats.append(compile_pattern(n + " {value}"))
        if opt.kind is FieldKind.BOOLEAN:
            pats.append(compile_pattern(n))
    return pats


def _response_patterns(
    responses: Iterable[ResponseSpec],
) -> list[tuple[ResponseSpec, int, CompiledPattern]]:
    out = []
    for spec in responses:
        for i, pat in enumerate(spec.patterns):
            out.append((spec, i, compile_pattern(pat.text)))
    return out


_SHARED: weakref.WeakKeyDictionary[Any, PhraseBinder] = weakref.WeakKeyDictionary()
_SHARED_LOCK = threading.Lock()


def phrase_binder_of(catalogue: Any, responses: Iterable[ResponseSpec]) -> PhraseBinder:
    """The phrase binder of ``catalogue``'s ``responses``: built once per catalogue and shared by every
    bind (and every thread) while the catalogue holds the same responses. Installing a library into
    the catalogue changes its responses, so the next bind builds a new one; a copy of a catalogue
    is another catalogue with its own. A catalogue that cannot be weakly referenced gets a new one
    each time."""
    current = list(responses)
    with _SHARED_LOCK:
        try:
            found = _SHARED.get(catalogue)
        except TypeError:  # not hashable or not weakly referenceable: nothing to share
            return PhraseBinder(current)
        if found is not None and found.serves(current):
            return found
        built = _SHARED[catalogue] = PhraseBinder(current)
        return built


class PhraseBinder:
    """Binds response lines against a fixed list of responses (compiled once per catalogue, see
    ``phrase_binder_of``). Safe to share between threads: binding reads it, and its one lazily filled
    table (each response's option patterns) is filled with ``setdefault``, so threads that fill the
    same entry at once all use the one that was kept."""

    def __init__(self, responses: Iterable[ResponseSpec]) -> None:
        self.responses = list(responses)
        self._patterns = _response_patterns(self.responses)
        # patterns by the words they can start with (None: may start with a slot or be empty)
        self._by_first: dict[str | None, list[int]] = {}
        for order, (_spec, _pi, toks) in enumerate(self._patterns):
            for w in toks.first_words():
                self._by_first.setdefault(w, []).append(order)
        self._option_patterns: dict[str, list[tuple[OptionSpec, CompiledPattern]]] = {}

    def _opt_pats(self, spec: ResponseSpec) -> list[tuple[OptionSpec, CompiledPattern]]:
        got = self._option_patterns.get(spec.name)
        if got is None:
            got = self._option_patterns.setdefault(
                spec.name, [(o, p) for o in spec.options for p in option_patterns(o)])
        return got

    def serves(self, responses: Sequence[ResponseSpec]) -> bool:
        """Whether this binder was built for exactly these responses (the same objects, in order)."""
        return len(responses) == len(self.responses) and all(
            a is b for a, b in zip(responses, self.responses, strict=True))

    def bind(self, resp: ast.Response, diags: list[Diagnostic]) -> BoundResponse | None:
        phrase = resp.phrase
        parts = phrase.parts
        candidates: list[tuple[int, int, ResponseSpec, int, Binds]] = []
        first = _part_word(parts[0]) if parts else None
        starting = self._by_first.get(first, []) if first else []
        orders = sorted(set(self._by_first.get(None, [])) | set(starting))
        if parts and isinstance(parts[0], ast.BoolLit):
            orders = sorted(set(orders) | {o for w in ("yes", "no", "true", "false")
                                           for o in self._by_first.get(w, [])})
        for order in orders:
            spec, pi, toks = self._patterns[order]
            for words, binds in match(toks, parts):
                candidates.append((words, order, spec, pi, binds))
        if not candidates:
            self._unknown_response(phrase, diags)
            return None
        candidates.sort(key=lambda t: (-t[0], t[1]))
        chosen: tuple[ResponseSpec, int, dict[str, Any]] | None = None
        first_errors: list[Diagnostic] | None = None
        for _words, _order, spec, pi, binds in candidates:
            errs: list[Diagnostic] = []
            converted = self._convert_slots(spec, binds, errs)
            if not errs:
                chosen = (spec, pi, converted)
                break
            if first_errors is None:
                first_errors = errs
        if chosen is None:
            assert first_errors is not None
            diags.extend(first_errors)
            return None
        spec, pi, slot_values = chosen
        values = {o.name: _declared_value(o, o.default) for o in spec.options}
        set_at: dict[str, tuple[Any, Span | None]] = {}
        for k, v in spec.patterns[pi].presets.items():
            v = _declared_value(spec.option(k), v)
            values[k] = v
            set_at[k] = (v, None)
        for k, v in slot_values.items():
            values[k] = v
            set_at[k] = (v, phrase.span)
        for opt_phrase in resp.options:
            self._bind_option(spec, opt_phrase, values, set_at, diags)
        return BoundResponse(spec, values, frozenset(set_at))

    def _convert_slots(self, spec: ResponseSpec, binds: Binds, errs: list[Diagnostic]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, part in binds:
            opt = spec.option(name)
            if opt is None:
                conv = convert(part, FieldKind.TEXT, None, f"`{name}`")
            else:
                conv = convert(part, opt.kind, opt.enum, f"option `{opt.name}`")
            if conv.error:
                errs.append(_conv_diag(conv, part))
            else:
                out[name] = conv.value
                if opt is not None:
                    errs.extend(_placeholder_diags(opt, conv.value, part))
        return out

    def _bind_option(self, spec: ResponseSpec, phrase: ast.Phrase, values: dict[str, Any],
                     set_at: dict[str, tuple[Any, Span | None]], diags: list[Diagnostic]) -> None:
        candidates: list[tuple[int, int, OptionSpec, Binds]] = []
        for order, (opt, toks) in enumerate(self._opt_pats(spec)):
            for words, binds in match(toks, phrase.parts):
                candidates.append((words, order, opt, binds))
        if not candidates:
            candidates = self._multiword_enum_candidates(spec, phrase)
        if not candidates:
            declared = [compile_pattern(t) for o in spec.options for t in o.patterns]
            generic = [p for _o, p in self._opt_pats(spec) if p not in declared]
            shown = [(p.plain(), p.words()) for p in declared + generic]
            hint = suggest_phrase(_phrase_words(phrase), shown)
            if spec.options:
                firsts = [compile_pattern(o.patterns[0]) if o.patterns else option_patterns(o)[0]
                          for o in spec.options]
                listing = "; ".join(dict.fromkeys(p.display() for p in firsts))
                note = (f"options of `{spec.name}`: {listing}",)
            else:
                note = (f"`{spec.name}` has no options",)
            diags.append(Diagnostic(
                c.UNKNOWN_OPTION, Severity.ERROR,
                f"`{_phrase_text(phrase)}` is not an option of `{spec.name}`",
                span=phrase.span, label="unknown option",
                help=f"did you mean `{hint}`?" if hint else "", notes=note))
            return
        candidates.sort(key=lambda t: (-t[0], t[1]))
        first_err: Diagnostic | None = None
        for _w, _o, opt, binds in candidates:
            assigned: dict[str, Any] = {}
            err: Diagnostic | None = None
            if not binds:
                assigned[opt.name] = True
            for slot, part in binds:
                target = opt if slot in ("value", opt.name) else (spec.option(slot) or opt)
                conv = convert(part, target.kind, target.enum, f"option `{target.name}`")
                if conv.error:
                    err = _conv_diag(conv, part)
                    break
                assigned[target.name] = conv.value
                placeholder_errs = _placeholder_diags(target, conv.value, part)
                if placeholder_errs:
                    err = placeholder_errs[0]
            if err is not None:
                first_err = first_err or err
                continue
            for k, v in assigned.items():
                prev = set_at.get(k)
                if prev is not None and prev[0] != v:
                    by_phrase = prev[1] is None or prev[1] == phrase.span
                    where = "the response phrase" if by_phrase else "an earlier option"
                    diags.append(Diagnostic(
                        c.DUPLICATE_OPTION, Severity.ERROR,
                        f"option `{k}` is set to {prev[0]!r} by {where} and to {v!r} here",
                        span=phrase.span, label="conflicting option",
                        help="remove one of the two settings"))
                    continue
                values[k] = v
                set_at[k] = (v, phrase.span)
            return
        assert first_err is not None
        diags.append(first_err)

    def _multiword_enum_candidates(
        self, spec: ResponseSpec, phrase: ast.Phrase
    ) -> list[tuple[int, int, OptionSpec, Binds]]:
        """Enum values of several words written without quotes (``delegate after 2 days``,
        ``approver type workflow user group``): for an option pattern of plain words ending in one
        slot, the phrase's remaining words and numbers are read as one text value."""
        out: list[tuple[int, int, OptionSpec, Binds]] = []
        for order, (opt, toks) in enumerate(self._opt_pats(spec)):
            tree = toks.tree
            if opt.kind is not FieldKind.ENUM or not isinstance(tree[-1], Slot):
                continue
            head = len(tree) - 1
            if any(not isinstance(t, str) for t in tree[:head]) or len(phrase.parts) <= head + 1:
                continue
            tail = phrase.parts[head:]
            words_: list[str] = []
            for p in tail:
                if isinstance(p, ast.Name):
                    words_.append(p.text)
                elif isinstance(p, ast.IntLit):
                    words_.append(str(p.value))
            if len(words_) != len(tail):
                continue
            text = " ".join(words_)
            merged = ast.TextLit(text, span=tail[0].span.cover(tail[-1].span))
            for words, binds in match(toks, (*phrase.parts[:head], merged)):
                out.append((words, order, opt, binds))
        return out

    def _unknown_response(self, phrase: ast.Phrase, diags: list[Diagnostic]) -> None:
        shown = [(toks.plain(), toks.words()) for _s, _i, toks in self._patterns]
        hint = suggest_phrase(_phrase_words(phrase), shown)
        diags.append(Diagnostic(
            c.UNKNOWN_RESPONSE, Severity.ERROR,
            f"no response is written `{_phrase_text(phrase)}`",
            span=phrase.span, label="unknown response",
            help=f"did you mean `{hint}`?" if hint else "see `wf catalogue responses` for the phrases"))


def _declared_value(opt: OptionSpec | None, value: Any) -> Any:
    """An option's default or preset as a script's value would be: CODE values upper-cased (BC's Code),
    as `convert` does for a written code."""
    if opt is not None and opt.kind is FieldKind.CODE and isinstance(value, str):
        return value.upper()
    return value


def _phrase_words(phrase: ast.Phrase) -> list[str]:
    out = []
    for p in phrase.parts:
        w = _part_word(p)
        out.append(w if w is not None else "<value>")
    return out


def _phrase_text(phrase: ast.Phrase) -> str:
    return phrase.words


def _conv_diag(conv: Converted, part: ast.PhrasePart) -> Diagnostic:
    code = conv.code or c.BAD_OPTION_VALUE
    if code == c.BAD_VALUE:
        code = c.BAD_OPTION_VALUE
    return Diagnostic(code, Severity.ERROR, conv.error, span=part.span,
                      label="wrong option value" if code == c.BAD_OPTION_VALUE else "not allowed here",
                      help=conv.help)


def _placeholder_diags(opt: OptionSpec, value: Any, part: ast.PhrasePart) -> list[Diagnostic]:
    """WF310 for a message option whose text names placeholders that do not exist (or has a lone brace)."""
    if not opt.placeholders or not isinstance(value, str):
        return []
    problems = check(value)
    if not problems:
        return []
    unknown = unknown_names(value)
    close = suggest(unknown[0], PLACEHOLDERS) if unknown else []
    return [Diagnostic(
        c.BAD_PLACEHOLDER, Severity.ERROR,
        f"the text of option `{opt.name}` has " + "; ".join(p.split(" (known:")[0] for p in problems),
        span=part.span, label="in this text",
        help=(f"did you mean {{{close[0]}}}?" if close
              else "write {{ or }} for a literal brace" if not unknown else ""),
        notes=("placeholders: " + ", ".join("{" + n + "}" for n in sorted(PLACEHOLDERS)),))]
