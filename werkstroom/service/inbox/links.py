"""Signed one-time links: what a notification e-mail carries to an approval entry's page.

A link names one approval entry and one user (the recipient), what it is for (``view``: sign the user
in and open the entry), when it expires, and an id of its own. They are written in the link as
base64url JSON, followed by an HMAC-SHA256 of that text under a key derived from the service's secret
(``secret.derive(secret, "links")``), so a link cannot be made or altered without the secret.
Nothing is stored when a link is made; its first use is (``wf_link_use``, keyed by the link's id), and
a second use finds that row and is refused (WF845).

``SignedLinks`` is the engine's ``EntryLinks`` (``Engine.links``): the dispatcher asks it for the
address of each entry an e-mail is about.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import secrets
from urllib.parse import urlsplit

import attrs
from sqlalchemy.exc import IntegrityError

from ...engine.clock import Clock
from ...engine.unit import UnitOfWork
from ...store.inbox import LinkUse
from .errors import BadSettings, LinkExpired, LinkInvalid, LinkUsed
from .secret import derive

PURPOSES = ("view",)
PATH = "/inbox/link/"
MAX_TOKEN = 2000  # characters; a link is about 250


@attrs.frozen
class Link:
    """What a signed link says: its ``id``, the approval ``entry_id``, the ``user`` it signs in, its
    ``purpose`` and when it ``expires`` (aware UTC, whole seconds)."""

    id: str
    entry_id: str
    user: str
    purpose: str
    expires: dt.datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: bytes, body: str) -> str:
    return _b64(hmac.new(key, body.encode("ascii"), hashlib.sha256).digest())


def sign(key: bytes, link: Link) -> str:
    """The link's text: base64url JSON, a dot, and its MAC under ``key``."""
    data = {"i": link.id, "e": link.entry_id, "u": link.user, "p": link.purpose,
            "x": int(link.expires.timestamp())}
    body = _b64(json.dumps(data, separators=(",", ":"), ensure_ascii=True).encode("ascii"))
    return f"{body}.{_mac(key, body)}"


def read(key: bytes, token: str) -> Link:
    """The link ``token`` says, if ``key`` signed it; WF843 otherwise (its expiry is not checked)."""
    body, dot, mac = token.partition(".")
    if not dot or len(token) > MAX_TOKEN or not token.isascii() \
            or not hmac.compare_digest(_mac(key, body).encode(), mac.encode()):
        raise LinkInvalid("the link is not valid: it was altered or cut off, or signed with another key")
    try:
        data = json.loads(_unb64(body))
        link = Link(str(data["i"]), str(data["e"]), str(data["u"]), str(data["p"]),
                    dt.datetime.fromtimestamp(int(data["x"]), dt.UTC))
    except (binascii.Error, ValueError, KeyError, TypeError, OverflowError, OSError):
        raise LinkInvalid("the link is not valid: its content cannot be read") from None
    if link.purpose not in PURPOSES:
        raise LinkInvalid(f"the link is not valid: unknown purpose {link.purpose!r}")
    return link


def check(link: Link, now: dt.datetime) -> None:
    """WF844 when ``link`` has expired at ``now``."""
    if now >= link.expires:
        raise LinkExpired(f"the link expired at {link.expires:%Y-%m-%d %H:%M} UTC")


def was_used(uow: UnitOfWork, link: Link) -> bool:
    return uow.session.get(LinkUse, link.id) is not None


def use(uow: UnitOfWork, link: Link, address: str, now: dt.datetime) -> None:
    """Record the one use of ``link`` in ``uow`` (WF845 when it was used before: the row exists, or
    another request recorded it first)."""
    if was_used(uow, link):
        raise LinkUsed("the link was used already; each link works once")
    uow.session.add(LinkUse(link_id=link.id, entry_id=link.entry_id, user_id=link.user, purpose=link.purpose,
                            used_at=now, address=address[:64]))
    try:
        uow.session.flush()
    except IntegrityError:
        raise LinkUsed("the link was used already; each link works once") from None


def base_url(url: str) -> str:
    """``url`` as the inbox's base address (no trailing slash); WF849 unless absolute http(s) without
    a query or fragment."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise BadSettings(f"the base URL {url!r} is not an absolute http:// or https:// address without a "
                          "query (e.g. https://workflow.example.com)")
    return url.rstrip("/")


class SignedLinks:
    """Signed ``view`` links to the inbox at ``base`` (see the module), valid for ``lifetime``."""

    def __init__(self, secret: bytes, base: str, lifetime: dt.timedelta, clock: Clock) -> None:
        if lifetime <= dt.timedelta(0):
            raise BadSettings("a link's lifetime must be a positive number of hours")
        self.key = derive(secret, "links")
        self.base = base_url(base)
        self.lifetime = lifetime
        self.clock = clock

    def make(self, recipient: str, entry_id: str, purpose: str = "view") -> Link:
        expires = (self.clock.now() + self.lifetime).astimezone(dt.UTC).replace(microsecond=0)
        return Link(secrets.token_hex(12), entry_id, recipient, purpose, expires)

    def address(self, link: Link) -> str:
        return f"{self.base}{PATH}{sign(self.key, link)}"

    def entry_link(self, recipient: str, entry_id: str) -> str:
        """The engine's ``EntryLinks``: a new signed link for ``recipient`` to ``entry_id``."""
        return self.address(self.make(recipient, entry_id))
