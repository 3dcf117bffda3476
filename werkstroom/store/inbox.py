"""The inbox's tables: users' passwords (an argon2 hash only), signed-in sessions (the SHA-256 of each
session's cookie, never the cookie), the uses of signed one-time links, and the service's secret when
it is not given by ``WERKSTROOM_SECRET``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .metadata import Base

AWARE = DateTime(timezone=True)


class UserPassword(Base):
    """The password of a user of the approval user setup (`wf users set-password`): its argon2 hash."""

    __tablename__ = "wf_user_password"

    user_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[dt.datetime] = mapped_column(AWARE)


class InboxSession(Base):
    """A signed-in session of the inbox. ``id``: the SHA-256 (hex) of the random value in the session
    cookie; ``csrf_token``: the form token of every page of the session; ``via``: password or link;
    ``flash``: the result of the last action, shown once (JSON text, '' for none)."""

    __tablename__ = "wf_inbox_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(50), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    via: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[dt.datetime] = mapped_column(AWARE)
    expires_at: Mapped[dt.datetime] = mapped_column(AWARE, index=True)
    flash: Mapped[str] = mapped_column(Text, default="")


class LinkUse(Base):
    """The one use of a signed link: its id (from the signed text), what it was for, by whom, when and
    from where. A second use of the same link finds this row and is refused."""

    __tablename__ = "wf_link_use"

    link_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(50))
    purpose: Mapped[str] = mapped_column(String(10))
    used_at: Mapped[dt.datetime] = mapped_column(AWARE)
    address: Mapped[str] = mapped_column(String(64))


class ServiceSecret(Base):
    """A secret of the service generated once (``name`` "links": the key signed links are made with),
    used when the environment gives none (``WERKSTROOM_SECRET``)."""

    __tablename__ = "wf_service_secret"

    name: Mapped[str] = mapped_column(String(30), primary_key=True)
    value: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(AWARE)
