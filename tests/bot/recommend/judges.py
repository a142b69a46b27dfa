"""Spoiler judges for tests: the real engine when it imports, else a double from corpus names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.catalog.episodes import NOTHING, EpisodeRef
from bot.guard.engine.types import NOT_A_SPOILER, ShowCorpus, Verdict
from bot.recommend.blurbs import SpoilerJudge

_NAME = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]{2,}\b")  # capitalised, not starting a sentence
_WORD = re.compile(r"[a-z]+")
_COMMON = frozenset(
    "the this that then there they when what where which while with after before but and "
    "she her his him its it's one two three four five six seven eight nine ten episode review "
    "verdict rating season finale pilot".split()
)


@dataclass(frozen=True, slots=True)
class NameJudge:
    """Dates every capitalised word of the corpus by the first episode that mentions it."""

    dated: dict[int, dict[str, EpisodeRef]]

    @classmethod
    def build(cls, corpora: Iterable[ShowCorpus]) -> NameJudge:
        """Learn each show's names from its sentences (the premise counts as S00E00)."""
        dated: dict[int, dict[str, EpisodeRef]] = {}
        for corpus in corpora:
            names = dated.setdefault(corpus.show_id, {})
            for name in _WORD.findall(f"{corpus.title} {' '.join(corpus.aliases)}".casefold()):
                names[name] = NOTHING
            for sentence in corpus.sentences:
                if sentence.episode == NOTHING:  # the premise: everything in it is known
                    names.update(dict.fromkeys(_WORD.findall(sentence.text.casefold()), NOTHING))
            for sentence in sorted(corpus.sentences, key=lambda s: s.episode):
                for name in _NAME.findall(sentence.text):
                    key = name.casefold()
                    if key not in _COMMON:
                        names.setdefault(key, sentence.episode)
        return cls(dated)

    def check(self, text: str, show_id: int, line: EpisodeRef) -> Verdict:
        """A spoiler when the text names something first mentioned after `line`."""
        names = self.dated.get(show_id, {})
        later = [names[w] for w in _WORD.findall(text.casefold()) if names.get(w, NOTHING) > line]
        return Verdict(True, min(later), 2.0) if later else NOT_A_SPOILER

    def first_episode_of(self, show_id: int, text: str) -> EpisodeRef | None:
        """The earliest episode after S00E00 the text names something from."""
        verdict = self.check(text, show_id, NOTHING)
        return verdict.episode if verdict.spoiler else None


def real_engine(corpora: Iterable[ShowCorpus]) -> SpoilerJudge:
    """The teammate's spoiler engine, built over the corpora."""
    from bot.guard.engine.index import SpoilerIndex

    return SpoilerIndex.build(list(corpora))


def best_judge(corpora: Iterable[ShowCorpus]) -> SpoilerJudge:
    """The real engine if it imports and builds, else the name-dating double."""
    corpora = list(corpora)
    try:
        return real_engine(corpora)
    except ImportError:
        return NameJudge.build(corpora)
