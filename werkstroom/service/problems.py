"""Errors as RFC 9457 problem details (``application/problem+json``), with the WF code.

Every refusal the API answers is a ``WerkstroomError`` (the engine's, or the service's own below,
WF800-WF816) turned into one JSON object: ``type`` (``/problems/WF804``, served by the app with the
code's explanation), ``title`` (the code's meaning), ``status``, ``detail`` (the message), ``instance``
(the request path), ``code``, and ``diagnostics`` (as `wf check --format json` prints them) when the
error carries any. ``STATUS`` is the one table from code to HTTP status; ``status_of`` reads it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..codes import CODES
from ..errors import DiagnosticsError, WerkstroomError
from ..render import render_json

PROBLEM_TYPE = "application/problem+json"

# code -> HTTP status: the one table. Codes not named here take their range's status (RANGE_STATUS).
STATUS: dict[str, int] = {
    # the service's own
    "WF800": 401, "WF801": 401, "WF802": 401, "WF803": 429, "WF804": 403, "WF805": 403, "WF806": 403,
    "WF807": 422, "WF808": 400, "WF809": 413, "WF810": 404, "WF811": 422, "WF812": 404, "WF813": 503,
    "WF814": 500, "WF815": 500, "WF816": 500,
    # webhooks (WF820-WF826; WF827 and WF828 are the worker's warnings, never an answer)
    "WF820": 422, "WF821": 422, "WF822": 404, "WF823": 404, "WF824": 409, "WF825": 422, "WF826": 422,
    # the engine's: lookups, conflicts with the store's state, sizes, the store itself
    "WF500": 500, "WF505": 500, "WF509": 404, "WF615": 404,
    "WF504": 409, "WF506": 409, "WF508": 409, "WF516": 409, "WF517": 409, "WF611": 409,
    "WF612": 403, "WF614": 403,
    "WF531": 413,
    "WF513": 503, "WF515": 503,
}
# the rest of a range: a script's or a value's problem (WF1xx-WF4xx diagnostics of a deployment,
# WF5xx values and workflows, WF6xx the organisation setup and approval rules, WF9xx libraries)
RANGE_STATUS = 422


def status_of(exc: WerkstroomError) -> int:
    """The HTTP status of ``exc``: ``STATUS`` by its code, else 422. A response that refused with a
    code of its own (WF505 with ``original_code``, e.g. WF602 no approver) answers that code's status;
    a response that broke (no code) is a 500."""
    code = exc.code
    original = getattr(exc, "original_code", None)
    if code == "WF505" and isinstance(original, str) and original != "WF500":
        code = original
    explicit = getattr(exc, "status", None)
    if isinstance(explicit, int):
        return explicit
    return STATUS.get(code, RANGE_STATUS if code[:3] in ("WF1", "WF2", "WF3", "WF4", "WF5", "WF6", "WF9")
                      else 500)


class ServiceError(WerkstroomError):
    """An error of the service itself (WF800-WF816). ``headers``: added to the response (e.g.
    ``Retry-After``, ``WWW-Authenticate``); ``status``: when it differs from the table's (405)."""

    code = "WF814"

    def __init__(self, message: str, *, headers: Mapping[str, str] | None = None,
                 status: int | None = None, extra: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.headers = dict(headers or {})
        self.status = status
        self.extra = dict(extra or {})


_BEARER = {"WWW-Authenticate": 'Bearer realm="werkstroom"'}


class NotAuthenticated(ServiceError):
    """WF800: no ``Authorization: Bearer`` token."""

    code = "WF800"

    def __init__(self, message: str) -> None:
        super().__init__(message, headers=_BEARER)


class InvalidToken(ServiceError):
    """WF801: a token that is malformed, unknown, or whose secret does not match."""

    code = "WF801"

    def __init__(self, message: str) -> None:
        super().__init__(message, headers={"WWW-Authenticate": 'Bearer realm="werkstroom", '
                                                               'error="invalid_token"'})


class RevokedToken(InvalidToken):
    """WF802: the token was revoked (`wf tokens revoke`)."""

    code = "WF802"


class TooManyFailures(ServiceError):
    """WF803: the client address had too many authentication failures; ``Retry-After`` says when."""

    code = "WF803"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after)})


class MissingScope(ServiceError):
    """WF804: the principal has not the scope the request needs."""

    code = "WF804"


class NotYours(ServiceError):
    """WF805: a user asked for another user's entries or a record they have no entry on."""

    code = "WF805"


class NeedsUser(ServiceError):
    """WF806: an approval action (or ``me``) asked for with a system's token."""

    code = "WF806"


class BadShape(ServiceError):
    """WF807: the request's fields, types or parameters are not what the route takes."""

    code = "WF807"


class UnreadableBody(ServiceError):
    """WF808: the body is not JSON, not UTF-8 text, or not TOML, as the route reads it."""

    code = "WF808"


class BodyTooLarge(ServiceError):
    """WF809: the body is larger than ``Settings.max_body_bytes``."""

    code = "WF809"


class NoRoute(ServiceError):
    """WF810: no route has this path (404), or it takes another method (405)."""

    code = "WF810"


class TokenRefused(ServiceError):
    """WF811: `wf tokens create` for an unknown user, a bad system name or bad scopes."""

    code = "WF811"


class NoSuchToken(ServiceError):
    """WF812: `wf tokens revoke` of a token or principal there is none of."""

    code = "WF812"


class NotReady(ServiceError):
    """WF813: the store cannot be reached (``/readyz``)."""

    code = "WF813"


class InternalError(ServiceError):
    """WF814: an unexpected exception; the log line with the request id has its traceback."""

    code = "WF814"


class CannotServe(ServiceError):
    """WF815: `wf serve` cannot listen on its host and port (in use, not this machine's, no right)."""

    code = "WF815"


def problem(exc: WerkstroomError, instance: str, *, request_id: str | None = None) -> dict[str, Any]:
    """The problem-details object of ``exc`` for the request path ``instance``."""
    info = CODES.get(exc.code)
    data: dict[str, Any] = {"type": f"/problems/{exc.code}", "title": info.title if info else exc.code,
                            "status": status_of(exc), "detail": exc.message, "instance": instance,
                            "code": exc.code}
    if isinstance(exc, DiagnosticsError) and exc.diagnostics:
        data["diagnostics"] = json.loads(render_json(exc.diagnostics))  # `wf check --format json`
    original = getattr(exc, "original_code", None)
    if exc.code == "WF505":
        data.update(cause_code=original, workflow=getattr(exc, "workflow", None),
                    step=getattr(exc, "step", None), response=getattr(exc, "response", None))
    if isinstance(exc, ServiceError):
        data.update(exc.extra)
    if request_id is not None:
        data["request_id"] = request_id
    return data


def headers_of(exc: WerkstroomError) -> dict[str, str]:
    return dict(exc.headers) if isinstance(exc, ServiceError) else {}


class ServerExtraMissing(ServiceError):
    """WF816: `wf serve` or `wf tokens` without the packages of the ``[server]`` extra."""

    code = "WF816"


def require_server_extra(error: ImportError) -> ServerExtraMissing:
    """The WF816 error for an ImportError of one of the ``[server]`` extra's packages."""
    return ServerExtraMissing(f"the service needs {error.name or 'a package'}, which is not installed; "
                              "install the server extra: pip install 'werkstroom[server]'")
