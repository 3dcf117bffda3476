"""Every shipped MS- template, bound, matches Business Central's step tree in catalogue.json step by step:
ids, types, BC function codes, parents, jumps, sequence numbers, entry points, conditions, rules and
the arguments Workflow Setup sets."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from werkstroom.binding.binder import bind
from werkstroom.binding.libraries import load_catalogue
from werkstroom.binding.program import BAnd, BChange, BCompare, BConst, BExpr, BField, BoundWorkflow
from werkstroom.catalogue.catalogue import Catalogue
from werkstroom.grammar.parser import parse

DOMAIN = Path("/work/shared/domain/catalogue.json")
TEMPLATES = Path(__file__).resolve().parents[2] / "werkstroom" / "stdlib" / "templates"

pytestmark = pytest.mark.skipif(not DOMAIN.exists(), reason="the domain catalogue is not available")


@cache
def domain() -> dict[str, Any]:
    return json.loads(DOMAIN.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@cache
def catalogue() -> Catalogue:
    cat, diags = load_catalogue(partners=False)
    assert not diags
    return cat


def bc_templates() -> list[dict[str, Any]]:
    return domain()["templates"] if DOMAIN.exists() else []


def bound(code: str) -> BoundWorkflow:
    path = TEMPLATES / f"{code}.wf"
    pr = parse(path.read_text(encoding="utf-8"), str(path))
    assert pr.ok, pr.diagnostics
    prog = bind([pr], catalogue())
    assert not prog.diagnostics, [(d.code, str(d.span), d.message) for d in prog.diagnostics]
    (wf,) = prog.workflows
    return wf


def _bc_field(record_type: str, f: BField) -> str:
    rec = catalogue().record(record_type)
    assert rec is not None and len(f.path) == 1
    spec = rec.field(f.path[0])
    assert spec is not None
    return spec.bc_name


def filters(record_type: str, cond: BExpr | None) -> tuple[dict[str, str], dict[str, str] | None]:
    """Our condition as BC's field filters on the event's table, and the change rule if any."""
    if cond is None:
        return {}, None
    ops = cond.operands if isinstance(cond, BAnd) else (cond,)
    out: dict[str, str] = {}
    rule = None
    for op in ops:
        if isinstance(op, BChange):
            rule = {"field": _bc_field(record_type, op.field), "operator": op.kind.capitalize()}
            continue
        assert isinstance(op, BCompare) and isinstance(op.left, BField) and isinstance(op.right, BConst)
        value = str(op.right.value)
        out[_bc_field(record_type, op.left)] = value if op.op == "=" else f"{op.op}{value}"
    return out, rule


BLANK: tuple[Any, ...] = ("", 0, False, None, "Never", "New Record")


def _same(ours: Any, theirs: Any) -> bool:
    if ours == theirs:
        return True
    if isinstance(ours, Decimal | int) and isinstance(theirs, int | float) and Decimal(str(theirs)) == ours:
        return True
    return (ours in BLANK and theirs in BLANK and not isinstance(theirs, bool)) or (
        ours in (None, False) and theirs is False)


def check_arguments(code: str, step_id: int, name: str, options: dict[str, Any],
                    args: dict[str, Any]) -> None:
    spec = catalogue().response(name)
    assert spec is not None
    by_bc = {o.bc_name: o for o in spec.options if o.bc_name}
    justified: set[str] = set()
    if "Field Caption" in args:  # revert / apply: one field of the table the change event is on
        rec = next(r for r in catalogue().records if r.table_id == args["Table No."])
        fld = rec.field(options["field"])
        assert fld is not None and fld.bc_name == args["Field Caption"], (code, step_id)
        justified.add("field")
        args = {k: v for k, v in args.items() if k not in ("Table No.", "Field No.", "Field Caption")}
    for bc_name, value in args.items():
        opt = by_bc.get(bc_name)
        if opt is None:
            assert value in BLANK, (code, step_id, bc_name, value)
            continue
        justified.add(opt.name)
        assert _same(options.get(opt.name), value), (code, step_id, bc_name, options.get(opt.name), value)
    for opt in spec.options:
        if opt.name not in justified:
            assert _same(options.get(opt.name), opt.default), (code, step_id, opt.name, options.get(opt.name))


@pytest.mark.parametrize("template", bc_templates(), ids=lambda t: t["code"])
def test_template_matches_business_central(template: dict[str, Any]) -> None:
    wf = bound(template["code"])
    assert wf.template
    assert (wf.code, wf.description, wf.category) == (template["code"], template["description"],
                                                       template["category"])
    assert len(wf.steps) == len(template["steps"])
    for ours, bc in zip(wf.steps, template["steps"], strict=True):
        where = (template["code"], bc["id"])
        assert (ours.id, ours.kind) == (bc["id"], bc["type"]), where
        if ours.kind == "event":
            ev = catalogue().event(ours.name)
            assert ev is not None and ev.bc_code == bc["name"], where
            rec = catalogue().record(ev.record)
            assert rec is not None and rec.bc_name == bc["table"], where
            flt, rule = filters(ours.record_type, ours.condition)
            own = (bc.get("condition") or {}).get(bc["table"], {})
            assert flt == own, where
            others = {k: v for k, v in (bc.get("condition") or {}).items() if k != bc["table"]}
            assert all(v == {} for v in others.values()), where
            bc_rule = bc.get("rule")
            want = {"field": bc_rule["field"], "operator": bc_rule["operator"]} if bc_rule else None
            assert rule == want, where
        else:
            resp = catalogue().response(ours.name)
            assert resp is not None and resp.bc_code == bc["name"], where
            check_arguments(template["code"], bc["id"], ours.name, dict(ours.options), bc["arguments"])
        assert ours.parent == bc["previous"], where
        assert ours.next_step == bc["next"], where
        assert ours.sequence_no == bc["sequence_no"], where
        assert ours.entry_point == bc["entry_point"], where


def test_every_template_is_shipped_and_loaded() -> None:
    shipped = sorted(p.stem for p in TEMPLATES.glob("MS-*.wf"))
    assert shipped == sorted(t["code"] for t in bc_templates())
    assert len(shipped) == domain()["counts"]["templates"] == 32
    assert sorted(t.code for t in catalogue().templates) == shipped


def _needs_configuration(step: dict[str, Any]) -> bool:
    """BC's mandatory-argument rules applied to a template step's arguments (catalogue.json)."""
    a = step.get("arguments", {})
    if step["name"] == "CREATENOTIFICATIONENTRY":
        return not a.get("Notify Sender") and not a.get("Notification User ID")
    if step["name"] == "CREATEAPPROVALREQUESTS":
        return a.get("Approver Type") == "Workflow User Group" and not a.get("Workflow User Group Code")
    if step["name"] in ("BACKGROUNDCREATEPMTLINEFORPOSTEDDOCUMENT", "CREATEPMTLINEFORPOSTEDDOCUMENT"):
        return not a.get("General Journal Template Name") or not a.get("General Journal Batch Name")
    return False


@pytest.mark.parametrize("template", bc_templates(), ids=lambda t: t["code"])
def test_a_copy_passes_the_enable_checks_once_configured(template: dict[str, Any]) -> None:
    """A copy (new code) passes BC's enable checks except for the options BC leaves blank."""
    from werkstroom.binding.checks import enable_checks

    path = TEMPLATES / f"{template['code']}.wf"
    text = path.read_text(encoding="utf-8").replace(f"workflow {template['code']}", "workflow COPY-01")
    prog = bind([parse(text, str(path))], catalogue())
    (wf,) = prog.workflows
    assert not wf.template
    found = [(d.code, d.message.split(" ")[6]) for d in enable_checks(wf, [], catalogue())]
    want = [("WF412", str(s["id"])) for s in template["steps"] if _needs_configuration(s)]
    assert found == want
