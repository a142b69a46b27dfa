"""The engine's word lists are general English: none is one show's vocabulary."""

from __future__ import annotations

import pytest
from lemminflect import getAllLemmas

from bench.eval_sets import load_sets
from bot.guard.engine import analysis, lexicon
from bot.guard.engine.text import fold, raw_words
from bot.guard.engine.word_rarity import zipf

# A word that only one show's recaps use is that show's vocabulary unless English uses it
# often enough on its own (wordfreq Zipf 3: once in a million words; 'kill', 'wife' and
# 'confess' are far above it, 'saboteur', 'graveside' or 'airlocked' below it).
EVERYDAY_ZIPF = 3.0

LISTS: dict[str, frozenset[str]] = {
    "STOPWORDS": lexicon.STOPWORDS,
    "EVENT_WORDS": frozenset(lexicon.EVENT_WORDS),
    "ROLE_WORDS": frozenset(lexicon.ROLE_WORDS),
    "FIRST_PERSON": lexicon.FIRST_PERSON,
    "CHATTER_CUES": lexicon.CHATTER_CUES,
    "UNREALISED": lexicon.UNREALISED,
    "CUES": frozenset(w for cue in lexicon.GUESSES + lexicon.HEDGES for w in cue.split()),
    "CLIPPED": frozenset(lexicon.CLIPPED),
    "KILLS": analysis._KILLS,
    "DESCRIPTIONS": analysis._DESCRIPTIONS,
}


Vocabulary = tuple[list[set[str]], list[set[str]]]


@pytest.fixture(scope="module")
def vocabularies() -> Vocabulary:
    """Each show's recap words, and each show's recap and chat words together."""
    corpora, cases = load_sets()
    chat: dict[str, set[str]] = {}
    for case in cases:
        chat.setdefault(case.show, set()).update(raw_words(fold(case.text)))
    recaps = [{w for s in c.sentences for w in raw_words(fold(s.text))} for c in corpora]
    spoken = [words | chat.get(c.title, set()) for words, c in zip(recaps, corpora, strict=True)]
    return recaps, spoken


def _english(word: str) -> float:
    """How common the word, or the word its inflection belongs to, is in English."""
    lemmas = {lemma for found in getAllLemmas(word).values() for lemma in found}
    return max([zipf(word), *map(zipf, lemmas)])


@pytest.mark.parametrize("name", sorted(LISTS))
def test_no_listed_word_is_one_shows_vocabulary(name: str, vocabularies: Vocabulary) -> None:
    """A listed word one show's recaps use must be used elsewhere too, or be common English.

    'Elsewhere' counts other shows' recaps and their members' chat: chat words such as
    'lowkey' are nobody's plot, however rare in wordfreq's sources.
    """
    recaps, spoken = vocabularies
    assert len(recaps) >= 9  # the sample shows and at least one evaluation show
    own = sorted(
        word
        for word in LISTS[name]
        if sum(word in words for words in recaps) == 1
        and sum(word in words for words in spoken) == 1
        and _english(word) < EVERYDAY_ZIPF
    )
    assert own == [], f"{name} holds words only one show's corpus uses: {own}"
