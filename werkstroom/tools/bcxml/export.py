"""Bound workflows to BC's workflow export (``wf export bc``).

Each step keeps its id, parent (PreviousStepID, 0 for an entry point), jump (NextStepID), sequence
number and entry-point flag; events and responses are written by their BC function codes. An event
step's condition becomes its argument's EventConditions and its workflow rules; a response's options
become its argument's fields by their BC captions (``OptionSpec.bc_name``). Whatever BC's format
cannot hold is reported (WF865-WF869) with the place in the script, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import attrs

from ...binding.program import BoundStep, BoundWorkflow
from ...catalogue.specs import EventSpec, OptionSpec, RecordSpec, ResponseSpec
from ...diagnostics import Diagnostic
from ...source import Span
from . import model as M
from .export_conditions import Unsupported, export_condition
from .filters import encode_conditions
from .model import BcRule, BcStep, BcWorkflow, problem


class CatalogueView(Protocol):
    def event(self, name: str) -> EventSpec | None: ...

    def response(self, name: str) -> ResponseSpec | None: ...

    def record(self, name: str) -> RecordSpec | None: ...


@attrs.frozen
class ExportResult:
    """``workflows``: BC's form of every workflow that could be written; ``diagnostics``: why the others
    could not."""

    workflows: tuple[BcWorkflow, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)


def export_workflows(workflows: Sequence[BoundWorkflow], catalogue: CatalogueView) -> ExportResult:
    out: list[BcWorkflow] = []
    diags: list[Diagnostic] = []
    for wf in workflows:
        found: list[Diagnostic] = []
        bc = _Exporter(wf, catalogue, found).workflow()
        diags.extend(found)
        if not any(d.is_error for d in found):
            out.append(bc)
    return ExportResult(tuple(out), tuple(diags))


class _Exporter:
    def __init__(self, wf: BoundWorkflow, catalogue: CatalogueView, diags: list[Diagnostic]) -> None:
        self.wf = wf
        self.cat = catalogue
        self.diags = diags
        self.rule_ids = 0

    def fail(self, code: str, message: str, span: Span | None, help: str = "") -> None:
        self.diags.append(problem(code, f"{M.where(self.wf.code)}: {message}", span, help=help))

    def workflow(self) -> BcWorkflow:
        wf = self.wf
        if len(wf.description) > M.DESCRIPTION_LENGTH:
            self.fail("WF869", f"the description has {len(wf.description)} characters; BC's Workflow "
                      f"Description holds {M.DESCRIPTION_LENGTH}", wf.span, "shorten it")
        if len(wf.category) > M.CODE_LENGTH:
            self.fail("WF869", f"category {wf.category} has more than {M.CODE_LENGTH} characters", wf.span)
        steps = [self.step(s) for s in wf.steps]
        return BcWorkflow(wf.code, wf.description, wf.category, tuple(s for s in steps if s is not None),
                          wf.template)

    def step(self, s: BoundStep) -> BcStep | None:
        if s.kind == "event":
            ev = self.cat.event(s.name)
            assert ev is not None, s.name
            if not self._has_code(ev.bc_code, f"event {ev.name}", s):
                return None
            argument, rules = self.conditions(s, ev)
            return BcStep(s.id, M.EVENT, ev.bc_code, s.parent or 0, s.next_step or 0, s.entry_point,
                          s.sequence_no, argument=argument, rules=rules)
        resp = self.cat.response(s.name)
        assert resp is not None, s.name
        if not self._has_code(resp.bc_code, f"response `{resp.name}`", s):
            return None
        try:
            argument = response_argument(resp, s.options, self.field_record(s))
        except Unsupported as exc:
            self.fail(exc.code, f"step {s.id}: {exc.message}", s.span, exc.help)
            return None
        return BcStep(s.id, M.RESPONSE, resp.bc_code, s.parent or 0, s.next_step or 0, False, s.sequence_no,
                      argument=argument)

    def _has_code(self, code: str, what: str, s: BoundStep) -> bool:
        if code:
            return True
        help = ("write BC's two responses instead: `create approval requests for ...` then "
                "`send approval requests`" if s.name == "request_approval" else
                "give its declaration a bc_code, or keep this workflow in Werkstroom")
        self.fail("WF865", f"step {s.id}: {what} is Werkstroom's own and has no BC function code", s.span,
                  help)
        return False

    def conditions(self, s: BoundStep, ev: EventSpec) -> tuple[dict[str, str] | None, tuple[BcRule, ...]]:
        record = self.cat.record(ev.record)
        assert record is not None, ev.record
        try:
            exported = export_condition(s.condition, record, self.cat.record)
        except Unsupported as exc:
            self.fail(exc.code, f"step {s.id}: {exc.message}", exc.span or s.span, exc.help)
            return None, ()
        rules = []
        for table_no, field_no, operator in exported.rules:
            self.rule_ids += 1
            rules.append(BcRule(self.rule_ids, table_no, field_no, operator))
        argument = {"EventConditions": encode_conditions(exported.items)} if exported.items else None
        return argument, tuple(rules)

    def field_record(self, s: BoundStep) -> RecordSpec | None:
        """The record a response's field option belongs to: the nearest record-change event's above
        it, else the entry point's."""
        step: BoundStep | None = s
        root: BoundStep | None = None
        while step is not None:
            if step.kind == "event":
                ev = self.cat.event(step.name)
                if ev is not None and ev.record_change:
                    return self.cat.record(ev.record)
                root = step
            step = self.wf.step(step.parent) if step.parent else None
        return self.cat.record(root.record_type) if root is not None else None


def response_argument(resp: ResponseSpec, options: Mapping[str, Any],
                      record: RecordSpec | None) -> dict[str, str]:
    """A response's argument attributes: ResponseFunctionName and every option that is not BC's blank."""
    arg = {"ResponseFunctionName": resp.bc_code}
    for opt in resp.options:
        value = options.get(opt.name)
        if opt.bc_name == M.FIELD_OPTION_CAPTION:
            if value:
                arg.update(_field_number(str(value), record, opt))
            continue
        field = M.BY_CAPTION.get(opt.bc_name)
        if field is None:
            if value != opt.default:
                whose = (f"BC's {opt.bc_name} is not in BC's export file" if opt.bc_name
                         else "is Werkstroom's own; BC's step argument has no field for it")
                raise Unsupported("WF868", f"option `{opt.name}` of `{resp.name}` {whose}", None,
                                  "leave the option out, or keep this workflow in Werkstroom")
            continue
        text = argument_text(field, opt, value)
        if text is None:
            continue
        if field.length is not None and len(text) > field.length:
            raise Unsupported("WF869", f"option `{opt.name}` has {len(text)} characters; BC's "
                              f"{field.caption} holds {field.length}", None, "shorten it")
        arg[field.attribute] = text
    return arg


def argument_text(field: M.ArgumentField, opt: OptionSpec, value: Any) -> str | None:
    """``value`` as the xmlport writes ``field``; None for BC's blank (left out of the file)."""
    if value is None or value == "" or value is False:
        return None
    if field.form in ("ordinal", "name"):
        assert opt.enum is not None and isinstance(value, str)
        index = opt.enum.values.index(value)
        if index == 0:
            return None
        return str(index) if field.form == "ordinal" else value
    if field.form == "boolean":
        return "true"
    if field.form == "integer":
        return str(value) if value else None
    return str(value)


def _field_number(name: str, record: RecordSpec | None, opt: OptionSpec) -> dict[str, str]:
    fld = record.field(name) if record is not None else None
    if record is None or fld is None:
        raise Unsupported("WF867", f"field `{name}` of option `{opt.name}` is not a field of the changed "
                          "record", None)
    if not record.table_id or not fld.field_no:
        raise Unsupported("WF867", f"field `{name}` of {record.name} has no BC table or field number in the "
                          "catalogue", None,
                          "declare it with FieldSpec(field_no=...) when you know BC's number")
    return {"TableNumber": str(record.table_id), "FieldNumber": str(fld.field_no)}
