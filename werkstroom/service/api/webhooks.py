"""Webhook subscriptions and deliveries over HTTP, for a system token with the scope ``admin``:
subscribe, list, pause or resume, remove; list deliveries (the dead ones with their last error) and
replay a dead one. The same calls as `wf webhooks ...` (``werkstroom.service.webhooks.Webhooks``)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from ..auth.policy import require_scope
from ..context import answer, json_body, read_body, service
from ..problems import BadShape
from ..webhooks import Webhooks
from ..webhooks.kinds import KNOWN_KINDS
from .common import PREFIX, page_limit
from .models import Strict

router = APIRouter(prefix=PREFIX, tags=["webhooks"])


class SubscribeRequest(Strict):
    url: str = Field(description="Where deliveries are POSTed: an absolute http:// or https:// URL.")
    kinds: list[str] = Field(default_factory=list, description="Outbox kinds (`document.released`), "
                             "namespaces (`document.*`) or `*`, checked against the kinds Werkstroom emits "
                             "(GET /webhook-kinds).")
    custom_kinds: list[str] = Field(default_factory=list, description="A partner library's own kinds, "
                                    "only checked for their shape.")
    secret: str | None = Field(None, description="The signing secret (16-200 characters); default: "
                               "generated, answered once.")
    description: str = ""
    after: int | None = Field(None, description="Deliver the outbox rows after this id (0: the whole "
                              "outbox); default: only rows written from now on.")
    active: bool = True


class ChangeRequest(Strict):
    active: bool = Field(description="false pauses the subscription (its effects wait), true resumes it.")


class Subscription(BaseModel):
    id: int
    url: str
    kinds: list[str]
    active: bool
    description: str
    created_at: str
    outbox_cursor: int = Field(description="The last outbox id fanned out for this subscription.")
    pending: int
    delivered: int
    dead: int


class Subscribed(Subscription):
    secret: str = Field(description="The signing secret: shown in this answer only.")


class Delivery(BaseModel):
    id: int
    delivery_id: str = Field(description="The id the receiver deduplicates on (Werkstroom-Delivery).")
    subscription_id: int
    url: str
    outbox_id: int
    kind: str
    status: str = Field(description="pending, delivered or dead.")
    attempts: int
    next_attempt_at: str
    last_status: int | None
    last_error: str
    created_at: str
    delivered_at: str | None


class DeliveryPage(BaseModel):
    items: list[Delivery]
    next_offset: int | None


def _hooks(svc: Any, request: Request, what: str) -> Webhooks:
    require_scope(svc.principal(request), ("admin",), what)
    return Webhooks(svc.engine)


@router.get("/webhooks", summary="List the webhook subscriptions",
            responses={200: {"model": list[Subscription]}})
def subscriptions(request: Request) -> Response:
    """Every subscription with its deliveries counted by status (never its secret)."""
    svc = service(request)
    hooks = _hooks(svc, request, "list webhook subscriptions")
    with svc.store():
        return answer([s.to_json() for s in hooks.subscriptions()])


@router.post("/webhooks", summary="Subscribe a URL to outbox kinds", status_code=201,
             responses={201: {"model": Subscribed}}, openapi_extra=json_body(SubscribeRequest))
async def subscribe(request: Request) -> Response:
    """As `wf webhooks add`: the URL, kinds and secret are checked (WF820, WF821, WF825) before anything
    is stored. The answer carries the signing secret, which is not shown again."""
    svc = service(request)
    body = await read_body(request, SubscribeRequest)

    def work() -> Response:
        hooks = _hooks(svc, request, "subscribe webhooks")
        with svc.store():
            sub, secret = hooks.add(body.url, body.kinds, custom_kinds=body.custom_kinds, secret=body.secret,
                                    description=body.description, after=body.after, active=body.active)
        return answer({**sub.to_json(), "secret": secret}, status=201)

    return await run_in_threadpool(work)


@router.get("/webhooks/{subscription}", summary="One webhook subscription",
            responses={200: {"model": Subscription}})
def subscription(subscription: int, request: Request) -> Response:
    svc = service(request)
    hooks = _hooks(svc, request, "read webhook subscriptions")
    with svc.store():
        return answer(hooks.subscription(subscription).to_json())


@router.patch("/webhooks/{subscription}", summary="Pause or resume a webhook subscription",
              responses={200: {"model": Subscription}}, openapi_extra=json_body(ChangeRequest))
async def change(subscription: int, request: Request) -> Response:
    """``{"active": false}`` pauses it (nothing is sent; its effects wait), ``true`` resumes it."""
    svc = service(request)
    body = await read_body(request, ChangeRequest)

    def work() -> Response:
        hooks = _hooks(svc, request, "change webhook subscriptions")
        with svc.store():
            return answer(hooks.set_active(subscription, body.active).to_json())

    return await run_in_threadpool(work)


@router.delete("/webhooks/{subscription}", summary="Remove a webhook subscription and its deliveries",
               responses={200: {"model": Subscription}})
def remove(subscription: int, request: Request) -> Response:
    svc = service(request)
    hooks = _hooks(svc, request, "remove webhook subscriptions")
    with svc.store():
        return answer(hooks.remove(subscription).to_json())


@router.get("/webhook-deliveries", summary="List webhook deliveries",
            responses={200: {"model": DeliveryPage}})
def deliveries(request: Request,
               status: Literal["pending", "delivered", "dead"] | None = None, subscription: int | None = None,
               limit: int = 100, offset: int = 0) -> Response:
    """Deliveries oldest first, by status (``dead``: what `wf webhooks failed` lists) and subscription;
    pages of ``limit`` from ``offset``, with ``next_offset`` (null after the last page)."""
    svc = service(request)
    hooks = _hooks(svc, request, "list webhook deliveries")
    limit = page_limit(svc, limit)
    if limit < 1 or offset < 0:
        raise BadShape(f"a page has a limit of at least 1 and an offset of at least 0 (got limit={limit}, "
                       f"offset={offset})")
    with svc.store():
        rows = hooks.deliveries(status, subscription, limit + 1, offset)
    return answer({"items": [d.to_json() for d in rows[:limit]],
                   "next_offset": offset + limit if len(rows) > limit else None})


@router.post("/webhook-deliveries/{delivery}/replay", summary="Send a dead delivery again",
             responses={200: {"model": Delivery}})
def replay(delivery: str, request: Request) -> Response:
    """As `wf webhooks replay`: a dead delivery (by number or delivery id) is pending again, due now,
    with the same delivery id (WF824 for one that is not dead, WF823 for none)."""
    svc = service(request)
    hooks = _hooks(svc, request, "replay webhook deliveries")
    with svc.store():
        return answer(hooks.replay(delivery).to_json())


@router.get("/webhook-kinds", summary="The outbox kinds Werkstroom emits",
            responses={200: {"model": dict[str, str]}})
def kinds(request: Request) -> Response:
    """Kind -> what it means, for subscriptions' ``kinds``."""
    svc = service(request)
    _hooks(svc, request, "list webhook kinds")
    return answer(dict(sorted(KNOWN_KINDS.items())))
