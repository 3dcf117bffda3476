"""Every value that crosses into the engine (the Python API, and the `wf` commands through it) is checked
once, before any work, and refused with a code naming the field (WF530; WF531 for sizes; WF502 for a
record's text fields), on SQLite and PostgreSQL; a refusal changes nothing. Before, these raised
UnicodeEncodeError (lone surrogates), PostgreSQL's DataError (NUL, a key over 200 characters),
AttributeError (an entry or user given as None or a number), or were stored as they came."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_engine_cli import invoice, open_for, prepare

import werkstroom
from werkstroom.cli import cli
from werkstroom.engine import boundary
from werkstroom.engine.approvals.setup import load_setup
from werkstroom.engine.clock import SequentialIds, VirtualClock
from werkstroom.engine.facade import Engine, open_engine
from werkstroom.errors import WerkstroomError

Call = Callable[[Engine, str], object]


@pytest.fixture()
def eng(engine_url: str) -> Iterator[Engine]:
    e = open_engine(engine_url, clock=VirtualClock(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)),
                    ids=SequentialIds())
    prepare(e)
    e.emit("PurchaseDocSentForApproval", invoice(), user="REQ")
    try:
        yield e
    finally:
        e.close()


def state(eng: Engine) -> Any:
    """Everything a refused call must leave as it was."""
    entries = eng.approval_entries()
    trails = [eng.approval_history(e.entry_id) for e in entries]
    return (entries, trails, eng.event_log(), [i.id for i in eng.instances()],
            eng.record("PurchaseHeader", "Invoice|1001"), len(eng.outbox()))


def emit(**changes: Any) -> Call:
    def call(eng: Engine, entry: str) -> object:
        args: dict[str, Any] = {"event": "PurchaseDocSentForApproval", "record": invoice("2002"),
                                "user": "REQ", **changes}
        return eng.emit(args.pop("event"), args.pop("record"), **args)
    return call


def act(verb: str, entry: Any = None, user: Any = "ANN", **kwargs: Any) -> Call:
    def call(eng: Engine, open_entry: str) -> object:
        return getattr(eng, verb)(open_entry if entry is None else entry, user, **kwargs)
    return call


LONG_LINES = [{"line_no": i, "description": "x" * 100} for i in range(12_000)]  # about 1.6 MB

CASES: dict[str, tuple[Call, str, str]] = {
    # emit
    "user None": (emit(user=None), "WF530", "the user must be text, not None"),
    "user a number": (emit(user=7), "WF530", "the user must be text"),
    "user empty": (emit(user=""), "WF530", "the user is empty"),
    "user of 51 characters": (emit(user="U" * 51), "WF530", "at most 50 are allowed"),
    "user over 64 characters": (emit(user="U" * 65), "WF530", "the user"),
    "user longer once upper-cased": (emit(user="\u00df" * 30), "WF530", "has 60 characters"),
    "user with NUL": (emit(user="RE\x00Q"), "WF530", "the user 'RE\\x00Q' contains a NUL character"),
    "user not Unicode": (emit(user="R\udce9Q"), "WF530", "unpaired surrogate"),
    "key over 200": (emit(idempotency_key="k" * 201), "WF530", "the idempotency key 'kkk"),
    "key with NUL": (emit(idempotency_key="a\x00b"), "WF530", "the idempotency key 'a\\x00b' contains a NUL"),
    "key not Unicode": (emit(idempotency_key="k\udcff"), "WF530", "the idempotency key"),
    "key a number": (emit(idempotency_key=5), "WF530", "the idempotency key must be text"),
    "instance with NUL": (emit(instance_id="i\x00"), "WF530", "the instance id"),
    "event None": (emit(event=None), "WF530", "the event must be text"),
    "event not Unicode": (emit(event="\ud800"), "WF530", "the event"),
    "record text not Unicode": (emit(record={**invoice("2002"), "buy_from_vendor_no": "\ud800"}), "WF502",
                                "PurchaseHeader.buy_from_vendor_no"),
    "record key field not Unicode": (emit(record=invoice("\udc80")), "WF502", "PurchaseHeader.no"),
    "old record not Unicode": (emit(old={"no": "\ud800"}), "WF502", "(old).no"),
    "record over 1 MB": (emit(record={**invoice("2002"), "lines": LONG_LINES}), "WF531", "the record"),
    "old record over 1 MB": (emit(old={"lines": LONG_LINES}), "WF531", "the record"),
    # approve, reject, delegate, cancel
    "entry None": ((lambda eng, _: eng.approve(None, "ANN")), "WF530", "the approval entry must be"),
    "entry a float": (act("approve", entry=1.0), "WF530", "the approval entry must be its number or id"),
    "entry True": (act("approve", entry=True), "WF530", "the approval entry"),
    "entry with NUL": (act("approve", entry="1\x00"), "WF530", "the approval entry '1\\x00' contains a NUL"),
    "entry not Unicode": (act("reject", entry="1\udcff"), "WF530", "the approval entry"),
    "entry of 65 characters": (act("delegate", entry="e" * 65), "WF530", "at most 64"),
    "entry of 5,000 digits": (act("approve", entry="9" * 5000), "WF615", "entry numbers run from 1"),
    "entry number 0": (act("approve", entry=0), "WF615", "entry numbers run from 1"),
    "entry number of 5,000 digits": (act("approve", entry=10**4999), "WF615", "entry numbers run from 1"),
    "acting user None": (act("approve", user=None), "WF530", "the user must be text"),
    "acting user with NUL": (act("reject", user="A\x00"), "WF530", "the user"),
    "acting user of 65": (act("delegate", user="A" * 65), "WF530", "at most 50"),
    "comment with NUL": (act("approve", comment="fine\x00"), "WF530", "the comment 'fine\\x00' contains"),
    "comment not Unicode": (act("reject", comment="caf\udce9"), "WF530", "the comment"),
    "comment a number": (act("approve", comment=5), "WF530", "the comment must be text"),
    "comment over 1 MB": (act("approve", comment="\u00e9" * 500_001), "WF531",
                          "the comment has 1,000,002 bytes"),
    "approve key over 200": (act("approve", idempotency_key="k" * 300), "WF530", "the idempotency key"),
    "cancel entry None": ((lambda eng, _: eng.cancel(None, "REQ")), "WF530", "the approval entry"),
    "cancel user not Unicode": ((lambda eng, e: eng.cancel(e, "R\udce9")), "WF530", "the user"),
    # reading and storing records, instances, workflows
    "record key with NUL": ((lambda eng, _: eng.record_state("PurchaseHeader", "Invoice|1\x00")), "WF530",
                            "the record key"),
    "record key not Unicode": ((lambda eng, _: eng.record("PurchaseHeader", "\udcff")), "WF530",
                               "the record key"),
    "record type None": ((lambda eng, _: eng.record_key(None, {})), "WF530", "the record type"),
    "put_record over 1 MB": ((lambda eng, _: eng.put_record("PurchaseHeader", {
        **invoice("3003"), "lines": LONG_LINES})), "WF531", "the record"),
    "instance id not Unicode": ((lambda eng, _: eng.steps("instance-\udcff")), "WF530", "the instance id"),
    "instances filter with NUL": ((lambda eng, _: eng.instances(record_key="\x00")), "WF530",
                                  "the record key"),
    "workflow code with NUL": ((lambda eng, _: eng.disable("PIAPW-T\x00")), "WF530", "the workflow code"),
    "copy description with NUL": ((lambda eng, _: eng.copy("PIAPW-T", "NEW", "a\x00")), "WF530",
                                   "the description"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_api_refuses_a_bad_value_naming_the_field(eng: Engine, case: str) -> None:
    call, code, words = CASES[case]
    entry = open_for(eng, "ANN")
    before = state(eng)
    with pytest.raises(WerkstroomError) as err:
        call(eng, entry)
    assert err.value.code == code and words in err.value.message, err.value
    assert state(eng) == before
    eng.approve(entry, "ANN")  # the engine goes on as before
    assert open_for(eng, "BOB")


def test_a_payload_over_the_limit_is_refused_before_any_statement(eng: Engine) -> None:
    sent: list[str] = []
    with eng.watch_statements(lambda statement, params, many: sent.append(statement)), \
            pytest.raises(WerkstroomError) as err:
        eng.emit("PurchaseDocSentForApproval", {**invoice("2002"), "lines": LONG_LINES}, user="REQ")
    assert err.value.code == "WF531" and sent == []


def test_an_entry_may_be_given_as_its_number(eng: Engine) -> None:
    entry = int(open_for(eng, "ANN"))
    result = eng.approve(entry, "ann", "fine")
    assert result.handled[0].event == "ApprovalRequestApproved"
    canceled = eng.cancel(int(open_for(eng, "BOB")), "REQ")
    assert canceled.handled[0].event == "PurchaseDocApprovalRequestCanceled"
    assert eng.record_state("PurchaseHeader", "Invoice|1001").status == "Open"


def test_the_payload_size_is_about_its_json_text_and_needs_no_recursion() -> None:
    record = {**invoice(), "amount": Decimal("12.50"), "lines": [
        {"line_no": i, "description": "caf\u00e9 " * 20, "quantity": Decimal(3)} for i in range(50)]}
    text = json.dumps(record, default=str, ensure_ascii=False).encode()
    assert abs(boundary.payload_size(record, 10**9) - len(text)) < len(text) // 10
    deep: Any = "x"
    for _ in range(100_000):
        deep = [deep]
    assert boundary.payload_size(deep, 10**9) > 200_000
    assert boundary.payload_size("y" * 5_000_000, 1000) > 1000


@pytest.mark.parametrize(("ref", "number"), [("7", 7), ("0007", 7), ("2147483647", 2**31 - 1),
                                              ("2147483648", None), ("9" * 5000, None), ("\u00b2", None),
                                              ("00000000000000000012", 12), ("abc", None)])
def test_entry_numbers_are_parsed_in_one_place(ref: str, number: int | None) -> None:
    assert boundary.entry_number(ref) == number


def test_the_limits_are_the_columns(eng: Engine) -> None:
    from werkstroom.store.approvals import ApprovalEntry, ApprovalUserSetup
    from werkstroom.store.database import EventLogRow, InstanceRow, RecordRow, WorkflowRow

    def length(column: Any) -> int:
        return int(column.type.length)

    assert length(EventLogRow.__table__.c.idempotency_key) == boundary.MAX_IDEMPOTENCY_KEY
    assert boundary.MAX_USER_ID == length(ApprovalUserSetup.__table__.c.user_id) \
        <= length(EventLogRow.__table__.c.user)
    assert length(ApprovalEntry.__table__.c.id) == boundary.MAX_ENTRY_REF
    assert length(InstanceRow.__table__.c.id) == boundary.MAX_INSTANCE_ID
    assert length(EventLogRow.__table__.c.event) == boundary.MAX_NAME
    assert length(RecordRow.__table__.c.record_key) == boundary.MAX_RECORD_KEY
    assert length(WorkflowRow.__table__.c.code) == boundary.MAX_CODE
    assert length(WorkflowRow.__table__.c.description) == boundary.MAX_DESCRIPTION


def test_the_setup_refuses_text_that_is_not_unicode(eng: Engine) -> None:
    with pytest.raises(WerkstroomError) as err, eng.transaction() as uow:
        load_setup(uow, {"users": [{"id": "EVE", "email": "eve\udce9@example.test"}]})
    assert err.value.code == "WF616" and "email is not valid Unicode text" in err.value.message


# --------------------------------------------------------------------------- the wf commands


@pytest.fixture()
def db(eng: Engine, engine_url: str) -> str:
    return engine_url


def wf(db: str, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--db", db, *args])


# what Python makes of bytes that are not UTF-8 on a command line (surrogateescape): b"\xff" is "\udcff"
NOT_UTF8 = "\udcff"

COMMANDS: dict[str, tuple[list[str], str]] = {
    "emit --key": (["emit", "PurchaseDocSentForApproval", '{"document_type": "Invoice", "no": "9", '
                    '"status": "Open", "amount": "5"}', "--user", "REQ", "--key", "k" + NOT_UTF8],
                   "the idempotency key"),
    "emit --key over 200": (["emit", "PurchaseDocSentForApproval", '{"document_type": "Invoice", "no": "9", '
                             '"status": "Open", "amount": "5"}', "--user", "REQ", "--key", "k" * 201],
                            "at most 200"),
    "emit --user": (["emit", "PurchaseDocSentForApproval", '{"document_type": "Invoice", "no": "9"}',
                     "--user", "U" * 65], "the user"),
    "emit record": (["emit", "PurchaseDocSentForApproval", '{"document_type": "Invoice", "no": "\\ud800"}',
                     "--user", "REQ"], "PurchaseHeader.no"),
    "approve ENTRY": (["approve", "1" + NOT_UTF8, "--as", "ANN"], "the approval entry"),
    "approve --as": (["approve", "{entry}", "--as", NOT_UTF8], "the user"),
    "approve --comment": (["approve", "{entry}", "--as", "ANN", "--comment", "ok " + NOT_UTF8],
                          "the comment"),
    "reject --comment": (["reject", "{entry}", "--as", "ANN", "--comment", "\ud800"], "the comment"),
    "delegate ENTRY": (["delegate", "e" * 65, "--as", "ANN"], "the approval entry"),
    "cancel ENTRY": (["cancel", NOT_UTF8, "--as", "REQ"], "the approval entry"),
    "approvals --for": (["approvals", "--for", NOT_UTF8], "the approver"),
    "approvals --sent-by": (["approvals", "--sent-by", "S" * 51], "the sender"),
    "approvals --history": (["approvals", "--history", NOT_UTF8], "the approval entry"),
    "show TYPE KEY": (["show", "PurchaseHeader", "Invoice|" + NOT_UTF8], "the record key"),
    "show INSTANCE": (["show", "instance-" + NOT_UTF8], "the instance id"),
    "instances --workflow": (["instances", "--workflow", NOT_UTF8], "the workflow code"),
    "enable CODE": (["enable", NOT_UTF8], "the workflow code"),
}


@pytest.mark.parametrize("case", list(COMMANDS))
def test_the_commands_refuse_a_bad_value_with_its_code(eng: Engine, db: str, case: str) -> None:
    args, words = COMMANDS[case]
    entry = open_for(eng, "ANN")
    before = state(eng)
    r = wf(db, *[a.replace("{entry}", entry) for a in args])
    assert r.exit_code == 1, (r.exit_code, r.output, r.exception)
    assert "[WF530]" in r.stderr or "[WF502]" in r.stderr, r.stderr
    assert words in r.stderr and "Traceback" not in r.stderr and "internal error" not in r.stderr
    assert state(eng) == before


def test_wf_emit_refuses_a_file_over_the_limit_before_reading_it(eng: Engine, db: str,
                                                                  tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_text(json.dumps({**invoice("2002"), "amount": "5", "amount_lcy": "5", "lines": LONG_LINES},
                              default=str))
    before = state(eng)
    r = wf(db, "emit", "PurchaseDocSentForApproval", f"@{big}", "--user", "REQ")
    assert r.exit_code == 1 and "[WF531]" in r.stderr and "at most 1,000,000" in r.stderr, r.stderr
    assert state(eng) == before


def test_wf_with_bytes_that_are_not_utf8_on_the_command_line(tmp_path: Path) -> None:
    """The real thing: a process whose arguments hold bytes that are not UTF-8 (exit 1 with WF530, not
    70, the internal error)."""
    db = f"sqlite:///{tmp_path / 'wf.db'}"
    e = open_engine(db, clock=VirtualClock(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)))
    try:
        prepare(e)
        e.emit("PurchaseDocSentForApproval", invoice(), user="REQ")
        entry = open_for(e, "ANN")
    finally:
        e.close()
    root = str(Path(werkstroom.__file__).parent.parent)
    env = {**os.environ, "PYTHONPATH": root, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    for args in ([b"approve", entry.encode(), b"--as", b"ANN", b"--comment", b"caf\xe9"],
                 [b"approve", b"1\xff", b"--as", b"ANN"],
                 [b"emit", b"PurchaseDocSentForApproval", b'{"document_type": "Invoice", "no": "2"}',
                  b"--user", b"REQ", b"--key", b"\xc3\x28"]):
        command = [sys.executable, "-c", "from werkstroom.cli import main; main()", "--db", db, *args]
        r = subprocess.run(command, capture_output=True, env=env, timeout=120)
        err = r.stderr.decode("utf-8", "replace")
        assert r.returncode == 1 and "[WF530]" in err and "not valid Unicode text" in err, (args, err)
