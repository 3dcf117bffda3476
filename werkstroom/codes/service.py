"""WF8xx: the service (`wf serve`, its HTTP API, API tokens): authentication, authorization and
requests the API cannot take. WF800-WF819 belong to the API and the tokens."""

from __future__ import annotations

from ..diagnostics import CodeInfo, Severity

E = Severity.ERROR

CODES: tuple[CodeInfo, ...] = (
    CodeInfo("WF800", E, "the request carries no API token (Authorization: Bearer ...)"),
    CodeInfo("WF801", E, "the API token is not valid (malformed, unknown or a wrong secret)"),
    CodeInfo("WF802", E, "the API token was revoked"),
    CodeInfo("WF803", E, "too many authentication failures from this client address; retry later"),
    CodeInfo("WF804", E, "the token's principal lacks the scope this request needs"),
    CodeInfo("WF805", E, "a user may only see and act on their own approval entries and records"),
    CodeInfo("WF806", E, "an approval action or `me` needs a user's token, not a system's"),
    CodeInfo("WF807", E, "the request does not have the expected shape (fields, types, parameters)"),
    CodeInfo("WF808", E, "the request body cannot be read (not JSON, not UTF-8 text, not TOML)"),
    CodeInfo("WF809", E, "the request body is larger than the service accepts"),
    CodeInfo("WF810", E, "there is no such API route, or it does not take this method"),
    CodeInfo("WF811", E, "a token cannot be created for this principal (unknown user, bad name or scope)"),
    CodeInfo("WF812", E, "there is no such API token (or principal with tokens) to revoke"),
    CodeInfo("WF813", E, "the service is not ready: its database cannot be reached"),
    CodeInfo("WF814", E, "the service failed unexpectedly (an internal error; the log has the details)"),
    CodeInfo("WF815", E, "`wf serve` cannot listen on the host and port it was given"),
    CodeInfo("WF816", E, "the service's packages are not installed (pip install 'werkstroom[server]')"),
)
