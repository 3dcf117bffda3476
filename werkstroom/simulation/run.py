"""Simulation: run scripts against a scenario (TOML) on a fresh store and record a timeline.

The scenario format is documented in docs/engine.md ("Simulation"). In short::

    title = "..."                         # optional
    start = 2026-01-05T09:00:00Z          # optional: the virtual clock's start
    setup = "../organisation.toml"        # or an inline [setup] table (users, groups, notifications)

    [[records]]                           # optional: host records stored before the timeline
    type = "Vendor"
    values = { no = "V100", name = "Office Supplies Ltd" }

    scripts = ["../purchase-invoice-eu.wf"]   # optional: used when no script is named

    [[timeline]]                          # one entry per thing that happens, in order
    event = "PurchaseDocSentForApproval"
    user = "BUYER"
    record = { document_type = "Invoice", no = "PI-1001", status = "Open", amount = "4500" }
    # old = { ... }  for record-change events;  idempotency_key = "..." optional

    [[timeline]]
    approve = "FINANCE"                   # or reject / delegate; entry = 2 picks an entry number
    comment = "fine"

    [[timeline]]
    advance = "2D"                        # move the clock (D W M Q Y date formulas, or 3h); timers run

    [[timeline]]
    dispatch = true                       # deliver due notifications (recorded, never really sent)

Every entry may carry ``expect = { status = "Released", restricted = false, outcome = "continued",
workflow = "PIAPW-EU", step = 6, archived = true, entries = 2, error = "WF611" }``; a mismatch is reported
and makes the run fail.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
from sqlalchemy import select

from ..binding.sources import bind_text
from ..diagnostics import Diagnostic
from ..engine.clock import SequentialIds, VirtualClock
from ..engine.connect import connect
from ..engine.facade import Engine
from ..engine.run import ResponseFailed
from ..engine.trace import EmitResult
from ..errors import DiagnosticsError, WerkstroomError
from ..grammar.reading import read_source
from ..store import codec as codec


class ScenarioError(WerkstroomError):
    """WF511: the scenario file is invalid."""

    code = "WF511"


ACTIONS = ("event", "approve", "reject", "delegate", "cancel", "advance", "dispatch")
ENTRY_KEYS = {*ACTIONS, "user", "record", "old", "comment", "entry", "idempotency_key", "expect", "note",
              "instance"}
EXPECT_KEYS = {"status", "restricted", "outcome", "workflow", "step", "archived", "entries", "error",
               "running"}
EXPECT_TYPES: dict[str, tuple[type, str]] = {
    "status": (str, 'a text such as "Released"'), "outcome": (str, 'a text such as "started"'),
    "workflow": (str, 'a workflow code in quotes'), "error": (str, 'a code in quotes such as "WF612"'),
    "restricted": (bool, "true or false"), "archived": (bool, "true or false"),
    "step": (int, "a step number such as 6"), "entries": (int, "a number of entries such as 2"),
    "running": (int, "a number of instances such as 1"),
}


@attrs.define
class Step:
    """One timeline entry's result (plain data, for --json and the text renderer)."""

    n: int
    at: str
    action: str
    user: str
    title: str
    note: str = ""
    handled: list[dict[str, Any]] = attrs.field(factory=list)
    effects: list[dict[str, Any]] = attrs.field(factory=list)
    error: dict[str, Any] | None = None
    approval_entries: list[dict[str, Any]] = attrs.field(factory=list)
    notifications: list[dict[str, Any]] = attrs.field(factory=list)
    deliveries: list[dict[str, Any]] = attrs.field(factory=list)
    document: dict[str, Any] | None = None
    running: list[str] = attrs.field(factory=list)
    replayed: bool = False
    failed_expectations: list[str] = attrs.field(factory=list)


@attrs.define
class Simulation:
    title: str
    scripts: list[str]
    scenario: str
    setup: dict[str, Any]
    workflows: list[dict[str, Any]]
    steps: list[Step] = attrs.field(factory=list)

    @property
    def ok(self) -> bool:
        return all(not s.failed_expectations and (s.error is None or s.error.get("expected"))
                   for s in self.steps)

    def to_json(self) -> dict[str, Any]:
        return {**attrs.asdict(self), "ok": self.ok}


class RecordingTransport:
    """A notification transport that records messages instead of sending them."""

    def __init__(self) -> None:
        self.sent: list[dict[str, str]] = []

    def send(self, to: str, subject: str, body: str) -> None:
        self.sent.append({"to": to, "subject": subject, "body": body})


def load_scenario(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScenarioError(f"cannot read the scenario {p}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{p} is not UTF-8 text (at byte {exc.start}); save it as UTF-8") from exc
    except RecursionError as exc:
        raise ScenarioError(f"{p} is not valid TOML: nested too deeply") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{p} is not valid TOML: {exc}") from exc
    top = {"title", "start", "setup", "records", "timeline", "scripts"}
    unknown = set(data) - top
    if unknown:
        raise ScenarioError(f"{p}: unknown top-level key(s) {_unknown(unknown, top)}")
    scripts = data.get("scripts", [])
    if not isinstance(scripts, list) or not all(isinstance(n, str) for n in scripts):
        raise ScenarioError(f"{p}: scripts must be a list of file names, e.g. scripts = [\"approval.wf\"]")
    for key in ("timeline", "records"):
        if not isinstance(data.get(key, []), list):
            raise ScenarioError(f"{p}: {key} must be a list of tables: write each entry under [[{key}]]")
    for i, entry in enumerate(data.get("timeline", []), 1):
        if not isinstance(entry, dict):
            raise ScenarioError(f"{p}: timeline entry {i} must be a table")
        bad = set(entry) - ENTRY_KEYS
        if bad:
            raise ScenarioError(f"{p}: timeline entry {i} has unknown key(s) {_unknown(bad, ENTRY_KEYS)}")
        what = [a for a in ACTIONS if a in entry]
        if len(what) != 1:
            raise ScenarioError(f"{p}: timeline entry {i} needs exactly one of {', '.join(ACTIONS)}"
                                f" (found {', '.join(what) or 'none'})")
        expect = entry.get("expect", {})
        if not isinstance(expect, dict):
            raise ScenarioError(f"{p}: timeline entry {i}: expect must be a table, e.g. "
                                f"expect = {{ status = \"Released\" }}")
        bad = set(expect) - EXPECT_KEYS
        if bad:
            raise ScenarioError(f"{p}: timeline entry {i}: unknown expectation(s) "
                                f"{_unknown(bad, EXPECT_KEYS)} (known: {', '.join(sorted(EXPECT_KEYS))})")
        for key, want in expect.items():
            kind, example = EXPECT_TYPES[key]
            if not isinstance(want, kind) or (kind is int and isinstance(want, bool)):
                raise ScenarioError(f"{p}: timeline entry {i}: expect.{key} = {want!r} must be "
                                    f"{example}")
        if what[0] in ("event", "cancel") and not isinstance(entry.get("record", {}), dict):
            raise ScenarioError(f"{p}: timeline entry {i}: record must be a table")
        if "old" in entry and not isinstance(entry["old"], dict):
            raise ScenarioError(f"{p}: timeline entry {i}: old must be a table of the previous values")
        if "entry" in entry and (not isinstance(entry["entry"], int) or isinstance(entry["entry"], bool)):
            raise ScenarioError(f"{p}: timeline entry {i}: entry = {entry['entry']!r} must be an approval "
                                "entry number, e.g. entry = 2")
        for key in ("approve", "reject", "delegate", "user"):
            if key in entry and not isinstance(entry[key], str):
                raise ScenarioError(f"{p}: timeline entry {i}: {key} = {entry[key]!r} must be a user id "
                                    f"in quotes, e.g. {key} = \"FINANCE\"")
    return data


def _unknown(names: set[str], known: set[str]) -> str:
    """``a, b`` with a "did you mean" for each close to a known key."""
    from ..spelling import suggest

    out = []
    for n in sorted(names):
        close = suggest(n, sorted(known))
        out.append(f"{n} (did you mean {close[0]}?)" if close else n)
    return ", ".join(out)


def parse_advance(text: str, now: dt.datetime) -> dt.datetime:
    m = re.fullmatch(r"\s*(\d+)\s*h\s*", text, re.IGNORECASE)
    from ..catalogue.dateformula import DateFormulaError, parse

    try:
        if m:
            return now + dt.timedelta(hours=int(m.group(1)))
        day = parse(text).apply(now.date())
    except DateFormulaError as exc:
        raise ScenarioError(f"advance = {text!r}: {exc.message} "
                            f"(use a date formula like 2D, 1W, CM, or 3h)") from exc
    except OverflowError as exc:
        raise ScenarioError(f"advance = {text!r} goes past the year 9999") from exc
    return dt.datetime.combine(day, now.timetz())


class Runner:
    def __init__(self, engine: Engine, clock: VirtualClock, scenario_path: Path) -> None:
        self.engine = engine
        self.clock = clock
        self.base = scenario_path.parent
        self.document: tuple[str, str] | None = None
        self.transport = RecordingTransport()

    # ------------------------------------------------------------------ setup

    def setup(self, data: Mapping[str, Any]) -> dict[str, Any]:
        setup = data.get("setup")
        if setup is None:
            return {}
        if isinstance(setup, str):
            path = (self.base / setup) if not Path(setup).is_absolute() else Path(setup)
            try:
                setup_data = tomllib.loads(path.read_text(encoding="utf-8"))
            except OSError as exc:
                raise ScenarioError(f"setup file {path}: {exc.strerror}") from exc
            except UnicodeDecodeError as exc:
                raise ScenarioError(f"setup file {path} is not UTF-8 text (at byte {exc.start})") from exc
            except tomllib.TOMLDecodeError as exc:
                raise ScenarioError(f"setup file {path} is not valid TOML: {exc}") from exc
            except RecursionError as exc:
                raise ScenarioError(f"setup file {path} is not valid TOML: nested too deeply") from exc
            source = str(path)
        elif isinstance(setup, dict):
            setup_data, source = setup, "(inline)"
        else:
            raise ScenarioError("setup must be a file name or a table")
        report = self.engine.load_setup(setup_data)
        return {"source": source, **attrs.asdict(report)}

    def records(self, data: Mapping[str, Any]) -> None:
        for i, r in enumerate(data.get("records", []), 1):
            if not isinstance(r, dict) or "type" not in r or not isinstance(r.get("values"), dict):
                raise ScenarioError(f"records entry {i} needs type = \"...\" and values = {{...}}")
            if not isinstance(r["type"], str) or self.engine.vocab.record(r["type"]) is None:
                close = self.engine.catalogue.suggest("record", str(r["type"]))
                raise ScenarioError(f"records entry {i}: unknown record type {r['type']!r}"
                                    + (f"; did you mean {close[0]!r}?" if close else "")
                                    + " (see `wf catalogue records`)")
            try:
                self.engine.put_record(r["type"], r["values"])
            except WerkstroomError as exc:
                raise ScenarioError(f"records entry {i} ({r['type']}): {exc.message}", code=exc.code) from exc

    # ------------------------------------------------------------------ timeline

    def run_entry(self, n: int, entry: Mapping[str, Any]) -> Step:
        action = next(a for a in ACTIONS if a in entry)
        user = str(entry.get("user") or (entry[action] if action in ("approve", "reject", "delegate",
                                                                    "cancel") else "") or "").upper()
        step = Step(n=n, at=self.clock.now().isoformat(), action=action, user=user, title="",
                    note=str(entry.get("note", "")))
        try:
            results = self._do(action, entry, step)
            for r in results:
                step.replayed = step.replayed or r.replayed
                step.handled.extend(h for h in r.to_json()["handled"])
                step.effects.extend(r.effects)
        except WerkstroomError as exc:
            step.error = {"code": exc.code, "message": exc.message}
            if isinstance(exc, ResponseFailed):
                step.error.update(workflow=exc.workflow, step=exc.step, response=exc.response,
                                  original_code=exc.original_code)
        self._observe(step)
        self._check(entry.get("expect", {}), step)
        return step

    def _doc_from(self, record_type: str, record: Mapping[str, Any]) -> None:
        with contextlib.suppress(WerkstroomError):  # an invalid record is reported by the emit itself
            self.document = (record_type, self.engine.record_key(record_type, record))

    def _do(self, action: str, entry: Mapping[str, Any], step: Step) -> list[EmitResult]:
        eng = self.engine
        if action in ("event", "cancel"):
            name = entry.get("event") if action == "cancel" else entry[action]
            if action == "cancel" and not name:
                name = self._cancel_event()
            if not isinstance(name, str):
                raise ScenarioError(f"entry {step.n}: event must be an event name")
            step.title = name
            if eng.vocab.event(name) is None:
                close = eng.catalogue.suggest("event", name)
                raise ScenarioError(f"the event {name!r} is not in the catalogue"
                                    + (f"; did you mean {close[0]!r}?" if close else "")
                                    + " (see `wf catalogue events`)", code="WF503")
            spec = eng.vocab.require_event(name)
            record = dict(entry.get("record", {}))
            if not record and self.document is not None and self.document[0] == spec.record:
                stored = eng.record(*self.document) or {}
                record = {k: v for k, v in stored.items()}
            step.title = f"{spec.name} on {spec.record} {_describe(record)}"
            self._doc_from(spec.record, record)
            for key in ("idempotency_key", "instance"):
                if not isinstance(entry.get(key, ""), str):
                    raise ScenarioError(f"entry {step.n}: {key} must be text, not {entry[key]!r}")
            return [eng.emit(spec.name, record, user=step.user or "USER", old=entry.get("old"),
                             idempotency_key=entry.get("idempotency_key"),
                             instance_id=entry.get("instance"))]
        if action in ("approve", "reject", "delegate"):
            step.title = f"{step.user} {_past(action)} an approval request"
            entry_id, entry_no = self._pick_entry(action, step.user, entry.get("entry"))
            step.title = f"{step.user} {_past(action)} approval entry {entry_no}"
            if entry.get("comment"):
                step.title += f": \"{entry['comment']}\""
            fn = {"approve": eng.approve, "reject": eng.reject, "delegate": eng.delegate}[action]
            return [fn(entry_id, step.user, entry.get("comment"))]
        if action == "advance":
            moment = parse_advance(str(entry["advance"]), self.clock.now())
            if moment < self.clock.now():
                raise ScenarioError(f"advance = {entry['advance']!r} goes back in time; a simulation's "
                                    "clock only moves forward")
            self.clock.set(moment)
            step.title = f"time passes: {entry['advance']} (now {self.clock.now():%Y-%m-%d %H:%M})"
            step.user = "(job queue)"
            result = eng.run_timers()
            return [result] if result.handled else []
        if action == "dispatch":
            step.user = "(job queue)"
            before = len(self.transport.sent)
            report = eng.dispatch_notifications(self.transport)
            step.title = (f"notifications dispatched: {report.emails} e-mail(s), {report.notes} note(s), "
                          f"{report.waiting} waiting")
            step.deliveries = [{"to": m["to"], "subject": m["subject"]} for m in self.transport.sent[before:]]
            for f in report.failures:
                step.deliveries.append({"to": f.recipient, "subject": f"FAILED: {f.error}"})
            return []
        raise ScenarioError(f"unknown action {action}")

    def _cancel_event(self) -> str:
        if self.document is None:
            raise ScenarioError("cancel needs event = \"...\" or an earlier event naming the document")
        rtype = self.document[0]
        cat = self.engine.catalogue
        events = list(getattr(cat, "events", ())) if cat is not None else []
        for ev in events:
            if ev.record == rtype and "cancel" in ev.name.lower():
                return str(ev.name)
        raise ScenarioError(f"no cancel event for {rtype} in the catalogue; name it with event = \"...\"")

    def _pick_entry(self, action: str, user: str, wanted: Any) -> tuple[str, int]:
        from ..store.approvals import ApprovalEntry

        with self.engine.transaction() as uow:
            stmt = select(ApprovalEntry).order_by(ApprovalEntry.entry_no)
            if wanted is not None:
                if not 0 < int(wanted) < 2**31:  # entry numbers are 32-bit: larger ones do not exist
                    raise ScenarioError(f"there is no approval entry {wanted}")
                row = uow.session.scalar(stmt.where(ApprovalEntry.entry_no == int(wanted)))
                if row is None:
                    raise ScenarioError(f"there is no approval entry {wanted}")
                return row.id, row.entry_no
            rows = list(uow.session.scalars(stmt.where(ApprovalEntry.status == "Open")))
            if self.document is not None:
                mine = [r for r in rows if (r.record_type, r.record_key) == self.document]
                rows = mine or rows
            for r in rows:
                if r.approver_id == user or (action == "delegate" and r.sender_id == user):
                    return r.id, r.entry_no
            open_ = ", ".join(f"{r.entry_no} ({r.approver_id})" for r in rows) or "none"
            raise ScenarioError(f"{user} has no open approval request to {action} (open entries: {open_}); "
                                f"name one with entry = N")

    # ------------------------------------------------------------------ observations

    def _observe(self, step: Step) -> None:
        from ..store.approvals import ApprovalEntry
        from ..store.notifications import NotificationEntry

        step.running = [i.id for i in self.engine.instances()]
        if self.document is None:
            return
        rtype, key = self.document
        st = self.engine.record_state(rtype, key)
        step.document = {
            "record_type": rtype, "key": key, "status": st.status, "restricted": st.restricted,
            "restriction_reason": st.restriction_reason,
            "pending_changes": [{"field": p.field, "old": codec.plain(p.old_value),
                                 "new": codec.plain(p.new_value)} for p in st.pending_changes],
            "running_instances": list(st.running_instances),
        }
        with self.engine.transaction() as uow:
            for e in uow.session.scalars(select(ApprovalEntry).where(
                    ApprovalEntry.record_type == rtype, ApprovalEntry.record_key == key)
                    .order_by(ApprovalEntry.entry_no)):
                step.approval_entries.append({
                    "entry_no": e.entry_no, "sequence_no": e.sequence_no, "approver": e.approver_id,
                    "sender": e.sender_id, "status": e.status, "due_date": codec.plain(e.due_date),
                    "amount_lcy": codec.plain(e.amount_lcy), "instance_id": e.instance_id})
            for ne in uow.session.scalars(select(NotificationEntry).where(
                    NotificationEntry.record_type == rtype, NotificationEntry.record_key == key)
                    .order_by(NotificationEntry.created_at, NotificationEntry.id)):
                step.notifications.append({
                    "recipient": ne.recipient_id, "type": ne.entry_type, "created_by": ne.created_by,
                    "error": ne.error_message})

    def _check(self, expect: Mapping[str, Any], step: Step) -> None:
        if not expect:
            return
        first = step.handled[0] if step.handled else {}
        doc = step.document or {}
        got: dict[str, Any] = {
            "status": doc.get("status"), "restricted": doc.get("restricted"),
            "outcome": first.get("outcome"), "workflow": first.get("workflow_code"),
            "step": (first.get("fired") or {}).get("step_id"),
            "archived": any(h.get("archived") for h in step.handled),
            "entries": len(step.approval_entries), "error": (step.error or {}).get("code"),
            "running": len(step.running),
        }
        cause = (step.error or {}).get("original_code")
        if cause and expect.get("error") == cause:
            got["error"] = cause  # a refusal inside a response (WF505) is expected by its cause too: WF601
        for k, want in expect.items():
            if got[k] != want:
                shown = f"{got[k]!r} (caused by {cause})" if k == "error" and cause else repr(got[k])
                step.failed_expectations.append(f"expected {k} = {want!r}, got {shown}")
        if "error" in expect and step.error is not None and got["error"] == expect["error"]:
            step.error["expected"] = True


def _describe(record: Mapping[str, Any]) -> str:
    keys = [k for k in ("document_type", "no", "name", "amount") if k in record]
    return " ".join(f"{k}={codec.plain(record[k])}" for k in keys) or "(record)"


def _past(action: str) -> str:
    return {"approve": "approves", "reject": "rejects", "delegate": "delegates"}[action]


def simulate(scripts: Sequence[str | Path], scenario: str | Path, *, url: str | None = None,
             catalogue: Any = None) -> Simulation:
    """Deploy and enable ``scripts`` on a fresh store (in-memory SQLite unless ``url``), then run the
    scenario's timeline. Raises ScenarioError for an invalid scenario, DiagnosticsError for a script
    that does not bind or enable."""
    scenario_path = Path(scenario)
    data = load_scenario(scenario_path)
    if not scripts:
        named = data.get("scripts", [])
        if not named or not all(isinstance(n, str) for n in named):
            raise ScenarioError(f"{scenario_path}: name the scripts to run, on the command line or as "
                                f"scripts = [\"...\"] in the scenario")
        scripts = [scenario_path.parent / n for n in named]
    start = data.get("start")
    if start is not None and not isinstance(start, dt.datetime):
        raise ScenarioError("start must be a date-time such as 2026-01-05T09:00:00Z")
    clock = VirtualClock(start)
    engine = connect(url or "sqlite://", clock=clock, ids=SequentialIds(), catalogue=catalogue,
                         explain=True)
    try:
        if url and (engine.workflows() or engine.instances()):
            raise ScenarioError(f"a simulation needs an empty database; {url} already holds workflows")
        runner = Runner(engine, clock, scenario_path)
        setup = runner.setup(data)
        workflows: list[dict[str, Any]] = []
        for script in scripts:
            p = Path(script)
            src = read_source(p)
            if isinstance(src, Diagnostic):
                if src.code == "WF100":  # missing, a directory, unreadable: as before
                    raise ScenarioError(f"cannot read {p}: {src.message}")
                raise DiagnosticsError(src.message, [src], code=src.code)  # WF101 not text, WF112 too large
            for d in engine.deploy(bind_text(src.text, str(p), engine.catalogue)):
                warnings = engine.enable(d.code)
                workflows.append({"code": d.code, "version": d.version, "script": str(p),
                                  "warnings": [w.message for w in warnings]})
        runner.records(data)
        sim = Simulation(title=str(data.get("title", scenario_path.stem)), scripts=[str(s) for s in scripts],
                         scenario=str(scenario_path), setup=setup, workflows=workflows)
        for n, entry in enumerate(data.get("timeline", []), 1):
            sim.steps.append(runner.run_entry(n, entry))
        return sim
    finally:
        engine.close()
