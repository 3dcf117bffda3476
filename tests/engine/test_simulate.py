"""`wf simulate` and the persistent CLI on the real stdlib, approvals and notifications."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from werkstroom import deploy
from werkstroom.cli import cli
from werkstroom.simulation.run import ScenarioError, load_scenario, parse_advance, simulate

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "purchase-invoice-eu.wf"
SCENARIO = ROOT / "examples" / "scenarios" / "purchase-invoice-eu.toml"

SCRIPT = """\
workflow PIAPW-T "Purchase invoice approval (test)"
  category PURCHDOC

  on PurchaseDocSentForApproval
     when document_type = Invoice and status = Open and amount > 1000
  then
     restrict record usage
     set status to pending approval
     create approval requests for approver chain, due in 2D
     send approval requests as send

     on ApprovalRequestApproved when pending_approvals = 0 then
        allow record usage
        release document
     on ApprovalRequestApproved when pending_approvals > 0 then
        send approval requests
        continue at send
     on ApprovalRequestRejected then
        reject approval requests, notify sender
        reopen document
     on PurchaseDocApprovalRequestCanceled then
        cancel approval requests
        allow record usage
        reopen document
"""

SETUP = """\
[[users]]
id = "BUYER"
approver = "FINANCE"
purchase_limit = 1000
salesperson_purchaser_code = "BY"
email = "buyer@example.com"

[[users]]
id = "FINANCE"
approver = "CEO"
purchase_limit = 10000
email = "finance@example.com"

[[users]]
id = "CEO"
approver = "CEO"
unlimited_purchase = true
email = "ceo@example.com"
"""


def write(tmp_path: Path, timeline: str) -> tuple[Path, Path]:
    script = tmp_path / "flow.wf"
    script.write_text(SCRIPT)
    (tmp_path / "org.toml").write_text(SETUP)
    scenario = tmp_path / "scenario.toml"
    scenario.write_text('title = "t"\nsetup = "org.toml"\n' + timeline)
    return script, scenario


TWO_APPROVERS = """
[[timeline]]
event = "PurchaseDocSentForApproval"
user = "BUYER"
record = { document_type = "Invoice", no = "PI-9", status = "Open", amount = "25000", \
amount_lcy = "25000", purchaser_code = "BY" }
expect = { outcome = "started", entries = 3, status = "Pending Approval", restricted = true }

[[timeline]]
approve = "FINANCE"
expect = { step = 9, running = 1 }

[[timeline]]
advance = "1D"

[[timeline]]
approve = "CEO"
comment = "ok"
expect = { step = 6, status = "Released", archived = true, running = 0 }
"""


def test_simulation_follows_the_approver_chain(tmp_path: Path) -> None:
    script, scenario = write(tmp_path, TWO_APPROVERS)
    sim = simulate([script], scenario)
    assert sim.ok, [s.failed_expectations or s.error for s in sim.steps]
    first = sim.steps[0]
    fired = first.handled[0]["fired"]
    assert fired["step_id"] == 1
    assert ["amount > 1000", [["amount", "25000"]], True] in [list(map(_listify, t)) for t in fired["tests"]]
    approve_more = sim.steps[1].handled[0]
    # why not: the "all approved" alternative was tested first and did not hold
    assert approve_more["not_fired"][0]["step_id"] == 6
    assert approve_more["not_fired"][0]["tests"][0][1] == [("pending_approvals", 1)]
    assert [e["status"] for e in sim.steps[-1].approval_entries] == ["Approved", "Approved", "Approved"]
    assert sim.steps[2].at < sim.steps[3].at  # the virtual clock moved


def test_scenario_user_ids_are_case_insensitive(tmp_path: Path) -> None:
    """`user = "buyer"` is BUYER, as in BC (was WF601: no setup for 'buyer')."""
    timeline = (TWO_APPROVERS.replace('user = "BUYER"', 'user = "buyer"')
                .replace('approve = "FINANCE"', 'approve = "Finance"')
                .replace('approve = "CEO"', 'approve = "ceo"'))
    script, scenario = write(tmp_path, timeline)
    sim = simulate([script], scenario)
    assert sim.ok, [s.failed_expectations or s.error for s in sim.steps]
    assert [s.user for s in sim.steps] == ["BUYER", "FINANCE", "(job queue)", "CEO"]
    r = CliRunner().invoke(cli, ["simulate", str(script), "--scenario", str(scenario)])
    assert r.exit_code == 0 and "WF601" not in r.output, r.output


def _listify(v: object) -> object:
    if isinstance(v, tuple | list):
        return [_listify(x) for x in v]
    return v


def test_failed_expectation_and_refusal_make_the_run_fail(tmp_path: Path) -> None:
    script, scenario = write(tmp_path, TWO_APPROVERS.replace('expect = { step = 9, running = 1 }',
                                                             'expect = { step = 6 }'))
    sim = simulate([script], scenario)
    assert not sim.ok
    assert sim.steps[1].failed_expectations == ["expected step = 6, got 9"]
    result = CliRunner().invoke(cli, ["simulate", str(script), "--scenario", str(scenario)])
    assert result.exit_code == 1
    assert "EXPECTATION FAILED: expected step = 6, got 9" in result.output


def test_shipped_example_simulates_cleanly() -> None:
    result = CliRunner().invoke(cli, ["simulate", str(EXAMPLE), "--scenario", str(SCENARIO)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "fired step 1: on PurchaseDocSentForApproval" in out
    assert "✗ amount > 1000" in out and "(amount is 800)" in out
    assert "not taken: PIAPW-EU step 6" not in out or "pending_approvals" in out
    assert "Result: every step went as expected." in out
    data = json.loads(CliRunner().invoke(cli, ["simulate", str(EXAMPLE), "--scenario", str(SCENARIO),
                                               "--json"]).output)
    assert data["ok"] is True and data["workflows"][0]["code"] == "PIAPW-EU"
    assert data["steps"][0]["handled"][0]["outcome"] == "no workflow matched"


@pytest.mark.parametrize("text, message", [
    ("[[timeline]]\nuser = \"X\"\n", "exactly one of"),
    ("[[timeline]]\nevent = \"A\"\napprove = \"B\"\n", "exactly one of"),
    ("[[timeline]]\nevent = \"A\"\ncolour = 1\n", "unknown key"),
    ("[[timeline]]\nevent = \"A\"\nexpect = { mood = 1 }\n", "unknown expectation"),
    ("bogus = 1\n", "unknown top-level"),
    ("[[timeline\n", "not valid TOML"),
    # what a consultant writes by mistake: each names the entry and what to write (no internal error)
    ("tite = \"x\"\n", r"unknown top-level key\(s\) tite \(did you mean title\?\)"),
    ("[[timeline]]\nevent = \"A\"\nusr = \"B\"\n",
     r"entry 1 has unknown key\(s\) usr \(did you mean user\?\)"),
    ("[[timeline]]\nevent = \"A\"\nexpect = { staus = \"Open\" }\n", r"staus \(did you mean status\?\)"),
    ("[[timeline]]\nevent = \"A\"\nexpect = \"Open\"\n", "expect must be a table"),
    ("[[timeline]]\nevent = \"A\"\nexpect = { entries = \"2\" }\n", "expect.entries = '2' must be a number"),
    ("[[timeline]]\nevent = \"A\"\nexpect = { restricted = \"yes\" }\n", "must be true or false"),
    ("[[timeline]]\napprove = \"FINANCE\"\nentry = \"abc\"\n",
     "entry = 'abc' must be an approval entry number"),
    ("[[timeline]]\napprove = 5\n", "approve = 5 must be a user id in quotes"),
    ("[[timeline]]\nevent = \"A\"\nold = \"x\"\n", "old must be a table"),
    ("timeline = 5\n", "timeline must be a list of tables"),
    ("records = 5\n", "records must be a list of tables"),
    ("scripts = \"flow.wf\"\n", "scripts must be a list of file names"),
])
def test_invalid_scenarios_are_wf511(tmp_path: Path, text: str, message: str) -> None:
    p = tmp_path / "s.toml"
    p.write_text(text)
    with pytest.raises(ScenarioError, match=message) as err:
        load_scenario(p)
    assert err.value.code == "WF511"


def test_cli_json_refusal_is_a_json_error_object(tmp_path: Path) -> None:
    p = tmp_path / "s.toml"
    p.write_text("tite = \"x\"\n")
    r = CliRunner().invoke(cli, ["simulate", str(EXAMPLE), "--scenario", str(p), "--json"])
    assert r.exit_code == 1
    assert json.loads(r.stdout) == {"error": {"code": "WF511", "message": f"{p}: unknown top-level key(s) "
                                                                       "tite (did you mean title?)"}}
    assert "[WF511]" in r.stderr  # the line for people, as without --json
    (tmp_path / "bad.wf").write_text("on Nope then release document\n")
    (tmp_path / "ok.toml").write_text("title = \"t\"\n")
    r = CliRunner().invoke(cli, ["simulate", str(tmp_path / "bad.wf"),
                                 "--scenario", str(tmp_path / "ok.toml"), "--json"])
    error = json.loads(r.stdout)["error"]
    assert r.exit_code == 1 and error["code"] == "WF201" and error["diagnostics"][0]["start"]["line"] == 1


def test_misspelt_event_is_refused_with_the_closest_name(tmp_path: Path) -> None:
    script, scenario = write(tmp_path, TWO_APPROVERS.replace('event = "PurchaseDocSentForApproval"',
                                                             'event = "PurchaseDocSentForAproval"'))
    sim = simulate([script], scenario)
    first = sim.steps[0]
    assert first.error is not None and first.error["code"] == "WF503"
    assert "did you mean 'PurchaseDocSentForApproval'?" in first.error["message"]
    assert first.title == "PurchaseDocSentForAproval"  # the entry says what it tried, even when refused
    assert sim.steps[1].title == "FINANCE approves an approval request"


def test_expected_error_matches_the_cause_of_a_failed_response(tmp_path: Path) -> None:
    """The timeline shows a response's refusal as WF505 with its cause (WF601); expecting the cause
    is what a consultant writes after reading it."""
    entry = TWO_APPROVERS.split("[[timeline]]")[1].replace('user = "BUYER"', 'user = "NOBODY"')
    entry = entry.replace('expect = { outcome = "started", entries = 3, status = "Pending Approval", '
                          'restricted = true }', 'expect = { error = "WF601" }')
    script, scenario = write(tmp_path, "[[timeline]]" + entry)
    sim = simulate([script], scenario)
    assert sim.ok, [(s.error, s.failed_expectations) for s in sim.steps]
    assert sim.steps[0].error is not None and sim.steps[0].error["code"] == "WF505"
    scenario.write_text(scenario.read_text().replace('error = "WF601"', 'error = "WF612"'))
    sim = simulate([script], scenario)
    assert sim.steps[0].failed_expectations == ["expected error = 'WF612', got 'WF505' (caused by WF601)"]


def test_records_entries_name_the_entry_and_the_closest_type(tmp_path: Path) -> None:
    script, scenario = write(tmp_path, "")
    scenario.write_text('setup = "org.toml"\n[[records]]\ntype = "Vendr"\nvalues = { no = "V1" }\n')
    with pytest.raises(ScenarioError, match="records entry 1: unknown record type 'Vendr'; did you mean "
                                            "'Vendor'") as err:
        simulate([script], scenario)
    assert err.value.code == "WF511"
    scenario.write_text('setup = "org.toml"\n[[records]]\ntype = "Vendor"\n'
                        'values = { no = "V1", blockd = true }\n')
    with pytest.raises(ScenarioError, match=r"records entry 1 \(Vendor\): .*no field 'blockd'") as err:
        simulate([script], scenario)
    assert err.value.code == "WF502"


def test_advance_accepts_formulas_and_hours() -> None:
    import datetime as dt

    now = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    assert parse_advance("2D", now) == dt.datetime(2026, 1, 7, 9, 0, tzinfo=dt.UTC)
    assert parse_advance("3h", now) == dt.datetime(2026, 1, 5, 12, 0, tzinfo=dt.UTC)
    assert parse_advance("CM", now).date() == dt.date(2026, 1, 31)
    with pytest.raises(ScenarioError):
        parse_advance("soon", now)


def test_persistent_cli_round_trip(tmp_path: Path, engine_url: str) -> None:
    script, _ = write(tmp_path, "")
    run = CliRunner()
    base = ["--db", engine_url]
    r = run.invoke(cli, [*base, "deploy", str(script)])
    assert r.exit_code == 0, r.output
    assert "PIAPW-T: version 1 (new version" in r.output
    assert run.invoke(cli, [*base, "enable", "PIAPW-T"]).output.strip() == "PIAPW-T: enabled"
    r = run.invoke(cli, [*base, "emit", "PurchaseDocSentForApproval",
                         '{"document_type": "Invoice", "no": "PI-1", "status": "Open", "amount": 5.5}',
                         "--user", "BUYER"])
    assert r.exit_code == 0, r.output
    assert "no enabled workflow's entry condition held" in r.output
    assert "(amount is 5.5)" in r.output  # a JSON number arrives as Decimal, not float
    r = run.invoke(cli, [*base, "show", "PurchaseHeader", "Invoice|PI-1", "--json"])
    assert json.loads(r.output)["values"]["amount"] == "5.5"
    r = run.invoke(cli, [*base, "emit", "PurchaseDocSentForApproval", '{"no": "PI-1", "amount": "x"}',
                         "--user", "BUYER"])
    assert r.exit_code == 1 and "WF502" in r.output
    assert run.invoke(cli, [*base, "instances"]).output.strip() == "no running instances"
    assert "the archive is empty" in run.invoke(cli, [*base, "archive"]).output
    r = run.invoke(cli, [*base, "workflows", "--json"])
    assert json.loads(r.output)[0]["enabled"] is True
    r = run.invoke(cli, [*base, "delete", "PIAPW-T"])
    assert r.exit_code == 1 and "disable it" in r.output
    assert run.invoke(cli, [*base, "disable", "PIAPW-T"]).exit_code == 0
    assert run.invoke(cli, [*base, "delete", "PIAPW-T"]).output.strip() == "PIAPW-T: deleted"


def test_templates_installed_copied_and_guarded(tmp_path: Path) -> None:
    run = CliRunner()
    base = ["--db", f"sqlite:///{tmp_path / 'w.db'}"]
    from werkstroom.binding.libraries import load_catalogue

    n = len(load_catalogue()[0].templates)
    assert n >= 32  # BC's MS- templates at least
    r = run.invoke(cli, [*base, "deploy", "--templates"])
    assert r.exit_code == 0 and f"{n} templates stored ({n} new or changed)" in r.output
    r = run.invoke(cli, [*base, "deploy", "--templates"])
    assert f"{n} templates stored (0 new or changed)" in r.output
    r = run.invoke(cli, [*base, "enable", "MS-PIAPW"])
    assert r.exit_code == 1 and "WF506" in r.output
    assert run.invoke(cli, [*base, "copy", "MS-PIAPW", "MY-PIAPW"]).exit_code == 0
    assert run.invoke(cli, [*base, "enable", "MY-PIAPW"]).exit_code == 0
    r = run.invoke(cli, [*base, "delete", "MS-PIAPW"])
    assert r.exit_code == 1 and "templates cannot be deleted" in r.output
    assert run.invoke(cli, [*base, "deploy"]).exit_code == 2


@pytest.mark.parametrize("scenario", sorted((ROOT / "examples" / "scenarios").glob("*.toml")),
                         ids=lambda p: p.stem)
def test_every_shipped_scenario_runs_as_expected(scenario: Path) -> None:
    result = CliRunner().invoke(cli, ["simulate", "--scenario", str(scenario)])
    assert result.exit_code == 0, result.output
    assert "Result: every step went as expected." in result.output


def test_cancel_and_redelivery_in_a_scenario(tmp_path: Path) -> None:
    script, scenario = write(tmp_path, """
[[timeline]]
event = "PurchaseDocSentForApproval"
user = "BUYER"
idempotency_key = "m1"
record = { document_type = "Invoice", no = "PI-5", status = "Open", amount = "5000", purchaser_code = "BY" }

[[timeline]]
note = "the ERP sends the same message again"
event = "PurchaseDocSentForApproval"
user = "BUYER"
idempotency_key = "m1"
record = { document_type = "Invoice", no = "PI-5", status = "Open", amount = "5000", purchaser_code = "BY" }
expect = { outcome = "started", running = 1, entries = 2 }

[[timeline]]
cancel = "BUYER"
expect = { step = 14, status = "Open", restricted = false, archived = true, running = 0 }
""")
    sim = simulate([script], scenario)
    assert sim.ok, [(s.n, s.failed_expectations, s.error) for s in sim.steps]
    assert sim.steps[1].replayed and not sim.steps[0].replayed
    assert sim.steps[2].title.startswith("PurchaseDocApprovalRequestCanceled on PurchaseHeader")
    assert [e["status"] for e in sim.steps[2].approval_entries] == ["Canceled", "Canceled"]


def test_enable_runs_the_binder_checks_across_enabled_workflows(tmp_path: Path) -> None:
    from werkstroom import open_engine
    from werkstroom.engine.lifecycle import EnableRefused

    eng = open_engine(f"sqlite:///{tmp_path / 'w.db'}")
    try:
        deploy(eng, SCRIPT, "a.wf")
        eng.enable("PIAPW-T")
        deploy(eng, SCRIPT.replace("PIAPW-T", "PIAPW-T2"), "b.wf")
        with pytest.raises(EnableRefused) as err:
            eng.enable("PIAPW-T2")
        assert err.value.code == "WF507"
        assert [d.code for d in err.value.diagnostics if d.is_error] == ["WF413"]
        assert not next(w for w in eng.workflows() if w.code == "PIAPW-T2").enabled
    finally:
        eng.close()


def test_simulation_on_a_given_database_needs_it_empty(tmp_path: Path) -> None:
    script, scenario = write(tmp_path, TWO_APPROVERS)
    url = f"sqlite:///{tmp_path / 'sim.db'}"
    assert simulate([script], scenario, url=url).ok
    with pytest.raises(ScenarioError, match="empty database"):
        simulate([script], scenario, url=url)


def test_wf_timers_delegates_overdue_requests(tmp_path: Path) -> None:
    import tomllib

    from werkstroom import open_engine
    from werkstroom.engine.approvals.setup import load_setup
    from werkstroom.engine.clock import VirtualClock

    url = f"sqlite:///{tmp_path / 'w.db'}"
    run = CliRunner()
    assert run.invoke(cli, ["--db", url, "timers"]).output.strip() == "nothing was due"
    # a request sent in January (virtual clock) with "delegate after 5D" is long due by now
    eng = open_engine(url, clock=VirtualClock())
    try:
        with eng.transaction() as uow:
            load_setup(uow, tomllib.loads((ROOT / "examples" / "organisation.toml").read_text()))
        deploy(eng, EXAMPLE.read_text(), str(EXAMPLE))
        eng.enable("PIAPW-EU")
        eng.emit("PurchaseDocSentForApproval", {"document_type": "Invoice", "no": "PI-1", "status": "Open",
                                                "amount": "3000", "purchaser_code": "BY"}, user="BUYER")
    finally:
        eng.close()
    r = run.invoke(cli, ["--db", url, "timers"])
    assert r.exit_code == 0, r.output
    assert "event ApprovalRequestDelegated" in r.output and "delegated to CONTROLLER" in r.output
    assert "continued workflow PIAPW-EU" in r.output
    assert run.invoke(cli, ["--db", url, "timers"]).output.strip() == "nothing was due"
