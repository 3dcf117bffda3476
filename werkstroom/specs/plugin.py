"""The pytest plugin (entry point ``pytest11: werkstroom``): Werkstroom's Gherkin steps for every project.

Installing the package is enough: pytest loads this module, which registers the step modules
(``steps_given``, ``steps_when``, ``steps_then``), the step modules partner libraries name in
``Library.step_modules``, and any listed under the ini option ``werkstroom_step_modules``. A project
then needs only ``.feature`` files, ``.wf`` files and a test module::

    from pytest_bdd import scenarios
    scenarios(".")

Importing this module is cheap (no engine, no catalogue, no database): the engine of a scenario is
opened by the first step that needs it. Opt out with ``-p no:werkstroom``.

pytest-bdd comes with the ``specs`` extra (``pip install 'werkstroom[specs]'``). Without it the plugin
loads no steps and stays out of the way of a host's own tests; a test that asks for the scenario's
world (``werkstroom_world``, every step of the library) fails saying what to install.
"""

from __future__ import annotations

import importlib
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, cast

import pytest

from ..steps import StepDoc, on_declare

try:
    import pytest_bdd  # noqa: F401
except ImportError:
    HAVE_PYTEST_BDD = False
else:
    HAVE_PYTEST_BDD = True

NO_PYTEST_BDD = ("werkstroom: the Gherkin step library needs pytest-bdd, which is not installed; "
                 "install it with: pip install 'werkstroom[specs]'")

STEP_MODULES = ("werkstroom.specs.steps_given", "werkstroom.specs.steps_when", "werkstroom.specs.steps_then")
_FEATURE_DIR = pytest.StashKey[Path]()
_WORLD = pytest.StashKey[Any]()
_STEP_FAILED = pytest.StashKey[bool]()
_FAILED_STEP = pytest.StashKey[str]()
_MISSING_STEP = pytest.StashKey[str]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("werkstroom_step_modules", "extra modules with Gherkin step definitions (one per line)",
                  type="linelist", default=[])
    parser.addini("werkstroom_partner_steps", "load the step modules of installed partner libraries",
                  type="bool", default=True)


def partner_step_modules() -> list[str]:
    """``Library.step_modules`` of the installed partner libraries (entry-point group
    ``werkstroom.libraries``); nothing is imported when no partner is installed."""
    return list(_partner_step_modules())


def _partner_step_modules() -> dict[str, str]:
    """Step module -> "library NAME VERSION" that names it."""
    from importlib import metadata

    try:
        if not list(metadata.entry_points(group="werkstroom.libraries")):
            return {}
    except Exception:  # a broken distribution must not break every test run
        return {}
    from ..catalogue.loading import partner_libraries

    libs, diags = partner_libraries()
    for d in diags:
        warnings.warn(f"werkstroom: {d.code} {d.message}", stacklevel=2)
    found: dict[str, str] = {}
    for lib in libs:
        if isinstance(lib.step_modules, (tuple, list)):  # else WF916, reported with the catalogue
            for m in lib.step_modules:
                if isinstance(m, str):
                    found.setdefault(m, f"library {lib.name} {lib.version}")
    return found


def bind_step(declared: StepDoc, stacklevel: int) -> None:
    """Make a declared step (``werkstroom.steps``) a pytest-bdd step in the module that declares it."""
    from pytest_bdd import parsers
    from pytest_bdd.steps import step

    assert declared.func is not None
    # pytest-bdd puts the step's fixture into the namespace of the frame ``stacklevel`` above its
    # decorator: the declaring module, counted from here (this frame is one more than the caller's)
    kind = cast(Literal["given", "when", "then"], declared.kind.lower())
    step(parsers.re(declared.pattern), kind, stacklevel=stacklevel + 1)(declared.func)


if HAVE_PYTEST_BDD:
    on_declare(bind_step)


def pytest_configure(config: pytest.Config) -> None:
    if not HAVE_PYTEST_BDD:
        return  # no step can run; a test that needs the world says why (werkstroom_world)
    # (module, required): our own and the ini-listed modules must import; a partner's broken step
    # module only warns, so an installed partner package can never break unrelated test runs
    names = [(m, True) for m in STEP_MODULES]
    owners: dict[str, str] = {}
    if config.getini("werkstroom_partner_steps"):
        owners = _partner_step_modules()
        names += [(m, False) for m in owners]
    names += [(str(m), True) for m in config.getini("werkstroom_step_modules")]
    seen: set[str] = set()
    registered: set[str] = set()
    for name, required in names:
        if name in seen or config.pluginmanager.has_plugin(name):
            continue
        seen.add(name)
        try:
            module = importlib.import_module(name)
        except Exception as exc:
            if required and isinstance(exc, ImportError):
                raise pytest.UsageError(f"werkstroom: cannot import the step module {name!r}: {exc}") from exc
            if required:
                raise
            # WF917: a partner's broken step module (import error, a step without docstring or
            # example, ...) never breaks a test run; its steps are left out
            _partner_step_warning(config, name, owners.get(name, ""),
                                  f"cannot be imported ({type(exc).__name__}: {exc})")
            continue
        if not required and (clash := _step_clash(name, registered)):
            _partner_step_warning(config, name, owners.get(name, ""), clash)
            if "already declares" in clash:
                continue  # loading it would silently replace another module's step
        config.pluginmanager.register(module, name)
        registered.add(name)


def _step_clash(module: str, loaded: set[str]) -> str:
    """A step ``module`` declares twice, or that a module loaded before it already declares (the same
    keyword and regular expression): pytest-bdd would silently keep only the last one."""
    from .library import STEPS, readable

    mine = [s for s in STEPS if s.module == module]
    earlier = {(s.kind, s.pattern): s.module for s in STEPS if s.module != module and s.module in loaded}
    seen: set[tuple[str, str]] = set()
    for s in mine:
        key = (s.kind, s.pattern)
        if key in earlier:
            return (f"declares the step `{s.kind} {readable(s.pattern)}` that {earlier[key]} already "
                    f"declares (for example: {s.example.splitlines()[0]})")
        if key in seen:
            return (f"declares the step `{s.kind} {readable(s.pattern)}` twice; the last one replaces the "
                    "first")
        seen.add(key)
    return ""


def _partner_step_warning(config: pytest.Config, module: str, owner: str, problem: str) -> None:
    outcome = "give each step its own words" if "twice" in problem else "its steps are not available"
    config.issue_config_time_warning(pytest.PytestConfigWarning(
        f"werkstroom: WF917 the partner step module {module!r}{f' ({owner})' if owner else ''} {problem}; "
        f"{outcome}"), stacklevel=3)


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    """Remember the feature file's folder: workflow files are named relative to it."""
    filename = getattr(feature, "filename", None)
    if filename:
        request.node.stash[_FEATURE_DIR] = Path(filename).parent


@pytest.hookimpl(trylast=True, specname="pytest_bdd_before_scenario", optionalhook=True)
def pytest_bdd_check_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    """Mistakes Gherkin lets through: a first step read as description, an unfilled placeholder. Run
    after pytest-bdd's own hook, so its Cucumber JSON report has the scenario to mark failed."""
    for problem, code in ((lost_step(feature, scenario), "WF702"),
                          (unfilled_placeholder(request, feature, scenario), "WF703")):
        if problem:
            from ..steps import SpecError

            request.node.stash[_STEP_FAILED] = True
            steps = list(getattr(scenario, "steps", ()))
            if steps:
                report_failed_step(request, steps[0])
            raise SpecError(problem, code=code)


def report_failed_step(request: pytest.FixtureRequest, step: Any) -> None:
    """Mark ``step`` and the steps after it failed in pytest-bdd's scenario report (Cucumber JSON), which
    records only steps that ran: without this a scenario that stopped at a missing step shows green."""
    try:
        from pytest_bdd import reporting

        report = reporting.scenario_reports_registry.get(request.node)
        if report is not None:
            report.add_step_report(reporting.StepReport(step=step))
            report.fail()
    except Exception:  # pytest-bdd's reporting internals changed: the terminal report is unaffected
        pass


def unfilled_placeholder(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> str:
    """A Scenario Outline step whose ``<name>`` has no Examples column of that name keeps the text
    ``<name>``; say so at the step instead of letting the step read "<amount>" as a value."""
    callspec = getattr(request.node, "callspec", None)
    example = getattr(callspec, "params", {}).get("_pytest_bdd_example") if callspec is not None else None
    if not isinstance(example, dict) or not example:
        return ""
    from ..spelling import suggest

    for step in getattr(scenario, "steps", ()):
        for name in re.findall(r"<([^<>\n]+)>", str(getattr(step, "name", ""))):
            if name in example:
                continue
            close = suggest(name, list(example))
            return (f"{getattr(feature, 'filename', '')}:{getattr(step, 'line_number', '?')}: the step "
                    f"`{getattr(step, 'keyword', '')} {getattr(step, 'name', '')}` uses <{name}>, but the "
                    f"Examples table has no column {name!r}"
                    + (f"; did you mean {close[0]!r}?" if close else "")
                    + f" (columns: {', '.join(example)})")
    return ""


def lost_step(feature: Any, scenario: Any) -> str:
    """A misspelt keyword on a scenario's (or the background's) first step makes Gherkin read that step
    as free description text, so the scenario would run without it. Such a line is reported when the
    text after its first word is a step of the library (``Whne REQ sends ...``)."""
    from ..spelling import suggest
    from .library import STEPS

    background = getattr(feature, "background", None)
    for part, owner in ((scenario, "scenario"), (background, "background")):
        for line in str(getattr(part, "description", "") or "").splitlines():
            first, _, rest = line.strip().partition(" ")
            close = suggest(first, ("Given", "When", "Then", "And", "But"))
            step = next((st for st in STEPS if re.fullmatch(st.pattern, rest.strip())), None)
            if not close or step is None:
                continue
            where = str(getattr(feature, "filename", ""))
            number = ""
            try:
                lines = Path(where).read_text(encoding="utf-8").splitlines()
                start = int(getattr(part, "line_number", 0) or 0)
                number = str(next(i for i, t in enumerate(lines, 1)
                                  if i > start and t.strip() == line.strip()))
            except (OSError, StopIteration, ValueError):
                pass
            return (f"{where}:{number or '?'}: `{line.strip()}` does not start with a keyword, so Gherkin "
                    f"reads it as the {owner}'s description and the step would not run; did you mean "
                    f"`{step.kind} {rest.strip()}`?")
    return ""


@pytest.hookimpl(optionalhook=True)
def pytest_bdd_step_error(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any,
                          **_: Any) -> None:
    request.node.stash[_STEP_FAILED] = True
    where = f"{getattr(feature, 'filename', '')}:{getattr(step, 'line_number', '?')}"
    request.node.stash[_FAILED_STEP] = (f"{where}\nScenario: {getattr(scenario, 'name', '')}\n"
                                        f"  {getattr(step, 'keyword', '')} {getattr(step, 'name', '')}")


@pytest.hookimpl(optionalhook=True)
def pytest_bdd_step_func_lookup_error(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any,
                                      **_: Any) -> None:
    request.node.stash[_STEP_FAILED] = True  # the missing step's error is the one to show
    report_failed_step(request, step)
    from .library import missing_step_text

    where = f"{getattr(feature, 'filename', '')}:{getattr(step, 'line_number', '?')}"
    request.node.stash[_MISSING_STEP] = (
        f"{where}\nScenario: {getattr(scenario, 'name', '')}\n  {getattr(step, 'keyword', '')} "
        f"{getattr(step, 'name', '')}\n\n"
        + missing_step_text(str(getattr(step, "type", "")), str(getattr(step, "name", ""))))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A step of ours that fails reports in business terms: the feature line, the step and what the
    engine did, without pytest's fixture internals (``--tb=long`` shows the full traceback)."""
    report = yield
    if call.when == "call" and call.excinfo is not None and item.config.option.tbstyle == "auto":
        from ..steps import SpecError

        if isinstance(call.excinfo.value, SpecError):
            where = item.stash.get(_FAILED_STEP, "")
            report.longrepr = (f"{where}\n\n" if where else "") + str(call.excinfo.value)
        elif (type(call.excinfo.value).__name__ == "StepDefinitionNotFoundError"
              and _MISSING_STEP in item.stash):
            report.longrepr = item.stash[_MISSING_STEP]
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Any:
    """A .feature file that is not valid Gherkin (read when a test module calls ``scenarios``) is
    reported as its file, line and what is wrong (WF702), not as pytest-bdd's traceback."""
    report = yield
    call = getattr(report, "call", None)
    exc = getattr(getattr(call, "excinfo", None), "value", None)
    if report.failed and exc is not None and collector.config.option.tbstyle == "auto" and HAVE_PYTEST_BDD:
        from pytest_bdd.exceptions import GherkinParseError

        if isinstance(exc, GherkinParseError):
            report.longrepr = gherkin_error_text(exc)
    return report


KEYWORDS = ("Given", "When", "Then", "And", "But", "Scenario:", "Scenario Outline:", "Background:",
            "Examples:", "Feature:", "Rule:")


def gherkin_error_text(exc: Any) -> str:
    """pytest-bdd's GherkinParseError as a consultant reads it: file:line, the line, what is wrong."""
    import re

    from ..spelling import suggest

    filename = str(getattr(exc, "filename", "")) or "a .feature file"
    line = getattr(exc, "line", "?")
    content = str(getattr(exc, "line_content", "")).strip()
    message = f"{getattr(exc, 'message', exc)}\n{exc.__cause__ or ''}"
    problems = []
    for ln, col, text in re.findall(r"\((\d+):(\d+)\): (.+)", message):
        got = re.search(r"\bgot '(.*)'$", text.strip())
        if got:
            first = got.group(1).split()[0] if got.group(1).split() else ""
            close = suggest(first, KEYWORDS)
            text = ("the line does not start with a keyword (Given, When, Then, And, But, Scenario:, ...), "
                    "a table row | ... |, a doc string \"\"\" or a # comment"
                    + (f"; did you mean {close[0]!r} for {first!r}?" if close else ""))
        problems.append(f"{filename}:{ln}:{col}: {text.strip()}")
    if not problems:
        problems.append(f"{filename}:{line}: {message.strip()}")
    return (f"{filename}:{line}: the feature file is not valid Gherkin [WF702]\n"
            + "".join(f"  {x}\n" for x in dict.fromkeys(problems))
            + (f"  {line} | {content}\n" if content else "")
            + "Fix that line (a table row has as many | cells as its header). No scenario of this test "
              "module ran: pytest-bdd reads every feature file when the module is collected.")


@pytest.hookimpl(optionalhook=True)
def pytest_bdd_after_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    """A refusal that no Then step looked at fails the scenario (a When at the very end, say)."""
    __tracebackhide__ = True
    world = request.node.stash.get(_WORLD, None)
    if world is None or request.node.stash.get(_STEP_FAILED, False):
        return
    if world.error is not None and not world.error_checked:
        from ..steps import SpecError
        from .world import describe_error

        world.error_checked = True
        raise SpecError(f"the last action was refused and no Then step checked it: "
                        f"{describe_error(world.error)}\n\n{world.report()}")


@pytest.fixture
def werkstroom_world(request: pytest.FixtureRequest) -> Iterator[Any]:
    """The scenario's world: an engine on its own store with a virtual clock (see werkstroom.specs.world)."""
    if not HAVE_PYTEST_BDD:
        pytest.fail(NO_PYTEST_BDD, pytrace=False)
    from .world import World

    base = request.node.stash.get(_FEATURE_DIR, None) or Path(str(request.node.path)).parent
    world = World(base)  # a fresh in-memory SQLite store per scenario
    request.node.stash[_WORLD] = world
    try:
        yield world
    finally:
        world.close()
