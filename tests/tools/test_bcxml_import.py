"""`wf import bc` on hand-written BC files: what cannot be imported is reported with its code, workflow
and step (WF850-WF863) and never written; unsafe XML is refused before anything is expanded."""

from __future__ import annotations

from typing import Any

import pytest

from werkstroom.tools.bcxml import importer, xmlio
from werkstroom.tools.bcxml.convert import ImportResult, import_bc
from werkstroom.tools.bcxml.filters import encode_conditions

from .bcxml_lib import catalogue

SEND = "RUNWORKFLOWONSENDCLAIMFORAPPROVAL"
CHANGED = "RUNWORKFLOWONCLAIMCHANGEDCODE"


def cond(*items: tuple[str, str]) -> str:
    return f' EventConditions="{encode_conditions(list(items))}"'


def step(sid: int, prev: int, kind: int, function: str, extra: str = "", inner: str = "") -> str:
    return (f'<WorkflowStep StepID="{sid}" PreviousStepID="{prev}" Type="{kind}" FunctionName="{function}"'
            f"{extra}>{inner}</WorkflowStep>")


def arg(attrs: str) -> str:
    return f"<WorkflowStepArgument {attrs}/>"


def workflow(*steps: str, code: str = "CLAIMS", header: str = 'Category="FIN"', tail: str = "") -> str:
    return f'<Workflow Code="{code}" Description="Claims" {header}>{"".join(steps)}{tail}</Workflow>'


def doc(*workflows: str) -> bytes:
    return ('<?xml version="1.0" encoding="utf-8"?>\n<Root>' + "".join(workflows) + "</Root>").encode()


def simple(event_inner: str = "", response: str = "RESTRICTRECORDUSAGE", response_inner: str = "",
           **kw: Any) -> bytes:
    return doc(workflow(step(1, 0, 0, SEND, ' EntryPoint="1" SequenceNo="1"', event_inner),
                        step(2, 1, 1, response, "", response_inner), **kw))


def run(data: bytes) -> ImportResult:
    return import_bc(data, "claims.xml", catalogue())


def only(result: ImportResult, code: str) -> str:
    found = [d for d in result.diagnostics if d.code == code]
    assert len(found) == 1, result.diagnostics
    return found[0].message


def test_a_clean_file_imports() -> None:
    result = run(simple(arg(cond(("Claim", "VERSION(1) WHERE(Field3=1(>1000))")))))
    assert result.diagnostics == ()
    (script,) = result.scripts
    assert script.text == ('workflow CLAIMS "Claims"\n  category FIN\n\n'
                           "  on ClaimSent when amount > 1000 then restrict record usage\n")


# --------------------------------------------------------------------------- unreadable and unsafe files


def test_wf850_malformed_xml() -> None:
    result = run(b"<Root><Workflow Code='A'></Root>")
    assert "not well-formed XML: mismatched tag" in only(result, "WF850") and result.scripts == ()
    (d,) = result.diagnostics
    assert d.span is not None and d.span.line == 1


def test_wf850_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xmlio, "MAX_XML_BYTES", 100)
    assert "at most 100 are read" in only(run(simple()), "WF850")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Root><Workflow Code="&lol9;" Category=""/></Root>"""

EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE Root [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Root><Workflow Code="A" Description="&secret;" Category=""/></Root>"""

PARAMETER = b"""<?xml version="1.0"?>
<!DOCTYPE Root [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<Root/>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL, PARAMETER],
                         ids=["laughs", "external", "parameter"])
def test_wf851_dtds_and_entities_are_refused(data: bytes) -> None:
    result = run(data)
    assert "declares a DTD or entities" in only(result, "WF851")
    assert result.scripts == () and len(result.diagnostics) == 1
    assert "root:" not in repr(result)  # nothing of /etc/passwd was read


def test_wf851_unsafe_xml_inside_the_event_conditions() -> None:
    inner = ('<?xml version="1.0"?><!DOCTYPE R [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
             "<ReportParameters><DataItems><DataItem name=\"Claim\">&x;</DataItem></DataItems>"
             "</ReportParameters>")
    import base64

    encoded = base64.b64encode(inner.encode("utf-16-le")).decode()
    result = run(simple(arg(f'EventConditions="{encoded}"')))
    assert "step 1: the event conditions declares a DTD" in only(result, "WF851")
    assert result.scripts == ()


# --------------------------------------------------------------------------- not BC's shape


@pytest.mark.parametrize(("data", "words"), [
    (b"<Workflows/>", "the root element is <Workflows>"),
    (b"<Root/>", "has no <Workflow> element"),
    (b"<Root><Flow/></Root>", "<Flow> under <Root>"),
    (doc('<Workflow Category="X"/>'), "has no Code"),
    (doc(workflow(step(1, 0, 0, SEND).replace('StepID="1"', 'StepID="one"'))), "StepID is 'one'"),
    (doc(workflow(step(1, 0, 7, SEND))), "Type 7 is not 0"),
    (doc(workflow(step(1, 0, 0, SEND), step(1, 0, 1, "DONOTHING"))), "step ID 1 is used twice"),
    (doc(workflow(step(1, 0, 0, SEND), step(2, 9, 1, "DONOTHING"))), "PreviousStepID 9 is not a step"),
    (doc(workflow(step(1, 0, 0, SEND), step(2, 3, 1, "DONOTHING"), step(3, 2, 1, "DONOTHING"))),
     "not reachable from an entry step"),
    (doc(workflow(step(1, 0, 0, SEND, ' EntryPoint="maybe"'))), "EntryPoint is 'maybe'"),
    (doc(workflow(step(1, 0, 0, SEND, "", '<WorkflowRule RuleID="1" RuleTableNumber="50200" '
                                          'RuleFieldNumber="3" Operator="5"/>'))), "Operator 5"),
    (doc(workflow(step(1, 0, 0, SEND), step(2, 1, 1, "DONOTHING")),
         workflow(step(1, 0, 0, SEND), step(2, 1, 1, "DONOTHING"))), "appears twice"),
])
def test_wf852_not_bcs_export(data: bytes, words: str) -> None:
    result = run(data)
    assert words in only(result, "WF852")
    assert len(result.scripts) == (1 if words == "appears twice" else 0)


@pytest.mark.parametrize(("header", "code", "words"), [
    ('Category="FIN"', "1-CLAIMS", "cannot be a .wf workflow code"),
    ('Category="FIN"', "AVERYLONGWORKFLOWCODE1", "cannot be a .wf workflow code"),
    ('Category="MY CATEGORY"', "CLAIMS", "category 'MY CATEGORY' cannot be written"),
])
def test_wf853_code_or_category_cannot_be_written(header: str, code: str, words: str) -> None:
    data = doc(workflow(step(1, 0, 0, SEND), step(2, 1, 1, "DONOTHING"), code=code, header=header))
    assert words in only(run(data), "WF853")


def test_wf853_description_with_a_line_break() -> None:
    data = doc(workflow(step(1, 0, 0, SEND), step(2, 1, 1, "DONOTHING")).replace('"Claims"', '"a&#10;b"'))
    assert "line break" in only(run(data), "WF853")


@pytest.mark.parametrize(("data", "words"), [
    (simple(response="NOSUCHRESPONSE"), "step 2: NOSUCHRESPONSE is not a response"),
    (doc(workflow(step(1, 0, 0, "RUNWORKFLOWONNOTHING"))), "step 1: RUNWORKFLOWONNOTHING is not an event"),
    (doc(workflow(step(1, 0, 0, SEND), step(2, 1, 2, "OTHER-WF"))), "sub-workflow steps (OTHER-WF)"),
    (simple(response=SEND), "is not a response"),
])
def test_wf854_unknown_functions(data: bytes, words: str) -> None:
    assert words in only(run(data), "WF854")


# --------------------------------------------------------------------------- conditions


@pytest.mark.parametrize(("attribute", "words"), [
    ('EventConditions="not base64!"', "not base64"),
    ('EventConditions="QUJD"', "odd number of bytes"),
    ('EventConditions="ANg="', "not valid UTF-16"),
    (f'EventConditions="{encode_conditions([])[:-8]}AA=="', "not well-formed"),
    (cond(("Claim", "VERSION(1) WHERE(Field3=1(>1000)")), "cannot be read: a parenthesis"),
    (cond(("Claim", "VERSION(1) WHERE(Field3>1000)")), "is not `Field<number>"),
])
def test_wf855_conditions_cannot_be_read(attribute: str, words: str) -> None:
    assert words in only(run(simple(arg(attribute))), "WF855")


def test_wf855_the_conditions_are_not_report_parameters() -> None:
    import base64

    encoded = base64.b64encode("<Filters/>".encode("utf-16-le")).decode()
    assert "hold <Filters>" in only(run(simple(arg(f'EventConditions="{encoded}"'))), "WF855")


@pytest.mark.parametrize(("data", "words"), [
    (simple(arg(cond(("Payroll", "VERSION(1) WHERE(Field1=1(2))")))), "data item 'Payroll' is neither"),
    (simple(arg(cond(("Claim", "VERSION(1) WHERE(Field77=1(2))")))), "field number 77 of Claim"),
    (simple(arg(cond(("Claim", "VERSION(1) WHERE(Colour=FILTER(Red))")))), "field 'Colour' (with its BC"),
    (simple(arg(cond(("Claim", "VERSION(1) WHERE(Unnumbered=FILTER(>1))")))), "field 'Unnumbered' (with"),
    (doc(workflow(step(1, 0, 0, CHANGED, "", '<WorkflowRule RuleID="1" RuleTableNumber="18" '
                                             'RuleFieldNumber="20" Operator="0"/>'),
                  step(2, 1, 1, "DONOTHING"))), "rule 1 is on table 18"),
    (simple(response="REVERTVALUEFORFIELD", response_inner=arg('TableNumber="50200" FieldNumber="99"')),
     "field number 99"),
])
def test_wf856_unknown_tables_and_fields(data: bytes, words: str) -> None:
    assert words in only(run(data), "WF856")


@pytest.mark.parametrize(("view", "words"), [
    ("WHERE(Field3=1(1|2&3))", "mixes `|` and `&`"),
    ("WHERE(Field2=1(a*b))", "wildcard inside the text"),
    ("WHERE(Field5=1(9))", "ordinal 9 is not a value of ClaimStatus"),
    ("WHERE(Field5=1(Lost))", "'Lost' is not a value"),
    ("WHERE(Field3=1(''))", "`''` (empty) on a decimal field"),
    ("WHERE(Field3=1(*5))", "`*` on a decimal field"),
    ("WHERE(Field3=1(12,5))", "'12,5' is not a number"),
    ("WHERE(Field3=1(1.000,5))", "'1.000,5' is not a number"),
    ("WHERE(Field6=1(<1))", "`<` on a boolean field"),
    ("WHERE(Field9=1(2026-01-31T10:00:00))", "time of day"),
    ("WHERE(Field3=1(abc))", "'abc' is not a number"),
])
def test_wf857_filters_that_cannot_be_written(view: str, words: str) -> None:
    result = run(simple(arg(cond(("Claim", "VERSION(1) " + view)))))
    codes = {d.code for d in result.diagnostics}
    assert codes & {"WF857", "WF855"}, result.diagnostics
    message = next(d.message for d in result.diagnostics if d.code in ("WF857", "WF855"))
    assert words in message and "workflow CLAIMS, step 1" in message


def test_wf857_ordered_change_rule_on_an_enum() -> None:
    data = doc(workflow(step(1, 0, 0, CHANGED, "", '<WorkflowRule RuleID="1" RuleTableNumber="50200" '
                                                   'RuleFieldNumber="5" Operator="0"/>'),
                        step(2, 1, 1, "DONOTHING")))
    assert "`increased` on enum field `status`" in only(run(data), "WF857")


# --------------------------------------------------------------------------- tree and options


@pytest.mark.parametrize(("steps", "words"), [
    ((step(1, 0, 0, SEND), step(2, 1, 1, "DONOTHING"), step(3, 1, 1, "RESTRICTRECORDUSAGE")),
     "steps 2, 3 are all responses"),
    ((step(1, 0, 0, SEND), step(2, 1, 1, "DONOTHING"), step(3, 1, 0, "RUNWORKFLOWONAPPROVEAPPROVALREQUEST")),
     "event step 3 waits beside response step 2"),
    ((step(1, 0, 0, SEND), step(2, 1, 1, "DONOTHING", ' NextStepID="1"')), "jumps to step 1, an event"),
    ((step(1, 0, 0, SEND), step(2, 1, 1, "DONOTHING", ' NextStepID="2"'), step(3, 2, 1, "DONOTHING")),
     "`continue at` ends a chain"),
    ((step(1, 0, 1, "DONOTHING"),), "a response has no previous step"),
    ((), "has no steps"),
])
def test_wf858_trees_the_language_cannot_write(steps: tuple[str, ...], words: str) -> None:
    assert words in only(run(doc(workflow(*steps))), "WF858")


@pytest.mark.parametrize(("response", "attrs", "words"), [
    ("CREATEAPPROVALREQUESTS", 'ApproverType="7"', "ApproverType '7' is not a value"),
    ("CREATEAPPROVALREQUESTS", 'DueDateFormula="2X"', "DueDateFormula '2X'"),
    ("CREATEAPPROVALREQUESTS", 'ShowConfirmationMessage="perhaps"', "ShowConfirmationMessage 'perhaps'"),
    ("CREATENOTIFICATIONENTRY", 'NotifySender="true" NotificationEntryType="Urgent"', "'Urgent'"),
    ("CREATENOTIFICATIONENTRY", 'NotifySender="true" LinkTargetPage="page"', "LinkTargetPage 'page'"),
    ("SHOWMESSAGE", 'Message="one&#10;two"', "line break"),
    ("REVERTVALUEFORFIELD", 'TableNumber="18" FieldNumber="20"', "field 20 of table 18 is not a field"),
])
def test_wf859_argument_values(response: str, attrs: str, words: str) -> None:
    event = CHANGED if response == "REVERTVALUEFORFIELD" else SEND
    data = doc(workflow(step(1, 0, 0, event), step(2, 1, 1, response, "", arg(attrs))))
    assert words in only(run(data), "WF859")


def test_wf859_no_phrase_writes_the_options(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "response_line", lambda *a, **k: None)
    data = doc(workflow(step(1, 0, 0, SEND), step(2, 1, 1, "DONOTHING")))
    assert "no phrase of `do_nothing` writes these options" in only(run(data), "WF859")


# --------------------------------------------------------------------------- warnings


def test_wf860_left_out_parts_are_reported() -> None:
    data = doc(workflow(
        step(1, 0, 0, SEND, ' Colour="red"', arg(cond(("Claim", ""), ("Claim Line", "VERSION(1)")))),
        step(2, 1, 1, "CREATEAPPROVALREQUESTS", "", arg('ApproverType="2" WorkflowUserGroupCode="G1" '
                                                        'ApproverLimitType="0" Message="hi"')),
        header='Category="FIN" Template="true"',
        tail='<WorkflowCategory CategoryCode="FIN" CategoryDescription="Finance"/>'))
    result = run(data)
    messages = [d.message for d in result.diagnostics]
    assert {d.code for d in result.diagnostics} == {"WF860"}, messages
    assert any("attribute Colour is not part of BC's export" in m for m in messages)
    assert any("data item 'Claim Line' has no filters" in m for m in messages)
    assert any("the argument's Message has no meaning for CREATEAPPROVALREQUESTS" in m for m in messages)
    assert any("Approver Limit Type 'Approver Chain' is left out" in m for m in messages)
    assert any("description 'Finance' of category FIN is left out" in m for m in messages)
    assert any("file marks this one a template" in m for m in messages)
    (script,) = result.scripts
    assert 'on ClaimSent then create approval requests for workflow user group "G1"' in script.text


def test_wf861_case_sensitive_text_filters() -> None:
    result = run(simple(arg(cond(("Claim", "VERSION(1) WHERE(Field2=1(Rush))")))))
    assert "compares case-sensitively in BC" in only(result, "WF861")
    (script,) = result.scripts
    assert 'when description = "Rush"' in script.text


def test_wf862_a_combination_werkstroom_refuses_is_written_and_reported() -> None:
    data = doc(workflow(step(1, 0, 0, SEND), step(2, 1, 1, "RELEASEDOCUMENT")))
    result = run(data)
    message = only(result, "WF862")
    assert "does not pass `wf check`" in message
    (script,) = result.scripts
    assert not script.checked and "release" in script.text
    (d,) = result.diagnostics
    assert d.notes and d.notes[0].startswith("WF402")


def test_wf863_a_script_that_would_run_differently_is_not_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard: a phrase that binds to another response than the BC step's is caught."""
    real = importer.response_line

    def wrong(spec: Any, wanted: Any, label: Any = None) -> Any:
        if spec.bc_code == "RESTRICTRECORDUSAGE":
            return real(catalogue().response("ALLOWRECORDUSAGE"), {}, label)
        return real(spec, wanted, label)

    monkeypatch.setattr(importer, "response_line", wrong)
    result = run(simple())
    assert "would not run as the BC workflow does (step 2 of the script" in only(result, "WF863")
    assert result.scripts == ()
