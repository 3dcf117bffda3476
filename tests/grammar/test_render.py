"""Golden renders: the exact text a user sees. Regenerate with WF_UPDATE_GOLDEN=1 after a deliberate
change, and review the diff."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from werkstroom.diagnostics import Diagnostic, Label, Severity
from werkstroom.grammar.parser import parse
from werkstroom.render import render_json, render_short, render_summary, render_text
from werkstroom.source import SourceFile

GOLDEN = Path(__file__).with_name("golden")

CASES = {
    "missing-then": (
        "workflow PIAPW-EU \"Purchase invoice approval\"\n  on PurchaseDocSentForApproval\n"
        "     when document_type = Invoice and amount > 1000\n     restrict record usage\n"),
    "unclosed-paren": "on Released when (amount > 1000 or vendor.blocked = true then release document\n",
    "tabs-and-wide-chars": 'on Released when\tname = "日本語テキスト"\t@ then release document\n',
    "several-errors": "on A when x = 1 y\non B then z\nworkflow W\n  on C when then q\n  on D then ok\n",
    "unclosed-text": 'on Released then show message "Approved!\n',
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str) -> None:
    r = parse(CASES[name], f"{name}.wf")
    assert r.diagnostics
    got = render_text(r.diagnostics, {r.source.path: r.source}, color=False) + "---\n" + \
        render_short(r.diagnostics)
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("WF_UPDATE_GOLDEN"):
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")


def test_carets_sit_under_the_exact_span_after_tabs_and_wide_chars() -> None:
    text = 'x\t"日本" y'
    src = SourceFile("w.wf", text)
    start = text.index("y")
    d = Diagnostic("WF102", Severity.ERROR, "m", src.span(start, start + 1), label="here")
    out = render_text([d], {"w.wf": src}).splitlines()
    line = next(ln for ln in out if ln.startswith("1 |"))
    caret = next(ln for ln in out if "^" in ln)
    # 'x' + tab to column 4 + '"' + two wide chars (4 cells) + '"' + ' ' -> y at cell 10
    assert line == '1 | x   "日本" y'
    assert caret.index("^") == line.index("y") + 2  # the two wide chars take one extra cell each


def test_colour_only_when_asked_and_never_in_messages() -> None:
    r = parse("on A when (a = 1 then x", "c.wf")
    plain = render_text(r.diagnostics, {"c.wf": r.source}, color=False)
    coloured = render_text(r.diagnostics, {"c.wf": r.source}, color=True)
    assert "\x1b[" not in plain and "\x1b[" in coloured
    assert all("\x1b" not in d.message for d in r.diagnostics)
    evil = Diagnostic("WF102", Severity.ERROR, "bad \x1b[31m char", None)
    assert "\x1b" not in render_text([evil], {}) and "\x1b" not in render_short([evil])


def test_related_labels_in_other_files_and_missing_sources() -> None:
    a = SourceFile("a.wf", "on A then x\n")
    other = SourceFile("b.wf", "on A\n").span(3, 4)
    d = Diagnostic("WF201", Severity.ERROR, "duplicate", a.span(3, 4), label="again here", help="rename it",
                   notes=("first note",), related=(Label(other, "first here"),))
    out = render_text([d], {"a.wf": a})
    assert " --> a.wf:1:4" in out and "::: b.wf:1:4: first here" in out
    assert "= note: first note" in out and "= help: rename it" in out
    no_source = render_text([d], {})
    assert "a.wf:1:4" in no_source and "= again here" in no_source


def test_json_and_summary() -> None:
    r = parse("on A b", "j.wf")
    data = json.loads(render_json(r.diagnostics))
    assert data[0]["code"] == "WF103" and data[0]["file"] == "j.wf"
    assert data[0]["start"] == {"line": 1, "column": 6, "offset": 5}
    assert render_summary(r.diagnostics, 1) == "Found 1 error in 1 file."
    assert render_summary([], 3) == "All checks passed (3 files)."


def test_multi_line_spans_mark_first_and_last_line() -> None:
    src = SourceFile("m.wf", "workflow W\n  on A when a = 1\n     and b = 2\n  then\n     x\n")
    start = src.text.index("on A")
    end = src.text.index("b = 2") + len("b = 2")
    d = Diagnostic("WF401", Severity.ERROR, "m", src.span(start, end), label="this condition")
    out = render_text([d], {"m.wf": src})
    assert out.splitlines()[3:7] == [
        "2 |   on A when a = 1",
        "  |   ^^^^^^^^^^^^^^^",
        "3 |      and b = 2",
        "  |      ^^^^^^^^^ this condition",
    ]
