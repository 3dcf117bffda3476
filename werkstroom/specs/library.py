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


given = _decorator("given")
when = _decorator("when")
then = _decorator("then")
