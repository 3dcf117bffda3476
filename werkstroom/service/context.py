"""What every route of the app works with: the ``Service`` (the engine, the gate, the authenticator,
the metrics), reading JSON with exact decimals, and answering JSON.

The gate: on SQLite one thread at a time uses the store (SQLite has one writer; a second one would
wait in SQLite's busy handler, which sleeps for milliseconds), on PostgreSQL any number at once.
``Service.run`` runs a route's work with the store: on SQLite on the event loop itself (requests are
served one at a time anyway, and a hand-over to a worker thread costs about 0.2 ms a request), on
PostgreSQL on a worker thread, so that one process serves many requests at once.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from decimal import Decimal
from typing import Any, TypeVar

import orjson
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from ..engine.facade import Engine
from ..errors import WerkstroomError
from .auth import Principal
from .auth.guard import Authenticator
from .metrics import Metrics
from .settings import Settings

T = TypeVar("T")


class Service:
    """One app's engine and everything its routes share."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self.sqlite = engine.url.startswith("sqlite")
        self.gate: AbstractContextManager[object] = threading.Lock() if self.sqlite else nullcontext()
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
            self.metrics.events.labels(action, "refused").inc()
            raise
        finally:
            self.metrics.event_seconds.labels(action).observe(time.perf_counter() - start)

    def counted(self, action: str, replayed: bool) -> None:
        self.metrics.events.labels(action, "replayed" if replayed else "handled").inc()


def client_address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


# ------------------------------------------------------------------ JSON in and out


def _no_constant(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not a JSON number", name, 0)


def read_json(body: bytes) -> Any:
    """JSON with every fraction an exact ``Decimal`` (money is never a float); NaN and Infinity, which
    JSON does not have, are refused."""
    return json.loads(body, parse_float=Decimal, parse_constant=_no_constant)


class JsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = read_json(await self.body())
        return self._json


class ServiceRoute(APIRoute):
    """Routes whose JSON bodies are read by ``read_json`` (exact decimals)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            return await handler(JsonRequest(request.scope, request.receive))

        return route


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
