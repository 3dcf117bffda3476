"""Who may do what: the one place the service decides it (docs/service.md has the table).

* A system token acts within its scopes: ``events`` (emit events, read the outbox), ``records`` (read
  records, their instances and steps, approval entries, workflows), ``admin`` (deploy, enable and
  disable workflows, load the organisation setup, read workflows). A system never takes an approval
  action: those are a user's (WF806).
* A user token acts as that user only: approve, reject, delegate and cancel as itself (the engine
  refuses what the user may not do: WF612, WF614), list its own entries (to act on, or sent), and
  read an entry or a record it has an entry on, as approver or sender. The approval administrator of
  the setup (a role there, never a flag in the request) may list and read every entry and record.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Table, bindparam, select

from ...engine.boundary import user_id
from ...engine.facade import Engine
from ...store.approvals import ApprovalUserSetup
from ...store.driver import Statement
from ..problems import MissingScope, NeedsUser, NotYours
from . import SYSTEM, Principal

ME = "me"
_SETUP: Table = ApprovalUserSetup.__table__  # type: ignore[assignment]
_ADMINISTRATOR = Statement(select(_SETUP.c.approval_administrator)
                           .where(_SETUP.c.user_id == bindparam("b_user")))


def require_scope(p: Principal, scopes: Iterable[str], what: str) -> None:
    """A system principal with one of ``scopes``, else WF804 (a user, or the wrong scopes)."""
    wanted = tuple(scopes)
    if p.kind == SYSTEM and p.scopes & set(wanted):
        return
    needs = " or ".join(wanted)
    raise MissingScope(f"{p.describe()} may not {what}: that needs a system token with the scope {needs}")


def require_user(p: Principal, what: str) -> str:
    """The user id of a user principal, else WF806: approval actions are taken as a user."""
    if p.is_user:
        return p.name
    raise NeedsUser(f"{p.describe()} may not {what}: approval actions are taken by the approving user "
                    "with the user's own token (`wf tokens create --user USER`), never by a system")


def is_administrator(engine: Engine, user: str) -> bool:
    """Whether ``user`` is the approval administrator of the loaded setup."""
    with engine.transaction(write=False) as uow:
        return bool(uow.db.scalar(_ADMINISTRATOR, {"b_user": user}))


def _named(p: Principal, value: str | None, field: str) -> str | None:
    """A user filter as given: ``me`` is the caller (a user), other ids as the engine writes them."""
    if value is None:
        return None
    if value.strip().lower() == ME:
        return require_user(p, f"list by {field}={ME}")
    return user_id(value, f"the {field}")


def entry_filters(engine: Engine, p: Principal, approver: str | None,
                  sender: str | None) -> tuple[str | None, str | None]:
    """The approver and sender to list approval entries by, for ``p``. A system with ``records`` lists
    any; a user lists entries it must act on (the default) or sent, unless it is the administrator."""
    if not p.is_user:
        require_scope(p, ("records",), "list approval entries")
        return _named(p, approver, "approver"), _named(p, sender, "sender")
    approver, sender = _named(p, approver, "approver"), _named(p, sender, "sender")
    if p.name in (approver, sender) or is_administrator(engine, p.name):
        return approver, sender  # its own entries; the administrator's: any (no filter: every entry)
    if approver is None and sender is None:
        return p.name, None  # a user's list: the entries it must act on
    raise NotYours(f"user {p.name} may list the entries it must act on (approver=me) or has sent "
                   "(sender=me), not another user's: only the approval administrator lists every entry")


def may_read(engine: Engine, p: Principal, parties: Iterable[tuple[str, str]], what: str) -> None:
    """A system with ``records``, or a user who is approver or sender of one of ``parties`` (approver,
    sender) pairs, or the administrator; else WF804 or WF805."""
    if not p.is_user:
        require_scope(p, ("records",), f"read {what}")
        return
    if any(p.name in pair for pair in parties) or is_administrator(engine, p.name):
        return
    raise NotYours(f"user {p.name} may read {what} only when it has an approval entry on it, as approver "
                   "or sender, or as the approval administrator")
