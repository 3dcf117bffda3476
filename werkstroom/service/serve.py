"""Running the app with uvicorn (`wf serve`): one process, or several (``workers``) that each open the
engine on the same database (PostgreSQL; SQLite takes one writer at a time).

``serve(url, host, port, settings, workers)`` listens on ``host:port`` (WF815 when it cannot) and
serves until SIGINT or SIGTERM, which finish the requests under way. ``hooks``: callables run on
each process's app after it is made (``hook(app, engine)``), to add what runs beside the server (a
worker inside `wf serve` appends to ``app.state.background``).
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable, Sequence

import attrs
import uvicorn
from fastapi import FastAPI

from ..engine.connect import connect
from ..engine.facade import Engine
from .app import create_app
from .logs import uvicorn_config
from .problems import CannotServe
from .settings import Settings

Hook = Callable[[FastAPI, Engine], None]
# what a worker process of `wf serve --workers N` reads its database and settings from
URL_VARIABLE = "WERKSTROOM_DB"
SETTINGS_VARIABLE = "WERKSTROOM_SERVE_SETTINGS"
HOOKS_VARIABLE = "WERKSTROOM_SERVE_HOOKS"


class _CloseEngine:
    """Closes the engine when the app shuts down (last of ``app.state.background``'s stops)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def start(self) -> None:
        pass

    def stop(self) -> None:
        self.engine.close()


def build(engine: Engine, settings: Settings, hooks: Sequence[Hook] = ()) -> FastAPI:
    """The app on ``engine``, which it closes when it shuts down, with ``hooks`` applied."""
    app = create_app(engine, settings)
    app.state.background.append(_CloseEngine(engine))
    for hook in hooks:
        hook(app, engine)
    return app


def _hooks_named(names: str) -> list[Hook]:
    import importlib

    found: list[Hook] = []
    for name in filter(None, names.split(",")):
        module, _, attr = name.partition(":")
        found.append(getattr(importlib.import_module(module), attr))
    return found


def app_from_environment() -> FastAPI:
    """The app of one worker process of `wf serve --workers N` (uvicorn's factory): its database from
    WERKSTROOM_DB, its settings and hooks as the parent process wrote them."""
    settings = Settings(**json.loads(os.environ.get(SETTINGS_VARIABLE) or "{}"))
    engine = connect(os.environ.get(URL_VARIABLE), explain=settings.explain)
    return build(engine, settings, _hooks_named(os.environ.get(HOOKS_VARIABLE, "")))


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: a free one); WF815 when the address cannot be had."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named: asyncio sets TCP_NODELAY only on connections of such a socket, and without it a
    # keep-alive answer written in two parts waits for the client's delayed ACK (40 ms a request)
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise CannotServe(f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --port "
                          "or stop the program using it") from None
    sock.set_inheritable(True)
    return sock


def config(app: FastAPI | str, settings: Settings, **kwargs: object) -> uvicorn.Config:
    return uvicorn.Config(app, log_config=uvicorn_config(settings.log_format), access_log=False,
                          server_header=False, **kwargs)  # type: ignore[arg-type]


def serve(url: str | None, host: str, port: int, settings: Settings, *, workers: int = 1,
          hooks: Sequence[str] = (), started: Callable[[str], None] | None = None) -> None:
    """Serve the app on ``url``'s store at ``host:port`` until stopped (see the module). ``hooks``:
    ``module:function`` names of hooks; ``started(address)`` is called once listening."""
    sock = listen(host, port)
    address = "http://{}:{}".format(*sock.getsockname()[:2]) if ":" not in host else \
        "http://[{}]:{}".format(*sock.getsockname()[:2])
    if workers > 1:
        os.environ[SETTINGS_VARIABLE] = json.dumps(attrs.asdict(settings))
        os.environ[HOOKS_VARIABLE] = ",".join(hooks)
        if url is not None:
            os.environ[URL_VARIABLE] = url
        cfg = config(f"{__name__}:app_from_environment", settings, factory=True, workers=workers)
        if started is not None:
            started(address)
        from uvicorn.supervisors import Multiprocess

        Multiprocess(cfg, sockets=[sock]).run()
        return
    engine = connect(url, explain=settings.explain)
    app = build(engine, settings, _hooks_named(",".join(hooks)))
    if started is not None:
        started(address)
    uvicorn.Server(config(app, settings)).run(sockets=[sock])
