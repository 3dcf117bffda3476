"""End to end with the real engine and stdlib: a purchase invoice through a 3-level approver chain,
rejection, delegation, refusals leaving everything unchanged; and the `wf` commands on a file database."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from apptools import Sink
from click.testing import CliRunner

from werkstroom import deploy
from werkstroom.cli import cli
from werkstroom.engine.clock import SequentialIds, VirtualClock
from werkstroom.engine.facade import Engine, open_engine
from werkstroom.errors import WerkstroomError

WORKFLOW = '''\
workflow PIAPW-T "Purchase invoice approval (test)"
  category PURCHDOC

  on PurchaseDocSentForApproval
     when document_type = Invoice and status = Open
  then
     restrict record usage
     set status to pending approval
     create approval requests for approver chain, due in 2D, delegate after "2 days"
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
     on ApprovalRequestDelegated then
        send approval requests
        continue at send
     on PurchaseDocApprovalRequestCanceled then
        cancel approval requests
        allow record usage
        reopen document
'''

ORG: dict[str, Any] = {"users": [
    {"id": "CEO", "approver": "CEO", "email": "ceo@example.test"},
    {"id": "BOB", "approver": "CEO", "purchase_limit": 10000, "email": "bob@example.test"},
    {"id": "ANN", "approver": "BOB", "purchase_limit": 1000, "email": "ann@example.test",
     "substitute": "SUE"},
    {"id": "SUE", "approver": "BOB", "purchase_limit": 1000, "email": "sue@example.test"},
    {"id": "REQ", "approver": "ANN", "email": "req@example.test"},
]}


def invoice(no: str = "1001", amount: str = "50000") -> dict[str, Any]:
    return {"document_type": "Invoice", "no": no, "status": "Open", "amount": Decimal(amount),
            "amount_lcy": Decimal(amount), "buy_from_vendor_no": "V1"}


def prepare(eng: Engine) -> None:
    deploy(eng, WORKFLOW, "test.wf")
    assert [d for d in eng.enable("PIAPW-T") if d.is_error] == []
    eng.load_setup(ORG)


@pytest.fixture()
def clock() -> VirtualClock:
    return VirtualClock(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC))


@pytest.fixture()
def eng(clock: VirtualClock, engine_url: str) -> Iterator[Engine]:
    """The engine on SQLite and on PostgreSQL (tests/conftest.py's engine_url)."""
    e = open_engine(engine_url, clock=clock, ids=SequentialIds())
    prepare(e)
    try:
        yield e
    finally:
        e.close()


def open_for(eng: Engine, approver: str) -> str:
    rows = eng.approval_entries(approver=approver, status="Open")
    assert len(rows) == 1, rows
    return str(rows[0].entry_no)


def test_chain_cycle_releases(eng: Engine) -> None:
    eng.emit("PurchaseDocSentForApproval", invoice(), user="REQ")
    assert eng.record_state("PurchaseHeader", "Invoice|1001").status == "Pending Approval"
    for who in ("ANN", "BOB", "CEO"):
        eng.approve(open_for(eng, who), who)
    state = eng.record_state("PurchaseHeader", "Invoice|1001")
    assert (state.status, state.restricted) == ("Released", False)


def test_reject_reopens(eng: Engine) -> None:
    eng.emit("PurchaseDocSentForApproval", invoice(), user="REQ")
    eng.approve(open_for(eng, "ANN"), "ANN")
    eng.reject(open_for(eng, "BOB"), "BOB", "not in budget")
    assert eng.record_state("PurchaseHeader", "Invoice|1001").status == "Open"
    statuses = [r.status for r in eng.approval_entries()]
    assert statuses == ["Rejected"] * 4


def test_user_ids_are_case_insensitive_codes(eng: Engine) -> None:
    """BC's user ids are Code[50]: `req` is REQ (was WF601: no setup for 'req')."""
    eng.emit("PurchaseDocSentForApproval", invoice(), user="req")
    assert {r.sender_id for r in eng.approval_entries()} == {"REQ"}
    for who in ("ann", "Bob", "ceo"):
        eng.approve(open_for(eng, who.upper()), who)
    state = eng.record_state("PurchaseHeader", "Invoice|1001")
    assert (state.status, state.restricted) == ("Released", False)


def test_refusal_rolls_back(eng: Engine) -> None:
    eng.emit("PurchaseDocSentForApproval", invoice(), user="REQ")
    before = eng.approval_entries()
    with pytest.raises(WerkstroomError) as err:
        eng.approve(open_for(eng, "ANN"), "BOB")
    assert err.value.code == "WF612"
    assert eng.approval_entries() == before


@pytest.mark.parametrize("engine_url", [pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
def test_a_concurrent_approval_with_the_same_key_answers_the_first_result(
        eng: Engine, engine_url: str, race: Any) -> None:
    # the approving user's client retries while the first request is still being handled: the retry
    # waits for it (PostgreSQL: the idempotency key's lock) and answers its result; before, it waited
    # for the entry's lock and then was refused (WF611, the entry was approved meanwhile)
    eng.emit("PurchaseDocSentForApproval", invoice(), user="REQ")
    entry = open_for(eng, "ANN")
    other = open_engine(engine_url, clock=VirtualClock(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)),
                        ids=SequentialIds(start=1000))
    try:
        mine, theirs = race(lambda: eng.approve(entry, "ANN", idempotency_key="tap-1"),
                            lambda: other.approve(entry, "ANN", idempotency_key="tap-1"))
    finally:
        other.close()
    assert not isinstance(theirs, Exception), theirs
    assert theirs.replayed and theirs.event_id == mine.event_id and not mine.replayed
    assert open_for(eng, "BOB")


def test_a_send_reads_each_thing_once(eng: Engine) -> None:
    # what an event reads first, and what creating approval requests reads first, is sent together
    # on PostgreSQL (reads sent ahead); a read sent ahead but not taken would be sent again
    eng.emit("PurchaseDocSentForApproval", invoice("999"), user="REQ")  # statements compiled, caches warm
    sent: list[tuple[str, str]] = []
    with eng.watch_statements(lambda statement, params, many: sent.append((statement, repr(params)))):
        eng.emit("PurchaseDocSentForApproval", invoice(), user="REQ", idempotency_key="send-1001")
    reads = [(s, p) for s, p in sent if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) == len(set(reads)), reads  # each statement with its parameters once
    assert any("wf_approval_user_setup" in s for s, _ in reads) and any("last_no" in s for s, _ in reads)


def test_delegation_by_timer_goes_through_the_workflow(eng: Engine, clock: VirtualClock) -> None:
    eng.emit("PurchaseDocSentForApproval", invoice(), user="REQ")
    clock.advance(dt.timedelta(days=2))
    eng.run_timers()
    entry = open_for(eng, "SUE")
    eng.approve(entry, "SUE")
    assert open_for(eng, "BOB")


# --------------------------------------------------------------------------- the wf commands


def run(db: str, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)


def test_cli(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'wf.db'}"
    org = tmp_path / "org.toml"
    org.write_text('[[users]]\nid = "CEO"\napprover = "CEO"\nemail = "ceo@example.test"\n'
                   '[[users]]\nid = "ANN"\napprover = "CEO"\npurchase_limit = 1000\n'
                   'email = "ann@example.test"\n'
                   '[[users]]\nid = "REQ"\napprover = "ANN"\nemail = "req@example.test"\n')
    r = run(db, "setup", "load", str(org))
    assert r.exit_code == 0 and "loaded 3 users" in r.output
    eng = open_engine(db, clock=VirtualClock(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)))
    try:
        deploy(eng, WORKFLOW, "test.wf")
        eng.enable("PIAPW-T")
        eng.emit("PurchaseDocSentForApproval", invoice(amount="5000"), user="REQ")
    finally:
        eng.close()
    r = run(db, "approvals", "--for", "ann", "--json")
    rows = json.loads(r.output)
    assert [(x["approver_id"], x["status"]) for x in rows] == [("ANN", "Open")]
    entry = str(rows[0]["entry_no"])
    r = run(db, "approve", entry, "--as", "CEO")
    assert r.exit_code == 1 and "WF612" in r.output
    r = run(db, "approve", entry, "--as", "ann", "--comment", "fine")
    assert r.exit_code == 0 and "approved by ANN" in r.output and "send_approval_requests" in r.output
    r = run(db, "approvals")
    assert "CEO" in r.output and "Open" in r.output
    history = json.loads(run(db, "approvals", "--history", entry, "--json").output)
    assert [(a["user"], a["action"], a["new_status"], a["comment"]) for a in history["audit"]] == \
        [("ANN", "approve", "Approved", "fine")]
    assert [c["comment"] for c in history["comments"]] == ["fine"]
    assert "approve" in run(db, "approvals", "--history", entry).output
    r = run(db, "approve", entry, "--as", "ANN")
    assert r.exit_code == 1 and "WF611" in r.output
    r = run(db, "notifications", "list")
    assert r.exit_code == 0 and "ANN" in r.output and "CEO" in r.output
    r = run(db, "notifications", "dispatch")  # no SMTP settings loaded: failures kept
    assert r.exit_code == 1 and "no SMTP settings" in r.output
    r = run(db, "notifications", "list", "--json")
    assert all(x["attempts"] == 1 for x in json.loads(r.output))
    r = run(db, "delegate", "99", "--as", "ANN")
    assert r.exit_code == 1 and "WF615" in r.output
    r = run(db, "cancel", entry, "--as", "ANN")  # only the sender (or the administrator)
    assert r.exit_code == 1 and "WF612" in r.output
    r = run(db, "cancel", entry, "--as", "REQ")
    assert r.exit_code == 0, r.output
    assert "PurchaseDocApprovalRequestCanceled raised by REQ" in r.output
    assert "cancel_approval_requests" in r.output
    rows = json.loads(run(db, "approvals", "--json").output)
    assert [x["status"] for x in rows] == ["Canceled"] * 3  # BC cancels approved entries too
    r = run(db, "cancel", entry, "--as", "REQ")
    assert r.exit_code == 1 and "WF611" in r.output


def test_cli_a_coded_refusal_in_a_response_shows_no_traceback(tmp_path: Path) -> None:
    """A response that refuses with a coded error (here WF601, a requester without approval user setup)
    is bad input, not a bug: `wf emit` says what and where in one message, without a traceback;
    `--debug` adds it."""
    db = f"sqlite:///{tmp_path / 'wf.db'}"
    script = tmp_path / "test.wf"
    script.write_text(WORKFLOW, encoding="utf-8")
    assert run(db, "deploy", "--enable", str(script)).exit_code == 0
    record = json.dumps({"document_type": "Invoice", "no": "PI1", "status": "Open", "amount": 5000,
                         "buy_from_vendor_no": "V1"})
    r = CliRunner().invoke(cli, ["--db", db, "emit", "PurchaseDocSentForApproval", record, "--user", "ALICE"])
    assert r.exit_code == 1
    assert "the response 'create_approval_requests' (step 4 of workflow PIAPW-T) failed: User ID 'ALICE' " \
        "does not exist in the approval user setup. [WF601]; the event was not applied [WF505]" in r.stderr
    assert "Traceback" not in r.stderr and "ApprovalError" not in r.stderr
    r = CliRunner().invoke(cli, ["--db", db, "--debug", "emit", "PurchaseDocSentForApproval", record,
                                 "--user", "ALICE"])
    assert r.exit_code == 1
    assert "Traceback (most recent call last)" in r.stderr and "_require_setup" in r.stderr
    assert run(db, "instances").output.strip() == "no running instances"  # nothing of the event was applied


def test_self_approved_request_releases_at_once(eng: Engine) -> None:
    small = invoice(no="2002", amount="800")
    small["amount_lcy"] = Decimal(800)
    eng.load_setup({"users": [{"id": "ANN", "approver": "BOB", "purchase_limit": 1000}]})
    eng.emit("PurchaseDocSentForApproval", small, user="ANN")
    assert eng.record_state("PurchaseHeader", "Invoice|2002").status == "Released"


GROUP_WORKFLOW = '''\
workflow GRP-T "Group approval with a quorum, no self approval"
  on PurchaseDocSentForApproval when document_type = Invoice then
     set status to pending approval
     create approval requests for group BOARD, any 1 of group, no self approval
     send approval requests as send

     on ApprovalRequestApproved when pending_approvals = 0 then release document
     on ApprovalRequestApproved when pending_approvals > 0 then
        send approval requests
        continue at send
'''


def test_group_quorum_and_segregation_from_a_script(eng: Engine) -> None:
    eng.disable("PIAPW-T")
    deploy(eng, GROUP_WORKFLOW, "group.wf")
    assert [d for d in eng.enable("GRP-T") if d.is_error] == []
    eng.load_setup({"groups": [{"code": "BOARD", "members": [
        {"user": "ANN", "sequence": 1}, {"user": "BOB", "sequence": 1}, {"user": "REQ", "sequence": 1},
        {"user": "CEO", "sequence": 2}]}]})
    eng.emit("PurchaseDocSentForApproval", invoice(no="3003"), user="REQ")
    rows = [(r.approver_id, r.sequence_no, r.status) for r in eng.approval_entries()]
    assert rows == [("ANN", 1, "Open"), ("BOB", 1, "Open"), ("CEO", 2, "Created")]  # no entry for REQ
    eng.approve(open_for(eng, "BOB"), "BOB")
    rows = [(r.approver_id, r.status) for r in eng.approval_entries()]
    assert rows == [("ANN", "Canceled"), ("BOB", "Approved"), ("CEO", "Open")]
    eng.approve(open_for(eng, "CEO"), "CEO")
    assert eng.record_state("PurchaseHeader", "Invoice|3003").status == "Released"


def test_cli_dispatch_delivers_to_smtp(tmp_path: Path, smtp_server: tuple[Sink, int]) -> None:
    sink, port = smtp_server
    db = f"sqlite:///{tmp_path / 'wf.db'}"
    org = tmp_path / "org.toml"
    org.write_text(f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsender = "wf@example.test"\n'
                   '[[users]]\nid = "CEO"\napprover = "CEO"\nemail = "ceo@example.test"\n'
                   '[[users]]\nid = "REQ"\napprover = "CEO"\nemail = "req@example.test"\n'
                   '[[notifications]]\nuser = "CEO"\ntype = "approval"\nmethod = "email"\n')
    assert run(db, "setup", "load", str(org)).exit_code == 0
    eng = open_engine(db)
    try:
        deploy(eng, WORKFLOW, "test.wf")
        eng.enable("PIAPW-T")
        eng.emit("PurchaseDocSentForApproval", invoice(no="4004", amount="5000"), user="REQ")
    finally:
        eng.close()
    r = run(db, "notifications", "dispatch")
    assert r.exit_code == 0, r.output
    assert "1 e-mail digests" in r.output and "0 failed" in r.output
    assert [m[1] for m in sink.messages] == [["ceo@example.test"]]
    assert b"Invoice 4004" in sink.messages[0][2]
    sent = json.loads(run(db, "notifications", "list", "--sent", "--json").output)
    assert [(x["recipient"], x["method"], x["address"]) for x in sent] == \
        [("CEO", "Email", "ceo@example.test")]
    assert run(db, "notifications").output.strip() == "(none)"


def test_cli_timers_delegate_overdue_requests(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'wf.db'}"
    eng = open_engine(db, clock=VirtualClock(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)))
    try:
        prepare(eng)
        eng.emit("PurchaseDocSentForApproval", invoice(no="5005"), user="REQ")
    finally:
        eng.close()
    # the wf command runs on the real clock: long after the two days of "delegate after"
    r = run(db, "timers")
    assert r.exit_code == 0, r.output
    assert "1 approval request delegated" in r.output and "send approval requests" in r.output
    rows = json.loads(run(db, "approvals", "--status", "open", "--json").output)
    assert [x["approver_id"] for x in rows] == ["SUE"]  # ANN's substitute
    assert run(db, "timers").output.strip() == "nothing was due"


def test_parallel_approvals_at_the_same_time(eng: Engine) -> None:
    """Two members of a parallel tier approve at the same moment (two threads): the next tier opens
    once and its approver is notified once (on PostgreSQL the request's entries are locked)."""
    import threading

    from sqlalchemy import select as sa_select

    from werkstroom.store.notifications import NotificationEntry

    eng.disable("PIAPW-T")
    deploy(eng, GROUP_WORKFLOW.replace(", any 1 of group, no self approval", ""), "group.wf")
    assert [d for d in eng.enable("GRP-T") if d.is_error] == []
    eng.load_setup({"groups": [{"code": "BOARD", "members": [
        {"user": "ANN", "sequence": 1}, {"user": "BOB", "sequence": 1},
        {"user": "CEO", "sequence": 2}]}]})
    eng.emit("PurchaseDocSentForApproval", invoice(no="6006"), user="REQ")
    ann, bob = open_for(eng, "ANN"), open_for(eng, "BOB")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def act(entry: str, who: str) -> None:
        try:
            barrier.wait()
            eng.approve(entry, who)
        except BaseException as exc:  # collected and re-raised in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=act, args=(ann, "ANN")),
               threading.Thread(target=act, args=(bob, "BOB"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rows = [(r.approver_id, r.status) for r in eng.approval_entries()]
    with eng.transaction() as uow:
        to_ceo = uow.session.scalars(sa_select(NotificationEntry).where(
            NotificationEntry.recipient_id == "CEO")).all()
    assert rows == [("ANN", "Approved"), ("BOB", "Approved"), ("CEO", "Open")]
    assert len(to_ceo) == 1


@pytest.mark.parametrize(("url", "words"), [
    ("foo://x", "unknown kind of database"),
    ("not a url", "not a database URL"),
    ("postgresql+psycopg2://u@127.0.0.1/x", "driver (psycopg2) is not installed"),
    ("postgresql+psycopg://u:secret@127.0.0.1:1/x", "u:***@127.0.0.1:1"),
    ("sqlite:///{tmp}/no/such/folder/wf.db", "unable to open database file"),
    ("sqlite:///{tmp}/not-a-db.wf", "file is not a database"),
])
def test_cli_a_database_that_cannot_be_opened_is_wf515(tmp_path: Path, url: str, words: str) -> None:
    (tmp_path / "not-a-db.wf").write_bytes(b"on X then y\n" * 200)
    url = url.format(tmp=tmp_path)
    for args in (["workflows"], ["approvals"], ["notifications"], ["setup", "load", str(tmp_path / "x.wf")],
                 ["approve", "1", "--as", "A"]):
        (tmp_path / "x.wf").write_text("")
        r = run(url, *args)
        assert r.exit_code == 2, (args, r.output)
        assert "[WF515]" in r.output and "cannot open the database" in r.output and words in r.output
        assert "secret" not in r.output


@pytest.mark.parametrize("content", [b"\x00\x01\xff\xfe", "caf\u00e9 = 1\n".encode("latin-1")])
def test_cli_deploy_a_file_that_is_not_utf8_text_is_wf101(tmp_path: Path, content: bytes) -> None:
    db = f"sqlite:///{tmp_path / 'wf.db'}"
    good, bad = tmp_path / "good.wf", tmp_path / "bad.wf"
    good.write_text(WORKFLOW)
    bad.write_bytes(content)
    r = CliRunner().invoke(cli, ["--db", db, "deploy", str(good), str(bad)])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert r.exit_code == 1 and "[WF101]" in r.output, r.output
    assert run(db, "workflows").output == ""  # nothing stored: every file is read first


@pytest.mark.parametrize("name, words", [("nope.wf", "cannot read `{p}`: no such file"),
                                         (".", "`{p}` is a directory")], ids=["missing", "directory"])
def test_cli_deploy_a_path_that_cannot_be_read_is_wf100_exit_2(tmp_path: Path, name: str, words: str) -> None:
    p = tmp_path / name
    r = run(f"sqlite:///{tmp_path / 'wf.db'}", "deploy", str(p))
    assert r.exit_code == 2 and f"wf: {words.format(p=p)}" in r.output and "[WF100]" in r.output, r.output


@pytest.mark.parametrize("name, words", [("nope.toml", "cannot read `{p}`: no such file"),
                                         (".", "`{p}` is a directory")], ids=["missing", "directory"])
def test_cli_setup_load_a_path_that_cannot_be_read_is_wf100(tmp_path: Path, name: str, words: str) -> None:
    p = tmp_path / name
    r = run(f"sqlite:///{tmp_path / 'wf.db'}", "setup", "load", str(p))
    assert r.exit_code == 2 and f"wf: {words.format(p=p)}" in r.output and "[WF100]" in r.output, r.output


def test_cli_deploy_an_empty_file_warns(tmp_path: Path) -> None:
    (tmp_path / "empty.wf").write_text("# nothing yet\n")
    r = run(f"sqlite:///{tmp_path / 'wf.db'}", "deploy", str(tmp_path / "empty.wf"))
    assert r.exit_code == 0 and "warning[WF113]" in r.output and "nothing was stored" in r.output


@pytest.mark.parametrize(("field", "raw", "words"), [
    ("amount", '"NaN"', "an amount below 10^18 is expected"),
    ("amount", '"-Infinity"', "an amount below 10^18 is expected"),
    ("amount", "1e400", "an amount below 10^18 is expected"),
    ("amount", "99999999999999999999999999999", "an amount below 10^18 is expected"),
    ("no", '"PI\\u00001"', "contains a NUL character"),
    ("no", '"PI\\ud8001"', "is not valid Unicode text"),
    ("buy_from_vendor_no", '"\\udfff"', "the unpaired surrogate"),
])
def test_cli_emit_values_no_column_can_hold_are_wf502(tmp_path: Path, field: str, raw: str,
                                                      words: str) -> None:
    """Not a response failing deep inside (WF505 with a traceback) or an internal error: the payload is
    refused before anything runs, naming the field."""
    db = f"sqlite:///{tmp_path / 'wf.db'}"
    (tmp_path / "test.wf").write_text(WORKFLOW, encoding="utf-8")
    (tmp_path / "org.toml").write_text('[[users]]\nid = "REQ"\napprover = "REQ"\nunlimited_purchase = true\n')
    assert run(db, "deploy", "--enable", str(tmp_path / "test.wf")).exit_code == 0
    assert run(db, "setup", "load", str(tmp_path / "org.toml")).exit_code == 0
    values = {"document_type": '"Invoice"', "no": '"PI1"', "status": '"Open"', "amount": "5000", field: raw}
    record = "{" + ", ".join(f'"{k}": {v}' for k, v in values.items()) + "}"
    r = CliRunner().invoke(cli, ["--db", db, "emit", "PurchaseDocSentForApproval", record, "--user", "REQ"])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert r.exit_code == 1 and f"PurchaseHeader.{field}:" in r.stderr and "[WF502]" in r.stderr, r.stderr
    assert words in r.stderr and "Traceback" not in r.stderr and "WF505" not in r.stderr
    assert run(db, "instances").output.strip() == "no running instances"


@pytest.mark.parametrize("ref", ["99999999999999999999999", "2147483648", "\u00b2", "9" * 5000],
                         ids=["23-digits", "2**31", "superscript-2", "5000-digits"])
def test_cli_entry_numbers_that_cannot_exist_are_wf615(tmp_path: Path, ref: str) -> None:
    db = f"sqlite:///{tmp_path / 'wf.db'}"
    for args in (["approve", ref, "--as", "A"], ["reject", ref, "--as", "A"], ["delegate", ref, "--as", "A"],
                 ["cancel", ref, "--as", "A"], ["approvals", "--history", ref]):
        r = run(db, *args)
        assert r.exit_code == 1 and "does not exist [WF615]" in r.output, (args, r.output)


def test_cli_show_an_unknown_record_type_or_key_is_wf509(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'wf.db'}"
    r = run(db, "show", "PurchaseHeadr", "Invoice|1")
    assert r.exit_code == 1 and "unknown record type 'PurchaseHeadr'; did you mean 'PurchaseHeader'?" \
        in r.output and "[WF509]" in r.output
    r = run(db, "show", "PurchaseHeader", "1001", "--json")
    assert r.exit_code == 1 and "no PurchaseHeader '1001' is stored" in r.output \
        and "document_type|no" in r.output and "[WF509]" in r.output


@pytest.mark.parametrize(("record", "code", "words"), [
    ("{bad", "WF502", "the record is not valid JSON"),
    ("@missing.json", "WF100", "cannot read the record from 'missing.json'"),
    ("@latin1.json", "WF101", "is not UTF-8 text"),
    ("@deep.json", "WF502", "is not valid JSON"),  # nested 100,000 deep: no RecursionError
])
def test_cli_emit_a_record_that_cannot_be_read_names_a_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             record: str, code: str, words: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "latin1.json").write_bytes('{"no": "caf\u00e9"}'.encode("latin-1"))
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    r = run(f"sqlite:///{tmp_path / 'wf.db'}", "emit", "PurchaseDocSentForApproval", record, "--user", "A")
    assert r.exit_code == 2 and words in r.output and f"[{code}]" in r.output, r.output


@pytest.mark.parametrize(("new_code", "code"), [("X" * 21, "WF404"), ("", "WF404"), ("A B", "WF404"),
                                                ("X\x00Y", "WF404"), ("MS-MINE", "WF410"),
                                                ("ms-mine", "WF410")])
def test_cli_copy_to_a_code_no_script_could_name_is_refused(tmp_path: Path, new_code: str, code: str) -> None:
    db = f"sqlite:///{tmp_path / 'wf.db'}"
    (tmp_path / "test.wf").write_text(WORKFLOW, encoding="utf-8")
    assert run(db, "deploy", str(tmp_path / "test.wf")).exit_code == 0
    r = run(db, "copy", "PIAPW-T", new_code)
    assert r.exit_code == 1 and f"[{code}]" in r.output, r.output
    assert [line.split()[0] for line in run(db, "workflows").output.splitlines()] == ["PIAPW-T"]
    assert run(db, "copy", "PIAPW-T", "PIAPW-T2").exit_code == 0


def test_cli_deploy_a_broken_script_names_its_first_code_and_shows_every_error(tmp_path: Path) -> None:
    """Not the undeclared WF400, and syntax errors shown with their caret, not only counted."""
    (tmp_path / "broken.wf").write_text("workflow W\n  on PurchaseDocReleased when amount > 1000\n"
                                        "     release document\n")
    r = run(f"sqlite:///{tmp_path / 'wf.db'}", "deploy", str(tmp_path / "broken.wf"))
    assert r.exit_code == 1 and "nothing was deployed [WF103]" in r.output, r.output
    assert "error[WF103]: expected `then`" in r.output and "WF400" not in r.output
