"""`wf diff` on the command line: its usage errors and codes (WF870-WF873), exit codes, and the shape of
its JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from werkstroom import deploy
from werkstroom.binding.sources import bind_text
from werkstroom.cli import COMMANDS, cli
from werkstroom.codes import CODES
from werkstroom.engine.clock import SequentialIds, VirtualClock
from werkstroom.engine.facade import open_engine

from .test_diff_changes import BASE
from .test_diff_verdict import INVOICE, ROOT, STRANDS


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "old.wf").write_text(BASE, encoding="utf-8")
    (tmp_path / "new.wf").write_text(STRANDS, encoding="utf-8")
    (tmp_path / "broken.wf").write_text(BASE.replace("restrict record usage", "restrikt record usage"),
                                        encoding="utf-8")
    return tmp_path


def _run(*args: str) -> tuple[int, str, str]:
    got = CliRunner().invoke(cli, list(args))
    return got.exit_code, got.stdout, got.stderr


def test_the_command_is_listed_and_its_codes_declared() -> None:
    assert "diff" in COMMANDS
    for code in ("WF870", "WF871", "WF872", "WF873"):
        assert code in CODES


@pytest.mark.parametrize("args", [[], ["a.wf"], ["a.wf", "b.wf", "c.wf"]], ids=["none", "one", "three"])
def test_wf870_without_two_versions_to_compare(args: list[str]) -> None:
    code, _out, err = _run("diff", *args)
    assert code == 2 and "[WF870]" in err and "wf diff OLD.wf NEW.wf" in err


def test_wf870_from_and_to_only_pick_deployed_versions(files: Path) -> None:
    code, _out, err = _run("diff", str(files / "old.wf"), str(files / "new.wf"), "--from", "1")
    assert code == 2 and "[WF870]" in err and "--workflow CODE and no scripts" in err


def test_wf871_a_workflow_or_version_the_store_does_not_have(engine_url: str) -> None:
    code, _out, err = _run("--db", engine_url, "diff", "--workflow", "PIAPW-T")
    assert code == 2 and "there is no workflow 'PIAPW-T' in the store (deployed: none)" in err
    with open_engine(engine_url) as eng:
        deploy(eng, BASE, "piapw.wf")
    code, _out, err = _run("--db", engine_url, "diff", "--workflow", "PIAPW-T")
    assert code == 2 and "[WF871]" in err and "PIAPW-T has only one version" in err
    code, out, err = _run("--db", engine_url, "diff", "--workflow", "PIAPW-T", "--to", "3",
                          "--format", "json")
    assert code == 2 and json.loads(out)["error"]["code"] == "WF871"
    assert "PIAPW-T has no version 3 (--to); its versions are 1 to 1" in err


def test_wf872_a_workflow_neither_script_has(files: Path) -> None:
    code, _out, err = _run("diff", str(files / "old.wf"), str(files / "new.wf"), "--workflow", "NOPE")
    assert code == 2 and "[WF872]" in err and "(they have: PIAPW-T)" in err


def test_wf873_a_version_without_source_cannot_be_replayed(engine_url: str, tmp_path: Path) -> None:
    with open_engine(engine_url) as eng:
        for text in (BASE, STRANDS):
            [wf] = bind_text(text, "piapw.wf", eng.catalogue).workflows
            eng.deploy_workflow(wf.__class__(wf.code, wf.description, wf.category, wf.steps))
    (tmp_path / "s.toml").write_text("", encoding="utf-8")
    code, _out, err = _run("--db", engine_url, "diff", "--workflow", "PIAPW-T", "--simulate",
                           str(tmp_path / "s.toml"))
    assert code == 2 and "[WF873]" in err
    # without the scenario the versions compare (their responses named, as no source quotes them)
    code, out, _err = _run("--db", engine_url, "diff", "--workflow", "PIAPW-T")
    assert code == 0 and "removed step 14 (on ApprovalRequestDelegated), with step 15 under it" in out


def test_a_file_that_cannot_be_read_exits_2_and_a_script_with_errors_1(files: Path) -> None:
    code, _out, err = _run("diff", str(files / "old.wf"), str(files / "missing.wf"))
    assert code == 2 and "[WF100]" in err
    code, out, err = _run("diff", str(files / "old.wf"), str(files / "broken.wf"), "--format", "json")
    assert code == 1 and json.loads(out)["error"]["code"] == "WF203"
    assert json.loads(out)["error"]["diagnostics"][0]["code"] == "WF203"


def _keys(data: dict[str, Any]) -> list[str]:
    return sorted(data)


def test_the_json_shape(files: Path, engine_url: str) -> None:
    with open_engine(engine_url, clock=VirtualClock(), ids=SequentialIds()) as eng:
        eng.load_setup(ROOT / "examples" / "organisation.toml")
        deploy(eng, BASE, "piapw.wf")
        eng.enable("PIAPW-T")
        eng.emit("PurchaseDocSentForApproval", {**INVOICE, "no": "PI-1"}, user="BUYER")
    code, out, _err = _run("--db", engine_url, "diff", str(files / "old.wf"), str(files / "new.wf"),
                           "--format", "json")
    data = json.loads(out)
    assert code == 1 == data["exit"]
    assert _keys(data) == ["changed", "exit", "new", "old", "simulation", "store", "verdict", "workflows"]
    assert (data["changed"], data["verdict"], data["simulation"]) == (True, "strands instances", None)
    [w] = data["workflows"]
    assert _keys(w) == ["changes", "code", "deployed", "new_code", "old_code", "status", "verdict"]
    [c] = w["changes"]
    assert c == {"kind": "removed", "step_kind": "event", "old_step": 14, "new_step": None,
                 "place": "PurchaseDocSentForApproval > ApprovalRequestDelegated",
                 "text": "on ApprovalRequestDelegated", "before": None, "after": None, "below": [15]}
    v = w["verdict"]
    assert _keys(v) == ["counts", "instances", "running", "target", "verdict", "workflow"]
    [i] = v["instances"]
    assert _keys(i) == ["id", "mapping", "reasons", "record_key", "record_type", "started_by", "state",
                        "version", "waiting"]
    assert i["mapping"] == {"6": 6, "9": 9, "11": 11, "14": None}
    assert i["waiting"][3] == {"step": 14, "text": "on ApprovalRequestDelegated",
                               "place": "PurchaseDocSentForApproval > ApprovalRequestDelegated",
                               "new_step": None}


def test_the_text_report(files: Path) -> None:
    code, out, _err = _run("diff", str(files / "old.wf"), str(files / "new.wf"))
    assert code == 1
    assert out.splitlines() == [
        f"--- {files / 'old.wf'}", f"+++ {files / 'new.wf'}", "PIAPW-T: 1 change",
        "  at PurchaseDocSentForApproval > ApprovalRequestDelegated",
        "    - removed step 14 (on ApprovalRequestDelegated), with step 15 under it"]
