"""Mounting the inbox on the service's application (``create_app``)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from . import account, desk
from .web import STATIC, Inbox


def install(app: FastAPI, inbox: Inbox) -> None:
    """Serve ``inbox``'s pages and its style sheet and script from ``app``."""
    app.state.inbox = inbox
    app.include_router(account.router)
    app.include_router(desk.router)
    app.mount(STATIC, StaticFiles(packages=[("werkstroom.service.inbox", "static")]), name="inbox-static")
