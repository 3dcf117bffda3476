"""The stdlib's response behaviours, run against an in-memory ResponseContext."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from wfstd_fakes import FakeContext, FakeRecord, catalogue, response, run

from werkstroom.errors import WerkstroomError


def purchase(status: str = "Pending Approval", **values: object) -> FakeRecord:
    return FakeRecord(
        "PurchaseHeader",
        "Invoice|PI-1",
        {"document_type": "Invoice", "no": "PI-1", "status": status, **values},
    )


def sales(**values: object) -> FakeRecord:
    return FakeRecord(
        "SalesHeader",
        "Order|SO-1",
        {"document_type": "Order", "no": "SO-1", "status": "Open", "sell_to_customer_no": "C1", **values},
    )


# --------------------------------------------------------------------------- document status


def test_release_sets_status_and_emits_effect() -> None:
    ctx = run("release_document", FakeContext(purchase()))
    assert ctx.document.values["status"] == "Released"
    assert ctx.calls == [("state.set_status", "Released")]
    assert [k for k, _ in ctx.effects] == ["document.released"]
    assert ctx.effects[0][1]["key"] == "Invoice|PI-1"
    assert ctx.effects[0][1]["workflow_code"] == "WF-TEST"


def test_release_of_unsupported_record_is_wf912() -> None:
    with pytest.raises(WerkstroomError) as err:
        run("release_document", FakeContext(FakeRecord("Customer", "C1")))
    assert err.value.code == "WF912"
    assert "Customer" in str(err.value)


def test_reopen_uses_new_for_incoming_documents_and_open_otherwise() -> None:
    assert run("reopen_document", FakeContext(purchase())).document.values["status"] == "Open"
    inc = FakeRecord("IncomingDocument", "7", {"status": "Pending Approval"})
    ctx = run("OPENDOCUMENT", FakeContext(inc))
    assert inc.values["status"] == "New"
    assert ctx.effects[0][0] == "document.reopened"


def test_set_status_pending_approval() -> None:
    ctx = run("set_status_pending_approval", FakeContext(purchase("Open")))
    assert ctx.document.values["status"] == "Pending Approval"
    with pytest.raises(WerkstroomError):
        run("set_status_pending_approval", FakeContext(FakeRecord("Vendor", "V1")))


def test_restrict_and_allow() -> None:
    assert run("restrict_record_usage", FakeContext(purchase())).calls == [("state.restrict",)]
    assert run("allow_record_usage", FakeContext(purchase())).calls == [("state.allow",)]


# --------------------------------------------------------------------------- approvals


def test_create_send_approve_reject_cancel_call_the_approvals_api() -> None:
    opts = {"approver_type": "Approver", "limit_type": "Direct Approver"}
    ctx = run(
        "create_approval_requests", FakeContext.for_response("create_approval_requests", purchase(), opts)
    )
    ((name, passed),) = ctx.calls
    assert name == "approvals.create_requests"
    assert passed["limit_type"] == "Direct Approver"
    assert passed["delegate_after"] == "Never"
    assert run("send_approval_requests", FakeContext(purchase())).calls[0][0] == "approvals.send_requests"
    assert run("approve_approval_requests", FakeContext(purchase())).calls == [("approvals.approve_all",)]
    assert run(
        "reject_approval_requests", FakeContext(purchase(), options={"notify_sender": True})
    ).calls == [("approvals.reject_all", {"notify_sender": True})]
    assert run("cancel_approval_requests", FakeContext(purchase())).calls[0][0] == "approvals.cancel_all"
    assert run("create_and_approve_automatically", FakeContext(sales())).calls == [
        ("approvals.create_and_approve_automatically",)
    ]
    assert (
        run("create_overdue_notifications", FakeContext(purchase())).calls[0][0]
        == "approvals.create_overdue_notifications"
    )
    ctx = run("open_approval_comments", FakeContext(purchase()))
    assert ctx.calls == [("approvals.request_comment",)]
    assert ctx.effects[0][0] == "approval.comments_requested"


def test_request_approval_creates_then_sends_with_the_same_options() -> None:
    ctx = run(
        "request_approval",
        FakeContext.for_response(
            "request_approval",
            purchase(),
            {"approver_type": "Workflow User Group", "workflow_user_group": "FIN", "notify_sender": True},
        ),
    )
    assert [c[0] for c in ctx.calls] == ["approvals.create_requests", "approvals.send_requests"]
    assert ctx.calls[0][1]["workflow_user_group"] == "FIN"
    assert ctx.calls[1][1]["notify_sender"] is True


# --------------------------------------------------------------------------- notifications and messages


def test_notification_entry_gets_the_options() -> None:
    ctx = run(
        "create_notification",
        FakeContext.for_response(
            "create_notification", purchase(), {"recipient": "BOB", "link_target_page": 189}
        ),
    )
    ((name, passed),) = ctx.calls
    assert name == "notifications.create_entry"
    assert passed["recipient"] == "BOB"
    assert passed["entry_type"] == "New Record"
    assert passed["link_target_page"] == 189
    assert "BOB" in ctx.explanations[0]


def test_show_message_and_do_nothing() -> None:
    ctx = run("show_message", FakeContext(purchase(), options={"message": "Sent for approval."}))
    assert ctx.messages == ["Sent for approval."]
    ctx = run("do_nothing", FakeContext(purchase()))
    assert (ctx.calls, ctx.effects, ctx.events, ctx.messages) == ([], [], [], [])


# --------------------------------------------------------------------------- posting and payments


def test_post_document_is_an_effect_for_the_host() -> None:
    ctx = run("post_document", FakeContext(purchase("Released")))
    assert ctx.effects == [("document.post", {**ctx.effects[0][1], "background": False})]
    assert ctx.effects[0][1]["record_type"] == "PurchaseHeader"


def test_background_posting_needs_a_released_document() -> None:
    ctx = run("post_document_in_background", FakeContext(sales(status="Released")))
    assert ctx.effects[0][1]["background"] is True
    with pytest.raises(WerkstroomError) as err:
        run("post_document_in_background", FakeContext(sales(status="Open")))
    assert err.value.code == "WF913"


def test_payment_line_effect_carries_template_batch_and_vendor() -> None:
    inv = FakeRecord(
        "PurchInvHeader", "PPI-9", {"no": "PPI-9", "buy_from_vendor_no": "V1", "pay_to_vendor_no": "V2"}
    )
    for name, background in (("create_payment_line", False), ("create_payment_line_in_background", True)):
        ctx = run(name, FakeContext(inv, options={"template": "PAYMENT", "batch": "GENERAL"}))
        kind, payload = ctx.effects[0]
        assert kind == "payment_line.create"
        assert (payload["journal_template"], payload["journal_batch"]) == ("PAYMENT", "GENERAL")
        assert payload["vendor_no"] == "V2"
        assert payload["applies_to_document_no"] == "PPI-9"
        assert payload["background"] is background
    with pytest.raises(WerkstroomError):
        run("create_payment_line", FakeContext(purchase()))


def test_approve_over_receipt_only_touches_pending_lines() -> None:
    doc = purchase()
    lines = [
        FakeRecord("PurchaseLine", f"Invoice|PI-1|{n}", {"line_no": n, "over_receipt_approval_status": s})
        for n, s in ((10000, "Pending"), (20000, " "), (30000, "Pending"))
    ]
    ctx = run("approve_over_receipt", FakeContext(doc, links={(doc.key, "lines"): lines}))
    assert [line.values["over_receipt_approval_status"] for line in lines] == ["Approved", " ", "Approved"]
    assert ctx.effects[0][1]["line_nos"] == [10000, 30000]


# --------------------------------------------------------------------------- checks that raise events


def _credit(
    limit: str, balance: str, outstanding: str, amount: str | None, amount_field: str = "amount_lcy"
) -> FakeContext:
    cust = FakeRecord(
        "Customer",
        "C1",
        {
            "credit_limit_lcy": Decimal(limit),
            "balance_lcy": Decimal(balance),
            "outstanding_orders_lcy": Decimal(outstanding),
        },
    )
    doc = sales(**({amount_field: Decimal(amount)} if amount is not None else {}))
    return run("check_customer_credit_limit", FakeContext(doc, links={(doc.key, "customer"): [cust]}))


def test_credit_limit_exceeded_and_not_exceeded() -> None:
    assert _credit("1000", "600", "100", "300.01").events == [("CustomerCreditLimitExceeded", "Order|SO-1")]
    assert _credit("1000", "600", "100", "300").events == [("CustomerCreditLimitNotExceeded", "Order|SO-1")]
    # falls back to the document's amount when amount_lcy is absent
    assert _credit("1000", "0", "0", "1500", "amount").events[0][0] == "CustomerCreditLimitExceeded"


def test_credit_limit_zero_means_no_limit_and_no_customer_is_not_exceeded() -> None:
    assert _credit("0", "999999", "0", "5").events[0][0] == "CustomerCreditLimitNotExceeded"
    ctx = run("check_customer_credit_limit", FakeContext(sales()))
    assert ctx.events == [("CustomerCreditLimitNotExceeded", "Order|SO-1")]


def test_credit_check_prefers_the_bill_to_customer() -> None:
    sell = FakeRecord("Customer", "C1", {"credit_limit_lcy": Decimal(10**6)})
    bill = FakeRecord("Customer", "C2", {"credit_limit_lcy": Decimal(10)})
    doc = sales(bill_to_customer_no="C2", amount_lcy=Decimal(50))
    ctx = run(
        "check_customer_credit_limit",
        FakeContext(doc, links={(doc.key, "customer"): [sell], (doc.key, "bill_to_customer"): [bill]}),
    )
    assert ctx.events[0][0] == "CustomerCreditLimitExceeded"


def test_journal_batch_balance() -> None:
    batch = FakeRecord("GenJournalBatch", "GENERAL|DEFAULT")

    def check(*amounts: str) -> str:
        lines = [FakeRecord("GenJournalLine", f"l{i}", {"amount": Decimal(a)}) for i, a in enumerate(amounts)]
        ctx = run("check_journal_batch_balance", FakeContext(batch, links={(batch.key, "lines"): lines}))
        ((name, key),) = ctx.events
        assert key == batch.key
        return name

    assert check("100.10", "-100.10") == "GenJournalBatchBalanced"
    assert check("100.10", "-100") == "GenJournalBatchNotBalanced"
    assert check("0.1", "0.2", "-0.3") == "GenJournalBatchBalanced"  # Decimal: no float drift


# --------------------------------------------------------------------------- incoming documents, OCR


def test_mark_ready_for_ocr_updates_the_incoming_document() -> None:
    inc = FakeRecord("IncomingDocument", "7", {"ocr_status": " "})
    att = FakeRecord("IncomingDocumentAttachment", "7|1")
    ctx = run("mark_ready_for_ocr", FakeContext(att, links={(att.key, "incoming_document"): [inc]}))
    assert inc.values["ocr_status"] == "Ready"
    assert ctx.effects[0][0] == "ocr.ready"
    with pytest.raises(WerkstroomError):
        run("mark_ready_for_ocr", FakeContext(att))  # attachment without its document


def test_ocr_send_and_receive_and_background_preconditions() -> None:
    ready = FakeRecord("IncomingDocument", "7", {"status": "Released", "ocr_status": "Ready"})
    assert run("send_to_ocr", FakeContext(ready)).effects[0][0] == "ocr.send"
    assert run("send_to_ocr_in_background", FakeContext(ready)).effects[0][1]["background"] is True
    with pytest.raises(WerkstroomError) as err:
        run("receive_from_ocr_in_background", FakeContext(ready))
    assert err.value.code == "WF913"
    sent = FakeRecord("IncomingDocument", "8", {"status": "Released", "ocr_status": "Sent"})
    assert run("receive_from_ocr_in_background", FakeContext(sent)).effects[0][0] == "ocr.receive"
    assert run("receive_from_ocr", FakeContext(sent)).effects[0][1]["background"] is False


def test_create_documents_from_incoming_documents() -> None:
    inc = FakeRecord("IncomingDocument", "7")
    ctx = run("create_document_from_incoming_document", FakeContext(inc))
    assert ctx.effects[0][0] == "incoming_document.create_document"
    assert ctx.effects[0][1]["released"] is False
    ctx = run("create_released_document_from_incoming_document", FakeContext(inc))
    assert ctx.effects[0][1]["released"] is True
    ctx = run("create_journal_line_from_incoming_document", FakeContext(inc))
    assert ctx.effects[0][0] == "incoming_document.create_journal_line"


# --------------------------------------------------------------------------- record changes, admin, webhook


def test_record_change_responses() -> None:
    cust = FakeRecord(
        "Customer", "C1", {"credit_limit_lcy": Decimal(5000)}, {"credit_limit_lcy": Decimal(1000)}
    )
    assert run("revert_field_value", FakeContext(cust, options={"field": "credit_limit_lcy"})).calls == [
        ("state.revert_field", "credit_limit_lcy")
    ]
    assert run("apply_new_values", FakeContext(cust, options={"field": None})).calls == [
        ("state.apply_new_values", None)
    ]
    assert run("apply_new_values", FakeContext(cust, options={"field": "credit_limit_lcy"})).calls == [
        ("state.apply_new_values", "credit_limit_lcy")
    ]
    assert run("discard_new_values", FakeContext(cust)).calls == [("state.discard_new_values",)]
    with pytest.raises(ValueError):
        run("revert_field_value", FakeContext(cust))


def test_enable_job_queue_entry() -> None:
    job = FakeRecord("JobQueueEntry", "guid-1", {"status": "On Hold"})
    ctx = run("enable_job_queue_entry", FakeContext(job))
    assert job.values["status"] == "Ready"
    assert ctx.effects[0][0] == "job_queue_entry.enabled"


def test_webhook_notification() -> None:
    ctx = run(
        "send_notification_to_webhook",
        FakeContext.for_response(
            "send_notification_to_webhook",
            purchase(),
            {"response_type": "User ID", "response_user_id": "BOB"},
        ),
    )
    kind, payload = ctx.effects[0]
    assert kind == "webhook.notify"
    assert (payload["response_type"], payload["response_user_id"]) == ("User ID", "BOB")
    assert "BOB" in ctx.explanations[0]


def test_every_response_behaviour_is_exercised_here() -> None:
    """Guard: a new stdlib response needs a behaviour test in this file."""
    text = Path(__file__).read_text(encoding="utf-8")
    missing = [
        r.name
        for r in catalogue().responses
        if f'"{r.name}"' not in text
        and f'"{r.bc_code}"' not in text
        and not any(f'"{p.text}"' in text for p in r.patterns)
    ]
    assert missing == []


def test_mandatory_rules() -> None:
    create = response("create_approval_requests")
    assert create.mandatory is not None
    assert create.mandatory({"approver_type": "Workflow User Group", "workflow_user_group": None})
    assert create.mandatory({"approver_type": "Workflow User Group", "workflow_user_group": "G"}) is None
    assert create.mandatory({"approver_type": "Approver", "limit_type": "Specific Approver"})
    assert (
        create.mandatory(
            {"approver_type": "Approver", "limit_type": "Specific Approver", "approver_id": "BOB"}
        )
        is None
    )
    assert create.mandatory({"approver_type": "Approver", "limit_type": "Approver Chain"}) is None
    notify = response("create_notification")
    assert notify.mandatory is not None
    assert notify.mandatory({"recipient": None, "notify_sender": False})
    assert notify.mandatory({"recipient": None, "notify_sender": True}) is None
    pay = response("create_payment_line")
    assert pay.mandatory is not None
    assert "batch" in (pay.mandatory({"template": "PAYMENT", "batch": ""}) or "")
    assert pay.mandatory({"template": "PAYMENT", "batch": "GEN"}) is None
