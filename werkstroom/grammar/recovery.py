"""Error recovery: after a syntax error the text is cut into pieces that are parsed on their own, so
one file reports several independent errors and keeps the items that parse.

The cuts: each top-level ``workflow``/``on`` line starts a chunk; a chunk that fails is cut again at
each of its steps, recursively (``MAX_RECOVERY_DEPTH``). Each round parses up to the next error
only, so the work stays linear in the text.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic
from ..source import SourceFile
from . import ast as A
from .lalr import parse_region
from .layout import STEP_LINE, indent_width
from .limits import MAX_ERRORS

__all__ = ["parse_all", "top_chunks"]

MAX_RECOVERY_DEPTH = 8
"""How many levels of nested steps a failing region is cut into, at most."""


def parse_all(source: SourceFile) -> tuple[list[A.Workflow | A.Step], list[Diagnostic]]:
    """Parse the whole text; after an error, resynchronise at the top-level chunk after the one that
    failed (a chunk starts at each line beginning with `workflow` or `on` at column 0) and go on.
    Each round parses up to the next error only, so the work stays linear in the text."""
    text = source.text
    n = len(text)
    chunks: list[tuple[int, int]] | None = None
    items: list[A.Workflow | A.Step] = []
    diags: list[Diagnostic] = []
    pos = 0
    errors = 0
    while pos < n:
        script, d, err = parse_region(source, pos, n)
        if script is not None:
            items.extend(script.items)
            diags.extend(d)
            break
        if chunks is None:
            chunks = top_chunks(text)
        at = err.span.start if err is not None and err.span is not None else pos
        at = min(max(at, pos), n - 1)
        cs, ce = next(((cs, ce) for cs, ce in chunks if cs <= at < ce), (pos, n))
        cs = max(cs, pos)
        if cs > pos:  # the chunks before the failing one: they parsed up to the error, so they are fine
            pre, pre_d, pre_err = parse_region(source, pos, cs)
            diags.extend(pre_d)
            if pre is not None:
                items.extend(pre.items)
            else:
                found = _explain_failure(source, pos, cs, 0, [], pre_err, 0)
                diags.extend(found)
                errors += sum(1 for x in found if x.is_error)
        one, one_d, one_err = parse_region(source, cs, ce)
        if one is not None:  # fine alone: the error comes from how it meets its neighbours
            items.extend(one.items)
            found = [*one_d, *([err] if err is not None else [])]
        else:
            found = _explain_failure(source, cs, ce, 0, one_d, one_err, 0)
        diags.extend(found)
        errors += sum(1 for x in found if x.is_error)
        if errors >= MAX_ERRORS:
            break
        pos = ce
    return items, _dedupe(diags)


def _explain_failure(source: SourceFile, start: int, end: int, base: int, diags: list[Diagnostic],
                     err: Diagnostic | None, depth: int) -> list[Diagnostic]:
    """The diagnostics of a region that failed to parse: the errors of its pieces (the header and
    each step one level down, recursively) when some piece fails on its own, else its own error."""
    deeper = depth < MAX_RECOVERY_DEPTH and (err is None or err.code != "WF108")
    subs = _sub_chunks(source.text, start, end, base) if deeper else []
    found: list[Diagnostic] = []
    any_failed = False
    if len(subs) > 1:
        for i, (ss, se, sb) in enumerate(subs):
            script, d, sub_err = parse_region(source, ss, se, sb)
            if script is None and i == 0 and sub_err is not None and sub_err.code == "WF114":
                continue  # a header whose body is all nested steps: the steps are the pieces
            if script is None:
                any_failed = True
                found.extend(_explain_failure(source, ss, se, sb, d, sub_err, depth + 1))
            else:
                found.extend(d)
    if any_failed:
        return [*diags, *found]
    return [*diags, *([err] if err is not None else [])]


def _dedupe(diags: list[Diagnostic]) -> list[Diagnostic]:
    """The diagnostics without repeats (the same code, message and place), in order."""
    seen: set[tuple[str, str, int]] = set()
    out = []
    for d in diags:
        key = (d.code, d.message, d.span.start if d.span else -1)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


_TOP = re.compile(r"(?im)^(?:workflow|on)(?![\w-])")


def top_chunks(text: str) -> list[tuple[int, int]]:
    """(start, end) of the top-level chunks: one from each line that starts with `workflow` or `on`."""
    starts = [m.start() for m in _TOP.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    ends = [*starts[1:], len(text)]
    return list(zip(starts, ends, strict=True))


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|\Z)")


def _sub_chunks(text: str, start: int, end: int, base: int) -> list[tuple[int, int, int]]:
    """Cut a region (a workflow or a step) into its header and one piece per child step: the lines
    that start with `on` at the indentation of the first such line deeper than ``base``."""
    child: int | None = None
    cuts = [start]
    first = True
    for m in _LINE.finditer(text, start, end):
        if m.end() == m.start():
            continue
        if first:
            first = False
            continue
        raw = m.group().rstrip("\r\n")
        body = raw.lstrip(" \t\f")
        if not body or body.startswith("#") or not STEP_LINE.match(body):
            continue
        indent = indent_width(raw[: len(raw) - len(body)])
        if child is None and indent > base:
            child = indent
        if indent == child:
            cuts.append(m.start())
    bases = [base] + [child or 0] * (len(cuts) - 1)
    return list(zip(cuts, [*cuts[1:], end], bases, strict=True))
