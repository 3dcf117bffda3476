"""Signed-in sessions and the tokens of the inbox's forms.

A session is a row of ``wf_inbox_session``; the browser holds a random value (32 bytes) in the
``wf_session`` cookie (HttpOnly, SameSite=Lax, Secure over https) and the store only its SHA-256, so the
store alone signs nobody in. Signing out deletes the row; so do a new password and the session's end
(``Settings.session_hours`` after it began). Each request reads its session with the user's setup in
one statement: a user removed from the approval user setup is signed out.

Every form carries a token (synchronizer token pattern): the session's ``csrf_token``, or, before
signing in (the sign-in form, a signed link's page), an HMAC of the browser's ``wf_pre`` cookie under a
key of the service's secret. A form whose token is missing or differs is refused (WF841) before it
does anything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from typing import Any

import attrs
from sqlalchemy import Table, bindparam, delete, select, update

from ...engine.facade import Engine
from ...engine.unit import UnitOfWork
from ...store.approvals import ApprovalUserSetup
from ...store.driver import Statement
from ...store.inbox import InboxSession
from .errors import BadFormToken

COOKIE = "wf_session"
PRE_COOKIE = "wf_pre"
FIELD = "csrf_token"  # the forms' hidden field

_S: Table = InboxSession.__table__  # type: ignore[assignment]
_U: Table = ApprovalUserSetup.__table__  # type: ignore[assignment]
_FIND = Statement(select(_S.c.user_id, _S.c.csrf_token, _S.c.expires_at, _S.c.flash, _U.c.language,
                         _U.c.approval_administrator, _U.c.time_zone)
                  .join(_U, _U.c.user_id == _S.c.user_id).where(_S.c.id == bindparam("b_id")))


@attrs.frozen
class SignedIn:
    """The session of a request: its ``id`` (the cookie's hash), the ``user`` with their ``language``,
    ``administrator`` role and ``time_zone`` from the setup, the form token and the flash (the result of
    the last action, shown once)."""

    id: str
    user: str
    csrf_token: str
    language: str
    administrator: bool
    time_zone: str
    flash: tuple[dict[str, Any], ...]


def _hash(cookie: str) -> str:
    return hashlib.sha256(cookie.encode("utf-8", "surrogatepass")).hexdigest()


def utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` as aware UTC (SQLite reads aware columns back naive)."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def start(uow: UnitOfWork, user: str, via: str, lifetime: dt.timedelta) -> str:
    """A new session for ``user`` in ``uow`` (the sessions that have ended are deleted on the way);
    returns the cookie's value."""
    now = uow.clock.now()
    uow.session.execute(delete(InboxSession).where(InboxSession.expires_at < now))
    cookie = secrets.token_urlsafe(32)
    uow.session.add(InboxSession(id=_hash(cookie), user_id=user, csrf_token=secrets.token_urlsafe(32),
                                 via=via, created_at=now, expires_at=now + lifetime, flash=""))
    return cookie


def find(engine: Engine, cookie: str | None) -> SignedIn | None:
    """The session of ``cookie`` if it has not ended, else None."""
    if not cookie or len(cookie) > 100:
        return None
    sid = _hash(cookie)
    with engine.transaction() as uow:
        row = uow.db.first(_FIND, {"b_id": sid})
    if row is None:
        return None
    user, token, expires, flash, language, administrator, time_zone = row
    if utc(expires) <= engine.clock.now():
        return None
    return SignedIn(sid, user, token, language or "en", bool(administrator), time_zone or "UTC",
                    tuple(json.loads(flash)) if flash else ())


def end_cookie(uow: UnitOfWork, cookie: str | None) -> None:
    """End the session of ``cookie`` (if there is one) in ``uow``."""
    if cookie and len(cookie) <= 100:
        uow.session.execute(delete(InboxSession).where(InboxSession.id == _hash(cookie)))


def end(engine: Engine, session_id: str) -> None:
    with engine.transaction() as uow:
        uow.session.execute(delete(InboxSession).where(InboxSession.id == session_id))


def set_flash(engine: Engine, session_id: str, messages: list[dict[str, Any]]) -> None:
    """Keep ``messages`` to show on the session's next page."""
    with engine.transaction() as uow:
        uow.session.execute(update(InboxSession).where(InboxSession.id == session_id)
                            .values(flash=json.dumps(messages) if messages else ""))


def check_token(expected: str, given: object) -> None:
    """WF841 unless the form's token ``given`` is ``expected``."""
    if not isinstance(given, str) or not given or not hmac.compare_digest(expected.encode(),
                                                                          given.encode("utf-8", "replace")):
        raise BadFormToken("the form's security token is missing or does not belong to this session; "
                           "reload the page and send it again")


def pre_token(key: bytes, pre_cookie: str) -> str:
    """The form token before signing in: an HMAC of the browser's ``wf_pre`` cookie."""
    return hmac.new(key, pre_cookie.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def new_pre_cookie() -> str:
    return secrets.token_urlsafe(32)
