"""Runtime isolation: an exception inside a partner response rolls back that event's transaction, is
reported with the workflow, the step and the partner's original traceback, and leaves the engine
usable. The partner library comes in through the entry-point group, as an installed package would."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from partnerlib import SHIP, Partners, widgets

from werkstroom import deploy
from werkstroom.cli import cli
from werkstroom.engine.clock import SequentialIds, VirtualClock
from werkstroom.engine.facade import Engine, open_engine
from werkstroom.engine.run import ResponseFailed
from werkstroom.errors import DiagnosticsError
from werkstroom.extend import Library, PhrasePattern, ResponseContext, ResponseSpec


class CourierDown(RuntimeError):
    """What a partner's integration might raise."""


def inspect_widget(ctx: ResponseContext) -> None:
    """Writes to the record and the outbox, then fails for red widgets: nothing of it may stick."""
    ctx.document.values["colour"] = "inspected"
    ctx.emit_effect("widget.inspected", {"key": ctx.document.key})
    if ctx.record.values.get("weight") is not None and str(ctx.record.values["weight"]) == "13":
        raise CourierDown(f"the courier refused widget {ctx.document.key}")


INSPECT = ResponseSpec(
    "inspect_widget", "Inspect.", (PhrasePattern("inspect [the] widget"),), run=inspect_widget
)
WORKFLOW = """\
workflow WIDGETS "Ship painted widgets"
  on WidgetPainted then
     restrict record usage
     ship widget, weighing 2.5
     inspect the widget
"""


def library() -> Library:
    return widgets(responses=(SHIP, INSPECT))


@pytest.fixture
def engine(partners: Partners, tmp_path: Path) -> Iterator[Engine]:
    partners.add(library())
    eng = open_engine(
        f"sqlite:///{tmp_path / 'wf.db'}",
        clock=VirtualClock(dt.datetime(2026, 5, 4, 9, tzinfo=dt.UTC)),
        ids=SequentialIds(),
    )  # the default catalogue: stdlib + the entry-point group
    deploy(eng, WORKFLOW, "widgets.wf")
    eng.enable("WIDGETS")
    yield eng
    eng.close()


@contextmanager
def running(partners: Partners, run: Callable[[ResponseContext], None], phrase: str, script: str,
            tmp_path: Path | None = None) -> Iterator[Engine]:
    """An engine (SQLite) with the widgets library plus one response ``run`` written ``phrase``, and
    ``script``'s workflow deployed and enabled."""
    spec = ResponseSpec(run.__name__, "A partner response.", (PhrasePattern(phrase),), run=run)
    partners.add(widgets(responses=(SHIP, spec)))
    eng = open_engine(f"sqlite:///{tmp_path / 'wf.db'}" if tmp_path else "sqlite://", ids=SequentialIds())
    try:
        for deployed in deploy(eng, script, "partner.wf"):
            eng.enable(deployed.code)
        yield eng
    finally:
        eng.close()


def test_a_failing_partner_response_rolls_back_the_whole_event(engine: Engine) -> None:
    with pytest.raises(ResponseFailed) as info:
        engine.emit("WidgetPainted", {"no": "W13", "colour": "red", "weight": "13"}, user="ANN")
    err = info.value
    assert err.code == "WF505"
    assert (err.workflow, err.step, err.response) == ("WIDGETS", 4, "inspect_widget")
    said = str(err)
    assert "the response 'inspect_widget' of library acme.widgets 2.1 (step 4 of workflow WIDGETS)" in said
    assert "CourierDown: the courier refused widget W13" in str(err)
    # the partner's own traceback: its function, its file, the raising line
    assert isinstance(err.original, CourierDown)
    assert f'File "{__file__}"' in err.traceback and "in inspect_widget" in err.traceback
    assert "raise CourierDown" in err.traceback
    # nothing of the event stuck: no instance, no effects (not even the earlier response's),
    # no record, no restriction
    assert engine.instances() == [] and engine.archive() == []
    assert engine.outbox() == []
    assert engine.record("Widget", "W13") is None
    assert not engine.record_state("Widget", "W13").restricted


def test_the_engine_stays_usable_after_a_partner_failure(engine: Engine) -> None:
    with pytest.raises(ResponseFailed):
        engine.emit("WidgetPainted", {"no": "W13", "weight": "13"}, user="ANN")
    result = engine.emit("WidgetPainted", {"no": "W1", "colour": "blue", "weight": "2"}, user="ANN")
    assert result.handled and len(engine.archive()) == 1  # ran to the end: finished and archived
    kinds = [o.kind for o in engine.outbox()]
    assert kinds == ["widget.shipped", "widget.inspected"]
    shipped = engine.outbox(kind="widget.shipped")[0]
    assert shipped.payload == {"key": "W1", "weight": "2.5"}  # the option, as Decimal text
    stored = engine.record("Widget", "W1")
    assert stored is not None and stored["colour"] == "inspected"
    assert engine.record_state("Widget", "W1").restricted
    # the failed event can be delivered again once the cause is gone: it is handled from scratch
    again = engine.emit("WidgetPainted", {"no": "W13", "weight": "12"}, user="ANN")
    assert again.handled and len(engine.archive()) == 2


def test_a_partner_failure_through_the_cli(partners: Partners, tmp_path: Path) -> None:
    partners.add(library())
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    script = tmp_path / "widgets.wf"
    script.write_text(WORKFLOW, encoding="utf-8")
    runner = CliRunner()
    deployed = runner.invoke(cli, ["--db", db, "deploy", str(script), "--enable"])
    assert deployed.exit_code == 0, deployed.output
    failed = runner.invoke(
        cli, ["--db", db, "emit", "WidgetPainted", '{"no": "W13", "weight": "13"}', "--user", "ANN"]
    )
    assert failed.exit_code == 1
    assert "WF505" in failed.stderr and "step 4 of workflow WIDGETS" in failed.stderr
    assert "CourierDown: the courier refused widget W13" in failed.stderr
    assert "in inspect_widget" in failed.stderr  # the partner's traceback is shown
    ok = runner.invoke(
        cli, ["--db", db, "emit", "WidgetPainted", '{"no": "W2", "weight": "2"}', "--user", "ANN", "--json"]
    )
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["handled"]


def test_partner_events_with_unknown_records_never_reach_the_responses(engine: Engine) -> None:
    """A payload that does not fit the partner's record type is refused before any response runs."""
    from werkstroom.errors import WerkstroomError

    with pytest.raises(WerkstroomError) as info:
        engine.emit("WidgetPainted", {"no": "W5", "weight": "heavy"}, user="ANN")
    assert info.value.code == "WF502"
    assert engine.outbox() == [] and engine.instances() == []


@pytest.mark.parametrize(
    ("mandatory", "says"),
    [
        (lambda options: options["wieght"], "raised KeyError: 'wieght'"),
        (lambda options: not options.get("weight"), "returned False (bool), not a message (str) or None"),
    ],
)
def test_a_broken_mandatory_check_is_wf918_not_a_traceback(
    partners: Partners, tmp_path: Path, mandatory: object, says: str
) -> None:
    # before: the partner's KeyError came out of wf check (internal error) and of deploy and enable
    partners.add(widgets(responses=(attrs.evolve(SHIP, mandatory=mandatory),)))
    script = tmp_path / "widgets.wf"
    script.write_text("workflow WID\n  on WidgetPainted then ship widget\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--enable", str(script), "--format", "json"])
    assert result.exit_code == 1, result.output
    found = [d for d in json.loads(result.stdout) if d["code"] == "WF918"]
    assert found and all(d["severity"] == "error" for d in found)
    prefix = "the mandatory check of response 'ship_widget' (library acme.widgets 2.1)"
    assert found[0]["message"] == f"{prefix} {says}"
    assert "must return None when the options are complete" in found[0]["help"]
    eng = open_engine("sqlite://")
    with pytest.raises(DiagnosticsError) as info:
        deploy(eng, script.read_text(encoding="utf-8"), "widgets.wf")
    assert info.value.code == "WF918"
    eng.close()


def test_raising_an_unknown_event_names_the_response_and_library(partners: Partners) -> None:
    # before: WF503 "the event 'WidgetPainteed' is not in the catalogue", naming neither
    def paint_again(ctx: ResponseContext) -> None:
        ctx.raise_event("WidgetPainteed")

    again = ResponseSpec("paint_again", "Paint again.", (PhrasePattern("paint [the] widget again"),),
                         run=paint_again)
    partners.add(widgets(responses=(SHIP, again)))
    eng = open_engine("sqlite://")
    deploy(eng, "workflow W\n  on WidgetPainted then paint the widget again\n", "w.wf")
    eng.enable("W")
    with pytest.raises(ResponseFailed) as info:
        eng.emit("WidgetPainted", {"no": "W1"}, user="ANN")
    assert info.value.code == "WF505" and info.value.original_code == "WF503"
    assert "the response 'paint_again' of library acme.widgets 2.1" in str(info.value)
    said = "raise_event: there is no event 'WidgetPainteed' in the catalogue; did you mean 'WidgetPainted'?"
    assert said in str(info.value)
    assert eng.instances() == []
    eng.close()


@pytest.mark.parametrize(("writes", "said"), [
    ({"colur": "red"},
     "a response set the field 'colur', which Widget does not have; did you mean 'colour'?"),
    ({"weight": "heavy"}, "Widget.weight (set by a response): 'heavy' is not a valid decimal"),
    ({"weight": 2.5}, "never as floats"),
    ({"no": "W2"}, "a response changed the key field 'no'; a record keeps its key"),
], ids=["unknown-field", "bad-value", "float", "key"])
def test_values_a_response_writes_must_fit_the_record_type(partners: Partners, tmp_path: Path,
                                                           writes: dict[str, object], said: str) -> None:
    # a response's writes to the document are checked as a host payload is (WF502), so nothing the
    # record type cannot hold is stored; the WF505 names the response and its library
    def paint_over(ctx: ResponseContext) -> None:
        ctx.document.values.update(writes)

    with running(partners, paint_over, "paint over",
                 'workflow PAINT "Paint"\n  on WidgetPainted then\n     paint over\n', tmp_path) as eng:
        with pytest.raises(ResponseFailed) as info:
            eng.emit("WidgetPainted", {"no": "W1", "colour": "blue", "weight": "2"}, user="ANN")
        assert info.value.original_code == "WF502" and info.value.response == "paint_over"
        assert said in str(info.value) and "of library acme.widgets" in str(info.value)
        assert eng.record("Widget", "W1") is None and eng.instances() == []


def test_values_a_response_writes_are_normalised_as_a_payload_is(partners: Partners, tmp_path: Path) -> None:
    def weigh(ctx: ResponseContext) -> None:
        ctx.document.values["weight"] = "12.50"  # text, as a payload may give it

    with running(partners, weigh, "weigh", 'workflow WEIGH "Weigh"\n  on WidgetPainted then\n     weigh\n',
                 tmp_path) as eng:
        eng.emit("WidgetPainted", {"no": "W1", "weight": "2"}, user="ANN")
        stored = eng.record("Widget", "W1")
        assert stored is not None and stored["weight"] == Decimal("12.50")


def test_code_option_defaults_and_presets_are_upper_cased_as_written_values(partners: Partners) -> None:
    # before: a CODE option's default ("main") and preset ("returns") reached the response as written,
    # while the same values written in a script were upper-cased (BC's Code)
    from werkstroom.extend import FieldKind, OptionSpec

    def file_widget(ctx: ResponseContext) -> None:
        ctx.emit_effect("widget.filed", {"bin": ctx.options["bin"], "shelf": ctx.options["shelf"]})

    spec = ResponseSpec(
        "file_widget", "File it.",
        (PhrasePattern("file [the] widget"), PhrasePattern("return [the] widget", {"bin": "returns"})),
        run=file_widget,
        options=(OptionSpec("bin", FieldKind.CODE, "Bin", ("in bin {value}",), default="main"),
                 OptionSpec("shelf", FieldKind.CODE, "Shelf", ("on shelf {value}",), default="s-1")),
    )
    partners.add(widgets(responses=(SHIP, spec)))
    eng = open_engine("sqlite://", ids=SequentialIds())
    try:
        deploy(eng, "workflow F\n  on WidgetPainted then\n     file the widget\n     return the widget\n"
                   '     file the widget, in bin "dock", on shelf x-2\n', "f.wf")
        eng.enable("F")
        eng.emit("WidgetPainted", {"no": "W1"}, user="ANN")
        assert [o.payload for o in eng.outbox(kind="widget.filed")] == [
            {"bin": "MAIN", "shelf": "S-1"}, {"bin": "RETURNS", "shelf": "S-1"},
            {"bin": "DOCK", "shelf": "X-2"}]
    finally:
        eng.close()


class _Thing:
    def __repr__(self) -> str:
        return "<thing>"


@pytest.mark.parametrize(("payload", "said"), [
    ({"amount": 2.5},
     "payload['amount'] is a float (2.5); write money and quantities as Decimal, never float"),
    ({"who": _Thing()}, "payload['who'] is _Thing (<thing>), not plain data"),
    ({"tags": {"a"}}, "payload['tags'] is set ({'a'}), not plain data"),
    ({"lines": [{"no": 1, "amount": 0.1}]}, "payload['lines'][0]['amount'] is a float (0.1)"),
    ({"by_no": {1: "x"}}, "payload['by_no'] has the key 1 (int); keys must be text"),
    ({"amount": Decimal("NaN")}, "payload['amount'] is NaN, which is no amount"),
], ids=["float", "object", "set", "nested-float", "int-key", "nan"])
def test_an_effect_payload_must_be_plain_data(partners: Partners, payload: dict[str, object],
                                              said: str) -> None:
    # before: such values were stored as text ('2.5', '<thing>') without a word
    def notify_host(ctx: ResponseContext) -> None:
        ctx.emit_effect("widget.noted", payload)

    with running(partners, notify_host, "tell [the] host",
                 "workflow N\n  on WidgetPainted then\n     ship widget\n     tell the host\n") as eng:
        with pytest.raises(ResponseFailed) as info:
            eng.emit("WidgetPainted", {"no": "W1"}, user="ANN")
        err = info.value
        assert err.code == "WF505" and err.original_code == "WF502" and err.response == "notify_host"
        assert "the response 'notify_host' of library acme.widgets 2.1" in str(err)
        assert f"emit_effect('widget.noted'): {said}" in str(err)
        assert eng.outbox() == [] and eng.instances() == []  # the earlier response's effect too


def test_an_effect_payload_of_plain_data_is_stored_exactly(partners: Partners) -> None:
    payload = {"key": "W1", "amount": Decimal("12.50"), "count": 3, "paid": False, "note": None,
               "due": dt.date(2026, 5, 4), "at": dt.datetime(2026, 5, 4, 9, 30),
               "lines": [{"no": 1, "amount": Decimal("2")}], "pair": ("a", "b")}

    def notify_host(ctx: ResponseContext) -> None:
        ctx.emit_effect("widget.noted", payload)

    script = "workflow N\n  on WidgetPainted then tell the host\n"
    with running(partners, notify_host, "tell [the] host", script) as eng:
        eng.emit("WidgetPainted", {"no": "W1"}, user="ANN")
        [effect] = eng.outbox(kind="widget.noted")
        assert effect.payload["amount"] == "12.50" and effect.payload["due"] == "2026-05-04"
        assert effect.payload["pair"] == ["a", "b"] and effect.payload["lines"] == [{"no": 1, "amount": "2"}]
