"""Declarations of the wrong shape (WF916), checked before anything else, and the diagnostic helpers
the catalogue's checks share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..codes import info
from ..diagnostics import Diagnostic
from ..spelling import suggest
from .specs import (
    EnumType,
    EventSpec,
    FieldSpec,
    Library,
    OptionSpec,
    PhrasePattern,
    RecordSpec,
    RelationSpec,
    ResponseSpec,
    TemplateSpec,
)


def problem(code: str, message: str, help: str = "", notes: tuple[str, ...] = ()) -> Diagnostic:
    """A catalogue diagnostic (no span: the library is Python, not a script)."""
    return Diagnostic(code, info(code).severity, message, help=help, notes=notes)


def hint(written: str, pool: list[str] | tuple[str, ...] | set[str]) -> str:
    """``did you mean `x`?`` for the closest name in ``pool``, or ''."""
    m = suggest(written, pool)
    return f"did you mean `{m[0]}`?" if m else ""


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


def library_label(lib: object) -> str:
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
        return [problem("WF916", f"expected a werkstroom Library, got {_what(lib)}",
                      f"pass the Library a library function returns{call}")]
    out: list[Diagnostic] = []
    prefix = f"library {library_label(lib)}: "

    def report(where: str, message: str, help: str = "") -> None:
        out.append(problem("WF916", prefix + (f"{where}: " if where else "") + message, help))

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

