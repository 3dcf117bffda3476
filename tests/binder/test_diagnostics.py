"""Each binder diagnostic code, triggered through the real parser and the stdlib catalogue, with the
exact line, column and hint a user sees. The seven seeded mistake kinds of issue 3 come first."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from werkstroom.binding.binder import bind
from werkstroom.binding.libraries import load_catalogue
from werkstroom.binding.program import BoundProgram
from werkstroom.catalogue.catalogue import Catalogue
from werkstroom.diagnostics import Diagnostic, Severity
from werkstroom.grammar.parser import parse


@cache
def catalogue() -> Catalogue:
    cat, diags = load_catalogue(partners=False)
    assert not diags
    return cat


def check(*texts: str) -> BoundProgram:
    parsed = [parse(t, f"s{i}.wf") for i, t in enumerate(texts)]
    for p in parsed:
        assert p.ok, p.diagnostics
    return bind(parsed, catalogue())


def only(code: str, *texts: str) -> Diagnostic:
    prog = check(*texts)
    found = [d for d in prog.diagnostics if d.code == code]
    assert len(found) == 1, [(d.code, str(d.span), d.message) for d in prog.diagnostics]
    return found[0]


def at(d: Diagnostic) -> tuple[int, int]:
    assert d.span is not None
    return d.span.line, d.span.col


# --------------------------------------------------------------------------- the seeded mistakes


def test_unknown_event() -> None:
    d = only("WF201", "on PurchaseDocRelesed when amount > 1000 then\n   restrict record usage\n")
    assert at(d) == (1, 4) and d.severity is Severity.ERROR
    assert d.help == "did you mean `PurchaseDocReleased`?"


def test_misspelled_field() -> None:
    d = only("WF202", "on PurchaseDocReleased when amout > 1000 then\n   restrict record usage\n")
    assert at(d) == (1, 29)
    assert d.message == "PurchaseHeader has no field `amout`"
    assert d.help == "did you mean `amount`?"


def test_wrong_option_type() -> None:
    d = only("WF304", 'on PurchaseDocSentForApproval then\n   send approval requests, link to page "home"\n')
    assert at(d) == (2, 41)
    assert "is not a whole number" in d.message and "link_target_page" in d.message


def test_missing_mandatory_option_warns_and_refuses_enable() -> None:
    text = ('workflow GRP "group approval"\n'
            '  on PurchaseDocSentForApproval then\n'
            '     create approval requests for workflow user group ""\n')
    d = only("WF305", text)
    assert at(d) == (3, 6) and d.severity is Severity.WARNING
    assert "workflow user group is required" in d.message
    assert d.help == "add `, group <Workflow User Group Code>` after the response"
    from werkstroom.binding.checks import enable_checks
    (wf,) = check(text).workflows
    (e,) = [x for x in enable_checks(wf, [], catalogue()) if x.code == "WF412"]
    assert at(e) == (3, 6) and e.severity is Severity.ERROR
    assert e.help == "add `, group <Workflow User Group Code>` after the response"


@pytest.mark.parametrize(("response", "fix"), [
    ("create approval requests for specific approver", "`, approver <Approver User ID>`"),
    ("create notification", "`, notify sender` or `, recipient <Notification User ID>`"),
    ("create payment line",
     "`, template <General Journal Template Name>, batch <General Journal Batch Name>`"),
])
def test_enable_names_the_missing_option_and_what_to_write(response: str, fix: str) -> None:
    from werkstroom.binding.checks import enable_checks
    event = {"create payment line": "PurchaseInvoicePosted"}.get(response, "PurchaseDocSentForApproval")
    (wf,) = check(f'workflow W "w"\n  on {event} then\n     {response}\n').workflows
    (e,) = [x for x in enable_checks(wf, [], catalogue()) if x.code == "WF412"]
    assert e.help == f"add {fix} after the response"


def test_response_not_allowed_after_event() -> None:
    d = only("WF402", "on PurchaseDocReleased then\n   release document\n")
    assert at(d) == (2, 4)
    assert d.message == "`release document` (release_document) cannot follow `PurchaseDocReleased`"
    assert d.help.startswith("it may follow: ApprovalRequestApproved")


def test_overlapping_entry_points_show_a_witness() -> None:
    a = ('workflow BIG "big invoices"\n'
         '  on PurchaseDocSentForApproval when document_type = Invoice and amount > 1000 then\n'
         '     restrict record usage\n')
    b = ('workflow MID "mid invoices"\n'
         '  on PurchaseDocSentForApproval when amount < 5000 then\n'
         '     restrict record usage\n')
    d = only("WF420", a, b)
    assert d.span is not None and d.span.path == "s1.wf" and at(d) == (2, 3)
    assert d.severity is Severity.WARNING
    assert d.notes[0] == "for example: document_type = Invoice, amount = 1001"
    assert d.related[0].span.path == "s0.wf"


def test_exclusive_entry_points_do_not_overlap() -> None:
    a = ('workflow BIG "big"\n  on PurchaseDocSentForApproval when amount >= 5000 then\n'
         '     restrict record usage\n')
    b = ('workflow SMALL "small"\n  on PurchaseDocSentForApproval when amount < 5000 then\n'
         '     restrict record usage\n')
    assert check(a, b).diagnostics == ()


def test_missing_jump_target() -> None:
    text = ('workflow J "jump"\n'
            '  on PurchaseDocSentForApproval then\n'
            '     send approval requests as send\n'
            '     on ApprovalRequestDelegated then\n'
            '        continue at sned\n')
    d = only("WF205", text)
    assert at(d) == (5, 21)
    assert d.help == "did you mean `send`?"


# --------------------------------------------------------------------------- every other code


def test_unknown_response_suggests_a_phrase() -> None:
    d = only("WF203", "on PurchaseDocSentForApproval then\n   release the documnt\n")
    assert at(d) == (2, 4) and d.help == "did you mean `release the document`?"


def test_unknown_option() -> None:
    d = only("WF204", "on ApprovalRequestRejected then\n   reopen document, notify sender\n")
    assert at(d) == (2, 21) and d.notes == ("`reopen_document` has no options",)


def test_bad_value_for_field_type() -> None:
    d = only("WF301", 'on PurchaseDocReleased when amount > "abc" then\n   restrict record usage\n')
    assert at(d) == (1, 38) and "is not a decimal number" in d.message


def test_enum_value_must_be_one_of_the_enum() -> None:
    d = only("WF302", "on PurchaseDocReleased when status = Opne then\n   restrict record usage\n")
    assert at(d) == (1, 38) and d.help == "did you mean `Open`?"


def test_a_signed_value_is_not_an_enum_value() -> None:
    # the lookup ignores punctuation; a minus must not vanish (`delegate after -5D` is not 5 days)
    d = only("WF302", "on PurchaseDocSentForApproval then\n"
                      "   create approval requests for approver chain, delegate after -5D\n")
    assert "`-5D` is not a value of WorkflowDelegateAfter" in d.message


def test_ordering_an_enum() -> None:
    d = only("WF303", "on PurchaseDocReleased when document_type > Invoice then\n   restrict record usage\n")
    assert at(d) == (1, 29)


def test_option_set_twice() -> None:
    d = only("WF306", "on PurchaseDocSentForApproval then\n   create approval requests for approver chain, "
                      "delegate after 5D, delegate after 2D\n")
    assert at(d) == (2, 68)


def test_to_many_relation_needs_a_quantifier() -> None:
    d = only("WF307", "on PurchaseDocReleased when lines.quantity > 1 then\n   restrict record usage\n")
    assert at(d) == (1, 29) and d.help == "write `any lines with quantity ...`"


def test_quantified_relation_binds() -> None:
    prog = check("on PurchaseDocReleased when any lines with quantity > 8 then\n   restrict record usage\n")
    assert prog.ok and prog.workflows[0].steps[0].condition is not None


def test_value_is_not_a_condition() -> None:
    d = only("WF308", "on PurchaseDocReleased when amount then\n   restrict record usage\n")
    assert at(d) == (1, 29)


def test_bad_date_formula() -> None:
    d = only("WF309", "on PurchaseDocSentForApproval then\n"
                      "   create approval requests for approver chain, due in soon\n")
    assert at(d) == (2, 56)


def test_event_cannot_follow_parent_event() -> None:
    d = only("WF401", "on PurchaseDocReleased then\n   restrict record usage\n"
                      "   on ApprovalRequestApproved then\n      allow record usage\n")
    assert at(d) == (3, 7) and d.help.startswith("`ApprovalRequestApproved` may follow:")


@pytest.mark.parametrize("event, record, starter", [
    ("ApprovalRequestApproved", "ApprovalEntry", "OverdueNotificationsRequested"),
    ("PurchaseDocApprovalRequestCanceled", "PurchaseHeader", "PurchaseDocSentForApproval"),
])
def test_event_with_predecessors_cannot_start_a_workflow(event: str, record: str, starter: str) -> None:
    # such an event never starts an instance: BC offers only independent events as entry points
    d = only("WF424", f"on {event} then\n   allow record usage\n")
    assert at(d) == (1, 4) and d.severity is Severity.ERROR
    assert d.message == f"`{event}` cannot start a workflow: it only follows other events"
    assert d.help.startswith("nest it under a step on an event it may follow: ")
    assert "PurchaseDocSentForApproval" in d.help
    assert d.notes[0].startswith(f"events that can start a workflow on {record}: ")
    assert starter in d.notes[0] and event not in d.notes[0]


def test_event_with_predecessors_binds_nested() -> None:
    prog = check("on PurchaseDocSentForApproval then\n   restrict record usage\n"
                 "   on PurchaseDocApprovalRequestCanceled then\n      allow record usage\n")
    assert prog.ok, [(d.code, d.message) for d in prog.diagnostics]


def test_shipped_templates_and_examples_start_with_independent_events() -> None:
    root = Path(__file__).resolve().parents[2]
    files = [*sorted((root / "werkstroom" / "stdlib" / "templates").glob("*.wf")),
             *sorted((root / "examples").rglob("*.wf"))]
    found = [(f.name, d.message) for f in files if "broken" not in f.parts
             for d in bind([parse(f.read_text(encoding="utf-8"), str(f))], catalogue()).diagnostics
             if d.code == "WF424"]
    assert len(files) > 30 and found == []


def test_old_values_only_on_change_events() -> None:
    d = only("WF403", "on PurchaseDocReleased when amount increased then\n   restrict record usage\n")
    assert at(d) == (1, 29)
    prog = check("on CustomerChanged when credit_limit_lcy increased and old.credit_limit_lcy > 0 then\n"
                 "   revert the value of credit_limit_lcy\n")
    assert prog.ok


def test_code_too_long() -> None:
    d = only("WF404", 'workflow ABCDEFGHIJKLMNOPQRSTUVWXYZ "x"\n  on PurchaseDocReleased then\n'
                      "     restrict record usage\n")
    assert at(d) == (1, 10) and d.help == "shorten it, e.g. `ABCDEFGHIJKLMNOPQRST`"


def test_duplicate_workflow_code() -> None:
    w = 'workflow SAME "x"\n  on PurchaseDocReleased when amount > {} then\n     restrict record usage\n'
    d = only("WF405", w.format(1), w.format(2).replace("amount >", "amount <"))
    assert d.span is not None and d.span.path == "s1.wf" and at(d) == (1, 10)


def test_duplicate_label() -> None:
    d = only("WF406", "on PurchaseDocSentForApproval then\n   restrict record usage as a\n"
                      "   send approval requests as a\n")
    assert at(d) == (3, 30)


def test_response_after_nested_step() -> None:
    d = only("WF407", "on PurchaseDocSentForApproval then\n   send approval requests\n"
                      "   on ApprovalRequestApproved then\n      allow record usage\n"
                      "   restrict record usage\n")
    assert at(d) == (5, 4)


def test_gap_between_alternatives() -> None:
    text = ("on PurchaseDocSentForApproval then\n   send approval requests\n"
            "   on PurchaseDocApprovalRequestCanceled when amount > 1000 then\n      allow record usage\n"
            "   on PurchaseDocApprovalRequestCanceled when amount < 500 then\n      allow record usage\n")
    d = only("WF421", text)
    assert at(d) == (5, 4) and d.notes[0] == "for example: amount = 500"


def test_pending_approvals_zero_and_positive_leave_no_gap() -> None:
    text = ("on PurchaseDocSentForApproval then\n   send approval requests as send\n"
            "   on ApprovalRequestApproved when pending_approvals = 0 then\n      allow record usage\n"
            "   on ApprovalRequestApproved when pending_approvals > 0 then\n      continue at send\n")
    assert check(text).diagnostics == ()


def test_unreachable_alternative() -> None:
    text = ("on PurchaseDocSentForApproval then\n   send approval requests\n"
            "   on ApprovalRequestApproved when pending_approvals >= 0 then\n      allow record usage\n"
            "   on ApprovalRequestApproved when pending_approvals > 2 then\n      allow record usage\n")
    d = only("WF422", text)
    assert at(d) == (5, 4)


EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.wf"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_bind_cleanly(path: Path) -> None:
    pr = parse(path.read_text(encoding="utf-8"), str(path))
    assert pr.ok
    prog = bind([pr], catalogue())
    assert prog.diagnostics == (), [(d.code, str(d.span), d.message) for d in prog.diagnostics]


def test_contradictory_condition() -> None:
    d = only("WF423", "on PurchaseDocReleased when amount > 5000 and amount < 1000 then\n"
                      "   restrict record usage\n")
    assert at(d) == (1, 1) and d.notes == ("condition: amount > 5000 and amount < 1000",)


def test_jump_without_labels_suggests_labelling_the_response() -> None:
    text = ('workflow J "jump"\n'
            '  on PurchaseDocSentForApproval then\n'
            '     request approval from approver chain\n'
            '     on ApprovalRequestApproved when pending_approvals > 0 then continue at reqest\n')
    d = only("WF205", text)
    assert at(d) == (4, 77)
    assert d.help == "label the response to jump to, e.g. `request approval from approver chain as reqest`"


def test_long_file_name_of_bare_steps() -> None:
    pr = parse("on PurchaseDocReleased then restrict record usage\n", "purchase-documents-released.wf")
    (d,) = bind([pr], catalogue()).diagnostics
    assert d.code == "WF404" and at(d) == (1, 1)
    assert d.help.startswith("the code of a file of bare steps is the file name")


def test_condition_text_leaves_out_comments() -> None:
    prog = check('on PurchaseDocReleased\n   when amount > 1000      # big ones\n'
                 '    and vendor_invoice_no <> "#1"\nthen restrict record usage\n')
    assert prog.ok
    assert prog.workflows[0].steps[0].condition_text == 'amount > 1000 and vendor_invoice_no <> "#1"'


@pytest.mark.parametrize(("written", "value"), [("1.000,00", "1000.00"), ("1,000.50", "1000.50"),
                                                 ("12,5", "12.5"), ("1 000", "1000")])
def test_an_amount_written_as_text_says_how_amounts_are_written(written: str, value: str) -> None:
    d = only("WF301", f'on PurchaseDocReleased when amount > "{written}" then\n   restrict record usage\n')
    assert d.help == ("amounts are written `1000.00`: a point before the decimals, no thousands "
                      f"separators, no quotes; here: `{value}`")
    text = 'on PurchaseDocReleased when amount > "abc" then\n   restrict record usage\n'
    assert only("WF301", text).help == ""
