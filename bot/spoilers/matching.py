"""Match one message against one show model: which facts it states, and from which episode."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from itertools import chain

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.episodes import EpisodeRef
from bot.spoilers.analysis import Analyser, word_concepts
from bot.spoilers.lexicon import EVENT_WORDS, GUESSES, HEDGES, ROLE_WORDS, STOPWORDS
from bot.spoilers.model import NAME, TERM, ShowModel

HEDGE_FACTOR = 0.5
GUESS_FACTOR = 0.3
TERM_ALONE_FACTOR = 0.6
FUZZY_CACHE_SIZE = 50_000
WINDOW = 1
MAX_ANCHORS = 64
_FUZZY_VOCAB = tuple(sorted({*ROLE_WORDS, *(w for w in EVENT_WORDS if len(w) >= 5)}))
_NOWHERE = EpisodeRef(0, 0)
_FUTURE = re.compile(r"\b(?:gonna|going to|will|ll)\b|'ll\b")


@dataclass(frozen=True, slots=True)
class Fact:
    """Message concepts some corpus sentence states together, dated to the first such sentence."""

    concepts: frozenset[int]
    unit: int
    episode: EpisodeRef
    score: float


class Reader:
    """Maps message words onto one show's concepts, tolerating typos (rapidfuzz)."""

    __slots__ = ("_fuzzy", "analyser", "known_words", "model")

    def __init__(self, model: ShowModel, known_words: frozenset[str]) -> None:
        self.model = model
        self.known_words = known_words
        self.analyser = Analyser(self._labels)
        self._fuzzy: dict[str, str | None] = {}

    def concepts(self, folded: str) -> dict[int, str]:
        """Concept ids in the message, with the label each came from."""
        labels, _names = self.analyser.labels(folded, _NOWHERE, [])
        ids = self.model.ids
        return {ids[label]: label for label in labels if label in ids}

    def _labels(self, word: str) -> list[str]:
        model = self.model
        if word in model.title_words:
            return []
        labels = word_concepts(word, model.names)
        if any(label in model.ids for label in labels) or word in STOPWORDS:
            return labels
        split = self._split(word)
        if split or word in self.known_words or word.isdigit():
            return split or labels
        guess = self._guess(word)
        return word_concepts(guess, model.names) if guess else labels

    def _split(self, word: str) -> list[str]:
        for cut in range(3, len(word) - 2):
            left = word_concepts(word[:cut], self.model.names)
            right = word_concepts(word[cut:], self.model.names)
            both = left + right
            if len(both) == 2 and all(label in self.model.ids for label in both):
                return both
        return []

    def _guess(self, word: str) -> str | None:
        if word not in self._fuzzy:
            if len(self._fuzzy) >= FUZZY_CACHE_SIZE:
                self._fuzzy.clear()
            self._fuzzy[word] = fuzzy_word(self.model, word)
        return self._fuzzy[word]


def fuzzy_word(model: ShowModel, word: str) -> str | None:
    """The show name, role or event word `word` is a typo of ('pearlmen' → 'pearlman')."""
    if len(word) <= 3:
        prefixed = [n for n in model.names if n.startswith(word) and len(n) == len(word) + 1]
        return prefixed[0] if len(prefixed) == 1 and len(word) == 3 else None
    limit = 1 if len(word) <= 6 else 2
    best = None
    for choices in (model.names, _FUZZY_VOCAB):
        match = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=limit)
        if match and (match[1] < 2 or match[0][0] == word[0]):
            if best is None or match[1] < best[1]:
                best = match
    return best[0] if best else None


def hedged(folded: str) -> float:
    """How much speculation softens the message: 1.0 (a claim) down to `GUESS_FACTOR`.

    A guess ('i bet', 'theory:', 'calling it now') or a question about the future ('is he
    gonna get arrested?') is not knowledge; a hedge ('i think', 'maybe') weakens a claim.
    """
    if any(cue in folded for cue in GUESSES):
        return GUESS_FACTOR
    if "?" in folded and _FUTURE.search(folded):
        return GUESS_FACTOR
    return HEDGE_FACTOR if any(cue in folded for cue in HEDGES) else 1.0


def facts(model: ShowModel, concepts: dict[int, str], hedge: float) -> list[Fact]:
    """Every statement the message shares with the corpus, each dated to its first sentence."""
    postings = [model.postings[c] for c in concepts]
    shared = Counter(chain.from_iterable(postings)) if len(postings) > 1 else Counter()
    groups: dict[frozenset[int], float] = {}
    if shared:
        members = {c: set(model.postings[c]) for c in concepts}
        for unit, count in shared.items():
            if count < 2:
                continue
            group = frozenset(c for c in concepts if unit in members[c])
            score = _score(model, group) * model.factor(unit)
            if score > groups.get(group, 0.0):
                groups[group] = score
    for concept in concepts:
        alone = _score(model, frozenset((concept,)))
        if alone > 0:
            groups[frozenset((concept,))] = alone
    return [_dated(model, group, score * hedge) for group, score in groups.items()]


def _dated(model: ShowModel, group: frozenset[int], score: float) -> Fact:
    lists = sorted((model.postings[c] for c in group), key=len)
    common = lists[0] if len(lists) == 1 else set(lists[0]).intersection(*lists[1:])
    # corpus units are numbered in watching order; taught ones are appended later
    unit = min(common, key=lambda u: (model.unit_episode[u], u)) if model.taught else min(common)
    return Fact(group, unit, model.unit_episode[unit], score)


def _score(model: ShowModel, group: frozenset[int]) -> float:
    if len(group) == 1:
        (concept,) = group
        kind = model.labels[concept][0]
        if kind == NAME:
            return model.weights[concept]
        if kind == TERM:
            return model.weights[concept] * TERM_ALONE_FACTOR
        return 0.0
    return sum(model.weights[c] for c in group)


def lone_name(model: ShowModel, fact: Fact) -> bool:
    """Whether the fact is just a name (its first appearance is what it reveals)."""
    if len(fact.concepts) != 1:
        return False
    (concept,) = fact.concepts
    return model.labels[concept][0] == NAME


def increment(model: ShowModel, fact: Fact, end: int) -> float:
    """How much a later fact adds to what one passage at or before the line already told.

    `end` is the first corpus unit after the line. A passage is `WINDOW` neighbouring sentences
    of one episode's review: a fact whose concepts a watched passage already states together is
    a re-telling, even when no single watched sentence held them all.
    """
    weights = model.weights
    concepts = list(fact.concepts)
    total = sum(weights[c] for c in concepts)
    if not total or not end:
        return fact.score
    lists = [model.postings[c] for c in concepts]
    cuts = [bisect_left(units, end) for units in lists]
    best = 0.0
    episodes = model.unit_episode
    for anchor, units in enumerate(lists):
        for unit in units[: min(cuts[anchor], MAX_ANCHORS)]:
            episode = episodes[unit]
            cover = 0.0
            for other, others in enumerate(lists):
                at = bisect_left(others, unit - WINDOW, 0, cuts[other])
                while at < cuts[other] and others[at] <= unit + WINDOW:
                    if episodes[others[at]] == episode:
                        cover += weights[concepts[other]]
                        break
                    at += 1
            best = max(best, cover)
    return fact.score * (1.0 - best / total)
