"""Every WF6xx code is declared once, documented in docs/diagnostics.md and asserted by a test here."""

from __future__ import annotations

import re
from pathlib import Path

from werkstroom.codes import CODES
from werkstroom.codes import approvals as approval_codes

HERE = Path(__file__).resolve().parent
DOCS = HERE.parents[1] / "docs" / "diagnostics.md"


def test_every_approval_code_is_asserted_by_a_test() -> None:
    sources = "\n".join(p.read_text() for p in HERE.glob("test_*.py") if p.name != Path(__file__).name)
    asserted = set(re.findall(r'"(WF6\d\d)"', sources))
    declared = {c.code for c in approval_codes.CODES}
    assert declared - asserted == set()


def test_every_approval_code_is_documented_and_registered() -> None:
    headings = set(re.findall(r"^### (WF6\d\d)$", DOCS.read_text(), flags=re.M))
    for info in approval_codes.CODES:
        assert info.code in headings, info.code
        assert CODES[info.code] is info
