"""Validating libraries before they are installed: names, references, fields, events, responses, their
patterns and options, and the ambiguity of phrases (WF901-WF918)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, Protocol

from ..diagnostics import Diagnostic
from . import kinds
from .keys import declared_enums, event_keys, name_key, response_keys, type_key
from .patterns import CompiledPattern, PatternError, compile_pattern, patterns_overlap, show_sequence
from .shapes import hint, problem
from .specs import (
    EnumType,
    EventSpec,
    FieldKind,
    Library,
    OptionSpec,
    Origin,
    PhrasePattern,
    RecordSpec,
    ResponseSpec,
    TemplateSpec,
)


class Installed(Protocol):
    """What the validator reads of the catalogue the libraries are installed into."""

    @property
    def libraries(self) -> Sequence[Library]: ...
    @property
    def records(self) -> Sequence[RecordSpec]: ...
    @property
    def events(self) -> Sequence[EventSpec]: ...
    @property
    def responses(self) -> Sequence[ResponseSpec]: ...
    @property
    def templates(self) -> Sequence[TemplateSpec]: ...
    @property
    def enums(self) -> Sequence[EnumType]: ...
    def origin(self, kind: Any, name: str) -> Origin: ...
    def compiled(self, response: ResponseSpec, pattern: PhrasePattern) -> CompiledPattern: ...

# --------------------------------------------------------------------------- validation


class Validator:
    """Checks a group of libraries against an installed catalogue; diagnostics keyed by id(library)."""

    def __init__(self, cat: Installed, libs: list[Library]) -> None:
        self.cat = cat
        self.libs = libs
        self.out: dict[int, list[Diagnostic]] = {id(lib): [] for lib in libs}

    def report(self, lib: Library, code: str, message: str, help: str = "") -> None:
        self.out[id(lib)].append(problem(code, f"library {lib.name} {lib.version}: {message}", help))

    def run(self) -> dict[int, list[Diagnostic]]:
        self._names()
        all_records = {type_key(r.name): r for r in self.cat.records}
        for lib in self.libs:
            for r in lib.records:
                all_records.setdefault(type_key(r.name), r)
        all_events = {name_key(k): e for e in self.cat.events for k in event_keys(e)}
        for lib in self.libs:
            for ev in lib.events:
                for k in event_keys(ev):
                    all_events.setdefault(name_key(k), ev)
        event_pool = sorted({e.name for e in all_events.values()})
        record_pool = sorted({r.name for r in all_records.values()})
        all_responses = {name_key(k) for p in self.cat.responses for k in response_keys(p)}
        all_responses |= {name_key(k) for lib in self.libs for p in lib.responses for k in response_keys(p)}
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
                        hint(name, event_pool),
                    )
        for resp, ev in lib.response_predecessors:
            if name_key(resp) not in all_responses:
                self.report(
                    lib,
                    "WF915",
                    f"response predecessor ({resp!r} after {ev!r}) names unknown response {resp!r}",
                    hint(resp, response_pool),
                )
            if name_key(ev) not in all_events:
                self.report(
                    lib,
                    "WF904",
                    f"response predecessor ({resp!r} after {ev!r}) names unknown event {ev!r}",
                    hint(ev, event_pool),
                )

    # names ------------------------------------------------------------

    def _names(self) -> None:
        cat = self.cat
        records: dict[str, str] = {}  # key -> "library" that declared it
        for r in cat.records:
            records[type_key(r.name)] = cat.origin("record", r.name).library
            if r.bc_name:
                records.setdefault(type_key(r.bc_name), cat.origin("record", r.name).library)
        events: dict[str, tuple[str, str]] = {}  # key -> (library, event name)
        for e in cat.events:
            for k in event_keys(e):
                events[name_key(k)] = (cat.origin("event", e.name).library, e.name)
        responses: dict[str, tuple[str, str]] = {}
        for p in cat.responses:
            for k in response_keys(p):
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
                k = type_key(r.name)
                if k in records:
                    self.report(
                        lib, "WF901", f"record type {r.name!r} is already declared by library {records[k]}"
                    )
                records[k] = lib.name
            for ev in lib.events:
                self._claim(lib, "event", ev.name, event_keys(ev), events)
            for resp in lib.responses:
                self._claim(lib, "response", resp.name, response_keys(resp), responses)
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
                        hint(k, names) or f"its fields: {', '.join(names)}",
                    )
            for rel in r.relations:
                target = all_records.get(type_key(rel.record))
                if target is None:
                    self.report(
                        lib,
                        "WF903",
                        f"relation {r.name}.{rel.name} refers to unknown record type {rel.record!r}",
                        hint(rel.record, pool),
                    )
                    continue
                for here, there in rel.join:
                    if r.field(here) is None:
                        self.report(
                            lib,
                            "WF911",
                            f"relation {r.name}.{rel.name}: {here!r} is not a field of {r.name}",
                            hint(here, names),
                        )
                    if target.field(there) is None:
                        self.report(
                            lib,
                            "WF911",
                            f"relation {r.name}.{rel.name}: {there!r} is not a field of {target.name}",
                            hint(there, [f.name for f in target.fields]),
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
            if type_key(ev.record) not in all_records:
                self.report(
                    lib,
                    "WF903",
                    f"event {ev.name!r} refers to unknown record type {ev.record!r}",
                    hint(ev.record, record_pool),
                )
            for p in ev.predecessors:
                if name_key(p) not in all_events:
                    self.report(
                        lib,
                        "WF904",
                        f"event {ev.name!r} names unknown predecessor event {p!r}",
                        hint(p, event_pool),
                    )

    # responses ------------------------------------------------------------

    def _check_response(
        self, lib: Library, resp: ResponseSpec, all_events: dict[str, EventSpec], event_pool: list[str]
    ) -> None:
        where = f"response {resp.name!r}"
        for attr, label in (("allowed_after", "may follow"), ("raises", "raises")):
            for e in getattr(resp, attr):
                if name_key(e) not in all_events:
                    self.report(lib, "WF904", f"{where} {label} unknown event {e!r}", hint(e, event_pool))
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
        self._check_options(lib, resp, where)
        self._check_patterns(lib, resp, where)
        self._check_option_patterns(lib, resp, where)

    def _check_options(self, lib: Library, resp: ResponseSpec, where: str) -> None:
        """A response's options: unique names, known kinds, defaults of their kind."""
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

    def _check_patterns(self, lib: Library, resp: ResponseSpec, where: str) -> None:
        """A response's phrase patterns: present, well formed, slots and presets naming its options."""
        option_names = [o.name for o in resp.options]
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
                        hint(slot, option_names),
                    )
            for preset, value in p.presets.items():
                opt = resp.option(preset)
                if opt is None:
                    self.report(
                        lib,
                        "WF907",
                        f"{where}: pattern {p.text!r} presets unknown option {preset!r}",
                        hint(preset, option_names),
                    )
                elif value is not None and (problem := value_problem(opt, value)):
                    self.report(
                        lib,
                        "WF905",
                        f"{where}: pattern {p.text!r} presets {preset} = {value!r}, which {problem}",
                    )

    def _check_option_patterns(self, lib: Library, resp: ResponseSpec, where: str) -> None:
        """The phrases of a response's options: well formed, slots they may have, no two options'
        phrases matching the same words."""
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
                            hint(slot, [x.name for x in resp.options]),
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
                        f"({ob.name}) can both match '{show_sequence(seq)}'",
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
                                f"both match '{show_sequence(seq)}'",
                                "reword one of them",
                            )
                for cp in mine:
                    seen.append((lib.name, resp.name, cp))



def value_problem(option: OptionSpec, value: Any) -> str:
    """'' when ``value`` suits the option's kind (a default or a preset), else what is wrong."""
    if not isinstance(option.kind, FieldKind):
        return ""  # reported as WF905 already
    return kinds.declared_problem(option.kind, option.enum, value)


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

