"""How steps are declared: ``given``/``when``/``then`` wrap pytest-bdd's decorators with a regular
expression and a worked example, and remember every step so ``docs/specs.md`` can list them.

Partner step modules (``Library.step_modules``) use the same decorators::

    from werkstroom.specs.library import then

    @then(r'the webhook "(?P<name>[^"]+)" was called', example='Then the webhook "crm" was called')
    def _(werkstroom_world, name):
        \"\"\"The partner's webhook response ran for the last action.\"\"\"
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

F = TypeVar("F", bound=Callable[..., Any])

REF = r'the (?P<kind>[A-Za-z][A-Za-z ]*?) "(?P<id>[^"]*)"'
"""How a step names a record: ``the purchase invoice "1001"``, ``the customer "C100"``."""


@attrs.frozen
class StepDoc:
    kind: str  # Given | When | Then
    pattern: str
    example: str
    doc: str
    module: str
    section: str


STEPS: list[StepDoc] = []


def _register(kind: str, pattern: str, example: str, section: str, func: Callable[..., Any],
              stacklevel: int) -> None:
    from pytest_bdd import parsers
    from pytest_bdd.steps import step

    doc = inspect.getdoc(func) or ""
    if not doc:
        raise TypeError(f"step {pattern!r} ({func.__module__}) needs a docstring: it is the step's documentation")  # noqa: E501
    if not example:
        raise TypeError(f"step {pattern!r} ({func.__module__}) needs an example")
    STEPS.append(StepDoc(kind.capitalize(), pattern, example, doc, func.__module__, section))
    step(parsers.re(pattern), kind, stacklevel=stacklevel)(func)  # type: ignore[arg-type]


def _decorator(kind: str) -> Callable[..., Callable[[F], F]]:
    def factory(pattern: str, *, example: str, section: str = "") -> Callable[[F], F]:
        def deco(func: F) -> F:
            # frames: pytest-bdd's caller lookup, its decorator, _register, deco, the step module
            _register(kind, pattern, example, section, func, 3)
            return func

        return deco

    return factory


def _phrase_words(text: str, slots: bool) -> list[str]:
    """A step text as words for the "did you mean": quoted texts are one word; in a step's example
    (``slots``) quoted texts, numbers and user names (upper case) are slots that match any word."""
    words = re.findall(r'"[^"]*"|[^\s"]+', text)
    if not slots:
        return [w.lower() for w in words]
    return ["<x>" if w.startswith('"') or re.fullmatch(r"[0-9.,:-]+|[A-Z][A-Z0-9]+", w) else w.lower()
            for w in words]


def missing_step_text(kind: str, text: str) -> str:
    """What to tell a consultant whose step matches no step definition (WF701): a step of another
    keyword that reads exactly like it, or the closest step of the same keyword."""
    from ..spelling import suggest_phrase

    kind = kind.capitalize()
    head = f"no step of the step library reads `{kind} {text}` [WF701]"
    other = [s for s in STEPS if s.kind != kind and re.fullmatch(s.pattern, text)]
    if other:
        return (f"{head}\nThis is a {other[0].kind} step: write `{other[0].kind} {text}` (or And after a "
                f"{other[0].kind} step).\nEvery step is listed, with an example, in Werkstroom's "
                "docs/specs.md.")
    words = _phrase_words(text, slots=False)
    same = [s for s in STEPS if s.kind == kind]
    pool = same or STEPS
    pairs = [(str(i), _phrase_words(s.example.splitlines()[0].split(" ", 1)[1], slots=True))
             for i, s in enumerate(pool)]
    best = suggest_phrase(words, pairs)
    if best is None:
        return (f"{head}\nCheck the spelling against the {kind} steps listed, with examples, in "
                "Werkstroom's docs/specs.md.")
    s = pool[int(best)]
    return (f"{head}\nDid you mean the step `{s.kind} {readable(s.pattern)}`?\n"
            f"  for example: {s.example.splitlines()[0]}\n"
            "Every step is listed, with an example, in Werkstroom's docs/specs.md.")


def readable(pattern: str) -> str:
    """A step's regular expression as a sentence: ``<user> approves ... [for the <record> "<key>"]``."""
    p = pattern.replace(REF, 'the <record> "<key>"')
    prev = None
    while prev != p:
        prev = p
        p = re.sub(r"\(\?P<(\w+)>[^()]*\)", r"<\1>", p)
        p = re.sub(r"\(\?:([^()]*)\)\?", r"[\1]", p)
        p = re.sub(r"\(\?:([^()]*)\)", r"\1", p)
    p = re.sub(r"<(\w+)>\?", r"[<\1>]", p)
    p = re.sub(r"\ban\? ", "a ", p)
    p = re.sub(r"(\w)\?", r"\1", p)  # "requests?" -> "requests"
    return p.replace("\\", "")


given = _decorator("given")
when = _decorator("when")
then = _decorator("then")
