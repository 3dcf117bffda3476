"""docs/extending.md documents the whole public partner API and every registration code."""

from __future__ import annotations

from pathlib import Path

import werkstroom.extend as extend
from werkstroom.codes import catalogue as catalogue_codes

DOC = Path(__file__).resolve().parents[2] / "docs" / "extending.md"


def test_every_public_name_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [name for name in extend.__all__ if f"`{name}" not in text]
    assert missing == []


def test_every_registration_code_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    runtime = ("WF912", "WF913")  # raised by stdlib responses, not at registration
    registration = [c.code for c in catalogue_codes.CODES if c.code not in runtime]
    assert [c for c in registration if f"| {c} |" not in text] == []


def test_every_public_name_resolves() -> None:
    for name in extend.__all__:
        assert getattr(extend, name) is not None, name


def test_the_entry_point_group_is_the_one_the_registry_reads() -> None:
    from werkstroom.catalogue import loading

    assert extend.ENTRY_POINT_GROUP == loading.ENTRY_POINT_GROUP == "werkstroom.libraries"
