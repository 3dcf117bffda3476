"""docs/openapi.json is the description the app publishes at /openapi.json (regenerate it with
``python -m werkstroom.service.openapi``)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from werkstroom.service import openapi

from .conftest import ROOT


def test_docs_openapi_json_is_what_the_app_publishes(client: TestClient) -> None:
    published = client.get("/openapi.json").json()
    assert published == openapi.document()
    stored = (ROOT / "docs" / "openapi.json").read_text(encoding="utf-8")
    assert stored == openapi.text(), "docs/openapi.json is stale: run python -m werkstroom.service.openapi"
    paths = json.loads(stored)["paths"]
    assert paths.keys() >= {"/api/v1/events", "/api/v1/approval-entries/{entry}/approve"}


def test_every_error_answer_of_the_api_is_a_problem(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    for path, operations in doc["paths"].items():
        if not path.startswith("/api/"):
            continue
        for operation in operations.values():
            for status, answer in operation["responses"].items():
                if int(status) >= 400:
                    assert list(answer["content"]) == ["application/problem+json"], (path, status)
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    api = [op for path, ops in doc["paths"].items() if path.startswith("/api/") for op in ops.values()]
    assert all(op["security"] == [{"bearer": []}] for op in api)


def test_a_lean_route_must_describe_its_path_parameters() -> None:
    """A route whose endpoint takes the request only reads its path parameters itself: the description
    must name them, else the route is refused when it is declared."""
    from fastapi import Request, Response

    from werkstroom.service.context import ServiceRoute, described

    async def lean(request: Request) -> Response:
        return Response()

    with pytest.raises(TypeError, match=r"\['entry'\]"):
        ServiceRoute("/things/{entry}/act", lean, methods=["POST"])
    route = ServiceRoute("/things/{entry}/act", lean, methods=["POST"],
                         openapi_extra=described(path={"entry": "The thing."}))
    assert route.lean
