"""Phrase patterns: the one reader of the words, ``{slots}`` and ``[optional words]`` that response and
option phrases are declared with, and everything derived from a read pattern.

Words match case-insensitively, a ``{slot}`` takes exactly one phrase part (a word or a literal) and
names the option it fills, ``[words]`` may be left out (one level, no nesting). ``compile_pattern``
reads a pattern once; the catalogue validates and caches it, the binder matches phrases against its
word sequences, the ambiguity check compares sequences, and the display forms show it to people.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import attrs


@attrs.frozen
class Slot:
    """A ``{name}`` in a pattern: one phrase part, converted to the option's kind."""

    name: str

    def __str__(self) -> str:
        return "{" + self.name + "}"


@attrs.frozen
class Optional_:
    """A ``[...]`` group: words and slots that a phrase may leave out together."""

    tokens: tuple[Token, ...]


Token: TypeAlias = str | Slot
"""One element of a word sequence: a lower-case word or a slot."""

Node: TypeAlias = str | Slot | Optional_
"""One element of a pattern as written: a word, a slot or an optional group."""


class PatternError(ValueError):
    """A malformed phrase pattern (unbalanced brackets, empty slot, ...)."""


@attrs.frozen
class CompiledPattern:
    """A phrase pattern, read.

    ``text``: the pattern as declared. ``tree``: its words, slots and optional groups in order.
    ``sequences``: every word sequence the pattern stands for (one per choice of optional groups,
    longest first). ``slots``: the slot names, each once, in order.
    """

    text: str
    tree: tuple[Node, ...]
    sequences: tuple[tuple[Token, ...], ...]
    slots: tuple[str, ...]

    @property
    def literal_words(self) -> int:
        """How many fixed words the longest sequence has (more = more specific)."""
        return max((sum(1 for t in s if isinstance(t, str)) for s in self.sequences), default=0)

    def match(self, parts: Sequence[str | None]) -> dict[str, int] | None:
        """Match phrase parts: a lower-case word, or None for a value (a literal) that only a slot
        takes. Returns slot name -> part index for the first sequence that matches, else None."""
        for seq in self.sequences:
            if len(seq) != len(parts):
                continue
            found: dict[str, int] = {}
            for i, (tok, part) in enumerate(zip(seq, parts, strict=True)):
                if isinstance(tok, Slot):
                    found[tok.name] = i
                elif part is None or part.lower() != tok:
                    break
            else:
                return found
        return None

    def first_words(self) -> set[str | None]:
        """The words a matching phrase can start with; None when it may start with a slot."""
        return {(s[0] if s and isinstance(s[0], str) else None) for s in self.sequences}

    def words(self) -> list[str]:
        """The pattern's words for phrase suggestions: slots as ``<name>``, optional words included."""
        return [_shown(t) for node in self.tree for t in (node.tokens if isinstance(node, Optional_)
                                                         else (node,))]

    def plain(self) -> str:
        """The pattern as a user would write it: optional words included, slots as ``<name>``."""
        return " ".join(self.words())

    def display(self) -> str:
        """The pattern with its optional groups in brackets and slots as ``<name>``."""
        return " ".join("[" + " ".join(_shown(t) for t in node.tokens) + "]" if isinstance(node, Optional_)
                        else _shown(node) for node in self.tree)


def _shown(tok: Token) -> str:
    return f"<{tok.name}>" if isinstance(tok, Slot) else tok


def compile_pattern(text: str) -> CompiledPattern:
    """Read a pattern; raises ``PatternError`` when it is malformed."""
    tree: list[Node] = []
    group: list[Token] | None = None
    slots: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == "[":
            if group is not None:
                raise PatternError(f"nested '[' at column {i + 1}")
            group = []
            i += 1
        elif ch == "]":
            if group is None:
                raise PatternError(f"']' without '[' at column {i + 1}")
            if not group:
                raise PatternError(f"empty optional group before column {i + 1}")
            tree.append(Optional_(tuple(group)))
            group = None
            i += 1
        elif ch == "{":
            end = text.find("}", i)
            if end < 0:
                raise PatternError(f"'{{' at column {i + 1} is not closed")
            name = text[i + 1 : end].strip()
            if not name.isidentifier():
                raise PatternError(f"slot '{text[i : end + 1]}' needs an option name")
            slots.append(name)
            (tree if group is None else group).append(Slot(name))
            i = end + 1
        elif ch == "}":
            raise PatternError(f"'}}' without '{{' at column {i + 1}")
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in "[]{}":
                j += 1
            (tree if group is None else group).append(text[i:j].lower())
            i = j
    if group is not None:
        raise PatternError("'[' is not closed")
    if not tree:
        raise PatternError("the pattern is empty")
    if all(isinstance(node, Optional_) for node in tree):
        raise PatternError("the pattern has only optional words")
    sequences: list[tuple[Token, ...]] = [()]
    for node in tree:
        if isinstance(node, Optional_):
            sequences = [s + node.tokens for s in sequences] + sequences
        else:
            sequences = [(*s, node) for s in sequences]
    unique = sorted(set(sequences), key=lambda s: (-len(s), [str(t) for t in s]))
    return CompiledPattern(text, tuple(tree), tuple(unique), tuple(dict.fromkeys(slots)))


def sequences_overlap(a: Sequence[Token], b: Sequence[Token]) -> bool:
    """True when one phrase could match both sequences (slots match anything)."""
    if len(a) != len(b):
        return False
    return all(isinstance(x, Slot) or isinstance(y, Slot) or x == y for x, y in zip(a, b, strict=True))


def patterns_overlap(a: CompiledPattern, b: CompiledPattern) -> tuple[Token, ...] | None:
    """A word sequence of ``a`` that some sequence of ``b`` also matches, or None."""
    for sa in a.sequences:
        for sb in b.sequences:
            if sequences_overlap(sa, sb):
                return sa
    return None


def show_sequence(seq: Sequence[Token]) -> str:
    """A word sequence as text, slots in braces."""
    return " ".join(str(t) for t in seq)
