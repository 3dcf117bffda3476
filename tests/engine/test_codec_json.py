"""store_codec writes its JSON with orjson where that gives the standard library's exact text, and
with ``json`` elsewhere (non-ASCII text, integers beyond 64 bits): stored texts that are compared or
hashed (record values, idempotency digests) keep the form earlier versions wrote."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from werkstroom.store import codec as codec

_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=8),
    st.decimals(allow_nan=False, allow_infinity=False), st.dates(),
    st.datetimes(timezones=st.sampled_from([dt.UTC, None])),
)
values = st.recursive(_leaf, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)), max_leaves=20)


def _stdlib(v: Any) -> str:
    return json.dumps(codec.to_jsonable(v), sort_keys=True, separators=(",", ":"), check_circular=False)


@given(values)
def test_dumps_is_the_standard_librarys_text(v: Any) -> None:
    assert codec.dumps(v) == _stdlib(v)
    assert codec.loads(codec.dumps(v)) == codec.loads(_stdlib(v))


@given(values)
def test_mostly_plain_is_the_standard_librarys_text(v: Any) -> None:
    expected = json.dumps(v, sort_keys=True, separators=(",", ":"), default=codec.to_jsonable,
                          check_circular=False)
    assert codec.dumps_mostly_plain(v) == expected


def test_the_cases_orjson_would_write_otherwise() -> None:
    # non-ASCII text and DEL: escaped as json does; integers beyond 64 bits: written, not refused
    v = {"naam": "Crème brûlée €", "del": "\x7f", "ctl": "\x00\x1f\n", "big": 2 ** 70, "neg": -(2 ** 65),
         "amount": Decimal("1.50")}
    assert codec.dumps(v) == _stdlib(v)
    assert "\\u20ac" in codec.dumps(v)
    assert codec.dumps_mostly_plain(v) == json.dumps(v, sort_keys=True, separators=(",", ":"),
                                                     default=codec.to_jsonable)
    assert codec.loads(codec.dumps(v)) == v


def test_a_dict_keyed_like_a_tag_reads_back_as_the_dict() -> None:
    # a one-key dict whose key is a tag name is a value like any other, not a tagged Decimal or date
    for v in ({"$dec": None}, {"$dec": "1.50"}, {"$dt": "2026-01-01T00:00:00"}, {"$date": 3},
              {"$esc": {"$dec": "2"}}, [{"$dec": Decimal("1")}]):
        assert codec.loads(codec.dumps(v)) == v
        assert codec.loads(_stdlib(v)) == v
    assert codec.loads(codec.dumps({"amount": Decimal("1.50")})) == {"amount": Decimal("1.50")}
    assert codec.dumps(Decimal("1.50")) == '{"$dec":"1.50"}'
