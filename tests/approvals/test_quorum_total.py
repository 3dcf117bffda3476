"""`quorum N of M` in a script: the binder sets both options, the service checks them (WF619)."""

from __future__ import annotations

import pytest

from werkstroom.binding.binder import bind
from werkstroom.binding.libraries import load_catalogue
from werkstroom.engine.approvals.errors import ApprovalError
from werkstroom.engine.approvals.service import quorum_with_total
from werkstroom.grammar.parser import parse


def _options(phrase: str) -> tuple[dict[str, object], list[str]]:
    src = ('workflow Q-1 "quorum"\n  on PurchaseDocSentForApproval then\n'
           f'     create approval requests for workflow user group FIN, {phrase}\n')
    program = bind([parse(src, "q.wf")], load_catalogue()[0])
    codes = [d.code for d in program.diagnostics if d.is_error]
    if codes:
        return {}, codes
    step = program.workflows[0].steps[1]
    return {k: v for k, v in step.options.items() if k.startswith("quorum")}, []


@pytest.mark.parametrize(("phrase", "expected"), [
    ("quorum 2 of 3", {"quorum": 2, "quorum_total": 3}),
    ("any 2 of 3", {"quorum": 2, "quorum_total": 3}),
    ("quorum 2, of 3 approvers", {"quorum": 2, "quorum_total": 3}),
    ("any 1 of group", {"quorum": 1, "quorum_total": None}),
    ("quorum 2", {"quorum": 2, "quorum_total": None}),
])
def test_quorum_phrases_bind_both_options(phrase: str, expected: dict[str, object]) -> None:
    assert _options(phrase) == (expected, [])


def test_a_total_that_is_not_a_number_is_a_binding_error() -> None:
    assert _options("quorum 2 of many")[1] == ["WF304"]


@pytest.mark.parametrize(("quorum", "total", "expected"), [
    (2, 3, (2, 3)),
    (2, None, (2, None)),
    ("2 of 3", None, (2, 3)),
    ("2 of 3", 3, (2, 3)),
    (None, None, (None, None)),
])
def test_quorum_with_total(quorum: object, total: object, expected: tuple[int | None, int | None]) -> None:
    assert quorum_with_total(quorum, total) == expected


@pytest.mark.parametrize(("quorum", "total", "text"), [
    (None, 3, "needs a quorum"),
    (4, 3, "need 1 <= N <= M"),
    ("2 of 3", 4, "disagree"),
    (2, "three", "whole number"),
    (2, True, "whole number"),
])
def test_quorum_with_total_refusals(quorum: object, total: object, text: str) -> None:
    with pytest.raises(ApprovalError) as err:
        quorum_with_total(quorum, total)
    assert err.value.code == "WF619" and text in str(err.value)
