"""Text to bound program for deployment: a script bound whole or refused with all its errors, the
catalogue's templates bound for the store, and a deployed source bound again against the installed
catalogue (docs/extending.md, "contract changes").

The engine stores and runs bound programs only; it never reads text. ``werkstroom.deploy(engine, text)``
is ``engine.deploy(bind_text(text, path, engine.catalogue))``.
"""

from __future__ import annotations

from typing import Any

import attrs

from ..diagnostics import Diagnostic
from ..errors import DiagnosticsError
from ..grammar.parser import parse
from .binder import bind
from .program import BoundProgram, BoundWorkflow

__all__ = ["bind_templates", "bind_text", "rebind"]


def bind_text(source: str, path: str, catalogue: Any, *, template: bool = False) -> BoundProgram:
    """Parse and bind ``source`` against ``catalogue``; raises DiagnosticsError (the first error's code,
    every error with its position) when the script has any error, so nothing of it is stored."""
    parsed = parse(source, path)
    program = bind([parsed], catalogue, template=template)
    errors = [d for d in (*parsed.diagnostics, *program.diagnostics) if d.is_error]
    if errors:
        first = f"{errors[0].code}: {errors[0].message}"
        raise DiagnosticsError(f"{path} has {len(errors)} error(s), the first {first}; "
                               f"nothing was deployed",
                               errors, code=errors[0].code)  # each error with its caret
    return program


def bind_templates(catalogue: Any) -> BoundProgram:
    """The catalogue's workflow templates (MS-...), bound and marked as templates: stored to be copied,
    never enabled."""
    workflows: list[BoundWorkflow] = []
    diagnostics: list[Diagnostic] = []
    for t in getattr(catalogue, "templates", ()):
        program = bind([parse(t.text, t.path)], catalogue, template=True)
        workflows.extend(attrs.evolve(wf, template=True) for wf in program.workflows)
        diagnostics.extend(program.diagnostics)
    return BoundProgram(tuple(workflows), tuple(diagnostics))


def rebind(wf: BoundWorkflow, catalogue: Any, version: int = 0) -> list[Diagnostic]:
    """Bind the deployed source again against the installed catalogue (docs/extending.md, "contract
    changes"): when a library no longer declares an event, response, record field or option the
    workflow uses, the binder's errors point into the deployed source. Only errors inside this
    workflow count; a source that no longer parses is left to the other checks."""
    if catalogue is None or not wf.source:
        return []
    parsed = parse(wf.source, wf.path or f"<{wf.code}>")
    if not parsed.ok:
        return []
    program = bind([parsed], catalogue, template=wf.template)
    found = [w for w in program.workflows if w.code == wf.code]
    if not found and len(program.workflows) == 1:
        found = list(program.workflows)  # a copy: the source still carries the original code
    if not found:
        return []
    span = found[0].span
    multi = len(program.workflows) > 1

    def inside(d: Diagnostic) -> bool:
        if not multi or d.span is None or span.end <= span.start:
            return True
        return span.start <= d.span.start and d.span.end <= span.end

    libs = ", ".join(f"{lib.name} {lib.version}" for lib in getattr(catalogue, "libraries", ())
                     if not lib.name.startswith("werkstroom."))
    note = (f"{wf.code} (version {version}) was bound when it was deployed; bound again against the "
            f"installed catalogue (partner libraries: {libs or 'none'}) it no longer fits")
    return [attrs.evolve(d, notes=(*d.notes, note)) for d in program.diagnostics if d.is_error and inside(d)]
