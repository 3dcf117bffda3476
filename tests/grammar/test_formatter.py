"""The formatter: canonical, idempotent, keeps comments, and never changes the AST.

The property test builds random ASTs, prints them with the formatter, parses the text back and
compares: every construct of the language round-trips through text."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from werkstroom.errors import DiagnosticsError
from werkstroom.grammar import ast as A
from werkstroom.grammar.formatter import format_ast, format_script
from werkstroom.grammar.parser import parse

ROOT = Path(__file__).parents[2]
EXAMPLES = [*sorted((ROOT / "examples").glob("*.wf")),
            *sorted((ROOT / "tests" / "grammar" / "cases").glob("*.wf")),
            *sorted((ROOT / "werkstroom" / "stdlib" / "templates").glob("*.wf"))]

KEYWORDS = {"workflow", "category", "on", "when", "then", "as", "continue", "at", "and", "or", "not",
            "in", "contains", "starts", "ends", "with", "is", "empty", "any", "all", "no", "increased",
            "decreased", "changed", "true", "false", "yes", "cm", "cd", "cw", "cq", "cy"}


def _chunks(text: str) -> list[str]:
    return [c for c in text.split("#---\n") if c.strip()]


def _inputs() -> list[tuple[str, str]]:
    out = []
    for p in EXAMPLES:
        for i, chunk in enumerate(_chunks(p.read_text(encoding="utf-8"))):
            if parse(chunk).ok:
                out.append((f"{p.name}#{i}", chunk))
    return out


INPUTS = _inputs()


@pytest.mark.parametrize(("name", "text"), INPUTS, ids=[n for n, _ in INPUTS])
def test_round_trip_and_idempotent(name: str, text: str) -> None:
    once = format_script(text)
    assert parse(once).script == parse(text).script
    assert format_script(once) == once
    # every comment survives, with its text
    assert sorted(_comments(once)) == sorted(_comments(text))


def _comments(text: str) -> list[str]:
    return [m.group().rstrip() for m in re.finditer(r'"(?:[^"\\\r\n]|\\.)*"|#[^\r\n]*', text)
            if m.group().startswith("#")]


def test_examples_are_canonical() -> None:
    for p in sorted((ROOT / "examples").glob("*.wf")):
        text = p.read_text(encoding="utf-8")
        assert format_script(text) == text, p.name


def test_layout() -> None:
    messy = ('# lead\nworkflow   W  "d"   # after header\n    category   C\n'
             "    on A when(a=1 or b=2)and c in[1,2]  then\n"
             "          x ,  y 2D as l   # trailing\n          on B then\n               continue at l\n")
    assert format_script(messy) == (
        '# lead\nworkflow W "d"  # after header\n  category C\n\n'
        "  on A when (a = 1 or b = 2) and c in [1, 2] then\n"
        "     x, y 2D as l  # trailing\n\n"
        "     on B then continue at l\n")


def test_long_headers_wrap() -> None:
    cond = " and ".join(f"field_number_{i} = {i}" for i in range(12))
    out = format_script(f"on SomeEvent when {cond} then x\n")
    lines = out.splitlines()
    assert lines[0] == "on SomeEvent"
    assert lines[1].startswith("   when field_number_0 = 0")
    assert lines[2].startswith("     and field_number_1 = 1")
    assert lines[-2] == "then"
    assert all(len(line) <= 100 for line in lines)
    assert parse(out).script == parse(f"on SomeEvent when {cond} then x\n").script


def test_refuses_broken_scripts() -> None:
    with pytest.raises(DiagnosticsError) as info:
        format_script("on A when then")
    assert info.value.diagnostics


# --------------------------------------------------------------------------- random ASTs

_ident = st.from_regex(r"\A[a-z][a-z0-9_]{0,8}\Z", fullmatch=True).filter(lambda s: s.lower() not in KEYWORDS)
_code = st.from_regex(r"\A[A-Z][A-Z0-9]{0,6}(-[A-Z0-9]{1,4})?\Z", fullmatch=True).filter(
    lambda s: s.lower() not in KEYWORDS)
_word = st.one_of(_ident, st.builds(lambda a, b: f"{a}/{b}", _ident, _ident))
name = st.builds(A.Name, _ident)
text_lit = st.builds(A.TextLit, st.text(st.characters(blacklist_characters="\r\n",
                                                       blacklist_categories=("Cs",)), max_size=12))
int_lit = st.builds(A.IntLit, st.integers(-10**12, 10**12))
dec_lit = st.builds(A.DecimalLit, st.decimals(allow_nan=False, allow_infinity=False, places=2,
                                              min_value=Decimal(-10**9), max_value=Decimal(10**9)))
date_lit = st.builds(A.DateLit, st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31)))
formula_lit = st.builds(A.FormulaLit, st.from_regex(r"\A-?(\d{1,2}[DWMQY]|C[DWMQY])(\+\d[DWMQY])?\Z",
                                                    fullmatch=True))
bool_lit = st.builds(A.BoolLit, st.booleans())
literal = st.one_of(text_lit, int_lit, dec_lit, date_lit, formula_lit, bool_lit)
ref = st.builds(lambda names: A.Ref(tuple(A.Name(n) for n in names)),
                st.lists(_ident, min_size=1, max_size=3))
value = st.one_of(ref, literal)
rng = st.builds(A.Range, st.none() | value, st.none() | value)
test_expr = st.one_of(
    st.builds(A.Compare, st.sampled_from(["=", "<>", "<", "<=", ">", ">="]), value, value),
    st.builds(A.InList, value, st.lists(st.one_of(value, rng), max_size=4).map(tuple), st.booleans()),
    st.builds(A.InRange, value, rng, st.booleans()),
    st.builds(A.TextTest, st.sampled_from(["contains", "starts with", "ends with"]), value, value),
    st.builds(lambda op, v: A.TextTest(op, v, None), st.sampled_from(["is empty", "is not empty"]), value),
    st.builds(A.ChangeTest, ref, st.sampled_from(["increased", "decreased", "changed"])),
    value,
)


def _extend(inner: st.SearchStrategy[A.Expr]) -> st.SearchStrategy[A.Expr]:
    return st.one_of(
        st.builds(A.Or, st.lists(inner, min_size=2, max_size=3).map(tuple)),
        st.builds(A.And, st.lists(inner, min_size=2, max_size=3).map(tuple)),
        st.builds(A.Not, inner),
        st.builds(A.Quantified, st.sampled_from(["any", "all", "no"]), ref, st.none() | inner),
        st.builds(A.Compare, st.sampled_from(["=", "<>"]), inner, inner),
    )


expr = st.recursive(test_expr, _extend, max_leaves=8)
phrase_part = st.one_of(_word.map(A.Name), text_lit, int_lit, dec_lit, date_lit, formula_lit)
phrase = st.builds(lambda first, rest: A.Phrase((first, *rest)),
                   st.one_of(_word.map(A.Name), text_lit, int_lit),
                   st.lists(phrase_part, max_size=4))
response = st.builds(A.Response, phrase, st.lists(phrase, max_size=2).map(tuple), st.none() | name)
jump = st.builds(A.Jump, name)


def _steps(depth: int) -> st.SearchStrategy[A.Step]:
    items: st.SearchStrategy[A.Response | A.Jump | A.Step] = st.one_of(response, jump)
    if depth > 0:
        items = st.one_of(response, jump, _steps(depth - 1))
    return st.builds(A.Step, name, st.none() | expr, st.lists(items, min_size=1, max_size=4).map(tuple))


workflow = st.builds(A.Workflow, _code.map(A.Name), st.none() | text_lit, st.none() | _code.map(A.Name),
                     st.lists(_steps(2), max_size=3).map(tuple))
script = st.builds(A.Script, st.lists(st.one_of(workflow, _steps(2)), min_size=1, max_size=3).map(tuple))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script)
def test_random_asts_round_trip(s: A.Script) -> None:
    text = format_ast(s)
    r = parse(text)
    assert r.diagnostics == (), text + "\n" + "\n".join(f"{d.span} {d.message}" for d in r.diagnostics)
    assert r.script == s, text
    assert format_ast(r.script, r.source) == text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(script, st.data())
def test_comments_anywhere_are_kept(s: A.Script, data: st.DataObject) -> None:
    lines = format_ast(s).split("\n")[:-1]
    out = []
    for i, line in enumerate(lines):
        where = data.draw(st.sampled_from(["none", "end", "own"]), label=f"line {i}")
        if where == "own":
            out.append(" " * data.draw(st.integers(0, 9)) + f"# own {i}")
        out.append(line + (f"  # end {i}" if where == "end" else ""))
    text = "\n".join(out) + "\n"
    once = format_script(text)
    assert parse(once).script == s
    assert format_script(once) == once
    assert sorted(_comments(once)) == sorted(_comments(text))


def test_blank_lines_next_to_comments_are_kept() -> None:
    text = ("# header\n\n\n# block two\nworkflow W\n  # about A\n\n  on A then\n"
            "     x\n\n     # before y\n     y\n")
    assert format_script(text) == (
        "# header\n\n# block two\nworkflow W\n  # about A\n\n  on A then\n"
        "     x\n\n     # before y\n     y\n")
