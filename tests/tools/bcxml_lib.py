"""A small partner-style library for the BC XML tests: a claim record with BC field numbers, its lines,
a send event and a change event with BC codes, and one response of Werkstroom's own (no BC code)."""

from __future__ import annotations

from functools import cache
from typing import Any

from werkstroom.binding.binder import bind
from werkstroom.binding.program import BoundWorkflow
from werkstroom.catalogue.catalogue import Catalogue
from werkstroom.extend import (
    EnumType,
    EventSpec,
    FieldKind,
    FieldSpec,
    Library,
    PhrasePattern,
    RecordSpec,
    RelationSpec,
    ResponseContext,
    ResponseSpec,
    catalogue_with,
)
from werkstroom.grammar.parser import parse
from werkstroom.tools.bcxml.convert import export_bc, import_bc

STATUS = EnumType("ClaimStatus", ("Open", "Submitted", "Approved", "Rejected"))
KIND = EnumType("ClaimLineKind", ("Travel", "Meals", "Other"))


def _f(name: str, kind: FieldKind, no: int, enum: EnumType | None = None) -> FieldSpec:
    return FieldSpec(name, kind, enum=enum, bc_name=name.replace("_", " ").title(), field_no=no)


CLAIM = RecordSpec(
    "Claim", "An expense claim.",
    (_f("no", FieldKind.CODE, 1), _f("description", FieldKind.TEXT, 2), _f("amount", FieldKind.DECIMAL, 3),
     _f("claim_date", FieldKind.DATE, 4), _f("status", FieldKind.ENUM, 5, STATUS),
     _f("urgent", FieldKind.BOOLEAN, 6), _f("category_code", FieldKind.CODE, 7),
     _f("reviewer_id", FieldKind.CODE, 8), _f("approved_on", FieldKind.DATETIME, 9),
     FieldSpec("unnumbered", FieldKind.DECIMAL, bc_name="Unnumbered")),
    ("no",),
    (RelationSpec("lines", "ClaimLine", True, (("no", "claim_no"),)),
     RelationSpec("vendor", "Vendor", False, (("reviewer_id", "no"),))),
    bc_name="Claim", table_id=50200)
CLAIM_LINE = RecordSpec(
    "ClaimLine", "A line of a claim.",
    (_f("claim_no", FieldKind.CODE, 1), _f("line_no", FieldKind.INTEGER, 2),
     _f("amount", FieldKind.DECIMAL, 3), _f("kind", FieldKind.ENUM, 4, KIND), _f("note", FieldKind.TEXT, 5)),
    ("claim_no", "line_no"), bc_name="Claim Line", table_id=50201)


def _stamp(ctx: ResponseContext) -> None:
    ctx.explain("stamped")


def library() -> Library:
    return Library(
        name="bcxml-tests", version="1.0",
        records=(CLAIM, CLAIM_LINE),
        events=(EventSpec("ClaimSent", "A claim was sent for approval.", "Claim",
                          bc_code="RUNWORKFLOWONSENDCLAIMFORAPPROVAL"),
                EventSpec("ClaimChanged", "A claim was changed.", "Claim", record_change=True,
                          bc_code="RUNWORKFLOWONCLAIMCHANGEDCODE"),
                EventSpec("ClaimArchived", "A claim was archived.", "Claim")),
        responses=(ResponseSpec("stamp_claim", "Stamp the claim.", (PhrasePattern("stamp the claim"),),
                                _stamp),),
        event_predecessors=(("ApprovalRequestApproved", "ClaimSent"),
                            ("ApprovalRequestRejected", "ClaimSent")),
        response_predecessors=(("create_approval_requests", "ClaimSent"), ("request_approval", "ClaimSent"),
                               ("send_approval_requests", "ClaimSent"),
                               ("revert_field_value", "ClaimChanged"),
                               ("create_approval_requests", "ClaimChanged")),
    )


@cache
def catalogue() -> Catalogue:
    return catalogue_with(library())


def bound(text: str, path: str = "claims.wf") -> BoundWorkflow:
    program = bind([parse(text, path)], catalogue())
    assert not [d for d in program.diagnostics if d.is_error], program.diagnostics
    (wf,) = program.workflows
    return wf


def claim_script(condition: str, event: str = "ClaimSent", body: str = "restrict record usage") -> str:
    return f"workflow CLAIMS\n  on {event} when {condition} then {body}\n"


def export(text: str) -> tuple[bytes | None, Any]:
    return export_bc([bound(text)], catalogue())


def round_trip(text: str) -> tuple[BoundWorkflow, Any]:
    """``text`` exported and imported again: the bound import and the import's findings."""
    xml, result = export(text)
    assert xml is not None, result.diagnostics
    imported = import_bc(xml, "claims.xml", catalogue())
    (script,) = imported.scripts
    return bound(script.text), imported
