"""WF7xx: mistakes in a behaviour spec (.feature files run by the Gherkin step library)."""

from __future__ import annotations

from ..diagnostics import CodeInfo, Severity

E = Severity.ERROR

CODES: tuple[CodeInfo, ...] = (
    CodeInfo("WF701", E, "a Gherkin step matches no step of the step library"),
    CodeInfo("WF702", E, "a .feature file is not valid Gherkin"),
    CodeInfo("WF703", E, "a step's words, table or value cannot be understood"),
)
