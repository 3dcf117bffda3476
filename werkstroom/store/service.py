"""The service's tables: API tokens (only a hash of each secret is kept) and the authentication
failures counted per client address (so the rate limit holds across server processes)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .metadata import Base

TOKEN_KINDS = ("system", "user")
SCOPES = ("events", "records", "admin")


class ApiToken(Base):
    """One API token: the principal it stands for (``kind`` system or user, ``name`` the system's name or
    the user id of the approval user setup), the ``scopes`` of a system token (space-separated), the
    argon2 hash of its secret, and when it was revoked (None: in use)."""

    __tablename__ = "wf_api_token"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(50))
    scopes: Mapped[str] = mapped_column(String(100), default="")
    secret_hash: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    __table_args__ = (Index("ix_wf_api_token_principal", "kind", "name"),)


class AuthFailure(Base):
    """The authentication failures of one client address in the current window, and until when the
    address is refused (None: not blocked)."""

    __tablename__ = "wf_auth_failure"

    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    blocked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
