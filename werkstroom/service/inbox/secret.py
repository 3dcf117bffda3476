"""The service's secret: the key signed links and the sign-in form's token are made with.

It is ``WERKSTROOM_SECRET`` when that is set (at least 32 characters; every server and worker process
must have the same), else a random one generated the first time and kept in the store
(``wf_service_secret``), so all processes on one database share it. Each use gets a key of its own,
derived from the secret with HMAC-SHA256 (``derive``), so no two uses share a key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets

from sqlalchemy.exc import IntegrityError

from ...engine.facade import Engine
from ...store.inbox import ServiceSecret
from .errors import BadSettings

VARIABLE = "WERKSTROOM_SECRET"
MIN_LENGTH = 32
_NAME = "service"


def given_secret() -> bytes | None:
    """``WERKSTROOM_SECRET`` (None when it is not set); WF849 when it is too short."""
    given = os.environ.get(VARIABLE)
    if given is None:
        return None
    if len(given) < MIN_LENGTH:
        raise BadSettings(f"{VARIABLE} has {len(given)} characters; it needs at least {MIN_LENGTH} (e.g. "
                          "what `python -c 'import secrets; print(secrets.token_urlsafe(48))'` prints)")
    return given.encode("utf-8", "surrogatepass")


def service_secret(engine: Engine) -> bytes:
    """The secret (see the module); WF849 when ``WERKSTROOM_SECRET`` is set but too short."""
    given = given_secret()
    if given is not None:
        return given
    found = _stored(engine)
    if found is not None:
        return found
    try:
        with engine.transaction() as uow:
            uow.session.add(ServiceSecret(name=_NAME, value=secrets.token_urlsafe(48),
                                          created_at=engine.clock.now()))
    except IntegrityError:  # another process stored it first: theirs is the secret
        pass
    stored = _stored(engine)
    assert stored is not None
    return stored


def _stored(engine: Engine) -> bytes | None:
    with engine.transaction() as uow:
        row = uow.session.get(ServiceSecret, _NAME)
        return row.value.encode() if row is not None else None


def derive(secret: bytes, purpose: str) -> bytes:
    """The key of one use of the secret (``links``, ``sign-in form``)."""
    return hmac.new(secret, b"werkstroom/" + purpose.encode(), hashlib.sha256).digest()
