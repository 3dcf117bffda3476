"""The JSON API under ``/api/v1``: events and the outbox (``events``), approval entries and actions
(``approvals``), records with their instances and steps (``records``), workflows and the organisation
setup (``admin``), webhook subscriptions and deliveries (``webhooks``). Each route authenticates its
caller, asks ``auth.policy`` what the caller may do, and calls the engine's public methods (or the
service's webhooks); refusals become problem details (``problems``)."""

from __future__ import annotations

from fastapi import APIRouter

from . import admin, approvals, events, records, webhooks


def routers() -> list[APIRouter]:
    """The API's routers; each route's path has the ``/api/v1`` prefix itself (so a request's route,
    as the metrics name it, is its whole path template)."""
    return [module.router for module in (events, approvals, records, admin, webhooks)]
