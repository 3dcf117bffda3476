"""Store guarantees: one transaction per event, idempotency, validation, crash safety, lifecycle."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from werkstroom.engine.clock import SequentialIds, VirtualClock
from werkstroom.engine.facade import Engine, IdempotencyConflict, open_engine
from werkstroom.engine.hold import SecondStart
from werkstroom.engine.lifecycle import EnableRefused, LifecycleError
from werkstroom.engine.records import InvalidRecord, UnknownEvent
from werkstroom.engine.run import ResponseFailed
from werkstroom.engine.trace import EmitResult
from werkstroom.errors import WerkstroomError

from .lib import CALLS, LIBRARY, W, approval, approval_workflow, c, cmp, doc, f


def enable_apw(engine: Engine) -> None:
    engine.deploy_workflow(approval_workflow())
    engine.enable("DOC-APW")


def test_redelivery_with_same_key_is_applied_once(engine: Engine) -> None:
    enable_apw(engine)
    first = engine.emit("DocSent", doc(), user="U", idempotency_key="msg-1")
    again = engine.emit("DocSent", doc(), user="U", idempotency_key="msg-1")
    assert again.replayed and not first.replayed
    assert again.event_id == first.event_id and again.instance_id == first.instance_id
    assert again.handled[0].outcome == first.handled[0].outcome == "started"
    assert len(engine.instances()) == 1
    assert CALLS == ["restrict", "set_pending", "wait"]
    assert len(engine.event_log()) == 1


@pytest.mark.parametrize("engine_url", [pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
def test_a_concurrent_delivery_with_the_same_key_answers_the_first_result(
        engine: Engine, engine_url: str, race: Any) -> None:
    # another process delivers the same message while this one is handling it: it waits for this
    # one's record lock, then finds this one's audit row and answers its result
    # (PostgreSQL only: SQLite serializes writers, a second delivery waits for the first to commit)
    enable_apw(engine)
    other = open_engine(engine_url, clock=VirtualClock(), ids=SequentialIds(start=1000),
                        libraries=[LIBRARY])
    try:
        mine, theirs = race(lambda: engine.emit("DocSent", doc(), user="U", idempotency_key="msg-race"),
                            lambda: other.emit("DocSent", doc(), user="U", idempotency_key="msg-race"))
    finally:
        other.close()
    assert isinstance(mine, EmitResult)
    assert not mine.replayed
    assert isinstance(theirs, EmitResult), theirs
    assert theirs.replayed and theirs.event_id == mine.event_id
    assert len(engine.instances()) == 1 and len(engine.event_log()) == 1


@pytest.mark.parametrize("engine_url", [pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
def test_concurrent_events_for_one_record_are_handled_one_after_the_other(
        engine: Engine, engine_url: str, race: Any) -> None:
    # two app servers send the same stored document for approval at the same moment: the second
    # waits for the first (PostgreSQL: the record's event lock) and then sees its running instance,
    # as if it came after it; without the lock both read "no instance" and both started one
    enable_apw(engine)
    engine.put_record("Doc", doc())
    partial = {k: v for k, v in doc().items() if k != "status"}  # keeps the stored status
    other = open_engine(engine_url, clock=VirtualClock(), ids=SequentialIds(start=1000),
                        libraries=[LIBRARY])
    try:
        mine, theirs = race(lambda: engine.emit("DocSent", partial, user="U"),
                            lambda: other.emit("DocSent", partial, user="U"))
    finally:
        other.close()
    assert isinstance(mine, EmitResult) and mine.handled[0].outcome == "started"
    # by then the document is in the workflow its first send started: the second send is refused
    assert isinstance(theirs, SecondStart) and theirs.code == "WF516", theirs
    assert theirs.instance_id == mine.instance_id
    assert len(engine.instances()) == 1 and len(engine.event_log()) == 1


def test_same_key_different_payload_is_refused(engine: Engine) -> None:
    enable_apw(engine)
    engine.emit("DocSent", doc(), user="U", idempotency_key="msg-1")
    with pytest.raises(IdempotencyConflict) as err:
        engine.emit("DocSent", doc(amount="2000"), user="U", idempotency_key="msg-1")
    assert err.value.code == "WF504"
    assert len(engine.instances()) == 1


def test_failing_response_rolls_back_everything(engine: Engine) -> None:
    w = W("BOOM")
    e1 = w.event("DocSent", None)
    w.chain(e1, "restrict", "boom")
    engine.deploy_workflow(w.build())
    engine.enable("BOOM")
    with pytest.raises(ResponseFailed) as err:
        engine.emit("DocSent", doc(), user="U", idempotency_key="k")
    e = err.value
    assert e.code == "WF505" and e.workflow == "BOOM" and e.step == 3 and e.response == "boom"
    assert "the printer is on fire" in e.traceback and "RuntimeError" in e.traceback
    assert engine.instances() == [] and engine.outbox() == [] and engine.event_log() == []
    assert engine.record("Doc", "Invoice|1001") is None
    state = engine.record_state("Doc", "Invoice|1001")
    assert not state.restricted and state.status is None
    # the engine stays usable: the same key can be delivered again after the fix
    engine.disable("BOOM")
    enable_apw(engine)
    assert engine.emit("DocSent", doc(), user="U", idempotency_key="k").outcome == "started"


def test_bad_payload_names_the_field_and_stores_nothing(engine: Engine) -> None:
    enable_apw(engine)
    with pytest.raises(InvalidRecord) as err:
        engine.emit("DocSent", doc(amount="12,50"), user="U")
    assert err.value.code == "WF502" and "Doc.amount" in str(err.value)
    with pytest.raises(InvalidRecord, match=r"Doc\.document_type"):
        engine.emit("DocSent", doc(document_type="Memo"), user="U")
    with pytest.raises(InvalidRecord, match=r"Doc\.document_type"):  # a sign is not punctuation to drop
        engine.emit("DocSent", doc(document_type="-Invoice"), user="U")
    with pytest.raises(InvalidRecord, match=r"no field 'amout'; did you mean 'amount'\?"):
        engine.emit("DocSent", {**doc(), "amout": "1"}, user="U")
    with pytest.raises(InvalidRecord, match=r"Doc.lines\[0\].quantity"):
        engine.emit("DocSent", doc(lines=[{"line_no": 1, "quantity": 1.5}]), user="U")
    with pytest.raises(InvalidRecord, match="key field 'no'"):
        engine.emit("DocSent", {"document_type": "Invoice"}, user="U")
    assert engine.record("Doc", "Invoice|1001") is None and engine.event_log() == []


def test_values_are_typed(engine: Engine) -> None:
    from datetime import date
    from decimal import Decimal

    key = engine.put_record("Doc", {"document_type": "invoice", "no": "ab-1", "amount": 10,
                                    "posting_date": "2026-02-01", "status": "pendingapproval"})
    assert key == "Invoice|AB-1"
    rec = engine.record("Doc", key)
    assert rec == {"document_type": "Invoice", "no": "AB-1", "amount": Decimal(10),
                   "posting_date": date(2026, 2, 1), "status": "Pending Approval"}


def test_unknown_event_is_refused(engine: Engine) -> None:
    with pytest.raises(UnknownEvent) as err:
        engine.emit("NoSuchEvent", doc(), user="U")
    assert err.value.code == "WF503"


def test_crash_between_events_loses_nothing_committed(engine_url: str) -> None:
    clock = VirtualClock()
    eng = open_engine(engine_url, clock=clock, ids=SequentialIds(), libraries=[LIBRARY])
    eng.deploy_workflow(approval_workflow())
    eng.enable("DOC-APW")
    iid = eng.emit("DocSent", doc(), user="U", idempotency_key="k1").instance_id
    eng._sa.dispose()  # the process dies: no close, no further commits
    del eng
    again = open_engine(engine_url, clock=clock, ids=SequentialIds(start=100), libraries=[LIBRARY])
    try:
        assert [i.id for i in again.instances()] == [iid]
        assert again.emit("DocSent", doc(), user="U", idempotency_key="k1").replayed
        assert iid is not None
        r = again.emit("Approved", approval(iid, 0), user="B")
        assert r.handled[0].archived
        assert again.record_state("Doc", "Invoice|1001").status == "Released"
    finally:
        again.close()


def test_lifecycle_versions_and_running_instances_keep_theirs(engine: Engine) -> None:
    d1 = engine.deploy_workflow(approval_workflow())
    assert d1.version == 1 and d1.new_version
    assert not engine.deploy_workflow(approval_workflow()).new_version  # same content, same version
    engine.enable("DOC-APW")
    iid = engine.emit("DocSent", doc(no="1"), user="U").instance_id
    # the enabled workflow is read-only: a change becomes version 2 for new instances
    changed = approval_workflow(cond=cmp(f("amount"), ">", c("0")))
    d2 = engine.deploy_workflow(changed)
    assert d2.version == 2 and d2.content_hash != d1.content_hash
    assert engine.workflow("DOC-APW", 1).steps[0].condition != engine.workflow("DOC-APW").steps[0].condition
    new = engine.emit("DocSent", doc(no="2", status="Released"), user="U")  # only v2 accepts this
    assert new.outcome == "started"
    versions = {i.id: i.version for i in engine.instances()}
    assert versions == {iid: 1, new.instance_id: 2}
    engine.disable("DOC-APW")
    with pytest.raises(LifecycleError, match="running instance"):
        engine.delete("DOC-APW")
    info = engine.workflows()[0]
    assert info.running == 2 and info.version == 2 and not info.enabled


def test_delete_only_without_running_instances(engine: Engine) -> None:
    engine.deploy_workflow(approval_workflow())
    engine.enable("DOC-APW")
    with pytest.raises(LifecycleError, match="enabled"):
        engine.delete("DOC-APW")
    engine.disable("DOC-APW")
    engine.delete("DOC-APW")
    assert engine.workflows() == []
    with pytest.raises(WerkstroomError) as err:
        engine.enable("DOC-APW")
    assert err.value.code == "WF509"


def test_templates_can_be_copied_not_enabled_or_deleted(engine: Engine) -> None:
    tmpl = approval_workflow("MS-DOCAPW")
    from attrs import evolve

    engine.deploy_workflow(evolve(tmpl, template=True))
    with pytest.raises(LifecycleError, match="template") as err:
        engine.enable("MS-DOCAPW")
    assert err.value.code == "WF506"
    with pytest.raises(LifecycleError, match="template"):
        engine.delete("MS-DOCAPW")
    with pytest.raises(LifecycleError, match="template"):
        engine.deploy_workflow(tmpl)  # replacing a template with a non-template
    copied = engine.copy("MS-DOCAPW", "MY-DOCAPW")
    assert copied.version == 1
    engine.enable("MY-DOCAPW")
    assert engine.emit("DocSent", doc(), user="U").handled[0].workflow_code == "MY-DOCAPW"


def test_enable_refused_with_diagnostics(engine: Engine) -> None:
    w = W("BROKEN")
    e1 = w.event("DocSent", None)
    w.response("no_such_response", e1)
    engine.deploy_workflow(w.build())
    with pytest.raises(EnableRefused) as err:
        engine.enable("BROKEN")
    assert err.value.code == "WF507"
    assert any("no_such_response" in d.message for d in err.value.diagnostics)
    assert not engine.workflows()[0].enabled


def test_schema_version_newer_than_code_is_refused(engine_url: str) -> None:
    eng = open_engine(engine_url, libraries=[LIBRARY])
    eng.close()
    raw = create_engine(engine_url)
    with raw.begin() as conn:
        conn.execute(text("UPDATE wf_schema_version SET version = 99"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))  # a newer revision
    raw.dispose()
    with pytest.raises(WerkstroomError) as err:
        open_engine(engine_url, libraries=[LIBRARY])
    assert err.value.code == "WF513"


def test_concurrent_redeliveries_apply_once(engine_url: str) -> None:

    eng = open_engine(engine_url, clock=VirtualClock(), libraries=[LIBRARY])
    try:
        eng.deploy_workflow(approval_workflow())
        eng.enable("DOC-APW")
        results: list[object] = []
        barrier = threading.Barrier(4)

        def deliver() -> None:
            barrier.wait()
            try:
                results.append(eng.emit("DocSent", doc(), user="U", idempotency_key="same"))
            except Exception as exc:  # collected and checked below
                results.append(exc)

        threads = [threading.Thread(target=deliver) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        errors = [r for r in results if isinstance(r, Exception)]
        assert not errors, errors
        replayed = [r.replayed for r in results]  # type: ignore[attr-defined]
        assert sorted(replayed) == [False, True, True, True]
        assert len(eng.instances()) == 1 and len(eng.event_log()) == 1
    finally:
        eng.close()


def test_outbox_rows_carry_the_id_of_their_event(engine: Engine) -> None:
    # the outbox rows of an event point at its audit row (on PostgreSQL they take the id from the
    # audit table's sequence in the same transaction, and the result gets it with the commit)
    enable_apw(engine)
    first = engine.emit("DocSent", doc(), user="U")
    second = engine.emit("DocSent", doc(no="1002"), user="U")
    assert first.instance_id is not None
    last = engine.emit("Approved", approval(first.instance_id, 0), user="CAROL")
    results = (first, second, last)
    assert [row[0] for row in engine.event_log()] == [r.event_id for r in results]
    assert len({r.event_id for r in results}) == 3
    for r in results:
        assert r.effects
        assert [o.kind for o in engine.outbox(event_id=r.event_id)] == [e["kind"] for e in r.effects]
    assert len(engine.outbox()) == sum(len(r.effects) for r in results)


@pytest.mark.parametrize("engine_url", [pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
def test_stores_in_other_schemas_do_not_wait_for_each_others_record_locks(
        engine: Engine, engine_url: str, race: Any) -> None:
    # advisory locks belong to the whole database: the record lock's number is mixed with the
    # schema's name, so the same record key in another schema's store (another tenant, another
    # test worker) is handled at once instead of waiting for this transaction
    import re
    import time
    import uuid

    schema = re.search(r"search_path%3D(\w+)", engine_url)
    assert schema is not None
    other_schema = f"t_other_{uuid.uuid4().hex[:12]}"
    admin = create_engine(engine_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{other_schema}"'))
    done: dict[str, float] = {}
    try:
        other = open_engine(engine_url.replace(schema.group(1), other_schema), clock=VirtualClock(),
                            ids=SequentialIds(start=1000), libraries=[LIBRARY])
        try:
            other.deploy_workflow(approval_workflow())
            other.enable("DOC-APW")

            def mine() -> object:
                result = engine.emit("DocSent", doc(), user="U")
                done["mine"] = time.monotonic()
                return result

            def theirs() -> object:
                result = other.emit("DocSent", doc(), user="U")
                done["theirs"] = time.monotonic()
                return result

            enable_apw(engine)
            first, second = race(mine, theirs)
        finally:
            other.close()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{other_schema}" CASCADE'))
        admin.dispose()
    assert isinstance(first, EmitResult) and isinstance(second, EmitResult), second
    assert done["theirs"] < done["mine"]  # it did not wait for this store's transaction
    assert len(engine.instances()) == 1


@pytest.mark.parametrize("engine_url", ["sqlite"], indirect=True)  # PostgreSQL's readers never wait
def test_a_reading_transaction_does_not_wait_for_a_writer(engine_url: str) -> None:
    """``transaction(write=False)`` reads while another connection holds the write lock (on SQLite it
    does not take the lock: a writing one would wait for it, ``busy_timeout``), and sees the last
    committed rows."""
    eng = open_engine(engine_url, libraries=[LIBRARY])
    enable_apw(eng)
    writer = create_engine(engine_url).raw_connection()
    try:
        writer.driver_connection.execute("BEGIN IMMEDIATE")
        writer.driver_connection.execute("UPDATE wf_workflow SET description = 'changing'")
        with eng.transaction(write=False) as uow:
            found = uow.connection().execute(text("SELECT description FROM wf_workflow")).scalars().all()
        assert found and "changing" not in found
    finally:
        writer.rollback()
        writer.close()
        eng.close()
