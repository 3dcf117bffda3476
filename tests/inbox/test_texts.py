"""The inbox's English and Dutch words: the same keys with the same placeholders in both, and the
language a browser asks for."""

from __future__ import annotations

import string

import pytest

from werkstroom.service.inbox.texts import EN, NL, preferred, translator, word


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_every_text_with_the_same_placeholders() -> None:
    assert set(EN) == set(NL)
    for key in EN:
        assert _placeholders(EN[key]) == _placeholders(NL[key]), key


@pytest.mark.parametrize(("header", "language"), [
    ("nl-NL,nl;q=0.9,en;q=0.8", "nl"), ("en-GB,en;q=0.9", "en"), ("de-DE,nl;q=0.5,en;q=0.4", "nl"),
    ("de-DE", "en"), ("", "en"), (None, "en"), ("nl;q=abc,en;q=0.2", "en"),
])
def test_the_language_a_browser_asks_for(header: str | None, language: str) -> None:
    assert preferred(header) == language


def test_words_in_dutch() -> None:
    t = translator("nl")
    assert t("done.approve", document="Factuur PI-1", no=3) == "Factuur PI-1 (post 3) goedgekeurd."
    assert word("nl", "Invoice") == "Factuur" and word("en", "Invoice") == "Invoice"
    assert word("nl", "Something else") == "Something else"
    assert translator("fr")("sign_in.title") == "Sign in"  # an unknown language reads English
