"""One BC workflow (``BcWorkflow``) as a .wf workflow (the AST the formatter prints).

The step tree is read from the Previous/Next step IDs: an event's responses form a chain (each the
previous step of the next), events under the last response of the chain wait for what happens next
(alternatives in Sequence No. order), and a Next Step ID becomes ``continue at`` a label on the target
response. Step IDs are not kept: the script's steps are numbered in their order, as the binder
numbers them. A tree the language cannot write (two responses under one step, events beside a
following response, a jump to an event) is refused with WF858, naming the step.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Protocol

from ...catalogue import dateformula
from ...catalogue.specs import EventSpec, FieldKind, OptionSpec, RecordSpec, ResponseSpec
from ...diagnostics import Diagnostic
from ...grammar import ast as A
from . import model as M
from .import_conditions import KEYWORDS, ConditionReader, Refused
from .model import BcStep, BcWorkflow, at, problem
from .phrases import response_line
from .xmlio import boolean_text

_NAME = re.compile(r"[^\W\d]\w*(?:[-/]\w+)*")


class CatalogueView(Protocol):
    def event(self, name: str) -> EventSpec | None: ...

    def response(self, name: str) -> ResponseSpec | None: ...

    def record(self, name: str) -> RecordSpec | None: ...


class WorkflowReader:
    """Reads one workflow; ``notes`` collects its warnings. ``workflow()`` raises ``Refused``."""

    def __init__(self, wf: BcWorkflow, catalogue: CatalogueView, path: str, notes: list[Diagnostic]) -> None:
        self.wf = wf
        self.cat = catalogue
        self.path = path
        self.notes = notes
        self.by_id = {s.id: s for s in wf.steps}
        self.children: dict[int, list[BcStep]] = {}
        for s in wf.steps:
            self.children.setdefault(s.previous, []).append(s)
        for kids in self.children.values():
            kids.sort(key=lambda s: (s.sequence_no, s.id))
        self.labels: dict[int, str] = {}

    def refuse(self, code: str, message: str, step: BcStep | None = None, help: str = "") -> Refused:
        ctx = M.where(self.wf.code, step.id if step else None)
        line = step.line if step else self.wf.line
        return Refused(problem(code, f"{ctx}: {message}", at(self.path, line), help=help))

    def warn(self, message: str, step: BcStep | None = None, help: str = "") -> None:
        ctx = M.where(self.wf.code, step.id if step else None)
        line = step.line if step else self.wf.line
        self.notes.append(problem("WF860", f"{ctx}: {message}", at(self.path, line), help=help, warning=True))

    # ------------------------------------------------------------------ the workflow

    def workflow(self) -> A.Workflow:
        wf = self.wf
        self.header()
        self.check_tree()
        self.name_labels()
        roots = self.children.get(0, [])
        for step in roots:
            if step.type != M.EVENT:
                raise self.refuse("WF858", "a response has no previous step; a workflow starts with an event",
                                  step)
        steps = tuple(self.event_step(s) for s in roots)
        desc = A.TextLit(wf.description) if wf.description else None
        category = A.Name(wf.category) if wf.category else None
        return A.Workflow(A.Name(wf.code), desc, category, steps)

    def header(self) -> None:
        wf = self.wf
        if not _NAME.fullmatch(wf.code) or wf.code.lower() in KEYWORDS or len(wf.code) > M.CODE_LENGTH:
            raise self.refuse("WF853", f"the code {wf.code!r} cannot be a .wf workflow code (a name of "
                              "letters, digits and _, starting with a letter; inner - or /; at most 20 "
                              "characters)",
                              help="change the code in BC (or in the file) before importing")
        if wf.category and (not _NAME.fullmatch(wf.category) or wf.category.lower() in KEYWORDS):
            raise self.refuse("WF853", f"the category {wf.category!r} cannot be written as a .wf category "
                              "code")
        if "\n" in wf.description or "\r" in wf.description:
            raise self.refuse("WF853", "the description has a line break, which a .wf description cannot "
                              "hold")
        if wf.category_description:
            self.warn(f"the description {wf.category_description!r} of category {wf.category} is left out: "
                      ".wf scripts name categories by code only")
        if wf.template != wf.code.upper().startswith("MS-"):
            self.warn("Werkstroom treats exactly the workflows whose code starts with MS- as templates; the "
                      f"file marks this one {'a template' if wf.template else 'not a template'}")
        if not wf.steps:
            raise self.refuse("WF858", "the workflow has no steps")

    def check_tree(self) -> None:
        for s in self.wf.steps:
            if s.previous and s.previous not in self.by_id:
                raise self.refuse("WF852", f"PreviousStepID {s.previous} is not a step of the workflow", s)
            if s.next and s.next not in self.by_id:
                raise self.refuse("WF852", f"NextStepID {s.next} is not a step of the workflow", s)
            if s.type == M.SUB_WORKFLOW:
                raise self.refuse("WF854", f"sub-workflow steps ({s.function}) are not supported: a .wf "
                                  "workflow cannot call another", s, "copy the called workflow's steps in")
        seen: set[int] = set()
        todo = [s.id for s in self.children.get(0, [])]
        while todo:
            sid = todo.pop()
            seen.add(sid)
            todo.extend(k.id for k in self.children.get(sid, []))
        lost = [s for s in self.wf.steps if s.id not in seen]
        if lost:
            raise self.refuse("WF852", "the step is not reachable from an entry step (its previous steps "
                              "form a loop)", lost[0])

    def name_labels(self) -> None:
        used: set[str] = set()
        for s in self.wf.steps:
            if not s.next or s.next in self.labels:
                continue
            target = self.by_id[s.next]
            if target.type != M.RESPONSE:
                raise self.refuse("WF858", f"the step jumps to step {target.id}, an event; `continue at` "
                                  "goes to a response", s)
            spec = self.cat.response(target.function)
            base = (spec.name if spec else "step").split("_")[0]
            label = base if base not in KEYWORDS else "step"
            n = 1
            while label.lower() in used:
                n += 1
                label = f"{base}_{n}"
            used.add(label.lower())
            self.labels[target.id] = label

    def projection(self) -> list[tuple[Any, ...]]:
        """The workflow as Werkstroom reads it, without the phrases that write it: per step in script
        order (type, function, parent's index, jump target's index, condition or option values). Two
        files with equal projections describe the same workflow."""
        order: list[BcStep] = []
        todo = list(reversed(self.children.get(0, [])))
        while todo:
            step = todo.pop()
            order.append(step)
            todo.extend(reversed(self.children.get(step.id, [])))
        index = {s.id: i for i, s in enumerate(order)}
        out: list[tuple[Any, ...]] = []
        for s in order:
            detail: Any
            if s.type == M.EVENT:
                ev = self.cat.event(s.function)
                record = self.cat.record(ev.record) if ev is not None else None
                assert record is not None
                reader = ConditionReader(record, self.cat.record, "", None, self.path, [])
                detail = reader.condition(s.argument, s.rules)
            else:
                spec = self.cat.response(s.function)
                assert spec is not None
                detail = _comparable(spec, self.options(spec, s, self.field_record(s)))
            out.append((s.type, s.function, index.get(s.previous), index.get(s.next), detail))
        return out

    # ------------------------------------------------------------------ steps

    def event_step(self, step: BcStep) -> A.Step:
        ev = self.cat.event(step.function)
        if ev is None or ev.bc_code.upper() != step.function:
            raise self.refuse("WF854", f"{step.function} is not an event of the catalogue", step,
                              "see `wf catalogue events`; a partner library may declare it")
        record = self.cat.record(ev.record)
        assert record is not None
        reader = ConditionReader(record, self.cat.record, M.where(self.wf.code, step.id),
                                 at(self.path, step.line), self.path, self.notes)
        condition = reader.condition(step.argument, step.rules)
        extra = sorted(k for k, v in (step.argument or {}).items() if k != "EventConditions" and v.strip())
        if extra:
            self.warn(f"the event's argument also holds {', '.join(extra)}, which BC uses only for "
                      "responses; left out", step)
        body: list[A.Response | A.Jump | A.Step] = []
        current = step
        while True:
            kids = self.children.get(current.id, [])
            responses = [k for k in kids if k.type == M.RESPONSE]
            events = [k for k in kids if k.type == M.EVENT]
            if len(responses) > 1:
                ids = ", ".join(str(r.id) for r in responses)
                raise self.refuse("WF858", f"steps {ids} are all responses after this step; a .wf response "
                                  "chain has one response after another",
                                  current, "BC runs only the first of them: delete the others in BC")
            if responses and events:
                raise self.refuse("WF858", f"event step {events[0].id} waits beside response step "
                                  f"{responses[0].id}; .wf steps wait after the last response of a chain",
                                  current)
            if current.next and (responses or events):
                raise self.refuse("WF858", "the step jumps on (NextStepID) but has steps after it; "
                                  "`continue at` ends a chain", current)
            if not responses:
                break
            current = responses[0]
            body.append(self.response(current, step))
        if current.next:
            body.append(A.Jump(A.Name(self.labels[current.next])))
        body.extend(self.event_step(e) for e in self.children.get(current.id, []) if e.type == M.EVENT)
        return A.Step(A.Name(ev.name), condition, tuple(body))

    def response(self, step: BcStep, event: BcStep) -> A.Response:
        spec = self.cat.response(step.function)
        if spec is None or spec.bc_code.upper() != step.function:
            raise self.refuse("WF854", f"{step.function} is not a response of the catalogue", step,
                              "see `wf catalogue responses`; a partner library may declare it")
        if step.rules:
            self.warn("the response step has workflow rules, which BC evaluates only on events; left out",
                      step)
        wanted = self.options(spec, step, self.field_record(step))
        line = response_line(spec, wanted, self.labels.get(step.id))
        if line is None:
            line = self.relaxed(spec, wanted, step)
        return line

    def relaxed(self, spec: ResponseSpec, wanted: dict[str, Any], step: BcStep) -> A.Response:
        """BC ignores the Approver Limit Type of a workflow user group: try the phrase with another."""
        kind_caption, group_value, limit_caption = M.HIDDEN_WHEN_GROUP
        kind = next((o for o in spec.options if o.bc_name == kind_caption), None)
        limit = next((o for o in spec.options if o.bc_name == limit_caption), None)
        grouped = kind is not None and wanted.get(kind.name) == group_value
        if grouped and limit is not None and limit.enum is not None:
            for value in limit.enum.values:
                line = response_line(spec, {**wanted, limit.name: value}, self.labels.get(step.id))
                if line is not None:
                    self.warn(f"the Approver Limit Type {wanted.get(limit.name)!r} is left out: BC ignores "
                              "it for a workflow user group", step)
                    return line
        shown = ", ".join(f"{k} = {v!r}" for k, v in wanted.items() if v not in (None, "", False))
        raise self.refuse("WF859", f"no phrase of `{spec.name}` writes these options ({shown})", step)

    def field_record(self, step: BcStep) -> RecordSpec | None:
        """The record a field option belongs to: the nearest record-change event's above, else the
        entry event's (as ``wf export bc`` writes it)."""
        cur: BcStep | None = step
        root: BcStep | None = None
        while cur is not None:
            if cur.type == M.EVENT:
                ev = self.cat.event(cur.function)
                if ev is not None and ev.record_change:
                    return self.cat.record(ev.record)
                root = cur
            cur = self.by_id.get(cur.previous)
        ev = self.cat.event(root.function) if root is not None else None
        return self.cat.record(ev.record) if ev is not None else None

    def options(self, spec: ResponseSpec, step: BcStep, record: RecordSpec | None) -> dict[str, Any]:
        arg = dict(step.argument or {})
        used = {"ResponseFunctionName", "ResponseOptionGroup"}
        wanted: dict[str, Any] = {}
        for opt in spec.options:
            if opt.bc_name == M.FIELD_OPTION_CAPTION:
                used |= {"TableNumber", "FieldNumber"}
                wanted[opt.name] = self.field_option(arg, record, step)
                continue
            field = M.BY_CAPTION.get(opt.bc_name)
            if field is None:
                continue
            used.add(field.attribute)
            wanted[opt.name] = self.argument_value(field, opt, arg.get(field.attribute), step)
        extra = sorted(k for k, v in arg.items() if k not in used and v.strip() not in ("", "0", "false"))
        if extra:
            self.warn(f"the argument's {', '.join(extra)} has no meaning for {step.function}; left out", step)
        return wanted

    def field_option(self, arg: Mapping[str, str], record: RecordSpec | None, step: BcStep) -> str | None:
        raw_field, raw_table = arg.get("FieldNumber", "").strip(), arg.get("TableNumber", "").strip()
        if raw_field in ("", "0"):
            return None
        if record is None or not raw_field.isdigit() or (raw_table and raw_table != str(record.table_id)):
            table = record.bc_name if record else "?"
            raise self.refuse("WF859", f"field {raw_field} of table {raw_table or '?'} is not a field of the "
                              f"changed record ({table})", step)
        for f in record.fields:
            if f.field_no == int(raw_field):
                return f.name
        raise self.refuse("WF856", f"field number {raw_field} of {record.bc_name} is not in the catalogue",
                          step)

    def argument_value(self, field: M.ArgumentField, opt: OptionSpec, raw: str | None, step: BcStep) -> Any:
        text = (raw or "").strip()
        problem_ = f"{field.attribute} {raw!r} is not a value of option `{opt.name}`"
        if field.form in ("ordinal", "name"):
            assert opt.enum is not None
            if not text:
                return opt.enum.values[0]
            if text.isdigit():
                if int(text) < len(opt.enum.values):
                    return opt.enum.values[int(text)]
            elif (found := opt.enum.lookup(text.replace("_x0020_", " "))) is not None:
                return found
            raise self.refuse("WF859", problem_, step, "values: " + ", ".join(opt.enum.values))
        if field.form == "boolean":
            flag = boolean_text(text)
            if flag is None:
                raise self.refuse("WF859", problem_, step, "write true or false")
            return flag
        if not text:
            return None
        if field.form == "integer":
            if not re.fullmatch(r"\d{1,9}", text):
                raise self.refuse("WF859", problem_, step, "a whole number is expected")
            return int(text) or None
        if field.form == "formula":
            try:
                return dateformula.parse(text).text
            except dateformula.DateFormulaError as exc:
                raise self.refuse("WF859", f"{problem_}: {exc.reason}", step) from None
        if "\n" in (raw or "") or "\r" in (raw or ""):
            raise self.refuse("WF859", f"{field.attribute} has a line break, which a .wf text cannot hold",
                              step)
        return text.upper() if opt.kind is FieldKind.CODE else (raw or "")


def _comparable(spec: ResponseSpec, options: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """Option values as compared: blanks as None, codes upper-cased, the Approver Limit Type left out
    where BC ignores it."""
    kind_caption, group_value, limit_caption = M.HIDDEN_WHEN_GROUP
    grouped = any(o.bc_name == kind_caption and options.get(o.name) == group_value for o in spec.options)
    out = []
    for o in spec.options:
        value = options.get(o.name)
        if value in ("", False) or (grouped and o.bc_name == limit_caption):
            value = None
        if isinstance(value, str) and o.kind in (FieldKind.CODE, FieldKind.FORMULA):
            value = value.upper()
        out.append((o.name, value))
    return tuple(out)
