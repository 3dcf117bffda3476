"""The simulation timeline as text a consultant can read without knowing the code."""

from __future__ import annotations

from typing import Any

from .run import Simulation, Step

OUTCOMES = {
    "started": "started workflow {wf} ({inst})",
    "continued": "continued workflow {wf} ({inst})",
    "no step matched":
        "a running workflow waits for this event, but none of its conditions held: nothing happens",
    "no step waiting": "the workflow instance is not waiting for this event: nothing happens",
    "no workflow matched": "no enabled workflow's entry condition held: no workflow starts",
    "no workflow": "no enabled workflow starts on this event",
    "instance not running": "the workflow instance has already finished: nothing happens",
}


def _value(v: Any) -> str:
    if v is None:
        return "(empty)"
    if v is True:
        return "yes"
    if v is False:
        return "no"
    return str(v)


def _tests(trace: dict[str, Any], indent: str) -> list[str]:
    out: list[str] = []
    tests = trace.get("tests") or []
    if not tests:
        cond = trace.get("condition") or "<always>"
        out.append(f"{indent}condition: {cond}")
        return out
    for text, reads, ok in tests:
        seen = ", ".join(f"{k} is {_value(v)}" for k, v in reads) or "no value read"
        out.append(f"{indent}{'✓' if ok else '✗'} {text:<34} ({seen})")
    return out


def _words(name: str) -> str:
    return name.replace("_", " ")


def render_step(step: Step) -> list[str]:
    lines = [f"[{step.n}] {step.at[:16].replace('T', ' ')}  {step.user or '-'}: {step.title}"]
    if step.note:
        lines.append(f"    note: {step.note}")
    if step.replayed:
        lines.append("    a re-delivery (same idempotency key): the first answer is repeated, nothing is "
                     "applied again")
    for i, h in enumerate(step.handled):
        ind = "    "
        if i > 0 or h.get("raised_by") or step.action != "event":
            src = f" (raised by {_words(h['raised_by'])})" if h.get("raised_by") else ""
            word = "then event" if i > 0 else "event"
            lines.append(f"{ind}{word} {h['event']} on {h['record_type']} {h['record_key']}{src}")
        outcome = OUTCOMES.get(h["outcome"], h["outcome"]).format(wf=h.get("workflow_code"),
                                                                   inst=h.get("instance_id"))
        lines.append(f"{ind}-> {outcome}")
        fired = h.get("fired")
        if fired:
            lines.append(f"{ind}   fired step {fired['step_id']}: on {fired['event']}"
                         f" when {fired['condition']} - because:")
            lines.extend(_tests(fired, ind + "     "))
        for nf in h.get("not_fired", []):
            where = f"{nf['workflow_code']} step {nf['step_id']}"
            lines.append(f"{ind}   not taken: {where}, on {nf['event']} when {nf['condition']} - because:")
            lines.extend(_tests(nf, ind + "     "))
        for r in h.get("responses", []):
            label = f" (as {r['label']})" if r.get("label") else ""
            jump = f" -> continue at step {r['jump']}" if r.get("jump") else ""
            lines.append(f"{ind}   step {r['step_id']}: {_words(r['name'])}{label}{jump}")
            for note in r.get("notes", []):
                lines.append(f"{ind}       {note}")
            for raised in r.get("raised", []):
                lines.append(f"{ind}       raises {raised}")
        for note in h.get("notes", []):
            lines.append(f"{ind}   {note}")
        if h.get("archived"):
            lines.append(f"{ind}   workflow {h.get('workflow_code')} ({h.get('instance_id')}) has no step "
                         f"waiting any more: finished and archived")
    if step.error:
        e = step.error
        tag = "expected refusal" if e.get("expected") else "REFUSED"
        lines.append(f"    {tag} [{e['code']}]: {e['message']}")
        if e.get("original_code"):
            lines.append(f"    (the cause: {e['original_code']}; nothing of this event was applied)")
    for d in step.deliveries:
        lines.append(f"    delivered to {d['to']}: {d['subject']}")
    for eff in step.effects:
        if eff["kind"] in ("message", "record.status_changed"):
            continue  # shown as the message note and the document status line
        lines.append(f"    outbox: {eff['kind']}")
    if step.approval_entries:
        lines.append("    approval entries: " + "; ".join(
            f"#{e['entry_no']} {e['approver']} (seq {e['sequence_no']}) {e['status']}"
            for e in step.approval_entries))
    if step.notifications:
        lines.append("    notifications waiting: " + "; ".join(
            f"{n['recipient']} ({n['type']})" + (f" failed: {n['error']}" if n["error"] else "")
            for n in step.notifications))
    if step.document:
        d = step.document
        status = d["status"] or "(no status)"
        restr = f", restricted ({d['restriction_reason']})" if d["restricted"] else ""
        lines.append(f"    document {d['record_type']} {d['key']}: {status}{restr}")
        for ch in d["pending_changes"]:
            lines.append(f"      pending change: {ch['field']} {ch['old']} -> {ch['new']} "
                         f"(waits for approval)")
    for f in step.failed_expectations:
        lines.append(f"    EXPECTATION FAILED: {f}")
    return lines


def render(sim: Simulation) -> str:
    out = [f"Simulation: {sim.title}",
           f"  scripts: {', '.join(sim.scripts)}   scenario: {sim.scenario}"]
    if sim.setup:
        s = sim.setup
        out.append(f"  setup: {s.get('users', 0)} users, {s.get('groups', 0)} workflow user groups "
                   f"(from {s.get('source')})")
    for wf in sim.workflows:
        out.append(f"  enabled: {wf['code']} version {wf['version']}")
        for w in wf.get("warnings", []):
            out.append(f"    warning: {w}")
    out.append("")
    for step in sim.steps:
        out.extend(render_step(step))
        out.append("")
    failed = [s for s in sim.steps if s.failed_expectations or (s.error and not s.error.get("expected"))]
    out.append("Result: every step went as expected." if not failed else
               f"Result: {len(failed)} step(s) refused or not as expected: "
               + ", ".join(str(s.n) for s in failed))
    return "\n".join(out)
