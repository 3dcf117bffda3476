"""The `wf check` pipeline as a library call: read, parse and (when the syntax is clean) bind .wf files.

``check_paths(paths)`` expands directories to their ``*.wf`` files (recursively, sorted), reads
each file (``read_source``: encoding, size and I/O problems become diagnostics), parses it, and binds
every file that parsed without errors against the catalogue (``werkstroom.registry.load_catalogue``)
with ``werkstroom.interpreter.binder.bind``. Nothing here raises for bad input.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from .diagnostics import Diagnostic, Severity, sort_key
from .grammar.parser import ParseResult, parse_source, read_source
from .source import SourceFile

__all__ = ["CheckResult", "check_paths", "check_sources", "expand_paths"]


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


def check_sources(sources: Sequence[SourceFile], *, bind: bool = True) -> CheckResult:
    """Parse already-read sources and bind those without syntax errors."""
    parsed = tuple(parse_source(s) for s in sources)
    diags: list[Diagnostic] = [d for r in parsed for d in r.diagnostics]
    program = None
    clean = [r for r in parsed if r.ok and r.script.items]
    if bind and clean:
        program, bind_diags = _bind(clean)
        diags.extend(bind_diags)
    return CheckResult(tuple(sorted(diags, key=sort_key)), {s.path: s for s in sources}, parsed, program)


_OPTIONAL = ("werkstroom.registry", "werkstroom.interpreter.binder")


def _bind(parsed: Sequence[ParseResult]) -> tuple[Any, list[Diagnostic]]:
    """Bind against the installed catalogue; skipped (no diagnostics) while the binder or the
    registry is not part of the installation."""
    import importlib

    try:
        binder = importlib.import_module("werkstroom.interpreter.binder")
        registry = importlib.import_module("werkstroom.registry")
    except ModuleNotFoundError as exc:
        if exc.name in _OPTIONAL:
            return None, []
        raise
    catalogue, cat_diags = registry.load_catalogue()
    program = binder.bind(parsed, catalogue)
    return program, [*cat_diags, *program.diagnostics]
