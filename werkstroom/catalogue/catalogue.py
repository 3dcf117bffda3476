"""The Catalogue: the installed libraries and the lookups over their record types, events, responses,
templates and enums.

``Catalogue.install(library)`` (or ``install_all`` for libraries that refer to each other) validates
every entry and reports problems as WF9xx diagnostics naming the library and the entry.

Policy: a library is installed **whole or not at all**. When any of its entries has an error, none
of it is installed and each problem is reported once (with a note saying the library was not
installed). Libraries installed together are validated together: if one is rejected, the others
are checked again without it, so a library that relies on a rejected one is rejected too (and says
why). This keeps the catalogue consistent: every reference in it resolves.

Importing this module is cheap: it does not import the stdlib, SQLAlchemy or the engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal, TypeAlias

import attrs

from ..diagnostics import Diagnostic
from ..spelling import suggest
from .keys import declared_enums, event_keys, name_key, response_keys, type_key
from .patterns import CompiledPattern, compile_pattern
from .shapes import library_label, shape_problems
from .specs import (
    EnumType,
    EventSpec,
    Library,
    OptionSpec,
    Origin,
    PhrasePattern,
    RecordSpec,
    ResponseSpec,
    TemplateSpec,
)
from .validation import Validator

Kind: TypeAlias = Literal["record", "event", "response", "template", "enum"]


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
        return self._records.get(type_key(name))

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
        return suggest(written, pool, limit=n)

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
            found = Validator(self, [lib for i, lib in enumerate(pending) if i not in rejected]).run()
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
                note = f"library {library_label(lib)} was not installed"
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
            self._records[type_key(r.name)] = r
            if r.bc_name:
                self._records.setdefault(type_key(r.bc_name), r)
            self._record_list.append(r)
            self._origins[("record", r.name)] = origin
        for ev in lib.events:
            for key in event_keys(ev):
                self._events[name_key(key)] = ev
            self._event_list.append(ev)
            self._origins[("event", ev.name)] = origin
        for resp in lib.responses:
            for key in response_keys(resp):
                self._responses[name_key(key)] = resp
            self._response_list.append(resp)
            self._origins[("response", resp.name)] = origin
        for t in lib.templates:
            self._templates[t.code.upper()] = t
            self._origins[("template", t.code)] = origin

