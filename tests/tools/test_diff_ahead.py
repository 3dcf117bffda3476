"""What counts as ahead of a waiting instance: the verdict of one instance waiting for the approvers of
BASE (steps 6, 9, 11 and 14), for changes before, at and after where it waits."""

from __future__ import annotations

import datetime as dt

import pytest

from werkstroom.binding.libraries import load_catalogue
from werkstroom.binding.program import BoundWorkflow
from werkstroom.binding.sources import bind_text
from werkstroom.tools.diff.deployed import Running
from werkstroom.tools.diff.tree import ahead, shape
from werkstroom.tools.diff.verdict import judge

from .test_diff_changes import BASE


@pytest.fixture(scope="module")
def catalogue() -> object:
    return load_catalogue()[0]


def _bound(catalogue: object, text: str) -> BoundWorkflow:
    return bind_text(text, "piapw.wf", catalogue).workflows[0]


REJECTED = ("     on ApprovalRequestRejected then\n        reject approval requests, notify sender\n"
            "        reopen document\n")


def _state(catalogue: object, new: str,
           active: tuple[int, ...] = (6, 9, 11, 14)) -> tuple[str, tuple[str, ...]]:
    started = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    old = _bound(catalogue, BASE)
    inst = Running("i-1", 1, "PurchaseHeader", "Invoice|PI-1", "BUYER", started, active, old)
    verdict = judge("PIAPW-T", shape(_bound(catalogue, new)), [inst], "version 2", target_version=2)
    [i] = verdict.instances
    return i.state, i.reasons


def test_a_jump_reaches_back_into_the_entry_steps_chain(catalogue: object) -> None:
    sh = shape(_bound(catalogue, BASE))
    # the first approval of two sends the next request and jumps back to `send` (step 5): from there the
    # four alternatives wait again; the last approval only releases
    assert sorted(ahead(sh, 9)) == [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
    assert sorted(ahead(sh, 6)) == [6, 7, 8]


def test_changes_behind_the_waiting_steps_leave_it_unaffected(catalogue: object) -> None:
    new = BASE.replace("amount > 1000", "amount > 2000").replace("due in 2D", "due in 3D")
    assert _state(catalogue, new) == ("unaffected", ())


def test_a_change_at_the_jump_target_affects_it(catalogue: object) -> None:
    state, reasons = _state(catalogue, BASE.replace("send approval requests as send",
                                                    "send approval requests, notify sender as send"))
    assert state == "affected"
    assert reasons == ("changed ahead of it: options of step 5 (send approval requests, notify sender as "
                       "send): notify_sender False -> True",)


def test_an_alternative_added_beside_it_affects_it(catalogue: object) -> None:
    new = BASE + "     on ApprovalRequestApproved when pending_approvals > 9 then\n        release document\n"
    state, reasons = _state(catalogue, new)
    assert state == "affected"
    assert reasons == ("changed ahead of it: added step 16 (on ApprovalRequestApproved when "
                       "pending_approvals > 9), with step 17 under it",)


def test_a_new_priority_among_the_alternatives_affects_it(catalogue: object) -> None:
    new = BASE.replace(REJECTED, "") + REJECTED
    state, reasons = _state(catalogue, new)
    assert state == "affected" and len(reasons) == 2
    assert all("among the alternatives (its priority)" in r for r in reasons)


def test_a_step_it_no_longer_waits_on_does_not_count(catalogue: object) -> None:
    # once only the rejection waits (e.g. the others were ignored), a change under the approval does not count
    new = BASE.replace("        allow record usage\n        release document\n", "        release document\n")
    assert _state(catalogue, new)[0] == "affected"
    assert _state(catalogue, new, active=(11,)) == ("unaffected", ())


def test_a_removed_waiting_step_strands_it(catalogue: object) -> None:
    state, reasons = _state(catalogue, BASE.replace(REJECTED, ""))
    assert state == "stranded"
    assert reasons[0] == "waits on step 11 (on ApprovalRequestRejected), which version 2 does not have"
