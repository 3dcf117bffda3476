"""`wf export bc` refuses what BC's format cannot hold (WF865, WF868, WF869) with the place in the script,
and the two commands' files, exit codes and messages (WF864 for files that cannot be written)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from werkstroom.cli import cli

from .bcxml_lib import export

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("body", "event", "words"), [
    ("request approval from approver chain", "ClaimSent", "response `request_approval` is Werkstroom's own"),
    ("stamp the claim", "ClaimSent", "response `stamp_claim` is Werkstroom's own"),
    ("do nothing", "ClaimArchived", "event ClaimArchived is Werkstroom's own"),
])
def test_wf865_steps_without_a_bc_function_code(body: str, event: str, words: str) -> None:
    xml, result = export(f"workflow CLAIMS\n  on {event} then {body}\n")
    (d,) = result.diagnostics
    assert xml is None and d.code == "WF865" and words in d.message
    assert d.span is not None and d.span.line == 2


def test_wf865_suggests_bcs_two_responses_for_request_approval() -> None:
    _xml, result = export("workflow CLAIMS\n  on ClaimSent then request approval from approver chain\n")
    assert "create approval requests for ...` then `send approval requests`" in result.diagnostics[0].help


@pytest.mark.parametrize("option", ["quorum 2", "no self approval", "remind when overdue"])
def test_wf868_werkstroom_options_have_no_bc_field(option: str) -> None:
    xml, result = export(f"workflow CLAIMS\n  on ClaimSent then\n     create approval requests for workflow "
                         f"user group FIN, {option}\n")
    (d,) = result.diagnostics
    assert xml is None and d.code == "WF868" and "is Werkstroom's own" in d.message
    assert d.span is not None and d.span.line == 3


def test_wf868_webhook_options_are_not_in_bcs_file() -> None:
    xml, result = export('workflow HOOK\n  on PurchaseDocSentForApproval then\n'
                         '     call webhook, response type "User ID", answer from A\n')
    messages = [d.message for d in result.diagnostics]
    assert xml is None and [d.code for d in result.diagnostics] == ["WF868"], messages
    assert "BC's Response Type is not in BC's export file" in messages[0]


def test_wf868_a_notifications_own_message() -> None:
    xml, result = export('workflow CLAIMS\n  on ClaimSent then\n'
                         '     notify sender "Claim {document_no} sent"\n')
    (d,) = result.diagnostics
    assert xml is None and d.code == "WF868" and "is Werkstroom's own" in d.message
    assert d.span is not None and d.span.line == 3


def test_wf869_values_longer_than_bcs_fields() -> None:
    long = "x" * 101
    xml, result = export(f'workflow CLAIMS "{long}"\n  on ClaimSent then show message "{"y" * 251}"\n')
    assert xml is None
    assert [d.code for d in result.diagnostics] == ["WF869", "WF869"]
    assert "description has 101 characters" in result.diagnostics[0].message
    assert "`message` has 251 characters; BC's Message holds 250" in result.diagnostics[1].message


def test_every_problem_of_a_workflow_is_reported() -> None:
    xml, result = export("workflow CLAIMS\n  on ClaimSent when unnumbered > 1 then\n     stamp the claim\n"
                         "     create approval requests for workflow user group FIN, quorum 2\n")
    assert xml is None and [d.code for d in result.diagnostics] == ["WF867", "WF865", "WF868"]


def test_options_and_field_numbers_in_the_argument() -> None:
    xml, result = export('workflow CLAIMS\n  on ClaimChanged when amount increased then\n'
                         '     revert the value of amount\n'
                         '     create approval requests for specific approver "ANNA", due in 2W, '
                         'delegate after 2 days\n'
                         '     create a notification for BOB, entry type Approval, link to page 50, '
                         'custom link "https://x.test/a?b=1"\n')
    assert xml is not None and result.diagnostics == ()
    args = re.findall(rb"<WorkflowStepArgument (.*?)/>", xml)
    assert args == [
        b'ResponseFunctionName="REVERTVALUEFORFIELD" TableNumber="50200" FieldNumber="3" ',
        b'ResponseFunctionName="CREATEAPPROVALREQUESTS" ApproverType="1" ApproverLimitType="3" '
        b'DueDateFormula="2W" DelegateAfter="2" ApproverUserID="ANNA" ',
        b'ResponseFunctionName="CREATENOTIFICATIONENTRY" LinkTargetPage="50" '
        b'CustomLink="https://x.test/a?b=1" NotificationUserID="BOB" NotificationEntryType="Approval" ',
    ]


# --------------------------------------------------------------------------- the commands


def wf(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_export_then_import_on_the_command_line(tmp_path: Path) -> None:
    xml = tmp_path / "templates.xml"
    res = wf("export", "bc", str(ROOT / "werkstroom" / "stdlib" / "templates"), "-o", str(xml))
    assert res.exit_code == 0, res.output
    assert f"wrote {xml}" in res.stdout and "Exported 32 of 32 workflows." in res.stderr
    out = tmp_path / "out"
    res = wf("import", "bc", str(xml), "-o", str(out))
    assert res.exit_code == 0, res.output
    assert len(list(out.glob("MS-*.wf"))) == 32 and "Imported 32 of 32 workflows." in res.stderr
    assert wf("check", str(out)).exit_code == 0
    res = wf("import", "bc", str(xml), "-o", str(out))
    assert res.exit_code == 2 and res.stderr.count("[WF864]") == 32 and "--force" in res.stderr
    assert wf("import", "bc", str(xml), "-o", str(out), "--force").exit_code == 0


def test_export_to_standard_output(tmp_path: Path) -> None:
    res = wf("export", "bc", str(ROOT / "werkstroom" / "stdlib" / "templates" / "MS-PIW.wf"), "-o", "-")
    assert res.exit_code == 0
    assert res.stdout.startswith('<?xml version="1.0" encoding="utf-8"?>\n<Root>')
    assert 'Code="MS-PIW"' in res.stdout


def test_export_refusals_exit_1_and_show_the_script(tmp_path: Path) -> None:
    script = tmp_path / "eu.wf"
    script.write_text("workflow EU\n  on PurchaseDocReleased when amount > 1000 then\n"
                      "     request approval from approver chain\n", encoding="utf-8")
    res = wf("export", "bc", str(script), "-o", str(tmp_path / "eu.xml"))
    assert res.exit_code == 1 and not (tmp_path / "eu.xml").exists()
    assert "error[WF867]" in res.stderr and "field `amount` of PurchaseHeader" in res.stderr
    assert "error[WF865]" in res.stderr and "request approval from approver chain" in res.stderr
    assert "Exported 0 of 1 workflows; 2 errors." in res.stderr


def test_export_of_a_script_with_errors_exits_1(tmp_path: Path) -> None:
    script = tmp_path / "bad.wf"
    script.write_text("on NoSuchEvent then do nothing\n", encoding="utf-8")
    res = wf("export", "bc", str(script), "-o", str(tmp_path / "x.xml"))
    assert res.exit_code == 1 and "WF201" in res.stderr and "do not pass `wf check`" in res.stderr


def test_unreadable_and_unwritable_files_exit_2(tmp_path: Path) -> None:
    res = wf("import", "bc", str(tmp_path / "missing.xml"), "-o", str(tmp_path))
    assert res.exit_code == 2 and "[WF100]" in res.stderr
    template = str(ROOT / "werkstroom" / "stdlib" / "templates" / "MS-PIW.wf")
    res = wf("export", "bc", template, "-o", str(tmp_path / "no" / "such" / "dir" / "x.xml"))
    code = "WF864"
    assert res.exit_code == 2 and f"[{code}]" in res.stderr and "cannot write" in res.stderr
    res = wf("export", "bc", str(tmp_path / "missing.wf"), "-o", str(tmp_path / "x.xml"))
    assert res.exit_code == 2 and "[WF100]" in res.stderr


def test_import_findings_as_json(tmp_path: Path) -> None:
    import json

    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<Root><Workflow Code='A'></Root>")
    res = wf("import", "bc", str(bad), "-o", str(tmp_path / "out"), "--format", "json")
    assert res.exit_code == 1
    (d,) = json.loads(res.stdout)
    assert d["code"] == "WF850" and d["file"] == str(bad) and d["start"]["line"] == 1


def test_every_tools_code_is_asserted_by_a_test_and_documented() -> None:
    from werkstroom.codes import CODES
    from werkstroom.codes import tools as tool_codes

    here = Path(__file__).parent
    sources = "\n".join(p.read_text(encoding="utf-8") for p in here.glob("test_bcxml_*.py"))
    asserted = set(re.findall(r'"(WF8[56]\d)"', sources))
    mine = {c.code for c in tool_codes.CODES if "WF850" <= c.code <= "WF869"}
    assert len(mine) == 20 and mine <= asserted
    docs = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    for code in mine:
        assert CODES[code].code == code
        assert re.search(rf"^### {code}$", docs, re.M), code
