"""WF1xx: syntax errors found while reading a .wf file."""

from __future__ import annotations

from ..diagnostics import CodeInfo, Severity

E = Severity.ERROR
W = Severity.WARNING

CODES: tuple[CodeInfo, ...] = (
    CodeInfo("WF100", E, "The file cannot be read (missing, a directory, or an I/O error)."),
    CodeInfo("WF101", E, "The file is not UTF-8 text (binary data or another encoding)."),
    CodeInfo("WF102", E, "A character that is not part of the language."),
    CodeInfo("WF103", E, "A step is missing `then` (or `when`) after its event or condition."),
    CodeInfo("WF104", E, "A `(` or `[` is never closed."),
    CodeInfo("WF105", E, "A text literal is not closed with `\"` on the same line."),
    CodeInfo("WF106", E, "A line's indentation does not match any enclosing block."),
    CodeInfo("WF107", E, "A line is indented where no indented block may start."),
    CodeInfo("WF108", E, "The script is nested more deeply than the documented limit."),
    CodeInfo("WF109", E, "Something else was expected here (a general syntax error)."),
    CodeInfo("WF110", E, "The file ends in the middle of a construct."),
    CodeInfo("WF111", E, "A literal that looks like a date or number but is not a valid one."),
    CodeInfo("WF112", E, "The file is larger than the documented size limit."),
    CodeInfo("WF113", W, "The file holds no workflow and no step."),
    CodeInfo("WF114", E, "A step's `then` is followed by neither a response nor an indented block."),
    CodeInfo("WF115", E, "A file cannot be written (`wf fmt`, `wf templates copy`)."),
)
