"""WF85x-WF88x: the consultants' tools (version diff WF870-WF879)."""

from __future__ import annotations

from ..diagnostics import CodeInfo, Severity

E = Severity.ERROR

CODES: tuple[CodeInfo, ...] = (
    CodeInfo("WF870", E, "`wf diff` was called with arguments that do not name two versions to compare"),
    CodeInfo("WF871", E, "the workflow or version `wf diff` should compare is not in the store"),
    CodeInfo("WF872", E, "the workflow named with `wf diff --workflow` is in neither script"),
    CodeInfo("WF873", E, "a deployed version has no script text to replay a scenario on"),
)
