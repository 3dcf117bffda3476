"""Properties of phrase patterns: the ambiguity check agrees with matching concrete phrases."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from werkstroom.catalogue.patterns import CompiledPattern, Slot, compile_pattern, patterns_overlap

WORDS = ["release", "document", "the", "send", "approval"]


@st.composite
def pattern_texts(draw: st.DrawFn) -> str:
    n = draw(st.integers(1, 4))
    parts: list[str] = []
    for i in range(n):
        kind = draw(st.sampled_from(["word", "word", "slot", "optional"]))
        if kind == "word" or (kind == "optional" and i == 0):
            parts.append(draw(st.sampled_from(WORDS)))
        elif kind == "slot":
            parts.append(f"{{s{i}}}")
        else:
            parts.append("[" + draw(st.sampled_from(WORDS)) + "]")
    return " ".join(parts)


def _witness(a: CompiledPattern, b: CompiledPattern) -> list[str | None] | None:
    """A concrete phrase both match, built independently of patterns_overlap."""
    for sa in a.sequences:
        for sb in b.sequences:
            if len(sa) != len(sb):
                continue
            phrase: list[str | None] = []
            for x, y in zip(sa, sb, strict=True):
                if isinstance(x, Slot) and isinstance(y, Slot):
                    phrase.append(None)  # a value: only slots take it
                elif isinstance(x, Slot):
                    phrase.append(str(y))
                else:
                    phrase.append(x)
            if a.match(phrase) is not None and b.match(phrase) is not None:
                return phrase
    return None


@settings(max_examples=120, deadline=None)
@given(pattern_texts(), pattern_texts())
def test_overlap_iff_some_phrase_matches_both(ta: str, tb: str) -> None:
    a, b = compile_pattern(ta), compile_pattern(tb)
    found = patterns_overlap(a, b)
    assert (found is not None) == (patterns_overlap(b, a) is not None)
    assert (found is not None) == (_witness(a, b) is not None)


@settings(max_examples=120, deadline=None)
@given(pattern_texts())
def test_every_sequence_of_a_pattern_matches_it(text: str) -> None:
    cp = compile_pattern(text)
    assert patterns_overlap(cp, cp) is not None
    for seq in cp.sequences:
        phrase = [None if isinstance(t, Slot) else t.upper() for t in seq]
        assert cp.match(phrase) is not None
