"""Registration of partner libraries found through the entry-point group: every problem is a WF9xx
diagnostic that names the library (name and version), the entry and what is wrong; a rejected library
installs nothing, and the rest of the catalogue is unaffected."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest
from partnerlib import PAINTED, SHIP, SHIPPED, WIDGET, FakeEntryPoint, Partners, ship, widgets

from werkstroom.binding.libraries import load_catalogue
from werkstroom.diagnostics import Diagnostic
from werkstroom.extend import (
    EventSpec,
    FieldKind,
    FieldSpec,
    Library,
    LibraryError,
    OptionSpec,
    Origin,
    PhrasePattern,
    RecordSpec,
    RelationSpec,
    ResponseContext,
    ResponseSpec,
    TemplateSpec,
    catalogue_with,
    validate,
)


def problems(diags: list[Diagnostic], library: str = "acme.widgets 2.1") -> list[Diagnostic]:
    """The diagnostics about ``library``; each must name it and say it was not installed."""
    mine = [d for d in diags if library in d.message]
    for d in mine:
        assert d.is_error
        assert any(f"library {library} was not installed" in n for n in d.notes), d.notes
    return mine


def one(diags: list[Diagnostic], code: str, library: str = "acme.widgets 2.1") -> Diagnostic:
    found = problems(diags, library)
    assert [d.code for d in found] == [code], [f"{d.code} {d.message}" for d in found]
    return found[0]


def test_a_valid_partner_is_installed_with_its_origin(partners: Partners) -> None:
    partners.add(widgets())
    cat, diags = load_catalogue()
    assert diags == []
    assert cat.origin("event", "WidgetShipped") == Origin("acme.widgets", "2.1")
    assert cat.origin("response", "ship_widget") == Origin("acme.widgets", "2.1")
    assert cat.origin("record", "Widget") == Origin("acme.widgets", "2.1")
    assert [e.name for e in cat.successors("WidgetPainted")] == ["WidgetShipped"]


# --------------------------------------------------------------------------- duplicate names


def test_duplicate_event_name_against_the_stdlib(partners: Partners) -> None:
    clash = EventSpec("PurchaseDocReleased", "Ours.", "Widget")
    partners.add(widgets(events=(PAINTED, SHIPPED, clash)))
    cat, diags = load_catalogue()
    d = one(diags, "WF901")
    assert "event 'PurchaseDocReleased' is already declared by library werkstroom.purchase" in d.message
    assert cat.event("WidgetPainted") is None  # whole or nothing
    assert cat.origin("event", "PurchaseDocReleased").library == "werkstroom.purchase"


def test_duplicate_record_and_response_against_the_stdlib(partners: Partners) -> None:
    vendor = RecordSpec("Vendor", "Ours.", (FieldSpec("no", FieldKind.CODE),), key=("no",))
    release = attrs.evolve(SHIP, name="release_document", patterns=(PhrasePattern("release the widget"),))
    partners.add(widgets(records=(WIDGET, vendor), responses=(SHIP, release)))
    _, diags = load_catalogue()
    messages = sorted(d.message for d in problems(diags))
    assert len(messages) == 2, messages
    assert "record type 'Vendor' is already declared by library werkstroom.masterdata" in messages[0]
    assert "response 'release_document' is already declared by library werkstroom." in messages[1]


def test_duplicate_event_name_between_two_partners(partners: Partners) -> None:
    partners.add(widgets())
    gadgets = Library(
        "globex.gadgets",
        "0.3",
        records=(attrs.evolve(WIDGET, name="Gadget"),),
        events=(EventSpec("WidgetShipped", "A gadget was shipped.", "Gadget"),),
    )
    partners.add(gadgets)
    cat, diags = load_catalogue()
    d = one(diags, "WF901", "globex.gadgets 0.3")
    assert "event 'WidgetShipped' is already declared by library acme.widgets" in d.message
    assert cat.origin("event", "WidgetShipped").library == "acme.widgets"  # the first one stays
    assert cat.record("Gadget") is None


# --------------------------------------------------------------------------- references


def test_unknown_predecessor_event(partners: Partners) -> None:
    typo = attrs.evolve(SHIPPED, predecessors=("WidgetPainteed",))
    partners.add(widgets(events=(PAINTED, typo)))
    _, diags = load_catalogue()
    d = one(diags, "WF904")
    assert "event 'WidgetShipped' names unknown predecessor event 'WidgetPainteed'" in d.message
    assert d.help == "did you mean `WidgetPainted`?"


def test_a_predecessor_from_the_stdlib_or_another_partner_is_fine(partners: Partners) -> None:
    partners.add(widgets())
    after_release = EventSpec(
        "GadgetBoxed", "Boxed.", "Widget", predecessors=("PurchaseDocReleased", "WidgetShipped")
    )
    partners.add(Library("globex.gadgets", "0.3", events=(after_release,)))
    cat, diags = load_catalogue()
    assert diags == []
    assert cat.origin("event", "GadgetBoxed") == Origin("globex.gadgets", "0.3")


# --------------------------------------------------------------------------- phrases


def test_phrase_pattern_colliding_with_a_stdlib_response(partners: Partners) -> None:
    greedy = attrs.evolve(
        SHIP,
        patterns=(PhrasePattern("ship [the] widget"), PhrasePattern("release [the] {what}")),
        options=(*SHIP.options, OptionSpec("what", FieldKind.TEXT, "What")),
    )
    partners.add(widgets(responses=(greedy,)))
    _, diags = load_catalogue()
    d = one(diags, "WF908")
    assert "response 'ship_widget': pattern 'release [the] {what}'" in d.message
    assert "of response 'release_document' (library werkstroom." in d.message
    assert "can both match" in d.message


def test_phrase_pattern_colliding_with_another_partner(partners: Partners) -> None:
    partners.add(widgets())
    copycat = ResponseSpec("dispatch_widget", "Dispatch.", (PhrasePattern("ship widget"),), run=ship)
    partners.add(Library("globex.gadgets", "0.3", responses=(copycat,)))
    _, diags = load_catalogue()
    d = one(diags, "WF908", "globex.gadgets 0.3")
    assert (
        "pattern 'ship widget' and pattern 'ship [the] widget' of response 'ship_widget' "
        "(library acme.widgets)" in d.message
    )


# --------------------------------------------------------------------------- options and behaviour


def test_option_without_a_type(partners: Partners) -> None:
    untyped = OptionSpec("carrier", None, "Carrier", ("by {value}",))  # type: ignore[arg-type]
    partners.add(widgets(responses=(attrs.evolve(SHIP, options=(*SHIP.options, untyped)),)))
    _, diags = load_catalogue()
    d = one(diags, "WF905")
    assert "response 'ship_widget' option 'carrier' has no value kind (got None)" in d.message


def test_enum_option_without_its_enum(partners: Partners) -> None:
    loose = OptionSpec("speed", FieldKind.ENUM, "Speed", ("at {value} speed",))
    partners.add(widgets(responses=(attrs.evolve(SHIP, options=(*SHIP.options, loose)),)))
    _, diags = load_catalogue()
    assert "option 'speed' is an enum but names no EnumType" in one(diags, "WF905").message


def test_option_default_as_float_is_refused(partners: Partners) -> None:
    floaty = attrs.evolve(SHIP.options[0], default=1.5)
    partners.add(widgets(responses=(attrs.evolve(SHIP, options=(floaty,)),)))
    _, diags = load_catalogue()
    d = one(diags, "WF905")
    assert "option 'weight': default 1.5" in d.message and "never float" in d.message


def _two(ctx: ResponseContext, extra: Any) -> None:
    """A behaviour with a second required parameter."""


def _keyword(ctx: ResponseContext, *, mode: str) -> None:
    """A behaviour with a required keyword-only parameter."""


@pytest.mark.parametrize(
    ("run", "says"),
    [
        (_two, "takes 2 required positional parameter(s); it must take exactly one"),
        (_keyword, "needs keyword argument(s) mode"),
        (lambda: None, "takes 0 required positional parameter(s)"),
        ("ship", "is not callable (got str)"),
    ],
)
def test_response_function_with_a_wrong_signature(partners: Partners, run: Any, says: str) -> None:
    partners.add(widgets(responses=(attrs.evolve(SHIP, run=run),)))
    _, diags = load_catalogue()
    d = one(diags, "WF906")
    assert f"response 'ship_widget': its behaviour (run) {says}" in d.message
    assert d.help == "define run(ctx: ResponseContext) -> None"


def test_a_wrong_signature_names_the_place_of_the_function(partners: Partners) -> None:
    # before: WF906 named the response but not where its function is (WF909 gives the place)
    import inspect

    line = inspect.getsourcelines(_two)[1]
    partners.add(widgets(responses=(attrs.evolve(SHIP, run=_two, mandatory=_two),)))  # type: ignore[arg-type]
    _, diags = load_catalogue()
    run, mandatory = [d.message for d in diags if d.code == "WF906"]
    place = f" (at {__file__}:{line}: def _two(ctx: ResponseContext, extra: Any) -> None:)"
    assert run.endswith("its behaviour (run) takes 2 required positional parameter(s); it must take "
                        "exactly one" + place), run
    assert mandatory.endswith(place), mandatory


def test_mandatory_check_with_a_wrong_signature(partners: Partners) -> None:
    partners.add(widgets(responses=(attrs.evolve(SHIP, mandatory=lambda: None),)))  # type: ignore[misc,arg-type]
    _, diags = load_catalogue()
    assert "response 'ship_widget': its mandatory check takes 0" in one(diags, "WF906").message


# --------------------------------------------------------------------------- loading


def _raises() -> Library:
    raise RuntimeError("database not configured")


def test_entry_points_that_cannot_give_a_library(partners: Partners) -> None:
    def import_fails() -> Any:
        raise ModuleNotFoundError("No module named 'acme_missing'")

    partners.add_loader("missing", import_fails)
    partners.add(_raises, name="raising")
    partners.add(lambda: {"not": "a library"}, name="dict")
    partners.add(widgets())
    cat, diags = load_catalogue()
    by_name = {d.message.split("'")[1]: d for d in diags}
    assert {d.code for d in diags} == {"WF909"} and set(by_name) == {"missing", "raising", "dict"}
    assert (
        "could not be imported: ModuleNotFoundError: No module named 'acme_missing'"
        in by_name["missing"].message
    )
    assert "raised RuntimeError: database not configured" in by_name["raising"].message
    assert "returned dict, not a werkstroom Library" in by_name["dict"].message
    assert cat.event("WidgetShipped") is not None  # the good partner is still installed


def test_a_misspelt_entry_point_function_gets_a_did_you_mean(partners: Partners) -> None:
    import types

    module = types.ModuleType("acme_widgets")
    module.library = widgets  # type: ignore[attr-defined]

    def load() -> Any:  # what EntryPoint.load() raises for "acme_widgets:libary"
        raise AttributeError("module 'acme_widgets' has no attribute 'libary'", name="libary", obj=module)

    partners.entry_points.append(FakeEntryPoint("acme", load, "acme_widgets:libary"))
    _, diags = load_catalogue()
    [d] = diags
    assert d.code == "WF909" and "could not be imported: AttributeError" in d.message
    assert d.help.startswith("did you mean `acme_widgets:library`? the entry point in pyproject.toml")


def test_an_entry_point_failing_on_import_says_where(installed_dist: Callable[..., str]) -> None:
    module = installed_dist("from werkstroom.extend import FieldKind\n\nKIND = FieldKind.MONEY\n")
    _, diags = load_catalogue()
    [d] = [d for d in diags if module in d.message]
    assert d.code == "WF909" and "AttributeError: MONEY (at " in d.message
    assert d.message.endswith(f"{module}.py:3: KIND = FieldKind.MONEY)")


def test_a_library_relying_on_a_rejected_one_is_rejected_too(partners: Partners) -> None:
    partners.add(widgets(responses=(attrs.evolve(SHIP, run=_two),)))  # type: ignore[arg-type]
    boxed = EventSpec("GadgetBoxed", "Boxed.", "Widget", predecessors=("WidgetShipped",))
    partners.add(Library("globex.gadgets", "0.3", events=(boxed,)))
    cat, diags = load_catalogue()
    one(diags, "WF906")
    found = {d.code: d.message for d in problems(diags, "globex.gadgets 0.3")}
    assert set(found) == {"WF903", "WF904"}
    assert "event 'GadgetBoxed' refers to unknown record type 'Widget'" in found["WF903"]
    assert "event 'GadgetBoxed' names unknown predecessor event 'WidgetShipped'" in found["WF904"]
    assert cat.event("GadgetBoxed") is None and cat.record("Widget") is None


def test_every_problem_of_a_library_is_reported_once(partners: Partners) -> None:
    bad = widgets(
        events=(
            PAINTED,
            attrs.evolve(SHIPPED, predecessors=("Nope",)),
            EventSpec("PurchaseDocReleased", "x", "Widget"),
        ),
        responses=(attrs.evolve(SHIP, run=_two),),  # type: ignore[arg-type]
    )
    partners.add(bad)
    _, diags = load_catalogue()
    assert sorted(d.code for d in problems(diags)) == ["WF901", "WF904", "WF906"]
    assert len(diags) == 3


def test_a_field_relation_or_option_declared_twice(partners: Partners) -> None:
    # before: accepted; the second field, relation or option was silently unreachable
    doubled = attrs.evolve(WIDGET, fields=(*WIDGET.fields, FieldSpec("Colour", FieldKind.CODE)),
                           relations=(RelationSpec("weight", "Vendor", False, (("no", "no"),)),))
    twice = attrs.evolve(SHIP, options=(*SHIP.options, attrs.evolve(SHIP.options[0], patterns=())))
    partners.add(widgets(records=(doubled,), responses=(twice,)))
    _, diags = load_catalogue()
    found = sorted(d.message.split(": ", 1)[1] for d in problems(diags) if d.code == "WF901")
    assert found == [
        "record type 'Widget': field 'Colour' is declared twice",
        "record type 'Widget': relation 'weight' is declared twice (also as a field)",
        "response 'ship_widget': option 'weight' is declared twice",
    ], found


def test_two_packages_giving_the_same_library_name(partners: Partners) -> None:
    # a copied example that kept the name: before, one WF901 per entry, none naming the packages
    partners.add(widgets(), name="acme")
    partners.add(widgets(), name="acme_copy")
    cat, diags = load_catalogue()
    [d] = diags
    assert d.code == "WF901" and d.message == (
        "library acme.widgets 2.1 from partner library entry point 'acme_copy' (acme_acme_copy:library) was "
        "not installed: entry point 'acme' (acme_acme:library) already gives a library named 'acme.widgets'")
    assert "Library(name=...)" in d.help
    assert cat.origin("event", "WidgetShipped") == Origin("acme.widgets", "2.1")


def test_a_template_that_does_not_check(partners: Partners) -> None:
    # before: installed silently; only a consultant's `wf templates copy` found out
    from click.testing import CliRunner

    from werkstroom.cli import cli

    bad = TemplateSpec("WID-SHIP", 'workflow WID-SHIP "x"\n  on WidgetPainteed then ship widget\n',
                       "acme_widgets/templates/WID-SHIP.wf")
    [d] = validate(widgets(templates=(bad,)))
    assert d.code == "WF919" and d.message == (
        "library acme.widgets 2.1: template 'WID-SHIP' does not check: WF201 there is no event "
        "`WidgetPainteed` (acme_widgets/templates/WID-SHIP.wf:2)")
    assert d.help == "did you mean `WidgetPainted`?"
    partners.add(widgets(templates=(bad,)))
    result = CliRunner().invoke(cli, ["catalogue", "libraries", "--plain"])
    assert result.exit_code == 1
    assert "error[WF919]: library acme.widgets 2.1: template 'WID-SHIP'" in result.stderr


# --------------------------------------------------------------------------- shapes (WF916)


@pytest.mark.parametrize(
    ("changes", "says", "help"),
    [
        ({"records": WIDGET},
         "library acme.widgets 2.1: records must be a tuple of RecordSpecs, got a RecordSpec",
         "write records=(RecordSpec(...),); in Python ('x') is just 'x'"),
        ({"events": (PAINTED, attrs.evolve(SHIPPED, predecessors=("WidgetPainted")))},
         "event 'WidgetShipped': predecessors must be a tuple of names, got the text 'WidgetPainted'",
         "write predecessors=('WidgetPainted',);"),
        ({"records": (attrs.evolve(WIDGET, key="no"),)},
         "record type 'Widget': key must be a tuple of names, got the text 'no'", "write key=('no',);"),
        ({"responses": (attrs.evolve(SHIP, patterns=("ship widget",)),)},
         "response 'ship_widget': patterns[0] must be a PhrasePattern, got the text 'ship widget'",
         "write PhrasePattern('ship widget')"),
        ({"records": (attrs.evolve(WIDGET, fields=(*WIDGET.fields, ("size", FieldKind.TEXT))),)},
         "record type 'Widget': fields[3] must be a FieldSpec, got a tuple",
         "declare it with FieldSpec(...)"),
        ({"event_predecessors": ("ApprovalRequestApproved", "WidgetPainted")},
         "event_predecessors[0] must be a pair of names, got the text 'ApprovalRequestApproved'",
         "a tuple of pairs, even for one pair"),
        ({"events": (attrs.evolve(PAINTED, record=WIDGET), SHIPPED)},
         "event 'WidgetPainted': record must be a text, got a RecordSpec", "write record='Widget'"),
        ({"step_modules": "acme_widgets.steps"},
         "step_modules must be a tuple of names, got the text 'acme_widgets.steps'", "write step_modules=("),
    ],
)
def test_a_declaration_of_the_wrong_shape_is_reported_not_a_traceback(
    partners: Partners, changes: dict[str, Any], says: str, help: str
) -> None:
    # ("X") without a comma is a text, not a tuple: before, an internal error (TypeError) for every
    # wf command, or one WF904/WF911 per letter of the name
    partners.add(widgets(**changes))
    cat, diags = load_catalogue()
    found = problems(diags)
    assert {d.code for d in found} == {"WF916"}, [f"{d.code} {d.message}" for d in found]
    assert any(says in d.message and help in d.help for d in found), [(d.message, d.help) for d in found]
    assert cat.record("Widget") is None and cat.event("PurchaseDocReleased") is not None


def test_validate_given_the_function_instead_of_the_library() -> None:
    def library() -> Library:
        return widgets()

    [d] = validate(library)  # type: ignore[arg-type]
    assert d.code == "WF916" and d.message == "expected a werkstroom Library, got the function 'library'"
    assert "call it: library()" in d.help


# --------------------------------------------------------------------------- the API's own helpers


def test_validate_and_catalogue_with() -> None:
    assert validate(widgets()) == []
    assert [d.code for d in validate(widgets(responses=(attrs.evolve(SHIP, run=_two),)))] == ["WF906"]  # type: ignore[arg-type]
    cat = catalogue_with(widgets())
    assert cat.response("ship_widget") is not None
    with pytest.raises(LibraryError) as info:
        catalogue_with(widgets(events=(attrs.evolve(SHIPPED, predecessors=("Nope",)),)))
    assert info.value.code == "WF904" and "acme.widgets 2.1" in str(info.value)
    assert SHIP.option("weight") is not None and SHIP.option("weight").default == Decimal("1")  # type: ignore[union-attr]
