"""BC's approval rules that depend only on data: the approval-entry template taken from a record, the
limit category a record falls in, and whether a user is a sufficient approver for it."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

import attrs

from ...catalogue.specs import normalize_enum
from .errors import ApprovalError

APPROVER_TYPES = {
    "salespersonpurchaser": "Salesperson/Purchaser",
    "salesperson": "Salesperson/Purchaser",
    "purchaser": "Salesperson/Purchaser",
    "salespurchaser": "Salesperson/Purchaser",
    "approver": "Approver",
    "workflowusergroup": "Workflow User Group",
    "usergroup": "Workflow User Group",
    "group": "Workflow User Group",
}
LIMIT_TYPES = {
    "approverchain": "Approver Chain",
    "chain": "Approver Chain",
    "directapprover": "Direct Approver",
    "direct": "Direct Approver",
    "firstqualifiedapprover": "First Qualified Approver",
    "firstqualified": "First Qualified Approver",
    "specificapprover": "Specific Approver",
    "specific": "Specific Approver",
}
# Approval Entry."Approval Type" per approver type
APPROVAL_TYPE = {
    "Salesperson/Purchaser": "Sales Pers./Purchaser",
    "Approver": "Approver",
    "Workflow User Group": "Workflow User Group",
}


def approver_type(value: object) -> str:
    key = normalize_enum(str(value or "Approver"))
    found = APPROVER_TYPES.get(key)
    if found is None:
        raise ApprovalError("WF623", f"unknown approver type {value!r} (use Salesperson/Purchaser, "
                                     "Approver or Workflow User Group)")
    return found


def limit_type(value: object) -> str:
    key = normalize_enum(str(value or "Approver Chain"))
    found = LIMIT_TYPES.get(key)
    if found is None:
        raise ApprovalError("WF623", f"unknown approver limit type {value!r} (use Approver Chain, Direct "
                                     "Approver, First Qualified Approver or Specific Approver)")
    return found


def to_decimal(value: Any) -> Decimal:
    if value is None or value == "":
        return Decimal(0)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise ValueError("a boolean is not an amount")
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc


def _first(values: Mapping[str, Any], *names: str) -> Any:
    for name in names:
        v = values.get(name)
        if v is not None and v != "":
            return v
    return None


@attrs.frozen
class EntryTemplate:
    """BC's approval-entry template (PopulateApprovalEntryArgument) for one record."""

    record_type: str
    record_key: str
    kind: str  # "purchase", "sales", "journal", "other"
    document_type: str
    document_no: str
    salespers_purch_code: str
    amount: Decimal
    amount_lcy: Decimal
    currency_code: str
    available_credit_limit_lcy: Decimal
    limit_category: str  # "purchase", "sales", "request", "none"


def record_kind(record_type: str) -> str:
    key = normalize_enum(record_type)
    if key in ("purchaseheader", "purchasedocument", "purchaseinvoice", "purchaseorder", "purchasequote"):
        return "purchase"
    if key in ("salesheader", "salesdocument", "salesinvoice", "salesorder", "salesquote"):
        return "sales"
    if key in ("genjournalline", "generaljournalline", "journalline"):
        return "journal"
    return "other"


def limit_category(kind: str, values: Mapping[str, Any]) -> str:
    """Which limit decides sufficiency: purchase quote -> request; other purchase -> purchase; sales ->
    sales; journal lines by account type (vendor -> purchase, customer -> sales, G/L account ->
    request); everything else -> none (always sufficient)."""
    if kind == "purchase":
        doc_type = normalize_enum(str(values.get("document_type") or ""))
        return "request" if doc_type == "quote" else "purchase"
    if kind == "sales":
        return "sales"
    if kind == "journal":
        for field in ("account_type", "bal_account_type"):
            acc = normalize_enum(str(values.get(field) or ""))
            if acc == "vendor":
                return "purchase"
            if acc == "customer":
                return "sales"
            if acc == "glaccount":
                return "request"
        return "none"
    return "none"


def template_for(record_type: str, record_key: str, values: Mapping[str, Any]) -> EntryTemplate:
    kind = record_kind(record_type)
    amount = to_decimal(_first(values, "amount", "amount_lcy"))
    amount_lcy = to_decimal(_first(values, "amount_lcy", "amount"))
    if kind == "purchase":
        sp = _first(values, "purchaser_code", "salespers_purch_code")
    elif kind == "sales":
        sp = _first(values, "salesperson_code", "salespers_purch_code")
    else:
        sp = _first(values, "salespers_purch_code", "salesperson_code", "purchaser_code")
    doc_no = _first(values, "document_no", "no", "entry_no")
    return EntryTemplate(
        record_type=record_type,
        record_key=record_key,
        kind=kind,
        document_type=str(values.get("document_type") or "") if kind != "other" else "",
        document_no=str(doc_no) if doc_no is not None else record_key,
        salespers_purch_code=str(sp or ""),
        amount=amount if kind != "other" else Decimal(0),
        amount_lcy=amount_lcy if kind != "other" else Decimal(0),
        currency_code=str(values.get("currency_code") or ""),
        available_credit_limit_lcy=to_decimal(values.get("available_credit_limit_lcy")),
        limit_category=limit_category(kind, values),
    )


class ApproverLimits(Protocol):
    """What sufficiency needs of a user's approval setup (``records.UserSetup`` or the ORM row)."""

    @property
    def user_id(self) -> str: ...
    @property
    def approver_id(self) -> str: ...
    @property
    def unlimited_purchase_approval(self) -> bool: ...
    @property
    def purchase_amount_approval_limit(self) -> Decimal: ...
    @property
    def unlimited_sales_approval(self) -> bool: ...
    @property
    def sales_amount_approval_limit(self) -> Decimal: ...
    @property
    def unlimited_request_approval(self) -> bool: ...
    @property
    def request_amount_approval_limit(self) -> Decimal: ...


def is_sufficient(user: ApproverLimits, template: EntryTemplate) -> bool:
    """BC's IsSufficientApprover: top of chain (own approver) or unlimited or amount <= limit <> 0."""
    cat = template.limit_category
    if cat == "none":
        return True
    if user.approver_id == user.user_id:
        return True
    if cat == "purchase":
        unlimited, limit = user.unlimited_purchase_approval, user.purchase_amount_approval_limit
    elif cat == "sales":
        unlimited, limit = user.unlimited_sales_approval, user.sales_amount_approval_limit
    else:
        unlimited, limit = user.unlimited_request_approval, user.request_amount_approval_limit
    if unlimited:
        return True
    limit = to_decimal(limit)
    return limit != 0 and template.amount_lcy <= limit
