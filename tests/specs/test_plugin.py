"""The plugin: loaded by the pytest11 entry point, cheap for projects that do not use it, extensible
with step modules (ini option, partner libraries) and overridable from conftest.py."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from test_consultant_project import run_pytest

FEATURE = '''Feature: Extra steps
  Scenario: A project step next to the library's
    Given a purchase invoice "1001" of 700
    When the auditor looks at the purchase invoice "1001"
    Then the status of the purchase invoice "1001" is "Open"
'''

EXTRA_STEPS = '''
from werkstroom.specs.library import when, REF


@when("the auditor looks at " + REF, example='When the auditor looks at the purchase invoice "1001"')
def _(werkstroom_world, kind, id):
    """The auditor reads the record (nothing changes)."""
    t = werkstroom_world.thing(kind, id)
    werkstroom_world.note(f"the auditor looked at {t.label}")
'''


def test_entry_point_is_installed() -> None:
    eps = {ep.name: ep.value for ep in metadata.entry_points(group="pytest11")}
    assert eps.get("werkstroom") == "werkstroom.specs.plugin"


def test_plugin_is_cheap_for_projects_that_do_not_use_it(tmp_path: Path) -> None:
    """No engine, database layer, parser or store is imported by the plugin; with partner steps turned
    off not even the catalogue registry (installed partner libraries are loaded for their step
    modules, which is all they cost)."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "test_plain.py").write_text(
        "import os, sys\n\n"
        "def test_nothing_heavy_loaded():\n"
        "    heavy = [m for m in sys.modules if m.startswith(\n"
        "        ('sqlalchemy', 'lark', 'werkstroom.binding', 'werkstroom.engine', 'werkstroom.store',\n"
        "         'werkstroom.grammar',\n"
        "         'werkstroom.stdlib'))]\n"
        "    assert heavy == []\n"
        "    assert 'werkstroom.specs.plugin' in sys.modules\n"
        "    if os.environ.get('NO_PARTNERS'):\n"
        "        assert 'werkstroom.catalogue.catalogue' not in sys.modules\n", encoding="utf-8")
    result = run_pytest(tmp_path, "-q", "-p", "no:hypothesispytest", "-p", "no:benchmark")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
    result = run_pytest(tmp_path, "-q", "-p", "no:hypothesispytest", "-p", "no:benchmark",
                        "-o", "werkstroom_partner_steps=false", env={"NO_PARTNERS": "1"})
    assert result.returncode == 0, result.stdout + result.stderr


def test_extra_step_module_from_ini(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\nwerkstroom_step_modules =\n    auditsteps\n",
                                         encoding="utf-8")
    (tmp_path / "auditsteps.py").write_text(EXTRA_STEPS, encoding="utf-8")
    (tmp_path / "extra.feature").write_text(FEATURE, encoding="utf-8")
    (tmp_path / "test_extra.py").write_text("from pytest_bdd import scenarios\n\nscenarios('.')\n",
                                            encoding="utf-8")
    result = run_pytest(tmp_path, "-q")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_missing_ini_step_module_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\nwerkstroom_step_modules = no_such_steps_module\n",
                                         encoding="utf-8")
    (tmp_path / "test_x.py").write_text("def test_x():\n    pass\n", encoding="utf-8")
    result = run_pytest(tmp_path, "-q")
    assert result.returncode == 4, result.stdout + result.stderr
    assert "cannot import the step module 'no_such_steps_module'" in result.stderr


def test_conftest_step_overrides_the_library(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    # the same step text (here: the same regular expression) in conftest.py wins over the library's
    (tmp_path / "conftest.py").write_text(
        "from pytest_bdd import then, parsers\n"
        "from werkstroom.specs.library import REF\n\n"
        "@then(parsers.re('the status of ' + REF + r' is \"(?P<status>[^\"]*)\"'))\n"
        "def _(kind, id, status):\n"
        "    raise AssertionError('the project step ran')\n", encoding="utf-8")
    (tmp_path / "extra.feature").write_text(
        'Feature: Override\n  Scenario: Mine\n    Given a purchase invoice "1001" of 700\n'
        '    Then the status of the purchase invoice "1001" is "Open"\n', encoding="utf-8")
    (tmp_path / "test_extra.py").write_text("from pytest_bdd import scenarios\n\nscenarios('.')\n",
                                            encoding="utf-8")
    result = run_pytest(tmp_path, "-q")
    assert result.returncode == 1
    assert "the project step ran" in result.stdout


def test_opt_out(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "extra.feature").write_text(
        'Feature: Off\n  Scenario: Off\n    Given a purchase invoice "1001" of 700\n', encoding="utf-8")
    (tmp_path / "test_extra.py").write_text("from pytest_bdd import scenarios\n\nscenarios('.')\n",
                                            encoding="utf-8")
    result = run_pytest(tmp_path, "-q", "-p", "no:werkstroom")
    assert result.returncode == 1
    assert "Step definition is not found" in result.stdout


def test_unchecked_refusal_fails_the_scenario(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "refused.feature").write_text(
        'Feature: Refused\n  Scenario: Nobody looks\n    Given a purchase invoice "1001" of 700\n'
        '    When ANN approves the approval request\n', encoding="utf-8")
    (tmp_path / "test_r.py").write_text("from pytest_bdd import scenarios\n\nscenarios('.')\n",
                                        encoding="utf-8")
    result = run_pytest(tmp_path, "-q")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "the last action was refused and no Then step checked it" in result.stdout
    assert "there is no open approval request that ANN could approve" in result.stdout
