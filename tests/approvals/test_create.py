"""Creating approval requests: every approver type x limit type, sufficiency by record kind, BC's errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from apptools import group, make_scope, purchase, sales, user
from sqlalchemy import select

from werkstroom.engine.approvals.errors import ApprovalError
from werkstroom.engine.approvals.rows import SimpleRecord
from werkstroom.engine.approvals.service import ApprovalService
from werkstroom.engine.unit import UnitOfWork
from werkstroom.store.approvals import ApprovalEntry


def rows(uow: UnitOfWork) -> list[tuple[str, int, str]]:
    uow.flush()
    return [(e.approver_id, e.sequence_no, e.status)
            for e in uow.session.scalars(select(ApprovalEntry).order_by(ApprovalEntry.entry_no))]


def create(uow: UnitOfWork, doc: SimpleRecord, requester: str = "REQ", **options: Any) -> None:
    scope, _ = make_scope(uow, doc, requester)
    ApprovalService(scope).create_requests(options)


def refused(uow: UnitOfWork, code: str, doc: SimpleRecord, requester: str = "REQ", **options: Any) -> str:
    with pytest.raises(ApprovalError) as err:
        create(uow, doc, requester, **options)
    assert err.value.code == code
    assert rows(uow) == []  # a refusal changes nothing
    return err.value.message


# --------------------------------------------------------------------------- approver x limit type


def test_approver_chain_goes_up_to_and_including_first_sufficient(chain_org: UnitOfWork) -> None:
    create(chain_org, purchase(amount="5000"), approver_type="Approver", limit_type="Approver Chain")
    assert rows(chain_org) == [("REQ", 1, "Approved"), ("ANN", 2, "Created"), ("BOB", 3, "Created")]
    e = chain_org.session.scalars(select(ApprovalEntry).where(ApprovalEntry.approver_id == "ANN")).one()
    assert (e.approval_type, e.limit_type, e.sender_id) == ("Approver", "Approval Limits", "REQ")
    assert e.document_no == "1001" and e.amount_lcy == Decimal(5000)


def test_approver_chain_reaches_top_of_chain(chain_org: UnitOfWork) -> None:
    create(chain_org, purchase(amount="50000"), limit_type="Approver Chain")
    assert [r[0] for r in rows(chain_org)] == ["REQ", "ANN", "BOB", "CEO"]


def test_approver_chain_requester_sufficient_gets_only_own_approved_entry(chain_org: UnitOfWork) -> None:
    create(chain_org, purchase(amount="800"), requester="ANN", limit_type="Approver Chain")
    assert rows(chain_org) == [("ANN", 1, "Approved")]


def test_first_qualified_only_first_sufficient(chain_org: UnitOfWork) -> None:
    create(chain_org, purchase(amount="5000"), limit_type="First Qualified Approver")
    assert rows(chain_org) == [("REQ", 1, "Approved"), ("BOB", 2, "Created")]
    e = chain_org.session.scalars(select(ApprovalEntry).where(ApprovalEntry.approver_id == "BOB")).one()
    assert e.limit_type == "Approval Limits"


def test_direct_approver_ignores_limits(chain_org: UnitOfWork) -> None:
    create(chain_org, purchase(amount="999999"), limit_type="Direct Approver")
    assert rows(chain_org) == [("ANN", 1, "Created")]
    e = chain_org.session.scalars(select(ApprovalEntry)).one()
    assert e.limit_type == "No Limits"


def test_direct_approver_missing_is_an_error(chain_org: UnitOfWork) -> None:
    user(chain_org, "LONE", "")
    msg = refused(chain_org, "WF602", purchase(), requester="LONE", limit_type="Direct Approver")
    assert "LONE" in msg


def test_direct_approver_missing_for_administrator_self_approves(chain_org: UnitOfWork) -> None:
    create(chain_org, purchase(), requester="ADMIN", limit_type="Direct Approver")
    assert rows(chain_org) == [("ADMIN", 1, "Approved")]


def test_specific_approver(chain_org: UnitOfWork) -> None:
    create(chain_org, purchase(), limit_type="Specific Approver", approver_id="CEO")
    assert rows(chain_org) == [("CEO", 1, "Created")]


def test_specific_approver_must_exist(chain_org: UnitOfWork) -> None:
    refused(chain_org, "WF609", purchase(), limit_type="Specific Approver", approver_id="NOBODY")
    refused(chain_org, "WF609", purchase(), limit_type="Specific Approver")


# --------------------------------------------------------------------------- salesperson/purchaser


@pytest.fixture()
def sp_org(chain_org: UnitOfWork) -> UnitOfWork:
    user(chain_org, "PAUL", "BOB", salespers_purch_code="PP", purchase_amount_approval_limit=Decimal(2000))
    return chain_org


def test_salesperson_direct(sp_org: UnitOfWork) -> None:
    create(sp_org, purchase(purchaser_code="PP", amount="99999"), approver_type="Salesperson/Purchaser",
           limit_type="Direct Approver")
    assert rows(sp_org) == [("PAUL", 1, "Created")]
    assert sp_org.session.scalars(select(ApprovalEntry)).one().approval_type == "Sales Pers./Purchaser"


def test_salesperson_chain(sp_org: UnitOfWork) -> None:
    create(sp_org, purchase(purchaser_code="PP", amount="5000"), approver_type="Salesperson/Purchaser",
           limit_type="Approver Chain")
    assert rows(sp_org) == [("PAUL", 1, "Created"), ("BOB", 2, "Created")]


def test_salesperson_first_qualified_sufficient(sp_org: UnitOfWork) -> None:
    create(sp_org, purchase(purchaser_code="PP", amount="1500"), approver_type="Salesperson/Purchaser",
           limit_type="First Qualified Approver")
    assert rows(sp_org) == [("PAUL", 1, "Created")]


def test_salesperson_first_qualified_not_sufficient(sp_org: UnitOfWork) -> None:
    create(sp_org, purchase(purchaser_code="PP", amount="50000"), approver_type="Salesperson/Purchaser",
           limit_type="First Qualified Approver")
    assert rows(sp_org) == [("CEO", 1, "Created")]


def test_salesperson_specific(sp_org: UnitOfWork) -> None:
    create(sp_org, purchase(purchaser_code="PP"), approver_type="Salesperson/Purchaser",
           limit_type="Specific Approver", approver_id="ANN")
    assert rows(sp_org) == [("PAUL", 1, "Created"), ("ANN", 2, "Created")]


def test_salesperson_code_blank(sp_org: UnitOfWork) -> None:
    refused(sp_org, "WF607", purchase(), approver_type="Salesperson/Purchaser", limit_type="Direct Approver")


def test_salesperson_code_unmapped(sp_org: UnitOfWork) -> None:
    refused(sp_org, "WF608", purchase(purchaser_code="ZZ"), approver_type="Salesperson/Purchaser",
            limit_type="Approver Chain")


def test_salesperson_on_sales_document_uses_salesperson_code(sp_org: UnitOfWork) -> None:
    user(sp_org, "SAM", "CEO", salespers_purch_code="SM", sales_amount_approval_limit=Decimal(100))
    create(sp_org, sales(salesperson_code="SM", amount="500"), approver_type="Salesperson/Purchaser",
           limit_type="Approver Chain")
    assert rows(sp_org) == [("SAM", 1, "Created"), ("CEO", 2, "Created")]


# --------------------------------------------------------------------------- groups


def test_group_members_in_sequence_with_parallel_tier(chain_org: UnitOfWork) -> None:
    group(chain_org, "FIN", [("ANN", 1), ("BOB", 2), ("CEO", 2)])
    create(chain_org, purchase(amount="999999"), approver_type="Workflow User Group",
           workflow_user_group="FIN", limit_type="Approver Chain")
    assert rows(chain_org) == [("ANN", 1, "Created"), ("BOB", 2, "Created"), ("CEO", 2, "Created")]
    assert {e.limit_type for e in chain_org.session.scalars(select(ApprovalEntry))} == {"No Limits"}


def test_group_requester_member_is_auto_approved(chain_org: UnitOfWork) -> None:
    group(chain_org, "FIN", [("REQ", 1), ("BOB", 2)])
    create(chain_org, purchase(), approver_type="Workflow User Group", workflow_user_group="FIN")
    assert rows(chain_org) == [("REQ", 1, "Approved"), ("BOB", 2, "Created")]


def test_group_without_members(chain_org: UnitOfWork) -> None:
    group(chain_org, "EMPTY", [])
    refused(chain_org, "WF605", purchase(), approver_type="Workflow User Group", workflow_user_group="EMPTY")
    refused(chain_org, "WF605", purchase(), approver_type="Workflow User Group", workflow_user_group="NOPE")


def test_group_member_without_setup(chain_org: UnitOfWork) -> None:
    group(chain_org, "FIN", [("ANN", 1), ("GHOST", 2)])
    msg = refused(chain_org, "WF606", purchase(), approver_type="Workflow User Group",
                  workflow_user_group="FIN")
    assert "GHOST" in msg


def test_second_request_continues_sequence_numbers(chain_org: UnitOfWork) -> None:
    group(chain_org, "FIN", [("ANN", 1), ("BOB", 1)])
    create(chain_org, purchase(), limit_type="Direct Approver")
    create(chain_org, purchase(), approver_type="Workflow User Group", workflow_user_group="FIN")
    assert rows(chain_org) == [("ANN", 1, "Created"), ("ANN", 2, "Created"), ("BOB", 2, "Created")]


# --------------------------------------------------------------------------- limit categories


@pytest.mark.parametrize(("doc", "limit_field", "expected_top"), [
    (purchase(doc_type="Quote", amount="5000"), "request", "BOB"),
    (purchase(doc_type="Invoice", amount="5000"), "purchase", "BOB"),
    (sales(amount="5000"), "sales", "BOB"),
    (SimpleRecord("GenJournalLine", "G|B|1", {"account_type": "Vendor", "amount_lcy": Decimal(5000)}),
     "purchase", "BOB"),
    (SimpleRecord("GenJournalLine", "G|B|2", {"account_type": "Customer", "amount_lcy": Decimal(5000)}),
     "sales", "BOB"),
    (SimpleRecord("GenJournalLine", "G|B|3", {"account_type": "G/L Account", "amount_lcy": Decimal(5000)}),
     "request", "BOB"),
])
def test_limit_category_by_record_kind(uow: UnitOfWork, doc: SimpleRecord, limit_field: str,
                                       expected_top: str) -> None:
    # only the limit of the category in play is high enough: other categories give no authority
    user(uow, "CEO", "CEO")
    user(uow, "BOB", "CEO", **{f"{limit_field}_amount_approval_limit": Decimal(10000)})
    user(uow, "REQ", "BOB")
    create(uow, doc, limit_type="Approver Chain")
    assert [r[0] for r in rows(uow)] == ["REQ", expected_top]


def test_other_records_are_always_sufficient(chain_org: UnitOfWork) -> None:
    cust = SimpleRecord("Customer", "C1", {"no": "C1", "credit_limit_lcy": Decimal(10**9)})
    create(chain_org, cust, limit_type="Approver Chain")
    assert rows(chain_org) == [("REQ", 1, "Approved")]


def test_limit_zero_means_no_authority_even_for_zero_amount(uow: UnitOfWork) -> None:
    user(uow, "TOP", "TOP")
    user(uow, "REQ", "TOP")  # purchase limit 0
    create(uow, purchase(amount="0"), limit_type="Approver Chain")
    assert [r[0] for r in rows(uow)] == ["REQ", "TOP"]


def test_unlimited_flag(uow: UnitOfWork) -> None:
    user(uow, "TOP", "TOP")
    user(uow, "MID", "TOP", unlimited_purchase_approval=True)
    user(uow, "REQ", "MID")
    create(uow, purchase(amount="1000000000"), limit_type="Approver Chain")
    assert [r[0] for r in rows(uow)] == ["REQ", "MID"]


def test_amount_in_local_currency_decides(chain_org: UnitOfWork) -> None:
    doc = purchase(amount="500", amount_lcy=Decimal("5000"), currency_code="USD")
    create(chain_org, doc, limit_type="First Qualified Approver")
    assert [r[0] for r in rows(chain_org)] == ["REQ", "BOB"]
    bob = chain_org.session.scalars(select(ApprovalEntry).where(ApprovalEntry.approver_id == "BOB")).one()
    assert (bob.amount, bob.amount_lcy, bob.currency_code) == (Decimal(500), Decimal(5000), "USD")


def test_amount_falls_back_to_amount_field(chain_org: UnitOfWork) -> None:
    doc = SimpleRecord("PurchaseHeader", "Invoice|9", {"document_type": "Invoice", "no": "9",
                                                      "amount": Decimal("5000")})
    create(chain_org, doc, limit_type="First Qualified Approver")
    assert [r[0] for r in rows(chain_org)] == ["REQ", "BOB"]


def test_journal_batch_only_direct_supported(chain_org: UnitOfWork) -> None:
    batch = SimpleRecord("GenJournalBatch", "GENERAL|DEFAULT", {"name": "DEFAULT"})
    scope, rec = make_scope(chain_org, batch, "REQ")
    ApprovalService(scope).create_requests({"limit_type": "Approver Chain"})
    assert rows(chain_org) == [("REQ", 1, "Approved")]
    assert any("only Direct Approver" in line for line in rec.lines)


# --------------------------------------------------------------------------- chain errors


def test_chain_loop(uow: UnitOfWork) -> None:
    user(uow, "A", "B")
    user(uow, "B", "A")
    msg = refused(uow, "WF604", purchase(amount="5000"), requester="A", limit_type="Approver Chain")
    assert "No sufficient approver" in msg


def test_chain_without_qualified_approver(uow: UnitOfWork) -> None:
    user(uow, "B", "")
    user(uow, "A", "B")
    msg = refused(uow, "WF603", purchase(amount="5000"), requester="A", limit_type="Approver Chain")
    assert "No qualified approver" in msg


def test_chain_link_without_setup(uow: UnitOfWork) -> None:
    user(uow, "A", "GONE")
    refused(uow, "WF601", purchase(amount="5000"), requester="A", limit_type="First Qualified Approver")


def test_requester_without_setup(chain_org: UnitOfWork) -> None:
    refused(chain_org, "WF601", purchase(), requester="STRANGER", limit_type="Approver Chain")


def test_unknown_approver_or_limit_type(chain_org: UnitOfWork) -> None:
    refused(chain_org, "WF623", purchase(), approver_type="Manager")
    refused(chain_org, "WF623", purchase(), limit_type="Highest")


# --------------------------------------------------------------------------- dates


def test_due_date_and_delegation_formula(chain_org: UnitOfWork) -> None:
    create(chain_org, purchase(), limit_type="Direct Approver", due_date_formula="2D",
           delegate_after="5 days")
    chain_org.flush()
    e = chain_org.session.scalars(select(ApprovalEntry)).one()
    assert e.due_date == dt.date(2026, 1, 7)
    assert e.delegation_date_formula == "5D"


def test_blank_due_date_is_today(chain_org: UnitOfWork) -> None:
    create(chain_org, purchase(), limit_type="Direct Approver", delegate_after="Never")
    chain_org.flush()
    e = chain_org.session.scalars(select(ApprovalEntry)).one()
    assert e.due_date == dt.date(2026, 1, 5) and e.delegation_date_formula == ""


def test_negative_or_invalid_due_date_formula(chain_org: UnitOfWork) -> None:
    refused(chain_org, "WF618", purchase(), limit_type="Direct Approver", due_date_formula="-1D")
    refused(chain_org, "WF618", purchase(), limit_type="Direct Approver", due_date_formula="2X")
    refused(chain_org, "WF618", purchase(), limit_type="Direct Approver", delegate_after="-2D")
