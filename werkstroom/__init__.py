"""Werkstroom: approval workflows as text, checked and run like Business Central's."""

from typing import Any as _Any

__all__ = ["Engine", "open_engine", "parse"]


def __getattr__(name: str) -> _Any:
    """Lazy exports: ``werkstroom.parse`` loads the grammar machinery only when first used."""
    if name == "parse":
        from .grammar.parser import parse

        return parse
    if name in ("Engine", "open_engine"):
        from .engine import facade as engine

        return getattr(engine, name)
    raise AttributeError(f"module 'werkstroom' has no attribute {name!r}")
