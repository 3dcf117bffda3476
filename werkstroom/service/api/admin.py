"""Workflows (list, deploy from `.wf` text, enable, disable) and the organisation setup (load), for a
system token with the scope ``admin`` (listing workflows: ``admin`` or ``records``)."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from ...binding.sources import bind_text
from ...engine.lifecycle import Deployed
from ...render import render_json
from ..auth.policy import require_scope
from ..context import Service, answer, read_json, service
from ..problems import UnreadableBody
from . import models
from .common import PREFIX

router = APIRouter(prefix=PREFIX, tags=["admin"])
T = TypeVar("T")
_TEXT = {"requestBody": {"required": True, "content": {"text/plain": {"schema": {"type": "string"}}}}}
_SETUP = {"requestBody": {"required": True, "content": {
    "application/toml": {"schema": {"type": "string"},
                         "example": '[[users]]\nid = "CEO"\napprover = "CEO"\n'},
    "application/json": {"schema": {"type": "object"}}}}}


def _diagnostics(diags: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(render_json(diags))  # as `wf check --format json`
    return found


async def _admin(svc: Service, request: Request, what: str) -> None:
    """Authenticate and check the ``admin`` scope (before the body is read), off the event loop."""

    def check() -> None:
        require_scope(svc.principal(request), ("admin",), what)

    await run_in_threadpool(check)


async def _run(svc: Service, work: Callable[[], T]) -> T:
    """``work`` behind the gate, off the event loop."""

    def run() -> T:
        with svc.store():
            return work()

    return await run_in_threadpool(run)


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableBody(f"the request body is not UTF-8 text (at byte {exc.start})") from None


@router.get("/workflows", summary="List the deployed workflows",
            responses={200: {"model": list[models.Workflow]}})
def workflows(request: Request) -> Response:
    """As `wf workflows --json`. Scope ``admin`` or ``records``."""
    svc = service(request)
    p = svc.principal(request)
    require_scope(p, ("admin", "records"), "list workflows")
    with svc.store() as eng:
        rows = eng.workflows()
    return answer([{"code": w.code, "description": w.description, "category": w.category,
                    "enabled": w.enabled, "template": w.template, "version": w.version,
                    "content_hash": w.content_hash, "running": w.running} for w in rows])


@router.post("/workflows", summary="Deploy the workflows of a .wf script", openapi_extra=_TEXT,
             responses={200: {"model": list[models.Deployed]}})
async def deploy(request: Request, path: str = "script.wf", enable: bool = False,
                 allow_overlap: bool | None = None) -> Response:
    """Bind the script (the body, UTF-8 text) and store each of its workflows as a new version when its
    text changed (as `wf deploy`); a script with errors is refused whole (422, its diagnostics as
    `wf check --format json` prints them) and nothing is stored. ``path`` names the script in
    diagnostics. ``enable=true`` also enables every workflow of the script (as `wf deploy --enable`;
    ``allow_overlap`` as for enable), in the same transaction: when one is refused (WF507, with its
    diagnostics), none is stored or enabled."""
    svc = service(request)
    await _admin(svc, request, "deploy workflows")
    source = _text(await request.body())

    def work() -> list[Deployed]:
        program = bind_text(source, path, svc.engine.catalogue)
        return svc.engine.deploy(program, enable=enable, allow_overlap=allow_overlap)

    done = await _run(svc, work)
    return answer([{"code": d.code, "version": d.version, "content_hash": d.content_hash,
                    "new_version": d.new_version, "enabled": d.enabled,
                    "warnings": _diagnostics(d.warnings)} for d in done])


@router.post("/workflows/{code}/enable", summary="Enable a workflow",
             responses={200: {"model": models.Warnings}})
def enable(code: str, request: Request,
           allow_overlap: bool | None = None) -> Response:
    """Run the enable checks and enable the workflow (as `wf enable`); refused with their diagnostics
    (WF507), changing nothing. ``allow_overlap`` as `wf enable --allow-overlap` (kept on the workflow)."""
    svc = service(request)
    p = svc.principal(request)
    require_scope(p, ("admin",), "enable workflows")
    with svc.store() as eng:
        warnings = eng.enable(code, allow_overlap=allow_overlap)
    return answer({"code": code, "warnings": _diagnostics(warnings)})


@router.post("/workflows/{code}/disable", summary="Disable a workflow",
             responses={200: {"model": models.Warnings}})
def disable(code: str, request: Request) -> Response:
    """Disable the workflow: no new instances start; running ones continue (as `wf disable`)."""
    svc = service(request)
    p = svc.principal(request)
    require_scope(p, ("admin",), "disable workflows")
    with svc.store() as eng:
        eng.disable(code)
    return answer({"code": code, "warnings": []})


@router.put("/setup", summary="Load the organisation setup", openapi_extra=_SETUP,
            responses={200: {"model": models.SetupLoaded}})
async def setup(request: Request) -> Response:
    """Load the organisation file (TOML, the format of docs/approvals.md; or the same as a JSON object)
    in one transaction, as `wf setup load`: everything is checked before anything is written."""
    svc = service(request)
    await _admin(svc, request, "load the organisation setup")
    raw = await request.body()
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        data = read_json(raw) if kind == "application/json" else tomllib.loads(_text(raw))
    except (ValueError, RecursionError) as exc:
        raise UnreadableBody(f"the organisation setup is not valid {'JSON' if 'json' in kind else 'TOML'}: "
                             f"{exc}") from None
    report = await _run(svc, lambda: svc.engine.load_setup(data))
    return answer({"users": report.users, "groups": report.groups, "members": report.members,
                   "notification_setups": report.notification_setups, "smtp": report.smtp})
