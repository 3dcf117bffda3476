"""Users' passwords: set by the administrator (`wf users set-password USER`), kept as an argon2id hash
(OWASP's Password Storage Cheat Sheet's first choice: 19 MiB of memory, 2 passes, 1 lane; about 0.1 s
on a shared 2-core machine), checked when a user signs in.

Setting a password ends the user's sessions. Checking one costs the same whether the user exists or
not (an unknown user is checked against a hash of nothing), so the time of an answer does not tell
which users exist; a hash made with older parameters is made again at the next sign-in.
"""

from __future__ import annotations

import functools
from contextlib import AbstractContextManager, nullcontext

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete

from ...engine.boundary import InvalidInput, user_id
from ...engine.facade import Engine
from ...store.approvals import ApprovalUserSetup
from ...store.inbox import InboxSession, UserPassword
from .errors import PasswordRefused

MIN_LENGTH = 12
MAX_LENGTH = 1024
_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


@functools.cache
def _nobody() -> str:
    """The hash an unknown user's password is checked against (made once per process)."""
    return _HASHER.hash("no user has this password")


def checked(password: str) -> str:
    """``password`` if it may be set, else WF847 saying why."""
    if not isinstance(password, str) or not password:
        raise PasswordRefused("the password is empty")
    if "\x00" in password:
        raise PasswordRefused("the password holds a NUL character")
    if len(password) < MIN_LENGTH:
        raise PasswordRefused(f"the password has {len(password)} characters; it needs at least {MIN_LENGTH} "
                              "(a sentence of a few words works well)")
    if len(password) > MAX_LENGTH:
        raise PasswordRefused(f"the password has {len(password)} characters; at most {MAX_LENGTH}")
    return password


def _user(user: str) -> str:
    try:
        return user_id(user)
    except InvalidInput as exc:
        raise PasswordRefused(exc.message) from None


def set_password(engine: Engine, user: str, password: str,
                 gate: AbstractContextManager[object] | None = None) -> str:
    """Set ``user``'s password (a user of the approval user setup; WF847 otherwise) and end their
    sessions; returns the user id."""
    uid = _user(user)
    digest = _HASHER.hash(checked(password))
    with gate or nullcontext(), engine.transaction() as uow:
        if uow.session.get(ApprovalUserSetup, uid) is None:
            raise PasswordRefused(f"there is no user {uid!r} in the approval user setup; add the user to the "
                                  "organisation file and run `wf setup load FILE` first")
        row = uow.session.get(UserPassword, uid)
        if row is None:
            uow.session.add(UserPassword(user_id=uid, password_hash=digest, changed_at=engine.clock.now()))
        else:
            row.password_hash, row.changed_at = digest, engine.clock.now()
        uow.session.execute(delete(InboxSession).where(InboxSession.user_id == uid))
    return uid


def _matches(digest: str, password: str) -> bool:
    try:
        return _HASHER.verify(digest, password)
    except (VerificationError, InvalidHashError):
        return False


def verify(engine: Engine, user: str, password: str, gate: AbstractContextManager[object] | None = None
           ) -> str | None:
    """The user id when ``password`` is ``user``'s, else None (unknown user, no password, wrong one).
    The hash is checked outside the store's gate (it takes tens of milliseconds)."""
    try:
        uid = user_id(user)
    except InvalidInput:
        uid = ""
    stored = None
    if uid and isinstance(password, str) and 0 < len(password) <= MAX_LENGTH:
        with gate or nullcontext(), engine.transaction() as uow:
            if uow.session.get(ApprovalUserSetup, uid) is not None:
                row = uow.session.get(UserPassword, uid)
                stored = row.password_hash if row is not None else None
    right = _matches(stored or _nobody(), password if isinstance(password, str) else "")
    if not right or stored is None:
        return None
    if _HASHER.check_needs_rehash(stored):
        with gate or nullcontext(), engine.transaction() as uow:
            row = uow.session.get(UserPassword, uid)
            if row is not None and row.password_hash == stored:
                row.password_hash = _HASHER.hash(password)
    return uid


def has_password(engine: Engine, user: str) -> bool:
    with engine.transaction() as uow:
        return uow.session.get(UserPassword, user_id(user)) is not None
