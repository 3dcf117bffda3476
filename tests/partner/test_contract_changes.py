"""Contract changes: a workflow was deployed while a partner library declared an event, a field or an
option; a newer version of the library no longer does. Enabling the deployed workflow (its source is
bound again against the installed catalogue) and checking its script report exactly what is missing."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from partnerlib import PAINTED, SHIP, SHIPPED, WIDGET, Partners, widgets

from werkstroom import deploy as deploy_text
from werkstroom.cli import cli
from werkstroom.diagnostics import Diagnostic
from werkstroom.engine.facade import open_engine
from werkstroom.engine.lifecycle import EnableRefused

WORKFLOW = """\
workflow WID "Ship red widgets"
  on WidgetPainted when colour = "red" then
     ship widget, weighing 2
     on WidgetShipped then
        show message "shipped"
"""
SECOND = """\
workflow OTHER "Unaffected"
  on PurchaseDocReleased then show message "released"
"""


def deploy(db: str) -> None:
    eng = open_engine(db)
    try:
        deploy_text(eng, WORKFLOW + "\n" + SECOND, "widgets.wf")
    finally:
        eng.close()


def refused(db: str, code: str) -> list[Diagnostic]:
    eng = open_engine(db)
    try:
        with pytest.raises(EnableRefused) as info:
            eng.enable(code)
        return [d for d in info.value.diagnostics if d.is_error]
    finally:
        eng.close()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'wf.db'}"


def test_enabling_works_while_the_contract_holds(partners: Partners, db: str) -> None:
    partners.add(widgets())
    deploy(db)
    eng = open_engine(db)
    try:
        eng.enable("WID")
        eng.enable("OTHER")
    finally:
        eng.close()


def test_a_field_the_new_version_dropped(partners: Partners, db: str) -> None:
    partners.add(widgets())
    deploy(db)
    partners.entry_points.clear()
    no_colour = attrs.evolve(WIDGET, fields=tuple(f for f in WIDGET.fields if f.name != "colour"))
    partners.add(widgets(version="3.0", records=(no_colour,)))
    errors = refused(db, "WID")
    assert [d.code for d in errors] == ["WF202"], [d.message for d in errors]
    d = errors[0]
    assert "Widget has no field `colour`" in d.message
    assert d.span is not None and (d.span.path, d.span.line) == ("widgets.wf", 2)
    assert any("acme.widgets 3.0" in n and "version 1" in n for n in d.notes), d.notes
    eng = open_engine(db)
    try:
        eng.enable("OTHER")  # another workflow of the same script is not affected
    finally:
        eng.close()


def test_an_event_the_new_version_dropped(partners: Partners, db: str) -> None:
    partners.add(widgets())
    deploy(db)
    partners.entry_points.clear()
    ship = attrs.evolve(SHIP, allowed_after=("WidgetPainted",))
    partners.add(widgets(version="3.0", events=(PAINTED,), responses=(ship,)))
    errors = refused(db, "WID")
    assert [d.code for d in errors] == ["WF201"], [d.message for d in errors]
    d = errors[0]
    assert "there is no event `WidgetShipped`" in d.message
    assert d.span is not None and d.span.line == 4


def test_an_option_the_new_version_dropped(partners: Partners, db: str) -> None:
    partners.add(widgets())
    deploy(db)
    partners.entry_points.clear()
    partners.add(widgets(version="3.0", responses=(attrs.evolve(SHIP, options=()),)))
    errors = refused(db, "WID")
    assert errors and all(d.span is not None and d.span.line == 3 for d in errors), errors
    assert any("weighing" in d.message for d in errors), [d.message for d in errors]


def test_the_whole_library_uninstalled(partners: Partners, db: str) -> None:
    partners.add(widgets())
    deploy(db)
    partners.entry_points.clear()
    errors = refused(db, "WID")
    assert "there is no event `WidgetPainted`" in " ".join(d.message for d in errors)


def test_wf_enable_and_wf_check_report_it(partners: Partners, db: str, tmp_path: Path) -> None:
    script = tmp_path / "widgets.wf"
    script.write_text(WORKFLOW, encoding="utf-8")
    partners.add(widgets())
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", db, "deploy", str(script)]).exit_code == 0
    partners.entry_points.clear()
    partners.add(widgets(version="3.0", events=(PAINTED, attrs.evolve(SHIPPED, name="WidgetDispatched"))))
    result = runner.invoke(cli, ["--db", db, "enable", "WID"])
    assert result.exit_code == 1
    assert "WF201" in result.stderr and "WidgetShipped" in result.stderr
    checked = runner.invoke(cli, ["check", str(script), "--format", "json"])
    assert checked.exit_code == 1
    [d] = [d for d in json.loads(checked.stdout) if d["severity"] == "error"]
    assert d["code"] == "WF201" and d["start"]["line"] == 4 and "WidgetShipped" in d["message"]


RUNNING = """\
workflow RUN "Ship once shipped"
  on WidgetPainted then
     restrict record usage
     on WidgetShipped then
        ship widget
"""


def test_a_running_instance_whose_next_response_was_dropped(partners: Partners, db: str) -> None:
    """Running instances stay on their version: a response the catalogue no longer knows fails their next
    step (WF512), the event is rolled back, and the engine stays usable."""
    from werkstroom.errors import WerkstroomError

    partners.add(widgets(responses=(attrs.evolve(SHIP, allowed_after=("WidgetShipped",)),)))
    eng = open_engine(db)
    try:
        deploy_text(eng, RUNNING, "run.wf")
        eng.enable("RUN")
        eng.emit("WidgetPainted", {"no": "W1"}, user="ANN")
    finally:
        eng.close()
    partners.entry_points.clear()
    partners.add(widgets(version="3.0", responses=()))
    eng = open_engine(db)
    try:
        with pytest.raises(WerkstroomError) as info:
            eng.emit("WidgetShipped", {"no": "W1"}, user="ANN")
        assert info.value.code == "WF512" and "'ship_widget'" in str(info.value)
        assert len(eng.instances()) == 1 and eng.outbox() == []  # nothing of the event stuck
        assert eng.record_state("Widget", "W1").restricted
        eng.emit("WidgetPainted", {"no": "W2"}, user="ANN")  # still usable
        assert len(eng.instances()) == 2
    finally:
        eng.close()
