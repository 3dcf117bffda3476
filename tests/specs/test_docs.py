"""docs/specs.md is generated from the step library; it must list every step and be current."""

from __future__ import annotations

import re
from pathlib import Path

from werkstroom.specs import docs
from werkstroom.specs.library import STEPS

DOC = Path(__file__).resolve().parents[2] / "docs" / "specs.md"


def test_docs_current() -> None:
    text = docs.render(docs.load_steps())
    assert DOC.read_text(encoding="utf-8") == text, "docs/specs.md is stale: run python -m werkstroom.specs.docs"  # noqa: E501


def test_every_step_documented_with_example_that_matches_it() -> None:
    steps = docs.load_steps()
    assert len(steps) >= 35
    for s in steps:
        assert s.doc and s.example
        first = s.example.strip().splitlines()[0].strip()
        keyword, _, text = first.partition(" ")
        assert keyword == s.kind, (s.pattern, first)
        assert re.fullmatch(s.pattern, text), f"the example of {s.pattern!r} does not match it: {text!r}"


def test_check_mode_detects_stale(tmp_path: Path) -> None:
    out = tmp_path / "specs.md"
    out.write_text("old\n", encoding="utf-8")
    assert docs.main(["--check", "--output", str(out)]) == 1
    assert docs.main(["--output", str(out)]) == 0
    assert docs.main(["--check", "--output", str(out)]) == 0


def test_steps_registered_once() -> None:
    docs.load_steps()
    keys = [(s.kind, s.pattern) for s in STEPS]
    assert len(keys) == len(set(keys))
