"""Match one message against one show model: which facts it states, and from which episode."""

from __future__ import annotations

import re
from typing import NamedTuple

from bot.catalog.episodes import EpisodeRef
from bot.guard.engine.concept_reader import Reader
from bot.guard.engine.idioms import trie_pattern
from bot.guard.engine.lexicon import GUESSES, HEDGES
from bot.guard.engine.model import (
    BOUND,
    EVENT,
    KIND_FACTOR,
    NAME,
    TAUGHT,
    TERM,
    ShowModel,
    lowest,
    units_of,
)

__all__ = [
    "Fact",
    "Reader",
    "facts",
    "hedged",
    "increment",
    "known_relations",
    "lone_name",
    "reveals",
]

HEDGE_FACTOR = 0.5
GUESS_FACTOR = 0.3
TERM_ALONE_FACTOR = 0.6
SELECTIVE = 256
WINDOW = 1
MAX_ANCHORS = 96


def any_of(cues: tuple[str, ...]) -> re.Pattern[str]:
    """A regex finding any of the cues as whole words ('going to be' is not in 'going to bed').

    A trie: shared beginnings are tried once.
    """
    return re.compile(rf"\b{trie_pattern(cue.strip() for cue in cues)}\b")


_GUESS = any_of(GUESSES)
_HEDGE = any_of(HEDGES)
_CUE = any_of(GUESSES + HEDGES)  # most messages have neither: one search tells
_FUTURE = re.compile(r"\b(?:gonna|going to|will|ll)\b|'ll\b")


class Fact(NamedTuple):
    """Message concepts some corpus sentence states together, dated to the first such sentence."""

    concepts: frozenset[int]
    unit: int
    episode: EpisodeRef
    score: float


_new = tuple.__new__  # `_new(Fact, fields)` makes a Fact without the Python-level __new__


def known_relations(model: ShowModel, concepts: dict[int, str], line: EpisodeRef) -> None:
    """Drop relation concepts whose relation the reader already knows, in place.

    'olivas and rawls as partners' binds the role to both names; once the corpus has told
    either side of it ('her partner Rawls') by the line, the other side is no news.
    """
    relations = []
    for concept, label in concepts.items():  # a plain loop: cheaper than a comprehension
        if label[0] == "b" and label[2] == "r":  # 'b:r…': a relation ('b:e…' is an event)
            relations.append(concept)
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
    if "?" not in folded and not _CUE.search(folded):
        return 1.0
    if _GUESS.search(folded):
        return GUESS_FACTOR
    if "?" in folded and _FUTURE.search(folded):
        return GUESS_FACTOR
    return HEDGE_FACTOR if _HEDGE.search(folded) else 1.0


def facts(
    model: ShowModel, concepts: dict[int, str], folded: str, end: int, floor: float
) -> list[Fact]:
    """The statements the message (`folded`) shares with sentences after the line, each dated.

    `end` is the first corpus unit after the line; a group of concepts some sentence after it
    states is dated to the first sentence stating them all, and kept only if that is after the
    line too (else it is known). Groups scoring under `floor` are dropped unless they are one
    name or term. Candidate sentences come from the message's selective concepts (posting sets
    of at most `SELECTIVE` units); very common concepts only join them. Scores are softened by
    the message's speculation (`hedged`), read only once something is to be scored.
    """
    hedge = None
    found = []
    members = _members(model, concepts, end) if len(concepts) > 1 else None
    if members is not None:
        hedge = hedged(folded)
        found = _groups(model, members, hedge, end, floor)
    postings, weights, taught = model.postings, model.weights, model.taught
    firsts = model.first_units
    for concept, label in concepts.items():
        kind = label[0]
        if kind != NAME and kind != TERM:
            continue  # a lone event, role or bound concept scores 0
        unit = firsts[concept]
        if unit < end:
            continue  # stated at or before the line: known
        alone = weights[concept] if kind == NAME else weights[concept] * TERM_ALONE_FACTOR
        if alone > 0 and postings[concept]:
            if hedge is None:
                hedge = hedged(folded)
            if taught:
                found.append(_dated(model, frozenset((concept,)), alone * hedge))
            else:  # one concept: its first unit is where it is first stated
                fact = (frozenset((concept,)), unit, model.unit_episode[unit], alone * hedge)
                found.append(_new(Fact, fact))
    if not taught:
        return found  # every fact is dated after the line
    return [fact for fact in found if fact.unit >= end or model.unit_kind[fact.unit] == TAUGHT]


Members = tuple[list[tuple[int, int]], int]


def _members(model: ShowModel, concepts: dict[int, str], end: int) -> Members | None:
    """The concepts with their units after the line, seeds first, and the candidate units.

    Candidates are the units after the line stating a seed and another concept; None when
    there are none (so no group can be stated after the line).
    """
    postings = model.postings
    if len(concepts) == 2:  # the one possible group: often stated by no unit, or a known one
        first, second = concepts
        both = postings[first] & postings[second]
        if not both >> end or (not model.taught and (both & -both).bit_length() <= end):
            return None
        if postings[second].bit_count() < postings[first].bit_count():
            first, second = second, first  # the smaller is a seed, and both state each unit
        after = -1 << end
        return [(first, postings[first] & after), (second, postings[second] & after)], both & after
    sized = []
    for at, concept in enumerate(concepts):
        sized.append((postings[concept].bit_count(), at, concept))
    sized.sort()  # by size, then message order
    cap = max(SELECTIVE, sized[0][0])
    after = -1 << end
    members = []
    seeds = seeded = once = twice = 0
    for size, _, concept in sized:  # the seeds come first: they are the smallest
        units = postings[concept] & after
        members.append((concept, units))
        if size <= cap:
            seeds += 1
            seeded |= units
        twice |= once & units  # beyond the seeds only when some are common
        once |= units
    if not twice & seeded or (seeds == len(sized) and seeds < 2):
        return None  # no unit after the line states a seed and another concept
    return members, twice & seeded


def _groups(model: ShowModel, members: Members, hedge: float, end: int, floor: float) -> list[Fact]:
    """The concept groups units after the line share with the message, as dated facts.

    Each candidate unit (`_members`) states one group; units are split by group with set
    operations. A group scores its weight times its best unit's kind factor; groups under
    `floor` are dropped, and the rest come in the order a unit-by-unit pass over the seeds'
    units would first meet a unit scoring `floor` (seed by seed, units ascending). Without
    taught phrases, a group some unit at or before the line already states is dropped too (it
    is dated there).
    """
    ranked = []
    postings, kinds, taught = model.postings, model.kind_units, model.taught
    weight = model.weights.__getitem__
    before = (1 << end) - 1
    shared = 0
    for first, group, units in _regions(*members):
        if not taught:  # known groups are dropped before they are scored
            shared = -1
            for concept in group:
                shared &= postings[concept]
            if shared & before:
                continue  # a unit at or before the line states it: known
        key = frozenset(group)
        base = sum(map(weight, key))
        best = 0.0  # the first hit's score: a first score <= 0 passes nothing
        passing = 0
        for kind in _BY_FACTOR:  # best factor first: scores only fall (see `ShowModel.factor`)
            hit = units & kinds[kind]
            if hit:
                score = base * KIND_FACTOR[kind] * hedge
                if not best:
                    best = score
                if score < floor or score <= 0.0:
                    break
                passing |= hit
                units ^= hit
                if not units:
                    break
        if passing:  # the first unit scoring `floor`, and the best score
            ranked.append((first, (passing & -passing).bit_length() - 1, key, best, shared))
    if not ranked:
        return []
    ranked.sort()  # by first seed and first unit: units are distinct, keys never compared
    if taught:
        return [_dated(model, key, score) for _, _, key, score, _ in ranked]
    found = []
    episodes = model.unit_episode
    for _, _, key, score, shared in ranked:
        unit = (shared & -shared).bit_length() - 1  # the first unit stating the whole group
        found.append(_new(Fact, (key, unit, episodes[unit], score)))
    return found


def _regions(members: list[tuple[int, int]], candidates: int) -> list[tuple[int, list[int], int]]:
    """Split the candidate units by which members state them: (first member, group, units)."""
    if not candidates:
        return []
    if len(members) == 2:  # every candidate states both
        return [(0, [members[0][0], members[1][0]], candidates)]
    regions: list[tuple[int, list[int], int]] = [(-1, [], candidates)]
    for at, (concept, units) in enumerate(members):
        inside = units & candidates
        if not inside:
            continue  # no region states it
        if inside == candidates:  # every region states it
            for index, (first, group, mask) in enumerate(regions):
                regions[index] = (at if first < 0 else first, [*group, concept], mask)
            continue
        split = []
        for first, group, mask in regions:
            inside = mask & units
            if inside:
                split.append((at if first < 0 else first, [*group, concept], inside))
                mask ^= inside
            if mask:
                split.append((first, group, mask))
        regions = split
    return regions


_BY_FACTOR = sorted(range(len(KIND_FACTOR)), key=lambda kind: -KIND_FACTOR[kind])


def _dated(model: ShowModel, group: frozenset[int], score: float) -> Fact:
    shared = -1
    for concept in group:
        shared &= model.postings[concept]
    if model.taught:  # taught units are appended after the corpus, out of watching order
        unit = min(units_of(shared), key=lambda u: (model.unit_episode[u], u))
    else:  # corpus units are numbered in watching order: the first shared one is earliest
        unit = lowest(shared)
    return Fact(group, unit, model.unit_episode[unit], score)


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
    a re-telling, even when no single watched sentence held them all. At most `MAX_ANCHORS`
    watched units are tried as a passage's centre, those of the rarest concepts first.
    """
    firsts = model.first_units
    for concept in fact.concepts:
        if firsts[concept] < end:
            break
    else:
        return fact.score  # nothing watched states any of it: all of it is new
    weights = model.weights
    concepts = list(fact.concepts)
    total = sum(map(weights.__getitem__, concepts))
    if not total:
        return fact.score
    before = (1 << end) - 1
    postings = model.postings
    lists = []
    for concept in concepts:
        lists.append(postings[concept] & before)
    if not any(lists):
        return fact.score * (1.0 - 0.0 / total)  # nothing watched states any of it
    cuts = list(map(int.bit_count, lists))
    anchors = 0
    if sum(cuts) <= MAX_ANCHORS:  # every watched unit is tried
        for units in lists:
            anchors |= units
    else:
        budget = MAX_ANCHORS
        for anchor in sorted(range(len(lists)), key=cuts.__getitem__):
            take = min(cuts[anchor], budget)
            anchors |= _first(lists[anchor], take, cuts[anchor])
            budget -= take
            if budget <= 0:
                break
    # a neighbour in the same episode: no episode starts between (watched units only: the
    # covers below are all watched, and a non-negative mask keeps the operations cheap)
    inner = before ^ (model.episode_starts & before)
    covers = [(0.0, anchors)] if anchors else []
    for units, concept in zip(lists, concepts, strict=True):
        near = units | ((units << 1) & inner) | ((units & inner) >> 1)
        share = weights[concept]
        split = []
        for cover, mask in covers:
            hit = mask & near
            if hit:
                split.append((cover + share, hit))
                mask ^= hit
            if mask:
                split.append((cover, mask))
        covers = split
    best = 0.0
    for cover, _ in covers:
        if cover > best:
            best = cover
    return fact.score * (1.0 - best / total)


def _first(units: int, count: int, size: int) -> int:
    """The `count` lowest units of a posting set holding `size` units."""
    if count >= size:
        return units
    if count <= 0:
        return 0
    low, high = 0, units.bit_length()  # the count-th unit is the least u with count bits ≤ u
    while low < high:
        middle = (low + high) // 2
        if (units & ((2 << middle) - 1)).bit_count() >= count:
            high = middle
        else:
            low = middle + 1
    return units & ((2 << low) - 1)


def reveals(model: ShowModel, fact: Fact, line: EpisodeRef, end: int) -> bool:
    """A fact reveals something if it has an event or term, or a name not yet met.

    `end` is the first corpus unit after the line: a name first stated by a corpus unit from
    there on is not yet met (only a taught unit's episode needs comparing with the line).
    """
    labels, firsts, corpus = model.labels, model.first_units, model.corpus_units
    for concept in fact.concepts:
        kind = labels[concept][0]
        if kind in (EVENT, BOUND, TERM):
            return True
        if kind == NAME:
            first = firsts[concept]
            if first >= end if first < corpus else model.unit_episode[first] > line:
                return True
    return not fact.concepts
