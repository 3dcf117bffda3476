"""The wording, place and help of syntax diagnostics whose help depends on what was written."""

from __future__ import annotations

import pytest

from werkstroom.diagnostics import Diagnostic
from werkstroom.grammar.parser import parse


def only(text: str) -> Diagnostic:
    (d,) = parse(text, "t.wf").diagnostics
    return d


@pytest.mark.parametrize(("written", "value"), [("1.000.50", "1000.50"), ("1,000.50", "1000.50"),
                                                 ("1.000,00", "1000.00"), ("1,000,000", "1000000")])
def test_a_number_with_separators_is_a_malformed_number(written: str, value: str) -> None:
    d = only(f"on PurchaseDocReleased when amount > {written} then release document\n")
    assert d.code == "WF111" and d.message == f"`{written}` is not a valid number"
    assert d.span is not None and (d.span.col, d.span.end_col) == (38, 38 + len(written))
    assert d.help == ("numbers are written with a point before the decimals and no thousands "
                      f"separators: `{value}`")


def test_a_malformed_number_in_an_option() -> None:
    d = only("on PurchaseDocReleased then\n   request approval, due in 1.000.50\n")
    assert d.code == "WF111" and d.message == "`1.000.50` is not a valid number"


def test_a_range_is_not_a_malformed_number() -> None:
    assert parse("on E when amount in 1..5 then x\n").diagnostics == ()


@pytest.mark.parametrize(("line", "fits"), [
    ("     release document", "8"),          # a response: only a step's body
    ("     continue at x", "8"),
    ("     on B then release document", "0, 2 or 8"),  # a step: any enclosing block
])
def test_a_bad_dedent_names_the_indentations_that_fit(line: str, fits: str) -> None:
    d = only(f"workflow W\n  on A then\n        release document\n{line}\n")
    assert d.code == "WF106" and d.label == "indented 5 column(s)"
    assert d.help == f"indent it {fits} columns, like an enclosing line; a tab counts to the next " \
                     "multiple of 4"



def test_a_bad_dedent_among_nested_steps() -> None:
    text = ("workflow W\n  on A then\n    release document\n    on B then\n        release document\n"
            "   release document\n")
    (d,) = [d for d in parse(text).diagnostics if d.code == "WF106"]
    assert d.help.startswith("indent it 4 or 8 columns,")
