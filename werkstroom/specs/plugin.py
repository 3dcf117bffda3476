"""The pytest plugin (entry point ``pytest11: werkstroom``): Werkstroom's Gherkin steps for every project.

Installing the package is enough: pytest loads this module, which registers the step modules
(``steps_given``, ``steps_when``, ``steps_then``), the step modules partner libraries name in
``Library.step_modules``, and any listed under the ini option ``werkstroom_step_modules``. A project
then needs only ``.feature`` files, ``.wf`` files and a test module::

    from pytest_bdd import scenarios
    scenarios(".")

Importing this module is cheap (no engine, no catalogue, no database): the engine of a scenario is
opened by the first step that needs it. Opt out with ``-p no:werkstroom``.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

STEP_MODULES = ("werkstroom.specs.steps_given", "werkstroom.specs.steps_when", "werkstroom.specs.steps_then")
_FEATURE_DIR = pytest.StashKey[Path]()
_WORLD = pytest.StashKey[Any]()
_STEP_FAILED = pytest.StashKey[bool]()
_FAILED_STEP = pytest.StashKey[str]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("werkstroom_step_modules", "extra modules with Gherkin step definitions (one per line)",
                  type="linelist", default=[])
    parser.addini("werkstroom_partner_steps", "load the step modules of installed partner libraries",
                  type="bool", default=True)


def partner_step_modules() -> list[str]:
    """``Library.step_modules`` of the installed partner libraries (entry-point group
    ``werkstroom.libraries``); nothing is imported when no partner is installed."""
    from importlib import metadata

    try:
        if not list(metadata.entry_points(group="werkstroom.libraries")):
            return []
    except Exception:  # a broken distribution must not break every test run
        return []
    from ..registry import partner_libraries

    libs, diags = partner_libraries()
    for d in diags:
        warnings.warn(f"werkstroom: {d.code} {d.message}", stacklevel=2)
    return [m for lib in libs for m in lib.step_modules]


def pytest_configure(config: pytest.Config) -> None:
    # (module, required): our own and the ini-listed modules must import; a partner's broken step
    # module only warns, so an installed partner package can never break unrelated test runs
    names = [(m, True) for m in STEP_MODULES]
    if config.getini("werkstroom_partner_steps"):
        names += [(m, False) for m in partner_step_modules()]
    names += [(str(m), True) for m in config.getini("werkstroom_step_modules")]
    seen: set[str] = set()
    for name, required in names:
        if name in seen or config.pluginmanager.has_plugin(name):
            continue
        seen.add(name)
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            if required:
                raise pytest.UsageError(f"werkstroom: cannot import the step module {name!r}: {exc}") from exc
            config.issue_config_time_warning(pytest.PytestConfigWarning(
                f"werkstroom: the partner step module {name!r} cannot be imported ({exc}); its steps are "
                "not available"), stacklevel=2)
            continue
        config.pluginmanager.register(module, name)


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    """Remember the feature file's folder: workflow files are named relative to it."""
    filename = getattr(feature, "filename", None)
    if filename:
        request.node.stash[_FEATURE_DIR] = Path(filename).parent


def pytest_bdd_step_error(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any,
                          **_: Any) -> None:
    request.node.stash[_STEP_FAILED] = True
    where = f"{getattr(feature, 'filename', '')}:{getattr(step, 'line_number', '?')}"
    request.node.stash[_FAILED_STEP] = (f"{where}\nScenario: {getattr(scenario, 'name', '')}\n"
                                        f"  {getattr(step, 'keyword', '')} {getattr(step, 'name', '')}")


def pytest_bdd_step_func_lookup_error(request: pytest.FixtureRequest, **_: Any) -> None:
    request.node.stash[_STEP_FAILED] = True  # the missing step's error is the one to show


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A step of ours that fails reports in business terms: the feature line, the step and what the
    engine did, without pytest's fixture internals (``--tb=long`` shows the full traceback)."""
    report = yield
    if call.when == "call" and call.excinfo is not None and item.config.option.tbstyle == "auto":
        from .world import SpecError

        if isinstance(call.excinfo.value, SpecError):
            where = item.stash.get(_FAILED_STEP, "")
            report.longrepr = (f"{where}\n\n" if where else "") + str(call.excinfo.value)
    return report


def pytest_bdd_after_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    """A refusal that no Then step looked at fails the scenario (a When at the very end, say)."""
    __tracebackhide__ = True
    world = request.node.stash.get(_WORLD, None)
    if world is None or request.node.stash.get(_STEP_FAILED, False):
        return
    if world.error is not None and not world.error_checked:
        from .world import SpecError, describe_error

        world.error_checked = True
        raise SpecError(f"the last action was refused and no Then step checked it: "
                        f"{describe_error(world.error)}\n\n{world.report()}")


@pytest.fixture
def werkstroom_world(request: pytest.FixtureRequest) -> Iterator[Any]:
    """The scenario's world: an engine on its own store with a virtual clock (see werkstroom.specs.world)."""
    from .world import World

    base = request.node.stash.get(_FEATURE_DIR, None) or Path(str(request.node.path)).parent
    world = World(base)  # a fresh in-memory SQLite store per scenario
    request.node.stash[_WORLD] = world
    try:
        yield world
    finally:
        world.close()
