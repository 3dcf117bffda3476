"""`wf diff`'s step-level changes: steps paired by their place in the tree (not their ids), and each kind
of change found once, where it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from werkstroom.binding.libraries import load_catalogue
from werkstroom.binding.sources import bind_text
from werkstroom.tools.diff.changes import Change, changes, summary
from werkstroom.tools.diff.compare import diff_files
from werkstroom.tools.diff.match import Matching, match
from werkstroom.tools.diff.tree import shape

BASE = """\
workflow PIAPW-T "Purchase invoice approval"
  category PURCHDOC

  on PurchaseDocSentForApproval
     when document_type = Invoice and status = Open and amount > 1000
  then
     restrict record usage
     set status to pending approval
     create approval requests for approver chain, due in 2D, delegate after 5D
     send approval requests as send

     on ApprovalRequestApproved when pending_approvals = 0 then
        allow record usage
        release document
     on ApprovalRequestApproved when pending_approvals > 0 then
        send approval requests
        continue at send
     on ApprovalRequestRejected then
        reject approval requests, notify sender
        reopen document
     on ApprovalRequestDelegated then
        send approval requests
        continue at send
"""


@pytest.fixture(scope="module")
def catalogue() -> object:
    return load_catalogue()[0]


def _diff(catalogue: object, new: str, old: str = BASE) -> tuple[Matching, list[Change]]:
    a = bind_text(old, "old.wf", catalogue).workflows[0]
    b = bind_text(new, "new.wf", catalogue).workflows[0]
    m = match(shape(a), shape(b))
    return m, changes(m)


def _kinds(found: list[Change]) -> list[tuple[str, int | None, int | None]]:
    return [(c.kind, c.old, c.new) for c in found]


def test_the_same_script_has_no_changes_and_every_step_pairs_with_itself(catalogue: object) -> None:
    m, found = _diff(catalogue, BASE)
    assert found == []
    assert m.pairs == {i: i for i in range(1, 16)}


def test_an_inserted_response_renumbers_the_rest_without_changing_them(catalogue: object) -> None:
    new = BASE.replace("     restrict record usage\n",
                       "     show message \"Sent\"\n     restrict record usage\n", 1)
    m, found = _diff(catalogue, new)
    assert _kinds(found) == [("added", None, 2)]
    assert found[0].text == 'show message "Sent"' and found[0].place == "PurchaseDocSentForApproval"
    # every step after it is one further on, and paired with its old self
    assert m.pairs == {1: 1, **{i: i + 1 for i in range(2, 16)}}


def test_an_inserted_alternative_leaves_its_siblings_paired_in_their_order(catalogue: object) -> None:
    new = BASE.replace("     on ApprovalRequestRejected then\n",
                       "     on ApprovalRequestApproved when pending_approvals > 5 then\n"
                       "        send approval requests\n"
                       "     on ApprovalRequestRejected then\n")
    m, found = _diff(catalogue, new)
    assert _kinds(found) == [("added", None, 11)]
    assert found[0].below == (12,)
    assert found[0].place == "PurchaseDocSentForApproval > ApprovalRequestApproved#3"
    assert m.pairs[11] == 13 and m.pairs[14] == 16


def test_a_removed_branch_is_one_change_with_the_steps_under_it(catalogue: object) -> None:
    new = BASE.replace("     on ApprovalRequestDelegated then\n        send approval requests\n"
                       "        continue at send\n", "")
    _m, found = _diff(catalogue, new)
    assert _kinds(found) == [("removed", 14, None)]
    assert found[0].below == (15,)
    assert summary(found[0]) == ("removed step 14 (on ApprovalRequestDelegated), with step 15 under it")


def test_a_changed_condition_is_shown_as_written(catalogue: object) -> None:
    new = BASE.replace("pending_approvals > 0", "pending_approvals >= 1")
    _m, found = _diff(catalogue, new)
    assert _kinds(found) == [("condition", 9, 9)]
    assert (found[0].before, found[0].after) == ("pending_approvals > 0", "pending_approvals >= 1")
    assert "`pending_approvals > 0` -> `pending_approvals >= 1`" in summary(found[0])


def test_a_condition_written_another_way_with_the_same_meaning_is_no_change(catalogue: object) -> None:
    new = BASE.replace("amount > 1000", "amount>1000")
    assert _diff(catalogue, new)[1] == []


def test_option_changes_name_the_options(catalogue: object) -> None:
    new = BASE.replace("due in 2D", "due in 3D").replace("reject approval requests, notify sender",
                                                         "reject approval requests")
    _m, found = _diff(catalogue, new)
    assert _kinds(found) == [("options", 4, 4), ("options", 12, 12)]
    assert (found[0].before, found[0].after) == ({"due_date_formula": "2D"}, {"due_date_formula": "3D"})
    assert (found[1].before, found[1].after) == ({"notify_sender": True}, {"notify_sender": False})
    assert summary(found[0]).endswith("due_date_formula 2D -> 3D")


def test_another_response_in_a_place_is_a_removal_and_an_addition(catalogue: object) -> None:
    new = BASE.replace("        reopen document\n", "        show message \"Rejected\"\n")
    _m, found = _diff(catalogue, new)
    assert sorted(_kinds(found), key=str) == [("added", None, 13), ("removed", 13, None)]


def test_a_step_nested_under_another_branch_is_moved(catalogue: object) -> None:
    nested = "        on ApprovalRequestDelegated then\n           send approval requests\n"
    new = (BASE.replace("     on ApprovalRequestDelegated then\n        send approval requests\n"
                        "        continue at send\n", "")
           .replace("        reopen document\n", "        reopen document\n" + nested))
    m, found = _diff(catalogue, new)
    moved = [c for c in found if c.kind == "moved"]
    assert [(c.old, c.new) for c in moved] == [(14, 14)]
    assert moved[0].before == "PurchaseDocSentForApproval > ApprovalRequestDelegated"
    assert moved[0].after == "PurchaseDocSentForApproval > ApprovalRequestRejected > ApprovalRequestDelegated"
    assert m.pairs[15] == 15 and 14 in m.moved
    # the response under it lost its jump
    assert ("continue at", 15, 15) in _kinds(found)


def test_swapped_alternatives_are_reordered_their_priority(catalogue: object) -> None:
    rejected = ("     on ApprovalRequestRejected then\n        reject approval requests, notify sender\n"
                "        reopen document\n")
    approved = "     on ApprovalRequestApproved when pending_approvals = 0 then\n"
    new = BASE.replace(rejected, "").replace(approved, rejected + approved)
    m, found = _diff(catalogue, new)
    assert m.pairs[11] == 6 and m.pairs[6] == 9
    reordered = {(c.old, c.before, c.after) for c in found if c.kind == "reordered"}
    assert reordered == {(6, 1, 2), (9, 2, 3), (11, 3, 1)}
    assert all(c.kind == "reordered" for c in found)


def test_swapped_responses_in_a_chain_are_reordered(catalogue: object) -> None:
    new = BASE.replace("        allow record usage\n        release document\n",
                       "        release document\n        allow record usage\n")
    _m, found = _diff(catalogue, new)
    assert {c.kind for c in found} == {"reordered"}
    assert {c.text for c in found} <= {"release document", "allow record usage"}


def test_a_jump_to_another_label_is_a_continue_at_change(catalogue: object) -> None:
    new = (BASE.replace("set status to pending approval", "set status to pending approval as pending")
           .replace("     on ApprovalRequestDelegated then\n        send approval requests\n"
                    "        continue at send\n",
                    "     on ApprovalRequestDelegated then\n        send approval requests\n"
                    "        continue at pending\n"))
    _m, found = _diff(catalogue, new)
    assert _kinds(found) == [("label", 3, 3), ("continue at", 15, 15)]
    assert (found[1].before, found[1].after) == ("send", "pending")


def test_a_renamed_label_is_no_change_of_where_the_jumps_go(catalogue: object) -> None:
    new = BASE.replace("as send", "as again").replace("continue at send", "continue at again")
    _m, found = _diff(catalogue, new)
    assert _kinds(found) == [("label", 5, 5)]
    assert not found[0].behaviour


def test_a_changed_header_is_reported(catalogue: object) -> None:
    new = BASE.replace('"Purchase invoice approval"', '"Purchase invoices"').replace("PURCHDOC", "PURCH")
    _m, found = _diff(catalogue, new)
    assert [(c.kind, c.text, c.before, c.after) for c in found] == [
        ("header", "description", "Purchase invoice approval", "Purchase invoices"),
        ("header", "category", "PURCHDOC", "PURCH")]


def test_files_pair_their_workflows_by_code(catalogue: object, tmp_path: Path) -> None:
    other = ('workflow PO-T "Orders"\n'
             '  on PurchaseDocSentForApproval when document_type = Order then restrict record usage\n')
    third = 'workflow SO-T "Sales"\n  on SalesDocSentForApproval then restrict record usage\n'
    (tmp_path / "old.wf").write_text(BASE + "\n" + other, encoding="utf-8")
    (tmp_path / "new.wf").write_text(third + "\n" + BASE.replace("2D", "4D"), encoding="utf-8")
    report = diff_files(tmp_path / "old.wf", tmp_path / "new.wf", catalogue)
    assert [(w.code, w.status, len(w.changes)) for w in report.workflows] == [
        ("SO-T", "added", 0), ("PIAPW-T", "changed", 1), ("PO-T", "removed", 0)]
    assert report.exit_code == 1 and report.verdict is None
    only = diff_files(tmp_path / "old.wf", tmp_path / "new.wf", catalogue, only="piapw-t")
    assert [w.code for w in only.workflows] == ["PIAPW-T"]


def test_two_scripts_of_one_workflow_each_pair_whatever_their_codes(catalogue: object,
                                                                      tmp_path: Path) -> None:
    step = "on PurchaseDocReleased when amount > {} then restrict record usage\n"
    (tmp_path / "approval-old.wf").write_text(step.format(1000), encoding="utf-8")
    (tmp_path / "approval-new.wf").write_text(step.format(2000), encoding="utf-8")
    report = diff_files(tmp_path / "approval-old.wf", tmp_path / "approval-new.wf", catalogue)
    [w] = report.workflows
    assert (w.old_code, w.new_code) == ("APPROVAL-OLD", "APPROVAL-NEW")
    assert [c.kind for c in w.changes] == ["condition"]


def test_the_same_scripts_exit_0(catalogue: object, tmp_path: Path) -> None:
    (tmp_path / "a.wf").write_text(BASE, encoding="utf-8")
    report = diff_files(tmp_path / "a.wf", tmp_path / "a.wf", catalogue)
    assert [w.status for w in report.workflows] == ["unchanged"] and report.exit_code == 0
