"""WF6xx: approval, delegation and notification refusals."""

from __future__ import annotations

from ..diagnostics import CodeInfo, Severity

E = Severity.ERROR
W = Severity.WARNING

CODES: tuple[CodeInfo, ...] = (
    CodeInfo("WF601", E, "a user does not exist in the approval user setup"),
    CodeInfo("WF602", E, "no approver is set up for the requesting user"),
    CodeInfo("WF603", E, "no qualified approver was found (the approver chain ends without one)"),
    CodeInfo("WF604", E, "the approver chain loops: no sufficient approver was found in it"),
    CodeInfo("WF605", E, "the workflow user group is unknown or has no members"),
    CodeInfo("WF606", E, "a workflow user group member does not exist in the approval user setup"),
    CodeInfo("WF607", E, "the document has no salesperson/purchaser code"),
    CodeInfo("WF608", E, "no approval user is linked to the document's salesperson/purchaser code"),
    CodeInfo("WF609", E, "the specific approver is missing or not in the approval user setup"),
    CodeInfo("WF610", E, "no approval requests exist for the record"),
    CodeInfo("WF611", E, "only open approval requests can be approved, rejected, delegated or canceled"),
    CodeInfo("WF612", E, "the user may not act on this approval request"),
    CodeInfo("WF613", E, "there is no substitute, approver or approval administrator to delegate to"),
    CodeInfo("WF614", E, "self-approval is refused (segregation of duties)"),
    CodeInfo("WF615", E, "the approval entry does not exist"),
    CodeInfo("WF616", E, "the organisation setup file is invalid"),
    CodeInfo("WF617", E, "more than one approval administrator is set up"),
    CodeInfo("WF618", E, "invalid date formula (or a negative due-date / delegation formula)"),
    CodeInfo("WF619", E, "invalid quorum for an approval tier"),
    CodeInfo("WF620", E, "unknown placeholder in a notification message"),
    CodeInfo("WF621", W, "a notification could not be delivered (kept and retried later)"),
    CodeInfo("WF622", E, "invalid notification setup or schedule"),
    CodeInfo("WF623", E, "unknown approver type or approver limit type"),
    CodeInfo("WF624", E, "an SMTP credential environment variable is not set"),
)
