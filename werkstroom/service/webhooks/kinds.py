"""The outbox kinds a webhook can subscribe to, and the kind filter of a subscription.

A filter is a list of entries, each an exact kind (``document.released``), a namespace pattern
(``document.*``: every kind starting with ``document.``) or ``*`` (every kind). Exact kinds and
namespaces must be ones the engine or the standard library emits (a typo would silently match
nothing: refused with WF821 and a did-you-mean); a partner library's own kinds are given as custom
kinds, which are only checked for their shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ...spelling import suggest
from .errors import BadKinds

# kind -> what the host is asked to do or told about (docs/service.md lists them)
KNOWN_KINDS: dict[str, str] = {
    # the engine's own
    "record.status_changed": "a document's workflow status changed (old_status, status)",
    "record.field_reverted": "a field change was reverted until it is approved",
    "record.field_applied": "an approved field change was applied to the record",
    "message": "a message for the acting user",
    "approval.entry_created": "an approval entry was created (entry_id, entry_no, approver, ...)",
    "notification.queued": "a notification entry was queued (notification_id, recipient, ...)",
    # the standard library's responses
    "document.released": "release the document",
    "document.reopened": "reopen the document",
    "document.post": "post the document (background: in a job queue)",
    "approval.comments_requested": "the approver must add a comment",
    "purchase.over_receipt_approved": "over-receipt on the purchase lines was approved",
    "payment_line.create": "create a payment journal line for the posted invoice",
    "job_queue_entry.enabled": "enable the job queue entry",
    "incoming_document.create_document": "create a document from the incoming document",
    "incoming_document.create_journal_line": "create a journal line from the incoming document",
    "ocr.ready": "the incoming document's attachment is ready for OCR",
    "ocr.send": "send the incoming document to the OCR service",
    "ocr.receive": "receive the incoming document from the OCR service",
    "webhook.notify": "the workflow's webhook response (Power Automate): notify the subscriber",
}

ALL = "*"
_KIND = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_\-]*(\.[A-Za-z0-9_\-]+)*")
MAX_KIND = 64
MAX_ENTRIES = 50


def _namespaces() -> set[str]:
    spaces: set[str] = set()
    for kind in KNOWN_KINDS:
        parts = kind.split(".")
        spaces.update(".".join(parts[:n]) for n in range(1, len(parts)))
    return spaces


def _shape(entry: str) -> str:
    """The entry itself when it is ``*``, a kind or ``namespace.*``; else WF821."""
    body = entry[:-2] if entry.endswith(".*") else entry
    if entry == ALL or (len(entry) <= MAX_KIND and _KIND.fullmatch(body)):
        return entry
    raise BadKinds(f"{entry!r} is not a kind, a `namespace.*` pattern or `*` (a kind is words joined "
                   f"by dots, at most {MAX_KIND} characters)")


def _known(entry: str) -> str:
    if entry == ALL or entry in KNOWN_KINDS:
        return entry
    if entry.endswith(".*"):
        space = entry[:-2]
        if space in _namespaces():
            return entry
        hint = suggest(space, sorted(_namespaces()))
        raise BadKinds(f"no kind Werkstroom emits starts with {space + '.'!r}"
                       + (f"; did you mean {hint[0] + '.*'!r}?" if hint else "")
                       + " (a partner library's own kinds: give them as custom kinds)")
    hint = suggest(entry, sorted(KNOWN_KINDS))
    raise BadKinds(f"Werkstroom emits no effect of kind {entry!r}"
                   + (f"; did you mean {hint[0]!r}?" if hint else "")
                   + " (a partner library's own kinds: give them as custom kinds; `wf webhooks kinds` "
                   "lists Werkstroom's)")


def checked_filter(kinds: Iterable[object], custom: Iterable[object] = ()) -> tuple[str, ...]:
    """The filter to store: ``kinds`` (known kinds, namespaces of known kinds, ``*``) then ``custom``
    (any well-formed kind or pattern), without repeats, in the order given. WF821 when it is empty,
    too long, or an entry is not text, not well formed or (in ``kinds``) not known."""
    found: list[str] = []
    for entries, check in ((kinds, True), (custom, False)):
        for entry in entries:
            if not isinstance(entry, str):
                raise BadKinds(f"a kind is text, got {type(entry).__name__}")
            entry = _shape(entry.strip())
            if check:
                _known(entry)
            if entry not in found:
                found.append(entry)
    if not found:
        raise BadKinds("name at least one kind to subscribe to (`*` for every kind)")
    if len(found) > MAX_ENTRIES:
        raise BadKinds(f"a subscription names at most {MAX_ENTRIES} kinds, got {len(found)}")
    return tuple(found)


def matches(kinds: Sequence[str], kind: str) -> bool:
    """Whether an outbox row of ``kind`` passes the filter ``kinds``."""
    for entry in kinds:
        if entry in (kind, ALL) or (entry.endswith(".*") and kind.startswith(entry[:-1])):
            return True
    return False


__all__ = ["ALL", "KNOWN_KINDS", "checked_filter", "matches"]
