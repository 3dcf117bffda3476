"""EmitResult.to_json is written out by hand for speed: it must stay what attrs.asdict gives."""

from __future__ import annotations

from decimal import Decimal

import attr

from werkstroom.engine.facade import Engine
from werkstroom.engine.trace import EmitResult, Handled, ResponseTrace, StepTrace


def _rich() -> EmitResult:
    fired = StepTrace("WF-1", "instance-1", 1, "PurchaseDocSentForApproval", "amount > 1000", True,
                      [("amount > 1000", [("amount", "5000")], True)])
    missed = StepTrace("WF-2", None, 3, "PurchaseDocSentForApproval", "amount > 9000", False,
                       [("amount > 9000", [("amount", "5000"), ("status", None)], False)])
    resp = ResponseTrace(2, "create_approval_requests", "send", {"limit_type": "Approver Chain", "n": 2,
                                                                  "nested": {"a": [1, 2]}},
                         ["entry 1 for ANN"], ["record.status_changed"], ["ApprovalRequestApproved"], 4)
    h1 = Handled("PurchaseDocSentForApproval", "PurchaseHeader", "Invoice|1", "REQ", "", "started", True,
                 "instance-1", "WF-1", fired, [missed], [resp], ["a note"], False)
    h2 = Handled("ApprovalRequestApproved", "ApprovalEntry", "2", "ANN", "send", "no step matched",
                 archived=True)
    return EmitResult(7, [h1, h2], [{"kind": "message", "payload": {"text": "hi", "amount": Decimal("1.50")},
                                     "instance_id": "instance-1", "workflow_code": "WF-1"}], replayed=False)


def test_to_json_is_attrs_asdict() -> None:
    result = _rich()
    assert result.to_json() == attr.asdict(result, retain_collection_types=True)
    assert EmitResult(1).to_json() == attr.asdict(EmitResult(1), retain_collection_types=True)


def test_to_json_round_trips_through_from_json() -> None:
    result = _rich()
    back = EmitResult.from_json(result.to_json())
    assert back == result


def test_the_stored_result_text_is_what_dumps_writes() -> None:
    from werkstroom.store import codec as codec

    data = _rich().to_json()
    assert codec.dumps_mostly_plain(data) == codec.dumps(data)


def test_to_json_copies_every_container() -> None:
    result = _rich()
    data = result.to_json()
    assert data["effects"] is not result.effects
    assert data["effects"][0]["payload"] is not result.effects[0]["payload"]
    options = data["handled"][0]["responses"][0]["options"]
    assert options == result.handled[0].responses[0].options
    assert options is not result.handled[0].responses[0].options
    assert options["nested"]["a"] is not result.handled[0].responses[0].options["nested"]["a"]


def test_effect_payloads_are_kept_in_their_plain_form() -> None:
    import datetime as dt
    from types import SimpleNamespace
    from typing import Any, cast

    from werkstroom.engine.run import Run
    from werkstroom.store import codec as codec

    run = Run.__new__(Run)
    run.uow = cast(Any, SimpleNamespace(clock=SimpleNamespace(now=lambda: dt.datetime(2026, 1, 1))))
    run.effects, run._outbox, run._current_response = [], [], None
    flat: dict[str, Any] = {"text": "hi", "n": 2, "ok": True, "none": None}
    rich: dict[Any, Any] = {"amount": Decimal("1.50"), "on": dt.date(2026, 1, 2), "items": (1, 2), 3: "x"}
    for payload in (flat, rich):
        run.effect("message", payload)
        assert run.effects[-1]["payload"] == codec.plain(payload)
        assert run.effects[-1]["payload"] is not payload
        assert run._outbox[-1]["payload"] == codec.dumps(payload)


def test_the_stored_text_is_the_json_of_to_json_without_the_event_id() -> None:
    from werkstroom.store import codec as codec

    for result in (_rich(), EmitResult(3)):
        expected = result.to_json()
        del expected["event_id"]
        assert result.stored_text() == codec.dumps_mostly_plain(expected)
    # the standard library's path (non-ASCII text) gives the same text as well
    odd = _rich()
    odd.handled[0].notes.append("goedgekeurd door Zoë")
    odd.handled[0].responses[0].options["tags"] = frozenset({"b"})
    expected = odd.to_json()
    del expected["event_id"]
    assert odd.stored_text() == codec.dumps_mostly_plain(expected)
    assert "\\u00eb" in odd.stored_text()


def test_an_engine_event_stores_that_text(engine: Engine) -> None:
    from sqlalchemy import select

    from werkstroom.store import codec as codec
    from werkstroom.store.database import EventLogRow

    from .lib import approval_workflow, doc

    engine.deploy_workflow(approval_workflow("DOC-APW"))
    engine.enable("DOC-APW")
    res = engine.emit("DocSent", doc(), user="ALICE")
    assert res.outcome == "started" and res.handled[0].responses
    expected = res.to_json()
    del expected["event_id"]
    with engine.transaction() as uow:
        text = uow.session.scalar(select(EventLogRow.result).where(EventLogRow.id == res.event_id))
    assert text == codec.dumps_mostly_plain(expected)
