"""The speed-ups must give exactly the answers of the plain computations they replace."""

from __future__ import annotations

import re

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.spoilers.idioms import Idioms, first_words
from bot.spoilers.lexicon import PHRASES
from bot.spoilers.text import apply_phrases, raw_words
from bot.spoilers.words import FUZZY_VOCAB, NameTypos, fuzzy_word, typo_limit

_FULL = re.compile(
    "|".join(rf"\b(?P<p{number}>{pattern})\b" for number, (pattern, _) in enumerate(PHRASES))
)
_TOKENS = {f"p{number}": f" {token} " for number, (_, token) in enumerate(PHRASES)}
TEXTS = (
    "so he doesn't make it out",
    "she did it, obviously",
    "o'did it",
    "dale gets 22 years and walks free",
    "they sold ana out and she's in on it",
    "dropping pearlman's charges",
    "he lost his partner; she falls for the captain",
    "busting rawls out of the brig",
    "lol my cat sat on the remote",
    "isnt gonna survive",
    "won't pull through",
    "twenty-one days, thirty two nights",
    "",
)


def test_idiom_rewrite_matches_the_full_alternation() -> None:
    for text in TEXTS:
        assert apply_phrases(text) == _FULL.sub(lambda m: _TOKENS[m.lastgroup or ""], text)


def test_every_idiom_has_known_first_words() -> None:
    assert all(first_words(pattern) for pattern, _ in PHRASES)
    assert first_words(r"(?:walks?|walked) (?:free|away)") == {"walk", "walks", "walked"}
    assert first_words(r"\w+ out") is None  # unsure: that pattern always runs
    assert Idioms([(r"\w+ out", "evfree")]).apply("break out") == " evfree "


def test_compound_numbers_still_join() -> None:
    assert raw_words("twenty-one days, thirty two nights") == ["21", "days", "32", "nights"]


def _reference(names: frozenset[str], word: str) -> str | None:
    """The typo search before length buckets: every name, then the whole vocabulary."""
    if len(word) <= 3:
        prefixed = [n for n in names if n.startswith(word) and len(n) == len(word) + 1]
        return prefixed[0] if len(prefixed) == 1 and len(word) == 3 else None
    limit = typo_limit(word)
    best = None
    for choices in (names, FUZZY_VOCAB):
        match = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=limit)
        close = match and (match[1] < 2 or match[0][0] == word[0])
        if close and (best is None or match[1] < best[1]):
            best = match
    return best[0] if best else None


def test_length_buckets_find_the_same_typo() -> None:
    names = frozenset("rawls olivas pearlman kestrel wenna brisk nell ione marisol tilly".split())
    typos = NameTypos(names)
    words = "rawl olivass pearlmen captian kestral nel ion marisoll tily coward board brisket"
    for word in [*words.split(), "pizza", "soundtrack", "favourite", "abc", "ab"]:
        assert fuzzy_word(typos, word) == _reference(names, word), word
