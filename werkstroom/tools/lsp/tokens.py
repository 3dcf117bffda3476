"""The words of a piece of .wf text as the editor features read it: names, texts, numbers and marks,
comments skipped. Only for finding where the cursor is (completion) and what a quick fix replaces; the
parser (``grammar``) stays the one reader of the language."""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["NAME", "Token", "tokens"]

NAME = re.compile(r"[^\W\d]\w*(?:[-/]\w+)*")
"""A name as the grammar writes it (``wf.lark``'s NAME)."""

_TOKEN = re.compile(r"""
    (?P<comment>\#[^\r\n]*)
  | (?P<string>"(?:[^"\\\r\n]|\\.)*"?)
  | (?P<name>[^\W\d]\w*(?:[-/]\w+)*)
  | (?P<number>[+-]?\d[\w.+-]*)
  | (?P<mark><>|<=|>=|\.\.|[=<>()\[\],.])
  | (?P<newline>\r\n|\r|\n)
  | (?P<other>[^\s])
""", re.X)


class Token(NamedTuple):
    """``kind``: name, string, number, mark, newline or other. ``start``/``end``: offsets in the text
    the tokens were read from (plus the ``base`` given)."""

    kind: str
    text: str
    start: int
    end: int

    @property
    def word(self) -> str:
        """The lower-cased text of a name ('' for other tokens)."""
        return self.text.lower() if self.kind == "name" else ""


def tokens(text: str, base: int = 0, *, newlines: bool = False) -> list[Token]:
    """The tokens of ``text``; comments are dropped, line breaks only kept with ``newlines``."""
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind == "comment" or (kind == "newline" and not newlines):
            continue
        out.append(Token(kind, m.group(), base + m.start(), base + m.end()))
    return out
