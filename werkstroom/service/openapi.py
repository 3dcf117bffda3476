"""The API's OpenAPI description as a file: ``python -m werkstroom.service.openapi [PATH]`` writes it
(default ``docs/openapi.json``); a test fails when the file differs from what the app publishes at
``/openapi.json``."""

from __future__ import annotations

import json
import sys
from typing import Any


def document() -> dict[str, Any]:
    """The description the app publishes (built on an in-memory store: it does not depend on one)."""
    from ..engine.facade import open_engine
    from .app import create_app

    engine = open_engine("sqlite://")
    try:
        return create_app(engine).openapi()
    finally:
        engine.close()


def text() -> str:
    return json.dumps(document(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    path = args[0] if args else "docs/openapi.json"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text())
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
