"""Rounds 8 and 9: shortcuts give exactly the answers of the plain computations they replace."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.spoilers import load_cases
from bot.catalog.episodes import EpisodeRef
from bot.guard.engine import SpoilerIndex, TaughtPhrase, Verdict
from bot.guard.engine.analysis import _CLAUSE, has_clauses
from bot.guard.engine.concept_reader import Reader
from bot.guard.engine.dating import says_more, with_last
from bot.guard.engine.episode_signals import _ANY_EPISODE, _opening, may_name_episodes, new_words
from bot.guard.engine.index import (
    MIN_INCREMENT,
    PART_FLOOR,
    THRESHOLD,
    _combined,
    _evidence,
    _reveals,
    _signalled,
)
from bot.guard.engine.lexicon import NUMBER_WORDS
from bot.guard.engine.matching import (
    SELECTIVE,
    Fact,
    _members,
    facts,
    hedged,
    increment,
    known_relations,
    lone_name,
)
from bot.guard.engine.model import BOUND, EVENT, NAME, TERM, ShowModel
from bot.guard.engine.normalise import join_spelled, visible_text
from bot.guard.engine.text import (
    _IDIOMS,
    MAX_MESSAGE_CHARS,
    WORD,
    clean_message,
    fold,
    fold_message,
    plain_word,
    simple_words,
)
from bot.guard.engine.word_screen import WordScreen
from tests.bot.guard.engine.conftest import season_one
from tests.bot.guard.engine.test_bitsets import reference_facts, reference_increment

E = EpisodeRef

_PLAIN = "a B é ’ ` ```py\n [x](y) ]( < <@123> HTTP https://x.io www. Www.a _ ' . ?".split()
_PIECES = st.sampled_from([*_PLAIN, " ", "|", "||"])


@settings(max_examples=1000)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_folding_a_message_matches_cleaning_then_folding(text: str) -> None:
    plain = join_spelled(fold(visible_text(clean_message(text))))  # issue 17: read as shown
    assert fold_message(text) == plain, text


def test_folding_a_long_message_cuts_it_first() -> None:
    text = "a" * MAX_MESSAGE_CHARS + " ||hidden||"
    assert fold_message(text) == fold(clean_message(text)) == "a" * MAX_MESSAGE_CHARS


def _reference_reveals(model: ShowModel, fact: Fact, line: EpisodeRef) -> bool:
    for concept in fact.concepts:
        kind = model.labels[concept][0]
        if kind in (EVENT, BOUND, TERM) or (kind == NAME and model.first_episode(concept) > line):
            return True
    return not fact.concepts


def _reference_new_words(model: ShowModel, concepts: dict[int, str], line: EpisodeRef) -> list:
    by_episode: dict[EpisodeRef, list[int]] = {}
    for concept in concepts:
        if model.labels[concept][0] not in (NAME, TERM) or not model.postings[concept]:
            continue
        if model.first_episode(concept) > line:
            by_episode.setdefault(model.first_episode(concept), []).append(concept)
    found = []
    for episode, group in by_episode.items():
        if len(group) >= 2 and episode != _opening(model):
            unit = min(model.first_units[c] for c in group)
            score = sum(model.weights[c] for c in group)
            found.append((frozenset(group), unit, episode, score))
    return found


def _indexes(sample_index: SpoilerIndex) -> list[SpoilerIndex]:
    taught = sample_index
    for show_id in list(sample_index.models)[:4]:  # taught units come after the corpus
        phrases = [TaughtPhrase(E(1, 2), "the lantern burns"), TaughtPhrase(E(1, 1), "a vow")]
        phrases += [TaughtPhrase(E(1, 1), f"{name} and {name}s") for name in ("quill", "ossa")]
        taught = taught.with_taught(show_id, phrases)
    return [sample_index, taught]


Reading = tuple[ShowModel, dict[int, str], EpisodeRef]


def _readings(index: SpoilerIndex, count: int) -> list[Reading]:
    rng = random.Random(5)
    rows = []
    for _ in range(count):
        model = index.models[rng.choice(list(index.models))]
        words = [label[2:] for label in model.labels if label[0] in "ntre"]
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 6)))
        line = E(rng.choice((0, 1, 1, 2)), rng.randint(0, 9))
        rows.append((model, index._reader(model).concepts(fold(text)), line))
    return rows


def test_revealing_and_new_words_match_comparing_episodes(sample_index: SpoilerIndex) -> None:
    for index in _indexes(sample_index):
        for model, concepts, line in _readings(index, 1500):
            end = model.units_through(line)
            for concept in concepts:
                fact = Fact(frozenset((concept,)), 0, line, 1.0)
                assert _reveals(model, fact, line, end) == _reference_reveals(model, fact, line)
            whole = Fact(frozenset(concepts), 0, line, 1.0)
            assert _reveals(model, whole, line, end) == _reference_reveals(model, whole, line)
            found = [tuple(f) for f in new_words(model, concepts, line, end, 1.0)]
            assert found == _reference_new_words(model, concepts, line)


def test_words_new_in_a_taught_phrase_are_dated_by_its_episode() -> None:
    show = season_one(
        1,
        "Driftline",
        [(1, "Mara Quell wakes the crew."), (2, "Tobin Ash repairs the reactor."), (3, "Rain.")],
        taught=(TaughtPhrase(E(1, 2), "the zorblat quintessa"),),
    )
    index = SpoilerIndex.build([show]).with_taught(1, [TaughtPhrase(E(1, 3), "glimmerfen")])
    model = index.models[1]
    for text in ("zorblat quintessa", "zorblat quintessa glimmerfen tobin", "tobin glimmerfen"):
        concepts = index._reader(model).concepts(fold(text))
        for line in (E(0, 0), E(1, 1), E(1, 2), E(1, 3)):
            end = model.units_through(line)
            found = [tuple(f) for f in new_words(model, concepts, line, end, 1.0)]
            assert found == _reference_new_words(model, concepts, line), (text, line)
            for concept in concepts:
                fact = Fact(frozenset((concept,)), 0, line, 1.0)
                assert _reveals(model, fact, line, end) == _reference_reveals(model, fact, line)


_EPISODE_TEXTS = ["1 x 2", "1 x2", "3x 4", "as1", "s1", "e٣", "the ep", "deep", "finale", "ex 1"]


@settings(max_examples=2000)
@given(st.lists(st.sampled_from([*"sexp 1٣_a", "ep", "finale", "fin", *_EPISODE_TEXTS])))
def test_the_episode_guard_matches_the_full_alternation(parts: list[str]) -> None:
    text = "".join(parts)
    assert may_name_episodes(text) == (_ANY_EPISODE.search(text) is not None), text
    for part in parts:
        assert may_name_episodes(part) == (_ANY_EPISODE.search(part) is not None), part


def test_a_taught_phrase_of_no_concepts_is_still_matched() -> None:
    show = season_one(1, "Driftline", [(1, "Mara Quell wakes the crew."), (2, "Tobin dies.")])
    index = SpoilerIndex.build([show])
    taught = index.with_taught(1, [TaughtPhrase(E(1, 2), "it was all of them")])
    text = "omg it was all of them"
    assert index._reader(index.models[1]).untaught
    assert not index.check(text, 1, E(1, 1)).spoiler
    assert not taught._reader(taught.models[1]).untaught
    assert taught._reader(taught.models[1]).concepts(text) == {}  # only stop words
    verdict = taught.check(text, 1, E(1, 1))
    assert verdict.spoiler and verdict.evidence[0].source == "taught"


def _reference_simple_words(folded: str) -> list[str] | None:
    if not folded.isascii() or "_" in folded:
        return None
    tokens = WORD.findall(folded)
    runs = "'".join(tokens).split("'")
    words = [plain_word(token) for token in tokens]
    words = [word for word in words if word]
    if not frozenset(NUMBER_WORDS).isdisjoint(words) or _IDIOMS.rewrites(folded, runs):
        return None
    return words


@settings(max_examples=2000)
@given(st.lists(st.sampled_from([*"az09 \t\n.,?!-'AZé", "rawls's", "walks free", "ten"])))
def test_simple_words_split_as_the_word_pattern(parts: list[str]) -> None:
    text = "".join(parts)
    assert simple_words(text) == _reference_simple_words(text), text


@settings(max_examples=1000)
@given(st.lists(st.sampled_from([*'ab -,;:.!?()[]"“”…—–\n', " - ", "a-b", "–"])))
def test_clause_breaks_are_found_as_the_clause_pattern_finds_them(parts: list[str]) -> None:
    text = "".join(parts)
    assert has_clauses(text) == (_CLAUSE.search(text) is not None), text


def test_the_screen_names_and_titles_spare_only_looking_in_the_show(
    sample_index: SpoilerIndex,
) -> None:
    screen = sample_index.screen
    assert screen is not None
    words = {w for model in sample_index.models.values() for w in model.names | model.title_words}
    words |= {label[2:] for model in sample_index.models.values() for label in model.labels}
    words |= set("pizza the of favourite lol captain dies 1 12".split())
    for model in sample_index.models.values():
        assert model.names <= screen.names and model.title_words <= screen.titles
        plain = Reader(model, sample_index.known_words)
        fast = Reader(model, sample_index.known_words, screen)
        for word in sorted(words):
            assert fast._labels(word) == plain._labels(word), word
        for word in sorted(model.title_words | {"favourite", "lol"}):
            text = f"{word} and {min(model.names)} {word}s lol"
            assert fast.concepts(text) == plain.concepts(text), text


def test_a_screen_without_the_shows_names_and_titles_is_not_trusted_for_them(
    sample_index: SpoilerIndex,
) -> None:
    stranger = WordScreen((), ())  # another index's screen: none of these shows' words
    for model in sample_index.models.values():
        plain = Reader(model, sample_index.known_words)
        fast = Reader(model, sample_index.known_words, stranger)
        for word in sorted(model.names | model.title_words):
            assert fast._labels(word) == plain._labels(word), word
        assert plain._labels(min(model.title_words)) == ()


def test_passages_stop_at_episode_boundaries() -> None:
    rows = [(1, "Mara finds the lantern."), (2, "Tobin burns the ledger."), (2, "Rain falls.")]
    rows += [(3, "Mara hides the lantern and Tobin burns the ledger.")]
    index = SpoilerIndex.build([season_one(1, "Driftline", rows)])
    model = index.models[1]
    concepts = index._reader(model).concepts("the lantern and the ledger")
    for line in (E(1, 1), E(1, 2)):  # at S01E02 the lantern and the ledger are next units
        end = model.units_through(line)
        fact = Fact(frozenset(concepts), end, E(1, 3), 2.0)
        assert increment(model, fact, end) == reference_increment(model, fact, end) > 0.5


def _reference_check(index: SpoilerIndex, text: str, show_id: int, line: EpisodeRef) -> Verdict:
    """`SpoilerIndex.check` with every stage run, whatever the earlier stages found.

    The label (`last`) is dated by the same code (`with_last`, `_settled`).
    """
    model = index.models[show_id]
    folded = fold_message(text)
    concepts = index._reader(model).concepts(folded)
    end = model.units_through(line)
    found = index._facts(model, folded, concepts, line, end)
    novel = [fact for fact in found if fact.episode > line]
    strong = [
        fact
        for fact in novel
        if (fact.score >= THRESHOLD or lone_name(model, fact))
        and increment(model, fact, end) >= MIN_INCREMENT
        and _reveals(model, fact, line, end)
    ]
    precise = any(says_more(model, fact) for fact in strong)
    strong = strong or _combined(model, novel, line, end)
    strong = strong or _signalled(model, folded, concepts, novel, line, end)
    if not strong:
        return Verdict(False, None, max((fact.score for fact in novel), default=0.0))
    verdict = index._verdict(model, strong)
    place, thresholds = (line, end), (PART_FLOOR, MIN_INCREMENT)
    verdict = with_last(model, verdict, strong, novel, place, thresholds, precise)
    return index._settled(text, show_id, verdict)  # the label, as `check` settles it


def test_checks_without_facts_or_concepts_answer_as_every_stage_would(
    sample_index: SpoilerIndex, show_ids: dict[str, int]
) -> None:
    cases = load_cases()
    lines = [E(0, 0), E(1, 1), E(1, 3), E(1, 6), E(2, 2), E(9, 9)]
    for index in _indexes(sample_index):
        for case in cases:
            show_id = show_ids[case.show]
            for line in (case.progress, *lines):
                expected = _reference_check(index, case.text, show_id, line)
                assert index.check(case.text, show_id, line) == expected, (case.text, line)


def test_speculation_read_only_for_scoring_softens_facts_as_before(
    sample_index: SpoilerIndex,
) -> None:
    rng = random.Random(9)
    softened = 0
    for index in _indexes(sample_index):
        for _ in range(1500):
            model = index.models[rng.choice(list(index.models))]
            words = [label[2:] for label in model.labels if label[0] in "ntre"]
            text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 5)))
            text = rng.choice(("", "i bet ", "maybe ", "will ")) + text + rng.choice(("", "?"))
            folded = fold(text)
            concepts = index._reader(model).concepts(folded)
            end = model.units_through(E(1, rng.randint(0, 9)))
            found = facts(model, dict(concepts), folded, end, 0.8)
            expected = reference_facts(model, concepts, hedged(folded), end)
            assert [tuple(f) for f in found] == [tuple(f) for f in expected], text
            softened += bool(found) and hedged(folded) < 1.0
    assert softened > 100


def _reference_known_relations(
    model: ShowModel, concepts: dict[int, str], line: EpisodeRef
) -> None:
    relations = [c for c, label in concepts.items() if label.startswith("b:r")]
    known = {concepts[c].split("|", 1)[0] for c in relations if model.first_episode(c) <= line}
    for concept in relations:
        if concepts[concept].split("|", 1)[0] in known:
            del concepts[concept]


def _reference_evidence_source(model: ShowModel, fact: Fact) -> str:
    kinds = {model.labels[c][0] for c in fact.concepts}
    return "event" if kinds & {EVENT, BOUND} else "phrase"


def test_relations_and_evidence_sources_read_label_kinds_as_before(
    sample_index: SpoilerIndex,
) -> None:
    rng = random.Random(4)
    dropped = events = phrases = 0
    for _ in range(3000):
        model = sample_index.models[rng.choice(list(sample_index.models))]
        names = sorted(model.names)
        roles = ("sister", "partner", "captain", "dies", "arrested", "lawyer", "boss")
        words = [rng.choice(names + [label[2:] for label in model.labels if label[0] == "t"])]
        words += [rng.choice(roles), rng.choice(names), "and", rng.choice(names)]
        concepts = sample_index._reader(model).concepts(" ".join(rng.sample(words, len(words))))
        line = E(1, rng.randint(0, 9))
        fast, plain = dict(concepts), dict(concepts)
        known_relations(model, fast, line)
        _reference_known_relations(model, plain, line)
        assert fast == plain
        dropped += len(fast) < len(concepts)
        end = model.units_through(line)
        for fact in facts(model, fast, "", end, 0.8):
            if len(fact.concepts) > 1:
                source = _evidence(model, fact).source
                assert source == _reference_evidence_source(model, fact)
                events += source == "event"
                phrases += source == "phrase"
    assert dropped and events and phrases


def _reference_members(model: ShowModel, concepts: dict[int, str], end: int) -> tuple | None:
    """`_members` for any number of concepts: seeds by size, then the shared candidates."""
    sized = sorted((model.postings[c].bit_count(), at, c) for at, c in enumerate(concepts))
    cap = max(SELECTIVE, sized[0][0])
    after = -1 << end
    members = [(c, model.postings[c] & after) for _, _, c in sized]
    seeds = [units for (size, _, _), (_, units) in zip(sized, members, strict=True) if size <= cap]
    seeded = twice = once = 0
    for units in seeds:
        seeded |= units
    for _, units in members:
        twice |= once & units
        once |= units
    if not twice & seeded or (len(seeds) == len(sized) and len(seeds) < 2):
        return None
    return members, twice & seeded


def test_two_concepts_give_the_members_and_candidates_of_any_number(
    sample_index: SpoilerIndex,
) -> None:
    rng = random.Random(6)
    shared = 0
    for index in _indexes(sample_index):
        for model in index.models.values():
            units = len(model.unit_episode)
            for _ in range(300):
                unit = rng.randrange(units)
                stating = [c for c, p in enumerate(model.postings) if p >> unit & 1]
                if len(stating) < 2:
                    continue
                pair = rng.sample(stating, 2)  # stated together by that unit, or with any other
                pair = rng.choice((pair, [pair[0], rng.randrange(len(model.labels))]))
                concepts = {c: model.labels[c] for c in pair}
                if len(concepts) != 2:
                    continue
                end = model.units_through(E(1, rng.randint(0, 9)))
                found = _members(model, concepts, end)
                expected = _reference_members(model, concepts, end)
                if found is not None:  # the early test may stop where the general one goes on
                    assert found == expected, (concepts, end)
                    shared += 1
    assert shared > 100
