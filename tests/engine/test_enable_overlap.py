"""Enabling a workflow whose entry point overlaps an enabled one's on the same event is refused (WF428)
unless overlaps are allowed; the choice is kept on the workflow; `wf check --enable` exits 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from werkstroom import deploy
from werkstroom.cli import cli
from werkstroom.engine.facade import open_engine
from werkstroom.engine.lifecycle import EnableRefused

BIG = """workflow BIG "Big invoices"
  on PurchaseDocSentForApproval when document_type = Invoice and amount > 5000 then
     restrict record usage
"""
ANY = """workflow ANYINV "Any invoice over 1000"
  on PurchaseDocSentForApproval when document_type = Invoice and amount > 1000 then
     restrict record usage
"""
SMALL = """workflow SMALL "Small invoices"
  on PurchaseDocSentForApproval when document_type = Invoice and amount <= 5000 then
     restrict record usage
"""


def test_overlap_with_an_enabled_workflow_refuses_with_an_example_record(engine_url: str) -> None:
    eng = open_engine(engine_url)
    try:
        deploy(eng, BIG + "\n" + ANY + "\n" + SMALL, "inv.wf")
        eng.enable("BIG")
        eng.enable("SMALL")  # exclusive conditions: no overlap
        with pytest.raises(EnableRefused) as err:
            eng.enable("ANYINV")
        found = [d for d in err.value.diagnostics if d.code == "WF428"]
        assert found and found[0].is_error and "BIG" in found[0].message
        assert any("amount = 5001" in n for n in found[0].notes), found[0].notes
        assert not {w.code: w.enabled for w in eng.workflows()}["ANYINV"]
        # allowed explicitly: enabled with a warning, and the choice is kept for later enables
        warnings = eng.enable("ANYINV", allow_overlap=True)
        assert [w.code for w in warnings if w.code == "WF420"]
        eng.disable("ANYINV")
        assert [w.code for w in eng.enable("ANYINV")] == ["WF420", "WF420"]
    finally:
        eng.close()
    again = open_engine(engine_url)  # another process: the stored choice holds
    try:
        again.disable("ANYINV")
        assert "WF420" in [w.code for w in again.enable("ANYINV")]
        again.disable("ANYINV")
        with pytest.raises(EnableRefused):
            again.enable("ANYINV", allow_overlap=False)
    finally:
        again.close()


def test_cli_enable_refuses_an_overlap_and_allow_overlap_enables(tmp_path: Path) -> None:
    script = tmp_path / "inv.wf"
    script.write_text(BIG + "\n" + ANY, encoding="utf-8")
    db = ["--db", f"sqlite:///{tmp_path / 'w.db'}"]
    run = CliRunner()
    assert run.invoke(cli, [*db, "deploy", str(script)]).exit_code == 0
    assert run.invoke(cli, [*db, "enable", "BIG"]).exit_code == 0
    refused = run.invoke(cli, [*db, "enable", "ANYINV"])
    assert refused.exit_code == 1 and "WF428" in refused.output and "amount = 5001" in refused.output
    allowed = run.invoke(cli, [*db, "enable", "ANYINV", "--allow-overlap"])
    assert allowed.exit_code == 0 and "WF420" in allowed.output, allowed.output


def test_check_enable_on_several_files_exits_1_on_an_overlap(tmp_path: Path) -> None:
    (tmp_path / "big.wf").write_text(BIG, encoding="utf-8")
    (tmp_path / "any.wf").write_text(ANY, encoding="utf-8")
    files = [str(tmp_path / "big.wf"), str(tmp_path / "any.wf")]
    run = CliRunner()
    r = run.invoke(cli, ["check", "--enable", "--no-color", *files])
    assert r.exit_code == 1 and "WF428" in r.output and "amount = 5001" in r.output, r.output
    assert "WF420" not in r.output
    r = run.invoke(cli, ["check", "--enable", "--allow-overlap", "--no-color", *files])
    assert r.exit_code == 0 and "WF420" in r.output, r.output
    assert run.invoke(cli, ["check", "--no-color", *files]).exit_code == 0


def test_deploy_and_enable_is_all_or_nothing(engine_url: str) -> None:
    """Deploying several workflows with ``enable`` is one transaction: when one is refused (ANYINV
    overlaps BIG, enabled a moment before in the same call), none is stored or enabled."""
    from werkstroom.binding.sources import bind_text

    eng = open_engine(engine_url)
    try:
        program = bind_text(BIG + "\n" + SMALL + "\n" + ANY, "inv.wf", eng.catalogue)
        with pytest.raises(EnableRefused) as err:
            eng.deploy(program, enable=True)
        assert any(d.code == "WF428" and "BIG" in d.message for d in err.value.diagnostics)
        assert eng.workflows() == []
        # the versions the refused call stored are gone, ids and all: what is deployed next is itself
        done = eng.deploy(bind_text(SMALL, "small.wf", eng.catalogue), enable=True)
        assert [(d.code, d.version, d.enabled) for d in done] == [("SMALL", 1, True)]
        assert [(w.code, w.enabled) for w in eng.workflows()] == [("SMALL", True)]
        result = eng.emit("PurchaseDocSentForApproval", {"document_type": "Invoice", "no": "PI-1",
                                                         "amount": "3000", "status": "Open"}, user="U")
        assert [(h.workflow_code, h.outcome) for h in result.handled] == [("SMALL", "started")]
    finally:
        eng.close()


def test_cli_deploy_enable_of_several_scripts_stores_none_when_one_is_refused(tmp_path: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'wf.db'}"]
    (tmp_path / "big.wf").write_text(BIG, encoding="utf-8")
    (tmp_path / "any.wf").write_text(ANY, encoding="utf-8")
    (tmp_path / "broken.wf").write_text("workflow X\n  on NoSuchEvent then\n     release document\n",
                                        encoding="utf-8")
    run = CliRunner()
    refused = run.invoke(cli, [*db, "deploy", "--enable", str(tmp_path / "big.wf"), str(tmp_path / "any.wf")])
    assert refused.exit_code == 1 and "[WF507]" in refused.output, refused.output
    unreadable = run.invoke(cli, [*db, "deploy", str(tmp_path / "big.wf"), str(tmp_path / "broken.wf")])
    assert unreadable.exit_code == 1 and "nothing was deployed" in unreadable.output, unreadable.output
    assert run.invoke(cli, [*db, "workflows"]).output.strip() == ""  # neither call stored BIG
    both = run.invoke(cli, [*db, "deploy", "--enable", "--allow-overlap", str(tmp_path / "big.wf"),
                            str(tmp_path / "any.wf")])
    assert both.exit_code == 0, both.output
    assert both.output.count(": enabled") == 2
