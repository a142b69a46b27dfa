"""Word-level look-ups, cached: what a folded word means and which known word it is a typo of.

Everything that does not depend on the show (stop words, events, roles, stems, typos of the
general role and event vocabulary) is computed once per word for every show; the per-show part
(names, the show's concept ids) is a few dictionary look-ups on top.
"""

from __future__ import annotations

import functools

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.guard.engine.lexicon import EVENT_WORDS, ROLE_WORDS, STOPWORDS
from bot.guard.engine.text import stem

Labels = tuple[str, ...]
Match = tuple[str, int, int]  # (choice, OSA distance, index)

FIXED_WORDS = frozenset(STOPWORDS | EVENT_WORDS.keys() | ROLE_WORDS.keys())  # same in every show
FUZZY_VOCAB = tuple(sorted({*ROLE_WORDS, *(w for w in EVENT_WORDS if len(w) >= 5)}))
_CACHE_SIZE = 50_000


@functools.lru_cache(maxsize=_CACHE_SIZE)
def general(word: str) -> tuple[Labels | None, Labels]:
    """A word's show-independent labels: (fixed, otherwise).

    `fixed` is the answer whatever the show (a stop word, an event or a role word); when it is
    None the word is a name if the show has that name, else `otherwise` (a term, or nothing
    for a short non-number).
    """
    if word in STOPWORDS:
        return (), ()
    events = EVENT_WORDS.get(word)
    if events:
        return tuple(f"e:{event}" for event in events), ()
    role = ROLE_WORDS.get(word)
    if role:
        return (f"r:{role}",), ()
    if len(word) < 3 and not word.isdigit():
        return None, ()
    return None, (f"t:{stem(word)}",)


def concepts_of(word: str, names: frozenset[str]) -> Labels:
    """Concept labels one folded word stands for (events, a role, a name or a term).

    The same answer as `analysis.word_concepts`, as a tuple, with the general part cached.
    """
    fixed, otherwise = general(word)
    if fixed is not None:
        return fixed
    if word in names:
        return (f"n:{word}",)
    return otherwise


def typo_limit(word: str) -> int:
    """The OSA distance a typo of `word` may have: 1, or 2 for words of 7+ letters."""
    return 1 if len(word) <= 6 else 2


@functools.lru_cache(maxsize=_CACHE_SIZE)
def vocab_typo(word: str) -> Match | None:
    """The closest role or event word `word` is a typo of (same first letter beyond one edit)."""
    limit = typo_limit(word)
    match = process.extractOne(word, FUZZY_VOCAB, scorer=OSA.distance, score_cutoff=limit)
    return match if match and (match[1] < 2 or match[0][0] == word[0]) else None


class NameTypos:
    """One show's names, grouped by length so a typo search only scores plausible names.

    OSA distance is at least the length difference, so names longer or shorter than the word
    by more than the limit can never match; the remaining names keep the show's name order,
    so ties resolve exactly as a search over all names would (the first closest name wins).
    """

    __slots__ = ("_by_length", "_four", "names")

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names
        self._by_length: dict[int, list[str]] = {}
        self._four: dict[str, list[str]] | None = None

    def prefixed(self, word: str) -> str | None:
        """For a 3-letter word: the one 4-letter name it starts (`rawl` is not short enough)."""
        found = self.starting(word)
        return found[0] if len(found) == 1 else None

    def starting(self, word: str) -> list[str]:
        """The 4-letter names a 3-letter word starts."""
        if self._four is None:
            self._four = {}
            for name in self.names:
                if len(name) == 4:
                    self._four.setdefault(name[:3], []).append(name)
        return self._four.get(word, [])

    def near(self, word: str) -> list[Match]:
        """Every name within the typo limit of `word` (what `closest` chooses among)."""
        if not self._by_length and self.names:
            self._group()
        choices = self._by_length.get(len(word))
        if not choices:
            return []
        limit = typo_limit(word)
        return process.extract(word, choices, scorer=OSA.distance, score_cutoff=limit, limit=None)

    def closest(self, word: str) -> Match | None:
        """The first name at the smallest OSA distance within the limit (as extractOne)."""
        if not self._by_length and self.names:
            self._group()
        choices = self._by_length.get(len(word))
        if not choices:
            return None
        return process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=typo_limit(word))

    def _group(self) -> None:
        """For every word length, the names within its typo limit (in the show's name order)."""
        by_length = self._by_length
        for name in self.names:
            for length in _LENGTHS.get(len(name)) or _lengths(len(name)):
                group = by_length.get(length)
                if group is None:
                    by_length[length] = [name]
                else:
                    group.append(name)


def _lengths(size: int) -> tuple[int, ...]:
    """The word lengths whose typo limit reaches a name of `size` letters."""
    return tuple(
        length
        for length in range(max(size - 2, 1), size + 3)
        if abs(size - length) <= (1 if length <= 6 else 2)
    )


_LENGTHS = {size: _lengths(size) for size in range(1, 40)}


def fuzzy_word(names: NameTypos, word: str) -> str | None:
    """The show name, role or event word `word` is a typo of ('pearlmen' → 'pearlman')."""
    if len(word) <= 3:
        return names.prefixed(word) if len(word) == 3 else None
    best = names.closest(word)
    if best and not (best[1] < 2 or best[0][0] == word[0]):
        best = None
    general_match = vocab_typo(word)
    if general_match and (best is None or general_match[1] < best[1]):
        best = general_match
    return best[0] if best else None
