"""Approval entries: the lists (``GET /approval-entries``), one entry with its history, and the
actions (``POST /approval-entries/{entry}/approve|reject|delegate|cancel``), taken as the user whose
token it is (never as a user named in the request)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from ...engine.views import ApprovalHistory
from ..auth.policy import entry_filters, may_read, require_user
from ..context import ServiceRoute, answer, described, read_body, service
from . import models
from .common import IDEMPOTENCY_HEADER, PREFIX, idempotency_key, page_limit

router = APIRouter(prefix=PREFIX, tags=["approvals"], route_class=ServiceRoute)


@router.get("/approval-entries", summary="List approval entries",
            responses={200: {"model": models.EntryPage}})
async def entries(request: Request, approver: str | None = None,
                  sender: str | None = None, record_type: str | None = None, record_key: str | None = None,
                  status: Annotated[list[str] | None, Query()] = None, limit: int = 50,
                  offset: int = 0) -> Response:
    """Entries by entry number, matching every filter given. ``approver`` and ``sender`` take a user id
    or ``me``; ``status`` one or more of Created, Open, Approved, Rejected, Canceled. A user's token
    lists the entries the user must act on (no filter: ``approver=me``) or has sent (``sender=me``);
    the approval administrator's lists any (no filter: every entry), as does a system token with the
    scope ``records``."""
    svc = service(request)

    def work() -> Response:
        p = svc.principal(request)
        size = page_limit(svc, limit)
        with svc.store() as eng:
            by_approver, by_sender = entry_filters(eng, p, approver, sender)
            rows = eng.approval_entries(approver=by_approver, sender=by_sender, record_type=record_type,
                                        record_key=record_key, status=status, limit=size, offset=offset)
        items = [e.to_json() for e in rows]
        more = offset + size if len(items) == size else None
        return answer({"items": items, "limit": size, "offset": offset, "next_offset": more})

    return await svc.run(work)


def history_json(found: ApprovalHistory) -> dict[str, Any]:
    return {"entry": found.entry.to_json(),
            "audit": [{"at": a.at, "user": a.user, "action": a.action, "old_status": a.old_status,
                       "new_status": a.new_status, "detail": a.detail, "comment": a.comment}
                      for a in found.audit],
            "comments": [{"at": c.at, "user": c.user, "comment": c.comment} for c in found.comments]}


@router.get("/approval-entries/{entry}", summary="One approval entry with its history",
            responses={200: {"model": models.EntryHistory}})
async def entry(entry: str, request: Request) -> Response:
    """The entry (by number or id), its audit trail and the comments on its request: for its approver,
    its sender, the approval administrator, or a system token with the scope ``records``."""
    svc = service(request)

    def work() -> Response:
        p = svc.principal(request)
        with svc.store() as eng:
            found = eng.approval_history(entry)
            may_read(eng, p, [(found.entry.approver_id, found.entry.sender_id)], f"approval entry {entry}")
        return answer(history_json(found))

    return await svc.run(work)


async def _act(request: Request, verb: str) -> Response:
    """Take the action ``verb`` on the path's entry as the token's user, with the comment of the body
    (an optional ``ActionRequest``; cancel takes none) and the ``Idempotency-Key`` header."""
    svc = service(request)
    entry: str = request.path_params["entry"]
    key = idempotency_key(request)
    body = None if verb == "cancel" else await read_body(request, models.ActionRequest, required=False)
    comment = body.comment if body is not None else None

    def work() -> Response:
        p = svc.principal(request)
        user = require_user(p, f"{verb} approval entries")
        with svc.event(verb) as eng:
            if verb == "cancel":
                result = eng.cancel(entry, user, idempotency_key=key)
            else:
                result = getattr(eng, verb)(entry, user, comment, idempotency_key=key)
        svc.counted(verb, result.replayed)
        return answer(result.to_json())

    return await svc.run(work)


_ANSWERS: dict[int | str, dict[str, Any]] = {200: {"model": models.EmitAnswer}}
_ENTRY = {"entry": "The entry's number (or id)."}
_ACTION = described(body=models.ActionRequest, body_required=False, path=_ENTRY, headers=[IDEMPOTENCY_HEADER])


@router.post("/approval-entries/{entry}/approve", summary="Approve an entry", responses=_ANSWERS,
             openapi_extra=_ACTION)
async def approve(request: Request) -> Response:
    """Approve as the token's user (its approver, or the approval administrator) and run the workflow."""
    return await _act(request, "approve")


@router.post("/approval-entries/{entry}/reject", summary="Reject an entry", responses=_ANSWERS,
             openapi_extra=_ACTION)
async def reject(request: Request) -> Response:
    """Reject as the token's user and run the workflow."""
    return await _act(request, "reject")


@router.post("/approval-entries/{entry}/delegate", summary="Delegate an entry", responses=_ANSWERS,
             openapi_extra=_ACTION)
async def delegate(request: Request) -> Response:
    """Delegate to the approver's substitute (or as the setup says) as the token's user."""
    return await _act(request, "delegate")


@router.post("/approval-entries/{entry}/cancel", summary="Cancel the request of an entry", responses=_ANSWERS,
             openapi_extra=described(path=_ENTRY, headers=[IDEMPOTENCY_HEADER]))
async def cancel(request: Request) -> Response:
    """Cancel the approval request the entry belongs to, as the token's user (its sender or the approval
    administrator): the record's ...ApprovalRequestCanceled event."""
    return await _act(request, "cancel")
