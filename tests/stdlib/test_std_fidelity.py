"""The stdlib against Business Central's catalogue (bc_reference.json: facts extracted from
/work/shared/domain/catalogue.json; a test re-extracts them when that file is present)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from wfstd_fakes import catalogue

from werkstroom.catalogue.specs import FieldKind
from werkstroom.stdlib import libraries
from werkstroom.stdlib.names import BC_EVENT_NAMES, BC_RESPONSE_NAMES, REQUEST_APPROVAL

HERE = Path(__file__).parent
REF: dict[str, Any] = json.loads((HERE / "bc_reference.json").read_text(encoding="utf-8"))
DOMAIN = Path("/work/shared/domain/catalogue.json")


def _extract(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "events": [
            {
                "code": e["code"],
                "table": e["table"],
                "predecessors": e["predecessors"],
                "record_change": e["used_for_record_change"],
                "known_instance": e["triggered_by"][0]["engine_entry"]
                == "HandleEventOnKnownWorkflowInstance",
                "responses_allowed_after": e["responses_allowed_after"],
            }
            for e in d["events"]
        ],
        "responses": [
            {
                "code": r["code"],
                "allowed_after_events": r["allowed_after_events"],
                "independent": r["independent"],
                "mandatory": r["arguments_mandatory"] is not None,
                "arguments": r["arguments"],
            }
            for r in d["responses"]
        ],
        "enums": d["enums"],
        "field_numbers": _field_numbers(d),
    }


def _field_numbers(d: dict[str, Any]) -> dict[str, dict[str, int]]:
    """BC field numbers by table and field caption: the fields template conditions use, and the fields
    of the tables whose schema the domain reference gives."""
    out: dict[str, dict[str, int]] = {t: dict(f) for t, f in d["condition_field_numbers"].items()}
    for table in d["tables"]:
        out.setdefault(table["name"], {}).update({f["name"]: f["id"] for f in table["fields"]})
    return out


@pytest.mark.skipif(not DOMAIN.exists(), reason="domain catalogue.json not available")
def test_reference_extract_is_current() -> None:
    assert _extract(json.loads(DOMAIN.read_text(encoding="utf-8"))) == REF


def test_field_numbers_come_from_bc() -> None:
    """Every BC field number the stdlib declares is the one the domain reference gives for that table
    and caption (none is made up), and the fields BC's templates filter on have theirs."""
    numbered = 0
    for rec in catalogue().records:
        for fld in rec.fields:
            if fld.field_no:
                numbered += 1
                assert REF["field_numbers"][rec.bc_name][fld.bc_name] == fld.field_no, (rec.name, fld.name)
        nos = [f.field_no for f in rec.fields if f.field_no]
        assert len(nos) == len(set(nos)), rec.name
    assert numbered >= 30
    domain = json.loads(DOMAIN.read_text(encoding="utf-8")) if DOMAIN.exists() else None
    used = domain["condition_field_numbers"] if domain else {
        "Purchase Header": {"Document Type": 1, "Status": 120}}
    for table, fields in used.items():
        rec = next(r for r in catalogue().records if r.bc_name == table)
        for caption, no in fields.items():
            fld = next(f for f in rec.fields if f.bc_name == caption)
            assert fld.field_no == no, (table, caption)


def test_counts() -> None:
    cat = catalogue()
    assert len(cat.events) == 51
    bc = [r for r in cat.responses if r.bc_code]
    assert len(bc) == 36
    assert [r.name for r in cat.responses if not r.bc_code] == [REQUEST_APPROVAL]
    assert len(REF["events"]) == 51 and len(REF["responses"]) == 36


def test_every_bc_code_is_mapped_exactly_once() -> None:
    cat = catalogue()
    ev_codes = [e.bc_code for e in cat.events]
    assert sorted(ev_codes) == sorted(e["code"] for e in REF["events"])
    assert len(set(ev_codes)) == 51
    resp_codes = [r.bc_code for r in cat.responses if r.bc_code]
    assert sorted(resp_codes) == sorted(r["code"] for r in REF["responses"])
    assert len(set(resp_codes)) == 36
    assert set(BC_EVENT_NAMES) == set(ev_codes)
    assert set(BC_RESPONSE_NAMES) == set(resp_codes)
    assert len(set(BC_EVENT_NAMES.values())) == 51
    for e in cat.events:
        assert BC_EVENT_NAMES[e.bc_code] == e.name
        assert cat.event(e.bc_code) is e and cat.event(e.bc_code.lower()) is e


def test_event_names_read_as_subject_what_happened() -> None:
    for e in catalogue().events:
        assert re.fullmatch(r"(?:[A-Z][a-z0-9]+)+", e.name), e.name
        assert e.description and e.description[0].isupper() and e.description.endswith("."), e.name


def test_events_match_bc() -> None:
    cat = catalogue()
    for ref in REF["events"]:
        ev = cat.event(ref["code"])
        assert ev is not None
        rec = cat.record(ev.record)
        assert rec is not None and rec.bc_name == ref["table"], ev.name
        assert sorted(ev.predecessors) == sorted(BC_EVENT_NAMES[c] for c in ref["predecessors"]), ev.name
        assert ev.record_change is ref["record_change"], ev.name
        assert ev.on_known_instance is ref["known_instance"], ev.name


def test_responses_match_bc() -> None:
    cat = catalogue()
    for ref in REF["responses"]:
        resp = cat.response(ref["code"])
        assert resp is not None
        assert sorted(resp.allowed_after) == sorted(BC_EVENT_NAMES[c] for c in ref["allowed_after_events"]), (
            resp.name
        )
        assert (not resp.allowed_after) is ref["independent"], resp.name
        assert (resp.mandatory is not None) is ref["mandatory"], resp.name
        assert bool(resp.mandatory_rule) is ref["mandatory"], resp.name


def test_event_side_response_lists_agree_with_response_side() -> None:
    """BC lists allowed responses on both sides; our single list (on the response) covers both."""
    cat = catalogue()
    for ref in REF["events"]:
        ev = cat.event(ref["code"])
        assert ev is not None
        for code in ref["responses_allowed_after"]:
            resp = cat.response(code)
            assert resp is not None and cat.response_allowed_after(resp, ev), (ev.name, code)


# BC arguments a response gets from elsewhere in Werkstroom: the table of a field is the event's record,
# and "apply all" is the absence of a field.
_IMPLIED = {"Table No.", "Apply All New Values"}


def test_response_options_cover_bc_arguments() -> None:
    cat = catalogue()
    for ref in REF["responses"]:
        resp = cat.response(ref["code"])
        assert resp is not None
        bc_names = {o.bc_name for o in resp.options}
        wanted = {re.sub(r"\s*\(.*\)$", "", a) for a in ref["arguments"]} - _IMPLIED
        assert wanted <= bc_names, (resp.name, wanted - bc_names)


def test_request_approval_is_create_plus_send() -> None:
    cat = catalogue()
    req, create, send = (
        cat.response(n) for n in (REQUEST_APPROVAL, "create_approval_requests", "send_approval_requests")
    )
    assert req is not None and create is not None and send is not None
    released = {"PurchaseDocReleased", "SalesDocReleased", "IncomingDocumentReleased"}
    assert set(req.allowed_after) == (set(create.allowed_after) & set(send.allowed_after)) | released
    assert {o.name for o in req.options} == {o.name for o in create.options} | {o.name for o in send.options}
    # same approver presets as create
    assert [p.presets for p in req.patterns] == [p.presets for p in create.patterns]
    assert [p.text.replace("request approval from", "") for p in req.patterns] == [
        p.text.replace("create approval requests for", "") for p in create.patterns
    ]


def test_check_responses_raise_their_events() -> None:
    cat = catalogue()
    credit = cat.response("CHECKCUSTOMERCREDITLIMIT")
    batch = cat.response("CHECKGENERALJOURNALBATCHBALANCE")
    assert credit is not None and batch is not None
    assert set(credit.raises) == {"CustomerCreditLimitExceeded", "CustomerCreditLimitNotExceeded"}
    assert set(batch.raises) == {"GenJournalBatchBalanced", "GenJournalBatchNotBalanced"}
    for name in (*credit.raises, *batch.raises):
        ev = cat.event(name)
        assert ev is not None and ev.predecessors  # raised events follow the send event


_ENUM_MAP = {
    "Workflow Approver Type (enum 460)": "WorkflowApproverType",
    "Workflow Approver Limit Type (enum 465)": "WorkflowApproverLimitType",
    'Workflow Approval Type (enum 458, Approval Entry."Approval Type")': "WorkflowApprovalType",
    'Workflow Approval Limit Type (enum 457, Approval Entry."Limit Type")': "WorkflowApprovalLimitType",
    "Approval Status (enum 455)": "ApprovalStatus",
    "Approval Document Type (enum 454)": "ApprovalDocumentType",
    "Notification Entry Type (enum 1511)": "NotificationEntryType",
    "Workflow Step Argument Delegate After (option)": "WorkflowDelegateAfter",
    "Workflow Step Argument Response Type (option)": "WorkflowWebhookResponseType",
    "Sales/Purchase Document Type (enums 36/38)": "PurchaseDocumentType",
    "Sales/Purchase Document Status (enums 3612/3812)": "SalesDocumentStatus",
    "Incoming Document Status (enum 130)": "IncomingDocumentStatus",
    "Incoming Document OCR Status (option)": "IncomingDocumentOcrStatus",
}


def test_enums_have_bc_values_in_order() -> None:
    cat = catalogue()
    for ref_name, ours in _ENUM_MAP.items():
        enum = cat.enum(ours)
        assert enum is not None, ours
        assert list(enum.values) == REF["enums"][ref_name], ours
    sales_type = cat.enum("SalesDocumentType")
    assert sales_type is not None
    assert list(sales_type.values) == REF["enums"]["Sales/Purchase Document Type (enums 36/38)"]


def test_delegate_after_accepts_bc_shorthand() -> None:
    enum = catalogue().enum("WorkflowDelegateAfter")
    assert enum is not None
    assert [enum.lookup(x) for x in ("1D", "2d", "5D", "2 days", "never", "3D")] == [
        "1 day",
        "2 days",
        "5 days",
        "2 days",
        "Never",
        None,
    ]


def test_records_are_typed_and_related() -> None:
    cat = catalogue()
    for name in (
        "PurchaseHeader",
        "PurchaseLine",
        "PurchInvHeader",
        "SalesHeader",
        "SalesLine",
        "Customer",
        "Vendor",
        "VendorBankAccount",
        "Item",
        "GenJournalLine",
        "GenJournalBatch",
        "ItemJournalBatch",
        "RequisitionWkshName",
        "IncomingDocument",
        "IncomingDocumentAttachment",
        "JobQueueEntry",
        "ApprovalEntry",
        "WorkflowWebhookEntry",
    ):
        rec = cat.record(name)
        assert rec is not None, name
        for f in rec.fields:
            assert re.fullmatch(r"[a-z][a-z0-9_]*", f.name), (name, f.name)
            assert f.bc_name, (name, f.name)
    money = [
        ("PurchaseHeader", "amount"),
        ("PurchaseHeader", "amount_lcy"),
        ("SalesLine", "unit_price"),
        ("Customer", "credit_limit_lcy"),
        ("Item", "unit_price"),
        ("ApprovalEntry", "amount_lcy"),
        ("GenJournalLine", "amount"),
    ]
    for rec_name, field in money:
        rec = cat.record(rec_name)
        assert rec is not None
        spec = rec.field(field)
        assert spec is not None and spec.kind is FieldKind.DECIMAL, (rec_name, field)
    approval = cat.record("ApprovalEntry")
    assert approval is not None
    pending = approval.field("pending_approvals")
    assert pending is not None and pending.flowfield and pending.kind is FieldKind.INTEGER
    for fname in (
        "status",
        "approver_id",
        "sender_id",
        "sequence_no",
        "amount",
        "due_date",
        "record_type",
        "record_key",
        "document_type",
        "document_no",
    ):
        assert approval.field(fname) is not None, fname
    ph = cat.record("PurchaseHeader")
    assert ph is not None
    lines, vendor = ph.relation("lines"), ph.relation("vendor")
    assert lines is not None and lines.many and lines.record == "PurchaseLine"
    assert vendor is not None and not vendor.many and vendor.record == "Vendor"
    sh = cat.record("SalesHeader")
    assert sh is not None
    cust = sh.relation("customer")
    assert cust is not None and cust.record == "Customer"


def test_stdlib_builds_without_side_effects_and_installs_cleanly() -> None:
    from werkstroom.catalogue.catalogue import Catalogue

    a, b = libraries(), libraries()
    # pure functions: the same declarations each call (behaviours are fresh closures, so compare names)
    assert [(lib.name, [e for e in lib.events], [r.name for r in lib.responses]) for lib in a] == [
        (lib.name, [e for e in lib.events], [r.name for r in lib.responses]) for lib in b
    ]
    assert [lib.records for lib in a] == [lib.records for lib in b]
    assert len(a) == 9
    cat = Catalogue()
    assert cat.install_all(a) == []
    assert {lib.name for lib in cat.libraries} == {lib.name for lib in a}
