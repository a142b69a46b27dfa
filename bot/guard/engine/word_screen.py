"""One look per word for the whole index: can it stand for a concept of any show at all?

Most chat words ('pizza', 'soundtrack', 'favourite') are no show's name or term, no typo of
one and no two known words run together. A reader finds that out word by word, show by show;
the screen finds it once per word from what every show shares (every show's names and term
stems), so readers skip the per-show typo search and word splitting where they cannot succeed,
and a message made only of such words is dismissed before any show-specific work.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from bot.guard.engine.lexicon import STOPWORDS
from bot.guard.engine.words import Labels, NameTypos, general, vocab_typo

MAX_WORDS = 200_000


@dataclass(frozen=True, slots=True)
class Hint:
    """What a word could become in some show: split into two known words, or a typo fix."""

    split: bool  # some cut into two words might give two of a show's concepts
    typos: tuple[str, ...]  # every show name within the word's typo limit (or 4-letter prefix)
    vocab: bool  # a typo of a role or event word


class WordScreen:
    """Answers for every show at once whether a word can map to a show concept.

    `names` are every show's names and `terms` every show's term stems (the index's
    `name_owners` and `known_words` together hold all of them). A word in `never` maps, in any
    show built with the index, to no concept of that show: its labels are its general ones
    (`words.general`), or none when it is one of the show's title words. Shows given taught
    phrases after the index was assembled may know terms the screen has not seen: readers of
    such shows do not rely on `never` or on `Hint.split`. `names` and `titles` (every show's
    title words) let a reader pass over a word no show has as a name or title word without
    looking in its own show's sets.
    """

    __slots__ = ("_hints", "_names", "_terms", "_typos", "names", "never", "titles")

    def __init__(
        self, names: Collection[str], terms: Collection[str], titles: Collection[str] = ()
    ) -> None:
        self._names = names
        self._terms = terms
        self.names = frozenset(names)
        self.titles = frozenset(titles)
        self._typos = NameTypos(frozenset(names))
        self._hints: dict[str, Hint] = {}
        self.never: set[str] = set(STOPWORDS)

    def hint(self, word: str) -> Hint:
        """What a word could become in some show (computed once, then cached)."""
        hint = self._hints.get(word)
        if hint is None:
            if len(self._hints) >= MAX_WORDS:
                self._hints.clear()
                self.never.clear()
                self.never.update(STOPWORDS)
            hint = self._hints[word] = self._hint(word)
        return hint

    def _hint(self, word: str) -> Hint:
        if word in STOPWORDS:
            self.never.add(word)
            return Hint(False, (), False)
        hint = Hint(self._could_split(word), *self._could_fix(word))
        if self._never(word, hint):
            self.never.add(word)
        return hint

    def _never(self, word: str, hint: Hint) -> bool:
        fixed, otherwise = general(word)
        if fixed is not None or word in self._names or hint.split:
            return False
        if otherwise and self._known(otherwise):
            return False
        if word in self._terms or word.isdigit():
            return True  # a reader stops at a known word: no typo search
        if hint.vocab:
            return False
        close = [name for name in hint.typos if len(word) <= 3 or _passes(word, name)]
        return not close

    def _known(self, labels: Labels) -> bool:
        """Whether every label could be some show's concept (events and roles always could)."""
        for label in labels:
            kind, key = label[0], label[2:]
            if kind == "t" and key not in self._terms and key not in self._names:
                return False
            if kind == "n" and key not in self._names:
                return False
        return True

    def _options(self, part: str) -> list[Labels]:
        """The labels a word part can have in some show (a name in one, a term in another)."""
        fixed, otherwise = general(part)
        if fixed is not None:
            return [fixed]
        return [otherwise, (f"n:{part}",)] if part in self._names else [otherwise]

    def _could_split(self, word: str) -> bool:
        """Whether `Reader._split` could succeed for some show (the cuts it tries)."""
        for cut in range(3, len(word) - 2):
            for left in self._options(word[:cut]):
                if len(left) > 2 or not self._known(left):
                    continue
                for right in self._options(word[cut:]):
                    if len(left) + len(right) == 2 and self._known(right):
                        return True
        return False

    def _could_fix(self, word: str) -> tuple[tuple[str, ...], bool]:
        """The names `words.fuzzy_word` could take the word for, and a vocabulary typo."""
        if len(word) <= 3:
            return (tuple(self._typos.starting(word)) if len(word) == 3 else ()), False
        names = tuple(match[0] for match in self._typos.near(word))
        return names, vocab_typo(word) is not None


def _passes(word: str, name: str) -> bool:
    """`fuzzy_word` keeps a name two edits away only when it starts with the same letter."""
    return name[0] == word[0] or OSA.distance(word, name) < 2
