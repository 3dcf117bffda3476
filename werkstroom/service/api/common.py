"""Parameters and checks several routes share."""

from __future__ import annotations

from fastapi import Request

from ..context import Service
from ..problems import BadShape

PREFIX = "/api/v1"  # every route of the API is under it (the version is in the path)

_IDEMPOTENCY = ("A repeat with the same key answers the first result and changes nothing; the same key with "
                "another request is refused (WF504).")
# the header, described for the lean routes that read it (``context.described``)
IDEMPOTENCY_HEADER = {"name": "Idempotency-Key", "in": "header", "required": False,
                      "description": _IDEMPOTENCY, "schema": {"type": "string", "title": "Idempotency-Key"}}


def idempotency_key(request: Request) -> str | None:
    """The request's ``Idempotency-Key`` header (None without one)."""
    return request.headers.get("idempotency-key")


def page_limit(svc: Service, limit: int) -> int:
    """``limit`` unless it is over the service's longest page (WF807); its range is the engine's to check."""
    if limit > svc.settings.page_limit:
        raise BadShape(f"a page has at most {svc.settings.page_limit} items; ask for limit={limit} in "
                       "several pages")
    return limit
