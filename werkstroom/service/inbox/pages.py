"""What the inbox's pages show, read from the engine's public methods: rows of approval entries, the
requests a user sent, and everything about one entry (its document and lines, the history of the
whole request, its comments and the workflow step that made it). Values are plain text in the user's
language; the templates only place them (and escape them)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs

from ...engine.approvals.errors import ApprovalError
from ...engine.facade import Engine
from ...engine.views import ApprovalEntryInfo, ApprovalHistory, StepInfo
from ...engine.workflows import UnknownWorkflow
from .errors import NotYours
from .texts import Translate, translator, word

STATUSES = ("Open", "Approved", "Rejected", "Canceled", "Created")
PENDING = ("Created", "Open")
# the responses that make approval entries (the stdlib's; a partner's are found by their name)
CREATORS = ("create_approval_requests", "create_and_approve_approval_request_automatically")


@attrs.frozen
class Viewer:
    """Who looks: the ``user``, their ``language`` and ``time_zone``, and whether they are the approval
    administrator of the setup."""

    user: str
    language: str = "en"
    time_zone: str = "UTC"
    administrator: bool = False

    @property
    def t(self) -> Translate:
        return translator(self.language)

    def zone(self) -> dt.tzinfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return dt.UTC

    def today(self, now: dt.datetime) -> dt.date:
        return now.astimezone(self.zone()).date()

    def moment(self, at: dt.datetime) -> str:
        return at.astimezone(self.zone()).strftime("%Y-%m-%d %H:%M")


def money(amount: Decimal, lang: str) -> str:
    """``12,345.60`` (en) or ``12.345,60`` (nl)."""
    text = f"{amount:,.2f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "nl" else text


def document(e: ApprovalEntryInfo, lang: str) -> str:
    """``Invoice PI-1001`` (the record's type and key when the entry names no document)."""
    if e.document_no:
        return f"{word(lang, e.document_type)} {e.document_no}".strip()
    return f"{e.record_type} {e.record_key}"


@attrs.frozen
class Row:
    """One approval entry as a row of a list."""

    no: int
    id: str
    document: str
    amount: str
    currency: str
    requester: str
    approver: str
    due: str
    overdue: bool
    due_today: bool
    status: str
    status_value: str
    sent: str
    open: bool


def row(e: ApprovalEntryInfo, viewer: Viewer, today: dt.date) -> Row:
    lang = viewer.language
    pending = e.status in PENDING
    return Row(e.entry_no, e.entry_id, document(e, lang), money(e.amount, lang), e.currency_code or "LCY",
               e.sender_id, e.approver_id, e.due_date.isoformat(), pending and e.due_date < today,
               pending and e.due_date == today, viewer.t(f"status.{e.status}"), e.status,
               viewer.moment(e.sent_at), e.status == "Open")


def _matches(e: ApprovalEntryInfo, search: str) -> bool:
    return not search or search.casefold() in e.document_no.casefold()


def requests_to_approve(engine: Engine, viewer: Viewer, status: str | None, search: str) -> list[Row]:
    """The viewer's entries as approver (``status``: one status, None: any), newest first, whose
    document number contains ``search`` (any case)."""
    found = engine.approval_entries(approver=viewer.user, status=status)
    today = viewer.today(engine.clock.now())
    return [row(e, viewer, today) for e in sorted(found, key=lambda e: e.entry_no, reverse=True)
            if _matches(e, search)]


def every_open(engine: Engine, viewer: Viewer, search: str) -> list[Row]:
    """Every Open entry (the approval administrator's view): overdue first, then by due date, newest
    first within a day."""
    today = viewer.today(engine.clock.now())
    found = [e for e in engine.approval_entries(status="Open") if _matches(e, search)]
    found.sort(key=lambda e: (e.due_date >= today, e.due_date, -e.entry_no))
    return [row(e, viewer, today) for e in found]


@attrs.frozen
class SentRequest:
    """One request the viewer sent: its document, where it stands, whether it can be canceled, and an
    entry to cancel it by."""

    document: str
    amount: str
    currency: str
    sent: str
    stands: str
    cancelable: bool
    entry_no: int
    rows: tuple[Row, ...]


def _stands(entries: Sequence[ApprovalEntryInfo], t: Translate) -> tuple[str, bool]:
    waiting = [e.approver_id for e in entries if e.status == "Open"]
    if waiting:
        return t("sent.waiting", users=", ".join(dict.fromkeys(waiting))), True
    if any(e.status == "Created" for e in entries):
        later = [e.approver_id for e in entries if e.status == "Created"]
        return t("sent.waiting", users=", ".join(dict.fromkeys(later))), True
    rejected = [e.approver_id for e in entries if e.status == "Rejected"]
    if rejected:
        return t("sent.rejected", users=", ".join(dict.fromkeys(rejected))), False
    if entries and all(e.status == "Approved" for e in entries):
        return t("sent.approved"), False
    return t("sent.canceled"), False


def sent_requests(engine: Engine, viewer: Viewer, pending_only: bool) -> list[SentRequest]:
    """The requests the viewer sent (their entries grouped by record and instance), newest first."""
    groups: dict[tuple[str, str, str], list[ApprovalEntryInfo]] = {}
    for e in engine.approval_entries(sender=viewer.user):
        groups.setdefault((e.record_type, e.record_key, e.instance_id), []).append(e)
    today = viewer.today(engine.clock.now())
    out = []
    for entries in groups.values():
        stands, pending = _stands(entries, viewer.t)
        if pending_only and not pending:
            continue
        first = entries[0]
        out.append(SentRequest(document(first, viewer.language), money(first.amount, viewer.language),
                               first.currency_code or "LCY", viewer.moment(first.sent_at), stands,
                               pending and takes_cancel(engine, first.instance_id),
                               max(e.entry_no for e in entries),
                               tuple(row(e, viewer, today) for e in entries)))
    out.sort(key=lambda r: r.entry_no, reverse=True)
    return out


@attrs.frozen
class Step:
    number: int
    name: str
    description: str
    event: str
    workflow: str


@attrs.frozen
class HistoryLine:
    """One entry of the request in the history: who, in which order, its status, what happened."""

    no: int
    sequence: int
    approver: str
    status: str
    status_value: str
    events: tuple[str, ...]
    mark: str
    current: bool


@attrs.frozen
class EntryPage:
    entry: ApprovalEntryInfo
    row: Row
    fields: tuple[tuple[str, str], ...]
    lines: tuple[tuple[str, tuple[str, ...], tuple[tuple[str, ...], ...]], ...]
    history: tuple[HistoryLine, ...]
    comments: tuple[tuple[str, str, str], ...]
    step: Step | None
    may_decide: bool
    may_delegate: bool
    may_cancel: bool
    record_stored: bool


def history_of(engine: Engine, viewer: Viewer, ref: str | int) -> ApprovalHistory:
    """The entry ``ref`` if the viewer may see it (its approver, its requester, someone who acted on
    it, or the approval administrator); WF846 otherwise, and for an entry that does not exist."""
    try:
        found = engine.approval_history(ref)
    except ApprovalError as exc:
        if exc.code != "WF615":
            raise
        raise NotYours(f"there is no approval entry {ref} among yours") from None
    e = found.entry
    if not (viewer.administrator or viewer.user in (e.approver_id, e.sender_id)
            or any(a.user == viewer.user for a in found.audit)):
        raise NotYours(f"there is no approval entry {ref} among yours")
    return found


def _text(value: Any, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return {"en": ("no", "yes"), "nl": ("nee", "ja")}[lang][value]
    if isinstance(value, Decimal):
        return money(value, lang) if value == value.quantize(Decimal("0.01")) else str(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _fields(engine: Engine, record_type: str, values: dict[str, Any], lang: str
            ) -> tuple[tuple[str, str], ...]:
    """The record's fields with their captions, in the record type's order (lists left out)."""
    spec = engine.catalogue.record(record_type)
    order = [f.name for f in spec.fields] if spec is not None else []
    names = [n for n in order if n in values] + sorted(n for n in values if n not in order)
    captions = {f.name: f.bc_name or f.name for f in spec.fields} if spec is not None else {}
    enums = {f.name for f in spec.fields if f.enum is not None} if spec is not None else set()
    return tuple((captions.get(n, n), word(lang, values[n]) if n in enums else _text(values[n], lang))
                 for n in names if values[n] is not None and not isinstance(values[n], list | dict))


def _lines(engine: Engine, e: ApprovalEntryInfo, lang: str
           ) -> tuple[tuple[str, tuple[str, ...], tuple[tuple[str, ...], ...]], ...]:
    """The record's to-many relations (a document's lines) as tables: (title, captions, rows)."""
    spec = engine.catalogue.record(e.record_type)
    out = []
    for rel in (r for r in (spec.relations if spec is not None else ()) if r.many):
        items = engine.related(e.record_type, e.record_key, rel.name)
        if not items:
            continue
        target = engine.catalogue.record(rel.record)
        joined = {there for _, there in rel.join}
        order = [f.name for f in target.fields] if target is not None else sorted(items[0])
        names = [n for n in order if n not in joined and any(i.get(n) is not None for i in items)]
        captions = {f.name: f.bc_name or f.name for f in target.fields} if target is not None else {}
        out.append((rel.name, tuple(captions.get(n, n) for n in names),
                    tuple(tuple(_text(i.get(n), lang) for n in names) for i in items)))
    return tuple(out)


def takes_cancel(engine: Engine, instance_id: str) -> bool:
    """Whether the instance waits for its record's cancel event (an active ``...ApprovalRequestCanceled``
    step, as BC's templates have): only then does canceling the request do anything."""
    try:
        steps = engine.steps(instance_id)
    except UnknownWorkflow:
        return False
    return any(s.kind == "event" and s.status == "Active" and s.name.endswith("ApprovalRequestCanceled")
               for s in steps)


def _step(engine: Engine, e: ApprovalEntryInfo) -> Step | None:
    """The workflow step that made the entry: the completed response of the instance that creates
    approval requests, with the event step it followed."""
    try:
        steps = engine.steps(e.instance_id)
    except UnknownWorkflow:  # the instance is gone: the page names the workflow only
        return None
    by_id = {s.step_id: s for s in steps}
    made = [s for s in steps if s.kind == "response" and s.status == "Completed"
            and (s.name in CREATORS or ("create" in s.name and "approval" in s.name))]
    if not made:
        return None
    step = made[0]
    event: StepInfo | None = step
    while event is not None and event.kind != "event":
        event = by_id.get(event.parent) if event.parent is not None else None
    spec = engine.catalogue.response(step.name)
    return Step(step.step_id, step.name, spec.description if spec is not None else "",
                event.name if event is not None else "", e.approval_code)


def _history(engine: Engine, viewer: Viewer, e: ApprovalEntryInfo, own: ApprovalHistory
             ) -> tuple[HistoryLine, ...]:
    t = viewer.t
    siblings = [s for s in engine.approval_entries(record_type=e.record_type, record_key=e.record_key)
                if s.instance_id == e.instance_id]
    lines = []
    for s in sorted(siblings, key=lambda s: (s.sequence_no, s.entry_no)):
        audit = own.audit if s.entry_id == e.entry_id else engine.approval_history(s.entry_id).audit
        events = [t("history.at", action=t(f"action.{a.action}"), user=a.user, at=viewer.moment(a.at))
                  + (f": {a.comment}" if a.comment else "") + (f" ({a.detail})" if a.detail else "")
                  for a in audit]
        if s.status == "Open":
            events.append(t("history.waiting_since", user=s.approver_id, at=viewer.moment(s.sent_at)))
        mark = t("entry.next") if s.status == "Open" else t("entry.later") if s.status == "Created" else ""
        lines.append(HistoryLine(s.entry_no, s.sequence_no, s.approver_id, t(f"status.{s.status}"), s.status,
                                 tuple(events), mark, s.entry_id == e.entry_id))
    return tuple(lines)


def entry_page(engine: Engine, viewer: Viewer, ref: str | int) -> EntryPage:
    """Everything the page of entry ``ref`` shows (WF846 when it is not the viewer's)."""
    found = history_of(engine, viewer, ref)
    e = found.entry
    lang = viewer.language
    values = engine.record(e.record_type, e.record_key)
    is_approver = viewer.user == e.approver_id or viewer.administrator
    pending = any(s.instance_id == e.instance_id for s in engine.approval_entries(
        record_type=e.record_type, record_key=e.record_key, status=list(PENDING)))
    return EntryPage(
        entry=e, row=row(e, viewer, viewer.today(engine.clock.now())),
        fields=_fields(engine, e.record_type, values or {}, lang),
        lines=_lines(engine, e, lang) if values is not None else (),
        history=_history(engine, viewer, e, found),
        comments=tuple((c.user, viewer.moment(c.at), c.comment) for c in found.comments),
        step=_step(engine, e),
        may_decide=e.status == "Open" and is_approver,
        may_delegate=e.status == "Open" and (is_approver or viewer.user == e.sender_id),
        may_cancel=pending and (viewer.user == e.sender_id or viewer.administrator)
        and takes_cancel(engine, e.instance_id),
        record_stored=values is not None)


def next_approvers(engine: Engine, e: ApprovalEntryInfo) -> list[str]:
    """Who must act next on the request ``e`` belongs to (its Open entries' approvers)."""
    return list(dict.fromkeys(s.approver_id for s in engine.approval_entries(
        record_type=e.record_type, record_key=e.record_key, status="Open") if s.instance_id == e.instance_id))


def record_status(engine: Engine, e: ApprovalEntryInfo, lang: str) -> str:
    status = engine.record_state(e.record_type, e.record_key).status
    return word(lang, str(status)) if status else "?"
