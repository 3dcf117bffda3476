"""API tokens: created for a principal (`wf tokens create`), shown once, kept as an argon2 hash of
their secret, listed and revoked (`wf tokens list`, `wf tokens revoke`).

A token reads ``wfk_<id>_<secret>``: ``id`` 16 hex digits (the row, not secret), ``secret`` 32 random
bytes in URL-safe base64 (43 characters). Only the hash of the secret is stored (argon2id), so the store
alone never gives a token away. The hash takes OWASP's minimum argon2id parameters (19 MiB, 2 passes,
1 lane): a secret of 256 random bits cannot be guessed whatever the cost, and the service verifies a
token's hash once per process (``guard``), so the cost is paid rarely.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable

import attrs
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update

from ...engine.facade import Engine
from ...store.approvals import ApprovalUserSetup
from ...store.service import SCOPES, ApiToken
from ..problems import NoSuchToken, TokenRefused
from . import SYSTEM, USER, Principal

PREFIX = "wfk_"
TOKEN = re.compile(r"wfk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})")
SYSTEM_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,49}")
_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


@attrs.frozen
class TokenInfo:
    """A token as `wf tokens list` shows it (never its secret)."""

    id: str
    kind: str
    name: str
    scopes: tuple[str, ...]
    note: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "kind": self.kind, "name": self.name, "scopes": list(self.scopes),
                "note": self.note, "created_at": self.created_at.isoformat(),
                "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None}


def split(token: str) -> tuple[str, str] | None:
    """(id, secret) of a well-formed token, else None."""
    m = TOKEN.fullmatch(token)
    return (m.group(1), m.group(2)) if m else None


def hash_secret(secret: str) -> str:
    return _HASHER.hash(secret)


def secret_matches(secret_hash: str, secret: str) -> bool:
    try:
        return _HASHER.verify(secret_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def _principal(engine: Engine, user: str | None, system: str | None,
               scopes: Iterable[str]) -> tuple[str, str, tuple[str, ...]]:
    wanted = tuple(sorted({s.strip().lower() for s in scopes}))
    if (user is None) == (system is None):
        raise TokenRefused("name either a user (--user U) or a system (--system NAME), not both or neither")
    if user is not None:
        if wanted:
            raise TokenRefused("a user's token has no scopes: a user acts as itself, on its own entries "
                               "(leave out --scope)")
        from ...engine.boundary import user_id

        uid = user_id(user)
        with engine.transaction() as uow:
            known = uow.session.get(ApprovalUserSetup, uid) is not None
        if not known:
            raise TokenRefused(f"there is no user {uid!r} in the approval user setup; add the user to the "
                               "organisation file and run `wf setup load FILE` first")
        return USER, uid, ()
    assert system is not None
    if not SYSTEM_NAME.fullmatch(system):
        raise TokenRefused(f"{system!r} is not a system name: write 1 to 50 letters, digits, `.`, `_` or `-` "
                           "(e.g. erp)")
    unknown = [s for s in wanted if s not in SCOPES]
    if unknown or not wanted:
        raise TokenRefused(f"a system token needs one or more scopes of {', '.join(SCOPES)}"
                           + (f", not {', '.join(map(repr, unknown))}" if unknown else " (--scope events)"))
    return SYSTEM, system, wanted


def create(engine: Engine, *, user: str | None = None, system: str | None = None,
           scopes: Iterable[str] = (), note: str = "") -> tuple[str, TokenInfo]:
    """A new token for the user ``user`` (of the approval user setup) or the system ``system`` with
    ``scopes``; returns the token (shown once: only its hash is kept) and its row."""
    kind, name, wanted = _principal(engine, user, system, scopes)
    if len(note) > 200:
        raise TokenRefused("the note may have at most 200 characters")
    token_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    now = engine.clock.now()
    row = ApiToken(id=token_id, kind=kind, name=name, scopes=" ".join(wanted),
                   secret_hash=hash_secret(secret), note=note, created_at=now, revoked_at=None)
    with engine.transaction() as uow:
        uow.session.add(row)
    return f"{PREFIX}{token_id}_{secret}", _info(row)


def _info(row: ApiToken) -> TokenInfo:
    return TokenInfo(row.id, row.kind, row.name, tuple(row.scopes.split()), row.note, _utc(row.created_at),
                     _utc(row.revoked_at) if row.revoked_at else None)


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def listing(engine: Engine, *, revoked: bool = False) -> list[TokenInfo]:
    """The tokens in use (``revoked``: also the revoked ones), by principal and creation."""
    stmt = select(ApiToken).order_by(ApiToken.kind, ApiToken.name, ApiToken.created_at, ApiToken.id)
    if not revoked:
        stmt = stmt.where(ApiToken.revoked_at.is_(None))
    with engine.transaction() as uow:
        return [_info(r) for r in uow.session.scalars(stmt)]


def revoke(engine: Engine, *, token_id: str | None = None, user: str | None = None,
           system: str | None = None) -> list[str]:
    """Revoke the token ``token_id``, or every token of the user ``user`` or the system ``system``;
    the ids revoked. A revoked token fails from the next request on, in every server process."""
    stmt = update(ApiToken).where(ApiToken.revoked_at.is_(None))
    if token_id is not None:
        what, stmt = f"token {token_id!r}", stmt.where(ApiToken.id == token_id)
    elif user is not None:
        from ...engine.boundary import user_id

        uid = user_id(user)
        what, stmt = f"user {uid!r}", stmt.where(ApiToken.kind == USER, ApiToken.name == uid)
    elif system is not None:
        what, stmt = f"system {system!r}", stmt.where(ApiToken.kind == SYSTEM, ApiToken.name == system)
    else:
        raise NoSuchToken("name a token id, --user U or --system NAME")
    with engine.transaction() as uow:
        ids = list(uow.session.scalars(stmt.values(revoked_at=engine.clock.now()).returning(ApiToken.id)))
    if not ids:
        raise NoSuchToken(f"there is no token in use for {what} (`wf tokens list` shows them)")
    return sorted(ids)


def principal_of(row_kind: str, row_name: str, row_scopes: str, token_id: str) -> Principal:
    return Principal(row_kind, row_name, frozenset(row_scopes.split()), token_id)
