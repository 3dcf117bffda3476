"""Quick fixes: the edit each "did you mean" of a diagnostic stands for, replacing the diagnostic's
span: a name (event, field, relation, label), an enum value (quoted when it is not one name), a
response or option phrase (the slots of the suggested phrase filled with the values written), or a
message placeholder inside a text."""

from __future__ import annotations

import re

from ...diagnostics import Diagnostic
from ...placeholders import unknown_names
from ...source import SourceFile
from ...spelling import distance
from .tokens import NAME, Token, tokens

__all__ = ["suggested_text"]

_DID_YOU_MEAN = re.compile(r"did you mean `([^`]+)`\?")
_PLACEHOLDER = re.compile(r"did you mean \{(\w+)\}\?")
_SLOT = re.compile(r"<(\w+)>")
_PHRASE_CODES = ("WF203", "WF204")


def suggested_text(d: Diagnostic, source: SourceFile) -> str | None:
    """The text that replaces ``d``'s span when its suggestion is taken, or None when it has none."""
    if d.span is None or d.span.path != source.path or not d.help:
        return None
    written = source.text[d.span.start:d.span.end]
    m = _PLACEHOLDER.fullmatch(d.help)
    if m is not None:
        return _placeholder(written, m.group(1))
    m = _DID_YOU_MEAN.fullmatch(d.help)
    if m is None:
        return None
    suggestion = m.group(1)
    if d.code in _PHRASE_CODES:
        return _phrase(written, suggestion)
    if written.startswith('"') or NAME.fullmatch(suggestion) is None:
        return _quoted(suggestion)
    return suggestion


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _placeholder(written: str, close: str) -> str | None:
    """The text literal with its first unknown placeholder renamed to ``close``."""
    unknown = unknown_names(written)
    if not unknown:
        return None
    m = re.search(r"\{\s*" + re.escape(unknown[0]) + r"\s*\}", written)
    if m is None:
        return None
    return written[: m.start()] + "{" + close + "}" + written[m.end():]


def _phrase(written: str, suggestion: str) -> str | None:
    """The suggested phrase; its ``<slot>`` words take the written parts that are not the suggestion's
    words (a value, a code), in order. None when there are too few of those to fill the slots."""
    words = suggestion.split()
    slots = [w for w in words if _SLOT.fullmatch(w)]
    if not slots:
        return suggestion
    fixed = [w for w in words if not _SLOT.fullmatch(w)]
    values = [t for t in tokens(written) if not _near_any(t, fixed)]
    if len(values) < len(slots):
        return None
    fill = iter(values[-len(slots):])
    return " ".join(next(fill).text if _SLOT.fullmatch(w) else w for w in words)


def _near_any(tok: Token, words: list[str]) -> bool:
    if tok.kind != "name":
        return False
    return any(distance(tok.word, w, 2) <= (1 if len(w) <= 4 else 2) for w in words)
