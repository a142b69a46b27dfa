"""The keyword baseline: AutoMod-style word rules, one per name or term, dated by first use."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.catalog.episodes import EpisodeRef
from bot.guard.engine.lexicon import STOPWORDS
from bot.guard.engine.text import clean_message, fold, raw_words
from bot.guard.engine.types import NOT_A_SPOILER, Evidence, ShowCorpus, Verdict

MIN_TERM_LENGTH = 4


@dataclass(frozen=True, slots=True)
class KeywordBaseline:
    """For each show, every corpus word (≥ 4 letters, not a stop word) and its first episode."""

    first_seen: dict[int, dict[str, EpisodeRef]]

    @classmethod
    def build(cls, corpora: Iterable[ShowCorpus]) -> KeywordBaseline:
        """Collect each show's words with the episode they first appear in."""
        first_seen: dict[int, dict[str, EpisodeRef]] = {}
        for corpus in corpora:
            words: dict[str, EpisodeRef] = {}
            for sentence in sorted(corpus.sentences, key=lambda s: s.episode):
                for word in raw_words(fold(sentence.text)):
                    if len(word) >= MIN_TERM_LENGTH and word not in STOPWORDS:
                        words.setdefault(word, sentence.episode)
            for name in (corpus.title, *corpus.aliases):
                for word in raw_words(fold(name)):
                    words.pop(word, None)
            first_seen[corpus.show_id] = words
        return cls(first_seen)

    def check(self, text: str, show_id: int, line: EpisodeRef) -> Verdict:
        """Flag if any word first used after `line` occurs in the message."""
        words = self.first_seen.get(show_id, {})
        hits = [
            (words[word], word)
            for word in set(raw_words(fold(clean_message(text))))
            if word in words and words[word] > line
        ]
        if not hits:
            return NOT_A_SPOILER
        episode, word = min(hits)
        return Verdict(True, episode, 1.0, (Evidence(episode, word, "term", 1.0),))
