"""Which step of one version is which step of another, by the step's place in the tree rather than its id.

Step ids are given in source order, so one inserted step renumbers every step after it; the diff
pairs steps by what they are and where they stand instead:

1. Entry points, and the alternatives under two paired event steps, pair by event and condition
   first, then by event alone in their order (a changed condition).
2. The response chains of two paired event steps are aligned by response name (longest matching
   runs, as ``difflib`` aligns lines), so an inserted response leaves the others paired.
3. What is left pairs across the tree as a move: an event step with the same event, condition and
   chain of responses elsewhere (and then what is under it), a response with the same label, or with
   the same name and options.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import SequenceMatcher

import attrs

from .tree import Shape


@attrs.frozen
class Matching:
    """``pairs``: old step id -> new step id. ``moved``: the old ids paired in the third pass."""

    old: Shape
    new: Shape
    pairs: dict[int, int]
    moved: frozenset[int]

    def back(self) -> dict[int, int]:
        return {n: o for o, n in self.pairs.items()}


class _Matcher:
    def __init__(self, old: Shape, new: Shape) -> None:
        self.old, self.new = old, new
        self.pairs: dict[int, int] = {}
        self.taken: set[int] = set()
        self.moved: set[int] = set()

    def pair(self, o: int, n: int) -> None:
        self.pairs[o] = n
        self.taken.add(n)

    def same_event(self, o: int, n: int) -> bool:
        a, b = self.old.steps[o], self.new.steps[n]
        return a.name == b.name and a.record_type == b.record_type

    def same_condition(self, o: int, n: int) -> bool:
        return self.old.steps[o].condition == self.new.steps[n].condition

    def events(self, olds: Iterable[int], news: Iterable[int]) -> None:
        free = [n for n in news if n not in self.taken]
        rest: list[int] = []
        found: list[tuple[int, int]] = []
        for o in olds:
            if o in self.pairs:
                continue
            hit = next((n for n in free if self.same_event(o, n) and self.same_condition(o, n)), None)
            if hit is None:
                rest.append(o)
                continue
            free.remove(hit)
            found.append((o, hit))
        for o in rest:
            hit = next((n for n in free if self.same_event(o, n)), None)
            if hit is not None:
                free.remove(hit)
                found.append((o, hit))
        for o, n in found:
            self.pair(o, n)
        for o, n in found:
            self.inside(o, n)

    def inside(self, o: int, n: int) -> None:
        olds = [r for r in self.old.chain.get(o, ()) if r not in self.pairs]
        news = [r for r in self.new.chain.get(n, ()) if r not in self.taken]
        names_old = [self.old.steps[r].name for r in olds]
        names_new = [self.new.steps[r].name for r in news]
        matcher = SequenceMatcher(None, names_old, names_new, autojunk=False)
        for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
            if tag == "equal":
                for k in range(i2 - i1):
                    self.pair(olds[i1 + k], news[j1 + k])
        self.events(self.old.alternatives.get(o, ()), self.new.alternatives.get(n, ()))

    def moves(self) -> None:
        """Pair what is left across the tree (see the module's third rule)."""
        for o in [s for s in self.old.order() if s not in self.pairs]:
            if o in self.pairs:  # paired under a moved event step meanwhile
                continue
            a = self.old.steps[o]
            for n in (s for s in self.new.order() if s not in self.taken):
                b = self.new.steps[n]
                if a.kind != b.kind or a.name != b.name:
                    continue
                if a.kind == "event":
                    chain_old = [self.old.steps[r].name for r in self.old.chain.get(o, ())]
                    chain_new = [self.new.steps[r].name for r in self.new.chain.get(n, ())]
                    if not (self.same_event(o, n) and self.same_condition(o, n) and chain_old == chain_new):
                        continue
                elif not ((a.label and b.label and a.label.lower() == b.label.lower())
                          or (dict(a.options) == dict(b.options) and not a.label and not b.label)):
                    continue
                self.pair(o, n)
                self.moved.add(o)
                if a.kind == "event":
                    self.inside(o, n)
                break


def match(old: Shape, new: Shape) -> Matching:
    """Pair the steps of ``old`` with those of ``new`` (the module's three rules)."""
    m = _Matcher(old, new)
    m.events(old.alternatives.get(None, ()), new.alternatives.get(None, ()))
    m.moves()
    return Matching(old, new, dict(m.pairs), frozenset(m.moved))
