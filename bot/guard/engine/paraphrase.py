"""Weak lexical facts confirmed by sentence similarity: the optional paraphrase layer.

The lexical engine leaves a message alone when its facts are too weak ("so glad the hooded
dude turned out to be her dad" shares only *father* and *turns* with episode 8). With a
`SemanticMatcher`, such a fact still flags when the message reads like one of the sentences
after the line that state it, clearly more than like anything already watched. The lexical
fact keeps the layer grounded: similarity alone, over every sentence, cost false flags
(docs/SPOILER_ENGINE.md).
"""

from __future__ import annotations

from typing import NamedTuple

from bot.catalog.episodes import EpisodeRef
from bot.guard.engine.matching import Fact, facts, reveals
from bot.guard.engine.model import ShowModel, units_of
from bot.guard.engine.semantic import SemanticMatcher

FLOOR = 0.3  # a fact this weak still anchors a paraphrase (chosen on the tuned files)
SIMILARITY = 0.55  # cosine a later sentence must reach
MARGIN = 0.1  # and by how much it must beat every watched sentence


class Paraphrase(NamedTuple):
    """A weak fact, and the later sentence stating it that the message most resembles."""

    fact: Fact
    unit: int
    similarity: float


def paraphrased(
    model: ShowModel,
    matcher: SemanticMatcher,
    folded: str,
    concepts: dict[int, str],
    line: EpisodeRef,
    end: int,
) -> Paraphrase | None:
    """The weak fact whose later sentences the message paraphrases best, if one is close enough.

    `concepts` are the message's (known relations already dropped); `end` is the first corpus
    unit after the line. The model runs only when some fact reaches `FLOOR` and reveals.
    """
    if not concepts:
        return None
    candidates = []
    for fact in facts(model, concepts, folded, end, FLOOR):
        if fact.score >= FLOOR and fact.concepts and reveals(model, fact, line, end):
            units = units_after(model, fact, end)
            if units:
                candidates.append((fact, units))
    if not candidates:
        return None
    similarities = matcher.similarities(model.show_id, folded)
    if len(similarities) != model.corpus_units:
        return None  # prepared with another version of this show's corpus (or none)
    watched = max(similarities[:end], default=-1.0)
    best = None
    for fact, units in candidates:
        unit = max(units, key=similarities.__getitem__)
        similarity = float(similarities[unit])
        close = similarity >= SIMILARITY and similarity - watched >= MARGIN
        if close and (best is None or similarity > best.similarity):
            best = Paraphrase(fact, unit, similarity)
    return best


def units_after(model: ShowModel, fact: Fact, end: int) -> list[int]:
    """The corpus units after the line stating every concept of the fact."""
    shared = -1
    for concept in fact.concepts:
        shared &= model.postings[concept]
    corpus = (1 << model.corpus_units) - 1
    return units_of(shared & corpus & (-1 << end))
