"""A partner plugs its records into the stdlib's approvals: ``Library.event_predecessors`` lets approval
events follow the partner's "sent for approval" event, ``Library.response_predecessors`` lets the
approval responses run after it (BC's AddEventPredecessor / AddResponsePredecessor)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from partnerlib import PAINTED, SHIP, SHIPPED, Partners, widgets

from werkstroom import deploy
from werkstroom.binding.checking import check_sources
from werkstroom.binding.libraries import load_catalogue
from werkstroom.engine.approvals.setup import load_setup
from werkstroom.engine.clock import SequentialIds, VirtualClock
from werkstroom.engine.facade import open_engine
from werkstroom.extend import EventSpec, Library, catalogue_with
from werkstroom.source import SourceFile

SENT = EventSpec("WidgetSentForApproval", "A widget was sent for approval.", "Widget")
APPROVAL_EVENTS = ("ApprovalRequestApproved", "ApprovalRequestRejected")
APPROVAL_RESPONSES = ("create_approval_requests", "send_approval_requests")

WORKFLOW = """\
workflow WAPP "Approve widgets"
  on WidgetSentForApproval then
     restrict record usage
     create approval requests for workflow user group WIDGETS
     send approval requests
     on ApprovalRequestApproved when pending_approvals = 0 then
        allow record usage
        ship widget
     on ApprovalRequestRejected then
        allow record usage
"""


def approvable(**changes: object) -> Library:
    fields: dict[str, object] = {
        "events": (PAINTED, SHIPPED, SENT),
        "responses": (attrs.evolve(SHIP, allowed_after=("WidgetPainted", "ApprovalRequestApproved")),),
        "event_predecessors": tuple((e, SENT.name) for e in APPROVAL_EVENTS),
        "response_predecessors": tuple((r, SENT.name) for r in APPROVAL_RESPONSES),
    }
    fields.update(changes)
    return widgets(**fields)  # type: ignore[arg-type]


def codes_of(text: str, partners: Partners) -> list[str]:
    result = check_sources([SourceFile("wapp.wf", text)])
    return sorted(d.code for d in result.diagnostics if d.is_error)


def test_without_the_extension_the_approval_steps_do_not_bind(partners: Partners) -> None:
    partners.add(approvable(event_predecessors=(), response_predecessors=()))
    assert set(codes_of(WORKFLOW, partners)) == {"WF401", "WF402"}


def test_with_the_extension_the_workflow_binds(partners: Partners) -> None:
    partners.add(approvable())
    assert codes_of(WORKFLOW, partners) == []
    cat, _ = load_catalogue()
    approved = cat.event("ApprovalRequestApproved")
    assert approved is not None and approved.predecessors[-1] == "WidgetSentForApproval"
    create = cat.response("create_approval_requests")
    assert create is not None and "WidgetSentForApproval" in create.allowed_after
    assert "WidgetSentForApproval" in [e.name for e in cat.events if "ApprovalRequestApproved" in [
        s.name for s in cat.successors(e.name)]]
    # the origin of the extended stdlib entries does not change, and the stdlib itself is untouched
    assert cat.origin("event", "ApprovalRequestApproved").library == "werkstroom.approvals"
    plain, _ = load_catalogue(partners=False)
    assert "WidgetSentForApproval" not in plain.event("ApprovalRequestApproved").predecessors  # type: ignore[union-attr]


def test_entries_that_follow_anything_stay_so() -> None:
    lib = approvable(event_predecessors=(("WidgetPainted", "WidgetSentForApproval"),),
                     response_predecessors=(("restrict_record_usage", "WidgetSentForApproval"),))
    cat = catalogue_with(lib)
    assert cat.event("WidgetPainted").predecessors == ()  # type: ignore[union-attr]
    assert cat.response("restrict_record_usage").allowed_after == ()  # type: ignore[union-attr]


def test_a_partner_event_with_predecessors_cannot_start_a_workflow(partners: Partners) -> None:
    partners.add(approvable())
    result = check_sources([SourceFile("ship.wf", "on WidgetShipped then restrict record usage\n")])
    [d] = [d for d in result.diagnostics if d.is_error]
    assert d.code == "WF424" and d.help.endswith("may follow: WidgetPainted")
    assert d.notes == ("events that can start a workflow on Widget: WidgetPainted, WidgetSentForApproval",)
    # a stdlib event a partner lets follow its own event stays one that cannot start a workflow
    result = check_sources([SourceFile("appr.wf", "on ApprovalRequestApproved then allow record usage\n")])
    assert [d.code for d in result.diagnostics if d.is_error] == ["WF424"]


def test_unknown_names_in_extensions(partners: Partners) -> None:
    partners.add(approvable(event_predecessors=(("ApprovalRequestAproved", "WidgetSentForApproval"),),
                            response_predecessors=(("create_aproval_requests", "WidgetSentForApprovall"),)))
    cat, diags = load_catalogue()
    found = sorted((d.code, d.message, d.help) for d in diags)
    assert [c for c, _, _ in found] == ["WF904", "WF904", "WF915"]
    assert "event predecessor ('ApprovalRequestAproved' after 'WidgetSentForApproval') names unknown event " \
        "'ApprovalRequestAproved'" in found[0][1]
    assert found[0][2] == "did you mean `ApprovalRequestApproved`?"
    assert "names unknown event 'WidgetSentForApprovall'" in found[1][1]
    assert "library acme.widgets 2.1: response predecessor ('create_aproval_requests' after " \
        "'WidgetSentForApprovall') names unknown response 'create_aproval_requests'" in found[2][1]
    assert found[2][2] == "did you mean `create_approval_requests`?"
    assert cat.event("WidgetSentForApproval") is None  # rejected whole


def test_a_partner_record_through_the_stdlib_approvals(partners: Partners, tmp_path: Path) -> None:
    partners.add(approvable())
    eng = open_engine(f"sqlite:///{tmp_path / 'wf.db'}", ids=SequentialIds(),
                      clock=VirtualClock(dt.datetime(2026, 5, 4, 9, tzinfo=dt.UTC)))
    try:
        with eng.transaction() as uow:
            load_setup(uow, {"users": [{"id": "ANN", "approver": "ANN"}, {"id": "MIA", "approver": "MIA"}],
                             "groups": [{"code": "WIDGETS", "members": [{"user": "MIA", "sequence": 1}]}]})
        deploy(eng, WORKFLOW, "wapp.wf")
        eng.enable("WAPP")
        eng.emit("WidgetSentForApproval", {"no": "W1", "weight": "3"}, user="ANN")
        assert eng.record_state("Widget", "W1").restricted
        entries = eng.approval_entries(record_type="Widget")
        assert [(e.approver_id, e.status) for e in entries] == [("MIA", "Open")]
        eng.approve(entries[0].entry_id, "MIA")
        assert not eng.record_state("Widget", "W1").restricted
        assert [o.kind for o in eng.outbox(kind="widget.shipped")] == ["widget.shipped"]
        assert eng.instances() == [] and len(eng.archive()) == 1
    finally:
        eng.close()


@pytest.mark.parametrize("field", ["event_predecessors", "response_predecessors"])
def test_extensions_default_to_nothing(field: str) -> None:
    assert getattr(Library("x", "1"), field) == ()
