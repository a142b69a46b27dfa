"""Weaker evidence that still flags: facts of one episode together, signals the message gives,
and weak facts the paraphrase layer confirms (the lexical rules' second chances)."""

from __future__ import annotations

from operator import attrgetter

from bot.catalog.episodes import EpisodeRef
from bot.guard.engine.dating import fact_evidence as _evidence
from bot.guard.engine.dating import with_last
from bot.guard.engine.episode_signals import NEW_WORDS_MIN, named_episodes, new_words
from bot.guard.engine.matching import Fact, hedged, increment
from bot.guard.engine.matching import reveals as _reveals
from bot.guard.engine.model import ShowModel
from bot.guard.engine.paraphrase import Paraphrase
from bot.guard.engine.types import Evidence, Verdict

THRESHOLD = 1.6
MIN_INCREMENT = 0.6
PART_FLOOR = 0.8
NAMED_INCREMENT = 0.3
_THRESHOLDS = (PART_FLOOR, MIN_INCREMENT)  # what a weak group needs to date a label (dating.py)


def _signalled(
    model: ShowModel,
    folded: str,
    concepts: dict[int, str],
    novel: list[Fact],
    line: EpisodeRef,
    end: int,
) -> list[Fact]:
    """Weaker evidence the message itself sharpens: the episode it names, or its new words.

    A fact dated to an unwatched episode the message names ('… in the finale') needs only to
    add something beyond what was watched; names and terms all new in one unwatched episode
    describe that episode together.
    """
    found = new_words(model, concepts, line, end, 1.0) if len(concepts) >= NEW_WORDS_MIN else []
    if found:  # speculation softens these too; read it only when there is something to soften
        hedge = hedged(folded)
        found = [f._replace(score=f.score * hedge) for f in found if f.score * hedge >= THRESHOLD]
    named = named_episodes(model, folded, line) if novel else None
    if named:
        found.extend(
            fact
            for fact in novel
            if fact.episode in named
            and fact.score >= PART_FLOOR
            and _reveals(model, fact, line, end)
            and increment(model, fact, end) >= NAMED_INCREMENT
        )
    return found


_score = attrgetter("score")


def _paraphrase_verdict(
    model: ShowModel, said: Paraphrase, novel: list[Fact], line: EpisodeRef, end: int
) -> Verdict:
    """A weak fact the paraphrase layer confirmed: the sentence it resembles, then the fact.

    It reveals at least up to the resembled sentence's episode.
    """
    fact, unit, similarity = said
    evidence = Evidence(model.unit_episode[unit], model.text(unit), "paraphrase", similarity)
    verdict = Verdict(True, fact.episode, fact.score, (evidence, _evidence(model, fact)))
    resembled = fact._replace(unit=unit, episode=model.unit_episode[unit])
    return with_last(model, verdict, [fact, resembled], novel, (line, end), _THRESHOLDS, False)


def _combined(model: ShowModel, novel: list[Fact], line: EpisodeRef, end: int) -> list[Fact]:
    """Weaker facts that one later episode states separately, taken together.

    'josie's own father was the hooded guy in the photos' shares a relation with one sentence
    of an episode and the photos with another: each part is short of the threshold, but two
    parts dated to the same unwatched episode, each revealing and each new beyond what a
    watched passage told, reveal that episode. The parts' concepts are merged and scored as
    one fact (overlaps counted once), which then passes the usual tests.
    """
    if len(novel) < 2:
        return []  # nothing to combine
    parts = []
    for fact in novel:
        if fact.score >= PART_FLOOR and fact.concepts:
            parts.append(fact)
    if len(parts) < 2:
        return []  # nothing to combine
    candidates: dict[EpisodeRef, list[Fact]] = {}
    for fact in parts:
        candidates.setdefault(fact.episode, []).append(fact)
    merged = []
    weights = model.weights
    for found in candidates.values():
        if len(found) < 2 or sum(fact.score for fact in found) < THRESHOLD:
            continue  # the merged score never exceeds the sum of the parts
        group = [
            fact
            for fact in found
            if _reveals(model, fact, line, end) and increment(model, fact, end) >= MIN_INCREMENT
        ]
        if len(group) < 2:
            continue
        group.sort(key=lambda f: -f.score)
        covered: set[int] = set()
        score = 0.0
        for fact in group:
            total = sum(weights[c] for c in fact.concepts)
            fresh = sum(weights[c] for c in fact.concepts - covered)
            score += fact.score * (fresh / total if total else 0.0)
            covered |= fact.concepts
        first = min(group, key=lambda f: f.unit)
        whole = Fact(frozenset(covered), first.unit, first.episode, score)
        if score >= THRESHOLD and increment(model, whole, end) >= MIN_INCREMENT:
            merged.append(whole)
    return merged
