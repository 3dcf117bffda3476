"""The binder never raises: mutated templates bind to diagnostics, each with a span inside the file."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.binder.test_diagnostics import catalogue
from werkstroom.binding.binder import bind
from werkstroom.grammar.parser import parse

TEMPLATES = sorted((Path(__file__).resolve().parents[2] / "werkstroom" / "stdlib" / "templates").glob("*.wf"))
TEXTS = [p.read_text(encoding="utf-8") for p in TEMPLATES]
WORDS = ["amount", "old.amount", "lines", "any lines with quantity > 1", "status", "Invoice", '"x"', "0",
         "1.5", "2026-01-31", "2D", "send", "notify", "sender", "and", "or", "not", "increased", "=", ">",
         "vendor.blocked", "CustomerChanged", "release", "document", "as", "continue at send", ",", "true"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(range(len(TEXTS))), st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(WORDS)),
                                                   min_size=1, max_size=4))
def test_mutated_templates_bind_without_raising(which: int, edits: list[tuple[int, str]]) -> None:
    words = TEXTS[which].split(" ")
    for pos, word in edits:
        words[pos % len(words)] = word
    text = " ".join(words)
    pr = parse(text, "m.wf")
    prog = bind([pr], catalogue())
    for d in prog.diagnostics:
        assert d.span is not None and 0 <= d.span.start <= d.span.end <= len(text)
