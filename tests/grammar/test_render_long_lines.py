"""A diagnostic on a very long line renders without measuring the line character by character when
every character takes one cell (printable ASCII): the mutation fuzzer's 200,000-character lines took
most of a second per diagnostic before."""

from __future__ import annotations

import pytest

from werkstroom import render
from werkstroom.grammar.parser import parse


def test_long_ascii_line_is_not_measured_per_character(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "on PurchaseDocReleased when amount > 1 then release " + "x" * 200_000 + " @\n"
    r = parse(text, "long.wf")
    assert r.diagnostics
    calls = []
    monkeypatch.setattr(render, "_char_width", lambda ch: calls.append(ch) or 1)
    out = render.render_text(r.diagnostics, {"long.wf": r.source})
    assert calls == []
    caret_line = next(ln for ln in out.splitlines() if ln.lstrip(" |").startswith("^"))
    assert caret_line.index("^") - caret_line.index("|") - 2 == text.index("@")


def test_tabs_and_wide_characters_still_take_their_cells() -> None:
    text, cols = render._display("a\tb\u00e9\u4e00c")
    assert text == "a   b\u00e9\u4e00c" and cols == [0, 1, 4, 5, 6, 8, 9]
