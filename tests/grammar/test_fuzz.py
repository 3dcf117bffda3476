"""Random text only ever yields diagnostics: no exception escapes parse() or read_source()."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from werkstroom.diagnostics import Diagnostic
from werkstroom.grammar.formatter import format_ast
from werkstroom.grammar.parser import parse
from werkstroom.grammar.reading import decode_source
from werkstroom.render import render_json, render_short, render_text

TOKENS = ["workflow", "category", "on", "when", "then", "as", "continue", "at", "and", "or", "not", "in",
          "contains", "starts", "ends", "with", "is", "empty", "any", "all", "no", "increased", "true",
          "(", ")", "[", "]", "..", ".", ",", "=", "<>", "<=", ">", "#c", '"t"', '"', "1", "2.5", "2D",
          "CM+1D", "2026-01-31", "2026-13-45", "a", "Name-X", "b/c", " ", "  ", "\t", "\n", "\r\n", "\n   ",
          "\n      ", "@", "\x00", "\ufeff", "\u00e9"]

settings_ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(text: str) -> None:
    r = parse(text, "fuzz.wf")
    assert all(isinstance(d, Diagnostic) for d in r.diagnostics)
    for d in r.diagnostics:
        assert d.span is not None and 0 <= d.span.start <= d.span.end <= len(text)
    render_text(r.diagnostics, {"fuzz.wf": r.source}, color=True)
    render_short(r.diagnostics)
    render_json(r.diagnostics)
    if r.ok:  # whatever parses can be printed and parses back to the same tree
        assert parse(format_ast(r.script)).script == r.script


@settings_
@given(st.text(max_size=200))
def test_random_text(text: str) -> None:
    _check(text)


@settings_
@given(st.lists(st.sampled_from(TOKENS), max_size=60))
def test_random_token_soup(tokens: list[str]) -> None:
    _check(" ".join(tokens))
    _check("".join(tokens))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes(data: bytes) -> None:
    src = decode_source("bytes.wf", data)
    if not isinstance(src, Diagnostic):
        _check(src.text)
