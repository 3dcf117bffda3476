"""The ASGI application: ``create_app(engine, settings)``.

It answers the JSON API (``/api/v1``), the operations routes (``/healthz``, ``/readyz``, ``/metrics``,
``/problems/{code}``), its OpenAPI description (``/openapi.json``, interactive at ``/docs``) and the
approvers' web pages (``/inbox``, ``inbox/``). Every refusal of the API is a problem-details answer
with its WF code (``problems``); the inbox's pages say theirs in HTML. The engine is the caller's: the
app never closes it. ``app.state.background`` lists what runs beside the server while the app is up
(objects with ``start()`` and ``stop()``, started in order and stopped in reverse when it shuts down),
for work such as a worker inside `wf serve`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import metadata
from typing import Any, Protocol

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp

from ..engine.facade import Engine
from ..errors import WerkstroomError
from . import api, ops
from .api.models import Problem
from .context import BODY_MODELS, Service, add_routes, dumps
from .inbox import mount as inbox
from .logs import LOGGER
from .problems import (
    PROBLEM_TYPE,
    BadShape,
    BodyTooLarge,
    InternalError,
    NoRoute,
    NotReady,
    ServiceError,
    UnreadableBody,
    headers_of,
    problem,
    status_of,
)
from .settings import Settings

log = logging.getLogger(LOGGER)

DESCRIPTION = """Werkstroom's HTTP API: emit events for records, act on approval entries as the
authenticated user, read records, instances and the outbox, deploy workflows and load the organisation
setup. Authenticate with `Authorization: Bearer <token>` (`wf tokens create`). Errors are RFC 9457
problem details (`application/problem+json`) with the WF code; `/problems/{code}` explains each."""


class ServiceApp(FastAPI):
    """FastAPI with the request log (``ops.RequestLog``) outermost: it sees every answer, also the
    ones FastAPI's own middleware gives, and refuses a body announced too large as a problem."""

    def build_middleware_stack(self) -> ASGIApp:
        return ops.RequestLog(super().build_middleware_stack(), self.state.service)


class Background(Protocol):
    """Something that runs beside the server while the app is up."""

    def start(self) -> None: ...

    def stop(self) -> None: ...


def create_app(engine: Engine, settings: Settings | None = None) -> FastAPI:
    """The application on ``engine`` (open; closed by the caller) with ``settings`` (default
    ``Settings()``)."""
    settings = settings or Settings()
    service = Service(engine, settings)
    background: list[Background] = []

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        started: list[Background] = []
        try:
            for item in background:
                item.start()
                started.append(item)
            yield
        finally:
            for item in reversed(started):
                item.stop()

    try:
        version = metadata.version("werkstroom")
    except metadata.PackageNotFoundError:
        version = "0"
    # the body limit (settings.max_body_bytes) is the request log's (``ops.RequestLog``)
    app = ServiceApp(title="Werkstroom", version=version, description=DESCRIPTION, lifespan=lifespan,
                     redoc_url=None)
    app.state.service = service
    app.state.background = background
    for router in (*api.routers(), ops.router):
        add_routes(app, router)
    inbox.install(app, service)
    # the lean routes (events, approval actions) are matched first: a request tries the routes in order,
    # and no other route's path can match theirs; the description keeps the order they were declared in
    declared = {id(route): n for n, route in enumerate(app.router.routes)}
    app.router.routes.sort(key=lambda route: not getattr(route, "lean", False))
    _handlers(app)
    app.openapi = lambda: openapi(app, declared)  # type: ignore[method-assign]
    return app


# ------------------------------------------------------------------ errors as problem details


def _problem(request: Request, exc: WerkstroomError) -> Response:
    request.state.code = exc.code
    status = status_of(exc)
    request_id = request.state.request_id if status >= 500 and hasattr(request.state, "request_id") else None
    body = problem(exc, request.url.path, request_id=request_id)
    return Response(dumps(body), status_code=status, media_type=PROBLEM_TYPE, headers=headers_of(exc))


def _driver_errors() -> tuple[type[Exception], ...]:
    """The database drivers' errors for a database that does not answer (SQLite's, and psycopg's when
    it is installed)."""
    import sqlite3

    found: list[type[Exception]] = [sqlite3.OperationalError]
    try:
        import psycopg
    except ImportError:
        pass
    else:
        found.append(psycopg.OperationalError)
    return tuple(found)


def _handlers(app: FastAPI) -> None:
    async def werkstroom_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, WerkstroomError)
        if status_of(exc) == 500:
            log.error("%s failed: %s", request.url.path, exc, exc_info=exc)
        return _problem(request, exc)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                  for e in exc.errors()]
        where = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
        return _problem(request, BadShape(f"the request does not have the expected shape: {where}",
                                          extra={"errors": errors}))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        found: ServiceError
        if exc.status_code in (404, 405):
            what = "path" if exc.status_code == 404 else f"method {request.method} on this path"
            found = NoRoute(f"there is no API route for this {what} (see /openapi.json)",
                            status=exc.status_code)
        elif exc.status_code == 413:
            limit = app.state.service.settings.max_body_bytes
            found = BodyTooLarge(f"the request body is larger than {limit:,} bytes")
        elif exc.status_code == 400:
            found = UnreadableBody(f"the request body cannot be read: {exc.detail}")
        else:
            found = InternalError(str(exc.detail), status=exc.status_code)
        return _problem(request, found)

    async def database_error(request: Request, exc: Exception) -> Response:
        cause = exc.orig if isinstance(exc, DBAPIError) else exc
        if isinstance(exc, (OperationalError, *_driver_errors())) or (
                isinstance(exc, DBAPIError) and exc.connection_invalidated):
            log.warning("%s: the store does not answer: %s", request.url.path, cause)
            return _problem(request, NotReady(f"the store does not answer ({type(cause).__name__}); "
                                              "try again when it is back"))
        return await unexpected(request, exc)

    async def unexpected(request: Request, exc: Exception) -> Response:
        log.error("%s failed unexpectedly", request.url.path, exc_info=exc)
        return _problem(request, InternalError(f"the service failed unexpectedly ({type(exc).__name__}); "
                                               "the server's log has the details under the request id"))

    app.add_exception_handler(WerkstroomError, werkstroom_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
    kinds: tuple[type[Exception], ...] = (DBAPIError, *_driver_errors())
    for kind in kinds:  # the driver's own errors too: a connection the pool could not make
        app.add_exception_handler(kind, database_error)
    app.add_exception_handler(Exception, unexpected)


# ------------------------------------------------------------------ the OpenAPI description


_ERRORS = {"400": "The body cannot be read (WF808)", "401": "No token, or a bad or revoked one (WF800-WF802)",
           "403": "The principal may not do this (WF804-WF806, WF612, WF614)",
           "404": "No such entry, record or workflow", "409": "In conflict with the store's state",
           "413": "The body or a value is too large", "422": "A value or the request's shape is refused",
           "429": "Too many authentication failures (WF803; Retry-After)"}


def openapi(app: FastAPI, declared: dict[int, int]) -> dict[str, Any]:
    """The app's OpenAPI description, with every error answer a Problem (problem+json); its routes in
    the order ``declared`` (route id: position; routes added later after them)."""
    if app.openapi_schema:
        return app.openapi_schema
    routes = sorted(app.routes, key=lambda route: declared.get(id(route), len(declared)))
    doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=routes)
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for model in sorted(BODY_MODELS, key=lambda m: m.__name__):  # the JSON bodies routes read themselves
        found = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(found.pop("$defs", {}))
        schemas[model.__name__] = found
    doc["components"]["schemas"] = dict(sorted(schemas.items()))
    doc["components"]["securitySchemes"] = {"bearer": {
        "type": "http", "scheme": "bearer",
        "description": "An API token: `wf tokens create` prints one (wfk_<id>_<secret>)."}}
    ref = {"$ref": "#/components/schemas/Problem"}
    for path, operations in doc.get("paths", {}).items():
        for operation in operations.values():
            if path.startswith("/api/"):
                operation["security"] = [{"bearer": []}]
            answers = operation.setdefault("responses", {})
            answers.pop("422", None)
            codes = tuple(_ERRORS) if path.startswith("/api/") else ()
            for code in codes:
                answers[code] = {"description": _ERRORS[code], "content": {PROBLEM_TYPE: {"schema": ref}}}
    app.openapi_schema = doc
    return doc
