"""Bad input never produces a traceback: every case yields diagnostics (or parses cleanly)."""

from __future__ import annotations

from pathlib import Path

import pytest

from werkstroom.diagnostics import Diagnostic
from werkstroom.grammar import ast as A
from werkstroom.grammar.limits import MAX_NESTING, MAX_SOURCE_BYTES
from werkstroom.grammar.parser import parse, parse_source
from werkstroom.grammar.reading import read_source
from werkstroom.source import SourceFile

GOOD = "workflow W \"d\"\n  on A when amount > 1 then\n     release document\n"


def codes(r: object) -> list[str]:
    return [d.code for d in r.diagnostics]  # type: ignore[attr-defined]


def test_empty_file_is_a_warning() -> None:
    r = parse("", "empty.wf")
    assert codes(r) == ["WF113"]
    assert r.ok  # a warning, not an error
    assert codes(parse("\n\n   \n# just a comment\n")) == ["WF113"]


def test_binary_garbage(tmp_path: Path) -> None:
    f = tmp_path / "garbage.wf"
    f.write_bytes(bytes(range(256)) * 4)
    d = read_source(f)
    assert isinstance(d, Diagnostic) and d.code == "WF101"
    assert "binary" in d.message


def test_non_utf8(tmp_path: Path) -> None:
    f = tmp_path / "latin1.wf"
    f.write_bytes('on A then notify "caf\u00e9"\n'.encode("latin-1"))
    d = read_source(f)
    assert isinstance(d, Diagnostic) and d.code == "WF101"
    assert d.span is not None and (d.span.line, d.span.col) == (1, 22)


def test_bom_is_dropped(tmp_path: Path) -> None:
    f = tmp_path / "bom.wf"
    f.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    src = read_source(f)
    assert isinstance(src, SourceFile) and not src.text.startswith("\ufeff")
    assert parse_source(src).diagnostics == ()
    # a BOM passed straight to parse() is harmless too
    assert parse("\ufeff" + GOOD).diagnostics == ()


def test_crlf_parses_like_lf() -> None:
    crlf = parse(GOOD.replace("\n", "\r\n"))
    assert crlf.diagnostics == ()
    assert crlf.script == parse(GOOD).script
    step = crlf.script.items[0].steps[0]  # type: ignore[union-attr]
    assert (step.body[0].span.line, step.body[0].span.col) == (3, 6)


def test_tabs_in_indentation() -> None:
    r = parse("workflow W\n\ton A then\n\t\trelease document\n\t\treopen document\n")
    assert r.diagnostics == ()
    assert len(r.script.items[0].steps[0].body) == 2  # type: ignore[union-attr]


def test_ten_megabyte_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "big.wf"
    line = b"on A when amount > 1000 then request approval from approver chain\n"
    f.write_bytes(line * (10 * 1024 * 1024 // len(line) + 1))

    def must_not_read(self: Path) -> bytes:
        raise AssertionError("a file over the size limit is refused from its size, never read")

    monkeypatch.setattr(Path, "read_bytes", must_not_read)
    d = read_source(f)
    assert isinstance(d, Diagnostic) and d.code == "WF112"
    monkeypatch.undo()
    big_text = "x" * (MAX_SOURCE_BYTES + 1)
    assert codes(parse(big_text)) == ["WF112"]


def test_ten_thousand_nested_parentheses() -> None:
    text = "on A when " + "(" * 10_000 + "a = 1" + ")" * 10_000 + " then x\n"
    r = parse(text)
    assert codes(r) == ["WF108"]
    assert f"more than {MAX_NESTING}" in r.diagnostics[0].message
    assert "too deeply nested" in r.diagnostics[0].message


def test_nesting_limit_is_exact() -> None:
    ok = "on A when " + "(" * MAX_NESTING + "a = 1" + ")" * MAX_NESTING + " then x\n"
    assert parse(ok).diagnostics == ()
    deep = "on A when " + "(" * (MAX_NESTING + 1) + "a = 1" + ")" * (MAX_NESTING + 1) + " then x\n"
    assert codes(parse(deep)) == ["WF108"]


def test_long_not_chains_and_deep_steps() -> None:
    assert codes(parse("on A when " + "not " * 10_000 + "a = 1 then x")) == ["WF108"]
    assert codes(parse("on A when " + "any l with " * 5_000 + "a = 1 then x")) == ["WF108"]
    deep = "".join(" " * (3 * i) + "on E then\n" for i in range(200)) + " " * 600 + "x\n"
    assert codes(parse(deep)) == ["WF108"]


@pytest.mark.parametrize("ch", ["@", "$", "%", "&", "\u20ac", "\x07", "\u200b", "{", "!"])
def test_unknown_characters(ch: str) -> None:
    r = parse(f"on A when a = 1 {ch} then x")
    assert codes(r) == ["WF102"]
    assert r.diagnostics[0].span is not None and r.diagnostics[0].span.col == 17


def test_missing_file_and_directory(tmp_path: Path) -> None:
    d = read_source(tmp_path / "nope.wf")
    assert isinstance(d, Diagnostic) and d.code == "WF100" and "no such file" in d.message
    d = read_source(tmp_path)
    assert isinstance(d, Diagnostic) and d.code == "WF100" and "directory" in d.message


def test_gc_state_is_restored() -> None:
    import gc

    assert gc.isenabled()
    parse(GOOD)
    assert gc.isenabled()
    gc.disable()
    try:
        parse(GOOD)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_only_junk_lines() -> None:
    r = parse("hello world\nthis is not a workflow\n")
    assert codes(r) == ["WF109"]
    assert isinstance(r.script, A.Script)
