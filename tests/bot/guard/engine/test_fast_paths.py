"""The speed-ups must give exactly the answers of the plain computations they replace."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.guard.engine.idiom_starts import first_words, leading_words
from bot.guard.engine.idioms import Idioms
from bot.guard.engine.lexicon import PHRASES
from bot.guard.engine.text import _IDIOMS, apply_phrases, raw_words
from bot.guard.engine.words import FUZZY_VOCAB, NameTypos, fuzzy_word, typo_limit

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


def test_the_start_reader_follows_the_syntax_idioms_use() -> None:
    assert _IDIOMS.always == ()  # every idiom is guarded by its first words
    assert first_words(r"(?P<x>ab|cd) e") == {"ab", "cd"}
    assert first_words(r"(?<=x)(?:a|b)c{1,2}\b d") == {"ac", "acc", "bc", "bcc"}
    assert first_words(r"(?!no)(a|b) c") == {"a", "b"}
    assert first_words(r"ab\. c|^x$") == {"ab", "x"}
    assert leading_words(r"ab{0,2}? c", 2) == {("a", "c"), ("ab", "c"), ("abb", "c")}
    for unsure in (r"(?i)ab", r"x.y", r"[ab] c", r"a\s", r"ab|", r"a(b", r"a{,}b", r"a**"):
        assert first_words(unsure) is None, unsure


def test_leading_words_read_two_words_or_fewer() -> None:
    assert leading_words(r"(?:walks?|walked) (?:free|away)", 2) == {
        (first, second) for first in ("walk", "walks", "walked") for second in ("free", "away")
    }
    assert leading_words(r"is ?n'?t\b", 2) == {("is", "nt"), ("is", "n"), ("isnt",), ("isn", "t")}
    assert leading_words(r"drops?(?= [a-z']+ charges)", 2) == {("drop",), ("drops",)}
    assert leading_words(r"gets? (?:\d+|life)", 2) is None  # a character class: unsure
    assert Idioms([(r"is behind (?:it|everything)", "evculprit")]).seconds == {"is": {"behind"}}


_IDIOM_WORDS = sorted(
    {word for pattern, _ in PHRASES for word in re.findall(r"[a-z]+", pattern)}
    | {"rawls", "the", "my", "22", "favourite"}
)


_WORD_SALAD = st.builds(
    lambda words, between: between.join(words),
    st.lists(st.sampled_from(_IDIOM_WORDS), max_size=8),
    st.sampled_from([" ", ", ", "'", " '", "  "]),
)
_NEAR_IDIOMS = st.one_of([st.from_regex(pattern) for pattern, _ in PHRASES])  # a match inside


@settings(max_examples=1500)
@given(st.one_of(_WORD_SALAD, _NEAR_IDIOMS))
def test_the_second_word_guard_never_hides_an_idiom(text: str) -> None:
    runs = re.findall(r"\w+", text)
    assert _IDIOMS.rewrites(text, runs) == (_FULL.search(text) is not None), text


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
