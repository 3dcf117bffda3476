"""Number literals have at most MAX_NUMBER_DIGITS digits: longer ones are WF111, never an exception
(Python's int() refuses more than 4,300 digits, and str() of such an int too)."""

from __future__ import annotations

import pytest

from werkstroom.grammar.ast import IntLit
from werkstroom.grammar.limits import MAX_NUMBER_DIGITS
from werkstroom.grammar.parser import parse


@pytest.mark.parametrize("number", ["1" * 4301, "9" * 5000, "-" + "9" * 5000, "9" * 5000 + ".5",
                                    "0." + "1" * 5000, "1" * (MAX_NUMBER_DIGITS + 1)],
                         ids=["int-4301", "int-5000", "negative-5000", "decimal-5000", "fraction-5000",
                              "limit+1"])
@pytest.mark.parametrize("template", ids=["compare", "list", "option"],
                         argvalues=[
    "on PurchaseDocReleased when amount > {} then release document\n",
    "on PurchaseDocReleased when amount in [1, {}] then release document\n",
    "on PurchaseDocReleased then create approval requests for approver chain, quorum {} of 3\n",
])
def test_too_many_digits_is_wf111(template: str, number: str) -> None:
    r = parse(template.format(number), "n.wf")
    assert [d.code for d in r.diagnostics] == ["WF111"]
    d = r.diagnostics[0]
    assert f"more than {MAX_NUMBER_DIGITS} digits" in d.message and len(d.message) < 120
    assert d.span is not None and d.span.start == template.index("{}")


def test_the_longest_number_still_reads() -> None:
    nines = "9" * MAX_NUMBER_DIGITS
    r = parse(f"on PurchaseDocReleased when pending_approvals > {nines} then release document\n")
    assert r.ok
    cond = r.script.items[0].condition  # type: ignore[union-attr]
    assert isinstance(cond.right, IntLit) and cond.right.value == int("9" * MAX_NUMBER_DIGITS)
