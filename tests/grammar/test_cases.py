"""Runs the chunked case files in tests/grammar/cases: each chunk (separated by a line ``#---``) is
parsed on its own and must produce exactly the diagnostics its ``# error: WFnnn`` /
``# warning: WFnnn`` markers name, on the marked lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from werkstroom.grammar.parser import parse

CASES = Path(__file__).with_name("cases")
MARK = re.compile(r"#\s*(error|warning):\s*(WF\d{3})")


def _chunks() -> list[tuple[str, int, str]]:
    out = []
    for f in sorted(CASES.glob("*.wf")):
        lines = f.read_text(encoding="utf-8").splitlines(keepends=True)
        start = 0
        for i, line in enumerate([*lines, "#---\n"]):
            if line.rstrip() == "#---":
                text = "".join(lines[start:i])
                if text.strip():
                    out.append((f.name, start + 1, text))
                start = i + 1
    return out


CHUNKS = _chunks()


def test_there_are_cases() -> None:
    assert len(CHUNKS) >= 30


@pytest.mark.parametrize(("name", "first_line", "text"), CHUNKS,
                         ids=[f"{n}:{line}" for n, line, _ in CHUNKS])
def test_case(name: str, first_line: int, text: str) -> None:
    expected = set()
    for i, line in enumerate(text.splitlines(), start=1):
        for m in MARK.finditer(line):
            expected.add((i, m.group(1), m.group(2)))
    result = parse(text, f"{name}:{first_line}")
    got = {(d.span.line if d.span else 0, d.severity.value, d.code) for d in result.diagnostics}
    assert got == expected, "\n".join(f"{d.span}: {d.code} {d.message}" for d in result.diagnostics)


def test_every_syntax_code_is_exercised() -> None:
    """Each WF1xx code is triggered by a case file here, by tests/grammar/test_bad_input.py or (writing
    files) by tests/grammar/test_cli.py."""
    from werkstroom.codes import CODES

    in_cases = {m.group(2) for _, _, text in CHUNKS for m in MARK.finditer(text)}
    in_bad_input_tests = {"WF100", "WF101", "WF108", "WF112"}
    in_cli_tests = {"WF115"}
    syntax = {c for c in CODES if c.startswith("WF1")}
    assert syntax == in_cases | in_bad_input_tests | in_cli_tests
