"""WF9xx: catalogue and library registration errors (stdlib and partner libraries)."""

from __future__ import annotations

from ..diagnostics import CodeInfo, Severity

E = Severity.ERROR
W = Severity.WARNING

CODES: tuple[CodeInfo, ...] = (
    CodeInfo("WF901", E, "A library declares a name that is already declared."),
    CodeInfo("WF902", E, "An alias or BC code clashes with a name or alias already declared."),
    CodeInfo("WF903", E, "An entry refers to a record type that is not declared."),
    CodeInfo("WF904", E, "An entry refers to an event that is not declared."),
    CodeInfo("WF905", E, "An option or field has no value kind, or an enum kind without its enum."),
    CodeInfo("WF906", E, "A response behaviour is not a callable taking exactly one positional argument."),
    CodeInfo("WF907", E, "A phrase pattern names an option the response does not have."),
    CodeInfo("WF908", E, "Two phrase patterns can match the same phrase."),
    CodeInfo("WF909", E, "A partner library could not be loaded from its entry point."),
    CodeInfo("WF910", E, "A phrase pattern is malformed."),
    CodeInfo("WF911", E, "A record type's key or relation names a field it does not have."),
    CodeInfo("WF912", E, "A stdlib response ran on a record type it does not support."),
    CodeInfo("WF913", E, "A stdlib response's precondition on the record does not hold."),
    CodeInfo("WF914", E, "A declared name cannot be written in a script."),
    CodeInfo("WF915", E, "A library lets a response follow an event, but no such response is declared."),
    CodeInfo("WF916", E, "A declaration holds the wrong type of value (a name where a tuple is expected)."),
    CodeInfo("WF917", E, "A partner step module cannot be loaded, or declares a step twice."),
    CodeInfo("WF918", E, "A response's mandatory check raised, or returned neither a message nor None."),
    CodeInfo("WF919", E, "A library's template does not check."),
)
