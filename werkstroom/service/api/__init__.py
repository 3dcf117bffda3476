"""The JSON API under ``/api/v1``: events and the outbox (``events``), approval entries and actions
(``approvals``), records with their instances and steps (``records``), workflows and the organisation
setup (``admin``). Each route authenticates its caller, asks ``auth.policy`` what the caller may do,
and calls the engine's public methods; refusals become problem details (``problems``)."""

from __future__ import annotations

from fastapi import APIRouter

from ..context import ServiceRoute
from . import admin, approvals, events, records


def router() -> APIRouter:
    found = APIRouter(prefix="/api/v1", route_class=ServiceRoute)
    for module in (events, approvals, records, admin):
        found.include_router(module.router)
    return found
