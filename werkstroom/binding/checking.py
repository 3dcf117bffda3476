"""The `wf check` pipeline as a library call: read, parse and (when the syntax is clean) bind .wf files.

``check_paths(paths)`` expands directories to their ``*.wf`` files (recursively, sorted), reads
each file (``read_source``: encoding, size and I/O problems become diagnostics), parses it, and binds
every file that parsed without errors against the catalogue (``werkstroom.binding.libraries.load_catalogue``)
with ``werkstroom.binding.binder.bind``. ``enable_diagnostics`` adds BC's enable checks and the overlap
refusals across the checked workflows (`wf check --enable`). Nothing here raises for bad input.

A caller that checks the same files again and again (the language server) passes the catalogue it
loaded once and a ``parse`` function that reuses the parse of a text it has seen.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..diagnostics import Diagnostic, Severity, sort_key
from ..grammar.parser import ParseResult, parse_source
from ..grammar.reading import read_source
from ..source import SourceFile

__all__ = ["CheckResult", "check_paths", "check_sources", "enable_diagnostics", "expand_paths"]

Loaded = tuple[Any, Sequence[Diagnostic]]
"""A loaded catalogue and the diagnostics of loading it (what ``load_catalogue()`` returns)."""


@attrs.frozen
class CheckResult:
    """``diagnostics``: every finding, sorted by file and position. ``sources``: the files that could
    be read, by reported path (the renderer shows their lines). ``parsed``: the parse results.
    ``program``: the bound program (a ``BoundProgram``) or None when binding did not run."""

    diagnostics: tuple[Diagnostic, ...]
    sources: Mapping[str, SourceFile]
    parsed: tuple[ParseResult, ...] = ()
    program: Any = None

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity is Severity.ERROR)

    @property
    def io_failed(self) -> bool:
        """True when a file could not be read at all (WF100)."""
        return any(d.code == "WF100" for d in self.diagnostics)


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Files as given, directories replaced by their ``*.wf`` files (recursive, sorted). Paths that do
    not exist are kept, so reading them reports WF100."""
    out: list[str] = []
    for p in paths:
        name = os.fspath(p)
        if os.path.isdir(name):
            out.extend(sorted(str(f) for f in Path(name).rglob("*.wf") if f.is_file()))
        else:
            out.append(name)
    return out


def check_paths(paths: Iterable[str | os.PathLike[str]], *, bind: bool = True) -> CheckResult:
    """Read, parse and bind the given files and directories (see the module docstring)."""
    sources: list[SourceFile] = []
    diags: list[Diagnostic] = []
    for name in expand_paths(paths):
        src = read_source(name)
        if isinstance(src, Diagnostic):
            diags.append(src)
        else:
            sources.append(src)
    result = check_sources(sources, bind=bind)
    return attrs.evolve(result, diagnostics=tuple(sorted([*diags, *result.diagnostics], key=sort_key)))


def check_sources(sources: Sequence[SourceFile], *, bind: bool = True, catalogue: Loaded | None = None,
                  parse: Callable[[SourceFile], ParseResult] = parse_source) -> CheckResult:
    """Parse already-read sources and bind those without syntax errors. ``catalogue``: the loaded
    catalogue to bind against (default: ``load_catalogue()``). ``parse``: how a source is parsed."""
    parsed = tuple(parse(s) for s in sources)
    diags: list[Diagnostic] = [d for r in parsed for d in r.diagnostics]
    program = None
    clean = [r for r in parsed if r.ok and r.script.items]
    if bind and clean:
        program, bind_diags = _bind(clean, catalogue)
        diags.extend(bind_diags)
    return CheckResult(tuple(sorted(diags, key=sort_key)), {s.path: s for s in sources}, parsed, program)


def _bind(parsed: Sequence[ParseResult], loaded: Loaded | None) -> tuple[Any, list[Diagnostic]]:
    """Bind against the installed catalogue (the stdlib and the partner libraries)."""
    from .binder import bind
    from .libraries import load_catalogue

    catalogue, cat_diags = loaded if loaded is not None else load_catalogue()
    program = bind(parsed, catalogue)
    return program, library_problems(cat_diags, catalogue, program.diagnostics)


def enable_diagnostics(result: CheckResult, catalogue: Any = None, *,
                       allow_overlap: bool = False) -> tuple[Diagnostic, ...]:
    """``result``'s diagnostics with BC's enable checks of every bound workflow, as if all were enabled
    together (``binding.checks.enable_all``). An overlap that refuses (WF428) replaces the binder's
    warning (WF420) about the same pair. ``catalogue``: default ``load_catalogue()``'s."""
    if result.program is None:
        return result.diagnostics
    from .checks import enable_all
    from .libraries import load_catalogue

    extra = enable_all(result.program.workflows, catalogue if catalogue is not None else load_catalogue()[0],
                       allow_overlap=allow_overlap)
    refused = {(d.span, d.related) for d in extra if d.code == "WF428"}
    kept = [d for d in result.diagnostics if d.code != "WF420" or (d.span, d.related) not in refused]
    return tuple(sorted([*kept, *extra], key=sort_key))


LIBRARY_NOTE = ("wf check goes on without it: scripts that do not use its names are checked as usual, "
                "those that do report them as unknown")


def library_problems(cat_diags: Sequence[Diagnostic], catalogue: Any,
                     bind_diags: Sequence[Diagnostic], note: str = LIBRARY_NOTE) -> list[Diagnostic]:
    """A library that could not be loaded or installed (WF9xx) is reported once, as a warning, so it never
    fails the check of scripts that do not use it. An unknown event that such a library declares
    gets a note naming the library (docs/extending.md)."""
    if not cat_diags:
        return list(bind_diags)
    out = [attrs.evolve(d, severity=Severity.WARNING, notes=(*d.notes, note)) if d.is_error else d
           for d in cat_diags]
    declared: dict[str, str] = {}  # event name (casefolded) -> "library version"
    try:
        from ..catalogue.loading import partner_libraries

        installed = {(lib.name, lib.version) for lib in catalogue.libraries}
        for lib in partner_libraries()[0]:
            if (lib.name, lib.version) not in installed:
                for ev in lib.events:
                    declared.setdefault(ev.name.casefold(), f"{lib.name} {lib.version}")
    except Exception:  # the notes are a courtesy: never let them break the check
        declared = {}
    for d in bind_diags:
        m = re.search(r"`([A-Za-z_][A-Za-z0-9_]*)`", d.message) if d.code == "WF201" else None
        if m and m.group(1).casefold() in declared:
            d = attrs.evolve(d, notes=(*d.notes, f"`{m.group(1)}` is declared by library "
                                      f"{declared[m.group(1).casefold()]}, which could not be installed "
                                      "(see its WF9xx warnings)"))
        out.append(d)
    return out
