"""BC XML files to ``BcWorkflow`` values and back.

Reading uses defusedxml: a file that declares a DTD (and so any entity: the "billion laughs"
expansion, an external entity that would read a local file or a URL) is refused with WF851 before
anything is expanded. Writing uses the standard library's ElementTree (UTF-8, indented, the
attributes in the xmlport's order, blank values left out as BC leaves them out).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from xml.etree import ElementTree as ET

import defusedxml.ElementTree as DET
from defusedxml.common import DefusedXmlException

from ...diagnostics import Diagnostic
from . import model as M
from .model import BcRule, BcStep, BcWorkflow, at, problem

MAX_XML_BYTES = 16 * 1024 * 1024
"""Files larger than this (16 MiB, far beyond any exported workflow set) are refused with WF850."""

_INT = re.compile(r"[+-]?\d{1,9}")
_TRUE = {"1", "true", "yes"}
_FALSE = {"0", "false", "no", ""}


def read_xml(data: bytes, path: str) -> tuple[list[BcWorkflow], list[Diagnostic]]:
    """The workflows of a BC export; a file that cannot be read gives one diagnostic and no workflows."""
    if len(data) > MAX_XML_BYTES:
        return [], [problem("WF850", f"`{path}` has {len(data):,} bytes; at most {MAX_XML_BYTES:,} are read")]
    root, lines, err = parse_safely(data, path)
    if err is not None:
        return [], [err]
    assert root is not None
    reader = _Reader(path, lines)
    return reader.workflows(root), reader.diags


def parse_safely(data: bytes | str, path: str, what: str = "",
                 code: str = "WF850") -> tuple[ET.Element | None, dict[int, int], Diagnostic | None]:
    """Parse XML from outside: (root, line of each element by id, None) or (None, {}, the diagnostic).
    ``what`` names the text in messages (default: the file); ``code`` is the code of XML that is not
    well-formed (unsafe XML is always WF851)."""
    name = what or f"`{path}`"
    builder = _LineBuilder()
    parser = DET.XMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as exc:
        return None, {}, problem("WF851", f"{name} declares a DTD or entities, which BC's exports never do: "
                                 f"refused ({type(exc).__name__})",
                                 help="export the workflow from BC again; never import a file that was "
                                      "edited to add a <!DOCTYPE>")
    except ET.ParseError as exc:
        line, col = getattr(exc, "position", (0, 0))
        return None, {}, problem(code, f"{name} is not well-formed XML: {_reason(exc)}",
                                 at(path, line) if code == "WF850" else None,
                                 notes=(f"line {line}, column {col + 1}",) if line else ())
    except (ValueError, LookupError) as exc:  # an unknown encoding, or text that is not in it
        return None, {}, problem(code, f"{name} cannot be decoded: {exc}")
    return root, builder.lines, None


def _reason(exc: ET.ParseError) -> str:
    return re.sub(r":\s*line \d+, column \d+$", "", str(exc))


class _LineBuilder(ET.TreeBuilder):
    """A tree builder that notes the line each element starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.parser: Any = None

    def start(self, tag: Any, attrs: Any) -> ET.Element:
        element = super().start(tag, attrs)
        expat = getattr(self.parser, "parser", None)
        self.lines[id(element)] = int(getattr(expat, "CurrentLineNumber", 0))
        return element


class _Reader:
    def __init__(self, path: str, lines: Mapping[int, int]) -> None:
        self.path = path
        self.lines = lines
        self.diags: list[Diagnostic] = []

    def line(self, el: ET.Element) -> int:
        return self.lines.get(id(el), 0)

    def bad(self, el: ET.Element, message: str, help: str = "") -> None:
        self.diags.append(problem("WF852", message, at(self.path, self.line(el)),
                                  help=help or "export the workflow from BC again (Workflows page, "
                                               "Export to File)"))

    def workflows(self, root: ET.Element) -> list[BcWorkflow]:
        if root.tag != M.ROOT:
            self.bad(root, f"the root element is <{root.tag}>; BC's workflow export has <{M.ROOT}>")
            return []
        out: list[BcWorkflow] = []
        seen: set[str] = set()
        for el in root:
            if el.tag != M.WORKFLOW:
                self.bad(el, f"<{el.tag}> under <{M.ROOT}>: BC's export has only <{M.WORKFLOW}> elements "
                             "there")
                continue
            wf = self.workflow(el)
            if wf is None:
                continue
            if wf.code in seen:
                self.bad(el, f"workflow {wf.code} appears twice in the file")
                continue
            seen.add(wf.code)
            out.append(wf)
        if not out and not self.diags:
            self.bad(root, f"the file has no <{M.WORKFLOW}> element")
        return out

    def errors(self) -> int:
        return sum(1 for d in self.diags if d.is_error)

    def workflow(self, el: ET.Element) -> BcWorkflow | None:
        """The workflow, or None when any part of it is malformed (each part reported)."""
        before = self.errors()
        code = el.get("Code", "").strip()
        if not code:
            self.bad(el, "a workflow has no Code (BC refuses such a file too)",
                     "give every <Workflow> a Code attribute")
            return None
        self._unknown(el, {"Code", "Description", "Template", "Category"}, M.where(code))
        steps: list[BcStep] = []
        ids: set[int] = set()
        category_description: str | None = None
        for child in el:
            if child.tag == M.STEP:
                step = self.step(child, code)
                if step is not None and step.id in ids:
                    self.bad(child, f"{M.where(code)}: step ID {step.id} is used twice")
                elif step is not None:
                    ids.add(step.id)
                    steps.append(step)
            elif child.tag == M.CATEGORY:
                category_description = child.get("CategoryDescription", "")
            else:
                self.bad(child, f"{M.where(code)}: unexpected <{child.tag}>")
        template = self.flag(el, "Template", M.where(code))
        if self.errors() > before:
            return None
        return BcWorkflow(code, el.get("Description", ""), el.get("Category", "").strip(), tuple(steps),
                          bool(template), category_description, self.line(el))

    def step(self, el: ET.Element, code: str) -> BcStep | None:
        before = self.errors()
        ctx = M.where(code)
        step_id = self.integer(el, "StepID", ctx, required=True)
        if step_id is None:
            return None
        ctx = M.where(code, step_id)
        kind = self.integer(el, "Type", ctx, required=True)
        function = el.get("FunctionName", "").strip().upper()
        if kind is not None and kind not in (M.EVENT, M.RESPONSE, M.SUB_WORKFLOW):
            self.bad(el, f"{ctx}: Type {kind} is not 0 (event), 1 (response) or 2 (sub-workflow)")
            kind = None
        if not function:
            self.bad(el, f"{ctx}: the step has no FunctionName")
        self._unknown(el, {"StepID", "StepDescription", "EntryPoint", "PreviousStepID", "NextStepID", "Type",
                           "FunctionName", "SequenceNo"}, ctx)
        numbers = [self.integer(el, a, ctx) for a in ("PreviousStepID", "NextStepID", "SequenceNo")]
        entry = self.flag(el, "EntryPoint", ctx)
        argument: dict[str, str] | None = None
        rules: list[BcRule] = []
        for child in el:
            if child.tag == M.ARGUMENT and argument is None:
                argument = dict(child.attrib)
            elif child.tag == M.RULE:
                rule = self.rule(child, ctx)
                if rule is not None:
                    rules.append(rule)
            else:
                self.bad(child, f"{ctx}: unexpected <{child.tag}>" + (" (a second argument)"
                                                                     if child.tag == M.ARGUMENT else ""))
        if self.errors() > before or kind is None or entry is None:
            return None
        previous, nxt, seq = (n or 0 for n in numbers)
        return BcStep(step_id, kind, function, previous, nxt, entry, seq, el.get("StepDescription", ""),
                      argument, tuple(rules), self.line(el))

    def rule(self, el: ET.Element, ctx: str) -> BcRule | None:
        values = [self.integer(el, a, ctx, required=a != "Operator")
                  for a in ("RuleID", "RuleTableNumber", "RuleFieldNumber", "Operator")]
        self._unknown(el, {"RuleID", "RuleTableNumber", "RuleFieldNumber", "Operator"}, ctx)
        rule_id, table_no, field_no, operator = values
        if rule_id is None or table_no is None or field_no is None:
            return None
        if operator not in (None, 0, 1, 2):
            self.bad(el, f"{ctx}: a workflow rule's Operator {operator} is not 0 (Increased), 1 (Decreased) "
                         "or 2 (Changed)")
            return None
        return BcRule(rule_id, table_no, field_no, operator or 0)

    def integer(self, el: ET.Element, name: str, ctx: str, required: bool = False) -> int | None:
        raw = el.get(name)
        if raw is None or raw.strip() == "":
            if required:
                self.bad(el, f"{ctx}: <{el.tag}> has no {name}")
            return None
        if not _INT.fullmatch(raw.strip()):
            self.bad(el, f"{ctx}: {name} is {raw!r}, not a whole number")
            return None
        return int(raw.strip())

    def flag(self, el: ET.Element, name: str, ctx: str) -> bool | None:
        raw = el.get(name, "").strip().lower()
        if raw in _TRUE or raw in _FALSE:
            return raw in _TRUE
        self.bad(el, f"{ctx}: {name} is {el.get(name)!r}, not 1/0 or true/false")
        return None

    def _unknown(self, el: ET.Element, known: set[str], ctx: str) -> None:
        extra = sorted(set(el.attrib) - known)
        if extra:
            self.diags.append(problem(
                "WF860", f"{ctx}: <{el.tag}> attribute {', '.join(extra)} is not part of BC's export; left "
                "out",
                at(self.path, self.line(el)), warning=True))


def boolean_text(raw: str) -> bool | None:
    """An argument's boolean as BC writes it (true/false; 1/0 and yes/no accepted), else None."""
    w = raw.strip().lower()
    return True if w in _TRUE else False if w in _FALSE else None


# --------------------------------------------------------------------------- writing


def write_xml(workflows: list[BcWorkflow]) -> bytes:
    """The workflows as BC's export file (UTF-8)."""
    root = ET.Element(M.ROOT)
    for wf in workflows:
        attrs = {"Code": wf.code}
        if wf.description:
            attrs["Description"] = wf.description
        if wf.template:
            attrs["Template"] = "true"
        attrs["Category"] = wf.category
        w_el = ET.SubElement(root, M.WORKFLOW, attrs)
        for step in wf.steps:
            _write_step(w_el, step)
    ET.indent(root, "  ")
    text = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    return text.encode("utf-8")


def _write_step(parent: ET.Element, step: BcStep) -> None:
    attrs: dict[str, str] = {"StepID": str(step.id)}
    if step.description:
        attrs["StepDescription"] = step.description
    if step.entry_point:
        attrs["EntryPoint"] = "1"
    attrs["PreviousStepID"] = str(step.previous)
    if step.next:
        attrs["NextStepID"] = str(step.next)
    attrs["Type"] = str(step.type)
    attrs["FunctionName"] = step.function
    if step.sequence_no:
        attrs["SequenceNo"] = str(step.sequence_no)
    s_el = ET.SubElement(parent, M.STEP, attrs)
    if step.argument is not None:
        ET.SubElement(s_el, M.ARGUMENT, {a: step.argument[a] for a in sorted(step.argument, key=_order)})
    for rule in step.rules:
        ET.SubElement(s_el, M.RULE, {"RuleID": str(rule.id), "RuleTableNumber": str(rule.table_no),
                                     "RuleFieldNumber": str(rule.field_no), "Operator": str(rule.operator)})


def _order(attribute: str) -> int:
    known = M.ATTRIBUTE_ORDER
    return known.index(attribute) if attribute in known else len(known)
