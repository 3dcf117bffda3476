"""The notification dispatcher (BC's Notification Entry Dispatcher).

``dispatch(uow, now, transport=None)`` looks at every waiting notification entry, keeps those whose
recipient's schedule says they are due (``schedule.due_at``) and whose retry time has come, and bundles
them into one digest per recipient and type:

* method Email: one message to the recipient's e-mail address (approval user setup) over the transport
  (default: SMTP from the stored settings named ``default``);
* method Note: one note per entry stored on the entry's record for the recipient.

Delivered entries move to the sent log (``wf_sent_notification``) and are deleted from the waiting
entries. When delivery fails the entries stay, with the error, an attempt count and a retry time
(5 minutes, doubling per attempt, at most one day).

Several dispatchers may run at once: each claims the waiting entries it reads (on PostgreSQL
``SELECT ... FOR UPDATE SKIP LOCKED``: locked until its transaction ends, and skipped by the others),
so each entry is delivered by one of them. A dispatcher stopped before its commit is rolled back and
its entries wait for the next run (a message it had handed to the server then goes out again).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs
from sqlalchemy import select

from ...store.approvals import ApprovalUserSetup
from ...store.notifications import (
    NotificationEntry,
    NotificationSetup,
    RecordNote,
    SentNotification,
    SmtpSettings,
)
from ..approvals.errors import ApprovalError
from ..unit import UnitOfWork
from . import text as message_text
from .delivery import EntryLinks, SmtpConfig, SmtpTransport, Transport
from .schedule import due_at


@attrs.frozen
class Failure:
    recipient: str
    entry_type: str
    entry_ids: tuple[str, ...]
    error: str
    code: str = "WF621"  # a warning: the entries stay and are retried


@attrs.frozen
class DispatchReport:
    emails: int  # digests sent by e-mail
    notes: int  # notes stored on records
    entries_sent: int
    failures: tuple[Failure, ...]
    waiting: int  # entries not due yet (schedule or retry time)


def setup_for(uow: UnitOfWork, recipient: str, entry_type: str) -> NotificationSetup | None:
    """The recipient's own setup for the type, else the default (blank user), else None (instantly, email)."""
    return (uow.session.get(NotificationSetup, (recipient, entry_type))
            or uow.session.get(NotificationSetup, ("", entry_type)))


def retry_delay(attempts: int) -> dt.timedelta:
    delay: dt.timedelta = dt.timedelta(minutes=5 * 2 ** min(max(attempts - 1, 0), 12))
    return min(delay, dt.timedelta(days=1))


def entry_text(entry: NotificationEntry) -> str:
    values = dict(entry.data or {})
    kind = entry.entry_type
    if kind == "Approval" and entry.approval_entry_id is None:
        kind = "Approval (record)"
    template = entry.message or message_text.DEFAULT_TEXT.get(kind, "{document_no}")
    values.setdefault("recipient", entry.recipient_id)
    values.setdefault("entry_type", entry.entry_type)
    line = message_text.render(template, values)
    link = entry.custom_link or entry.link_target_page
    return f"{line} ({link})" if link else line


def digest(recipient: str, entry_type: str, entries: Sequence[NotificationEntry],
           links: EntryLinks | None = None) -> tuple[str, str]:
    """(subject, body) of one notification overview; with ``links``, each line about an approval
    entry is followed by the address of the entry's page for the recipient."""
    n = len(entries)
    subject = f"Notification overview: {n} {entry_type.lower()} notification{'s' if n != 1 else ''}"
    lines = [f"Hello {recipient},", "", f"You have {n} {entry_type.lower()} notification"
             f"{'s' if n != 1 else ''}:", ""]
    for e in entries:
        lines.append(f"- {entry_text(e)}")
        if links is not None and e.approval_entry_id:
            lines.append(f"  Open it: {links.entry_link(recipient, e.approval_entry_id)}")
    lines += ["", "Change how and when you are notified in your notification setup."]
    return subject, "\n".join(lines) + "\n"


def _default_transport(uow: UnitOfWork) -> Transport | None:
    settings = uow.session.get(SmtpSettings, "default")
    if settings is None:
        return None
    return SmtpTransport(SmtpConfig.from_settings(settings))


def _move_to_sent(uow: UnitOfWork, entries: Sequence[NotificationEntry], now: dt.datetime, method: str,
                  address: str, texts: Sequence[str]) -> None:
    digest_id = uow.ids.new_id("digest")
    for e, text in zip(entries, texts, strict=True):
        uow.session.add(SentNotification(
            id=e.id, entry_type=e.entry_type, recipient_id=e.recipient_id, created_by=e.created_by,
            created_at=e.created_at, sent_at=now, method=method, address=address, digest_id=digest_id,
            record_type=e.record_type, record_key=e.record_key, approval_entry_id=e.approval_entry_id,
            text=text, attempts=e.attempts + 1))
        uow.session.delete(e)


def _fail(entries: Sequence[NotificationEntry], now: dt.datetime, error: str) -> None:
    for e in entries:
        e.attempts += 1
        e.error_message = error
        e.next_attempt_at = now + retry_delay(e.attempts)


# the waiting entries, claimed: on PostgreSQL locked until the dispatch's transaction ends, skipping
# those another dispatch holds (it delivers them); SQLite runs one writer at a time (no clause there)
_CLAIM = (select(NotificationEntry).order_by(NotificationEntry.created_at, NotificationEntry.id)
          .with_for_update(skip_locked=True))


def dispatch(uow: UnitOfWork, now: dt.datetime, transport: Transport | None = None,
             links: EntryLinks | None = None) -> DispatchReport:
    session = uow.session
    pending = list(session.scalars(_CLAIM))
    groups: dict[tuple[str, str], list[NotificationEntry]] = {}
    waiting = 0
    for e in pending:
        if e.next_attempt_at is not None and _aware(e.next_attempt_at) > now:
            waiting += 1
            continue
        user = session.get(ApprovalUserSetup, e.recipient_id)
        tz = user.time_zone if user is not None else "UTC"
        if due_at(setup_for(uow, e.recipient_id, e.entry_type), _aware(e.created_at), tz) > now:
            waiting += 1
            continue
        groups.setdefault((e.recipient_id, e.entry_type), []).append(e)

    emails = notes = sent = 0
    failures: list[Failure] = []
    smtp: Transport | None = transport
    for (recipient, etype), entries in groups.items():
        setup = setup_for(uow, recipient, etype)
        method = setup.method if setup is not None else "Email"
        try:
            texts = [entry_text(e) for e in entries]
        except ApprovalError as exc:
            _fail(entries, now, str(exc))
            failures.append(Failure(recipient, etype, tuple(e.id for e in entries), str(exc)))
            continue
        if method == "Note":
            for e, text in zip(entries, texts, strict=True):
                session.add(RecordNote(id=uow.ids.new_id("note"), record_type=e.record_type,
                                       record_key=e.record_key, to_user_id=recipient, created_at=now,
                                       text=text, notify=True))
            notes += len(entries)
            sent += len(entries)
            _move_to_sent(uow, entries, now, "Note", "", texts)
            continue
        user = session.get(ApprovalUserSetup, recipient)
        address = user.email if user is not None else ""
        error = ""
        if not address:
            error = f"{recipient} has no e-mail address in the approval user setup"
        else:
            if smtp is None:
                smtp = _default_transport(uow)
            if smtp is None:
                error = "no SMTP settings are loaded (add [smtp] to the organisation file)"
            else:
                subject, body = digest(recipient, etype, entries, links)
                try:
                    smtp.send(address, subject, body)
                except (OSError, ApprovalError, ValueError) as exc:  # smtplib errors are OSErrors
                    error = f"{type(exc).__name__}: {exc}"
        if error:
            _fail(entries, now, error)
            failures.append(Failure(recipient, etype, tuple(e.id for e in entries), error))
            continue
        emails += 1
        sent += len(entries)
        _move_to_sent(uow, entries, now, "Email", address, texts)
    session.flush()
    return DispatchReport(emails, notes, sent, tuple(failures), waiting)


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes; everything we store is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
