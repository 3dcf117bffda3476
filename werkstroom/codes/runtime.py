"""WF5xx: errors raised while the engine runs (payloads, lifecycle, idempotency)."""

from __future__ import annotations

from ..diagnostics import CodeInfo, Severity

E = Severity.ERROR
W = Severity.WARNING

CODES: tuple[CodeInfo, ...] = (
    CodeInfo("WF500", E, "an error was raised without its own code (a bare WerkstroomError)"),
    CodeInfo("WF501", E, "a condition is too large or too deeply nested to compile"),
    CodeInfo("WF502", E, "a record payload does not fit its record type"),
    CodeInfo("WF503", E, "the event is not in the catalogue"),
    CodeInfo("WF504", E, "an idempotency key was reused with a different payload"),
    CodeInfo("WF505", E, "a response failed; the whole event was rolled back"),
    CodeInfo("WF506", E, "the workflow cannot be changed in its current state"),
    CodeInfo("WF507", E, "enabling the workflow was refused by the enable checks"),
    CodeInfo("WF508", E, "a recorded field change cannot be applied: the field was changed since"),
    CodeInfo("WF509", E, "no such workflow, template, instance, record or catalogue entry"),
    CodeInfo("WF510", E, "an event chain did not settle (too many events raised by responses)"),
    CodeInfo("WF511", E, "the simulation scenario file is invalid"),
    CodeInfo("WF512", E, "a workflow step uses a response the catalogue does not know"),
    CodeInfo("WF513", E, "the database was written by a newer Werkstroom (schema version too high)"),
    CodeInfo("WF514", E, "an approval event does not name a known running workflow instance"),
    CodeInfo("WF515", E, "the database cannot be opened (bad URL, missing driver or folder, server down)"),
    CodeInfo("WF516", E, "the record is already in the workflow this event starts (no second start)"),
    CodeInfo("WF517", E, "nothing waits for the cancel: the approval request cannot be canceled"),
    CodeInfo("WF530", E, "a value given to the engine does not fit its field (type, length, NUL, Unicode)"),
    CodeInfo("WF531", E, "an event's record or a comment is larger than its size limit"),
    CodeInfo("WF532", E, "a list's limit, offset or after is not a whole number in its range"),
    CodeInfo("WF533", E, "an approval entry status to list by is not one of the five statuses"),
    CodeInfo("WF534", E, "the organisation setup is neither a mapping nor the path of a TOML file"),
)
