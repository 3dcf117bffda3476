"""Whatever a file holds, reading it reports findings and never raises: BC filters and views, the
ReportParameters text, and whole files with attributes dropped or changed."""

from __future__ import annotations

import contextlib
import re
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from werkstroom.tools.bcxml.convert import import_bc
from werkstroom.tools.bcxml.filters import (
    FilterError,
    Term,
    decode_conditions,
    encode_conditions,
    quote,
    read_filter,
    read_view,
)
from werkstroom.tools.bcxml.xmlio import read_xml

from .test_bcxml_templates import catalogue, exported

FILTER_CHARS = st.text(alphabet=st.sampled_from(list("01Ab |&<>=.*?@()' ,")), max_size=20)


@given(FILTER_CHARS)
def test_filters_read_or_say_why(text: str) -> None:
    with contextlib.suppress(FilterError):  # anything else it raises fails the test
        read_filter(text)


@given(st.text(max_size=40))
def test_quoted_values_read_back(value: str) -> None:
    assert read_filter(quote(value)).terms == (Term("=", value),)


@given(st.text(alphabet=st.sampled_from(list("VERSIONWHEField0123=()', |")), max_size=40))
def test_views_read_or_say_why(text: str) -> None:
    with contextlib.suppress(FilterError):
        read_view(text)


@given(st.lists(st.tuples(st.text(max_size=10), st.text(max_size=30)), max_size=3))
def test_conditions_encode_and_decode(items: list[tuple[str, str]]) -> None:
    clean = [(n, v) for n, v in items if _xml_text(n) and _xml_text(v)]
    decoded, err = decode_conditions(encode_conditions(clean), "step 1", "x.xml")
    assert err is None and decoded == [(n, v.strip()) for n, v in clean]


def _xml_text(s: str) -> bool:
    return not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff\r]", s)


@given(st.binary(max_size=200))
def test_any_bytes_are_read_or_refused(data: bytes) -> None:
    workflows, diags = read_xml(data, "x.xml")
    assert workflows or diags


@cache
def _attributes() -> list[re.Match[str]]:
    return list(re.finditer(r'(\w+)="([^"]*)"', exported().decode()))


@settings(max_examples=12, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(["", "0", "1", "7", "-1", "x", "<>", "'"])),
                min_size=1, max_size=3))
def test_changed_files_import_or_report(changes: list[tuple[int, str]]) -> None:
    text = exported().decode()
    chosen = {where % len(_attributes()): value for where, value in changes}
    for index in sorted(chosen, reverse=True):  # from the end, so earlier offsets stay right
        m = _attributes()[index]
        text = text[:m.start(2)] + chosen[index] + text[m.end(2):]
    result = import_bc(text.encode(), "changed.xml", catalogue())
    assert result.scripts or result.diagnostics
