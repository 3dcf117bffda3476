"""The MS- workflow templates as a library: every ``werkstroom/stdlib/templates/*.wf`` file shipped
in the package becomes a ``TemplateSpec``. The template code is the file name without ``.wf``
(``MS-PIAPW.wf`` -> ``MS-PIAPW``); the text is read when ``library()`` is called, never on import."""

from __future__ import annotations

from ..extend import Library, TemplateSpec, templates_from_package

VERSION = "1.0"


def templates() -> tuple[TemplateSpec, ...]:
    return templates_from_package("werkstroom.stdlib", "templates")


def library() -> Library:
    return Library(
        name="werkstroom.templates",
        version=VERSION,
        description="Business Central's MS- workflow templates, as .wf scripts.",
        templates=templates(),
    )
