"""A consultant's mistakes in .feature files: each fails at its feature line with a code and says what
to write instead (a misspelt step, a wrong keyword, a Gherkin syntax error, unknown names and columns,
amounts and dates in other formats, missing or broken .wf files, a misspelt event name)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from test_consultant_project import PROJECT, run_pytest

from werkstroom.specs.world import SpecError, amount_text

BACKGROUND = """\
  Background:
    Given the approval users:
      | user    | approver | purchase limit |
      | BUYER   | MANAGER  |                |
      | MANAGER | MANAGER  | unlimited      |
    And the workflow in "../purchase-approval.wf" is enabled
"""

SCENARIOS = {
    "misspelt step": """\
    Given a purchase invoice "PI-1" of 4000
    When BUYER send the purchase invoice "PI-1" for aproval""",
    "wrong keyword": """\
    Given a purchase invoice "PI-1" of 4000
    Given BUYER sends the purchase invoice "PI-1" for approval""",
    "euro amount": """\
    Given a purchase invoice "PI-1" of 1.000,00""",
    "decimal comma": """\
    Given a purchase invoice "PI-1" of 1000,50""",
    "thousands amount": """\
    Given a purchase invoice "PI-1" of 1,000.50
    When BUYER sends the purchase invoice "PI-1" for approval
    Then the approval entries for the purchase invoice "PI-1" are:
      | approver | amount   |
      | BUYER    | 1,000.50 |
      | MANAGER  | 1000.5   |""",
    "text amount in a table": """\
    Given a purchase invoice "PI-1" with:
      | amount | abc |""",
    "misspelt field": """\
    Given a purchase invoice "PI-1" with:
      | amout | 100 |""",
    "misspelt kind": """\
    Given a purchase invoce "PI-1" of 4000""",
    "limit in another format": """\
    Given the approval users:
      | user | approver | purchase limit |
      | BOSS | BOSS     | 5.000,00       |""",
    "misspelt member column": """\
    Given the workflow user group "BOARD" with the members:
      | usr | sequence |
      | ANN | 1        |""",
    "no such day": """\
    Given today is 2026-02-30""",
    "misspelt event": """\
    Given a purchase invoice "PI-1" of 4000
    When "PurchaseDocReleasd" happens for the purchase invoice "PI-1" as BUYER""",
    "missing workflow file": """\
    Given the workflow in "../purchase-aproval.wf" is enabled""",
    "broken workflow file": """\
    Given the workflow in "../broken.wf" is enabled""",
    "misspelt key in a then": """\
    Given a purchase invoice "PI-100" of 4000
    Then the status of the purchase invoice "PI-10" is "Open\"""",
}


def _test_name(scenario: str) -> str:
    return "test_" + re.sub(r"\W+", "_", scenario)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """One pytest run of a copied consultant project with a scenario per mistake: each scenario's report."""
    folder = tmp_path_factory.mktemp("mistakes") / "contoso"
    shutil.copytree(PROJECT, folder, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    (folder / "broken.wf").write_text("on PurchaseDocReleased when amount > 1000\n"
                                      "   request approval from approver chain\n", encoding="utf-8")
    text = "Feature: Mistakes\n\n" + BACKGROUND + "".join(
        f"\n  Scenario: {name}\n{steps}\n" for name, steps in SCENARIOS.items())
    (folder / "features" / "mistakes.feature").write_text(text, encoding="utf-8")
    result = run_pytest(folder, "-q", "-k", "not organisation and not delays and not withdraws and not "
                        "two_days and not rejected and not cannot_approve")
    out = result.stdout
    sections = re.split(r"^_{3,} (test_\w+) _{3,}$", out, flags=re.M)
    found = dict(zip(sections[1::2], sections[2::2], strict=True))
    return {name: found.get(_test_name(name), "") for name in SCENARIOS} | {"_all": out + result.stderr}


def _feature_line(steps: str, needle: str) -> int:
    """The line of the mistakes.feature step that contains ``needle`` in scenario ``steps``."""
    text = "Feature: Mistakes\n\n" + BACKGROUND + "".join(
        f"\n  Scenario: {name}\n{s}\n" for name, s in SCENARIOS.items())
    start = text.index(steps)
    return text[:start + steps.index(needle)].count("\n") + 1


def test_misspelt_step_names_the_closest_step(report: dict[str, str]) -> None:
    out = report["misspelt step"]
    line = _feature_line(SCENARIOS["misspelt step"], "When BUYER send")
    assert f"mistakes.feature:{line}" in out, report["_all"]
    assert "[WF701]" in out
    assert 'Did you mean the step `When <user> sends the <record> "<key>" for approval`?' in out
    assert "StepDefinitionNotFoundError" not in out and "Traceback" not in out


def test_wrong_keyword_names_the_keyword(report: dict[str, str]) -> None:
    out = report["wrong keyword"]
    assert "[WF701]" in out, report["_all"]
    assert 'This is a When step: write `When BUYER sends the purchase invoice "PI-1" for approval`' in out


def test_amount_in_another_format_is_refused_not_misread(report: dict[str, str]) -> None:
    for name, shown in (("euro amount", "'1.000,00'"), ("decimal comma", "'1000,50'"),
                        ("text amount in a table", "amount: 'abc'")):
        out = report[name]
        assert f"{shown} is not an amount" in out, (name, report["_all"])
        assert "[WF703]" in out and "1,234.50" in out
        assert "StepDefinitionNotFoundError" not in out


def test_thousands_separators_are_read_in_steps_and_tables(report: dict[str, str]) -> None:
    assert "test_thousands_amount" not in report["_all"].split("short test summary info")[-1], report["_all"]
    assert report["thousands amount"] == ""


def test_unknown_names_get_a_did_you_mean(report: dict[str, str]) -> None:
    assert "has no field 'amout'; did you mean 'amount'?" in report["misspelt field"], report["_all"]
    assert ("unknown kind of record 'purchase invoce'; did you mean 'purchase invoice'?"
            in report["misspelt kind"])
    assert ("unknown column 'usr' in the members table; did you mean 'user'?"
            in report["misspelt member column"])
    for name in ("misspelt field", "misspelt kind", "misspelt member column"):
        assert "[WF703]" in report[name], name


def test_limit_in_another_format_is_refused(report: dict[str, str]) -> None:
    out = report["limit in another format"]
    assert "purchase limit of BOSS: '5.000,00' is not an amount" in out and "[WF703]" in out, report["_all"]


def test_impossible_date_is_a_message_not_a_traceback(report: dict[str, str]) -> None:
    out = report["no such day"]
    assert "2026-02-30 is not a date" in out and "[WF703]" in out, report["_all"]
    assert "ValueError" not in out and "fixturefunc" not in out


def test_misspelt_event_fails_the_step_with_the_closest_name(report: dict[str, str]) -> None:
    out = report["misspelt event"]
    line = _feature_line(SCENARIOS["misspelt event"], 'When "PurchaseDocReleasd"')
    assert f"mistakes.feature:{line}" in out, report["_all"]
    assert "did you mean 'PurchaseDocReleased'?" in out and "[WF503]" in out


def test_missing_workflow_file_lists_the_folder(report: dict[str, str]) -> None:
    out = report["missing workflow file"]
    assert "did you mean 'purchase-approval.wf'?" in out and "[WF100]" in out, report["_all"]


def test_broken_workflow_file_shows_its_errors_with_line_and_caret(report: dict[str, str]) -> None:
    out = report["broken workflow file"]
    assert "error[WF103]" in out, report["_all"]
    assert re.search(r"--> \S*broken\.wf:1:42", out)
    assert "^ expected `then` here" in out


def test_then_on_a_record_nobody_made_names_the_records_made(report: dict[str, str]) -> None:
    out = report["misspelt key in a then"]
    assert ('no earlier step made purchase invoice "PI-10"; did you mean \'purchase invoice "PI-100"\'?'
            in out), report["_all"]
    assert "[WF703]" in out and 'but it is "None"' not in out


def _feature_project(tmp_path: Path) -> None:
    """A consultant's folder: a pytest.ini and one test module running every .feature file in it."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "test_f.py").write_text("from pytest_bdd import scenarios\n\nscenarios('.')\n",
                                        encoding="utf-8")


def test_outline_placeholder_without_examples_column(tmp_path: Path) -> None:
    _feature_project(tmp_path)
    (tmp_path / "outline.feature").write_text(
        "Feature: Outline\n  Scenario Outline: Amounts\n    Given a purchase invoice \"1\" of <amount>\n"
        "    Examples:\n      | amont |\n      | 100   |\n", encoding="utf-8")
    out = run_pytest(tmp_path, "-q").stdout
    assert ("outline.feature:3: the step `Given a purchase invoice \"1\" of <amount>` uses <amount>, but "
            "the Examples table has no column 'amount'; did you mean 'amont'? (columns: amont) [WF703]"
            in out), out


def test_invalid_gherkin_names_file_and_line(tmp_path: Path) -> None:
    _feature_project(tmp_path)
    (tmp_path / "ragged.feature").write_text(
        "Feature: Ragged\n  Scenario: Ragged\n    Given the approval users:\n      | user | approver |\n"
        "      | ANN  | ANN      | x |\n", encoding="utf-8")
    result = run_pytest(tmp_path, "-q")
    out = result.stdout
    assert result.returncode != 0
    assert "ragged.feature:5: the feature file is not valid Gherkin [WF702]" in out, out
    assert "inconsistent cell count within the table" in out
    assert "gherkin_parser.py" not in out and "CompositeParserException" not in out
    (tmp_path / "ragged.feature").write_text(
        "Feature: Keyword\n  Scenario: Keyword\n    Given a purchase invoice \"1\" of 5\n"
        "    Whne ANN sends the purchase invoice \"1\" for approval\n", encoding="utf-8")
    out = run_pytest(tmp_path, "-q").stdout
    assert "ragged.feature:4: the feature file is not valid Gherkin [WF702]" in out, out
    assert "did you mean 'When' for 'Whne'?" in out


def test_misspelt_keyword_of_a_first_step_does_not_drop_the_step(tmp_path: Path) -> None:
    """Gherkin reads a misspelt first step as the scenario's description; the scenario must not pass
    without it."""
    _feature_project(tmp_path)
    (tmp_path / "lost.feature").write_text(
        "Feature: Lost\n  Scenario: Lost\n    Givn a purchase invoice \"1\" of 5\n"
        "    Then the clock shows 2026-01-05\n", encoding="utf-8")
    result = run_pytest(tmp_path, "-q")
    out = result.stdout
    assert result.returncode == 1, out
    assert "lost.feature:3: `Givn a purchase invoice \"1\" of 5` does not start with a keyword" in out
    assert 'did you mean `Given a purchase invoice "1" of 5`? [WF702]' in out


def test_amount_text() -> None:
    assert amount_text("1234.50") == "1234.50"
    assert amount_text("1,234.50") == "1234.50"
    assert amount_text("-1,000") == "-1000"
    for bad in ("1,5", "1000,50", "1.000,00", "12,34,567", "abc", ""):
        with pytest.raises(SpecError, match="is not an amount") as err:
            amount_text(bad)
        assert err.value.code == "WF703"


def test_every_spec_code_is_documented_registered_and_asserted() -> None:
    from werkstroom.codes import CODES
    from werkstroom.codes import specs as spec_codes

    here = Path(__file__).resolve().parent
    docs = (here.parents[1] / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    sources = "\n".join(p.read_text(encoding="utf-8") for p in here.glob("test_*.py"))
    for info in spec_codes.CODES:
        assert CODES[info.code] is info
        assert f"\n### {info.code}\n" in docs, info.code
        assert f"[{info.code}]" in sources.replace(f'"{info.code}"', f"[{info.code}]"), info.code


def test_cucumber_json_marks_a_missing_or_lost_step_failed(tmp_path: Path) -> None:
    """pytest-bdd's Cucumber JSON records only steps that ran; a scenario stopped by a misspelt step
    must not show green on a CI dashboard."""
    import json

    _feature_project(tmp_path)
    (tmp_path / "c.feature").write_text(
        "Feature: C\n  Scenario: Missing\n    Given today is 2026-01-06\n"
        "    When 2 dayz pass\n    Then the clock shows 2026-01-08\n"
        "  Scenario: Lost\n    Givn today is 2026-01-06\n    Then the clock shows 2026-01-05\n",
        encoding="utf-8")
    report = tmp_path / "report.json"
    result = run_pytest(tmp_path, "-q", f"--cucumberjson={report}")
    assert result.returncode == 1, result.stdout
    (feature,) = json.loads(report.read_text(encoding="utf-8"))
    steps = {e["name"]: [(s["name"], s["result"]["status"]) for s in e["steps"]] for e in feature["elements"]}
    assert steps["Missing"] == [("today is 2026-01-06", "passed"), ("2 dayz pass", "failed"),
                                ("the clock shows 2026-01-08", "failed")]
    assert steps["Lost"] == [("the clock shows 2026-01-05", "failed")]
    missing = next(s for e in feature["elements"] for s in e["steps"] if s["name"] == "2 dayz pass")
    assert "[WF701]" in missing["result"]["error_message"]
