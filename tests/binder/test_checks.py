"""BC's enable-time checks (WF410-WF418) on bound workflows."""

from __future__ import annotations

from pathlib import Path

from tests.binder.astb import Parsed, Src
from tests.binder.fakecat import EVENTS, FakeCatalogue
from tests.binder.test_diagnostics import catalogue, check
from werkstroom.binding.binder import bind
from werkstroom.binding.checks import enable_checks
from werkstroom.binding.program import BoundStep, BoundWorkflow
from werkstroom.catalogue.specs import EventSpec

TEMPLATES = Path(__file__).resolve().parents[2] / "werkstroom" / "stdlib" / "templates"


def codes(wf: BoundWorkflow, enabled: list[BoundWorkflow] | None = None) -> list[str]:
    return [d.code for d in enable_checks(wf, enabled or [], catalogue())]


def piapw(code: str) -> BoundWorkflow:
    text = (TEMPLATES / "MS-PIAPW.wf").read_text(encoding="utf-8").replace("MS-PIAPW", code)
    (wf,) = check(text).workflows
    return wf


def test_template_cannot_be_enabled() -> None:
    assert codes(piapw("MS-PIAPW")) == ["WF410"]


def test_a_copy_of_a_template_can_be_enabled() -> None:
    assert codes(piapw("PIAPW-01")) == []


def test_same_conditions_conflict_with_an_enabled_workflow() -> None:
    other = piapw("PIAPW-02")
    ds = enable_checks(piapw("PIAPW-01"), [other], catalogue())
    assert [d.code for d in ds] == ["WF413"]
    assert "enabled workflow PIAPW-02" in ds[0].message
    # re-enabling the same workflow is not a conflict with itself
    assert codes(piapw("PIAPW-01"), [piapw("PIAPW-01")]) == []


def test_entry_point_without_condition_conflicts_with_every_other() -> None:
    a = check('workflow A "a"\n  on PurchaseDocReleased when amount > 5 then\n     restrict record usage\n')
    b = check('workflow B "b"\n  on PurchaseDocReleased then\n     restrict record usage\n')
    ds = enable_checks(b.workflows[0], a.workflows, catalogue())
    assert [d.code for d in ds] == ["WF413"] and "no condition" in ds[0].message


def test_exactly_one_entry_point() -> None:
    prog = check("on PurchaseDocReleased when amount > 5 then restrict record usage\n"
                 "on PurchaseDocReleased when amount < 5 then restrict record usage\n")
    ds = enable_checks(prog.workflows[0], [], catalogue())
    assert [d.code for d in ds] == ["WF411"]
    assert ds[0].span is not None and ds[0].span.line == 2


def test_events_on_unrelated_records() -> None:
    prog = check("on PurchaseDocReleased then\n   restrict record usage\n"
                 "   on CustomerChanged when credit_limit_lcy changed then\n      do nothing\n")
    assert prog.ok
    ds = enable_checks(prog.workflows[0], [], catalogue())
    assert [d.code for d in ds] == ["WF414"] and ds[0].span is not None and ds[0].span.line == 3


def test_revert_needs_apply() -> None:
    prog = check("on CustomerChanged when credit_limit_lcy increased then\n"
                 "   revert the value of credit_limit_lcy\n")
    ds = enable_checks(prog.workflows[0], [], catalogue())
    assert [d.code for d in ds] == ["WF415"] and "apply new values" in ds[0].message


def test_structural_checks_on_a_hand_made_table() -> None:
    steps = (
        BoundStep(1, "response", "release_document", None, 1, entry_point=True),
        BoundStep(2, "event", "", 1),
        BoundStep(3, "response", "release_document", 7),
    )
    wf = BoundWorkflow("HAND", "", "", steps)
    assert sorted(codes(wf)) == ["WF416", "WF417", "WF418"]


def test_unknown_record_type_of_an_event() -> None:
    src = Src("on Orphan then\n   restrict record usage\n")
    cat = FakeCatalogue()
    EVENTS.append(EventSpec("Orphan", "no record", "NoSuchRecord"))
    try:
        prog = bind([Parsed(src, src.step("Orphan", None, src.resp("restrict record usage")))], cat)
    finally:
        EVENTS.pop()
    assert [d.code for d in prog.diagnostics] == ["WF206"]


def test_same_filters_in_another_order_conflict() -> None:
    a = check('workflow A "a"\n  on PurchaseDocReleased when amount > 5 and status = Open then\n'
              '     restrict record usage\n')
    b = check('workflow B "b"\n  on PurchaseDocReleased when status = open   and amount > 5.0 then\n'
              '     restrict record usage\n')
    ds = enable_checks(b.workflows[0], a.workflows, catalogue())
    assert [d.code for d in ds] == ["WF413"] and "the same" in ds[0].message
    c = check('workflow C "c"\n  on PurchaseDocReleased when status = Open and amount > 6 then\n'
              '     restrict record usage\n')
    assert codes(c.workflows[0], a.workflows) == []


def test_a_catalogue_template_code_binds_as_template() -> None:
    from werkstroom.catalogue.specs import TemplateSpec

    class WithTemplates(FakeCatalogue):
        templates = (TemplateSpec("ACME-T", "", "acme.wf"),)

    src = Src('workflow ACME-T "partner template"\n  on PurchaseDocReleased then restrict record usage\n')
    step = src.step("PurchaseDocReleased", None, src.resp("restrict record usage"))
    prog = bind([Parsed(src, src.workflow("ACME-T", step))], WithTemplates())
    assert prog.workflows[0].template
    prog = bind([Parsed(src, src.workflow("ACME-T", step))], FakeCatalogue())
    assert not prog.workflows[0].template
