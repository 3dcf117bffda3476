"""BC's enable-time checks: what Business Central verifies when a workflow's Enabled switch is set.

``enable_checks(workflow, enabled, catalogue)`` returns the diagnostics that would refuse enabling
``workflow`` while the workflows in ``enabled`` are already enabled (a workflow with the same code
in ``enabled`` is the one being re-enabled and is skipped). The ten checks, in BC's order:

1. the entry point is recomputed: the step without a previous step (structural here: ``entry_point``
   is set by the binder for exactly the steps without a parent);
2. entry points must be events (WF418);
3. exactly one entry-point root step (WF411);
4. no orphans: every previous step exists (WF417);
5. every step has a function name, and the name is in the catalogue (WF416);
6. referenced sub-workflows must be enabled: the language has no sub-workflow steps, so there is
   nothing to refuse;
7. every response has its mandatory options (WF412);
8. entry-point uniqueness: another entry point on the same event and table (this workflow or an
   enabled one) must have different conditions; a step without conditions conflicts with every
   other (WF413). Like BC this compares the conditions as filters (layout and the order of
   ``and``-ed tests do not matter); ``overlap.py`` goes further and compares meaning;
9. an event and the next events in its subtree are on the same table or on related tables (WF414);
10. ``revert value for field`` and ``apply new values`` appear together (WF415).

Templates are refused first (WF410), as BC does. Checks 2 to 10 still run, so one enable attempt
lists everything to fix.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from ..catalogue.specs import MANDATORY_HELP, RecordSpec, mandatory_fix, run_mandatory
from ..codes import binding as c
from ..diagnostics import Diagnostic, Label, Severity
from .binder import CatalogueView, library_of
from .program import BAnd, BCompare, BConst, BExpr, BNot, BOr, BoundStep, BoundWorkflow

_APPROVAL_LINK_RECORDS = frozenset({"ApprovalEntry", "WorkflowWebhookEntry"})
"""Record types linked to any record by its record id (BC's approval and webhook table relations)."""

STANDARD_TABLE_RELATIONS: frozenset[frozenset[str]] = frozenset({
    # set up by BC's Workflow Setup for its templates (Workflow - Table Relation rows)
    frozenset({"PurchaseHeader", "PurchInvHeader"}),
    frozenset({"PurchInvHeader", "GenJournalLine"}),
    frozenset({"IncomingDocument", "PurchaseHeader"}),
    frozenset({"IncomingDocument", "GenJournalLine"}),
    frozenset({"IncomingDocument", "ApprovalEntry"}),
})

REVERT_CODE = "REVERTVALUEFORFIELD"
APPLY_CODE = "APPLYNEWVALUES"


def _canonical(e: BExpr | None) -> str:
    """A text for a condition that ignores layout and the order of ``and``/``or`` operands, the way
    BC's stored filters do not depend on the order the fields were filled in."""
    if e is None:
        return ""
    if isinstance(e, BAnd | BOr):
        parts = sorted({_canonical(o) for o in e.operands})
        return f"{type(e).__name__}({', '.join(parts)})"
    if isinstance(e, BNot):
        return f"BNot({_canonical(e.operand)})"
    if isinstance(e, BCompare):
        return f"({_canonical(e.left)} {e.op} {_canonical(e.right)})"
    if isinstance(e, BConst) and isinstance(e.value, Decimal):
        return f"BConst({format(e.value.normalize(), 'f')}, {e.kind.value})"
    return repr(e)


def _normal_condition(step: BoundStep) -> str:
    if step.condition is not None:
        return _canonical(step.condition)
    return " ".join(step.condition_text.lower().split())


def related(a: str, b: str, records: CatalogueView) -> bool:
    """True when events on record types ``a`` and ``b`` may follow each other (BC check 9)."""
    if a == b or a in _APPROVAL_LINK_RECORDS or b in _APPROVAL_LINK_RECORDS:
        return True
    if frozenset({a, b}) in STANDARD_TABLE_RELATIONS:
        return True
    for x, y in ((a, b), (b, a)):
        spec: RecordSpec | None = records.record(x)
        if spec is not None and any(r.record == y for r in spec.relations):
            return True
    return False


def _next_events(wf: BoundWorkflow, step_id: int) -> list[BoundStep]:
    """The first event steps below ``step_id`` (through its chain of responses)."""
    out: list[BoundStep] = []
    todo = list(wf.children(step_id))
    while todo:
        s = todo.pop(0)
        if s.kind == "event":
            out.append(s)
        else:
            todo.extend(wf.children(s.id))
    return out


def _diag(code: str, message: str, step: BoundStep | None, wf: BoundWorkflow, *, label: str = "",
          help: str = "", related_: tuple[Label, ...] = ()) -> Diagnostic:
    span = step.span if step is not None else wf.span
    return Diagnostic(code, Severity.ERROR, message, span=span, label=label, help=help, related=related_)


def enable_checks(workflow: BoundWorkflow, enabled: Sequence[BoundWorkflow],
                  catalogue: CatalogueView) -> list[Diagnostic]:
    """Every reason BC would refuse to enable ``workflow`` next to the ``enabled`` workflows."""
    wf = workflow
    out: list[Diagnostic] = []
    if wf.template:
        out.append(_diag(c.TEMPLATE_ENABLE, f"`{wf.code}` is a template and cannot be enabled", None, wf,
                         label="template", help=f"copy it first: wf templates copy {wf.code} DEST.wf"))
    out += _entry_point_checks(wf)
    out += _step_checks(wf, catalogue)
    out += _entry_point_conflicts(wf, enabled)
    out += _table_relation_checks(wf, catalogue)
    out += _revert_apply_check(wf, catalogue)
    return out


def _entry_point_checks(wf: BoundWorkflow) -> list[Diagnostic]:
    """Checks 2 and 3: entry points are events, and there is exactly one."""
    out: list[Diagnostic] = []
    roots = [s for s in wf.steps if s.parent is None]
    for s in roots:
        if s.kind != "event":
            out.append(_diag(c.ENTRY_NOT_EVENT, "only events can be entry points", s, wf,
                             label="response without an event", help="put an `on EVENT then` step above it"))
    if len(roots) != 1:
        if roots:
            out.append(_diag(
                c.ENTRY_POINT_COUNT,
                f"`{wf.code}` has {len(roots)} entry-point steps; an enabled workflow needs exactly one",
                roots[1], wf, label="second entry point",
                help="split the workflow into one workflow per entry point",
                related_=tuple(Label(r.span, "entry point") for r in roots[:1])))
        else:
            out.append(_diag(c.ENTRY_POINT_COUNT, f"`{wf.code}` has no entry-point step", None, wf,
                             label="no entry point", help="start the workflow with `on EVENT then ...`"))
    return out


def _step_checks(wf: BoundWorkflow, catalogue: CatalogueView) -> list[Diagnostic]:
    """Checks 4, 5 and 7, step by step: no orphans, known function names, mandatory options."""
    out: list[Diagnostic] = []
    ids = {s.id for s in wf.steps}
    for s in wf.steps:
        if s.parent is not None and s.parent not in ids:
            out.append(_diag(c.ORPHAN_STEP, f"step {s.id} follows step {s.parent}, which does not exist",
                             s, wf, label="orphan step"))
        if s.next_step is not None and s.next_step not in ids:
            out.append(_diag(c.ORPHAN_STEP, f"step {s.id} jumps to step {s.next_step}, which does not exist",
                             s, wf, label="jump to nowhere"))
        if not s.name:
            out.append(_diag(c.STEP_WITHOUT_NAME, f"step {s.id} has no event or response", s, wf,
                             label="no name"))
            continue
        if s.kind == "event":
            if catalogue.event(s.name) is None:
                out.append(_diag(c.STEP_WITHOUT_NAME, f"step {s.id}: `{s.name}` is not a known event", s, wf,
                                 label="unknown event"))
            continue
        spec = catalogue.response(s.name)
        if spec is None:
            out.append(_diag(c.STEP_WITHOUT_NAME, f"step {s.id}: `{s.name}` is not a known response", s, wf,
                             label="unknown response"))
            continue
        if spec.mandatory is not None:
            msg, broken = run_mandatory(spec, s.options, library_of(catalogue, spec))
            if broken:
                out.append(_diag("WF918", broken, s, wf, label="the check failed", help=MANDATORY_HELP))
            if msg:
                out.append(_diag(
                    c.ENABLE_MANDATORY, f"response options are missing in step {s.id} ({spec.name}): {msg}",
                    s, wf, label="options missing", help=mandatory_fix(spec, s.options) or spec.mandatory_rule
                    or "add the missing options"))
    return out


def _entry_point_conflicts(wf: BoundWorkflow, enabled: Sequence[BoundWorkflow]) -> list[Diagnostic]:
    """Check 8: entry points on the same event and table (here or enabled) need different conditions."""
    out: list[Diagnostic] = []
    others = [(o, s) for o in enabled if o.code != wf.code for s in o.steps if s.entry_point]
    mine = [s for s in wf.steps if s.entry_point]
    for i, s in enumerate(mine):
        pool = [(wf, t) for t in mine[i + 1:]] + others
        for o, t in pool:
            if t.name != s.name or t.record_type != s.record_type:
                continue
            same = _normal_condition(s) == _normal_condition(t)
            blank = s.condition is None or t.condition is None
            if same or blank:
                why = ("one of them has no condition, so it conflicts with every other" if blank and not same
                       else "their conditions are the same")
                where = "this workflow" if o is wf else f"enabled workflow {o.code}"
                out.append(_diag(
                    c.ENTRY_POINT_CONFLICT,
                    f"entry points on `{s.name}` ({s.record_type}) in {where} need different "
                    f"conditions: {why}",
                    t if o is wf else s, wf, label="same event, same conditions",
                    help="give each entry point its own condition (e.g. a different document type or amount)",
                    related_=(Label(s.span if o is wf else t.span, "the other entry point"),)))
    return out


def _table_relation_checks(wf: BoundWorkflow, catalogue: CatalogueView) -> list[Diagnostic]:
    """Check 9: an event and the next events in its subtree are on the same or related tables."""
    out: list[Diagnostic] = []
    for s in wf.steps:
        if s.kind != "event" or not s.record_type:
            continue
        for n in _next_events(wf, s.id):
            if n.record_type and not related(s.record_type, n.record_type, catalogue):
                out.append(_diag(
                    c.NO_TABLE_RELATION,
                    f"`{n.name}` ({n.record_type}) follows `{s.name}` ({s.record_type}) but the two record "
                    "types are not related", n, wf, label="unrelated record",
                    help="events that follow each other must be on the same or related records",
                    related_=(Label(s.span, "the earlier event"),)))
    return out


def _revert_apply_check(wf: BoundWorkflow, catalogue: CatalogueView) -> list[Diagnostic]:
    """Check 10: ``revert value for field`` and ``apply new values`` appear together."""
    codes: dict[str, BoundStep] = {}
    for s in wf.steps:
        if s.kind == "response":
            spec = catalogue.response(s.name)
            if spec is not None and spec.bc_code in (REVERT_CODE, APPLY_CODE):
                codes.setdefault(spec.bc_code, s)
    if (REVERT_CODE in codes) == (APPLY_CODE in codes):
        return []
    have = codes.get(REVERT_CODE) or codes.get(APPLY_CODE)
    missing = "apply new values" if REVERT_CODE in codes else "revert value for field"
    return [_diag(c.REVERT_APPLY_PAIR, f"the workflow has no `{missing}` to pair with this response",
                  have, wf, label="unpaired", help=f"add `{missing}` (BC requires both)")]


def enable_all(workflows: Sequence[BoundWorkflow], catalogue: CatalogueView, *,
               allow_overlap: bool = False) -> list[Diagnostic]:
    """The enable checks for each workflow as if all the others were enabled too (``wf check --enable``),
    and the overlap check of each against the ones before it, as enabling them in order would: WF428
    errors, or WF420 warnings with ``allow_overlap``."""
    from .overlap import overlaps_with

    out: list[Diagnostic] = []
    for i, wf in enumerate(workflows):
        others = [o for j, o in enumerate(workflows) if j != i]
        out.extend(enable_checks(wf, others, catalogue))
        if not allow_overlap:
            out.extend(overlaps_with(wf, workflows[:i], catalogue.record, refuse=True))
    return without_repeats(out)


def without_repeats(diags: Sequence[Diagnostic]) -> list[Diagnostic]:
    """``diags`` without the overlap refusals (WF428) of pairs of entry points that check 8 already
    refuses (WF413: the same conditions, or one without any)."""
    same = {(d.span, d.related[0].span) for d in diags if d.code == c.ENTRY_POINT_CONFLICT and d.related}
    return [d for d in diags if d.code != c.OVERLAP_REFUSED or not d.related
            or (d.span, d.related[0].span) not in same]
