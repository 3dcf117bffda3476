"""WF840-WF849: the approver's inbox (`wf serve`'s web pages): signing in, sessions and their form
tokens, signed one-time links, passwords (`wf users set-password`) and the inbox's settings."""

from __future__ import annotations

from ..diagnostics import CodeInfo, Severity

E = Severity.ERROR

CODES: tuple[CodeInfo, ...] = (
    CodeInfo("WF840", E, "signing in failed: unknown user, no password set, or a wrong password"),
    CodeInfo("WF841", E, "the form's security token is missing or does not belong to this session"),
    CodeInfo("WF842", E, "not signed in, or the session has ended (signed out or expired)"),
    CodeInfo("WF843", E, "the signed link is not valid (altered, incomplete or signed with another key)"),
    CodeInfo("WF844", E, "the signed link has expired"),
    CodeInfo("WF845", E, "the signed link was used already (each link works once)"),
    CodeInfo("WF846", E, "the approval entry is not one of the user's (not theirs to see or act on)"),
    CodeInfo("WF847", E, "the password cannot be set (unknown user, too short, too long, or not confirmed)"),
    CodeInfo("WF848", E, "the form cannot be taken (no entry chosen, an unknown action, a comment too long)"),
    CodeInfo("WF849", E, "the inbox cannot start with these settings (base URL, secret, lifetimes)"),
)
