"""The world of one scenario: an engine on its own SQLite store, a virtual clock, the records the
scenario named, and a running timeline of what the engine did (the text failing steps show).

Everything here uses the engine's public API (``open_engine``, ``load_setup``, ``emit``,
``approve``/``reject``/``delegate``, ``run_timers``, ``dispatch_notifications``, ``record_state``,
``approval_entries``, ``instances``/``archive``, the notification lists). The engine is opened
lazily, on the first step that needs it, so a scenario that only parses costs nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import attrs

from ..steps import SpecError as SpecError  # re-exported: step modules and tests import it from here
from .text import AMOUNT as AMOUNT  # the words and the timeline's text, re-exported for step modules
from .text import WORDS as WORDS
from .text import amount_text as amount_text
from .text import date_of as date_of
from .text import describe_error as describe_error
from .text import handled_lines as handled_lines
from .text import pairs_of as pairs_of
from .text import rows_of as rows_of
from .text import suggestion as suggestion
from .text import table_text as table_text
from .text import trace_text as trace_text

if TYPE_CHECKING:
    from ..catalogue.specs import RecordSpec
    from ..engine.clock import VirtualClock
    from ..engine.facade import Engine
    from ..engine.trace import EmitResult, Handled

START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)  # a Monday, 09:00 UTC

_CATALOGUE: list[Any] = []  # the loaded catalogue, shared by every scenario of the process


def shared_catalogue() -> Any:
    """The stdlib + partner catalogue, loaded once per process (loading it is the slow part)."""
    if not _CATALOGUE:
        from ..binding.libraries import load_catalogue

        _CATALOGUE.append(load_catalogue()[0])
    return _CATALOGUE[0]


# --------------------------------------------------------------------------- record kinds

DOC_TYPES = {
    "quote": "Quote", "order": "Order", "invoice": "Invoice", "credit memo": "Credit Memo",
    "blanket order": "Blanket Order", "return order": "Return Order",
}


@attrs.frozen
class Kind:
    """What a business noun ("purchase invoice") means: a record type, fixed field values, and the
    key fields the quoted id fills (split on ``/`` when there are several)."""

    record_type: str
    fixed: tuple[tuple[str, str], ...] = ()
    id_fields: tuple[str, ...] = ("no",)


KINDS: dict[str, Kind] = {
    **{f"purchase {k}": Kind("PurchaseHeader", (("document_type", v),)) for k, v in DOC_TYPES.items()},
    **{f"sales {k}": Kind("SalesHeader", (("document_type", v),)) for k, v in DOC_TYPES.items()},
    "customer": Kind("Customer"),
    "vendor": Kind("Vendor"),
    "item": Kind("Item"),
    "general journal batch": Kind("GenJournalBatch", id_fields=("journal_template_name", "name")),
    "general journal line": Kind("GenJournalLine",
                                 id_fields=("journal_template_name", "journal_batch_name", "line_no")),
    "item journal batch": Kind("ItemJournalBatch", id_fields=("journal_template_name", "name")),
    "requisition worksheet": Kind("RequisitionWkshName", id_fields=("worksheet_template_name", "name")),
    "incoming document": Kind("IncomingDocument", id_fields=("entry_no",)),
    "vendor bank account": Kind("VendorBankAccount", id_fields=("vendor_no", "code")),
    "job queue entry": Kind("JobQueueEntry", id_fields=("id",)),
}

PLURALS: dict[str, str] = {
    "customers": "customer", "vendors": "vendor", "items": "item",
    "general journal lines": "general journal line", "general journal batches": "general journal batch",
    "vendor bank accounts": "vendor bank account", "incoming documents": "incoming document",
    "job queue entries": "job queue entry", "item journal batches": "item journal batch",
    "requisition worksheets": "requisition worksheet",
}

REF = r'the (?P<kind>[A-Za-z][A-Za-z ]*?) "(?P<id>[^"]*)"'
"""How a step names a record: ``the purchase invoice "1001"``, ``the customer "C100"``,
``the general journal batch "GENERAL/DEFAULT"``, or a record type and its key, ``the Vendor "V1"``."""


def norm(text: str) -> str:
    """``Credit limit (LCY)`` -> ``credit_limit_lcy``: how table headers and field words are matched."""
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


@attrs.define
class Thing:
    """A record the scenario named. ``values``: what the scenario gave (the engine's stored copy wins
    once it exists). ``lines``: document lines, embedded when the record is sent."""

    label: str
    record_type: str
    values: dict[str, Any]
    key: str = ""
    lines: list[dict[str, Any]] = attrs.field(factory=list)


class RecordingTransport:
    """The dispatcher's e-mail transport in a scenario: it keeps the messages instead of sending them."""

    def __init__(self) -> None:
        self.sent: list[dict[str, str]] = []

    def send(self, to: str, subject: str, body: str) -> None:
        self.sent.append({"to": to, "subject": subject, "body": body})


# --------------------------------------------------------------------------- the world


class World:
    """One scenario's engine, clock, records and timeline (the ``werkstroom_world`` fixture)."""

    def __init__(self, base_dir: Path | None = None, *, url: str = "sqlite://") -> None:
        self.base_dir = base_dir or Path.cwd()
        self.url = url
        self._engine: Engine | None = None
        self._clock: VirtualClock | None = None
        self._start = START
        self.things: dict[str, Thing] = {}
        self.timeline: list[str] = []
        self.last: list[Handled] = []  # the events handled by the last action
        self.error: Exception | None = None  # the refusal of the last action
        self.error_checked = False  # a Then step has looked at it
        self.messages: list[str] = []  # "show message" texts shown to users
        self.transport = RecordingTransport()
        self.workflows: list[str] = []

    # ------------------------------------------------------------------ engine and clock

    @property
    def clock(self) -> VirtualClock:
        if self._clock is None:
            from ..engine.clock import VirtualClock

            self._clock = VirtualClock(self._start)
        return self._clock

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from ..engine.clock import SequentialIds
            from ..engine.facade import open_engine

            self._engine = open_engine(self.url, clock=self.clock, ids=SequentialIds(),
                                       catalogue=shared_catalogue(), explain=True)
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None

    def set_today(self, day: dt.date) -> None:
        moment = dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC)
        if self._clock is None:
            self._start = moment
            return
        if moment < self._clock.now():
            raise SpecError(f"today cannot go back to {day} (it is already {self._clock.now():%Y-%m-%d %H:%M})")  # noqa: E501
        self._clock.set(moment)

    def now(self) -> dt.datetime:
        return self.clock.now()

    def note(self, line: str) -> None:
        self.timeline.append(f"[{self.now():%Y-%m-%d %H:%M}] {line}")

    # ------------------------------------------------------------------ setup

    def load_setup(self, data: Mapping[str, Any]) -> None:
        try:
            self.engine.load_setup(data)
        except Exception as exc:
            from ..errors import WerkstroomError

            if isinstance(exc, WerkstroomError):
                raise SpecError(f"the approval setup was refused: {exc}") from exc
            raise

    def resolve_path(self, name: str) -> Path:
        p = Path(name)
        if p.is_absolute():
            return p
        for base in (self.base_dir, Path.cwd()):
            if (base / p).exists():
                return (base / p).resolve()
        return self.base_dir / p

    def require_file(self, p: Path) -> None:
        """A workflow file must exist (WF100, with the .wf files next to where it was looked for)."""
        if p.is_file():
            return
        folder = p.parent if p.parent.is_dir() else self.base_dir
        there = sorted(x.name for x in folder.glob("*.wf"))
        hint = suggestion(p.name, there)
        raise SpecError(f"there is no workflow file {p}{hint} (.wf files in {folder}: "
                        f"{', '.join(there) or 'none'}; the path is relative to the feature file's folder)",
                        code="WF100")

    @staticmethod
    def diagnostics_text(exc: BaseException, text: str, path: str) -> str:
        """The errors of a refused script as ``wf check`` shows them (file:line:column, the line, a caret)."""
        from ..errors import DiagnosticsError

        if not isinstance(exc, DiagnosticsError):
            return ""
        diags = [d for d in exc.diagnostics if d.is_error]
        if not diags:  # syntax errors: the engine's refusal names only the first, parse again for all
            from ..grammar.parser import parse

            diags = [d for d in parse(text, path).diagnostics if d.is_error]
        if not diags:
            return ""
        from ..render import render_text
        from ..source import SourceFile

        return f"{exc}\n" + render_text(diags, {path: SourceFile(path, text)})

    def deploy_and_enable(self, text: str, path: str) -> list[str]:
        """Deploy every workflow of ``text`` and enable them; raises the binder's or the engine's error
        unchanged."""
        from .. import deploy

        deployed = deploy(self.engine, text, path)
        codes = [d.code for d in deployed]
        for code in codes:
            self.engine.enable(code)
            self.workflows.append(code)
            self.note(f"workflow {code} enabled (from {path})")
        return codes

    def template_text(self, template: str, code: str, edits: Sequence[tuple[str, str]] = ()) -> str:
        spec = self.engine.catalogue.template(template)
        if spec is None:
            known = ", ".join(t.code for t in self.engine.catalogue.templates) or "none"
            hint = suggestion(template, (t.code for t in self.engine.catalogue.templates))
            raise SpecError(f"there is no template {template!r}{hint} (templates: {known})", code=WORDS)
        text: str = spec.text
        header = re.compile(rf"^(\s*workflow\s+){re.escape(spec.code)}\b", re.MULTILINE | re.IGNORECASE)
        if not header.search(text):
            raise SpecError(f"template {template} has no `workflow {spec.code}` header to rename")
        text = header.sub(lambda m: m.group(1) + code, text, count=1)
        for old, new in edits:
            if old not in text:
                raise SpecError(f"the template {template} does not contain {old!r}, so it cannot be "
                                f"replaced by {new!r}", code=WORDS)
            text = text.replace(old, new)
        return text

    # ------------------------------------------------------------------ records

    def kind(self, words: str) -> Kind:
        w = " ".join(words.lower().split())
        found = KINDS.get(w)
        if found is not None:
            return found
        spec = self.record_spec_named(words.strip())
        if spec is not None:
            return Kind(spec.name, (), tuple(spec.key))
        known = ", ".join(sorted(KINDS))
        hint = suggestion(w, [*KINDS, *(r.name for r in self.engine.catalogue.records)])
        raise SpecError(f"unknown kind of record {words!r}{hint} Use one of {known}, or a record type name "
                        "with its key (the PurchaseHeader \"Invoice|1001\")", code=WORDS)

    def record_spec_named(self, name: str) -> RecordSpec | None:
        cat = self.engine.catalogue
        spec: RecordSpec | None = cat.record(name)
        if spec is None:
            for r in cat.records:
                if r.name.lower() == name.lower():
                    return r  # type: ignore[no-any-return]
        return spec

    def spec(self, record_type: str) -> RecordSpec:
        spec = self.record_spec_named(record_type)
        if spec is None:
            hint = suggestion(record_type, (r.name for r in self.engine.catalogue.records))
            raise SpecError(f"unknown record type {record_type!r}{hint} (see `wf catalogue records`)",
                            code=WORDS)
        return spec

    def thing(self, words: str, ident: str, *, create: bool = True) -> Thing:
        """The record named ``the <words> "<ident>"`` (made with its key values when first named)."""
        kind = self.kind(words)
        label = f'{" ".join(words.split())} "{ident}"'
        tag = f"{kind.record_type}|{label.lower()}"
        found = self.things.get(tag)
        if found is not None:
            return found
        if not create:
            raise SpecError(f"the scenario has not created {label} yet")
        sep = "|" if kind.record_type.lower() == " ".join(words.split()).lower() else "/"
        parts = ident.split(sep) if len(kind.id_fields) > 1 else [ident]
        if len(parts) != len(kind.id_fields):
            raise SpecError(f"{label}: give {' and '.join(kind.id_fields)} separated by {sep!r}", code=WORDS)
        values: dict[str, Any] = dict(kind.fixed)
        values.update(zip(kind.id_fields, parts, strict=True))
        spec = self.spec(kind.record_type)
        if spec.field("status") is not None and kind.record_type in ("PurchaseHeader", "SalesHeader"):
            values.setdefault("status", "Open")
        t = Thing(label, kind.record_type, values)
        self.things[tag] = t
        return t

    def named(self, words: str, ident: str) -> Thing:
        """The record a Then step names: one an earlier step made, or one the engine stores. A record
        nobody made is a mistake in the feature (often a misspelt key), not a record with no status."""
        before = dict(self.things)
        t = self.thing(words, ident)
        if any(x is t for x in before.values()):
            return t
        try:
            stored = self.engine.record(t.record_type, self.key(t))
        except SpecError:
            stored = None
        if stored is None:
            self.things = before
            labels = [x.label for x in before.values()]
            hint = suggestion(t.label, labels)
            raise SpecError(f"no earlier step made {t.label}{hint} (records of this scenario: "
                            f"{', '.join(labels) or 'none'})", code=WORDS)
        return t

    def field_name(self, record_type: str, words: str) -> str:
        spec = self.spec(record_type)
        n = norm(words)
        names = [f.name for f in spec.fields]
        if n in names:
            return n
        starts = [f for f in names if f.startswith(n + "_")]
        if len(starts) == 1:
            return starts[0]
        hint = suggestion(n, names)
        raise SpecError(f"{record_type} has no field {words!r}{hint} (fields: {', '.join(names)})",
                        code=WORDS)

    def typed_values(self, record_type: str, row: Mapping[str, str]) -> dict[str, Any]:
        """Table cells as field values: headers are field names in words; empty cells are left out."""
        from ..catalogue.specs import FieldKind

        out: dict[str, Any] = {}
        spec = self.spec(record_type)
        for head, cell in row.items():
            if cell == "":
                continue
            rel = spec.relation(norm(head))
            if rel is not None:
                raise SpecError(f"{head!r}: give related {rel.record} records with their own step",
                                code=WORDS)
            name = self.field_name(record_type, head)
            f = spec.field(name)
            if f is not None and f.kind is FieldKind.DECIMAL:
                cell = amount_text(cell, head.strip())
            out[name] = cell
        return out

    def store(self, t: Thing) -> None:
        """Write the record to the engine (validated there)."""
        from ..errors import WerkstroomError

        values = dict(t.values)
        if t.lines:
            values["lines"] = [dict(x) for x in t.lines]
        try:
            t.key = self.engine.put_record(t.record_type, values)
        except WerkstroomError as exc:
            raise SpecError(f"{t.label} cannot be stored: {exc}") from exc

    def current(self, t: Thing) -> dict[str, Any]:
        """The record as the engine has it now (responses change status and fields), lines embedded."""
        if not t.key:
            self.store(t)
        stored = self.engine.record(t.record_type, t.key)
        values = dict(stored) if stored is not None else dict(t.values)
        if t.lines:
            values["lines"] = [dict(x) for x in t.lines]
        return values

    def put_table(self, kind_words: str, rows: Sequence[Mapping[str, str]]) -> list[Thing]:
        kind = self.kind(kind_words)
        made = []
        for row in rows:
            values = self.typed_values(kind.record_type, row)
            parts = [str(values.get(f, "")) for f in kind.id_fields]
            if any(p == "" for p in parts):
                raise SpecError(f"every row of {kind_words} needs {', '.join(kind.id_fields)}", code=WORDS)
            t = self.thing(kind_words, "/".join(parts) if kind.record_type.lower() != kind_words.lower()
                           else "|".join(parts))
            t.values.update(values)
            self.store(t)
            made.append(t)
        return made

    # ------------------------------------------------------------------ actions

    def attempt(self, what: str, action: Callable[[], Sequence[EmitResult] | EmitResult | None]) -> None:
        """Run a When action: refusals (Werkstroom errors) are kept for a Then step to check."""
        from ..errors import WerkstroomError

        self.last = []
        self.error = None
        self.error_checked = False
        self.note(what)
        try:
            result = action()
        except (WerkstroomError, SpecError) as exc:
            self.error = exc
            self.timeline.append(f"   REFUSED: {describe_error(exc)}")
            return
        results: list[EmitResult] = []
        if isinstance(result, list | tuple):
            results.extend(result)
        elif result is not None:
            results.append(cast("EmitResult", result))
        for r in results:
            for h in r.handled:
                self.last.append(h)
                self.timeline.extend("   " + line for line in handled_lines(h))

    def event_of(self, record_type: str, test: Callable[[Any], bool], what: str) -> str:
        for ev in self.engine.catalogue.events:
            if ev.record == record_type and test(ev):
                return str(ev.name)
        raise SpecError(f"no event in the catalogue {what} a {record_type}")

    def emit(self, event: str, t: Thing, user: str, old: Mapping[str, Any] | None = None,
             values: Mapping[str, Any] | None = None) -> EmitResult:
        record = dict(values) if values is not None else self.current(t)
        return self.engine.emit(event, record, user=user.upper(), old=old)

    def open_entries(self, t: Thing | None) -> list[dict[str, Any]]:
        return self._entries(t, "Open")

    def _entries(self, t: Thing | None, status: str | None = None) -> list[dict[str, Any]]:
        """The approval entries (of ``t``'s record when given) as plain data, by entry number."""
        if t is None:
            found = self.engine.approval_entries(status=status)
        else:
            found = self.engine.approval_entries(record_type=t.record_type, record_key=self.key(t),
                                                 status=status)
        return [e.to_json() for e in found]

    def key(self, t: Thing) -> str:
        if not t.key:
            try:
                t.key = self.engine.record_key(t.record_type, t.values)
            except Exception as exc:
                raise SpecError(f"{t.label}: {exc}") from exc
        return t.key

    def pick_entry(self, verb: str, user: str, t: Thing | None) -> str:
        rows = self.open_entries(t)
        where = f" for {t.label}" if t is not None else ""
        if not rows:
            raise SpecError(f"there is no open approval request{where} that {user} could {verb}")
        mine = [r for r in rows if r["approver_id"] == user.upper()]
        if not mine and verb == "delegate":
            mine = [r for r in rows if r["sender_id"] == user.upper()]
        chosen = (mine or rows)[0]
        return str(chosen["entry_id"])

    def entries(self, t: Thing | None) -> list[dict[str, Any]]:
        return self._entries(t)

    def sent_notifications(self) -> list[dict[str, Any]]:
        return [{"recipient": r.recipient_id, "method": r.method, "type": r.entry_type, "text": r.text,
                 "address": r.address} for r in self.engine.sent_notifications()]

    def waiting_notifications(self) -> list[dict[str, Any]]:
        return [{"recipient": r.recipient_id, "type": r.entry_type, "text": r.text, "error": r.error}
                for r in self.engine.waiting_notifications()]

    # ------------------------------------------------------------------ explaining

    def report(self, t: Thing | None = None) -> str:
        """What the engine did: the timeline, and (for a record) its entries and state now."""
        lines = ["What the engine did (timeline):"]
        lines += ["  " + x for x in (self.timeline[-60:] or ["(nothing happened)"])]
        if t is not None and self._engine is not None and t.key:
            st = self.engine.record_state(t.record_type, t.key)
            lines.append(f"Now {t.label}: status {st.status or '(none)'}, "
                         f"{'restricted' if st.restricted else 'not restricted'}, "
                         f"{len(st.running_instances)} running workflow instance(s)")
            rows = self.entries(t)
            if rows:
                lines.append("Approval entries now:")
                lines += ["  " + x for x in table_text(
                    ["entry", "approver", "sequence", "status", "due date", "sender"],
                    [[str(r["entry_no"]), r["approver_id"], str(r["sequence_no"]), r["status"], r["due_date"],
                      r["sender_id"]] for r in rows])]
            else:
                lines.append("Approval entries now: none")
        return "\n".join(lines)
