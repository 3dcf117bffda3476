"""The run context a response behaviour receives: the only door from a response to the engine.

Partner responses and the stdlib's alike get a ``ResponseContext`` and nothing global. The engine
implements these protocols on top of one database transaction (everything a response does commits
with the handled event, or not at all).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any, Protocol


class RecordHandle(Protocol):
    """A record as the engine holds it. ``type``: record type name (``PurchaseHeader``). ``key``: its
    identity (key field values joined with ``|``). ``values``: current field values (changes are
    written back and seen by later responses in the chain). ``old_values``: for change events."""

    @property
    def type(self) -> str: ...
    @property
    def key(self) -> str: ...
    @property
    def values(self) -> MutableMapping[str, Any]: ...
    @property
    def old_values(self) -> Mapping[str, Any] | None: ...


class ApprovalsAPI(Protocol):
    """Approval entries of the current record in the current instance (BC's Approvals Mgmt.)."""

    def create_requests(self, options: Mapping[str, Any]) -> None:
        """Create entries per approver type / limit type (options as bound: approver_type,
        limit_type, workflow_user_group, approver_id, due_date_formula, delegate_after,
        show_confirmation, quorum, no_self_approval)."""

    def send_requests(self, options: Mapping[str, Any]) -> None:
        """Open the lowest pending sequence and notify its approvers."""

    def approve_all(self) -> None: ...
    def reject_all(self, options: Mapping[str, Any]) -> None: ...
    def cancel_all(self, options: Mapping[str, Any]) -> None: ...
    def create_and_approve_automatically(self) -> None: ...
    def create_overdue_notifications(self, options: Mapping[str, Any]) -> None: ...
    def request_comment(self) -> None: ...


class NotificationsAPI(Protocol):
    """Notification entries (delivered later by the dispatcher per the recipient's schedule)."""

    def create_entry(self, options: Mapping[str, Any]) -> None:
        """options: recipient (user id) or notify_sender, entry_type (new record | approval |
        overdue), link_target_page, custom_link, message."""


class RecordStateAPI(Protocol):
    """The workflow-relevant state of records that the engine keeps for the host."""

    def set_status(self, status: str) -> None: ...
    def restrict(self) -> None: ...
    def allow(self) -> None: ...
    def revert_field(self, field: str) -> None: ...
    def apply_new_values(self, field: str | None) -> None: ...
    def discard_new_values(self) -> None: ...


class ResponseContext(Protocol):
    """What a running response may read and do."""

    @property
    def record(self) -> RecordHandle:
        """The event's record (for approval-entry events: the approval entry)."""

    @property
    def document(self) -> RecordHandle:
        """The record the workflow is about: the event record, or the record an approval entry points to."""

    @property
    def options(self) -> Mapping[str, Any]:
        """This response's bound option values (defaults filled in)."""

    @property
    def event(self) -> str: ...
    @property
    def user(self) -> str:
        """The acting user."""

    @property
    def workflow_code(self) -> str: ...
    @property
    def workflow_description(self) -> str: ...
    @property
    def instance_id(self) -> str: ...
    @property
    def approvals(self) -> ApprovalsAPI: ...
    @property
    def notifications(self) -> NotificationsAPI: ...
    @property
    def state(self) -> RecordStateAPI: ...

    def now(self) -> dt.datetime: ...
    def today(self) -> dt.date: ...
    def raise_event(self, event: str, record: RecordHandle | None = None) -> None:
        """Queue an event; it is handled after the current response chain, as BC's event queue."""

    def emit_effect(self, kind: str, payload: Mapping[str, Any]) -> None:
        """Put a side effect for the host in the outbox (``document.posted``, ``webhook.call`` ...).

        The payload holds plain data only: text, int, bool, None, Decimal (never float), dates,
        datetimes, and lists and dicts (text keys) of those; anything else raises WF502."""

    def show_message(self, text: str) -> None:
        """A message for the acting user (timeline and outbox kind ``message``)."""

    def explain(self, text: str) -> None:
        """Add a line to the timeline (why something happened)."""

    def related(self, record: RecordHandle, relation: str) -> Sequence[RecordHandle]:
        """The records linked to ``record`` through the relation named ``relation`` (``lines``,
        ``customer``): embedded in the event payload, or stored earlier by the host."""
