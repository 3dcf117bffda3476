"""Events in (``POST /events``), effects out (``GET /outbox``), and who is asking (``GET /me``)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from ..auth.policy import is_administrator, require_scope
from ..context import ServiceRoute, answer, described, read_body, service
from . import models
from .common import IDEMPOTENCY_HEADER, PREFIX, idempotency_key, page_limit

router = APIRouter(prefix=PREFIX, route_class=ServiceRoute)


@router.post("/events", summary="Emit an event for a record", responses={200: {"model": models.EmitAnswer}},
             tags=["events"], openapi_extra=described(body=models.EmitRequest, headers=[IDEMPOTENCY_HEADER]))
async def emit(request: Request) -> Response:
    """Handle the event for the record in one transaction (as `wf emit`). Needs a system token with the
    scope ``events``; ``user`` is the host's user whose action raised it."""
    svc = service(request)
    body = await read_body(request, models.EmitRequest)
    key = idempotency_key(request)

    def work() -> Response:
        p = svc.principal(request)
        require_scope(p, ("events",), "emit events")
        with svc.event("emit") as eng:
            result = eng.emit(body.event, body.record, user=body.user, old=body.old,
                              idempotency_key=key, instance_id=body.instance_id)
        svc.counted("emit", result.replayed)
        return answer(result.to_json())

    return await svc.run(work)


@router.get("/outbox", summary="Read the outbox", responses={200: {"model": models.OutboxPage}},
            tags=["events"])
async def outbox(request: Request, after: int = 0, limit: int = 100,
                 kind: str | None = None) -> Response:
    """The side effects for host systems (documents released, messages, ...) with an id above
    ``after``, oldest first; read on with ``after=next_after``. Scope ``events`` or ``records``."""
    svc = service(request)

    def work() -> Response:
        p = svc.principal(request)
        require_scope(p, ("events", "records"), "read the outbox")
        with svc.store() as eng:
            rows = eng.outbox(after, kind=kind, limit=page_limit(svc, limit))
        items = [{"id": o.id, "kind": o.kind, "payload": o.payload, "instance_id": o.instance_id,
                  "workflow_code": o.workflow_code, "created_at": o.created_at} for o in rows]
        return answer({"items": items, "next_after": rows[-1].id if rows else after})

    return await svc.run(work)


@router.get("/me", summary="Who the token stands for", responses={200: {"model": models.Me}}, tags=["auth"])
async def me(request: Request) -> Response:
    svc = service(request)

    def work() -> Response:
        p = svc.principal(request)
        with svc.store() as eng:
            admin = p.is_user and is_administrator(eng, p.name)
        return answer({"kind": p.kind, "name": p.name, "scopes": sorted(p.scopes), "administrator": admin})

    return await svc.run(work)
