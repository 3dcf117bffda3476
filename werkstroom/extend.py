"""The public partner API: everything a package needs to add records, events, responses, templates
and Gherkin steps to Werkstroom. ``docs/extending.md`` is the guide; ``examples/partner-extension/``
is a complete package built on it.

A partner package exposes one zero-argument function returning a :class:`Library` and names it in
the ``werkstroom.libraries`` entry-point group of its ``pyproject.toml``::

    [project.entry-points."werkstroom.libraries"]
    expenses = "werkstroom_expenses:library"

Installing the package is enough: ``load_catalogue()`` (used by ``wf check``, ``wf catalogue``, the
engine and ``wf simulate``) validates the library (WF9xx diagnostics naming the library, the entry and
the problem) and installs it whole or not at all. A response's behaviour is a function
``run(ctx: ResponseContext) -> None``: the context is its only door to the engine (record, options,
approvals, notifications, record state, outbox effects, messages, raised events), and everything it
does commits with the handled event or not at all.

The stdlib declares itself with the same classes, imported from here. Only the names in ``__all__``
are the contract; everything else in ``werkstroom`` may change between versions.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import TYPE_CHECKING, Any

from .catalogue.specs import (
    EnumType,
    EventSpec,
    FieldKind,
    FieldSpec,
    Library,
    MandatoryCheck,
    OptionSpec,
    Origin,
    PhrasePattern,
    RecordSpec,
    RelationSpec,
    ResponseFn,
    ResponseSpec,
    TemplateSpec,
)
from .context import ApprovalsAPI, NotificationsAPI, RecordHandle, RecordStateAPI, ResponseContext
from .diagnostics import Diagnostic
from .errors import DiagnosticsError, WerkstroomError
from .steps import REF, SpecError, given, then, when

if TYPE_CHECKING:
    from .catalogue.catalogue import Catalogue

ENTRY_POINT_GROUP = "werkstroom.libraries"
"""The entry-point group Werkstroom reads partner libraries from."""


class LibraryError(DiagnosticsError):
    """WF9xx: a library could not be installed; ``diagnostics`` lists every problem found."""

    def __init__(self, message: str, diagnostics: Iterable[Diagnostic]) -> None:
        diags = tuple(diagnostics)
        super().__init__(message, diags, code=diags[0].code if diags else "WF909")


# --------------------------------------------------------------------------- helpers for behaviours


def to_decimal(value: Any) -> Decimal:
    """A field value as Decimal: None and blank count as 0; floats go through str (no binary noise).
    Raises TypeError for anything that is not a number."""
    if value is None or value == "":
        return Decimal(0)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError(f"expected a number, got {value!r}")
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise TypeError(f"expected a number, got {value!r}") from exc


def total(records: Iterable[RecordHandle], field: str) -> Decimal:
    """The sum of ``field`` over records (``total(ctx.related(ctx.document, "lines"), "amount")``)."""
    return sum((to_decimal(r.values.get(field)) for r in records), Decimal(0))


def first(records: Iterable[RecordHandle]) -> RecordHandle | None:
    """The first record, or None."""
    for r in records:
        return r
    return None


def ref(record: RecordHandle) -> dict[str, Any]:
    """The identity of a record for effect payloads: ``{"record_type": ..., "key": ...}``."""
    return {"record_type": record.type, "key": record.key}


# --------------------------------------------------------------------------- templates, validation


def templates_from_package(package: str, folder: str = "templates") -> tuple[TemplateSpec, ...]:
    """Every ``*.wf`` file in ``folder`` of the installed ``package``, as templates sorted by code.

    The code is the file name without ``.wf``, upper-cased (``EXP-APPROVAL.wf`` -> ``EXP-APPROVAL``);
    the file must hold a workflow of that code. Files are read with ``importlib.resources``, so this
    works for wheels and zipped installs alike; include the folder as package data. The ``path``
    shown in diagnostics is ``<package as a path>/<folder>/<file>``. A missing folder gives ``()``.
    """
    try:
        root = resources.files(package)
    except ModuleNotFoundError as exc:
        raise ValueError(f"templates_from_package: there is no installed package {package!r}") from exc
    base = root
    for part in (p for p in folder.replace("\\", "/").split("/") if p):
        base = base.joinpath(part)
    if not base.is_dir():
        return ()
    prefix = package.replace(".", "/") + "/" + folder.strip("/")
    found: list[TemplateSpec] = []
    for entry in base.iterdir():
        if entry.is_file() and entry.name.lower().endswith(".wf"):
            code = entry.name[: -len(".wf")].upper()
            found.append(TemplateSpec(code, entry.read_text(encoding="utf-8-sig"), f"{prefix}/{entry.name}"))
    return tuple(sorted(found, key=lambda t: t.code))


def __getattr__(name: str) -> Any:
    """``validate``, ``catalogue_with`` and ``load_catalogue`` load the installed catalogue (the stdlib
    and the partner libraries), a layer above this module that the stdlib itself imports: they are
    read from ``werkstroom.binding.libraries`` when first used."""
    if name in ("validate", "catalogue_with", "load_catalogue"):
        import importlib

        value = getattr(importlib.import_module("werkstroom.binding.libraries"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'werkstroom.extend' has no attribute {name!r}")


def installed(catalogue: Catalogue, libraries: Iterable[Library]) -> Catalogue:
    """A copy of ``catalogue`` with ``libraries`` installed together, validated as partner libraries
    are (whole or not at all). Raises :class:`LibraryError` (WF9xx, every problem) when one is
    rejected; ``catalogue`` itself is left as it was. ``open_engine(..., libraries=[...])`` uses it."""
    libs = tuple(libraries)
    cat = catalogue.copy()
    diags = cat.install_all(libs)
    errors = [d for d in diags if d.is_error]
    if errors:
        raise LibraryError(
            f"{len(errors)} problem(s) installing {', '.join(lib.name for lib in libs)}; "
            f"the first: {errors[0].code} {errors[0].message}",
            diags,
        )
    return cat


__all__ = [
    "ENTRY_POINT_GROUP",
    "REF",
    "ApprovalsAPI",
    "Diagnostic",
    "EnumType",
    "EventSpec",
    "FieldKind",
    "FieldSpec",
    "Library",
    "LibraryError",
    "MandatoryCheck",
    "NotificationsAPI",
    "OptionSpec",
    "Origin",
    "PhrasePattern",
    "RecordHandle",
    "RecordSpec",
    "RecordStateAPI",
    "RelationSpec",
    "ResponseContext",
    "ResponseFn",
    "ResponseSpec",
    "SpecError",
    "TemplateSpec",
    "WerkstroomError",
    "catalogue_with",  # noqa: F822 (read from binding.libraries when first used)
    "first",
    "given",
    "load_catalogue",  # noqa: F822 (read from binding.libraries when first used)
    "ref",
    "templates_from_package",
    "then",
    "to_decimal",
    "total",
    "validate",  # noqa: F822 (read from binding.libraries when first used)
    "when",
]
