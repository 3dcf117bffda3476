"""Mounting the inbox on the service's application (``create_app``)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from ..context import Service, add_routes
from . import account, desk
from .web import STATIC, Inbox


def install(app: FastAPI, service: Service) -> Inbox:
    """Serve the inbox's pages and its style sheet and script from ``app``, on ``service``'s engine.
    With a base URL, the engine's notification e-mails link entries to the pages (``Engine.links``),
    unless the engine was opened with links of its own."""
    inbox = Inbox(service)
    if inbox.links is not None and service.engine.links is None:
        service.engine.links = inbox.links
    app.state.inbox = inbox
    add_routes(app, account.router)
    add_routes(app, desk.router)
    app.mount(STATIC, StaticFiles(packages=[("werkstroom.service.inbox", "static")]), name="inbox-static")
    return inbox
