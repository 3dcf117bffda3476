"""Partner-library helpers: in-test libraries built with ``werkstroom.extend``, served through a fake
``werkstroom.libraries`` entry-point group (``partners``) or a real distribution on ``sys.path``
(``installed_dist``)."""

from __future__ import annotations

import sys
import textwrap
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from werkstroom.extend import (
    EventSpec,
    FieldKind,
    FieldSpec,
    Library,
    OptionSpec,
    PhrasePattern,
    RecordSpec,
    ResponseContext,
    ResponseSpec,
)


class FakeEntryPoint:
    """What ``importlib.metadata.entry_points(group=...)`` yields: a name, a value and ``load()``."""

    def __init__(self, name: str, loader: Callable[[], Any], value: str = "") -> None:
        self.name = name
        self.value = value or f"acme_{name}:library"
        self._loader = loader

    def load(self) -> Any:
        return self._loader()


class Partners:
    """The fake entry-point group: ``add(library)`` installs a library as a partner package would."""

    def __init__(self) -> None:
        self.entry_points: list[FakeEntryPoint] = []

    def add(self, library: Library | Callable[[], Any], name: str | None = None) -> None:
        if isinstance(library, Library):
            lib = library
            self.entry_points.append(FakeEntryPoint(name or lib.name, lambda: lambda: lib))
        else:
            factory = library
            self.entry_points.append(FakeEntryPoint(name or "broken", lambda: factory))

    def add_loader(self, name: str, loader: Callable[[], Any]) -> None:
        self.entry_points.append(FakeEntryPoint(name, loader))


@pytest.fixture
def partners(monkeypatch: pytest.MonkeyPatch) -> Partners:
    """Replace the installed partner packages (the expenses example too, when installed) with these."""
    group = Partners()

    def entry_points(group_name: str = "", **_: Any) -> list[FakeEntryPoint]:
        return list(group.entry_points) if group_name == "werkstroom.libraries" else []

    monkeypatch.setattr("importlib.metadata.entry_points", lambda group="", **kw: entry_points(group, **kw))
    return group


# --------------------------------------------------------------------------- in-test libraries


def ship(ctx: ResponseContext) -> None:
    """Ship a widget: an outbox effect with its weight as Decimal."""
    ctx.emit_effect(
        "widget.shipped", {"key": ctx.document.key, "weight": Decimal(str(ctx.options["weight"]))}
    )


WIDGET = RecordSpec(
    "Widget",
    "A widget.",
    (
        FieldSpec("no", FieldKind.CODE, "Number"),
        FieldSpec("colour", FieldKind.TEXT, "Colour"),
        FieldSpec("weight", FieldKind.DECIMAL, "Weight in kg"),
    ),
    key=("no",),
)
PAINTED = EventSpec("WidgetPainted", "A widget was painted.", "Widget")
SHIPPED = EventSpec("WidgetShipped", "A widget was shipped.", "Widget", predecessors=("WidgetPainted",))
SHIP = ResponseSpec(
    "ship_widget",
    "Ship the widget.",
    (PhrasePattern("ship [the] widget"),),
    run=ship,
    options=(OptionSpec("weight", FieldKind.DECIMAL, "Weight", ("weighing {value}",), default=Decimal("1")),),
    allowed_after=("WidgetPainted",),
)


def widgets(name: str = "acme.widgets", version: str = "2.1", **changes: Any) -> Library:
    """A small valid partner library; keyword arguments replace its fields."""
    fields: dict[str, Any] = {
        "records": (WIDGET,),
        "events": (PAINTED, SHIPPED),
        "responses": (SHIP,),
    }
    fields.update(changes)
    return Library(name=name, version=version, description="Widgets.", **fields)


# --------------------------------------------------------------------------- a real distribution


@pytest.fixture
def installed_dist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str, str], str]]:
    """``install(source, version)`` writes a module and its ``.dist-info`` (with an entry point in the
    ``werkstroom.libraries`` group) to a folder on ``sys.path``, as ``pip install`` would; returns the
    module name. The module defines ``library()``."""
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    made: list[str] = []

    def install(source: str, version: str = "1.0") -> str:
        module = f"wfpartner_{uuid.uuid4().hex[:10]}"
        (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        info = site / f"{module}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {module}\nVersion: {version}\n", encoding="utf-8"
        )
        (info / "entry_points.txt").write_text(
            f"[werkstroom.libraries]\n{module} = {module}:library\n", encoding="utf-8"
        )
        made.append(module)
        return module

    yield install
    for m in made:
        sys.modules.pop(m, None)
