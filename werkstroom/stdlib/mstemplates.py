"""The MS- workflow templates as a library: every ``werkstroom/stdlib/templates/*.wf`` file shipped
in the package becomes a ``TemplateSpec``. The template code is the file name without ``.wf``
(``MS-PIAPW.wf`` -> ``MS-PIAPW``); the text is read when ``library()`` is called, never on import."""

from __future__ import annotations

from importlib import resources

from ..catalogue import Library, TemplateSpec

VERSION = "1.0"


def templates() -> tuple[TemplateSpec, ...]:
    folder = resources.files("werkstroom.stdlib").joinpath("templates")
    if not folder.is_dir():
        return ()
    found: list[TemplateSpec] = []
    for entry in folder.iterdir():
        if entry.is_file() and entry.name.endswith(".wf"):
            code = entry.name[: -len(".wf")].upper()
            text = entry.read_text(encoding="utf-8-sig")
            found.append(TemplateSpec(code, text, f"werkstroom/stdlib/templates/{entry.name}"))
    return tuple(sorted(found, key=lambda t: t.code))


def library() -> Library:
    return Library(
        name="werkstroom.templates",
        version=VERSION,
        description="Business Central's MS- workflow templates, as .wf scripts.",
        templates=templates(),
    )
