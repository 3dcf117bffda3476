"""Werkstroom: approval workflows as text, checked and run like Business Central's."""

from __future__ import annotations

from typing import TYPE_CHECKING
from typing import Any as _Any

if TYPE_CHECKING:
    from .engine.facade import Engine
    from .engine.lifecycle import Deployed

__all__ = ["Engine", "deploy", "install_templates", "open_engine", "parse"]


def deploy(engine: Engine, source: str, path: str = "<string>") -> list[Deployed]:
    """Bind the script ``source`` against the engine's catalogue and store its workflows (a new version
    when the text changed); raises DiagnosticsError with every error when the script has any, and then
    stores nothing. ``engine.deploy(bind_text(source, path, engine.catalogue))``."""
    from .binding.sources import bind_text

    return engine.deploy(bind_text(source, path, engine.catalogue))


def install_templates(engine: Engine) -> list[Deployed]:
    """Store the engine catalogue's workflow templates (MS-...) so they can be copied; never enabled."""
    from .binding.sources import bind_templates

    return engine.deploy(bind_templates(engine.catalogue))


def __getattr__(name: str) -> _Any:
    """Lazy exports: ``werkstroom.parse`` loads the grammar machinery only when first used."""
    if name == "parse":
        from .grammar.parser import parse

        return parse
    if name in ("Engine", "open_engine"):
        from .engine import facade as engine

        return getattr(engine, name)
    raise AttributeError(f"module 'werkstroom' has no attribute {name!r}")
