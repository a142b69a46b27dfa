"""The round-two mechanisms: relations, passage re-telling, guesses, idioms and word forms."""

from __future__ import annotations

import pytest

from bot.catalog.episodes import EpisodeRef
from bot.guard.engine import SpoilerIndex
from bot.guard.engine.analysis import killers
from bot.guard.engine.matching import GUESS_FACTOR, HEDGE_FACTOR, hedged
from bot.guard.engine.text import apply_phrases, stem
from tests.bot.guard.engine.conftest import season_one

E = EpisodeRef


SALT = season_one(
    1,
    "Salt Road",
    [
        (1, "Harbourmaster Petra Lusk hands Nora Wray the keys to the lighthouse."),
        (1, "Nora meets the ferryman Jonas Keel, who lies about the storm."),
        (2, "Lusk stamps the shipping papers while Nora counts the crates."),
        (2, "Jonas complains about the company, insisting the cargo is property of the firm."),
        (3, "Lusk sits Nora down in the office and tells her the truth: they are sisters."),
        (4, "Jonas is arrested at the quay."),
        (5, "Jonas, insisting the cargo was never his, is sentenced to twelve years."),
        (5, "Lusk and Nora climb the tower together; Jonas lied about the cargo."),
    ],
)


@pytest.fixture(scope="module")
def index() -> SpoilerIndex:
    return SpoilerIndex.build([SALT])


def test_a_relation_first_stated_later_is_a_spoiler(index: SpoilerIndex) -> None:
    verdict = index.check("wait lusk and nora are SISTERS??", 1, E(1, 2))
    assert verdict.spoiler and verdict.episode == E(1, 3)
    assert not index.check("lusk and nora being sisters explains a lot", 1, E(1, 3)).spoiler


def test_a_later_recap_restating_watched_details_is_not_a_spoiler(index: SpoilerIndex) -> None:
    # episode 2 says Jonas insists the cargo is company property; episode 5 repeats "insisting
    # the cargo" in a sentence about his sentence: talk about episode 2 stays open at E02
    assert not index.check("jonas insisting the cargo is property lol", 1, E(1, 2)).spoiler


def test_sentencing_is_its_own_event(index: SpoilerIndex) -> None:
    assert apply_phrases("dale gets 22 years").split()[1] == "evsentence"
    verdict = index.check("jonas gets 12 years", 1, E(1, 4))
    assert verdict.spoiler and verdict.episode == E(1, 5)


def test_irregular_forms_meet() -> None:
    assert stem("lied") == stem("lying") == stem("lies") == "lie"
    assert stem("hid") == stem("hiding") == "hide"


def test_guesses_and_future_questions_count_less_than_hedges() -> None:
    assert hedged("i bet jonas gets arrested") == GUESS_FACTOR
    assert hedged("is jonas gonna get arrested?") == GUESS_FACTOR
    assert hedged("i think jonas got arrested") == HEDGE_FACTOR
    assert hedged("jonas got arrested") == 1.0


def test_cues_are_whole_words() -> None:
    assert hedged("he walks into the sea like he's going to bed") == 1.0  # not "going to be"
    assert hedged("someone cut the line?? who does that") == 1.0  # not "who do (you think)"
    assert hedged("who do you think cut the line") == GUESS_FACTOR
    assert hedged("the better man won") == 1.0  # not "bet"


def test_a_guess_is_not_flagged(index: SpoilerIndex) -> None:
    assert not index.check("is jonas gonna get arrested? he has to", 1, E(1, 3)).spoiler
    assert index.check("jonas gets arrested at the quay", 1, E(1, 3)).spoiler


def test_fuzzy_names_need_a_close_typo(sample_index: SpoilerIndex, show_ids: dict) -> None:
    keeper = show_ids["The Lantern Keeper"]
    assert not sample_index.check("is it scary? asking for a coward", keeper, E(0, 0)).spoiler


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("dray going out like a hero", "evdeath"),
        ("he is not coming back", "evdeath"),
        ("so she didnt drown after all", "evalive"),
        ("it was voss the whole time", "evculprit"),
        ("crane ends up behind bars", "evarrest"),
        ("she stabbed him in the back", "evbetray"),
        ("the old priest got the boot", "evquit"),
    ],
)
def test_everyday_idioms_become_event_tokens(text: str, token: str) -> None:
    assert token in apply_phrases(text).split()


def test_idiom_slots_keep_the_name() -> None:
    assert "voss" in apply_phrases("it was voss all along").split()


HARBOUR = season_one(
    2,
    "Harbour Lights",
    [
        (1, "Harbourmaster Petra Lusk hands Nora Wray the keys to the lighthouse."),
        (2, "Lusk stamps the shipping papers while Nora counts the crates."),
        (3, "Nora finds a brass compass under the floorboards."),
        (3, "The storm cellar turns out to hold the missing ledger."),
        (3, "Jonas spends the evening mending nets."),
    ],
)


def test_two_weak_facts_of_one_episode_together_are_a_spoiler() -> None:
    index = SpoilerIndex.build([HARBOUR])
    assert not index.check("the ledger in the cellar", 2, E(1, 2)).spoiler
    assert not index.check("nora and the floorboards", 2, E(1, 2)).spoiler
    both = index.check("the ledger in the cellar and nora under the floorboards", 2, E(1, 2))
    assert both.spoiler and both.episode == E(1, 3)
    assert not index.check(
        "the ledger in the cellar and nora under the floorboards", 2, E(1, 3)
    ).spoiler


def test_a_killer_is_named_by_the_verb_after_their_name() -> None:
    def culprits(text: str, names: dict[int, str]) -> set[str]:
        return killers(text.split(), [(at, f"n:{name}") for at, name in names.items()])

    assert culprits("dale kettering killed his daughter", {0: "dale", 1: "kettering"}) == {
        "b:evculprit|n:dale",
        "b:evculprit|n:kettering",
    }
    assert culprits("vess shot brann on the dock", {0: "vess", 2: "brann"}) == {
        "b:evculprit|n:vess"
    }
    assert not culprits("josie was killed on the pier", {0: "josie"})  # a victim
    assert not culprits("rawls shot twice in the raid", {0: "rawls"})  # nobody after the verb
    assert not culprits("rawls shot", {0: "rawls"})


def test_confessing_dates_to_the_episode_that_shows_the_killing() -> None:
    rows = [
        (1, "Mira Holt finds her brother Oren dead in the boathouse."),
        (2, "Garrick Vale strangled Oren, and the episode lets us watch him do it."),
        (3, "Garrick finally confesses to the police in the last scene."),
    ]
    index = SpoilerIndex.build([season_one(1, "Boathouse", rows)])
    verdict = index.check("garrick confessing was so satisfying", 1, E(1, 1))
    assert verdict.spoiler and verdict.episode == E(1, 2)


def test_a_message_naming_a_killer_is_not_news_a_later_confession_repeats() -> None:
    rows = [
        (1, "Ivo Brask steps out from behind a crate and shoots Tamsin on the pier."),
        (2, "Tamsin recovers slowly in the harbour hospital."),
        (3, "With Brask in custody and the mayor's confession pointing at the docks, it ends."),
    ]
    index = SpoilerIndex.build([season_one(1, "Pier", rows)])
    assert not index.check("brask shoots tamsin on the pier", 1, E(1, 1)).spoiler
