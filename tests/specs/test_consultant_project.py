"""The consultant's project runs with plain pytest, and a changed limit makes the right scenario fail
with a message that explains why (the issue's "done when")."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2] / "examples" / "consultant-project"


def run_pytest(folder: Path, *args: str,
               env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}, **(env or {})}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=folder,
                          env=env, capture_output=True, text=True, timeout=300)


def copy(tmp_path: Path) -> Path:
    dest = tmp_path / "contoso"
    shutil.copytree(PROJECT, dest, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    return dest


def test_project_passes_as_shipped(tmp_path: Path) -> None:
    result = run_pytest(copy(tmp_path), "-q")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "7 passed" in result.stdout


def test_changed_limit_fails_the_right_scenario_and_says_why(tmp_path: Path) -> None:
    project = copy(tmp_path)
    wf = project / "purchase-approval.wf"
    text = wf.read_text(encoding="utf-8")
    assert "amount_lcy > 500\n" in text
    wf.write_text(text.replace("amount_lcy > 500\n", "amount_lcy > 5000\n"), encoding="utf-8")
    result = run_pytest(project, "-q", "-p", "no:randomly")
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    # the scenarios about invoices of 3000 and 4000 fail; the 12000 and 450 ones still pass
    assert "FAILED test_features.py::test_the_purchasing_manager_approves_an_invoice_within_his_limit" in out
    assert "test_a_large_invoice_needs_the_finance_director_too" not in out.split("short test summary")[1]
    assert "test_a_small_invoice_needs_no_approval" not in out.split("short test summary")[1]
    # the message: what was expected, what the engine made, and why the step did not fire
    assert "the approval entries differ." in out
    assert "| MANAGER  | 2        | Open     | 2026-01-07 |" in out
    assert "Approval entries now: none" in out
    assert "amount_lcy > 5000: false [amount_lcy=4000]" in out


def test_main_suite_does_not_collect_the_consultant_project() -> None:
    root = PROJECT.parents[1]
    result = run_pytest(root, "--collect-only", "-q", "features")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "consultant-project" not in result.stdout


def test_failure_report_reads_as_business_text(tmp_path: Path) -> None:
    project = copy(tmp_path)
    wf = project / "purchase-approval.wf"
    wf.write_text(wf.read_text(encoding="utf-8").replace("amount_lcy > 500\n", "amount_lcy > 5000\n"),
                  encoding="utf-8")
    out = run_pytest(project, "-q", "-k", "within_his_limit").stdout
    # the feature line, the scenario and the failing step, then the explanation; no pytest internals
    assert ("organisation.feature:24\n"
            "Scenario: The purchasing manager approves an invoice within his limit\n"
            '  Then the approval entries for the purchase invoice "PI-101" are:') in out
    assert "fixtures.py" not in out and "call_fixture_func" not in out
    # with --tb=long the full traceback is still there for whoever debugs a step
    long = run_pytest(project, "-q", "-k", "within_his_limit", "--tb=long").stdout
    assert "entries_are" in long
