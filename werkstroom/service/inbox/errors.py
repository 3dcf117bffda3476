"""The inbox's refusals (WF840-WF849), each with the HTTP status its page is answered with."""

from __future__ import annotations

from ...errors import WerkstroomError


class InboxError(WerkstroomError):
    """A refusal of the inbox: ``status`` is the HTTP status of the page that says so."""

    code = "WF848"
    status = 422


class SignInFailed(InboxError):
    """WF840: unknown user, no password, or a wrong one (never said which)."""

    code = "WF840"
    status = 401


class BadFormToken(InboxError):
    """WF841: the form's security token is missing or not the session's."""

    code = "WF841"
    status = 403


class NotSignedIn(InboxError):
    """WF842: no session, or it has ended."""

    code = "WF842"
    status = 401


class LinkInvalid(InboxError):
    """WF843: a signed link that was altered, cut off or signed with another key."""

    code = "WF843"
    status = 403


class LinkExpired(InboxError):
    """WF844: a signed link past its lifetime."""

    code = "WF844"
    status = 410


class LinkUsed(InboxError):
    """WF845: a signed link used before."""

    code = "WF845"
    status = 410


class NotYours(InboxError):
    """WF846: another user's entry, or the administrator's page for someone else (answered as 404 for
    an entry, 403 for the page)."""

    code = "WF846"
    status = 404


class PasswordRefused(InboxError):
    """WF847: the password cannot be set."""

    code = "WF847"
    status = 422


class FormRefused(InboxError):
    """WF848: a form the inbox cannot take (no entry, unknown action, comment too long); ``reason``:
    the key of the words that say why on the page (``form.comment`` ...), with ``values``."""

    code = "WF848"
    status = 422

    def __init__(self, message: str, reason: str, **values: object) -> None:
        super().__init__(message)
        self.reason = reason
        self.values = values


class BadSettings(InboxError):
    """WF849: the inbox's settings (base URL, secret, lifetimes) are not usable."""

    code = "WF849"
    status = 500
