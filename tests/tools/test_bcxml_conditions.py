"""Conditions through BC's event conditions and workflow rules: what BC can hold goes out and comes back
as the same bound condition; what it cannot hold is refused on export (WF866, WF867) with the place."""

from __future__ import annotations

import base64
import re

import attrs
import pytest

from werkstroom.binding.program import BAnd, BExpr, BQuantified
from werkstroom.tools.bcxml.filters import (
    FilterError,
    Term,
    decode_conditions,
    encode_conditions,
    quote,
    read_filter,
    read_view,
)

from .bcxml_lib import bound, claim_script, export, round_trip

SAME = [
    "amount > 1000",
    "amount >= 1000.50 and amount < 5000",
    "status = Submitted",
    "status <> Open",
    "status in [Open, Submitted]",
    "status in [Submitted, Approved, Rejected]",
    "status not in [Open, Rejected]",
    'category_code in ["A", "B"]',
    'category_code not in ["A", "B"]',
    "amount in 100..500",
    "amount in [..100, 500..]",
    "claim_date = 2026-01-31",
    "claim_date in 2026-01-01..2026-03-31",
    "urgent = true",
    "urgent = false",
    'description contains "rush"',
    'description starts with "Trip"',
    'description ends with "2026"',
    'description = "Rush"',
    'category_code = "A|B"',
    "reviewer_id is empty",
    "reviewer_id is not empty",
    "any lines with amount > 100",
    "any lines with (kind = Travel and amount > 100) and status = Submitted",
    "amount > 10 and amount < 20 and status = Open",
    "amount = 5 or amount > 100",
]


def canon(e: BExpr | None) -> BExpr | None:
    """A condition with its `and`s in a fixed order: BC's view holds one filter per field, so the tests of
    an imported condition come in BC's order (by field number, then related tables, then rules)."""
    if isinstance(e, BAnd):
        return BAnd(tuple(sorted((canon(x) for x in e.operands), key=repr)))  # type: ignore[misc]
    if isinstance(e, BQuantified):
        return attrs.evolve(e, condition=canon(e.condition))
    return e


@pytest.mark.parametrize("condition", SAME)
def test_condition_goes_to_bc_and_back_unchanged(condition: str) -> None:
    text = claim_script(condition)
    again, imported = round_trip(text)
    assert imported.diagnostics == ()
    assert canon(again.steps[0].condition) == canon(bound(text).steps[0].condition)


def test_change_tests_become_workflow_rules_and_back() -> None:
    text = claim_script("amount increased and status changed", event="ClaimChanged")
    xml, _ = export(text)
    assert xml is not None
    rules = re.findall(rb'<WorkflowRule RuleID="(\d)" RuleTableNumber="50200" RuleFieldNumber="(\d)" '
                       rb'Operator="(\d)"', xml)
    assert rules == [(b"1", b"3", b"0"), (b"2", b"5", b"2")]
    again, imported = round_trip(text)
    assert imported.diagnostics == ()
    assert again.steps[0].condition == bound(text).steps[0].condition


def test_enum_ordering_filters_are_read_by_ordinal() -> None:
    """A BC filter `<2` on an enum keeps the values before the third, as BC reads it."""
    from werkstroom.tools.bcxml.convert import import_bc

    from .bcxml_lib import catalogue

    conditions = encode_conditions([("Claim", "VERSION(1) SORTING(Field1) WHERE(Field5=1(<2))")])
    xml = (f'<Root><Workflow Code="C" Category=""><WorkflowStep StepID="1" EntryPoint="1" PreviousStepID="0" '
           f'Type="0" FunctionName="RUNWORKFLOWONSENDCLAIMFORAPPROVAL"><WorkflowStepArgument '
           f'EventConditions="{conditions}"/></WorkflowStep><WorkflowStep StepID="2" PreviousStepID="1" '
           f'Type="1" FunctionName="RESTRICTRECORDUSAGE"/></Workflow></Root>').encode()
    (script,) = import_bc(xml, "c.xml", catalogue()).scripts
    assert "when status in [Open, Submitted] then" in script.text


REFUSED = [
    ("amount > 1000 or status = Open", "WF866", "one field at a time"),
    ("not (amount > 5 and status = Open)", "WF866", "one field at a time"),
    ("old.amount > 5", "WF866", "workflow rules compare old and new"),
    ("all lines with amount > 5", "WF866", "at least one related record"),
    ("no lines with amount > 5", "WF866", "at least one related record"),
    ("any lines", "WF866", "without filters"),
    ("urgent = true or any lines with amount > 3", "WF866", "joined with `and` only"),
    ("any lines with amount > 1 and any lines with amount < 9", "WF866", "appears twice"),
    ("vendor.no = \"V1\"", "WF866", "related record's field"),
    ("amount > unnumbered", "WF866", "compares two fields"),
    ("amount > amount", "WF866", "compares two fields"),
    ('description <> "x"', "WF866", "case-insensitively"),
    ('description not in ["x"]', "WF866", "case-insensitively"),
    ('description in ["a".."c"]', "WF866", "range of texts"),
    ('description contains "a|b"', "WF866", "operators"),
    ("not (description contains \"x\")", "WF866", "`not` around this test"),
    ("status in [Open] and status in [Open, Submitted]", "WF866", "`|` and `&`"),
    ("unnumbered > 5", "WF867", "no BC field number"),
]


@pytest.mark.parametrize(("condition", "code", "words"), REFUSED)
def test_conditions_bc_cannot_hold_are_refused_with_their_place(condition: str, code: str,
                                                                words: str) -> None:
    text = claim_script(condition, event="ClaimChanged" if "old." in condition else "ClaimSent")
    xml, result = export(text)
    assert xml is None
    (d,) = result.diagnostics
    assert d.code == code and words in d.message, d.message
    assert d.span is not None and d.span.path == "claims.wf" and d.span.line == 2
    assert "workflow CLAIMS: step 1" in d.message


def test_the_view_of_an_exported_condition() -> None:
    xml, _ = export(claim_script('status in [Open, Submitted] and amount >= 10.5 and description = "It\'s"'))
    assert xml is not None
    (conditions,) = re.findall(rb'EventConditions="([^"]+)"', xml)
    text = base64.b64decode(conditions).decode("utf-16-le")
    assert text.startswith('<?xml version="1.0" encoding="utf-8" standalone="yes"?><ReportParameters>')
    assert ("<DataItem name=\"Claim\">VERSION(1) WHERE(Field2=1(@'It''s'),Field3=1(&gt;=10.5),"
            "Field5=1(0|1))</DataItem>") in text


# --------------------------------------------------------------------------- filter and view syntax


def test_read_view_number_and_named_forms() -> None:
    view = read_view("VERSION(1) SORTING(Field1,Field3) ORDER(Descending) WHERE(Field1=1(2),Field120=0(1))")
    assert [(v.field, v.constant, v.text) for v in view] == [(1, False, "2"), (120, True, "1")]
    named = read_view("VERSION(1) SORTING(No.) WHERE(Credit Limit (LCY)=FILTER(>1.000),Name=CONST(A,B))")
    assert [(v.field, v.constant, v.text) for v in named] == [("Credit Limit (LCY)", False, ">1.000"),
                                                               ("Name", True, "A,B")]
    for bad in ("WHERE(Field1=1(2)", "VERSION(1) WHERE(Field1)", "SORT(Field1)", "WHERE(Field1=7(2))"):
        with pytest.raises(FilterError):
            read_view(bad)


def test_read_filter_terms() -> None:
    assert read_filter("1|2..5|..0").terms == (Term("=", "1"), Term("..", "2", "5"), Term("..", None, "0"))
    assert read_filter("<>A&<>'B|C'").joiner == "&"
    assert read_filter("<>A&<>'B|C'").terms == (Term("<>", "A"), Term("<>", "B|C"))
    assert read_filter("@*ltd*").terms == (Term("=", "ltd", ci=True, wild=True, starts=False, ends=False),)
    assert read_filter("''").terms == (Term("=", ""),)
    assert read_filter("a|b", constant=True).terms == (Term("=", "a|b"),)
    for bad in ("1|2&3", "a*b", "(1|2)", "'open", "?x"):
        with pytest.raises(FilterError):
            read_filter(bad)


def test_quote_protects_special_characters() -> None:
    assert [quote(v) for v in ("ABC", "", "a|b", "It's", " x", "1..2")] == [
        "ABC", "''", "'a|b'", "'It''s'", "' x'", "'1..2'"]
    for value in ("ABC", "a|b", "It's", "1..2"):
        assert read_filter(quote(value)).terms == (Term("=", value),)


def test_event_conditions_are_base64_of_utf16le() -> None:
    encoded = encode_conditions([("Purchase Header", "VERSION(1) WHERE(Field1=1(2))"), ("Purchase Line", "")])
    assert base64.b64decode(encoded).decode("utf-16-le").count("<DataItem ") == 2
    items, err = decode_conditions(encoded, "step 1", "x.xml")
    assert err is None
    assert items == [("Purchase Header", "VERSION(1) WHERE(Field1=1(2))"), ("Purchase Line", "")]


def test_the_named_view_form_is_read_too() -> None:
    """BC's view with captions (`GetView(true)`): fields by caption, enum values by name."""
    from werkstroom.tools.bcxml.convert import import_bc

    from .bcxml_lib import catalogue

    view = ("VERSION(1) SORTING(No) WHERE(Amount=FILTER(>=1000),Status=CONST(Submitted),"
            "Description=FILTER(@*trip*))")
    conditions = encode_conditions([("Claim", view)])
    xml = (f'<Root><Workflow Code="C" Category=""><WorkflowStep StepID="1" PreviousStepID="0" Type="0" '
           f'FunctionName="RUNWORKFLOWONSENDCLAIMFORAPPROVAL"><WorkflowStepArgument '
           f'EventConditions="{conditions}"/></WorkflowStep><WorkflowStep StepID="2" PreviousStepID="1" '
           'Type="1" FunctionName="DONOTHING"/></Workflow></Root>').encode()
    result = import_bc(xml, "c.xml", catalogue())
    assert result.diagnostics == ()
    (script,) = result.scripts
    # in BC's field order: Description (2), Amount (3), Status (5)
    assert 'when description contains "trip" and amount >= 1000 and status = Submitted then' in script.text
