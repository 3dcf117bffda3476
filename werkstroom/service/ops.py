"""Operations: ``/healthz`` (the process answers), ``/readyz`` (its store answers), ``/metrics``
(Prometheus text), ``/problems/{code}`` (what a problem type means), and the middleware that gives
every request an id, times it, counts it and logs one line about it."""

from __future__ import annotations

import logging
import secrets
import time
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse
from sqlalchemy import text
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..codes import CODES
from .context import Service, answer, dumps, service
from .logs import LOGGER, request_line
from .metrics import CONTENT_TYPE
from .problems import PROBLEM_TYPE, BodyTooLarge, NoRoute, NotReady, problem, status_of

router = APIRouter(tags=["operations"])
log = logging.getLogger(LOGGER)


@router.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> Response:
    return answer({"status": "ok"})


@router.get("/readyz", summary="Readiness: the store answers", responses={503: {"description": "Not ready"}})
def readyz(request: Request) -> Response:
    svc = service(request)
    try:
        with svc.store() as eng, eng.transaction(write=False) as uow:
            uow.connection().execute(text("SELECT 1"))
    except Exception as exc:
        log.warning("not ready: %s: %s", type(exc).__name__, exc)
        raise NotReady(f"the store cannot be reached ({type(exc).__name__})") from None
    return answer({"status": "ready"})


@router.get("/metrics", summary="Prometheus metrics of this process", response_class=PlainTextResponse)
def metrics(request: Request) -> Response:
    svc = service(request)
    return Response(svc.metrics.text(), media_type=CONTENT_TYPE)


@router.get("/problems/{code}", summary="What a problem type (a WF code) means",
            response_class=PlainTextResponse)
def problem_type(code: str) -> Response:
    from ..cli.check_cmd import doc_section

    info = CODES.get(code.upper())
    if info is None:
        raise NoRoute(f"there is no code {code!r} (codes look like WF804)")
    section = doc_section(info.code)
    head = f"{info.code} ({info.severity.value}): {info.title}"
    return PlainTextResponse(f"{head}\n\n{section}\n" if section else f"{head}\n")


class RequestLog:
    """ASGI middleware: a request id (``X-Request-Id``), the request's time, its count by route and
    status, and one log line (method, path without the query, status, WF code, time, client address,
    principal), and the body limit (``Settings.max_body_bytes``, WF809). Credentials are never logged."""

    def __init__(self, app: ASGIApp, service: Service) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        request_id = secrets.token_hex(8)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            length = self._length(scope)
            if length is not None and length > self.service.settings.max_body_bytes:
                await self._refuse_large(scope, send_with_id)
            else:
                await self.app(scope, receive if length is not None else self._counted(receive), send_with_id)
        finally:
            self._done(scope, state, status, time.perf_counter() - start)

    @staticmethod
    def _length(scope: Scope) -> int | None:
        """The body's announced length (Content-Length), or None when it is sent in chunks."""
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                return int(value) if value.isdigit() else None
        return None

    def _counted(self, receive: Receive) -> Receive:
        """``receive`` for a body sent in chunks (no Content-Length): counted as it is read and refused
        (WF809) when it goes over the limit. A body announced larger is refused before it is read."""
        limit = self.service.settings.max_body_bytes
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(f"the request body is larger than {limit:,} bytes")
            return message

        return counted

    async def _refuse_large(self, scope: Scope, send: Send) -> None:
        limit = self.service.settings.max_body_bytes
        error = BodyTooLarge(f"the request body is larger than {limit:,} bytes")
        scope["state"]["code"] = error.code
        body = dumps(problem(error, scope["path"]))
        await send({"type": "http.response.start", "status": status_of(error),
                    "headers": [(b"content-type", PROBLEM_TYPE.encode()),
                                (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

    def _done(self, scope: Scope, state: dict[str, Any], status: int, seconds: float) -> None:
        route = getattr(scope.get("route"), "path", None) or "(no route)"
        method = scope["method"]
        self.service.metrics.answered(method, route, status, seconds)
        client = scope.get("client")
        if not log.isEnabledFor(logging.INFO):
            return
        fields = {"request_id": state["request_id"], "method": method, "path": scope["path"],
                  "status": status, "duration_ms": round(seconds * 1000, 3),
                  "client": client[0] if client else "unknown", "principal": state.get("principal"),
                  "code": state.get("code")}
        # the record made here: ``log.info(..., extra=)`` would also look up the caller's frame and
        # check each field's name, which a request's line has no use for
        record = logging.LogRecord(LOGGER, logging.INFO, __file__, 0, request_line(fields), None, None)
        record.__dict__.update(fields)
        log.handle(record)
