"""What every route of the app works with: the ``Service`` (the engine, the gate, the authenticator,
the metrics), reading JSON with exact decimals, and answering JSON.

The gate (``gate.store_gate``): on SQLite one thread of one process at a time uses the store (SQLite
has one writer; a second one would wait in SQLite's busy handler, which sleeps for milliseconds), on
PostgreSQL any number at once.
``Service.run`` runs a route's work with the store: on SQLite on the event loop itself (requests are
served one at a time anyway, and a hand-over to a worker thread costs about 0.2 ms a request), on
PostgreSQL on a worker thread, so that one process serves many requests at once.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from decimal import Decimal
from typing import Any, Literal, TypeVar, overload

import orjson
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.routing import Match, Route, request_response
from starlette.types import Scope

from ..engine.facade import Engine
from ..errors import WerkstroomError
from .auth import Principal
from .auth.guard import Authenticator
from .gate import store_gate
from .metrics import Metrics
from .problems import UnreadableBody
from .settings import Settings

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


class Service:
    """One app's engine and everything its routes share."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self.sqlite = engine.url.startswith("sqlite")
        self.gate: AbstractContextManager[object] = store_gate(engine.url)
        self.auth = Authenticator(engine, settings, self.gate)
        self.metrics = Metrics(engine, self.gate)

    async def run(self, work: Callable[[], T]) -> T:
        """``work`` (a route's use of the store): inline on SQLite, on a worker thread on PostgreSQL."""
        if self.sqlite:
            return work()
        return await run_in_threadpool(work)

    def principal(self, request: Request) -> Principal:
        """The authenticated caller of ``request`` by its ``Authorization: Bearer`` token (raises
        WF800-WF803), kept for the request's log line."""
        scheme, _, token = request.headers.get("authorization", "").strip().partition(" ")
        if scheme.lower() != "bearer":
            token = ""
        try:
            found = self.auth.authenticate(token.strip(), client_address(request))
        except WerkstroomError as exc:
            self.metrics.auth_failures.labels(exc.code).inc()
            raise
        request.state.principal = found.describe()
        return found

    @contextmanager
    def store(self) -> Iterator[Engine]:
        """The engine, behind the gate, for reads and calls that are not events."""
        with self.gate:
            yield self.engine

    @contextmanager
    def event(self, action: str) -> Iterator[Engine]:
        """The engine, behind the gate, for one event or approval action: timed and counted by outcome
        (``outcome`` set on the result by ``counted``; a refusal counts as refused)."""
        start = time.perf_counter()
        try:
            with self.gate:
                yield self.engine
        except WerkstroomError:
            self.metrics.outcome(action, "refused")
            raise
        finally:
            self.metrics.engine_time(action, time.perf_counter() - start)

    def counted(self, action: str, replayed: bool) -> None:
        self.metrics.outcome(action, "replayed" if replayed else "handled")


def client_address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


# ------------------------------------------------------------------ JSON in and out


def _no_constant(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not a JSON number", name, 0)


def read_json(body: bytes) -> Any:
    """JSON with every fraction an exact ``Decimal`` (money is never a float); NaN and Infinity, which
    JSON does not have, are refused."""
    return json.loads(body, parse_float=Decimal, parse_constant=_no_constant)


def json_body(model: type[BaseModel], required: bool = True) -> dict[str, Any]:
    """A route's ``openapi_extra`` describing its JSON body of ``model`` (read by ``read_body``); the
    app's description lists ``model`` among its schemas (``BODY_MODELS``)."""
    BODY_MODELS.add(model)
    schema = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"required": required, "content": {"application/json": {"schema": schema}}}}


BODY_MODELS: set[type[BaseModel]] = set()


@overload
async def read_body(request: Request, model: type[M]) -> M: ...


@overload
async def read_body(request: Request, model: type[M], required: Literal[False]) -> M | None: ...


async def read_body(request: Request, model: type[M], required: bool = True) -> M | None:
    """The request's JSON body as ``model``: the one place a route's JSON body is read. Fractions are
    exact decimals (``read_json``). An empty body is None when it is not ``required``; a body that is
    not JSON raises WF808 (``UnreadableBody``), one of another shape WF807 (``RequestValidationError``,
    answered as ``BadShape`` with the errors by location)."""
    raw = await request.body()
    if not raw:
        if not required:
            return None
        raise RequestValidationError([{"type": "missing", "loc": ("body",), "msg": "Field required"}])
    kind = request.headers.get("content-type", "application/json").partition(";")[0].strip().lower()
    if kind != "application/json" and not (kind.startswith("application/") and kind.endswith("+json")):
        raise UnreadableBody(f"the request body must be JSON (Content-Type: application/json, not {kind})")
    try:
        data = read_json(raw)
    except ValueError as exc:  # json.JSONDecodeError, or bytes that are not UTF-8
        raise UnreadableBody(f"the request body is not valid JSON: {exc}") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError([{"type": e["type"], "loc": ("body", *e["loc"]), "msg": e["msg"]}
                                      for e in exc.errors()]) from None


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def dumps(data: Any) -> bytes:
    """JSON bytes: decimals as text (as `wf ... --json` prints them), dates and times in ISO 8601."""
    return orjson.dumps(data, default=_default, option=orjson.OPT_NON_STR_KEYS)


def answer(data: Any, status: int = 200) -> Response:
    return Response(dumps(data), status_code=status, media_type="application/json")


class ServiceRoute(APIRoute):
    """A route of the API. One whose endpoint takes the request only (``async def route(request)``) is
    a *lean* route: it is called with the request as it comes, reads its path parameters and headers
    from it and its body with ``read_body``, and describes them in ``openapi_extra`` (``described``),
    so FastAPI's per-request parameter solving (about 0.1 ms of a request) is skipped; the hot routes
    (events, approval actions) are lean. Other endpoints declare their parameters as FastAPI does."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        self.lean = list(inspect.signature(endpoint).parameters) == ["request"]
        if self.lean:
            documented = {p["name"] for p in (self.openapi_extra or {}).get("parameters", ())
                          if p.get("in") == "path"}
            if documented != set(self.param_convertors):
                raise TypeError(f"the lean route {path} must describe its path parameters "
                                f"{sorted(self.param_convertors)} in openapi_extra (described(...))")
            self.app = request_response(endpoint)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if not self.lean:
            return super().matches(scope)
        match, child = Route.matches(self, scope)
        if match is not Match.NONE:
            child["route"] = self  # as FastAPI's routes do: the request log names the route
        return match, child


def described(*, body: type[BaseModel] | None = None, body_required: bool = True,
              path: dict[str, str] | None = None, headers: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """The ``openapi_extra`` of a lean route (``ServiceRoute``): its JSON ``body`` (``json_body``), its
    ``path`` parameters (name: description) and its header parameters (OpenAPI parameter objects)."""
    extra: dict[str, Any] = json_body(body, body_required) if body is not None else {}
    parameters = [{"name": name, "in": "path", "required": True, "description": text,
                   "schema": {"type": "string", "title": name.title()}}
                  for name, text in (path or {}).items()]
    parameters += headers
    if parameters:
        extra["parameters"] = parameters
    return extra


def add_routes(app: FastAPI, router: APIRouter) -> None:
    """Serve ``router``'s routes from ``app`` as routes of its own. Each route carries its whole path
    (the router's prefix included), so nothing of the router is needed at request time; FastAPI's
    ``include_router`` would keep the router as a layer that every request walks through again (about
    0.2 ms a request over the service's routes)."""
    app.router.routes.extend(router.routes)


def service(request: Request) -> Service:
    """The ``Service`` of the app serving ``request``."""
    found = request.app.state.service
    assert isinstance(found, Service)
    return found
