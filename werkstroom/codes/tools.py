"""WF85x-WF88x: the consultants' tools (BC XML import and export WF850-WF869, version diff
WF870-WF879, language server WF880-WF884)."""

from __future__ import annotations

from ..diagnostics import CodeInfo, Severity

E = Severity.ERROR
W = Severity.WARNING

CODES: tuple[CodeInfo, ...] = (
    # `wf import bc` (reading BC's xmlport 1501 files)
    CodeInfo("WF850", E, "A BC XML file cannot be read: not well-formed XML, or too large."),
    CodeInfo("WF851", E, "A BC XML file declares a DTD or entities: refused as unsafe."),
    CodeInfo("WF852", E, "The XML is not BC's workflow export: an element or attribute is missing or wrong."),
    CodeInfo("WF853", E, "A workflow's code, description or category cannot be written in a .wf script."),
    CodeInfo("WF854", E, "A step's function name is not an event or response of the catalogue."),
    CodeInfo("WF855", E, "A step's event conditions cannot be read (base64, UTF-16, XML or view string)."),
    CodeInfo("WF856", E, "A condition or rule names a table or field number the catalogue does not know."),
    CodeInfo("WF857", E, "A BC filter cannot be written as a Werkstroom condition."),
    CodeInfo("WF858", E, "The BC step tree cannot be written as .wf steps."),
    CodeInfo("WF859", E, "A response's argument holds a value that cannot be written as its options."),
    CodeInfo("WF860", W, "Part of a BC workflow is left out on import: it has no effect in Werkstroom."),
    CodeInfo("WF861", W, "A BC text filter compares case-sensitively; Werkstroom's condition does not."),
    CodeInfo("WF862", E, "An imported workflow does not pass `wf check`; its script is written anyway."),
    CodeInfo("WF863", E, "An imported script would not bind to the BC workflow's steps; not written."),
    CodeInfo("WF864", E, "An output file cannot be written (it exists, or an I/O error)."),
    # `wf export bc` (writing BC's xmlport 1501 files)
    CodeInfo("WF865", E, "A step's event or response has no BC function code."),
    CodeInfo("WF866", E, "A condition cannot be written as BC event conditions and workflow rules."),
    CodeInfo("WF867", E, "A field or record type in a condition has no BC field or table number."),
    CodeInfo("WF868", E, "A response option cannot be written to BC's step argument."),
    CodeInfo("WF869", E, "A value is longer than BC's field for it allows."),
    # `wf diff`
    CodeInfo("WF870", E, "`wf diff` was called with arguments that do not name two versions to compare"),
    CodeInfo("WF871", E, "the workflow or version `wf diff` should compare is not in the store"),
    CodeInfo("WF872", E, "the workflow named with `wf diff --workflow` is in neither script"),
    CodeInfo("WF873", E, "a deployed version has no script text to replay a scenario on"),
    # the language server (`wf lsp`)
    CodeInfo("WF880", E, "`wf lsp` needs the `lsp` extra (pygls), which is not installed"),
)
