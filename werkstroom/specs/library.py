"""The step library's reading aids: the "did you mean" for a step no step definition matches, and a
step's regular expression as a sentence. Steps are declared with ``werkstroom.steps`` (plain data,
re-exported here); the pytest plugin turns the declarations into pytest-bdd steps.
"""

from __future__ import annotations

import re

from ..steps import REF, STEPS, StepDoc, given, then, when


def _phrase_words(text: str, slots: bool) -> list[str]:
    """A step text as words for the "did you mean": quoted texts are one word; in a step's example
    (``slots``) quoted texts, numbers and user names (upper case) are slots that match any word."""
    words = re.findall(r'"[^"]*"|[^\s"]+', text)
    if not slots:
        return [w.lower() for w in words]
    return ["<x>" if w.startswith('"') or re.fullmatch(r"[0-9.,:-]+|[A-Z][A-Z0-9]+", w) else w.lower()
            for w in words]


def missing_step_text(kind: str, text: str) -> str:
    """What to tell a consultant whose step matches no step definition (WF701): a step of another
    keyword that reads exactly like it, or the closest step of the same keyword."""
    from ..spelling import suggest_phrase

    kind = kind.capitalize()
    head = f"no step of the step library reads `{kind} {text}` [WF701]"
    other = [s for s in STEPS if s.kind != kind and re.fullmatch(s.pattern, text)]
    if other:
        return (f"{head}\nThis is a {other[0].kind} step: write `{other[0].kind} {text}` (or And after a "
                f"{other[0].kind} step).\nEvery step is listed, with an example, in Werkstroom's "
                "docs/specs.md.")
    words = _phrase_words(text, slots=False)
    same = [s for s in STEPS if s.kind == kind]
    pool = same or STEPS
    pairs = [(str(i), _phrase_words(s.example.splitlines()[0].split(" ", 1)[1], slots=True))
             for i, s in enumerate(pool)]
    best = suggest_phrase(words, pairs)
    if best is None:
        return (f"{head}\nCheck the spelling against the {kind} steps listed, with examples, in "
                "Werkstroom's docs/specs.md.")
    s = pool[int(best)]
    return (f"{head}\nDid you mean the step `{s.kind} {readable(s.pattern)}`?\n"
            f"  for example: {s.example.splitlines()[0]}\n"
            "Every step is listed, with an example, in Werkstroom's docs/specs.md.")


def readable(pattern: str) -> str:
    """A step's regular expression as a sentence: ``<user> approves ... [for the <record> "<key>"]``."""
    p = pattern.replace(REF, 'the <record> "<key>"')
    prev = None
    while prev != p:
        prev = p
        p = re.sub(r"\(\?P<(\w+)>[^()]*\)", r"<\1>", p)
        p = re.sub(r"\(\?:([^()]*)\)\?", r"[\1]", p)
        p = re.sub(r"\(\?:([^()]*)\)", r"\1", p)
    p = re.sub(r"<(\w+)>\?", r"[<\1>]", p)
    p = re.sub(r"\ban\? ", "a ", p)
    p = re.sub(r"(\w)\?", r"\1", p)  # "requests?" -> "requests"
    return p.replace("\\", "")


__all__ = ["REF", "STEPS", "StepDoc", "given", "missing_step_text", "readable", "then", "when"]
