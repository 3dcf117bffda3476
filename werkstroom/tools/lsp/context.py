"""Where the cursor is, for completion: naming an event after `on`, in a condition after `when` (which
field, relation or value), at a response phrase after `then` or on a body line, at an option after a
comma, or at a label after `continue at`.

Read from the text around the cursor (the line being typed rarely parses): the step a line belongs to
is the nearest line above it starting with `on` and indented less (indentation is the language's
nesting); between `on` and `then` is the step's head, after it the body.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ...grammar.layout import STEP_LINE, indent_width
from ...source import SourceFile
from .tokens import Token, tokens

__all__ = ["Place", "place_at"]

_CONNECTIVES = frozenset({"when", "and", "or", "not", "with"})
_QUANTIFIERS = frozenset({"any", "all", "no"})
_COMPARE = frozenset({"=", "<>", "<", "<=", ">", ">="})


@attrs.frozen
class Place:
    """What the cursor is at. ``kind``: ``event``, ``operand`` (a field or relation in a condition),
    ``member`` (after ``path.``), ``relation`` (after any/all/no), ``value`` (the right side of a test
    on ``path``), ``response``, ``option``, ``label``, ``continue`` (after `continue`) or ``none``.

    ``start``: where the word being typed starts (the completion replaces from there to the cursor).
    ``event``: the event of the step the cursor is in (as written). ``ancestors``: the events of the
    steps around it, nearest first (for ``event``: the events the new step would follow).
    ``scope``: the to-many relations whose ``with`` the cursor is in, outermost first. ``path``: the
    dotted path before the cursor (``member``, ``value``). ``words``: the phrase typed so far
    (``response``, ``option``; ``phrase_start`` is where it starts). ``response``: the parts of the
    response phrase an option belongs to. ``body_line``: at the start of an indented body line."""

    kind: str
    start: int
    event: str = ""
    ancestors: tuple[str, ...] = ()
    scope: tuple[tuple[str, ...], ...] = ()
    path: tuple[str, ...] = ()
    words: tuple[Token, ...] = ()
    phrase_start: int = 0
    response: tuple[Token, ...] = ()
    body_line: bool = False


def _partial(line_toks: Sequence[Token], at: int) -> int:
    """Where the word being typed at ``at`` starts (``at`` when none is)."""
    if line_toks and line_toks[-1].end == at:
        last = line_toks[-1]
        open_text = last.kind == "string" and (len(last.text) == 1 or not last.text.endswith('"'))
        if last.kind == "name" or open_text:
            return last.start
    return at


def _step_line(source: SourceFile, line: int) -> tuple[int, str] | None:
    """(indent, event as written) when ``line`` starts a step, else None."""
    raw = source.line_text(line)
    body = raw.lstrip(" \t\f\ufeff")
    if not STEP_LINE.match(body):
        return None
    toks = tokens(body)
    event = toks[1].text if len(toks) > 1 and toks[1].kind == "name" else ""
    return indent_width(raw[: len(raw) - len(body)]), event


def _indent(source: SourceFile, line: int) -> int:
    raw = source.line_text(line)
    return indent_width(raw[: len(raw) - len(raw.lstrip(" \t\f\ufeff"))])


def _starts_workflow(source: SourceFile, line: int) -> bool:
    return source.line_text(line)[:8].lower() == "workflow"


def _enclosing(source: SourceFile, line: int, indent: int) -> list[tuple[int, str]]:
    """The steps around a line indented ``indent``: (line, event) of each, nearest first."""
    out: list[tuple[int, str]] = []
    for k in range(line - 1, 0, -1):
        if _starts_workflow(source, k):
            break
        step = _step_line(source, k)
        if step is not None and step[0] < indent:
            out.append((k, step[1]))
            indent = step[0]
            if indent == 0:
                break
    return out


def place_at(source: SourceFile, at: int) -> Place:
    """The place of code-point offset ``at`` in ``source``."""
    line, _col = source.line_col(at)
    line_start = source.offset(line, 1)
    line_toks = tokens(source.text[line_start:at], line_start)
    start = _partial(line_toks, at)
    head = next((k for k in range(line, 0, -1) if _step_line(source, k) is not None
                 or _starts_workflow(source, k)), None)
    if head is None or _starts_workflow(source, head):
        return Place("none", start)
    head_start = source.offset(head, 1)
    toks = tokens(source.text[head_start:start], head_start)
    then = next((i for i, t in enumerate(toks) if t.word == "then"), None)
    head_event = toks[1].text if len(toks) > 1 and toks[1].kind == "name" else ""
    if then is None:
        ancestors = tuple(e for _k, e in _enclosing(source, head, _indent(source, head)))
        if len(toks) == 1:
            return Place("event", start, ancestors=ancestors)
        if len(toks) >= 3 and toks[2].word == "when":
            return attrs.evolve(_condition(toks[3:], start), event=head_event, ancestors=ancestors)
        return Place("none", start)
    if toks[then].start >= line_start:  # the body written on the step's own line, after `then`
        owner, rest, body_line = (head, head_event), toks[then + 1:], False
    else:
        around = _enclosing(source, line, _indent(source, line))
        if not around:
            return Place("none", start)
        owner, rest, body_line = around[0], [t for t in line_toks if t.end <= start], True
    ancestors = tuple(e for _k, e in _enclosing(source, owner[0], _indent(source, owner[0])))
    return attrs.evolve(_body(rest, start, body_line), event=owner[1], ancestors=ancestors)


def _body(toks: Sequence[Token], start: int, body_line: bool) -> Place:
    """A response line typed so far (``toks``, without the word being typed)."""
    if not toks:
        return Place("response", start, phrase_start=start, body_line=body_line)
    if toks[0].word == "continue":
        if len(toks) == 1:
            return Place("continue", start)
        return Place("label" if len(toks) == 2 and toks[1].word == "at" else "none", start)
    if any(t.word == "as" for t in toks):
        return Place("none", start)
    commas = [i for i, t in enumerate(toks) if t.text == ","]
    if not commas:
        return Place("response", start, words=tuple(toks), phrase_start=toks[0].start)
    typed = tuple(toks[commas[-1] + 1:])
    return Place("option", start, words=typed, phrase_start=typed[0].start if typed else start,
                 response=tuple(toks[: commas[0]]))


def _path_before(toks: Sequence[Token], end: int) -> tuple[str, ...]:
    """The dotted path that ends just before index ``end`` (``vendor.blocked``), () when none does."""
    names: list[str] = []
    i = end - 1
    while i >= 0 and toks[i].kind == "name":
        names.append(toks[i].text)
        if i >= 1 and toks[i - 1].text == ".":
            i -= 2
        else:
            break
    return tuple(reversed(names))


def _scopes(toks: Sequence[Token]) -> list[tuple[tuple[str, ...], int, bool]]:
    """The `any/all/no REL with` tests the end of ``toks`` is inside: (relation path, bracket depth,
    whether its test has begun), outermost first. `with` takes one test (or one in parentheses)."""
    depth = 0
    open_: list[tuple[tuple[str, ...], int, bool]] = []
    for i, t in enumerate(toks):
        if t.text == "(":
            depth += 1
        elif t.text == ")":
            depth -= 1
            open_ = [s for s in open_ if s[1] <= depth]
        elif t.word in ("and", "or"):
            open_ = [s for s in open_ if not (s[1] == depth and s[2])]
        elif t.word == "with":
            path = _path_before(toks, i)
            if path:
                open_.append((path, depth, False))
            continue
        if open_ and open_[-1][1] == depth and t.word != "not" and t.text != "(":
            open_[-1] = (open_[-1][0], depth, True)
    return open_


def _condition(toks: Sequence[Token], start: int) -> Place:
    """The place in a condition typed so far (``toks``: after `when`, without the word being typed)."""
    scope = tuple(s[0] for s in _scopes(toks))
    last = toks[-1] if toks else None
    kind, path = "none", tuple[str, ...]()
    if last is None or last.word in _CONNECTIVES or last.text == "(":
        kind = "operand"
    elif last.word in _QUANTIFIERS and not (len(toks) > 1 and toks[-2].text in _COMPARE):
        kind = "relation"
    elif last.text == ".":
        kind, path = "member", _path_before(toks, len(toks) - 1)
    elif last.text in _COMPARE:
        kind, path = "value", _path_before(toks, len(toks) - 1)
    elif last.text in ("[", ","):
        bracket = max((i for i, t in enumerate(toks) if t.text == "["), default=-1)
        closed = any(t.text == "]" for t in toks[bracket + 1:])
        if bracket >= 1 and not closed and toks[bracket - 1].word == "in":
            before = bracket - 2 if bracket >= 2 and toks[bracket - 2].word == "not" else bracket - 1
            kind, path = "value", _path_before(toks, before)
    return Place(kind, start, scope=scope, path=path)
