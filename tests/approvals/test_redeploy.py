"""Deploying a new version of an enabled workflow: the new version goes live at once, so it passes the
enable checks first, on every path (the Python API, `wf deploy`, the behaviour specs' World). A
refused version is not stored: the current version stays in use, and the workflows after it in the
script are not stored either."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from werkstroom import deploy
from werkstroom.cli import cli
from werkstroom.engine.clock import SequentialIds, VirtualClock
from werkstroom.engine.facade import Engine, open_engine
from werkstroom.engine.lifecycle import EnableRefused
from werkstroom.specs.world import World

GOOD = """\
workflow PIW-T "Purchase invoices"
  on PurchaseDocSentForApproval when document_type = Invoice and amount > 1000 then
     restrict record usage
     create approval requests for approver chain
     send approval requests
"""
# the same workflow without the group its approver type needs: WF305 (a warning) when checked,
# WF412 (an error) at enable
NOT_READY = GOOD.replace("for approver chain", "for workflow user group").replace("1000", "2000")
# its entry point is the same as the one of OTHER, which is enabled: WF413 at enable
CLASHING = GOOD.replace(" when document_type = Invoice and amount > 1000", " when document_type = Order")
OTHER = """\
workflow PO-T "Purchase orders"
  on PurchaseDocSentForApproval when document_type = Order then restrict record usage
"""


@pytest.fixture
def engine(engine_url: str) -> Iterator[Engine]:
    eng = open_engine(engine_url, clock=VirtualClock(), ids=SequentialIds())
    deploy(eng, GOOD, "piw.wf")
    eng.enable("PIW-T")
    try:
        yield eng
    finally:
        eng.close()


def _current(engine: Engine) -> dict[str, tuple[int, bool]]:
    return {w.code: (w.version, w.enabled) for w in engine.workflows()}


@pytest.mark.parametrize("text, code", [(NOT_READY, "WF412"), (CLASHING, "WF413")], ids=["options", "clash"])
def test_a_new_version_that_fails_the_enable_checks_is_not_deployed(engine: Engine, text: str,
                                                                     code: str) -> None:
    deploy(engine, OTHER, "po.wf")
    engine.enable("PO-T")
    with pytest.raises(EnableRefused) as info:
        deploy(engine, text, "piw.wf")
    assert info.value.code == "WF507" and "PIW-T is enabled" in info.value.message
    assert "version 1 stays in use" in info.value.message
    assert [d.code for d in info.value.diagnostics if d.is_error] == [code]
    assert _current(engine) == {"PIW-T": (1, True), "PO-T": (1, True)}
    assert engine.workflow("PIW-T").steps[0].condition_text == "document_type = Invoice and amount > 1000"


def test_a_new_version_that_passes_goes_live(engine: Engine) -> None:
    [d] = deploy(engine, GOOD.replace("1000", "5000"), "piw.wf")
    assert (d.version, d.new_version, d.enabled, d.warnings) == (2, True, True, ())
    assert _current(engine) == {"PIW-T": (2, True)}


def test_a_disabled_workflow_takes_any_version(engine: Engine) -> None:
    engine.disable("PIW-T")
    [d] = deploy(engine, NOT_READY, "piw.wf")
    assert (d.version, d.enabled) == (2, False)
    with pytest.raises(EnableRefused):
        engine.enable("PIW-T")


def test_the_workflows_after_a_refused_one_are_not_stored(engine: Engine) -> None:
    with pytest.raises(EnableRefused):
        deploy(engine, NOT_READY + "\n" + OTHER, "both.wf")
    assert _current(engine) == {"PIW-T": (1, True)}


def test_wf_deploy_refuses_the_new_version(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'wf.db'}"
    script = tmp_path / "piw.wf"
    script.write_text(GOOD, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", db, "deploy", "--enable", str(script)]).exit_code == 0
    script.write_text(NOT_READY, encoding="utf-8")
    r = runner.invoke(cli, ["--db", db, "deploy", str(script)])
    assert r.exit_code == 1
    assert "PIW-T is enabled, and its new version fails the enable checks: it was not deployed" in r.output
    assert "WF412" in r.output
    listed = runner.invoke(cli, ["--db", db, "workflows", "--json"])
    assert '"version": 1' in listed.output and '"enabled": true' in listed.output


def test_the_specs_world_refuses_the_new_version() -> None:
    world = World()
    try:
        world.deploy_and_enable(GOOD, "piw.wf")
        world.attempt("enable the changed workflow", lambda: world.deploy_and_enable(NOT_READY, "piw.wf"))
        assert isinstance(world.error, EnableRefused)
        assert {w.code: w.version for w in world.engine.workflows()} == {"PIW-T": 1}
    finally:
        world.close()
