"""`wf templates list|show|copy` and `wf check --enable`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from werkstroom.cli import cli


def run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(cli, list(args))
    return res.exit_code, res.output


def test_list_shows_all_32_templates() -> None:
    code, out = run("templates", "list", "--json")
    assert code == 0
    rows = [r for r in json.loads(out) if r["code"].startswith("MS-")]  # partners may add their own
    assert len(rows) == 32
    piapw = next(r for r in rows if r["code"] == "MS-PIAPW")
    assert piapw["category"] == "PURCHDOC" and piapw["description"] == "Purchase Invoice Approval Workflow"


def test_show_prints_text_and_steps() -> None:
    code, out = run("templates", "show", "MS-PIAPW")
    assert code == 0 and "workflow MS-PIAPW" in out and "continue at send" in out
    code, out = run("templates", "show", "piapw", "--steps")
    assert code == 0
    line10 = next(ln for ln in out.splitlines() if ln.split()[:1] == ["10"])
    assert line10.split()[:4] == ["10", "9", "0", "5"] and "send_approval_requests" in line10


def test_show_unknown_template_suggests() -> None:
    code, out = run("templates", "show", "MS-PIAWP")
    assert code == 1 and "did you mean `MS-PIAPW`?" in out and "[WF509]" in out


def test_unknown_template_is_wf509_exit_1_like_an_unknown_workflow() -> None:
    for args in (("show", "MS-NOPE"), ("copy", "MS-NOPE", "x.wf")):
        code, out = run("templates", *args)
        assert code == 1 and "there is no template `MS-NOPE`" in out and "[WF509]" in out, out


def test_copy_gets_bc_style_codes_and_binds(tmp_path: Path) -> None:
    code, out = run("templates", "copy", "MS-PIAPW", str(tmp_path))
    assert code == 0 and "as workflow PIAPW-01" in out
    code, out = run("templates", "copy", "MS-PIAPW", str(tmp_path))
    assert code == 0 and "as workflow PIAPW-02" in out
    text = (tmp_path / "PIAPW-01.wf").read_text(encoding="utf-8")
    assert 'workflow PIAPW-01 "Purchase Invoice Approval Workflow"' in text and "MS-PIAPW\"" not in text
    code, out = run("check", str(tmp_path / "PIAPW-01.wf"))
    assert code == 0, out
    # an ordinary workflow: it can be enabled
    code, out = run("check", "--enable", str(tmp_path / "PIAPW-01.wf"))
    assert code == 0, out
    # the two copies conflict when enabled together (BC's entry-point uniqueness)
    code, out = run("check", "--enable", "--format", "short", str(tmp_path))
    assert code == 1 and "WF413" in out and "WF420" in out


def test_copy_with_own_code_and_refusals(tmp_path: Path) -> None:
    dest = tmp_path / "inc.wf"
    code, out = run("templates", "copy", "MS-INCDOC", str(dest), "--code", "inc-new")
    assert code == 0 and "as workflow INC-NEW" in out and "to do before enabling" in out
    code, out = run("templates", "copy", "MS-INCDOC", str(dest), "--code", "inc-new")
    assert code == 1 and "exists" in out
    code, out = run("templates", "copy", "MS-INCDOC", str(tmp_path / "b.wf"), "--code", "MS-MINE")
    assert code == 2 and "reserved" in out
    code, out = run("check", "--enable", "--format", "short", str(dest))
    assert code == 1 and "error[WF412]" in out


def test_enable_refuses_templates() -> None:
    root = Path(__file__).resolve().parents[2]
    code, out = run("check", "--enable", "--format", "short",
                    str(root / "werkstroom" / "stdlib" / "templates" / "MS-OVERDUE.wf"))
    assert code == 1 and "error[WF410]" in out


def test_copy_to_a_place_that_cannot_be_written_is_wf115(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("")
    res = CliRunner().invoke(cli, ["templates", "copy", "MS-PIAPW", str(tmp_path / "afile" / "x.wf")])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert res.exit_code == 2 and "cannot write" in res.output and "[WF115]" in res.output
