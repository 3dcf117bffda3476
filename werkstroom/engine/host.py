"""What a host calls on the engine besides events and workflows: load the organisation setup, list
approval entries and read an entry's history, dispatch notifications and list them (``HostCalls``,
mixed into ``Engine``). The `wf` commands call these same methods.

Every argument is checked first, in ``boundary.py`` (WF530-WF534), and each call runs in one
transaction of its own.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from . import boundary
from .clock import Clock
from .unit import UnitOfWork
from .views import ApprovalEntryInfo, ApprovalHistory, SentNotification, WaitingNotification

if TYPE_CHECKING:
    from .approvals.setup import SetupReport
    from .notifications.delivery import EntryLinks, Transport
    from .notifications.dispatcher import DispatchReport


def _user(field: str) -> Any:
    return lambda value: boundary.user_id(value, field)


class HostCalls:
    """The organisation setup, approval entries and notifications, for a host (see the module)."""

    clock: Clock
    transport: Transport | None
    links: EntryLinks | None

    if TYPE_CHECKING:
        def transaction(self) -> AbstractContextManager[UnitOfWork]: ...

    def load_setup(self, setup: Mapping[str, Any] | str | os.PathLike[str]) -> SetupReport:
        """Load the organisation setup (users, approvers and limits, user groups, notification setup,
        SMTP settings by reference) in one transaction: ``setup`` is the parsed TOML of an organisation
        file (a mapping) or the file's path, in the format of docs/approvals.md (`wf setup load`).
        Everything is checked before anything is written (WF616, WF617, WF622 naming the place)."""
        from .approvals import setup as loader

        source = boundary.setup_source(setup)
        with self.transaction() as uow:
            if isinstance(source, str):
                return loader.load_file(uow, source)
            return loader.load_setup(uow, source)

    def approval_entries(self, *, approver: str | None = None, sender: str | None = None,
                         record_type: str | None = None, record_key: str | None = None,
                         status: str | list[str] | tuple[str, ...] | None = None, limit: int | None = None,
                         offset: int = 0) -> list[ApprovalEntryInfo]:
        """Approval entries, by entry number, matching every filter given: ``approver`` (the user who
        must act), ``sender`` (who sent the request), the record (``record_type``, ``record_key``) and
        ``status`` (one or several of Created, Open, Approved, Rejected, Canceled, any case; None:
        every status). BC's Requests to Approve for USER: ``approver=USER, status="Open"``.
        ``limit`` (None: all) and ``offset`` page through the list."""
        approver = boundary.optional(_user("the approver"), approver)
        sender = boundary.optional(_user("the sender"), sender)
        record_type = boundary.optional(lambda v: boundary.name("the record type", v), record_type)
        record_key = boundary.optional(boundary.record_key, record_key)
        statuses = boundary.entry_statuses(status)
        limit, offset = boundary.page(limit, offset)
        from .approvals import queries

        with self.transaction() as uow:
            return queries.entries(uow, approver=approver, sender=sender, record_type=record_type,
                                   record_key=record_key, statuses=statuses, limit=limit, offset=offset)

    def approval_history(self, entry_id: str | int) -> ApprovalHistory:
        """The approval entry ``entry_id`` (its id or number) with its audit trail, oldest first, and
        the comments on its request; WF615 when there is no such entry."""
        ref = boundary.entry_ref(entry_id)
        from .approvals import queries

        with self.transaction() as uow:
            return queries.history(uow, ref)

    def dispatch_notifications(self, transport: Transport | None = None, *,
                               links: EntryLinks | None = None) -> DispatchReport:
        """Deliver the notifications due at the clock's now, one digest per recipient and type, in one
        transaction. E-mail goes over ``transport`` (an object with ``send(to, subject, body)``), else
        the one the engine was opened with, else SMTP with the loaded ``[smtp]`` settings. A delivery
        that fails keeps its entries, with the error, for a later dispatch (``report.failures``).
        ``links`` (else the engine's ``links``): each e-mail line about an approval entry is followed
        by ``links.entry_link(recipient, entry_id)``, the address of the entry's page."""
        boundary.transport(transport)
        boundary.links(links)
        from .notifications.dispatcher import dispatch

        with self.transaction() as uow:
            return dispatch(uow, self.clock.now(), transport or self.transport, links or self.links)

    def waiting_notifications(self, *, limit: int | None = None,
                              offset: int = 0) -> list[WaitingNotification]:
        """The notification entries not delivered yet, oldest first (a failed delivery with its error)."""
        limit, offset = boundary.page(limit, offset)
        from .notifications import queries

        with self.transaction() as uow:
            return queries.waiting(uow, limit, offset)

    def sent_notifications(self, *, limit: int | None = None, offset: int = 0) -> list[SentNotification]:
        """The sent log, in the order the notifications went out."""
        limit, offset = boundary.page(limit, offset)
        from .notifications import queries

        with self.transaction() as uow:
            return queries.sent(uow, limit, offset)
