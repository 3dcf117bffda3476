"""Opening the store for the command line and the simulator: a URL that names no database Werkstroom can
open (unknown scheme, driver not installed, server not reachable, a SQLite file in a missing folder or a
file that is not a database) is WF515, not an internal error."""

from __future__ import annotations

from typing import Any

from ..errors import WerkstroomError
from ..store.database import resolve_url
from .facade import Engine, open_engine

HINT = "use sqlite:///PATH/TO/FILE.db (the folder must exist) or postgresql+psycopg://USER@HOST:PORT/DATABASE"


class DatabaseUnavailable(WerkstroomError):
    """WF515: the database URL cannot be opened."""

    code = "WF515"


def shown_url(url: str) -> str:
    """The URL with any password hidden."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return url


def _reason(exc: BaseException) -> str:
    from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

    if isinstance(exc, NoSuchModuleError):
        return "unknown kind of database"
    if isinstance(exc, ArgumentError):
        return "not a database URL"
    if isinstance(exc, ImportError):
        extra = "; install it with: pip install 'werkstroom[postgres]'" if exc.name == "psycopg" else ""
        return f"its driver ({exc.name or exc}) is not installed{extra}"
    text = str(exc.orig) if isinstance(exc, DBAPIError) and exc.orig is not None else str(exc)
    return " ".join(text.split("\n", 1)[0].split()) or type(exc).__name__


def connect(url: str | None = None, **kwargs: Any) -> Engine:
    """``open_engine(url, **kwargs)``; raises DatabaseUnavailable (WF515) when the URL cannot be opened."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        return open_engine(url, **kwargs)
    except WerkstroomError:
        raise
    except (SQLAlchemyError, ImportError, OSError) as exc:
        raise DatabaseUnavailable(
            f"cannot open the database {shown_url(resolve_url(url))}: {_reason(exc)}; {HINT}") from exc


__all__ = ["DatabaseUnavailable", "connect", "shown_url"]
