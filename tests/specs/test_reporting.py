"""Our steps work with pytest-bdd's Gherkin terminal reporter and Cucumber JSON, and a failing Then
step's message reaches both."""

from __future__ import annotations

import json
from pathlib import Path

from test_consultant_project import run_pytest

FEATURE = '''Feature: Reporting
  Background:
    Given the approval users:
      | user | approver | purchase limit |
      | REQ  | ANN      |                |
      | ANN  | ANN      | unlimited      |
    And the workflow is enabled:
      """
      workflow PI "Purchase invoices"
        on PurchaseDocSentForApproval when document_type = Invoice then
           set status to pending approval
           create approval requests for approver chain
           send approval requests
           on ApprovalRequestApproved when pending_approvals = 0 then release document
      """
    And a purchase invoice "1001" of 700

  Scenario: Approved
    When REQ sends the purchase invoice "1001" for approval
    And ANN approves the approval request
    Then the status of the purchase invoice "1001" is "Released"

  Scenario: Wrong expectation
    When REQ sends the purchase invoice "1001" for approval
    Then the status of the purchase invoice "1001" is "Released"
'''


def project(tmp_path: Path) -> Path:
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (tmp_path / "report.feature").write_text(FEATURE, encoding="utf-8")
    (tmp_path / "test_report.py").write_text("from pytest_bdd import scenarios\n\nscenarios('.')\n",
                                             encoding="utf-8")
    return tmp_path


def test_gherkin_terminal_reporter(tmp_path: Path) -> None:
    result = run_pytest(project(tmp_path), "-vv", "--gherkin-terminal-reporter")
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert "Feature: Reporting" in out
    assert "Scenario: Approved" in out
    assert 'When REQ sends the purchase invoice "1001" for approval' in out
    assert "PASSED" in out and "FAILED" in out
    assert 'expected the status of purchase invoice "1001" to be "Released", but it is "Pending Approval"' in out  # noqa: E501


def test_cucumber_json(tmp_path: Path) -> None:
    folder = project(tmp_path)
    report = tmp_path / "report.json"
    result = run_pytest(folder, "-q", f"--cucumberjson={report}")
    assert result.returncode == 1, result.stdout + result.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    (feature,) = data
    assert feature["name"] == "Reporting"
    scenarios = {e["name"]: e for e in feature["elements"]}
    assert set(scenarios) == {"Approved", "Wrong expectation"}
    ok = [s["result"]["status"] for s in scenarios["Approved"]["steps"]]
    assert ok and set(ok) == {"passed"}
    steps = scenarios["Wrong expectation"]["steps"]
    failed = [s for s in steps if s["result"]["status"] == "failed"]
    assert [s["name"] for s in failed] == ['the status of the purchase invoice "1001" is "Released"']
    message = failed[0]["result"].get("error_message", "")
    assert "Pending Approval" in message and "What the engine did" in message
