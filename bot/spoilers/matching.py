"""Match one message against one show model: which facts it states, and from which episode."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from itertools import chain

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.episodes import EpisodeRef
from bot.spoilers.analysis import Analyser, word_concepts
from bot.spoilers.lexicon import EVENT_WORDS, GUESSES, HEDGES, ROLE_WORDS, STOPWORDS
from bot.spoilers.model import NAME, TAUGHT, TERM, ShowModel

HEDGE_FACTOR = 0.5
GUESS_FACTOR = 0.3
TERM_ALONE_FACTOR = 0.6
FUZZY_CACHE_SIZE = 50_000
SELECTIVE = 256
WINDOW = 1
MAX_ANCHORS = 96
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
        close = match and (match[1] < 2 or match[0][0] == word[0])
        if close and (best is None or match[1] < best[1]):
            best = match
    return best[0] if best else None


def known_relations(model: ShowModel, concepts: dict[int, str], line: EpisodeRef) -> None:
    """Drop relation concepts whose relation the reader already knows, in place.

    'olivas and rawls as partners' binds the role to both names; once the corpus has told
    either side of it ('her partner Rawls') by the line, the other side is no news.
    """
    relations = [c for c, label in concepts.items() if label.startswith("b:r")]
    if not relations:
        return
    known = {concepts[c].split("|", 1)[0] for c in relations if model.first_episode(c) <= line}
    for concept in relations:
        if concepts[concept].split("|", 1)[0] in known:
            del concepts[concept]


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


def facts(
    model: ShowModel, concepts: dict[int, str], hedge: float, end: int, floor: float
) -> list[Fact]:
    """The statements the message shares with sentences after the line, each dated.

    `end` is the first corpus unit after the line; a group of concepts some sentence after it
    states is dated to the first sentence stating them all, and kept only if that is after the
    line too (else it is known). Groups scoring under `floor` are dropped unless they are one
    name or term. Candidate sentences come from the message's selective concepts (posting lists
    of at most `SELECTIVE` units); very common concepts only join them.
    """
    postings = model.postings
    groups: dict[frozenset[int], float] = {}
    if len(concepts) > 1:
        ordered = sorted(concepts, key=lambda c: len(postings[c]))
        cap = max(SELECTIVE, len(postings[ordered[0]]))
        seeds = [c for c in ordered if len(postings[c]) <= cap]
        common = ordered[len(seeds) :]
        members = {c: set(postings[c]) for c in seeds}
        later = (postings[c][bisect_left(postings[c], end) :] for c in seeds)
        shared = Counter(chain.from_iterable(later))
        for unit, count in shared.items():
            if count < 2 and not common:
                continue
            group = [c for c in seeds if unit in members[c]] if count > 1 else []
            if count == 1:
                group = [c for c in seeds if unit in members[c]]
            group.extend(c for c in common if _holds(postings[c], unit))
            if len(group) < 2:
                continue
            key = frozenset(group)
            score = _score(model, key) * model.factor(unit) * hedge
            if score >= floor and score > groups.get(key, 0.0):
                groups[key] = score
    found = [_dated(model, group, score) for group, score in groups.items()]
    for concept in concepts:
        alone = _score(model, frozenset((concept,)))
        if alone > 0 and postings[concept] and postings[concept][0] >= end:
            found.append(_dated(model, frozenset((concept,)), alone * hedge))
    return [fact for fact in found if fact.unit >= end or model.unit_kind[fact.unit] == TAUGHT]


def _holds(units: array, unit: int) -> bool:
    at = bisect_left(units, unit)
    return at < len(units) and units[at] == unit


def _dated(model: ShowModel, group: frozenset[int], score: float) -> Fact:
    lists = sorted((model.postings[c] for c in group), key=len)
    if model.taught:  # taught units are appended after the corpus, out of watching order
        common = set(lists[0]).intersection(*lists[1:])
        unit = min(common, key=lambda u: (model.unit_episode[u], u))
    else:  # corpus units are numbered in watching order: the first shared one is earliest
        unit = next(u for u in lists[0] if all(_holds(other, u) for other in lists[1:]))
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
    episodes = model.unit_episode  # one shared EpisodeRef object per episode (see model)
    budget = MAX_ANCHORS
    for anchor in sorted(range(len(lists)), key=lambda at: cuts[at]):
        for unit in lists[anchor][: min(cuts[anchor], budget)]:
            budget -= 1
            episode = episodes[unit]
            cover = 0.0
            for other, others in enumerate(lists):
                cut = cuts[other]
                at = bisect_left(others, unit - WINDOW, 0, cut)
                while at < cut and others[at] <= unit + WINDOW:
                    if episodes[others[at]] is episode:
                        cover += weights[concepts[other]]
                        break
                    at += 1
            if cover > best:
                best = cover
        if budget <= 0:
            break
    return fact.score * (1.0 - best / total)
