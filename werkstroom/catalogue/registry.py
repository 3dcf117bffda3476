"""The catalogue: installed libraries and lookups over their records, events, responses and templates.

``Catalogue.install(library)`` (or ``install_all`` for libraries that refer to each other) validates
every entry and reports problems as WF9xx diagnostics naming the library and the entry.

Policy: a library is installed **whole or not at all**. When any of its entries has an error, none
of it is installed and each problem is reported once (with a note saying the library was not
installed). Libraries installed together are validated together: if one is rejected, the others
are checked again without it, so a library that relies on a rejected one is rejected too (and says
why). This keeps the catalogue consistent: every reference in it resolves.

``load_catalogue(partners=True)`` builds the stdlib catalogue (cached per process; every call gets
its own copy) and then installs the libraries of the ``werkstroom.libraries`` entry-point group.

Phrase patterns (see docs/design.md section 3): words match case-insensitively, ``{option}`` takes
one phrase part, ``[words]`` are optional. ``compile_pattern`` turns a pattern into the word
sequences it stands for; the binder and the ambiguity check share it.

Importing this module is cheap: it does not import the stdlib, SQLAlchemy or the engine.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Literal, TypeAlias

import attrs

from ..codes import info
from ..diagnostics import Diagnostic
from .specs import (
    EnumType,
    EventSpec,
    FieldKind,
    FieldSpec,
    Library,
    OptionSpec,
    Origin,
    PhrasePattern,
    RecordSpec,
    RelationSpec,
    ResponseSpec,
    TemplateSpec,
    normalize_enum,
)

ENTRY_POINT_GROUP = "werkstroom.libraries"

Kind: TypeAlias = Literal["record", "event", "response", "template", "enum"]

# --------------------------------------------------------------------------- phrase patterns


@attrs.frozen
class Slot:
    """A ``{name}`` in a pattern: one phrase part, converted to the option's kind."""

    name: str

    def __str__(self) -> str:
        return "{" + self.name + "}"


Token: TypeAlias = str | Slot


class PatternError(ValueError):
    """A malformed phrase pattern (unbalanced brackets, empty slot, ...)."""


@attrs.frozen
class CompiledPattern:
    """A phrase pattern, parsed. ``sequences``: every word sequence the pattern stands for (one per
    choice of optional groups, longest first); words are lower-case, slots are ``Slot``."""

    text: str
    sequences: tuple[tuple[Token, ...], ...]
    slots: tuple[str, ...]

    @property
    def literal_words(self) -> int:
        """How many fixed words the longest sequence has (more = more specific)."""
        return max((sum(1 for t in s if isinstance(t, str)) for s in self.sequences), default=0)

    def match(self, parts: Sequence[str | None]) -> dict[str, int] | None:
        """Match phrase parts: a lower-case word, or None for a value (a literal) that only a slot
        takes. Returns slot name -> part index for the first sequence that matches, else None."""
        for seq in self.sequences:
            if len(seq) != len(parts):
                continue
            found: dict[str, int] = {}
            for i, (tok, part) in enumerate(zip(seq, parts, strict=True)):
                if isinstance(tok, Slot):
                    found[tok.name] = i
                elif part is None or part.lower() != tok:
                    break
            else:
                return found
        return None


def compile_pattern(text: str) -> CompiledPattern:
    """Parse a pattern; raises ``PatternError`` when it is malformed."""
    elements: list[tuple[bool, list[Token]]] = []  # (optional?, tokens)
    i, n = 0, len(text)
    group: list[Token] | None = None
    slots: list[str] = []

    def add(tok: Token) -> None:
        if group is not None:
            group.append(tok)
        else:
            elements.append((False, [tok]))

    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == "[":
            if group is not None:
                raise PatternError(f"nested '[' at column {i + 1}")
            group = []
            i += 1
        elif ch == "]":
            if group is None:
                raise PatternError(f"']' without '[' at column {i + 1}")
            if not group:
                raise PatternError(f"empty optional group before column {i + 1}")
            elements.append((True, group))
            group = None
            i += 1
        elif ch == "{":
            end = text.find("}", i)
            if end < 0:
                raise PatternError(f"'{{' at column {i + 1} is not closed")
            name = text[i + 1 : end].strip()
            if not name.isidentifier():
                raise PatternError(f"slot '{text[i : end + 1]}' needs an option name")
            slots.append(name)
            add(Slot(name))
            i = end + 1
        elif ch == "}":
            raise PatternError(f"'}}' without '{{' at column {i + 1}")
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in "[]{}":
                j += 1
            add(text[i:j].lower())
            i = j
    if group is not None:
        raise PatternError("'[' is not closed")
    if not elements:
        raise PatternError("the pattern is empty")
    if all(opt for opt, _ in elements):
        raise PatternError("the pattern has only optional words")
    sequences: list[tuple[Token, ...]] = [()]
    for optional, toks in elements:
        with_group = [s + tuple(toks) for s in sequences]
        sequences = with_group + (list(sequences) if optional else [])
    unique = sorted(set(sequences), key=lambda s: (-len(s), [str(t) for t in s]))
    return CompiledPattern(text, tuple(unique), tuple(dict.fromkeys(slots)))


def sequences_overlap(a: Sequence[Token], b: Sequence[Token]) -> bool:
    """True when one phrase could match both sequences (slots match anything)."""
    if len(a) != len(b):
        return False
    return all(isinstance(x, Slot) or isinstance(y, Slot) or x == y for x, y in zip(a, b, strict=True))


def patterns_overlap(a: CompiledPattern, b: CompiledPattern) -> tuple[Token, ...] | None:
    """A word sequence of ``a`` that some sequence of ``b`` also matches, or None."""
    for sa in a.sequences:
        for sb in b.sequences:
            if sequences_overlap(sa, sb):
                return sa
    return None


def _show(seq: Sequence[Token]) -> str:
    return " ".join(str(t) for t in seq)


# --------------------------------------------------------------------------- lookup keys


def record_key(name: str) -> str:
    """Record types are found by name or BC caption, ignoring case, spaces and punctuation."""
    return normalize_enum(name)


def name_key(name: str) -> str:
    return name.casefold()


# --------------------------------------------------------------------------- the catalogue


class Catalogue:
    """Installed libraries and everything they declare."""

    def __init__(self) -> None:
        self._libraries: list[Library] = []
        self._records: dict[str, RecordSpec] = {}
        self._record_list: list[RecordSpec] = []
        self._events: dict[str, EventSpec] = {}
        self._event_list: list[EventSpec] = []
        self._responses: dict[str, ResponseSpec] = {}
        self._response_list: list[ResponseSpec] = []
        self._templates: dict[str, TemplateSpec] = {}
        self._enums: dict[str, EnumType] = {}
        self._origins: dict[tuple[str, str], Origin] = {}
        self._compiled: dict[tuple[str, str], CompiledPattern] = {}
        self._option_compiled: dict[tuple[str, str, str], CompiledPattern] = {}

    # ------------------------------------------------------------------ copying

    def copy(self) -> Catalogue:
        """An independent catalogue with the same libraries (specs are immutable and shared)."""
        new = Catalogue()
        new._libraries = list(self._libraries)
        new._records = dict(self._records)
        new._record_list = list(self._record_list)
        new._events = dict(self._events)
        new._event_list = list(self._event_list)
        new._responses = dict(self._responses)
        new._response_list = list(self._response_list)
        new._templates = dict(self._templates)
        new._enums = dict(self._enums)
        new._origins = dict(self._origins)
        new._compiled = dict(self._compiled)
        new._option_compiled = dict(self._option_compiled)
        return new

    # ------------------------------------------------------------------ lookups

    def event(self, name: str) -> EventSpec | None:
        """An event by DSL name, BC code or alias (case-insensitive)."""
        return self._events.get(name_key(name))

    def record(self, name: str) -> RecordSpec | None:
        """A record type by name or BC caption (``PurchaseHeader``, ``Purchase Header``)."""
        return self._records.get(record_key(name))

    def response(self, name: str) -> ResponseSpec | None:
        """A response by id, BC code or alias (case-insensitive)."""
        return self._responses.get(name_key(name))

    def template(self, code: str) -> TemplateSpec | None:
        return self._templates.get(code.upper())

    def enum(self, name: str) -> EnumType | None:
        return self._enums.get(name_key(name))

    def origin(self, kind: Kind, name: str) -> Origin:
        """The library an entry comes from; KeyError when nothing of that kind has that name."""
        canonical: str | None
        if kind == "record":
            spec_r = self.record(name)
            canonical = spec_r.name if spec_r else None
        elif kind == "event":
            spec_e = self.event(name)
            canonical = spec_e.name if spec_e else None
        elif kind == "response":
            spec_p = self.response(name)
            canonical = spec_p.name if spec_p else None
        elif kind == "template":
            spec_t = self.template(name)
            canonical = spec_t.code if spec_t else None
        else:
            spec_n = self.enum(name)
            canonical = spec_n.name if spec_n else None
        if canonical is None:
            raise KeyError(f"no {kind} named {name!r}")
        return self._origins[(kind, canonical)]

    @property
    def libraries(self) -> tuple[Library, ...]:
        return tuple(self._libraries)

    @property
    def records(self) -> tuple[RecordSpec, ...]:
        return tuple(self._record_list)

    @property
    def events(self) -> tuple[EventSpec, ...]:
        return tuple(self._event_list)

    @property
    def responses(self) -> tuple[ResponseSpec, ...]:
        return tuple(self._response_list)

    @property
    def templates(self) -> tuple[TemplateSpec, ...]:
        return tuple(sorted(self._templates.values(), key=lambda t: t.code))

    @property
    def enums(self) -> tuple[EnumType, ...]:
        return tuple(self._enums.values())

    # ------------------------------------------------------------------ helpers for binder, docs, CLI

    def event_names(self) -> list[str]:
        return [e.name for e in self._event_list]

    def record_names(self) -> list[str]:
        return [r.name for r in self._record_list]

    def response_names(self) -> list[str]:
        return [r.name for r in self._response_list]

    def events_of_library(self, library: str) -> list[EventSpec]:
        return [e for e in self._event_list if self._origins[("event", e.name)].library == library]

    def responses_of_library(self, library: str) -> list[ResponseSpec]:
        return [r for r in self._response_list if self._origins[("response", r.name)].library == library]

    def records_of_library(self, library: str) -> list[RecordSpec]:
        return [r for r in self._record_list if self._origins[("record", r.name)].library == library]

    def events_on(self, record: str) -> list[EventSpec]:
        """Events whose record is the given record type."""
        spec = self.record(record)
        return [e for e in self._event_list if spec is not None and e.record == spec.name]

    def successors(self, event: str) -> list[EventSpec]:
        """Events that may follow ``event`` (it is among their predecessors)."""
        spec = self.event(event)
        if spec is None:
            return []
        return [e for e in self._event_list if spec.name in e.predecessors]

    def responses_after(self, event: str) -> list[ResponseSpec]:
        """Responses that may follow ``event``: those that list it, and the independent ones."""
        spec = self.event(event)
        if spec is None:
            return []
        return [r for r in self._response_list if not r.allowed_after or spec.name in r.allowed_after]

    def response_allowed_after(self, response: ResponseSpec, event: EventSpec) -> bool:
        return not response.allowed_after or event.name in response.allowed_after

    def compiled(self, response: ResponseSpec, pattern: PhrasePattern) -> CompiledPattern:
        """The parsed form of one of ``response``'s patterns (cached)."""
        key = (response.name, pattern.text)
        got = self._compiled.get(key)
        if got is None:
            got = self._compiled[key] = compile_pattern(pattern.text)
        return got

    def option_pattern(self, response: ResponseSpec, option: OptionSpec, text: str) -> CompiledPattern:
        key = (response.name, option.name, text)
        got = self._option_compiled.get(key)
        if got is None:
            got = self._option_compiled[key] = compile_pattern(text)
        return got

    def phrase_index(self) -> Iterator[tuple[ResponseSpec, PhrasePattern, CompiledPattern]]:
        """Every response pattern, compiled, in catalogue order."""
        for r in self._response_list:
            for p in r.patterns:
                yield r, p, self.compiled(r, p)

    def suggest(self, kind: Kind, written: str, n: int = 1) -> list[str]:
        """Close names of that kind, for "did you mean" hints."""
        pool: list[str]
        if kind == "record":
            pool = self.record_names()
        elif kind == "event":
            pool = self.event_names()
        elif kind == "response":
            pool = self.response_names()
        elif kind == "template":
            pool = [t.code for t in self._templates.values()]
        else:
            pool = [e.name for e in self._enums.values()]
        return close_matches(written, pool, n)

    # ------------------------------------------------------------------ installing

    def install(self, library: Library) -> list[Diagnostic]:
        """Validate and install one library; returns its WF9xx diagnostics (empty when installed)."""
        return self.install_all([library])

    def install_all(self, libraries: Iterable[Library]) -> list[Diagnostic]:
        """Validate and install libraries that may refer to each other (whole or not at all, each)."""
        pending = list(libraries)
        rejected: dict[int, list[Diagnostic]] = {}
        for idx, lib in enumerate(pending):  # a malformed declaration cannot be validated further
            if shape := shape_problems(lib):
                rejected[idx] = shape
        while True:
            found = _Validator(self, [lib for i, lib in enumerate(pending) if i not in rejected]).run()
            new = False
            for idx, lib in enumerate(pending):
                if idx in rejected:
                    continue
                diags = found.get(id(lib), [])
                if any(d.is_error for d in diags):
                    rejected[idx] = diags
                    new = True
            if not new:
                break
        out: list[Diagnostic] = []
        for idx, lib in enumerate(pending):
            if idx in rejected:
                note = f"library {_label(lib)} was not installed"
                out.extend(attrs.evolve(d, notes=(*d.notes, note)) for d in rejected[idx])
            else:
                self._add(lib)
        for idx, lib in enumerate(pending):
            if idx not in rejected:
                self._extend(lib)
        return out

    def _extend(self, lib: Library) -> None:
        """Apply a library's ``event_predecessors`` / ``response_predecessors`` (validated already) to
        the installed specs: the catalogue holds evolved copies, the libraries stay as declared."""
        for ev_name, pred_name in lib.event_predecessors:
            ev, pred = self.event(ev_name), self.event(pred_name)
            if ev is not None and pred is not None and ev.predecessors and pred.name not in ev.predecessors:
                new_ev = attrs.evolve(ev, predecessors=(*ev.predecessors, pred.name))
                self._events = {k: (new_ev if v is ev else v) for k, v in self._events.items()}
                self._event_list = [new_ev if e is ev else e for e in self._event_list]
        for resp_name, ev_name in lib.response_predecessors:
            resp, after = self.response(resp_name), self.event(ev_name)
            extendable = resp is not None and after is not None and bool(resp.allowed_after)
            if resp is not None and after is not None and extendable and after.name not in resp.allowed_after:
                new_resp = attrs.evolve(resp, allowed_after=(*resp.allowed_after, after.name))
                self._responses = {k: (new_resp if v is resp else v) for k, v in self._responses.items()}
                self._response_list = [new_resp if r is resp else r for r in self._response_list]

    def _add(self, lib: Library) -> None:
        origin = Origin(lib.name, lib.version)
        self._libraries.append(lib)
        for e in declared_enums(lib):
            if name_key(e.name) not in self._enums:
                self._enums[name_key(e.name)] = e
                self._origins[("enum", e.name)] = origin
        for r in lib.records:
            self._records[record_key(r.name)] = r
            if r.bc_name:
                self._records.setdefault(record_key(r.bc_name), r)
            self._record_list.append(r)
            self._origins[("record", r.name)] = origin
        for ev in lib.events:
            for key in _event_keys(ev):
                self._events[name_key(key)] = ev
            self._event_list.append(ev)
            self._origins[("event", ev.name)] = origin
        for resp in lib.responses:
            for key in _response_keys(resp):
                self._responses[name_key(key)] = resp
            self._response_list.append(resp)
            self._origins[("response", resp.name)] = origin
        for t in lib.templates:
            self._templates[t.code.upper()] = t
            self._origins[("template", t.code)] = origin


def declared_enums(lib: Library) -> list[EnumType]:
    """The library's enums: listed ones, then those its fields and options use (each object once)."""
    out: list[EnumType] = list(lib.enums)
    out.extend(f.enum for r in lib.records for f in r.fields if f.enum is not None)
    out.extend(o.enum for p in lib.responses for o in p.options if o.enum is not None)
    seen: set[int] = set()
    unique: list[EnumType] = []
    for e in out:
        if id(e) not in seen:
            seen.add(id(e))
            unique.append(e)
    return unique


def _event_keys(ev: EventSpec) -> list[str]:
    return [k for k in (ev.name, ev.bc_code, *ev.aliases) if k]


def _response_keys(resp: ResponseSpec) -> list[str]:
    return [k for k in (resp.name, resp.bc_code, *resp.aliases) if k]


def close_matches(written: str, pool: Iterable[str], n: int = 1) -> list[str]:
    import difflib

    pool = list(pool)
    by_lower = {p.lower(): p for p in pool}
    return [by_lower[m] for m in difflib.get_close_matches(written.lower(), list(by_lower), n=n, cutoff=0.6)]


def _hint(written: str, pool: Iterable[str]) -> str:
    m = close_matches(written, pool)
    return f"did you mean `{m[0]}`?" if m else ""


def _diag(code: str, message: str, help: str = "", notes: tuple[str, ...] = ()) -> Diagnostic:
    return Diagnostic(code, info(code).severity, message, help=help, notes=notes)


# --------------------------------------------------------------------------- shapes (WF916)

# What each declaration's fields must hold: "text" a str, "texts" a tuple of str, "pairs" a tuple of
# (str, str), "mapping" a Mapping, "enum" an EnumType or None, a spec class a tuple of such specs.
# Kinds, defaults and behaviours are checked later (WF905, WF906); booleans and numbers are not read.
_SHAPES: dict[type, tuple[tuple[str, Any], ...]] = {
    Library: (("name", "text"), ("version", "text"), ("description", "text"), ("records", RecordSpec),
              ("events", EventSpec), ("responses", ResponseSpec), ("templates", TemplateSpec),
              ("enums", EnumType), ("step_modules", "texts"), ("event_predecessors", "pairs"),
              ("response_predecessors", "pairs")),
    RecordSpec: (("name", "text"), ("description", "text"), ("fields", FieldSpec), ("key", "texts"),
                 ("relations", RelationSpec), ("bc_name", "text")),
    FieldSpec: (("name", "text"), ("description", "text"), ("enum", "enum"), ("bc_name", "text")),
    RelationSpec: (("name", "text"), ("record", "text"), ("join", "pairs"), ("description", "text")),
    EventSpec: (("name", "text"), ("description", "text"), ("record", "text"), ("predecessors", "texts"),
                ("bc_code", "text"), ("aliases", "texts")),
    ResponseSpec: (("name", "text"), ("description", "text"), ("patterns", PhrasePattern),
                   ("options", OptionSpec), ("allowed_after", "texts"), ("mandatory_rule", "text"),
                   ("raises", "texts"), ("bc_code", "text"), ("aliases", "texts")),
    OptionSpec: (("name", "text"), ("description", "text"), ("patterns", "texts"), ("enum", "enum"),
                 ("bc_name", "text")),
    PhrasePattern: (("text", "text"), ("presets", "mapping")),
    EnumType: (("name", "text"), ("values", "texts"), ("aliases", "pairs")),
    TemplateSpec: (("code", "text"), ("text", "text"), ("path", "text")),
}
_WORD = {RecordSpec: "record type", FieldSpec: "field", RelationSpec: "relation", EventSpec: "event",
         ResponseSpec: "response", OptionSpec: "option", PhrasePattern: "pattern", EnumType: "enum",
         TemplateSpec: "template"}
_TUPLE_HELP = "in Python ('x') is just 'x' and (x) is just x: a one-element tuple needs a trailing comma"


def _label(lib: object) -> str:
    return f"{getattr(lib, 'name', lib)} {getattr(lib, 'version', '')}".rstrip()


def _what(value: object) -> str:
    """How a message names a value of the wrong type: the text 'x', None, the function 'library', a
    RecordSpec."""
    if isinstance(value, str):
        return f"the text {value!r}"
    if value is None:
        return "None"
    if callable(value) and hasattr(value, "__name__") and not isinstance(value, type):
        return f"the {type(value).__name__} {value.__name__!r}"
    name = type(value).__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def shape_problems(lib: object) -> list[Diagnostic]:
    """WF916: declarations whose fields hold the wrong type of value (a name where a tuple of names is
    expected, a single spec where a tuple of specs is, a tuple instead of a FieldSpec), or something that
    is not a Library at all. Checked first: the rest of the validation relies on the shapes."""
    if not isinstance(lib, Library):
        call = f"; call it: {getattr(lib, '__name__', 'library')}()" if callable(lib) else ""
        return [_diag("WF916", f"expected a werkstroom Library, got {_what(lib)}",
                      f"pass the Library a library function returns{call}")]
    out: list[Diagnostic] = []
    prefix = f"library {_label(lib)}: "

    def report(where: str, message: str, help: str = "") -> None:
        out.append(_diag("WF916", prefix + (f"{where}: " if where else "") + message, help))

    def check(obj: object, where: str) -> None:
        for attr, want in _SHAPES[type(obj)]:
            value = getattr(obj, attr)
            if want == "text":
                if not isinstance(value, str):
                    name = getattr(value, "name", None)
                    report(where, f"{attr} must be a text, got {_what(value)}",
                           f"write {attr}={name!r}" if isinstance(name, str) else "")
            elif want == "enum":
                if value is not None and not isinstance(value, EnumType):
                    report(where, f"{attr} must be an EnumType, got {_what(value)}",
                           f"{attr}=EnumType(name, values)")
            elif want == "mapping":
                if not isinstance(value, Mapping):
                    report(where, f"{attr} must be a mapping of option names to values, got {_what(value)}")
            elif isinstance(value, str) or not isinstance(value, (tuple, list)):
                noun = {"texts": "names", "pairs": "(name, name) pairs"}.get(want) or f"{want.__name__}s"
                single = isinstance(want, type) and isinstance(value, want)
                example = (f"({value!r},)" if isinstance(value, str) and want == "texts"
                           else f"({want.__name__}(...),)" if single
                           else "((a, b), ...)" if want == "pairs" else "(...)")
                report(where, f"{attr} must be a tuple of {noun}, got {_what(value)}",
                       f"write {attr}={example}; {_TUPLE_HELP}")
            else:
                for i, item in enumerate(value):
                    check_item(item, want, attr, i, where)

    def check_item(item: object, want: Any, attr: str, i: int, where: str) -> None:
        if want == "texts":
            if not isinstance(item, str):
                report(where, f"{attr}[{i}] must be a name (a text), got {_what(item)}")
        elif want == "pairs":
            if (isinstance(item, str) or not isinstance(item, (tuple, list)) or len(item) != 2
                    or not all(isinstance(x, str) for x in item)):
                shown = "" if isinstance(item, str) else f" ({item!r})"
                report(where, f"{attr}[{i}] must be a pair of names, got {_what(item)}{shown}",
                       f"write {attr}=(('a', 'b'), ...): a tuple of pairs, even for one pair")
        elif not isinstance(item, want):
            report(where, f"{attr}[{i}] must be a {want.__name__}, got {_what(item)}",
                   f"write {want.__name__}({item!r})" if isinstance(item, str) and want is PhrasePattern
                   else f"declare it with {want.__name__}(...)")
        else:
            name = getattr(item, "text" if want is PhrasePattern else "code" if want is TemplateSpec
                           else "name", None)
            shown = repr(name) if isinstance(name, str) else f"#{i + 1}"
            check(item, f"{where} {_WORD[want]} {shown}".strip())

    check(lib, "")
    return out


# --------------------------------------------------------------------------- validation


class _Validator:
    """Checks a group of libraries against an installed catalogue; diagnostics keyed by id(library)."""

    def __init__(self, cat: Catalogue, libs: list[Library]) -> None:
        self.cat = cat
        self.libs = libs
        self.out: dict[int, list[Diagnostic]] = {id(lib): [] for lib in libs}

    def report(self, lib: Library, code: str, message: str, help: str = "") -> None:
        self.out[id(lib)].append(_diag(code, f"library {lib.name} {lib.version}: {message}", help))

    def run(self) -> dict[int, list[Diagnostic]]:
        self._names()
        all_records = {record_key(r.name): r for r in self.cat.records}
        for lib in self.libs:
            for r in lib.records:
                all_records.setdefault(record_key(r.name), r)
        all_events = {name_key(k): e for e in self.cat.events for k in _event_keys(e)}
        for lib in self.libs:
            for ev in lib.events:
                for k in _event_keys(ev):
                    all_events.setdefault(name_key(k), ev)
        event_pool = sorted({e.name for e in all_events.values()})
        record_pool = sorted({r.name for r in all_records.values()})
        all_responses = {name_key(k) for p in self.cat.responses for k in _response_keys(p)}
        all_responses |= {name_key(k) for lib in self.libs for p in lib.responses for k in _response_keys(p)}
        response_pool = sorted({p.name for p in self.cat.responses} | {p.name for lib in self.libs
                                                                       for p in lib.responses})
        for lib in self.libs:
            self._check_records(lib, all_records, record_pool)
            self._check_events(lib, all_records, record_pool, all_events, event_pool)
            for resp in lib.responses:
                self._check_response(lib, resp, all_events, event_pool)
            self._check_extensions(lib, all_events, event_pool, all_responses, response_pool)
        self._check_ambiguity()
        return self.out

    def _check_extensions(
        self,
        lib: Library,
        all_events: dict[str, EventSpec],
        event_pool: list[str],
        all_responses: set[str],
        response_pool: list[str],
    ) -> None:
        """``event_predecessors`` and ``response_predecessors`` must name declared entries."""
        for ev, pred in lib.event_predecessors:
            for name in (ev, pred):
                if name_key(name) not in all_events:
                    self.report(
                        lib,
                        "WF904",
                        f"event predecessor ({ev!r} after {pred!r}) names unknown event {name!r}",
                        _hint(name, event_pool),
                    )
        for resp, ev in lib.response_predecessors:
            if name_key(resp) not in all_responses:
                self.report(
                    lib,
                    "WF915",
                    f"response predecessor ({resp!r} after {ev!r}) names unknown response {resp!r}",
                    _hint(resp, response_pool),
                )
            if name_key(ev) not in all_events:
                self.report(
                    lib,
                    "WF904",
                    f"response predecessor ({resp!r} after {ev!r}) names unknown event {ev!r}",
                    _hint(ev, event_pool),
                )

    # names ------------------------------------------------------------

    def _names(self) -> None:
        cat = self.cat
        records: dict[str, str] = {}  # key -> "library" that declared it
        for r in cat.records:
            records[record_key(r.name)] = cat.origin("record", r.name).library
            if r.bc_name:
                records.setdefault(record_key(r.bc_name), cat.origin("record", r.name).library)
        events: dict[str, tuple[str, str]] = {}  # key -> (library, event name)
        for e in cat.events:
            for k in _event_keys(e):
                events[name_key(k)] = (cat.origin("event", e.name).library, e.name)
        responses: dict[str, tuple[str, str]] = {}
        for p in cat.responses:
            for k in _response_keys(p):
                responses[name_key(k)] = (cat.origin("response", p.name).library, p.name)
        templates = {t.code.upper(): cat.origin("template", t.code).library for t in cat.templates}
        enums: dict[str, tuple[str, EnumType]] = {
            name_key(e.name): (cat.origin("enum", e.name).library, e) for e in cat.enums
        }
        libraries = {lib.name.casefold() for lib in cat.libraries}
        for lib in self.libs:
            if lib.name.casefold() in libraries:
                self.report(lib, "WF901", f"a library named {lib.name!r} is already installed")
            libraries.add(lib.name.casefold())
            self._shapes(lib)
            for r in lib.records:
                k = record_key(r.name)
                if k in records:
                    self.report(
                        lib, "WF901", f"record type {r.name!r} is already declared by library {records[k]}"
                    )
                records[k] = lib.name
            for ev in lib.events:
                self._claim(lib, "event", ev.name, _event_keys(ev), events)
            for resp in lib.responses:
                self._claim(lib, "response", resp.name, _response_keys(resp), responses)
            for t in lib.templates:
                k = t.code.upper()
                if k in templates:
                    self.report(
                        lib, "WF901", f"template {t.code!r} is already declared by library {templates[k]}"
                    )
                templates[k] = lib.name
            for et in declared_enums(lib):
                k = name_key(et.name)
                if k in enums and enums[k][1] != et:
                    self.report(
                        lib,
                        "WF901",
                        f"enum {et.name!r} is already declared by library {enums[k][0]} with other values",
                    )
                enums.setdefault(k, (lib.name, et))

    def _shapes(self, lib: Library) -> None:
        """Names scripts must be able to write: identifiers (letters, digits, underscores)."""

        def check(what: str, name: str) -> None:
            if not name.isidentifier():
                self.report(
                    lib,
                    "WF914",
                    f"{what} {name!r} is not a name a script can write",
                    "use letters, digits and underscores, starting with a letter",
                )

        for r in lib.records:
            check("record type", r.name)
            for f in r.fields:
                check(f"record type {r.name!r}: field", f.name)
            for rel in r.relations:
                check(f"record type {r.name!r}: relation", rel.name)
        for ev in lib.events:
            for k in (ev.name, *ev.aliases):
                check("event", k)
        for resp in lib.responses:
            check("response", resp.name)
            for o in resp.options:
                check(f"response {resp.name!r}: option", o.name)

    def _claim(
        self, lib: Library, kind: str, name: str, keys: list[str], taken: dict[str, tuple[str, str]]
    ) -> None:
        for i, k in enumerate(keys):
            key = name_key(k)
            if key in taken:
                owner_lib, owner = taken[key]
                if i == 0:
                    self.report(
                        lib,
                        "WF901",
                        f"{kind} {name!r} is already declared by library {owner_lib}"
                        + ("" if owner.casefold() == key else f" (as a name of {owner!r})"),
                    )
                else:
                    self.report(
                        lib,
                        "WF902",
                        f"{kind} {name!r}: alias {k!r} is already a name of {kind} "
                        f"{owner!r} (library {owner_lib})",
                    )
            elif key in {name_key(x) for x in keys[:i]}:
                continue
            else:
                taken[key] = (lib.name, name)

    # records ------------------------------------------------------------

    def _check_field(self, lib: Library, where: str, kind: object, enum: EnumType | None) -> None:
        if not isinstance(kind, FieldKind):
            self.report(
                lib,
                "WF905",
                f"{where} has no value kind (got {kind!r})",
                "give it a FieldKind such as FieldKind.DECIMAL",
            )
        elif kind is FieldKind.ENUM and enum is None:
            self.report(
                lib, "WF905", f"{where} is an enum but names no EnumType", "pass enum=EnumType(name, values)"
            )

    def _check_records(self, lib: Library, all_records: dict[str, RecordSpec], pool: list[str]) -> None:
        for r in lib.records:
            names = [f.name for f in r.fields]
            taken: dict[str, str] = {}
            members = [*(("field", f.name) for f in r.fields), *(("relation", x.name) for x in r.relations)]
            for what, name in members:  # scripts write both as `name`: one of them would be unreachable
                if name.casefold() in taken:
                    first = taken[name.casefold()]
                    self.report(lib, "WF901", f"record type {r.name!r}: {what} {name!r} is declared twice"
                                + ("" if first == what else f" (also as a {first})"),
                                "give each field and relation its own name")
                taken.setdefault(name.casefold(), what)
            for f in r.fields:
                self._check_field(lib, f"field {r.name}.{f.name}", f.kind, f.enum)
            if not r.key:  # every record would have the key '': each event would overwrite the last
                self.report(lib, "WF911", f"record type {r.name!r} has no key field",
                            "name the fields that identify a record: key=('no',)")
            for k in r.key:
                if k not in names:
                    self.report(
                        lib,
                        "WF911",
                        f"record type {r.name!r}: key field {k!r} is not a field",
                        _hint(k, names) or f"its fields: {', '.join(names)}",
                    )
            for rel in r.relations:
                target = all_records.get(record_key(rel.record))
                if target is None:
                    self.report(
                        lib,
                        "WF903",
                        f"relation {r.name}.{rel.name} refers to unknown record type {rel.record!r}",
                        _hint(rel.record, pool),
                    )
                    continue
                for here, there in rel.join:
                    if r.field(here) is None:
                        self.report(
                            lib,
                            "WF911",
                            f"relation {r.name}.{rel.name}: {here!r} is not a field of {r.name}",
                            _hint(here, names),
                        )
                    if target.field(there) is None:
                        self.report(
                            lib,
                            "WF911",
                            f"relation {r.name}.{rel.name}: {there!r} is not a field of {target.name}",
                            _hint(there, [f.name for f in target.fields]),
                        )

    # events -------------------------------------------------------------

    def _check_events(
        self,
        lib: Library,
        all_records: dict[str, RecordSpec],
        record_pool: list[str],
        all_events: dict[str, EventSpec],
        event_pool: list[str],
    ) -> None:
        for ev in lib.events:
            if record_key(ev.record) not in all_records:
                self.report(
                    lib,
                    "WF903",
                    f"event {ev.name!r} refers to unknown record type {ev.record!r}",
                    _hint(ev.record, record_pool),
                )
            for p in ev.predecessors:
                if name_key(p) not in all_events:
                    self.report(
                        lib,
                        "WF904",
                        f"event {ev.name!r} names unknown predecessor event {p!r}",
                        _hint(p, event_pool),
                    )

    # responses ------------------------------------------------------------

    def _check_response(
        self, lib: Library, resp: ResponseSpec, all_events: dict[str, EventSpec], event_pool: list[str]
    ) -> None:
        where = f"response {resp.name!r}"
        for attr, label in (("allowed_after", "may follow"), ("raises", "raises")):
            for e in getattr(resp, attr):
                if name_key(e) not in all_events:
                    self.report(lib, "WF904", f"{where} {label} unknown event {e!r}", _hint(e, event_pool))
        problem = _one_positional(resp.run)
        if problem:
            self.report(
                lib,
                "WF906",
                f"{where}: its behaviour (run) {problem}{_defined_at(resp.run)}",
                "define run(ctx: ResponseContext) -> None",
            )
        if resp.mandatory is not None:
            problem = _one_positional(resp.mandatory)
            if problem:
                self.report(
                    lib,
                    "WF906",
                    f"{where}: its mandatory check {problem}{_defined_at(resp.mandatory)}",
                    "define mandatory(options: Mapping[str, Any]) -> str | None",
                )
        option_names = [o.name for o in resp.options]
        for i, o in enumerate(resp.options):
            if o.name.casefold() in (n.casefold() for n in option_names[:i]):
                self.report(lib, "WF901", f"{where}: option {o.name!r} is declared twice",
                            "give each option its own name")
        for o in resp.options:
            self._check_field(lib, f"{where} option {o.name!r}", o.kind, o.enum)
            if o.default is not None:
                problem = value_problem(o, o.default)
                if problem:
                    self.report(lib, "WF905", f"{where} option {o.name!r}: default {o.default!r} {problem}")
        if not resp.patterns:
            self.report(lib, "WF910", f"{where} has no phrase pattern", "add PhrasePattern('...')")
        for p in resp.patterns:
            try:
                cp = compile_pattern(p.text)
            except PatternError as exc:
                self.report(lib, "WF910", f"{where}: pattern {p.text!r} is malformed: {exc}")
                continue
            for slot in cp.slots:
                if slot not in option_names:
                    self.report(
                        lib,
                        "WF907",
                        f"{where}: pattern {p.text!r} has slot {{{slot}}} but the "
                        "response has no such option",
                        _hint(slot, option_names),
                    )
            for preset, value in p.presets.items():
                opt = resp.option(preset)
                if opt is None:
                    self.report(
                        lib,
                        "WF907",
                        f"{where}: pattern {p.text!r} presets unknown option {preset!r}",
                        _hint(preset, option_names),
                    )
                elif value is not None and (problem := value_problem(opt, value)):
                    self.report(
                        lib,
                        "WF905",
                        f"{where}: pattern {p.text!r} presets {preset} = {value!r}, which {problem}",
                    )
        compiled_options: list[tuple[OptionSpec, CompiledPattern]] = []
        for o in resp.options:
            for text in o.patterns:
                try:
                    cp = compile_pattern(text)
                except PatternError as exc:
                    self.report(
                        lib, "WF910", f"{where} option {o.name!r}: pattern {text!r} is malformed: {exc}"
                    )
                    continue
                for slot in cp.slots:
                    # {value} is the option's own value; another slot sets another option of the
                    # same response in the same phrase (``quorum {value} of {quorum_total}``)
                    if slot not in ("value", o.name) and resp.option(slot) is None:
                        self.report(
                            lib,
                            "WF907",
                            f"{where} option {o.name!r}: pattern {text!r} has slot "
                            f"{{{slot}}}, which is neither {{value}} nor another option of the response",
                            _hint(slot, [x.name for x in resp.options]),
                        )
                if not cp.slots and o.kind is not FieldKind.BOOLEAN and isinstance(o.kind, FieldKind):
                    self.report(
                        lib,
                        "WF907",
                        f"{where} option {o.name!r}: pattern {text!r} has no {{value}} "
                        f"slot, which only a boolean option may omit",
                    )
                compiled_options.append((o, cp))
        for i, (oa, ca) in enumerate(compiled_options):
            for ob, cb in compiled_options[i + 1 :]:
                if oa.name == ob.name:
                    continue
                seq = patterns_overlap(ca, cb)
                if seq is not None:
                    self.report(
                        lib,
                        "WF908",
                        f"{where}: option phrases {ca.text!r} ({oa.name}) and {cb.text!r} "
                        f"({ob.name}) can both match '{_show(seq)}'",
                    )

    # ambiguity -------------------------------------------------------------

    def _check_ambiguity(self) -> None:
        """Patterns of two different responses that one phrase could match."""
        seen: list[tuple[str, str, CompiledPattern]] = []  # (library, response, pattern)
        for resp in self.cat.responses:
            lib_name = self.cat.origin("response", resp.name).library
            for p in resp.patterns:
                seen.append((lib_name, resp.name, self.cat.compiled(resp, p)))
        for lib in self.libs:
            for resp in lib.responses:
                mine: list[CompiledPattern] = []
                for p in resp.patterns:
                    try:
                        mine.append(compile_pattern(p.text))
                    except PatternError:
                        continue
                for cp in mine:
                    for other_lib, other_resp, other in seen:
                        if other_resp == resp.name:
                            continue
                        seq = patterns_overlap(cp, other)
                        if seq is not None:
                            self.report(
                                lib,
                                "WF908",
                                f"response {resp.name!r}: pattern {cp.text!r} and pattern "
                                f"{other.text!r} of response {other_resp!r} (library {other_lib}) can "
                                f"both match '{_show(seq)}'",
                                "reword one of them",
                            )
                for cp in mine:
                    seen.append((lib.name, resp.name, cp))


def value_problem(option: OptionSpec, value: Any) -> str:
    """'' when ``value`` suits the option's kind (a default or a preset), else what is wrong. Money and
    quantities must be Decimal (or int), never float; an enum value must be one of the enum's."""
    import datetime as dt
    from decimal import Decimal

    kind = option.kind
    if not isinstance(kind, FieldKind):
        return ""  # reported as WF905 already
    if kind is FieldKind.ENUM:
        if option.enum is None:
            return ""
        if not isinstance(value, str) or option.enum.lookup(value) is None:
            return f"is not a value of {option.enum.name} ({', '.join(option.enum.values)})"
        return ""
    expected: dict[FieldKind, tuple[type, ...]] = {
        FieldKind.DECIMAL: (Decimal, int),
        FieldKind.INTEGER: (int,),
        FieldKind.TEXT: (str,),
        FieldKind.CODE: (str,),
        FieldKind.FORMULA: (str,),
        FieldKind.BOOLEAN: (bool,),
        FieldKind.DATE: (dt.date,),
        FieldKind.DATETIME: (dt.datetime,),
    }
    ok = expected[kind]
    if kind in (FieldKind.DECIMAL, FieldKind.INTEGER) and isinstance(value, bool):
        return f"is not a {kind.value} value"
    if kind is FieldKind.DATE and isinstance(value, dt.datetime):
        return "is a datetime, not a date"
    if kind is FieldKind.FORMULA and isinstance(value, str):
        from .dateformula import DateFormulaError, parse

        try:
            parse(value)
        except DateFormulaError:
            return "is not a date formula (such as 2D, 1W or CM+1D)"
    if not isinstance(value, ok):
        hint = " (use Decimal, never float)" if kind is FieldKind.DECIMAL and isinstance(value, float) else ""
        return f"is not a {kind.value} value{hint}"
    return ""


def _defined_at(fn: object) -> str:
    """Where a behaviour is defined, as WF909 gives a place: " (at FILE:LINE: source)"; '' when unknown
    (not callable, a builtin). A callable object is placed at its ``__call__``, a partial at its
    function."""
    import contextlib
    import inspect
    import linecache

    if not callable(fn):
        return ""
    target: Any = fn.func if isinstance(fn, functools.partial) else fn
    with contextlib.suppress(ValueError):  # a __wrapped__ cycle: place the callable as it is
        target = inspect.unwrap(target)
    if not inspect.isfunction(target) and not inspect.ismethod(target):
        target = type(target).__call__
    code = getattr(target, "__code__", None)
    if code is None:
        return ""
    file, line = code.co_filename, code.co_firstlineno
    source = linecache.getline(file, line).strip()
    return f" (at {file}:{line}: {source})" if source else f" (at {file}:{line})"


def _one_positional(fn: object) -> str:
    """'' when ``fn`` can be called with exactly one positional argument, else what is wrong."""
    import inspect

    if not callable(fn):
        return f"is not callable (got {type(fn).__name__})"
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return ""  # builtins without a signature: trust them
    required = [
        p
        for p in sig.parameters.values()
        if p.default is inspect.Parameter.empty
        and p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    ]
    keyword_only = [
        p
        for p in sig.parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY and p.default is inspect.Parameter.empty
    ]
    varargs = any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in sig.parameters.values())
    positional = [
        p
        for p in sig.parameters.values()
        if p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    ]
    if keyword_only:
        return f"needs keyword argument(s) {', '.join(p.name for p in keyword_only)}"
    if len(required) == 1 or (not required and (positional or varargs)):
        return ""
    return f"takes {len(required)} required positional parameter(s); it must take exactly one"


# --------------------------------------------------------------------------- templates (WF919)


def template_problems(cat: Catalogue, lib: Library) -> list[Diagnostic]:
    """WF919: the errors of ``lib``'s templates bound (as templates) against ``cat``, in which ``lib`` is
    installed. Not part of installing (binding needs the parser): ``validate`` and `wf catalogue
    libraries` report them, so a partner's own tests and the command that lists problems see them."""
    from ..binding.binder import bind
    from ..grammar.parser import parse

    out: list[Diagnostic] = []
    for t in lib.templates:
        try:
            errors = [d for d in bind([parse(t.text, t.path)], cat, template=True).diagnostics if d.is_error]
        except Exception as exc:  # the template is the library's input: never a traceback
            out.append(_diag("WF919", f"library {_label(lib)}: template {t.code!r} ({t.path}) cannot be "
                             f"read: {type(exc).__name__}: {exc}"))
            continue
        for d in errors:
            where = f"{t.path}:{d.span.line}" if d.span is not None else t.path
            out.append(_diag("WF919", f"library {_label(lib)}: template {t.code!r} does not check: "
                             f"{d.code} {d.message} ({where})", d.help,
                             ("consultants cannot copy it: `wf templates copy` refuses it",)))
    return out


# --------------------------------------------------------------------------- loading


@functools.cache
def _stdlib_catalogue() -> tuple[Catalogue, tuple[Diagnostic, ...]]:
    from ..stdlib import libraries

    cat = Catalogue()
    diags = cat.install_all(libraries())
    return cat, tuple(diags)


def stdlib_catalogue() -> Catalogue:
    """A copy of the stdlib-only catalogue (built once per process)."""
    return _stdlib_catalogue()[0].copy()


def partner_libraries() -> tuple[list[Library], list[Diagnostic]]:
    """Load the libraries of the ``werkstroom.libraries`` entry-point group; failures become WF909."""
    from importlib import metadata

    libs: list[Library] = []
    diags: list[Diagnostic] = []
    try:
        eps = sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: (e.name, e.value))
    except Exception as exc:  # a broken installed distribution must not break loading
        return [], [_diag("WF909", f"could not list entry points of group {ENTRY_POINT_GROUP}: {exc}")]
    diags.extend(_misspelt_groups(metadata))
    given_by: dict[str, str] = {}  # library name (casefolded) -> the entry point that gave it
    for ep in eps:
        lib, diag = _load_entry_point(ep.name, ep.value, ep.load)
        if diag is not None:
            diags.append(diag)
        if lib is None:
            continue
        where = f"entry point {ep.name!r} ({ep.value})"
        key = lib.name.casefold() if isinstance(lib.name, str) else str(lib.name)
        if key in given_by:  # two packages, one library name (a copied example): name both, once
            diags.append(_diag(
                "WF901",
                f"library {lib.name} {lib.version} from partner library {where} was not installed: "
                f"{given_by[key]} already gives a library named {lib.name!r}",
                "give each package's Library its own name (Library(name=...)), or uninstall one of them",
            ))
            continue
        given_by[key] = where
        libs.append(lib)
    return libs, diags


def _misspelt_groups(metadata: Any) -> list[Diagnostic]:
    """WF909 for entry points in a group whose name is close to ``werkstroom.libraries`` (a typo in a
    partner's pyproject.toml: ``werkstroom.library``): Werkstroom would never see them."""
    try:
        groups = set(metadata.entry_points().groups) - {ENTRY_POINT_GROUP}
        close = [g for g in groups if g.lower().startswith("werkstroom")
                 and close_matches(g, [ENTRY_POINT_GROUP], n=1)]
        found = [(g, ep) for g in sorted(close) for ep in metadata.entry_points(group=g)]
    except Exception:  # a courtesy: fake or broken metadata must not break loading
        return []
    out = []
    for group, ep in found:
        dist = getattr(getattr(ep, "dist", None), "name", None)
        out.append(_diag(
            "WF909",
            f"partner library entry point {ep.name!r} ({ep.value}){f' of package {dist}' if dist else ''} is "
            f"in the entry-point group {group!r}, which Werkstroom does not read",
            f"write [project.entry-points.\"{ENTRY_POINT_GROUP}\"] in pyproject.toml and reinstall the "
            "package",
        ))
    return out


def _load_entry_point(
    name: str, value: str, load: Callable[[], Any]
) -> tuple[Library | None, Diagnostic | None]:
    where = f"partner library entry point {name!r} ({value})"
    try:
        factory = load()
    except Exception as exc:
        return None, _diag(
            "WF909",
            f"{where} could not be imported: {type(exc).__name__}: {exc}{_partner_frame(exc, value)}",
            _missing_function(value, exc) or "check that the package is installed and imports cleanly",
        )
    if not callable(factory):
        return None, _diag("WF909", f"{where} is not callable; it must be a function returning a Library")
    try:
        lib = factory()
    except Exception as exc:
        return None, _diag("WF909", f"{where} raised {type(exc).__name__}: {exc}{_partner_frame(exc, value)}")
    if not isinstance(lib, Library):
        return None, _diag("WF909", f"{where} returned {type(lib).__name__}, not a werkstroom Library")
    return lib, None


def _partner_frame(exc: BaseException, value: str) -> str:
    """Where in the partner's package (the entry point ``value``'s top-level module) ``exc`` happened:
    " (at FILE:LINE: source)", or the place of a SyntaxError; '' when unknown."""
    import os
    import traceback

    if isinstance(exc, SyntaxError) and exc.filename:
        return f" (at {exc.filename}:{exc.lineno})"
    top = value.partition(":")[0].strip().split(".")[0]
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        file = frame.filename
        if top and (f"{os.sep}{top}{os.sep}" in file or file.endswith(f"{os.sep}{top}.py")):
            return f" (at {file}:{frame.lineno}: {(frame.line or '').strip()})"
    return ""


def _missing_function(value: str, exc: BaseException) -> str:
    """For ``module:function`` whose module has no such attribute: the close names it has."""
    import inspect

    module, _, attr = value.partition(":")
    obj = getattr(exc, "obj", None)
    if not isinstance(exc, AttributeError) or not attr or getattr(exc, "name", None) != attr.split(".")[0]:
        return ""
    if not inspect.ismodule(obj) or obj.__name__ != module.strip():
        return ""
    pool = [n for n in dir(obj) if not n.startswith("_") and callable(getattr(obj, n, None))]
    m = close_matches(attr.strip(), pool)
    fix = f"did you mean `{module.strip()}:{m[0]}`? " if m else ""
    return (f"{fix}the entry point in pyproject.toml ([project.entry-points.\"{ENTRY_POINT_GROUP}\"]) "
            f"must name a function of {module.strip()} that returns a Library; reinstall the package after "
            "changing it")


def load_catalogue(partners: bool = True) -> tuple[Catalogue, list[Diagnostic]]:
    """The stdlib catalogue, plus the partner libraries of the entry-point group when ``partners``."""
    base, stdlib_diags = _stdlib_catalogue()
    cat = base.copy()
    diags = list(stdlib_diags)
    if partners:
        libs, load_diags = partner_libraries()
        diags.extend(load_diags)
        if libs:
            diags.extend(cat.install_all(libs))
    return cat, diags


__all__ = [
    "ENTRY_POINT_GROUP",
    "Catalogue",
    "CompiledPattern",
    "PatternError",
    "Slot",
    "close_matches",
    "compile_pattern",
    "load_catalogue",
    "partner_libraries",
    "patterns_overlap",
    "stdlib_catalogue",
    "template_problems",
]
