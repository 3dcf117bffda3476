"""The values a host hands to Werkstroom (the Python API, the `wf` commands, an HTTP API): checked once,
here, before any work is done, and refused with a code that names the field.

* ``InvalidInput`` (WF530): a value of the wrong type, an empty one where one is required, text that is
  too long for its field, holds a NUL character (PostgreSQL cannot store it) or is not valid Unicode
  (an unpaired surrogate: ``"\\ud800"`` in JSON, or bytes that are not UTF-8 on a command line).
* ``InputTooLarge`` (WF531): an event's record (with ``old``) or a comment over its size limit.
* ``InvalidPaging`` (WF532): a list's ``limit``, ``offset`` or ``after`` that is no whole number in range.
* ``UnknownFilter`` (WF533): an approval entry status that is none of BC's five.
* ``InvalidSetupSource`` (WF534): an organisation setup that is neither a mapping nor a file path.

The text rules (``text_problem``) are also the ones a record payload's text fields follow (WF502,
``engine.records.convert``) and the organisation setup's (WF616). The limits are the database columns'
and are documented in docs/engine.md ("Limits").
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from ..catalogue.kinds import text_problem
from ..errors import WerkstroomError

T = TypeVar("T")

MAX_IDEMPOTENCY_KEY = 200  # characters (wf_event_log.idempotency_key)
MAX_USER_ID = 50  # characters: BC's User ID is a Code[50] (wf_approval_user_setup.user_id)
MAX_ENTRY_REF = 64  # characters of an entry id (wf_approval_entry.id); entry numbers are 32-bit
MAX_ENTRY_NO = 2**31 - 1  # the entry-number column is 32-bit
MAX_CODE = 64  # characters of a workflow code (wf_workflow.code)
MAX_DESCRIPTION = 250  # characters of a workflow's description (wf_workflow.description)
MAX_NAME = 100  # characters of an event name or record type (wf_event_log.event)
MAX_RECORD_KEY = 250  # characters (wf_record.record_key)
MAX_INSTANCE_ID = 64  # characters (wf_instance.id)
MAX_PAYLOAD_BYTES = 1_000_000  # an event's record and old record together, as JSON text (UTF-8)
MAX_COMMENT_BYTES = 1_000_000  # an approval comment (UTF-8)
MAX_PAGE = 2**31 - 1  # a list's limit and offset: no list is longer (entry numbers and row ids are 32-bit)
MAX_AFTER = 2**63 - 1  # an id to read after (the outbox's); larger ones no column holds
ENTRY_STATUSES = ("Created", "Open", "Approved", "Rejected", "Canceled")  # BC's Approval Status

_SHOWN = 40  # characters of a refused value shown in a message


class InvalidInput(WerkstroomError):
    """WF530: a value handed to the engine is not valid for its field (the message names it)."""

    code = "WF530"


class InputTooLarge(WerkstroomError):
    """WF531: an event payload or a comment is larger than its limit; nothing was done."""

    code = "WF531"


class InvalidPaging(WerkstroomError):
    """WF532: a list's limit, offset or ``after`` is not a whole number in its range."""

    code = "WF532"


class UnknownFilter(WerkstroomError):
    """WF533: an approval entry status to list by is not one of BC's statuses."""

    code = "WF533"


class InvalidSetupSource(WerkstroomError):
    """WF534: the organisation setup given is neither a mapping nor the path of a TOML file."""

    code = "WF534"


def shown(value: str) -> str:
    """``value`` for a message: quoted with escapes (NUL, surrogates), long ones cut short."""
    return repr(value) if len(value) <= _SHOWN else repr(value[:_SHOWN]) + "..."


def text(field: str, value: object, max_length: int | None, *, required: bool = True) -> str:
    """``value`` as the text of ``field`` (e.g. ``the user``); raises InvalidInput naming the field."""
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be text, not {_type(value)}")
    if required and not value:
        raise InvalidInput(f"{field} is empty; give a value")
    why = text_problem(value, max_length)
    if why is not None:
        raise InvalidInput(f"{field} {shown(value)} {why}")
    return value


def _type(value: object) -> str:
    return "None" if value is None else f"a value of type {type(value).__name__}"


# --------------------------------------------------------------------------- the fields


def user_id(value: object, field: str = "the user") -> str:
    """A user id: BC's Code[50], case-insensitive, kept upper-case."""
    # upper-cased first: a few letters grow ('ß' is 'SS')
    return text(field, text(field, value, None).upper(), MAX_USER_ID)


def idempotency_key(value: object) -> str | None:
    """An idempotency key, or None (no key)."""
    return None if value is None else text("the idempotency key", value, MAX_IDEMPOTENCY_KEY)


def comment(value: object) -> str | None:
    """An approval comment, or None. Its size is checked first (WF531), before its text is read."""
    if value is None:
        return None
    if isinstance(value, str) and len(value) > MAX_COMMENT_BYTES // 4:  # may be over: count the bytes
        size = len(value.encode("utf-8", "surrogatepass"))
        if size > MAX_COMMENT_BYTES:
            raise InputTooLarge(f"the comment has {size:,} bytes; at most {MAX_COMMENT_BYTES:,} are allowed")
    return text("the comment", value, None, required=False)


def optional(check: Callable[[object], T], value: object) -> T | None:
    """``check(value)``, or None for None (a filter or option left out)."""
    return None if value is None else check(value)


def code(value: object, field: str = "the workflow code") -> str:
    """A workflow code (looked up, or checked as a new code by the lifecycle)."""
    return text(field, value, MAX_CODE)


def description(value: object) -> str:
    return text("the description", value, MAX_DESCRIPTION, required=False)


def name(field: str, value: object) -> str:
    """An event name or record type (looked up in the catalogue afterwards)."""
    return text(field, value, MAX_NAME)


def record_key(value: object) -> str:
    """A record's key as text (its key fields joined by ``|``: ``Invoice|PI-1``)."""
    return text("the record key", value, MAX_RECORD_KEY)


def instance_id(value: object) -> str:
    """A workflow instance id."""
    return text("the instance id", value, MAX_INSTANCE_ID)


def entry_ref(value: object) -> str:
    """An approval entry reference: its number (``7``, as text or a whole number) or its id. A number no
    entry can have is refused here (WF615), before any look-up."""
    too_long = isinstance(value, str) and len(value) > MAX_ENTRY_REF and value.isascii() and value.isdigit()
    if too_long or (isinstance(value, int) and not isinstance(value, bool)):
        if too_long or not 0 < value <= MAX_ENTRY_NO:  # type: ignore[operator]  # never written out
            from .approvals.errors import ApprovalError

            raise ApprovalError("WF615", f"entry numbers run from 1 to {MAX_ENTRY_NO:,}: the approval entry "
                                         "does not exist")
        return str(value)
    if not isinstance(value, str):
        raise InvalidInput(f"the approval entry must be its number or id, not {_type(value)}")
    return text("the approval entry", value, MAX_ENTRY_REF)


def entry_number(ref: str) -> int | None:
    """The entry number ``ref`` (an entry reference) names, or None when it is no entry number (ASCII digits
    up to MAX_ENTRY_NO; ``'²'`` is none, and a longer run of digits is not parsed at all)."""
    if not (ref.isascii() and ref.isdigit()) or len(ref.lstrip("0")) > len(str(MAX_ENTRY_NO)):
        return None
    no = int(ref)
    return no if no <= MAX_ENTRY_NO else None


def _whole(field: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidPaging(f"{field} must be a whole number, not {_type(value)}")
    if not low <= value <= high:
        raise InvalidPaging(f"{field} must be a whole number from {low:,} to {high:,}, not {value:,}")
    return value


def page(limit: object, offset: object) -> tuple[int | None, int]:
    """A list's page: ``limit`` rows at most (None: all of them, else 1 or more) after skipping
    ``offset`` (0 or more); refused (WF532) otherwise."""
    checked = None if limit is None else _whole("the limit", limit, 1, MAX_PAGE)
    return checked, _whole("the offset", offset, 0, MAX_PAGE)


def after(value: object, field: str = "after") -> int:
    """The id a list continues after (0: from the start), or another row id to list by."""
    return _whole(field, value, 0, MAX_AFTER)


def entry_statuses(value: object) -> tuple[str, ...] | None:
    """Approval entry statuses to list by: one (``"open"``, any case) or a collection of them; None for
    every status. Anything else is refused (WF533; WF530 for a value that is not text)."""
    if value is None:
        return None
    given = [value] if isinstance(value, str) else value
    if not isinstance(given, list | tuple | set | frozenset):
        raise InvalidInput(f"the status must be text or a list of texts, not {_type(value)}")
    found: list[str] = []
    for item in given:
        word = text("the status", item, MAX_NAME)
        status = next((s for s in ENTRY_STATUSES if s.lower() == word.strip().lower()), None)
        if status is None:
            raise UnknownFilter(f"{shown(word)} is no approval entry status; the statuses are "
                                f"{', '.join(ENTRY_STATUSES)}")
        if status not in found:
            found.append(status)
    if not found:
        raise UnknownFilter(f"no status is given; name one or more of {', '.join(ENTRY_STATUSES)} "
                            "(or leave the filter out for every status)")
    return tuple(found)


def transport(value: object) -> None:
    """Refuse (WF530) a notification transport without a ``send(to, subject, body)`` method (None: the
    default transport)."""
    if value is not None and not callable(getattr(value, "send", None)):
        raise InvalidInput(f"the transport must have a send(to, subject, body) method; {_type(value)} "
                           "has none")


def links(value: object) -> None:
    """Refuse (WF530) notification links without an ``entry_link(recipient, entry_id)`` method (None:
    no links)."""
    if value is not None and not callable(getattr(value, "entry_link", None)):
        raise InvalidInput(f"the links must have an entry_link(recipient, entry_id) method; {_type(value)} "
                           "has none")


def setup_source(value: object) -> Mapping[str, Any] | str:
    """The organisation setup a host loads: a mapping (the parsed TOML), or a TOML file's path (text or
    ``os.PathLike``) as text. Refused: anything else, and text with a line break (TOML text, not a
    path: WF534); a path that is no text a file system takes (WF530)."""
    if isinstance(value, Mapping):
        return value
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if isinstance(value, str):
        if "\n" in value or "\r" in value:
            raise InvalidSetupSource("the organisation setup is text with a line break, not a file path; "
                                     "read TOML text with tomllib.loads(text) and pass the mapping")
        return text("the organisation file", value, None)
    raise InvalidSetupSource(f"the organisation setup must be a mapping (the parsed TOML of an organisation "
                             f"file) or the path of a TOML file, not {_type(value)}")


# --------------------------------------------------------------------------- the engine's calls


def event_arguments(event: object, record: Any, old: Any, user: object, key: object,
                    instance: object) -> tuple[str, str, str | None, str | None]:
    """``Engine.emit``'s arguments: (event name, user id, idempotency key, instance id); the record and
    old record refused (WF531) when larger than MAX_PAYLOAD_BYTES (their fields: ``validate``)."""
    checked = (name("the event", event), user_id(user), idempotency_key(key), optional(instance_id, instance))
    payload("the record", record, also=old)
    return checked


def action_arguments(entry: object, user: object, note: object,
                     key: object) -> tuple[str, str, str | None, str | None]:
    """An approval action's arguments: (entry reference, user id, comment, idempotency key)."""
    return entry_ref(entry), user_id(user), comment(note), idempotency_key(key)


def instance_filters(workflow: object, record_type: object,
                     key: object) -> tuple[str | None, str | None, str | None]:
    """``Engine.instances``' filters (each may be None)."""
    return (optional(code, workflow), optional(lambda v: name("the record type", v), record_type),
            optional(record_key, key))


# --------------------------------------------------------------------------- payloads


def payload_size(value: Any, limit: int) -> int:
    """About the size in bytes of ``value`` written as JSON (texts as UTF-8, numbers as digits, one byte
    per quote, comma or bracket); stops counting once it is over ``limit`` (then answers more than
    ``limit``). Walks without recursion, so a deeply nested value cannot exhaust the stack."""
    size = 0
    stack = [value]
    while stack and size <= limit:
        v = stack.pop()
        if isinstance(v, str):
            size += 2 + (len(v) if v.isascii() else len(v.encode("utf-8", "surrogatepass")))
        elif isinstance(v, Mapping):
            size += 2 + 2 * len(v)  # braces, a colon and a comma for each item
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list | tuple):
            size += 2 + len(v)
            stack.extend(v)
        elif isinstance(v, int) and not isinstance(v, bool):
            size += v.bit_length() * 3 // 10 + 1  # its digits, without writing out a very long number
        else:  # a Decimal, date, boolean, None ...
            size += len(str(v)) if isinstance(v, Decimal) else 10
    return size


def payload(field: str, value: Any, *, also: Any = None) -> None:
    """Refuse (WF531) an event's record (``also``: its old record) larger than MAX_PAYLOAD_BYTES."""
    size = payload_size([value, also], MAX_PAYLOAD_BYTES)
    if size > MAX_PAYLOAD_BYTES:
        raise InputTooLarge(f"{field} is larger than {MAX_PAYLOAD_BYTES:,} bytes (as JSON); split it or "
                            f"store related records first (put_record)")
