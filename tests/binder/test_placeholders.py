"""Notification texts are checked when the script is checked: unknown placeholders are WF310 with a hint."""

from __future__ import annotations

from werkstroom.binding.binder import bind
from werkstroom.binding.libraries import load_catalogue
from werkstroom.grammar.parser import parse

SCRIPT = """\
workflow PH-T "Placeholders"
  on PurchaseDocSentForApproval when document_type = Invoice then
     notify sender {text}
"""


def diagnostics(text: str) -> list[tuple[str, int, int, str]]:
    catalogue, _ = load_catalogue(partners=False)
    program = bind([parse(SCRIPT.format(text=text), "ph.wf")], catalogue)
    return [(d.code, d.span.line, d.span.col, d.help) for d in program.diagnostics
            if d.span is not None and d.is_error]


def test_unknown_placeholder_has_code_place_and_hint() -> None:
    assert diagnostics('"Invoice {documnt_no} was sent"') == [
        ("WF310", 3, 20, "did you mean {document_no}?")]


def test_known_placeholders_and_escaped_braces_are_fine() -> None:
    assert diagnostics('"Invoice {document_no} of {amount} {{draft}}"') == []


def test_lone_brace_is_reported() -> None:
    assert [d[0] for d in diagnostics('"Invoice {document_no"')] == ["WF310"]


def test_option_form_is_checked_too() -> None:
    catalogue, _ = load_catalogue(partners=False)
    text = SCRIPT.format(text='').replace("notify sender \n", 'notify sender, message "Hi {sendr}"\n')
    program = bind([parse(text, "ph.wf")], catalogue)
    assert [d.code for d in program.diagnostics if d.is_error] == ["WF310"]


def test_show_message_text_is_not_a_template() -> None:
    catalogue, _ = load_catalogue(partners=False)
    text = SCRIPT.format(text="").replace("notify sender \n", 'show message "Use {curly} braces freely"\n')
    program = bind([parse(text, "ph.wf")], catalogue)
    assert [d.code for d in program.diagnostics if d.is_error] == []
