"""BC's event conditions as text: the ReportParameters document (base64 of its UTF-16LE text, as the
xmlport writes it), the record view strings of its data items, and BC's filter expressions.

A view string (``RecordRef.GetView(false)``) reads ``VERSION(1) SORTING(Field1,Field3)
WHERE(Field1=1(2),Field120=1(0))``: each WHERE entry is a field (``Field<number>``, or its caption in
the named form ``Document Type=FILTER(Invoice)``) with a filter. Werkstroom writes
``VERSION(1) WHERE(...)`` (no sort order: BC uses the table's primary key) and reads both forms.

A filter is BC's filter syntax, reduced to what a Werkstroom condition can say: alternatives
separated by ``|`` or conditions joined by ``&`` (not both), each a value, ``<>``, ``<``, ``<=``,
``>``, ``>=`` before a value, a range ``low..high`` (either side may be left out), ``''`` for an empty
value, ``@`` for a case-insensitive comparison, ``*`` at the start or end of a text for "ends with",
"starts with" or "contains", and values in single quotes (``''`` inside them) where they hold
special characters.
"""

from __future__ import annotations

import base64
import binascii
import re
from xml.etree import ElementTree as ET

import attrs

from ...diagnostics import Diagnostic
from .model import problem

DataItems = list[tuple[str, str]]
"""A condition's data items: (table name, view string), in document order."""

_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_SPECIAL = set("|&<>=*?@()'")


class FilterError(Exception):
    """A view string or filter that cannot be read; the message says why (without the text)."""


# --------------------------------------------------------------------------- ReportParameters


def encode_conditions(items: DataItems) -> str:
    """The EventConditions attribute for ``items``: base64 of the UTF-16LE ReportParameters text."""
    root = ET.Element("ReportParameters")
    holder = ET.SubElement(root, "DataItems")
    for name, view in items:
        item = ET.SubElement(holder, "DataItem", {"name": name})
        if view:
            item.text = view
    text = ('<?xml version="1.0" encoding="utf-8" standalone="yes"?>'
            + ET.tostring(root, encoding="unicode", short_empty_elements=False))
    return base64.b64encode(text.encode("utf-16-le")).decode("ascii")


def decode_conditions(value: str, ctx: str, path: str) -> tuple[DataItems | None, Diagnostic | None]:
    """The data items of an EventConditions attribute, or the WF855 (WF851 for unsafe XML) that says
    why they cannot be read. ``ctx`` names the step in messages."""
    from .xmlio import parse_safely

    try:
        raw = base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        return None, problem("WF855", f"{ctx}: the event conditions are not base64 text",
                             help="BC writes them as base64 of the conditions' UTF-16 text; export "
                                  "the workflow from BC again")
    if len(raw) % 2:
        return None, problem("WF855", f"{ctx}: the event conditions are not UTF-16 text (an odd number of "
                                      "bytes)")
    try:
        text = raw.decode("utf-16-le").lstrip("\ufeff")
    except UnicodeDecodeError:
        return None, problem("WF855", f"{ctx}: the event conditions are not valid UTF-16 text")
    root, _lines, err = parse_safely(_DECLARATION.sub("", text), path,
                                     f"{ctx}: the event conditions", code="WF855")
    if err is not None:
        return None, err
    assert root is not None
    if root.tag != "ReportParameters":
        return None, problem("WF855", f"{ctx}: the event conditions hold <{root.tag}>, not "
                                      "<ReportParameters>")
    items: DataItems = []
    for holder in root.iter("DataItems"):
        for item in holder.iter("DataItem"):
            items.append((item.get("name", ""), (item.text or "").strip()))
    return items, None


# --------------------------------------------------------------------------- view strings


@attrs.frozen
class ViewFilter:
    """One WHERE entry: ``field`` is the field number, or the caption in the named form; ``constant``:
    a CONST entry (the text is one value, not a filter); ``text``: the filter."""

    field: int | str
    constant: bool
    text: str


_ENTRY = re.compile(r"(?s)\s*(?P<field>[^=]+?)\s*=\s*(?P<kind>\d+|CONST|FILTER)\((?P<text>.*)\)\s*")


def read_view(view: str) -> list[ViewFilter]:
    """The WHERE entries of a view string (VERSION, SORTING and ORDER are read and left aside)."""
    out: list[ViewFilter] = []
    for keyword, body in _groups(view):
        if keyword in ("VERSION", "SORTING", "ORDER"):
            continue
        if keyword != "WHERE":
            raise FilterError(f"`{keyword}(...)` is not part of a record view")
        for entry in _split(body, ","):
            if not entry.strip():
                continue
            m = _ENTRY.fullmatch(entry)
            if m is None:
                raise FilterError(f"`{_short(entry)}` is not `Field<number>=1(<filter>)`")
            name, kind = m.group("field"), m.group("kind").upper()
            if kind not in ("0", "1", "CONST", "FILTER"):
                raise FilterError(f"`{_short(entry)}`: filter type {kind} is not CONST (0) or FILTER (1)")
            number = re.fullmatch(r"Field(\d{1,9})", name, re.I)
            field: int | str = int(number.group(1)) if number else name
            out.append(ViewFilter(field, kind in ("0", "CONST"), m.group("text")))
    return out


def write_view(entries: list[tuple[int, str]]) -> str:
    """A view string with one FILTER entry per (field number, filter)."""
    where = ",".join(f"Field{no}=1({text})" for no, text in entries)
    return "VERSION(1)" + (f" WHERE({where})" if where else "")


def _groups(view: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    i, n = 0, len(view)
    while i < n:
        if view[i].isspace():
            i += 1
            continue
        m = re.compile(r"[A-Za-z]+\(").match(view, i)
        if m is None:
            raise FilterError(f"`{_short(view[i:])}` is not `KEYWORD(...)`")
        end = _closing(view, m.end() - 1)
        out.append((m.group()[:-1].upper(), view[m.end():end]))
        i = end + 1
    return out


def _closing(text: str, open_at: int) -> int:
    """The index of the ``)`` that closes the ``(`` at ``open_at`` (quotes respected)."""
    depth, quoted = 0, False
    for i in range(open_at, len(text)):
        ch = text[i]
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
            if depth == 0:
                return i
    raise FilterError("a parenthesis or quote is not closed")


def _split(text: str, sep: str) -> list[str]:
    """``text`` split at ``sep`` outside quotes and parentheses."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(text):
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
        elif not quoted and depth == 0 and ch == sep:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 50 else text[:47] + "..."


# --------------------------------------------------------------------------- filters


@attrs.frozen
class Term:
    """One condition of a filter. ``op``: ``=``, ``<>``, ``<``, ``<=``, ``>``, ``>=`` or ``..`` (a
    range from ``value`` to ``high``; None: open). ``value`` ``''`` is the empty value. ``wild``: the
    value had a ``*`` at its start and/or end (``starts``/``ends`` say where the text is anchored).
    ``ci``: ``@``, case-insensitive."""

    op: str
    value: str | None
    high: str | None = None
    ci: bool = False
    wild: bool = False
    starts: bool = True
    ends: bool = True


@attrs.frozen
class Filter:
    """``terms`` joined by ``joiner``: ``|`` (any holds) or ``&`` (all hold); one term: either."""

    joiner: str
    terms: tuple[Term, ...]


def read_filter(text: str, constant: bool = False) -> Filter:
    """A filter expression (or, ``constant``, a CONST value) as terms."""
    if constant:
        return Filter("|", (Term("=", text),))
    alternatives = _split(text, "|")
    conjunctions = _split(text, "&")
    if len(alternatives) > 1 and len(conjunctions) > 1:
        raise FilterError("it mixes `|` and `&`")
    parts, joiner = (alternatives, "|") if len(alternatives) > 1 else (conjunctions, "&")
    return Filter(joiner, tuple(_term(p) for p in parts))


def _term(raw: str) -> Term:
    text = raw.strip()
    if text.startswith("(") or _unquoted_has(text, "()"):
        raise FilterError("parentheses in a filter are not supported")
    ci = text.startswith("@")
    if ci:
        text = text[1:]
    for op in ("<>", "<=", ">=", "<", ">", "="):
        if text.startswith(op):
            value, wild, starts, ends = _value(text[len(op):])
            if wild:
                raise FilterError(f"`{raw.strip()}` puts `*` after `{op}`")
            return Term(op, value, ci=ci)
    rng = _split_range(text)
    if rng is not None:
        low, high = (_value(x)[0] if x.strip() else None for x in rng)
        return Term("..", low, high, ci=ci)
    value, wild, starts, ends = _value(text)
    return Term("=", value, ci=ci, wild=wild, starts=starts, ends=ends)


def _split_range(text: str) -> tuple[str, str] | None:
    quoted = False
    for i, ch in enumerate(text):
        if ch == "'":
            quoted = not quoted
        elif not quoted and text.startswith("..", i):
            return text[:i], text[i + 2:]
    return None


def _unquoted_has(text: str, chars: str) -> bool:
    quoted = False
    for ch in text:
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch in chars:
            return True
    return False


def _value(raw: str) -> tuple[str, bool, bool, bool]:
    """(value, wildcard?, anchored at start?, anchored at end?) of one value; quotes removed."""
    text = raw.strip()
    starts = ends = True
    if text.startswith("*"):
        text, starts = text[1:], False
    if text.endswith("*"):
        text, ends = text[:-1], False
    if len(text) >= 2 and text[0] == "'" and text[-1] == "'":
        inner = text[1:-1]
        if re.search(r"(?<!')'(?!')", inner.replace("''", "")):
            raise FilterError(f"`{raw.strip()}` has an unpaired quote")
        return inner.replace("''", "'"), not (starts and ends), starts, ends
    if _unquoted_has(text, "*?"):
        raise FilterError(f"`{raw.strip()}` has a wildcard inside the text; only `*` at the start or "
                          "end can be read")
    if "'" in text:
        raise FilterError(f"`{raw.strip()}` has a quote that does not enclose the whole value")
    return text, not (starts and ends), starts, ends


def quote(value: str) -> str:
    """``value`` as a filter value: in single quotes when it is empty, has special characters or
    spaces at its ends."""
    if value and not (_SPECIAL & set(value)) and ".." not in value and value == value.strip():
        return value
    return "'" + value.replace("'", "''") + "'"


def plain_text(value: str) -> bool:
    """Whether ``value`` can stand in a wildcard pattern (no special characters to quote)."""
    return bool(value) and not (_SPECIAL & set(value)) and ".." not in value
