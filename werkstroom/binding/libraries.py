"""The installed catalogue: the stdlib and the partner libraries of the environment, with partner
templates checked by binding them (WF919)."""

from __future__ import annotations

import functools

from ..catalogue.catalogue import Catalogue
from ..catalogue.loading import partner_libraries
from ..catalogue.shapes import library_label, problem
from ..catalogue.specs import Library
from ..diagnostics import Diagnostic
from ..extend import installed

# --------------------------------------------------------------------------- templates (WF919)


def template_problems(cat: Catalogue, lib: Library) -> list[Diagnostic]:
    """WF919: the errors of ``lib``'s templates bound (as templates) against ``cat``, in which ``lib`` is
    installed. Not part of installing (binding needs the parser): ``validate`` and `wf catalogue
    libraries` report them, so a partner's own tests and the command that lists problems see them."""
    from ..grammar.parser import parse
    from .binder import bind

    out: list[Diagnostic] = []
    for t in lib.templates:
        try:
            errors = [d for d in bind([parse(t.text, t.path)], cat, template=True).diagnostics if d.is_error]
        except Exception as exc:  # the template is the library's input: never a traceback
            out.append(problem("WF919", f"library {library_label(lib)}: template {t.code!r} ({t.path}) "
                               f"cannot be read: {type(exc).__name__}: {exc}"))
            continue
        for d in errors:
            where = f"{t.path}:{d.span.line}" if d.span is not None else t.path
            out.append(problem("WF919", f"library {library_label(lib)}: template {t.code!r} does not check: "
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


def validate(library: Library, *, partners: bool = False) -> list[Diagnostic]:
    """What installing ``library`` next to the stdlib would report (empty when it installs cleanly).

    ``partners``: also install the partner libraries found through the entry-point group first, to
    see clashes with them. Its templates are checked too (WF919). A partner's unit tests assert
    ``validate(library()) == []``. Installing the
    same library a second time reports WF901, so test a library that is not installed yet, or pass
    ``partners=False`` (the default)."""
    cat, _ = load_catalogue(partners=partners)
    found = cat.install(library)
    return found or template_problems(cat, library)  # its templates are bound once it is installed


def catalogue_with(*libraries: Library, partners: bool = False) -> Catalogue:
    """The stdlib catalogue with ``libraries`` installed, for tests and embedding hosts
    (``open_engine("sqlite://", catalogue=catalogue_with(library()))``). Raises :class:`LibraryError`
    when a library is rejected."""
    return installed(load_catalogue(partners=partners)[0], libraries)
