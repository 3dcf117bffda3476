"""`wf lsp` through a real LSP session over stdio (pygls' client, ``lsp_client.Session``): diagnostics
as `wf check --enable` reports them, as you type and across the workspace's files; completion of
events, fields, enum values, responses, options and labels; hover; go to definition; document
symbols; formatting; quick fixes. Speed is measured by bench/lsp.py, never here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from lsprotocol import types as T

from tests.tools.lsp_client import ROOT, Session
from werkstroom.binding.checking import check_paths, enable_diagnostics
from werkstroom.grammar.formatter import format_script
from werkstroom.render import render_message

BROKEN = """\
# Mistakes on purpose: each has a "did you mean".
workflow BROKEN "Customer approval, misspelt"
  category SALES

  on CustomerSentForApproval
     when credit_limt_lcy > 10000 and blocked = Shipp
  then
     restrict record usag
     create approval requests for approver chain
     send approval requests, notfy sender                     as send

     on ApprovalRequestAproved when pending_approvals > 0 then
        continue at sned
"""

SALES = """\
workflow SALES-{x} "Sales orders above {amount}"
  category SALESDOC

  on SalesDocSentForApproval when document_type = Order and amount > {amount} then
     restrict record usage
     create approval requests for approver chain
     send approval requests

     on ApprovalRequestApproved when pending_approvals = 0 then
        allow record usage
        release document
"""

MESSY = "on   PurchaseDocReleased    when amount>5\n  then   release document\n"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("workspace")
    (root / "good.wf").write_text((ROOT / "examples" / "purchase-invoice-eu.wf").read_text(encoding="utf-8"),
                                  encoding="utf-8")
    (root / "broken.wf").write_text(BROKEN, encoding="utf-8")
    (root / "sales-a.wf").write_text(SALES.format(x="A", amount=1000), encoding="utf-8")
    (root / "sales-b.wf").write_text(SALES.format(x="B", amount=5000), encoding="utf-8")
    (root / "messy.wf").write_text(MESSY, encoding="utf-8")
    for hidden in (".venv", "node_modules"):  # not the workspace's own: left out
        (root / hidden).mkdir()
        (root / hidden / "sales-h.wf").write_text(SALES.format(x="H", amount=2000), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def session(workspace: Path) -> Iterator[Session]:
    s = Session(workspace)
    yield s
    assert s.close() == 0


def cursor(marked: str) -> tuple[str, int, int]:
    """The text without its ``|`` and the line and character of the ``|``."""
    at = marked.index("|")
    before = marked[:at]
    return marked.replace("|", "", 1), before.count("\n"), at - (before.rfind("\n") + 1)


def complete(session: Session, name: str, marked: str) -> list[T.CompletionItem]:
    text, line, character = cursor(marked)
    uri = session.open(name, text)
    try:
        return session.completion(uri, line, character)
    finally:
        session.close_document(uri)


def at(text: str, needle: str, nth: int = 0, offset: int = 0) -> tuple[int, int]:
    """The line and character of the ``nth`` occurrence of ``needle`` in ``text`` (plus ``offset``)."""
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    i += offset
    return text.count("\n", 0, i), i - (text.rfind("\n", 0, i) + 1)


def labels(items: list[T.CompletionItem]) -> list[str]:
    return [i.label for i in items]


# --------------------------------------------------------------------------- diagnostics


def test_the_server_says_what_it_does(session: Session) -> None:
    caps = session.init.capabilities
    assert caps.hover_provider and caps.definition_provider and caps.document_symbol_provider
    assert caps.document_formatting_provider and caps.code_action_provider and caps.completion_provider
    assert session.init.server_info is not None and session.init.server_info.name == "werkstroom"


def test_the_workspace_is_checked_at_the_start(session: Session) -> None:
    """Files nobody opened get their diagnostics too (an editor lists them with the problems)."""
    found = session.latest(session.uri("sales-b.wf"), lambda ds: any(d.code == "WF428" for d in ds))
    assert [d.code for d in found] == ["WF428"]


def test_diagnostics_are_those_of_wf_check_enable(session: Session, workspace: Path) -> None:
    uri = session.open("broken.wf")
    got = [(d.code, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character,
            d.message, d.severity) for d in session.diagnostics(uri)]
    result = check_paths([workspace / name for name in ("broken.wf", "good.wf", "messy.wf", "sales-a.wf",
                                                        "sales-b.wf")])
    want = [(d.code, d.span.line - 1, d.span.col - 1, d.span.end_line - 1, d.span.end_col - 1,
             render_message(d), T.DiagnosticSeverity.Error if d.is_error else T.DiagnosticSeverity.Warning)
            for d in enable_diagnostics(result) if d.span is not None and d.span.path.endswith("broken.wf")]
    assert sorted(got) == sorted(want)
    assert {g[0] for g in got} == {"WF201", "WF202", "WF203", "WF204", "WF205", "WF302", "WF416"}
    message = next(g[5] for g in got if g[0] == "WF202")
    assert message == "Customer has no field `credit_limt_lcy`\nhelp: did you mean `credit_limit_lcy`?"


def test_diagnostics_follow_the_edits(session: Session) -> None:
    uri = session.open("typing.wf", "on VendorSentForApproval then restrict record usage\n")
    assert [d.code for d in session.diagnostics(uri)] == []
    session.change(uri, 'on VendorSentForApproval when nmae = "x" then restrict record usage\n')
    (d,) = session.diagnostics(uri)
    where = (d.range.start.line, d.range.start.character, d.range.end.character)
    assert (d.code, where) == ("WF202", (0, 30, 34))
    session.change(uri, 'on VendorSentForApproval when name = "x" then restrict record usage\n')
    assert list(session.diagnostics(uri)) == []
    session.close_document(uri)


def test_positions_count_utf16_code_units(session: Session) -> None:
    """An emoji takes two UTF-16 code units (the protocol's default), one code point in Python."""
    text = ('on VendorSentForApproval when name = "\N{GRINNING FACE}" and nmae = "x" '
            "then restrict record usage\n")
    uri = session.open("wide.wf", text)
    (d,) = session.diagnostics(uri)
    assert d.code == "WF202" and d.range.start.character == text.index("nmae") + 1
    session.close_document(uri)


def test_a_workflow_code_used_in_another_file(session: Session, workspace: Path) -> None:
    """The second definition (by path) is reported, pointing at the first."""
    uri = session.open("sales-z.wf", SALES.format(x="A", amount=1000).replace("document_type = Order",
                                                                           "document_type = Quote"))
    (d,) = [d for d in session.diagnostics(uri) if d.code == "WF405"]
    assert d.related_information is not None
    assert d.related_information[0].location.uri == (workspace / "sales-a.wf").as_uri()
    session.close_document(uri)


def test_overlap_with_another_file_of_the_workspace(session: Session, workspace: Path) -> None:
    """sales-b.wf's entry point overlaps sales-a.wf's (a file that is not open): refused (WF428) as
    `wf check --enable` refuses it, pointing at the other file; gone once the conditions exclude
    each other. The copies in `.venv/` and `node_modules/` are not the workspace's own: no overlap."""
    uri = session.open("sales-b.wf")
    (d,) = [d for d in session.diagnostics(uri) if d.code == "WF428"]
    assert "SALES-A" in d.message and d.related_information is not None
    assert d.related_information[0].location.uri == (workspace / "sales-a.wf").as_uri()
    assert d.related_information[0].location.range.start.line == 3
    session.change(uri, SALES.format(x="B", amount=5000).replace("document_type = Order",
                                                                "document_type = Quote"))
    assert [d.code for d in session.diagnostics(uri)] == []
    session.close_document(uri)


def test_allow_overlap_makes_it_a_warning(tmp_path: Path) -> None:
    """As `wf check --enable --allow-overlap`: the overlap is the binder's warning (WF420)."""
    (tmp_path / "sales-a.wf").write_text(SALES.format(x="A", amount=1000), encoding="utf-8")
    (tmp_path / "sales-b.wf").write_text(SALES.format(x="B", amount=5000), encoding="utf-8")
    s = Session(tmp_path, {"allowOverlap": True})
    try:
        uri = s.open("sales-b.wf")
        codes = {(d.code, d.severity) for d in s.diagnostics(uri)}
        assert ("WF420", T.DiagnosticSeverity.Warning) in codes and "WF428" not in {c for c, _ in codes}
    finally:
        assert s.close() == 0


# --------------------------------------------------------------------------- completion


def test_events_after_on(session: Session) -> None:
    items = complete(session, "c1.wf", "on |")
    names = labels(items)
    assert "PurchaseDocSentForApproval" in names and "CustomerChanged" in names
    assert "ApprovalRequestApproved" not in names  # it only follows other events: no first step
    assert "ExpenseReportSentForApproval" in names  # the partner library installed in the environment
    nested = labels(complete(session, "c2.wf", "on PurchaseDocSentForApproval then\n   on |"))
    assert nested[:3] == ["ApprovalRequestApproved", "ApprovalRequestRejected", "ApprovalRequestDelegated"]


def test_fields_after_when_typed_to_the_events_record(session: Session) -> None:
    items = complete(session, "c3.wf", "on PurchaseDocSentForApproval when |")
    by_label = {i.label: i for i in items}
    assert {"amount", "status", "document_type", "vendor", "lines"} <= set(by_label)
    assert by_label["amount"].kind == T.CompletionItemKind.Field
    assert by_label["amount"].detail == "decimal · PurchaseHeader"
    customer = labels(complete(session, "c4.wf", "on CustomerChanged when |"))
    assert "credit_limit_lcy" in customer and "old" in customer and "amount" not in customer
    line_fields = labels(complete(session, "c5.wf", "on PurchaseDocSentForApproval when any lines with |"))
    assert "quantity" in line_fields and "buy_from_vendor_no" not in line_fields
    vendor = labels(complete(session, "c6.wf", "on PurchaseDocSentForApproval when vendor.|"))
    assert "blocked" in vendor


def test_enum_values_of_the_field_compared(session: Session) -> None:
    items = complete(session, "c7.wf", "on PurchaseDocSentForApproval when status = |")
    assert labels(items) == ["Open", "Released", "Pending Approval", "Pending Prepayment"]
    inserted = {i.label: i.text_edit.new_text for i in items if isinstance(i.text_edit, T.TextEdit)}
    assert inserted["Open"] == "Open" and inserted["Pending Approval"] == '"Pending Approval"'
    listed = labels(complete(session, "c8.wf",
                             "on PurchaseDocSentForApproval when document_type in [Order, |"))
    assert "Credit Memo" in listed and "Open" not in listed


def test_response_phrases_after_then_and_options_after_a_comma(session: Session) -> None:
    items = complete(session, "c9.wf", "on PurchaseDocSentForApproval then create approval requests for |")
    by_label = {i.label: i for i in items}
    assert "create approval requests for approver chain" in by_label
    specific = by_label["create approval requests for specific approver <approver_id>"]
    assert isinstance(specific.text_edit, T.TextEdit) and specific.text_edit.range.start.character == 35
    assert specific.text_edit.new_text == "create approval requests for specific approver ${1:approver_id}"
    assert specific.insert_text_format == T.InsertTextFormat.Snippet
    body = labels(complete(session, "c10.wf", "on PurchaseDocSentForApproval then\n   |"))
    assert "restrict record usage" in body and "continue at" in body and "on" in body
    assert "release document" not in body  # BC lets it follow other events only
    marked = "on PurchaseDocSentForApproval then\n   create approval requests for approver chain, |"
    options = {i.label: i for i in complete(session, "c11.wf", marked)}
    assert {"due in <due_date_formula>", "delegate after <delegate_after>"} <= set(options)
    delegate = options["delegate after <delegate_after>"].text_edit
    assert isinstance(delegate, T.TextEdit) and delegate.new_text.startswith("delegate after ${1|Never,")


def test_labels_after_continue_at(session: Session) -> None:
    text = (ROOT / "examples" / "purchase-invoice-eu.wf").read_text(encoding="utf-8")
    marked = text.replace("        continue at send\n     on ApprovalRequestRejected",
                          "        continue at |\n     on ApprovalRequestRejected", 1)
    items = complete(session, "c12.wf", marked)
    assert labels(items) == ["send"]


# --------------------------------------------------------------------------- hover, definition, symbols


def test_hover_shows_the_catalogues_documentation(session: Session) -> None:
    uri = session.open("good.wf")
    text = (session.root / "good.wf").read_text(encoding="utf-8")
    event = session.hover(uri, *at(text, "PurchaseDocSentForApproval", offset=3))
    assert event is not None and event.startswith("**PurchaseDocSentForApproval** (event)")
    assert "BC code: `RUNWORKFLOWONSENDPURCHASEDOCFORAPPROVAL`" in event
    assert "record: `PurchaseHeader` (BC table 38 Purchase Header)" in event
    field = session.hover(uri, *at(text, "amount >", offset=2))
    assert field is not None and field.startswith("**amount**: field of `PurchaseHeader` (decimal)")
    assert 'BC field: "Amount" of table 38 Purchase Header' in field
    enum = session.hover(uri, *at(text, "document_type"))
    assert enum is not None and "enum PurchaseDocumentType" in enum and "Credit Memo" in enum
    value = session.hover(uri, *at(text, "Invoice and"))
    assert value is not None and value.startswith("**Invoice**: a value of enum `PurchaseDocumentType`")
    response = session.hover(uri, *at(text, "create approval requests"))
    assert response is not None and "BC code: `CREATEAPPROVALREQUESTS`" in response
    option = session.hover(uri, *at(text, "due in 2D", offset=4))
    assert option is not None
    assert option.startswith("**due_date_formula**: option of `create_approval_requests`")
    approved = session.hover(uri, *at(text, "pending_approvals"))
    assert approved is not None and approved.startswith("**pending_approvals**: field of `ApprovalEntry`")


def test_hover_over_a_partner_librarys_event(session: Session) -> None:
    uri = session.open("expenses.wf", "on ExpenseReportSentForApproval then restrict record usage\n")
    text = session.hover(uri, 0, 5)
    assert text is not None and "library: expenses 1.0.0" in text
    session.close_document(uri)


def test_go_to_the_label_of_continue_at(session: Session) -> None:
    uri = session.open("good.wf")
    text = (session.root / "good.wf").read_text(encoding="utf-8")
    got = session.definition(uri, *at(text, "continue at send", offset=13))
    assert isinstance(got, T.Location) and got.uri == uri
    assert (got.range.start.line, got.range.start.character) == at(text, "as send", offset=3)
    assert session.definition(uri, *at(text, "restrict")) is None


def test_document_symbols_are_workflows_and_steps(session: Session) -> None:
    uri = session.open("good.wf")
    (wf,) = session.symbols(uri)
    assert (wf.name, wf.detail, wf.kind) == ("PIAPW-EU", "Purchase invoice approval (EU)", T.SymbolKind.Class)
    (step,) = wf.children
    assert step.name == "on PurchaseDocSentForApproval" and step.kind == T.SymbolKind.Event
    assert step.detail == "when document_type = Invoice and status = Open and amount > 1000"
    assert [c.name for c in step.children] == ["as send", "on ApprovalRequestApproved",
                                               "on ApprovalRequestApproved", "on ApprovalRequestRejected",
                                               "on ApprovalRequestDelegated"]


# --------------------------------------------------------------------------- edits


def test_formatting_is_wf_fmt(session: Session) -> None:
    uri = session.open("messy.wf")
    (edit,) = session.formatting(uri)
    assert edit.new_text == format_script(MESSY)
    assert edit.new_text == "on PurchaseDocReleased when amount > 5 then release document\n"
    assert (edit.range.start.line, edit.range.end.line, edit.range.end.character) == (0, 2, 0)
    good = session.open("good.wf")
    assert list(session.formatting(good)) == []
    bad = session.open("unfinished.wf", "on PurchaseDocReleased when\n")
    assert session.formatting(bad) is None  # syntax errors: left alone, as `wf fmt` leaves the file


def test_a_quick_fix_for_each_did_you_mean(session: Session) -> None:
    uri = session.open("broken.wf")
    diags = session.diagnostics(uri)
    actions = session.code_actions(uri, diags)
    edits = {f"{a.diagnostics[0].code}@{a.diagnostics[0].range.start.line}": a.edit.changes[uri][0].new_text
             for a in actions if a.edit is not None and a.edit.changes is not None and a.diagnostics}
    assert edits == {"WF202@5": "credit_limit_lcy", "WF302@5": "Ship", "WF203@7": "restrict record usage",
                     "WF204@9": "notify sender", "WF201@11": "ApprovalRequestApproved", "WF205@12": "send"}
    assert all(a.kind == T.CodeActionKind.QuickFix for a in actions)
    # taking every fix leaves none of those mistakes
    lines = BROKEN.splitlines(keepends=True)
    for a in sorted(actions, key=lambda a: (-a.diagnostics[0].range.start.line,  # type: ignore[index]
                                            -a.diagnostics[0].range.start.character)):  # type: ignore[index]
        assert a.edit is not None and a.edit.changes is not None
        (edit,) = a.edit.changes[uri]
        r = edit.range
        assert r.start.line == r.end.line
        line = lines[r.start.line]
        lines[r.start.line] = line[: r.start.character] + edit.new_text + line[r.end.character:]
    session.change(uri, "".join(lines))
    assert [d.code for d in session.diagnostics(uri)] == []
    session.close_document(uri)


def test_quick_fixes_fill_the_slots_of_a_phrase_and_rename_a_placeholder(session: Session) -> None:
    uri = session.open("fixes.wf", "on PurchaseDocSentForApproval when amount > 5 then\n"
                                   '   notify sender, message "Sent {documnt_no}"\n'
                                   "   create aproval requests for specific aprover JOHN\n")
    actions = session.code_actions(uri, list(session.diagnostics(uri)))
    fixes = {a.diagnostics[0].code: a.edit.changes[uri][0].new_text for a in actions  # type: ignore[index]
             if a.edit is not None and a.edit.changes is not None}
    assert fixes == {"WF310": '"Sent {document_no}"',
                     "WF203": "create approval requests for specific approver JOHN"}
    session.close_document(uri)


def test_a_quick_fix_without_data_is_found_from_what_was_published(session: Session) -> None:
    uri = session.open("broken.wf")
    diags = [d for d in session.diagnostics(uri) if d.code == "WF205"]
    stripped = [T.Diagnostic(range=d.range, message=d.message, code=d.code, source=d.source) for d in diags]
    (action,) = session.code_actions(uri, stripped)
    assert action.edit is not None and action.edit.changes is not None
    assert action.edit.changes[uri][0].new_text == "send"
