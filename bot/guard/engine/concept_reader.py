"""Read a message for one show: which of the show's concepts its words stand for."""

from __future__ import annotations

from operator import itemgetter

from bot.catalog.episodes import EpisodeRef
from bot.guard.engine.analysis import (
    PRONOUNS,
    Analyser,
    bind_clause,
    clause_words,
    close_abbreviations,
    has_clauses,
    relate,
)
from bot.guard.engine.lexicon import STOPWORDS
from bot.guard.engine.model import ShowModel
from bot.guard.engine.text import simple_words
from bot.guard.engine.word_screen import WordScreen
from bot.guard.engine.words import FIXED_WORDS, Labels, NameTypos, concepts_of, fuzzy_word, general

FUZZY_CACHE_SIZE = 50_000
_NO_WORDS: frozenset[str] = frozenset()
_second = itemgetter(1)


class Reader:
    """Maps message words onto one show's concepts, tolerating typos (rapidfuzz).

    Holds the show's per-word caches (typo guesses, resolved labels), so repeated look-ups
    cost a dictionary access. With a `WordScreen` shared by all shows, words that can be no
    show's concept are passed over without a per-show look-up, a message made only of such
    words is dismissed at once, and the typo search and word splitting run only where the
    screen says they can succeed. This is the check's hot path: plain loops, not
    comprehensions (each a function call on Python 3.11).
    """

    __slots__ = (
        "_any_name",
        "_any_title",
        "_cache",
        "_fuzzy",
        "_never",
        "_screen",
        "_typos",
        "analyser",
        "known_words",
        "model",
        "untaught",
    )

    def __init__(
        self, model: ShowModel, known_words: frozenset[str], screen: WordScreen | None = None
    ) -> None:
        self.model = model
        self.known_words = known_words
        self.analyser = Analyser(self._word)
        self._cache: dict[str, Labels] = {}
        self._fuzzy: dict[str, str | None] = {}
        self._typos = NameTypos(model.names)
        self._screen = screen
        # taught phrases added after assembly can hold terms the screen has not seen
        self._never = screen.never if screen and not model.taught else _NO_WORDS
        # taught phrases go to a copy of the model (`SpoilerIndex.with_taught`), read by a new
        # reader: whether this one's show has any is known once, without reading the model
        self.untaught = not model.taught
        # a word no show has as a name (or title word) needs no look-up in this show's sets
        self._any_name = screen.names if screen and model.names <= screen.names else model.names
        titles = screen.titles if screen else model.title_words
        self._any_title = titles if model.title_words <= titles else model.title_words

    def end(self, line: EpisodeRef) -> int:
        """`model.units_through(line)`: the number of corpus units at or before `line`."""
        return self.model.units_through(line)

    def concepts(self, folded: str) -> dict[int, str]:
        """Concept ids in the message, with the label each came from.

        A message none of whose words has a label among the show's concepts has none at all:
        every bound label the show knows has its event (or role) and its name known too.
        """
        closed = close_abbreviations(folded) if "." in folded else folded
        simple = simple_words(closed)
        if simple is None:
            labels, _ = self._read(clause_words(closed, None))
        elif self._never.issuperset(simple):
            return {}  # no word any show knows, and no idiom
        else:  # clauses matter only to bind events and roles: read it whole first
            labels, binds = self._read([simple])
            if binds and has_clauses(closed):
                labels, _ = self._read(clause_words(closed, simple))
        ids = self.model.ids
        concepts = {}
        for label in labels:
            concept = ids.get(label)
            if concept is not None:
                concepts[concept] = label
        return concepts

    def _read(self, clauses: list[list[str]]) -> tuple[set[str], bool]:
        """`Analyser.labels` of a message's clauses, and whether an event or role word occurs.

        As `Analyser.labels` with no role history and no sentence before: each event is bound
        to the people near it in its clause, or to those of the last clause naming anyone; the
        labels are added in the same order, so the set (and its order) is the same. Without an
        event or role word nothing is bound, so how the message splits into clauses is moot.
        """
        labels: set[str] = set()
        previous: list[str] = []
        binds = False
        cache, never, title = self._cache, self._never, self.model.title_words
        titles = self._any_title
        for words in clauses:
            entities: list[tuple[int, str]] = []
            events: list[tuple[int, str]] = []
            pronouns: list[int] = []
            roles = False
            for position, word in enumerate(words):
                if word in never:  # no show's concept: a stop word or a term of no show
                    if word in STOPWORDS:
                        if word in PRONOUNS:  # every pronoun is a stop word
                            pronouns.append(position)
                    elif word not in titles or word not in title:
                        for label in general(word)[1]:  # a term label, or none
                            labels.add(label)
                    continue
                found = cache.get(word)
                if found is None:
                    if len(cache) >= FUZZY_CACHE_SIZE:
                        cache.clear()
                    found = cache[word] = self._labels(word)
                if not found:
                    if word in PRONOUNS:
                        pronouns.append(position)
                    continue
                for label in found:
                    labels.add(label)
                    kind = label[0]
                    if kind == "t":
                        continue  # a term binds nothing
                    if kind == "e":
                        events.append((position, label))
                    elif kind == "n":
                        entities.append((position, label))
                    elif kind == "r":
                        binds = roles = True
                        entities.append((position, label))
            if events:
                binds = True
                labels.update(bind_clause(words, entities, events, pronouns, previous))
            if entities:
                if roles:  # a relation needs a role word
                    labels.update(relate(entities, pronouns, previous))
                previous = list(map(_second, entities))
        return labels, binds

    def _word(self, word: str) -> Labels:
        """The labels of one folded word in this show (cached; words no show knows are not)."""
        labels = self._cache.get(word)
        if labels is None:
            if word in self._never:  # no label of any show: its general labels
                if word in self.model.title_words:
                    return ()
                fixed, otherwise = general(word)
                return otherwise if fixed is None else fixed
            if len(self._cache) >= FUZZY_CACHE_SIZE:
                self._cache.clear()
            labels = self._cache[word] = self._labels(word)
        return labels

    def _labels(self, word: str) -> Labels:
        model = self.model
        if word in self._any_title and word in model.title_words:
            return ()
        if word not in FIXED_WORDS and word in self._any_name and word in model.names:
            labels: Labels = (f"n:{word}",)  # what `concepts_of` gives, sooner
        else:
            fixed, otherwise = general(word)
            if fixed is not None and word in STOPWORDS:
                return fixed
            labels = otherwise if fixed is None else fixed  # not a name of this show
        ids = model.ids
        for label in labels:
            if label in ids:
                return labels
        screen = self._screen
        hint = screen.hint(word) if screen else None
        split = self._split(word) if hint is None or hint.split or model.taught else ()
        if split or word in self.known_words or word.isdigit():
            return split or labels
        if hint and not hint.vocab and not any(name in model.names for name in hint.typos):
            return labels  # no name of the show is close enough, nor a role or event word
        guess = self._guess(word)
        return concepts_of(guess, model.names) if guess else labels

    def _split(self, word: str) -> Labels:
        names, ids = self.model.names, self.model.ids
        for cut in range(3, len(word) - 2):
            left = concepts_of(word[:cut], names)
            if len(left) > 2 or not all(label in ids for label in left):
                continue
            right = concepts_of(word[cut:], names)
            if len(left) + len(right) == 2 and all(label in ids for label in right):
                return left + right
        return ()

    def _guess(self, word: str) -> str | None:
        if word not in self._fuzzy:
            if len(self._fuzzy) >= FUZZY_CACHE_SIZE:
                self._fuzzy.clear()
            self._fuzzy[word] = fuzzy_word(self._typos, word)
        return self._fuzzy[word]
