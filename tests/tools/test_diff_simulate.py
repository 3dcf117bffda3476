"""`wf diff OLD NEW --simulate SCENARIO`: one scenario replayed on both versions, and where the outcomes
differ (or that they do not)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from werkstroom.cli import cli

from .test_diff_changes import BASE
from .test_diff_verdict import ROOT, STRANDS

# a change in the rejection branch only, which the scenario never takes
REJECTION = BASE.replace("reject approval requests, notify sender", "reject approval requests")

SCENARIO = f"""\
start = 2026-01-05T09:00:00Z
setup = "{(ROOT / 'examples' / 'organisation.toml').as_posix()}"

[[timeline]]
event = "PurchaseDocSentForApproval"
user = "BUYER"
expect = {{ outcome = "started", entries = 2 }}

[timeline.record]
document_type = "Invoice"
no = "PI-1"
status = "Open"
amount = "4500"
amount_lcy = "4500"
purchaser_code = "BY"

[[timeline]]
dispatch = true

[[timeline]]
delegate = "FINANCE"
expect = {{ outcome = "continued" }}

[[timeline]]
approve = "CONTROLLER"
expect = {{ status = "Released" }}
"""


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "old.wf").write_text(BASE, encoding="utf-8")
    (tmp_path / "strands.wf").write_text(STRANDS, encoding="utf-8")
    (tmp_path / "rejection.wf").write_text(REJECTION, encoding="utf-8")
    (tmp_path / "scenario.toml").write_text(SCENARIO, encoding="utf-8")
    return tmp_path


def _run(*args: str) -> tuple[int, str]:
    got = CliRunner().invoke(cli, ["diff", *args])
    return got.exit_code, got.stdout


def test_a_scenario_whose_outcome_differs(files: Path) -> None:
    code, out = _run(str(files / "old.wf"), str(files / "strands.wf"), "--simulate",
                     str(files / "scenario.toml"), "--format", "json")
    assert code == 1
    sim = json.loads(out)["simulation"]
    assert (sim["same"], sim["entries"], sim["first_difference"]) == (False, 4, 3)
    first = [d for d in sim["differences"] if d["entry"] == 3]
    seen = {d["aspect"]: (d["old"], d["new"]) for d in first}
    assert seen["outcome"] == (["ApprovalRequestDelegated: continued (PIAPW-T)"],
                               ["ApprovalRequestDelegated: no step waiting"])
    assert seen["fired step"] == (["step 14 (on ApprovalRequestDelegated)"], [])
    # the delegation is no step of the new version: the scenario's expectation is unmet there only
    unmet = "entry 3: expected outcome = 'continued', got 'no step waiting'"
    assert sim["unmet_expectations"] == {"old": [], "new": [unmet]}
    code, text = _run(str(files / "old.wf"), str(files / "strands.wf"), "--simulate",
                      str(files / "scenario.toml"))
    assert "the outcomes differ at 1 of 4 entries, first at entry 3" in text
    assert ("    outcome:\n      old: ApprovalRequestDelegated: continued (PIAPW-T)\n"
            "      new: ApprovalRequestDelegated: no step waiting\n") in text
    assert "    fired step: step 14 (on ApprovalRequestDelegated) -> (none)\n" in text


def test_a_scenario_whose_outcome_is_the_same(files: Path) -> None:
    code, out = _run(str(files / "old.wf"), str(files / "rejection.wf"), "--simulate",
                     str(files / "scenario.toml"), "--format", "json")
    data = json.loads(out)
    assert data["simulation"]["same"] is True and data["simulation"]["differences"] == []
    assert data["simulation"]["first_difference"] is None
    # the steps did change, and no store judges them: still exit 1
    assert data["workflows"][0]["status"] == "changed" and code == 1
    code, out = _run(str(files / "old.wf"), str(files / "old.wf"), "--simulate", str(files / "scenario.toml"))
    assert code == 0 and "the same outcome on both versions at every entry (4)" in out


def test_a_renumbered_step_that_fires_on_both_sides_is_the_same_step(files: Path) -> None:
    inserted = BASE.replace("     restrict record usage\n",
                            "     restrict record usage\n     show message \"x\"\n", 1)
    (files / "inserted.wf").write_text(inserted, encoding="utf-8")
    _code, out = _run(str(files / "old.wf"), str(files / "inserted.wf"), "--simulate",
                     str(files / "scenario.toml"), "--format", "json")
    sim = json.loads(out)["simulation"]
    # only the entry that runs the new response differs; the delegation fires step 14 (now 15) on both
    found = sorted({(d["entry"], d["aspect"]) for d in sim["differences"]})
    assert found == [(1, "effects"), (1, "responses")]


def test_a_scenario_on_two_deployed_versions(files: Path, engine_url: str) -> None:
    runner = CliRunner()
    for script in ("old.wf", "strands.wf"):
        got = runner.invoke(cli, ["--db", engine_url, "deploy", str(files / script)])
        assert got.exit_code == 0, got.output
    got = runner.invoke(cli, ["--db", engine_url, "diff", "--workflow", "PIAPW-T", "--simulate",
                              str(files / "scenario.toml"), "--format", "json"])
    data = json.loads(got.stdout)
    assert got.exit_code == 1 and data["simulation"]["first_difference"] == 3
    assert data["verdict"] == "safe"  # nothing runs in that store


def test_a_lasting_difference_is_reported_where_it_starts(files: Path) -> None:
    # the requests are due a day later: the entries differ from the first entry on, and go on differing
    # in that one field only while they are delegated and approved alike on both sides
    (files / "later.wf").write_text(BASE.replace("due in 2D", "due in 3D"), encoding="utf-8")
    code, out = _run(str(files / "old.wf"), str(files / "later.wf"), "--simulate",
                     str(files / "scenario.toml"), "--format", "json")
    [d] = json.loads(out)["simulation"]["differences"]
    assert (d["entry"], d["aspect"]) == (1, "approval entries")
    assert d["old"] == ["BUYER Approved (sequence 1, due 2026-01-07, 4500.00)",
                        "FINANCE Open (sequence 2, due 2026-01-07, 4500.00)"]
    assert d["new"] == ["BUYER Approved (sequence 1, due 2026-01-08, 4500.00)",
                        "FINANCE Open (sequence 2, due 2026-01-08, 4500.00)"]
    assert code == 1
