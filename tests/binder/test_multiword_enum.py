"""Enum option values of several words may be written as BC writes them, without quotes."""

from __future__ import annotations

from werkstroom.binding.binder import bind
from werkstroom.binding.libraries import load_catalogue
from werkstroom.grammar.parser import parse

TEMPLATE = """\
workflow ME-T "Multi-word enum values"
  on PurchaseDocSentForApproval when document_type = Invoice then
     create approval requests for approver chain, {option}
     send approval requests
"""


def create_options(option: str) -> tuple[dict[str, object], list[str]]:
    catalogue, _ = load_catalogue(partners=False)
    program = bind([parse(TEMPLATE.format(option=option), "me.wf")], catalogue)
    codes = [d.code for d in program.diagnostics if d.is_error]
    steps = [s for s in program.workflows[0].steps if s.name == "create_approval_requests"] \
        if program.workflows else []
    return (dict(steps[0].options) if steps else {}), codes


def test_delegate_after_two_days_unquoted() -> None:
    options, errors = create_options("delegate after 2 days")
    assert errors == []
    assert options["delegate_after"] == "2 days"


def test_same_value_quoted_and_as_formula() -> None:
    assert create_options('delegate after "2 days"')[0]["delegate_after"] == "2 days"
    assert create_options("delegate after 2D")[0]["delegate_after"] == "2 days"


def test_unknown_multiword_value_is_still_an_error() -> None:
    _, errors = create_options("delegate after 3 days")
    assert errors, "3 days is not one of BC's Delegate After values"
