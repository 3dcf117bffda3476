"""`wf show FILE --grid`: BC's When Event / On Condition / Then Response grid for any workflow."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from werkstroom.binding.libraries import load_catalogue
from werkstroom.cli import cli
from werkstroom.tools.grid import grid_rows
from werkstroom.tools.steptree import load_workflows, step_tree

NESTED = """\
workflow NEST "Nested and jumping"
  on PurchaseDocSentForApproval then
     create approval requests for approver chain
     send approval requests as send
     on ApprovalRequestApproved when pending_approvals > 0 then continue at send
     on ApprovalRequestApproved when pending_approvals = 0 then
        release document
        on PurchaseDocReleased then
           show message "Released."
"""


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    res = CliRunner().invoke(cli, list(args), env=env)
    return res.exit_code, res.stdout, res.stderr


@pytest.fixture
def nested(tmp_path: Path) -> Path:
    path = tmp_path / "nested.wf"
    path.write_text(NESTED, encoding="utf-8")
    return path


def test_plain_grid_of_a_template() -> None:
    status, out, _ = run("show", "MS-PIAPW", "--grid")
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "MS-PIAPW: Purchase Invoice Approval Workflow  [PURCHDOC]"
    assert lines[1].split("  ")[0] == "When Event"
    col_condition = lines[1].index("On Condition")
    col_response = lines[1].index("Then Response")
    assert lines[2].startswith("PurchaseDocSentForApproval ")
    assert lines[2][col_condition:].startswith("document_type = Invoice and status = Open ")
    assert lines[2][col_response:] == "restrict record usage"
    assert [ln[col_response:] for ln in lines[3:6]] == [
        "set status to pending approval",
        "create approval requests for salesperson/purchaser direct approver, show confirmation",
        "send approval requests as send"]
    events = [ln[:col_condition].rstrip() for ln in lines[2:] if ln[:col_condition].strip()]
    assert events == ["PurchaseDocSentForApproval", "  ApprovalRequestApproved", "  ApprovalRequestApproved",
                      "  ApprovalRequestRejected", "  PurchaseDocApprovalRequestCanceled",
                      "  ApprovalRequestDelegated"]
    rejected = next(ln for ln in lines if ln.startswith("  ApprovalRequestRejected"))
    assert rejected[col_condition:col_response].strip() == "<Always>"
    delegated = next(ln for ln in lines if ln.startswith("  ApprovalRequestDelegated"))
    assert delegated[col_response:] == "send approval requests (continue at send)"


def test_nesting_levels_and_a_jump_on_the_event(nested: Path) -> None:
    rows = grid_rows(step_tree(load_workflows(str(nested)).workflows[0]))
    assert [(r.level, r.event, r.condition) for r in rows] == [
        (0, "PurchaseDocSentForApproval", ""),
        (1, "ApprovalRequestApproved", "pending_approvals > 0"),
        (1, "ApprovalRequestApproved", "pending_approvals = 0"),
        (2, "PurchaseDocReleased", "")]
    assert [r.line() for r in rows[1].responses] == ["continue at send"]  # the body is only a jump
    assert [r.line() for r in rows[3].responses] == ['show message "Released."']
    status, out, _ = run("show", str(nested), "--grid")
    assert status == 0 and "\n    PurchaseDocReleased " in out


def test_json_grid(nested: Path) -> None:
    status, out, _ = run("show", str(nested), "--grid", "--json")
    assert status == 0
    data = json.loads(out)
    assert [d["workflow"] for d in data] == ["NEST"]
    first = data[0]["rows"][0]
    assert first["step"] == 1 and first["level"] == 0 and first["condition"] == ""
    assert first["responses"][1] == {"step": 3, "text": "send approval requests", "label": "send",
                                     "continue_at": None}
    assert data[0]["rows"][1]["responses"] == [{"step": 4, "text": "", "label": None, "continue_at": "send"}]


def test_rich_table_on_a_terminal() -> None:
    status, out, _ = run("show", "MS-PIAPW", "--grid", env={"FORCE_COLOR": "1", "COLUMNS": "160"})
    assert status == 0 and "\x1b[" in out
    out = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert "┃ When Event" in out and "Then Response" in out and "<Always>" in out
    assert "send approval requests (continue at send)" in out


@pytest.mark.parametrize("code", sorted(t.code for t in load_catalogue()[0].templates))
def test_every_template_has_one_row_per_event_and_every_response(code: str) -> None:
    wf = load_workflows(code).workflows[0]
    rows = grid_rows(step_tree(wf))
    assert [r.step for r in rows] == [s.id for s in wf.steps if s.kind == "event"]
    listed = sorted(x.step for r in rows for x in r.responses if x.text)
    assert listed == [s.id for s in wf.steps if s.kind == "response"]


def test_grid_usage_errors(nested: Path) -> None:
    assert run("show", str(nested), "KEY", "--grid")[0] == 2
    assert run("show", str(nested), "--workflow", "NEST")[0] == 2
    status, _out, err = run("show", str(nested), "--grid", "--workflow", "NETS")
    assert status == 1 and "did you mean `NEST`?" in err and "[WF509]" in err
