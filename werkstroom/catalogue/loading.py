"""Finding partner libraries: the ``werkstroom.libraries`` entry-point group, loaded with every failure
reported as WF909 naming the package and the place in its code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..diagnostics import Diagnostic
from ..spelling import suggest
from .shapes import problem
from .specs import Library

ENTRY_POINT_GROUP = "werkstroom.libraries"


def partner_libraries() -> tuple[list[Library], list[Diagnostic]]:
    """Load the libraries of the ``werkstroom.libraries`` entry-point group; failures become WF909."""
    from importlib import metadata

    libs: list[Library] = []
    diags: list[Diagnostic] = []
    try:
        eps = sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: (e.name, e.value))
    except Exception as exc:  # a broken installed distribution must not break loading
        return [], [problem("WF909", f"could not list entry points of group {ENTRY_POINT_GROUP}: {exc}")]
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
            diags.append(problem(
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
                 and suggest(g, [ENTRY_POINT_GROUP])]
        found = [(g, ep) for g in sorted(close) for ep in metadata.entry_points(group=g)]
    except Exception:  # a courtesy: fake or broken metadata must not break loading
        return []
    out = []
    for group, ep in found:
        dist = getattr(getattr(ep, "dist", None), "name", None)
        out.append(problem(
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
        return None, problem(
            "WF909",
            f"{where} could not be imported: {type(exc).__name__}: {exc}{_partner_frame(exc, value)}",
            _missing_function(value, exc) or "check that the package is installed and imports cleanly",
        )
    if not callable(factory):
        return None, problem("WF909", f"{where} is not callable; it must be a function returning a Library")
    try:
        lib = factory()
    except Exception as exc:
        return None, problem("WF909",
                             f"{where} raised {type(exc).__name__}: {exc}{_partner_frame(exc, value)}")
    if not isinstance(lib, Library):
        return None, problem("WF909", f"{where} returned {type(lib).__name__}, not a werkstroom Library")
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
    m = suggest(attr.strip(), pool)
    fix = f"did you mean `{module.strip()}:{m[0]}`? " if m else ""
    return (f"{fix}the entry point in pyproject.toml ([project.entry-points.\"{ENTRY_POINT_GROUP}\"]) "
            f"must name a function of {module.strip()} that returns a Library; reinstall the package after "
            "changing it")

