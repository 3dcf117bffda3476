"""Approval entries created and notifications queued write outbox rows (``approval.entry_created``,
``notification.queued``) in the event's transaction, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from test_engine_cli import invoice, prepare

from werkstroom import Engine, SequentialIds, VirtualClock, open_engine


@pytest.fixture()
def eng(engine_url: str) -> Iterator[Engine]:
    e = open_engine(engine_url, clock=VirtualClock(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)),
                    ids=SequentialIds())
    prepare(e)
    try:
        yield e
    finally:
        e.close()


def test_an_invoice_with_two_entries_writes_two_entry_rows_and_a_notification_row(eng: Engine) -> None:
    result = eng.emit("PurchaseDocSentForApproval", invoice("1001", "500"), user="REQ")
    rows = eng.outbox(event_id=result.event_id)
    assert [o.kind for o in rows] == ["record.status_changed", "approval.entry_created",
                                      "approval.entry_created", "notification.queued"]
    entries = {e.entry_no: e for e in eng.approval_entries(record_key="Invoice|1001")}
    common = {"record_type": "PurchaseHeader", "record_key": "Invoice|1001", "sender": "REQ",
              "amount": "500.00", "currency_code": "", "due_date": "2026-01-07"}
    assert [o.payload for o in rows[1:3]] == [
        {**common, "entry_id": entries[1].entry_id, "entry_no": 1, "approver": "REQ", "sequence_no": 1,
         "status": "Approved"},  # the requester's own entry
        {**common, "entry_id": entries[2].entry_id, "entry_no": 2, "approver": "ANN", "sequence_no": 2,
         "status": "Created"},
    ]
    (queued,) = [n for n in eng.waiting_notifications() if n.recipient_id == "ANN"]
    assert rows[3].payload == {"notification_id": queued.id, "recipient": "ANN", "entry_type": "Approval",
                               "sender": "REQ", "record_type": "PurchaseHeader",
                               "record_key": "Invoice|1001", "approval_entry_id": entries[2].entry_id}
    assert {o.workflow_code for o in rows} == {"PIAPW-T"}
    assert {o.instance_id for o in rows} == {entries[1].instance_id}

