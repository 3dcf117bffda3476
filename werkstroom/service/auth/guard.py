"""Authenticating a request: its ``Authorization: Bearer`` token, checked against the store, with a
rate limit on failures per client address.

A token's argon2 hash is verified once per process; the principal it gave is kept in memory, keyed by
the SHA-256 of the token (never the token itself). Every request still reads, in one statement,
whether the token is in use and whether the client address is blocked, so a revoked token fails on
the next request in every process, and the limit holds across processes (``wf_auth_failure``).

A failure (a malformed, unknown, wrong or revoked token) is counted for the client address; after
``Settings.auth_failures`` within ``auth_window`` seconds the address is refused (429, WF803, with
``Retry-After``) for ``auth_block`` seconds, whatever token it sends. A request without a token is
refused (WF800) without counting: it guessed nothing. The inbox's sign-in form and its signed links
count their failures here too (``count_failure``, ``blocked_for``): one limit per address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import threading
import time
from collections import OrderedDict
from contextlib import AbstractContextManager
from typing import NoReturn

from sqlalchemy import Table, bindparam, func, select
from sqlalchemy.exc import IntegrityError

from ...engine.facade import Engine
from ...store.driver import Statement
from ...store.service import ApiToken, AuthFailure
from ..problems import InvalidToken, NotAuthenticated, RevokedToken, ServiceError, TooManyFailures
from ..settings import Settings
from . import Principal
from .tokens import principal_of, secret_matches, split

_TOKENS: Table = ApiToken.__table__  # type: ignore[assignment]
_FAILURES: Table = AuthFailure.__table__  # type: ignore[assignment]
# one statement per request: is the token in use, and until when is the address blocked
_CHECK = Statement(select(
    select(func.count()).select_from(_TOKENS)
    .where(_TOKENS.c.id == bindparam("b_id"), _TOKENS.c.revoked_at.is_(None)).scalar_subquery(),
    select(_FAILURES.c.blocked_until).where(_FAILURES.c.address == bindparam("b_address"))
    .scalar_subquery()))
_TOKEN = Statement(select(_TOKENS.c.kind, _TOKENS.c.name, _TOKENS.c.scopes, _TOKENS.c.secret_hash,
                          _TOKENS.c.revoked_at).where(_TOKENS.c.id == bindparam("b_id")))
_BLOCKED = Statement(select(_FAILURES.c.blocked_until).where(_FAILURES.c.address == bindparam("b_address")))
CACHE_SECONDS = 900.0  # how long a verified token is kept before its hash is verified again


def utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` as aware UTC (SQLite reads aware columns back naive)."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


class Authenticator:
    """Turns a request's token into a ``Principal`` (see the module). ``gate``: held around every use
    of the store (one writer at a time on SQLite)."""

    def __init__(self, engine: Engine, settings: Settings, gate: AbstractContextManager[object]) -> None:
        self.engine = engine
        self.settings = settings
        self.gate = gate
        self._cache: OrderedDict[bytes, tuple[Principal, float]] = OrderedDict()
        self._lock = threading.Lock()

    def authenticate(self, token: str | None, address: str) -> Principal:
        if not token:
            raise NotAuthenticated("this request needs an API token: send the header "
                                   "`Authorization: Bearer wfk_...` (`wf tokens create` makes one)")
        digest = hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()
        cached = self._cached(digest)
        parts = split(token)
        token_id = parts[0] if parts is not None else ""
        with self.gate, self.engine.transaction(write=False) as uow:
            found = uow.db.first(_CHECK, {"b_id": token_id, "b_address": address})
            valid, blocked = found if found is not None else (0, None)
            row = uow.db.first(_TOKEN, {"b_id": token_id}) if cached is None and parts is not None else None
        now = self.engine.clock.now()
        if blocked is not None and utc(blocked) > now:
            wait = max(1, math.ceil((utc(blocked) - now).total_seconds()))
            raise TooManyFailures(f"too many failed authentications from {address}; try again in {wait} s",
                                  wait)
        if cached is not None:
            if valid:
                return cached
            self._forget(digest)
            self._fail(address, RevokedToken(f"the token {token_id} was revoked"))
        if parts is None:
            self._fail(address, InvalidToken("the bearer token is not a Werkstroom API token "
                                             "(they read wfk_<id>_<secret>)"))
        if row is None:
            self._fail(address, InvalidToken(f"there is no token {token_id}"))
        kind, name, scopes, secret_hash, revoked_at = row
        if revoked_at is not None:
            self._fail(address, RevokedToken(f"the token {token_id} was revoked"))
        if not secret_matches(secret_hash, parts[1]):
            self._fail(address, InvalidToken(f"the secret of token {token_id} does not match"))
        principal = principal_of(kind, name, scopes, token_id)
        self._remember(digest, principal)
        return principal

    # ------------------------------------------------------------------ the cache of verified tokens

    def _cached(self, digest: bytes) -> Principal | None:
        with self._lock:
            found = self._cache.get(digest)
            if found is None:
                return None
            if found[1] < time.monotonic():
                del self._cache[digest]
                return None
            self._cache.move_to_end(digest)
            return found[0]

    def _remember(self, digest: bytes, principal: Principal) -> None:
        with self._lock:
            self._cache[digest] = (principal, time.monotonic() + CACHE_SECONDS)
            while len(self._cache) > self.settings.token_cache:
                self._cache.popitem(last=False)

    def _forget(self, digest: bytes) -> None:
        with self._lock:
            self._cache.pop(digest, None)

    # ------------------------------------------------------------------ failures

    def _fail(self, address: str, error: ServiceError) -> NoReturn:
        """Count the failure for ``address`` (blocking it at the limit), then raise ``error``."""
        self.count_failure(address)
        raise error

    def count_failure(self, address: str) -> None:
        """Count one failed authentication of ``address``, blocking it at the limit."""
        for attempt in (1, 2):
            try:
                self._count(address)
                return
            except IntegrityError:  # PostgreSQL: another process counted this address's first failure
                if attempt == 2:
                    raise

    def blocked_for(self, address: str) -> int | None:
        """The seconds until ``address`` may authenticate again, or None when it is not blocked."""
        with self.gate, self.engine.transaction(write=False) as uow:
            blocked = uow.db.scalar(_BLOCKED, {"b_address": address})
        now = self.engine.clock.now()
        if blocked is None or utc(blocked) <= now:
            return None
        return max(1, math.ceil((utc(blocked) - now).total_seconds()))

    def _count(self, address: str) -> None:
        s = self.settings
        with self.gate, self.engine.transaction() as uow:
            now = self.engine.clock.now()
            session = uow.session
            row = session.get(AuthFailure, address, with_for_update=True)
            if row is None:
                row = AuthFailure(address=address, window_start=now, failures=0, blocked_until=None)
                session.add(row)
            elif utc(row.window_start) + dt.timedelta(seconds=s.auth_window) <= now:
                row.window_start, row.failures, row.blocked_until = now, 0, None
            row.failures += 1
            if row.failures >= s.auth_failures:
                row.blocked_until = now + dt.timedelta(seconds=s.auth_block)
