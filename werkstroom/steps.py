"""Gherkin step declarations as plain data: ``given``/``when``/``then`` record a step's keyword,
regular expression, worked example and docstring in :data:`STEPS`, and import nothing of pytest.

The specs plugin (``werkstroom.specs.plugin``, loaded by pytest) consumes them: it registers a binder
with :func:`on_declare`, which turns each declaration into a pytest-bdd step in the declaring module,
and the step list feeds ``docs/specs.md`` and the "did you mean" for a missing step. Outside pytest a
step module only declares. Partner step modules use the same decorators (through
``werkstroom.extend``)::

    from werkstroom.extend import then

    @then(r'the webhook "(?P<name>[^"]+)" was called', example='Then the webhook "crm" was called')
    def _(werkstroom_world, name):
        \"\"\"The partner's webhook response ran for the last action.\"\"\"
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import attrs

F = TypeVar("F", bound=Callable[..., Any])

REF = r'the (?P<kind>[A-Za-z][A-Za-z ]*?) "(?P<id>[^"]*)"'
"""How a step names a record: ``the purchase invoice "1001"``, ``the customer "C100"``."""


class SpecError(AssertionError):
    """A step could not do what it says (bad table, unknown record, a Given the engine refused).

    An AssertionError so pytest reports it as a failed step with the message as written. ``code``: the
    diagnostic code of a mistake in the feature file (WF7xx), shown after the message."""

    code: str = ""

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(f"{message} [{code}]" if code else message)
        if code:
            self.code = code


@attrs.frozen
class StepDoc:
    """One declared step. ``func`` is the step function (left out of equality)."""

    kind: str  # Given | When | Then
    pattern: str
    example: str
    doc: str
    module: str
    section: str
    func: Callable[..., Any] | None = attrs.field(default=None, eq=False, repr=False)


STEPS: list[StepDoc] = []
"""Every step declared in this process, in declaration order."""

Binder = Callable[[StepDoc, int], None]
_BINDERS: list[Binder] = []


def on_declare(binder: Binder) -> None:
    """Call ``binder(step, stacklevel)`` for every step declared from now on; ``stacklevel``: how many
    frames above the binder's own frame the declaring module's frame is."""
    if binder not in _BINDERS:
        _BINDERS.append(binder)


def _register(kind: str, pattern: str, example: str, section: str, func: Callable[..., Any]) -> None:
    import inspect

    doc = inspect.getdoc(func) or ""
    if not doc:
        raise TypeError(f"step {pattern!r} ({func.__module__}) needs a docstring: it is the step's documentation")  # noqa: E501
    if not example:
        raise TypeError(f"step {pattern!r} ({func.__module__}) needs an example")
    declared = StepDoc(kind.capitalize(), pattern, example, doc, func.__module__, section, func)
    STEPS.append(declared)
    for binder in _BINDERS:
        binder(declared, 3)  # frames above the binder: _register, deco, the step module


def _decorator(kind: str) -> Callable[..., Callable[[F], F]]:
    def factory(pattern: str, *, example: str, section: str = "") -> Callable[[F], F]:
        def deco(func: F) -> F:
            _register(kind, pattern, example, section, func)
            return func

        return deco

    return factory


given = _decorator("given")
when = _decorator("when")
then = _decorator("then")

__all__ = ["REF", "STEPS", "SpecError", "StepDoc", "given", "on_declare", "then", "when"]
