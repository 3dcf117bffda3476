"""``open_engine(..., libraries=[...])`` (docs/engine.md): the libraries are installed into the
engine's catalogue as partner libraries are, validated the same way, so scripts that use them deploy,
enable and run; a rejected library refuses the engine with its WF9xx problems."""

from __future__ import annotations

import pytest
from partnerlib import Partners, widgets

from werkstroom import deploy
from werkstroom.binding.libraries import load_catalogue
from werkstroom.engine.facade import open_engine
from werkstroom.extend import EventSpec, LibraryError, catalogue_with

SCRIPT = "workflow SHIPW\n  on WidgetPainted when colour = \"red\" then ship widget, weighing 2.5\n"


def test_an_engine_with_a_library_deploys_enables_and_runs_its_scripts(partners: Partners) -> None:
    with open_engine("sqlite://", libraries=[widgets()]) as engine:
        [deployed] = deploy(engine, SCRIPT, "shipw.wf")
        assert (deployed.code, deployed.version) == ("SHIPW", 1)
        assert engine.enable("SHIPW") == []
        result = engine.emit("WidgetPainted", {"no": "W1", "colour": "red", "weight": "3"}, user="ann")
        assert result.outcome == "started"
        [effect] = engine.outbox(kind="widget.shipped")
        assert effect.payload == {"key": "W1", "weight": "2.5"}  # plain data: money as text
        assert str(engine.catalogue.origin("event", "WidgetPainted")) == "acme.widgets 2.1"
        assert engine.catalogue.event("PurchaseDocReleased") is not None  # the stdlib stays


def test_the_given_catalogue_is_left_as_it_was(partners: Partners) -> None:
    base = load_catalogue()[0]
    with open_engine("sqlite://", catalogue=base, libraries=[widgets()]) as engine:
        assert engine.catalogue.event("WidgetPainted") is not None
    assert base.event("WidgetPainted") is None


def test_a_library_is_validated_as_a_partner_library(partners: Partners) -> None:
    clash = widgets(events=(EventSpec("PurchaseDocReleased", "A clash.", "Widget"),))
    with pytest.raises(LibraryError) as info:
        open_engine("sqlite://", libraries=[clash])
    assert info.value.code == "WF901"
    d = info.value.diagnostics[0]
    assert d.is_error and d.message.startswith(
        "library acme.widgets 2.1: event 'PurchaseDocReleased' is already declared")
    assert "library acme.widgets 2.1 was not installed" in d.notes
    # the same problems as installing it the partners' way
    with pytest.raises(LibraryError) as again:
        catalogue_with(clash)
    assert [x.message for x in again.value.diagnostics] == [x.message for x in info.value.diagnostics]


def test_a_library_installed_twice_is_refused(partners: Partners) -> None:
    partners.add(widgets())  # installed as a package already
    with pytest.raises(LibraryError) as info:
        open_engine("sqlite://", libraries=[widgets()])
    assert info.value.code == "WF901"
