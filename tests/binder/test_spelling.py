"""Did-you-mean suggestions."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from werkstroom.spelling import did_you_mean, distance, suggest, suggest_phrase


def test_distance_counts_swaps_as_one_edit() -> None:
    assert distance("amount", "amuont") == 1
    assert distance("amount", "amout") == 1
    assert distance("abc", "xyz") == 3
    assert distance("kitten", "sitting", cap=1) == 2  # capped: "more than 1"


@given(st.text(max_size=8), st.text(max_size=8))
def test_distance_is_a_symmetric_measure(a: str, b: str) -> None:
    d = distance(a, b)
    assert d == distance(b, a)
    assert (d == 0) == (a == b)
    assert d <= max(len(a), len(b))


def test_suggest_ignores_case_and_underscores() -> None:
    assert suggest("AmountLCY", ["amount", "amount_lcy"]) == ["amount_lcy"]
    events = ["PurchaseDocReleased", "SalesDocReleased"]
    assert suggest("PurchaseDocRelased", events) == ["PurchaseDocReleased"]
    assert suggest("zzz", ["amount"]) == []
    assert did_you_mean("stauts", ["status", "amount"]) == "did you mean `status`?"
    assert did_you_mean("qqqqq", ["status"]) == ""


def test_phrase_suggestion_prefers_a_similar_length() -> None:
    patterns = [("revert <field>", ["revert", "<field>"]),
                ("revert the value of <field>", ["revert", "the", "value", "of", "<field>"])]
    assert suggest_phrase(["revert", "value", "for", "field", "x"], patterns) == "revert the value of <field>"
    assert suggest_phrase(["launch", "rockets", "now"], patterns) is None
