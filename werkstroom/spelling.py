"""Did-you-mean suggestions: the closest candidates to a misspelt name or phrase.

Names are compared case-insensitively with the optimal-string-alignment variant of the
Damerau-Levenshtein distance (insert, delete, substitute, swap two neighbours), capped so that only
plausible typos are suggested. Phrases (response wordings) are compared word by word with the same
distance over words, where two words count as equal when they are themselves a close typo.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def distance(a: str, b: str, cap: int | None = None) -> int:
    """Optimal-string-alignment distance between ``a`` and ``b``.

    With ``cap``, returns ``cap + 1`` as soon as the distance is known to exceed it (cheap rejection).
    """
    if a == b:
        return 0
    la, lb = len(a), len(b)
    if cap is not None and abs(la - lb) > cap:
        return cap + 1
    prev2: list[int] = []
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        cur = [i] + [0] * lb
        row_min = cur[0]
        for j in range(1, lb + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
            row_min = min(row_min, v)
        if cap is not None and row_min > cap:
            return cap + 1
        prev2, prev = prev, cur
    return prev[lb]


def default_cap(word: str) -> int:
    """How many edits still count as a typo of ``word``: 1 for short words, up to a third of longer ones."""
    n = len(word)
    if n <= 3:
        return 1
    if n <= 6:
        return 2
    return max(2, n // 3)


def _key(text: str) -> str:
    return text.lower().replace("_", "").replace(" ", "").replace("-", "")


def suggest(word: str, candidates: Iterable[str], *, limit: int = 1, cap: int | None = None) -> list[str]:
    """The candidates closest to ``word`` (best first), at most ``limit``, within the typo cap.

    Case, underscores, spaces and hyphens are ignored when comparing (``AmountLCY`` ~ ``amount_lcy``);
    a candidate that starts with the word's normalised form (a prefix of at least 4 letters) also counts.
    """
    key = _key(word)
    if not key:
        return []
    limit_cap = cap if cap is not None else default_cap(key)
    scored: list[tuple[int, int, str]] = []
    seen: set[str] = set()
    for order, cand in enumerate(candidates):
        if cand in seen:
            continue
        seen.add(cand)
        ck = _key(cand)
        d = distance(key, ck, limit_cap)
        if d <= limit_cap:
            scored.append((d, order, cand))
        elif len(key) >= 4 and ck.startswith(key):
            scored.append((limit_cap, order, cand))
    scored.sort()
    return [c for _, _, c in scored[:limit]]


def did_you_mean(word: str, candidates: Iterable[str], *, quote: str = "`") -> str:
    """A help text ``did you mean `x`?`` or ``""`` when nothing is close."""
    best = suggest(word, candidates)
    if not best:
        return ""
    return f"did you mean {quote}{best[0]}{quote}?"


def _word_equal(a: str, b: str) -> bool:
    if a == b:
        return True
    if b.startswith("<") or a.startswith("<"):
        return False
    return distance(a, b, 1) <= (1 if min(len(a), len(b)) > 3 else 0)


def phrase_distance(words: Sequence[str], pattern: Sequence[str]) -> int:
    """Edit distance over words; a ``<slot>`` pattern word matches any one word at no cost."""
    la, lb = len(words), len(pattern)
    prev = list(range(lb + 1))
    for i in range(1, la + 1):
        cur = [i] + [0] * lb
        for j in range(1, lb + 1):
            p = pattern[j - 1]
            same = p.startswith("<") or _word_equal(words[i - 1], p)
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (0 if same else 1))
        prev = cur
    return prev[lb]


def suggest_phrase(words: Sequence[str], patterns: Iterable[tuple[str, Sequence[str]]]) -> str | None:
    """The display text of the pattern closest to ``words``.

    ``patterns``: ``(display, pattern_words)`` pairs; pattern words are lower case, slots written
    ``<name>``. A pattern is suggested when at most about half of its words differ and at least half of its
    own words appear in the phrase.
    """
    lowered = [w.lower() for w in words]
    best: tuple[tuple[int, int, int], str] | None = None
    for order, (display, pwords) in enumerate(patterns):
        allowed = max(1, (max(len(pwords), len(lowered)) + 1) // 2)
        if abs(len(pwords) - len(lowered)) > allowed:
            continue  # the distance is at least the difference in length: never close enough
        literal = [w for w in pwords if not w.startswith("<")]
        shared = sum(1 for w in literal if any(_word_equal(x, w) for x in lowered))
        if shared < max(1, (len(literal) + 1) // 2):
            continue
        d = phrase_distance(lowered, pwords)
        key = (d, abs(len(pwords) - len(lowered)), order)
        if d <= allowed and (best is None or key < best[0]):
            best = (key, display)
    return best[1] if best else None
