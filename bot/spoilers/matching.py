"""Match one message against one show model: which facts it states, and from which episode."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.episodes import EpisodeRef
from bot.spoilers.lexicon import EVENT_WORDS, HEDGES, ROLE_WORDS, STOPWORDS
from bot.spoilers.model import BOUND, EVENT, NAME, TERM, ShowModel, analyse, word_concepts
from bot.spoilers.text import apply_phrases

HEDGE_FACTOR = 0.6
NAME_ALONE = 1.0
TERM_ALONE_FACTOR = 0.6
_FUZZY_VOCAB = tuple(sorted({*ROLE_WORDS, *(w for w in EVENT_WORDS if len(w) >= 5)}))


@dataclass(frozen=True, slots=True)
class Fact:
    """A set of message concepts some corpus sentence states, dated to its first statement."""

    concepts: frozenset[int]
    unit: int
    score: float


@dataclass(slots=True)
class Reading:
    """A message's words mapped to a show's concepts."""

    concepts: dict[int, str]
    hedged: bool


def read_message(model: ShowModel, folded: str, known_words: frozenset[str]) -> Reading:
    """Map a cleaned, folded message onto the show's concepts (typos via rapidfuzz)."""
    surface: dict[str, str] = {}

    def resolve(word: str) -> list[str]:
        labels = [label for label in _labels(model, word, known_words) if label in model.ids]
        for label in labels:
            surface.setdefault(label, word)
        return labels

    labels, _names = analyse(apply_phrases(folded), resolve, lambda _name: [], [])
    found = {model.ids[label]: surface.get(label, label) for label in labels if label in model.ids}
    hedged = any(cue in folded for cue in HEDGES)
    return Reading(found, hedged)


def _labels(model: ShowModel, word: str, known_words: frozenset[str]) -> list[str]:
    labels = word_concepts(word, model.names)
    if labels and any(label in model.ids for label in labels):
        return labels
    parts = model.compounds.get(word)
    if parts:
        return [label for part in parts for label in word_concepts(part, model.names)]
    if word in STOPWORDS or word in known_words or word.isdigit():
        return labels
    guess = _fuzzy(model, word)
    return word_concepts(guess, model.names) if guess else labels


def _fuzzy(model: ShowModel, word: str) -> str | None:
    if len(word) <= 3:
        prefixed = [name for name in model.names if name.startswith(word) and len(name) <= 5]
        return prefixed[0] if len(prefixed) == 1 and len(word) == 3 else None
    limit = 1 if len(word) <= 5 else 2
    best = None
    for choices in (model.names, _FUZZY_VOCAB):
        match = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=limit)
        if match and (best is None or match[1] < best[1]):
            best = match
    return best[0] if best else None


def facts(model: ShowModel, reading: Reading) -> list[Fact]:
    """Every corpus statement the message overlaps, each dated to its earliest sentence."""
    overlaps: dict[int, list[int]] = {}
    for concept in reading.concepts:
        for unit in model.postings[concept]:
            overlaps.setdefault(unit, []).append(concept)
    hedge = HEDGE_FACTOR if reading.hedged else 1.0
    best: dict[frozenset[int], Fact] = {}
    for unit, concepts in overlaps.items():
        group = frozenset(concepts)
        score = _score(model, group) * model.units[unit].factor * hedge
        if score <= 0:
            continue
        known = best.get(group)
        if known is None:
            first = model.earliest(group)
            best[group] = Fact(group, first if first is not None else unit, score)
        elif score > known.score:
            best[group] = Fact(group, known.unit, score)
    return list(best.values())


def _score(model: ShowModel, group: frozenset[int]) -> float:
    if len(group) == 1:
        (concept,) = group
        kind = model.labels[concept][0]
        if kind == NAME:
            return NAME_ALONE
        if kind == TERM:
            return model.weights[concept] * TERM_ALONE_FACTOR
        return 0.0
    return sum(model.weights[c] for c in group)


def fact_kind(model: ShowModel, fact: Fact) -> str:
    """The evidence source for a fact: event, term (a lone name or word) or phrase."""
    if len(fact.concepts) == 1:
        return "term"
    if any(model.labels[c][0] in (EVENT, BOUND) for c in fact.concepts):
        return "event"
    return "phrase"


def episode_of(model: ShowModel, fact: Fact) -> EpisodeRef:
    """The episode a fact was first stated in."""
    return model.units[fact.unit].episode
