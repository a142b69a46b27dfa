"""Posting sets as bitsets, the word screen and the one-pass readings give the plain answers.

Each fast path is checked against the plain computation it replaced (kept here as reference):
sorted unit lists scanned one unit at a time, every message read clause by clause, every word
resolved for its show without the screen.
"""

from __future__ import annotations

import random
import re
from bisect import bisect_left
from collections import Counter
from itertools import chain

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.catalog.episodes import NOTHING, EpisodeRef
from bot.guard.engine import SpoilerIndex, TaughtPhrase
from bot.guard.engine.analysis import Analyser
from bot.guard.engine.concept_reader import Reader
from bot.guard.engine.lexicon import GUESSES, HEDGES, PHRASES
from bot.guard.engine.matching import (
    GUESS_FACTOR,
    HEDGE_FACTOR,
    MAX_ANCHORS,
    SELECTIVE,
    TERM_ALONE_FACTOR,
    WINDOW,
    Fact,
    any_of,
    facts,
    hedged,
    increment,
)
from bot.guard.engine.model import NAME, TAUGHT, TERM, ShowModel, units_of
from bot.guard.engine.text import clean_message, fold, stem
from tests.bot.guard.engine.conftest import season_one

E = EpisodeRef


def _reference_group(model: ShowModel, concepts: dict[int, str], hedge: float, end: int) -> dict:
    lists = {c: units_of(model.postings[c]) for c in concepts}
    ordered = sorted(concepts, key=lambda c: len(lists[c]))
    cap = max(SELECTIVE, len(lists[ordered[0]]))
    seeds = [c for c in ordered if len(lists[c]) <= cap]
    common = ordered[len(seeds) :]
    groups: dict[frozenset[int], float] = {}
    if not common and len(seeds) < 2:
        return groups
    later = [lists[c][bisect_left(lists[c], end) :] for c in seeds]
    shared = Counter(chain.from_iterable(later))
    units = list(shared) if common else [u for u, n in shared.items() if n > 1]
    for unit in units:
        group = [c for c in seeds if unit in lists[c]] + [c for c in common if unit in lists[c]]
        if len(group) < 2:
            continue
        key = frozenset(group)
        score = sum(model.weights[c] for c in key) * model.factor(unit) * hedge
        if score >= 0.8 and score > groups.get(key, 0.0):
            groups[key] = score
    return groups


def _reference_dated(model: ShowModel, group: frozenset[int], score: float) -> Fact:
    common = set.intersection(*(set(units_of(model.postings[c])) for c in group))
    unit = min(common, key=lambda u: (model.unit_episode[u], u)) if model.taught else min(common)
    return Fact(group, unit, model.unit_episode[unit], score)


def reference_facts(
    model: ShowModel, concepts: dict[int, str], hedge: float, end: int
) -> list[Fact]:
    """`facts` as it was on sorted unit lists."""
    groups = _reference_group(model, concepts, hedge, end) if len(concepts) > 1 else {}
    found = [_reference_dated(model, group, score) for group, score in groups.items()]
    for concept in concepts:
        kind = model.labels[concept][0]
        if kind not in (NAME, TERM):
            continue
        weight = model.weights[concept]
        alone = weight if kind == NAME else weight * TERM_ALONE_FACTOR
        units = units_of(model.postings[concept])
        if alone > 0 and units and units[0] >= end:
            found.append(_reference_dated(model, frozenset((concept,)), alone * hedge))
    return [f for f in found if f.unit >= end or model.unit_kind[f.unit] == TAUGHT]


def reference_increment(model: ShowModel, fact: Fact, end: int) -> float:
    """`increment` as it was: each watched unit of the rarest concepts tried as a centre."""
    concepts = list(fact.concepts)
    total = sum(model.weights[c] for c in concepts)
    if not total or not end:
        return fact.score
    lists = [units_of(model.postings[c]) for c in concepts]
    cuts = [bisect_left(units, end) for units in lists]
    episodes, best, budget = model.unit_episode, 0.0, MAX_ANCHORS
    for anchor in sorted(range(len(lists)), key=lambda at: cuts[at]):
        for unit in lists[anchor][: min(cuts[anchor], budget)]:
            budget -= 1
            cover = 0.0
            for other, (units, cut) in enumerate(zip(lists, cuts, strict=True)):
                near = [u for u in units[:cut] if abs(u - unit) <= WINDOW]
                if other == anchor or any(episodes[u] is episodes[unit] for u in near):
                    cover += model.weights[concepts[other]]
            best = max(best, cover)
        if budget <= 0:
            break
    return fact.score * (1.0 - best / total)


def _key(found: list[Fact]) -> list[tuple]:
    return [(list(f.concepts), f.unit, f.episode, f.score) for f in found]


def _messages(index: SpoilerIndex, count: int) -> list[tuple[int, str, EpisodeRef]]:
    rng = random.Random(3)
    words = {
        show_id: [label[2:] for label in model.labels if label[0] in "ntre"]
        for show_id, model in index.models.items()
    }
    rows = []
    for _ in range(count):
        show_id = rng.choice(list(index.models))
        text = " ".join(rng.choice(words[show_id]) for _ in range(rng.randint(1, 7)))
        rows.append((show_id, text, E(1, rng.randint(0, 9))))
    return rows


@pytest.mark.parametrize("taught", [False, True])
def test_facts_and_increments_match_the_unit_lists(
    sample_index: SpoilerIndex, taught: bool
) -> None:
    index = sample_index
    if taught:
        for show_id in list(index.models)[:4]:
            phrases = [TaughtPhrase(E(1, 2), "the lantern burns"), TaughtPhrase(E(1, 1), "a vow")]
            index = index.with_taught(show_id, phrases)
    for show_id, text, line in _messages(index, 1500):
        model = index.models[show_id]
        reader = index._reader(model)
        folded = fold(clean_message(text))
        concepts = reader.concepts(folded)
        end = reader.end(line)
        assert end == model.units_through(line)
        found = facts(model, dict(concepts), folded, end, 0.8)
        assert _key(found) == _key(reference_facts(model, concepts, hedged(folded), end))
        for fact in found:
            assert increment(model, fact, end) == reference_increment(model, fact, end)


def test_readings_match_reading_clause_by_clause_without_the_screen(
    sample_index: SpoilerIndex,
) -> None:
    texts = [text for _, text, _ in _messages(sample_index, 300)]
    texts += ["who's watching tonight?", "Dr. Rawls - no. twenty-one days", "o'did it, walks free"]
    texts += [f"{pattern.split('(')[0]} rawls" for pattern, _ in PHRASES]
    for model in sample_index.models.values():
        fast = Reader(model, sample_index.known_words, sample_index.screen)
        plain = Reader(model, sample_index.known_words)
        analyser = Analyser(plain._labels)
        for text in texts:
            folded = fold(clean_message(text))
            labels, _ = analyser.labels(folded, E(0, 0), [])
            expected = {model.ids[label]: label for label in labels if label in model.ids}
            assert list(fast.concepts(folded).items()) == list(expected.items()), text


def test_the_screen_passes_over_only_words_no_show_knows(sample_index: SpoilerIndex) -> None:
    words = {w for model in sample_index.models.values() for w in model.names}
    words |= {label[2:] for m in sample_index.models.values() for label in m.labels}
    words |= {w[:-1] for w in list(words)} | {w + "s" for w in list(words)}
    words |= set("pizza soundtrack favourite brb lol qqq capatin arested thirty21".split())
    for word in sorted(words):
        sample_index.screen.hint(word)
    for model in sample_index.models.values():
        plain = Reader(model, sample_index.known_words)
        fast = Reader(model, sample_index.known_words, sample_index.screen)
        for word in sorted(words):
            assert fast._labels(word) == plain._labels(word), word
            if word in sample_index.screen.never:
                assert not any(label in model.ids for label in plain._labels(word)), word


def _reference_stem(word: str) -> str:
    from bot.guard.engine.text import _SUFFIXES, irregular

    if irregular(word):
        return _reference_stem(irregular(word) or "")
    if len(word) <= 4 or word.isdigit():
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + replacement
            break
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]
    return word


@given(st.text(alphabet="abdegilnsyz0123", min_size=1, max_size=12))
def test_stems_match_the_plain_suffix_loop(word: str) -> None:
    assert stem(word) == _reference_stem(word)


CUE_TEXT = st.lists(
    st.sampled_from(
        [*GUESSES, *HEDGES, "i", " ", "bet", "odds", "x", "?", " gonna ", " will ", "d", "es"]
    )
)


def _has_cue(text: str, cues: tuple[str, ...]) -> bool:
    return any(re.search(rf"\b{re.escape(cue.strip())}\b", text) for cue in cues)


def _reference_hedge(text: str) -> float:
    if _has_cue(text, GUESSES):
        return GUESS_FACTOR
    if "?" in text and re.search(r"\b(?:gonna|going to|will|ll)\b|'ll\b", text):
        return GUESS_FACTOR
    return HEDGE_FACTOR if _has_cue(text, HEDGES) else 1.0


@settings(max_examples=300)
@given(CUE_TEXT)
def test_cue_tries_find_exactly_the_cues(parts: list[str]) -> None:
    text = "".join(parts)
    assert bool(any_of(GUESSES).search(text)) == _has_cue(text, GUESSES)
    assert bool(any_of(HEDGES).search(text)) == _has_cue(text, HEDGES)
    assert hedged(text) == _reference_hedge(text)


@pytest.mark.parametrize("taught", [False, True])
def test_first_units_are_the_lowest_unit_of_each_posting_set(
    sample_index: SpoilerIndex, taught: bool
) -> None:
    index = sample_index
    if taught:  # taught units come after the corpus, some stating concepts it never does
        phrase = TaughtPhrase(E(1, 1), "the brass vow of quillwhistle")
        index = index.with_taught(next(iter(index.models)), [phrase])
    for model in index.models.values():
        assert len(model.first_units) == len(model.postings)
        for concept, units in enumerate(model.postings):
            assert model.first_units[concept] == (units_of(units) or [0])[0]


@pytest.mark.parametrize("line", [E(0, 0), E(1, 3), E(1, 99), E(2, 0), E(0, -1)])
def test_units_through_a_line(sample_index: SpoilerIndex, line: EpisodeRef) -> None:
    for model in sample_index.models.values():
        watched = [e for e in model.unit_episode[: model.corpus_units] if e <= line]
        assert model.units_through(line) == len(watched)


def test_quoting_keeps_every_character() -> None:
    rows = [(1, "Zoë meets Ana.\nShe waves."), (1, "Ana's café burns."), (2, "Ökonom Zoë — gone.")]
    model = SpoilerIndex.build([season_one(1, "Quotes", rows)]).models[1]
    # units at S00E00: the premise (the title, and the first episode's opening, inferred)
    quoted = [model.text(unit) for unit in range(model.units_through(NOTHING), model.corpus_units)]
    assert quoted == ["Zoë meets Ana. She waves.", "Ana's café burns.", "Ökonom Zoë — gone."]
