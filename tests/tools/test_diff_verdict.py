"""`wf diff`'s verdict for running instances, with real deployed versions and instances on SQLite and
PostgreSQL: safe, needs migration, strands instances; and the engine fact the verdict rests on (an
instance runs to its end on the version it started with)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from werkstroom import deploy
from werkstroom.cli import cli
from werkstroom.engine.clock import SequentialIds, VirtualClock
from werkstroom.engine.facade import Engine, open_engine
from werkstroom.tools.diff.compare import diff_deployed, diff_files

from .test_diff_changes import BASE

ROOT = Path(__file__).resolve().parents[2]
INVOICE = {"document_type": "Invoice", "status": "Open", "amount": "4500", "amount_lcy": "4500",
           "purchaser_code": "BY"}
# v2 variants of BASE
SAFE = (BASE.replace("amount > 1000", "amount > 2000")
        .replace("     restrict record usage\n",
                 "     show message \"Sent\"\n     restrict record usage\n", 1))
MIGRATE = SAFE.replace("reject approval requests, notify sender", "reject approval requests")
STRANDS = BASE.replace("     on ApprovalRequestDelegated then\n        send approval requests\n"
                       "        continue at send\n", "")


@pytest.fixture
def engine(engine_url: str) -> Iterator[Engine]:
    eng = open_engine(engine_url, clock=VirtualClock(), ids=SequentialIds())
    eng.load_setup(ROOT / "examples" / "organisation.toml")
    deploy(eng, BASE, "piapw.wf")
    eng.enable("PIAPW-T")
    try:
        yield eng
    finally:
        eng.close()


def _send(engine: Engine, no: str) -> str:
    result = engine.emit("PurchaseDocSentForApproval", {**INVOICE, "no": no}, user="BUYER")
    assert result.outcome == "started" and result.instance_id is not None
    return result.instance_id


def _waiting(engine: Engine, instance: str) -> list[int]:
    return [s.step_id for s in engine.steps(instance) if s.status == "Active"]


def _cli(engine_url: str, *args: str) -> tuple[int, Any]:
    got = CliRunner().invoke(cli, ["--db", engine_url, "diff", *args, "--format", "json"])
    return got.exit_code, json.loads(got.output)


def test_changes_behind_the_waiting_steps_are_safe(engine: Engine, engine_url: str) -> None:
    first = _send(engine, "PI-1")
    assert _waiting(engine, first) == [6, 9, 11, 14]
    deploy(engine, SAFE, "piapw.wf")
    report = diff_deployed(engine, "PIAPW-T")
    [w] = report.workflows
    assert [c.kind for c in w.changes] == ["condition", "added"]
    assert w.verdict is not None and w.verdict.verdict == "safe"
    [i] = w.verdict.instances
    assert (i.id, i.version, i.state, i.reasons) == (first, 1, "unaffected", ())
    assert [(x.step, x.new_step) for x in i.waiting] == [(6, 7), (9, 10), (11, 12), (14, 15)]
    assert report.exit_code == 0
    code, data = _cli(engine_url, "--workflow", "PIAPW-T")
    assert code == 0 and data["verdict"] == "safe" and data["exit"] == 0


def test_a_change_ahead_of_a_waiting_step_needs_migration(engine: Engine, engine_url: str) -> None:
    _send(engine, "PI-1")
    deploy(engine, MIGRATE, "piapw.wf")
    report = diff_deployed(engine, "PIAPW-T")
    [w] = report.workflows
    assert w.verdict is not None and w.verdict.verdict == "needs migration"
    [i] = w.verdict.instances
    assert i.state == "affected"
    assert i.reasons == ("changed ahead of it: options of step 12 (now 13) (reject approval requests): "
                         "notify_sender True -> False",)
    assert i.to_json()["mapping"] == {"6": 7, "9": 10, "11": 12, "14": 15}
    assert report.exit_code == 1
    code, data = _cli(engine_url, "--workflow", "PIAPW-T")
    assert code == 1 and data["verdict"] == "needs migration"
    assert data["workflows"][0]["verdict"]["counts"] == {"unaffected": 0, "affected": 1, "stranded": 0}


def test_a_removed_waiting_step_strands_the_instance(engine: Engine, engine_url: str) -> None:
    first = _send(engine, "PI-1")
    deploy(engine, STRANDS, "piapw.wf")
    [w] = diff_deployed(engine, "PIAPW-T").workflows
    assert w.verdict is not None and w.verdict.verdict == "strands instances"
    [i] = w.verdict.instances
    assert i.state == "stranded"
    assert i.reasons == ("waits on step 14 (on ApprovalRequestDelegated), which version 2 does not have",)
    assert [(x.step, x.new_step) for x in i.waiting] == [(6, 6), (9, 9), (11, 11), (14, None)]
    code, data = _cli(engine_url, "--workflow", "PIAPW-T", "--from", "1", "--to", "2")
    assert code == 1 and data["verdict"] == "strands instances"
    assert data["workflows"][0]["verdict"]["instances"][0]["id"] == first


def test_an_instance_runs_on_to_its_end_on_the_version_it_started_with(engine: Engine) -> None:
    """What the verdict rests on: a stranded instance is not broken, it goes on by its own version (here
    the delegation branch the new version removed), while a new instance starts on the new version."""
    first = _send(engine, "PI-1")
    deploy(engine, STRANDS, "piapw.wf")
    second = _send(engine, "PI-2")
    assert {i.id: i.version for i in engine.instances()} == {first: 1, second: 2}
    entry = next(e for e in engine.approval_entries(approver="FINANCE") if e.instance_id == first)
    handled = engine.delegate(entry.entry_id, "FINANCE").handled[0]
    assert (handled.outcome, handled.fired and handled.fired.step_id) == ("continued", 14)
    entry = next(e for e in engine.approval_entries(approver="FINANCE") if e.instance_id == second)
    assert engine.delegate(entry.entry_id, "FINANCE").handled[0].outcome == "no step waiting"


def test_each_instance_is_judged_from_its_own_version(engine: Engine) -> None:
    first = _send(engine, "PI-1")
    deploy(engine, SAFE, "piapw.wf")
    second = _send(engine, "PI-2")
    deploy(engine, MIGRATE, "piapw.wf")
    third = _send(engine, "PI-3")
    # versions 2 -> 3: the instance on version 1 is compared from version 1, the one on 3 is there already
    [w] = diff_deployed(engine, "PIAPW-T", 2, 3).workflows
    assert w.verdict is not None
    states = {i.id: (i.version, i.state) for i in w.verdict.instances}
    assert states == {first: (1, "affected"), second: (2, "affected"), third: (3, "unaffected")}
    assert w.verdict.instances[2].reasons == ("runs on version 3 already",)
    # against version 2, the instance on version 3 would lose the change made for it
    [w] = diff_deployed(engine, "PIAPW-T", 1, 2).workflows
    assert w.verdict is not None and w.verdict.verdict == "needs migration"
    assert {i.id: i.state for i in w.verdict.instances} == {first: "unaffected", second: "unaffected",
                                                            third: "affected"}


def test_no_running_instance_is_safe(engine: Engine) -> None:
    deploy(engine, STRANDS, "piapw.wf")
    [w] = diff_deployed(engine, "PIAPW-T").workflows
    assert w.verdict is not None and (w.verdict.verdict, w.verdict.instances) == ("safe", ())


def test_two_scripts_against_a_store(engine: Engine, tmp_path: Path) -> None:
    _send(engine, "PI-1")
    other = ('workflow PO-T "Orders"\n'
             '  on PurchaseDocSentForApproval when document_type = Order then\n     restrict record usage\n')
    (tmp_path / "old.wf").write_text(BASE + "\n" + other, encoding="utf-8")
    changed = other.replace("restrict", "show message \"O\"\n     restrict")
    (tmp_path / "new.wf").write_text(STRANDS + "\n" + changed, encoding="utf-8")
    report = diff_files(tmp_path / "old.wf", tmp_path / "new.wf", engine.catalogue, engine=engine, store="s")
    piapw, po = report.workflows
    assert piapw.verdict is not None and piapw.verdict.verdict == "strands instances"
    assert piapw.verdict.target == "the new version"
    # not deployed: no instance can run on it, but nothing covers its change either
    assert (po.deployed, po.verdict, po.attention) == (False, None, True)
    assert report.verdict == "strands instances" and report.exit_code == 1
